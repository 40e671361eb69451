//! Helpers shared by the test suites: where things are, and generating the checked-in crate the
//! same way `cargo xtask codegen` does.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The options `cargo xtask codegen` uses for `generated/`.
pub fn default_options() -> swage_codegen::Options {
    swage_codegen::Options { package: None, runtime_dependency: "{ path = \"../runtime\" }".to_owned() }
}

/// Generates the crate for `model/gameliftstreams.json`.
pub fn generate_seed() -> swage_codegen::Generated {
    let path = repo_root().join("model/gameliftstreams.json");
    let text = std::fs::read_to_string(&path).expect("the seed model is in the repository");
    swage_codegen::generate("model/gameliftstreams.json", &text, &default_options()).expect("the seed model generates")
}

/// Generates a fixture under `tests/fixtures`, returning the diagnostics text on failure.
pub fn generate_fixture(rel: &str) -> Result<swage_codegen::Generated, String> {
    let path = repo_root().join("tests/fixtures").join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    swage_codegen::generate(&format!("tests/fixtures/{rel}"), &text, &default_options()).map_err(|d| d.to_string())
}
