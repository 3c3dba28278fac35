//! Errors specific to reservoir computing.

use crate::error::ErrorKind;

/// A failure specific to reservoirs, readouts and their models.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReservoirError {
    /// A model was used before it was trained (a readout without weights).
    #[error("{what} is not fitted: call fit (or partial_fit) first")]
    NotFitted {
        /// The model.
        what: &'static str,
    },
    /// No training sample remained (every series is shorter than `warmup`).
    #[error("no training samples: all {series} series are at most warmup = {warmup} steps long")]
    NoSamples {
        /// Series given.
        series: usize,
        /// Steps dropped from the start of each.
        warmup: usize,
    },
    /// The spectral radius of `W` could not be computed or is zero, so `W` cannot be scaled to `sr`.
    #[error("cannot scale W to sr = {sr}: {reason}")]
    SpectralRadius {
        /// The spectral radius asked for.
        sr: f64,
        /// Why not.
        reason: String,
    },
    /// A run produced a non-finite state (the dynamics diverged, for instance a closed loop
    /// with an unstable readout); the model keeps its state from before the call.
    #[error("{what}: the state became non-finite at step {step}")]
    Diverged {
        /// What was running.
        what: &'static str,
        /// The step (0-based, within the call).
        step: usize,
    },
    /// A run was stopped (interrupt or deadline) before it completed.
    #[error("{what}: stopped before completion")]
    Stopped {
        /// What was running.
        what: &'static str,
    },
    /// The readout's linear system could not be solved (singular even after the fallback).
    #[error("ridge: the system is singular ({reason}); use ridge > 0")]
    Singular {
        /// Details.
        reason: String,
    },
}

impl ReservoirError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReservoirError::NotFitted { .. } | ReservoirError::NoSamples { .. } => ErrorKind::InvalidArgument,
            ReservoirError::SpectralRadius { .. } | ReservoirError::Singular { .. } => {
                ErrorKind::InvalidArgument
            }
            ReservoirError::Diverged { .. } => ErrorKind::NonFinite,
            ReservoirError::Stopped { .. } => ErrorKind::Interrupted,
        }
    }
}
