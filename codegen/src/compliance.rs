//! Protocol compliance tests: the model's `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` cases, lowered into [`ir::Compliance`] so the emitter can
//! write one `#[test]` per case into the generated crate.
//!
//! Each case's `params` are typed here against the IR (the Rust field, setter and type of every
//! member), so the emitted test builds its input or expected output through the same public
//! builders users call. A case that cannot be expressed (it names a member the operation does
//! not have, say) is not dropped silently: it becomes a skip with its reason.

use crate::ir::{self, CaseValue, Compliance, ComplianceCase, Type, TypePath};
use crate::model::{Model, ShapeId};
use crate::naming;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Lowers every client-side case of the operations and errors in `krate`.
pub fn lower(model: &Model, krate: &ir::Crate, dependency: &str) -> Compliance {
    let l = Lowering {
        krate,
        structures: krate.structures.iter().map(|s| (&s.path, s)).collect(),
        unions: krate.unions.iter().map(|u| (&u.path, u)).collect(),
    };
    let protocol = krate.service.protocol.trait_id();
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    let mut names = BTreeMap::new();
    for (index, op) in krate.operations.iter().enumerate() {
        let Some(shape) = ShapeId::parse(&op.shape_id)
            .ok()
            .and_then(|id| model.shape(&id))
        else {
            continue;
        };
        for case in client_cases(
            protocol,
            shape.traits.raw.get("smithy.test#httpRequestTests"),
        ) {
            let id = case_id(case);
            match l.request(index, case) {
                Ok(kind) => cases.push(l.case(&mut names, "request", id, case, kind)),
                Err(reason) => skipped.push((id.to_owned(), reason)),
            }
        }
        for case in client_cases(
            protocol,
            shape.traits.raw.get("smithy.test#httpResponseTests"),
        ) {
            let id = case_id(case);
            match l.response(index, None, case) {
                Ok(kind) => cases.push(l.case(&mut names, "response", id, case, kind)),
                Err(reason) => skipped.push((id.to_owned(), reason)),
            }
        }
    }
    // Error cases run against the first operation (in the crate's order) that can return the
    // error, so each case runs once.
    for s in krate
        .structures
        .iter()
        .filter(|s| s.role == ir::Role::Error)
    {
        let Some(shape) = ShapeId::parse(&s.shape_id)
            .ok()
            .and_then(|id| model.shape(&id))
        else {
            continue;
        };
        let cases_here: Vec<&Json> = client_cases(
            protocol,
            shape.traits.raw.get("smithy.test#httpResponseTests"),
        )
        .collect();
        if cases_here.is_empty() {
            continue;
        }
        let op = krate
            .operations
            .iter()
            .position(|op| op.errors.iter().any(|e| e.path == s.path));
        for case in cases_here {
            let id = case_id(case);
            let Some(index) = op else {
                skipped.push((
                    id.to_owned(),
                    format!("no generated operation can return `{}`", s.shape_id),
                ));
                continue;
            };
            match l.response(index, Some(&s.path), case) {
                Ok(kind) => cases.push(l.case(&mut names, "response", id, case, kind)),
                Err(reason) => skipped.push((id.to_owned(), reason)),
            }
        }
    }
    // Endpoint cases whose operation inputs set members: they test what the operation binds
    // from its input. (The others depend on the configuration only; `cargo xtask
    // endpoint-tests` runs them against the resolver alone.)
    let tests = model
        .services()
        .find(|s| s.id.to_string() == krate.service.shape_id)
        .and_then(|s| s.traits.raw.get("smithy.rules#endpointTests"))
        .and_then(|t| t.get("testCases"))
        .and_then(Json::as_array);
    if let (Some(rules), Some(tests)) = (&krate.endpoint_rules, tests) {
        for (i, case) in tests.iter().enumerate() {
            if !sets_input(case) {
                continue;
            }
            let id = format!("case {i}");
            match l.endpoint(rules, case) {
                Ok(kind) => cases.push(l.case(&mut names, "endpoint", &id, case, kind)),
                Err(reason) => skipped.push((id, reason)),
            }
        }
    }
    Compliance {
        dependency: dependency.to_owned(),
        cases,
        skipped,
    }
}

