//! The awsJson1_0 (awsQueryCompatible) fixture (`tests/fixtures/json_rpc`, generated into `tests/json_rpc`): its own
//! protocol cases run as the crate's tests; here, what they don't show.

use ledger::http::HeaderMap;
use ledger::operation::put_entry::{PutEntry, PutEntryError, PutEntryInput};

#[test]
fn requests_are_post_slash_with_the_target_and_nothing_bound_to_http() {
    let input = PutEntryInput::builder()
        .name("a b/c")
        .trace("t")
        .build()
        .unwrap();
    let request = PutEntry::build_request(&input, "https://ledger.example/base").unwrap();
    assert_eq!(request.method(), "POST");
    // The endpoint's base path is kept; no label is put in the path.
    assert_eq!(request.uri().to_string(), "https://ledger.example/base/");
    assert_eq!(request.headers()["x-amz-target"], "Ledger.PutEntry");
    assert_eq!(
        request.headers()["content-type"],
        "application/x-amz-json-1.0"
    );
    // `@httpHeader` does not apply: the member is in the body.
    assert!(request.headers().get("x-trace").is_none());
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({"Name": "a b/c", "Trace": "t"}));
}

#[test]
fn errors_are_read_from_type_and_classified() {
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-requestid", "req-9".parse().unwrap());
    let err = PutEntry::parse_response(
        400,
        &headers,
        br#"{"__type": "com.other#Throttled", "message": "slow down"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, PutEntryError::Throttled(_)), "{err:?}");
    assert!(err.is_throttling() && err.is_retryable());
    assert_eq!(err.message(), Some("slow down"));
    assert_eq!(err.request_id(), Some("req-9"));
    // An unknown code is Unhandled, with what the response said.
    let err = PutEntry::parse_response(500, &headers, br#"{"__type": "Boom", "message": "x"}"#)
        .unwrap_err();
    assert!(matches!(err, PutEntryError::Unhandled(_)), "{err:?}");
    assert_eq!(err.code(), Some("Boom"));
}

#[test]
fn query_compatible_errors_keep_the_awsquery_code_and_fault() {
    use ledger::operation::put_entry::PutEntryError as E;
    // The `@awsQueryError` code in `x-amzn-query-error` names the modelled error when `__type`
    // names none the client knows.
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-amzn-query-error",
        "Ledger.Conflict;Sender".parse().unwrap(),
    );
    let err = PutEntry::parse_response(409, &headers, br#"{"Current": 4}"#).unwrap_err();
    match &err {
        E::EntryConflict(e) => assert_eq!(e.current(), Some(4)),
        other => panic!("{other:?}"),
    }
    // An error the model doesn't have keeps the awsQuery code and fault, as awsQuery gave them.
    headers.insert(
        "x-amzn-query-error",
        "AWS.Ledger.Closed;Receiver".parse().unwrap(),
    );
    let err = PutEntry::parse_response(
        503,
        &headers,
        br#"{"__type": "example.jsonrpc#LedgerClosed"}"#,
    )
    .unwrap_err();
    let E::Unhandled(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.code(), Some("AWS.Ledger.Closed"));
    assert_eq!(u.fault(), Some("Receiver"));
    // Requests tell the service the client understands query-compatible errors.
    let input = PutEntryInput::builder().name("n").build().unwrap();
    let request = PutEntry::build_request(&input, "https://ledger.example").unwrap();
    assert_eq!(request.headers()["x-amzn-query-mode"], "true");
}

/// A stand-in for a service that requires endpoint discovery: `DescribeEndpoints` at the
/// regional endpoint names `cell-N.ledger.example` (N counts the discoveries); `GetEntry` at a
/// cell answers, or says the endpoint is invalid while `invalid` is set.
#[derive(Debug, Default, Clone)]
struct Cells {
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String, String)>>>,
    invalid: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl swage_runtime::client::blocking::Transport for Cells {
    fn send(
        &self,
        request: ledger::http::Request<Vec<u8>>,
        _: std::time::Duration,
        _: std::time::Duration,
    ) -> Result<ledger::http::Response<Vec<u8>>, swage_runtime::client::TransportError> {
        Ok(self.respond(request))
    }
}

impl swage_runtime::client::nonblocking::AsyncTransport for Cells {
    fn send(
        &self,
        request: ledger::http::Request<Vec<u8>>,
        _: std::time::Duration,
        _: std::time::Duration,
    ) -> swage_runtime::client::nonblocking::TransportFuture<'_> {
        let response = self.respond(request);
        Box::pin(async move {
            // Answer after a turn of the executor, as a real transport would.
            tokio::task::yield_now().await;
            Ok(response)
        })
    }
}

impl Cells {
    fn discoveries(&self) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.0 == "Ledger.DescribeEndpoints")
            .count()
    }

    fn respond(&self, request: ledger::http::Request<Vec<u8>>) -> ledger::http::Response<Vec<u8>> {
        let target = request.headers()["x-amz-target"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = String::from_utf8(request.body().clone()).unwrap();
        let mut seen = self.seen.lock().unwrap();
        seen.push((target.clone(), request.uri().to_string(), body));
        let discoveries = seen
            .iter()
            .filter(|s| s.0 == "Ledger.DescribeEndpoints")
            .count();
        drop(seen);
        let (status, body) = match target.as_str() {
            "Ledger.DescribeEndpoints" => (
                200,
                format!(
                    r#"{{"Endpoints":[{{"Address":"cell-{discoveries}.ledger.example","CachePeriodInMinutes":5}},{{"Address":"spare.ledger.example","CachePeriodInMinutes":5}}]}}"#
                ),
            ),
            "Ledger.GetEntry" if self.invalid.load(std::sync::atomic::Ordering::SeqCst) => (
                421,
                r#"{"__type":"InvalidEndpointException","Message":"moved"}"#.to_owned(),
            ),
            _ => (200, r#"{"Name":"rent","Balance":7}"#.to_owned()),
        };
        ledger::http::Response::builder()
            .status(status)
            .body(body.into_bytes())
            .unwrap()
    }
}

#[test]
fn required_endpoint_discovery_asks_first_caches_and_rediscovers_after_an_invalid_endpoint() {
    use ledger::client::{blocking::Client, Config, Credentials};
    let cells = Cells::default();
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .max_attempts(1)
        .build();
    let client = Client::with_transport(config, cells.clone());
    let out = client.get_entry().name("rent").send().unwrap();
    assert_eq!(out.balance(), Some(7));
    client.get_entry().name("rent").send().unwrap();
    {
        let seen = cells.seen.lock().unwrap();
        let calls: Vec<(&str, &str)> = seen.iter().map(|s| (s.0.as_str(), s.1.as_str())).collect();
        // One discovery at the regional endpoint, then both calls at the first endpoint listed.
        assert_eq!(
            calls,
            [
                (
                    "Ledger.DescribeEndpoints",
                    "https://ledger.eu-west-1.example.com/"
                ),
                ("Ledger.GetEntry", "https://cell-1.ledger.example/"),
                ("Ledger.GetEntry", "https://cell-1.ledger.example/"),
            ]
        );
        // The discovery names the operation and its `@clientEndpointDiscoveryId` members.
        let asked: serde_json::Value = serde_json::from_str(&seen[0].2).unwrap();
        assert_eq!(
            asked,
            serde_json::json!({"Operation": "GetEntry", "Identifiers": {"Name": "rent"}})
        );
    }
    // Another identifier is another cache entry: discovered again.
    client.get_entry().name("food").send().unwrap();
    assert_eq!(cells.discoveries(), 2);
    client.get_entry().name("food").send().unwrap();
    assert_eq!(cells.discoveries(), 2);
    // The service says the endpoint moved: the error comes back, the entry goes, and the next
    // call discovers again.
    cells
        .invalid
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let err = client.get_entry().name("rent").send().unwrap_err();
    assert!(
        err.service_error()
            .is_some_and(|e| e.is_invalid_endpoint_exception()),
        "{err:?}"
    );
    cells
        .invalid
        .store(false, std::sync::atomic::Ordering::SeqCst);
    client.get_entry().name("rent").send().unwrap();
    assert_eq!(cells.discoveries(), 3);
    let last = cells.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.1, "https://cell-3.ledger.example/");
    // A configured endpoint turns discovery off: the call goes there.
    let fixed = Client::with_transport(
        Config::builder()
            .region("eu-west-1")
            .endpoint_url("https://fixed.ledger.example")
            .credentials(Credentials::new("AKID", "secret", None))
            .build(),
        cells.clone(),
    );
    fixed.get_entry().name("rent").send().unwrap();
    let last = cells.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str()),
        ("Ledger.GetEntry", "https://fixed.ledger.example/")
    );
}

#[test]
fn the_async_client_discovers_caches_and_rediscovers_the_same_way() {
    use ledger::client::{Client, Config, Credentials};
    let cells = Cells::default();
    let config = Config::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .max_attempts(1)
        .build();
    let client = Client::with_transport(config, cells.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let out = client.get_entry().name("rent").send().await.unwrap();
        assert_eq!(out.balance(), Some(7));
        client.get_entry().name("rent").send().await.unwrap();
        assert_eq!(cells.discoveries(), 1);
        let last = cells.seen.lock().unwrap().last().cloned().unwrap();
        assert_eq!(last.1, "https://cell-1.ledger.example/");
        cells
            .invalid
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let err = client.get_entry().name("rent").send().await.unwrap_err();
        assert!(
            err.service_error()
                .is_some_and(|e| e.is_invalid_endpoint_exception()),
            "{err:?}"
        );
        cells
            .invalid
            .store(false, std::sync::atomic::Ordering::SeqCst);
        client.get_entry().name("rent").send().await.unwrap();
        assert_eq!(cells.discoveries(), 2);
        let last = cells.seen.lock().unwrap().last().cloned().unwrap();
        assert_eq!(last.1, "https://cell-2.ledger.example/");
    });
}
