//! `neuroquant.dwave`: the D-Wave backend's native samplers (`DWaveSampler`, `LeapHybridSampler`,
//! `EmbeddingSampler`), the embedding finder and SAPI's `qp` coders (with dwave-cloud-client's
//! shapes, so the coders are cross-checked against its `encode_problem_as_qp` / `decode_qp_numpy`).
//!
//! Connection settings and problem parameters are keyword arguments read by the core
//! (`DWaveConfig`, `QpuParams`, `HybridParams`, `EmbeddingCompositeParams`): names, defaults,
//! validation and messages are the core's.

use crate::anneal::{PySampleSet, PySampler};
use crate::control::RunPolicy;
use crate::errors::{OrRaise, invalid_argument};
use crate::params;
use crate::qubo::PyBqm;
use neuroquant::dwave::{
    DWaveConfig, DWaveSampler, Embedding, EmbeddingCompositeParams, EmbeddingParams, EmbeddingSampler,
    HybridParams, LeapHybridSampler, ProblemType, QpuParams, SolverInfo, TargetGraph,
};
use neuroquant::params::KeywordArgs;
use neuroquant::qubo::{Bqm, Vartype};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value as Json;

/// A Python object as JSON (through the `json` module, so any JSON-able value works).
fn to_json(obj: &Bound<'_, PyAny>, argument: &'static str) -> PyResult<Json> {
    let text: String = obj
        .py()
        .import("json")?
        .call_method1("dumps", (obj,))?
        .extract()?;
    serde_json::from_str(&text).map_err(|e| invalid_argument(argument, format!("is not JSON: {e}")))
}

/// JSON as a Python object.
fn from_json<'py>(py: Python<'py>, v: &Json) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (v.to_string(),))
}

/// Splits keyword arguments into the connection settings (`DWaveConfig`'s keywords) and the
/// rest (the sampler's parameters, which reject unknown names).
fn split<'py>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let config = PyDict::new(py);
    let rest = PyDict::new(py);
    if let Some(d) = kwargs {
        for (k, v) in d.iter() {
            let name: String = k.extract()?;
            if DWaveConfig::keywords().iter().any(|kw| kw.name() == name) {
                config.set_item(k, v)?;
            } else {
                rest.set_item(k, v)?;
            }
        }
    }
    Ok((config, rest))
}

/// `{keyword: value}` of parameters (the set ones only, as SAPI sends them).
fn params_dict<'py, P: KeywordArgs>(py: Python<'py>, p: &P) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in p.to_keywords() {
        if v != neuroquant::params::Value::None {
            d.set_item(k, params::from_value(py, &v)?)?;
        }
    }
    Ok(d)
}

/// A structured sampler on a D-Wave QPU solver (dwave-system's ``DWaveSampler``): variable ``i``
/// of a model is qubit ``i``. Keyword arguments are the connection settings (``endpoint``,
/// ``token``, ``solver``, ``region``, ``proxy``, ``request_timeout``, ``polling_timeout``,
/// ``http_retry_total``, ``config_file``, ``profile``, ``metadata_api_endpoint``; unset ones come
/// from ``DWAVE_API_*`` and dwave.conf, with Ocean's precedence) and the problem parameters
/// (SAPI's names: ``num_reads``, ``answer_mode``, ``annealing_time``, ...; see
/// ``DWaveSampler.parameters``). Connecting selects the solver (one request); the token is never
/// shown in ``repr``, errors or logs. ``sample(bqm)`` sends the variables with a bias or an
/// interaction; ``sample_qubits`` sends an explicit set. ``info["extra"]`` holds SAPI's
/// ``timing`` (µs), ``problem_id`` and ``problem_ids``.
#[pyclass(name = "DWaveSampler", module = "neuroquant.dwave", extends = PySampler, frozen)]
pub struct PyDWaveSampler {
    pub(crate) inner: DWaveSampler,
}

