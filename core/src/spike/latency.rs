//! Latency (time-to-first-spike) coding with snnTorch's `spikegen.latency` semantics.

use super::SpikeRaster;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::params;

params! {
    /// Latency coding (snnTorch `spikegen.latency`): each input fires once, at
    /// round(τ·ln(x / (x − threshold))) (an RC circuit charging to the threshold) or, with
    /// linear, at round(τ·(1 − x)); larger inputs fire earlier.
    pub struct LatencyParams {
        /// Number of time steps of the raster.
        keyword num_steps: usize = 1,
        /// Inputs below it fire at the latest time, or not at all with clip; in (0, 1).
        keyword threshold: f64 = 0.01,
        /// Inputs are clamped to at least threshold + epsilon before the logarithm.
        keyword epsilon: f64 = 1e-7,
        /// RC time constant of the log form, or slope of the linear form (in steps); > 0.
        keyword tau: f64 = 1.0,
        /// The earliest spike is shifted to this step (inputs must then lie in [0, 1]).
        keyword first_spike_time: usize = 0,
        /// Inputs below threshold do not fire.
        keyword clip: bool = false,
        /// Rescale the times so the latest spike falls on num_steps - 1.
        keyword normalize: bool = false,
        /// Linear code t = τ(1 − x) instead of the logarithmic one.
        keyword linear: bool = false,
    }
}

impl LatencyParams {
    fn check(&self) -> Result<()> {
        check::finite("threshold", self.threshold)?;
        check::finite("epsilon", self.epsilon)?;
        check::finite("tau", self.tau)?;
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return Err(invalid(
                "threshold",
                format!("is {}, must be in (0, 1)", self.threshold),
            ));
        }
        if self.epsilon < 0.0 {
            return Err(invalid("epsilon", format!("is {}, must be >= 0", self.epsilon)));
        }
        if self.tau <= 0.0 {
            return Err(invalid("tau", format!("is {}, must be > 0", self.tau)));
        }
        if self.num_steps == 0 {
            return Err(invalid("num_steps", "is 0, must be at least 1".into()));
        }
        if self.first_spike_time > self.num_steps - 1 {
            return Err(invalid(
                "first_spike_time",
                format!(
                    "is {}, must be at most num_steps - 1 = {}",
                    self.first_spike_time,
                    self.num_steps - 1
                ),
            ));
        }
        Ok(())
    }
}

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

/// Spike times before rounding, exactly as snnTorch's `latency_code` computes them (in `f64`),
/// and which inputs lie below the threshold.
///
/// Log form: `x ← max(x, θ + ε)`, `t = τ·ln(x / (x − θ))`; with `first_spike_time = f > 0`,
/// `t ← t − f·(min t / f − 1)`; with `normalize`, `t ← (t − f)·(T − f − 1) / max(t − f) + f`
/// (left as it is when `max(t − f) = 0`, where snnTorch divides by zero).
/// Linear form: with `normalize`, `τ = T − 1 − f`; `t = min(−τ(x − 1), −τ(θ − 1)) + f`, and when
/// normalized times are negative (inputs above 1) they are rescaled to `[0, T − 1]`.
///
/// Errors: non-finite data; the [`LatencyParams`] rules; `first_spike_time > 0` with data both
/// above 1 and below 0; `linear` without `normalize` and data above 1 (negative times).
pub fn latency_times(data: &[f64], params: &LatencyParams) -> Result<(Vec<f64>, Vec<bool>)> {
    params.validate()?;
    check::all_finite("data", data)?;
    let (theta, tau0, f) = (params.threshold, params.tau, params.first_spike_time as f64);
    let steps = params.num_steps as f64;
    let (min, max) = data
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if params.first_spike_time > 0 && max > 1.0 && min < 0.0 {
        return Err(invalid(
            "data",
            "first_spike_time can only be applied to data between 0 and 1".into(),
        ));
    }
    let below: Vec<bool> = data.iter().map(|&x| x < theta).collect();
    let mut t: Vec<f64>;
    if !params.linear {
        let floor = theta + params.epsilon;
        t = data
            .iter()
            .map(|&x| {
                let x = x.max(floor);
                tau0 * (x / (x - theta)).ln()
            })
            .collect();
        if params.first_spike_time > 0 {
            let m = t.iter().copied().fold(f64::INFINITY, f64::min);
            for v in &mut t {
                *v -= f * (m / f - 1.0);
            }
        }
        if params.normalize {
            let m = t.iter().map(|v| v - f).fold(f64::NEG_INFINITY, f64::max);
            if m > 0.0 {
                for v in &mut t {
                    *v = (*v - f) * (steps - f - 1.0) / m + f;
                }
            }
        }
    } else {
        if max > 1.0 && !params.normalize {
            return Err(invalid(
                "data",
                format!(
                    "has values up to {max}; with linear=True, data > 1 gives negative spike times: set normalize=True or keep data <= 1"
                ),
            ));
        }
        let tau = if params.normalize { steps - 1.0 - f } else { tau0 };
        let cap = -tau * (theta - 1.0);
        t = data.iter().map(|&x| (-tau * (x - 1.0)).min(cap) + f).collect();
        let tmin = t.iter().copied().fold(f64::INFINITY, f64::min);
        if tmin < 0.0 && params.normalize {
            let tmax = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for v in &mut t {
                *v = (*v - tmin) * (1.0 / (tmax - tmin)) * (steps - 1.0);
            }
        }
    }
    Ok((t, below))
}

