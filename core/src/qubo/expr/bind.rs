//! Binding placeholder values: a compiled model becomes a [`Bqm`] in one pass over its
//! coefficients, with no expansion and no sorting.

use super::ExprError;
use super::compile::CompiledModel;
use crate::Result;
use crate::error::check;
use crate::qubo::bqm::Neighborhood;
use crate::qubo::{Bqm, QuboError, Vartype};

/// A compiled model with its placeholders bound: the quadratic model and what decoding needs.
#[derive(Debug, Clone)]
pub struct BoundModel<'m> {
    pub(crate) model: &'m CompiledModel,
    pub(crate) bqm: Bqm,
    /// Value of each placeholder monomial.
    pub(crate) mono_vals: Vec<f64>,
}

impl CompiledModel {
    /// Placeholder values in [`placeholders`](Self::placeholders) order from `(name, value)`
    /// pairs: every placeholder needs a finite value (the last one given counts); names the
    /// model does not use are ignored, as PyQUBO's `to_bqm(feed_dict=...)` ignores them, so one
    /// dictionary can serve several models.
    ///
    /// ```
    /// use neuroquant::qubo::expr::Expr;
    /// let model = (Expr::placeholder("A") * Expr::binary("x")).compile(5.0)?;
    /// assert_eq!(model.placeholder_values([("A", 2.0), ("unused", 7.0)])?, vec![2.0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn placeholder_values<'a>(&self, feed: impl IntoIterator<Item = (&'a str, f64)>) -> Result<Vec<f64>> {
        let mut values = vec![None; self.placeholders.len()];
        for (name, value) in feed {
            if let Some(&i) = self.placeholder_index.get(name) {
                values[i as usize] = Some(check::finite_at("feed_dict", i as usize, value)?);
            }
        }
        values
            .into_iter()
            .zip(&self.placeholders)
            .map(|(v, name)| {
                v.ok_or_else(|| {
                    ExprError::MissingPlaceholder {
                        label: name.to_string(),
                    }
                    .into()
                })
            })
            .collect()
    }

    /// [`bind`](Self::bind) with values given by name.
    ///
    /// ```
    /// use neuroquant::qubo::expr::Expr;
    /// let x = Expr::binary("x");
    /// let model = (Expr::placeholder("A") * &x - 1.0).compile(5.0)?;
    /// let bqm = model.bind_named([("A", 3.0)])?.into_bqm();
    /// assert_eq!((bqm.linear(), bqm.offset()), (&[3.0][..], -1.0));
    /// assert!(model.bind_named([]).is_err()); // A has no value
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn bind_named<'a>(&self, feed: impl IntoIterator<Item = (&'a str, f64)>) -> Result<BoundModel<'_>> {
        let values = self.placeholder_values(feed)?;
        self.bind(&values)
    }

    /// Binds the placeholders to `values` (in [`placeholders`](Self::placeholders) order, all
    /// finite) and builds the BINARY quadratic model over `0..num_variables()`. Pairs whose
    /// coefficient is zero for these values stay in the model (its structure does not depend on
    /// the values).
    pub fn bind(&self, values: &[f64]) -> Result<BoundModel<'_>> {
        check::len("feed_dict", self.placeholders.len(), values.len())?;
        check::all_finite("feed_dict", values)?;
        let mono_vals: Vec<f64> = (0..self.mono_ptr.len() - 1)
            .map(|k| {
                self.mono_pairs[self.mono_ptr[k]..self.mono_ptr[k + 1]]
                    .iter()
                    .map(|&(p, e)| power(values[p as usize], e))
                    .product()
            })
            .collect();
        let n = self.labels.len();
        let coef = |q: usize| -> f64 {
            (self.coef_ptr[q]..self.coef_ptr[q + 1])
                .map(|e| self.coef_val[e] * mono_vals[self.coef_mono[e] as usize])
                .sum()
        };
        let offset = coef(0);
        let linear: Vec<f64> = (0..n).map(|v| coef(1 + v)).collect();
        let pair_bias: Vec<f64> = (0..self.pairs.len()).map(|p| coef(1 + n + p)).collect();
        if !offset.is_finite() {
            return Err(self.overflow("the offset".into()));
        }
        if let Some(v) = linear.iter().position(|b| !b.is_finite()) {
            return Err(self.overflow(format!("variable {:?}", self.labels[v])));
        }
        if let Some(p) = pair_bias.iter().position(|b| !b.is_finite()) {
            let (u, v) = self.pairs[p];
            return Err(self.overflow(format!(
                "pair ({:?}, {:?})",
                self.labels[u as usize], self.labels[v as usize]
            )));
        }
        let adj = (0..n)
            .map(|v| {
                let r = self.adj_ptr[v]..self.adj_ptr[v + 1];
                Neighborhood {
                    nbrs: self.adj_nbr[r.clone()].to_vec(),
                    biases: self.adj_pair[r].iter().map(|&p| pair_bias[p as usize]).collect(),
                }
            })
            .collect();
        let bqm = Bqm {
            vartype: Vartype::Binary,
            linear,
            adj,
            offset,
            num_interactions: self.pairs.len(),
        };
        Ok(BoundModel {
            model: self,
            bqm,
            mono_vals,
        })
    }

    fn overflow(&self, location: String) -> crate::Error {
        QuboError::Overflow {
            operation: "binding the placeholders",
            location,
        }
        .into()
    }
}

/// `x^e` for a placeholder exponent.
fn power(x: f64, e: u32) -> f64 {
    match i32::try_from(e) {
        Ok(e) => x.powi(e),
        Err(_) => x.powf(e as f64),
    }
}

impl<'m> BoundModel<'m> {
    /// The quadratic model (BINARY, variables numbered as in the compiled model).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The quadratic model, by value.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The compiled model this was bound from.
    pub fn model(&self) -> &'m CompiledModel {
        self.model
    }
}
