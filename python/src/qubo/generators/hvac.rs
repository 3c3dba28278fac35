//! `hvac(...)`: the zone × slot schedule of SPEC §9. Decision `(z, t)` is variable `z·T + t`
//! labelled `(z, t)`; the slack of slot `t`'s peak limit follows, labelled `("slack", t, i)`, then
//! with a minimum run time the start variables, labelled `("start", z, t)`.

use super::args::{array, floats, floats_1d, index_arg, labelled, pair, sample_arg, slack_labels};
use crate::errors::{OrRaise, invalid_argument, shape_mismatch};
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, ComfortModel, Hvac, HvacInput};
use numpy::PyArrayMethods;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

record! {
    /// A slot whose total power exceeds its limit.
    PyPeakViolation as "PeakViolation" {
        /// The slot (int).
        slot,
        /// Total rated power of the units on (kW, float).
        power_kw,
        /// The slot's limit (kW, float).
        limit_kw,
        /// `power_kw - limit_kw` (float).
        excess_kw,
    }
}

record! {
    /// How one slot's peak-power limit is encoded.
    PyPeakSlot as "PeakSlot" {
        /// Labels of the slot's slack variables (tuple).
        slack_variables,
        /// The power each slack variable stands for (kW, tuple of floats).
        slack_kw,
        /// The limit rounded down to a multiple of the power resolution (kW, float).
        effective_limit_kw,
        /// Whether the slot carries a penalty at all (bool).
        constrained,
    }
}

record! {
    /// A decoded schedule, its costs and its constraint report; `total` equals the model's
    /// energy of the sample.
    PyHvacSolution as "HvacSolution" {
        /// 1 when zone z's unit is on in slot t (uint8 array, Z × T).
        schedule,
        /// Energy cost (currency, float).
        energy_cost,
        /// Energy cost of each zone (float64 array, Z).
        energy_cost_per_zone,
        /// Electrical energy of each zone (kWh, float64 array, Z).
        energy_kwh_per_zone,
        /// Comfort cost (currency, float).
        comfort_cost,
        /// Comfort cost of each zone (float64 array, Z).
        comfort_cost_per_zone,
        /// The comfort model's imbalance per zone and slot (kWh, float64 array, Z × T).
        imbalance_kwh,
        /// All constraint penalties: `peak_penalty + min_run_penalty` (float).
        penalty,
        /// The peak penalty of the sample, slack included (float).
        peak_penalty,
        /// The minimum-run penalty of the sample, start variables included (float).
        min_run_penalty,
        /// `energy_cost + comfort_cost + penalty` (float).
        total,
        /// Total rated power of the units on, per slot (kW, float64 array, T).
        slot_power_kw,
        /// The slots over their limit (tuple of PeakViolation).
        violations,
        /// Runs shorter than the minimum run time, and locked units switched off (tuple of
        /// MinRunViolation).
        min_run_violations,
        /// No slot is over its limit and no run is too short (bool).
        feasible,
    }
}

record! {
    /// A run that breaks the minimum run time.
    PyMinRunViolation as "MinRunViolation" {
        /// The zone (int).
        zone,
        /// The slot the run starts in; for a locked unit, the first slot it is off (int).
        slot,
        /// How many slots the run lasted, counting those before the horizon (int).
        run_slots,
        /// The unit was locked on by a run begun before the horizon (bool).
        locked,
    }
}

/// An HVAC scheduling horizon and its model.
#[pyclass(name = "Hvac", module = "neuroquant.qubo", frozen)]
pub struct PyHvac {
    inner: Hvac,
    bqm: Py<PyBqm>,
    slots: Py<PyTuple>,
}

