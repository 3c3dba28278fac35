//! Rate (Bernoulli) encoding with snnTorch's `spikegen.rate` semantics, and Poisson spike trains
//! from rates in Hz.

use super::bernoulli::{BLOCK, Block};
use super::{SpikeError, SpikeRaster};
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;
use crate::{Result, rng};
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
/// Randomness: step `t`, channel block `k` (1024 channels) and lane `l ∈ 0..4` draw from
/// `rng::stream(seed, 4·(t·blocks + k) + l)`, so results do not depend on the thread count; a
/// probability is resolved to 2⁻³², `p <= 0` never and `p >= 1` always spikes (the kernel and its
/// stream layout are defined in `spike/bernoulli.rs`).
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
    let words = raster.words_per_step();
    let blocks = num_channels.div_ceil(BLOCK);
    let wide = crate::cpu::avx2();
    let stopped = control.install(|| {
        // One chunk of consecutive steps per thread, each walked block by block (a block's
        // thresholds, 4 KiB, stay in L1 over the steps of time-static data). The chunking only
        // decides who computes what: every cell comes from its own work item's streams.
        let rows_per_chunk = num_steps.div_ceil(rayon::current_num_threads()).max(1);
        raster
            .on_words_mut()
            .par_chunks_mut(words * rows_per_chunk)
            .enumerate()
            .try_for_each_init(Box::<Block>::default, |block, (i, chunk)| {
                let first_row = i * rows_per_chunk;
                let mut since_check = 0usize;
                for k in 0..blocks {
                    let (lo, hi) = (k * BLOCK, ((k + 1) * BLOCK).min(num_channels));
                    let (wlo, whi) = (k * (BLOCK / 64), ((k + 1) * (BLOCK / 64)).min(words));
                    if static_row {
                        block.set(&data[lo..hi], gain, offset, wide);
                    }
                    for (r, row) in chunk.chunks_mut(words).enumerate() {
                        let t = first_row + r;
                        if t < fst {
                            continue;
                        }
                        since_check += hi - lo;
                        if since_check >= super::WORK_BETWEEN_CHECKS {
                            since_check = 0;
                            if control.should_stop() {
                                return Err(());
                            }
                        }
                        let xs = if static_row {
                            &data[lo..hi]
                        } else {
                            let src = (if params.time_var_input { t - fst } else { t }) * num_channels;
                            let xs = &data[src + lo..src + hi];
                            block.set(xs, gain, offset, wide);
                            xs
                        };
                        block.draw_row(xs, seed, (t * blocks + k) as u64, &mut row[wlo..whi], wide);
                    }
                }
                if control.should_stop() {
                    return Err(());
                }
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
}
