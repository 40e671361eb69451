//! A small JSON value with its own parser and writer, so generated crates need no serde.
//!
//! Parsing is iterative over a byte slice with an explicit depth limit (128, like serde_json's),
//! so hostile nesting is an error and never a stack overflow, and time is linear in the input.
//! Numbers keep their original text, so `bigInteger`/`bigDecimal` values lose no precision.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// A JSON object: keys sorted, so output is deterministic.
pub type Map<K = String, V = Value> = BTreeMap<K, V>;

/// A JSON number, kept as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    text: String,
}

impl Number {
    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }

    /// The number as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse().ok()
    }

    /// The number as an `f64` (always, possibly rounded).
    pub fn as_f64(&self) -> Option<f64> {
        self.text.parse().ok()
    }

    /// A number from its JSON text, if the text is a JSON number.
    pub fn from_text(text: &str) -> Option<Number> {
        let mut p = Parser {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let n = p.number().ok()?;
        (p.pos == text.len()).then_some(n)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    /// The number as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }
    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
    /// Member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(Number { text: n.to_string() })
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<f64> for Value {
    /// Finite numbers become JSON numbers; NaN and the infinities have no JSON form and become
    /// `null` (restJson1 writes them as strings, which [`crate::json::double_value`] does).
    fn from(n: f64) -> Self {
        if n.is_finite() {
            let mut text = n.to_string();
            if !text.contains(['.', 'e', 'E']) {
                text.push_str(".0");
            }
            Value::Number(Number { text })
        } else {
            Value::Null
        }
    }
}

pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.text),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(&mut out, self);
        f.write_str(&out)
    }
}

/// Why text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: &'static str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in bytes).
    pub column: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

/// The deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

pub(crate) struct Parser<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

enum Frame {
    Array(Vec<Value>),
    Object(Map, Option<String>),
}

impl<'a> Parser<'a> {
    pub(crate) fn error(&self, message: &'static str) -> SyntaxError {
        let upto = &self.bytes[..self.pos.min(self.bytes.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        SyntaxError {
            message,
            line,
            column,
        }
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn literal(&mut self, word: &'static [u8], v: Value) -> Result<Value, SyntaxError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// The text of the number at the cursor, which moves past it.
    pub(crate) fn number_text(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        let bytes: &'a [u8] = self.bytes;
        // Only ASCII digits, signs, `.` and `e` were consumed.
        std::str::from_utf8(&bytes[start..self.pos]).map_err(|_| self.error("invalid number"))
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        self.number_text().map(|text| Number {
            text: text.to_owned(),
        })
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("invalid escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid escape"))?;
        let n = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid escape"))?;
        self.pos += 4;
        Ok(n)
    }

    pub(crate) fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let chunk = std::str::from_utf8(&self.bytes[start..self.pos])
                .map_err(|_| self.error("invalid UTF-8 in string"))?;
            out.push_str(chunk);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error("lone surrogate in string"));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("lone surrogate in string"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(
                                char::from_u32(c)
                                    .ok_or_else(|| self.error("lone surrogate in string"))?,
                            );
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// A scalar, or `None` after pushing a frame for an opening bracket.
    fn open_or_scalar(&mut self, stack: &mut Vec<Frame>) -> Result<Option<Value>, SyntaxError> {
        self.skip_ws();
        match self.peek() {
            Some(b'[') | Some(b'{') => {
                if stack.len() >= MAX_DEPTH {
                    return Err(self.error("nesting too deep"));
                }
                let array = self.peek() == Some(b'[');
                self.pos += 1;
                stack.push(if array {
                    Frame::Array(Vec::new())
                } else {
                    Frame::Object(Map::new(), None)
                });
                Ok(None)
            }
            Some(b'"') => self.string().map(|s| Some(Value::String(s))),
            Some(b't') => self.literal(b"true", Value::Bool(true)).map(Some),
            Some(b'f') => self.literal(b"false", Value::Bool(false)).map(Some),
            Some(b'n') => self.literal(b"null", Value::Null).map(Some),
            Some(b'-' | b'0'..=b'9') => self.number().map(|n| Some(Value::Number(n))),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    pub(crate) fn parse(&mut self) -> Result<Value, SyntaxError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut done: Option<Value> = None;
        'outer: loop {
            // Start a value: a scalar completes at once; a bracket opens a frame.
            if done.is_none() {
                // An empty array or object closes right away.
                self.skip_ws();
                let closing = match (stack.last(), self.peek()) {
                    (Some(Frame::Array(a)), Some(b']')) if a.is_empty() => true,
                    (Some(Frame::Object(m, None)), Some(b'}')) if m.is_empty() => true,
                    _ => false,
                };
                if !closing {
                    if let Some(Frame::Object(_, key @ None)) = stack.last_mut() {
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("expected a string key"));
                        }
                        *key = Some(self.string()?);
                        self.skip_ws();
                        if self.peek() != Some(b':') {
                            return Err(self.error("expected `:`"));
                        }
                        self.pos += 1;
                    }
                    match self.open_or_scalar(&mut stack)? {
                        Some(v) => done = Some(v),
                        None => continue 'outer,
                    }
                }
            }
            // Attach the finished value (or close an empty container) and look for `,` or a close.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return done.ok_or_else(|| self.error("expected a value"));
                };
                if let Some(v) = done.take() {
                    match frame {
                        Frame::Array(items) => items.push(v),
                        Frame::Object(map, key) => {
                            if let Some(k) = key.take() {
                                map.insert(k, v);
                            }
                        }
                    }
                }
                self.skip_ws();
                let is_array = matches!(frame, Frame::Array(_));
                match (self.peek(), is_array) {
                    (Some(b','), _) => {
                        self.pos += 1;
                        continue 'outer;
                    }
                    (Some(b']'), true) | (Some(b'}'), false) => {
                        self.pos += 1;
                        let closed = match stack.pop() {
                            Some(Frame::Array(items)) => Value::Array(items),
                            Some(Frame::Object(map, _)) => Value::Object(map),
                            None => return Err(self.error("unbalanced brackets")),
                        };
                        done = Some(closed);
                    }
                    (None, _) => return Err(self.error("unexpected end of input")),
                    _ => {
                        return Err(self.error(if is_array {
                            "expected `,` or `]`"
                        } else {
                            "expected `,` or `}`"
                        }))
                    }
                }
            }
        }
    }
}

