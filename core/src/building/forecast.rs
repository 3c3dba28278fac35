//! Forecasting each zone's heating load over the next planning horizon, slot by slot: an echo
//! state network fed either the raw sensor values or their streaming spike encoding, and the
//! persistence forecast it must beat.
//!
//! A slot is one hour (`steps_per_hour` building steps). At the start of slot `h` the forecaster
//! has seen every step before it; it predicts the energy each zone's load needs in slots
//! `h … h + H − 1` (kWh, the mean load in kW over the slot times one hour).
//!
//! Sensor channels: the outdoor temperature and each zone's load, read step by step. The raw
//! forecaster's input at slot `h` is the last slot's means of every channel, standardised by the
//! training data, plus the hour of slot `h` as `(sin, cos)` and a weekday flag. The spike
//! forecaster passes every channel through a streaming send-on-delta [`Encoder`] (thresholds of
//! 0.25 °C and 5 % of the zone's peak load) one step at a time and feeds the ESN the signed
//! quanta each channel sent during the last slot, scaled by 1/4, with the same time features.
//! Targets are the next `H` slot loads of every zone, standardised; the readout is ridge
//! regression with its penalty chosen by 4-fold cross-validation on the training days.

use super::Building;
use crate::Result;
use crate::control::Control;
use crate::error::ArgumentError;
use crate::reservoir::{Esn, EsnParams, ReservoirParams, Scaling, Series};
use crate::spike::{Encoder, EncoderKind, EncoderParams};

/// Ridge penalties tried by the cross-validation.
const RIDGES: [f64; 6] = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0];

/// What a forecast is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastInput {
    /// The slot means of the sensor channels.
    Raw,
    /// The signed quanta of streaming send-on-delta encoders on the sensor channels.
    Spikes,
}

impl ForecastInput {
    /// `"raw"` or `"spikes"`.
    pub fn name(self) -> &'static str {
        match self {
            ForecastInput::Raw => "raw",
            ForecastInput::Spikes => "spikes",
        }
    }
}

/// Slot-level views of the building's series.
#[derive(Debug, Clone)]
pub(crate) struct Slots {
    /// Number of whole slots.
    pub(crate) count: usize,
    /// Mean load per zone and slot (kW = kWh per one-hour slot), `Z × count`.
    pub(crate) load: Vec<f64>,
    steps_per_slot: usize,
    zones: usize,
}

impl Slots {
    pub(crate) fn new(b: &Building) -> Self {
        let sps = b.params().steps_per_hour;
        let nt = b.num_steps();
        let nz = b.zones().len();
        let count = nt / sps;
        let s = b.series();
        let mut load = vec![0.0; nz * count];
        for z in 0..nz {
            for h in 0..count {
                let w = &s.load_kw[z * nt + h * sps..z * nt + (h + 1) * sps];
                load[z * count + h] = w.iter().sum::<f64>() / sps as f64;
            }
        }
        Slots {
            count,
            load,
            steps_per_slot: sps,
            zones: nz,
        }
    }

    /// Zone `z`'s load in slot `h` (kWh).
    pub(crate) fn load(&self, z: usize, h: usize) -> f64 {
        self.load[z * self.count + h]
    }

    /// Building steps per slot.
    pub(crate) fn steps_per_slot(&self) -> usize {
        self.steps_per_slot
    }
}

/// Time features of slot `h`: hour as `(sin, cos)`, and 1 on weekdays (day 0 is a Monday).
fn time_features(h: usize) -> [f64; 3] {
    let angle = std::f64::consts::TAU * (h % 24) as f64 / 24.0;
    let weekday = if (h / 24) % 7 < 5 { 1.0 } else { 0.0 };
    [angle.sin(), angle.cos(), weekday]
}

/// A trained load forecaster (see the module docs), stepped once per slot.
#[derive(Debug, Clone)]
pub struct LoadForecaster {
    input: ForecastInput,
    esn: Esn,
    horizon: usize,
    zones: usize,
    /// Mean and standard deviation of each input channel (raw) and of each zone's load.
    channel_mean: Vec<f64>,
    channel_std: Vec<f64>,
    load_mean: Vec<f64>,
    load_std: Vec<f64>,
    encoders: Option<ScaledEncoder>,
    slots: Slots,
    raw: Vec<f64>,
    /// The penalty the cross-validation chose.
    ridge: f64,
    /// Its mean squared validation error (standardised units).
    cv_error: f64,
}

