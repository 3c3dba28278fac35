//! Energies of samples.

use super::{Bqm, QuboError, Vartype};
use crate::Result;
use crate::error::{ArgumentError, check};
use rayon::prelude::*;

/// Rows × (variables + interactions) above which a batch is evaluated in parallel.
const PARALLEL_WORK: usize = 1 << 16;

/// Samples evaluated together, so each bias is loaded once per block of rows (16 measured best
/// on x86-64 for dense N=2000; 32 was no faster with twice the buffer).
const LANES: usize = 16;

/// Integer element types accepted as sample values (`i8` is the native one; the others let
/// callers pass their arrays without a conversion).
pub trait SampleValue: Copy + Send + Sync + sealed::Sealed {
    /// The value as `i64`.
    fn to_i64(self) -> i64;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! sample_value {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl SampleValue for $t {
            #[inline]
            fn to_i64(self) -> i64 {
                self as i64
            }
        }
    )*};
}
sample_value!(i8, i16, i32, i64, u8);

impl Bqm {
    /// Energy of one sample (one value per variable, in the model's vartype).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_linear(0, -1.0)?;
    /// bqm.add_quadratic(0, 1, 3.0)?;
    /// bqm.set_offset(0.5)?;
    /// assert_eq!(bqm.energy(&[1i8, 1])?, 0.5 - 1.0 + 3.0);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn energy<T: SampleValue>(&self, sample: &[T]) -> Result<f64> {
        let mut out = [0.0];
        self.energies(sample, &mut out)?;
        Ok(out[0])
    }

    /// Energies of a batch of samples stored row-major (`out.len()` rows of
    /// `num_variables()` values each), written to `out`. Large batches run in parallel; the
    /// result does not depend on the number of threads. `out` is written only on success.
    pub fn energies<T: SampleValue>(&self, samples: &[T], out: &mut [f64]) -> Result<()> {
        let energies = self.energies_rows(samples, out.len())?;
        out.copy_from_slice(&energies);
        Ok(())
    }

    /// Energies of `rows` samples stored row-major in `samples` (`rows × num_variables()`
    /// values). The shape is checked before anything is allocated, so a wrong `rows` is a
    /// `DimensionMismatch` however large it is; a model without variables has `rows` empty
    /// samples, each of energy `offset`, and their energies are allocated fallibly
    /// ([`Error::OutOfMemory`](crate::Error::OutOfMemory) rather than an abort).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
    /// bqm.add_quadratic(0, 1, -1.0)?;
    /// assert_eq!(bqm.energies_rows(&[1i8, 1, 1, -1], 2)?, vec![-1.0, 1.0]);
    /// assert!(bqm.energies_rows(&[1i8, 1], usize::MAX).is_err());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn energies_rows<T: SampleValue>(&self, samples: &[T], rows: usize) -> Result<Vec<f64>> {
        let n = self.num_variables();
        check_batch(n, samples.len(), rows)?;
        self.check_values("samples", samples)?;
        if n == 0 {
            return crate::alloc::filled("energies", self.offset, rows);
        }
        let mut energies = crate::alloc::filled("energies", 0.0, rows)?;
        let upper: Vec<usize> = self
            .adj
            .iter()
            .enumerate()
            .map(|(u, nb)| nb.upper_start(u as u32))
            .collect();
        let block = |(e, s): (&mut [f64], &[T])| self.block_energies::<T, LANES>(&upper, s, e);
        let work = rows.saturating_mul(n + self.num_interactions);
        if rows == 1 {
            // One row (`energy`): a one-lane block, the same operations as any lane of a batch.
            self.block_energies::<T, 1>(&upper, samples, &mut energies)?;
        } else if work >= PARALLEL_WORK {
            energies
                .par_chunks_mut(LANES)
                .zip(samples.par_chunks(LANES * n))
                .try_for_each(block)?;
        } else {
            energies
                .chunks_mut(LANES)
                .zip(samples.chunks(LANES * n))
                .try_for_each(block)?;
        }
        if let Some(k) = energies.iter().position(|e| !e.is_finite()) {
            return Err(QuboError::Overflow {
                operation: "computing an energy",
                location: format!("sample {k}"),
            }
            .into());
        }
        Ok(energies)
    }

    /// Energies of a batch of samples (row-major, `num_variables()` per row).
    pub fn energies_vec<T: SampleValue>(&self, samples: &[T]) -> Result<Vec<f64>> {
        let n = self.num_variables();
        // A model without variables has zero-length rows: only an empty batch is unambiguous.
        let rows = match samples.len().checked_div(n) {
            Some(rows) => rows,
            None if samples.is_empty() => 0,
            None => {
                return Err(ArgumentError::DimensionMismatch {
                    argument: "samples",
                    expected: 0,
                    got: samples.len(),
                }
                .into());
            }
        };
        self.energies_rows(samples, rows)
    }

    /// Checks every value lies in the vartype; reports the first that does not.
    pub(crate) fn check_values<T: SampleValue>(&self, argument: &'static str, samples: &[T]) -> Result<()> {
        check_sample_values(self.vartype, self.num_variables(), argument, samples)
    }

    /// Energies of up to `L` rows at once: `E(s) = offset + Σ_u s_u (a_u + Σ_{v>u} b_uv s_v)`.
    ///
    /// The rows are transposed into `f64` lanes so each bias is loaded once per block and the
    /// inner update is a vector operation. Every lane performs the same operations in the same
    /// order whatever the block size or position, so a row's energy does not depend on how the
    /// batch is split. Values are already checked.
    fn block_energies<T: SampleValue, const L: usize>(
        &self,
        upper: &[usize],
        rows: &[T],
        out: &mut [f64],
    ) -> Result<()> {
        let n = self.num_variables();
        let r = out.len();
        let mut x = crate::alloc::filled("energy lanes", [0.0f64; L], n)?;
        for (lane, row) in rows.chunks_exact(n).enumerate() {
            for (xv, &sv) in x.iter_mut().zip(row) {
                xv[lane] = sv.to_i64() as f64;
            }
        }
        let mut e = [self.offset; L];
        for (u, (nb, &a)) in self.adj.iter().zip(&self.linear).enumerate() {
            let mut acc = [0.0f64; L];
            let start = upper[u];
            for (&v, &b) in nb.nbrs[start..].iter().zip(&nb.biases[start..]) {
                let xv = &x[v as usize];
                for l in 0..L {
                    acc[l] += b * xv[l];
                }
            }
            let xu = &x[u];
            for l in 0..L {
                e[l] += xu[l] * (a + acc[l]);
            }
        }
        out.copy_from_slice(&e[..r]);
        Ok(())
    }
}

