//! Spikes: the data ([`SpikeRaster`], [`SpikeEvents`]), encoders from sensor values to spikes
//! (batch over arrays and streaming, one sample at a time) with their decoders, and measures of
//! what spike trains contain (distances, synchrony, bursts, rhythm, sparseness, templates).

mod error;
mod events;
mod raster;
mod serialize;

pub use error::SpikeError;
pub use events::SpikeEvents;
pub use raster::{Active, MAX_RASTER_CELLS, SpikeRaster, SpikeValue};
