//! Problem generators from C (core: `neuroquant::qubo::generators`).
//!
//! The max-cut, number-partitioning, knapsack, colouring and TSP builders return a plain `NqBqm`
//! whose variable layout is documented on each function; the HVAC schedule returns an `NqHvac`
//! that keeps its data, so a sample can be decoded back to a schedule and a cost breakdown.
//! Strength arguments are `NQ_STRENGTH_AUTO` (0.0: the generator's proven default) or a finite
//! value > 0. Outputs are written only on success.

use super::bqm::NqBqm;
use super::penalty::{NQ_RESOLUTION_AUTO, NQ_STRENGTH_AUTO};
use super::penalty::{NqPenaltyReport, optional_report};
use crate::convert::{CEnum, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{Failure, FfiResult, Out, OutSlice, arg_ref, arg_slice, free_boxed, guard, out_boxed};
use crate::status::NqStatus;
use nq::qubo::generators::{
    ComfortModel, Hvac, HvacInput, graph_coloring, hvac, knapsack, max_cut, number_partitioning, tsp,
};

/// How comfort is measured in the HVAC schedule (`uint32_t`).
pub type NqComfortModel = u32;
/// Comfort from the running thermal balance at the end of every slot (the default).
pub const NQ_COMFORT_CUMULATIVE: NqComfortModel = 0 as NqComfortModel;
/// Comfort from each slot's own deviation (no thermal storage).
pub const NQ_COMFORT_PER_SLOT: NqComfortModel = 1 as NqComfortModel;
/// Comfort from one balance over the horizon.
pub const NQ_COMFORT_HORIZON: NqComfortModel = 2 as NqComfortModel;

c_enum!(ComfortModel {
    NQ_COMFORT_CUMULATIVE => ComfortModel::Cumulative,
    NQ_COMFORT_PER_SLOT => ComfortModel::PerSlot,
    NQ_COMFORT_HORIZON => ComfortModel::Horizon,
});

/// `None` for the 0.0 "automatic" convention; other values are checked by the core.
fn auto_if_zero(value: f64) -> Option<f64> {
    (value != 0.0).then_some(value)
}

fn boxed_bqm(out: Out<*mut NqBqm>, bqm: nq::qubo::Bqm) {
    out_boxed(out, NqBqm(bqm));
}

/// Max-cut of a graph with `num_nodes` nodes and weighted edges (`rows[k]`, `cols[k]`,
/// `weights[k]`), 0-based, no self-loops; repeated edges add up. BINARY variable i = node i's
/// side; energy Σ w (2 x_i x_j − x_i − x_j) = −(weight of the cut).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new_max_cut(
    num_nodes: usize,
    rows: *const u32,
    rows_len: usize,
    cols: *const u32,
    cols_len: usize,
    weights: *const f64,
    weights_len: usize,
    out: *mut *mut NqBqm,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let rows = unsafe { arg_slice(rows, rows_len, "rows") }?;
        let cols = unsafe { arg_slice(cols, cols_len, "cols") }?;
        let weights = unsafe { arg_slice(weights, weights_len, "weights") }?;
        nq::error::check::len("cols", rows.len(), cols.len()).map_err(nq::Error::from)?;
        nq::error::check::len("weights", rows.len(), weights.len()).map_err(nq::Error::from)?;
        let edges: Vec<(u32, u32, f64)> = (0..rows.len()).map(|k| (rows[k], cols[k], weights[k])).collect();
        boxed_bqm(out, max_cut(num_nodes, &edges)?.into_bqm());
        Ok(())
    })
}

/// Number partitioning of `numbers` as an Ising model: SPIN variable i = +1 puts number i in the
/// first set; energy (Σ a_i s_i)².
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new_number_partitioning(
    numbers: *const f64,
    numbers_len: usize,
    out: *mut *mut NqBqm,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let numbers = unsafe { arg_slice(numbers, numbers_len, "numbers") }?;
        boxed_bqm(out, number_partitioning(numbers)?.into_bqm());
        Ok(())
    })
}

