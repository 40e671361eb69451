//! Errors from reading a response: a body or header that doesn't parse, and the catch-all for
//! error responses the model doesn't describe.

use std::fmt;

/// A response that could not be read as the model describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The body is not JSON (or nests deeper than the parser allows).
    InvalidJson {
        /// What the JSON parser said, with line and column.
        message: String,
    },
    /// A JSON value has the wrong type.
    UnexpectedType {
        /// Where the value sits in the body, such as `/Items/2/Name`.
        path: String,
        /// What the model expects there.
        expected: &'static str,
        /// What the body held instead.
        found: &'static str,
    },
    /// The body is not XML, or not the XML the model describes (XML protocols).
    InvalidXml {
        /// What is wrong, and the path of elements to it.
        message: String,
    },
    /// A header bound to a member holds a value that doesn't parse.
    InvalidHeader {
        /// The header's name.
        header: String,
        /// What the model expects.
        expected: &'static str,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::InvalidJson { message } => {
                write!(f, "the response body is not valid JSON: {message}")
            }
            ParseError::InvalidXml { message } => {
                write!(f, "the response body is not the XML expected: {message}")
            }
            ParseError::UnexpectedType {
                path,
                expected,
                found,
            } => {
                write!(
                    f,
                    "expected {expected} at `{path}` in the response body, found {found}"
                )
            }
            ParseError::InvalidHeader { header, expected } => {
                write!(
                    f,
                    "the response header `{header}` is not a valid {expected}"
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// A required member the response did not carry (and that has no zero value to stand in).
    pub fn missing(member: &str) -> Self {
        ParseError::UnexpectedType {
            path: format!("/{member}"),
            expected: "a value",
            found: "nothing",
        }
    }
}

/// An error response that matches no error in the model, or a response that could not be read.
///
/// It keeps everything known about the response, so nothing is lost: status, error code (if the
/// response carried one), message, request id, the raw body, and the parse error if that is what
/// went wrong.
#[derive(Clone, PartialEq, Eq)]
pub struct Unhandled {
    // Boxed, so results carrying it stay small.
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
    source: Option<ParseError>,
    fault: Option<String>,
}

impl Unhandled {
    /// Describes an error response.
    pub fn new(
        status: u16,
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        body: &[u8],
    ) -> Self {
        Unhandled {
            inner: Box::new(Inner {
                status,
                code,
                message,
                request_id,
                body: body.to_vec(),
                source: None,
                fault: None,
            }),
        }
    }

    /// Records that the response could not be read, and why.
    pub fn with_source(mut self, source: ParseError) -> Self {
        self.inner.source = Some(source);
        self
    }

    /// Records the awsQuery fault (`Sender` or `Receiver`) of an `awsQueryCompatible` service's
    /// error.
    pub fn with_fault(mut self, fault: &str) -> Self {
        self.inner.fault = Some(fault.to_owned());
        self
    }

    /// The awsQuery fault (`Sender` or `Receiver`), for a service that is
    /// `aws.protocols#awsQueryCompatible` and sent `x-amzn-query-error`.
    pub fn fault(&self) -> Option<&str> {
        self.inner.fault.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.status
    }

    /// The error code the service sent, after the restJson1 clean-up (namespace and `:` suffix
    /// removed), if there was one.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The error message the service sent, if any.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The request id from `x-amzn-requestid`, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.inner.body
    }

    /// Why the response could not be read, when that is the reason for this error.
    pub fn parse_error(&self) -> Option<&ParseError> {
        self.inner.source.as_ref()
    }

    /// Whether retrying may help: throttling, or a server-side status (500, 502, 503, 504).
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || matches!(self.inner.status, 500 | 502 | 503 | 504)
    }

    /// Whether this is a throttling error: status 429 or one of AWS's throttling codes.
    pub fn is_throttling(&self) -> bool {
        self.inner.status == 429
            || self
                .inner
                .code
                .as_deref()
                .is_some_and(crate::response::is_throttling_code)
    }
}

