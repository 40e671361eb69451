//! Items written as text in prettyplease's layout. Getters, setters and struct declarations are
//! most of a large crate's lines and all follow a few simple layouts, so the emitters write them
//! out directly instead of as tokens to be parsed and formatted again. A [`Writer`] lays out
//! each line as prettyplease would and notes whether it fits prettyplease's width; an item with
//! a line that doesn't (where prettyplease would break it in ways not reproduced here) becomes
//! source text for prettyplease instead (see [`crate::render::Part`]). With
//! [`crate::render::verify_formatted_text`] on (the tests and the corpus run), every item written
//! as formatted is checked against prettyplease's layout of it.

use crate::render::Part;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// prettyplease's line width.
const WIDTH: usize = 89;

/// One item (or impl member) being written.
pub(crate) struct Writer {
    text: String,
    /// Every line is laid out as prettyplease would lay it out.
    fits: bool,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Writer {
            text: String::with_capacity(256),
            fits: true,
        }
    }

    /// The item: formatted, or source for prettyplease if a line did not fit.
    pub(crate) fn finish(self) -> Part {
        if self.fits {
            Part::Formatted(self.text)
        } else {
            Part::Source(self.text)
        }
    }

    /// One line of code at `indent` spaces, made of `pieces`.
    pub(crate) fn line(&mut self, indent: usize, pieces: &[&str]) {
        let start = self.text.len();
        self.text.extend(std::iter::repeat_n(' ', indent));
        for p in pieces {
            self.text.push_str(p);
        }
        if self.text.len() - start > WIDTH {
            self.fits = false;
        }
        self.text.push('\n');
    }

    /// `#[doc]` lines for Markdown `text`, as [`super::doc`] writes them.
    pub(crate) fn docs(&mut self, indent: usize, text: Option<&str>) {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return;
        };
        for line in text.lines() {
            self.doc_line(indent, line);
        }
    }

    /// One `///` line; `line` is the text after `/// ` (empty for a blank line).
    pub(crate) fn doc_line(&mut self, indent: usize, line: &str) {
        let line = &*crate::docs::clean_line(line);
        self.text.extend(std::iter::repeat_n(' ', indent));
        if line.contains(['\r', '\n']) {
            // Not a line comment prettyplease would write: the attribute, for it to format.
            let value = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            self.text.push_str(&format!(
                "#[doc = {}]\n",
                proc_macro2::Literal::string(&value)
            ));
            self.fits = false;
            return;
        }
        // prettyplease drops a doc line's trailing spaces.
        let line = line.trim_end_matches(' ');
        self.text.push_str("///");
        if !line.is_empty() {
            self.text.push(' ');
            self.text.push_str(line);
        }
        self.text.push('\n');
    }

    /// A `#[deprecated]` attribute, if any, as [`super::deprecated`] writes it.
    pub(crate) fn deprecated(&mut self, indent: usize, d: &Option<Option<String>>) {
        match d {
            None => {}
            Some(None) => self.line(indent, &["#[deprecated]"]),
            Some(Some(note)) => {
                let note = proc_macro2::Literal::string(note).to_string();
                self.line(indent, &["#[deprecated(note = ", &note, ")]"]);
            }
        }
    }

    /// A method at one indent: `head` (`pub fn name`), its parameters, its return type (empty
    /// for none) and its body's lines. The parameters go on one line if the signature fits,
    /// else one per line.
    pub(crate) fn method(&mut self, head: &str, params: &[&str], returns: &str, body: &[&str]) {
        let arrow = if returns.is_empty() { "" } else { " -> " };
        let joined = params.join(", ");
        let flat = 4 + head.len() + 1 + joined.len() + 1 + arrow.len() + returns.len() + 2;
        if flat <= WIDTH || params.is_empty() {
            self.line(4, &[head, "(", &joined, ")", arrow, returns, " {"]);
        } else {
            self.line(4, &[head, "("]);
            for p in params {
                self.line(8, &[p, ","]);
            }
            if 4 + 1 + arrow.len() + returns.len() + 2 <= WIDTH {
                self.line(4, &[")", arrow, returns, " {"]);
            } else if let Some((outer, args)) = split_generics(returns) {
                // Still too wide: the return type's generic arguments one per line.
                self.line(4, &[")", arrow, outer, "<"]);
                for a in args {
                    self.line(8, &[a, ","]);
                }
                self.line(4, &["> {"]);
            } else {
                self.line(4, &[")", arrow, returns, " {"]);
            }
        }
        for b in body {
            self.line(8, &[b]);
        }
        self.line(4, &["}"]);
    }

    /// [`Writer::method`] with a body written as [`Stmts`].
    pub(crate) fn method_with(&mut self, head: &str, params: &[&str], returns: &str, body: Stmts) {
        let lines = body.finish(self);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        self.method(head, params, returns, &lines);
    }

    /// `#[inline]` before a method: for accessors and setters, so that a crate compiles them
    /// only where they are called, and not each one of thousands up front.
    pub(crate) fn inline(&mut self) {
        self.line(4, &["#[inline]"]);
    }

    /// Marks the item as one to leave to prettyplease.
    pub(crate) fn unsure(&mut self) {
        self.fits = false;
    }

    /// The text of a simple expression written as tokens (paths, method calls, literals, `||`
    /// closures), on one line.
    pub(crate) fn expr(&mut self, tokens: &TokenStream) -> String {
        let mut out = String::new();
        if !expr_text(tokens, &mut out) {
            self.fits = false;
            return tokens.to_string();
        }
        out
    }

    /// The text of a type written as tokens (by [`super::rust_type`] and friends), on one line.
    pub(crate) fn ty(&mut self, tokens: &TokenStream) -> String {
        let mut out = String::new();
        if !type_text(tokens, &mut out) {
            // Not a type this writer knows how to lay out: prettyplease will.
            self.fits = false;
            return tokens.to_string();
        }
        out
    }
}

