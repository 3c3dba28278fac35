//! Path-integral quantum annealing from C.

use super::common::{generator, initial_states, opt};
use super::sampler::{NqSampler, boxed};
use crate::guard::{Out, arg_mut, arg_ref, arg_slice, guard};
use crate::status::NqStatus;
use nq::anneal::{PathIntegralAnnealing, PathIntegralParams, SqaStep};

/// Parameters of path-integral quantum annealing (OpenJij's `SQASampler` vocabulary).
/// Initialise with `nq_sqa_params_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSqaParams {
    /// Reads; default: the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_reads: u8,
    /// Inverse temperature of the default schedule (default 5).
    pub beta: f64,
    /// Transverse field Γ (default 1).
    pub gamma: f64,
    /// Trotter slices (default 4).
    pub trotter: usize,
    /// Length of the default quartic schedule (default 1000).
    pub num_sweeps: usize,
    /// An explicit schedule of `schedule_len` steps (s, beta, sweeps) as three arrays
    /// (0: use the default schedule).
    pub schedule_s: *const f64,
    pub schedule_beta: *const f64,
    pub schedule_sweeps: *const u64,
    pub schedule_len: usize,
    /// Seed; default: drawn.
    pub seed: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_seed: u8,
    /// `num_initial_states` rows in the model's vartype (`initial_states_len` values).
    pub initial_states: *const i8,
    pub initial_states_len: usize,
    pub num_initial_states: usize,
    /// NQ_INITIAL_STATES_RANDOM (default), _TILE or _NONE.
    pub initial_states_generator: u32,
    /// Non-zero: return every slice (num_reads × trotter rows, vectors `read`, `slice`).
    pub return_all_slices: u8,
}

/// Writes the default parameters to `*params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sqa_params_default(params: *mut NqSqaParams) -> NqStatus {
    guard(|| {
        let d = PathIntegralParams::default();
        *unsafe { arg_mut(params, "params") }? = NqSqaParams {
            num_reads: 1,
            has_num_reads: 0,
            beta: d.beta,
            gamma: d.gamma,
            trotter: d.trotter,
            num_sweeps: d.num_sweeps,
            schedule_s: std::ptr::null(),
            schedule_beta: std::ptr::null(),
            schedule_sweeps: std::ptr::null(),
            schedule_len: 0,
            seed: 0,
            has_seed: 0,
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: super::NQ_INITIAL_STATES_RANDOM,
            return_all_slices: 0,
        };
        Ok(())
    })
}

/// Creates a path-integral annealing sampler.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_path_integral(
    params: *const NqSqaParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        let s = unsafe { arg_slice(p.schedule_s, p.schedule_len, "schedule_s") }?;
        let beta = unsafe { arg_slice(p.schedule_beta, p.schedule_len, "schedule_beta") }?;
        let sweeps = unsafe { arg_slice(p.schedule_sweeps, p.schedule_len, "schedule_sweeps") }?;
        let schedule = (p.schedule_len > 0).then(|| {
            (0..p.schedule_len)
                .map(|i| SqaStep {
                    s: s[i],
                    beta: beta[i],
                    sweeps: usize::try_from(sweeps[i]).unwrap_or(usize::MAX),
                })
                .collect()
        });
        let params = PathIntegralParams {
            num_reads: opt(p.has_num_reads, p.num_reads),
            beta: p.beta,
            gamma: p.gamma,
            trotter: p.trotter,
            num_sweeps: p.num_sweeps,
            schedule,
            seed: opt(p.has_seed, p.seed),
            initial_states: unsafe {
                initial_states(p.initial_states, p.initial_states_len, p.num_initial_states)
            }?,
            initial_states_generator: generator(p.initial_states_generator)?,
            return_all_slices: p.return_all_slices != 0,
        };
        boxed(out, PathIntegralAnnealing::new(params)?);
        Ok(())
    })
}
