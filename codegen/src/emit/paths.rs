//! Shortening std paths. Emitters write `::std::option::Option` and friends so that no shape name
//! can shadow them; once a file's items are known, every such path whose last name the file does
//! not define is shortened to the prelude name (`Option`, `Some`, `String`, ...), which is what a
//! person would write.

use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};
use std::collections::BTreeSet;

/// Full std paths and the prelude name each may be written as.
const PRELUDE: &[(&[&str], &str)] = &[
    (&["std", "option", "Option", "Some"], "Some"),
    (&["std", "option", "Option", "None"], "None"),
    (&["std", "option", "Option"], "Option"),
    (&["std", "result", "Result", "Ok"], "Ok"),
    (&["std", "result", "Result", "Err"], "Err"),
    (&["std", "result", "Result"], "Result"),
    (&["std", "string", "String"], "String"),
    (&["std", "string", "ToString"], "ToString"),
    (&["std", "vec", "Vec"], "Vec"),
    (&["std", "boxed", "Box"], "Box"),
    (&["std", "convert", "Into"], "Into"),
    (&["std", "convert", "From"], "From"),
    (&["std", "default", "Default"], "Default"),
    (&["std", "clone", "Clone"], "Clone"),
];

/// Shortens std paths in a parsed file, except to names in `defined` (the file's own items):
/// paths in place, and the tokens of macro calls (which syn leaves unparsed) as tokens.
pub fn shorten_std_in(file: &mut syn::File, defined: &BTreeSet<String>) {
    syn::visit_mut::visit_file_mut(&mut Shortener { defined }, file);
}

struct Shortener<'a> {
    defined: &'a BTreeSet<String>,
}

impl syn::visit_mut::VisitMut for Shortener<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_none() || path.segments.first().is_none_or(|s| s.ident != "std") {
            return;
        }
        let Some((len, short)) = PRELUDE.iter().find_map(|(full, short)| {
            let prefix = path.segments.len() >= full.len()
                && path.segments.iter().zip(full.iter()).enumerate().all(|(i, (seg, name))| seg.ident == name && (i + 1 == full.len() || seg.arguments.is_none()));
            (prefix && !self.defined.contains(*short)).then_some((full.len(), *short))
        }) else {
            return;
        };
        let rest: Vec<syn::PathSegment> = path.segments.iter().skip(len - 1).cloned().collect();
        let mut segments: syn::punctuated::Punctuated<syn::PathSegment, syn::Token![::]> = rest.into_iter().collect();
        if let Some(first) = segments.first_mut() {
            first.ident = Ident::new(short, first.ident.span());
        }
        path.leading_colon = None;
        path.segments = segments;
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        syn::visit_mut::visit_macro_mut(self, mac);
        mac.tokens = shorten_std(std::mem::take(&mut mac.tokens), self.defined);
    }
}

/// Shortens std paths in `tokens`, except to names in `defined` (the file's own items).
pub fn shorten_std(tokens: TokenStream, defined: &BTreeSet<String>) -> TokenStream {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tts.len());
    let mut i = 0;
    while i < tts.len() {
        if let Some((len, name)) = match_std(&tts[i..], defined) {
            out.push(TokenTree::Ident(Ident::new(name, proc_macro2::Span::call_site())));
            i += len;
            continue;
        }
        match &tts[i] {
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), shorten_std(g.stream(), defined));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

fn is_colon(tt: &TokenTree, spacing: Option<Spacing>) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == ':' && spacing.is_none_or(|s| p.spacing() == s))
}

/// If `tts` starts with `:: std :: a :: B ...` matching a [`PRELUDE`] entry, its token length
/// and the short name.
fn match_std(tts: &[TokenTree], defined: &BTreeSet<String>) -> Option<(usize, &'static str)> {
    if tts.len() < 3 || !is_colon(&tts[0], Some(Spacing::Joint)) || !is_colon(&tts[1], None) {
        return None;
    }
    if !matches!(&tts[2], TokenTree::Ident(id) if id == "std") {
        return None;
    }
    // Read the idents of the path.
    let mut idents: Vec<String> = Vec::new();
    let mut j = 2;
    while let Some(TokenTree::Ident(id)) = tts.get(j) {
        idents.push(id.to_string());
        j += 1;
        if j + 1 < tts.len() && is_colon(&tts[j], Some(Spacing::Joint)) && is_colon(&tts[j + 1], None) {
            j += 2;
        } else {
            break;
        }
    }
    for (path, short) in PRELUDE {
        if idents.len() >= path.len() && idents[..path.len()] == **path && !defined.contains(*short) {
            // 2 tokens for the leading `::`, then each ident and the `::` before the next.
            let len = 2 + path.len() + 2 * (path.len() - 1);
            return Some((len, short));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str, defined: &[&str]) -> String {
        let defined = defined.iter().map(|s| s.to_string()).collect();
        let tokens = shorten_std(src.parse().unwrap(), &defined).to_string().replace(' ', "");
        // The same, on a parsed file.
        let mut file: syn::File = [src.to_owned(), format!("type X = {src};"), format!("fn x() {{ {src}; }}")]
            .iter()
            .find_map(|s| syn::parse_str(s).ok())
            .unwrap();
        shorten_std_in(&mut file, &defined);
        let parsed = quote::ToTokens::to_token_stream(&file).to_string().replace(' ', "");
        assert!(parsed.contains(&tokens), "{parsed} has {tokens}");
        tokens
    }

    #[test]
    fn shortens_unless_the_file_defines_the_name() {
        assert_eq!(run("fn f() -> ::std::option::Option<::std::string::String> { ::std::option::Option::Some(x) }", &[]), "fnf()->Option<String>{Some(x)}");
        assert_eq!(run("::std::option::Option<u8>", &["Option"]), "::std::option::Option<u8>");
        assert_eq!(run("::std::collections::HashMap<K, V>", &[]), "::std::collections::HashMap<K,V>");
        assert_eq!(run("::std::result::Result::Ok(())", &["Result"]), "Ok(())");
    }
}
