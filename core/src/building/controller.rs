//! The flagship pipeline (SPEC §9): forecast each zone's heating load with a reservoir, plan the
//! next hours as an HVAC QUBO, solve it with a [`Sampler`], apply the first hour, repeat — and
//! score the closed loop against the thermostat on the same simulated building.
//!
//! Model predictive control, one plan per slot (one hour): at the start of slot `h` the
//! controller reads the zone temperatures `T_z`, forecasts the loads `L_{z,t}` (kWh) of slots
//! `h … h + H − 1`, and builds [`hvac`] with, per zone, the unit's power `P_z`, the heat one slot
//! on delivers `q_z = η_z P_z · 1 h`, the imbalance it starts with `e_z = C_z (T_z − T_set)`
//! (kWh: the temperature error times the thermal capacity), the demand
//! `d_{z,t} = L_{z,t} + C_z ΔT_set` (the load plus the heat a setpoint rise needs; a setpoint
//! drop is credited against the following slots' demand, never below zero), comfort weight
//! `w / C_z²` (so the comfort cost is `w` per °C² of deviation per slot), the slot prices of the
//! tariff, the building's peak limit and the minimum run time (with each unit's current run).
//! The lowest-energy sample is decoded and the first slot's decisions are applied for the slot's
//! steps.

use super::evaluate::shed_to_peak_limit;
use super::forecast::{ForecastInput, LoadForecaster, Slots, persistence};
use super::{Building, BuildingParams, Outcome, Policy, Thermostat, simulate};
use crate::Result;
use crate::anneal::{
    ExactMode, ExactParams, ExactSolver, Sampler, SimulatedAnnealing, SimulatedAnnealingParams, Tabu,
    TabuParams,
};
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::{named_enum, params};
use crate::qubo::generators::{HvacInput, HvacSolution, PeakEncoding, hvac};
use crate::reservoir::{Norm, nrmse};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::sync::Arc;

named_enum! {
    /// How the planning QUBO's penalty strengths are chosen.
    pub enum StrengthChoice("strength") {
        /// The generator's proven defaults: every minimiser is feasible, but the penalties dwarf
        /// the costs and an annealer struggles on the slack-encoded peak limits.
        Proven = "proven",
        /// 1.25 × the largest change one decision can make to cost and comfort: a violation
        /// that one switch-off removes never pays; the safety layer trims what remains.
        Marginal = "marginal",
    }
}

named_enum! {
    /// The local sampler of the plans. Measured on the pipeline's plans (48 variables, seeds
    /// 1–5): tabu with 8 reads of 10 restarts reached the best energy a 400 ms tabu run found on
    /// every plan, in about 25 ms; simulated annealing with 32 reads of 1000 sweeps missed it on
    /// most plans by 2–50 % (the minimum-run start variables need two flips to change a run).
    pub enum PlanSampler("sampler") {
        /// dwave-samplers' tabu search, bounded by restarts (deterministic for a seed).
        Tabu = "tabu",
        /// Simulated annealing.
        SimulatedAnnealing = "simulated_annealing",
    }
}

named_enum! {
    /// Whether the plans go to D-Wave first.
    pub enum DWaveChoice("dwave") {
        /// When the library has the `dwave` feature (the wheel and the C library do) and a
        /// D-Wave token is configured by any of Ocean's sources (`DWAVE_API_TOKEN`, a dwave.conf
        /// profile …): each plan goes to a Leap hybrid solver through
        /// [`FallbackSampler`](crate::anneal::FallbackSampler), and to the local sampler when the
        /// solver fails or its circuit breaker is open. Otherwise the local sampler.
        Auto = "auto",
        /// The local sampler only.
        Off = "off",
    }
}

named_enum! {
    /// Which load forecast the controller plans with.
    pub enum ForecastChoice("forecast") {
        /// The reservoir input (raw or spikes) with the smaller cross-validation error.
        Auto = "auto",
        /// The reservoir on the raw sensor values.
        Raw = "raw",
        /// The reservoir on the spike-encoded sensor values.
        Spikes = "spikes",
        /// The persistence forecast (the last hour repeated).
        Persistence = "persistence",
    }
}

