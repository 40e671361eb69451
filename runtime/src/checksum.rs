//! Flexible checksums (`aws.protocols#httpChecksum`): the request's payload checksum in
//! `x-amz-checksum-{algorithm}`, and the response's checked against its own.
//!
//! Supported algorithms: CRC32, CRC32C, CRC64NVME, SHA1, SHA256 and MD5, all written here
//! (table-driven CRCs, SHA-1; SHA-256 and MD5 from [`crate::digest`]), so checksums add no crate
//! to a user's build. SHA512 and the XXHASH family are refused with a clear error, as the spec
//! says a client must for an algorithm it does not support.

use std::fmt;

/// An operation's `aws.protocols#httpChecksum` trait, as the client applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpChecksum {
    /// The request header of the `requestAlgorithmMember` (S3: `x-amz-sdk-checksum-algorithm`):
    /// the algorithm the caller chose, and where the client records its default.
    pub algorithm_header: Option<&'static str>,
    /// `requestChecksumRequired`: a request always carries a checksum.
    pub request_required: bool,
    /// The request header of the `requestValidationModeMember` (S3: `x-amz-checksum-mode`):
    /// `ENABLED` asks the service for response checksums, which the client then validates.
    pub validation_header: Option<&'static str>,
    /// `responseAlgorithms`: the response checksums the client may validate.
    pub response_algorithms: &'static [&'static str],
}

/// When requests carry a checksum (`AWS_REQUEST_CHECKSUM_CALCULATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestChecksumCalculation {
    /// Every operation with `httpChecksum` request behaviour: the caller's algorithm, else
    /// CRC32 (the AWS SDKs' default).
    #[default]
    WhenSupported,
    /// Only where the operation requires one (`requestChecksumRequired`) or the caller chose
    /// an algorithm: for S3-compatible stores that reject the `x-amz-checksum-*` headers.
    WhenRequired,
}

/// When responses are validated (`AWS_RESPONSE_CHECKSUM_VALIDATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseChecksumValidation {
    /// Every operation with a validation mode member: the client asks for checksums
    /// (`ENABLED`) unless the caller set the member, and validates what comes back.
    #[default]
    WhenSupported,
    /// Only where the caller set the validation mode member to `ENABLED`.
    WhenRequired,
}

/// The algorithms swage computes, in the order a response's checksums are preferred.
const SUPPORTED: [&str; 6] = ["CRC32C", "CRC32", "CRC64NVME", "SHA1", "SHA256", "MD5"];

/// The checksum header of `algorithm` (`x-amz-checksum-crc32`).
pub fn header_name(algorithm: &str) -> String {
    format!("x-amz-checksum-{}", algorithm.to_ascii_lowercase())
}

/// The base64 checksum of `body` with `algorithm` (upper case, as the trait names it), or
/// `None` for an algorithm swage does not compute.
pub fn compute(algorithm: &str, body: &[u8]) -> Option<String> {
    let bytes: Vec<u8> = match algorithm.to_ascii_uppercase().as_str() {
        "CRC32" => crc32(body).to_be_bytes().to_vec(),
        "CRC32C" => crc32c(body).to_be_bytes().to_vec(),
        "CRC64NVME" => crc64nvme(body).to_be_bytes().to_vec(),
        "SHA1" => sha1(body).to_vec(),
        "SHA256" => crate::digest::sha256(body).to_vec(),
        "MD5" => crate::digest::md5(body).to_vec(),
        _ => return None,
    };
    Some(crate::blob::encode(&bytes))
}

/// Why a request's checksum could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedAlgorithm(pub String);

impl fmt::Display for UnsupportedAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the checksum algorithm `{}` is not supported (swage computes {})",
            self.0,
            SUPPORTED.join(", ")
        )
    }
}

impl std::error::Error for UnsupportedAlgorithm {}

