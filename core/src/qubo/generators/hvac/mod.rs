//! The HVAC zone × time-slot on/off schedule of the flagship pipeline (SPEC §9): energy price,
//! comfort against a forecast demand, and a peak-power limit per slot.

mod build;
mod decode;
mod input;

pub use build::{Hvac, PeakSlot, hvac};
pub use decode::{HvacSolution, MinRunViolation, PeakViolation};
pub use input::{ComfortModel, HvacInput};