params! {
    /// The flagship pipeline: a simulated building, a reservoir load forecast trained on its
    /// first days, and hourly QUBO planning over the remaining days, against the thermostat.
    pub struct PipelineParams {
        /// The simulated building (its seed is the pipeline's seed).
        group building: BuildingParams = BuildingParams::default().days(10usize),
        /// Days the forecaster trains on; the closed loop runs over the days after them.
        keyword train_days: usize = 7,
        /// Planning horizon (one-hour slots).
        keyword horizon_slots: usize = 8,
        /// Reservoir units of each forecaster.
        keyword units: usize = 200,
        /// The forecast the controller plans with.
        keyword forecast: ForecastChoice = ForecastChoice::Auto,
        /// Comfort weight: currency per °C² of deviation from the plan's target per slot (>= 0).
        keyword comfort_weight: f64 = 1.0,
        /// The plan's target is the setpoint plus this margin (°C, >= 0): the comfort band
        /// reaches 1 °C below the setpoint, and the margin keeps forecast errors and the
        /// temperature's drift within an hour-long slot inside it.
        keyword comfort_margin_c: f64 = 1.0,
        /// Minimum run time of a heat pump (slots).
        keyword min_run_slots: usize = 2,
        /// The local sampler that solves each plan.
        keyword sampler: PlanSampler = PlanSampler::Tabu,
        /// Whether a configured D-Wave token sends the plans to a Leap hybrid solver first.
        keyword dwave: DWaveChoice = DWaveChoice::Auto,
        /// Reads per plan.
        keyword num_reads: usize = 8,
        /// Tabu: restarts per read (each a search of 20 000 candidate evaluations).
        keyword num_restarts: u64 = 10,
        /// Simulated annealing: sweeps per read.
        keyword num_sweeps: usize = 1000,
        /// Thermostat hysteresis of the baseline (°C, >= 0).
        keyword hysteresis_c: f64 = 0.5,
        /// How the planning QUBO's penalty strengths are chosen.
        keyword strength: StrengthChoice = StrengthChoice::Marginal,
    }
}

impl PipelineParams {
    fn check(&self) -> Result<()> {
        for (argument, v) in [
            ("comfort_weight", self.comfort_weight),
            ("comfort_margin_c", self.comfort_margin_c),
        ] {
            check::finite(argument, v)?;
            if v < 0.0 {
                return Err(ArgumentError::Invalid {
                    argument,
                    reason: format!("is {v}, must be >= 0"),
                }
                .into());
            }
        }
        for (argument, v) in [
            ("train_days", self.train_days),
            ("horizon_slots", self.horizon_slots),
            ("units", self.units),
            ("num_reads", self.num_reads),
            ("num_sweeps", self.num_sweeps),
        ] {
            if v == 0 {
                return Err(ArgumentError::Invalid {
                    argument,
                    reason: "is 0, must be at least 1".into(),
                }
                .into());
            }
        }
        if self.train_days >= self.building.days {
            return Err(ArgumentError::Invalid {
                argument: "train_days",
                reason: format!(
                    "is {}, must be less than the building's {} days (the closed loop runs after them)",
                    self.train_days, self.building.days
                ),
            }
            .into());
        }
        Ok(())
    }
}

/// The scores of one closed-loop run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunScore {
    /// Energy cost over the evaluation days.
    pub energy_cost: f64,
    /// Electrical energy (kWh).
    pub energy_kwh: f64,
    /// Zone-steps outside the comfort band.
    pub comfort_violations: usize,
    /// Distance to the comfort band integrated over time (°C·h).
    pub comfort_degree_hours: f64,
    /// Steps over the peak limit.
    pub peak_violations: usize,
}

impl From<&Outcome> for RunScore {
    fn from(o: &Outcome) -> Self {
        RunScore {
            energy_cost: o.energy_cost,
            energy_kwh: o.energy_kwh,
            comfort_violations: o.comfort_violations,
            comfort_degree_hours: o.comfort_degree_hours,
            peak_violations: o.peak_violations,
        }
    }
}

