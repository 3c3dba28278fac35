//! The HVAC zone × slot schedule as a QUBO (SPEC §9).

use super::input::{ComfortModel, HvacInput, PeakEncoding};
use crate::Result;
use crate::error::check;
use crate::qubo::generators::common::strength as default_strength;
use crate::qubo::penalty::terms::Terms;
use crate::qubo::penalty::{MAX_TERMS, MAX_UNITS, Sense, Strength, near_integer_or_floor, resolution_of};
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
    /// With [`PeakEncoding::Subsets`]: the minimal sets of units over the limit, each as its
    /// decision variables, and the auxiliary variable of each triple (empty when the slot uses
    /// the slack form).
    pub subsets: Vec<PeakSubset>,
}

/// A minimal set of units whose rated powers together exceed a slot's limit
/// ([`PeakEncoding::Subsets`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeakSubset {
    /// The decision variables of the set's units (one, two or three).
    pub variables: Vec<u32>,
    /// The auxiliary variable of a triple.
    pub auxiliary: Option<u32>,
}

/// Most powered units, minimal-set size and minimal sets per slot of [`PeakEncoding::Subsets`].
const SUBSET_MAX_UNITS: usize = 12;
const SUBSET_MAX_SIZE: u32 = 3;
const SUBSET_MAX_SETS: usize = 64;

/// The minimal sets (as masks over `powers`) whose sum exceeds `limit`, when every one has at
/// most [`SUBSET_MAX_SIZE`] members and there are at most [`SUBSET_MAX_SETS`]; `None` otherwise.
fn minimal_violating_sets(powers: &[f64], limit: f64) -> Option<Vec<u32>> {
    if powers.len() > SUBSET_MAX_UNITS {
        return None;
    }
    let over = |mask: u32| -> bool {
        let sum: f64 = (0..powers.len())
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| powers[i])
            .sum();
        // Powers are multiples of the resolution: an excess is at least one resolution.
        sum > limit + 1e-9 * (1.0 + limit.abs())
    };
    let mut sets = Vec::new();
    for mask in 1u32..1 << powers.len() {
        if over(mask) && (0..powers.len()).all(|i| mask >> i & 1 == 0 || !over(mask & !(1 << i))) {
            if mask.count_ones() > SUBSET_MAX_SIZE || sets.len() == SUBSET_MAX_SETS {
                return None;
            }
            sets.push(mask);
        }
    }
    Some(sets)
}

