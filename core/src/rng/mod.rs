//! Seeded random streams whose output never depends on the number of threads.
//!
//! A parallel routine draws randomness for work item `i` (a read, a trajectory, a parameter
//! point) from [`stream`]`(seed, i)` and from nothing else, so any scheduling of the items over
//! any number of threads gives the same result bit for bit (SPEC §6).

mod stream;

pub(crate) use stream::stream_state;
pub use stream::{Rng, resolve_seed, splitmix64, stream};
