//! `cargo xtask e2e [MODELS_DIR]`: generated clients against moto, an independent
//! implementation of the AWS services.
//!
//! Generates the clients the scenarios use (from the published models in `MODELS_DIR`, default
//! `../shared/models-json`) into `target/e2e/`, installs `moto[server]` into a virtual
//! environment under `target/` when it is absent, starts `moto_server` on a free loopback port,
//! runs the scenario crate `tests/e2e` (blocking and async clients) against it, and stops it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// (crate name, model file): the clients the scenarios call.
/// The clients, by crate name: the JSON protocols' models (in MODELS_DIR) ...
const CLIENTS: [(&str, &str); 8] = [
    ("dynamodb", "dynamodb-2012-08-10.json"),
    ("kms", "kms-2014-11-01.json"),
    ("secretsmanager", "secrets-manager-2017-10-17.json"),
    ("sqs", "sqs-2012-11-05.json"),
    ("ssm", "ssm-2014-11-06.json"),
    ("logs", "cloudwatch-logs-2014-03-28.json"),
    ("ecr", "ecr-2015-09-21.json"),
    ("sfn", "sfn-2016-11-23.json"),
];

/// ... and the XML protocols' (in XML_MODELS_DIR).
const XML_CLIENTS: [(&str, &str); 5] = [
    ("s3", "s3-2006-03-01.json"),
    ("route53", "route-53-2013-04-01.json"),
    ("sts", "sts-2011-06-15.json"),
    ("iam", "iam-2010-05-08.json"),
    ("sns", "sns-2010-03-31.json"),
];

/// Stops moto however the run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let models = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/models-json"));
    let xml_models = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| models.with_file_name("models-xml"));
    let out = root.join("target/e2e");
    let clients = CLIENTS
        .iter()
        .map(|(name, file)| (name, models.join(file)))
        .chain(
            XML_CLIENTS
                .iter()
                .map(|(name, file)| (name, xml_models.join(file))),
        );
    for (name, model) in clients {
        let text = std::fs::read_to_string(&model)
            .map_err(|e| format!("error: {}: {e}", model.display()))?;
        let dir = out.join(name);
        let options = swage_codegen::Options {
            package: Some((*name).to_owned()),
            runtime: swage_codegen::Runtime::Path(crate::absolute(root).display().to_string()),
            ..Default::default()
        };
        let generated = swage_codegen::generate(&model.display().to_string(), &text, &options)
            .map_err(|d| format!("{d}error: {} does not generate", model.display()))?;
        let mut files = generated.files;
        if let Some(toml) = files.get_mut("Cargo.toml") {
            toml.push_str("\n[workspace]\n");
        }
        crate::ensure_files(&dir, &files, false)?;
    }
    let moto = ensure_moto(root)?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("error: no free loopback port: {e}"))?
        .port();
    let server = Server(
        Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("error: cannot start {}: {e}", moto.display()))?,
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("error: moto_server did not start listening within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(root.join("tests/e2e/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/e2e/target"))
        .env("SWAGE_E2E_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .status()
        .map_err(|e| e.to_string())?;
    drop(server);
    if status.success() {
        Ok(())
    } else {
        Err("error: an end-to-end scenario failed (see above)".into())
    }
}

/// `moto_server` from the virtual environment under `target/`, installed there if absent.
fn ensure_moto(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/e2e-venv");
    let moto = venv.join("bin/moto_server");
    if moto.exists() {
        return Ok(moto);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ok = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .map_err(|e| format!("error: cannot run {python}: {e}"))?
        .success()
        && Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "moto[server]"])
            .status()
            .map_err(|e| format!("error: cannot run pip: {e}"))?
            .success();
    if ok && moto.exists() {
        Ok(moto)
    } else {
        Err("error: could not install moto[server] into target/e2e-venv".into())
    }
}
