//! `Operator`: a square complex matrix stored as CSR, dense (row-major) or matrix-free Pauli
//! strings (only the diagonal is kept as a vector; off-diagonal terms are applied as bit flips), with
//! the products the solvers need. Every product visits row `r` through one `for_row`
//! specialisation, so the three storages share one definition of each product.

use super::pauli::{PauliSum, PauliTerm, invalid};
use super::{C64, MAX_STATE_QUBITS, QuantumError, par};
use crate::Result;
use crate::error::check;

/// Largest dimension of a dense operator (its `dim²` entries take 1 GiB at this size).
pub const MAX_DENSE_DIM: usize = 8192;

/// How an operator stores its matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Pauli strings applied as bit flips; only the diagonal (a vector) is stored.
    MatrixFree,
    /// Compressed sparse rows.
    Csr,
    /// Dense, row-major.
    Dense,
}

#[derive(Debug, Clone, PartialEq)]
struct Group {
    x: u64,
    /// `(coefficient · i^ny, z)` of each string flipping `x`.
    terms: Vec<(C64, u64)>,
}

/// The diagonal of a matrix-free operator: real (half the memory, and a real multiply per
/// entry) when every diagonal string has a real coefficient, as for any Hermitian sum.
#[derive(Debug, Clone, PartialEq)]
enum Diag {
    Real(Vec<f64>),
    Complex(Vec<C64>),
}

impl Diag {
    #[inline(always)]
    fn at(&self, r: usize) -> C64 {
        match self {
            Diag::Real(d) => C64::new(d[r], 0.0),
            Diag::Complex(d) => d[r],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    Pauli {
        diag: Option<Diag>,
        groups: Vec<Group>,
    },
    Csr {
        indptr: Vec<usize>,
        indices: Vec<u32>,
        data: Vec<C64>,
    },
    Dense(Vec<C64>),
}

/// A square complex matrix acting on kets of length [`dim`](Operator::dim).
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    dim: usize,
    repr: Repr,
    /// Whether the matrix is Hermitian to 1e-12 of its largest entry (checked once, at build).
    hermitian: bool,
    diagonal: bool,
}

impl Operator {
    /// `sum` with the chosen storage. Matrix-free keeps the diagonal (`2^n` complex values) and
    /// the strings; CSR materialises every non-zero; dense needs `2^n ≤` [`MAX_DENSE_DIM`].
    pub fn from_pauli(sum: &PauliSum, storage: Storage) -> Result<Self> {
        check::at_most("num_qubits", sum.num_qubits() as u64, MAX_STATE_QUBITS as u64)?;
        let sum = sum.simplified();
        let dim = 1usize << sum.num_qubits();
        let hermitian = sum.hermiticity_deviation() <= 1e-12 * max_abs_coefficient(&sum).max(1.0);
        let diagonal = sum.is_diagonal();
        let mut groups: Vec<Group> = Vec::new();
        let mut diag_terms: Vec<PauliTerm> = Vec::new();
        for t in sum.terms() {
            if t.x == 0 {
                diag_terms.push(*t);
            } else if let Some(g) = groups.iter_mut().find(|g| g.x == t.x) {
                g.terms.push((t.phase_coefficient(), t.z));
            } else {
                groups.push(Group {
                    x: t.x,
                    terms: vec![(t.phase_coefficient(), t.z)],
                });
            }
        }
        let diag = if diag_terms.is_empty() {
            None
        } else {
            if diag_terms.iter().all(|t| t.coefficient.im == 0.0) {
                // Z strings have no Y: each element is ±coefficient, real.
                let mut d = crate::alloc::filled("operator diagonal", 0.0f64, dim)?;
                par::for_each_chunk(&mut d, |start, chunk| {
                    for (k, v) in chunk.iter_mut().enumerate() {
                        let b = (start + k) as u64;
                        *v = diag_terms.iter().map(|t| t.element(b).re).sum();
                    }
                });
                Some(Diag::Real(d))
            } else {
                let mut d = crate::alloc::filled("operator diagonal", C64::new(0.0, 0.0), dim)?;
                par::for_each_chunk(&mut d, |start, chunk| {
                    for (k, v) in chunk.iter_mut().enumerate() {
                        let b = (start + k) as u64;
                        *v = diag_terms.iter().map(|t| t.element(b)).sum();
                    }
                });
                Some(Diag::Complex(d))
            }
        };
        let op = Operator {
            dim,
            repr: Repr::Pauli { diag, groups },
            hermitian,
            diagonal,
        };
        match storage {
            Storage::MatrixFree => Ok(op),
            Storage::Csr => op.to_csr(),
            Storage::Dense => op.to_dense(),
        }
    }

