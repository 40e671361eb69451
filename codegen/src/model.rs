//! The resolved Smithy model: every shape by its absolute id, the prelude merged in, mixins and
//! `apply` already folded, traits typed. Later stages read only this.

use crate::traits::Traits;
use std::collections::BTreeMap;
use std::fmt;

/// An absolute shape id, `namespace#Name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    /// The namespace, such as `com.amazonaws.gameliftstreams`.
    pub namespace: String,
    /// The shape's name.
    pub name: String,
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && s.chars().any(|c| c != '_')
}

impl ShapeId {
    /// Parses an absolute shape id (no member part).
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let Some((namespace, name)) = text.split_once('#') else {
            return Err(format!("`{text}` is not an absolute shape id: it needs a namespace, as in `example.ns#{text}`"));
        };
        if namespace.is_empty() || !namespace.split('.').all(is_identifier) {
            return Err(format!("`{text}` has a malformed namespace `{namespace}`"));
        }
        if !is_identifier(name) {
            return Err(format!("`{text}` has a malformed shape name `{name}`"));
        }
        Ok(ShapeId {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        })
    }

    /// A prelude shape, `smithy.api#name`.
    pub fn prelude(name: &str) -> ShapeId {
        ShapeId {
            namespace: "smithy.api".into(),
            name: name.into(),
        }
    }

    /// Whether this is `smithy.api#Unit`.
    pub fn is_unit(&self) -> bool {
        self.namespace == "smithy.api" && self.name == "Unit"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// Whether `s` is a valid Smithy identifier (member names, shape names).
pub fn valid_identifier(s: &str) -> bool {
    is_identifier(s)
}

/// The type of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Kind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Map,
    Structure,
    Union,
    Service,
    Resource,
    Operation,
}

impl Kind {
    /// Whether values of this kind can be bound to a URI label, query string or header.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            Kind::Blob
                | Kind::Boolean
                | Kind::String
                | Kind::Byte
                | Kind::Short
                | Kind::Integer
                | Kind::Long
                | Kind::Float
                | Kind::Double
                | Kind::BigInteger
                | Kind::BigDecimal
                | Kind::Timestamp
                | Kind::Enum
                | Kind::IntEnum
        )
    }

    /// Whether this is one of the number types.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Kind::Byte
                | Kind::Short
                | Kind::Integer
                | Kind::Long
                | Kind::Float
                | Kind::Double
                | Kind::BigInteger
                | Kind::BigDecimal
                | Kind::IntEnum
        )
    }
}

/// A member of a structure, union, enum, list (`member`) or map (`key`, `value`).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member's name.
    pub name: String,
    /// The shape it targets.
    pub target: ShapeId,
    /// Its traits.
    pub traits: Traits,
}

/// The operation part of an operation shape.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationInfo {
    /// The input structure; `None` for `smithy.api#Unit`.
    pub input: Option<ShapeId>,
    /// The output structure; `None` for `smithy.api#Unit`.
    pub output: Option<ShapeId>,
    /// The errors, in model order.
    pub errors: Vec<ShapeId>,
}

/// The service part of a service shape.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceInfo {
    /// The service version.
    pub version: Option<String>,
    /// Operations bound directly.
    pub operations: Vec<ShapeId>,
    /// Resources bound directly.
    pub resources: Vec<ShapeId>,
    /// Errors common to all operations.
    pub errors: Vec<ShapeId>,
    /// Shape renames.
    pub rename: BTreeMap<ShapeId, String>,
}

/// The resource part of a resource shape.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceInfo {
    /// Every operation bound to the resource (lifecycle, instance and collection).
    pub operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

/// One resolved shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Its id.
    pub id: ShapeId,
    /// Its type.
    pub kind: Kind,
    /// Its traits, after mixins and `apply`.
    pub traits: Traits,
    /// Its members, in model order (with mixin members first).
    pub members: Vec<Member>,
    /// Set for operations.
    pub operation: Option<OperationInfo>,
    /// Set for services.
    pub service: Option<ServiceInfo>,
    /// Set for resources.
    pub resource: Option<ResourceInfo>,
    /// Whether it comes from the `smithy.api` prelude.
    pub prelude: bool,
}

impl Shape {
    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// A whole resolved model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The file it was read from (for diagnostics).
    pub file: String,
    /// Every shape, prelude included.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Shapes that are in the file but could not be read (already reported), so that references
    /// to them are not reported a second time as missing.
    pub broken: std::collections::BTreeSet<ShapeId>,
}

impl Model {
    /// The shape with `id`.
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// The services, in id order.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| s.kind == Kind::Service)
    }

    /// Keeps only `service` and the shapes it reaches (resources, operations, their inputs,
    /// outputs and errors, and every member target, transitively) plus the prelude, so a file
    /// holding several services can be generated one service at a time. `false` if there is no
    /// such service.
    pub fn select_service(&mut self, service: &ShapeId) -> bool {
        if self.shapes.get(service).map(|s| s.kind) != Some(Kind::Service) {
            return false;
        }
        let mut keep = std::collections::BTreeSet::new();
        let mut todo = vec![service.clone()];
        while let Some(id) = todo.pop() {
            if !keep.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.shapes.get(&id) else {
                continue;
            };
            todo.extend(shape.members.iter().map(|m| m.target.clone()));
            if let Some(op) = &shape.operation {
                todo.extend(op.input.iter().chain(&op.output).chain(&op.errors).cloned());
            }
            if let Some(s) = &shape.service {
                todo.extend(
                    s.operations
                        .iter()
                        .chain(&s.resources)
                        .chain(&s.errors)
                        .cloned(),
                );
            }
            if let Some(r) = &shape.resource {
                todo.extend(r.operations.iter().chain(&r.resources).cloned());
            }
        }
        self.shapes
            .retain(|id, shape| shape.prelude || keep.contains(id));
        self.broken.retain(|id| keep.contains(id));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_ids() {
        let id = ShapeId::parse("com.example#Foo_1").unwrap();
        assert_eq!(id.to_string(), "com.example#Foo_1");
        assert!(ShapeId::parse("Foo").is_err());
        assert!(ShapeId::parse("#Foo").is_err());
        assert!(ShapeId::parse("a..b#Foo").is_err());
        assert!(ShapeId::parse("a#1Foo").is_err());
        assert!(ShapeId::parse("a#Foo$bar").is_err());
        assert!(ShapeId::parse("a#_").is_err());
    }
}
