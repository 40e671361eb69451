//! The XML codec of the XML protocols (restXml, awsQuery, ec2Query).
//!
//! [`mod@read`] is a pull reader over the `xmlparser` tokenizer: generated code opens the root,
//! walks child elements with [`read::Reader::next_child`], and reads text with
//! [`read::Reader::text`]. [`mod@write`] writes elements, attributes and text with escaping.
//!
//! Hostile input is an error, never a panic or unbounded work:
//! - a document type declaration is refused, so entity definitions (and their expansion
//!   tricks) never come into play; only XML's five predefined entities and character
//!   references are decoded, and an unknown entity is an error;
//! - nesting deeper than [`MAX_DEPTH`] elements is an error;
//! - malformed markup, mismatched or missing end tags and bytes that are not UTF-8 are errors.

pub mod read;
pub mod write;

pub use read::{Element, Reader};
pub use write::Writer;

use std::borrow::Cow;
use std::fmt;

/// How deep elements may nest.
pub const MAX_DEPTH: usize = 128;

/// Why a body could not be read as the XML the model describes, with the path of elements to
/// where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    message: Cow<'static, str>,
    path: String,
}

impl XmlError {
    /// An error with `message` and no path.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        XmlError {
            inner: Box::new(Inner {
                message: message.into(),
                path: String::new(),
            }),
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The path of elements to where it went wrong (`/ListBucketResult/Contents/Size`); empty
    /// when the body is not XML at all.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    pub(crate) fn at(mut self, path: String) -> Self {
        self.inner.path = path;
        self
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.path.is_empty() {
            write!(f, "{}", self.inner.message)
        } else {
            write!(f, "{} at `{}`", self.inner.message, self.inner.path)
        }
    }
}

impl std::error::Error for XmlError {}

impl From<XmlError> for crate::ParseError {
    fn from(e: XmlError) -> Self {
        crate::ParseError::InvalidXml {
            message: e.to_string(),
        }
    }
}

/// Decodes text as an XML processor must: line ends (`\r\n`, `\r`) become `\n`, and the
/// entity and character references are decoded (XML's five predefined entities, `&#NN;` and
/// `&#xHH;`). Text without either is borrowed.
pub fn unescape(raw: &str) -> Result<Cow<'_, str>, XmlError> {
    decode(raw, false)
}

/// Decodes an attribute value: as [`unescape`], and literal white space (tabs, line ends)
/// becomes a space, as XML's attribute-value normalisation says. Characters written as
/// references are kept.
pub fn unescape_attribute(raw: &str) -> Result<Cow<'_, str>, XmlError> {
    decode(raw, true)
}

fn decode(raw: &str, attribute: bool) -> Result<Cow<'_, str>, XmlError> {
    let special = |c: char| c == '&' || c == '\r' || (attribute && (c == '\n' || c == '\t'));
    if !raw.contains(special) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(special) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or('&');
        if c != '&' {
            // A line end is one `\n` (or one space in an attribute).
            let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
            out.push(if attribute { ' ' } else { '\n' });
            rest = &rest[at + skip..];
            continue;
        }
        let after = &rest[at + 1..];
        let end = after
            .find(';')
            .filter(|&end| end <= 10)
            .ok_or_else(|| XmlError::new("an `&` that starts no reference"))?;
        let name = &after[..end];
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    return Err(XmlError::new(format!(
                        "the entity `&{name};`, which XML does not predefine"
                    )));
                };
                code.and_then(char::from_u32)
                    .filter(|&c| c != '\0')
                    .ok_or_else(|| XmlError::new(format!("`&{name};`, which is not a character")))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_decode_and_unknown_entities_are_errors() {
        assert!(matches!(unescape("plain"), Ok(Cow::Borrowed("plain"))));
        assert_eq!(
            unescape("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233; &#xE9; &#x1F600;")
                .unwrap(),
            "a <b> & \"c\" 'd' é é 😀"
        );
        assert_eq!(unescape("a\r\nb\rc\n&#xD;").unwrap(), "a\nb\nc\n\r");
        assert_eq!(
            unescape_attribute("a\r\nb\tc\nd&#xA;&#x9;").unwrap(),
            "a b c d\n\t"
        );
        for bad in [
            "&lol;",
            "&#xD800;",
            "&#0;",
            "&#x;",
            "&#;",
            "& ",
            "&amp",
            "&#99999999999;",
            "&aaaaaaaaaaaaaaaaaaaaaaa;",
        ] {
            assert!(unescape(bad).is_err(), "{bad}");
        }
    }
}
