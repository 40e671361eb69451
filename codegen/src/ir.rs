//! The intermediate representation: the crate to generate, with every Rust name, path, type and
//! wire binding decided. Emitters read only this, never the Smithy model.

/// Where a generated item lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `crate::operation::<name>`: an operation's input, output and error.
    Operation(String),
    /// `crate::types`: shapes shared between operations.
    Types,
    /// `crate::types::error`: modelled errors.
    Errors,
}

/// A path to a generated type: its module and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypePath {
    /// The module.
    pub module: Module,
    /// The type's name.
    pub name: String,
}

/// A Rust type a member holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `Vec<u8>` (base64 in JSON).
    Blob,
    /// `swage_runtime::DateTime`.
    Timestamp,
    /// `swage_runtime::Document` (untyped JSON).
    Document,
    /// `swage_runtime::BigNumber` (bigInteger and bigDecimal, kept as their decimal text).
    BigNumber,
    /// A generated string enum.
    Enum(TypePath),
    /// A generated intEnum.
    IntEnum(TypePath),
    /// A generated union.
    Union(TypePath),
    /// A generated structure.
    Struct(TypePath),
    /// `Vec<T>`; `sparse` lists hold `Option<T>`.
    List {
        /// The element type.
        item: Box<Type>,
        /// Whether elements may be null.
        sparse: bool,
        /// The element's XML name (`member` unless the model says otherwise).
        xml: Box<ItemNames>,
    },
    /// `HashMap<String, T>`; `sparse` maps hold `Option<T>`.
    Map {
        /// The value type.
        value: Box<Type>,
        /// Whether values may be null.
        sparse: bool,
        /// The XML names of the entries' keys and values (`key` and `value` unless the model
        /// says otherwise).
        xml: Box<ItemNames>,
    },
}

/// Where a member travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A URI label.
    Label {
        /// `{Name+}`.
        greedy: bool,
    },
    /// In the body, under its name for the protocol's codec (see [`WireNames`]).
    Body,
    /// `@httpQuery`.
    Query(String),
    /// `@httpQueryParams`: a map of further query parameters.
    QueryParams,
    /// `@httpHeader`.
    Header(String),
    /// `@httpPrefixHeaders`: a map of headers sharing a prefix.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the status code.
    ResponseCode,
}

/// One constraint check on a member's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `@length` (on strings it counts Unicode scalar values).
    Length {
        /// Minimum.
        min: Option<u64>,
        /// Maximum.
        max: Option<u64>,
    },
    /// `@pattern`, enforced through the named static of [`Crate::patterns`].
    Pattern {
        /// The static's name.
        static_name: String,
    },
    /// `@range`: bounds as written.
    Range {
        /// Minimum.
        min: Option<String>,
        /// Maximum.
        max: Option<String>,
    },
    /// The value must be a known enum value.
    KnownEnum,
    /// `@uniqueItems`.
    Unique,
}

