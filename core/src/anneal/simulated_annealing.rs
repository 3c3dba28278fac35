//! Simulated annealing with dwave-samplers' semantics (`SimulatedAnnealingSampler`): the same
//! keyword names, defaults, schedules, default beta range and acceptance rules, with reads run in
//! parallel and a kernel on CSR arrays.

use super::acceptance::{AcceptTable, ProposalAcceptance};
use super::beta_range::beta_range_of;
use super::initial_states::{InitialStates, InitialStatesGenerator, ReadPlan};
use super::reads::{WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::schedule::{BetaScheduleType, Betas, check_beta_range, check_custom, interpolate, invalid};
use super::spin_model::SpinModel;
use super::sweep::{SweepKind, with_sweep};
use super::{Control, ParameterInfo, SampleSet, Sampler};
use crate::Result;
use crate::qubo::Bqm;
use crate::rng::{self, Rng};

const NAME: &str = "simulated_annealing";
/// Sweeps when neither `num_sweeps` nor a custom schedule is given (dwave's default).
pub const DEFAULT_NUM_SWEEPS: usize = 1000;

/// Parameters of [`SimulatedAnnealing`], named as in dwave-samplers'
/// `SimulatedAnnealingSampler.sample`. `None` means "dwave's default".
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedAnnealingParams {
    /// Reads (independent anneals). Default: the number of initial states, else 1.
    pub num_reads: Option<usize>,
    /// Sweeps per read. Default 1000; with a custom schedule, `None` or
    /// `beta_schedule.len() * num_sweeps_per_beta`.
    pub num_sweeps: Option<usize>,
    /// Sweeps at each inverse temperature (default 1); must divide `num_sweeps`.
    pub num_sweeps_per_beta: usize,
    /// `[hot, cold]` inverse temperatures. Default: [`default_beta_range`](super::default_beta_range).
    pub beta_range: Option<[f64; 2]>,
    /// Spacing of the schedule (default geometric).
    pub beta_schedule_type: BetaScheduleType,
    /// The explicit schedule, required for (and only allowed with) `BetaScheduleType::Custom`.
    pub beta_schedule: Option<Vec<f64>>,
    /// Seed; `None` draws one (reported in `info.seed`).
    pub seed: Option<u64>,
    /// Starting states, in the model's vartype.
    pub initial_states: Option<InitialStates>,
    /// How missing initial states are generated (default random).
    pub initial_states_generator: InitialStatesGenerator,
    /// Pick a uniformly random spin per update instead of sweeping in index order (default false).
    pub randomize_order: bool,
    /// Metropolis (default) or Gibbs acceptance.
    pub proposal_acceptance_criteria: ProposalAcceptance,
}

impl Default for SimulatedAnnealingParams {
    fn default() -> Self {
        SimulatedAnnealingParams {
            num_reads: None,
            num_sweeps: None,
            num_sweeps_per_beta: 1,
            beta_range: None,
            beta_schedule_type: BetaScheduleType::Geometric,
            beta_schedule: None,
            seed: None,
            initial_states: None,
            initial_states_generator: InitialStatesGenerator::Random,
            randomize_order: false,
            proposal_acceptance_criteria: ProposalAcceptance::Metropolis,
        }
    }
}

impl SimulatedAnnealingParams {
    /// Checks every rule that does not depend on the model (those that do, such as the width of
    /// the initial states, are checked when sampling).
    pub fn validate(&self) -> Result<()> {
        if self.num_reads == Some(0) {
            return Err(invalid("num_reads", "is 0, must be at least 1".into()));
        }
        if self.num_sweeps_per_beta == 0 {
            return Err(invalid("num_sweeps_per_beta", "is 0, must be at least 1".into()));
        }
        if let Some(r) = self.beta_range {
            check_beta_range("beta_range", r)?;
        }
        match (self.beta_schedule_type, &self.beta_schedule) {
            (BetaScheduleType::Custom, None) => Err(invalid(
                "beta_schedule",
                "is missing: beta_schedule_type \"custom\" needs an explicit schedule".into(),
            )),
            (BetaScheduleType::Custom, Some(betas)) => {
                check_custom("beta_schedule", betas)?;
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
                if let Some(r) = self.beta_range
                    && (r[0] != betas[0] || r[1] != betas[betas.len() - 1])
                {
                    return Err(invalid(
                        "beta_range",
                        "must be unset or equal the first and last entries of beta_schedule".into(),
                    ));
                }
                Ok(())
            }
            (_, Some(_)) => Err(invalid(
                "beta_schedule",
                format!(
                    "is only allowed with beta_schedule_type \"custom\", not {:?}",
                    self.beta_schedule_type.name()
                ),
            )),
            (kind, None) => {
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
                if let Some(r) = self.beta_range
                    && kind == BetaScheduleType::Geometric
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
        if let Some(b) = &self.beta_schedule {
            return Ok((Betas::Custom(b.clone()), [b[0], b[b.len() - 1]]));
        }
        let range = match self.beta_range {
            Some(r) => r,
            None => beta_range_of(model, NAME)?,
        };
        let num = self.num_sweeps.unwrap_or(DEFAULT_NUM_SWEEPS) / self.num_sweeps_per_beta;
        if num == 0 {
            return Ok((Betas::Custom(Vec::new()), range));
        }
        Ok((interpolate(self.beta_schedule_type, range, num)?, range))
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
/// let sa = SimulatedAnnealing::new(SimulatedAnnealingParams {
///     num_reads: Some(10),
///     seed: Some(1),
///     ..Default::default()
/// })?;
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

    fn parameters(&self) -> &'static [ParameterInfo] {
        super::parameters::SA_PARAMETERS
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({"beta_schedule_options": ["linear", "geometric", "custom"]})
    }

    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = super::reads::Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(
            bqm,
            p.num_reads,
            p.initial_states.as_ref(),
            p.initial_states_generator,
        )?;
        let (betas, range) = p.betas(&model)?;
        let seed = rng::resolve_seed(p.seed);
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
        info.beta_schedule_type = Some(p.beta_schedule_type.name().to_owned());
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
