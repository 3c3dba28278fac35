//! The spectral radius `ρ(W) = max |λ|` of a sparse, non-symmetric matrix by a deterministic
//! Krylov–Schur iteration (Stewart 2002) in complex arithmetic: an Arnoldi factorisation
//! `W·V = V·H + v·bᵀ` of size `m`, the Schur form of `H` reordered so the `k` Ritz values of
//! largest modulus lead, truncation to them, and expansion again, until the leading Ritz value's
//! residual `|b₀|` is below `tol·|λ₀|`. This is what ARPACK's implicitly restarted Arnoldi does
//! (scipy's `eigs(W, k=1, which="LM")`, which ReservoirPy calls), written so that the same
//! matrix always gives the same bits: the start vector is all ones, every sum runs in index order.
//! Small matrices (n ≤ [`DENSE_LIMIT`]) are solved densely.

use super::csr::Csr;
use super::error::ReservoirError;
use crate::Result;
use crate::control::Control;
use nalgebra::{Complex, DMatrix, Schur};

type C = Complex<f64>;

/// Matrices up to this order are solved by a dense eigenvalue decomposition.
pub const DENSE_LIMIT: usize = 64;
/// The default relative tolerance on the leading Ritz value's residual.
pub const DEFAULT_TOL: f64 = 1e-12;
/// The default number of restarts before giving up.
pub const DEFAULT_MAX_RESTARTS: usize = 2000;

/// `ρ(W)`, the largest modulus of an eigenvalue of the square matrix `w`, to relative accuracy
/// about `tol` (see the module doc). Stops with an error when `control` asks or after
/// `max_restarts` restarts without convergence.
pub fn spectral_radius(w: &Csr, tol: f64, max_restarts: usize, control: &Control<'_>) -> Result<f64> {
    crate::error::check::len("W", w.rows(), w.cols())?;
    let n = w.rows();
    if n == 0 || w.nnz() == 0 {
        return Ok(0.0);
    }
    if n <= DENSE_LIMIT {
        let dense = DMatrix::from_row_slice(n, n, &w.to_dense());
        return Ok(dense
            .complex_eigenvalues()
            .iter()
            .map(|z| z.norm())
            .fold(0.0, f64::max));
    }
    KrylovSchur::new(w, 40.min(n - 1)).run(tol, max_restarts, control)
}

struct KrylovSchur<'a> {
    w: &'a Csr,
    n: usize,
    m: usize,
    k: usize,
    /// `m + 1` basis vectors of length `n`, column after column.
    v: Vec<C>,
    /// `(m + 1) × m`.
    h: DMatrix<C>,
    re: Vec<f64>,
    im: Vec<f64>,
    out_re: Vec<f64>,
    out_im: Vec<f64>,
}

impl<'a> KrylovSchur<'a> {
    fn new(w: &'a Csr, m: usize) -> Self {
        let n = w.rows();
        let mut v = vec![C::new(0.0, 0.0); n * (m + 1)];
        let s = 1.0 / (n as f64).sqrt();
        v[..n].iter_mut().for_each(|x| *x = C::new(s, 0.0));
        KrylovSchur {
            w,
            n,
            m,
            k: m / 2,
            v,
            h: DMatrix::zeros(m + 1, m),
            re: vec![0.0; n],
            im: vec![0.0; n],
            out_re: vec![0.0; n],
            out_im: vec![0.0; n],
        }
    }

    fn col(&self, j: usize) -> &[C] {
        &self.v[j * self.n..(j + 1) * self.n]
    }

