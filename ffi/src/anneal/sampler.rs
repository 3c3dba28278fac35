//! `NqSampler`: any sampler, created by a kind-specific constructor; sampling with an optional
//! interrupt callback; fallback composition.
//!
//! A sampler is immutable once created: `nq_sampler_sample` may be called concurrently on one
//! sampler from several threads.

use super::sampleset::NqSampleSet;
use crate::guard::{Out, arg_ref, free_boxed, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{Control, FallbackSampler, Sampler};
use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::time::Duration;

/// A sampler with its parameters (opaque).
pub struct NqSampler(pub(crate) Arc<dyn Sampler>);

/// Asked periodically while sampling (between reads and every few milliseconds inside a read,
/// possibly from several threads at once): return non-zero to stop. It must be thread-safe and
/// must not unwind or longjmp.
pub type NqInterruptFn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> c_int>;

pub(crate) fn boxed(out: Out<*mut NqSampler>, sampler: impl Sampler + 'static) {
    out_boxed(out, NqSampler(Arc::new(sampler)));
}

/// Frees a sampler. NULL is a no-op. Samplers composed from it (fallback) keep their own
/// reference, so the order of frees does not matter.
///
/// # Safety
/// `sampler` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_free(sampler: *mut NqSampler) {
    unsafe { free_boxed(sampler) }
}

/// Samples `bqm` to completion; `*out` receives the sample set (free it with
/// `nq_sampleset_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_sample(
    sampler: *const NqSampler,
    bqm: *const NqBqm,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    unsafe { nq_sampler_sample_interruptible(sampler, bqm, None, std::ptr::null_mut(), 0, out) }
}

/// The callback and its user data, shareable across the sampler's worker threads.
struct Callback {
    f: unsafe extern "C" fn(*mut c_void) -> c_int,
    userdata: *mut c_void,
}

// SAFETY: the caller promises (documented on NqInterruptFn) that the callback may be called from
// any thread with this user data.
unsafe impl Send for Callback {}
unsafe impl Sync for Callback {}

/// Samples `bqm`, stopping early when `interrupt(userdata)` returns non-zero (`interrupt` may be
/// NULL) or after `timeout_ms` milliseconds (0: no limit). A stopped run returns the reads
/// completed so far with `interrupted` set in its info, or `NQ_INTERRUPTED` if none completed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_sample_interruptible(
    sampler: *const NqSampler,
    bqm: *const NqBqm,
    interrupt: NqInterruptFn,
    userdata: *mut c_void,
    timeout_ms: u64,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    guard(|| {
        let sampler = unsafe { arg_ref(sampler, "sampler") }?;
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        let callback = interrupt.map(|f| Callback { f, userdata });
        let ask = || {
            callback
                .as_ref()
                // SAFETY: a valid callback by the caller's contract.
                .is_some_and(|c| unsafe { (c.f)(c.userdata) } != 0)
        };
        let mut control = Control::default();
        if callback.is_some() {
            control = control.with_interrupt(&ask);
        }
        if timeout_ms > 0 {
            control = control.with_timeout(Duration::from_millis(timeout_ms));
        }
        let set = sampler.0.sample_with(&bqm.0, &control)?;
        out_boxed(out, NqSampleSet(set));
        Ok(())
    })
}

/// A sampler that answers from `primary`, or from `fallback` when the primary fails or is still
/// running after `timeout_ms` milliseconds (0: no limit). The sample set's info JSON
/// (`nq_sampleset_info_json`) says which one answered and why, under `extra.fallback`.
/// The new sampler shares `primary` and `fallback`; the caller still frees its own handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_fallback(
    primary: *const NqSampler,
    fallback: *const NqSampler,
    timeout_ms: u64,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let primary = unsafe { arg_ref(primary, "primary") }?;
        let fallback = unsafe { arg_ref(fallback, "fallback") }?;
        let out = Out::new(out, "out")?;
        let timeout = (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms));
        boxed(
            out,
            FallbackSampler::new(primary.0.clone(), fallback.0.clone(), timeout),
        );
        Ok(())
    })
}
