//! `@requestCompression`: gzip (RFC 1952) over `miniz_oxide`'s deflate, with the CRC-32 the
//! gzip trailer needs computed here.

/// Bodies smaller than this are sent as they are: the AWS SDKs' default
/// `request_min_compression_size_bytes`.
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// `data` as a gzip member: the fixed header, the deflate stream, CRC-32 and length.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    // ID1 ID2, CM = deflate, no flags, no mtime, XFL 0, OS = unknown.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, 6));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE 802.3, reflected, as gzip and zip use it).
pub fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    !data.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8)
    })
}

/// Compresses `body` with gzip when it is at least [`MIN_COMPRESSION_SIZE`] bytes, and adds
/// `gzip` to the request's `Content-Encoding` (after any encoding already there).
pub fn gzip_request(
    mut request: http::request::Builder,
    body: Vec<u8>,
) -> (http::request::Builder, Vec<u8>) {
    if body.len() < MIN_COMPRESSION_SIZE {
        return (request, body);
    }
    if let Some(headers) = request.headers_mut() {
        let value = match headers
            .get(http::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
        {
            Some(existing) if !existing.trim().is_empty() => format!("{existing}, gzip"),
            _ => "gzip".to_owned(),
        };
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(http::header::CONTENT_ENCODING, value);
        }
    }
    (request, gzip(&body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn gzip_round_trips_through_inflate() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let z = gzip(&data);
        assert_eq!(&z[..3], &[0x1f, 0x8b, 8]);
        let n = z.len();
        let inflated = miniz_oxide::inflate::decompress_to_vec(&z[10..n - 8]).unwrap();
        assert_eq!(inflated, data);
        assert_eq!(
            u32::from_le_bytes(z[n - 8..n - 4].try_into().unwrap()),
            crc32(&data)
        );
        assert_eq!(u32::from_le_bytes(z[n - 4..].try_into().unwrap()), 20_000);
        assert!(z.len() < data.len());
    }

    #[test]
    fn small_bodies_stay_and_encodings_append() {
        let (b, body) = gzip_request(http::Request::builder(), b"{}".to_vec());
        assert_eq!(body, b"{}");
        assert!(!b.headers_ref().unwrap().contains_key("content-encoding"));
        let big = vec![b'a'; MIN_COMPRESSION_SIZE];
        let (b, body) = gzip_request(
            http::Request::builder().header("content-encoding", "custom"),
            big.clone(),
        );
        assert_eq!(b.headers_ref().unwrap()["content-encoding"], "custom, gzip");
        assert_ne!(body, big);
    }
}
