//! Echo state networks from C (`NqReservoir`): create from parameters or load, train from
//! arrays, `nq_reservoir_step` one sample without allocating, run, forecast in closed loop,
//! save. Functions taking `const NqReservoir *` may be called concurrently; the others need
//! exclusive access.

use crate::control::{NqControl, with_control};
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{
    Failure, FfiResult, Out, OutSlice, arg_mut, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::status::NqStatus;
use nq::error::check;
use nq::params::KeywordArgs;
use nq::reservoir::{Activation, Distribution, Equation, Esn, EsnParams, NoiseType, Scaling, Series};

/// An echo state network (opaque): a reservoir and its readout, with the current state.
pub struct NqReservoir(pub(crate) Esn);

/// The reservoir's activation function (`uint32_t`).
pub type NqActivation = u32;
/// `tanh(x)`.
pub const NQ_ACTIVATION_TANH: NqActivation = 0 as NqActivation;
/// The logistic function `1 / (1 + exp(-x))`.
pub const NQ_ACTIVATION_SIGMOID: NqActivation = 1 as NqActivation;
/// `max(x, 0)`.
pub const NQ_ACTIVATION_RELU: NqActivation = 2 as NqActivation;
/// `ln(1 + exp(x))`.
pub const NQ_ACTIVATION_SOFTPLUS: NqActivation = 3 as NqActivation;
/// `x`.
pub const NQ_ACTIVATION_IDENTITY: NqActivation = 4 as NqActivation;

c_enum!(Activation {
    NQ_ACTIVATION_TANH => Activation::Tanh,
    NQ_ACTIVATION_SIGMOID => Activation::Sigmoid,
    NQ_ACTIVATION_RELU => Activation::Relu,
    NQ_ACTIVATION_SOFTPLUS => Activation::Softplus,
    NQ_ACTIVATION_IDENTITY => Activation::Identity,
});

/// Where the leak acts (`uint32_t`).
pub type NqEquation = u32;
/// `x' = (1 − lr)·x + lr·f(W·x + Win·u + Wfb·y + b)` (ReservoirPy 0.4's only form).
pub const NQ_EQUATION_INTERNAL: NqEquation = 0 as NqEquation;
/// `s' = (1 − lr)·s + lr·(W·x + Win·u + Wfb·y + b)`, `x' = f(s')`: the leak integrates the
/// pre-activations and the state is their image.
pub const NQ_EQUATION_EXTERNAL: NqEquation = 1 as NqEquation;

c_enum!(Equation {
    NQ_EQUATION_INTERNAL => Equation::Internal,
    NQ_EQUATION_EXTERNAL => Equation::External,
});

/// The distribution of generated weights (`uint32_t`).
pub type NqDistribution = u32;
/// Normal with mean 0 and standard deviation 1 (`mat_gen.normal`).
pub const NQ_DISTRIBUTION_NORMAL: NqDistribution = 0 as NqDistribution;
/// Uniform on [-1, 1) (`mat_gen.uniform`).
pub const NQ_DISTRIBUTION_UNIFORM: NqDistribution = 1 as NqDistribution;
/// -1 or +1 with probability 1/2 each (`mat_gen.bernoulli`).
pub const NQ_DISTRIBUTION_BERNOULLI: NqDistribution = 2 as NqDistribution;

c_enum!(Distribution {
    NQ_DISTRIBUTION_NORMAL => Distribution::Normal,
    NQ_DISTRIBUTION_UNIFORM => Distribution::Uniform,
    NQ_DISTRIBUTION_BERNOULLI => Distribution::Bernoulli,
});

/// The distribution of the noise (`uint32_t`).
pub type NqNoiseType = u32;
/// Standard normal.
pub const NQ_NOISE_NORMAL: NqNoiseType = 0 as NqNoiseType;
/// Uniform on [-1, 1).
pub const NQ_NOISE_UNIFORM: NqNoiseType = 1 as NqNoiseType;

c_enum!(NoiseType {
    NQ_NOISE_NORMAL => NoiseType::Normal,
    NQ_NOISE_UNIFORM => NoiseType::Uniform,
});

/// Parameters of an echo state network, with ReservoirPy's names and meanings. Initialise with
/// `nq_esn_params_default(&params, sizeof params)`, then set fields; a `has_*` flag of 0 leaves
/// the field before it at its default; a `*_per_element` array (with its `_len`), when not NULL,
/// gives one value per unit (per input or feedback feature for the scalings) instead of the
/// scalar before it. Pointers are read only during `nq_reservoir_new`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqEsnParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_esn_params_default`).
    pub struct_size: usize,
    /// Number of units N. None: taken from an injected W (required otherwise).
    pub units: usize,
    /// Non-zero: use `units`; 0: None.
    pub has_units: u8,
    /// Leak rate in (0, 1], one number or one per unit.
    pub lr: f64,
    /// Per-unit values of `lr` (NULL: the scalar).
    pub lr_per_element: *const f64,
    /// Values at `lr_per_element`.
    pub lr_per_element_len: usize,
    /// Spectral radius W is scaled to. None: W is used as drawn (an injected W is never scaled).
    pub sr: f64,
    /// Non-zero: use `sr`; 0: None.
    pub has_sr: u8,
    /// Scale of Win, one number or one per input feature (not applied to an injected Win).
    pub input_scaling: f64,
    /// Per-feature values of `input_scaling` (NULL: the scalar).
    pub input_scaling_per_element: *const f64,
    /// Values at `input_scaling_per_element`.
    pub input_scaling_per_element_len: usize,
    /// Fraction of the entries of Win that are non-zero, in (0, 1].
    pub input_connectivity: f64,
    /// Fraction of the entries of W that are non-zero, in (0, 1].
    pub rc_connectivity: f64,
    /// The bias added to every unit's pre-activation, one number or one per unit.
    pub bias: f64,
    /// Per-unit values of `bias` (NULL: the scalar).
    pub bias_per_element: *const f64,
    /// Values at `bias_per_element`.
    pub bias_per_element_len: usize,
    /// The activation function f.
    /// An NQ_ACTIVATION_* constant.
    pub activation: NqActivation,
    /// Where the leak acts: "internal" (on the state) or "external" (on the pre-activations).
    /// An NQ_EQUATION_* constant.
    pub equation: NqEquation,
    /// Distribution of the non-zero entries of a generated W.
    /// An NQ_DISTRIBUTION_* constant.
    pub w_init: NqDistribution,
    /// Distribution of the non-zero entries of a generated Win.
    /// An NQ_DISTRIBUTION_* constant.
    pub win_init: NqDistribution,
    /// Number of input features. None: taken from an injected Win, or from the first input.
    pub input_dim: usize,
    /// Non-zero: use `input_dim`; 0: None.
    pub has_input_dim: u8,
    /// Number of feedback features (the readout's outputs fed back through Wfb); 0: no feedback.
    pub fb_dim: usize,
    /// Scale of Wfb, one number or one per feedback feature.
    pub fb_scaling: f64,
    /// Per-feature values of `fb_scaling` (NULL: the scalar).
    pub fb_scaling_per_element: *const f64,
    /// Values at `fb_scaling_per_element`.
    pub fb_scaling_per_element_len: usize,
    /// Fraction of the entries of Wfb that are non-zero, in (0, 1].
    pub fb_connectivity: f64,
    /// Distribution of the non-zero entries of a generated Wfb.
    /// An NQ_DISTRIBUTION_* constant.
    pub fb_init: NqDistribution,
    /// Gain of the noise added to the state at every step (>= 0).
    pub noise_rc: f64,
    /// Gain of the noise added to the input at every step (>= 0).
    pub noise_in: f64,
    /// Gain of the noise added to the feedback at every step (>= 0).
    pub noise_fb: f64,
    /// Distribution of the noise.
    /// An NQ_NOISE_* constant.
    pub noise_type: NqNoiseType,
    /// Random seed of the weights and the noise. None: drawn from the operating system.
    pub seed: u64,
    /// Non-zero: use `seed`; 0: None.
    pub has_seed: u8,
    /// Ridge (L2) penalty of the readout weights (the bias is not penalised), >= 0.
    pub ridge: f64,
    /// Fit an unpenalised bias (intercept) in the readout.
    /// Non-zero: true.
    pub fit_bias: u8,
    /// Feed the input to the readout beside the reservoir state (ReservoirPy's [input, reservoir] >> readout).
    /// Non-zero: true.
    pub input_to_readout: u8,
}

