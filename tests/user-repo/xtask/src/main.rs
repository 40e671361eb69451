//! `cargo xtask codegen [--check]`: regenerates `clients/weather` from `model/weather.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use swage_codegen::write;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("codegen") {
        eprintln!("usage: cargo xtask codegen [--check]");
        return ExitCode::from(2);
    }
    let check = args.iter().any(|a| a == "--check");
    let (model, out) = paths();
    let result = if check {
        write::check(&model, &out, &xtask::options())
    } else {
        write::generate_into(&model, &out, &xtask::options())
    };
    match result {
        Ok(summary) if check => {
            println!("{}: fresh ({} files)", out.display(), summary.unchanged);
            ExitCode::SUCCESS
        }
        Ok(summary) => {
            println!("{}: {summary}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn paths() -> (PathBuf, PathBuf) {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = xtask.parent().unwrap_or(xtask);
    (
        root.join("model/weather.json"),
        root.join("clients/weather"),
    )
}
