//! Parameters described once: every parameter's name, meaning, accepted values, default and
//! validation live in the core, and the C and Python bindings read them from here instead of
//! restating them.
//!
//! - [`Value`] is a parameter as a binding hands it over (a Python object, a C field);
//!   [`FromValue`] / [`ToValue`] convert it with the messages every surface shares.
//! - [`NamedEnum`] (declared with `named_enum!`) is an enum whose values are names.
//! - [`KeywordArgs`] (declared with `params!`) is a parameter struct read from [`Keywords`] and
//!   written back to them; its [`Keyword`]s carry the docs.
//! - `serialize` writes any [`KeywordArgs`] to the model container from its keywords.

mod keywords;
mod named_enum;
pub(crate) mod serialize;
mod value;

pub use keywords::{IntoParam, Keyword, KeywordArgs, Keywords};
pub use named_enum::NamedEnum;
pub use value::{FromValue, ToValue, Value};

pub(crate) use keywords::params;
pub(crate) use named_enum::named_enum;
pub(crate) use serialize::params_container;
pub(crate) use value::mismatch as value_mismatch;
