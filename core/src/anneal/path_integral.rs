//! Path-integral (simulated) quantum annealing in OpenJij's vocabulary (`SQASampler`): the
//! transverse-field model `H(s) = s·H_p + Γ(1 − s)·Σ σˣ` mapped by Suzuki–Trotter to `trotter`
//! coupled classical slices (Martoňák, Santoro & Tosatti 2002) and sampled by single-spin
//! Metropolis moves.
//!
//! The action of a configuration `σ_i^k` (slices `k` periodic) is
//! `S = (s·β/P) Σ_k E_p(σ^k) − K Σ_k Σ_i σ_i^k σ_i^{k+1}` with
//! `K = −½ ln tanh(β Γ (1 − s) / P) ≥ 0`, so flipping `σ_i^k` changes it by
//! `ΔS = (s·β/P) ΔE_p + 2K σ_i^k (σ_i^{k+1} + σ_i^{k−1})`. When `Γ(1 − s) = 0` (the end of the
//! schedule, or `Γ = 0`) `K` is infinite: a flip that breaks agreement with a neighbouring slice
//! is rejected, one that restores agreement with both is accepted, and one between two disagreeing
//! neighbours is decided by the problem term alone (OpenJij computes `−∞ · 0 = NaN` there).

use super::acceptance::{AcceptTable, LN_2_POW_64, ProposalAcceptance};
use super::initial_states::{InitialStates, InitialStatesGenerator, MAX_READ_SPINS, ReadPlan};
use super::reads::{Stopwatch, WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::sampleset::check_rows;
use super::schedule::invalid;
use super::spin_model::SpinModel;
use super::{Column, Control, ParameterInfo, SampleSet, Sampler};
use crate::Result;
use crate::error::check;
use crate::qubo::Bqm;
use crate::rng::{self, Rng};
use rand_core::Rng as _;
use serde::{Deserialize, Serialize};

const NAME: &str = "path_integral_annealing";
/// Largest Trotter number accepted.
pub const MAX_TROTTER: usize = 4096;

/// One stage of the schedule: `sweeps` sweeps of every slice at annealing parameter `s` and
/// inverse temperature `beta` (OpenJij's `(s, beta, one_mc_step)` tuple).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SqaStep {
    /// Annealing parameter in `[0, 1]`: weight `s` on the problem, `Γ(1 − s)` on the field.
    pub s: f64,
    /// Inverse temperature (finite, ≥ 0).
    pub beta: f64,
    /// Sweeps at this stage.
    pub sweeps: usize,
}

/// Parameters of [`PathIntegralAnnealing`], with OpenJij's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct PathIntegralParams {
    /// Reads. Default: the number of initial states, else 1.
    pub num_reads: Option<usize>,
    /// Inverse temperature of the default schedule (default 5).
    pub beta: f64,
    /// Transverse-field strength Γ (default 1).
    pub gamma: f64,
    /// Trotter slices P (default 4, at most 4096).
    pub trotter: usize,
    /// Length of the default schedule (default 1000): `s` follows Morita & Nishimori's quartic
    /// ramp `s(τ) = τ⁴(35 − 84τ + 70τ² − 20τ³)` at `num_sweeps` evenly spaced `τ ∈ [0, 1]`, one
    /// sweep each, at inverse temperature `beta`.
    pub num_sweeps: usize,
    /// An explicit schedule (overrides `beta` and `num_sweeps`).
    pub schedule: Option<Vec<SqaStep>>,
    /// Seed; `None` draws one (reported in `info.seed`).
    pub seed: Option<u64>,
    /// Starting states (every slice starts from the read's state, as in OpenJij), model vartype.
    pub initial_states: Option<InitialStates>,
    /// How missing initial states are generated (default random, independently per slice).
    pub initial_states_generator: InitialStatesGenerator,
    /// Return every slice (`num_reads × trotter` rows with vectors `read` and `slice`) instead of
    /// the lowest-energy slice of each read.
    pub return_all_slices: bool,
}

impl Default for PathIntegralParams {
    fn default() -> Self {
        PathIntegralParams {
            num_reads: None,
            beta: 5.0,
            gamma: 1.0,
            trotter: 4,
            num_sweeps: 1000,
            schedule: None,
            seed: None,
            initial_states: None,
            initial_states_generator: InitialStatesGenerator::Random,
            return_all_slices: false,
        }
    }
}