    /// A dense operator from `dim × dim` row-major entries.
    pub fn from_dense(dim: usize, data: Vec<C64>) -> Result<Self> {
        if dim == 0 {
            return Err(invalid("dim", "is 0, must be at least 1".into()));
        }
        check::at_most("dim", dim as u64, MAX_DENSE_DIM as u64)?;
        check::len("data", dim * dim, data.len())?;
        check_finite("data", &data)?;
        let mut op = Operator {
            dim,
            repr: Repr::Dense(data),
            hermitian: false,
            diagonal: false,
        };
        op.classify();
        Ok(op)
    }

    /// A CSR operator from scipy's arrays: row `r` holds `indices[indptr[r]..indptr[r+1]]` with
    /// values `data[...]` (duplicates add up, as in scipy).
    pub fn from_csr(dim: usize, indptr: Vec<usize>, indices: Vec<u32>, data: Vec<C64>) -> Result<Self> {
        if dim == 0 {
            return Err(invalid("dim", "is 0, must be at least 1".into()));
        }
        check::at_most("dim", dim as u64, 1u64 << MAX_STATE_QUBITS)?;
        check::len("indptr", dim + 1, indptr.len())?;
        check::len("data", indices.len(), data.len())?;
        if indptr[0] != 0 || indptr[dim] != indices.len() || indptr.windows(2).any(|w| w[0] > w[1]) {
            return Err(invalid(
                "indptr",
                format!(
                    "must start at 0, never decrease and end at len(indices) = {}",
                    indices.len()
                ),
            ));
        }
        if let Some(k) = indices.iter().position(|&c| c as usize >= dim) {
            return Err(check::index("indices", i64::from(indices[k]), dim)
                .unwrap_err()
                .into());
        }
        check_finite("data", &data)?;
        let mut op = Operator {
            dim,
            repr: Repr::Csr {
                indptr,
                indices,
                data,
            },
            hermitian: false,
            diagonal: false,
        };
        op.classify();
        Ok(op)
    }

    /// The identity on `dim` states (CSR).
    pub fn identity(dim: usize) -> Result<Self> {
        let indptr = (0..=dim).collect();
        let indices = (0..dim as u32).collect();
        Self::from_csr(dim, indptr, indices, vec![C64::new(1.0, 0.0); dim])
    }

    fn classify(&mut self) {
        let mut entries = Vec::new();
        self.visit(|r, c, v| entries.push((r, c, v)));
        self.diagonal = entries.iter().all(|&(r, c, v)| r == c || v == C64::new(0.0, 0.0));
        let scale = entries.iter().map(|e| e.2.norm()).fold(0.0, f64::max).max(1.0);
        self.hermitian = hermiticity_deviation_of(entries) <= 1e-12 * scale;
    }

    /// The dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// How the matrix is stored.
    pub fn storage(&self) -> Storage {
        match self.repr {
            Repr::Pauli { .. } => Storage::MatrixFree,
            Repr::Csr { .. } => Storage::Csr,
            Repr::Dense(_) => Storage::Dense,
        }
    }

    /// Whether the matrix is Hermitian (to 1e-12 relative to its largest entry).
    pub fn is_hermitian(&self) -> bool {
        self.hermitian
    }

    /// Whether every off-diagonal entry is zero.
    pub fn is_diagonal(&self) -> bool {
        self.diagonal
    }

