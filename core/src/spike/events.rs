//! [`SpikeEvents`]: spikes as an address-event list (time step, channel, polarity).

use super::SpikeRaster;
use crate::Result;
use crate::error::{ArgumentError, check};

/// Spikes as an address-event (AER) list: event `i` is channel `channels[i]` firing at time step
/// `times[i]` with `polarities[i]` (`1`, or `-1` for an off spike), on a grid of `num_steps` steps ×
/// `num_channels` channels (the extent, kept so that conversion to a [`SpikeRaster`] and back is
/// lossless). Three parallel arrays, so a binding can view each without copying.
///
/// Events may come in any order; [`SpikeRaster::to_events`] and [`sort`](Self::sort) give the
/// canonical order (by step, then channel).
///
/// ```
/// use neuroquant::spike::{SpikeEvents, SpikeRaster};
/// let events = SpikeEvents::new(4, 2, vec![0, 3, 3], vec![1, 0, 1], vec![1, 1, -1])?;
/// let raster = SpikeRaster::from_events(&events)?;
/// assert_eq!(raster.polarity(3, 1), -1);
/// assert_eq!(raster.to_events(), events);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpikeEvents {
    num_steps: u64,
    num_channels: u32,
    times: Vec<u64>,
    channels: Vec<u32>,
    polarities: Vec<i8>,
}

impl SpikeEvents {
    /// Events from parallel arrays.
    ///
    /// Errors: arrays of different lengths; a time `>= num_steps`; a channel `>= num_channels`;
    /// a polarity other than `1` or `-1`.
    pub fn new(
        num_steps: u64,
        num_channels: u32,
        times: Vec<u64>,
        channels: Vec<u32>,
        polarities: Vec<i8>,
    ) -> Result<Self> {
        check::len("channels", times.len(), channels.len())?;
        check::len("polarities", times.len(), polarities.len())?;
        if let Some(i) = times.iter().position(|&t| t >= num_steps) {
            return Err(ArgumentError::IndexOutOfRange {
                argument: "times",
                index: times[i].min(i64::MAX as u64) as i64,
                len: usize::try_from(num_steps).unwrap_or(usize::MAX),
            }
            .into());
        }
        if let Some(i) = channels.iter().position(|&c| c >= num_channels) {
            check::index("channels", i64::from(channels[i]), num_channels as usize)?;
        }
        if let Some(i) = polarities.iter().position(|&p| p != 1 && p != -1) {
            return Err(ArgumentError::Invalid {
                argument: "polarities",
                reason: format!("element {i} is {}, must be 1 or -1", polarities[i]),
            }
            .into());
        }
        Ok(Self::from_parts_unchecked(
            num_steps,
            num_channels,
            times,
            channels,
            polarities,
        ))
    }

    /// Events known to be valid (built by this crate).
    pub(crate) fn from_parts_unchecked(
        num_steps: u64,
        num_channels: u32,
        times: Vec<u64>,
        channels: Vec<u32>,
        polarities: Vec<i8>,
    ) -> Self {
        debug_assert!(times.len() == channels.len() && times.len() == polarities.len());
        SpikeEvents {
            num_steps,
            num_channels,
            times,
            channels,
            polarities,
        }
    }

    /// Time steps of the grid.
    pub fn num_steps(&self) -> u64 {
        self.num_steps
    }

    /// Channels of the grid.
    pub fn num_channels(&self) -> u32 {
        self.num_channels
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there is no event.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Time step of each event.
    pub fn times(&self) -> &[u64] {
        &self.times
    }

    /// Channel (address) of each event.
    pub fn channels(&self) -> &[u32] {
        &self.channels
    }

    /// Polarity of each event (`1` or `-1`).
    pub fn polarities(&self) -> &[i8] {
        &self.polarities
    }

    /// `(time, channel, polarity)` of each event, in stored order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32, i8)> + '_ {
        (0..self.len()).map(|i| (self.times[i], self.channels[i], self.polarities[i]))
    }

    /// Whether the events are in canonical order (strictly increasing (step, channel)).
    pub fn is_sorted(&self) -> bool {
        (1..self.len()).all(|i| (self.times[i - 1], self.channels[i - 1]) < (self.times[i], self.channels[i]))
    }

    /// Puts the events in canonical order (stable, by step then channel).
    pub fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| (self.times[i], self.channels[i]));
        self.times = order.iter().map(|&i| self.times[i]).collect();
        self.channels = order.iter().map(|&i| self.channels[i]).collect();
        self.polarities = order.iter().map(|&i| self.polarities[i]).collect();
    }

    /// The spike times (steps) of one channel, in increasing order.
    pub fn channel_times(&self, channel: u32) -> Vec<u64> {
        let mut t: Vec<u64> = self.iter().filter(|e| e.1 == channel).map(|e| e.0).collect();
        t.sort_unstable();
        t
    }

    /// The raster of these events (see [`SpikeRaster::from_events`]).
    pub fn to_raster(&self) -> Result<SpikeRaster> {
        SpikeRaster::from_events(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_argument() {
        let e = SpikeEvents::new(2, 2, vec![0, 2], vec![0, 0], vec![1, 1]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `times`: index 2 is out of range, must be < 2"
        );
        let e = SpikeEvents::new(2, 2, vec![0], vec![5], vec![1]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `channels`: index 5 is out of range, must be < 2"
        );
        let e = SpikeEvents::new(2, 2, vec![0], vec![0], vec![0]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `polarities`: element 0 is 0, must be 1 or -1"
        );
        assert!(SpikeEvents::new(2, 2, vec![0], vec![], vec![1]).is_err());
        let dup = SpikeEvents::new(2, 2, vec![1, 0, 1], vec![1, 0, 1], vec![1, 1, -1]).unwrap();
        let e = dup.to_raster().unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `events`: events 0 and 2 are both at step 1, channel 1; a raster holds one spike per cell"
        );
    }

    #[test]
    fn sorting_gives_the_canonical_order() {
        let mut e = SpikeEvents::new(5, 3, vec![4, 1, 1], vec![0, 2, 1], vec![1, -1, 1]).unwrap();
        assert!(!e.is_sorted());
        let r = e.to_raster().unwrap();
        e.sort();
        assert!(e.is_sorted());
        assert_eq!(e.times(), &[1, 1, 4]);
        assert_eq!(e.polarities(), &[1, -1, 1]);
        assert_eq!(r.to_events(), e);
        assert_eq!(e.channel_times(0), vec![4]);
    }
}
