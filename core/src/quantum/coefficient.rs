//! Time-dependent coefficients `c(t)` of `H(t) = H0 + Σ_k c_k(t) H_k`, as in QuTiP's `QobjEvo`:
//! a closure, or samples on a time grid interpolated by a not-a-knot cubic spline (scipy's
//! `make_interp_spline(k=3)`, QuTiP's default `order=3`) or held as steps (`order=0`).

use super::C64;
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;
use std::sync::Arc;

/// A coefficient function of time.
#[derive(Clone)]
pub enum Coefficient {
    /// A closure (must be thread-safe: batches run in parallel).
    Function(Arc<dyn Fn(f64) -> C64 + Send + Sync>),
    /// Samples interpolated by a cubic spline.
    Spline(Spline),
    /// Samples held constant from each time to the next (`c(t) = values[i]` for
    /// `times[i] ≤ t < times[i+1]`).
    Steps {
        /// Sample times, strictly increasing.
        times: Vec<f64>,
        /// Values.
        values: Vec<C64>,
    },
}

impl std::fmt::Debug for Coefficient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Coefficient::Function(_) => f.write_str("Coefficient::Function(..)"),
            Coefficient::Spline(s) => f
                .debug_tuple("Coefficient::Spline")
                .field(&s.times.len())
                .finish(),
            Coefficient::Steps { times, .. } => {
                f.debug_tuple("Coefficient::Steps").field(&times.len()).finish()
            }
        }
    }
}

impl Coefficient {
    /// A coefficient from a closure.
    pub fn function(f: impl Fn(f64) -> C64 + Send + Sync + 'static) -> Self {
        Coefficient::Function(Arc::new(f))
    }

    /// A real coefficient from a closure.
    pub fn real(f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Coefficient::Function(Arc::new(move |t| C64::new(f(t), 0.0)))
    }

    /// Samples on `times` (strictly increasing, at least 2), interpolated with `order` 3 (cubic
    /// spline, not-a-knot ends) or 0 (steps).
    pub fn sampled(times: &[f64], values: &[C64], order: usize) -> Result<Self> {
        check::len("values", times.len(), values.len())?;
        check::all_finite("times", times)?;
        super::operator::check_finite("values", values)?;
        if times.len() < 2 {
            return Err(invalid(
                "times",
                format!("has {} samples, needs at least 2", times.len()),
            ));
        }
        if let Some(i) = times.windows(2).position(|w| w[1] <= w[0]) {
            return Err(invalid(
                "times",
                format!("must be strictly increasing (times[{}] >= times[{}])", i, i + 1),
            ));
        }
        match order {
            0 => Ok(Coefficient::Steps {
                times: times.to_vec(),
                values: values.to_vec(),
            }),
            3 => Ok(Coefficient::Spline(Spline::new(times, values))),
            _ => Err(invalid(
                "order",
                format!("is {order}, must be 0 (steps) or 3 (cubic spline)"),
            )),
        }
    }

    /// The value at `t`.
    pub fn at(&self, t: f64) -> C64 {
        match self {
            Coefficient::Function(f) => f(t),
            Coefficient::Spline(s) => s.at(t),
            Coefficient::Steps { times, values } => {
                let i = times.partition_point(|&x| x <= t).saturating_sub(1);
                values[i]
            }
        }
    }
}

/// A not-a-knot cubic spline through complex samples (real and imaginary parts separately),
/// extrapolating with the end polynomials as scipy does.
#[derive(Debug, Clone, PartialEq)]
pub struct Spline {
    times: Vec<f64>,
    values: Vec<C64>,
    /// Second derivatives at the knots.
    m: Vec<C64>,
}

