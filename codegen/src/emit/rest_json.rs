//! The restJson1 protocol: the HTTP bindings of [`super::http`], with the members left for the
//! body in a JSON object ([`super::json`]) or the `@httpPayload` member as the whole body.

use super::http::{payload_field, rest_request, RequestParts};
use super::ident;
use super::json::{body_fields, json_object};
use crate::ir::{HttpBinding, Operation, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's `build_request`.
pub(crate) fn build_request(op: &Operation, http: &HttpBinding, input: &Structure) -> TokenStream {
    let rest = rest_request(http, input);
    let (body, content_type) = if let Some(p) = payload_field(input) {
        let field = ident(&p.name);
        let access = if p.required {
            quote! { Some(&input.#field) }
        } else {
            quote! { input.#field.as_ref() }
        };
        let (bytes, ct) = match &p.ty {
            Type::Blob => (
                quote! { value.clone() },
                p.media_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            ),
            Type::String => (
                quote! { value.as_bytes().to_vec() },
                p.media_type.clone().unwrap_or_else(|| "text/plain".into()),
            ),
            Type::Document => (
                quote! { value.to_string().into_bytes() },
                "application/json".into(),
            ),
            Type::Enum(_) => (
                quote! { value.as_str().as_bytes().to_vec() },
                p.media_type.clone().unwrap_or_else(|| "text/plain".into()),
            ),
            _ => (
                quote! {
                    {
                        let mut w = swage_runtime::json::Writer::new();
                        value.write_json(&mut w);
                        w.into_bytes()
                    }
                },
                "application/json".into(),
            ),
        };
        // An unset structure payload is sent as an empty object.
        let unset = if matches!(p.ty, Type::Struct(_)) {
            quote! { b"{}".to_vec() }
        } else {
            quote! { Vec::new() }
        };
        (
            quote! { let body = match #access { Some(value) => #bytes, None => #unset }; },
            // A member bound to `Content-Type` sets it; otherwise the payload's type does.
            quote! {
                if !body.is_empty() && !request.headers_ref().is_some_and(|h| h.contains_key(swage_runtime::http::header::CONTENT_TYPE)) {
                    request = request.header("content-type", #ct);
                }
            },
        )
    } else if body_fields(input).next().is_some() {
        let object = json_object(input, quote! { input });
        (
            quote! { let body = #object; },
            quote! { request = request.header("content-type", "application/json"); },
        )
    } else {
        (quote! { let body = Vec::new(); }, quote! {})
    };
    super::http::build_request(
        op,
        input,
        RequestParts {
            method: rest.method,
            uri: rest.uri,
            body,
            headers: rest.headers,
            content_type,
            uses_input: rest.uses_input,
        },
    )
}
