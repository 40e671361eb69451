//! Reading XML bodies straight into generated types, with a pull reader over `xmlparser`'s
//! tokens and no tree.
//!
//! Generated code reads a structure in a loop, as the JSON reader does:
//!
//! ```
//! # use swage_runtime::xml::{Reader, XmlError};
//! # fn main() -> Result<(), XmlError> {
//! let mut r = Reader::new(b"<Owner id=\"7\"><Name>a &amp; b</Name><Other/></Owner>")?;
//! let root = r.root()?;
//! assert_eq!(root.name(), "Owner");
//! assert_eq!(root.attr("id")?.as_deref(), Some("7"));
//! let mut name = None;
//! while let Some(child) = r.next_child()? {
//!     match child.name() {
//!         "Name" => name = Some(r.text()?.into_owned()),
//!         _ => r.skip()?,
//!     }
//! }
//! r.finish()?;
//! assert_eq!(name.as_deref(), Some("a & b"));
//! # Ok(())
//! # }
//! ```
//!
//! Every element [`Reader::next_child`] returns must then be read to its end, with
//! [`Reader::text`], a `next_child` loop until `None`, or [`Reader::skip`].

use super::{unescape, unescape_attribute, XmlError, MAX_DEPTH};
use std::borrow::Cow;
use xmlparser::{ElementEnd, Token, Tokenizer};

/// How many attributes an element may have.
const MAX_ATTRIBUTES: usize = 256;

/// An element's start tag: its name and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    prefix: &'a str,
    name: &'a str,
    /// `(prefix, local name, raw value)`.
    attributes: Vec<(&'a str, &'a str, &'a str)>,
}

impl<'a> Element<'a> {
    /// The element's local name (without its namespace prefix).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The element's namespace prefix (empty without one).
    pub fn prefix(&self) -> &'a str {
        self.prefix
    }

    /// The element's attributes, `(name, value)`, names with their prefix (`xmlns:a`), values
    /// as written (references not decoded).
    pub fn attributes(&self) -> impl Iterator<Item = (String, &'a str)> + '_ {
        self.attributes.iter().map(|&(p, l, v)| {
            let name = if p.is_empty() {
                l.to_owned()
            } else {
                format!("{p}:{l}")
            };
            (name, v)
        })
    }

    /// The value of the attribute with this local name, if the element has it (references
    /// decoded). A prefixed name (`xsi:type`) matches the prefix and local name.
    pub fn attr(&self, name: &str) -> Result<Option<Cow<'a, str>>, XmlError> {
        let (prefix, local) = name.split_once(':').unwrap_or(("", name));
        match self
            .attributes
            .iter()
            .find(|(p, l, _)| *l == local && *p == prefix)
        {
            Some((_, _, raw)) => unescape_attribute(raw).map(Some),
            None => Ok(None),
        }
    }
}

/// What [`Reader::next_child_or_text`] found.
#[derive(Debug)]
pub enum Content<'a> {
    /// A child element, which is then the current element.
    Child(Element<'a>),
    /// The end of the current element, which is then closed, with the text it held (white
    /// space only, for an element with children).
    End(Cow<'a, str>),
}

/// A pull reader over an XML body.
pub struct Reader<'a> {
    tokens: Tokenizer<'a>,
    /// The names of the open elements, outermost first.
    open: Vec<&'a str>,
    /// The element last opened was empty (`<a/>`): it has no content and is already closed
    /// in the markup, though still on `open` until it is read.
    empty: bool,
    /// The root element has been read to its end.
    done: bool,
}

impl<'a> Reader<'a> {
    /// A reader of `body`, which must be UTF-8.
    pub fn new(body: &'a [u8]) -> Result<Self, XmlError> {
        let text =
            std::str::from_utf8(body).map_err(|_| XmlError::new("the body is not UTF-8 text"))?;
        // S3 sends whitespace while a long CopyObject runs, before the document (and its
        // declaration) comes.
        let text = text.trim_start_matches([' ', '\t', '\r', '\n']);
        Ok(Reader {
            tokens: Tokenizer::from(text),
            open: Vec::new(),
            empty: false,
            done: false,
        })
    }