    /// The largest `|A_ij − conj(A_ji)|`.
    pub fn hermiticity_deviation(&self) -> f64 {
        let mut entries = Vec::new();
        self.visit(|r, c, v| entries.push((r, c, v)));
        hermiticity_deviation_of(entries)
    }

    /// Fails with [`QuantumError::NotHermitian`] naming `argument` unless Hermitian.
    pub fn require_hermitian(&self, argument: &'static str) -> Result<()> {
        if self.hermitian {
            Ok(())
        } else {
            Err(QuantumError::NotHermitian {
                argument,
                deviation: self.hermiticity_deviation(),
                tolerance: 1e-12,
            }
            .into())
        }
    }

    /// The stored non-zeros (explicit zeros of CSR included).
    pub fn nnz(&self) -> usize {
        let mut n = 0;
        self.visit(|_, _, _| n += 1);
        n
    }

    /// Calls `f(column, value)` for each stored entry of row `r`.
    #[inline(always)]
    pub(crate) fn for_row(&self, r: usize, mut f: impl FnMut(usize, C64)) {
        match &self.repr {
            Repr::Pauli { diag, groups } => {
                if let Some(d) = diag {
                    f(r, d.at(r));
                }
                for g in groups {
                    let c = r as u64 ^ g.x;
                    let mut v = C64::new(0.0, 0.0);
                    for &(coef, z) in &g.terms {
                        if (c & z).count_ones() & 1 == 1 {
                            v -= coef;
                        } else {
                            v += coef;
                        }
                    }
                    f(c as usize, v);
                }
            }
            Repr::Csr {
                indptr,
                indices,
                data,
            } => {
                for k in indptr[r]..indptr[r + 1] {
                    f(indices[k] as usize, data[k]);
                }
            }
            Repr::Dense(a) => {
                for (c, &v) in a[r * self.dim..(r + 1) * self.dim].iter().enumerate() {
                    f(c, v);
                }
            }
        }
    }

    /// Calls `f(row, column, value)` for every stored entry, row by row.
    pub fn visit(&self, mut f: impl FnMut(usize, usize, C64)) {
        for r in 0..self.dim {
            self.for_row(r, |c, v| f(r, c, v));
        }
    }

    /// `y ← y + alpha · A x`. Lengths are the caller's invariant (checked in debug builds).
    pub(crate) fn apply_add(&self, alpha: C64, x: &[C64], y: &mut [C64]) {
        debug_assert!(x.len() == self.dim && y.len() == self.dim);
        if let Repr::Pauli { diag, groups } = &self.repr {
            par::for_each_chunk(y, |start, chunk| {
                pauli_apply_chunk(diag.as_ref(), groups, alpha, x, start, chunk)
            });
            return;
        }
        par::for_each_chunk(y, |start, chunk| {
            for (k, out) in chunk.iter_mut().enumerate() {
                let mut acc = C64::new(0.0, 0.0);
                self.for_row(start + k, |c, v| acc += v * x[c]);
                *out += alpha * acc;
            }
        });
    }

    /// `y = A x`, checking the lengths.
    pub fn apply(&self, x: &[C64], y: &mut [C64]) -> Result<()> {
        check::len("x", self.dim, x.len())?;
        check::len("y", self.dim, y.len())?;
        y.fill(C64::new(0.0, 0.0));
        self.apply_add(C64::new(1.0, 0.0), x, y);
        Ok(())
    }

    /// `Y ← Y + alpha · A X` for `dim × dim` row-major matrices (row `r` of the product is a
    /// combination of rows of `X`, so the inner loop runs over contiguous rows).
    pub(crate) fn apply_rows_add(&self, alpha: C64, x: &[C64], y: &mut [C64]) {
        let n = self.dim;
        par::for_each_row(y, n, |r, row| {
            self.for_row(r, |c, v| add_scaled(alpha * v, &x[c * n..(c + 1) * n], row));
        });
    }