impl Spline {
    fn new(times: &[f64], values: &[C64]) -> Self {
        let n = times.len();
        let zero = C64::new(0.0, 0.0);
        let mut m = vec![zero; n];
        let h: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let d: Vec<C64> = (0..n - 1).map(|i| (values[i + 1] - values[i]) / h[i]).collect();
        if n == 3 {
            // Not-a-knot with three points: the parabola through them (constant second derivative).
            let c = (d[1] - d[0]) / (h[0] + h[1]) * 2.0;
            m = vec![c; 3];
        } else if n >= 4 {
            // Unknowns m[1..n-1]; m[0] and m[n-1] eliminated through the not-a-knot conditions
            // (m1 − m0)/h0 = (m2 − m1)/h1 and the same at the end.
            let k = n - 2;
            let mut lower = vec![0.0; k];
            let mut diag = vec![0.0; k];
            let mut upper = vec![0.0; k];
            let mut rhs = vec![zero; k];
            for j in 0..k {
                let i = j + 1;
                lower[j] = h[i - 1];
                diag[j] = 2.0 * (h[i - 1] + h[i]);
                upper[j] = h[i];
                rhs[j] = (d[i] - d[i - 1]) * 6.0;
            }
            // m0 = ((h0 + h1) m1 − h0 m2) / h1
            diag[0] += h[0] * (h[0] + h[1]) / h[1];
            upper[0] -= h[0] * h[0] / h[1];
            // m_{n-1} = ((h_{n-2} + h_{n-3}) m_{n-2} − h_{n-2} m_{n-3}) / h_{n-3}
            let (a, b) = (h[n - 2], h[n - 3]);
            diag[k - 1] += a * (a + b) / b;
            lower[k - 1] -= a * a / b;
            // Thomas algorithm (k ≥ 2).
            if k == 1 {
                m[1] = rhs[0] / diag[0];
            } else {
                let mut cp = vec![0.0; k];
                let mut dp = vec![zero; k];
                cp[0] = upper[0] / diag[0];
                dp[0] = rhs[0] / diag[0];
                for j in 1..k {
                    let den = diag[j] - lower[j] * cp[j - 1];
                    cp[j] = upper[j] / den;
                    dp[j] = (rhs[j] - dp[j - 1] * lower[j]) / den;
                }
                m[k] = dp[k - 1];
                for j in (0..k - 1).rev() {
                    m[j + 1] = dp[j] - m[j + 2] * cp[j];
                }
            }
            m[0] = (m[1] * (h[0] + h[1]) - m[2] * h[0]) / h[1];
            m[n - 1] = (m[n - 2] * (a + b) - m[n - 3] * a) / b;
        }
        Spline {
            times: times.to_vec(),
            values: values.to_vec(),
            m,
        }
    }

    /// The value at `t`.
    pub fn at(&self, t: f64) -> C64 {
        let n = self.times.len();
        let i = self
            .times
            .partition_point(|&x| x <= t)
            .saturating_sub(1)
            .min(n - 2);
        let (x0, x1) = (self.times[i], self.times[i + 1]);
        let h = x1 - x0;
        let (a, b) = ((x1 - t) / h, (t - x0) / h);
        self.values[i] * a
            + self.values[i + 1] * b
            + (self.m[i] * (a * a * a - a) + self.m[i + 1] * (b * b * b - b)) * (h * h / 6.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spline_reproduces_cubics() {
        // Not-a-knot splines are exact on cubic polynomials.
        let f = |t: f64| 1.0 - 2.0 * t + 0.5 * t * t - 0.25 * t * t * t;
        let times: Vec<f64> = vec![0.0, 0.3, 1.0, 1.2, 2.0, 3.5];
        let values: Vec<C64> = times.iter().map(|&t| C64::new(f(t), -f(t))).collect();
        let c = Coefficient::sampled(&times, &values, 3).unwrap();
        for t in [0.1, 0.65, 1.9, 3.0, 3.4] {
            assert!((c.at(t) - C64::new(f(t), -f(t))).norm() < 1e-12, "{t}");
        }
        let s = Coefficient::sampled(&times, &values, 0).unwrap();
        assert_eq!(s.at(0.5), values[1]);
        assert_eq!(s.at(10.0), values[5]);
        assert!(Coefficient::sampled(&[0.0, 0.0], &values[..2], 3).is_err());
        assert!(Coefficient::sampled(&times, &values, 2).is_err());
    }
}
