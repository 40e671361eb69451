//! Behaviour of the generated `gameliftstreams` crate, driven through its public API as a user
//! would.

use gameliftstreams::http::{HeaderMap, HeaderValue};
use gameliftstreams::operation::create_stream_session_admin_shell::{
    CreateStreamSessionAdminShell as Op, CreateStreamSessionAdminShellError as OpError,
    CreateStreamSessionAdminShellInput as Input, CreateStreamSessionAdminShellOutput as Output,
};
use gameliftstreams::types::error::*;
use gameliftstreams::ViolationKind;

const ENDPOINT: &str = "https://gameliftstreams.us-west-2.api.aws";

fn input(id: &str, session: &str) -> Result<Input, gameliftstreams::ConstraintViolations> {
    Input::builder()
        .identifier(id)
        .stream_session_identifier(session)
        .build()
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            gameliftstreams::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

fn messages(e: &gameliftstreams::ConstraintViolations) -> Vec<String> {
    e.iter().map(|v| v.message().to_owned()).collect()
}

#[test]
fn length_boundaries_count_unicode_scalar_values() {
    let len = |n: usize| "a".repeat(n);
    assert!(input(&len(1), "s").is_ok());
    assert!(input(&len(128), "s").is_ok());
    let err = input(&len(129), "s").unwrap_err();
    assert_eq!(
        messages(&err),
        ["Value at '/Identifier' failed to satisfy constraint: Member must have length between 1 and 128, inclusive"]
    );
    assert_eq!(err.violations()[0].path(), "/Identifier");
    assert_eq!(err.violations()[0].kind(), ViolationKind::Length);
    // Empty: too short, and the pattern needs at least one character too.
    let err = input("", "s").unwrap_err();
    let kinds: Vec<_> = err.iter().map(|v| v.kind()).collect();
    assert_eq!(kinds, [ViolationKind::Length, ViolationKind::Pattern]);
    // 128 multi-byte characters are 128 long, not 512 (they fail the pattern, not the length).
    let thumbs = "👍".repeat(128);
    let err = input(&thumbs, "s").unwrap_err();
    assert_eq!(
        err.iter().map(|v| v.kind()).collect::<Vec<_>>(),
        [ViolationKind::Pattern]
    );
    let err = input(&"👍".repeat(129), "s").unwrap_err();
    assert_eq!(
        err.iter().map(|v| v.kind()).collect::<Vec<_>>(),
        [ViolationKind::Length, ViolationKind::Pattern]
    );
}

#[test]
fn patterns_accept_ids_and_arns_and_reject_the_rest() {
    for ok in [
        "sg-1AB2C3De4",
        "ABC123def4567",
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
    ] {
        assert!(input(ok, ok).is_ok(), "{ok}");
    }
    for bad in [
        "sg 1",
        "sg-1\n",
        "\nsg-1",
        "sg_1",
        "arn:aws:gameliftstreams:us-west-2:1111:streamgroup/x",
        "arn:aws:s3:::bucket",
        "é",
    ] {
        let err = input(bad, "s").unwrap_err();
        assert_eq!(
            messages(&err),
            [
                r"Value at '/Identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)$)"
            ],
            "{bad:?}"
        );
    }
}

#[test]
fn every_violation_is_reported_at_once() {
    let err = Input::builder().build().unwrap_err();
    assert_eq!(
        messages(&err),
        [
            "Value at '/Identifier' failed to satisfy constraint: Member must not be null",
            "Value at '/StreamSessionIdentifier' failed to satisfy constraint: Member must not be null",
        ]
    );
    let err = Input::builder().identifier("bad id").build().unwrap_err();
    assert_eq!(err.len(), 2);
    assert_eq!(
        err.to_string().split(": ").next(),
        Some("2 validation errors detected")
    );
    let err: Box<dyn std::error::Error> = Box::new(err);
    assert!(err.to_string().contains("/StreamSessionIdentifier"));
}

#[test]
fn required_members_read_as_str() {
    let i = input("sg-1", "s-1").unwrap();
    let id: &str = i.identifier();
    assert_eq!(id, "sg-1");
    assert_eq!(i.stream_session_identifier(), "s-1");
    let b = Input::builder().identifier("x");
    assert_eq!(b.get_identifier().as_deref(), Some("x"));
    assert_eq!(b.clone().set_identifier(None).get_identifier(), &None);
}

#[test]
fn the_escape_hatch_skips_constraints_but_not_required() {
    let relaxed = Input::builder()
        .identifier("not a valid id!")
        .stream_session_identifier("s")
        .build_unchecked()
        .unwrap();
    assert_eq!(relaxed.identifier(), "not a valid id!");
    let err = Input::builder()
        .identifier("x")
        .build_unchecked()
        .unwrap_err();
    assert_eq!(err.violations()[0].kind(), ViolationKind::Required);
}

#[test]
fn the_request_line_and_uri_are_exact() {
    let i = input(
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
        "ABC123def4567",
    )
    .unwrap();
    let request = Op::build_request(&i, ENDPOINT).unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri().to_string(),
        "https://gameliftstreams.us-west-2.api.aws/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4/streamsessions/ABC123def4567/access"
    );
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
    // Trailing slashes and base paths on the endpoint.
    let i = input("sg-1", "s-1").unwrap();
    for (endpoint, expected) in [
        (
            "https://gameliftstreams.us-west-2.api.aws/",
            "https://gameliftstreams.us-west-2.api.aws/streamgroups/sg-1/streamsessions/s-1/access",
        ),
        (
            "http://localhost:8080/base/",
            "http://localhost:8080/base/streamgroups/sg-1/streamsessions/s-1/access",
        ),
        (
            "http://localhost:8080/base",
            "http://localhost:8080/base/streamgroups/sg-1/streamsessions/s-1/access",
        ),
    ] {
        assert_eq!(
            Op::build_request(&i, endpoint).unwrap().uri().to_string(),
            expected
        );
    }
    assert!(matches!(
        Op::build_request(&i, "not a url"),
        Err(gameliftstreams::RequestError::InvalidEndpoint { .. })
    ));
}

