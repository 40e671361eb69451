//! swage's generator: a Smithy 2.0 JSON AST model in, a Rust client crate out.
//!
//! The stages, each in its own module: [`load`] (serde mirror in [`ast`], prelude, mixins,
//! `apply`) → [`validate`] (every diagnostic at once) → [`lower`] (the [`ir`], where every Rust
//! name is decided by [`naming`]) → [`emit`] (one emitter per concern, `quote`) → [`render`]
//! (`syn` + `prettyplease`, once).

pub mod ast;
pub mod compliance;
pub mod customize;
pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod patterns;
pub mod protocol;
pub mod render;
pub mod rules;
pub mod traits;
pub mod validate;
pub mod write;

use diagnostics::{Diagnostics, Reporter};
use std::collections::BTreeMap;

pub use lower::{Example, Options, Runtime};

/// A generated crate: file path (relative to the crate root) to contents, and the warnings.
#[derive(Debug)]
pub struct Generated {
    /// The crate's package name (from [`Options::package`], else the service's sdkId).
    pub package: String,
    /// Every file, in path order.
    pub files: BTreeMap<String, String>,
    /// Warnings (generation went on despite them).
    pub warnings: Diagnostics,
}

/// Runs the whole pipeline on the model `text`, read from `file`. On any error nothing is
/// produced and every diagnostic is returned.
pub fn generate(file: &str, text: &str, options: &Options) -> Result<Generated, Diagnostics> {
    let mut report = Reporter::new(file);
    let mut model = load::load(file, text, &mut report);
    if let Some(service) = &options.service {
        match model::ShapeId::parse(service) {
            Ok(id) if model.select_service(&id) => {}
            Ok(_) => {
                let known: Vec<String> = model.services().map(|s| s.id.to_string()).collect();
                report.error(
                    Some(service),
                    None,
                    "no such service in the model",
                    format!("choose one of: {}", known.join(", ")),
                );
                return Err(report.finish());
            }
            Err(e) => {
                report.error(
                    None,
                    None,
                    format!("--service: {e}"),
                    "give the service's absolute shape id",
                );
                return Err(report.finish());
            }
        }
    }
    // Validation runs even after load errors, on what could be read, so one run reports all.
    validate::validate(&model, &mut report);
    if report.has_errors() {
        return Err(report.finish());
    }
    let Some(krate) = lower::lower(&model, options, &mut report) else {
        if !report.has_errors() {
            report.error(None, None, "nothing to generate", "add a service shape");
        }
        return Err(report.finish());
    };
    // The model is large (a big service's is tens of MB) and emitting needs only the IR: its
    // memory is better reused by the emitters than held.
    drop(model);
    let package = krate.package.clone();
    let mut files = BTreeMap::new();
    let mut rust = Vec::new();
    for (path, output) in emit::emit(&krate) {
        match output {
            emit::Output::Text(t) => {
                files.insert(path, t);
            }
            emit::Output::Rust(tokens) => rust.push((path, render::split_items(tokens, 64))),
            emit::Output::Rendered(Ok(pieces)) => {
                files.insert(path, render::assemble(&pieces));
            }
            emit::Output::Rendered(Err(e)) => {
                report.error(
                    None,
                    None,
                    e,
                    "this is a bug in swage; please report it with the model",
                );
                return Err(report.finish());
            }
        }
    }
    for (path, rendered) in render::render_all(rust) {
        match rendered {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(e) => {
                report.error(
                    None,
                    None,
                    e,
                    "this is a bug in swage; please report it with the model",
                );
                return Err(report.finish());
            }
        }
    }
    // Every file's header names the command that regenerates it.
    if !options.command.is_empty() && options.command != DEFAULT_COMMAND {
        let (from, to) = (
            format!("`{DEFAULT_COMMAND}`"),
            format!("`{}`", options.command),
        );
        for text in files.values_mut() {
            let first = text.find('\n').unwrap_or(text.len());
            if text[..first].contains(&from) {
                let line = text[..first].replacen(&from, &to, 1);
                text.replace_range(..first, &line);
            }
        }
    }
    Ok(Generated {
        package,
        files,
        warnings: report.finish(),
    })
}

/// The command generated files name in their header unless [`Options::command`] says another.
pub const DEFAULT_COMMAND: &str = "swage generate";
