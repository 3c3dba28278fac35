//! Decoding samples: energy of the compiled model, and the value of every named constraint and
//! sub-Hamiltonian with whether it holds.

use super::ExprError;
use super::bind::BoundModel;
use super::compile::{CompiledModel, LabelledPoly};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::{SampleValue, Vartype};
use rayon::prelude::*;

/// Sample values × variables above which a batch is decoded in parallel.
const PARALLEL_WORK: usize = 1 << 15;

/// What one sample means for the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// Energy of the compiled (quadratized) model, penalties included.
    pub energy: f64,
    /// Value of each constraint and sub-Hamiltonian, in
    /// [`CompiledModel::labelled`](super::CompiledModel::labelled) order.
    pub values: Vec<f64>,
    /// Whether each one holds: `None` for sub-Hamiltonians and for custom conditions (evaluate
    /// those on `values`).
    pub satisfied: Vec<Option<bool>>,
}

const UNSET: i8 = -1;

fn to_binary(value: i64, vartype: Vartype) -> i8 {
    match vartype {
        Vartype::Binary => value as i8,
        Vartype::Spin => ((value + 1) / 2) as i8,
    }
}

impl CompiledModel {
    /// Binary values of all variables, by index, from `(label, value)` pairs in `vartype`.
    ///
    /// Every variable of the expression needs a value and unknown labels are refused.
    /// Auxiliary variables may be given (as samplers return them) or left out: then they take
    /// the value of the product they stand for, so the energy is the expression's own.
    pub fn sample_from_labels<'a>(
        &self,
        sample: impl IntoIterator<Item = (&'a str, i64)>,
        vartype: Vartype,
    ) -> Result<Vec<i8>> {
        let mut x = vec![UNSET; self.labels.len()];
        for (label, value) in sample {
            let Some(&v) = self.index.get(label) else {
                return Err(ExprError::UnknownVariable {
                    label: label.to_string(),
                }
                .into());
            };
            x[v as usize] = self.checked_value(v as usize, value, vartype)?;
        }
        self.complete(&mut x)?;
        Ok(x)
    }

    /// [`sample_from_labels`](Self::sample_from_labels) for a batch: `samples` holds `rows`
    /// rows (row-major) with one column per entry of `labels`. Returns the binary rows over all
    /// variables; `rows` is at most [`SampleSet::max_rows`](crate::anneal::SampleSet::max_rows)
    /// of the model's width (`LimitExceeded` above).
    pub fn samples_from_columns<T: SampleValue>(
        &self,
        labels: &[&str],
        samples: &[T],
        rows: usize,
        vartype: Vartype,
    ) -> Result<Vec<i8>> {
        let n = self.labels.len();
        let mut columns = Vec::with_capacity(labels.len());
        let mut seen = vec![false; n];
        for &label in labels {
            let Some(&v) = self.index.get(label) else {
                return Err(ExprError::UnknownVariable {
                    label: label.to_string(),
                }
                .into());
            };
            if std::mem::replace(&mut seen[v as usize], true) {
                return Err(ArgumentError::Invalid {
                    argument: "labels",
                    reason: format!("{label:?} appears twice"),
                }
                .into());
            }
            columns.push(v as usize);
        }
        let k = labels.len();
        check::len_rows("samples", "rows", rows, k, samples.len())?;
        // Without columns, `rows` alone sets the output size: bounded like a sample set.
        check::at_most("rows", rows as u64, crate::anneal::SampleSet::max_rows(n))?;
        let mut out = crate::alloc::filled("samples", UNSET, rows * n)?;
        for r in 0..rows {
            let x = &mut out[r * n..(r + 1) * n];
            for (&value, &v) in samples[r * k..(r + 1) * k].iter().zip(&columns) {
                x[v] = self.checked_value(v, value.to_i64(), vartype)?;
            }
            self.complete(x)?;
        }
        Ok(out)
    }

    fn checked_value(&self, v: usize, value: i64, vartype: Vartype) -> Result<i8> {
        if !vartype.contains(value) {
            return Err(ExprError::InvalidValue {
                label: self.labels[v].to_string(),
                value,
                vartype,
            }
            .into());
        }
        Ok(to_binary(value, vartype))
    }

    /// Fails on a missing expression variable; fills missing auxiliaries with their product.
    fn complete(&self, x: &mut [i8]) -> Result<()> {
        if let Some(v) = x[..self.num_expression_variables]
            .iter()
            .position(|&b| b == UNSET)
        {
            return Err(ExprError::MissingVariable {
                label: self.labels[v].to_string(),
            }
            .into());
        }
        for (k, &[a, b]) in self.aux.iter().enumerate() {
            let z = self.num_expression_variables + k;
            if x[z] == UNSET {
                x[z] = x[a as usize] & x[b as usize]; // a, b < z: already set
            }
        }
        Ok(())
    }
}

impl BoundModel<'_> {
    /// Decodes one sample given as binary values of all variables (as returned by
    /// [`CompiledModel::sample_from_labels`]).
    pub fn decode(&self, x: &[i8]) -> Result<Decoded> {
        let energy = self.bqm.energy(x)?;
        let m = self.model;
        let mut values = Vec::with_capacity(m.labelled.len());
        let mut satisfied = Vec::with_capacity(m.labelled.len());
        for l in &m.labelled {
            let v = self.evaluate(l, x);
            satisfied.push(l.condition.as_ref().and_then(|c| c.holds(v)));
            values.push(v);
        }
        Ok(Decoded {
            energy,
            values,
            satisfied,
        })
    }

    /// Decodes `rows` samples stored row-major (binary values of all variables each), in
    /// parallel for large batches; the result does not depend on the number of threads.
    ///
    /// `rows` is at most [`SampleSet::max_rows`](crate::anneal::SampleSet::max_rows) of the
    /// model's width (`LimitExceeded` above; it matters for a model without variables, whose
    /// rows are empty), and the result is allocated fallibly.
    pub fn decode_many(&self, xs: &[i8], rows: usize) -> Result<Vec<Decoded>> {
        let n = self.model.labels.len();
        check::len_rows("samples", "rows", rows, n, xs.len())?;
        check::at_most("rows", rows as u64, crate::anneal::SampleSet::max_rows(n))?;
        let one = |r: usize| self.decode(&xs[r * n..(r + 1) * n]);
        let mut out = crate::alloc::with_capacity("decoded samples", rows)?;
        if rows.saturating_mul(n.max(1)) >= PARALLEL_WORK {
            // In blocks, so only a block's results are collected aside (order kept).
            const BLOCK: usize = 4096;
            for lo in (0..rows).step_by(BLOCK) {
                let block: Vec<Result<Decoded>> =
                    (lo..rows.min(lo + BLOCK)).into_par_iter().map(one).collect();
                for d in block {
                    out.push(d?);
                }
            }
        } else {
            for r in 0..rows {
                out.push(one(r)?);
            }
        }
        Ok(out)
    }

    /// Value of a constraint's expression; each variable in its declared vartype.
    fn evaluate(&self, l: &LabelledPoly, x: &[i8]) -> f64 {
        let vartypes = &self.model.vartypes;
        let mut total = 0.0;
        for t in 0..l.term_coef.len() {
            let mut term = l.term_coef[t] * self.mono_vals[l.term_mono[t] as usize];
            for &v in &l.term_vars[l.term_ptr[t]..l.term_ptr[t + 1]] {
                let b = x[v as usize] as f64;
                term *= match vartypes[v as usize] {
                    Vartype::Binary => b,
                    Vartype::Spin => 2.0 * b - 1.0,
                };
            }
            total += term;
        }
        total
    }
}
