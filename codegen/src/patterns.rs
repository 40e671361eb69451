//! Deciding how each `@pattern` is enforced. Smithy patterns are ECMA-262 regular expressions;
//! the generated crate runs them with `regress`, an ECMA-262 engine, so this module only decides
//! the flags, and catches patterns that would not compile there.

/// How one pattern will be enforced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Enforced with these ECMA-262 flags (`u` when the pattern compiles in Unicode mode).
    Ecma {
        /// The pattern to compile (the model's, or an exact translation of it).
        source: String,
        /// The flags.
        flags: &'static str,
    },
    /// Valid in another regex dialect but with no exact ECMA-262 equivalent: left unenforced.
    Unenforced {
        /// Why.
        reason: String,
    },
    /// No regex dialect can parse it.
    Invalid {
        /// What the ECMA-262 parser said.
        reason: String,
    },
}

fn compiles(source: &str, flags: &str) -> Result<(), String> {
    regress::Regex::with_flags(source, flags).map(|_| ()).map_err(|e| e.to_string())
}

/// Plans the enforcement of `pattern`.
///
/// Unicode mode (`u`) is preferred, since only it gives `\p{..}` classes their meaning; patterns
/// that use identity escapes such as `\:` (rejected by Unicode mode) fall back to the default
/// mode, where they mean what their authors intended. A leading `(?s)` (Java's dotAll) becomes
/// the `s` flag, which means exactly the same.
pub fn plan(pattern: &str) -> Plan {
    let (source, dot_all) = match pattern.strip_prefix("(?s)") {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    let candidates: &[&'static str] = if dot_all { &["us", "s"] } else { &["u", ""] };
    let mut first_error = None;
    for flags in candidates {
        match compiles(source, flags) {
            Ok(()) => return Plan::Ecma { source: source.to_owned(), flags },
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let reason = first_error.unwrap_or_default();
    if other_dialect_accepts(pattern) {
        Plan::Unenforced { reason: format!("it is not ECMA-262 ({reason})") }
    } else {
        Plan::Invalid { reason }
    }
}

/// Whether a common non-ECMA dialect (Java's, which Smithy's own validator uses) would accept the
/// pattern: inline flags and possessive quantifiers are the constructs seen in published models.
fn other_dialect_accepts(pattern: &str) -> bool {
    let stripped = pattern
        .replace("(?i)", "")
        .replace("(?s)", "")
        .replace("(?m)", "")
        .replace("(?x)", "")
        .replace("*+", "*")
        .replace("++", "+")
        .replace("?+", "?");
    stripped != pattern && compiles(&stripped, "").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_mode_first_then_default() {
        assert_eq!(plan(r"^\p{L}+$"), Plan::Ecma { source: r"^\p{L}+$".into(), flags: "u" });
        assert_eq!(plan(r"^[a-z\:]+$"), Plan::Ecma { source: r"^[a-z\:]+$".into(), flags: "" });
        assert_eq!(plan(r"(?s)^.*$"), Plan::Ecma { source: r"^.*$".into(), flags: "us" });
        assert_eq!(plan(r"^(?=a)a(?<!b)$"), Plan::Ecma { source: r"^(?=a)a(?<!b)$".into(), flags: "u" });
    }

    #[test]
    fn foreign_and_broken_patterns() {
        assert!(matches!(plan(r"^a++$"), Plan::Unenforced { .. }));
        assert!(matches!(plan(r"(?i)^abc$"), Plan::Unenforced { .. }));
        assert!(matches!(plan(r"^(abc$"), Plan::Invalid { .. }));
    }
}