/// What the pipeline measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The building's seed.
    pub seed: u64,
    /// The forecast the controller used: `"raw"`, `"spikes"` or `"persistence"`.
    pub forecast_input: &'static str,
    /// NRMSE (by the standard deviation of the truth) per zone of the chosen forecast over the
    /// evaluation days, every lead time of the horizon pooled.
    pub forecast_nrmse: Vec<f64>,
    /// The same for the reservoir on raw values and on spikes, and for persistence.
    pub raw_nrmse: Vec<f64>,
    /// See `raw_nrmse`.
    pub spikes_nrmse: Vec<f64>,
    /// See `raw_nrmse`.
    pub persistence_nrmse: Vec<f64>,
    /// Cross-validation error (standardised units) of the raw and spike forecasters.
    pub cv_error: [f64; 2],
    /// The controller's closed loop.
    pub schedule: RunScore,
    /// The thermostat's closed loop (blind to the peak limit, as the baseline is defined).
    pub thermostat: RunScore,
    /// The thermostat with load shedding to the peak limit ([`Thermostat::peak_limited`]).
    pub thermostat_peak_limited: RunScore,
    /// Plans made, plans whose decoded schedule broke a constraint, short runs applied.
    pub plans: usize,
    /// Plans whose chosen sample broke a peak or minimum-run constraint.
    pub infeasible_plans: usize,
    /// Plans whose first slot the safety layer trimmed to the peak limit.
    pub repaired_plans: usize,
    /// The sampler that answered the plans (the last plan's `info.sampler`).
    pub solver: String,
    /// Plans answered per sampler name (`info.sampler`: a Leap hybrid solver answers as
    /// `"leap_hybrid"`, its local fallback by its own name).
    pub answered_by: BTreeMap<String, usize>,
    /// Which samplers the plans were offered to, and why (see [`pipeline_sampler`]).
    pub sampler_note: String,
    /// On the first plan reduced to two zones and four slots, the annealer's best energy equals
    /// the exact solver's ground-state energy.
    pub exact_match: bool,
    /// Variables of that reduced model.
    pub exact_variables: usize,
    /// Zone temperatures of the controller's run (°C, `Z × steps`) and the unit states.
    pub temps_c: Vec<f64>,
    /// The controller's unit states, `Z × steps`.
    pub on: Vec<u8>,
    /// The thermostat's zone temperatures (°C, `Z × steps`).
    pub thermostat_temps_c: Vec<f64>,
    /// The chosen forecast and the truth of the first lead slot at every evaluation slot,
    /// `Z × slots` each (kWh).
    pub forecast_first: Vec<f64>,
    /// See `forecast_first`.
    pub truth_first: Vec<f64>,
    /// The energies of every sample of the first plan.
    pub first_plan_energies: Vec<f64>,
    /// Wall time of the whole pipeline (s).
    pub elapsed_s: f64,
}

impl Report {
    /// The report as one JSON object: `seed`, `forecast` (`nrmse`, `persistence_nrmse`, and the
    /// per-input details), `schedule`, `thermostat` and `thermostat_peak_limited` (`energy_cost`, `comfort_violations`,
    /// `peak_violations`, and more), `solver`, `exact_match`, `elapsed_s`.
    pub fn to_json(&self) -> Json {
        let score = |s: &RunScore| {
            json!({
                "energy_cost": s.energy_cost,
                "energy_kwh": s.energy_kwh,
                "comfort_violations": s.comfort_violations,
                "comfort_degree_hours": s.comfort_degree_hours,
                "peak_violations": s.peak_violations,
            })
        };
        json!({
            "seed": self.seed,
            "forecast": {
                "input": self.forecast_input,
                "nrmse": self.forecast_nrmse,
                "persistence_nrmse": self.persistence_nrmse,
                "raw_nrmse": self.raw_nrmse,
                "spikes_nrmse": self.spikes_nrmse,
                "cv_error": {"raw": self.cv_error[0], "spikes": self.cv_error[1]},
            },
            "schedule": score(&self.schedule),
            "thermostat": score(&self.thermostat),
            "thermostat_peak_limited": score(&self.thermostat_peak_limited),
            "plans": self.plans,
            "infeasible_plans": self.infeasible_plans,
            "repaired_plans": self.repaired_plans,
            "solver": self.solver,
            "answered_by": self.answered_by,
            "sampler_note": self.sampler_note,
            "exact_match": self.exact_match,
            "exact_variables": self.exact_variables,
            "elapsed_s": self.elapsed_s,
        })
    }
}

/// Candidate evaluations of each tabu search of the plans.
const TABU_EVALUATIONS: u64 = 20_000;

