//! Lowering: the validated [`Model`] into the [`ir::Crate`], deciding every name (through
//! [`naming`]), type, module and wire binding. Anything swage cannot generate yet is reported
//! here as an error naming the shape and member, never silently dropped.

use crate::diagnostics::Reporter;
use crate::docs;
use crate::ir::{self, Check, Field, Location, Module, PathPart, Role, Type, TypePath};
use crate::model::{Kind, Member, Model, Shape, ShapeId};
use crate::naming;

/// Union variants holding more than this many bytes are boxed (see `Lowerer::large`).
const LARGE_VARIANT: usize = 128;
/// Error structures of more than this many bytes are boxed in their operation's error enum:
/// the enum, and the client's `SdkError` around it, then stay under clippy's 128-byte
/// `result_large_err` limit.
const LARGE_ERROR: usize = 72;
use crate::customize::Customization;
use crate::patterns::{self, Plan};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How to generate: the names and dependencies the caller decides. `Options::default()` is
/// what a user outside swage's repository wants: the package named from the model, the runtime
/// from crates.io at this generator's version.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The package name; by default derived from the service's sdkId.
    pub package: Option<String>,
    /// The service to generate, for a model file that holds several (the rest of the file is
    /// ignored); `None` when the file holds exactly one.
    pub service: Option<String>,
    /// Generate the model's protocol compliance cases as tests (`src/protocol_tests.rs`), with
    /// this TOML value as the `swage-compliance` dev-dependency.
    pub compliance_dependency: Option<String>,
    /// Where the generated crate gets `swage-runtime` and `swage-transport`: crates.io by
    /// default.
    pub runtime: Runtime,
    /// The command that regenerates the crate, named in every generated file's header;
    /// `swage generate` when empty.
    pub command: String,
    /// Hand-written examples the crate's `Cargo.toml` lists (they live outside the crate, so
    /// the crate stays entirely generated).
    pub examples: Vec<Example>,
    /// Also generate protocols still being built (awsQuery): for their protocol test suite
    /// only, never for users.
    pub unfinished_protocols: bool,
}

pub use crate::ir::{Example, Runtime};

struct Lowerer<'a> {
    /// The service's traits (auth traits' parameters, for operations' `@auth`).
    service_traits: &'a crate::ast::TraitMap,
    /// The service's protocol.
    protocol: crate::protocol::Protocol,
    /// The service's shape name (`X-Amz-Target`'s first part).
    service_name: String,
    /// `aws.protocols#awsQueryCompatible` on the service.
    query_compatible: bool,
    /// `aws.api#clientEndpointDiscovery` on the service.
    discovery_trait: Option<serde_json::Value>,
    model: &'a Model,
    report: &'a mut Reporter,
    /// Structure shape id → (path, role), decided before any field is lowered, so forward and
    /// recursive references resolve without special cases.
    structures: BTreeMap<ShapeId, (TypePath, Role)>,
    enums: BTreeMap<ShapeId, TypePath>,
    int_enums: BTreeMap<ShapeId, TypePath>,
    unions: BTreeMap<ShapeId, TypePath>,
    /// Shapes on a cycle of direct structure/union members, by cycle: a member between two
    /// shapes of one cycle is boxed.
    cycle_of: BTreeMap<ShapeId, usize>,
    validated: BTreeSet<ShapeId>,
    parsed: BTreeSet<ShapeId>,
    /// Shapes some other shape holds as a member.
    nested: BTreeSet<ShapeId>,
    /// (source, flags) → static name.
    patterns: BTreeMap<(String, String), String>,
    /// (source, flags) → `regex-lite` translation, for patterns that have one.
    /// Patterns run by `regex-lite`: the expression, and whether it has Java's `$`.
    lite_exprs: BTreeMap<(String, String), (String, bool)>,
    /// (source, flags) → the ECMA-262 expression `regress` compiles, where it is not the model's
    /// pattern as written (a Java-only pattern translated, a leading `(?s)` made a flag).
    ecma_exprs: BTreeMap<(String, String), String>,
    pattern_names: BTreeSet<String>,
    /// Operation input/output type (keyed by a synthetic id per operation) → the model's
    /// structure it is made from. Every operation gets types of its own even where two share a
    /// structure, or one's input is another's output.
    io_source: BTreeMap<ShapeId, ShapeId>,
    /// The service's `rename` map: shape id → the name it has in this service's client.
    renames: BTreeMap<ShapeId, String>,
    /// Service-specific behaviour the model alone does not describe.
    customization: Customization,
    /// The names of the endpoint rule set's parameters (none without a rule set).
    rule_params: BTreeSet<String>,
    /// Outputs of operations with `aws.customizations#s3UnwrappedXmlOutput`: their root
    /// element is their one body member.
    unwrapped_outputs: BTreeSet<ShapeId>,
    /// Model docs as Markdown, each text converted once (a large model repeats many).
    markdown: std::cell::RefCell<HashMap<String, String>>,
    /// How each pattern is enforced, each planned once (planning compiles it).
    plans: HashMap<String, Plan>,
}

