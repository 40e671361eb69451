//! The default credential chain, source by source: files in temporary directories, and loopback
//! servers standing in for STS, SSO, SSO-OIDC, the ECS agent and EC2 instance metadata, each
//! checking what arrives.
#![cfg(feature = "blocking")]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use swage_runtime::client::chain::DefaultChain;
use swage_transport::blocking::HttpTransport;

/// A request as the stand-in saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: String,
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A loopback HTTP server answering each request with `handler`; the requests it saw.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (log, handler) = (log.clone(), handler.clone());
                std::thread::spawn(move || serve(stream, &log, &*handler));
            }
        });
        Server { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: std::net::TcpStream, log: &Mutex<Vec<Seen>>, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // One request per connection: every answer says `connection: close`.
    {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let seen = Seen {
            method,
            path,
            headers,
            body: String::from_utf8(body).unwrap(),
        };
        let (status, answer) = handler(&seen);
        log.lock().unwrap().push(seen);
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        let _ = writer.write_all(response.as_bytes());
    }
}

/// A temporary home directory, removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("swage-chain-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        Home(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The chain over `vars` and `HOME`, with instance metadata off unless `vars` turn it on.
fn chain(home: &Home, vars: &[(&str, &str)]) -> DefaultChain {
    let mut map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    map.insert("HOME".into(), home.0.display().to_string());
    map.entry("AWS_EC2_METADATA_DISABLED".into())
        .or_insert_with(|| "true".into());
    DefaultChain::with(move |name| map.get(name).cloned(), HttpTransport::new())
}

const FUTURE: &str = "2099-01-01T00:00:00Z";

fn sts_answer(id: &str) -> String {
    format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
         <Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>s3cr3t/+x</SecretAccessKey>\
         <SessionToken>tok&amp;en</SessionToken><Expiration>{FUTURE}</Expiration></Credentials>\
         </AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"
    )
}

#[test]
fn the_environment_comes_first() {
    let home = Home::new("env");
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n",
    );
    let c = chain(
        &home,
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "e"),
            ("AWS_SESSION_TOKEN", "t"),
        ],
    )
    .resolve()
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("AKIDENV", Some("t"))
    );
    let err = chain(&home, &[("AWS_ACCESS_KEY_ID", "AKIDENV")])
        .resolve()
        .unwrap_err();
    assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
}

#[test]
fn static_keys_from_the_files_and_the_selected_profile() {
    let home = Home::new("static");
    home.write(
        ".aws/config",
        "[default]\nregion = eu-west-1\n[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n",
    );
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = c2\n",
    );
    let c = chain(&home, &[]).resolve().unwrap();
    assert_eq!(c.access_key_id(), "AKIDDEFAULT");
    // The credentials file wins over the config file for the same profile.
    let c = chain(&home, &[("AWS_PROFILE", "dev")]).resolve().unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key()),
        ("AKIDCREDS", "c2")
    );
    // Files elsewhere.
    let other = home.write(
        "elsewhere/creds",
        "[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = o\n",
    );
    let c = chain(
        &home,
        &[("AWS_SHARED_CREDENTIALS_FILE", other.to_str().unwrap())],
    )
    .resolve()
    .unwrap();
    assert_eq!(c.access_key_id(), "AKIDOTHER");
}

#[test]
fn a_malformed_or_missing_profile_is_a_clear_error_without_secrets() {
    let home = Home::new("bad");
    home.write(
        ".aws/credentials",
        "[default]\naws_secret_access_key = hunter2\nhunter3\n",
    );
    let err = chain(&home, &[]).resolve().unwrap_err().to_string();
    assert!(err.contains("credentials:3"), "{err}");
    assert!(!err.contains("hunter"), "{err}");

    let home = Home::new("missing");
    let err = chain(&home, &[("AWS_PROFILE", "nope")])
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(err.contains("`nope`"), "{err}");

    home.write(
        ".aws/credentials",
        "[default]\naws_secret_access_key = hunter2\n",
    );
    // A profile with a secret but no key id: neither the secret nor a panic.
    let err = chain(&home, &[]).resolve().unwrap_err().to_string();
    assert!(!err.contains("hunter2"), "{err}");

    home.write(
        ".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
    );
    home.write(".aws/credentials", "");
    let err = chain(&home, &[("AWS_PROFILE", "a")])
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(err.contains("loops: a -> b -> a"), "{err}");

    // Nothing anywhere.
    let empty = Home::new("empty");
    let err = chain(&empty, &[]).resolve().unwrap_err().to_string();
    assert!(err.contains("no AWS credentials found"), "{err}");
}