/// A latency raster and how many spikes were moved into range.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyOutput {
    /// `num_steps × data.len()`: one spike per input (none for clipped inputs).
    pub raster: SpikeRaster,
    /// Spikes whose rounded time was past the last step and were placed on the last step (a
    /// warning in Python). snnTorch clamps them too but then clears the whole last step,
    /// deleting in-range spikes there as well; we keep every input's spike instead.
    pub clamped: usize,
}

/// Latency coding with snnTorch's `spikegen.latency` semantics: input `i` fires once, at step
/// `round_half_even(t_i)` of [`latency_times`] (torch.round), into a `num_steps × data.len()`
/// raster. With `clip`, inputs below the threshold do not fire.
///
/// Errors: those of [`latency_times`]; raster sizes as in [`SpikeRaster::new`].
///
/// ```
/// use neuroquant::spike::{LatencyParams, latency};
/// // snnTorch's doc example: latency([0.02, 0.5, 1], num_steps=5, normalize=True, linear=True).
/// let p = LatencyParams::default().num_steps(5).normalize(true).linear(true);
/// let out = latency(&[0.02, 0.5, 1.0], &p)?;
/// assert_eq!(out.raster.to_dense::<u8>()?, [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn latency(data: &[f64], params: &LatencyParams) -> Result<LatencyOutput> {
    let (times, below) = latency_times(data, params)?;
    let mut raster = SpikeRaster::new(params.num_steps, data.len())?;
    let last = params.num_steps - 1;
    let mut clamped = 0;
    let words = raster.words_per_step();
    // One on bit per input, set directly (the checked `put` cost a fifth of the run under perf).
    let on = raster.on_words_mut();
    for (c, (&t, &b)) in times.iter().zip(&below).enumerate() {
        if params.clip && b {
            continue;
        }
        let r = t.round_ties_even();
        let step = if r > last as f64 {
            clamped += 1;
            last
        } else {
            // Times are never negative (see latency_times); max(0) guards the cast.
            r.max(0.0) as usize
        };
        on[step * words + c / 64] |= 1u64 << (c % 64);
    }
    Ok(LatencyOutput { raster, clamped })
}

