//! Decoding JSON bodies straight into generated types, with a pull reader and no tree.
//!
//! [`Reader`] walks the bytes once. Generated code reads a structure in a loop:
//! [`Reader::begin_object`], then [`Reader::next_key`] until it says the object has ended,
//! matching each key and reading its value with one of the functions here (or skipping it);
//! arrays are read the same way with [`Reader::begin_array`] and [`Reader::next_item`]. There
//! are no closures and no callbacks, so a generated crate instantiates little per type. Only
//! documents build a [`Value`]. The rules are those of the tree decoders in [`super`]: unknown members are
//! skipped, `null` and a missing member both read as absent, a value of the wrong type is an
//! error naming its path, and nesting deeper than [`MAX_DEPTH`] is an
//! error, never a stack overflow.

use super::JsonError;
use crate::value::{Parser, Value, MAX_DEPTH};
use std::borrow::Cow;

/// A reader of one value's type: a plain function, so each is compiled once per type.
pub type Read<T> = fn(&mut Reader<'_>) -> Result<T, JsonError>;

/// A pull reader over a JSON body.
pub struct Reader<'a> {
    p: Parser<'a>,
    depth: usize,
    /// The whole body as text, when it is UTF-8 (checked once, up front): strings are then
    /// sliced from it without checking each again.
    text: Option<&'a str>,
    /// Where the cursor is: one step per open container, so errors name their path.
    path: Vec<Step>,
}

/// A step of the path to the value at the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// In a container, before its first member or element.
    Start,
    /// At the member whose key's opening quote is at this byte offset.
    Key(usize),
    /// At this element of an array.
    Index(usize),
}