impl LoadForecaster {
    /// Trains on slots `1 .. train_slots` of `building` (the first `warmup` slots only warm the
    /// reservoir up) and leaves the network at the end of them, ready to step through the
    /// following slots with [`observe`](Self::observe).
    pub fn train(
        building: &Building,
        input: ForecastInput,
        horizon: usize,
        train_slots: usize,
        units: usize,
        seed: u64,
        control: &Control<'_>,
    ) -> Result<Self> {
        let slots = Slots::new(building);
        let nz = building.zones().len();
        if horizon == 0 || train_slots < 48 + horizon || train_slots + horizon > slots.count {
            return Err(ArgumentError::Invalid {
                argument: "train_days",
                reason: format!(
                    "{train_slots} training slots with a {horizon}-slot horizon do not fit the \
                     building's {} slots (need at least 48 + horizon, and the horizon after them)",
                    slots.count
                ),
            }
            .into());
        }
        let channels = 1 + nz;
        let raw = raw_channels(building, &slots);
        let (channel_mean, channel_std) = moments(&raw, channels, train_slots);
        let (load_mean, load_std) = moments(&slots.load, nz, train_slots);
        let encoders = match input {
            ForecastInput::Raw => None,
            ForecastInput::Spikes => Some(spike_encoder(&slots)?),
        };
        let features = channels + 3;
        let params = EsnParams::default()
            .reservoir(
                ReservoirParams::default()
                    .units(units)
                    .sr(0.9)
                    .lr(Scaling::Uniform(0.5))
                    .input_scaling(Scaling::Uniform(0.5))
                    .input_connectivity(0.5)
                    .input_dim(features)
                    .seed(seed),
            )
            .fit_bias(true);
        let mut f = LoadForecaster {
            input,
            esn: Esn::new(params, nz * horizon)?,
            horizon,
            zones: nz,
            channel_mean,
            channel_std,
            load_mean,
            load_std,
            encoders,
            slots,
            raw,
            ridge: 0.0,
            cv_error: 0.0,
        };
        // Inputs for slots 1 .. train_slots − horizon (the targets must be known), in order.
        let last = train_slots - horizon;
        let mut inputs = Vec::with_capacity((last - 1) * features);
        let mut targets = Vec::with_capacity((last - 1) * nz * horizon);
        let mut u = vec![0.0; features];
        for h in 1..=last {
            f.input_at(building, h, &mut u)?;
            inputs.extend_from_slice(&u);
            for z in 0..nz {
                for j in 0..horizon {
                    targets.push((f.slots.load(z, h + j) - f.load_mean[z]) / f.load_std[z]);
                }
            }
        }
        let steps = last;
        let cv = f.esn.fit_cv(
            &[Series {
                inputs: &inputs,
                targets: &targets,
                steps,
            }],
            24,
            &RIDGES,
            4,
            control,
        )?;
        f.ridge = cv.best;
        f.cv_error = cv.errors.iter().copied().fold(f64::INFINITY, f64::min);
        // Step the network on through the slots between the last target-complete input and the
        // end of training, so its state is that of slot `train_slots − 1`.
        for h in last + 1..train_slots {
            f.input_at(building, h, &mut u)?;
            f.esn.step(&u)?;
        }
        Ok(f)
    }

    /// What the forecaster reads.
    pub fn input(&self) -> ForecastInput {
        self.input
    }

    /// The mean squared cross-validation error of the chosen penalty (standardised units).
    pub fn cv_error(&self) -> f64 {
        self.cv_error
    }

    /// The ridge penalty the cross-validation chose.
    pub fn ridge(&self) -> f64 {
        self.ridge
    }

    /// Observes slot `h − 1` and forecasts the loads of slots `h … h + H − 1`: `Z × H` zone-major
    /// (kWh, at least 0).
    pub fn observe(&mut self, building: &Building, h: usize) -> Result<Vec<f64>> {
        let mut u = vec![0.0; 1 + self.zones + 3];
        self.input_at(building, h, &mut u)?;
        let y = self.esn.step(&u)?;
        let mut out = vec![0.0; self.zones * self.horizon];
        for z in 0..self.zones {
            for j in 0..self.horizon {
                let v = y[z * self.horizon + j] * self.load_std[z] + self.load_mean[z];
                out[z * self.horizon + j] = v.max(0.0);
            }
        }
        Ok(out)
    }

