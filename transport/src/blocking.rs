//! The blocking transport: HTTP/1.1 over `std::net` and rustls, with a small connection pool.
//!
//! swage's own, rather than `ureq`: what the clients need of HTTP is narrow (one request, the
//! whole answer, a deadline), and keeping it here means nothing but rustls stands between a
//! user's build and the generated crate (see the README's build-cost table).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use swage_runtime::client::blocking::Transport;
use swage_runtime::client::{TimeoutKind, TransportError, TransportErrorKind};
use swage_runtime::http;

/// The most response body a call reads (larger answers are an error, not an allocation).
const MAX_BODY: usize = 256 << 20;
/// The most a response head (status line and headers) may take.
const MAX_HEAD: usize = 64 << 10;
/// The most headers a response may have.
const MAX_HEADERS: usize = 256;
/// How long an idle connection is kept for reuse.
const IDLE: Duration = Duration::from_secs(30);
/// How many idle connections are kept.
const MAX_IDLE: usize = 8;

/// HTTP/1.1 over TCP, and TLS with rustls (the `ring` provider, TLS 1.2 and 1.3, the Mozilla
/// roots from `webpki-roots` unless others are given). Connections are kept alive and reused.
///
/// Proxies: [`with_proxy`](Self::with_proxy) sends everything through one; otherwise
/// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (or their lower-case forms) are honoured, except
/// for hosts in `NO_PROXY` and loopback addresses. HTTPS goes through a `CONNECT` tunnel; a
/// `user:password@` in the proxy URL becomes `Proxy-Authorization: Basic`.
#[derive(Clone)]
pub struct HttpTransport {
    tls: Result<Arc<rustls::ClientConfig>, String>,
    pool: Arc<Mutex<Vec<Idle>>>,
    proxies: Proxies,
}

/// An HTTP proxy: where it is, and its credentials as a header value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Proxy {
    host: String,
    port: u16,
    authorization: Option<String>,
}

impl Proxy {
    /// `http://[user:password@]host[:port][/]`; a bare `host:port` means `http://`.
    fn parse(url: &str) -> Result<Proxy, String> {
        let rest = url.trim();
        let rest = match rest.split_once("://") {
            Some(("http", r)) => r,
            Some((scheme, _)) => {
                return Err(format!(
                    "proxy scheme `{scheme}` is not supported (only http)"
                ))
            }
            None => rest,
        };
        let authority = rest.split('/').next().unwrap_or("");
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !p.contains(']') => (
                h,
                p.parse()
                    .map_err(|_| format!("proxy port `{p}` is not a number"))?,
            ),
            _ => (hostport, 80),
        };
        if host.is_empty() {
            return Err(format!("proxy URL `{url}` has no host"));
        }
        let authorization =
            userinfo.map(|u| format!("Basic {}", swage_runtime::blob::encode(u.as_bytes())));
        Ok(Proxy {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            authorization,
        })
    }
}

/// Which proxy, if any, each request goes through.
#[derive(Debug, Clone, Default)]
struct Proxies {
    /// Set with `with_proxy`: every request.
    explicit: Option<Proxy>,
    http: Option<Proxy>,
    https: Option<Proxy>,
    no_proxy: Vec<String>,
}

impl Proxies {
    fn from_env() -> Proxies {
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let all = var(&["ALL_PROXY", "all_proxy"]);
        // An unreadable proxy variable is ignored, as curl does, rather than failing every call.
        let http = var(&["HTTP_PROXY", "http_proxy"])
            .or(all.clone())
            .and_then(|u| Proxy::parse(&u).ok());
        let https = var(&["HTTPS_PROXY", "https_proxy"])
            .or(all)
            .and_then(|u| Proxy::parse(&u).ok());
        let no_proxy = var(&["NO_PROXY", "no_proxy"])
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        Proxies {
            explicit: None,
            http,
            https,
            no_proxy,
        }
    }

    fn for_key(&self, key: &Key) -> Option<&Proxy> {
        if let Some(p) = &self.explicit {
            return Some(p);
        }
        let host = key.host.to_ascii_lowercase();
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let excluded = self
            .no_proxy
            .iter()
            .any(|n| n == "*" || host == *n || host.ends_with(&format!(".{n}")));
        if loopback || excluded {
            return None;
        }
        if key.tls {
            self.https.as_ref()
        } else {
            self.http.as_ref()
        }
    }
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("tls", &self.tls.is_ok())
            .finish_non_exhaustive()
    }
}

