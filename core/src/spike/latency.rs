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

/// snnTorch's refusal of `first_spike_time` for data both above 1 and below 0; the data's maximum.
fn check_range(data: &[f64], params: &LatencyParams) -> Result<f64> {
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
    Ok(max)
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
    let max = check_range(data, params)?;
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
    if !params.linear {
        return latency_log(data, params);
    }
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

/// The log form's time chain after the logarithm, exactly as [`latency_times`] evaluates it:
/// `t = τ·L`, then `t − c` (first_spike_time), then `(t − f)·a / m + f` (normalize).
#[derive(Clone, Copy)]
struct Chain {
    tau: f64,
    shift: Option<f64>,
    norm: Option<(f64, f64, f64)>,
    last: usize,
}

impl Chain {
    /// The shifted time `τ·L − c`, before normalization.
    fn shifted(&self, l: f64) -> f64 {
        let t = self.tau * l;
        match self.shift {
            Some(c) => t - c,
            None => t,
        }
    }

    /// The spike step of log-ratio `l`, `last + 1` standing for "past the last step".
    /// Non-decreasing in `l`: every operation (a product or quotient by a positive constant, a
    /// sum with a constant, round half to even, the clamps) is non-decreasing in its argument in
    /// floating point, rounding being monotone.
    fn step(&self, l: f64) -> usize {
        let mut t = self.shifted(l);
        if let Some((f, a, m)) = self.norm {
            t = (t - f) * a / m + f;
        }
        let r = t.round_ties_even();
        if r > self.last as f64 {
            self.last + 1
        } else {
            r.max(0.0) as usize
        }
    }

    /// `B_k` for `k = 1..=last + 1`: the smallest non-negative `l` with `step(l) >= k` (binary
    /// search over the ordered bit patterns of non-negative floats up to 1000 > ln(f64::MAX)),
    /// infinite when no such `l` exists.
    fn bounds(&self) -> Vec<f64> {
        let top = 1000f64.to_bits();
        (1..=self.last + 1)
            .map(|k| {
                if self.step(f64::from_bits(top)) < k {
                    return f64::INFINITY;
                }
                let (mut lo, mut hi) = (0u64, top);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if self.step(f64::from_bits(mid)) >= k {
                        hi = mid
                    } else {
                        lo = mid + 1
                    }
                }
                f64::from_bits(lo)
            })
            .collect()
    }
}

/// Relative guard band around each threshold ratio, and the span of candidates for the extreme
/// log-ratios: `ln(1 ± BAND)` is about ±10⁻¹¹, nearly a hundred times the worst error the log
/// may have (1 ulp of ln(f64::MAX) ≈ 1.1·10⁻¹³, glibc's `log` staying within 1 ulp) plus that of
/// `exp` and of the products below.
const BAND: f64 = 1e-11;

/// The bit pattern of 1.0 and ln 2 per unit of the last place of the exponent field, for the
/// rough logarithm `ln q ≈ (bits(q) − bits(1))·ln2/2⁵²` (Mitchell 1962).
const ONE_BITS: f64 = 4_607_182_418_800_017_408.0;
const LN2_PER_BIT: f64 = std::f64::consts::LN_2 / 4_503_599_627_370_496.0;

