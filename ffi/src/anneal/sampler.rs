//! `NqSampler`: any sampler, created by a kind-specific constructor; sampling with an optional
//! interrupt callback; fallback composition.
//!
//! A sampler is immutable once created: `nq_sampler_sample` may be called concurrently on one
//! sampler from several threads.

use super::sampleset::NqSampleSet;
use crate::convert::{Versioned, init_sized, read_sized};
use crate::guard::{Out, arg_ref, free_boxed, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{Control, FallbackSampler, Progress, Sampler};
use std::ffi::{c_int, c_void};
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

/// Asked periodically while sampling (between reads and every few milliseconds inside a read,
/// possibly from several threads at once): return non-zero to stop. It must be thread-safe and
/// must not unwind or longjmp.
pub type NqInterruptFn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> c_int>;

/// Told after each completed read (possibly from several threads at once; the counts increase
/// but may arrive out of order). It must be thread-safe and must not unwind or longjmp.
pub type NqProgressFn = Option<unsafe extern "C" fn(userdata: *mut c_void, completed: u64, total: u64)>;

/// How a run executes: threads, stop conditions, progress. Initialise with
/// `nq_control_default(&control, sizeof control)`; the defaults run on all cores to completion.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqControl {
    /// `sizeof` the struct as the caller compiled it (set by `nq_control_default`).
    pub struct_size: usize,
    /// Threads to run on (results do not depend on it); 0: one per core.
    pub num_threads: usize,
    /// Stop after this many milliseconds; 0: no limit. A stopped run returns the reads completed
    /// so far with `interrupted` set in its info, or `NQ_INTERRUPTED` if none completed.
    pub timeout_ms: u64,
    /// Stop when it returns non-zero; NULL: never.
    pub interrupt: NqInterruptFn,
    /// Passed to `interrupt`.
    pub interrupt_userdata: *mut c_void,
    /// Told the progress; NULL: nobody.
    pub progress: NqProgressFn,
    /// Passed to `progress`.
    pub progress_userdata: *mut c_void,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/pointer/nullable-fn-pointer fields only
// (every bit pattern of an `Option<extern fn>` that C can store is NULL or a function address).
unsafe impl Versioned for NqControl {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        NqControl {
            struct_size: std::mem::size_of::<Self>(),
            num_threads: 0,
            timeout_ms: 0,
            interrupt: None,
            interrupt_userdata: std::ptr::null_mut(),
            progress: None,
            progress_userdata: std::ptr::null_mut(),
        }
    }
}

/// Writes the default control (all cores, no limit, no callbacks) into the caller's struct of
/// `struct_size` bytes (pass `sizeof *control`), and sets `control->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_control_default(control: *mut NqControl, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(control, struct_size, "control") })
}

/// A callback and its user data, shareable across the sampler's worker threads.
struct Shared<F> {
    f: F,
    userdata: *mut c_void,
}

// SAFETY: the caller promises (documented on NqInterruptFn and NqProgressFn) that the callback
// may be called from any thread with this user data.
unsafe impl<F> Send for Shared<F> {}
unsafe impl<F> Sync for Shared<F> {}

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
        let c = if control.is_null() {
            NqControl::defaults()
        } else {
            unsafe { read_sized(control, "control") }?
        };
        let out = Out::new(out, "out")?;
        let interrupt = c.interrupt.map(|f| Shared {
            f,
            userdata: c.interrupt_userdata,
        });
        let progress = c.progress.map(|f| Shared {
            f,
            userdata: c.progress_userdata,
        });
        // SAFETY (both closures): valid callbacks by the caller's contract.
        let ask = || {
            interrupt
                .as_ref()
                .is_some_and(|i| unsafe { (i.f)(i.userdata) } != 0)
        };
        let tell = |p: Progress| {
            if let Some(t) = &progress {
                unsafe { (t.f)(t.userdata, p.completed, p.total) }
            }
        };
        let mut run = Control::default().with_interrupt(&ask).with_progress(&tell);
        if c.num_threads > 0 {
            run = run.with_num_threads(c.num_threads);
        }
        if c.timeout_ms > 0 {
            run = run.with_timeout(Duration::from_millis(c.timeout_ms));
        }
        let set = sampler.0.sample_with(&bqm.0, &run)?;
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
