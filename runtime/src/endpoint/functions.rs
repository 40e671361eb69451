//! The rules engine's functions that do more than compare: URL and ARN parsing, host labels,
//! substrings and URI encoding. Each follows the Smithy rules-engine standard library (or the AWS
//! one) and returns `None` where the function returns an empty optional.

/// A URL as `parseURL` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The scheme, without `://`.
    pub scheme: String,
    /// The host and port, as written.
    pub authority: String,
    /// The path exactly as written: empty when the URL has none, `/` when it is just `/`.
    /// (The spec's example table shows `/` for `https://example.com`, but its normative
    /// `endpointTests` and the reference implementation give the path unmodified: a rule
    /// that builds `{url#scheme}://{x}.{url#authority}{url#path}` must give back the URL
    /// with or without its trailing slash as the user wrote it.)
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// `parseURL`: `None` unless `value` is an absolute URL with a scheme and a host, and no query,
/// fragment or user information.
pub fn parse_url(value: &str) -> Option<Url> {
    let (scheme, rest) = value.split_once("://")?;
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = host_of(authority)?;
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let mut normalized_path = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// The host of an authority (without the port); `None` if the port isn't a number.
fn host_of(authority: &str) -> Option<&str> {
    if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        if !after.is_empty() && !after.strip_prefix(':').is_some_and(is_port) {
            return None;
        }
        return Some(&authority[..end + 2]);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if is_port(port) && !host.is_empty() => Some(host),
        Some(_) => None,
        None => Some(authority),
    }
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `isValidHostLabel`: an RFC 1123 label (1 to 63 letters, digits and `-`, not starting with `-`),
/// or with `allow_sub_domains`, several joined by `.`.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// `aws.isVirtualHostableS3Bucket`: a bucket name that can be used as a host name: 3 to 63
/// lowercase letters, digits, `-` (and `.` with `allow_sub_domains`), starting and ending with a
/// letter or digit, not shaped like an IP address, and each label a valid host label.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&value.len())
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes.iter().all(|&b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'-'
                || (allow_sub_domains && b == b'.')
        })
        && !is_ipv4(value)
        && is_valid_host_label(value, allow_sub_domains)
}

/// An ARN as `aws.parseArn` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// The partition, such as `aws`.
    pub partition: String,
    /// The service namespace, such as `s3`.
    pub service: String,
    /// The region (may be empty).
    pub region: String,
    /// The account id (may be empty).
    pub account_id: String,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn`: `arn:partition:service:region:account-id:resource`, where partition, service
/// and resource must not be empty.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `substring`: characters `start..stop` (counted from the end with `reverse`), or `None` if the
/// input is too short, the range is empty or backwards, or the input is not ASCII.
pub fn substring(value: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !value.is_ascii() || start >= stop || stop > value.len() {
        return None;
    }
    if reverse {
        value.get(value.len() - stop..value.len() - start)
    } else {
        value.get(start..stop)
    }
}

/// `uriEncode`: RFC 3986 percent-encoding of everything but the unreserved characters, with
/// uppercase hex digits.
pub fn uri_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    crate::request::percent_encode_into(&mut out, value, false);
    out
}
