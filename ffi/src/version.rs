//! Library version.

use std::ffi::c_char;

/// The library version as a static NUL-terminated string (`"0.1.0"`), equal to `NQ_VERSION`.
#[unsafe(no_mangle)]
pub extern "C" fn nq_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    /// The value of `#define NAME value` in the committed header.
    fn header_define(name: &str) -> Option<&'static str> {
        include_str!("../../include/neuroquant.h")
            .lines()
            .find_map(|line| {
                let rest = line.strip_prefix("#define ")?.strip_prefix(name)?;
                rest.starts_with(' ').then(|| rest.trim())
            })
    }

    /// Cargo.toml's version is the one source: the header macros (written in ffi/cbindgen.toml's
    /// `after_includes`) and `nq_version()` must both equal it (anchor: rustls-ffi's
    /// `rustls_header_version.rs` and `rustls_version.rs`).
    #[test]
    fn header_macros_and_nq_version_match_the_crate_version() {
        let fix = "edit the version macros in ffi/cbindgen.toml, then run `make header`";
        let quoted = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
        assert_eq!(header_define("NQ_VERSION"), Some(quoted.as_str()), "{fix}");
        for (name, want) in [
            ("NQ_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
            ("NQ_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
            ("NQ_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
        ] {
            assert_eq!(header_define(name), Some(want), "{name}: {fix}");
        }
        let runtime = unsafe { std::ffi::CStr::from_ptr(super::nq_version()) };
        assert_eq!(runtime.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(runtime.to_str().unwrap(), nq::VERSION);
    }
}