/// A member of a structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The member's name in the model (the wire name and the name in violation paths).
    pub wire_name: String,
    /// Its names on the wire, per codec.
    pub wire: WireNames,
    /// The field name (`stream_session_identifier`, `r#type`).
    pub name: String,
    /// The getter's and the fluent setters' name: the field name, unless it would collide with
    /// a method the generated code defines or calls on the same type (see
    /// `naming::member_methods`).
    pub method: String,
    /// The builder's `set_*` method.
    pub setter: String,
    /// The builder's `get_*` method.
    pub builder_getter: String,
    /// Rustdoc, already Markdown.
    pub docs: Option<String>,
    /// The value type.
    pub ty: Type,
    /// `@required`: the field holds `T`, not `Option<T>`, and builders insist on it.
    pub required: bool,
    /// `@sensitive` (on the member or its target): redacted in `Debug`.
    pub sensitive: bool,
    /// Where the member travels.
    pub location: Location,
    /// Constraint checks on the value itself.
    pub checks: Vec<Check>,
    /// Constraint checks on the elements of a list or values of a map, one entry per level of
    /// nesting: `[0]` for the items, `[1]` for the items' items (a list of lists), and so on.
    pub item_checks: Vec<Vec<Check>>,
    /// `@deprecated` message, if deprecated.
    pub deprecated: Option<Option<String>>,
    /// Stored boxed, because the type contains itself through this member.
    pub boxed: bool,
    /// The timestamp format the model asks for (`@timestampFormat`), if any.
    pub timestamp_format: Option<crate::traits::TimestampFormat>,
    /// `@mediaType` of the target (a JSON string header is base64-encoded).
    pub media_type: Option<String>,
    /// `@idempotencyToken`: filled with a fresh UUID v4 when left unset.
    pub idempotency_token: bool,
    /// `@default`: the value a member left unset takes (the field then holds `T`).
    pub default: Option<DefaultValue>,
    /// A response header value that does not parse leaves the field unset instead of failing
    /// the response (a service customization: S3's `Expires`).
    pub lenient: bool,
    /// Prefixes the builder's setters take off the value (a service customization: Route 53's
    /// `/hostedzone/` ids, so that an id read from a response can be passed back as it is).
    pub trim_prefixes: Vec<String>,
}

impl Field {
    /// Whether the caller must set it: `@required` with no `@default`.
    pub fn must_set(&self) -> bool {
        self.required && self.default.is_none()
    }
}

/// A `@default` value, of a kind the member's type can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// A string (or string enum) value.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer (or intEnum) value.
    Int(i64),
    /// A float or double.
    Float(f64),
    /// Seconds since the epoch, for timestamps.
    EpochSeconds(i64),
    /// The empty list or map (the only collection defaults Smithy allows), or an empty blob.
    Empty,
    /// A blob's bytes.
    Bytes(Vec<u8>),
    /// A document, as JSON text.
    Document(String),
}

/// What a structure is for, which decides what is generated for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An operation input: its builder validates.
    Input,
    /// An operation output: parsed from responses, carries the request id.
    Output,
    /// A modelled error.
    Error,
    /// A shape nested in inputs and/or outputs.
    Shared,
}

/// A structure to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Its XML element name (`@xmlName`, else the shape name) and `@xmlNamespace`, for the
    /// XML protocols' bodies and payloads.
    pub xml: XmlName,
    /// The shape id, for docs.
    pub shape_id: String,
    /// Where it lives and its name.
    pub path: TypePath,
    /// Its builder's name.
    pub builder: String,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Members, in model order.
    pub fields: Vec<Field>,
    /// What it is for.
    pub role: Role,
    /// Whether values of it are checked against constraints (it is reachable from an input).
    pub validated: bool,
    /// Whether it is parsed from response bodies (reachable from an output or error).
    pub parsed: bool,
    /// Whether `@sensitive` is on the structure itself.
    pub sensitive: bool,
    /// Whether another shape holds it as a member (so it is read and written as nested JSON even
    /// when it is also an operation's input, output or error).
    pub nested: bool,
    /// `@deprecated` on the shape, with its message.
    pub deprecated: Option<Option<String>>,
}

impl Structure {
    /// Whether any field is redacted in `Debug`.
    pub fn has_sensitive(&self) -> bool {
        self.sensitive || self.fields.iter().any(|f| f.sensitive)
    }
}

/// A string enum to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The shape id, for docs.
    pub shape_id: String,
    /// Where it lives and its name.
    pub path: TypePath,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Variants: (variant name, wire value, docs).
    pub variants: Vec<(String, String, Option<String>)>,
    /// Whether `@sensitive`.
    pub sensitive: bool,
    /// `@deprecated` on the shape, with its message.
    pub deprecated: Option<Option<String>>,
}

