//! Behaviour of the feature fixture (`tests/fixtures/features/features.json`, generated into
//! `tests/features`): one test per feature family the whole-service generator needs.

// The fixture deprecates `Item` and `Color`: using them warns, as it does for users.
#![allow(deprecated)]

use features::http::HeaderMap;
use features::operation::get_thing::{GetThing, GetThingError, GetThingInput};
use features::operation::put_thing::{PutThing, PutThingInput};
use features::types::{Color, Config, Item, Priority};
use features::ViolationKind;

const ENDPOINT: &str = "https://things.example";

fn put() -> features::operation::put_thing::PutThingInputBuilder {
    PutThingInput::builder()
        .bucket("my-bucket")
        .key("a/b c.txt")
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            features::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    map
}

#[test]
fn nested_violations_have_full_paths() {
    let items = [
        Item::builder().name("ok").build().unwrap(),
        Item::builder()
            .name("far too long")
            .build_unchecked()
            .unwrap(),
    ];
    let err = put().set_items(Some(items.to_vec())).build().unwrap_err();
    let v = &err.violations()[0];
    assert_eq!(v.path(), "/Items/1/Name");
    assert_eq!(v.kind(), ViolationKind::Length);
    assert_eq!(v.message(), "Value at '/Items/1/Name' failed to satisfy constraint: Member must have length between 1 and 5, inclusive");
    // A nested structure's own builder checks its required members.
    assert_eq!(
        Item::builder().build().unwrap_err().violations()[0].path(),
        "/Name"
    );
}

#[test]
fn lookahead_patterns_are_enforced() {
    assert!(put().build().is_ok());
    let err = PutThingInput::builder()
        .bucket("xn--bucket")
        .key("k")
        .build()
        .unwrap_err();
    assert_eq!(err.violations()[0].kind(), ViolationKind::Pattern);
    assert!(err.violations()[0]
        .message()
        .ends_with("pattern: ^(?!xn--)[a-z0-9-]+$"));
}

#[test]
fn ranges_unique_items_and_enums() {
    let err = put()
        .limit(0)
        .ids("a")
        .ids("a")
        .color(Color::from("blue"))
        .priority(Priority::from(5))
        .build()
        .unwrap_err();
    let paths: Vec<(&str, ViolationKind)> = err.iter().map(|v| (v.path(), v.kind())).collect();
    assert_eq!(
        paths,
        [
            ("/Limit", ViolationKind::Range),
            ("/Ids", ViolationKind::UniqueItems),
            ("/Color", ViolationKind::Enum),
            ("/Priority", ViolationKind::Enum),
        ]
    );
    assert!(err.violations()[2]
        .message()
        .ends_with("Member must satisfy enum value set: [red, green]"));
    assert!(err.violations()[3]
        .message()
        .ends_with("Member must satisfy enum value set: [1, 10]"));
}

#[test]
fn greedy_labels_queries_and_header_lists() {
    let input = put()
        .limit(10)
        .ids("x")
        .ids("y z")
        .tags("plain")
        .tags("with, comma")
        .build()
        .unwrap();
    let request = PutThing::build_request(&input, ENDPOINT).unwrap();
    assert_eq!(request.method(), "PUT");
    assert_eq!(request.uri().path(), "/things/my-bucket/a/b%20c.txt");
    assert_eq!(
        request.uri().query(),
        Some("x-id=PutThing&limit=10&id=x&id=y%20z")
    );
    assert_eq!(request.headers()["x-tags"], "plain, \"with, comma\"");
    assert_eq!(request.headers()["content-type"], "application/json");
}

