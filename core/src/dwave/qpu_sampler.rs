//! [`DWaveSampler`]: a structured sampler on a D-Wave QPU solver, as dwave-system's
//! `DWaveSampler`: the model's variables are the solver's qubit labels.

use super::client::{Client, stopped};
use super::config::DWaveConfig;
use super::error::DWaveError;
use super::params::QpuParams;
use super::qp::{self, ProblemType};
use super::solver::SolverInfo;
use crate::Result;
use crate::anneal::{Info, SampleSet, Sampler};
use crate::control::Control;
use crate::params::{Keyword, KeywordArgs};
use crate::qubo::{Bqm, Vartype};
use serde_json::{Map, Value as Json, json};
use std::time::Instant;

const NAME: &str = DWaveSampler::NAME;

/// A structured sampler on a D-Wave QPU: variable `i` of a model is qubit `i` of the solver
/// (see [`nodelist`](Self::nodelist) and [`edgelist`](Self::edgelist)). A model sent through
/// [`Sampler::sample`] uses the variables with a bias or an interaction (isolated variables
/// without a bias are not sent and read as the vartype's low value); use
/// [`sample_qubits`](Self::sample_qubits) to send an explicit set of qubits, as dimod does.
///
/// Problems are encoded in SAPI's `qp` format; parameters are checked against the solver's
/// properties before any request; reads above the solver's per-problem limit are split over
/// several problems; waiting honours the [`Control`] (a stop cancels the problems).
/// `info.extra` holds SAPI's `timing` (summed over problems), `problem_id` (the first),
/// `problem_ids` and `solver`.
#[derive(Debug, Clone)]
pub struct DWaveSampler {
    client: Client,
    solver: SolverInfo,
    params: QpuParams,
    extra: Vec<(String, Json)>,
}

impl DWaveSampler {
    /// The sampler's name (`info.sampler`).
    pub const NAME: &'static str = "dwave";

    /// Connects with `config` (and the environment / dwave.conf, Ocean's precedence) and
    /// selects the solver: the configured name or filter, by default the least-loaded online
    /// QPU (`{"qpu": true}`). Fails on a missing token, an unknown solver, or invalid `params`.
    pub fn new(config: &DWaveConfig, params: QpuParams) -> Result<Self> {
        let resolved = config.resolve()?;
        if resolved.token.is_none() {
            return Err(DWaveError::MissingToken.into());
        }
        let control = Control::default();
        let client = Client::new(&resolved, &control)?;
        let filter = resolved.solver.with_defaults(&[("qpu", json!(true))]);
        let solver = client.select_solver(&filter, &control)?;
        Self::with_solver(client, solver, params)
    }

    /// A sampler on `solver` reached through `client`.
    pub fn with_solver(client: Client, solver: SolverInfo, params: QpuParams) -> Result<Self> {
        params.validate()?;
        if !(solver.supports("qubo") || solver.supports("ising")) || solver.qubits().is_empty() {
            return Err(DWaveError::SolverNotFound {
                filter: format!("a structured (QPU) solver; {} is not one", solver.name()),
                available: solver.name().to_owned(),
            }
            .into());
        }
        Ok(DWaveSampler {
            client,
            solver,
            params,
            extra: Vec::new(),
        })
    }

    /// The same connection and solver with other parameters (cheap: no request).
    pub fn with_params(&self, params: QpuParams) -> Result<Self> {
        params.validate()?;
        Ok(DWaveSampler {
            client: self.client.clone(),
            solver: self.solver.clone(),
            params,
            extra: Vec::new(),
        })
    }

    /// Adds a solver-specific parameter passed through unchecked by name rules other than the
    /// solver's list (`x_*` parameters, or parameters newer than [`QpuParams`]).
    pub fn with_extra_parameter(mut self, name: &str, value: Json) -> Self {
        self.extra.retain(|(k, _)| k != name);
        self.extra.push((name.to_owned(), value));
        self
    }

    /// The parameters.
    pub fn params(&self) -> &QpuParams {
        &self.params
    }

    /// The solver.
    pub fn solver(&self) -> &SolverInfo {
        &self.solver
    }

    /// The connection.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The working qubits (dimod's `nodelist`), sorted.
    pub fn nodelist(&self) -> Vec<u32> {
        let mut q = self.solver.qubits().to_vec();
        q.sort_unstable();
        q
    }

    /// The working couplers (dimod's `edgelist`) as sorted `(u, v)` with `u < v`.
    pub fn edgelist(&self) -> Vec<(u32, u32)> {
        let mut e: Vec<(u32, u32)> = self
            .solver
            .couplers()
            .iter()
            .map(|&(a, b)| (a.min(b), a.max(b)))
            .collect();
        e.sort_unstable();
        e
    }

