//! Batch decoders of the snnTorch-style batch encoders that have an inverse: rate (spike
//! frequency back to the input), Poisson (spike frequency back to a rate in Hz) and delta (the
//! staircase of ±threshold steps). Score a decoding with
//! [`Reconstruction`](super::Reconstruction) (NRMSE, spikes per sample).

use super::SpikeRaster;
use crate::error::{ArgumentError, check};
use crate::params::params;
use crate::{Result, alloc};

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

params! {
    /// Decoding of rate-coded spikes (the inverse of snnTorch's spikegen.rate): the spike
    /// frequency m of each channel over the steps from first_spike_time on (or over a window of
    /// the last steps) estimates clamp(gain·x + offset, 0, 1), so x̂ = (m − offset)/gain.
    pub struct RateDecodeParams {
        /// Scale the encoder applied to the input (must not be 0).
        keyword gain: f64 = 1.0,
        /// Shift the encoder added to the scaled input.
        keyword offset: f64 = 0.0,
        /// Leading silent steps the encoder produced; they are dropped before decoding.
        keyword first_spike_time: usize = 0,
        /// None: one value per channel from every step (time-static data). A number w: one value
        /// per step from the mean of the last w steps (time-varying data; the streaming
        /// decoder's box filter).
        keyword window: Option<usize> = None,
    }
}

impl RateDecodeParams {
    fn check(&self) -> Result<()> {
        check::finite("gain", self.gain)?;
        check::finite("offset", self.offset)?;
        if self.gain == 0.0 {
            return Err(invalid("gain", "is 0: the input cannot be recovered".into()));
        }
        if self.window == Some(0) {
            return Err(invalid("window", "is 0, must be at least 1 (or None)".into()));
        }
        Ok(())
    }
}

params! {
    /// Decoding of Poisson spike trains (the inverse of poisson): the spike frequency m of each
    /// channel estimates 1 − exp(−rate·dt), so rate = −ln(1 − m)/dt (the maximum-likelihood
    /// estimate). A channel that fired on every step of n has an infinite estimate; it is
    /// reported with m = 1 − 1/(2n), the largest finite one.
    pub struct PoissonDecodeParams {
        /// Step length in seconds the trains were drawn with.
        keyword dt: f64 = 1e-3,
        /// None: one rate per channel from every step. A number w: one rate per step from the
        /// last w steps.
        keyword window: Option<usize> = None,
    }
}

impl PoissonDecodeParams {
    fn check(&self) -> Result<()> {
        check::finite("dt", self.dt)?;
        if self.dt <= 0.0 {
            return Err(invalid("dt", format!("is {}, must be > 0", self.dt)));
        }
        if self.window == Some(0) {
            return Err(invalid("window", "is 0, must be at least 1 (or None)".into()));
        }
        Ok(())
    }
}

params! {
    /// Decoding of delta-modulated spikes (the inverse of snnTorch's spikegen.delta): each spike
    /// is a step of ±threshold, x̂_t = x̂_{t−1} + threshold·s_t from the value before the first
    /// step (0, as the encoder compares the first sample with 0 unless padding is set).
    pub struct DeltaDecodeParams {
        /// The encoder's threshold: the size of one step.
        keyword threshold: f64 = 0.1,
        /// The value of each channel before the first step (None: zeros; with padding=True give
        /// the first sample, since the encoder compared it with itself).
        keyword initial: Option<Vec<f64>> = None,
    }
}

impl DeltaDecodeParams {
    fn check(&self) -> Result<()> {
        check::finite("threshold", self.threshold)?;
        if let Some(v) = &self.initial {
            check::all_finite("initial", v)?;
        }
        Ok(())
    }
}

/// Refuses off spikes in a raster of an encoding that has none.
fn unsigned(raster: &SpikeRaster, encoding: &str) -> Result<()> {
    if raster.is_signed() {
        return Err(invalid(
            "raster",
            format!("holds off spikes (-1), which {encoding} coding never emits"),
        ));
    }
    Ok(())
}