/// An intEnum to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    /// The shape id, for docs.
    pub shape_id: String,
    /// Where it lives and its name.
    pub path: TypePath,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Variants: (variant name, value, docs).
    pub variants: Vec<(String, i64, Option<String>)>,
    /// `@deprecated` on the shape, with its message.
    pub deprecated: Option<Option<String>>,
}

/// A member's names on the wire, one per codec; each protocol's codec reads its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireNames {
    /// The JSON key: `@jsonName` where the protocol honours it (restJson1), else the member
    /// name.
    pub json: String,
    /// The XML element or attribute (restXml, and awsQuery/ec2Query responses).
    pub xml: XmlName,
    /// `@ec2QueryName`, for ec2Query requests.
    pub ec2_query: Option<String>,
}

/// The XML names of a collection's members, from `@xmlName` and `@xmlNamespace` on the list's
/// or map's own members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemNames {
    /// A list's element (`member`), or a map's value (`value`).
    pub item: XmlName,
    /// A map's key (`key`); unused for lists.
    pub key: XmlName,
}

/// A member's XML name and form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlName {
    /// `@xmlName`, else the member name.
    pub name: String,
    /// `@xmlAttribute`: an attribute of the parent element, not a child element.
    pub attribute: bool,
    /// `@xmlFlattened`: list items or map entries repeat in place, without a wrapper element.
    pub flattened: bool,
    /// `@xmlNamespace`: the namespace URI and its prefix, if any.
    pub namespace: Option<(String, Option<String>)>,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The variant name.
    pub name: String,
    /// The member's name in the model.
    pub wire_name: String,
    /// Its names on the wire, per codec.
    pub wire: WireNames,
    /// The value it holds; `None` for `smithy.api#Unit` members.
    pub ty: Option<Type>,
    /// Held boxed (the union contains itself through it).
    pub boxed: bool,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Checks on the value.
    pub checks: Vec<Check>,
}

/// A union to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The shape id, for docs.
    pub shape_id: String,
    /// Where it lives and its name.
    pub path: TypePath,
    /// Rustdoc.
    pub docs: Option<String>,
    /// Its members.
    pub variants: Vec<UnionVariant>,
    /// Whether values are checked (reachable from an input).
    pub validated: bool,
    /// Whether values are parsed from responses.
    pub parsed: bool,
    /// `@sensitive` on the union.
    pub sensitive: bool,
    /// `@deprecated` on the shape, with its message.
    pub deprecated: Option<Option<String>>,
}

/// A modelled error an operation can return.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    /// The variant name in the operation's error enum (the error shape's type name).
    pub variant: String,
    /// The error structure.
    pub path: TypePath,
    /// Held boxed in the enum: the structure is large (see `lower`'s `LARGE_ERROR`).
    pub boxed: bool,
    /// The code the service sends (the shape's name).
    pub code: String,
    /// For an `aws.protocols#awsQueryCompatible` service, the error's `@awsQueryError` code:
    /// an error response whose `x-amzn-query-error` header carries it is this error too.
    pub query_code: Option<String>,
    /// `@retryable`.
    pub retryable: bool,
    /// `@retryable(throttling: true)`.
    pub throttling: bool,
}

/// One piece of a URI path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text written as is.
    Literal(String),
    /// A label bound to an input field.
    Label {
        /// The field name.
        field: String,
        /// The member's name in the model.
        wire_name: String,
        /// `{Name+}`.
        greedy: bool,
        /// What an empty value is sent as, where the service defines one (Glacier's
        /// `accountId`: `-`, the caller's own account).
        empty_default: Option<String>,
    },
}

