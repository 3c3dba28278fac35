//! [`SpikeRaster`]: spikes on a (time step × channel) grid, bit-packed.

use super::{SpikeError, SpikeEvents};
use crate::error::{ArgumentError, check};
use crate::{Result, alloc};

/// Largest number of cells (`num_steps × num_channels`, padded to whole 64-bit words per step)
/// a raster may hold: 2³⁵ bits, 4 GiB per bit plane.
pub const MAX_RASTER_CELLS: u64 = 1 << 35;

/// A value that can stand for a spike in a dense raster: `0` (silent), `1` (a spike, or an "on"
/// spike) or `-1` (an "off" spike, as snnTorch's `delta(off_spike=True)` emits).
pub trait SpikeValue: Copy {
    /// The polarity this value stands for (`0`, `1`, `-1`), or `None` when it is not a spike value.
    fn polarity(self) -> Option<i8>;
    /// The value for a polarity in `{-1, 0, 1}`.
    fn from_polarity(p: i8) -> Self;
    /// The value as a float (for error messages).
    fn as_f64(self) -> f64;
}

impl SpikeValue for bool {
    fn polarity(self) -> Option<i8> {
        Some(i8::from(self))
    }
    /// `true` for either polarity.
    fn from_polarity(p: i8) -> Self {
        p != 0
    }
    fn as_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
}

macro_rules! spike_value_int {
    ($($t:ty),*) => {$(
        impl SpikeValue for $t {
            #[allow(unused_comparisons)]
            fn polarity(self) -> Option<i8> {
                match self { 0 => Some(0), 1 => Some(1), v if v < 0 && v as i64 == -1 => Some(-1), _ => None }
            }
            /// A negative polarity becomes `-1` (or wraps for unsigned types: use a signed type
            /// for signed rasters).
            fn from_polarity(p: i8) -> Self { p as $t }
            fn as_f64(self) -> f64 { self as f64 }
        }
    )*};
}
spike_value_int!(u8, i8, i16, i32, i64);

macro_rules! spike_value_float {
    ($($t:ty),*) => {$(
        impl SpikeValue for $t {
            fn polarity(self) -> Option<i8> {
                if self == 0.0 { Some(0) } else if self == 1.0 { Some(1) } else if self == -1.0 { Some(-1) } else { None }
            }
            fn from_polarity(p: i8) -> Self { <$t>::from(p) }
            fn as_f64(self) -> f64 { f64::from(self) }
        }
    )*};
}
spike_value_float!(f32, f64);

/// Spikes on a grid of `num_steps` time steps × `num_channels` channels, stored as bits: step `t`
/// is a row of [`words_per_step`](Self::words_per_step) `u64` words, channel `c` is bit `c % 64`
/// of word `c / 64` (little-endian bit order, so the row's bytes are `numpy.packbits(row,
/// bitorder="little")`). Bits past the last channel are always zero.
///
/// A cell is silent, holds a spike (`+1`), or, in a *signed* raster, an off spike (`-1`): a second
/// bit plane of the same layout marks the off spikes (it is only allocated once an off spike is
/// stored; a cell is never on and off at once). [`get`](Self::get) and [`active`](Self::active)
/// see spikes of either polarity; [`polarity`](Self::polarity) and
/// [`active_signed`](Self::active_signed) tell them apart.
///
/// ```
/// use neuroquant::spike::SpikeRaster;
/// // 3 steps × 4 channels, time-first and row-major.
/// let dense = [1u8, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0];
/// let raster = SpikeRaster::from_dense(3, 4, &dense)?;
/// assert!(raster.get(0, 3) && !raster.get(1, 3));
/// assert_eq!(raster.active(2).collect::<Vec<_>>(), vec![1, 2]);
/// assert_eq!(raster.to_dense::<u8>()?, dense);
/// assert_eq!(SpikeRaster::from_events(&raster.to_events())?, raster);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpikeRaster {
    num_steps: usize,
    num_channels: usize,
    words_per_step: usize,
    on: Vec<u64>,
    /// Empty while the raster holds no off spike.
    off: Vec<u64>,
}

/// Words per step for `num_channels` channels.
const fn words_for(num_channels: usize) -> usize {
    num_channels.div_ceil(64)
}

impl SpikeRaster {
    /// A silent raster of `num_steps × num_channels`.
    ///
    /// Errors: `num_steps × 64·⌈num_channels/64⌉` above [`MAX_RASTER_CELLS`]; a refused allocation.
    pub fn new(num_steps: usize, num_channels: usize) -> Result<Self> {
        let words_per_step = words_for(num_channels);
        check::at_most_implied(
            "num_steps",
            num_steps as u64,
            |t| u128::from(t) * (words_per_step as u128) * 64,
            u128::from(MAX_RASTER_CELLS),
        )?;
        let on = alloc::filled("spike raster", 0u64, num_steps * words_per_step)?;
        Ok(SpikeRaster {
            num_steps,
            num_channels,
            words_per_step,
            on,
            off: Vec::new(),
        })
    }

