//! `NqEncoder`: a streaming spike encoder, one sample in, one spike value per channel out,
//! allocation-free per step, saved and restored mid-stream through the neuroquant container.

use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{
    FfiResult, Out, OutSlice, arg_mut, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::status::NqStatus;
use nq::params::KeywordArgs;
use nq::spike::{Encoder, EncoderKind, EncoderParams};

/// A streaming spike encoder (opaque).
pub struct NqEncoder(pub(crate) Encoder);

/// The encoding of a streaming encoder (`uint32_t`).
pub type NqEncoderKind = u32;
/// snnTorch delta modulation: 1 when x_t - x_{t-1} >= threshold, -1 when <= -threshold
/// with off_spike; the first sample is compared with 0, or with itself under padding.
pub const NQ_ENCODER_DELTA: NqEncoderKind = 0 as NqEncoderKind;
/// Multi-quantum send-on-delta (Miskowicz 2006): k = trunc((x - ref)/threshold) quanta,
/// signed, and ref += k·threshold; the first sample sets ref and sends nothing.
pub const NQ_ENCODER_SEND_ON_DELTA: NqEncoderKind = 1 as NqEncoderKind;
/// Step-forward (Petro et al. 2020): +1 and baseline += threshold when x > baseline +
/// threshold, -1 and baseline -= threshold when x < baseline - threshold.
pub const NQ_ENCODER_STEP_FORWARD: NqEncoderKind = 2 as NqEncoderKind;
/// Threshold-based representation (temporal contrast): +1 when x_t - x_{t-1} > threshold,
/// -1 when < -threshold.
pub const NQ_ENCODER_TBR: NqEncoderKind = 3 as NqEncoderKind;
/// Moving window (Petro et al. 2020): as step-forward, against the mean of the last
/// window samples.
pub const NQ_ENCODER_MOVING_WINDOW: NqEncoderKind = 4 as NqEncoderKind;
/// Bernoulli rate coding: a spike with probability clamp(gain·x + offset, 0, 1).
pub const NQ_ENCODER_RATE: NqEncoderKind = 5 as NqEncoderKind;
/// Poisson: x is a rate in Hz; a spike with probability 1 - exp(-x·dt) per step.
pub const NQ_ENCODER_POISSON: NqEncoderKind = 6 as NqEncoderKind;
/// Phase coding against a reference oscillation of period steps: the value x in [0, 1]
/// latched at the start of each cycle fires once per cycle, at phase
/// round((1 - x)·(period - 1)), so larger values fire earlier in the cycle.
pub const NQ_ENCODER_PHASE: NqEncoderKind = 7 as NqEncoderKind;

/// Ben's Spiker Algorithm with its FIR filter, streamed: the scaled input gain·x + offset
/// is buffered for filter-length samples; the spike for sample t comes out filter length
/// - 1 samples later (zeros before), by the rule of the batch bsa.
pub const NQ_ENCODER_BSA: NqEncoderKind = 8 as NqEncoderKind;

c_enum!(EncoderKind {
    NQ_ENCODER_DELTA => EncoderKind::Delta,
    NQ_ENCODER_SEND_ON_DELTA => EncoderKind::SendOnDelta,
    NQ_ENCODER_STEP_FORWARD => EncoderKind::StepForward,
    NQ_ENCODER_TBR => EncoderKind::Tbr,
    NQ_ENCODER_MOVING_WINDOW => EncoderKind::MovingWindow,
    NQ_ENCODER_RATE => EncoderKind::Rate,
    NQ_ENCODER_POISSON => EncoderKind::Poisson,
    NQ_ENCODER_PHASE => EncoderKind::Phase,
    NQ_ENCODER_BSA => EncoderKind::Bsa,
});

/// Parameters of a streaming encoder. Initialise with
/// `nq_encoder_params_default(&params, sizeof params)`, then set fields; a `has_*` flag of 0
/// leaves the field before it at its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqEncoderParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_encoder_params_default`).
    pub struct_size: usize,
    /// The encoding.
    /// An NQ_ENCODER_* constant.
    pub encoder: NqEncoderKind,
    /// Number of channels (values per sample).
    pub num_channels: usize,
    /// Change that fires (delta, step_forward, tbr, moving_window) or the quantum
    /// (send_on_delta), > 0; bsa: the error reduction a spike must bring.
    pub threshold: f64,
    /// delta: compare the first sample with itself instead of with 0.
    /// Non-zero: true.
    pub padding: u8,
    /// delta: also emit -1 for falls of at least threshold.
    /// Non-zero: true.
    pub off_spike: u8,
    /// moving_window: number of past samples averaged into the baseline; rate, poisson:
    /// steps averaged by the decoder.
    pub window: usize,
    /// rate, bsa: scale applied to the input.
    pub gain: f64,
    /// rate, bsa: shift added to the scaled input.
    pub offset: f64,
    /// poisson: step length in seconds.
    pub dt: f64,
    /// phase: steps per cycle of the reference oscillation (at least 2).
    pub period: usize,
    /// bsa: FIR filter taps (None: a Hann window of filter_length taps scaled to sum to 1).
    /// `filter_len` values, read during `nq_encoder_new` only; NULL: None.
    pub filter: *const f64,
    /// Values at `filter`.
    pub filter_len: usize,
    /// bsa: taps of the default filter (ignored when filter is given).
    pub filter_length: usize,
    /// rate, poisson: seed of the random streams (None: fresh entropy, reported back).
    pub seed: u64,
    /// Non-zero: use `seed`; 0: None.
    pub has_seed: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqEncoderParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = EncoderParams::default();
        NqEncoderParams {
            struct_size: std::mem::size_of::<Self>(),
            encoder: d.encoder.to_c(),
            num_channels: d.num_channels,
            threshold: d.threshold,
            padding: u8::from(d.padding),
            off_spike: u8::from(d.off_spike),
            window: d.window,
            gain: d.gain,
            offset: d.offset,
            dt: d.dt,
            period: d.period,
            filter: std::ptr::null(),
            filter_len: 0,
            filter_length: d.filter_length,
            seed: d.seed.unwrap_or(0),
            has_seed: u8::from(d.seed.is_some()),
        }
    }
}

