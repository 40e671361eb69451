//! AWS Signature Version 4 (header signing), over the runtime's own SHA-256 and HMAC
//! ([`crate::digest`]), so signing adds no crate to a user's build and nothing waits for a
//! crypto library to compile.
//!
//! The canonical request follows AWS's specification for services other than S3: the path's
//! dot segments are removed and the path is URI-encoded again (each segment as sent, so a `%20`
//! on the wire is `%2520` here); query parameters are decoded, re-encoded and sorted; header
//! values are trimmed with inner runs of spaces collapsed, repeated headers joined with `,`.
//! Checked against AWS's published SigV4 test suite (see the tests).

use std::fmt;

/// The hex SHA-256 of the empty payload.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// How a service wants its requests signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningOptions {
    /// Remove the path's dot segments before signing (every service but S3).
    pub normalize_path: bool,
    /// Percent-encode the path's segments again (every service but S3; an endpoint's
    /// `disableDoubleEncoding` turns it off).
    pub double_encode: bool,
    /// Send the payload's hash in `x-amz-content-sha256`, signed (S3 requires it).
    pub content_sha256_header: bool,
}

impl SigningOptions {
    /// AWS's specification for services other than S3.
    pub const STANDARD: SigningOptions = SigningOptions {
        normalize_path: true,
        double_encode: true,
        content_sha256_header: false,
    };
    /// S3: the path signed as sent, and `x-amz-content-sha256`.
    pub const S3: SigningOptions = SigningOptions {
        normalize_path: false,
        double_encode: false,
        content_sha256_header: true,
    };
}

impl Default for SigningOptions {
    fn default() -> Self {
        SigningOptions::STANDARD
    }
}

/// Who signs, for which scope, when.
#[derive(Clone)]
pub struct SigningParams<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The session token of temporary credentials; sent as `x-amz-security-token` and signed.
    pub session_token: Option<&'a str>,
    /// The region, such as `us-west-2`.
    pub region: &'a str,
    /// The signing name of the service, such as `gameliftstreams`.
    pub service: &'a str,
    /// The time, as `YYYYMMDD'T'HHMMSS'Z'` (see [`amz_date`]).
    pub amz_date: &'a str,
    /// How the service wants the request signed.
    pub options: SigningOptions,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.map(|_| crate::REDACTED),
            )
            .field("region", &self.region)
            .field("service", &self.service)
            .field("amz_date", &self.amz_date)
            .field("options", &self.options)
            .finish()
    }
}

/// A request's parts as the signer sees them: the path and query as they go on the wire.
#[derive(Debug, Clone)]
pub struct SignableRequest<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path, percent-encoded as sent (`/things/a%20b`).
    pub path: &'a str,
    /// The query string without `?`, as sent (may be empty).
    pub query: &'a str,
    /// Every header to sign (name, value); names in any case, repeated names allowed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The hex SHA-256 of the body.
    pub payload_sha256: &'a str,
}

/// What signing produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `host;x-amz-date;...`.
    pub signed_headers: String,
    /// The hex signature.
    pub signature: String,
    /// The whole `Authorization` header value.
    pub authorization: String,
}

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&crate::digest::sha256(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xF)] as char);
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    crate::digest::hmac_sha256(key, data).to_vec()
}

