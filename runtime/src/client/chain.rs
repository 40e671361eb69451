//! The default credential chain users expect from the AWS SDKs, native and lean (no
//! `aws-config`). In order, the first source that has credentials wins:
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
//! 2. the shared config and credentials files (`AWS_PROFILE`, `AWS_CONFIG_FILE`,
//!    `AWS_SHARED_CREDENTIALS_FILE`): static keys, `credential_process`, and `role_arn` with
//!    `source_profile`, `credential_source` or `web_identity_token_file` (through STS);
//! 3. IAM Identity Center (SSO) profiles (`sso_session` or the legacy `sso_start_url`,
//!    `sso_account_id`, `sso_role_name`): the token `aws sso login` cached under
//!    `~/.aws/sso/cache/`, refreshed through SSO-OIDC `CreateToken` when it has expired and can
//!    be, exchanged through SSO `GetRoleCredentials`;
//! 4. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, through STS
//!    `AssumeRoleWithWebIdentity`;
//! 5. ECS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`, with
//!    `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`;
//! 6. EC2 instance metadata, IMDSv2 (a session token first), unless
//!    `AWS_EC2_METADATA_DISABLED=true`.
//!
//! Credentials that expire are cached until five minutes before they do. Service endpoints
//! follow `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC` and
//! `AWS_ENDPOINT_URL` where set, and the metadata service `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
//! Errors say which source failed and why; they never contain a secret.
//!
//! Resolution does blocking I/O (files, a process, HTTP). The async client calls it at most
//! once per expiry; the metadata services answer in milliseconds, or the chain gives up on them
//! after a second.

use crate::client::blocking::Transport;
use crate::client::profile::{self, ProfileSet, Properties};
use crate::client::{
    Credentials, CredentialsCache, CredentialsError, CredentialsFuture, ProvideCredentials,
};
use crate::value::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

type EnvFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// The default credential chain (see the module docs).
pub struct DefaultChain {
    env: Arc<EnvFn>,
    transport: Arc<dyn Transport>,
    cache: CredentialsCache,
}

impl std::fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefaultChain").finish_non_exhaustive()
    }
}

/// Credentials and when they expire (seconds since the epoch), if they do.
struct Resolved {
    credentials: Credentials,
    expires: Option<i64>,
}

impl Resolved {
    fn lasting(credentials: Credentials) -> Resolved {
        Resolved {
            credentials,
            expires: None,
        }
    }
}

type Result<T> = std::result::Result<T, CredentialsError>;

