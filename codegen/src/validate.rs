//! Validation: every rule a model must satisfy before it is lowered, checked in one pass that
//! reports all problems, not only the first.

use crate::diagnostics::Reporter;
use crate::model::{Kind, Model, Shape, ShapeId};
use crate::patterns::{self, Plan};
use std::collections::BTreeSet;

/// Checks `model`, reporting into `report`.
pub fn validate(model: &Model, report: &mut Reporter) {
    let services: Vec<&Shape> = model.services().collect();
    if services.is_empty() && !report.has_errors() {
        report.error(
            None,
            None,
            "the model has no service shape",
            "add a shape of type \"service\" that lists the operations to generate",
        );
    }
    for shape in model.shapes.values().filter(|s| !s.prelude) {
        check_shape(model, shape, report);
    }
}

fn exists(model: &Model, id: &ShapeId) -> bool {
    model.shapes.contains_key(id) || model.broken.contains(id)
}

fn check_shape(model: &Model, shape: &Shape, report: &mut Reporter) {
    let sid = shape.id.to_string();
    let missing = |report: &mut Reporter, member: Option<&str>, what: &str, target: &ShapeId| {
        report.error(
            Some(&sid),
            member,
            format!("{what} `{target}` does not exist"),
            "define that shape, or fix the shape id (ids are case-sensitive)",
        );
    };

    // Members: targets exist and make sense, names don't collide.
    let mut lowered = BTreeSet::new();
    for m in &shape.members {
        match model.shape(&m.target) {
            None if model.broken.contains(&m.target) => {}
            None if !(shape.kind == Kind::Enum || shape.kind == Kind::IntEnum)
                || !m.target.is_unit() =>
            {
                missing(report, Some(&m.name), "member target", &m.target)
            }
            Some(t) if matches!(t.kind, Kind::Service | Kind::Operation | Kind::Resource) => report
                .error(
                    Some(&sid),
                    Some(&m.name),
                    format!("member targets `{}`, a {:?} shape", m.target, t.kind),
                    "members must target data shapes (strings, numbers, structures, ...)",
                ),
            _ => {}
        }
        if !lowered.insert(m.name.to_ascii_lowercase()) {
            report.error(
                Some(&sid),
                Some(&m.name),
                "member names collide case-insensitively",
                "rename one of the members so they differ by more than case",
            );
        }
        check_constraints(model, shape, Some(&m.name), &m.traits, report);
    }
    check_constraints(model, shape, None, &shape.traits, report);

    match shape.kind {
        Kind::Enum | Kind::IntEnum => check_enum(shape, report),
        Kind::Operation => check_operation(model, shape, report),
        Kind::Service => {
            if let Some(info) = &shape.service {
                for op in &info.operations {
                    match model.shape(op) {
                        None if model.broken.contains(op) => {}
                        None => missing(report, None, "operation", op),
                        Some(s) if s.kind != Kind::Operation => report.error(
                            Some(&sid),
                            None,
                            format!("`{op}` is listed as an operation but is not one"),
                            "list only operation shapes in `operations`",
                        ),
                        _ => {}
                    }
                }
                for r in &info.resources {
                    if !exists(model, r) {
                        missing(report, None, "resource", r);
                    }
                }
                for e in &info.errors {
                    check_error_ref(model, &sid, e, report);
                }
            }
        }
        Kind::Resource => {
            if let Some(info) = &shape.resource {
                for op in info.operations.iter().chain(&info.resources) {
                    if !exists(model, op) {
                        missing(report, None, "bound shape", op);
                    }
                }
            }
        }
        _ => {}
    }
}

fn check_error_ref(model: &Model, sid: &str, error: &ShapeId, report: &mut Reporter) {
    match model.shape(error) {
        None if model.broken.contains(error) => {}
        None => report.error(
            Some(sid),
            None,
            format!("error `{error}` does not exist"),
            "define the error structure, or fix the shape id",
        ),
        Some(e) if e.kind != Kind::Structure || e.traits.error.is_none() => report.error(
            Some(sid),
            None,
            format!("`{error}` is listed as an error but lacks the `@error` trait"),
            format!("add `\"smithy.api#error\": \"client\"` (or \"server\") to `{error}`"),
        ),
        _ => {}
    }
}

fn check_enum(shape: &Shape, report: &mut Reporter) {
    let sid = shape.id.to_string();
    let mut seen = BTreeSet::new();
    for m in &shape.members {
        let value = match &m.traits.enum_value {
            Some(crate::traits::EnumValue::String(s)) => s.clone(),
            Some(crate::traits::EnumValue::Int(i)) => i.to_string(),
            None if shape.kind == Kind::Enum => m.name.clone(),
            None => {
                report.error(
                    Some(&sid),
                    Some(&m.name),
                    "intEnum members need an `@enumValue`",
                    "add `\"smithy.api#enumValue\": <integer>`",
                );
                continue;
            }
        };
        if !seen.insert(value.clone()) {
            report.error(
                Some(&sid),
                Some(&m.name),
                format!("duplicate enum value `{value}`"),
                "give each enum member a distinct value",
            );
        }
    }
}

