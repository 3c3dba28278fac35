//! The echo state network reservoir (ReservoirPy's `Reservoir`): seeded sparse weights or
//! injected ones, ReservoirPy 0.4's update with scalar or per-unit leak, the 'external'
//! equation, state/input/feedback noise and a feedback matrix, one step at a time without
//! allocating.

use super::activation::{Activation, Equation, NoiseType};
use super::csr::Csr;
use super::error::ReservoirError;
use super::init::{Distribution, random_sparse};
use super::scaling::Scaling;
use super::spectral_radius::{DEFAULT_MAX_RESTARTS, DEFAULT_TOL, spectral_radius};
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;
use crate::rng::{self, Rng};
use rand::RngExt as _;
use rand_distr::StandardNormal;

/// Largest number of units (and of input or feedback features) of a reservoir.
pub const MAX_UNITS: usize = 1 << 22;
/// The `rng::stream` index of the noise of step `t` is `NOISE_STREAM + t` (streams 0, 1, 2 draw
/// `W`, `Win` and `Wfb`).
pub const NOISE_STREAM: u64 = 3;

params! {
    /// An echo state network reservoir with ReservoirPy's parameters and update
    /// `x' = (1 − lr)·x + lr·f(W·x + Win·u + Wfb·y + bias)`.
    pub struct ReservoirParams {
        /// Number of units N. None: taken from an injected W (required otherwise).
        keyword units: Option<usize> = None,
        /// Leak rate in (0, 1], one number or one per unit.
        keyword lr: Scaling = Scaling::Uniform(1.0),
        /// Spectral radius W is scaled to. None: W is used as drawn (an injected W is never scaled).
        keyword sr: Option<f64> = None,
        /// Scale of Win, one number or one per input feature (not applied to an injected Win).
        keyword input_scaling: Scaling = Scaling::Uniform(1.0),
        /// Fraction of the entries of Win that are non-zero, in (0, 1].
        keyword input_connectivity: f64 = 0.1,
        /// Fraction of the entries of W that are non-zero, in (0, 1].
        keyword rc_connectivity: f64 = 0.1,
        /// The bias added to every unit's pre-activation, one number or one per unit.
        keyword bias: Scaling = Scaling::Uniform(0.0),
        /// The activation function f.
        keyword activation: Activation = Activation::Tanh,
        /// Where the leak acts: "internal" (on the state) or "external" (on the pre-activations).
        keyword equation: Equation = Equation::Internal,
        /// Distribution of the non-zero entries of a generated W.
        keyword w_init: Distribution = Distribution::Normal,
        /// Distribution of the non-zero entries of a generated Win.
        keyword win_init: Distribution = Distribution::Bernoulli,
        /// Number of input features. None: taken from an injected Win, or from the first input.
        keyword input_dim: Option<usize> = None,
        /// Number of feedback features (the readout's outputs fed back through Wfb); 0: no feedback.
        keyword fb_dim: usize = 0,
        /// Scale of Wfb, one number or one per feedback feature.
        keyword fb_scaling: Scaling = Scaling::Uniform(1.0),
        /// Fraction of the entries of Wfb that are non-zero, in (0, 1].
        keyword fb_connectivity: f64 = 0.1,
        /// Distribution of the non-zero entries of a generated Wfb.
        keyword fb_init: Distribution = Distribution::Bernoulli,
        /// Gain of the noise added to the state at every step (>= 0).
        keyword noise_rc: f64 = 0.0,
        /// Gain of the noise added to the input at every step (>= 0).
        keyword noise_in: f64 = 0.0,
        /// Gain of the noise added to the feedback at every step (>= 0).
        keyword noise_fb: f64 = 0.0,
        /// Distribution of the noise.
        keyword noise_type: NoiseType = NoiseType::Normal,
        /// Random seed of the weights and the noise. None: drawn from the operating system.
        keyword seed: Option<u64> = None,
    }
}

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

