use super::blocking::{Client, Transport};
use super::*;
use crate::OperationError;
use std::sync::Mutex;

/// An operation with nothing in it: a POST to the endpoint, `{}` back.
struct Ping;

#[derive(Debug)]
struct PingError(u16);

impl fmt::Display for PingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.0)
    }
}

impl std::error::Error for PingError {}

impl OperationError for PingError {
    fn code(&self) -> Option<&str> {
        None
    }
    fn request_id(&self) -> Option<&str> {
        None
    }
    fn is_retryable(&self) -> bool {
        false
    }
    fn is_throttling(&self) -> bool {
        false
    }
}

impl Operation for Ping {
    type Input = ();
    type Output = ();
    type Error = PingError;
    const NAME: &'static str = "Ping";

    fn build_request(_: &(), endpoint: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        let uri = crate::UriBuilder::new(endpoint)?.finish()?;
        http::Request::builder()
            .method("POST")
            .uri(uri)
            .body(b"{}".to_vec())
            .map_err(|e| RequestError::Http(e.to_string()))
    }

    fn parse_response(status: u16, _: &http::HeaderMap, _: &[u8]) -> Result<(), PingError> {
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(PingError(status))
        }
    }
}

#[derive(Debug, Default)]
struct Scripted {
    statuses: Mutex<Vec<u16>>,
    seen: Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl Transport for Scripted {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _: Duration,
        _: Duration,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.seen.lock().unwrap().push(request);
        let mut statuses = self.statuses.lock().unwrap();
        let status = if statuses.len() > 1 {
            statuses.remove(0)
        } else {
            statuses.first().copied().unwrap_or(200)
        };
        Ok(http::Response::builder()
            .status(status)
            .body(b"{}".to_vec())
            .unwrap())
    }
}

impl Transport for Arc<Scripted> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        c: Duration,
        t: Duration,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.as_ref().send(request, c, t)
    }
}

fn with_auth_scheme(_: &Config) -> Result<Endpoint, EndpointError> {
    let mut e = Endpoint::from_url("https://svc.example.com");
    let scheme = crate::value::parse(
        br#"[{"name": "sigv4", "signingName": "other", "signingRegion": "eu-west-3"}]"#,
    )
    .unwrap();
    e.properties.insert("authSchemes".to_owned(), scheme);
    e.headers.insert(
        "x-endpoint".to_owned(),
        vec!["a".to_owned(), "b".to_owned()],
    );
    Ok(e)
}

fn config() -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        })
}

#[test]
fn the_endpoints_signing_properties_and_headers_are_used() {
    let transport = Arc::new(Scripted::default());
    let client = Client::with_transport(config().build(), transport.clone());
    let service = Service {
        signing_name: Some("svc"),
        auth: &[crate::AuthScheme::SigV4],
        signing: crate::sigv4::SigningOptions::STANDARD,
        resolve_endpoint: with_auth_scheme,
    };
    client.send::<Ping>(&service, &()).unwrap();
    let seen = transport.seen.lock().unwrap();
    let auth = seen[0].headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("/eu-west-3/other/aws4_request"), "{auth}");
    let values: Vec<_> = seen[0].headers().get_all("x-endpoint").iter().collect();
    assert_eq!(values, ["a", "b"]);
    assert!(
        auth.contains("x-endpoint"),
        "endpoint headers are signed: {auth}"
    );
}

/// `Ping`, but sent unsigned (`@auth([])`, or STS's `AssumeRoleWithWebIdentity`).
struct UnsignedPing;

impl Operation for UnsignedPing {
    type Input = ();
    type Output = ();
    type Error = PingError;
    const NAME: &'static str = "UnsignedPing";
    const UNSIGNED: bool = true;

    fn build_request(input: &(), endpoint: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        Ping::build_request(input, endpoint)
    }

    fn parse_response(status: u16, h: &http::HeaderMap, b: &[u8]) -> Result<(), PingError> {
        Ping::parse_response(status, h, b)
    }
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::new("none here"))))
    }
}

