//! Constraint penalties on an `NqBqm` from C (core: `neuroquant::qubo::penalty`).
//!
//! Every function adds one penalty to the model in place, all or nothing: on any error the model
//! is unchanged and `*report` is not written. Constraints are read on BINARY values; in a SPIN
//! model they are added exactly through x = (s + 1) / 2, slack variables included. `strength` is
//! `NQ_STRENGTH_AUTO` (0.0: qiskit's rule, (1 + W) / resolution² with W the model's objective
//! range bound at the time of the call) or a finite value > 0; `resolution` is
//! `NQ_RESOLUTION_AUTO` (0.0: detected) or a finite value > 0. `report` may be NULL.

use super::bqm::NqBqm;
use crate::convert::{CEnum, c_enum};
use crate::guard::{FfiResult, Out, arg_mut, arg_ref, arg_slice, guard};
use crate::status::NqStatus;
use nq::qubo::penalty::{PenaltyReport, Sense, Strength, objective_range_bound, resolution_from_value};

/// The direction of an inequality (`uint32_t`).
pub type NqSense = u32;
/// `Σ a_i x_i <= rhs`.
pub const NQ_SENSE_LE: NqSense = 0 as NqSense;
/// `Σ a_i x_i >= rhs`.
pub const NQ_SENSE_GE: NqSense = 1 as NqSense;

c_enum!(Sense {
    NQ_SENSE_LE => Sense::Le,
    NQ_SENSE_GE => Sense::Ge,
});
/// Pass as `strength` to let the library choose it.
pub const NQ_STRENGTH_AUTO: f64 = 0.0;
/// Pass as `resolution` to let the library detect it.
pub const NQ_RESOLUTION_AUTO: f64 = 0.0;

/// What a penalty builder did.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqPenaltyReport {
    /// The multiplier actually used.
    pub strength: f64,
    /// The unit every left-hand side value is a multiple of (linear constraints); 0 when none.
    pub resolution: f64,
    /// The least penalty any infeasible assignment pays (minimised over the slack); 0 when unknown.
    pub min_violation_penalty: f64,
    /// First appended slack variable.
    pub slack_begin: u32,
    /// One past the last appended slack variable (`== slack_begin` when none were added).
    pub slack_end: u32,
    /// 1 when the strength was chosen by the library.
    pub auto_strength: u8,
    /// 1 when the constraint holds for every assignment, so nothing was added.
    pub always_satisfied: u8,
}

impl From<&PenaltyReport> for NqPenaltyReport {
    fn from(r: &PenaltyReport) -> Self {
        NqPenaltyReport {
            strength: r.strength,
            resolution: r.resolution.unwrap_or(0.0),
            min_violation_penalty: r.min_violation_penalty.unwrap_or(0.0),
            slack_begin: r.slack_variables.start,
            slack_end: r.slack_variables.end,
            auto_strength: r.auto_strength as u8,
            always_satisfied: r.always_satisfied as u8,
        }
    }
}

/// A report destination that may be NULL (then nothing is written).
pub(crate) fn optional_report(report: *mut NqPenaltyReport) -> FfiResult<Option<Out<NqPenaltyReport>>> {
    if report.is_null() {
        Ok(None)
    } else {
        Out::new(report, "report").map(Some)
    }
}

/// Validates `report`, runs `add` on the model, and writes the report on success.
fn add(
    bqm: *mut NqBqm,
    report: *mut NqPenaltyReport,
    add: impl FnOnce(&mut nq::qubo::Bqm) -> FfiResult<PenaltyReport>,
) -> NqStatus {
    guard(|| {
        let out = optional_report(report)?;
        let bqm = unsafe { arg_mut(bqm, "bqm") }?;
        let r = add(&mut bqm.0)?;
        if let Some(out) = out {
            out.write((&r).into());
        }
        Ok(())
    })
}

