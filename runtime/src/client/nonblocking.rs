//! The async client: calls are futures, over any [`AsyncTransport`] (`swage-transport` has one
//! over hyper), with tokio's timer for backoff and timeouts (so calls run inside a tokio runtime).

use super::discovery::{Discovery, EndpointCache};
use super::{discovery_key, ConstructionError};
use super::{
    prepare, resolve, Attempts, Config, SdkError, SdkErrorKind, Sent, Service, Step, TimeoutKind,
    TokenBucket, TransportError, TransportErrorKind,
};
use crate::endpoint::Endpoint;
use crate::Operation;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// The future a transport returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and reads the whole answer, within `timeout` (and `connect_timeout`
/// to connect). Any status is an answer, not an error.
pub trait AsyncTransport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        connect_timeout: Duration,
        timeout: Duration,
    ) -> TransportFuture<'_>;
}

/// An async client: configuration, a transport and the retry quota, shared by its clones.
#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
    transport: Arc<dyn AsyncTransport>,
    bucket: Arc<TokenBucket>,
    endpoints: Arc<EndpointCache>,
}

impl Client {
    /// A client over another transport.
    pub fn with_transport(config: Config, transport: impl AsyncTransport + 'static) -> Self {
        Client {
            config,
            transport: Arc::new(transport),
            bucket: Arc::new(TokenBucket::default()),
            endpoints: Arc::new(EndpointCache::default()),
        }
    }

    /// As [`send`](Self::send), for an operation that requires endpoint discovery: the endpoint
    /// is the one `discovery` finds (cached per access key, operation and identifiers), unless
    /// the configuration sets `endpoint_url`. See [`discovery`](super::discovery).
    pub async fn send_discovered<Op: Operation, D: Operation>(
        &self,
        service: &Service,
        input: &Op::Input,
        discovery: Discovery<D, Op::Error>,
    ) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        if self.config.endpoint_url().is_some() {
            return self.send::<Op>(service, input).await;
        }
        let construction = |e| SdkError::new(SdkErrorKind::Construction(e), 0, None);
        let credentials = match service.signing_name {
            Some(_) => Some(
                self.config
                    .credentials
                    .provide_credentials()
                    .await
                    .map_err(|e| construction(ConstructionError::Credentials(e)))?,
            ),
            None => None,
        };
        let key = discovery_key(credentials.as_ref(), &discovery.key);
        let endpoint = match self.endpoints.get(&key) {
            Some(cached) if cached.fresh => {
                Endpoint::from_url(super::discovery::url_of_cached(&cached))
            }
            stale => {
                let described = self.send::<D>(service, &discovery.input).await;
                let described = described
                    .as_ref()
                    .map(|sent| &sent.output)
                    .map_err(ToString::to_string);
                discovery
                    .settle(&self.endpoints, &key, stale, described)
                    .map_err(construction)?
            }
        };
        let resolve = move |_: &Config| Ok(endpoint.clone());
        let result = self.send_resolved::<Op>(service, &resolve, input).await;
        discovery.after(&self.endpoints, &key, &result);
        result
    }

    /// The endpoints endpoint discovery has found, shared by this client's clones.
    pub fn discovered_endpoints(&self) -> &EndpointCache {
        &self.endpoints
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `Op` of `service` with `input`: resolve the endpoint, then sign, send
    /// and retry as configured.
    pub async fn send<Op: Operation>(
        &self,
        service: &Service,
        input: &Op::Input,
    ) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        self.send_resolved::<Op>(service, &service.resolve_endpoint, input)
            .await
    }

    /// Presigns operation `Op` with `input` for `expires_in` (at most 7 days): a URL anyone can
    /// use without credentials, with the endpoint from `endpoint`. Nothing is sent.
    pub async fn presign<Op: Operation>(
        &self,
        service: &Service,
        endpoint: super::ResolveEndpoint<'_>,
        input: &Op::Input,
        expires_in: Duration,
    ) -> Result<super::PresignedRequest, SdkError<Op::Error>> {
        let construction = |e| SdkError::new(SdkErrorKind::Construction(e), 0, None);
        let (endpoint, credentials, chosen) =
            resolve(&self.config, service, endpoint, super::OpAuth::PRESIGN)
                .map_err(construction)?;
        let credentials = match credentials {
            Some(future) => Some(future.await),
            None => None,
        };
        let prepared =
            prepare(&self.config, service, endpoint, credentials, chosen).map_err(construction)?;
        super::presign::<Op>(&prepared, input, expires_in).map_err(construction)
    }

    /// As [`send`](Self::send), with the endpoint from `endpoint` (for operations whose
    /// input sets endpoint parameters).
    pub async fn send_resolved<Op: Operation>(
        &self,
        service: &Service,
        endpoint: super::ResolveEndpoint<'_>,
        input: &Op::Input,
    ) -> Result<Sent<Op::Output>, SdkError<Op::Error>> {
        let construction = |e| SdkError::new(SdkErrorKind::Construction(e), 0, None);
        let (endpoint, credentials, chosen) =
            resolve(&self.config, service, endpoint, super::OpAuth::of::<Op>())
                .map_err(construction)?;
        let credentials = match credentials {
            Some(future) => Some(future.await),
            None => None,
        };
        let prepared =
            prepare(&self.config, service, endpoint, credentials, chosen).map_err(construction)?;
        let mut attempts = Attempts::new(&self.config, &self.bucket, prepared);
        loop {
            let super::NextAttempt {
                request,
                connect,
                timeout,
            } = attempts.next::<Op>(input)?;
            // The transport is trusted with the timeout, and the timer backs it up.
            let sent = match tokio::time::timeout(
                timeout + Duration::from_millis(50),
                self.transport.send(request, connect, timeout),
            )
            .await
            {
                Ok(result) => result,
                Err(_) => Err(TransportError::new(
                    TransportErrorKind::Timeout(TimeoutKind::Attempt),
                    "no answer in time",
                )),
            };
            match attempts.outcome::<Op>(sent) {
                Step::Done(result) => return result,
                Step::Retry(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}