impl PyDWaveSampler {
    fn build(inner: DWaveSampler) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PySampler::new(inner.clone())).add_subclass(PyDWaveSampler { inner })
    }
}

#[pymethods]
impl PyDWaveSampler {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let (config, rest) = split(py, kwargs)?;
        let config: DWaveConfig = params::from_kwargs("DWaveSampler", Some(&config))?;
        let p: QpuParams = params::from_kwargs("DWaveSampler", Some(&rest))?;
        let inner = py.detach(|| DWaveSampler::new(&config, p)).or_raise()?;
        Ok(Self::build(inner))
    }

    /// The same connection and solver with other problem parameters (no request).
    #[pyo3(signature = (**kwargs))]
    fn with_params(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<Self>> {
        let p: QpuParams = params::from_kwargs("DWaveSampler", kwargs)?;
        Py::new(py, Self::build(self.inner.with_params(p).or_raise()?))
    }

    /// The solver's name.
    #[getter]
    fn solver(&self) -> String {
        self.inner.solver().name().to_owned()
    }

    /// The Solver API endpoint (without credentials).
    #[getter]
    fn endpoint(&self) -> String {
        self.inner.client().endpoint().to_owned()
    }

    /// Number of qubits of the solver (working or not): the size of a model over its qubits.
    #[getter]
    fn num_qubits(&self) -> usize {
        self.inner.solver().num_qubits()
    }

    /// The working qubits, sorted.
    #[getter]
    fn nodelist(&self) -> Vec<u32> {
        self.inner.nodelist()
    }

    /// The working couplers as sorted ``(u, v)`` pairs with ``u < v``.
    #[getter]
    fn edgelist(&self) -> Vec<(u32, u32)> {
        self.inner.edgelist()
    }

    /// The problem parameters that are set (``{name: value}``).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params_dict(py, self.inner.params())
    }

    /// Samples ``bqm`` (over the solver's qubit labels, ``num_qubits`` variables or fewer) on
    /// the qubits listed in ``qubits`` (every variable with a bias or an interaction must be
    /// listed), as dimod sends a model's variables; other qubits read as the vartype's low value.
    #[pyo3(signature = (bqm, qubits, *, interrupt_function = None, timeout = None))]
    fn sample_qubits(
        &self,
        py: Python<'_>,
        bqm: PyRef<'_, PyBqm>,
        qubits: Vec<u32>,
        interrupt_function: Option<Py<PyAny>>,
        timeout: Option<f64>,
    ) -> PyResult<PySampleSet> {
        check_qubit_labels(py, &bqm)?;
        let n = bqm.inner.num_variables();
        let mut active = vec![false; n];
        for &q in &qubits {
            match active.get_mut(q as usize) {
                Some(a) => *a = true,
                None => {
                    return Err(invalid_argument(
                        "qubits",
                        format!("qubit {q} is not a variable of the model ({n} variables)"),
                    ));
                }
            }
        }
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let sampler = &self.inner;
        let model = &bqm.inner;
        let result = policy.run(py, |control| sampler.sample_qubits(model, Some(&active), control))?;
        Ok(PySampleSet {
            inner: result,
            variables: bqm.labels.to_list(py)?.unbind(),
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = params::repr(py, "", self.inner.params())?;
        let inner = p.trim_start_matches('(').trim_end_matches(')');
        Ok(format!(
            "DWaveSampler(solver={:?}, endpoint={:?}{}{})",
            self.inner.solver().name(),
            self.inner.client().endpoint(),
            if inner.is_empty() { "" } else { ", " },
            inner
        ))
    }
}

/// A Leap hybrid BQM sampler (dwave-system's ``LeapHybridSampler``): the model is uploaded as a
/// DIMODBQM file (multipart, MD5-checked, resumed after a failed part) and solved remotely.
/// Keyword arguments are the connection settings (as ``DWaveSampler``) and ``time_limit``
/// (seconds; default: the solver's minimum for the model's size) and ``label``.
/// ``info["extra"]`` holds ``problem_id`` and SAPI's ``timing``.
#[pyclass(name = "LeapHybridSampler", module = "neuroquant.dwave", extends = PySampler, frozen)]
pub struct PyLeapHybridSampler {
    inner: LeapHybridSampler,
}

impl PyLeapHybridSampler {
    fn build(inner: LeapHybridSampler) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PySampler::new(inner.clone())).add_subclass(PyLeapHybridSampler { inner })
    }
}

