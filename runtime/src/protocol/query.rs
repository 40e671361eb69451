//! awsQuery (and ec2Query) requests: an `application/x-www-form-urlencoded` body with the
//! operation's `Action`, the service's `Version`, and each input member as a field whose key is
//! its path of names (`Nested.ListArg.member.1`).
//!
//! Generated `write_query` methods call the [`Writer`] with each scalar's whole key; [`key`],
//! [`item_key`] and [`entry_key`] build keys from their parent's. Keys and values are
//! percent-encoded per RFC 3986.

use crate::request::{double_text, float_text, percent_encode_into};
use crate::{BigNumber, DateTime, TimestampFormat};

/// A form-encoded request body.
#[derive(Debug, Clone)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// A body naming the operation (`Action`) and the API version (`Version`).
    pub fn new(action: &str, version: &str) -> Self {
        let mut w = Writer { out: String::new() };
        w.out.push_str("Action=");
        percent_encode_into(&mut w.out, action, false);
        w.out.push_str("&Version=");
        percent_encode_into(&mut w.out, version, false);
        w
    }

    /// The body so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The body, as bytes to send.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }

    /// A field `key=value`.
    pub fn string(&mut self, key: &str, value: &str) {
        self.out.push('&');
        percent_encode_into(&mut self.out, key, false);
        self.out.push('=');
        percent_encode_into(&mut self.out, value, false);
    }

    /// A field with no value (`key=`): how an empty list is sent.
    pub fn empty(&mut self, key: &str) {
        self.string(key, "");
    }

    /// A boolean: `true` or `false`.
    pub fn bool(&mut self, key: &str, value: bool) {
        self.string(key, if value { "true" } else { "false" });
    }

    /// An integer.
    pub fn integer(&mut self, key: &str, value: i64) {
        self.string(key, &value.to_string());
    }

    /// A float, in the shortest text that reads back as the same `f32`; `NaN`, `Infinity`
    /// and `-Infinity` as those words.
    pub fn float(&mut self, key: &str, value: f32) {
        self.string(key, &float_text(value));
    }

    /// A double, as [`Writer::float`] does.
    pub fn double(&mut self, key: &str, value: f64) {
        self.string(key, &double_text(value));
    }

    /// A bigInteger or bigDecimal, as written.
    pub fn big_number(&mut self, key: &str, value: &BigNumber) {
        self.string(key, value.as_str());
    }

    /// A blob, as base64 text.
    pub fn blob(&mut self, key: &str, bytes: &[u8]) {
        self.string(key, &crate::blob::encode(bytes));
    }

    /// A timestamp in `format` (`date-time` unless the model says otherwise).
    pub fn timestamp(&mut self, key: &str, t: &DateTime, format: TimestampFormat) {
        let text = match format {
            TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => t.secs().to_string(),
            TimestampFormat::EpochSeconds => double_text(t.as_secs_f64()),
            other => t.format(other),
        };
        self.string(key, &text);
    }
}

/// The key of member `name` under `prefix` (`prefix.name`, or `name` at the top).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The key of a list's element at `index` (0-based; keys count from 1): `list.member.1`, or
/// `list.1` for a flattened list (`member` empty).
pub fn item_key(list: &str, member: &str, index: usize) -> String {
    if member.is_empty() {
        format!("{list}.{}", index + 1)
    } else {
        format!("{list}.{member}.{}", index + 1)
    }
}

/// The prefix of a map's entry at `index` (0-based): `map.entry.1`, or `map.1` for a flattened
/// map; its key and value are [`key`]s under it.
pub fn entry_key(map: &str, flattened: bool, index: usize) -> String {
    if flattened {
        format!("{map}.{}", index + 1)
    } else {
        format!("{map}.entry.{}", index + 1)
    }
}

