//! The HVAC zone × slot schedule as a QUBO (SPEC §9).

use super::input::{ComfortModel, HvacInput};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::generators::common::strength as default_strength;
use crate::qubo::penalty::terms::Terms;
use crate::qubo::penalty::{
    MAX_TERMS, MAX_UNITS, bounded_coefficients, detect_resolution, near_integer_or_floor, to_units,
};
use crate::qubo::{Bqm, Vartype};
use std::ops::Range;

/// The peak-power constraint of one slot as the model encodes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakSlot {
    /// The slot's slack variables (empty when the limit can never be exceeded, or when it can
    /// only hold with every powered unit off).
    pub slack_variables: Range<u32>,
    /// The power each slack variable stands for (kW).
    pub slack_kw: Vec<f64>,
    /// The limit rounded down to a multiple of the power resolution (kW), as encoded.
    pub effective_limit_kw: f64,
    /// Whether the slot carries a penalty at all (`false`: the limit exceeds the sum of all
    /// rated powers).
    pub constrained: bool,
}

/// An HVAC scheduling horizon and its BINARY model.
///
/// Variable `z·T + t` is 1 when zone `z`'s unit is on in slot `t`; the slack variables of the
/// peak constraints follow, slot by slot ([`PeakSlot::slack_variables`]). The energy is
///
/// - energy cost `Σ_{z,t} price_t · P_z · Δt · x_{z,t}`,
/// - plus comfort `Σ_z w_z Σ b²` with the imbalances `b` of the [`ComfortModel`]
///   (default: the running thermal balance of every slot),
/// - plus, per slot, the peak penalty `S · (Σ_z P_z x_{z,t} + σ_t − L'_t)²` with the slack
///   `σ_t ∈ [0, L'_t]` encoded in [`bounded_coefficients`] units of the power resolution `r`
///   (`L'_t` the limit rounded down to a multiple of `r`): zero exactly when
///   `Σ_z P_z x_{z,t} <= limit_t` and the slack matches, at least `S e²` for an excess of `e >= r`.
///
/// Default strength: every comfort term is a convex quadratic whose partial derivatives are
/// bounded on `{0, 1}^T` by `G_z` (for the running balance
/// `G_z = 2 w_z q_z Σ_t max(|c_t|, |c_t + q_z (t+1)|)`, `c_t = e_z − Σ_{τ<=t} d_τ`); switching off
/// a unit saves energy cost and, by convexity, costs at most `G_z` comfort. An excess `e` in a slot
/// is removed by switching off at most `e / r` units, so it buys at most `G e / r <= G e² / r²`
/// (`G = max_z G_z`) while paying at least `S e²`: any `S > G / r²` makes every minimiser respect
/// every peak limit, and the minimum is then the constrained optimum. The default is
/// [`DEFAULT_MARGIN`](crate::qubo::generators::DEFAULT_MARGIN) times that bound (1 when it is 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Hvac {
    pub(super) input: HvacInput,
    pub(super) bqm: Bqm,
    pub(super) peak_strength: f64,
    pub(super) peak_strength_bound: f64,
    pub(super) power_resolution_kw: f64,
    pub(super) slots: Vec<PeakSlot>,
}