    /// `W·v_j` into column `j + 1`, orthogonalised (classical Gram–Schmidt, twice) against
    /// columns `0..=j`; the coefficients into `h[.., j]`.
    fn expand(&mut self, j: usize) {
        let n = self.n;
        for (i, z) in self.v[j * n..(j + 1) * n].iter().enumerate() {
            self.re[i] = z.re;
            self.im[i] = z.im;
        }
        self.w.matvec(&self.re, &mut self.out_re);
        self.w.matvec(&self.im, &mut self.out_im);
        let mut x: Vec<C> = (0..n).map(|i| C::new(self.out_re[i], self.out_im[i])).collect();
        let mut h = vec![C::new(0.0, 0.0); j + 1];
        for _ in 0..2 {
            for (c, hc) in h.iter_mut().enumerate() {
                let dot: C = self.col(c).iter().zip(&x).map(|(a, b)| a.conj() * b).sum();
                *hc += dot;
                let basis = &self.v[c * n..(c + 1) * n];
                x.iter_mut().zip(basis).for_each(|(xi, bi)| *xi -= dot * bi);
            }
        }
        let mut beta = x.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
        let scale = h.iter().map(|z| z.norm()).fold(beta, f64::max);
        if beta <= 1e-14 * scale.max(f64::MIN_POSITIVE) {
            // An invariant subspace: continue from a vector orthogonal to it (the relation holds
            // with a zero coupling), taken deterministically from a fixed pattern.
            x = (0..n)
                .map(|i| C::new(((i * 7919 + j * 104729) % 1009) as f64 - 504.0, 0.0))
                .collect();
            for _ in 0..2 {
                for c in 0..=j {
                    let dot: C = self.col(c).iter().zip(&x).map(|(a, b)| a.conj() * b).sum();
                    let basis = &self.v[c * n..(c + 1) * n];
                    x.iter_mut().zip(basis).for_each(|(xi, bi)| *xi -= dot * bi);
                }
            }
            let norm = x.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
            x.iter_mut().for_each(|z| *z /= norm);
            beta = 0.0;
        } else {
            x.iter_mut().for_each(|z| *z /= beta);
        }
        for (c, hc) in h.into_iter().enumerate() {
            self.h[(c, j)] = hc;
        }
        self.h[(j + 1, j)] = C::new(beta, 0.0);
        self.v[(j + 1) * n..(j + 2) * n].copy_from_slice(&x);
    }

    fn run(mut self, tol: f64, max_restarts: usize, control: &Control<'_>) -> Result<f64> {
        let (n, m, k) = (self.n, self.m, self.k);
        let mut p = 0;
        for _ in 0..max_restarts {
            if control.should_stop() {
                return Err(ReservoirError::Stopped {
                    what: "spectral_radius",
                }
                .into());
            }
            for j in p..m {
                self.expand(j);
            }
            let hm = self.h.rows(0, m).into_owned();
            let beta_row: Vec<C> = (0..m).map(|c| self.h[(m, c)]).collect();
            let schur = Schur::try_new(hm, 1e-15, 10_000).ok_or_else(|| ReservoirError::SpectralRadius {
                sr: f64::NAN,
                reason: "the projected Schur decomposition did not converge".into(),
            })?;
            let (mut q, mut t) = schur.unpack();
            sort_schur(&mut q, &mut t);
            // Residual couplings b = bᵀ_old · Q.
            let b: Vec<C> = (0..m)
                .map(|c| (0..m).map(|r| beta_row[r] * q[(r, c)]).sum())
                .collect();
            let lead = t[(0, 0)].norm();
            if b[0].norm() <= tol * lead.max(f64::MIN_POSITIVE) {
                return Ok(lead);
            }
            // Truncate to the k leading Ritz values.
            let mut nv = vec![C::new(0.0, 0.0); n * (k + 1)];
            for c in 0..k {
                let dst = &mut nv[c * n..(c + 1) * n];
                for r in 0..m {
                    let coef = q[(r, c)];
                    let src = &self.v[r * n..(r + 1) * n];
                    dst.iter_mut().zip(src).for_each(|(d, s)| *d += coef * s);
                }
            }
            nv[k * n..(k + 1) * n].copy_from_slice(&self.v[m * n..(m + 1) * n]);
            self.v[..n * (k + 1)].copy_from_slice(&nv);
            self.h.fill(C::new(0.0, 0.0));
            for r in 0..k {
                for c in 0..k {
                    self.h[(r, c)] = t[(r, c)];
                }
            }
            for (c, bc) in b.iter().enumerate().take(k) {
                self.h[(k, c)] = *bc;
            }
            p = k;
        }
        Err(ReservoirError::SpectralRadius {
            sr: f64::NAN,
            reason: format!("the eigen-solver did not converge in {max_restarts} restarts"),
        }
        .into())
    }
}

