//! Sending requests for real: configuration, credentials, endpoint resolution, SigV4, retries and
//! timeouts, shared by the blocking client ([`blocking`], feature `blocking`) and the async one
//! ([`nonblocking`], feature `async`). Both take any transport that implements their small trait
//! (`swage-transport` has the default ones), so tests and users can plug in their own.
//!
//! A call resolves the endpoint and the credentials once, then for each attempt builds the
//! request from the already validated input (so an idempotency token stays the same), signs it
//! with the current time, sends it, and decides with the AWS "standard" retry strategy whether
//! to try again.

#[cfg(feature = "blocking")]
pub mod chain;
pub mod discovery;
pub mod profile;
mod retry;

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "async")]
pub mod nonblocking;

pub use retry::RetryConfig;
pub(crate) use retry::{RetryKind, TokenBucket};

use crate::endpoint::{Endpoint, EndpointError};
use crate::{AuthScheme, ConstraintViolations, Operation, RequestError};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// AWS credentials. `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from their parts; `session_token` for temporary ones.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// From `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (if set) `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Self, CredentialsError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let id = var("AWS_ACCESS_KEY_ID")
            .ok_or_else(|| CredentialsError::new("AWS_ACCESS_KEY_ID is not set"))?;
        let secret = var("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| CredentialsError::new("AWS_SECRET_ACCESS_KEY is not set"))?;
        Ok(Credentials::new(id, secret, var("AWS_SESSION_TOKEN")))
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .finish()
    }
}

/// Why there are no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError(String);

impl CredentialsError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError(message.into())
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.0)
    }
}

impl std::error::Error for CredentialsError {}

/// The future a credentials provider returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Where credentials come from. Asked once per call (not per attempt). The blocking client
/// waits for the future on its own thread, so a provider that needs an async runtime (one that
/// calls a metadata service over tokio, say) belongs with the async client.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign with now.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// A value that `Debug` never prints.
#[derive(Clone, PartialEq, Eq)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::REDACTED)
    }
}

/// Where a bearer token (`@httpBearerAuth`) comes from. Asked once per call.
pub trait ProvideToken: Send + Sync + fmt::Debug {
    /// The token to send now.
    fn provide_token(&self) -> Result<String, CredentialsError>;
}

/// A fixed bearer token. `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The token.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Token").field(&crate::REDACTED).finish()
    }
}

impl ProvideToken for Token {
    fn provide_token(&self) -> Result<String, CredentialsError> {
        Ok(self.0.clone())
    }
}

/// Credentials that expire (an assumed role's, say), kept until shortly before they do: a
/// provider asks [`fresh`](Self::fresh) first and fetches new ones only when it has none.
#[derive(Debug, Default)]
pub struct CredentialsCache(std::sync::Mutex<Option<(Credentials, i64)>>);

impl CredentialsCache {
    /// How long before their expiry credentials are fetched again: 5 minutes, as the AWS SDKs.
    pub const REFRESH_BEFORE: i64 = 300;

    /// The cached credentials, unless they expire within [`REFRESH_BEFORE`](Self::REFRESH_BEFORE)
    /// seconds.
    pub fn fresh(&self) -> Option<Credentials> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let guard = self.0.lock().ok()?;
        let (credentials, expires) = guard.as_ref()?;
        (now + Self::REFRESH_BEFORE < *expires).then(|| credentials.clone())
    }

    /// Keeps `credentials`, which expire at `expires` (seconds since the epoch).
    pub fn store(&self, credentials: Credentials, expires: i64) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((credentials, expires));
        }
    }
}

/// The standard environment variables, read at each call.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentVariables;

impl ProvideCredentials for EnvironmentVariables {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Credentials::from_env()))
    }
}

/// Any `aws-credential-types` provider (such as `aws-config`'s default chain), as a
/// [`ProvideCredentials`]: `Config::builder().credentials(AwsCredentials(provider))`.
#[cfg(feature = "aws-credential-types")]
#[derive(Debug, Clone)]
pub struct AwsCredentials<P>(pub P);

#[cfg(feature = "aws-credential-types")]
impl<P: aws_credential_types::provider::ProvideCredentials> ProvideCredentials
    for AwsCredentials<P>
{
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.0.provide_credentials().await {
                Ok(c) => Ok(Credentials::new(
                    c.access_key_id(),
                    c.secret_access_key(),
                    c.session_token().map(str::to_owned),
                )),
                Err(e) => {
                    let mut message = e.to_string();
                    if let Some(source) = std::error::Error::source(&e) {
                        message.push_str(": ");
                        message.push_str(&source.to_string());
                    }
                    Err(CredentialsError::new(message))
                }
            }
        })
    }
}

