//! `cargo xtask endpoint-tests [DIR]`: every `smithy.rules#endpointTests` case of every model in
//! DIR as a Rust test of the generated resolver.
//!
//! For each model the generator runs as usual; its `src/endpoint.rs` goes into a small crate
//! under `target/endpoint-tests`, with a test per case generated from the model (so a new case
//! is a new test by rerunning). Then `cargo test` runs them all and the counts are summed.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use swage_codegen::ir::{EndpointParam, ParamValue};

struct Suite {
    model: String,
    crate_name: String,
    /// The whole generated client, with the cases that set operation input members as its
    /// compliance tests (they go through the operation's `endpoint_params`).
    client_crate: Option<String>,
    cases: usize,
    /// Cases that could not be turned into tests, with why: they count as failed.
    unusable: Vec<String>,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut dir = root.join("../shared/models");
    let mut partitions = Some(root.join("../shared/endpoints/partitions.json"));
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--partitions" => {
                partitions = Some(PathBuf::from(it.next().ok_or("--partitions needs a file")?))
            }
            "--no-partitions" => partitions = None,
            "--only" => only = Some(it.next().cloned().ok_or("--only needs a value")?),
            other if !other.starts_with("--") => dir = PathBuf::from(other),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let mut failed_checks = 0;
    if let Some(file) = partitions.filter(|f| f.exists()) {
        match check_partitions(&file) {
            Ok(()) => println!("built-in partitions: the same as {}", file.display()),
            Err(e) => {
                println!("built-in partitions: DIFFER from {}: {e}", file.display());
                failed_checks += 1;
            }
        }
    }

    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        // `--only a,b`: models whose file name contains any of them.
        .filter(|p| {
            only.as_ref().is_none_or(|o| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    o.split(',').any(|part| n.contains(part))
                })
            })
        })
        .collect();
    models.sort();
    let out_root = root.join("target/endpoint-tests");
    let runtime = crate::absolute(&root.join("runtime")).display().to_string();
    let compliance = crate::absolute(&root.join("tests/compliance"))
        .display()
        .to_string();
    let mut suites = Vec::new();
    for model in &models {
        if let Some(suite) = prepare(model, &out_root, &runtime, &compliance)? {
            suites.push(suite);
        }
    }
    if suites.is_empty() {
        return Err(format!(
            "error: no model in {} has `smithy.rules#endpointTests`",
            dir.display()
        ));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        suites
            .iter()
            .flat_map(|s| std::iter::once(&s.crate_name).chain(&s.client_crate))
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(out_root.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "test",
            "--workspace",
            "--no-fail-fast",
            "--tests",
            "--quiet",
        ])
        .current_dir(&out_root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (mut passed, mut failed) = (0usize, 0usize);
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test result: ") {
            passed += count(rest, " passed");
            failed += count(rest, " failed");
        }
    }
    let ran = passed + failed;
    let expected: usize = suites.iter().map(|s| s.cases - s.unusable.len()).sum();
    println!("{:<40} {:>6}", "model", "cases");
    for s in &suites {
        println!("{:<40} {:>6}", s.model, s.cases);
        for u in &s.unusable {
            println!("    FAILED (not generated): {u}");
        }
    }
    if ran != expected || !output.status.success() {
        // Show what failed: the failing tests' names and messages, and any build error.
        for line in stdout.lines().filter(|l| {
            l.contains("FAILED")
                || l.contains("panicked")
                || l.starts_with("  left")
                || l.starts_with(" right")
        }) {
            println!("  {line}");
        }
        if ran != expected {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            println!("expected {expected} tests to run, {ran} did");
        }
    }
    let unusable: usize = suites.iter().map(|s| s.unusable.len()).sum();
    let failed = failed + unusable + expected.saturating_sub(ran);
    println!("{passed} passed, {failed} failed");
    if failed > 0 || failed_checks > 0 {
        return Err(format!("{failed} endpoint test(s) failed"));
    }
    Ok(())
}

