//! Spikes: the data ([`SpikeRaster`], [`SpikeEvents`]), encoders from sensor values to spikes
//! (batch over arrays and streaming, one sample at a time) with their decoders, and measures of
//! what spike trains contain (distances, synchrony, bursts, rhythm, sparseness, templates).

mod delta;
mod error;
mod events;
mod latency;
mod raster;
mod rate;
mod serialize;
mod stream;

pub use delta::{DeltaParams, delta};
pub use error::SpikeError;
pub use events::SpikeEvents;
pub use latency::{LatencyOutput, LatencyParams, latency, latency_decode, latency_times};
pub use raster::{Active, MAX_RASTER_CELLS, SpikeRaster, SpikeValue};
pub use rate::{Encoded, PoissonParams, RateParams, poisson, rate};
pub use stream::{Encoder, EncoderKind, EncoderParams, MAX_ENCODER_CHANNELS, MAX_ENCODER_STATE};

/// Units of work (cells, spikes, distance terms) between two looks at a run's
/// [`Control`](crate::control::Control): about a millisecond, as in the samplers.
pub(crate) const WORK_BETWEEN_CHECKS: usize = 1 << 20;