/// Builds the model of one horizon (see [`Hvac`]; every rule of [`HvacInput`] is checked, and the
/// rated powers must be multiples of the power resolution).
///
/// ```
/// use neuroquant::qubo::generators::{hvac, ComfortModel, HvacInput};
/// let input = HvacInput {
///     rated_power_kw: vec![2.0, 3.0],
///     delivered_kwh: vec![1.0, 1.5],
///     comfort_weight: vec![1.0, 1.0],
///     initial_imbalance_kwh: vec![],
///     demand_kwh: vec![1.0, 0.0, 1.5, 1.5], // zone 0: slots 0, 1; zone 1: slots 0, 1
///     price_per_kwh: vec![0.3, 0.1],
///     peak_limit_kw: vec![4.0, 5.0],
///     slot_hours: 1.0,
///     comfort: ComfortModel::Cumulative,
///     peak_strength: None,
///     power_resolution_kw: None,
/// };
/// let h = hvac(input)?;
/// assert_eq!(h.power_resolution_kw(), 1.0);
/// let mut sample = vec![0i8; h.bqm().num_variables()];
/// for (z, t) in [(0, 0), (1, 0), (1, 1)] { sample[h.variable(z, t)? as usize] = 1; }
/// let s = h.decode(&sample)?; // 5 kW in slot 0 exceeds 4 kW
/// assert!(!s.feasible && s.violations[0].excess_kw == 1.0);
/// assert!((s.total - h.bqm().energy(&sample)?).abs() < 1e-9);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn hvac(input: HvacInput) -> Result<Hvac> {
    input.validate()?;
    let (nz, nt) = (input.num_zones(), input.num_slots());
    let r = power_resolution(&input)?;
    let units = to_units("rated_power_kw", &input.rated_power_kw, r)?;
    let bound = comfort_gradient_bound(&input) / (r * r);
    let s = default_strength("peak_strength", input.peak_strength, bound)?;

    // Slack layout, slot by slot, after the Z × T decisions.
    let powered: Vec<usize> = (0..nz).filter(|&z| units[z] > 0.0).collect();
    let total_units: f64 = units.iter().sum();
    check::at_most("rated_power_kw", total_units as u64, MAX_UNITS as u64)?;
    let mut next = (nz * nt) as u32;
    let mut slots = Vec::with_capacity(nt);
    let mut slack_weights = Vec::with_capacity(nt);
    for &limit in &input.peak_limit_kw {
        let beta = near_integer_or_floor(limit / r);
        let constrained = beta < total_units;
        let c = if constrained {
            bounded_coefficients(beta as u64)
        } else {
            Vec::new()
        };
        let range = next..next + c.len() as u32;
        next = range.end;
        slots.push(PeakSlot {
            slack_variables: range,
            slack_kw: c.iter().map(|&w| w as f64 * r).collect(),
            effective_limit_kw: if constrained { beta * r } else { limit },
            constrained,
        });
        slack_weights.push((beta, c));
    }

    let comfort_pairs = match input.comfort {
        ComfortModel::PerSlot => 0,
        _ => nz.saturating_mul(nt.saturating_mul(nt - 1) / 2),
    };
    let peak_pairs: usize = slack_weights
        .iter()
        .map(|(_, c)| Terms::square_pairs(powered.len() + c.len()))
        .fold(0usize, usize::saturating_add);
    let pairs = comfort_pairs.saturating_add(peak_pairs);
    check::at_most("price_per_kwh", pairs as u64, MAX_TERMS as u64)?;
    let mut terms = Terms::with_capacity("price_per_kwh", 2 * nz * nt, pairs)?;
    let var = |z: usize, t: usize| (z * nt + t) as u32;

    for z in 0..nz {
        let p = input.rated_power_kw[z];
        for t in 0..nt {
            terms.linear(var(z, t), input.price_per_kwh[t] * p * input.slot_hours);
        }
        add_comfort(&mut terms, &input, z, &var);
    }
    let mut vars = Vec::new();
    let mut coeffs = Vec::new();
    for (t, ((beta, c), slot)) in slack_weights.iter().zip(&slots).enumerate() {
        if !slot.constrained {
            continue;
        }
        vars.clear();
        coeffs.clear();
        for &z in &powered {
            vars.push(var(z, t));
            coeffs.push(units[z]);
        }
        vars.extend(slot.slack_variables.clone());
        coeffs.extend(c.iter().map(|&w| w as f64));
        terms.add_square(&vars, &coeffs, -beta, s * r * r);
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, next as usize)?;
    terms.apply(&mut bqm, 0)?;
    Ok(Hvac {
        input,
        bqm,
        peak_strength: s,
        peak_strength_bound: bound,
        power_resolution_kw: r,
        slots,
    })
}

