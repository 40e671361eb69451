//! No panic on any input: property tests over the generator (mutated models) and over the
//! generated clients (any status, headers and body bytes). Case counts are bounded so they run in
//! the normal test run; raise `PROPTEST_CASES` for longer runs.

use proptest::prelude::*;
use serde_json::Value;

fn seed_model() -> Value {
    let text = std::fs::read_to_string(
        swage_tests::repo_root().join("tests/fixtures/features/features.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every JSON pointer in `v`, so a mutation can pick a place.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop,
    Replace(Value),
    Nest(usize),
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::String),
        "[a-z.]{1,8}#[A-Za-z$]{1,8}".prop_map(Value::String),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!({"min": 5, "max": 1})),
        Just(serde_json::json!({"method": "GET", "uri": "/{X}/{X+}/{Y+}"})),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Drop),
        replacement().prop_map(Mutation::Replace),
        (1usize..200).prop_map(Mutation::Nest)
    ]
}

fn apply(model: &mut Value, pointer: &str, m: &Mutation) {
    let (parent, key) = match pointer.rsplit_once('/') {
        Some(p) => p,
        None => return,
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    let Some(target) = model.pointer_mut(parent) else {
        return;
    };
    match (target, m) {
        (Value::Object(map), Mutation::Drop) => {
            map.remove(&key);
        }
        (Value::Array(a), Mutation::Drop) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        (_, Mutation::Drop) => {}
        (container, Mutation::Replace(v)) => {
            if let Some(slot) =
                container.pointer_mut(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            {
                *slot = v.clone();
            }
        }
        (container, Mutation::Nest(depth)) => {
            if let Some(slot) =
                container.pointer_mut(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            {
                let mut v = slot.take();
                for _ in 0..*depth {
                    v = Value::Array(vec![v]);
                }
                *slot = v;
            }
        }
    }
}

fn generate(text: &str) {
    let options = swage_codegen::Options {
        package: None,
        ..Default::default()
    };
    let _ = swage_codegen::generate("mutated.json", text, &options);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_models_never_panic(picks in proptest::collection::vec((any::<prop::sample::Index>(), mutation()), 1..4)) {
        let mut model = seed_model();
        for (index, m) in &picks {
            let mut all = Vec::new();
            pointers(&model, String::new(), &mut all);
            let pointer = index.get(&all).clone();
            apply(&mut model, &pointer, m);
        }
        generate(&model.to_string());
    }

    #[test]
    fn truncated_and_garbled_models_never_panic(cut in 0usize..4000, junk in ".{0,8}") {
        let text = seed_model().to_string();
        let cut = cut.min(text.len());
        let mut truncated: String = text.chars().take(cut).collect();
        truncated.push_str(&junk);
        generate(&truncated);
    }
}

fn header_map(pairs: &[(String, Vec<u8>)]) -> features::http::HeaderMap {
    let mut map = features::http::HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(name), Ok(value)) = (
            features::http::HeaderName::from_bytes(k.as_bytes()),
            features::http::HeaderValue::from_bytes(v),
        ) {
            map.append(name, value);
        }
    }
    map
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x-amzn-errortype".to_owned()),
        Just("X-Amzn-RequestId".to_owned()),
        Just("etag".to_owned()),
        Just("x-tags".to_owned()),
        Just("x-reason".to_owned()),
        "[a-z-]{1,12}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        r#"\{"(Message|message|code|__type|SessionId|Config|Attrs|Items|Created|TokenValue)": ?(null|1|"x"|\[\]|\{\}|"BadThing"|\{"Mode":"a"\}|\[\{"Name":1\}\])\}"#.prop_map(String::into_bytes),
        Just(br#"{"Items":[{"Name":"a","Parent":{"Name":"b","Children":[{"Name":"c"}]}}]}"#.to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_response_parses_without_panic(
        status in any::<u16>(),
        headers in proptest::collection::vec((header_name(), proptest::collection::vec(any::<u8>(), 0..16)), 0..4),
        body in body(),
    ) {
        let map = header_map(&headers);
        let _ = gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShell::parse_response(status, &map, &body);
        let _ = features::operation::get_thing::GetThing::parse_response(status, &map, &body);
        let _ = features::operation::put_thing::PutThing::parse_response(status, &map, &body);
    }
}

#[test]
fn sensitive_values_never_print() {
    const SECRET: &str = "TOP-SECRET-VALUE";
    let out = gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShell::parse_response(
        200,
        &header_map(&[]),
        format!(r#"{{"TokenValue":"{SECRET}"}}"#).as_bytes(),
    )
    .unwrap();
    #[allow(deprecated)] // the fixture deprecates `Item`
    let nested = features::types::Item::builder()
        .name("a")
        .pin(SECRET)
        .build()
        .unwrap();
    let input = features::operation::put_thing::PutThingInput::builder()
        .bucket("abc")
        .key("k")
        .secret(SECRET)
        .secrets(SECRET)
        .items(nested.clone())
        .config(features::types::Config::Key(SECRET.to_owned()))
        .build()
        .unwrap();
    let parsed = features::operation::get_thing::GetThing::parse_response(
        200,
        &header_map(&[]),
        format!(r#"{{"Items":[{{"Name":"a","Pin":"{SECRET}","Children":[{{"Name":"b","Pin":"{SECRET}"}}]}}],"Config":{{"Key":"{SECRET}"}}}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        parsed.items().map(|i| i[0].pin()),
        Some(Some(SECRET)),
        "the getter still gives the value out"
    );
    for text in [
        format!("{nested:?}"),
        format!("{parsed:?}"),
        format!("{:?}", parsed.config()),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
    let builder = features::operation::put_thing::PutThingInput::builder().secret(SECRET);
    for text in [
        format!("{out:?}"),
        format!("{input:?}"),
        format!("{builder:?}"),
        format!("{:?}", builder.clone().build()),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
    // Constraint messages never carry the value, so they can't leak one.
    let err = gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShellInput::builder().identifier(SECRET).build().unwrap_err();
    assert!(!err.to_string().contains(SECRET));
}

/// Model text as published models have it, and worse: HTML, entities, tabs, carriage returns,
/// Unicode line separators, control characters, backticks and Markdown syntax.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<code>".to_owned()),
        Just("</code>".to_owned()),
        Just("<pre>".to_owned()),
        Just("</pre>".to_owned()),
        Just("<ul><li>".to_owned()),
        Just("</li></ul>".to_owned()),
        Just("<note>".to_owned()),
        Just("<br/>".to_owned()),
        Just("<a href=\"https://x.example/a\tb c\">".to_owned()),
        Just("</a>".to_owned()),
        Just("&#9;".to_owned()),
        Just("&#x2028;".to_owned()),
        Just("&amp;lt;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("https://example.com/x.".to_owned()),
        Just("{\"key\":\"a_value\"}".to_owned()),
        Just("};".to_owned()),
        "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{2028}\u{2029}\u{1}\u{7f}`*_#<>\\[\\]\\\\a-z]{0,6}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the model's documentation and enum values hold, the generated doc comments are
    /// what rustdoc and `clippy -D warnings` accept: `///` lines without tabs or control
    /// characters, no block doc comments, and never a doc line followed by a blank line.
    #[test]
    fn any_documentation_gives_clean_doc_comments(
        docs in proptest::collection::vec(hostile_text(), 4),
        value in "[ \t\r\n\u{2028}\u{1}`a-z]{1,4}",
    ) {
        let shapes = serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "example.docs#Docs": {
                    "type": "service", "version": "1",
                    "operations": [{"target": "example.docs#Op"}],
                    "traits": {"aws.protocols#restJson1": {}, "smithy.api#documentation": docs[0]}
                },
                "example.docs#Op": {
                    "type": "operation",
                    "input": {"target": "example.docs#OpInput"},
                    "output": {"target": "smithy.api#Unit"},
                    "traits": {"smithy.api#http": {"method": "POST", "uri": "/", "code": 200},
                               "smithy.api#documentation": docs[1]}
                },
                "example.docs#OpInput": {
                    "type": "structure",
                    "members": {"Kind": {"target": "example.docs#Kind",
                                         "traits": {"smithy.api#documentation": docs[2]}}},
                    "traits": {"smithy.api#input": {}}
                },
                "example.docs#Kind": {
                    "type": "enum",
                    "members": {
                        "ONE": {"target": "smithy.api#Unit",
                                "traits": {"smithy.api#enumValue": value,
                                           "smithy.api#documentation": docs[3]}},
                        "TWO": {"target": "smithy.api#Unit"}
                    }
                }
            }
        });
        let generated = swage_codegen::generate(
            "docs.json",
            &shapes.to_string(),
            &swage_tests::default_options(),
        )
        .map_err(|d| TestCaseError::fail(d.to_string()))?;
        for (path, text) in &generated.files {
            if !path.ends_with(".rs") {
                continue;
            }
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let t = line.trim_start();
                prop_assert!(!t.starts_with("/**") && !t.starts_with("/*!"), "{path}: block doc comment: {line:?}");
                if t.starts_with("///") || t.starts_with("//!") {
                    prop_assert!(
                        !t.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
                        "{path}: {line:?}"
                    );
                    if let Some(next) = lines.get(i + 1) {
                        prop_assert!(!next.trim().is_empty() || t.starts_with("//!"), "{path}: blank line after doc line {line:?}");
                    }
                }
            }
        }
    }
}