/// The spike frequency of each channel: over all `rows` steps from `first` (window None,
/// `num_channels` values), or over the last `w` steps at each step (`(rows − first) ×
/// num_channels` values, the first steps averaging the steps seen so far).
fn frequencies(raster: &SpikeRaster, first: usize, window: Option<usize>) -> Result<Vec<f64>> {
    let (rows, c) = (raster.num_steps(), raster.num_channels());
    let steps = rows.saturating_sub(first);
    match window {
        None => {
            if steps == 0 {
                return Err(invalid(
                    "raster",
                    format!("has {rows} steps, none after first_spike_time = {first} to decode"),
                ));
            }
            let mut counts = alloc::filled("decoded values", 0.0f64, c)?;
            for t in first..rows {
                for ch in raster.active(t) {
                    counts[ch] += 1.0;
                }
            }
            let n = steps as f64;
            for v in &mut counts {
                *v /= n;
            }
            Ok(counts)
        }
        Some(w) => {
            let mut out = alloc::filled("decoded values", 0.0f64, steps * c)?;
            let mut sum = alloc::filled("decoded values (window sums)", 0u64, c)?;
            for (k, t) in (first..rows).enumerate() {
                for ch in raster.active(t) {
                    sum[ch] += 1;
                }
                if k >= w {
                    for ch in raster.active(t - w) {
                        sum[ch] -= 1;
                    }
                }
                let n = (k + 1).min(w) as f64;
                for (o, &s) in out[k * c..(k + 1) * c].iter_mut().zip(&sum) {
                    *o = s as f64 / n;
                }
            }
            Ok(out)
        }
    }
}

/// Decodes a rate-coded raster (from [`rate`](fn@super::rate)): `x̂ = (m − offset)/gain` with `m` the
/// spike frequency of each channel over the steps from `first_spike_time` on (window None: one
/// value per channel) or over the last `window` steps (one value per step and channel, time-first;
/// equal to the streaming rate encoder's decoder).
///
/// `m` estimates `p = clamp(gain·x + offset, 0, 1)` with standard deviation `√(p(1−p)/n)` over
/// `n` steps, so `x` is recovered where `gain·x + offset` lies in `[0, 1]`.
///
/// Errors: the [`RateDecodeParams`] rules (gain 0 has no inverse); off spikes; no step after
/// `first_spike_time` (window None).
pub fn rate_decode(raster: &SpikeRaster, params: &RateDecodeParams) -> Result<Vec<f64>> {
    params.validate()?;
    unsigned(raster, "rate")?;
    let mut m = frequencies(raster, params.first_spike_time, params.window)?;
    for v in &mut m {
        *v = (*v - params.offset) / params.gain;
    }
    Ok(m)
}

/// Decodes Poisson spike trains (from [`poisson`](fn@super::poisson)) into rates in Hz:
/// `r̂ = −ln(1 − m)/dt` with `m` the spike frequency over all steps (one rate per channel) or over
/// the last `window` steps (one per step and channel). `m = 1` (every step fired) is read as
/// `1 − 1/(2n)` for `n` steps averaged, the largest finite estimate.
///
/// Errors: the [`PoissonDecodeParams`] rules; off spikes; an empty raster (window None).
pub fn poisson_decode(raster: &SpikeRaster, params: &PoissonDecodeParams) -> Result<Vec<f64>> {
    params.validate()?;
    unsigned(raster, "Poisson")?;
    let mut m = frequencies(raster, 0, params.window)?;
    let c = raster.num_channels().max(1);
    for (i, v) in m.iter_mut().enumerate() {
        let n = match params.window {
            None => raster.num_steps(),
            Some(w) => (i / c + 1).min(w),
        } as f64;
        let p = v.min(1.0 - 0.5 / n);
        *v = -(-p).ln_1p() / params.dt;
    }
    Ok(m)
}

