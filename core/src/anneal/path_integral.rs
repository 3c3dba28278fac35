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
use super::initial_states::{MAX_READ_SPINS, ReadParams, ReadPlan, read_setters};
use super::reads::{Stopwatch, WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::sampleset::check_rows;
use super::schedule::invalid;
use super::spin_model::SpinModel;
use super::{Column, Control, SampleSet, Sampler};
use crate::Result;
use crate::error::check;
use crate::params::{FromValue, Keyword, KeywordArgs, Keywords, ToValue, Value, params, params_container};
use crate::qubo::Bqm;
use crate::rng::{self, Rng};
use rand_core::Rng as _;

const NAME: &str = "path_integral_annealing";
/// Largest Trotter number accepted.
pub const MAX_TROTTER: usize = 4096;

/// One stage of the schedule: `sweeps` sweeps of every slice at annealing parameter `s` and
/// inverse temperature `beta` (OpenJij's `(s, beta, one_mc_step)` tuple).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SqaStep {
    /// Annealing parameter in `[0, 1]`: weight `s` on the problem, `Γ(1 − s)` on the field.
    pub s: f64,
    /// Inverse temperature (finite, ≥ 0).
    pub beta: f64,
    /// Sweeps at this stage.
    pub sweeps: usize,
}

/// The stages of a path-integral anneal. As keywords (OpenJij's): `beta` and `num_sweeps` (the
/// quartic default) or `schedule` (explicit steps, `(s, beta, sweeps)` or `(s, sweeps)` at
/// `beta`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SqaSchedule {
    /// Morita & Nishimori's quartic ramp `s(τ) = τ⁴(35 − 84τ + 70τ² − 20τ³)` at `num_sweeps`
    /// evenly spaced `τ ∈ [0, 1]`, one sweep each, at inverse temperature `beta`.
    Quartic {
        /// Inverse temperature (finite, ≥ 0).
        beta: f64,
        /// Number of stages (one sweep each).
        num_sweeps: usize,
    },
    /// Explicit stages.
    Custom(Vec<SqaStep>),
}

/// OpenJij's default inverse temperature and schedule length.
const DEFAULT_SCHEDULE: SqaSchedule = SqaSchedule::Quartic {
    beta: 5.0,
    num_sweeps: 1000,
};

impl Default for SqaSchedule {
    fn default() -> Self {
        DEFAULT_SCHEDULE
    }
}

impl SqaSchedule {
    /// The number of stages.
    pub fn len(&self) -> usize {
        match self {
            SqaSchedule::Quartic { num_sweeps, .. } => *num_sweeps,
            SqaSchedule::Custom(steps) => steps.len(),
        }
    }

    /// Whether there are no stages.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stage `k < len()`, computed on demand so a long default schedule costs no memory.
    pub fn step(&self, k: usize) -> SqaStep {
        match *self {
            SqaSchedule::Custom(ref steps) => steps[k],
            SqaSchedule::Quartic { beta, num_sweeps: m } => {
                // numpy.linspace(0, 1, m): k / (m - 1), and [0] for a single point.
                let t = if m > 1 { k as f64 / (m - 1) as f64 } else { 0.0 };
                SqaStep {
                    s: t.powi(4) * (35.0 - 84.0 * t + 70.0 * t * t - 20.0 * t.powi(3)),
                    beta,
                    sweeps: 1,
                }
            }
        }
    }
}