/// Adds the request checksum `spec` calls for, before signing. Returns whether the response is
/// to be validated (the validation header says `ENABLED`, set here by default).
///
/// A checksum header the caller set (`x-amz-checksum-crc32`, ...) is kept and nothing is
/// computed. Otherwise the algorithm is the caller's (the algorithm header), else CRC32 when
/// the operation requires a checksum or `calculation` is `WhenSupported`, recorded in the
/// algorithm header. An operation that requires a checksum but names no algorithm member gets
/// `Content-MD5`.
pub fn apply_request(
    request: &mut http::Request<Vec<u8>>,
    spec: &HttpChecksum,
    calculation: RequestChecksumCalculation,
    validation: ResponseChecksumValidation,
) -> Result<bool, UnsupportedAlgorithm> {
    let headers = request.headers();
    let explicit = headers.keys().any(|name| {
        name.as_str()
            .strip_prefix("x-amz-checksum-")
            .is_some_and(|alg| alg != "mode" && alg != "type")
    });
    if !explicit {
        let chosen = spec
            .algorithm_header
            .and_then(|h| headers.get(h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let algorithm = match (chosen, spec.algorithm_header) {
            (Some(a), _) => Some(a),
            (None, Some(_))
                if spec.request_required
                    || calculation == RequestChecksumCalculation::WhenSupported =>
            {
                Some("CRC32".to_owned())
            }
            _ => None,
        };
        match algorithm {
            Some(algorithm) => {
                let value = compute(&algorithm, request.body())
                    .ok_or_else(|| UnsupportedAlgorithm(algorithm.clone()))?;
                let name = header_name(&algorithm);
                let headers = request.headers_mut();
                if let (Some(h), Ok(v)) = (
                    spec.algorithm_header,
                    http::HeaderValue::from_str(&algorithm.to_ascii_uppercase()),
                ) {
                    headers.insert(h, v);
                }
                if let (Ok(n), Ok(v)) = (
                    http::HeaderName::from_bytes(name.as_bytes()),
                    http::HeaderValue::from_str(&value),
                ) {
                    headers.insert(n, v);
                }
            }
            None if spec.request_required && !request.headers().contains_key("content-md5") => {
                let md5 = crate::blob::encode(&crate::digest::md5(request.body()));
                if let Ok(v) = http::HeaderValue::from_str(&md5) {
                    request.headers_mut().insert("content-md5", v);
                }
            }
            None => {}
        }
    }
    let Some(mode) = spec.validation_header else {
        return Ok(false);
    };
    if !request.headers().contains_key(mode)
        && validation == ResponseChecksumValidation::WhenSupported
    {
        request
            .headers_mut()
            .insert(mode, http::HeaderValue::from_static("ENABLED"));
    }
    Ok(request
        .headers()
        .get(mode)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"ENABLED")))
}

/// A response whose payload does not match its checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The algorithm.
    pub algorithm: &'static str,
    /// The checksum the response carried.
    pub expected: String,
    /// The checksum of the payload received.
    pub computed: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response's {} checksum is {} but its payload's is {}: the payload was corrupted in transit",
            self.algorithm, self.expected, self.computed
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// Validates a response's payload against one of its checksum headers: the first of
/// CRC32C, CRC32, CRC64NVME, SHA1, SHA256 and MD5 that `spec.response_algorithms` lists and the
/// response carries. Returns the algorithm validated, or `None` when there was none to
/// validate (a composite checksum of a multipart object, `…-N`, is not a checksum of the
/// payload and is skipped).
pub fn validate_response(
    spec: &HttpChecksum,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<Option<&'static str>, ChecksumMismatch> {
    for algorithm in SUPPORTED {
        if !spec
            .response_algorithms
            .iter()
            .any(|a| a.eq_ignore_ascii_case(algorithm))
        {
            continue;
        }
        let Some(expected) = headers
            .get(header_name(algorithm).as_str())
            .and_then(|v| v.to_str().ok())
        else {
            continue;
        };
        if expected.contains('-') {
            continue;
        }
        let computed = compute(algorithm, body).unwrap_or_default();
        if computed != expected.trim() {
            return Err(ChecksumMismatch {
                algorithm,
                expected: expected.to_owned(),
                computed,
            });
        }
        return Ok(Some(algorithm));
    }
    Ok(None)
}

/// A reflected CRC's lookup table.
const fn crc32_table(poly: u32) -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

const fn crc64_table(poly: u64) -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC32: [u32; 256] = crc32_table(0xEDB8_8320);
static CRC32C: [u32; 256] = crc32_table(0x82F6_3B78);
static CRC64NVME: [u64; 256] = crc64_table(0x9A6C_9329_AC4B_C9B5);

