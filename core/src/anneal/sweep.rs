//! The single-spin-flip sweep shared by simulated annealing and parallel tempering: one pass of
//! `n` proposals (in index order, or `n` uniformly random picks) at one inverse temperature.
//!
//! Specialised at compile time per (order, criterion) so the inner loop carries no mode branches.
//! Cost per attempted flip: one field load, one compare against the skip threshold, and for an
//! uphill proposal one 64-bit draw and a cached threshold lookup; an accepted flip adds
//! `O(degree)` field updates.

use super::acceptance::AcceptTable;
use super::spin_model::SpinModel;
use crate::rng::Rng;
use rand_core::Rng as _;

/// One sweep; returns the total energy change of the accepted flips.
#[inline]
pub(crate) fn sweep<const RANDOM: bool, const GIBBS: bool>(
    model: &SpinModel,
    spins: &mut [i8],
    fields: &mut [f64],
    table: &mut AcceptTable,
    rng_out: &mut Rng,
) -> f64 {
    let n = spins.len();
    let skip = table.skip;
    let mut change = 0.0;
    // A local copy lets the generator state live in registers for the whole sweep.
    let mut local = rng_out.clone();
    let rng = &mut local;
    for i in 0..n {
        let v = if RANDOM {
            // Lemire's multiply-shift: uniform in 0..n without a division.
            ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
        } else {
            i
        };
        let delta = -2.0 * f64::from(spins[v]) * fields[v];
        if delta >= skip {
            continue;
        }
        let accept = if GIBBS {
            rng.next_u64() < table.threshold(delta)
        } else {
            delta <= 0.0 || rng.next_u64() < table.threshold(delta)
        };
        if accept {
            model.flip(v, spins, fields);
            change += delta;
        }
    }
    *rng_out = local;
    change
}

/// The four specialisations behind one runtime choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SweepKind {
    SequentialMetropolis,
    SequentialGibbs,
    RandomMetropolis,
    RandomGibbs,
}

impl SweepKind {
    pub(crate) fn new(randomize_order: bool, gibbs: bool) -> Self {
        match (randomize_order, gibbs) {
            (false, false) => SweepKind::SequentialMetropolis,
            (false, true) => SweepKind::SequentialGibbs,
            (true, false) => SweepKind::RandomMetropolis,
            (true, true) => SweepKind::RandomGibbs,
        }
    }
}

/// Calls `$body` with `$sweep` bound to the specialisation of `$kind`, so a whole loop of sweeps is
/// monomorphised rather than branching per sweep.
macro_rules! with_sweep {
    ($kind:expr, |$sweep:ident| $body:expr) => {
        match $kind {
            $crate::anneal::sweep::SweepKind::SequentialMetropolis => {
                let $sweep = $crate::anneal::sweep::sweep::<false, false>;
                $body
            }
            $crate::anneal::sweep::SweepKind::SequentialGibbs => {
                let $sweep = $crate::anneal::sweep::sweep::<false, true>;
                $body
            }
            $crate::anneal::sweep::SweepKind::RandomMetropolis => {
                let $sweep = $crate::anneal::sweep::sweep::<true, false>;
                $body
            }
            $crate::anneal::sweep::SweepKind::RandomGibbs => {
                let $sweep = $crate::anneal::sweep::sweep::<true, true>;
                $body
            }
        }
    };
}
pub(crate) use with_sweep;
