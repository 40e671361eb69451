//! Typed views of the traits swage understands, read once from the raw trait map. A trait value
//! of the wrong shape is reported (with what the trait expects) and then treated as absent.

use crate::ast::TraitMap;
use serde_json::Value;

/// `@error`: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `"client"`.
    Client,
    /// `"server"`.
    Server,
}

/// `@http` on an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    /// The HTTP method.
    pub method: String,
    /// The URI pattern, such as `/things/{Id}`.
    pub uri: String,
    /// The success status code (default 200).
    pub code: u16,
}

/// `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339.
    DateTime,
    /// RFC 7231 IMF-fixdate.
    HttpDate,
    /// Seconds since the epoch, possibly fractional.
    EpochSeconds,
}

/// An enum member's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// A numeric bound of `@range`, kept both as a number and as the model wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The bound as a number.
    pub value: f64,
    /// The bound as written, for messages.
    pub text: String,
}

/// The traits swage reads, typed.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct Traits {
    pub documentation: Option<String>,
    pub title: Option<String>,
    pub required: bool,
    pub sensitive: bool,
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<Bound>, Option<Bound>)>,
    pub pattern: Option<String>,
    pub unique_items: bool,
    pub http: Option<Http>,
    pub http_label: bool,
    pub host_label: bool,
    /// `@endpoint(hostPrefix)`.
    pub host_prefix: Option<String>,
    pub http_query: Option<String>,
    pub http_header: Option<String>,
    pub http_payload: bool,
    pub http_response_code: bool,
    pub http_error: Option<u16>,
    pub error: Option<Fault>,
    /// `@retryable`, with its `throttling` flag.
    pub retryable: Option<bool>,
    pub json_name: Option<String>,
    pub enum_value: Option<EnumValue>,
    pub default: Option<Value>,
    pub client_optional: bool,
    pub idempotency_token: bool,
    pub streaming: bool,
    pub sparse: bool,
    pub mixin: bool,
    pub timestamp_format: Option<TimestampFormat>,
    /// `@deprecated`, with its message.
    pub deprecated: Option<Option<String>>,
    /// `aws.auth#sigv4` name.
    pub sigv4_name: Option<String>,
    /// `aws.api#service` sdkId.
    pub sdk_id: Option<String>,
    /// Every trait as written, for what has no typed view yet.
    pub raw: TraitMap,
}

const API: &str = "smithy.api#";

impl Traits {
    /// Reads `raw`; each problem is returned as (trait id, what is wrong).
    pub fn parse(raw: &TraitMap) -> (Traits, Vec<(String, String)>) {
        let mut t = Traits {
            raw: raw.clone(),
            ..Traits::default()
        };
        let mut problems = Vec::new();
        for (id, value) in raw {
            if let Err(problem) = t.read(id, value) {
                problems.push((id.clone(), problem));
            }
        }
        (t, problems)
    }