impl ReservoirParams {
    fn check(&self) -> Result<()> {
        if let Some(u) = self.units {
            if u == 0 {
                return Err(invalid("units", "is 0, must be at least 1".into()));
            }
            check::at_most("units", u as u64, MAX_UNITS as u64)?;
        }
        if let Some(d) = self.input_dim {
            check::at_most("input_dim", d as u64, MAX_UNITS as u64)?;
        }
        check::at_most("fb_dim", self.fb_dim as u64, MAX_UNITS as u64)?;
        self.lr.check("lr", "in (0, 1]", |v| v > 0.0 && v <= 1.0)?;
        if let Some(sr) = self.sr {
            check::finite("sr", sr)?;
            if sr <= 0.0 {
                return Err(invalid("sr", format!("is {sr}, must be > 0")));
            }
        }
        self.input_scaling.check("input_scaling", "finite", |_| true)?;
        self.fb_scaling.check("fb_scaling", "finite", |_| true)?;
        self.bias.check("bias", "finite", |_| true)?;
        for (name, c) in [
            ("input_connectivity", self.input_connectivity),
            ("rc_connectivity", self.rc_connectivity),
            ("fb_connectivity", self.fb_connectivity),
        ] {
            check::finite(name, c)?;
            if !(c > 0.0 && c <= 1.0) {
                return Err(invalid(name, format!("is {c}, must be in (0, 1]")));
            }
        }
        for (name, g) in [
            ("noise_rc", self.noise_rc),
            ("noise_in", self.noise_in),
            ("noise_fb", self.noise_fb),
        ] {
            check::finite(name, g)?;
            if g < 0.0 {
                return Err(invalid(name, format!("is {g}, must be >= 0")));
            }
        }
        Ok(())
    }
}

crate::params::params_container!(ReservoirParams, "reservoir_params");

/// Weights given by the caller instead of drawn (ReservoirPy's `W=`, `Win=` arrays): used as
/// they are, without `sr` or `input_scaling`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Weights {
    /// The recurrent matrix, `units × units`.
    pub w: Option<Csr>,
    /// The input matrix, `units × input_dim`.
    pub win: Option<Csr>,
    /// The feedback matrix, `units × fb_dim`.
    pub wfb: Option<Csr>,
}

impl Weights {
    /// No injected weights.
    pub fn new() -> Self {
        Weights::default()
    }

    /// With the recurrent matrix `w`.
    #[must_use]
    pub fn w(mut self, w: Csr) -> Self {
        self.w = Some(w);
        self
    }

    /// With the input matrix `win`.
    #[must_use]
    pub fn win(mut self, win: Csr) -> Self {
        self.win = Some(win);
        self
    }

    /// With the feedback matrix `wfb`.
    #[must_use]
    pub fn wfb(mut self, wfb: Csr) -> Self {
        self.wfb = Some(wfb);
        self
    }
}

/// An echo state network reservoir; see [`ReservoirParams`] for the update. Stepping allocates
/// nothing; `run` validates its whole input before changing the state.
///
/// ```
/// use neuroquant::reservoir::{Reservoir, ReservoirParams};
/// let mut r = Reservoir::new(ReservoirParams::default().units(50).sr(0.9).input_dim(1).seed(3))?;
/// let states = r.run(&[0.1, 0.2, 0.3], 3)?;
/// assert_eq!(states.len(), 3 * 50);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reservoir {
    pub(crate) params: ReservoirParams,
    pub(crate) seed: u64,
    pub(crate) w: Csr,
    pub(crate) win: Csr,
    pub(crate) wfb: Csr,
    pub(crate) bias: Vec<f64>,
    pub(crate) lr: Vec<f64>,
    /// The output state x.
    pub(crate) x: Vec<f64>,
    /// The leaky pre-activation s ('external' equation only; empty otherwise).
    pub(crate) s: Vec<f64>,
    /// Steps taken so far (indexes the noise streams).
    pub(crate) steps: u64,
    next: Vec<f64>,
    tmp: Vec<f64>,
    u_noisy: Vec<f64>,
    fb_noisy: Vec<f64>,
}