impl NqEncoderParams {
    /// The core parameters, through the keywords Python uses too.
    ///
    /// # Safety
    /// If non-NULL, `filter` points to `filter_len` readable values.
    pub(crate) unsafe fn to_core(self) -> FfiResult<EncoderParams> {
        let mut f = Fields::default();
        f.code::<EncoderKind>("encoder", self.encoder)?;
        f.set("num_channels", self.num_channels)?;
        f.set("threshold", self.threshold)?;
        f.flag("padding", self.padding)?;
        f.flag("off_spike", self.off_spike)?;
        f.set("window", self.window)?;
        f.set("gain", self.gain)?;
        f.set("offset", self.offset)?;
        f.set("dt", self.dt)?;
        f.set("period", self.period)?;
        unsafe { f.floats("filter", self.filter, self.filter_len) }?;
        f.set("filter_length", self.filter_length)?;
        f.opt("seed", self.has_seed, self.seed)?;
        Ok(EncoderParams::from_keywords("encoder", f.0)?)
    }
}

/// Writes the default encoder parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_params_default(
    params: *mut NqEncoderParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a streaming encoder at the start of a stream.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_new(
    params: *const NqEncoderParams,
    out: *mut *mut NqEncoder,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqEncoder(Encoder::new(&unsafe { p.to_core() }?)?));
        Ok(())
    })
}

/// Frees an encoder (NULL is a no-op).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_free(encoder: *mut NqEncoder) {
    unsafe { free_boxed(encoder) }
}

