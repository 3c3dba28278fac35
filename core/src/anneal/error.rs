//! Errors specific to samplers.

use crate::error::ErrorKind;

/// A failure specific to sampling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnnealError {
    /// The model is too large for this sampler (for example the exact solver).
    #[error("{sampler}: {num_variables} variables exceeds this sampler's limit of {limit}")]
    TooManyVariables {
        /// The sampler.
        sampler: &'static str,
        /// Variables in the model.
        num_variables: usize,
        /// The limit.
        limit: usize,
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
        }
    }
}