fn check_beta(argument: &'static str, index: usize, beta: f64) -> Result<()> {
    check::finite_at(argument, index, beta)?;
    if beta < 0.0 {
        return Err(invalid(
            argument,
            format!("element {index}: beta is {beta}, must be >= 0"),
        ));
    }
    Ok(())
}

impl PathIntegralParams {
    /// Checks every rule that does not depend on the model.
    pub fn validate(&self) -> Result<()> {
        if self.num_reads == Some(0) {
            return Err(invalid("num_reads", "is 0, must be at least 1".into()));
        }
        check_beta("beta", 0, self.beta)?;
        check::finite("gamma", self.gamma)?;
        if self.gamma < 0.0 {
            return Err(invalid("gamma", format!("is {}, must be >= 0", self.gamma)));
        }
        if self.trotter == 0 {
            return Err(invalid("trotter", "is 0, must be at least 1".into()));
        }
        check::at_most("trotter", self.trotter as u64, MAX_TROTTER as u64)?;
        if let Some(steps) = &self.schedule {
            if steps.is_empty() {
                return Err(invalid(
                    "schedule",
                    "is empty, must hold at least one (s, beta, sweeps) step".into(),
                ));
            }
            for (i, st) in steps.iter().enumerate() {
                check::finite_at("schedule", i, st.s)?;
                if !(0.0..=1.0).contains(&st.s) {
                    return Err(invalid(
                        "schedule",
                        format!("element {i}: s is {}, must be in [0, 1]", st.s),
                    ));
                }
                check_beta("schedule", i, st.beta)?;
            }
        }
        Ok(())
    }

    /// The schedule as a list: the explicit one, or the quartic default (`num_sweeps` steps,
    /// 24 bytes each). Sampling does not call this: it computes the default schedule's steps
    /// as it goes, so a huge `num_sweeps` costs time (which a deadline bounds), not memory.
    pub fn resolved_schedule(&self) -> Vec<SqaStep> {
        let schedule = Schedule::of(self);
        (0..schedule.len()).map(|k| schedule.get(k)).collect()
    }
}

/// The stages of one anneal, computed on demand (as the simulated-annealing schedules are).
#[derive(Debug, Clone, Copy)]
enum Schedule<'a> {
    /// Morita & Nishimori's quartic ramp at `num` evenly spaced points, one sweep each.
    Quartic { beta: f64, num: usize },
    /// An explicit schedule.
    Custom(&'a [SqaStep]),
}

impl<'a> Schedule<'a> {
    fn of(p: &'a PathIntegralParams) -> Self {
        match &p.schedule {
            Some(steps) => Schedule::Custom(steps),
            None => Schedule::Quartic {
                beta: p.beta,
                num: p.num_sweeps,
            },
        }
    }

    fn len(&self) -> usize {
        match self {
            Schedule::Quartic { num, .. } => *num,
            Schedule::Custom(steps) => steps.len(),
        }
    }

    /// Stage `k < len()`.
    fn get(&self, k: usize) -> SqaStep {
        match *self {
            Schedule::Custom(steps) => steps[k],
            Schedule::Quartic { beta, num } => {
                // numpy.linspace(0, 1, num): k / (num - 1), and [0] for a single point.
                let t = if num > 1 { k as f64 / (num - 1) as f64 } else { 0.0 };
                SqaStep {
                    s: t.powi(4) * (35.0 - 84.0 * t + 70.0 * t * t - 20.0 * t.powi(3)),
                    beta,
                    sweeps: 1,
                }
            }
        }
    }
}

/// Simulated quantum annealing by path-integral Monte Carlo; see the module docs and
/// [`PathIntegralParams`]. Returns the lowest-energy Trotter slice of each read (as OpenJij),
/// or every slice.
///
/// ```
/// use neuroquant::anneal::{PathIntegralAnnealing, PathIntegralParams, Sampler};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 4)?;
/// bqm.add_quadratic_from(&[0, 1, 2], &[1, 2, 3], &[-1.0, -1.0, -1.0])?;
/// bqm.add_linear(0, -0.5)?;
/// let sqa = PathIntegralAnnealing::new(PathIntegralParams {
///     num_sweeps: 200,
///     seed: Some(2),
///     ..Default::default()
/// })?;
/// assert_eq!(sqa.sample(&bqm)?.sample(0), &[1, 1, 1, 1]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathIntegralAnnealing {
    params: PathIntegralParams,
}