fn scalar(s: &Scaling) -> f64 {
    match s {
        Scaling::Uniform(v) => *v,
        Scaling::PerElement(_) => 0.0,
    }
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqEsnParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = EsnParams::default();
        let r = &d.reservoir;
        NqEsnParams {
            struct_size: std::mem::size_of::<Self>(),
            units: r.units.unwrap_or(0),
            has_units: u8::from(r.units.is_some()),
            lr: scalar(&r.lr),
            lr_per_element: std::ptr::null(),
            lr_per_element_len: 0,
            sr: r.sr.unwrap_or(0.0),
            has_sr: u8::from(r.sr.is_some()),
            input_scaling: scalar(&r.input_scaling),
            input_scaling_per_element: std::ptr::null(),
            input_scaling_per_element_len: 0,
            input_connectivity: r.input_connectivity,
            rc_connectivity: r.rc_connectivity,
            bias: scalar(&r.bias),
            bias_per_element: std::ptr::null(),
            bias_per_element_len: 0,
            activation: r.activation.to_c(),
            equation: r.equation.to_c(),
            w_init: r.w_init.to_c(),
            win_init: r.win_init.to_c(),
            input_dim: r.input_dim.unwrap_or(0),
            has_input_dim: u8::from(r.input_dim.is_some()),
            fb_dim: r.fb_dim,
            fb_scaling: scalar(&r.fb_scaling),
            fb_scaling_per_element: std::ptr::null(),
            fb_scaling_per_element_len: 0,
            fb_connectivity: r.fb_connectivity,
            fb_init: r.fb_init.to_c(),
            noise_rc: r.noise_rc,
            noise_in: r.noise_in,
            noise_fb: r.noise_fb,
            noise_type: r.noise_type.to_c(),
            seed: r.seed.unwrap_or(0),
            has_seed: u8::from(r.seed.is_some()),
            ridge: d.ridge,
            fit_bias: u8::from(d.fit_bias),
            input_to_readout: u8::from(d.input_to_readout),
        }
    }
}