#[cfg(unix)]
#[test]
fn credential_process_runs_and_its_failures_say_no_secret() {
    let home = Home::new("process");
    let script = home.write(
        "creds.sh",
        &format!(
            "printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"p\", \"SessionToken\": \"pt\", \"Expiration\": \"{FUTURE}\"}}'\n"
        ),
    );
    home.write(
        ".aws/config",
        &format!(
            "[default]\ncredential_process = sh {}\n[profile broken]\ncredential_process = sh -c 'echo hunter2; exit 3'\n",
            script.display()
        ),
    );
    let c = chain(&home, &[]).resolve().unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("AKIDPROC", Some("pt"))
    );
    let err = chain(&home, &[("AWS_PROFILE", "broken")])
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(err.contains("credential_process failed"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn role_arn_with_source_profile_assumes_the_role_through_sts_and_caches_it() {
    let sts = Server::start(|_| (200, sts_answer("ASIAROLE")));
    let home = Home::new("role");
    home.write(
        ".aws/config",
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nrole_session_name = me\nexternal_id = ext-1\nregion = eu-central-1\n",
    );
    home.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n",
    );
    let chain = chain(
        &home,
        &[("AWS_PROFILE", "dev"), ("AWS_ENDPOINT_URL_STS", &sts.url)],
    );
    let c = chain.resolve().unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        ("ASIAROLE", "s3cr3t/+x", Some("tok&en"))
    );
    let again = chain.resolve().unwrap();
    assert_eq!(again, c);
    let seen = sts.seen();
    assert_eq!(seen.len(), 1, "the second call is served from the cache");
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    assert!(req.body.contains("Action=AssumeRole&"), "{}", req.body);
    assert!(
        req.body
            .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev"),
        "{}",
        req.body
    );
    assert!(req.body.contains("RoleSessionName=me"), "{}", req.body);
    assert!(req.body.contains("ExternalId=ext-1"), "{}", req.body);
    let auth = &req.headers["authorization"];
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDBASE/")
            && auth.contains("/eu-central-1/sts/aws4_request"),
        "{auth}"
    );
}

#[test]
fn sts_errors_are_reported_with_their_code() {
    let sts = Server::start(|_| {
        (
            403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>".into(),
        )
    });
    let home = Home::new("role-denied");
    home.write(
        ".aws/config",
        "[default]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Environment\n",
    );
    let err = chain(&home, &[("AWS_ENDPOINT_URL_STS", &sts.url)])
        .resolve()
        .unwrap_err()
        .to_string();
    // credential_source Environment without the variables.
    assert!(err.contains("credential_source Environment"), "{err}");
    home.write(
        ".aws/config",
        "[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n",
    );
    let err = chain(&home, &[("AWS_ENDPOINT_URL_STS", &sts.url)])
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(err.contains("HTTP 403 AccessDenied: not allowed"), "{err}");
    assert!(sts.seen()[0].headers["authorization"].contains("Credential=AKIDSELF/"));
}

#[test]
fn web_identity_from_the_environment_goes_to_sts_unsigned() {
    let sts = Server::start(|_| (200, sts_answer("ASIAWEB")));
    let home = Home::new("web");
    let token = home.write("token", "eyJ.token\n");
    let c = chain(
        &home,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
            ("AWS_ROLE_SESSION_NAME", "pod"),
            ("AWS_ENDPOINT_URL_STS", &sts.url),
        ],
    )
    .resolve()
    .unwrap();
    assert_eq!(c.access_key_id(), "ASIAWEB");
    let req = &sts.seen()[0];
    assert!(
        req.body.contains("Action=AssumeRoleWithWebIdentity"),
        "{}",
        req.body
    );
    assert!(
        req.body.contains("WebIdentityToken=eyJ.token&")
            || req.body.ends_with("WebIdentityToken=eyJ.token"),
        "{}",
        req.body
    );
    assert!(req.body.contains("RoleSessionName=pod"), "{}", req.body);
    assert!(!req.headers.contains_key("authorization"));
}

