//! Response parsing: a JSON body's parse time grows linearly with its size (`cargo bench -p
//! swage-runtime`); compare the 1 MiB, 8 MiB and 64 MiB cases.

fn main() {
    divan::main();
}

fn body(bytes: usize) -> Vec<u8> {
    let item = br#"{"SessionId":"s-0123456789","StreamUrl":"wss://example.com/stream","Tags":["a","b","c"],"Count":12345,"Nested":{"x":1.5}},"#;
    let mut out = Vec::with_capacity(bytes + item.len());
    out.extend_from_slice(b"{\"Items\":[");
    while out.len() < bytes {
        out.extend_from_slice(item);
    }
    out.pop();
    out.extend_from_slice(b"]}");
    out
}

#[divan::bench(args = [1 << 20, 8 << 20, 64 << 20], sample_count = 5)]
fn parse_body(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| swage_runtime::json::parse_body(&input).map(|v| v.is_null()));
}

#[divan::bench(sample_count = 20)]
fn hostile_nesting(bencher: divan::Bencher) {
    let input = "[".repeat(1 << 20);
    bencher.bench(|| swage_runtime::json::parse_body(input.as_bytes()).is_err());
}
