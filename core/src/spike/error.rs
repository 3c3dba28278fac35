//! Errors specific to spike data and encoders.

use crate::error::ErrorKind;

/// A failure specific to the spike area (bad arguments in general are
/// [`ArgumentError`](crate::ArgumentError)s).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpikeError {
    /// A dense raster holds a value that is not a spike value (0, 1, or -1 for an off spike).
    #[error("argument `{argument}`: element {index} is {value}, must be 0, 1 or -1")]
    NotASpike {
        /// Argument name.
        argument: &'static str,
        /// Position of the offending element (row-major).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Two events fall into the same (step, channel) cell, which a raster cannot hold.
    #[error(
        "argument `{argument}`: events {first} and {second} are both at step {step}, channel {channel}; a raster holds one spike per cell"
    )]
    DuplicateEvent {
        /// Argument name.
        argument: &'static str,
        /// Index of the first event in that cell.
        first: usize,
        /// Index of the second event in that cell.
        second: usize,
        /// The step.
        step: u64,
        /// The channel.
        channel: u32,
    },
    /// A batch run was stopped (interrupt or deadline) before it completed.
    #[error("{what}: stopped before completion")]
    Interrupted {
        /// The routine.
        what: &'static str,
    },
}

impl SpikeError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SpikeError::NotASpike { .. } | SpikeError::DuplicateEvent { .. } => ErrorKind::InvalidArgument,
            SpikeError::Interrupted { .. } => ErrorKind::Interrupted,
        }
    }
}
