//! Status codes returned by every fallible C function.

use nq::ErrorKind;

/// Result of a C call. Numbers are explicit and never reused; they are grouped by cause:
/// 1xx bad arguments, 2xx resources, 3xx data formats and I/O, 4xx network, 5xx execution,
/// 9xx internal.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NqStatus {
    /// Success.
    NQ_OK = 0,
    /// A required pointer argument is NULL.
    NQ_NULL_ARGUMENT = 100,
    /// An argument violates a documented constraint (unknown vartype, misaligned pointer, value
    /// outside the vartype, …).
    NQ_INVALID_ARGUMENT = 101,
    /// Array lengths do not agree.
    NQ_DIMENSION_MISMATCH = 102,
    /// NaN or infinity where a finite number is required, or a result overflowing.
    NQ_NON_FINITE = 103,
    /// An index is out of range.
    NQ_INDEX_OUT_OF_RANGE = 104,
    /// A size exceeds a stated limit, or memory could not be allocated.
    NQ_LIMIT_EXCEEDED = 200,
    /// An output buffer is smaller than required.
    NQ_BUFFER_TOO_SMALL = 201,
    /// Serialized data is truncated, corrupt, or of an unsupported version.
    NQ_FORMAT = 300,
    /// A file could not be read or written.
    NQ_IO = 301,
    /// A remote service could not be reached or answered with an error (D-Wave backend).
    NQ_NETWORK = 400,
    /// A remote operation did not complete within its time limit.
    NQ_TIMEOUT = 401,
    /// A run was stopped (interrupt or deadline) before it produced any result.
    NQ_INTERRUPTED = 500,
    /// An internal error (a panic caught at the boundary); please report it.
    NQ_PANIC = 900,
}

impl From<ErrorKind> for NqStatus {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => NqStatus::NQ_INVALID_ARGUMENT,
            ErrorKind::DimensionMismatch => NqStatus::NQ_DIMENSION_MISMATCH,
            ErrorKind::NonFinite => NqStatus::NQ_NON_FINITE,
            ErrorKind::IndexOutOfRange => NqStatus::NQ_INDEX_OUT_OF_RANGE,
            ErrorKind::LimitExceeded => NqStatus::NQ_LIMIT_EXCEEDED,
            ErrorKind::Format => NqStatus::NQ_FORMAT,
            ErrorKind::Interrupted => NqStatus::NQ_INTERRUPTED,
            ErrorKind::Io => NqStatus::NQ_IO,
            ErrorKind::Network => NqStatus::NQ_NETWORK,
            ErrorKind::Timeout => NqStatus::NQ_TIMEOUT,
        }
    }
}

/// A static, NUL-terminated name for a status (`"NQ_OK"`, …); `"NQ_UNKNOWN"` for other values.
#[unsafe(no_mangle)]
pub extern "C" fn nq_status_name(status: i32) -> *const std::ffi::c_char {
    let name: &'static std::ffi::CStr = match status {
        0 => c"NQ_OK",
        100 => c"NQ_NULL_ARGUMENT",
        101 => c"NQ_INVALID_ARGUMENT",
        102 => c"NQ_DIMENSION_MISMATCH",
        103 => c"NQ_NON_FINITE",
        104 => c"NQ_INDEX_OUT_OF_RANGE",
        200 => c"NQ_LIMIT_EXCEEDED",
        201 => c"NQ_BUFFER_TOO_SMALL",
        300 => c"NQ_FORMAT",
        301 => c"NQ_IO",
        400 => c"NQ_NETWORK",
        401 => c"NQ_TIMEOUT",
        500 => c"NQ_INTERRUPTED",
        900 => c"NQ_PANIC",
        _ => c"NQ_UNKNOWN",
    };
    name.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_its_own_status_and_name() {
        let mut seen = Vec::new();
        for kind in ErrorKind::ALL {
            let status = NqStatus::from(kind);
            assert!(
                !matches!(status, NqStatus::NQ_OK | NqStatus::NQ_PANIC),
                "{kind:?}"
            );
            assert!(!seen.contains(&status), "{kind:?} shares {status:?}");
            seen.push(status);
            let name = unsafe { std::ffi::CStr::from_ptr(nq_status_name(status as i32)) };
            assert_eq!(name.to_str().unwrap(), format!("{status:?}"));
        }
    }
}