/// The kind of the value at the cursor, for error messages.
fn kind(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ => "nothing",
    }
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            p: Parser { bytes, pos: 0 },
            depth: 0,
            text: std::str::from_utf8(bytes).ok(),
            path: Vec::new(),
        }
    }

    /// A reader of a response body: an empty (or all-whitespace) body reads as `{}`, as
    /// restJson1 allows for outputs with no body members.
    pub fn body(bytes: &'a [u8]) -> Self {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Reader::new(b"{}")
        } else {
            Reader::new(bytes)
        }
    }

    /// Checks that nothing but white space follows the value read.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        self.p.skip_ws();
        if self.p.pos == self.p.bytes.len() {
            Ok(())
        } else {
            Err(self.syntax("trailing characters"))
        }
    }

    fn syntax(&self, message: &'static str) -> JsonError {
        JsonError::syntax(self.p.error(message).to_string())
    }

    /// The first byte of the next value (white space skipped).
    fn next_byte(&mut self) -> Option<u8> {
        self.p.skip_ws();
        self.p.peek()
    }

    /// An error for the value at the cursor, which is not `expected`.
    pub fn unexpected(&mut self, expected: &'static str) -> JsonError {
        let found = kind(self.next_byte());
        self.invalid(expected, found)
    }

    /// An error for the value just read, which is `found` where the model expects `expected`,
    /// with the path to it.
    pub fn invalid(&self, expected: &'static str, found: &'static str) -> JsonError {
        self.locate(JsonError::expected_found(expected, found))
    }

    /// An error for the object just read, which lacks its required member `key`.
    pub fn missing(&self, key: &str) -> JsonError {
        self.locate(JsonError::missing(key))
    }

    /// `e` with the path to the cursor.
    fn locate(&self, mut e: JsonError) -> JsonError {
        for step in self.path.iter().rev() {
            match *step {
                Step::Start => {}
                Step::Index(i) => e = e.within(i.to_string()),
                Step::Key(at) => {
                    let mut p = Parser {
                        bytes: self.p.bytes,
                        pos: at,
                    };
                    e = e.within(p.string().unwrap_or_default());
                }
            }
        }
        e
    }

    /// Consumes a `null` if one is next; whether it was.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.next_byte() != Some(b'n') {
            return Ok(false);
        }
        if self.p.bytes[self.p.pos..].starts_with(b"null") {
            self.p.pos += 4;
            Ok(true)
        } else {
            Err(self.syntax("invalid literal"))
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("nesting too deep"));
        }
        self.depth += 1;
        self.p.pos += 1;
        Ok(())
    }

    /// Opens the object at the cursor; read its members with [`Reader::next_key`].
    pub fn begin_object(&mut self) -> Result<(), JsonError> {
        if self.next_byte() != Some(b'{') {
            return Err(self.unexpected("an object"));
        }
        self.enter()?;
        self.path.push(Step::Start);
        Ok(())
    }

    /// The key of the object's next member, with the cursor at its value, which must then be
    /// read or skipped; `None` at the end of the object, which is then closed.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        let first = self.path.last() == Some(&Step::Start);
        match self.next_byte() {
            Some(b'}') => {
                self.close();
                return Ok(None);
            }
            Some(b',') if !first => {
                self.p.pos += 1;
                self.p.skip_ws();
            }
            Some(b'"') if first => {}
            None => return Err(self.syntax("unexpected end of input")),
            Some(_) if first => return Err(self.syntax("expected a string key or `}`")),
            Some(_) => return Err(self.syntax("expected `,` or `}`")),
        }
        if self.p.peek() != Some(b'"') {
            return Err(self.syntax("expected a string key"));
        }
        let at = self.p.pos;
        let key = self.text()?;
        if self.next_byte() != Some(b':') {
            return Err(self.syntax("expected `:`"));
        }
        self.p.pos += 1;
        if let Some(step) = self.path.last_mut() {
            *step = Step::Key(at);
        }
        Ok(Some(key))
    }

    /// Opens the array at the cursor; read its elements with [`Reader::next_item`].
    pub fn begin_array(&mut self) -> Result<(), JsonError> {
        if self.next_byte() != Some(b'[') {
            return Err(self.unexpected("an array"));
        }
        self.enter()?;
        self.path.push(Step::Start);
        Ok(())
    }

    /// Whether the array has another element, with the cursor at it (it must then be read or
    /// skipped); at the end of the array it is closed.
    pub fn next_item(&mut self) -> Result<bool, JsonError> {
        let index = match self.path.last() {
            Some(Step::Index(i)) => Some(*i),
            _ => None,
        };
        match self.next_byte() {
            Some(b']') => {
                self.close();
                return Ok(false);
            }
            Some(b',') if index.is_some() => {
                self.p.pos += 1;
                if matches!(self.next_byte(), Some(b']') | None) {
                    return Err(self.syntax("expected a value"));
                }
            }
            None => return Err(self.syntax("unexpected end of input")),
            Some(_) if index.is_none() => {}
            Some(_) => return Err(self.syntax("expected `,` or `]`")),
        }
        if let Some(step) = self.path.last_mut() {
            *step = Step::Index(index.map_or(0, |i| i + 1));
        }
        Ok(true)
    }

    /// Closes the container at the cursor (its closing bracket).
    fn close(&mut self) {
        self.p.pos += 1;
        self.depth -= 1;
        self.path.pop();
    }

    /// Skips the value at the cursor (checking its syntax).
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.next_byte() {
            Some(b'{') => {
                self.begin_object()?;
                while self.next_key()?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.begin_array()?;
                while self.next_item()? {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'"') => self.text().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't' | b'f') => self.bool_literal().map(drop),
            Some(b'n') => self.null().map(drop),
            Some(_) => Err(self.syntax("expected a value")),
            None => Err(self.syntax("unexpected end of input")),
        }
    }

    /// The string at the cursor, borrowed from the body when it has no escapes.
    fn text(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let bytes: &'a [u8] = self.p.bytes;
        let start = self.p.pos + 1;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            if b == b'"' {
                // `start` and `end` sit next to ASCII quotes: always character boundaries.
                let s = match self.text.and_then(|t| t.get(start..end)) {
                    Some(s) => s,
                    None => std::str::from_utf8(&bytes[start..end])
                        .map_err(|_| self.syntax("invalid UTF-8 in string"))?,
                };
                self.p.pos = end + 1;
                return Ok(Cow::Borrowed(s));
            }
            if b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        self.p
            .string()
            .map(Cow::Owned)
            .map_err(|e| JsonError::syntax(e.to_string()))
    }

    /// A string value (`None` if the value is not a string; the cursor is then unmoved).
    pub fn string_value(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        if self.next_byte() != Some(b'"') {
            return Ok(None);
        }
        self.text().map(Some)
    }

    /// The number at the cursor, as its text (`None` if the value is not a number).
    pub fn number(&mut self) -> Result<Option<&'a str>, JsonError> {
        if !matches!(self.next_byte(), Some(b'-' | b'0'..=b'9')) {
            return Ok(None);
        }
        self.p
            .number_text()
            .map(Some)
            .map_err(|e| JsonError::syntax(e.to_string()))
    }

    fn bool_literal(&mut self) -> Result<Option<bool>, JsonError> {
        let rest = &self.p.bytes[self.p.pos..];
        if rest.starts_with(b"true") {
            self.p.pos += 4;
            Ok(Some(true))
        } else if rest.starts_with(b"false") {
            self.p.pos += 5;
            Ok(Some(false))
        } else if matches!(rest.first(), Some(b't' | b'f')) {
            Err(self.syntax("invalid literal"))
        } else {
            Ok(None)
        }
    }

    /// Any value, as a tree (documents).
    pub fn value(&mut self) -> Result<Value, JsonError> {
        self.p.skip_ws();
        self.p.parse().map_err(|e| JsonError::syntax(e.to_string()))
    }
}