/// The given power resolution, or the coarsest unit of the non-zero rated powers (1 kW if all are
/// zero).
fn power_resolution(input: &HvacInput) -> Result<f64> {
    if let Some(r) = input.power_resolution_kw {
        return Ok(r);
    }
    let nonzero: Vec<f64> = input
        .rated_power_kw
        .iter()
        .copied()
        .filter(|&p| p > 0.0)
        .collect();
    if nonzero.is_empty() {
        return Ok(1.0);
    }
    detect_resolution(&nonzero).map(|(r, _)| r).ok_or_else(|| {
        ArgumentError::Invalid {
            argument: "power_resolution_kw",
            reason: "the rated powers are not integer multiples of any unit with at most 6 \
                     decimals; pass the resolution they are multiples of"
                .into(),
        }
        .into()
    })
}

/// Adds zone `z`'s comfort term `w Σ b²` (see [`ComfortModel`]).
fn add_comfort(terms: &mut Terms, input: &HvacInput, z: usize, var: &impl Fn(usize, usize) -> u32) {
    let (w, q, nt) = (input.comfort_weight[z], input.delivered_kwh[z], input.num_slots());
    if w == 0.0 {
        return;
    }
    match input.comfort {
        ComfortModel::PerSlot => {
            // w (q x − d)² = w (q² − 2qd) x + w d²  (x² = x)
            for t in 0..nt {
                let d = input.demand(z, t);
                terms.linear(var(z, t), w * q * (q - 2.0 * d));
                terms.offset(w * d * d);
            }
        }
        ComfortModel::Horizon => {
            let c = *input.baseline(z).last().expect("at least one slot");
            let vars: Vec<u32> = (0..nt).map(|t| var(z, t)).collect();
            terms.add_square(&vars, &vec![q; nt], c, w);
        }
        ComfortModel::Cumulative => {
            // w Σ_t (q Σ_{τ<=t} x_τ + c_t)²: x_τ appears in the T − τ balances t >= τ, and the pair
            // τ < τ' in the T − τ' balances t >= τ'.
            let c = input.baseline(z);
            let mut tail = 0.0; // Σ_{t>=τ} (q² + 2 q c_t)
            for tau in (0..nt).rev() {
                tail += q * q + 2.0 * q * c[tau];
                terms.linear(var(z, tau), w * tail);
                for tau2 in tau + 1..nt {
                    terms.pair(var(z, tau), var(z, tau2), 2.0 * w * q * q * (nt - tau2) as f64);
                }
            }
            terms.offset(w * c.iter().map(|v| v * v).sum::<f64>());
        }
    }
}

/// `G = max_z G_z`: a bound on `|∂ comfort_z / ∂ x_{z,τ}|` over `{0, 1}^T` (see [`Hvac`]).
fn comfort_gradient_bound(input: &HvacInput) -> f64 {
    let nt = input.num_slots();
    (0..input.num_zones())
        .map(|z| {
            let (w, q) = (input.comfort_weight[z], input.delivered_kwh[z]);
            let spread = match input.comfort {
                ComfortModel::PerSlot => (0..nt)
                    .map(|t| {
                        let d = input.demand(z, t);
                        d.max((q - d).abs())
                    })
                    .fold(0.0, f64::max),
                ComfortModel::Horizon => {
                    let c = *input.baseline(z).last().expect("at least one slot");
                    c.abs().max((c + q * nt as f64).abs())
                }
                ComfortModel::Cumulative => input
                    .baseline(z)
                    .iter()
                    .enumerate()
                    .map(|(t, &c)| c.abs().max((c + q * (t + 1) as f64).abs()))
                    .sum(),
            };
            2.0 * w * q * spread
        })
        .fold(0.0, f64::max)
}
