//! The blocking client: each call runs on the calling thread, over `ureq` by default.

use super::{block_on, prepare, resolve, Attempts, Config, SdkError, SdkErrorKind, Sent, Service, Step, TimeoutKind, TokenBucket, TransportError, TransportErrorKind};
use crate::Operation;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;


/// Sends one HTTP request and reads the whole answer, within `timeout` (and `connect_timeout`
/// to connect). Any status is an answer, not an error.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(&self, request: http::Request<Vec<u8>>, connect_timeout: Duration, timeout: Duration) -> Result<http::Response<Vec<u8>>, TransportError>;
}

/// A blocking client: configuration, a transport and the retry quota, shared by its clones.
#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
    transport: Arc<dyn Transport>,
    bucket: Arc<TokenBucket>,
}

impl Client {
    /// A client over `ureq`.
    pub fn new(config: Config) -> Self {
        Client::with_transport(config, UreqTransport::new())
    }

    /// A client over another transport.
    pub fn with_transport(config: Config, transport: impl Transport + 'static) -> Self {
        Client { config, transport: Arc::new(transport), bucket: Arc::new(TokenBucket::default()) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `Op` of `service` with `input`: resolve the endpoint, then sign, send
    /// and retry as configured.
    pub fn send<Op: Operation>(&self, service: &Service, input: &Op::Input) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        self.send_resolved::<Op>(service, &service.resolve_endpoint, input)
    }

    /// As [`send`](Self::send), with the endpoint from `endpoint` (for operations whose
    /// input sets endpoint parameters).
    pub fn send_resolved<Op: Operation>(&self, service: &Service, endpoint: super::ResolveEndpoint<'_>, input: &Op::Input) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        let construction = |e| SdkError::new(SdkErrorKind::Construction(e), 0, None);
        let (endpoint, credentials) = resolve(&self.config, service, endpoint).map_err(construction)?;
        let credentials = credentials.map(block_on);
        let prepared = prepare(&self.config, service, endpoint, credentials).map_err(construction)?;
        let mut attempts = Attempts::new(&self.config, &self.bucket, prepared);
        loop {
            let super::NextAttempt { request, connect, timeout } = attempts.next::<Op>(input)?;
            match attempts.outcome::<Op>(self.transport.send(request, connect, timeout)) {
                Step::Done(result) => return result,
                Step::Retry(wait) => std::thread::sleep(wait),
            }
        }
    }
}

/// The `ureq` transport (rustls with the `webpki` roots for TLS).
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl UreqTransport {
    /// A transport with its own connection pool.
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build();
        UreqTransport { agent: config.into() }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        UreqTransport::new()
    }
}

/// The most response body a call reads (larger answers are an error, not an allocation).
const MAX_BODY: u64 = 256 << 20;

impl Transport for UreqTransport {
    fn send(&self, request: http::Request<Vec<u8>>, connect_timeout: Duration, timeout: Duration) -> Result<http::Response<Vec<u8>>, TransportError> {
        let request = self.agent.configure_request(request).timeout_connect(Some(connect_timeout)).timeout_global(Some(timeout)).build();
        let response = self.agent.run(request).map_err(ureq_error)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body.with_config().limit(MAX_BODY).read_to_vec().map_err(ureq_error)?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

fn ureq_error(e: ureq::Error) -> TransportError {
    let message = e.to_string();
    let kind = match &e {
        ureq::Error::Timeout(ureq::Timeout::Connect) | ureq::Error::Timeout(ureq::Timeout::Resolve) => TransportErrorKind::Timeout(TimeoutKind::Connect),
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout(TimeoutKind::Attempt),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock => TransportErrorKind::Timeout(TimeoutKind::Attempt),
        ureq::Error::Io(io) if matches!(io.kind(), std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound) => TransportErrorKind::Connect,
        ureq::Error::Io(_) | ureq::Error::Protocol(_) => TransportErrorKind::Io,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => TransportErrorKind::Tls,
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, message)
}
