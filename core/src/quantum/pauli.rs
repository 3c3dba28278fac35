//! Pauli-sum operators: `Σ_t c_t P_t` with each `P_t` a tensor product of I, X, Y, Z, built from
//! strings on given sites (`"ZZ"` on sites `[i, i+1]`), per-site terms, or the Ising
//! Hamiltonian of a [`Bqm`](crate::qubo::Bqm).
//!
//! Qubit 0 is the most significant tensor factor, as in `qutip.tensor`: qubit `q` of `n` is bit
//! `n − 1 − q` of a basis index, and |0⟩ is the σz = +1 eigenstate.

use super::C64;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::{Bqm, Vartype};

/// Largest number of qubits a Pauli sum describes (its masks are 64-bit). Materialising it
/// (a state, CSR or dense storage) is limited further by memory: see
/// [`MAX_STATE_QUBITS`](super::MAX_STATE_QUBITS).
pub const MAX_PAULI_QUBITS: usize = 62;

/// Largest number of terms a Pauli sum holds.
pub const MAX_PAULI_TERMS: usize = 1 << 24;

/// One Pauli string with its coefficient. `x` has the bits of the sites carrying X or Y, `z` those
/// carrying Z or Y; `ny` counts the Ys. On a basis state `P|b⟩ = i^ny · (−1)^popcount(b & z) · |b ^ x⟩`
/// (each Y = i·X·Z).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PauliTerm {
    /// The coefficient.
    pub coefficient: C64,
    /// Basis-index bits flipped (X and Y sites).
    pub x: u64,
    /// Basis-index bits that give a sign (Z and Y sites).
    pub z: u64,
}

impl PauliTerm {
    /// The number of Y factors.
    pub fn num_y(&self) -> u32 {
        (self.x & self.z).count_ones()
    }

    /// `coefficient · i^ny`: the factor in front of `(−1)^popcount(b & z)`.
    pub fn phase_coefficient(&self) -> C64 {
        let i_pow = match self.num_y() % 4 {
            0 => C64::new(1.0, 0.0),
            1 => C64::new(0.0, 1.0),
            2 => C64::new(-1.0, 0.0),
            _ => C64::new(0.0, -1.0),
        };
        self.coefficient * i_pow
    }

    /// The matrix element `⟨b ^ x| c·P |b⟩`.
    #[inline]
    pub fn element(&self, b: u64) -> C64 {
        let c = self.phase_coefficient();
        if (b & self.z).count_ones() & 1 == 1 { -c } else { c }
    }
}

/// A sum of Pauli strings on `num_qubits` qubits.
///
/// ```
/// use neuroquant::quantum::{PauliSum, C64};
/// // The transverse-field Ising chain H = −Σ Z_i Z_{i+1} − Σ X_i on 4 qubits.
/// let mut h = PauliSum::new(4)?;
/// for i in 0..3 { h.add_term("ZZ", &[i, i + 1], -1.0)?; }
/// for i in 0..4 { h.add_term("X", &[i], -1.0)?; }
/// assert_eq!(h.num_terms(), 7);
/// assert!(h.is_hermitian(1e-12));
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PauliSum {
    num_qubits: usize,
    terms: Vec<PauliTerm>,
}

impl PauliSum {
    /// The zero operator on `num_qubits` qubits (1 ≤ `num_qubits` ≤ [`MAX_PAULI_QUBITS`]).
    pub fn new(num_qubits: usize) -> Result<Self> {
        if num_qubits == 0 {
            return Err(invalid("num_qubits", "is 0, must be at least 1".into()));
        }
        check::at_most("num_qubits", num_qubits as u64, MAX_PAULI_QUBITS as u64)?;
        Ok(PauliSum {
            num_qubits,
            terms: Vec::new(),
        })
    }

    /// The number of qubits.
    pub fn num_qubits(&self) -> usize {
        self.num_qubits
    }

    /// The Hilbert-space dimension `2^num_qubits`.
    pub fn dim(&self) -> u64 {
        1u64 << self.num_qubits
    }

    /// The terms, in the order they were added.
    pub fn terms(&self) -> &[PauliTerm] {
        &self.terms
    }

    /// The number of terms.
    pub fn num_terms(&self) -> usize {
        self.terms.len()
    }