/// Statements of a function body being written, each line indented relative to the body (which
/// is at [`Stmts::BASE`]), remembering whether any line is wider than prettyplease's width.
#[derive(Default)]
pub(crate) struct Stmts {
    lines: Vec<String>,
    overflow: bool,
}

impl Stmts {
    /// Where a method's body starts: two indents in.
    const BASE: usize = 8;

    fn fits(indent: usize, len: usize) -> bool {
        Self::BASE + indent + len <= WIDTH
    }

    /// One line.
    pub(crate) fn line(&mut self, indent: usize, text: &str) {
        if !Self::fits(indent, text.len()) {
            self.overflow = true;
        }
        self.lines.push(format!("{:indent$}{text}", ""));
    }

    /// `{prefix}{receiver}.{method}({args}){suffix}`, laid out as prettyplease lays out a
    /// method call: on one line if it fits; else the call on a line of its own, one indent in;
    /// else its arguments one per line as well.
    pub(crate) fn call(
        &mut self,
        indent: usize,
        prefix: &str,
        receiver: &str,
        method: &str,
        args: &[&str],
        suffix: &str,
    ) {
        let joined = args.join(", ");
        let flat =
            prefix.len() + receiver.len() + 1 + method.len() + 1 + joined.len() + 1 + suffix.len();
        if Self::fits(indent, flat) {
            self.line(
                indent,
                &format!("{prefix}{receiver}.{method}({joined}){suffix}"),
            );
            return;
        }
        self.line(indent, &format!("{prefix}{receiver}"));
        if Self::fits(
            indent + 4,
            1 + method.len() + 1 + joined.len() + 1 + suffix.len(),
        ) {
            self.line(indent + 4, &format!(".{method}({joined}){suffix}"));
            return;
        }
        self.line(indent + 4, &format!(".{method}("));
        for a in args {
            self.line(indent + 8, &format!("{a},"));
        }
        self.line(indent + 4, &format!("){suffix}"));
    }