/// An operation: a method-to-be, with its HTTP binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The shape id, for docs.
    pub shape_id: String,
    /// The operation's name in the model, `CreateStreamSessionAdminShell`.
    pub wire_name: String,
    /// The unit struct implementing `swage_runtime::Operation`.
    pub type_name: String,
    /// The module under `crate::operation`.
    pub module: String,
    /// Rustdoc.
    pub docs: Option<String>,
    /// The input structure.
    pub input: TypePath,
    /// The output structure.
    pub output: TypePath,
    /// The error enum's name.
    pub error: String,
    /// The modelled errors, in model order (operation errors, then service errors).
    pub errors: Vec<ErrorVariant>,
    /// How requests are addressed: the `@http` binding, or the RPC protocol's.
    pub binding: Binding,
    /// `aws.api#clientDiscoveredEndpoint(required: true)`: the client discovers the endpoint
    /// first.
    pub discovery: Option<EndpointDiscovery>,
    /// `@deprecated` message, if deprecated.
    pub deprecated: Option<Option<String>>,
    /// `@paginated`, when its tokens are top-level string members.
    pub pagination: Option<Pagination>,
    /// `@endpoint(hostPrefix)`, in pieces (labels are `@hostLabel` input fields).
    pub host_prefix: Option<Vec<PathPart>>,
    /// Endpoint rule-set parameters the operation binds (`staticContextParams`, `contextParam`).
    pub endpoint_bindings: Vec<EndpointBinding>,
    /// Headers every request of the operation carries (service customizations such as
    /// Glacier's `X-Amz-Glacier-Version` and API Gateway's `Accept`).
    pub static_headers: Vec<(String, String)>,
    /// `@requestCompression` with gzip: large bodies are compressed.
    pub gzip: bool,
    /// `@httpChecksumRequired`: the request carries `Content-MD5`.
    pub content_md5: bool,
    /// A `200 OK` whose body is an `<Error>` document is an error (S3, for outputs read from
    /// the body).
    pub errors_in_ok: bool,
    /// `aws.protocols#httpChecksum`: flexible request and response checksums.
    pub http_checksum: Option<HttpChecksum>,
    /// Calls can be presigned (a service customization: S3's object operations).
    pub presignable: bool,
    /// Calls are sent unsigned and need no credentials: `@auth([])`, or a service
    /// customization (STS's `AssumeRoleWithWebIdentity`).
    pub unsigned: bool,
    /// The operation's own `@auth` (non-empty), where it has one.
    pub auth: Option<Vec<Auth>>,
    /// `@optionalAuth`.
    pub optional_auth: bool,
    /// Checksums a service customization adds to the request (see `customize`).
    pub checksums: Option<RequestChecksums>,
    /// An input member (its field name) whose URL gives the host to send the request to (a
    /// service customization: Machine Learning's `Predict`).
    pub host_from: Option<String>,
}

/// An operation's `aws.protocols#httpChecksum`, with its members' request headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpChecksum {
    /// The `@httpHeader` of the `requestAlgorithmMember`, if it is bound to one.
    pub algorithm_header: Option<String>,
    /// `requestChecksumRequired`.
    pub request_required: bool,
    /// The `@httpHeader` of the `requestValidationModeMember`, if it is bound to one.
    pub validation_header: Option<String>,
    /// `responseAlgorithms`.
    pub response_algorithms: Vec<String>,
}

/// How an operation's endpoint is discovered (`aws.api#clientEndpointDiscovery`).
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointDiscovery {
    /// The discovery operation's shape id (the trait's `operation`).
    pub operation: String,
    /// The input's `@clientEndpointDiscoveryId` members, by their names in the model.
    pub identifiers: Vec<String>,
    /// The operation's error variant that says the endpoint is no longer valid (the trait's
    /// `error`), if the operation has it.
    pub invalid_endpoint: Option<String>,
}

/// Checksum headers a service customization requires of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestChecksums {
    /// Glacier's uploads: `x-amz-content-sha256` and `x-amz-sha256-tree-hash`.
    GlacierTreeHash,
}

/// How an operation's requests are addressed.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// `@http` (the REST protocols): method, URI and success code.
    Http(HttpBinding),
    /// A JSON-RPC protocol (awsJson): `POST /`, the operation named in `X-Amz-Target`.
    JsonRpc(RpcBinding),
    /// A query protocol (awsQuery): `POST /` with a form body naming the operation.
    Query {
        /// The `Action`: the operation's shape name.
        action: String,
    },
}

