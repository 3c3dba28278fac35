//! Metrics (QuTiP's names and definitions), coherence measures and channels on numpy kets
//! (1-D) and density matrices (2-D).

use super::operators::{PyOperator, state_data};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::quantum::{self as q, C64, Channel, DepolarizingConvention, QState};
use numpy::{IntoPyArray, PyArray2, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The data and dimension of a state argument.
fn arg(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<C64>, usize)> {
    let data = state_data(obj)?;
    let ndim: usize = obj
        .py()
        .import("numpy")?
        .call_method1("ndim", (obj,))?
        .extract()?;
    let dim = if ndim == 1 {
        data.len()
    } else {
        (data.len() as f64).sqrt().round() as usize
    };
    Ok((data, dim))
}

macro_rules! pair_metric {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        fn $name(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<f64> {
            let (da, na) = arg(a)?;
            let (db, nb) = arg(b)?;
            let qa = QState::new("a", &da, na).or_raise()?;
            let qb = QState::new("b", &db, nb).or_raise()?;
            q::$name(qa, qb).or_raise()
        }
    };
}

pair_metric!(
    fidelity,
    "QuTiP's fidelity `Tr sqrt(sqrt(A) B sqrt(A))` (NOT squared; `|<a|b>|` for kets)."
);
pair_metric!(
    fidelity_squared,
    "The squared fidelity `F(A, B)**2` (Jozsa's convention)."
);
pair_metric!(tracedist, "Trace distance `0.5 Tr|A - B|`.");
pair_metric!(
    hilbert_dist,
    "QuTiP's `hilbert_dist`: `Tr[(A - B)**2]`, the SQUARED Hilbert-Schmidt distance."
);
pair_metric!(
    bures_dist,
    "Bures distance `sqrt(2 (1 - F))` with the non-squared fidelity."
);
pair_metric!(
    bures_angle,
    "Bures angle `arccos F` with the non-squared fidelity."
);

macro_rules! one_metric {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        fn $name(rho: &Bound<'_, PyAny>) -> PyResult<f64> {
            let (d, n) = arg(rho)?;
            q::$name(QState::new("rho", &d, n).or_raise()?).or_raise()
        }
    };
}

one_metric!(entropy_linear, "Linear entropy `1 - Tr rho**2`.");
one_metric!(purity, "Purity `Tr rho**2` (`|psi|**4` for a ket).");
one_metric!(concurrence, "Wootters' concurrence of a two-qubit state.");
one_metric!(
    coherence_l1,
    "l1-norm of coherence `sum_{i != j} |rho_ij|` (Baumgratz et al. 2014)."
);
one_metric!(
    robustness_of_coherence,
    "Robustness of coherence (Napoli et al. 2016): its closed form, equal to the l1-norm, for qubits and pure states; other mixed states raise an error."
);

/// Von Neumann entropy `-sum l log(l)` (eigenvalues clipped below at 1e-17 as QuTiP); `base` e
/// (nats) or 2 (bits).
#[pyfunction]
#[pyo3(signature = (rho, base=std::f64::consts::E), text_signature = "(rho, base=2.718281828459045)")]
fn entropy_vn(rho: &Bound<'_, PyAny>, base: f64) -> PyResult<f64> {
    let (d, n) = arg(rho)?;
    q::entropy_vn(QState::new("rho", &d, n).or_raise()?, base).or_raise()
}

/// Relative entropy of coherence `S(diag(rho)) - S(rho)`, in units of `log(base)`.
#[pyfunction]
#[pyo3(signature = (rho, base=std::f64::consts::E), text_signature = "(rho, base=2.718281828459045)")]
fn coherence_relative_entropy(rho: &Bound<'_, PyAny>, base: f64) -> PyResult<f64> {
    let (d, n) = arg(rho)?;
    q::coherence_relative_entropy(QState::new("rho", &d, n).or_raise()?, base).or_raise()
}

