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
//! | STS | `com.amazonaws.sts#AWSSecurityTokenServiceV20110615` | the client module gets `AssumeRoleProvider` and `WebIdentityProvider`: credentials of a role assumed through the generated `AssumeRole` and `AssumeRoleWithWebIdentity`, cached and refreshed before they expire; `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML` are sent unsigned |
//! | Route 53 | `com.amazonaws.route53#AWSDnsV20130401` | ids in URI labels lose the `/hostedzone/`, `/change/` and `/delegationset/` prefixes its responses give them |
//! | S3 | `com.amazonaws.s3#AmazonS3` | the `{Bucket}` label leaves the path when the endpoint rules place the bucket (virtual-hosted or path style); requests sign without path normalisation and with `x-amz-content-sha256`; a `200 OK` whose body is an `<Error>` is an error; `Expires` is read leniently; object calls can be presigned |

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
    /// S3.
    S3,
    /// Route 53.
    Route53,
    /// STS.
    Sts,
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
            "com.amazonaws.s3#AmazonS3" => Customization::S3,
            "com.amazonaws.route53#AWSDnsV20130401" => Customization::Route53,
            "com.amazonaws.sts#AWSSecurityTokenServiceV20110615" => Customization::Sts,
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
            Customization::None
            | Customization::MachineLearning
            | Customization::S3
            | Customization::Route53
            | Customization::Sts => Vec::new(),
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

    /// Whether the leading `{label}` of an operation's URI leaves the path because the
    /// endpoint rules put its value in the URL themselves (`binds` says the operation binds the
    /// rule-set parameter of the same name): S3's `{Bucket}`, which the rules make a virtual
    /// host (`bucket.s3.region.amazonaws.com`) or a path-style prefix
    /// (`s3.region.amazonaws.com/bucket`), as the S3 customizations' spec says.
    pub fn label_in_endpoint(&self, label: &str, binds: bool) -> bool {
        matches!(self, Customization::S3) && label == "Bucket" && binds
    }

    /// Whether requests are signed as S3 wants: the path as sent, without normalisation, and
    /// the payload hash in `x-amz-content-sha256`.
    pub fn s3_signing(&self) -> bool {
        matches!(self, Customization::S3)
    }

    /// Prefixes taken off a URI label's value whose member targets the shape named `target`:
    /// Route 53's responses give ids as `/hostedzone/Z1D633PJN98FT9` (and `/change/...`,
    /// `/delegationset/...`), its paths take them bare; the AWS SDKs trim them so that an id
    /// read from a response can be passed back as it is.
    pub fn label_prefixes(&self, target: Option<&str>) -> Vec<String> {
        match (self, target) {
            (Customization::Route53, Some("ResourceId" | "ChangeId" | "DelegationSetId")) => {
                ["/hostedzone/", "/change/", "/delegationset/"]
                    .map(str::to_owned)
                    .to_vec()
            }
            _ => Vec::new(),
        }
    }

    /// Whether operation `op` is sent unsigned although the model does not say so: STS's
    /// `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML`, whose caller has no AWS
    /// credentials yet (the AWS SDKs send them without a signature).
    pub fn unsigned(&self, op: &str) -> bool {
        matches!(self, Customization::Sts)
            && matches!(op, "AssumeRoleWithWebIdentity" | "AssumeRoleWithSAML")
    }

    /// Whether the client module offers an assume-role credentials provider over the service's
    /// own `AssumeRole` (STS).
    pub fn assume_role_provider(&self) -> bool {
        matches!(self, Customization::Sts)
    }

    /// Whether calls of operation `op` can be presigned (a URL for a plain HTTP client): S3's
    /// object reads and writes, as the AWS SDKs offer.
    pub fn presignable(&self, op: &str) -> bool {
        matches!(self, Customization::S3)
            && matches!(
                op,
                "GetObject" | "PutObject" | "HeadObject" | "DeleteObject" | "UploadPart"
            )
    }

    /// Whether a `200 OK` response whose body is an `<Error>` element is an error (S3's
    /// `CopyObject`, `UploadPartCopy` and `CompleteMultipartUpload` answer so).
    pub fn errors_in_ok(&self) -> bool {
        matches!(self, Customization::S3)
    }

    /// Whether the `@httpHeader` timestamp `header` of an output is read leniently: a value
    /// that does not parse is left unset instead of failing the response (S3's `Expires`,
    /// which holds whatever the uploader set).
    pub fn lenient_header(&self, header: &str) -> bool {
        matches!(self, Customization::S3) && header.eq_ignore_ascii_case("expires")
    }
}