#[test]
fn bodies_carry_unions_sparse_maps_timestamps_blobs_and_defaults() {
    let input = put()
        .config(Config::Level(7))
        .attrs("set", Some("v".to_owned()))
        .attrs("unset", None)
        .when(features::DateTime::from_secs(1_576_540_098))
        .data(b"hi".to_vec())
        .color(Color::Green)
        .priority(Priority::High)
        .secret("s3cr3t")
        .build()
        .unwrap();
    let request = PutThing::build_request(&input, ENDPOINT).unwrap();
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["Config"], serde_json::json!({"Level": 7}));
    assert_eq!(
        body["Attrs"],
        serde_json::json!({"set": "v", "unset": null})
    );
    assert_eq!(body["When"], serde_json::json!(1_576_540_098));
    assert_eq!(body["Data"], "aGk=");
    assert_eq!(body["Color"], "green");
    assert_eq!(body["Priority"], 10);
    // A top-level input member's @default is the service's to apply (the restJson1 protocol
    // tests require that clients skip it); nested structures are filled in.
    assert!(body.get("Retries").is_none(), "{body}");
    assert_eq!(input.retries(), None);
    assert!(!format!("{input:?}").contains("s3cr3t"));
}

#[test]
fn idempotency_tokens_are_uuid_v4_and_fixed_at_build() {
    let input = put().build().unwrap();
    let token = input.token().unwrap().to_owned();
    assert_eq!(token.len(), 36);
    assert_eq!(&token[14..15], "4");
    assert!(matches!(&token[19..20], "8" | "9" | "a" | "b"), "{token}");
    // The same input (as a retry would send it) keeps its token; a new build gets a new one.
    let again = PutThing::build_request(&input, ENDPOINT).unwrap();
    let body: serde_json::Value = serde_json::from_slice(again.body()).unwrap();
    assert_eq!(body["Token"], token.as_str());
    assert_ne!(put().build().unwrap().token(), Some(token.as_str()));
    assert_eq!(put().token("fixed").build().unwrap().token(), Some("fixed"));
}

