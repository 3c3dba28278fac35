//! The data of one HVAC scheduling horizon, and its validation.

use super::super::common::{non_empty, non_negative};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::penalty::{MAX_TERMS, positive};

/// How the comfort term compares delivered heat (or cooling) with the forecast demand of a zone.
///
/// With `b_{z,t}` the zone's energy imbalance (kWh, delivered minus demanded; positive = over-
/// served), the comfort cost of zone `z` is `w_z · Σ b²` over the terms below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ComfortModel {
    /// The running balance at the end of every slot,
    /// `b_{z,t} = e_z + Σ_{τ<=t} (q_z x_{z,τ} − d_{z,τ})` (`e_z` the initial imbalance). A zone's
    /// temperature error is its accumulated energy imbalance divided by its thermal capacity, so
    /// this sums the squared temperature error over the horizon: it lets the schedule shift load
    /// to cheap slots (pre-heating, pre-cooling) as far as the zone tolerates the drift, which a
    /// per-slot match forbids, while still penalising every hour spent off the set-point, which a
    /// single horizon balance ignores. The default.
    #[default]
    Cumulative,
    /// Each slot on its own, `b_{z,t} = q_z x_{z,t} − d_{z,t}` (no thermal storage; the initial
    /// imbalance is not used). Separable: the comfort term adds no couplers.
    PerSlot,
    /// One balance over the horizon, `b_z = e_z + Σ_t (q_z x_{z,t} − d_{z,t})`: only the total
    /// energy matters, not when it is delivered. The demand may then be given per zone (horizon
    /// totals) instead of per slot.
    Horizon,
}

impl ComfortModel {
    /// Every comfort model, in a stable order.
    pub const ALL: [ComfortModel; 3] = [
        ComfortModel::Cumulative,
        ComfortModel::PerSlot,
        ComfortModel::Horizon,
    ];

    /// The model's name, as accepted by [`str::parse`]: `"cumulative"`, `"per_slot"`, `"horizon"`.
    pub const fn name(self) -> &'static str {
        match self {
            ComfortModel::Cumulative => "cumulative",
            ComfortModel::PerSlot => "per_slot",
            ComfortModel::Horizon => "horizon",
        }
    }
}

impl std::str::FromStr for ComfortModel {
    type Err = ArgumentError;

    /// Parses a comfort model name (any case; `-` and `_` are the same).
    ///
    /// ```
    /// use neuroquant::qubo::generators::ComfortModel;
    /// assert_eq!("per-slot".parse::<ComfortModel>().unwrap(), ComfortModel::PerSlot);
    /// assert!("hourly".parse::<ComfortModel>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalized = s.replace('-', "_");
        ComfortModel::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(&normalized))
            .ok_or_else(|| ArgumentError::Invalid {
                argument: "comfort",
                reason: format!(
                    "{s:?} is not a comfort model, must be one of {}",
                    ComfortModel::ALL.map(|c| c.name()).join(", ")
                ),
            })
    }
}

/// One scheduling horizon: `Z` zones, each with one unit switched on or off per slot, over `T`
/// slots of `slot_hours` hours. Per-zone vectors have length `Z`, per-slot vectors length `T`,
/// `demand_kwh` is `Z × T` row-major (zone by zone).
///
/// [`Default`] is an empty horizon with one-hour slots and every option at its default, for
/// `HvacInput { rated_power_kw: …, ..Default::default() }`.
#[derive(Debug, Clone, PartialEq)]
pub struct HvacInput {
    /// Electrical power drawn by each zone's unit when on (kW, `>= 0`).
    pub rated_power_kw: Vec<f64>,
    /// Heat (or cooling) a zone's unit delivers over one slot when on (kWh, `>= 0`).
    pub delivered_kwh: Vec<f64>,
    /// Price of comfort per zone (currency per kWh² of imbalance, `>= 0`).
    pub comfort_weight: Vec<f64>,
    /// Imbalance each zone starts with (kWh, signed; positive = over-served), e.g. the
    /// temperature error times the thermal capacity. Empty means zeros.
    pub initial_imbalance_kwh: Vec<f64>,
    /// Forecast demand per zone and slot (kWh, finite; negative is a surplus the zone gains, such
    /// as the heat a setpoint drop frees), `Z × T` zone-major; for
    /// [`ComfortModel::Horizon`] also accepted as `Z` horizon totals.
    pub demand_kwh: Vec<f64>,
    /// Energy price per slot (currency per kWh, `>= 0`).
    pub price_per_kwh: Vec<f64>,
    /// Largest total power per slot (kW, `>= 0`).
    pub peak_limit_kw: Vec<f64>,
    /// Slot length (hours, `> 0`).
    pub slot_hours: f64,
    /// How comfort is measured.
    pub comfort: ComfortModel,
    /// Strength of the peak-power penalty (finite, `> 0`); `None` for the default (see
    /// [`Hvac`](super::Hvac)).
    pub peak_strength: Option<f64>,
    /// The unit the rated powers are multiples of (kW); `None` to detect it (at most 6 decimals).
    pub power_resolution_kw: Option<f64>,
    /// Minimum run time (slots): once a unit starts, it stays on for at least this many slots
    /// (a compressor's protection against short cycling). 0 and 1 mean no constraint.
    pub min_run_slots: usize,
    /// For each zone, the slots its unit has been on without a break just before slot 0 (0: off).
    /// A unit that has run for fewer than `min_run_slots` must stay on for the rest; one that was
    /// on may continue without a new start. Empty means all off.
    pub initial_run_slots: Vec<usize>,
    /// Strength of the minimum-run penalties (finite, `> 0`); `None` for the default (see
    /// [`Hvac`](super::Hvac)).
    pub min_run_strength: Option<f64>,
}

