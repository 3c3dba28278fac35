//! Errors specific to the quantum area.

use crate::error::ErrorKind;

/// A failure specific to Hamiltonian evolution and quantum-state maths.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantumError {
    /// An operator that must be Hermitian is not.
    #[error(
        "argument `{argument}`: the operator is not Hermitian (max |A - A^†| = {deviation:e} > {tolerance:e})"
    )]
    NotHermitian {
        /// Argument name.
        argument: &'static str,
        /// The largest entry of |A − A†|.
        deviation: f64,
        /// The tolerance it was compared with.
        tolerance: f64,
    },
    /// A state that must be normalised is not.
    #[error(
        "argument `{argument}`: the state is not normalised ({what} = {value}, must be 1 within {tolerance:e}); normalise it first"
    )]
    NotNormalized {
        /// Argument name.
        argument: &'static str,
        /// `norm` for a ket, `trace` for a density matrix.
        what: &'static str,
        /// The norm or trace found.
        value: f64,
        /// The tolerance.
        tolerance: f64,
    },
    /// An adaptive solver used up its step budget before reaching an output time.
    #[error(
        "{solver}: {nsteps} steps were not enough to reach t = {time} (raise options nsteps, or loosen atol/rtol)"
    )]
    TooManySteps {
        /// The solver.
        solver: &'static str,
        /// The step budget between two output times.
        nsteps: usize,
        /// The output time that was not reached.
        time: f64,
    },
    /// The step size of an adaptive solver underflowed (the problem is too stiff or the
    /// tolerance too tight for f64).
    #[error("{solver}: the step size fell below {step:e} at t = {time}")]
    StepTooSmall {
        /// The solver.
        solver: &'static str,
        /// The step size reached.
        step: f64,
        /// The time reached.
        time: f64,
    },
    /// The run was stopped (interrupt or deadline) before it produced its first output.
    #[error("{solver}: stopped before the first output time was reached")]
    Interrupted {
        /// The solver.
        solver: &'static str,
    },
    /// A coefficient function returned a non-finite value.
    #[error("coefficient {index} is {value} at t = {time}, must be finite")]
    NonFiniteCoefficient {
        /// Which coefficient (position in the list of time-dependent terms).
        index: usize,
        /// The time.
        time: f64,
        /// The value returned.
        value: f64,
    },
}

impl QuantumError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            QuantumError::NotHermitian { .. } | QuantumError::NotNormalized { .. } => {
                ErrorKind::InvalidArgument
            }
            QuantumError::TooManySteps { .. } | QuantumError::StepTooSmall { .. } => {
                ErrorKind::InvalidArgument
            }
            QuantumError::Interrupted { .. } => ErrorKind::Interrupted,
            QuantumError::NonFiniteCoefficient { .. } => ErrorKind::NonFinite,
        }
    }
}
