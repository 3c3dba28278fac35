//! Spikes from C: streaming encoders (`NqEncoder`), batch encoders on raw arrays (snnTorch's
//! rate, latency and delta), and spike-train distances on raw spike-time arrays.

mod batch;
mod distance;
mod encoder;

pub use batch::*;
pub use distance::*;
pub use encoder::*;
