//! Deciding how each `@pattern` is enforced. Smithy patterns are ECMA-262 regular expressions;
//! the generated crate runs them with `regex-lite` where a translation means exactly the same,
//! else with `regress`, an ECMA-262 engine. A pattern that is not ECMA-262 is read as Java's
//! syntax (which Smithy's validator accepts, so published models carry such patterns) and
//! translated exactly by [`java`], or left unenforced with a warning when nothing exact exists.

pub mod java;

/// How one pattern will be enforced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Enforced with these ECMA-262 flags (`u` when the pattern compiles in Unicode mode).
    Ecma {
        /// The pattern as the model writes it (shown in constraint messages).
        model: String,
        /// The pattern to compile (the model's, or an exact translation of it).
        source: String,
        /// The flags.
        flags: &'static str,
    },
    /// Enforced with `regex-lite` (much cheaper to build than `regress`): `expr` is a translation
    /// of the model's pattern with exactly the same ECMA-262 meaning.
    Lite {
        /// The model's pattern.
        source: String,
        /// The `regex-lite` expression.
        expr: String,
        /// A Java pattern whose `$` (end of input, or before a final line terminator) ends each
        /// alternative it is in: `expr` has `$` for it, and the runtime also tries the value
        /// without its final line terminator (see [`java_end_lite`]).
        java_end: bool,
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
    regress::Regex::with_flags(source, flags)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Plans the enforcement of `pattern`.
///
/// Unicode mode (`u`) is preferred, since only it gives `\p{..}` classes their meaning; patterns
/// that use identity escapes such as `\:` (rejected by Unicode mode) fall back to the default
/// mode, where they mean what their authors intended. A leading `(?s)` (Java's dotAll) becomes
/// the `s` flag, which means exactly the same.
pub fn plan(pattern: &str) -> Plan {
    if let Some(expr) = to_lite(pattern) {
        if regex_lite::Regex::new(&expr).is_ok() && compiles(pattern, "u").is_ok() {
            return Plan::Lite {
                source: pattern.to_owned(),
                expr,
                java_end: false,
            };
        }
    }
    let (source, dot_all) = match pattern.strip_prefix("(?s)") {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    let (unicode, annex_b) = if dot_all { ("us", "s") } else { ("u", "") };
    let reason = match compiles(source, unicode) {
        Ok(()) => {
            return Plan::Ecma {
                model: pattern.to_owned(),
                source: source.to_owned(),
                flags: unicode,
            }
        }
        Err(e) => e,
    };
    // Not Unicode-mode ECMA-262: read it in the dialect its author validated it with, Java's
    // (Smithy's validator), rather than as ECMA-262's legacy (Annex B) syntax, where `\p{L}` is
    // the text `p{L}` and `\Z` is `Z`.
    match java::translate(pattern) {
        Ok(translated) if java_end_lite(&translated).is_some() => Plan::Lite {
            source: pattern.to_owned(),
            expr: java_end_lite(&translated).unwrap_or_default(),
            java_end: true,
        },
        Ok(translated) => match compiles(&translated, "u") {
            Ok(()) => Plan::Ecma {
                model: pattern.to_owned(),
                source: translated,
                flags: "u",
            },
            Err(e) => Plan::Unenforced {
                reason: format!(
                    "it is Java syntax, and its ECMA-262 translation `{translated}` does not compile ({e}); this is a bug in swage"
                ),
            },
        },
        Err(java::Error::NoExactForm(what)) => Plan::Unenforced {
            reason: format!(
                "it is Java syntax, and {what} has no exact ECMA-262 form (ECMA-262: {reason})"
            ),
        },
        // Neither Java nor Unicode-mode ECMA-262: ECMA-262's legacy syntax is the last reading.
        Err(java::Error::NotJava(java)) => match compiles(source, annex_b) {
            Ok(()) => Plan::Ecma {
                model: pattern.to_owned(),
                source: source.to_owned(),
                flags: annex_b,
            },
            Err(_) => Plan::Invalid {
                reason: format!("{reason}; as Java syntax: {java}"),
            },
        },
    }
}

/// Translates `pattern` into a `regex-lite` expression with exactly the same ECMA-262 meaning,
/// or `None` if it uses anything whose meaning differs or that `regex-lite` lacks.
///
/// The subset: literals, `^`, `$`, alternation, groups (`(...)`, `(?:...)`), every quantifier,
/// `\d`, `\D`, `\w`, `\W`, `\b`, `\B` (ASCII-based in both), escaped punctuation, `\n \t \r
/// \f \v`, and bracket classes of those. `.` becomes `[^\n\r\u{2028}\u{2029}]`, which is what it
/// means in ECMA-262. Left to `regress`: `\s` (Unicode spaces in ECMA-262, ASCII in `regex-lite`),
/// lookaround, backreferences, named groups, `\p{..}`, `\u`/`\x`/`\c` escapes, and class
/// syntax that `regex-lite` reads differently (`[]`, nested `[`, `&&`, `--`, `~~`).
pub fn to_lite(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let next = *chars.get(i + 1)?;
                match next {
                    // ECMA-262's `\s` is Unicode white space and line terminators; regex-lite's
                    // is ASCII. Spell ECMA-262's set out.
                    's' => {
                        out.push_str(if in_class { ECMA_SPACE } else { "[" });
                        if !in_class {
                            out.push_str(ECMA_SPACE);
                            out.push(']');
                        }
                        i += 2;
                        continue;
                    }
                    'S' if !in_class => {
                        out.push_str("[^");
                        out.push_str(ECMA_SPACE);
                        out.push(']');
                        i += 2;
                        continue;
                    }
                    // `\xHH`: exactly two hex digits in both.
                    'x' => {
                        let hex: String = chars.get(i + 2..i + 4)?.iter().collect();
                        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            return None;
                        }
                        out.push_str("\\x");
                        out.push_str(&hex);
                        i += 4;
                        continue;
                    }
                    // `\uHHHH` outside the surrogate range is one code point in both modes; in
                    // Unicode mode a high surrogate escape followed by a low one is the pair's
                    // code point (`\uD800\uDC00` is U+10000). A lone surrogate stays with
                    // `regress`.
                    'u' => {
                        let unit = |at: usize| -> Option<u32> {
                            if chars.get(at) != Some(&'\\') || chars.get(at + 1) != Some(&'u') {
                                return None;
                            }
                            let hex: String = chars.get(at + 2..at + 6)?.iter().collect();
                            hex.chars()
                                .all(|c| c.is_ascii_hexdigit())
                                .then(|| u32::from_str_radix(&hex, 16).ok())
                                .flatten()
                        };
                        let code = unit(i)?;
                        let (code, len) = match code {
                            0xD800..=0xDBFF => match unit(i + 6) {
                                Some(low @ 0xDC00..=0xDFFF) => {
                                    (0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), 12)
                                }
                                _ => return None,
                            },
                            0xDC00..=0xDFFF => return None,
                            code => (code, 6),
                        };
                        out.push_str(&format!("\\x{{{code:X}}}"));
                        i += len;
                        continue;
                    }
                    'd' | 'D' | 'w' | 'W' => {}
                    'b' | 'B' if !in_class => {}
                    'n' | 't' | 'r' | 'f' | 'v' => {}
                    c if c.is_ascii_punctuation() => {}
                    _ => return None,
                }
                out.push('\\');
                out.push(next);
                i += 2;
                continue;
            }
            '[' if in_class => return None,
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // `[]` and `[^]` mean "nothing" and "anything" in ECMA-262, a literal `]` elsewhere.
                if chars.get(i) == Some(&']') {
                    return None;
                }
                continue;
            }
            ']' if in_class => in_class = false,
            '&' | '-' | '~' if in_class && chars.get(i + 1) == Some(&c) => return None,
            '.' if !in_class => {
                out.push_str("[^\\n\\r\\u{2028}\\u{2029}]");
                i += 1;
                continue;
            }
            // Only non-capturing groups; lookaround and named groups stay with `regress`.
            '(' if !in_class
                && chars.get(i + 1) == Some(&'?')
                && chars.get(i + 2) != Some(&':') =>
            {
                return None
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    (!in_class).then_some(out)
}