/// Runs `future` to completion on this thread (for the blocking client).
#[cfg(feature = "blocking")]
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// Timeouts. The defaults: 3.1 s to connect, 30 s per attempt, no bound on the whole call
/// beyond what attempts and backoff add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Connecting (DNS, TCP, TLS).
    pub connect: Duration,
    /// One attempt, from sending to the end of the response body.
    pub attempt: Duration,
    /// The whole call, every attempt and backoff included.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Duration::from_millis(3100),
            attempt: Duration::from_secs(30),
            operation: None,
        }
    }
}

/// A value for one of a service's `clientContextParams` (endpoint settings of its own, such as
/// S3's `ForcePathStyle`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientParam {
    /// A boolean setting.
    Bool(bool),
    /// A string setting.
    Str(String),
}

impl From<bool> for ClientParam {
    fn from(v: bool) -> Self {
        ClientParam::Bool(v)
    }
}

impl From<&str> for ClientParam {
    fn from(v: &str) -> Self {
        ClientParam::Str(v.to_owned())
    }
}

impl From<String> for ClientParam {
    fn from(v: String) -> Self {
        ClientParam::Str(v)
    }
}

/// Client configuration: where to send requests, who signs them, how to retry.
#[derive(Clone)]
pub struct Config {
    client_params: std::collections::BTreeMap<String, ClientParam>,
    region: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint_url: Option<String>,
    credentials: Arc<dyn ProvideCredentials>,
    /// Whether the caller chose the credentials (else the client may put its default chain in).
    credentials_chosen: bool,
    bearer_token: Option<Arc<dyn ProvideToken>>,
    api_key: Option<Secret>,
    basic_auth: Option<(String, Secret)>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    request_checksums: crate::checksum::RequestChecksumCalculation,
    response_checksums: crate::checksum::ResponseChecksumValidation,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint_url", &self.endpoint_url)
            .field("client_params", &self.client_params)
            .field("credentials", &self.credentials)
            .field("bearer_token", &self.bearer_token)
            .field("api_key", &self.api_key)
            .field("basic_auth", &self.basic_auth)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("request_checksums", &self.request_checksums)
            .field("response_checksums", &self.response_checksums)
            .finish()
    }
}

impl Config {
    /// A builder; everything but the region has a default (credentials from the environment).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region from `AWS_REGION` (or `AWS_DEFAULT_REGION`, else the selected profile's
    /// `region` in the shared config file), and checksum behaviour from `AWS_REQUEST_CHECKSUM_CALCULATION` and
    /// `AWS_RESPONSE_CHECKSUM_VALIDATION` (`when_supported`, the default, or `when_required`).
    pub fn from_env() -> Config {
        let region = profile::region(&profile::process_env);
        let when_required = |name: &str| {
            std::env::var(name).is_ok_and(|v| v.trim().eq_ignore_ascii_case("when_required"))
        };
        let mut builder = ConfigBuilder {
            region,
            ..ConfigBuilder::default()
        };
        if when_required("AWS_REQUEST_CHECKSUM_CALCULATION") {
            builder.request_checksums = crate::checksum::RequestChecksumCalculation::WhenRequired;
        }
        if when_required("AWS_RESPONSE_CHECKSUM_VALIDATION") {
            builder.response_checksums = crate::checksum::ResponseChecksumValidation::WhenRequired;
        }
        builder.build()
    }

    /// This configuration with `provider` as its credentials, unless the caller chose some: how
    /// a client puts in its default chain.
    pub fn with_default_credentials(
        mut self,
        provider: impl ProvideCredentials + 'static,
    ) -> Config {
        if !self.credentials_chosen {
            self.credentials = Arc::new(provider);
        }
        self
    }

    /// When requests carry a flexible checksum.
    pub fn request_checksums(&self) -> crate::checksum::RequestChecksumCalculation {
        self.request_checksums
    }