#[pymethods]
impl PyLeapHybridSampler {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let (config, rest) = split(py, kwargs)?;
        let config: DWaveConfig = params::from_kwargs("LeapHybridSampler", Some(&config))?;
        let p: HybridParams = params::from_kwargs("LeapHybridSampler", Some(&rest))?;
        let inner = py.detach(|| LeapHybridSampler::new(&config, p)).or_raise()?;
        Ok(Self::build(inner))
    }

    /// The same connection and solver with other parameters (no request).
    #[pyo3(signature = (**kwargs))]
    fn with_params(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<Self>> {
        let p: HybridParams = params::from_kwargs("LeapHybridSampler", kwargs)?;
        Py::new(py, Self::build(self.inner.with_params(p).or_raise()?))
    }

    /// The solver's name.
    #[getter]
    fn solver(&self) -> String {
        self.inner.solver().name().to_owned()
    }

    /// The parameters that are set (``{name: value}``).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params_dict(py, self.inner.params())
    }

    /// The solver's minimum ``time_limit`` (seconds) for a model of ``num_variables`` variables,
    /// interpolated in ``properties["minimum_time_limit"]`` as dwave-system does.
    fn min_time_limit(&self, num_variables: usize) -> Option<f64> {
        self.inner.min_time_limit(num_variables)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = params::repr(py, "", self.inner.params())?;
        let inner = p.trim_start_matches('(').trim_end_matches(')');
        Ok(format!(
            "LeapHybridSampler(solver={:?}{}{})",
            self.inner.solver().name(),
            if inner.is_empty() { "" } else { ", " },
            inner
        ))
    }
}

/// Samples any model on a QPU through minor embedding (dwave-system's ``EmbeddingComposite``, or
/// ``FixedEmbeddingComposite`` when ``embedding`` is given as one chain of qubits per variable):
/// finds an embedding, sets the chain strength (default ``uniform_torque_compensation``),
/// samples with ``child`` and unembeds by majority vote, adding the ``chain_break_fraction``
/// vector. Keywords: ``chain_strength``, ``chain_break_fraction``, ``return_embedding`` and the
/// finder's ``tries``, ``max_no_improvement``, ``chainlength_patience``, ``random_seed``.
#[pyclass(name = "EmbeddingSampler", module = "neuroquant.dwave", extends = PySampler, frozen)]
pub struct PyEmbeddingSampler {
    inner: EmbeddingSampler,
    child: Py<PyDWaveSampler>,
}

#[pymethods]
impl PyEmbeddingSampler {
    #[new]
    #[pyo3(signature = (child, embedding = None, **kwargs))]
    fn new(
        child: Bound<'_, PyDWaveSampler>,
        embedding: Option<Vec<Vec<u32>>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let p: EmbeddingCompositeParams = params::from_kwargs("EmbeddingSampler", kwargs)?;
        let core = child.get().inner.clone();
        let inner = match embedding {
            Some(chains) => EmbeddingSampler::with_embedding(core, Embedding::new(chains), p),
            None => EmbeddingSampler::new(core, p),
        }
        .or_raise()?;
        Ok(
            PyClassInitializer::from(PySampler::new(inner.clone())).add_subclass(PyEmbeddingSampler {
                inner,
                child: child.unbind(),
            }),
        )
    }

    /// The QPU sampler the embedded models are sent to.
    #[getter]
    fn child(&self, py: Python<'_>) -> Py<PyDWaveSampler> {
        self.child.clone_ref(py)
    }

