//! Smithy `@documentation` is HTML; rustdoc wants Markdown. This converts the subset AWS models
//! use (paragraphs, code, links, lists, emphasis, notes) and escapes what rustdoc would misread.

/// Converts model HTML to rustdoc Markdown.
pub fn to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut link: Option<String> = None;
    let mut list_depth = 0usize;
    let mut in_code = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let Some(end) = after.find('>') else {
                push_text(&mut out, rest, in_code);
                break;
            };
            let tag = &after[..end];
            let closing = tag.starts_with('/');
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                // AWS writes its HTML in lower case; `<Code>` or `<LocationConstraint>` in a
                // description is an XML element named in the text, not markup.
                push_text(&mut out, &rest[..end + 2], in_code);
                rest = &after[end + 1..];
                continue;
            }
            rest = &after[end + 1..];
            match (name, closing) {
                ("p" | "div" | "br", _) => paragraph(&mut out, list_depth),
                ("important" | "note", false) => {
                    paragraph(&mut out, list_depth);
                    out.push_str(if name == "important" {
                        "**Important:** "
                    } else {
                        "**Note:** "
                    });
                }
                ("important" | "note", true) => paragraph(&mut out, list_depth),
                ("code" | "tt", false) if !in_code => {
                    out.push('`');
                    in_code = true;
                }
                ("code" | "tt", true) if in_code => {
                    out.push('`');
                    in_code = false;
                }
                ("b" | "strong", _) => out.push_str("**"),
                ("i" | "em", _) => out.push('*'),
                ("ul" | "ol", false) => {
                    paragraph(&mut out, list_depth);
                    list_depth += 1;
                }
                ("ul" | "ol", true) => {
                    list_depth = list_depth.saturating_sub(1);
                    paragraph(&mut out, list_depth);
                }
                ("li", false) => {
                    trim_trailing_spaces(&mut out);
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                    out.push_str("- ");
                }
                ("a", false) => {
                    link = attribute(tag, "href");
                    if link.is_some() {
                        out.push('[');
                    }
                }
                ("a", true) => {
                    if let Some(href) = link.take() {
                        trim_trailing_spaces(&mut out);
                        out.push_str("](");
                        for c in href.chars() {
                            match c {
                                ')' => out.push_str("%29"),
                                c if c.is_whitespace() || c.is_control() => {
                                    let mut buf = [0; 4];
                                    for b in c.encode_utf8(&mut buf).bytes() {
                                        out.push_str(&format!("%{b:02X}"));
                                    }
                                }
                                c => out.push(c),
                            }
                        }
                        out.push(')');
                    }
                }
                _ => {}
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            push_text(&mut out, &rest[..end], in_code);
            rest = &rest[end..];
        }
    }
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        Some(decode(&inner[..inner.find(quote)?]))
    } else {
        Some(decode(value.split_whitespace().next()?))
    }
}

