//! Single-qubit channels as Kraus sets `ρ → Σ_k K_k ρ K_k†`, applied to one qubit of an
//! n-qubit density matrix. Convention: |0⟩ is the ground state for amplitude damping
//! (Nielsen–Chuang: decay |1⟩ → |0⟩). Note that QuTiP's `basis(2, 0)` is σz = +1 and its
//! `sigmam()` maps basis(2,0) → basis(2,1): QuTiP's σ− drives *to* |1⟩, so the lowering operator
//! here, `|0⟩⟨1|`, is QuTiP's `sigmap()`.

use super::{C64, Operator, PauliSum, Storage};
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;

crate::params::named_enum! {
    /// Which of the two depolarizing conventions a probability `p` means.
    pub enum DepolarizingConvention("convention") {
        /// `ρ → (1 − p) ρ + p I/2` (Bloch vector × (1 − p)); Kraus √(1−3p/4) I, √(p/4) X, Y, Z.
        MaximallyMixed = "maximally_mixed",
        /// Nielsen–Chuang: `ρ → (1 − p) ρ + (p/3)(XρX + YρY + ZρZ)` (Bloch vector × (1 − 4p/3)).
        NielsenChuang = "nielsen_chuang",
    }
}

/// A single-qubit channel: 2×2 Kraus matrices (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    kraus: Vec<[C64; 4]>,
}

fn prob(argument: &'static str, p: f64) -> Result<f64> {
    check::finite(argument, p)?;
    if !(0.0..=1.0).contains(&p) {
        return Err(invalid(argument, format!("is {p}, must be in [0, 1]")));
    }
    Ok(p)
}

fn c(re: f64) -> C64 {
    C64::new(re, 0.0)
}

impl Channel {
    /// Phase flip (dephasing) with probability `p`: K₀ = √(1−p) I, K₁ = √p Z; `ρ01 → (1−2p) ρ01`.
    pub fn dephasing(p: f64) -> Result<Self> {
        let p = prob("p", p)?;
        let (a, b) = ((1.0 - p).sqrt(), p.sqrt());
        Ok(Channel {
            kraus: vec![[c(a), c(0.0), c(0.0), c(a)], [c(b), c(0.0), c(0.0), c(-b)]],
        })
    }

    /// Phase damping `λ`: K₀ = diag(1, √(1−λ)), K₁ = diag(0, √λ); `ρ01 → √(1−λ) ρ01`.
    pub fn phase_damping(lambda: f64) -> Result<Self> {
        let l = prob("lambda", lambda)?;
        Ok(Channel {
            kraus: vec![
                [c(1.0), c(0.0), c(0.0), c((1.0 - l).sqrt())],
                [c(0.0), c(0.0), c(0.0), c(l.sqrt())],
            ],
        })
    }

    /// Amplitude damping `γ` (decay |1⟩ → |0⟩): `K₀ = [[1, 0], [0, √(1−γ)]]`, `K₁ = [[0, √γ], [0, 0]]`.
    pub fn amplitude_damping(gamma: f64) -> Result<Self> {
        let g = prob("gamma", gamma)?;
        Ok(Channel {
            kraus: vec![
                [c(1.0), c(0.0), c(0.0), c((1.0 - g).sqrt())],
                [c(0.0), c(g.sqrt()), c(0.0), c(0.0)],
            ],
        })
    }

    /// Depolarizing with probability `p` in the stated `convention` (for
    /// `NielsenChuang`, `p ≤ 1` too; `p = 3/4` is the fully depolarizing point).
    pub fn depolarizing(p: f64, convention: DepolarizingConvention) -> Result<Self> {
        let p = prob("p", p)?;
        let (w0, w) = match convention {
            DepolarizingConvention::MaximallyMixed => (1.0 - 0.75 * p, 0.25 * p),
            DepolarizingConvention::NielsenChuang => (1.0 - p, p / 3.0),
        };
        let (a, b) = (w0.sqrt(), w.sqrt());
        let i = C64::new(0.0, 1.0);
        Ok(Channel {
            kraus: vec![
                [c(a), c(0.0), c(0.0), c(a)],
                [c(0.0), c(b), c(b), c(0.0)],
                [c(0.0), -i * b, i * b, c(0.0)],
                [c(b), c(0.0), c(0.0), c(-b)],
            ],
        })
    }

    /// Relaxation for a time `t` of a qubit with times `t1` and `t2` (`0 < t2 ≤ 2·t1`):
    /// amplitude damping `γ = 1 − e^{−t/T1}` followed by phase damping with
    /// `√(1−λ) = e^{−t/Tφ}`, `1/Tφ = 1/T2 − 1/(2T1)`, so `ρ11 → ρ11 e^{−t/T1}` and
    /// `|ρ01| → |ρ01| e^{−t/T2}`.
    pub fn t1_t2(t1: f64, t2: f64, t: f64) -> Result<Self> {
        let rate_phi = check_t1_t2(t1, t2)?;
        check::finite("t", t)?;
        if t < 0.0 {
            return Err(invalid("t", format!("is {t}, must be >= 0")));
        }
        let gamma = 1.0 - (-t / t1).exp();
        let lambda = 1.0 - (-2.0 * t * rate_phi).exp();
        Ok(Channel::phase_damping(lambda)?.then(&Channel::amplitude_damping(gamma)?))
    }