    /// When responses' checksums are validated.
    pub fn response_checksums(&self) -> crate::checksum::ResponseChecksumValidation {
        self.response_checksums
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Whether FIPS endpoints are asked for.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are asked for.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The endpoint override.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// A boolean `clientContextParams` setting, if set.
    pub fn client_param_bool(&self, name: &str) -> Option<bool> {
        match self.client_params.get(name) {
            Some(ClientParam::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A string `clientContextParams` setting, if set.
    pub fn client_param_str(&self, name: &str) -> Option<&str> {
        match self.client_params.get(name) {
            Some(ClientParam::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }
}

/// Builds a [`Config`].
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    client_params: std::collections::BTreeMap<String, ClientParam>,
    region: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint_url: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    bearer_token: Option<Arc<dyn ProvideToken>>,
    api_key: Option<Secret>,
    basic_auth: Option<(String, Secret)>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    request_checksums: crate::checksum::RequestChecksumCalculation,
    response_checksums: crate::checksum::ResponseChecksumValidation,
}

impl ConfigBuilder {
    /// When requests carry a flexible checksum (`httpChecksum`): `WhenSupported` (the default,
    /// as in the AWS SDKs) adds CRC32 wherever an operation supports one; `WhenRequired` only
    /// where it must, for S3-compatible stores that reject `x-amz-checksum-*` headers.
    pub fn request_checksums(mut self, when: crate::checksum::RequestChecksumCalculation) -> Self {
        self.request_checksums = when;
        self
    }

    /// When response checksums are validated: `WhenSupported` (the default) asks for them and
    /// validates them wherever an operation can; `WhenRequired` only where the call enables it.
    pub fn response_checksums(mut self, when: crate::checksum::ResponseChecksumValidation) -> Self {
        self.response_checksums = when;
        self
    }

    /// The region, such as `us-west-2`: the endpoint comes from it, and signatures are scoped to it.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Ask for a FIPS endpoint.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = on;
        self
    }

    /// Ask for a dual-stack (IPv4 and IPv6) endpoint.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = on;
        self
    }

    /// Send every request to this URL (a local test server, a proxy, a VPC endpoint).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sets one of the service's `clientContextParams` (its own endpoint settings), by its name
    /// in the model; the generated client's docs list them.
    pub fn client_param(mut self, name: impl Into<String>, value: impl Into<ClientParam>) -> Self {
        self.client_params.insert(name.into(), value.into());
        self
    }

    /// Where credentials come from (default: the generated clients' `Client::new` uses the
    /// default chain, [`chain::DefaultChain`]; a client over another transport, the standard
    /// environment variables).
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The bearer token for `@httpBearerAuth` operations: a [`Token`], or any
    /// [`ProvideToken`], asked once per call.
    pub fn bearer_token(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.bearer_token = Some(Arc::new(provider));
        self
    }

    /// The key for `@httpApiKeyAuth` operations, sent where the model says (a header, with its
    /// scheme if any, or a query parameter).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    /// The user and password for `@httpBasicAuth` operations.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some((user.into(), Secret(password.into())));
        self
    }

    /// How many attempts a call may make (default 3; 1 turns retries off).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// The retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The timeout of one attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// The timeout of a whole call, retries included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = Some(timeout);
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        Config {
            client_params: self.client_params,
            region: self.region,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            endpoint_url: self.endpoint_url,
            credentials_chosen: self.credentials.is_some(),
            bearer_token: self.bearer_token,
            api_key: self.api_key,
            basic_auth: self.basic_auth,
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(EnvironmentVariables)),
            retry: self.retry,
            timeouts: self.timeouts,
            request_checksums: self.request_checksums,
            response_checksums: self.response_checksums,
        }
    }
}

/// What a generated crate tells the client about its service.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// The SigV4 signing name (`aws.auth#sigv4`); `None` for a service without SigV4 auth.
    pub signing_name: Option<&'static str>,
    /// The service's auth schemes, in the order to try them (its `@auth`, else its auth traits
    /// by shape id); none: requests go without auth.
    pub auth: &'static [AuthScheme],
    /// How the service wants requests signed (S3 differs from the rest).
    pub signing: crate::sigv4::SigningOptions,
    /// The endpoint for a configuration (the model's rule set, or the configured URL).
    pub resolve_endpoint: fn(&Config) -> Result<Endpoint, EndpointError>,
}

/// A successful call: the output, how many attempts it took, and the request id.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent<O> {
    /// The operation's output.
    pub output: O,
    /// Attempts made (1 when the first one succeeded).
    pub attempts: u32,
    /// The service's request id, if it sent one.
    pub request_id: Option<String>,
    /// The algorithm of the response checksum that was validated (`httpChecksum`), if one
    /// was.
    pub checksum: Option<&'static str>,
}

/// Why a request was not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConstructionError {
    /// The input breaks the model's constraints.
    InvalidInput(ConstraintViolations),
    /// The request could not be built from the input and endpoint.
    Request(RequestError),
    /// No endpoint: the configuration is not one the service's rules support.
    Endpoint(EndpointError),
    /// No credentials.
    Credentials(CredentialsError),
    /// No region to sign for.
    NoRegion,
    /// Signing failed.
    Signing(String),
    /// Endpoint discovery failed and no endpoint was cached: why.
    EndpointDiscovery(String),
    /// The request's checksum could not be computed.
    Checksum(crate::checksum::UnsupportedAlgorithm),
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstructionError::InvalidInput(v) => write!(f, "invalid input: {v}"),
            ConstructionError::Request(e) => write!(f, "{e}"),
            ConstructionError::Endpoint(e) => write!(f, "no endpoint for this configuration: {e}"),
            ConstructionError::Credentials(e) => write!(f, "{e}"),
            ConstructionError::NoRegion => f.write_str("no region is configured, and requests are signed for one (set `region(..)` or AWS_REGION)"),
            ConstructionError::Signing(e) => write!(f, "could not sign the request: {e}"),
            ConstructionError::EndpointDiscovery(e) => {
                write!(f, "endpoint discovery failed, and no endpoint is cached: {e}")
            }
            ConstructionError::Checksum(e) => write!(f, "{e}"),
        }
    }
}

