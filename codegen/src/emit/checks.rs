//! Constraint checks: the code that walks a value and records every violation through
//! `swage_runtime::Violations`. The same per-value checks serve builders (whose fields are all
//! optional) and nested structures (checked from the input that holds them). Written as text in
//! prettyplease's layout (see [`super::text`]): they are a large share of a big crate's lines.

use super::text::{Stmts, Writer};
use super::type_path;
use crate::ir::{Check, Field, Structure, Type};
use crate::render::Part;
use proc_macro2::Literal;

/// Checks of one value (`value`, a `&T` expression) at `path`, for the checks listed and the
/// value's type, into `out` at `indent`.
fn value_checks(
    w: &mut Writer,
    out: &mut Stmts,
    indent: usize,
    ty: &Type,
    checks: &[Check],
    item_checks: &[Vec<Check>],
    value: &str,
) {
    let call = |out: &mut Stmts, method: &str, args: &[&str]| {
        out.call(indent, "", "violations", method, args, ";")
    };
    for check in checks {
        match (check, ty) {
            (Check::Length { min, max }, Type::String) => call(
                out,
                "str_length",
                &["&path", value, &opt_u64(*min), &opt_u64(*max)],
            ),
            (Check::Length { min, max }, Type::Enum(_)) => call(
                out,
                "str_length",
                &[
                    "&path",
                    &format!("{value}.as_str()"),
                    &opt_u64(*min),
                    &opt_u64(*max),
                ],
            ),
            (Check::Length { min, max }, Type::Blob | Type::List { .. } | Type::Map { .. }) => {
                call(
                    out,
                    "length",
                    &[
                        "&path",
                        &format!("{value}.len()"),
                        &opt_u64(*min),
                        &opt_u64(*max),
                    ],
                );
            }
            (Check::Length { .. }, _) => {}
            (Check::Pattern { static_name }, Type::String) => call(
                out,
                "pattern",
                &["&path", value, &format!("&crate::patterns::{static_name}")],
            ),
            (Check::Pattern { static_name }, Type::Enum(_)) => {
                call(
                    out,
                    "pattern",
                    &[
                        "&path",
                        &format!("{value}.as_str()"),
                        &format!("&crate::patterns::{static_name}"),
                    ],
                );
            }
            (Check::Pattern { .. }, _) => {}
            (Check::Range { min, max }, t) if is_number(t) => {
                let bound = |b: &Option<String>| match b {
                    Some(text) => {
                        let n: f64 = text.parse().unwrap_or(f64::NAN);
                        format!(
                            "Some(({}, {}))",
                            Literal::f64_suffixed(n),
                            Literal::string(text)
                        )
                    }
                    None => "None".to_owned(),
                };
                let number = match t {
                    Type::BigNumber => {
                        format!("{value}.as_str().parse::<f64>().unwrap_or(f64::NAN)")
                    }
                    Type::Double => format!("*{value}"),
                    Type::Long => format!("*{value} as f64"),
                    _ => format!("f64::from(*{value})"),
                };
                call(out, "range", &["&path", &number, &bound(min), &bound(max)]);
            }
            (Check::Range { .. }, _) => {}
            (Check::KnownEnum, Type::Enum(p)) => {
                let p = w.ty(&type_path(p));
                call(
                    out,
                    "one_of",
                    &[
                        "&path",
                        &format!("{value}.as_str()"),
                        &format!("{p}::values()"),
                    ],
                );
            }
            (Check::KnownEnum, Type::IntEnum(p)) => {
                let p = w.ty(&type_path(p));
                call(
                    out,
                    "one_of_int",
                    &[
                        "&path",
                        &format!("{value}.value()"),
                        &format!("{p}::values()"),
                    ],
                );
            }
            (Check::KnownEnum, _) => {}
            (Check::Unique, _) => call(out, "unique", &["&path", value]),
        }
    }
    match ty {
        Type::Struct(_) | Type::Union(_) => {
            out.call(indent, "", value, "validate", &["&path", "violations"], ";")
        }
        Type::List { item, sparse, .. } if !item_checks.is_empty() || contains_struct(item) => {
            let (first, rest) = item_checks
                .split_first()
                .map_or((&[][..], &[][..]), |(f, r)| (f.as_slice(), r));
            out.line(
                indent,
                &format!("for (index, item) in {value}.iter().enumerate() {{"),
            );
            out.line(indent + 4, "let path = path.index(index);");
            if *sparse {
                out.line(indent + 4, "if let Some(item) = item {");
                value_checks(w, out, indent + 8, item, first, rest, "item");
                out.line(indent + 4, "}");
            } else {
                value_checks(w, out, indent + 4, item, first, rest, "item");
            }
            out.line(indent, "}");
        }
        Type::Map {
            value: item,
            sparse,
            ..
        } if !item_checks.is_empty() || contains_struct(item) => {
            let (first, rest) = item_checks
                .split_first()
                .map_or((&[][..], &[][..]), |(f, r)| (f.as_slice(), r));
            // Sorted, so violations come in the same order every time. A sparse map's null
            // values have nothing to check.
            let pattern = if *sparse {
                "Some(Some(item))"
            } else {
                "Some(item)"
            };
            out.line(
                indent,
                &format!("let mut keys: Vec<&String> = {value}.keys().collect();"),
            );
            out.line(indent, "keys.sort();");
            out.line(indent, "for key in keys {");
            out.line(indent + 4, "let path = path.key(key);");
            out.line(
                indent + 4,
                &format!("if let {pattern} = {value}.get(key) {{"),
            );
            value_checks(w, out, indent + 8, item, first, rest, "item");
            out.line(indent + 4, "}");
            out.line(indent, "}");
        }
        _ => {}
    }
}

