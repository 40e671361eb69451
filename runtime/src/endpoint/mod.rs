//! Endpoint resolution: an interpreter for the Smithy rules engine (`smithy.rules#endpointRuleSet`).
//!
//! A generated crate holds its service's rule set as static data ([`RuleSet`]): the generator
//! checks the rules, resolves every variable to a slot and splits every template string, so what
//! is left at run time is a small walk over the tree. One interpreter, written once, serves every
//! service; a generated crate adds only its data, not code.
//!
//! Rules are evaluated in order; a rule whose conditions all hold is selected: an endpoint rule
//! returns its [`Endpoint`], an error rule its message ([`EndpointError::Rule`]), and a tree rule
//! evaluates its own rules, which must then select one. Functions are the standard library
//! (`booleanEquals`, `stringEquals`, `isSet`, `not`, `getAttr`, `isValidHostLabel`, `parseURL`,
//! `substring`, `uriEncode`, `coalesce`) and the AWS one (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`).

mod functions;
mod partition;

pub use functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, substring,
    uri_encode, Arn, Url,
};
pub use partition::{Partition, PartitionError, PartitionOutputs, Partitions};

use crate::value::{Map, Value as Document};
use std::borrow::Cow;
use std::fmt;

/// A service's endpoint rule set, as the generator emits it.
#[derive(Debug)]
pub struct RuleSet {
    /// The parameters, in slot order: parameter `i` is slot `i`.
    pub parameters: &'static [Parameter],
    /// How many slots evaluation needs: the parameters, then every variable a condition assigns.
    pub slots: usize,
    /// The top-level rules.
    pub rules: &'static [Rule],
}

/// A rule set parameter.
#[derive(Debug)]
pub struct Parameter {
    /// Its name in the rule set, such as `Region`.
    pub name: &'static str,
    /// Whether resolution fails when it is not set (after its default).
    pub required: bool,
}

/// A rule: conditions, then what it selects.
#[derive(Debug)]
pub struct Rule {
    /// Conditions, all of which must hold, in order.
    pub conditions: &'static [Condition],
    /// What the rule selects.
    pub then: Then,
}

/// What a rule selects when its conditions hold.
#[derive(Debug)]
pub enum Then {
    /// An endpoint.
    Endpoint(EndpointRule),
    /// An error with this message (a string expression).
    Error(Expr),
    /// Nested rules, one of which must then match.
    Tree(&'static [Rule]),
}

/// The endpoint an endpoint rule builds.
#[derive(Debug)]
pub struct EndpointRule {
    /// The URL (a string expression).
    pub url: Expr,
    /// Properties, such as `authSchemes`.
    pub properties: &'static [(&'static str, Expr)],
    /// Headers to send, each with its values.
    pub headers: &'static [(&'static str, &'static [Expr])],
}

/// A condition: an expression that must be set and not `false`, optionally bound to a slot.
#[derive(Debug)]
pub struct Condition {
    /// The function call.
    pub expr: Expr,
    /// The slot its value is assigned to.
    pub assign: Option<usize>,
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    /// A string with no placeholders.
    Str(&'static str),
    /// A template string, already split into literal text and placeholders.
    Template(&'static [Part]),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(&'static [Expr]),
    /// An object (in endpoint properties).
    Record(&'static [(&'static str, Expr)]),
    /// A parameter or variable.
    Ref(usize),
    /// A value inside an object or array, by a parsed `getAttr` path.
    GetAttr(&'static Expr, &'static [Step]),
    /// A function call.
    Call(Function, &'static [Expr]),
}