/// Which timeout ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// Connecting.
    Connect,
    /// One attempt.
    Attempt,
    /// The whole call.
    Operation,
}

/// How sending failed, as a transport reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// A timeout.
    Timeout(TimeoutKind),
    /// No connection: refused, DNS failure, unreachable.
    Connect,
    /// The connection broke while sending or receiving.
    Io,
    /// TLS failed (certificate, handshake).
    Tls,
    /// Anything else (an invalid request for this transport, say).
    Other,
}

/// A transport's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind.
    pub kind: TransportErrorKind,
    /// What the transport said.
    pub message: String,
}

impl TransportError {
    /// An error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Timeout(TimeoutKind::Connect) => "connect timeout",
            TransportErrorKind::Timeout(_) => "timeout",
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Io => "connection error",
            TransportErrorKind::Tls => "TLS error",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for TransportError {}

/// What went wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkErrorKind<E> {
    /// The request was never sent: invalid input, configuration or credentials.
    Construction(ConstructionError),
    /// No answer in time.
    Timeout {
        /// Which timeout.
        kind: TimeoutKind,
        /// Its length.
        after: Duration,
    },
    /// The request could not be sent, or its answer not received: connection refused, DNS,
    /// TLS, a broken connection.
    Dispatch(TransportError),
    /// The service answered with an error: a modelled one, or `Unhandled`.
    Service(E),
    /// The service answered, but the payload does not match the response's checksum.
    Checksum(crate::checksum::ChecksumMismatch),
}

/// A failed call: what went wrong, after how many attempts, and the request id if the service
/// answered.
#[derive(Debug)]
pub struct SdkError<E> {
    kind: SdkErrorKind<E>,
    attempts: u32,
    request_id: Option<String>,
}

impl<E> SdkError<E> {
    /// An error from its parts.
    pub fn new(kind: SdkErrorKind<E>, attempts: u32, request_id: Option<String>) -> Self {
        SdkError {
            kind,
            attempts,
            request_id,
        }
    }

    /// The input did not validate (no attempt was made).
    pub fn invalid_input(violations: ConstraintViolations) -> Self {
        SdkError::new(
            SdkErrorKind::Construction(ConstructionError::InvalidInput(violations)),
            0,
            None,
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> &SdkErrorKind<E> {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> SdkErrorKind<E> {
        self.kind
    }

    /// The service's error, if it answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match &self.kind {
            SdkErrorKind::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error, by value.
    pub fn into_service_error(self) -> Option<E> {
        match self.kind {
            SdkErrorKind::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Whether a timeout ended the call.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, SdkErrorKind::Timeout { .. })
    }

    /// Attempts made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The request id of the last answer, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SdkErrorKind::Construction(e) => return write!(f, "the request was not sent: {e}"),
            SdkErrorKind::Timeout { kind, after } => {
                let which = match kind {
                    TimeoutKind::Connect => "connect",
                    TimeoutKind::Attempt => "attempt",
                    TimeoutKind::Operation => "operation",
                };
                write!(f, "no answer: the {which} timeout of {after:?} ran out")?
            }
            SdkErrorKind::Dispatch(e) => write!(f, "the request got no answer: {e}")?,
            SdkErrorKind::Service(e) => write!(f, "the service answered with an error: {e}")?,
            SdkErrorKind::Checksum(e) => write!(f, "{e}")?,
        }
        let s = if self.attempts == 1 { "" } else { "s" };
        write!(f, " (after {} attempt{s}", self.attempts)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            SdkErrorKind::Service(e) => Some(e),
            SdkErrorKind::Dispatch(e) => Some(e),
            SdkErrorKind::Construction(ConstructionError::InvalidInput(v)) => Some(v),
            SdkErrorKind::Construction(ConstructionError::Endpoint(e)) => Some(e),
            _ => None,
        }
    }
}

/// What a call resolves once: where to send, and how to sign.
pub(crate) struct Prepared {
    endpoint: Endpoint,
    signer: Option<Signer>,
    /// A bearer token, API key or basic credentials to put on each request.
    auth: Option<AuthValue>,
}

/// A non-SigV4 scheme's value, ready for the request: a header, or a query parameter.
struct AuthValue {
    name: &'static str,
    in_query: bool,
    value: String,
}

