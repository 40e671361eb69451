//! The JSON codec: [`read`] decodes bodies straight into generated types with a pull reader;
//! [`mod@write`] encodes request bodies straight from them; [`parse_body`] parses
//! a body into a tree where one is needed (error bodies, documents). The tree parser
//! ([`crate::value`]) stops at a nesting depth of 128 with an error instead of overflowing the
//! stack, and so does the reader.

pub use crate::value::{Map, Number, Value};

pub mod read;
pub mod write;

pub use write::{sorted, Writer};

use crate::ParseError;

/// A decoding failure, with the path collected on the way out of nested decoders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    // Boxed: decoders return `Result<_, JsonError>` at every step, so the error stays one
    // pointer wide.
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    reversed_path: Vec<String>,
    expected: &'static str,
    found: &'static str,
    /// The body is not JSON: what the parser said.
    syntax: Option<String>,
}

impl JsonError {
    /// `value` is not what the model expects there.
    pub fn unexpected(expected: &'static str, value: &Value) -> Self {
        JsonError::expected_found(expected, kind_of(value))
    }

    /// The value is `found`, where the model expects `expected`.
    pub fn expected_found(expected: &'static str, found: &'static str) -> Self {
        JsonError {
            inner: Box::new(Inner {
                reversed_path: Vec::new(),
                expected,
                found,
                syntax: None,
            }),
        }
    }

    /// The body is not JSON (the parser's message, with line and column).
    pub fn syntax(message: String) -> Self {
        JsonError {
            inner: Box::new(Inner {
                reversed_path: Vec::new(),
                expected: "JSON",
                found: "malformed JSON",
                syntax: Some(message),
            }),
        }
    }

    /// The required member `key` is missing.
    pub fn missing(key: &str) -> Self {
        JsonError {
            inner: Box::new(Inner {
                reversed_path: vec![key.to_owned()],
                expected: "a value",
                found: "nothing",
                syntax: None,
            }),
        }
    }

    fn within(mut self, segment: impl Into<String>) -> Self {
        self.inner.reversed_path.push(segment.into());
        self
    }
}

impl From<JsonError> for ParseError {
    fn from(e: JsonError) -> Self {
        let e = *e.inner;
        if let Some(message) = e.syntax {
            return ParseError::InvalidJson { message };
        }
        let mut path = String::new();
        for segment in e.reversed_path.iter().rev() {
            path.push('/');
            path.push_str(segment);
        }
        if path.is_empty() {
            path.push('/');
        }
        ParseError::UnexpectedType {
            path,
            expected: e.expected,
            found: e.found,
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a response body. An empty (or all-whitespace) body is an empty object, as restJson1
/// allows for outputs with no body members.
pub fn parse_body(body: &[u8]) -> Result<Value, ParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    crate::value::parse(body).map_err(|e| ParseError::InvalidJson {
        message: e.to_string(),
    })
}

/// The object a structure is read from.
pub fn object(value: &Value) -> Result<&Map<String, Value>, JsonError> {
    value
        .as_object()
        .ok_or_else(|| JsonError::unexpected("an object", value))
}

/// A blob as JSON: base64 text.
pub fn blob_value(bytes: &[u8]) -> Value {
    Value::from(crate::blob::encode(bytes))
}

/// A timestamp as JSON in `format`.
pub fn timestamp_value(t: &crate::DateTime, format: crate::TimestampFormat) -> Value {
    match format {
        crate::TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => Value::from(t.secs()),
        crate::TimestampFormat::EpochSeconds => Value::from(t.as_secs_f64()),
        other => Value::from(t.format(other)),
    }
}

/// A bigInteger or bigDecimal as JSON: a number when it is one JSON can hold, else its text.
pub fn big_number_value(n: &crate::BigNumber) -> Value {
    Number::from_text(n.as_str())
        .map(Value::Number)
        .unwrap_or_else(|| Value::from(n.as_str()))
}

/// A double as JSON: `NaN` and the infinities become the strings restJson1 uses.
pub fn double_value(value: f64) -> Value {
    if value.is_nan() {
        Value::from("NaN")
    } else if value == f64::INFINITY {
        Value::from("Infinity")
    } else if value == f64::NEG_INFINITY {
        Value::from("-Infinity")
    } else {
        Value::from(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_empty_invalid_and_deep() {
        assert_eq!(parse_body(b"").unwrap(), Value::Object(Map::new()));
        assert_eq!(parse_body(b" \n").unwrap(), Value::Object(Map::new()));
        assert!(matches!(
            parse_body(b"<html>"),
            Err(ParseError::InvalidJson { .. })
        ));
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_body(deep.as_bytes()),
            Err(ParseError::InvalidJson { .. })
        ));
    }

    #[test]
    fn errors_read_as_paths() {
        let err = JsonError::expected_found("a string", "a number").within("N");
        assert_eq!(
            ParseError::from(err).to_string(),
            "expected a string at `/N` in the response body, found a number"
        );
        assert!(matches!(
            ParseError::from(JsonError::syntax("bad".into())),
            ParseError::InvalidJson { .. }
        ));
    }
}