/// 0/1 knapsack: BINARY variable i < n takes item i (n = `values_len` = `weights_len`), the
/// capacity slack follows (`report->slack_begin .. slack_end`). Energy −Σ v_i x_i plus the
/// capacity penalty. `weights` >= 0, `capacity` >= 0; `strength` `NQ_STRENGTH_AUTO` uses
/// 1.25 · max(v) / r² (every minimiser then fits); `resolution` `NQ_RESOLUTION_AUTO` detects the
/// unit of the weights. `report` may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new_knapsack(
    values: *const f64,
    values_len: usize,
    weights: *const f64,
    weights_len: usize,
    capacity: f64,
    strength: f64,
    resolution: f64,
    out: *mut *mut NqBqm,
    report: *mut NqPenaltyReport,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let report = optional_report(report)?;
        let values = unsafe { arg_slice(values, values_len, "values") }?;
        let weights = unsafe { arg_slice(weights, weights_len, "weights") }?;
        let k = knapsack(
            values,
            weights,
            capacity,
            auto_if_zero(strength),
            auto_if_zero(resolution),
        )?;
        if let Some(report) = report {
            report.write(k.penalty().into());
        }
        boxed_bqm(out, k.into_bqm());
        Ok(())
    })
}

/// Graph colouring: BINARY variable v · num_colors + c = node v has colour c. Energy
/// A Σ_v (Σ_c x − 1)² + B Σ_edges Σ_c x_u,c x_v,c, zero exactly for a proper colouring. Edges are
/// (`us[k]`, `vs[k]`). Defaults: B = 1, A = 1.25 · B · (max degree). `one_hot_used` (may be NULL)
/// receives A.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new_graph_coloring(
    num_nodes: usize,
    us: *const u32,
    us_len: usize,
    vs: *const u32,
    vs_len: usize,
    num_colors: usize,
    one_hot_strength: f64,
    conflict_strength: f64,
    out: *mut *mut NqBqm,
    one_hot_used: *mut f64,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let used = optional(one_hot_used, "one_hot_used")?;
        let us = unsafe { arg_slice(us, us_len, "us") }?;
        let vs = unsafe { arg_slice(vs, vs_len, "vs") }?;
        nq::error::check::len("vs", us.len(), vs.len()).map_err(nq::Error::from)?;
        let edges: Vec<(u32, u32)> = us.iter().copied().zip(vs.iter().copied()).collect();
        let g = graph_coloring(
            num_nodes,
            &edges,
            num_colors,
            auto_if_zero(one_hot_strength),
            auto_if_zero(conflict_strength),
        )?;
        if let Some(used) = used {
            used.write(g.one_hot_strength());
        }
        boxed_bqm(out, g.into_bqm());
        Ok(())
    })
}

/// TSP over `num_cities` cities with the row-major `num_cities × num_cities` matrix `distances`
/// (finite, >= 0; asymmetric allowed; diagonal ignored): BINARY variable c · n + p = city c at
/// position p. Energy = directed tour length for a permutation. `strength` `NQ_STRENGTH_AUTO` uses
/// 1.25 · max off-diagonal distance (every minimiser is then a permutation); `strength_used` (may
/// be NULL) receives the value used.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new_tsp(
    num_cities: usize,
    distances: *const f64,
    distances_len: usize,
    strength: f64,
    out: *mut *mut NqBqm,
    strength_used: *mut f64,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let used = optional(strength_used, "strength_used")?;
        let distances = unsafe { arg_slice(distances, distances_len, "distances") }?;
        let t = tsp(num_cities, distances, auto_if_zero(strength))?;
        if let Some(used) = used {
            used.write(t.strength());
        }
        boxed_bqm(out, t.into_bqm());
        Ok(())
    })
}

fn optional<T>(p: *mut T, argument: &'static str) -> FfiResult<Option<Out<T>>> {
    if p.is_null() {
        Ok(None)
    } else {
        Out::new(p, argument).map(Some)
    }
}

// ------------------------------------------------------------------------------------ HVAC

