//! AWS partitions for `aws.partition`: which partition a region is in, and that partition's DNS
//! suffixes and FIPS/dual-stack support.
//!
//! [`Partitions::builtin`] is swage's own copy of AWS's partition data; a new region in a known
//! partition already resolves through the partition's region pattern. Users who need newer data
//! load a `partitions.json` file (the format AWS publishes) with [`Partitions::from_json`].

use crate::value::{self, Value};
use std::fmt;
use std::sync::OnceLock;

/// What `aws.partition` returns for a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// The partition's name, such as `aws-cn`.
    pub name: String,
    /// The DNS suffix, such as `amazonaws.com`.
    pub dns_suffix: String,
    /// The dual-stack DNS suffix, such as `api.aws`.
    pub dual_stack_dns_suffix: String,
    /// The region global endpoints are in.
    pub implicit_global_region: String,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
}

/// One partition.
#[derive(Debug, Clone)]
pub struct Partition {
    /// The partition id, such as `aws`.
    pub id: String,
    /// The pattern region names of this partition match (the source, as in the data).
    pub region_regex: String,
    regex: regex_lite::Regex,
    /// The partition's regions by name, each with its outputs (the partition's, with the
    /// region's overrides applied).
    pub regions: Vec<(String, PartitionOutputs)>,
    /// The partition's outputs.
    pub outputs: PartitionOutputs,
}

impl PartialEq for Partition {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.region_regex == other.region_regex
            && self.regions == other.regions
            && self.outputs == other.outputs
    }
}

/// A set of partitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Partitions {
    /// In the data's order, which is the order patterns are tried in.
    pub partitions: Vec<Partition>,
}

/// Why a partitions file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionError(String);

impl fmt::Display for PartitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid partitions data: {}", self.0)
    }
}

impl std::error::Error for PartitionError {}

struct Builtin {
    id: &'static str,
    region_regex: &'static str,
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    implicit_global_region: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
    regions: &'static [&'static str],
}

/// AWS's partitions (partition data version 1.1, as of April 2025).
const BUILTIN: &[Builtin] = &[
    Builtin {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il)\-\w+\-\d+$",
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        implicit_global_region: "us-east-1",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    Builtin {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        implicit_global_region: "cn-northwest-1",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
    },
    Builtin {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        implicit_global_region: "us-gov-west-1",
        supports_fips: true,
        supports_dual_stack: true,
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
    },
    Builtin {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "c2s.ic.gov",
        implicit_global_region: "us-iso-east-1",
        supports_fips: true,
        supports_dual_stack: false,
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
    },
    Builtin {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "sc2s.sgov.gov",
        implicit_global_region: "us-isob-east-1",
        supports_fips: true,
        supports_dual_stack: false,
        regions: &["aws-iso-b-global", "us-isob-east-1"],
    },
    Builtin {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "cloud.adc-e.uk",
        implicit_global_region: "eu-isoe-west-1",
        supports_fips: true,
        supports_dual_stack: false,
        regions: &["eu-isoe-west-1"],
    },
    Builtin {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "csp.hci.ic.gov",
        implicit_global_region: "us-isof-south-1",
        supports_fips: true,
        supports_dual_stack: false,
        regions: &[],
    },
];

fn compile(id: &str, source: &str) -> Result<regex_lite::Regex, PartitionError> {
    regex_lite::Regex::new(source).map_err(|e| {
        PartitionError(format!(
            "partition `{id}`: `regionRegex` `{source}` is not a valid pattern: {e}"
        ))
    })
}

