//! `neuroquant.building`: the synthetic building of the flagship pipeline — series as numpy
//! arrays, the thermal step, and closed-loop runs of the thermostat baseline or of a schedule.

use crate::errors::{OrRaise, shape_mismatch};
use crate::params;
use neuroquant::building::{Building, BuildingParams, Outcome, PipelineParams, Policy, Thermostat, simulate};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyType};

/// Replays a `Z × steps` schedule (0/1 per zone and step, steps counted from `start`).
struct Schedule<'a> {
    on: &'a [u8],
    start: usize,
    steps: usize,
}

impl Policy for Schedule<'_> {
    fn decide(&mut self, _: &Building, k: usize, temps: &[f64], on: &mut [bool]) -> neuroquant::Result<()> {
        let j = k - self.start;
        for (z, u) in on.iter_mut().enumerate().take(temps.len()) {
            *u = self.on[z * self.steps + j] != 0;
        }
        Ok(())
    }
}

/// A synthetic building (see `neuroquant.building`): zones, series and thermal dynamics fixed by
/// its parameters and seed.
#[pyclass(name = "Building", module = "neuroquant.building", frozen)]
pub struct PyBuilding {
    inner: Building,
}

fn zone_major<'py>(py: Python<'py>, data: &[f64], nz: usize) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let nt = data.len() / nz.max(1);
    data.to_vec().into_pyarray(py).reshape([nz, nt])
}

/// The outcome of a closed-loop run as a dict (`temps_c` and `on` as `Z × steps` arrays).
fn outcome<'py>(py: Python<'py>, o: Outcome, nz: usize) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("energy_kwh", o.energy_kwh)?;
    d.set_item("energy_cost", o.energy_cost)?;
    d.set_item("comfort_violations", o.comfort_violations)?;
    d.set_item("comfort_degree_hours", o.comfort_degree_hours)?;
    d.set_item("peak_violations", o.peak_violations)?;
    d.set_item("temps_c", zone_major(py, &o.temps_c, nz)?)?;
    let steps = o.on.len() / nz.max(1);
    d.set_item("on", o.on.into_pyarray(py).reshape([nz, steps])?)?;
    Ok(d)
}

impl PyBuilding {
    pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
        params::describe::<BuildingParams>(cls)
    }
}

