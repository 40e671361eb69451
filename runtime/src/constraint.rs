//! Constraint checks (`@required`, `@length`, `@pattern`, `@range`, enums, `@uniqueItems`) that
//! generated builders run before anything is sent. Every violation is collected; none stops the
//! check, so a caller sees all of them at once.

#![cfg_attr(not(any(feature = "regress", feature = "regex-lite")), allow(unused))]

use std::fmt;
use std::sync::OnceLock;

/// Which constraint a value failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A `@required` member was not set.
    Required,
    /// A `@length` constraint (on a string, blob, list or map).
    Length,
    /// A `@pattern` constraint.
    Pattern,
    /// A `@range` constraint.
    Range,
    /// A value outside the enum's set of values.
    Enum,
    /// A `@uniqueItems` list held a duplicate.
    UniqueItems,
}

/// One failed constraint: where it failed, which constraint, and Smithy's wording of it.
///
/// The message never contains the value itself, so a `@sensitive` value cannot leak through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolation {
    path: String,
    kind: ViolationKind,
    message: String,
}

impl ConstraintViolation {
    /// The JSON-pointer-like path of the value, such as `/Identifier` or `/Tags/3/Key`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which constraint failed.
    pub fn kind(&self) -> ViolationKind {
        self.kind
    }

    /// The message, in Smithy's wording:
    /// `Value at '/Identifier' failed to satisfy constraint: Member must have length between 1 and 128, inclusive`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every constraint an input failed, returned by a builder's `build()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolations {
    violations: Vec<ConstraintViolation>,
}

impl ConstraintViolations {
    /// The violations, in the order the members were checked (the model's member order).
    pub fn violations(&self) -> &[ConstraintViolation] {
        &self.violations
    }

    /// How many constraints failed (always at least one).
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Always `false`: an empty set of violations is never returned as an error.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// Iterates over the violations.
    pub fn iter(&self) -> std::slice::Iter<'_, ConstraintViolation> {
        self.violations.iter()
    }
}

impl<'a> IntoIterator for &'a ConstraintViolations {
    type Item = &'a ConstraintViolation;
    type IntoIter = std::slice::Iter<'a, ConstraintViolation>;
    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

impl fmt::Display for ConstraintViolations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "{n} validation error{} detected",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(&v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConstraintViolations {}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

/// Where a value sits inside the input being checked.
///
/// Paths are linked through the stack, so descending into a member costs nothing until a
/// violation is recorded and the path is rendered.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl<'a> Path<'a> {
    /// The input itself.
    pub const fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Root,
        }
    }

    /// The member `name` (the member's name in the model) of the structure at this path.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The element at `index` of the list at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The entry `key` of the map at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    fn write_to(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_to(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Field(name) | Segment::Key(name) => {
                out.push('/');
                out.push_str(name);
            }
            Segment::Index(i) => {
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }

    /// The path as text, `/` for the root.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

impl fmt::Debug for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// A `@pattern`, compiled on first use with ECMA-262 semantics and kept for the life of the
/// program.
///
/// Patterns are searched, not fully matched, as Smithy specifies: `^` and `$` anchor only where
/// the pattern says so. Two engines serve: `regress`, a full ECMA-262 engine, and `regex-lite`,
/// which builds much faster and is used for the patterns the generator could translate into it
/// with exactly the same meaning. The generator compiles every pattern when it generates the
/// crate, so one that fails here is a generator bug (or a missing engine feature); it is still
/// reported as a violation, never a panic.
pub struct Pattern {
    model: &'static str,
    expr: &'static str,
    flags: &'static str,
    lite: bool,
    /// Java's `$`: the value is also tried without its final line terminator.
    java_end: bool,
    compiled: OnceLock<Option<Compiled>>,
}

enum Compiled {
    #[cfg(feature = "regress")]
    Regress(regress::Regex),
    #[cfg(feature = "regex-lite")]
    Lite(regex_lite::Regex),
}

