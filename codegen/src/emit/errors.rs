//! Errors: each modelled error's `Display` and `std::error::Error`, and each operation's error
//! enum with its helpers.

use super::{doc, ident, type_path};
use crate::ir::{Operation, Structure};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The field holding an error's message, if it has one that isn't sensitive.
fn message_field(s: &Structure) -> Option<&crate::ir::Field> {
    s.fields.iter().find(|f| {
        f.wire_name.eq_ignore_ascii_case("message")
            && matches!(f.ty, crate::ir::Type::String)
            && !f.sensitive
            && !s.sensitive
    })
}

/// `Display`, `std::error::Error` and `message()` for a modelled error structure.
pub fn error_structure(s: &Structure) -> TokenStream {
    let name = type_path(&s.path);
    let code = s.shape_id.rsplit('#').next().unwrap_or(&s.path.name);
    let has_message = message_field(s).is_some();
    let (message_body, has_getter) = match message_field(s) {
        Some(f) => {
            let field = ident(&f.name);
            (
                if f.required {
                    quote! { Some(self.#field.as_str()) }
                } else {
                    quote! { self.#field.as_deref() }
                },
                f.method == "message",
            )
        }
        None => (quote! { None }, false),
    };
    let message_method = (!has_getter).then(|| {
        quote! {
            /// The error message, if the service sent one.
            #[inline]
            pub fn message(&self) -> Option<&str> { #message_body }
        }
    });
    let _ = has_getter;
    let display = if has_message {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#code)?;
                    if let Some(message) = #message_body {
                        write!(f, ": {message}")?;
                    }
                    Ok(())
                }
            }
        }
    } else {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#code)
                }
            }
        }
    };
    quote! {
        impl #name {
            #message_method
            /// The error code, as the service sends it.
            pub const CODE: &'static str = #code;
        }

        impl swage_runtime::ServiceError for #name {
            const CODE: &'static str = #code;
            fn message(&self) -> Option<&str> { #message_body }
            fn request_id(&self) -> Option<&str> { self._request_id.as_deref() }
        }

        #display

        impl ::std::error::Error for #name {}
    }
}

/// The operation's error enum.
pub fn operation_error(op: &Operation, errors: &[&Structure]) -> TokenStream {
    let name = ident(&op.error);
    let op_name = &op.wire_name;
    let variants = op.errors.iter().zip(errors).map(|(e, s)| {
        let v = ident(&e.variant);
        let p = type_path(&e.path);
        let d = doc(s.docs.as_deref());
        if e.boxed {
            quote! { #d #v(Box<#p>), }
        } else {
            quote! { #d #v(#p), }
        }
    });
    // One match: every helper below reads the runtime's view of the error.
    let view_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let (retryable, throttling) = (e.retryable, e.throttling);
        let e_ref = if e.boxed { quote! { &**e } } else { quote! { e } };
        quote! { #name::#v(e) => swage_runtime::ErrorView::modelled(#e_ref, #retryable, #throttling), }
    });
    let is_methods = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let method = format_ident!("is_{}", crate::naming::plain_snake(&e.variant));
        let d = format!(" Whether this is a `{}`.", e.code);
        quote! {
            #[doc = #d]
            #[inline]
            pub fn #method(&self) -> bool { matches!(self, #name::#v(_)) }
        }
    });
    let doc_text = format!(" Every way `{op_name}` can fail once the service has been reached: one variant per error in the model, and `Unhandled` for everything else (an error the model doesn't name, or a response that can't be read).");
    quote! {
        #[doc = #doc_text]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error the model doesn't describe, or a response that could not be read. It
            /// keeps the status, code, message, request id and raw body.
            Unhandled(swage_runtime::Unhandled),
        }

        impl #name {
            /// The error as the runtime sees it: which modelled error, or the unhandled one.
            fn view(&self) -> swage_runtime::ErrorView<'_> {
                match self {
                    #(#view_arms)*
                    #name::Unhandled(e) => swage_runtime::ErrorView::Unhandled(e),
                }
            }

            /// The error code (`AccessDeniedException`, ...), if the response carried one.
            #[inline]
            pub fn code(&self) -> Option<&str> { self.view().code() }

            /// The error message, if the service sent one.
            #[inline]
            pub fn message(&self) -> Option<&str> { self.view().message() }

            /// The request id (from `x-amzn-requestid`), if the response had one.
            #[inline]
            pub fn request_id(&self) -> Option<&str> { self.view().request_id() }

            /// Whether the model says retrying may succeed (`@retryable`), or, for unhandled
            /// errors, whether the status or code is one AWS treats as transient.
            #[inline]
            pub fn is_retryable(&self) -> bool { self.view().is_retryable() }

            /// Whether this is a throttling error.
            #[inline]
            pub fn is_throttling(&self) -> bool { self.view().is_throttling() }

            #(#is_methods)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { ::std::fmt::Display::fmt(&self.view(), f) }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> { Some(self.view().error()) }
        }

        impl swage_runtime::OperationError for #name {
            fn code(&self) -> Option<&str> { #name::code(self) }
            fn request_id(&self) -> Option<&str> { #name::request_id(self) }
            fn is_retryable(&self) -> bool { #name::is_retryable(self) }
            fn is_throttling(&self) -> bool { #name::is_throttling(self) }
        }
    }
}
