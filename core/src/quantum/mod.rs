//! Hamiltonian evolution, open systems, coherence and interference (SPEC §2 `quantum`):
//! Pauli-sum operators (CSR, dense or matrix-free), kets and density matrices, `sesolve` and
//! `mesolve` with QuTiP's arguments, QuTiP's metrics, coherence measures, Kraus channels,
//! quantum annealing of a [`Bqm`](crate::qubo::Bqm), and phase oscillators.
//!
//! Conventions: ħ = 1; qubit 0 is the most significant tensor factor (`qutip.tensor`);
//! |0⟩ is the σz = +1 eigenstate; density matrices are row-major `d × d` arrays.

mod annealing;
mod channels;
mod coefficient;
mod coherence;
mod error;
mod hamiltonian;
mod krylov;
mod linalg;
mod mesolve;
mod metrics;
mod operator;
mod options;
mod oscillators;
mod par;
mod pauli;
mod rk;
mod rk_tables;
mod serialize;
mod sesolve;
mod state;

/// Complex numbers (`num_complex::Complex64`).
pub use num_complex::Complex64 as C64;

pub use annealing::MAX_ANNEAL_QUBITS;
pub use annealing::{AnnealOutcome, AnnealSchedule, anneal_bqm};
pub use channels::{Channel, DepolarizingConvention, t1_t2_lindblad};
pub use coefficient::{Coefficient, Spline};
pub use coherence::{
    coherence_l1, coherence_relative_entropy, predictability, robustness_of_coherence, visibility,
    visibility_from_intensities,
};
pub use error::QuantumError;
pub use hamiltonian::{Hamiltonian, NORM_TOLERANCE};
pub use krylov::Stats;
pub use mesolve::mesolve;
pub use metrics::MAX_METRIC_DIM;
pub use metrics::{
    QState, bures_angle, bures_dist, concurrence, entropy_linear, entropy_vn, fidelity, fidelity_squared,
    hilbert_dist, purity, tracedist,
};
pub use operator::{MAX_DENSE_DIM, Operator, Storage};
pub use options::{MAX_DIAG_DIM, MAX_KRYLOV_DIM, Method, SolverOptions};
pub use oscillators::{Kuramoto, KuramotoTrace, MAX_OSCILLATORS, PhaseState, interference};
pub use pauli::{MAX_PAULI_QUBITS, MAX_PAULI_TERMS, PauliSum, PauliTerm};
pub use serialize::{state_from_bytes, state_to_bytes};
pub use sesolve::{SolveResult, sesolve, sesolve_batch, sesolve_sweep};
pub use state::{ket_basis, ket_product, ket2dm, normalize, partial_trace, tensor};

/// Largest number of qubits of a materialised state (2^30 amplitudes = 16 GiB).
pub const MAX_STATE_QUBITS: usize = 30;