/// An operation's `@http` trait.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpBinding {
    /// The HTTP method, upper case.
    pub method: String,
    /// The URI path, in pieces.
    pub path: Vec<PathPart>,
    /// The literal query string of the URI, if any (`?x-id=Foo`).
    pub literal_query: Option<String>,
    /// The success status code.
    pub success_code: u16,
}

/// How an RPC protocol's request names its operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcBinding {
    /// `X-Amz-Target`: `{service shape name}.{operation shape name}`.
    pub target: String,
    /// The request's `Content-Type`.
    pub content_type: String,
}

/// A rule-set parameter an operation sets.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointBinding {
    /// The parameter's name in the rule set.
    pub param: String,
    /// Where its value comes from.
    pub source: BindingSource,
}

/// Where an operation's endpoint parameter comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum BindingSource {
    /// `smithy.rules#staticContextParams`: a fixed value.
    Static(ParamValue),
    /// `smithy.rules#contextParam`: an input member (its field name).
    Member(String),
    /// `smithy.rules#operationContextParams`: a path into the input, in the JMESPath subset the
    /// trait allows (see [`ContextStep`]).
    Path(Vec<ContextStep>),
}

/// A step of an `operationContextParams` path, applied to what the steps before selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextStep {
    /// A structure member, by its name in the model (`Delete.Objects`).
    Member(String),
    /// `[*]` or `[]` on a list, `*` on a map: what follows applies to each element (a
    /// projection; the results are collected into a list).
    Each,
    /// `keys(...)`: the keys of the map selected so far (a projection).
    Keys,
}

/// How an operation pages: the token members, by field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The input field that takes the token.
    pub input_token: String,
    /// The output field that returns the next token.
    pub output_token: String,
    /// Whether the output token is stored as `String` (required) rather than `Option<String>`.
    pub output_token_required: bool,
    /// The output member holding the page's items, if the model names one.
    pub items: Option<String>,
    /// The input member that sets the page size, if the model names one.
    pub page_size: Option<String>,
}

/// A `@pattern`, compiled once in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternDef {
    /// The static's name.
    pub static_name: String,
    /// The pattern as the model writes it.
    pub source: String,
    /// The ECMA-262 flags.
    pub flags: String,
    /// When set, the pattern runs on `regex-lite` as this exact translation of `source`.
    pub lite: Option<String>,
    /// With `lite`: the pattern is Java's, and its `$` also matches before a final line
    /// terminator, so the value is tried without one too.
    pub java_end: bool,
    /// When set, `regress` compiles this ECMA-262 expression rather than `source` itself: an
    /// exact translation of a Java-only pattern, or the pattern without its leading `(?s)`.
    pub expr: Option<String>,
}

/// The service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The shape id.
    pub shape_id: String,
    /// The title (`@title`) or sdkId.
    pub title: String,
    /// Rustdoc.
    pub docs: Option<String>,
    /// The service version.
    pub version: Option<String>,
    /// The SigV4 signing name.
    pub signing_name: Option<String>,
    /// The auth schemes swage supports, in the order to try them: the service's `@auth`, else
    /// its auth traits by shape id.
    pub auth: Vec<Auth>,
    /// Requests are signed as S3 wants (the path as sent, `x-amz-content-sha256`).
    pub s3_signing: bool,
    /// The client module has `AssumeRoleProvider` (STS).
    pub assume_role_provider: bool,
    /// The protocol the client speaks, decided from the service's protocol traits.
    pub protocol: crate::protocol::Protocol,
    /// `aws.protocols#awsQueryCompatible`: error responses carry the awsQuery code and fault in
    /// `x-amzn-query-error`.
    pub query_compatible: bool,
    /// The service's `@xmlNamespace`: the namespace of restXml request bodies whose input has
    /// none of its own.
    pub xml_namespace: Option<(String, Option<String>)>,
}

