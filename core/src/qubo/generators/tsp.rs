//! The travelling salesperson problem as a QUBO over (city, position) one-hot assignments.

use super::common::{binary_values, non_empty, non_negative, strength as default_strength};
use crate::Result;
use crate::error::check;
use crate::qubo::penalty::MAX_TERMS;
use crate::qubo::penalty::terms::Terms;
use crate::qubo::{Bqm, SampleValue, Vartype};

/// A TSP instance and its BINARY model: variable `c·n + p` is 1 when city `c` is visited at
/// position `p` of the closed tour. Energy
/// `Σ_p Σ_{u≠v} D[u][v] x_{u,p} x_{v,p+1 mod n} + A Σ_c (Σ_p x_{c,p} − 1)² + A Σ_p (Σ_c x_{c,p} − 1)²`:
/// for a permutation, the length of the directed tour (the diagonal of `D` is ignored).
///
/// Default strength: with `D >= 0` and `A > D⁺ = max_{u≠v} D[u][v]` every minimiser is a
/// permutation (Lucas 2014, §7.1). Proof sketch: keep a maximum matching of the ones (at most
/// one per city and position); each unmatched city and each unmatched position is charged to a
/// distinct unit of the one-hot penalty `P/A`, so at most `P / (2A)` cities are unplaced, and
/// placing each adds at most two edges `<= 2 D⁺` while dropping ones never adds length; the
/// completed tour is therefore at most `objective + D⁺ P / A < objective + P`. The default is
/// [`DEFAULT_MARGIN`](super::DEFAULT_MARGIN)` · D⁺` (1 when every distance is 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Tsp {
    bqm: Bqm,
    num_cities: usize,
    distances: Vec<f64>,
    strength: f64,
    strength_bound: f64,
}

/// A decoded assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    /// The city at each position, when the sample is a permutation.
    pub tour: Option<Vec<u32>>,
    /// The length of that closed tour.
    pub length: Option<f64>,
    /// The sample is a permutation (every city once, every position once).
    pub valid: bool,
    /// How many positions each city occupies.
    pub city_counts: Vec<u32>,
    /// How many cities each position holds.
    pub position_counts: Vec<u32>,
    /// The distance part of the energy (equal to `length` for a permutation).
    pub objective: f64,
    /// The one-hot part of the energy.
    pub penalty: f64,
}

/// Builds the model for `num_cities >= 1` and the row-major `num_cities × num_cities` matrix
/// `distances` (finite, `>= 0`; asymmetric allowed; diagonal ignored). `strength` (finite,
/// `> 0`) overrides the default. The model has `n²` variables and about `2n³` couplers.
///
/// ```
/// use neuroquant::qubo::generators::tsp;
/// let d = [0.0, 1.0, 2.0, 1.0, 0.0, 3.0, 2.0, 3.0, 0.0];
/// let t = tsp(3, &d, None)?;
/// let mut sample = [0i8; 9];
/// for (p, c) in [0usize, 2, 1].iter().enumerate() { sample[c * 3 + p] = 1; } // tour 0 → 2 → 1
/// let tour = t.decode(&sample)?;
/// assert_eq!((tour.tour, tour.length), (Some(vec![0, 2, 1]), Some(2.0 + 3.0 + 1.0)));
/// assert_eq!(t.bqm().energy(&sample)?, 6.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn tsp(num_cities: usize, distances: &[f64], strength: Option<f64>) -> Result<Tsp> {
    let n = num_cities;
    non_empty("num_cities", n)?;
    // n·n(n−1) tour terms and 2·n·n(n−1)/2 one-hot pairs (at least the n² variables).
    let terms = |n: u64| {
        (u128::from(n) * u128::from(n)).max(2 * u128::from(n).pow(2) * u128::from(n.saturating_sub(1)))
    };
    check::at_most_implied("num_cities", n as u64, terms, MAX_TERMS as u128)?;
    let num_vars = n * n;
    let pairs = num_vars * (n - 1) * 2;
    check::len("distances", num_vars, distances.len())?;
    non_negative("distances", distances)?;
    let d = |u: usize, v: usize| distances[u * n + v];
    let strength_bound = (0..n)
        .flat_map(|u| (0..n).filter(move |&v| v != u).map(move |v| (u, v)))
        .map(|(u, v)| d(u, v))
        .fold(0.0, f64::max);
    let a = default_strength("strength", strength, strength_bound)?;

    let var = |c: usize, p: usize| (c * n + p) as u32;
    let mut terms = Terms::with_capacity("num_cities", 2 * num_vars, pairs)?;
    for p in 0..n {
        let q = (p + 1) % n;
        for u in 0..n {
            for v in (0..n).filter(|&v| v != u) {
                if d(u, v) != 0.0 {
                    terms.pair(var(u, p), var(v, q), d(u, v));
                }
            }
        }
    }
    let ones = vec![1.0; n];
    let mut group = Vec::with_capacity(n);
    for c in 0..n {
        group.clear();
        group.extend((0..n).map(|p| var(c, p)));
        terms.add_square(&group, &ones, -1.0, a);
    }
    for p in 0..n {
        group.clear();
        group.extend((0..n).map(|c| var(c, p)));
        terms.add_square(&group, &ones, -1.0, a);
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, num_vars)?;
    terms.apply(&mut bqm, 0)?;
    Ok(Tsp {
        bqm,
        num_cities: n,
        distances: distances.to_vec(),
        strength: a,
        strength_bound,
    })
}

