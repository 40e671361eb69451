//! The protocol seam: what the rest of the emitter asks of the service's protocol, dispatched
//! to the protocol's module. restJson1 is [`super::rest_json`] (HTTP bindings, [`super::http`],
//! with the JSON codec, [`super::json`]); awsJson1_0 and awsJson1_1 are [`super::aws_json`] (RPC,
//! with the same codec); awsQuery and ec2Query are [`super::aws_query`] (RPC with form bodies,
//! read with the XML codec, [`super::xml`]). A new protocol is a new module here and its arms below.

use super::{aws_json, aws_query, json, rest_json, rest_xml, xml};
use crate::ir::{Binding, Operation, Service, Structure, Union};
use crate::protocol::Protocol;
use crate::render::Part;
use proc_macro2::TokenStream;
use quote::quote;

/// An operation's `build_request`.
pub(crate) fn build_request(service: &Service, op: &Operation, input: &Structure) -> TokenStream {
    match (service.protocol, &op.binding) {
        (Protocol::RestJson1, Binding::Http(http)) => rest_json::build_request(op, http, input),
        (Protocol::RestXml, Binding::Http(http)) => {
            rest_xml::build_request(service, op, http, input)
        }
        (Protocol::AwsJson1_0 | Protocol::AwsJson1_1, Binding::JsonRpc(rpc)) => {
            aws_json::build_request(op, rpc, input)
        }
        (Protocol::AwsQuery | Protocol::Ec2Query, Binding::Query { action }) => {
            aws_query::build_request(service, op, action, input)
        }
        // Lowering gives each operation its protocol's binding; anything else is a bug here,
        // and the crate must not compile rather than speak the wrong protocol.
        (protocol, _) => {
            let message = format!(
                "swage bug: `{}` has no {} binding",
                op.wire_name,
                protocol.name()
            );
            quote! { ::std::compile_error!(#message); }
        }
    }
}

/// An operation's `parse_response`: the output from a 2xx response, else the error the
/// response names.
pub(crate) fn parse_response(service: &Service, op: &Operation) -> TokenStream {
    match service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            json::parse_response(service, op)
        }
        Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml => {
            xml::parse_response(service, op)
        }
    }
}

/// How a structure is read from responses and written into requests.
pub(crate) fn structure_codecs(
    service: &Service,
    s: &Structure,
    result: Option<&str>,
) -> Vec<Part> {
    match service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            json::structure_codecs(s)
        }
        Protocol::AwsQuery | Protocol::Ec2Query => {
            // ec2Query's outputs are not wrapped in a result element.
            let wrap = (service.protocol == Protocol::AwsQuery).then_some(result);
            let mut out = xml::structure_codecs(s, wrap);
            out.extend(aws_query::structure_codecs(service, s));
            vec![Part::Tokens(out)]
        }
        Protocol::RestXml => vec![Part::Tokens(xml::rest_structure_codecs(s))],
    }
}

/// How a union is read and written.
pub(crate) fn union_codecs(service: &Service, u: &Union) -> TokenStream {
    match service.protocol {
        Protocol::RestJson1 | Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => json::union_codecs(u),
        Protocol::AwsQuery | Protocol::Ec2Query => {
            let mut out = xml::union_codecs(u);
            out.extend(aws_query::union_codecs(service, u));
            out
        }
        Protocol::RestXml => {
            let mut out = xml::union_codecs(u);
            out.extend(xml::union_write(u));
            out
        }
    }
}
