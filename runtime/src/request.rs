//! Building request URIs: an endpoint plus the operation's path, with each label percent-encoded
//! so that its value stays inside its own path segment.

use std::fmt;

/// Why a request could not be built from a validated input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// The endpoint is not an absolute `http`/`https` URL without query or fragment.
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An `@httpLabel` member was empty: the path would lose a segment.
    EmptyLabel {
        /// The member's name in the model.
        member: &'static str,
    },
    /// A label was `.` or `..`, which URL normalisation would turn into a step up or across the
    /// path.
    DotSegmentLabel {
        /// The member's name in the model.
        member: &'static str,
    },
    /// A `@hostLabel` value would not make a valid host name.
    InvalidHostLabel {
        /// The host prefix it produced.
        prefix: String,
    },
    /// A header value contains characters HTTP does not allow (such as a newline).
    InvalidHeaderValue {
        /// The header's name.
        header: String,
    },
    /// The `http` crate refused the request (a bug in generated code if it ever happens).
    Http(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidEndpoint { endpoint, reason } => {
                write!(f, "invalid endpoint `{endpoint}`: {reason}")
            }
            RequestError::EmptyLabel { member } => {
                write!(
                    f,
                    "the URI label `{member}` is empty; it must have at least one character"
                )
            }
            RequestError::DotSegmentLabel { member } => {
                write!(
                    f,
                    "the URI label `{member}` is `.` or `..`, which would change the request path"
                )
            }
            RequestError::InvalidHostLabel { prefix } => {
                write!(f, "the host prefix `{prefix}` is not made of valid host name labels (letters, digits and `-`)")
            }
            RequestError::InvalidHeaderValue { header } => {
                write!(
                    f,
                    "the value for header `{header}` is not a valid HTTP header value"
                )
            }
            RequestError::Http(message) => write!(f, "could not build the HTTP request: {message}"),
        }
    }
}

impl std::error::Error for RequestError {}

/// Percent-encodes `value` into `out` per RFC 3986: every byte but the unreserved
/// `A-Z a-z 0-9 - . _ ~` is encoded; with `keep_slash`, `/` is kept too (greedy labels).
pub fn percent_encode_into(out: &mut String, value: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if unreserved || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
}

/// Builds a request URI from an endpoint and the operation's path.
#[derive(Debug, Clone)]
pub struct UriBuilder {
    buf: String,
    /// Where the path starts in `buf` (after the authority).
    path_start: usize,
    query_started: bool,
}