/// The default sampler of the pipeline, seeded: `params.sampler` with `num_reads` reads of
/// `num_restarts` tabu restarts or `num_sweeps` annealing sweeps.
pub fn default_sampler(params: &PipelineParams, seed: u64) -> Result<Arc<dyn Sampler>> {
    Ok(match params.sampler {
        PlanSampler::Tabu => Arc::new(Tabu::new(
            TabuParams::default()
                .num_reads(params.num_reads)
                .seed(seed)
                .timeout(None)
                .num_restarts(params.num_restarts)
                .lower_bound_z(TABU_EVALUATIONS)
                .coefficient_z_first(Some(0u64)),
        )?),
        PlanSampler::SimulatedAnnealing => Arc::new(SimulatedAnnealing::new(
            SimulatedAnnealingParams::default()
                .num_reads(params.num_reads)
                .seed(seed)
                .num_sweeps(params.num_sweeps),
        )?),
    })
}

/// The sampler of the plans when the caller gives none, and a note saying which and why: the
/// local sampler ([`default_sampler`]), or with `dwave = "auto"`, the `dwave` feature and a
/// configured token, `FallbackSampler(Leap hybrid → local)`.
pub fn pipeline_sampler(params: &PipelineParams, seed: u64) -> Result<(Arc<dyn Sampler>, String)> {
    let local = default_sampler(params, seed)?;
    if params.dwave == DWaveChoice::Off {
        let note = format!("{} (dwave=\"off\")", local.name());
        return Ok((local, note));
    }
    #[cfg(feature = "dwave")]
    {
        dwave_first(&crate::dwave::DWaveConfig::default(), local)
    }
    #[cfg(not(feature = "dwave"))]
    {
        let note = format!("{} (built without the `dwave` feature)", local.name());
        Ok((local, note))
    }
}

/// `FallbackSampler(Leap hybrid → local)` when `config` resolves to a token and a hybrid BQM
/// solver answers the solver query; otherwise `local`. The note names the samplers, or why D-Wave
/// is not used. A configuration that cannot be read (a bad dwave.conf) is an error.
#[cfg(feature = "dwave")]
pub fn dwave_first(
    config: &crate::dwave::DWaveConfig,
    local: Arc<dyn Sampler>,
) -> Result<(Arc<dyn Sampler>, String)> {
    use crate::anneal::FallbackSampler;
    use crate::dwave::{HybridParams, LeapHybridSampler};
    if config.resolve()?.token.is_none() {
        let note = format!("{} (no D-Wave token configured)", local.name());
        return Ok((local, note));
    }
    match LeapHybridSampler::new(config, HybridParams::default()) {
        Ok(hybrid) => {
            let note = format!(
                "D-Wave {} first, {} as fallback",
                hybrid.solver().name(),
                local.name()
            );
            Ok((Arc::new(FallbackSampler::new(hybrid, local, None)), note))
        }
        Err(e) => {
            let note = format!("{} (D-Wave not reachable: {e})", local.name());
            Ok((local, note))
        }
    }
}

/// The controller: plans every slot, applies the first slot's decisions.
struct Mpc<'a> {
    params: &'a PipelineParams,
    sampler: &'a dyn Sampler,
    control: &'a Control<'a>,
    forecaster: Forecast,
    decisions: Vec<bool>,
    /// Consecutive slots each unit has been on.
    runs: Vec<usize>,
    plans: usize,
    infeasible_plans: usize,
    repaired_plans: usize,
    solver: String,
    answered_by: BTreeMap<String, usize>,
    first_plan: Option<(HvacInput, Vec<f64>)>,
    forecast_first: Vec<Vec<f64>>,
}

/// The forecast the controller plans with.
enum Forecast {
    Reservoir(Box<LoadForecaster>),
    Persistence(Slots),
}

impl Forecast {
    fn observe(&mut self, b: &Building, h: usize, horizon: usize) -> Result<Vec<f64>> {
        match self {
            Forecast::Reservoir(f) => f.observe(b, h),
            Forecast::Persistence(s) => Ok(persistence(|z, k| s.load(z, k), b.zones().len(), horizon, h)),
        }
    }
}