#[test]
fn container_credentials_with_the_authorization_token() {
    let ecs = Server::start(|req| {
        if req.headers.get("authorization").map(String::as_str) != Some("Bearer abc") {
            return (401, String::new());
        }
        (
            200,
            format!("{{\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"e\",\"Token\":\"et\",\"Expiration\":\"{FUTURE}\"}}"),
        )
    });
    let home = Home::new("ecs");
    let full = format!("{}/v2/credentials/x", ecs.url);
    let c = chain(
        &home,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"),
        ],
    )
    .resolve()
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("ASIAECS", Some("et"))
    );
    assert_eq!(ecs.seen()[0].path, "/v2/credentials/x");
    // The token from a file; a wrong one is refused by the agent, and said so.
    let file = home.write("ecs-token", "Bearer wrong\n");
    let err = chain(
        &home,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                file.to_str().unwrap(),
            ),
        ],
    )
    .resolve()
    .unwrap_err()
    .to_string();
    assert!(err.contains("HTTP 401"), "{err}");
    // A full URI to a remote host over plain HTTP is refused before anything is sent.
    let err = chain(
        &home,
        &[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://example.com/creds",
        )],
    )
    .resolve()
    .unwrap_err()
    .to_string();
    assert!(err.contains("must be https"), "{err}");
}

#[test]
fn instance_metadata_v2_asks_for_a_session_token_first() {
    let imds = Server::start(|req| {
        let token = req
            .headers
            .get("x-aws-ec2-metadata-token")
            .map(String::as_str);
        match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token")
                if req.headers.contains_key("x-aws-ec2-metadata-token-ttl-seconds") =>
            {
                (200, "SESSION".into())
            }
            (_, _) if token != Some("SESSION") => (401, String::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "app-role\n".into()),
            ("GET", "/latest/meta-data/iam/security-credentials/app-role") => (
                200,
                format!("{{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"i\",\"Token\":\"it\",\"Expiration\":\"{FUTURE}\"}}"),
            ),
            _ => (404, String::new()),
        }
    });
    let home = Home::new("imds");
    let c = chain(
        &home,
        &[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url),
        ],
    )
    .resolve()
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("ASIAIMDS", Some("it"))
    );
    let order: Vec<String> = imds
        .seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        order,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/app-role"
        ]
    );
}

#[test]
fn sso_refreshes_an_expired_token_then_gets_role_credentials() {
    let oidc = Server::start(|req| {
        assert!(
            req.body.contains("\"grantType\":\"refresh_token\""),
            "{}",
            req.body
        );
        assert!(req.body.contains("\"refreshToken\":\"R1\""), "{}", req.body);
        (200, "{\"accessToken\":\"NEW\",\"expiresIn\":3600,\"refreshToken\":\"R2\",\"tokenType\":\"Bearer\"}".into())
    });
    let sso = Server::start(|req| {
        if req
            .headers
            .get("x-amz-sso_bearer_token")
            .map(String::as_str)
            != Some("NEW")
        {
            return (401, "{\"message\":\"bad token\"}".into());
        }
        (
            200,
            "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO\",\"secretAccessKey\":\"s\",\"sessionToken\":\"st\",\"expiration\":4070908800000}}".into(),
        )
    });
    let home = Home::new("sso");
    home.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
    );
    // sha1("corp"), as the AWS CLI names the cache file of the session `corp`.
    let cache = home.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        "{\"accessToken\":\"OLD\",\"expiresAt\":\"2020-01-01T00:00:00Z\",\"refreshToken\":\"R1\",\"clientId\":\"cid\",\"clientSecret\":\"csec\",\"region\":\"us-east-1\",\"startUrl\":\"https://corp.awsapps.com/start\"}",
    );
    let c = chain(
        &home,
        &[
            ("AWS_PROFILE", "dev"),
            ("AWS_ENDPOINT_URL_SSO", &sso.url),
            ("AWS_ENDPOINT_URL_SSO_OIDC", &oidc.url),
        ],
    )
    .resolve()
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("ASIASSO", Some("st"))
    );
    let req = &sso.seen()[0];
    assert_eq!(
        req.path,
        "/federation/credentials?account_id=123456789012&role_name=Admin"
    );
    let cached = std::fs::read_to_string(&cache).unwrap();
    assert!(
        cached.contains("\"accessToken\":\"NEW\"") && cached.contains("\"refreshToken\":\"R2\""),
        "{cached}"
    );
    assert!(
        cached.contains("\"startUrl\":\"https://corp.awsapps.com/start\""),
        "{cached}"
    );

    // An expired legacy profile (no session, so no refresh) says to log in.
    home.write(
        ".aws/config",
        "[default]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n",
    );
    let err = chain(&home, &[]).resolve().unwrap_err().to_string();
    assert!(err.contains("aws sso login"), "{err}");
}