/// An HVAC scheduling horizon and its BINARY model.
///
/// Variable `z·T + t` is 1 when zone `z`'s unit is on in slot `t`; the slack variables of the
/// peak constraints follow, slot by slot ([`PeakSlot::slack_variables`]), then, with a minimum
/// run time, one start variable per zone and slot ([`Hvac::start_variables`]). The energy is
///
/// - energy cost `Σ_{z,t} price_t · P_z · Δt · x_{z,t}`,
/// - plus comfort `Σ_z w_z Σ b²` with the imbalances `b` of the [`ComfortModel`]
///   (default: the running thermal balance of every slot),
/// - plus, per slot, the peak penalty: with [`PeakEncoding::Subsets`] `S` per minimal set of
///   units over the limit (see there), otherwise `S · (Σ_z P_z x_{z,t} + σ_t − L'_t)²`, added by
///   [`Bqm::add_linear_inequality`] with the power resolution `r` (`L'_t` the limit rounded down
///   to a multiple of `r`, the slack `σ_t ∈ [0, L'_t]` in its bounded-coefficient encoding): zero
///   exactly when `Σ_z P_z x_{z,t} <= limit_t` and the slack matches, at least `S e²` for an
///   excess of `e >= r`,
/// - plus, with `m = min_run_slots >= 2`, the minimum-run penalties of strength `M`: with
///   `a = x_{z,t−1}` (for `t = 0` the unit's state before the horizon) and the start variable
///   `y = y_{z,t}`, `M·(x_{z,t}(1 − a) − y(x_{z,t} − a))`, which is zero except for a start
///   (`a = 0`, `x = 1`) without `y`, plus `M·y(1 − x_{z,τ})` for `τ = t … min(t + m, T) − 1`; a
///   unit that ran `k < m` slots before the horizon adds `M·(1 − x_{z,τ})` for `τ < m − k`.
///   Minimised over the start variables this is `M` times at least the number of runs that start
///   and stop again within the horizon after fewer than `m` slots (runs reaching the end may
///   continue into the next horizon), zero when there is none.
///
/// Default peak strength: every comfort term is a convex quadratic whose partial derivatives are
/// bounded on `{0, 1}^T` by `G_z` (for the running balance
/// `G_z = 2 w_z q_z Σ_t max(|c_t|, |c_t + q_z (t+1)|)`, `c_t = e_z − Σ_{τ<=t} d_τ`); switching off
/// a unit saves energy cost and, by convexity, costs at most `G_z` comfort. An excess `e` in a slot
/// is removed by switching off at most `e / r` units, so it buys at most `G e / r <= G e² / r²`
/// (`G = max_z G_z`) while paying at least `S e²`: any `S > G / r²` makes every minimiser respect
/// every peak limit, and the minimum is then the constrained optimum. With subset penalties a
/// violating schedule holds a whole minimal set, and switching off one of its units lowers the
/// penalty by at least `S` while changing the rest by at most `G`: there `S > G` suffices (the
/// bound is the larger of the two when slots mix encodings). The default is
/// [`DEFAULT_MARGIN`](crate::qubo::generators::DEFAULT_MARGIN) times that bound (1 when it is 0).
///
/// Default minimum-run strength: a run too short is removed by switching off its at most `m − 1`
/// slots, which changes cost and comfort by at most `g = max_z (max_t price_t P_z Δt + G_z)` each
/// and never raises the peak penalty (it is non-decreasing in the power drawn), while the run
/// pays at least `M`: any `M > (m − 1)·g` makes every minimiser free of short runs. The default
/// is `DEFAULT_MARGIN` times that bound. Each bound holds for its constraint against cost and
/// comfort; where the two constraints conflict (a locked unit in a slot whose limit it breaks)
/// the larger strength wins, and [`HvacSolution`](super::HvacSolution) reports what broke.
#[derive(Debug, Clone, PartialEq)]
pub struct Hvac {
    pub(super) input: HvacInput,
    pub(super) bqm: Bqm,
    pub(super) peak_strength: f64,
    pub(super) peak_strength_bound: f64,
    pub(super) comfort_gradient_bound: f64,
    pub(super) min_run_strength: f64,
    pub(super) min_run_strength_bound: f64,
    pub(super) power_resolution_kw: f64,
    pub(super) slots: Vec<PeakSlot>,
    pub(super) starts: Range<u32>,
}