/// The steps of an explicit schedule: `(s, beta, sweeps)` triples, or `(s, sweeps)` pairs at
/// inverse temperature `beta`.
fn steps_from_value(value: &Value, beta: f64) -> Result<Vec<SqaStep>> {
    let bad = |i: usize, got: &Value| {
        invalid(
            "schedule",
            format!(
                "element {i} must be (s, beta, sweeps) or (s, sweeps), got {}",
                got.describe()
            ),
        )
    };
    let Value::List(items) = value else {
        return Err(invalid(
            "schedule",
            format!(
                "must be a sequence of (s, beta, sweeps) or (s, sweeps) steps, got {}",
                value.describe()
            ),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let parts = item.elements().ok_or_else(|| bad(i, item))?;
            let (s, b, sweeps) = match parts.as_slice() {
                [s, b, n] => (s, Some(b), n),
                [s, n] => (s, None, n),
                _ => return Err(bad(i, item)),
            };
            let number = |v: &Value| f64::from_value("schedule", v).map_err(|_| bad(i, item));
            Ok(SqaStep {
                s: number(s)?,
                beta: b.map_or(Ok(beta), number)?,
                sweeps: usize::from_value("schedule", sweeps).map_err(|_| bad(i, item))?,
            })
        })
        .collect()
}

impl KeywordArgs for SqaSchedule {
    fn description() -> &'static str {
        ""
    }

    fn keywords() -> &'static [Keyword] {
        static KEYWORDS: std::sync::LazyLock<[Keyword; 3]> = std::sync::LazyLock::new(|| {
            [
                Keyword::of::<f64>(
                    "beta",
                    "Inverse temperature of the default schedule and of (s, sweeps) steps.",
                ),
                Keyword::of::<Option<usize>>(
                    "num_sweeps",
                    "Length of the default schedule: Morita & Nishimori's quartic ramp of s at \
                     num_sweeps evenly spaced points, one sweep each (not with schedule).",
                ),
                Keyword::of::<Option<Vec<f64>>>(
                    "schedule",
                    "Explicit steps (s, beta, sweeps), or (s, sweeps) at beta, with 0 <= s <= 1.",
                ),
            ]
        });
        &*KEYWORDS
    }

    fn take_from(kw: &mut Keywords) -> Result<Self> {
        let SqaSchedule::Quartic {
            beta: default_beta,
            num_sweeps: default_sweeps,
        } = DEFAULT_SCHEDULE
        else {
            unreachable!("the default schedule is quartic")
        };
        let beta = kw.take::<f64>("beta")?.unwrap_or(default_beta);
        let num_sweeps = kw.take::<Option<usize>>("num_sweeps")?.flatten();
        let schedule = kw.take::<Value>("schedule")?.filter(|v| *v != Value::None);
        match (schedule, num_sweeps) {
            (Some(_), Some(_)) => Err(invalid(
                "num_sweeps",
                "is given with an explicit schedule, whose steps set the sweeps".into(),
            )),
            (Some(steps), None) => {
                check::finite("beta", beta)?;
                Ok(SqaSchedule::Custom(steps_from_value(&steps, beta)?))
            }
            (None, n) => Ok(SqaSchedule::Quartic {
                beta,
                num_sweeps: n.unwrap_or(default_sweeps),
            }),
        }
    }

    fn put_into(&self, out: &mut Vec<(&'static str, Value)>) {
        match self {
            SqaSchedule::Quartic { beta, num_sweeps } => {
                out.push(("beta", beta.to_value()));
                out.push(("num_sweeps", num_sweeps.to_value()));
                out.push(("schedule", Value::None));
            }
            SqaSchedule::Custom(steps) => {
                if let SqaSchedule::Quartic { beta, .. } = DEFAULT_SCHEDULE {
                    out.push(("beta", beta.to_value()));
                }
                out.push(("num_sweeps", Value::None));
                out.push(("schedule", steps_to_value(steps)));
            }
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            SqaSchedule::Quartic { beta, .. } => check_beta("beta", 0, *beta),
            SqaSchedule::Custom(steps) => {
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
                Ok(())
            }
        }
    }
}

fn steps_to_value(steps: &[SqaStep]) -> Value {
    Value::List(
        steps
            .iter()
            .map(|st| Value::List(vec![st.s.to_value(), st.beta.to_value(), st.sweeps.to_value()]))
            .collect(),
    )
}

params! {
    /// Path-integral (simulated quantum) annealing in OpenJij's vocabulary (`SQASampler`): the
    /// transverse-field model H(s) = s * H_p + gamma * (1 - s) * sum(sigma_x) mapped by
    /// Suzuki-Trotter to `trotter` coupled classical slices and sampled by single-spin
    /// Metropolis moves. Returns the lowest-energy slice of each read (vector `slice`), or every
    /// slice.
    pub struct PathIntegralParams {
        /// Reads, seed and initial states (every slice starts from the read's state; generated
        /// states are drawn independently per slice).
        group reads: ReadParams = ReadParams::default(),
        /// Transverse-field strength.
        keyword gamma: f64 = 1.0,
        /// Trotter slices, 1 to 4096.
        keyword trotter: usize = 4,
        /// The annealing stages.
        group schedule: SqaSchedule = SqaSchedule::default(),
        /// Return every slice (num_reads * trotter rows with vectors read and slice) instead of
        /// the lowest-energy slice of each read.
        keyword return_all_slices: bool = false,
    }
}

read_setters!(PathIntegralParams);
params_container!(PathIntegralParams, "path_integral_params");

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
    fn check(&self) -> Result<()> {
        check::finite("gamma", self.gamma)?;
        if self.gamma < 0.0 {
            return Err(invalid("gamma", format!("is {}, must be >= 0", self.gamma)));
        }
        if self.trotter == 0 {
            return Err(invalid("trotter", "is 0, must be at least 1".into()));
        }
        check::at_most("trotter", self.trotter as u64, MAX_TROTTER as u64)?;
        Ok(())
    }
}

