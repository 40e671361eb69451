//! The JSON codec the JSON protocols share (restJson1 and awsJson): how a structure, union or
//! member is read from and written to a JSON body, and how a JSON protocol's error response is
//! dispatched to the operation's modelled errors.

use super::text::{Stmts, Writer};
use super::{ident, type_path};
use crate::ir::{Field, Location, Operation, Role, Structure, Type, Union};
use crate::render::Part;
use crate::traits::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::DateTime => quote! { swage_runtime::TimestampFormat::DateTime },
        TimestampFormat::HttpDate => quote! { swage_runtime::TimestampFormat::HttpDate },
        TimestampFormat::EpochSeconds => quote! { swage_runtime::TimestampFormat::EpochSeconds },
    }
}

/// An expression decoding a `&Value` into `ty` (a function or closure).
pub(crate) fn decoder(ty: &Type, ts: TimestampFormat) -> TokenStream {
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
pub(crate) fn encoder(ty: &Type, value: TokenStream, ts: TimestampFormat) -> TokenStream {
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

pub(crate) fn body_ts(f: &Field) -> TimestampFormat {
    f.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)
}

pub(crate) fn body_fields(s: &Structure) -> impl Iterator<Item = (&Field, &str)> {
    s.fields.iter().filter_map(|f| match &f.location {
        Location::Body { key } => Some((f, key.as_str())),
        _ => None,
    })
}

/// A zero value for error correction of a missing required member, if the type has one.
/// `None` inside means the type's `Default` is its zero value.
pub(crate) fn zero_value(ty: &Type) -> Option<Option<TokenStream>> {
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
pub(crate) fn finish_read(f: &Field, read: TokenStream, err: TokenStream) -> TokenStream {
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
pub(crate) fn json_member(f: &Field, key: &str, error_shape: bool) -> TokenStream {
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

/// `from_json`/`from_response` (for parsed structures) and `to_json` (for ones sent in requests).
pub(crate) fn structure_codecs(s: &Structure) -> Vec<Part> {
    let name = type_path(&s.path);
    let mut out = TokenStream::new();
    if s.parsed && matches!(s.role, Role::Output | Role::Error) {
        let has_body = body_fields(s).next().is_some();
        let object = has_body.then(|| quote! { let object = response.json_object()?; });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            let value = super::http::response_member(s, f);
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
pub(crate) fn from_json(s: &Structure) -> Part {
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
pub(crate) fn field_init(w: &mut Writer, out: &mut Stmts, name: &str, value: &TokenStream) {
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
pub(crate) fn to_json(s: &Structure) -> Part {
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
pub(crate) fn union_codecs(u: &Union) -> TokenStream {
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
pub(crate) fn json_object(s: &Structure, this: TokenStream) -> TokenStream {
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

/// The operation's `parse_response`.
pub(crate) fn parse_response(service: &crate::ir::Service, op: &Operation) -> TokenStream {
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
        quote! { swage_runtime::protocol::json::ErrorResponse::read(status, headers, body).with_query_error() }
    } else {
        quote! { swage_runtime::protocol::json::ErrorResponse::read(status, headers, body) }
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
