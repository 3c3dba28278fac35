//! Online readouts trained one sample at a time: recursive least squares with a forgetting
//! factor (ReservoirPy's `RLS`, same update order) and least mean squares, plain or normalised.

use super::controlled;
use super::readout::Readout;
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::{named_enum, params};

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

params! {
    /// Recursive least squares (ReservoirPy's RLS): P₀ = I/alpha, then per sample
    /// P ← (P − PxxᵀP/(λ + xᵀPx))/λ, e = Woutᵀx + b − y, Wout ← Wout − (Px)eᵀ, and the bias
    /// as the running (forgetting) mean of the error.
    pub struct RlsParams {
        /// Diagonal of the inverse initial correlation matrix: P₀ = I / alpha, > 0.
        keyword alpha: f64 = 1e-6,
        /// Forgetting factor λ in (0, 1] (1: no forgetting).
        keyword forgetting: f64 = 1.0,
        /// Learn a bias (intercept).
        keyword fit_bias: bool = true,
    }
}

impl RlsParams {
    fn check(&self) -> Result<()> {
        check::finite("alpha", self.alpha)?;
        if self.alpha <= 0.0 {
            return Err(invalid("alpha", format!("is {}, must be > 0", self.alpha)));
        }
        check::finite("forgetting", self.forgetting)?;
        if !(self.forgetting > 0.0 && self.forgetting <= 1.0) {
            return Err(invalid(
                "forgetting",
                format!("is {}, must be in (0, 1]", self.forgetting),
            ));
        }
        Ok(())
    }
}

crate::params::params_container!(RlsParams, "rls_params");

/// A recursive-least-squares readout; see [`RlsParams`]. Each `partial_fit` step costs
/// `O(D² + D·outputs)` and allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Rls {
    pub(crate) params: RlsParams,
    pub(crate) readout: Readout,
    /// `D × D`, row-major (symmetric).
    pub(crate) p: Vec<f64>,
    /// The forgetting-weighted sample count behind the bias.
    pub(crate) count: f64,
    px: Vec<f64>,
    err: Vec<f64>,
}

