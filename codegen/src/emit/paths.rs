//! Prelude names. Emitters write `Option`, `Some`, `Result`, `String`, ... bare, as a person
//! would. A model may name a shape like one of them (a `Result` structure, say), and in the
//! file that defines it the bare name means the shape. There, [`super::type_path`] writes the
//! shape as `self::Result`, and [`lengthen`] turns the bare names left (std's) into full paths
//! once the file is parsed (and the shape's own `self::Result` back into `Result`).

use proc_macro2::{TokenStream, TokenTree};

/// The prelude names emitters use bare, and the full path each stands for.
const PRELUDE: &[(&str, &str)] = &[
    ("Option", "::std::option::Option"),
    ("Some", "::std::option::Option::Some"),
    ("None", "::std::option::Option::None"),
    ("Result", "::std::result::Result"),
    ("Ok", "::std::result::Result::Ok"),
    ("Err", "::std::result::Result::Err"),
    ("String", "::std::string::String"),
    ("ToString", "::std::string::ToString"),
    ("Vec", "::std::vec::Vec"),
    ("Box", "::std::boxed::Box"),
    ("Into", "::std::convert::Into"),
    ("From", "::std::convert::From"),
    ("Default", "::std::default::Default"),
    ("Clone", "::std::clone::Clone"),
];

/// Whether a generated type named `name` would shadow a prelude name the emitters use.
pub fn is_prelude_name(name: &str) -> bool {
    PRELUDE.iter().any(|(short, _)| *short == name)
}

/// Writes every bare use of a `shadowed` prelude name in `file` as its full std path: in
/// paths, in patterns, and in the tokens of macro calls (which syn leaves unparsed).
pub fn lengthen(file: &mut syn::File, shadowed: &[&str]) {
    if !shadowed.is_empty() {
        syn::visit_mut::visit_file_mut(&mut Lengthener { shadowed }, file);
    }
}

struct Lengthener<'a> {
    shadowed: &'a [&'a str],
}

impl Lengthener<'_> {
    fn full(&self, name: &str) -> Option<&'static str> {
        if !self.shadowed.contains(&name) {
            return None;
        }
        PRELUDE
            .iter()
            .find(|(short, _)| *short == name)
            .map(|(_, full)| *full)
    }
}

impl syn::visit_mut::VisitMut for Lengthener<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_some() {
            return;
        }
        // `self::Result` (the file's own type) reads as `Result` once std's are written out.
        if path.segments.len() >= 2
            && path.segments[0].ident == "self"
            && self.full(&path.segments[1].ident.to_string()).is_some()
        {
            path.segments = std::mem::take(&mut path.segments)
                .into_iter()
                .skip(1)
                .collect();
            return;
        }
        let Some(first) = path.segments.first() else {
            return;
        };
        let Some(full) = self.full(&first.ident.to_string()) else {
            return;
        };
        let Ok(mut long) = syn::parse_str::<syn::Path>(full) else {
            return;
        };
        let mut rest = std::mem::take(&mut path.segments).into_iter();
        if let (Some(first), Some(last)) = (rest.next(), long.segments.last_mut()) {
            last.arguments = first.arguments;
        }
        long.segments.extend(rest);
        *path = long;
    }

    fn visit_pat_mut(&mut self, pat: &mut syn::Pat) {
        // `None` in a pattern parses as a binding.
        if let syn::Pat::Ident(p) = pat {
            if p.by_ref.is_none()
                && p.mutability.is_none()
                && p.subpat.is_none()
                && self.full(&p.ident.to_string()).is_some()
            {
                let path = syn::Path::from(p.ident.clone());
                *pat = syn::Pat::Path(syn::ExprPath {
                    attrs: std::mem::take(&mut p.attrs),
                    qself: None,
                    path,
                });
            }
        }
        syn::visit_mut::visit_pat_mut(self, pat);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        syn::visit_mut::visit_macro_mut(self, mac);
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

impl Lengthener<'_> {
    /// [`lengthen`] on tokens: a shadowed name not preceded by `::` becomes its full path.
    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let mut after_colons = false;
        for tt in tokens {
            let colon = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ':');
            match tt {
                TokenTree::Ident(id) if !after_colons => match self
                    .full(&id.to_string())
                    .and_then(|full| full.parse::<TokenStream>().ok())
                {
                    Some(full) => out.extend(full),
                    None => out.extend([TokenTree::Ident(id)]),
                },
                TokenTree::Group(g) => {
                    let mut ng = proc_macro2::Group::new(g.delimiter(), self.tokens(g.stream()));
                    ng.set_span(g.span());
                    out.extend([TokenTree::Group(ng)]);
                }
                other => out.extend([other]),
            }
            after_colons = colon;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str, shadowed: &[&str]) -> String {
        let mut file: syn::File = syn::parse_str(src).unwrap();
        lengthen(&mut file, shadowed);
        quote::ToTokens::to_token_stream(&file)
            .to_string()
            .replace(' ', "")
    }

    #[test]
    fn lengthens_only_the_shadowed_names() {
        let src = "impl self::Result { fn f() -> Result<Option<u8>, String> { let x: self::Result = self::Result {}; match y { Some(v) => Ok(v), None => Err(matches!(z, Some(_))) } } }";
        assert_eq!(
            run(src, &["Result", "None", "Some"]),
            "implResult{fnf()->::std::result::Result<Option<u8>,String>{letx:Result=Result{};matchy{::std::option::Option::Some(v)=>Ok(v),::std::option::Option::None=>Err(matches!(z,::std::option::Option::Some(_)))}}}"
        );
        assert_eq!(run(src, &[]), src.replace(' ', ""));
    }
}
