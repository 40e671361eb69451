//! The restXml protocol: the HTTP bindings of [`super::http`], with the members left for the
//! body in an XML element named after the input structure ([`super::xml`]), or the
//! `@httpPayload` member as the whole body (a structure or union under its own root element).

use super::http::{payload_body, payload_field, rest_request, RequestParts};
use super::xml::{namespace, write_members};
use crate::ir::{HttpBinding, Location, Operation, Service, Structure};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's `build_request`.
pub(crate) fn build_request(
    service: &Service,
    op: &Operation,
    http: &HttpBinding,
    input: &Structure,
) -> TokenStream {
    let rest = rest_request(http, input);
    let (body, content_type) = if let Some(p) = payload_field(input) {
        let root = &p.wire.xml.name;
        // Lowering gives a payload the namespace of its member, else of its shape.
        let xmlns = super::xml::xmlns_arg(&p.wire.xml.namespace);
        payload_body(
            p,
            |_| {
                (
                    quote! {
                        {
                            let mut w = swage_runtime::xml::Writer::new();
                            value.write_xml(&mut w, #root, #xmlns);
                            w.into_bytes()
                        }
                    },
                    "application/xml".into(),
                )
            },
            quote! { Vec::new() },
        )
    } else if input
        .fields
        .iter()
        .any(|f| matches!(f.location, Location::Body))
    {
        let root = &input.xml.name;
        // The input's own namespace, else the service's.
        let ns = if input.xml.namespace.is_some() {
            namespace(&input.xml.namespace)
        } else {
            namespace(&service.xml_namespace)
        };
        let members = write_members(input, quote! { input });
        (
            quote! {
                let body = {
                    let mut writer = swage_runtime::xml::Writer::new();
                    let w = &mut writer;
                    w.start(#root);
                    #ns
                    #members
                    w.end(#root);
                    writer.into_bytes()
                };
            },
            quote! { request = request.header("content-type", "application/xml"); },
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