fn fail(message: impl Into<String>) -> CredentialsError {
    CredentialsError::new(message)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How long the metadata services (ECS, IMDS) get to connect and answer.
const METADATA_TIMEOUT: Duration = Duration::from_secs(1);
/// How long STS and SSO get.
const SERVICE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long credentials without an expiry (static keys from a file) are kept before the files
/// are read again.
const RELOAD_AFTER: i64 = 15 * 60;

impl DefaultChain {
    /// The chain over the process environment, calling services with `transport`
    /// (`swage_transport::default_chain()` gives it swage's own).
    pub fn new(transport: impl Transport + 'static) -> Self {
        DefaultChain::with(profile::process_env, transport)
    }

    /// The chain over another environment (a map, in tests) and transport.
    pub fn with(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        transport: impl Transport + 'static,
    ) -> Self {
        DefaultChain {
            env: Arc::new(env),
            transport: Arc::new(transport),
            cache: CredentialsCache::default(),
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.trim().is_empty())
    }

    /// Resolves credentials now (blocking), or returns the cached ones while they are fresh.
    pub fn resolve(&self) -> Result<Credentials> {
        if let Some(credentials) = self.cache.fresh() {
            return Ok(credentials);
        }
        let resolved = self.resolve_uncached()?;
        let expires = resolved.expires.unwrap_or_else(|| now() + RELOAD_AFTER);
        self.cache.store(resolved.credentials.clone(), expires);
        Ok(resolved.credentials)
    }

    fn resolve_uncached(&self) -> Result<Resolved> {
        if let Some(found) = self.environment()? {
            return Ok(Resolved::lasting(found));
        }
        let env = |name: &str| self.var(name);
        let profiles =
            ProfileSet::load(&env).map_err(|e| fail(format!("the shared AWS config: {e}")))?;
        let selected = profiles.selected().to_owned();
        if profiles.profile(&selected).is_some() {
            if let Some(found) = self.profile_credentials(&profiles, &selected, &mut Vec::new())? {
                return Ok(found);
            }
        } else if profiles.explicitly_selected() {
            return Err(fail(format!(
                "AWS_PROFILE names the profile `{selected}`, which neither the config nor the credentials file has"
            )));
        }
        if let (Some(token_file), Some(role)) = (
            self.var("AWS_WEB_IDENTITY_TOKEN_FILE"),
            self.var("AWS_ROLE_ARN"),
        ) {
            let session = self.var("AWS_ROLE_SESSION_NAME");
            return self.web_identity(&token_file, &role, session.as_deref(), None);
        }
        if let Some(found) = self.container()? {
            return Ok(found);
        }
        if self
            .var("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(fail(NONE_FOUND));
        }
        self.instance_metadata().map_err(|e| {
            fail(format!(
                "{NONE_FOUND}; the last, EC2 instance metadata, failed: {e}"
            ))
        })
    }

    fn environment(&self) -> Result<Option<Credentials>> {
        let Some(id) = self.var("AWS_ACCESS_KEY_ID") else {
            return Ok(None);
        };
        let secret = self
            .var("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| fail("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))?;
        Ok(Some(Credentials::new(
            id,
            secret,
            self.var("AWS_SESSION_TOKEN"),
        )))
    }

    /// The credentials profile `name` gives, or `None` if it gives none; `seen` holds the
    /// profiles above it in a `source_profile` chain.
    fn profile_credentials(
        &self,
        set: &ProfileSet,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<Option<Resolved>> {
        let Some(p) = set.profile(name) else {
            return Err(fail(format!(
                "profile `{name}` (the source_profile of `{}`) is in neither file",
                seen.last().map_or("", String::as_str)
            )));
        };
        if seen.iter().any(|s| s == name) {
            seen.push(name.to_owned());
            return Err(fail(format!("source_profile loops: {}", seen.join(" -> "))));
        }
        seen.push(name.to_owned());
        let get = |key: &str| p.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        if let Some(role) = get("role_arn") {
            let session = get("role_session_name");
            let region = get("region");
            let source = if let Some(source) = get("source_profile") {
                let found = if source == name {
                    // A profile that assumes a role with its own static keys.
                    static_keys(name, p)?.map(Resolved::lasting)
                } else {
                    self.profile_credentials(set, source, seen)?
                };
                found.ok_or_else(|| {
                    fail(format!(
                        "profile `{name}`: its source_profile `{source}` has no credentials"
                    ))
                })?
            } else if let Some(source) = get("credential_source") {
                match source {
                    "Environment" => self.environment()?.map(Resolved::lasting).ok_or_else(
                        || fail(format!("profile `{name}`: credential_source Environment, but AWS_ACCESS_KEY_ID is not set")),
                    )?,
                    "EcsContainer" => self.container()?.ok_or_else(|| {
                        fail(format!("profile `{name}`: credential_source EcsContainer, but no AWS_CONTAINER_CREDENTIALS_* is set"))
                    })?,
                    "Ec2InstanceMetadata" => self.instance_metadata()?,
                    other => {
                        return Err(fail(format!(
                            "profile `{name}`: credential_source `{other}` is not one of Environment, EcsContainer and Ec2InstanceMetadata"
                        )))
                    }
                }
            } else if let Some(token_file) = get("web_identity_token_file") {
                return self
                    .web_identity(token_file, role, session, region)
                    .map(Some);
            } else {
                return Err(fail(format!(
                    "profile `{name}` has role_arn but no source_profile, credential_source or web_identity_token_file"
                )));
            };
            return self
                .assume_role(&source.credentials, role, session, p, region)
                .map(Some);
        }
        if get("sso_session").is_some() || get("sso_start_url").is_some() {
            return self.sso(set, name, p).map(Some);
        }
        if let Some(command) = get("credential_process") {
            return credential_process(name, command).map(Some);
        }
        Ok(static_keys(name, p)?.map(Resolved::lasting))
    }

    fn http(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
        what: &str,
    ) -> Result<http::Response<Vec<u8>>> {
        self.transport
            .send(request, timeout, timeout)
            .map_err(|e| fail(format!("{what}: {e}")))
    }

    /// The endpoint of `service` (`STS`, `SSO`, `SSO_OIDC`): its `AWS_ENDPOINT_URL_*`
    /// variable, `AWS_ENDPOINT_URL`, else `default`.
    fn endpoint(&self, service: &str, default: String) -> String {
        self.var(&format!("AWS_ENDPOINT_URL_{service}"))
            .or_else(|| self.var("AWS_ENDPOINT_URL"))
            .unwrap_or(default)
            .trim_end_matches('/')
            .to_owned()
    }

    fn sts_region(&self, profile_region: Option<&str>) -> String {
        profile_region
            .map(str::to_owned)
            .or_else(|| self.var("AWS_REGION"))
            .or_else(|| self.var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_owned())
    }

    fn session_name(&self, given: Option<&str>) -> String {
        given
            .map(str::to_owned)
            .unwrap_or_else(|| format!("swage-{}", now()))
    }

    /// STS `AssumeRole`, signed with `source`.
    fn assume_role(
        &self,
        source: &Credentials,
        role: &str,
        session: Option<&str>,
        p: &Properties,
        region: Option<&str>,
    ) -> Result<Resolved> {
        let mut form = vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", role.to_owned()),
            ("RoleSessionName", self.session_name(session)),
        ];
        if let Some(id) = p.get("external_id") {
            form.push(("ExternalId", id.clone()));
        }
        if let Some(seconds) = p.get("duration_seconds") {
            form.push(("DurationSeconds", seconds.clone()));
        }
        self.sts(&form, Some(source), region, "STS AssumeRole")
    }

    /// STS `AssumeRoleWithWebIdentity` with the token in `token_file` (read now: it rotates).
    fn web_identity(
        &self,
        token_file: &str,
        role: &str,
        session: Option<&str>,
        region: Option<&str>,
    ) -> Result<Resolved> {
        let env = |name: &str| self.var(name);
        let path = profile::expand_home(token_file, &env);
        let token = std::fs::read_to_string(&path).map_err(|e| {
            fail(format!(
                "the web identity token file {}: {e}",
                path.display()
            ))
        })?;
        let form = [
            ("Action", "AssumeRoleWithWebIdentity".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", role.to_owned()),
            ("RoleSessionName", self.session_name(session)),
            ("WebIdentityToken", token.trim().to_owned()),
        ];
        self.sts(&form, None, region, "STS AssumeRoleWithWebIdentity")
    }

    fn sts(
        &self,
        form: &[(&str, String)],
        signer: Option<&Credentials>,
        region: Option<&str>,
        what: &str,
    ) -> Result<Resolved> {
        let region = self.sts_region(region);
        let endpoint = self.endpoint("STS", format!("https://sts.{region}.amazonaws.com"));
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = http::Request::builder()
            .method("POST")
            .uri(format!("{endpoint}/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.into_bytes())
            .map_err(|e| fail(format!("{what}: {e}")))?;
        if let Some(c) = signer {
            let amz_date = crate::sigv4::amz_date(now() as u64);
            let params = crate::sigv4::SigningParams {
                access_key_id: c.access_key_id(),
                secret_access_key: c.secret_access_key(),
                session_token: c.session_token(),
                region: &region,
                service: "sts",
                amz_date: &amz_date,
                options: crate::sigv4::SigningOptions::default(),
            };
            crate::sigv4::sign_request(&mut request, &params)
                .map_err(|e| fail(format!("{what}: signing: {e}")))?;
        }
        let response = self.http(request, SERVICE_TIMEOUT, what)?;
        let status = response.status().as_u16();
        let fields = xml_fields(response.body())
            .map_err(|e| fail(format!("{what}: HTTP {status}, unreadable response: {e}")))?;
        if !(200..300).contains(&status) {
            let code = fields.get("Code").map_or("no code", String::as_str);
            let message = fields.get("Message").map_or("", String::as_str);
            return Err(fail(format!("{what}: HTTP {status} {code}: {message}")));
        }
        let field = |name: &str| {
            fields
                .get(name)
                .cloned()
                .ok_or_else(|| fail(format!("{what}: the response has no {name}")))
        };
        let expires = crate::DateTime::parse_date_time(&field("Expiration")?)
            .map_err(|_| fail(format!("{what}: the Expiration is not a date-time")))?;
        Ok(Resolved {
            credentials: Credentials::new(
                field("AccessKeyId")?,
                field("SecretAccessKey")?,
                Some(field("SessionToken")?),
            ),
            expires: Some(expires.secs()),
        })
    }

    /// ECS (or EKS Pod Identity) container credentials, if the environment points at them.
    fn container(&self) -> Result<Option<Resolved>> {
        let url = if let Some(relative) = self.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            format!("http://169.254.170.2{relative}")
        } else if let Some(full) = self.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            let uri: http::Uri = full
                .parse()
                .map_err(|_| fail("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URI"))?;
            let host = uri.host().unwrap_or("").trim_matches(['[', ']']);
            let allowed = uri.scheme_str() == Some("https")
                || host == "localhost"
                || host == "169.254.170.2"
                || host == "169.254.170.23"
                || host == "fd00:ec2::23"
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !allowed {
                return Err(fail(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback or the ECS/EKS agent's address",
                ));
            }
            full
        } else {
            return Ok(None);
        };
        let token = match self.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(file) => Some(
                std::fs::read_to_string(&file)
                    .map_err(|e| {
                        fail(format!(
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {file}: {e}"
                        ))
                    })?
                    .trim()
                    .to_owned(),
            ),
            None => self.var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let mut request = http::Request::builder().method("GET").uri(&url);
        if let Some(token) = token {
            if token.contains(['\r', '\n']) {
                return Err(fail("the container authorization token has a line break"));
            }
            request = request.header("authorization", token);
        }
        let request = request
            .body(Vec::new())
            .map_err(|_| fail("the container credentials URI is not a valid URI"))?;
        let response = self.http(request, METADATA_TIMEOUT, "container credentials")?;
        if !response.status().is_success() {
            return Err(fail(format!(
                "container credentials: HTTP {}",
                response.status().as_u16()
            )));
        }
        metadata_json(response.body(), "container credentials").map(Some)
    }

    /// EC2 instance metadata, IMDSv2: a session token, the role's name, its credentials.
    fn instance_metadata(&self) -> Result<Resolved> {
        let base = self
            .var("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .unwrap_or_else(|| "http://169.254.169.254".to_owned());
        let base = base.trim_end_matches('/');
        let what = "EC2 instance metadata";
        let token_request = http::Request::builder()
            .method("PUT")
            .uri(format!("{base}/latest/api/token"))
            .header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
            .body(Vec::new())
            .map_err(|_| fail("AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URI"))?;
        let response = self.http(token_request, METADATA_TIMEOUT, what)?;
        if !response.status().is_success() {
            return Err(fail(format!(
                "{what}: the session token: HTTP {}",
                response.status().as_u16()
            )));
        }
        let token = String::from_utf8(response.into_body())
            .map_err(|_| fail(format!("{what}: the session token is not text")))?;
        let token = http::HeaderValue::from_str(token.trim())
            .map_err(|_| fail(format!("{what}: the session token is not a header value")))?;
        let get = |path: &str| -> Result<Vec<u8>> {
            let request = http::Request::builder()
                .method("GET")
                .uri(format!(
                    "{base}/latest/meta-data/iam/security-credentials/{path}"
                ))
                .header("x-aws-ec2-metadata-token", token.clone())
                .body(Vec::new())
                .map_err(|_| fail(format!("{what}: an invalid role name")))?;
            let response = self.http(request, METADATA_TIMEOUT, what)?;
            if response.status().is_success() {
                Ok(response.into_body())
            } else {
                Err(fail(format!(
                    "{what}: HTTP {} (does the instance have a role?)",
                    response.status().as_u16()
                )))
            }
        };
        let roles = String::from_utf8(get("")?)
            .map_err(|_| fail(format!("{what}: the role name is not text")))?;
        let role = roles
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or_else(|| fail(format!("{what}: the instance has no role")))?;
        if !role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        {
            return Err(fail(format!(
                "{what}: the role name has characters IAM does not allow"
            )));
        }
        metadata_json(&get(role)?, what)
    }

    /// IAM Identity Center: the cached token (refreshed if it has expired and can be), then
    /// `GetRoleCredentials`.
    fn sso(&self, set: &ProfileSet, name: &str, p: &Properties) -> Result<Resolved> {
        let get = |key: &str| p.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        let need =
            |key: &str| get(key).ok_or_else(|| fail(format!("SSO profile `{name}` has no {key}")));
        let account = need("sso_account_id")?;
        let role = need("sso_role_name")?;
        let (cache_key, region, session) = if let Some(session) = get("sso_session") {
            let s = set.sso_session(session).ok_or_else(|| {
                fail(format!(
                    "profile `{name}`: there is no [sso-session {session}] in the config file"
                ))
            })?;
            let region = s
                .get("sso_region")
                .filter(|r| !r.is_empty())
                .ok_or_else(|| fail(format!("[sso-session {session}] has no sso_region")))?;
            (session.to_owned(), region.clone(), true)
        } else {
            (
                need("sso_start_url")?.to_owned(),
                need("sso_region")?.to_owned(),
                false,
            )
        };
        let env = |name: &str| self.var(name);
        let home = profile::home_dir(&env)
            .ok_or_else(|| fail("SSO: neither HOME nor USERPROFILE is set"))?;
        let file = home.join(".aws").join("sso").join("cache").join(format!(
            "{}.json",
            hex(&crate::checksum::sha1(cache_key.as_bytes()))
        ));
        let mut token = SsoToken::read(&file)?;
        if token.expires_at <= now() {
            if !session {
                return Err(fail(format!(
                    "the SSO token for profile `{name}` has expired; run `aws sso login --profile {name}`"
                )));
            }
            token = self.refresh_sso(&file, token, &region, name)?;
        }
        let endpoint = self.endpoint("SSO", format!("https://portal.sso.{region}.amazonaws.com"));
        let request = http::Request::builder()
            .method("GET")
            .uri(format!(
                "{endpoint}/federation/credentials?account_id={}&role_name={}",
                form_encode(account),
                form_encode(role)
            ))
            .header(
                "x-amz-sso_bearer_token",
                http::HeaderValue::from_str(&token.access_token)
                    .map_err(|_| fail("the cached SSO token is not a header value"))?,
            )
            .body(Vec::new())
            .map_err(|_| fail("SSO: an invalid endpoint or account"))?;
        let response = self.http(request, SERVICE_TIMEOUT, "SSO GetRoleCredentials")?;
        let status = response.status().as_u16();
        let value = crate::value::parse(response.body()).map_err(|_| {
            fail(format!(
                "SSO GetRoleCredentials: HTTP {status}, a body that is not JSON"
            ))
        })?;
        if !(200..300).contains(&status) {
            let message = value.get("message").and_then(Value::as_str).unwrap_or("");
            return Err(fail(format!(
                "SSO GetRoleCredentials: HTTP {status}: {message}"
            )));
        }
        let rc = value
            .get("roleCredentials")
            .ok_or_else(|| fail("SSO GetRoleCredentials: no roleCredentials"))?;
        let field = |k: &str| {
            rc.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("SSO GetRoleCredentials: no {k}")))
        };
        let expires = rc
            .get("expiration")
            .and_then(Value::as_i64)
            .map(|ms| ms / 1000);
        Ok(Resolved {
            credentials: Credentials::new(
                field("accessKeyId")?,
                field("secretAccessKey")?,
                Some(field("sessionToken")?),
            ),
            expires,
        })
    }

    /// SSO-OIDC `CreateToken` with the refresh token; the new token is written back to the
    /// cache file, as the AWS CLI does.
    fn refresh_sso(
        &self,
        file: &Path,
        old: SsoToken,
        region: &str,
        name: &str,
    ) -> Result<SsoToken> {
        let expired = || {
            fail(format!(
                "the SSO token for profile `{name}` has expired and cannot be refreshed; run `aws sso login --profile {name}`"
            ))
        };
        let (Some(refresh), Some(client_id), Some(client_secret)) =
            (&old.refresh_token, &old.client_id, &old.client_secret)
        else {
            return Err(expired());
        };
        let endpoint = self.endpoint("SSO_OIDC", format!("https://oidc.{region}.amazonaws.com"));
        let body = format!(
            "{{\"clientId\":{},\"clientSecret\":{},\"grantType\":\"refresh_token\",\"refreshToken\":{}}}",
            json_string(client_id),
            json_string(client_secret),
            json_string(refresh)
        );
        let request = http::Request::builder()
            .method("POST")
            .uri(format!("{endpoint}/token"))
            .header("content-type", "application/json")
            .body(body.into_bytes())
            .map_err(|_| fail("SSO-OIDC: an invalid endpoint"))?;
        let response = self.http(request, SERVICE_TIMEOUT, "SSO-OIDC CreateToken")?;
        if !response.status().is_success() {
            return Err(fail(format!(
                "SSO-OIDC CreateToken: HTTP {}; run `aws sso login --profile {name}`",
                response.status().as_u16()
            )));
        }
        let value = crate::value::parse(response.body())
            .map_err(|_| fail("SSO-OIDC CreateToken: a body that is not JSON"))?;
        let access_token = value
            .get("accessToken")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("SSO-OIDC CreateToken: no accessToken"))?
            .to_owned();
        let expires_in = value
            .get("expiresIn")
            .and_then(Value::as_i64)
            .ok_or_else(|| fail("SSO-OIDC CreateToken: no expiresIn"))?;
        let token = SsoToken {
            access_token,
            expires_at: now() + expires_in,
            refresh_token: value
                .get("refreshToken")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or(old.refresh_token),
            client_id: old.client_id,
            client_secret: old.client_secret,
            rest: old.rest,
        };
        token.write(file)?;
        Ok(token)
    }
}

