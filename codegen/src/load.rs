//! Loading: a model file's text into the resolved [`Model`], with the `smithy.api` prelude
//! merged, mixins and `apply` folded in, and every problem reported.

use crate::ast::{self, Shape as AstShape};
use crate::diagnostics::Reporter;
use crate::model::{Kind, Member, Model, OperationInfo, ResourceInfo, ServiceInfo, Shape, ShapeId};
use crate::traits::Traits;
use std::collections::{BTreeMap, BTreeSet};

const PRELUDE: &str = include_str!("prelude.json");

/// A shape as read, before mixins are applied.
struct Raw {
    shape: Shape,
    mixins: Vec<ShapeId>,
}

/// Loads the model in `text`, read from `file`. Problems go to `report`; the model returned holds
/// whatever could be read, so later checks can still find more problems.
pub fn load(file: &str, text: &str, report: &mut Reporter) -> Model {
    let mut raws: BTreeMap<ShapeId, Raw> = BTreeMap::new();
    let mut applies: Vec<(ShapeId, Option<String>, ast::TraitMap)> = Vec::new();

    let mut prelude_report = Reporter::new("<prelude>");
    let mut broken = BTreeSet::new();
    read_file(
        PRELUDE,
        true,
        &mut raws,
        &mut applies,
        &mut broken,
        &mut prelude_report,
    );
    debug_assert!(
        !prelude_report.has_errors(),
        "the built-in prelude is valid"
    );
    read_file(text, false, &mut raws, &mut applies, &mut broken, report);

    for (id, member, traits) in applies {
        apply(&mut raws, &id, member.as_deref(), &traits, report);
    }
    let shapes = resolve_mixins(raws, report);
    Model {
        file: file.to_owned(),
        shapes,
        broken,
    }
}

