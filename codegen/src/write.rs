//! Generated crates on disk: a model's crate written into a directory, or a directory checked
//! against what the model gives (for CI, so a checked-in crate can't go stale unnoticed).
//!
//! ```no_run
//! use std::path::Path;
//!
//! let options = swage_codegen::Options::default();
//! let model = Path::new("model/weather.json");
//! let summary = swage_codegen::write::generate_into(model, Path::new("clients/weather"), &options)?;
//! println!("clients/weather: {summary}");
//! // In a test: fails, naming the files, when someone edited the model but not the crate.
//! swage_codegen::write::check(model, Path::new("clients/weather"), &options)?;
//! # Ok::<(), swage_codegen::write::Error>(())
//! ```

use crate::diagnostics::{Diagnostics, Severity};
use crate::{generate, Options};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// What writing a crate directory did, or checking one would do.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files whose contents changed or are new, relative to the crate root.
    pub written: Vec<String>,
    /// Files that already held what the model gives, left untouched (their modification times
    /// stay, so cargo rebuilds nothing for them).
    pub unchanged: usize,
    /// Rust sources under `src/` that the model no longer gives, removed.
    pub removed: Vec<String>,
    /// The model's warnings: generation went on despite them.
    pub warnings: Diagnostics,
}

impl Summary {
    /// Whether the directory already held exactly what the model gives.
    pub fn is_fresh(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }

    /// Every file that differs from what the model gives.
    pub fn stale(&self) -> Vec<String> {
        let removed = self
            .removed
            .iter()
            .map(|r| format!("{r} (no longer generated)"));
        self.written.iter().cloned().chain(removed).collect()
    }
}

impl fmt::Display for Summary {
    /// `3 files written, 40 unchanged, 0 removed; 1 warning`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{} written, {} unchanged, {} removed; {}",
            plural(self.written.len(), "file"),
            self.unchanged,
            self.removed.len(),
            plural(self.warnings.len(), "warning"),
        )
    }
}

