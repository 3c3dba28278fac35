//! `SampleSet`: the rows a sampler returns, with energies, occurrence counts and run information.

use super::spin_model::{spins_to_vartype, vartype_to_spins};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::{Bqm, Vartype};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Wall-clock time spent in each phase of a run, in nanoseconds (dimod's `info["timing"]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// Converting the model, building schedules and initial states.
    pub preprocessing_ns: u64,
    /// The sampling itself.
    pub sampling_ns: u64,
    /// Energies, sorting, packaging.
    pub postprocessing_ns: u64,
}

/// Information about how a sample set was produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// The sampler that answered (for a fallback, the one whose rows these are).
    pub sampler: String,
    /// Time per phase.
    pub timing: Timing,
    /// The seed used (also when none was given), so a run can be repeated exactly.
    pub seed: Option<u64>,
    /// `[hot, cold]` inverse temperatures, for annealing samplers.
    pub beta_range: Option<[f64; 2]>,
    /// `"geometric"`, `"linear"` or `"custom"`, for annealing samplers.
    pub beta_schedule_type: Option<String>,
    /// True when the run was stopped early; the rows are the reads completed before the stop.
    pub interrupted: bool,
    /// Sampler-specific entries.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Info {
    /// The information as a JSON object (the same field names; non-finite numbers, which only a
    /// caller editing `beta_range` could introduce, become `null`).
    ///
    /// ```
    /// let info = neuroquant::anneal::Info { seed: Some(7), ..Default::default() };
    /// assert!(info.to_json().contains("\"seed\":7"));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serializes")
    }
}

/// An extra per-row field (dimod record vectors such as `num_steps`, `num_restarts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Column {
    /// Integer values.
    I64(Vec<i64>),
    /// Real values.
    F64(Vec<f64>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::I64(v) => v.len(),
            Column::F64(v) => v.len(),
        }
    }

    fn select(&self, rows: &[usize]) -> Column {
        match self {
            Column::I64(v) => Column::I64(rows.iter().map(|&r| v[r]).collect()),
            Column::F64(v) => Column::F64(rows.iter().map(|&r| v[r]).collect()),
        }
    }
}

/// Largest sample set, in bytes, that a sampler builds or a selection copies: a row costs its
/// `num_variables` values (one byte each) plus [`SAMPLE_ROW_BYTES`]. 4 GiB holds, for example,
/// 2 million reads of a 2000-variable model; 160 million reads of a 5-variable model (6 GB
/// with their energies and counts) are refused with a `LimitExceeded` error before anything is
/// allocated. See [`SampleSet::max_rows`].
pub const MAX_SAMPLE_SET_BYTES: u64 = 1 << 32;

/// What a row of a sample set costs besides its values, for [`MAX_SAMPLE_SET_BYTES`]: its energy,
/// its occurrence count and two per-row vectors, 8 bytes each.
pub const SAMPLE_ROW_BYTES: u64 = 32;

/// `requested` units of `rows_per_unit` rows each (reads, or reads × slices) must fit in
/// [`SampleSet::max_rows`]; the error names `argument` with the caller's value and the largest
/// value allowed for this width.
pub(crate) fn check_rows(
    argument: &'static str,
    requested: u64,
    rows_per_unit: u64,
    num_variables: usize,
) -> Result<()> {
    let limit = SampleSet::max_rows(num_variables) / rows_per_unit.max(1);
    Ok(check::at_most(argument, requested, limit)?)
}

/// Rows of samples (`i8`, one value per variable, in the vartype), with their energies and
/// occurrence counts, extra per-row vectors and [`Info`]. The layout matches dimod's
/// `SampleSet.record` (`sample`, `energy`, `num_occurrences`, plus vectors).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSet {
    vartype: Vartype,
    num_variables: usize,
    samples: Vec<i8>,
    energies: Vec<f64>,
    num_occurrences: Vec<u64>,
    vectors: BTreeMap<String, Column>,
    info: Info,
}

impl SampleSet {
    /// A sample set from rows (row-major, `num_variables` values each), their energies and
    /// occurrence counts (`None`: one each). Validates shapes, values and finiteness.
    pub fn new(
        vartype: Vartype,
        num_variables: usize,
        samples: Vec<i8>,
        energies: Vec<f64>,
        num_occurrences: Option<Vec<u64>>,
    ) -> Result<Self> {
        let rows = energies.len();
        check::len_rows("samples", "energies", rows, num_variables, samples.len())?;
        check::all_finite("energies", &energies)?;
        crate::qubo::check_sample_values(vartype, num_variables, "samples", &samples)?;
        let num_occurrences = match num_occurrences {
            Some(n) => {
                check::len("num_occurrences", rows, n.len())?;
                n
            }
            None => crate::alloc::filled("num_occurrences", 1, rows)?,
        };
        Ok(SampleSet {
            vartype,
            num_variables,
            samples,
            energies,
            num_occurrences,
            vectors: BTreeMap::new(),
            info: Info::default(),
        })
    }

