//! A model in the neuroquant container (kind `"bqm"`, version 1).
//!
//! `meta = {"vartype": "SPIN"|"BINARY", "num_variables": n, "offset": f64}`; arrays
//! `linear` (`<f8`, n), and the pairs in upper-triangle COO sorted by (row, col) with row < col:
//! `quadratic_row` (`<u4`), `quadratic_col` (`<u4`), `quadratic_bias` (`<f8`).

use super::bqm::MAX_VARIABLES;
use super::{Bqm, Vartype};
use crate::Result;
use crate::format::{Dtype, FormatError, Reader, Writer};
use serde::{Deserialize, Serialize};

const KIND: &str = "bqm";
const KIND_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    vartype: Vartype,
    num_variables: u64,
    offset: f64,
}

impl Bqm {
    fn writer(&self) -> Writer {
        let meta = Meta {
            vartype: self.vartype,
            num_variables: self.num_variables() as u64,
            offset: self.offset,
        };
        Writer::new(
            KIND,
            KIND_VERSION,
            serde_json::to_value(meta).expect("plain data"),
        )
    }

    /// The length of [`to_bytes`](Self::to_bytes)' output, computed without serializing (for a
    /// caller sizing a buffer).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 4)?;
    /// bqm.add_quadratic(1, 3, 2.5)?;
    /// assert_eq!(bqm.serialized_len(), bqm.to_bytes().len());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn serialized_len(&self) -> usize {
        let (n, m) = (self.num_variables(), self.num_interactions);
        let mut w = self.writer();
        w.declare("linear", Dtype::F64, &[n]);
        w.declare("quadratic_row", Dtype::U32, &[m]);
        w.declare("quadratic_col", Dtype::U32, &[m]);
        w.declare("quadratic_bias", Dtype::F64, &[m]);
        w.len()
    }

    /// The model in the versioned neuroquant container.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
    /// bqm.add_quadratic(0, 2, -1.0)?;
    /// let back = Bqm::from_bytes(&bqm.to_bytes())?;
    /// assert_eq!(back, bqm);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let m = self.num_interactions;
        let (mut rows, mut cols, mut biases) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        for (u, v, b) in self.iter_quadratic() {
            rows.push(u);
            cols.push(v);
            biases.push(b);
        }
        let mut w = self.writer();
        w.f64s("linear", &self.linear);
        w.u32s("quadratic_row", &rows);
        w.u32s("quadratic_col", &cols);
        w.f64s("quadratic_bias", &biases);
        w.finish()
    }

    /// Reads a model written by [`to_bytes`](Self::to_bytes), validating every field.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind(KIND, KIND_VERSION)?;
        let meta: Meta = r.meta()?;
        let corrupt = |name: &str, index: usize, reason: String| FormatError::Corrupt {
            offset: r.offset_of(name, index),
            reason,
        };
        if meta.num_variables > MAX_VARIABLES as u64 {
            return Err(corrupt(
                "linear",
                0,
                format!("num_variables {} exceeds {MAX_VARIABLES}", meta.num_variables),
            )
            .into());
        }
        if !meta.offset.is_finite() {
            return Err(corrupt("linear", 0, "offset is not finite".into()).into());
        }
        let n = meta.num_variables as usize;
        let linear = r.f64s("linear")?;
        if linear.len() != n {
            return Err(corrupt(
                "linear",
                0,
                format!("{} linear biases for {n} variables", linear.len()),
            )
            .into());
        }
        if let Some(i) = linear.iter().position(|b| !b.is_finite()) {
            return Err(corrupt("linear", i, format!("linear bias {i} is not finite")).into());
        }
        let rows = r.u32s("quadratic_row")?;
        let cols = r.u32s("quadratic_col")?;
        let biases = r.f64s("quadratic_bias")?;
        if cols.len() != rows.len() || biases.len() != rows.len() {
            return Err(corrupt("quadratic_row", 0, "pair arrays differ in length".into()).into());
        }
        let mut prev = None;
        for k in 0..rows.len() {
            let (u, v) = (rows[k], cols[k]);
            if !(u < v && (v as usize) < n) {
                return Err(corrupt(
                    "quadratic_row",
                    k,
                    format!("pair {k} = ({u}, {v}) must satisfy row < col < {n}"),
                )
                .into());
            }
            if prev.is_some_and(|p| p >= (u, v)) {
                return Err(corrupt(
                    "quadratic_row",
                    k,
                    format!("pair {k} = ({u}, {v}) is not in increasing order"),
                )
                .into());
            }
            if !biases[k].is_finite() {
                return Err(corrupt("quadratic_bias", k, format!("bias of pair {k} is not finite")).into());
            }
            prev = Some((u, v));
        }
        let mut bqm = Bqm::with_variables(meta.vartype, n)?;
        bqm.linear = linear;
        bqm.offset = meta.offset;
        bqm.add_quadratic_from(&rows, &cols, &biases)?;
        Ok(bqm)
    }
}
