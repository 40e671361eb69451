//! The catalogue of broken models under `tests/fixtures/broken`: each must fail with
//! diagnostics naming the file, the shape (and member) and what to fix. Their text is
//! snapshotted.

use swage_tests::{generate_fixture, repo_root};

#[test]
fn every_broken_fixture_gets_diagnostics() {
    let dir = repo_root().join("tests/fixtures/broken");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures exist")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 25,
        "the catalogue has {} fixtures",
        names.len()
    );
    for name in names {
        let diagnostics = match generate_fixture(&format!("broken/{name}")) {
            Ok(_) => panic!("{name} generated, but it is broken"),
            Err(text) => text,
        };
        assert!(
            diagnostics.contains(&format!("tests/fixtures/broken/{name}")),
            "{name}: {diagnostics}"
        );
        assert!(
            diagnostics.lines().any(|l| l.starts_with("error: ")),
            "{name}: {diagnostics}"
        );
        assert!(
            diagnostics.contains("help: "),
            "{name}: every diagnostic says what to do: {diagnostics}"
        );
        insta::assert_snapshot!(
            format!("broken__{}", name.trim_end_matches(".json")),
            diagnostics
        );
    }
}

#[test]
fn warnings_are_distinct_and_generation_goes_on() {
    let generated = swage_tests::generate_fixture("warnings/warnings.json")
        .expect("a model with only warnings generates");
    let text = generated.warnings.to_string();
    assert!(!generated.warnings.has_errors());
    assert!(generated.files.contains_key("src/operation/op.rs"));
    assert!(
        !generated.files.contains_key("src/operation/stream.rs"),
        "the event-stream operation is skipped"
    );
    assert!(
        !generated.files.contains_key("src/endpoint.rs"),
        "a rule set with an unknown function gives no resolver"
    );
    assert!(!generated.files["src/lib.rs"].contains("pub mod endpoint"));
    insta::assert_snapshot!("warnings", text);
}

#[test]
fn of_several_protocols_the_preferred_supported_one_is_used() {
    // restXml and restJson1: the AWS SDKs prefer restJson1, and swage generates it.
    let generated = swage_tests::generate_fixture("protocols/two_protocols.json")
        .expect("a service that also speaks restJson1 generates");
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    let op = &generated.files["src/operation/get_thing.rs"];
    assert!(op.contains("build_request"), "{op}");
    // The order is the SDKs': a protocol they prefer comes first.
    let order = swage_codegen::protocol::PREFERENCE;
    let at = |id: &str| order.iter().position(|p| *p == id).unwrap();
    assert!(at("aws.protocols#awsJson1_0") < at("aws.protocols#restJson1"));
    assert!(at("aws.protocols#restJson1") < at("aws.protocols#restXml"));
    assert!(at("aws.protocols#restXml") < at("aws.protocols#awsQuery"));
}