/// Fringe visibility `2|rho_ij| / (rho_ii + rho_jj)` of the paths `i`, `j` (2|rho_01| for a qubit).
#[pyfunction]
#[pyo3(signature = (rho, i=0, j=1))]
fn visibility(rho: &Bound<'_, PyAny>, i: usize, j: usize) -> PyResult<f64> {
    let (d, n) = arg(rho)?;
    q::visibility(QState::new("rho", &d, n).or_raise()?, i, j).or_raise()
}

/// Which-path predictability `|rho_ii - rho_jj| / (rho_ii + rho_jj)`.
#[pyfunction]
#[pyo3(signature = (rho, i=0, j=1))]
fn predictability(rho: &Bound<'_, PyAny>, i: usize, j: usize) -> PyResult<f64> {
    let (d, n) = arg(rho)?;
    q::predictability(QState::new("rho", &d, n).or_raise()?, i, j).or_raise()
}

/// Visibility `(I_max - I_min) / (I_max + I_min)` from measured intensities.
#[pyfunction]
fn visibility_from_intensities(i_max: f64, i_min: f64) -> PyResult<f64> {
    q::visibility_from_intensities(i_max, i_min).or_raise()
}

/// A single-qubit channel as Kraus matrices; |0> is the ground state for amplitude damping
/// (Nielsen-Chuang). Constructors: `dephasing(p)`, `phase_damping(lam)`,
/// `amplitude_damping(gamma)`, `depolarizing(p, convention)` with convention
/// "maximally_mixed" or "nielsen_chuang", `t1_t2(t1, t2, t)`, `from_kraus(list)`.
#[pyclass(name = "Channel", module = "neuroquant.quantum", frozen)]
pub struct PyChannel {
    inner: Channel,
}

#[pymethods]
impl PyChannel {
    /// Phase flip with probability `p`.
    #[staticmethod]
    fn dephasing(p: f64) -> PyResult<Self> {
        Ok(PyChannel {
            inner: Channel::dephasing(p).or_raise()?,
        })
    }

    /// Phase damping with parameter `lam`.
    #[staticmethod]
    fn phase_damping(lam: f64) -> PyResult<Self> {
        Ok(PyChannel {
            inner: Channel::phase_damping(lam).or_raise()?,
        })
    }

    /// Amplitude damping (decay |1> -> |0>) with probability `gamma`.
    #[staticmethod]
    fn amplitude_damping(gamma: f64) -> PyResult<Self> {
        Ok(PyChannel {
            inner: Channel::amplitude_damping(gamma).or_raise()?,
        })
    }

    /// Depolarizing with probability `p`; `convention` is required: "maximally_mixed"
    /// (rho -> (1-p) rho + p I/2) or "nielsen_chuang" (rho -> (1-p) rho + p/3 (XrX + YrY + ZrZ)).
    #[staticmethod]
    fn depolarizing(p: f64, convention: &str) -> PyResult<Self> {
        let c = <DepolarizingConvention as neuroquant::params::NamedEnum>::parse_as("convention", convention)
            .or_raise()?;
        Ok(PyChannel {
            inner: Channel::depolarizing(p, c).or_raise()?,
        })
    }

    /// Relaxation for a time `t` with `t1`, `t2` (0 < t2 <= 2 t1).
    #[staticmethod]
    fn t1_t2(t1: f64, t2: f64, t: f64) -> PyResult<Self> {
        Ok(PyChannel {
            inner: Channel::t1_t2(t1, t2, t).or_raise()?,
        })
    }

    /// A channel from 2x2 Kraus matrices (sum K^dag K = I required).
    #[staticmethod]
    fn from_kraus(kraus: Vec<Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut ks = Vec::new();
        for k in &kraus {
            let d = state_data(k)?;
            if d.len() != 4 {
                return Err(invalid_argument(
                    "kraus",
                    format!("each Kraus matrix must be 2x2, got {} entries", d.len()),
                ));
            }
            ks.push([d[0], d[1], d[2], d[3]]);
        }
        Ok(PyChannel {
            inner: Channel::from_kraus(ks).or_raise()?,
        })
    }