/// Reorders the complex Schur form `Q T Qᴴ` so the diagonal of `T` decreases in modulus
/// (adjacent swaps by a Givens rotation built from the eigenvector of the 2 × 2 block).
fn sort_schur(q: &mut DMatrix<C>, t: &mut DMatrix<C>) {
    let m = t.nrows();
    // Clear what the Schur iteration left below the diagonal.
    for r in 0..m {
        for c in 0..r {
            t[(r, c)] = C::new(0.0, 0.0);
        }
    }
    for pass in 0..m {
        let mut swapped = false;
        for i in 0..m - 1 - pass.min(m - 1) {
            if t[(i + 1, i + 1)].norm() > t[(i, i)].norm() {
                swap(q, t, i);
                swapped = true;
            }
        }
        if !swapped {
            break;
        }
    }
}

fn swap(q: &mut DMatrix<C>, t: &mut DMatrix<C>, i: usize) {
    let m = t.nrows();
    let (a, b, c) = (t[(i, i)], t[(i, i + 1)], t[(i + 1, i + 1)]);
    let (v1, v2) = (b, c - a);
    let r = (v1.norm_sqr() + v2.norm_sqr()).sqrt();
    if r == 0.0 {
        return;
    }
    let (g1, g2) = (v1 / r, v2 / r);
    // G = [[g1, -conj(g2)], [g2, conj(g1)]]: columns i, i+1 ← (cols)·G, rows ← Gᴴ·(rows).
    for row in 0..m {
        let (x, y) = (t[(row, i)], t[(row, i + 1)]);
        t[(row, i)] = x * g1 + y * g2;
        t[(row, i + 1)] = -x * g2.conj() + y * g1.conj();
        let (x, y) = (q[(row, i)], q[(row, i + 1)]);
        q[(row, i)] = x * g1 + y * g2;
        q[(row, i + 1)] = -x * g2.conj() + y * g1.conj();
    }
    for col in 0..m {
        let (x, y) = (t[(i, col)], t[(i + 1, col)]);
        t[(i, col)] = g1.conj() * x + g2.conj() * y;
        t[(i + 1, col)] = -g2 * x + g1 * y;
    }
    t[(i + 1, i)] = C::new(0.0, 0.0);
    t[(i, i)] = c;
    t[(i + 1, i + 1)] = a;
}

/// ReservoirPy's `effective_spectral_radius(W, lr)`: `ρ(lr·W + (1 − lr)·I)`.
pub fn effective_spectral_radius(w: &Csr, lr: f64, control: &Control<'_>) -> Result<f64> {
    crate::error::check::len("W", w.rows(), w.cols())?;
    let n = w.rows();
    // lr·W plus (1 − lr) on the diagonal, as one more entry per row (duplicates add up).
    let mut indptr = Vec::with_capacity(n + 1);
    let mut indices = Vec::with_capacity(w.nnz() + n);
    let mut data = Vec::with_capacity(w.nnz() + n);
    indptr.push(0);
    for i in 0..n {
        for k in w.indptr()[i]..w.indptr()[i + 1] {
            indices.push(w.indices()[k]);
            data.push(lr * w.data()[k]);
        }
        indices.push(i as u32);
        data.push(1.0 - lr);
        indptr.push(indices.len());
    }
    let m = Csr::new(n, n, indptr, indices, data)?;
    spectral_radius(&m, DEFAULT_TOL, DEFAULT_MAX_RESTARTS, control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_keep_the_similarity() {
        let mut t = DMatrix::from_row_slice(
            2,
            2,
            &[
                C::new(1.0, 0.0),
                C::new(2.0, 1.0),
                C::new(0.0, 0.0),
                C::new(-3.0, 0.5),
            ],
        );
        let mut q = DMatrix::<C>::identity(2, 2);
        let before = t.clone();
        swap(&mut q, &mut t, 0);
        assert_eq!(t[(0, 0)], C::new(-3.0, 0.5));
        let back = &q * &t * q.adjoint();
        assert!((back - before).norm() < 1e-12);
    }
}
