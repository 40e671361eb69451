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
    [
        header(headers, "x-amzn-errortype"),
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

/// A decoder of a response into an output or error type.
pub type Decoder<T> = fn(&Response<'_>) -> Result<T, crate::ParseError>;

/// Reads a successful response into an output; a body that doesn't parse is an [`Unhandled`]
/// carrying the reason.
///
/// [`Unhandled`]: crate::Unhandled
pub fn parse_output<T>(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    decode: Decoder<T>,
) -> Result<T, crate::Unhandled> {
    decode(&Response::new(status, headers, body)).map_err(|e| {
        crate::Unhandled::new(status, None, None, request_id(headers), body).with_source(e)
    })
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
        self.query = query_error(self.response.headers);
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
        decode(&self.response).map_err(|e| self.unhandled().with_source(e))
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
    fn http_date_lists_keep_their_commas() {
        let h = headers(&[(
            "x-dates",
            b"Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 00:00:01 GMT",
        )]);
        let r = Response::new(200, &h, b"");
        let dates = r.http_date_list("x-dates").unwrap().unwrap();
        assert_eq!(
            dates.iter().map(|d| d.secs()).collect::<Vec<_>>(),
            vec![1576540098, 1576540801]
        );
        let h = headers(&[("x-dates", b"Mon, 16 Dec 2019 23:48:18 GMT, Tue")]);
        assert!(Response::new(200, &h, b"")
            .http_date_list("x-dates")
            .is_err());
        assert_eq!(
            Response::new(200, &h, b"")
                .http_date_list("x-none")
                .unwrap(),
            None
        );
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
    fn odd_headers_are_handled() {
        // Invalid UTF-8 is treated as absent, so the body's code is used.
        let body: Value = crate::value::parse(br#"{"code":"B"}"#).unwrap();
        let h = headers(&[("x-amzn-errortype", b"\xff\xfe")]);
        assert_eq!(error_code(&h, Some(&body)).as_deref(), Some("B"));
        // Duplicates: the first wins.
        let h = headers(&[("x-amzn-requestid", b"one"), ("X-Amzn-RequestId", b"two")]);
        assert_eq!(request_id(&h).as_deref(), Some("one"));
        assert_eq!(request_id(&headers(&[("x-amzn-requestid", b"  ")])), None);
    }
}

/// A response as generated parsers read it: status, headers and body, with the JSON body parsed
/// at most once, on first use.
#[derive(Debug)]
pub struct Response<'a> {
    status: u16,
    headers: &'a http::HeaderMap,
    body: &'a [u8],
    json: std::sync::OnceLock<Result<Value, crate::ParseError>>,
}

impl<'a> Response<'a> {
    /// Wraps the parts of a response.
    pub fn new(status: u16, headers: &'a http::HeaderMap, body: &'a [u8]) -> Self {
        Response {
            status,
            headers,
            body,
            json: std::sync::OnceLock::new(),
        }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The body as JSON (an empty body is `{}`).
    pub fn json(&self) -> Result<&Value, crate::ParseError> {
        self.json
            .get_or_init(|| json::parse_body(self.body))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The body as the JSON object of a structure.
    pub fn json_object(&self) -> Result<&json::Map<String, Value>, crate::ParseError> {
        Ok(json::object(self.json()?)?)
    }

    /// The body as text (`@httpPayload` strings).
    pub fn text(&self) -> Result<String, crate::ParseError> {
        String::from_utf8(self.body.to_vec()).map_err(|_| crate::ParseError::InvalidJson {
            message: "the body is not UTF-8 text".into(),
        })
    }

    /// The request id.
    pub fn request_id(&self) -> Option<String> {
        request_id(self.headers)
    }

    /// Header `name` read with `parse`; absent (or not UTF-8) is `None`.
    pub fn header<T>(
        &self,
        name: &str,
        expected: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, crate::ParseError> {
        match header(self.headers, name) {
            None => Ok(None),
            Some(v) => parse(v)
                .map(Some)
                .ok_or_else(|| crate::ParseError::InvalidHeader {
                    header: name.to_owned(),
                    expected,
                }),
        }
    }

    /// Header `name` as a list: every occurrence, split on commas outside quotes.
    pub fn header_list<T>(
        &self,
        name: &str,
        expected: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<Vec<T>>, crate::ParseError> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        let mut out = Vec::new();
        for value in values {
            for item in split_header_list(value) {
                out.push(
                    parse(&item).ok_or_else(|| crate::ParseError::InvalidHeader {
                        header: name.to_owned(),
                        expected,
                    })?,
                );
            }
        }
        Ok(Some(out))
    }

    /// Header `name` as a list of HTTP dates. Their own commas (`Mon, 16 Dec 2019 ...`) are part
    /// of each date, so the items are every second comma-separated piece, joined back.
    pub fn http_date_list(
        &self,
        name: &str,
    ) -> Result<Option<Vec<crate::DateTime>>, crate::ParseError> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        let invalid = || crate::ParseError::InvalidHeader {
            header: name.to_owned(),
            expected: "HTTP dates",
        };
        let mut out = Vec::new();
        for value in values {
            let pieces = split_header_list(value);
            for pair in pieces.chunks(2) {
                let [day, rest] = pair else {
                    return Err(invalid());
                };
                out.push(
                    crate::DateTime::parse_http_date(&format!("{day}, {rest}"))
                        .map_err(|_| invalid())?,
                );
            }
        }
        Ok(Some(out))
    }

    /// Every header starting with `prefix` (case-insensitively), keyed by the rest of its name.
    pub fn prefix_headers(
        &self,
        prefix: &str,
    ) -> Option<std::collections::HashMap<String, String>> {
        let prefix = prefix.to_ascii_lowercase();
        let map: std::collections::HashMap<String, String> = self
            .headers
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.as_str().strip_prefix(prefix.as_str())?.to_owned(),
                    v.to_str().ok()?.trim().to_owned(),
                ))
            })
            .collect();
        (!map.is_empty()).then_some(map)
    }
}

/// Splits a header list (`a, "b,c", d`) into its items, unquoting quoted ones.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            ',' if !quoted => out.push(std::mem::take(&mut current).trim().to_owned()),
            c => current.push(c),
        }
    }
    out.push(current.trim().to_owned());
    out
}

