//! The building: zones drawn from the seed, the series a controller reads, and the thermal step.

use super::BuildingParams;
use crate::Result;
use crate::error::check;
use crate::rng::{self, Rng};
use rand_core::Rng as _;

/// Setpoint and comfort band when a zone is occupied (°C).
const OCCUPIED: (f64, [f64; 2]) = (21.0, [20.0, 23.0]);
/// Setpoint and comfort band when it is empty (°C).
const EMPTY: (f64, [f64; 2]) = (17.0, [16.0, 25.0]);
/// Heat an occupant gives off (kW).
const GAIN_PER_OCCUPANT_KW: f64 = 0.08;

/// One thermal zone.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Zone {
    /// Thermal capacitance `C` (kWh per °C).
    pub capacitance_kwh_per_c: f64,
    /// Thermal resistance to the outside `R` (°C per kW).
    pub resistance_c_per_kw: f64,
    /// Electrical power of the heat pump when on (kW, a multiple of 0.5).
    pub rated_power_kw: f64,
    /// Heat delivered per electrical kWh (coefficient of performance).
    pub efficiency: f64,
    /// Occupants when the zone is occupied.
    pub occupants: f64,
}

impl Zone {
    /// Heat the unit delivers when on (kW).
    pub fn heat_kw(&self) -> f64 {
        self.efficiency * self.rated_power_kw
    }
}

/// The series of the simulated period, step by step (`T = num_steps`; per-zone series are
/// `Z × T`, zone-major).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Series {
    /// Outdoor temperature (°C), `T`.
    pub outdoor_c: Vec<f64>,
    /// Energy price (per kWh), `T`.
    pub price_per_kwh: Vec<f64>,
    /// 1 when the zone is occupied, `Z × T`.
    pub occupied: Vec<u8>,
    /// Setpoint (°C), `Z × T`.
    pub setpoint_c: Vec<f64>,
    /// Internal gains (kW), `Z × T`.
    pub gains_kw: Vec<f64>,
    /// Heating load to hold the setpoint (kW), `Z × T`.
    pub load_kw: Vec<f64>,
}

/// A synthetic building (see the module docs): zones, series and thermal dynamics, all fixed
/// by its [`BuildingParams`] and seed.
///
/// ```
/// use neuroquant::building::{Building, BuildingParams};
/// let b = Building::new(BuildingParams::default().num_zones(2usize).days(1usize).seed(7u64))?;
/// assert_eq!(b.num_steps(), 96);
/// assert_eq!(b.series().load_kw.len(), 2 * 96);
/// // The same seed gives the same building.
/// let again = Building::new(BuildingParams::default().num_zones(2usize).days(1usize).seed(7u64))?;
/// assert_eq!(b.series(), again.series());
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    params: BuildingParams,
    seed: u64,
    zones: Vec<Zone>,
    series: Series,
    peak_limit_kw: f64,
}

fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - uniform(rng); // in (0, 1]
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The time-of-use price at hour `h` of the day.
fn price(h: f64) -> f64 {
    match h {
        h if h < 7.0 => 0.12,
        h if h < 17.0 => 0.22,
        h if h < 21.0 => 0.38,
        _ => 0.22,
    }
}

