//! Parallel tempering (replica exchange Monte Carlo; Swendsen & Wang 1986, Hukushima & Nemoto
//! 1996): `num_replicas` copies of the system sweep at fixed inverse temperatures of a ladder, and
//! neighbouring temperatures exchange configurations with probability
//! `min(1, exp((β_k − β_{k+1})(E_k − E_{k+1})))`. Exchanges alternate between even and odd pairs.
//!
//! Randomness: read `r` derives `read_seed` = first output of `rng::stream(seed, r)`; the
//! temperature slot `k` draws from `rng::stream(read_seed, k)` and the exchanges from
//! `rng::stream(read_seed, num_replicas)`. So replicas can sweep in parallel (when there are fewer
//! reads than threads) or reads can run in parallel, with the same result bit for bit.

use super::acceptance::{AcceptTable, ProposalAcceptance, probability_threshold};
use super::beta_range::beta_range_of;
use super::initial_states::{ReadParams, ReadPlan, read_setters};
use super::reads::{Stopwatch, WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::schedule::{BetaScheduleType, check_beta_range, check_custom, interpolate, invalid};
use super::spin_model::SpinModel;
use super::sweep::{SweepKind, with_sweep};
use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::error::check;
use crate::params::{Keyword, KeywordArgs, Keywords, ToValue, Value, params, params_container};
use crate::qubo::Bqm;
use crate::rng::{self, Rng};
use rand_core::Rng as _;
use rayon::prelude::*;

const NAME: &str = "parallel_tempering";
/// Default number of temperatures.
pub const DEFAULT_NUM_REPLICAS: usize = 16;
/// Largest ladder accepted.
pub const MAX_REPLICAS: usize = 4096;

crate::params::named_enum! {
    /// Which state a parallel-tempering read returns.
    pub enum PtOutput("output") {
        /// The lowest-energy state any replica held at the end of a sweep (for optimisation).
        Best = "best",
        /// The final state at the coldest temperature: a sample of the Boltzmann distribution at
        /// the coldest inverse temperature once the run has equilibrated.
        Coldest = "coldest",
    }
}

/// The inverse temperatures of the replicas, hot first. As keywords: `num_replicas` and
/// `beta_range` (a geometric ladder) or `betas` (an explicit one).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Ladder {
    /// `num_replicas` values spaced geometrically over `range` (`None`: the model's
    /// [`default_beta_range`](super::default_beta_range)).
    Geometric {
        /// Replicas, 1 to [`MAX_REPLICAS`].
        num_replicas: usize,
        /// `[hot, cold]`, positive when there are several replicas.
        range: Option<[f64; 2]>,
    },
    /// Explicit inverse temperatures, finite, non-negative and non-decreasing.
    Custom(Vec<f64>),
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder::Geometric {
            num_replicas: DEFAULT_NUM_REPLICAS,
            range: None,
        }
    }
}