impl Default for HvacInput {
    fn default() -> Self {
        HvacInput {
            rated_power_kw: Vec::new(),
            delivered_kwh: Vec::new(),
            comfort_weight: Vec::new(),
            initial_imbalance_kwh: Vec::new(),
            demand_kwh: Vec::new(),
            price_per_kwh: Vec::new(),
            peak_limit_kw: Vec::new(),
            slot_hours: 1.0,
            comfort: ComfortModel::default(),
            peak_strength: None,
            power_resolution_kw: None,
            min_run_slots: 0,
            initial_run_slots: Vec::new(),
            min_run_strength: None,
        }
    }
}

impl HvacInput {
    /// Number of zones.
    pub fn num_zones(&self) -> usize {
        self.rated_power_kw.len()
    }

    /// Number of slots.
    pub fn num_slots(&self) -> usize {
        self.price_per_kwh.len()
    }

    /// Checks every rule stated on the fields; the first violation names its field.
    pub(crate) fn validate(&self) -> Result<()> {
        let (z, t) = (self.num_zones(), self.num_slots());
        non_empty("rated_power_kw", z)?;
        non_empty("price_per_kwh", t)?;
        check::len("delivered_kwh", z, self.delivered_kwh.len())?;
        check::len("comfort_weight", z, self.comfort_weight.len())?;
        if !self.initial_imbalance_kwh.is_empty() {
            check::len("initial_imbalance_kwh", z, self.initial_imbalance_kwh.len())?;
        }
        check::len("peak_limit_kw", t, self.peak_limit_kw.len())?;
        let cells = z.saturating_mul(t);
        check::at_most("price_per_kwh", cells as u64, MAX_TERMS as u64)?;
        let horizon_totals = self.comfort == ComfortModel::Horizon && self.demand_kwh.len() == z;
        if !horizon_totals {
            check::len("demand_kwh", cells, self.demand_kwh.len())?;
        }
        non_negative("rated_power_kw", &self.rated_power_kw)?;
        non_negative("delivered_kwh", &self.delivered_kwh)?;
        non_negative("comfort_weight", &self.comfort_weight)?;
        check::all_finite("initial_imbalance_kwh", &self.initial_imbalance_kwh)?;
        check::all_finite("demand_kwh", &self.demand_kwh)?;
        non_negative("price_per_kwh", &self.price_per_kwh)?;
        non_negative("peak_limit_kw", &self.peak_limit_kw)?;
        positive("slot_hours", self.slot_hours)?;
        if let Some(p) = self.peak_strength {
            positive("peak_strength", p)?;
        }
        if let Some(r) = self.power_resolution_kw {
            positive("power_resolution_kw", r)?;
        }
        if !self.initial_run_slots.is_empty() {
            check::len("initial_run_slots", z, self.initial_run_slots.len())?;
        }
        if let Some(p) = self.min_run_strength {
            positive("min_run_strength", p)?;
        }
        Ok(())
    }

    /// The slots zone `z`'s unit has run just before slot 0.
    pub(crate) fn initial_run(&self, z: usize) -> usize {
        self.initial_run_slots.get(z).copied().unwrap_or(0)
    }

    /// Whether the minimum-run constraint is active (`min_run_slots >= 2`).
    pub(crate) fn has_min_run(&self) -> bool {
        self.min_run_slots >= 2
    }

    /// The leading slots zone `z`'s unit must stay on to finish its current minimum run.
    pub(crate) fn locked_slots(&self, z: usize) -> usize {
        let run = self.initial_run(z);
        if self.has_min_run() && run > 0 {
            self.min_run_slots.saturating_sub(run).min(self.num_slots())
        } else {
            0
        }
    }

    /// The initial imbalance of zone `z`.
    pub(crate) fn initial(&self, z: usize) -> f64 {
        self.initial_imbalance_kwh.get(z).copied().unwrap_or(0.0)
    }

    /// `c_{z,t} = e_z − Σ_{τ<=t} d_{z,τ}`: the running balance of zone `z` with the unit always
    /// off (for horizon totals, only the last entry is meaningful and all equal it).
    pub(crate) fn baseline(&self, z: usize) -> Vec<f64> {
        let t = self.num_slots();
        let mut c = Vec::with_capacity(t);
        if self.demand_kwh.len() == self.num_zones() && t > 1 {
            c.resize(t, self.initial(z) - self.demand_kwh[z]);
        } else {
            let mut acc = self.initial(z);
            for &d in &self.demand_kwh[z * t..(z + 1) * t] {
                acc -= d;
                c.push(acc);
            }
        }
        c
    }

    /// The demand of zone `z` in slot `t` (per-slot demand only).
    pub(crate) fn demand(&self, z: usize, t: usize) -> f64 {
        self.demand_kwh[z * self.num_slots() + t]
    }
}