/// Ends the paragraph. Inside a list (`depth` deep) the next one is indented to the item's
/// text, so that it stays in the item (and a nested list is not read as a code block).
fn paragraph(out: &mut String, depth: usize) {
    // A paragraph that opens a list item or a note continues its line.
    let line = out.rsplit('\n').next().unwrap_or("");
    if line.trim_start() == "-"
        || line.trim_start().starts_with("- ") && line.trim_start().len() == 2
        || line.ends_with(":** ")
    {
        return;
    }
    trim_trailing_spaces(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    if !out.is_empty() {
        out.push_str(&"  ".repeat(depth));
    }
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Decodes HTML character references: the named ones models use, and every numeric one
/// (`&#9;`, `&#x2028;`). Anything else is kept as written.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "amp" => Some('&'),
                "nbsp" => Some(' '),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A model value (an enum value, a pattern) as a Markdown code span that shows it exactly:
/// control and line-separator characters as Rust escapes (`\t`, `\n`, `\u{2028}`), since a
/// doc comment can hold neither, and a fence longer than any run of backticks inside.
pub fn code_span(value: &str) -> String {
    let mut shown = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\t' => shown.push_str("\\t"),
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                shown.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => shown.push(c),
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick, or is only spaces, needs padding.
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// One line of a doc comment made safe for rustdoc and clippy: no tab (four spaces), no
/// carriage return, no other control or line-separator character (a space). Every doc line
/// the generator writes goes through this.
pub fn clean_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\r' => {}
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => out.push(' '),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn push_text(out: &mut String, text: &str, in_code: bool) {
    let decoded;
    let text = if text.contains('&') {
        decoded = decode(text);
        decoded.as_str()
    } else {
        text
    };
    let leading = text.starts_with(char::is_whitespace);
    if leading && !out.is_empty() && !out.ends_with([' ', '\n', '[']) {
        out.push(' ');
    }
    // Runs of whitespace become one space.
    let mut any = false;
    for word in text.split_whitespace() {
        if any {
            out.push(' ');
        }
        any = true;
        push_word(out, word, in_code);
    }
    if any && text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

fn push_word(out: &mut String, word: &str, in_code: bool) {
    // A bare URL becomes an autolink (rustdoc warns on bare URLs); trailing punctuation stays out.
    if !in_code
        && !out.ends_with('[')
        && (word.starts_with("http://") || word.starts_with("https://"))
    {
        let url = word.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        push_chars(out, &word[url.len()..], in_code);
        return;
    }
    push_chars(out, word, in_code);
}

fn push_chars(out: &mut String, text: &str, in_code: bool) {
    for c in text.chars() {
        match c {
            // Not whitespace (split_whitespace kept them), and nothing rustdoc can show.
            c if c.is_control() => {}
            '`' if in_code => out.push('\''),
            '[' | ']' | '*' | '_' | '<' | '>' | '\\' | '#' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_and_links() {
        assert_eq!(
            to_markdown("<p>Use <code>Foo</code> with <a href=\"https://x.example/a b\">the docs</a>.</p> <p>Second [x].</p>"),
            "Use `Foo` with [the docs](https://x.example/a%20b).\n\nSecond \\[x\\]."
        );
    }

    #[test]
    fn lists_and_notes() {
        assert_eq!(
            to_markdown("<p>Pick:</p><ul><li><p>one</p></li><li>two</li></ul><important><p>Careful.</p></important>"),
            "Pick:\n\n- one\n\n- two\n\n**Important:** Careful."
        );
        assert_eq!(to_markdown("a &lt;b&gt; &amp; c_d"), "a \\<b\\> & c\\_d");
        assert_eq!(
            to_markdown("see https://x.example/a_b."),
            "see <https://x.example/a_b>."
        );
    }

    #[test]
    fn paragraphs_stay_in_their_list_item() {
        // S3's CreateMultipartUpload: a list inside a definition, items with paragraphs, and a
        // nested list after a paragraph (at four spaces it must not become a code block).
        assert_eq!(
            to_markdown("<ul><li><p>one</p><p>more</p><ul><li><p>deep</p></li></ul></li><li>two</li></ul><p>after</p>"),
            "- one\n\n  more\n\n  - deep\n\n- two\n\nafter"
        );
    }

    #[test]
    fn capitalised_tags_are_text() {
        // S3's ErrorCode: "Returned in the <Code> tag", with real <code> later on.
        assert_eq!(
            to_markdown(
                "<p>In the <Code> tag of <code>GetObject</code>: <code>\"^[A-Z]\"</code>.</p>"
            ),
            "In the \\<Code\\> tag of `GetObject`: `\"^[A-Z]\"`."
        );
        assert_eq!(to_markdown("<code>a<code>b</code>c</code>"), "`ab`c");
    }

    #[test]
    fn entities_values_and_lines_come_out_clean() {
        assert_eq!(
            decode("a&#9;b&#x2028;c&amp;&lt;&bogus;&#xZZ;"),
            "a\tb\u{2028}c&<&bogus;&#xZZ;"
        );
        assert_eq!(to_markdown("<p>a&#9;b\t\tc\u{2028}d\u{1}e</p>"), "a b c de");
        assert_eq!(
            to_markdown("<a href=\"https://x.example/a\tb c\">l</a>"),
            "[l](https://x.example/a%09b%20c)"
        );
        assert_eq!(code_span("\t"), "`\\t`");
        assert_eq!(code_span("\r\n"), "`\\r\\n`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`"), "`` ` ``");
        assert_eq!(code_span("\u{2028}\u{1}"), "`\\u{2028}\\u{1}`");
        assert_eq!(clean_line("a\tb\rc\u{85}d"), "a    bc d");
        assert_eq!(clean_line("plain"), "plain");
    }
}
