//! [`LeapHybridSampler`]: Leap's hybrid BQM solvers, as dwave-system's `LeapHybridSampler`: the
//! model is uploaded as a DIMODBQM file (multipart), submitted by reference with `time_limit`,
//! and the answer (format `bq`, a dimod `SampleSet.to_serializable()` document) decoded with its
//! labels matched back to the model's variables.

use super::client::{Client, stopped};
use super::config::DWaveConfig;
use super::error::DWaveError;
use super::params::{HybridParams, min_time_limit};
use super::solver::SolverInfo;
use crate::Result;
use crate::anneal::{Info, SampleSet, Sampler};
use crate::control::Control;
use crate::format::FormatError;
use crate::params::{Keyword, KeywordArgs};
use crate::qubo::{Bqm, Vartype};
use serde_json::{Value as Json, json};
use std::time::Instant;

const NAME: &str = "leap_hybrid";

/// A sampler on a Leap hybrid BQM solver. `info.extra` holds SAPI's `timing`, `problem_id`,
/// `problem_data_id` (the uploaded model),
/// `problem_label` and `solver`, plus the answer's own `info` entries.
#[derive(Debug, Clone)]
pub struct LeapHybridSampler {
    client: Client,
    solver: SolverInfo,
    params: HybridParams,
}

impl LeapHybridSampler {
    /// Connects with `config` and selects the solver: the configured name or filter, by default
    /// the least-loaded online hybrid solver accepting `bqm` problems.
    pub fn new(config: &DWaveConfig, params: HybridParams) -> Result<Self> {
        let resolved = config.resolve()?;
        if resolved.token.is_none() {
            return Err(DWaveError::MissingToken.into());
        }
        let control = Control::default();
        let client = Client::new(&resolved, &control)?;
        let filter = resolved.solver.with_defaults(&[
            ("hybrid", json!(true)),
            ("supported_problem_types__contains", json!("bqm")),
        ]);
        let solver = client.select_solver(&filter, &control)?;
        Self::with_solver(client, solver, params)
    }

    /// A sampler on `solver` reached through `client`.
    pub fn with_solver(client: Client, solver: SolverInfo, params: HybridParams) -> Result<Self> {
        params.validate()?;
        if !solver.supports("bqm") {
            return Err(DWaveError::SolverNotFound {
                filter: format!(
                    "a hybrid BQM solver; {} does not accept `bqm` problems",
                    solver.name()
                ),
                available: solver.name().to_owned(),
            }
            .into());
        }
        Ok(LeapHybridSampler {
            client,
            solver,
            params,
        })
    }

    /// The same connection and solver with other parameters (no request).
    pub fn with_params(&self, params: HybridParams) -> Result<Self> {
        params.validate()?;
        Ok(LeapHybridSampler {
            client: self.client.clone(),
            solver: self.solver.clone(),
            params,
        })
    }

    /// The solver.
    pub fn solver(&self) -> &SolverInfo {
        &self.solver
    }

    /// The parameters.
    pub fn params(&self) -> &HybridParams {
        &self.params
    }

    /// dwave-system's `min_time_limit(bqm)` for a model of `num_variables` variables.
    pub fn min_time_limit(&self, num_variables: usize) -> Option<f64> {
        min_time_limit(&self.solver, num_variables)
    }

