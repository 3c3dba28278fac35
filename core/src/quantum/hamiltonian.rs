//! `Hamiltonian`: `H(t) = H0 + Σ_k c_k(t) H_k` (QuTiP's `QobjEvo` list form), and the
//! validation of states and time lists shared by the solvers.

use super::{C64, Coefficient, Operator, QuantumError};
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// A possibly time-dependent Hamiltonian `H(t) = H0 + Σ_k c_k(t) H_k`; every operator is
/// Hermitian and of one dimension.
#[derive(Debug, Clone)]
pub struct Hamiltonian {
    pub(crate) h0: Operator,
    pub(crate) terms: Vec<(Operator, Coefficient)>,
}

impl Hamiltonian {
    /// A time-independent Hamiltonian (must be Hermitian).
    pub fn new(h0: Operator) -> Result<Self> {
        h0.require_hermitian("H")?;
        Ok(Hamiltonian {
            h0,
            terms: Vec::new(),
        })
    }

    /// Adds `c(t) · h` (`h` Hermitian, of the same dimension; a real `c` keeps `H(t)` Hermitian).
    pub fn add_term(&mut self, h: Operator, c: Coefficient) -> Result<()> {
        check::len("H_k", self.h0.dim(), h.dim())?;
        h.require_hermitian("H_k")?;
        self.terms.push((h, c));
        Ok(())
    }

    /// `self` with `c(t) · h` added.
    pub fn with_term(mut self, h: Operator, c: Coefficient) -> Result<Self> {
        self.add_term(h, c)?;
        Ok(self)
    }

    /// The dimension.
    pub fn dim(&self) -> usize {
        self.h0.dim()
    }

    /// Whether there are time-dependent terms.
    pub fn is_time_dependent(&self) -> bool {
        !self.terms.is_empty()
    }

    /// The constant part `H0`.
    pub fn h0(&self) -> &Operator {
        &self.h0
    }

    /// The coefficients at `t` (fails on a non-finite value).
    pub(crate) fn coefficients(&self, t: f64, out: &mut Vec<C64>) -> Result<()> {
        out.clear();
        for (index, (_, c)) in self.terms.iter().enumerate() {
            let v = c.at(t);
            if !(v.re.is_finite() && v.im.is_finite()) {
                let value = if v.re.is_finite() { v.im } else { v.re };
                return Err(QuantumError::NonFiniteCoefficient {
                    index,
                    time: t,
                    value,
                }
                .into());
            }
            out.push(v);
        }
        Ok(())
    }

    /// `y ← y + alpha · H(t) x` with the coefficients `cs` at `t`.
    pub(crate) fn apply_add(&self, alpha: C64, cs: &[C64], x: &[C64], y: &mut [C64]) {
        self.h0.apply_add(alpha, x, y);
        for ((h, _), &c) in self.terms.iter().zip(cs) {
            h.apply_add(alpha * c, x, y);
        }
    }
}

/// Checks an output time list: non-empty, finite, non-decreasing.
pub(crate) fn check_tlist(tlist: &[f64]) -> Result<()> {
    if tlist.is_empty() {
        return Err(invalid("tlist", "is empty, needs at least one time".into()));
    }
    check::all_finite("tlist", tlist)?;
    if let Some(i) = tlist.windows(2).position(|w| w[1] < w[0]) {
        return Err(invalid(
            "tlist",
            format!("must be non-decreasing (tlist[{}] > tlist[{}])", i, i + 1),
        ));
    }
    Ok(())
}

/// Tolerance on the norm of a ket or the trace of a density matrix given to a solver.
pub const NORM_TOLERANCE: f64 = 1e-8;

/// Checks a ket: length, finite entries, unit norm.
pub(crate) fn check_ket(argument: &'static str, psi: &[C64], dim: usize) -> Result<()> {
    check::len(argument, dim, psi.len())?;
    super::operator::check_finite(argument, psi)?;
    let norm = psi.iter().map(|v| v.norm_sqr()).sum::<f64>().sqrt();
    if (norm - 1.0).abs() > NORM_TOLERANCE {
        return Err(QuantumError::NotNormalized {
            argument,
            what: "norm",
            value: norm,
            tolerance: NORM_TOLERANCE,
        }
        .into());
    }
    Ok(())
}

/// Checks a density matrix: `dim²` finite entries, Hermitian, unit trace.
pub(crate) fn check_dm(argument: &'static str, rho: &[C64], dim: usize) -> Result<()> {
    check::len(argument, dim * dim, rho.len())?;
    super::operator::check_finite(argument, rho)?;
    let mut dev: f64 = 0.0;
    for i in 0..dim {
        for j in 0..=i {
            dev = dev.max((rho[i * dim + j] - rho[j * dim + i].conj()).norm());
        }
    }
    if dev > 1e-10 {
        return Err(QuantumError::NotHermitian {
            argument,
            deviation: dev,
            tolerance: 1e-10,
        }
        .into());
    }
    let trace: f64 = (0..dim).map(|i| rho[i * dim + i].re).sum();
    if (trace - 1.0).abs() > NORM_TOLERANCE {
        return Err(QuantumError::NotNormalized {
            argument,
            what: "trace",
            value: trace,
            tolerance: NORM_TOLERANCE,
        }
        .into());
    }
    Ok(())
}