/// Header text parsers for generated code.
pub mod parse {
    /// A string.
    pub fn string(v: &str) -> Option<String> {
        Some(v.to_owned())
    }
    /// `true` or `false`.
    pub fn boolean(v: &str) -> Option<bool> {
        v.parse().ok()
    }
    /// Any integer type.
    pub fn integer<T: std::str::FromStr>(v: &str) -> Option<T> {
        v.parse().ok()
    }
    /// A double (`NaN`, `Infinity`, `-Infinity` included).
    pub fn double(v: &str) -> Option<f64> {
        match v {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => v.parse().ok(),
        }
    }
    /// A float.
    pub fn float(v: &str) -> Option<f32> {
        double(v).map(|d| d as f32)
    }
    /// An `http-date` timestamp.
    pub fn timestamp_http_date(v: &str) -> Option<crate::DateTime> {
        crate::DateTime::parse_http_date(v).ok()
    }
    /// A `date-time` timestamp.
    pub fn timestamp_date_time(v: &str) -> Option<crate::DateTime> {
        crate::DateTime::parse_date_time(v).ok()
    }
    /// An `epoch-seconds` timestamp.
    pub fn timestamp_epoch_seconds(v: &str) -> Option<crate::DateTime> {
        crate::DateTime::parse_epoch_seconds(v).ok()
    }
    /// A base64 blob (`@mediaType` JSON strings in headers are base64 too).
    pub fn blob(v: &str) -> Option<Vec<u8>> {
        crate::blob::decode(v)
    }
    /// A base64-encoded string (`@mediaType` strings in headers).
    pub fn base64_string(v: &str) -> Option<String> {
        String::from_utf8(crate::blob::decode(v)?).ok()
    }
    /// A big number.
    pub fn big_number(v: &str) -> Option<crate::BigNumber> {
        v.parse::<f64>().ok().map(|_| crate::BigNumber::from(v))
    }
}
