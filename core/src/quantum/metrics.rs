//! QuTiP's state metrics with QuTiP's definitions (`qutip.core.metrics`, `qutip.entropy`), on
//! kets or density matrices:
//! - [`fidelity`] `F = Tr√(√A B √A)` — **not squared** (Nielsen–Chuang); `|⟨a|b⟩|` for two kets.
//!   [`fidelity_squared`] is `F²` (Jozsa's convention), named so.
//! - [`tracedist`] `½ Tr|A − B|`; [`hilbert_dist`] `Tr[(A − B)²]` — **squared** Hilbert–Schmidt.
//! - [`bures_dist`] `√(2(1 − F))`, [`bures_angle`] `arccos F`.
//! - [`entropy_vn`] `−Σ λ log λ` (eigenvalues below 1e-17 clipped to 1e-17, as QuTiP),
//!   [`entropy_linear`] `1 − Tr ρ²`, [`purity`] `Tr ρ²`, [`concurrence`] (Wootters, two qubits).

use super::C64;
use super::linalg::{eigvalsh, hermitian_function, matmul};
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// Largest dimension the metrics accept (they use dense eigendecompositions).
pub const MAX_METRIC_DIM: usize = 4096;

/// A state given to a metric: a ket, or a row-major density matrix.
#[derive(Debug, Clone, Copy)]
pub enum QState<'a> {
    /// A ket of length `d`.
    Ket(&'a [C64]),
    /// A `d × d` row-major density matrix.
    Dm(&'a [C64], usize),
}

impl<'a> QState<'a> {
    /// Reads `data` as a ket when `len == dim`, as a density matrix when `len == dim²`.
    pub fn new(argument: &'static str, data: &'a [C64], dim: usize) -> Result<Self> {
        if dim == 0 {
            return Err(invalid("dim", "is 0, must be at least 1".into()));
        }
        check::at_most("dim", dim as u64, MAX_METRIC_DIM as u64)?;
        super::operator::check_finite(argument, data)?;
        if data.len() == dim {
            Ok(QState::Ket(data))
        } else if data.len() == dim * dim {
            Ok(QState::Dm(data, dim))
        } else {
            Err(invalid(
                argument,
                format!(
                    "has {} entries: must be a ket ({dim}) or a density matrix ({})",
                    data.len(),
                    dim * dim
                ),
            ))
        }
    }

    /// The dimension `d`.
    pub fn dim(&self) -> usize {
        match self {
            QState::Ket(v) => v.len(),
            QState::Dm(_, d) => *d,
        }
    }

    /// The density matrix (`|ψ⟩⟨ψ|` for a ket).
    pub fn to_dm(&self) -> Vec<C64> {
        match self {
            QState::Ket(v) => super::ket2dm(v),
            QState::Dm(m, _) => m.to_vec(),
        }
    }
}

fn same_dim(a: &QState<'_>, b: &QState<'_>) -> Result<usize> {
    check::len("b", a.dim(), b.dim())?;
    Ok(a.dim())
}

/// `F(A, B) = Tr√(√A B √A)` (not squared); `|⟨a|b⟩|` for two kets, `√⟨a|B|a⟩` for a ket and a
/// density matrix.
pub fn fidelity(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    let n = same_dim(&a, &b)?;
    match (a, b) {
        (QState::Ket(x), QState::Ket(y)) => {
            Ok(x.iter().zip(y).map(|(p, q)| p.conj() * q).sum::<C64>().norm())
        }
        (QState::Ket(x), QState::Dm(m, _)) | (QState::Dm(m, _), QState::Ket(x)) => {
            let mut e = C64::new(0.0, 0.0);
            for i in 0..n {
                for j in 0..n {
                    e += x[i].conj() * m[i * n + j] * x[j];
                }
            }
            Ok(e.re.max(0.0).sqrt())
        }
        (QState::Dm(p, _), QState::Dm(q, _)) => {
            let s = hermitian_function(n, p, |x| x.max(0.0).sqrt())?;
            let inner = matmul(n, &matmul(n, &s, q), &s);
            Ok(eigvalsh(n, &inner)?.iter().map(|&l| l.max(0.0).sqrt()).sum())
        }
    }
}

/// `F(A, B)²` (Jozsa's fidelity; `|⟨a|b⟩|²` for kets).
pub fn fidelity_squared(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    Ok(fidelity(a, b)?.powi(2))
}

/// `½ Tr|A − B|` (kets taken as `|ψ⟩⟨ψ|`).
pub fn tracedist(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    let n = same_dim(&a, &b)?;
    let d: Vec<C64> = a.to_dm().iter().zip(b.to_dm()).map(|(x, y)| x - y).collect();
    Ok(0.5 * eigvalsh(n, &d)?.iter().map(|l| l.abs()).sum::<f64>())
}

/// `Tr[(A − B)²]`, the **squared** Hilbert–Schmidt distance (QuTiP's `hilbert_dist`).
pub fn hilbert_dist(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    same_dim(&a, &b)?;
    let (x, y) = (a.to_dm(), b.to_dm());
    Ok(x.iter().zip(&y).map(|(p, q)| (p - q).norm_sqr()).sum())
}

/// `√(2(1 − F))` with the non-squared fidelity.
pub fn bures_dist(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    let f = fidelity(dm_of(a), dm_of(b))?;
    Ok((2.0 * (1.0 - f)).max(0.0).sqrt())
}

/// `arccos F` with the non-squared fidelity (F clipped to 1 against rounding).
pub fn bures_angle(a: QState<'_>, b: QState<'_>) -> Result<f64> {
    let f = fidelity(dm_of(a), dm_of(b))?;
    Ok(f.min(1.0).acos())
}

/// Metrics that QuTiP computes on `|ψ⟩⟨ψ|` for kets go through the density-matrix formula too,
/// so they agree with it to rounding.
fn dm_of(s: QState<'_>) -> QState<'_> {
    s
}

/// `−Σ λ log_base λ` over the eigenvalues of ρ (clipped below at 1e-17, as QuTiP); `base` is
/// `e` (nats) or `2` (bits), or any other base > 0, ≠ 1. A ket has entropy 0.
pub fn entropy_vn(rho: QState<'_>, base: f64) -> Result<f64> {
    if !(base.is_finite() && base > 0.0 && base != 1.0) {
        return Err(invalid(
            "base",
            format!("is {base}, must be > 0 and != 1 (e for nats, 2 for bits)"),
        ));
    }
    let n = rho.dim();
    let vals = eigvalsh(n, &rho.to_dm())?;
    Ok(entropy_of(&vals, base))
}

pub(crate) fn entropy_of(vals: &[f64], base: f64) -> f64 {
    -vals
        .iter()
        .map(|&l| l.max(1e-17))
        .map(|l| l * l.ln() / base.ln())
        .sum::<f64>()
}

/// `Tr ρ²` (`‖ψ‖⁴` for a ket).
pub fn purity(rho: QState<'_>) -> Result<f64> {
    Ok(match rho {
        QState::Ket(v) => v.iter().map(|x| x.norm_sqr()).sum::<f64>().powi(2),
        QState::Dm(m, n) => {
            let mut s = C64::new(0.0, 0.0);
            for i in 0..n {
                for j in 0..n {
                    s += m[i * n + j] * m[j * n + i];
                }
            }
            s.re
        }
    })
}

/// `1 − Tr ρ²`.
pub fn entropy_linear(rho: QState<'_>) -> Result<f64> {
    Ok(1.0 - purity(rho)?)
}

/// Wootters' concurrence of a two-qubit state: `max(0, λ₁ − λ₂ − λ₃ − λ₄)` with `λ` the
/// decreasing square roots of the eigenvalues of `ρ (σy⊗σy) ρ* (σy⊗σy)`.
pub fn concurrence(rho: QState<'_>) -> Result<f64> {
    if rho.dim() != 4 {
        return Err(invalid(
            "rho",
            format!("has dimension {}, concurrence needs two qubits (4)", rho.dim()),
        ));
    }
    let r = rho.to_dm();
    // σy⊗σy = antidiag(−1, 1, 1, −1)
    let yy = |i: usize| -> (usize, f64) { (3 - i, if i == 0 || i == 3 { -1.0 } else { 1.0 }) };
    let mut tilde = vec![C64::new(0.0, 0.0); 16];
    for i in 0..4 {
        for j in 0..4 {
            let (a, sa) = yy(i);
            let (b, sb) = yy(j);
            tilde[i * 4 + j] = r[a * 4 + b].conj() * (sa * sb);
        }
    }
    let s = hermitian_function(4, &r, |x| x.max(0.0).sqrt())?;
    let m = matmul(4, &matmul(4, &s, &tilde), &s);
    let mut l: Vec<f64> = eigvalsh(4, &m)?.iter().map(|x| x.abs().sqrt()).collect();
    l.sort_by(|a, b| b.total_cmp(a));
    Ok((l[0] - l[1] - l[2] - l[3]).max(0.0))
}
