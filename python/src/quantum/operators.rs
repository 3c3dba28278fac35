//! `PauliSum` and `Operator`.

use crate::errors::{OrRaise, invalid_argument};
use neuroquant::quantum::{C64, Operator, PauliSum, Storage};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

pub(crate) fn storage_of(name: &str) -> PyResult<Storage> {
    match name {
        "matrix_free" => Ok(Storage::MatrixFree),
        "csr" => Ok(Storage::Csr),
        "dense" => Ok(Storage::Dense),
        other => Err(invalid_argument(
            "storage",
            format!("{other:?} is not one of \"matrix_free\", \"csr\", \"dense\""),
        )),
    }
}

fn storage_name(s: Storage) -> &'static str {
    match s {
        Storage::MatrixFree => "matrix_free",
        Storage::Csr => "csr",
        Storage::Dense => "dense",
    }
}

/// A sum of Pauli strings on `num_qubits` qubits (qubit 0 is the most significant tensor
/// factor, as in `qutip.tensor`). Build it with `add_term("ZZ", [0, 1], -1.0)`,
/// `add_string("ZZII", c)`, `add_per_site("X", coefficients)` or `PauliSum.from_bqm(bqm)`,
/// then `to_operator(storage)`.
#[pyclass(name = "PauliSum", module = "neuroquant.quantum")]
#[derive(Clone)]
pub struct PyPauliSum {
    pub(crate) inner: PauliSum,
}

/// Eigenvalues and eigenvectors as numpy arrays.
type Eigh<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray2<C64>>);

#[pymethods]
impl PyPauliSum {
    #[new]
    fn new(num_qubits: usize) -> PyResult<Self> {
        Ok(PyPauliSum {
            inner: PauliSum::new(num_qubits).or_raise()?,
        })
    }

    /// Adds `coefficient * P` with `paulis[k]` (I, X, Y, Z) on qubit `sites[k]`.
    #[pyo3(signature = (paulis, sites, coefficient=C64::new(1.0, 0.0)), text_signature = "(self, paulis, sites, coefficient=1.0)")]
    fn add_term(&mut self, paulis: &str, sites: Vec<usize>, coefficient: C64) -> PyResult<()> {
        self.inner.add_term(paulis, &sites, coefficient).or_raise()
    }

    /// Adds `coefficient * P` for a string naming every qubit (`"ZZII"`).
    #[pyo3(signature = (paulis, coefficient=C64::new(1.0, 0.0)), text_signature = "(self, paulis, coefficient=1.0)")]
    fn add_string(&mut self, paulis: &str, coefficient: C64) -> PyResult<()> {
        self.inner.add_string(paulis, coefficient).or_raise()
    }

    /// Adds `coefficients[i] * P_i` on every qubit `i` (a field).
    fn add_per_site(&mut self, pauli: &str, coefficients: Vec<f64>) -> PyResult<()> {
        self.inner.add_per_site(pauli, &coefficients).or_raise()
    }

    /// The Ising Hamiltonian `sum h_i Z_i + sum J_ij Z_i Z_j` of a `neuroquant.qubo.Bqm` in its
    /// SPIN form (offset dropped; BINARY models are converted).
    #[staticmethod]
    fn from_bqm(bqm: PyRef<'_, crate::qubo::PyBqm>) -> PyResult<Self> {
        Ok(PyPauliSum {
            inner: PauliSum::from_bqm(&bqm.inner).or_raise()?,
        })
    }

    /// The number of qubits.
    #[getter]
    fn num_qubits(&self) -> usize {
        self.inner.num_qubits()
    }

    /// The number of terms.
    #[getter]
    fn num_terms(&self) -> usize {
        self.inner.num_terms()
    }

    /// Whether the sum is Hermitian (every merged coefficient real within `tolerance`).
    #[pyo3(signature = (tolerance=1e-12))]
    fn is_hermitian(&self, tolerance: f64) -> bool {
        self.inner.is_hermitian(tolerance)
    }

