//! Simulated annealing with dwave-samplers' semantics (`SimulatedAnnealingSampler`): the same
//! keyword names, defaults, schedules, default beta range and acceptance rules, with reads run in
//! parallel and a kernel on CSR arrays.

use super::acceptance::{AcceptTable, ProposalAcceptance};
use super::beta_range::beta_range_of;
use super::initial_states::{ReadParams, ReadPlan, read_setters};
use super::reads::{WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::schedule::{BetaSchedule, BetaScheduleType, Betas, interpolate, invalid};
use super::spin_model::SpinModel;
use super::sweep::{SweepKind, with_sweep};
use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;
use crate::rng::{self, Rng};

const NAME: &str = "simulated_annealing";
/// Sweeps when neither `num_sweeps` nor a custom schedule is given (dwave's default).
pub const DEFAULT_NUM_SWEEPS: usize = 1000;

params! {
    /// Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983) with dwave-samplers' semantics
    /// (`SimulatedAnnealingSampler`): its keywords, defaults, schedules, default beta range and
    /// acceptance rules, with reads run in parallel.
    pub struct SimulatedAnnealingParams {
        /// Reads, seed and initial states.
        group reads: ReadParams = ReadParams::default(),
        /// Sweeps per read. None: 1000 (dwave's default), or with a custom schedule
        /// len(beta_schedule) * num_sweeps_per_beta (then a value given must equal that).
        keyword num_sweeps: Option<usize> = None,
        /// Sweeps at each inverse temperature; must divide num_sweeps.
        keyword num_sweeps_per_beta: usize = 1,
        /// The inverse temperatures.
        group schedule: BetaSchedule = BetaSchedule::default(),
        /// Pick a uniformly random spin for each update instead of sweeping in index order.
        keyword randomize_order: bool = false,
        /// The rule accepting a proposed flip.
        keyword proposal_acceptance_criteria: ProposalAcceptance = ProposalAcceptance::Metropolis,
    }
}

read_setters!(SimulatedAnnealingParams);
params_container!(SimulatedAnnealingParams, "simulated_annealing_params");

impl SimulatedAnnealingParams {
    /// Checks every rule that does not depend on the model (those that do, such as the width of
    /// the initial states, are checked when sampling).
    fn check(&self) -> Result<()> {
        if self.num_sweeps_per_beta == 0 {
            return Err(invalid("num_sweeps_per_beta", "is 0, must be at least 1".into()));
        }
        match &self.schedule {
            BetaSchedule::Custom(betas) => {
                let total = betas.len().checked_mul(self.num_sweeps_per_beta);
                if let Some(s) = self.num_sweeps
                    && Some(s) != total
                {
                    return Err(invalid(
                        "num_sweeps",
                        format!(
                            "is {s}, must be unset or len(beta_schedule) * num_sweeps_per_beta = {} * {}",
                            betas.len(),
                            self.num_sweeps_per_beta
                        ),
                    ));
                }
                Ok(())
            }
            BetaSchedule::Geometric(range) | BetaSchedule::Linear(range) => {
                let sweeps = self.num_sweeps.unwrap_or(DEFAULT_NUM_SWEEPS);
                if !sweeps.is_multiple_of(self.num_sweeps_per_beta) {
                    // Blame what the caller set: the default num_sweeps is not their choice.
                    return Err(match self.num_sweeps {
                        Some(_) => invalid(
                            "num_sweeps",
                            format!(
                                "is {sweeps}, must be a multiple of num_sweeps_per_beta = {}",
                                self.num_sweeps_per_beta
                            ),
                        ),
                        None => invalid(
                            "num_sweeps_per_beta",
                            format!(
                                "is {}, must divide num_sweeps, which was not given and defaults to {sweeps}: set num_sweeps too",
                                self.num_sweeps_per_beta
                            ),
                        ),
                    });
                }
                if let Some(r) = range
                    && matches!(self.schedule, BetaSchedule::Geometric(_))
                    && sweeps / self.num_sweeps_per_beta > 1
                    && r[0] <= 0.0
                {
                    return Err(invalid(
                        "beta_range",
                        format!("[{}, {}] must be positive for a geometric schedule", r[0], r[1]),
                    ));
                }
                Ok(())
            }
        }
    }

    /// The schedule for `model` and the `[first, last]` range reported in `info`.
    pub(crate) fn betas(&self, model: &SpinModel) -> Result<(Betas, [f64; 2])> {
        let (kind, range) = match &self.schedule {
            BetaSchedule::Custom(b) => return Ok((Betas::Custom(b.clone()), [b[0], b[b.len() - 1]])),
            BetaSchedule::Geometric(r) => (BetaScheduleType::Geometric, *r),
            BetaSchedule::Linear(r) => (BetaScheduleType::Linear, *r),
        };
        let range = match range {
            Some(r) => r,
            None => beta_range_of(model, NAME)?,
        };
        let num = self.num_sweeps.unwrap_or(DEFAULT_NUM_SWEEPS) / self.num_sweeps_per_beta;
        if num == 0 {
            return Ok((Betas::Custom(Vec::new()), range));
        }
        Ok((interpolate(kind, range, num)?, range))
    }
}

/// Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983) on the SPIN form of a model, with
/// dwave-samplers' semantics; see [`SimulatedAnnealingParams`].
///
/// Reads run in parallel; read `r` draws from `rng::stream(seed, r)` only, so a seed fixes the
/// result whatever the thread count, and distinct reads differ.
///
/// ```
/// use neuroquant::anneal::{Sampler, SimulatedAnnealing, SimulatedAnnealingParams};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
/// bqm.add_quadratic_from(&[0, 1, 0], &[1, 2, 2], &[1.0, 1.0, 1.0])?;
/// let sa = SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_reads(10).seed(1))?;
/// let set = sa.sample(&bqm)?;
/// assert_eq!(set.first().unwrap().1, -1.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimulatedAnnealing {
    params: SimulatedAnnealingParams,
}