/// A piece of a template string.
#[derive(Debug)]
pub enum Part {
    /// Literal text.
    Text(&'static str),
    /// A placeholder, `{Region}` or `{PartitionResult#dnsSuffix}`.
    Value(Expr),
}

/// A step of a `getAttr` path.
#[derive(Debug)]
pub enum Step {
    /// An object key.
    Key(&'static str),
    /// An array index.
    Index(usize),
}

/// The functions the interpreter knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `isSet(value)`.
    IsSet,
    /// `not(value)`.
    Not,
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel,
    /// `parseURL(value)`.
    ParseUrl,
    /// `substring(value, start, stop, reverse)`.
    Substring,
    /// `uriEncode(value)`.
    UriEncode,
    /// `coalesce(a, b, ...)`.
    Coalesce,
    /// `aws.partition(region)`.
    AwsPartition,
    /// `aws.parseArn(value)`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// The function for a rule-set name, such as `aws.partition`.
    pub fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "parseURL" => Function::ParseUrl,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "coalesce" => Function::Coalesce,
            "aws.partition" => Function::AwsPartition,
            "aws.parseArn" => Function::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::AwsIsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    /// How many arguments it takes: at least the first, at most the second.
    pub fn arity(self) -> (usize, usize) {
        match self {
            Function::IsSet
            | Function::Not
            | Function::ParseUrl
            | Function::UriEncode
            | Function::AwsPartition
            | Function::AwsParseArn => (1, 1),
            Function::BooleanEquals
            | Function::StringEquals
            | Function::IsValidHostLabel
            | Function::AwsIsVirtualHostableS3Bucket => (2, 2),
            Function::Substring => (4, 4),
            Function::Coalesce => (2, usize::MAX),
        }
    }
}

/// A parameter value given to [`RuleSet::resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Not set.
    Unset,
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StrArray(&'a [String]),
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(value: Option<&'a str>) -> Self {
        value.map_or(Arg::Unset, Arg::Str)
    }
}

impl From<Option<bool>> for Arg<'_> {
    fn from(value: Option<bool>) -> Self {
        value.map_or(Arg::Unset, Arg::Bool)
    }
}

impl From<bool> for Arg<'_> {
    fn from(value: bool) -> Self {
        Arg::Bool(value)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Str(value)
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL requests go to, such as `https://gameliftstreams.us-west-2.api.aws`.
    pub url: String,
    /// The endpoint's properties (such as `authSchemes`), as documents.
    pub properties: Map,
    /// Headers every request to this endpoint must carry.
    pub headers: std::collections::BTreeMap<String, Vec<String>>,
}

impl Endpoint {
    /// An endpoint with just a URL.
    pub fn from_url(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            properties: Map::new(),
            headers: Default::default(),
        }
    }

    /// The `authSchemes` entry named `scheme` (such as `sigv4`), if the endpoint has one.
    pub fn auth_scheme(&self, scheme: &str) -> Option<&Map> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .filter_map(Document::as_object)
            .find(|s| s.get("name").and_then(Document::as_str) == Some(scheme))
    }

    /// The names of the auth schemes the endpoint lists (`authSchemes`), in its order of
    /// preference; empty when it lists none.
    pub fn auth_schemes(&self) -> Vec<&str> {
        self.properties
            .get("authSchemes")
            .and_then(Document::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_object()?.get("name")?.as_str())
            .collect()
    }

    /// The SigV4 signing name this endpoint asks for (`authSchemes` → `sigv4` → `signingName`).
    pub fn signing_name(&self) -> Option<&str> {
        self.auth_scheme("sigv4")?.get("signingName")?.as_str()
    }

    /// The SigV4 signing region this endpoint asks for (`authSchemes` → `sigv4` → `signingRegion`).
    pub fn signing_region(&self) -> Option<&str> {
        self.auth_scheme("sigv4")?.get("signingRegion")?.as_str()
    }
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule set's own error for this configuration (its message, as the service wrote it).
    Rule(String),
    /// A required parameter has no value.
    MissingParameter(&'static str),
    /// No rule matched: the rule set does not cover this configuration.
    NoRuleMatched,
    /// The rule set is inconsistent (a bug in the model or in swage, never in the caller's input).
    Invalid(&'static str),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rule(message) => f.write_str(message),
            EndpointError::MissingParameter(name) => {
                write!(f, "endpoint parameter `{name}` is required but not set")
            }
            EndpointError::NoRuleMatched => {
                f.write_str("no endpoint rule matched these parameters")
            }
            EndpointError::Invalid(what) => write!(f, "the endpoint rule set is invalid: {what}"),
        }
    }
}

