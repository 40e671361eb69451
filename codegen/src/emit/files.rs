//! The crate's files: which items go in which module, and the module tree that holds them.

use super::{doc, errors, ident, types, Output};
use crate::ir::{Crate, Module, Role, Structure};
use crate::render::Part;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

fn inner_doc(text: &str) -> TokenStream {
    let lines = super::doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// `#![allow(deprecated)]` for the crate's own files when the model deprecates shapes: users get
/// the warnings where they use them; the generated code that must use them does not.
fn allow_deprecated(krate: &Crate) -> TokenStream {
    let any = krate.structures.iter().any(|s| s.deprecated.is_some())
        || krate.enums.iter().any(|e| e.deprecated.is_some())
        || krate.int_enums.iter().any(|e| e.deprecated.is_some())
        || krate.unions.iter().any(|u| u.deprecated.is_some());
    if any {
        quote! { #![allow(deprecated)] }
    } else {
        TokenStream::new()
    }
}

/// Every file of the crate, keyed by its path in the crate, in a fixed order.
pub fn emit(krate: &Crate) -> BTreeMap<String, Output> {
    let allow = allow_deprecated(krate);
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), Output::Text(cargo_toml(krate)));
    files.insert("src/lib.rs".to_owned(), Output::Rust(lib_rs(krate)));
    if let Some(c) = &krate.compliance {
        files.insert(
            "src/protocol_tests.rs".to_owned(),
            Output::Rust(super::compliance::tests(krate, c)),
        );
        files.insert(
            "protocol-tests.txt".to_owned(),
            Output::Text(super::compliance::manifest(c)),
        );
    }

    let mut op_mods = TokenStream::new();
    op_mods.extend(inner_doc("The service's operations: for each, its input, output and error types, and the functions\nbetween them and HTTP."));
    for op in &krate.operations {
        let m = ident(&op.module);
        let d = doc(op.docs.as_deref().and_then(|d| d.split("\n\n").next()));
        op_mods.extend(quote! { #d pub mod #m; });
    }
    files.insert("src/operation/mod.rs".to_owned(), Output::Rust(op_mods));

    // The shared types, in runs of shapes (a large service has thousands).
    let mut shared = inner_doc("Shapes shared between operations.");
    shared.extend(allow.clone());
    shared.extend(quote! { pub mod error; });
    let mut shapes: Vec<Shape<'_>> = krate
        .enums
        .iter()
        .filter(|e| e.path.module == Module::Types)
        .map(Shape::Enum)
        .collect();
    shapes.extend(krate.int_enums.iter().map(Shape::IntEnum));
    shapes.extend(krate.unions.iter().map(Shape::Union));
    shapes.extend(
        krate
            .structures
            .iter()
            .filter(|s| s.path.module == Module::Types)
            .map(Shape::Structure),
    );
    let types = SharedFile::new(&krate.service, Module::Types, "src/types/mod.rs", &shapes);

    let mut errs = inner_doc(
        "The errors the model describes. Each operation's error enum wraps the ones it can return.",
    );
    errs.extend(allow.clone());
    let error_shapes: Vec<Shape<'_>> = krate
        .structures
        .iter()
        .filter(|s| s.path.module == Module::Errors)
        .map(Shape::Structure)
        .collect();
    let errors = SharedFile::new(
        &krate.service,
        Module::Errors,
        "src/types/error.rs",
        &error_shapes,
    );

    // Everything large is emitted and formatted in one pass on every core: the client, the runs
    // of shared shapes, one job per operation file. Token streams stay on their thread, so each
    // job comes back as formatted text; jobs are taken in order, the largest first.
    let (type_runs, error_runs, ops) =
        (types.runs.len(), errors.runs.len(), krate.operations.len());
    let mut done = crate::render::parallel(1 + type_runs + error_runs + ops, |i| match i {
        0 => {
            let mut client = allow_deprecated(krate);
            client.extend(super::client::file(krate));
            Some((
                "src/client.rs".to_owned(),
                crate::render::render_items("src/client.rs", client, 64, &[]),
            ))
        }
        i if i <= type_runs => Some((String::new(), types.run(i - 1))),
        i if i <= type_runs + error_runs => Some((String::new(), errors.run(i - 1 - type_runs))),
        i => operation_file(krate, &krate.operations[i - 1 - type_runs - error_runs]),
    })
    .into_iter();
    if done.len() != 1 + type_runs + error_runs + ops {
        // A worker panicked (a bug in swage): say so rather than write part of the crate.
        files.insert(
            "src/client.rs".to_owned(),
            Output::Rendered(Err("emitting the crate failed (a bug in swage)".to_owned())),
        );
        return files;
    }
    if let Some(Some((path, client))) = done.next() {
        files.insert(path, Output::Rendered(client));
    }
    files.insert(
        types.path.to_owned(),
        Output::Rendered(types.assemble(
            shared,
            done.by_ref().take(type_runs).flatten().map(|(_, r)| r),
        )),
    );
    files.insert(
        errors.path.to_owned(),
        Output::Rendered(errors.assemble(
            errs,
            done.by_ref().take(error_runs).flatten().map(|(_, r)| r),
        )),
    );
    for (path, pieces) in done.flatten() {
        files.insert(path, Output::Rendered(pieces));
    }
    if let Some(rules) = &krate.endpoint_rules {
        files.insert(
            "src/endpoint.rs".to_owned(),
            Output::Rust(super::endpoint::file(rules, &krate.service.title)),
        );
    }
    if !krate.patterns.is_empty() {
        let mut p = inner_doc("The model's `@pattern`s, each compiled once, on first use, with ECMA-262 meaning (`regex-lite` where an exact translation exists, `regress` otherwise).");
        for def in &krate.patterns {
            let name = format_ident!("{}", def.static_name);
            let (source, flags) = (&def.source, &def.flags);
            let d = format!(" {}", crate::docs::code_span(source));
            let init = match (&def.lite, &def.expr) {
                (Some(expr), _) if def.java_end => {
                    quote! { swage_runtime::Pattern::lite_java_end(#source, #expr) }
                }
                (Some(expr), _) => quote! { swage_runtime::Pattern::lite(#source, #expr) },
                (None, Some(expr)) => {
                    quote! { swage_runtime::Pattern::translated(#source, #expr, #flags) }
                }
                (None, None) => quote! { swage_runtime::Pattern::new(#source, #flags) },
            };
            p.extend(quote! {
                #[doc = #d]
                pub(crate) static #name: swage_runtime::Pattern = #init;
            });
        }
        files.insert("src/patterns.rs".to_owned(), Output::Rust(p));
    }
    files
}

/// A shape of a shared module.
#[derive(Clone, Copy)]
enum Shape<'a> {
    Enum(&'a crate::ir::Enum),
    IntEnum(&'a crate::ir::IntEnum),
    Union(&'a crate::ir::Union),
    Structure(&'a Structure),
}

impl<'a> Shape<'a> {
    fn name(self) -> &'a str {
        match self {
            Shape::Enum(e) => &e.path.name,
            Shape::IntEnum(e) => &e.path.name,
            Shape::Union(u) => &u.path.name,
            Shape::Structure(s) => &s.path.name,
        }
    }

    fn items(self, service: &crate::ir::Service) -> Vec<Part> {
        match self {
            Shape::Enum(e) => vec![Part::Tokens(types::enumeration(e))],
            Shape::IntEnum(e) => vec![Part::Tokens(types::int_enumeration(e))],
            Shape::Union(u) => {
                let mut items = types::union(u);
                items.extend(super::protocol::union_codecs(service, u));
                let mut parts = vec![Part::Tokens(items)];
                if u.validated {
                    parts.push(super::checks::union_validate(u));
                }
                parts
            }
            Shape::Structure(s) => structure_items(service, s, None),
        }
    }
}

/// A shared module's file: its shapes, emitted in runs of 32.
struct SharedFile<'a> {
    service: &'a crate::ir::Service,
    module: Module,
    path: &'static str,
    runs: Vec<&'a [Shape<'a>]>,
    /// The prelude names its types take (see `paths`).
    shadowed: Vec<&'a str>,
}

impl<'a> SharedFile<'a> {
    fn new(
        service: &'a crate::ir::Service,
        module: Module,
        path: &'static str,
        shapes: &'a [Shape<'a>],
    ) -> Self {
        let shadowed = shapes
            .iter()
            .map(|s| s.name())
            .filter(|n| super::paths::is_prelude_name(n))
            .collect();
        SharedFile {
            service,
            module,
            path,
            runs: shapes.chunks(32).collect(),
            shadowed,
        }
    }

    /// Run `i`, emitted and formatted.
    fn run(&self, i: usize) -> Result<Vec<String>, String> {
        super::in_module(Some(self.module.clone()), || {
            let items = self.runs[i]
                .iter()
                .flat_map(|shape| shape.items(self.service))
                .collect();
            crate::render::render_parts(self.path, items, 64, &self.shadowed)
        })
    }

    /// The file: `head` (its inner docs and attributes), then the runs in order.
    fn assemble(
        &self,
        head: TokenStream,
        runs: impl Iterator<Item = Result<Vec<String>, String>>,
    ) -> Result<Vec<String>, String> {
        let mut pieces = crate::render::render_items(self.path, head, 64, &self.shadowed)?;
        for run in runs {
            pieces.extend(run?);
        }
        Ok(pieces)
    }
}

/// The items of a structure: the type, its codecs, and its error impls.
/// `result` is the name of the element an operation's output is wrapped in, when `s` is one
/// and the protocol wraps it (awsQuery: `{Operation}Result`).
fn structure_items(service: &crate::ir::Service, s: &Structure, result: Option<&str>) -> Vec<Part> {
    let mut items = types::structure(s);
    items.extend(super::protocol::structure_codecs(service, s, result));
    if s.role == Role::Error {
        items.push(Part::Tokens(errors::error_structure(s)));
    }
    items
}

/// One operation's file: its operation type, its own structures and its error enum.
fn operation_file(
    krate: &Crate,
    op: &crate::ir::Operation,
) -> Option<(String, Result<Vec<String>, String>)> {
    let in_module = |s: &&Structure| s.path.module == Module::Operation(op.module.clone());
    let input = krate.structures.iter().find(|s| s.path == op.input)?;
    let errors: Vec<&Structure> = op
        .errors
        .iter()
        .filter_map(|e| krate.structures.iter().find(|s| s.path == e.path))
        .collect();
    let mut head = inner_doc(&format!(
        "`{}`: its input, output and errors.",
        op.wire_name
    ));
    head.extend(allow_deprecated(krate));
    let mut items = Vec::new();
    super::in_module(Some(Module::Operation(op.module.clone())), || {
        head.extend(operation_items(&krate.service, op, input));
        if let Some(rules) = &krate.endpoint_rules {
            head.extend(super::endpoint::operation_params(krate, op, input, rules));
        }
        items.push(Part::Tokens(head));
        let result = format!("{}Result", op.wire_name);
        for s in krate.structures.iter().filter(in_module) {
            let result = (s.path == op.output).then_some(result.as_str());
            items.extend(structure_items(&krate.service, s, result));
        }
        items.push(Part::Tokens(errors::operation_error(op, &errors)));
    });
    let path = format!("src/operation/{}.rs", op.module.trim_start_matches("r#"));
    let names = krate
        .structures
        .iter()
        .filter(in_module)
        .map(|s| s.path.name.as_str())
        .chain([op.type_name.as_str()]);
    let shadowed: Vec<&str> = names.filter(|n| super::paths::is_prelude_name(n)).collect();
    let rendered = crate::render::render_parts(&path, items, 64, &shadowed);
    Some((path, rendered))
}

fn operation_items(
    service: &crate::ir::Service,
    op: &crate::ir::Operation,
    input: &Structure,
) -> TokenStream {
    let name = ident(&op.type_name);
    // An operation named like a prelude name is `self::Name` in its file (see `paths`).
    let this = if super::paths::is_prelude_name(&op.type_name) {
        quote! { self::#name }
    } else {
        quote! { #name }
    };
    let docs = doc(op.docs.as_deref());
    let dep = super::deprecated(&op.deprecated);
    let input_ty = super::type_path(&op.input);
    let output_ty = super::type_path(&op.output);
    let error = ident(&op.error);
    let request = super::protocol::build_request(service, op, input);
    let response = super::protocol::parse_response(service, op);
    let pages = op.pagination.as_ref().map(|p| pagination(op, p));
    let wire = &op.wire_name;
    let mut unsigned = TokenStream::new();
    if op.unsigned {
        unsigned.extend(quote! { const UNSIGNED: bool = true; });
    }
    if let Some(auth) = &op.auth {
        let list = super::auth_schemes(auth);
        unsigned.extend(
            quote! { const AUTH: Option<&'static [swage_runtime::AuthScheme]> = Some(#list); },
        );
    }
    if op.optional_auth {
        unsigned.extend(quote! { const OPTIONAL_AUTH: bool = true; });
    }
    let checksum = op.http_checksum.as_ref().map(|c| {
        let opt = |h: &Option<String>| match h {
            Some(h) => quote! { Some(#h) },
            None => quote! { None },
        };
        let (algorithm, validation) = (opt(&c.algorithm_header), opt(&c.validation_header));
        let required = c.request_required;
        let algorithms = &c.response_algorithms;
        quote! {
            const CHECKSUM: Option<&'static swage_runtime::checksum::HttpChecksum> = Some(&swage_runtime::checksum::HttpChecksum {
                algorithm_header: #algorithm,
                request_required: #required,
                validation_header: #validation,
                response_algorithms: &[#(#algorithms),*],
            });
        }
    });
    // The deprecation is for users; the crate's own uses of the operation are not warned about.
    let allow = op
        .deprecated
        .is_some()
        .then(|| quote! { #[allow(deprecated)] });
    quote! {
        #docs
        #[doc = ""]
        #[doc = " Build the request with [`build_request`](Self::build_request), send it with any HTTP"]
        #[doc = " client, and read the answer with [`parse_response`](Self::parse_response)."]
        #dep
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct #name;

        #allow
        impl #this {
            #request
            #response
        }

        #pages

        #allow
        impl swage_runtime::Operation for #this {
            type Input = #input_ty;
            type Output = #output_ty;
            type Error = #error;
            const NAME: &'static str = #wire;
            #checksum
            #unsigned

            #[inline]
            fn build_request(
                input: &Self::Input,
                endpoint: &str,
            ) -> Result<swage_runtime::http::Request<Vec<u8>>, swage_runtime::RequestError> {
                #this::build_request(input, endpoint)
            }

            #[inline]
            fn parse_response(
                status: u16,
                headers: &swage_runtime::http::HeaderMap,
                body: &[u8],
            ) -> Result<Self::Output, Self::Error> {
                #this::parse_response(status, headers, body)
            }
        }
    }
}

fn lib_rs(krate: &Crate) -> TokenStream {
    let s = &krate.service;
    let mut text = format!(
        "A client for {}, generated by swage from `{}`.\n\n",
        s.title, krate.model_file
    );
    if let Some(d) = &s.docs {
        text.push_str(d);
        text.push_str("\n\n");
    }
    text.push_str(
        "Each operation lives in [`operation`]: a builder for its input that checks every constraint of the\n\
         model, `build_request` to turn the input into an `http::Request`, and `parse_response` to turn\n\
         the service's answer into the output or a typed error. That core does no I/O.\n\n\
         These functions are `#[inline]`, so their code is compiled in the crate that calls them:\n\
         a program pays in build time only for the operations it uses.\n\n\
         With the `blocking` or `async` feature, `client` has clients that call the service for real:\n\
         SigV4 signing, credentials, endpoint resolution, retries and timeouts.",
    );
    if krate.endpoint_rules.is_some() {
        text.push_str(
            "\n\nThe endpoint to send requests to comes from the service's own rule set: [`endpoint::resolve`]\n\
             turns a region (and FIPS, dual-stack, an endpoint override) into its URL.",
        );
    }
    let docs = inner_doc(&text);
    let patterns = (!krate.patterns.is_empty()).then(|| quote! { mod patterns; });
    let endpoint = krate
        .endpoint_rules
        .is_some()
        .then(|| quote! { pub mod endpoint; });
    let compliance = krate.compliance.is_some().then(|| {
        quote! {
            #[cfg(test)]
            mod protocol_tests;
        }
    });
    let client = quote! {
        #[cfg(any(feature = "blocking", feature = "async"))]
        pub mod client;
    };
    // Clippy's placeholder names are real member names in some models (the generated code binds
    // locals named after members).
    let placeholder = krate
        .structures
        .iter()
        .flat_map(|s| &s.fields)
        .any(|f| matches!(f.name.as_str(), "foo" | "baz" | "quux"));
    let placeholder = placeholder.then(|| quote! { #![allow(clippy::disallowed_names)] });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #placeholder

        #client
        #endpoint
        pub mod operation;
        pub mod types;
        #patterns
        #compliance

        pub use swage_runtime::http;
        pub use swage_runtime::{BigNumber, ConstraintViolation, ConstraintViolations, DateTime, Document, ParseError, RequestError, ServiceError, Unhandled, UnknownIntValue, UnknownValue, ViolationKind};
    }
}

fn cargo_toml(krate: &Crate) -> String {
    format!(
        "# Generated by `swage generate`. Do not edit by hand.\n\
         [package]\n\
         name = \"{}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         description = \"A client for {}, generated by swage.\"\n\
         license = \"Apache-2.0\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         swage-runtime = {}\n\
         swage-transport = {}\n\
         \n\
         [features]\n\
         # A blocking client (`client::blocking::Client`) over swage's HTTP/1.1 and rustls.\n\
         blocking = [\"swage-runtime/blocking\", \"dep:swage-transport\", \"swage-transport/blocking\"]\n\
         # An async client (`client::Client`) over hyper (rustls) and tokio.\n\
         async = [\"swage-runtime/async\", \"dep:swage-transport\", \"swage-transport/async\"]\n\
         # Credentials from any aws-credential-types provider (`client::AwsCredentials`).\n\
         aws-credential-types = [\"swage-runtime/aws-credential-types\"]\n{}",
        krate.package,
        krate.service.title.replace('"', "'"),
        runtime_dependency(krate),
        transport_dependency(krate),
        examples(krate)
    ) + &krate.compliance.as_ref().map(|c| format!("\n[dev-dependencies]\nswage-compliance = {}\n", c.dependency)).unwrap_or_default()
}

/// The `swage-transport` dependency (optional: only the clients need it), from where the
/// runtime comes from.
fn transport_dependency(krate: &Crate) -> String {
    format!("{{ {}, optional = true }}", krate.runtime.toml("transport"))
}

/// `[[example]]` sections for the hand-written examples.
fn examples(krate: &Crate) -> String {
    let mut out = String::new();
    for e in &krate.examples {
        let features: Vec<String> = e
            .required_features
            .iter()
            .map(|f| format!("{f:?}"))
            .collect();
        out.push_str(&format!(
            "\n[[example]]\nname = {:?}\npath = {:?}\nrequired-features = [{}]\n",
            e.name,
            e.path,
            features.join(", ")
        ));
    }
    out
}

/// The runtime dependency with exactly the pattern engines the model needs, so users build no
/// engine they don't use.
fn runtime_dependency(krate: &Crate) -> String {
    let mut features = Vec::new();
    if krate.patterns.iter().any(|p| p.lite.is_some()) {
        features.push("\"regex-lite\"");
    }
    if krate.patterns.iter().any(|p| p.lite.is_none()) {
        features.push("\"regress\"");
    }
    if krate.endpoint_rules.is_some() {
        features.push("\"endpoints\"");
    }
    if krate.service.protocol.is_xml() {
        features.push("\"xml\"");
    }
    if krate.operations.iter().any(|op| op.gzip) {
        features.push("\"gzip\"");
    }
    let inner = krate.runtime.toml("runtime");
    format!(
        "{{ {inner}, default-features = false, features = [{}] }}",
        features.join(", ")
    )
}

/// `next_page` on a paginated operation's input: the sans-IO half of a paginator.
fn pagination(op: &crate::ir::Operation, p: &crate::ir::Pagination) -> TokenStream {
    let input = super::type_path(&op.input);
    let output = super::type_path(&op.output);
    let input_token = ident(&p.input_token);
    let output_token = ident(&p.output_token);
    let token = if p.output_token_required {
        quote! { Some(output.#output_token()) }
    } else {
        quote! { output.#output_token() }
    };
    let mut doc_text = format!(
        " The input for the page after `output`: this input with `{}` set to the output's `{}`, or `None` when `output` was the last page (no token, an empty one, or the one this input already sent).",
        p.input_token.trim_start_matches("r#"),
        p.output_token.trim_start_matches("r#")
    );
    if let Some(items) = &p.items {
        doc_text.push_str(&format!(" Each page's items are in `{items}`."));
    }
    if let Some(size) = &p.page_size {
        doc_text.push_str(&format!(" `{size}` sets the page size."));
    }
    let doc_text = doc_text.trim_start().to_owned();
    let doc_text = format!(" {doc_text}");
    quote! {
        impl #input {
            #[doc = #doc_text]
            ///
            /// Loop: send the request, parse the output, and continue while this returns `Some`.
            pub fn next_page(&self, output: &#output) -> Option<Self> {
                let token = #token?;
                if token.is_empty() || self.#input_token.as_deref() == Some(token) {
                    return None;
                }
                let mut next = self.clone();
                next.#input_token = Some(token.to_owned());
                Some(next)
            }
        }
    }
}
