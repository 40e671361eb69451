//! A plain serde mirror of the Smithy 2.0 JSON AST. Nothing here reasons about the model: the
//! loader turns these into the resolved [`crate::model`].

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Traits as written: absolute trait id to its value.
pub type TraitMap = BTreeMap<String, Value>;

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ref {
    /// The absolute shape id.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The absolute shape id of the member's type.
    pub target: String,
    /// The member's traits.
    #[serde(default)]
    pub traits: TraitMap,
}

/// A shape of a type with nothing but traits and mixins (blob, string, numbers, ...).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simple {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// A shape with named members (enum, intEnum, structure, union).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Members in model order.
    #[serde(default)]
    pub members: Ordered<Member>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// A list shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The element member.
    pub member: Option<Member>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// A map shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The key member.
    pub key: Option<Member>,
    /// The value member.
    pub value: Option<Member>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// A service shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The service version.
    #[serde(default)]
    pub version: Option<String>,
    /// Operations bound directly to the service.
    #[serde(default)]
    pub operations: Vec<Ref>,
    /// Resources bound to the service.
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// Errors every operation of the service can return.
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// Renamed shapes, shape id to new name.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// A resource shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resource {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Identifier names to their shapes.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Ref>,
    /// Property names to their shapes.
    #[serde(default)]
    pub properties: BTreeMap<String, Ref>,
    /// Lifecycle operations.
    pub create: Option<Ref>,
    /// Lifecycle operations.
    pub put: Option<Ref>,
    /// Lifecycle operations.
    pub read: Option<Ref>,
    /// Lifecycle operations.
    pub update: Option<Ref>,
    /// Lifecycle operations.
    pub delete: Option<Ref>,
    /// Lifecycle operations.
    pub list: Option<Ref>,
    /// Instance operations.
    #[serde(default)]
    pub operations: Vec<Ref>,
    /// Collection operations.
    #[serde(default)]
    pub collection_operations: Vec<Ref>,
    /// Child resources.
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// An operation shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The input structure (absent means `smithy.api#Unit`).
    pub input: Option<Ref>,
    /// The output structure (absent means `smithy.api#Unit`).
    pub output: Option<Ref>,
    /// The errors the operation can return.
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// The shape's traits.
    #[serde(default)]
    pub traits: TraitMap,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<Ref>,
}

/// Traits applied to a shape or member defined elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apply {
    /// The shape type, as written.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The traits to add.
    #[serde(default)]
    pub traits: TraitMap,
}

/// One entry of the `shapes` object.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum Shape {
    Blob(Simple),
    Boolean(Simple),
    String(Simple),
    Byte(Simple),
    Short(Simple),
    Integer(Simple),
    Long(Simple),
    Float(Simple),
    Double(Simple),
    BigInteger(Simple),
    BigDecimal(Simple),
    Timestamp(Simple),
    Document(Simple),
    Enum(Aggregate),
    IntEnum(Aggregate),
    List(List),
    Set(List),
    Map(Map),
    Structure(Aggregate),
    Union(Aggregate),
    Service(Service),
    Resource(Resource),
    Operation(Operation),
    Apply(Apply),
}

impl Shape {
    /// Reads one shape from its JSON text. The type is looked up first, then the shape is read
    /// as that type, so an error can name the path inside the shape where it went wrong.
    pub fn parse(text: &str) -> Result<Shape, (String, String)> {
        #[derive(Deserialize)]
        struct Tag {
            #[serde(rename = "type")]
            kind: Option<Value>,
        }
        let tag: Tag = serde_json::from_str(text).map_err(|e| (String::new(), e.to_string()))?;
        let kind = match tag.kind {
            Some(Value::String(k)) => k,
            Some(other) => {
                return Err((
                    "type".into(),
                    format!("`type` must be a string, found {other}"),
                ))
            }
            None => return Err((String::new(), "the shape has no `type`".into())),
        };
        fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                let inner = inner.split(" at line ").next().unwrap_or(&inner).to_owned();
                (if path == "." { String::new() } else { path }, inner)
            })
        }
        Ok(match kind.as_str() {
            "blob" => Shape::Blob(read(text)?),
            "boolean" => Shape::Boolean(read(text)?),
            "string" => Shape::String(read(text)?),
            "byte" => Shape::Byte(read(text)?),
            "short" => Shape::Short(read(text)?),
            "integer" => Shape::Integer(read(text)?),
            "long" => Shape::Long(read(text)?),
            "float" => Shape::Float(read(text)?),
            "double" => Shape::Double(read(text)?),
            "bigInteger" => Shape::BigInteger(read(text)?),
            "bigDecimal" => Shape::BigDecimal(read(text)?),
            "timestamp" => Shape::Timestamp(read(text)?),
            "document" => Shape::Document(read(text)?),
            "enum" => Shape::Enum(read(text)?),
            "intEnum" => Shape::IntEnum(read(text)?),
            "list" => Shape::List(read(text)?),
            "set" => Shape::Set(read(text)?),
            "map" => Shape::Map(read(text)?),
            "structure" => Shape::Structure(read(text)?),
            "union" => Shape::Union(read(text)?),
            "service" => Shape::Service(read(text)?),
            "resource" => Shape::Resource(read(text)?),
            "operation" => Shape::Operation(read(text)?),
            "apply" => Shape::Apply(read(text)?),
            other => return Err(("type".into(), format!("unknown shape type `{other}`"))),
        })
    }
}

/// The shape type names the AST accepts, for diagnostics.
pub const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "resource",
    "operation",
    "apply",
];

/// An object whose entries keep the order the model lists them in (member order is meaningful
/// in Smithy, and diagnostics read best in file order). A key given twice is an error.
#[derive(Debug, Clone)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Ordered<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(serde::de::Error::custom(format!(
                            "`{key}` is defined twice"
                        )));
                    }
                    let value = map.next_value::<T>()?;
                    out.push((key, value));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// The top level of a model file. Shapes stay raw here so that each one is read on its own and
/// a broken shape is reported without hiding the others.
#[derive(Debug, Deserialize)]
pub struct File<'a> {
    /// The IDL version, `"2.0"` (or `"2"`).
    pub smithy: Option<Value>,
    /// Model metadata (kept, not used).
    pub metadata: Option<Value>,
    /// The shapes, shape id to the shape's raw JSON.
    #[serde(borrow)]
    pub shapes: Option<Ordered<&'a serde_json::value::RawValue>>,
}
