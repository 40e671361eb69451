//! S3's customizations, on the S3 fixture (a few of S3's operations under S3's own shape id, so
//! the generator applies them): addressing, signing, flexible checksums, presigned URLs,
//! `200 OK` errors and the lenient `Expires`, through the blocking client and a transport that
//! records what is sent and answers as S3 would.

use s3::client::{blocking::Client, Config, Credentials};
use s3::http::{HeaderMap, Request, Response};
use std::sync::{Arc, Mutex};

type Answer = (u16, Vec<(&'static str, &'static str)>, Vec<u8>);

/// Records each request and answers with the next canned response (status, headers, body).
#[derive(Debug, Default, Clone)]
struct S3Stub {
    seen: Arc<Mutex<Vec<Request<Vec<u8>>>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
}

impl swage_runtime::client::blocking::Transport for S3Stub {
    fn send(
        &self,
        request: Request<Vec<u8>>,
        _: std::time::Duration,
        _: std::time::Duration,
    ) -> Result<Response<Vec<u8>>, swage_runtime::client::TransportError> {
        self.seen.lock().unwrap().push(request);
        let (status, headers, body) = self.answers.lock().unwrap().remove(0);
        let mut response = Response::builder().status(status);
        for (k, v) in headers {
            response = response.header(k, v);
        }
        Ok(response.body(body).unwrap())
    }
}

fn client(
    answers: Vec<Answer>,
    config: impl FnOnce(swage_runtime::client::ConfigBuilder) -> swage_runtime::client::ConfigBuilder,
) -> (Client, S3Stub) {
    let stub = S3Stub {
        answers: Arc::new(Mutex::new(answers)),
        ..Default::default()
    };
    let config = config(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "secret", None))
            .max_attempts(1),
    )
    .build();
    (Client::with_transport(config, stub.clone()), stub)
}

#[test]
fn puts_are_virtual_hosted_signed_as_s3_wants_and_carry_a_crc32() {
    let (client, stub) = client(vec![(200, vec![("etag", "\"e\"")], Vec::new())], |c| c);
    let out = client
        .put_object()
        .bucket("mybucket")
        .key("dir/a b+é/../x")
        .body(b"Hello world".to_vec())
        .send()
        .unwrap();
    assert_eq!(out.e_tag(), Some("\"e\""));
    let seen = stub.seen.lock().unwrap();
    let r = &seen[0];
    assert_eq!(
        r.uri().to_string(),
        "https://mybucket.s3.us-west-2.amazonaws.com/dir/a%20b%2B%C3%A9/../x?x-id=PutObject"
    );
    let h = r.headers();
    assert_eq!(h["x-amz-checksum-crc32"], "i9aeUg==");
    assert_eq!(h["x-amz-sdk-checksum-algorithm"], "CRC32");
    assert_eq!(
        h["x-amz-content-sha256"],
        "64ec88ca00b268e5ba1a35678a1b5316d212f4f366b2477232534a8aeca37f3c"
    );
    let auth = h["authorization"].to_str().unwrap();
    assert!(auth.contains("/us-west-2/s3/aws4_request"), "{auth}");
    assert!(
        auth.contains("x-amz-checksum-crc32;x-amz-content-sha256;"),
        "the checksum is signed: {auth}"
    );
}

#[test]
fn the_default_checksum_can_be_turned_off_and_path_style_turned_on() {
    use swage_runtime::checksum::RequestChecksumCalculation;
    let (client, stub) = client(
        vec![(200, vec![], Vec::new()), (200, vec![], Vec::new())],
        |c| {
            c.request_checksums(RequestChecksumCalculation::WhenRequired)
                .client_param("ForcePathStyle", true)
        },
    );
    client
        .put_object()
        .bucket("mybucket")
        .key("k")
        .body(b"x".to_vec())
        .send()
        .unwrap();
    // A caller's own algorithm is still honoured.
    client
        .put_object()
        .bucket("mybucket")
        .key("k")
        .checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256)
        .body(b"x".to_vec())
        .send()
        .unwrap();
    let seen = stub.seen.lock().unwrap();
    assert_eq!(
        seen[0].uri().to_string(),
        "https://s3.us-west-2.amazonaws.com/mybucket/k?x-id=PutObject"
    );
    assert!(!seen[0]
        .headers()
        .keys()
        .any(|k| k.as_str().starts_with("x-amz-checksum-")));
    assert_eq!(
        seen[1].headers()["x-amz-checksum-sha256"],
        "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="
    );
}