#[test]
fn responses_read_headers_status_unions_and_sparse_maps() {
    let body = br#"{
        "Config": {"Mode": "fast"},
        "Attrs": {"a": "1", "b": null},
        "Items": [{"Name": "x", "type": "t", "Parent": {"Name": "p"}}],
        "Created": 1576540098.5,
        "Updated": "2019-12-16T23:48:18Z",
        "Result": {"Ok": true}
    }"#;
    let out = GetThing::parse_response(
        202,
        &headers(&[
            ("ETag", "\"abc\""),
            ("X-Tags", "a, \"b,c\""),
            ("x-amzn-requestid", "r"),
        ]),
        body,
    )
    .unwrap();
    assert_eq!(out.e_tag(), Some("\"abc\""));
    assert_eq!(out.tags(), Some(&["a".to_owned(), "b,c".to_owned()][..]));
    assert_eq!(out.status(), Some(202));
    assert_eq!(out.config(), Some(&Config::Mode("fast".to_owned())));
    let attrs = out.attrs().unwrap();
    assert_eq!(attrs.get("a"), Some(&Some("1".to_owned())));
    assert_eq!(attrs.get("b"), Some(&None), "sparse maps keep nulls");
    let item = &out.items().unwrap()[0];
    assert_eq!((item.name(), item.r#type()), ("x", Some("t")));
    assert_eq!(item.parent().map(Item::name), Some("p"));
    assert_eq!(
        out.created(),
        Some(features::DateTime::from_secs_and_nanos(
            1_576_540_098,
            500_000_000
        ))
    );
    assert_eq!(
        out.updated(),
        Some(features::DateTime::from_secs(1_576_540_098))
    );
    assert_eq!(out.result().and_then(|r| r.ok()), Some(true));
    assert_eq!(out.request_id(), Some("r"));
}

#[test]
fn unions_keep_unknown_members() {
    let out =
        GetThing::parse_response(200, &HeaderMap::new(), br#"{"Config": {"Turbo": 9}}"#).unwrap();
    match out.config() {
        Some(Config::Unknown(name)) => assert_eq!(name.as_str(), "Turbo"),
        other => panic!("{other:?}"),
    }
    let out =
        GetThing::parse_response(200, &HeaderMap::new(), br#"{"Config": {"Off": {}}}"#).unwrap();
    assert_eq!(out.config(), Some(&Config::Off));
    let err = GetThing::parse_response(
        200,
        &HeaderMap::new(),
        br#"{"Config": {"Mode": "a", "Level": 1}}"#,
    )
    .unwrap_err();
    assert!(matches!(err, GetThingError::Unhandled(_)));
}

#[test]
fn errors_read_header_members() {
    let err = GetThing::parse_response(
        400,
        &headers(&[("x-amzn-errortype", "BadThing"), ("X-Reason", "quota")]),
        br#"{"Message":"no"}"#,
    )
    .unwrap_err();
    let GetThingError::BadThing(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.reason(), Some("quota"));
    assert_eq!(err.message(), Some("no"));
    let bad_header = GetThing::parse_response(
        200,
        &headers(&[("X-Tags", "a")]),
        br#"{"Created": "yesterday"}"#,
    )
    .unwrap_err();
    assert!(bad_header.to_string().contains("/Created"), "{bad_header}");
}

#[test]
fn get_requests_have_no_body() {
    let input = GetThingInput::builder().bucket("abc").build().unwrap();
    let request = GetThing::build_request(&input, ENDPOINT).unwrap();
    assert_eq!(
        (
            request.method().as_str(),
            request.uri().to_string().as_str()
        ),
        ("GET", "https://things.example/things/abc")
    );
    assert!(request.body().is_empty());
}

#[test]
fn paginated_operations_give_the_next_page_input() {
    use features::operation::list_things::{ListThings, ListThingsInput};
    let first = ListThingsInput::builder().max_results(2).build().unwrap();
    let page = ListThings::parse_response(
        200,
        &HeaderMap::new(),
        br#"{"NextToken":"t2","Things":["a","b"]}"#,
    )
    .unwrap();
    let second = first.next_page(&page).expect("a next page");
    assert_eq!(
        (second.next_token(), second.max_results()),
        (Some("t2"), Some(2))
    );
    assert_eq!(
        ListThings::build_request(&second, ENDPOINT)
            .unwrap()
            .uri()
            .query(),
        Some("nextToken=t2&maxResults=2")
    );
    // The last page: no token, an empty one, or the same token again.
    for body in [
        &br#"{"Things":[]}"#[..],
        br#"{"NextToken":""}"#,
        br#"{"NextToken":"t2"}"#,
    ] {
        let last = ListThings::parse_response(200, &HeaderMap::new(), body).unwrap();
        assert_eq!(
            second.next_page(&last),
            None,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn shapes_and_operations_named_like_prelude_types_work() {
    // The operation `Box` (a type named like std's, in a module named with a keyword) and the
    // structures `Option` and `Result`: their files write std's names in full.
    use features::operation::r#box::{Box, BoxInput};
    let err = BoxInput::builder().id("").build().unwrap_err();
    assert_eq!(err.violations()[0].path(), "/Id");
    let input = BoxInput::builder().id("b 1").build().unwrap();
    assert_eq!(
        Box::build_request(&input, ENDPOINT).unwrap().uri().path(),
        "/box/b%201"
    );
    let out = Box::parse_response(
        200,
        &HeaderMap::new(),
        br#"{"Contents":{"Label":"hi","Nested":{"Ok":true}}}"#,
    )
    .unwrap();
    let contents: &features::types::Option = out.contents().expect("contents");
    assert_eq!(
        (contents.label(), contents.nested().and_then(|r| r.ok())),
        (Some("hi"), Some(true))
    );
    assert!(Box::parse_response(200, &HeaderMap::new(), br#"{"Contents":{"Label":7}}"#).is_err());
}

#[test]
fn host_prefixes_take_host_labels() {
    use features::operation::ping::{Ping, PingInput};
    let input = PingInput::builder()
        .account_id("123456789012")
        .build()
        .unwrap();
    let request = Ping::build_request(&input, ENDPOINT).unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://123456789012.ping-things.example/ping"
    );
    for bad in ["evil.com/x", "a b", ""] {
        let input = PingInput::builder().account_id(bad).build().unwrap();
        assert!(
            matches!(
                Ping::build_request(&input, ENDPOINT),
                Err(features::RequestError::InvalidHostLabel { .. })
            ),
            "{bad}"
        );
    }
}

mod endpoints {
    use features::endpoint::{resolve, EndpointError, EndpointParams};

    #[test]
    fn defaults_of_every_type_and_headers() {
        let params = EndpointParams::for_region("us-west-2");
        assert_eq!(params.stage, "prod");
        assert_eq!(params.zones, ["z1", "z2"]);
        let e = resolve(&params).unwrap();
        assert_eq!(e.url, "https://prod.features.us-west-2.amazonaws.com");
        assert_eq!(e.headers["x-zone"], ["z1"]);
        assert_eq!(
            e.headers["x-account"],
            ["none"],
            "coalesce falls back to its last argument"
        );
        let e = resolve(&EndpointParams {
            account_id: Some("12".into()),
            zones: vec!["z7".into()],
            ..params.clone()
        })
        .unwrap();
        assert_eq!(
            (
                e.headers["x-zone"][0].as_str(),
                e.headers["x-account"][0].as_str()
            ),
            ("z7", "12")
        );
    }

    #[test]
    fn arns_route_and_set_signing_properties() {
        let params = EndpointParams {
            resource_arn: Some("arn:aws:features:eu-central-1:123456789012:thing/my-thing".into()),
            ..Default::default()
        };
        let e = resolve(&params).unwrap();
        assert_eq!(e.url, "https://my-thing.eu-central-1.features.example");
        assert_eq!(
            (e.signing_name(), e.signing_region()),
            (Some("features"), Some("eu-central-1"))
        );
        let params = EndpointParams {
            resource_arn: Some("arn:aws:features:eu-central-1:1:thing/not_a_label".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve(&params),
            Err(EndpointError::Rule(
                "Invalid ARN: arn:aws:features:eu-central-1:1:thing/not_a_label".into()
            ))
        );
    }

    #[test]
    fn endpoint_overrides_are_parsed_urls() {
        let params = EndpointParams {
            endpoint: Some("http://[::1]:8080/a/b".into()),
            stage: "dev".into(),
            ..Default::default()
        };
        let e = resolve(&params).unwrap();
        assert_eq!(e.url, "http://[::1]:8080/a/b/dev");
        assert_eq!(e.headers["x-ip"], ["true"]);
        let params = EndpointParams {
            endpoint: Some("not a url".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve(&params).unwrap_err().to_string(),
            "Invalid Configuration: `not a url` is not a URL without a query"
        );
    }

    #[test]
    fn substrings_encoding_and_literal_braces() {
        let e = resolve(&EndpointParams {
            account_id: Some("9999/x y".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(e.url, "https://9999.accounts.features.example/9999%2Fx%20y");
        let bad_stage = EndpointParams {
            stage: "UPPER".into(),
            ..EndpointParams::for_region("us-east-1")
        };
        assert_eq!(
            resolve(&bad_stage).unwrap_err().to_string(),
            "Stage {UPPER} is not a host label"
        );
        let fips = EndpointParams {
            use_fips: true,
            ..EndpointParams::for_region("eu-isoe-west-1")
        };
        assert_eq!(
            resolve(&fips).unwrap().url,
            "https://features-fips.eu-isoe-west-1.cloud.adc-e.uk"
        );
    }
}

#[test]
fn deprecated_shapes_are_deprecated_for_users() {
    let types =
        std::fs::read_to_string(swage_tests::repo_root().join("tests/features/src/types/mod.rs"))
            .unwrap();
    for item in ["pub struct Item {", "pub enum Color {"] {
        let at = types.find(item).unwrap_or_else(|| panic!("{item}"));
        let before = &types[..at];
        let attr = before
            .rfind("#[deprecated(note = \"Use something else.\")]")
            .expect("a #[deprecated] attribute");
        assert!(
            !before[attr..].contains("\npub "),
            "{item}: the attribute is on this item"
        );
    }
    assert!(
        types.starts_with("// Code generated") && types.contains("#![allow(deprecated)]"),
        "the crate's own uses don't warn"
    );
}

#[test]
fn constraints_apply_at_every_level_of_nested_lists_and_maps() {
    let input = put()
        .matrix(vec!["ok".to_owned()])
        .matrix(vec!["a".to_owned(), "toolong".to_owned(), String::new()])
        .groups("g", vec!["abcd".to_owned()])
        .build();
    let messages: Vec<String> = input
        .unwrap_err()
        .iter()
        .map(|v| format!("{} {:?}", v.path(), v.kind()))
        .collect();
    assert_eq!(
        messages,
        [
            "/Matrix/1 Length",
            "/Matrix/1/1 Length",
            "/Matrix/1/2 Length",
            "/Groups/g/0 Length"
        ]
    );
    let ok = put()
        .matrix(vec!["a".to_owned(), "bc".to_owned()])
        .groups("g", vec!["xyz".to_owned()])
        .build()
        .unwrap();
    let request = PutThing::build_request(&ok, "https://example.com").unwrap();
    let body = swage_runtime::value::parse(request.body()).unwrap();
    assert_eq!(body["Matrix"][0][1].as_str(), Some("bc"));
    assert_eq!(body["Groups"]["g"][0].as_str(), Some("xyz"));
}

#[test]
fn the_fixtures_protocol_cases_become_tests_and_skips_say_why() {
    // `tests/features/src/protocol_tests.rs` holds the tests themselves (run by `cargo test -p
    // features`); the manifest says which case each one is and what was left out.
    let manifest =
        std::fs::read_to_string(swage_tests::repo_root().join("tests/features/protocol-tests.txt"))
            .unwrap();
    let lines: Vec<&str> = manifest.lines().collect();
    assert!(
        lines.contains(&"test\trequest_features_put_thing\tFeaturesPutThing"),
        "{manifest}"
    );
    assert!(
        lines.contains(&"test\tresponse_features_bad_thing\tFeaturesBadThing"),
        "{manifest}"
    );
    assert!(lines.contains(&"skip\tFeaturesUnknownMember\tparams: `example.features#PutThingInput` has no member `Nope`"), "{manifest}");
    assert!(
        !manifest.contains("FeaturesServerOnly"),
        "server cases are not for clients"
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("test\t")).count(), 5);
}

/// `PutThing` binds endpoint parameters three ways: `operationContextParams` paths (`Key`, and
/// `Items[*].Name` projected into a string array), a `contextParam` member (`Bucket`), each
/// over what the client's configuration gave.
#[test]
fn operation_context_params_are_read_from_the_input() {
    use features::endpoint::EndpointParams;
    let base = EndpointParams {
        region: Some("us-west-2".to_owned()),
        ..EndpointParams::default()
    };
    let input = put()
        .items(Item::builder().name("one").build().unwrap())
        .items(Item::builder().name("two").build().unwrap())
        .build()
        .unwrap();
    let params = PutThing::endpoint_params(&input, base.clone());
    assert_eq!(params.resource_arn.as_deref(), Some("a/b c.txt"));
    assert_eq!(params.zones, ["one", "two"]);
    assert_eq!(params.thing_bucket.as_deref(), Some("my-bucket"));
    assert_eq!(params.region.as_deref(), Some("us-west-2"));
    // No list in the input: the path selects nothing, and the parameter keeps its default.
    let params = PutThing::endpoint_params(&put().build().unwrap(), base.clone());
    assert_eq!(params.zones, ["z1", "z2"]);
    // An empty list selects an empty list.
    let input = put().set_items(Some(vec![])).build().unwrap();
    assert!(PutThing::endpoint_params(&input, base).zones.is_empty());
}