impl std::error::Error for EndpointError {}

/// A value during evaluation.
#[derive(Debug, Clone)]
enum Val<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Array(Vec<Val<'a>>),
    Record(Vec<(&'a str, Val<'a>)>),
    Partition(&'a PartitionOutputs),
    Url(Box<Url>),
    Arn(Box<Arn>),
}

impl<'a> Val<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn attr(&self, step: &Step) -> Option<Val<'a>> {
        match (self, step) {
            (Val::Array(items), Step::Index(i)) => items.get(*i).cloned(),
            (Val::Record(fields), Step::Key(k)) => fields
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone()),
            (Val::Partition(p), Step::Key(k)) => Some(match *k {
                "name" => Val::Str(Cow::Borrowed(&p.name)),
                "dnsSuffix" => Val::Str(Cow::Borrowed(&p.dns_suffix)),
                "dualStackDnsSuffix" => Val::Str(Cow::Borrowed(&p.dual_stack_dns_suffix)),
                "implicitGlobalRegion" => Val::Str(Cow::Borrowed(&p.implicit_global_region)),
                "supportsFIPS" => Val::Bool(p.supports_fips),
                "supportsDualStack" => Val::Bool(p.supports_dual_stack),
                _ => return None,
            }),
            (Val::Url(u), Step::Key(k)) => Some(match *k {
                "scheme" => Val::Str(Cow::Owned(u.scheme.clone())),
                "authority" => Val::Str(Cow::Owned(u.authority.clone())),
                "path" => Val::Str(Cow::Owned(u.path.clone())),
                "normalizedPath" => Val::Str(Cow::Owned(u.normalized_path.clone())),
                "isIp" => Val::Bool(u.is_ip),
                _ => return None,
            }),
            (Val::Arn(a), Step::Key(k)) => Some(match *k {
                "partition" => Val::Str(Cow::Owned(a.partition.clone())),
                "service" => Val::Str(Cow::Owned(a.service.clone())),
                "region" => Val::Str(Cow::Owned(a.region.clone())),
                "accountId" => Val::Str(Cow::Owned(a.account_id.clone())),
                "resourceId" => Val::Array(
                    a.resource_id
                        .iter()
                        .map(|s| Val::Str(Cow::Owned(s.clone())))
                        .collect(),
                ),
                _ => return None,
            }),
            _ => None,
        }
    }

    fn into_document(self) -> Document {
        match self {
            Val::Str(s) => Document::String(s.into_owned()),
            Val::Bool(b) => Document::Bool(b),
            Val::Int(i) => Document::from(i),
            Val::Array(items) => {
                Document::Array(items.into_iter().map(Val::into_document).collect())
            }
            Val::Record(fields) => Document::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into_document()))
                    .collect(),
            ),
            other => {
                // Structured values in properties: written out field by field.
                let keys: &[&'static str] = match &other {
                    Val::Partition(_) => &[
                        "name",
                        "dnsSuffix",
                        "dualStackDnsSuffix",
                        "implicitGlobalRegion",
                        "supportsFIPS",
                        "supportsDualStack",
                    ],
                    Val::Url(_) => &["scheme", "authority", "path", "normalizedPath", "isIp"],
                    _ => &["partition", "service", "region", "accountId", "resourceId"],
                };
                let fields = keys.iter().filter_map(|k| {
                    Some(((*k).to_owned(), other.attr(&Step::Key(k))?.into_document()))
                });
                Document::Object(fields.collect())
            }
        }
    }
}

struct Eval<'a> {
    slots: Vec<Option<Val<'a>>>,
    partitions: &'a Partitions,
}

