//! Batch encoders on raw arrays with snnTorch's semantics: rate, latency and delta, writing a
//! dense time-first int8 raster into the caller's buffer; and the batch decoders of rate, Poisson
//! and delta coding, reading such a raster and writing doubles.

use crate::control::{NqControl, with_control};
use crate::convert::{Fields, Versioned, init_sized, read_sized};
use crate::guard::{Failure, FfiResult, Out, OutSlice, arg_slice, guard};
use crate::status::NqStatus;
use nq::params::KeywordArgs;
use nq::spike::{
    DeltaDecodeParams, DeltaParams, LatencyParams, PoissonDecodeParams, RateDecodeParams, RateParams,
    SpikeRaster,
};

/// Writes `raster` densely (1, 0, -1 as int8) into `out` of `out_len` values.
fn write_dense(raster: &SpikeRaster, out: *mut i8, out_len: usize) -> FfiResult {
    let need = raster.num_steps() * raster.num_channels();
    if out_len < need {
        return Err(Failure::BufferTooSmall {
            argument: "out",
            needed: need,
            got: out_len,
        });
    }
    OutSlice::new(out, need, "out")?.write(&raster.to_dense::<i8>()?);
    Ok(())
}

/// Parameters of rate coding (snnTorch `spikegen.rate`). Initialise with
/// `nq_rate_params_default(&params, sizeof params)`; a `has_*` flag of 0 leaves the field before
/// it at its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqRateParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_rate_params_default`).
    pub struct_size: usize,
    /// Number of time steps to repeat time-static data over. None: the data is already
    /// time-first (its first axis is time) and is encoded as it is.
    pub num_steps: usize,
    /// Non-zero: use `num_steps`; 0: None.
    pub has_num_steps: u8,
    /// Scale applied to the input before it is clamped to a probability.
    pub gain: f64,
    /// Shift added to the scaled input before it is clamped to a probability.
    pub offset: f64,
    /// Steps before this one are silent (time-static data), or this many silent steps are
    /// prepended (time_var_input=True).
    pub first_spike_time: usize,
    /// The data is time-varying and time-first: silent first_spike_time steps are prepended to
    /// its encoding (num_steps must then be None).
    /// Non-zero: true.
    pub time_var_input: u8,
    /// Seed of the random streams (None: fresh entropy, reported back).
    pub seed: u64,
    /// Non-zero: use `seed`; 0: None.
    pub has_seed: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float fields only.
unsafe impl Versioned for NqRateParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = RateParams::default();
        NqRateParams {
            struct_size: std::mem::size_of::<Self>(),
            num_steps: d.num_steps.unwrap_or(0),
            has_num_steps: u8::from(d.num_steps.is_some()),
            gain: d.gain,
            offset: d.offset,
            first_spike_time: d.first_spike_time,
            time_var_input: u8::from(d.time_var_input),
            seed: d.seed.unwrap_or(0),
            has_seed: u8::from(d.seed.is_some()),
        }
    }
}

impl NqRateParams {
    fn to_core(self) -> FfiResult<RateParams> {
        let mut f = Fields::default();
        f.opt("num_steps", self.has_num_steps, self.num_steps)?;
        f.set("gain", self.gain)?;
        f.set("offset", self.offset)?;
        f.set("first_spike_time", self.first_spike_time)?;
        f.flag("time_var_input", self.time_var_input)?;
        f.opt("seed", self.has_seed, self.seed)?;
        Ok(RateParams::from_keywords("rate", f.0)?)
    }
}

/// Writes the default rate parameters into the caller's struct of `struct_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_rate_params_default(params: *mut NqRateParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Rate coding of `data` (`data_len` values: `rows × num_channels`, row-major) into `out`, a dense
/// time-first int8 raster of `out_steps × num_channels` (`out_steps` = `num_steps`, or the rows
/// (+ `first_spike_time` with `time_var_input`)); `*seed_used` (may be NULL) receives the seed.
/// `control` may be NULL (all cores).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_rate(
    params: *const NqRateParams,
    data: *const f64,
    data_len: usize,
    num_channels: usize,
    control: *const NqControl,
    out: *mut i8,
    out_len: usize,
    seed_used: *mut u64,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?.to_core()?;
        let data = unsafe { arg_slice(data, data_len, "data") }?;
        let encoded = unsafe { with_control(control, |c| Ok(nq::spike::rate(data, num_channels, &p, c)?)) }?;
        write_dense(&encoded.raster, out, out_len)?;
        if !seed_used.is_null() {
            Out::new(seed_used, "seed_used")?.write(encoded.seed);
        }
        Ok(())
    })
}