impl Pattern {
    /// A pattern run by `regress` with its ECMA-262 `source` and `flags` (`"u"` for Unicode mode).
    pub const fn new(source: &'static str, flags: &'static str) -> Self {
        Pattern {
            model: source,
            expr: source,
            flags,
            lite: false,
            java_end: false,
            compiled: OnceLock::new(),
        }
    }

    /// A pattern run by `regress` as `expr`, an ECMA-262 expression with exactly the meaning of
    /// the model's `source` (a Java-only pattern translated, or one whose inline flags became
    /// `flags`). Messages show `source`.
    pub const fn translated(source: &'static str, expr: &'static str, flags: &'static str) -> Self {
        Pattern {
            model: source,
            expr,
            flags,
            lite: false,
            java_end: false,
            compiled: OnceLock::new(),
        }
    }

    /// A pattern run by `regex-lite`: `expr` is the translation of the model's `source` that
    /// means exactly the same.
    pub const fn lite(source: &'static str, expr: &'static str) -> Self {
        Pattern {
            model: source,
            expr,
            flags: "",
            lite: true,
            java_end: false,
            compiled: OnceLock::new(),
        }
    }

    /// A Java pattern run by `regex-lite`: `expr` is its translation with `$` (the end) where
    /// Java's `$` ends an alternative; Java's `$` also matches before a final line terminator,
    /// so a value is tried as it is and without that terminator.
    pub const fn lite_java_end(source: &'static str, expr: &'static str) -> Self {
        Pattern {
            model: source,
            expr,
            flags: "",
            lite: true,
            java_end: true,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the model.
    pub fn source(&self) -> &'static str {
        self.model
    }

    fn compile(&self) -> Option<Compiled> {
        if self.lite {
            #[cfg(feature = "regex-lite")]
            return regex_lite::Regex::new(self.expr).ok().map(Compiled::Lite);
        } else {
            #[cfg(feature = "regress")]
            return regress::Regex::with_flags(self.expr, self.flags)
                .ok()
                .map(Compiled::Regress);
        }
        #[allow(unreachable_code)]
        None
    }

    /// Whether `value` contains a match, or `None` if the pattern does not compile.
    pub fn is_match(&self, value: &str) -> Option<bool> {
        let compiled = self.compiled.get_or_init(|| self.compile());
        match compiled.as_ref()? {
            #[cfg(feature = "regress")]
            Compiled::Regress(r) => Some(r.find(value).is_some()),
            #[cfg(feature = "regex-lite")]
            Compiled::Lite(r) => Some(
                r.is_match(value)
                    || (self.java_end
                        && without_final_terminator(value).is_some_and(|v| r.is_match(v))),
            ),
            #[cfg(not(any(feature = "regress", feature = "regex-lite")))]
            _ => None,
        }
    }
}

/// `value` without its final line terminator as Java's `$` sees one (`\r\n`, `\n`, `\r`,
/// `\u{85}`, `\u{2028}`, `\u{2029}`), or `None` if it doesn't end with one.
pub fn without_final_terminator(value: &str) -> Option<&str> {
    if let Some(v) = value.strip_suffix("\r\n") {
        return Some(v);
    }
    value.strip_suffix(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.model, self.flags)
    }
}

/// Collects violations while generated code walks an input.
#[derive(Debug, Default)]
pub struct Violations {
    list: Vec<ConstraintViolation>,
}

