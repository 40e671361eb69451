//! The assertions behind `cargo xtask protocol-tests`.
//!
//! The generator turns every `smithy.test#httpRequestTests` and `httpResponseTests` case of a
//! model into a `#[test]` in the generated crate (see `swage_codegen::compliance`); those tests
//! build the input through the public builder, serialize it, and hand the request and the case
//! to [`RequestCase::check`], or parse a response and compare it with [`assert_same`]. Every
//! difference is reported at once, each naming what the case expected.

use swage_runtime::http;

/// What a request test case expects of the serialized request (the fields of
/// `smithy.test#httpRequestTests`).
#[derive(Debug, Clone, Default)]
pub struct RequestCase<'a> {
    /// The case id.
    pub id: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without the query string.
    pub uri: &'a str,
    /// The host the request must go to (`resolvedHost`), when the case says.
    pub resolved_host: Option<&'a str>,
    /// `key=value` pairs, as encoded on the wire, that must all be in the query string.
    pub query_params: &'a [&'a str],
    /// Keys that must not be in the query string.
    pub forbid_query_params: &'a [&'a str],
    /// Keys that must be in the query string.
    pub require_query_params: &'a [&'a str],
    /// Headers that must be present with exactly these values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present, with any value.
    pub require_headers: &'a [&'a str],
    /// The body, when the case gives one.
    pub body: Option<&'a str>,
    /// The body's media type: `application/json` bodies are compared as JSON values.
    pub body_media_type: Option<&'a str>,
}

/// Splits a query string into its `key=value` pairs, still percent-encoded.
fn query_pairs(query: &str) -> Vec<&str> {
    query.split('&').filter(|p| !p.is_empty()).collect()
}

fn query_key(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(k, _)| k)
}

impl RequestCase<'_> {
    /// Every way `request` differs from the case; empty when it matches.
    pub fn differences(&self, request: &http::Request<Vec<u8>>) -> Vec<String> {
        let mut out = Vec::new();
        if request.method().as_str() != self.method {
            out.push(format!(
                "method: expected {}, got {}",
                self.method,
                request.method()
            ));
        }
        let uri = request.uri();
        if uri.path() != self.uri {
            out.push(format!(
                "path: expected `{}`, got `{}`",
                self.uri,
                uri.path()
            ));
        }
        if let Some(host) = self.resolved_host {
            if uri.host() != Some(host) {
                out.push(format!(
                    "host: expected `{host}`, got `{}`",
                    uri.host().unwrap_or("<none>")
                ));
            }
        }
        let pairs = query_pairs(uri.query().unwrap_or(""));
        for expected in self.query_params {
            if !pairs.contains(expected) {
                out.push(format!(
                    "query: expected `{expected}` in `{}`",
                    uri.query().unwrap_or("")
                ));
            }
        }
        for key in self.forbid_query_params {
            if pairs.iter().any(|p| query_key(p) == *key) {
                out.push(format!("query: `{key}` must not be sent"));
            }
        }
        for key in self.require_query_params {
            if !pairs.iter().any(|p| query_key(p) == *key) {
                out.push(format!("query: `{key}` must be sent"));
            }
        }
        let headers = request.headers();
        for (name, value) in self.headers {
            let got: Vec<&str> = headers
                .get_all(*name)
                .iter()
                .map(|v| v.to_str().unwrap_or("<not text>"))
                .collect();
            match got.as_slice() {
                [] => out.push(format!(
                    "header `{name}`: expected `{value}`, it is missing"
                )),
                [one] if one == value => {}
                _ => out.push(format!(
                    "header `{name}`: expected `{value}`, got `{}`",
                    got.join("` and `")
                )),
            }
        }
        for name in self.forbid_headers {
            if headers.contains_key(*name) {
                out.push(format!("header `{name}` must not be sent"));
            }
        }
        for name in self.require_headers {
            if !headers.contains_key(*name) {
                out.push(format!("header `{name}` must be sent"));
            }
        }
        if let Some(expected) = self.body {
            if let Some(d) = body_difference(expected, request.body(), self.body_media_type) {
                out.push(d);
            }
        }
        out
    }

    /// Panics with every difference, if `request` does not match the case.
    #[track_caller]
    pub fn check(&self, request: &http::Request<Vec<u8>>) {
        let differences = self.differences(request);
        if !differences.is_empty() {
            panic!(
                "{}: the request differs from the case:\n  {}",
                self.id,
                differences.join("\n  ")
            );
        }
    }
}