/// Parameters of latency coding (snnTorch `spikegen.latency`). Initialise with
/// `nq_latency_params_default(&params, sizeof params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqLatencyParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_latency_params_default`).
    pub struct_size: usize,
    /// Number of time steps of the raster.
    pub num_steps: usize,
    /// Inputs below it fire at the latest time, or not at all with clip; in (0, 1).
    pub threshold: f64,
    /// Inputs are clamped to at least threshold + epsilon before the logarithm.
    pub epsilon: f64,
    /// RC time constant of the log form, or slope of the linear form (in steps); > 0.
    pub tau: f64,
    /// The earliest spike is shifted to this step (inputs must then lie in [0, 1]).
    pub first_spike_time: usize,
    /// Inputs below threshold do not fire.
    /// Non-zero: true.
    pub clip: u8,
    /// Rescale the times so the latest spike falls on num_steps - 1.
    /// Non-zero: true.
    pub normalize: u8,
    /// Linear code t = τ(1 − x) instead of the logarithmic one.
    /// Non-zero: true.
    pub linear: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float fields only.
unsafe impl Versioned for NqLatencyParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = LatencyParams::default();
        NqLatencyParams {
            struct_size: std::mem::size_of::<Self>(),
            num_steps: d.num_steps,
            threshold: d.threshold,
            epsilon: d.epsilon,
            tau: d.tau,
            first_spike_time: d.first_spike_time,
            clip: u8::from(d.clip),
            normalize: u8::from(d.normalize),
            linear: u8::from(d.linear),
        }
    }
}

impl NqLatencyParams {
    fn to_core(self) -> FfiResult<LatencyParams> {
        let mut f = Fields::default();
        f.set("num_steps", self.num_steps)?;
        f.set("threshold", self.threshold)?;
        f.set("epsilon", self.epsilon)?;
        f.set("tau", self.tau)?;
        f.set("first_spike_time", self.first_spike_time)?;
        f.flag("clip", self.clip)?;
        f.flag("normalize", self.normalize)?;
        f.flag("linear", self.linear)?;
        Ok(LatencyParams::from_keywords("latency", f.0)?)
    }
}

/// Writes the default latency parameters into the caller's struct of `struct_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_latency_params_default(
    params: *mut NqLatencyParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Latency coding of `data` (`data_len` inputs) into `out`, a dense int8 raster of
/// `num_steps × data_len`; `*clamped` (may be NULL) receives the number of spikes moved onto the
/// last step because their time fell past it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_latency(
    params: *const NqLatencyParams,
    data: *const f64,
    data_len: usize,
    out: *mut i8,
    out_len: usize,
    clamped: *mut usize,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?.to_core()?;
        let data = unsafe { arg_slice(data, data_len, "data") }?;
        let encoded = nq::spike::latency(data, &p)?;
        write_dense(&encoded.raster, out, out_len)?;
        if !clamped.is_null() {
            Out::new(clamped, "clamped")?.write(encoded.clamped);
        }
        Ok(())
    })
}

/// Parameters of delta modulation (snnTorch `spikegen.delta`). Initialise with
/// `nq_delta_params_default(&params, sizeof params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqDeltaParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_delta_params_default`).
    pub struct_size: usize,
    /// Smallest change that fires.
    pub threshold: f64,
    /// Compare the first step with itself (no spike) instead of with 0.
    /// Non-zero: true.
    pub padding: u8,
    /// Also emit -1 for falls of at least threshold.
    /// Non-zero: true.
    pub off_spike: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float fields only.
unsafe impl Versioned for NqDeltaParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = DeltaParams::default();
        NqDeltaParams {
            struct_size: std::mem::size_of::<Self>(),
            threshold: d.threshold,
            padding: u8::from(d.padding),
            off_spike: u8::from(d.off_spike),
        }
    }
}

/// Writes the default delta parameters into the caller's struct of `struct_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_delta_params_default(params: *mut NqDeltaParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Delta modulation of time-first `data` (`rows × num_channels`, row-major) into `out`, a dense
/// int8 raster of the same size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_delta(
    params: *const NqDeltaParams,
    data: *const f64,
    data_len: usize,
    num_channels: usize,
    out: *mut i8,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let mut f = Fields::default();
        f.set("threshold", p.threshold)?;
        f.flag("padding", p.padding)?;
        f.flag("off_spike", p.off_spike)?;
        let p = DeltaParams::from_keywords("delta", f.0)?;
        let data = unsafe { arg_slice(data, data_len, "data") }?;
        write_dense(&nq::spike::delta(data, num_channels, &p)?, out, out_len)
    })
}