    /// The most rows of `num_variables` values a sample set may hold:
    /// `MAX_SAMPLE_SET_BYTES / (num_variables + SAMPLE_ROW_BYTES)` (see [`MAX_SAMPLE_SET_BYTES`]).
    ///
    /// ```
    /// use neuroquant::anneal::SampleSet;
    /// assert_eq!(SampleSet::max_rows(0), 1 << 27);
    /// assert!(SampleSet::max_rows(2000) > 2_000_000);
    /// assert!(SampleSet::max_rows(5) < 160_000_000);
    /// ```
    pub fn max_rows(num_variables: usize) -> u64 {
        MAX_SAMPLE_SET_BYTES / (num_variables as u64).saturating_add(SAMPLE_ROW_BYTES)
    }

    /// A sample set of `samples` (row-major) with energies computed from `bqm`.
    pub fn from_samples(bqm: &Bqm, samples: Vec<i8>) -> Result<Self> {
        let energies = bqm.energies_vec(&samples)?;
        SampleSet::new(bqm.vartype(), bqm.num_variables(), samples, energies, None)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.energies.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.energies.is_empty()
    }

    /// The vartype of the sample values.
    pub fn vartype(&self) -> Vartype {
        self.vartype
    }

    /// Values per row.
    pub fn num_variables(&self) -> usize {
        self.num_variables
    }

    /// All rows, row-major.
    pub fn samples(&self) -> &[i8] {
        &self.samples
    }

    /// Row `i`.
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn sample(&self, i: usize) -> &[i8] {
        &self.samples[i * self.num_variables..(i + 1) * self.num_variables]
    }

    /// Energy of each row.
    pub fn energies(&self) -> &[f64] {
        &self.energies
    }

    /// Occurrence count of each row.
    pub fn num_occurrences(&self) -> &[u64] {
        &self.num_occurrences
    }

    /// Run information.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// Run information, for samplers filling it in.
    pub(crate) fn info_mut(&mut self) -> &mut Info {
        &mut self.info
    }

    /// Replaces the run information (for samplers outside this crate); `info.beta_range` must be
    /// finite.
    pub fn set_info(&mut self, info: Info) -> Result<()> {
        if let Some(r) = info.beta_range {
            check::all_finite("info.beta_range", &r)?;
        }
        self.info = info;
        Ok(())
    }

    /// The extra per-row vectors.
    pub fn vectors(&self) -> &BTreeMap<String, Column> {
        &self.vectors
    }

    /// Adds or replaces an extra per-row vector (one value per row).
    pub fn set_vector(&mut self, name: &str, column: Column) -> Result<()> {
        check::len("column", self.len(), column.len())?;
        self.vectors.insert(name.to_owned(), column);
        Ok(())
    }

    /// The lowest-energy row `(sample, energy, num_occurrences)`; the first such row on ties.
    pub fn first(&self) -> Option<(&[i8], f64, u64)> {
        // `min_by` keeps the first of equal minima, as the stable order does.
        let i = (0..self.len()).min_by(|&a, &b| self.energies[a].total_cmp(&self.energies[b]))?;
        Some((self.sample(i), self.energies[i], self.num_occurrences[i]))
    }