    /// Samples `bqm` whose variables carry `labels` (JSON values, one per variable; `None`:
    /// `0..n`). The labels travel in the uploaded file and the answer's columns are matched
    /// back to them.
    pub fn sample_labelled(
        &self,
        bqm: &Bqm,
        labels: Option<&[Json]>,
        control: &Control<'_>,
    ) -> Result<SampleSet> {
        let t0 = Instant::now();
        let n = bqm.num_variables();
        let name = self.solver.name().to_owned();
        let reject = |parameter: &str, reason: String| -> crate::Error {
            DWaveError::InvalidParameter {
                solver: name.clone(),
                parameter: parameter.into(),
                reason,
            }
            .into()
        };
        if let Some(max) = self.solver.number("maximum_number_of_variables")
            && n as f64 > max
        {
            return Err(reject(
                "bqm",
                format!("has {n} variables, the solver accepts at most {max}"),
            ));
        }
        if let Some(max) = self.solver.number("maximum_number_of_biases")
            && (n + bqm.num_interactions()) as f64 > max
        {
            return Err(reject(
                "bqm",
                format!(
                    "has {} biases, the solver accepts at most {max}",
                    n + bqm.num_interactions()
                ),
            ));
        }
        let min = self.min_time_limit(n);
        let time_limit = match (self.params.time_limit, min) {
            (Some(t), Some(m)) if t < m => {
                return Err(reject(
                    "time_limit",
                    format!("{t} s is below the minimum of {m} s for {n} variables"),
                ));
            }
            (Some(t), _) => t,
            (None, Some(m)) => m,
            (None, None) => 3.0,
        };
        if let Some(hrs) = self.solver.number("maximum_time_limit_hrs")
            && time_limit > hrs * 3600.0
        {
            return Err(reject(
                "time_limit",
                format!("{time_limit} s exceeds the maximum of {hrs} h"),
            ));
        }
        for p in ["time_limit"] {
            if !self.solver.accepts_parameter(p) {
                return Err(reject(
                    p,
                    format!(
                        "is not a parameter of this solver; it accepts {}",
                        self.solver.parameter_names().join(", ")
                    ),
                ));
            }
        }
        let data = crate::qubo::formats::write_dimodbqm(bqm, labels)?;
        let t1 = Instant::now();
        let id = self.client.upload(&data, None, control, NAME)?;
        let mut job = json!({
            "solver": self.solver.identity(),
            "type": "bqm",
            "data": {"format": "ref", "data": id},
            "params": {"time_limit": time_limit},
        });
        if let Some(label) = &self.params.label {
            job["label"] = json!(label);
        }
        let done = self.client.run_problems(&[job], control, NAME)?;
        let t2 = Instant::now();
        let status = &done[0];
        let answer = status.message.get("answer").ok_or_else(|| stopped(NAME))?;
        let mut set = decode_bq(answer, bqm, labels)?;
        let mut info = Info {
            sampler: NAME.into(),
            ..Info::default()
        };
        info.timing.preprocessing_ns = (t1 - t0).as_nanos() as u64;
        info.timing.sampling_ns = (t2 - t1).as_nanos() as u64;
        info.timing.postprocessing_ns = t2.elapsed().as_nanos() as u64;
        if let Some(Json::Object(extra)) = answer.pointer("/data/info") {
            for (k, v) in extra {
                info.extra.insert(k.clone(), v.clone());
            }
        }
        if !info.extra.contains_key("timing") {
            info.extra.insert(
                "timing".into(),
                answer.get("timing").cloned().unwrap_or(json!({})),
            );
        }
        info.extra.insert("problem_id".into(), json!(status.id));
        // The uploaded model's id, as dwave-cloud-client reports it.
        info.extra.insert("problem_data_id".into(), json!(id));
        if let Some(l) = status.message.get("label").filter(|l| !l.is_null()) {
            info.extra.insert("problem_label".into(), l.clone());
        }
        info.extra.insert("solver".into(), json!(self.solver.name()));
        set.set_info(info)?;
        Ok(set)
    }
}

impl Sampler for LeapHybridSampler {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        HybridParams::keywords()
    }

    fn properties(&self) -> Json {
        Json::Object(self.solver.properties().clone())
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        self.sample_labelled(bqm, None, control)
    }
}

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt {
        offset: 0,
        reason: format!("bq answer: {reason}"),
    }
    .into()
}

