//! Spike data in the neuroquant container.
//!
//! - `spike_raster` v1: `meta = {"num_steps", "num_channels"}`; arrays `on` (`<u8`,
//!   `num_steps × ⌈num_channels/64⌉` words, row-major, channel `c` = bit `c % 64` of word `c / 64`)
//!   and `off` (same layout for off spikes, or empty when the raster holds none).
//! - `spike_events` v1: `meta = {"num_steps", "num_channels"}`; arrays `times` (`<u8`),
//!   `channels` (`<u4`), `polarities` (`|i1`, `1` or `-1`), one element per event.
//!
//! Streaming encoders have their own kind, documented in `stream.rs`.

use super::{SpikeEvents, SpikeRaster};
use crate::Result;
use crate::format::{FormatError, Reader, Writer};
use serde::{Deserialize, Serialize};

const RASTER_KIND: &str = "spike_raster";
const EVENTS_KIND: &str = "spike_events";
const KIND_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extent {
    num_steps: u64,
    num_channels: u64,
}

fn corrupt(r: &Reader<'_>, name: &str, e: crate::Error) -> crate::Error {
    FormatError::Corrupt {
        offset: r.offset_of(name, 0),
        reason: e.to_string(),
    }
    .into()
}

impl SpikeRaster {
    /// The raster in the versioned neuroquant container (kind `spike_raster`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = Extent {
            num_steps: self.num_steps() as u64,
            num_channels: self.num_channels() as u64,
        };
        let mut w = Writer::new(
            RASTER_KIND,
            KIND_VERSION,
            serde_json::to_value(meta).expect("plain data"),
        );
        w.u64s("on", self.on_words());
        w.u64s("off", if self.is_signed() { self.off_words() } else { &[] });
        w.finish()
    }

    /// Reads a raster written by [`to_bytes`](Self::to_bytes), validating every field.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind(RASTER_KIND, KIND_VERSION)?;
        let m: Extent = r.meta()?;
        let (Ok(steps), Ok(channels)) = (usize::try_from(m.num_steps), usize::try_from(m.num_channels))
        else {
            return Err(FormatError::Corrupt {
                offset: r.offset_of("on", 0),
                reason: "extent does not fit in memory".into(),
            }
            .into());
        };
        let on = r.u64s("on")?;
        let off = r.u64s("off")?;
        SpikeRaster::from_words(steps, channels, on, off).map_err(|e| corrupt(&r, "on", e))
    }
}

impl SpikeEvents {
    /// The events in the versioned neuroquant container (kind `spike_events`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = Extent {
            num_steps: self.num_steps(),
            num_channels: u64::from(self.num_channels()),
        };
        let mut w = Writer::new(
            EVENTS_KIND,
            KIND_VERSION,
            serde_json::to_value(meta).expect("plain data"),
        );
        w.u64s("times", self.times());
        w.u32s("channels", self.channels());
        w.i8s("polarities", self.polarities());
        w.finish()
    }

    /// Reads events written by [`to_bytes`](Self::to_bytes), validating every field.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind(EVENTS_KIND, KIND_VERSION)?;
        let m: Extent = r.meta()?;
        let Ok(channels) = u32::try_from(m.num_channels) else {
            return Err(FormatError::Corrupt {
                offset: r.offset_of("channels", 0),
                reason: format!("num_channels {} exceeds {}", m.num_channels, u32::MAX),
            }
            .into());
        };
        SpikeEvents::new(
            m.num_steps,
            channels,
            r.u64s("times")?,
            r.u32s("channels")?,
            r.i8s("polarities")?,
        )
        .map_err(|e| corrupt(&r, "times", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_corrupt_files() {
        let r = SpikeRaster::from_dense(3, 70, &(0..210).map(|i| [0i8, 1, -1][i % 3]).collect::<Vec<_>>())
            .unwrap();
        assert_eq!(SpikeRaster::from_bytes(&r.to_bytes()).unwrap(), r);
        let e = r.to_events();
        assert_eq!(SpikeEvents::from_bytes(&e.to_bytes()).unwrap(), e);
        assert!(SpikeRaster::from_bytes(&e.to_bytes()).is_err());
        let bytes = r.to_bytes();
        for cut in 0..bytes.len() {
            assert!(SpikeRaster::from_bytes(&bytes[..cut]).is_err());
        }
        // Flip every bit of every byte: never a panic.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            let _ = SpikeRaster::from_bytes(&b);
        }
        let bytes = e.to_bytes();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            let _ = SpikeEvents::from_bytes(&b);
        }
    }
}
