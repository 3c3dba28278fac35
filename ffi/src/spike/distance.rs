//! Spike-train distances on raw spike-time arrays.

use crate::guard::{Out, arg_slice, guard};
use crate::status::NqStatus;

/// The van Rossum distance between two sorted spike-time arrays (`a` of `a_len`, `b` of
/// `b_len`) with time constant `tau`, Elephant's normalisation (1 for one unmatched spike).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_van_rossum_distance(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    tau: f64,
    out: *mut f64,
) -> NqStatus {
    guard(|| {
        let a = unsafe { arg_slice(a, a_len, "a") }?;
        let b = unsafe { arg_slice(b, b_len, "b") }?;
        let out = Out::new(out, "out")?;
        out.write(nq::spike::van_rossum(a, b, tau)?);
        Ok(())
    })
}

/// The Victor–Purpura distance between two spike-time arrays: inserting or deleting a spike
/// costs 1, moving one by Δt costs `q·|Δt|`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_victor_purpura_distance(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    q: f64,
    out: *mut f64,
) -> NqStatus {
    guard(|| {
        let a = unsafe { arg_slice(a, a_len, "a") }?;
        let b = unsafe { arg_slice(b, b_len, "b") }?;
        let out = Out::new(out, "out")?;
        out.write(nq::spike::victor_purpura(a, b, q)?);
        Ok(())
    })
}
