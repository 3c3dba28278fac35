//! Solver options, under QuTiP's names (`atol`, `rtol`, `nsteps`, `max_step`, `method`,
//! `store_states`), declared once for Rust, C and Python.

use crate::Result;
use crate::params::params;
use crate::quantum::pauli::invalid;

crate::params::named_enum! {
    /// The integration method (QuTiP's `options["method"]`).
    pub enum Method("method") {
        /// Krylov for a time-independent Hamiltonian or Liouvillian, DOP853 otherwise.
        Auto = "auto",
        /// Krylov propagation (Lanczos for sesolve, Arnoldi for mesolve) with error control;
        /// time-independent generators only.
        Krylov = "krylov",
        /// Exact diagonalisation of a dense H, then phases (sesolve, time-independent, dimension
        /// at most 4096).
        Diag = "diag",
        /// Adaptive Dormand-Prince 8(5,3) (Hairer's DOP853).
        Dop853 = "dop853",
        /// Adaptive Tsitouras 5(4).
        Tsit5 = "tsit5",
    }
}

/// Largest Krylov basis size.
pub const MAX_KRYLOV_DIM: usize = 200;
/// Largest dimension `method="diag"` accepts.
pub const MAX_DIAG_DIM: usize = 4096;

params! {
    /// Options of `sesolve` and `mesolve`, under QuTiP's names. Defaults are tighter than QuTiP's
    /// (atol 1e-8, rtol 1e-6 there), which leave observables wrong in the 4th–6th digit.
    pub struct SolverOptions {
        /// Absolute tolerance: of each state component per ODE step, and of the state's
        /// 2-norm per Krylov step.
        keyword atol: f64 = 1e-12,
        /// Relative tolerance of the ODE methods.
        keyword rtol: f64 = 1e-10,
        /// Largest number of ODE steps between two output times.
        keyword nsteps: usize = 100_000,
        /// Largest ODE step; 0 means no limit. Set it below half the narrowest pulse of a
        /// time-dependent coefficient.
        keyword max_step: f64 = 0.0,
        /// The integration method.
        keyword method: Method = Method::Auto,
        /// Keep the state at every output time. None: only when no e_ops are given (QuTiP's rule).
        keyword store_states: Option<bool> = None,
        /// Krylov basis size (QuTiP's krylov_dim); memory is (krylov_dim + 1) states.
        keyword krylov_dim: usize = 50,
    }
}

crate::params::params_container!(SolverOptions, "solver_options");

impl SolverOptions {
    fn check(&self) -> Result<()> {
        if !(self.atol.is_finite() && self.atol > 0.0) {
            return Err(invalid(
                "atol",
                format!("is {}, must be a finite number > 0", self.atol),
            ));
        }
        if !(self.rtol.is_finite() && self.rtol >= 0.0) {
            return Err(invalid(
                "rtol",
                format!("is {}, must be a finite number >= 0", self.rtol),
            ));
        }
        if self.nsteps == 0 {
            return Err(invalid("nsteps", "is 0, must be at least 1".into()));
        }
        if !(self.max_step.is_finite() && self.max_step >= 0.0) {
            return Err(invalid(
                "max_step",
                format!("is {}, must be a finite number >= 0", self.max_step),
            ));
        }
        if self.krylov_dim < 2 || self.krylov_dim > MAX_KRYLOV_DIM {
            return Err(invalid(
                "krylov_dim",
                format!("is {}, must be in [2, {MAX_KRYLOV_DIM}]", self.krylov_dim),
            ));
        }
        Ok(())
    }
}