/// How `actual` differs from the expected body, if it does: JSON media types compare as JSON
/// values (key order and whitespace do not matter), anything else byte for byte.
pub fn body_difference(expected: &str, actual: &[u8], media_type: Option<&str>) -> Option<String> {
    let shown = String::from_utf8_lossy(actual);
    let json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if json && !(expected.is_empty() && actual.is_empty()) {
        let want: Result<serde_json::Value, _> = serde_json::from_str(expected);
        let got: Result<serde_json::Value, _> = serde_json::from_slice(actual);
        return match (want, got) {
            (Ok(w), Ok(g)) if w == g => None,
            (Ok(_), Ok(_)) => Some(format!("body: expected JSON {expected}, got {shown}")),
            (Err(e), _) => Some(format!(
                "body: the case's JSON does not parse ({e}): {expected}"
            )),
            (_, Err(e)) => Some(format!(
                "body: not JSON ({e}): `{shown}`, expected {expected}"
            )),
        };
    }
    if media_type.is_some_and(|m| m == "application/xml" || m.ends_with("+xml"))
        && !(expected.trim().is_empty() && actual.is_empty())
    {
        return match (canonical_xml(expected.as_bytes()), canonical_xml(actual)) {
            (Ok(w), Ok(g)) if w == g => None,
            (Ok(w), Ok(g)) => Some(format!("body: expected XML {w}, got {g} (`{shown}`)")),
            (Err(e), _) => Some(format!(
                "body: the case's XML does not read ({e}): {expected}"
            )),
            (_, Err(e)) => Some(format!(
                "body: not XML ({e}): `{shown}`, expected {expected}"
            )),
        };
    }
    if media_type == Some("application/x-www-form-urlencoded") {
        // The same fields, in any order (cases may break lines between them).
        let fields = |text: &str| {
            let mut fields: Vec<String> = text
                .split('&')
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect();
            fields.sort();
            fields
        };
        return (fields(expected) != fields(&shown))
            .then(|| format!("body: expected the form `{expected}`, got `{shown}`"));
    }
    (expected.as_bytes() != actual).then(|| format!("body: expected `{expected}`, got `{shown}`"))
}

/// An XML document in a form that compares as XML does: each element with its name, its
/// attributes sorted, and either its children or its text (white space between elements
/// ignored). Sibling elements are compared in any order, as the AWS SDKs' protocol test
/// harnesses do: a map's entries have no order (a generated map is a `HashMap`), and member
/// order is not significant in the protocols' XML.
fn canonical_xml(body: &[u8]) -> Result<String, String> {
    fn element(
        r: &mut swage_runtime::xml::Reader<'_>,
        e: &swage_runtime::xml::Element<'_>,
        out: &mut String,
    ) -> Result<(), swage_runtime::xml::XmlError> {
        out.push('<');
        if !e.prefix().is_empty() {
            out.push_str(e.prefix());
            out.push(':');
        }
        out.push_str(e.name());
        let mut attributes: Vec<String> = e
            .attributes()
            .map(|(name, value)| format!(" {name}={value:?}"))
            .collect();
        attributes.sort();
        out.push_str(&attributes.concat());
        out.push('>');
        // Children if it has any, else its text.
        let mut children = Vec::new();
        let text = loop {
            match r.next_child_or_text()? {
                swage_runtime::xml::read::Content::Child(child) => {
                    let mut one = String::new();
                    element(r, &child, &mut one)?;
                    children.push(one);
                }
                swage_runtime::xml::read::Content::End(text) => break text,
            }
        };
        if !children.is_empty() {
            children.sort();
            out.push_str(&children.concat());
        } else {
            out.push_str(&format!("{text:?}"));
        }
        out.push_str("</>");
        Ok(())
    }
    let mut r = swage_runtime::xml::Reader::new(body).map_err(|e| e.to_string())?;
    let root = r.root().map_err(|e| e.to_string())?;
    let mut out = String::new();
    element(&mut r, &root, &mut out).map_err(|e| e.to_string())?;
    r.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A header map from a case's `headers`; a name or value `http` rejects is a failed test.
#[track_caller]
pub fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|e| panic!("header name `{name}`: {e}"));
        let value = http::HeaderValue::from_str(value)
            .unwrap_or_else(|e| panic!("header `{name}` value `{value}`: {e}"));
        map.append(name, value);
    }
    map
}