/// `demand_kwh` as a `(Z, T)` array, or one-dimensional (`Z` horizon totals, or `Z·T` flat).
fn demand_arg(obj: &Bound<'_, PyAny>, zones: usize, slots: usize) -> PyResult<Vec<f64>> {
    let (data, shape) = floats("demand_kwh", obj)?;
    match shape[..] {
        [_] => Ok(data),
        [z, t] if (z, t) == (zones, slots) => Ok(data),
        [z, t] => Err(shape_mismatch("demand_kwh", &[zones, slots], &[z, t])),
        _ => Err(invalid_argument(
            "demand_kwh",
            format!("must be a (zones, slots) array, got shape {shape:?}"),
        )),
    }
}

/// Builds the HVAC model of one horizon (see the stub for every argument's unit and rule).
#[pyfunction]
#[pyo3(signature = (
    *,
    rated_power_kw,
    delivered_kwh,
    comfort_weight,
    demand_kwh,
    price_per_kwh,
    peak_limit_kw,
    slot_hours = 1.0,
    initial_imbalance_kwh = None,
    comfort = "cumulative",
    peak_strength = None,
    power_resolution_kw = None,
    min_run_slots = 0,
    initial_run_slots = None,
    min_run_strength = None,
))]
#[allow(clippy::too_many_arguments)]
fn hvac(
    py: Python<'_>,
    rated_power_kw: &Bound<'_, PyAny>,
    delivered_kwh: &Bound<'_, PyAny>,
    comfort_weight: &Bound<'_, PyAny>,
    demand_kwh: &Bound<'_, PyAny>,
    price_per_kwh: &Bound<'_, PyAny>,
    peak_limit_kw: &Bound<'_, PyAny>,
    slot_hours: f64,
    initial_imbalance_kwh: Option<&Bound<'_, PyAny>>,
    comfort: &str,
    peak_strength: Option<f64>,
    power_resolution_kw: Option<f64>,
    min_run_slots: usize,
    initial_run_slots: Option<Vec<usize>>,
    min_run_strength: Option<f64>,
) -> PyResult<PyHvac> {
    let rated_power_kw = floats_1d("rated_power_kw", rated_power_kw)?;
    let price_per_kwh = floats_1d("price_per_kwh", price_per_kwh)?;
    let (nz, nt) = (rated_power_kw.len(), price_per_kwh.len());
    let input = HvacInput {
        delivered_kwh: floats_1d("delivered_kwh", delivered_kwh)?,
        comfort_weight: floats_1d("comfort_weight", comfort_weight)?,
        initial_imbalance_kwh: match initial_imbalance_kwh {
            Some(x) => floats_1d("initial_imbalance_kwh", x)?,
            None => Vec::new(),
        },
        demand_kwh: demand_arg(demand_kwh, nz, nt)?,
        peak_limit_kw: floats_1d("peak_limit_kw", peak_limit_kw)?,
        rated_power_kw,
        price_per_kwh,
        slot_hours,
        comfort: comfort.parse::<ComfortModel>().or_raise()?,
        peak_strength,
        power_resolution_kw,
        min_run_slots,
        initial_run_slots: initial_run_slots.unwrap_or_default(),
        min_run_strength,
    };
    let inner = py.detach(|| generators::hvac(input)).or_raise()?;
    let mut labels = Vec::with_capacity(inner.bqm().num_variables());
    for z in 0..nz as u32 {
        for t in 0..nt as u32 {
            labels.push(pair(py, z, t)?);
        }
    }
    let mut slots = Vec::with_capacity(nt);
    for (t, slot) in inner.peak_slots().iter().enumerate() {
        let slack = slack_labels(py, &[t as u32], slot.slack_variables.len())?;
        labels.extend(slack.iter().map(|l| l.clone_ref(py)));
        slots.push(PyPeakSlot {
            slack_variables: obj(py, PyTuple::new(py, slack)?)?,
            slack_kw: obj(py, PyTuple::new(py, &slot.slack_kw)?)?,
            effective_limit_kw: obj(py, slot.effective_limit_kw)?,
            constrained: obj(py, slot.constrained)?,
        });
    }
    if !inner.start_variables().is_empty() {
        for z in 0..nz as u32 {
            for t in 0..nt as u32 {
                labels.push(
                    PyTuple::new(
                        py,
                        [
                            "start".into_pyobject(py)?.into_any(),
                            z.into_pyobject(py)?.into_any(),
                            t.into_pyobject(py)?.into_any(),
                        ],
                    )?
                    .into_any()
                    .unbind(),
                );
            }
        }
    }
    let bqm = labelled(py, inner.bqm().clone(), labels)?;
    let slots = PyTuple::new(
        py,
        slots
            .into_iter()
            .map(|s| Py::new(py, s))
            .collect::<PyResult<Vec<_>>>()?,
    )?
    .unbind();
    Ok(PyHvac { inner, bqm, slots })
}

