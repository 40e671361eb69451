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
    // The error path is a plain function, so that it is compiled once and not per output.
    match decode(&Response::new(status, headers, body)) {
        Ok(output) => Ok(output),
        Err(e) => Err(unreadable(status, headers, body, e)),
    }
}

fn unreadable(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    e: crate::ParseError,
) -> crate::Unhandled {
    crate::Unhandled::new(status, None, None, request_id(headers), body).with_source(e)
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
    fn duplicate_request_ids_take_the_first() {
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

    /// The response headers.
    pub fn headers(&self) -> &'a http::HeaderMap {
        self.headers
    }

    /// The HTTP status code.
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