/// The header or query parameter `scheme` puts on requests, from the configuration.
fn auth_value(config: &Config, scheme: AuthScheme) -> Result<AuthValue, ConstructionError> {
    let missing = || {
        ConstructionError::Credentials(CredentialsError::new(
            "no identity for the chosen auth scheme",
        ))
    };
    Ok(match scheme {
        AuthScheme::Bearer => {
            let token = config
                .bearer_token
                .as_ref()
                .ok_or_else(missing)?
                .provide_token()
                .map_err(ConstructionError::Credentials)?;
            AuthValue {
                name: "authorization",
                in_query: false,
                value: format!("Bearer {token}"),
            }
        }
        AuthScheme::ApiKey {
            name,
            in_query,
            scheme,
        } => {
            let key = config.api_key.as_ref().ok_or_else(missing)?;
            AuthValue {
                name,
                in_query,
                value: match scheme {
                    Some(s) if !in_query => format!("{s} {}", key.0),
                    _ => key.0.clone(),
                },
            }
        }
        AuthScheme::Basic => {
            let (user, password) = config.basic_auth.as_ref().ok_or_else(missing)?;
            AuthValue {
                name: "authorization",
                in_query: false,
                value: format!(
                    "Basic {}",
                    crate::blob::encode(format!("{user}:{}", password.0).as_bytes())
                ),
            }
        }
        AuthScheme::SigV4 => return Err(missing()),
    })
}

struct Signer {
    credentials: Credentials,
    region: String,
    signing_name: String,
    options: crate::sigv4::SigningOptions,
}

/// How a call finds its endpoint: the service's resolver, or one that also reads the input.
pub type ResolveEndpoint<'a> = &'a (dyn Fn(&Config) -> Result<Endpoint, EndpointError> + Sync);

/// The cache key of a discovered endpoint: the access key id the call signs with (none for an
/// unsigned service), then the operation and its identifiers.
pub(crate) fn discovery_key(credentials: Option<&Credentials>, key: &str) -> String {
    format!(
        "{}\n{key}",
        credentials.map(Credentials::access_key_id).unwrap_or("")
    )
}

/// How an operation is authenticated: its constants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpAuth {
    unsigned: bool,
    optional: bool,
    schemes: Option<&'static [AuthScheme]>,
}

impl OpAuth {
    pub(crate) fn of<Op: Operation>() -> OpAuth {
        OpAuth {
            unsigned: Op::UNSIGNED,
            optional: Op::OPTIONAL_AUTH,
            schemes: Op::AUTH,
        }
    }

    /// Presigning: SigV4, whatever the operation's other schemes.
    pub(crate) const PRESIGN: OpAuth = OpAuth {
        unsigned: false,
        optional: false,
        schemes: Some(&[AuthScheme::SigV4]),
    };
}

/// The scheme a call is authenticated with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen {
    scheme: Option<AuthScheme>,
    optional: bool,
}

/// The first of the operation's schemes (else the service's, in their order) that the client
/// has an identity for: SigV4 always (credentials come from the provider), the others when the
/// configuration has their token, key or user. None is an error unless the call may go without
/// auth (`@optionalAuth`, `@auth([])`, or a service without auth schemes).
fn choose(config: &Config, service: &Service, auth: OpAuth) -> Result<Chosen, ConstructionError> {
    let none = Chosen {
        scheme: None,
        optional: auth.optional,
    };
    if auth.unsigned {
        return Ok(none);
    }
    let schemes = auth.schemes.unwrap_or(service.auth);
    for scheme in schemes {
        let usable = match scheme {
            AuthScheme::SigV4 => service.signing_name.is_some(),
            AuthScheme::Bearer => config.bearer_token.is_some(),
            AuthScheme::ApiKey { .. } => config.api_key.is_some(),
            AuthScheme::Basic => config.basic_auth.is_some(),
        };
        if usable {
            return Ok(Chosen {
                scheme: Some(*scheme),
                optional: auth.optional,
            });
        }
    }
    if schemes.is_empty() || auth.optional {
        return Ok(none);
    }
    let wanted: Vec<&str> = schemes
        .iter()
        .map(|s| match s {
            AuthScheme::SigV4 => "SigV4",
            AuthScheme::Bearer => "a bearer token (`ConfigBuilder::bearer_token`)",
            AuthScheme::ApiKey { .. } => "an API key (`ConfigBuilder::api_key`)",
            AuthScheme::Basic => "a user and password (`ConfigBuilder::basic_auth`)",
        })
        .collect();
    Err(ConstructionError::Credentials(CredentialsError::new(
        format!(
            "the operation needs {}, and the configuration has none",
            wanted.join(" or ")
        ),
    )))
}

