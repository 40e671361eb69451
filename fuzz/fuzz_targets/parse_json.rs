//! Any bytes as a response body: the runtime's JSON parser must never panic, and what it parses
//! must print back as JSON that parses to the same value.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(value) = swage_runtime::value::parse(data) {
        let again =
            swage_runtime::value::parse(value.to_string().as_bytes()).expect("printed JSON parses");
        assert_eq!(again, value);
    }
});
