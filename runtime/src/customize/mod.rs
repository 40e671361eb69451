//! What single AWS services need beyond their models, one module per service (the generator's
//! `customize` module decides which operations call these).

pub mod glacier;
