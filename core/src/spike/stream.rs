//! [`Encoder`]: streaming encoders, one sample (one value per channel) in, one spike value per
//! channel out, O(1) state per channel (O(`window`) for the moving window, O(filter length) for
//! BSA), no allocation per step,
//! and a container kind so a controller can save and resume mid-stream.
//!
//! Container kind `spike_encoder` v1: `meta = {"params": {keyword: value}, "seed": u64,
//! "step": u64}`; arrays `reference` (`<f8`, one per channel: the previous sample, the reference
//! or baseline, or the latched value), `initial` (`<f8`, the first sample of each channel), and
//! `window` (`<f8`, `num_channels × window` ring buffer; empty unless `moving_window`).

use super::BsaParams;
use super::delta::delta_spike;
use super::rate::rows_of;
use crate::error::{ArgumentError, check};
use crate::format::{FormatError, Reader, Writer};
use crate::params::{named_enum, params};
use crate::{Result, alloc, rng};
use rand_core::Rng as _;

named_enum! {
    /// The encoding a streaming [`Encoder`] applies.
    pub enum EncoderKind("encoder") {
        /// snnTorch delta modulation: 1 when x_t - x_{t-1} >= threshold, -1 when <= -threshold
        /// with off_spike; the first sample is compared with 0, or with itself under padding.
        Delta = "delta",
        /// Multi-quantum send-on-delta (Miskowicz 2006): k = trunc((x - ref)/threshold) quanta,
        /// signed, and ref += k·threshold; the first sample sets ref and sends nothing.
        SendOnDelta = "send_on_delta",
        /// Step-forward (Petro et al. 2020): +1 and baseline += threshold when x > baseline +
        /// threshold, -1 and baseline -= threshold when x < baseline - threshold.
        StepForward = "step_forward",
        /// Threshold-based representation (temporal contrast): +1 when x_t - x_{t-1} > threshold,
        /// -1 when < -threshold.
        Tbr = "tbr",
        /// Moving window (Petro et al. 2020): as step-forward, against the mean of the last
        /// window samples.
        MovingWindow = "moving_window",
        /// Bernoulli rate coding: a spike with probability clamp(gain·x + offset, 0, 1).
        Rate = "rate",
        /// Poisson: x is a rate in Hz; a spike with probability 1 - exp(-x·dt) per step.
        Poisson = "poisson",
        /// Phase coding against a reference oscillation of period steps: the value x in [0, 1]
        /// latched at the start of each cycle fires once per cycle, at phase
        /// round((1 - x)·(period - 1)), so larger values fire earlier in the cycle.
        Phase = "phase",
        /// Ben's Spiker Algorithm with its FIR filter, streamed: the scaled input gain·x + offset
        /// is buffered for filter-length samples; the spike for sample t comes out filter length
        /// - 1 samples later (zeros before), by the rule of the batch bsa.
        Bsa = "bsa",
    }
}

/// Largest channel count of a streaming encoder.
pub const MAX_ENCODER_CHANNELS: usize = 1 << 24;
/// Largest `num_channels × window` of a moving-window encoder (values of state).
pub const MAX_ENCODER_STATE: usize = 1 << 28;

params! {
    /// A streaming spike encoder: one sample in, one spike value per channel out.
    pub struct EncoderParams {
        /// The encoding.
        keyword encoder: EncoderKind = EncoderKind::SendOnDelta,
        /// Number of channels (values per sample).
        keyword num_channels: usize = 1,
        /// Change that fires (delta, step_forward, tbr, moving_window) or the quantum
        /// (send_on_delta), > 0; bsa: the error reduction a spike must bring.
        keyword threshold: f64 = 0.1,
        /// delta: compare the first sample with itself instead of with 0.
        keyword padding: bool = false,
        /// delta: also emit -1 for falls of at least threshold.
        keyword off_spike: bool = false,
        /// moving_window: number of past samples averaged into the baseline; rate, poisson:
        /// steps averaged by the decoder.
        keyword window: usize = 3,
        /// rate, bsa: scale applied to the input.
        keyword gain: f64 = 1.0,
        /// rate, bsa: shift added to the scaled input.
        keyword offset: f64 = 0.0,
        /// poisson: step length in seconds.
        keyword dt: f64 = 1e-3,
        /// phase: steps per cycle of the reference oscillation (at least 2).
        keyword period: usize = 8,
        /// bsa: FIR filter taps (None: a Hann window of filter_length taps scaled to sum to 1).
        keyword filter: Option<Vec<f64>> = None,
        /// bsa: taps of the default filter (ignored when filter is given).
        keyword filter_length: usize = 16,
        /// rate, poisson: seed of the random streams (None: fresh entropy, reported back).
        keyword seed: Option<u64> = None,
    }
}