/// The log-form latency code without a logarithm per input: spike steps are non-decreasing in
/// the log-ratio `L = ln(q)`, `q = x'/(x' − θ)` ([`Chain::step`]), so step `k` is reached exactly
/// when `L >= B_k` ([`Chain::bounds`]). Since `ln` is increasing and the library's `ln` is
/// within `BAND` of it, `q >= e^{B_k}(1 + BAND)` guarantees `L >= B_k` and `q < e^{B_k}(1 −
/// BAND)` guarantees `L < B_k`; an input whose `q` lies inside a band (rare: a relative width of
/// 2·10⁻¹¹ around each of the `num_steps` thresholds) takes the exact path, `step(q.ln())`,
/// which is [`latency_times`]'s formula. The extremes of `L` that normalize and
/// first_spike_time need are taken exactly the same way: the logarithm of each distinct `q`
/// within `BAND` of the extreme `q`. So every spike lands where [`latency_times`] and round half
/// to even put it (tested on random and boundary inputs against it).
fn latency_log(data: &[f64], params: &LatencyParams) -> Result<LatencyOutput> {
    params.validate()?;
    check::all_finite("data", data)?;
    if params.first_spike_time > 0 {
        check_range(data, params)?;
    }
    let mut raster = SpikeRaster::new(params.num_steps, data.len())?;
    if data.is_empty() {
        return Ok(LatencyOutput { raster, clamped: 0 });
    }
    let (theta, tau, f) = (params.threshold, params.tau, params.first_spike_time as f64);
    let floor = theta + params.epsilon;
    // The ratios whose logarithms latency_times takes, by the same operations.
    let mut ratios: Vec<f64> = crate::alloc::with_capacity("latency ratios", data.len())?;
    ratios.extend(data.iter().map(|&x| {
        let x = x.max(floor);
        x / (x - theta)
    }));
    let last = params.num_steps - 1;
    let mut chain = Chain {
        tau,
        shift: None,
        norm: None,
        last,
    };
    if params.first_spike_time > 0 || params.normalize {
        // Plain comparisons (the ratios are finite, never NaN): a tight loop, unlike f64::min.
        let (mut qmin, mut qmax) = (f64::INFINITY, f64::NEG_INFINITY);
        for &q in &ratios {
            qmin = if q < qmin { q } else { qmin };
            qmax = if q > qmax { q } else { qmax };
        }
        // The exact extremes of ln over the inputs: the logarithm of each distinct ratio close
        // enough to the extreme ratio to be the extreme log (see above).
        let extreme = |inside: &dyn Fn(f64) -> bool, better: fn(f64, f64) -> f64, start: f64| {
            let mut best = start;
            let mut seen = f64::NAN;
            for &q in &ratios {
                if inside(q) && q != seen {
                    seen = q;
                    best = better(best, q.ln());
                }
            }
            best
        };
        let lmin = extreme(&|q| q <= qmin * (1.0 + BAND), f64::min, f64::INFINITY);
        let lmax = extreme(&|q| q >= qmax * (1.0 - BAND), f64::max, f64::NEG_INFINITY);
        if params.first_spike_time > 0 {
            let m = tau * lmin;
            chain.shift = Some(f * (m / f - 1.0));
        }
        if params.normalize {
            let m = chain.shifted(lmax) - f;
            if m > 0.0 {
                chain.norm = Some((f, params.num_steps as f64 - f - 1.0, m));
            }
        }
    }
    let bounds = chain.bounds();
    // Ratios at or above `sure[k]` have L >= B_{k+1}; below `maybe[k]`, L < B_{k+1}. Made
    // monotone (a running max from below, a running min from above), which only widens the
    // bands; then maybe[k] <= sure[k] for every k.
    let mut sure: Vec<f64> = bounds.iter().map(|b| b.exp() * (1.0 + BAND)).collect();
    let mut maybe: Vec<f64> = bounds.iter().map(|b| b.exp() * (1.0 - BAND)).collect();
    for k in 1..sure.len() {
        sure[k] = sure[k].max(sure[k - 1]);
    }
    for k in (0..maybe.len().saturating_sub(1)).rev() {
        maybe[k] = maybe[k].min(maybe[k + 1]);
    }
    maybe.push(f64::INFINITY);
    let n = sure.len();
    let words = raster.words_per_step();
    let on = raster.on_words_mut();
    let mut clamped = 0;
    for (w, (xs, qs)) in data.chunks(64).zip(ratios.chunks(64)).enumerate() {
        for (c, (&x, &q)) in xs.iter().zip(qs).enumerate() {
            if params.clip && x < theta {
                continue;
            }
            // lo = #{k : q >= sure[k]} <= step <= #{k : q >= maybe[k]}, the two equal exactly
            // when q < maybe[lo] (the tables are sorted and maybe <= sure). lo is found by
            // walking from a guess, the step of a rough logarithm (Mitchell's: the float's bits
            // read as a fixed-point log2, within 0.06 of ln), which is usually right; the walk
            // makes lo exact whatever the guess.
            let rough = (q.to_bits() as f64 - ONE_BITS) * LN2_PER_BIT;
            let mut lo = chain.step(rough).min(n);
            while lo > 0 && q < sure[lo - 1] {
                lo -= 1;
            }
            while lo < n && q >= sure[lo] {
                lo += 1;
            }
            let step = if q < maybe[lo] { lo } else { chain.step(q.ln()) };
            let step = if step > last {
                clamped += 1;
                last
            } else {
                step
            };
            on[step * words + w] |= 1u64 << c;
        }
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

    /// The spike steps of the formula path: latency_times, round half to even, clamped to the
    /// last step (None for clipped inputs), and the number clamped.
    fn reference(data: &[f64], p: &LatencyParams) -> (Vec<Option<usize>>, usize) {
        let (times, below) = latency_times(data, p).unwrap();
        let last = p.num_steps - 1;
        let mut clamped = 0;
        let steps = times
            .iter()
            .zip(&below)
            .map(|(&t, &b)| {
                if p.clip && b {
                    return None;
                }
                let r = t.round_ties_even();
                Some(if r > last as f64 {
                    clamped += 1;
                    last
                } else {
                    r.max(0.0) as usize
                })
            })
            .collect();
        (steps, clamped)
    }

    fn assert_same(data: &[f64], p: &LatencyParams) {
        let (expected, clamped) = reference(data, p);
        let out = latency(data, p).unwrap();
        assert_eq!(out.clamped, clamped);
        assert_eq!(out.raster.count(), expected.iter().flatten().count() as u64);
        for (c, e) in expected.iter().enumerate() {
            if let Some(s) = *e {
                assert!(
                    out.raster.get(s, c),
                    "input {c} = {:e}: step {s} expected, {p:?}",
                    data[c]
                );
            }
        }
    }

    fn log_forms() -> Vec<LatencyParams> {
        let mut forms = Vec::new();
        for (num_steps, tau) in [(10, 1.0), (10, 5.0), (100, 0.7), (1, 1.0), (300, 25.0)] {
            for fst in [0, 1, 4] {
                for normalize in [false, true] {
                    for clip in [false, true] {
                        if fst < num_steps {
                            forms.push(
                                LatencyParams::default()
                                    .num_steps(num_steps)
                                    .tau(tau)
                                    .first_spike_time(fst)
                                    .normalize(normalize)
                                    .clip(clip),
                            );
                        }
                    }
                }
            }
        }
        forms.push(
            LatencyParams::default()
                .num_steps(20)
                .threshold(0.3)
                .epsilon(0.0)
                .tau(3.0),
        );
        forms
    }

    #[test]
    fn threshold_path_equals_the_formula_on_random_inputs() {
        use rand_core::Rng as _;
        let mut g = crate::rng::stream(17, 0);
        let mut u = || (g.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut data: Vec<f64> = (0..3000).map(|_| u()).collect();
        // Below the threshold, exactly on it, above 1, large, equal values.
        data.extend([0.0, 0.01, 0.0100000001, 1.0, 0.5, 0.5, 1e-300, 3.0, 1e6]);
        let in_unit: Vec<f64> = data.iter().map(|x| x.min(1.0)).collect();
        for p in log_forms() {
            assert_same(&in_unit, &p);
            if p.first_spike_time == 0 {
                assert_same(&data, &p);
            }
        }
    }

    /// Inputs a few ulps around every place where the formula's step changes, found by
    /// bisection on the formula itself (with the data's extremes held fixed, so normalize and
    /// first_spike_time see the same extremes): the inputs whose ratios fall in a guard band.
    #[test]
    fn threshold_path_equals_the_formula_at_every_step_boundary() {
        for p in log_forms() {
            let (lo, hi) = (0.011, 0.999);
            let step_of = |x: f64| reference(&[lo, hi, x], &p).0[2];
            let mut data = vec![lo, hi];
            let mut a = lo;
            // Walk the boundaries from the latest step (small x) to the earliest.
            while a < hi {
                let sa = step_of(a);
                let (mut l, mut r) = (a.to_bits(), hi.to_bits());
                if step_of(hi) == sa {
                    break;
                }
                while r - l > 1 {
                    let m = l + (r - l) / 2;
                    if step_of(f64::from_bits(m)) == sa {
                        l = m
                    } else {
                        r = m
                    }
                }
                for d in 0..40u64 {
                    data.push(f64::from_bits(r - 20 + d));
                }
                a = f64::from_bits(r);
            }
            assert!(data.len() > 2 || p.num_steps == 1, "{p:?}");
            assert_same(&data, &p);
        }
    }

    #[test]
    fn bounds_are_where_the_chain_steps() {
        let chain = Chain {
            tau: 2.0,
            shift: None,
            norm: None,
            last: 5,
        };
        let b = chain.bounds();
        assert_eq!(b.len(), 6);
        for (k, &bk) in b.iter().enumerate() {
            let k = k + 1;
            assert!(chain.step(bk) >= k);
            assert!(bk == 0.0 || chain.step(f64::from_bits(bk.to_bits() - 1)) < k);
            // 2L rounds half to even: step k from L = (k - 0.5)/2 (k odd) or just above (k even).
            assert!((bk - (k as f64 - 0.5) / 2.0).abs() < 1e-15, "{k}: {bk}");
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
