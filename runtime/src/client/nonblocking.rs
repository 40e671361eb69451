//! The async client: calls are futures, over `reqwest` by default, with tokio's timer for
//! backoff and timeouts (so calls run inside a tokio runtime).

use super::{attempt_budget, attempt_request, failure_of, prepare, resolve, read_answer, Config, SdkError, SdkErrorKind, Sent, Service, TimeoutKind, TokenBucket, TransportError, TransportErrorKind};
use crate::Operation;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The future a transport returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and reads the whole answer, within `timeout` (and `connect_timeout`
/// to connect). Any status is an answer, not an error.
pub trait AsyncTransport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(&self, request: http::Request<Vec<u8>>, connect_timeout: Duration, timeout: Duration) -> TransportFuture<'_>;
}

/// An async client: configuration, a transport and the retry quota, shared by its clones.
#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
    transport: Arc<dyn AsyncTransport>,
    bucket: Arc<TokenBucket>,
}

impl Client {
    /// A client over `reqwest`.
    pub fn new(config: Config) -> Self {
        let transport = ReqwestTransport::new(config.timeouts.connect);
        Client::with_transport(config, transport)
    }

    /// A client over another transport.
    pub fn with_transport(config: Config, transport: impl AsyncTransport + 'static) -> Self {
        Client { config, transport: Arc::new(transport), bucket: Arc::new(TokenBucket::default()) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `Op` of `service` with `input`: resolve the endpoint, then sign, send
    /// and retry as configured.
    pub async fn send<Op: Operation>(&self, service: &Service, input: &Op::Input) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        let construction = |e| SdkError::new(SdkErrorKind::Construction(e), 0, None);
        let (endpoint, credentials) = resolve(&self.config, service).map_err(construction)?;
        let credentials = match credentials {
            Some(future) => Some(future.await),
            None => None,
        };
        let prepared = prepare(&self.config, service, endpoint, credentials).map_err(construction)?;
        let started = Instant::now();
        let retry = &self.config.retry;
        let timeouts = &self.config.timeouts;
        let mut spent = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = attempt_request::<Op>(&prepared, input).map_err(|e| SdkError::new(SdkErrorKind::Construction(e), attempt - 1, None))?;
            let (budget, bounded_by_operation) = attempt_budget(timeouts.attempt, timeouts.operation, started);
            // The transport is trusted with the timeout, and the timer backs it up.
            let sent = match tokio::time::timeout(budget + Duration::from_millis(50), self.transport.send(request, timeouts.connect, budget)).await {
                Ok(result) => result,
                Err(_) => Err(TransportError::new(TransportErrorKind::Timeout(TimeoutKind::Attempt), "no answer in time")),
            };
            let (failure, kind) = match sent {
                Ok(response) => {
                    let (result, retry_kind, request_id) = read_answer::<Op>(&response);
                    match result {
                        Ok(output) => {
                            self.bucket.success(spent);
                            return Ok(Sent { output, attempts: attempt, request_id });
                        }
                        Err(e) => (SdkError::new(SdkErrorKind::Service(e), attempt, request_id), retry_kind),
                    }
                }
                Err(e) => failure_of(e, attempt, timeouts.connect, budget, bounded_by_operation),
            };
            let Some(kind) = kind.filter(|_| attempt < retry.max_attempts) else { return Err(failure) };
            let Some(cost) = self.bucket.acquire(kind) else { return Err(failure) };
            spent = cost;
            let wait = retry.backoff(attempt);
            if let Some(total) = timeouts.operation {
                if started.elapsed() + wait >= total {
                    return Err(failure);
                }
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// The `reqwest` transport (rustls with the `webpki` roots for TLS).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool, connecting within `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Self {
        let client = reqwest::Client::builder().connect_timeout(connect_timeout).redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        ReqwestTransport { client }
    }
}

/// The most response body a call reads.
const MAX_BODY: usize = 256 << 20;

impl AsyncTransport for ReqwestTransport {
    fn send(&self, request: http::Request<Vec<u8>>, _connect_timeout: Duration, timeout: Duration) -> TransportFuture<'_> {
        Box::pin(async move {
            let mut request = reqwest::Request::try_from(request).map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
            *request.timeout_mut() = Some(timeout);
            let mut response = self.client.execute(request).await.map_err(reqwest_error)?;
            let mut builder = http::Response::builder().status(response.status().as_u16());
            if let Some(headers) = builder.headers_mut() {
                for (k, v) in response.headers() {
                    headers.append(k.clone(), v.clone());
                }
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(reqwest_error)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(TransportError::new(TransportErrorKind::Other, "the response body is larger than 256 MiB"));
                }
                body.extend_from_slice(&chunk);
            }
            builder.body(body).map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
        })
    }
}

fn reqwest_error(e: reqwest::Error) -> TransportError {
    let kind = if e.is_timeout() {
        if e.is_connect() {
            TransportErrorKind::Timeout(TimeoutKind::Connect)
        } else {
            TransportErrorKind::Timeout(TimeoutKind::Attempt)
        }
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    // reqwest's top-level message hides the cause ("error sending request"); add it.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::new(kind, message)
}