impl EncoderParams {
    fn check(&self) -> Result<()> {
        for (name, v) in [
            ("threshold", self.threshold),
            ("gain", self.gain),
            ("offset", self.offset),
            ("dt", self.dt),
        ] {
            check::finite(name, v)?;
        }
        if self.num_channels == 0 {
            return Err(invalid("num_channels", "is 0, must be at least 1".into()));
        }
        check::at_most(
            "num_channels",
            self.num_channels as u64,
            MAX_ENCODER_CHANNELS as u64,
        )?;
        match self.encoder {
            EncoderKind::SendOnDelta
            | EncoderKind::StepForward
            | EncoderKind::Tbr
            | EncoderKind::MovingWindow
                if self.threshold <= 0.0 =>
            {
                return Err(invalid(
                    "threshold",
                    format!("is {}, must be > 0", self.threshold),
                ));
            }
            EncoderKind::MovingWindow => {
                if self.window == 0 {
                    return Err(invalid("window", "is 0, must be at least 1".into()));
                }
                check::at_most_implied(
                    "window",
                    self.window as u64,
                    |w| u128::from(w) * self.num_channels as u128,
                    MAX_ENCODER_STATE as u128,
                )?;
            }
            EncoderKind::Poisson if self.dt <= 0.0 => {
                return Err(invalid("dt", format!("is {}, must be > 0", self.dt)));
            }
            EncoderKind::Phase if self.period < 2 => {
                return Err(invalid(
                    "period",
                    format!("is {}, must be at least 2", self.period),
                ));
            }
            EncoderKind::Bsa => {
                self.bsa().validate()?;
                check::at_most_implied(
                    "filter",
                    self.bsa().taps().len() as u64,
                    |f| u128::from(f) * self.num_channels as u128,
                    MAX_ENCODER_STATE as u128,
                )?;
            }
            _ => {}
        }
        Ok(())
    }
}

impl EncoderParams {
    /// The BSA parameters these describe (filter, filter_length, threshold).
    fn bsa(&self) -> BsaParams {
        BsaParams::default()
            .filter(self.filter.clone())
            .filter_length(self.filter_length)
            .threshold(self.threshold)
    }
}

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

/// A streaming encoder (see [`EncoderKind`] for the encodings). [`step`](Self::step) takes one
/// sample (a value per channel) and writes one `i32` per channel: `1`, `-1` or `0`, or for
/// `send_on_delta` the signed number of quanta. It allocates nothing and costs O(1) per channel
/// (O(`window`) for the moving window). [`run`](Self::run) is the same over a time-first array,
/// so batch and streaming results are equal by construction.
///
/// ```
/// use neuroquant::spike::{Encoder, EncoderKind, EncoderParams};
/// let p = EncoderParams::default().encoder(EncoderKind::StepForward).threshold(0.5);
/// let mut enc = Encoder::new(&p)?;
/// let mut out = [0i32];
/// for (x, want) in [(0.0, 0), (0.7, 1), (0.8, 0), (-0.1, -1)] {
///     enc.step(&[x], &mut out)?;
///     assert_eq!(out[0], want);
/// }
/// // Save mid-stream, resume elsewhere.
/// let mut resumed = Encoder::from_bytes(&enc.to_bytes()?)?;
/// resumed.step(&[2.0], &mut out)?;
/// assert_eq!(out[0], 1);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Encoder {
    params: EncoderParams,
    seed: u64,
    step: u64,
    reference: Vec<f64>,
    initial: Vec<f64>,
    window: Vec<f64>,
    /// rate/poisson: per-channel SplitMix64 keys derived from the seed (not serialized).
    keys: Vec<u64>,
    /// bsa: the filter taps (derived from the parameters).
    taps: Vec<f64>,
}

impl Encoder {
    /// An encoder at the start of a stream.
    ///
    /// Errors: the [`EncoderParams`] rules; a refused allocation.
    pub fn new(params: &EncoderParams) -> Result<Self> {
        params.validate()?;
        let seed = rng::resolve_seed(params.seed);
        Self::with_state(params.clone(), seed, 0, None)
    }

