//! Path-integral quantum annealing from C.

use super::params::NqReadParams;
use super::sampler::{NqSampler, boxed};
use crate::convert::{Fields, Versioned, init_sized, read_sized};
use crate::guard::{Failure, FfiResult, Out, arg_slice, guard};
use crate::status::NqStatus;
use nq::anneal::{PathIntegralAnnealing, PathIntegralParams, SqaSchedule};
use nq::error::check;
use nq::params::{KeywordArgs, ToValue, Value};

/// Parameters of path-integral quantum annealing (OpenJij's `SQASampler` vocabulary).
/// Initialise with `nq_sqa_params_default(&params, sizeof params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSqaParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_sqa_params_default`).
    pub struct_size: usize,
    /// Reads, seed and initial states (every slice starts from the read's state; generated
    /// states are drawn independently per slice).
    pub reads: NqReadParams,
    /// Transverse-field strength.
    pub gamma: f64,
    /// Trotter slices, 1 to 4096.
    pub trotter: usize,
    /// Inverse temperature of the default schedule and of (s, sweeps) steps.
    pub beta: f64,
    /// Length of the default schedule: Morita & Nishimori's quartic ramp of s at
    /// num_sweeps evenly spaced points, one sweep each (not with schedule).
    pub num_sweeps: usize,
    /// Non-zero: use `num_sweeps`; 0: None (1000).
    pub has_num_sweeps: u8,
    /// Explicit steps (s, beta, sweeps), or (s, sweeps) at beta, with 0 <= s <= 1.
    /// As three arrays of one value per step: `schedule_s` NULL (with length 0): None (the
    /// default schedule); `schedule_beta` NULL (with length 0): every step at `beta`.
    pub schedule_s: *const f64,
    /// Values at `schedule_s` (the number of steps).
    pub schedule_s_len: usize,
    /// The inverse temperature of each step, or NULL.
    pub schedule_beta: *const f64,
    /// Values at `schedule_beta` (the number of steps, or 0).
    pub schedule_beta_len: usize,
    /// The sweeps of each step.
    pub schedule_sweeps: *const u64,
    /// Values at `schedule_sweeps` (the number of steps).
    pub schedule_sweeps_len: usize,
    /// Return every slice (num_reads * trotter rows with vectors read and slice) instead of
    /// the lowest-energy slice of each read.
    /// Non-zero: true.
    pub return_all_slices: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqSqaParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = PathIntegralParams::default();
        let (beta, num_sweeps) = match d.schedule {
            SqaSchedule::Quartic { beta, num_sweeps } => (beta, num_sweeps),
            _ => (0.0, 0),
        };
        NqSqaParams {
            struct_size: std::mem::size_of::<Self>(),
            reads: NqReadParams::defaults(),
            gamma: d.gamma,
            trotter: d.trotter,
            beta,
            num_sweeps,
            has_num_sweeps: 0,
            schedule_s: std::ptr::null(),
            schedule_s_len: 0,
            schedule_beta: std::ptr::null(),
            schedule_beta_len: 0,
            schedule_sweeps: std::ptr::null(),
            schedule_sweeps_len: 0,
            return_all_slices: u8::from(d.return_all_slices),
        }
    }
}

impl NqSqaParams {
    /// The schedule steps as the keyword value Python passes: `[(s, beta, sweeps)]` or `[(s, sweeps)]`.
    unsafe fn schedule(&self) -> FfiResult<Option<Value>> {
        if self.schedule_s.is_null() {
            if self.schedule_s_len != 0 {
                return Err(Failure::Null("schedule_s"));
            }
            return Ok(None);
        }
        let n = self.schedule_s_len;
        let s = unsafe { arg_slice(self.schedule_s, n, "schedule_s") }?;
        let sweeps = unsafe { arg_slice(self.schedule_sweeps, self.schedule_sweeps_len, "schedule_sweeps") }?;
        check::len("schedule_sweeps", n, sweeps.len()).map_err(nq::Error::from)?;
        let beta = if self.schedule_beta.is_null() && self.schedule_beta_len == 0 {
            None
        } else {
            let b = unsafe { arg_slice(self.schedule_beta, self.schedule_beta_len, "schedule_beta") }?;
            check::len("schedule_beta", n, b.len()).map_err(nq::Error::from)?;
            Some(b)
        };
        let steps = (0..n)
            .map(|i| {
                let mut step = vec![s[i].to_value()];
                if let Some(b) = beta {
                    step.push(b[i].to_value());
                }
                step.push(sweeps[i].to_value());
                Value::List(step)
            })
            .collect();
        Ok(Some(Value::List(steps)))
    }

    unsafe fn to_core(self) -> FfiResult<PathIntegralParams> {
        let mut f = Fields::default();
        unsafe { self.reads.put(&mut f) }?;
        f.set("gamma", self.gamma)?;
        f.set("trotter", self.trotter)?;
        f.set("beta", self.beta)?;
        f.opt("num_sweeps", self.has_num_sweeps, self.num_sweeps)?;
        if let Some(steps) = unsafe { self.schedule() }? {
            f.0.insert("schedule", steps)?;
        }
        f.flag("return_all_slices", self.return_all_slices)?;
        Ok(PathIntegralParams::from_keywords("path-integral annealing", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sqa_params_default(params: *mut NqSqaParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a path-integral annealing sampler.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_path_integral(
    params: *const NqSqaParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, PathIntegralAnnealing::new(unsafe { p.to_core() }?)?);
        Ok(())
    })
}