/// `YYYYMMDD'T'HHMMSS'Z'` for a time in seconds since the Unix epoch.
pub fn amz_date(epoch_seconds: u64) -> String {
    let days = epoch_seconds / 86_400;
    let secs = epoch_seconds % 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Removes `.` and `..` segments (RFC 3986, 5.2.4), keeping a trailing `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => trailing = i == last,
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                trailing = i == last;
            }
            s => {
                out.push(s);
                trailing = false;
            }
        }
    }
    let mut joined = out.join("/");
    if !joined.starts_with('/') {
        joined.insert(0, '/');
    }
    if trailing && !joined.ends_with('/') {
        joined.push('/');
    }
    joined
}

fn encode(out: &mut String, value: &str) {
    crate::request::percent_encode_into(out, value, false);
}

/// Percent-decodes `value` (invalid escapes are kept as they are).
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let h = (bytes[i + 1] as char).to_digit(16);
            let l = (bytes[i + 2] as char).to_digit(16);
            if let (Some(h), Some(l)) = (h, l) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical URI: dot segments removed, then each segment encoded again; or, as S3
/// wants, the path as sent.
pub fn canonical_uri(path: &str, options: SigningOptions) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized = if options.normalize_path {
        remove_dot_segments(path)
    } else {
        path.to_owned()
    };
    if !options.double_encode {
        return normalized;
    }
    let mut out = String::with_capacity(normalized.len() + 8);
    for (i, seg) in normalized.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode(&mut out, seg);
    }
    out
}

/// The canonical query string: each name and value decoded, encoded per RFC 3986, and sorted.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let (mut ek, mut ev) = (String::new(), String::new());
            encode(&mut ek, &decode(k));
            encode(&mut ev, &decode(v));
            (ek, ev)
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as signed: trimmed, inner runs of spaces and tabs collapsed to one space.
fn canonical_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Signs `request` with `params`.
pub fn sign(request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Signature {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), canonical_value(v)))
        .collect();
    // A stable sort keeps repeated headers in the order they were given.
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical_headers = String::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in &headers {
        if names.last() == Some(&name.as_str()) {
            canonical_headers.pop();
            canonical_headers.push(',');
        } else {
            names.push(name);
            canonical_headers.push_str(name);
            canonical_headers.push(':');
        }
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    let signed_headers = names.join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(request.path, params.options),
        canonical_query(request.query),
        canonical_headers,
        signed_headers,
        request.payload_sha256
    );
    let date = params.amz_date.get(..8).unwrap_or(params.amz_date);
    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        params.amz_date,
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac(
        format!("AWS4{}", params.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, params.region.as_bytes());
    let k_service = hmac(&k_region, params.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex(&hmac(&k_signing, string_to_sign.as_bytes()));
    let authorization = format!("AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}", params.access_key_id);
    Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

/// Headers that are never signed: set or changed by proxies and transports.
const UNSIGNED: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "connection",
    "content-length",
];

/// Signs an HTTP request in place: sets `host`, `x-amz-date`, `x-amz-security-token` (with a
/// session token) and `authorization`. Every other header already on it is signed too, except
/// those transports or proxies may change (`user-agent`, `content-length`, ...).
pub fn sign_request(
    request: &mut http::Request<Vec<u8>>,
    params: &SigningParams<'_>,
) -> Result<Signature, String> {
    let uri = request.uri().clone();
    let host = uri.authority().ok_or("the request URI has no host")?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    let host_value = match host.port_u16() {
        Some(p) if Some(p) != default_port => format!("{}:{p}", host.host()),
        _ => host.host().to_owned(),
    };
    let value = |v: &str| {
        http::HeaderValue::from_str(v)
            .map_err(|_| "a signing header value is not a valid header value".to_owned())
    };
    let headers = request.headers_mut();
    headers.insert(http::header::HOST, value(&host_value)?);
    headers.insert("x-amz-date", value(params.amz_date)?);
    headers.remove("x-amz-security-token");
    if let Some(token) = params.session_token {
        headers.insert("x-amz-security-token", value(token)?);
    }
    headers.remove(http::header::AUTHORIZATION);
    let payload = sha256_hex(request.body());
    if params.options.content_sha256_header {
        let v = value(&payload)?;
        request.headers_mut().insert("x-amz-content-sha256", v);
    }
    let pairs: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(name, _)| !UNSIGNED.contains(&name.as_str()))
        .filter_map(|(name, v)| Some((name.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest {
        method: request.method().as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers: &borrowed,
        payload_sha256: &payload,
    };
    let signature = sign(&signable, params);
    let auth = value(&signature.authorization)?;
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, auth);
    Ok(signature)
}

/// The payload hash of a presigned request: the body is whatever the holder of the URL sends.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The longest a presigned URL may live: seven days, as SigV4 allows.
pub const MAX_PRESIGN_SECONDS: u64 = 7 * 24 * 60 * 60;

/// Presigns `request` for `expires_in` seconds (query-string signing): the signature and its
/// parameters (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Security-Token` with a session token, `X-Amz-Signature`) go
/// in the URL, and the payload is `UNSIGNED-PAYLOAD`. `host` and the request's other headers are
/// signed, so whoever uses the URL must send those headers (the returned list) as they are.
pub fn presign(
    request: &http::Request<Vec<u8>>,
    params: &SigningParams<'_>,
    expires_in: u64,
) -> Result<(http::Uri, Vec<(String, String)>), String> {
    if expires_in == 0 || expires_in > MAX_PRESIGN_SECONDS {
        return Err(format!(
            "a presigned URL lives from 1 second to 7 days ({MAX_PRESIGN_SECONDS} s); {expires_in} s was asked for"
        ));
    }
    let uri = request.uri();
    let host = uri.authority().ok_or("the request URI has no host")?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    let host_value = match host.port_u16() {
        Some(p) if Some(p) != default_port => format!("{}:{p}", host.host()),
        _ => host.host().to_owned(),
    };
    let mut headers: Vec<(String, String)> = vec![("host".to_owned(), host_value)];
    for (name, v) in request.headers() {
        if UNSIGNED.contains(&name.as_str()) || name == http::header::HOST {
            continue;
        }
        let v = v
            .to_str()
            .map_err(|_| format!("the header `{name}` is not text"))?;
        headers.push((name.as_str().to_owned(), v.to_owned()));
    }
    let mut names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let signed_headers = names.join(";");
    let date = params.amz_date.get(..8).unwrap_or(params.amz_date);
    let credential = format!(
        "{}/{date}/{}/{}/aws4_request",
        params.access_key_id, params.region, params.service
    );
    let mut query = uri.query().unwrap_or("").to_owned();
    let mut add = |k: &str, v: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(k);
        query.push('=');
        encode(&mut query, v);
    };
    add("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    add("X-Amz-Credential", &credential);
    add("X-Amz-Date", params.amz_date);
    add("X-Amz-Expires", &expires_in.to_string());
    add("X-Amz-SignedHeaders", &signed_headers);
    if let Some(token) = params.session_token {
        add("X-Amz-Security-Token", token);
    }
    let borrowed: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signature = sign(
        &SignableRequest {
            method: request.method().as_str(),
            path: uri.path(),
            query: &query,
            headers: &borrowed,
            payload_sha256: UNSIGNED_PAYLOAD,
        },
        params,
    );
    query.push_str("&X-Amz-Signature=");
    query.push_str(&signature.signature);
    let scheme = uri.scheme_str().unwrap_or("https");
    let url = format!("{scheme}://{host}{}?{query}", uri.path());
    let url = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    headers.remove(0);
    Ok((url, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    // AWS's SigV4 test suite (aws-sig-v4-test-suite): these credentials, this time, this scope,
    // host example.amazonaws.com; each case's expected signature is the suite's published one.
    const PARAMS: SigningParams<'static> = SigningParams {
        access_key_id: "AKIDEXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token: None,
        region: "us-east-1",
        service: "service",
        amz_date: "20150830T123600Z",
        options: SigningOptions::STANDARD,
    };
    const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    fn suite(
        method: &str,
        path: &str,
        query: &str,
        extra: &[(&str, &str)],
        body: &[u8],
        params: &SigningParams<'_>,
    ) -> Signature {
        let mut headers = vec![
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ];
        headers.extend_from_slice(extra);
        let payload = sha256_hex(body);
        sign(
            &SignableRequest {
                method,
                path,
                query,
                headers: &headers,
                payload_sha256: &payload,
            },
            params,
        )
    }

    fn check(name: &str, s: &Signature, signed_headers: &str, signature: &str) {
        assert_eq!(
            s.authorization,
            format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed_headers}, Signature={signature}"),
            "{name}:\n{}",
            s.canonical_request
        );
    }

    #[test]
    fn vanilla_cases() {
        let s = suite("GET", "/", "", &[], b"", &PARAMS);
        assert_eq!(
            sha256_hex(s.canonical_request.as_bytes()),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
        check(
            "get-vanilla",
            &s,
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        );
        check(
            "post-vanilla",
            &suite("POST", "/", "", &[], b"", &PARAMS),
            "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        );
        check(
            "get-unreserved",
            &suite(
                "GET",
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                "",
                &[],
                b"",
                &PARAMS,
            ),
            "host;x-amz-date",
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
        );
        let form = suite(
            "POST",
            "/",
            "",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            b"Param1=value1",
            &PARAMS,
        );
        check(
            "post-x-www-form-urlencoded",
            &form,
            "content-type;host;x-amz-date",
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
        );
    }

    #[test]
    fn query_cases() {
        let q = |query: &str| suite("GET", "/", query, &[], b"", &PARAMS);
        check(
            "get-vanilla-empty-query-key",
            &q("Param1=value1"),
            "host;x-amz-date",
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
        );
        check(
            "get-vanilla-query-order-key",
            &q("Param1=value2&Param1=Value1"),
            "host;x-amz-date",
            "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
        );
        check(
            "get-vanilla-query-order-key-case",
            &q("Param2=value2&Param1=value1"),
            "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        );
        check(
            "get-vanilla-query-order-value",
            &q("Param1=value2&Param1=value1"),
            "host;x-amz-date",
            "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694",
        );
        let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        check(
            "get-vanilla-query-unreserved",
            &q(&format!("{unreserved}={unreserved}")),
            "host;x-amz-date",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
        );
        check(
            "post-vanilla-query",
            &suite("POST", "/", "Param1=value1", &[], b"", &PARAMS),
            "host;x-amz-date",
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        );
    }

    #[test]
    fn header_cases() {
        let dup = suite(
            "GET",
            "/",
            "",
            &[
                ("My-Header1", "value2"),
                ("My-Header1", "value2"),
                ("My-Header1", "value1"),
            ],
            b"",
            &PARAMS,
        );
        assert!(dup
            .canonical_request
            .contains("\nmy-header1:value2,value2,value1\n"));
        check(
            "get-header-key-duplicate",
            &dup,
            "host;my-header1;x-amz-date",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
        );
        let order = suite(
            "GET",
            "/",
            "",
            &[
                ("My-Header1", "value4"),
                ("My-Header1", "value1"),
                ("My-Header1", "value3"),
                ("My-Header1", "value2"),
            ],
            b"",
            &PARAMS,
        );
        check(
            "get-header-value-order",
            &order,
            "host;my-header1;x-amz-date",
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
        );
        let trim = suite(
            "GET",
            "/",
            "",
            &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
            b"",
            &PARAMS,
        );
        check(
            "get-header-value-trim",
            &trim,
            "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
        );
    }

    #[test]
    fn path_normalisation_cases() {
        for path in [
            "/example/..",
            "/example1/example2/../..",
            "/./",
            "/example/../",
        ] {
            let s = suite("GET", path, "", &[], b"", &PARAMS);
            assert!(
                s.canonical_request.starts_with("GET\n/\n"),
                "{path}: {}",
                s.canonical_request
            );
            check(
                path,
                &s,
                "host;x-amz-date",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            );
        }
        check(
            "get-space",
            &suite("GET", "/example space/", "", &[], b"", &PARAMS),
            "host;x-amz-date",
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
        );
        // On the wire a space is `%20`; the canonical URI encodes it again.
        assert_eq!(
            canonical_uri("/example%20space/", SigningOptions::STANDARD),
            "/example%2520space/"
        );
    }

    #[test]
    fn s3_signs_the_path_as_sent() {
        // The GET Object example of S3's "Signature Calculations for the Authorization Header"
        // page, with its published signature.
        let mut request = http::Request::builder()
            .uri("https://examplebucket.s3.amazonaws.com/test.txt")
            .header("range", "bytes=0-9")
            .body(Vec::new())
            .unwrap();
        let params = SigningParams {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "s3",
            amz_date: "20130524T000000Z",
            options: SigningOptions::S3,
        };
        let s = sign_request(&mut request, &params).unwrap();
        assert_eq!(
            s.signed_headers,
            "host;range;x-amz-content-sha256;x-amz-date"
        );
        assert_eq!(
            s.signature,
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        assert_eq!(
            request.headers()["x-amz-content-sha256"],
            EMPTY_PAYLOAD_SHA256
        );
        // Keys are signed exactly as sent: no dot-segment removal, no second encoding.
        let s3 = SigningOptions::S3;
        assert_eq!(canonical_uri("/b/../a%20b//c", s3), "/b/../a%20b//c");
        assert_eq!(canonical_uri("", s3), "/");
        let no_double = SigningOptions {
            double_encode: false,
            ..SigningOptions::STANDARD
        };
        assert_eq!(canonical_uri("/a/./b/../c%20d", no_double), "/a/c%20d");
    }

    #[test]
    fn session_token_case() {
        let with_token = SigningParams {
            session_token: Some(TOKEN),
            ..PARAMS
        };
        let s = suite(
            "POST",
            "/",
            "",
            &[("X-Amz-Security-Token", TOKEN)],
            b"",
            &with_token,
        );
        check(
            "post-sts-header-before",
            &s,
            "host;x-amz-date;x-amz-security-token",
            "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
        );
        assert!(!format!("{with_token:?}").contains("wJalr"));
        assert!(!format!("{with_token:?}").contains("AQoDYX"));
    }

    #[test]
    fn signing_an_http_request() {
        let mut request = http::Request::builder()
            .method("POST")
            .uri("https://example.amazonaws.com/")
            .body(Vec::new())
            .unwrap();
        request
            .headers_mut()
            .insert("user-agent", http::HeaderValue::from_static("swage"));
        let params = SigningParams {
            session_token: Some(TOKEN),
            ..PARAMS
        };
        let s = sign_request(&mut request, &params).unwrap();
        assert_eq!(
            s.signature,
            "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
        );
        assert_eq!(request.headers()["host"], "example.amazonaws.com");
        assert_eq!(request.headers()["x-amz-security-token"], TOKEN);
        assert_eq!(
            request.headers()["authorization"].to_str().unwrap(),
            s.authorization
        );
        let mut local = http::Request::builder()
            .uri("http://127.0.0.1:8080/a?b=c")
            .body(Vec::new())
            .unwrap();
        sign_request(&mut local, &PARAMS).unwrap();
        assert_eq!(local.headers()["host"], "127.0.0.1:8080");
    }

    #[test]
    fn presigned_get_object() {
        // The presigned URL example of S3's "Authenticating Requests: Using Query Parameters"
        // page, with its published signature.
        let request = http::Request::builder()
            .uri("https://examplebucket.s3.amazonaws.com/test.txt")
            .body(Vec::new())
            .unwrap();
        let params = SigningParams {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "s3",
            amz_date: "20130524T000000Z",
            options: SigningOptions::S3,
        };
        let (url, headers) = presign(&request, &params, 86400).unwrap();
        assert_eq!(
            url.to_string(),
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        assert!(headers.is_empty());
        assert!(presign(&request, &params, 0).is_err());
        assert!(presign(&request, &params, MAX_PRESIGN_SECONDS + 1).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(951_782_400), "20000229T000000Z");
    }
}
