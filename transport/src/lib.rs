//! The HTTP transports swage's clients use by default: `blocking::HttpTransport` (feature
//! `blocking`) and `nonblocking::HyperTransport` (feature `async`).
//!
//! They live apart from `swage-runtime` so that the runtime and the generated crate compile
//! while the TLS stack does: only this small crate waits for rustls. Any other transport plugs
//! in through the runtime's `Transport` / `AsyncTransport` traits.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "blocking")]
pub mod credentials;
#[cfg(feature = "async")]
pub mod nonblocking;