impl KeywordArgs for Ladder {
    fn description() -> &'static str {
        ""
    }

    fn keywords() -> &'static [Keyword] {
        static KEYWORDS: std::sync::LazyLock<[Keyword; 3]> = std::sync::LazyLock::new(|| {
            [
                Keyword::of::<Option<usize>>(
                    "num_replicas",
                    "Temperatures in a geometric ladder (not with betas).",
                ),
                Keyword::of::<Option<[f64; 2]>>(
                    "beta_range",
                    "[hot, cold] ends of a geometric ladder (not with betas). None: the model's \
                     default_beta_range (dwave-samplers' heuristic).",
                ),
                Keyword::of::<Option<Vec<f64>>>(
                    "betas",
                    "An explicit non-decreasing ladder, hot first (instead of num_replicas and \
                     beta_range).",
                ),
            ]
        });
        &*KEYWORDS
    }

    fn take_from(kw: &mut Keywords) -> Result<Self> {
        let num_replicas = kw.take::<Option<usize>>("num_replicas")?.flatten();
        let range = kw.take::<Option<[f64; 2]>>("beta_range")?.flatten();
        match kw.take::<Option<Vec<f64>>>("betas")?.flatten() {
            Some(betas) => match (num_replicas, range) {
                (None, None) => Ok(Ladder::Custom(betas)),
                _ => Err(invalid(
                    "betas",
                    "is given with num_replicas or beta_range: give either an explicit ladder \
                     or its size and range"
                        .into(),
                )),
            },
            None => Ok(Ladder::Geometric {
                num_replicas: num_replicas.unwrap_or(DEFAULT_NUM_REPLICAS),
                range,
            }),
        }
    }

    fn put_into(&self, out: &mut Vec<(&'static str, Value)>) {
        let (num_replicas, range, betas) = match self {
            Ladder::Geometric { num_replicas, range } => (Some(*num_replicas), *range, None),
            Ladder::Custom(b) => (None, None, Some(b.clone())),
        };
        out.push(("num_replicas", num_replicas.to_value()));
        out.push(("beta_range", range.to_value()));
        out.push(("betas", betas.to_value()));
    }

    fn validate(&self) -> Result<()> {
        match self {
            Ladder::Custom(b) => {
                check_custom("betas", b)?;
                check::at_most("betas", b.len() as u64, MAX_REPLICAS as u64)?;
                if let Some(k) = b.windows(2).position(|w| w[0] > w[1]) {
                    return Err(invalid(
                        "betas",
                        format!(
                            "must be non-decreasing (hot first), but element {} > element {}",
                            k,
                            k + 1
                        ),
                    ));
                }
            }
            Ladder::Geometric { num_replicas, range } => {
                if *num_replicas == 0 {
                    return Err(invalid("num_replicas", "is 0, must be at least 1".into()));
                }
                check::at_most("num_replicas", *num_replicas as u64, MAX_REPLICAS as u64)?;
                if let Some(r) = range {
                    check_beta_range("beta_range", *r)?;
                    if *num_replicas > 1 && r[0] <= 0.0 {
                        return Err(invalid(
                            "beta_range",
                            format!("[{}, {}] must be positive for a geometric ladder", r[0], r[1]),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

impl Ladder {
    /// The inverse temperatures for `model`.
    fn betas(&self, model: &SpinModel) -> Result<Vec<f64>> {
        match self {
            Ladder::Custom(b) => Ok(b.clone()),
            Ladder::Geometric { num_replicas, range } => {
                let range = match range {
                    Some(r) => *r,
                    None => beta_range_of(model, NAME)?,
                };
                let betas = interpolate(BetaScheduleType::Geometric, range, *num_replicas)?;
                Ok((0..*num_replicas).map(|k| betas.get(k)).collect())
            }
        }
    }
}

params! {
    /// Replica-exchange Monte Carlo (parallel tempering) over a temperature ladder. None of the
    /// Ocean samplers has replica exchange; the names follow dwave-samplers' simulated annealing
    /// where the concept is shared. info["extra"] holds the ladder (betas) and the exchange
    /// acceptance rate of each neighbouring pair (swap_acceptance_rates).
    pub struct ParallelTemperingParams {
        /// Reads (independent runs), seed and initial states (every replica of a read starts
        /// from the read's state).
        group reads: ReadParams = ReadParams::default(),
        /// The temperatures of the replicas.
        group ladder: Ladder = Ladder::default(),
        /// Sweeps per replica.
        keyword num_sweeps: usize = 1000,
        /// Sweeps between exchange rounds.
        keyword swap_interval: usize = 1,
        /// Random instead of sequential spin order within a sweep.
        keyword randomize_order: bool = false,
        /// The rule accepting a proposed single-spin flip.
        keyword proposal_acceptance_criteria: ProposalAcceptance = ProposalAcceptance::Metropolis,
        /// The state each read returns.
        keyword output: PtOutput = PtOutput::Best,
    }
}

read_setters!(ParallelTemperingParams);
params_container!(ParallelTemperingParams, "parallel_tempering_params");

impl ParallelTemperingParams {
    fn check(&self) -> Result<()> {
        if self.swap_interval == 0 {
            return Err(invalid("swap_interval", "is 0, must be at least 1".into()));
        }
        Ok(())
    }
}

/// Replica-exchange Monte Carlo over a temperature ladder; see [`ParallelTemperingParams`].
/// `info.extra` holds the ladder (`betas`) and the exchange acceptance rate of each neighbouring
/// pair (`swap_acceptance_rates`), summed over the completed reads.
///
/// ```
/// use neuroquant::anneal::{Ladder, ParallelTempering, ParallelTemperingParams, Sampler};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
/// bqm.add_quadratic_from(&[0, 1], &[1, 2], &[-1.0, -1.0])?;
/// bqm.add_linear(0, 0.5)?;
/// let pt = ParallelTempering::new(
///     ParallelTemperingParams::default()
///         .ladder(Ladder::Geometric { num_replicas: 4, range: None })
///         .num_sweeps(100usize)
///         .seed(5),
/// )?;
/// assert_eq!(pt.sample(&bqm)?.sample(0), &[-1, -1, -1]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParallelTempering {
    params: ParallelTemperingParams,
}

impl ParallelTempering {
    /// A sampler with validated `params`.
    pub fn new(params: ParallelTemperingParams) -> Result<Self> {
        params.validate()?;
        Ok(ParallelTempering { params })
    }

    /// The parameters.
    pub fn params(&self) -> &ParallelTemperingParams {
        &self.params
    }
}

impl Sampler for ParallelTempering {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        ParallelTemperingParams::keywords()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(bqm, &p.reads)?;
        let betas = p.ladder.betas(&model)?;
        let n = model.num_variables();
        // Each replica holds the model's spins (about 17 bytes per spin with its fields and best
        // state): the ladder is bounded so one read stays under MAX_READ_SPINS spins.
        crate::error::check::at_most(
            if matches!(p.ladder, Ladder::Custom(_)) {
                "betas"
            } else {
                "num_replicas"
            },
            betas.len() as u64,
            super::MAX_READ_SPINS / n.max(1) as u64,
        )?;
        let seed = rng::resolve_seed(p.reads.seed);
        let run = PtRun {
            model: &model,
            plan: &plan,
            betas: &betas,
            params: p,
            kind: SweepKind::new(
                p.randomize_order,
                p.proposal_acceptance_criteria == ProposalAcceptance::Gibbs,
            ),
            seed,
            control,
            // Replicas sweep in parallel when reads alone cannot keep the threads busy and a
            // round of sweeps is long enough to amortise the fork-join.
            parallel_replicas: plan.num_reads < rayon::current_num_threads()
                && betas.len() > 1
                && n.saturating_mul(p.swap_interval) >= 4096,
        };
        clock.sampling();
        let done = run_reads(
            NAME,
            plan.num_reads,
            n,
            control,
            || Replicas::new(betas.len(), n, p.proposal_acceptance_criteria),
            |ws, r, spins| run.read(ws, r, spins),
        )?;
        clock.postprocessing();
        let rows = done.extras.len();
        let mut set = sample_set(bqm, done.spins, rows)?;
        let pairs = betas.len().saturating_sub(1);
        let (mut accepted, mut attempted) = (vec![0u64; pairs], vec![0u64; pairs]);
        for stats in &done.extras {
            for k in 0..pairs {
                accepted[k] += stats.accepted[k];
                attempted[k] += stats.attempted[k];
            }
        }
        let rates: Vec<f64> = (0..pairs)
            .map(|k| {
                if attempted[k] == 0 {
                    0.0
                } else {
                    accepted[k] as f64 / attempted[k] as f64
                }
            })
            .collect();
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), done.interrupted);
        info.beta_range = Some([betas[0], betas[betas.len() - 1]]);
        info.extra.insert("betas".into(), serde_json::json!(betas));
        info.extra
            .insert("swap_acceptance_rates".into(), serde_json::json!(rates));
        info.timing = clock.timing();
        Ok(set)
    }
}

/// Exchange statistics of one read, per neighbouring pair.
struct PtStats {
    accepted: Vec<u64>,
    attempted: Vec<u64>,
}

/// One replica's configuration and the best state it has held.
struct Walker {
    spins: Vec<i8>,
    fields: Vec<f64>,
    energy: f64,
    best: Vec<i8>,
    best_energy: f64,
}

/// A temperature of the ladder with its random stream; walkers move between slots on exchange.
struct Slot {
    walker: Walker,
    table: AcceptTable,
    rng: Rng,
}

/// The slots of one read, allocated once per worker (fallibly) and reused by its reads.
struct Replicas {
    slots: Vec<Slot>,
}

impl Replicas {
    fn new(reps: usize, n: usize, criterion: ProposalAcceptance) -> Result<Self> {
        use crate::alloc::{filled, with_capacity};
        const WHAT: &str = "parallel-tempering replicas";
        let mut slots = with_capacity(WHAT, reps)?;
        for _ in 0..reps {
            slots.push(Slot {
                walker: Walker {
                    spins: filled(WHAT, 0, n)?,
                    fields: filled(WHAT, 0.0, n)?,
                    energy: 0.0,
                    best: filled(WHAT, 0, n)?,
                    best_energy: 0.0,
                },
                table: AcceptTable::new(criterion),
                rng: rng::stream(0, 0),
            });
        }
        Ok(Replicas { slots })
    }
}

struct PtRun<'a, 'c> {
    model: &'a SpinModel,
    plan: &'a ReadPlan,
    betas: &'a [f64],
    params: &'a ParallelTemperingParams,
    kind: SweepKind,
    seed: u64,
    control: &'a Control<'c>,
    parallel_replicas: bool,
}

impl PtRun<'_, '_> {
    fn read(&self, ws: &mut Replicas, r: usize, out: &mut [i8]) -> Option<PtStats> {
        let model = self.model;
        let n = model.num_variables();
        let reps = self.betas.len();
        let read_seed = rng::stream(self.seed, r as u64).next_u64();
        let slots = &mut ws.slots;
        for (k, slot) in slots.iter_mut().enumerate() {
            slot.rng = rng::stream(read_seed, k as u64);
            let w = &mut slot.walker;
            self.plan.fill(r, &mut slot.rng, &mut w.spins);
            model.fields(&w.spins, &mut w.fields);
            w.energy = model.spin_energy(&w.spins, &w.fields);
            w.best.copy_from_slice(&w.spins);
            w.best_energy = w.energy;
            slot.table.reset(self.betas[k]);
        }
        let mut swap_rng = rng::stream(read_seed, reps as u64);
        let mut stats = PtStats {
            accepted: vec![0; reps.saturating_sub(1)],
            attempted: vec![0; reps.saturating_sub(1)],
        };
        let total = self.params.num_sweeps;
        let interval = self.params.swap_interval;
        let check_every = (WORK_BETWEEN_CHECKS / (reps * (n + model.num_entries())).max(1)).max(1);
        let (mut done, mut round, mut since_check) = (0, 0usize, 0);
        while done < total {
            let batch = interval.min(total - done);
            // The interval's sweeps in pieces of about WORK_BETWEEN_CHECKS, with a look at
            // `control` between pieces: a long `swap_interval` cannot delay a stop. Each slot
            // sweeps the same sequence whatever the pieces, so the result does not change.
            let mut left = batch;
            while left > 0 {
                let piece = left.min(check_every - since_check);
                let run = |slot: &mut Slot| self.sweeps(slot, piece);
                if self.parallel_replicas {
                    slots.par_iter_mut().for_each(run);
                } else {
                    slots.iter_mut().for_each(run);
                }
                left -= piece;
                since_check += piece;
                if since_check == check_every {
                    since_check = 0;
                    if self.control.should_stop() {
                        return None;
                    }
                }
            }
            done += batch;
            // Exchange after every full interval of sweeps.
            if batch == interval {
                self.exchange(slots, round % 2, &mut swap_rng, &mut stats);
                round += 1;
            }
        }
        let chosen = match self.params.output {
            PtOutput::Coldest => &slots[reps - 1].walker.spins,
            PtOutput::Best => {
                let mut best = &slots[0].walker;
                for s in &slots[1..] {
                    if s.walker.best_energy < best.best_energy {
                        best = &s.walker;
                    }
                }
                &best.best
            }
        };
        out.copy_from_slice(chosen);
        Some(stats)
    }

    /// `count` sweeps of one slot, tracking its walker's best state after each sweep.
    fn sweeps(&self, slot: &mut Slot, count: usize) {
        let track = self.params.output == PtOutput::Best;
        let w = &mut slot.walker;
        with_sweep!(self.kind, |sweep| {
            for _ in 0..count {
                w.energy += sweep(
                    self.model,
                    &mut w.spins,
                    &mut w.fields,
                    &mut slot.table,
                    &mut slot.rng,
                );
                if track && w.energy < w.best_energy {
                    w.best_energy = w.energy;
                    w.best.copy_from_slice(&w.spins);
                }
            }
        });
    }

    /// One round of exchanges between pairs `(k, k + 1)` with `k ≡ parity (mod 2)`.
    fn exchange(&self, slots: &mut [Slot], parity: usize, rng: &mut Rng, stats: &mut PtStats) {
        let mut k = parity;
        while k + 1 < slots.len() {
            let (lo, hi) = slots.split_at_mut(k + 1);
            let (a, b) = (&mut lo[k], &mut hi[0]);
            let x = (self.betas[k] - self.betas[k + 1]) * (a.walker.energy - b.walker.energy);
            stats.attempted[k] += 1;
            let accept = x >= 0.0 || rng.next_u64() < probability_threshold(false, -x);
            if accept {
                std::mem::swap(&mut a.walker, &mut b.walker);
                stats.accepted[k] += 1;
            }
            k += 2;
        }
    }
}