/// Simulated quantum annealing by path-integral Monte Carlo; see the module docs and
/// [`PathIntegralParams`]. Returns the lowest-energy Trotter slice of each read (as OpenJij),
/// or every slice.
///
/// ```
/// use neuroquant::anneal::{PathIntegralAnnealing, PathIntegralParams, Sampler, SqaSchedule};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 4)?;
/// bqm.add_quadratic_from(&[0, 1, 2], &[1, 2, 3], &[-1.0, -1.0, -1.0])?;
/// bqm.add_linear(0, -0.5)?;
/// let sqa = PathIntegralAnnealing::new(
///     PathIntegralParams::default()
///         .schedule(SqaSchedule::Quartic { beta: 5.0, num_sweeps: 200 })
///         .seed(2),
/// )?;
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

    fn parameters(&self) -> &'static [Keyword] {
        PathIntegralParams::keywords()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let p = &self.params;
        let run = PathRun {
            reads: &p.reads,
            gamma: p.gamma,
            trotter: p.trotter,
            schedule: &p.schedule,
            all_slices: p.return_all_slices,
            slice_vector: true,
            classical_start: false,
        };
        let (mut set, seed, interrupted, timing) = run.run(bqm, control)?;
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), interrupted);
        info.extra.insert("trotter".into(), serde_json::json!(p.trotter));
        info.extra.insert("gamma".into(), serde_json::json!(p.gamma));
        info.extra.insert(
            "schedule".into(),
            serde_json::json!(match p.schedule {
                SqaSchedule::Quartic { .. } => "quartic",
                SqaSchedule::Custom(_) => "custom",
            }),
        );
        info.timing = timing;
        Ok(set)
    }
}

/// One path-integral run, shared by OpenJij's keyword form ([`PathIntegralAnnealing`]) and
/// dwave-samplers' ([`DwavePathIntegralAnnealing`](super::DwavePathIntegralAnnealing)).
pub(crate) struct PathRun<'a> {
    pub(crate) reads: &'a ReadParams,
    pub(crate) gamma: f64,
    pub(crate) trotter: usize,
    pub(crate) schedule: &'a SqaSchedule,
    /// Every slice as a row (with vectors `read` and `slice`) instead of the best slice per read.
    pub(crate) all_slices: bool,
    /// Add the vector `slice` (the best slice's index) when returning one slice per read.
    pub(crate) slice_vector: bool,
    /// Every slice of a read starts from the same state (a classical worldline, dwave's
    /// `project_states[0]`), also for generated states.
    pub(crate) classical_start: bool,
}

impl PathRun<'_> {
    /// The sample set (info left for the caller), the seed used, whether a stop cut the run
    /// short, and the timing.
    pub(crate) fn run(
        &self,
        bqm: &Bqm,
        control: &Control<'_>,
    ) -> Result<(SampleSet, u64, bool, super::Timing)> {
        let mut clock = Stopwatch::start();
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(bqm, self.reads)?;
        let n = model.num_variables();
        let slices = self.trotter;
        // One read simulates `trotter` copies of the model (9 bytes per spin).
        check::at_most("trotter", slices as u64, MAX_READ_SPINS / n.max(1) as u64)?;
        let width = if self.all_slices { slices * n } else { n };
        if self.all_slices {
            // `trotter` rows per read.
            check_rows("num_reads", plan.num_reads as u64, slices as u64, n)?;
        }
        let seed = rng::resolve_seed(self.reads.seed);
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
                    if self.classical_start && k > 0 {
                        tr.spins.copy_within(0..n, k * n);
                    } else {
                        plan.fill(r, &mut rng, &mut tr.spins[k * n..(k + 1) * n]);
                    }
                }
                tr.anneal(&model, self.gamma, self.schedule, &mut rng, control, check_every)?;
                Some(tr.output(&model, self.all_slices, out))
            },
        )?;
        clock.postprocessing();
        let reads = done.extras.len();
        let rows = if self.all_slices { reads * slices } else { reads };
        let mut set = sample_set(bqm, done.spins, rows)?;
        if self.all_slices {
            let mut read_idx = crate::alloc::with_capacity("read vector", rows)?;
            read_idx.extend((0..rows).map(|i| (i / slices) as i64));
            let mut slice_idx = crate::alloc::with_capacity("slice vector", rows)?;
            slice_idx.extend((0..rows).map(|i| (i % slices) as i64));
            set.set_vector("read", Column::I64(read_idx))?;
            set.set_vector("slice", Column::I64(slice_idx))?;
        } else if self.slice_vector {
            set.set_vector(
                "slice",
                Column::I64(done.extras.iter().map(|&k| k as i64).collect()),
            )?;
        }
        Ok((set, seed, done.interrupted, clock.timing()))
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
        schedule: &SqaSchedule,
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
        for stage in 0..schedule.len() {
            let st = schedule.step(stage);
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
