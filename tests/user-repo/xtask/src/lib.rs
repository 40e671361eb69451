//! What this repository's xtask and its tests share: how the client is generated.

/// The options the weather client is generated with: everything swage's defaults say (the
/// runtime from crates.io, by version), and this repository's regenerate command in the headers.
pub fn options() -> swage_codegen::Options {
    swage_codegen::Options {
        command: "cargo xtask codegen".to_owned(),
        ..swage_codegen::Options::default()
    }
}