impl NqEsnParams {
    /// `name` = the scalar, or the per-element array when given.
    unsafe fn scaling(
        f: &mut Fields,
        name: &'static str,
        value: f64,
        per: *const f64,
        len: usize,
    ) -> FfiResult {
        if per.is_null() {
            if len != 0 {
                return Err(Failure::Null(name));
            }
            f.set(name, value)
        } else {
            let values = unsafe { arg_slice(per, len, name) }?;
            f.set(name, Scaling::PerElement(values.to_vec()))
        }
    }

    /// The core parameters, through the keywords Python uses too.
    pub(crate) unsafe fn to_core(self) -> FfiResult<EsnParams> {
        let mut f = Fields::default();
        f.opt("units", self.has_units, self.units)?;
        unsafe {
            Self::scaling(
                &mut f,
                "lr",
                self.lr,
                self.lr_per_element,
                self.lr_per_element_len,
            )
        }?;
        f.opt("sr", self.has_sr, self.sr)?;
        unsafe {
            Self::scaling(
                &mut f,
                "input_scaling",
                self.input_scaling,
                self.input_scaling_per_element,
                self.input_scaling_per_element_len,
            )
        }?;
        f.set("input_connectivity", self.input_connectivity)?;
        f.set("rc_connectivity", self.rc_connectivity)?;
        unsafe {
            Self::scaling(
                &mut f,
                "bias",
                self.bias,
                self.bias_per_element,
                self.bias_per_element_len,
            )
        }?;
        f.code::<Activation>("activation", self.activation)?;
        f.code::<Equation>("equation", self.equation)?;
        f.code::<Distribution>("w_init", self.w_init)?;
        f.code::<Distribution>("win_init", self.win_init)?;
        f.opt("input_dim", self.has_input_dim, self.input_dim)?;
        f.set("fb_dim", self.fb_dim)?;
        unsafe {
            Self::scaling(
                &mut f,
                "fb_scaling",
                self.fb_scaling,
                self.fb_scaling_per_element,
                self.fb_scaling_per_element_len,
            )
        }?;
        f.set("fb_connectivity", self.fb_connectivity)?;
        f.code::<Distribution>("fb_init", self.fb_init)?;
        f.set("noise_rc", self.noise_rc)?;
        f.set("noise_in", self.noise_in)?;
        f.set("noise_fb", self.noise_fb)?;
        f.code::<NoiseType>("noise_type", self.noise_type)?;
        f.opt("seed", self.has_seed, self.seed)?;
        f.set("ridge", self.ridge)?;
        f.flag("fit_bias", self.fit_bias)?;
        f.flag("input_to_readout", self.input_to_readout)?;
        Ok(EsnParams::from_keywords("esn", f.0)?)
    }
}