#[test]
fn response_checksums_are_validated() {
    let body = b"Hello world".to_vec();
    let (client, stub) = client(
        vec![
            (
                200,
                vec![("x-amz-checksum-crc32", "i9aeUg==")],
                body.clone(),
            ),
            (
                200,
                vec![("x-amz-checksum-crc32", "AAAAAA==")],
                body.clone(),
            ),
            (200, vec![("x-amz-checksum-crc32", "AAAAAA==-3")], body),
        ],
        |c| c,
    );
    let sent = client
        .get_object()
        .bucket("b")
        .key("k")
        .send_with_metadata()
        .unwrap();
    assert_eq!(sent.checksum, Some("CRC32"));
    assert_eq!(sent.output.body(), Some(&b"Hello world"[..]));
    let err = client.get_object().bucket("b").key("k").send().unwrap_err();
    assert!(
        matches!(err.kind(), swage_runtime::client::SdkErrorKind::Checksum(m) if m.algorithm == "CRC32"),
        "{err:?}"
    );
    // A multipart object's composite checksum is not the payload's: nothing to validate.
    let sent = client
        .get_object()
        .bucket("b")
        .key("k")
        .send_with_metadata()
        .unwrap();
    assert_eq!(sent.checksum, None);
    let seen = stub.seen.lock().unwrap();
    assert_eq!(seen[0].headers()["x-amz-checksum-mode"], "ENABLED");
}

#[test]
fn presigned_urls_need_no_credentials_to_use() {
    let (client, stub) = client(Vec::new(), |c| c);
    let get = client
        .get_object()
        .bucket("mybucket")
        .key("a b.txt")
        .presigned(std::time::Duration::from_secs(300))
        .unwrap();
    assert_eq!(get.method(), "GET");
    let url = get.url();
    assert!(
        url.starts_with("https://mybucket.s3.us-west-2.amazonaws.com/a%20b.txt?x-id=GetObject&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F"),
        "{url}"
    );
    assert!(
        url.contains("%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date="),
        "{url}"
    );
    assert!(
        url.contains("&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature="),
        "{url}"
    );
    assert!(get.headers().is_empty());
    let put = client
        .put_object()
        .bucket("mybucket")
        .key("k")
        .content_type("text/plain")
        .presigned(std::time::Duration::from_secs(60))
        .unwrap();
    assert_eq!(put.method(), "PUT");
    assert!(
        put.url()
            .contains("X-Amz-SignedHeaders=content-type%3Bhost"),
        "{}",
        put.url()
    );
    assert_eq!(
        put.headers(),
        [("content-type".to_owned(), "text/plain".to_owned())]
    );
    let too_long = client
        .get_object()
        .bucket("mybucket")
        .key("k")
        .presigned(std::time::Duration::from_secs(8 * 24 * 3600));
    assert!(too_long.is_err());
    assert!(
        stub.seen.lock().unwrap().is_empty(),
        "presigning sends nothing"
    );
}

#[test]
fn a_200_whose_body_is_an_error_is_an_error() {
    use s3::operation::copy_object::{CopyObject, CopyObjectError};
    let headers = HeaderMap::new();
    let body = b"\n\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId></Error>";
    match CopyObject::parse_response(200, &headers, body) {
        Err(CopyObjectError::Unhandled(u)) => {
            assert_eq!(u.code(), Some("InternalError"));
            assert_eq!(u.request_id(), Some("656c76696e6727732072657175657374"));
        }
        other => panic!("{other:?}"),
    }
    let ok = b"<CopyObjectResult><ETag>\"e\"</ETag><LastModified>2025-04-01T10:00:00.000Z</LastModified></CopyObjectResult>";
    let out = CopyObject::parse_response(200, &headers, ok).unwrap();
    assert_eq!(
        out.copy_object_result().and_then(|r| r.e_tag()),
        Some("\"e\"")
    );
}

#[test]
fn expires_is_read_leniently_and_kept_as_text() {
    use s3::operation::get_object::GetObject;
    let mut headers = HeaderMap::new();
    headers.insert("expires", "not a date".parse().unwrap());
    let out = GetObject::parse_response(200, &headers, b"bytes").unwrap();
    assert_eq!(out.expires(), None);
    assert_eq!(out.expires_string(), Some("not a date"));
    headers.insert("expires", "Tue, 01 Apr 2025 10:00:00 GMT".parse().unwrap());
    let out = GetObject::parse_response(200, &headers, b"bytes").unwrap();
    assert_eq!(out.expires().map(|d| d.secs()), Some(1_743_501_600));
    // The object's bytes are never taken for an error.
    let out = GetObject::parse_response(200, &HeaderMap::new(), b"<Error><Code>X</Code></Error>")
        .unwrap();
    assert_eq!(out.body(), Some(&b"<Error><Code>X</Code></Error>"[..]));
}