/// Why a crate could not be generated or is not fresh.
#[derive(Debug)]
pub enum Error {
    /// The model file could not be read.
    Read {
        /// The model file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The model has errors (every one is here); nothing was written.
    Model {
        /// The model file.
        path: PathBuf,
        /// The errors, and any warnings.
        diagnostics: Diagnostics,
    },
    /// A file of the output could not be written or removed.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// [`check`]: the directory is not what the model gives.
    Stale {
        /// The crate directory.
        out: PathBuf,
        /// The files that differ, relative to it.
        files: Vec<String>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, error } => {
                write!(f, "{}: cannot read the model: {error}", path.display())
            }
            Error::Model { path, diagnostics } => {
                let errors = diagnostics
                    .sorted()
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                write!(
                    f,
                    "{diagnostics}{errors} error(s) in {}; nothing was written",
                    path.display()
                )
            }
            Error::Write { path, error } => write!(f, "cannot write {}: {error}", path.display()),
            Error::Stale { out, files } => write!(
                f,
                "{} is stale; these files differ from what the model gives:\n  {}\nregenerate it and commit the result",
                out.display(),
                files.join("\n  ")
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { error, .. } | Error::Write { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Generates the crate for the model file `model` into `out` (created if missing): writes the
/// files that differ, leaves equal ones alone, and removes Rust sources under `src/` the model
/// no longer gives. A model with errors writes nothing.
pub fn generate_into(model: &Path, out: &Path, options: &Options) -> Result<Summary, Error> {
    let files = generate_files(model, options)?;
    let mut summary = sync(out, &files.files, false)?;
    summary.warnings = files.warnings;
    Ok(summary)
}

/// Checks that `out` holds exactly the crate the model file `model` gives, touching nothing:
/// [`Error::Stale`] names every file that differs.
pub fn check(model: &Path, out: &Path, options: &Options) -> Result<Summary, Error> {
    let files = generate_files(model, options)?;
    let mut summary = sync(out, &files.files, true)?;
    summary.warnings = files.warnings;
    if summary.is_fresh() {
        Ok(summary)
    } else {
        Err(Error::Stale {
            out: out.to_path_buf(),
            files: summary.stale(),
        })
    }
}

fn generate_files(model: &Path, options: &Options) -> Result<crate::Generated, Error> {
    let text = std::fs::read_to_string(model).map_err(|error| Error::Read {
        path: model.to_path_buf(),
        error,
    })?;
    generate(&model.display().to_string(), &text, options).map_err(|diagnostics| Error::Model {
        path: model.to_path_buf(),
        diagnostics,
    })
}

/// Makes `out` hold exactly `files` (path relative to `out` → contents): writes what differs,
/// each file whole or not at all (written beside it, then renamed), leaves what is equal alone,
/// and removes Rust sources under `src/` not among `files`. With `check` nothing is touched
/// and the summary says what would be. The summary's warnings are empty.
pub fn sync(out: &Path, files: &BTreeMap<String, String>, check: bool) -> Result<Summary, Error> {
    let mut done = Summary::default();
    for (rel, contents) in files {
        let path = out.join(rel);
        let current = std::fs::read_to_string(&path)
            .ok()
            .map(|c| c.replace("\r\n", "\n"));
        if current.as_deref() == Some(contents.as_str()) {
            done.unchanged += 1;
            continue;
        }
        done.written.push(rel.clone());
        if !check {
            write_whole(&path, contents)?;
        }
    }
    for rel in existing_sources(&out.join("src"), "src") {
        if !files.contains_key(&rel) {
            if !check {
                let path = out.join(&rel);
                std::fs::remove_file(&path).map_err(|error| Error::Write { path, error })?;
            }
            done.removed.push(rel);
        }
    }
    Ok(done)
}

/// Writes `path` through a temporary file beside it, so it never holds half of `contents`.
fn write_whole(path: &Path, contents: &str) -> Result<(), Error> {
    let fail = |error| Error::Write {
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".swage-tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, contents).map_err(fail)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e)
    })
}

/// The `.rs` files under `dir`, as paths starting with `rel`, in name order.
fn existing_sources(dir: &Path, rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if path.is_dir() {
            out.extend(existing_sources(&path, &format!("{rel}/{name}")));
        } else if name.ends_with(".rs") {
            out.push(format!("{rel}/{name}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("swage-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const MODEL: &str = r#"{"smithy":"2.0","shapes":{
        "example#Svc":{"type":"service","version":"1","operations":[{"target":"example#Ping"}],
            "traits":{"aws.protocols#restJson1":{}}},
        "example#Ping":{"type":"operation","traits":{"smithy.api#http":{"method":"GET","uri":"/ping"}}}}}"#;

    #[test]
    fn writes_checks_and_reports_stale_files() {
        let dir = temp_dir("ok");
        let model = dir.join("model.json");
        std::fs::write(&model, MODEL).unwrap();
        let out = dir.join("client");
        let options = Options::default();
        let first = generate_into(&model, &out, &options).unwrap();
        assert!(!first.written.is_empty());
        assert_eq!(first.unchanged, 0);
        let toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(
            toml.starts_with("# Generated by `swage generate`."),
            "{toml}"
        );
        let version = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(toml.contains(&version), "{toml}");
        let fresh = check(&model, &out, &options).unwrap();
        assert!(fresh.is_fresh());
        assert_eq!(fresh.unchanged, first.written.len());

        std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
        std::fs::write(out.join("src/extra.rs"), "// not generated\n").unwrap();
        let err = check(&model, &out, &options).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("src/lib.rs"), "{text}");
        assert!(
            text.contains("src/extra.rs (no longer generated)"),
            "{text}"
        );
        // Checking touched nothing; generating puts it right.
        assert!(out.join("src/extra.rs").exists());
        let again = generate_into(&model, &out, &options).unwrap();
        assert_eq!(again.written, ["src/lib.rs"]);
        assert_eq!(again.removed, ["src/extra.rs"]);
        assert!(check(&model, &out, &options).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_broken_or_missing_model_writes_nothing() {
        let dir = temp_dir("broken");
        let model = dir.join("model.json");
        std::fs::write(
            &model,
            r#"{"smithy":"2.0","shapes":{"example#S":{"type":"nope"}}}"#,
        )
        .unwrap();
        let out = dir.join("client");
        let err = generate_into(&model, &out, &Options::default()).unwrap_err();
        assert!(matches!(err, Error::Model { .. }), "{err}");
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert!(!out.exists());
        let err = generate_into(&dir.join("missing.json"), &out, &Options::default()).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_runtime_comes_from_where_the_options_say() {
        let runtime = |r: crate::Runtime| (r.toml("runtime"), r.toml("transport"));
        assert_eq!(
            runtime(crate::Runtime::Path("../..".into())),
            (
                "path = \"../../runtime\"".to_owned(),
                "path = \"../../transport\"".to_owned()
            )
        );
        assert_eq!(
            runtime(crate::Runtime::Git {
                url: "https://example.com/swage".into(),
                rev: Some("v0.1.0".into())
            })
            .0,
            "git = \"https://example.com/swage\", rev = \"v0.1.0\""
        );
        assert_eq!(
            runtime(crate::Runtime::Version("0.1.0".into())).1,
            "version = \"0.1.0\""
        );
    }
}