impl PathIntegralAnnealing {
    /// A sampler with validated `params`.
    pub fn new(params: PathIntegralParams) -> Result<Self> {
        params.validate()?;
        Ok(PathIntegralAnnealing { params })
    }

    /// The parameters.
    pub fn params(&self) -> &PathIntegralParams {
        &self.params
    }
}

impl Sampler for PathIntegralAnnealing {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [ParameterInfo] {
        super::parameters::SQA_PARAMETERS
    }

    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(
            bqm,
            p.num_reads,
            p.initial_states.as_ref(),
            p.initial_states_generator,
        )?;
        let n = model.num_variables();
        let slices = p.trotter;
        // One read simulates `trotter` copies of the model (9 bytes per spin).
        check::at_most("trotter", slices as u64, MAX_READ_SPINS / n.max(1) as u64)?;
        let width = if p.return_all_slices { slices * n } else { n };
        if p.return_all_slices {
            // `trotter` rows per read.
            check_rows("num_reads", plan.num_reads as u64, slices as u64, n)?;
        }
        let schedule = Schedule::of(p);
        let seed = rng::resolve_seed(p.seed);
        let check_every = (WORK_BETWEEN_CHECKS / (slices * (n + model.num_entries())).max(1)).max(1);
        clock.sampling();
        let done = run_reads(
            NAME,
            plan.num_reads,
            width,
            control,
            || Trotter::new(slices, n),
            |tr, r, out| {
                let mut rng = rng::stream(seed, r as u64);
                for k in 0..slices {
                    plan.fill(r, &mut rng, &mut tr.spins[k * n..(k + 1) * n]);
                }
                tr.anneal(&model, p.gamma, schedule, &mut rng, control, check_every)?;
                Some(tr.output(&model, p.return_all_slices, out))
            },
        )?;
        clock.postprocessing();
        let reads = done.extras.len();
        let rows = if p.return_all_slices {
            reads * slices
        } else {
            reads
        };
        let mut set = sample_set(bqm, done.spins, rows)?;
        if p.return_all_slices {
            let mut read_idx = crate::alloc::with_capacity("read vector", rows)?;
            read_idx.extend((0..rows).map(|i| (i / slices) as i64));
            let mut slice_idx = crate::alloc::with_capacity("slice vector", rows)?;
            slice_idx.extend((0..rows).map(|i| (i % slices) as i64));
            set.set_vector("read", Column::I64(read_idx))?;
            set.set_vector("slice", Column::I64(slice_idx))?;
        } else {
            set.set_vector(
                "slice",
                Column::I64(done.extras.iter().map(|&k| k as i64).collect()),
            )?;
        }
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), done.interrupted);
        info.extra.insert("trotter".into(), serde_json::json!(slices));
        info.extra.insert("gamma".into(), serde_json::json!(p.gamma));
        info.extra.insert(
            "schedule".into(),
            serde_json::json!(if p.schedule.is_some() { "custom" } else { "quartic" }),
        );
        info.timing = clock.timing();
        Ok(set)
    }
}

/// The Trotter slices of one read, slice-major, with their problem fields.
struct Trotter {
    p: usize,
    n: usize,
    spins: Vec<i8>,
    fields: Vec<f64>,
    table: AcceptTable,
}

/// The inter-slice coupling of one stage.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Coupling {
    /// `2K`, finite.
    Finite(f64),
    /// `K = ∞`: slices must agree.
    Infinite,
}

/// The coupling `K = −½ ln tanh(β Γ_eff / P)` for `P ≥ 2` (for `P = 1` the slice is its own
/// neighbour and the term is constant).
fn coupling(beta: f64, gamma_eff: f64, p: usize) -> Coupling {
    if p == 1 {
        return Coupling::Finite(0.0);
    }
    let x = beta * gamma_eff / p as f64;
    let k = -0.5 * x.tanh().ln();
    if x > 0.0 && k.is_finite() {
        Coupling::Finite(2.0 * k)
    } else {
        Coupling::Infinite
    }
}

