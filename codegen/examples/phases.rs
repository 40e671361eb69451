//! Times the pipeline's phases on one model: `cargo run --release -p swage-codegen --example phases -- MODEL`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: phases MODEL");
    let text = std::fs::read_to_string(&path).expect("readable model");
    let options = swage_codegen::Options { package: None, runtime_dependency: "{ path = \"x\" }".into(), ..Default::default() };
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
    for (p, f) in files {
        if let swage_codegen::emit::Output::Rust(tokens) = f {
            swage_codegen::render::render(&p, tokens).expect("renders");
        }
    }
    eprintln!("render   {:?}", t.elapsed());
}
