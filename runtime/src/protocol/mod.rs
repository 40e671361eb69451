//! Protocol rules, one module per family: what a protocol says about reading responses beyond
//! its codec (where the error code is, how it is cleaned). The codecs are their own modules
//! ([`crate::json`] for JSON); HTTP request and response plumbing is in [`crate::request`] and
//! [`crate::response`].

pub mod json;
pub mod query;
