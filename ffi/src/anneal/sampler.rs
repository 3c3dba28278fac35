//! `NqSampler`: any sampler, created by a kind-specific constructor; sampling with an optional
//! interrupt callback; fallback composition.
//!
//! A sampler is immutable once created: `nq_sampler_sample` may be called concurrently on one
//! sampler from several threads.

use super::sampleset::NqSampleSet;
use crate::control::{NqControl, with_control};
use crate::guard::{Out, arg_ref, free_boxed, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{FallbackSampler, Sampler};
use std::sync::Arc;
use std::time::Duration;

/// A sampler with its parameters (opaque).
pub struct NqSampler(pub(crate) Arc<dyn Sampler>);

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

/// Samples `bqm` under `control` (NULL: all cores, to completion); `*out` receives the sample
/// set (free it with `nq_sampleset_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_sample(
    sampler: *const NqSampler,
    bqm: *const NqBqm,
    control: *const NqControl,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    guard(|| {
        let sampler = unsafe { arg_ref(sampler, "sampler") }?;
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        let set = unsafe { with_control(control, |run| Ok(sampler.0.sample_with(&bqm.0, run)?)) }?;
        out_boxed(out, NqSampleSet(set));
        Ok(())
    })
}

/// A sampler that answers from `primary`, or from `fallback` when the primary fails or is still
/// running after `timeout_ms` milliseconds (0: no limit). The sample set's info JSON
/// (`nq_sampleset_info_json`) says which one answered and why, under `extra.fallback`.
/// The new sampler keeps its own reference to `primary` and `fallback` (they stay alive while it
/// does, whatever the order of frees); the caller still frees its own handles.
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