    /// The operator with `storage` "matrix_free" (bit flips, only the diagonal stored), "csr" or
    /// "dense".
    #[pyo3(signature = (storage="matrix_free"))]
    fn to_operator(&self, py: Python<'_>, storage: &str) -> PyResult<PyOperator> {
        let s = storage_of(storage)?;
        let op = py.detach(|| Operator::from_pauli(&self.inner, s)).or_raise()?;
        Ok(PyOperator {
            inner: op,
            source: Some(self.inner.clone()),
        })
    }

    /// The operator in the neuroquant container (kind `pauli_sum`).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads an operator written by `to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyPauliSum {
            inner: PauliSum::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let ctor = py.get_type::<PyPauliSum>().getattr("from_bytes")?;
        Ok((ctor, PyTuple::new(py, [slf.borrow().to_bytes(py)])?))
    }

    fn __repr__(&self) -> String {
        format!(
            "PauliSum(num_qubits={}, num_terms={})",
            self.inner.num_qubits(),
            self.inner.num_terms()
        )
    }
}

/// A square complex matrix: matrix-free Pauli strings, CSR or dense. Build it from a
/// `PauliSum`, `Operator.from_dense(array)` or `Operator.from_csr(dim, indptr, indices, data)`
/// (`neuroquant.quantum.operator` converts numpy, scipy.sparse and QuTiP objects).
#[pyclass(name = "Operator", module = "neuroquant.quantum", frozen)]
#[derive(Clone)]
pub struct PyOperator {
    pub(crate) inner: Operator,
    source: Option<PauliSum>,
}

pub(crate) fn complex_vec(a: &PyReadonlyArray1<'_, C64>) -> Vec<C64> {
    a.as_slice()
        .map(|s| s.to_vec())
        .unwrap_or_else(|_| a.as_array().iter().copied().collect())
}

pub(crate) fn complex_mat(a: &PyReadonlyArray2<'_, C64>) -> Vec<C64> {
    a.as_array().iter().copied().collect()
}

impl PyOperator {
    pub(crate) fn wrap(inner: Operator) -> Self {
        PyOperator { inner, source: None }
    }
}

#[pymethods]
impl PyOperator {
    /// A dense operator from a square complex array.
    #[staticmethod]
    fn from_dense(matrix: PyReadonlyArray2<'_, C64>) -> PyResult<Self> {
        let shape = matrix.shape();
        if shape[0] != shape[1] {
            return Err(invalid_argument(
                "matrix",
                format!("has shape {shape:?}, must be square"),
            ));
        }
        Ok(PyOperator {
            inner: Operator::from_dense(shape[0], complex_mat(&matrix)).or_raise()?,
            source: None,
        })
    }

    /// A CSR operator from scipy's arrays (`indptr` of length dim + 1, `indices`, `data`).
    #[staticmethod]
    fn from_csr(
        dim: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        data: PyReadonlyArray1<'_, C64>,
    ) -> PyResult<Self> {
        Ok(PyOperator {
            inner: Operator::from_csr(dim, indptr, indices, complex_vec(&data)).or_raise()?,
            source: None,
        })
    }

    /// The dimension.
    #[getter]
    fn dim(&self) -> usize {
        self.inner.dim()
    }

