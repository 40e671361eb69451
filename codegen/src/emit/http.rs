//! HTTP bindings: what the REST protocols (restJson1, and restXml to come) bind to the URI,
//! query, headers, payload and status code, and the `build_request` every protocol's request
//! goes through (host prefix, the service's fixed headers, compression, checksums).

use super::json::{body_init, body_ts, finish_read, format_tokens, reader};
use super::{ident, type_path};
use crate::ir::{Field, Location, Operation, PathPart, Structure, Type};
use crate::traits::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn payload_field(s: &Structure) -> Option<&Field> {
    s.fields.iter().find(|f| f.location == Location::Payload)
}

/// A parser of header text for `ty` (`Fn(&str) -> Option<T>`), and what it expects.
pub(crate) fn header_parser(f: &Field, ty: &Type) -> (TokenStream, &'static str) {
    let ts = f.timestamp_format.unwrap_or(TimestampFormat::HttpDate);
    match ty {
        Type::String if f.media_type.is_some() => (
            quote! { swage_runtime::response::parse::base64_string },
            "base64 text",
        ),
        Type::String => (quote! { swage_runtime::response::parse::string }, "string"),
        Type::Bool => (
            quote! { swage_runtime::response::parse::boolean },
            "boolean",
        ),
        Type::Byte => (
            quote! { swage_runtime::response::parse::integer::<i8> },
            "integer",
        ),
        Type::Short => (
            quote! { swage_runtime::response::parse::integer::<i16> },
            "integer",
        ),
        Type::Integer => (
            quote! { swage_runtime::response::parse::integer::<i32> },
            "integer",
        ),
        Type::Long => (
            quote! { swage_runtime::response::parse::integer::<i64> },
            "integer",
        ),
        Type::Float => (quote! { swage_runtime::response::parse::float }, "number"),
        Type::Double => (quote! { swage_runtime::response::parse::double }, "number"),
        Type::Blob => (
            quote! { swage_runtime::response::parse::blob },
            "base64 blob",
        ),
        Type::BigNumber => (
            quote! { swage_runtime::response::parse::big_number },
            "number",
        ),
        Type::Timestamp => match ts {
            TimestampFormat::EpochSeconds => (
                quote! { swage_runtime::response::parse::timestamp_epoch_seconds },
                "timestamp",
            ),
            TimestampFormat::DateTime => (
                quote! { swage_runtime::response::parse::timestamp_date_time },
                "timestamp",
            ),
            TimestampFormat::HttpDate => (
                quote! { swage_runtime::response::parse::timestamp_http_date },
                "timestamp",
            ),
        },
        Type::Enum(p) => {
            let p = type_path(p);
            (quote! { |v: &str| Some(#p::from(v)) }, "enum value")
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            (
                quote! { |v: &str| v.parse::<i32>().ok().map(#p::from) },
                "integer",
            )
        }
        Type::Document => (
            quote! { |v: &str| swage_runtime::json::parse_body(v.as_bytes()).ok() },
            "JSON",
        ),
        Type::Struct(_) | Type::Union(_) | Type::List { .. } | Type::Map { .. } => {
            (quote! { |_: &str| Option::<()>::None }, "scalar")
        }
    }
}

/// The body and `Content-Type` statements for an input's `@httpPayload` member `p` (the REST
/// protocols): a blob, string or enum is its own bytes, typed by its `@mediaType` or the type's
/// default; anything else is the codec's `structured(type)`, `(bytes of value, content type)`.
/// An unset member is the body `unset`.
pub(crate) fn payload_body(
    p: &Field,
    structured: impl FnOnce(&Type) -> (TokenStream, String),
    unset: TokenStream,
) -> (TokenStream, TokenStream) {
    let field = ident(&p.name);
    let access = if p.required {
        quote! { Some(&input.#field) }
    } else {
        quote! { input.#field.as_ref() }
    };
    let typed = |default: &str| p.media_type.clone().unwrap_or_else(|| default.into());
    let (bytes, ct) = match &p.ty {
        Type::Blob => (quote! { value.clone() }, typed("application/octet-stream")),
        Type::String => (quote! { value.as_bytes().to_vec() }, typed("text/plain")),
        Type::Enum(_) => (
            quote! { value.as_str().as_bytes().to_vec() },
            typed("text/plain"),
        ),
        other => structured(other),
    };
    (
        quote! { let body = match #access { Some(value) => #bytes, None => #unset }; },
        // A member bound to `Content-Type` sets it; otherwise the payload's type does.
        quote! {
            if !body.is_empty() && !request.headers_ref().is_some_and(|h| h.contains_key(swage_runtime::http::header::CONTENT_TYPE)) {
                request = request.header("content-type", #ct);
            }
        },
    )
}

/// The initializer of a field read from a whole response (outputs and errors).
pub(crate) fn response_member(f: &Field) -> TokenStream {
    let missing = quote! { swage_runtime::ParseError::missing };
    match &f.location {
        // Body members were read into locals, once for the structure.
        Location::Body => body_init(f),
        Location::Header(name) => {
            let read = match &f.ty {
                Type::List { item, .. }
                    if **item == Type::Timestamp
                        && f.timestamp_format.unwrap_or(TimestampFormat::HttpDate)
                            == TimestampFormat::HttpDate =>
                {
                    quote! { response.http_date_list(#name)? }
                }
                Type::List { item, .. } => {
                    let (parse, expected) = header_parser(f, item);
                    quote! { response.header_list(#name, #expected, #parse)? }
                }
                t if f.lenient => {
                    let (parse, expected) = header_parser(f, t);
                    quote! { response.header(#name, #expected, #parse).ok().flatten() }
                }
                t => {
                    let (parse, expected) = header_parser(f, t);
                    quote! { response.header(#name, #expected, #parse)? }
                }
            };
            finish_read(f, read, missing)
        }
        Location::PrefixHeaders(prefix) => {
            finish_read(f, quote! { response.prefix_headers(#prefix) }, missing)
        }
        Location::ResponseCode if f.required => quote! { i32::from(response.status()) },
        Location::ResponseCode => quote! { Some(i32::from(response.status())) },
        Location::Payload => {
            let read = match &f.ty {
                Type::Blob => quote! { Some(response.body().to_vec()).filter(|b| !b.is_empty()) },
                Type::String => quote! { Some(response.text()?).filter(|t| !t.is_empty()) },
                Type::Enum(p) => {
                    let p = type_path(p);
                    quote! { Some(response.text()?).filter(|t| !t.is_empty()).map(|t| #p::from(t.as_str())) }
                }
                t => {
                    let read = reader(t, body_ts(f));
                    quote! {
                        if response.body().is_empty() {
                            None
                        } else {
                            Some(swage_runtime::json::read::body(response.body(), #read)?)
                        }
                    }
                }
            };
            finish_read(f, read, missing)
        }
        Location::Label { .. } | Location::Query(_) | Location::QueryParams => {
            finish_read(f, quote! { None }, missing)
        }
    }
}

/// An expression of type `&str` giving the text of a scalar `value: &T` in a label, query or
/// header (owned text is borrowed from a temporary, so use it directly as an argument).
pub(crate) fn text_of(
    f: &Field,
    ty: &Type,
    value: TokenStream,
    default: TimestampFormat,
) -> TokenStream {
    match ty {
        Type::String if f.media_type.is_some() && matches!(f.location, Location::Header(_)) => {
            quote! { &swage_runtime::blob::encode(#value.as_bytes()) }
        }
        Type::String | Type::Enum(_) => quote! { #value.as_str() },
        Type::IntEnum(_) => quote! { &#value.value().to_string() },
        Type::Float => quote! { &swage_runtime::request::float_text(*#value) },
        Type::Double => quote! { &swage_runtime::request::double_text(*#value) },
        Type::Blob => quote! { &swage_runtime::blob::encode(#value) },
        Type::Timestamp => {
            let f = format_tokens(f.timestamp_format.unwrap_or(default));
            quote! { &#value.format(#f) }
        }
        _ => quote! { &#value.to_string() },
    }
}

/// The statements that bind one input field to the request (query, headers, payload).
pub(crate) fn bind_field(f: &Field, input: &Structure) -> TokenStream {
    let field = ident(&f.name);
    let access = if f.required {
        quote! { Some(&input.#field) }
    } else {
        quote! { input.#field.as_ref() }
    };
    let body = match &f.location {
        Location::Query(name) => match &f.ty {
            Type::List { item, .. } => {
                let text = text_of(f, item, quote! { item }, TimestampFormat::DateTime);
                quote! { for item in value.iter() { uri.query(#name, #text); } }
            }
            t => {
                let text = text_of(f, t, quote! { value }, TimestampFormat::DateTime);
                quote! { uri.query(#name, #text); }
            }
        },
        Location::QueryParams => {
            let bound: Vec<&str> = input
                .fields
                .iter()
                .filter_map(|g| {
                    if let Location::Query(n) = &g.location {
                        Some(n.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            let each = match &f.ty {
                Type::Map { value, .. } if matches!(**value, Type::List { .. }) => {
                    quote! { for item in items.iter() { uri.query(key, item); } }
                }
                _ => quote! { uri.query(key, items); },
            };
            quote! {
                let mut keys: Vec<&String> = value.keys().collect();
                keys.sort();
                for key in keys {
                    // Members bound with `@httpQuery` take precedence.
                    if [#(#bound),*].contains(&key.as_str()) { continue; }
                    if let Some(items) = value.get(key) { #each }
                }
            }
        }
        Location::Header(name) => {
            let text = match &f.ty {
                Type::List { item, .. } => {
                    let each = text_of(f, item, quote! { item }, TimestampFormat::HttpDate);
                    let join = if **item == Type::Timestamp
                        && f.timestamp_format.unwrap_or(TimestampFormat::HttpDate)
                            == TimestampFormat::HttpDate
                    {
                        quote! { header_list_unquoted }
                    } else {
                        quote! { header_list }
                    };
                    quote! { &swage_runtime::request::#join(value.iter().map(|item| ToString::to_string(#each)).collect::<Vec<_>>().iter().map(String::as_str)) }
                }
                t => text_of(f, t, quote! { value }, TimestampFormat::HttpDate),
            };
            quote! { request = request.header(#name, swage_runtime::request::header_value(#name, #text)?); }
        }
        Location::PrefixHeaders(prefix) => {
            let bound: Vec<String> = input
                .fields
                .iter()
                .filter_map(|g| {
                    if let Location::Header(n) = &g.location {
                        Some(n.to_ascii_lowercase())
                    } else {
                        None
                    }
                })
                .collect();
            quote! {
            let mut keys: Vec<&String> = value.keys().collect();
            keys.sort();
            for key in keys {
                let name = ::std::format!("{}{}", #prefix, key);
                // Members bound with `@httpHeader` take precedence.
                if [#(#bound),*].contains(&name.to_ascii_lowercase().as_str()) { continue; }
                if let Some(item) = value.get(key) {
                    request = request.header(name.as_str(), swage_runtime::request::header_value(&name, item)?);
                }
            }
            }
        }
        _ => return TokenStream::new(),
    };
    quote! { if let Some(value) = #access { #body } }
}

/// The parts of an operation's `build_request` its protocol decides; [`build_request`] adds
/// what every protocol shares.
pub(crate) struct RequestParts {
    /// The HTTP method, as an expression.
    pub method: TokenStream,
    /// Statements on `uri` (a `swage_runtime::UriBuilder` of the endpoint): path and query.
    pub uri: TokenStream,
    /// Statements that bind `body: Vec<u8>`.
    pub body: TokenStream,
    /// Statements on `request` (an `http::request::Builder`) that set headers from the input.
    pub headers: Vec<TokenStream>,
    /// Statements on `request` that set the content type (and any protocol header).
    pub content_type: TokenStream,
    /// Whether the statements above read `input`.
    pub uses_input: bool,
}

/// The operation's `build_request`: the protocol's `parts`, with what all protocols share
/// around them: the host prefix (`@endpoint`), a host taken from the input (a service
/// customization), the operation's fixed headers, compression and checksums.
pub(crate) fn build_request(op: &Operation, input: &Structure, parts: RequestParts) -> TokenStream {
    let RequestParts {
        method,
        uri: uri_steps,
        body,
        headers: header_fields,
        content_type,
        uses_input,
    } = parts;
    let input_ty = type_path(&op.input);
    let host = op.host_prefix.as_ref().map(|parts| {
        let pushes = parts.iter().map(|part| match part {
            PathPart::Literal(text) if text.chars().count() == 1 => {
                let c = text.chars().next().unwrap_or('.');
                quote! { prefix.push(#c); }
            }
            PathPart::Literal(text) => quote! { prefix.push_str(#text); },
            PathPart::Label { field, .. } => {
                let f = ident(field);
                quote! { prefix.push_str(&input.#f); }
            }
        });
        quote! {
            let mut prefix = String::new();
            #(#pushes)*
            uri.host_prefix(&prefix)?;
        }
    });
    let host_from = op.host_from.as_ref().and_then(|name| {
        let f = input.fields.iter().find(|f| &f.name == name)?;
        let field = ident(&f.name);
        Some(if f.required {
            quote! { uri.host_of(&input.#field)?; }
        } else {
            quote! { if let Some(url) = &input.#field { uri.host_of(url)?; } }
        })
    });
    let op_name = &op.wire_name;
    let doc = format!(" Serializes a `{op_name}` request for the service at `endpoint` (such as `https://service.region.api.aws`, with or without a base path). Nothing is sent.");
    let static_headers: Vec<TokenStream> = op
        .static_headers
        .iter()
        .map(|(k, v)| quote! { request = request.header(#k, #v); })
        .collect();
    let mut finish = TokenStream::new();
    if op.gzip {
        finish.extend(quote! { let (request, body) = swage_runtime::compression::gzip_request(request, body); });
    }
    if op.content_md5 {
        finish
            .extend(quote! { let request = swage_runtime::request::content_md5(request, &body); });
    }
    match op.checksums {
        Some(crate::ir::RequestChecksums::GlacierTreeHash) => finish.extend(
            quote! { let request = swage_runtime::customize::glacier::checksums(request, &body); },
        ),
        None => {}
    }
    let mutable =
        if header_fields.is_empty() && content_type.is_empty() && static_headers.is_empty() {
            quote! {}
        } else {
            quote! { mut }
        };
    let unused = (!uses_input).then(|| quote! { let _ = input; });
    // A path left empty (S3's `/{Bucket}`, the bucket placed by the endpoint) adds nothing.
    let uri_mut = if uri_steps.is_empty() && host.is_none() && host_from.is_none() {
        quote! {}
    } else {
        quote! { mut }
    };
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn build_request(
            input: &#input_ty,
            endpoint: &str,
        ) -> Result<swage_runtime::http::Request<Vec<u8>>, swage_runtime::RequestError> {
            #unused
            let #uri_mut uri = swage_runtime::UriBuilder::new(endpoint)?;
            #host_from
            #host
            #uri_steps
            #body
            let #mutable request = swage_runtime::http::Request::builder()
                .method(#method)
                .uri(uri.finish()?);
            #(#static_headers)*
            #(#header_fields)*
            #content_type
            #finish
            swage_runtime::request::finish_request(request, body)
        }
    }
}

/// The REST parts of a request: method, path labels, literal and bound query, headers, and the
/// payload member if there is one (`None` for the body: the protocol's codec writes the other
/// members, see [`super::rest_json`]).
pub(crate) struct RestRequest {
    /// The method expression.
    pub method: TokenStream,
    /// Path and query statements on `uri`.
    pub uri: TokenStream,
    /// Header statements on `request`.
    pub headers: Vec<TokenStream>,
    /// Whether the URI reads the input.
    pub uses_input: bool,
}

/// The HTTP binding of a REST operation: method, path, query and headers.
pub(crate) fn rest_request(http: &crate::ir::HttpBinding, input: &Structure) -> RestRequest {
    let method = match http.method.as_str() {
        m @ ("GET" | "PUT" | "POST" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH" | "TRACE"
        | "CONNECT") => {
            let m = proc_macro2::Ident::new(m, proc_macro2::Span::call_site());
            quote! { swage_runtime::http::Method::#m }
        }
        other => quote! {
            swage_runtime::http::Method::from_bytes(#other.as_bytes()).map_err(|e| swage_runtime::RequestError::Http(e.to_string()))?
        },
    };
    let path = http.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { uri.literal(#text); },
        PathPart::Label { field, wire_name, greedy, empty_default } => {
            let f = ident(field);
            let value = match input.fields.iter().find(|x| x.name == *field) {
                Some(x) if x.ty == Type::String => quote! { &input.#f },
                Some(x) if matches!(x.ty, Type::Enum(_)) => quote! { input.#f.as_str() },
                Some(x) if x.ty == Type::Float => quote! { &swage_runtime::request::float_text(input.#f) },
                Some(x) if x.ty == Type::Double => quote! { &swage_runtime::request::double_text(input.#f) },
                Some(x) => text_of(x, &x.ty, quote! { input.#f }, TimestampFormat::DateTime),
                None => quote! { "" },
            };
            let value = match empty_default {
                Some(d) => quote! { { let value: &str = #value; if value.is_empty() { #d } else { value } } },
                None => value,
            };
            if *greedy {
                quote! { uri.greedy_label(#wire_name, #value)?; }
            } else {
                quote! { uri.label(#wire_name, #value)?; }
            }
        }
    });
    let query = http.literal_query.as_ref().map(|q| {
        let pairs = q
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => quote! { uri.query(#k, #v); },
                None => quote! { uri.query_key(#pair); },
            });
        quote! { #(#pairs)* }
    });
    let query_fields: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| matches!(f.location, Location::Query(_) | Location::QueryParams))
        .map(|f| bind_field(f, input))
        .collect();
    let headers: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| matches!(f.location, Location::Header(_) | Location::PrefixHeaders(_)))
        .map(|f| bind_field(f, input))
        .collect();
    let uses_input = http
        .path
        .iter()
        .any(|p| matches!(p, PathPart::Label { .. }))
        // A label the path leaves out (S3's `{Bucket}`, placed by the endpoint) reads nothing.
        || input
            .fields
            .iter()
            .any(|f| !matches!(f.location, Location::ResponseCode | Location::Label { .. }));
    RestRequest {
        method,
        uri: quote! { #(#path)* #query #(#query_fields)* },
        headers,
        uses_input,
    }
}