impl SimulatedAnnealing {
    /// A sampler with validated `params`.
    pub fn new(params: SimulatedAnnealingParams) -> Result<Self> {
        params.validate()?;
        Ok(SimulatedAnnealing { params })
    }

    /// The parameters.
    pub fn params(&self) -> &SimulatedAnnealingParams {
        &self.params
    }
}

impl Sampler for SimulatedAnnealing {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        SimulatedAnnealingParams::keywords()
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({"beta_schedule_options": ["linear", "geometric", "custom"]})
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = super::reads::Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(bqm, &p.reads)?;
        let (betas, range) = p.betas(&model)?;
        let seed = rng::resolve_seed(p.reads.seed);
        let n = model.num_variables();
        let kind = SweepKind::new(
            p.randomize_order,
            p.proposal_acceptance_criteria == ProposalAcceptance::Gibbs,
        );
        let check_every = (WORK_BETWEEN_CHECKS / (n + model.num_entries()).max(1)).max(1);
        clock.sampling();
        let done = run_reads(
            NAME,
            plan.num_reads,
            n,
            control,
            || {
                Ok((
                    crate::alloc::filled("fields", 0.0, n)?,
                    AcceptTable::new(p.proposal_acceptance_criteria),
                ))
            },
            |(fields, table), r, spins| {
                let mut rng = rng::stream(seed, r as u64);
                plan.fill(r, &mut rng, spins);
                let anneal = Anneal {
                    model: &model,
                    betas: &betas,
                    sweeps_per_beta: p.num_sweeps_per_beta,
                    check_every,
                    control,
                };
                anneal.run(kind, spins, fields, table, &mut rng)
            },
        )?;
        clock.postprocessing();
        let rows = done.extras.len();
        let mut set = sample_set(bqm, done.spins, rows)?;
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), done.interrupted);
        info.beta_range = Some(range);
        info.beta_schedule_type = Some(p.schedule.schedule_type().name().to_owned());
        info.timing = clock.timing();
        Ok(set)
    }
}

/// One read's anneal over the whole schedule.
struct Anneal<'a, 'c> {
    model: &'a SpinModel,
    betas: &'a Betas,
    sweeps_per_beta: usize,
    check_every: usize,
    control: &'a Control<'c>,
}

impl Anneal<'_, '_> {
    /// Anneals `spins` in place; `None` if a stop was seen.
    fn run(
        &self,
        kind: SweepKind,
        spins: &mut [i8],
        fields: &mut [f64],
        table: &mut AcceptTable,
        rng: &mut Rng,
    ) -> Option<()> {
        self.model.fields(spins, fields);
        let mut since_check = 0;
        with_sweep!(kind, |sweep| {
            for k in 0..self.betas.len() {
                table.set_beta(self.betas.get(k));
                for _ in 0..self.sweeps_per_beta {
                    sweep(self.model, spins, fields, table, rng);
                    since_check += 1;
                    if since_check == self.check_every {
                        since_check = 0;
                        if self.control.should_stop() {
                            return None;
                        }
                    }
                }
            }
        });
        Some(())
    }
}