/// Decodes delta-modulated spikes (from [`delta`](fn@super::delta)): the staircase
/// `x̂_t = x̂_{t−1} + threshold·s_t` with `s_t ∈ {−1, 0, 1}`, from `initial` (zeros by default), one
/// value per step and channel, time-first. A signal whose every change is 0 or ±threshold (and,
/// with `off_spike`, whose falls are encoded) is reconstructed exactly.
///
/// Errors: the [`DeltaDecodeParams`] rules; `initial` of another length than the channels.
pub fn delta_decode(raster: &SpikeRaster, params: &DeltaDecodeParams) -> Result<Vec<f64>> {
    params.validate()?;
    let (rows, c) = (raster.num_steps(), raster.num_channels());
    let mut acc = match &params.initial {
        Some(v) => {
            check::len("initial", c, v.len())?;
            v.clone()
        }
        None => vec![0.0; c],
    };
    let mut out = alloc::filled("decoded values", 0.0f64, rows * c)?;
    let th = params.threshold;
    for (t, row) in out.chunks_exact_mut(c.max(1)).enumerate().take(rows) {
        for (ch, s) in raster.active_signed(t) {
            acc[ch] += th * f64::from(s);
        }
        row.copy_from_slice(&acc);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders_by_hand() {
        // Two channels, 4 steps: channel 0 fires 3 times, channel 1 once.
        let r = SpikeRaster::from_dense(4, 2, &[1u8, 0, 1, 1, 0, 0, 1, 0]).unwrap();
        let p = RateDecodeParams::default().gain(0.5).offset(0.25);
        // m = 3/4, 1/4 → (m − .25)/.5 = 1, 0.
        assert_eq!(rate_decode(&r, &p).unwrap(), [1.0, 0.0]);
        // Drop the first step: m = 2/3, 1/3.
        let d = rate_decode(&r, &RateDecodeParams::default().first_spike_time(1)).unwrap();
        assert_eq!(d, [2.0 / 3.0, 1.0 / 3.0]);
        // Window 2: steps (1,0), (1,1), (0,0), (1,0) → means (1,0), (1,.5), (.5,.5), (.5,0).
        let w = rate_decode(&r, &RateDecodeParams::default().window(Some(2))).unwrap();
        assert_eq!(w, [1.0, 0.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.0]);
        // Poisson: m = 3/4 → −ln(1/4)/dt; a full channel reads m = 1 − 1/8.
        let full = SpikeRaster::from_dense(4, 1, &[1u8; 4]).unwrap();
        let pp = PoissonDecodeParams::default().dt(0.5);
        assert_eq!(poisson_decode(&r, &pp).unwrap()[0], -(0.25f64).ln() / 0.5);
        assert_eq!(poisson_decode(&full, &pp).unwrap(), [-(0.125f64).ln() / 0.5]);
        // Delta: +1, +1, −1, 0 from 2 with threshold 0.5 → 2.5, 3, 2.5, 2.5.
        let s = SpikeRaster::from_dense(4, 1, &[1i8, 1, -1, 0]).unwrap();
        let dp = DeltaDecodeParams::default()
            .threshold(0.5)
            .initial(Some(vec![2.0]));
        assert_eq!(delta_decode(&s, &dp).unwrap(), [2.5, 3.0, 2.5, 2.5]);
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let r = SpikeRaster::from_dense(2, 1, &[1u8, 0]).unwrap();
        let e = rate_decode(&r, &RateDecodeParams::default().gain(0.0)).unwrap_err();
        assert!(e.to_string().contains("gain"), "{e}");
        let e = rate_decode(&r, &RateDecodeParams::default().window(Some(0))).unwrap_err();
        assert!(e.to_string().contains("window"), "{e}");
        let e = rate_decode(&r, &RateDecodeParams::default().first_spike_time(2)).unwrap_err();
        assert!(e.to_string().contains("first_spike_time"), "{e}");
        let e = poisson_decode(&r, &PoissonDecodeParams::default().dt(0.0)).unwrap_err();
        assert!(e.to_string().contains("dt"), "{e}");
        let signed = SpikeRaster::from_dense(2, 1, &[1i8, -1]).unwrap();
        let e = rate_decode(&signed, &RateDecodeParams::default()).unwrap_err();
        assert!(e.to_string().contains("off spikes"), "{e}");
        let e = delta_decode(&r, &DeltaDecodeParams::default().initial(Some(vec![0.0; 2]))).unwrap_err();
        assert!(e.to_string().contains("initial"), "{e}");
        let e = delta_decode(&r, &DeltaDecodeParams::default().threshold(f64::NAN)).unwrap_err();
        assert!(e.to_string().contains("threshold"), "{e}");
    }
}