    /// "matrix_free", "csr" or "dense".
    #[getter]
    fn storage(&self) -> &'static str {
        storage_name(self.inner.storage())
    }

    /// Whether the matrix is Hermitian (to 1e-12 of its largest entry).
    #[getter]
    fn isherm(&self) -> bool {
        self.inner.is_hermitian()
    }

    /// Stored non-zeros.
    #[getter]
    fn nnz(&self) -> usize {
        self.inner.nnz()
    }

    /// `A x` for a ket `x`.
    fn apply<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray1<'_, C64>,
    ) -> PyResult<Bound<'py, PyArray1<C64>>> {
        let x = complex_vec(&x);
        let mut y = vec![C64::new(0.0, 0.0); x.len()];
        self.inner.apply(&x, &mut y).or_raise()?;
        Ok(y.into_pyarray(py))
    }

    /// `<psi|A|psi>` for a ket (1-D) or `Tr(A rho)` for a density matrix (2-D).
    fn expect(&self, state: &Bound<'_, PyAny>) -> PyResult<C64> {
        let data = state_data(state)?;
        self.inner.expect(&data).or_raise()
    }

    /// The dense matrix (dimension at most 8192).
    fn full<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<C64>>> {
        let n = self.inner.dim();
        let a = self.inner.dense_entries().or_raise()?;
        Ok(numpy::ndarray::Array2::from_shape_vec((n, n), a)
            .expect("n*n")
            .into_pyarray(py))
    }

    /// The CSR arrays `(indptr, indices, data)`.
    fn csr_arrays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let (p, i, d) = self.inner.csr_arrays().or_raise()?;
        let p: Vec<i64> = p.into_iter().map(|v| v as i64).collect();
        (p.into_pyarray(py), i.into_pyarray(py), d.into_pyarray(py)).into_pyobject(py)
    }

    /// Eigenvalues (ascending) and eigenvectors (columns) of a Hermitian operator (dimension
    /// at most 4096).
    fn eigh<'py>(&self, py: Python<'py>) -> PyResult<Eigh<'py>> {
        let n = self.inner.dim();
        let (w, v) = py.detach(|| self.inner.eigh()).or_raise()?;
        Ok((
            w.into_pyarray(py),
            numpy::ndarray::Array2::from_shape_vec((n, n), v)
                .expect("n*n")
                .into_pyarray(py),
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let me = slf.get();
        if let Some(src) = &me.source {
            let helper = py
                .import("neuroquant.quantum")?
                .getattr("_operator_from_pauli_bytes")?;
            let args = (PyBytes::new(py, &src.to_bytes()), me.storage()).into_pyobject(py)?;
            return Ok((helper, args));
        }
        if me.inner.storage() == Storage::Dense {
            let ctor = py.get_type::<PyOperator>().getattr("from_dense")?;
            return Ok((ctor, PyTuple::new(py, [me.full(py)?])?));
        }
        let (p, i, d) = me.inner.csr_arrays().or_raise()?;
        let ctor = py.get_type::<PyOperator>().getattr("from_csr")?;
        let args = (me.inner.dim(), p, i, d.into_pyarray(py)).into_pyobject(py)?;
        Ok((ctor, args))
    }

    fn __repr__(&self) -> String {
        format!(
            "Operator(dim={}, storage={:?}, isherm={})",
            self.inner.dim(),
            self.storage(),
            self.inner.is_hermitian()
        )
    }
}

/// A ket (1-D) or density matrix (2-D) as flat complex data.
pub(crate) fn state_data(obj: &Bound<'_, PyAny>) -> PyResult<Vec<C64>> {
    let np = obj.py().import("numpy")?;
    let arr = np.call_method1("ascontiguousarray", (obj, "complex128"))?;
    let ndim: usize = arr.getattr("ndim")?.extract()?;
    match ndim {
        1 => Ok(complex_vec(&arr.extract::<PyReadonlyArray1<'_, C64>>()?)),
        2 => {
            let m = arr.extract::<PyReadonlyArray2<'_, C64>>()?;
            let s = m.shape();
            if s[0] != s[1] {
                return Err(invalid_argument(
                    "state",
                    format!("has shape {s:?}: a density matrix must be square"),
                ));
            }
            Ok(complex_mat(&m))
        }
        _ => Err(invalid_argument(
            "state",
            format!("has {ndim} dimensions: a ket is 1-D, a density matrix 2-D"),
        )),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPauliSum>()?;
    m.add_class::<PyOperator>()?;
    Ok(())
}