#[pymethods]
impl PyBuilding {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let p: BuildingParams = params::from_kwargs("the building", kwargs)?;
        Ok(PyBuilding {
            inner: Building::new(p).or_raise()?,
        })
    }

    /// The seed used (also when none was given).
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// Number of zones.
    #[getter]
    fn num_zones(&self) -> usize {
        self.inner.zones().len()
    }

    /// Simulation steps.
    #[getter]
    fn num_steps(&self) -> usize {
        self.inner.num_steps()
    }

    /// Step length (hours).
    #[getter]
    fn step_hours(&self) -> f64 {
        self.inner.step_hours()
    }

    /// The largest total electrical power allowed at once (kW).
    #[getter]
    fn peak_limit_kw(&self) -> f64 {
        self.inner.peak_limit_kw()
    }

    /// The zones as dicts (`capacitance_kwh_per_c`, `resistance_c_per_kw`, `rated_power_kw`,
    /// `efficiency`, `occupants`).
    #[getter]
    fn zones<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.inner
            .zones()
            .iter()
            .map(|z| {
                let d = PyDict::new(py);
                d.set_item("capacitance_kwh_per_c", z.capacitance_kwh_per_c)?;
                d.set_item("resistance_c_per_kw", z.resistance_c_per_kw)?;
                d.set_item("rated_power_kw", z.rated_power_kw)?;
                d.set_item("efficiency", z.efficiency)?;
                d.set_item("occupants", z.occupants)?;
                Ok(d)
            })
            .collect()
    }

    /// The series as numpy arrays: `outdoor_c` and `price_per_kwh` (`T`), `occupied`,
    /// `setpoint_c`, `gains_kw`, `load_kw` (`Z × T`).
    #[getter]
    fn series<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (s, nz) = (self.inner.series(), self.inner.zones().len());
        let d = PyDict::new(py);
        d.set_item("outdoor_c", PyArray1::from_slice(py, &s.outdoor_c))?;
        d.set_item("price_per_kwh", PyArray1::from_slice(py, &s.price_per_kwh))?;
        d.set_item(
            "occupied",
            s.occupied
                .clone()
                .into_pyarray(py)
                .reshape([nz, s.outdoor_c.len()])?,
        )?;
        d.set_item("setpoint_c", zone_major(py, &s.setpoint_c, nz)?)?;
        d.set_item("gains_kw", zone_major(py, &s.gains_kw, nz)?)?;
        d.set_item("load_kw", zone_major(py, &s.load_kw, nz)?)?;
        Ok(d)
    }

    /// The comfort band `(low, high)` of zone `z` at step `k` (°C).
    fn comfort_band(&self, z: usize, k: usize) -> PyResult<(f64, f64)> {
        neuroquant::error::check::index("z", z as i64, self.inner.zones().len()).or_raise()?;
        neuroquant::error::check::index("k", k as i64, self.inner.num_steps()).or_raise()?;
        let [lo, hi] = self.inner.comfort_band(z, k);
        Ok((lo, hi))
    }

    /// The zone temperatures after step `k` from `temps` (°C) with the units in state `on`.
    fn step<'py>(
        &self,
        py: Python<'py>,
        k: usize,
        temps: PyReadonlyArray1<'py, f64>,
        on: PyReadonlyArray1<'py, bool>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let mut t = temps.as_array().to_vec();
        let on = on.as_array().to_vec();
        self.inner.step(k, &mut t, &on).or_raise()?;
        Ok(PyArray1::from_vec(py, t))
    }

    /// Runs the thermostat baseline (`hysteresis_c` each side of the setpoint) over steps
    /// `start .. start + steps` from `initial_c`; returns the score and traces.
    #[pyo3(signature = (initial_c, start = 0, steps = None, hysteresis_c = 0.5))]
    fn simulate_thermostat<'py>(
        &self,
        py: Python<'py>,
        initial_c: PyReadonlyArray1<'py, f64>,
        start: usize,
        steps: Option<usize>,
        hysteresis_c: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let steps = steps.unwrap_or(self.inner.num_steps().saturating_sub(start));
        let mut policy = Thermostat::new(hysteresis_c).or_raise()?;
        let initial = initial_c.as_array().to_vec();
        let o = simulate(&self.inner, &mut policy, start, steps, &initial).or_raise()?;
        outcome(py, o, self.inner.zones().len())
    }

    /// Applies `schedule` (`Z × steps`, 0/1) over steps `start .. start + steps` from
    /// `initial_c`; returns the score and traces.
    #[pyo3(signature = (schedule, initial_c, start = 0))]
    fn simulate_schedule<'py>(
        &self,
        py: Python<'py>,
        schedule: PyReadonlyArray2<'py, u8>,
        initial_c: PyReadonlyArray1<'py, f64>,
        start: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let nz = self.inner.zones().len();
        let shape = schedule.shape().to_vec();
        if shape[0] != nz {
            return Err(shape_mismatch("schedule", &[nz, shape[1]], &shape));
        }
        // Any layout (a slice of a larger schedule, say), read in logical row-major order.
        let on: Vec<u8> = schedule.as_array().iter().copied().collect();
        let mut policy = Schedule {
            on: &on,
            start,
            steps: shape[1],
        };
        let initial = initial_c.as_array().to_vec();
        let o = simulate(&self.inner, &mut policy, start, shape[1], &initial).or_raise()?;
        outcome(py, o, nz)
    }

    /// The parameters in the neuroquant container format.
    fn params_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let p = self.inner.params().clone().seed(self.inner.seed());
        Ok(PyBytes::new(py, &p.to_bytes().or_raise()?))
    }

    /// A building from `params_bytes()` output (used by pickle).
    #[staticmethod]
    fn from_params_bytes(data: &[u8]) -> PyResult<Self> {
        let p = BuildingParams::from_bytes(data).or_raise()?;
        Ok(PyBuilding {
            inner: Building::new(p).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let restore = slf.get_type().getattr("from_params_bytes")?;
        Ok((restore, (slf.get().params_bytes(slf.py())?,)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = self.inner.params().clone().seed(self.inner.seed());
        params::repr(py, "Building", &p)
    }
}

/// Runs the flagship pipeline (see `neuroquant.building.run_pipeline` in the stub): the report
/// as a dict (the JSON report's fields) plus the runs' arrays.
#[pyfunction]
#[pyo3(signature = (**kwargs))]
fn run_pipeline<'py>(py: Python<'py>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyDict>> {
    let p: PipelineParams = params::from_kwargs("run_pipeline", kwargs)?;
    let r = py
        .detach(|| neuroquant::building::run_pipeline(&p, None, &Default::default()))
        .or_raise()?;
    let nz = p.building.num_zones;
    let d = py
        .import("json")?
        .call_method1("loads", (r.to_json().to_string(),))?
        .cast_into::<PyDict>()?;
    d.set_item("temps_c", zone_major(py, &r.temps_c, nz)?)?;
    d.set_item("thermostat_temps_c", zone_major(py, &r.thermostat_temps_c, nz)?)?;
    let steps = r.on.len() / nz.max(1);
    d.set_item("on", r.on.into_pyarray(py).reshape([nz, steps])?)?;
    d.set_item("forecast_first", zone_major(py, &r.forecast_first, nz)?)?;
    d.set_item("truth_first", zone_major(py, &r.truth_first, nz)?)?;
    d.set_item("first_plan_energies", r.first_plan_energies.into_pyarray(py))?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_pipeline, m)?)?;
    m.add_class::<PyBuilding>()?;
    PyBuilding::describe(&m.py().get_type::<PyBuilding>())
}
