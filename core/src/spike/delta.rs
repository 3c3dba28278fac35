//! Delta modulation with snnTorch's `spikegen.delta` semantics.

use super::SpikeRaster;
use super::rate::rows_of;
use crate::error::check;
use crate::params::params;
use crate::{Result, alloc};

params! {
    /// Delta modulation (snnTorch `spikegen.delta`) on time-first data: a spike where the change
    /// from the previous step is at least threshold; with off_spike, a -1 where it is at most
    /// -threshold.
    pub struct DeltaParams {
        /// Smallest change that fires.
        keyword threshold: f64 = 0.1,
        /// Compare the first step with itself (no spike) instead of with 0.
        keyword padding: bool = false,
        /// Also emit -1 for falls of at least threshold.
        keyword off_spike: bool = false,
    }
}

impl DeltaParams {
    fn check(&self) -> Result<()> {
        check::finite("threshold", self.threshold)?;
        Ok(())
    }
}

/// The spike (`1`, `-1`, `0`) for a change `d`: the on spike minus the off spike, as snnTorch
/// adds its two rasters (so with a negative threshold a change that is both is `0`).
#[inline]
pub(crate) fn delta_spike(d: f64, threshold: f64, off_spike: bool) -> i8 {
    i8::from(d >= threshold) - i8::from(off_spike && d <= -threshold)
}

/// 64 bytes of 0/1 as 64 bits (byte `i` → bit `i`).
#[inline]
fn pack(bytes: &[u8; 64]) -> u64 {
    let mut word = 0u64;
    for (k, chunk) in bytes.chunks_exact(8).enumerate() {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        // Byte i (0 or 1) lands on bit 56 + i, then moves to bit 8k + i.
        word |= (v.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    word
}

/// Delta modulation of time-first `data` (`rows × num_channels`, row-major) into a raster of the
/// same shape: `s_t = 1` where `x_t − x_{t−1} ≥ θ`, `−1` where `≤ −θ` with `off_spike`, and `x_{−1}`
/// is 0 (or `x_0` with `padding`). As in snnTorch, a change that is both (`θ < 0`) gives 0.
///
/// ```
/// use neuroquant::spike::{DeltaParams, delta};
/// // snnTorch's doc examples (threshold 1). Its docstring shows [1, 1, 0, 1, 0] and
/// // [0, 1, 0, 1, 0] for `a`, but the changes are 1, 1, 0.9, 0.1, 0.9: snnTorch's own formula
/// // gives the values below (the doc error of snnTorch issue #214).
/// let p = DeltaParams::default().threshold(1.0);
/// let a = [1.0, 2.0, 2.9, 3.0, 3.9];
/// assert_eq!(delta(&a, 1, &p)?.to_dense::<i8>()?, [1, 1, 0, 0, 0]);
/// assert_eq!(delta(&a, 1, &p.clone().padding(true))?.to_dense::<i8>()?, [0, 1, 0, 0, 0]);
/// let b = [1.0, 2.0, 0.0, 2.0, 2.9];
/// assert_eq!(delta(&b, 1, &p.clone().off_spike(true))?.to_dense::<i8>()?, [1, 1, -1, 1, 0]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
///
/// Errors: non-finite data or threshold; `data.len()` not a multiple of `num_channels`.
pub fn delta(data: &[f64], num_channels: usize, params: &DeltaParams) -> Result<SpikeRaster> {
    params.validate()?;
    check::all_finite("data", data)?;
    let rows = rows_of(data.len(), num_channels)?;
    let mut raster = SpikeRaster::new(rows, num_channels)?;
    let words = raster.words_per_step();
    let mut off = if params.off_spike {
        alloc::filled("spike raster (off spikes)", 0u64, rows * words)?
    } else {
        Vec::new()
    };
    let (th, off_spike) = (params.threshold, params.off_spike);
    // 64 channels at a time into one on word and one off word: no per-spike bookkeeping.
    let on = raster.on_words_mut();
    for t in 0..rows {
        let row = &data[t * num_channels..(t + 1) * num_channels];
        let prev = if t == 0 {
            row
        } else {
            &data[(t - 1) * num_channels..t * num_channels]
        };
        let first_without_padding = t == 0 && !params.padding;
        let zero_prev = [0.0f64; 64];
        for (w, (xs, ps)) in row.chunks(64).zip(prev.chunks(64)).enumerate() {
            let ps = if first_without_padding {
                &zero_prev[..xs.len()]
            } else {
                ps
            };
            // One byte per channel (vectorisable compares), then 8 bytes to 8 bits at a time.
            let (mut up, mut down) = ([0u8; 64], [0u8; 64]);
            for (b, (&x, &p)) in xs.iter().zip(ps).enumerate() {
                let d = x - p;
                up[b] = u8::from(d >= th);
                down[b] = u8::from(off_spike && d <= -th);
            }
            // snnTorch adds the two rasters: a change that is both (threshold < 0) gives 0.
            on[t * words + w] = pack(&up) & !pack(&down);
            if off_spike {
                off[t * words + w] = pack(&down) & !pack(&up);
            }
        }
    }
    raster.set_off_plane(off);
    Ok(raster)
}