/// Opens an XML error body at its `Error` element: `<ErrorResponse><Error>` (awsQuery,
/// restXml), `<Response><Errors><Error>` (ec2Query) or a root `<Error>` (restXml's
/// `noErrorWrapping`, as S3 sends). The reader is then inside it, for the error structure's
/// members.
#[cfg(feature = "xml")]
pub fn error_element(body: &[u8]) -> Result<crate::xml::Reader<'_>, crate::xml::XmlError> {
    let mut r = crate::xml::Reader::new(body)?;
    let root = r.root()?.name().to_owned();
    if root == "Error" {
        return Ok(r);
    }
    loop {
        match r.next_child()? {
            Some(e) if e.name() == "Error" => return Ok(r),
            // ec2Query wraps its errors once more.
            Some(e) if e.name() == "Errors" => continue,
            Some(_) => r.skip()?,
            None if !names_an_error(&root) => {
                return Err(crate::xml::XmlError::new("an error body without `Error`"))
            }
            // A root named after the error (Route 53's `<InvalidChangeBatch>`) holds its members.
            None => {
                let mut r = crate::xml::Reader::new(body)?;
                r.root()?;
                return Ok(r);
            }
        }
    }
}

/// Whether an error body's root element (with no `Error` inside) is named after the error:
/// not one of the protocols' wrappers, and a code as AWS writes them (`InvalidChangeBatch`;
/// an HTML page's `html` is not one).
#[cfg(feature = "xml")]
fn names_an_error(root: &str) -> bool {
    !matches!(root, "ErrorResponse" | "Response")
        && root.starts_with(|c: char| c.is_ascii_uppercase())
}

/// An XML error response of the query protocols, read once: its code, message and request id.
#[cfg(feature = "xml")]
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    response: crate::response::Response<'a>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    malformed: Option<crate::xml::XmlError>,
}

#[cfg(feature = "xml")]
impl<'a> ErrorResponse<'a> {
    /// Whether `body` is an XML document whose root is `<Error>`: how S3 answers `200 OK` to a
    /// `CopyObject`, `UploadPartCopy` or `CompleteMultipartUpload` that failed after it began.
    pub fn is_error_document(body: &[u8]) -> bool {
        crate::xml::Reader::new(body)
            .and_then(|mut r| r.root().map(|root| root.name() == "Error"))
            .unwrap_or(false)
    }

    /// Reads the `Code`, `Message` and `RequestId` of an error response.
    pub fn read(status: u16, headers: &'a http::HeaderMap, body: &'a [u8]) -> Self {
        let response = crate::response::Response::new(status, headers, body);
        let mut out = ErrorResponse {
            request_id: response.request_id(),
            response,
            code: None,
            message: None,
            malformed: None,
        };
        if let Err(e) = out.scan(body) {
            out.malformed = Some(e);
        }
        out
    }

    fn scan(&mut self, body: &'a [u8]) -> Result<(), crate::xml::XmlError> {
        let mut r = crate::xml::Reader::new(body)?;
        let root = r.root()?.name().to_owned();
        if root == "Error" {
            // restXml's `noErrorWrapping`: the root is the error.
            return self.error_fields(&mut r);
        }
        // `<ErrorResponse><Error>..</Error><RequestId>` or
        // `<Response><Errors><Error>..</Error></Errors><RequestID>`.
        let mut depth_names = 0;
        loop {
            match r.next_child()? {
                Some(e) if e.name() == "Errors" => depth_names += 1,
                Some(e) if e.name() == "Error" => self.error_fields(&mut r)?,
                Some(e) if e.name() == "RequestId" || e.name() == "RequestID" => {
                    let id = r.text()?.trim().to_owned();
                    if self.request_id.is_none() && !id.is_empty() {
                        self.request_id = Some(id);
                    }
                }
                Some(_) => r.skip()?,
                None if depth_names > 0 => depth_names -= 1,
                None => {
                    // No `Error` inside: a root named after the error is the code (Route 53's
                    // `<InvalidChangeBatch>`, with its `Messages`).
                    if self.code.is_none() && names_an_error(&root) {
                        self.code = Some(root);
                    }
                    return Ok(());
                }
            }
        }
    }

    /// Reads the `Code`, `Message` (and a `RequestId`) of the `Error` element the reader is in.
    fn error_fields(&mut self, r: &mut crate::xml::Reader<'a>) -> Result<(), crate::xml::XmlError> {
        while let Some(field) = r.next_child()? {
            match field.name() {
                "Code" => self.code = Some(r.text()?.trim().to_owned()),
                "Message" | "message" => self.message = Some(r.text()?.into_owned()),
                "RequestId" => {
                    let id = r.text()?.trim().to_owned();
                    if self.request_id.is_none() && !id.is_empty() {
                        self.request_id = Some(id);
                    }
                }
                _ => r.skip()?,
            }
        }
        Ok(())
    }

