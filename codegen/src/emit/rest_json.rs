//! The restJson1 protocol: requests (URI labels, query, headers, payload, JSON body) and
//! responses (JSON bodies, headers, status, error codes). Everything protocol-specific is here.

use super::text::{Stmts, Writer};
use super::{ident, type_path};
use crate::ir::{Field, Location, Operation, PathPart, Role, Structure, Type, Union};
use crate::render::Part;
use crate::traits::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

fn format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::DateTime => quote! { swage_runtime::TimestampFormat::DateTime },
        TimestampFormat::HttpDate => quote! { swage_runtime::TimestampFormat::HttpDate },
        TimestampFormat::EpochSeconds => quote! { swage_runtime::TimestampFormat::EpochSeconds },
    }
}

/// An expression decoding a `&Value` into `ty` (a function or closure).
fn decoder(ty: &Type, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::String => quote! { swage_runtime::json::string },
        Type::Bool => quote! { swage_runtime::json::boolean },
        Type::Byte => quote! { swage_runtime::json::integer::<i8> },
        Type::Short => quote! { swage_runtime::json::integer::<i16> },
        Type::Integer => quote! { swage_runtime::json::integer::<i32> },
        Type::Long => quote! { swage_runtime::json::integer::<i64> },
        Type::Float => quote! { swage_runtime::json::float },
        Type::Double => quote! { swage_runtime::json::double },
        Type::Blob => quote! { swage_runtime::json::blob },
        Type::Document => quote! { swage_runtime::json::document },
        Type::BigNumber => quote! { swage_runtime::json::big_number },
        Type::Timestamp => match ts {
            TimestampFormat::EpochSeconds => {
                quote! { swage_runtime::json::timestamp_epoch_seconds }
            }
            TimestampFormat::DateTime => quote! { swage_runtime::json::timestamp_date_time },
            TimestampFormat::HttpDate => quote! { swage_runtime::json::timestamp_http_date },
        },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::json::enumeration::<#p> }
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::json::int_enumeration::<#p> }
        }
        Type::Struct(p) | Type::Union(p) => {
            let p = type_path(p);
            quote! { #p::from_json }
        }
        Type::List { item, sparse } => {
            let item = decoder(item, ts);
            if *sparse {
                quote! { |v| swage_runtime::json::sparse_list(v, #item) }
            } else {
                quote! { |v| swage_runtime::json::list(v, #item) }
            }
        }
        Type::Map { value, sparse } => {
            let value = decoder(value, ts);
            if *sparse {
                quote! { |v| swage_runtime::json::sparse_map(v, #value) }
            } else {
                quote! { |v| swage_runtime::json::map(v, #value) }
            }
        }
    }
}

/// An expression encoding `value: &T` into a `Value`.
fn encoder(ty: &Type, value: TokenStream, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::String => quote! { swage_runtime::json::Value::from(#value.as_str()) },
        Type::Bool | Type::Byte | Type::Short | Type::Integer | Type::Long => {
            quote! { swage_runtime::json::Value::from(*#value) }
        }
        Type::Float => quote! { swage_runtime::json::double_value(f64::from(*#value)) },
        Type::Double => quote! { swage_runtime::json::double_value(*#value) },
        Type::Blob => quote! { swage_runtime::json::blob_value(#value) },
        Type::Document => quote! { Clone::clone(#value) },
        Type::BigNumber => quote! { swage_runtime::json::big_number_value(#value) },
        Type::Timestamp => {
            let f = format_tokens(ts);
            quote! { swage_runtime::json::timestamp_value(#value, #f) }
        }
        Type::Enum(_) => quote! { swage_runtime::json::Value::from(#value.as_str()) },
        Type::IntEnum(_) => quote! { swage_runtime::json::Value::from(#value.value()) },
        Type::Struct(_) | Type::Union(_) => quote! { #value.to_json() },
        Type::List { item, sparse } => {
            let inner = encoder(item, quote! { item }, ts);
            let inner = if *sparse {
                quote! { item.as_ref().map_or(swage_runtime::json::Value::Null, |item| #inner) }
            } else {
                inner
            };
            quote! { swage_runtime::json::Value::Array(#value.iter().map(|item| #inner).collect()) }
        }
        Type::Map {
            value: item,
            sparse,
        } => {
            let inner = encoder(item, quote! { item }, ts);
            let inner = if *sparse {
                quote! { item.as_ref().map_or(swage_runtime::json::Value::Null, |item| #inner) }
            } else {
                inner
            };
            quote! { swage_runtime::json::Value::Object(#value.iter().map(|(key, item)| (key.clone(), #inner)).collect()) }
        }
    }
}

fn body_ts(f: &Field) -> TimestampFormat {
    f.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)
}

fn body_fields(s: &Structure) -> impl Iterator<Item = (&Field, &str)> {
    s.fields.iter().filter_map(|f| match &f.location {
        Location::Body { key } => Some((f, key.as_str())),
        _ => None,
    })
}

fn payload_field(s: &Structure) -> Option<&Field> {
    s.fields.iter().find(|f| f.location == Location::Payload)
}

/// A zero value for error correction of a missing required member, if the type has one.
/// `None` inside means the type's `Default` is its zero value.
fn zero_value(ty: &Type) -> Option<Option<TokenStream>> {
    Some(Some(match ty {
        Type::String
        | Type::Bool
        | Type::Float
        | Type::Double
        | Type::Byte
        | Type::Short
        | Type::Integer
        | Type::Long
        | Type::Blob
        | Type::List { .. }
        | Type::Map { .. }
        | Type::Timestamp
        | Type::Document
        | Type::BigNumber => return Some(None),
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { #p::from("") }
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            quote! { #p::from(0) }
        }
        Type::Struct(_) | Type::Union(_) => return None,
    }))
}

/// Finishes a member read as `Option<T>`: required members are error-corrected to their zero
/// value (Smithy's rule for clients), or reported missing when there is none; boxed ones boxed.
fn finish_read(f: &Field, read: TokenStream, err: TokenStream) -> TokenStream {
    let wire = &f.wire_name;
    let value = match (f.required, zero_value(&f.ty)) {
        (false, _) => read,
        (true, _) if f.default.is_some() => match &f.default {
            Some(d) => super::or_default(read, &f.ty, d),
            None => read,
        },
        (true, Some(None)) => quote! { #read.unwrap_or_default() },
        (true, Some(Some(zero))) => quote! { #read.unwrap_or_else(|| #zero) },
        (true, None) => quote! { #read.ok_or_else(|| #err(#wire))? },
    };
    match (f.boxed, f.required) {
        (false, _) => value,
        (true, true) => quote! { Box::new(#value) },
        (true, false) => quote! { #value.map(Box::new) },
    }
}

/// The `from_json` initializer of one body field.
fn json_member(f: &Field, key: &str, error_shape: bool) -> TokenStream {
    let decode = decoder(&f.ty, body_ts(f));
    let read = quote! { swage_runtime::json::member(object, #key, #decode)? };
    // restJson1 services differ in the case of `message` in error bodies.
    let read = if error_shape && key.eq_ignore_ascii_case("message") {
        let other = if key == "message" {
            "Message"
        } else {
            "message"
        };
        quote! { #read.or(swage_runtime::json::member(object, #other, #decode)?) }
    } else {
        read
    };
    finish_read(f, read, quote! { swage_runtime::json::JsonError::missing })
}

/// A parser of header text for `ty` (`Fn(&str) -> Option<T>`), and what it expects.
fn header_parser(f: &Field, ty: &Type) -> (TokenStream, &'static str) {
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

/// The initializer of a field read from a whole response (outputs and errors).
fn response_member(s: &Structure, f: &Field) -> TokenStream {
    let missing = quote! { swage_runtime::ParseError::missing };
    match &f.location {
        Location::Body { key } => {
            let inner = json_member(f, key, s.role == Role::Error);
            // Body members are read from `object`, which is bound once for the structure.
            quote! { #inner }
        }
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
                    let decode = decoder(t, body_ts(f));
                    quote! {
                        if response.body().is_empty() {
                            None
                        } else {
                            Some(swage_runtime::json::decode(response.json()?, #decode)?)
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

/// `from_json`/`from_response` (for parsed structures) and `to_json` (for ones sent in requests).
pub fn structure_codecs(s: &Structure) -> Vec<Part> {
    let name = type_path(&s.path);
    let mut out = TokenStream::new();
    if s.parsed && matches!(s.role, Role::Output | Role::Error) {
        let has_body = body_fields(s).next().is_some();
        let object = has_body.then(|| quote! { let object = response.json_object()?; });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            let value = response_member(s, f);
            quote! { #field: #value, }
        });
        out.extend(quote! {
            impl #name {
                /// Reads the value from a response.
                pub(crate) fn from_response(response: &swage_runtime::response::Response<'_>) -> Result<Self, swage_runtime::ParseError> {
                    #object
                    Ok(#name { #(#inits)* _request_id: response.request_id(), })
                }
            }
        });
    }
    let mut parts = vec![Part::Tokens(out)];
    if s.parsed && (s.nested || !matches!(s.role, Role::Output | Role::Error)) {
        parts.push(from_json(s));
    }
    if s.validated && (s.role != Role::Input || s.nested) {
        parts.push(to_json(s));
    }
    parts
}

/// `from_json` of a structure read from JSON, as text (see [`super::text`]): each member's
/// read written out from its tokens ([`json_member`], [`finish_read`]).
fn from_json(s: &Structure) -> Part {
    let mut w = Writer::new();
    let name = w.ty(&type_path(&s.path));
    let mut body = Stmts::default();
    if body_fields(s).next().is_some() {
        body.line(0, "let object = swage_runtime::json::object(value)?;");
    } else {
        body.line(0, "swage_runtime::json::object(value)?;");
    }
    let mut inits = Stmts::default();
    for f in &s.fields {
        let value = match &f.location {
            Location::Body { key } => json_member(f, key, false),
            _ => finish_read(
                f,
                quote! { None },
                quote! { swage_runtime::json::JsonError::missing },
            ),
        };
        field_init(&mut w, &mut inits, &f.name, &value);
    }
    if matches!(s.role, Role::Output | Role::Error) {
        inits.line(4, "_request_id: None,");
    }
    if inits.is_empty() {
        body.line(0, &format!("Ok({name} {{}})"));
        if name.len() + 2 > 34 {
            w.unsure();
        }
    } else {
        // Never within the 34 columns a struct literal may take on one line.
        body.line(0, &format!("Ok({name} {{"));
        body.append(inits);
        body.line(0, "})");
    }
    w.doc_line(4, "Reads the value from its JSON form.");
    w.method_with(
        "pub(crate) fn from_json",
        &["value: &swage_runtime::json::Value"],
        "Result<Self, swage_runtime::json::JsonError>",
        body,
    );
    Part::Block {
        head: format!("impl {name}"),
        members: vec![w.finish()],
    }
}

/// `name: value,` in a struct literal (one indent into `out`), laid out as prettyplease lays
/// out a call (`f(args)?`) followed by at most one method call: on one line if it fits, else
/// the arguments one per line. Anything else is left to prettyplease.
fn field_init(w: &mut Writer, out: &mut Stmts, name: &str, value: &TokenStream) {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = value.clone().into_iter().collect();
    let call = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis));
    let Some(at) = call.filter(|&at| at > 0) else {
        let value = w.expr(value);
        out.line(4, &format!("{name}: {value},"));
        return;
    };
    let callee = w.expr(&tokens[..at].iter().cloned().collect());
    let TokenTree::Group(group) = &tokens[at] else {
        return;
    };
    let mut args = Vec::new();
    let mut arg = TokenStream::new();
    for t in group.stream() {
        if matches!(&t, TokenTree::Punct(p) if p.as_char() == ',') {
            args.push(w.expr(&std::mem::take(&mut arg)));
        } else {
            arg.extend([t]);
        }
    }
    if !arg.is_empty() {
        args.push(w.expr(&arg));
    }
    let rest: TokenStream = tokens[at + 1..].iter().cloned().collect();
    let rest = w.expr(&rest);
    let (question, chain) = match rest.strip_prefix('?') {
        Some(chain) => ("?", chain),
        None => ("", rest.as_str()),
    };
    if chain.matches(").").count() > 0 || !(chain.is_empty() || chain.starts_with('.')) {
        w.unsure();
    }
    let joined = args.join(", ");
    let flat = format!("{name}: {callee}({joined}){question}{chain},");
    // The comma after a field is not counted: prettyplease writes it only once the line breaks.
    if Stmts::fits_at(4, flat.len() - 1) {
        out.line(4, &flat);
    } else if chain.is_empty() {
        out.line(4, &format!("{name}: {callee}("));
        for a in &args {
            out.line(8, &format!("{a},"));
        }
        out.line(4, &format!("){question},"));
    } else {
        let head = format!("{name}: {callee}({joined}){question}");
        if Stmts::fits_at(4, head.len()) {
            out.line(4, &head);
        } else {
            out.line(4, &format!("{name}: {callee}("));
            for a in &args {
                out.line(12, &format!("{a},"));
            }
            out.line(8, &format!("){question}"));
        }
        out.line(8, &format!("{chain},"));
    }
}

/// `to_json` of a structure sent in requests, as text (see [`super::text`]): the statements of
/// [`json_object`], with each encoder written out as its tokens read.
fn to_json(s: &Structure) -> Part {
    let mut w = Writer::new();
    let name = w.ty(&type_path(&s.path));
    let mut body = Stmts::default();
    if body_fields(s).next().is_none() {
        body.line(
            0,
            "swage_runtime::json::Value::Object(swage_runtime::json::Map::new())",
        );
    } else {
        body.line(0, "let mut object = swage_runtime::json::Map::new();");
        for (f, key) in body_fields(s) {
            let enc = w.expr(&encoder(&f.ty, quote! { value }, body_ts(f)));
            let key = format!("{}.to_owned()", proc_macro2::Literal::string(key));
            if f.required {
                body.line(0, "{");
                body.line(4, &format!("let value = &self.{};", f.name));
            } else {
                body.line(0, &format!("if let Some(value) = &self.{} {{", f.name));
            }
            body.call(4, "", "object", "insert", &[&key, &enc], ";");
            body.line(0, "}");
        }
        body.line(0, "swage_runtime::json::Value::Object(object)");
    }
    w.doc_line(4, "The value's JSON form.");
    w.method_with(
        "pub(crate) fn to_json",
        &["&self"],
        "swage_runtime::json::Value",
        body,
    );
    Part::Block {
        head: format!("impl {name}"),
        members: vec![w.finish()],
    }
}

/// `from_json`, `to_json` and `validate` for a union, as it needs them.
pub fn union_codecs(u: &Union) -> TokenStream {
    let name = type_path(&u.path);
    let mut out = TokenStream::new();
    if u.parsed {
        let arms = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            let key = &v.json_name;
            match &v.ty {
                None => quote! { #key => #name::#n, },
                Some(t) => {
                    let decode = decoder(t, TimestampFormat::EpochSeconds);
                    let value = quote! { swage_runtime::json::within(#key, swage_runtime::json::decode(value, #decode))? };
                    if v.boxed {
                        quote! { #key => #name::#n(Box::new(#value)), }
                    } else {
                        quote! { #key => #name::#n(#value), }
                    }
                }
            }
        });
        out.extend(quote! {
            impl #name {
                /// Reads the value from its JSON form: an object with exactly one member set.
                pub(crate) fn from_json(value: &swage_runtime::json::Value) -> Result<Self, swage_runtime::json::JsonError> {
                    let (key, value) = swage_runtime::json::union_member(value)?;
                    let _ = value;
                    Ok(match key {
                        #(#arms)*
                        other => #name::Unknown(swage_runtime::UnknownValue::__from_wire(other)),
                    })
                }
            }
        });
    }
    if u.validated {
        let arms = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            let key = &v.json_name;
            match &v.ty {
                None => quote! { #name::#n => (#key, swage_runtime::json::Value::Object(swage_runtime::json::Map::new())), },
                Some(t) => {
                    let enc = encoder(t, quote! { value }, TimestampFormat::EpochSeconds);
                    quote! { #name::#n(value) => (#key, #enc), }
                }
            }
        });
        out.extend(quote! {
            impl #name {
                /// The value's JSON form; an `Unknown` value has none and is sent as `{}`.
                pub(crate) fn to_json(&self) -> swage_runtime::json::Value {
                    let (key, value) = match self {
                        #(#arms)*
                        #name::Unknown(_) => return swage_runtime::json::Value::Object(swage_runtime::json::Map::new()),
                    };
                    let mut object = swage_runtime::json::Map::new();
                    object.insert(key.to_owned(), value);
                    swage_runtime::json::Value::Object(object)
                }
            }
        });
    }
    out
}

/// Statements building a JSON object of the body members of `s`, read from `this`.
fn json_object(s: &Structure, this: TokenStream) -> TokenStream {
    if body_fields(s).next().is_none() {
        return quote! { swage_runtime::json::Value::Object(swage_runtime::json::Map::new()) };
    }
    let inserts = body_fields(s).map(|(f, key)| {
        let field = ident(&f.name);
        let ts = body_ts(f);
        if f.required {
            let enc = encoder(&f.ty, quote! { value }, ts);
            quote! { { let value = &#this.#field; object.insert(#key.to_owned(), #enc); } }
        } else {
            let enc = encoder(&f.ty, quote! { value }, ts);
            quote! { if let Some(value) = &#this.#field { object.insert(#key.to_owned(), #enc); } }
        }
    });
    quote! {
        let mut object = swage_runtime::json::Map::new();
        #(#inserts)*
        swage_runtime::json::Value::Object(object)
    }
}

/// An expression of type `&str` giving the text of a scalar `value: &T` in a label, query or
/// header (owned text is borrowed from a temporary, so use it directly as an argument).
fn text_of(f: &Field, ty: &Type, value: TokenStream, default: TimestampFormat) -> TokenStream {
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
fn bind_field(f: &Field, input: &Structure) -> TokenStream {
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

/// The operation's `build_request`.
pub fn build_request(op: &Operation, input: &Structure) -> TokenStream {
    let input_ty = type_path(&op.input);
    let method = match op.method.as_str() {
        m @ ("GET" | "PUT" | "POST" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH" | "TRACE"
        | "CONNECT") => {
            let m = proc_macro2::Ident::new(m, proc_macro2::Span::call_site());
            quote! { swage_runtime::http::Method::#m }
        }
        other => quote! {
            swage_runtime::http::Method::from_bytes(#other.as_bytes()).map_err(|e| swage_runtime::RequestError::Http(e.to_string()))?
        },
    };
    let path = op.path.iter().map(|part| match part {
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
    let query = op.literal_query.as_ref().map(|q| {
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
    let header_fields: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| matches!(f.location, Location::Header(_) | Location::PrefixHeaders(_)))
        .map(|f| bind_field(f, input))
        .collect();
    let (body, content_type) = if let Some(rpc) = &op.rpc {
        // An RPC protocol: always a JSON object (`{}` for an input without members), its own
        // content type, and the operation named in `X-Amz-Target`.
        let object = json_object(input, quote! { input });
        let (target, ct) = (&rpc.target, &rpc.content_type);
        (
            quote! { let body = { #object }.to_string().into_bytes(); },
            quote! {
                request = request.header("content-type", #ct).header("x-amz-target", #target);
            },
        )
    } else if let Some(p) = payload_field(input) {
        let field = ident(&p.name);
        let access = if p.required {
            quote! { Some(&input.#field) }
        } else {
            quote! { input.#field.as_ref() }
        };
        let (bytes, ct) = match &p.ty {
            Type::Blob => (
                quote! { value.clone() },
                p.media_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            ),
            Type::String => (
                quote! { value.as_bytes().to_vec() },
                p.media_type.clone().unwrap_or_else(|| "text/plain".into()),
            ),
            Type::Document => (
                quote! { value.to_string().into_bytes() },
                "application/json".into(),
            ),
            Type::Enum(_) => (
                quote! { value.as_str().as_bytes().to_vec() },
                p.media_type.clone().unwrap_or_else(|| "text/plain".into()),
            ),
            _ => (
                quote! { value.to_json().to_string().into_bytes() },
                "application/json".into(),
            ),
        };
        // An unset structure payload is sent as an empty object.
        let unset = if matches!(p.ty, Type::Struct(_)) {
            quote! { b"{}".to_vec() }
        } else {
            quote! { Vec::new() }
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
    } else if body_fields(input).next().is_some() {
        let object = json_object(input, quote! { input });
        (
            quote! { let body = { #object }.to_string().into_bytes(); },
            quote! { request = request.header("content-type", "application/json"); },
        )
    } else {
        (quote! { let body = Vec::new(); }, quote! {})
    };
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
    if op.glacier_checksums {
        finish.extend(
            quote! { let request = swage_runtime::request::glacier_checksums(request, &body); },
        );
    }
    let mutable =
        if header_fields.is_empty() && content_type.is_empty() && static_headers.is_empty() {
            quote! {}
        } else {
            quote! { mut }
        };
    let uses_input = op.path.iter().any(|p| matches!(p, PathPart::Label { .. }))
        || input
            .fields
            .iter()
            .any(|f| !matches!(f.location, Location::ResponseCode));
    let unused = (!uses_input).then(|| quote! { let _ = input; });
    quote! {
        #[doc = #doc]
        pub fn build_request(
            input: &#input_ty,
            endpoint: &str,
        ) -> Result<swage_runtime::http::Request<Vec<u8>>, swage_runtime::RequestError> {
            #unused
            let mut uri = swage_runtime::UriBuilder::new(endpoint)?;
            #host_from
            #host
            #(#path)*
            #query
            #(#query_fields)*
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

/// The operation's `parse_response`.
pub fn parse_response(service: &crate::ir::Service, op: &Operation) -> TokenStream {
    let output = type_path(&op.output);
    let error = ident(&op.error);
    let arm = |e: &crate::ir::ErrorVariant, code: &str| {
        let variant = ident(&e.variant);
        let path = type_path(&e.path);
        if e.boxed {
            quote! { Some(#code) => response.decode(#path::from_response).map(|e| #error::#variant(Box::new(e))), }
        } else {
            quote! { Some(#code) => response.decode(#path::from_response).map(#error::#variant), }
        }
    };
    let arms = op.errors.iter().map(|e| arm(e, &e.code));
    // awsQueryCompatible: a code the response's own code doesn't match may still be an
    // error's `@awsQueryError` code in `x-amzn-query-error`.
    let query_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .filter_map(|e| Some(arm(e, e.query_code.as_deref()?)))
        .collect();
    let fallback = if query_arms.is_empty() {
        quote! { Err(response.unhandled()) }
    } else {
        quote! {
            match response.query_code() {
                #(#query_arms)*
                _ => Err(response.unhandled()),
            }
        }
    };
    let tail = if op.errors.is_empty() {
        quote! { Err(#error::Unhandled(response.unhandled())) }
    } else {
        quote! {
            let error = match response.code() {
                #(#arms)*
                _ => #fallback,
            };
            Err(error.unwrap_or_else(#error::Unhandled))
        }
    };
    let read = if service.query_compatible {
        quote! { swage_runtime::response::ErrorResponse::read(status, headers, body).with_query_error() }
    } else {
        quote! { swage_runtime::response::ErrorResponse::read(status, headers, body) }
    };
    let op_name = &op.wire_name;
    let doc = format!(" Parses a `{op_name}` response: its status code, headers and body bytes.");
    quote! {
        #[doc = #doc]
        ///
        /// A 2xx status reads the output; anything else reads the error the response names
        /// (`X-Amzn-Errortype` header, else the body's `code`, else `__type`), or
        /// `Unhandled` when the model has no such error or the response can't be read.
        pub fn parse_response(
            status: u16,
            headers: &swage_runtime::http::HeaderMap,
            body: &[u8],
        ) -> Result<#output, #error> {
            if (200..300).contains(&status) {
                return swage_runtime::response::parse_output(status, headers, body, #output::from_response).map_err(#error::Unhandled);
            }
            let response = #read;
            #tail
        }
    }
}
