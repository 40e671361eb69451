//! Which protocol a service speaks, decided once, from its protocol traits.
//!
//! A protocol trait is one of the AWS and Smithy protocols below, or any trait whose definition
//! in the model carries `@protocolDefinition`. When a service lists several, the one the AWS
//! SDKs prefer is used ([`PREFERENCE`]: `rpcv2Cbor`, `awsJson1_0`, `awsJson1_1`, `restJson1`,
//! `restXml`, `awsQuery`, `ec2Query`), among those swage supports. A service without a
//! protocol trait, or with only protocols swage does not support, is a model error: swage
//! never generates a client for a protocol other than the service's.

use crate::diagnostics::Reporter;
use crate::model::{Model, Shape, ShapeId};

/// A protocol swage generates clients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: HTTP bindings and JSON bodies.
    RestJson1,
    /// `aws.protocols#awsJson1_0`: JSON-RPC, `POST /` with `X-Amz-Target`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: as 1.0, with its own content type.
    AwsJson1_1,
    /// `aws.protocols#awsQuery`: form-encoded `POST /` naming the `Action`; XML responses.
    AwsQuery,
    /// `aws.protocols#ec2Query`: as awsQuery, with EC2's key names, flat lists, and
    /// responses without a result wrapper.
    Ec2Query,
    /// `aws.protocols#restXml`: HTTP bindings and XML bodies.
    RestXml,
}

impl Protocol {
    /// The protocol trait's shape id.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::AwsQuery => "aws.protocols#awsQuery",
            Protocol::Ec2Query => "aws.protocols#ec2Query",
            Protocol::RestXml => "aws.protocols#restXml",
        }
    }

    /// The protocol's name, as in its trait (`restJson1`).
    pub fn name(self) -> &'static str {
        let id = self.trait_id();
        id.split_once('#').map_or(id, |(_, name)| name)
    }

    fn from_trait(id: &str) -> Option<Protocol> {
        match id {
            "aws.protocols#restJson1" => Some(Protocol::RestJson1),
            "aws.protocols#awsJson1_0" => Some(Protocol::AwsJson1_0),
            "aws.protocols#awsJson1_1" => Some(Protocol::AwsJson1_1),
            "aws.protocols#awsQuery" => Some(Protocol::AwsQuery),
            "aws.protocols#ec2Query" => Some(Protocol::Ec2Query),
            "aws.protocols#restXml" => Some(Protocol::RestXml),
            _ => None,
        }
    }

    /// Whether clients of this protocol are complete enough to generate for users. A protocol
    /// being built (restXml) is generated only for its protocol test suite (see
    /// [`crate::Options`]).
    pub fn finished(self) -> bool {
        match self {
            Protocol::RestJson1
            | Protocol::AwsJson1_0
            | Protocol::AwsJson1_1
            | Protocol::AwsQuery
            | Protocol::Ec2Query
            | Protocol::RestXml => true,
        }
    }

    /// Whether the protocol's bodies are XML.
    pub fn is_xml(self) -> bool {
        matches!(
            self,
            Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml
        )
    }

    /// Whether the protocol is one of the query protocols (form bodies, XML responses).
    pub fn is_query(self) -> bool {
        matches!(self, Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// Whether the protocol is RPC: every request is `POST /`, HTTP binding traits are
    /// ignored, every member travels in the body under its member name.
    pub fn is_rpc(self) -> bool {
        matches!(
            self,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::AwsQuery | Protocol::Ec2Query
        )
    }

    /// The `Content-Type` of an RPC protocol's requests.
    pub fn rpc_content_type(self) -> Option<&'static str> {
        match self {
            Protocol::RestJson1 | Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml => {
                None
            }
            Protocol::AwsJson1_0 => Some("application/x-amz-json-1.0"),
            Protocol::AwsJson1_1 => Some("application/x-amz-json-1.1"),
        }
    }
}

/// The protocols AWS SDKs know, most preferred first: the order a service's protocols are
/// chosen in when it lists several.
pub const PREFERENCE: &[&str] = &[
    "smithy.protocols#rpcv2Cbor",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.protocols#restXml",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
];

/// The protocols swage supports, by trait id.
pub fn supported() -> Vec<&'static str> {
    PREFERENCE
        .iter()
        .copied()
        .filter(|id| Protocol::from_trait(id).is_some_and(Protocol::finished))
        .collect()
}

/// The protocol traits on `service`: the known ones, and any trait defined in the model with
/// `@protocolDefinition`.
pub fn protocol_traits(model: &Model, service: &Shape) -> Vec<String> {
    let mut found: Vec<String> = service
        .traits
        .raw
        .keys()
        .filter(|id| {
            PREFERENCE.contains(&id.as_str())
                || ShapeId::parse(id)
                    .ok()
                    .and_then(|sid| model.shape(&sid))
                    .is_some_and(|def| def.traits.raw.contains_key("smithy.api#protocolDefinition"))
        })
        .cloned()
        .collect();
    found.sort();
    found
}

/// Decides `service`'s protocol, or reports why there is none swage can generate.
pub fn decide(
    model: &Model,
    service: &Shape,
    unfinished: bool,
    report: &mut Reporter,
) -> Option<Protocol> {
    let found = protocol_traits(model, service);
    let chosen = PREFERENCE
        .iter()
        .filter(|id| found.iter().any(|f| f == *id))
        .find_map(|id| Protocol::from_trait(id).filter(|p| unfinished || p.finished()));
    if chosen.is_some() {
        return chosen;
    }
    let sid = service.id.to_string();
    let supported = supported().join(", ");
    if found.is_empty() {
        report.error(
            Some(&sid),
            None,
            "the service has no protocol trait, so there is no way to call it",
            format!("add the protocol the service speaks; swage supports: {supported}"),
        );
    } else {
        report.error(
            Some(&sid),
            None,
            format!(
                "the service speaks {}, which swage does not generate clients for (yet)",
                found
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            format!(
                "swage supports: {supported}; nothing is generated rather than a client for the wrong protocol"
            ),
        );
    }
    None
}
