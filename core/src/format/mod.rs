//! Serialization of models to the versioned neuroquant container (JSON header + raw
//! little-endian arrays), readable from Rust, C and Python.

mod container;
mod error;

pub use container::{ArrayEntry, CONTAINER_VERSION, Dtype, MAGIC, MAX_HEADER_BYTES};
pub(crate) use container::{Reader, Writer};
pub use error::FormatError;