/// Lowers `model`; returns `None` if anything could not be lowered (the reasons are reported).
pub fn lower(model: &Model, options: &Options, report: &mut Reporter) -> Option<ir::Crate> {
    let services: Vec<&Shape> = model.services().collect();
    let [service] = services.as_slice() else {
        if services.len() > 1 {
            report.error(
                None,
                None,
                format!(
                    "the model has {} services; swage generates one crate per service",
                    services.len()
                ),
                "split the model, one service per file",
            );
        }
        return None;
    };
    // The protocol first: without one swage supports, nothing else matters.
    let protocol = crate::protocol::decide(model, service, options.unfinished_protocols, report)?;
    let mut l = Lowerer {
        service_traits: &service.traits.raw,
        protocol,
        service_name: service.id.name.clone(),
        query_compatible: service
            .traits
            .raw
            .contains_key("aws.protocols#awsQueryCompatible"),
        discovery_trait: service
            .traits
            .raw
            .get("aws.api#clientEndpointDiscovery")
            .cloned(),
        model,
        report,
        structures: BTreeMap::new(),
        enums: BTreeMap::new(),
        int_enums: BTreeMap::new(),
        unions: BTreeMap::new(),
        cycle_of: cycles(model),
        validated: BTreeSet::new(),
        parsed: BTreeSet::new(),
        nested: BTreeSet::new(),
        patterns: BTreeMap::new(),
        lite_exprs: BTreeMap::new(),
        ecma_exprs: BTreeMap::new(),
        pattern_names: BTreeSet::new(),
        io_source: BTreeMap::new(),
        renames: service
            .service
            .as_ref()
            .map(|s| s.rename.clone())
            .unwrap_or_default(),
        customization: Customization::of(service),
        rule_params: service
            .traits
            .raw
            .get("smithy.rules#endpointRuleSet")
            .and_then(|rs| rs.get("parameters"))
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default(),
        unwrapped_outputs: BTreeSet::new(),
        markdown: Default::default(),
        plans: HashMap::new(),
    };
    let op_ids: Vec<ShapeId> = l
        .operations_of(service)
        .into_iter()
        .filter(|id| !l.skip_event_stream(id))
        .collect();
    let common_errors = service
        .service
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    l.assign_paths(&op_ids, &common_errors);
    let common_paginated = service.traits.raw.get("smithy.api#paginated").cloned();
    let mut operations: Vec<ir::Operation> = op_ids
        .iter()
        .filter_map(|id| l.operation(id, &common_errors, common_paginated.as_ref()))
        .collect();
    operations.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    check_distinct(
        l.report,
        operations
            .iter()
            .map(|o| (o.shape_id.clone(), o.module.clone())),
        "operation module",
    );

    let mut structures = Vec::new();
    let mut enums = Vec::new();
    let structure_ids: Vec<(ShapeId, (TypePath, Role))> = l
        .structures
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (id, (path, role)) in structure_ids {
        if let Some(s) = l.structure(&id, path, role) {
            structures.push(s);
        }
    }
    let enum_ids: Vec<(ShapeId, TypePath)> = l
        .enums
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (id, path) in enum_ids {
        enums.push(l.enumeration(&id, path));
    }
    let int_enum_ids: Vec<(ShapeId, TypePath)> = l
        .int_enums
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let int_enums: Vec<ir::IntEnum> = int_enum_ids
        .into_iter()
        .map(|(id, path)| l.int_enumeration(&id, path))
        .collect();
    let union_ids: Vec<(ShapeId, TypePath)> = l
        .unions
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut unions: Vec<ir::Union> = union_ids
        .into_iter()
        .filter_map(|(id, path)| l.union(&id, path))
        .collect();
    unions.sort_by(|a, b| a.path.cmp(&b.path));
    structures.sort_by(|a, b| a.path.cmp(&b.path));
    enums.sort_by(|a, b| a.path.cmp(&b.path));
    check_distinct(
        l.report,
        structures
            .iter()
            .map(|s| (s.shape_id.clone(), &s.path))
            .chain(enums.iter().map(|e| (e.shape_id.clone(), &e.path)))
            .chain(int_enums.iter().map(|e| (e.shape_id.clone(), &e.path)))
            .chain(unions.iter().map(|u| (u.shape_id.clone(), &u.path)))
            .map(|(id, p)| (id, format!("{:?}::{}", p.module, p.name))),
        "type name",
    );
    let mut patterns: Vec<ir::PatternDef> = l
        .patterns
        .iter()
        .map(|(key, name)| ir::PatternDef {
            static_name: name.clone(),
            source: key.0.clone(),
            flags: key.1.clone(),
            lite: l.lite_exprs.get(key).map(|(expr, _)| expr.clone()),
            java_end: l.lite_exprs.get(key).is_some_and(|(_, java_end)| *java_end),
            expr: l.ecma_exprs.get(key).cloned(),
        })
        .collect();
    patterns.sort_by(|a, b| a.static_name.cmp(&b.static_name));

    let mut endpoint_rules = service
        .traits
        .raw
        .get("smithy.rules#endpointRuleSet")
        .and_then(|rs| crate::rules::lower(&service.id.to_string(), rs, l.report));
    if let (Some(rules), Some(params)) = (
        endpoint_rules.as_mut(),
        service
            .traits
            .raw
            .get("smithy.rules#clientContextParams")
            .and_then(|v| v.as_object()),
    ) {
        rules.client_params = params
            .keys()
            .filter(|name| rules.params.iter().any(|p| &&p.name == name))
            .cloned()
            .collect();
    }
    let t = &service.traits;
    let sdk_id = t.sdk_id.clone().unwrap_or_else(|| service.id.name.clone());
    let mut krate = ir::Crate {
        package: options
            .package
            .clone()
            .unwrap_or_else(|| naming::package_from_sdk_id(&sdk_id)),
        runtime: options.runtime.clone(),
        examples: options.examples.clone(),
        model_file: std::path::Path::new(&model.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        service: ir::Service {
            shape_id: service.id.to_string(),
            title: t.title.clone().unwrap_or(sdk_id),
            docs: t.documentation.as_deref().map(|d| l.markdown(d)),
            version: service.service.as_ref().and_then(|s| s.version.clone()),
            signing_name: t.sigv4_name.clone(),
            auth: service_auth(&service.traits.raw),
            s3_signing: l.customization.s3_signing(),
            assume_role_provider: l.customization.assume_role_provider()
                && ["AssumeRole", "AssumeRoleWithWebIdentity"]
                    .iter()
                    .all(|name| operations.iter().any(|o| o.wire_name == *name)),
            protocol,
            query_compatible: l.query_compatible,
            xml_namespace: xml_name_of(t, "").namespace,
        },
        operations,
        structures,
        enums,
        int_enums,
        unions,
        patterns,
        endpoint_rules,
        compliance: None,
    };
    if let Some(dependency) = &options.compliance_dependency {
        krate.compliance = Some(crate::compliance::lower(model, &krate, dependency));
    }
    (!l.report.has_errors()).then_some(krate)
}

/// Reports two shapes that ended up with the same Rust name.
fn check_distinct(
    report: &mut Reporter,
    names: impl Iterator<Item = (String, String)>,
    what: &str,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (shape, name) in names {
        if let Some(first) = seen.get(&name) {
            report.error(Some(&shape), None, format!("its {what} `{name}` is the same as that of `{first}`"), "rename one of the shapes (the service's `rename` map can do it without changing the wire format)");
        } else {
            seen.insert(name, shape);
        }
    }
}

impl Lowerer<'_> {
    fn sid(&self, id: &ShapeId) -> String {
        id.to_string()
    }

    /// The operations of a service, through its resources too, in id order.
    fn operations_of(&self, service: &Shape) -> Vec<ShapeId> {
        let mut out = BTreeSet::new();
        let mut resources: Vec<ShapeId> = Vec::new();
        if let Some(info) = &service.service {
            out.extend(info.operations.iter().cloned());
            resources.extend(info.resources.iter().cloned());
        }
        let mut seen = BTreeSet::new();
        while let Some(r) = resources.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            if let Some(info) = self.model.shape(&r).and_then(|s| s.resource.as_ref()) {
                out.extend(info.operations.iter().cloned());
                resources.extend(info.resources.iter().cloned());
            }
        }
        out.into_iter()
            .filter(|id| {
                self.model
                    .shape(id)
                    .is_some_and(|s| s.kind == Kind::Operation)
            })
            .collect()
    }

    /// Event streams are not generated yet: such an operation is skipped with a warning naming
    /// it, and the rest of the service is generated.
    fn skip_event_stream(&mut self, op: &ShapeId) -> bool {
        let Some(info) = self.model.shape(op).and_then(|s| s.operation.as_ref()) else {
            return false;
        };
        let streams = [&info.input, &info.output]
            .into_iter()
            .flatten()
            .filter_map(|io| self.model.shape(io))
            .any(|io| {
                io.members.iter().any(|m| {
                    self.model
                        .shape(&m.target)
                        .is_some_and(|t| t.kind == Kind::Union && t.traits.streaming)
                })
            });
        if streams {
            self.report.warning(
                Some(&op.to_string()),
                None,
                "event-stream operation skipped: swage does not generate event streams yet",
                "the rest of the service is generated; call this operation another way for now",
            );
        }
        streams
    }

    /// Decides where every structure and enum lives before anything is lowered.
    fn assign_paths(&mut self, ops: &[ShapeId], common_errors: &[ShapeId]) {
        let mut shared_roots: Vec<(ShapeId, bool)> = Vec::new();
        for op_id in ops {
            let Some(info) = self.model.shape(op_id).and_then(|s| s.operation.as_ref()) else {
                continue;
            };
            let module = naming::module(&op_id.name);
            let input_name = format!("{}Input", naming::type_name(&op_id.name));
            let output_name = format!("{}Output", naming::type_name(&op_id.name));
            let input_path = TypePath {
                module: Module::Operation(module.clone()),
                name: input_name,
            };
            let output_path = TypePath {
                module: Module::Operation(module.clone()),
                name: output_name,
            };
            // Inputs and outputs get per-operation types named after the operation, as users of
            // AWS SDKs expect; a missing input or output is an empty structure of that name.
            self.structures
                .insert(synthetic(op_id, "Input"), (input_path, Role::Input));
            self.structures
                .insert(synthetic(op_id, "Output"), (output_path, Role::Output));
            if self.model.shape(op_id).is_some_and(|op| {
                op.traits
                    .raw
                    .contains_key("aws.customizations#s3UnwrappedXmlOutput")
            }) {
                self.unwrapped_outputs.insert(synthetic(op_id, "Output"));
            }
            for (real, suffix, from_input) in [
                (&info.input, "Input", true),
                (&info.output, "Output", false),
            ] {
                let Some(real) = real else { continue };
                self.io_source
                    .insert(synthetic(op_id, suffix), real.clone());
                // The structure itself becomes the operation's own type; what it holds is shared.
                for m in self
                    .model
                    .shape(real)
                    .map(|s| s.members.as_slice())
                    .unwrap_or_default()
                {
                    self.nested.insert(m.target.clone());
                    shared_roots.push((m.target.clone(), from_input));
                }
            }
            for e in info.errors.iter().chain(common_errors) {
                shared_roots.push((e.clone(), false));
                self.structures.entry(e.clone()).or_insert_with(|| {
                    (
                        TypePath {
                            module: Module::Errors,
                            name: naming::type_name(service_name(&self.renames, e)),
                        },
                        Role::Error,
                    )
                });
            }
        }
        // Everything reachable from inputs, outputs and errors.
        let mut stack = shared_roots;
        while let Some((id, from_input)) = stack.pop() {
            if id.is_unit() {
                continue;
            }
            let set = if from_input {
                &mut self.validated
            } else {
                &mut self.parsed
            };
            if !set.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.model.shape(&id) else {
                continue;
            };
            match shape.kind {
                Kind::Structure => {
                    self.structures.entry(id.clone()).or_insert_with(|| {
                        (
                            TypePath {
                                module: Module::Types,
                                name: naming::type_name(service_name(&self.renames, &id)),
                            },
                            Role::Shared,
                        )
                    });
                }
                Kind::Enum => {
                    self.enums.entry(id.clone()).or_insert_with(|| TypePath {
                        module: Module::Types,
                        name: naming::type_name(service_name(&self.renames, &id)),
                    });
                }
                Kind::IntEnum => {
                    self.int_enums
                        .entry(id.clone())
                        .or_insert_with(|| TypePath {
                            module: Module::Types,
                            name: naming::type_name(service_name(&self.renames, &id)),
                        });
                }
                Kind::Union => {
                    self.unions.entry(id.clone()).or_insert_with(|| TypePath {
                        module: Module::Types,
                        name: naming::type_name(service_name(&self.renames, &id)),
                    });
                }
                _ => {}
            }
            for m in &shape.members {
                self.nested.insert(m.target.clone());
                stack.push((m.target.clone(), from_input));
            }
        }
    }

    /// `@endpoint(hostPrefix)` in pieces; each `{Label}` must be a required `@hostLabel` string
    /// member of the input.
    fn host_prefix(
        &mut self,
        op: &ShapeId,
        prefix: &str,
        input: &ShapeId,
    ) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut rest = prefix;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.report.error(
                    Some(&op.to_string()),
                    None,
                    format!(
                        "`@endpoint` hostPrefix `{prefix}` opens a label but does not close it"
                    ),
                    "write labels as `{Name}`",
                );
                return None;
            };
            let name = &rest[open + 1..open + close];
            let member = self.model.shape(input).and_then(|s| s.member(name));
            let ok = member.is_some_and(|m| {
                m.traits.host_label
                    && m.traits.required
                    && self
                        .model
                        .shape(&m.target)
                        .is_some_and(|t| t.kind == Kind::String)
            });
            if !ok {
                self.report.error(
                    Some(&op.to_string()),
                    None,
                    format!("`@endpoint` hostPrefix label `{{{name}}}` has no required `@hostLabel` string member in the input"),
                    format!("add a member `{name}` with `@hostLabel` and `@required` to the input, or fix the prefix"),
                );
                return None;
            }
            parts.push(PathPart::Label {
                field: naming::field(name),
                wire_name: name.to_owned(),
                greedy: false,
                empty_default: None,
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        Some(parts)
    }

    /// `@paginated` (the operation's over the service's defaults), when both tokens are
    /// top-level string members; nested token paths get no helper.
    fn pagination(
        &self,
        op: &Shape,
        info: &crate::model::OperationInfo,
        service: Option<&serde_json::Value>,
    ) -> Option<ir::Pagination> {
        let own = op.traits.raw.get("smithy.api#paginated")?;
        let get = |key: &str| {
            own.get(key)
                .or_else(|| service.and_then(|s| s.get(key)))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let (input_token, output_token) = (get("inputToken")?, get("outputToken")?);
        let input = self.model.shape(info.input.as_ref()?)?;
        let output = self.model.shape(info.output.as_ref()?)?;
        let is_string = |m: &&crate::model::Member| {
            self.model
                .shape(&m.target)
                .is_some_and(|t| t.kind == Kind::String)
        };
        let input_member = input.member(&input_token).filter(is_string)?;
        let output_member = output.member(&output_token).filter(is_string)?;
        if input_member.traits.required {
            return None;
        }
        Some(ir::Pagination {
            input_token: naming::field(&input_token),
            output_token: naming::field(&output_token),
            output_token_required: output_member.traits.required
                && !output_member.traits.client_optional,
            items: get("items"),
            page_size: get("pageSize"),
        })
    }

    fn operation(
        &mut self,
        id: &ShapeId,
        common_errors: &[ShapeId],
        common_paginated: Option<&serde_json::Value>,
    ) -> Option<ir::Operation> {
        let shape = self.model.shape(id)?;
        let info = shape.operation.as_ref()?;
        let sid = self.sid(id);
        let endpoint_bindings = self.endpoint_bindings(shape, info);
        // An RPC protocol ignores HTTP binding traits: it names the operation in the request.
        let binding = if self.protocol.is_query() {
            ir::Binding::Query {
                action: id.name.clone(),
            }
        } else if let Some(content_type) = self.protocol.rpc_content_type() {
            ir::Binding::JsonRpc(ir::RpcBinding {
                target: format!("{}.{}", self.service_name, id.name),
                content_type: content_type.to_owned(),
            })
        } else if let Some(http) = &shape.traits.http {
            ir::Binding::Http(self.http_binding(http, &endpoint_bindings))
        } else {
            self.report.error(
                Some(&sid),
                None,
                "the operation has no `@http` trait",
                format!(
                    "{} operations need `@http(method: ..., uri: ...)`",
                    self.protocol.name()
                ),
            );
            return None;
        };
        let (input, _) = self.structures.get(&synthetic(id, "Input"))?.clone();
        let (output, _) = self.structures.get(&synthetic(id, "Output"))?.clone();
        let host_prefix = match &shape.traits.host_prefix {
            None => None,
            Some(prefix) => Some(self.host_prefix(
                id,
                prefix,
                info.input.as_ref().unwrap_or(&synthetic(id, "Input")),
            )?),
        };
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for e in info.errors.iter().chain(common_errors) {
            if !seen.insert(e.clone()) {
                continue;
            }
            let Some(error_shape) = self.model.shape(e) else {
                continue;
            };
            let Some((path, _)) = self.structures.get(e).cloned() else {
                continue;
            };
            // An error carries the request id (a hidden `Option<String>`) besides its members.
            let boxed = self.estimated_size(e) + 24 > LARGE_ERROR;
            errors.push(ir::ErrorVariant {
                variant: path.name.clone(),
                boxed,
                path,
                code: e.name.clone(),
                // The query protocols' own codes, and awsQueryCompatible services' second ones.
                query_code: (self.query_compatible || self.protocol.is_query())
                    .then(|| {
                        error_shape
                            .traits
                            .raw
                            .get("aws.protocols#awsQueryError")
                            .and_then(|t| t.get("code"))
                            .and_then(|c| c.as_str())
                            .map(str::to_owned)
                    })
                    .flatten(),
                retryable: error_shape.traits.retryable.is_some(),
                throttling: error_shape.traits.retryable == Some(true),
            });
        }
        let type_name = naming::type_name(&id.name);
        let raw = &shape.traits.raw;
        let gzip = raw
            .get("smithy.api#requestCompression")
            .and_then(|v| v.get("encodings"))
            .and_then(|e| e.as_array())
            .is_some_and(|e| {
                e.iter()
                    .any(|x| x.as_str().is_some_and(|s| s.eq_ignore_ascii_case("gzip")))
            });
        let input_shape = info.input.as_ref().and_then(|i| self.model.shape(i));
        let mut static_headers = self.customization.static_headers();
        let checksums = self.customization.request_checksums(input_shape);
        // `aws.protocols#awsQueryCompatible`: the service is told the client understands
        // query-compatible errors.
        if self.query_compatible {
            static_headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
        }
        let discovery = self.discovery(shape, info, &errors);
        Some(ir::Operation {
            shape_id: sid,
            wire_name: id.name.clone(),
            error: naming::operation_error(&id.name),
            module: naming::module(&id.name),
            docs: self.docs_or(shape.traits.documentation.as_deref(), || {
                format!("The `{}` operation.", id.name)
            }),
            type_name,
            input,
            output,
            errors,
            binding,
            discovery,
            deprecated: shape.traits.deprecated.clone(),
            pagination: self.pagination(shape, info, common_paginated),
            host_prefix,
            endpoint_bindings,
            static_headers,
            gzip,
            content_md5: raw.contains_key("smithy.api#httpChecksumRequired"),
            http_checksum: raw.get("aws.protocols#httpChecksum").map(|t| {
                let header_of = |key: &str| {
                    let member = t.get(key)?.as_str()?;
                    input_shape?
                        .member(member)?
                        .traits
                        .http_header
                        .as_deref()
                        .map(str::to_ascii_lowercase)
                };
                ir::HttpChecksum {
                    algorithm_header: header_of("requestAlgorithmMember"),
                    request_required: t
                        .get("requestChecksumRequired")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                    validation_header: header_of("requestValidationModeMember"),
                    response_algorithms: t
                        .get("responseAlgorithms")
                        .and_then(|v| v.as_array())
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str())
                        .map(str::to_owned)
                        .collect(),
                }
            }),
            presignable: self.customization.presignable(&id.name),
            auth: raw
                .get("smithy.api#auth")
                .and_then(|a| a.as_array())
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.iter()
                        .filter_map(|id| auth_scheme(id.as_str()?, self.service_traits))
                        .collect()
                }),
            optional_auth: raw.contains_key("smithy.api#optionalAuth"),
            unsigned: self.customization.unsigned(&id.name)
                || raw
                    .get("smithy.api#auth")
                    .and_then(|a| a.as_array())
                    .is_some_and(|a| a.is_empty()),
            // Not where the body is the payload itself (GetObject's bytes may be anything); a
            // structure payload (CopyObject's `CopyObjectResult`) is XML and may be an `<Error>`.
            errors_in_ok: self.customization.errors_in_ok()
                && !info
                    .output
                    .as_ref()
                    .and_then(|o| self.model.shape(o))
                    .is_some_and(|o| {
                        o.members.iter().any(|m| {
                            m.traits.http_payload
                                && self.model.shape(&m.target).is_some_and(|t| {
                                    !matches!(t.kind, Kind::Structure | Kind::Union)
                                })
                        })
                    }),
            checksums,
            host_from: self
                .customization
                .host_from(id, input_shape)
                .map(naming::field),
        })
    }

    /// Endpoint discovery for an operation that requires it
    /// (`aws.api#clientDiscoveredEndpoint(required: true)` on a service with
    /// `aws.api#clientEndpointDiscovery`). Where discovery is optional, the regional endpoint
    /// serves the call (the trait's spec), so nothing is discovered.
    fn discovery(
        &mut self,
        op: &Shape,
        info: &crate::model::OperationInfo,
        errors: &[ir::ErrorVariant],
    ) -> Option<ir::EndpointDiscovery> {
        let required = op
            .traits
            .raw
            .get("aws.api#clientDiscoveredEndpoint")?
            .get("required")
            .and_then(|r| r.as_bool())
            .unwrap_or(false);
        if !required {
            return None;
        }
        let sid = op.id.to_string();
        let Some(service) = self.discovery_trait.clone() else {
            self.report.warning(Some(&sid), None, "`aws.api#clientDiscoveredEndpoint(required: true)` on a service without `aws.api#clientEndpointDiscovery`: the endpoint is not discovered", "add the service trait naming the discovery operation");
            return None;
        };
        let operation = service
            .get("operation")
            .and_then(|o| o.as_str())?
            .to_owned();
        let error = service
            .get("error")
            .and_then(|e| e.as_str())
            .and_then(|e| ShapeId::parse(e).ok());
        let input = info.input.as_ref().and_then(|i| self.model.shape(i));
        let identifiers = input
            .map(|i| {
                i.members
                    .iter()
                    .filter(|m| {
                        m.traits
                            .raw
                            .contains_key("aws.api#clientEndpointDiscoveryId")
                    })
                    .map(|m| m.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let invalid_endpoint = error.and_then(|e| {
            errors
                .iter()
                .find(|v| v.code == e.name)
                .map(|v| v.variant.clone())
        });
        Some(ir::EndpointDiscovery {
            operation,
            identifiers,
            invalid_endpoint,
        })
    }

    /// An `@http` binding: the method, the URI's path in pieces and its literal query.
    fn http_binding(
        &self,
        http: &crate::traits::Http,
        endpoint_bindings: &[ir::EndpointBinding],
    ) -> ir::HttpBinding {
        let (path_text, literal_query) = match http.uri.split_once('?') {
            Some((p, q)) => (p, Some(q.to_owned())),
            None => (http.uri.as_str(), None),
        };
        let mut path = Vec::new();
        let mut literal = String::new();
        for (i, segment) in path_text.split('/').enumerate() {
            if i > 0 {
                literal.push('/');
            }
            if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let (name, greedy) = match inner.strip_suffix('+') {
                    Some(n) => (n, true),
                    None => (inner, false),
                };
                // The label that opens the path may be the endpoint's to place (S3's bucket).
                let binds = self.rule_params.contains(name)
                    && endpoint_bindings.iter().any(|b| {
                        b.param == name
                            && b.source == ir::BindingSource::Member(naming::field(name))
                    });
                if i == 1
                    && path.is_empty()
                    && literal == "/"
                    && self.customization.label_in_endpoint(name, binds)
                {
                    literal.clear();
                    continue;
                }
                if !literal.is_empty() {
                    path.push(PathPart::Literal(std::mem::take(&mut literal)));
                }
                let empty_default = self.customization.empty_label_default(name);
                path.push(PathPart::Label {
                    field: naming::field(name),
                    wire_name: name.to_owned(),
                    greedy,
                    empty_default,
                });
            } else {
                literal.push_str(segment);
            }
        }
        if !literal.is_empty() {
            path.push(PathPart::Literal(literal));
        }
        ir::HttpBinding {
            method: http.method.to_ascii_uppercase(),
            path,
            literal_query,
            success_code: http.code,
        }
    }

    /// `staticContextParams` on the operation and `contextParam` on its input's members.
    fn endpoint_bindings(
        &mut self,
        op: &Shape,
        info: &crate::model::OperationInfo,
    ) -> Vec<ir::EndpointBinding> {
        let mut out = Vec::new();
        let sid = op.id.to_string();
        if let Some(map) = op
            .traits
            .raw
            .get("smithy.rules#staticContextParams")
            .and_then(|v| v.as_object())
        {
            for (param, v) in map {
                let value = match v.get("value") {
                    Some(serde_json::Value::String(s)) => ir::ParamValue::String(s.clone()),
                    Some(serde_json::Value::Bool(b)) => ir::ParamValue::Bool(*b),
                    Some(serde_json::Value::Array(items))
                        if items.iter().all(|i| i.is_string()) =>
                    {
                        ir::ParamValue::StringArray(
                            items
                                .iter()
                                .filter_map(|i| i.as_str())
                                .map(str::to_owned)
                                .collect(),
                        )
                    }
                    _ => {
                        self.report.error(Some(&sid), None, format!("`smithy.rules#staticContextParams` for `{param}` has no string, boolean or string-array `value`"), "give each parameter `{\"value\": ...}`");
                        continue;
                    }
                };
                out.push(ir::EndpointBinding {
                    param: param.clone(),
                    source: ir::BindingSource::Static(value),
                });
            }
        }
        if let Some(map) = op
            .traits
            .raw
            .get("smithy.rules#operationContextParams")
            .and_then(|v| v.as_object())
        {
            for (param, v) in map {
                let Some(path) = v.get("path").and_then(|p| p.as_str()) else {
                    self.report.error(Some(&sid), None, format!("`smithy.rules#operationContextParams` for `{param}` has no string `path`"), "give each parameter `{\"path\": \"...\"}`");
                    continue;
                };
                match crate::rules::context_path(path) {
                    Ok(steps) => out.push(ir::EndpointBinding {
                        param: param.clone(),
                        source: ir::BindingSource::Path(steps),
                    }),
                    Err(why) => self.report.warning(Some(&sid), None, format!("`smithy.rules#operationContextParams` for `{param}`: {why}; the parameter is not set from the input"), "set it on `EndpointParams` yourself when resolving endpoints for this operation"),
                }
            }
        }
        if let Some(input) = info.input.as_ref().and_then(|i| self.model.shape(i)) {
            for m in &input.members {
                let Some(param) = m
                    .traits
                    .raw
                    .get("smithy.rules#contextParam")
                    .and_then(|v| v.get("name"))
                    .and_then(|v| v.as_str())
                else {
                    continue;
                };
                let kind = self.model.shape(&m.target).map(|t| t.kind);
                if !matches!(kind, Some(Kind::String | Kind::Boolean)) {
                    self.report.warning(Some(&input.id.to_string()), Some(&m.name), format!("`smithy.rules#contextParam` `{param}` is bound to a member that is not a string or boolean; it is not passed to endpoint resolution"), "bind string or boolean members only");
                    continue;
                }
                out.push(ir::EndpointBinding {
                    param: param.to_owned(),
                    source: ir::BindingSource::Member(naming::field(&m.name)),
                });
            }
        }
        out
    }

    fn structure(&mut self, id: &ShapeId, path: TypePath, role: Role) -> Option<ir::Structure> {
        let sid = self.sid(id);
        let source = self.io_source.get(id).unwrap_or(id).clone();
        let (members, traits, shape_id) = match self.model.shape(&source) {
            Some(shape) => (
                shape.members.clone(),
                shape.traits.clone(),
                shape.id.to_string(),
            ),
            // Operations without input or output get an empty structure.
            None => (Vec::new(), Default::default(), sid.clone()),
        };
        let validated = role == Role::Input || self.validated.contains(id);
        let parsed = matches!(role, Role::Output | Role::Error) || self.parsed.contains(id);
        let mut fields = Vec::new();
        for m in &members {
            let Some(mut f) = self.field(&source, m, validated) else {
                continue;
            };
            match role {
                // Top-level input members with a default stay unset unless the caller sets them:
                // the service applies its default, and a client whose model is older than the
                // service's must not send a stale one.
                Role::Input if f.default.is_some() => {
                    f.default = None;
                    f.required = false;
                    if let Some(d) = m.traits.default.as_ref().or(self
                        .model
                        .shape(&m.target)
                        .and_then(|t| t.traits.default.as_ref()))
                    {
                        let text = format!("When not set, nothing is sent and the service uses its default, `{d}`.");
                        f.docs = Some(match f.docs.take() {
                            Some(docs) => format!("{docs}\n\n{text}"),
                            None => text,
                        });
                    }
                }
                // Query strings and labels belong to requests; in a response such a member is
                // an ordinary body member.
                Role::Output | Role::Error
                    if matches!(
                        f.location,
                        Location::Label { .. } | Location::Query(_) | Location::QueryParams
                    ) =>
                {
                    f.location = Location::Body;
                }
                _ => {}
            }
            // A header the service does not control (S3's `Expires`, set by whoever uploaded
            // the object) is read leniently, and its text is kept beside it, as the AWS SDKs
            // do (`ExpiresString`).
            if let (Role::Output, Location::Header(header), Type::Timestamp) =
                (role, &f.location, &f.ty)
            {
                if self.customization.lenient_header(header) {
                    f.lenient = true;
                    let raw_name = format!("{}String", f.wire_name);
                    if !members.iter().any(|m| m.name == raw_name) {
                        let mut raw = f.clone();
                        raw.lenient = false;
                        raw.ty = Type::String;
                        raw.timestamp_format = None;
                        raw.docs = Some(format!("The `{header}` header as sent, whether or not it is a valid date (`{}` is unset when it is not).", f.name));
                        raw.wire_name = raw_name.clone();
                        raw.name = naming::field(&raw_name);
                        raw.method = naming::field(&raw_name);
                        raw.setter = naming::setter(&raw_name);
                        raw.builder_getter = naming::builder_getter(&raw_name);
                        fields.push(f);
                        fields.push(raw);
                        continue;
                    }
                }
            }
            fields.push(f);
        }
        // Getters and fluent setters that would collide get their documented alternative.
        let keeps_message = fields.iter().any(|f| {
            f.name == "message" && matches!(f.ty, Type::String) && !f.required && !f.sensitive
        }) && !traits.sensitive;
        let methods = naming::member_methods(
            fields.iter().map(|f| {
                (
                    f.name.as_str(),
                    f.setter.as_str(),
                    f.builder_getter.as_str(),
                )
            }),
            role == Role::Error,
            keeps_message,
        );
        for (f, (method, getter)) in fields.iter_mut().zip(methods) {
            f.method = method;
            f.builder_getter = getter;
        }
        check_distinct(
            self.report,
            fields.iter().map(|f| {
                (
                    format!("{shape_id}${}", f.wire_name),
                    f.name.trim_start_matches("r#").to_owned(),
                )
            }),
            "field name",
        );
        Some(ir::Structure {
            shape_id,
            builder: naming::builder(&path.name),
            path,
            docs: self.docs_or(traits.documentation.as_deref(), || {
                format!(
                    "The `{}` structure.",
                    id.name.split('$').next().unwrap_or_default()
                )
            }),
            fields,
            role,
            validated,
            parsed,
            sensitive: traits.sensitive,
            nested: self.nested.contains(id),
            deprecated: traits.deprecated.clone(),
            // An operation's input or output is named by the model's structure it is made from.
            xml: {
                let mut xml = xml_name_of(
                    &traits,
                    self.io_source
                        .get(id)
                        .map_or(id.name.as_str(), |real| real.name.as_str()),
                );
                // `s3UnwrappedXmlOutput`: no wrapper; the root element is the one member.
                xml.flattened = self.unwrapped_outputs.contains(id);
                xml
            },
        })
    }

    fn ty(&mut self, owner: &ShapeId, member: &Member) -> Option<Type> {
        let _ = owner;
        let target = self.model.shape(&member.target)?;
        Some(match target.kind {
            Kind::String => Type::String,
            Kind::Boolean => Type::Bool,
            Kind::Byte => Type::Byte,
            Kind::Short => Type::Short,
            Kind::Integer => Type::Integer,
            Kind::Long => Type::Long,
            Kind::Float => Type::Float,
            Kind::Double => Type::Double,
            Kind::Enum => Type::Enum(self.enums.get(&target.id)?.clone()),
            Kind::IntEnum => Type::IntEnum(self.int_enums.get(&target.id)?.clone()),
            Kind::Union => Type::Union(self.unions.get(&target.id)?.clone()),
            Kind::Blob => Type::Blob,
            Kind::Timestamp => Type::Timestamp,
            Kind::Document => Type::Document,
            Kind::BigInteger | Kind::BigDecimal => Type::BigNumber,
            Kind::Structure => Type::Struct(self.structures.get(&target.id)?.0.clone()),
            Kind::List => {
                let item = target.members.first()?;
                Type::List {
                    item: Box::new(self.ty(&target.id, item)?),
                    sparse: target.traits.sparse,
                    xml: Box::new(ir::ItemNames {
                        item: xml_name(item, "member"),
                        key: ir::XmlName::default(),
                    }),
                }
            }
            Kind::Map => {
                let value = target.member("value")?;
                let key = target.member("key")?;
                Type::Map {
                    value: Box::new(self.ty(&target.id, value)?),
                    sparse: target.traits.sparse,
                    xml: Box::new(ir::ItemNames {
                        item: xml_name(value, "value"),
                        key: xml_name(key, "key"),
                    }),
                }
            }
            Kind::Service | Kind::Resource | Kind::Operation => return None,
        })
    }

    /// A member's names on the wire, per codec.
    fn wire_names(&self, m: &Member) -> ir::WireNames {
        ir::WireNames {
            json: match &m.traits.json_name {
                Some(name) if !self.protocol.is_rpc() => name.clone(),
                _ => m.name.clone(),
            },
            xml: xml_name(m, &m.name),
            ec2_query: m
                .traits
                .raw
                .get("aws.protocols#ec2QueryName")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        }
    }

    fn field(&mut self, owner: &ShapeId, m: &Member, validated: bool) -> Option<Field> {
        let sid = self.sid(owner);
        let ty = self.ty(owner, m)?;
        let target = self.model.shape(&m.target)?;
        let t = &m.traits;
        let location = if self.protocol.is_rpc() {
            // HTTP binding traits don't apply: the body (and `@jsonName` neither: see
            // `wire_names`).
            Location::Body
        } else if t.http_label {
            Location::Label { greedy: false }
        } else if let Some(name) = &t.http_query {
            Location::Query(name.clone())
        } else if let Some(name) = &t.http_header {
            Location::Header(name.clone())
        } else if let Some(prefix) = t
            .raw
            .get("smithy.api#httpPrefixHeaders")
            .and_then(|v| v.as_str())
        {
            Location::PrefixHeaders(prefix.to_owned())
        } else if t.raw.contains_key("smithy.api#httpQueryParams") {
            Location::QueryParams
        } else if t.http_payload {
            Location::Payload
        } else if t.http_response_code {
            Location::ResponseCode
        } else {
            Location::Body
        };
        let _ = &sid;
        let checks = if validated {
            self.checks(owner, m, target)
        } else {
            Vec::new()
        };
        // The checks of items, and of items of items, through nested lists and maps.
        let mut item_checks = Vec::new();
        let mut container = target;
        while validated
            && matches!(container.kind, Kind::List | Kind::Map)
            && item_checks.len() < 32
        {
            let item = if container.kind == Kind::List {
                container.members.first()
            } else {
                container.member("value")
            };
            let Some((i, s)) =
                item.and_then(|i| self.model.shape(&i.target).map(|s| (i.clone(), s)))
            else {
                break;
            };
            item_checks.push(self.checks(&container.id, &i, s));
            container = s;
        }
        while item_checks.last().is_some_and(Vec::is_empty) {
            item_checks.pop();
        }
        let docs = self.docs_or(
            t.documentation
                .as_deref()
                .or(target.traits.documentation.as_deref()),
            || format!("The `{}` member.", m.name),
        );
        // A member's `@default` wins over its target's; `@default(null)` takes it away.
        // `@clientOptional` makes the member optional for clients whatever its default.
        let default = match t.default.as_ref().or(target.traits.default.as_ref()) {
            _ if t.client_optional => None,
            None | Some(serde_json::Value::Null) => None,
            Some(v) => default_value(&ty, v),
        };
        // Route 53's ids lose their prefixes in the builder, before the `@length` checks and
        // whatever the value is sent as.
        let trim_prefixes = if matches!(location, Location::Label { .. }) {
            self.customization.label_prefixes(Some(&m.target.name))
        } else {
            Vec::new()
        };
        Some(Field {
            wire_name: m.name.clone(),
            wire: {
                let mut wire = self.wire_names(m);
                // An `@httpPayload` structure or union is its own root element (restXml):
                // named by the member's `@xmlName` if it has one, else by the shape's.
                if location == Location::Payload
                    && !m.traits.raw.contains_key("smithy.api#xmlName")
                    && matches!(target.kind, Kind::Structure | Kind::Union)
                {
                    wire.xml.name = target
                        .traits
                        .raw
                        .get("smithy.api#xmlName")
                        .and_then(|v| v.as_str())
                        .unwrap_or(&target.id.name)
                        .to_owned();
                }
                // And its namespace is the member's, else the shape's.
                if location == Location::Payload && wire.xml.namespace.is_none() {
                    wire.xml.namespace = xml_name_of(&target.traits, "").namespace;
                }
                wire
            },
            name: naming::field(&m.name),
            method: naming::field(&m.name),
            setter: naming::setter(&m.name),
            builder_getter: naming::builder_getter(&m.name),
            docs,
            ty,
            required: (t.required || default.is_some()) && !t.client_optional,
            default,
            sensitive: t.sensitive || self.sensitive_inside(target),
            location,
            checks,
            item_checks,
            deprecated: t.deprecated.clone(),
            boxed: self.boxed(owner, &m.target),
            timestamp_format: t.timestamp_format.or(target.traits.timestamp_format),
            media_type: target
                .traits
                .raw
                .get("smithy.api#mediaType")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            idempotency_token: t.idempotency_token,
            lenient: false,
            trim_prefixes,
        })
    }

    /// Whether values of `shape` hold `@sensitive` data that the holder's `Debug` must redact:
    /// the shape itself, or what its lists and maps hold (structures and unions redact their
    /// own members).
    fn sensitive_inside(&self, shape: &Shape) -> bool {
        let mut stack = vec![shape];
        let mut seen = BTreeSet::new();
        while let Some(s) = stack.pop() {
            if s.traits.sensitive {
                return true;
            }
            if matches!(s.kind, Kind::List | Kind::Map) && seen.insert(s.id.clone()) {
                stack.extend(s.members.iter().filter_map(|m| self.model.shape(&m.target)));
            }
        }
        false
    }

    /// An upper bound of the size in bytes of a value of `id` as generated (64-bit; every
    /// field rounded up to 8 bytes, so padding is covered), for deciding what to box. Members
    /// that are boxed for recursion count as a pointer.
    fn estimated_size(&self, id: &ShapeId) -> usize {
        self.size_of_shape(id, 0)
    }

    fn size_of_shape(&self, id: &ShapeId, depth: usize) -> usize {
        let Some(shape) = self.model.shape(id) else {
            return 8;
        };
        let round = |n: usize| n.div_ceil(8) * 8;
        match shape.kind {
            Kind::String | Kind::Enum | Kind::Blob | Kind::List => 24,
            Kind::BigInteger | Kind::BigDecimal => 24,
            Kind::Map => 48,
            Kind::Document => 32,
            Kind::Timestamp => 16,
            Kind::Boolean | Kind::Byte | Kind::Short | Kind::Integer | Kind::IntEnum => 8,
            Kind::Long | Kind::Float | Kind::Double => 8,
            Kind::Service | Kind::Resource | Kind::Operation => 0,
            // Deep nesting is rare; past a few levels, assume the worst reasonable case.
            _ if depth > 8 => 256,
            Kind::Structure => shape
                .members
                .iter()
                .map(|m| {
                    if self.boxed(id, &m.target) {
                        return 8;
                    }
                    let inner = self.size_of_shape(&m.target, depth + 1);
                    // `Option` of a type without a niche adds a word.
                    let niche = self.model.shape(&m.target).is_some_and(|t| {
                        matches!(
                            t.kind,
                            Kind::String | Kind::Blob | Kind::List | Kind::Map | Kind::Enum
                        )
                    });
                    round(inner) + if niche { 0 } else { 8 }
                })
                .sum(),
            Kind::Union => {
                8 + shape
                    .members
                    .iter()
                    .map(|m| {
                        if self.boxed(id, &m.target) || self.large(&m.target) {
                            8
                        } else {
                            round(self.size_of_shape(&m.target, depth + 1))
                        }
                    })
                    .max()
                    .unwrap_or(0)
            }
        }
    }

    /// Whether a value of `id` is large enough that a union variant or an error enum variant
    /// holding it is boxed, so that enums stay small (clippy's `large_enum_variant`) and
    /// results carrying errors stay small (`result_large_err`, whose limit is 128 bytes; an
    /// error also travels inside the client's `SdkError`). Structures and unions only.
    fn large(&self, id: &ShapeId) -> bool {
        self.model
            .shape(id)
            .is_some_and(|s| matches!(s.kind, Kind::Structure | Kind::Union))
            && self.estimated_size(id) > LARGE_VARIANT
    }

    /// Whether a member from `owner` to `target` must be boxed: both are on one cycle of direct
    /// structure/union members.
    fn boxed(&self, owner: &ShapeId, target: &ShapeId) -> bool {
        matches!((self.cycle_of.get(owner), self.cycle_of.get(target)), (Some(a), Some(b)) if a == b)
    }

    fn int_enumeration(&mut self, id: &ShapeId, path: TypePath) -> ir::IntEnum {
        let shape = &self.model.shapes[id];
        let variants: Vec<(String, i64, Option<String>)> = shape
            .members
            .iter()
            .map(|m| {
                let value = match &m.traits.enum_value {
                    Some(crate::traits::EnumValue::Int(i)) => *i,
                    _ => 0,
                };
                (
                    naming::variant(&m.name),
                    value,
                    m.traits.documentation.as_deref().map(|d| self.markdown(d)),
                )
            })
            .collect();
        check_distinct(
            self.report,
            variants.iter().map(|(v, _, _)| (id.to_string(), v.clone())),
            "enum variant",
        );
        ir::IntEnum {
            shape_id: id.to_string(),
            path,
            docs: self.docs_or(shape.traits.documentation.as_deref(), || {
                format!("The `{}` intEnum.", id.name)
            }),
            variants,
            deprecated: shape.traits.deprecated.clone(),
        }
    }

    fn union(&mut self, id: &ShapeId, path: TypePath) -> Option<ir::Union> {
        let shape = self.model.shapes.get(id)?.clone();
        let validated = self.validated.contains(id);
        let mut variants = Vec::new();
        for m in &shape.members {
            let target = self.model.shape(&m.target)?;
            let ty = if m.target.is_unit() {
                None
            } else {
                Some(self.ty(id, m)?)
            };
            let checks = if validated && ty.is_some() {
                self.checks(id, m, target)
            } else {
                Vec::new()
            };
            variants.push(ir::UnionVariant {
                name: naming::variant(&m.name),
                wire_name: m.name.clone(),
                wire: self.wire_names(m),
                boxed: self.boxed(id, &m.target) || self.large(&m.target),
                docs: self.docs_or(
                    m.traits
                        .documentation
                        .as_deref()
                        .or(target.traits.documentation.as_deref()),
                    || format!("The `{}` member.", m.name),
                ),
                ty,
                checks,
            });
        }
        check_distinct(
            self.report,
            variants
                .iter()
                .map(|v| (format!("{id}${}", v.wire_name), v.name.clone())),
            "union variant",
        );
        Some(ir::Union {
            shape_id: id.to_string(),
            path,
            docs: self.docs_or(shape.traits.documentation.as_deref(), || {
                format!("The `{}` union.", id.name)
            }),
            variants,
            validated,
            parsed: self.parsed.contains(id),
            // Redacted whole when any member holds sensitive data.
            sensitive: shape.traits.sensitive
                || shape.members.iter().any(|m| {
                    m.traits.sensitive
                        || self
                            .model
                            .shape(&m.target)
                            .is_some_and(|t| self.sensitive_inside(t))
                }),
            deprecated: shape.traits.deprecated.clone(),
        })
    }

    /// `html` (model docs) as Markdown.
    fn markdown(&self, html: &str) -> String {
        if let Some(md) = self.markdown.borrow().get(html) {
            return md.clone();
        }
        let md = docs::to_markdown(html);
        self.markdown
            .borrow_mut()
            .insert(html.to_owned(), md.clone());
        md
    }

    /// The model's documentation as Markdown, or `fallback` when it has none (every public item
    /// of a generated crate is documented).
    fn docs_or(&self, html: Option<&str>, fallback: impl FnOnce() -> String) -> Option<String> {
        let text = html
            .map(|h| self.markdown(h))
            .filter(|t| !t.trim().is_empty());
        Some(text.unwrap_or_else(fallback))
    }

    /// The constraint checks of member `m`: its own traits over those of its target.
    fn checks(&mut self, owner: &ShapeId, m: &Member, target: &Shape) -> Vec<Check> {
        let own = &m.traits;
        let on_target = &target.traits;
        let mut checks = Vec::new();
        if let Some((min, max)) = own.length.or(on_target.length) {
            checks.push(Check::Length { min, max });
        }
        let pattern = match (&own.pattern, &on_target.pattern) {
            (Some(p), _) => Some((p.clone(), format!("{}_{}", owner.name, m.name))),
            (None, Some(p)) => Some((p.clone(), target.id.name.clone())),
            (None, None) => None,
        };
        if let Some((p, name_hint)) = pattern {
            let plan = self
                .plans
                .entry(p.clone())
                .or_insert_with(|| patterns::plan(&p))
                .clone();
            let planned = match plan {
                Plan::Ecma {
                    model,
                    source,
                    flags,
                } => {
                    if model != source {
                        self.ecma_exprs
                            .insert((model.clone(), flags.to_owned()), source);
                    }
                    Some((model, flags.to_owned(), None))
                }
                Plan::Lite {
                    source,
                    expr,
                    java_end,
                } => Some((source, String::new(), Some((expr, java_end)))),
                // Reported by validation (a warning, or an error that stops generation).
                Plan::Unenforced { .. } | Plan::Invalid { .. } => None,
            };
            if let Some((source, flags, lite)) = planned {
                let static_name = self.pattern_static(&source, &flags, lite, &name_hint);
                checks.push(Check::Pattern { static_name });
            }
        }
        if let Some((min, max)) = own.range.clone().or(on_target.range.clone()) {
            checks.push(Check::Range {
                min: min.map(|b| b.text),
                max: max.map(|b| b.text),
            });
        }
        if matches!(target.kind, Kind::Enum | Kind::IntEnum) {
            checks.push(Check::KnownEnum);
        }
        if own.unique_items || on_target.unique_items {
            checks.push(Check::Unique);
        }
        checks
    }

    fn pattern_static(
        &mut self,
        source: &str,
        flags: &str,
        lite: Option<(String, bool)>,
        hint: &str,
    ) -> String {
        let key = (source.to_owned(), flags.to_owned());
        if let Some(expr) = lite {
            self.lite_exprs.insert(key.clone(), expr);
        }
        if let Some(name) = self.patterns.get(&key) {
            return name.clone();
        }
        let base = naming::pattern_static(hint, None);
        let mut name = base.clone();
        let mut n = 2;
        while self.pattern_names.contains(&name) {
            name = format!("{}_{n}", base.trim_end_matches("_PATTERN")) + "_PATTERN";
            n += 1;
        }
        self.pattern_names.insert(name.clone());
        self.patterns.insert(key, name.clone());
        name
    }

    fn enumeration(&mut self, id: &ShapeId, path: TypePath) -> ir::Enum {
        let shape = &self.model.shapes[id];
        let variants = shape
            .members
            .iter()
            .map(|m| {
                let value = match &m.traits.enum_value {
                    Some(crate::traits::EnumValue::String(s)) => s.clone(),
                    _ => m.name.clone(),
                };
                (
                    naming::variant(&m.name),
                    value,
                    m.traits.documentation.as_deref().map(|d| self.markdown(d)),
                )
            })
            .collect::<Vec<_>>();
        check_distinct(
            self.report,
            variants.iter().map(|(v, _, _)| (id.to_string(), v.clone())),
            "enum variant",
        );
        ir::Enum {
            shape_id: id.to_string(),
            path,
            docs: self.docs_or(shape.traits.documentation.as_deref(), || {
                format!("The `{}` enum.", id.name)
            }),
            variants,
            sensitive: shape.traits.sensitive,
            deprecated: shape.traits.deprecated.clone(),
        }
    }
}

/// The id used for the implicit input or output of an operation that has none.
/// A shape's name in the service: its `rename` if the service has one, else its own.
fn service_name<'a>(renames: &'a BTreeMap<ShapeId, String>, id: &'a ShapeId) -> &'a str {
    renames.get(id).map_or(&id.name, String::as_str)
}

fn synthetic(op: &ShapeId, suffix: &str) -> ShapeId {
    ShapeId {
        namespace: op.namespace.clone(),
        name: format!("{}{suffix}$synthetic", op.name),
    }
}

/// Groups the shapes that sit on cycles of direct structure/union members (Tarjan's strongly
/// connected components). Lists and maps already hold their elements on the heap, so they
/// break cycles and are not followed.
fn cycles(model: &Model) -> BTreeMap<ShapeId, usize> {
    struct State<'a> {
        model: &'a Model,
        index: BTreeMap<&'a ShapeId, usize>,
        low: BTreeMap<&'a ShapeId, usize>,
        stack: Vec<&'a ShapeId>,
        on_stack: BTreeSet<&'a ShapeId>,
        next: usize,
        out: BTreeMap<ShapeId, usize>,
        components: usize,
    }
    fn edges<'a>(model: &'a Model, id: &ShapeId) -> Vec<&'a ShapeId> {
        model.shape(id).map_or_else(Vec::new, |s| {
            s.members
                .iter()
                .filter(|m| {
                    model
                        .shape(&m.target)
                        .is_some_and(|t| matches!(t.kind, Kind::Structure | Kind::Union))
                })
                .filter_map(|m| model.shapes.get_key_value(&m.target).map(|(k, _)| k))
                .collect()
        })
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a ShapeId) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        for w in edges(st.model, v) {
            if !st.index.contains_key(w) {
                visit(st, w);
                let lw = st.low[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(lw));
            } else if st.on_stack.contains(w) {
                let iw = st.index[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(iw));
            }
        }
        if st.low[v] == st.index[v] {
            let mut members = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                members.push(w);
                if w == v {
                    break;
                }
            }
            let self_loop = edges(st.model, v).contains(&v);
            if members.len() > 1 || self_loop {
                for w in members {
                    st.out.insert(w.clone(), st.components);
                }
                st.components += 1;
            }
        }
    }
    let mut st = State {
        model,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: BTreeMap::new(),
        components: 0,
    };
    for (id, shape) in &model.shapes {
        if matches!(shape.kind, Kind::Structure | Kind::Union) && !st.index.contains_key(id) {
            visit(&mut st, id);
        }
    }
    st.out
}