    /// `⟨ψ|A|ψ⟩` for a ket.
    pub(crate) fn expect_ket(&self, psi: &[C64]) -> C64 {
        if let Repr::Pauli { diag, groups } = &self.repr {
            if let (Some(Diag::Real(d)), true) = (diag, groups.is_empty()) {
                // A real diagonal (Z strings): Σ d_r |ψ_r|², no temporary.
                return par::sum_chunks(self.dim, |start, end| {
                    let v: f64 = d[start..end]
                        .iter()
                        .zip(&psi[start..end])
                        .map(|(dv, p)| dv * p.norm_sqr())
                        .sum();
                    C64::new(v, 0.0)
                });
            }
            return par::sum_chunks(self.dim, |start, end| {
                let mut tmp = vec![C64::new(0.0, 0.0); end - start];
                pauli_apply_chunk(diag.as_ref(), groups, C64::new(1.0, 0.0), psi, start, &mut tmp);
                tmp.iter().zip(&psi[start..end]).map(|(a, p)| p.conj() * a).sum()
            });
        }
        par::sum_chunks(self.dim, |start, end| {
            let mut acc = C64::new(0.0, 0.0);
            for r in start..end {
                let mut row = C64::new(0.0, 0.0);
                self.for_row(r, |c, v| row += v * psi[c]);
                acc += psi[r].conj() * row;
            }
            acc
        })
    }

    /// `Tr(A ρ)` for a `dim × dim` row-major density matrix.
    pub(crate) fn expect_dm(&self, rho: &[C64]) -> C64 {
        let n = self.dim;
        par::sum_chunks(n, |start, end| {
            let mut acc = C64::new(0.0, 0.0);
            for r in start..end {
                self.for_row(r, |c, v| acc += v * rho[c * n + r]);
            }
            acc
        })
    }

    /// `⟨ψ|A|ψ⟩` (a ket of length `dim`) or `Tr(Aρ)` (a density matrix of `dim²` entries).
    pub fn expect(&self, state: &[C64]) -> Result<C64> {
        if state.len() == self.dim {
            Ok(self.expect_ket(state))
        } else if state.len() == self.dim * self.dim {
            Ok(self.expect_dm(state))
        } else {
            Err(check::len("state", self.dim, state.len()).unwrap_err().into())
        }
    }

    /// The same matrix stored as CSR (columns in increasing order within a row, zeros dropped).
    pub fn to_csr(&self) -> Result<Self> {
        let mut indptr = crate::alloc::with_capacity("CSR indptr", self.dim + 1)?;
        indptr.push(0);
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        let mut row: Vec<(usize, C64)> = Vec::new();
        for r in 0..self.dim {
            row.clear();
            self.for_row(r, |c, v| row.push((c, v)));
            row.sort_by_key(|e| e.0);
            crate::alloc::reserve("CSR indices", &mut indices, row.len())?;
            crate::alloc::reserve("CSR data", &mut data, row.len())?;
            let mut k = 0;
            while k < row.len() {
                let (c, mut v) = row[k];
                k += 1;
                while k < row.len() && row[k].0 == c {
                    v += row[k].1;
                    k += 1;
                }
                if v != C64::new(0.0, 0.0) {
                    indices.push(c as u32);
                    data.push(v);
                }
            }
            indptr.push(indices.len());
        }
        Ok(Operator {
            dim: self.dim,
            repr: Repr::Csr {
                indptr,
                indices,
                data,
            },
            ..*self
        })
    }

    /// The same matrix stored dense (needs `dim ≤` [`MAX_DENSE_DIM`]).
    pub fn to_dense(&self) -> Result<Self> {
        Ok(Operator {
            dim: self.dim,
            repr: Repr::Dense(self.dense_entries()?),
            ..*self
        })
    }

    /// The `dim × dim` entries, row-major.
    pub fn dense_entries(&self) -> Result<Vec<C64>> {
        check::at_most("dim", self.dim as u64, MAX_DENSE_DIM as u64)?;
        let n = self.dim;
        let mut a = crate::alloc::filled("dense operator", C64::new(0.0, 0.0), n * n)?;
        self.visit(|r, c, v| a[r * n + c] += v);
        Ok(a)
    }

