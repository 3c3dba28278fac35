//! Library version.

use std::ffi::c_char;

/// The library version as a static NUL-terminated string (`"0.1.0"`), equal to `NQ_VERSION`.
#[unsafe(no_mangle)]
pub extern "C" fn nq_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_macro_matches_the_crate_version() {
        let header = include_str!("../../include/neuroquant.h");
        let want = format!("#define NQ_VERSION \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(header.contains(&want), "include/neuroquant.h lacks `{want}`");
        let s = unsafe { std::ffi::CStr::from_ptr(super::nq_version()) };
        assert_eq!(s.to_str().unwrap(), nq::VERSION);
    }
}
