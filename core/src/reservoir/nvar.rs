//! Next-generation reservoir computing (Gauthier et al. 2021): the features of a nonlinear
//! vector autoregression, `[1?, x_t, x_{t−s}, …, x_{t−(k−1)s}, monomials of order n]`, in
//! ReservoirPy's `NVAR` order, with an optional constant term and input standardisation.

use super::controlled;
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;

/// Largest number of NVAR features.
pub const MAX_NVAR_FEATURES: usize = 1 << 20;

params! {
    /// Nonlinear vector autoregression features (ReservoirPy's NVAR): the input and its delays,
    /// then every unique monomial of the given order of those linear features (itertools'
    /// combinations_with_replacement order), optionally preceded by a constant 1.
    pub struct NvarParams {
        /// Number of delayed copies k of the input in the linear features (>= 1).
        keyword delay: usize = 2,
        /// Order n of the monomials (>= 1).
        keyword order: usize = 2,
        /// Steps s between delayed copies (>= 1).
        keyword strides: usize = 1,
        /// Prepend a constant feature 1 (ReservoirPy has none; its Ridge bias plays that role).
        keyword constant: bool = false,
        /// Number of input features. None: from the first input.
        keyword input_dim: Option<usize> = None,
    }
}

crate::params::params_container!(NvarParams, "nvar_params");

impl NvarParams {
    fn check(&self) -> Result<()> {
        for (name, v) in [
            ("delay", self.delay),
            ("order", self.order),
            ("strides", self.strides),
        ] {
            if v == 0 {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: "is 0, must be at least 1".into(),
                }
                .into());
            }
        }
        Ok(())
    }
}

fn binomial(n: u128, k: u128) -> u128 {
    let mut r: u128 = 1;
    for i in 0..k {
        r = r.saturating_mul(n - i) / (i + 1);
    }
    r
}

/// NVAR features of a stream; see [`NvarParams`]. Each step costs one product per monomial
/// factor and allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Nvar {
    pub(crate) params: NvarParams,
    pub(crate) input_dim: usize,
    /// The last `delay·strides` inputs, newest first, row-major.
    pub(crate) store: Vec<f64>,
    /// Input standardisation `(x − mean) / scale` (identity by default).
    pub(crate) mean: Vec<f64>,
    pub(crate) scale: Vec<f64>,
    monomials: Vec<u32>,
    linear: Vec<f64>,
    out: Vec<f64>,
}

impl Nvar {
    /// NVAR features of `params.input_dim` inputs (required).
    pub fn new(params: NvarParams) -> Result<Self> {
        params.validate()?;
        let d = params.input_dim.ok_or_else(|| ArgumentError::Invalid {
            argument: "input_dim",
            reason: "is None: give input_dim".into(),
        })?;
        if d == 0 {
            return Err(ArgumentError::Invalid {
                argument: "input_dim",
                reason: "is 0, must be at least 1".into(),
            }
            .into());
        }
        let lin = (d as u128) * params.delay as u128;
        let nonlin = binomial(lin + params.order as u128 - 1, params.order as u128);
        let total = lin + nonlin + u128::from(params.constant);
        check::at_most_implied("delay", params.delay as u64, |_| total, MAX_NVAR_FEATURES as u128).map_err(
            |_| ArgumentError::TooLarge {
                argument: "delay",
                requested: total.min(u64::MAX as u128) as u64,
                limit: MAX_NVAR_FEATURES as u64,
            },
        )?;
        let (lin, nonlin) = (lin as usize, nonlin as usize);
        let order = params.order;
        let mut monomials = Vec::with_capacity(nonlin * order);
        let mut idx = vec![0u32; order];
        loop {
            monomials.extend_from_slice(&idx);
            // Next combination with replacement, lexicographic.
            let mut i = order;
            while i > 0 && idx[i - 1] as usize == lin - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            let v = idx[i - 1] + 1;
            idx[i - 1..].iter_mut().for_each(|x| *x = v);
        }
        debug_assert_eq!(monomials.len(), nonlin * order);
        Ok(Nvar {
            store: vec![0.0; params.delay * params.strides * d],
            mean: vec![0.0; d],
            scale: vec![1.0; d],
            monomials,
            linear: vec![0.0; lin],
            out: vec![0.0; total as usize],
            input_dim: d,
            params,
        })
    }

    /// The parameters.
    pub fn params(&self) -> &NvarParams {
        &self.params
    }

    /// Number of input features.
    pub fn input_dim(&self) -> usize {
        self.input_dim
    }

