//! Every Rust name the generator uses is decided here, and only here: case conversion, keyword
//! escaping, names that start with digits, and the names derived from a shape's name (builders,
//! errors, modules).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that can be written as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield", "union",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits words the way Smithy names are written: `IPv6Address` is `ipv6_address`, not
/// `i_pv6_address`; `ARN` is one word; digits stay with the word before them.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // A boundary before an upper-case letter that follows a lower-case one (`fooBar`),
            // or that starts a word after an acronym (`ARNValue` → `ARN`, `Value`); `v6` style
            // suffixes (`IPv6`) stay whole.
            let after_acronym =
                prev.is_ascii_uppercase() && next_lower && !is_ip_version(&chars, i);
            let after_lower = prev.is_ascii_lowercase() && !is_ip_version(&chars, i - 1);
            let after_digit = prev.is_ascii_digit() && next_lower;
            if after_lower || after_acronym || after_digit {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `IPv4`/`IPv6`: an upper-case run followed by `v` and a digit belongs together.
fn is_ip_version(chars: &[char], i: usize) -> bool {
    let v = |j: usize| chars.get(j).copied();
    (v(i) == Some('v')
        && v(i + 1).is_some_and(|c| c.is_ascii_digit())
        && i > 0
        && chars[i - 1].is_ascii_uppercase())
        || (v(i + 1) == Some('v')
            && v(i + 2).is_some_and(|c| c.is_ascii_digit())
            && chars[i].is_ascii_uppercase())
}

/// `snake_case`, without keyword handling.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if joined.is_empty() {
        name.to_snake_case()
    } else {
        joined
    }
}

/// `UpperCamelCase`, without keyword handling.
pub fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut out = String::with_capacity(w.len());
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
            }
            out.extend(chars);
            out
        })
        .collect();
    if joined.is_empty() {
        name.to_upper_camel_case()
    } else {
        joined
    }
}

