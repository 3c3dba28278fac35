//! Constraint penalties: turn a constraint on BINARY values into a quadratic term that is zero on
//! the feasible assignments and positive elsewhere, and add it to a [`Bqm`](super::Bqm) in place.
//!
//! The builders are methods of `Bqm` (all or nothing: on error the model is unchanged):
//! [`add_linear_equality`](super::Bqm::add_linear_equality),
//! [`add_linear_inequality`](super::Bqm::add_linear_inequality) (slack variables appended),
//! [`add_less_equal`](super::Bqm::add_less_equal), [`add_greater_equal`](super::Bqm::add_greater_equal),
//! [`add_at_most_one`](super::Bqm::add_at_most_one), [`add_exactly_one`](super::Bqm::add_exactly_one),
//! [`add_k_hot`](super::Bqm::add_k_hot),
//! [`add_at_least_all_but_one`](super::Bqm::add_at_least_all_but_one). Each returns a
//! [`PenaltyReport`] with the strength used and the slack variables added. Constraints are read on
//! BINARY values; in a SPIN model they are added exactly through `x = (s + 1) / 2`.

mod cardinality;
mod dimod_form;
mod equality;
mod inequality;
mod linear_form;
mod pairwise;
mod report;
mod resolution;
mod slack;
mod strength;
pub(crate) mod terms;

pub use dimod_form::{DimodInequalityAction, DimodInequalityPlan, DimodPenalization, MAX_DIMOD_SLACK};
pub use inequality::Sense;
pub use report::PenaltyReport;
pub use resolution::{MAX_DECIMALS, MAX_UNITS, resolution_from_value};
pub use slack::bounded_coefficients;
pub use strength::{Strength, auto_strength, objective_range_bound};
pub use terms::MAX_TERMS;

pub(crate) use resolution::{near_integer_or_floor, of_values as resolution_of};
pub(crate) use strength::positive;
