//! Diagnostics: what is wrong with a model, where, and what to do about it. Every stage collects
//! them instead of stopping at the first.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The model cannot be generated; nothing is written.
    Error,
    /// Generation goes on, but something in the model is not (fully) honoured.
    Warning,
}

/// One finding about a model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The model file.
    pub file: String,
    /// The shape id concerned, if any.
    pub shape: Option<String>,
    /// The member of that shape, if any.
    pub member: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to change.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some(shape) = &self.shape {
            write!(f, ": {shape}")?;
            if let Some(member) = &self.member {
                write!(f, "${member}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All findings about one model, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by file, shape and member, with duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut list = self.list.clone();
        list.sort();
        list.dedup();
        list
    }

    /// Moves every diagnostic of `other` into this one.
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// The number of diagnostics.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A builder for diagnostics about one file, so call sites stay short.
#[derive(Debug)]
pub struct Reporter {
    file: String,
    diagnostics: Diagnostics,
}

impl Reporter {
    /// Diagnostics about `file`.
    pub fn new(file: &str) -> Self {
        Reporter {
            file: file.to_owned(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// An error at `shape` (and `member`), with `help` saying what to change.
    pub fn error(
        &mut self,
        shape: Option<&str>,
        member: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(Severity::Error, shape, member, message.into(), help.into());
    }

    /// A warning at `shape` (and `member`).
    pub fn warning(
        &mut self,
        shape: Option<&str>,
        member: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(
            Severity::Warning,
            shape,
            member,
            message.into(),
            help.into(),
        );
    }

    fn report(
        &mut self,
        severity: Severity,
        shape: Option<&str>,
        member: Option<&str>,
        message: String,
        help: String,
    ) {
        self.diagnostics.push(Diagnostic {
            file: self.file.clone(),
            shape: shape.map(str::to_owned),
            member: member.map(str::to_owned),
            severity,
            message,
            help: (!help.is_empty()).then_some(help),
        });
    }

    /// Whether any error was reported so far.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// The file the diagnostics are about.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The diagnostics collected.
    pub fn finish(self) -> Diagnostics {
        self.diagnostics
    }
}
