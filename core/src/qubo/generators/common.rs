//! Pieces every generator shares: default strengths above a proven bound, sample and graph checks.

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::penalty::positive;
use crate::qubo::{Bqm, SampleValue, Vartype};

/// Each generator's default penalty strength is this multiple of a bound it proves sufficient
/// (any strength above the bound makes every minimiser feasible); 1 when the bound is 0. The margin
/// is relative so the balance between objective and penalty does not depend on the units of the
/// data.
pub const DEFAULT_MARGIN: f64 = 1.25;

/// The given strength (finite, `> 0`) or `DEFAULT_MARGIN · bound`.
pub(crate) fn strength(argument: &'static str, given: Option<f64>, bound: f64) -> Result<f64> {
    match given {
        Some(p) => positive(argument, p),
        None if bound > 0.0 => positive(argument, DEFAULT_MARGIN * bound),
        None => Ok(1.0),
    }
}

/// The BINARY values of a sample of `bqm` (`(s + 1) / 2` for a SPIN model), after checking its
/// length and values.
pub(crate) fn binary_values<T: SampleValue>(bqm: &Bqm, sample: &[T]) -> Result<Vec<u8>> {
    check::len("sample", bqm.num_variables(), sample.len())?;
    bqm.check_values("sample", sample)?;
    let spin = bqm.vartype() == Vartype::Spin;
    Ok(sample
        .iter()
        .map(|&v| {
            if spin {
                ((v.to_i64() + 1) / 2) as u8
            } else {
                v.to_i64() as u8
            }
        })
        .collect())
}

/// `count` must be at least 1.
pub(crate) fn non_empty(argument: &'static str, count: usize) -> Result<()> {
    if count == 0 {
        Err(ArgumentError::Invalid {
            argument,
            reason: "must be at least 1".into(),
        }
        .into())
    } else {
        Ok(())
    }
}

/// Edge `k` joins two distinct nodes below `num_nodes`.
pub(crate) fn check_edge(k: usize, u: u32, v: u32, num_nodes: usize) -> Result<()> {
    check::index("edges", u.into(), num_nodes)?;
    check::index("edges", v.into(), num_nodes)?;
    if u == v {
        return Err(ArgumentError::Invalid {
            argument: "edges",
            reason: format!("edge {k} is a self-loop ({u}, {u})"),
        }
        .into());
    }
    Ok(())
}

/// Every element of `values` is finite and `>= 0`.
pub(crate) fn non_negative(argument: &'static str, values: &[f64]) -> Result<()> {
    check::all_finite(argument, values)?;
    match values.iter().position(|&v| v < 0.0) {
        None => Ok(()),
        Some(i) => Err(ArgumentError::Invalid {
            argument,
            reason: format!("element {i} is {}, must be >= 0", values[i]),
        }
        .into()),
    }
}