    /// The path of open elements, for errors.
    fn path(&self) -> String {
        let mut path = String::new();
        for name in &self.open {
            path.push('/');
            path.push_str(name);
        }
        path
    }

    /// An error at the current element: its message, with the path to it.
    pub fn error(&self, message: impl Into<Cow<'static, str>>) -> XmlError {
        XmlError::new(message).at(self.path())
    }

    /// An error for the element just read, which lacks its required member `name`.
    pub fn missing(&self, name: &str) -> XmlError {
        self.error(format!("the required member `{name}` is missing"))
    }

    /// The next token; the end of input inside an element is an error.
    fn token(&mut self) -> Result<Token<'a>, XmlError> {
        match self.tokens.next() {
            Some(Ok(Token::DtdStart { .. } | Token::EmptyDtd { .. })) => Err(self
                .error("a document type declaration, which AWS never sends and which is refused")),
            Some(Ok(token)) => Ok(token),
            Some(Err(e)) => Err(self.error(format!("malformed XML: {e}"))),
            None => Err(self.error("unexpected end of the body")),
        }
    }

    /// Reads the rest of a start tag whose name was just read: its attributes and its end.
    fn start_tag(&mut self, prefix: &'a str, name: &'a str) -> Result<Element<'a>, XmlError> {
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error("elements nest too deep"));
        }
        let mut attributes = Vec::new();
        loop {
            match self.token()? {
                Token::Attribute {
                    prefix: p,
                    local,
                    value,
                    ..
                } => {
                    let (p, local) = (p.as_str(), local.as_str());
                    // Unique, as XML requires; and few, so the check stays cheap.
                    if attributes.len() >= MAX_ATTRIBUTES {
                        return Err(self.error("an element with too many attributes"));
                    }
                    if attributes.iter().any(|&(ap, al, _)| ap == p && al == local) {
                        return Err(self.error(format!("the attribute `{local}` twice")));
                    }
                    attributes.push((p, local, value.as_str()));
                }
                Token::ElementEnd {
                    end: ElementEnd::Open,
                    ..
                } => {
                    self.empty = false;
                    break;
                }
                Token::ElementEnd {
                    end: ElementEnd::Empty,
                    ..
                } => {
                    self.empty = true;
                    break;
                }
                _ => return Err(self.error("malformed start tag")),
            }
        }
        self.open.push(name);
        Ok(Element {
            prefix,
            name,
            attributes,
        })
    }

    /// Opens the root element, after the XML declaration, comments and processing
    /// instructions.
    pub fn root(&mut self) -> Result<Element<'a>, XmlError> {
        loop {
            match self.token()? {
                Token::Declaration { .. }
                | Token::Comment { .. }
                | Token::ProcessingInstruction { .. } => {}
                Token::Text { text } if text.as_str().trim().is_empty() => {}
                Token::ElementStart { prefix, local, .. } => {
                    return self.start_tag(prefix.as_str(), local.as_str())
                }
                _ => return Err(self.error("expected the root element")),
            }
        }
    }

    /// Closes the current element at its end tag, which must match its start tag.
    fn close(&mut self, prefix: &str, local: &str) -> Result<(), XmlError> {
        let _ = prefix;
        match self.open.last() {
            Some(name) if *name == local => {
                self.open.pop();
                if self.open.is_empty() {
                    self.done = true;
                }
                Ok(())
            }
            _ => Err(self.error(format!("an end tag `{local}` that closes no open element"))),
        }
    }

    /// Closes the current element if it was empty (`<a/>`); whether it was.
    fn close_empty(&mut self) -> bool {
        if !self.empty {
            return false;
        }
        self.empty = false;
        self.open.pop();
        if self.open.is_empty() {
            self.done = true;
        }
        true
    }

    /// The next child element of the current element, which is then the current element;
    /// `None` at the end of the current element, which is then closed. Text, comments and
    /// processing instructions between children are passed over.
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        if self.close_empty() {
            return Ok(None);
        }
        if self.open.is_empty() {
            return Err(self.error("no element is open"));
        }
        loop {
            match self.token()? {
                Token::ElementStart { prefix, local, .. } => {
                    return self.start_tag(prefix.as_str(), local.as_str()).map(Some)
                }
                Token::ElementEnd {
                    end: ElementEnd::Close(prefix, local),
                    ..
                } => {
                    self.close(prefix.as_str(), local.as_str())?;
                    return Ok(None);
                }
                other => self.pass_over(&other)?,
            }
        }
    }

    /// Checks a token that readers pass over between elements: text (mixed content, which must
    /// still be well formed), CDATA, comments and processing instructions.
    fn pass_over(&self, token: &Token<'a>) -> Result<(), XmlError> {
        match token {
            Token::Text { text } => unescape(text.as_str())
                .map(drop)
                .map_err(|e| e.at(self.path())),
            Token::Cdata { .. } | Token::Comment { .. } | Token::ProcessingInstruction { .. } => {
                Ok(())
            }
            _ => Err(self.error("malformed XML")),
        }
    }

    /// The next child element of the current element, or its end with the text it held: for
    /// reading elements whose content is not known in advance (mixed content's text is kept).
    pub fn next_child_or_text(&mut self) -> Result<Content<'a>, XmlError> {
        if self.close_empty() {
            return Ok(Content::End(Cow::Borrowed("")));
        }
        let mut text = String::new();
        loop {
            match self.token()? {
                Token::ElementStart { prefix, local, .. } => {
                    return self
                        .start_tag(prefix.as_str(), local.as_str())
                        .map(Content::Child)
                }
                Token::ElementEnd {
                    end: ElementEnd::Close(prefix, local),
                    ..
                } => {
                    self.close(prefix.as_str(), local.as_str())?;
                    return Ok(Content::End(Cow::Owned(text)));
                }
                Token::Text { text: t } => {
                    text.push_str(&unescape(t.as_str()).map_err(|e| e.at(self.path()))?)
                }
                Token::Cdata { text: t, .. } => text.push_str(t.as_str()),
                other => self.pass_over(&other)?,
            }
        }
    }

    /// The text content of the current element (references decoded, CDATA sections
    /// included), which is then closed. An element with child elements is an error.
    pub fn text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        if self.close_empty() {
            return Ok(Cow::Borrowed(""));
        }
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.token()? {
                Token::Text { text } => unescape(text.as_str()).map_err(|e| e.at(self.path()))?,
                // Line ends are normalised in CDATA too; nothing else is decoded there.
                Token::Cdata { text, .. } if text.as_str().contains('\r') => {
                    Cow::Owned(text.as_str().replace("\r\n", "\n").replace('\r', "\n"))
                }
                Token::Cdata { text, .. } => Cow::Borrowed(text.as_str()),
                Token::Comment { .. } | Token::ProcessingInstruction { .. } => continue,
                Token::ElementEnd {
                    end: ElementEnd::Close(prefix, local),
                    ..
                } => {
                    self.close(prefix.as_str(), local.as_str())?;
                    return Ok(out.unwrap_or(Cow::Borrowed("")));
                }
                Token::ElementStart { .. } => {
                    return Err(self.error("expected text, found an element"))
                }
                _ => return Err(self.error("malformed XML")),
            };
            out = Some(match out {
                None => piece,
                Some(before) => Cow::Owned(before.into_owned() + &piece),
            });
        }
    }

    /// Skips the rest of the current element, whatever it holds (checking its syntax), and
    /// closes it.
    pub fn skip(&mut self) -> Result<(), XmlError> {
        if self.close_empty() {
            return Ok(());
        }
        let depth = self.open.len();
        while self.open.len() >= depth {
            match self.token()? {
                Token::ElementStart { prefix, local, .. } => {
                    self.start_tag(prefix.as_str(), local.as_str())?;
                    self.close_empty();
                }
                Token::ElementEnd {
                    end: ElementEnd::Close(prefix, local),
                    ..
                } => self.close(prefix.as_str(), local.as_str())?,
                other => self.pass_over(&other)?,
            }
        }
        Ok(())
    }

    /// Checks that the root element has been read to its end and that only comments,
    /// processing instructions and white space follow it.
    pub fn finish(&mut self) -> Result<(), XmlError> {
        if !self.done {
            return Err(self.error("the root element was not read to its end"));
        }
        for token in self.tokens.by_ref() {
            match token {
                Ok(Token::Comment { .. } | Token::ProcessingInstruction { .. }) => {}
                Ok(Token::Text { text }) if text.as_str().trim().is_empty() => {}
                Ok(_) => return Err(XmlError::new("content after the root element")),
                Err(e) => return Err(XmlError::new(format!("malformed XML: {e}"))),
            }
        }
        Ok(())
    }
}

