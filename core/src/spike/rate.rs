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
                    format!("is {t}, must be None when time_var_input is true (time is the data's first axis)"),
                ));
            }
            if self.first_spike_time > t - 1 {
                return Err(invalid(
                    "first_spike_time",
                    format!("is {}, must be at most num_steps - 1 = {}", self.first_spike_time, t - 1),
                ));
            }
        }
        Ok(())
    }
}

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

/// A probability as a 32-bit threshold `thr` with a flag for certainty: a uniform `u32` `u`
/// gives a spike when `u < thr` or the flag is set, so `P = thr / 2³²` within 2⁻³³ of `p`,
/// exactly 0 for `p <= 0` and exactly 1 for `p >= 1`.
#[inline]
fn threshold32(p: f64) -> (u32, u8) {
    // NaN never reaches here (inputs are checked); clamp keeps the cast in range.
    let t = (p.clamp(0.0, 1.0) * 4_294_967_296.0).round();
    if t >= 4_294_967_296.0 { (u32::MAX, 1) } else { (t as u32, 0) }
}

/// Channels drawn by one work item (16 words): each item has its own `rng::stream(seed, item)`.
const ITEM_CHANNELS: usize = 1024;

/// Thresholds of one row, as [`threshold32`] gives them.
#[derive(Default, Clone)]
struct Thresholds {
    thr: Vec<u32>,
    certain: Vec<u8>,
}

impl Thresholds {
    fn set(&mut self, probabilities: impl Iterator<Item = f64>) {
        self.thr.clear();
        self.certain.clear();
        for p in probabilities {
            let (t, c) = threshold32(p);
            self.thr.push(t);
            self.certain.push(c);
        }
    }
}

/// [`bernoulli_row_plain`], compiled for AVX2 when the CPU has it (integer operations only, so
/// both paths give the same bits).
fn bernoulli_row(seed: u64, first_item: u64, t: &Thresholds, words: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected on this CPU just above.
        unsafe { bernoulli_row_avx2(seed, first_item, t, words) };
        return;
    }
    bernoulli_row_plain(seed, first_item, t, words);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn bernoulli_row_avx2(seed: u64, first_item: u64, t: &Thresholds, words: &mut [u64]) {
    bernoulli_row_plain(seed, first_item, t, words);
}

/// Fills `words` (one row) with Bernoulli draws. Channel `c` of a 1024-channel block uses the low
/// (`c` even) or high half of the block's draw `c / 2`; the draws come from four interleaved
/// xoshiro256++ lanes seeded from the block's stream, so every loop here vectorises.
#[inline(always)]
fn bernoulli_row_plain(seed: u64, first_item: u64, t: &Thresholds, words: &mut [u64]) {
    let mut draws = [0u64; ITEM_CHANNELS / 2];
    let mut uniform = [0u32; ITEM_CHANNELS];
    let mut mask = [0u8; ITEM_CHANNELS];
    for (k, ((thr, certain), out)) in t
        .thr
        .chunks(ITEM_CHANNELS)
        .zip(t.certain.chunks(ITEM_CHANNELS))
        .zip(words.chunks_mut(ITEM_CHANNELS / 64))
        .enumerate()
    {
        let n = thr.len();
        let mut lanes = Lanes::new(&mut rng::stream(seed, first_item + k as u64));
        let nd = n.div_ceil(2).next_multiple_of(4);
        lanes.fill(&mut draws[..nd]);
        for (pair, &d) in uniform.chunks_exact_mut(2).zip(&draws[..nd]) {
            pair[0] = d as u32;
            pair[1] = (d >> 32) as u32;
        }
        for c in 0..n {
            mask[c] = u8::from(uniform[c] < thr[c]) | certain[c];
        }
        mask[n..n.next_multiple_of(64)].fill(0);
        for (w, out) in out.iter_mut().enumerate() {
            let mut word = 0u64;
            for b in 0..8 {
                let o = w * 64 + b * 8;
                let bytes = u64::from_le_bytes(mask[o..o + 8].try_into().expect("8 bytes"));
                // Byte i (0 or 1) lands on bit i of the top byte.
                word |= (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * b);
            }
            *out = word;
        }
    }
}

/// Four xoshiro256++ generators stepped together (structure of arrays, so the compiler keeps
/// them in vector registers); each lane's state is four outputs of the item's stream.
struct Lanes {
    s: [[u64; 4]; 4],
}

impl Lanes {
    #[inline(always)]
    fn new(stream: &mut rng::Rng) -> Self {
        let mut s = [[0u64; 4]; 4];
        for word in s.iter_mut() {
            for lane in word.iter_mut() {
                *lane = stream.next_u64();
            }
        }
        Lanes { s }
    }

