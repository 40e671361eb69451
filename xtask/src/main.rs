//! `cargo xtask`: the developer commands. Thin on purpose: arguments and file I/O; the work is
//! in `swage-codegen`.

mod e2e;
mod endpoint_tests;

/// The generator makes millions of small allocations; mimalloc takes a third off its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod protocol_tests;
mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]
      regenerate generated/ from model/gameliftstreams.json (--check: fail if it is stale)
  cargo xtask codegen --model FILE --out DIR [--crate-name NAME] [--service ID] [--standalone] [--check]
                      [--example NAME=PATH[:FEATURES]]... [--compliance PATH]
      generate a crate for any model (--service: the service to generate when the file has several;
      --standalone: give it its own [workspace]; --example: list
      a hand-written example, PATH relative to the crate, in its Cargo.toml; --compliance: generate
      the model's smithy.test cases as tests, with the swage-compliance crate at PATH)
  cargo xtask corpus [DIR] [--only NAME[,NAME...]] [--no-build]
      generate a crate per model in DIR (default ../shared/models) under target/corpus, then
      cargo check, clippy -D warnings and doc them; print a table
  cargo xtask build-cost [MODEL] [--runs N] [--features F] [--compare CRATE@VERSION]
      generate MODEL (default ../shared/models/gameliftstreams-2018-05-10.json) under
      target/build-cost/client, with a fresh crate beside it that depends on it (features F);
      build that clean N times (default 3), print the median and the packages (the fresh crate's
      dependencies); --compare: build a fresh crate that depends on the official CRATE@VERSION
      the same way in the same run, and print both and their ratio
  cargo xtask endpoint-tests [DIR] [--partitions FILE | --no-partitions] [--only NAME[,NAME...]]
      run every smithy.rules#endpointTests case of every model in DIR (default ../shared/models)
      against its generated resolver; check the built-in partitions against FILE (default
      ../shared/endpoints/partitions.json); end with `N passed, M failed`
  cargo xtask e2e [MODELS_DIR [XML_MODELS_DIR]]
      generate clients from the published models (default ../shared/models-json, and
      ../shared/models-xml beside it for STS, IAM and SNS) into target/e2e,
      start moto (installed into target/e2e-venv if absent) on a loopback port, and run the
      scenarios of tests/e2e against it with the blocking and the async clients
  cargo xtask standalone
      swage from outside this repository: `cargo install --path cli`, the seed model generated
      into a directory outside the repository and built there with the runtime by version
      (patched to this checkout); the tests/user-repo fixture's check and tests; `cargo package`
      of swage-runtime, swage-transport, swage-codegen and swage
  cargo xtask protocol-tests [FILE] [--known-failures LIST]
      generate the restJson1 services of the AWS protocol test suite FILE (default
      ../shared/protocol-tests/smithy-aws-protocol-tests.json) with their cases as tests, under
      target/protocol-tests; run them; end with `N passed, M failed[, K skipped]`. Fails on any
      failure not in LIST (default tests/protocol-tests-known-failures.txt)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("corpus") => corpus(&args[1..]),
        Some("build-cost") => build_cost(&args[1..]),
        Some("endpoint-tests") => endpoint_tests::run(&repo_root(), &args[1..]),
        Some("protocol-tests") => protocol_tests::run(&repo_root(), &args[1..]),
        Some("e2e") => e2e::run(&repo_root(), &args[1..]),
        Some("standalone") => standalone::run(&repo_root(), &args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

struct CodegenArgs {
    check: bool,
    model: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    service: Option<String>,
    compliance: Option<PathBuf>,
    standalone: bool,
    examples: Vec<swage_codegen::Example>,
}

fn parse_codegen(args: &[String]) -> Result<CodegenArgs, String> {
    let root = repo_root();
    let mut parsed = CodegenArgs {
        check: false,
        model: root.join("model/gameliftstreams.json"),
        out: root.join("generated"),
        crate_name: None,
        service: None,
        compliance: None,
        standalone: false,
        examples: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--standalone" => parsed.standalone = true,
            "--model" => parsed.model = PathBuf::from(value()?),
            "--out" => parsed.out = PathBuf::from(value()?),
            "--crate-name" => parsed.crate_name = Some(value()?),
            "--service" => parsed.service = Some(value()?),
            "--compliance" => parsed.compliance = Some(PathBuf::from(value()?)),
            "--example" => {
                // NAME=PATH[:FEATURE,FEATURE]: a hand-written example the crate's Cargo.toml lists.
                let v = value()?;
                let (name, rest) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--example takes NAME=PATH[:FEATURES], not `{v}`"))?;
                let (path, features) = rest.split_once(':').unwrap_or((rest, ""));
                let required_features = features
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect();
                parsed.examples.push(swage_codegen::Example {
                    name: name.to_owned(),
                    path: path.to_owned(),
                    required_features,
                });
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// The crates generated into the repository: the seed client, and the feature fixture the
/// behaviour tests drive.
fn checked_in() -> Vec<(PathBuf, PathBuf, Vec<String>)> {
    let root = repo_root();
    // The seed crate lists the hand-written example beside its model.
    let seed_example = vec![
        "--example".to_owned(),
        "admin_shell=../model/examples/admin_shell.rs:blocking".to_owned(),
    ];
    vec![
        (
            root.join("model/gameliftstreams.json"),
            root.join("generated"),
            seed_example,
        ),
        // The feature fixture's own protocol cases become tests of the crate.
        (
            root.join("tests/fixtures/features/features.json"),
            root.join("tests/features"),
            vec![
                "--compliance".to_owned(),
                root.join("tests/compliance").display().to_string(),
            ],
        ),
        // awsJson1_1, with its own protocol cases as tests.
        (
            root.join("tests/fixtures/json_rpc/json_rpc.json"),
            root.join("tests/json_rpc"),
            vec![
                "--compliance".to_owned(),
                root.join("tests/compliance").display().to_string(),
            ],
        ),
        // restXml with S3's customizations (a few of S3's operations, by S3's shape id), with
        // its own protocol cases as tests.
        (
            root.join("tests/fixtures/s3/s3.json"),
            root.join("tests/s3"),
            vec![
                "--compliance".to_owned(),
                root.join("tests/compliance").display().to_string(),
            ],
        ),
        // The hard cases of published models: names, sizes, patterns and documentation.
        (
            root.join("tests/fixtures/hostile/hostile.json"),
            root.join("tests/hostile"),
            Vec::new(),
        ),
        // Smithy's auth traits: bearer, API key, basic, optional and none, beside SigV4.
        (
            root.join("tests/fixtures/auth/auth.json"),
            root.join("tests/auth"),
            Vec::new(),
        ),
    ]
}

fn codegen(args: &[String]) -> Result<(), String> {
    if args.iter().all(|a| a == "--check") {
        // The default: every checked-in crate.
        let mut failures = Vec::new();
        for (model, out, extra) in checked_in() {
            let mut one: Vec<String> = args.to_vec();
            one.extend(extra);
            one.extend([
                "--model".to_owned(),
                model.display().to_string(),
                "--out".to_owned(),
                out.display().to_string(),
            ]);
            if let Err(e) = codegen_one(&one) {
                failures.push(e);
            }
        }
        return if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        };
    }
    codegen_one(args)
}

/// `path` relative to `base` when both are inside the repository, else absolute.
fn dependency_path(base: &Path, path: &Path) -> String {
    let (base, path) = (absolute(base), absolute(path));
    let root = absolute(&repo_root());
    if let (Ok(b), Ok(p)) = (base.strip_prefix(&root), path.strip_prefix(&root)) {
        let ups = b.components().count();
        let mut rel = PathBuf::new();
        for _ in 0..ups {
            rel.push("..");
        }
        return rel.join(p).display().to_string();
    }
    path.display().to_string()
}

fn codegen_one(args: &[String]) -> Result<(), String> {
    let args = parse_codegen(args)?;
    let root = repo_root();
    let runtime = swage_codegen::Runtime::Path(dependency_path(&args.out, &root));
    let text = std::fs::read_to_string(&args.model).map_err(|e| {
        format!(
            "error: {}: cannot read the model: {e}",
            args.model.display()
        )
    })?;
    let file = args.model.display().to_string();
    let options = swage_codegen::Options {
        package: args.crate_name.clone(),
        service: args.service.clone(),
        runtime,
        command: "cargo xtask codegen".to_owned(),
        examples: args.examples.clone(),
        compliance_dependency: args
            .compliance
            .as_ref()
            .map(|c| format!("{{ path = {:?} }}", dependency_path(&args.out, c))),
        unfinished_protocols: false,
    };
    let generated = match swage_codegen::generate(&file, &text, &options) {
        Ok(g) => g,
        Err(diagnostics) => {
            let errors = diagnostics
                .sorted()
                .iter()
                .filter(|d| d.severity == swage_codegen::diagnostics::Severity::Error)
                .count();
            eprint!("{diagnostics}");
            return Err(format!(
                "error: {errors} error(s) in {file}; nothing was written to {}",
                args.out.display()
            ));
        }
    };
    eprint!("{}", generated.warnings);
    let mut files = generated.files;
    if args.standalone {
        if let Some(toml) = files.get_mut("Cargo.toml") {
            toml.push_str("\n[workspace]\n");
        }
    }
    let mut written = ensure_files(&args.out, &files, args.check)?;
    written.warnings = generated.warnings;
    let stale = written.stale();
    if !args.check {
        // Said relative to where the command ran, as the user would type it.
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = match args.out.strip_prefix(&cwd) {
            Ok(rel) if rel.as_os_str().is_empty() => Path::new("."),
            Ok(rel) => rel,
            Err(_) => &args.out,
        };
        println!("{}: {written}", shown.display());
    }
    if args.check && !stale.is_empty() {
        return Err(format!(
            "{} is stale; these files differ from what the model gives:\n  {}\nrun `cargo xtask codegen` and commit the result",
            args.out.display(),
            stale.join("\n  ")
        ));
    }
    Ok(())
}

/// `cargo xtask corpus`: every model of a directory through the generator (and the compiler).
fn corpus(args: &[String]) -> Result<(), String> {
    let root = repo_root();
    let mut dir = root.join("../shared/models");
    let mut only: Option<String> = None;
    let mut build = true;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-build" => build = false,
            "--only" => only = Some(it.next().cloned().ok_or("--only needs a value")?),
            other if !other.starts_with("--") => dir = PathBuf::from(other),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            // `--only a,b`: models whose file name contains any of them.
            only.as_ref().is_none_or(|o| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    o.split(',').any(|part| n.contains(part))
                })
            })
        })
        .collect();
    models.sort();
    let out_root = root.join("target/corpus");
    let runtime = swage_codegen::Runtime::Path(absolute(&root).display().to_string());
    println!(
        "{:<34} {:>5} {:>8} {:>9}  result",
        "model", "ops", "lines", "gen ms"
    );
    let mut members = Vec::new();
    let mut failed = 0;
    // The corpus is the widest check that the text swage lays out itself is prettyplease's layout.
    swage_codegen::render::verify_formatted_text(true);
    for model in &models {
        let name = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(model)
            .map_err(|e| format!("error: {}: {e}", model.display()))?;
        let crate_name = format!(
            "corpus-{}",
            name.to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        let options = swage_codegen::Options {
            package: Some(crate_name.clone()),
            runtime: runtime.clone(),
            ..Default::default()
        };
        let started = std::time::Instant::now();
        let result = swage_codegen::generate(&model.display().to_string(), &text, &options);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(generated) => {
                let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
                let ops = generated
                    .files
                    .keys()
                    .filter(|k| k.starts_with("src/operation/") && !k.ends_with("mod.rs"))
                    .count();
                let out = out_root.join(&crate_name);
                ensure_files(&out, &generated.files, false)?;
                members.push(crate_name);
                let warnings = generated.warnings.len();
                println!(
                    "{name:<34} {ops:>5} {lines:>8} {ms:>9.1}  generated ({warnings} warnings)"
                );
                for w in generated.warnings.sorted() {
                    println!("    {}", w.to_string().lines().next().unwrap_or_default());
                }
            }
            Err(diagnostics) => {
                failed += 1;
                let sorted = diagnostics.sorted();
                let errors: Vec<_> = sorted
                    .iter()
                    .filter(|d| d.severity == swage_codegen::diagnostics::Severity::Error)
                    .collect();
                let first = errors
                    .first()
                    .map(|d| d.message.clone())
                    .unwrap_or_default();
                println!(
                    "{name:<34} {:>5} {:>8} {ms:>9.1}  FAILED: {} errors; first: {first}",
                    "-",
                    "-",
                    errors.len()
                );
            }
        }
    }
    if build && !members.is_empty() {
        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::fs::write(out_root.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let target = root.join("target");
        for (what, cmd) in [
            ("check", vec!["check", "--workspace"]),
            (
                "clippy",
                // With the clients (`blocking`, `async`): they are generated code too.
                vec![
                    "clippy",
                    "--workspace",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            ("doc", vec!["doc", "--workspace", "--no-deps"]),
        ] {
            let status = std::process::Command::new(env!("CARGO"))
                .args(&cmd)
                .current_dir(&out_root)
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTDOCFLAGS", "-D warnings")
                .status()
                .map_err(|e| e.to_string())?;
            println!(
                "cargo {what}: {}",
                if status.success() { "ok" } else { "FAILED" }
            );
            if !status.success() {
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} model(s) or build step(s) failed"));
    }
    Ok(())
}

/// `cargo xtask build-cost`: what a user pays to build a generated crate from nothing.
fn build_cost(args: &[String]) -> Result<(), String> {
    let root = repo_root();
    let mut model = root.join("../shared/models/gameliftstreams-2018-05-10.json");
    let mut runs = 3usize;
    let mut features: Option<String> = None;
    let mut compare: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--runs needs a number")?
            }
            "--features" => features = Some(it.next().cloned().ok_or("--features needs a value")?),
            "--compare" => {
                compare = Some(it.next().cloned().ok_or("--compare needs CRATE@VERSION")?)
            }
            other if !other.starts_with("--") => model = PathBuf::from(other),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let text =
        std::fs::read_to_string(&model).map_err(|e| format!("error: {}: {e}", model.display()))?;
    let dir = root.join("target/build-cost");
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = swage_codegen::Runtime::Path(absolute(&root).display().to_string());
    let options = swage_codegen::Options {
        package: None,
        runtime,
        ..Default::default()
    };
    let generated = swage_codegen::generate(&model.display().to_string(), &text, &options)
        .map_err(|d| d.to_string())?;
    // The generated crate under `client/`, and beside it a fresh user crate that depends on it
    // (with the features asked for): what a user compiles.
    let package = generated
        .files
        .get("Cargo.toml")
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("name = "))
                .map(|n| n.trim_matches('"').to_owned())
        })
        .ok_or("the generated Cargo.toml has no package name")?;
    let mut files: std::collections::BTreeMap<String, String> = generated
        .files
        .into_iter()
        .map(|(path, text)| (format!("client/{path}"), text))
        .collect();
    let wanted: Vec<String> = features
        .iter()
        .flat_map(|f| f.split(','))
        .map(|f| format!("{:?}", f.trim()))
        .collect();
    files.insert(
        "Cargo.toml".to_owned(),
        format!("[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{package} = {{ path = \"client\", features = [{}] }}\n\n[workspace]\n", wanted.join(", ")),
    );
    files.insert(
        "src/main.rs".to_owned(),
        format!(
            "//! A fresh crate that uses the generated client.\nuse {} as _;\n\nfn main() {{}}\n",
            package.replace('-', "_")
        ),
    );
    ensure_files(&dir, &files, false)?;
    let name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = time_clean_builds(&dir, runs)?;
    println!(
        "{name}: clean dev build median {:.1} s over {runs} runs, {} packages",
        ours.0, ours.1
    );
    if let Some(spec) = compare {
        // The official crate, in a fresh crate of its own, built the same way in the same run.
        let (krate, version) = spec
            .split_once('@')
            .ok_or("--compare needs CRATE@VERSION, such as aws-sdk-dynamodb@1.136.0")?;
        let official = root.join("target/build-cost-official");
        let _ = std::fs::remove_dir_all(&official);
        let files = std::collections::BTreeMap::from([
            (
                "Cargo.toml".to_owned(),
                format!("[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{krate} = \"={version}\"\n\n[workspace]\n"),
            ),
            (
                "src/main.rs".to_owned(),
                format!(
                    "//! A fresh crate that uses the official SDK crate.\nuse {} as _;\n\nfn main() {{}}\n",
                    krate.replace('-', "_")
                ),
            ),
        ]);
        ensure_files(&official, &files, false)?;
        let theirs = time_clean_builds(&official, runs)?;
        println!(
            "{spec}: clean dev build median {:.1} s over {runs} runs, {} packages",
            theirs.0, theirs.1
        );
        println!(
            "ratio: {spec} takes {:.1}x as long as {name} ({:.1} s against {:.1} s)",
            theirs.0 / ours.0,
            theirs.0,
            ours.0
        );
    }
    Ok(())
}