    /// `other`'s lines after these.
    pub(crate) fn append(&mut self, other: Stmts) {
        self.overflow |= other.overflow;
        self.lines.extend(other.lines);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines, for [`Writer::method`]; `w` is left to prettyplease if any did not fit.
    pub(crate) fn finish(self, w: &mut Writer) -> Vec<String> {
        if self.overflow {
            w.unsure();
        }
        self.lines
    }
}

/// `tokens` (a type: paths, generics, references, slices) as prettyplease writes it, into
/// `out`; false for anything else.
fn type_text(tokens: &TokenStream, out: &mut String) -> bool {
    let mut word_before = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Ident(i) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&i.to_string());
                word_before = true;
            }
            TokenTree::Punct(p) => {
                match (p.as_char(), p.spacing()) {
                    (':' | '<' | '>' | '&', _) => out.push(p.as_char()),
                    (',', Spacing::Alone) => out.push_str(", "),
                    _ => return false,
                }
                word_before = false;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                out.push('[');
                if !type_text(&g.stream(), out) {
                    return false;
                }
                out.push(']');
                word_before = false;
            }
            _ => return false,
        }
    }
    true
}

/// `tokens` (a simple expression) as prettyplease writes it, into `out`; false for anything
/// this does not know.
fn expr_text(tokens: &TokenStream, out: &mut String) -> bool {
    let mut word_before = false;
    // Depth in a turbofish's generic arguments (`integer::<i32>`).
    let mut generics = 0usize;
    let mut tts = tokens.clone().into_iter().peekable();
    while let Some(tt) = tts.next() {
        match tt {
            TokenTree::Ident(i) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&i.to_string());
                word_before = true;
            }
            TokenTree::Literal(l) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&l.to_string());
                word_before = true;
            }
            TokenTree::Punct(p) => {
                match (p.as_char(), p.spacing()) {
                    ('.' | ':' | '&' | '!' | '*' | '?', _) => out.push(p.as_char()),
                    ('<', _) if out.ends_with("::") => {
                        generics += 1;
                        out.push('<');
                    }
                    ('>', _) if generics > 0 => {
                        generics -= 1;
                        out.push('>');
                    }
                    (',', Spacing::Alone) => out.push_str(", "),
                    // `|v|`: a closure of one parameter, then its body.
                    ('|', Spacing::Alone) if out.is_empty() || out.ends_with([' ', '(']) => {
                        let (Some(TokenTree::Ident(param)), Some(TokenTree::Punct(close))) =
                            (tts.next(), tts.next())
                        else {
                            return false;
                        };
                        if close.as_char() != '|' {
                            return false;
                        }
                        out.push('|');
                        out.push_str(&param.to_string());
                        out.push_str("| ");
                    }
                    // `||`: a closure without parameters, then its body.
                    ('|', Spacing::Joint) if matches!(tts.peek(), Some(TokenTree::Punct(q)) if q.as_char() == '|') =>
                    {
                        tts.next();
                        out.push_str("|| ");
                    }
                    _ => return false,
                }
                word_before = false;
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Bracket => ('[', ']'),
                    _ => return false,
                };
                out.push(open);
                if !expr_text(&g.stream(), out) {
                    return false;
                }
                out.push(close);
                word_before = false;
            }
        }
    }
    true
}

