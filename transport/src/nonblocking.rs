//! The async transport: hyper-util's pooled HTTP/1.1 client, rustls for TLS.

use std::time::Duration;
use swage_runtime::client::nonblocking::{AsyncTransport, TransportFuture};
use swage_runtime::client::{TimeoutKind, TransportError, TransportErrorKind};
use swage_runtime::http;

/// The `hyper` transport: hyper-util's pooled HTTP/1.1 client, rustls (with `ring` and the
/// `webpki` roots) for TLS.
#[derive(Debug, Clone)]
pub struct HyperTransport {
    client: Option<HyperClient>,
}

type HyperClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<bytes::Bytes>,
>;

impl HyperTransport {
    /// A transport with its own connection pool, connecting within `connect_timeout`.
    // ring's provider is deprecated from rustls 0.23.48 (no post-quantum key exchange); it
    // stays for build cost (see the blocking transport).
    #[allow(deprecated)]
    pub fn new(connect_timeout: Duration) -> Self {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.set_connect_timeout(Some(connect_timeout));
        http.enforce_http(false);
        // Without a TLS configuration (rustls refusing its own defaults, which doesn't happen)
        // every request fails with a TLS error rather than the constructor panicking.
        let client = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .ok()
            .map(|b| b.https_or_http().enable_http1().wrap_connector(http))
            .map(|https| {
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build(https)
            });
        HyperTransport { client }
    }
}

/// The most response body a call reads.
const MAX_BODY: usize = 256 << 20;

impl AsyncTransport for HyperTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _connect_timeout: Duration,
        timeout: Duration,
    ) -> TransportFuture<'_> {
        Box::pin(async move {
            use http_body_util::BodyExt;
            let Some(client) = &self.client else {
                return Err(TransportError::new(
                    TransportErrorKind::Tls,
                    "no TLS configuration",
                ));
            };
            let (parts, body) = request.into_parts();
            let request = http::Request::from_parts(
                parts,
                http_body_util::Full::new(bytes::Bytes::from(body)),
            );
            let exchange = async {
                let response = client.request(request).await.map_err(hyper_error)?;
                let (parts, body) = response.into_parts();
                let collected = http_body_util::Limited::new(body, MAX_BODY)
                    .collect()
                    .await
                    .map_err(|e| TransportError::new(TransportErrorKind::Io, chain(&*e)))?;
                Ok(http::Response::from_parts(
                    parts,
                    collected.to_bytes().to_vec(),
                ))
            };
            match tokio::time::timeout(timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(TransportError::new(
                    TransportErrorKind::Timeout(TimeoutKind::Attempt),
                    format!("no answer within {timeout:?}"),
                )),
            }
        })
    }
}

/// An error's message with its causes.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

fn hyper_error(e: hyper_util::client::legacy::Error) -> TransportError {
    let message = chain(&e);
    let mut timed_out = false;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            timed_out |= io.kind() == std::io::ErrorKind::TimedOut;
        }
        source = s.source();
    }
    let kind = if e.is_connect() {
        if timed_out || message.contains("timed out") {
            TransportErrorKind::Timeout(TimeoutKind::Connect)
        } else if message.contains("certificate")
            || message.contains("tls")
            || message.contains("TLS")
        {
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        }
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, message)
}