    /// Adds `coefficient · P`, where `P` has `paulis[k]` (one of `I X Y Z`, upper or lower case) on
    /// qubit `sites[k]` and the identity elsewhere. Sites must be distinct and `< num_qubits`.
    /// Nothing is added on error.
    pub fn add_term(&mut self, paulis: &str, sites: &[usize], coefficient: impl Into<C64>) -> Result<()> {
        let term = self.parse_term(paulis, sites, coefficient.into())?;
        self.push(term)
    }

    /// Adds `coefficient · P` for a string naming every qubit (`"ZZII"` on 4 qubits: Z on qubits
    /// 0 and 1).
    pub fn add_string(&mut self, paulis: &str, coefficient: impl Into<C64>) -> Result<()> {
        check::len("paulis", self.num_qubits, paulis.chars().count())?;
        let sites: Vec<usize> = (0..self.num_qubits).collect();
        self.add_term(paulis, &sites, coefficient)
    }

    /// Adds `coefficients[i] · P` on each qubit `i` (a field: `add_per_site("X", &[-h; n])`).
    pub fn add_per_site(&mut self, pauli: &str, coefficients: &[f64]) -> Result<()> {
        check::len("coefficients", self.num_qubits, coefficients.len())?;
        check::all_finite("coefficients", coefficients)?;
        let mut staged = Vec::with_capacity(coefficients.len());
        for (q, &c) in coefficients.iter().enumerate() {
            staged.push(self.parse_term(pauli, &[q], C64::new(c, 0.0))?);
        }
        self.reserve_terms(staged.len())?;
        self.terms.extend(staged);
        Ok(())
    }

    /// Adds an already-built term (its masks must lie within the qubits).
    pub fn push(&mut self, term: PauliTerm) -> Result<()> {
        let mask = self.full_mask();
        if (term.x | term.z) & !mask != 0 {
            return Err(invalid(
                "term",
                format!("acts outside the {} qubits", self.num_qubits),
            ));
        }
        check::finite("coefficient.re", term.coefficient.re)?;
        check::finite("coefficient.im", term.coefficient.im)?;
        self.reserve_terms(1)?;
        self.terms.push(term);
        Ok(())
    }

    fn reserve_terms(&mut self, extra: usize) -> Result<()> {
        check::at_most("terms", (self.terms.len() + extra) as u64, MAX_PAULI_TERMS as u64)?;
        crate::alloc::reserve("Pauli terms", &mut self.terms, extra)
    }

    fn full_mask(&self) -> u64 {
        if self.num_qubits == 64 {
            u64::MAX
        } else {
            (1u64 << self.num_qubits) - 1
        }
    }

    /// The basis-index bit of qubit `q`.
    pub fn bit(&self, q: usize) -> u64 {
        1u64 << (self.num_qubits - 1 - q)
    }

    fn parse_term(&self, paulis: &str, sites: &[usize], coefficient: C64) -> Result<PauliTerm> {
        check::finite("coefficient.re", coefficient.re)?;
        check::finite("coefficient.im", coefficient.im)?;
        let chars: Vec<char> = paulis.chars().collect();
        check::len("sites", chars.len(), sites.len())?;
        let (mut x, mut z, mut used) = (0u64, 0u64, 0u64);
        for (k, (&c, &q)) in chars.iter().zip(sites).enumerate() {
            let q = check::index("sites", q as i64, self.num_qubits)?;
            let bit = self.bit(q);
            if used & bit != 0 {
                return Err(invalid(
                    "sites",
                    format!("site {q} appears twice (at position {k}); sites must be distinct"),
                ));
            }
            used |= bit;
            match c.to_ascii_uppercase() {
                'I' => {}
                'X' => x |= bit,
                'Z' => z |= bit,
                'Y' => {
                    x |= bit;
                    z |= bit;
                }
                other => {
                    return Err(invalid(
                        "paulis",
                        format!("character {other:?} at position {k} is not one of I, X, Y, Z"),
                    ));
                }
            }
        }
        Ok(PauliTerm { coefficient, x, z })
    }