/// The data of one HVAC scheduling horizon (see `nq_hvac_new`). Initialise with
/// `nq_hvac_input_default(&input, sizeof input)`, then point the arrays at your data, each with
/// its length: per-zone arrays hold one value per zone (the number of zones is
/// `rated_power_kw_len`), per-slot arrays one per slot (the number of slots is
/// `price_per_kwh_len`); a length that disagrees is `NQ_DIMENSION_MISMATCH` naming the array.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqHvacInput {
    /// `sizeof` the struct as the caller compiled it (set by `nq_hvac_input_default`).
    pub struct_size: usize,
    /// Electrical power of each zone's unit when on (kW, >= 0); at least one zone.
    pub rated_power_kw: *const f64,
    /// Values at `rated_power_kw` (the number of zones).
    pub rated_power_kw_len: usize,
    /// Heat or cooling a zone's unit delivers over one slot when on (kWh, >= 0).
    pub delivered_kwh: *const f64,
    /// Values at `delivered_kwh`.
    pub delivered_kwh_len: usize,
    /// Price of comfort per zone (currency per kWh² of imbalance, >= 0).
    pub comfort_weight: *const f64,
    /// Values at `comfort_weight`.
    pub comfort_weight_len: usize,
    /// Initial imbalance per zone (kWh, signed), or NULL with length 0 for zeros.
    pub initial_imbalance_kwh: *const f64,
    /// Values at `initial_imbalance_kwh`.
    pub initial_imbalance_kwh_len: usize,
    /// Forecast demand (kWh, finite; negative is a surplus, e.g. a setpoint drop): zones × slots row-major (zone by zone), or, with
    /// `NQ_COMFORT_HORIZON`, one horizon total per zone.
    pub demand_kwh: *const f64,
    /// Values at `demand_kwh`.
    pub demand_kwh_len: usize,
    /// Energy price per slot (currency per kWh, >= 0); at least one slot.
    pub price_per_kwh: *const f64,
    /// Values at `price_per_kwh` (the number of slots).
    pub price_per_kwh_len: usize,
    /// Largest total power per slot (kW, >= 0).
    pub peak_limit_kw: *const f64,
    /// Values at `peak_limit_kw`.
    pub peak_limit_kw_len: usize,
    /// Slot length (hours, > 0).
    pub slot_hours: f64,
    /// `NQ_COMFORT_CUMULATIVE`, `NQ_COMFORT_PER_SLOT` or `NQ_COMFORT_HORIZON`.
    pub comfort_model: NqComfortModel,
    /// Peak-penalty strength, or `NQ_STRENGTH_AUTO` for the proven default.
    pub peak_strength: f64,
    /// The unit the rated powers are multiples of (kW), or `NQ_RESOLUTION_AUTO`.
    pub power_resolution_kw: f64,
    /// Minimum run time (slots): a unit that starts stays on at least this long; 0 or 1 for
    /// none. (Added in 0.1: callers compiled without it get the default.)
    pub min_run_slots: usize,
    /// Per zone, the slots its unit has been on just before slot 0 (0: off), or NULL with length
    /// 0 for all off.
    pub initial_run_slots: *const usize,
    /// Values at `initial_run_slots`.
    pub initial_run_slots_len: usize,
    /// Minimum-run penalty strength, or `NQ_STRENGTH_AUTO` for the proven default.
    pub min_run_strength: f64,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqHvacInput {
    // Structs from callers compiled before the minimum run time still read (with its defaults).
    const MIN_SIZE: usize = std::mem::offset_of!(NqHvacInput, min_run_slots);

    fn defaults() -> Self {
        NqHvacInput {
            struct_size: std::mem::size_of::<Self>(),
            rated_power_kw: std::ptr::null(),
            rated_power_kw_len: 0,
            delivered_kwh: std::ptr::null(),
            delivered_kwh_len: 0,
            comfort_weight: std::ptr::null(),
            comfort_weight_len: 0,
            initial_imbalance_kwh: std::ptr::null(),
            initial_imbalance_kwh_len: 0,
            demand_kwh: std::ptr::null(),
            demand_kwh_len: 0,
            price_per_kwh: std::ptr::null(),
            price_per_kwh_len: 0,
            peak_limit_kw: std::ptr::null(),
            peak_limit_kw_len: 0,
            slot_hours: 1.0,
            comfort_model: ComfortModel::Cumulative.to_c(),
            peak_strength: NQ_STRENGTH_AUTO,
            power_resolution_kw: NQ_RESOLUTION_AUTO,
            min_run_slots: 0,
            initial_run_slots: std::ptr::null(),
            initial_run_slots_len: 0,
            min_run_strength: NQ_STRENGTH_AUTO,
        }
    }
}

/// Writes the defaults (no data, one-hour slots, cumulative comfort, automatic strength and
/// resolution) into the caller's struct of `struct_size` bytes (pass `sizeof *input`), and sets
/// `input->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_input_default(input: *mut NqHvacInput, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(input, struct_size, "input") })
}