const NONE_FOUND: &str = "no AWS credentials found: not in the environment (AWS_ACCESS_KEY_ID), the shared config and credentials files, web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the container (AWS_CONTAINER_CREDENTIALS_*) or EC2 instance metadata";

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.resolve()))
    }
}

fn static_keys(name: &str, p: &Properties) -> Result<Option<Credentials>> {
    let get = |key: &str| p.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let Some(id) = get("aws_access_key_id") else {
        return Ok(None);
    };
    let secret = get("aws_secret_access_key").ok_or_else(|| {
        fail(format!(
            "profile `{name}` has aws_access_key_id but no aws_secret_access_key"
        ))
    })?;
    Ok(Some(Credentials::new(
        id,
        secret,
        get("aws_session_token").map(str::to_owned),
    )))
}

/// Runs `credential_process` through the shell and reads its JSON (`Version` 1).
fn credential_process(name: &str, command: &str) -> Result<Resolved> {
    let what = format!("profile `{name}`: credential_process");
    #[cfg(windows)]
    let output = std::process::Command::new("cmd")
        .args(["/C", command])
        .output();
    #[cfg(not(windows))]
    let output = std::process::Command::new("sh")
        .args(["-c", command])
        .output();
    let output = output.map_err(|e| fail(format!("{what}: cannot run it: {e}")))?;
    if !output.status.success() {
        // Its output may hold secrets: only the status is said.
        return Err(fail(format!("{what} failed ({})", output.status)));
    }
    let value = crate::value::parse(&output.stdout)
        .map_err(|_| fail(format!("{what}: its output is not JSON")))?;
    if value.get("Version").and_then(Value::as_i64) != Some(1) {
        return Err(fail(format!("{what}: its output must have \"Version\": 1")));
    }
    keys_json(&value, "SessionToken", &what)
}