    /// The parameters that are set (``{name: value}``).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params_dict(py, self.inner.params())
    }
}

/// Finds a minor embedding of the graph with edges ``source_edges`` (over variables
/// ``0..num_variables``) into the graph with ``target_edges`` (over nodes ``0..num_nodes``, all
/// present), as minorminer's ``find_embedding``: returns one chain of target nodes per variable.
/// Keywords: ``tries``, ``max_no_improvement``, ``chainlength_patience``, ``random_seed`` (same
/// seed, same embedding). Raises ``InvalidArgumentError`` when none is found.
#[pyfunction]
#[pyo3(signature = (num_variables, source_edges, num_nodes, target_edges, **kwargs))]
fn find_embedding(
    py: Python<'_>,
    num_variables: usize,
    source_edges: Vec<(u32, u32)>,
    num_nodes: usize,
    target_edges: Vec<(u32, u32)>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<Vec<u32>>> {
    let p: EmbeddingParams = params::from_kwargs("find_embedding", kwargs)?;
    let mut bqm = Bqm::with_variables(Vartype::Spin, num_variables).or_raise()?;
    for &(u, v) in &source_edges {
        if u == v {
            return Err(invalid_argument(
                "source_edges",
                format!("({u}, {v}) is a self-loop"),
            ));
        }
        bqm.add_quadratic(u, v, 1.0).or_raise()?;
    }
    let nodes: Vec<u32> = (0..num_nodes as u32).collect();
    let target = TargetGraph::new(num_nodes, &nodes, &target_edges).or_raise()?;
    let policy = RunPolicy::new(None, None, None, None)?;
    let embedding = policy.run(py, |control| {
        neuroquant::dwave::find_embedding(&bqm, &target, &p, control)
    })?;
    Ok(embedding.chains().to_vec())
}

fn problem_type(text: &str) -> PyResult<ProblemType> {
    match text {
        "ising" => Ok(ProblemType::Ising),
        "qubo" => Ok(ProblemType::Qubo),
        other => Err(invalid_argument(
            "type",
            format!("is {other:?}, must be \"ising\" or \"qubo\""),
        )),
    }
}

/// Encodes a problem for a structured solver in SAPI's ``qp`` format, as dwave-cloud-client's
/// ``encode_problem_as_qp``: ``solver`` is the solver description SAPI returns (dwave-cloud-client's
/// ``solver.data``), ``linear`` maps qubits to biases, ``quadratic`` maps ``(u, v)`` couplers to
/// biases (both directions summed). Returns ``{"format": "qp", "lin", "quad", "offset"}``.
/// Qubits and couplers the solver does not have are refused.
#[pyfunction]
#[pyo3(signature = (solver, linear, quadratic, offset = 0.0))]
fn encode_qp<'py>(
    py: Python<'py>,
    solver: &Bound<'py, PyAny>,
    linear: std::collections::HashMap<u32, f64>,
    quadratic: std::collections::HashMap<(u32, u32), f64>,
    offset: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let info = SolverInfo::from_json("solver", &to_json(solver, "solver")?).or_raise()?;
    let n = info.num_qubits();
    let mut active = vec![false; n];
    let mut lin = vec![0.0; n];
    let mut mark = |q: u32, argument: &'static str| -> PyResult<()> {
        match active.get_mut(q as usize) {
            Some(a) => {
                *a = true;
                Ok(())
            }
            None => Err(invalid_argument(
                argument,
                format!("qubit {q} is outside the solver's {n} qubits"),
            )),
        }
    };
    for (&q, &b) in &linear {
        mark(q, "linear")?;
        lin[q as usize] = b;
    }
    let mut quad: Vec<(u32, u32, f64)> = Vec::with_capacity(quadratic.len());
    for (&(u, v), &b) in &quadratic {
        mark(u, "quadratic")?;
        mark(v, "quadratic")?;
        quad.push((u, v, b));
    }
    neuroquant::dwave::check_structure(&info, &active, &quad)
        .map_err(|reason| invalid_argument("quadratic", reason))?;
    let encoded = neuroquant::dwave::encode_qp(&info, &active, &lin, &quad, offset);
    from_json(py, &encoded.to_json())
}