fn crc32_with(table: &[u32; 256], data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c = table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// CRC-32 (ISO-HDLC, as zlib and Ethernet).
pub fn crc32(data: &[u8]) -> u32 {
    crc32_with(&CRC32, data)
}

/// CRC-32C (Castagnoli).
pub fn crc32c(data: &[u8]) -> u32 {
    crc32_with(&CRC32C, data)
}

/// CRC-64/NVME.
pub fn crc64nvme(data: &[u8]) -> u64 {
    let mut c = !0u64;
    for &b in data {
        c = CRC64NVME[((c ^ u64::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// SHA-1 (FIPS 180-4). Used only as a checksum S3 accepts, never for security.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut tail = Vec::with_capacity(128);
    let full = data.len() / 64 * 64;
    tail.extend_from_slice(&data[full..]);
    tail.push(0x80);
    while tail.len() % 64 != 56 {
        tail.push(0);
    }
    tail.extend_from_slice(&bit_len.to_be_bytes());
    for block in data[..full].chunks_exact(64).chain(tail.chunks_exact(64)) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values() {
        // The catalogue's check values (the CRC of "123456789").
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc64nvme(b"123456789"), 0xAE8B_1486_0A79_9888);
        let hex = crate::digest::hex;
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha1(&million)),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
        // S3's values are base64 of the big-endian bytes: "Hello world" in the S3 docs.
        assert_eq!(
            compute("CRC32", b"Hello world").as_deref(),
            Some("i9aeUg==")
        );
        assert_eq!(compute("crc32c", b"").as_deref(), Some("AAAAAA=="));
        assert_eq!(compute("SHA512", b"x"), None);
    }

    const PUT: HttpChecksum = HttpChecksum {
        algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
        request_required: false,
        validation_header: None,
        response_algorithms: &[],
    };

    fn request(headers: &[(&str, &str)]) -> http::Request<Vec<u8>> {
        let mut b = http::Request::builder().uri("https://b.s3.amazonaws.com/k");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(b"Hello world".to_vec()).unwrap()
    }

    #[test]
    fn requests_get_the_callers_algorithm_or_crc32() {
        use RequestChecksumCalculation::*;
        use ResponseChecksumValidation as V;
        let mut r = request(&[]);
        apply_request(&mut r, &PUT, WhenSupported, V::WhenSupported).unwrap();
        assert_eq!(r.headers()["x-amz-checksum-crc32"], "i9aeUg==");
        assert_eq!(r.headers()["x-amz-sdk-checksum-algorithm"], "CRC32");
        let mut r = request(&[("x-amz-sdk-checksum-algorithm", "SHA256")]);
        apply_request(&mut r, &PUT, WhenRequired, V::WhenSupported).unwrap();
        assert_eq!(
            r.headers()["x-amz-checksum-sha256"],
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        // Off for S3-compatible stores, unless required.
        let mut r = request(&[]);
        apply_request(&mut r, &PUT, WhenRequired, V::WhenSupported).unwrap();
        assert!(!r
            .headers()
            .keys()
            .any(|k| k.as_str().starts_with("x-amz-checksum")));
        let required = HttpChecksum {
            request_required: true,
            ..PUT
        };
        let mut r = request(&[]);
        apply_request(&mut r, &required, WhenRequired, V::WhenSupported).unwrap();
        assert_eq!(r.headers()["x-amz-checksum-crc32"], "i9aeUg==");
        // The caller's own checksum is kept.
        let mut r = request(&[("x-amz-checksum-crc32c", "abc=")]);
        apply_request(&mut r, &PUT, WhenSupported, V::WhenSupported).unwrap();
        assert_eq!(r.headers()["x-amz-checksum-crc32c"], "abc=");
        assert!(!r.headers().contains_key("x-amz-checksum-crc32"));
        // Required, with no algorithm member: Content-MD5.
        let md5_only = HttpChecksum {
            algorithm_header: None,
            request_required: true,
            ..PUT
        };
        let mut r = request(&[]);
        apply_request(&mut r, &md5_only, WhenSupported, V::WhenSupported).unwrap();
        assert_eq!(r.headers()["content-md5"], "PiWWCnnbxptnTNTsZ6csYg==");
        // An algorithm swage does not compute fails the request.
        let mut r = request(&[("x-amz-sdk-checksum-algorithm", "XXHASH64")]);
        let err = apply_request(&mut r, &PUT, WhenSupported, V::WhenSupported).unwrap_err();
        assert!(err.to_string().contains("XXHASH64"), "{err}");
    }

    const GET: HttpChecksum = HttpChecksum {
        algorithm_header: None,
        request_required: false,
        validation_header: Some("x-amz-checksum-mode"),
        response_algorithms: &["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1"],
    };

    #[test]
    fn responses_are_validated_when_enabled() {
        use RequestChecksumCalculation::*;
        use ResponseChecksumValidation as V;
        let mut r = request(&[]);
        assert!(apply_request(&mut r, &GET, WhenSupported, V::WhenSupported).unwrap());
        assert_eq!(r.headers()["x-amz-checksum-mode"], "ENABLED");
        let mut r = request(&[]);
        assert!(!apply_request(&mut r, &GET, WhenSupported, V::WhenRequired).unwrap());
        assert!(!r.headers().contains_key("x-amz-checksum-mode"));

        let mut headers = http::HeaderMap::new();
        headers.insert("x-amz-checksum-crc32", "i9aeUg==".parse().unwrap());
        assert_eq!(
            validate_response(&GET, &headers, b"Hello world"),
            Ok(Some("CRC32"))
        );
        let err = validate_response(&GET, &headers, b"Hello World").unwrap_err();
        assert_eq!(err.algorithm, "CRC32");
        assert!(err.to_string().contains("corrupted"));
        // CRC32C is preferred when both are there.
        headers.insert("x-amz-checksum-crc32c", "AAAAAA==".parse().unwrap());
        assert!(validate_response(&GET, &headers, b"Hello world").is_err());
        // A multipart object's composite checksum is not the payload's.
        let mut composite = http::HeaderMap::new();
        composite.insert("x-amz-checksum-crc32", "abcd==-2".parse().unwrap());
        assert_eq!(validate_response(&GET, &composite, b"x"), Ok(None));
        // An algorithm the trait doesn't list is ignored.
        let mut md5 = http::HeaderMap::new();
        md5.insert("x-amz-checksum-md5", "wrong".parse().unwrap());
        assert_eq!(validate_response(&GET, &md5, b"x"), Ok(None));
    }
}
