//! Error measures with ReservoirPy's names (`observables`), flattened over every element:
//! `mse`, `rmse`, `nrmse` with a choice of normalisation, `nmse`, `rsquare`, and the closed-loop
//! `valid_time`.

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::named_enum;

named_enum! {
    /// What `nrmse` divides the RMSE by, computed from `y_true` over all elements.
    pub enum Norm("norm") {
        /// The standard deviation (the usual NRMSE; our default).
        Std = "std",
        /// The variance (ReservoirPy's "var": note it divides the RMSE by the variance, not by its square root).
        Var = "var",
        /// max − min (ReservoirPy's default).
        Minmax = "minmax",
        /// The mean.
        Mean = "mean",
        /// The interquartile range q3 − q1 (linear interpolation, numpy's default).
        Q1q3 = "q1q3",
    }
}

fn pair(y_true: &[f64], y_pred: &[f64]) -> Result<()> {
    check::len("y_pred", y_true.len(), y_pred.len())?;
    if y_true.is_empty() {
        return Err(ArgumentError::Invalid {
            argument: "y_true",
            reason: "is empty".into(),
        }
        .into());
    }
    check::all_finite("y_true", y_true)?;
    check::all_finite("y_pred", y_pred)?;
    Ok(())
}

/// Mean squared error.
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    pair(y_true, y_pred)?;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        / y_true.len() as f64)
}

/// Root mean squared error.
pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    Ok(mse(y_true, y_pred)?.sqrt())
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn variance(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
    if lo + 1 < sorted.len() {
        sorted[lo] + frac * (sorted[lo + 1] - sorted[lo])
    } else {
        sorted[lo]
    }
}

/// The RMSE divided by `norm` of `y_true`.
pub fn nrmse(y_true: &[f64], y_pred: &[f64], norm: Norm) -> Result<f64> {
    let r = rmse(y_true, y_pred)?;
    let d = match norm {
        Norm::Std => variance(y_true).sqrt(),
        Norm::Var => variance(y_true),
        Norm::Minmax => {
            y_true.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - y_true.iter().copied().fold(f64::INFINITY, f64::min)
        }
        Norm::Mean => mean(y_true),
        Norm::Q1q3 => {
            let mut s = y_true.to_vec();
            s.sort_by(f64::total_cmp);
            quantile(&s, 0.75) - quantile(&s, 0.25)
        }
    };
    Ok(r / d)
}

/// MSE divided by the variance of `y_true` (the square of the std-normalised NRMSE).
pub fn nmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    Ok(mse(y_true, y_pred)? / variance(y_true))
}

/// The coefficient of determination `1 − SS_res / SS_tot`.
pub fn rsquare(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    Ok(1.0 - mse(y_true, y_pred)? / variance(y_true))
}

/// Steps before the normalised error `‖y_t − ŷ_t‖ / sqrt(Σ_j var(y_·j))` first exceeds
/// `threshold` (Pathak et al.'s valid time; `steps` if it never does). `y_true` and `y_pred` are
/// `steps × dim`, row-major; multiply by the step and the largest Lyapunov exponent for the
/// valid time in Lyapunov times.
pub fn valid_time(y_true: &[f64], y_pred: &[f64], dim: usize, threshold: f64) -> Result<usize> {
    pair(y_true, y_pred)?;
    check::finite("threshold", threshold)?;
    if dim == 0 || !y_true.len().is_multiple_of(dim) {
        return Err(ArgumentError::Invalid {
            argument: "dim",
            reason: format!("is {dim}, must divide the length {} of y_true", y_true.len()),
        }
        .into());
    }
    let steps = y_true.len() / dim;
    let total_var: f64 = (0..dim)
        .map(|j| {
            let col: Vec<f64> = (0..steps).map(|t| y_true[t * dim + j]).collect();
            variance(&col)
        })
        .sum();
    let scale = total_var.sqrt();
    for t in 0..steps {
        let e: f64 = (0..dim)
            .map(|j| (y_true[t * dim + j] - y_pred[t * dim + j]).powi(2))
            .sum::<f64>()
            .sqrt();
        if e / scale > threshold || e.is_nan() {
            return Ok(t);
        }
    }
    Ok(steps)
}
