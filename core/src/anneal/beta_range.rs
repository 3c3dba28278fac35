//! The default inverse-temperature range of dwave-samplers' simulated annealing
//! (`dwave.samplers.sa.sampler.default_beta_range`), so schedules match Ocean's like for like.

use super::spin_model::SpinModel;
use crate::Result;
use crate::qubo::Bqm;

/// Target probability of any single-spin excitation in the final sweep (dwave's
/// `max_single_qubit_excitation_rate`).
const MAX_EXCITATION_RATE: f64 = 0.01;

/// The range used when every bias is zero (dwave's arbitrary `[0.1, 1]`).
pub const ZERO_MODEL_BETA_RANGE: [f64; 2] = [0.1, 1.0];

/// `[hot, cold]` inverse temperatures for annealing `bqm`, with dwave-samplers' heuristic on the
/// SPIN form of the model:
///
/// - `hot = ln 2 / (2 max_i S_i)` with `S_i = |h_i| + Σ_j |J_ij|`: the worst single flip is
///   still accepted with probability 1/2;
/// - `cold = ln(k / 0.01) / (2 m)` with `m` the smallest non-zero `|h_i|` or `|J_ij|` and `k` the
///   number of spins whose smallest non-zero bias equals `m` (dwave's `scale_T_with_N`): the chance
///   of any excitation in the last sweep is about 1 %.
///
/// A model whose biases are all zero gets [`ZERO_MODEL_BETA_RANGE`] (dwave warns and does the same).
///
/// ```
/// use neuroquant::anneal::default_beta_range;
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// bqm.add_quadratic(0, 1, -1.0)?;
/// let [hot, cold] = default_beta_range(&bqm)?;
/// assert!((hot - 2f64.ln() / 2.0).abs() < 1e-15);
/// assert!((cold - (2.0f64 / 0.01).ln() / 2.0).abs() < 1e-12);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn default_beta_range(bqm: &Bqm) -> Result<[f64; 2]> {
    Ok(beta_range_of(&SpinModel::new(bqm)?))
}

pub(crate) fn beta_range_of(model: &SpinModel) -> [f64; 2] {
    let n = model.num_variables();
    let mut max_field = 0.0f64;
    let mut min_bias = f64::INFINITY;
    let mut per_spin_min = Vec::with_capacity(n);
    for v in 0..n {
        let (_, ws) = model.row(v);
        let h = model.h[v].abs();
        let sum = ws.iter().fold(h, |acc, w| acc + w.abs());
        max_field = max_field.max(sum);
        let smallest = ws
            .iter()
            .map(|w| w.abs())
            .chain(std::iter::once(h))
            .filter(|&b| b != 0.0)
            .fold(f64::INFINITY, f64::min);
        if smallest.is_finite() {
            per_spin_min.push(smallest);
            min_bias = min_bias.min(smallest);
        }
    }
    if per_spin_min.is_empty() {
        return ZERO_MODEL_BETA_RANGE;
    }
    let hot = if max_field == 0.0 {
        1.0
    } else {
        std::f64::consts::LN_2 / (2.0 * max_field)
    };
    let count = per_spin_min.iter().filter(|&&m| m == min_bias).count();
    let cold = (count as f64 / MAX_EXCITATION_RATE).ln() / (2.0 * min_bias);
    [hot, cold]
}