/// `samples_len` must be `rows × n` (see [`check::len_rows`]).
fn check_batch(n: usize, samples_len: usize, rows: usize) -> Result<()> {
    Ok(check::len_rows("samples", "energies", rows, n, samples_len)?)
}

/// Checks every value of the row-major `samples` (rows of `num_variables`) lies in `vartype`;
/// reports the first that does not with its row and column.
/// Float sample values that are exactly integers (such as `numpy.sign(x)` gives) as `i8`; any
/// other value (a fraction, NaN, out of the `i8` range) is an error naming its position. Whether
/// the values belong to a vartype is checked where they are used.
///
/// ```
/// use neuroquant::qubo::exact_sample_values;
/// assert_eq!(exact_sample_values("samples", &[1.0, -1.0, 0.0])?, vec![1i8, -1, 0]);
/// assert!(exact_sample_values("samples", &[0.5]).is_err());
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn exact_sample_values(argument: &'static str, values: &[f64]) -> Result<Vec<i8>> {
    let mut out = crate::alloc::with_capacity("sample values", values.len())?;
    for (k, &x) in values.iter().enumerate() {
        if x.fract() != 0.0 || !(-128.0..=127.0).contains(&x) {
            return Err(ArgumentError::Invalid {
                argument,
                reason: format!("element {k} is {x}, not an exact spin or binary value"),
            }
            .into());
        }
        out.push(x as i8);
    }
    Ok(out)
}

pub(crate) fn check_sample_values<T: SampleValue>(
    vartype: Vartype,
    num_variables: usize,
    argument: &'static str,
    samples: &[T],
) -> Result<()> {
    match samples.iter().position(|&x| !vartype.contains(x.to_i64())) {
        None => Ok(()),
        Some(k) => {
            let n = num_variables.max(1);
            Err(QuboError::InvalidSampleValue {
                argument,
                sample: k / n,
                variable: k % n,
                value: samples[k].to_i64(),
                vartype,
            }
            .into())
        }
    }
}