    /// The CSR arrays `(indptr, indices, data)` (converting when stored otherwise).
    pub fn csr_arrays(&self) -> Result<(Vec<usize>, Vec<u32>, Vec<C64>)> {
        match self.to_csr()?.repr {
            Repr::Csr {
                indptr,
                indices,
                data,
            } => Ok((indptr, indices, data)),
            _ => unreachable!("to_csr gives CSR"),
        }
    }

    /// Eigenvalues (ascending) and eigenvectors (column `k` of the row-major result) of a
    /// Hermitian operator of dimension at most [`MAX_DIAG_DIM`](super::MAX_DIAG_DIM).
    pub fn eigh(&self) -> Result<(Vec<f64>, Vec<C64>)> {
        self.require_hermitian("operator")?;
        check::at_most("dim", self.dim as u64, super::MAX_DIAG_DIM as u64)?;
        super::linalg::eigh(self.dim, &self.dense_entries()?)
    }

    /// The diagonal entries.
    pub fn diagonal(&self) -> Vec<C64> {
        let mut d = vec![C64::new(0.0, 0.0); self.dim];
        for (r, out) in d.iter_mut().enumerate() {
            self.for_row(r, |c, v| {
                if c == r {
                    *out += v;
                }
            });
        }
        d
    }

    /// The adjoint `A†` (CSR).
    pub fn adjoint(&self) -> Result<Self> {
        let mut entries = Vec::new();
        self.visit(|r, c, v| entries.push((c, r, v.conj())));
        entries.sort_by_key(|e| (e.0, e.1));
        let mut indptr = vec![0usize; self.dim + 1];
        for e in &entries {
            indptr[e.0 + 1] += 1;
        }
        for r in 0..self.dim {
            indptr[r + 1] += indptr[r];
        }
        let indices = entries.iter().map(|e| e.1 as u32).collect();
        let data = entries.iter().map(|e| e.2).collect();
        Ok(Operator {
            dim: self.dim,
            repr: Repr::Csr {
                indptr,
                indices,
                data,
            },
            ..*self
        })
    }

    /// `A · B` (CSR), both `dim × dim`.
    pub fn matmul(&self, other: &Operator) -> Result<Self> {
        check::len("other", self.dim, other.dim)?;
        let n = self.dim;
        let mut indptr = vec![0usize];
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        let mut acc = vec![C64::new(0.0, 0.0); n];
        let mut touched: Vec<usize> = Vec::new();
        let mut seen = vec![false; n];
        for r in 0..n {
            self.for_row(r, |k, a| {
                other.for_row(k, |c, b| {
                    if !seen[c] {
                        seen[c] = true;
                        touched.push(c);
                    }
                    acc[c] += a * b;
                });
            });
            touched.sort_unstable();
            for &c in &touched {
                if acc[c] != C64::new(0.0, 0.0) {
                    indices.push(c as u32);
                    data.push(acc[c]);
                }
                acc[c] = C64::new(0.0, 0.0);
                seen[c] = false;
            }
            touched.clear();
            indptr.push(indices.len());
        }
        let mut op = Operator {
            dim: n,
            repr: Repr::Csr {
                indptr,
                indices,
                data,
            },
            hermitian: false,
            diagonal: false,
        };
        op.classify();
        Ok(op)
    }

    /// For matrix-free storage, the diagonal (None when no diagonal string) and, for each flip
    /// mask `x` of its off-diagonal strings, the entries `A[r, r ^ x]` as a function of `r`:
    /// `(x, terms)` with `A[r, r ^ x] = Σ (coef, z) in terms: coef · (−1)^popcount((r ^ x) & z)`
    /// (used by `mesolve` to fold the Hamiltonian into its elementwise pass).
    #[allow(clippy::type_complexity)]
    pub(crate) fn pauli_parts(&self) -> Option<(Option<Vec<C64>>, Vec<(u64, Vec<(C64, u64)>)>)> {
        match &self.repr {
            Repr::Pauli { diag, groups } => {
                let d = diag.as_ref().map(|d| (0..self.dim).map(|r| d.at(r)).collect());
                let g = groups.iter().map(|g| (g.x, g.terms.clone())).collect();
                Some((d, g))
            }
            _ => None,
        }
    }