/// An auth scheme (a Smithy auth trait swage supports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `aws.auth#sigv4`.
    SigV4,
    /// `smithy.api#httpBearerAuth`.
    Bearer,
    /// `smithy.api#httpApiKeyAuth`.
    ApiKey {
        /// The header or query parameter.
        name: String,
        /// In the query string rather than a header.
        in_query: bool,
        /// The header value's scheme.
        scheme: Option<String>,
    },
    /// `smithy.api#httpBasicAuth`.
    Basic,
}

/// Where a generated crate gets swage's hand-written crates, `swage-runtime` and
/// `swage-transport` (both come from the same place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// From the registry, with this version requirement (such as `0.1.0`).
    Version(String),
    /// From a checkout of swage: the directory holding `runtime/` and `transport/`, written
    /// into `Cargo.toml` as given (relative to the generated crate, or absolute).
    Path(String),
    /// From a git repository of swage, at a revision (a commit, tag or branch) or its default
    /// branch.
    Git {
        /// The repository's URL.
        url: String,
        /// `rev = ...` in `Cargo.toml`, if any.
        rev: Option<String>,
    },
}

impl Default for Runtime {
    /// The registry, at this generator's own version: the runtime it was written with.
    fn default() -> Self {
        Runtime::Version(env!("CARGO_PKG_VERSION").to_owned())
    }
}

impl Runtime {
    /// The inside of the TOML inline table that locates `crate_dir` (`runtime` or `transport`).
    pub fn toml(&self, crate_dir: &str) -> String {
        match self {
            Runtime::Version(v) => format!("version = {v:?}"),
            Runtime::Path(root) => {
                let root = root.trim_end_matches(['/', '\\']);
                let path = if root.is_empty() {
                    crate_dir.to_owned()
                } else {
                    format!("{root}/{crate_dir}")
                };
                format!("path = {path:?}")
            }
            Runtime::Git {
                url,
                rev: Some(rev),
            } => format!("git = {url:?}, rev = {rev:?}"),
            Runtime::Git { url, rev: None } => format!("git = {url:?}"),
        }
    }
}

/// The crate to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Crate {
    /// The package name.
    pub package: String,
    /// Where the crate gets `swage-runtime` and `swage-transport`.
    pub runtime: Runtime,
    /// Hand-written examples listed in `Cargo.toml`.
    pub examples: Vec<Example>,
    /// The model file it was generated from (the file name only, for docs).
    pub model_file: String,
    /// The service.
    pub service: Service,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Structures, sorted by module and name.
    pub structures: Vec<Structure>,
    /// Enums, sorted by module and name.
    pub enums: Vec<Enum>,
    /// intEnums, sorted by name.
    pub int_enums: Vec<IntEnum>,
    /// Unions, sorted by name.
    pub unions: Vec<Union>,
    /// Patterns, sorted by static name.
    pub patterns: Vec<PatternDef>,
    /// The endpoint rule set, if the service has one swage can run.
    pub endpoint_rules: Option<EndpointRules>,
    /// The model's protocol compliance cases, when they are to be generated as tests.
    pub compliance: Option<Compliance>,
}

/// The protocol compliance cases of a model (`smithy.test#httpRequestTests` and
/// `httpResponseTests`), each becoming one `#[test]` in the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Compliance {
    /// How the crate dev-depends on `swage-compliance` (the TOML value).
    pub dependency: String,
    /// The cases, operations' first, then errors'.
    pub cases: Vec<ComplianceCase>,
    /// Cases that could not be generated: (case id, reason).
    pub skipped: Vec<(String, String)>,
}

/// One compliance case.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceCase {
    /// The case id in the model.
    pub id: String,
    /// The test function's name.
    pub fn_name: String,
    /// The case's documentation.
    pub docs: Option<String>,
    /// What it tests.
    pub kind: CaseKind,
}