struct Idle {
    key: Key,
    stream: Stream,
    since: Instant,
}

/// Where a connection goes: TLS or not, host, port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    tls: bool,
    host: String,
    port: u16,
}

impl HttpTransport {
    /// A transport trusting the Mozilla root certificates (`webpki-roots`).
    pub fn new() -> Self {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        HttpTransport::with_roots(roots)
    }

    /// A transport trusting exactly these certificates (DER), such as a company's own CA or a
    /// test server's. A certificate that can't be read is an error here, not at the first call.
    pub fn with_root_certificates(certificates: &[Vec<u8>]) -> Result<Self, TransportError> {
        let mut roots = rustls::RootCertStore::empty();
        for der in certificates {
            roots
                .add(rustls::pki_types::CertificateDer::from(der.clone()))
                .map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Tls,
                        format!("a root certificate can't be used: {e}"),
                    )
                })?;
        }
        Ok(HttpTransport::with_roots(roots))
    }

    // rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange (which
    // needs aws-lc-rs, a much longer C build); ring stays for build cost, as the README says.
    #[allow(deprecated)]
    fn with_roots(roots: rustls::RootCertStore) -> Self {
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        .map_err(|e| e.to_string());
        HttpTransport {
            tls,
            pool: Arc::new(Mutex::new(Vec::new())),
            proxies: Proxies::from_env(),
        }
    }

    /// This transport, sending every request through the HTTP proxy at `url`
    /// (`http://[user:password@]host:port`), whatever the environment says.
    pub fn with_proxy(mut self, url: &str) -> Result<Self, TransportError> {
        let proxy =
            Proxy::parse(url).map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        self.proxies.explicit = Some(proxy);
        Ok(self)
    }

    fn take_idle(&self, key: &Key) -> Option<Stream> {
        let mut pool = self.pool.lock().ok()?;
        pool.retain(|i| i.since.elapsed() < IDLE);
        let at = pool.iter().rposition(|i| &i.key == key)?;
        Some(pool.swap_remove(at).stream)
    }

    fn put_idle(&self, key: Key, stream: Stream) {
        if let Ok(mut pool) = self.pool.lock() {
            if pool.len() >= MAX_IDLE {
                pool.remove(0);
            }
            pool.push(Idle {
                key,
                stream,
                since: Instant::now(),
            });
        }
    }

    fn connect(
        &self,
        key: &Key,
        connect_timeout: Duration,
        deadline: Instant,
    ) -> Result<Stream, TransportError> {
        let proxy = self.proxies.for_key(key);
        let (host, port) = match proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (key.host.as_str(), key.port),
        };
        let tcp = tcp_connect(host, port, connect_timeout, deadline)?;
        if let (Some(p), true) = (proxy, key.tls) {
            tunnel(&tcp, p, key, deadline)?;
        }
        if !key.tls {
            return Ok(Stream::Plain(tcp));
        }
        let config = self.tls.as_ref().map_err(|e| {
            TransportError::new(
                TransportErrorKind::Tls,
                format!("no TLS configuration: {e}"),
            )
        })?;
        let name = rustls::pki_types::ServerName::try_from(key.host.clone()).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Tls,
                format!("`{}` is not a TLS server name: {e}", key.host),
            )
        })?;
        let connection = rustls::ClientConnection::new(config.clone(), name)
            .map_err(|e| TransportError::new(TransportErrorKind::Tls, e.to_string()))?;
        Ok(Stream::Tls(Box::new(rustls::StreamOwned::new(
            connection, tcp,
        ))))
    }

    /// One exchange on `stream`; the stream comes back when it can carry another request.
    fn exchange(
        &self,
        stream: Stream,
        head: &[u8],
        body: &[u8],
        head_only: bool,
        deadline: Instant,
    ) -> Result<(http::Response<Vec<u8>>, Option<Stream>), Failure> {
        let mut conn = Deadline { stream, deadline };
        if let Err(e) = conn
            .write_all(head)
            .and_then(|()| conn.write_all(body))
            .and_then(|()| conn.flush())
        {
            return Err((io_error(e, "sending the request"), false));
        }
        let mut reader = BufReader::new(conn);
        let (response, reusable) = read_response(&mut reader, head_only)?;
        let stream = reusable.then(|| reader.into_inner().stream);
        Ok((response, stream))
    }
}

