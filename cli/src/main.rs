//! `swage`: Smithy models in, Rust client crates out.
//!
//! ```text
//! swage generate --model FILE --out DIR [--crate-name NAME] [--service ID] [--check]
//! swage generate --model DIR --out DIR [--check]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use swage_codegen::write::{self, Summary};
use swage_codegen::{Options, Runtime};

const USAGE: &str = "\
usage: swage generate --model FILE|DIR --out DIR [options]

Generates a Rust client crate from a Smithy 2.0 JSON AST model. With a directory of models,
each `*.json` model becomes a crate under DIR, named from its service.

options:
  --crate-name NAME        the package name (one model only; default: from the service's sdkId)
  --service ID             the service to generate, for a model with several (`ns#Name`)
  --check                  write nothing; fail if DIR is not exactly what the model gives
  --runtime-version REQ    swage-runtime and swage-transport from crates.io (default: this swage's version)
  --runtime-path DIR       ... from a checkout of swage (written into Cargo.toml as given)
  --runtime-git URL        ... from a git repository of swage
  --runtime-rev REV        ... at this commit, tag or branch (with --runtime-git)
  --command TEXT           the command named in generated headers (default: `swage generate`)

  swage --version | --help";

#[derive(Debug, Default)]
struct Args {
    model: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    service: Option<String>,
    check: bool,
    runtime_version: Option<String>,
    runtime_path: Option<String>,
    runtime_git: Option<String>,
    runtime_rev: Option<String>,
    command: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => {}
        Some("--version" | "-V") => {
            println!("swage {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => return usage(&format!("unknown command `{other}`")),
        None => return usage("no command given"),
    }
    let args = match parse(&args[1..]) {
        Ok(a) => a,
        Err(e) => return usage(&e),
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n\n{USAGE}");
    ExitCode::from(2)
}

fn parse(list: &[String]) -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = list.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--model" => args.model = Some(PathBuf::from(value(arg)?)),
            "--out" => args.out = Some(PathBuf::from(value(arg)?)),
            "--crate-name" => args.crate_name = Some(value(arg)?),
            "--service" => args.service = Some(value(arg)?),
            "--runtime-version" => args.runtime_version = Some(value(arg)?),
            "--runtime-path" => args.runtime_path = Some(value(arg)?),
            "--runtime-git" => args.runtime_git = Some(value(arg)?),
            "--runtime-rev" => args.runtime_rev = Some(value(arg)?),
            "--command" => args.command = Some(value(arg)?),
            "--check" => args.check = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.model.is_none() || args.out.is_none() {
        return Err("--model and --out are required".to_owned());
    }
    let sources = [
        args.runtime_version.is_some(),
        args.runtime_path.is_some(),
        args.runtime_git.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        return Err("give one of --runtime-version, --runtime-path and --runtime-git".to_owned());
    }
    if args.runtime_rev.is_some() && args.runtime_git.is_none() {
        return Err("--runtime-rev goes with --runtime-git".to_owned());
    }
    Ok(args)
}

fn options(args: &Args) -> Options {
    let runtime = if let Some(v) = &args.runtime_version {
        Runtime::Version(v.clone())
    } else if let Some(p) = &args.runtime_path {
        Runtime::Path(p.clone())
    } else if let Some(url) = &args.runtime_git {
        Runtime::Git {
            url: url.clone(),
            rev: args.runtime_rev.clone(),
        }
    } else {
        Runtime::default()
    };
    Options {
        package: args.crate_name.clone(),
        service: args.service.clone(),
        runtime,
        command: args.command.clone().unwrap_or_default(),
        ..Options::default()
    }
}

fn run(args: &Args) -> Result<(), String> {
    let (Some(model), Some(out)) = (&args.model, &args.out) else {
        return Err("--model and --out are required".to_owned());
    };
    let options = options(args);
    if model.is_dir() {
        if args.crate_name.is_some() {
            return Err(
                "--crate-name names one crate; it can't be used with a directory of models"
                    .to_owned(),
            );
        }
        return run_dir(model, out, &options, args.check);
    }
    let result = if args.check {
        write::check(model, out, &options)
    } else {
        write::generate_into(model, out, &options)
    };
    let summary = result.map_err(|e| e.to_string())?;
    report(out, &summary, args.check);
    Ok(())
}

/// Every `*.json` model of `dir`, in name order, each into `out/{package}`, with progress. A
/// model that fails does not stop the others; the run fails at the end, naming them.
fn run_dir(dir: &Path, out: &Path, options: &Options, check: bool) -> Result<(), String> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(format!("{}: no `*.json` models here", dir.display()));
    }
    let total = models.len();
    let mut failed = Vec::new();
    for (n, model) in models.iter().enumerate() {
        let name = model.file_name().unwrap_or_default().to_string_lossy();
        let done = one_of_many(model, out, options, check);
        match done {
            Ok((crate_dir, summary)) => {
                println!(
                    "[{}/{total}] {name} -> {}: {summary}",
                    n + 1,
                    crate_dir.display()
                );
                print_warnings(&summary);
            }
            Err(e) => {
                println!("[{}/{total}] {name}: failed", n + 1);
                eprintln!("{e}");
                failed.push(name.into_owned());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {total} models failed: {}",
            failed.len(),
            failed.join(", ")
        ))
    }
}

fn one_of_many(
    model: &Path,
    out: &Path,
    options: &Options,
    check: bool,
) -> Result<(PathBuf, Summary), String> {
    let text = std::fs::read_to_string(model)
        .map_err(|e| format!("{}: cannot read the model: {e}", model.display()))?;
    let generated =
        swage_codegen::generate(&model.display().to_string(), &text, options).map_err(|d| {
            write::Error::Model {
                path: model.to_path_buf(),
                diagnostics: d,
            }
            .to_string()
        })?;
    let crate_dir = out.join(&generated.package);
    let mut summary =
        write::sync(&crate_dir, &generated.files, check).map_err(|e| e.to_string())?;
    summary.warnings = generated.warnings;
    if check && !summary.is_fresh() {
        return Err(write::Error::Stale {
            out: crate_dir,
            files: summary.stale(),
        }
        .to_string());
    }
    Ok((crate_dir, summary))
}

fn report(out: &Path, summary: &Summary, check: bool) {
    if check {
        println!("{}: fresh ({} files)", out.display(), summary.unchanged);
    } else {
        println!("{}: {summary}", out.display());
    }
    print_warnings(summary);
}

fn print_warnings(summary: &Summary) {
    if !summary.warnings.is_empty() {
        eprint!("{}", summary.warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const MODEL: &str = r#"{"smithy":"2.0","shapes":{
        "example#Svc":{"type":"service","version":"1","operations":[{"target":"example#Ping"}],
            "traits":{"aws.protocols#restJson1":{},"aws.api#service":{"sdkId":"Pinger"}}},
        "example#Ping":{"type":"operation","traits":{"smithy.api#http":{"method":"GET","uri":"/ping"}}}}}"#;

    #[test]
    fn a_directory_of_models_becomes_a_crate_each_and_a_broken_one_fails_at_the_end() {
        let dir = std::env::temp_dir().join(format!("swage-cli-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let models = dir.join("models");
        std::fs::create_dir_all(&models).unwrap();
        std::fs::write(models.join("a-ping.json"), MODEL).unwrap();
        std::fs::write(
            models.join("b-broken.json"),
            r#"{"smithy":"2.0","shapes":{"x#Y":{"type":"nope"}}}"#,
        )
        .unwrap();
        std::fs::write(models.join("notes.txt"), "not a model").unwrap();
        let out = dir.join("out");
        let options = Options::default();
        let err = run_dir(&models, &out, &options, false).unwrap_err();
        assert!(err.contains("1 of 2 models failed: b-broken.json"), "{err}");
        // The good model was written, named from its sdkId; the broken one wrote nothing.
        assert!(out.join("pinger/src/lib.rs").is_file());
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
        // --check over the good one alone passes, then fails once a file is edited.
        std::fs::remove_file(models.join("b-broken.json")).unwrap();
        run_dir(&models, &out, &options, true).unwrap();
        std::fs::write(out.join("pinger/src/lib.rs"), "// edited\n").unwrap();
        let err = run_dir(&models, &out, &options, true).unwrap_err();
        assert!(err.contains("a-ping.json"), "{err}");
        assert!(run(&Args {
            model: Some(models.clone()),
            out: Some(out.clone()),
            crate_name: Some("x".into()),
            ..Args::default()
        })
        .unwrap_err()
        .contains("--crate-name"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn runtime_sources_are_exclusive_and_rev_needs_git() {
        let base = ["--model", "m.json", "--out", "o"];
        let with = |extra: &[&str]| {
            let mut v = base.to_vec();
            v.extend(extra);
            parse(&args(&v))
        };
        assert!(with(&[]).is_ok());
        assert!(with(&["--runtime-path", "x", "--runtime-version", "1"]).is_err());
        assert!(with(&["--runtime-rev", "abc"]).is_err());
        let git = with(&["--runtime-git", "https://x/swage", "--runtime-rev", "abc"]).unwrap();
        assert_eq!(
            options(&git).runtime,
            Runtime::Git {
                url: "https://x/swage".into(),
                rev: Some("abc".into())
            }
        );
        assert!(parse(&args(&["--model", "m.json"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
    }
}
