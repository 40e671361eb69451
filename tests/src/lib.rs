//! Helpers shared by the test suites: where things are, and generating the checked-in crate the
//! same way `cargo xtask codegen` does.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The options `cargo xtask codegen` uses for `generated/`.
pub fn default_options() -> swage_codegen::Options {
    // Every test generation also checks the text swage lays out itself against prettyplease.
    swage_codegen::render::verify_formatted_text(true);
    swage_codegen::Options {
        package: None,
        runtime: swage_codegen::Runtime::Path("..".to_owned()),
        command: "cargo xtask codegen".to_owned(),
        examples: seed_examples(),
        ..Default::default()
    }
}

/// The hand-written examples the seed crate lists (as `cargo xtask codegen` passes them).
pub fn seed_examples() -> Vec<swage_codegen::Example> {
    vec![swage_codegen::Example {
        name: "admin_shell".into(),
        path: "../model/examples/admin_shell.rs".into(),
        required_features: vec!["blocking".into()],
    }]
}

/// The crates `cargo xtask codegen` keeps in the repository: (name, model, crate directory,
/// swage checkout its runtime comes from, relative to the crate, as xtask writes it).
pub const CHECKED_IN: &[(&str, &str, &str, &str)] = &[
    (
        "gameliftstreams",
        "model/gameliftstreams.json",
        "generated",
        "..",
    ),
    (
        "features",
        "tests/fixtures/features/features.json",
        "tests/features",
        "../..",
    ),
    (
        "ledger",
        "tests/fixtures/json_rpc/json_rpc.json",
        "tests/json_rpc",
        "../..",
    ),
    ("s3", "tests/fixtures/s3/s3.json", "tests/s3", "../.."),
    (
        "hostile",
        "tests/fixtures/hostile/hostile.json",
        "tests/hostile",
        "../..",
    ),
    (
        "auth",
        "tests/fixtures/auth/auth.json",
        "tests/auth",
        "../..",
    ),
];

/// The `swage-compliance` dependency of a checked-in crate whose model's protocol cases are
/// generated as tests, as xtask writes it.
pub fn compliance_of(model: &str) -> Option<String> {
    matches!(
        model,
        "tests/fixtures/features/features.json"
            | "tests/fixtures/json_rpc/json_rpc.json"
            | "tests/fixtures/s3/s3.json"
    )
    .then(|| "{ path = \"../../tests/compliance\" }".to_owned())
}

/// Generates one of [`CHECKED_IN`] the way xtask does.
pub fn generate_checked_in(model: &str, runtime: &str) -> swage_codegen::Generated {
    let path = repo_root().join(model);
    let text = std::fs::read_to_string(&path).expect("the model is in the repository");
    let examples = if model == "model/gameliftstreams.json" {
        seed_examples()
    } else {
        Vec::new()
    };
    let options = swage_codegen::Options {
        package: None,
        runtime: swage_codegen::Runtime::Path(runtime.to_owned()),
        command: "cargo xtask codegen".to_owned(),
        examples,
        compliance_dependency: compliance_of(model),
        ..Default::default()
    };
    swage_codegen::generate(&path.display().to_string(), &text, &options)
        .expect("the model generates")
}

/// Generates the crate for `model/gameliftstreams.json`.
pub fn generate_seed() -> swage_codegen::Generated {
    let path = repo_root().join("model/gameliftstreams.json");
    let text = std::fs::read_to_string(&path).expect("the seed model is in the repository");
    swage_codegen::generate("model/gameliftstreams.json", &text, &default_options())
        .expect("the seed model generates")
}

/// Generates a fixture under `tests/fixtures`, returning the diagnostics text on failure.
pub fn generate_fixture(rel: &str) -> Result<swage_codegen::Generated, String> {
    let path = repo_root().join("tests/fixtures").join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    swage_codegen::generate(&format!("tests/fixtures/{rel}"), &text, &default_options())
        .map_err(|d| d.to_string())
}
