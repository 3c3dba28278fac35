//! Liquid state machines from C (`NqLsm`): create from parameters or load, run on spike rasters
//! (dense bytes of 0/1, or bit-packed 64-bit words in the layout of the `spike` area's
//! `SpikeRaster`), step, save. Functions taking `const NqLsm *` may be called concurrently; the
//! others need exclusive access.

use crate::control::{NqControl, with_control};
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{
    FfiResult, Out, OutSlice, arg_mut, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::status::NqStatus;
use nq::error::check;
use nq::params::KeywordArgs;
use nq::reservoir::{Lsm, LsmParams, Reset};
use nq::spike::SpikeRaster;

/// A liquid state machine (opaque): its weights, membrane potentials, last spikes and
/// refractory counters.
pub struct NqLsm(pub(crate) Lsm);

/// What a spike does to the membrane potential (`uint32_t`).
pub type NqReset = u32;
/// Subtract the threshold at the next step (snnTorch's default).
pub const NQ_RESET_SUBTRACT: NqReset = 0 as NqReset;
/// Set the potential to zero at the next step.
pub const NQ_RESET_ZERO: NqReset = 1 as NqReset;
/// Leave the potential alone.
pub const NQ_RESET_NONE: NqReset = 2 as NqReset;

c_enum!(Reset {
    NQ_RESET_SUBTRACT => Reset::Subtract,
    NQ_RESET_ZERO => Reset::Zero,
    NQ_RESET_NONE => Reset::None,
});

/// Parameters of a liquid state machine (the core's `LsmParams`). Initialise with
/// `nq_lsm_params_default(&params, sizeof params)`, then set fields; `has_seed` 0 draws a seed.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqLsmParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_lsm_params_default`).
    pub struct_size: usize,
    /// Number of neurons N (>= 1).
    pub units: usize,
    /// Membrane decay per step beta = exp(−Δt/τ_m), in [0, 1].
    pub beta: f64,
    /// Firing threshold, > 0.
    pub threshold: f64,
    /// What a spike does to the potential.
    /// An NQ_RESET_* constant.
    pub reset: NqReset,
    /// Steps after a spike during which a neuron ignores its input and cannot fire.
    pub refractory: usize,
    /// Fraction of neurons whose outgoing weights are negative, in [0, 1].
    pub inhibitory: f64,
    /// Fraction of the recurrent connections present, in (0, 1].
    pub rc_connectivity: f64,
    /// Fraction of the input connections present, in (0, 1].
    pub input_connectivity: f64,
    /// Recurrent weights are uniform on [0, w_scale) before the inhibitory sign.
    pub w_scale: f64,
    /// Input weights are uniform on [0, input_scaling).
    pub input_scaling: f64,
    /// Number of input channels (>= 1).
    pub input_dim: usize,
    /// Random seed of the weights. None: drawn from the operating system.
    pub seed: u64,
    /// Non-zero: use `seed`; 0: None.
    pub has_seed: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float fields only.
unsafe impl Versioned for NqLsmParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = LsmParams::default();
        NqLsmParams {
            struct_size: std::mem::size_of::<Self>(),
            units: d.units,
            beta: d.beta,
            threshold: d.threshold,
            reset: d.reset.to_c(),
            refractory: d.refractory,
            inhibitory: d.inhibitory,
            rc_connectivity: d.rc_connectivity,
            input_connectivity: d.input_connectivity,
            w_scale: d.w_scale,
            input_scaling: d.input_scaling,
            input_dim: d.input_dim,
            seed: d.seed.unwrap_or(0),
            has_seed: u8::from(d.seed.is_some()),
        }
    }
}

impl NqLsmParams {
    /// The core parameters, through the keywords Python uses too.
    pub(crate) fn to_core(self) -> FfiResult<LsmParams> {
        let mut f = Fields::default();
        f.set("units", self.units)?;
        f.set("beta", self.beta)?;
        f.set("threshold", self.threshold)?;
        f.code::<Reset>("reset", self.reset)?;
        f.set("refractory", self.refractory)?;
        f.set("inhibitory", self.inhibitory)?;
        f.set("rc_connectivity", self.rc_connectivity)?;
        f.set("input_connectivity", self.input_connectivity)?;
        f.set("w_scale", self.w_scale)?;
        f.set("input_scaling", self.input_scaling)?;
        f.set("input_dim", self.input_dim)?;
        f.opt("seed", self.has_seed, self.seed)?;
        Ok(LsmParams::from_keywords("lsm", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_params_default(params: *mut NqLsmParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a liquid with weights drawn from the seed (W from stream 0, Win from stream 1; the
/// first `round(inhibitory·units)` neurons are inhibitory).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_new(params: *const NqLsmParams, out: *mut *mut NqLsm) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqLsm(Lsm::new(p.to_core()?)?));
        Ok(())
    })
}

/// Frees a liquid. NULL is a no-op.
///
/// # Safety
/// `lsm` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_free(lsm: *mut NqLsm) {
    unsafe { free_boxed(lsm) }
}

/// One step on `spikes` (`spikes_len == input_dim` bytes, each 0 or 1); the neurons' spikes
/// (0/1) go to `out` (`out_len == units`). Allocates nothing; on failure nothing changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_step(
    lsm: *mut NqLsm,
    spikes: *const u8,
    spikes_len: usize,
    out: *mut u8,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let lsm = unsafe { arg_mut(lsm, "lsm") }?;
        let spikes = unsafe { arg_slice(spikes, spikes_len, "spikes") }?;
        let dst = OutSlice::new(out, out_len, "out")?;
        check::len("out", lsm.0.units(), out_len).map_err(nq::Error::from)?;
        dst.write(lsm.0.step(spikes)?);
        Ok(())
    })
}

