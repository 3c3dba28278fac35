//! Quantum annealing of a small [`Bqm`]: the D-Wave form
//! `H(s) = −A(s)/2 Σ_i X_i + B(s)/2 · H_ising`, `s = t/t_a`, with `H_ising` the model's SPIN
//! form (`Σ h_i Z_i + Σ J_ij Z_i Z_j`, offset dropped), evolved exactly from the ground state of
//! the driver, `|+…+⟩`. The result is the final distribution over the 2^n solutions with their
//! energies and the ground-state probability, for side-by-side comparison with the samplers of
//! [`anneal`](crate::anneal).

use super::{C64, Coefficient, Hamiltonian, Operator, PauliSum, SolverOptions, Storage, sesolve};
use crate::Result;
use crate::control::Control;
use crate::error::check;
use crate::quantum::pauli::invalid;
use crate::qubo::{Bqm, Vartype};

/// Largest model `anneal_bqm` simulates (2^20 amplitudes).
pub const MAX_ANNEAL_QUBITS: usize = 20;

/// The schedule `A(s)`, `B(s)` on `s ∈ [0, 1]`.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnealSchedule {
    /// `A(s) = scale·(1 − s)`, `B(s) = scale·s`.
    Linear {
        /// Energy scale (1 for the standard toy schedule).
        scale: f64,
    },
    /// Tabulated `A`, `B` at increasing `s` from 0 to 1, linearly interpolated (as D-Wave's
    /// published schedule tables).
    Table {
        /// Points `s`, strictly increasing, from 0 to 1.
        s: Vec<f64>,
        /// A(s) ≥ 0.
        a: Vec<f64>,
        /// B(s) ≥ 0.
        b: Vec<f64>,
    },
}

impl AnnealSchedule {
    fn check(&self) -> Result<()> {
        match self {
            AnnealSchedule::Linear { scale } => {
                check::finite("scale", *scale)?;
                if *scale <= 0.0 {
                    return Err(invalid("scale", format!("is {scale}, must be > 0")));
                }
            }
            AnnealSchedule::Table { s, a, b } => {
                check::len("a", s.len(), a.len())?;
                check::len("b", s.len(), b.len())?;
                check::all_finite("s", s)?;
                check::all_finite("a", a)?;
                check::all_finite("b", b)?;
                if s.len() < 2 || s[0] != 0.0 || s[s.len() - 1] != 1.0 || s.windows(2).any(|w| w[1] <= w[0]) {
                    return Err(invalid(
                        "s",
                        "must increase strictly from 0 to 1 with at least 2 points".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    fn interp(s: &[f64], v: &[f64], x: f64) -> f64 {
        let x = x.clamp(0.0, 1.0);
        let i = s.partition_point(|&p| p <= x).clamp(1, s.len() - 1);
        let (s0, s1) = (s[i - 1], s[i]);
        v[i - 1] + (v[i] - v[i - 1]) * (x - s0) / (s1 - s0)
    }

    /// `(A(s), B(s))`.
    pub fn at(&self, s: f64) -> (f64, f64) {
        match self {
            AnnealSchedule::Linear { scale } => (scale * (1.0 - s), scale * s),
            AnnealSchedule::Table { s: p, a, b } => (Self::interp(p, a, s), Self::interp(p, b, s)),
        }
    }
}

/// What an anneal gives.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AnnealOutcome {
    /// `probabilities[b]`: the probability of basis state `b` (qubit 0 the most significant bit;
    /// bit 0 ↦ spin +1).
    pub probabilities: Vec<f64>,
    /// The model's energy (offset included, in its own vartype) of each basis state.
    pub energies: Vec<f64>,
    /// The lowest energy.
    pub ground_energy: f64,
    /// The total probability of the states at the lowest energy (within 1e-9).
    pub ground_state_probability: f64,
}

impl AnnealOutcome {
    /// The sample of basis state `b` in the model's vartype (SPIN: +1/−1, BINARY: 0/1).
    pub fn sample(&self, b: usize, vartype: Vartype) -> Vec<i8> {
        let n = self.probabilities.len().trailing_zeros() as usize;
        (0..n)
            .map(|q| {
                let one = (b >> (n - 1 - q)) & 1 == 1;
                match (vartype, one) {
                    (Vartype::Spin, false) => 1,
                    (Vartype::Spin, true) => -1,
                    (Vartype::Binary, false) => 1,
                    (Vartype::Binary, true) => 0,
                }
            })
            .collect()
    }
}

/// Anneals `bqm` for `anneal_time > 0` along `schedule` (DOP853 at `options`' tolerances).
pub fn anneal_bqm(
    bqm: &Bqm,
    schedule: &AnnealSchedule,
    anneal_time: f64,
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<AnnealOutcome> {
    schedule.check()?;
    check::finite("anneal_time", anneal_time)?;
    if anneal_time <= 0.0 {
        return Err(invalid("anneal_time", format!("is {anneal_time}, must be > 0")));
    }
    let n = bqm.num_variables();
    if n == 0 {
        return Err(invalid("bqm", "has no variables".into()));
    }
    check::at_most("bqm.num_variables", n as u64, MAX_ANNEAL_QUBITS as u64)?;
    let ising = Operator::from_pauli(&PauliSum::from_bqm(bqm)?, Storage::MatrixFree)?;
    let mut driver = PauliSum::new(n)?;
    driver.add_per_site("X", &vec![1.0; n])?;
    let driver = Operator::from_pauli(&driver, Storage::MatrixFree)?;
    let zero = Operator::from_pauli(&PauliSum::new(n)?, Storage::MatrixFree)?;
    let (sa, sb) = (schedule.clone(), schedule.clone());
    let h = Hamiltonian::new(zero)?
        .with_term(
            driver,
            Coefficient::real(move |t| -0.5 * sa.at(t / anneal_time).0),
        )?
        .with_term(ising, Coefficient::real(move |t| 0.5 * sb.at(t / anneal_time).1))?;
    let amp = C64::new(std::f64::consts::FRAC_1_SQRT_2, 0.0);
    let psi0 = super::ket_product([amp, amp], n)?;
    let mut opts = options.clone();
    if opts.method == super::Method::Auto {
        opts.method = super::Method::Dop853;
    }
    opts.store_states = Some(false);
    let r = sesolve(&h, &psi0, &[0.0, anneal_time], &[], &opts, control)?;
    if r.interrupted {
        return Err(super::QuantumError::Interrupted { solver: "anneal_bqm" }.into());
    }
    let probabilities: Vec<f64> = r.final_state.iter().map(|a| a.norm_sqr()).collect();
    let dim = 1usize << n;
    let mut samples = Vec::with_capacity(dim * n);
    let outcome_shape = AnnealOutcome {
        probabilities,
        energies: vec![],
        ground_energy: 0.0,
        ground_state_probability: 0.0,
    };
    for b in 0..dim {
        samples.extend(outcome_shape.sample(b, bqm.vartype()));
    }
    let energies = bqm.energies_rows(&samples, dim)?;
    let ground_energy = energies.iter().copied().fold(f64::INFINITY, f64::min);
    let tol = 1e-9 * ground_energy.abs().max(1.0);
    let ground_state_probability = outcome_shape
        .probabilities
        .iter()
        .zip(&energies)
        .filter(|(_, e)| **e <= ground_energy + tol)
        .map(|(p, _)| p)
        .sum();
    Ok(AnnealOutcome {
        energies,
        ground_energy,
        ground_state_probability,
        ..outcome_shape
    })
}