/// A request or a response case.
#[derive(Debug, Clone, PartialEq)]
// A few hundred cases per model, built once: boxing the larger variant buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum CaseKind {
    /// Serialize `input` and compare the request with the expectations.
    Request {
        /// The operation, as an index into [`Crate::operations`].
        op: usize,
        /// The input, built through the public builder.
        input: CaseValue,
        /// The endpoint the request is built for.
        endpoint: String,
        /// When the case configures the client (`vendorParams`) and the crate has endpoint
        /// rules: the rule-set parameters (field, value, whether the field is optional) the
        /// endpoint is resolved from, after the operation binds its own from the input.
        endpoint_params: Option<Vec<(String, ParamValue, bool)>>,
        /// Expected method.
        method: String,
        /// Expected path.
        uri: String,
        /// Expected host, if the case says.
        resolved_host: Option<String>,
        /// `key=value` pairs that must be in the query string.
        query_params: Vec<String>,
        /// Query keys that must be absent.
        forbid_query_params: Vec<String>,
        /// Query keys that must be present.
        require_query_params: Vec<String>,
        /// Headers that must have these values.
        headers: Vec<(String, String)>,
        /// Headers that must be absent.
        forbid_headers: Vec<String>,
        /// Headers that must be present.
        require_headers: Vec<String>,
        /// The expected body.
        body: Option<String>,
        /// The body's media type.
        body_media_type: Option<String>,
    },
    /// Parse the response and compare with `expected`.
    Response {
        /// The operation, as an index into [`Crate::operations`].
        op: usize,
        /// The status code.
        status: u16,
        /// The response headers.
        headers: Vec<(String, String)>,
        /// The response body.
        body: String,
        /// The error variant expected, or `None` for the output.
        error: Option<String>,
        /// The expected output or error structure.
        expected: CaseValue,
    },
    /// A `smithy.rules#endpointTests` case whose `operationInputs` set members of the input:
    /// each call's input goes through the operation's `endpoint_params`, and the resolved
    /// endpoint is compared with the expectation.
    Endpoint {
        /// One per `operationInputs` entry.
        calls: Vec<EndpointCall>,
        /// The expected endpoint or error.
        expect: EndpointExpect,
    },
}

/// One operation call of an endpoint case.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointCall {
    /// The operation, as an index into [`Crate::operations`].
    pub op: usize,
    /// The input, built through the public builder.
    pub input: CaseValue,
    /// The parameters the client's configuration gives (`builtInParams`, `clientParams`): the
    /// field, the value and whether the field is an `Option`.
    pub params: Vec<(String, ParamValue, bool)>,
}

/// What an endpoint case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointExpect {
    /// An endpoint: its URL, its properties as JSON text, and its headers.
    Endpoint {
        /// The URL.
        url: String,
        /// The properties, as a JSON object's text.
        properties: String,
        /// The headers and their values.
        headers: Vec<(String, Vec<String>)>,
    },
    /// An error with this message.
    Error(String),
}