/// Equal weights, parameters, seed, state and step count (scratch space is not compared).
impl PartialEq for Reservoir {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.params,
            self.seed,
            &self.w,
            &self.win,
            &self.wfb,
            &self.bias,
            &self.lr,
            &self.x,
            &self.s,
            self.steps,
        ) == (
            &o.params, o.seed, &o.w, &o.win, &o.wfb, &o.bias, &o.lr, &o.x, &o.s, o.steps,
        )
    }
}

fn missing(argument: &'static str, reason: &str) -> crate::Error {
    invalid(argument, format!("is None: {reason}"))
}

impl Reservoir {
    /// A reservoir with weights drawn from `params` (`units` and `input_dim` are required).
    pub fn new(params: ReservoirParams) -> Result<Self> {
        Self::with_weights(params, Weights::default())
    }

    /// A reservoir using the weights in `weights` where given and drawing the others.
    pub fn with_weights(params: ReservoirParams, weights: Weights) -> Result<Self> {
        Self::with_weights_control(params, weights, &Control::default())
    }

    /// [`with_weights`](Self::with_weights) under `control` (the spectral-radius solve can be
    /// long for large reservoirs).
    pub fn with_weights_control(
        params: ReservoirParams,
        weights: Weights,
        control: &Control<'_>,
    ) -> Result<Self> {
        params.validate()?;
        let units = match (&weights.w, params.units) {
            (Some(w), u) => {
                check::len("W", w.rows(), w.cols())?;
                if let Some(u) = u {
                    check::len("W", u, w.rows())?;
                }
                w.rows()
            }
            (None, Some(u)) => u,
            (None, None) => return Err(missing("units", "give units or an injected W")),
        };
        if units == 0 {
            return Err(invalid("units", "is 0, must be at least 1".into()));
        }
        check::at_most("units", units as u64, MAX_UNITS as u64)?;
        let input_dim = match (&weights.win, params.input_dim) {
            (Some(win), d) => {
                check::len("Win", units, win.rows())?;
                if let Some(d) = d {
                    check::len("Win", d, win.cols())?;
                }
                win.cols()
            }
            (None, Some(d)) => d,
            (None, None) => return Err(missing("input_dim", "give input_dim or an injected Win")),
        };
        check::at_most("input_dim", input_dim as u64, MAX_UNITS as u64)?;
        let fb_dim = match &weights.wfb {
            Some(wfb) => {
                check::len("Wfb", units, wfb.rows())?;
                if params.fb_dim != 0 {
                    check::len("Wfb", params.fb_dim, wfb.cols())?;
                }
                wfb.cols()
            }
            None => params.fb_dim,
        };
        let seed = rng::resolve_seed(params.seed);
        let lr = params.lr.expand("lr", units)?;
        let bias = params.bias.expand("bias", units)?;
        let w = match weights.w {
            Some(w) => w,
            None => {
                let mut w = random_sparse(
                    "W",
                    units,
                    units,
                    params.rc_connectivity,
                    params.w_init,
                    &mut rng::stream(seed, 0),
                )?;
                if let Some(sr) = params.sr {
                    let rho = spectral_radius(&w, DEFAULT_TOL, DEFAULT_MAX_RESTARTS, control)?;
                    if rho == 0.0 {
                        return Err(ReservoirError::SpectralRadius {
                            sr,
                            reason: "the drawn W has spectral radius 0 (raise units or rc_connectivity)"
                                .into(),
                        }
                        .into());
                    }
                    w.scale(sr / rho);
                }
                w
            }
        };
        let win = match weights.win {
            Some(win) => win,
            None => {
                let scale = params.input_scaling.expand("input_scaling", input_dim)?;
                let mut win = random_sparse(
                    "Win",
                    units,
                    input_dim,
                    params.input_connectivity,
                    params.win_init,
                    &mut rng::stream(seed, 1),
                )?;
                win.scale_columns(&scale);
                win
            }
        };
        let wfb = match weights.wfb {
            Some(wfb) => wfb,
            None if fb_dim == 0 => Csr::zeros(units, 0)?,
            None => {
                let scale = params.fb_scaling.expand("fb_scaling", fb_dim)?;
                let mut wfb = random_sparse(
                    "Wfb",
                    units,
                    fb_dim,
                    params.fb_connectivity,
                    params.fb_init,
                    &mut rng::stream(seed, 2),
                )?;
                wfb.scale_columns(&scale);
                wfb
            }
        };
        let mut params = params;
        params.units = Some(units);
        params.input_dim = Some(input_dim);
        params.fb_dim = fb_dim;
        params.seed = Some(seed);
        Self::assemble(params, seed, w, win, wfb, bias, lr)
    }

