//! Times the pipeline's phases on one model: `cargo run --release -p swage-codegen --example phases -- MODEL`;
//! with `--whole`, times only `generate` itself, as users run it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: phases MODEL [--whole]");
    let text = std::fs::read_to_string(&path).expect("readable model");
    let options = swage_codegen::Options {
        package: None,
        ..Default::default()
    };
    if std::env::args().nth(2).as_deref() == Some("--whole") {
        // `--whole N`: N runs in this process, as the benchmark does; the last is reported.
        let runs: usize = std::env::args()
            .nth(3)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        for _ in 1..runs {
            let t = std::time::Instant::now();
            drop(swage_codegen::generate(&path, &text, &options));
            eprintln!("generate {:?} (dropped)", t.elapsed());
        }
        let t = std::time::Instant::now();
        let generated = swage_codegen::generate(&path, &text, &options).expect("generates");
        let elapsed = t.elapsed();
        let bytes: usize = generated.files.values().map(String::len).sum();
        // A fingerprint of the output, to see at a glance that a speed-up changed no byte.
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&generated.files, &mut hasher);
        eprintln!(
            "generate {elapsed:?}: {} files, {bytes} bytes, fingerprint {:016x}",
            generated.files.len(),
            std::hash::Hasher::finish(&hasher)
        );
        return;
    }
    let t = std::time::Instant::now();
    let mut report = swage_codegen::diagnostics::Reporter::new(&path);
    let model = swage_codegen::load::load(&path, &text, &mut report);
    eprintln!("load     {:?}", t.elapsed());
    let t = std::time::Instant::now();
    swage_codegen::validate::validate(&model, &mut report);
    eprintln!("validate {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let krate = swage_codegen::lower::lower(&model, &options, &mut report).expect("lowers");
    eprintln!("lower    {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let files = swage_codegen::emit::emit(&krate);
    eprintln!("emit     {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let texts: Vec<(String, Vec<String>)> = files
        .into_iter()
        .filter_map(|(p, f)| match f {
            swage_codegen::emit::Output::Rust(tokens) => {
                Some((p, swage_codegen::render::split_items(tokens, 64)))
            }
            // Already formatted on the emitting threads (counted in `emit`).
            swage_codegen::emit::Output::Rendered(_) => None,
            swage_codegen::emit::Output::Text(_) => None,
        })
        .collect();
    eprintln!("to text  {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let rendered = swage_codegen::render::render_all(texts);
    assert!(rendered.iter().all(|(_, r)| r.is_ok()), "renders");
    eprintln!("render   {:?} (parallel)", t.elapsed());
}