/// Inverts the latency code: the input value that fires at (unrounded) time `t`, for the forms
/// whose times do not depend on the rest of the data: the log form without `normalize` or
/// `first_spike_time` (`x = θ / (1 − e^(−t/τ))`), and the linear form (`x = 1 − (t − f)/τ`,
/// with `τ = T − 1 − f` when normalized). A spike at step `t` stands for times in
/// `[t − ½, t + ½]`, so the decoded value is within the inverse of that interval.
///
/// Errors: a form without a data-independent inverse; the [`LatencyParams`] rules.
pub fn latency_decode(step: f64, params: &LatencyParams) -> Result<f64> {
    params.validate()?;
    check::finite("step", step)?;
    let f = params.first_spike_time as f64;
    if params.linear {
        let tau = if params.normalize {
            params.num_steps as f64 - 1.0 - f
        } else {
            params.tau
        };
        if tau <= 0.0 {
            return Err(invalid(
                "num_steps",
                "leaves no room for a linear code after first_spike_time".into(),
            ));
        }
        return Ok(1.0 - (step - f) / tau);
    }
    if params.normalize || params.first_spike_time > 0 {
        return Err(invalid(
            "normalize",
            "the log code with normalize or first_spike_time is rescaled by the data's own extremes and cannot be decoded alone".into(),
        ));
    }
    Ok(params.threshold / (-(-step / params.tau).exp_m1()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snntorch_latency_code_doc_example() {
        // latency_code([0.02, 0.5, 1], num_steps=5, normalize=True, linear=True) = [3.92, 2, 0].
        let p = LatencyParams::default().num_steps(5).normalize(true).linear(true);
        let (t, below) = latency_times(&[0.02, 0.5, 1.0], &p).unwrap();
        assert!((t[0] - 3.92).abs() < 1e-12 && t[1] == 2.0 && t[2] == 0.0, "{t:?}");
        assert_eq!(below, [false; 3]);
    }

    #[test]
    fn log_times_are_rc_charge_times() {
        // t = τ ln(x / (x − θ)) by hand: x = 0.5, θ = 0.01, τ = 5 → 5·ln(0.5/0.49).
        let p = LatencyParams::default().num_steps(10).tau(5.0);
        let (t, _) = latency_times(&[0.5], &p).unwrap();
        assert!((t[0] - 5.0 * (0.5f64 / 0.49).ln()).abs() < 1e-15);
        // Below threshold: clamped to θ+ε, time τ ln((θ+ε)/ε) → past the raster, so clamped.
        let out = latency(&[0.0, 1.0], &p).unwrap();
        assert_eq!(out.clamped, 1);
        assert_eq!(out.raster.active(9).collect::<Vec<_>>(), vec![0]);
        let out = latency(&[0.0, 1.0], &p.clone().clip(true)).unwrap();
        assert_eq!(out.raster.count(), 1);
        // Round half to even: linear τ = 1, x = 0.5 → t = 0.5 → step 0; x = -0.5 capped.
        let p = LatencyParams::default().num_steps(4).linear(true).tau(3.0);
        let out = latency(&[0.5, 1.0 / 6.0], &p).unwrap();
        // t = 1.5 → 2 (even), t = 2.5 → 2 (even).
        assert_eq!(out.raster.active(2).collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn first_spike_time_shifts_the_earliest_spike_onto_it() {
        // snnTorch: t − f·(min t / f − 1) = t − min t + f, so the earliest time is f and the
        // differences are kept.
        let x = [0.9, 0.5, 0.2];
        let base = latency_times(&x, &LatencyParams::default().num_steps(50).tau(5.0))
            .unwrap()
            .0;
        let p = LatencyParams::default()
            .num_steps(50)
            .tau(5.0)
            .first_spike_time(4);
        let (t, _) = latency_times(&x, &p).unwrap();
        assert!((t[0] - 4.0).abs() < 1e-12, "{t:?}");
        for i in 1..3 {
            assert!(((t[i] - t[0]) - (base[i] - base[0])).abs() < 1e-12);
        }
    }

    #[test]
    fn each_input_fires_once_at_its_rounded_time_across_many_words() {
        // 150 inputs span three raster words; the cell of input c is the rounded time of
        // latency_times (clamped to the last step), nothing else fires.
        let x: Vec<f64> = (0..150).map(|i| ((i * 37) % 150) as f64 / 149.0).collect();
        let p = LatencyParams::default().num_steps(7).tau(3.0).clip(true);
        let (times, below) = latency_times(&x, &p).unwrap();
        let r = latency(&x, &p).unwrap().raster;
        for (c, (&t, &b)) in times.iter().zip(&below).enumerate() {
            let step = (t.round_ties_even() as usize).min(6);
            for s in 0..7 {
                assert_eq!(r.get(s, c), !b && s == step, "input {c} step {s}");
            }
        }
    }

    #[test]
    fn decoding_inverts_the_code() {
        let p = LatencyParams::default().num_steps(100).tau(20.0);
        for &x in &[0.02, 0.1, 0.5, 0.9, 1.0] {
            let (t, _) = latency_times(&[x], &p).unwrap();
            assert!((latency_decode(t[0], &p).unwrap() - x).abs() < 1e-12);
        }
        let p = p.linear(true).normalize(true).first_spike_time(3);
        for &x in &[0.02, 0.5, 1.0] {
            let (t, _) = latency_times(&[x], &p).unwrap();
            assert!((latency_decode(t[0], &p).unwrap() - x).abs() < 1e-12);
        }
    }

    #[test]
    fn bad_parameters_name_themselves() {
        let e = latency(&[0.5], &LatencyParams::default().threshold(1.0)).unwrap_err();
        assert_eq!(e.to_string(), "argument `threshold`: is 1, must be in (0, 1)");
        let e = latency(&[0.5], &LatencyParams::default().num_steps(3).first_spike_time(3)).unwrap_err();
        assert!(e.to_string().contains("first_spike_time"), "{e}");
        let e = latency(&[2.0], &LatencyParams::default().linear(true)).unwrap_err();
        assert!(e.to_string().starts_with("argument `data`"), "{e}");
        assert!(latency(&[f64::NAN], &LatencyParams::default()).is_err());
    }
}
