//! Rate (Bernoulli) encoding with snnTorch's `spikegen.rate` semantics, and Poisson spike trains
//! from rates in Hz.

use super::{SpikeError, SpikeRaster};
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;
use crate::{Result, rng};
use rand_core::Rng as _;
use rayon::prelude::*;

params! {
    /// Rate coding (snnTorch `spikegen.rate`): each step draws a spike with probability
    /// `clamp(gain·x + offset, 0, 1)`; steps before `first_spike_time` are silent.
    pub struct RateParams {
        /// Number of time steps to repeat time-static data over. None: the data is already
        /// time-first (its first axis is time) and is encoded as it is.
        keyword num_steps: Option<usize> = None,
        /// Scale applied to the input before it is clamped to a probability.
        keyword gain: f64 = 1.0,
        /// Shift added to the scaled input before it is clamped to a probability.
        keyword offset: f64 = 0.0,
        /// Steps before this one are silent (time-static data), or this many silent steps are
        /// prepended (time_var_input=True).
        keyword first_spike_time: usize = 0,
        /// The data is time-varying and time-first: silent first_spike_time steps are prepended to
        /// its encoding (num_steps must then be None).
        keyword time_var_input: bool = false,
        /// Seed of the random streams (None: fresh entropy, reported back).
        keyword seed: Option<u64> = None,
    }
}

