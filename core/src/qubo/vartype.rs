//! The two variable types of a binary quadratic model.

crate::params::named_enum! {
    /// Domain of the variables: SPIN (`{-1, +1}`) or BINARY (`{0, 1}`), as in dimod. Names parse
    /// in any case.
    pub enum Vartype("vartype", ignore_case) {
        /// Variables take values in `{-1, +1}`.
        Spin = "SPIN",
        /// Variables take values in `{0, 1}`.
        Binary = "BINARY",
    }
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
}