/// Facts about a built HVAC model.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqHvacInfo {
    /// Number of zones.
    pub num_zones: usize,
    /// Number of slots.
    pub num_slots: usize,
    /// All variables: `num_zones × num_slots` decisions (zone z, slot t at z·num_slots + t),
    /// then the slack.
    pub num_variables: usize,
    /// The peak-penalty strength used.
    pub peak_strength: f64,
    /// Any strength above this makes every minimiser respect every peak limit.
    pub peak_strength_bound: f64,
    /// The power resolution used (kW).
    pub power_resolution_kw: f64,
    /// The minimum-run penalty strength used.
    pub min_run_strength: f64,
    /// Any strength above this makes every minimiser free of short runs.
    pub min_run_strength_bound: f64,
    /// The first start variable of the minimum run time (zone z, slot t at
    /// `first_start_variable + z·num_slots + t`), `num_variables` without one.
    pub first_start_variable: usize,
}

/// Totals of a decoded schedule; `total == energy_cost + comfort_cost + penalty` is the model's
/// energy of the sample.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqHvacCost {
    /// Σ price · power · slot length over the units on (currency).
    pub energy_cost: f64,
    /// Σ_z w_z Σ b² (currency).
    pub comfort_cost: f64,
    /// All constraint penalties of the sample: `peak_penalty + min_run_penalty`.
    pub penalty: f64,
    /// The peak penalty of the sample (slack included).
    pub peak_penalty: f64,
    /// The minimum-run penalty of the sample (start variables included).
    pub min_run_penalty: f64,
    /// energy_cost + comfort_cost + penalty.
    pub total: f64,
    /// The largest excess of a slot over its limit (kW), 0 when feasible.
    pub max_excess_kw: f64,
    /// Number of slots over their limit.
    pub num_violations: usize,
    /// Number of runs shorter than the minimum run time (and locked units switched off).
    pub num_min_run_violations: usize,
    /// 1 when no slot is over its limit and no run is too short.
    pub feasible: u8,
}

/// An HVAC scheduling model (opaque).
pub struct NqHvac(Hvac);

/// Copies the C description into the core's input; the core checks the lengths agree.
unsafe fn hvac_input(c: &NqHvacInput) -> FfiResult<HvacInput> {
    let vec = |p: *const f64, len: usize, name: &'static str| -> FfiResult<Vec<f64>> {
        Ok(unsafe { arg_slice(p, len, name) }?.to_vec())
    };
    Ok(HvacInput {
        rated_power_kw: vec(c.rated_power_kw, c.rated_power_kw_len, "rated_power_kw")?,
        delivered_kwh: vec(c.delivered_kwh, c.delivered_kwh_len, "delivered_kwh")?,
        comfort_weight: vec(c.comfort_weight, c.comfort_weight_len, "comfort_weight")?,
        initial_imbalance_kwh: vec(
            c.initial_imbalance_kwh,
            c.initial_imbalance_kwh_len,
            "initial_imbalance_kwh",
        )?,
        demand_kwh: vec(c.demand_kwh, c.demand_kwh_len, "demand_kwh")?,
        price_per_kwh: vec(c.price_per_kwh, c.price_per_kwh_len, "price_per_kwh")?,
        peak_limit_kw: vec(c.peak_limit_kw, c.peak_limit_kw_len, "peak_limit_kw")?,
        slot_hours: c.slot_hours,
        comfort: ComfortModel::from_c("comfort_model", c.comfort_model)?,
        peak_strength: auto_if_zero(c.peak_strength),
        power_resolution_kw: auto_if_zero(c.power_resolution_kw),
        min_run_slots: c.min_run_slots,
        initial_run_slots: unsafe {
            arg_slice(c.initial_run_slots, c.initial_run_slots_len, "initial_run_slots")
        }?
        .to_vec(),
        min_run_strength: auto_if_zero(c.min_run_strength),
    })
}

/// Builds the HVAC zone × slot schedule model of one horizon (energy cost, comfort against the
/// forecast demand, per-slot peak-power limit through slack variables). Free it with
/// `nq_hvac_free`; get the model with `nq_hvac_bqm`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_new(input: *const NqHvacInput, out: *mut *mut NqHvac) -> NqStatus {
    guard(|| {
        let input = unsafe { read_sized(input, "input") }?;
        let out = Out::new(out, "out")?;
        let h = hvac(unsafe { hvac_input(&input) }?)?;
        out_boxed(out, NqHvac(h));
        Ok(())
    })
}