fn read_file(
    text: &str,
    prelude: bool,
    raws: &mut BTreeMap<ShapeId, Raw>,
    applies: &mut Vec<(ShapeId, Option<String>, ast::TraitMap)>,
    broken: &mut BTreeSet<ShapeId>,
    report: &mut Reporter,
) {
    let file: ast::File = match serde_json::from_str(text) {
        Ok(file) => file,
        Err(e) if e.is_syntax() || e.is_eof() => {
            report.error(
                None,
                None,
                format!(
                    "invalid JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ),
                "fix the JSON syntax",
            );
            return;
        }
        Err(e) => {
            report.error(
                None,
                None,
                format!("the top level is not a Smithy JSON AST: {e}"),
                "the file must be an object such as {\"smithy\": \"2.0\", \"shapes\": {...}}",
            );
            return;
        }
    };
    match &file.smithy {
        Some(serde_json::Value::String(v)) if v == "2.0" || v == "2" => {}
        Some(serde_json::Value::String(v)) => report.error(
            None,
            None,
            format!("unsupported Smithy IDL version `{v}`"),
            "swage reads Smithy 2.0 models: set \"smithy\": \"2.0\" (convert 1.0 models with the Smithy CLI first)",
        ),
        Some(other) => report.error(None, None, format!("`smithy` must be a version string, found {other}"), "set \"smithy\": \"2.0\""),
        None => report.error(None, None, "the model has no `smithy` version", "add \"smithy\": \"2.0\" at the top level"),
    }
    let Some(shapes) = file.shapes else {
        report.error(
            None,
            None,
            "the model has no `shapes`",
            "add a \"shapes\" object mapping absolute shape ids to shapes",
        );
        return;
    };
    for (key, raw) in shapes.0 {
        let (id_text, member) = match key.split_once('$') {
            Some((id, member)) => (id, Some(member.to_owned())),
            None => (key.as_str(), None),
        };
        let id = match ShapeId::parse(id_text) {
            Ok(id) => id,
            Err(e) => {
                report.error(
                    Some(&key),
                    None,
                    format!("malformed shape id: {e}"),
                    "use an absolute shape id such as `com.example#Name`",
                );
                continue;
            }
        };
        let shape = match AstShape::parse(raw.get()) {
            Ok(shape) => shape,
            Err((path, message)) => {
                shape_error(report, &key, &path, &message);
                broken.insert(id);
                continue;
            }
        };
        if let AstShape::Apply(a) = shape {
            applies.push((id, member, a.traits));
            continue;
        }
        if member.is_some() {
            report.error(
                Some(&key),
                None,
                "only `apply` entries may name a member",
                "define members inside their shape's `members`",
            );
            continue;
        }
        if raws.contains_key(&id) {
            report.error(
                Some(&key),
                None,
                "the shape is defined twice (or redefines a prelude shape)",
                "rename one of them",
            );
            continue;
        }
        if let Some(raw) = convert(&id, shape, prelude, report) {
            raws.insert(id, raw);
        }
    }
}

fn shape_error(report: &mut Reporter, key: &str, path: &str, message: &str) {
    if message.starts_with("unknown shape type") {
        report.error(
            Some(key),
            None,
            message,
            format!("use one of: {}", ast::SHAPE_TYPES.join(", ")),
        );
    } else if path.is_empty() {
        report.error(
            Some(key),
            None,
            format!("malformed shape: {message}"),
            "see the Smithy 2.0 JSON AST specification for this shape type",
        );
    } else {
        report.error(
            Some(key),
            None,
            format!("malformed shape at `{path}`: {message}"),
            "see the Smithy 2.0 JSON AST specification for this shape type",
        );
    }
}

fn target(
    report: &mut Reporter,
    shape: &ShapeId,
    member: Option<&str>,
    what: &str,
    text: &str,
) -> Option<ShapeId> {
    match ShapeId::parse(text) {
        Ok(id) => Some(id),
        Err(e) => {
            report.error(
                Some(&shape.to_string()),
                member,
                format!("{what}: {e}"),
                "refer to shapes by absolute id, such as `smithy.api#String`",
            );
            None
        }
    }
}

fn traits(
    report: &mut Reporter,
    shape: &ShapeId,
    member: Option<&str>,
    raw: &ast::TraitMap,
) -> Traits {
    let (traits, problems) = Traits::parse(raw);
    for (id, problem) in problems {
        report.error(
            Some(&shape.to_string()),
            member,
            format!("invalid `@{id}` trait: {problem}"),
            "fix the trait value",
        );
    }
    traits
}

fn member(report: &mut Reporter, shape: &ShapeId, name: &str, m: &ast::Member) -> Option<Member> {
    if !crate::model::valid_identifier(name) {
        report.error(
            Some(&shape.to_string()),
            Some(name),
            format!("`{name}` is not a valid member name"),
            "member names start with a letter or `_` and hold only letters, digits and `_`",
        );
        return None;
    }
    let target = target(
        report,
        shape,
        Some(name),
        "invalid member target",
        &m.target,
    )?;
    Some(Member {
        name: name.to_owned(),
        target,
        traits: traits(report, shape, Some(name), &m.traits),
    })
}

fn refs(report: &mut Reporter, shape: &ShapeId, what: &str, list: &[ast::Ref]) -> Vec<ShapeId> {
    list.iter()
        .filter_map(|r| target(report, shape, None, what, &r.target))
        .collect()
}

fn convert(id: &ShapeId, shape: AstShape, prelude: bool, report: &mut Reporter) -> Option<Raw> {
    let mut members = Vec::new();
    let mut operation = None;
    let mut service = None;
    let mut resource = None;
    let (kind, trait_map, mixins) = match shape {
        AstShape::Blob(s) => (Kind::Blob, s.traits, s.mixins),
        AstShape::Boolean(s) => (Kind::Boolean, s.traits, s.mixins),
        AstShape::String(s) => (Kind::String, s.traits, s.mixins),
        AstShape::Byte(s) => (Kind::Byte, s.traits, s.mixins),
        AstShape::Short(s) => (Kind::Short, s.traits, s.mixins),
        AstShape::Integer(s) => (Kind::Integer, s.traits, s.mixins),
        AstShape::Long(s) => (Kind::Long, s.traits, s.mixins),
        AstShape::Float(s) => (Kind::Float, s.traits, s.mixins),
        AstShape::Double(s) => (Kind::Double, s.traits, s.mixins),
        AstShape::BigInteger(s) => (Kind::BigInteger, s.traits, s.mixins),
        AstShape::BigDecimal(s) => (Kind::BigDecimal, s.traits, s.mixins),
        AstShape::Timestamp(s) => (Kind::Timestamp, s.traits, s.mixins),
        AstShape::Document(s) => (Kind::Document, s.traits, s.mixins),
        AstShape::Enum(a) => aggregate(Kind::Enum, a, id, &mut members, report),
        AstShape::IntEnum(a) => aggregate(Kind::IntEnum, a, id, &mut members, report),
        AstShape::Structure(a) => aggregate(Kind::Structure, a, id, &mut members, report),
        AstShape::Union(a) => aggregate(Kind::Union, a, id, &mut members, report),
        AstShape::List(l) | AstShape::Set(l) => {
            match &l.member {
                Some(m) => members.extend(member(report, id, "member", m)),
                None if l.mixins.is_empty() => {
                    report.error(
                        Some(&id.to_string()),
                        None,
                        "a list needs a `member`",
                        "add \"member\": {\"target\": ...}",
                    );
                }
                None => {}
            }
            (Kind::List, l.traits, l.mixins)
        }
        AstShape::Map(m) => {
            for (name, part) in [("key", &m.key), ("value", &m.value)] {
                match part {
                    Some(p) => members.extend(member(report, id, name, p)),
                    None if m.mixins.is_empty() => {
                        report.error(
                            Some(&id.to_string()),
                            None,
                            format!("a map needs a `{name}`"),
                            format!("add \"{name}\": {{\"target\": ...}}"),
                        );
                    }
                    None => {}
                }
            }
            (Kind::Map, m.traits, m.mixins)
        }
        AstShape::Service(s) => {
            let mut rename = BTreeMap::new();
            for (from, to) in &s.rename {
                if let Some(from) = target(report, id, None, "invalid `rename` key", from) {
                    rename.insert(from, to.clone());
                }
            }
            service = Some(ServiceInfo {
                version: s.version,
                operations: refs(report, id, "invalid operation reference", &s.operations),
                resources: refs(report, id, "invalid resource reference", &s.resources),
                errors: refs(report, id, "invalid error reference", &s.errors),
                rename,
            });
            (Kind::Service, s.traits, s.mixins)
        }
        AstShape::Resource(r) => {
            let lifecycle = [&r.create, &r.put, &r.read, &r.update, &r.delete, &r.list];
            let mut ops: Vec<ast::Ref> = lifecycle.into_iter().flatten().cloned().collect();
            ops.extend(r.operations.iter().cloned());
            ops.extend(r.collection_operations.iter().cloned());
            resource = Some(ResourceInfo {
                operations: refs(report, id, "invalid operation reference", &ops),
                resources: refs(report, id, "invalid resource reference", &r.resources),
            });
            (Kind::Resource, r.traits, r.mixins)
        }
        AstShape::Operation(o) => {
            let input = o
                .input
                .as_ref()
                .and_then(|r| target(report, id, None, "invalid input reference", &r.target));
            let output = o
                .output
                .as_ref()
                .and_then(|r| target(report, id, None, "invalid output reference", &r.target));
            operation = Some(OperationInfo {
                input: input.filter(|i| !i.is_unit()),
                output: output.filter(|o| !o.is_unit()),
                errors: refs(report, id, "invalid error reference", &o.errors),
            });
            (Kind::Operation, o.traits, o.mixins)
        }
        AstShape::Apply(_) => return None,
    };
    let mixins = refs(report, id, "invalid mixin reference", &mixins);
    let traits = traits(report, id, None, &trait_map);
    Some(Raw {
        shape: Shape {
            id: id.clone(),
            kind,
            traits,
            members,
            operation,
            service,
            resource,
            prelude,
        },
        mixins,
    })
}

fn aggregate(
    kind: Kind,
    a: ast::Aggregate,
    id: &ShapeId,
    members: &mut Vec<Member>,
    report: &mut Reporter,
) -> (Kind, ast::TraitMap, Vec<ast::Ref>) {
    for (name, m) in &a.members.0 {
        members.extend(member(report, id, name, m));
    }
    (kind, a.traits, a.mixins)
}

fn apply(
    raws: &mut BTreeMap<ShapeId, Raw>,
    id: &ShapeId,
    member: Option<&str>,
    traits: &ast::TraitMap,
    report: &mut Reporter,
) {
    let key = match member {
        Some(m) => format!("{id}${m}"),
        None => id.to_string(),
    };
    let Some(raw) = raws.get_mut(id) else {
        report.error(
            Some(&key),
            None,
            "`apply` targets a shape that does not exist",
            "apply traits only to shapes defined in the model",
        );
        return;
    };
    let target = match member {
        None => &mut raw.shape.traits,
        Some(name) => match raw.shape.members.iter_mut().find(|m| m.name == name) {
            Some(m) => &mut m.traits,
            None => {
                report.error(
                    Some(&id.to_string()),
                    Some(name),
                    "`apply` targets a member that does not exist",
                    "apply traits only to existing members",
                );
                return;
            }
        },
    };
    let mut merged = target.raw.clone();
    merged.extend(traits.iter().map(|(k, v)| (k.clone(), v.clone())));
    let (parsed, problems) = Traits::parse(&merged);
    for (trait_id, problem) in problems {
        report.error(
            Some(&id.to_string()),
            member,
            format!("invalid `@{trait_id}` trait: {problem}"),
            "fix the trait value",
        );
    }
    *target = parsed;
}

/// Folds mixins into the shapes that use them: the mixins' members come first, then the shape's
/// own; the shape's own traits win over its mixins'; `@mixin` itself is not inherited.
fn resolve_mixins(raws: BTreeMap<ShapeId, Raw>, report: &mut Reporter) -> BTreeMap<ShapeId, Shape> {
    // Most shapes have no mixins: they are moved as they are, and only the others (which read
    // their mixins from `done`) are resolved.
    let (with_mixins, plain): (BTreeMap<ShapeId, Raw>, BTreeMap<ShapeId, Raw>) = raws
        .into_iter()
        .partition(|(_, raw)| !raw.mixins.is_empty());
    let mut done: BTreeMap<ShapeId, Shape> =
        plain.into_iter().map(|(id, raw)| (id, raw.shape)).collect();
    let ids: Vec<ShapeId> = with_mixins.keys().cloned().collect();
    for id in ids {
        let mut visiting = BTreeSet::new();
        resolve_one(&id, &with_mixins, &mut done, &mut visiting, report);
    }
    done
}

fn resolve_one(
    id: &ShapeId,
    raws: &BTreeMap<ShapeId, Raw>,
    done: &mut BTreeMap<ShapeId, Shape>,
    visiting: &mut BTreeSet<ShapeId>,
    report: &mut Reporter,
) -> bool {
    if done.contains_key(id) {
        return true;
    }
    let Some(raw) = raws.get(id) else {
        return false;
    };
    if !visiting.insert(id.clone()) {
        report.error(
            Some(&id.to_string()),
            None,
            "the shape's mixins form a cycle",
            "remove the mixin that leads back to this shape",
        );
        return false;
    }
    let mut shape = raw.shape.clone();
    if !raw.mixins.is_empty() {
        let mut members: Vec<Member> = Vec::new();
        let mut trait_map = ast::TraitMap::new();
        for mixin_id in &raw.mixins {
            if !resolve_one(mixin_id, raws, done, visiting, report) {
                if !raws.contains_key(mixin_id) {
                    report.error(
                        Some(&id.to_string()),
                        None,
                        format!("mixin `{mixin_id}` does not exist"),
                        "define the mixin shape or remove it from `mixins`",
                    );
                }
                continue;
            }
            let mixin = &done[mixin_id];
            if !mixin.traits.mixin {
                report.error(
                    Some(&id.to_string()),
                    None,
                    format!("`{mixin_id}` is used as a mixin but lacks the `@mixin` trait"),
                    "add `smithy.api#mixin` to it",
                );
            }
            if mixin.kind != shape.kind {
                report.error(
                    Some(&id.to_string()),
                    None,
                    format!("mixin `{mixin_id}` is a different shape type"),
                    "a mixin must have the same shape type as the shapes using it",
                );
            }
            for m in &mixin.members {
                members.retain(|existing| existing.name != m.name);
                members.push(m.clone());
            }
            trait_map.extend(
                mixin
                    .traits
                    .raw
                    .iter()
                    .filter(|(k, _)| *k != "smithy.api#mixin")
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
        }
        for own in &shape.members {
            match members.iter_mut().find(|m| m.name == own.name) {
                Some(inherited) => {
                    let mut merged = inherited.traits.raw.clone();
                    merged.extend(own.traits.raw.clone());
                    inherited.traits = Traits::parse(&merged).0;
                    inherited.target = own.target.clone();
                }
                None => members.push(own.clone()),
            }
        }
        trait_map.extend(shape.traits.raw.clone());
        shape.traits = Traits::parse(&trait_map).0;
        shape.members = members;
    }
    visiting.remove(id);
    done.insert(id.clone(), shape);
    true
}
