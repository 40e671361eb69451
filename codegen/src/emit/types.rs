//! Structures, their builders and getters, and enums.

use super::text::Writer;
use super::{checks, deprecated, doc, ident, is_copy, rust_type, type_path};
use crate::ir::{Enum, Field, Role, Structure, Type};
use crate::render::Part;
use proc_macro2::TokenStream;
use quote::quote;

/// The getter's return type and body for a field stored as `self.<field>`.
fn getter(w: &mut Writer, f: &Field) -> (String, String) {
    let name = &f.name;
    enum Mode {
        Deref,
        Ref,
        Copy,
    }
    let (ty, mode) = match &f.ty {
        Type::String => ("&str".to_owned(), Mode::Deref),
        Type::Blob => ("&[u8]".to_owned(), Mode::Deref),
        t if f.boxed => (format!("&{}", w.ty(&rust_type(t))), Mode::Deref),
        Type::List { item, sparse, .. } => {
            let item = w.ty(&rust_type(item));
            if *sparse {
                (format!("&[Option<{item}>]"), Mode::Deref)
            } else {
                (format!("&[{item}]"), Mode::Deref)
            }
        }
        t if is_copy(t) => (w.ty(&rust_type(t)), Mode::Copy),
        t => (format!("&{}", w.ty(&rust_type(t))), Mode::Ref),
    };
    match (f.required, mode) {
        (true, Mode::Copy) => (ty, format!("self.{name}")),
        (true, _) => (ty, format!("&self.{name}")),
        (false, Mode::Deref) => (format!("Option<{ty}>"), format!("self.{name}.as_deref()")),
        (false, Mode::Ref) => (format!("Option<{ty}>"), format!("self.{name}.as_ref()")),
        (false, Mode::Copy) => (format!("Option<{ty}>"), format!("self.{name}")),
    }
}

