//! Path-integral annealing in dwave-samplers 1.8's vocabulary (`PathIntegralAnnealingSampler`):
//! a schedule of longitudinal fields `Hp_field` (the inverse temperature on the problem) and
//! transverse fields `Hd_field` (β·Γ), given directly (`beta_schedule_type="custom"`) or
//! interpolated over `beta_range` like simulated annealing. The same Suzuki–Trotter kernel as
//! [`PathIntegralAnnealing`](super::PathIntegralAnnealing) runs it: stage `k` is the step
//! `(s, β) = (Hp/(Hp+Hd), Hp+Hd)` at `Γ = 1`, so the slices see `Hp·E_p/P` and the inter-slice
//! coupling `K = −½ ln tanh(Hd/P)`. Every slice of a read starts from the read's state (a
//! classical worldline, dwave's default `project_states[0]`). With `Hd_field` all zero (dwave's
//! default) the model is classical: it runs on one slice, which is simulated annealing with the
//! inverse temperatures `Hp_field`.

// The keywords are dwave's names (`Hp_field`, `Hd_field`, `Gamma`); params! makes fields and
// setters of them.
#![allow(non_snake_case)]

use super::beta_range::beta_range_of;
use super::initial_states::{ReadParams, read_setters};
use super::path_integral::{MAX_TROTTER, PathRun, SqaSchedule, SqaStep};
use super::reads::base_info;
use super::schedule::{BetaScheduleType, check_beta_range, interpolate, invalid};
use super::spin_model::SpinModel;
use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::error::check;
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;

const NAME: &str = "path_integral_annealing";
/// dwave's default schedule length for this sampler (not simulated annealing's 1000).
pub const DWAVE_PIMC_NUM_SWEEPS: usize = 100;
/// Trotter slices when `Hd_field` has a non-zero entry and `trotter` is not given.
pub const DWAVE_PIMC_TROTTER: usize = 16;

params! {
    /// Path-integral annealing with dwave-samplers 1.8's keywords (`PathIntegralAnnealingSampler`):
    /// a schedule of longitudinal fields Hp_field (the problem's inverse temperature) and
    /// transverse fields Hd_field (beta * Gamma), run on Trotter slices that start from a
    /// classical state. With Hd_field all zero (the default) it is simulated annealing over
    /// Hp_field. Reports info beta_range and beta_schedule_type, as dwave does.
    pub struct DwavePathIntegralParams {
        /// Reads, seed and initial states (each read's slices all start from its state).
        group reads: ReadParams = ReadParams::default(),
        /// [hot, cold] of a geometric or linear Hp_field. None: the model's default_beta_range.
        keyword beta_range: Option<[f64; 2]> = None,
        /// Sweeps in all. None: 100 (dwave's default for this sampler), or with a custom
        /// schedule len(Hp_field) * num_sweeps_per_beta (a value given must equal that).
        keyword num_sweeps: Option<usize> = None,
        /// Sweeps at each schedule entry; must divide num_sweeps.
        keyword num_sweeps_per_beta: usize = 1,
        /// How Hp_field is built: interpolated over beta_range ("geometric", "linear") or given
        /// ("custom").
        keyword beta_schedule_type: BetaScheduleType = BetaScheduleType::Geometric,
        /// The longitudinal fields (inverse temperatures on the problem), >= 0; required with
        /// "custom", not allowed otherwise.
        keyword Hp_field: Option<Vec<f64>> = None,
        /// The transverse fields (beta * Gamma), >= 0, at least as long as Hp_field. None: zeros
        /// (the classical limit).
        keyword Hd_field: Option<Vec<f64>> = None,
        /// Accepted for dwave's signature; as in dwave 1.8 it has no effect (Hd_field sets the
        /// transverse field of every stage).
        keyword Gamma: f64 = 1.0,
        /// Trotter slices (1 to 4096), a neuroquant addition (dwave works in continuous time).
        /// None: 1 when Hd_field is all zero, else 16.
        keyword trotter: Option<usize> = None,
    }
}

read_setters!(DwavePathIntegralParams);
params_container!(DwavePathIntegralParams, "dwave_path_integral_params");

fn non_negative(argument: &'static str, values: &[f64]) -> Result<()> {
    for (i, &x) in values.iter().enumerate() {
        check::finite_at(argument, i, x)?;
        if x < 0.0 {
            return Err(invalid(argument, format!("element {i} is {x}, must be >= 0")));
        }
    }
    Ok(())
}