/// A value from a case's `params`, typed against the IR.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseValue {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer of the given type.
    Int(i64, Type),
    /// A float or double as its text (`NaN`, `Infinity` and `-Infinity` included).
    Float(String, Type),
    /// A blob, given as its bytes' text.
    Blob(String),
    /// A timestamp as epoch seconds text.
    Timestamp(String),
    /// A document as JSON text.
    Document(String),
    /// A bigInteger or bigDecimal as text.
    Big(String),
    /// A string enum value.
    Enum(TypePath, String),
    /// An intEnum value.
    IntEnum(TypePath, i64),
    /// A structure, built through its builder: `(setter, value)` pairs. `checked` builders
    /// return a `Result`.
    Struct {
        /// The structure.
        path: TypePath,
        /// Whether its builder validates (and so has `build_unchecked`).
        checked: bool,
        /// Whether its `build` returns a `Result` (it validates, or has required members).
        fallible: bool,
        /// Setters (`set_x`) and values.
        fields: Vec<(String, CaseValue)>,
    },
    /// A union value.
    Union {
        /// The union.
        path: TypePath,
        /// The variant.
        variant: String,
        /// Its value (`None` for unit variants).
        value: Option<Box<CaseValue>>,
        /// Whether the variant holds its value boxed.
        boxed: bool,
    },
    /// A list; `None` items are nulls of a sparse list.
    List {
        /// The items.
        items: Vec<Option<CaseValue>>,
        /// Whether the list is sparse.
        sparse: bool,
        /// The item type (for empty lists).
        item: Type,
    },
    /// A map; `None` values are nulls of a sparse map.
    Map {
        /// The entries, in key order.
        entries: Vec<(String, Option<CaseValue>)>,
        /// Whether the map is sparse.
        sparse: bool,
        /// The value type (for empty maps).
        value: Type,
    },
}

/// The service's endpoint rule set (`smithy.rules#endpointRuleSet`), checked and with every
/// variable resolved to a slot.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRules {
    /// Parameters, in slot order.
    pub params: Vec<EndpointParam>,
    /// The constant name of every slot (parameters first, then assigned variables).
    pub slots: Vec<String>,
    /// The rule set's name for every slot.
    pub slot_sources: Vec<String>,
    /// The parameters the service lets clients set (`smithy.rules#clientContextParams`).
    pub client_params: Vec<String>,
    /// The top-level rules.
    pub rules: Vec<EndpointRuleIr>,
}

/// A rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointParam {
    /// Its name in the rule set.
    pub name: String,
    /// The Rust field.
    pub field: String,
    /// Its type.
    pub kind: ParamKind,
    /// `required`.
    pub required: bool,
    /// `default`.
    pub default: Option<ParamValue>,
    /// `builtIn`, such as `AWS::Region`.
    pub built_in: Option<String>,
    /// Rustdoc.
    pub docs: Option<String>,
    /// `deprecated`, with its message.
    pub deprecated: Option<Option<String>>,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A parameter value (a default).
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

/// A rule.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRuleIr {
    /// Its conditions.
    pub conditions: Vec<ConditionIr>,
    /// What it selects.
    pub then: ThenIr,
}

/// What a rule selects.
#[derive(Debug, Clone, PartialEq)]
pub enum ThenIr {
    /// An endpoint: URL, properties, headers.
    Endpoint {
        url: ExprIr,
        properties: Vec<(String, ExprIr)>,
        headers: Vec<(String, Vec<ExprIr>)>,
    },
    /// An error message.
    Error(ExprIr),
    /// Nested rules.
    Tree(Vec<EndpointRuleIr>),
}

/// A condition.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionIr {
    /// The expression.
    pub expr: ExprIr,
    /// The slot it assigns.
    pub assign: Option<usize>,
}

/// An expression, as `swage_runtime::endpoint::Expr` has it.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprIr {
    /// A plain string.
    Str(String),
    /// A template: literal text and placeholders.
    Template(Vec<PartIr>),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(Vec<ExprIr>),
    /// An object.
    Record(Vec<(String, ExprIr)>),
    /// A slot.
    Ref(usize),
    /// A `getAttr` path into a value.
    GetAttr(Box<ExprIr>, Vec<StepIr>),
    /// A call: the runtime's `Function` variant name and the arguments.
    Call(String, Vec<ExprIr>),
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum PartIr {
    /// Text.
    Text(String),
    /// A placeholder.
    Value(ExprIr),
}

/// A `getAttr` step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepIr {
    /// A key.
    Key(String),
    /// An index.
    Index(usize),
}

/// A `[[example]]` of the generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Example {
    /// Its name (`cargo run --example NAME`).
    pub name: String,
    /// Its path, relative to the crate.
    pub path: String,
    /// The crate features it needs.
    pub required_features: Vec<String>,
}