/// The type a structure stores a field as.
fn stored_type(w: &mut Writer, f: &Field) -> String {
    let ty = w.ty(&rust_type(&f.ty));
    let ty = if f.boxed { format!("Box<{ty}>") } else { ty };
    if f.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A struct declaration (after the docs and attributes `w` has): `name: type` fields.
fn struct_decl(mut w: Writer, name: &str, fields: &[(String, String)]) -> Part {
    if fields.is_empty() {
        w.line(0, &["pub struct ", name, " {}"]);
        return w.finish();
    }
    w.line(0, &["pub struct ", name, " {"]);
    for (field, ty) in fields {
        w.line(4, &[field, ": ", ty, ","]);
    }
    w.line(0, &["}"]);
    w.finish()
}

/// `Debug` that prints `@sensitive` fields redacted.
fn debug_impl(
    name: &TokenStream,
    s: &Structure,
    fields: &[Field],
    request_id: bool,
) -> TokenStream {
    let label = s.path.name.as_str();
    let entries = fields.iter().map(|f| {
        let field = ident(&f.name);
        let key = f.name.trim_start_matches("r#");
        if f.sensitive || s.sensitive {
            quote! { .field(#key, &swage_runtime::REDACTED) }
        } else {
            quote! { .field(#key, &self.#field) }
        }
    });
    let request_id = request_id.then(|| quote! { .field("request_id", &self._request_id) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* #request_id .finish()
            }
        }
    }
}

/// The structure, its getters, its builder and (for validated shapes) its checks.
pub fn structure(s: &Structure) -> Vec<Part> {
    let this = type_path(&s.path);
    let this_text = Writer::new().ty(&this);
    let builder = &s.builder;
    let has_request_id = matches!(s.role, Role::Output | Role::Error);
    let fields = &s.fields;
    // Sensitive members have a `Debug` of their own, redacted.
    let derive = if s.has_sensitive() {
        "#[derive(Clone, PartialEq)]"
    } else {
        "#[derive(Clone, PartialEq, Debug)]"
    };
    let mut parts = Vec::new();

    let mut w = Writer::new();
    w.docs(0, s.docs.as_deref());
    w.doc_line(0, "");
    w.doc_line(0, &format!("Create one with [`{}::builder`].", s.path.name));
    w.deprecated(0, &s.deprecated);
    w.line(0, &[derive]);
    w.line(0, &["#[non_exhaustive]"]);
    let mut decls: Vec<(String, String)> = fields
        .iter()
        .map(|f| (f.name.clone(), stored_type(&mut w, f)))
        .collect();
    if has_request_id {
        decls.push(("_request_id".to_owned(), "Option<String>".to_owned()));
    }
    parts.push(struct_decl(w, &s.path.name, &decls));

    let mut getters = Vec::new();
    let mut w = Writer::new();
    w.doc_line(4, "A builder for this type.");
    // Called through the trait, so that no inherent method can shadow it.
    let default = format!("<{builder} as Default>::default()");
    w.inline();
    w.method("pub fn builder", &[], builder, &[&default]);
    getters.push(w.finish());
    for f in fields {
        let mut w = Writer::new();
        w.docs(4, f.docs.as_deref());
        w.deprecated(4, &f.deprecated);
        let (ty, body) = getter(&mut w, f);
        w.inline();
        w.method(&format!("pub fn {}", f.method), &["&self"], &ty, &[&body]);
        getters.push(w.finish());
    }
    // A member called `RequestId` keeps its getter; the metadata stays reachable through
    // `ServiceError` (errors) or the field's own value.
    if has_request_id && !fields.iter().any(|f| f.method == "request_id") {
        let mut w = Writer::new();
        w.doc_line(
            4,
            "The request id AWS assigned (from `x-amzn-requestid`), if the response had one.",
        );
        w.inline();
        w.method(
            "pub fn request_id",
            &["&self"],
            "Option<&str>",
            &["self._request_id.as_deref()"],
        );
        getters.push(w.finish());
    }
    parts.push(Part::Block {
        head: format!("impl {this_text}"),
        members: getters,
    });

    if s.has_sensitive() {
        parts.push(Part::Tokens(debug_impl(&this, s, fields, has_request_id)));
    }
    if s.validated && (s.role != Role::Input || s.nested) {
        parts.push(checks::validate_method(s));
    }

    let mut w = Writer::new();
    w.doc_line(0, &format!("A builder for [`{}`].", s.path.name));
    let derive = if s.has_sensitive() {
        "#[derive(Clone, PartialEq, Default)]"
    } else {
        "#[derive(Clone, PartialEq, Default, Debug)]"
    };
    w.line(0, &[derive]);
    let decls: Vec<(String, String)> = fields
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                format!("Option<{}>", w.ty(&rust_type(&f.ty))),
            )
        })
        .collect();
    parts.push(struct_decl(w, builder, &decls));

    let mut members: Vec<Part> = Vec::new();
    for f in fields {
        builder_methods(f, &mut members);
    }
    members.extend(build_methods(s));
    parts.push(Part::Block {
        head: format!("impl {builder}"),
        members,
    });

    if s.has_sensitive() {
        let builder = ident(builder);
        parts.push(Part::Tokens(debug_impl(
            &quote! { #builder },
            s,
            fields,
            false,
        )));
    }
    parts
}

/// `&["/a/", "/b/"]`: the prefixes a field's setters take off.
fn trim_list(f: &Field) -> String {
    let items: Vec<String> = f.trim_prefixes.iter().map(|p| format!("{p:?}")).collect();
    format!("&[{}]", items.join(", "))
}

/// A builder's three methods for a field: the setter taking the value (or, for lists and maps,
/// one element or entry), `set_` taking an `Option`, and `get_`.
fn builder_methods(f: &Field, members: &mut Vec<Part>) {
    let field = &f.name;
    let mut w = Writer::new();
    let ty = w.ty(&rust_type(&f.ty));
    w.docs(4, f.docs.as_deref());
    let required = match &f.default {
        _ if f.must_set() => Some("Required.".to_owned()),
        Some(d) => Some(format!(
            "Defaults to the model's `@default` ({}) when not set.",
            describe_default(d)
        )),
        None => None,
    };
    if let Some(r) = required {
        w.doc_line(4, "");
        w.doc_line(4, &r);
    }
    w.deprecated(4, &f.deprecated);
    let head = format!("pub fn {}", f.method);
    match &f.ty {
        Type::List { item, sparse, .. } => {
            let item = w.ty(&rust_type(item));
            let item = if *sparse {
                format!("Option<{item}>")
            } else {
                item
            };
            w.doc_line(4, "");
            w.doc_line(4, "Appends one element; call it once per element.");
            let param = format!("item: impl Into<{item}>");
            let push = format!("self.{field}.get_or_insert_with(Vec::new).push(item.into());");
            w.method(&head, &["mut self", &param], "Self", &[&push, "self"]);
        }
        Type::Map { value, sparse, .. } => {
            let value = w.ty(&rust_type(value));
            let value = if *sparse {
                format!("Option<{value}>")
            } else {
                value
            };
            w.doc_line(4, "");
            w.doc_line(4, "Inserts one entry; call it once per entry.");
            let param = format!("value: impl Into<{value}>");
            let insert = format!("self.{field}.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());");
            w.method(
                &head,
                &["mut self", "key: impl Into<String>", &param],
                "Self",
                &[&insert, "self"],
            );
        }
        Type::String if !f.trim_prefixes.is_empty() => {
            let prefixes = trim_list(f);
            w.doc_line(4, "");
            w.doc_line(
                4,
                &format!("A leading {} is taken off, so an id from a response can be passed back as it is.", f.trim_prefixes.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")),
            );
            let param = format!("input: impl Into<{ty}>");
            let set = format!("self.{field} = Some(swage_runtime::request::trim_prefixes(&input.into(), {prefixes}).to_owned());");
            w.method(&head, &["mut self", &param], "Self", &[&set, "self"]);
        }
        _ => {
            let param = format!("input: impl Into<{ty}>");
            let set = format!("self.{field} = Some(input.into());");
            w.method(&head, &["mut self", &param], "Self", &[&set, "self"]);
        }
    }
    members.push(w.finish());

    let mut w = Writer::new();
    w.doc_line(4, &format!("Sets or clears `{}`.", f.wire_name));
    w.deprecated(4, &f.deprecated);
    let param = format!("input: Option<{ty}>");
    let set = if f.trim_prefixes.is_empty() || f.ty != Type::String {
        format!("self.{field} = input;")
    } else {
        format!(
            "self.{field} = input.map(|v| swage_runtime::request::trim_prefixes(&v, {}).to_owned());",
            trim_list(f)
        )
    };
    w.inline();
    w.method(
        &format!("pub fn {}", f.setter),
        &["mut self", &param],
        "Self",
        &[&set, "self"],
    );
    members.push(w.finish());

    let mut w = Writer::new();
    w.doc_line(4, &format!("The value set for `{}`, if any.", f.wire_name));
    w.deprecated(4, &f.deprecated);
    let returns = format!("&Option<{ty}>");
    let get = format!("&self.{field}");
    w.inline();
    w.method(
        &format!("pub fn {}", f.builder_getter),
        &["&self"],
        &returns,
        &[&get],
    );
    members.push(w.finish());
}

/// `build()` (and, for validated shapes, `build_unchecked()` and `check`), as builder members.
fn build_methods(s: &Structure) -> Vec<Part> {
    let mut w = Writer::new();
    let this = w.ty(&type_path(&s.path));
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.must_set()).collect();
    let mut values: Vec<String> = Vec::new();
    for f in &s.fields {
        let field = ident(&f.name);
        let base = if f.must_set() {
            f.name.clone()
        } else if let Some(d) = &f.default {
            w.expr(&super::or_default(quote! { self.#field }, &f.ty, d))
        } else if f.idempotency_token {
            // A fresh token now, so that every retry of this input sends the same one.
            format!(
                "self.{}.or_else(|| Some(swage_runtime::idempotency_token()))",
                f.name
            )
        } else {
            format!("self.{}", f.name)
        };
        let value = match (f.boxed, f.required) {
            (false, _) => base,
            (true, true) => format!("Box::new({base})"),
            (true, false) => format!("{base}.map(Box::new)"),
        };
        values.push(if value == f.name {
            value
        } else {
            format!("{}: {value}", f.name)
        });
    }
    if matches!(s.role, Role::Output | Role::Error) {
        values.push("_request_id: None".to_owned());
    }
    let returns = format!("Result<{this}, swage_runtime::ConstraintViolations>");
    // The required members, each reported if missing, then the value.
    let mut checked_body: Vec<String> = Vec::new();
    if !required.is_empty() {
        checked_body.push("let root = swage_runtime::Path::root();".to_owned());
        checked_body.push("let mut violations = swage_runtime::Violations::new();".to_owned());
        for f in &required {
            let wire = proc_macro2::Literal::string(&f.wire_name);
            checked_body.push(format!(
                "let {0} = violations.require(&root.field({wire}), self.{0});",
                f.name
            ));
        }
        let names: Vec<&str> = required.iter().map(|f| f.name.as_str()).collect();
        let (pattern, tuple) = match names.as_slice() {
            [one] => (format!("Some({one})"), (*one).to_owned()),
            _ => (
                names
                    .iter()
                    .map(|n| format!("Some({n})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                names.join(", "),
            ),
        };
        let (pattern, tuple) = if names.len() == 1 {
            (pattern, tuple)
        } else {
            (format!("({pattern})"), format!("({tuple})"))
        };
        checked_body.push(format!("let {pattern} = {tuple} else {{"));
        checked_body.push("    return Err(violations.into_error());".to_owned());
        checked_body.push("};".to_owned());
    }
    checked_body.extend(struct_literal("Ok(", &this, &values, ")", &mut w));
    let body: Vec<&str> = checked_body.iter().map(String::as_str).collect();

    let mut members = Vec::new();
    if s.validated {
        let mut build = Writer::new();
        for line in [
            "Builds the value, checking every constraint of the model (`@required`,",
            "`@length`, `@pattern`, `@range`, enum values, `@uniqueItems`, nested values",
            "included) and returning all violations at once.",
        ] {
            build.doc_line(4, line);
        }
        build.line(4, &["#[inline]"]);
        build.method(
            "pub fn build",
            &["self"],
            &returns,
            &[
                "let mut violations = swage_runtime::Violations::new();",
                "self.check(&swage_runtime::Path::root(), &mut violations);",
                "violations.finish()?;",
                "self.build_unchecked()",
            ],
        );
        members.push(build.finish());
        for line in [
            "Builds the value checking only that `@required` members are set.",
            "",
            "This is the escape hatch for when the service has relaxed a constraint before the",
            "model was regenerated: values the model would reject go to the service as they",
            "are, and the service has the last word. Prefer [`build`](Self::build).",
        ] {
            w.doc_line(4, line);
        }
        w.line(4, &["#[inline]"]);
        w.method("pub fn build_unchecked", &["self"], &returns, &body);
        members.push(w.finish());
        members.push(checks::builder_check(s));
    } else if required.is_empty() {
        w.doc_line(4, "Builds the value.");
        let lines = struct_literal("", &this, &values, "", &mut w);
        let body: Vec<&str> = lines.iter().map(String::as_str).collect();
        w.line(4, &["#[inline]"]);
        w.method("pub fn build", &["self"], &this, &body);
        members.push(w.finish());
    } else {
        w.doc_line(
            4,
            "Builds the value; fails if a `@required` member is not set.",
        );
        w.line(4, &["#[inline]"]);
        w.method("pub fn build", &["self"], &returns, &body);
        members.push(w.finish());
    }
    members
}

/// The lines of `prefix` + a struct literal of `fields` (`name` or `name: value`) + `suffix`,
/// relative to the statement's indentation, as prettyplease lays it out: on one line when it
/// is at most 34 columns wide, else one field per line.
pub(super) fn struct_literal(
    prefix: &str,
    this: &str,
    fields: &[String],
    suffix: &str,
    w: &mut Writer,
) -> Vec<String> {
    if fields.is_empty() {
        // prettyplease breaks the braces of a long name's empty literal (at 32 characters
        // within `Ok(..)`, as in IAM's `DeleteAccountPasswordPolicyInput`); near that, it lays
        // the text out itself.
        if this.len() + 2 > 30 {
            w.unsure();
        }
        return vec![format!("{prefix}{this} {{}}{suffix}")];
    }
    let flat = format!("{this} {{ {} }}", fields.join(", "));
    if flat.len() - 1 <= 34 {
        return vec![format!("{prefix}{flat}{suffix}")];
    }
    let mut lines = vec![format!("{prefix}{this} {{")];
    lines.extend(fields.iter().map(|f| format!("    {f},")));
    lines.push(format!("}}{suffix}"));
    lines
}

/// A string enum that keeps values it doesn't know.
pub fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.path.name);
    let this = type_path(&e.path);
    let docs = doc(e.docs.as_deref());
    let variants = e.variants.iter().map(|(v, value, d)| {
        let v = ident(v);
        let d = doc(d.as_deref());
        let wire = format!(" {}", crate::docs::code_span(value));
        let sep = if d.is_empty() {
            quote! {}
        } else {
            quote! { #[doc = ""] }
        };
        quote! { #d #sep #[doc = #wire] #v, }
    });
    let from_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        quote! { #value => #this::#v, }
    });
    let as_str_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        quote! { #this::#v => #value, }
    });
    let values = e.variants.iter().map(|(_, value, _)| value);
    let shape_dep = deprecated(&e.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client doesn't know (the service may add values).
            Unknown(swage_runtime::UnknownValue),
        }

        impl #this {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    #this::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #this {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => #this::Unknown(swage_runtime::UnknownValue::__from_wire(other)),
                }
            }
        }

        impl ::std::fmt::Display for #this {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An intEnum that keeps values it doesn't know.
pub fn int_enumeration(e: &crate::ir::IntEnum) -> TokenStream {
    let name = ident(&e.path.name);
    let this = type_path(&e.path);
    let docs = doc(e.docs.as_deref());
    let variants = e.variants.iter().map(|(v, value, d)| {
        let v = ident(v);
        let d = doc(d.as_deref());
        let wire = format!(" `{value}`");
        let sep = if d.is_empty() {
            quote! {}
        } else {
            quote! { #[doc = ""] }
        };
        quote! { #d #sep #[doc = #wire] #v, }
    });
    let value_of = |value: &i64| proc_macro2::Literal::i32_unsuffixed(*value as i32);
    let from_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        let value = value_of(value);
        quote! { #value => #this::#v, }
    });
    let value_arms = e.variants.iter().map(|(v, value, _)| {
        let v = ident(v);
        let value = value_of(value);
        quote! { #this::#v => #value, }
    });
    let values = e.variants.iter().map(|(_, value, _)| value_of(value));
    let shape_dep = deprecated(&e.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client doesn't know (the service may add values).
            Unknown(swage_runtime::UnknownIntValue),
        }

        impl #this {
            /// The value as it goes on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#value_arms)*
                    #this::Unknown(value) => value.value(),
                }
            }

            /// Every value the model knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #this {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_arms)*
                    other => #this::Unknown(swage_runtime::UnknownIntValue::__from_wire(other)),
                }
            }
        }
    }
}