    pub(crate) fn assemble(
        params: ReservoirParams,
        seed: u64,
        w: Csr,
        win: Csr,
        wfb: Csr,
        bias: Vec<f64>,
        lr: Vec<f64>,
    ) -> Result<Self> {
        let units = w.rows();
        let external = params.equation == Equation::External;
        Ok(Reservoir {
            x: crate::alloc::filled("state", 0.0, units)?,
            s: if external {
                crate::alloc::filled("state", 0.0, units)?
            } else {
                Vec::new()
            },
            next: crate::alloc::filled("state", 0.0, units)?,
            tmp: crate::alloc::filled("state", 0.0, units)?,
            u_noisy: crate::alloc::filled("input", 0.0, win.cols())?,
            fb_noisy: crate::alloc::filled("feedback", 0.0, wfb.cols())?,
            params,
            seed,
            w,
            win,
            wfb,
            bias,
            lr,
            steps: 0,
        })
    }

    /// The parameters, with `units`, `input_dim`, `fb_dim` and `seed` resolved.
    pub fn params(&self) -> &ReservoirParams {
        &self.params
    }

    /// The seed used (passing it back draws the same weights and noise).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of units N.
    pub fn units(&self) -> usize {
        self.w.rows()
    }

    /// Number of input features.
    pub fn input_dim(&self) -> usize {
        self.win.cols()
    }

    /// Number of feedback features (0: no feedback).
    pub fn fb_dim(&self) -> usize {
        self.wfb.cols()
    }

    /// The recurrent matrix W (`units × units`).
    pub fn w(&self) -> &Csr {
        &self.w
    }

    /// The input matrix Win (`units × input_dim`).
    pub fn win(&self) -> &Csr {
        &self.win
    }

    /// The feedback matrix Wfb (`units × fb_dim`).
    pub fn wfb(&self) -> &Csr {
        &self.wfb
    }

    /// The bias of each unit.
    pub fn bias(&self) -> &[f64] {
        &self.bias
    }

    /// The leak rate of each unit.
    pub fn lr(&self) -> &[f64] {
        &self.lr
    }

    /// The current state x (the reservoir's output).
    pub fn state(&self) -> &[f64] {
        &self.x
    }

    /// The leaky pre-activation s of the 'external' equation (empty for 'internal').
    pub fn internal_state(&self) -> &[f64] {
        &self.s
    }

    /// Steps taken since creation (the noise of step `t` comes from `rng::stream(seed, 3 + t)`).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Sets the state x (and, for the 'external' equation, s = x unless given by
    /// [`set_internal_state`](Self::set_internal_state)).
    pub fn set_state(&mut self, x: &[f64]) -> Result<()> {
        check::len("state", self.units(), x.len())?;
        check::all_finite("state", x)?;
        self.x.copy_from_slice(x);
        if !self.s.is_empty() {
            self.s.copy_from_slice(x);
        }
        Ok(())
    }

    /// Sets the 'external' equation's pre-activation state s.
    pub fn set_internal_state(&mut self, s: &[f64]) -> Result<()> {
        if self.s.is_empty() {
            return Err(invalid(
                "state",
                "the 'internal' equation has no separate internal state".into(),
            ));
        }
        check::len("state", self.units(), s.len())?;
        check::all_finite("state", s)?;
        self.s.copy_from_slice(s);
        Ok(())
    }