impl Tsp {
    /// The model (BINARY, variable `city · n + position`).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The variable of `city` at `position`: `city · n + position`.
    pub fn variable(&self, city: u32, position: u32) -> Result<u32> {
        check::index("city", city.into(), self.num_cities)?;
        check::index("position", position.into(), self.num_cities)?;
        Ok(city * self.num_cities as u32 + position)
    }

    /// The one-hot strength `A` used.
    pub fn strength(&self) -> f64 {
        self.strength
    }

    /// `D⁺`: any strength above it makes every minimiser a permutation.
    pub fn strength_bound(&self) -> f64 {
        self.strength_bound
    }

    /// The assignment of a sample of the model.
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<Tour> {
        let x = binary_values(&self.bqm, sample)?;
        let n = self.num_cities;
        let at = |c: usize, p: usize| x[c * n + p] as usize;
        let city_counts: Vec<u32> = (0..n).map(|c| (0..n).map(|p| at(c, p) as u32).sum()).collect();
        let position_counts: Vec<u32> = (0..n).map(|p| (0..n).map(|c| at(c, p) as u32).sum()).collect();
        let d = |u: usize, v: usize| self.distances[u * n + v];
        let mut objective = 0.0;
        for p in 0..n {
            let q = (p + 1) % n;
            for u in (0..n).filter(|&u| at(u, p) == 1) {
                for v in (0..n).filter(|&v| v != u && at(v, q) == 1) {
                    objective += d(u, v);
                }
            }
        }
        let violation: f64 = city_counts
            .iter()
            .chain(&position_counts)
            .map(|&k| (k as f64 - 1.0).powi(2))
            .sum();
        let valid = violation == 0.0;
        let tour: Option<Vec<u32>> = valid.then(|| {
            (0..n)
                .map(|p| (0..n).find(|&c| at(c, p) == 1).unwrap() as u32)
                .collect()
        });
        // The diagonal is ignored: a one-city tour has length 0.
        let leg = |u: u32, v: u32| if u == v { 0.0 } else { d(u as usize, v as usize) };
        let length = tour
            .as_ref()
            .map(|t| (0..n).map(|p| leg(t[p], t[(p + 1) % n])).sum());
        Ok(Tour {
            tour,
            length,
            valid,
            city_counts,
            position_counts,
            objective,
            penalty: self.strength * violation,
        })
    }
}
