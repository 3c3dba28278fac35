//! PyQUBO-style symbolic expressions compiled to binary quadratic models.
//!
//! Build an [`Expr`] from variables ([`Expr::binary`], [`Expr::spin`]), numbers, placeholders
//! (coefficients bound later), `+ − ×`, integer powers, sums, named constraints
//! ([`Expr::constraint`] with a [`Condition`]) and sub-Hamiltonians ([`Expr::subh`]);
//! [`Expr::compile`] expands it once into a [`CompiledModel`] (higher-order terms quadratized
//! with auxiliary variables); [`CompiledModel::bind`] gives placeholder values and yields a
//! [`Bqm`](crate::qubo::Bqm) quickly, as often as needed; [`BoundModel::decode`] evaluates a
//! sample: energy, constraint values and whether they hold. [`Expr::to_bytes`] /
//! [`Expr::from_bytes`] store an expression in the neuroquant container (kind `"expr"`).

mod binary_poly;
mod bind;
mod compile;
mod condition;
mod decode;
mod deserialize;
mod display;
mod error;
mod expand;
mod key;
mod node;
mod ops;
mod prepass;
mod quadratize;
mod serialize;
mod structural;
mod vocab;

pub use bind::BoundModel;
pub use compile::{CompiledModel, DEFAULT_STRENGTH, Strength};
pub use condition::{Condition, CustomCondition};
pub use decode::Decoded;
pub use error::ExprError;
pub use node::Expr;
pub use vocab::{EncodedInteger, Encoding};
