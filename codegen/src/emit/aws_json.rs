//! The awsJson1_0 and awsJson1_1 protocols: every request is `POST` to the endpoint's path,
//! names its operation in `X-Amz-Target`, and carries every input member in a JSON object
//! ([`super::json`]; `{}` for an input without members). HTTP binding traits don't apply.

use super::http::RequestParts;
use super::json::json_object;
use crate::ir::{Operation, RpcBinding, Structure};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's `build_request`.
pub(crate) fn build_request(op: &Operation, rpc: &RpcBinding, input: &Structure) -> TokenStream {
    let object = json_object(input, quote! { input });
    let (target, content_type) = (&rpc.target, &rpc.content_type);
    super::http::build_request(
        op,
        input,
        RequestParts {
            method: quote! { swage_runtime::http::Method::POST },
            // `/`, after the endpoint's own path.
            uri: quote! { uri.literal("/"); },
            body: quote! { let body = #object; },
            headers: Vec::new(),
            content_type: quote! {
                request = request.header("content-type", #content_type).header("x-amz-target", #target);
            },
            uses_input: !input.fields.is_empty(),
        },
    )
}