impl Default for HttpTransport {
    fn default() -> Self {
        HttpTransport::new()
    }
}

impl Transport for HttpTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        connect_timeout: Duration,
        timeout: Duration,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let deadline = Instant::now() + timeout;
        let uri = request.uri();
        let tls = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            other => {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("unsupported URI scheme {other:?} in {uri}"),
                ))
            }
        };
        let host = uri.host().ok_or_else(|| {
            TransportError::new(TransportErrorKind::Other, format!("no host in {uri}"))
        })?;
        let key = Key {
            tls,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: uri.port_u16().unwrap_or(if tls { 443 } else { 80 }),
        };
        let head_only = request.method() == http::Method::HEAD;
        // Plain HTTP through a proxy goes as an absolute-form request to the proxy.
        let via = self.proxies.for_key(&key).filter(|_| !key.tls);
        let head = request_head(&request, &key, via);
        let body = request.body();
        if let Some(stream) = self.take_idle(&key) {
            match self.exchange(stream, &head, body, head_only, deadline) {
                Ok((response, stream)) => {
                    if let Some(s) = stream {
                        self.put_idle(key, s);
                    }
                    return Ok(response);
                }
                // The server closed the idle connection: go again on a new one.
                Err((_, false)) => {}
                Err((e, true)) => return Err(e),
            }
        }
        let stream = self.connect(&key, connect_timeout, deadline)?;
        let (response, stream) = self
            .exchange(stream, &head, body, head_only, deadline)
            .map_err(|(e, _)| e)?;
        if let Some(s) = stream {
            self.put_idle(key, s);
        }
        Ok(response)
    }
}

/// A TCP connection to `host:port`, trying each address within the connect timeout.
fn tcp_connect(
    host: &str,
    port: u16,
    connect_timeout: Duration,
    deadline: Instant,
) -> Result<TcpStream, TransportError> {
    let addrs = (host, port).to_socket_addrs().map_err(|e| {
        TransportError::new(
            TransportErrorKind::Connect,
            format!("cannot resolve {host}: {e}"),
        )
    })?;
    let mut last = None;
    let mut tcp = None;
    for addr in addrs {
        let budget = connect_timeout.min(deadline.saturating_duration_since(Instant::now()));
        if budget.is_zero() {
            return Err(TransportError::new(
                TransportErrorKind::Timeout(TimeoutKind::Connect),
                format!("no connection to {} in time", host),
            ));
        }
        match TcpStream::connect_timeout(&addr, budget) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(t), _) => t,
        (None, Some(e)) if e.kind() == io::ErrorKind::TimedOut => {
            return Err(TransportError::new(
                TransportErrorKind::Timeout(TimeoutKind::Connect),
                format!("connecting to {}: {e}", host),
            ))
        }
        (None, Some(e)) => {
            return Err(TransportError::new(
                TransportErrorKind::Connect,
                format!("connecting to {}:{}: {e}", host, port),
            ))
        }
        (None, None) => {
            return Err(TransportError::new(
                TransportErrorKind::Connect,
                format!("{} has no address", host),
            ))
        }
    };
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

/// Opens a `CONNECT` tunnel through the proxy on `tcp` to `key`.
fn tunnel(
    tcp: &TcpStream,
    proxy: &Proxy,
    key: &Key,
    deadline: Instant,
) -> Result<(), TransportError> {
    let authority = if key.host.contains(':') {
        format!("[{}]:{}", key.host, key.port)
    } else {
        format!("{}:{}", key.host, key.port)
    };
    let mut head = format!("CONNECT {authority} HTTP/1.1\r\nhost: {authority}\r\n");
    if let Some(auth) = &proxy.authorization {
        head.push_str(&format!("proxy-authorization: {auth}\r\n"));
    }
    head.push_str("\r\n");
    let tcp = tcp
        .try_clone()
        .map_err(|e| io_error(e, "opening the proxy tunnel"))?;
    let mut conn = Deadline {
        stream: Stream::Plain(tcp),
        deadline,
    };
    conn.write_all(head.as_bytes())
        .map_err(|e| io_error(e, "asking the proxy for a tunnel"))?;
    // The server says nothing until the TLS handshake starts, so nothing past the proxy's
    // answer can be buffered here.
    let mut reader = BufReader::new(conn);
    let (status, _, _) = read_head(&mut reader, &mut false).map_err(|(e, _)| e)?;
    if status != 200 {
        return Err(TransportError::new(
            TransportErrorKind::Connect,
            format!(
                "the proxy {}:{} refused the tunnel to {}:{} with status {status}",
                proxy.host, proxy.port, key.host, key.port
            ),
        ));
    }
    Ok(())
}

