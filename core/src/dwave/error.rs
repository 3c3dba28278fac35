//! Errors of the D-Wave backend that are neither transport failures (`Error::Network`) nor time
//! limits (`Error::Timeout`): what the Solver API refused, and why.

use crate::error::ErrorKind;

/// A failure reported by (or about) the D-Wave Solver API. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DWaveError {
    /// The API refused the token (HTTP 401 or 403).
    #[error(
        "{endpoint}: authentication failed (HTTP {status}): {message}; check the token (`token`, DWAVE_API_TOKEN or dwave.conf)"
    )]
    Authentication {
        /// The service (URL without credentials).
        endpoint: String,
        /// 401 (no or unknown token) or 403 (token without access).
        status: u16,
        /// The API's message.
        message: String,
    },
    /// No token was configured.
    #[error("no API token: pass `token`, set DWAVE_API_TOKEN, or add `token` to a dwave.conf profile")]
    MissingToken,
    /// No solver matches the name or the feature filter.
    #[error("no solver matches {filter}; available: {available}")]
    SolverNotFound {
        /// The name or filter asked for.
        filter: String,
        /// The solvers the API offers (names), comma-separated.
        available: String,
    },
    /// A parameter is not accepted by the solver or violates its properties; raised before any
    /// request is sent.
    #[error("solver {solver}: parameter `{parameter}`: {reason}")]
    InvalidParameter {
        /// The solver's name.
        solver: String,
        /// The parameter.
        parameter: String,
        /// The property it violates.
        reason: String,
    },
    /// The model does not fit the solver (a variable that is not a working qubit, an interaction
    /// without a coupler, a bias outside the range).
    #[error("solver {solver}: {reason}")]
    ProblemStructure {
        /// The solver's name.
        solver: String,
        /// What does not fit.
        reason: String,
    },
    /// The API rejected a request as invalid (HTTP 400, 409 or another 4xx).
    #[error("{endpoint}: request rejected (HTTP {status}): {message}")]
    Rejected {
        /// The service (URL without credentials).
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The API's `error_msg`.
        message: String,
    },
    /// The problem ended with status FAILED.
    #[error("problem {problem_id} failed: {message}")]
    ProblemFailed {
        /// The problem's id.
        problem_id: String,
        /// The API's `error_message`.
        message: String,
    },
    /// The problem ended with status CANCELLED (by this client on interrupt, or by someone else).
    #[error("problem {problem_id} was cancelled")]
    ProblemCancelled {
        /// The problem's id.
        problem_id: String,
    },
    /// A configuration source could not be used (a missing or unparsable dwave.conf, an unknown
    /// profile, an unknown region).
    #[error("configuration: {0}")]
    Config(String),
    /// An embedding is invalid for the model and the target graph.
    #[error("embedding: {0}")]
    Embedding(String),
    /// The heuristic embedding finder found no embedding of the model into the solver's graph.
    #[error(
        "no embedding found for {num_variables} variables and {num_interactions} interactions into {target} after {tries} tries"
    )]
    NoEmbedding {
        /// Variables of the model.
        num_variables: usize,
        /// Interactions of the model.
        num_interactions: usize,
        /// The target graph.
        target: String,
        /// Restarts made.
        tries: usize,
    },
}

impl DWaveError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DWaveError::Authentication { .. } | DWaveError::Rejected { .. } => ErrorKind::Network,
            DWaveError::ProblemFailed { .. } => ErrorKind::Network,
            DWaveError::ProblemCancelled { .. } => ErrorKind::Interrupted,
            DWaveError::MissingToken
            | DWaveError::SolverNotFound { .. }
            | DWaveError::InvalidParameter { .. }
            | DWaveError::ProblemStructure { .. }
            | DWaveError::Config(_)
            | DWaveError::Embedding(_)
            | DWaveError::NoEmbedding { .. } => ErrorKind::InvalidArgument,
        }
    }
}