    /// Zeroes the state (the noise stream position is kept).
    pub fn reset(&mut self) {
        self.x.fill(0.0);
        self.s.fill(0.0);
    }

    /// One step on input `u` (`input_dim` values) and feedback `fb` (`fb_dim` values, empty
    /// without feedback); returns the new state. Allocates nothing. A non-finite input or a
    /// non-finite result is an error and leaves the state unchanged.
    pub fn step(&mut self, u: &[f64], fb: &[f64]) -> Result<&[f64]> {
        check::len("u", self.input_dim(), u.len())?;
        check::len("fb", self.fb_dim(), fb.len())?;
        check::all_finite("u", u)?;
        check::all_finite("fb", fb)?;
        if !self.advance(u, fb) {
            return Err(ReservoirError::Diverged {
                what: "reservoir",
                step: 0,
            }
            .into());
        }
        Ok(&self.x)
    }

    /// The kernel: computes the next state into `next`, and commits it (returning true) only
    /// when it is finite. Cost: one multiply-add per stored weight, one activation per unit.
    #[inline]
    pub(crate) fn advance(&mut self, u: &[f64], fb: &[f64]) -> bool {
        let p = &self.params;
        let noisy = p.noise_in != 0.0 || p.noise_fb != 0.0 || p.noise_rc != 0.0;
        let mut rng = if noisy {
            Some(rng::stream(self.seed, NOISE_STREAM.wrapping_add(self.steps)))
        } else {
            None
        };
        let (u, fb) = match rng.as_mut() {
            Some(r) => {
                let kind = p.noise_type;
                let (gi, gf) = (p.noise_in, p.noise_fb);
                for (d, &s) in self.u_noisy.iter_mut().zip(u) {
                    *d = if gi != 0.0 { s + gi * noise(kind, r) } else { s };
                }
                for (d, &s) in self.fb_noisy.iter_mut().zip(fb) {
                    *d = if gf != 0.0 { s + gf * noise(kind, r) } else { s };
                }
                (&self.u_noisy[..], &self.fb_noisy[..])
            }
            None => (u, fb),
        };
        // pre = W·x + Win·u (+ Wfb·fb) + bias, in numpy's order of additions.
        self.w.matvec(&self.x, &mut self.next);
        self.win.matvec(u, &mut self.tmp);
        self.next.iter_mut().zip(&self.tmp).for_each(|(a, b)| *a += b);
        if !fb.is_empty() {
            self.wfb.matvec(fb, &mut self.tmp);
            self.next.iter_mut().zip(&self.tmp).for_each(|(a, b)| *a += b);
        }
        self.next.iter_mut().zip(&self.bias).for_each(|(a, b)| *a += b);
        let f = p.activation;
        let g = p.noise_rc;
        let mut finite = true;
        match p.equation {
            Equation::Internal if f == Activation::Tanh && g == 0.0 => {
                // The hot path: activations in one vectorised pass, then the leak.
                finite = super::activation::tanh_leak(&mut self.next, &self.x, &self.lr);
                if finite {
                    std::mem::swap(&mut self.x, &mut self.next);
                }
            }
            Equation::Internal => {
                for i in 0..self.next.len() {
                    let lr = self.lr[i];
                    let mut v = (1.0 - lr) * self.x[i] + lr * f.apply(self.next[i]);
                    if let Some(r) = rng.as_mut().filter(|_| g != 0.0) {
                        v += g * noise(p.noise_type, r);
                    }
                    finite &= v.is_finite();
                    self.next[i] = v;
                }
                if finite {
                    std::mem::swap(&mut self.x, &mut self.next);
                }
            }
            Equation::External => {
                for i in 0..self.next.len() {
                    let lr = self.lr[i];
                    let mut v = (1.0 - lr) * self.s[i] + lr * self.next[i];
                    if let Some(r) = rng.as_mut().filter(|_| g != 0.0) {
                        v += g * noise(p.noise_type, r);
                    }
                    self.tmp[i] = f.apply(v);
                    finite &= self.tmp[i].is_finite() && v.is_finite();
                    self.next[i] = v;
                }
                if finite {
                    std::mem::swap(&mut self.s, &mut self.next);
                    std::mem::swap(&mut self.x, &mut self.tmp);
                }
            }
        }
        if finite {
            self.steps = self.steps.wrapping_add(1);
        }
        finite
    }