/// Runs on a dense raster: `spikes` holds `steps × input_dim` bytes of 0/1 (row-major, time
/// first; `steps = spikes_len / input_dim`), and `out` receives the `steps × units` output
/// raster. The input is validated before the first step; on failure nothing changes.
/// `control` may be NULL (run to completion); its timeout and interrupt are looked at about
/// every millisecond of work, and a stopped run returns `NQ_INTERRUPTED` with the liquid as it
/// was before the call (its thread count is not used: a liquid runs on one thread).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_run(
    lsm: *mut NqLsm,
    spikes: *const u8,
    spikes_len: usize,
    out: *mut u8,
    out_len: usize,
    control: *const NqControl,
) -> NqStatus {
    guard(|| {
        let lsm = unsafe { arg_mut(lsm, "lsm") }?;
        let spikes = unsafe { arg_slice(spikes, spikes_len, "spikes") }?;
        let d = lsm.0.params().input_dim;
        let steps = spikes_len / d;
        check::len_rows("spikes", "steps", steps, d, spikes_len).map_err(nq::Error::from)?;
        let dst = OutSlice::new(out, out_len, "out")?;
        check::len_rows("out", "steps", steps, lsm.0.units(), out_len).map_err(nq::Error::from)?;
        let raster = unsafe { with_control(control, |c| Ok(lsm.0.run_with(spikes, steps, c)?)) }?;
        dst.write(&raster);
        Ok(())
    })
}

/// Runs on a bit-packed raster in the layout of the `spike` area's `SpikeRaster` (Python's
/// `SpikeRaster.packed`): step `t` is a row of `⌈input_dim / 64⌉` 64-bit words, channel `c` is
/// bit `c % 64` of word `t·⌈input_dim / 64⌉ + c / 64`, bits past the last channel are 0; so
/// `words_len = num_steps · ⌈input_dim / 64⌉`. The output spikes go to `out` in the same layout
/// with `⌈units / 64⌉` words per step (`out_len = num_steps · ⌈units / 64⌉`). Equal to
/// `nq_lsm_run` on the unpacked bytes. The input is validated before the first step (lengths,
/// padding bits); on failure nothing changes. `control` as in `nq_lsm_run`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_run_packed(
    lsm: *mut NqLsm,
    words: *const u64,
    words_len: usize,
    num_steps: usize,
    out: *mut u64,
    out_len: usize,
    control: *const NqControl,
) -> NqStatus {
    guard(|| {
        let lsm = unsafe { arg_mut(lsm, "lsm") }?;
        let words = unsafe { arg_slice(words, words_len, "words") }?;
        let d = lsm.0.params().input_dim;
        check::len_rows("words", "num_steps", num_steps, d.div_ceil(64), words_len)
            .map_err(nq::Error::from)?;
        let raster = SpikeRaster::from_words(num_steps, d, words.to_vec(), Vec::new())?;
        let dst = OutSlice::new(out, out_len, "out")?;
        let per_step = lsm.0.units().div_ceil(64);
        check::len_rows("out", "num_steps", num_steps, per_step, out_len).map_err(nq::Error::from)?;
        let result = unsafe { with_control(control, |c| Ok(lsm.0.run_raster_with(&raster, c)?)) }?;
        dst.write(result.on_words());
        Ok(())
    })
}

/// Zero potentials, no spikes, no refractory neuron.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_reset(lsm: *mut NqLsm) -> NqStatus {
    guard(|| {
        unsafe { arg_mut(lsm, "lsm") }?.0.reset();
        Ok(())
    })
}