impl Building {
    /// The building of `params` (validated).
    pub fn new(params: BuildingParams) -> Result<Self> {
        params.validate()?;
        let seed = rng::resolve_seed(params.seed);
        let (nz, nt, sph) = (params.num_zones, params.num_steps(), params.steps_per_hour);
        let dt = 1.0 / sph as f64;
        // Zones from stream 0.
        // A heat pump is sized for 1.6 times the zone's design load (the load at the occupied
        // setpoint on a day 4 °C colder than the coldest mean night), rounded up to 0.5 kW.
        let design_outdoor = params.outdoor_mean_c - params.outdoor_amplitude_c - 4.0;
        let mut r = rng::stream(seed, 0);
        let zones: Vec<Zone> = (0..nz)
            .map(|_| {
                let capacitance_kwh_per_c = 3.0 + 4.0 * uniform(&mut r);
                let resistance_c_per_kw = 4.0 + 6.0 * uniform(&mut r);
                let efficiency = 2.8 + 0.6 * uniform(&mut r);
                let occupants = (4.0 + 12.0 * uniform(&mut r)).round();
                let design_kw = ((OCCUPIED.0 - design_outdoor) / resistance_c_per_kw).max(0.5);
                Zone {
                    capacitance_kwh_per_c,
                    resistance_c_per_kw,
                    rated_power_kw: (1.6 * design_kw / efficiency * 2.0).ceil() / 2.0,
                    efficiency,
                    occupants,
                }
            })
            .collect();
        // Weather from stream 1.
        let mut w = rng::stream(seed, 1);
        let mut outdoor = Vec::with_capacity(nt);
        let (mut day_offset, mut noise) = (0.0, 0.0);
        for k in 0..nt {
            if k % (24 * sph) == 0 {
                day_offset += 1.5 * normal(&mut w);
                day_offset *= 0.8; // pulled back towards the mean
            }
            noise = 0.97 * noise + 0.25 * normal(&mut w);
            let h = (k % (24 * sph)) as f64 * dt;
            let cycle = (std::f64::consts::TAU * (h - 15.0) / 24.0).cos();
            outdoor.push(params.outdoor_mean_c + params.outdoor_amplitude_c * cycle + day_offset + noise);
        }
        let price_per_kwh = (0..nt).map(|k| price((k % (24 * sph)) as f64 * dt)).collect();
        // Occupancy from streams 2 + z.
        let mut occupied = vec![0u8; nz * nt];
        for z in 0..nz {
            let mut o = rng::stream(seed, 2 + z as u64);
            for day in 0..params.days {
                let (start, end) = (7.0 + 2.0 * uniform(&mut o), 17.0 + 2.0 * uniform(&mut o));
                if day % 7 >= 5 {
                    continue; // weekend
                }
                for s in 0..24 * sph {
                    let h = s as f64 * dt;
                    if h >= start && h < end {
                        occupied[z * nt + day * 24 * sph + s] = 1;
                    }
                }
            }
        }
        let mut setpoint_c = vec![0.0; nz * nt];
        let mut gains_kw = vec![0.0; nz * nt];
        let mut load_kw = vec![0.0; nz * nt];
        for (z, zone) in zones.iter().enumerate() {
            for (k, &t_out) in outdoor.iter().enumerate() {
                let i = z * nt + k;
                let busy = occupied[i] == 1;
                setpoint_c[i] = if busy { OCCUPIED.0 } else { EMPTY.0 };
                gains_kw[i] = if busy {
                    zone.occupants * GAIN_PER_OCCUPANT_KW
                } else {
                    0.0
                };
                load_kw[i] = ((setpoint_c[i] - t_out) / zone.resistance_c_per_kw - gains_kw[i]).max(0.0);
            }
        }
        let total: f64 = zones.iter().map(|z| z.rated_power_kw).sum();
        let peak_limit_kw = params.peak_limit_kw.unwrap_or(0.6 * total);
        Ok(Building {
            params,
            seed,
            zones,
            series: Series {
                outdoor_c: outdoor,
                price_per_kwh,
                occupied,
                setpoint_c,
                gains_kw,
                load_kw,
            },
            peak_limit_kw,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &BuildingParams {
        &self.params
    }

    /// The seed used (also when none was given).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The series of the simulated period.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Simulation steps.
    pub fn num_steps(&self) -> usize {
        self.params.num_steps()
    }

    /// Step length (hours).
    pub fn step_hours(&self) -> f64 {
        1.0 / self.params.steps_per_hour as f64
    }

    /// The largest total electrical power allowed at once (kW).
    pub fn peak_limit_kw(&self) -> f64 {
        self.peak_limit_kw
    }

    /// The comfort band of zone `z` at step `k` (°C).
    pub fn comfort_band(&self, z: usize, k: usize) -> [f64; 2] {
        if self.series.occupied[z * self.num_steps() + k] == 1 {
            OCCUPIED.1
        } else {
            EMPTY.1
        }
    }

    /// Advances zone temperatures `temps` (°C, one per zone) over step `k` with the units in
    /// state `on` (one per zone); see the module docs for the exact update.
    pub fn step(&self, k: usize, temps: &mut [f64], on: &[bool]) -> Result<()> {
        let nz = self.zones.len();
        check::len("temps", nz, temps.len())?;
        check::len("on", nz, on.len())?;
        check::index("k", k as i64, self.num_steps())?;
        check::all_finite("temps", temps)?;
        let nt = self.num_steps();
        let dt = self.step_hours();
        for (z, zone) in self.zones.iter().enumerate() {
            let a = (-dt / (zone.resistance_c_per_kw * zone.capacitance_kwh_per_c)).exp();
            let heat = if on[z] { zone.heat_kw() } else { 0.0 } + self.series.gains_kw[z * nt + k];
            let target = self.series.outdoor_c[k] + zone.resistance_c_per_kw * heat;
            temps[z] = a * temps[z] + (1.0 - a) * target;
        }
        Ok(())
    }
}
