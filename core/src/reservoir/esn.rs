//! [`Esn`]: a reservoir with a ridge readout (ReservoirPy's `reservoir >> Ridge(...)` or
//! `ESN`), trained from many series with streamed statistics, stepped one sample at a time
//! without allocating, and run in closed loop (`forecast`, `generate`) with teacher forcing and
//! free run stated explicitly.

use super::error::ReservoirError;
use super::readout::Readout;
use super::reservoir::{Reservoir, ReservoirParams, Weights};
use super::ridge::{RidgeCv, RidgeStats, ridge_cv};
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;

params! {
    /// An echo state network: a reservoir and a ridge readout on its states (optionally with the
    /// input too, and with the readout's output fed back into the reservoir when fb_dim > 0).
    pub struct EsnParams {
        /// The reservoir.
        group reservoir: ReservoirParams = ReservoirParams::default(),
        /// Ridge (L2) penalty of the readout weights (the bias is not penalised), >= 0.
        keyword ridge: f64 = 0.0,
        /// Fit an unpenalised bias (intercept) in the readout.
        keyword fit_bias: bool = true,
        /// Feed the input to the readout beside the reservoir state (ReservoirPy's [input, reservoir] >> readout).
        keyword input_to_readout: bool = false,
    }
}

crate::params::params_container!(EsnParams, "esn_params");

impl EsnParams {
    fn check(&self) -> Result<()> {
        check::finite("ridge", self.ridge)?;
        if self.ridge < 0.0 {
            return Err(ArgumentError::Invalid {
                argument: "ridge",
                reason: format!("is {}, must be >= 0", self.ridge),
            }
            .into());
        }
        Ok(())
    }
}

/// One training series: `steps` rows of inputs (`steps × input_dim`) and targets
/// (`steps × outputs`), row-major.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// Inputs, `steps × input_dim`.
    pub inputs: &'a [f64],
    /// Targets, `steps × outputs`.
    pub targets: &'a [f64],
    /// Number of steps.
    pub steps: usize,
}

/// An echo state network; see [`EsnParams`].
///
/// ```
/// use neuroquant::reservoir::{Esn, EsnParams, ReservoirParams, Series};
/// let u: Vec<f64> = (0..300).map(|t| (t as f64 * 0.2).sin()).collect();
/// let params = EsnParams::default()
///     .reservoir(ReservoirParams::default().units(50).sr(0.9).lr(0.5).input_dim(1).seed(1))
///     .ridge(1e-6);
/// let mut esn = Esn::new(params, 1)?;
/// esn.fit(&[Series { inputs: &u[..299], targets: &u[1..], steps: 299 }], 50)?;
/// let next = esn.forecast(10)?;
/// assert!((next[0] - (300.0f64 * 0.2).sin()).abs() < 0.05);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Esn {
    pub(crate) params: EsnParams,
    pub(crate) reservoir: Reservoir,
    pub(crate) readout: Option<Readout>,
    pub(crate) outputs: usize,
    /// The last output (the feedback of the next step and the first closed-loop input).
    pub(crate) last_output: Vec<f64>,
    feats: Vec<f64>,
}

/// Equal parameters, reservoir, readout and last output (scratch space is not compared).
impl PartialEq for Esn {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.params,
            &self.reservoir,
            &self.readout,
            self.outputs,
            &self.last_output,
        ) == (&o.params, &o.reservoir, &o.readout, o.outputs, &o.last_output)
    }
}

impl Esn {
    /// An untrained network with `outputs` outputs and a reservoir drawn from `params`
    /// (`units` and `input_dim` required); with feedback `fb_dim` must equal `outputs`.
    pub fn new(params: EsnParams, outputs: usize) -> Result<Self> {
        Self::with_weights(params, Weights::default(), outputs)
    }

    /// As [`new`](Self::new) with injected reservoir weights.
    pub fn with_weights(params: EsnParams, weights: Weights, outputs: usize) -> Result<Self> {
        params.validate()?;
        let reservoir = Reservoir::with_weights(params.reservoir.clone(), weights)?;
        Self::from_reservoir(params, reservoir, outputs)
    }

