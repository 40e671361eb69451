//! Any bytes as a model: loading, validation, lowering and generation must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let options = swage_codegen::Options {
            package: None,
            ..Default::default()
        };
        let _ = swage_codegen::generate("fuzz.json", text, &options);
    }
});
