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
        runtime_dependency: "{ path = \"x\" }".into(),
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