    /// If the operator is one Pauli string times a coefficient (matrix-free storage only),
    /// that term (used by `mesolve` to apply `c ρ c†` as a signed permutation).
    pub(crate) fn single_pauli(&self) -> Option<(C64, u64, u64)> {
        match &self.repr {
            Repr::Pauli { diag: None, groups } if groups.len() == 1 && groups[0].terms.len() == 1 => {
                let (c, z) = groups[0].terms[0];
                Some((c, groups[0].x, z))
            }
            _ => None,
        }
    }
}

/// `y[r] += alpha · (A x)[r]` for the rows `start..start + y.len()` of a matrix-free Pauli sum.
/// Each group flips the bits `x_g`: with `b` its lowest set bit, rows in runs of `2^b` map to
/// contiguous source runs, so the inner loops are contiguous (vectorisable) slices. Cost per
/// row: one multiply-add for the diagonal and per group (plus one popcount per string for
/// groups with Z or Y factors); a real or imaginary factor (the usual case: a Hermitian sum's
/// real coefficients times 1 or −i) costs two real multiplies, not a complex product.
fn pauli_apply_chunk(
    diag: Option<&Diag>,
    groups: &[Group],
    alpha: C64,
    x: &[C64],
    start: usize,
    y: &mut [C64],
) {
    if crate::cpu::avx2() {
        // SAFETY: the CPU supports AVX2 (checked at run time).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            return pauli_apply_chunk_avx2(diag, groups, alpha, x, start, y);
        }
    }
    pauli_apply_chunk_plain(diag, groups, alpha, x, start, y)
}

/// [`pauli_apply_chunk`] compiled for AVX2 (the same operations in the same order, no FMA:
/// bit-identical results).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn pauli_apply_chunk_avx2(
    diag: Option<&Diag>,
    groups: &[Group],
    alpha: C64,
    x: &[C64],
    start: usize,
    y: &mut [C64],
) {
    pauli_apply_chunk_plain(diag, groups, alpha, x, start, y)
}

#[inline(always)]
fn pauli_apply_chunk_plain(
    diag: Option<&Diag>,
    groups: &[Group],
    alpha: C64,
    x: &[C64],
    start: usize,
    y: &mut [C64],
) {
    let len = y.len();
    let xr = &x[start..start + len];
    match diag {
        Some(Diag::Real(d)) => {
            let d = &d[start..start + len];
            if alpha.im == 0.0 {
                let a = alpha.re;
                for ((o, &dv), &xv) in y.iter_mut().zip(d).zip(xr) {
                    let f = a * dv;
                    o.re += f * xv.re;
                    o.im += f * xv.im;
                }
            } else if alpha.re == 0.0 {
                let a = alpha.im;
                for ((o, &dv), &xv) in y.iter_mut().zip(d).zip(xr) {
                    let f = a * dv;
                    o.re -= f * xv.im;
                    o.im += f * xv.re;
                }
            } else {
                for ((o, &dv), &xv) in y.iter_mut().zip(d).zip(xr) {
                    *o += alpha * dv * xv;
                }
            }
        }
        Some(Diag::Complex(d)) => {
            for ((o, &dv), &xv) in y.iter_mut().zip(&d[start..start + len]).zip(xr) {
                *o += alpha * dv * xv;
            }
        }
        None => {}
    }
    for g in groups {
        let run = 1usize << g.x.trailing_zeros();
        let constant = g.terms.iter().all(|t| t.1 == 0);
        let a = alpha * g.terms.iter().map(|t| t.0).sum::<C64>();
        if constant && run <= 4 && start.is_multiple_of(2 * run) && len.is_multiple_of(2 * run) {
            // Short runs (flips of the lowest bits): an aligned chunk of 2·run entries reads the
            // chunk at its index ^ x with the halves swapped, in fixed-size (unrolled) chunks.
            let x_flip = g.x as usize;
            match run {
                1 => add_scaled_swapped::<1>(a, x, start, x_flip, y),
                2 => add_scaled_swapped::<2>(a, x, start, x_flip, y),
                _ => add_scaled_swapped::<4>(a, x, start, x_flip, y),
            }
            continue;
        }
        let mut r = start;
        while r < start + len {
            let end = ((r / run + 1) * run).min(start + len);
            let src = r ^ g.x as usize;
            let out = &mut y[r - start..end - start];
            let xs = &x[src..src + (end - r)];
            if constant {
                add_scaled(a, xs, out);
            } else {
                for (k, (o, &xv)) in out.iter_mut().zip(xs).enumerate() {
                    let c = (src + k) as u64;
                    let mut f = C64::new(0.0, 0.0);
                    for &(coef, z) in &g.terms {
                        if (c & z).count_ones() & 1 == 1 {
                            f -= coef;
                        } else {
                            f += coef;
                        }
                    }
                    *o += alpha * f * xv;
                }
            }
            r = end;
        }
    }
}