impl UriBuilder {
    /// Starts from `endpoint`, an absolute `http` or `https` URL that may carry a base path
    /// (`https://example.com/base`, with or without a trailing slash).
    pub fn new(endpoint: &str) -> Result<Self, RequestError> {
        let invalid = |reason| RequestError::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            reason,
        };
        let uri: http::Uri = endpoint
            .parse()
            .map_err(|_| invalid("it is not a valid URL"))?;
        let scheme = match uri.scheme_str() {
            Some(s @ ("http" | "https")) => s,
            Some(_) => return Err(invalid("the scheme must be `http` or `https`")),
            None => return Err(invalid("it must be absolute, such as `https://host`")),
        };
        let authority = uri.authority().ok_or_else(|| invalid("it has no host"))?;
        if uri.query().is_some() {
            return Err(invalid("it must not have a query string"));
        }
        let base = uri.path().trim_end_matches('/');
        let origin = format!("{scheme}://{authority}");
        Ok(UriBuilder {
            path_start: origin.len(),
            buf: origin + base,
            query_started: false,
        })
    }

    /// Puts `prefix` (an `@endpoint(hostPrefix)` with its `@hostLabel`s filled in) before the
    /// endpoint's host. Every label it adds must be 1 to 63 letters, digits or `-`, so that no
    /// input can redirect the request to another host.
    pub fn host_prefix(&mut self, prefix: &str) -> Result<(), RequestError> {
        let labels = prefix.strip_suffix('.').unwrap_or(prefix);
        let valid = labels.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !valid {
            return Err(RequestError::InvalidHostLabel {
                prefix: prefix.to_owned(),
            });
        }
        if let Some(at) = self.buf.find("://") {
            self.buf.insert_str(at + 3, prefix);
            self.path_start += prefix.len();
        }
        Ok(())
    }

    /// Sends the request to the host (and port) of `url` instead of the endpoint's, keeping
    /// the endpoint's scheme and base path: for operations whose input names the host to call
    /// (Amazon Machine Learning's `Predict` and its `PredictEndpoint`).
    pub fn host_of(&mut self, url: &str) -> Result<(), RequestError> {
        let invalid = |reason| RequestError::InvalidEndpoint {
            endpoint: url.to_owned(),
            reason,
        };
        let uri: http::Uri = url.parse().map_err(|_| invalid("it is not a valid URL"))?;
        let authority = uri
            .authority()
            .ok_or_else(|| invalid("it has no host"))?
            .as_str();
        if authority.contains('@') {
            return Err(invalid("it must not carry user information"));
        }
        let Some(start) = self.buf.find("://").map(|i| i + 3) else {
            return Err(invalid("the endpoint has no host"));
        };
        let end = self.buf[start..]
            .find(['/', '?'])
            .map_or(self.buf.len(), |i| start + i);
        self.buf.replace_range(start..end, authority);
        self.path_start = start + authority.len();
        Ok(())
    }

    /// Appends a literal part of the operation's path, as written in the model.
    pub fn literal(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Appends one label, encoded so that it stays one path segment.
    pub fn label(&mut self, member: &'static str, value: &str) -> Result<(), RequestError> {
        if value.is_empty() {
            return Err(RequestError::EmptyLabel { member });
        }
        if value == "." || value == ".." {
            return Err(RequestError::DotSegmentLabel { member });
        }
        percent_encode_into(&mut self.buf, value, false);
        Ok(())
    }

    /// Appends a greedy label (`{Key+}`): it may span segments, so `/` is kept. The value is
    /// sent exactly, `//`, `.` and `..` segments and a leading `/` included: S3's keys are
    /// whatever the user wrote (`/{Bucket}/{Key+}` with key `/a` is `/bucket//a`).
    pub fn greedy_label(&mut self, member: &'static str, value: &str) -> Result<(), RequestError> {
        if value.is_empty() {
            return Err(RequestError::EmptyLabel { member });
        }
        percent_encode_into(&mut self.buf, value, true);
        Ok(())
    }

    /// Starts the query string, or the next parameter of it. A path left empty (S3's
    /// virtual-hosted `/{Bucket}?location`, with the bucket in the host) becomes `/`.
    fn query_separator(&mut self) {
        if !self.query_started && self.buf.len() == self.path_start {
            self.buf.push('/');
        }
        self.buf.push(if self.query_started { '&' } else { '?' });
    }

    /// Appends one query parameter, both parts percent-encoded.
    pub fn query(&mut self, key: &str, value: &str) {
        self.query_separator();
        self.query_started = true;
        percent_encode_into(&mut self.buf, key, false);
        self.buf.push('=');
        percent_encode_into(&mut self.buf, value, false);
    }

    /// Appends a query parameter with no value (`?key`, from a URI pattern such as `/x?list`).
    pub fn query_key(&mut self, key: &str) {
        self.query_separator();
        self.query_started = true;
        percent_encode_into(&mut self.buf, key, false);
    }

    /// The finished URI.
    pub fn finish(mut self) -> Result<http::Uri, RequestError> {
        if self.buf.len() == self.path_start {
            self.buf.push('/');
        }
        self.buf
            .parse()
            .map_err(|e: http::uri::InvalidUri| RequestError::Http(e.to_string()))
    }
}

/// `value` without the first of `prefixes` it starts with (Route 53's `/hostedzone/` ids).
pub fn trim_prefixes<'a>(value: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes
        .iter()
        .find_map(|p| value.strip_prefix(p))
        .unwrap_or(value)
}

/// Finishes a request, turning the `http` crate's error into ours.
pub fn finish_request(
    builder: http::request::Builder,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    // A body is always sent with its length, never chunked: signing and the services need it.
    let builder = if body.is_empty() {
        builder
    } else {
        builder.header(http::header::CONTENT_LENGTH, body.len())
    };
    builder
        .body(body)
        .map_err(|e| RequestError::Http(e.to_string()))
}