impl RateParams {
    fn check(&self) -> Result<()> {
        check::finite("gain", self.gain)?;
        check::finite("offset", self.offset)?;
        if let Some(t) = self.num_steps {
            if t == 0 {
                return Err(invalid("num_steps", "is 0, must be at least 1".into()));
            }
            if self.time_var_input {
                return Err(invalid(
                    "num_steps",
                    format!(
                        "is {t}, must be None when time_var_input is true (time is the data's first axis)"
                    ),
                ));
            }
            if self.first_spike_time > t - 1 {
                return Err(invalid(
                    "first_spike_time",
                    format!(
                        "is {}, must be at most num_steps - 1 = {}",
                        self.first_spike_time,
                        t - 1
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

/// A probability as a 32-bit threshold `thr = ⌊p·2³²⌋` and a certainty flag: a spike is drawn
/// when a uniform 32-bit `u < thr` or the flag is set, so `P(spike) = thr / 2³²` (`P ≤ p < P +
/// 2⁻³²`), exactly 0 for `p <= 0` and exactly 1 for `p >= 1`.
#[inline(always)]
fn threshold32(p: f64) -> (u32, bool) {
    // NaN never reaches here (inputs are checked); the cast saturates, so p >= 1 gives u32::MAX
    // (and the certainty flag), p <= 0 gives 0.
    ((p * 4_294_967_296.0) as u32, p >= 1.0)
}

/// Channels drawn by one work item (16 words): each item has its own `rng::stream(seed, item)`.
const ITEM_CHANNELS: usize = 1024;

/// The thresholds of one row as bit planes: for word `w` (channels `64w..64w+64`),
/// `planes[w][j]` has bit `c` set when bit `j` of channel `64w + c`'s threshold is set.
#[derive(Default, Clone)]
struct Planes {
    planes: Vec<[u64; 32]>,
    certain: Vec<u64>,
}

impl Planes {
    /// The planes of `clamp(gain·x + offset)` for each `x` of `row`.
    fn set(&mut self, row: &[f64], gain: f64, offset: f64) {
        let words = row.len().div_ceil(64);
        self.planes.resize(words, [0; 32]);
        self.certain.resize(words, 0);
        for ((xs, planes), certain) in row.chunks(64).zip(&mut self.planes).zip(&mut self.certain) {
            let mut thr = [0u32; 64];
            let mut sure = 0u64;
            for (c, &x) in xs.iter().enumerate() {
                let (t, s) = threshold32(gain * x + offset);
                thr[c] = t;
                sure |= u64::from(s) << c;
            }
            *planes = bit_planes(&thr);
            *certain = sure;
        }
    }
}

/// The 32 bit planes of 64 thresholds: bit `c` of plane `j` is bit `j` of `thr[c]`. This is the
/// 64 × 64 bit transpose of Hacker's Delight §7-3 (recursive block swaps), whose first round just
/// packs `thr[k]` and `thr[k + 32]` into one word since the upper halves are zero; the other
/// rounds then touch the 32 rows that hold the planes only.
fn bit_planes(thr: &[u32; 64]) -> [u64; 32] {
    let mut m: [u64; 32] = std::array::from_fn(|k| u64::from(thr[k]) | u64::from(thr[k + 32]) << 32);
    let mut j = 16;
    let mut mask: u64 = 0x0000_ffff_0000_ffff;
    while j != 0 {
        let mut k = 0;
        while k < 32 {
            let t = ((m[k] >> j) ^ m[k + j]) & mask;
            m[k + j] ^= t;
            m[k] ^= t << j;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        mask ^= mask << j;
    }
    m
}

/// Fills `words` (one row) with Bernoulli draws, 64 channels at a time, bit-serially: a uniform
/// `u` and the threshold are compared from their most significant bit down, one random word per
/// bit plane for 64 channels; a channel is decided at the first bit where they differ (spike when
/// the threshold's bit is 1). About 7 words decide all 64 channels (the maximum of 64 geometric
/// variables), where drawing 32 bits per channel would take 32. Exact: the result is
/// `u < thr` for a uniform 32-bit `u` whose bits are the words' bits, most significant first.
fn bernoulli_row(seed: u64, first_item: u64, t: &Planes, words: &mut [u64]) {
    for (k, ((planes, certain), out)) in t
        .planes
        .chunks(ITEM_CHANNELS / 64)
        .zip(t.certain.chunks(ITEM_CHANNELS / 64))
        .zip(words.chunks_mut(ITEM_CHANNELS / 64))
        .enumerate()
    {
        let mut rng = rng::stream(seed, first_item + k as u64);
        for ((p, &sure), out) in planes.iter().zip(certain).zip(out.iter_mut()) {
            let mut undecided = !0u64;
            let mut spike = 0u64;
            for j in (0..32).rev() {
                let diff = rng.next_u64() ^ p[j];
                spike |= undecided & diff & p[j];
                undecided &= !diff;
                if undecided == 0 {
                    break;
                }
            }
            *out = spike | sure;
        }
    }
}

/// What a seeded encoder returns: the raster and the seed it used.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// The spikes, time-first.
    pub raster: SpikeRaster,
    /// The seed used (the given one, or the fresh one drawn when none was given).
    pub seed: u64,
}

/// Rate coding with snnTorch's `spikegen.rate` semantics, into a bit-packed raster.
///
/// `data` holds `rows × num_channels` values, row-major. With `num_steps = Some(T)` the data is
/// time-static: it must be a single row, and the raster is `T × num_channels` (snnTorch's
/// `(num_steps, *data.shape)`). With `num_steps = None` the rows are time steps. With
/// `time_var_input`, `first_spike_time` silent steps are prepended (snnTorch applies neither gain
/// nor offset in that case; we apply both, as the parameters say).
///
/// Randomness: step `t`, channel block `k` (1024 channels) uses `rng::stream(seed, t·blocks + k)`,
/// so results do not depend on the thread count. A probability is resolved to 2⁻³² (see
/// `threshold32`); `p = 0` never and `p = 1` always spikes.
///
/// Errors: non-finite data; `data.len()` not a multiple of `num_channels`; static data of more
/// than one row; the [`RateParams`] rules; a stop through `control` ([`SpikeError::Interrupted`]).
pub fn rate(data: &[f64], num_channels: usize, params: &RateParams, control: &Control) -> Result<Encoded> {
    params.validate()?;
    check::all_finite("data", data)?;
    let rows = rows_of(data.len(), num_channels)?;
    let seed = rng::resolve_seed(params.seed);
    let fst = params.first_spike_time;
    let (num_steps, static_row) = match params.num_steps {
        Some(t) => {
            check::len("data", num_channels, data.len())?;
            (t, true)
        }
        None if params.time_var_input => (rows.checked_add(fst).ok_or_else(overflow)?, false),
        None => (rows, false),
    };
    let mut raster = SpikeRaster::new(num_steps, num_channels)?;
    if num_channels == 0 || num_steps == 0 {
        return Ok(Encoded { raster, seed });
    }
    let (gain, offset) = (params.gain, params.offset);
    let mut static_thr = Planes::default();
    if static_row {
        static_thr.set(data, gain, offset);
    }
    let words = raster.words_per_step();
    let blocks = num_channels.div_ceil(ITEM_CHANNELS) as u64;
    let check_every = (super::WORK_BETWEEN_CHECKS / num_channels).max(1);
    let stopped = control.install(|| {
        raster
            .on_words_mut()
            .par_chunks_mut(words)
            .enumerate()
            .with_min_len((4096 / words).max(1))
            .try_for_each_init(Planes::default, |thr, (t, row)| {
                if t % check_every == 0 && control.should_stop() {
                    return Err(());
                }
                if t < fst {
                    return Ok(());
                }
                let thresholds = if static_row {
                    &static_thr
                } else {
                    let src = if params.time_var_input { t - fst } else { t };
                    let row = &data[src * num_channels..(src + 1) * num_channels];
                    thr.set(row, gain, offset);
                    &*thr
                };
                bernoulli_row(seed, t as u64 * blocks, thresholds, row);
                Ok(())
            })
            .is_err()
    })?;
    if stopped {
        return Err(SpikeError::Interrupted { what: "rate" }.into());
    }
    Ok(Encoded { raster, seed })
}

fn overflow() -> crate::Error {
    invalid("first_spike_time", "makes the step count overflow".into())
}

/// The number of rows of `len` values of `num_channels` each.
pub(crate) fn rows_of(len: usize, num_channels: usize) -> Result<usize> {
    if num_channels == 0 {
        if len != 0 {
            return Err(invalid(
                "num_channels",
                format!("is 0, but data holds {len} values"),
            ));
        }
        return Ok(0);
    }
    if !len.is_multiple_of(num_channels) {
        return Err(ArgumentError::DimensionMismatch {
            argument: "data",
            expected: len.next_multiple_of(num_channels),
            got: len,
        }
        .into());
    }
    Ok(len / num_channels)
}

params! {
    /// Poisson spike trains: channel c fires in each step of length dt with probability
    /// 1 - exp(-rate_c·dt), the chance that a Poisson process of that rate (in Hz) has an event
    /// in the step.
    pub struct PoissonParams {
        /// Number of time steps.
        keyword num_steps: usize = 1000,
        /// Step length in seconds.
        keyword dt: f64 = 1e-3,
        /// Seed of the random streams (None: fresh entropy, reported back).
        keyword seed: Option<u64> = None,
    }
}

impl PoissonParams {
    fn check(&self) -> Result<()> {
        check::finite("dt", self.dt)?;
        if self.dt <= 0.0 {
            return Err(invalid("dt", format!("is {}, must be > 0", self.dt)));
        }
        Ok(())
    }
}

/// Poisson spike trains from rates in Hz (one rate per channel, time-static), into a
/// `num_steps × rates.len()` raster; same streams as [`rate`].
///
/// Errors: a negative or non-finite rate; the [`PoissonParams`] rules; a stop through `control`.
pub fn poisson(rates: &[f64], params: &PoissonParams, control: &Control) -> Result<Encoded> {
    params.validate()?;
    check::all_finite("rates", rates)?;
    if let Some(i) = rates.iter().position(|&r| r < 0.0) {
        return Err(invalid(
            "rates",
            format!("element {i} is {}, must be >= 0 (Hz)", rates[i]),
        ));
    }
    let probabilities: Vec<f64> = rates.iter().map(|&r| -(-r * params.dt).exp_m1()).collect();
    let rate_params = RateParams::default()
        .num_steps(params.num_steps)
        .seed(params.seed);
    if params.num_steps == 0 {
        return Ok(Encoded {
            raster: SpikeRaster::new(0, rates.len())?,
            seed: rng::resolve_seed(params.seed),
        });
    }
    rate(&probabilities, rates.len(), &rate_params, control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certain_and_impossible_probabilities_are_exact() {
        // snnTorch's doc examples: all-ones spike always, all-zeros never.
        let c = Control::default();
        let p = RateParams::default().num_steps(3).seed(1);
        let r = rate(&[1.0, 0.0, 2.0, -1.0], 4, &p, &c).unwrap().raster;
        assert_eq!(r.to_dense::<u8>().unwrap(), [1, 0, 1, 0].repeat(3));
        let r = rate(&[1.0; 4], 4, &p.clone().first_spike_time(2), &c)
            .unwrap()
            .raster;
        assert_eq!(r.to_dense::<u8>().unwrap(), [[0; 4], [0; 4], [1; 4]].concat());
        let r = rate(
            &[0.2, 0.3],
            1,
            &RateParams::default()
                .time_var_input(true)
                .first_spike_time(1)
                .gain(5.0),
            &c,
        )
        .unwrap()
        .raster;
        assert_eq!(r.to_dense::<u8>().unwrap(), [0, 1, 1]);
    }

    #[test]
    fn certainty_is_flagged_where_the_threshold_saturates() {
        // u32::MAX / 2³² < 1: only the flag makes p = 1 certain (a uniform u32 equal to
        // u32::MAX would otherwise miss, once in 2³² draws).
        assert_eq!(threshold32(1.0), (u32::MAX, true));
        assert_eq!(threshold32(7.0), (u32::MAX, true));
        assert_eq!(threshold32(1.0 - 1e-12), (u32::MAX, false));
        assert_eq!(threshold32(0.5), (1 << 31, false));
        assert_eq!(threshold32(-3.0), (0, false));
    }

    #[test]
    fn transpose_and_bit_serial_comparison_are_exact() {
        // Against the naive definitions, on random matrices and thresholds.
        let mut g = rng::stream(5, 0);
        for _ in 0..20 {
            let a: [u32; 64] = std::array::from_fn(|_| g.next_u32());
            let b = bit_planes(&a);
            for (j, plane) in b.iter().enumerate() {
                for (c, &t) in a.iter().enumerate() {
                    assert_eq!((plane >> c) & 1, u64::from(t >> j) & 1);
                }
            }
        }
        // One channel block: the spike must equal u < thr with u read from the words' bits.
        let xs: Vec<f64> = (0..64).map(|i| i as f64 / 63.0).collect();
        let mut planes = Planes::default();
        planes.set(&xs, 1.0, 0.0);
        let mut out = [0u64];
        bernoulli_row(11, 3, &planes, &mut out);
        let mut r = rng::stream(11, 3);
        let words: Vec<u64> = (0..32).map(|_| r.next_u64()).collect();
        for (c, &x) in xs.iter().enumerate() {
            let (thr, sure) = threshold32(x);
            let expected = sure || {
                // Walk the words as the kernel does, channel by channel.
                let mut decided = None;
                for (j, w) in words.iter().enumerate() {
                    let (rb, pb) = ((w >> c) & 1, u64::from(thr >> (31 - j)) & 1);
                    if rb != pb {
                        decided = Some(rb < pb);
                        break;
                    }
                }
                decided.unwrap_or(false)
            };
            assert_eq!((out[0] >> c) & 1 == 1, expected, "channel {c}");
        }
    }
}