impl Trotter {
    fn new(p: usize, n: usize) -> Result<Self> {
        Ok(Trotter {
            p,
            n,
            spins: crate::alloc::filled("Trotter slices", 0, p * n)?,
            fields: crate::alloc::filled("Trotter slices", 0.0, p * n)?,
            table: AcceptTable::new(ProposalAcceptance::Metropolis),
        })
    }

    fn anneal(
        &mut self,
        model: &SpinModel,
        gamma: f64,
        schedule: Schedule<'_>,
        rng: &mut Rng,
        control: &Control<'_>,
        check_every: usize,
    ) -> Option<()> {
        let (p, n) = (self.p, self.n);
        for k in 0..p {
            model.fields(
                &self.spins[k * n..(k + 1) * n],
                &mut self.fields[k * n..(k + 1) * n],
            );
        }
        let mut since_check = 0;
        for k in 0..schedule.len() {
            let st = schedule.get(k);
            let a = st.s * st.beta / p as f64;
            let c = coupling(st.beta, gamma * (1.0 - st.s), p);
            // Thresholds are cached per action change, which depends on (a, K): clear per stage.
            self.table.reset(1.0);
            for _ in 0..st.sweeps {
                for k in 0..p {
                    self.sweep_slice(model, k, a, c, rng);
                }
                since_check += 1;
                if since_check >= check_every {
                    since_check = 0;
                    if control.should_stop() {
                        return None;
                    }
                }
            }
        }
        Some(())
    }

    fn sweep_slice(&mut self, model: &SpinModel, k: usize, a: f64, c: Coupling, rng: &mut Rng) {
        let (p, n) = (self.p, self.n);
        let up = (k + 1) % p * n;
        let down = (k + p - 1) % p * n;
        let base = k * n;
        for i in 0..n {
            let s = self.spins[base + i];
            let neighbours = s * (self.spins[up + i] + self.spins[down + i]);
            let de = -2.0 * f64::from(s) * self.fields[base + i];
            let ds = match c {
                Coupling::Finite(two_k) => a * de + two_k * f64::from(neighbours),
                Coupling::Infinite if neighbours > 0 => continue,
                Coupling::Infinite if neighbours < 0 => f64::NEG_INFINITY,
                Coupling::Infinite => a * de,
            };
            if ds >= LN_2_POW_64 {
                continue;
            }
            if ds <= 0.0 || rng.next_u64() < self.table.threshold(ds) {
                let (sl, fl) = (&mut self.spins[base..base + n], &mut self.fields[base..base + n]);
                model.flip(i, sl, fl);
            }
        }
    }

    /// Writes the best slice (or all slices) to `out`; returns the best slice's index.
    fn output(&self, model: &SpinModel, all: bool, out: &mut [i8]) -> usize {
        let n = self.n;
        let mut best = (0, f64::INFINITY);
        for k in 0..self.p {
            let e = model.spin_energy(&self.spins[k * n..(k + 1) * n], &self.fields[k * n..(k + 1) * n]);
            if e < best.1 {
                best = (k, e);
            }
        }
        if all {
            out.copy_from_slice(&self.spins);
        } else {
            out.copy_from_slice(&self.spins[best.0 * n..(best.0 + 1) * n]);
        }
        best.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupling_is_finite_until_the_field_vanishes() {
        assert_eq!(coupling(5.0, 1.0, 1), Coupling::Finite(0.0));
        let Coupling::Finite(two_k) = coupling(5.0, 1.0, 4) else {
            panic!()
        };
        assert!((two_k - (-(1.25f64.tanh().ln()))).abs() < 1e-15);
        assert_eq!(coupling(5.0, 0.0, 4), Coupling::Infinite);
        // A subnormal field still gives a finite (huge) coupling.
        assert!(matches!(coupling(5.0, 1e-320, 4), Coupling::Finite(k) if k > 700.0));
        // A huge field gives K = 0 exactly (tanh rounds to 1), not NaN.
        assert_eq!(coupling(5.0, 1e6, 4), Coupling::Finite(0.0));
    }
}
