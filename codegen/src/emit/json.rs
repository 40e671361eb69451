//! The JSON codec the JSON protocols share (restJson1 and awsJson): how a structure, union or
//! member is read from and written to a JSON body, and how a JSON protocol's error response is
//! dispatched to the operation's modelled errors.

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

/// An expression reading `ty` from a [`Reader`](swage_runtime::json::read::Reader): a
/// function, or a closure that captures nothing (both are `Read<T>` function pointers).
pub(crate) fn reader(ty: &Type, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::String => quote! { swage_runtime::json::read::string },
        Type::Bool => quote! { swage_runtime::json::read::boolean },
        Type::Byte => quote! { swage_runtime::json::read::integer::<i8> },
        Type::Short => quote! { swage_runtime::json::read::integer::<i16> },
        Type::Integer => quote! { swage_runtime::json::read::integer::<i32> },
        Type::Long => quote! { swage_runtime::json::read::integer::<i64> },
        Type::Float => quote! { swage_runtime::json::read::float },
        Type::Double => quote! { swage_runtime::json::read::double },
        Type::Blob => quote! { swage_runtime::json::read::blob },
        Type::Document => quote! { swage_runtime::json::read::document },
        Type::BigNumber => quote! { swage_runtime::json::read::big_number },
        Type::Timestamp => match ts {
            TimestampFormat::EpochSeconds => {
                quote! { swage_runtime::json::read::timestamp_epoch_seconds }
            }
            TimestampFormat::DateTime => quote! { swage_runtime::json::read::timestamp_date_time },
            TimestampFormat::HttpDate => quote! { swage_runtime::json::read::timestamp_http_date },
        },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::json::read::enumeration::<#p> }
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::json::read::int_enumeration::<#p> }
        }
        Type::Struct(p) | Type::Union(p) => {
            let p = type_path(p);
            quote! { #p::read_json }
        }
        Type::List { item, sparse, .. } => {
            let item = reader(item, ts);
            if *sparse {
                quote! { |r| swage_runtime::json::read::sparse_list(r, #item) }
            } else {
                quote! { |r| swage_runtime::json::read::list(r, #item) }
            }
        }
        Type::Map { value, sparse, .. } => {
            let value = reader(value, ts);
            if *sparse {
                quote! { |r| swage_runtime::json::read::sparse_map(r, #value) }
            } else {
                quote! { |r| swage_runtime::json::read::map(r, #value) }
            }
        }
    }
}

/// An expression reading `ty` from reader `r` (a call, never a closure called in place).
pub(crate) fn read_call(ty: &Type, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::List { item, sparse, .. } => {
            let item = reader(item, ts);
            let f = if *sparse {
                quote! { sparse_list }
            } else {
                quote! { list }
            };
            quote! { swage_runtime::json::read::#f(r, #item) }
        }
        Type::Map { value, sparse, .. } => {
            let value = reader(value, ts);
            let f = if *sparse {
                quote! { sparse_map }
            } else {
                quote! { map }
            };
            quote! { swage_runtime::json::read::#f(r, #value) }
        }
        other => {
            let read = reader(other, ts);
            quote! { #read(r) }
        }
    }
}

/// Statements writing `value: &T` to the JSON writer `w`.
pub(crate) fn writer(ty: &Type, value: TokenStream, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::String => quote! { w.string(#value); },
        Type::Bool => quote! { w.bool(*#value); },
        Type::Long => quote! { w.integer(*#value); },
        Type::Byte | Type::Short | Type::Integer => quote! { w.integer(i64::from(*#value)); },
        Type::Float => quote! { w.float(f64::from(*#value)); },
        Type::Double => quote! { w.float(*#value); },
        Type::Blob => quote! { w.blob(#value); },
        Type::Document => quote! { w.document(#value); },
        Type::BigNumber => quote! { w.big_number(#value); },
        Type::Timestamp => {
            let f = format_tokens(ts);
            quote! { w.timestamp(#value, #f); }
        }
        Type::Enum(_) => quote! { w.string(#value.as_str()); },
        Type::IntEnum(_) => quote! { w.integer(i64::from(#value.value())); },
        Type::Struct(_) | Type::Union(_) => quote! { #value.write_json(w); },
        Type::List { item, sparse, .. } => {
            let inner = optional(writer(item, quote! { item }, ts), *sparse);
            quote! {
                w.begin_array();
                for item in #value {
                    #inner
                }
                w.end_array();
            }
        }
        Type::Map {
            value: item,
            sparse,
            ..
        } => {
            let inner = optional(writer(item, quote! { item }, ts), *sparse);
            quote! {
                w.begin_object();
                for (key, item) in swage_runtime::json::sorted(#value) {
                    w.key(key);
                    #inner
                }
                w.end_object();
            }
        }
    }
}

/// `write`, or `null` for an absent item of a sparse collection.
fn optional(write: TokenStream, sparse: bool) -> TokenStream {
    if sparse {
        quote! {
            match item {
                Some(item) => { #write }
                None => w.null(),
            }
        }
    } else {
        write
    }
}

pub(crate) fn body_ts(f: &Field) -> TimestampFormat {
    f.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)
}

pub(crate) fn body_fields(s: &Structure) -> impl Iterator<Item = (&Field, &str)> {
    s.fields.iter().filter_map(|f| match &f.location {
        Location::Body => Some((f, f.wire.json.as_str())),
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

/// The local a body member is read into, in a structure's `read_json` or `from_response`:
/// the field's name, unless that is a name the reading loop uses (`r`, `key`).
pub(crate) fn read_local(f: &Field) -> proc_macro2::Ident {
    match f.name.as_str() {
        "r" | "key" => quote::format_ident!("{}_member", f.name),
        name => ident(name),
    }
}

/// Statements that read the body members of `s` from reader `r` into their locals (each an
/// `Option`; see [`read_local`]), skipping every other member.
pub(crate) fn read_body(s: &Structure, error_shape: bool) -> TokenStream {
    let fields: Vec<(&Field, &str)> = body_fields(s).collect();
    if fields.is_empty() {
        return quote! {
            r.begin_object()?;
            while r.next_key()?.is_some() {
                r.skip()?;
            }
        };
    }
    let locals = fields.iter().map(|(f, _)| {
        let local = read_local(f);
        quote! { let mut #local = None; }
    });
    let arms = fields.iter().map(|(f, key)| {
        let local = read_local(f);
        let read = reader(&f.ty, body_ts(f));
        // restJson1 services differ in the case of `message` in error bodies.
        let pattern = if error_shape && key.eq_ignore_ascii_case("message") {
            quote! { "message" | "Message" }
        } else {
            quote! { #key }
        };
        quote! { #pattern => #local = swage_runtime::json::read::member(r, #read)?, }
    });
    quote! {
        #(#locals)*
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                #(#arms)*
                _ => r.skip()?,
            }
        }
    }
}

/// `field: value,` in a struct literal, or the shorthand `field,` when the value is the local of
/// the same name.
pub(crate) fn field_init(field: &str, value: TokenStream) -> TokenStream {
    let f = ident(field);
    if f == value.to_string() {
        quote! { #f, }
    } else {
        quote! { #f: #value, }
    }
}

/// The initializer of a body field read by [`read_body`].
pub(crate) fn body_init(f: &Field) -> TokenStream {
    let local = read_local(f);
    finish_read(f, quote! { #local }, quote! { r.missing })
}

/// `read_json`/`from_response` (for parsed structures) and `write_json` (for ones sent in
/// requests).
pub(crate) fn structure_codecs(s: &Structure) -> Vec<Part> {
    let name = type_path(&s.path);
    let mut out = TokenStream::new();
    if s.parsed && matches!(s.role, Role::Output | Role::Error) {
        let has_body = body_fields(s).next().is_some();
        let object = has_body.then(|| {
            let read = read_body(s, s.role == Role::Error);
            quote! {
                let mut reader = swage_runtime::json::read::Reader::body(response.body());
                let r = &mut reader;
                #read
                r.finish()?;
            }
        });
        let inits = s
            .fields
            .iter()
            .map(|f| field_init(&f.name, super::http::response_member(f)));
        out.extend(quote! {
            impl #name {
                /// Reads the value from a response.
                #[inline]
                pub(crate) fn from_response(response: &swage_runtime::response::Response<'_>) -> Result<Self, swage_runtime::ParseError> {
                    #object
                    Ok(#name { #(#inits)* _request_id: response.request_id(), })
                }
            }
        });
    }
    let mut parts = vec![Part::Tokens(out)];
    if s.parsed && (s.nested || !matches!(s.role, Role::Output | Role::Error)) {
        parts.push(Part::Tokens(read_json(s)));
    }
    if s.validated && (s.role != Role::Input || s.nested) {
        parts.push(Part::Tokens(write_json(s)));
    }
    parts
}

/// `read_json` of a structure read from JSON.
pub(crate) fn read_json(s: &Structure) -> TokenStream {
    let name = type_path(&s.path);
    let read = read_body(s, false);
    let inits = s.fields.iter().map(|f| {
        let value = match &f.location {
            Location::Body => body_init(f),
            _ => finish_read(f, quote! { None }, quote! { r.missing }),
        };
        field_init(&f.name, value)
    });
    let request_id =
        matches!(s.role, Role::Output | Role::Error).then(|| quote! { _request_id: None, });
    quote! {
        impl #name {
            /// Reads the value from its JSON form.
            #[inline]
            pub(crate) fn read_json(r: &mut swage_runtime::json::read::Reader<'_>) -> Result<Self, swage_runtime::json::JsonError> {
                #read
                Ok(#name { #(#inits)* #request_id })
            }
        }
    }
}

/// `write_json` of a structure sent in requests.
pub(crate) fn write_json(s: &Structure) -> TokenStream {
    let name = type_path(&s.path);
    let members = json_members(s, quote! { self });
    quote! {
        impl #name {
            /// Writes the value's JSON form.
            #[inline]
            pub(crate) fn write_json(&self, w: &mut swage_runtime::json::Writer) {
                w.begin_object();
                #members
                w.end_object();
            }
        }
    }
}

/// `read_json` and `write_json` for a union, as it needs them.
pub(crate) fn union_codecs(u: &Union) -> TokenStream {
    let name = type_path(&u.path);
    let mut out = TokenStream::new();
    if u.parsed {
        let arms = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            let key = &v.wire.json;
            match &v.ty {
                None => quote! { #key => { r.skip()?; #name::#n } },
                Some(t) => {
                    let read = read_call(t, TimestampFormat::EpochSeconds);
                    let value = quote! { #read? };
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
                /// Reads the value from its JSON form: an object with exactly one member set
                /// (`null` members and a `__type` hint aside).
                #[inline]
                pub(crate) fn read_json(r: &mut swage_runtime::json::read::Reader<'_>) -> Result<Self, swage_runtime::json::JsonError> {
                    const ONE: &str = "an object with exactly one member set";
                    let mut set = None;
                    r.begin_object()?;
                    while let Some(key) = r.next_key()? {
                        if r.null()? {
                            continue;
                        }
                        if key == "__type" {
                            r.skip()?;
                            continue;
                        }
                        if set.is_some() {
                            return Err(r.invalid(ONE, "an object"));
                        }
                        set = Some(match &*key {
                            #(#arms)*
                            other => {
                                r.skip()?;
                                #name::Unknown(swage_runtime::UnknownValue::__from_wire(other))
                            }
                        });
                    }
                    set.ok_or_else(|| r.invalid(ONE, "an object"))
                }
            }
        });
    }
    if u.validated {
        let arms = u.variants.iter().map(|v| {
            let n = ident(&v.name);
            let key = &v.wire.json;
            match &v.ty {
                None => quote! { #name::#n => { w.key(#key); w.begin_object(); w.end_object(); } },
                Some(t) => {
                    let write = writer(t, quote! { value }, TimestampFormat::EpochSeconds);
                    quote! { #name::#n(value) => { w.key(#key); #write } }
                }
            }
        });
        out.extend(quote! {
            impl #name {
                /// Writes the value's JSON form; an `Unknown` value has none and is sent as `{}`.
                #[inline]
                pub(crate) fn write_json(&self, w: &mut swage_runtime::json::Writer) {
                    w.begin_object();
                    match self {
                        #(#arms)*
                        #name::Unknown(_) => {}
                    }
                    w.end_object();
                }
            }
        });
    }
    out
}

/// Statements writing the body members of `s`, read from `this`, to the JSON writer `w` as
/// the members of an object.
pub(crate) fn json_members(s: &Structure, this: TokenStream) -> TokenStream {
    let members = body_fields(s).map(|(f, key)| {
        let field = ident(&f.name);
        let write = writer(&f.ty, quote! { value }, body_ts(f));
        if f.required {
            quote! { { w.key(#key); let value = &#this.#field; #write } }
        } else {
            quote! { if let Some(value) = &#this.#field { w.key(#key); #write } }
        }
    });
    quote! { #(#members)* }
}

/// An expression: the bytes of a JSON object of the body members of `s`, read from `this`.
pub(crate) fn json_object(s: &Structure, this: TokenStream) -> TokenStream {
    if body_fields(s).next().is_none() {
        return quote! { b"{}".to_vec() };
    }
    let members = json_members(s, this);
    quote! {
        {
            let mut writer = swage_runtime::json::Writer::new();
            let w = &mut writer;
            w.begin_object();
            #members
            w.end_object();
            writer.into_bytes()
        }
    }
}

pub(crate) fn parse_response(service: &crate::ir::Service, op: &Operation) -> TokenStream {
    let read = if service.query_compatible {
        quote! { swage_runtime::protocol::json::ErrorResponse::read(status, headers, body).with_query_error() }
    } else {
        quote! { swage_runtime::protocol::json::ErrorResponse::read(status, headers, body) }
    };
    parse_response_with(
        op,
        read,
        false,
        [
            " A 2xx status reads the output; anything else reads the error the response names",
            " (`X-Amzn-Errortype` header, else the body's `code`, else `__type`), or",
            " `Unhandled` when the model has no such error or the response can't be read.",
        ],
    )
}

/// An operation's `parse_response`, reading an error response with `read` (an expression of
/// an error response type with `code`, `decode` and `unhandled`, and `query_code` when
/// `query_codes` is false and an error has an `@awsQueryError` code). With `query_codes`, the
/// protocol's own codes are the `@awsQueryError` ones (the query protocols). `names` is
/// the documentation's paragraph on where the protocol finds the code.
pub(crate) fn parse_response_with(
    op: &Operation,
    read: TokenStream,
    query_codes: bool,
    names: [&str; 3],
) -> TokenStream {
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
    let arms = op.errors.iter().map(|e| match &e.query_code {
        Some(code) if query_codes => arm(e, code),
        _ => arm(e, &e.code),
    });
    // awsQueryCompatible: a code the response's own code doesn't match may still be an
    // error's `@awsQueryError` code in `x-amzn-query-error`.
    let query_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .filter(|_| !query_codes)
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
    let ok = if op.errors_in_ok {
        quote! { (200..300).contains(&status) && !swage_runtime::protocol::query::ErrorResponse::is_error_document(body) }
    } else {
        quote! { (200..300).contains(&status) }
    };
    let op_name = &op.wire_name;
    let doc = format!(" Parses a `{op_name}` response: its status code, headers and body bytes.");
    quote! {
        #[doc = #doc]
        ///
        #(#[doc = #names])*
        #[inline]
        pub fn parse_response(
            status: u16,
            headers: &swage_runtime::http::HeaderMap,
            body: &[u8],
        ) -> Result<#output, #error> {
            if #ok {
                return swage_runtime::response::parse_output(status, headers, body, #output::from_response).map_err(#error::Unhandled);
            }
            let response = #read;
            #tail
        }
    }
}
