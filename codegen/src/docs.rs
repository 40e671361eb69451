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
            rest = &after[end + 1..];
            let closing = tag.starts_with('/');
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            match (name.as_str(), closing) {
                ("p" | "div" | "br", _) => paragraph(&mut out),
                ("important" | "note", false) => {
                    paragraph(&mut out);
                    out.push_str(if name == "important" {
                        "**Important:** "
                    } else {
                        "**Note:** "
                    });
                }
                ("important" | "note", true) => paragraph(&mut out),
                ("code" | "tt", false) => {
                    out.push('`');
                    in_code = true;
                }
                ("code" | "tt", true) => {
                    out.push('`');
                    in_code = false;
                }
                ("b" | "strong", _) => out.push_str("**"),
                ("i" | "em", _) => out.push('*'),
                ("ul" | "ol", false) => {
                    list_depth += 1;
                    paragraph(&mut out);
                }
                ("ul" | "ol", true) => {
                    list_depth = list_depth.saturating_sub(1);
                    paragraph(&mut out);
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
                        out.push_str(&href.replace(' ', "%20").replace(')', "%29"));
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

fn paragraph(out: &mut String) {
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
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
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
}
