//! The restJson1 protocol: requests (URI labels, JSON body) and responses (JSON bodies, error
//! codes). Everything protocol-specific is here.

use super::{ident, type_path};
use crate::ir::{Field, Location, Operation, PathPart, Role, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// An expression decoding a `&Value` into `ty` (a function or closure).
fn decoder(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { ::swage_runtime::json::string },
        Type::Bool => quote! { ::swage_runtime::json::boolean },
        Type::Byte => quote! { ::swage_runtime::json::integer::<i8> },
        Type::Short => quote! { ::swage_runtime::json::integer::<i16> },
        Type::Integer => quote! { ::swage_runtime::json::integer::<i32> },
        Type::Long => quote! { ::swage_runtime::json::integer::<i64> },
        Type::Float => quote! { ::swage_runtime::json::float },
        Type::Double => quote! { ::swage_runtime::json::double },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { |v| ::swage_runtime::json::string(v).map(|s| #p::from(s.as_str())) }
        }
        Type::Struct(p) => {
            let p = type_path(p);
            quote! { #p::from_json }
        }
        Type::List { item, sparse } => {
            let item = decoder(item);
            if *sparse {
                quote! { |v| ::swage_runtime::json::sparse_list(v, #item) }
            } else {
                quote! { |v| ::swage_runtime::json::list(v, #item) }
            }
        }
        Type::Map { value, sparse } => {
            let value = decoder(value);
            if *sparse {
                quote! { |v| ::swage_runtime::json::sparse_map(v, #value) }
            } else {
                quote! { |v| ::swage_runtime::json::map(v, #value) }
            }
        }
    }
}

/// An expression encoding `value: &T` into a `Value`.
fn encoder(ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        Type::String => quote! { ::swage_runtime::json::Value::from(#value.as_str()) },
        Type::Bool | Type::Byte | Type::Short | Type::Integer | Type::Long => quote! { ::swage_runtime::json::Value::from(*#value) },
        Type::Float => quote! { ::swage_runtime::json::double_value(f64::from(*#value)) },
        Type::Double => quote! { ::swage_runtime::json::double_value(*#value) },
        Type::Enum(_) => quote! { ::swage_runtime::json::Value::from(#value.as_str()) },
        Type::Struct(_) => quote! { #value.to_json() },
        Type::List { item, sparse } => {
            let inner = encoder(item, quote! { item });
            let inner = if *sparse {
                quote! { item.as_ref().map_or(::swage_runtime::json::Value::Null, |item| #inner) }
            } else {
                inner
            };
            quote! { ::swage_runtime::json::Value::Array(#value.iter().map(|item| #inner).collect()) }
        }
        Type::Map { value: item, sparse } => {
            let inner = encoder(item, quote! { item });
            let inner = if *sparse {
                quote! { item.as_ref().map_or(::swage_runtime::json::Value::Null, |item| #inner) }
            } else {
                inner
            };
            quote! { ::swage_runtime::json::Value::Object(#value.iter().map(|(key, item)| (key.clone(), #inner)).collect()) }
        }
    }
}

fn body_fields(s: &Structure) -> impl Iterator<Item = (&Field, &str)> {
    s.fields.iter().filter_map(|f| match &f.location {
        Location::Body { key } => Some((f, key.as_str())),
        _ => None,
    })
}

/// `from_json` (for parsed structures) and `to_json` (for structures sent in requests).
pub fn structure_codecs(s: &Structure) -> TokenStream {
    let name = ident(&s.path.name);
    let mut out = TokenStream::new();
    if s.parsed {
        let with_id = matches!(s.role, Role::Output | Role::Error);
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            match &f.location {
                Location::Body { key } => {
                    let decode = decoder(&f.ty);
                    let read = quote! { ::swage_runtime::json::member(object, #key, #decode)? };
                    // restJson1 services differ in the case of `message` in error bodies.
                    let read = if s.role == Role::Error && key.eq_ignore_ascii_case("message") {
                        let other = if *key == "message" { "Message" } else { "message" };
                        quote! { #read.or(::swage_runtime::json::member(object, #other, #decode)?) }
                    } else {
                        read
                    };
                    if f.required && matches!(f.ty, Type::Struct(_)) {
                        quote! { #field: #read.ok_or_else(|| ::swage_runtime::json::JsonError::missing(#key))?, }
                    } else if f.required {
                        // Error correction (Smithy's rule for clients): a missing required
                        // member reads as its zero value rather than failing the response.
                        let zero = zero_value(&f.ty);
                        quote! { #field: #read.unwrap_or_else(|| #zero), }
                    } else {
                        quote! { #field: #read, }
                    }
                }
                Location::Label { .. } => {
                    let wire = &f.wire_name;
                    if f.required && matches!(f.ty, Type::Struct(_)) {
                        quote! { #field: ::std::result::Result::Err(::swage_runtime::json::JsonError::missing(#wire))?, }
                    } else if f.required {
                        let zero = zero_value(&f.ty);
                        quote! { #field: #zero, }
                    } else {
                        quote! { #field: ::std::option::Option::None, }
                    }
                }
            }
        });
        let (sig, id_init) = if with_id {
            (
                quote! { value: &::swage_runtime::json::Value, request_id: ::std::option::Option<::std::string::String> },
                quote! { request_id, },
            )
        } else {
            (quote! { value: &::swage_runtime::json::Value }, quote! {})
        };
        let object = if s.fields.iter().any(|f| matches!(f.location, Location::Body { .. })) {
            quote! { let object = ::swage_runtime::json::object(value)?; }
        } else {
            quote! { ::swage_runtime::json::object(value)?; }
        };
        out.extend(quote! {
            impl #name {
                /// Reads the value from its JSON form.
                pub(crate) fn from_json(#sig) -> ::std::result::Result<Self, ::swage_runtime::json::JsonError> {
                    #object
                    ::std::result::Result::Ok(#name { #(#inits)* #id_init })
                }
            }
        });
    }
    if s.validated && s.role != Role::Input {
        let body = json_object(s, quote! { self });
        out.extend(quote! {
            impl #name {
                /// The value's JSON form.
                pub(crate) fn to_json(&self) -> ::swage_runtime::json::Value {
                    #body
                }
            }
        });
    }
    out
}

/// Statements building a JSON object of the body members of `s`, read from `this`.
fn json_object(s: &Structure, this: TokenStream) -> TokenStream {
    let inserts = body_fields(s).map(|(f, key)| {
        let field = ident(&f.name);
        if f.required {
            let enc = encoder(&f.ty, quote! { (&#this.#field) });
            quote! { object.insert(#key.to_owned(), #enc); }
        } else {
            let enc = encoder(&f.ty, quote! { value });
            quote! { if let ::std::option::Option::Some(value) = &#this.#field { object.insert(#key.to_owned(), #enc); } }
        }
    });
    quote! {
        let mut object = ::swage_runtime::json::Map::new();
        #(#inserts)*
        ::swage_runtime::json::Value::Object(object)
    }
}

fn zero_value(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { ::std::string::String::new() },
        Type::Bool => quote! { false },
        Type::Float | Type::Double => quote! { 0.0 },
        Type::Byte | Type::Short | Type::Integer | Type::Long => quote! { 0 },
        Type::List { .. } => quote! { ::std::vec::Vec::new() },
        Type::Map { .. } => quote! { ::std::collections::HashMap::new() },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { #p::from("") }
        }
        // A structure has no zero value: callers report a missing one instead.
        Type::Struct(_) => quote! { ::std::compile_error!("no zero value for a structure") },
    }
}

/// The operation's `build_request`.
pub fn build_request(op: &Operation, input: &Structure) -> TokenStream {
    let input_ty = type_path(&op.input);
    let method = proc_macro2::Ident::new(&op.method, proc_macro2::Span::call_site());
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { uri.literal(#text); },
        PathPart::Label { field, wire_name, greedy } => {
            let f = ident(field);
            let value = label_value(input, field, quote! { input.#f });
            if *greedy {
                quote! { uri.greedy_label(#wire_name, #value)?; }
            } else {
                quote! { uri.label(#wire_name, #value)?; }
            }
        }
    });
    let query = op.literal_query.as_ref().map(|q| {
        let pairs = q.split('&').filter(|p| !p.is_empty()).map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            quote! { uri.query(#k, #v); }
        });
        quote! { #(#pairs)* }
    });
    let has_body = body_fields(input).next().is_some();
    let (body, content_type) = if has_body {
        let object = json_object(input, quote! { input });
        (
            quote! { let body = { #object }.to_string().into_bytes(); },
            quote! { let request = request.header("content-type", "application/json"); },
        )
    } else {
        (quote! { let body = ::std::vec::Vec::new(); }, quote! {})
    };
    let op_name = &op.wire_name;
    let doc = format!(" Serializes a `{op_name}` request for the service at `endpoint` (such as `https://service.region.api.aws`, with or without a base path). Nothing is sent.");
    quote! {
        #[doc = #doc]
        pub fn build_request(
            input: &#input_ty,
            endpoint: &str,
        ) -> ::std::result::Result<::swage_runtime::http::Request<::std::vec::Vec<u8>>, ::swage_runtime::RequestError> {
            let mut uri = ::swage_runtime::UriBuilder::new(endpoint)?;
            #(#path)*
            #query
            #body
            let request = ::swage_runtime::http::Request::builder()
                .method(::swage_runtime::http::Method::#method)
                .uri(uri.finish()?);
            #content_type
            ::swage_runtime::request::finish_request(request, body)
        }
    }
}

/// The text of a label value.
fn label_value(input: &Structure, field: &str, access: TokenStream) -> TokenStream {
    let ty = input.fields.iter().find(|f| f.name == field).map(|f| &f.ty);
    match ty {
        Some(Type::String) => quote! { &#access },
        Some(Type::Enum(_)) => quote! { #access.as_str() },
        _ => quote! { &#access.to_string() },
    }
}

/// The operation's `parse_response`.
pub fn parse_response(op: &Operation) -> TokenStream {
    let output = type_path(&op.output);
    let error = ident(&op.error);
    let arms = op.errors.iter().map(|e| {
        let code = &e.code;
        let variant = ident(&e.variant);
        let path = type_path(&e.path);
        quote! { ::std::option::Option::Some(#code) => response.decode(#path::from_json).map(#error::#variant), }
    });
    let op_name = &op.wire_name;
    let doc = format!(" Parses a `{op_name}` response: its status code, headers and body bytes.");
    quote! {
        #[doc = #doc]
        ///
        /// A 2xx status reads the output; anything else reads the error the response names
        /// (`X-Amzn-Errortype` header, else the body's `code`, else `__type`), or
        /// `Unhandled` when the model has no such error or the response can't be read.
        pub fn parse_response(
            status: u16,
            headers: &::swage_runtime::http::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<#output, #error> {
            if (200..300).contains(&status) {
                return ::swage_runtime::response::parse_output(status, headers, body, #output::from_json).map_err(#error::Unhandled);
            }
            let response = ::swage_runtime::response::ErrorResponse::read(status, headers, body);
            let error = match response.code() {
                #(#arms)*
                _ => ::std::result::Result::Err(response.unhandled()),
            };
            ::std::result::Result::Err(error.unwrap_or_else(#error::Unhandled))
        }
    }
}