    /// A network around an existing reservoir (its parameters replace `params.reservoir`).
    pub fn from_reservoir(mut params: EsnParams, reservoir: Reservoir, outputs: usize) -> Result<Self> {
        params.validate()?;
        if outputs == 0 {
            return Err(ArgumentError::Invalid {
                argument: "outputs",
                reason: "is 0, must be at least 1".into(),
            }
            .into());
        }
        check::at_most("outputs", outputs as u64, super::ridge::MAX_FEATURES as u64)?;
        if reservoir.fb_dim() != 0 {
            check::len("fb_dim", outputs, reservoir.fb_dim())?;
        }
        params.reservoir = reservoir.params().clone();
        let features = reservoir.units()
            + if params.input_to_readout {
                reservoir.input_dim()
            } else {
                0
            };
        check::at_most("units", features as u64, super::ridge::MAX_FEATURES as u64)?;
        Ok(Esn {
            params,
            feats: crate::alloc::filled("features", 0.0, features)?,
            last_output: crate::alloc::filled("outputs", 0.0, outputs)?,
            reservoir,
            readout: None,
            outputs,
        })
    }

    /// The parameters (the reservoir's resolved).
    pub fn params(&self) -> &EsnParams {
        &self.params
    }

    /// The reservoir.
    pub fn reservoir(&self) -> &Reservoir {
        &self.reservoir
    }

    /// The reservoir, mutably (to set or reset its state).
    pub fn reservoir_mut(&mut self) -> &mut Reservoir {
        &mut self.reservoir
    }

    /// The trained readout, if any.
    pub fn readout(&self) -> Option<&Readout> {
        self.readout.as_ref()
    }

    /// Replaces the readout (its shape must match the features and outputs).
    pub fn set_readout(&mut self, readout: Readout) -> Result<()> {
        check::len("Wout", self.features(), readout.features())?;
        check::len("bias", self.outputs, readout.outputs())?;
        self.readout = Some(readout);
        Ok(())
    }

    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// Number of readout features (units, plus the inputs with `input_to_readout`).
    pub fn features(&self) -> usize {
        self.feats.len()
    }

    /// The last output (fed back at the next step, and the first input of a closed loop).
    pub fn last_output(&self) -> &[f64] {
        &self.last_output
    }

    /// Sets the last output (for instance the last observed value before a forecast).
    pub fn set_last_output(&mut self, y: &[f64]) -> Result<()> {
        check::len("y", self.outputs, y.len())?;
        check::all_finite("y", y)?;
        self.last_output.copy_from_slice(y);
        Ok(())
    }

    /// Zeroes the reservoir state and the last output.
    pub fn reset(&mut self) {
        self.reservoir.reset();
        self.last_output.fill(0.0);
    }

    /// Reservoir step with feedback `fb`, then the features into `feats`; false if the state
    /// became non-finite (then nothing changed).
    #[inline]
    fn advance(&mut self, u: &[f64], fb_from_last: bool, fb: &[f64]) -> bool {
        let ok = if self.reservoir.fb_dim() == 0 {
            self.reservoir.advance(u, &[])
        } else if fb_from_last {
            let last = std::mem::take(&mut self.last_output);
            let ok = self.reservoir.advance(u, &last);
            self.last_output = last;
            ok
        } else {
            self.reservoir.advance(u, fb)
        };
        if ok {
            let x = self.reservoir.state();
            if self.params.input_to_readout {
                let d = u.len();
                self.feats[..d].copy_from_slice(u);
                self.feats[d..].copy_from_slice(x);
            } else {
                self.feats.copy_from_slice(x);
            }
        }
        ok
    }

