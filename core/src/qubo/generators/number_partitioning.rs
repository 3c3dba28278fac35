//! Number partitioning as an Ising model.

use super::common::{binary_values, non_empty};
use crate::Result;
use crate::error::check;
use crate::qubo::bqm::finite_result;
use crate::qubo::penalty::MAX_TERMS;
use crate::qubo::penalty::terms::pairs_of;
use crate::qubo::{Bqm, SampleValue, Vartype};

/// Split numbers into two sets with equal sums: SPIN variable `i` puts number `i` in the `+`
/// set (`s = +1`) or the `−` set, and the energy is `(Σ_i a_i s_i)²` (Lucas 2014, §2.1):
/// `J_ij = 2 a_i a_j`, no linear biases, offset `Σ a_i²`. Energy 0 is a perfect partition.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberPartitioning {
    bqm: Bqm,
    numbers: Vec<f64>,
}

/// A decoded partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Indices with spin +1, ascending.
    pub plus: Vec<u32>,
    /// Indices with spin −1, ascending.
    pub minus: Vec<u32>,
    /// Sum of the numbers in `plus`.
    pub sum_plus: f64,
    /// Sum of the numbers in `minus`.
    pub sum_minus: f64,
    /// `sum_plus − sum_minus`; the energy is its square.
    pub difference: f64,
}

/// Builds the model for `numbers` (at least one, finite; a dense model with `n(n−1)/2` couplers).
///
/// ```
/// use neuroquant::qubo::generators::number_partitioning;
/// let np = number_partitioning(&[3.0, 1.0, 2.0])?;
/// let p = np.decode(&[1i8, -1, -1])?; // {3} vs {1, 2}
/// assert_eq!((p.difference, np.bqm().energy(&[1i8, -1, -1])?), (0.0, 0.0));
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn number_partitioning(numbers: &[f64]) -> Result<NumberPartitioning> {
    non_empty("numbers", numbers.len())?;
    check::all_finite("numbers", numbers)?;
    let n = numbers.len();
    check::at_most_implied("numbers", n as u64, pairs_of, MAX_TERMS as u128)?;
    let pairs = n * (n - 1) / 2;
    let mut bqm = Bqm::with_variables(Vartype::Spin, n)?;
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    let oom = |_| crate::Error::OutOfMemory {
        what: "couplers",
        bytes: pairs.saturating_mul(16),
    };
    rows.try_reserve_exact(pairs).map_err(oom)?;
    cols.try_reserve_exact(pairs).map_err(oom)?;
    biases.try_reserve_exact(pairs).map_err(oom)?;
    for i in 0..n {
        for j in i + 1..n {
            rows.push(i as u32);
            cols.push(j as u32);
            biases.push(2.0 * numbers[i] * numbers[j]);
        }
    }
    let offset: f64 = numbers.iter().map(|a| a * a).sum();
    let offset = finite_result(offset, "squaring the numbers", || "the offset".into())?;
    bqm.add_quadratic_from(&rows, &cols, &biases)?;
    bqm.set_offset(offset)?;
    Ok(NumberPartitioning {
        bqm,
        numbers: numbers.to_vec(),
    })
}

impl NumberPartitioning {
    /// The model (SPIN, one variable per number).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The numbers as given.
    pub fn numbers(&self) -> &[f64] {
        &self.numbers
    }

    /// The partition of a sample of the model (one spin per number).
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<Partition> {
        let x = binary_values(&self.bqm, sample)?;
        let mut p = Partition {
            plus: Vec::new(),
            minus: Vec::new(),
            sum_plus: 0.0,
            sum_minus: 0.0,
            difference: 0.0,
        };
        for (i, (&b, &a)) in x.iter().zip(&self.numbers).enumerate() {
            if b == 1 {
                p.plus.push(i as u32);
                p.sum_plus += a;
            } else {
                p.minus.push(i as u32);
                p.sum_minus += a;
            }
        }
        p.difference = p.sum_plus - p.sum_minus;
        Ok(p)
    }
}
