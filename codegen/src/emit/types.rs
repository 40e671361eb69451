//! Structures, their builders and getters, and enums.

use super::{checks, deprecated, doc, ident, is_copy, rust_type, type_path};
use crate::ir::{Enum, Field, Role, Structure, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The getter's return type and body for a field stored as `self.<field>`.
fn getter(f: &Field) -> (TokenStream, TokenStream) {
    let name = ident(&f.name);
    enum Mode {
        Deref,
        Ref,
        Copy,
    }
    let (ty, mode) = match &f.ty {
        Type::String => (quote! { &str }, Mode::Deref),
        Type::Blob => (quote! { &[u8] }, Mode::Deref),
        t if f.boxed => {
            let t = rust_type(t);
            (quote! { &#t }, Mode::Deref)
        }
        Type::List { item, sparse } => {
            let item = rust_type(item);
            if *sparse {
                (quote! { &[Option<#item>] }, Mode::Deref)
            } else {
                (quote! { &[#item] }, Mode::Deref)
            }
        }
        t if is_copy(t) => (rust_type(t), Mode::Copy),
        t => {
            let t = rust_type(t);
            (quote! { &#t }, Mode::Ref)
        }
    };
    match (f.required, mode) {
        (true, Mode::Copy) => (ty, quote! { self.#name }),
        (true, _) => (ty, quote! { &self.#name }),
        (false, Mode::Deref) => (quote! { Option<#ty> }, quote! { self.#name.as_deref() }),
        (false, Mode::Ref) => (quote! { Option<#ty> }, quote! { self.#name.as_ref() }),
        (false, Mode::Copy) => (quote! { Option<#ty> }, quote! { self.#name }),
    }
}

fn stored_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty);
    let ty = if f.boxed { quote! { Box<#ty> } } else { ty };
    if f.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// `Debug` that prints `@sensitive` fields redacted.
fn debug_impl(name: &TokenStream, s: &Structure, fields: &[Field], request_id: bool) -> TokenStream {
    let label = s.path.name.as_str();
    let entries = fields.iter().map(|f| {
        let field = ident(&f.name);
        let key = f.name.trim_start_matches("r#");
        if f.sensitive || s.sensitive {
            quote! { .field(#key, &swage_runtime::REDACTED) }
        } else {
            quote! { .field(#key, &self.#field) }
        }
    });
    let request_id = request_id.then(|| quote! { .field("request_id", &self._request_id) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* #request_id .finish()
            }
        }
    }
}

/// The structure, its getters, its builder and (for validated shapes) its checks.
pub fn structure(s: &Structure) -> TokenStream {
    let name = ident(&s.path.name);
    let this = type_path(&s.path);
    let builder = ident(&s.builder);
    let docs = doc(s.docs.as_deref());
    let has_request_id = matches!(s.role, Role::Output | Role::Error);
    let fields = &s.fields;

    let decls = fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = stored_type(f);
        quote! { #field: #ty, }
    });
    let request_id_decl = has_request_id.then(|| quote! { _request_id: Option<String>, });
    let getters = fields.iter().map(|f| {
        let field = ident(&f.name);
        let docs = doc(f.docs.as_deref());
        let dep = deprecated(&f.deprecated);
        let (ty, body) = getter(f);
        quote! { #docs #dep pub fn #field(&self) -> #ty { #body } }
    });
    // A member called `RequestId` keeps its getter; the metadata stays reachable through
    // `ServiceError` (errors) or the field's own value.
    let request_id_getter = (has_request_id && !fields.iter().any(|f| f.name == "request_id")).then(|| {
        quote! {
            /// The request id AWS assigned (from `x-amzn-requestid`), if the response had one.
            pub fn request_id(&self) -> Option<&str> { self._request_id.as_deref() }
        }
    });
    let derive_debug = if s.has_sensitive() { quote! {} } else { quote! { Debug, } };
    let debug = s.has_sensitive().then(|| debug_impl(&this, s, fields, has_request_id));
    let builder_debug = s.has_sensitive().then(|| debug_impl(&quote! { #builder }, s, fields, false));
    let struct_doc = format!(" Create one with [`{}::builder`].", s.path.name);
    let validate = (s.validated && (s.role != Role::Input || s.nested)).then(|| checks::validate_method(s));

    let builder_decls = fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = rust_type(&f.ty);
        quote! { #field: Option<#ty>, }
    });
    let builder_methods = fields.iter().map(builder_methods);
    let build = build_methods(s);
    let builder_doc = format!(" A builder for [`{}`].", s.path.name);
    let shape_dep = deprecated(&s.deprecated);
    quote! {
        #docs
        #[doc = ""]
        #[doc = #struct_doc]
        #shape_dep
        #[derive(Clone, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            #request_id_decl
        }

        impl #this {
            /// A builder for this type.
            pub fn builder() -> #builder { #builder::default() }
            #(#getters)*
            #request_id_getter
        }

        #debug
        #validate

        #[doc = #builder_doc]
        #[derive(Clone, PartialEq, Default, #derive_debug)]
        pub struct #builder {
            #(#builder_decls)*
        }

        impl #builder {
            #(#builder_methods)*
            #build
        }

        #builder_debug
    }
}

fn builder_methods(f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let setter = format_ident!("{}", f.setter);
    let getter = format_ident!("{}", f.builder_getter);
    let ty = rust_type(&f.ty);
    let docs = doc(f.docs.as_deref());
    let dep = deprecated(&f.deprecated);
    let required = match &f.default {
        _ if f.must_set() => quote! { #[doc = ""] #[doc = " Required."] },
        Some(d) => {
            let text = format!(" Defaults to the model's `@default` ({}) when not set.", describe_default(d));
            quote! { #[doc = ""] #[doc = #text] }
        }
        None => quote! {},
    };
    let add = match &f.ty {
        Type::List { item, sparse } => {
            let item = rust_type(item);
            let item = if *sparse { quote! { Option<#item> } } else { item };
            quote! {
                #docs #required #dep
                #[doc = ""]
                #[doc = " Appends one element; call it once per element."]
                pub fn #field(mut self, item: impl Into<#item>) -> Self {
                    self.#field.get_or_insert_with(Vec::new).push(item.into());
                    self
                }
            }
        }
        Type::Map { value, sparse } => {
            let value = rust_type(value);
            let value = if *sparse { quote! { Option<#value> } } else { value };
            quote! {
                #docs #required #dep
                #[doc = ""]
                #[doc = " Inserts one entry; call it once per entry."]
                pub fn #field(mut self, key: impl Into<String>, value: impl Into<#value>) -> Self {
                    self.#field.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                    self
                }
            }
        }
        _ => quote! {
            #docs #required #dep
            pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                self.#field = Some(input.into());
                self
            }
        },
    };
    let set_doc = format!(" Sets or clears `{}`.", f.wire_name);
    let get_doc = format!(" The value set for `{}`, if any.", f.wire_name);
    quote! {
        #add
        #[doc = #set_doc]
        #dep
        pub fn #setter(mut self, input: Option<#ty>) -> Self {
            self.#field = input;
            self
        }
        #[doc = #get_doc]
        #dep
        pub fn #getter(&self) -> &Option<#ty> {
            &self.#field
        }
    }
}

/// `build()` (and, for inputs, `build_unchecked()`).
fn build_methods(s: &Structure) -> TokenStream {
    let this = type_path(&s.path);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.must_set()).collect();
    let has_request_id = matches!(s.role, Role::Output | Role::Error);
    let request_id_init = has_request_id.then(|| quote! { _request_id: None, });
    let assigns = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match (f.boxed, f.required) {
            (false, _) => quote! { #field, },
            (true, true) => quote! { #field: Box::new(#field), },
            (true, false) => quote! { #field: #field.map(Box::new), },
        }
    });
    let optional_lets = s.fields.iter().filter(|f| !f.must_set()).map(|f| {
        let field = ident(&f.name);
        if let Some(d) = &f.default {
            let value = super::or_default(quote! { self.#field }, &f.ty, d);
            quote! { let #field = #value; }
        } else if f.idempotency_token {
            // A fresh token now, so that every retry of this input sends the same one.
            quote! { let #field = self.#field.or_else(|| Some(swage_runtime::idempotency_token())); }
        } else {
            quote! { let #field = self.#field; }
        }
    }).collect::<Vec<_>>();
    let construct = quote! { #this { #(#assigns)* #request_id_init } };
    let assemble = if required.is_empty() {
        quote! { #(#optional_lets)* Ok(#construct) }
    } else {
        let lets = required.iter().map(|f| {
            let field = ident(&f.name);
            let wire = &f.wire_name;
            quote! { let #field = violations.require(&root.field(#wire), self.#field); }
        });
        let names: Vec<_> = required.iter().map(|f| ident(&f.name)).collect();
        quote! {
            let root = swage_runtime::Path::root();
            let mut violations = swage_runtime::Violations::new();
            #(#lets)*
            #(#optional_lets)*
            match (#(#names,)*) {
                (#(Some(#names),)*) => Ok(#construct),
                _ => Err(violations.into_error()),
            }
        }
    };
    let returns = quote! { Result<#this, swage_runtime::ConstraintViolations> };
    if s.validated {
        let check = checks::builder_check(s);
        quote! {
            /// Builds the value, checking every constraint of the model (`@required`,
            /// `@length`, `@pattern`, `@range`, enum values, `@uniqueItems`, nested values
            /// included) and returning all violations at once.
            pub fn build(self) -> #returns {
                let mut violations = swage_runtime::Violations::new();
                self.check(&swage_runtime::Path::root(), &mut violations);
                violations.finish()?;
                self.build_unchecked()
            }

            /// Builds the value checking only that `@required` members are set.
            ///
            /// This is the escape hatch for when the service has relaxed a constraint before the
            /// model was regenerated: values the model would reject go to the service as they
            /// are, and the service has the last word. Prefer [`build`](Self::build).
            pub fn build_unchecked(self) -> #returns {
                #assemble
            }

            #check
        }
    } else if required.is_empty() {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #this {
                #(#optional_lets)*
                #construct
            }
        }
    } else {
        quote! {
            /// Builds the value; fails if a `@required` member is not set.
            pub fn build(self) -> #returns {
                #assemble
            }
        }
    }
}

/// A string enum that keeps values it doesn't know.
pub fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.path.name);
    let this = type_path(&e.path);
    let docs = doc(e.docs.as_deref());
    let variants = e.variants.iter().map(|(v, value, d)| {
        let v = ident(v);
        let d = doc(d.as_deref());
        let wire = format!(" `{value}`");
        let sep = if d.is_empty() { quote! {} } else { quote! { #[doc = ""] } };
        quote! { #d #sep #[doc = #wire] #v, }
    });
    let from_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        quote! { #value => #this::#v, }
    });
    let as_str_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        quote! { #this::#v => #value, }
    });
    let values = e.variants.iter().map(|(_, value, _)| value);
    let shape_dep = deprecated(&e.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client doesn't know (the service may add values).
            Unknown(swage_runtime::UnknownValue),
        }

        impl #this {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    #this::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #this {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => #this::Unknown(swage_runtime::UnknownValue::__from_wire(other)),
                }
            }
        }

        impl ::std::fmt::Display for #this {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An intEnum that keeps values it doesn't know.
pub fn int_enumeration(e: &crate::ir::IntEnum) -> TokenStream {
    let name = ident(&e.path.name);
    let this = type_path(&e.path);
    let docs = doc(e.docs.as_deref());
    let variants = e.variants.iter().map(|(v, value, d)| {
        let v = ident(v);
        let d = doc(d.as_deref());
        let wire = format!(" `{value}`");
        let sep = if d.is_empty() { quote! {} } else { quote! { #[doc = ""] } };
        quote! { #d #sep #[doc = #wire] #v, }
    });
    let value_of = |value: &i64| proc_macro2::Literal::i32_unsuffixed(*value as i32);
    let from_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        let value = value_of(value);
        quote! { #value => #this::#v, }
    });
    let value_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        let value = value_of(value);
        quote! { #this::#v => #value, }
    });
    let values = e.variants.iter().map(|(_, value, _)| value_of(value));
    let shape_dep = deprecated(&e.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client doesn't know (the service may add values).
            Unknown(swage_runtime::UnknownIntValue),
        }

        impl #this {
            /// The value as it goes on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#value_arms)*
                    #this::Unknown(value) => value.value(),
                }
            }

            /// Every value the model knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #this {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_arms)*
                    other => #this::Unknown(swage_runtime::UnknownIntValue::__from_wire(other)),
                }
            }
        }
    }
}

/// A union: one variant per member, and `Unknown` for members added after generation.
pub fn union(u: &crate::ir::Union) -> TokenStream {
    let name = ident(&u.path.name);
    let this = type_path(&u.path);
    let docs = doc(u.docs.as_deref());
    let variants = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let d = doc(v.docs.as_deref());
        match &v.ty {
            None => quote! { #d #n, },
            Some(t) => {
                let t = rust_type(t);
                if v.boxed {
                    quote! { #d #n(Box<#t>), }
                } else {
                    quote! { #d #n(#t), }
                }
            }
        }
    });
    let derive_debug = if u.sensitive { quote! {} } else { quote! { Debug, } };
    let debug = u.sensitive.then(|| {
        let label = u.path.name.as_str();
        quote! {
            impl ::std::fmt::Debug for #this {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_tuple(#label).field(&swage_runtime::REDACTED).finish()
                }
            }
        }
    });
    let shape_dep = deprecated(&u.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Clone, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the client doesn't know; it holds the member's name.
            Unknown(swage_runtime::UnknownValue),
        }
        #debug
    }
}

fn describe_default(d: &crate::ir::DefaultValue) -> String {
    use crate::ir::DefaultValue as D;
    match d {
        D::Str(s) => format!("`\"{s}\"`"),
        D::Bool(b) => format!("`{b}`"),
        D::Int(n) => format!("`{n}`"),
        D::Float(x) => format!("`{x}`"),
        D::EpochSeconds(n) => format!("`{n}` seconds after the epoch"),
        D::Empty => "empty".to_owned(),
        D::Bytes(b) => format!("`{:?}`", String::from_utf8_lossy(b)),
        D::Document(json) => format!("`{json}`"),
    }
}