    fn read(&mut self, id: &str, v: &Value) -> Result<(), String> {
        let Some(name) = id.strip_prefix(API) else {
            match id {
                "aws.auth#sigv4" => self.sigv4_name = Some(string(field(v, "name")?)?),
                "aws.api#service" => self.sdk_id = Some(string(field(v, "sdkId")?)?),
                _ => {}
            }
            return Ok(());
        };
        match name {
            "documentation" => self.documentation = Some(string(v)?),
            "title" => self.title = Some(string(v)?),
            "required" => self.required = annotation(v)?,
            "sensitive" => self.sensitive = annotation(v)?,
            "uniqueItems" => self.unique_items = annotation(v)?,
            "httpLabel" => self.http_label = annotation(v)?,
            "hostLabel" => self.host_label = annotation(v)?,
            "endpoint" => self.host_prefix = Some(string(field(v, "hostPrefix")?)?),
            "httpPayload" => self.http_payload = annotation(v)?,
            "httpResponseCode" => self.http_response_code = annotation(v)?,
            "clientOptional" => self.client_optional = annotation(v)?,
            "idempotencyToken" => self.idempotency_token = annotation(v)?,
            "streaming" => self.streaming = annotation(v)?,
            "sparse" => self.sparse = annotation(v)?,
            "mixin" => self.mixin = v.is_object().then_some(true).ok_or("expected an object")?,
            "length" => {
                let min = optional_u64(v, "min")?;
                let max = optional_u64(v, "max")?;
                if let (Some(a), Some(b)) = (min, max) {
                    if a > b {
                        return Err(format!("`min` ({a}) is greater than `max` ({b})"));
                    }
                }
                self.length = Some((min, max));
            }
            "range" => {
                let min = optional_bound(v, "min")?;
                let max = optional_bound(v, "max")?;
                if let (Some(a), Some(b)) = (&min, &max) {
                    if a.value > b.value {
                        return Err(format!(
                            "`min` ({}) is greater than `max` ({})",
                            a.text, b.text
                        ));
                    }
                }
                self.range = Some((min, max));
            }
            "pattern" => self.pattern = Some(string(v)?),
            "http" => {
                let method = string(field(v, "method")?)?;
                let uri = string(field(v, "uri")?)?;
                let code = match v.get("code") {
                    None => 200,
                    Some(c) => status(c)?,
                };
                if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(format!(
                        "`method` `{method}` is not an HTTP method such as \"GET\""
                    ));
                }
                if !uri.starts_with('/') {
                    return Err(format!("`uri` `{uri}` does not start with `/`"));
                }
                self.http = Some(Http { method, uri, code });
            }
            "httpError" => self.http_error = Some(status(v)?),
            "error" => {
                self.error = Some(match v.as_str() {
                    Some("client") => Fault::Client,
                    Some("server") => Fault::Server,
                    _ => return Err("expected \"client\" or \"server\"".into()),
                })
            }
            "retryable" => {
                let throttling = match v.get("throttling") {
                    None => false,
                    Some(t) => t.as_bool().ok_or("`throttling` must be a boolean")?,
                };
                if !v.is_object() {
                    return Err("expected an object".into());
                }
                self.retryable = Some(throttling);
            }
            "httpQuery" => self.http_query = Some(non_empty(v)?),
            "httpHeader" => self.http_header = Some(non_empty(v)?),
            "jsonName" => self.json_name = Some(string(v)?),
            "enumValue" => {
                self.enum_value = Some(match v {
                    Value::String(s) => EnumValue::String(s.clone()),
                    Value::Number(n) => EnumValue::Int(n.as_i64().ok_or("expected an integer")?),
                    _ => return Err("expected a string or an integer".into()),
                })
            }
            "default" => self.default = Some(v.clone()),
            "timestampFormat" => {
                self.timestamp_format = Some(match v.as_str() {
                    Some("date-time") => TimestampFormat::DateTime,
                    Some("http-date") => TimestampFormat::HttpDate,
                    Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                    _ => {
                        return Err(
                            "expected \"date-time\", \"http-date\" or \"epoch-seconds\"".into()
                        )
                    }
                })
            }
            "deprecated" => {
                let message = match v.get("message") {
                    None => None,
                    Some(m) => Some(string(m)?),
                };
                if !v.is_object() {
                    return Err("expected an object".into());
                }
                self.deprecated = Some(message);
            }
            _ => {}
        }
        Ok(())
    }
}

fn field<'a>(v: &'a Value, key: &str) -> Result<&'a Value, String> {
    v.get(key)
        .ok_or_else(|| format!("expected an object with `{key}`"))
}

fn string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| "expected a string".to_owned())
}

fn non_empty(v: &Value) -> Result<String, String> {
    let s = string(v)?;
    if s.is_empty() {
        return Err("expected a non-empty string".into());
    }
    Ok(s)
}

fn annotation(v: &Value) -> Result<bool, String> {
    // Annotation traits are `{}`; `true` is accepted too, as older tools wrote it.
    match v {
        Value::Object(_) | Value::Bool(true) => Ok(true),
        _ => Err("expected an object (`{}`)".into()),
    }
}

fn status(v: &Value) -> Result<u16, String> {
    match v.as_u64() {
        Some(code @ 100..=599) => Ok(code as u16),
        _ => Err(format!(
            "expected an HTTP status code between 100 and 599, found {v}"
        )),
    }
}

fn optional_u64(v: &Value, key: &str) -> Result<Option<u64>, String> {
    if !v.is_object() {
        return Err("expected an object".into());
    }
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a non-negative integer, found {n}")),
    }
}

fn optional_bound(v: &Value, key: &str) -> Result<Option<Bound>, String> {
    if !v.is_object() {
        return Err("expected an object".into());
    }
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(Bound {
            value: n.as_f64().unwrap_or(f64::NAN),
            text: n.to_string(),
        })),
        Some(other) => Err(format!("`{key}` must be a number, found {other}")),
    }
}
