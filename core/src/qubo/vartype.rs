//! The two variable types of a binary quadratic model.

use crate::error::ArgumentError;
use serde::{Deserialize, Serialize};

/// Domain of the variables: SPIN (`{-1, +1}`) or BINARY (`{0, 1}`), as in dimod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Vartype {
    /// Variables take values in `{-1, +1}`.
    Spin,
    /// Variables take values in `{0, 1}`.
    Binary,
}

impl Vartype {
    /// The two values a variable may take, low first.
    pub const fn values(self) -> [i8; 2] {
        match self {
            Vartype::Spin => [-1, 1],
            Vartype::Binary => [0, 1],
        }
    }

    /// Whether `value` is one of [`values`](Self::values).
    #[inline]
    pub const fn contains(self, value: i64) -> bool {
        match self {
            Vartype::Spin => value == -1 || value == 1,
            Vartype::Binary => value == 0 || value == 1,
        }
    }

    /// dimod's name: `"SPIN"` or `"BINARY"`.
    pub const fn name(self) -> &'static str {
        match self {
            Vartype::Spin => "SPIN",
            Vartype::Binary => "BINARY",
        }
    }
}

impl std::fmt::Display for Vartype {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Vartype {
    type Err = ArgumentError;

    /// Parses `"SPIN"` or `"BINARY"` (any case).
    ///
    /// ```
    /// use neuroquant::qubo::Vartype;
    /// assert_eq!("binary".parse::<Vartype>().unwrap(), Vartype::Binary);
    /// assert!("ising".parse::<Vartype>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("SPIN") {
            Ok(Vartype::Spin)
        } else if s.eq_ignore_ascii_case("BINARY") {
            Ok(Vartype::Binary)
        } else {
            Err(ArgumentError::Invalid {
                argument: "vartype",
                reason: format!("{s:?} is not a vartype, must be \"SPIN\" or \"BINARY\""),
            })
        }
    }
}