#[test]
fn labels_stay_in_their_segment() {
    let hostile = ["a/b", "a?b=c", "a#b", "50%", "%2F", "../x"];
    for value in hostile {
        let i = Input::builder()
            .identifier(value)
            .stream_session_identifier("s")
            .build_unchecked()
            .unwrap();
        let uri = Op::build_request(&i, ENDPOINT).unwrap().uri().clone();
        assert!(uri.query().is_none(), "{value}");
        let segments: Vec<&str> = uri.path().split('/').collect();
        assert_eq!(segments.len(), 6, "{value} -> {uri}");
        assert_eq!(segments[3], "streamsessions");
    }
    for value in [".", ".."] {
        let i = Input::builder()
            .identifier(value)
            .stream_session_identifier("s")
            .build_unchecked()
            .unwrap();
        assert_eq!(
            Op::build_request(&i, ENDPOINT).unwrap_err(),
            gameliftstreams::RequestError::DotSegmentLabel {
                member: "Identifier"
            }
        );
    }
    let i = Input::builder()
        .identifier("")
        .stream_session_identifier("s")
        .build_unchecked()
        .unwrap();
    assert_eq!(
        Op::build_request(&i, ENDPOINT).unwrap_err(),
        gameliftstreams::RequestError::EmptyLabel {
            member: "Identifier"
        }
    );
}

fn parse(status: u16, h: &[(&str, &str)], body: &str) -> Result<Output, OpError> {
    Op::parse_response(status, &headers(h), body.as_bytes())
}

