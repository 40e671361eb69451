//! The query protocols, awsQuery and ec2Query: every request is `POST /` with a form body
//! naming the operation (`Action`) and the API version (`Version`), each input member a field
//! keyed by its path of names; responses and errors are XML ([`super::xml`]).
//!
//! awsQuery names a member by its `@xmlName` (else its name), lists as `.member.N` unless
//! flattened, maps as `.entry.N.key`/`.value`, and an empty list as `key=`. ec2Query names a
//! member by its `@ec2QueryName`, else its `@xmlName` or name capitalised, writes every list
//! flat (`.N`), and sends nothing for an empty list.

use super::http::RequestParts;
use super::{ident, type_path};
use crate::ir::{Field, Operation, Service, Structure, Type, Union, WireNames};
use crate::protocol::Protocol;
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
        let ec2 = service.protocol == Protocol::Ec2Query;
        let members = members(input, quote! { input }, quote! { "" }, ec2);
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

/// A member's key: ec2Query's name for it, or awsQuery's.
fn key_name(wire: &WireNames, ec2: bool) -> String {
    if !ec2 {
        return wire.xml.name.clone();
    }
    wire.ec2_query.clone().unwrap_or_else(|| {
        let mut chars = wire.xml.name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

/// Statements writing the members of `s`, read from `this`, as fields under `prefix` (a `&str`
/// expression).
fn members(s: &Structure, this: TokenStream, prefix: TokenStream, ec2: bool) -> TokenStream {
    let writes = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let name = key_name(&f.wire, ec2);
        let write = writer(
            &f.ty,
            quote! { value },
            body_ts(f),
            f.wire.xml.flattened,
            ec2,
        );
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
fn writer(
    ty: &Type,
    value: TokenStream,
    ts: TimestampFormat,
    flattened: bool,
    ec2: bool,
) -> TokenStream {
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
            let member = if flattened || ec2 {
                ""
            } else {
                xml.item.name.as_str()
            };
            let inner = writer(item, quote! { item }, ts, false, ec2);
            let inner = if *sparse {
                quote! { if let Some(item) = item { #inner } }
            } else {
                inner
            };
            // awsQuery sends an empty list as `key=`; ec2Query sends nothing.
            let empty = (!ec2).then(|| quote! { if #value.is_empty() { w.empty(&key); } });
            quote! {
                #empty
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
            let inner = writer(item, quote! { item }, ts, false, ec2);
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
pub(crate) fn structure_codecs(service: &Service, s: &Structure) -> TokenStream {
    let ec2 = service.protocol == Protocol::Ec2Query;
    if !s.validated || (s.role == crate::ir::Role::Input && !s.nested) {
        return TokenStream::new();
    }
    let name = type_path(&s.path);
    let members = members(s, quote! { self }, quote! { prefix }, ec2);
    quote! {
        impl #name {
            /// Writes the value's fields under `prefix`.
            #[inline]
            pub(crate) fn write_query(&self, w: &mut swage_runtime::protocol::query::Writer, prefix: &str) {
                #members
            }
        }
    }
}

/// `write_query` of a union sent in requests: the member that is set.
pub(crate) fn union_codecs(service: &Service, u: &Union) -> TokenStream {
    let ec2 = service.protocol == Protocol::Ec2Query;
    if !u.validated {
        return TokenStream::new();
    }
    let name = type_path(&u.path);
    let arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let key_name = key_name(&v.wire, ec2);
        let key = quote! { let key = swage_runtime::protocol::query::key(prefix, #key_name); };
        match &v.ty {
            None => quote! { #name::#n => { #key w.empty(&key); } },
            Some(t) => {
                let write = writer(t, quote! { value }, TimestampFormat::DateTime, false, ec2);
                quote! { #name::#n(value) => { #key #write } }
            }
        }
    });
    quote! {
        impl #name {
            /// Writes the value's fields under `prefix`; an `Unknown` value has none.
            #[inline]
            pub(crate) fn write_query(&self, w: &mut swage_runtime::protocol::query::Writer, prefix: &str) {
                match self {
                    #(#arms)*
                    #name::Unknown(_) => {}
                }
            }
        }
    }
}