impl Violations {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, path: &Path<'_>, kind: ViolationKind, rule: fmt::Arguments<'_>) {
        let path = path.render();
        let message = format!("Value at '{path}' failed to satisfy constraint: Member {rule}");
        self.list.push(ConstraintViolation {
            path,
            kind,
            message,
        });
    }

    /// Records that the `@required` member at `path` is missing.
    pub fn missing(&mut self, path: &Path<'_>) {
        self.push(
            path,
            ViolationKind::Required,
            format_args!("must not be null"),
        );
    }

    /// Checks a `@length` constraint; `len` is counted by the caller (Unicode scalar values for
    /// strings, bytes for blobs, entries for lists and maps).
    pub fn length(&mut self, path: &Path<'_>, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            match (min, max) {
                (Some(min), Some(max)) => self.push(
                    path,
                    ViolationKind::Length,
                    format_args!("must have length between {min} and {max}, inclusive"),
                ),
                (Some(min), None) => self.push(
                    path,
                    ViolationKind::Length,
                    format_args!("must have length greater than or equal to {min}"),
                ),
                (None, Some(max)) => self.push(
                    path,
                    ViolationKind::Length,
                    format_args!("must have length less than or equal to {max}"),
                ),
                (None, None) => {}
            }
        }
    }

    /// Checks a `@length` constraint on a string, counting Unicode scalar values (`"👍"` has
    /// length 1), as Smithy specifies.
    pub fn str_length(&mut self, path: &Path<'_>, value: &str, min: Option<u64>, max: Option<u64>) {
        self.length(path, value.chars().count(), min, max);
    }

    /// Checks a `@pattern` constraint: the value must contain a match.
    pub fn pattern(&mut self, path: &Path<'_>, value: &str, pattern: &Pattern) {
        if pattern.is_match(value) != Some(true) {
            let source = pattern.source();
            self.push(
                path,
                ViolationKind::Pattern,
                format_args!("must satisfy regular expression pattern: {source}"),
            );
        }
    }

    /// Checks a `@range` constraint. Bounds are given both as numbers, for the comparison, and as
    /// the model wrote them, for the message.
    pub fn range<T: PartialOrd>(
        &mut self,
        path: &Path<'_>,
        value: T,
        min: Option<(T, &str)>,
        max: Option<(T, &str)>,
    ) {
        // `!(a >= b)` rather than `a < b`, so that NaN fails every bound.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        let below = min.as_ref().is_some_and(|(m, _)| !(value >= *m));
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        let above = max.as_ref().is_some_and(|(m, _)| !(value <= *m));
        if below || above {
            match (min, max) {
                (Some((_, min)), Some((_, max))) => self.push(
                    path,
                    ViolationKind::Range,
                    format_args!("must be between {min} and {max}, inclusive"),
                ),
                (Some((_, min)), None) => self.push(
                    path,
                    ViolationKind::Range,
                    format_args!("must be greater than or equal to {min}"),
                ),
                (None, Some((_, max))) => self.push(
                    path,
                    ViolationKind::Range,
                    format_args!("must be less than or equal to {max}"),
                ),
                (None, None) => {}
            }
        }
    }

    /// Checks that `value` is one of `allowed` (an enum's values).
    pub fn one_of(&mut self, path: &Path<'_>, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            let set = allowed.join(", ");
            self.push(
                path,
                ViolationKind::Enum,
                format_args!("must satisfy enum value set: [{set}]"),
            );
        }
    }

    /// Checks that `value` is one of `allowed` (an intEnum's values).
    pub fn one_of_int(&mut self, path: &Path<'_>, value: i32, allowed: &[i32]) {
        if !allowed.contains(&value) {
            let set = allowed
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            self.push(
                path,
                ViolationKind::Enum,
                format_args!("must satisfy enum value set: [{set}]"),
            );
        }
    }

    /// Checks a `@uniqueItems` constraint.
    pub fn unique<T: PartialEq>(&mut self, path: &Path<'_>, items: &[T]) {
        let duplicate = items
            .iter()
            .enumerate()
            .any(|(i, a)| items[..i].contains(a));
        if duplicate {
            self.push(
                path,
                ViolationKind::UniqueItems,
                format_args!("must have unique values"),
            );
        }
    }

    /// Records a missing `@required` member at `path` if `value` is `None`, and passes it on.
    pub fn require<T>(&mut self, path: &Path<'_>, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.missing(path);
        }
        value
    }

    /// The violations recorded so far, as an error (call it only after recording one).
    pub fn into_error(self) -> ConstraintViolations {
        ConstraintViolations {
            violations: self.list,
        }
    }

    /// `Ok` if nothing was recorded, otherwise every violation.
    pub fn finish(self) -> Result<(), ConstraintViolations> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ConstraintViolations {
                violations: self.list,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_json_pointers() {
        let root = Path::root();
        let tags = root.field("Tags");
        let third = tags.index(3);
        assert_eq!(third.field("Key").render(), "/Tags/3/Key");
        assert_eq!(root.render(), "/");
        assert_eq!(root.field("M").key("k").render(), "/M/k");
    }

    #[test]
    fn length_messages_follow_smithy() {
        let mut v = Violations::new();
        let root = Path::root();
        v.str_length(&root.field("A"), "", Some(1), Some(128));
        v.str_length(&root.field("B"), "👍", Some(1), Some(1));
        v.str_length(&root.field("C"), "", Some(1), None);
        v.str_length(&root.field("D"), "ab", None, Some(1));
        let err = v.finish().unwrap_err();
        let messages: Vec<_> = err.iter().map(|v| v.message().to_owned()).collect();
        assert_eq!(
            messages,
            [
                "Value at '/A' failed to satisfy constraint: Member must have length between 1 and 128, inclusive",
                "Value at '/C' failed to satisfy constraint: Member must have length greater than or equal to 1",
                "Value at '/D' failed to satisfy constraint: Member must have length less than or equal to 1",
            ]
        );
        assert!(err
            .to_string()
            .starts_with("3 validation errors detected: "));
    }

    #[test]
    fn range_rejects_nan_and_out_of_bounds() {
        let mut v = Violations::new();
        let root = Path::root();
        v.range(&root.field("F"), f64::NAN, Some((0.0, "0")), None);
        v.range(&root.field("I"), 11_i64, Some((1, "1")), Some((10, "10")));
        v.range(&root.field("J"), 10_i64, Some((1, "1")), Some((10, "10")));
        let err = v.finish().unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            err.violations()[1].message(),
            "Value at '/I' failed to satisfy constraint: Member must be between 1 and 10, inclusive"
        );
    }

    #[test]
    fn patterns_search_with_ecma_semantics() {
        static DIGITS: Pattern = Pattern::new(r"\d+", "");
        static ANCHORED: Pattern = Pattern::new("^[a-z]+$", "u");
        assert_eq!(DIGITS.is_match("abc1"), Some(true));
        // ECMA-262 `\d` is ASCII only.
        assert_eq!(DIGITS.is_match("٣"), Some(false));
        assert_eq!(ANCHORED.is_match("abc"), Some(true));
        assert_eq!(ANCHORED.is_match("abc\n"), Some(false));
        static LITE: Pattern = Pattern::lite(r"^\d+$", r"^\d+$");
        assert_eq!(LITE.is_match("12"), Some(true));
        assert_eq!(LITE.is_match("٣"), Some(false));
        assert_eq!(LITE.source(), r"^\d+$");
        static BROKEN: Pattern = Pattern::new("(", "");
        assert_eq!(BROKEN.is_match("x"), None);
        let mut v = Violations::new();
        v.pattern(&Path::root().field("P"), "x", &BROKEN);
        assert_eq!(
            v.finish().unwrap_err().violations()[0].kind(),
            ViolationKind::Pattern
        );
    }

    #[test]
    fn enum_and_unique_items() {
        let mut v = Violations::new();
        let root = Path::root();
        v.one_of(&root.field("E"), "c", &["a", "b"]);
        v.unique(&root.field("L"), &["x", "y", "x"]);
        v.unique(&root.field("M"), &["x", "y"]);
        let err = v.finish().unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err.violations()[0]
            .message()
            .ends_with("Member must satisfy enum value set: [a, b]"));
        assert_eq!(err.violations()[1].kind(), ViolationKind::UniqueItems);
    }
}