/// Decodes a SAPI problem message with a ``qp`` answer (``{"type": "ising" | "qubo", "answer":
/// {...}}``), as dwave-cloud-client's ``decode_qp_numpy``: returns the answer's fields with
/// ``solutions`` as an int8 array over all ``num_variables`` qubits (inactive ones 0 for
/// ``ising``, 3 for ``qubo``), ``energies`` plus the answer's ``offset``, ``num_occurrences``
/// (ones when the answer has none), ``active_variables``, ``timing`` and ``problem_type``.
#[pyfunction]
fn decode_qp<'py>(py: Python<'py>, message: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let msg = to_json(message, "message")?;
    let kind = msg
        .get("type")
        .and_then(Json::as_str)
        .ok_or_else(|| invalid_argument("message", "has no \"type\"".into()))?;
    let t = problem_type(kind)?;
    let answer = msg
        .get("answer")
        .ok_or_else(|| invalid_argument("message", "has no \"answer\"".into()))?;
    let decoded = neuroquant::dwave::decode_qp(answer, t).or_raise()?;
    let offset = answer.get("offset").and_then(Json::as_f64).unwrap_or(0.0);
    let rows = decoded.energies.len();
    let full = decoded.full_solutions(t);
    let out = PyDict::new(py);
    out.set_item("format", "qp")?;
    out.set_item("num_variables", decoded.num_variables)?;
    let sol = full
        .into_pyarray(py)
        .call_method1("reshape", ((rows, decoded.num_variables),))?;
    out.set_item("solutions", sol)?;
    let energies: Vec<f64> = decoded.energies.iter().map(|e| e + offset).collect();
    out.set_item("energies", energies.into_pyarray(py))?;
    let occ: Vec<i64> = decoded.num_occurrences.iter().map(|&c| c as i64).collect();
    out.set_item("num_occurrences", occ.into_pyarray(py))?;
    let active: Vec<i64> = decoded.active_variables.iter().map(|&q| q as i64).collect();
    out.set_item("active_variables", active.into_pyarray(py))?;
    out.set_item("timing", from_json(py, &Json::Object(decoded.timing))?)?;
    out.set_item("offset", offset)?;
    out.set_item("problem_type", kind)?;
    Ok(out)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDWaveSampler>()?;
    m.add_class::<PyLeapHybridSampler>()?;
    m.add_class::<PyEmbeddingSampler>()?;
    m.add_function(wrap_pyfunction!(find_embedding, m)?)?;
    m.add_function(wrap_pyfunction!(encode_qp, m)?)?;
    m.add_function(wrap_pyfunction!(decode_qp, m)?)?;
    Ok(())
}

/// The QPU sampler reads variable `i` as qubit `i`: a model whose labels are not exactly
/// `0, 1, …, n − 1` in that order (a `from_dimod_bqm` of a model built out of qubit order, say)
/// would reach the wrong qubits without a word, so it is refused with the way out.
pub(crate) fn check_qubit_labels(py: Python<'_>, bqm: &PyBqm) -> PyResult<()> {
    if bqm.labels.is_range() {
        return Ok(());
    }
    for i in 0..bqm.labels.len() {
        let label = bqm.labels.label(py, i);
        let label = label.bind(py);
        let is_i =
            label.is_exact_instance_of::<pyo3::types::PyInt>() && label.extract::<usize>().ok() == Some(i);
        if !is_i {
            return Err(invalid_argument(
                "bqm",
                format!(
                    "DWaveSampler reads variable i as qubit i, but variable {i} is labelled {}: build \
                     the model with labels 0..n-1 in qubit order (e.g. bqm.relabel to positions) or \
                     sample it through EmbeddingSampler",
                    label.repr()?
                ),
            ));
        }
    }
    Ok(())
}