    /// Runs `steps` steps on the row-major `steps × input_dim` array `inputs` and returns the
    /// `steps × units` states. See [`run_into`](Self::run_into).
    pub fn run(&mut self, inputs: &[f64], steps: usize) -> Result<Vec<f64>> {
        self.run_with(inputs, steps, &Control::default())
    }

    /// [`run`](Self::run) under `control` (looked at about every millisecond of work; a stopped
    /// run returns [`ReservoirError::Stopped`], kind `Interrupted`, with the state unchanged).
    pub fn run_with(&mut self, inputs: &[f64], steps: usize, control: &Control<'_>) -> Result<Vec<f64>> {
        check::len_rows("inputs", "steps", steps, self.input_dim(), inputs.len())?;
        let len = steps.checked_mul(self.units()).ok_or_else(|| {
            crate::Error::from(ArgumentError::TooLarge {
                argument: "steps",
                requested: steps as u64,
                limit: (usize::MAX / self.units()) as u64,
            })
        })?;
        let mut out = crate::alloc::filled("states", 0.0, len)?;
        self.run_into(inputs, &[], steps, &mut out, control)?;
        Ok(out)
    }

    /// Runs `steps` steps on `inputs` (`steps × input_dim`, row-major) with feedback `fb`
    /// (`steps × fb_dim`, or empty without feedback) and writes the states into `out`
    /// (`steps × units`). The inputs are validated before the first step; if the state becomes
    /// non-finite or `control` stops the run, the reservoir returns to its state before the
    /// call and nothing is claimed of `out`.
    pub fn run_into(
        &mut self,
        inputs: &[f64],
        fb: &[f64],
        steps: usize,
        out: &mut [f64],
        control: &Control<'_>,
    ) -> Result<()> {
        let (n, d, k) = (self.units(), self.input_dim(), self.fb_dim());
        check::len_rows("inputs", "steps", steps, d, inputs.len())?;
        if k > 0 {
            check::len_rows("fb", "steps", steps, k, fb.len())?;
        } else {
            check::len("fb", 0, fb.len())?;
        }
        check::len_rows("out", "steps", steps, n, out.len())?;
        check::all_finite("inputs", inputs)?;
        check::all_finite("fb", fb)?;
        let saved = (self.x.clone(), self.s.clone(), self.steps);
        let per_check = (super::WORK_BETWEEN_CHECKS / (self.w.nnz() + n).max(1)).max(1);
        for t in 0..steps {
            if t % per_check == 0 && t > 0 && control.should_stop() {
                (self.x, self.s, self.steps) = saved;
                return Err(ReservoirError::Stopped {
                    what: "reservoir run",
                }
                .into());
            }
            let fb_t = if k > 0 { &fb[t * k..(t + 1) * k] } else { &[][..] };
            if !self.advance(&inputs[t * d..(t + 1) * d], fb_t) {
                (self.x, self.s, self.steps) = saved;
                return Err(ReservoirError::Diverged {
                    what: "reservoir",
                    step: t,
                }
                .into());
            }
            out[t * n..(t + 1) * n].copy_from_slice(&self.x);
        }
        Ok(())
    }
}

#[inline]
fn noise(kind: NoiseType, rng: &mut Rng) -> f64 {
    match kind {
        NoiseType::Normal => rng.sample(StandardNormal),
        NoiseType::Uniform => rng.random_range(-1.0..1.0),
    }
}
