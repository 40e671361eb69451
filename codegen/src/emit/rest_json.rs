//! The restJson1 protocol: the HTTP bindings of [`super::http`], with the members left for the
//! body in a JSON object ([`super::json`]) or the `@httpPayload` member as the whole body.

use super::http::{payload_body, payload_field, rest_request, RequestParts};
use super::json::{body_fields, json_object};
use crate::ir::{HttpBinding, Operation, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's `build_request`.
pub(crate) fn build_request(op: &Operation, http: &HttpBinding, input: &Structure) -> TokenStream {
    let rest = rest_request(http, input);
    let (body, content_type) = if let Some(p) = payload_field(input) {
        // An unset structure payload is sent as an empty object.
        let unset = if matches!(p.ty, Type::Struct(_)) {
            quote! { b"{}".to_vec() }
        } else {
            quote! { Vec::new() }
        };
        payload_body(
            p,
            |ty| match ty {
                Type::Document => (
                    quote! { value.to_string().into_bytes() },
                    "application/json".into(),
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
            },
            unset,
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
