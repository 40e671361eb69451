//! Credentials from the standard environment variables. A test binary of its own: it sets
//! process environment variables, which nothing else may read at the same time.

use gameliftstreams::client::{blocking, Config};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An in-memory transport: keeps each request's `authorization` and `x-amz-security-token`.
#[derive(Debug, Default, Clone)]
struct Headers(Arc<Mutex<Vec<(String, String)>>>);

impl swage_runtime::client::blocking::Transport for Headers {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _: Duration,
        _: Duration,
    ) -> Result<http::Response<Vec<u8>>, swage_runtime::client::TransportError> {
        let get = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        self.0
            .lock()
            .unwrap()
            .push((get("authorization"), get("x-amz-security-token")));
        Ok(http::Response::builder()
            .status(200)
            .body(br#"{"SessionId":"s"}"#.to_vec())
            .unwrap())
    }
}

#[test]
fn credentials_come_from_the_environment_by_default() {
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "secret-from-env");
    std::env::set_var("AWS_SESSION_TOKEN", "env-token");
    let seen = Headers::default();
    let client = blocking::Client::with_transport(
        Config::builder().region("us-east-1").build(),
        seen.clone(),
    );
    let call = || {
        client
            .create_stream_session_admin_shell()
            .identifier("sg-1AB2C3De4")
            .stream_session_identifier("ABC123def4567")
            .send()
    };
    call().unwrap();
    let (auth, token) = seen.0.lock().unwrap()[0].clone();
    assert!(auth.contains("Credential=AKIDFROMENV/"), "{auth}");
    assert_eq!(token, "env-token");
    std::env::remove_var("AWS_ACCESS_KEY_ID");
    let err = call().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the request was not sent: no credentials: AWS_ACCESS_KEY_ID is not set"
    );
    std::env::remove_var("AWS_SECRET_ACCESS_KEY");
    std::env::remove_var("AWS_SESSION_TOKEN");
}