fn check_constraints(
    model: &Model,
    shape: &Shape,
    member: Option<&str>,
    traits: &crate::traits::Traits,
    report: &mut Reporter,
) {
    let sid = shape.id.to_string();
    if let Some(p) = &traits.pattern {
        match patterns::plan(p) {
            Plan::Ecma { .. } | Plan::Lite { .. } => {}
            Plan::Unenforced { reason } => report.warning(
                Some(&sid),
                member,
                format!("`@pattern` `{p}` will not be enforced: {reason}"),
                "rewrite the pattern in ECMA-262 syntax to have it checked",
            ),
            Plan::Invalid { reason } => report.error(
                Some(&sid),
                member,
                format!("`@pattern` `{p}` is not a valid regular expression: {reason}"),
                "fix the pattern (Smithy patterns are ECMA-262)",
            ),
        }
    }
    let _ = model;
}

fn check_operation(model: &Model, shape: &Shape, report: &mut Reporter) {
    let sid = shape.id.to_string();
    let Some(info) = &shape.operation else { return };
    let input = info.input.as_ref().and_then(|i| {
        let s = model.shape(i);
        match s {
            None if model.broken.contains(i) => {}
            None => report.error(
                Some(&sid),
                None,
                format!("input `{i}` does not exist"),
                "define the input structure, or fix the shape id",
            ),
            Some(s) if s.kind != Kind::Structure => report.error(
                Some(&sid),
                None,
                format!("input `{i}` is not a structure"),
                "operation inputs must be structures",
            ),
            _ => {}
        }
        s
    });
    if let Some(o) = &info.output {
        match model.shape(o) {
            None if model.broken.contains(o) => {}
            None => report.error(
                Some(&sid),
                None,
                format!("output `{o}` does not exist"),
                "define the output structure, or fix the shape id",
            ),
            Some(s) if s.kind != Kind::Structure => report.error(
                Some(&sid),
                None,
                format!("output `{o}` is not a structure"),
                "operation outputs must be structures",
            ),
            _ => {}
        }
    }
    for e in &info.errors {
        check_error_ref(model, &sid, e, report);
    }
    if let Some(http) = &shape.traits.http {
        check_uri(model, shape, &http.uri, input, report);
    }
}

/// The labels of a URI pattern: (name, greedy).
pub fn uri_labels(uri: &str) -> Result<Vec<(String, bool)>, String> {
    let path = uri.split('?').next().unwrap_or(uri);
    let mut labels = Vec::new();
    for segment in path.split('/') {
        if let Some(inner) = segment.strip_prefix('{') {
            let inner = inner.strip_suffix('}').ok_or_else(|| {
                format!("segment `{segment}` opens a label but does not close it")
            })?;
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(n) => (n, true),
                None => (inner, false),
            };
            if !crate::model::valid_identifier(name) {
                return Err(format!("label `{{{inner}}}` is not a valid member name"));
            }
            labels.push((name.to_owned(), greedy));
        } else if segment.contains('{') || segment.contains('}') {
            return Err(format!("segment `{segment}` mixes a label with literal text; a label must be a whole segment"));
        }
    }
    Ok(labels)
}

fn check_uri(model: &Model, op: &Shape, uri: &str, input: Option<&Shape>, report: &mut Reporter) {
    let sid = op.id.to_string();
    let labels = match uri_labels(uri) {
        Ok(l) => l,
        Err(e) => {
            report.error(
                Some(&sid),
                None,
                format!("invalid `@http` URI `{uri}`: {e}"),
                "write labels as whole segments, such as `/things/{Id}`",
            );
            return;
        }
    };
    if labels.iter().filter(|(_, greedy)| *greedy).count() > 1 {
        report.error(
            Some(&sid),
            None,
            format!("`@http` URI `{uri}` has more than one greedy label"),
            "keep at most one `{Name+}` label",
        );
    }
    let mut seen = BTreeSet::new();
    for (name, _) in &labels {
        if !seen.insert(name) {
            report.error(
                Some(&sid),
                None,
                format!("label `{name}` appears twice in `{uri}`"),
                "bind each member to one label",
            );
        }
        let member = input.and_then(|i| i.member(name));
        match member {
            None => report.error(
                Some(&sid),
                None,
                format!("URI label `{{{name}}}` has no matching input member"),
                format!("add a member `{name}` with `@httpLabel` and `@required` to the input, or fix the URI"),
            ),
            Some(m) if !m.traits.http_label => report.error(
                Some(&input.map(|i| i.id.to_string()).unwrap_or_default()),
                Some(name),
                format!("member is used as URI label `{{{name}}}` but lacks `@httpLabel`"),
                "add `smithy.api#httpLabel` to the member",
            ),
            Some(_) => {}
        }
    }
    let Some(input) = input else { return };
    let iid = input.id.to_string();
    for m in &input.members {
        if !m.traits.http_label {
            continue;
        }
        if !labels.iter().any(|(n, _)| *n == m.name) {
            report.error(
                Some(&iid),
                Some(&m.name),
                format!("`@httpLabel` member does not appear in the URI `{uri}` of `{sid}`"),
                format!("add `{{{}}}` to the URI, or remove `@httpLabel`", m.name),
            );
        }
        if !m.traits.required {
            report.error(
                Some(&iid),
                Some(&m.name),
                "`@httpLabel` member is not `@required`",
                "add `smithy.api#required`: a label can't be left out of the path",
            );
        }
        if let Some(t) = model.shape(&m.target) {
            if !t.kind.is_scalar() {
                report.error(
                    Some(&iid),
                    Some(&m.name),
                    format!("`@httpLabel` member targets a {:?}, not a scalar", t.kind),
                    "labels must target strings, numbers, booleans, timestamps or enums",
                );
            }
        }
    }
}