/// Parses one JSON document (surrounding white space allowed).
pub fn parse(bytes: &[u8]) -> Result<Value, SyntaxError> {
    let mut p = Parser { bytes, pos: 0 };
    let v = p.parse()?;
    p.skip_ws();
    if p.pos != bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(v)
}

impl Drop for Value {
    /// Dropping deeply nested values iteratively, so a value built by hand can't overflow the
    /// stack either.
    fn drop(&mut self) {
        let mut stack: Vec<Value> = Vec::new();
        match self {
            Value::Array(items) if !items.is_empty() => stack.append(items),
            Value::Object(map) if !map.is_empty() => {
                stack.extend(std::mem::take(map).into_values())
            }
            _ => return,
        }
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::Array(items) => stack.append(items),
                Value::Object(map) => stack.extend(std::mem::take(map).into_values()),
                _ => {}
            }
        }
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;
    fn index(&self, i: usize) -> &Value {
        static NULL: Value = Value::Null;
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let text =
            r#"{"a":[1,-2.5e3,true,false,null,"x\"y\\z\n\u00e9\ud83d\udc4d"],"b":{},"c":[]}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(v.get("a").and_then(|a| a.as_array()).map(Vec::len), Some(6));
        assert_eq!(v["a"][5].as_str(), Some("x\"y\\z\né👍"));
        assert_eq!(
            v.to_string(),
            r#"{"a":[1,-2.5e3,true,false,null,"x\"y\\z\né👍"],"b":{},"c":[]}"#
        );
        assert_eq!(parse(v.to_string().as_bytes()).unwrap(), v);
        assert_eq!(parse(b" [ ] ").unwrap(), Value::Array(vec![]));
        assert_eq!(
            parse(b"12345678901234567890.5").unwrap().to_string(),
            "12345678901234567890.5"
        );
    }

    #[test]
    fn errors_have_positions() {
        for bad in [
            &b""[..],
            b"{",
            b"[1,]",
            b"{\"a\" 1}",
            b"{1:2}",
            b"01",
            b"1.",
            b"\"\\x\"",
            b"tru",
            b"[1] 2",
            b"\"\xff\"",
            b"\"a\nb\"",
            b"\"\\ud800\"",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let e = parse(b"{\n  \"a\": ]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(deep.as_bytes()).unwrap_err().message,
            "nesting too deep"
        );
        // A deep value built by hand drops without overflowing the stack.
        let mut v = Value::Null;
        for _ in 0..200_000 {
            v = Value::Array(vec![v]);
        }
        drop(v);
    }

    #[test]
    fn floats() {
        assert_eq!(Value::from(1.0).to_string(), "1.0");
        assert_eq!(Value::from(0.1).to_string(), "0.1");
        assert_eq!(Value::from(f64::NAN), Value::Null);
    }
}
