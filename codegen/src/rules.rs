//! Lowers a service's `smithy.rules#endpointRuleSet` into the IR: the rule set is checked against
//! the rules-engine spec (rule types, known functions and their arity, references in scope,
//! template strings, `getAttr` paths), and every parameter and assigned variable gets a slot.
//!
//! A rule set that breaks the spec is a model error. One that uses a function swage doesn't know
//! (an extension) is a warning: the crate is generated without an endpoint resolver.

use crate::diagnostics::Reporter;
use crate::ir::{
    ConditionIr, EndpointParam, EndpointRuleIr, EndpointRules, ExprIr, ParamKind, ParamValue,
    PartIr, StepIr, ThenIr,
};
use crate::naming;
use serde_json::Value;
use std::collections::BTreeMap;
use swage_runtime::endpoint::Function;

/// A problem found at a JSON path inside the trait.
struct Problem {
    path: String,
    message: String,
    /// An unknown function: the rule set may be valid, swage just can't run it.
    unsupported: bool,
}

struct Lowering {
    /// Slot names (as in the rule set) to slot numbers.
    slot_of: BTreeMap<String, usize>,
    slot_names: Vec<String>,
    problems: Vec<Problem>,
}

const TRAIT: &str = "smithy.rules#endpointRuleSet";

/// The rule set of `service` (whose traits are `raw`), or `None` if it has none or it can't be used.
pub fn lower(service: &str, raw: &Value, report: &mut Reporter) -> Option<EndpointRules> {
    let mut l = Lowering {
        slot_of: BTreeMap::new(),
        slot_names: Vec::new(),
        problems: Vec::new(),
    };
    let result = l.rule_set(raw);
    let unsupported = l.problems.iter().any(|p| p.unsupported);
    for p in &l.problems {
        let message = format!("`{TRAIT}` at `{}`: {}", p.path, p.message);
        if p.unsupported {
            report.warning(
                Some(service),
                None,
                message,
                "the crate gets no endpoint resolver; callers pass endpoint URLs themselves",
            );
        } else {
            report.error(
                Some(service),
                None,
                message,
                "fix the rule set so it follows the Smithy rules-engine specification",
            );
        }
    }
    if !l.problems.is_empty() || unsupported {
        return None;
    }
    result
}

