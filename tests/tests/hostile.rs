//! The hostile fixture (`tests/fixtures/hostile`): members named like the methods the
//! generated code defines or calls, Java-only patterns, large errors and unions, and
//! documentation with tabs and blank lines, as published models have them. The crate compiling,
//! clippy- and doc-clean is checked by CI; here its builders, accessors, checks and errors work.

use hostile::http::HeaderMap;
use hostile::operation::collide::{Collide, CollideError, CollideInput, CollideOutput};
use hostile::operation::large::{Large, LargeError};
use hostile::operation::r#match::MatchInput;
use hostile::types::Choice;

#[test]
fn members_named_like_methods_get_their_documented_alternatives() {
    // `Default`, `Build`, `Builder`, `Clone`, `Into`, `From`, `Add`, `Next`, `Validate`,
    // `Check`, `Send` and `RequestId` would shadow or collide; `Name`'s `set_name`/`get_name`
    // twins (`SetName`, `GetName`) and `NameValue` too. `Builds`, `Code` and `Message` are free
    // on a structure that is not an error.
    let input = CollideInput::builder()
        .default_value("d")
        .build_value("b")
        .builds("bs")
        .builder_value("br")
        .clone_value("c")
        .into_value("i")
        .from_value("f")
        .add_value("a")
        .next_value("n")
        .code("co")
        .message("m")
        .request_id_value("r")
        .validate_value("v")
        .check_value("ch")
        .send_value("s")
        .name("name")
        .set_name_value2("set")
        .get_name("get")
        .name_value("nv")
        .r#type("t")
        .self_("self")
        .build()
        .expect("every member is valid");
    assert_eq!(input.default_value(), "d");
    assert_eq!(input.build_value(), Some("b"));
    assert_eq!(input.builds(), Some("bs"));
    assert_eq!(input.clone_value(), Some("c"));
    assert_eq!(input.name(), Some("name"));
    assert_eq!(input.set_name_value2(), Some("set"));
    assert_eq!(input.get_name(), Some("get"));
    assert_eq!(input.name_value(), Some("nv"));
    // The trait methods still mean what they mean.
    let copy = input.clone();
    assert_eq!(copy, input);
    // The `set_`/`get_` of `Name` are still `Name`'s.
    let builder = CollideInput::builder().set_name(Some("x".into()));
    assert_eq!(builder.get_name_value2(), &Some("x".to_owned()));
    // `Default` is required: the builder says so under the model's name.
    let err = CollideInput::builder().build().unwrap_err();
    assert!(err.to_string().contains("/Default"), "{err}");

    let request = Collide::build_request(&input, "https://hostile.example").unwrap();
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["Default"], "d");
    assert_eq!(body["SetName"], "set");
    assert_eq!(body["GetName"], "get");
    assert_eq!(body["Self"], "self");

    let output: CollideOutput = Collide::parse_response(
        200,
        &HeaderMap::new(),
        br#"{"Default": "od", "Into": "oi", "RequestId": "member", "Message": "om"}"#,
    )
    .unwrap();
    assert_eq!(output.default_value(), Some("od"));
    assert_eq!(output.into_value(), Some("oi"));
    assert_eq!(output.request_id_value(), Some("member"));
    assert_eq!(output.message(), Some("om"));
}

#[test]
fn errors_with_required_message_and_code_members() {
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-errortype", "Conflict".parse().unwrap());
    headers.insert("x-amzn-requestid", "req-1".parse().unwrap());
    let err = Collide::parse_response(
        409,
        &headers,
        br#"{"Message": "in use", "Code": "C-1", "RequestId": "member-id", "Source": "s"}"#,
    )
    .unwrap_err();
    let CollideError::Conflict(conflict) = &err else {
        panic!("{err:?}");
    };
    // The members, under their alternative names; the error's own helpers beside them.
    assert_eq!(conflict.message_value(), "in use");
    assert_eq!(conflict.code_value(), "C-1");
    assert_eq!(conflict.request_id_value(), Some("member-id"));
    assert_eq!(conflict.source_value(), Some("s"));
    assert_eq!(conflict.message(), Some("in use"));
    assert_eq!(conflict.request_id(), Some("req-1"));
    assert_eq!(err.code(), Some("Conflict"));
    assert_eq!(err.message(), Some("in use"));
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.to_string(), "Conflict: in use");

    headers.insert("x-amzn-errortype", "Sensitive".parse().unwrap());
    let err = Collide::parse_response(403, &headers, br#"{"message": "secret"}"#).unwrap_err();
    assert!(matches!(err, CollideError::Sensitive(_)), "{err:?}");
    assert!(!format!("{err:?}").contains("secret"));
}