/// Whether two values are the same, where a float `NaN` equals `NaN` (as the protocol tests
/// require). Values equal by `PartialEq` are the same; otherwise they are the same only when
/// they hold a NaN and print identically, which is what tells NaN apart from any real
/// difference.
pub fn same<T: PartialEq + std::fmt::Debug>(actual: &T, expected: &T) -> bool {
    if actual == expected {
        return true;
    }
    let (a, e) = (format!("{actual:?}"), format!("{expected:?}"));
    a == e && a.contains("NaN")
}

/// Panics unless [`same`].
#[track_caller]
pub fn assert_same<T: PartialEq + std::fmt::Debug>(id: &str, actual: &T, expected: &T) {
    if !same(actual, expected) {
        panic!("{id}: the parsed value differs from the case\n  expected: {expected:?}\n       got: {actual:?}");
    }
}

/// Panics unless `actual` carries `request_id` (read from the response) and is otherwise
/// [`same`] as `expected`, which, built from the case's params, carries none.
#[track_caller]
pub fn assert_same_with_request_id<T: PartialEq + std::fmt::Debug>(
    id: &str,
    actual: &T,
    expected: &T,
    actual_request_id: Option<&str>,
    request_id: &str,
) {
    assert_eq!(
        actual_request_id,
        Some(request_id),
        "{id}: the request id is not read from the response"
    );
    let shown = format!("{actual:?}").replacen(
        &format!("_request_id: Some({request_id:?})"),
        "_request_id: None",
        1,
    );
    let wanted = format!("{expected:?}");
    if shown != wanted {
        panic!("{id}: the parsed value differs from the case\n  expected: {wanted}\n       got: {shown}");
    }
}

/// The idempotency token the protocol tests expect from an injected generator.
pub fn fixed_token() -> String {
    "00000000-0000-4000-8000-000000000000".to_owned()
}

/// Records that case `id` had to go through the builder's `build_unchecked` escape hatch: its
/// params break a constraint of the model (the spec says clients should not enforce
/// constraints when serializing; swage's builders do by default, on purpose). The line goes to
/// the file named by `SWAGE_COMPLIANCE_LOG`, for `cargo xtask protocol-tests` to list.
pub fn escape_hatch(id: &str, violations: &dyn std::fmt::Display) {
    let Some(file) = std::env::var_os("SWAGE_COMPLIANCE_LOG") else {
        return;
    };
    let line = format!(
        "{id}\t{}\n",
        violations.to_string().replace(['\n', '\t'], " ")
    );
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        // One write per line, so lines from tests on other threads don't interleave.
        let _ = f.write_all(line.as_bytes());
    }
}

/// Checks that endpoint case `id` resolved to `url`, with `properties` (a JSON object's text) and
/// `headers`.
#[track_caller]
pub fn expect_endpoint(
    id: &str,
    result: Result<swage_runtime::endpoint::Endpoint, swage_runtime::endpoint::EndpointError>,
    url: &str,
    properties: &str,
    headers: &[(&str, &[&str])],
) {
    let endpoint = match result {
        Ok(e) => e,
        Err(e) => panic!("{id}: expected the endpoint {url}, got the error {e}"),
    };
    assert_eq!(endpoint.url, url, "{id}: url");
    let wanted = swage_runtime::value::parse(properties.as_bytes())
        .unwrap_or_else(|e| panic!("{id}: the expected properties are not JSON: {e}"));
    assert_eq!(
        swage_runtime::Document::Object(endpoint.properties),
        wanted,
        "{id}: properties"
    );
    let wanted: std::collections::BTreeMap<String, Vec<String>> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(endpoint.headers, wanted, "{id}: headers");
}

