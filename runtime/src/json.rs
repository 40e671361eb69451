//! Decoding JSON bodies into generated types.
//!
//! Bodies are parsed into a [`Value`] tree (by [`crate::value`], which stops at a nesting depth
//! of 128 with an error instead of overflowing the stack), then generated decoders read it with
//! the small functions here. Unknown members are ignored; `null` and a missing member both read
//! as absent; a value of the wrong type is an error naming its path.

pub use crate::value::{Map, Number, Value};

use crate::ParseError;

/// A decoder: a plain function (generated code passes functions and non-capturing closures),
/// so each decoder helper is compiled once per value type, not once per call site.
pub type Decode<T> = fn(&Value) -> Result<T, JsonError>;

/// A decoding failure, with the path collected on the way out of nested decoders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    reversed_path: Vec<String>,
    expected: &'static str,
    found: &'static str,
}

impl JsonError {
    /// `value` is not what the model expects there.
    pub fn unexpected(expected: &'static str, value: &Value) -> Self {
        JsonError {
            reversed_path: Vec::new(),
            expected,
            found: kind_of(value),
        }
    }

    /// The required member `key` is missing.
    pub fn missing(key: &str) -> Self {
        JsonError {
            reversed_path: vec![key.to_owned()],
            expected: "a value",
            found: "nothing",
        }
    }

    fn within(mut self, segment: impl Into<String>) -> Self {
        self.reversed_path.push(segment.into());
        self
    }
}

impl From<JsonError> for ParseError {
    fn from(e: JsonError) -> Self {
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

/// Reads member `key` of `object` with `decode`; missing or `null` is `None`.
pub fn member<T>(
    object: &Map<String, Value>,
    key: &str,
    decode: Decode<T>,
) -> Result<Option<T>, JsonError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => decode(value).map(Some).map_err(|e| e.within(key)),
    }
}

/// A string.
pub fn string(value: &Value) -> Result<String, JsonError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| JsonError::unexpected("a string", value))
}

/// A string enum's value: any string (values the model does not list are kept as unknown).
pub fn enumeration<T: for<'a> From<&'a str>>(value: &Value) -> Result<T, JsonError> {
    value
        .as_str()
        .map(T::from)
        .ok_or_else(|| JsonError::unexpected("a string", value))
}

/// An intEnum's value: any integer in range (values the model does not list are kept).
pub fn int_enumeration<T: From<i32>>(value: &Value) -> Result<T, JsonError> {
    integer::<i32>(value).map(T::from)
}

/// A boolean.
pub fn boolean(value: &Value) -> Result<bool, JsonError> {
    value
        .as_bool()
        .ok_or_else(|| JsonError::unexpected("a boolean", value))
}

/// An integer that fits `T` (byte, short, integer or long).
pub fn integer<T: TryFrom<i64>>(value: &Value) -> Result<T, JsonError> {
    value
        .as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| JsonError::unexpected("an integer in range", value))
}

/// A double; `"NaN"`, `"Infinity"` and `"-Infinity"` arrive as strings.
pub fn double(value: &Value) -> Result<f64, JsonError> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| JsonError::unexpected("a number", value))
}

/// A float (read as a double, then narrowed).
pub fn float(value: &Value) -> Result<f32, JsonError> {
    double(value).map(|d| d as f32)
}

/// A list, each element read with `decode`; `null` elements are skipped (dense lists).
pub fn list<T>(value: &Value, decode: Decode<T>) -> Result<Vec<T>, JsonError> {
    let items = value
        .as_array()
        .ok_or_else(|| JsonError::unexpected("an array", value))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !item.is_null() {
            out.push(decode(item).map_err(|e| e.within(i.to_string()))?);
        }
    }
    Ok(out)
}

/// A map from strings, each value read with `decode`; `null` values are skipped (dense maps).
pub fn map<T>(
    value: &Value,
    decode: Decode<T>,
) -> Result<std::collections::HashMap<String, T>, JsonError> {
    let entries = object(value)?;
    let mut out = std::collections::HashMap::with_capacity(entries.len());
    for (key, item) in entries {
        if !item.is_null() {
            out.insert(
                key.clone(),
                decode(item).map_err(|e| e.within(key.clone()))?,
            );
        }
    }
    Ok(out)
}

/// A blob: base64 text.
pub fn blob(value: &Value) -> Result<Vec<u8>, JsonError> {
    value
        .as_str()
        .and_then(crate::blob::decode)
        .ok_or_else(|| JsonError::unexpected("base64 text", value))
}

/// A blob as JSON: base64 text.
pub fn blob_value(bytes: &[u8]) -> Value {
    Value::from(crate::blob::encode(bytes))
}

fn timestamp(value: &Value, format: crate::TimestampFormat) -> Result<crate::DateTime, JsonError> {
    let parsed = match (format, value) {
        (crate::TimestampFormat::EpochSeconds, Value::Number(n)) => {
            n.as_f64().and_then(crate::DateTime::from_secs_f64)
        }
        (_, Value::String(s)) => crate::DateTime::parse(s, format).ok(),
        _ => None,
    };
    parsed.ok_or_else(|| JsonError::unexpected("a timestamp", value))
}

/// An `epoch-seconds` timestamp (a number).
pub fn timestamp_epoch_seconds(value: &Value) -> Result<crate::DateTime, JsonError> {
    timestamp(value, crate::TimestampFormat::EpochSeconds)
}