impl Mpc<'_> {
    /// The planning problem at slot `h` from the temperatures `temps` (step `k`).
    fn problem(&self, b: &Building, h: usize, k: usize, temps: &[f64], loads: &[f64]) -> HvacInput {
        let p = self.params;
        let (nz, nt, sps) = (b.zones().len(), b.num_steps(), b.params().steps_per_hour);
        let horizon = p.horizon_slots.min(nt / sps - h);
        let s = b.series();
        let setpoint = |z: usize, k: usize| s.setpoint_c[z * nt + k.min(nt - 1)];
        let mut demand = Vec::with_capacity(nz * horizon);
        let mut initial = Vec::with_capacity(nz);
        for (z, zone) in b.zones().iter().enumerate() {
            let c = zone.capacitance_kwh_per_c;
            initial.push(c * (temps[z] - setpoint(z, k) - p.comfort_margin_c));
            for t in 0..horizon {
                let (k0, k1) = (k + t * sps, k + (t + 1) * sps);
                demand.push(loads[z * p.horizon_slots + t] + c * (setpoint(z, k1) - setpoint(z, k0)));
            }
        }
        let price: Vec<f64> = (0..horizon)
            .map(|t| {
                let w = &s.price_per_kwh[k + t * sps..(k + (t + 1) * sps).min(nt)];
                w.iter().sum::<f64>() / w.len() as f64
            })
            .collect();
        HvacInput {
            rated_power_kw: b.zones().iter().map(|z| z.rated_power_kw).collect(),
            delivered_kwh: b.zones().iter().map(|z| z.heat_kw()).collect(),
            comfort_weight: b
                .zones()
                .iter()
                .map(|z| p.comfort_weight / (z.capacitance_kwh_per_c * z.capacitance_kwh_per_c))
                .collect(),
            initial_imbalance_kwh: initial,
            demand_kwh: demand,
            peak_limit_kw: vec![b.peak_limit_kw(); horizon],
            peak_encoding: PeakEncoding::Subsets,
            price_per_kwh: price,
            slot_hours: 1.0,
            power_resolution_kw: Some(0.5),
            min_run_slots: p.min_run_slots,
            initial_run_slots: self.runs.clone(),
            ..Default::default()
        }
    }

    fn plan(&mut self, b: &Building, h: usize, k: usize, temps: &[f64]) -> Result<()> {
        let loads = self.forecaster.observe(b, h, self.params.horizon_slots)?;
        self.forecast_first.push(
            (0..b.zones().len())
                .map(|z| loads[z * self.params.horizon_slots])
                .collect(),
        );
        let mut input = self.problem(b, h, k, temps, &loads);
        if self.params.strength == StrengthChoice::Marginal {
            let g = input.comfort_gradient_bound()?;
            let price = input.price_per_kwh.iter().copied().fold(0.0, f64::max);
            let power = input.rated_power_kw.iter().copied().fold(0.0, f64::max);
            let marginal = 1.25 * (g + price * power * input.slot_hours);
            input.peak_strength = Some(marginal.max(1e-9));
            input.min_run_strength = Some(marginal.max(1e-9));
        }
        let model = hvac(input.clone())?;
        let set = self.sampler.sample_with(model.bqm(), self.control)?;
        let (best, _, _) = set.first().ok_or_else(|| ArgumentError::Invalid {
            argument: "sampler",
            reason: "returned no samples".into(),
        })?;
        let solution: HvacSolution = model.decode(best)?;
        self.plans += 1;
        self.infeasible_plans += usize::from(!solution.feasible);
        self.solver = set.info().sampler.clone();
        *self.answered_by.entry(self.solver.clone()).or_default() += 1;
        let slots = model.num_slots();
        for (z, d) in self.decisions.iter_mut().enumerate() {
            *d = solution.schedule[z * slots] == 1;
        }
        // Safety layer: never apply a slot over the peak limit; switch off the warmest zones
        // (largest temperature surplus over the setpoint) until the slot fits.
        let before = self.decisions.clone();
        shed_to_peak_limit(b, k, temps, &mut self.decisions);
        self.repaired_plans += usize::from(before != self.decisions);
        for (z, &d) in self.decisions.iter().enumerate() {
            self.runs[z] = if d { self.runs[z] + 1 } else { 0 };
        }
        if self.first_plan.is_none() {
            self.first_plan = Some((input, set.energies().to_vec()));
        }
        Ok(())
    }
}

