//! `FallbackSampler`: answer from a primary sampler (say a D-Wave solver), or from a fallback
//! (say simulated annealing) when the primary fails or runs out of time, with a circuit breaker
//! that stops calling a primary that keeps failing.

use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const NAME: &str = "fallback";

params! {
    /// How a `FallbackSampler` treats its primary: a time limit per call, and a circuit breaker
    /// (after `failure_threshold` consecutive failures the primary is skipped for `cooldown_ms`,
    /// then one call probes it: success closes the breaker, failure opens it again).
    pub struct FallbackParams {
        /// Milliseconds the primary may run before the fallback answers; None: no limit.
        keyword timeout_ms: Option<u64> = None,
        /// Consecutive primary failures (errors or time-outs) that open the breaker; 0: never.
        keyword failure_threshold: u32 = 3,
        /// Milliseconds the breaker stays open before one call probes the primary again.
        keyword cooldown_ms: u64 = 30_000,
    }
}

params_container!(FallbackParams, "fallback_params");

impl FallbackParams {
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// The breaker's state between calls.
#[derive(Debug, Default)]
struct Breaker {
    consecutive_failures: u32,
    /// Open until this instant (then half-open: the next call probes).
    open_until: Option<Instant>,
    /// A probe is running: other calls skip the primary meanwhile.
    probing: bool,
}

/// What the breaker decided for one call.
enum Gate {
    /// Call the primary (`probe`: the breaker was half-open).
    Call { probe: bool },
    /// Skip it: the breaker is open.
    Skip { remaining: Duration },
}

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
#[derive(Debug)]
pub struct FallbackSampler<P, F> {
    primary: P,
    fallback: F,
    params: FallbackParams,
    breaker: Mutex<Breaker>,
}

impl<P: Sampler, F: Sampler> FallbackSampler<P, F> {
    /// Composes `primary` and `fallback`; `timeout` bounds the primary's run (`None`: no bound);
    /// the circuit breaker has the defaults of [`FallbackParams`].
    pub fn new(primary: P, fallback: F, timeout: Option<Duration>) -> Self {
        let params = FallbackParams::default()
            .timeout_ms(timeout.map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)));
        FallbackSampler::with_params(primary, fallback, params)
    }

    /// Composes `primary` and `fallback` under `params` (time limit and circuit breaker).
    pub fn with_params(primary: P, fallback: F, params: FallbackParams) -> Self {
        FallbackSampler {
            primary,
            fallback,
            params,
            breaker: Mutex::new(Breaker::default()),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &FallbackParams {
        &self.params
    }

    fn gate(&self) -> Gate {
        let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        match b.open_until {
            None => Gate::Call { probe: false },
            Some(until) => {
                let now = Instant::now();
                if now < until || b.probing {
                    Gate::Skip {
                        remaining: until.saturating_duration_since(now),
                    }
                } else {
                    b.probing = true;
                    Gate::Call { probe: true }
                }
            }
        }
    }

    /// Records the outcome of a primary call; returns the breaker's state for the report.
    fn record(&self, ok: bool, probe: bool) -> serde_json::Value {
        let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        if probe {
            b.probing = false;
        }
        if ok {
            b.consecutive_failures = 0;
            b.open_until = None;
        } else {
            b.consecutive_failures = b.consecutive_failures.saturating_add(1);
            let threshold = self.params.failure_threshold;
            if threshold > 0 && (probe || b.consecutive_failures >= threshold) {
                b.open_until = crate::control::deadline_after(Duration::from_millis(self.params.cooldown_ms));
                if b.open_until.is_none() {
                    // A cool-down beyond the clock: open for good.
                    b.open_until = Some(Instant::now() + Duration::from_secs(365 * 24 * 3600));
                }
            }
        }
        Self::state(&b)
    }

    fn state(b: &Breaker) -> serde_json::Value {
        let state = match (b.open_until, b.probing) {
            (None, _) => "closed",
            (Some(_), true) => "half_open",
            (Some(until), false) if Instant::now() >= until => "half_open",
            (Some(_), false) => "open",
        };
        serde_json::json!({"state": state, "consecutive_failures": b.consecutive_failures})
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
        self.params.timeout_ms.map(Duration::from_millis)
    }

    fn answered(
        &self,
        mut set: SampleSet,
        by: &str,
        reason: String,
        breaker: serde_json::Value,
    ) -> SampleSet {
        set.info_mut().extra.insert(
            "fallback".into(),
            serde_json::json!({
                "answered_by": by,
                "primary": self.primary.name(),
                "fallback": self.fallback.name(),
                "reason": reason,
                "breaker": breaker,
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
        FallbackParams::keywords()
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({
            "primary": self.primary.name(),
            "fallback": self.fallback.name(),
            "timeout_ms": self.params.timeout_ms,
            "failure_threshold": self.params.failure_threshold,
            "cooldown_ms": self.params.cooldown_ms,
        })
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let probe = match self.gate() {
            Gate::Call { probe } => probe,
            Gate::Skip { remaining } => {
                let breaker = {
                    let b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
                    Self::state(&b)
                };
                let reason = format!(
                    "circuit breaker open after {} consecutive primary failures; primary skipped for another {} ms",
                    breaker["consecutive_failures"],
                    remaining.as_millis()
                );
                let set = self.fallback.sample_with(bqm, control)?;
                return Ok(self.answered(set, "fallback", reason, breaker));
            }
        };
        let outer = || control.should_stop();
        let mut inner = Control::default().with_interrupt(&outer);
        if let Some(t) = self.timeout() {
            inner = inner.with_timeout(t);
        }
        let result = self.primary.sample_with(bqm, &inner);
        // A stop the caller asked for is passed through, not treated as a failure (nor success).
        if control.stopped() {
            let breaker = {
                let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
                if probe {
                    b.probing = false;
                }
                Self::state(&b)
            };
            return result.map(|set| self.answered(set, "primary", "stopped by the caller".into(), breaker));
        }
        let reason = match result {
            Ok(set) if !(inner.stopped() && set.info().interrupted) => {
                let breaker = self.record(true, probe);
                let why = if probe {
                    "primary succeeded (probe closed the breaker)"
                } else {
                    "primary succeeded"
                };
                return Ok(self.answered(set, "primary", why.into(), breaker));
            }
            Ok(_) => timeout_reason(self.timeout()),
            Err(e) if inner.stopped() => format!("{}: {e}", timeout_reason(self.timeout())),
            Err(e) => format!("primary failed: {e}"),
        };
        let breaker = self.record(false, probe);
        let set = self.fallback.sample_with(bqm, control)?;
        Ok(self.answered(set, "fallback", reason, breaker))
    }
}

fn timeout_reason(timeout: Option<Duration>) -> String {
    match timeout {
        Some(t) => format!("primary timed out after {} ms", t.as_millis()),
        None => "primary was stopped".into(),
    }
}