    fn validate_series(&self, series: &[Series<'_>]) -> Result<()> {
        let (d, o) = (self.reservoir.input_dim(), self.outputs);
        for s in series {
            check::len_rows("inputs", "steps", s.steps, d, s.inputs.len())?;
            check::len_rows("targets", "steps", s.steps, o, s.targets.len())?;
            check::all_finite("inputs", s.inputs)?;
            check::all_finite("targets", s.targets)?;
        }
        Ok(())
    }

    /// Runs every series (teacher forcing: the feedback at step t is the target of step t−1)
    /// from the current state, and adds the features and targets after the first `warmup`
    /// steps of each series to the statistics of fold `fold_of(series, row)`.
    fn accumulate(
        &mut self,
        series: &[Series<'_>],
        warmup: usize,
        stats: &mut [RidgeStats],
        fold_of: &dyn Fn(usize, usize, usize) -> usize,
        control: &Control<'_>,
    ) -> Result<()> {
        self.validate_series(series)?;
        let (d, o, f) = (self.reservoir.input_dim(), self.outputs, self.features());
        const BATCH: usize = 1024;
        let mut xs: Vec<f64> = Vec::with_capacity(BATCH * f);
        let mut ys: Vec<f64> = Vec::with_capacity(BATCH * o);
        let mut current = usize::MAX;
        let per_check = (super::WORK_BETWEEN_CHECKS / (self.reservoir.w().nnz() + f).max(1)).max(1);
        let mut fb = vec![0.0; o];
        for (si, s) in series.iter().enumerate() {
            let kept = s.steps.saturating_sub(warmup);
            fb.copy_from_slice(&self.last_output);
            for t in 0..s.steps {
                if t % per_check == per_check - 1 && control.should_stop() {
                    return Err(ReservoirError::Stopped { what: "esn fit" }.into());
                }
                if !self.advance(&s.inputs[t * d..(t + 1) * d], false, &fb) {
                    return Err(ReservoirError::Diverged {
                        what: "esn fit",
                        step: t,
                    }
                    .into());
                }
                let target = &s.targets[t * o..(t + 1) * o];
                fb.copy_from_slice(target);
                if t < warmup {
                    continue;
                }
                let k = fold_of(si, t - warmup, kept);
                if k != current && !xs.is_empty() {
                    stats[current].add_with(&xs, &ys, xs.len() / f.max(1), control)?;
                    xs.clear();
                    ys.clear();
                }
                current = k;
                xs.extend_from_slice(&self.feats);
                ys.extend_from_slice(target);
                if xs.len() == BATCH * f {
                    stats[current].add_with(&xs, &ys, BATCH, control)?;
                    xs.clear();
                    ys.clear();
                }
            }
            self.last_output.copy_from_slice(&fb);
        }
        if !xs.is_empty() {
            stats[current].add_with(&xs, &ys, xs.len() / f.max(1), control)?;
        }
        Ok(())
    }

    /// Trains the readout on `series` (a list of independent series, each starting from the
    /// state left by the previous one, as ReservoirPy does), dropping the first `warmup` steps
    /// of every series. On error the network is unchanged.
    pub fn fit(&mut self, series: &[Series<'_>], warmup: usize) -> Result<()> {
        self.fit_with(series, warmup, &Control::default())
    }

    /// [`fit`](Self::fit) under `control`.
    pub fn fit_with(&mut self, series: &[Series<'_>], warmup: usize, control: &Control<'_>) -> Result<()> {
        let saved = self.clone();
        let result = (|| {
            let mut stats = [RidgeStats::new(self.features(), self.outputs)?];
            self.accumulate(series, warmup, &mut stats, &|_, _, _| 0, control)?;
            if stats[0].is_empty() {
                return Err(ReservoirError::NoSamples {
                    series: series.len(),
                    warmup,
                }
                .into());
            }
            self.readout = Some(stats[0].solve(self.params.ridge, self.params.fit_bias)?);
            Ok(())
        })();
        if result.is_err() {
            *self = saved;
        }
        result
    }

    /// Chooses the ridge value among `ridges` by `folds`-fold cross-validation (folds are whole
    /// series when there are at least `folds` series, else contiguous blocks of each series),
    /// then trains on everything with it (and stores it in the parameters).
    pub fn fit_cv(
        &mut self,
        series: &[Series<'_>],
        warmup: usize,
        ridges: &[f64],
        folds: usize,
        control: &Control<'_>,
    ) -> Result<RidgeCv> {
        if folds < 2 {
            return Err(ArgumentError::Invalid {
                argument: "folds",
                reason: format!("is {folds}, must be at least 2"),
            }
            .into());
        }
        check::at_most("folds", folds as u64, 1024)?;
        let saved = self.clone();
        let result = (|| {
            let mut stats = (0..folds)
                .map(|_| RidgeStats::new(self.features(), self.outputs))
                .collect::<Result<Vec<_>>>()?;
            let by_series = series.len() >= folds;
            let fold_of = move |s: usize, row: usize, kept: usize| {
                if by_series {
                    s % folds
                } else {
                    (row * folds / kept.max(1)).min(folds - 1)
                }
            };
            self.accumulate(series, warmup, &mut stats, &fold_of, control)?;
            let cv = ridge_cv(&stats, ridges, self.params.fit_bias, control)?;
            let mut all = RidgeStats::new(self.features(), self.outputs)?;
            for s in &stats {
                all.merge(s);
            }
            self.readout = Some(all.solve(cv.best, self.params.fit_bias)?);
            self.params.ridge = cv.best;
            Ok(cv)
        })();
        if result.is_err() {
            *self = saved;
        }
        result
    }

    fn readout_or_err(&self) -> Result<&Readout> {
        self.readout
            .as_ref()
            .ok_or_else(|| ReservoirError::NotFitted { what: "esn" }.into())
    }

    /// One step on input `u`: the reservoir advances (fed back the last output), the readout
    /// answers, and the answer becomes the last output. Allocates nothing.
    pub fn step(&mut self, u: &[f64]) -> Result<&[f64]> {
        self.readout_or_err()?;
        check::len("u", self.reservoir.input_dim(), u.len())?;
        check::all_finite("u", u)?;
        self.step_unchecked(u)?;
        Ok(&self.last_output)
    }

    #[inline]
    fn step_unchecked(&mut self, u: &[f64]) -> Result<()> {
        let saved_steps = self.reservoir.steps;
        if !self.advance(u, true, &[]) {
            return Err(ReservoirError::Diverged { what: "esn", step: 0 }.into());
        }
        let readout = self.readout.as_ref().expect("checked by the caller");
        let mut y = std::mem::take(&mut self.last_output);
        readout.apply(&self.feats, &mut y);
        let finite = y.iter().all(|v| v.is_finite());
        self.last_output = y;
        if !finite {
            let _ = saved_steps;
            return Err(ReservoirError::Diverged {
                what: "esn readout",
                step: 0,
            }
            .into());
        }
        Ok(())
    }

    /// The outputs for `steps` inputs (`steps × input_dim` → `steps × outputs`); the feedback
    /// is the network's own output (free run of the feedback). On error the network is unchanged.
    pub fn run(&mut self, inputs: &[f64], steps: usize) -> Result<Vec<f64>> {
        self.run_with(inputs, None, steps, &Control::default())
    }

    /// Runs `steps` inputs; with `forced_targets` (`steps × outputs`) the feedback at step t is
    /// the given target of step t−1 (teacher forcing) instead of the network's output.
    pub fn run_with(
        &mut self,
        inputs: &[f64],
        forced_targets: Option<&[f64]>,
        steps: usize,
        control: &Control<'_>,
    ) -> Result<Vec<f64>> {
        self.readout_or_err()?;
        let (d, o) = (self.reservoir.input_dim(), self.outputs);
        check::len_rows("inputs", "steps", steps, d, inputs.len())?;
        check::all_finite("inputs", inputs)?;
        if let Some(t) = forced_targets {
            check::len_rows("targets", "steps", steps, o, t.len())?;
            check::all_finite("targets", t)?;
        }
        let mut out = crate::alloc::filled("outputs", 0.0, steps.saturating_mul(o))?;
        let saved = (self.reservoir.clone(), self.last_output.clone());
        let per_check =
            (super::WORK_BETWEEN_CHECKS / (self.reservoir.w().nnz() + self.features()).max(1)).max(1);
        for t in 0..steps {
            let failed = if t % per_check == per_check - 1 && control.should_stop() {
                Some(ReservoirError::Stopped { what: "esn run" }.into())
            } else {
                self.step_unchecked(&inputs[t * d..(t + 1) * d]).err()
            };
            if let Some(e) = failed {
                (self.reservoir, self.last_output) = saved;
                return Err(match e {
                    crate::Error::Reservoir(ReservoirError::Diverged { what, .. }) => {
                        ReservoirError::Diverged { what, step: t }.into()
                    }
                    e => e,
                });
            }
            out[t * o..(t + 1) * o].copy_from_slice(&self.last_output);
            if let Some(targets) = forced_targets {
                self.last_output.copy_from_slice(&targets[t * o..(t + 1) * o]);
            }
        }
        Ok(out)
    }

    /// Closed loop for `horizon` steps (free run): each output is the next input, starting from
    /// the last output. Needs `outputs == input_dim`. Returns `horizon × outputs`; on error the
    /// network is unchanged.
    pub fn forecast(&mut self, horizon: usize) -> Result<Vec<f64>> {
        self.forecast_with(horizon, &Control::default())
    }

    /// [`forecast`](Self::forecast) under `control`.
    pub fn forecast_with(&mut self, horizon: usize, control: &Control<'_>) -> Result<Vec<f64>> {
        self.readout_or_err()?;
        let (d, o) = (self.reservoir.input_dim(), self.outputs);
        if d != o {
            return Err(ArgumentError::Invalid {
                argument: "horizon",
                reason: format!(
                    "a closed loop feeds the {o} outputs back as the {d} inputs, which needs outputs == input_dim"
                ),
            }
            .into());
        }
        let mut out = crate::alloc::filled("forecast", 0.0, horizon.saturating_mul(o))?;
        let saved = (self.reservoir.clone(), self.last_output.clone());
        let mut u = self.last_output.clone();
        let per_check =
            (super::WORK_BETWEEN_CHECKS / (self.reservoir.w().nnz() + self.features()).max(1)).max(1);
        for t in 0..horizon {
            let failed = if t % per_check == per_check - 1 && control.should_stop() {
                Some(crate::Error::from(ReservoirError::Stopped {
                    what: "esn forecast",
                }))
            } else {
                self.step_unchecked(&u).err()
            };
            if let Some(e) = failed {
                (self.reservoir, self.last_output) = saved;
                return Err(match e {
                    crate::Error::Reservoir(ReservoirError::Diverged { .. }) => ReservoirError::Diverged {
                        what: "esn forecast",
                        step: t,
                    }
                    .into(),
                    e => e,
                });
            }
            u.copy_from_slice(&self.last_output);
            out[t * o..(t + 1) * o].copy_from_slice(&self.last_output);
        }
        Ok(out)
    }

    /// Teacher-forced warm-up on `warmup_inputs` (`warmup_steps × input_dim`: the network runs
    /// on the true inputs, the last true input's successor is not needed), then `n` free-running
    /// closed-loop steps from the last warm-up output. Returns `n × outputs`.
    pub fn generate(&mut self, n: usize, warmup_inputs: &[f64], warmup_steps: usize) -> Result<Vec<f64>> {
        self.generate_with(n, warmup_inputs, warmup_steps, &Control::default())
    }

    /// [`generate`](Self::generate) under `control` (looked at during the warm-up and the free
    /// run); a stopped call returns [`ReservoirError::Stopped`] and leaves the network unchanged.
    pub fn generate_with(
        &mut self,
        n: usize,
        warmup_inputs: &[f64],
        warmup_steps: usize,
        control: &Control<'_>,
    ) -> Result<Vec<f64>> {
        let saved = self.clone();
        let result = (|| {
            if warmup_steps > 0 {
                self.run_with(warmup_inputs, None, warmup_steps, control)?;
            } else {
                check::len("warmup_inputs", 0, warmup_inputs.len())?;
            }
            self.forecast_with(n, control)
        })();
        if result.is_err() {
            *self = saved;
        }
        result
    }
}
