//! Emitting: the [`ir::Crate`] into token streams, one emitter per concern. Emitters read only
//! the IR. Each protocol's wire format sits in a module of its own (`rest_json`, `aws_json`,
//! `rest_xml`, `aws_query`), behind `protocol`, which picks by the IR's protocol; the JSON and
//! XML codecs and the HTTP bindings they share are modules too.

mod aws_json;
mod aws_query;
mod checks;
mod client;
mod compliance;
mod endpoint;
mod errors;
mod files;
mod http;
mod json;
pub(crate) mod paths;
mod protocol;
mod rest_json;
mod rest_xml;
mod text;
mod types;
mod xml;

use crate::ir::{self, Module, TypePath};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use files::emit;

/// A Rust file to write: its path in the crate and its items.
pub enum Output {
    /// A Rust source file, rendered by [`crate::render`].
    Rust(TokenStream),
    /// A Rust source file already formatted, as runs of items (see
    /// [`crate::render::render_items`]), or why it could not be.
    Rendered(Result<Vec<String>, String>),
    /// Any other file (such as `Cargo.toml`), written as is.
    Text(String),
}

/// An identifier, raw (`r#type`) where the name says so.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = ...]` lines for Markdown `text`.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The values of `#[doc = ...]` (or `#![doc = ...]`) lines for Markdown `text`: each line
/// cleaned (`docs::clean_line`: no tabs, no control characters) and led by a space.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = crate::docs::clean_line(l);
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// A `#[deprecated]` attribute, if any.
pub(crate) fn deprecated(d: &Option<Option<String>>) -> TokenStream {
    match d {
        None => TokenStream::new(),
        Some(None) => quote! { #[deprecated] },
        Some(Some(note)) => quote! { #[deprecated(note = #note)] },
    }
}

thread_local! {
    /// The module of the file being emitted: paths into it are written as bare names.
    static CURRENT: std::cell::RefCell<Option<Module>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `module` as the module being emitted.
pub(crate) fn in_module<T>(module: Option<Module>, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(module));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

/// The path of a generated type: its bare name inside its own module (every name in a module
/// is defined there, so this is safe), the full `crate::` path elsewhere. A type named like a
/// prelude name the emitters use bare (`Option`, `Result`, `String`, ...) is `self::Name` in
/// its own module, so that the bare name keeps meaning std's (see [`paths::PRELUDE`]).
/// `&[swage_runtime::AuthScheme::SigV4, ...]`: a list of auth schemes as the runtime takes it.
pub(crate) fn auth_schemes(list: &[crate::ir::Auth]) -> TokenStream {
    let items = list.iter().map(|a| match a {
        crate::ir::Auth::SigV4 => quote! { swage_runtime::AuthScheme::SigV4 },
        crate::ir::Auth::Bearer => quote! { swage_runtime::AuthScheme::Bearer },
        crate::ir::Auth::Basic => quote! { swage_runtime::AuthScheme::Basic },
        crate::ir::Auth::ApiKey {
            name,
            in_query,
            scheme,
        } => {
            let scheme = match scheme {
                Some(s) => quote! { Some(#s) },
                None => quote! { None },
            };
            quote! { swage_runtime::AuthScheme::ApiKey { name: #name, in_query: #in_query, scheme: #scheme } }
        }
    });
    quote! { &[#(#items),*] }
}

pub(crate) fn type_path(path: &TypePath) -> TokenStream {
    let name = ident(&path.name);
    if CURRENT.with(|c| c.borrow().as_ref() == Some(&path.module)) {
        if paths::is_prelude_name(&path.name) {
            return quote! { self::#name };
        }
        return quote! { #name };
    }
    match &path.module {
        Module::Operation(m) => {
            let m = ident(m);
            quote! { crate::operation::#m::#name }
        }
        Module::Types => quote! { crate::types::#name },
        Module::Errors => quote! { crate::types::error::#name },
    }
}

/// The Rust type of a value.
pub(crate) fn rust_type(ty: &ir::Type) -> TokenStream {
    match ty {
        ir::Type::String => quote! { String },
        ir::Type::Bool => quote! { bool },
        ir::Type::Byte => quote! { i8 },
        ir::Type::Short => quote! { i16 },
        ir::Type::Integer => quote! { i32 },
        ir::Type::Long => quote! { i64 },
        ir::Type::Float => quote! { f32 },
        ir::Type::Double => quote! { f64 },
        ir::Type::Blob => quote! { Vec<u8> },
        ir::Type::Timestamp => quote! { swage_runtime::DateTime },
        ir::Type::Document => quote! { swage_runtime::Document },
        ir::Type::BigNumber => quote! { swage_runtime::BigNumber },
        ir::Type::Enum(p) | ir::Type::Struct(p) | ir::Type::IntEnum(p) | ir::Type::Union(p) => {
            type_path(p)
        }
        ir::Type::List { item, sparse, .. } => {
            let item = rust_type(item);
            if *sparse {
                quote! { Vec<Option<#item>> }
            } else {
                quote! { Vec<#item> }
            }
        }
        ir::Type::Map { value, sparse, .. } => {
            let value = rust_type(value);
            if *sparse {
                quote! { ::std::collections::HashMap<String, Option<#value>> }
            } else {
                quote! { ::std::collections::HashMap<String, #value> }
            }
        }
    }
}

/// Whether values of the type are `Copy` (returned by value from getters).
pub(crate) fn is_copy(ty: &ir::Type) -> bool {
    matches!(
        ty,
        ir::Type::Bool
            | ir::Type::Byte
            | ir::Type::Short
            | ir::Type::Integer
            | ir::Type::Long
            | ir::Type::Float
            | ir::Type::Double
            | ir::Type::Timestamp
            | ir::Type::IntEnum(_)
    )
}

/// The expression of a `@default` value of type `ty`.
pub(crate) fn default_expr(ty: &ir::Type, value: &ir::DefaultValue) -> TokenStream {
    use ir::DefaultValue as D;
    match (ty, value) {
        (ir::Type::Enum(p), D::Str(s)) => {
            let p = type_path(p);
            quote! { #p::from(#s) }
        }
        (_, D::Str(s)) => quote! { String::from(#s) },
        (_, D::Bool(b)) => quote! { #b },
        (ir::Type::IntEnum(p), D::Int(n)) => {
            let p = type_path(p);
            let n = proc_macro2::Literal::i32_unsuffixed(*n as i32);
            quote! { #p::from(#n) }
        }
        (ir::Type::Byte, D::Int(n)) => {
            let n = proc_macro2::Literal::i8_suffixed(*n as i8);
            quote! { #n }
        }
        (ir::Type::Short, D::Int(n)) => {
            let n = proc_macro2::Literal::i16_suffixed(*n as i16);
            quote! { #n }
        }
        (ir::Type::Integer, D::Int(n)) => {
            let n = proc_macro2::Literal::i32_suffixed(*n as i32);
            quote! { #n }
        }
        (_, D::Int(n)) => {
            let n = proc_macro2::Literal::i64_suffixed(*n);
            quote! { #n }
        }
        (ir::Type::Float, D::Float(x)) => {
            let x = proc_macro2::Literal::f32_suffixed(*x as f32);
            quote! { #x }
        }
        (_, D::Float(x)) => {
            let x = proc_macro2::Literal::f64_suffixed(*x);
            quote! { #x }
        }
        (_, D::EpochSeconds(n)) => quote! { swage_runtime::DateTime::from_secs(#n) },
        (_, D::Empty) => quote! { Default::default() },
        (_, D::Bytes(b)) => {
            let b = proc_macro2::Literal::byte_string(b);
            quote! { #b.to_vec() }
        }
        // The text is JSON the generator wrote, so it always parses.
        (_, D::Document(json)) => {
            quote! { swage_runtime::value::parse(#json.as_bytes()).unwrap_or_default() }
        }
    }
}

/// `read` (an `Option<T>`) with the `@default` filled in, in the form clippy prefers for it.
pub(crate) fn or_default(
    read: TokenStream,
    ty: &ir::Type,
    value: &ir::DefaultValue,
) -> TokenStream {
    use ir::DefaultValue as D;
    let expr = default_expr(ty, value);
    match value {
        D::Empty => quote! { #read.unwrap_or_default() },
        D::Bool(_) | D::Float(_) | D::EpochSeconds(_) => quote! { #read.unwrap_or(#expr) },
        D::Int(_) if !matches!(ty, ir::Type::IntEnum(_)) => quote! { #read.unwrap_or(#expr) },
        _ => quote! { #read.unwrap_or_else(|| #expr) },
    }
}