/// The number before `what` in a libtest summary (`ok. 17 passed; 0 failed; ...`).
fn count(summary: &str, what: &str) -> usize {
    summary
        .split(';')
        .find_map(|part| {
            part.trim()
                .strip_suffix(what)?
                .split_whitespace()
                .last()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn check_partitions(file: &Path) -> Result<(), String> {
    use swage_runtime::endpoint::Partitions;
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let shared = Partitions::from_json(&text).map_err(|e| e.to_string())?;
    let builtin = Partitions::builtin();
    if shared == *builtin {
        return Ok(());
    }
    let ids = |p: &Partitions| {
        p.partitions
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
    };
    if ids(&shared) != ids(builtin) {
        return Err(format!(
            "partition ids {:?} against the built-in {:?}",
            ids(&shared),
            ids(builtin)
        ));
    }
    let differing: Vec<String> = shared
        .partitions
        .iter()
        .zip(&builtin.partitions)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.id.clone())
        .collect();
    Err(format!("partitions {differing:?} differ"))
}

/// Generates the model's crate and writes its resolver and tests; `None` if it has no tests.
fn prepare(
    model: &Path,
    out_root: &Path,
    runtime: &str,
    compliance: &str,
) -> Result<Option<Suite>, String> {
    let text =
        std::fs::read_to_string(model).map_err(|e| format!("error: {}: {e}", model.display()))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("error: {}: {e}", model.display()))?;
    let Some((service_id, tests)) =
        doc.get("shapes")
            .and_then(Value::as_object)
            .and_then(|shapes| {
                shapes.iter().find_map(|(id, s)| {
                    Some((
                        id.clone(),
                        s.get("traits")?.get("smithy.rules#endpointTests")?.clone(),
                    ))
                })
            })
    else {
        return Ok(None);
    };
    let name = model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let crate_name = format!(
        "endpoints-{}",
        name.to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let cases = tests
        .get("testCases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let options = swage_codegen::Options {
        package: Some(crate_name.clone()),
        ..Default::default()
    };
    let generated = swage_codegen::generate(&model.display().to_string(), &text, &options)
        .map_err(|d| format!("error: {} does not generate:\n{d}", model.display()))?;
    let Some(resolver) = generated.files.get("src/endpoint.rs") else {
        let mut suite = Suite {
            model: name,
            crate_name,
            client_crate: None,
            cases: cases.len(),
            unusable: Vec::new(),
        };
        suite.unusable = (0..cases.len())
            .map(|i| format!("case {i}: the generated crate has no endpoint resolver"))
            .collect();
        return Ok(Some(suite));
    };
    // The parameters as the generator sees them (names, fields, which are optional).
    let rule_set = doc["shapes"][&service_id]["traits"]
        .get("smithy.rules#endpointRuleSet")
        .cloned()
        .unwrap_or(Value::Null);
    let mut report = swage_codegen::diagnostics::Reporter::new(&model.display().to_string());
    let params = swage_codegen::rules::lower(&service_id, &rule_set, &mut report)
        .map(|r| r.params)
        .unwrap_or_default();

    let mut suite = Suite {
        model: name,
        crate_name: crate_name.clone(),
        client_crate: None,
        cases: cases.len(),
        unusable: Vec::new(),
    };
    // Cases that set operation input members run in the whole client, through the operation.
    if cases.iter().any(swage_codegen::compliance::sets_input) {
        let client_crate = format!("{crate_name}-client");
        let options = swage_codegen::Options {
            package: Some(client_crate.clone()),
            runtime: swage_codegen::Runtime::Path(
                crate::absolute(&crate::repo_root()).display().to_string(),
            ),
            compliance_dependency: Some(format!("{{ path = {compliance:?} }}")),
            ..Default::default()
        };
        let client = swage_codegen::generate(&model.display().to_string(), &text, &options)
            .map_err(|d| format!("error: {} does not generate:\n{d}", model.display()))?;
        let manifest = client
            .files
            .get("protocol-tests.txt")
            .cloned()
            .unwrap_or_default();
        for line in manifest.lines() {
            let mut parts = line.splitn(3, '\t');
            if let (Some("skip"), Some(id), Some(reason)) =
                (parts.next(), parts.next(), parts.next())
            {
                suite.unusable.push(format!("{id}: {reason}"));
            }
        }
        crate::ensure_files(&out_root.join(&client_crate), &client.files, false)?;
        suite.client_crate = Some(client_crate);
    }
    let mut tests_rs = String::from(TEST_HEADER);
    for (i, case) in cases.iter().enumerate() {
        if suite.client_crate.is_some() && swage_codegen::compliance::sets_input(case) {
            continue;
        }
        match test_fn(i, case, &params) {
            Ok(f) => tests_rs.push_str(&f),
            Err(why) => suite.unusable.push(format!("case {i}: {why}")),
        }
    }
    let dir = out_root.join(&crate_name);
    let cargo = format!(
        "[package]\nname = {crate_name:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nswage-runtime = {{ path = {runtime:?}, default-features = false, features = [\"endpoints\"] }}\n"
    );
    let lib = "//! The generated endpoint resolver, alone, for its tests.\n\npub mod endpoint;\n"
        .to_owned();
    let files = [
        ("Cargo.toml", cargo),
        ("src/lib.rs", lib),
        ("src/endpoint.rs", resolver.clone()),
        (
            "tests/cases.rs",
            tests_rs.replace("CRATE", &crate_name.replace('-', "_")),
        ),
    ];
    for (rel, contents) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            std::fs::write(&path, contents).map_err(|e| e.to_string())?;
        }
    }
    Ok(Some(suite))
}