impl Lowering {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_owned(),
            message: message.into(),
            unsupported: false,
        });
    }

    fn rule_set(&mut self, v: &Value) -> Option<EndpointRules> {
        let Some(obj) = v.as_object() else {
            self.problem(
                "",
                "expected an object with `version`, `parameters` and `rules`",
            );
            return None;
        };
        match obj.get("version").and_then(Value::as_str) {
            Some(_) => {}
            None => self.problem(
                "/version",
                "expected the rules-engine version as a string, such as \"1.0\"",
            ),
        }
        let mut params = Vec::new();
        match obj.get("parameters").and_then(Value::as_object) {
            None => self.problem("/parameters", "expected an object of parameters"),
            Some(map) => {
                for (name, p) in map {
                    if let Some(param) = self.parameter(name, p) {
                        params.push(param);
                    }
                }
            }
        }
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        for p in &params {
            if let Some(first) = fields.insert(p.field.clone(), p.name.clone()) {
                self.problem(
                    &format!("/parameters/{}", p.name),
                    format!(
                        "parameters `{first}` and `{}` have the same Rust name `{}`",
                        p.name, p.field
                    ),
                );
            }
        }
        for p in &params {
            self.new_slot(&p.name);
        }
        let scope: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
        let rules = match obj.get("rules").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => self.rules("/rules", list, &scope),
            _ => {
                self.problem("/rules", "expected a non-empty array of rules");
                Vec::new()
            }
        };
        let slots = slot_constants(&self.slot_names);
        Some(EndpointRules {
            params,
            slots,
            slot_sources: self.slot_names.clone(),
            client_params: Vec::new(),
            rules,
        })
    }

    fn new_slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.slot_of.get(name) {
            return i;
        }
        let i = self.slot_names.len();
        self.slot_names.push(name.to_owned());
        self.slot_of.insert(name.to_owned(), i);
        i
    }

    fn parameter(&mut self, name: &str, p: &Value) -> Option<EndpointParam> {
        let path = format!("/parameters/{name}");
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            self.problem(
                &path,
                "a parameter name must be an identifier (letters, digits and `_`)",
            );
            return None;
        }
        let kind = match p
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("string") => ParamKind::String,
            Some("boolean") => ParamKind::Boolean,
            Some("stringarray") => ParamKind::StringArray,
            _ => {
                self.problem(
                    &format!("{path}/type"),
                    "expected \"string\", \"boolean\" or \"stringArray\"",
                );
                return None;
            }
        };
        let required = match p.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.problem(&format!("{path}/required"), "expected a boolean");
                false
            }
        };
        let default = match (p.get("default"), kind) {
            (None, _) => None,
            (Some(Value::String(s)), ParamKind::String) => Some(ParamValue::String(s.clone())),
            (Some(Value::Bool(b)), ParamKind::Boolean) => Some(ParamValue::Bool(*b)),
            (Some(Value::Array(items)), ParamKind::StringArray)
                if items.iter().all(Value::is_string) =>
            {
                Some(ParamValue::StringArray(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                ))
            }
            (Some(_), _) => {
                self.problem(
                    &format!("{path}/default"),
                    "the default does not match the parameter's type",
                );
                None
            }
        };
        if default.is_some() && !required {
            self.problem(
                &format!("{path}/default"),
                "a parameter with a default must also be `required`",
            );
        }
        let deprecated = p
            .get("deprecated")
            .map(|d| d.get("message").and_then(Value::as_str).map(str::to_owned));
        Some(EndpointParam {
            name: name.to_owned(),
            field: naming::field(name),
            kind,
            required,
            default,
            built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            docs: p
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_owned),
            deprecated,
        })
    }

    fn rules(&mut self, path: &str, list: &[Value], scope: &[String]) -> Vec<EndpointRuleIr> {
        let mut out = Vec::with_capacity(list.len());
        for (i, r) in list.iter().enumerate() {
            if let Some(rule) = self.rule(&format!("{path}/{i}"), r, scope) {
                out.push(rule);
            }
        }
        out
    }

    fn rule(&mut self, path: &str, r: &Value, outer: &[String]) -> Option<EndpointRuleIr> {
        let mut scope = outer.to_vec();
        let mut conditions = Vec::new();
        match r.get("conditions") {
            Some(Value::Array(list)) => {
                for (i, c) in list.iter().enumerate() {
                    let cpath = format!("{path}/conditions/{i}");
                    if c.get("fn").is_none() {
                        self.problem(
                            &cpath,
                            "a condition must be a function call (`fn` and `argv`)",
                        );
                        continue;
                    }
                    let Some(expr) = self.expr(&cpath, c, &scope) else {
                        continue;
                    };
                    let assign = match c.get("assign") {
                        None => None,
                        Some(Value::String(name)) => {
                            if scope.contains(name) {
                                self.problem(
                                    &format!("{cpath}/assign"),
                                    format!("`{name}` is already defined in this scope"),
                                );
                            }
                            scope.push(name.clone());
                            Some(self.new_slot(name))
                        }
                        Some(_) => {
                            self.problem(&format!("{cpath}/assign"), "expected a variable name");
                            None
                        }
                    };
                    conditions.push(ConditionIr { expr, assign });
                }
            }
            _ => self.problem(
                &format!("{path}/conditions"),
                "expected an array of conditions (it may be empty)",
            ),
        }
        let then = match r.get("type").and_then(Value::as_str) {
            Some("endpoint") => {
                let Some(e) = r.get("endpoint").filter(|e| e.is_object()) else {
                    self.problem(
                        &format!("{path}/endpoint"),
                        "an endpoint rule needs an `endpoint` object",
                    );
                    return None;
                };
                let epath = format!("{path}/endpoint");
                let url = match e.get("url") {
                    Some(u) => self.expr(&format!("{epath}/url"), u, &scope)?,
                    None => {
                        self.problem(&epath, "an endpoint needs a `url`");
                        return None;
                    }
                };
                let mut properties = Vec::new();
                if let Some(props) = e.get("properties") {
                    match props.as_object() {
                        Some(map) => {
                            for (k, v) in map {
                                if let Some(x) =
                                    self.property(&format!("{epath}/properties/{k}"), v, &scope)
                                {
                                    properties.push((k.clone(), x));
                                }
                            }
                        }
                        None => self.problem(&format!("{epath}/properties"), "expected an object"),
                    }
                }
                let mut headers = Vec::new();
                if let Some(h) = e.get("headers") {
                    match h.as_object() {
                        Some(map) => {
                            for (k, v) in map {
                                let hpath = format!("{epath}/headers/{k}");
                                let Some(list) = v.as_array() else {
                                    self.problem(&hpath, "expected an array of values");
                                    continue;
                                };
                                let values = list
                                    .iter()
                                    .enumerate()
                                    .filter_map(|(i, x)| {
                                        self.expr(&format!("{hpath}/{i}"), x, &scope)
                                    })
                                    .collect();
                                headers.push((k.clone(), values));
                            }
                        }
                        None => self.problem(&format!("{epath}/headers"), "expected an object"),
                    }
                }
                ThenIr::Endpoint {
                    url,
                    properties,
                    headers,
                }
            }
            Some("error") => match r.get("error") {
                Some(e) => ThenIr::Error(self.expr(&format!("{path}/error"), e, &scope)?),
                None => {
                    self.problem(path, "an error rule needs an `error` message");
                    return None;
                }
            },
            Some("tree") => match r.get("rules").and_then(Value::as_array) {
                Some(list) if !list.is_empty() => {
                    ThenIr::Tree(self.rules(&format!("{path}/rules"), list, &scope))
                }
                _ => {
                    self.problem(
                        &format!("{path}/rules"),
                        "a tree rule needs a non-empty array of rules",
                    );
                    return None;
                }
            },
            _ => {
                self.problem(
                    &format!("{path}/type"),
                    "expected \"endpoint\", \"error\" or \"tree\"",
                );
                return None;
            }
        };
        Some(EndpointRuleIr { conditions, then })
    }

    /// A value in endpoint properties: strings (templates), booleans, numbers, arrays, objects.
    fn property(&mut self, path: &str, v: &Value, scope: &[String]) -> Option<ExprIr> {
        Some(match v {
            Value::Object(map) if map.contains_key("ref") || map.contains_key("fn") => {
                self.problem(
                    path,
                    "endpoint properties must not contain references or function calls",
                );
                return None;
            }
            Value::Object(map) => ExprIr::Record(
                map.iter()
                    .filter_map(|(k, x)| {
                        Some((k.clone(), self.property(&format!("{path}/{k}"), x, scope)?))
                    })
                    .collect(),
            ),
            Value::Array(items) => ExprIr::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| self.property(&format!("{path}/{i}"), x, scope))
                    .collect(),
            ),
            _ => self.expr(path, v, scope)?,
        })
    }

    fn expr(&mut self, path: &str, v: &Value, scope: &[String]) -> Option<ExprIr> {
        Some(match v {
            Value::String(s) => self.template(path, s, scope)?,
            Value::Bool(b) => ExprIr::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => ExprIr::Int(i),
                None => {
                    self.problem(path, "numbers must be integers");
                    return None;
                }
            },
            Value::Array(items) => ExprIr::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| self.expr(&format!("{path}/{i}"), x, scope))
                    .collect(),
            ),
            Value::Object(map) => {
                if let Some(r) = map.get("ref") {
                    let Some(name) = r.as_str() else {
                        self.problem(&format!("{path}/ref"), "expected a name");
                        return None;
                    };
                    return self.reference(path, name, scope);
                }
                let Some(name) = map.get("fn").and_then(Value::as_str) else {
                    self.problem(
                        path,
                        "expected a reference (`ref`) or a function call (`fn` and `argv`)",
                    );
                    return None;
                };
                let Some(args) = map.get("argv").and_then(Value::as_array) else {
                    self.problem(&format!("{path}/argv"), "expected an array of arguments");
                    return None;
                };
                if name == "getAttr" {
                    if args.len() != 2 {
                        self.problem(
                            &format!("{path}/argv"),
                            format!("`getAttr` takes 2 arguments, found {}", args.len()),
                        );
                        return None;
                    }
                    let target = self.expr(&format!("{path}/argv/0"), &args[0], scope)?;
                    let Some(p) = args[1].as_str() else {
                        self.problem(
                            &format!("{path}/argv/1"),
                            "the `getAttr` path must be a string",
                        );
                        return None;
                    };
                    let steps = self.attr_path(&format!("{path}/argv/1"), p)?;
                    return Some(ExprIr::GetAttr(Box::new(target), steps));
                }
                let Some(function) = Function::from_name(name) else {
                    self.problems.push(Problem {
                        path: format!("{path}/fn"),
                        message: format!("unknown function `{name}`"),
                        unsupported: true,
                    });
                    return None;
                };
                let (min, max) = function.arity();
                if args.len() < min || args.len() > max {
                    let wanted = if min == max {
                        min.to_string()
                    } else {
                        format!("at least {min}")
                    };
                    self.problem(
                        &format!("{path}/argv"),
                        format!("`{name}` takes {wanted} arguments, found {}", args.len()),
                    );
                    return None;
                }
                let mut out = Vec::with_capacity(args.len());
                for (i, a) in args.iter().enumerate() {
                    out.push(self.expr(&format!("{path}/argv/{i}"), a, scope)?);
                }
                ExprIr::Call(format!("{function:?}"), out)
            }
            Value::Null => {
                self.problem(path, "`null` is not a value in rule sets");
                return None;
            }
        })
    }

    fn reference(&mut self, path: &str, name: &str, scope: &[String]) -> Option<ExprIr> {
        if !scope.iter().any(|s| s == name) {
            self.problem(
                path,
                format!("`{name}` is not a parameter or a variable assigned before this point"),
            );
            return None;
        }
        self.slot_of.get(name).map(|&i| ExprIr::Ref(i))
    }

    /// `a.b[0]`: keys split on `.`, an index in brackets.
    fn attr_path(&mut self, path: &str, text: &str) -> Option<Vec<StepIr>> {
        let mut steps = Vec::new();
        for part in text.split('.') {
            let (key, index) = match part.find('[') {
                Some(i) => {
                    let Some(n) = part[i + 1..]
                        .strip_suffix(']')
                        .and_then(|n| n.parse::<usize>().ok())
                    else {
                        self.problem(
                            path,
                            format!("`{text}` is not a valid path: an index must be `[n]`"),
                        );
                        return None;
                    };
                    (&part[..i], Some(n))
                }
                None => (part, None),
            };
            if !key.is_empty() {
                steps.push(StepIr::Key(key.to_owned()));
            } else if index.is_none() {
                self.problem(path, format!("`{text}` is not a valid path: empty key"));
                return None;
            }
            if let Some(n) = index {
                steps.push(StepIr::Index(n));
            }
        }
        Some(steps)
    }

    /// A string: a template if it has placeholders (`{Region}`, `{Result#path}`; `{{` and `}}`
    /// are literal braces).
    fn template(&mut self, path: &str, text: &str, scope: &[String]) -> Option<ExprIr> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[i + 1..];
                    let Some(end) = rest.find('}') else {
                        self.problem(path, format!("template `{text}` has an unclosed `{{`"));
                        return None;
                    };
                    let inner = &rest[..end];
                    for _ in 0..inner.chars().count() + 1 {
                        chars.next();
                    }
                    let (name, attr) = match inner.split_once('#') {
                        Some((n, a)) => (n, Some(a)),
                        None => (inner, None),
                    };
                    let target = self.reference(path, name, scope)?;
                    let value = match attr {
                        Some(a) => ExprIr::GetAttr(Box::new(target), self.attr_path(path, a)?),
                        None => target,
                    };
                    if !literal.is_empty() {
                        parts.push(PartIr::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(PartIr::Value(value));
                }
                '}' => {
                    self.problem(path, format!("template `{text}` has a `}}` without `{{` (write `}}}}` for a literal one)"));
                    return None;
                }
                c => literal.push(c),
            }
        }
        if parts.is_empty() {
            return Some(ExprIr::Str(literal));
        }
        if !literal.is_empty() {
            parts.push(PartIr::Text(literal));
        }
        Some(ExprIr::Template(parts))
    }
}