#[test]
fn large_errors_and_union_variants_are_boxed_and_work() {
    // Errors and union members large enough to trip clippy's size lints are held boxed.
    assert!(std::mem::size_of::<LargeError>() <= 64);
    assert!(std::mem::size_of::<Choice>() <= 32);
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-errortype", "HugeError".parse().unwrap());
    let err = Large::parse_response(500, &headers, br#"{"Message": "big", "Field07": "seven"}"#)
        .unwrap_err();
    match &err {
        LargeError::HugeError(e) => {
            let boxed: &hostile::types::error::HugeError = e.as_ref();
            assert_eq!(boxed.field07(), Some("seven"));
            assert_eq!(e.field07(), Some("seven"));
            assert_eq!(e.message(), Some("big"));
        }
        other => panic!("{other:?}"),
    }
    let out = Large::parse_response(
        200,
        &HeaderMap::new(),
        br#"{"Field00": "a", "Choice": {"Big": {"Field39": "z"}}}"#,
    )
    .unwrap();
    assert_eq!(out.field00(), Some("a"));
    match out.choice() {
        Some(Choice::Big(bulky)) => assert_eq!(bulky.field39(), Some("z")),
        other => panic!("{other:?}"),
    }
}

/// Each pattern is Java-only syntax from a published model (or of the same kind), enforced
/// with Java's meaning.
#[test]
fn java_only_patterns_are_enforced_with_javas_meaning() {
    let ok = |b: hostile::operation::r#match::MatchInputBuilder| b.build().map(|_| ());
    let bad = |b: hostile::operation::r#match::MatchInputBuilder, path: &str| {
        let err = b.build().unwrap_err();
        assert!(err.to_string().contains(path), "{err}");
    };
    // `^[-_a-zA-Z0-9]*${2,64}$`: `${2,64}` is `$`.
    ok(MatchInput::builder().slug("my-slug_1")).unwrap();
    ok(MatchInput::builder().slug("trailing\n")).unwrap();
    bad(MatchInput::builder().slug("no spaces"), "/Slug");
    // `X{11}{0,1011}` is `X{11}`: Java ignores the second count.
    let arn = "arn:aws:rbin:123456789012:rule/";
    ok(MatchInput::builder().rule_arn(format!("{arn}abcdefghijk"))).unwrap();
    bad(
        MatchInput::builder().rule_arn(format!("{arn}{}", "a".repeat(22))),
        "/RuleArn",
    );
    // Possessive quantifiers: `^[A-Z]++-\d{2,4}+$`.
    ok(MatchInput::builder().ticket("AB-123")).unwrap();
    bad(MatchInput::builder().ticket("AB-12345"), "/Ticket");
    bad(MatchInput::builder().ticket("ab-12"), "/Ticket");
    // `(?i)`, an atomic group and a class intersection: `(?i)^(?>ab|abc)[a-z&&[^x]]$`.
    ok(MatchInput::builder().word("ABd")).unwrap();
    ok(MatchInput::builder().word("abc")).unwrap();
    bad(MatchInput::builder().word("ABCd"), "/Word");
    bad(MatchInput::builder().word("abx"), "/Word");
    // A script, a POSIX class and `\Z`: `^\p{IsLatin}+\p{Punct}?\Z`.
    ok(MatchInput::builder().letters("Été!")).unwrap();
    bad(MatchInput::builder().letters("αβγ"), "/Letters");
    // The message quotes the model's pattern, not its translation.
    let err = MatchInput::builder().ticket("x").build().unwrap_err();
    assert!(err.to_string().contains(r"^[A-Z]++-\d{2,4}+$"), "{err}");
}
