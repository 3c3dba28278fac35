//! The default inverse-temperature range of dwave-samplers' simulated annealing
//! (`dwave.samplers.sa.sampler.default_beta_range`), so schedules match Ocean's like for like.

use super::AnnealError;
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
    beta_range_of(&SpinModel::new(bqm)?, "default_beta_range")
}

/// [`default_beta_range`] of a SPIN model, for `sampler`. Biases near the ends of the `f64`
/// range give a range no schedule can use (a hot end of 0 when `2 max_i S_i` overflows, an
/// infinite cold end when the smallest bias is subnormal, or a ratio `cold / hot` beyond
/// `f64::MAX`); that is an [`AnnealError::DefaultBetaRange`] saying the range was the default
/// computed from the model and why it failed, not an error on a `beta_range` the caller never set.
pub(crate) fn beta_range_of(model: &SpinModel, sampler: &'static str) -> Result<[f64; 2]> {
    let n = model.num_variables();
    let mut max_field = 0.0f64;
    let mut max_at = 0;
    let mut min_bias = f64::INFINITY;
    let mut per_spin_min = Vec::with_capacity(n);
    for v in 0..n {
        let (_, ws) = model.row(v);
        let h = model.h[v].abs();
        let sum = ws.iter().fold(h, |acc, w| acc + w.abs());
        if sum > max_field {
            max_field = sum;
            max_at = v;
        }
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
        return Ok(ZERO_MODEL_BETA_RANGE);
    }
    let hot = if max_field == 0.0 {
        1.0
    } else {
        std::f64::consts::LN_2 / (2.0 * max_field)
    };
    let count = per_spin_min.iter().filter(|&&m| m == min_bias).count();
    let cold = (count as f64 / MAX_EXCITATION_RATE).ln() / (2.0 * min_bias);
    let reason = if hot <= 0.0 {
        format!("spin {max_at}'s total bias |h| + sum |J| is {max_field:e}, too large for a positive hot end")
    } else if !cold.is_finite() {
        format!("the smallest non-zero bias, {min_bias:e}, is too small for a finite cold end")
    } else if !(cold / hot).is_finite() {
        format!(
            "the biases span {min_bias:e} to {max_field:e}, too wide for a geometric schedule (cold / hot overflows)"
        )
    } else {
        return Ok([hot, cold]);
    };
    Err(AnnealError::DefaultBetaRange {
        sampler,
        range: [hot, cold],
        reason,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubo::Vartype;

    #[test]
    fn extreme_biases_blame_the_default_range_not_the_caller() {
        let mut bqm = Bqm::with_variables(Vartype::Spin, 3).unwrap();
        bqm.add_quadratic(0, 1, 1e308).unwrap();
        bqm.add_quadratic(0, 2, 1e308).unwrap();
        let e = default_beta_range(&bqm).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        let m = e.to_string();
        assert!(m.contains("default computed from the model"), "{m}");
        assert!(m.contains("spin 0's total bias"), "{m}");
        assert!(m.contains("pass beta_range explicitly"), "{m}");
        let mut tiny = Bqm::with_variables(Vartype::Spin, 2).unwrap();
        tiny.add_quadratic(0, 1, 1e-320).unwrap();
        let m = default_beta_range(&tiny).unwrap_err().to_string();
        assert!(m.contains("too small for a finite cold end"), "{m}");
        let mut wide = Bqm::with_variables(Vartype::Spin, 3).unwrap();
        wide.add_quadratic(0, 1, 1e-200).unwrap();
        wide.add_quadratic(1, 2, 1e200).unwrap();
        let m = default_beta_range(&wide).unwrap_err().to_string();
        assert!(m.contains("too wide for a geometric schedule"), "{m}");
    }
}