/// The request line and headers. `Host` comes from the request when it has one (SigV4 signs
/// it), else from the URI; a body always goes with its length.
fn request_head(request: &http::Request<Vec<u8>>, key: &Key, via: Option<&Proxy>) -> Vec<u8> {
    let uri = request.uri();
    let target = match via {
        Some(_) => uri.to_string(),
        None => uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
    };
    let mut head = format!("{} {target} HTTP/1.1\r\n", request.method()).into_bytes();
    if let Some(auth) = via.and_then(|p| p.authorization.as_deref()) {
        head.extend_from_slice(format!("proxy-authorization: {auth}\r\n").as_bytes());
    }
    let headers = request.headers();
    if !headers.contains_key(http::header::HOST) {
        let default_port = if key.tls { 443 } else { 80 };
        let host = uri.host().unwrap_or_default();
        let line = if key.port == default_port {
            format!("host: {host}\r\n")
        } else {
            format!("host: {host}:{}\r\n", key.port)
        };
        head.extend_from_slice(line.as_bytes());
    }
    for (name, value) in headers {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    let sends_body = !request.body().is_empty()
        || matches!(
            *request.method(),
            http::Method::POST | http::Method::PUT | http::Method::PATCH
        );
    if sends_body && !headers.contains_key(http::header::CONTENT_LENGTH) {
        head.extend_from_slice(format!("content-length: {}\r\n", request.body().len()).as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// Reads one response: interim `1xx` answers are skipped. Returns whether the connection can
/// carry another request.
fn read_response<R: BufRead>(
    reader: &mut R,
    head_only: bool,
) -> Result<(http::Response<Vec<u8>>, bool), Failure> {
    let mut started = false;
    loop {
        let (status, version, headers) = read_head(reader, &mut started)?;
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let protocol = |m: String| (TransportError::new(TransportErrorKind::Io, m), true);
        let mut builder = http::Response::builder().status(status).version(version);
        let mut chunked = false;
        let mut length: Option<usize> = None;
        let mut close = version == http::Version::HTTP_10;
        for (name, value) in &headers {
            match name.to_ascii_lowercase().as_str() {
                "transfer-encoding" => {
                    chunked = value
                        .to_ascii_lowercase()
                        .split(',')
                        .any(|t| t.trim() == "chunked")
                }
                "content-length" => {
                    let n: usize = value
                        .trim()
                        .parse()
                        .map_err(|_| protocol(format!("invalid content-length `{value}`")))?;
                    if length.is_some_and(|m| m != n) {
                        return Err(protocol("conflicting content-length headers".into()));
                    }
                    length = Some(n);
                }
                "connection" => {
                    let v = value.to_ascii_lowercase();
                    close = v.contains("close")
                        || (version == http::Version::HTTP_10 && !v.contains("keep-alive"));
                }
                _ => {}
            }
            builder = builder.header(name.as_str(), value.as_str());
        }
        let no_body = head_only || status == 204 || status == 304;
        let body = if no_body {
            Vec::new()
        } else if chunked {
            read_chunked(reader).map_err(|e| (e, true))?
        } else if let Some(n) = length {
            if n > MAX_BODY {
                return Err(protocol(format!(
                    "the answer's body ({n} bytes) is larger than {MAX_BODY}"
                )));
            }
            let mut body = vec![0; n];
            reader
                .read_exact(&mut body)
                .map_err(|e| (io_error(e, "reading the body"), true))?;
            body
        } else {
            // No length: the body runs to the end of the connection.
            close = true;
            let mut body = Vec::new();
            reader
                .by_ref()
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body)
                .map_err(|e| (io_error(e, "reading the body"), true))?;
            if body.len() > MAX_BODY {
                return Err(protocol(format!(
                    "the answer's body is larger than {MAX_BODY} bytes"
                )));
            }
            body
        };
        let response = builder
            .body(body)
            .map_err(|e| protocol(format!("invalid answer: {e}")))?;
        return Ok((response, !close));
    }
}

type Head = (u16, http::Version, Vec<(String, String)>);

/// The status line and headers. `started` becomes true once any byte has arrived.
fn read_head<R: BufRead>(reader: &mut R, started: &mut bool) -> Result<Head, Failure> {
    let mut total = 0usize;
    let mut line = Vec::new();
    let mut next_line = |reader: &mut R, started: &mut bool| -> Result<String, Failure> {
        line.clear();
        let n = reader
            .by_ref()
            .take((MAX_HEAD - total) as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| (io_error(e, "reading the answer"), *started))?;
        if n == 0 {
            return Err((
                TransportError::new(
                    TransportErrorKind::Io,
                    "the connection closed before an answer",
                ),
                *started,
            ));
        }
        *started = true;
        total += n;
        if total > MAX_HEAD || !line.ends_with(b"\n") {
            return Err((
                TransportError::new(
                    TransportErrorKind::Io,
                    "the answer's head is too long or cut off",
                ),
                true,
            ));
        }
        let text = String::from_utf8_lossy(&line);
        Ok(text.trim_end_matches(['\r', '\n']).to_owned())
    };
    let status_line = next_line(reader, started)?;
    let invalid = |what: &str| {
        (
            TransportError::new(TransportErrorKind::Io, format!("invalid answer: {what}")),
            true,
        )
    };
    let mut parts = status_line.splitn(3, ' ');
    let version = match parts.next() {
        Some("HTTP/1.1") => http::Version::HTTP_11,
        Some("HTTP/1.0") => http::Version::HTTP_10,
        _ => return Err(invalid(&format!("status line `{status_line}`"))),
    };
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| invalid(&format!("status line `{status_line}`")))?;
    let mut headers = Vec::new();
    loop {
        let line = next_line(reader, started)?;
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            return Err(invalid("a folded header line"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(&format!("header line `{line}`")))?;
        if headers.len() >= MAX_HEADERS {
            return Err(invalid("too many headers"));
        }
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok((status, version, headers))
}

/// A `Transfer-Encoding: chunked` body (chunk extensions and trailers are read and dropped).
fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, TransportError> {
    let bad =
        |m: &str| TransportError::new(TransportErrorKind::Io, format!("invalid chunked body: {m}"));
    let mut body = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        reader
            .by_ref()
            .take(4096)
            .read_until(b'\n', &mut line)
            .map_err(|e| io_error(e, "reading the body"))?;
        let text = String::from_utf8_lossy(&line);
        let size_text = text
            .trim_end_matches(['\r', '\n'])
            .split(';')
            .next()
            .unwrap_or("")
            .trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(&format!("chunk size `{size_text}`")))?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                line.clear();
                let n = reader
                    .by_ref()
                    .take(4096)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| io_error(e, "reading the body"))?;
                if n == 0 || line == b"\r\n" || line == b"\n" {
                    return Ok(body);
                }
            }
        }
        if body.len() + size > MAX_BODY {
            return Err(bad(&format!("the body is larger than {MAX_BODY} bytes")));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(&mut body[start..])
            .map_err(|e| io_error(e, "reading the body"))?;
        let mut crlf = [0u8; 2];
        reader
            .read_exact(&mut crlf)
            .map_err(|e| io_error(e, "reading the body"))?;
        if &crlf != b"\r\n" {
            return Err(bad("a chunk does not end with CRLF"));
        }
    }
}