impl Rls {
    /// A readout with `features` inputs and `outputs` outputs, weights zero.
    pub fn new(params: RlsParams, features: usize, outputs: usize) -> Result<Self> {
        params.validate()?;
        check::at_most("features", features as u64, super::ridge::MAX_FEATURES as u64)?;
        check::at_most("outputs", outputs as u64, super::ridge::MAX_FEATURES as u64)?;
        let mut p = crate::alloc::filled("P", 0.0, features * features)?;
        for i in 0..features {
            p[i * features + i] = 1.0 / params.alpha;
        }
        Ok(Rls {
            readout: Readout::zeros(features, outputs)?,
            p,
            count: 0.0,
            px: vec![0.0; features],
            err: vec![0.0; outputs],
            params,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &RlsParams {
        &self.params
    }

    /// The current readout.
    pub fn readout(&self) -> &Readout {
        &self.readout
    }

    /// The inverse correlation matrix P (`features × features`, row-major).
    pub fn p(&self) -> &[f64] {
        &self.p
    }

    /// One update on the sample `(x, y)`; returns the prediction made before the update.
    pub fn partial_fit_one(&mut self, x: &[f64], y: &[f64], prediction: &mut [f64]) -> Result<()> {
        let (d, o) = (self.readout.features, self.readout.outputs);
        check::len("x", d, x.len())?;
        check::len("y", o, y.len())?;
        check::len("prediction", o, prediction.len())?;
        check::all_finite("x", x)?;
        check::all_finite("y", y)?;
        let lambda = self.params.forgetting;
        // Px and xᵀPx.
        for i in 0..d {
            let row = &self.p[i * d..(i + 1) * d];
            self.px[i] = row.iter().zip(x).map(|(a, b)| a * b).sum();
        }
        let xpx: f64 = x.iter().zip(&self.px).map(|(a, b)| a * b).sum();
        let denom = lambda + xpx;
        for i in 0..d {
            let pi = self.px[i];
            let row = &mut self.p[i * d..(i + 1) * d];
            for (j, v) in row.iter_mut().enumerate() {
                *v = (*v - pi * self.px[j] / denom) / lambda;
            }
        }
        // The gain P_new·x = Px / denom.
        self.readout.apply(x, prediction);
        for (e, (p, t)) in self.err.iter_mut().zip(prediction.iter().zip(y)) {
            *e = p - t;
        }
        for i in 0..d {
            let k = self.px[i] / denom;
            let row = &mut self.readout.wout[i * o..(i + 1) * o];
            row.iter_mut().zip(&self.err).for_each(|(w, e)| *w -= k * e);
        }
        if self.params.fit_bias {
            self.count = lambda * self.count + 1.0;
            let c = self.count;
            self.readout
                .bias
                .iter_mut()
                .zip(&self.err)
                .for_each(|(b, e)| *b = (c * *b - e) / c);
        }
        Ok(())
    }

    /// Updates on `rows` samples in order (`x`: `rows × features`, `y`: `rows × outputs`) and
    /// returns the predictions made before each update. Validates everything first.
    pub fn partial_fit(&mut self, x: &[f64], y: &[f64], rows: usize) -> Result<Vec<f64>> {
        self.partial_fit_with(x, y, rows, &Control::default())
    }

    /// [`partial_fit`](Self::partial_fit) under `control`: a stop (interrupt or deadline)
    /// returns `Stopped` and leaves the readout as it was before the call.
    pub fn partial_fit_with(
        &mut self,
        x: &[f64],
        y: &[f64],
        rows: usize,
        control: &Control<'_>,
    ) -> Result<Vec<f64>> {
        let (d, o) = (self.readout.features, self.readout.outputs);
        fit_rows(
            self,
            (d, o),
            x,
            y,
            rows,
            d * (d + o),
            control,
            "RLS partial_fit",
            |rls, xt, yt, pred| rls.partial_fit_one(xt, yt, pred),
        )
    }
}

/// Validates `rows` samples (`x`: `rows × d`, `y`: `rows × o`, finite), then runs `update(model,
/// x_t, y_t, prediction_t)` on each in order under `control` (see [`controlled`]: a stop leaves
/// `model` as it was) and returns the predictions.
#[allow(clippy::too_many_arguments)]
fn fit_rows<M: Clone>(
    model: &mut M,
    (d, o): (usize, usize),
    x: &[f64],
    y: &[f64],
    rows: usize,
    cost: usize,
    control: &Control<'_>,
    what: &'static str,
    mut update: impl FnMut(&mut M, &[f64], &[f64], &mut [f64]) -> Result<()>,
) -> Result<Vec<f64>> {
    check::len_rows("x", "rows", rows, d, x.len())?;
    check::len_rows("y", "rows", rows, o, y.len())?;
    check::all_finite("x", x)?;
    check::all_finite("y", y)?;
    let mut out = crate::alloc::filled("predictions", 0.0, rows.saturating_mul(o))?;
    controlled(model, rows, cost, control, what, |m, t| {
        update(
            m,
            &x[t * d..(t + 1) * d],
            &y[t * o..(t + 1) * o],
            &mut out[t * o..(t + 1) * o],
        )
    })?;
    Ok(out)
}

named_enum! {
    /// The step rule of a least-mean-squares readout.
    pub enum LmsRule("rule") {
        /// Wout ← Wout − η·x·eᵀ (ReservoirPy's LMS).
        Lms = "lms",
        /// Wout ← Wout − η·x·eᵀ / (ε + ‖x‖²): the step is scale-free, stable for 0 < η < 2.
        Nlms = "nlms",
    }
}

params! {
    /// Least-mean-squares readout (stochastic gradient on the squared error), plain or normalised.
    pub struct LmsParams {
        /// Learning rate η, > 0 (ReservoirPy's LMS default is 1e-6; for "nlms" 0.5 is a sane start).
        keyword learning_rate: f64 = 0.5,
        /// The step rule.
        keyword rule: LmsRule = LmsRule::Nlms,
        /// Regulariser ε of the normalised rule, >= 0.
        keyword eps: f64 = 1e-8,
        /// Learn a bias (intercept).
        keyword fit_bias: bool = true,
    }
}

impl LmsParams {
    fn check(&self) -> Result<()> {
        check::finite("learning_rate", self.learning_rate)?;
        if self.learning_rate <= 0.0 {
            return Err(invalid(
                "learning_rate",
                format!("is {}, must be > 0", self.learning_rate),
            ));
        }
        check::finite("eps", self.eps)?;
        if self.eps < 0.0 {
            return Err(invalid("eps", format!("is {}, must be >= 0", self.eps)));
        }
        Ok(())
    }
}

crate::params::params_container!(LmsParams, "lms_params");

/// A least-mean-squares readout; see [`LmsParams`]. `O(D·outputs)` per sample, no allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Lms {
    pub(crate) params: LmsParams,
    pub(crate) readout: Readout,
    err: Vec<f64>,
}

impl Lms {
    /// A readout with `features` inputs and `outputs` outputs, weights zero.
    pub fn new(params: LmsParams, features: usize, outputs: usize) -> Result<Self> {
        params.validate()?;
        Ok(Lms {
            readout: Readout::zeros(features, outputs)?,
            err: vec![0.0; outputs],
            params,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &LmsParams {
        &self.params
    }

    /// The current readout.
    pub fn readout(&self) -> &Readout {
        &self.readout
    }

    /// Updates on `rows` samples in order; returns the predictions made before each update.
    pub fn partial_fit(&mut self, x: &[f64], y: &[f64], rows: usize) -> Result<Vec<f64>> {
        self.partial_fit_with(x, y, rows, &Control::default())
    }

    /// [`partial_fit`](Self::partial_fit) under `control`: a stop (interrupt or deadline)
    /// returns `Stopped` and leaves the readout as it was before the call.
    pub fn partial_fit_with(
        &mut self,
        x: &[f64],
        y: &[f64],
        rows: usize,
        control: &Control<'_>,
    ) -> Result<Vec<f64>> {
        let (d, o) = (self.readout.features, self.readout.outputs);
        fit_rows(
            self,
            (d, o),
            x,
            y,
            rows,
            d * o.max(1),
            control,
            "LMS partial_fit",
            |lms, xt, yt, pred| {
                lms.update(xt, yt, pred);
                Ok(())
            },
        )
    }

    /// One update on the sample `(xt, yt)`, writing the prediction made before it.
    fn update(&mut self, xt: &[f64], yt: &[f64], pred: &mut [f64]) {
        let o = self.readout.outputs;
        self.readout.apply(xt, pred);
        for (e, (p, y)) in self.err.iter_mut().zip(pred.iter().zip(yt)) {
            *e = p - y;
        }
        let eta = match self.params.rule {
            LmsRule::Lms => self.params.learning_rate,
            LmsRule::Nlms => {
                let norm: f64 = xt.iter().map(|v| v * v).sum();
                self.params.learning_rate
                    / (self.params.eps + norm + if self.params.fit_bias { 1.0 } else { 0.0 })
            }
        };
        for (i, &xi) in xt.iter().enumerate() {
            let row = &mut self.readout.wout[i * o..(i + 1) * o];
            row.iter_mut()
                .zip(&self.err)
                .for_each(|(w, e)| *w -= eta * xi * e);
        }
        if self.params.fit_bias {
            self.readout
                .bias
                .iter_mut()
                .zip(&self.err)
                .for_each(|(b, e)| *b -= eta * e);
        }
    }
}
