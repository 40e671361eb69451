//! The clients against a real HTTP server on 127.0.0.1 (an ephemeral port, started by each
//! test): what arrives, its signature (verified here independently, from the bytes received),
//! retries, timeouts, refused connections; blocking and async. (Environment credentials are
//! tested in `client_env.rs`, a binary of its own.)

use gameliftstreams::client::{blocking, Client, Config, Credentials, SdkErrorKind, TimeoutKind};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "session-token-for-tests";
const OK_BODY: &str = r#"{"SessionId":"sess-1","StreamUrl":"wss://x","TokenValue":"t0k3n"}"#;

/// A request as the server read it off the socket.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
enum Reply {
    Status(u16, &'static str, &'static str),
    /// Read the request, then never answer.
    Hang,
}

struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    /// Serves `script` in order, repeating its last reply; unsigned requests get a 403.
    fn start(script: Vec<Reply>) -> Server {
        Server::serve(script, true)
    }

    /// As `start`, for a service without SigV4: nothing is verified.
    fn unsigned(script: Vec<Reply>) -> Server {
        Server::serve(script, false)
    }

    fn serve(script: Vec<Reply>, require_signature: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let reply = script
                    .get(i)
                    .or(script.last())
                    .cloned()
                    .unwrap_or(Reply::Hang);
                let log = log.clone();
                std::thread::spawn(move || serve(stream, reply, log, require_signature));
            }
        });
        Server { port, received }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, reply: Reply, log: Arc<Mutex<Vec<Received>>>, require_signature: bool) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').unwrap();
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let request = Received {
        method,
        target,
        headers,
        body,
    };
    let verified = !require_signature || verify(&request, SECRET);
    log.lock().unwrap().push(request);
    let mut stream = stream;
    match reply {
        Reply::Hang => std::thread::sleep(Duration::from_secs(30)),
        Reply::Status(status, code, body) => {
            // A request whose signature doesn't verify gets what AWS sends.
            let (status, code, body) = if verified {
                (status, code, body)
            } else {
                (
                    403,
                    "InvalidSignatureException",
                    r#"{"message":"The request signature we calculated does not match"}"#,
                )
            };
            let mut head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-amzn-requestid: req-{status}\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            if !code.is_empty() {
                head.push_str(&format!("x-amzn-errortype: {code}\r\n"));
            }
            let _ = stream.write_all(format!("{head}\r\n{body}").as_bytes());
        }
    }
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Recomputes the SigV4 signature of a received request from scratch (no swage code), with
/// `secret`, and compares it with the one in its `Authorization` header.
fn verify(r: &Received, secret: &str) -> bool {
    let Some(auth) = r.header("authorization") else {
        return false;
    };
    let Some(rest) = auth.strip_prefix("AWS4-HMAC-SHA256 Credential=") else {
        return false;
    };
    let fields: Vec<&str> = rest.split(", ").collect();
    let [credential, signed, signature] = fields[..] else {
        return false;
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [_, date, region, service, "aws4_request"] = scope[..] else {
        return false;
    };
    let signed = signed.trim_start_matches("SignedHeaders=");
    let signature = signature.trim_start_matches("Signature=");
    let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
    // The path as sent, encoded once more; the query's pairs sorted (our client sends them encoded).
    let canonical_path: String = path
        .split('/')
        .map(|seg| seg.replace('%', "%25"))
        .collect::<Vec<_>>()
        .join("/");
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort();
    let mut canonical_headers = String::new();
    for name in signed.split(';') {
        let values: Vec<String> = r
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = hex(&Sha256::digest(&r.body));
    let canonical = format!(
        "{}\n{canonical_path}\n{}\n{canonical_headers}\n{signed}\n{payload}",
        r.method,
        pairs.join("&")
    );
    let amz_date = r.header("x-amz-date").unwrap_or("");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k = hmac(&k, region);
    let k = hmac(&k, service);
    let k = hmac(&k, "aws4_request");
    hex(&hmac(&k, &to_sign)) == signature
}

fn config(server: &Server) -> gameliftstreams::client::ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .endpoint_url(server.url())
        .credentials(Credentials::new(KEY_ID, SECRET, Some(TOKEN.to_owned())))
        .retry(gameliftstreams::client::RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

fn blocking_call(client: &blocking::Client) -> Result<gameliftstreams::client::Sent<gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShellOutput>, gameliftstreams::client::SdkError<gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShellError>>{
    client
        .create_stream_session_admin_shell()
        .identifier("sg-1AB2C3De4")
        .stream_session_identifier("ABC123def4567")
        .send_with_metadata()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_request_arrives_signed_and_the_answer_is_parsed() {
    let server = Server::start(vec![Reply::Status(200, "", OK_BODY)]);
    let client = blocking::Client::new(config(&server).build());
    let sent = blocking_call(&client).unwrap();
    assert_eq!(sent.output.session_id(), Some("sess-1"));
    assert_eq!(
        (sent.attempts, sent.request_id.as_deref()),
        (1, Some("req-200"))
    );

    let [r] = &server.requests()[..] else {
        panic!("one request")
    };
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.target,
        "/streamgroups/sg-1AB2C3De4/streamsessions/ABC123def4567/access"
    );
    assert_eq!(
        r.header("host"),
        Some(format!("127.0.0.1:{}", server.port).as_str())
    );
    let date = r.header("x-amz-date").unwrap();
    assert!(
        date.len() == 16 && date.ends_with('Z') && date.as_bytes()[8] == b'T',
        "{date}"
    );
    assert_eq!(r.header("x-amz-security-token"), Some(TOKEN));
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/us-west-2/gameliftstreams/aws4_request, ",
            &date[..8]
        )),
        "{auth}"
    );
    let signed = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    for h in ["host", "x-amz-date", "x-amz-security-token"] {
        assert!(signed.split(';').any(|s| s == h), "{h} is signed: {signed}");
    }
    assert!(verify(r, SECRET));

    // The same request, tampered with, does not verify.
    let mut tampered = r.clone();
    tampered.target = tampered.target.replace("sg-1AB2C3De4", "sg-9ZZ9ZZZz9");
    assert!(!verify(&tampered, SECRET));
    let mut tampered = r.clone();
    tampered.body = b"{\"x\":1}".to_vec();
    assert!(!verify(&tampered, SECRET));
    assert!(!verify(r, "another secret"));
}