/// `Outer<a, b>` as `Outer` and its top-level arguments.
fn split_generics(ty: &str) -> Option<(&str, Vec<&str>)> {
    let open = ty.find('<')?;
    let inner = ty[open + 1..].strip_suffix('>')?;
    let mut args = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].trim());
    Some((&ty[..open], args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn types_are_written_as_prettyplease_writes_them() {
        let mut w = Writer::new();
        let cases = [
            (
                quote! { Option<Vec<crate::types::Tag>> },
                "Option<Vec<crate::types::Tag>>",
            ),
            (
                quote! { &::std::collections::HashMap<String, Option<i32>> },
                "&::std::collections::HashMap<String, Option<i32>>",
            ),
            (quote! { Option<&[u8]> }, "Option<&[u8]>"),
            (quote! { &self::Option }, "&self::Option"),
            (quote! { r#type::Value }, "r#type::Value"),
        ];
        for (tokens, text) in cases {
            assert_eq!(w.ty(&tokens), text);
        }
        assert!(w.fits);
        w.ty(&quote! { fn(u8) -> u8 });
        assert!(!w.fits, "a type it can't lay out is left to prettyplease");
    }

    /// prettyplease's layout of `text` (a method) in an impl block.
    fn prettyplease_layout(text: &str) -> String {
        let file: syn::File = syn::parse_str(&format!("impl A {{\n{text}}}\n")).unwrap();
        prettyplease::unparse(&file)
    }

    #[test]
    fn every_layout_is_prettyplease_s() {
        // Too wide on one line, fits as a call on its own line; too wide there as well.
        let long_arg = format!("&crate::patterns::{}", "P".repeat(30));
        let very_long = format!("&crate::patterns::{}", "Q".repeat(42));
        let mut body = Stmts::default();
        body.call(
            0,
            "",
            "violations",
            "pattern",
            &["&path", "value", "&crate::patterns::P"],
            ";",
        );
        body.call(
            0,
            "",
            "violations",
            "pattern",
            &["&path", "value", &long_arg],
            ";",
        );
        body.call(
            0,
            "let value = ",
            "violations",
            "require",
            &[
                "&root.field(\"AVeryLongMemberName\")",
                "self.a_very_long_member_name",
            ],
            ";",
        );
        body.line(0, "{");
        body.call(
            4,
            "",
            "violations",
            "pattern",
            &["&path", "value", &very_long],
            ";",
        );
        body.line(0, "}");
        body.line(0, "let Some(a) = a else {");
        body.line(4, "return Err(violations.into_error());");
        body.line(0, "};");
        let mut w = Writer::new();
        let lines = body.finish(&mut w);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        w.doc_line(4, "Docs  ");
        w.doc_line(4, "");
        w.method(
            "pub fn check",
            &[
                "&self",
                "path: &swage_runtime::Path<'_>",
                "violations: &mut swage_runtime::Violations",
            ],
            "",
            &lines,
        );
        w.method(
            "pub fn f",
            &["self"],
            &format!(
                "Result<{}, swage_runtime::ConstraintViolations>",
                "T".repeat(60)
            ),
            &["todo!()"],
        );
        w.method(
            "pub fn g",
            &["&self"],
            "Option<&str>",
            &["self.g.as_deref()"],
        );
        let Part::Formatted(text) = w.finish() else {
            panic!("every line fits")
        };
        let expected = prettyplease_layout(&text);
        assert_eq!(format!("impl A {{\n{text}}}\n"), expected);
        assert!(
            text.contains(
                "        violations\n            .pattern(&path, value, &crate::patterns::PPPP"
            ),
            "{text}"
        );
        assert!(
            text.contains("            .pattern(\n                    &path,"),
            "{text}"
        );
        assert!(text.contains("    ) -> Result<\n        TTTT"), "{text}");
    }

    #[test]
    fn struct_literals_follow_the_34_column_rule() {
        let mut w = Writer::new();
        let short = struct_literal_for_test(&mut w, &["a", "b: self.b"]);
        let long = struct_literal_for_test(&mut w, &["alpha: self.alpha", "beta: self.beta"]);
        let mut body: Vec<String> = short;
        if let Some(last) = body.last_mut() {
            last.push(';');
        }
        body.extend(long);
        let lines: Vec<&str> = body.iter().map(String::as_str).collect();
        w.method("fn f", &["self"], "X", &lines);
        let Part::Formatted(text) = w.finish() else {
            panic!("fits")
        };
        assert_eq!(format!("impl A {{\n{text}}}\n"), prettyplease_layout(&text));
    }

    fn struct_literal_for_test(w: &mut Writer, fields: &[&str]) -> Vec<String> {
        let fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        super::super::types::struct_literal("", "X", &fields, "", w)
    }

    #[test]
    fn a_line_too_wide_makes_source_for_prettyplease() {
        let mut w = Writer::new();
        w.method("pub fn short", &["&self"], "u8", &["self.short"]);
        assert!(
            matches!(w.finish(), Part::Formatted(t) if t == "    pub fn short(&self) -> u8 {\n        self.short\n    }\n")
        );
        let long = "x".repeat(90);
        let mut w = Writer::new();
        w.method("pub fn f", &[], "", &[&long]);
        assert!(matches!(w.finish(), Part::Source(_)));
    }
}