/// The raster of a dense int8 time-first buffer of `len` values, `num_channels` per step.
unsafe fn dense_spikes(spikes: *const i8, len: usize, num_channels: usize) -> FfiResult<SpikeRaster> {
    let data = unsafe { arg_slice(spikes, len, "spikes") }?;
    if num_channels == 0 && len != 0 {
        return Err(crate::convert::invalid(
            "num_channels",
            format!("is 0, but spikes holds {len} values"),
        ));
    }
    let rows = len.checked_div(num_channels).unwrap_or(0);
    let raster = SpikeRaster::from_dense(rows, num_channels, data).map_err(|e| match e {
        // The core names its dense argument `data`; here it is `spikes`.
        nq::Error::Spike(nq::spike::SpikeError::NotASpike { index, value, .. }) => {
            nq::spike::SpikeError::NotASpike {
                argument: "spikes",
                index,
                value,
            }
            .into()
        }
        other => other,
    })?;
    Ok(raster)
}

/// Writes `values` into `out` of `out_len` doubles, or fails (writing nothing) when it is short.
fn write_values(values: &[f64], out: *mut f64, out_len: usize) -> FfiResult {
    if out_len < values.len() {
        return Err(Failure::BufferTooSmall {
            argument: "out",
            needed: values.len(),
            got: out_len,
        });
    }
    OutSlice::new(out, values.len(), "out")?.write(values);
    Ok(())
}

/// Decodes rate-coded spikes (`spikes`: a dense int8 raster of `spikes_len` = `num_steps ×
/// num_channels` values, time-first, as `nq_spike_rate` writes it) with the encoder's `gain`,
/// `offset` and `first_spike_time` from `params` (its other fields are ignored): `x̂ = (m −
/// offset)/gain` with `m` the spike frequency of each channel over the steps from
/// `first_spike_time` on. `window` 0: one value per channel (`num_channels` doubles); `window` w >
/// 0: one value per step from the last w steps (`(num_steps − first_spike_time) × num_channels`
/// doubles, equal to `nq_encoder_decode` of a rate encoder with that window). Errors (nothing
/// written): gain 0; a value other than 0/1; `out_len` too small.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_rate_decode(
    params: *const NqRateParams,
    spikes: *const i8,
    spikes_len: usize,
    num_channels: usize,
    window: usize,
    out: *mut f64,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let mut f = Fields::default();
        f.set("gain", p.gain)?;
        f.set("offset", p.offset)?;
        f.set("first_spike_time", p.first_spike_time)?;
        f.opt("window", u8::from(window != 0), window)?;
        let p = RateDecodeParams::from_keywords("rate_decode", f.0)?;
        let raster = unsafe { dense_spikes(spikes, spikes_len, num_channels) }?;
        write_values(&nq::spike::rate_decode(&raster, &p)?, out, out_len)
    })
}

/// Decodes Poisson spike trains drawn with step `dt` seconds into rates in Hz, `−ln(1 − m)/dt`
/// (a channel firing on all n steps averaged reads `m = 1 − 1/(2n)`); `spikes`, `window` and the
/// output sizes as in `nq_spike_rate_decode` (no steps dropped). Errors (nothing written): `dt`
/// not > 0; a value other than 0/1; `out_len` too small.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_poisson_decode(
    dt: f64,
    spikes: *const i8,
    spikes_len: usize,
    num_channels: usize,
    window: usize,
    out: *mut f64,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let mut f = Fields::default();
        f.set("dt", dt)?;
        f.opt("window", u8::from(window != 0), window)?;
        let p = PoissonDecodeParams::from_keywords("poisson_decode", f.0)?;
        let raster = unsafe { dense_spikes(spikes, spikes_len, num_channels) }?;
        write_values(&nq::spike::poisson_decode(&raster, &p)?, out, out_len)
    })
}

/// Decodes delta-modulated spikes (a dense int8 raster of 1/0/-1 as `nq_spike_delta` writes it)
/// with `params->threshold` (its other fields are ignored): `x̂_t = x̂_{t−1} + threshold·s_t` from
/// `initial` (`num_channels` doubles; NULL: zeros; with `padding` pass the first sample), into
/// `out` of `spikes_len` doubles. Errors (nothing written): a non-finite threshold or initial
/// value; a value other than 1/0/-1; `out_len` too small.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_spike_delta_decode(
    params: *const NqDeltaParams,
    spikes: *const i8,
    spikes_len: usize,
    num_channels: usize,
    initial: *const f64,
    out: *mut f64,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let mut f = Fields::default();
        f.set("threshold", p.threshold)?;
        let mut p = DeltaDecodeParams::from_keywords("delta_decode", f.0)?;
        if !initial.is_null() {
            p.initial = Some(unsafe { arg_slice(initial, num_channels, "initial") }?.to_vec());
        }
        let raster = unsafe { dense_spikes(spikes, spikes_len, num_channels) }?;
        write_values(&nq::spike::delta_decode(&raster, &p)?, out, out_len)
    })
}