/// `SCREAMING_SNAKE` constants for the slots, distinct even where two names differ only in case.
fn slot_constants(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    names
        .iter()
        .map(|n| {
            let base = naming::plain_snake(n).to_ascii_uppercase();
            let mut name = base.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}_{k}");
                k += 1;
            }
            name
        })
        .collect()
}

/// Parses an `operationContextParams` path: the JMESPath subset the rules-engine spec allows
/// (identifiers, sub-expressions, `[*]` and `*` wildcards, the `[]` flatten, and `keys(...)`).
/// Multi-select lists, filters, slices, indexes and other functions are an error naming the
/// construct, so the caller can say the parameter is not bound.
pub fn context_path(path: &str) -> Result<Vec<crate::ir::ContextStep>, String> {
    use crate::ir::ContextStep;
    let text = path.trim();
    if let Some(inner) = text
        .strip_prefix("keys(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        if inner.trim().is_empty() {
            return Err("`keys()` needs an argument".into());
        }
        let mut steps = context_path(inner)?;
        steps.push(ContextStep::Keys);
        return Ok(steps);
    }
    let mut steps = Vec::new();
    let mut rest = text;
    // After a `.` an identifier or `*` must follow; at the start too.
    let mut want_term = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[*]").or_else(|| rest.strip_prefix("[]")) {
            if want_term && !steps.is_empty() {
                return Err(format!("`{path}`: a wildcard after `.`"));
            }
            steps.push(ContextStep::Each);
            rest = after;
            want_term = false;
            continue;
        }
        if let Some(inside) = rest.strip_prefix('[') {
            let construct = if inside.trim_start().starts_with('?') {
                "a filter"
            } else if inside.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == ':') {
                "an index or slice"
            } else {
                "a multi-select list"
            };
            return Err(format!(
                "`{path}` uses {construct}, which operationContextParams does not allow"
            ));
        }
        if let Some(after) = rest.strip_prefix('.') {
            if want_term {
                return Err(format!("`{path}`: `.` without an expression before it"));
            }
            rest = after;
            want_term = true;
            continue;
        }
        if !want_term {
            return Err(format!("`{path}`: expected `.` or `[` at `{rest}`"));
        }
        if let Some(after) = rest.strip_prefix('*') {
            steps.push(ContextStep::Each);
            rest = after;
            want_term = false;
            continue;
        }
        if let Some(after) = rest.strip_prefix('"') {
            // A quoted identifier: JSON string syntax; member names need no escapes.
            let end = after
                .find('"')
                .ok_or_else(|| format!("`{path}`: unterminated quoted identifier"))?;
            let name = &after[..end];
            if name.contains('\\') {
                return Err(format!("`{path}`: escapes in quoted identifiers"));
            }
            steps.push(ContextStep::Member(name.to_owned()));
            rest = &after[end + 1..];
            want_term = false;
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!(
                "`{path}`: unsupported expression at `{rest}` (only identifiers, `.`, wildcards and `keys()`)"
            ));
        }
        if rest[end..].starts_with('(') {
            return Err(format!(
                "`{path}`: the function `{name}()`; only `keys()` is allowed"
            ));
        }
        steps.push(ContextStep::Member(name.to_owned()));
        rest = &rest[end..];
        want_term = false;
    }
    if want_term {
        return Err(format!("`{path}` is empty or ends with `.`"));
    }
    Ok(steps)
}