/// The JSON the ECS agent and IMDS serve: `AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration` (and IMDS's `Code`).
fn metadata_json(body: &[u8], what: &str) -> Result<Resolved> {
    let value =
        crate::value::parse(body).map_err(|_| fail(format!("{what}: the response is not JSON")))?;
    if let Some(code) = value.get("Code").and_then(Value::as_str) {
        if code != "Success" {
            return Err(fail(format!("{what}: Code {code}")));
        }
    }
    keys_json(&value, "Token", what)
}

/// The keys in `value` (the JSON of `credential_process`, the ECS agent and IMDS):
/// `AccessKeyId`, `SecretAccessKey`, the session token under `token`, and `Expiration`.
fn keys_json(value: &Value, token: &str, what: &str) -> Result<Resolved> {
    let field = |k: &str| {
        value
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let (Some(id), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err(fail(format!(
            "{what}: needs AccessKeyId and SecretAccessKey"
        )));
    };
    let expires = field("Expiration")
        .map(|t| {
            crate::DateTime::parse_date_time(t)
                .map(|d| d.secs())
                .map_err(|_| fail(format!("{what}: the Expiration is not a date-time")))
        })
        .transpose()?;
    Ok(Resolved {
        credentials: Credentials::new(id, secret, field(token).map(str::to_owned)),
        expires,
    })
}

/// The leaf elements of an XML document, by name (the first of each name): enough for STS's
/// `<Credentials>` and `<Error>`, whatever wraps them.
fn xml_fields(body: &[u8]) -> std::result::Result<BTreeMap<String, String>, String> {
    use crate::xml::read::{Content, Reader};
    let mut r = Reader::new(body).map_err(|e| e.to_string())?;
    r.root().map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    // The open elements below the root: (name, whether it has children).
    let mut stack: Vec<(String, bool)> = Vec::new();
    loop {
        match r.next_child_or_text().map_err(|e| e.to_string())? {
            Content::Child(el) => {
                if let Some(parent) = stack.last_mut() {
                    parent.1 = true;
                }
                stack.push((el.name().to_owned(), false));
            }
            Content::End(text) => match stack.pop() {
                Some((name, false)) => {
                    out.entry(name).or_insert_with(|| text.trim().to_owned());
                }
                Some((_, true)) => {}
                None => break,
            },
        }
    }
    Ok(out)
}

/// A token `aws sso login` cached: the fields swage reads, and the rest kept as they were.
struct SsoToken {
    access_token: String,
    expires_at: i64,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    rest: BTreeMap<String, Value>,
}

impl SsoToken {
    fn read(file: &Path) -> Result<SsoToken> {
        let login = || {
            format!(
                "run `aws sso login` (no usable token in {})",
                file.display()
            )
        };
        let bytes = std::fs::read(file).map_err(|_| fail(login()))?;
        let value = crate::value::parse(&bytes)
            .map_err(|_| fail(format!("{}: not JSON; {}", file.display(), login())))?;
        let map = value.as_object().ok_or_else(|| {
            fail(format!(
                "{}: not a JSON object; {}",
                file.display(),
                login()
            ))
        })?;
        let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        let access_token = text("accessToken")
            .ok_or_else(|| fail(format!("{}: no accessToken; {}", file.display(), login())))?;
        let expires_at = text("expiresAt")
            .and_then(|t| crate::DateTime::parse_date_time(&t).ok())
            .ok_or_else(|| {
                fail(format!(
                    "{}: no valid expiresAt; {}",
                    file.display(),
                    login()
                ))
            })?
            .secs();
        let known = [
            "accessToken",
            "expiresAt",
            "refreshToken",
            "clientId",
            "clientSecret",
        ];
        Ok(SsoToken {
            access_token,
            expires_at,
            refresh_token: text("refreshToken"),
            client_id: text("clientId"),
            client_secret: text("clientSecret"),
            rest: map
                .iter()
                .filter(|(k, _)| !known.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }

    fn write(&self, file: &Path) -> Result<()> {
        let mut fields: Vec<String> = vec![
            format!("\"accessToken\":{}", json_string(&self.access_token)),
            format!(
                "\"expiresAt\":{}",
                json_string(
                    &crate::DateTime::from_secs_f64(self.expires_at as f64)
                        .map(|d| d.to_date_time())
                        .unwrap_or_default()
                )
            ),
        ];
        for (key, value) in [
            ("refreshToken", &self.refresh_token),
            ("clientId", &self.client_id),
            ("clientSecret", &self.client_secret),
        ] {
            if let Some(v) = value {
                fields.push(format!("\"{key}\":{}", json_string(v)));
            }
        }
        for (k, v) in &self.rest {
            if let Some(s) = v.as_str() {
                fields.push(format!("{}:{}", json_string(k), json_string(s)));
            }
        }
        let text = format!("{{{}}}", fields.join(","));
        let temp = file.with_extension("json.swage-tmp");
        std::fs::write(&temp, text)
            .and_then(|()| std::fs::rename(&temp, file))
            .map_err(|e| {
                fail(format!(
                    "writing the refreshed SSO token to {}: {e}",
                    file.display()
                ))
            })
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Form and query encoding: unreserved characters as they are, everything else
/// percent-encoded.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::request::percent_encode_into(&mut out, s, false);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