/// Reads an optional member's value: `null` is `None`.
pub fn member<T>(r: &mut Reader<'_>, read: Read<T>) -> Result<Option<T>, JsonError> {
    // Matches rather than `?` and `map`: this is compiled once per type read, so it stays
    // small.
    match r.null() {
        Ok(true) => Ok(None),
        Ok(false) => match read(r) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// A string.
pub fn string(r: &mut Reader<'_>) -> Result<String, JsonError> {
    match r.string_value()? {
        Some(s) => Ok(s.into_owned()),
        None => Err(r.unexpected("a string")),
    }
}

/// A string enum's value: any string (values the model does not list are kept as unknown).
pub fn enumeration<T: for<'b> From<&'b str>>(r: &mut Reader<'_>) -> Result<T, JsonError> {
    match r.string_value()? {
        Some(s) => Ok(T::from(&s)),
        None => Err(r.unexpected("a string")),
    }
}

/// An intEnum's value: any integer in range.
pub fn int_enumeration<T: From<i32>>(r: &mut Reader<'_>) -> Result<T, JsonError> {
    integer::<i32>(r).map(T::from)
}

/// A boolean.
pub fn boolean(r: &mut Reader<'_>) -> Result<bool, JsonError> {
    r.next_byte();
    match r.bool_literal()? {
        Some(b) => Ok(b),
        None => Err(r.unexpected("a boolean")),
    }
}

/// An integer that fits `T` (byte, short, integer or long).
pub fn integer<T: TryFrom<i64>>(r: &mut Reader<'_>) -> Result<T, JsonError> {
    let n = match r.number()? {
        Some(text) => text.parse::<i64>().ok(),
        None => return Err(r.unexpected("an integer in range")),
    };
    n.and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| r.invalid("an integer in range", "a number"))
}

/// A double; `"NaN"`, `"Infinity"` and `"-Infinity"` arrive as strings.
pub fn double(r: &mut Reader<'_>) -> Result<f64, JsonError> {
    if let Some(text) = r.number()? {
        return text
            .parse::<f64>()
            .map_err(|_| r.invalid("a number", "a number"));
    }
    match r.string_value()?.as_deref() {
        Some("NaN") => Ok(f64::NAN),
        Some("Infinity") => Ok(f64::INFINITY),
        Some("-Infinity") => Ok(f64::NEG_INFINITY),
        Some(_) => Err(r.invalid("a number", "a string")),
        None => Err(r.unexpected("a number")),
    }
}

/// A float (read as a double, then narrowed).
pub fn float(r: &mut Reader<'_>) -> Result<f32, JsonError> {
    double(r).map(|d| d as f32)
}

/// A blob: base64 text.
pub fn blob(r: &mut Reader<'_>) -> Result<Vec<u8>, JsonError> {
    match r.string_value()? {
        Some(s) => crate::blob::decode(&s).ok_or_else(|| r.invalid("base64 text", "a string")),
        None => Err(r.unexpected("base64 text")),
    }
}

fn timestamp(
    r: &mut Reader<'_>,
    format: crate::TimestampFormat,
) -> Result<crate::DateTime, JsonError> {
    let parsed = if let Some(text) = r.number()? {
        if format != crate::TimestampFormat::EpochSeconds {
            return Err(r.invalid("a timestamp", "a number"));
        }
        text.parse::<f64>()
            .ok()
            .and_then(crate::DateTime::from_secs_f64)
    } else if let Some(s) = r.string_value()? {
        crate::DateTime::parse(&s, format).ok()
    } else {
        return Err(r.unexpected("a timestamp"));
    };
    parsed.ok_or_else(|| r.invalid("a timestamp", "a malformed timestamp"))
}

/// An `epoch-seconds` timestamp (a number).
pub fn timestamp_epoch_seconds(r: &mut Reader<'_>) -> Result<crate::DateTime, JsonError> {
    timestamp(r, crate::TimestampFormat::EpochSeconds)
}

/// A `date-time` timestamp (an RFC 3339 string).
pub fn timestamp_date_time(r: &mut Reader<'_>) -> Result<crate::DateTime, JsonError> {
    timestamp(r, crate::TimestampFormat::DateTime)
}

/// An `http-date` timestamp (an RFC 7231 string).
pub fn timestamp_http_date(r: &mut Reader<'_>) -> Result<crate::DateTime, JsonError> {
    timestamp(r, crate::TimestampFormat::HttpDate)
}

/// A document: any JSON value.
pub fn document(r: &mut Reader<'_>) -> Result<Value, JsonError> {
    r.value()
}

/// A bigInteger or bigDecimal: a JSON number (or its text in a string).
pub fn big_number(r: &mut Reader<'_>) -> Result<crate::BigNumber, JsonError> {
    if let Some(text) = r.number()? {
        return Ok(crate::BigNumber::from(text));
    }
    match r.string_value()? {
        Some(s) if s.parse::<f64>().is_ok() => Ok(crate::BigNumber::from(&*s)),
        Some(_) => Err(r.invalid("a number", "a string")),
        None => Err(r.unexpected("a number")),
    }
}

/// A list, each element read with `read`; `null` elements are skipped (dense lists).
pub fn list<T>(r: &mut Reader<'_>, read: Read<T>) -> Result<Vec<T>, JsonError> {
    let mut out = Vec::new();
    r.begin_array()?;
    while r.next_item()? {
        if !r.null()? {
            out.push(read(r)?);
        }
    }
    Ok(out)
}

/// A list whose elements may be `null` (`@sparse`).
pub fn sparse_list<T>(r: &mut Reader<'_>, read: Read<T>) -> Result<Vec<Option<T>>, JsonError> {
    let mut out = Vec::new();
    r.begin_array()?;
    while r.next_item()? {
        out.push(member(r, read)?);
    }
    Ok(out)
}

/// A map from strings, each value read with `read`; `null` values are skipped (dense maps).
pub fn map<T>(
    r: &mut Reader<'_>,
    read: Read<T>,
) -> Result<std::collections::HashMap<String, T>, JsonError> {
    let mut out = std::collections::HashMap::new();
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        if !r.null()? {
            out.insert(key.into_owned(), read(r)?);
        }
    }
    Ok(out)
}

