//! Spike-train measures: distances on spike-time arrays, population measures on rasters, template
//! matching and the pattern detector.

use super::data::raster_arg;
use crate::arrays::{contiguous, float_array};
use crate::errors::{OrRaise, invalid_argument};
use crate::params;
use neuroquant::spike::{self, PatternParams, SpikeRaster, TemplateMatcher, Train, VanRossum};
use numpy::{IntoPyArray, PyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A burst as `(channel, start, end, num_spikes)`.
type BurstTuple = (usize, usize, usize, usize);

fn times(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let a = float_array(argument, obj)?;
    crate::arrays::one_dimensional(argument, &a)?;
    Ok(contiguous(&a).into_owned())
}

/// The van Rossum distance between two sorted spike-time arrays, Elephant's normalisation (1 for
/// one unmatched spike; divide by √2 for van Rossum 2001's), O(n + m).
#[pyfunction(name = "van_rossum_distance")]
#[pyo3(signature = (a, b, time_constant = 1.0))]
fn van_rossum_distance(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, time_constant: f64) -> PyResult<f64> {
    spike::van_rossum(&times("a", a)?, &times("b", b)?, time_constant).or_raise()
}

/// The Victor–Purpura distance between two spike-time arrays (insert/delete 1, shift by Δt costs
/// `cost_factor·|Δt|`).
#[pyfunction(name = "victor_purpura_distance")]
#[pyo3(signature = (a, b, cost_factor = 1.0))]
fn victor_purpura_distance(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, cost_factor: f64) -> PyResult<f64> {
    let py = a.py();
    let (a, b) = (times("a", a)?, times("b", b)?);
    py.detach(|| spike::victor_purpura(&a, &b, cost_factor))
        .or_raise()
}

/// The van Rossum distance computed as spikes arrive (O(1) per spike): `push_a(t)` / `push_b(t)`
/// in time order, `distance()` at any moment.
#[pyclass(name = "VanRossum", module = "neuroquant.spike")]
pub struct PyVanRossum {
    inner: VanRossum,
}

#[pymethods]
impl PyVanRossum {
    #[new]
    #[pyo3(signature = (time_constant = 1.0))]
    fn new(time_constant: f64) -> PyResult<Self> {
        Ok(PyVanRossum {
            inner: VanRossum::new(time_constant).or_raise()?,
        })
    }

    /// A spike of the first train at time `t` (not before the previous spike).
    fn push_a(&mut self, t: f64) -> PyResult<()> {
        self.inner.push(Train::A, t).or_raise()
    }

    /// A spike of the second train at time `t` (not before the previous spike).
    fn push_b(&mut self, t: f64) -> PyResult<()> {
        self.inner.push(Train::B, t).or_raise()
    }

    /// The distance between the trains so far.
    fn distance(&self) -> f64 {
        self.inner.distance()
    }

    /// Forgets every spike.
    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Kuramoto order parameter of spike phases, averaged over time (None when undefined).
#[pyfunction]
fn kuramoto(raster: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    Ok(spike::kuramoto(&raster_arg("raster", raster)?))
}

/// SPIKE-synchronization, the spike-time synchrony index in [0, 1] (None when undefined).
#[pyfunction]
fn spike_synchronization(raster: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    Ok(spike::spike_synchronization(&raster_arg("raster", raster)?))
}

/// ISI bursts: `(list of (channel, start, end, num_spikes), fraction of spikes in bursts)`.
#[pyfunction]
#[pyo3(signature = (raster, max_isi = 2, min_spikes = 3))]
fn bursts(raster: &Bound<'_, PyAny>, max_isi: usize, min_spikes: usize) -> PyResult<(Vec<BurstTuple>, f64)> {
    let (b, f) = spike::bursts(&raster_arg("raster", raster)?, max_isi, min_spikes);
    Ok((
        b.iter()
            .map(|b| (b.channel, b.start, b.end, b.num_spikes))
            .collect(),
        f,
    ))
}

/// The population rate's autocorrelation at lags `0..=max_lag` (empty for a constant rate).
#[pyfunction]
fn autocorrelation<'py>(raster: &Bound<'py, PyAny>, max_lag: usize) -> PyResult<Bound<'py, PyArray1<f64>>> {
    Ok(spike::autocorrelation(&raster_arg("raster", raster)?, max_lag).into_pyarray(raster.py()))
}

/// The dominant period of the population rate and its strength, or None.
#[pyfunction]
#[pyo3(signature = (raster, min_period = 2, max_period = None))]
fn rhythmicity(
    raster: &Bound<'_, PyAny>,
    min_period: usize,
    max_period: Option<usize>,
) -> PyResult<Option<(usize, f64)>> {
    let r = raster_arg("raster", raster)?;
    let max = max_period.unwrap_or(r.num_steps() / 2);
    Ok(spike::rhythmicity(&r, min_period, max))
}