/// A reader of one value's type from its element: a plain function, so each is compiled once
/// per type.
pub type Read<T> = for<'a> fn(&mut Reader<'a>, &Element<'a>) -> Result<T, XmlError>;

/// A string: the element's text.
pub fn string(r: &mut Reader<'_>, _: &Element<'_>) -> Result<String, XmlError> {
    r.text().map(Cow::into_owned)
}

/// A string enum's value (values the model does not list are kept as unknown).
pub fn enumeration<T: for<'b> From<&'b str>>(
    r: &mut Reader<'_>,
    _: &Element<'_>,
) -> Result<T, XmlError> {
    let text = r.text()?;
    Ok(T::from(&text))
}

/// An intEnum's value.
pub fn int_enumeration<T: From<i32>>(r: &mut Reader<'_>, e: &Element<'_>) -> Result<T, XmlError> {
    integer::<i32>(r, e).map(T::from)
}

/// `true` or `false`.
pub fn boolean(r: &mut Reader<'_>, _: &Element<'_>) -> Result<bool, XmlError> {
    match r.text()?.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(r.error("expected `true` or `false`")),
    }
}

/// An integer that fits `T`.
pub fn integer<T: TryFrom<i64>>(r: &mut Reader<'_>, _: &Element<'_>) -> Result<T, XmlError> {
    let text = r.text()?;
    match text
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| T::try_from(n).ok())
    {
        Some(n) => Ok(n),
        None => Err(r.error("expected an integer in range")),
    }
}

