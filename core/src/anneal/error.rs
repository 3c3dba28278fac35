//! Errors specific to samplers.

use crate::error::ErrorKind;

/// A failure specific to sampling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnnealError {
    /// The model is too large for this sampler (for example the exact solver).
    #[error(
        "{sampler}: {num_variables} variables exceeds this sampler's limit of {limit} (its max_variables)"
    )]
    TooManyVariables {
        /// The sampler.
        sampler: &'static str,
        /// Variables in the model.
        num_variables: usize,
        /// The limit.
        limit: usize,
    },
    /// `beta_range` was not given and the default the sampler computed from the model
    /// ([`default_beta_range`](super::default_beta_range)) cannot be used, because of biases near
    /// the ends of the `f64` range.
    #[error(
        "{sampler}: beta_range was not given, and the default computed from the model, [{:e}, {:e}], cannot be used: {reason}; pass beta_range explicitly",
        range[0],
        range[1]
    )]
    DefaultBetaRange {
        /// The sampler (or `default_beta_range`).
        sampler: &'static str,
        /// The computed `[hot, cold]`.
        range: [f64; 2],
        /// Why it cannot be used.
        reason: String,
    },
    /// The sampler was stopped (interrupt or deadline) before it completed a single read.
    #[error("{sampler}: stopped before the first read completed")]
    NoReadCompleted {
        /// The sampler.
        sampler: &'static str,
    },
}

impl AnnealError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AnnealError::TooManyVariables { .. } => ErrorKind::LimitExceeded,
            AnnealError::NoReadCompleted { .. } => ErrorKind::Interrupted,
            AnnealError::DefaultBetaRange { .. } => ErrorKind::InvalidArgument,
        }
    }
}