/// The Treves–Rolls activity ratio of non-negative responses (None when all are zero).
#[pyfunction]
fn treves_rolls(rates: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    let r = times("rates", rates)?;
    neuroquant::error::check::all_finite("rates", &r).map_err(|e| crate::errors::to_pyerr(e.into()))?;
    if let Some(i) = r.iter().position(|&v| v < 0.0) {
        return Err(invalid_argument(
            "rates",
            format!("element {i} is {}, must be >= 0", r[i]),
        ));
    }
    Ok(spike::treves_rolls(&r))
}

/// Population sparseness (Treves–Rolls, normalised to [0, 1]) over bins of `bin` steps.
#[pyfunction]
#[pyo3(signature = (raster, bin = 1))]
fn population_sparseness(raster: &Bound<'_, PyAny>, bin: usize) -> PyResult<Option<f64>> {
    if bin == 0 {
        return Err(invalid_argument("bin", "is 0, must be at least 1".into()));
    }
    Ok(spike::population_sparseness(&raster_arg("raster", raster)?, bin))
}

/// Matches a template raster against a stream of steps: `push(step)` takes one step's 0/1
/// values per channel and returns the cosine similarity of the last `len(template)` steps with
/// the template; `scores(raster)` scores every window.
#[pyclass(name = "TemplateMatcher", module = "neuroquant.spike")]
pub struct PyTemplateMatcher {
    inner: TemplateMatcher,
    words: Vec<u64>,
}

#[pymethods]
impl PyTemplateMatcher {
    #[new]
    fn new(template: &Bound<'_, PyAny>) -> PyResult<Self> {
        let t = raster_arg("template", template)?;
        let words = vec![0; t.words_per_step()];
        Ok(PyTemplateMatcher {
            inner: TemplateMatcher::new(&t).or_raise()?,
            words,
        })
    }

    /// Adds one step (a value per channel, 0 or 1) and returns the score of the window ending here.
    fn push(&mut self, step: &Bound<'_, PyAny>) -> PyResult<f64> {
        let a = float_array("step", step)?;
        let c = self.inner.template().num_channels();
        if a.shape() != [c] {
            return Err(crate::errors::shape_mismatch("step", &[c], a.shape()));
        }
        let row = SpikeRaster::from_dense(1, c, &contiguous(&a)).or_raise()?;
        self.words.copy_from_slice(row.step_words(0));
        self.inner.push_words(&self.words).or_raise()
    }

    /// Scores every window of a raster (continuing the stream).
    fn scores<'py>(&mut self, raster: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let r = raster_arg("raster", raster)?;
        Ok(self.inner.scores(&r).or_raise()?.into_pyarray(raster.py()))
    }

    /// Forgets the stream.
    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Runs the pattern detector on a raster and returns a dict with, for each of ``synchrony``,
/// ``rhythm``, ``sparseness``, ``burst`` and ``template``, ``{"strength", "detected"}``, plus
/// ``kuramoto``, ``period``, ``bursts`` and ``matches`` (template, step, score).
#[pyfunction(name = "_spike_detect")]
#[pyo3(signature = (raster, templates = None, **kwargs))]
fn detect<'py>(
    raster: &Bound<'py, PyAny>,
    templates: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = raster.py();
    let p: PatternParams = params::from_kwargs("detect", kwargs)?;
    let r = raster_arg("raster", raster)?;
    let mut ts = Vec::new();
    if let Some(list) = templates {
        for t in list.try_iter()? {
            ts.push(raster_arg("templates", &t?)?);
        }
    }
    let report = py.detach(|| spike::detect(&r, &ts, &p)).or_raise()?;
    let d = PyDict::new(py);
    for (name, pat) in [
        ("synchrony", report.synchrony),
        ("rhythm", report.rhythm),
        ("sparseness", report.sparseness),
        ("burst", report.burst),
        ("template", report.template),
    ] {
        let e = PyDict::new(py);
        e.set_item("strength", pat.strength)?;
        e.set_item("detected", pat.detected)?;
        d.set_item(name, e)?;
    }
    d.set_item("kuramoto", report.kuramoto)?;
    d.set_item("period", report.period)?;
    let bursts = PyList::empty(py);
    for b in &report.bursts {
        bursts.append((b.channel, b.start, b.end, b.num_spikes))?;
    }
    d.set_item("bursts", bursts)?;
    let matches = PyList::empty(py);
    for m in &report.matches {
        matches.append((m.template, m.step, m.score))?;
    }
    d.set_item("matches", matches)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyVanRossum>()?;
    m.add_class::<PyTemplateMatcher>()?;
    for f in [
        wrap_pyfunction!(van_rossum_distance, m)?,
        wrap_pyfunction!(victor_purpura_distance, m)?,
        wrap_pyfunction!(kuramoto, m)?,
        wrap_pyfunction!(spike_synchronization, m)?,
        wrap_pyfunction!(bursts, m)?,
        wrap_pyfunction!(autocorrelation, m)?,
        wrap_pyfunction!(rhythmicity, m)?,
        wrap_pyfunction!(treves_rolls, m)?,
        wrap_pyfunction!(population_sparseness, m)?,
        wrap_pyfunction!(detect, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
