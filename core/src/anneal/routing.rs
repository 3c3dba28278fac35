//! `RoutingSampler`: picks the sampler for a model by its size — the exact solver for tiny
//! models, local annealers for mid-size ones, a QPU or hybrid solver for large ones.

use super::{Control, SampleSet, Sampler};
use crate::Result;
use crate::error::ArgumentError;
use crate::params::Keyword;
use crate::qubo::Bqm;
use std::sync::Arc;

const NAME: &str = "routing";

/// Answers each model with the first route whose `max_variables` is at least the model's number
/// of variables, or with `default` for larger models. `info.extra["routing"]` records the choice:
/// `{"answered_by": name, "num_variables": n, "route": index | null, "max_variables": limit | null}`.
///
/// ```
/// use neuroquant::anneal::{ExactSolver, RoutingSampler, Sampler, SimulatedAnnealing};
/// use neuroquant::qubo::{Bqm, Vartype};
/// use std::sync::Arc;
/// let router = RoutingSampler::new(
///     vec![(16, Arc::new(ExactSolver::default()) as Arc<dyn Sampler>)],
///     Arc::new(SimulatedAnnealing::default()),
/// )?;
/// let small = Bqm::with_variables(Vartype::Spin, 3)?;
/// assert_eq!(router.sample(&small)?.info().sampler, "exact");
/// let large = Bqm::with_variables(Vartype::Spin, 40)?;
/// assert_eq!(router.sample(&large)?.info().extra["routing"]["answered_by"], "simulated_annealing");
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Clone)]
pub struct RoutingSampler {
    routes: Vec<(usize, Arc<dyn Sampler>)>,
    default: Arc<dyn Sampler>,
}

impl std::fmt::Debug for RoutingSampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoutingSampler")
            .field(
                "routes",
                &self
                    .routes
                    .iter()
                    .map(|(m, s)| (*m, s.name()))
                    .collect::<Vec<_>>(),
            )
            .field("default", &self.default.name())
            .finish()
    }
}

impl RoutingSampler {
    /// Routes as `(max_variables, sampler)` pairs, in increasing `max_variables` (each limit
    /// strictly larger than the one before, so the order states the rule); `default` answers
    /// models larger than every limit.
    pub fn new(routes: Vec<(usize, Arc<dyn Sampler>)>, default: Arc<dyn Sampler>) -> Result<Self> {
        if let Some(k) = routes.windows(2).position(|w| w[0].0 >= w[1].0) {
            return Err(ArgumentError::Invalid {
                argument: "routes",
                reason: format!(
                    "max_variables must increase from route to route, but route {} has {} and route {} has {}",
                    k,
                    routes[k].0,
                    k + 1,
                    routes[k + 1].0
                ),
            }
            .into());
        }
        Ok(RoutingSampler { routes, default })
    }

    /// The route for a model of `n` variables: its index (None for the default) and sampler.
    pub fn route(&self, n: usize) -> (Option<usize>, &Arc<dyn Sampler>) {
        match self.routes.iter().position(|(max, _)| n <= *max) {
            Some(i) => (Some(i), &self.routes[i].1),
            None => (None, &self.default),
        }
    }
}

impl Sampler for RoutingSampler {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        &[]
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({
            "routes": self.routes.iter().map(|(m, s)| serde_json::json!({"max_variables": m, "sampler": s.name()})).collect::<Vec<_>>(),
            "default": self.default.name(),
        })
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let n = bqm.num_variables();
        let (index, sampler) = self.route(n);
        let mut set = sampler.run(bqm, control)?;
        let route = serde_json::json!({
            "answered_by": sampler.name(),
            "num_variables": n,
            "route": index,
            "max_variables": index.map(|i| self.routes[i].0),
        });
        set.info_mut().extra.insert("routing".into(), route);
        Ok(set)
    }
}
