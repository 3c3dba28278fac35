//! The `Sampler` trait every sampler implements (local ones, the D-Wave backend, fallbacks), and
//! `Control`, the cooperative stop signal passed to a running sampler.

use super::SampleSet;
use crate::Result;
use crate::qubo::Bqm;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Describes one keyword parameter a sampler accepts, for dimod's `parameters` mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParameterInfo {
    /// Keyword name, as in dwave-samplers (`num_reads`, `num_sweeps`, …).
    pub name: &'static str,
    /// What it does, including its default.
    pub description: &'static str,
}

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
pub trait Sampler: Send + Sync {
    /// Short name reported in [`Info::sampler`](super::Info::sampler) (`"simulated_annealing"`, …).
    fn name(&self) -> &'static str;

    /// The keyword parameters this sampler understands.
    fn parameters(&self) -> &'static [ParameterInfo];

    /// Fixed properties (for dimod's `properties`), as JSON.
    fn properties(&self) -> serde_json::Value {
        serde_json::Value::Object(Default::default())
    }

    /// Samples `bqm`, stopping early when `control` says so.
    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet>;

    /// Samples `bqm` to completion.
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

    fn parameters(&self) -> &'static [ParameterInfo] {
        (**self).parameters()
    }

    fn properties(&self) -> serde_json::Value {
        (**self).properties()
    }

    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        (**self).sample_with(bqm, control)
    }
}

/// A shared sampler is a sampler (the C ABI composes samplers by sharing them).
impl<S: Sampler + ?Sized> Sampler for std::sync::Arc<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn parameters(&self) -> &'static [ParameterInfo] {
        (**self).parameters()
    }

    fn properties(&self) -> serde_json::Value {
        (**self).properties()
    }

    fn sample_with(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        (**self).sample_with(bqm, control)
    }
}

/// Cooperative stop signal: an optional interrupt callback and an optional deadline. Once it
/// reports a stop it keeps reporting it, so all workers agree.
#[derive(Default)]
pub struct Control<'a> {
    interrupt: Option<&'a (dyn Fn() -> bool + Sync)>,
    deadline: Option<Instant>,
    stopped: AtomicBool,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("interrupt", &self.interrupt.is_some())
            .field("deadline", &self.deadline)
            .field("stopped", &self.stopped.load(Ordering::Relaxed))
            .finish()
    }
}

impl<'a> Control<'a> {
    /// Stops when `interrupt()` returns true (it is called between reads and every few
    /// milliseconds of work inside a read, possibly from several threads).
    pub fn with_interrupt(mut self, interrupt: &'a (dyn Fn() -> bool + Sync)) -> Self {
        self.interrupt = Some(interrupt);
        self
    }

    /// Stops at `deadline`.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Stops `timeout` from now; a timeout beyond what the clock can represent (say
    /// `u64::MAX` milliseconds) never expires, rather than overflowing.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.deadline = deadline_after(timeout);
        self
    }

    /// Whether the sampler should stop now.
    pub fn should_stop(&self) -> bool {
        if self.stopped.load(Ordering::Relaxed) {
            return true;
        }
        let stop = self.deadline.is_some_and(|d| Instant::now() >= d) || self.interrupt.is_some_and(|f| f());
        if stop {
            self.stopped.store(true, Ordering::Relaxed);
        }
        stop
    }

    /// Whether a stop has been observed (without calling the callback).
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }
}

/// `timeout` from now, or `None` (never) when the clock cannot represent it.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_stop_is_sticky() {
        let calls = AtomicUsize::new(0);
        let f = || calls.fetch_add(1, Ordering::Relaxed) >= 2;
        let c = Control::default().with_interrupt(&f);
        assert!(!c.should_stop());
        assert!(!c.should_stop());
        assert!(c.should_stop());
        assert!(c.should_stop());
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        assert!(Control::default().with_deadline(Instant::now()).should_stop());
        assert!(!Control::default().should_stop());
        assert!(Control::default().with_timeout(Duration::ZERO).should_stop());
        assert!(!Control::default().with_timeout(Duration::MAX).should_stop());
    }
}
