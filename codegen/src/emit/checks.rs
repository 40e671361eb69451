//! Constraint checks: the code that walks a value and records every violation through
//! `swage_runtime::Violations`. The same per-value checks serve builders (whose fields are all
//! optional) and nested structures (checked from the input that holds them).

use super::{ident, type_path};
use crate::ir::{Check, Field, Structure, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Checks of one value (`value: &T`) at `path`, for the checks listed and the value's type.
fn value_checks(ty: &Type, checks: &[Check], item_checks: &[Vec<Check>], value: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for check in checks {
        out.extend(match (check, ty) {
            (Check::Length { min, max }, Type::String) => {
                let (min, max) = (opt_u64(*min), opt_u64(*max));
                quote! { violations.str_length(&path, #value, #min, #max); }
            }
            (Check::Length { min, max }, Type::Enum(_)) => {
                let (min, max) = (opt_u64(*min), opt_u64(*max));
                quote! { violations.str_length(&path, #value.as_str(), #min, #max); }
            }
            (Check::Length { min, max }, Type::Blob | Type::List { .. } | Type::Map { .. }) => {
                let (min, max) = (opt_u64(*min), opt_u64(*max));
                quote! { violations.length(&path, #value.len(), #min, #max); }
            }
            (Check::Length { .. }, _) => TokenStream::new(),
            (Check::Pattern { static_name }, Type::String) => {
                let s = format_ident!("{}", static_name);
                quote! { violations.pattern(&path, #value, &crate::patterns::#s); }
            }
            (Check::Pattern { static_name }, Type::Enum(_)) => {
                let s = format_ident!("{}", static_name);
                quote! { violations.pattern(&path, #value.as_str(), &crate::patterns::#s); }
            }
            (Check::Pattern { .. }, _) => TokenStream::new(),
            (Check::Range { min, max }, t) if is_number(t) => {
                let bound = |b: &Option<String>| match b {
                    Some(text) => {
                        let n: f64 = text.parse().unwrap_or(f64::NAN);
                        quote! { Some((#n, #text)) }
                    }
                    None => quote! { None },
                };
                let (min, max) = (bound(min), bound(max));
                let number = match t {
                    Type::BigNumber => quote! { #value.as_str().parse::<f64>().unwrap_or(f64::NAN) },
                    Type::Double => quote! { *#value },
                    Type::Long => quote! { *#value as f64 },
                    _ => quote! { f64::from(*#value) },
                };
                quote! { violations.range(&path, #number, #min, #max); }
            }
            (Check::Range { .. }, _) => TokenStream::new(),
            (Check::KnownEnum, Type::Enum(p)) => {
                let p = super::type_path(p);
                quote! { violations.one_of(&path, #value.as_str(), #p::values()); }
            }
            (Check::KnownEnum, Type::IntEnum(p)) => {
                let p = super::type_path(p);
                quote! { violations.one_of_int(&path, #value.value(), #p::values()); }
            }
            (Check::KnownEnum, _) => TokenStream::new(),
            (Check::Unique, _) => quote! { violations.unique(&path, #value); },
        });
    }
    match ty {
        Type::Struct(_) | Type::Union(_) => out.extend(quote! { #value.validate(&path, violations); }),
        Type::List { item, sparse } if !item_checks.is_empty() || contains_struct(item) => {
            let (first, rest) = item_checks.split_first().map_or((&[][..], &[][..]), |(f, r)| (f.as_slice(), r));
            let inner = value_checks(item, first, rest, &quote! { item });
            let each = if *sparse { quote! { if let Some(item) = item { #inner } } } else { inner };
            out.extend(quote! {
                for (index, item) in #value.iter().enumerate() {
                    let path = path.index(index);
                    #each
                }
            });
        }
        Type::Map { value: item, sparse } if !item_checks.is_empty() || contains_struct(item) => {
            let (first, rest) = item_checks.split_first().map_or((&[][..], &[][..]), |(f, r)| (f.as_slice(), r));
            let inner = value_checks(item, first, rest, &quote! { item });
            // A sparse map's null values have nothing to check.
            let pattern = if *sparse { quote! { Some(Some(item)) } } else { quote! { Some(item) } };
            out.extend(quote! {
                // Sorted, so violations come in the same order every time.
                let mut keys: Vec<&String> = #value.keys().collect();
                keys.sort();
                for key in keys {
                    let path = path.key(key);
                    if let #pattern = #value.get(key) { #inner }
                }
            });
        }
        _ => {}
    }
    out
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

fn is_number(ty: &Type) -> bool {
    matches!(ty, Type::Byte | Type::Short | Type::Integer | Type::Long | Type::Float | Type::Double | Type::BigNumber)
}

/// Whether values of the type hold structures or unions, whose own checks must run.
fn contains_struct(ty: &Type) -> bool {
    match ty {
        Type::Struct(_) | Type::Union(_) => true,
        Type::List { item, .. } => contains_struct(item),
        Type::Map { value, .. } => contains_struct(value),
        _ => false,
    }
}

fn field_check(f: &Field, optional_storage: bool) -> TokenStream {
    let field = ident(&f.name);
    let wire = &f.wire_name;
    let checks = value_checks(&f.ty, &f.checks, &f.item_checks, &quote! { value });
    let present = quote! {
        let path = path.field(#wire);
        #checks
    };
    // In a builder every field is optional and only members without a default must be set; in
    // a built value, required and defaulted members are plain values.
    let required = if optional_storage { f.must_set() } else { f.required };
    match (optional_storage, required, checks.is_empty()) {
        (true, true, true) => quote! {
            if self.#field.is_none() {
                violations.missing(&path.field(#wire));
            }
        },
        (true, true, false) => quote! {
            match &self.#field {
                Some(value) => { #present }
                None => violations.missing(&path.field(#wire)),
            }
        },
        (_, _, true) => TokenStream::new(),
        (_, false, false) => quote! { if let Some(value) = &self.#field { #present } },
        (false, true, false) => quote! { { let value = &self.#field; #present } },
    }
}

/// The builder's `check`: missing required members and every constraint of the members set.
pub fn builder_check(s: &Structure) -> TokenStream {
    let body: Vec<TokenStream> = s.fields.iter().map(|f| field_check(f, true)).collect();
    let unused = body.iter().all(TokenStream::is_empty).then(|| quote! { let _ = (path, violations); });
    quote! {
        fn check(&self, path: &swage_runtime::Path<'_>, violations: &mut swage_runtime::Violations) {
            #unused
            #(#body)*
        }
    }
}

/// `validate` on a nested structure, called from the input that holds it.
pub fn validate_method(s: &Structure) -> TokenStream {
    let name = type_path(&s.path);
    let body: Vec<TokenStream> = s.fields.iter().map(|f| field_check(f, false)).collect();
    let unused = body.iter().all(TokenStream::is_empty).then(|| quote! { let _ = (path, violations); });
    quote! {
        impl #name {
            /// Records every constraint this value violates, at paths under `path`.
            pub(crate) fn validate(&self, path: &swage_runtime::Path<'_>, violations: &mut swage_runtime::Violations) {
                #unused
                #(#body)*
            }
        }
    }
}

/// `validate` on a union: the checks of whichever member is set.
pub fn union_validate(u: &crate::ir::Union) -> TokenStream {
    let name = type_path(&u.path);
    let arms = u.variants.iter().filter_map(|v| {
        let t = v.ty.as_ref()?;
        let n = ident(&v.name);
        let wire = &v.wire_name;
        let checks = value_checks(t, &v.checks, &[], &quote! { value });
        if checks.is_empty() {
            return None;
        }
        Some(quote! { #name::#n(value) => { let path = path.field(#wire); #checks } })
    });
    quote! {
        impl #name {
            /// Records every constraint this value violates, at paths under `path`.
            #[allow(clippy::match_single_binding)]
            pub(crate) fn validate(&self, path: &swage_runtime::Path<'_>, violations: &mut swage_runtime::Violations) {
                match self {
                    #(#arms)*
                    _ => { let _ = (path, violations); }
                }
            }
        }
    }
}
