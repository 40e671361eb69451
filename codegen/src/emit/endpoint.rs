//! `src/endpoint.rs`: the service's endpoint rule set as static data for the runtime's
//! interpreter, the typed parameters, and `resolve`.

use super::{deprecated, ident};
use crate::ir::{
    ConditionIr, EndpointRuleIr, EndpointRules, ExprIr, ParamKind, ParamValue, PartIr, StepIr,
    ThenIr,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The runtime's rule-set types, imported by name into the file.
const RUNTIME_TYPES: &[&str] = &[
    "Arg",
    "Condition",
    "EndpointRule",
    "Expr",
    "Function",
    "Parameter",
    "Part",
    "Rule",
    "RuleSet",
    "Step",
    "Then",
];

fn rt(name: &str) -> TokenStream {
    let path: TokenStream = name.parse().unwrap_or_default();
    path
}

/// The file's items.
pub fn file(rules: &EndpointRules, service_title: &str) -> TokenStream {
    let slot_names = &rules.slots;
    let slot_docs: Vec<String> = slot_names
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let p = rules
                .params
                .get(i)
                .map(|p| format!(" The parameter `{}`.", p.name));
            p.unwrap_or_else(|| {
                format!(
                    " The variable `{}`, assigned by a condition.",
                    rules
                        .slot_sources
                        .get(i)
                        .map(String::as_str)
                        .unwrap_or_default()
                )
            })
        })
        .collect();

    let mut fields = TokenStream::new();
    let mut defaults = TokenStream::new();
    let mut args = TokenStream::new();
    let mut any_deprecated = false;
    let arg_ty = rt("Arg");
    for p in &rules.params {
        let f = ident(&p.field);
        let mut text = p
            .docs
            .as_deref()
            .map(crate::docs::to_markdown)
            .unwrap_or_else(|| format!("The `{}` parameter.", p.name));
        text.push_str("\n\n");
        match &p.built_in {
            Some(b) => text.push_str(&format!("Rule-set parameter `{}`, built-in `{b}`.", p.name)),
            None => text.push_str(&format!("Rule-set parameter `{}`.", p.name)),
        }
        if p.required && p.default.is_none() {
            text.push_str(" Required: resolution fails without it.");
        }
        let docs = super::doc(Some(&text));
        let dep = deprecated(&p.deprecated);
        any_deprecated |= p.deprecated.is_some();
        let (ty, default, arg) = match (p.kind, &p.default) {
            (ParamKind::String, Some(ParamValue::String(s))) => (
                quote! { String },
                quote! { #s.to_owned() },
                quote! { #arg_ty::Str(&params.#f) },
            ),
            (ParamKind::String, _) => (
                quote! { Option<String> },
                quote! { None },
                quote! { #arg_ty::from(params.#f.as_deref()) },
            ),
            (ParamKind::Boolean, Some(ParamValue::Bool(b))) => (
                quote! { bool },
                quote! { #b },
                quote! { #arg_ty::Bool(params.#f) },
            ),
            (ParamKind::Boolean, _) => (
                quote! { Option<bool> },
                quote! { None },
                quote! { #arg_ty::from(params.#f) },
            ),
            (ParamKind::StringArray, Some(ParamValue::StringArray(items))) => (
                quote! { Vec<String> },
                quote! { vec![#(#items.to_owned()),*] },
                quote! { #arg_ty::StrArray(&params.#f) },
            ),
            (ParamKind::StringArray, _) => (
                quote! { Option<Vec<String>> },
                quote! { None },
                quote! { params.#f.as_deref().map_or(#arg_ty::Unset, #arg_ty::StrArray) },
            ),
        };
        fields.extend(quote! { #docs #dep pub #f: #ty, });
        defaults.extend(quote! { #f: #default, });
        args.extend(quote! { #arg, });
    }

    let params = rules.params.iter().map(|p| {
        let name = &p.name;
        let required = p.required;
        let ps = rt("Parameter");
        quote! { #ps { name: #name, required: #required } }
    });
    let rule_set = rt("RuleSet");
    let slot_count = proc_macro2::Literal::usize_unsuffixed(rules.slots.len());
    let top = rule_list(&rules.rules, slot_names);
    let region = rules.params.iter().find(|p| {
        p.built_in.as_deref() == Some("AWS::Region")
            && p.kind == ParamKind::String
            && p.default.is_none()
    });
    let for_region = region.map(|p| {
        let f = ident(&p.field);
        quote! {
            /// Parameters for `region`, everything else at its default.
            pub fn for_region(region: impl Into<String>) -> Self {
                EndpointParams { #f: Some(region.into()), ..Self::default() }
            }
        }
    });
    let allow = any_deprecated.then(|| quote! { #[allow(deprecated)] });
    // Where every default is the type's own, `Default` is derived (what clippy asks for).
    let derivable = rules.params.iter().all(|p| match &p.default {
        None => true,
        Some(ParamValue::Bool(b)) => !b,
        Some(ParamValue::String(s)) => s.is_empty(),
        Some(ParamValue::StringArray(items)) => items.is_empty(),
    });
    let (derive_default, default_impl) = if derivable {
        (quote! { Default, }, TokenStream::new())
    } else {
        (
            TokenStream::new(),
            quote! {
                #allow
                impl Default for EndpointParams {
                    fn default() -> Self {
                        EndpointParams { #defaults }
                    }
                }
            },
        )
    };
    let summary = format!(" The parameters endpoint resolution for {service_title} takes: the model's rule-set parameters.");
    let resolve_doc =
        " Resolves the endpoint for `params` with swage's built-in AWS partition data.";
    let (endpoint, error, partitions) = (rt("Endpoint"), rt("EndpointError"), rt("Partitions"));
    let statics = quote! {
        static RULES: #rule_set = #rule_set {
            parameters: &[#(#params),*],
            slots: #slot_count,
            rules: #top,
        };
    };
    let words = format!("{statics} {args}");
    // Only the slots the rules refer to get a constant (a parameter no rule reads has none).
    let referenced: Vec<usize> = (0..rules.slots.len())
        .filter(|&i| {
            words
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == rules.slots[i])
        })
        .collect();
    let slots: Vec<_> = referenced
        .iter()
        .map(|&i| format_ident!("{}", rules.slots[i]))
        .collect();
    let slot_numbers = referenced
        .iter()
        .map(|&i| proc_macro2::Literal::usize_unsuffixed(i));
    let slot_docs: Vec<String> = referenced.iter().map(|&i| slot_docs[i].clone()).collect();
    let used: Vec<_> = RUNTIME_TYPES
        .iter()
        .filter(|t| {
            words
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == **t)
        })
        .map(|t| format_ident!("{}", t))
        .collect();
    quote! {
        #![doc = " Endpoints from the service's own rule set (`smithy.rules#endpointRuleSet`): [`resolve`] turns"]
        #![doc = " [`EndpointParams`] (region, FIPS, dual-stack, an endpoint override) into the endpoint to send"]
        #![doc = " requests to, or the rule set's error for a configuration the service does not support."]
        #![doc = ""]
        #![doc = " The rules are data for the interpreter in `swage_runtime::endpoint`; nothing here is code"]
        #![doc = " specific to this service but the parameters."]

        pub use swage_runtime::endpoint::{Endpoint, EndpointError, Partitions};
        use swage_runtime::endpoint::{#(#used),*};

        #[doc = #summary]
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        pub struct EndpointParams {
            #fields
        }

        #default_impl

        impl EndpointParams {
            #for_region
        }

        #[doc = #resolve_doc]
        pub fn resolve(params: &EndpointParams) -> Result<#endpoint, #error> {
            resolve_with(params, #partitions::builtin())
        }

        /// Resolves the endpoint for `params` with `partitions` (for regions newer than swage's data).
        #allow
        pub fn resolve_with(params: &EndpointParams, partitions: &#partitions) -> Result<#endpoint, #error> {
            RULES.resolve(&[#args], partitions)
        }

        /// Slots of the rule set's values: its parameters, then the variables its conditions assign.
        mod slot {
            #( #[doc = #slot_docs] pub(super) const #slots: usize = #slot_numbers; )*
        }

        #statics
    }
}

fn rule_list(rules: &[EndpointRuleIr], slots: &[String]) -> TokenStream {
    let items = rules.iter().map(|r| rule(r, slots));
    quote! { &[#(#items),*] }
}

fn rule(r: &EndpointRuleIr, slots: &[String]) -> TokenStream {
    let conditions = r.conditions.iter().map(|c| condition(c, slots));
    let (then_ty, rule_ty) = (rt("Then"), rt("Rule"));
    let then = match &r.then {
        ThenIr::Endpoint {
            url,
            properties,
            headers,
        } => {
            let url = expr(url, slots);
            let props = properties.iter().map(|(k, v)| {
                let v = expr(v, slots);
                quote! { (#k, #v) }
            });
            let headers = headers.iter().map(|(k, vs)| {
                let vs = vs.iter().map(|v| expr(v, slots));
                quote! { (#k, &[#(#vs),*]) }
            });
            let er = rt("EndpointRule");
            quote! { #then_ty::Endpoint(#er { url: #url, properties: &[#(#props),*], headers: &[#(#headers),*] }) }
        }
        ThenIr::Error(message) => {
            let m = expr(message, slots);
            quote! { #then_ty::Error(#m) }
        }
        ThenIr::Tree(inner) => {
            let inner = rule_list(inner, slots);
            quote! { #then_ty::Tree(#inner) }
        }
    };
    quote! { #rule_ty { conditions: &[#(#conditions),*], then: #then } }
}

fn condition(c: &ConditionIr, slots: &[String]) -> TokenStream {
    let e = expr(&c.expr, slots);
    let assign = match c.assign {
        Some(i) => {
            let s = slot(i, slots);
            quote! { Some(#s) }
        }
        None => quote! { None },
    };
    let ty = rt("Condition");
    quote! { #ty { expr: #e, assign: #assign } }
}

fn slot(i: usize, slots: &[String]) -> TokenStream {
    match slots.get(i) {
        Some(name) => {
            let n = format_ident!("{}", name);
            quote! { slot::#n }
        }
        None => quote! { #i },
    }
}

fn expr(e: &ExprIr, slots: &[String]) -> TokenStream {
    let ty = rt("Expr");
    match e {
        ExprIr::Str(s) => quote! { #ty::Str(#s) },
        ExprIr::Template(parts) => {
            let part = rt("Part");
            let parts = parts.iter().map(|p| match p {
                PartIr::Text(t) => quote! { #part::Text(#t) },
                PartIr::Value(v) => {
                    let v = expr(v, slots);
                    quote! { #part::Value(#v) }
                }
            });
            quote! { #ty::Template(&[#(#parts),*]) }
        }
        ExprIr::Bool(b) => quote! { #ty::Bool(#b) },
        ExprIr::Int(i) => quote! { #ty::Int(#i) },
        ExprIr::Array(items) => {
            let items = items.iter().map(|x| expr(x, slots));
            quote! { #ty::Array(&[#(#items),*]) }
        }
        ExprIr::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let v = expr(v, slots);
                quote! { (#k, #v) }
            });
            quote! { #ty::Record(&[#(#fields),*]) }
        }
        ExprIr::Ref(i) => {
            let s = slot(*i, slots);
            quote! { #ty::Ref(#s) }
        }
        ExprIr::GetAttr(target, steps) => {
            let target = expr(target, slots);
            let step = rt("Step");
            let steps = steps.iter().map(|s| match s {
                StepIr::Key(k) => quote! { #step::Key(#k) },
                StepIr::Index(i) => {
                    let i = proc_macro2::Literal::usize_unsuffixed(*i);
                    quote! { #step::Index(#i) }
                }
            });
            quote! { #ty::GetAttr(&#target, &[#(#steps),*]) }
        }
        ExprIr::Call(function, args) => {
            let f = rt(&format!("Function::{function}"));
            let args = args.iter().map(|a| expr(a, slots));
            quote! { #ty::Call(#f, &[#(#args),*]) }
        }
    }
}

/// `endpoint_params(input, params)` on an operation that binds rule-set parameters: the
/// parameters for a call of it, `params` (from the client's configuration) overlaid with its
/// `operationContextParams` paths, `contextParam` members and `staticContextParams`, in that
/// order, so the most specific wins (the rules-engine spec's order).
pub fn operation_params(
    krate: &crate::ir::Crate,
    op: &crate::ir::Operation,
    input: &crate::ir::Structure,
    rules: &EndpointRules,
) -> TokenStream {
    use crate::ir::{BindingSource, Type};
    let mut sets = TokenStream::new();
    // Paths first, context members next, static values last: a fixed value wins.
    let mut bindings: Vec<&crate::ir::EndpointBinding> = op
        .endpoint_bindings
        .iter()
        .filter(|b| matches!(b.source, BindingSource::Path(_)))
        .collect();
    bindings.extend(
        op.endpoint_bindings
            .iter()
            .filter(|b| matches!(b.source, BindingSource::Member(_))),
    );
    bindings.extend(
        op.endpoint_bindings
            .iter()
            .filter(|b| matches!(b.source, BindingSource::Static(_))),
    );
    for b in bindings {
        let Some(p) = rules.params.iter().find(|p| p.name == b.param) else {
            continue;
        };
        let f = ident(&p.field);
        let optional = p.default.is_none();
        let set = match &b.source {
            BindingSource::Path(steps) => {
                let Some(set) = context_path(krate, input, steps, p.kind, &f, optional) else {
                    continue;
                };
                set
            }
            BindingSource::Static(value) => {
                let v = match (value, p.kind) {
                    (ParamValue::String(s), ParamKind::String) => quote! { #s.to_owned() },
                    (ParamValue::Bool(v), ParamKind::Boolean) => quote! { #v },
                    (ParamValue::StringArray(items), ParamKind::StringArray) => {
                        quote! { vec![#(#items.to_owned()),*] }
                    }
                    _ => continue,
                };
                if optional {
                    quote! { params.#f = Some(#v); }
                } else {
                    quote! { params.#f = #v; }
                }
            }
            BindingSource::Member(field) => {
                let Some(member) = input.fields.iter().find(|m| &m.name == field) else {
                    continue;
                };
                let getter = ident(&member.method);
                match (&member.ty, p.kind, member.required, optional) {
                    (Type::String, ParamKind::String, true, true) => {
                        quote! { params.#f = Some(input.#getter().to_owned()); }
                    }
                    (Type::String, ParamKind::String, false, true) => {
                        quote! { params.#f = input.#getter().map(str::to_owned); }
                    }
                    (Type::String, ParamKind::String, true, false) => {
                        quote! { params.#f = input.#getter().to_owned(); }
                    }
                    (Type::String, ParamKind::String, false, false) => {
                        quote! { if let Some(v) = input.#getter() { params.#f = v.to_owned(); } }
                    }
                    (Type::Bool, ParamKind::Boolean, true, true) => {
                        quote! { params.#f = Some(input.#getter()); }
                    }
                    (Type::Bool, ParamKind::Boolean, false, true) => {
                        quote! { params.#f = input.#getter(); }
                    }
                    (Type::Bool, ParamKind::Boolean, true, false) => {
                        quote! { params.#f = input.#getter(); }
                    }
                    (Type::Bool, ParamKind::Boolean, false, false) => {
                        quote! { if let Some(v) = input.#getter() { params.#f = v; } }
                    }
                    _ => continue,
                }
            }
        };
        sets.extend(set);
    }
    if sets.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&op.type_name);
    let input_ty = super::type_path(&op.input);
    let allow = rules
        .params
        .iter()
        .any(|p| p.deprecated.is_some())
        .then(|| quote! { #[allow(deprecated)] });
    let reads_input = op
        .endpoint_bindings
        .iter()
        .any(|b| !matches!(b.source, BindingSource::Static(_)));
    let input_arg = if reads_input {
        quote! { input }
    } else {
        quote! { _input }
    };
    quote! {
        impl #name {
            /// The endpoint parameters for a call with `input`: `params` (from the client's
            /// configuration) with the ones this operation sets from its input
            /// (`contextParam`) and its fixed ones (`staticContextParams`).
            #allow
            #[inline]
            pub fn endpoint_params(#input_arg: &#input_ty, mut params: crate::endpoint::EndpointParams) -> crate::endpoint::EndpointParams {
                #sets
                params
            }
        }
    }
}

/// The statements that set parameter `field` from an `operationContextParams` path into
/// `input`: nested `if let`s and `for` loops over the getters, with the leaves collected. `None`
/// when the path doesn't fit the input's types or the parameter's kind (lowering has checked
/// the syntax; a path that names no member is left unbound, like an unset member).
fn context_path(
    krate: &crate::ir::Crate,
    input: &crate::ir::Structure,
    steps: &[crate::ir::ContextStep],
    kind: ParamKind,
    field: &proc_macro2::Ident,
    optional: bool,
) -> Option<TokenStream> {
    let projects = steps
        .iter()
        .any(|s| !matches!(s, crate::ir::ContextStep::Member(_)));
    let root = crate::ir::Type::Struct(input.path.clone());
    // A single value is set where the path reaches it; a list is collected, then set.
    let set = |value: TokenStream| {
        if optional {
            quote! { params.#field = Some(#value); }
        } else {
            quote! { params.#field = #value; }
        }
    };
    let walk = path_walk(krate, steps, quote! { input }, &root, kind, false, 0, &set)?;
    Some(match kind {
        ParamKind::StringArray => {
            let assign = if optional {
                quote! { params.#field = out; }
            } else {
                quote! { if let Some(v) = out { params.#field = v; } }
            };
            quote! {
                {
                    let mut out: Option<Vec<String>> = None;
                    #walk
                    #assign
                }
            }
        }
        ParamKind::String | ParamKind::Boolean if !projects => walk,
        _ => return None,
    })
}

// The walk's state is these eight values; a struct for them would only be unpacked again.
#[allow(clippy::too_many_arguments)]
/// One step of [`context_path`]: `value` (an expression of type `&ty`, or `ty` for a `Copy`
/// type) goes through `steps`; `collecting` once a projection has begun (`acc` is then the
/// list being filled).
fn path_walk(
    krate: &crate::ir::Crate,
    steps: &[crate::ir::ContextStep],
    value: TokenStream,
    ty: &crate::ir::Type,
    kind: ParamKind,
    collecting: bool,
    depth: usize,
    set: &dyn Fn(TokenStream) -> TokenStream,
) -> Option<TokenStream> {
    use crate::ir::{ContextStep, Type};
    let next = format_ident!("v{}", depth + 1);
    let Some((step, rest)) = steps.split_first() else {
        // The leaf.
        let text = match ty {
            Type::String => Some(quote! { #value.to_owned() }),
            Type::Enum(_) => Some(quote! { #value.as_str().to_owned() }),
            _ => None,
        };
        return match (kind, collecting, ty) {
            (ParamKind::StringArray, true, _) => {
                let text = text?;
                Some(quote! { acc.push(#text); })
            }
            (ParamKind::StringArray, false, Type::List { item, sparse, .. }) => {
                let text = match &**item {
                    Type::String => quote! { #next.to_owned() },
                    Type::Enum(_) => quote! { #next.as_str().to_owned() },
                    _ => return None,
                };
                let items = if *sparse {
                    quote! { #value.iter().flatten() }
                } else {
                    quote! { #value }
                };
                Some(quote! {
                    let acc = out.get_or_insert_with(Vec::new);
                    for #next in #items {
                        acc.push(#text);
                    }
                })
            }
            (ParamKind::String, false, _) => Some(set(text?)),
            (ParamKind::Boolean, false, Type::Bool) => Some(set(value)),
            _ => None,
        };
    };
    // A projection begins: the list exists (possibly empty) once its source does.
    let start = |collecting: bool| {
        if collecting {
            quote! {}
        } else {
            quote! { let acc = out.get_or_insert_with(Vec::new); }
        }
    };
    match step {
        ContextStep::Member(name) => {
            let Type::Struct(path) = ty else {
                return None;
            };
            let s = krate.structures.iter().find(|s| &s.path == path)?;
            let f = s.fields.iter().find(|f| &f.wire_name == name)?;
            let getter = ident(&f.method);
            let inner = path_walk(
                krate,
                rest,
                quote! { #next },
                &f.ty,
                kind,
                collecting,
                depth + 1,
                set,
            )?;
            Some(if f.required {
                quote! { let #next = #value.#getter(); #inner }
            } else {
                quote! { if let Some(#next) = #value.#getter() { #inner } }
            })
        }
        ContextStep::Each => {
            if kind != ParamKind::StringArray {
                return None;
            }
            let (items, item_ty) = match ty {
                Type::List {
                    item,
                    sparse: false,
                    ..
                } => (quote! { #value }, &**item),
                Type::List {
                    item, sparse: true, ..
                } => (quote! { #value.iter().flatten() }, &**item),
                Type::Map {
                    value: v,
                    sparse: false,
                    ..
                } => (quote! { #value.values() }, &**v),
                Type::Map {
                    value: v,
                    sparse: true,
                    ..
                } => (quote! { #value.values().flatten() }, &**v),
                _ => return None,
            };
            let begin = start(collecting);
            let inner = path_walk(
                krate,
                rest,
                quote! { #next },
                item_ty,
                kind,
                true,
                depth + 1,
                set,
            )?;
            Some(quote! { #begin for #next in #items { #inner } })
        }
        ContextStep::Keys => {
            if kind != ParamKind::StringArray || !rest.is_empty() {
                return None;
            }
            if !matches!(ty, Type::Map { .. }) {
                return None;
            }
            let begin = start(collecting);
            let key_ty = Type::String;
            let inner = path_walk(
                krate,
                rest,
                quote! { #next },
                &key_ty,
                kind,
                true,
                depth + 1,
                set,
            )?;
            Some(quote! { #begin for #next in #value.keys() { #inner } })
        }
    }
}