    fn with_state(
        params: EncoderParams,
        seed: u64,
        step: u64,
        arrays: Option<[Vec<f64>; 3]>,
    ) -> Result<Self> {
        let c = params.num_channels;
        let taps = if params.encoder == EncoderKind::Bsa {
            params.bsa().taps()
        } else {
            Vec::new()
        };
        let w = window_len(&params, taps.len());
        let [reference, initial, window] = match arrays {
            Some(a) => a,
            None => [
                alloc::filled("encoder state", 0.0, c)?,
                alloc::filled("encoder state", 0.0, c)?,
                alloc::filled("encoder window", 0.0, w)?,
            ],
        };
        let keys = match params.encoder {
            EncoderKind::Rate | EncoderKind::Poisson => {
                let mut k = alloc::with_capacity("encoder streams", c)?;
                k.extend((0..c as u64).map(|ch| rng::stream(seed, ch).next_u64()));
                k
            }
            _ => Vec::new(),
        };
        Ok(Encoder {
            params,
            seed,
            step,
            reference,
            initial,
            window,
            keys,
            taps,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &EncoderParams {
        &self.params
    }

    /// Channels per sample.
    pub fn num_channels(&self) -> usize {
        self.params.num_channels
    }

    /// The seed in use (rate, poisson).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Samples encoded so far.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// The first sample of each channel (zeros before the first step), which the step decoders
    /// start from.
    pub fn initial(&self) -> &[f64] {
        &self.initial
    }

    /// Back to the start of a stream (the random streams restart too).
    pub fn reset(&mut self) {
        self.step = 0;
        self.reference.fill(0.0);
        self.initial.fill(0.0);
        self.window.fill(0.0);
    }

    /// Encodes one sample: `x` holds one value per channel, `out` receives one spike value per
    /// channel. Nothing is allocated.
    ///
    /// Errors (state and `out` unchanged): wrong lengths; a non-finite value; a negative rate
    /// (poisson).
    pub fn step(&mut self, x: &[f64], out: &mut [i32]) -> Result<()> {
        let c = self.params.num_channels;
        check::len("x", c, x.len())?;
        check::len("out", c, out.len())?;
        check::all_finite("x", x)?;
        if self.params.encoder == EncoderKind::Poisson
            && let Some(i) = x.iter().position(|&r| r < 0.0)
        {
            return Err(invalid(
                "x",
                format!("element {i} is {}, must be >= 0 (a rate in Hz)", x[i]),
            ));
        }
        self.step_unchecked(x, out);
        Ok(())
    }

    /// Encodes `rows` samples of time-first `data` (`rows × num_channels`) into `out` (same size).
    ///
    /// Errors (state and `out` unchanged): as [`step`](Self::step), for any sample.
    pub fn run(&mut self, data: &[f64], out: &mut [i32]) -> Result<()> {
        let c = self.params.num_channels;
        rows_of(data.len(), c)?;
        check::len("out", data.len(), out.len())?;
        check::all_finite("data", data)?;
        if self.params.encoder == EncoderKind::Poisson
            && let Some(i) = data.iter().position(|&r| r < 0.0)
        {
            return Err(invalid(
                "data",
                format!("element {i} is {}, must be >= 0 (a rate in Hz)", data[i]),
            ));
        }
        for (x, o) in data.chunks_exact(c).zip(out.chunks_exact_mut(c)) {
            self.step_unchecked(x, o);
        }
        Ok(())
    }

    fn step_unchecked(&mut self, x: &[f64], out: &mut [i32]) {
        let p = &self.params;
        let first = self.step == 0;
        if first {
            self.initial.copy_from_slice(x);
        }
        let th = p.threshold;
        match p.encoder {
            EncoderKind::Delta => {
                for ((o, r), &v) in out.iter_mut().zip(&mut self.reference).zip(x) {
                    let prev = match (first, p.padding) {
                        (true, true) => v,
                        (true, false) => 0.0,
                        _ => *r,
                    };
                    *o = i32::from(delta_spike(v - prev, th, p.off_spike));
                    *r = v;
                }
            }
            EncoderKind::SendOnDelta => {
                for ((o, r), &v) in out.iter_mut().zip(&mut self.reference).zip(x) {
                    if first {
                        *r = v;
                        *o = 0;
                        continue;
                    }
                    // Saturating cast: a jump of more than 2³¹ quanta sends the most it can.
                    let k = ((v - *r) / th).trunc() as i32;
                    *r += f64::from(k) * th;
                    *o = k;
                }
            }
            EncoderKind::StepForward => {
                for ((o, b), &v) in out.iter_mut().zip(&mut self.reference).zip(x) {
                    if first {
                        *b = v;
                        *o = 0;
                    } else if v > *b + th {
                        *b += th;
                        *o = 1;
                    } else if v < *b - th {
                        *b -= th;
                        *o = -1;
                    } else {
                        *o = 0;
                    }
                }
            }
            EncoderKind::Tbr => {
                for ((o, r), &v) in out.iter_mut().zip(&mut self.reference).zip(x) {
                    let d = if first { 0.0 } else { v - *r };
                    *o = if d > th {
                        1
                    } else if d < -th {
                        -1
                    } else {
                        0
                    };
                    *r = v;
                }
            }
            EncoderKind::MovingWindow => {
                let w = p.window;
                let filled = (self.step as usize).min(w);
                let slot = (self.step % w as u64) as usize;
                for (ch, (o, &v)) in out.iter_mut().zip(x).enumerate() {
                    let ring = &mut self.window[ch * w..(ch + 1) * w];
                    *o = if first {
                        0
                    } else {
                        let base = ring[..filled].iter().sum::<f64>() / filled as f64;
                        if v > base + th {
                            1
                        } else if v < base - th {
                            -1
                        } else {
                            0
                        }
                    };
                    ring[slot] = v;
                }
            }
            EncoderKind::Rate | EncoderKind::Poisson => {
                let step = self.step;
                for ((o, &key), &v) in out.iter_mut().zip(&self.keys).zip(x) {
                    let prob = if p.encoder == EncoderKind::Rate {
                        (p.gain * v + p.offset).clamp(0.0, 1.0)
                    } else {
                        -(-v * p.dt).exp_m1()
                    };
                    *o = i32::from(uniform(key, step) < prob);
                }
            }
            EncoderKind::Bsa => {
                let f = self.taps.len();
                let slot = (self.step % f as u64) as usize;
                let full = self.step + 1 >= f as u64;
                // The oldest buffered sample sits in the next slot once the ring is full.
                let start = (slot + 1) % f;
                for (ch, (o, &v)) in out.iter_mut().zip(x).enumerate() {
                    let ring = &mut self.window[ch * f..(ch + 1) * f];
                    ring[slot] = p.gain * v + p.offset;
                    *o = 0;
                    if full {
                        let (mut e1, mut e2) = (0.0, 0.0);
                        for (j, &h) in self.taps.iter().enumerate() {
                            let r = ring[(start + j) % f];
                            e1 += (r - h).abs();
                            e2 += r.abs();
                        }
                        if e1 <= e2 - th {
                            *o = 1;
                            for (j, &h) in self.taps.iter().enumerate() {
                                ring[(start + j) % f] -= h;
                            }
                        }
                    }
                }
            }
            EncoderKind::Phase => {
                let period = p.period as u64;
                let phase = self.step % period;
                for ((o, r), &v) in out.iter_mut().zip(&mut self.reference).zip(x) {
                    if phase == 0 {
                        *r = v.clamp(0.0, 1.0);
                    }
                    *o = i32::from(phase_of(*r, p.period) == phase);
                }
            }
        }
        self.step += 1;
    }

    /// Reconstructs the signal from this encoder's output `spikes` (`rows × num_channels`, the
    /// whole stream from its first sample), as each encoding's decoder defines it:
    /// - delta: `x̂_t = x̂_{t−1} + θ·s_t` from 0 (or the first sample with `padding`);
    /// - send_on_delta, step_forward, tbr, moving_window: `x̂_t = x_0 + θ·Σ_{k≤t} s_k`
    ///   (Petro et al.'s decoder; the first sample is stored in the encoder);
    /// - rate: `(m_t − offset)/gain`, poisson: `−ln(1 − m_t)/dt`, with `m_t` the mean of the
    ///   spikes of the last `window` steps (a box filter);
    /// - phase: `1 − φ/(period − 1)` for the spike phase `φ` of each cycle, for every step of
    ///   the cycle;
    /// - bsa: the spikes filtered by the taps (spike `k` stands for sample `k − (F − 1)`), then
    ///   `(y − offset)/gain`.
    ///
    /// Errors: wrong lengths; rate, bsa: `gain` 0 (nothing to invert).
    pub fn decode(&self, spikes: &[i32]) -> Result<Vec<f64>> {
        let p = &self.params;
        let c = p.num_channels;
        let rows = rows_of(spikes.len(), c)?;
        let mut out = alloc::filled("decoded signal", 0.0, spikes.len())?;
        match p.encoder {
            EncoderKind::Delta
            | EncoderKind::SendOnDelta
            | EncoderKind::StepForward
            | EncoderKind::Tbr
            | EncoderKind::MovingWindow => {
                let mut acc: Vec<f64> = match p.encoder {
                    EncoderKind::Delta if !p.padding => vec![0.0; c],
                    _ => self.initial.clone(),
                };
                for t in 0..rows {
                    for ch in 0..c {
                        acc[ch] += p.threshold * f64::from(spikes[t * c + ch]);
                        out[t * c + ch] = acc[ch];
                    }
                }
            }
            EncoderKind::Rate | EncoderKind::Poisson => {
                if p.encoder == EncoderKind::Rate && p.gain == 0.0 {
                    return Err(invalid("gain", "is 0: the input cannot be recovered".into()));
                }
                let w = p.window.max(1);
                let mut sum = vec![0i64; c];
                for t in 0..rows {
                    for ch in 0..c {
                        sum[ch] += i64::from(spikes[t * c + ch]);
                        if t >= w {
                            sum[ch] -= i64::from(spikes[(t - w) * c + ch]);
                        }
                        let m = sum[ch] as f64 / (t + 1).min(w) as f64;
                        out[t * c + ch] = if p.encoder == EncoderKind::Rate {
                            (m - p.offset) / p.gain
                        } else {
                            -(-m).ln_1p() / p.dt
                        };
                    }
                }
            }
            EncoderKind::Bsa => {
                if p.gain == 0.0 {
                    return Err(invalid("gain", "is 0: the input cannot be recovered".into()));
                }
                // Spike k stands for sample k - (F - 1); its filter covers that sample onwards.
                let f = self.taps.len();
                for k in (f - 1)..rows {
                    for ch in 0..c {
                        if spikes[k * c + ch] != 0 {
                            for (j, &h) in self.taps.iter().enumerate() {
                                let t = k + 1 - f + j;
                                if t < rows {
                                    out[t * c + ch] += h;
                                }
                            }
                        }
                    }
                }
                for v in out.iter_mut() {
                    *v = (*v - p.offset) / p.gain;
                }
            }
            EncoderKind::Phase => {
                let period = p.period;
                for start in (0..rows).step_by(period) {
                    let end = (start + period).min(rows);
                    for ch in 0..c {
                        let phase = (start..end).find(|&t| spikes[t * c + ch] != 0).map(|t| t - start);
                        let v = phase.map_or(0.0, |ph| 1.0 - ph as f64 / (period - 1) as f64);
                        for t in start..end {
                            out[t * c + ch] = v;
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// The encoder with its state in the versioned neuroquant container (kind `spike_encoder`).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = Writer::new(KIND, KIND_VERSION, serde_json::Value::Null);
        let params = crate::params::serialize::keywords_json(&self.params, "", &mut w)?;
        w.f64s("reference", &self.reference);
        w.f64s("initial", &self.initial);
        w.f64s("window", &self.window);
        w.set_meta(serde_json::json!({"params": params, "seed": self.seed, "step": self.step}));
        Ok(w.finish())
    }

    /// Reads an encoder written by [`to_bytes`](Self::to_bytes); it continues the stream
    /// exactly where the saved one stopped.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind(KIND, KIND_VERSION)?;
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Meta {
            params: serde_json::Map<String, serde_json::Value>,
            seed: u64,
            step: u64,
        }
        let m: Meta = r.meta()?;
        let corrupt = |name: &str, reason: String| -> crate::Error {
            FormatError::Corrupt {
                offset: r.offset_of(name, 0),
                reason,
            }
            .into()
        };
        let params: EncoderParams = crate::params::serialize::keywords_from_json(KIND, &m.params, "", &r)
            .map_err(|e| corrupt("reference", e.to_string()))?;
        let c = params.num_channels;
        let reference = r.f64s("reference")?;
        let initial = r.f64s("initial")?;
        let window = r.f64s("window")?;
        let taps = if params.encoder == EncoderKind::Bsa {
            params.bsa().taps().len()
        } else {
            0
        };
        let w = window_len(&params, taps);
        for (name, a, n) in [
            ("reference", &reference, c),
            ("initial", &initial, c),
            ("window", &window, w),
        ] {
            if a.len() != n {
                return Err(corrupt(name, format!("{} values, expected {n}", a.len())));
            }
            if let Some(i) = a.iter().position(|v| !v.is_finite()) {
                return Err(corrupt(name, format!("value {i} is not finite")));
            }
        }
        Self::with_state(params, m.seed, m.step, Some([reference, initial, window]))
    }
}

const KIND: &str = "spike_encoder";
const KIND_VERSION: u32 = 1;

/// Values of the ring buffer: `window` per channel for the moving window, the filter length for
/// BSA, none otherwise.
fn window_len(params: &EncoderParams, taps: usize) -> usize {
    match params.encoder {
        EncoderKind::MovingWindow => params.window * params.num_channels,
        EncoderKind::Bsa => taps * params.num_channels,
        _ => 0,
    }
}

/// A uniform in [0, 1) for (channel key, step): output `step` of SplitMix64 started at `key`
/// (counter-based, so the state is the step count alone and a resumed stream continues exactly).
#[inline]
fn uniform(key: u64, step: u64) -> f64 {
    let mut s = key.wrapping_add(step.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    (rng::splitmix64(&mut s) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The firing phase of value `v` in [0, 1] in a cycle of `period` steps.
#[inline]
pub(crate) fn phase_of(v: f64, period: usize) -> u64 {
    ((1.0 - v) * (period - 1) as f64).round_ties_even() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spike::SpikeRaster;

    fn encode(p: EncoderParams, x: &[f64]) -> Vec<i32> {
        let mut out = vec![0; x.len()];
        Encoder::new(&p).unwrap().run(x, &mut out).unwrap();
        out
    }

    #[test]
    fn streamed_bsa_makes_the_batch_decisions_filter_length_minus_one_later() {
        // Data already spanning [0, 1], so the batch form's normalisation is the identity.
        let x: Vec<f64> = (0..300)
            .map(|t| 0.5 + 0.5 * (t as f64 * 0.07).sin() * (t as f64 * 0.011).cos())
            .chain([0.0, 1.0])
            .collect();
        let taps = 12;
        let batch =
            super::super::bsa(&x, 1, &BsaParams::default().filter_length(taps).threshold(0.3)).unwrap();
        assert_eq!((batch.shift[0], batch.scale[0]), (0.0, 1.0));
        let p = EncoderParams::default()
            .encoder(EncoderKind::Bsa)
            .filter_length(taps)
            .threshold(0.3);
        let s = encode(p.clone(), &x);
        assert!(s[..taps - 1].iter().all(|&v| v == 0));
        let decided = x.len() - (taps - 1);
        let b = batch.raster.to_dense::<i32>().unwrap();
        assert_eq!(&s[taps - 1..], &b[..decided]);
        assert!(b[..decided].iter().sum::<i32>() > 50, "the signal fires");
        // The streamed decoder puts each spike back where the batch decoder does.
        let mut enc = Encoder::new(&p).unwrap();
        let mut out = vec![0; x.len()];
        enc.run(&x, &mut out).unwrap();
        let y = enc.decode(&out).unwrap();
        let mut trimmed = batch.clone();
        trimmed.raster =
            SpikeRaster::from_dense(x.len(), 1, &[&b[..decided], &vec![0; taps - 1][..]].concat()).unwrap();
        let yb = super::super::bsa_decode(&trimmed);
        for (a, c) in y.iter().zip(&yb) {
            assert!((a - c).abs() < 1e-12);
        }
    }

    #[test]
    fn streamed_delta_gives_snntorch_doc_examples() {
        // spikegen.delta's docstring inputs; a change of exactly the threshold fires (2 - 1 >= 1).
        let run = |x: &[f64], padding: bool, off_spike: bool| {
            let p = EncoderParams::default()
                .encoder(EncoderKind::Delta)
                .threshold(1.0)
                .padding(padding)
                .off_spike(off_spike);
            encode(p, x)
        };
        let a = [1.0, 2.0, 2.9, 3.0, 3.9];
        assert_eq!(run(&a, false, false), [1, 1, 0, 0, 0]);
        assert_eq!(run(&a, true, false), [0, 1, 0, 0, 0]);
        let b = [1.0, 2.0, 0.0, 2.0, 2.9];
        assert_eq!(run(&b, false, true), [1, 1, -1, 1, 0]);
        assert_eq!(run(&b, true, true), [0, 1, -1, 1, 0]);
    }

    #[test]
    fn decoding_with_gain_zero_is_refused() {
        for kind in [EncoderKind::Rate, EncoderKind::Bsa] {
            let enc = Encoder::new(&EncoderParams::default().encoder(kind).gain(0.0)).unwrap();
            let e = enc.decode(&[0; 20]).unwrap_err().to_string();
            assert!(e.contains("argument `gain`: is 0"), "{kind:?}: {e}");
        }
    }

    #[test]
    fn streamed_poisson_fires_with_probability_one_minus_exp_rate_dt() {
        // Counts within 5 SD of the binomial mean N·p, p = 1 − e^(−r·dt) (r·dt would be 0.5 and
        // 2 for the upper rates: thousands of counts off). Fixed seed.
        let rates = [0.0, 50.0, 500.0, 2000.0];
        let p = EncoderParams::default()
            .encoder(EncoderKind::Poisson)
            .num_channels(4)
            .dt(1e-3)
            .seed(Some(11));
        let n = 20_000;
        let x: Vec<f64> = (0..n).flat_map(|_| rates).collect();
        let s = encode(p, &x);
        for (c, &r) in rates.iter().enumerate() {
            let count = (0..n).filter(|&t| s[t * 4 + c] != 0).count() as f64;
            let q = 1.0 - (-r * 1e-3f64).exp();
            let sd = (n as f64 * q * (1.0 - q)).sqrt();
            assert!(
                (count - n as f64 * q).abs() <= 5.0 * sd + 1e-9,
                "rate {r}: {count} spikes, expected {}",
                n as f64 * q
            );
        }
    }

    #[test]
    fn step_forward_by_hand() {
        // θ = 0.5 on [0, 1, 1, 0, -1, -1, 0]: the baseline 0 → 0.5 (up), stays, stays (0 is not
        // below 0.5 − 0.5), → 0 (down), → −0.5 (down), stays (0 is within ±θ of −0.5).
        let p = EncoderParams::default()
            .encoder(EncoderKind::StepForward)
            .threshold(0.5);
        let x = [0.0, 1.0, 1.0, 0.0, -1.0, -1.0, 0.0];
        let s = encode(p.clone(), &x);
        assert_eq!(s, [0, 1, 0, 0, -1, -1, 0]);
        let mut e = Encoder::new(&p).unwrap();
        e.run(&x, &mut [0; 7]).unwrap();
        assert_eq!(e.decode(&s).unwrap(), [0.0, 0.5, 0.5, 0.5, 0.0, -0.5, -0.5]);
    }

    #[test]
    fn moving_window_and_tbr_by_hand() {
        // Window 2, θ = 0.5 on [2, 2.2, 2.2, 3, 1]: baselines 2 (one sample so far), 2.1, 2.2,
        // 2.6 → 0, 0, +1 (3 > 2.7), −1 (1 < 2.1).
        let p = EncoderParams::default()
            .encoder(EncoderKind::MovingWindow)
            .window(2)
            .threshold(0.5);
        assert_eq!(encode(p, &[2.0, 2.2, 2.2, 3.0, 1.0]), [0, 0, 0, 1, -1]);
        // TBR: changes 0.2, 0, 0.8, −2 against θ = 0.5.
        let p = EncoderParams::default().encoder(EncoderKind::Tbr).threshold(0.5);
        assert_eq!(encode(p, &[2.0, 2.2, 2.2, 3.0, 1.0]), [0, 0, 0, 1, -1]);
        // Send-on-delta, quantum 0.5: 2 → 3.6 sends trunc(1.6/0.5) = 3, ref 3.5; → 2.4 sends −2.
        let p = EncoderParams::default()
            .encoder(EncoderKind::SendOnDelta)
            .threshold(0.5);
        assert_eq!(encode(p, &[2.0, 3.6, 2.4]), [0, 3, -2]);
    }
}
