//! Writing XML request bodies straight from the generated types.
//!
//! Generated code calls the [`Writer`] in document order: [`Writer::start`] an element, its
//! [`Writer::attr`]ibutes (namespaces are attributes too: `xmlns` or `xmlns:prefix`), then
//! [`Writer::text`] or child elements, then [`Writer::end`]. Text and attribute values are
//! escaped; the writer's methods are not generic.

use crate::{DateTime, TimestampFormat};
use std::fmt::Write as _;

/// An XML writer.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// A start tag is open: attributes may still be added, and it needs its `>`.
    in_tag: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// The XML written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The XML, as bytes to send.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }

    fn close_tag(&mut self) {
        if self.in_tag {
            self.out.push('>');
            self.in_tag = false;
        }
    }

    /// Opens an element (`name` may be prefixed: `s:Envelope`).
    pub fn start(&mut self, name: &str) {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.in_tag = true;
    }

    /// An attribute of the element just opened, before its content.
    pub fn attr(&mut self, name: &str, value: &str) {
        debug_assert!(self.in_tag, "an attribute after the element's content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Text content, escaped.
    pub fn text(&mut self, value: &str) {
        self.close_tag();
        escape(&mut self.out, value, false);
    }

    /// Closes the element `name` opened last.
    pub fn end(&mut self, name: &str) {
        self.close_tag();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An element holding only `text`.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end(name);
    }

    /// A boolean as text: `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.text(if value { "true" } else { "false" });
    }

    /// An integer as text.
    pub fn integer(&mut self, value: i64) {
        self.close_tag();
        let _ = write!(self.out, "{value}");
    }

    /// A float or double as text: `NaN`, `Infinity` and `-Infinity` for the values that are
    /// not numbers.
    pub fn float(&mut self, value: f64) {
        self.close_tag();
        if value.is_nan() {
            self.out.push_str("NaN");
        } else if value == f64::INFINITY {
            self.out.push_str("Infinity");
        } else if value == f64::NEG_INFINITY {
            self.out.push_str("-Infinity");
        } else {
            let _ = write!(self.out, "{value}");
        }
    }

    /// A blob as base64 text.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.text(&crate::blob::encode(bytes));
    }

    /// A timestamp as text in `format` (`date-time` is the XML protocols' default).
    pub fn timestamp(&mut self, t: &DateTime, format: TimestampFormat) {
        let text = match format {
            TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => t.secs().to_string(),
            TimestampFormat::EpochSeconds => t.as_secs_f64().to_string(),
            other => t.format(other),
        };
        self.text(&text);
    }
}

/// Escapes `value` for text (`&`, `<`, `>`, and `\r`, which XML would otherwise normalise
/// away) or for a double-quoted attribute value (also `"`, and `\n` and `\t`, which XML
/// normalises to spaces there).
fn escape(out: &mut String, value: &str, attribute: bool) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Reader;

    #[test]
    fn elements_attributes_and_escaping() {
        let mut w = Writer::new();
        w.start("Root");
        w.attr("xmlns", "https://example.com/");
        w.attr("xmlns:xsi", "urn:i");
        w.attr("note", "a \"b\" <c> & d\ne\tf");
        w.element("Text", "x < y & z > \r\n'");
        w.start("Empty");
        w.end("Empty");
        w.start("N");
        w.integer(-5);
        w.end("N");
        w.start("F");
        w.float(f64::NEG_INFINITY);
        w.end("F");
        w.start("B");
        w.blob(b"\x00\xff");
        w.end("B");
        w.start("T");
        w.timestamp(&DateTime::from_secs(1), TimestampFormat::DateTime);
        w.end("T");
        w.start("Yes");
        w.bool(true);
        w.end("Yes");
        w.end("Root");
        assert_eq!(
            w.as_str(),
            "<Root xmlns=\"https://example.com/\" xmlns:xsi=\"urn:i\" \
             note=\"a &quot;b&quot; &lt;c&gt; &amp; d&#xA;e&#x9;f\">\
             <Text>x &lt; y &amp; z &gt; &#xD;\n'</Text><Empty></Empty><N>-5</N>\
             <F>-Infinity</F><B>AP8=</B><T>1970-01-01T00:00:01Z</T><Yes>true</Yes></Root>"
        );
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let hostile = "a\"b'<c>&d;\r\n\t]]> é 😀";
        let mut w = Writer::new();
        w.start("r");
        w.attr("v", hostile);
        w.element("t", hostile);
        w.end("r");
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes).unwrap();
        let root = r.root().unwrap();
        assert_eq!(root.attr("v").unwrap().as_deref(), Some(hostile));
        r.next_child().unwrap().unwrap();
        assert_eq!(r.text().unwrap(), hostile);
        assert!(r.next_child().unwrap().is_none());
        r.finish().unwrap();
    }
}