/// Builds the model of one horizon (see [`Hvac`]; every rule of [`HvacInput`] is checked, and the
/// rated powers must be multiples of the power resolution).
///
/// ```
/// use neuroquant::qubo::generators::{hvac, HvacInput};
/// let input = HvacInput {
///     rated_power_kw: vec![2.0, 3.0],
///     delivered_kwh: vec![1.0, 1.5],
///     comfort_weight: vec![1.0, 1.0],
///     demand_kwh: vec![1.0, 0.0, 1.5, 1.5], // zone 0: slots 0, 1; zone 1: slots 0, 1
///     price_per_kwh: vec![0.3, 0.1],
///     peak_limit_kw: vec![4.0, 5.0],
///     ..Default::default()
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
    let r = resolution_of(
        "rated_power_kw",
        &input.rated_power_kw,
        input.power_resolution_kw,
        "power_resolution_kw",
    )?;
    let total_units: f64 = input.rated_power_kw.iter().map(|p| (p / r).round()).sum();
    check::at_most("rated_power_kw", total_units as u64, MAX_UNITS as u64)?;
    let gradients = comfort_gradient_bounds(&input);
    let g = gradients.iter().copied().fold(0.0, f64::max);
    let powered: Vec<usize> = (0..nz).filter(|&z| input.rated_power_kw[z] > 0.0).collect();
    let powers: Vec<f64> = powered.iter().map(|&z| input.rated_power_kw[z]).collect();
    // Per slot: the minimal violating sets when they encode the limit, else the slack form.
    let subsets: Vec<Option<Vec<u32>>> = input
        .peak_limit_kw
        .iter()
        .map(|&limit| match input.peak_encoding {
            PeakEncoding::Subsets => minimal_violating_sets(&powers, limit),
            PeakEncoding::Slack => None,
        })
        .collect();
    // A subset penalty pays S for an excess one switch-off removes (which buys at most G); the
    // slack form pays S e² for an excess e (see above).
    let bound = subsets
        .iter()
        .map(|s| if s.is_some() { g } else { g / (r * r) })
        .fold(0.0, f64::max);
    let s = default_strength("peak_strength", input.peak_strength, bound)?;
    let run_bound = min_run_bound(&input, &gradients);
    let m = default_strength("min_run_strength", input.min_run_strength, run_bound)?;

    let comfort_pairs = match input.comfort {
        ComfortModel::PerSlot => 0,
        _ => nz.saturating_mul(nt.saturating_mul(nt - 1) / 2),
    };
    // At most 51 slack variables per slot (MAX_UNITS = 2^50), 2 + m pairs per start variable.
    let peak_pairs = nt.saturating_mul(Terms::square_pairs(powered.len() + 51));
    let run_pairs = if input.has_min_run() {
        (nz * nt).saturating_mul(input.min_run_slots.min(nt).saturating_add(3))
    } else {
        0
    };
    let pairs = comfort_pairs.saturating_add(peak_pairs).saturating_add(run_pairs);
    check::at_most("price_per_kwh", pairs as u64, MAX_TERMS as u64)?;
    let mut terms = Terms::with_capacity("price_per_kwh", 2 * nz * nt, comfort_pairs)?;
    let var = |z: usize, t: usize| (z * nt + t) as u32;
    for z in 0..nz {
        let p = input.rated_power_kw[z];
        for t in 0..nt {
            terms.linear(var(z, t), input.price_per_kwh[t] * p * input.slot_hours);
        }
        add_comfort(&mut terms, &input, z, &var);
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, nz * nt)?;
    terms.apply(&mut bqm, 0)?;

    let vars: Vec<u32> = powered.iter().map(|&z| var(z, 0)).collect();
    let mut slots = Vec::with_capacity(nt);
    for ((t, &limit), sets) in input.peak_limit_kw.iter().enumerate().zip(subsets) {
        let slot_vars: Vec<u32> = vars.iter().map(|&v| v + t as u32).collect();
        if let Some(sets) = sets {
            slots.push(add_subsets(&mut bqm, &slot_vars, &sets, limit, s)?);
            continue;
        }
        let report =
            bqm.add_linear_inequality(&slot_vars, &powers, Sense::Le, limit, Strength::Fixed(s), Some(r))?;
        let constrained = !report.always_satisfied;
        slots.push(PeakSlot {
            slack_variables: report.slack_variables,
            slack_kw: report.slack_coefficients,
            effective_limit_kw: if constrained {
                near_integer_or_floor(limit / r) * r
            } else {
                limit
            },
            constrained,
            subsets: Vec::new(),
        });
    }
    let starts = add_min_run(&mut bqm, &input, m)?;
    Ok(Hvac {
        input,
        bqm,
        peak_strength: s,
        peak_strength_bound: bound,
        comfort_gradient_bound: g,
        min_run_strength: m,
        min_run_strength_bound: run_bound,
        power_resolution_kw: r,
        slots,
        starts,
    })
}

