//! Errors reading serialized data.

/// Serialized data that cannot be read; every variant locates the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The data ends before a required part.
    #[error("truncated data: {offset} bytes present, {needed} required")]
    Truncated {
        /// Bytes present.
        offset: u64,
        /// Bytes required.
        needed: u64,
    },
    /// The data does not start with the expected magic bytes.
    #[error("not a neuroquant model: wrong magic bytes at offset 0")]
    BadMagic,
    /// A version this library does not read.
    #[error("unsupported {what} version {found}, this library reads version {supported}")]
    UnsupportedVersion {
        /// What carries the version (the container or the model kind).
        what: &'static str,
        /// Version found.
        found: u32,
        /// Version supported.
        supported: u32,
    },
    /// The container holds another kind of model.
    #[error("expected a `{expected}` model, found `{found}`")]
    WrongKind {
        /// Kind requested.
        expected: &'static str,
        /// Kind found.
        found: String,
    },
    /// A required array is absent.
    #[error("required array `{name}` is missing")]
    MissingArray {
        /// Array name.
        name: String,
    },
    /// Inconsistent or invalid content.
    #[error("corrupt data at byte offset {offset}: {reason}")]
    Corrupt {
        /// Byte offset of the problem.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A text file has a line that cannot be read (line numbers start at 1).
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The data is not a file of the expected format (its magic bytes differ).
    #[error("not a {format} file: wrong magic bytes at offset 0")]
    WrongMagic {
        /// The format that was expected.
        format: &'static str,
    },
    /// A version of a foreign format this library does not read.
    #[error("unsupported {format} version {found}, this library reads {supported}")]
    UnsupportedFormatVersion {
        /// The format.
        format: &'static str,
        /// Version found, as written in the file.
        found: String,
        /// The versions read.
        supported: &'static str,
    },
    /// A text file declares or implies a size above a stated limit (kind
    /// [`LimitExceeded`](crate::ErrorKind::LimitExceeded), not `Format`: the file may be valid,
    /// it is just more than this reader accepts from that many bytes).
    #[error("line {line}: {requested} {what} exceed the limit of {limit}")]
    TooLarge {
        /// 1-based line number of the declaration or entry.
        line: u64,
        /// What is counted, with where the count comes from.
        what: String,
        /// The count the file implies.
        requested: u64,
        /// The limit.
        limit: u64,
    },
    /// A field of a structured (JSON) document has an invalid value.
    #[error("field `{field}`: {reason}")]
    InvalidField {
        /// The field, with the element index where relevant (`quadratic_head[3]`).
        field: String,
        /// What is wrong.
        reason: String,
    },
}

impl FormatError {
    /// The coarse category: [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded) for
    /// [`FormatError::TooLarge`], [`ErrorKind::Format`](crate::ErrorKind::Format) otherwise.
    pub fn kind(&self) -> crate::ErrorKind {
        match self {
            FormatError::TooLarge { .. } => crate::ErrorKind::LimitExceeded,
            FormatError::Truncated { .. }
            | FormatError::BadMagic
            | FormatError::UnsupportedVersion { .. }
            | FormatError::WrongKind { .. }
            | FormatError::MissingArray { .. }
            | FormatError::Corrupt { .. }
            | FormatError::Parse { .. }
            | FormatError::WrongMagic { .. }
            | FormatError::UnsupportedFormatVersion { .. }
            | FormatError::InvalidField { .. } => crate::ErrorKind::Format,
        }
    }
}