/// Writes the default parameters (ReservoirPy's defaults) into the caller's struct of
/// `struct_size` bytes (pass `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_esn_params_default(params: *mut NqEsnParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates an untrained network with `outputs` outputs; `units` and `input_dim` must be set.
/// The weights are drawn from the seed (W scaled to `sr` by a deterministic eigen-solver).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_new(
    params: *const NqEsnParams,
    outputs: usize,
    out: *mut *mut NqReservoir,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        let core = unsafe { p.to_core() }?;
        out_boxed(out, NqReservoir(Esn::new(core, outputs)?));
        Ok(())
    })
}

/// Frees a network. NULL is a no-op.
///
/// # Safety
/// `esn` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_free(esn: *mut NqReservoir) {
    unsafe { free_boxed(esn) }
}

/// Trains the readout on `num_series` series stored one after the other: `inputs` holds
/// `total_steps × input_dim` values and `targets` `total_steps × outputs` (row-major), series
/// `k` having `lengths[k]` steps (`lengths` NULL with `num_series` 0: one series of all the
/// steps). The first `warmup` steps of each series are not fitted; each series continues from
/// the state the previous left; with feedback the true previous target is fed back (teacher
/// forcing). `control` may be NULL. On failure the network is unchanged.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_reservoir_fit(
    esn: *mut NqReservoir,
    inputs: *const f64,
    inputs_len: usize,
    targets: *const f64,
    targets_len: usize,
    lengths: *const usize,
    num_series: usize,
    warmup: usize,
    control: *const NqControl,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_mut(esn, "esn") }?;
        let inputs = unsafe { arg_slice(inputs, inputs_len, "inputs") }?;
        let targets = unsafe { arg_slice(targets, targets_len, "targets") }?;
        let lengths = unsafe { arg_slice(lengths, num_series, "lengths") }?;
        let (d, o) = (esn.0.reservoir().input_dim(), esn.0.outputs());
        let total = inputs_len / d.max(1);
        check::len_rows("inputs", "steps", total, d, inputs_len).map_err(nq::Error::from)?;
        check::len_rows("targets", "steps", total, o, targets_len).map_err(nq::Error::from)?;
        let all = [total];
        let lengths = if lengths.is_empty() { &all[..] } else { lengths };
        let sum = lengths.iter().try_fold(0usize, |a, &l| a.checked_add(l));
        if sum != Some(total) {
            return Err(crate::convert::invalid(
                "lengths",
                format!("must add up to the {total} steps of inputs"),
            ));
        }
        let mut series = Vec::with_capacity(lengths.len());
        let mut start = 0;
        for &l in lengths {
            series.push(Series {
                inputs: &inputs[start * d..(start + l) * d],
                targets: &targets[start * o..(start + l) * o],
                steps: l,
            });
            start += l;
        }
        unsafe { with_control(control, |c| Ok(esn.0.fit_with(&series, warmup, c)?)) }
    })
}

/// One step on `u` (`u_len == input_dim` values): the reservoir advances, the readout answers
/// into `y` (`y_len == outputs`), and the answer is kept as the last output (fed back, and the
/// first input of a forecast). Allocates nothing; on failure `y` and the network are unchanged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_step(
    esn: *mut NqReservoir,
    u: *const f64,
    u_len: usize,
    y: *mut f64,
    y_len: usize,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_mut(esn, "esn") }?;
        let u = unsafe { arg_slice(u, u_len, "u") }?;
        let out = OutSlice::new(y, y_len, "y")?;
        check::len("y", esn.0.outputs(), y_len).map_err(nq::Error::from)?;
        out.write(esn.0.step(u)?);
        Ok(())
    })
}