impl Policy for Mpc<'_> {
    fn decide(&mut self, b: &Building, k: usize, temps: &[f64], on: &mut [bool]) -> Result<()> {
        let sps = b.params().steps_per_hour;
        if k.is_multiple_of(sps) {
            self.plan(b, k / sps, k, temps)?;
        }
        on.copy_from_slice(&self.decisions);
        Ok(())
    }
}

/// Per-zone NRMSE (by the standard deviation of the truth, [`nrmse`]) of forecasts
/// (`slots × Z × H`, zone-major within a slot) against the loads, every lead time whose target
/// lies inside the building's period pooled.
fn nrmse_per_zone(
    forecasts: &[Vec<f64>],
    slots: &Slots,
    first: usize,
    zones: usize,
    horizon: usize,
) -> Result<Vec<f64>> {
    (0..zones)
        .map(|z| {
            let mut truth = Vec::new();
            let mut pred = Vec::new();
            for (i, f) in forecasts.iter().enumerate() {
                for j in 0..horizon {
                    let h = first + i + j;
                    if h < slots.count {
                        truth.push(slots.load(z, h));
                        pred.push(f[z * horizon + j]);
                    }
                }
            }
            nrmse(&truth, &pred, Norm::Std)
        })
        .collect()
}

/// Runs the pipeline (see the module docs) with `sampler` (None: [`default_sampler`]).
///
/// ```no_run
/// use neuroquant::building::{PipelineParams, run_pipeline};
/// let report = run_pipeline(&PipelineParams::default(), None, &Default::default())?;
/// println!("{}", report.to_json());
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn run_pipeline(
    params: &PipelineParams,
    sampler: Option<Arc<dyn Sampler>>,
    control: &Control<'_>,
) -> Result<Report> {
    let started = std::time::Instant::now();
    params.validate()?;
    let building = Building::new(params.building.clone())?;
    let seed = building.seed();
    let (sampler, sampler_note) = match sampler {
        Some(s) => {
            let note = format!("{} (given by the caller)", s.name());
            (s, note)
        }
        None => pipeline_sampler(params, seed)?,
    };
    let slots = Slots::new(&building);
    let (nz, sps, horizon) = (
        building.zones().len(),
        slots.steps_per_slot(),
        params.horizon_slots,
    );
    let train = params.train_days * 24;

    // Both reservoir forecasters, trained on the first days; the evaluation pass steps copies.
    let mut raw = LoadForecaster::train(
        &building,
        ForecastInput::Raw,
        horizon,
        train,
        params.units,
        seed,
        control,
    )?;
    let mut spikes = LoadForecaster::train(
        &building,
        ForecastInput::Spikes,
        horizon,
        train,
        params.units,
        seed,
        control,
    )?;
    let cv_error = [raw.cv_error(), spikes.cv_error()];
    let choice = match params.forecast {
        ForecastChoice::Auto if cv_error[1] < cv_error[0] => ForecastChoice::Spikes,
        ForecastChoice::Auto => ForecastChoice::Raw,
        c => c,
    };
    let chosen = match choice {
        ForecastChoice::Spikes => Forecast::Reservoir(Box::new(spikes.clone())),
        ForecastChoice::Persistence => Forecast::Persistence(slots.clone()),
        _ => Forecast::Reservoir(Box::new(raw.clone())),
    };
    let (mut raw_f, mut spike_f, mut pers_f) = (Vec::new(), Vec::new(), Vec::new());
    for h in train..slots.count {
        raw_f.push(raw.observe(&building, h)?);
        spike_f.push(spikes.observe(&building, h)?);
        pers_f.push(persistence(|z, k| slots.load(z, k), nz, horizon, h));
    }
    let raw_nrmse = nrmse_per_zone(&raw_f, &slots, train, nz, horizon)?;
    let spikes_nrmse = nrmse_per_zone(&spike_f, &slots, train, nz, horizon)?;
    let persistence_nrmse = nrmse_per_zone(&pers_f, &slots, train, nz, horizon)?;
    let (forecast_input, forecast_nrmse) = match choice {
        ForecastChoice::Spikes => ("spikes", spikes_nrmse.clone()),
        ForecastChoice::Persistence => ("persistence", persistence_nrmse.clone()),
        _ => ("raw", raw_nrmse.clone()),
    };

    // The closed loops from the setpoints at the start of the evaluation.
    let start = train * sps;
    let steps = building.num_steps() - start;
    let nt = building.num_steps();
    let initial: Vec<f64> = (0..nz)
        .map(|z| building.series().setpoint_c[z * nt + start])
        .collect();
    let mut mpc = Mpc {
        params,
        sampler: sampler.as_ref(),
        control,
        forecaster: chosen,
        decisions: vec![false; nz],
        runs: vec![0; nz],
        plans: 0,
        infeasible_plans: 0,
        repaired_plans: 0,
        solver: String::new(),
        answered_by: BTreeMap::new(),
        first_plan: None,
        forecast_first: Vec::new(),
    };
    let run = simulate(&building, &mut mpc, start, steps, &initial)?;
    let mut thermostat = Thermostat::new(params.hysteresis_c)?;
    let base = simulate(&building, &mut thermostat, start, steps, &initial)?;
    let mut limited = Thermostat::peak_limited(params.hysteresis_c)?;
    let limited = simulate(&building, &mut limited, start, steps, &initial)?;

    // The first plan reduced to two zones and four slots: annealer vs exact ground state.
    let (first_input, first_plan_energies) = mpc.first_plan.clone().expect("at least one plan");
    let (exact_match, exact_variables) = exact_check(&first_input, sampler.as_ref(), control)?;

    let evaluated = mpc.forecast_first.len();
    let mut forecast_first = vec![0.0; nz * evaluated];
    let mut truth_first = vec![0.0; nz * evaluated];
    for (i, f) in mpc.forecast_first.iter().enumerate() {
        for z in 0..nz {
            forecast_first[z * evaluated + i] = f[z];
            truth_first[z * evaluated + i] = slots.load(z, train + i);
        }
    }
    Ok(Report {
        seed,
        forecast_input,
        forecast_nrmse,
        raw_nrmse,
        spikes_nrmse,
        persistence_nrmse,
        cv_error,
        schedule: RunScore::from(&run),
        thermostat: RunScore::from(&base),
        thermostat_peak_limited: RunScore::from(&limited),
        plans: mpc.plans,
        infeasible_plans: mpc.infeasible_plans,
        repaired_plans: mpc.repaired_plans,
        solver: mpc.solver,
        answered_by: mpc.answered_by,
        sampler_note,
        exact_match,
        exact_variables,
        temps_c: run.temps_c,
        on: run.on,
        thermostat_temps_c: base.temps_c,
        forecast_first,
        truth_first,
        first_plan_energies,
        elapsed_s: started.elapsed().as_secs_f64(),
    })
}