    /// The error code (`Code`), if the body has one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Decodes the modelled error the code names; a body that doesn't read is `Unhandled`.
    pub fn decode<T>(&self, decode: crate::response::Decoder<T>) -> Result<T, crate::Unhandled> {
        match decode(&self.response) {
            Ok(error) => Ok(error),
            Err(e) => Err(self.unhandled().with_source(e)),
        }
    }

    /// The catch-all error for this response.
    pub fn unhandled(&self) -> crate::Unhandled {
        let r = &self.response;
        let unhandled = crate::Unhandled::new(
            r.status(),
            self.code.clone(),
            self.message.clone(),
            self.request_id.clone(),
            r.body(),
        );
        match &self.malformed {
            Some(e) => unhandled.with_source(crate::ParseError::from(e.clone())),
            None => unhandled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "xml")]
    #[test]
    fn error_responses_of_both_query_protocols() {
        let headers = http::HeaderMap::new();
        let query = b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code>\
            <Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>";
        let e = ErrorResponse::read(400, &headers, query);
        assert_eq!(e.code(), Some("InvalidGreeting"));
        let u = e.unhandled();
        assert_eq!(u.message(), Some("Hi"));
        assert_eq!(u.request_id(), Some("foo-id"));
        let ec2 = b"<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message>\
            </Error></Errors><RequestID>foo-id</RequestID></Response>";
        let e = ErrorResponse::read(400, &headers, ec2);
        assert_eq!(e.code(), Some("InvalidGreeting"));
        assert_eq!(e.unhandled().request_id(), Some("foo-id"));
        let mut r = error_element(ec2).unwrap();
        assert_eq!(r.next_child().unwrap().unwrap().name(), "Code");
        let bare = b"<Error><Code>NoSuchKey</Code><Message>gone</Message>\
            <RequestId>r-1</RequestId></Error>";
        let e = ErrorResponse::read(404, &headers, bare);
        assert_eq!(e.code(), Some("NoSuchKey"));
        assert_eq!(e.unhandled().request_id(), Some("r-1"));
        let mut r = error_element(bare).unwrap();
        assert_eq!(r.next_child().unwrap().unwrap().name(), "Code");
        let e = ErrorResponse::read(500, &headers, b"<html>oops");
        assert_eq!(e.code(), None);
        assert_eq!(e.unhandled().status(), 500);
        let e = ErrorResponse::read(502, &headers, b"<html><body>Bad gateway</body></html>");
        assert_eq!(e.code(), None);
        // Route 53 names some errors by their root element.
        let route53 = b"<?xml version=\"1.0\"?>\n<InvalidChangeBatch xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
            <Messages><Message>Tried to create a record that already exists</Message></Messages>\
            <RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId></InvalidChangeBatch>";
        let e = ErrorResponse::read(400, &headers, route53);
        assert_eq!(e.code(), Some("InvalidChangeBatch"));
        assert_eq!(
            e.unhandled().request_id(),
            Some("b25f48e8-84fd-11e6-80d9-574e0c4664cb")
        );
        let mut r = error_element(route53).unwrap();
        assert_eq!(r.next_child().unwrap().unwrap().name(), "Messages");
        assert!(error_element(b"<ErrorResponse><Other/></ErrorResponse>").is_err());
    }

    #[test]
    fn fields_are_encoded_in_order() {
        let mut w = Writer::new("QueryLists", "2020-01-08");
        w.string(&item_key("ListArg", "member", 0), "a b&c=d");
        w.empty("Empty");
        w.bool(&key("Nested", "On"), true);
        w.integer(&item_key("Flat", "", 1), -3);
        w.float("F", 10.8);
        w.double("D", f64::NEG_INFINITY);
        w.blob("B", b"value");
        w.timestamp(
            &key(&entry_key("M", false, 0), "value"),
            &DateTime::from_secs(1422172800),
            TimestampFormat::DateTime,
        );
        w.string(&key(&entry_key("M", true, 2), "key"), "é");
        assert_eq!(
            w.as_str(),
            "Action=QueryLists&Version=2020-01-08&ListArg.member.1=a%20b%26c%3Dd&Empty=\
             &Nested.On=true&Flat.2=-3&F=10.8&D=-Infinity&B=dmFsdWU%3D\
             &M.entry.1.value=2015-01-25T08%3A00%3A00Z&M.3.key=%C3%A9"
        );
    }
}