/// Copies the membrane potentials (`len == units` values) into `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_potential(lsm: *const NqLsm, buf: *mut f64, len: usize) -> NqStatus {
    guard(|| {
        let lsm = unsafe { arg_ref(lsm, "lsm") }?;
        let dst = OutSlice::new(buf, len, "buf")?;
        let v = lsm.0.potential();
        check::len("buf", v.len(), len).map_err(nq::Error::from)?;
        dst.write(v);
        Ok(())
    })
}

/// Number of neurons.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_units(lsm: *const NqLsm, out: *mut usize) -> NqStatus {
    read_handle(lsm, "lsm", out, |l: &NqLsm| Ok(l.0.units()))
}

/// Number of input channels.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_input_dim(lsm: *const NqLsm, out: *mut usize) -> NqStatus {
    read_handle(lsm, "lsm", out, |l: &NqLsm| Ok(l.0.params().input_dim))
}

/// Size in bytes of the serialized liquid (see `nq_lsm_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_serialized_size(lsm: *const NqLsm, out: *mut usize) -> NqStatus {
    read_handle(lsm, "lsm", out, |l: &NqLsm| Ok(l.0.to_bytes()?.len()))
}

/// Writes the liquid (weights, parameters, seed, potentials, spikes, refractory counters) in
/// the neuroquant container (kind `lsm`, readable from Rust and Python) to `buf`, which must
/// hold at least `nq_lsm_serialized_size` bytes; `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_to_bytes(
    lsm: *const NqLsm,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let lsm = unsafe { arg_ref(lsm, "lsm") }?;
        let written = Out::new(written, "written")?;
        let bytes = lsm.0.to_bytes()?;
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads a liquid written by `nq_lsm_to_bytes` (or Python's `LSM.to_bytes`), validating it; it
/// continues exactly where the saved one stopped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_lsm_from_bytes(buf: *const u8, len: usize, out: *mut *mut NqLsm) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqLsm(Lsm::from_bytes(bytes)?));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::NqStatus;

    fn last_message() -> String {
        let n = unsafe { crate::guard::nq_last_error_message(std::ptr::null_mut(), 0) };
        let mut buf = vec![0 as std::ffi::c_char; n + 1];
        unsafe { crate::guard::nq_last_error_message(buf.as_mut_ptr(), buf.len()) };
        buf[..n].iter().map(|&c| c as u8 as char).collect()
    }

    fn liquid(units: usize, input_dim: usize) -> *mut NqLsm {
        let mut p = NqLsmParams::defaults();
        p.units = units;
        p.input_dim = input_dim;
        p.seed = 5;
        p.has_seed = 1;
        let mut l = std::ptr::null_mut();
        assert_eq!(unsafe { nq_lsm_new(&p, &mut l) }, NqStatus::NQ_OK);
        l
    }

    #[test]
    fn packed_run_equals_the_dense_run_and_the_core() {
        // 70 channels: two words per step, the second partly padding.
        let (n, d, steps) = (130, 70, 25);
        let dense: Vec<u8> = (0..steps * d)
            .map(|i| u8::from((i * 7 + i / 3) % 5 == 0))
            .collect();
        let raster = SpikeRaster::from_dense(steps, d, &dense).unwrap();
        let (a, b) = (liquid(n, d), liquid(n, d));
        let mut out_dense = vec![0u8; steps * n];
        let mut out_words = vec![0u64; steps * n.div_ceil(64)];
        unsafe {
            assert_eq!(
                nq_lsm_run(
                    a,
                    dense.as_ptr(),
                    dense.len(),
                    out_dense.as_mut_ptr(),
                    out_dense.len(),
                    std::ptr::null()
                ),
                NqStatus::NQ_OK
            );
            let w = raster.on_words();
            assert_eq!(
                nq_lsm_run_packed(
                    b,
                    w.as_ptr(),
                    w.len(),
                    steps,
                    out_words.as_mut_ptr(),
                    out_words.len(),
                    std::ptr::null()
                ),
                NqStatus::NQ_OK
            );
        }
        let unpacked = SpikeRaster::from_words(steps, n, out_words, Vec::new())
            .unwrap()
            .to_dense::<u8>()
            .unwrap();
        let mut core = Lsm::new(LsmParams::default().units(n).input_dim(d).seed(5u64)).unwrap();
        let expected = core.run(&dense, steps).unwrap();
        assert!(expected.contains(&1), "the liquid fires");
        assert_eq!(out_dense, expected);
        assert_eq!(unpacked, expected);
        unsafe {
            assert_eq!((*a).0, core);
            assert_eq!((*b).0, core);
            nq_lsm_free(a);
            nq_lsm_free(b);
        }
    }

    #[test]
    fn bad_packed_rasters_are_refused_and_change_nothing() {
        let (n, d) = (10, 3);
        let l = liquid(n, d);
        let mut out = vec![0u64; 4];
        unsafe {
            let warm = [1u8, 0, 1, 1, 1, 1];
            let mut o = [0u8; 20];
            assert_eq!(
                nq_lsm_run(l, warm.as_ptr(), 6, o.as_mut_ptr(), 20, std::ptr::null()),
                NqStatus::NQ_OK
            );
            let before = (*l).0.clone();
            // A bit set past channel 2.
            let pad = [0b1001u64, 0, 0, 0];
            assert_eq!(
                nq_lsm_run_packed(l, pad.as_ptr(), 4, 4, out.as_mut_ptr(), 4, std::ptr::null()),
                NqStatus::NQ_INVALID_ARGUMENT
            );
            let msg = last_message();
            assert!(msg.contains("bits set past channel 2"), "{msg}");
            // Words for 3 steps, 4 claimed.
            let w = [1u64, 2, 4];
            assert_eq!(
                nq_lsm_run_packed(l, w.as_ptr(), 3, 4, out.as_mut_ptr(), 4, std::ptr::null()),
                NqStatus::NQ_DIMENSION_MISMATCH
            );
            let msg = last_message();
            assert!(msg.contains("words"), "{msg}");
            // An output buffer for 3 steps.
            let w = [1u64, 2, 4, 7];
            assert_eq!(
                nq_lsm_run_packed(l, w.as_ptr(), 4, 4, out.as_mut_ptr(), 3, std::ptr::null()),
                NqStatus::NQ_DIMENSION_MISMATCH
            );
            assert_eq!(
                nq_lsm_run_packed(l, std::ptr::null(), 4, 4, out.as_mut_ptr(), 4, std::ptr::null()),
                NqStatus::NQ_NULL_ARGUMENT
            );
            // Dense: a 2 in the raster, a ragged length.
            let bad = [0u8, 2, 0];
            assert_eq!(
                nq_lsm_run(l, bad.as_ptr(), 3, o.as_mut_ptr(), 10, std::ptr::null()),
                NqStatus::NQ_INVALID_ARGUMENT
            );
            assert_eq!(
                nq_lsm_run(l, bad.as_ptr(), 2, o.as_mut_ptr(), 10, std::ptr::null()),
                NqStatus::NQ_DIMENSION_MISMATCH
            );
            assert_eq!((*l).0, before);
            let mut p = NqLsmParams::defaults();
            p.reset = 9;
            let mut l2 = std::ptr::null_mut();
            assert_eq!(nq_lsm_new(&p, &mut l2), NqStatus::NQ_INVALID_ARGUMENT);
            p.reset = NQ_RESET_ZERO;
            p.beta = 1.5;
            assert_eq!(nq_lsm_new(&p, &mut l2), NqStatus::NQ_INVALID_ARGUMENT);
            assert!(l2.is_null());
            nq_lsm_free(l);
        }
    }

    unsafe extern "C" fn count_and_stop(userdata: *mut std::ffi::c_void) -> std::ffi::c_int {
        let calls = unsafe { &mut *(userdata as *mut u32) };
        *calls += 1;
        1
    }

    #[test]
    fn an_interrupt_stops_both_runs_with_nq_interrupted_and_changes_nothing() {
        let (n, d, steps) = (200, 4, 600);
        let l = liquid(n, d);
        let dense: Vec<u8> = (0..steps * d).map(|i| u8::from(i % 3 == 0)).collect();
        let raster = SpikeRaster::from_dense(steps, d, &dense).unwrap();
        let mut calls = 0u32;
        let mut c = crate::control::NqControl::defaults();
        c.interrupt = Some(count_and_stop);
        c.interrupt_userdata = (&mut calls as *mut u32).cast();
        let mut out = vec![0u8; steps * n];
        let mut words = vec![0u64; steps * n.div_ceil(64)];
        unsafe {
            assert_eq!(
                nq_lsm_run(l, dense.as_ptr(), 8, out.as_mut_ptr(), 2 * n, std::ptr::null()),
                NqStatus::NQ_OK
            );
            let before = (*l).0.clone();
            assert!((*l).0.steps_between_checks() < steps);
            assert_eq!(
                nq_lsm_run(l, dense.as_ptr(), dense.len(), out.as_mut_ptr(), out.len(), &c),
                NqStatus::NQ_INTERRUPTED
            );
            assert_eq!(calls, 1);
            assert_eq!((*l).0, before);
            let w = raster.on_words();
            assert_eq!(
                nq_lsm_run_packed(l, w.as_ptr(), w.len(), steps, words.as_mut_ptr(), words.len(), &c),
                NqStatus::NQ_INTERRUPTED
            );
            assert_eq!(calls, 2);
            assert_eq!((*l).0, before);
            nq_lsm_free(l);
        }
    }
}