/// Decodes a `bq` answer (`{"format": "bq", "data": <SampleSet.to_serializable()>}`) for
/// `bqm`, whose variables carry `labels` (`None`: `0..n`): columns are matched to the model's
/// variables by label and energies recomputed from the model are checked against the answer's.
pub fn decode_bq(answer: &Json, bqm: &Bqm, labels: Option<&[Json]>) -> Result<SampleSet> {
    if let Some(f) = answer.get("format").and_then(Json::as_str)
        && f != "bq"
    {
        return Err(corrupt(format!("format is {f:?}, expected \"bq\"")));
    }
    let data = answer.get("data").ok_or_else(|| corrupt("no `data`".into()))?;
    let n = bqm.num_variables();
    let width = data
        .get("num_variables")
        .and_then(Json::as_u64)
        .ok_or_else(|| corrupt("no `num_variables`".into()))? as usize;
    let rows = data
        .get("num_rows")
        .and_then(Json::as_u64)
        .ok_or_else(|| corrupt("no `num_rows`".into()))? as usize;
    if width != n {
        return Err(corrupt(format!("{width} variables, the model has {n}")));
    }
    crate::error::check::at_most("num_rows", rows as u64, SampleSet::max_rows(n))?;
    let answer_labels = data
        .get("variable_labels")
        .and_then(Json::as_array)
        .ok_or_else(|| corrupt("no `variable_labels`".into()))?;
    if answer_labels.len() != n {
        return Err(corrupt(format!(
            "{} labels for {n} variables",
            answer_labels.len()
        )));
    }
    let same =
        |a: &Json, b: &Json| a == b || matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y);
    // column[j] = the model variable of answer column j.
    let mut column = Vec::with_capacity(n);
    for l in answer_labels {
        let idx = match labels {
            Some(ls) => ls.iter().position(|x| same(x, l)),
            None => l.as_u64().filter(|&i| (i as usize) < n).map(|i| i as usize),
        };
        column.push(idx.ok_or_else(|| corrupt(format!("label {l} is not a variable of the model")))?);
    }
    let vartype = match data.get("variable_type").and_then(Json::as_str) {
        Some("SPIN") => Vartype::Spin,
        Some("BINARY") => Vartype::Binary,
        other => return Err(corrupt(format!("variable_type {other:?}"))),
    };
    let array = |v: &Json, what: &str| -> Result<Vec<f64>> {
        let d = v
            .get("data")
            .and_then(Json::as_array)
            .ok_or_else(|| corrupt(format!("`{what}` has no data list")))?;
        let mut out = Vec::new();
        let mut stack: Vec<&Json> = d.iter().rev().collect();
        while let Some(x) = stack.pop() {
            match x {
                Json::Array(inner) => stack.extend(inner.iter().rev()),
                other => out.push(
                    other
                        .as_f64()
                        .ok_or_else(|| corrupt(format!("`{what}` holds {other}")))?,
                ),
            }
        }
        Ok(out)
    };
    let sample_data = data
        .get("sample_data")
        .ok_or_else(|| corrupt("no `sample_data`".into()))?;
    if sample_data.get("use_bytes").and_then(Json::as_bool) == Some(true) {
        return Err(corrupt("byte-encoded sample data is not supported".into()));
    }
    let raw = array(sample_data, "sample_data")?;
    let packed = data.get("sample_packed").and_then(Json::as_bool).unwrap_or(false);
    let low = if vartype == Vartype::Spin { -1i8 } else { 0 };
    let mut answer_rows = vec![low; rows * n];
    if packed {
        let words = n.div_ceil(32);
        if raw.len() != rows * words {
            return Err(corrupt(format!(
                "{} packed words, expected {rows} x {words}",
                raw.len()
            )));
        }
        for r in 0..rows {
            for j in 0..n {
                let word = raw[r * words + j / 32] as u64;
                if (word >> (j % 32)) & 1 == 1 {
                    answer_rows[r * n + j] = 1;
                }
            }
        }
    } else {
        if raw.len() != rows * n {
            return Err(corrupt(format!(
                "{} sample values, expected {rows} x {n}",
                raw.len()
            )));
        }
        for (i, v) in raw.iter().enumerate() {
            answer_rows[i] = if *v > 0.0 { 1 } else { low };
        }
    }
    let vectors = data
        .get("vectors")
        .ok_or_else(|| corrupt("no `vectors`".into()))?;
    let energies_in = array(
        vectors
            .get("energy")
            .ok_or_else(|| corrupt("no energy vector".into()))?,
        "energy",
    )?;
    let occurrences = match vectors.get("num_occurrences") {
        Some(v) => array(v, "num_occurrences")?
            .iter()
            .map(|&x| x.max(0.0) as u64)
            .collect(),
        None => vec![1; rows],
    };
    if energies_in.len() != rows || occurrences.len() != rows {
        return Err(corrupt(format!(
            "vectors of {} and {} values for {rows} rows",
            energies_in.len(),
            occurrences.len()
        )));
    }
    // Reorder columns into the model's order and express samples in the model's vartype.
    let mut samples = vec![0i8; rows * n];
    for r in 0..rows {
        for (j, &v) in column.iter().enumerate() {
            let x = answer_rows[r * n + j];
            samples[r * n + v] = match (vartype, bqm.vartype()) {
                (a, b) if a == b => x,
                (Vartype::Spin, Vartype::Binary) => i8::from(x > 0),
                _ => {
                    if x > 0 {
                        1
                    } else {
                        -1
                    }
                }
            };
        }
    }
    let energies = bqm.energies_vec(&samples)?;
    for (r, (&mine, &theirs)) in energies.iter().zip(&energies_in).enumerate() {
        if (mine - theirs).abs() > 1e-6 * (1.0 + mine.abs()) {
            return Err(corrupt(format!(
                "row {r}: energy {theirs} does not match the model's {mine}"
            )));
        }
    }
    SampleSet::new(bqm.vartype(), n, samples, energies, Some(occurrences))
}