#[test]
fn a_wrong_secret_is_rejected_by_the_server_once() {
    let server = Server::start(vec![Reply::Status(200, "", OK_BODY)]);
    let config = config(&server)
        .credentials(Credentials::new(KEY_ID, "not the secret", None))
        .build();
    let err = blocking_call(&blocking::Client::new(config)).unwrap_err();
    let service = err.service_error().expect("the service answered");
    assert_eq!(service.code(), Some("InvalidSignatureException"));
    assert_eq!(err.attempts(), 1, "a 403 is not retried");
    assert_eq!(server.requests().len(), 1);
    assert!(
        err.to_string()
            .starts_with("the service answered with an error"),
        "{err}"
    );
}

#[test]
fn throttling_twice_then_success_takes_three_attempts() {
    let script = vec![
        Reply::Status(429, "ThrottlingException", r#"{"message":"slow down"}"#),
        Reply::Status(429, "ThrottlingException", "{}"),
        Reply::Status(200, "", OK_BODY),
    ];
    let server = Server::start(script.clone());
    let sent = blocking_call(&blocking::Client::new(config(&server).build())).unwrap();
    assert_eq!(sent.attempts, 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| verify(r, SECRET)),
        "every attempt is signed"
    );

    let server = Server::start(script);
    let client = Client::new(config(&server).build());
    let sent = runtime()
        .block_on(
            client
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send_with_metadata(),
        )
        .unwrap();
    assert_eq!(
        (sent.attempts, sent.output.session_id()),
        (3, Some("sess-1"))
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_validation_error_is_not_retried() {
    let server = Server::start(vec![Reply::Status(
        400,
        "ValidationException",
        r#"{"message":"bad"}"#,
    )]);
    let err = blocking_call(&blocking::Client::new(config(&server).build())).unwrap_err();
    assert!(err
        .service_error()
        .is_some_and(|e| e.is_validation_exception()));
    assert_eq!((err.attempts(), err.request_id()), (1, Some("req-400")));
    assert_eq!(server.requests().len(), 1);

    let server = Server::start(vec![Reply::Status(
        400,
        "ValidationException",
        r#"{"message":"bad"}"#,
    )]);
    let client = Client::new(config(&server).build());
    let err = runtime()
        .block_on(
            client
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send(),
        )
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn server_errors_are_retried_up_to_the_limit_and_the_last_one_returned() {
    let server = Server::start(vec![Reply::Status(
        500,
        "InternalServerException",
        r#"{"message":"oops"}"#,
    )]);
    let client = blocking::Client::new(config(&server).max_attempts(4).build());
    let err = blocking_call(&client).unwrap_err();
    assert_eq!(err.attempts(), 4);
    assert_eq!(server.requests().len(), 4);
    assert!(err
        .service_error()
        .is_some_and(|e| e.is_internal_server_exception()));
    assert!(err.to_string().contains("after 4 attempts"), "{err}");

    // One attempt means no retries.
    let server = Server::start(vec![Reply::Status(503, "", "{}")]);
    let err = blocking_call(&blocking::Client::new(
        config(&server).max_attempts(1).build(),
    ))
    .unwrap_err();
    assert_eq!((err.attempts(), server.requests().len()), (1, 1));

    let server = Server::start(vec![Reply::Status(502, "", "{}")]);
    let client = Client::new(config(&server).build());
    let err = runtime()
        .block_on(
            client
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send(),
        )
        .unwrap_err();
    assert_eq!((err.attempts(), server.requests().len()), (3, 3));
}

#[test]
fn a_server_that_never_answers_times_out_within_the_bound() {
    let server = Server::start(vec![Reply::Hang]);
    let client = blocking::Client::new(
        config(&server)
            .attempt_timeout(Duration::from_millis(300))
            .max_attempts(2)
            .build(),
    );
    let started = Instant::now();
    let err = blocking_call(&client).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            err.kind(),
            SdkErrorKind::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 2, "a timeout is retried");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(err.to_string().contains("timeout"), "{err}");

    let server = Server::start(vec![Reply::Hang]);
    let client = Client::new(
        config(&server)
            .attempt_timeout(Duration::from_millis(300))
            .operation_timeout(Duration::from_millis(500))
            .build(),
    );
    let started = Instant::now();
    let err = runtime()
        .block_on(
            client
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send(),
        )
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = || {
        Config::builder()
            .region("us-west-2")
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .credentials(Credentials::new(KEY_ID, SECRET, None))
            .retry(gameliftstreams::client::RetryConfig {
                max_attempts: 3,
                initial_backoff: Duration::from_millis(5),
                max_backoff: Duration::from_millis(20),
            })
            .build()
    };
    let err = blocking_call(&blocking::Client::new(config())).unwrap_err();
    assert!(matches!(err.kind(), SdkErrorKind::Dispatch(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(
        err.to_string()
            .starts_with("the request got no answer: could not connect"),
        "{err}"
    );

    let err = runtime()
        .block_on(
            Client::new(config())
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send(),
        )
        .unwrap_err();
    assert!(matches!(err.kind(), SdkErrorKind::Dispatch(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
}

/// An in-memory transport: records each request's URI and headers, answers 200.
#[derive(Debug, Default, Clone)]
struct Memory(Arc<Mutex<Vec<Seen>>>);

/// A request's URI and headers.
type Seen = (String, BTreeMap<String, String>);

impl swage_runtime::client::blocking::Transport for Memory {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _: Duration,
        _: Duration,
    ) -> Result<http::Response<Vec<u8>>, swage_runtime::client::TransportError> {
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        self.0
            .lock()
            .unwrap()
            .push((request.uri().to_string(), headers));
        Ok(http::Response::builder()
            .status(200)
            .body(OK_BODY.as_bytes().to_vec())
            .unwrap())
    }
}

#[test]
fn the_endpoint_comes_from_the_region() {
    let memory = Memory::default();
    let config = Config::builder()
        .region("eu-central-1")
        .credentials(Credentials::new(KEY_ID, SECRET, None))
        .build();
    let client = blocking::Client::with_transport(config, memory.clone());
    blocking_call(&client).unwrap();
    let (uri, headers) = memory.0.lock().unwrap()[0].clone();
    assert_eq!(uri, "https://gameliftstreams.eu-central-1.api.aws/streamgroups/sg-1AB2C3De4/streamsessions/ABC123def4567/access");
    assert_eq!(headers["host"], "gameliftstreams.eu-central-1.api.aws");
    assert!(!headers.contains_key("x-amz-security-token"));

    let fips = Config::builder()
        .region("us-gov-west-1")
        .use_fips(true)
        .credentials(Credentials::new(KEY_ID, SECRET, None))
        .build();
    blocking_call(&blocking::Client::with_transport(fips, memory.clone())).unwrap();
    assert!(memory.0.lock().unwrap()[1]
        .0
        .starts_with("https://gameliftstreams-fips.us-gov-west-1.api.aws/"));
}

#[test]
fn configuration_errors_come_before_anything_is_sent() {
    let memory = Memory::default();
    let creds = || Credentials::new(KEY_ID, SECRET, None);
    let both = Config::builder()
        .region("us-east-1")
        .use_fips(true)
        .endpoint_url("https://example.com")
        .credentials(creds())
        .build();
    let err = blocking_call(&blocking::Client::with_transport(both, memory.clone())).unwrap_err();
    assert_eq!(err.to_string(), "the request was not sent: no endpoint for this configuration: Invalid Configuration: FIPS and custom endpoint are not supported");
    assert_eq!(err.attempts(), 0);

    let no_region = Config::builder().credentials(creds()).build();
    let err =
        blocking_call(&blocking::Client::with_transport(no_region, memory.clone())).unwrap_err();
    assert!(err.to_string().contains("Missing Region"), "{err}");

    let invalid = blocking::Client::with_transport(
        Config::builder()
            .region("us-east-1")
            .credentials(creds())
            .build(),
        memory.clone(),
    );
    let err = invalid
        .create_stream_session_admin_shell()
        .identifier("not valid")
        .send()
        .unwrap_err();
    assert!(matches!(err.kind(), SdkErrorKind::Construction(_)));
    assert!(err.to_string().contains("/Identifier"), "{err}");
    assert!(memory.0.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn secrets_never_print() {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(KEY_ID, SECRET, Some(TOKEN.to_owned())))
        .build();
    let client = blocking::Client::new(config.clone());
    for text in [
        format!("{config:?}"),
        format!("{client:?}"),
        format!(
            "{:?}",
            Credentials::new(KEY_ID, SECRET, Some(TOKEN.to_owned()))
        ),
    ] {
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
        assert!(text.contains(KEY_ID), "{text}");
    }
}

#[test]
fn idempotency_tokens_stay_the_same_across_attempts_and_unsigned_services_send_unsigned() {
    let server = Server::unsigned(vec![
        Reply::Status(500, "", "{}"),
        Reply::Status(200, "", "{}"),
    ]);
    let config = Config::builder()
        .endpoint_url(server.url())
        .retry(gameliftstreams::client::RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build();
    let client = features::client::blocking::Client::new(config);
    let sent = client
        .put_thing()
        .bucket("my-bucket")
        .key("k")
        .send_with_metadata()
        .unwrap();
    assert_eq!(sent.attempts, 2);
    let requests = server.requests();
    let tokens: Vec<String> = requests
        .iter()
        .map(|r| {
            let body = swage_runtime::value::parse(&r.body).unwrap();
            body.get("Token")
                .and_then(|t| t.as_str())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0], tokens[1], "the retry sends the same token");
    assert_eq!(tokens[0].len(), 36);
    // The features service has no `aws.auth#sigv4`: nothing is signed, no credentials needed.
    assert!(requests.iter().all(|r| r.header("authorization").is_none()));
}

#[test]
fn any_aws_credential_types_provider_plugs_in() {
    use gameliftstreams::client::AwsCredentials;
    let provider = aws_credential_types::Credentials::new(
        KEY_ID,
        SECRET,
        Some(TOKEN.to_owned()),
        None,
        "test",
    );
    let server = Server::start(vec![Reply::Status(200, "", OK_BODY)]);
    let config = config(&server)
        .credentials(AwsCredentials(provider.clone()))
        .build();
    blocking_call(&blocking::Client::new(config.clone())).unwrap();
    let sent = runtime()
        .block_on(
            Client::new(config)
                .create_stream_session_admin_shell()
                .identifier("sg-1AB2C3De4")
                .stream_session_identifier("ABC123def4567")
                .send_with_metadata(),
        )
        .unwrap();
    assert_eq!(sent.attempts, 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| verify(r, SECRET) && r.header("x-amz-security-token") == Some(TOKEN)));
}

/// An in-memory transport for the features crate: records the URI, answers 200 `{}`.
#[derive(Debug, Default, Clone)]
struct Uris(Arc<Mutex<Vec<String>>>);

impl swage_runtime::client::blocking::Transport for Uris {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _: Duration,
        _: Duration,
    ) -> Result<http::Response<Vec<u8>>, swage_runtime::client::TransportError> {
        self.0.lock().unwrap().push(request.uri().to_string());
        Ok(http::Response::builder()
            .status(200)
            .body(b"{}".to_vec())
            .unwrap())
    }
}

#[test]
fn operations_bind_endpoint_parameters_from_their_input_and_statically() {
    use features::endpoint::{resolve, EndpointParams};
    use features::operation::{get_thing::GetThing, put_thing::PutThing};
    let uris = Uris::default();
    let client = features::client::blocking::Client::with_transport(
        Config::builder().region("us-east-1").build(),
        uris.clone(),
    );
    client
        .put_thing()
        .bucket("my-bucket")
        .key("k")
        .send()
        .unwrap();
    client.get_thing().bucket("my-bucket").send().unwrap();
    let seen = uris.0.lock().unwrap().clone();
    assert!(
        seen[0].starts_with("https://my-bucket.buckets.features.example/"),
        "contextParam: {}",
        seen[0]
    );
    assert!(
        seen[1].starts_with("https://premium.features.example/"),
        "staticContextParams: {}",
        seen[1]
    );

    // The sans-IO half: the same parameters, for callers with their own HTTP stack.
    let input = features::operation::put_thing::PutThingInput::builder()
        .bucket("bk2")
        .key("k")
        .build()
        .unwrap();
    let params = PutThing::endpoint_params(&input, EndpointParams::for_region("us-east-1"));
    assert_eq!(params.thing_bucket.as_deref(), Some("bk2"));
    assert_eq!(
        resolve(&params).unwrap().url,
        "https://bk2.buckets.features.example"
    );
    let get = features::operation::get_thing::GetThingInput::builder()
        .bucket("bk2")
        .build()
        .unwrap();
    assert_eq!(
        GetThing::endpoint_params(&get, EndpointParams::default()).premium,
        Some(true)
    );
}

#[test]
fn client_context_params_are_client_settings() {
    let uris = Uris::default();
    let config = Config::builder()
        .region("us-east-1")
        .client_param("Stage", "beta")
        .build();
    let client = features::client::blocking::Client::with_transport(config, uris.clone());
    client.list_things().send().unwrap();
    let seen = uris.0.lock().unwrap().clone();
    assert!(
        seen[0].starts_with("https://beta.features.us-east-1.amazonaws.com/"),
        "{}",
        seen[0]
    );
}