/// The endpoint, the credentials future if the call is signed with SigV4, and the scheme
/// chosen.
pub(crate) fn resolve<'a>(
    config: &'a Config,
    service: &Service,
    endpoint: ResolveEndpoint<'_>,
    auth: OpAuth,
) -> Result<(Endpoint, Option<CredentialsFuture<'a>>, Chosen), ConstructionError> {
    let endpoint = endpoint(config).map_err(ConstructionError::Endpoint)?;
    let chosen = choose(config, service, auth)?;
    let credentials = matches!(chosen.scheme, Some(AuthScheme::SigV4))
        .then(|| config.credentials.provide_credentials());
    Ok((endpoint, credentials, chosen))
}

/// What a call signs with, once the credentials are known.
pub(crate) fn prepare(
    config: &Config,
    service: &Service,
    endpoint: Endpoint,
    credentials: Option<Result<Credentials, CredentialsError>>,
    chosen: Chosen,
) -> Result<Prepared, ConstructionError> {
    let header = match chosen.scheme {
        Some(AuthScheme::SigV4) | None => None,
        Some(scheme) => Some(auth_value(config, scheme)?),
    };
    let unsigned = Prepared {
        endpoint,
        signer: None,
        auth: header,
    };
    let (Some(default_name), Some(credentials)) = (service.signing_name, credentials) else {
        return Ok(unsigned);
    };
    // `@optionalAuth`: without credentials the call goes unsigned.
    let credentials = match credentials {
        Ok(c) => Ok(c),
        Err(_) if chosen.optional => return Ok(unsigned),
        Err(e) => Err(e),
    };
    let endpoint = unsigned.endpoint;
    // The endpoint may name the auth schemes it takes (`authSchemes`, in order of preference):
    // swage signs with SigV4, so one of them must be `sigv4`.
    let schemes = endpoint.auth_schemes();
    if !schemes.is_empty() && !schemes.contains(&"sigv4") {
        return Err(ConstructionError::Signing(format!(
            "the endpoint takes only the {} auth scheme(s), which swage does not support yet{}",
            schemes.join(", "),
            if schemes.contains(&"sigv4-s3express") {
                " (S3 Express session authentication; `DisableS3ExpressSessionAuth` signs such calls with SigV4)"
            } else {
                ""
            }
        )));
    }
    let credentials = credentials.map_err(ConstructionError::Credentials)?;
    let region = endpoint
        .signing_region()
        .map(str::to_owned)
        .or_else(|| config.region.clone())
        .ok_or(ConstructionError::NoRegion)?;
    let signing_name = endpoint.signing_name().unwrap_or(default_name).to_owned();
    let mut options = service.signing;
    if let Some(scheme) = endpoint.auth_scheme("sigv4") {
        let flag = |name: &str| scheme.get(name).and_then(|v| v.as_bool()) == Some(true);
        if flag("disableDoubleEncoding") {
            options.double_encode = false;
        }
        if flag("disableNormalizePath") {
            options.normalize_path = false;
        }
    }
    Ok(Prepared {
        endpoint,
        signer: Some(Signer {
            credentials,
            region,
            signing_name,
            options,
        }),
        auth: None,
    })
}

/// Adds the headers the endpoint asks every request to carry.
fn add_endpoint_headers(
    request: &mut http::Request<Vec<u8>>,
    endpoint: &Endpoint,
) -> Result<(), ConstructionError> {
    for (name, values) in &endpoint.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ConstructionError::Signing(format!(
                "the endpoint header `{name}` is not a valid header name"
            ))
        })?;
        for v in values {
            let v = http::HeaderValue::from_str(v).map_err(|_| {
                ConstructionError::Signing(format!(
                    "the endpoint header `{name}` has an invalid value"
                ))
            })?;
            request.headers_mut().append(name.clone(), v);
        }
    }
    Ok(())
}