/// `y[r] += a · x[(start + r) ^ flip]` with `R` the lowest set bit of `flip` (1, 2 or 4) and
/// `start`, `y.len()` multiples of `2R`: each aligned chunk of `2R` reads the chunk at
/// `(start + r) ^ flip` with its halves swapped.
#[inline(always)]
fn add_scaled_swapped<const R: usize>(a: C64, x: &[C64], start: usize, flip: usize, y: &mut [C64]) {
    let high = flip & !(2 * R - 1);
    for (c, out) in y.chunks_exact_mut(2 * R).enumerate() {
        let s = (start + c * 2 * R) ^ high;
        let lo: &[C64; R] = x[s..s + R].try_into().expect("run");
        let hi: &[C64; R] = x[s + R..s + 2 * R].try_into().expect("run");
        let (o_lo, o_hi) = out.split_at_mut(R);
        add_scaled(a, hi, o_lo);
        add_scaled(a, lo, o_hi);
    }
}

/// `out ← out + a · xs`, with two real multiplies per entry when `a` is real or imaginary.
#[inline(always)]
pub(crate) fn add_scaled(a: C64, xs: &[C64], out: &mut [C64]) {
    if a.im == 0.0 {
        let a = a.re;
        for (o, &xv) in out.iter_mut().zip(xs) {
            o.re += a * xv.re;
            o.im += a * xv.im;
        }
    } else if a.re == 0.0 {
        let a = a.im;
        for (o, &xv) in out.iter_mut().zip(xs) {
            o.re -= a * xv.im;
            o.im += a * xv.re;
        }
    } else {
        for (o, &xv) in out.iter_mut().zip(xs) {
            *o += a * xv;
        }
    }
}

fn max_abs_coefficient(sum: &PauliSum) -> f64 {
    sum.terms()
        .iter()
        .map(|t| t.coefficient.norm())
        .fold(0.0, f64::max)
}

fn hermiticity_deviation_of(mut entries: Vec<(usize, usize, C64)>) -> f64 {
    // Sum duplicates, then compare each (r, c) with (c, r).
    entries.sort_by_key(|e| (e.0, e.1));
    let mut merged: Vec<(usize, usize, C64)> = Vec::with_capacity(entries.len());
    for e in entries {
        match merged.last_mut() {
            Some(m) if m.0 == e.0 && m.1 == e.1 => m.2 += e.2,
            _ => merged.push(e),
        }
    }
    let lookup = |r: usize, c: usize| -> C64 {
        match merged.binary_search_by_key(&(r, c), |e| (e.0, e.1)) {
            Ok(k) => merged[k].2,
            Err(_) => C64::new(0.0, 0.0),
        }
    };
    merged
        .iter()
        .map(|&(r, c, v)| (v - lookup(c, r).conj()).norm())
        .fold(0.0, f64::max)
}

pub(crate) fn check_finite(argument: &'static str, data: &[C64]) -> Result<()> {
    if let Some(k) = data.iter().position(|v| !(v.re.is_finite() && v.im.is_finite())) {
        let bad = if data[k].re.is_finite() {
            data[k].im
        } else {
            data[k].re
        };
        return Err(check::finite_at(argument, k, bad).unwrap_err().into());
    }
    Ok(())
}
