//! Spikes: the data ([`SpikeRaster`], [`SpikeEvents`]), encoders from sensor values to spikes
//! (batch over arrays and streaming, one sample at a time) with their decoders, and measures of
//! what spike trains contain (distances, synchrony, bursts, rhythm, sparseness, templates).

mod activity;
mod bernoulli;
mod decode;
mod delta;
mod detector;
mod distance;
mod error;
mod events;
mod latency;
mod population;
mod raster;
mod rate;
mod serialize;
mod stream;
mod synchrony;
mod template;
mod temporal;

pub use activity::{Burst, autocorrelation, bursts, population_sparseness, rhythmicity, treves_rolls};
pub use decode::{
    DeltaDecodeParams, PoissonDecodeParams, RateDecodeParams, delta_decode, poisson_decode, rate_decode,
};
pub use delta::{DeltaParams, delta};
pub use detector::{Pattern, PatternParams, PatternReport, TemplateMatch, detect, detect_with};
pub use distance::{Train, VanRossum, van_rossum, victor_purpura, victor_purpura_with};
pub use error::SpikeError;
pub use events::SpikeEvents;
pub use latency::{LatencyOutput, LatencyParams, latency, latency_decode, latency_times};
pub use population::{PopulationParams, population, population_decode};
pub use raster::{Active, MAX_RASTER_CELLS, SpikeRaster, SpikeValue};
pub use rate::{Encoded, PoissonParams, RateParams, poisson, rate};
pub use stream::{Encoder, EncoderKind, EncoderParams, MAX_ENCODER_CHANNELS, MAX_ENCODER_STATE};
pub use synchrony::{kuramoto, spike_synchronization};
pub use template::TemplateMatcher;
pub use temporal::{
    BsaOutput, BsaParams, MAX_BSA_FILTER, Reconstruction, bsa, bsa_decode, bsa_with, tbr_threshold,
};

/// Units of work (cells, spikes, distance terms) between two looks at a run's
/// [`Control`](crate::control::Control): about a millisecond, as in the samplers.
pub(crate) const WORK_BETWEEN_CHECKS: usize = 1 << 20;