    /// Samples `bqm` on the qubits marked in `active` (`None`: the variables with a bias or an
    /// interaction).
    pub fn sample_qubits(
        &self,
        bqm: &Bqm,
        active: Option<&[bool]>,
        control: &Control<'_>,
    ) -> Result<SampleSet> {
        let t0 = Instant::now();
        let n = bqm.num_variables();
        let quadratic: Vec<(u32, u32, f64)> = bqm.iter_quadratic().collect();
        let active: Vec<bool> = match active {
            Some(a) => {
                crate::error::check::len("active", n, a.len())?;
                let mut a = a.to_vec();
                for &(u, v, _) in &quadratic {
                    a[u as usize] = true;
                    a[v as usize] = true;
                }
                a
            }
            None => {
                let mut a: Vec<bool> = bqm.linear().iter().map(|&b| b != 0.0).collect();
                for &(u, v, _) in &quadratic {
                    a[u as usize] = true;
                    a[v as usize] = true;
                }
                a
            }
        };
        qp::check_structure(&self.solver, &active, &quadratic).map_err(|reason| {
            DWaveError::ProblemStructure {
                solver: self.solver.name().to_owned(),
                reason,
            }
        })?;
        let problem_type = match bqm.vartype() {
            Vartype::Spin => ProblemType::Ising,
            Vartype::Binary => ProblemType::Qubo,
        };
        if !self.solver.supports(problem_type.as_str()) {
            return Err(DWaveError::ProblemStructure {
                solver: self.solver.name().to_owned(),
                reason: format!("does not accept {} problems", problem_type.as_str()),
            }
            .into());
        }
        let params = self.params.to_sapi(&self.solver, n, bqm.vartype(), &self.extra)?;
        if params.get("auto_scale") == Some(&Json::Bool(false)) && problem_type == ProblemType::Ising {
            self.check_ranges(bqm, &quadratic)?;
        }
        // Reads above the per-problem limit are split over several problems.
        let num_reads = self.params.num_reads.unwrap_or(1) as u64;
        crate::error::check::at_most("num_reads", num_reads, SampleSet::max_rows(n))?;
        let per_problem = self
            .solver
            .max_num_reads(
                self.params.annealing_time,
                self.params.readout_thermalization,
                self.params.programming_thermalization,
            )
            .unwrap_or(num_reads)
            .max(1);
        let encoded = qp::encode_qp(&self.solver, &active, bqm.linear(), &quadratic, bqm.offset());
        let mut jobs = Vec::new();
        let mut left = num_reads;
        while left > 0 {
            let reads = left.min(per_problem);
            left -= reads;
            let mut p = params.clone();
            if self.params.num_reads.is_some() || num_reads > 1 {
                p.insert("num_reads".into(), json!(reads));
            }
            let mut job = json!({
                "solver": self.solver.identity(),
                "type": problem_type.as_str(),
                "data": encoded.to_json(),
                "params": Json::Object(p),
            });
            if let Some(label) = &self.params.label {
                job["label"] = json!(label);
            }
            jobs.push(job);
        }
        let t1 = Instant::now();
        let done = self.client.run_problems(&jobs, control, NAME)?;
        let t2 = Instant::now();
        let mut set: Option<SampleSet> = None;
        let mut timing = Map::new();
        let mut ids = Vec::new();
        for status in &done {
            let answer = status.message.get("answer").ok_or_else(|| stopped(NAME))?;
            let decoded = qp::decode_qp(answer, problem_type)?;
            for (k, v) in &decoded.timing {
                let sum = timing.get(k).and_then(Json::as_f64).unwrap_or(0.0) + v.as_f64().unwrap_or(0.0);
                timing.insert(
                    k.clone(),
                    if v.is_f64() || timing.get(k).is_some_and(Json::is_f64) {
                        json!(sum)
                    } else {
                        json!(sum as i64)
                    },
                );
            }
            ids.push(json!(status.id));
            let part = qp::to_sample_set(&decoded, bqm.vartype(), n, bqm.offset())?;
            match &mut set {
                None => set = Some(part),
                Some(s) => s.concatenate(&part)?,
            }
        }
        let mut set = set.ok_or_else(|| stopped(NAME))?;
        let mut info = Info {
            sampler: NAME.into(),
            ..Info::default()
        };
        info.timing.preprocessing_ns = (t1 - t0).as_nanos() as u64;
        info.timing.sampling_ns = (t2 - t1).as_nanos() as u64;
        info.timing.postprocessing_ns = t2.elapsed().as_nanos() as u64;
        info.extra.insert("timing".into(), Json::Object(timing));
        info.extra.insert("problem_id".into(), ids[0].clone());
        info.extra.insert("problem_ids".into(), Json::Array(ids));
        info.extra.insert("solver".into(), json!(self.solver.name()));
        info.extra
            .insert("problem_type".into(), json!(problem_type.as_str()));
        set.set_info(info)?;
        Ok(set)
    }

    fn check_ranges(&self, bqm: &Bqm, quadratic: &[(u32, u32, f64)]) -> Result<()> {
        let reject = |reason: String| -> crate::Error {
            DWaveError::ProblemStructure {
                solver: self.solver.name().to_owned(),
                reason,
            }
            .into()
        };
        if let Some([lo, hi]) = self.solver.range("h_range")
            && let Some((v, h)) = bqm
                .linear()
                .iter()
                .enumerate()
                .find(|(_, h)| !(lo <= **h && **h <= hi))
        {
            return Err(reject(format!(
                "h of variable {v} is {h}, outside h_range [{lo}, {hi}] (auto_scale is off)"
            )));
        }
        let j = self
            .solver
            .range("extended_j_range")
            .or(self.solver.range("j_range"));
        if let Some([lo, hi]) = j
            && let Some(&(u, v, b)) = quadratic.iter().find(|(_, _, b)| !(lo <= *b && *b <= hi))
        {
            return Err(reject(format!(
                "J of ({u}, {v}) is {b}, outside [{lo}, {hi}] (auto_scale is off)"
            )));
        }
        Ok(())
    }
}

impl Sampler for DWaveSampler {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        QpuParams::keywords()
    }

    fn properties(&self) -> Json {
        Json::Object(self.solver.properties().clone())
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        self.sample_qubits(bqm, None, control)
    }
}