/// Outputs for `steps = inputs_len / input_dim` inputs into `out` (`steps × outputs`,
/// row-major); the feedback, if any, is the network's own output. On failure nothing changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_run(
    esn: *mut NqReservoir,
    inputs: *const f64,
    inputs_len: usize,
    out: *mut f64,
    out_len: usize,
    control: *const NqControl,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_mut(esn, "esn") }?;
        let inputs = unsafe { arg_slice(inputs, inputs_len, "inputs") }?;
        let d = esn.0.reservoir().input_dim();
        let steps = inputs_len / d.max(1);
        check::len_rows("inputs", "steps", steps, d, inputs_len).map_err(nq::Error::from)?;
        let dst = OutSlice::new(out, out_len, "out")?;
        check::len_rows("out", "steps", steps, esn.0.outputs(), out_len).map_err(nq::Error::from)?;
        let y = unsafe { with_control(control, |c| Ok(esn.0.run_with(inputs, None, steps, c)?)) }?;
        dst.write(&y);
        Ok(())
    })
}

/// Free-running closed loop of `horizon` steps from the last output (needs outputs ==
/// input_dim) into `out` (`horizon × outputs`). On failure nothing changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_forecast(
    esn: *mut NqReservoir,
    horizon: usize,
    out: *mut f64,
    out_len: usize,
    control: *const NqControl,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_mut(esn, "esn") }?;
        let dst = OutSlice::new(out, out_len, "out")?;
        check::len_rows("out", "horizon", horizon, esn.0.outputs(), out_len).map_err(nq::Error::from)?;
        let y = unsafe { with_control(control, |c| Ok(esn.0.forecast_with(horizon, c)?)) }?;
        dst.write(&y);
        Ok(())
    })
}

/// Sets the last output (for instance the last observed value before a forecast).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_set_last_output(
    esn: *mut NqReservoir,
    y: *const f64,
    y_len: usize,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_mut(esn, "esn") }?;
        let y = unsafe { arg_slice(y, y_len, "y") }?;
        Ok(esn.0.set_last_output(y)?)
    })
}

/// Zeroes the reservoir state and the last output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_reset(esn: *mut NqReservoir) -> NqStatus {
    guard(|| {
        unsafe { arg_mut(esn, "esn") }?.0.reset();
        Ok(())
    })
}

/// Copies the reservoir state (`len == units` values) into `buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_state(esn: *const NqReservoir, buf: *mut f64, len: usize) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_ref(esn, "esn") }?;
        let dst = OutSlice::new(buf, len, "buf")?;
        let x = esn.0.reservoir().state();
        check::len("buf", x.len(), len).map_err(nq::Error::from)?;
        dst.write(x);
        Ok(())
    })
}

/// Number of units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_units(esn: *const NqReservoir, out: *mut usize) -> NqStatus {
    read_handle(esn, "esn", out, |e: &NqReservoir| Ok(e.0.reservoir().units()))
}

/// Number of inputs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_input_dim(esn: *const NqReservoir, out: *mut usize) -> NqStatus {
    read_handle(esn, "esn", out, |e: &NqReservoir| Ok(e.0.reservoir().input_dim()))
}

/// Number of outputs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_outputs(esn: *const NqReservoir, out: *mut usize) -> NqStatus {
    read_handle(esn, "esn", out, |e: &NqReservoir| Ok(e.0.outputs()))
}

/// Size in bytes of the serialized network (see `nq_reservoir_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_serialized_size(esn: *const NqReservoir, out: *mut usize) -> NqStatus {
    read_handle(esn, "esn", out, |e: &NqReservoir| Ok(e.0.to_bytes()?.len()))
}

/// Writes the network (weights, parameters, seed, state, last output) in the neuroquant
/// container (kind `esn`, readable from Rust and Python) to `buf`, which must hold at least
/// `nq_reservoir_serialized_size` bytes; `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_to_bytes(
    esn: *const NqReservoir,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let esn = unsafe { arg_ref(esn, "esn") }?;
        let written = Out::new(written, "written")?;
        let bytes = esn.0.to_bytes()?;
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads a network written by `nq_reservoir_to_bytes` (or Python's `ESN.to_bytes`),
/// validating it; it continues exactly where the saved one stopped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_reservoir_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqReservoir,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqReservoir(Esn::from_bytes(bytes)?));
        Ok(())
    })
}
