//! Errors specific to binary quadratic models.

use super::Vartype;
use super::expr::ExprError;
use crate::error::ErrorKind;

/// A failure specific to binary quadratic models.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QuboError {
    /// A sample holds a value outside the model's vartype (`{-1, +1}` for SPIN, `{0, 1}` for BINARY).
    #[error("argument `{argument}`: sample {sample}, variable {variable} has value {value}, must be one of {vartype:?}'s values {allowed:?}", allowed = vartype.values())]
    InvalidSampleValue {
        /// Argument name.
        argument: &'static str,
        /// Row of the offending sample.
        sample: usize,
        /// Column (variable index).
        variable: usize,
        /// The offending value.
        value: i64,
        /// The model's vartype.
        vartype: Vartype,
    },
    /// An operation on finite numbers produced a non-finite result (the biases are too large).
    #[error("{operation} overflows to a non-finite value at {location}")]
    Overflow {
        /// What was being computed.
        operation: &'static str,
        /// Where (variable, pair or sample).
        location: String,
    },
    /// A failure of a symbolic expression or of the model compiled from it.
    #[error(transparent)]
    Expression(#[from] ExprError),
}

impl QuboError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            QuboError::InvalidSampleValue { .. } => ErrorKind::InvalidArgument,
            QuboError::Overflow { .. } => ErrorKind::NonFinite,
            QuboError::Expression(e) => e.kind(),
        }
    }
}