/// Puts a bearer token, API key or basic credentials on `request`.
fn apply_auth(
    request: &mut http::Request<Vec<u8>>,
    auth: &AuthValue,
) -> Result<(), ConstructionError> {
    let invalid =
        || ConstructionError::Signing(format!("the {} value is not valid in a request", auth.name));
    if auth.in_query {
        let uri = request.uri().to_string();
        let separator = if uri.contains('?') { '&' } else { '?' };
        let mut pair = String::new();
        crate::request::percent_encode_into(&mut pair, auth.name, false);
        pair.push('=');
        crate::request::percent_encode_into(&mut pair, &auth.value, false);
        *request.uri_mut() = format!("{uri}{separator}{pair}")
            .parse()
            .map_err(|_| invalid())?;
    } else {
        let mut value = http::HeaderValue::from_str(&auth.value).map_err(|_| invalid())?;
        value.set_sensitive(true);
        let name = http::HeaderName::from_bytes(auth.name.as_bytes()).map_err(|_| invalid())?;
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

/// Now, as SigV4 writes it.
fn now_amz_date() -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    crate::sigv4::amz_date(now)
}

impl Signer {
    /// What SigV4 needs to sign at `amz_date`.
    fn params<'a>(&'a self, amz_date: &'a str) -> crate::sigv4::SigningParams<'a> {
        let c = &self.credentials;
        crate::sigv4::SigningParams {
            access_key_id: c.access_key_id(),
            secret_access_key: c.secret_access_key(),
            session_token: c.session_token(),
            region: &self.region,
            service: &self.signing_name,
            amz_date,
            options: self.options,
        }
    }
}

/// The request for one attempt: built from the input, with the endpoint's headers, signed now.
pub(crate) fn attempt_request<Op: Operation>(
    prepared: &Prepared,
    config: &Config,
    input: &Op::Input,
    validate: &mut bool,
) -> Result<http::Request<Vec<u8>>, ConstructionError> {
    let mut request =
        Op::build_request(input, &prepared.endpoint.url).map_err(ConstructionError::Request)?;
    // Flexible checksums go on before signing, so that they are signed.
    if let Some(spec) = Op::CHECKSUM {
        *validate = crate::checksum::apply_request(
            &mut request,
            spec,
            config.request_checksums,
            config.response_checksums,
        )
        .map_err(ConstructionError::Checksum)?;
    }
    add_endpoint_headers(&mut request, &prepared.endpoint)?;
    if let Some(auth) = &prepared.auth {
        apply_auth(&mut request, auth)?;
    }
    let Some(signer) = &prepared.signer else {
        return Ok(request);
    };
    let date = now_amz_date();
    let params = signer.params(&date);
    crate::sigv4::sign_request(&mut request, &params).map_err(ConstructionError::Signing)?;
    Ok(request)
}

/// A presigned request: a URL that anyone can use until it expires, without credentials,
/// with the method and the headers that were signed (which must be sent as they are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: http::Method,
    url: String,
    headers: Vec<(String, String)>,
}

impl PresignedRequest {
    /// The method to send with (`GET`, `PUT`, ...).
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The URL, signature included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers that were signed and must be sent with the request (besides `host`).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// Presigns `Op` with `input` for `expires_in`.
pub(crate) fn presign<Op: Operation>(
    prepared: &Prepared,
    input: &Op::Input,
    expires_in: Duration,
) -> Result<PresignedRequest, ConstructionError> {
    let Some(signer) = &prepared.signer else {
        return Err(ConstructionError::Signing(
            "the service does not sign requests, so there is nothing to presign".to_owned(),
        ));
    };
    let mut request =
        Op::build_request(input, &prepared.endpoint.url).map_err(ConstructionError::Request)?;
    add_endpoint_headers(&mut request, &prepared.endpoint)?;
    let date = now_amz_date();
    let params = signer.params(&date);
    let (url, headers) = crate::sigv4::presign(&request, &params, expires_in.as_secs())
        .map_err(ConstructionError::Signing)?;
    Ok(PresignedRequest {
        method: request.method().clone(),
        url: url.to_string(),
        headers,
    })
}

/// An answer read: the output or the service error, the latter's retry class, the request id.
pub(crate) type Answer<O, E> = (Result<O, E>, Option<RetryKind>, Option<String>);

/// Parses an answer into the output or the service error, with the retry class of the latter.
pub(crate) fn read_answer<Op: Operation>(
    response: &http::Response<Vec<u8>>,
) -> Answer<Op::Output, Op::Error> {
    let status = response.status().as_u16();
    let request_id = crate::response::request_id(response.headers());
    let parsed = Op::parse_response(status, response.headers(), response.body());
    let retry = match &parsed {
        Ok(_) => None,
        Err(e) => retry::classify(status, e),
    };
    (parsed, retry, request_id)
}

/// The time one attempt may take: the attempt timeout, or what is left of the operation's, and
/// whether the latter is the bound.
pub(crate) fn attempt_budget(
    attempt: Duration,
    operation: Option<Duration>,
    started: Instant,
) -> (Duration, bool) {
    match operation {
        Some(total) => {
            let left = total.saturating_sub(started.elapsed());
            if left < attempt {
                (left.max(Duration::from_millis(1)), true)
            } else {
                (attempt, false)
            }
        }
        None => (attempt, false),
    }
}

/// A transport failure as the call's error, and whether it is retried (timeouts and broken or
/// refused connections are; TLS and other failures are not).
pub(crate) fn failure_of<E>(
    e: TransportError,
    attempt: u32,
    connect: Duration,
    budget: Duration,
    bounded_by_operation: bool,
) -> (SdkError<E>, Option<RetryKind>) {
    match e.kind {
        TransportErrorKind::Timeout(kind) => {
            let (kind, after) = match kind {
                TimeoutKind::Connect => (TimeoutKind::Connect, connect),
                _ if bounded_by_operation => (TimeoutKind::Operation, budget),
                other => (other, budget),
            };
            let retry = (kind != TimeoutKind::Operation).then_some(RetryKind::Timeout);
            (
                SdkError::new(SdkErrorKind::Timeout { kind, after }, attempt, None),
                retry,
            )
        }
        TransportErrorKind::Connect | TransportErrorKind::Io => (
            SdkError::new(SdkErrorKind::Dispatch(e), attempt, None),
            Some(RetryKind::Transient),
        ),
        TransportErrorKind::Tls | TransportErrorKind::Other => (
            SdkError::new(SdkErrorKind::Dispatch(e), attempt, None),
            None,
        ),
    }
}

#[cfg(all(test, feature = "blocking"))]
mod tests;

/// The attempts of one call: builds each attempt's request, reads its outcome, and decides
/// whether and when to try again. The blocking and async clients drive it the same way; only
/// how they send and how they wait differ.
pub(crate) struct Attempts<'a> {
    config: &'a Config,
    bucket: &'a TokenBucket,
    prepared: Prepared,
    started: Instant,
    attempt: u32,
    spent: u32,
    budget: (Duration, bool),
    /// Whether the response's checksum is validated (`httpChecksum`).
    validate: bool,
}

