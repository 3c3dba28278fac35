//! Steepest descent and tabu search from C.

use super::params::NqReadParams;
use super::sampler::{NqSampler, boxed};
use super::sampleset::NqSampleSet;
use crate::convert::{Fields, Versioned, init_sized, read_sized};
use crate::guard::{FfiResult, Out, arg_ref, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{SteepestDescent, SteepestDescentParams, Tabu, TabuParams};
use nq::params::KeywordArgs;

/// Parameters of steepest descent (dwave's `SteepestDescentSolver`). Initialise with
/// `nq_steepest_descent_params_default(&params, sizeof params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSteepestDescentParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_steepest_descent_params_default`).
    pub struct_size: usize,
    /// Reads, seed (for random initial states) and initial states.
    pub reads: NqReadParams,
    /// Find the best flip with a priority queue, O(degree log n) per step instead of O(n):
    /// faster on large sparse models, same result.
    /// Non-zero: true.
    pub large_sparse_opt: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/pointer fields only.
unsafe impl Versioned for NqSteepestDescentParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = SteepestDescentParams::default();
        NqSteepestDescentParams {
            struct_size: std::mem::size_of::<Self>(),
            reads: NqReadParams::defaults(),
            large_sparse_opt: u8::from(d.large_sparse_opt),
        }
    }
}

impl NqSteepestDescentParams {
    unsafe fn to_core(self) -> FfiResult<SteepestDescentParams> {
        let mut f = Fields::default();
        unsafe { self.reads.put(&mut f) }?;
        f.flag("large_sparse_opt", self.large_sparse_opt)?;
        Ok(SteepestDescentParams::from_keywords("steepest descent", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_steepest_descent_params_default(
    params: *mut NqSteepestDescentParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a steepest-descent sampler (adds the vector `num_steps` to its sample sets).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_steepest_descent(
    params: *const NqSteepestDescentParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, SteepestDescent::new(unsafe { p.to_core() }?)?);
        Ok(())
    })
}

/// Runs a steepest descent from every row of `samples` (a post-pass over another sampler's
/// result): `*out` receives the descended rows, with the rows' occurrences, vectors and info,
/// and a `num_steps` vector. `samples` must match `bqm` in width and vartype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_polish(
    samples: *const NqSampleSet,
    bqm: *const NqBqm,
    large_sparse_opt: u8,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    guard(|| {
        let samples = unsafe { arg_ref(samples, "samples") }?;
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        let sd =
            SteepestDescent::new(SteepestDescentParams::default().large_sparse_opt(large_sparse_opt != 0))?;
        let set = sd.polish(&bqm.0, &samples.0)?;
        out_boxed(out, NqSampleSet(set));
        Ok(())
    })
}

/// Parameters of multistart tabu search (dwave's `TabuSampler`). Initialise with
/// `nq_tabu_params_default(&params, sizeof params)`; a `has_*` flag of 0 leaves the field before
/// it at its default.
///
/// Reproducibility: the default (dwave's) stops each read after 20 ms of wall-clock time, so
/// results depend on machine speed and load and a seed does NOT repeat a run. Set
/// `has_timeout = 0` for runs a seed fixes bit for bit; an `NqControl` timeout still bounds them.
/// The info JSON's `extra.timed_out_reads` counts the reads the timeout ended.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqTabuParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_tabu_params_default`).
    pub struct_size: usize,
    /// Reads (independent multistart searches), seed and initial states.
    pub reads: NqReadParams,
    /// Moves a flipped variable stays tabu; must be < the number of variables.
    /// None: min(20, num_variables // 4).
    pub tenure: usize,
    /// Non-zero: use `tenure`; 0: None.
    pub has_tenure: u8,
    /// Wall-clock limit per read in milliseconds (an integer or a float >= 0); None: no
    /// limit. As in dwave, a read stops once more than `timeout` whole milliseconds have
    /// elapsed, so timeout=0 still searches for up to a millisecond. With a limit (the
    /// default, dwave's), results depend on machine speed and load, so a seed reproduces a run
    /// exactly only with None. (C takes whole milliseconds.)
    pub timeout: u64,
    /// Non-zero: use `timeout`; 0: None.
    pub has_timeout: u8,
    /// Restarts per read; 0 gives a single simple tabu search.
    pub num_restarts: u64,
    /// Stop a read once its best energy (the model's energy, offset included) is at most
    /// this.
    pub energy_threshold: f64,
    /// Non-zero: use `energy_threshold`; 0: None.
    pub has_energy_threshold: u8,
    /// Evaluations of the first simple tabu search: max(n * coefficient_z_first,
    /// lower_bound_z). None: 10000 for n <= 500, else 25000.
    pub coefficient_z_first: u64,
    /// Non-zero: use `coefficient_z_first`; 0: None.
    pub has_coefficient_z_first: u8,
    /// The same for the restarted searches. None: coefficient_z_first // 4.
    pub coefficient_z_restart: u64,
    /// Non-zero: use `coefficient_z_restart`; 0: None.
    pub has_coefficient_z_restart: u8,
    /// Minimum evaluations per simple tabu search.
    pub lower_bound_z: u64,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqTabuParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = TabuParams::default();
        NqTabuParams {
            struct_size: std::mem::size_of::<Self>(),
            reads: NqReadParams::defaults(),
            tenure: d.tenure.unwrap_or(0),
            has_tenure: u8::from(d.tenure.is_some()),
            timeout: d.timeout.map_or(0, |t| t as u64),
            has_timeout: u8::from(d.timeout.is_some()),
            num_restarts: d.num_restarts,
            energy_threshold: d.energy_threshold.unwrap_or(0.0),
            has_energy_threshold: u8::from(d.energy_threshold.is_some()),
            coefficient_z_first: d.coefficient_z_first.unwrap_or(0),
            has_coefficient_z_first: u8::from(d.coefficient_z_first.is_some()),
            coefficient_z_restart: d.coefficient_z_restart.unwrap_or(0),
            has_coefficient_z_restart: u8::from(d.coefficient_z_restart.is_some()),
            lower_bound_z: d.lower_bound_z,
        }
    }
}

impl NqTabuParams {
    unsafe fn to_core(self) -> FfiResult<TabuParams> {
        let mut f = Fields::default();
        unsafe { self.reads.put(&mut f) }?;
        f.opt("tenure", self.has_tenure, self.tenure)?;
        f.set("timeout", (self.has_timeout != 0).then_some(self.timeout))?;
        f.set("num_restarts", self.num_restarts)?;
        f.opt(
            "energy_threshold",
            self.has_energy_threshold,
            self.energy_threshold,
        )?;
        f.opt(
            "coefficient_z_first",
            self.has_coefficient_z_first,
            self.coefficient_z_first,
        )?;
        f.opt(
            "coefficient_z_restart",
            self.has_coefficient_z_restart,
            self.coefficient_z_restart,
        )?;
        f.set("lower_bound_z", self.lower_bound_z)?;
        Ok(TabuParams::from_keywords("tabu search", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_tabu_params_default(params: *mut NqTabuParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a tabu sampler (adds the vector `num_restarts` to its sample sets).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_tabu(
    params: *const NqTabuParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, Tabu::new(unsafe { p.to_core() }?)?);
        Ok(())
    })
}