    /// Row indices sorted by energy (stable: ties keep their order).
    pub fn order_by_energy(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| self.energies[a].total_cmp(&self.energies[b]));
        order
    }

    /// The rows at `rows` (in that order, repeats allowed), keeping vectors and info. The copy
    /// is bounded by [`max_rows`](Self::max_rows) (`LimitExceeded` naming `rows` above it).
    pub fn select(&self, rows: &[usize]) -> Result<SampleSet> {
        for &r in rows {
            check::index("rows", r as i64, self.len())?;
        }
        check_rows("rows", rows.len() as u64, 1, self.num_variables)?;
        let mut samples = crate::alloc::with_capacity("samples", rows.len() * self.num_variables)?;
        for &r in rows {
            samples.extend_from_slice(self.sample(r));
        }
        Ok(SampleSet {
            vartype: self.vartype,
            num_variables: self.num_variables,
            samples,
            energies: rows.iter().map(|&r| self.energies[r]).collect(),
            num_occurrences: rows.iter().map(|&r| self.num_occurrences[r]).collect(),
            vectors: self
                .vectors
                .iter()
                .map(|(k, c)| (k.clone(), c.select(rows)))
                .collect(),
            info: self.info.clone(),
        })
    }

    /// The `n` lowest-energy rows, sorted by energy (dimod's `truncate(n)`).
    pub fn truncate(&self, n: usize) -> SampleSet {
        let mut order = self.order_by_energy();
        order.truncate(n);
        self.select(&order).expect("indices come from this set")
    }

    /// Rows whose energy is within `atol + rtol·|min|` of the minimum (dimod's `lowest`;
    /// dimod's defaults are `rtol = 1e-5`, `atol = 1e-8`), in their original order.
    pub fn lowest(&self, rtol: f64, atol: f64) -> Result<SampleSet> {
        check::finite("rtol", rtol)?;
        check::finite("atol", atol)?;
        let Some(min) = self.energies.iter().copied().min_by(f64::total_cmp) else {
            return Ok(self.clone());
        };
        let bound = min + atol + rtol * min.abs();
        let rows: Vec<usize> = (0..self.len()).filter(|&i| self.energies[i] <= bound).collect();
        self.select(&rows)
    }

    /// Merges identical rows, summing their occurrences; each unique row keeps the position,
    /// energy and vector values of its first appearance (dimod's `aggregate`).
    pub fn aggregate(&self) -> SampleSet {
        let mut first_of: std::collections::HashMap<&[i8], usize> = std::collections::HashMap::new();
        let mut rows = Vec::new();
        let mut counts = Vec::new();
        for i in 0..self.len() {
            match first_of.entry(self.sample(i)) {
                std::collections::hash_map::Entry::Occupied(e) => counts[*e.get()] += self.num_occurrences[i],
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(rows.len());
                    rows.push(i);
                    counts.push(self.num_occurrences[i]);
                }
            }
        }
        let mut out = self.select(&rows).expect("indices come from this set");
        out.num_occurrences = counts;
        out
    }

    /// Converts the rows to `vartype` (`s = 2x − 1`), adding `energy_offset` to every energy (the
    /// offset difference between the two forms of the model, as in dimod's `change_vartype`).
    pub fn change_vartype(&mut self, vartype: Vartype, energy_offset: f64) -> Result<()> {
        check::finite("energy_offset", energy_offset)?;
        if vartype != self.vartype {
            match vartype {
                Vartype::Spin => vartype_to_spins(&mut self.samples, Vartype::Binary),
                Vartype::Binary => spins_to_vartype(&mut self.samples, Vartype::Binary),
            }
            self.vartype = vartype;
        }
        for e in &mut self.energies {
            *e += energy_offset;
        }
        Ok(())
    }

    /// Appends the rows of `other` (same vartype and width); vectors present in both are kept.
    /// The result is bounded by [`max_rows`](Self::max_rows) (`LimitExceeded` naming `other`).
    pub fn concatenate(&mut self, other: &SampleSet) -> Result<()> {
        if other.vartype != self.vartype {
            return Err(ArgumentError::Invalid {
                argument: "other",
                reason: format!("vartype {} differs from {}", other.vartype, self.vartype),
            }
            .into());
        }
        check::len("other", self.num_variables, other.num_variables)?;
        check_rows(
            "other",
            (self.len() as u64).saturating_add(other.len() as u64),
            1,
            self.num_variables,
        )?;
        crate::alloc::reserve("samples", &mut self.samples, other.samples.len())?;
        crate::alloc::reserve("energies", &mut self.energies, other.len())?;
        crate::alloc::reserve("num_occurrences", &mut self.num_occurrences, other.len())?;
        self.samples.extend_from_slice(&other.samples);
        self.energies.extend_from_slice(&other.energies);
        self.num_occurrences.extend_from_slice(&other.num_occurrences);
        let names: Vec<String> = self.vectors.keys().cloned().collect();
        for name in names {
            match (self.vectors.get_mut(&name), other.vectors.get(&name)) {
                (Some(Column::I64(a)), Some(Column::I64(b))) => a.extend_from_slice(b),
                (Some(Column::F64(a)), Some(Column::F64(b))) => a.extend_from_slice(b),
                _ => {
                    self.vectors.remove(&name);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> SampleSet {
        let samples = vec![1, -1, 1, 1, 1, -1, 1, 1];
        SampleSet::new(Vartype::Spin, 2, samples, vec![0.5, -1.0, 0.5, -1.0], None).unwrap()
    }

    #[test]
    fn first_truncate_lowest_aggregate() {
        let s = set();
        assert_eq!(s.first(), Some((&[1i8, 1][..], -1.0, 1)));
        let t = s.truncate(3);
        assert_eq!(t.energies(), &[-1.0, -1.0, 0.5]);
        assert_eq!(t.sample(2), &[1, -1]);
        let l = s.lowest(1e-5, 1e-8).unwrap();
        assert_eq!(l.len(), 2);
        let a = s.aggregate();
        assert_eq!(a.len(), 2);
        assert_eq!(a.num_occurrences(), &[2, 2]);
        assert_eq!(a.sample(0), &[1, -1]);
    }

    #[test]
    fn vartype_change_and_validation() {
        let mut s = set();
        s.change_vartype(Vartype::Binary, 2.0).unwrap();
        assert_eq!(s.sample(0), &[1, 0]);
        assert_eq!(s.energies()[1], 1.0);
        assert!(SampleSet::new(Vartype::Spin, 2, vec![1, 0], vec![0.0], None).is_err());
        assert!(SampleSet::new(Vartype::Spin, 2, vec![1, 1, 1], vec![0.0], None).is_err());
        assert!(SampleSet::new(Vartype::Spin, 1, vec![1], vec![f64::NAN], None).is_err());
        assert!(s.set_vector("num_steps", Column::I64(vec![1, 2])).is_err());
        s.set_vector("num_steps", Column::I64(vec![1, 2, 3, 4])).unwrap();
        assert_eq!(s.truncate(1).vectors()["num_steps"], Column::I64(vec![2]));
    }
}