/// The value an endpoint test case gives rule-set parameter `p`, checked against its type.
pub fn param_value(p: &ir::EndpointParam, v: &Json) -> Result<ir::ParamValue, String> {
    Ok(match (p.kind, v) {
        (ir::ParamKind::String, Json::String(s)) => ir::ParamValue::String(s.clone()),
        (ir::ParamKind::Boolean, Json::Bool(b)) => ir::ParamValue::Bool(*b),
        (ir::ParamKind::StringArray, Json::Array(items)) => ir::ParamValue::StringArray(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or("a string array holds a non-string")?,
        ),
        _ => return Err(format!("`{}` has a value of the wrong type: {v}", p.name)),
    })
}

/// The rule-set parameters a request case's `vendorParams` configure, as the AWS SDKs'
/// protocol-test harnesses read them: `scopedConfig.client` and then `scopedConfig.operation`
/// (the operation's settings win), each with `region`, `use_fips_endpoint`,
/// `use_dualstack_endpoint`, and S3's `s3.addressing_style` (`path` or `virtual`),
/// `s3.use_dualstack_endpoint` and `s3.use_accelerate_endpoint`. They set the rule set's
/// built-ins (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `AWS::S3::ForcePathStyle`,
/// `AWS::S3::Accelerate`). A setting swage does not know makes the case a skip, so that no case
/// passes by ignoring what it configures.
fn vendor_params(
    rules: &ir::EndpointRules,
    vendor: &Json,
) -> Result<Vec<(String, ir::ParamValue, bool)>, String> {
    let mut params: Vec<(String, ir::ParamValue, bool)> = Vec::new();
    let mut set = |built_in: &str, value: ir::ParamValue| -> Result<(), String> {
        let p = rules
            .params
            .iter()
            .find(|p| p.built_in.as_deref() == Some(built_in))
            .ok_or_else(|| format!("the rule set has no `{built_in}` parameter"))?;
        params.retain(|(f, _, _)| f != &p.field);
        params.push((p.field.clone(), value, p.default.is_none()));
        Ok(())
    };
    let scoped = vendor.get("scopedConfig");
    for scope in ["client", "operation"] {
        let Some(config) = scoped.and_then(|c| c.get(scope)).and_then(Json::as_object) else {
            continue;
        };
        for (key, v) in config {
            match (key.as_str(), v) {
                ("region", Json::String(r)) => {
                    set("AWS::Region", ir::ParamValue::String(r.clone()))?
                }
                ("use_fips_endpoint", Json::Bool(b)) => {
                    set("AWS::UseFIPS", ir::ParamValue::Bool(*b))?
                }
                ("use_dualstack_endpoint", Json::Bool(b)) => {
                    set("AWS::UseDualStack", ir::ParamValue::Bool(*b))?
                }
                ("s3", Json::Object(s3)) => {
                    for (k, v) in s3 {
                        match (k.as_str(), v) {
                            ("addressing_style", Json::String(style)) => match style.as_str() {
                                "path" => {
                                    set("AWS::S3::ForcePathStyle", ir::ParamValue::Bool(true))?
                                }
                                "virtual" | "auto" => {
                                    set("AWS::S3::ForcePathStyle", ir::ParamValue::Bool(false))?
                                }
                                other => {
                                    return Err(format!("unknown `s3.addressing_style` `{other}`"))
                                }
                            },
                            ("use_dualstack_endpoint", Json::Bool(b)) => {
                                set("AWS::UseDualStack", ir::ParamValue::Bool(*b))?
                            }
                            ("use_accelerate_endpoint", Json::Bool(b)) => {
                                set("AWS::S3::Accelerate", ir::ParamValue::Bool(*b))?
                            }
                            (other, _) => {
                                return Err(format!(
                                    "the vendor setting `s3.{other}` is not supported"
                                ))
                            }
                        }
                    }
                }
                (other, _) => return Err(format!("the vendor setting `{other}` is not supported")),
            }
        }
    }
    if let Some(other) = vendor
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "scopedConfig"))
    {
        return Err(format!("the vendor setting `{other}` is not supported"));
    }
    Ok(params)
}