    /// Fills `out` (a multiple of 4 long): `out[4r + l]` is lane `l`'s `r`-th output.
    #[inline(always)]
    fn fill(&mut self, out: &mut [u64]) {
        let [mut s0, mut s1, mut s2, mut s3] = self.s;
        for chunk in out.chunks_exact_mut(4) {
            for l in 0..4 {
                chunk[l] = s0[l].wrapping_add(s3[l]).rotate_left(23).wrapping_add(s0[l]);
                let t = s1[l] << 17;
                s2[l] ^= s0[l];
                s3[l] ^= s1[l];
                s1[l] ^= s2[l];
                s0[l] ^= s3[l];
                s2[l] ^= t;
                s3[l] = s3[l].rotate_left(45);
            }
        }
        self.s = [s0, s1, s2, s3];
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
/// [`threshold32`]); `p = 0` never and `p = 1` always spikes.
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
        None if params.time_var_input => (rows.checked_add(fst).ok_or_else(|| overflow())?, false),
        None => (rows, false),
    };
    let mut raster = SpikeRaster::new(num_steps, num_channels)?;
    if num_channels == 0 || num_steps == 0 {
        return Ok(Encoded { raster, seed });
    }
    let (gain, offset) = (params.gain, params.offset);
    let mut static_thr = Thresholds::default();
    if static_row {
        static_thr.set(data.iter().map(|&x| gain * x + offset));
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
            .try_for_each_init(
                Thresholds::default,
                |thr, (t, row)| {
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
                        thr.set(row.iter().map(|&x| gain * x + offset));
                        &*thr
                    };
                    bernoulli_row(seed, t as u64 * blocks, thresholds, row);
                    Ok(())
                },
            )
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
            return Err(invalid("num_channels", format!("is 0, but data holds {len} values")));
        }
        return Ok(0);
    }
    if len % num_channels != 0 {
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
        return Err(invalid("rates", format!("element {i} is {}, must be >= 0 (Hz)", rates[i])));
    }
    let probabilities: Vec<f64> = rates.iter().map(|&r| -(-r * params.dt).exp_m1()).collect();
    let rate_params = RateParams::default().num_steps(params.num_steps).seed(params.seed);
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
        assert_eq!(r.to_dense::<u8>(), [1, 0, 1, 0].repeat(3));
        let r = rate(&[1.0; 4], 4, &p.clone().first_spike_time(2), &c).unwrap().raster;
        assert_eq!(r.to_dense::<u8>(), [[0; 4], [0; 4], [1; 4]].concat());
        let r = rate(&[0.2, 0.3], 1, &RateParams::default().time_var_input(true).first_spike_time(1).gain(5.0), &c)
            .unwrap()
            .raster;
        assert_eq!(r.to_dense::<u8>(), [0, 1, 1]);
    }

    #[test]
    fn lanes_follow_xoshiro256plusplus() {
        // The reference recurrence, one lane at a time.
        let mut s = rng::stream(9, 0);
        let mut lanes = Lanes::new(&mut s);
        let mut out = [0u64; 8];
        lanes.fill(&mut out);
        let mut s = rng::stream(9, 0);
        let mut st = [[0u64; 4]; 4];
        for w in 0..4 {
            for l in 0..4 {
                st[l][w] = s.next_u64();
            }
        }
        for l in 0..4 {
            use rand_core::SeedableRng as _;
            let bytes: Vec<u8> = st[l].iter().flat_map(|w| w.to_le_bytes()).collect();
            let mut reference = rand_xoshiro::Xoshiro256PlusPlus::from_seed(bytes.try_into().unwrap());
            for r in 0..2 {
                assert_eq!(out[4 * r + l], reference.next_u64());
            }
        }
    }
}

#[cfg(test)]
mod speed {
    use super::*;
    #[test]
    #[ignore]
    fn rate_speed() {
        let x: Vec<f64> = (0..1_000_000).map(|i| (i % 1000) as f64 / 1000.0).collect();
        let c = Control::default().with_num_threads(1);
        let p = RateParams::default().num_steps(10).seed(3);
        let mut best = f64::MAX;
        for _ in 0..15 {
            let t = std::time::Instant::now();
            let r = rate(&x, x.len(), &p, &c).unwrap();
            best = best.min(t.elapsed().as_secs_f64());
            std::hint::black_box(r);
        }
        let th = Thresholds { thr: vec![1 << 31; 1_000_000], certain: vec![0; 1_000_000] };
        let mut words = vec![0u64; 1_000_000 / 64 + 1];
        let mut bk = f64::MAX;
        for _ in 0..15 {
            let t = std::time::Instant::now();
            for s in 0..10 { bernoulli_row(s, 0, &th, &mut words); }
            bk = bk.min(t.elapsed().as_secs_f64());
        }
        eprintln!("rate 1e7: best {:.2} ms; kernel only {:.2} ms", best * 1e3, bk * 1e3);
    }
}
