//! The crate-wide error type.
//!
//! Every fallible public function returns [`Result<T>`](crate::Result). The error is one of:
//! an [`ArgumentError`] (a bad argument, detected by the validators shared by every area), or an
//! error of one area ([`QuboError`], [`AnnealError`], [`FormatError`], …) for failures that only make sense there.
//! [`Error::kind`] gives the coarse category that the C status codes and the Python exception
//! classes are derived from, so the three surfaces agree on what went wrong.

use crate::anneal::AnnealError;
#[cfg(feature = "dwave")]
use crate::dwave::DWaveError;
use crate::format::FormatError;
use crate::quantum::QuantumError;
use crate::qubo::QuboError;
use crate::reservoir::ReservoirError;
use crate::spike::SpikeError;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error returned by neuroquant.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad argument: wrong size, non-finite value, index out of range, value out of its domain.
    #[error(transparent)]
    Argument(#[from] ArgumentError),
    /// A failure specific to binary quadratic models.
    #[error(transparent)]
    Qubo(#[from] QuboError),
    /// A failure specific to samplers.
    #[error(transparent)]
    Anneal(#[from] AnnealError),
    /// A failure specific to reservoir computing.
    #[error(transparent)]
    Reservoir(#[from] ReservoirError),
    /// A serialized model that cannot be read.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A failure specific to spike data and encoders.
    #[error(transparent)]
    Spike(#[from] SpikeError),
    /// A failure of the D-Wave backend (authentication, unknown solver, invalid parameter,
    /// failed or cancelled problem, embedding).
    #[cfg(feature = "dwave")]
    #[error(transparent)]
    DWave(#[from] DWaveError),
    /// A failure specific to Hamiltonian evolution and quantum states.
    #[error(transparent)]
    Quantum(#[from] QuantumError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error ([`Source::io_kind`] tells which).
        #[source]
        source: Source,
    },
    /// A request to a remote service failed (connection, TLS, HTTP status, malformed answer).
    #[error("{endpoint}: {message}")]
    Network {
        /// The service (URL without credentials).
        endpoint: String,
        /// What failed.
        message: String,
        /// The transport's error, when there is one.
        #[source]
        source: Option<Source>,
    },
    /// An operation did not complete within its time limit.
    #[error("{what}: no answer within {limit_ms} ms")]
    Timeout {
        /// The operation.
        what: String,
        /// The limit in milliseconds.
        limit_ms: u64,
    },
    /// An allocation of the stated size failed.
    #[error("could not allocate {bytes} bytes for {what}")]
    OutOfMemory {
        /// What was being allocated.
        what: &'static str,
        /// Requested size in bytes.
        bytes: usize,
    },
}

/// The error behind an [`Error`] (an operating-system or transport error), shared so that
/// `Error` stays `Clone`; two sources are equal when their messages are.
#[derive(Debug, Clone)]
pub struct Source(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl Source {
    /// Wraps `error`.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Source(std::sync::Arc::new(error))
    }

    /// The wrapped error.
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }

    /// The kind of an operating-system error (`NotFound`, `PermissionDenied`, …), if it is one.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        self.0.downcast_ref::<std::io::Error>().map(std::io::Error::kind)
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Source {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

/// Coarse category of an [`Error`]; stable, used to pick C status codes and Python exception
/// classes. Deliberately not `#[non_exhaustive]`: the bindings match it exhaustively, so a new
/// kind cannot be added without a C status and a Python class of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An argument violates a documented constraint.
    InvalidArgument,
    /// Array lengths or shapes do not agree.
    DimensionMismatch,
    /// NaN or infinity where a finite number is required.
    NonFinite,
    /// An index is outside the valid range.
    IndexOutOfRange,
    /// A requested size exceeds a stated limit, or memory could not be allocated.
    LimitExceeded,
    /// Serialized data is truncated, corrupt or of an unsupported version.
    Format,
    /// A run was stopped (interrupt callback or deadline) before it produced any result.
    Interrupted,
    /// A file could not be read or written.
    Io,
    /// A remote service could not be reached or answered with an error.
    Network,
    /// An operation did not complete within its time limit.
    Timeout,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::InvalidArgument,
        ErrorKind::DimensionMismatch,
        ErrorKind::NonFinite,
        ErrorKind::IndexOutOfRange,
        ErrorKind::LimitExceeded,
        ErrorKind::Format,
        ErrorKind::Interrupted,
        ErrorKind::Io,
        ErrorKind::Network,
        ErrorKind::Timeout,
    ];
}

impl Error {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Argument(e) => e.kind(),
            Error::Qubo(e) => e.kind(),
            Error::Anneal(e) => e.kind(),
            Error::Format(e) => e.kind(),
            Error::Spike(e) => e.kind(),
            Error::Reservoir(e) => e.kind(),
            #[cfg(feature = "dwave")]
            Error::DWave(e) => e.kind(),
            Error::Quantum(e) => e.kind(),
            Error::Io { .. } => ErrorKind::Io,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::OutOfMemory { .. } => ErrorKind::LimitExceeded,
        }
    }
}

/// A bad argument, with the argument's name and the constraint it violates.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ArgumentError {
    /// A value that must be finite is NaN or infinite.
    #[error("argument `{argument}`: element {index} is {value}, must be finite")]
    NonFinite {
        /// Argument name.
        argument: &'static str,
        /// Position of the offending element (0 for scalars).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// An index is outside `0..len`.
    #[error("argument `{argument}`: index {index} is out of range, must be < {len}")]
    IndexOutOfRange {
        /// Argument name.
        argument: &'static str,
        /// The offending index.
        index: i64,
        /// The exclusive upper bound.
        len: usize,
    },
    /// A length does not match the one required.
    #[error("argument `{argument}`: length {got} does not match, expected {expected}")]
    DimensionMismatch {
        /// Argument name.
        argument: &'static str,
        /// Required length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// A size above a stated limit.
    #[error("argument `{argument}`: {requested} exceeds the limit of {limit}")]
    TooLarge {
        /// Argument name.
        argument: &'static str,
        /// Requested size.
        requested: u64,
        /// The limit.
        limit: u64,
    },
    /// A value of the wrong kind (a float or a string where an integer is required): Python
    /// raises it as a `TypeError` as well as an `InvalidArgumentError`.
    #[error("argument `{argument}`: must be {expected}, got {got}")]
    WrongType {
        /// Argument name.
        argument: &'static str,
        /// What the argument accepts.
        expected: String,
        /// What was given.
        got: String,
    },
    /// A value outside its documented domain (for instance an unknown name).
    #[error("argument `{argument}`: {reason}")]
    Invalid {
        /// Argument name.
        argument: &'static str,
        /// The constraint that is violated.
        reason: String,
    },
}

impl ArgumentError {
    /// The coarse category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ArgumentError::NonFinite { .. } => ErrorKind::NonFinite,
            ArgumentError::IndexOutOfRange { .. } => ErrorKind::IndexOutOfRange,
            ArgumentError::DimensionMismatch { .. } => ErrorKind::DimensionMismatch,
            ArgumentError::TooLarge { .. } => ErrorKind::LimitExceeded,
            ArgumentError::Invalid { .. } | ArgumentError::WrongType { .. } => ErrorKind::InvalidArgument,
        }
    }
}

/// Validators shared by every area (and by the bindings), so the same constraint always gives the
/// same message.
pub mod check {
    use super::ArgumentError;

    /// `value` must be finite.
    pub fn finite(argument: &'static str, value: f64) -> Result<f64, ArgumentError> {
        finite_at(argument, 0, value)
    }

    /// Element `index` of `argument` must be finite.
    pub fn finite_at(argument: &'static str, index: usize, value: f64) -> Result<f64, ArgumentError> {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(ArgumentError::NonFinite {
                argument,
                index,
                value,
            })
        }
    }

    /// Every element of `values` must be finite.
    pub fn all_finite(argument: &'static str, values: &[f64]) -> Result<(), ArgumentError> {
        match values.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(index) => Err(ArgumentError::NonFinite {
                argument,
                index,
                value: values[index],
            }),
        }
    }

    /// `index` must be `< len`.
    pub fn index(argument: &'static str, index: i64, len: usize) -> Result<usize, ArgumentError> {
        if index >= 0 && (index as u64) < len as u64 {
            Ok(index as usize)
        } else {
            Err(ArgumentError::IndexOutOfRange { argument, index, len })
        }
    }

    /// `got` must equal `expected`.
    pub fn len(argument: &'static str, expected: usize, got: usize) -> Result<(), ArgumentError> {
        if expected == got {
            Ok(())
        } else {
            Err(ArgumentError::DimensionMismatch {
                argument,
                expected,
                got,
            })
        }
    }

    /// `got` must equal `rows × width`, the length of `rows` rows of `width` values. A product
    /// that overflows cannot equal `got`: the error then compares `rows` (named `rows_argument`)
    /// with the rows `got` holds, so it never shows a saturated number.
    ///
    /// ```
    /// use neuroquant::error::check;
    /// assert!(check::len_rows("samples", "rows", 2, 3, 6).is_ok());
    /// let e = check::len_rows("samples", "rows", usize::MAX, 3, 6).unwrap_err();
    /// assert_eq!(e.to_string(), format!("argument `rows`: length {} does not match, expected 2", usize::MAX));
    /// ```
    pub fn len_rows(
        argument: &'static str,
        rows_argument: &'static str,
        rows: usize,
        width: usize,
        got: usize,
    ) -> Result<(), ArgumentError> {
        match rows.checked_mul(width) {
            Some(expected) => len(argument, expected, got),
            None => len(rows_argument, got / width, rows),
        }
    }

    /// `requested` must be `<= limit`.
    pub fn at_most(argument: &'static str, requested: u64, limit: u64) -> Result<(), ArgumentError> {
        if requested <= limit {
            Ok(())
        } else {
            Err(ArgumentError::TooLarge {
                argument,
                requested,
                limit,
            })
        }
    }

    /// `cost(value) <= limit`, for a size implied by an argument (the pairs of `n` variables,
    /// the spins of `n` replicas); `cost` must be non-decreasing and should saturate rather than
    /// overflow. The error shows the caller's `value` and the largest value whose cost fits,
    /// never the derived (or saturated) size.
    ///
    /// ```
    /// use neuroquant::error::check;
    /// let pairs = |n: u64| u128::from(n) * u128::from(n.saturating_sub(1)) / 2;
    /// assert!(check::at_most_implied("vars", 100, pairs, 4950).is_ok());
    /// let e = check::at_most_implied("vars", 1 << 40, pairs, 4950).unwrap_err();
    /// assert_eq!(e.to_string(), "argument `vars`: 1099511627776 exceeds the limit of 100");
    /// ```
    pub fn at_most_implied(
        argument: &'static str,
        value: u64,
        cost: impl Fn(u64) -> u128,
        limit: u128,
    ) -> Result<(), ArgumentError> {
        if cost(value) <= limit {
            return Ok(());
        }
        // The largest allowed value lies in [0, value): cost(hi) > limit throughout.
        let (mut lo, mut hi) = (0u64, value);
        if cost(0) <= limit {
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if cost(mid) <= limit {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        Err(ArgumentError::TooLarge {
            argument,
            requested: value,
            limit: lo,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind() {
        // A kind missing from ALL fails to compile here (the match is exhaustive) or below.
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            let position = match k {
                ErrorKind::InvalidArgument => 0,
                ErrorKind::DimensionMismatch => 1,
                ErrorKind::NonFinite => 2,
                ErrorKind::IndexOutOfRange => 3,
                ErrorKind::LimitExceeded => 4,
                ErrorKind::Format => 5,
                ErrorKind::Interrupted => 6,
                ErrorKind::Io => 7,
                ErrorKind::Network => 8,
                ErrorKind::Timeout => 9,
            };
            assert_eq!(position, i);
        }
    }

    #[test]
    fn io_errors_keep_their_source() {
        use std::error::Error as _;
        let e = Error::Io {
            path: "m.bqm".into(),
            source: Source::new(std::io::Error::from(std::io::ErrorKind::NotFound)),
        };
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(e.to_string(), "m.bqm: entity not found");
        let Error::Io { source, .. } = &e else {
            unreachable!()
        };
        assert_eq!(source.io_kind(), Some(std::io::ErrorKind::NotFound));
        assert!(e.source().is_some());
        assert_eq!(e.clone(), e);
    }

    #[test]
    fn messages_name_the_argument_and_the_constraint() {
        let e: Error = check::finite_at("linear", 3, f64::NAN).unwrap_err().into();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        assert_eq!(
            e.to_string(),
            "argument `linear`: element 3 is NaN, must be finite"
        );
        let e: Error = check::index("u", 7, 5).unwrap_err().into();
        assert_eq!(e.kind(), ErrorKind::IndexOutOfRange);
        assert_eq!(
            e.to_string(),
            "argument `u`: index 7 is out of range, must be < 5"
        );
        let e: Error = check::len("samples", 4, 3).unwrap_err().into();
        assert_eq!(e.kind(), ErrorKind::DimensionMismatch);
        assert!(check::at_most("num_variables", 10, 9).is_err());
        assert!(check::at_most("num_variables", 9, 9).is_ok());
        assert!(check::all_finite("x", &[1.0, f64::INFINITY]).is_err());
    }
}