    /// The Kraus matrices as 2x2 arrays.
    #[getter]
    fn kraus<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyArray2<C64>>> {
        self.inner
            .kraus()
            .iter()
            .map(|k| {
                numpy::ndarray::Array2::from_shape_vec((2, 2), k.to_vec())
                    .expect("2x2")
                    .into_pyarray(py)
            })
            .collect()
    }

    /// `max |sum K^dag K - I|` (0 up to rounding: the channel preserves the trace).
    fn completeness_deviation(&self) -> f64 {
        self.inner.completeness_deviation()
    }

    /// The channel applied to `qubit` of a `num_qubits`-qubit density matrix (a new array).
    #[pyo3(signature = (rho, num_qubits=1, qubit=0))]
    fn apply<'py>(
        &self,
        py: Python<'py>,
        rho: &Bound<'_, PyAny>,
        num_qubits: usize,
        qubit: usize,
    ) -> PyResult<Bound<'py, PyArray2<C64>>> {
        let mut d = state_data(rho)?;
        self.inner.apply(&mut d, num_qubits, qubit).or_raise()?;
        let n = 1usize << num_qubits;
        Ok(numpy::ndarray::Array2::from_shape_vec((n, n), d)
            .expect("n*n")
            .into_pyarray(py))
    }
}

/// Lindblad operators of T1/T2 relaxation on `qubit` of `num_qubits`: `|0><1| / sqrt(T1)` (QuTiP's
/// `sigmap()`, since QuTiP's basis(2,0) is the excited-looking sigma_z = +1 state) and, when
/// `T2 < 2 T1`, `sigma_z / sqrt(2 T_phi)`.
#[pyfunction]
#[pyo3(signature = (t1, t2, num_qubits=1, qubit=0))]
fn t1_t2_lindblad(t1: f64, t2: f64, num_qubits: usize, qubit: usize) -> PyResult<Vec<PyOperator>> {
    Ok(q::t1_t2_lindblad(t1, t2, num_qubits, qubit)
        .or_raise()?
        .into_iter()
        .map(PyOperator::wrap)
        .collect())
}

/// A ket (1-D) or density matrix (2-D) in the neuroquant container (kind `quantum_state`), to
/// save a run mid-stream and resume it from any surface (Rust, C, Python).
#[pyfunction]
fn state_to_bytes<'py>(py: Python<'py>, state: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let (data, dim) = arg(state)?;
    Ok(PyBytes::new(py, &q::state_to_bytes(&data, dim).or_raise()?))
}

/// Reads a state written by `state_to_bytes`: a complex 1-D ket or 2-D density matrix.
#[pyfunction]
fn state_from_bytes<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let (v, dim, dm) = q::state_from_bytes(data).or_raise()?;
    let a = v.into_pyarray(py);
    Ok(if dm {
        a.reshape([dim, dim])?.into_any()
    } else {
        a.into_any()
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyChannel>()?;
    for f in [
        wrap_pyfunction!(fidelity, m)?,
        wrap_pyfunction!(fidelity_squared, m)?,
        wrap_pyfunction!(tracedist, m)?,
        wrap_pyfunction!(hilbert_dist, m)?,
        wrap_pyfunction!(bures_dist, m)?,
        wrap_pyfunction!(bures_angle, m)?,
        wrap_pyfunction!(entropy_vn, m)?,
        wrap_pyfunction!(entropy_linear, m)?,
        wrap_pyfunction!(purity, m)?,
        wrap_pyfunction!(concurrence, m)?,
        wrap_pyfunction!(coherence_l1, m)?,
        wrap_pyfunction!(coherence_relative_entropy, m)?,
        wrap_pyfunction!(robustness_of_coherence, m)?,
        wrap_pyfunction!(visibility, m)?,
        wrap_pyfunction!(predictability, m)?,
        wrap_pyfunction!(visibility_from_intensities, m)?,
        wrap_pyfunction!(t1_t2_lindblad, m)?,
        wrap_pyfunction!(state_to_bytes, m)?,
        wrap_pyfunction!(state_from_bytes, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
