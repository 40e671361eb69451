//! The error rules of the JSON protocols (restJson1, awsJson1_0, awsJson1_1): where an error
//! response's code is (`X-Amzn-Errortype`, the body's `code`, `__type`), how it is cleaned, the
//! message, and `aws.protocols#awsQueryCompatible`'s `x-amzn-query-error`.

use crate::response::{Decoder, Response};
use crate::value::Value;

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
    [
        crate::response::header(headers, "x-amzn-errortype"),
        from_body("code"),
        from_body("__type"),
    ]
    .into_iter()
    .flatten()
    .map(sanitize_error_code)
    .find(|code| !code.is_empty())
    .map(str::to_owned)
}

/// `x-amzn-query-error: Code;Fault`: the awsQuery code and fault (`Sender` or `Receiver`) of an
/// `aws.protocols#awsQueryCompatible` service's error. `None` when the header is absent, not
/// text, or has no `;` or an empty code.
pub fn query_error(headers: &http::HeaderMap) -> Option<(String, String)> {
    let value = headers.get("x-amzn-query-error")?.to_str().ok()?;
    let (code, fault) = value.split_once(';')?;
    let code = code.trim();
    (!code.is_empty()).then(|| (code.to_owned(), fault.trim().to_owned()))
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

/// An error response, read once: its parsed body, cleaned error code and request id.
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    response: Response<'a>,
    code: Option<String>,
    /// `x-amzn-query-error`'s code and fault, read by [`ErrorResponse::with_query_error`].
    query: Option<(String, String)>,
}

impl<'a> ErrorResponse<'a> {
    /// Reads the body, code and request id of an error response.
    pub fn read(status: u16, headers: &'a http::HeaderMap, raw: &'a [u8]) -> Self {
        let response = Response::new(status, headers, raw);
        let code = error_code(headers, response.json().ok());
        ErrorResponse {
            response,
            code,
            query: None,
        }
    }

    /// Reads the `x-amzn-query-error` header (`Code;Fault`) that services with
    /// `aws.protocols#awsQueryCompatible` add to their error responses. Its code becomes the
    /// [`Unhandled`](crate::Unhandled)'s code, as it was when the service spoke awsQuery.
    pub fn with_query_error(mut self) -> Self {
        self.query = query_error(self.response.headers());
        self
    }

    /// The awsQuery error code from `x-amzn-query-error`, if read and present.
    pub fn query_code(&self) -> Option<&str> {
        self.query.as_ref().map(|(code, _)| code.as_str())
    }

    /// The cleaned error code, if the response had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Decodes the body as the modelled error `T`; a body that doesn't fit is [`Unhandled`].
    ///
    /// [`Unhandled`]: crate::Unhandled
    pub fn decode<T>(&self, decode: Decoder<T>) -> Result<T, crate::Unhandled> {
        match decode(&self.response) {
            Ok(error) => Ok(error),
            Err(e) => Err(self.unhandled().with_source(e)),
        }
    }

    /// The catch-all error for this response.
    pub fn unhandled(&self) -> crate::Unhandled {
        let r = &self.response;
        let body = r.json();
        let message = error_message(body.as_ref().ok().copied());
        let code = match &self.query {
            Some((code, _)) => Some(code.clone()),
            None => self.code.clone(),
        };
        let mut unhandled =
            crate::Unhandled::new(r.status(), code, message, r.request_id(), r.body());
        if let Some((_, fault)) = &self.query {
            unhandled = unhandled.with_fault(fault);
        }
        match body {
            Ok(_) => unhandled,
            Err(e) => unhandled.with_source(e),
        }
    }
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
    fn query_errors_give_code_and_fault() {
        let h = headers(&[
            (
                "x-amzn-query-error",
                b"AWS.SimpleQueueService.NonExistentQueue;Sender",
            ),
            ("x-amzn-errortype", b"com.amazonaws.sqs#QueueDoesNotExist"),
        ]);
        let r = ErrorResponse::read(400, &h, b"{}");
        assert_eq!(r.code(), Some("QueueDoesNotExist"));
        assert_eq!(r.query_code(), None, "read only when asked");
        let r = r.with_query_error();
        assert_eq!(
            r.query_code(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        let u = r.unhandled();
        assert_eq!(u.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(u.fault(), Some("Sender"));
        for bad in [&b"NoSemicolon"[..], b";Sender", b"\xff;x"] {
            let h = headers(&[("x-amzn-query-error", bad)]);
            assert_eq!(query_error(&h), None, "{bad:?}");
        }
        let none = headers(&[]);
        let r = ErrorResponse::read(400, &none, b"{}").with_query_error();
        assert_eq!(r.unhandled().fault(), None);
    }

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/x"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError:http://x"), "FooError");
        assert_eq!(sanitize_error_code("a.b#FooError"), "FooError");
        assert_eq!(sanitize_error_code(" FooError "), "FooError");
    }

    #[test]
    fn header_wins_over_body_and_code_over_type() {
        let body: Value = crate::value::parse(br#"{"code":"B","__type":"C"}"#).unwrap();
        assert_eq!(
            error_code(&headers(&[("X-Amzn-ErrorType", b" A ")]), Some(&body)).as_deref(),
            Some("A")
        );
        assert_eq!(error_code(&headers(&[]), Some(&body)).as_deref(), Some("B"));
        let body: Value = crate::value::parse(br#"{"__type":"ns#C"}"#).unwrap();
        assert_eq!(error_code(&headers(&[]), Some(&body)).as_deref(), Some("C"));
        assert_eq!(error_code(&headers(&[]), None), None);
    }

    #[test]
    fn an_unreadable_header_counts_as_absent() {
        // Invalid UTF-8 is treated as absent, so the body's code is used.
        let body: Value = crate::value::parse(br#"{"code":"B"}"#).unwrap();
        let h = headers(&[("x-amzn-errortype", b"\xff\xfe")]);
        assert_eq!(error_code(&h, Some(&body)).as_deref(), Some("B"));
    }
}
