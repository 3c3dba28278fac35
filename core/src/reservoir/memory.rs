//! Memory capacity (Jaeger 2002) with ReservoirPy's protocol (`observables.memory_capacity`).

use super::esn::{Esn, EsnParams, Series};
use super::reservoir::Reservoir;
use crate::Result;
use crate::error::{ArgumentError, check};

/// `MC_k = corr²(u(t−k), ŷ_k(t))` for `k = 1..=k_max`: a ridge readout (penalty `ridge`) on a
/// copy of `reservoir` (one input) learns to recall each delay from the sliding windows of
/// `series`; the first `len − k_max − test_len` windows train it (after a warm-up of `k_max`),
/// the last `test_len` test it. The memory capacity is the sum.
pub fn memory_capacity(
    reservoir: &Reservoir,
    k_max: usize,
    series: &[f64],
    test_len: usize,
    ridge: f64,
) -> Result<Vec<f64>> {
    check::len("reservoir input_dim", 1, reservoir.input_dim())?;
    check::all_finite("series", series)?;
    if k_max == 0 {
        return Err(ArgumentError::Invalid {
            argument: "k_max",
            reason: "is 0, must be at least 1".into(),
        }
        .into());
    }
    let rows = series.len().saturating_sub(k_max);
    if test_len == 0 || test_len + k_max >= rows {
        return Err(ArgumentError::Invalid {
            argument: "test_len",
            reason: format!(
                "is {test_len}, must be in [1, {}) for {} values and k_max = {k_max}",
                rows.saturating_sub(k_max),
                series.len()
            ),
        }
        .into());
    }
    let x: Vec<f64> = (0..rows).map(|r| series[r + k_max]).collect();
    let y: Vec<f64> = (0..rows)
        .flat_map(|r| (1..=k_max).map(move |k| series[r + k_max - k]))
        .collect();
    let train = rows - test_len;
    let params = EsnParams::default().ridge(ridge);
    let mut esn = Esn::from_reservoir(params, reservoir.clone(), k_max)?;
    esn.fit(
        &[Series {
            inputs: &x[..train],
            targets: &y[..train * k_max],
            steps: train,
        }],
        k_max,
    )?;
    let pred = esn.run(&x[train..], test_len)?;
    let truth = &y[train * k_max..];
    Ok((0..k_max)
        .map(|k| {
            let a: Vec<f64> = (0..test_len).map(|t| pred[t * k_max + k]).collect();
            let b: Vec<f64> = (0..test_len).map(|t| truth[t * k_max + k]).collect();
            let (ma, mb) = (
                a.iter().sum::<f64>() / test_len as f64,
                b.iter().sum::<f64>() / test_len as f64,
            );
            let cov: f64 = a.iter().zip(&b).map(|(p, q)| (p - ma) * (q - mb)).sum();
            let va: f64 = a.iter().map(|p| (p - ma).powi(2)).sum();
            let vb: f64 = b.iter().map(|q| (q - mb).powi(2)).sum();
            if va == 0.0 || vb == 0.0 {
                0.0
            } else {
                cov * cov / (va * vb)
            }
        })
        .collect())
}