/// A map whose values may be `null` (`@sparse`).
pub fn sparse_map<T>(
    r: &mut Reader<'_>,
    read: Read<T>,
) -> Result<std::collections::HashMap<String, Option<T>>, JsonError> {
    let mut out = std::collections::HashMap::new();
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        out.insert(key.into_owned(), member(r, read)?);
    }
    Ok(out)
}

/// Reads a whole body as `T` with `read`; nothing may follow it.
pub fn body<T>(bytes: &[u8], read: Read<T>) -> Result<T, crate::ParseError> {
    let mut r = Reader::body(bytes);
    let value = read(&mut r)?;
    r.finish()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(text: &str, f: Read<T>) -> Result<T, crate::ParseError> {
        body(text.as_bytes(), f)
    }

    #[test]
    fn scalars_read_as_the_tree_decoders_read_them() {
        assert_eq!(read(r#""a\"b\u00e9""#, string).unwrap(), "a\"bé");
        assert!(read("true", boolean).unwrap());
        assert_eq!(read("-12", integer::<i8>).unwrap(), -12);
        assert!(read("300", integer::<i8>).is_err());
        assert!(read("1.5", integer::<i32>).is_err());
        assert_eq!(read("1.5e2", double).unwrap(), 150.0);
        assert!(read(r#""NaN""#, double).unwrap().is_nan());
        assert_eq!(read(r#""-Infinity""#, double).unwrap(), f64::NEG_INFINITY);
        assert!(read(r#""nope""#, double).is_err());
        assert_eq!(read(r#""AP8=""#, blob).unwrap(), vec![0x00, 0xff]);
        assert_eq!(
            read("1576540098", timestamp_epoch_seconds).unwrap().secs(),
            1576540098
        );
        assert_eq!(
            read(r#""2019-12-16T23:48:18Z""#, timestamp_date_time)
                .unwrap()
                .secs(),
            1576540098
        );
        assert!(read("1576540098", timestamp_date_time).is_err());
        assert_eq!(
            read(r#"{"a":[1,{"b":null}]}"#, document)
                .unwrap()
                .to_string(),
            r#"{"a":[1,{"b":null}]}"#
        );
        assert_eq!(
            read("123456789012345678901234567890", big_number)
                .unwrap()
                .as_str(),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn containers_skip_nulls_and_unknown_members() {
        assert_eq!(
            read("[1,null,2]", |r| list(r, integer::<i32>)).unwrap(),
            vec![1, 2]
        );
        assert_eq!(
            read("[1,null]", |r| sparse_list(r, integer::<i32>)).unwrap(),
            vec![Some(1), None]
        );
        let m = read(r#"{"a":"x","b":null}"#, |r| map(r, string)).unwrap();
        assert_eq!(m.len(), 1);
        let m = read(r#"{"a":"x","b":null}"#, |r| sparse_map(r, string)).unwrap();
        assert_eq!(m.get("b"), Some(&None));
        // A structure-like read: known keys read, the rest skipped whatever they hold.
        let got = read(
            r#"{"skip":{"deep":[1,[2,{"x":"\u0041"}]],"t":true},"n":7 }"#,
            |r| {
                let mut n = None;
                r.begin_object()?;
                while let Some(key) = r.next_key()? {
                    match &*key {
                        "n" => n = member(r, integer::<i64>)?,
                        _ => r.skip()?,
                    }
                }
                Ok(n)
            },
        )
        .unwrap();
        assert_eq!(got, Some(7));
        assert_eq!(read("  ", |r| r.skip()).map(|_| ()), Ok(()));
    }

    #[test]
    fn errors_name_the_path_and_hostile_input_is_an_error() {
        let err = read(r#"{"Items":[{"N":1},{"N":"x"}]}"#, |r| {
            r.begin_object()?;
            while r.next_key()?.is_some() {
                list(r, |r| {
                    let mut n = 0;
                    r.begin_object()?;
                    while r.next_key()?.is_some() {
                        n = integer::<i32>(r)?;
                    }
                    Ok(n)
                })?;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            crate::ParseError::UnexpectedType {
                path: "/Items/1/N".into(),
                expected: "an integer in range",
                found: "a string"
            }
            .to_string()
        );
        let deep = "[".repeat(100_000);
        assert!(matches!(
            read(&deep, |r| r.skip()),
            Err(crate::ParseError::InvalidJson { .. })
        ));
        for bad in [
            "{",
            "[1,",
            r#"{"a" 1}"#,
            r#"{"a":tru}"#,
            "\"\\x\"",
            "[1] 2",
            "{\"a\":1,}",
            "{,\"a\":1}",
            "[,1]",
            "[1,]",
            "{\"a\":1 \"b\":2}",
            "[1 2]",
            "nul",
        ] {
            assert!(
                matches!(
                    read(bad, |r| r.skip()),
                    Err(crate::ParseError::InvalidJson { .. })
                ),
                "{bad}"
            );
        }
    }
}
