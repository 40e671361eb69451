//! JSON response decoding, the whole path from body bytes to typed output (`cargo bench -p
//! swage-tests --bench decode`): a generated client's `parse_response` (the pull reader of
//! `swage_runtime::json::read`, straight into the generated types), against serde_json
//! deserializing the same body into equivalent `#[derive(Deserialize)]` structs, and against
//! parsing it into a tree alone (what decoding cost before the pull reader, before any typed
//! conversion). The body is a `GetThing` output of the feature fixture: a list of items with
//! nested lists, a sparse map and a union, about the shape of a DynamoDB Query page.

use serde::Deserialize;
use std::collections::HashMap;

fn main() {
    divan::main();
}

/// A body of about `bytes` bytes.
fn body(bytes: usize) -> Vec<u8> {
    let mut out = String::from(
        r#"{"Config":{"Mode":"fast"},"Created":1576540098.5,"Attrs":{"k":"v","gone":null},"Items":["#,
    );
    let mut i = 0usize;
    while out.len() < bytes {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"Name":"i{}","type":"leaf \"{}\"","Pin":"p\u00e9{}","Children":[{{"Name":"c{}"}},{{"Name":"d{}","type":"x"}}]}}"#,
            i % 1000,
            i,
            i % 97,
            i % 10,
            i % 7
        ));
        i += 1;
    }
    out.push_str("]}");
    out.into_bytes()
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Output {
    #[serde(rename = "Config")]
    config: Option<Config>,
    #[serde(rename = "Created")]
    created: Option<f64>,
    #[serde(rename = "Attrs")]
    attrs: Option<HashMap<String, Option<String>>>,
    #[serde(rename = "Items")]
    items: Option<Vec<Item>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Item {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "Pin")]
    pin: Option<String>,
    #[serde(rename = "Children")]
    children: Option<Vec<Item>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
enum Config {
    Mode(String),
    Level(i32),
    Off {},
    Key(String),
}

const SIZES: [usize; 2] = [1 << 20, 8 << 20];

#[divan::bench(args = SIZES, sample_count = 40)]
fn swage_parse_response(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    let headers = features::http::HeaderMap::new();
    // The same body decodes, and holds what was written.
    let out = features::operation::get_thing::GetThing::parse_response(200, &headers, &input)
        .expect("the body decodes");
    assert!(out.items().is_some_and(|items| items.len() > 1000));
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| {
            features::operation::get_thing::GetThing::parse_response(200, &headers, &input)
                .map(|o| o.items().map_or(0, <[_]>::len))
        });
}

#[divan::bench(args = SIZES, sample_count = 40)]
fn serde_json_derive(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    let out: Output = serde_json::from_slice(&input).expect("the body decodes");
    assert!(out.items.is_some_and(|items| items.len() > 1000));
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| serde_json::from_slice::<Output>(&input).map(|o| o.items.map_or(0, |i| i.len())));
}

#[divan::bench(args = SIZES, sample_count = 40)]
fn tree_parse_only(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| swage_runtime::json::parse_body(&input).map(|v| v.is_null()));
}
