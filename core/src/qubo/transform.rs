//! Transformations that keep the model's meaning in a stated way: fixing variables, scaling,
//! normalizing (dimod's `fix_variable`, `scale`, `normalize`).

use super::SampleValue;
use super::bqm::{Neighborhood, overflow};
use super::{Bqm, QuboError};
use crate::Result;
use crate::error::{ArgumentError, check};

impl Bqm {
    /// Removes `v`, substituting `value` (in the vartype): neighbours' linear biases absorb
    /// `value·b_uv` and the offset absorbs `value·a_v`. Variables after `v` move down one index,
    /// keeping their order. All or nothing.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
    /// bqm.add_linear_from(&[1.0, 2.0, 3.0])?;
    /// bqm.add_quadratic(0, 2, -1.5)?;
    /// bqm.fix_variable(0, -1)?;
    /// assert_eq!(bqm.linear(), &[2.0, 4.5]);
    /// assert_eq!(bqm.offset(), -1.0);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn fix_variable(&mut self, v: u32, value: i8) -> Result<()> {
        self.fix_variables(&[v], &[value])
    }

    /// Fixes several variables at once (see [`fix_variable`](Self::fix_variable)); one pass over
    /// the model. `variables` must be distinct; a value outside the vartype is reported as given.
    pub fn fix_variables<T: SampleValue>(&mut self, variables: &[u32], values: &[T]) -> Result<()> {
        let n = self.num_variables();
        check::len("values", variables.len(), values.len())?;
        let mut fixed = vec![None::<f64>; n];
        for (k, (&v, &x)) in variables.iter().zip(values).enumerate() {
            let i = check::index("variables", v.into(), n)?;
            let x = x.to_i64();
            if !self.vartype.contains(x) {
                return Err(QuboError::InvalidSampleValue {
                    argument: "values",
                    sample: 0,
                    variable: k,
                    value: x,
                    vartype: self.vartype,
                }
                .into());
            }
            if fixed[i].replace(x as f64).is_some() {
                return Err(ArgumentError::Invalid {
                    argument: "variables",
                    reason: format!("variable {v} appears twice"),
                }
                .into());
            }
        }
        // New biases first (they may overflow), then the structural change, which cannot fail.
        let mut linear = self.linear.clone();
        let mut offset = self.offset;
        for (u, nb) in self.adj.iter().enumerate() {
            if let Some(xu) = fixed[u] {
                offset += xu * self.linear[u];
                // Pairs between two fixed variables go to the offset once (from the lower index).
                for (&w, &b) in nb.nbrs.iter().zip(&nb.biases) {
                    if let Some(xw) = fixed[w as usize] {
                        if (w as usize) > u {
                            offset += xu * xw * b;
                        }
                    } else {
                        linear[w as usize] += xu * b;
                    }
                }
            }
        }
        if let Some(u) = linear.iter().position(|x| !x.is_finite()) {
            return Err(overflow("fixing variables", format!("variable {u}")));
        }
        if !offset.is_finite() {
            return Err(overflow("fixing variables", "the offset".into()));
        }
        // new_index[u] for kept variables.
        let mut new_index = vec![u32::MAX; n];
        let mut next = 0u32;
        for u in 0..n {
            if fixed[u].is_none() {
                new_index[u] = next;
                next += 1;
            }
        }
        let old_adj = std::mem::take(&mut self.adj);
        let mut removed_pairs = 0usize;
        for (u, nb) in old_adj.into_iter().enumerate() {
            if fixed[u].is_some() {
                removed_pairs += nb
                    .nbrs
                    .iter()
                    .filter(|&&w| (w as usize) > u || fixed[w as usize].is_none())
                    .count();
                continue;
            }
            let mut kept = Neighborhood::default();
            for (&w, &b) in nb.nbrs.iter().zip(&nb.biases) {
                if fixed[w as usize].is_none() {
                    kept.nbrs.push(new_index[w as usize]);
                    kept.biases.push(b);
                }
            }
            kept.nbrs.shrink_to_fit();
            kept.biases.shrink_to_fit();
            self.adj.push(kept);
        }
        self.linear = linear
            .into_iter()
            .enumerate()
            .filter(|&(u, _)| fixed[u].is_none())
            .map(|(_, a)| a)
            .collect();
        self.offset = offset;
        self.num_interactions -= removed_pairs;
        Ok(())
    }

    /// Multiplies every bias and the offset by `scalar`.
    pub fn scale(&mut self, scalar: f64) -> Result<()> {
        check::finite("scalar", scalar)?;
        let too_big = |x: f64| !(x * scalar).is_finite();
        if self.linear.iter().any(|&a| too_big(a))
            || too_big(self.offset)
            || self.adj.iter().any(|nb| nb.biases.iter().any(|&b| too_big(b)))
        {
            return Err(overflow("scaling", format!("scalar {scalar}")));
        }
        for a in &mut self.linear {
            *a *= scalar;
        }
        for nb in &mut self.adj {
            for b in &mut nb.biases {
                *b *= scalar;
            }
        }
        self.offset *= scalar;
        Ok(())
    }

    /// Scales the model so linear biases fall in `bias_range` and quadratic biases in
    /// `quadratic_range` (default: `bias_range`), as dimod's `normalize`; returns the scalar used
    /// (1 for an all-zero model). Ranges are `(low, high)` with `low < 0 < high`.
    pub fn normalize(&mut self, bias_range: (f64, f64), quadratic_range: Option<(f64, f64)>) -> Result<f64> {
        let quadratic_range = quadratic_range.unwrap_or(bias_range);
        for (name, (lo, hi)) in [("bias_range", bias_range), ("quadratic_range", quadratic_range)] {
            check::finite(name, lo)?;
            check::finite(name, hi)?;
            if !(lo < 0.0 && 0.0 < hi) {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: format!("({lo}, {hi}) must satisfy low < 0 < high"),
                }
                .into());
            }
        }
        let min_max = |it: &mut dyn Iterator<Item = f64>| {
            it.fold(None, |acc: Option<(f64, f64)>, x| {
                Some(acc.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))))
            })
            .unwrap_or((0.0, 0.0))
        };
        let (lmin, lmax) = min_max(&mut self.linear.iter().copied());
        let (qmin, qmax) = min_max(&mut self.iter_quadratic().map(|(_, _, b)| b));
        let inv = [
            lmin / bias_range.0,
            lmax / bias_range.1,
            qmin / quadratic_range.0,
            qmax / quadratic_range.1,
        ]
        .into_iter()
        .fold(f64::NEG_INFINITY, f64::max);
        if inv == 0.0 {
            return Ok(1.0);
        }
        self.scale(1.0 / inv)?;
        Ok(1.0 / inv)
    }
}