impl RuleSet {
    /// Resolves the endpoint for `args` (one per parameter, in [`RuleSet::parameters`] order),
    /// with `partitions` for `aws.partition`.
    pub fn resolve(
        &self,
        args: &[Arg<'_>],
        partitions: &Partitions,
    ) -> Result<Endpoint, EndpointError> {
        if args.len() != self.parameters.len() || self.slots < args.len() {
            return Err(EndpointError::Invalid(
                "the number of parameters does not match the rule set",
            ));
        }
        let mut slots: Vec<Option<Val<'_>>> = Vec::with_capacity(self.slots);
        for (param, arg) in self.parameters.iter().zip(args) {
            let value = match *arg {
                Arg::Unset => None,
                Arg::Str(s) => Some(Val::Str(Cow::Borrowed(s))),
                Arg::Bool(b) => Some(Val::Bool(b)),
                Arg::StrArray(items) => Some(Val::Array(
                    items
                        .iter()
                        .map(|s| Val::Str(Cow::Borrowed(s.as_str())))
                        .collect(),
                )),
            };
            if param.required && value.is_none() {
                return Err(EndpointError::MissingParameter(param.name));
            }
            slots.push(value);
        }
        slots.resize(self.slots, None);
        let mut eval = Eval { slots, partitions };
        eval.rules(self.rules)?.ok_or(EndpointError::NoRuleMatched)
    }
}

impl<'a> Eval<'a> {
    /// The first rule that matches, `Ok(None)` if none does.
    fn rules(&mut self, rules: &'static [Rule]) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            let matched = self.conditions(rule.conditions);
            if matched {
                let result = match &rule.then {
                    Then::Endpoint(e) => self.endpoint(e).map(Some),
                    Then::Error(message) => {
                        Err(EndpointError::Rule(self.string(message)?.into_owned()))
                    }
                    // A tree is terminal: once its conditions hold, one of its rules must match.
                    Then::Tree(inner) => self
                        .rules(inner)?
                        .map(Some)
                        .ok_or(EndpointError::NoRuleMatched),
                };
                return result;
            }
            // Variables fall out of scope with the rule that assigned them.
            for c in rule.conditions {
                if let Some(slot) = c.assign {
                    if let Some(s) = self.slots.get_mut(slot) {
                        *s = None;
                    }
                }
            }
        }
        Ok(None)
    }

    fn conditions(&mut self, conditions: &'static [Condition]) -> bool {
        for c in conditions {
            let value = self.expr(&c.expr);
            let holds = match &value {
                None | Some(Val::Bool(false)) => false,
                Some(_) => true,
            };
            if !holds {
                return false;
            }
            if let Some(slot) = c.assign {
                match self.slots.get_mut(slot) {
                    Some(s) => *s = value,
                    None => return false,
                }
            }
        }
        true
    }

    fn endpoint(&mut self, e: &'static EndpointRule) -> Result<Endpoint, EndpointError> {
        let url = self.string(&e.url)?.into_owned();
        let mut properties = Map::new();
        for (name, value) in e.properties {
            let v = self.expr(value).ok_or(EndpointError::Invalid(
                "an endpoint property refers to a value that is not set",
            ))?;
            properties.insert((*name).to_owned(), v.into_document());
        }
        let mut headers = std::collections::BTreeMap::new();
        for (name, values) in e.headers {
            let mut list = Vec::with_capacity(values.len());
            for v in *values {
                list.push(self.string(v)?.into_owned());
            }
            headers.insert((*name).to_owned(), list);
        }
        Ok(Endpoint {
            url,
            properties,
            headers,
        })
    }