#[test]
fn unsigned_operations_need_no_credentials() {
    let transport = Arc::new(Scripted::default());
    let client = Client::with_transport(
        config().credentials(NoCredentials).build(),
        transport.clone(),
    );
    let service = Service {
        signing_name: Some("sts"),
        auth: &[crate::AuthScheme::SigV4],
        signing: crate::sigv4::SigningOptions::STANDARD,
        resolve_endpoint: with_auth_scheme,
    };
    client.send::<UnsignedPing>(&service, &()).unwrap();
    let seen = transport.seen.lock().unwrap();
    assert!(!seen[0].headers().contains_key("authorization"));
    drop(seen);
    // A signed operation of the same service still needs them.
    let err = client.send::<Ping>(&service, &()).unwrap_err();
    assert!(err.to_string().contains("none here"), "{err}");
}

#[test]
fn cached_credentials_are_fresh_until_five_minutes_before_expiry() {
    let cache = CredentialsCache::default();
    assert!(cache.fresh().is_none());
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    cache.store(Credentials::new("AKID", "secret", None), now + 3600);
    assert_eq!(
        cache.fresh().map(|c| c.access_key_id().to_owned()),
        Some("AKID".to_owned())
    );
    cache.store(Credentials::new("AKID", "secret", None), now + 200);
    assert!(
        cache.fresh().is_none(),
        "within 5 minutes of expiry: fetch again"
    );
}

fn s3_express_only(_: &Config) -> Result<Endpoint, EndpointError> {
    let mut e =
        Endpoint::from_url("https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com");
    let scheme = crate::value::parse(
        br#"[{"name": "sigv4-s3express", "signingName": "s3express", "signingRegion": "us-west-2"}]"#,
    )
    .unwrap();
    e.properties.insert("authSchemes".to_owned(), scheme);
    Ok(e)
}

#[test]
fn an_endpoint_without_sigv4_fails_before_anything_is_sent() {
    let transport = Arc::new(Scripted::default());
    let client = Client::with_transport(config().build(), transport.clone());
    let service = Service {
        signing_name: Some("s3"),
        auth: &[crate::AuthScheme::SigV4],
        signing: crate::sigv4::SigningOptions::S3,
        resolve_endpoint: s3_express_only,
    };
    let err = client.send::<Ping>(&service, &()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("sigv4-s3express"), "{text}");
    assert!(text.contains("DisableS3ExpressSessionAuth"), "{text}");
    assert!(transport.seen.lock().unwrap().is_empty());
}

#[test]
fn the_retry_quota_stops_retries_against_a_failing_service() {
    let transport = Arc::new(Scripted {
        statuses: Mutex::new(vec![503]),
        ..Default::default()
    });
    let client = Client::with_transport(config().build(), transport.clone());
    let service = Service {
        signing_name: Some("svc"),
        auth: &[crate::AuthScheme::SigV4],
        signing: crate::sigv4::SigningOptions::STANDARD,
        resolve_endpoint: with_auth_scheme,
    };
    // 500 tokens, 5 per retry: 100 retries in all, two per failing call.
    let mut attempts = Vec::new();
    for _ in 0..60 {
        attempts.push(client.send::<Ping>(&service, &()).unwrap_err().attempts());
    }
    assert!(attempts[..50].iter().all(|&a| a == 3), "{attempts:?}");
    assert!(
        attempts[50..].iter().all(|&a| a == 1),
        "once the quota is spent, failures return at once: {attempts:?}"
    );
    assert_eq!(transport.seen.lock().unwrap().len(), 50 * 3 + 10);
}

#[test]
fn an_api_key_in_the_query_is_appended_encoded() {
    let mut request = http::Request::builder()
        .uri("https://x.example.com/items?page=2")
        .body(Vec::new())
        .unwrap();
    let key = super::AuthValue {
        name: "api_key",
        in_query: true,
        value: "a b&c".to_owned(),
    };
    super::apply_auth(&mut request, &key).unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://x.example.com/items?page=2&api_key=a%20b%26c"
    );
    let mut bare = http::Request::builder()
        .uri("https://x.example.com/items")
        .body(Vec::new())
        .unwrap();
    super::apply_auth(&mut bare, &key).unwrap();
    assert_eq!(bare.uri().query(), Some("api_key=a%20b%26c"));
    assert!(bare.headers().is_empty());
}