/// The `@default` of a member of type `ty`, if it is one the type can hold.
fn default_value(ty: &Type, v: &serde_json::Value) -> Option<ir::DefaultValue> {
    use ir::DefaultValue as D;
    use serde_json::Value as V;
    Some(match (ty, v) {
        (Type::String | Type::Enum(_), V::String(s)) => D::Str(s.clone()),
        (Type::Bool, V::Bool(b)) => D::Bool(*b),
        (
            Type::Byte | Type::Short | Type::Integer | Type::Long | Type::IntEnum(_),
            V::Number(n),
        ) => D::Int(n.as_i64()?),
        (Type::Float | Type::Double, V::Number(n)) => D::Float(n.as_f64()?),
        (Type::Timestamp, V::Number(n)) => D::EpochSeconds(n.as_i64()?),
        (Type::List { .. }, V::Array(a)) if a.is_empty() => D::Empty,
        (Type::Map { .. }, V::Object(o)) if o.is_empty() => D::Empty,
        (Type::Blob, V::String(s)) if s.is_empty() => D::Empty,
        // Blob defaults are base64 in the model.
        (Type::Blob, V::String(s)) => D::Bytes(swage_runtime::blob::decode(s)?),
        (Type::Document, v) => D::Document(v.to_string()),
        _ => return None,
    })
}