/// A double; `NaN`, `Infinity` and `-Infinity` as those words.
pub fn double(r: &mut Reader<'_>, _: &Element<'_>) -> Result<f64, XmlError> {
    let text = r.text()?;
    let value = match text.trim() {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.parse::<f64>().ok(),
    };
    value.ok_or_else(|| r.error("expected a number"))
}

/// A float (read as a double, then narrowed).
pub fn float(r: &mut Reader<'_>, e: &Element<'_>) -> Result<f32, XmlError> {
    double(r, e).map(|d| d as f32)
}

/// A bigInteger or bigDecimal, as written.
pub fn big_number(r: &mut Reader<'_>, _: &Element<'_>) -> Result<crate::BigNumber, XmlError> {
    let text = r.text()?;
    let text = text.trim();
    if text.parse::<f64>().is_ok() {
        Ok(crate::BigNumber::from(text))
    } else {
        Err(r.error("expected a number"))
    }
}

/// A blob: base64 text.
pub fn blob(r: &mut Reader<'_>, _: &Element<'_>) -> Result<Vec<u8>, XmlError> {
    let text = r.text()?;
    crate::blob::decode(text.trim()).ok_or_else(|| r.error("expected base64 text"))
}

fn timestamp(
    r: &mut Reader<'_>,
    format: crate::TimestampFormat,
) -> Result<crate::DateTime, XmlError> {
    let text = r.text()?;
    let text = text.trim();
    let parsed = match format {
        crate::TimestampFormat::EpochSeconds => text
            .parse::<f64>()
            .ok()
            .and_then(crate::DateTime::from_secs_f64),
        other => crate::DateTime::parse(text, other).ok(),
    };
    parsed.ok_or_else(|| r.error("expected a timestamp"))
}