    /// The raster of dense, time-first, row-major data (`data[t * num_channels + c]`), whose
    /// values are 0, 1 or -1 (any [`SpikeValue`] type: `bool`, `u8`, `i8`, …, `f32`, `f64`).
    ///
    /// Errors: `data.len() != num_steps × num_channels`; a value that is not a spike value
    /// ([`SpikeError::NotASpike`]); sizes as in [`new`](Self::new).
    pub fn from_dense<T: SpikeValue>(num_steps: usize, num_channels: usize, data: &[T]) -> Result<Self> {
        check::len_rows("data", "num_steps", num_steps, num_channels, data.len())?;
        let mut raster = Self::new(num_steps, num_channels)?;
        if num_channels == 0 {
            return Ok(raster);
        }
        for (t, row) in data.chunks_exact(num_channels).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                match v.polarity() {
                    Some(0) => {}
                    Some(p) => raster.put(t, c, p)?,
                    None => {
                        return Err(SpikeError::NotASpike {
                            argument: "data",
                            index: t * num_channels + c,
                            value: v.as_f64(),
                        }
                        .into());
                    }
                }
            }
        }
        Ok(raster)
    }

    /// The raster of packed words in this type's layout: `on` (and `off` for a signed raster,
    /// or an empty vector) of `num_steps × words_per_step` words each.
    ///
    /// Errors: wrong lengths, set padding bits, a cell both on and off.
    pub fn from_words(num_steps: usize, num_channels: usize, on: Vec<u64>, off: Vec<u64>) -> Result<Self> {
        let words_per_step = words_for(num_channels);
        check::len_rows("on", "num_steps", num_steps, words_per_step, on.len())?;
        if !off.is_empty() {
            check::len("off", on.len(), off.len())?;
        }
        let raster = SpikeRaster {
            num_steps,
            num_channels,
            words_per_step,
            on,
            off,
        };
        check::at_most_implied(
            "num_steps",
            num_steps as u64,
            |t| u128::from(t) * (words_per_step as u128) * 64,
            u128::from(MAX_RASTER_CELLS),
        )?;
        let pad = raster.padding_mask();
        for (name, plane) in [("on", &raster.on), ("off", &raster.off)] {
            if pad != 0
                && let Some(t) = plane
                    .chunks_exact(words_per_step)
                    .position(|row| row[words_per_step - 1] & pad != 0)
            {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: format!("step {t} has bits set past channel {}", num_channels - 1),
                }
                .into());
            }
        }
        if let Some(i) = raster.off.iter().zip(&raster.on).position(|(a, b)| a & b != 0) {
            return Err(ArgumentError::Invalid {
                argument: "off",
                reason: format!("word {i} marks a cell both on and off"),
            }
            .into());
        }
        Ok(raster)
    }

    /// Bits of the last word of a step that lie past the last channel.
    fn padding_mask(&self) -> u64 {
        match self.num_channels % 64 {
            0 => 0,
            r => !((1u64 << r) - 1),
        }
    }

    /// Time steps (rows).
    pub fn num_steps(&self) -> usize {
        self.num_steps
    }

    /// Channels (columns).
    pub fn num_channels(&self) -> usize {
        self.num_channels
    }

    /// `u64` words per step: `⌈num_channels / 64⌉`.
    pub fn words_per_step(&self) -> usize {
        self.words_per_step
    }

    /// Whether the raster holds off spikes (`-1`).
    pub fn is_signed(&self) -> bool {
        !self.off.is_empty() && self.off.iter().any(|&w| w != 0)
    }

    /// Whether channel `c` spikes (either polarity) at step `t`. Panics when `t` or `c` is out of
    /// range, as slice indexing does.
    #[inline]
    pub fn get(&self, t: usize, c: usize) -> bool {
        self.polarity(t, c) != 0
    }

    /// The cell's value: `1`, `-1` (off spike) or `0`. Panics when out of range.
    #[inline]
    pub fn polarity(&self, t: usize, c: usize) -> i8 {
        assert!(
            t < self.num_steps && c < self.num_channels,
            "cell ({t}, {c}) outside the raster"
        );
        let (w, b) = (t * self.words_per_step + c / 64, c % 64);
        if (self.on[w] >> b) & 1 == 1 {
            1
        } else if !self.off.is_empty() && (self.off[w] >> b) & 1 == 1 {
            -1
        } else {
            0
        }
    }

    /// Sets cell (`t`, `c`) to `polarity` (`1`, `0` or `-1`).
    ///
    /// Errors: `t` or `c` out of range; another polarity; a refused allocation of the off plane.
    pub fn set(&mut self, t: usize, c: usize, polarity: i8) -> Result<()> {
        check::index("t", t.min(i64::MAX as usize) as i64, self.num_steps)?;
        check::index("c", c.min(i64::MAX as usize) as i64, self.num_channels)?;
        if !(-1..=1).contains(&polarity) {
            return Err(ArgumentError::Invalid {
                argument: "polarity",
                reason: format!("is {polarity}, must be 1, 0 or -1"),
            }
            .into());
        }
        self.put(t, c, polarity)
    }

    /// Sets an in-range cell.
    pub(crate) fn put(&mut self, t: usize, c: usize, polarity: i8) -> Result<()> {
        let (w, bit) = (t * self.words_per_step + c / 64, 1u64 << (c % 64));
        if polarity < 0 && self.off.is_empty() {
            self.off = alloc::filled("spike raster (off spikes)", 0u64, self.on.len())?;
        }
        self.on[w] &= !bit;
        if !self.off.is_empty() {
            self.off[w] &= !bit;
        }
        match polarity {
            1 => self.on[w] |= bit,
            -1 => self.off[w] |= bit,
            _ => {}
        }
        Ok(())
    }

    /// The packed on-spike words of step `t` (panics when out of range).
    pub fn step_words(&self, t: usize) -> &[u64] {
        &self.on[t * self.words_per_step..(t + 1) * self.words_per_step]
    }

    /// All on-spike words, for encoders writing whole words (they keep the padding bits zero).
    pub(crate) fn on_words_mut(&mut self) -> &mut [u64] {
        &mut self.on
    }

    /// Installs a whole off plane (same layout as the on plane, disjoint from it, padding bits
    /// zero), or none when it holds no spike.
    pub(crate) fn set_off_plane(&mut self, off: Vec<u64>) {
        debug_assert!(off.is_empty() || off.len() == self.on.len());
        debug_assert!(off.iter().zip(&self.on).all(|(a, b)| a & b == 0));
        self.off = if off.iter().any(|&w| w != 0) {
            off
        } else {
            Vec::new()
        };
    }

    /// All on-spike words, `num_steps × words_per_step`, row-major.
    pub fn on_words(&self) -> &[u64] {
        &self.on
    }

    /// All off-spike words (empty while the raster holds no off spike).
    pub fn off_words(&self) -> &[u64] {
        &self.off
    }

    /// The channels spiking (either polarity) at step `t`, in increasing order (panics when `t`
    /// is out of range). Costs O(words per step + spikes).
    pub fn active(&self, t: usize) -> Active<'_> {
        let range = t * self.words_per_step..(t + 1) * self.words_per_step;
        Active {
            on: &self.on[range.clone()],
            off: self.off.get(range).unwrap_or(&[]),
            word: 0,
            bits: 0,
        }
    }

    /// The spikes at step `t` as `(channel, polarity)`, in increasing channel order.
    pub fn active_signed(&self, t: usize) -> impl Iterator<Item = (usize, i8)> + '_ {
        self.active(t).map(move |c| (c, self.polarity(t, c)))
    }

    /// Total number of spikes (either polarity).
    pub fn count(&self) -> u64 {
        let on: u64 = self.on.iter().map(|w| u64::from(w.count_ones())).sum();
        on + self.off.iter().map(|w| u64::from(w.count_ones())).sum::<u64>()
    }

    /// Spikes (either polarity) per channel.
    pub fn counts_per_channel(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.num_channels];
        for t in 0..self.num_steps {
            for c in self.active(t) {
                counts[c] += 1;
            }
        }
        counts
    }

    /// The dense, time-first, row-major raster (`1` / `-1` / `0` as `T`).
    ///
    /// Errors: a refused allocation (the dense form is 8 to 64 times the packed size).
    pub fn to_dense<T: SpikeValue>(&self) -> Result<Vec<T>> {
        let mut out = alloc::filled(
            "dense raster",
            T::from_polarity(0),
            self.num_steps * self.num_channels,
        )?;
        self.write_dense(&mut out)?;
        Ok(out)
    }

    /// Writes the dense raster into `out` (`num_steps × num_channels` elements).
    pub fn write_dense<T: SpikeValue>(&self, out: &mut [T]) -> Result<()> {
        check::len("out", self.num_steps * self.num_channels, out.len())?;
        out.fill(T::from_polarity(0));
        if self.num_channels == 0 {
            return Ok(());
        }
        for (plane, value) in [(&self.on, T::from_polarity(1)), (&self.off, T::from_polarity(-1))] {
            for (row, words) in out
                .chunks_exact_mut(self.num_channels)
                .zip(plane.chunks_exact(self.words_per_step))
            {
                for (w, &word) in words.iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        row[w * 64 + bits.trailing_zeros() as usize] = value;
                        bits &= bits - 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// The spikes as an event list in canonical order (by step, then channel), polarity kept.
    pub fn to_events(&self) -> SpikeEvents {
        let n = self.count() as usize;
        let (mut times, mut channels, mut polarities) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for t in 0..self.num_steps {
            for (c, p) in self.active_signed(t) {
                times.push(t as u64);
                channels.push(c as u32);
                polarities.push(p);
            }
        }
        SpikeEvents::from_parts_unchecked(
            self.num_steps as u64,
            self.num_channels as u32,
            times,
            channels,
            polarities,
        )
    }

    /// The raster of an event list (of the same extent). Lossless: `from_events(r.to_events())
    /// == r`, and `to_events(from_events(e)) == e` for events in canonical order.
    ///
    /// Errors: two events in one cell ([`SpikeError::DuplicateEvent`]); sizes as in
    /// [`new`](Self::new).
    pub fn from_events(events: &SpikeEvents) -> Result<Self> {
        let mut raster = Self::new(events.num_steps() as usize, events.num_channels() as usize)?;
        for (i, (t, c, p)) in events.iter().enumerate() {
            if raster.get(t as usize, c as usize) {
                // Rare: find the first event in that cell for the message.
                let first = events
                    .iter()
                    .position(|(t2, c2, _)| t2 == t && c2 == c)
                    .expect("the cell was set by an earlier event");
                return Err(SpikeError::DuplicateEvent {
                    argument: "events",
                    first,
                    second: i,
                    step: t,
                    channel: c,
                }
                .into());
            }
            raster.put(t as usize, c as usize, p)?;
        }
        Ok(raster)
    }
}

/// Iterator over the channels spiking at one step (see [`SpikeRaster::active`]).
#[derive(Debug, Clone)]
pub struct Active<'a> {
    on: &'a [u64],
    off: &'a [u64],
    word: usize,
    bits: u64,
}

impl Iterator for Active<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.bits != 0 {
                let b = self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                return Some((self.word - 1) * 64 + b);
            }
            if self.word >= self.on.len() {
                return None;
            }
            self.bits = self.on[self.word] | self.off.get(self.word).copied().unwrap_or(0);
            self.word += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_follows_numpy_packbits_little() {
        let mut dense = vec![0u8; 2 * 70];
        dense[3] = 1;
        dense[64] = 1;
        dense[70 + 69] = 1;
        let r = SpikeRaster::from_dense(2, 70, &dense).unwrap();
        assert_eq!(r.words_per_step(), 2);
        assert_eq!(r.on_words(), &[1 << 3, 1, 0, 1 << 5]);
        assert_eq!(r.active(0).collect::<Vec<_>>(), vec![3, 64]);
        assert_eq!(r.active(1).collect::<Vec<_>>(), vec![69]);
        assert_eq!(r.count(), 3);
        assert_eq!(r.to_dense::<u8>().unwrap(), dense);
    }

    #[test]
    fn signed_cells_round_trip() {
        let dense = [1.0f64, -1.0, 0.0, 0.0, -1.0, 1.0];
        let r = SpikeRaster::from_dense(2, 3, &dense).unwrap();
        assert!(r.is_signed());
        assert_eq!(r.polarity(0, 1), -1);
        assert_eq!(r.active_signed(1).collect::<Vec<_>>(), vec![(1, -1), (2, 1)]);
        assert_eq!(r.to_dense::<f64>().unwrap(), dense);
        assert_eq!(
            r.to_dense::<bool>().unwrap(),
            [true, true, false, false, true, true]
        );
        let e = r.to_events();
        assert_eq!(e.polarities(), &[1, -1, -1, 1]);
        assert_eq!(SpikeRaster::from_events(&e).unwrap(), r);
    }

    #[test]
    fn bad_values_and_sizes_are_errors() {
        let e = SpikeRaster::from_dense(1, 3, &[0.0, 0.5, 1.0]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `data`: element 1 is 0.5, must be 0, 1 or -1"
        );
        let e = SpikeRaster::from_dense(2, 3, &[0u8; 5]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::DimensionMismatch);
        let e = SpikeRaster::new(usize::MAX, 64).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::LimitExceeded);
        assert!(SpikeRaster::from_words(1, 3, vec![8], vec![]).is_err());
        assert!(SpikeRaster::from_words(1, 3, vec![1], vec![1]).is_err());
        let mut r = SpikeRaster::new(2, 2).unwrap();
        assert!(r.set(2, 0, 1).is_err());
        assert!(r.set(0, 0, 2).is_err());
        r.set(1, 1, -1).unwrap();
        r.set(1, 1, 0).unwrap();
        assert_eq!(r.count(), 0);
        assert!(SpikeRaster::new(0, 0).unwrap().to_events().is_empty());
    }
}