/// Whether an endpoint test case sets operation input members (`operationParams`).
pub fn sets_input(case: &Json) -> bool {
    case.get("operationInputs")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .any(|i| {
            i.get("operationParams")
                .and_then(Json::as_object)
                .is_some_and(|m| !m.is_empty())
        })
}

/// The cases of the service's protocol meant for clients (`appliesTo` absent or `client`).
fn client_cases<'a>(protocol: &'a str, list: Option<&'a Json>) -> impl Iterator<Item = &'a Json> {
    list.and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(move |c| {
            c.get("protocol").and_then(Json::as_str) == Some(protocol)
                && matches!(
                    c.get("appliesTo").and_then(Json::as_str),
                    None | Some("client")
                )
        })
}

fn case_id(case: &Json) -> &str {
    case.get("id").and_then(Json::as_str).unwrap_or("<no id>")
}

fn text(case: &Json, key: &str) -> Option<String> {
    case.get(key).and_then(Json::as_str).map(str::to_owned)
}

fn texts_of(list: &Json) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

fn texts(case: &Json, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

fn pairs(case: &Json, key: &str) -> Vec<(String, String)> {
    case.get(key)
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect()
}

struct Lowering<'a> {
    krate: &'a ir::Crate,
    structures: BTreeMap<&'a TypePath, &'a ir::Structure>,
    unions: BTreeMap<&'a TypePath, &'a ir::Union>,
}

