//! Reservoir computing: echo state networks ([`Reservoir`], [`Esn`]), ridge readouts with
//! streamed statistics and cross-validation ([`RidgeStats`], [`ridge_cv`]), the spectral radius
//! of sparse matrices, and the seeded initialisers behind them.

// Numerical kernels index several arrays by the same position; index loops read clearest.
#![allow(clippy::needless_range_loop)]

mod activation;
mod csr;
mod datasets;
mod error;
mod esn;
mod init;
mod lsm;
mod memory;
mod metrics;
mod nvar;
mod online;
mod readout;
#[allow(clippy::module_inception)]
mod reservoir;
mod ridge;
mod scaling;
mod serialize;
mod spectral_radius;

pub use activation::{Activation, Equation, NoiseType};
pub use csr::{Csr, MAX_NONZEROS};
pub use datasets::{MAX_INTEGRATION_STEPS, lorenz, mackey_glass, narma10, narma10_input};
pub use error::ReservoirError;
pub use esn::{Esn, EsnParams, Series};
pub use init::Distribution;
pub use lsm::{Lsm, LsmParams, Reset, filtered_traces, spike_counts};
pub use memory::memory_capacity;
pub use metrics::{Norm, mse, nmse, nrmse, rmse, rsquare, valid_time};
pub use nvar::{MAX_NVAR_FEATURES, Nvar, NvarParams};
pub use online::{Lms, LmsParams, LmsRule, Rls, RlsParams};
pub use readout::Readout;
pub use reservoir::{MAX_UNITS, NOISE_STREAM, Reservoir, ReservoirParams, Weights};
pub use ridge::{MAX_FEATURES, RidgeCv, RidgeParams, RidgePath, RidgeStats, ridge_cv};
pub use scaling::Scaling;
pub use spectral_radius::{
    DEFAULT_MAX_RESTARTS, DEFAULT_TOL, DENSE_LIMIT, effective_spectral_radius, spectral_radius,
};

/// Units of work (weights touched) between two looks at the `Control` (about a millisecond, as
/// in the samplers).
pub(crate) const WORK_BETWEEN_CHECKS: usize = 1 << 20;

/// Runs `items` work items of about `cost` units each through `item(model, t)`, looking at
/// `control` every [`WORK_BETWEEN_CHECKS`] units. A stop (`Stopped { what }`) or an error from an
/// item returns `model` to its state before the call (saved only when `control` can stop; the
/// items of an uncontrolled call validate their input up front, so they do not fail midway).
pub(crate) fn controlled<M: Clone>(
    model: &mut M,
    items: usize,
    cost: usize,
    control: &crate::control::Control<'_>,
    what: &'static str,
    mut item: impl FnMut(&mut M, usize) -> crate::Result<()>,
) -> crate::Result<()> {
    let saved = control.can_stop().then(|| model.clone());
    let per_check = (WORK_BETWEEN_CHECKS / cost.max(1)).max(1);
    let restore = |model: &mut M| {
        if let Some(s) = &saved {
            *model = s.clone();
        }
    };
    for t in 0..items {
        if t > 0 && t % per_check == 0 && control.should_stop() {
            restore(model);
            return Err(ReservoirError::Stopped { what }.into());
        }
        if let Err(e) = item(model, t) {
            restore(model);
            return Err(e);
        }
    }
    Ok(())
}