impl Partitions {
    /// swage's built-in partition data.
    pub fn builtin() -> &'static Partitions {
        static BUILT: OnceLock<Partitions> = OnceLock::new();
        BUILT.get_or_init(|| {
            let partitions = BUILTIN
                .iter()
                .filter_map(|b| {
                    let outputs = PartitionOutputs {
                        name: b.name.to_owned(),
                        dns_suffix: b.dns_suffix.to_owned(),
                        dual_stack_dns_suffix: b.dual_stack_dns_suffix.to_owned(),
                        implicit_global_region: b.implicit_global_region.to_owned(),
                        supports_fips: b.supports_fips,
                        supports_dual_stack: b.supports_dual_stack,
                    };
                    // The built-in patterns are tested to compile; one that didn't would only
                    // lose its partition's pattern matching, never panic.
                    let regex = compile(b.id, b.region_regex).ok()?;
                    Some(Partition {
                        id: b.id.to_owned(),
                        region_regex: b.region_regex.to_owned(),
                        regex,
                        regions: b
                            .regions
                            .iter()
                            .map(|r| ((*r).to_owned(), outputs.clone()))
                            .collect(),
                        outputs,
                    })
                })
                .collect();
            Partitions { partitions }
        })
    }

    /// Reads partition data in AWS's `partitions.json` format: `{"partitions": [{"id",
    /// "regionRegex", "regions": {name: {overrides}}, "outputs": {...}}], "version"}`.
    pub fn from_json(text: &str) -> Result<Partitions, PartitionError> {
        let doc = value::parse(text.as_bytes()).map_err(|e| PartitionError(e.to_string()))?;
        let list = doc
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| PartitionError("expected an object with a `partitions` array".into()))?;
        let mut partitions = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let id = p
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| PartitionError(format!("partition {i} has no string `id`")))?;
            let region_regex = p
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    PartitionError(format!("partition `{id}` has no string `regionRegex`"))
                })?;
            let outputs = p
                .get("outputs")
                .ok_or_else(|| PartitionError(format!("partition `{id}` has no `outputs`")))?;
            let outputs = read_outputs(id, outputs, None)?;
            let mut regions = Vec::new();
            if let Some(map) = p.get("regions").and_then(Value::as_object) {
                for (name, overrides) in map {
                    regions.push((name.clone(), read_outputs(id, overrides, Some(&outputs))?));
                }
            }
            partitions.push(Partition {
                id: id.to_owned(),
                region_regex: region_regex.to_owned(),
                regex: compile(id, region_regex)?,
                regions,
                outputs,
            });
        }
        Ok(Partitions { partitions })
    }

    /// The partition of `region`: the one that lists it, else the first whose pattern matches,
    /// else the `aws` partition (so that unknown regions still get endpoints, as AWS specifies).
    pub fn resolve(&self, region: &str) -> Option<&PartitionOutputs> {
        for p in &self.partitions {
            if let Some((_, outputs)) = p.regions.iter().find(|(name, _)| name == region) {
                return Some(outputs);
            }
        }
        if let Some(p) = self.partitions.iter().find(|p| p.regex.is_match(region)) {
            return Some(&p.outputs);
        }
        self.partitions
            .iter()
            .find(|p| p.id == "aws")
            .map(|p| &p.outputs)
    }
}

/// A partition's `outputs` (every field required), or a region's overrides of `base`.
fn read_outputs(
    id: &str,
    v: &Value,
    base: Option<&PartitionOutputs>,
) -> Result<PartitionOutputs, PartitionError> {
    if v.as_object().is_none() {
        return Err(PartitionError(format!(
            "partition `{id}`: expected an object of outputs"
        )));
    }
    let string = |key: &str, fallback: Option<&String>| -> Result<String, PartitionError> {
        match v.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(PartitionError(format!(
                "partition `{id}`: `{key}` must be a string"
            ))),
            None => fallback.cloned().ok_or_else(|| {
                PartitionError(format!("partition `{id}`: outputs have no `{key}`"))
            }),
        }
    };
    let boolean = |key: &str, fallback: Option<bool>| -> Result<bool, PartitionError> {
        match v.get(key) {
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(PartitionError(format!(
                "partition `{id}`: `{key}` must be a boolean"
            ))),
            None => fallback.ok_or_else(|| {
                PartitionError(format!("partition `{id}`: outputs have no `{key}`"))
            }),
        }
    };
    Ok(PartitionOutputs {
        name: string("name", base.map(|b| &b.name))?,
        dns_suffix: string("dnsSuffix", base.map(|b| &b.dns_suffix))?,
        dual_stack_dns_suffix: string(
            "dualStackDnsSuffix",
            base.map(|b| &b.dual_stack_dns_suffix),
        )?,
        implicit_global_region: string(
            "implicitGlobalRegion",
            base.map(|b| &b.implicit_global_region),
        )?,
        supports_fips: boolean("supportsFIPS", base.map(|b| b.supports_fips))?,
        supports_dual_stack: boolean("supportsDualStack", base.map(|b| b.supports_dual_stack))?,
    })
}