impl fmt::Debug for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unhandled")
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("request_id", &self.inner.request_id)
            .field("body_len", &self.inner.body.len())
            .field("source", &self.inner.source)
            .field("fault", &self.inner.fault)
            .finish()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.inner.source, &self.inner.code) {
            (Some(source), _) => write!(
                f,
                "unreadable response (HTTP {}): {source}",
                self.inner.status
            )?,
            (None, Some(code)) => write!(f, "unhandled error {code} (HTTP {})", self.inner.status)?,
            (None, None) => write!(
                f,
                "unhandled error without a code (HTTP {})",
                self.inner.status
            )?,
        }
        if let Some(message) = &self.inner.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_ref().map(|e| e as _)
    }
}

/// An operation's error seen uniformly: one of the model's errors (with what the model says of
/// it), or an unhandled one. A generated error enum matches itself once into a view and takes
/// every helper (`code`, `message`, `request_id`, `is_retryable`, `Display`, `source`) from it.
#[derive(Clone, Copy)]
pub enum ErrorView<'a> {
    /// A modelled error.
    Modelled {
        /// The error itself.
        error: &'a (dyn std::error::Error + 'static),
        /// Its code.
        code: &'static str,
        /// Its message.
        message: Option<&'a str>,
        /// The request id.
        request_id: Option<&'a str>,
        /// `@retryable`.
        retryable: bool,
        /// `@retryable(throttling: true)`.
        throttling: bool,
    },
    /// An error the model doesn't describe, or an unreadable response.
    Unhandled(&'a Unhandled),
}

impl<'a> ErrorView<'a> {
    /// The view of a modelled error; `retryable` and `throttling` come from the model.
    pub fn modelled<E: ServiceError + 'static>(
        error: &'a E,
        retryable: bool,
        throttling: bool,
    ) -> Self {
        ErrorView::Modelled {
            error,
            code: E::CODE,
            message: error.message(),
            request_id: error.request_id(),
            retryable,
            throttling,
        }
    }

    /// The error code, if the response carried one.
    pub fn code(&self) -> Option<&'a str> {
        match self {
            ErrorView::Modelled { code, .. } => Some(code),
            ErrorView::Unhandled(u) => u.code(),
        }
    }

    /// The error message, if the service sent one.
    pub fn message(&self) -> Option<&'a str> {
        match self {
            ErrorView::Modelled { message, .. } => *message,
            ErrorView::Unhandled(u) => u.message(),
        }
    }

    /// The request id, if the response had one.
    pub fn request_id(&self) -> Option<&'a str> {
        match self {
            ErrorView::Modelled { request_id, .. } => *request_id,
            ErrorView::Unhandled(u) => u.request_id(),
        }
    }

    /// Whether retrying may succeed: the model's `@retryable`, or for unhandled errors a
    /// status or code AWS treats as transient.
    pub fn is_retryable(&self) -> bool {
        match self {
            ErrorView::Modelled { retryable, .. } => *retryable,
            ErrorView::Unhandled(u) => u.is_retryable(),
        }
    }

    /// Whether this is a throttling error.
    pub fn is_throttling(&self) -> bool {
        match self {
            ErrorView::Modelled { throttling, .. } => *throttling,
            ErrorView::Unhandled(u) => u.is_throttling(),
        }
    }

    /// The error, as `std::error::Error` (for `source`).
    pub fn error(&self) -> &'a (dyn std::error::Error + 'static) {
        match self {
            ErrorView::Modelled { error, .. } => *error,
            ErrorView::Unhandled(u) => *u,
        }
    }
}

impl fmt::Display for ErrorView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error(), f)
    }
}

/// What every modelled error offers, whatever its members are called. Error enums reach their
/// variants through it, so a member named `Message` or `RequestId` never gets in the way.
pub trait ServiceError: std::error::Error {
    /// The error code the service sends.
    const CODE: &'static str;
    /// The error message, if the service sent one (and it isn't `@sensitive`).
    fn message(&self) -> Option<&str>;
    /// The request id, if the response had one.
    fn request_id(&self) -> Option<&str>;
}