/// A `Z × T` array from zone-major data.
fn matrix<'py, T: numpy::Element>(py: Python<'py>, data: Vec<T>, z: usize, t: usize) -> PyResult<Py<PyAny>> {
    Ok(numpy::PyArray1::from_vec(py, data)
        .reshape([z, t])?
        .into_any()
        .unbind())
}

#[pymethods]
impl PyHvac {
    /// The model (BINARY: decisions `(z, t)`, then slack `("slack", t, i)`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    #[getter]
    /// Number of zones.
    fn num_zones(&self) -> usize {
        self.inner.num_zones()
    }

    #[getter]
    /// Number of time slots.
    fn num_slots(&self) -> usize {
        self.inner.num_slots()
    }

    /// The peak-penalty strength used.
    #[getter]
    fn peak_strength(&self) -> f64 {
        self.inner.peak_strength()
    }

    /// Any peak strength above this makes every minimiser respect every peak limit.
    #[getter]
    fn peak_strength_bound(&self) -> f64 {
        self.inner.peak_strength_bound()
    }

    /// The unit the rated powers are multiples of (kW).
    #[getter]
    fn power_resolution_kw(&self) -> f64 {
        self.inner.power_resolution_kw()
    }

    /// The minimum-run penalty strength used.
    #[getter]
    fn min_run_strength(&self) -> f64 {
        self.inner.min_run_strength()
    }

    /// Any minimum-run strength above this makes every minimiser free of short runs.
    #[getter]
    fn min_run_strength_bound(&self) -> f64 {
        self.inner.min_run_strength_bound()
    }

    /// How each slot's peak limit is encoded (tuple of PeakSlot, one per slot).
    #[getter]
    fn peak_slots(&self, py: Python<'_>) -> Py<PyTuple> {
        self.slots.clone_ref(py)
    }

