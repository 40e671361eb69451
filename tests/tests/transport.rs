//! The blocking transport (`swage_transport::blocking::HttpTransport`) against real sockets:
//! TLS with a trusted and an untrusted certificate, keep-alive reuse, a pooled connection the
//! server closed, and chunked answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use swage_runtime::client::blocking::Transport;
use swage_runtime::client::TransportErrorKind;
use swage_transport::blocking::HttpTransport;

const CERT: &[u8] = include_bytes!("../fixtures/tls/localhost.cert.der");
const KEY: &[u8] = include_bytes!("../fixtures/tls/localhost.key.der");

/// Reads one request (head and `content-length` body) from `reader`; `None` at end of stream.
fn read_request<R: BufRead>(reader: &mut R) -> Option<(String, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut length = 0;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((line.trim_end().to_owned(), body))
}

/// A server answering every request on a connection with `answer(n)` (n counts requests on
/// that connection) until `per_connection` requests, then closing. Counts connections.
fn server(
    tls: bool,
    per_connection: usize,
    answer: fn(usize, &str) -> String,
) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let config = tls.then(|| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let cert = rustls::pki_types::CertificateDer::from(CERT.to_vec());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(KEY.to_vec().into());
        Arc::new(
            rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
                .unwrap(),
        )
    });
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let config = config.clone();
            std::thread::spawn(move || match config {
                Some(config) => {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    converse(
                        rustls::StreamOwned::new(conn, stream),
                        per_connection,
                        answer,
                    );
                }
                None => converse(stream, per_connection, answer),
            });
        }
    });
    (port, connections)
}

fn converse<S: Read + Write>(stream: S, per_connection: usize, answer: fn(usize, &str) -> String) {
    let mut reader = BufReader::new(stream);
    for n in 0..per_connection {
        let Some((line, _body)) = read_request(&mut reader) else {
            return;
        };
        if reader
            .get_mut()
            .write_all(answer(n, &line).as_bytes())
            .is_err()
        {
            return;
        }
        let _ = reader.get_mut().flush();
    }
}

fn ok(n: usize, line: &str) -> String {
    let body = format!("{{\"n\":{n},\"line\":\"{line}\"}}");
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn get(url: &str) -> swage_runtime::http::Request<Vec<u8>> {
    swage_runtime::http::Request::builder()
        .method("POST")
        .uri(url)
        .header("x-test", "1")
        .body(b"{}".to_vec())
        .unwrap()
}

const T: Duration = Duration::from_secs(5);

#[test]
fn tls_with_a_trusted_certificate_and_keep_alive() {
    let (port, connections) = server(true, 10, ok);
    let transport = HttpTransport::with_root_certificates(&[CERT.to_vec()]).unwrap();
    for n in 0..3 {
        let response = transport
            .send(get(&format!("https://localhost:{port}/things?a=b")), T, T)
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            String::from_utf8(response.body().clone()).unwrap(),
            format!("{{\"n\":{n},\"line\":\"POST /things?a=b HTTP/1.1\"}}")
        );
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "one TLS connection carries all three"
    );
}

#[test]
fn an_untrusted_certificate_is_a_tls_error() {
    let (port, _) = server(true, 1, ok);
    let e = HttpTransport::new()
        .send(get(&format!("https://localhost:{port}/")), T, T)
        .unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::Tls, "{e}");
    assert!(e.to_string().contains("certificate"), "{e}");
}

#[test]
fn a_pooled_connection_the_server_closed_is_replaced() {
    // One request per connection, without saying so: the client's pooled connection is dead.
    let (port, connections) = server(false, 1, ok);
    let transport = HttpTransport::new();
    for _ in 0..3 {
        assert_eq!(
            transport
                .send(get(&format!("http://127.0.0.1:{port}/")), T, T)
                .unwrap()
                .status(),
            200
        );
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[test]
fn chunked_answers_are_read_whole() {
    fn chunked(_: usize, _: &str) -> String {
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"
            .to_owned()
    }
    let (port, connections) = server(false, 5, chunked);
    let transport = HttpTransport::new();
    for _ in 0..2 {
        let r = transport
            .send(get(&format!("http://127.0.0.1:{port}/")), T, T)
            .unwrap();
        assert_eq!(r.body(), b"{\"a\":1}");
    }
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_slow_answer_times_out_within_the_bound() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // Drip a byte every 100 ms: each read succeeds, the whole never arrives in time.
            std::thread::spawn(move || {
                let mut s: TcpStream = stream;
                for b in b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n"
                    .iter()
                    .cycle()
                {
                    if s.write_all(&[*b]).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
    });
    let started = std::time::Instant::now();
    let e = HttpTransport::new()
        .send(
            get(&format!("http://127.0.0.1:{port}/")),
            T,
            Duration::from_millis(700),
        )
        .unwrap_err();
    assert!(matches!(e.kind, TransportErrorKind::Timeout(_)), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// A proxy: `CONNECT` opens a tunnel to the target (piping both ways); any other request is
/// answered by the proxy itself. Records each request head.
fn proxy() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = heads.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                log.lock().unwrap().push(head.clone());
                let mut client = client;
                match head
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split_whitespace().next())
                {
                    Some(target) => {
                        let upstream = TcpStream::connect(target).unwrap();
                        client
                            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                            .unwrap();
                        let (mut up_read, mut up_write) = (upstream.try_clone().unwrap(), upstream);
                        let mut down_write = client.try_clone().unwrap();
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut reader, &mut up_write);
                        });
                        let _ = std::io::copy(&mut up_read, &mut down_write);
                    }
                    None => {
                        let _ = client
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nproxied");
                    }
                }
            });
        }
    });
    (port, heads)
}

#[test]
fn https_goes_through_a_connect_tunnel_and_http_through_the_proxy() {
    let (server_port, _) = server(true, 10, ok);
    let (proxy_port, heads) = proxy();
    let transport = HttpTransport::with_root_certificates(&[CERT.to_vec()])
        .unwrap()
        .with_proxy(&format!("http://me:secret@127.0.0.1:{proxy_port}"))
        .unwrap();
    let response = transport
        .send(get(&format!("https://localhost:{server_port}/via")), T, T)
        .unwrap();
    assert!(
        String::from_utf8_lossy(response.body()).contains("POST /via HTTP/1.1"),
        "the TLS server answered through the tunnel"
    );
    let plain = transport
        .send(get("http://service.example:8080/x?y=1"), T, T)
        .unwrap();
    assert_eq!(plain.body(), b"proxied");
    let heads = heads.lock().unwrap().clone();
    assert!(
        heads[0].starts_with(&format!("CONNECT localhost:{server_port} HTTP/1.1\r\n")),
        "{heads:?}"
    );
    assert!(
        heads[0].contains("proxy-authorization: Basic bWU6c2VjcmV0\r\n"),
        "{heads:?}"
    );
    assert!(heads[1].starts_with("POST http://service.example:8080/x?y=1 HTTP/1.1\r\nproxy-authorization: Basic bWU6c2VjcmV0\r\n"), "{heads:?}");
    assert!(HttpTransport::new()
        .with_proxy("socks5://127.0.0.1:1")
        .is_err());
}
