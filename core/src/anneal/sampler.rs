//! The `Sampler` trait every sampler implements (local ones, the D-Wave backend, fallbacks); a
//! run's execution policy is a [`Control`](crate::control::Control).

use super::SampleSet;
use crate::Result;
use crate::control::Control;
use crate::params::Keyword;
use crate::qubo::Bqm;

/// A sampler of binary quadratic models: returns low-energy samples of a [`Bqm`].
///
/// Each sampler is a value holding its typed parameters (`num_reads`, schedule, seed, …), so
/// `sample` needs only the model. Implementations run reads in parallel where they can, with
/// results independent of the thread count (SPEC §6), and honour [`Control`] between reads and
/// inside long reads (about every millisecond of work), returning the reads completed so far
/// when stopped.
///
/// Limits (ARCHITECTURE.md, invariant 1): the rows a run returns are at most
/// [`SampleSet::max_rows`] of the model's width (`num_reads`, or `num_reads × trotter` for all
/// Trotter slices, or `max_ground_states`), refused before sampling with a `LimitExceeded` error
/// naming the argument; what one read simulates at once (parallel-tempering replicas or Trotter
/// slices × variables) is at most [`MAX_READ_SPINS`](super::MAX_READ_SPINS); buffers are
/// allocated fallibly (`Error::OutOfMemory`).
///
/// An implementation writes [`run`](Self::run); callers use [`sample`](Self::sample) or
/// [`sample_with`](Self::sample_with), which apply the execution policy of the [`Control`]
/// (thread count) around it.
pub trait Sampler: Send + Sync {
    /// Short name reported in [`Info::sampler`](super::Info::sampler) (`"simulated_annealing"`, …).
    fn name(&self) -> &'static str;

    /// The keyword parameters this sampler's parameter type reads.
    fn parameters(&self) -> &'static [Keyword];

    /// Fixed properties (for dimod's `properties`), as JSON (`serde_json` is a public dependency,
    /// re-exported as `neuroquant::serde_json`).
    fn properties(&self) -> serde_json::Value {
        serde_json::Value::Object(Default::default())
    }

    /// Samples `bqm` on the current rayon pool, stopping early when `control` says so and
    /// reporting progress to it. Called by [`sample_with`](Self::sample_with).
    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet>;

    /// Samples `bqm` under `control`: its thread count, deadline, interrupt and progress callback.
    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        control.install(|| self.run(bqm, control))?
    }

    /// Samples `bqm` to completion on all cores.
    fn sample(&self, bqm: &Bqm) -> Result<SampleSet> {
        self.sample_with(bqm, &Control::default())
    }
}

/// A boxed sampler is a sampler, so heterogeneous samplers can be stored and composed
/// (`FallbackSampler<Box<dyn Sampler>, Box<dyn Sampler>>`).
impl<S: Sampler + ?Sized> Sampler for Box<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn parameters(&self) -> &'static [Keyword] {
        (**self).parameters()
    }

    fn properties(&self) -> serde_json::Value {
        (**self).properties()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        (**self).run(bqm, control)
    }
}

/// A shared sampler is a sampler (the C ABI composes samplers by sharing them).
impl<S: Sampler + ?Sized> Sampler for std::sync::Arc<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn parameters(&self) -> &'static [Keyword] {
        (**self).parameters()
    }

    fn properties(&self) -> serde_json::Value {
        (**self).properties()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        (**self).run(bqm, control)
    }
}
