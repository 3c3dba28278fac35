//! A synthetic building to control: the data source and plant of the flagship HVAC pipeline
//! (SPEC §9). A seeded, documented model — per-zone RC thermal dynamics, outdoor temperature with
//! a daily cycle and noise, occupancy schedules, a time-of-use price — that produces the sensor
//! series a controller reads, the heating load it must forecast, and a closed-loop simulation in
//! which a schedule (from a QUBO, or a thermostat baseline) is applied and scored.
//!
//! The model (heating season; every zone `z` has capacitance `C_z` kWh/°C, resistance to the
//! outside `R_z` °C/kW, a heat pump of electrical power `P_z` kW and efficiency `η_z` (heat per
//! electrical kWh), and internal gains `g_z(k)` kW from occupants):
//!
//! - Zones: `C` uniform in [3, 7) kWh/°C, `R` in [4, 10) °C/kW, `η` in [2.8, 3.4), 4 to 16
//!   occupants; the heat pump is sized for 1.6 × the design load (the load at 21 °C on a day
//!   4 °C colder than the coldest mean night), rounded up to 0.5 kW.
//! - Zone temperature over a step of `dt` hours, exact for piecewise-constant inputs:
//!   `T(k+1) = a·T(k) + (1 − a)·(T_out(k) + R·(η·P·u(k) + g(k)))`, `a = exp(−dt / (R·C))`,
//!   with `u(k) ∈ {0, 1}` the unit's state.
//! - Heating load (what the forecast predicts): the heat power that holds the zone at its
//!   setpoint in steady state, `L(k) = max(0, (T_set(k) − T_out(k)) / R − g(k))` kW.
//! - Outdoor temperature: `T_out = mean + amplitude·cos(2π(h − 15)/24) + d(day) + ε(k)`, with a
//!   daily offset `d` (random walk, σ 1.5 °C per day) and AR(1) noise `ε` (φ 0.97, σ 0.25 °C).
//! - Occupancy: weekdays, each zone from a start hour in [7, 9) to an end hour in [17, 19) drawn
//!   per zone and day; weekends empty. Occupied: setpoint 21 °C, comfort band [20, 23] °C;
//!   empty: setpoint 17 °C, band [16, 25] °C; gains 0.08 kW per occupant.
//! - Price (per kWh): 0.12 from 0 h to 7 h, 0.22 from 7 h to 17 h and from 21 h, 0.38 from 17 h
//!   to 21 h.

mod controller;
mod evaluate;
mod forecast;
mod model;
mod params;

#[cfg(feature = "dwave")]
pub use controller::dwave_first;
pub use controller::{
    DWaveChoice, ForecastChoice, PipelineParams, Report, RunScore, StrengthChoice, default_sampler,
    pipeline_sampler, run_pipeline,
};
pub use evaluate::{Outcome, Policy, Thermostat, simulate};
pub use forecast::{ForecastInput, LoadForecaster, persistence};
pub use model::{Building, Series, Zone};
pub use params::BuildingParams;