/// Reduces `input` to its first two zones and four slots, solves it with `sampler` and exactly,
/// and tells whether the best energies agree (to 1e-9 relative); also the model's size.
fn exact_check(input: &HvacInput, sampler: &dyn Sampler, control: &Control<'_>) -> Result<(bool, usize)> {
    let (nz, nt) = (input.num_zones().min(2), input.num_slots().min(4));
    let all_t = input.num_slots();
    let pick = |v: &[f64]| v[..nz].to_vec();
    let reduced = HvacInput {
        rated_power_kw: pick(&input.rated_power_kw),
        delivered_kwh: pick(&input.delivered_kwh),
        comfort_weight: pick(&input.comfort_weight),
        initial_imbalance_kwh: pick(&input.initial_imbalance_kwh),
        demand_kwh: (0..nz)
            .flat_map(|z| input.demand_kwh[z * all_t..z * all_t + nt].to_vec())
            .collect(),
        price_per_kwh: input.price_per_kwh[..nt].to_vec(),
        peak_limit_kw: input.peak_limit_kw[..nt].to_vec(),
        initial_run_slots: input.initial_run_slots[..nz].to_vec(),
        ..input.clone()
    };
    let model = hvac(reduced)?;
    let n = model.bqm().num_variables();
    let exact = ExactSolver::new(ExactParams::default().mode(ExactMode::GroundStates))?;
    let ground = exact.sample_with(model.bqm(), control)?;
    let annealed = sampler.sample_with(model.bqm(), control)?;
    let e0 = ground.first().map(|r| r.1).unwrap_or(f64::NAN);
    let e1 = annealed.first().map(|r| r.1).unwrap_or(f64::NAN);
    Ok(((e0 - e1).abs() <= 1e-9 * (1.0 + e0.abs()), n))
}
