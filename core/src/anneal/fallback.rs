//! `FallbackSampler`: answer from a primary sampler (say a D-Wave solver), or from a fallback
//! (say simulated annealing) when the primary fails or runs out of time.

use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::params::Keyword;
use crate::qubo::Bqm;
use std::time::Duration;

const NAME: &str = "fallback";

/// Runs `primary`; if it returns an error, or is still running when `timeout` expires, runs
/// `fallback` instead. `info.sampler` names the sampler whose rows are returned and
/// `info.extra["fallback"]` says which one answered and why:
/// `{"answered_by": "primary"|"fallback", "primary": name, "fallback": name, "reason": …}`.
///
/// The timeout is cooperative: it is passed to the primary as a deadline in its [`Control`], which
/// every sampler of this crate observes between reads and every few milliseconds inside a read.
/// A primary stopped by its deadline counts as timed out even if it returned some reads. A stop
/// requested by the caller is not a failure: the primary's partial result (or its error) is
/// returned and the fallback is not run.
///
/// ```
/// use neuroquant::anneal::{ExactSolver, FallbackSampler, Sampler, SimulatedAnnealing};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let bqm = Bqm::with_variables(Vartype::Spin, 40)?; // too large for the exact solver
/// let s = FallbackSampler::new(ExactSolver::default(), SimulatedAnnealing::default(), None);
/// let set = s.sample(&bqm)?;
/// assert_eq!(set.info().sampler, "simulated_annealing");
/// assert_eq!(set.info().extra["fallback"]["answered_by"], "fallback");
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FallbackSampler<P, F> {
    primary: P,
    fallback: F,
    timeout: Option<Duration>,
}

impl<P: Sampler, F: Sampler> FallbackSampler<P, F> {
    /// Composes `primary` and `fallback`; `timeout` bounds the primary's run (`None`: no bound).
    pub fn new(primary: P, fallback: F, timeout: Option<Duration>) -> Self {
        FallbackSampler {
            primary,
            fallback,
            timeout,
        }
    }

    /// The primary sampler.
    pub fn primary(&self) -> &P {
        &self.primary
    }

    /// The fallback sampler.
    pub fn fallback(&self) -> &F {
        &self.fallback
    }

    /// The primary's time limit.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    fn answered(&self, mut set: SampleSet, by: &str, reason: String) -> SampleSet {
        set.info_mut().extra.insert(
            "fallback".into(),
            serde_json::json!({
                "answered_by": by,
                "primary": self.primary.name(),
                "fallback": self.fallback.name(),
                "reason": reason,
            }),
        );
        set
    }
}

impl<P: Sampler, F: Sampler> Sampler for FallbackSampler<P, F> {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        &[]
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({
            "primary": self.primary.name(),
            "fallback": self.fallback.name(),
            "timeout_ms": self.timeout.map(|t| t.as_millis() as u64),
        })
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let outer = || control.should_stop();
        let mut inner = Control::default().with_interrupt(&outer);
        if let Some(t) = self.timeout {
            inner = inner.with_timeout(t);
        }
        let result = self.primary.sample_with(bqm, &inner);
        // A stop the caller asked for is passed through, not treated as a failure.
        if control.stopped() {
            return result.map(|set| self.answered(set, "primary", "stopped by the caller".into()));
        }
        let reason = match result {
            Ok(set) if !(inner.stopped() && set.info().interrupted) => {
                return Ok(self.answered(set, "primary", "primary succeeded".into()));
            }
            Ok(_) => timeout_reason(self.timeout),
            Err(e) if inner.stopped() => format!("{}: {e}", timeout_reason(self.timeout)),
            Err(e) => format!("primary failed: {e}"),
        };
        let set = self.fallback.sample_with(bqm, control)?;
        Ok(self.answered(set, "fallback", reason))
    }
}

fn timeout_reason(timeout: Option<Duration>) -> String {
    match timeout {
        Some(t) => format!("primary timed out after {} ms", t.as_millis()),
        None => "primary was stopped".into(),
    }
}