/// Frees an HVAC model. NULL is a no-op.
///
/// # Safety
/// `hvac` must be NULL or a pointer returned by `nq_hvac_new` and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_free(hvac: *mut NqHvac) {
    unsafe { free_boxed(hvac) }
}

/// A copy of the model as a new `NqBqm` (free it with `nq_bqm_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_bqm(hvac: *const NqHvac, out: *mut *mut NqBqm) -> NqStatus {
    guard(|| {
        let hvac = unsafe { arg_ref(hvac, "hvac") }?;
        let out = Out::new(out, "out")?;
        boxed_bqm(out, hvac.0.bqm().clone());
        Ok(())
    })
}

/// Sizes, strengths and resolution of the model.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_info(hvac: *const NqHvac, out: *mut NqHvacInfo) -> NqStatus {
    guard(|| {
        let h = &unsafe { arg_ref(hvac, "hvac") }?.0;
        let out = Out::new(out, "out")?;
        out.write(NqHvacInfo {
            num_zones: h.num_zones(),
            num_slots: h.num_slots(),
            num_variables: h.bqm().num_variables(),
            peak_strength: h.peak_strength(),
            peak_strength_bound: h.peak_strength_bound(),
            power_resolution_kw: h.power_resolution_kw(),
            min_run_strength: h.min_run_strength(),
            min_run_strength_bound: h.min_run_strength_bound(),
            first_start_variable: h.start_variables().start as usize,
        });
        Ok(())
    })
}

/// An output buffer that may be skipped (NULL with length 0); otherwise its length must be
/// exactly `needed`.
fn optional_buffer<T: Copy>(
    p: *mut T,
    len: usize,
    needed: usize,
    argument: &'static str,
) -> FfiResult<Option<OutSlice<T>>> {
    if p.is_null() && len == 0 {
        return Ok(None);
    }
    nq::error::check::len(argument, needed, len).map_err(|e| Failure::Core(e.into()))?;
    OutSlice::new(p, len, argument).map(Some)
}

/// Decodes a sample of the model (`sample_len` = all variables, BINARY values) into the schedule
/// (`schedule`: num_zones × num_slots, 1 = on, zone by zone), the power per slot
/// (`slot_power_kw`: num_slots, kW), the comfort cost per zone (`comfort_cost_per_zone`:
/// num_zones) and the totals (`cost`). Each buffer may be NULL with length 0 to skip it; otherwise
/// its length must match exactly. Nothing is written on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hvac_decode(
    hvac: *const NqHvac,
    sample: *const i8,
    sample_len: usize,
    schedule: *mut u8,
    schedule_len: usize,
    slot_power_kw: *mut f64,
    slot_power_len: usize,
    comfort_cost_per_zone: *mut f64,
    comfort_len: usize,
    cost: *mut NqHvacCost,
) -> NqStatus {
    guard(|| {
        let h = &unsafe { arg_ref(hvac, "hvac") }?.0;
        let sample = unsafe { arg_slice(sample, sample_len, "sample") }?;
        let (z, t) = (h.num_zones(), h.num_slots());
        let schedule = optional_buffer(schedule, schedule_len, z * t, "schedule")?;
        let power = optional_buffer(slot_power_kw, slot_power_len, t, "slot_power_kw")?;
        let comfort = optional_buffer(comfort_cost_per_zone, comfort_len, z, "comfort_cost_per_zone")?;
        let cost = Out::new(cost, "cost")?;
        let s = h.decode(sample)?;
        if let Some(out) = schedule {
            out.write(&s.schedule);
        }
        if let Some(out) = power {
            out.write(&s.slot_power_kw);
        }
        if let Some(out) = comfort {
            out.write(&s.comfort_cost_per_zone);
        }
        cost.write(NqHvacCost {
            energy_cost: s.energy_cost,
            comfort_cost: s.comfort_cost,
            penalty: s.penalty,
            peak_penalty: s.peak_penalty,
            min_run_penalty: s.min_run_penalty,
            total: s.total,
            max_excess_kw: s.violations.iter().map(|v| v.excess_kw).fold(0.0, f64::max),
            num_violations: s.violations.len(),
            num_min_run_violations: s.min_run_violations.len(),
            feasible: s.feasible as u8,
        });
        Ok(())
    })
}