fn io_error(e: io::Error, doing: &str) -> TransportError {
    let kind = match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            TransportErrorKind::Timeout(TimeoutKind::Attempt)
        }
        // rustls reports handshake and certificate failures as invalid data.
        io::ErrorKind::InvalidData
            if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) =>
        {
            TransportErrorKind::Tls
        }
        _ => TransportErrorKind::Io,
    };
    TransportError::new(kind, format!("{doing}: {e}"))
}

/// A failure, and whether any of an answer had arrived (if not, a reused connection the server
/// had closed can be replaced and the request sent again).
type Failure = (TransportError, bool);

/// A TCP or TLS connection.
enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => &s.sock,
        }
    }
}

/// A stream whose every read and write must finish by `deadline`.
struct Deadline {
    stream: Stream,
    deadline: Instant,
}

impl Deadline {
    fn arm(&self) -> io::Result<()> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no answer in time"));
        }
        let tcp = self.stream.tcp();
        tcp.set_read_timeout(Some(left))?;
        tcp.set_write_timeout(Some(left))
    }
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm()?;
        match &mut self.stream {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Deadline {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arm()?;
        match &mut self.stream {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.arm()?;
        match &mut self.stream {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        text: &[u8],
        head_only: bool,
    ) -> Result<(http::Response<Vec<u8>>, bool), TransportError> {
        read_response(&mut BufReader::new(text), head_only).map_err(|(e, _)| e)
    }

    #[test]
    fn lengths_chunks_and_interim_answers() {
        let (r, keep) = parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello", false).unwrap();
        assert_eq!(
            (r.status().as_u16(), r.body().as_slice(), keep),
            (200, &b"hello"[..], true)
        );
        assert_eq!(r.headers().get_all("x-a").iter().count(), 2);
        let (r, _) = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n", false).unwrap();
        assert_eq!(r.body(), b"hello world");
        let (r, keep) = parse(b"HTTP/1.0 500 Oops\r\n\r\nall of it", false).unwrap();
        assert_eq!(
            (r.status().as_u16(), r.body().as_slice(), keep),
            (500, &b"all of it"[..], false)
        );
        let (r, keep) = parse(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
            true,
        )
        .unwrap();
        assert_eq!((r.body().len(), keep), (0, false));
    }

    #[test]
    fn broken_answers_are_errors() {
        for bad in [
            &b""[..],
            b"SPDY/9 200 OK\r\n\r\n",
            b"HTTP/1.1 20 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
            b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n",
        ] {
            assert!(
                parse(bad, false).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let endless = [b"HTTP/1.1 200 OK\r\n".to_vec(), b"X: y\r\n".repeat(20_000)].concat();
        assert!(parse(&endless, false).is_err());
    }

    #[test]
    fn proxies_from_urls_and_the_environment_rules() {
        let p = Proxy::parse("http://user:pa%20ss@proxy.example:3128/").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.example", 3128));
        assert_eq!(p.authorization.as_deref(), Some("Basic dXNlcjpwYSUyMHNz"));
        assert_eq!(Proxy::parse("proxy.example").unwrap().port, 80);
        assert!(Proxy::parse("socks5://p:1080").is_err());
        assert!(Proxy::parse("http://p:x").is_err());
        let proxies = Proxies {
            explicit: None,
            http: Some(p.clone()),
            https: None,
            no_proxy: vec!["internal.example".into()],
        };
        let key = |tls, host: &str| Key {
            tls,
            host: host.into(),
            port: 80,
        };
        assert_eq!(proxies.for_key(&key(false, "api.aws")), Some(&p));
        assert_eq!(
            proxies.for_key(&key(true, "api.aws")),
            None,
            "no HTTPS proxy set"
        );
        assert_eq!(proxies.for_key(&key(false, "a.internal.example")), None);
        assert_eq!(proxies.for_key(&key(false, "127.0.0.1")), None);
        assert_eq!(proxies.for_key(&key(false, "localhost")), None);
        let via = Proxies {
            explicit: Some(p.clone()),
            ..Proxies::default()
        };
        assert_eq!(
            via.for_key(&key(true, "127.0.0.1")),
            Some(&p),
            "an explicit proxy takes everything"
        );
        let r = http::Request::builder()
            .uri("http://h.example/a?b")
            .body(Vec::new())
            .unwrap();
        let head = String::from_utf8(request_head(&r, &key(false, "h.example"), Some(&p))).unwrap();
        assert!(
            head.starts_with("GET http://h.example/a?b HTTP/1.1\r\nproxy-authorization: Basic "),
            "{head}"
        );
    }

    #[test]
    fn request_heads_carry_host_and_length() {
        let key = Key {
            tls: false,
            host: "127.0.0.1".into(),
            port: 8080,
        };
        let r = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:8080/a?b=c")
            .header("x-y", "z")
            .body(Vec::new())
            .unwrap();
        let head = String::from_utf8(request_head(&r, &key, None)).unwrap();
        assert_eq!(
            head,
            "POST /a?b=c HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nx-y: z\r\ncontent-length: 0\r\n\r\n"
        );
        let r = http::Request::builder()
            .uri("https://h.example/")
            .header("host", "h.example")
            .body(Vec::new())
            .unwrap();
        let head = String::from_utf8(request_head(
            &r,
            &Key {
                tls: true,
                host: "h.example".into(),
                port: 443,
            },
            None,
        ))
        .unwrap();
        assert_eq!(head, "GET / HTTP/1.1\r\nhost: h.example\r\n\r\n");
    }
}
