//! Gives the shared library an ELF SONAME, so programs linked against one release load only an
//! ABI-compatible one: `libneuroquant.so.<sover>` with cargo-c's rule for the version suffix
//! (Cargo's compatibility rule): `MAJOR` from 1.0 on, `0.MINOR` for 0.x, `0.0.PATCH` for 0.0.x.
//! `make install` reads the SONAME back from the built library to name the files and symlinks.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| env::var(name).unwrap_or_default();
    // ELF platforms only: Apple uses install names and Windows import libraries instead.
    if var("CARGO_CFG_TARGET_FAMILY").split(',').any(|f| f == "unix")
        && var("CARGO_CFG_TARGET_VENDOR") != "apple"
    {
        let (major, minor, patch) = (
            var("CARGO_PKG_VERSION_MAJOR"),
            var("CARGO_PKG_VERSION_MINOR"),
            var("CARGO_PKG_VERSION_PATCH"),
        );
        let sover = match (major.as_str(), minor.as_str()) {
            ("0", "0") => format!("0.0.{patch}"),
            ("0", _) => format!("0.{minor}"),
            _ => major,
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libneuroquant.so.{sover}");
    }
}