/// A `date-time` timestamp (the XML protocols' default).
pub fn timestamp_date_time(
    r: &mut Reader<'_>,
    _: &Element<'_>,
) -> Result<crate::DateTime, XmlError> {
    timestamp(r, crate::TimestampFormat::DateTime)
}

/// An `epoch-seconds` timestamp.
pub fn timestamp_epoch_seconds(
    r: &mut Reader<'_>,
    _: &Element<'_>,
) -> Result<crate::DateTime, XmlError> {
    timestamp(r, crate::TimestampFormat::EpochSeconds)
}

/// An `http-date` timestamp.
pub fn timestamp_http_date(
    r: &mut Reader<'_>,
    _: &Element<'_>,
) -> Result<crate::DateTime, XmlError> {
    timestamp(r, crate::TimestampFormat::HttpDate)
}

/// An `@httpPayload` structure or union: the whole body, read from its root element with
/// `read`; an empty body is `None`.
pub fn payload<T>(body: &[u8], read: Read<T>) -> Result<Option<T>, XmlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut r = Reader::new(body)?;
    let root = r.root()?;
    let value = read(&mut r, &root)?;
    r.finish()?;
    Ok(Some(value))
}

/// A wrapped list: each child element is an item, read with `read` (the items' element name,
/// `member` or the model's, is not checked, as the AWS SDKs don't).
pub fn list<T>(r: &mut Reader<'_>, _: &Element<'_>, read: Read<T>) -> Result<Vec<T>, XmlError> {
    let mut out = Vec::new();
    while let Some(item) = r.next_child()? {
        out.push(read(r, &item)?);
    }
    Ok(out)
}

/// One entry of a map: the `key` and `value` children (by the model's names) of the element
/// just opened, which is read to its end.
pub fn entry<T>(
    r: &mut Reader<'_>,
    key: &str,
    value: &str,
    read: Read<T>,
) -> Result<Option<(String, T)>, XmlError> {
    let (mut k, mut v) = (None, None);
    while let Some(child) = r.next_child()? {
        if child.name() == key {
            k = Some(r.text()?.into_owned());
        } else if child.name() == value {
            v = Some(read(r, &child)?);
        } else {
            r.skip()?;
        }
    }
    match (k, v) {
        (Some(k), Some(v)) => Ok(Some((k, v))),
        (None, _) => Err(r.error("a map entry without its key")),
        // A key without a value: as a dense map skips nulls, the entry is left out.
        (Some(_), None) => Ok(None),
    }
}

