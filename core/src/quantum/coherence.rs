//! Resource-theory coherence measures in the computational basis (QuTiP has none) and
//! interference quantities:
//! - l1-norm `C_l1(ρ) = Σ_{i≠j} |ρ_ij|` and relative entropy `C_re(ρ) = S(Δ(ρ)) − S(ρ)`
//!   (Baumgratz, Cramer & Plenio, PRL 113, 140401 (2014));
//! - robustness `C_R` (Napoli et al., PRL 116, 150502 (2016)), which equals `C_l1` for every
//!   qubit state and every pure state (Piani et al., PRA 93, 042107 (2016));
//! - visibility `V = 2|ρ_ij|/(ρ_ii + ρ_jj)` and predictability `P = |ρ_ii − ρ_jj|/(ρ_ii + ρ_jj)`
//!   of the two paths `i`, `j` (for a qubit `V = 2|ρ01| = C_l1`, and `P² + V² ≤ 1` with
//!   equality iff pure, Englert 1996).

use super::linalg::eigvalsh;
use super::metrics::{QState, entropy_of, purity};
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// `Σ_{i≠j} |ρ_ij|` (`(Σ|c_i|)² − 1` for a normalised ket).
pub fn coherence_l1(rho: QState<'_>) -> Result<f64> {
    Ok(match rho {
        QState::Ket(v) => {
            let s: f64 = v.iter().map(|c| c.norm()).sum();
            s * s - v.iter().map(|c| c.norm_sqr()).sum::<f64>()
        }
        QState::Dm(m, n) => {
            let mut s = 0.0;
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        s += m[i * n + j].norm();
                    }
                }
            }
            s
        }
    })
}

/// `S(Δ(ρ)) − S(ρ)` with `Δ` the full dephasing, in units of `log base` (e: nats, 2: bits).
pub fn coherence_relative_entropy(rho: QState<'_>, base: f64) -> Result<f64> {
    if !(base.is_finite() && base > 0.0 && base != 1.0) {
        return Err(invalid(
            "base",
            format!("is {base}, must be > 0 and != 1 (e for nats, 2 for bits)"),
        ));
    }
    let n = rho.dim();
    let dm = rho.to_dm();
    let diag: Vec<f64> = (0..n).map(|i| dm[i * n + i].re).collect();
    let s_rho = match rho {
        QState::Ket(_) => 0.0,
        QState::Dm(..) => entropy_of(&eigvalsh(n, &dm)?, base),
    };
    Ok((entropy_of(&diag, base) - s_rho).max(0.0))
}

/// Robustness of coherence: its closed form `C_l1` for qubits and pure states. Other mixed
/// states need a semidefinite program that is not implemented: they are an error (their value
/// lies in `[C_l1/(d−1), C_l1]`). A density matrix counts as pure when `|Tr ρ² − 1| ≤ 1e-10`.
pub fn robustness_of_coherence(rho: QState<'_>) -> Result<f64> {
    let pure = matches!(rho, QState::Ket(_)) || (purity(rho)? - 1.0).abs() <= 1e-10;
    if rho.dim() == 2 || pure {
        return coherence_l1(rho);
    }
    Err(invalid(
        "rho",
        format!(
            "robustness of coherence has a closed form for qubits and pure states only; this is a mixed state of dimension {} (its value lies in [C_l1/(d-1), C_l1])",
            rho.dim()
        ),
    ))
}

fn populations(rho: &QState<'_>, i: usize, j: usize) -> Result<(f64, f64, f64)> {
    let n = rho.dim();
    check::index("i", i as i64, n)?;
    check::index("j", j as i64, n)?;
    if i == j {
        return Err(invalid("j", "must differ from i".into()));
    }
    let dm = rho.to_dm();
    Ok((dm[i * n + i].re, dm[j * n + j].re, dm[i * n + j].norm()))
}

/// Fringe visibility of an interferometer whose two paths are basis states `i` and `j`:
/// `2|ρ_ij| / (ρ_ii + ρ_jj)` (0 when both paths are empty).
pub fn visibility(rho: QState<'_>, i: usize, j: usize) -> Result<f64> {
    let (a, b, c) = populations(&rho, i, j)?;
    Ok(if a + b > 0.0 { 2.0 * c / (a + b) } else { 0.0 })
}

/// Which-path predictability `|ρ_ii − ρ_jj| / (ρ_ii + ρ_jj)`.
pub fn predictability(rho: QState<'_>, i: usize, j: usize) -> Result<f64> {
    let (a, b, _) = populations(&rho, i, j)?;
    Ok(if a + b > 0.0 { (a - b).abs() / (a + b) } else { 0.0 })
}

/// `(I_max − I_min) / (I_max + I_min)` from measured intensities (`0 ≤ I_min ≤ I_max`,
/// `I_max > 0`).
pub fn visibility_from_intensities(i_max: f64, i_min: f64) -> Result<f64> {
    check::finite("i_max", i_max)?;
    check::finite("i_min", i_min)?;
    if !(i_min >= 0.0 && i_max >= i_min && i_max > 0.0) {
        return Err(invalid(
            "i_max",
            format!("({i_max}, {i_min}) must satisfy 0 <= i_min <= i_max and i_max > 0"),
        ));
    }
    Ok((i_max - i_min) / (i_max + i_min))
}