/// One attempt to send.
pub(crate) struct NextAttempt {
    pub(crate) request: http::Request<Vec<u8>>,
    pub(crate) connect: Duration,
    pub(crate) timeout: Duration,
}

/// What to do after an attempt.
pub(crate) enum Step<O, E> {
    /// The call is over.
    Done(Result<Sent<O>, SdkError<E>>),
    /// Wait this long, then try again.
    Retry(Duration),
}

impl<'a> Attempts<'a> {
    pub(crate) fn new(config: &'a Config, bucket: &'a TokenBucket, prepared: Prepared) -> Self {
        Attempts {
            config,
            bucket,
            prepared,
            started: Instant::now(),
            attempt: 0,
            spent: 0,
            budget: (Duration::ZERO, false),
            validate: false,
        }
    }

    /// The next attempt's request (signed now), with its connect and total timeouts.
    pub(crate) fn next<Op: Operation>(
        &mut self,
        input: &Op::Input,
    ) -> Result<NextAttempt, SdkError<Op::Error>> {
        self.attempt += 1;
        let request = attempt_request::<Op>(&self.prepared, self.config, input, &mut self.validate)
            .map_err(|e| SdkError::new(SdkErrorKind::Construction(e), self.attempt - 1, None))?;
        let timeouts = &self.config.timeouts;
        self.budget = attempt_budget(timeouts.attempt, timeouts.operation, self.started);
        Ok(NextAttempt {
            request,
            connect: timeouts.connect,
            timeout: self.budget.0,
        })
    }

    /// Reads what the attempt got, and decides.
    pub(crate) fn outcome<Op: Operation>(
        &mut self,
        sent: Result<http::Response<Vec<u8>>, TransportError>,
    ) -> Step<Op::Output, Op::Error> {
        let (failure, kind) = match sent {
            Ok(response) => {
                let (result, retry_kind, request_id) = read_answer::<Op>(&response);
                match result {
                    Ok(output) => {
                        let checksum = match Op::CHECKSUM.filter(|_| self.validate) {
                            None => None,
                            Some(spec) => match crate::checksum::validate_response(
                                spec,
                                response.headers(),
                                response.body(),
                            ) {
                                Ok(algorithm) => algorithm,
                                Err(mismatch) => {
                                    return Step::Done(Err(SdkError::new(
                                        SdkErrorKind::Checksum(mismatch),
                                        self.attempt,
                                        request_id,
                                    )))
                                }
                            },
                        };
                        self.bucket.success(self.spent);
                        return Step::Done(Ok(Sent {
                            output,
                            attempts: self.attempt,
                            request_id,
                            checksum,
                        }));
                    }
                    Err(e) => (
                        SdkError::new(SdkErrorKind::Service(e), self.attempt, request_id),
                        retry_kind,
                    ),
                }
            }
            Err(e) => failure_of(
                e,
                self.attempt,
                self.config.timeouts.connect,
                self.budget.0,
                self.budget.1,
            ),
        };
        let retry = &self.config.retry;
        let Some(kind) = kind.filter(|_| self.attempt < retry.max_attempts) else {
            return Step::Done(Err(failure));
        };
        let Some(cost) = self.bucket.acquire(kind) else {
            return Step::Done(Err(failure));
        };
        self.spent = cost;
        let wait = retry.backoff(self.attempt);
        if let Some(total) = self.config.timeouts.operation {
            if self.started.elapsed() + wait >= total {
                return Step::Done(Err(failure));
            }
        }
        Step::Retry(wait)
    }
}
