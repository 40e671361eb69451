//! Generation time. `cargo bench -p swage-codegen` measures the seed model, and the largest
//! corpus model (quicksight, 2.4 MB) when `../shared/models` is beside the repository.

use std::path::Path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn options() -> swage_codegen::Options {
    swage_codegen::Options {
        package: None,
        runtime: swage_codegen::Runtime::Path("..".into()),
        ..Default::default()
    }
}

fn bench_model(bencher: divan::Bencher, path: &Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("{} is not here; skipped", path.display());
        return;
    };
    let file = path.display().to_string();
    bencher.bench(|| swage_codegen::generate(&file, &text, &options()).map(|g| g.files.len()));
}

#[divan::bench(sample_count = 10)]
fn seed(bencher: divan::Bencher) {
    bench_model(
        bencher,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/gameliftstreams.json"),
    );
}

#[divan::bench(sample_count = 10)]
fn quicksight(bencher: divan::Bencher) {
    bench_model(
        bencher,
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/models/quicksight-2018-04-01.json"),
    );
}