/// A union: one variant per member, and `Unknown` for members added after generation.
pub fn union(u: &crate::ir::Union) -> TokenStream {
    let name = ident(&u.path.name);
    let this = type_path(&u.path);
    let docs = doc(u.docs.as_deref());
    let variants = u.variants.iter().map(|v| {
        let n = ident(&v.name);
        let d = doc(v.docs.as_deref());
        match &v.ty {
            None => quote! { #d #n, },
            Some(t) => {
                let t = rust_type(t);
                if v.boxed {
                    quote! { #d #n(Box<#t>), }
                } else {
                    quote! { #d #n(#t), }
                }
            }
        }
    });
    let derive_debug = if u.sensitive {
        quote! {}
    } else {
        quote! { Debug, }
    };
    let debug = u.sensitive.then(|| {
        let label = u.path.name.as_str();
        quote! {
            impl ::std::fmt::Debug for #this {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_tuple(#label).field(&swage_runtime::REDACTED).finish()
                }
            }
        }
    });
    let shape_dep = deprecated(&u.deprecated);
    quote! {
        #docs
        #shape_dep
        #[derive(Clone, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the client doesn't know; it holds the member's name.
            Unknown(swage_runtime::UnknownValue),
        }
        #debug
    }
}

fn describe_default(d: &crate::ir::DefaultValue) -> String {
    use crate::ir::DefaultValue as D;
    match d {
        D::Str(s) => format!("`\"{s}\"`"),
        D::Bool(b) => format!("`{b}`"),
        D::Int(n) => format!("`{n}`"),
        D::Float(x) => format!("`{x}`"),
        D::EpochSeconds(n) => format!("`{n}` seconds after the epoch"),
        D::Empty => "empty".to_owned(),
        D::Bytes(b) => format!("`{:?}`", String::from_utf8_lossy(b)),
        D::Document(json) => format!("`{json}`"),
    }
}