impl DwavePathIntegralParams {
    fn check(&self) -> Result<()> {
        if self.num_sweeps_per_beta == 0 {
            return Err(invalid("num_sweeps_per_beta", "is 0, must be at least 1".into()));
        }
        check::finite("Gamma", self.Gamma)?;
        if let Some(t) = self.trotter {
            if t == 0 {
                return Err(invalid("trotter", "is 0, must be at least 1".into()));
            }
            check::at_most("trotter", t as u64, MAX_TROTTER as u64)?;
        }
        if let Some(r) = self.beta_range {
            check_beta_range("beta_range", r)?;
        }
        match (self.beta_schedule_type, &self.Hp_field) {
            (BetaScheduleType::Custom, None) => {
                return Err(invalid(
                    "Hp_field",
                    "is missing: beta_schedule_type \"custom\" needs an explicit Hp_field".into(),
                ));
            }
            (BetaScheduleType::Custom, Some(hp)) => {
                if hp.is_empty() {
                    return Err(invalid(
                        "Hp_field",
                        "is empty, must hold at least one field".into(),
                    ));
                }
                non_negative("Hp_field", hp)?;
                if let Some(s) = self.num_sweeps
                    && Some(s) != hp.len().checked_mul(self.num_sweeps_per_beta)
                {
                    return Err(invalid(
                        "num_sweeps",
                        format!(
                            "is {s}, must be unset or len(Hp_field) * num_sweeps_per_beta = {} * {}",
                            hp.len(),
                            self.num_sweeps_per_beta
                        ),
                    ));
                }
                if let Some(r) = self.beta_range
                    && (r[0] != hp[0] || r[1] != hp[hp.len() - 1])
                {
                    return Err(invalid(
                        "beta_range",
                        "must be unset or equal the first and last entries of Hp_field".into(),
                    ));
                }
            }
            (kind, Some(_)) => {
                return Err(invalid(
                    "Hp_field",
                    format!(
                        "is only allowed with beta_schedule_type \"custom\", not {:?}",
                        kind.name()
                    ),
                ));
            }
            (_, None) => {
                let sweeps = self.num_sweeps.unwrap_or(DWAVE_PIMC_NUM_SWEEPS);
                if !sweeps.is_multiple_of(self.num_sweeps_per_beta) {
                    return Err(invalid(
                        "num_sweeps",
                        format!(
                            "is {sweeps}, must be a multiple of num_sweeps_per_beta = {}",
                            self.num_sweeps_per_beta
                        ),
                    ));
                }
            }
        }
        if let Some(hd) = &self.Hd_field {
            non_negative("Hd_field", hd)?;
        }
        Ok(())
    }

    /// The longitudinal fields for `model` and the range reported as `info["beta_range"]`:
    /// with a custom `Hp_field`, the `beta_range` given (None when none was, as dwave reports).
    fn hp_field(&self, model: &SpinModel) -> Result<(Vec<f64>, Option<[f64; 2]>)> {
        if let Some(hp) = &self.Hp_field {
            return Ok((hp.clone(), self.beta_range));
        }
        let range = match self.beta_range {
            Some(r) => r,
            None => beta_range_of(model, NAME)?,
        };
        let num = self.num_sweeps.unwrap_or(DWAVE_PIMC_NUM_SWEEPS) / self.num_sweeps_per_beta;
        let betas = if num == 0 {
            Vec::new()
        } else {
            let b = interpolate(self.beta_schedule_type, range, num)?;
            (0..b.len()).map(|k| b.get(k)).collect()
        };
        Ok((betas, Some(range)))
    }
}

/// Path-integral annealing with dwave-samplers 1.8's keywords and `info`; see
/// [`DwavePathIntegralParams`] and the module docs.
///
/// ```
/// use neuroquant::anneal::{DwavePathIntegralAnnealing, DwavePathIntegralParams, Sampler};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
/// bqm.add_quadratic_from(&[0, 1], &[1, 2], &[-1.0, -1.0])?;
/// bqm.add_linear(0, -0.5)?;
/// let pimc = DwavePathIntegralAnnealing::new(DwavePathIntegralParams::default().num_reads(4).seed(1))?;
/// let set = pimc.sample(&bqm)?;
/// assert_eq!(set.first().unwrap().1, -2.5);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DwavePathIntegralAnnealing {
    params: DwavePathIntegralParams,
}

impl DwavePathIntegralAnnealing {
    /// A sampler with validated `params`.
    pub fn new(params: DwavePathIntegralParams) -> Result<Self> {
        params.validate()?;
        Ok(DwavePathIntegralAnnealing { params })
    }

    /// The parameters.
    pub fn params(&self) -> &DwavePathIntegralParams {
        &self.params
    }
}

impl Sampler for DwavePathIntegralAnnealing {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        DwavePathIntegralParams::keywords()
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({"beta_schedule_options": ["linear", "geometric", "custom"]})
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let (hp, range) = if model.num_variables() == 0 && p.beta_range.is_none() && p.Hp_field.is_none() {
            // Nothing to anneal: no default range to compute.
            (Vec::new(), Some([0.0, 0.0]))
        } else {
            self.params.hp_field(&model)?
        };
        let hd = p.Hd_field.as_deref().unwrap_or(&[]);
        if !hd.is_empty() && hd.len() < hp.len() {
            return Err(invalid(
                "Hd_field",
                format!(
                    "has {} entries, must have at least len(Hp_field) = {}",
                    hd.len(),
                    hp.len()
                ),
            ));
        }
        let quantum = hd.iter().take(hp.len()).any(|&x| x > 0.0);
        let trotter = p.trotter.unwrap_or(if quantum { DWAVE_PIMC_TROTTER } else { 1 });
        let steps: Vec<SqaStep> = hp
            .iter()
            .enumerate()
            .map(|(k, &a)| {
                let d = hd.get(k).copied().unwrap_or(0.0);
                let beta = a + d;
                SqaStep {
                    s: if beta > 0.0 { a / beta } else { 1.0 },
                    beta,
                    sweeps: p.num_sweeps_per_beta,
                }
            })
            .collect();
        let schedule = SqaSchedule::Custom(steps);
        let run = PathRun {
            reads: &p.reads,
            gamma: 1.0,
            trotter,
            schedule: &schedule,
            all_slices: false,
            slice_vector: false,
            classical_start: true,
        };
        let (mut set, seed, interrupted, timing) = run.run(bqm, control)?;
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), interrupted);
        info.beta_range = range;
        info.beta_schedule_type = Some(p.beta_schedule_type.name().to_owned());
        info.extra.insert("trotter".into(), serde_json::json!(trotter));
        info.timing = timing;
        Ok(set)
    }
}
