//! Errors specific to symbolic expressions and the models compiled from them.

use crate::error::ErrorKind;
use crate::qubo::Vartype;

/// A failure specific to expressions, their compilation, binding and decoding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExprError {
    /// A number in the expression is NaN or infinite.
    #[error("argument `expr`: contains the number {value}, numbers must be finite")]
    NonFiniteNumber {
        /// The offending number.
        value: f64,
    },
    /// A product of too many spin variables: in binary form it has `2^degree` terms.
    #[error(
        "argument `expr`: a product of {degree} spin variables expands to 2^{degree} binary terms, at most {limit} spin variables per product are supported"
    )]
    SpinDegreeTooHigh {
        /// Spin variables in the product.
        degree: usize,
        /// The limit.
        limit: usize,
    },
    /// One label is used for variables of both vartypes (`Binary("x") + Spin("x")`).
    #[error(
        "argument `expr`: variable {label:?} is used both as {first} and as {second}, a label must keep one vartype"
    )]
    VartypeConflict {
        /// The variable's label.
        label: String,
        /// The vartype it was first used with.
        first: Vartype,
        /// The other vartype.
        second: Vartype,
    },
    /// Two different constraints or sub-Hamiltonians share a label.
    #[error(
        "argument `expr`: label {label:?} names two different constraints or sub-Hamiltonians, labels must be unique"
    )]
    DuplicateLabel {
        /// The label.
        label: String,
    },
    /// The name of an auxiliary variable created by quadratization is already a variable's label.
    #[error(
        "argument `expr`: the auxiliary variable {label:?} created for a higher-order term has the label of a variable of the expression; rename that variable"
    )]
    AuxiliaryLabelTaken {
        /// The label.
        label: String,
    },
    /// `feed_dict` lacks a value for one of the model's placeholders (names it does not use are
    /// ignored, as PyQUBO ignores them).
    #[error("argument `feed_dict`: placeholder {label:?} has no value")]
    MissingPlaceholder {
        /// The placeholder without a value.
        label: String,
    },
    /// A sample names a variable the model does not have.
    #[error("argument `sample`: {label:?} is not a variable of the model")]
    UnknownVariable {
        /// The unknown label.
        label: String,
    },
    /// A sample lacks a value for one of the expression's variables.
    #[error("argument `sample`: variable {label:?} has no value")]
    MissingVariable {
        /// The variable without a value.
        label: String,
    },
    /// A sample gives a variable a value outside the stated vartype.
    #[error("argument `sample`: variable {label:?} has value {value}, must be one of {vartype}'s values {allowed:?}", allowed = vartype.values())]
    InvalidValue {
        /// The variable.
        label: String,
        /// The offending value.
        value: i64,
        /// The vartype the sample is given in.
        vartype: Vartype,
    },
    /// A constraint's condition is custom (evaluated by the caller), so its payload cannot be
    /// written to the container.
    #[error(
        "argument `expr`: constraint {label:?} has a custom condition, which the container cannot hold; serialize it together with its custom condition payloads (Python: pickle)"
    )]
    CustomConditionNotStorable {
        /// The constraint's label.
        label: String,
    },
    /// A serialized expression has more custom conditions than payloads were given.
    #[error(
        "argument `custom`: constraint {label:?} has custom condition #{index}, but {given} payloads were given; read it with its custom condition payloads (Python: pickle)"
    )]
    MissingCustomCondition {
        /// The constraint's label.
        label: String,
        /// Its position among the custom conditions.
        index: usize,
        /// Number of payloads given.
        given: usize,
    },
}

impl ExprError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ExprError::NonFiniteNumber { .. } => ErrorKind::NonFinite,
            ExprError::SpinDegreeTooHigh { .. } => ErrorKind::LimitExceeded,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

impl From<ExprError> for crate::Error {
    fn from(e: ExprError) -> Self {
        crate::qubo::QuboError::from(e).into()
    }
}
