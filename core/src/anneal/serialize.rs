//! Sample sets and sampler parameters in the neuroquant container (ARCHITECTURE.md), so a
//! controller can store a configuration or a result and read it back from Rust, C or Python.
//!
//! Kind (version 1), scalars in `meta`, vectors as arrays:
//!
//! | kind | meta | arrays |
//! |---|---|---|
//! | `sampleset` | `vartype`, `num_variables`, `num_rows`, `info` (the [`Info`] as JSON), `vectors` (`{name: "i64"\|"f64"}`) | `samples` (`\|i1`, rows × variables, row-major), `energies` (`<f8`), `num_occurrences` (`<u8`), `vector.<name>` (`<i8` or `<f8`) |
//!
//! The sampler parameter kinds (`simulated_annealing_params`, `steepest_descent_params`,
//! `tabu_params`, `exact_params`, `parallel_tempering_params`, `path_integral_params`) share one
//! layout written from their keywords: see `params::serialize`.

use super::{Column, Info, SampleSet};
use crate::Result;
use crate::error::check;
use crate::format::{Dtype, FormatError, Reader, Writer};
use crate::qubo::Vartype;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const VERSION: u32 = 1;

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt { offset: 16, reason }.into()
}

fn to_meta<T: Serialize>(meta: &T) -> serde_json::Value {
    serde_json::to_value(meta).expect("plain data with finite numbers")
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleSetMeta {
    vartype: Vartype,
    num_variables: u64,
    num_rows: u64,
    info: Info,
    vectors: BTreeMap<String, String>,
}

impl SampleSet {
    /// The sample set in the neuroquant container (kind `sampleset`, see `anneal::serialize`).
    /// Fails only if `info.beta_range` holds a non-finite number (which JSON cannot carry).
    ///
    /// ```
    /// use neuroquant::anneal::SampleSet;
    /// use neuroquant::qubo::Vartype;
    /// let set = SampleSet::new(Vartype::Spin, 2, vec![1, -1, 1, 1], vec![0.5, -1.0], None)?;
    /// assert_eq!(SampleSet::from_bytes(&set.to_bytes()?)?, set);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = self.writer()?;
        w.i8s("samples", self.samples());
        w.f64s("energies", self.energies());
        w.u64s("num_occurrences", self.num_occurrences());
        for (name, column) in self.vectors() {
            let array = format!("vector.{name}");
            match column {
                Column::I64(v) => w.i64s(&array, v),
                Column::F64(v) => w.f64s(&array, v),
            }
        }
        Ok(w.finish())
    }

    /// The length of [`to_bytes`](Self::to_bytes)' output, computed without copying the rows
    /// (for a caller sizing a buffer).
    ///
    /// ```
    /// use neuroquant::anneal::SampleSet;
    /// use neuroquant::qubo::Vartype;
    /// let set = SampleSet::new(Vartype::Binary, 3, vec![1, 0, 1, 0, 0, 1], vec![1.0, 2.0], None)?;
    /// assert_eq!(set.serialized_len()?, set.to_bytes()?.len());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn serialized_len(&self) -> Result<usize> {
        let (rows, n) = (self.len(), self.num_variables());
        let mut w = self.writer()?;
        w.declare("samples", Dtype::I8, &[rows * n]);
        w.declare("energies", Dtype::F64, &[rows]);
        w.declare("num_occurrences", Dtype::U64, &[rows]);
        for (name, column) in self.vectors() {
            let dtype = match column {
                Column::I64(_) => Dtype::I64,
                Column::F64(_) => Dtype::F64,
            };
            w.declare(&format!("vector.{name}"), dtype, &[rows]);
        }
        Ok(w.len())
    }

    /// The container writer with the header's meta.
    fn writer(&self) -> Result<Writer> {
        if let Some(r) = self.info().beta_range {
            check::all_finite("info.beta_range", &r)?;
        }
        let vectors = self
            .vectors()
            .iter()
            .map(|(k, c)| {
                let t = match c {
                    Column::I64(_) => "i64",
                    Column::F64(_) => "f64",
                };
                (k.clone(), t.to_owned())
            })
            .collect();
        let meta = SampleSetMeta {
            vartype: self.vartype(),
            num_variables: self.num_variables() as u64,
            num_rows: self.len() as u64,
            info: self.info().clone(),
            vectors,
        };
        Ok(Writer::new("sampleset", VERSION, to_meta(&meta)))
    }

    /// Reads a sample set written by [`to_bytes`](Self::to_bytes), validating shapes, values and
    /// finiteness.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("sampleset", VERSION)?;
        let meta: SampleSetMeta = r.meta()?;
        let samples = r.i8s("samples")?;
        let energies = r.f64s("energies")?;
        let occurrences = r.u64s("num_occurrences")?;
        if energies.len() as u64 != meta.num_rows {
            return Err(corrupt(format!(
                "{} energies for {} rows",
                energies.len(),
                meta.num_rows
            )));
        }
        let n = usize::try_from(meta.num_variables).map_err(|_| corrupt("num_variables too large".into()))?;
        let mut set = SampleSet::new(meta.vartype, n, samples, energies, Some(occurrences))?;
        for (name, t) in &meta.vectors {
            let array = format!("vector.{name}");
            let column = match t.as_str() {
                "i64" => Column::I64(r.i64s(&array)?),
                "f64" => Column::F64(r.f64s(&array)?),
                other => return Err(corrupt(format!("vector `{name}` has unknown type {other:?}"))),
            };
            set.set_vector(name, column)?;
        }
        if let Some(range) = meta.info.beta_range {
            check::all_finite("info.beta_range", &range)?;
        }
        *set.info_mut() = meta.info;
        Ok(set)
    }
}