/// Checks that endpoint case `id` failed to resolve, with `message`.
#[track_caller]
pub fn expect_endpoint_error(
    id: &str,
    result: Result<swage_runtime::endpoint::Endpoint, swage_runtime::endpoint::EndpointError>,
    message: &str,
) {
    match result {
        Ok(e) => panic!(
            "{id}: expected the error {message:?}, got the endpoint {}",
            e.url
        ),
        Err(e) => assert_eq!(e.to_string(), message, "{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> http::Request<Vec<u8>> {
        http::Request::builder()
            .method("POST")
            .uri("https://example.com/a/b?x=1&y=two%20words&flag")
            .header("content-type", "application/json")
            .header("x-list", "a, b")
            .body(br#"{"b": [1, 2], "a": "x"}"#.to_vec())
            .unwrap()
    }

    fn case() -> RequestCase<'static> {
        RequestCase {
            id: "Case",
            method: "POST",
            uri: "/a/b",
            resolved_host: Some("example.com"),
            query_params: &["x=1", "y=two%20words"],
            forbid_query_params: &["z"],
            require_query_params: &["flag"],
            headers: &[("Content-Type", "application/json"), ("X-List", "a, b")],
            forbid_headers: &["x-other"],
            require_headers: &["x-list"],
            body: Some(r#"{"a":"x","b":[1,2]}"#),
            body_media_type: Some("application/json"),
        }
    }

    #[test]
    fn a_matching_request_passes() {
        assert_eq!(case().differences(&request()), Vec::<String>::new());
    }

    #[test]
    fn every_difference_is_reported() {
        let c = RequestCase {
            method: "PUT",
            uri: "/a",
            resolved_host: Some("other.example.com"),
            query_params: &["x=2"],
            forbid_query_params: &["flag"],
            require_query_params: &["z"],
            headers: &[("x-list", "a,b"), ("x-missing", "1")],
            forbid_headers: &["content-type"],
            require_headers: &["x-required"],
            body: Some(r#"{"a":"y","b":[1,2]}"#),
            ..case()
        };
        let d = c.differences(&request());
        assert_eq!(d.len(), 11, "{d:#?}");
        assert!(d.iter().any(|x| x.starts_with("body: expected JSON")));
    }

    #[test]
    fn xml_bodies_compare_as_xml() {
        let xml = Some("application/xml");
        assert_eq!(
            body_difference(
                "<A b=\"1\" c=\"2\">\n  <B>x</B>\n  <C/>\n</A>",
                b"<A c=\"2\" b=\"1\"><B>x</B><C></C></A>",
                xml
            ),
            None
        );
        assert_eq!(
            body_difference("<A><B/><C/></A>", b"<A><C/><B/></A>", xml),
            None
        );
        assert!(body_difference("<A><B>x</B></A>", b"<A><B>y</B></A>", xml).is_some());
        assert!(body_difference("<A><B>x</B></A>", b"<A><C>x</C></A>", xml).is_some());
        assert!(body_difference("<A/>", b"<A", xml).is_some());
    }

    #[test]
    fn form_bodies_compare_as_fields() {
        let form = Some("application/x-www-form-urlencoded");
        assert_eq!(body_difference("A=1&B=2", b"B=2&A=1", form), None);
        assert_eq!(body_difference("A=1\n&B=2", b"A=1&B=2", form), None);
        assert!(body_difference("A=1&B=2", b"A=1&B=3", form).is_some());
        assert!(body_difference("A=1&B=2", b"A=1", form).is_some());
    }

    #[test]
    fn non_json_bodies_compare_as_bytes() {
        assert_eq!(body_difference("a b", b"a b", Some("text/plain")), None);
        assert!(body_difference("{}", b"{ }", Some("application/octet-stream")).is_some());
        assert_eq!(
            body_difference("{}", b"{ }", Some("application/json")),
            None
        );
        assert_eq!(body_difference("", b"", Some("application/json")), None);
        assert!(body_difference("{}", b"", Some("application/json")).is_some());
    }

    #[test]
    fn escape_hatch_cases_are_logged_one_line_each() {
        let file =
            std::env::temp_dir().join(format!("swage-compliance-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&file);
        // The only test that sets the variable; nothing else in this binary reads it.
        std::env::set_var("SWAGE_COMPLIANCE_LOG", &file);
        escape_hatch("CaseA", &"/Name: too long\n/Tags/0: bad");
        escape_hatch("CaseB", &"/X: missing");
        std::env::remove_var("SWAGE_COMPLIANCE_LOG");
        escape_hatch("CaseC", &"not logged");
        let text = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_file(&file);
        assert_eq!(
            text,
            "CaseA\t/Name: too long /Tags/0: bad\nCaseB\t/X: missing\n"
        );
    }

    #[test]
    fn nan_equals_nan_but_nothing_else_is_relaxed() {
        assert!(same(&Some(f64::NAN), &Some(f64::NAN)));
        assert!(same(&vec![1.0f32], &vec![1.0f32]));
        assert!(!same(&Some(f64::NAN), &Some(1.0)));
        assert!(!same(&(f64::NAN, 1), &(f64::NAN, 2)));
    }
}