/// Adds `Content-MD5` (base64 of the body's MD5), for `@httpChecksumRequired` operations.
pub fn content_md5(builder: http::request::Builder, body: &[u8]) -> http::request::Builder {
    builder.header(
        "content-md5",
        crate::blob::encode(&crate::digest::md5(body)),
    )
}

/// Writes one header value, refusing text HTTP doesn't allow.
pub fn header_value(name: &str, value: &str) -> Result<http::HeaderValue, RequestError> {
    http::HeaderValue::from_str(value).map_err(|_| RequestError::InvalidHeaderValue {
        header: name.to_owned(),
    })
}

/// Joins list items into one header value, quoting items that hold `,` or `"`.
pub fn header_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| {
            if item.contains(',') || item.contains('"') {
                format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                item.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Joins list items into one header value without quoting: for HTTP dates, whose commas are
/// part of the format (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 ...`).
pub fn header_list_unquoted<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

/// A float as restJson1 writes it in URIs and headers: like [`double_text`], with the shortest
/// text that reads back as the same `f32` (`1.1`, not `1.100000023841858`).
pub fn float_text(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        double_text(f64::from(value))
    }
}

/// A double as restJson1 writes it in URIs and headers: `NaN`, `Infinity`, `-Infinity`, or the
/// shortest text that reads back as the same number.
pub fn double_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value == f64::INFINITY {
        "Infinity".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-Infinity".to_owned()
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(endpoint: &str, label: &str) -> Result<String, RequestError> {
        let mut b = UriBuilder::new(endpoint)?;
        b.literal("/things/");
        b.label("Id", label)?;
        b.literal("/x");
        Ok(b.finish()?.to_string())
    }

    #[test]
    fn host_of_takes_the_host_and_port_and_keeps_scheme_and_base_path() {
        let mut b = UriBuilder::new("https://example.com/base").unwrap();
        b.host_of("https://custom.example.com:8443/ignored")
            .unwrap();
        b.literal("/");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://custom.example.com:8443/base/"
        );
        let mut b = UriBuilder::new("https://example.com").unwrap();
        assert!(b.host_of("not a url").is_err());
        assert!(b.host_of("/relative").is_err());
        assert!(b.host_of("https://user@evil.example").is_err());
    }

    #[test]
    fn labels_are_encoded_per_rfc_3986() {
        assert_eq!(
            uri("https://h.example", "arn:aws:x/y z?#%2F~._-").unwrap(),
            "https://h.example/things/arn%3Aaws%3Ax%2Fy%20z%3F%23%252F~._-/x"
        );
        assert_eq!(
            uri("https://h.example", "é").unwrap(),
            "https://h.example/things/%C3%A9/x"
        );
    }

    #[test]
    fn floats_print_as_floats_and_keys_stand_alone() {
        assert_eq!(float_text(1.1), "1.1");
        assert_eq!(float_text(f32::NAN), "NaN");
        assert_eq!(float_text(f32::NEG_INFINITY), "-Infinity");
        assert_eq!(double_text(5.1), "5.1");
        let mut b = UriBuilder::new("https://h.example").unwrap();
        b.literal("/x");
        b.query("foo", "bar");
        b.query_key("hello");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://h.example/x?foo=bar&hello"
        );
    }

    #[test]
    fn checksum_headers() {
        let b = content_md5(http::Request::builder(), b"");
        assert_eq!(
            b.headers_ref().unwrap()["content-md5"],
            "1B2M2Y8AsgTpgAmY7PhCfg=="
        );
    }

    #[test]
    fn bodies_carry_their_length() {
        let r = finish_request(
            http::Request::builder().uri("https://h.example/"),
            b"{}".to_vec(),
        )
        .unwrap();
        assert_eq!(r.headers()["content-length"], "2");
        let r = finish_request(
            http::Request::builder().uri("https://h.example/"),
            Vec::new(),
        )
        .unwrap();
        assert!(!r.headers().contains_key("content-length"));
    }

    #[test]
    fn endpoints_keep_base_paths_and_drop_trailing_slashes() {
        assert_eq!(
            uri("https://h.example/", "a").unwrap(),
            "https://h.example/things/a/x"
        );
        assert_eq!(
            uri("http://h:8080/base/", "a").unwrap(),
            "http://h:8080/base/things/a/x"
        );
        assert_eq!(
            uri("https://h.example/base", "a").unwrap(),
            "https://h.example/base/things/a/x"
        );
    }

    #[test]
    fn bad_endpoints_and_labels_are_errors() {
        assert!(matches!(
            uri("h.example", "a"),
            Err(RequestError::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            uri("ftp://h.example", "a"),
            Err(RequestError::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            uri("https://h.example/?q=1", "a"),
            Err(RequestError::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            uri("", "a"),
            Err(RequestError::InvalidEndpoint { .. })
        ));
        assert_eq!(
            uri("https://h", ""),
            Err(RequestError::EmptyLabel { member: "Id" })
        );
        assert_eq!(
            uri("https://h", ".."),
            Err(RequestError::DotSegmentLabel { member: "Id" })
        );
        assert_eq!(
            uri("https://h", "."),
            Err(RequestError::DotSegmentLabel { member: "Id" })
        );
        assert_eq!(uri("https://h", "...").unwrap(), "https://h/things/.../x");
    }

    #[test]
    fn host_prefixes_are_checked() {
        let mut b = UriBuilder::new("https://service.example").unwrap();
        b.host_prefix("123456789012.data-").unwrap();
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://123456789012.data-service.example/"
        );
        let mut b = UriBuilder::new("https://service.example").unwrap();
        for bad in ["evil.com/", "a b.", "..", "x@y.", ""] {
            assert!(
                matches!(
                    b.host_prefix(bad),
                    Err(RequestError::InvalidHostLabel { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn keys_are_kept_exactly_and_an_empty_path_is_slash() {
        let key = |k: &str| {
            let mut b = UriBuilder::new("https://bucket.s3.us-west-2.amazonaws.com").unwrap();
            b.literal("/");
            b.greedy_label("Key", k).unwrap();
            b.finish().unwrap().to_string()
        };
        assert_eq!(
            key("a b+c"),
            "https://bucket.s3.us-west-2.amazonaws.com/a%20b%2Bc"
        );
        assert_eq!(
            key("//x/../y/./z"),
            "https://bucket.s3.us-west-2.amazonaws.com///x/../y/./z"
        );
        assert_eq!(
            key("é/ü"),
            "https://bucket.s3.us-west-2.amazonaws.com/%C3%A9/%C3%BC"
        );
        // With the bucket in the host, `/{Bucket}?location` keeps only its query.
        let mut b = UriBuilder::new("https://bucket.s3.us-west-2.amazonaws.com").unwrap();
        b.query_key("location");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://bucket.s3.us-west-2.amazonaws.com/?location"
        );
        let b = UriBuilder::new("https://bucket.s3.us-west-2.amazonaws.com").unwrap();
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://bucket.s3.us-west-2.amazonaws.com/"
        );
        // Path style: the endpoint's path is the bucket.
        let mut b = UriBuilder::new("https://s3.us-west-2.amazonaws.com/bucket").unwrap();
        b.query("list-type", "2");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://s3.us-west-2.amazonaws.com/bucket?list-type=2"
        );
        let mut b = UriBuilder::new("https://s3.amazonaws.com").unwrap();
        b.host_prefix("x.").unwrap();
        b.query_key("a");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://x.s3.amazonaws.com/?a"
        );
    }

    #[test]
    fn greedy_labels_keep_slashes_and_queries_are_encoded() {
        let mut b = UriBuilder::new("https://h").unwrap();
        b.literal("/");
        b.greedy_label("Key", "a/b c/d").unwrap();
        b.query("k", "v&w");
        b.query("n", "1");
        assert_eq!(
            b.finish().unwrap().to_string(),
            "https://h/a/b%20c/d?k=v%26w&n=1"
        );
    }
}