/// Encodes one sample: `x` holds `num_channels` values, `out` receives `num_channels` spike
/// values (1, 0, -1, or the signed number of quanta for send_on_delta). Allocates nothing; on
/// failure (wrong lengths, a non-finite value, a negative rate) neither the encoder nor `out`
/// changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_step(
    encoder: *mut NqEncoder,
    x: *const f64,
    x_len: usize,
    out: *mut i32,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let enc = unsafe { arg_mut(encoder, "encoder") }?;
        let x = unsafe { arg_slice(x, x_len, "x") }?;
        let out = unsafe { arg_slice_mut(out, out_len, "out") }?;
        Ok(enc.0.step(x, out)?)
    })
}

/// A mutable slice from a caller pointer (checked like `arg_slice`).
unsafe fn arg_slice_mut<'a, T: Copy>(
    p: *mut T,
    len: usize,
    argument: &'static str,
) -> FfiResult<&'a mut [T]> {
    let _ = OutSlice::new(p, len, argument)?;
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: checked non-null, aligned and of a valid length by OutSlice::new; the caller
    // provides `len` writable values.
    Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
}

/// Encodes `num_rows` samples of time-first `data` (`num_rows × num_channels`, row-major) into
/// `out` (same size), as `nq_encoder_step` on each row. On failure nothing changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_run(
    encoder: *mut NqEncoder,
    data: *const f64,
    data_len: usize,
    out: *mut i32,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let enc = unsafe { arg_mut(encoder, "encoder") }?;
        let data = unsafe { arg_slice(data, data_len, "data") }?;
        let out = unsafe { arg_slice_mut(out, out_len, "out") }?;
        Ok(enc.0.run(data, out)?)
    })
}

/// Reconstructs the signal from this encoder's whole output `spikes` (`len` values, time-first,
/// from the first sample of the stream) into `out` (`len` values).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_decode(
    encoder: *const NqEncoder,
    spikes: *const i32,
    len: usize,
    out: *mut f64,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let enc = unsafe { arg_ref(encoder, "encoder") }?;
        let spikes = unsafe { arg_slice(spikes, len, "spikes") }?;
        let out = OutSlice::new(out, out_len, "out")?;
        nq::error::check::len("out", len, out.len()).map_err(nq::Error::from)?;
        out.write(&enc.0.decode(spikes)?);
        Ok(())
    })
}

/// Channels per sample.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_num_channels(encoder: *const NqEncoder, out: *mut usize) -> NqStatus {
    read_handle(encoder, "encoder", out, |e| Ok(e.0.num_channels()))
}

/// Samples encoded so far.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_steps(encoder: *const NqEncoder, out: *mut u64) -> NqStatus {
    read_handle(encoder, "encoder", out, |e| Ok(e.0.steps()))
}

/// The seed in use (rate, poisson: the one drawn when none was given).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_seed(encoder: *const NqEncoder, out: *mut u64) -> NqStatus {
    read_handle(encoder, "encoder", out, |e| Ok(e.0.seed()))
}

/// Back to the start of a stream.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_reset(encoder: *mut NqEncoder) -> NqStatus {
    guard(|| {
        unsafe { arg_mut(encoder, "encoder") }?.0.reset();
        Ok(())
    })
}

/// The size in bytes of the encoder's saved state (`nq_encoder_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_serialized_size(encoder: *const NqEncoder, out: *mut usize) -> NqStatus {
    read_handle(encoder, "encoder", out, |e| Ok(e.0.to_bytes()?.len()))
}

/// Saves the encoder and its state (neuroquant container, kind `spike_encoder`) into `buf`, which
/// must hold at least `nq_encoder_serialized_size` bytes; `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_to_bytes(
    encoder: *const NqEncoder,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let enc = unsafe { arg_ref(encoder, "encoder") }?;
        let written = Out::new(written, "written")?;
        let bytes = enc.0.to_bytes()?;
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Restores an encoder saved by `nq_encoder_to_bytes` (from any surface); it continues the stream
/// exactly where the saved one stopped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_encoder_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqEncoder,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqEncoder(Encoder::from_bytes(bytes)?));
        Ok(())
    })
}
