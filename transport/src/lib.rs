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

/// The default credential chain (`swage_runtime::client::chain::DefaultChain`: the environment,
/// the shared config and credentials files, SSO, web identity, the container, EC2 instance
/// metadata) calling STS, SSO and the metadata services with [`blocking::HttpTransport`].
#[cfg(feature = "blocking")]
pub fn default_chain() -> swage_runtime::client::chain::DefaultChain {
    swage_runtime::client::chain::DefaultChain::new(blocking::HttpTransport::new())
}
#[cfg(feature = "async")]
pub mod nonblocking;