#[test]
fn success_bodies() {
    let out = parse(
        200,
        &[("x-amzn-requestid", "req-1")],
        r#"{"SessionId":"s-1","StreamUrl":"wss://x","TokenValue":"secret","Extra":{"a":[1]}}"#,
    )
    .unwrap();
    assert_eq!(out.session_id(), Some("s-1"));
    assert_eq!(out.stream_url(), Some("wss://x"));
    assert_eq!(out.token_value(), Some("secret"));
    assert_eq!(out.request_id(), Some("req-1"));
    let out = parse(200, &[], r#"{"SessionId":null}"#).unwrap();
    assert_eq!(out.session_id(), None);
    assert_eq!(out.request_id(), None);
    assert_eq!(parse(200, &[], "").unwrap(), Output::builder().build());
    assert_eq!(parse(200, &[], "{}").unwrap(), Output::builder().build());
}

#[test]
fn malformed_success_bodies_are_errors() {
    for body in [
        r#"{"SessionId":5}"#,
        r#"{"TokenValue":["x"]}"#,
        "<html>",
        "[1,2]",
        "{\"SessionId\":",
        "\"str\"",
    ] {
        let err = parse(200, &[("x-amzn-requestid", "r")], body).unwrap_err();
        let OpError::Unhandled(u) = &err else {
            panic!("{body}: {err:?}")
        };
        assert!(u.parse_error().is_some(), "{body}");
        assert_eq!(u.status(), 200);
        assert_eq!(err.request_id(), Some("r"));
    }
    let err = parse(200, &[], r#"{"SessionId":5}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unreadable response (HTTP 200): expected a string at `/SessionId` in the response body, found a number"
    );
}

#[test]
fn every_error_variant_by_header_code_and_type() {
    type Case = (&'static str, u16, fn(&OpError) -> bool);
    let cases: [Case; 6] = [
        ("AccessDeniedException", 403, |e| {
            matches!(e, OpError::AccessDeniedException(_))
        }),
        ("InternalServerException", 500, |e| {
            matches!(e, OpError::InternalServerException(_))
        }),
        ("ResourceNotFoundException", 404, |e| {
            matches!(e, OpError::ResourceNotFoundException(_))
        }),
        ("StreamSessionAccessNotReadyException", 409, |e| {
            matches!(e, OpError::StreamSessionAccessNotReadyException(_))
        }),
        ("ThrottlingException", 429, |e| {
            matches!(e, OpError::ThrottlingException(_))
        }),
        ("ValidationException", 400, |e| {
            matches!(e, OpError::ValidationException(_))
        }),
    ];
    for (code, status, is) in cases {
        let body = r#"{"Message":"it failed"}"#;
        let by_header = parse(
            status,
            &[("X-Amzn-Errortype", code), ("x-amzn-requestid", "r-9")],
            body,
        )
        .unwrap_err();
        let namespaced =
            format!("com.amazonaws.gameliftstreams#{code}:http://internal.amazon.com/coral/");
        let by_namespaced_header =
            parse(status, &[("x-amzn-errortype", &namespaced)], body).unwrap_err();
        let by_code = parse(
            status,
            &[],
            &format!(r#"{{"code":"{code}","Message":"it failed"}}"#),
        )
        .unwrap_err();
        let by_type = parse(
            status,
            &[],
            &format!(
                r#"{{"__type":"com.amazonaws.gameliftstreams#{code}","message":"it failed"}}"#
            ),
        )
        .unwrap_err();
        let padded =
            parse(status, &[("X-AMZN-ERRORTYPE", &format!("  {code} "))], body).unwrap_err();
        for e in [
            &by_header,
            &by_namespaced_header,
            &by_code,
            &by_type,
            &padded,
        ] {
            assert!(is(e), "{code}: {e:?}");
            assert_eq!(e.code(), Some(code));
            assert_eq!(e.message(), Some("it failed"));
            assert_eq!(e.to_string(), format!("{code}: it failed"));
        }
        assert_eq!(by_header.request_id(), Some("r-9"));
    }
    let e = parse(
        500,
        &[("x-amzn-errortype", "InternalServerException")],
        "{}",
    )
    .unwrap_err();
    assert!(e.is_retryable() && !e.is_throttling() && e.is_internal_server_exception());
    let e = parse(429, &[("x-amzn-errortype", "ThrottlingException")], "{}").unwrap_err();
    assert!(e.is_retryable() && e.is_throttling());
    let e = parse(
        409,
        &[("x-amzn-errortype", "StreamSessionAccessNotReadyException")],
        "{}",
    )
    .unwrap_err();
    assert!(e.is_retryable() && !e.is_throttling());
    let e = parse(400, &[("x-amzn-errortype", "ValidationException")], "{}").unwrap_err();
    assert!(!e.is_retryable());
    assert_eq!(e.to_string(), "ValidationException");
    // The header wins over the body.
    let e = parse(
        400,
        &[("x-amzn-errortype", "ValidationException")],
        r#"{"code":"AccessDeniedException"}"#,
    )
    .unwrap_err();
    assert!(e.is_validation_exception());
}

#[test]
fn unknown_and_missing_codes_are_unhandled() {
    let e = parse(
        418,
        &[
            ("x-amzn-errortype", "TeapotException"),
            ("x-amzn-requestid", "r-1"),
        ],
        r#"{"message":"short and stout"}"#,
    )
    .unwrap_err();
    let OpError::Unhandled(u) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (u.status(), u.code(), u.message(), u.request_id()),
        (
            418,
            Some("TeapotException"),
            Some("short and stout"),
            Some("r-1")
        )
    );
    assert_eq!(u.body(), br#"{"message":"short and stout"}"#);
    assert!(u.parse_error().is_none());
    assert_eq!(
        e.to_string(),
        "unhandled error TeapotException (HTTP 418): short and stout (request id r-1)"
    );
    let e = parse(503, &[], "Service Unavailable").unwrap_err();
    assert_eq!(e.code(), None);
    assert!(e.is_retryable());
    let e = parse(502, &[], "").unwrap_err();
    assert_eq!(e.to_string(), "unhandled error without a code (HTTP 502)");
    // A modelled code whose body doesn't fit the model is unhandled, with the reason.
    let e = parse(
        403,
        &[("x-amzn-errortype", "AccessDeniedException")],
        r#"{"Message":42}"#,
    )
    .unwrap_err();
    let OpError::Unhandled(u) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(u.code(), Some("AccessDeniedException"));
    assert!(u.parse_error().is_some());
}

#[test]
fn sensitive_values_are_redacted() {
    let out = parse(
        200,
        &[],
        r#"{"SessionId":"s-1","TokenValue":"TOP-SECRET-TOKEN"}"#,
    )
    .unwrap();
    let debug = format!("{out:?}");
    assert!(!debug.contains("TOP-SECRET-TOKEN"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"));
    assert!(debug.contains("s-1"));
    let builder = Output::builder().token_value("TOP-SECRET-TOKEN");
    assert!(!format!("{builder:?}").contains("TOP-SECRET-TOKEN"));
    // Only the getter gives it out.
    assert_eq!(out.token_value(), Some("TOP-SECRET-TOKEN"));
}

#[test]
fn modelled_errors_stand_alone() {
    let e = AccessDeniedException::builder().message("no").build();
    assert_eq!(e.message(), Some("no"));
    assert_eq!(AccessDeniedException::CODE, "AccessDeniedException");
    let wrapped = OpError::AccessDeniedException(e.clone());
    assert_eq!(
        std::error::Error::source(&wrapped).map(|s| s.to_string()),
        Some("AccessDeniedException: no".to_owned())
    );
}

#[test]
fn public_types_are_send_sync_clone_eq_debug() {
    fn check<T: Send + Sync + Clone + PartialEq + std::fmt::Debug>() {}
    check::<Input>();
    check::<Output>();
    check::<OpError>();
    check::<Op>();
    check::<gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShellInputBuilder>();
    check::<AccessDeniedException>();
    check::<InternalServerException>();
    check::<ResourceNotFoundException>();
    check::<StreamSessionAccessNotReadyException>();
    check::<ThrottlingException>();
    check::<ValidationException>();
    check::<gameliftstreams::ConstraintViolations>();
    check::<gameliftstreams::Unhandled>();
}

/// Generic code (a transport, a test double) can drive any operation through the trait.
fn request_for<O: swage_runtime::Operation>(
    input: &O::Input,
) -> gameliftstreams::http::Request<Vec<u8>> {
    O::build_request(input, ENDPOINT).unwrap()
}

#[test]
fn the_operation_trait_drives_any_operation() {
    let i = input("sg-1", "s-1").unwrap();
    assert_eq!(
        request_for::<Op>(&i).uri().path(),
        "/streamgroups/sg-1/streamsessions/s-1/access"
    );
    assert_eq!(
        <Op as swage_runtime::Operation>::NAME,
        "CreateStreamSessionAdminShell"
    );
    let parsed = <Op as swage_runtime::Operation>::parse_response(
        404,
        &headers(&[("x-amzn-errortype", "ResourceNotFoundException")]),
        b"{}",
    );
    assert!(matches!(parsed, Err(OpError::ResourceNotFoundException(_))));
}

mod endpoints {
    use super::*;
    use gameliftstreams::endpoint::{
        resolve, resolve_with, EndpointError, EndpointParams, Partitions,
    };

    fn url(params: &EndpointParams) -> Result<String, String> {
        resolve(params).map(|e| e.url).map_err(|e| e.to_string())
    }

    #[test]
    fn a_region_is_all_it_takes() {
        assert_eq!(
            url(&EndpointParams::for_region("us-west-2")),
            Ok("https://gameliftstreams.us-west-2.api.aws".to_owned())
        );
        assert_eq!(
            url(&EndpointParams::for_region("cn-north-1")),
            Ok("https://gameliftstreams.cn-north-1.api.amazonwebservices.com.cn".to_owned())
        );
        let fips = EndpointParams {
            use_fips: true,
            ..EndpointParams::for_region("us-gov-west-1")
        };
        assert_eq!(
            url(&fips),
            Ok("https://gameliftstreams-fips.us-gov-west-1.api.aws".to_owned())
        );
    }

    #[test]
    fn the_rule_sets_errors_come_through_word_for_word() {
        assert_eq!(
            url(&EndpointParams::default()),
            Err("Invalid Configuration: Missing Region".to_owned())
        );
        let both = EndpointParams {
            endpoint: Some("https://example.com".into()),
            use_fips: true,
            ..EndpointParams::default()
        };
        assert_eq!(
            resolve(&both),
            Err(EndpointError::Rule(
                "Invalid Configuration: FIPS and custom endpoint are not supported".into()
            ))
        );
    }

    #[test]
    fn an_endpoint_override_wins_and_feeds_build_request() {
        let params = EndpointParams {
            endpoint: Some("http://127.0.0.1:9000".into()),
            ..EndpointParams::for_region("us-east-1")
        };
        let endpoint = resolve(&params).unwrap();
        assert_eq!(endpoint.url, "http://127.0.0.1:9000");
        let i = input("sg-1AB2C3De4", "ABC123def4567").unwrap();
        let request = Op::build_request(&i, &endpoint.url).unwrap();
        assert_eq!(request.uri().host(), Some("127.0.0.1"));
        let endpoint = resolve(&EndpointParams::for_region("eu-west-1")).unwrap();
        let request = Op::build_request(&i, &endpoint.url).unwrap();
        assert_eq!(
            request.uri().host(),
            Some("gameliftstreams.eu-west-1.api.aws")
        );
    }

    #[test]
    fn users_can_bring_newer_partition_data() {
        let data = r#"{"version": "1.1", "partitions": [{"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {},
            "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.example", "implicitGlobalRegion": "us-east-1", "supportsFIPS": true, "supportsDualStack": true}}]}"#;
        let partitions = Partitions::from_json(data).unwrap();
        let e = resolve_with(&EndpointParams::for_region("eu-south-7"), &partitions).unwrap();
        assert_eq!(e.url, "https://gameliftstreams.eu-south-7.api.example");
        assert!(Partitions::from_json("{\"partitions\": 1}").is_err());
    }
}
