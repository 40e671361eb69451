//! Writes JSON request bodies straight from the generated types into bytes, with no tree.
//!
//! Generated `write_json` methods call the [`Writer`] in document order: `begin_object`, then
//! `key` and a value for each member, then `end_object`. The writer places the commas itself.
//! Its methods are not generic, so a generated crate instantiates nothing per type to encode.

use crate::value::{write_string, write_value, Value};
use crate::{BigNumber, DateTime, TimestampFormat};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A compact JSON writer.
#[derive(Debug)]
pub struct Writer {
    out: String,
    /// The next value or key is the first one in its container: no comma before it.
    first: bool,
    /// A key was just written: its value follows without a comma.
    after_key: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer {
            out: String::new(),
            first: true,
            after_key: false,
        }
    }

    /// The JSON text written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The JSON text, as bytes to send.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }

    fn before_value(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push('{');
        self.first = true;
    }

    /// Closes the object opened last.
    pub fn end_object(&mut self) {
        self.out.push('}');
        self.first = false;
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push('[');
        self.first = true;
    }

    /// Closes the array opened last.
    pub fn end_array(&mut self) {
        self.out.push(']');
        self.first = false;
    }

    /// An object member's key; its value is written next.
    pub fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(&mut self.out, key);
        self.out.push(':');
        self.after_key = true;
    }

    /// `null`.
    pub fn null(&mut self) {
        self.before_value();
        self.out.push_str("null");
    }

    /// A string, escaped.
    pub fn string(&mut self, value: &str) {
        self.before_value();
        write_string(&mut self.out, value);
    }

    /// `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.before_value();
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// An integer (every Smithy integer type fits an `i64`).
    pub fn integer(&mut self, value: i64) {
        self.before_value();
        let _ = write!(self.out, "{value}");
    }

    /// A float or double. `NaN` and the infinities have no JSON number, and are written as the
    /// strings `"NaN"`, `"Infinity"` and `"-Infinity"`, as the JSON protocols say.
    pub fn float(&mut self, value: f64) {
        if value.is_nan() {
            self.string("NaN");
        } else if value == f64::INFINITY {
            self.string("Infinity");
        } else if value == f64::NEG_INFINITY {
            self.string("-Infinity");
        } else {
            self.before_value();
            let start = self.out.len();
            let _ = write!(self.out, "{value}");
            if !self.out[start..].contains(['.', 'e', 'E']) {
                self.out.push_str(".0");
            }
        }
    }

    /// A blob, as base64 text.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.string(&crate::blob::encode(bytes));
    }

    /// A timestamp in `format`: epoch seconds are a number (with a fraction when there is one),
    /// the other formats are strings.
    pub fn timestamp(&mut self, t: &DateTime, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => self.integer(t.secs()),
            TimestampFormat::EpochSeconds => self.float(t.as_secs_f64()),
            other => self.string(&t.format(other)),
        }
    }

    /// A bigInteger or bigDecimal: a number when it is one JSON can hold, else its text.
    pub fn big_number(&mut self, n: &BigNumber) {
        if crate::value::Number::from_text(n.as_str()).is_some() {
            self.before_value();
            self.out.push_str(n.as_str());
        } else {
            self.string(n.as_str());
        }
    }

    /// A document, as it is.
    pub fn document(&mut self, value: &Value) {
        self.before_value();
        write_value(&mut self.out, value);
    }
}

/// A map's entries in key order, so a request body is the same bytes each time.
pub fn sorted<V>(map: &HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut keys: Vec<&String> = map.keys().collect();
    sort_keys(&mut keys);
    keys.into_iter()
        .filter_map(|key| map.get_key_value(key.as_str()))
        .collect()
}

// Not generic, so the sort is instantiated once, whatever the maps' value types.
fn sort_keys(keys: &mut [&String]) {
    keys.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_and_nesting() {
        let mut w = Writer::new();
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.integer(1);
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.null();
        w.end_array();
        w.key("b\"");
        w.begin_object();
        w.key("c");
        w.bool(true);
        w.key("d");
        w.string("x\ny");
        w.end_object();
        w.key("e");
        w.float(1.0);
        w.key("f");
        w.float(f64::NAN);
        w.key("g");
        w.float(-f64::INFINITY);
        w.key("h");
        w.float(2.5e-10);
        w.end_object();
        assert_eq!(
            w.as_str(),
            r#"{"a":[1,{},[],null],"b\"":{"c":true,"d":"x\ny"},"e":1.0,"f":"NaN","g":"-Infinity","h":0.00000000025}"#
        );
        assert!(crate::value::parse(w.as_str().as_bytes()).is_ok());
    }

    #[test]
    fn scalars() {
        let mut w = Writer::new();
        w.begin_array();
        w.blob(b"\x00\xff");
        w.timestamp(&DateTime::from_secs(1), TimestampFormat::EpochSeconds);
        w.timestamp(&DateTime::from_secs(1), TimestampFormat::DateTime);
        w.big_number(&BigNumber::from("12345678901234567890123"));
        w.big_number(&BigNumber::from("not a number"));
        w.document(&crate::value::parse(br#"{"k":[1,"v"]}"#).unwrap());
        w.end_array();
        assert_eq!(
            w.as_str(),
            r#"["AP8=",1,"1970-01-01T00:00:01Z",12345678901234567890123,"not a number",{"k":[1,"v"]}]"#
        );
    }

    #[test]
    fn maps_in_key_order() {
        let map: HashMap<String, i32> = (0..50).map(|i| (format!("k{i:02}"), i)).collect();
        let keys: Vec<&str> = sorted(&map).into_iter().map(|(k, _)| k.as_str()).collect();
        let mut expected = keys.clone();
        expected.sort();
        assert_eq!(keys, expected);
        assert_eq!(keys.len(), 50);
    }
}
