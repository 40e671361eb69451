//! The XML codec the XML protocols share (awsQuery now; restXml and ec2Query next): how a
//! structure, union or member is read from an XML body, with `@xmlName`, `@xmlAttribute` and
//! `@xmlFlattened`.

use super::json::{finish_read, format_tokens};
use super::{ident, type_path};
use crate::ir::{Field, Location, Operation, Role, Structure, Type, Union, XmlName};
use crate::traits::TimestampFormat;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

/// The XML protocols' timestamp format for a member: its `@timestampFormat`, else `date-time`.
pub(crate) fn body_ts(f: &Field) -> TimestampFormat {
    f.timestamp_format.unwrap_or(TimestampFormat::DateTime)
}

/// An expression reading `ty` from an element, as a `swage_runtime::xml::read::Read<T>`: a
/// function, or a closure that captures nothing.
fn reader(ty: &Type, ts: TimestampFormat) -> TokenStream {
    match ty {
        Type::String => quote! { swage_runtime::xml::read::string },
        Type::Bool => quote! { swage_runtime::xml::read::boolean },
        Type::Byte => quote! { swage_runtime::xml::read::integer::<i8> },
        Type::Short => quote! { swage_runtime::xml::read::integer::<i16> },
        Type::Integer => quote! { swage_runtime::xml::read::integer::<i32> },
        Type::Long => quote! { swage_runtime::xml::read::integer::<i64> },
        Type::Float => quote! { swage_runtime::xml::read::float },
        Type::Double => quote! { swage_runtime::xml::read::double },
        Type::Blob => quote! { swage_runtime::xml::read::blob },
        Type::BigNumber => quote! { swage_runtime::xml::read::big_number },
        Type::Timestamp => match ts {
            TimestampFormat::DateTime => quote! { swage_runtime::xml::read::timestamp_date_time },
            TimestampFormat::EpochSeconds => {
                quote! { swage_runtime::xml::read::timestamp_epoch_seconds }
            }
            TimestampFormat::HttpDate => quote! { swage_runtime::xml::read::timestamp_http_date },
        },
        // The XML protocols have no documents.
        Type::Document => quote! {
            |r, _| Err(r.error("a document, which the XML protocols cannot carry"))
        },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::xml::read::enumeration::<#p> }
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            quote! { swage_runtime::xml::read::int_enumeration::<#p> }
        }
        Type::Struct(p) | Type::Union(p) => {
            let p = type_path(p);
            quote! { #p::read_xml }
        }
        Type::List { item, sparse, .. } => {
            let item = item_reader(item, *sparse, ts);
            quote! { |r, e| swage_runtime::xml::read::list(r, e, #item) }
        }
        Type::Map {
            value, sparse, xml, ..
        } => {
            let item = item_reader(value, *sparse, ts);
            let (k, v) = (&xml.key.name, &xml.item.name);
            quote! { |r, _| swage_runtime::xml::read::map(r, #k, #v, #item) }
        }
    }
}

/// An expression reading `ty` from the element `el` just opened: the value (errors `?`'d).
fn read_call(ty: &Type, ts: TimestampFormat, el: TokenStream) -> TokenStream {
    match ty {
        Type::List { item, sparse, .. } => {
            let item = item_reader(item, *sparse, ts);
            quote! { swage_runtime::xml::read::list(r, &#el, #item)? }
        }
        Type::Map {
            value, sparse, xml, ..
        } => {
            let item = item_reader(value, *sparse, ts);
            let (k, v) = (&xml.key.name, &xml.item.name);
            quote! { swage_runtime::xml::read::map(r, #k, #v, #item)? }
        }
        other => {
            let read = reader(other, ts);
            quote! { #read(r, &#el)? }
        }
    }
}

/// The reader of a collection's items: `Some` for a sparse one (XML has no nulls).
fn item_reader(item: &Type, sparse: bool, ts: TimestampFormat) -> TokenStream {
    let read = reader(item, ts);
    if sparse {
        quote! { |r, e| Ok(Some((#read)(r, e)?)) }
    } else {
        read
    }
}

/// The local a member is read into: the field's name, unless it is one the reading code uses.
fn local(f: &Field) -> proc_macro2::Ident {
    match f.name.as_str() {
        "r" | "el" | "child" | "reader" | "response" => format_ident!("{}_member", f.name),
        name => ident(name),
    }
}

/// The body members of `s`.
fn body_fields(s: &Structure) -> impl Iterator<Item = &Field> {
    s.fields
        .iter()
        .filter(|f| matches!(f.location, Location::Body))
}

/// The locals the body members of `s` are read into.
fn member_locals(s: &Structure) -> TokenStream {
    let locals = body_fields(s).map(|f| {
        let l = local(f);
        quote! { let mut #l = None; }
    });
    quote! { #(#locals)* }
}

/// Statements reading the members of `s` into their locals: from the attributes of the element
/// `el` (when there is one), and from the children of the element the reader `r` is inside,
/// which is read to its end.
fn read_members(s: &Structure, el: Option<TokenStream>) -> TokenStream {
    let fields: Vec<&Field> = body_fields(s).collect();
    let attributes = el.iter().flat_map(|el| {
        fields
            .iter()
            .filter(|f| f.wire.xml.attribute)
            .map(move |f| {
                let l = local(f);
                let name = &f.wire.xml.name;
                let parse = attribute_parser(&f.ty, body_ts(f));
                quote! {
                    if let Some(text) = #el.attr(#name)? {
                        #l = Some(#parse);
                    }
                }
            })
    });
    let arms = fields.iter().filter(|f| !f.wire.xml.attribute).map(|f| {
        let l = local(f);
        let name = &f.wire.xml.name;
        let ts = body_ts(f);
        match &f.ty {
            Type::List { item, sparse, .. } if f.wire.xml.flattened => {
                let read = item_reader(item, *sparse, ts);
                quote! { #name => #l.get_or_insert_with(Vec::new).push((#read)(r, &child)?), }
            }
            Type::Map {
                value, sparse, xml, ..
            } if f.wire.xml.flattened => {
                let read = item_reader(value, *sparse, ts);
                let (k, v) = (&xml.key.name, &xml.item.name);
                quote! {
                    #name => {
                        if let Some((key, value)) = swage_runtime::xml::read::entry(r, #k, #v, #read)? {
                            #l.get_or_insert_with(std::collections::HashMap::new).insert(key, value);
                        }
                    }
                }
            }
            ty => {
                let call = read_call(ty, ts, quote! { child });
                quote! { #name => #l = Some(#call), }
            }
        }
    });
    let arms: Vec<TokenStream> = arms.collect();
    if arms.is_empty() {
        return quote! {
            #(#attributes)*
            while r.next_child()?.is_some() {
                r.skip()?;
            }
        };
    }
    quote! {
        #(#attributes)*
        while let Some(child) = r.next_child()? {
            match child.name() {
                #(#arms)*
                _ => r.skip()?,
            }
        }
    }
}

/// An expression parsing an attribute's `text` (a `Cow<str>`) as `ty`.
fn attribute_parser(ty: &Type, ts: TimestampFormat) -> TokenStream {
    let invalid = quote! { .ok_or_else(|| r.error("an attribute that does not parse"))? };
    match ty {
        Type::String => quote! { text.into_owned() },
        Type::Enum(p) => {
            let p = type_path(p);
            quote! { #p::from(&*text) }
        }
        Type::Timestamp => {
            let f = format_tokens(ts);
            quote! { swage_runtime::DateTime::parse(&text, #f).ok()#invalid }
        }
        Type::IntEnum(p) => {
            let p = type_path(p);
            quote! { text.parse::<i32>().ok().map(#p::from)#invalid }
        }
        _ => quote! { text.parse().ok()#invalid },
    }
}

/// The field initializers of a structure read by [`read_members`].
fn inits(s: &Structure) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|f| {
            let value = match f.location {
                Location::Body => {
                    finish_read(f, local(f).into_token_stream(), quote! { r.missing })
                }
                _ => finish_read(f, quote! { None }, quote! { r.missing }),
            };
            super::json::field_init(&f.name, value)
        })
        .collect()
}

/// `read_xml` (nested structures) and `from_response` (outputs and errors) of a structure read
/// from XML. `wrap` is, for awsQuery, the element an output's members are in
/// (`{Operation}Result`, where known); `None` for ec2Query, whose members are the root's.
pub(crate) fn structure_codecs(s: &Structure, wrap: Option<Option<&str>>) -> TokenStream {
    let name = type_path(&s.path);
    let mut out = TokenStream::new();
    let locals = member_locals(s);
    let inits = inits(s);
    if s.parsed && matches!(s.role, Role::Output | Role::Error) {
        let read = if s.role == Role::Error {
            // The error's members are inside `<ErrorResponse><Error>`.
            let members = read_members(s, None);
            quote! {
                let mut reader = swage_runtime::protocol::query::error_element(response.body())?;
                let r = &mut reader;
                #locals
                #members
            }
        } else if body_fields(s).next().is_none() {
            quote! {}
        } else if wrap.is_none() {
            let members = read_members(s, Some(quote! { root }));
            let root = if body_fields(s).any(|f| f.wire.xml.attribute) {
                quote! { root }
            } else {
                quote! { _root }
            };
            quote! {
                let mut reader = swage_runtime::xml::Reader::new(response.body())?;
                let r = &mut reader;
                let #root = r.root()?;
                #locals
                #members
                r.finish()?;
            }
        } else {
            let result = wrap.flatten();
            // `<{Operation}Response><{Operation}Result>` holds the members.
            // The result element's name, where known; else any `...Result`.
            let other = match result {
                Some(result) => quote! { child.name() != #result },
                None => quote! { !child.name().ends_with("Result") },
            };
            let members = read_members(s, Some(quote! { child }));
            quote! {
                let mut reader = swage_runtime::xml::Reader::new(response.body())?;
                let r = &mut reader;
                r.root()?;
                #locals
                while let Some(child) = r.next_child()? {
                    if #other {
                        r.skip()?;
                        continue;
                    }
                    #members
                }
                r.finish()?;
            }
        };
        out.extend(quote! {
            impl #name {
                /// Reads the value from a response.
                #[inline]
                pub(crate) fn from_response(response: &swage_runtime::response::Response<'_>) -> Result<Self, swage_runtime::ParseError> {
                    #read
                    Ok(#name { #(#inits)* _request_id: response.request_id(), })
                }
            }
        });
    }
    out.extend(read_xml(s));
    out
}

/// `read_xml` of a structure read as a nested element, where it is one.
fn read_xml(s: &Structure) -> TokenStream {
    let name = type_path(&s.path);
    let locals = member_locals(s);
    let inits = inits(s);
    let mut out = TokenStream::new();
    if s.parsed && (s.nested || !matches!(s.role, Role::Output | Role::Error)) {
        let members = read_members(s, Some(quote! { el }));
        // The element is needed only for attributes.
        let el = if body_fields(s).any(|f| f.wire.xml.attribute) {
            quote! { el }
        } else {
            quote! { _el }
        };
        let request_id =
            matches!(s.role, Role::Output | Role::Error).then(|| quote! { _request_id: None, });
        out.extend(quote! {
            impl #name {
                /// Reads the value from its element, `el`, which the reader is inside.
                #[inline]
                pub(crate) fn read_xml(r: &mut swage_runtime::xml::Reader<'_>, #el: &swage_runtime::xml::Element<'_>) -> Result<Self, swage_runtime::xml::XmlError> {
                    #locals
                    #members
                    Ok(#name { #(#inits)* #request_id })
                }
            }
        });
    }
    out
}

/// `read_xml` of a union: the one member element set.
pub(crate) fn union_codecs(u: &Union) -> TokenStream {
    if !u.parsed {
        return TokenStream::new();
    }
    let name = type_path(&u.path);
    let arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let key = &v.wire.xml.name;
        match &v.ty {
            None => quote! { #key => { r.skip()?; #name::#n } },
            Some(t) => {
                let call = read_call(t, TimestampFormat::DateTime, quote! { child });
                if v.boxed {
                    quote! { #key => #name::#n(Box::new(#call)), }
                } else {
                    quote! { #key => #name::#n(#call), }
                }
            }
        }
    });
    quote! {
        impl #name {
            /// Reads the value from its element, `el`, which the reader is inside: exactly one
            /// member element is set.
            #[inline]
            pub(crate) fn read_xml(r: &mut swage_runtime::xml::Reader<'_>, _el: &swage_runtime::xml::Element<'_>) -> Result<Self, swage_runtime::xml::XmlError> {
                let mut set = None;
                while let Some(child) = r.next_child()? {
                    if set.is_some() {
                        return Err(r.error("a union with more than one member set"));
                    }
                    set = Some(match child.name() {
                        #(#arms)*
                        other => {
                            r.skip()?;
                            #name::Unknown(swage_runtime::UnknownValue::__from_wire(other))
                        }
                    });
                }
                set.ok_or_else(|| r.error("a union with no member set"))
            }
        }
    }
}

/// The operation's `parse_response` for the XML protocols: errors from `<ErrorResponse>` (or
/// EC2's `<Response>`, or restXml's bare `<Error>`), by their `@awsQueryError` code for the
/// query protocols.
pub(crate) fn parse_response(service: &crate::ir::Service, op: &Operation) -> TokenStream {
    super::json::parse_response_with(
        op,
        quote! { swage_runtime::protocol::query::ErrorResponse::read(status, headers, body) },
        service.protocol.is_query(),
        [
            " A 2xx status reads the output; anything else reads the error the response names",
            " (the `Code` of its `<Error>`), or `Unhandled` when the model has no such error or",
            " the response can't be read.",
        ],
    )
}

/// `xmlns` (or `xmlns:prefix`) on the element just started, for `@xmlNamespace`.
pub(crate) fn namespace(ns: &Option<(String, Option<String>)>) -> TokenStream {
    match ns {
        Some((uri, Some(prefix))) => {
            let attr = format!("xmlns:{prefix}");
            quote! { w.attr(#attr, #uri); }
        }
        Some((uri, None)) => quote! { w.attr("xmlns", #uri); },
        None => TokenStream::new(),
    }
}

/// The `xmlns` argument of a `write_xml` call: `Some((attribute, uri))` for `@xmlNamespace`.
pub(crate) fn xmlns_arg(ns: &Option<(String, Option<String>)>) -> TokenStream {
    match ns {
        Some((uri, Some(prefix))) => {
            let attr = format!("xmlns:{prefix}");
            quote! { Some((#attr, #uri)) }
        }
        Some((uri, None)) => quote! { Some(("xmlns", #uri)) },
        None => quote! { None },
    }
}

/// Statements writing `value: &T` as the element `name` (with `@xmlNamespace` `ns`), or as
/// repeated elements for a flattened list or map, to the XML writer `w`.
fn write_element(
    ty: &Type,
    value: TokenStream,
    name: &str,
    ns: &Option<(String, Option<String>)>,
    flattened: bool,
    ts: TimestampFormat,
) -> TokenStream {
    let ns_attr = namespace(ns);
    let text = |write: TokenStream| quote! { w.start(#name); #ns_attr #write w.end(#name); };
    match ty {
        Type::String => text(quote! { w.text(#value); }),
        Type::Bool => text(quote! { w.bool(*#value); }),
        Type::Long => text(quote! { w.integer(*#value); }),
        Type::Byte | Type::Short | Type::Integer => text(quote! { w.integer(i64::from(*#value)); }),
        Type::Float => text(quote! { w.text(&swage_runtime::request::float_text(*#value)); }),
        Type::Double => text(quote! { w.float(*#value); }),
        Type::Blob => text(quote! { w.blob(#value); }),
        Type::BigNumber => text(quote! { w.text(#value.as_str()); }),
        Type::Timestamp => {
            let f = format_tokens(ts);
            text(quote! { w.timestamp(#value, #f); })
        }
        Type::Enum(_) => text(quote! { w.text(#value.as_str()); }),
        Type::IntEnum(_) => text(quote! { w.integer(i64::from(#value.value())); }),
        // The XML protocols have no documents: nothing is written.
        Type::Document => quote! { let _ = #value; },
        Type::Struct(_) | Type::Union(_) => {
            let xmlns = xmlns_arg(ns);
            quote! { #value.write_xml(w, #name, #xmlns); }
        }
        Type::List { item, sparse, xml } => {
            let (item_name, item_ns) = if flattened {
                (name, ns)
            } else {
                (xml.item.name.as_str(), &xml.item.namespace)
            };
            let inner = write_element(item, quote! { item }, item_name, item_ns, false, ts);
            let inner = if *sparse {
                quote! { if let Some(item) = item { #inner } }
            } else {
                inner
            };
            let each = quote! { for item in #value { #inner } };
            if flattened {
                each
            } else {
                quote! { w.start(#name); #ns_attr #each w.end(#name); }
            }
        }
        Type::Map {
            value: v,
            sparse,
            xml,
        } => {
            let key = write_element(
                &Type::String,
                quote! { key },
                &xml.key.name,
                &xml.key.namespace,
                false,
                ts,
            );
            let inner = write_element(
                v,
                quote! { item },
                &xml.item.name,
                &xml.item.namespace,
                false,
                ts,
            );
            let inner = if *sparse {
                quote! { if let Some(item) = item { #inner } }
            } else {
                inner
            };
            if flattened {
                quote! {
                    for (key, item) in swage_runtime::json::sorted(#value) {
                        w.start(#name);
                        #ns_attr
                        #key
                        #inner
                        w.end(#name);
                    }
                }
            } else {
                quote! {
                    w.start(#name);
                    #ns_attr
                    for (key, item) in swage_runtime::json::sorted(#value) {
                        w.start("entry");
                        #key
                        #inner
                        w.end("entry");
                    }
                    w.end(#name);
                }
            }
        }
    }
}

/// Statements writing the body members of `s`, read from `this`, into the element just started:
/// its attributes first, then its child elements.
pub(crate) fn write_members(s: &Structure, this: TokenStream) -> TokenStream {
    let fields: Vec<&Field> = body_fields(s).collect();
    let attributes = fields.iter().filter(|f| f.wire.xml.attribute).map(|f| {
        let field = ident(&f.name);
        let name = &f.wire.xml.name;
        let text = super::http::text_of(f, &f.ty, quote! { value }, TimestampFormat::DateTime);
        let write = quote! { w.attr(#name, #text); };
        if f.required {
            quote! { { let value = &#this.#field; #write } }
        } else {
            quote! { if let Some(value) = &#this.#field { #write } }
        }
    });
    let elements = fields.iter().filter(|f| !f.wire.xml.attribute).map(|f| {
        let field = ident(&f.name);
        let XmlName {
            name,
            namespace,
            flattened,
            ..
        } = &f.wire.xml;
        let write = write_element(
            &f.ty,
            quote! { value },
            name,
            namespace,
            *flattened,
            body_ts(f),
        );
        if f.required {
            quote! { { let value = &#this.#field; #write } }
        } else {
            quote! { if let Some(value) = &#this.#field { #write } }
        }
    });
    quote! { #(#attributes)* #(#elements)* }
}

/// `write_xml` of a structure sent in restXml requests, and `write_xml` of a union.
pub(crate) fn write_codecs(s: &Structure) -> TokenStream {
    if !s.validated || (s.role == Role::Input && !s.nested) {
        return TokenStream::new();
    }
    let name = type_path(&s.path);
    let members = write_members(s, quote! { self });
    quote! {
        impl #name {
            /// Writes the value as the element `name`, with the namespace attribute `xmlns`
            /// (`("xmlns:p", uri)`) if given.
            #[inline]
            pub(crate) fn write_xml(&self, w: &mut swage_runtime::xml::Writer, name: &str, xmlns: Option<(&str, &str)>) {
                w.start(name);
                if let Some((attribute, uri)) = xmlns {
                    w.attr(attribute, uri);
                }
                #members
                w.end(name);
            }
        }
    }
}

/// `write_xml` of a union sent in restXml requests: the member that is set.
pub(crate) fn union_write(u: &Union) -> TokenStream {
    if !u.validated {
        return TokenStream::new();
    }
    let name = type_path(&u.path);
    let arms = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let XmlName {
            name: element,
            namespace,
            flattened,
            ..
        } = &v.wire.xml;
        match &v.ty {
            None => quote! { #name::#n => { w.start(#element); w.end(#element); } },
            Some(t) => {
                let write = write_element(
                    t,
                    quote! { value },
                    element,
                    namespace,
                    *flattened,
                    TimestampFormat::DateTime,
                );
                quote! { #name::#n(value) => { #write } }
            }
        }
    });
    quote! {
        impl #name {
            /// Writes the value as the element `name` (with the namespace attribute `xmlns`, if
            /// given); an `Unknown` value as an empty one.
            #[inline]
            pub(crate) fn write_xml(&self, w: &mut swage_runtime::xml::Writer, name: &str, xmlns: Option<(&str, &str)>) {
                w.start(name);
                if let Some((attribute, uri)) = xmlns {
                    w.attr(attribute, uri);
                }
                match self {
                    #(#arms)*
                    #name::Unknown(_) => {}
                }
                w.end(name);
            }
        }
    }
}

/// `from_response` of a restXml output or error: HTTP-bound members from the response, body
/// members from the root element (an output's) or the `Error` element (an error's), and an
/// `@httpPayload` structure or union as the whole body.
pub(crate) fn rest_structure_codecs(s: &Structure) -> TokenStream {
    let mut out = TokenStream::new();
    if s.parsed && matches!(s.role, Role::Output | Role::Error) {
        let name = type_path(&s.path);
        let locals = member_locals(s);
        let has_body = body_fields(s).next().is_some();
        let read = if !has_body {
            quote! {}
        } else if s.role == Role::Error {
            let members = read_members(s, None);
            quote! {
                #locals
                let mut reader = swage_runtime::protocol::query::error_element(response.body())?;
                let r = &mut reader;
                #members
            }
        } else if let (true, [f]) = (
            s.xml.flattened,
            body_fields(s).collect::<Vec<_>>().as_slice(),
        ) {
            // `s3UnwrappedXmlOutput` (S3's GetBucketLocation): the root element is the member.
            let l = local(f);
            let call = read_call(&f.ty, body_ts(f), quote! { root });
            quote! {
                #locals
                if !response.body().iter().all(u8::is_ascii_whitespace) {
                    let mut reader = swage_runtime::xml::Reader::new(response.body())?;
                    let r = &mut reader;
                    let root = r.root()?;
                    #l = Some(#call);
                    r.finish()?;
                }
            }
        } else {
            let members = read_members(s, Some(quote! { root }));
            let root = if body_fields(s).any(|f| f.wire.xml.attribute) {
                quote! { root }
            } else {
                quote! { _root }
            };
            quote! {
                #locals
                // An output may have no body at all.
                if !response.body().iter().all(u8::is_ascii_whitespace) {
                    let mut reader = swage_runtime::xml::Reader::new(response.body())?;
                    let r = &mut reader;
                    let #root = r.root()?;
                    #members
                    r.finish()?;
                }
            }
        };
        let inits = s.fields.iter().map(|f| {
            let value = match (&f.location, &f.ty) {
                (Location::Body, _) => {
                    let l = local(f);
                    // Outside the reader's scope, a missing member names itself.
                    finish_read(f, quote! { #l }, quote! { swage_runtime::ParseError::missing })
                }
                (Location::Payload, Type::Struct(p) | Type::Union(p)) => {
                    let p = type_path(p);
                    finish_read(
                        f,
                        quote! { swage_runtime::xml::read::payload(response.body(), #p::read_xml)? },
                        quote! { swage_runtime::ParseError::missing },
                    )
                }
                // restXml reads absent prefix headers as an empty map (its suite says so).
                (Location::PrefixHeaders(prefix), _) => {
                    quote! { Some(response.prefix_headers(#prefix).unwrap_or_default()) }
                }
                _ => super::http::response_member(f),
            };
            super::json::field_init(&f.name, value)
        });
        out.extend(quote! {
            impl #name {
                /// Reads the value from a response.
                #[inline]
                pub(crate) fn from_response(response: &swage_runtime::response::Response<'_>) -> Result<Self, swage_runtime::ParseError> {
                    #read
                    Ok(#name { #(#inits)* _request_id: response.request_id(), })
                }
            }
        });
    }
    out.extend(read_xml(s));
    out.extend(write_codecs(s));
    out
}
