//! What single AWS services require beyond their models, in one place, keyed by the service's
//! shape id. Every AWS SDK applies the same customizations; the model alone does not describe
//! them. Lowering asks the hooks below and records the answers in the IR as protocol-neutral
//! facts (a fixed header, a default for an empty label, a host taken from the input, extra
//! checksums); nothing else in the generator names a service.
//!
//! | service | shape id | what |
//! | --- | --- | --- |
//! | Glacier | `com.amazonaws.glacier#Glacier` | `X-Amz-Glacier-Version` on every request; `-` for an empty `accountId` label; SHA-256 and tree-hash headers on uploads |
//! | API Gateway | `com.amazonaws.apigateway#BackplaneControlService` | `Accept: application/json` on every request |
//! | Machine Learning | `com.amazonaws.machinelearning#AmazonML_20141212` | `Predict` goes to the host of its `PredictEndpoint` input |

use crate::ir::RequestChecksums;
use crate::model::{Shape, ShapeId};

/// A service's customization.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Customization {
    /// The model says it all.
    #[default]
    None,
    /// Glacier, with its API version.
    Glacier {
        /// The service's `version`: the value of `X-Amz-Glacier-Version`.
        version: String,
    },
    /// API Gateway.
    ApiGateway,
    /// Machine Learning.
    MachineLearning,
}

impl Customization {
    /// The customization of `service`.
    pub fn of(service: &Shape) -> Customization {
        match service.id.to_string().as_str() {
            "com.amazonaws.glacier#Glacier" => Customization::Glacier {
                version: service
                    .service
                    .as_ref()
                    .and_then(|s| s.version.clone())
                    .unwrap_or_default(),
            },
            "com.amazonaws.apigateway#BackplaneControlService" => Customization::ApiGateway,
            "com.amazonaws.machinelearning#AmazonML_20141212" => Customization::MachineLearning,
            _ => Customization::None,
        }
    }

    /// Headers every request carries.
    pub fn static_headers(&self) -> Vec<(String, String)> {
        match self {
            Customization::Glacier { version } => {
                vec![("x-amz-glacier-version".to_owned(), version.clone())]
            }
            Customization::ApiGateway => {
                vec![("accept".to_owned(), "application/json".to_owned())]
            }
            Customization::None | Customization::MachineLearning => Vec::new(),
        }
    }

    /// The text sent for URI label `label` when the input leaves it empty.
    pub fn empty_label_default(&self, label: &str) -> Option<String> {
        match self {
            Customization::Glacier { .. } if label == "accountId" => Some("-".to_owned()),
            _ => None,
        }
    }

    /// Checksums the operation's requests carry beyond the model's: Glacier's uploads (an
    /// input with a payload and an `x-amz-sha256-tree-hash` header member).
    pub fn request_checksums(&self, input: Option<&Shape>) -> Option<RequestChecksums> {
        let Customization::Glacier { .. } = self else {
            return None;
        };
        let input = input?;
        let uploads = input.members.iter().any(|m| m.traits.http_payload)
            && input.members.iter().any(|m| {
                m.traits
                    .http_header
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case("x-amz-sha256-tree-hash"))
            });
        uploads.then_some(RequestChecksums::GlacierTreeHash)
    }

    /// The input member (by its name in the model) whose URL gives the host operation `op`'s
    /// requests go to.
    pub fn host_from(&self, op: &ShapeId, input: Option<&Shape>) -> Option<&'static str> {
        match self {
            Customization::MachineLearning
                if op.name == "Predict"
                    && input.is_some_and(|i| i.member("PredictEndpoint").is_some()) =>
            {
                Some("PredictEndpoint")
            }
            _ => None,
        }
    }
}
