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