    /// The network's input at the start of slot `h` (`h >= 1`).
    fn input_at(&mut self, b: &Building, h: usize, u: &mut [f64]) -> Result<()> {
        let channels = 1 + self.zones;
        let (slots, raw) = (&self.slots, &self.raw);
        match &mut self.encoders {
            None => {
                for c in 0..channels {
                    u[c] = (raw[c * slots.count + h - 1] - self.channel_mean[c]) / self.channel_std[c];
                }
            }
            Some(enc) => {
                // Stream the steps of slot h − 1 through the encoders and sum the quanta.
                let (nt, sps) = (b.num_steps(), slots.steps_per_slot());
                let s = b.series();
                let mut x = vec![0.0; channels];
                let mut spikes = vec![0i32; channels];
                u[..channels].fill(0.0);
                for k in (h - 1) * sps..h * sps {
                    x[0] = s.outdoor_c[k];
                    for z in 0..self.zones {
                        x[1 + z] = s.load_kw[z * nt + k];
                    }
                    enc.step(&x, &mut spikes)?;
                    for c in 0..channels {
                        u[c] += 0.25 * spikes[c] as f64;
                    }
                }
            }
        }
        u[channels..channels + 3].copy_from_slice(&time_features(h));
        Ok(())
    }
}

/// The persistence forecast: every slot of the horizon repeats the last observed slot's load.
pub fn persistence(
    slots_load: impl Fn(usize, usize) -> f64,
    zones: usize,
    horizon: usize,
    h: usize,
) -> Vec<f64> {
    let mut out = vec![0.0; zones * horizon];
    for z in 0..zones {
        out[z * horizon..(z + 1) * horizon].fill(slots_load(z, h - 1));
    }
    out
}

/// The raw channels' slot means, channel-major: outdoor temperature, then each zone's load.
fn raw_channels(b: &Building, slots: &Slots) -> Vec<f64> {
    let (n, sps) = (slots.count, slots.steps_per_slot());
    let mut out = Vec::with_capacity((1 + slots.zones) * n);
    for h in 0..n {
        let w = &b.series().outdoor_c[h * sps..(h + 1) * sps];
        out.push(w.iter().sum::<f64>() / sps as f64);
    }
    out.extend_from_slice(&slots.load);
    out
}

/// Mean and standard deviation (1 when 0) of each of `channels` channel-major series over their
/// first `n` values.
fn moments(data: &[f64], channels: usize, n: usize) -> (Vec<f64>, Vec<f64>) {
    let len = data.len() / channels;
    (0..channels)
        .map(|c| {
            let x = &data[c * len..c * len + n];
            let mean = x.iter().sum::<f64>() / n as f64;
            let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
            (mean, if var > 0.0 { var.sqrt() } else { 1.0 })
        })
        .unzip()
}

/// One send-on-delta encoder over the outdoor temperature and the zone loads; a channel's
/// threshold is carried by scaling its input (0.25 °C for the outdoor temperature, 5 % of the
/// zone's peak load for a load), so one encoder with threshold 1 serves every channel.
fn spike_encoder(slots: &Slots) -> Result<ScaledEncoder> {
    let mut scale = vec![1.0 / 0.25];
    for z in 0..slots.zones {
        let peak = (0..slots.count).map(|h| slots.load(z, h)).fold(0.0, f64::max);
        scale.push(if peak > 0.0 { 1.0 / (0.05 * peak) } else { 1.0 });
    }
    ScaledEncoder::new(scale)
}

/// A send-on-delta [`Encoder`] with threshold 1 on inputs scaled per channel.
#[derive(Debug, Clone)]
pub(crate) struct ScaledEncoder {
    encoder: Encoder,
    scale: Vec<f64>,
    scaled: Vec<f64>,
}

impl ScaledEncoder {
    fn new(scale: Vec<f64>) -> Result<Self> {
        let params = EncoderParams::default()
            .encoder(EncoderKind::SendOnDelta)
            .num_channels(scale.len())
            .threshold(1.0);
        Ok(ScaledEncoder {
            encoder: Encoder::new(&params)?,
            scaled: vec![0.0; scale.len()],
            scale,
        })
    }

    /// Encodes one step of the channels (allocation-free).
    fn step(&mut self, x: &[f64], out: &mut [i32]) -> Result<()> {
        for ((s, v), k) in self.scaled.iter_mut().zip(x).zip(&self.scale) {
            *s = v * k;
        }
        self.encoder.step(&self.scaled, out)
    }
}