/// A `regex-lite` form of a Java pattern's ECMA-262 translation whose only obstacle is Java's
/// `$` (translated as a lookahead: the end, or before a final line terminator). When each such
/// `$` ends its alternative at the top level (nothing but `)` follows it before the end of the
/// pattern or a top-level `|`), a match that uses it ends either at the end of the value or at
/// the end of the value without its final line terminator, so the runtime tries both with `$`
/// meaning the end. `None` otherwise.
pub fn java_end_lite(translated: &str) -> Option<String> {
    let end = java::JAVA_END;
    if !translated.contains(end) {
        return None;
    }
    let mut at = 0;
    while let Some(found) = translated[at..].find(end) {
        let after = at + found + end.len();
        let rest = &translated[after..];
        let closing = rest.len() - rest.trim_start_matches(')').len();
        let next = &rest[closing..];
        let top_level = group_depth(&translated[..after + closing]) == Some(0);
        if !(top_level && (next.is_empty() || next.starts_with('|'))) {
            return None;
        }
        at = after;
    }
    let expr = to_lite(&translated.replace(end, "$"))?;
    regex_lite::Regex::new(&expr).ok().map(|_| expr)
}

/// The group depth at the end of `text` (escapes and classes skipped), `None` if unbalanced.
fn group_depth(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let (mut escaped, mut in_class) = (false, false);
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    Some(depth)
}