/// A `date-time` timestamp (an RFC 3339 string).
pub fn timestamp_date_time(value: &Value) -> Result<crate::DateTime, JsonError> {
    timestamp(value, crate::TimestampFormat::DateTime)
}

/// An `http-date` timestamp (an RFC 7231 string).
pub fn timestamp_http_date(value: &Value) -> Result<crate::DateTime, JsonError> {
    timestamp(value, crate::TimestampFormat::HttpDate)
}

/// A timestamp as JSON in `format`.
pub fn timestamp_value(t: &crate::DateTime, format: crate::TimestampFormat) -> Value {
    match format {
        crate::TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => Value::from(t.secs()),
        crate::TimestampFormat::EpochSeconds => Value::from(t.as_secs_f64()),
        other => Value::from(t.format(other)),
    }
}

/// A document: any JSON value.
pub fn document(value: &Value) -> Result<Value, JsonError> {
    Ok(value.clone())
}

/// A bigInteger or bigDecimal: a JSON number (or its text in a string).
pub fn big_number(value: &Value) -> Result<crate::BigNumber, JsonError> {
    match value {
        Value::Number(n) => Ok(crate::BigNumber::from(n.to_string().as_str())),
        Value::String(s) if s.parse::<f64>().is_ok() => Ok(crate::BigNumber::from(s.as_str())),
        _ => Err(JsonError::unexpected("a number", value)),
    }
}

/// A bigInteger or bigDecimal as JSON: a number when it is one JSON can hold, else its text.
pub fn big_number_value(n: &crate::BigNumber) -> Value {
    Number::from_text(n.as_str())
        .map(Value::Number)
        .unwrap_or_else(|| Value::from(n.as_str()))
}

/// A union: an object with exactly one non-null member; returns its key and value.
pub fn union_member(value: &Value) -> Result<(&str, &Value), JsonError> {
    let object = object(value)?;
    // `__type` is a type hint some services add; it is not a member.
    let mut set = object
        .iter()
        .filter(|(k, v)| !v.is_null() && k.as_str() != "__type");
    match (set.next(), set.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        _ => Err(JsonError::unexpected(
            "an object with exactly one member set",
            value,
        )),
    }
}

/// Reads `value` with `decode` (lets generated code apply a decoder without a closure call).
pub fn decode<T>(value: &Value, decode: Decode<T>) -> Result<T, JsonError> {
    decode(value)
}

/// Prefixes errors of a union member's value with its key.
pub fn within<T>(key: &str, result: Result<T, JsonError>) -> Result<T, JsonError> {
    result.map_err(|e| e.within(key))
}

/// A list whose elements may be `null` (`@sparse`).
pub fn sparse_list<T>(value: &Value, decode: Decode<T>) -> Result<Vec<Option<T>>, JsonError> {
    let items = value
        .as_array()
        .ok_or_else(|| JsonError::unexpected("an array", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Null => Ok(None),
            item => decode(item).map(Some).map_err(|e| e.within(i.to_string())),
        })
        .collect()
}

/// A map whose values may be `null` (`@sparse`).
pub fn sparse_map<T>(
    value: &Value,
    decode: Decode<T>,
) -> Result<std::collections::HashMap<String, Option<T>>, JsonError> {
    object(value)?
        .iter()
        .map(|(key, item)| match item {
            Value::Null => Ok((key.clone(), None)),
            item => decode(item)
                .map(|v| (key.clone(), Some(v)))
                .map_err(|e| e.within(key.clone())),
        })
        .collect()
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
    fn enum_values_read_from_strings_and_integers() {
        let v = parse_body(br#"{"E":"NEW_VALUE","I":7,"Big":4294967296,"N":1}"#).unwrap();
        let obj = object(&v).unwrap();
        assert_eq!(
            member(obj, "E", enumeration::<String>).unwrap().as_deref(),
            Some("NEW_VALUE")
        );
        let err = member(obj, "N", enumeration::<String>).unwrap_err();
        assert_eq!(
            ParseError::from(err).to_string(),
            "expected a string at `/N` in the response body, found a number"
        );
        assert_eq!(member(obj, "I", int_enumeration::<i64>).unwrap(), Some(7));
        assert!(
            member(obj, "Big", int_enumeration::<i64>).is_err(),
            "an intEnum is an i32"
        );
    }

    #[test]
    fn members_read_and_paths_are_reported() {
        let v = parse_body(br#"{"A":"x","B":null,"C":{"D":[1,"two"]}}"#).unwrap();
        let obj = object(&v).unwrap();
        assert_eq!(member(obj, "A", string).unwrap().as_deref(), Some("x"));
        assert_eq!(member(obj, "B", string).unwrap(), None);
        assert_eq!(member(obj, "Z", string).unwrap(), None);
        let err = member(obj, "C", |c| {
            member(object(c)?, "D", |d| list(d, integer::<i32>))
        })
        .unwrap_err();
        assert_eq!(
            ParseError::from(err).to_string(),
            "expected an integer in range at `/C/D/1` in the response body, found a string"
        );
    }

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
    fn numbers() {
        let v = parse_body(br#"["NaN", "-Infinity", 1.5, 300]"#).unwrap();
        let items = v.as_array().unwrap();
        assert!(double(&items[0]).unwrap().is_nan());
        assert_eq!(double(&items[1]).unwrap(), f64::NEG_INFINITY);
        assert_eq!(double(&items[2]).unwrap(), 1.5);
        assert!(integer::<i8>(&items[3]).is_err());
        assert_eq!(integer::<i16>(&items[3]).unwrap(), 300);
    }
}