/// Adds the penalty `s` of each minimal violating set (masks over `slot_vars`) of one slot,
/// appending one auxiliary variable per triple (see [`PeakEncoding::Subsets`]).
fn add_subsets(bqm: &mut Bqm, slot_vars: &[u32], sets: &[u32], limit: f64, s: f64) -> Result<PeakSlot> {
    let n0 = bqm.num_variables() as u32;
    let triples = sets.iter().filter(|m| m.count_ones() == 3).count();
    let mut terms = Terms::with_capacity("peak_limit_kw", 4 * sets.len(), 3 * sets.len())?;
    let mut subsets = Vec::with_capacity(sets.len());
    let mut next_aux = n0;
    for &mask in sets {
        let members: Vec<u32> = (0..slot_vars.len())
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| slot_vars[i])
            .collect();
        let auxiliary = match members[..] {
            [] => None, // a mask is never empty
            [a] => {
                terms.linear(a, s);
                None
            }
            [a, b] => {
                terms.pair(a, b, s);
                None
            }
            [a, b, c, ..] => {
                // s·abc = min_w s·(w (1 − a − b − c) + ab + ac + bc)
                let w = next_aux;
                next_aux += 1;
                terms.linear(w, s);
                for v in [a, b, c] {
                    terms.pair(w, v, -s);
                }
                terms.pair(a, b, s);
                terms.pair(a, c, s);
                terms.pair(b, c, s);
                Some(w)
            }
        };
        subsets.push(PeakSubset {
            variables: members,
            auxiliary,
        });
    }
    terms.apply(bqm, triples)?;
    Ok(PeakSlot {
        slack_variables: n0..n0,
        slack_kw: Vec::new(),
        effective_limit_kw: limit,
        constrained: !subsets.is_empty(),
        subsets,
    })
}

/// Appends the start variables and adds the minimum-run penalties of strength `m` (see
/// [`Hvac`]); an empty range without a minimum run time.
fn add_min_run(bqm: &mut Bqm, input: &HvacInput, m: f64) -> Result<Range<u32>> {
    let n0 = bqm.num_variables() as u32;
    if !input.has_min_run() {
        return Ok(n0..n0);
    }
    let (nz, nt, run) = (input.num_zones(), input.num_slots(), input.min_run_slots);
    let mut terms = Terms::with_capacity("min_run_slots", 3 * nz * nt, nz * nt * (run.min(nt) + 3))?;
    let var = |z: usize, t: usize| (z * nt + t) as u32;
    for z in 0..nz {
        for t in 0..nt {
            let (x, y) = (var(z, t), n0 + var(z, t));
            if t == 0 {
                // a constant: x (1 − a) − y x + a y
                let a = if input.initial_run(z) > 0 { 1.0 } else { 0.0 };
                terms.linear(x, m * (1.0 - a));
                terms.pair(y, x, -m);
                terms.linear(y, m * a);
            } else {
                let a = var(z, t - 1);
                terms.linear(x, m);
                terms.pair(x, a, -m);
                terms.pair(y, x, -m);
                terms.pair(y, a, m);
            }
            for tau in t..(t + run).min(nt) {
                terms.linear(y, m);
                terms.pair(y, var(z, tau), -m);
            }
        }
        for tau in 0..input.locked_slots(z) {
            terms.linear(var(z, tau), -m);
            terms.offset(m);
        }
    }
    terms.apply(bqm, nz * nt)
}

/// `(m − 1)·max_z (max_t price_t P_z Δt + G_z)` (see [`Hvac`]); 0 without a minimum run time.
fn min_run_bound(input: &HvacInput, gradients: &[f64]) -> f64 {
    if !input.has_min_run() {
        return 0.0;
    }
    let price = input.price_per_kwh.iter().copied().fold(0.0, f64::max);
    let g = gradients
        .iter()
        .zip(&input.rated_power_kw)
        .map(|(gz, p)| price * p * input.slot_hours + gz)
        .fold(0.0, f64::max);
    (input.min_run_slots - 1) as f64 * g
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

/// `G_z`: a bound on `|∂ comfort_z / ∂ x_{z,τ}|` over `{0, 1}^T`, per zone (see [`Hvac`]).
impl HvacInput {
    /// `G = max_z G_z`, the largest change one unit's switch can make to a zone's comfort cost
    /// (see [`Hvac`]; the same as [`Hvac::comfort_gradient_bound`] without building the model).
    pub fn comfort_gradient_bound(&self) -> Result<f64> {
        self.validate()?;
        Ok(comfort_gradient_bounds(self).into_iter().fold(0.0, f64::max))
    }
}

fn comfort_gradient_bounds(input: &HvacInput) -> Vec<f64> {
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
        .collect()
}
