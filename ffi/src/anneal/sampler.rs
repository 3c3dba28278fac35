//! `NqSampler`: any sampler, created by a kind-specific constructor; sampling with an optional
//! interrupt callback; fallback composition.
//!
//! A sampler is immutable once created: `nq_sampler_sample` may be called concurrently on one
//! sampler from several threads.

use super::sampleset::NqSampleSet;
use crate::control::{NqControl, with_control};
use crate::convert::{Fields, Versioned, init_sized, read_sized};
use crate::guard::{FfiResult, Out, arg_ref, arg_slice, free_boxed, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{FallbackParams, FallbackSampler, RoutingSampler, Sampler};
use nq::error::check;
use nq::params::KeywordArgs;
use std::sync::Arc;

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

/// How a fallback sampler treats its primary. Initialise with
/// `nq_fallback_params_default(&params, sizeof params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqFallbackParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_fallback_params_default`).
    pub struct_size: usize,
    /// Milliseconds the primary may run before the fallback answers; None: no limit.
    pub timeout_ms: u64,
    /// Non-zero: use `timeout_ms`; 0: None.
    pub has_timeout_ms: u8,
    /// Consecutive primary failures (errors or time-outs) that open the breaker; 0: never.
    pub failure_threshold: u32,
    /// Milliseconds the breaker stays open before one call probes the primary again.
    pub cooldown_ms: u64,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer fields only.
unsafe impl Versioned for NqFallbackParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = FallbackParams::default();
        NqFallbackParams {
            struct_size: std::mem::size_of::<Self>(),
            timeout_ms: d.timeout_ms.unwrap_or(0),
            has_timeout_ms: u8::from(d.timeout_ms.is_some()),
            failure_threshold: d.failure_threshold,
            cooldown_ms: d.cooldown_ms,
        }
    }
}

impl NqFallbackParams {
    fn to_core(self) -> FfiResult<FallbackParams> {
        let mut f = Fields::default();
        f.opt("timeout_ms", self.has_timeout_ms, self.timeout_ms)?;
        f.set("failure_threshold", self.failure_threshold)?;
        f.set("cooldown_ms", self.cooldown_ms)?;
        Ok(FallbackParams::from_keywords("the fallback sampler", f.0)?)
    }
}

/// Writes the default fallback parameters (no time limit; the breaker opens after 3 consecutive
/// failures for 30 s) into the caller's struct of `struct_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_fallback_params_default(
    params: *mut NqFallbackParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// A sampler that answers from `primary`, or from `fallback` when the primary fails or runs past
/// `params->timeout_ms`, with a circuit breaker (`params` may be NULL: the defaults). The sample
/// set's info JSON (`nq_sampleset_info_json`) says which one answered and why, and the breaker's
/// state, under `extra.fallback`. The new sampler keeps its own reference to `primary` and
/// `fallback` (they stay alive while it does, whatever the order of frees); the caller still
/// frees its own handles. It may be sampled from several threads at once (the breaker is shared).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_fallback(
    primary: *const NqSampler,
    fallback: *const NqSampler,
    params: *const NqFallbackParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let primary = unsafe { arg_ref(primary, "primary") }?;
        let fallback = unsafe { arg_ref(fallback, "fallback") }?;
        let p = if params.is_null() {
            NqFallbackParams::defaults()
        } else {
            unsafe { read_sized(params, "params") }?
        };
        let out = Out::new(out, "out")?;
        let params = p.to_core()?;
        boxed(
            out,
            FallbackSampler::with_params(primary.0.clone(), fallback.0.clone(), params),
        );
        Ok(())
    })
}

/// A sampler that answers each model with the first of `samplers` whose `max_variables` (same
/// index; strictly increasing) is at least the model's number of variables, or with
/// `default_sampler` for larger models (say the exact solver up to 16 variables, simulated
/// annealing up to 5000, a hybrid solver beyond). The info JSON records the choice under
/// `extra.routing`. Like the fallback, it keeps its own references to the samplers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_routing(
    samplers: *const *const NqSampler,
    samplers_len: usize,
    max_variables: *const usize,
    max_variables_len: usize,
    default_sampler: *const NqSampler,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let handles = unsafe { arg_slice(samplers, samplers_len, "samplers") }?;
        let limits = unsafe { arg_slice(max_variables, max_variables_len, "max_variables") }?;
        check::len("max_variables", handles.len(), limits.len()).map_err(nq::Error::from)?;
        let default = unsafe { arg_ref(default_sampler, "default_sampler") }?;
        let out = Out::new(out, "out")?;
        let mut routes = Vec::with_capacity(handles.len());
        for (&h, &limit) in handles.iter().zip(limits) {
            let s = unsafe { arg_ref(h, "samplers") }?;
            routes.push((limit, s.0.clone()));
        }
        boxed(out, RoutingSampler::new(routes, default.0.clone())?);
        Ok(())
    })
}