const TEST_HEADER: &str = r#"//! Generated by `cargo xtask endpoint-tests` from the model's `smithy.rules#endpointTests`.

use CRATE::endpoint::{resolve, Endpoint, EndpointError, EndpointParams};
use std::collections::BTreeMap;
use swage_runtime::Document;

#[track_caller]
fn expect_endpoint(result: Result<Endpoint, EndpointError>, url: &str, properties: &str, headers: &[(&str, &[&str])]) {
    let endpoint = match result {
        Ok(e) => e,
        Err(e) => panic!("expected the endpoint {url}, got the error {e:?}"),
    };
    assert_eq!(endpoint.url, url, "url");
    let wanted = swage_runtime::value::parse(properties.as_bytes()).expect("the expected properties are JSON");
    assert_eq!(Document::Object(endpoint.properties), wanted, "properties");
    let wanted: BTreeMap<String, Vec<String>> = headers.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect();
    assert_eq!(endpoint.headers, wanted, "headers");
}

#[track_caller]
fn expect_error(result: Result<Endpoint, EndpointError>, message: &str) {
    match result {
        Ok(e) => panic!("expected the error {message:?}, got the endpoint {}", e.url),
        Err(e) => assert_eq!(e.to_string(), message),
    }
}
"#;

/// Sets parameter `name` (a case names a built-in both in `params` and in its
/// `operationInputs`; they agree, and each parameter is set once).
fn set(values: &mut Vec<(String, Value)>, name: &str, v: &Value) {
    match values.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = v.clone(),
        None => values.push((name.to_owned(), v.clone())),
    }
}

/// One `#[test]` for a case.
fn test_fn(i: usize, case: &Value, params: &[EndpointParam]) -> Result<String, String> {
    let doc = case
        .get("documentation")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut values: Vec<(String, Value)> = case
        .get("params")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if let Some(inputs) = case.get("operationInputs").and_then(Value::as_array) {
        let Some(first) = inputs.first() else {
            return Err("empty `operationInputs`".into());
        };
        for (builtin, v) in first
            .get("builtInParams")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let p = params
                .iter()
                .find(|p| p.built_in.as_deref() == Some(builtin.as_str()))
                .ok_or_else(|| format!("no parameter has the built-in `{builtin}`"))?;
            set(&mut values, &p.name, v);
        }
        for (name, v) in first
            .get("clientParams")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            set(&mut values, name, v);
        }
    }
    let mut fields = String::new();
    for (name, v) in &values {
        let p = params
            .iter()
            .find(|p| &p.name == name)
            .ok_or_else(|| format!("`{name}` is not a parameter of the rule set"))?;
        let optional = p.default.is_none();
        let value = match swage_codegen::compliance::param_value(p, v)? {
            ParamValue::String(s) => format!("{s:?}.to_owned()"),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::StringArray(items) => {
                let items: Vec<String> =
                    items.iter().map(|s| format!("{s:?}.to_owned()")).collect();
                format!("vec![{}]", items.join(", "))
            }
        };
        let value = if optional {
            format!("Some({value})")
        } else {
            value
        };
        let _ = write!(fields, "{}: {value}, ", p.field);
    }
    let check = match case.get("expect") {
        Some(e) if e.get("error").is_some() => {
            let message = e["error"]
                .as_str()
                .ok_or("`expect.error` is not a string")?;
            format!("expect_error(result, {message:?});")
        }
        Some(e) if e.get("endpoint").is_some() => {
            let ep = &e["endpoint"];
            let url = ep
                .get("url")
                .and_then(Value::as_str)
                .ok_or("`expect.endpoint.url` is not a string")?;
            let props = ep
                .get("properties")
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default()));
            let props = serde_json::to_string(&props).map_err(|e| e.to_string())?;
            let mut headers = String::new();
            for (k, vs) in ep
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let vs: Vec<String> = vs
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|s| format!("{s:?}"))
                    .collect();
                let _ = write!(headers, "({k:?}, &[{}]), ", vs.join(", "));
            }
            format!("expect_endpoint(result, {url:?}, {props:?}, &[{headers}]);")
        }
        _ => return Err("`expect` has neither `endpoint` nor `error`".into()),
    };
    let slug: String = doc
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let slug: String = slug
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .take(70)
        .collect();
    let comment = doc.replace('\n', " ");
    Ok(format!(
        "\n/// {comment}\n#[test]\nfn case_{i:03}_{slug}() {{\n    let params = EndpointParams {{ {fields}..EndpointParams::default() }};\n    let result = resolve(&params);\n    {check}\n}}\n"
    ))
}
