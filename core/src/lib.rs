//! neuroquant: an embeddable library for neuromorphic and quantum-inspired computing.
//!
//! The core is pure computation; the C ABI (`neuroquant-ffi`) and the Python wheel
//! (`neuroquant-python`) are thin bindings over it. See ARCHITECTURE.md for the layers and
//! invariants.
//!
//! ```
//! use neuroquant::qubo::{Bqm, Vartype};
//! let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
//! bqm.add_quadratic(0, 1, -1.0)?;
//! bqm.add_quadratic(1, 2, -1.0)?;
//! let energies = bqm.energies_vec(&[1i8, 1, 1, 1, -1, 1])?;
//! assert_eq!(energies, vec![-2.0, 2.0]);
//! # Ok::<(), neuroquant::Error>(())
//! ```

#![warn(missing_docs)]

mod alloc;
pub mod anneal;
pub mod building;
pub mod control;
mod cpu;
#[cfg(feature = "dwave")]
pub mod dwave;
pub mod error;
pub mod format;
pub mod params;
pub mod quantum;
pub mod qubo;
pub mod reservoir;
pub mod rng;
pub mod spike;

pub use error::{ArgumentError, Error, ErrorKind, Result};
/// `serde_json` is a public dependency: [`anneal::Sampler::properties`] and [`anneal::Info`]
/// hold its values.
pub use serde_json;

/// The README's Rust example, compiled and run as a doc-test.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The library version (`CARGO_PKG_VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