impl Lowering<'_> {
    fn case(
        &self,
        names: &mut BTreeMap<String, usize>,
        prefix: &str,
        id: &str,
        case: &Json,
        kind: ir::CaseKind,
    ) -> ComplianceCase {
        let mut fn_name = format!("{prefix}_{}", naming::module(id).trim_start_matches("r#"));
        let n = names.entry(fn_name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            fn_name = format!("{fn_name}_{n}");
        }
        ComplianceCase {
            id: id.to_owned(),
            fn_name,
            docs: text(case, "documentation"),
            kind,
        }
    }

    fn endpoint(&self, rules: &ir::EndpointRules, case: &Json) -> Result<ir::CaseKind, String> {
        let mut calls = Vec::new();
        for call in case
            .get("operationInputs")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let name = call
                .get("operationName")
                .and_then(Json::as_str)
                .ok_or("an `operationInputs` entry has no `operationName`")?;
            let op = self
                .krate
                .operations
                .iter()
                .position(|o| o.wire_name == name)
                .ok_or_else(|| format!("no generated operation `{name}`"))?;
            let input = self.structure_value(
                &self.krate.operations[op].input,
                call.get("operationParams").unwrap_or(&Json::Null),
                "operationParams",
            )?;
            let mut params: Vec<(String, ir::ParamValue, bool)> = Vec::new();
            let mut set = |p: &ir::EndpointParam, v: &Json| -> Result<(), String> {
                let value = param_value(p, v)?;
                params.retain(|(f, _, _)| f != &p.field);
                params.push((p.field.clone(), value, p.default.is_none()));
                Ok(())
            };
            for (built_in, v) in call
                .get("builtInParams")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
            {
                let p = rules
                    .params
                    .iter()
                    .find(|p| p.built_in.as_deref() == Some(built_in.as_str()))
                    .ok_or_else(|| format!("no parameter has the built-in `{built_in}`"))?;
                set(p, v)?;
            }
            for (name, v) in call
                .get("clientParams")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
            {
                let p = rules
                    .params
                    .iter()
                    .find(|p| &p.name == name)
                    .ok_or_else(|| format!("`{name}` is not a parameter of the rule set"))?;
                set(p, v)?;
            }
            calls.push(ir::EndpointCall { op, input, params });
        }
        let expect = case.get("expect").ok_or("the case has no `expect`")?;
        let expect = if let Some(message) = expect.get("error") {
            ir::EndpointExpect::Error(
                message
                    .as_str()
                    .ok_or("`expect.error` is not a string")?
                    .to_owned(),
            )
        } else if let Some(endpoint) = expect.get("endpoint") {
            let url = endpoint
                .get("url")
                .and_then(Json::as_str)
                .ok_or("`expect.endpoint.url` is not a string")?;
            let properties = endpoint
                .get("properties")
                .cloned()
                .unwrap_or_else(|| Json::Object(Default::default()));
            let headers = endpoint
                .get("headers")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
                .map(|(k, vs)| (k.clone(), texts_of(vs)))
                .collect();
            ir::EndpointExpect::Endpoint {
                url: url.to_owned(),
                properties: properties.to_string(),
                headers,
            }
        } else {
            return Err("`expect` has neither `endpoint` nor `error`".into());
        };
        Ok(ir::CaseKind::Endpoint { calls, expect })
    }

    fn request(&self, op: usize, case: &Json) -> Result<ir::CaseKind, String> {
        let operation = &self.krate.operations[op];
        let input = self.structure_value(
            &operation.input,
            case.get("params").unwrap_or(&Json::Null),
            "params",
        )?;
        let host = text(case, "host");
        let endpoint_params = match (&self.krate.endpoint_rules, case.get("vendorParams")) {
            (Some(rules), Some(vendor)) => Some(vendor_params(rules, vendor)?),
            _ => None,
        };
        Ok(ir::CaseKind::Request {
            op,
            input,
            endpoint: format!("https://{}", host.as_deref().unwrap_or("example.com")),
            endpoint_params,
            method: text(case, "method").unwrap_or_default(),
            uri: text(case, "uri").unwrap_or_default(),
            resolved_host: text(case, "resolvedHost"),
            query_params: texts(case, "queryParams"),
            forbid_query_params: texts(case, "forbidQueryParams"),
            require_query_params: texts(case, "requireQueryParams"),
            headers: pairs(case, "headers"),
            forbid_headers: texts(case, "forbidHeaders"),
            require_headers: texts(case, "requireHeaders"),
            body: text(case, "body"),
            body_media_type: text(case, "bodyMediaType"),
        })
    }

    fn response(
        &self,
        op: usize,
        error: Option<&TypePath>,
        case: &Json,
    ) -> Result<ir::CaseKind, String> {
        let operation = &self.krate.operations[op];
        let shape = error.unwrap_or(&operation.output);
        let expected =
            self.structure_value(shape, case.get("params").unwrap_or(&Json::Null), "params")?;
        let status = case
            .get("code")
            .and_then(Json::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .ok_or("the case has no valid `code`")?;
        let variant = match error {
            None => None,
            Some(path) => Some(
                operation
                    .errors
                    .iter()
                    .find(|e| &e.path == path)
                    .map(|e| e.variant.clone())
                    .ok_or("the operation does not list the error")?,
            ),
        };
        Ok(ir::CaseKind::Response {
            op,
            status,
            headers: pairs(case, "headers"),
            body: text(case, "body").unwrap_or_default(),
            error: variant,
            expected,
        })
    }

    /// A structure value: an object whose keys are member names.
    fn structure_value(&self, path: &TypePath, json: &Json, at: &str) -> Result<CaseValue, String> {
        let s = self
            .structures
            .get(path)
            .ok_or_else(|| format!("{at}: no generated structure `{}`", path.name))?;
        let object = match json {
            Json::Null => serde_json::Map::new(),
            Json::Object(o) => o.clone(),
            other => {
                return Err(format!(
                    "{at}: expected an object for `{}`, found {other}",
                    s.shape_id
                ))
            }
        };
        let mut fields = Vec::new();
        for (key, value) in &object {
            let field = s
                .fields
                .iter()
                .find(|f| &f.wire_name == key)
                .ok_or_else(|| format!("{at}: `{}` has no member `{key}`", s.shape_id))?;
            if value.is_null() {
                continue;
            }
            let value = self.value(&field.ty, value, &format!("{at}.{key}"))?;
            fields.push((naming::setter(&field.wire_name), value));
        }
        Ok(CaseValue::Struct {
            path: path.clone(),
            checked: s.validated,
            fallible: s.validated || s.fields.iter().any(ir::Field::must_set),
            fields,
        })
    }

    fn value(&self, ty: &Type, json: &Json, at: &str) -> Result<CaseValue, String> {
        let wrong = |what: &str| Err(format!("{at}: expected {what}, found {json}"));
        Ok(match ty {
            Type::String => match json.as_str() {
                Some(s) => CaseValue::Str(s.to_owned()),
                None => return wrong("a string"),
            },
            Type::Bool => match json.as_bool() {
                Some(b) => CaseValue::Bool(b),
                None => return wrong("a boolean"),
            },
            Type::Byte | Type::Short | Type::Integer | Type::Long => match json.as_i64() {
                Some(n) => CaseValue::Int(n, ty.clone()),
                None => return wrong("an integer"),
            },
            Type::Float | Type::Double => match json {
                Json::Number(n) => CaseValue::Float(n.to_string(), ty.clone()),
                Json::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => {
                    CaseValue::Float(s.clone(), ty.clone())
                }
                _ => return wrong("a number"),
            },
            Type::Blob => match json.as_str() {
                Some(s) => CaseValue::Blob(s.to_owned()),
                None => return wrong("a string of the blob's bytes"),
            },
            Type::Timestamp => match json {
                Json::Number(n) => CaseValue::Timestamp(n.to_string()),
                _ => return wrong("epoch seconds"),
            },
            Type::Document => CaseValue::Document(json.to_string()),
            Type::BigNumber => match json {
                Json::Number(n) => CaseValue::Big(n.to_string()),
                Json::String(s) => CaseValue::Big(s.clone()),
                _ => return wrong("a number"),
            },
            Type::Enum(path) => match json.as_str() {
                Some(s) => CaseValue::Enum(path.clone(), s.to_owned()),
                None => return wrong("an enum string"),
            },
            Type::IntEnum(path) => match json.as_i64() {
                Some(n) => CaseValue::IntEnum(path.clone(), n),
                None => return wrong("an intEnum number"),
            },
            Type::Struct(path) => self.structure_value(path, json, at)?,
            Type::Union(path) => {
                let u = self
                    .unions
                    .get(path)
                    .ok_or_else(|| format!("{at}: no generated union `{}`", path.name))?;
                let Some((key, inner)) = json
                    .as_object()
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.iter().next())
                else {
                    return wrong("an object with one member");
                };
                let v = u
                    .variants
                    .iter()
                    .find(|v| &v.wire_name == key)
                    .ok_or_else(|| format!("{at}: `{}` has no member `{key}`", u.shape_id))?;
                let value = match &v.ty {
                    None => None,
                    Some(t) => Some(Box::new(self.value(t, inner, &format!("{at}.{key}"))?)),
                };
                CaseValue::Union {
                    path: path.clone(),
                    variant: v.name.clone(),
                    value,
                    boxed: v.boxed,
                }
            }
            Type::List { item, sparse, .. } => {
                let Some(items) = json.as_array() else {
                    return wrong("a list");
                };
                let mut out = Vec::new();
                for (i, j) in items.iter().enumerate() {
                    out.push(match j {
                        Json::Null if *sparse => None,
                        _ => Some(self.value(item, j, &format!("{at}[{i}]"))?),
                    });
                }
                CaseValue::List {
                    items: out,
                    sparse: *sparse,
                    item: (**item).clone(),
                }
            }
            Type::Map { value, sparse, .. } => {
                let Some(entries) = json.as_object() else {
                    return wrong("a map");
                };
                let mut out = Vec::new();
                for (k, j) in entries {
                    out.push((
                        k.clone(),
                        match j {
                            Json::Null if *sparse => None,
                            _ => Some(self.value(value, j, &format!("{at}.{k}"))?),
                        },
                    ));
                }
                CaseValue::Map {
                    entries: out,
                    sparse: *sparse,
                    value: (**value).clone(),
                }
            }
        })
    }
}
