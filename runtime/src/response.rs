//! Reading responses: the request id, and the error code of a restJson1 error response.
//!
//! Headers are looked up case-insensitively (the `http` crate stores names in lower case). Where a
//! header appears more than once, the first value is used; a value that isn't valid UTF-8 is
//! treated as absent rather than guessed at.

use crate::json::{self, Value};

/// The first value of header `name`, trimmed, if it is present and valid UTF-8.
pub fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// The request id AWS sends in `x-amzn-requestid` (or `x-amz-request-id`).
pub fn request_id(headers: &http::HeaderMap) -> Option<String> {
    header(headers, "x-amzn-requestid")
        .or_else(|| header(headers, "x-amz-request-id"))
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// Cleans an error code as restJson1 specifies: only what comes before the first `:` and after
/// the first `#` is kept (`aws.protocoltests#FooError:http://...` is `FooError`).
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = match code.split_once('#') {
        Some((_, name)) => name,
        None => code,
    };
    code.trim()
}

/// The error code of a restJson1 error response: from the `X-Amzn-Errortype` header, else the
/// body's `code`, else its `__type`; cleaned by [`sanitize_error_code`]. Empty codes count as none.
pub fn error_code(headers: &http::HeaderMap, body: Option<&Value>) -> Option<String> {
    let from_body = |key: &str| body.and_then(|b| b.get(key)).and_then(Value::as_str);
    [header(headers, "x-amzn-errortype"), from_body("code"), from_body("__type")]
        .into_iter()
        .flatten()
        .map(sanitize_error_code)
        .find(|code| !code.is_empty())
        .map(str::to_owned)
}

/// The error message in an error body: `message`, `Message` or `errorMessage`, whichever is a
/// string first.
pub fn error_message(body: Option<&Value>) -> Option<String> {
    let body = body?;
    ["message", "Message", "errorMessage"]
        .into_iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
        .map(str::to_owned)
}

/// A decoder of a response body into an output or error type: the parsed body and the request id.
pub type Decoder<T> = fn(&Value, Option<String>) -> Result<T, json::JsonError>;

/// Reads a successful response into an output; a body that doesn't parse is an [`Unhandled`]
/// carrying the reason.
///
/// [`Unhandled`]: crate::Unhandled
pub fn parse_output<T>(status: u16, headers: &http::HeaderMap, body: &[u8], decode: Decoder<T>) -> Result<T, crate::Unhandled> {
    let request_id = request_id(headers);
    json::parse_body(body)
        .and_then(|value| decode(&value, request_id.clone()).map_err(crate::ParseError::from))
        .map_err(|e| crate::Unhandled::new(status, None, None, request_id, body).with_source(e))
}

/// An error response, read once: its parsed body, cleaned error code and request id.
#[derive(Debug, Clone)]
pub struct ErrorResponse<'a> {
    status: u16,
    raw: &'a [u8],
    body: Result<Value, crate::ParseError>,
    code: Option<String>,
    request_id: Option<String>,
}

impl<'a> ErrorResponse<'a> {
    /// Reads the body, code and request id of an error response.
    pub fn read(status: u16, headers: &http::HeaderMap, raw: &'a [u8]) -> Self {
        let body = json::parse_body(raw);
        let code = error_code(headers, body.as_ref().ok());
        ErrorResponse { status, raw, body, code, request_id: request_id(headers) }
    }

    /// The cleaned error code, if the response had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Decodes the body as the modelled error `T`; a body that doesn't fit is [`Unhandled`].
    ///
    /// [`Unhandled`]: crate::Unhandled
    pub fn decode<T>(&self, decode: Decoder<T>) -> Result<T, crate::Unhandled> {
        match &self.body {
            Ok(value) => decode(value, self.request_id.clone())
                .map_err(|e| self.unhandled().with_source(crate::ParseError::from(e))),
            Err(_) => Err(self.unhandled()),
        }
    }

    /// The catch-all error for this response.
    pub fn unhandled(&self) -> crate::Unhandled {
        let message = error_message(self.body.as_ref().ok());
        let unhandled = crate::Unhandled::new(self.status, self.code.clone(), message, self.request_id.clone(), self.raw);
        match &self.body {
            Ok(_) => unhandled,
            Err(e) => unhandled.with_source(e.clone()),
        }
    }
}

/// Error codes AWS uses for throttling.
pub fn is_throttling_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "TransactionInProgressException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "LimitExceededException"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &[u8])]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                http::HeaderValue::from_bytes(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/x"), "FooError");
        assert_eq!(sanitize_error_code("FooError:http://x"), "FooError");
        assert_eq!(sanitize_error_code("a.b#FooError"), "FooError");
        assert_eq!(sanitize_error_code(" FooError "), "FooError");
    }

    #[test]
    fn header_wins_over_body_and_code_over_type() {
        let body: Value = serde_json::from_str(r#"{"code":"B","__type":"C"}"#).unwrap();
        assert_eq!(error_code(&headers(&[("X-Amzn-ErrorType", b" A ")]), Some(&body)).as_deref(), Some("A"));
        assert_eq!(error_code(&headers(&[]), Some(&body)).as_deref(), Some("B"));
        let body: Value = serde_json::from_str(r#"{"__type":"ns#C"}"#).unwrap();
        assert_eq!(error_code(&headers(&[]), Some(&body)).as_deref(), Some("C"));
        assert_eq!(error_code(&headers(&[]), None), None);
    }

    #[test]
    fn odd_headers_are_handled() {
        // Invalid UTF-8 is treated as absent, so the body's code is used.
        let body: Value = serde_json::from_str(r#"{"code":"B"}"#).unwrap();
        let h = headers(&[("x-amzn-errortype", b"\xff\xfe")]);
        assert_eq!(error_code(&h, Some(&body)).as_deref(), Some("B"));
        // Duplicates: the first wins.
        let h = headers(&[("x-amzn-requestid", b"one"), ("X-Amzn-RequestId", b"two")]);
        assert_eq!(request_id(&h).as_deref(), Some("one"));
        assert_eq!(request_id(&headers(&[("x-amzn-requestid", b"  ")])), None);
    }
}
