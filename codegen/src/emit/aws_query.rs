//! The awsQuery protocol: every request is `POST /` with a form body naming the operation
//! (`Action`) and the API version (`Version`), each input member a field keyed by its path of
//! names (`@xmlName`, lists as `.member.N` unless flattened, maps as `.entry.N.key`/`.value`);
//! responses and errors are XML ([`super::xml`]).

use super::http::RequestParts;
use super::{ident, type_path};
use crate::ir::{Field, Operation, Service, Structure, Type, Union};
use crate::traits::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's `build_request`.
pub(crate) fn build_request(
    service: &Service,
    op: &Operation,
    action: &str,
    input: &Structure,
) -> TokenStream {
    let version = service.version.as_deref().unwrap_or_default();
    let body = if input.fields.is_empty() {
        quote! {
            let body = swage_runtime::protocol::query::Writer::new(#action, #version).into_bytes();
        }
    } else {
        let members = members(input, quote! { input }, quote! { "" });
        quote! {
            let body = {
                let mut writer = swage_runtime::protocol::query::Writer::new(#action, #version);
                let w = &mut writer;
                #members
                writer.into_bytes()
            };
        }
    };
    super::http::build_request(
        op,
        input,
        RequestParts {
            method: quote! { swage_runtime::http::Method::POST },
            uri: quote! { uri.literal("/"); },
            body,
            headers: Vec::new(),
            content_type: quote! {
                request = request.header("content-type", "application/x-www-form-urlencoded");
            },
            uses_input: !input.fields.is_empty(),
        },
    )
}

fn body_ts(f: &Field) -> TimestampFormat {
    f.timestamp_format.unwrap_or(TimestampFormat::DateTime)
}

/// Statements writing the members of `s`, read from `this`, as fields under `prefix` (a `&str`
/// expression).
fn members(s: &Structure, this: TokenStream, prefix: TokenStream) -> TokenStream {
    let writes = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let name = &f.wire.xml.name;
        let write = writer(&f.ty, quote! { value }, body_ts(f), f.wire.xml.flattened);
        let key = quote! { let key = swage_runtime::protocol::query::key(#prefix, #name); };
        if f.required {
            quote! { { let value = &#this.#field; #key #write } }
        } else {
            quote! { if let Some(value) = &#this.#field { #key #write } }
        }
    });
    quote! { #(#writes)* }
}

/// Statements writing `value: &T` as the field(s) under `key` (a `String` local).
fn writer(ty: &Type, value: TokenStream, ts: TimestampFormat, flattened: bool) -> TokenStream {
    match ty {
        Type::String => quote! { w.string(&key, #value); },
        Type::Bool => quote! { w.bool(&key, *#value); },
        Type::Long => quote! { w.integer(&key, *#value); },
        Type::Byte | Type::Short | Type::Integer => quote! { w.integer(&key, i64::from(*#value)); },
        Type::Float => quote! { w.float(&key, *#value); },
        Type::Double => quote! { w.double(&key, *#value); },
        Type::Blob => quote! { w.blob(&key, #value); },
        Type::BigNumber => quote! { w.big_number(&key, #value); },
        Type::Timestamp => {
            let f = super::json::format_tokens(ts);
            quote! { w.timestamp(&key, #value, #f); }
        }
        Type::Enum(_) => quote! { w.string(&key, #value.as_str()); },
        Type::IntEnum(_) => quote! { w.integer(&key, i64::from(#value.value())); },
        // The query protocols have no documents: nothing is sent.
        Type::Document => quote! { let _ = (#value, &key); },
        Type::Struct(_) | Type::Union(_) => quote! { #value.write_query(w, &key); },
        Type::List { item, sparse, xml } => {
            let member = if flattened {
                ""
            } else {
                xml.item.name.as_str()
            };
            let inner = writer(item, quote! { item }, ts, false);
            let inner = if *sparse {
                quote! { if let Some(item) = item { #inner } }
            } else {
                inner
            };
            quote! {
                if #value.is_empty() {
                    w.empty(&key);
                }
                for (index, item) in #value.iter().enumerate() {
                    let key = swage_runtime::protocol::query::item_key(&key, #member, index);
                    #inner
                }
            }
        }
        Type::Map {
            value: item,
            sparse,
            xml,
        } => {
            let inner = writer(item, quote! { item }, ts, false);
            let inner = if *sparse {
                quote! { if let Some(item) = item { #inner } }
            } else {
                inner
            };
            let (k, v) = (&xml.key.name, &xml.item.name);
            quote! {
                for (index, (name, item)) in swage_runtime::json::sorted(#value).into_iter().enumerate() {
                    let entry = swage_runtime::protocol::query::entry_key(&key, #flattened, index);
                    w.string(&swage_runtime::protocol::query::key(&entry, #k), name);
                    let key = swage_runtime::protocol::query::key(&entry, #v);
                    #inner
                }
            }
        }
    }
}

/// `write_query` of a structure sent in requests.
pub(crate) fn structure_codecs(s: &Structure) -> TokenStream {
    if !s.validated || (s.role == crate::ir::Role::Input && !s.nested) {
        return TokenStream::new();
    }
    let name = type_path(&s.path);
    let members = members(s, quote! { self }, quote! { prefix });
    quote! {
        impl #name {
            /// Writes the value's fields under `prefix`.
            pub(crate) fn write_query(&self, w: &mut swage_runtime::protocol::query::Writer, prefix: &str) {
                #members
            }
        }
    }
}

/// `write_query` of a union sent in requests: the member that is set.
pub(crate) fn union_codecs(u: &Union) -> TokenStream {
    if !u.validated {
        return TokenStream::new();
    }
    let name = type_path(&u.path);
    let arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let key_name = &v.wire.xml.name;
        let key = quote! { let key = swage_runtime::protocol::query::key(prefix, #key_name); };
        match &v.ty {
            None => quote! { #name::#n => { #key w.empty(&key); } },
            Some(t) => {
                let write = writer(t, quote! { value }, TimestampFormat::DateTime, false);
                quote! { #name::#n(value) => { #key #write } }
            }
        }
    });
    quote! {
        impl #name {
            /// Writes the value's fields under `prefix`; an `Unknown` value has none.
            pub(crate) fn write_query(&self, w: &mut swage_runtime::protocol::query::Writer, prefix: &str) {
                match self {
                    #(#arms)*
                    #name::Unknown(_) => {}
                }
            }
        }
    }
}