/// ECMA-262's white space and line terminators (`\s`), as class items `regex-lite` reads.
const ECMA_SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_patterns_go_to_regex_lite_with_the_same_meaning() {
        let seed = r"(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)$)";
        assert_eq!(
            plan(seed),
            Plan::Lite {
                source: seed.into(),
                expr: seed.into(),
                java_end: false
            }
        );
        assert_eq!(
            to_lite(r"^a.b$").as_deref(),
            Some(r"^a[^\n\r\u{2028}\u{2029}]b$")
        );
        assert_eq!(
            to_lite(r"^[\w\-.]+\.(?:com|net)$").as_deref(),
            Some(r"^[\w\-.]+\.(?:com|net)$")
        );
        assert_eq!(
            to_lite(r"^[\x21-\x7E]+$").as_deref(),
            Some(r"^[\x21-\x7E]+$")
        );
        for regress_only in [
            r"\uD800",
            r"\uDC00",
            r"\uD800\u0041",
            r"[\uD800-\uDFFF]",
            r"[\S]",
            r"(?=a)",
            r"(a)\1",
            r"\p{L}",
            r"[]a]",
            r"[a[b]]",
            r"[a&&b]",
            r"[\b]",
            r"(?<n>a)",
        ] {
            assert_eq!(to_lite(regress_only), None, "{regress_only}");
        }
    }

    /// Java patterns whose `$` ends their alternatives run on `regex-lite`, tried with and
    /// without the final line terminator, and answer as Java's `Matcher.find` did (the JDK 17
    /// cases of `java`).
    #[test]
    fn java_end_patterns_on_regex_lite_answer_as_java() {
        let mut used = 0;
        for (pattern, accepted, rejected) in java::tests::CASES {
            let Plan::Lite {
                expr,
                java_end: true,
                ..
            } = plan(pattern)
            else {
                continue;
            };
            used += 1;
            let re = regex_lite::Regex::new(&expr).unwrap();
            let matches = |v: &str| {
                re.is_match(v)
                    || swage_runtime::constraint::without_final_terminator(v)
                        .is_some_and(|t| re.is_match(t))
            };
            for v in *accepted {
                assert!(matches(v), "{pattern} ({expr}) should accept {v:?}");
            }
            for v in *rejected {
                assert!(!matches(v), "{pattern} ({expr}) should reject {v:?}");
            }
        }
        assert!(used >= 3, "only {used} cases exercised the Java `$` plan");
        // A `$` followed by more of the pattern keeps the lookahead (and regress).
        assert_eq!(java_end_lite(&java::translate(r"^a$\n$").unwrap()), None);
        assert!(java_end_lite(&java::translate(r"^[\w-_]*$").unwrap()).is_some());
        assert!(java_end_lite(&java::translate(r"^a|b$").unwrap()).is_some());
        assert_eq!(java_end_lite(&java::translate(r"(a$|b)c").unwrap()), None);
    }

    /// Both engines agree on the patterns the translation accepts.
    #[test]
    fn translations_agree_with_regress() {
        let patterns = [
            r"^[a-z0-9-]+$",
            r"^a.c$",
            r"\bword\b",
            r"^\d{3}-\w+$",
            r"x|^y$",
            r"^[^:]*$",
            r"^\S+\s\S+$",
            r"^[\sa]+$",
            r"^[\x21-\x7E]+$",
            r"^\u00e9$",
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$",
            r"^\uD83D\uDE00+$",
        ];
        let inputs = [
            "abc",
            "a\nc",
            "a\rc",
            "a\u{2028}c",
            "abc-1",
            "word",
            "a word.",
            "123-ab_c",
            "y",
            "x:",
            "é",
            "",
            "٣٣٣-a",
            "a\u{a0}b",
            "a\u{3000}b",
            "a b",
            "a\u{85}b",
            "~!",
            "a\u{feff}a",
            "\u{1F600}",
            "\u{1F600}\u{1F600}",
            "a\u{10FFFF}\t",
            "\u{1}",
            "\u{FFFE}",
        ];
        for p in patterns {
            let expr = to_lite(p).unwrap();
            let lite = regex_lite::Regex::new(&expr).unwrap();
            let ecma = regress::Regex::with_flags(p, "u").unwrap();
            for input in inputs {
                assert_eq!(
                    lite.is_match(input),
                    ecma.find(input).is_some(),
                    "{p} on {input:?}"
                );
            }
        }
    }

    #[test]
    fn unicode_mode_first_then_java() {
        assert_eq!(
            plan(r"^\p{L}+$"),
            Plan::Ecma {
                model: r"^\p{L}+$".into(),
                source: r"^\p{L}+$".into(),
                flags: "u"
            }
        );
        // Not Unicode-mode ECMA-262 (`\:`): read as Java, where `\s` is ASCII and `$` allows a
        // final line terminator.
        assert_eq!(
            plan(r"^[a-z\:]+\s$"),
            Plan::Ecma {
                model: r"^[a-z\:]+\s$".into(),
                source: java::translate(r"^[a-z\:]+\s$").unwrap(),
                flags: "u"
            }
        );
        assert_eq!(
            plan(r"(?s)^.*$"),
            Plan::Ecma {
                model: r"(?s)^.*$".into(),
                source: r"^.*$".into(),
                flags: "us"
            }
        );
        assert_eq!(
            plan(r"^(?=a)a(?<!b)$"),
            Plan::Ecma {
                model: r"^(?=a)a(?<!b)$".into(),
                source: r"^(?=a)a(?<!b)$".into(),
                flags: "u"
            }
        );
    }

    #[test]
    fn foreign_and_broken_patterns() {
        // ECMA-262 patterns keep their ECMA-262 meaning; only what isn't ECMA-262 is read as Java.
        for java in [
            r"^a++$",
            r"(?i)^abc$",
            r"^[-_a-zA-Z0-9]*${2,64}$",
            r"^arn:aws:rbin:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$",
            r"^(?>a|ab)c$",
        ] {
            match plan(java) {
                Plan::Ecma {
                    model,
                    source,
                    flags,
                } => {
                    assert_eq!(model, java);
                    assert_eq!(source, java::translate(java).unwrap());
                    assert_eq!(flags, "u");
                }
                // Java's `$` at the end of an alternative: regex-lite, with `$` tried both ways.
                Plan::Lite {
                    source,
                    expr,
                    java_end: true,
                } => {
                    assert_eq!(source, java);
                    assert_eq!(Some(expr), java_end_lite(&java::translate(java).unwrap()));
                }
                other => panic!("{java}: {other:?}"),
            }
        }
        match plan(r"(?m)^a$|\bb(?i)") {
            Plan::Unenforced { reason } => assert!(reason.contains("no exact"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(plan(r"^(abc$"), Plan::Invalid { .. }));
        assert!(matches!(plan(r"a**"), Plan::Invalid { .. }));
    }
}
