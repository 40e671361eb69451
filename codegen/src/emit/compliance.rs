//! The protocol compliance tests: one `#[test]` per case of [`ir::Compliance`], in
//! `src/protocol_tests.rs` (compiled only for `cargo test`), plus `protocol-tests.txt`, the
//! manifest `cargo xtask protocol-tests` reads (test name and case id per line, and every
//! skipped case with its reason).

use super::{ident, type_path};
use crate::ir::{self, CaseKind, CaseValue, Compliance, Type};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `EndpointParams` field initialisers for `params` (field, value, whether it is optional).
fn param_fields(params: &[(String, ir::ParamValue, bool)]) -> Vec<TokenStream> {
    params
        .iter()
        .map(|(field, v, optional)| {
            let f = ident(field);
            let v = match v {
                ir::ParamValue::String(s) => quote! { #s.to_owned() },
                ir::ParamValue::Bool(b) => quote! { #b },
                ir::ParamValue::StringArray(items) => quote! { vec![#(#items.to_owned()),*] },
            };
            if *optional {
                quote! { #f: Some(#v), }
            } else {
                quote! { #f: #v, }
            }
        })
        .collect()
}

/// Whether `op` sets endpoint parameters from its input (it has `endpoint_params` then).
fn binds(krate: &ir::Crate, op: &ir::Operation) -> bool {
    krate.endpoint_rules.as_ref().is_some_and(|rules| {
        krate
            .structures
            .iter()
            .find(|s| s.path == op.input)
            .is_some_and(|input| {
                !super::endpoint::operation_params(krate, op, input, rules).is_empty()
            })
    })
}

/// The test module.
pub fn tests(krate: &ir::Crate, c: &Compliance) -> TokenStream {
    let cases = c.cases.iter().map(|case| {
        let name = ident(&case.fn_name);
        let id = &case.id;
        let docs = super::doc(Some(&format!("`{id}`: {}", case.docs.as_deref().unwrap_or("").trim())));
        let body = match &case.kind {
            CaseKind::Request { op, input, endpoint, endpoint_params, method, uri, resolved_host, query_params, forbid_query_params, require_query_params, headers, forbid_headers, require_headers, body, body_media_type } => {
                let operation_ir = &krate.operations[*op];
                let op = operation(operation_ir);
                let endpoint = match endpoint_params {
                    None => quote! { #endpoint },
                    Some(params) => {
                        // Resolved as the client would: the configuration's parameters, then
                        // what the operation binds from its input.
                        let fields = param_fields(params);
                        let bind = binds(krate, operation_ir).then(|| quote! { let params = #op::endpoint_params(&input, params); });
                        quote! {
                            {
                                let params = crate::endpoint::EndpointParams { #(#fields)* ..::std::default::Default::default() };
                                #bind
                                &crate::endpoint::resolve(&params).expect("the endpoint resolves").url
                            }
                        }
                    }
                };
                let builder = match input {
                    CaseValue::Struct { path, fields, .. } => builder(path, fields),
                    other => value(other),
                };
                let resolved_host = option(resolved_host);
                let body = option(body);
                let body_media_type = option(body_media_type);
                let headers = headers.iter().map(|(k, v)| quote! { (#k, #v) });
                quote! {
                    let builder = #builder;
                    let input = swage_runtime::with_idempotency_token_source(::swage_compliance::fixed_token, || builder.clone().build());
                    let input = match input {
                        Ok(input) => input,
                        Err(violations) => {
                            // The case breaks a constraint of the model: go through the escape hatch.
                            ::swage_compliance::escape_hatch(#id, &violations);
                            swage_runtime::with_idempotency_token_source(::swage_compliance::fixed_token, || builder.build_unchecked())
                                .expect("the case sets every required member")
                        }
                    };
                    let request = #op::build_request(&input, #endpoint).expect("the request serializes");
                    ::swage_compliance::RequestCase {
                        id: #id,
                        method: #method,
                        uri: #uri,
                        resolved_host: #resolved_host,
                        query_params: &[#(#query_params),*],
                        forbid_query_params: &[#(#forbid_query_params),*],
                        require_query_params: &[#(#require_query_params),*],
                        headers: &[#(#headers),*],
                        forbid_headers: &[#(#forbid_headers),*],
                        require_headers: &[#(#require_headers),*],
                        body: #body,
                        body_media_type: #body_media_type,
                    }
                    .check(&request);
                }
            }
            CaseKind::Endpoint { calls, expect } => {
                let calls = calls.iter().map(|call| {
                    let operation_ir = &krate.operations[call.op];
                    let op = operation(operation_ir);
                    let builder = match &call.input {
                        CaseValue::Struct { path, fields, .. } => builder(path, fields),
                        other => value(other),
                    };
                    let fields = param_fields(&call.params);
                    let params = if binds(krate, operation_ir) {
                        quote! { #op::endpoint_params(&input, params) }
                    } else {
                        quote! { params }
                    };
                    let check = match expect {
                        ir::EndpointExpect::Endpoint { url, properties, headers } => {
                            let headers = headers.iter().map(|(k, vs)| quote! { (#k, &[#(#vs),*][..]) });
                            quote! { ::swage_compliance::expect_endpoint(#id, crate::endpoint::resolve(&params), #url, #properties, &[#(#headers),*]); }
                        }
                        ir::EndpointExpect::Error(message) => {
                            quote! { ::swage_compliance::expect_endpoint_error(#id, crate::endpoint::resolve(&params), #message); }
                        }
                    };
                    quote! {
                        {
                            let builder = #builder;
                            let input = match builder.clone().build() {
                                Ok(input) => input,
                                Err(violations) => {
                                    ::swage_compliance::escape_hatch(#id, &violations);
                                    builder.build_unchecked().expect("the case sets every required member")
                                }
                            };
                            let params = crate::endpoint::EndpointParams { #(#fields)* ..::std::default::Default::default() };
                            let params = #params;
                            #check
                        }
                    }
                });
                quote! { #(#calls)* }
            }
            CaseKind::Response { op, status, headers, body, error, expected } => {
                let operation_ir = &krate.operations[*op];
                let op = operation(operation_ir);
                // A response that carries a request id: the output carries it too, as metadata
                // the case's params don't list.
                let request_id = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"))
                    .map(|(_, v)| v.clone());
                let headers = headers.iter().map(|(k, v)| quote! { (#k, #v) });
                let expected = value(expected);
                let compare_output = match &request_id {
                    Some(rid) => quote! {
                        ::swage_compliance::assert_same_with_request_id(#id, &output, &expected, output.request_id(), #rid)
                    },
                    None => quote! { ::swage_compliance::assert_same(#id, &output, &expected) },
                };
                let check = match error {
                    None => quote! {
                        match parsed {
                            Ok(output) => #compare_output,
                            Err(error) => ::std::panic!("{}: expected the output, got the error {:?}", #id, error),
                        }
                    },
                    Some(variant) => {
                        let m = ident(&operation_ir.module);
                        let e = ident(&operation_ir.error);
                        let v = ident(variant);
                        // A large error is held boxed in the enum.
                        let boxed = operation_ir.errors.iter().any(|x| &x.variant == variant && x.boxed);
                        let actual = if boxed { quote! { &*error } } else { quote! { &error } };
                        quote! {
                            match parsed {
                                Err(crate::operation::#m::#e::#v(error)) => ::swage_compliance::assert_same(#id, #actual, &expected),
                                other => ::std::panic!("{}: expected the {} error, got {:?}", #id, #variant, other),
                            }
                        }
                    }
                };
                quote! {
                    let headers = ::swage_compliance::headers(&[#(#headers),*]);
                    let parsed = #op::parse_response(#status, &headers, #body.as_bytes());
                    let expected = #expected;
                    #check
                }
            }
        };
        quote! {
            #docs
            #[test]
            fn #name() {
                #body
            }
        }
    });
    quote! {
        //! The model's protocol compliance cases, one test each (generated from its
        //! `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`, and the
        //! `smithy.rules#endpointTests` cases that set operation input members).
        #![allow(clippy::all, deprecated, unused_mut)]
        #(#cases)*
    }
}

/// The manifest: `test<TAB>fn<TAB>id` per case, `skip<TAB>id<TAB>reason` per skipped case.
pub fn manifest(c: &Compliance) -> String {
    let mut out = String::new();
    for case in &c.cases {
        out.push_str(&format!("test\t{}\t{}\n", case.fn_name, case.id));
    }
    for (id, reason) in &c.skipped {
        out.push_str(&format!(
            "skip\t{id}\t{}\n",
            reason.replace(['\t', '\n'], " ")
        ));
    }
    out
}

fn operation(op: &ir::Operation) -> TokenStream {
    let m = ident(&op.module);
    let t = ident(&op.type_name);
    quote! { crate::operation::#m::#t }
}

fn option(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote! { Some(#s) },
        None => quote! { None },
    }
}

/// A structure's builder with every field of the case set.
fn builder(path: &ir::TypePath, fields: &[(String, CaseValue)]) -> TokenStream {
    let p = type_path(path);
    let sets = fields.iter().map(|(setter, v)| {
        let s = ident(setter);
        let v = value(v);
        quote! { .#s(Some(#v)) }
    });
    quote! { #p::builder() #(#sets)* }
}

/// A number literal of `ty`, with its sign as a separate token.
fn number(text: &str, ty: &Type) -> TokenStream {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let lit = match ty {
        Type::Byte => digits.parse().map(Literal::i8_suffixed).ok(),
        Type::Short => digits.parse().map(Literal::i16_suffixed).ok(),
        Type::Integer => digits.parse().map(Literal::i32_suffixed).ok(),
        Type::Long => digits.parse().map(Literal::i64_suffixed).ok(),
        Type::Float => digits.parse().map(Literal::f32_suffixed).ok(),
        _ => digits.parse().map(Literal::f64_suffixed).ok(),
    };
    let Some(lit) = lit else {
        // Out of range for the type: let the compiler say so in the generated test.
        let t = Literal::string(text);
        return quote! { ::std::compile_error!(#t) };
    };
    if negative {
        quote! { -#lit }
    } else {
        quote! { #lit }
    }
}

fn value(v: &CaseValue) -> TokenStream {
    match v {
        CaseValue::Str(s) => quote! { String::from(#s) },
        CaseValue::Bool(b) => quote! { #b },
        CaseValue::Int(n, ty) => number(&n.to_string(), ty),
        CaseValue::Float(text, ty) => {
            let t = if *ty == Type::Float {
                quote! { f32 }
            } else {
                quote! { f64 }
            };
            match text.as_str() {
                "NaN" => quote! { #t::NAN },
                "Infinity" => quote! { #t::INFINITY },
                "-Infinity" => quote! { #t::NEG_INFINITY },
                // JSON numbers like `1e3` or `5` still read as floats.
                _ => {
                    let normal = text
                        .parse::<f64>()
                        .map(|f| format!("{f:?}"))
                        .unwrap_or_else(|_| text.clone());
                    number(&normal, ty)
                }
            }
        }
        CaseValue::Blob(s) => quote! { #s.as_bytes().to_vec() },
        CaseValue::Timestamp(t) => {
            quote! { swage_runtime::DateTime::parse_epoch_seconds(#t).expect("the case's timestamp") }
        }
        CaseValue::Document(json) => {
            quote! { swage_runtime::value::parse(#json.as_bytes()).expect("the case's document") }
        }
        CaseValue::Big(t) => quote! { swage_runtime::BigNumber::from(#t) },
        CaseValue::Enum(path, s) => {
            let p = type_path(path);
            quote! { #p::from(#s) }
        }
        CaseValue::IntEnum(path, n) => {
            let p = type_path(path);
            let n = number(&n.to_string(), &Type::Integer);
            quote! { #p::from(#n) }
        }
        CaseValue::Struct {
            path,
            checked,
            fallible,
            fields,
        } => {
            let b = builder(path, fields);
            if *checked {
                quote! { #b.build_unchecked().expect("the case sets every required member") }
            } else if *fallible {
                quote! { #b.build().expect("the case sets every required member") }
            } else {
                quote! { #b.build() }
            }
        }
        CaseValue::Union {
            path,
            variant,
            value: inner,
            boxed,
        } => {
            let p = type_path(path);
            let v = ident(variant);
            match inner {
                None => quote! { #p::#v },
                Some(inner) => {
                    let inner = value(inner);
                    if *boxed {
                        quote! { #p::#v(Box::new(#inner)) }
                    } else {
                        quote! { #p::#v(#inner) }
                    }
                }
            }
        }
        CaseValue::List {
            items,
            sparse,
            item,
        } => {
            let t = super::rust_type(item);
            let items = items.iter().map(|i| element(i.as_ref(), *sparse));
            let t = if *sparse {
                quote! { Option<#t> }
            } else {
                t
            };
            quote! { Vec::<#t>::from([#(#items),*]) }
        }
        CaseValue::Map {
            entries,
            sparse,
            value: vt,
        } => {
            let t = super::rust_type(vt);
            let entries = entries.iter().map(|(k, v)| {
                let v = element(v.as_ref(), *sparse);
                quote! { (String::from(#k), #v) }
            });
            let t = if *sparse {
                quote! { Option<#t> }
            } else {
                t
            };
            quote! { ::std::collections::HashMap::<String, #t>::from_iter([#(#entries),*]) }
        }
    }
}

fn element(v: Option<&CaseValue>, sparse: bool) -> TokenStream {
    match (v, sparse) {
        (Some(v), true) => {
            let v = value(v);
            quote! { Some(#v) }
        }
        (Some(v), false) => value(v),
        (None, _) => quote! { None },
    }
}