    /// A string-valued expression: URLs, error messages, header values.
    fn string(&mut self, e: &'static Expr) -> Result<Cow<'a, str>, EndpointError> {
        match self.expr(e) {
            Some(Val::Str(s)) => Ok(s),
            Some(_) => Err(EndpointError::Invalid(
                "a value used as a string is not a string",
            )),
            None => Err(EndpointError::Invalid(
                "a string refers to a value that is not set",
            )),
        }
    }

    fn expr(&mut self, e: &'static Expr) -> Option<Val<'a>> {
        Some(match e {
            Expr::Str(s) => Val::Str(Cow::Borrowed(s)),
            Expr::Template(parts) => {
                let mut out = String::new();
                for part in *parts {
                    match part {
                        Part::Text(t) => out.push_str(t),
                        Part::Value(v) => match self.expr(v)? {
                            Val::Str(s) => out.push_str(&s),
                            Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                            Val::Int(i) => out.push_str(&i.to_string()),
                            _ => return None,
                        },
                    }
                }
                Val::Str(Cow::Owned(out))
            }
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Int(i) => Val::Int(*i),
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in *items {
                    out.push(self.expr(item)?);
                }
                Val::Array(out)
            }
            Expr::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (name, value) in *fields {
                    out.push((*name, self.expr(value)?));
                }
                Val::Record(out)
            }
            Expr::Ref(slot) => self.slots.get(*slot)?.clone()?,
            Expr::GetAttr(target, path) => {
                let mut value = self.expr(target)?;
                for step in *path {
                    value = value.attr(step)?;
                }
                value
            }
            Expr::Call(function, args) => return self.call(*function, args),
        })
    }

    fn call(&mut self, function: Function, args: &'static [Expr]) -> Option<Val<'a>> {
        let arg = |i: usize| args.get(i);
        match function {
            Function::IsSet => Some(Val::Bool(self.expr(arg(0)?).is_some())),
            Function::Not => Some(Val::Bool(!self.expr(arg(0)?)?.as_bool()?)),
            Function::BooleanEquals => {
                let a = self.expr(arg(0)?)?.as_bool()?;
                let b = self.expr(arg(1)?)?.as_bool()?;
                Some(Val::Bool(a == b))
            }
            Function::StringEquals => {
                let a = self.expr(arg(0)?)?;
                let b = self.expr(arg(1)?)?;
                Some(Val::Bool(a.as_str()? == b.as_str()?))
            }
            Function::IsValidHostLabel => {
                let value = self.expr(arg(0)?)?;
                let sub = self.expr(arg(1)?)?.as_bool()?;
                Some(Val::Bool(is_valid_host_label(value.as_str()?, sub)))
            }
            Function::AwsIsVirtualHostableS3Bucket => {
                let value = self.expr(arg(0)?)?;
                let sub = self.expr(arg(1)?)?.as_bool()?;
                Some(Val::Bool(is_virtual_hostable_s3_bucket(
                    value.as_str()?,
                    sub,
                )))
            }
            Function::ParseUrl => Some(Val::Url(Box::new(parse_url(
                self.expr(arg(0)?)?.as_str()?,
            )?))),
            Function::AwsParseArn => Some(Val::Arn(Box::new(parse_arn(
                self.expr(arg(0)?)?.as_str()?,
            )?))),
            Function::UriEncode => Some(Val::Str(Cow::Owned(uri_encode(
                self.expr(arg(0)?)?.as_str()?,
            )))),
            Function::Substring => {
                let value = self.expr(arg(0)?)?;
                let (Val::Int(start), Val::Int(stop)) = (self.expr(arg(1)?)?, self.expr(arg(2)?)?)
                else {
                    return None;
                };
                let reverse = self.expr(arg(3)?)?.as_bool()?;
                let start = usize::try_from(start).ok()?;
                let stop = usize::try_from(stop).ok()?;
                Some(Val::Str(Cow::Owned(
                    substring(value.as_str()?, start, stop, reverse)?.to_owned(),
                )))
            }
            Function::Coalesce => {
                let (last, rest) = args.split_last()?;
                for a in rest {
                    if let Some(v) = self.expr(a) {
                        return Some(v);
                    }
                }
                self.expr(last)
            }
            Function::AwsPartition => {
                let region = self.expr(arg(0)?)?;
                let partitions = self.partitions;
                partitions.resolve(region.as_str()?).map(Val::Partition)
            }
        }
    }
}

#[cfg(test)]
mod tests;
