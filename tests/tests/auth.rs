//! Smithy's auth traits through the generated blocking client, against a loopback server that
//! records what arrives: the service's order (`@auth`: bearer, then SigV4), an API key in its
//! header with its scheme, basic auth, `@optionalAuth` with and without credentials, and
//! `@auth([])`.

use auth::client::blocking::Client;
use auth::client::{
    Config, ConfigBuilder, Credentials, CredentialsError, ProvideCredentials, SdkErrorKind, Token,
};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

type Headers = BTreeMap<String, String>;
/// Each request the server saw: its path and headers.
type Seen = Arc<Mutex<Vec<(String, Headers)>>>;

/// Answers every request with a 200 and the output; the (path, headers) of each request.
fn server() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let mut headers = Headers::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap();
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
            log.lock().unwrap().push((path, headers));
            let body = r#"{"Who":"you"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> swage_runtime::client::CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::new("none here"))))
    }
}

fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .max_attempts(1)
}

fn signed() -> Credentials {
    Credentials::new("AKIDAUTH", "secret", None)
}

fn last(seen: &Mutex<Vec<(String, Headers)>>) -> (String, Headers) {
    seen.lock().unwrap().last().cloned().unwrap()
}

#[test]
fn the_service_order_picks_bearer_when_there_is_a_token_else_sigv4() {
    let (url, seen) = server();
    let client = Client::new(
        config(&url)
            .bearer_token(Token::new("tok-123"))
            .credentials(signed())
            .build(),
    );
    client.whoami().send().unwrap();
    let (path, headers) = last(&seen);
    assert_eq!(path, "/whoami");
    assert_eq!(headers["authorization"], "Bearer tok-123");
    assert!(!headers.contains_key("x-amz-date"), "{headers:?}");

    let client = Client::new(config(&url).credentials(signed()).build());
    client.whoami().send().unwrap();
    let (_, headers) = last(&seen);
    assert!(
        headers["authorization"].starts_with("AWS4-HMAC-SHA256 Credential=AKIDAUTH/"),
        "{headers:?}"
    );
    // The token's Debug never shows it.
    assert!(!format!("{:?}", config(&url).bearer_token(Token::new("tok-123"))).contains("tok-123"));
}

#[test]
fn an_api_key_goes_in_its_header_with_its_scheme_and_its_absence_is_an_error() {
    let (url, seen) = server();
    let client = Client::new(config(&url).api_key("k-456").credentials(signed()).build());
    client.key_only().send().unwrap();
    let (_, headers) = last(&seen);
    assert_eq!(headers["x-api-key"], "ApiKey k-456");
    assert!(
        !headers.contains_key("authorization"),
        "only the key: {headers:?}"
    );

    let before = seen.lock().unwrap().len();
    let client = Client::new(config(&url).credentials(signed()).build());
    let err = client.key_only().send().unwrap_err();
    assert!(matches!(err.kind(), SdkErrorKind::Construction(_)), "{err}");
    assert!(err.to_string().contains("api_key"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), before, "nothing was sent");
}

#[test]
fn basic_auth_sends_the_user_and_password() {
    let (url, seen) = server();
    let client = Client::new(config(&url).basic_auth("aladdin", "opensesame").build());
    client.basic_only().send().unwrap();
    let (_, headers) = last(&seen);
    // RFC 7617's example.
    assert_eq!(headers["authorization"], "Basic YWxhZGRpbjpvcGVuc2VzYW1l");
}

#[test]
fn optional_auth_signs_with_credentials_and_goes_without_them() {
    let (url, seen) = server();
    Client::new(config(&url).credentials(signed()).build())
        .optional()
        .send()
        .unwrap();
    assert!(last(&seen).1["authorization"].starts_with("AWS4-HMAC-SHA256"));

    Client::new(config(&url).credentials(NoCredentials).build())
        .optional()
        .send()
        .unwrap();
    assert!(!last(&seen).1.contains_key("authorization"));

    // Not optional: no credentials is an error, and nothing is sent.
    let before = seen.lock().unwrap().len();
    let err = Client::new(config(&url).credentials(NoCredentials).build())
        .whoami()
        .send()
        .unwrap_err();
    assert!(err.to_string().contains("none here"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), before);
}

#[test]
fn no_auth_operations_send_nothing_even_with_every_identity() {
    let (url, seen) = server();
    let client = Client::new(
        config(&url)
            .credentials(signed())
            .bearer_token(Token::new("t"))
            .api_key("k")
            .basic_auth("u", "p")
            .build(),
    );
    client.public().send().unwrap();
    let (path, headers) = last(&seen);
    assert_eq!(path, "/public");
    assert!(!headers.contains_key("authorization") && !headers.contains_key("x-api-key"));
}