    /// Labels of every slack variable, slot by slot.
    #[getter]
    fn slack_variables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let mut out = Vec::new();
        for slot in self.slots.bind(py).iter() {
            let slot = slot.cast_into::<PyPeakSlot>()?;
            out.extend(
                slot.get()
                    .slack_variables
                    .bind(py)
                    .try_iter()?
                    .collect::<PyResult<Vec<_>>>()?,
            );
        }
        PyTuple::new(py, out)
    }

    /// The index (in variable order) of zone `z`'s decision in slot `t`.
    fn variable(&self, z: i64, t: i64) -> PyResult<u32> {
        let z = index_arg("z", z, self.inner.num_zones())?;
        let t = index_arg("t", t, self.inner.num_slots())?;
        self.inner.variable(z, t).or_raise()
    }

    /// The schedule, costs and constraint report of one sample of the model (decisions and
    /// slack).
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyHvacSolution> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let s = self.inner.decode(&values).or_raise()?;
        let (z, t) = (self.inner.num_zones(), self.inner.num_slots());
        let violations = s
            .violations
            .iter()
            .map(|v| {
                Py::new(
                    py,
                    PyPeakViolation {
                        slot: obj(py, v.slot)?,
                        power_kw: obj(py, v.power_kw)?,
                        limit_kw: obj(py, v.limit_kw)?,
                        excess_kw: obj(py, v.excess_kw)?,
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        let min_run = s
            .min_run_violations
            .iter()
            .map(|v| {
                Py::new(
                    py,
                    PyMinRunViolation {
                        zone: obj(py, v.zone)?,
                        slot: obj(py, v.slot)?,
                        run_slots: obj(py, v.run_slots)?,
                        locked: obj(py, v.locked)?,
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyHvacSolution {
            schedule: matrix(py, s.schedule, z, t)?,
            energy_cost: obj(py, s.energy_cost)?,
            energy_cost_per_zone: array(py, s.energy_cost_per_zone),
            energy_kwh_per_zone: array(py, s.energy_kwh_per_zone),
            comfort_cost: obj(py, s.comfort_cost)?,
            comfort_cost_per_zone: array(py, s.comfort_cost_per_zone),
            imbalance_kwh: matrix(py, s.imbalance_kwh, z, t)?,
            penalty: obj(py, s.penalty)?,
            peak_penalty: obj(py, s.peak_penalty)?,
            min_run_penalty: obj(py, s.min_run_penalty)?,
            total: obj(py, s.total)?,
            slot_power_kw: array(py, s.slot_power_kw),
            violations: obj(py, PyTuple::new(py, violations)?)?,
            min_run_violations: obj(py, PyTuple::new(py, min_run)?)?,
            feasible: obj(py, s.feasible)?,
        })
    }

    /// Pickles as `functools.partial(hvac, **inputs)`: the model is rebuilt from its inputs.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let input = self.inner.input();
        let (z, t) = (input.num_zones(), input.num_slots());
        let kwargs = PyDict::new(py);
        kwargs.set_item("rated_power_kw", array(py, input.rated_power_kw.clone()))?;
        kwargs.set_item("delivered_kwh", array(py, input.delivered_kwh.clone()))?;
        kwargs.set_item("comfort_weight", array(py, input.comfort_weight.clone()))?;
        let demand = if input.demand_kwh.len() == z * t {
            matrix(py, input.demand_kwh.clone(), z, t)?
        } else {
            array(py, input.demand_kwh.clone())
        };
        kwargs.set_item("demand_kwh", demand)?;
        kwargs.set_item("price_per_kwh", array(py, input.price_per_kwh.clone()))?;
        kwargs.set_item("peak_limit_kw", array(py, input.peak_limit_kw.clone()))?;
        kwargs.set_item("slot_hours", input.slot_hours)?;
        if !input.initial_imbalance_kwh.is_empty() {
            kwargs.set_item(
                "initial_imbalance_kwh",
                array(py, input.initial_imbalance_kwh.clone()),
            )?;
        }
        kwargs.set_item("comfort", input.comfort.name())?;
        kwargs.set_item("peak_strength", input.peak_strength)?;
        kwargs.set_item("power_resolution_kw", input.power_resolution_kw)?;
        kwargs.set_item("min_run_slots", input.min_run_slots)?;
        if !input.initial_run_slots.is_empty() {
            kwargs.set_item("initial_run_slots", input.initial_run_slots.clone())?;
        }
        kwargs.set_item("min_run_strength", input.min_run_strength)?;
        let build = py
            .import("functools")?
            .getattr("partial")?
            .call((super::args::builder(py, "hvac")?,), Some(&kwargs))?;
        Ok((build, PyTuple::empty(py)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Hvac(num_zones={}, num_slots={}, peak_strength={})",
            self.inner.num_zones(),
            self.inner.num_slots(),
            self.inner.peak_strength()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyHvac>()?;
    m.add_class::<PyHvacSolution>()?;
    m.add_class::<PyPeakSlot>()?;
    m.add_class::<PyPeakViolation>()?;
    m.add_class::<PyMinRunViolation>()?;
    m.add_function(wrap_pyfunction!(hvac, m)?)
}