#[cfg(test)]
mod context_path_tests {
    use super::context_path;
    use crate::ir::ContextStep::{Each, Keys, Member};

    fn m(s: &str) -> crate::ir::ContextStep {
        Member(s.to_owned())
    }

    #[test]
    fn the_allowed_subset_parses() {
        assert_eq!(context_path("TableName").unwrap(), vec![m("TableName")]);
        assert_eq!(
            context_path("TableCreationParameters.TableName").unwrap(),
            vec![m("TableCreationParameters"), m("TableName")]
        );
        assert_eq!(
            context_path("Delete.Objects[*].Key").unwrap(),
            vec![m("Delete"), m("Objects"), Each, m("Key")]
        );
        assert_eq!(
            context_path("TransactItems[*].Get.TableName").unwrap(),
            vec![m("TransactItems"), Each, m("Get"), m("TableName")]
        );
        assert_eq!(
            context_path("keys(RequestItems)").unwrap(),
            vec![m("RequestItems"), Keys]
        );
        assert_eq!(context_path("A[].B").unwrap(), vec![m("A"), Each, m("B")]);
        assert_eq!(context_path("A.*.B").unwrap(), vec![m("A"), Each, m("B")]);
        assert_eq!(context_path("\"A\".B").unwrap(), vec![m("A"), m("B")]);
    }

    #[test]
    fn what_the_subset_excludes_is_an_error_naming_it() {
        for (path, says) in [
            ("A[0]", "index"),
            ("A[1:2]", "slice"),
            ("A[?b == 'c']", "filter"),
            ("[A, B]", "multi-select"),
            ("length(A)", "`length()`"),
            ("A.", "ends with"),
            (".A", "without an expression"),
            ("", "empty"),
            ("A B", "expected"),
            ("keys()", "argument"),
            ("\"A", "unterminated"),
        ] {
            let err = context_path(path).unwrap_err();
            assert!(err.contains(says), "{path}: {err}");
        }
    }
}