    /// Number of output features: constant + `k·d` linear + `C(k·d + n − 1, n)` monomials.
    pub fn output_dim(&self) -> usize {
        self.out.len()
    }

    /// Sets the standardisation `(x − mean) / scale` applied to every input.
    pub fn set_standardization(&mut self, mean: &[f64], scale: &[f64]) -> Result<()> {
        check::len("mean", self.input_dim, mean.len())?;
        check::len("scale", self.input_dim, scale.len())?;
        check::all_finite("mean", mean)?;
        check::all_finite("scale", scale)?;
        if let Some(i) = scale.iter().position(|s| *s <= 0.0) {
            return Err(ArgumentError::Invalid {
                argument: "scale",
                reason: format!("element {i} is {}, must be > 0", scale[i]),
            }
            .into());
        }
        self.mean.copy_from_slice(mean);
        self.scale.copy_from_slice(scale);
        Ok(())
    }

    /// Sets the standardisation to the mean and standard deviation of each column of `x`
    /// (`rows × input_dim`); a constant column keeps scale 1.
    pub fn fit_standardization(&mut self, x: &[f64], rows: usize) -> Result<()> {
        let d = self.input_dim;
        check::len_rows("x", "rows", rows, d, x.len())?;
        check::all_finite("x", x)?;
        if rows == 0 {
            return Err(ArgumentError::Invalid {
                argument: "x",
                reason: "is empty".into(),
            }
            .into());
        }
        let mut mean = vec![0.0; d];
        let mut scale = vec![0.0; d];
        for j in 0..d {
            let m = (0..rows).map(|t| x[t * d + j]).sum::<f64>() / rows as f64;
            let v = (0..rows).map(|t| (x[t * d + j] - m).powi(2)).sum::<f64>() / rows as f64;
            mean[j] = m;
            scale[j] = if v > 0.0 { v.sqrt() } else { 1.0 };
        }
        self.set_standardization(&mean, &scale)
    }

    /// The standardisation mean.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The standardisation scale.
    pub fn scale(&self) -> &[f64] {
        &self.scale
    }

    /// Clears the delay line.
    pub fn reset(&mut self) {
        self.store.fill(0.0);
    }

    /// One step: pushes `u` into the delay line and returns the features.
    pub fn step(&mut self, u: &[f64]) -> Result<&[f64]> {
        check::len("u", self.input_dim, u.len())?;
        check::all_finite("u", u)?;
        self.advance(u);
        Ok(&self.out)
    }

    #[inline]
    pub(crate) fn advance(&mut self, u: &[f64]) {
        let d = self.input_dim;
        let len = self.store.len();
        self.store.copy_within(0..len - d, d);
        for j in 0..d {
            self.store[j] = (u[j] - self.mean[j]) / self.scale[j];
        }
        let stride = self.params.strides * d;
        for k in 0..self.params.delay {
            self.linear[k * d..(k + 1) * d].copy_from_slice(&self.store[k * stride..k * stride + d]);
        }
        let c = usize::from(self.params.constant);
        if c == 1 {
            self.out[0] = 1.0;
        }
        let lin = self.linear.len();
        self.out[c..c + lin].copy_from_slice(&self.linear);
        for (o, idx) in self.out[c + lin..]
            .iter_mut()
            .zip(self.monomials.chunks_exact(self.params.order))
        {
            *o = idx.iter().map(|&i| self.linear[i as usize]).product();
        }
    }

    /// The features of `rows` inputs (`rows × input_dim` → `rows × output_dim`).
    pub fn run(&mut self, x: &[f64], rows: usize) -> Result<Vec<f64>> {
        self.run_with(x, rows, &Control::default())
    }

    /// [`run`](Self::run) under `control`: a stop (interrupt or deadline) returns `Stopped` and
    /// leaves the delay line as it was before the call.
    pub fn run_with(&mut self, x: &[f64], rows: usize, control: &Control<'_>) -> Result<Vec<f64>> {
        let d = self.input_dim;
        check::len_rows("x", "rows", rows, d, x.len())?;
        check::all_finite("x", x)?;
        let f = self.output_dim();
        let mut out = crate::alloc::filled("features", 0.0, rows.saturating_mul(f))?;
        let cost = f * self.params.order + self.store.len();
        controlled(self, rows, cost, control, "NVAR run", |nvar, t| {
            nvar.advance(&x[t * d..(t + 1) * d]);
            out[t * f..(t + 1) * f].copy_from_slice(&nvar.out);
            Ok(())
        })?;
        Ok(out)
    }
}