fn opt_u64(v: Option<u64>) -> String {
    match v {
        Some(n) => format!("Some({})", Literal::u64_suffixed(n)),
        None => "None".to_owned(),
    }
}

fn is_number(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::BigNumber
    )
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

/// The statements checking field `f` (of a builder when `optional_storage`, else of a built
/// value), into `out` at `indent`.
fn field_check(w: &mut Writer, out: &mut Stmts, indent: usize, f: &Field, optional_storage: bool) {
    let field = &f.name;
    let wire = Literal::string(&f.wire_name).to_string();
    let mut checks = Stmts::default();
    // Inside the block that binds `value`: one indent in, or two inside a match arm.
    let inner = if optional_storage && f.must_set() {
        indent + 8
    } else {
        indent + 4
    };
    value_checks(
        w,
        &mut checks,
        inner,
        &f.ty,
        &f.checks,
        &f.item_checks,
        "value",
    );
    let missing = || format!("&path.field({wire})");
    // In a builder every field is optional and only members without a default must be set; in
    // a built value, required and defaulted members are plain values.
    let required = if optional_storage {
        f.must_set()
    } else {
        f.required
    };
    match (optional_storage, required, checks.is_empty()) {
        (true, true, true) => {
            out.line(indent, &format!("if self.{field}.is_none() {{"));
            out.call(indent + 4, "", "violations", "missing", &[&missing()], ";");
            out.line(indent, "}");
        }
        (true, true, false) => {
            out.line(indent, &format!("match &self.{field} {{"));
            out.line(indent + 4, "Some(value) => {");
            out.line(inner, &format!("let path = path.field({wire});"));
            out.append(checks);
            out.line(indent + 4, "}");
            out.line(
                indent + 4,
                &format!("None => violations.missing({}),", missing()),
            );
            out.line(indent, "}");
        }
        (_, _, true) => {}
        (_, false, false) => {
            out.line(indent, &format!("if let Some(value) = &self.{field} {{"));
            out.line(inner, &format!("let path = path.field({wire});"));
            out.append(checks);
            out.line(indent, "}");
        }
        (false, true, false) => {
            out.line(indent, "{");
            out.line(inner, &format!("let value = &self.{field};"));
            out.line(inner, &format!("let path = path.field({wire});"));
            out.append(checks);
            out.line(indent, "}");
        }
    }
}

/// A `check`/`validate` method over the fields of `s`.
fn check_method(w: &mut Writer, head: &str, s: &Structure, optional_storage: bool) {
    let mut body = Stmts::default();
    for f in &s.fields {
        field_check(w, &mut body, 0, f, optional_storage);
    }
    if body.is_empty() {
        body.line(0, "let _ = (path, violations);");
    }
    w.line(4, &["#[inline]"]);
    w.method_with(
        head,
        &[
            "&self",
            "path: &swage_runtime::Path<'_>",
            "violations: &mut swage_runtime::Violations",
        ],
        "",
        body,
    );
}

/// The builder's `check`: missing required members and every constraint of the members set.
pub fn builder_check(s: &Structure) -> Part {
    let mut w = Writer::new();
    check_method(&mut w, "fn check", s, true);
    w.finish()
}

/// `validate` on a nested structure, called from the input that holds it.
pub fn validate_method(s: &Structure) -> Part {
    let mut w = Writer::new();
    let name = w.ty(&type_path(&s.path));
    w.doc_line(
        4,
        "Records every constraint this value violates, at paths under `path`.",
    );
    // On a cycle, a structure may have nothing to check but the next one round: its
    // `violations` then only pass through, as they must.
    if s.fields.iter().any(|f| f.boxed) {
        w.line(4, &["#[allow(clippy::only_used_in_recursion)]"]);
    }
    check_method(&mut w, "pub(crate) fn validate", s, false);
    Part::Block {
        head: format!("impl {name}"),
        members: vec![w.finish()],
    }
}

/// `validate` on a union: the checks of whichever member is set.
pub fn union_validate(u: &crate::ir::Union) -> Part {
    let mut w = Writer::new();
    let name = w.ty(&type_path(&u.path));
    let mut body = Stmts::default();
    body.line(0, "match self {");
    for v in &u.variants {
        let Some(t) = &v.ty else { continue };
        let mut checks = Stmts::default();
        value_checks(&mut w, &mut checks, 8, t, &v.checks, &[], "value");
        if checks.is_empty() {
            continue;
        }
        body.line(4, &format!("{name}::{}(value) => {{", v.name));
        body.line(
            8,
            &format!("let path = path.field({});", Literal::string(&v.wire_name)),
        );
        body.append(checks);
        body.line(4, "}");
    }
    body.line(4, "_ => {");
    body.line(8, "let _ = (path, violations);");
    body.line(4, "}");
    body.line(0, "}");
    w.doc_line(
        4,
        "Records every constraint this value violates, at paths under `path`.",
    );
    w.line(4, &["#[allow(clippy::match_single_binding)]"]);
    w.line(4, &["#[inline]"]);
    w.method_with(
        "pub(crate) fn validate",
        &[
            "&self",
            "path: &swage_runtime::Path<'_>",
            "violations: &mut swage_runtime::Violations",
        ],
        "",
        body,
    );
    Part::Block {
        head: format!("impl {name}"),
        members: vec![w.finish()],
    }
}