/// A member's XML name (`@xmlName`, else `default`) and form.
fn xml_name(m: &Member, default: &str) -> ir::XmlName {
    xml_name_of(&m.traits, default)
}

/// The XML name (`@xmlName`, else `default`) and form a shape's or member's traits give.
fn xml_name_of(traits: &crate::traits::Traits, default: &str) -> ir::XmlName {
    let raw = &traits.raw;
    ir::XmlName {
        name: raw
            .get("smithy.api#xmlName")
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_owned(),
        attribute: raw.contains_key("smithy.api#xmlAttribute"),
        flattened: raw.contains_key("smithy.api#xmlFlattened"),
        namespace: raw.get("smithy.api#xmlNamespace").and_then(|ns| {
            let uri = ns.get("uri")?.as_str()?.to_owned();
            let prefix = ns.get("prefix").and_then(|p| p.as_str()).map(str::to_owned);
            Some((uri, prefix))
        }),
    }
}

/// The auth traits swage reads, by shape id.
const AUTH_TRAITS: [&str; 4] = [
    "aws.auth#sigv4",
    "smithy.api#httpApiKeyAuth",
    "smithy.api#httpBasicAuth",
    "smithy.api#httpBearerAuth",
];

/// The scheme of the auth trait `id`, with its parameters from the service's traits; `None`
/// for a scheme swage does not support (SigV4a, digest), which is then skipped.
fn auth_scheme(id: &str, service: &crate::ast::TraitMap) -> Option<ir::Auth> {
    match id {
        "aws.auth#sigv4" => Some(ir::Auth::SigV4),
        "smithy.api#httpBearerAuth" => Some(ir::Auth::Bearer),
        "smithy.api#httpBasicAuth" => Some(ir::Auth::Basic),
        "smithy.api#httpApiKeyAuth" => {
            let v = service.get(id)?;
            Some(ir::Auth::ApiKey {
                name: v.get("name")?.as_str()?.to_owned(),
                in_query: v.get("in")?.as_str()? == "query",
                scheme: v.get("scheme").and_then(|s| s.as_str()).map(str::to_owned),
            })
        }
        _ => None,
    }
}