    /// The Ising Hamiltonian of `bqm` in its SPIN form: `Σ_i h_i Z_i + Σ_{i<j} J_ij Z_i Z_j`
    /// (the offset is left out: a global phase), so the energy of basis state `|b⟩` is the
    /// model's energy (minus its offset) at spins `s_q = +1` for bit 0 and `−1` for bit 1 of
    /// qubit `q`. A BINARY model is converted first (`x = (1 + s)/2`).
    pub fn from_bqm(bqm: &Bqm) -> Result<Self> {
        let spin;
        let bqm = if bqm.vartype() == Vartype::Spin {
            bqm
        } else {
            let mut b = bqm.clone();
            b.change_vartype(Vartype::Spin)?;
            spin = b;
            &spin
        };
        let n = bqm.num_variables();
        let mut h = PauliSum::new(n)?;
        h.reserve_terms(n + bqm.num_interactions())?;
        for (q, &b) in bqm.linear().iter().enumerate() {
            if b != 0.0 {
                h.terms.push(PauliTerm {
                    coefficient: C64::new(b, 0.0),
                    x: 0,
                    z: h.bit(q),
                });
            }
        }
        for (u, v, b) in bqm.iter_quadratic() {
            let z = h.bit(u as usize) | h.bit(v as usize);
            h.terms.push(PauliTerm {
                coefficient: C64::new(b, 0.0),
                x: 0,
                z,
            });
        }
        Ok(h)
    }

    /// `self` with equal strings merged (in first-appearance order) and zero coefficients
    /// dropped.
    pub fn simplified(&self) -> Self {
        let mut index = std::collections::HashMap::new();
        let mut terms: Vec<PauliTerm> = Vec::new();
        for t in &self.terms {
            match index.get(&(t.x, t.z)) {
                Some(&k) => {
                    let merged: &mut PauliTerm = &mut terms[k];
                    merged.coefficient += t.coefficient;
                }
                None => {
                    index.insert((t.x, t.z), terms.len());
                    terms.push(*t);
                }
            }
        }
        terms.retain(|t| t.coefficient != C64::new(0.0, 0.0));
        PauliSum {
            num_qubits: self.num_qubits,
            terms,
        }
    }

    /// The largest `|Im c|` over the merged terms: Pauli strings are Hermitian, so the sum is
    /// Hermitian exactly when every merged coefficient is real.
    pub fn hermiticity_deviation(&self) -> f64 {
        self.simplified()
            .terms
            .iter()
            .map(|t| t.coefficient.im.abs())
            .fold(0.0, f64::max)
    }

    /// Whether the operator is Hermitian within `tolerance` (see
    /// [`hermiticity_deviation`](Self::hermiticity_deviation)).
    pub fn is_hermitian(&self, tolerance: f64) -> bool {
        self.hermiticity_deviation() <= tolerance
    }

    /// Whether every term is diagonal (only I and Z).
    pub fn is_diagonal(&self) -> bool {
        self.terms.iter().all(|t| t.x == 0)
    }

    /// `self · scale`.
    pub fn scaled(&self, scale: C64) -> Self {
        let mut s = self.clone();
        for t in &mut s.terms {
            t.coefficient *= scale;
        }
        s
    }
}

pub(crate) fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_is_i_x_z() {
        let mut y = PauliSum::new(1).unwrap();
        y.add_term("Y", &[0], 1.0).unwrap();
        let t = y.terms()[0];
        // Y|0> = i|1>, Y|1> = -i|0>
        assert_eq!(t.element(0), C64::new(0.0, 1.0));
        assert_eq!(t.element(1), C64::new(0.0, -1.0));
    }

    #[test]
    fn bad_terms_change_nothing() {
        let mut h = PauliSum::new(3).unwrap();
        assert!(
            h.add_term("ZW", &[0, 1], 1.0)
                .unwrap_err()
                .to_string()
                .contains("not one of I, X, Y, Z")
        );
        assert!(
            h.add_term("ZZ", &[0, 0], 1.0)
                .unwrap_err()
                .to_string()
                .contains("appears twice")
        );
        assert!(
            h.add_term("ZZ", &[0, 3], 1.0)
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        assert!(h.add_term("Z", &[0], f64::NAN).is_err());
        assert!(h.add_per_site("X", &[1.0, 2.0]).is_err());
        assert_eq!(h.num_terms(), 0);
        assert!(PauliSum::new(0).is_err());
        assert!(PauliSum::new(63).is_err());
    }
}