/// Adds `strength · (Σ_k coeffs[k] · x_{vars[k]} − rhs)²` (dimod's linear equality; repeated
/// variables are summed). `vars_len` must equal `coeffs_len`. Rejects an equality no assignment
/// satisfies when detectable; with `NQ_STRENGTH_AUTO` the coefficients must be multiples of a
/// resolution (given or detected with at most 6 decimals).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_linear_equality(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    coeffs: *const f64,
    coeffs_len: usize,
    rhs: f64,
    strength: f64,
    resolution: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        let coeffs = unsafe { arg_slice(coeffs, coeffs_len, "coeffs") }?;
        let s = Strength::from_value("strength", strength)?;
        let r = resolution_from_value(resolution)?;
        Ok(b.add_linear_equality(vars, coeffs, rhs, s, r)?)
    })
}

/// Adds a penalty for `Σ_k coeffs[k] · x_{vars[k]} <= rhs` (`NQ_SENSE_LE`) or `>= rhs`
/// (`NQ_SENSE_GE`) with an integer slack in units of the coefficients' resolution, encoded with
/// bounded coefficients 1, 2, 4, …, U − 2^p + 1; the slack variables are appended to the model
/// (`report->slack_begin .. slack_end`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_linear_inequality(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    coeffs: *const f64,
    coeffs_len: usize,
    sense: NqSense,
    rhs: f64,
    strength: f64,
    resolution: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        let coeffs = unsafe { arg_slice(coeffs, coeffs_len, "coeffs") }?;
        let sense = Sense::from_c("sense", sense)?;
        let s = Strength::from_value("strength", strength)?;
        let r = resolution_from_value(resolution)?;
        Ok(b.add_linear_inequality(vars, coeffs, sense, rhs, s, r)?)
    })
}

/// Adds `strength · (x − x·y)`: zero exactly when x <= y.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_less_equal(
    bqm: *mut NqBqm,
    x: u32,
    y: u32,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        Ok(b.add_less_equal(x, y, Strength::from_value("strength", strength)?)?)
    })
}

/// Adds `strength · (y − x·y)`: zero exactly when x >= y.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_greater_equal(
    bqm: *mut NqBqm,
    x: u32,
    y: u32,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        Ok(b.add_greater_equal(x, y, Strength::from_value("strength", strength)?)?)
    })
}

/// Adds `strength · Σ_{i<j} x_i x_j` over the distinct `vars`: zero when at most one is 1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_at_most_one(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        Ok(b.add_at_most_one(vars, Strength::from_value("strength", strength)?)?)
    })
}

/// Adds `strength · (Σ x_i − 1)²` over the distinct `vars` (one-hot).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_exactly_one(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        Ok(b.add_exactly_one(vars, Strength::from_value("strength", strength)?)?)
    })
}

/// Adds `strength · (Σ x_i − k)²` over the distinct `vars` (k-hot; `k <= vars_len`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_k_hot(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    k: usize,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        Ok(b.add_k_hot(vars, k, Strength::from_value("strength", strength)?)?)
    })
}

/// Adds `strength · Σ_{i<j} (1 − x_i)(1 − x_j)` over the distinct `vars`: zero when at least
/// `vars_len − 1` of them are 1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_at_least_all_but_one(
    bqm: *mut NqBqm,
    vars: *const u32,
    vars_len: usize,
    strength: f64,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    add(bqm, report, |b| {
        let vars = unsafe { arg_slice(vars, vars_len, "vars") }?;
        Ok(b.add_at_least_all_but_one(vars, Strength::from_value("strength", strength)?)?)
    })
}

/// An upper bound W on max E − min E over all assignments (Σ|a| + Σ|b| for BINARY, twice that
/// for SPIN). To give several constraints one strength that dominates the objective, read W
/// before adding them and pass `(1 + W) / resolution²` as each one's strength.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_objective_range_bound(bqm: *const NqBqm, out: *mut f64) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        out.write(objective_range_bound(&bqm.0)?);
        Ok(())
    })
}