    /// A channel from 2×2 row-major Kraus matrices; `Σ K†K = I` must hold to 1e-12.
    pub fn from_kraus(kraus: Vec<[C64; 4]>) -> Result<Self> {
        if kraus.is_empty() {
            return Err(invalid("kraus", "is empty".into()));
        }
        for k in &kraus {
            super::operator::check_finite("kraus", k)?;
        }
        let ch = Channel { kraus };
        let dev = ch.completeness_deviation();
        if dev > 1e-12 {
            return Err(invalid(
                "kraus",
                format!("sum K^dag K differs from I by {dev:e} (> 1e-12): not trace preserving"),
            ));
        }
        Ok(ch)
    }

    /// The Kraus matrices.
    pub fn kraus(&self) -> &[[C64; 4]] {
        &self.kraus
    }

    /// `max |Σ K†K − I|`.
    pub fn completeness_deviation(&self) -> f64 {
        let mut s = [C64::new(0.0, 0.0); 4];
        for k in &self.kraus {
            for i in 0..2 {
                for j in 0..2 {
                    s[i * 2 + j] += k[i].conj() * k[j] + k[2 + i].conj() * k[2 + j];
                }
            }
        }
        let id = [c(1.0), c(0.0), c(0.0), c(1.0)];
        s.iter().zip(id).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max)
    }

    /// `self` then `other` (Kraus products `O_j K_i`).
    pub fn then(&self, other: &Channel) -> Channel {
        let mut kraus = Vec::new();
        for o in &other.kraus {
            for k in &self.kraus {
                let mut m = [C64::new(0.0, 0.0); 4];
                for i in 0..2 {
                    for j in 0..2 {
                        m[i * 2 + j] = o[i * 2] * k[j] + o[i * 2 + 1] * k[2 + j];
                    }
                }
                kraus.push(m);
            }
        }
        Channel { kraus }
    }

    /// Applies the channel to `qubit` of an `num_qubits`-qubit density matrix (row-major,
    /// `4^n` entries), in place.
    pub fn apply(&self, rho: &mut [C64], num_qubits: usize, qubit: usize) -> Result<()> {
        check::at_most("num_qubits", num_qubits as u64, 13)?;
        let dim = 1usize << num_qubits;
        check::len("rho", dim * dim, rho.len())?;
        check::index("qubit", qubit as i64, num_qubits)?;
        let bit = 1usize << (num_qubits - 1 - qubit);
        let mut out = vec![C64::new(0.0, 0.0); dim * dim];
        for k in &self.kraus {
            for i in 0..dim {
                let (ib, i0) = (usize::from(i & bit != 0), i & !bit);
                for j in 0..dim {
                    let (jb, j0) = (usize::from(j & bit != 0), j & !bit);
                    let mut acc = C64::new(0.0, 0.0);
                    for a in 0..2 {
                        let ka = k[ib * 2 + a];
                        if ka == C64::new(0.0, 0.0) {
                            continue;
                        }
                        let ia = i0 | if a == 1 { bit } else { 0 };
                        for b in 0..2 {
                            let kb = k[jb * 2 + b];
                            if kb == C64::new(0.0, 0.0) {
                                continue;
                            }
                            let jbb = j0 | if b == 1 { bit } else { 0 };
                            acc += ka * rho[ia * dim + jbb] * kb.conj();
                        }
                    }
                    out[i * dim + j] += acc;
                }
            }
        }
        rho.copy_from_slice(&out);
        Ok(())
    }
}

fn check_t1_t2(t1: f64, t2: f64) -> Result<f64> {
    check::finite("t1", t1)?;
    check::finite("t2", t2)?;
    if t1 <= 0.0 {
        return Err(invalid("t1", format!("is {t1}, must be > 0")));
    }
    if !(t2 > 0.0 && t2 <= 2.0 * t1) {
        return Err(invalid(
            "t2",
            format!("is {t2}, must be in (0, 2*t1] = (0, {}]", 2.0 * t1),
        ));
    }
    Ok((1.0 / t2 - 0.5 / t1).max(0.0))
}

/// Lindblad operators of T1/T2 relaxation on `qubit` of `num_qubits` (matrix-free Pauli
/// storage): `c₁ = T1^{−1/2} |0⟩⟨1|` (as the two Pauli strings `(X + iY)/2`) and, when
/// `T2 < 2T1`, `c_φ = (2Tφ)^{−1/2} σz` with `1/Tφ = 1/T2 − 1/(2T1)`.
pub fn t1_t2_lindblad(t1: f64, t2: f64, num_qubits: usize, qubit: usize) -> Result<Vec<Operator>> {
    let rate_phi = check_t1_t2(t1, t2)?;
    let mut lower = PauliSum::new(num_qubits)?;
    let a = 0.5 / t1.sqrt();
    lower.add_term("X", &[qubit], a)?;
    lower.add_term("Y", &[qubit], C64::new(0.0, a))?;
    let mut ops = vec![Operator::from_pauli(&lower, Storage::Csr)?];
    if rate_phi > 0.0 {
        let mut z = PauliSum::new(num_qubits)?;
        z.add_term("Z", &[qubit], (0.5 * rate_phi).sqrt())?;
        ops.push(Operator::from_pauli(&z, Storage::MatrixFree)?);
    }
    Ok(ops)
}