/// The rustc of the toolchain running this xtask (not a rustup proxy), if it can be found.
fn this_rustc() -> Option<PathBuf> {
    let out = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let rustc = PathBuf::from(sysroot.trim()).join("bin/rustc");
    rustc.exists().then_some(rustc)
}

/// Builds the crate in `dir` from nothing `runs` times (dependencies fetched first, so the
/// times are of building, not downloading); the median seconds and the number of packages it
/// depends on.
fn time_clean_builds(dir: &Path, runs: usize) -> Result<(f64, usize), String> {
    let cargo = env!("CARGO");
    let target = dir.join("target");
    let fetched = std::process::Command::new(cargo)
        .arg("fetch")
        .current_dir(dir)
        .status()
        .map_err(|e| e.to_string())?;
    if !fetched.success() {
        return Err(format!("cargo fetch failed in {}", dir.display()));
    }
    let mut times = Vec::new();
    for run in 1..=runs.max(1) {
        let _ = std::fs::remove_dir_all(&target);
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "--offline"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target);
        // One toolchain for every crate: some dependencies ship a `rust-toolchain.toml` (ff
        // 0.14, in aws-sdk-s3's tree) that would send rustup after a toolchain not installed.
        if let Some(rustc) = this_rustc() {
            cmd.env("RUSTC", rustc);
        }
        let started = std::time::Instant::now();
        let status = cmd.status().map_err(|e| e.to_string())?;
        let secs = started.elapsed().as_secs_f64();
        if !status.success() {
            return Err(format!("the build of {} failed", dir.display()));
        }
        println!("{}: run {run}: {secs:.1} s", dir.display());
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mut tree = std::process::Command::new(cargo);
    tree.args(["tree", "--offline", "--prefix", "none", "-e", "normal"])
        .current_dir(dir);
    let tree = tree.output().map_err(|e| e.to_string())?;
    let packages: std::collections::BTreeSet<String> = String::from_utf8_lossy(&tree.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|p| p != "user")
        .collect();
    Ok((median, packages.len()))
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// Makes `out` hold exactly `files` ([`swage_codegen::write::sync`]); with `check`, says what
/// it would do and touches nothing.
pub(crate) fn ensure_files(
    out: &Path,
    files: &std::collections::BTreeMap<String, String>,
    check: bool,
) -> Result<swage_codegen::write::Summary, String> {
    swage_codegen::write::sync(out, files, check).map_err(|e| format!("error: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("swage-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_broken_model_writes_nothing_and_leaves_the_output_as_it_was() {
        let out = temp_dir("broken");
        std::fs::write(out.join("src/lib.rs"), "// the user's previous crate\n").unwrap();
        let model = repo_root().join("tests/fixtures/broken/many_problems_at_once.json");
        let err = codegen(&args(&[
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]))
        .unwrap_err();
        assert!(err.contains("3 error(s)"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// the user's previous crate\n"
        );
        assert_eq!(std::fs::read_dir(out.join("src")).unwrap().count(), 1);
        assert!(!out.join("Cargo.toml").exists());
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn generates_writes_only_changes_and_checks() {
        let out = temp_dir("ok");
        std::fs::write(out.join("src/stale.rs"), "// left over\n").unwrap();
        let model = repo_root().join("model/gameliftstreams.json");
        let base = [
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "glstreams",
        ];
        codegen(&args(&base)).unwrap();
        assert!(!out.join("src/stale.rs").exists());
        assert!(std::fs::read_to_string(out.join("Cargo.toml"))
            .unwrap()
            .contains("name = \"glstreams\""));
        let lib = out.join("src/lib.rs");
        let modified = std::fs::metadata(&lib).unwrap().modified().unwrap();
        let mut check = base.to_vec();
        check.push("--check");
        codegen(&args(&check)).unwrap();
        codegen(&args(&base)).unwrap();
        assert_eq!(
            std::fs::metadata(&lib).unwrap().modified().unwrap(),
            modified,
            "unchanged files are not rewritten"
        );
        std::fs::write(&lib, "// edited by hand\n").unwrap();
        std::fs::write(out.join("src/extra.rs"), "// not generated\n").unwrap();
        let generated = swage_codegen::generate(
            "gameliftstreams.json",
            &std::fs::read_to_string(&model).unwrap(),
            &swage_codegen::Options {
                package: Some("glstreams".into()),
                runtime: swage_codegen::Runtime::Path(dependency_path(&out, &repo_root())),
                command: "cargo xtask codegen".to_owned(),
                ..Default::default()
            },
        )
        .unwrap();
        let would = ensure_files(&out, &generated.files, true).unwrap();
        assert_eq!(would.written, ["src/lib.rs"]);
        assert_eq!(would.removed, ["src/extra.rs"]);
        assert_eq!(would.unchanged, generated.files.len() - 1);
        assert_eq!(
            would.to_string(),
            format!(
                "1 file written, {} unchanged, 1 removed; 0 warnings",
                generated.files.len() - 1
            )
        );
        let err = codegen(&args(&check)).unwrap_err();
        assert!(err.contains("src/extra.rs (no longer generated)"), "{err}");
        assert!(err.contains("src/lib.rs"), "{err}");
        let _ = std::fs::remove_dir_all(&out);
    }
}