/// A service's auth schemes in order: its `@auth` list, else its auth traits by shape id (as
/// Smithy orders them).
fn service_auth(traits: &crate::ast::TraitMap) -> Vec<ir::Auth> {
    match traits.get("smithy.api#auth").and_then(|a| a.as_array()) {
        Some(list) => list
            .iter()
            .filter_map(|id| auth_scheme(id.as_str()?, traits))
            .collect(),
        None => traits
            .keys()
            .filter(|id| AUTH_TRAITS.contains(&id.as_str()))
            .filter_map(|id| auth_scheme(id, traits))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(protocol: &str) -> ir::Crate {
        let model = format!(
            r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}],
                "traits": {{"{protocol}": {{}}}}}},
            "ex#Op": {{"type": "operation", "input": {{"target": "ex#In"}}, "output": {{"target": "ex#In"}},
                "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/"}}}}}},
            "ex#In": {{"type": "structure", "members": {{
                "Plain": {{"target": "smithy.api#String"}},
                "Renamed": {{"target": "smithy.api#String", "traits": {{
                    "smithy.api#jsonName": "renamed", "smithy.api#xmlName": "re:named",
                    "smithy.api#xmlAttribute": {{}}, "aws.protocols#ec2QueryName": "ReNamed",
                    "smithy.api#xmlNamespace": {{"uri": "https://ex", "prefix": "re"}}}}}},
                "Items": {{"target": "ex#List", "traits": {{"smithy.api#xmlFlattened": {{}}}}}},
                "Choice": {{"target": "ex#U"}}}}}},
            "ex#List": {{"type": "list", "member": {{"target": "smithy.api#String"}}}},
            "ex#U": {{"type": "union", "members": {{
                "A": {{"target": "smithy.api#String", "traits": {{"smithy.api#jsonName": "a"}}}}}}}}
        }}}}"#
        );
        let mut report = Reporter::new("t.json");
        let model = crate::load::load("t.json", &model, &mut report);
        let krate = lower(&model, &Options::default(), &mut report);
        let diagnostics = report.finish();
        krate.unwrap_or_else(|| panic!("{diagnostics}"))
    }

    fn field<'a>(krate: &'a ir::Crate, name: &str) -> &'a Field {
        krate
            .structures
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.wire_name == name)
            .unwrap()
    }

    #[test]
    fn members_carry_a_wire_name_per_codec() {
        let krate = lowered("aws.protocols#restJson1");
        let plain = field(&krate, "Plain");
        assert_eq!(plain.wire.json, "Plain");
        assert_eq!(plain.wire.xml.name, "Plain");
        assert!(!plain.wire.xml.attribute && !plain.wire.xml.flattened);
        let renamed = field(&krate, "Renamed");
        assert_eq!(renamed.wire.json, "renamed");
        assert_eq!(renamed.wire.xml.name, "re:named");
        assert!(renamed.wire.xml.attribute);
        assert_eq!(
            renamed.wire.xml.namespace,
            Some(("https://ex".to_owned(), Some("re".to_owned())))
        );
        assert_eq!(renamed.wire.ec2_query.as_deref(), Some("ReNamed"));
        assert!(field(&krate, "Items").wire.xml.flattened);
        assert_eq!(krate.unions[0].variants[0].wire.json, "a");
    }

    #[test]
    fn json_rpc_ignores_json_name_on_members_and_union_variants() {
        let krate = lowered("aws.protocols#awsJson1_0");
        assert_eq!(field(&krate, "Renamed").wire.json, "Renamed");
        assert_eq!(krate.unions[0].variants[0].wire.json, "A");
        assert!(matches!(
            krate.operations[0].binding,
            ir::Binding::JsonRpc(_)
        ));
    }
}