/// A wrapped map: each child element is an entry (`entry`) with a key and a value.
pub fn map<T>(
    r: &mut Reader<'_>,
    key: &str,
    value: &str,
    read: Read<T>,
) -> Result<std::collections::HashMap<String, T>, XmlError> {
    let mut out = std::collections::HashMap::new();
    while r.next_child()?.is_some() {
        if let Some((k, v)) = entry(r, key, value, read)? {
            out.insert(k, v);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a whole document into a compact form: `name[attr=value](children|"text")`,
    /// reading an element as text when its name starts with `t`.
    fn shape(body: &str) -> Result<String, XmlError> {
        fn element(r: &mut Reader<'_>, e: &Element<'_>, out: &mut String) -> Result<(), XmlError> {
            out.push_str(e.name());
            for (_, local, _) in &e.attributes {
                let value = e.attr(local)?.unwrap_or_default();
                out.push_str(&format!("[{local}={value}]"));
            }
            if e.name().starts_with('t') {
                out.push_str(&format!("{:?}", r.text()?));
                return Ok(());
            }
            out.push('(');
            while let Some(child) = r.next_child()? {
                element(r, &child, out)?;
                out.push(' ');
            }
            out.push(')');
            Ok(())
        }
        let mut r = Reader::new(body.as_bytes())?;
        let root = r.root()?;
        let mut out = String::new();
        element(&mut r, &root, &mut out)?;
        r.finish()?;
        Ok(out)
    }

    #[test]
    fn elements_attributes_text_entities_and_cdata() {
        assert_eq!(
            shape(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><r xmlns=\"urn:x\" a=\"1 &amp; 2\">\n  \
                 <t1>x &lt; y</t1>\n  <t2><![CDATA[<raw> & ]]>tail&#x41;</t2><t3/><t4></t4>\
                 <e><t5 b='q'>v</t5><?pi x?></e><e/></r>\n<!-- after -->\n"
            )
            .unwrap(),
            "r[xmlns=urn:x][a=1 & 2](t1\"x < y\" t2\"<raw> & tailA\" t3\"\" t4\"\" e(t5[b=q]\"v\" ) e() )"
        );
    }

    #[test]
    fn prefixed_names_and_attributes() {
        let mut r = Reader::new(
            b"<s:Envelope xmlns:s=\"urn:s\" xmlns:xsi=\"urn:i\"><s:Body xsi:type=\"T\">1</s:Body></s:Envelope>",
        )
        .unwrap();
        let root = r.root().unwrap();
        assert_eq!((root.prefix(), root.name()), ("s", "Envelope"));
        assert_eq!(root.attr("xmlns:xsi").unwrap().as_deref(), Some("urn:i"));
        let body = r.next_child().unwrap().unwrap();
        assert_eq!(body.attr("xsi:type").unwrap().as_deref(), Some("T"));
        assert_eq!(body.attr("type").unwrap(), None);
        assert_eq!(r.text().unwrap(), "1");
        assert_eq!(r.next_child().unwrap(), None);
        r.finish().unwrap();
    }

    #[test]
    fn skipping_unknown_elements() {
        let mut r = Reader::new(
            b"<r><skip a=\"1\"><x><y/>text<![CDATA[c]]></x><z/></skip><keep>k</keep></r>",
        )
        .unwrap();
        r.root().unwrap();
        let skip = r.next_child().unwrap().unwrap();
        assert_eq!(skip.name(), "skip");
        r.skip().unwrap();
        let keep = r.next_child().unwrap().unwrap();
        assert_eq!(keep.name(), "keep");
        assert_eq!(r.text().unwrap(), "k");
        assert!(r.next_child().unwrap().is_none());
        r.finish().unwrap();
    }

    #[test]
    fn errors_name_the_path() {
        let mut r = Reader::new(b"<a><b><c><d/></c></b></a>").unwrap();
        r.root().unwrap();
        r.next_child().unwrap();
        r.next_child().unwrap();
        let e = r.text().unwrap_err();
        assert_eq!(e.path(), "/a/b/c");
        assert_eq!(e.to_string(), "expected text, found an element at `/a/b/c`");
    }

    #[test]
    fn hostile_and_malformed_bodies_are_errors() {
        let deep = "<a>".repeat(100_000);
        let billion_laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><r>&lol2;</r>";
        let external = "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>";
        for bad in [
            deep.as_str(),
            billion_laughs,
            external,
            "<r>&lol;</r>",
            "<r>",
            "<r><a></r>",
            "<r></a>",
            "<r a=\"1\" a=\"2\"/>",
            "<r>&#xD800;</r>",
            "",
            "text",
            "<r/><r/>",
            "<r/>tail",
            "<r><a>1</a><a>2",
            "<r a=1/>",
            "<1r/>",
        ] {
            let got = shape(bad);
            assert!(got.is_err(), "{bad:.60}: {got:?}");
        }
        assert!(Reader::new(b"<r>\xff</r>").is_err());
    }

    #[test]
    fn depth_limit_is_exact() {
        let ok = format!("{}{}", "<e>".repeat(MAX_DEPTH), "</e>".repeat(MAX_DEPTH));
        assert!(shape(&ok).is_ok());
        let too_deep = format!(
            "{}{}",
            "<e>".repeat(MAX_DEPTH + 1),
            "</e>".repeat(MAX_DEPTH + 1)
        );
        assert!(shape(&too_deep).is_err());
    }
}
