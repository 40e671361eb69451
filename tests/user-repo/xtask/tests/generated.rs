//! The generated client under review: a snapshot of every file, and a check that the
//! checked-in crate is what the model gives.

use std::path::Path;

fn root() -> &'static Path {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask)
}

#[test]
fn generated_files_match_their_snapshots() {
    let model = root().join("model/weather.json");
    let text = std::fs::read_to_string(&model).unwrap();
    let generated = swage_codegen::generate("weather.json", &text, &xtask::options()).unwrap();
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    for (path, contents) in &generated.files {
        insta::assert_snapshot!(path.replace('/', "__"), contents);
    }
}

#[test]
fn checked_in_client_is_fresh() {
    let model = root().join("model/weather.json");
    if let Err(e) =
        swage_codegen::write::check(&model, &root().join("clients/weather"), &xtask::options())
    {
        panic!("{e}\nrun `cargo xtask codegen`");
    }
}