/// Makes `name` a usable identifier: raw keywords become `r#name`, the rest of the keywords
/// get a `_` suffix, and a leading digit gets `prefix`.
fn escape(name: String, prefix: &str) -> String {
    if name.is_empty() {
        return format!("{prefix}empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{prefix}{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if RAW_OK.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// A field, method or module name for `name`: `StreamSessionIdentifier` → `stream_session_identifier`,
/// `type` → `r#type`, `self` → `self_`.
pub fn field(name: &str) -> String {
    escape(snake(name), "n")
}

/// A name that is always a plain identifier, used as a prefix or suffix of another
/// (`set_type`, not `set_r#type`).
pub fn plain_snake(name: &str) -> String {
    let s = snake(name);
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// Method names a member's getter (on its structure) and fluent setter (on the structure's
/// builder and on the client's call builder) never take, because the generated code defines
/// or calls a method of that name on the same type, or because it is the method of a std
/// trait (clippy's `should_implement_trait`, and an inherent method would shadow the trait's).
const RESERVED_METHODS: &[&str] = &[
    // What the generated code defines on structures, builders and calls.
    "builder",
    "build",
    "build_unchecked",
    "validate",
    "check",
    "next_page",
    "as_input",
    "endpoint_params",
    "send",
    "send_with_metadata",
    "request_id",
    // std traits' methods.
    "default",
    "clone",
    "clone_from",
    "into",
    "from",
    "try_from",
    "try_into",
    "to_owned",
    "to_string",
    "fmt",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "lt",
    "le",
    "gt",
    "ge",
    "max",
    "min",
    "clamp",
    "hash",
    "type_id",
    "borrow",
    "borrow_mut",
    "as_ref",
    "as_mut",
    "deref",
    "deref_mut",
    "drop",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "bitand",
    "bitor",
    "bitxor",
    "shl",
    "shr",
    "add_assign",
    "sub_assign",
    "mul_assign",
    "div_assign",
    "rem_assign",
    "bitand_assign",
    "bitor_assign",
    "bitxor_assign",
    "shl_assign",
    "shr_assign",
    "index",
    "index_mut",
    "next",
    "into_iter",
    "from_iter",
    "from_str",
    "extend",
];

/// What an error structure defines besides: `message()` (kept as the getter of an optional,
/// non-sensitive `Message` string member, which is exactly that), `code()`, and what
/// `std::error::Error` defines.
const RESERVED_ON_ERRORS: &[&str] = &["message", "code", "source", "description", "cause"];

/// The getter and fluent-setter names of a structure's members, and their builders' `get_`
/// names, in order, given each member's field name, `set_` and `get_` names.
///
/// * A builder's `get_x` stays unless another member's field is named `get_x` (a `GetX` member
///   beside `X`); then it is `get_x_value` (or `get_x_value2`, ...), never the `get_` of a field.
/// * A member's getter and fluent setter keep its field name unless that collides with a
///   reserved method (above), with a `set_`/`get_` method of the structure (`SetName` beside
///   `Name`), or with an earlier member's method; then it is `{name}_value` (or
///   `{name}_value2`, ...).
///
/// The rule is stable: the same members give the same names. `keeps_message` says whether an
/// error structure's `message` member is the one whose getter is the error's `message()` itself.
pub fn member_methods<'a>(
    members: impl Iterator<Item = (&'a str, &'a str, &'a str)> + Clone,
    error: bool,
    keeps_message: bool,
) -> Vec<(String, String)> {
    use std::collections::BTreeSet;
    let fields: BTreeSet<&str> = members
        .clone()
        .map(|(name, _, _)| name.trim_start_matches("r#"))
        .collect();
    let unique = |base: &str, taken: &BTreeSet<String>| {
        let ok = |c: &str| {
            !taken.contains(c) && !c.strip_prefix("get_").is_some_and(|f| fields.contains(f))
        };
        let mut candidate = format!("{base}_value");
        let mut n = 2;
        while !ok(&candidate) || fields.contains(candidate.as_str()) {
            candidate = format!("{base}_value{n}");
            n += 1;
        }
        candidate
    };
    let mut taken: BTreeSet<String> = RESERVED_METHODS.iter().map(|s| (*s).to_owned()).collect();
    if error {
        taken.extend(RESERVED_ON_ERRORS.iter().map(|s| (*s).to_owned()));
    }
    let mut getters = Vec::new();
    for (_, set, get) in members.clone() {
        taken.insert(set.to_owned());
        let get = if fields.contains(get) {
            unique(get, &taken)
        } else {
            get.to_owned()
        };
        taken.insert(get.clone());
        getters.push(get);
    }
    let mut out = Vec::new();
    for ((name, _, _), get) in members.zip(getters) {
        let plain = name.trim_start_matches("r#");
        let method = if !taken.contains(plain) || (error && keeps_message && plain == "message") {
            name.to_owned()
        } else {
            unique(plain, &taken)
        };
        taken.insert(method.trim_start_matches("r#").to_owned());
        out.push((method, get));
    }
    out
}

/// The setter for an optional field: `set_identifier`.
pub fn setter(name: &str) -> String {
    format!("set_{}", plain_snake(name))
}

/// The getter of a builder field: `get_identifier`.
pub fn builder_getter(name: &str) -> String {
    format!("get_{}", plain_snake(name))
}

/// A type name for a shape: `CreateStreamSessionAdminShellInput`; `Self` → `SelfValue`.
pub fn type_name(name: &str) -> String {
    let p = pascal(name);
    match p.as_str() {
        "Self" => "SelfValue".to_owned(),
        _ if p.starts_with(|c: char| c.is_ascii_digit()) => format!("T{p}"),
        _ => p,
    }
}

/// An enum variant for an enum member or value: `PENDING_CLIENT_RECONNECTION` → `PendingClientReconnection`.
pub fn variant(name: &str) -> String {
    let p = pascal(name);
    match p.as_str() {
        "" => "Empty".to_owned(),
        "Self" => "SelfValue".to_owned(),
        // `Unknown` is the generated catch-all variant.
        "Unknown" => "UnknownValue".to_owned(),
        _ if p.starts_with(|c: char| c.is_ascii_digit()) => format!("V{p}"),
        _ => p,
    }
}

/// The builder type of a structure.
pub fn builder(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The error enum of an operation.
pub fn operation_error(op: &str) -> String {
    format!("{}Error", type_name(op))
}

/// The module of an operation: `create_stream_session_admin_shell`.
pub fn module(name: &str) -> String {
    field(name)
}

/// A `static` holding a compiled pattern: `IDENTIFIER_PATTERN`.
pub fn pattern_static(shape: &str, member: Option<&str>) -> String {
    let mut s = snake(shape).to_ascii_uppercase();
    if let Some(m) = member {
        s.push('_');
        s.push_str(&snake(m).to_ascii_uppercase());
    }
    format!("{s}_PATTERN")
}

/// The package name turned into the crate's identifier (`eks-auth` → `eks_auth`).
pub fn crate_ident(package: &str) -> String {
    package.replace('-', "_")
}

/// A package name for a service from its sdkId: `GameLift Streams` → `gameliftstreams`.
pub fn package_from_sdk_id(sdk_id: &str) -> String {
    sdk_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(
            field("StreamSessionIdentifier"),
            "stream_session_identifier"
        );
        assert_eq!(type_name("createStreamSession"), "CreateStreamSession");
        assert_eq!(field("SessionId"), "session_id");
    }

    #[test]
    fn acronyms() {
        assert_eq!(field("ARN"), "arn");
        assert_eq!(field("ARNValue"), "arn_value");
        assert_eq!(field("IPv6Address"), "ipv6_address");
        assert_eq!(type_name("IPv6Address"), "Ipv6Address");
        assert_eq!(field("S3Bucket"), "s3_bucket");
        assert_eq!(field("snake_case_name"), "snake_case_name");
        assert_eq!(variant("us-west-2"), "UsWest2");
        assert_eq!(
            variant("PENDING_CLIENT_RECONNECTION"),
            "PendingClientReconnection"
        );
    }

    #[test]
    fn keywords() {
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("Match"), "r#match");
        assert_eq!(field("async"), "r#async");
        assert_eq!(field("gen"), "r#gen");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("crate"), "crate_");
        assert_eq!(field("super"), "super_");
        assert_eq!(setter("type"), "set_type");
        assert_eq!(type_name("Self"), "SelfValue");
    }

    #[test]
    fn digits_and_reserved_variants() {
        assert_eq!(field("1stValue"), "n1st_value");
        assert_eq!(type_name("1Thing"), "T1Thing");
        assert_eq!(variant("1x"), "V1x");
        assert_eq!(variant("UNKNOWN"), "UnknownValue");
        assert_eq!(setter("2fa"), "set_n2fa");
    }

    #[test]
    fn derived_names() {
        assert_eq!(builder("Foo"), "FooBuilder");
        assert_eq!(
            operation_error("CreateStreamSessionAdminShell"),
            "CreateStreamSessionAdminShellError"
        );
        assert_eq!(pattern_static("Identifier", None), "IDENTIFIER_PATTERN");
        assert_eq!(package_from_sdk_id("GameLift Streams"), "gameliftstreams");
    }
}
