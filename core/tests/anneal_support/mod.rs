//! Helpers shared by the `anneal_*` integration tests: random models, an independent brute-force
//! oracle, thread pools and checks every sample set must pass.
#![allow(dead_code)]

use neuroquant::anneal::SampleSet;
use neuroquant::qubo::{Bqm, Vartype};
use neuroquant::rng;
use rand_core::Rng as _;

/// A random model: each pair present with probability `density`, biases uniform in [-1, 1]
/// (or integers in [-range, range] when `integer`), linear biases likewise, an offset of 0.5.
pub fn random_bqm(n: usize, density: f64, vartype: Vartype, seed: u64, integer: Option<i64>) -> Bqm {
    let mut r = rng::stream(seed, 9999);
    let mut unit = move || (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let bias = |u: f64| match integer {
        Some(k) => (u * (2 * k + 1) as f64).floor() - k as f64,
        None => 2.0 * u - 1.0,
    };
    let mut bqm = Bqm::with_variables(vartype, n).unwrap();
    let linear: Vec<f64> = (0..n).map(|_| bias(unit())).collect();
    bqm.add_linear_from(&linear).unwrap();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    for u in 0..n as u32 {
        for v in u + 1..n as u32 {
            if unit() < density {
                rows.push(u);
                cols.push(v);
                biases.push(bias(unit()));
            }
        }
    }
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    bqm.set_offset(0.5).unwrap();
    bqm
}

/// Energy by the definition, independent of `Bqm::energies`.
pub fn energy_by_definition(bqm: &Bqm, x: &[i8]) -> f64 {
    let mut e = bqm.offset();
    for (v, &a) in bqm.linear().iter().enumerate() {
        e += a * f64::from(x[v]);
    }
    for (u, v, b) in bqm.iter_quadratic() {
        e += b * f64::from(x[u as usize]) * f64::from(x[v as usize]);
    }
    e
}

/// The assignment with bit `k` of `code` giving variable `k` its high value.
pub fn assignment(code: u64, n: usize, vartype: Vartype) -> Vec<i8> {
    let [lo, hi] = vartype.values();
    (0..n).map(|k| if code >> k & 1 == 1 { hi } else { lo }).collect()
}

/// Minimum energy and every minimising assignment (as codes), by trying all 2^n.
pub fn brute_force(bqm: &Bqm) -> (f64, Vec<u64>) {
    let n = bqm.num_variables();
    let mut best = f64::INFINITY;
    let mut argmin = Vec::new();
    for code in 0..1u64 << n {
        let e = energy_by_definition(bqm, &assignment(code, n, bqm.vartype()));
        if e < best - 1e-9 {
            best = e;
            argmin.clear();
        }
        if e <= best + 1e-9 {
            argmin.push(code);
        }
    }
    (best, argmin)
}

/// Runs `f` on a dedicated pool of `threads` threads.
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// Every row holds values of the model's vartype and its energy equals `Bqm::energies` exactly.
pub fn assert_consistent(set: &SampleSet, bqm: &Bqm) {
    assert_eq!(set.vartype(), bqm.vartype());
    assert_eq!(set.num_variables(), bqm.num_variables());
    if bqm.num_variables() > 0 {
        let expected = bqm.energies_vec(set.samples()).unwrap();
        assert_eq!(set.energies(), &expected[..]);
        for i in 0..set.len() {
            let e = energy_by_definition(bqm, set.sample(i));
            assert!((e - set.energies()[i]).abs() <= 1e-9 * (1.0 + e.abs()));
        }
    }
}

/// Samples, energies, occurrences and vectors equal (timings aside).
pub fn assert_same_rows(a: &SampleSet, b: &SampleSet) {
    assert_eq!(a.samples(), b.samples());
    assert_eq!(a.energies(), b.energies());
    assert_eq!(a.num_occurrences(), b.num_occurrences());
    assert_eq!(a.vectors(), b.vectors());
    assert_eq!(a.info().seed, b.info().seed);
}

/// FNV-1a of the rows, for value-stability checks.
pub fn fingerprint(set: &SampleSet) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &x in set.samples() {
        h ^= x as u8 as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Boltzmann probabilities at `beta` of every assignment (indexed by code).
pub fn boltzmann(bqm: &Bqm, beta: f64) -> Vec<f64> {
    let n = bqm.num_variables();
    let w: Vec<f64> = (0..1u64 << n)
        .map(|c| (-beta * energy_by_definition(bqm, &assignment(c, n, bqm.vartype()))).exp())
        .collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| x / z).collect()
}

/// The code of an assignment (bit k set when variable k has its high value).
pub fn code_of(x: &[i8], vartype: Vartype) -> u64 {
    let hi = vartype.values()[1];
    x.iter().enumerate().map(|(k, &v)| u64::from(v == hi) << k).sum()
}

// ---- distribution tests ----

/// The p-value below which a distribution test fails. With fixed seeds every outcome is
/// deterministic; this threshold keeps a correct sampler clear of it for any seed a future
/// change might pick (one chance in a million), while a sampler off the distribution by a few
/// percent in some state gives p-values far below it at the sample sizes used.
pub const P_MIN: f64 = 1e-6;

/// Pearson's chi-square goodness-of-fit test.
#[derive(Debug, Clone, Copy)]
pub struct ChiSquare {
    pub statistic: f64,
    pub dof: usize,
    pub p_value: f64,
}

/// Tests observed `counts` against cell probabilities `probs`. Cells expected to hold fewer
/// than 5 observations are pooled (the chi-square approximation needs expected counts of about 5
/// or more), so peaked distributions over many states can be tested.
pub fn chi_square_test(counts: &[u64], probs: &[f64]) -> ChiSquare {
    assert_eq!(counts.len(), probs.len());
    let total = counts.iter().sum::<u64>() as f64;
    let mut cells: Vec<(f64, f64)> = Vec::new(); // (observed, expected)
    let mut pool = (0.0, 0.0);
    for (&c, &p) in counts.iter().zip(probs) {
        let e = p * total;
        if e >= 5.0 {
            cells.push((c as f64, e));
        } else {
            pool.0 += c as f64;
            pool.1 += e;
        }
    }
    if pool.1 > 0.0 || pool.0 > 0.0 {
        if pool.1 >= 5.0 || cells.is_empty() {
            cells.push(pool);
        } else {
            // Too small even pooled: merge into the smallest remaining cell.
            let k = (0..cells.len())
                .min_by(|&a, &b| cells[a].1.total_cmp(&cells[b].1))
                .unwrap();
            cells[k].0 += pool.0;
            cells[k].1 += pool.1;
        }
    }
    let statistic: f64 = cells
        .iter()
        .map(|&(o, e)| {
            if e > 0.0 {
                (o - e).powi(2) / e
            } else if o > 0.0 {
                f64::INFINITY
            } else {
                0.0
            }
        })
        .sum();
    let dof = cells.len().saturating_sub(1).max(1);
    ChiSquare {
        statistic,
        dof,
        p_value: chi_square_sf(statistic, dof),
    }
}

/// Upper tail `P(X ≥ x)` of the chi-square distribution with `k` degrees of freedom: the
/// regularized upper incomplete gamma function `Q(k/2, x/2)` (series below `a + 1`, Lentz's
/// continued fraction above; Numerical Recipes §6.2).
pub fn chi_square_sf(x: f64, k: usize) -> f64 {
    if x.is_infinite() {
        return 0.0;
    }
    let (a, x) = (k as f64 / 2.0, x / 2.0);
    if x <= 0.0 {
        return 1.0;
    }
    let front = (-x + a * x.ln() - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut ap, mut del) = (a, 1.0 / a);
        let mut sum = del;
        for _ in 0..10_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * front).max(0.0)
    } else {
        const TINY: f64 = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        front * h
    }
}

/// `ln Γ(x)` for `x ≥ 1/2` (Lanczos, g = 7, 9 terms; relative error below 1e-14).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |acc, (i, &c)| acc + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// How often each assignment (by [`code_of`]) occurs among `rows` of `set`.
pub fn state_counts(set: &SampleSet, rows: impl IntoIterator<Item = usize>) -> Vec<u64> {
    let mut counts = vec![0u64; 1 << set.num_variables()];
    for i in rows {
        counts[code_of(set.sample(i), set.vartype()) as usize] += 1;
    }
    counts
}

// ---- ground states of larger models ----

/// A frustrated spin glass on a `width × length` strip, variable `c * width + r` at column `c`,
/// row `r`: each column a ring, each spin coupled to its right and lower-right neighbours in the
/// next column. Couplings and fields are `±1` and `±field` (`gaussian: false`) or uniform in
/// `[-1, 1]` and `[-field, field]`. Interactions never skip a column, so
/// [`ground_energy_by_columns`] solves it exactly.
pub fn strip_glass(width: usize, length: usize, gaussian: bool, field: f64, seed: u64) -> Bqm {
    let mut r = rng::stream(seed, 7777);
    let mut unit = move || (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let n = width * length;
    let mut bqm = Bqm::with_variables(Vartype::Spin, n).unwrap();
    let linear: Vec<f64> = (0..n)
        .map(|_| {
            let u = unit();
            match (gaussian, u < 0.5) {
                (true, _) => field * (2.0 * u - 1.0),
                (false, true) => -field,
                (false, false) => field,
            }
        })
        .collect();
    bqm.add_linear_from(&linear).unwrap();
    let mut coupling = || {
        let u = unit();
        if gaussian {
            2.0 * u - 1.0
        } else if u < 0.5 {
            -1.0
        } else {
            1.0
        }
    };
    let at = |c: usize, row: usize| (c * width + row % width) as u32;
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    for c in 0..length {
        for row in 0..width {
            let mut pairs = vec![(at(c, row), at(c, row + 1))];
            if c + 1 < length {
                pairs.push((at(c, row), at(c + 1, row)));
                pairs.push((at(c, row), at(c + 1, row + 1)));
            }
            for (u, v) in pairs {
                rows.push(u);
                cols.push(v);
                biases.push(coupling());
            }
        }
    }
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    bqm
}

/// The exact minimum energy of a model laid out in columns of `width` variables (variable
/// `c * width + r`) whose interactions stay inside a column or join neighbouring columns, by
/// dynamic programming over the columns (min-sum over `2^width` column states): exact where
/// enumerating all `2^n` states is out of reach, and independent of every sampler.
pub fn ground_energy_by_columns(bqm: &Bqm, width: usize) -> f64 {
    let n = bqm.num_variables();
    assert!(n.is_multiple_of(width) && width <= 12);
    let length = n / width;
    let states = 1usize << width;
    let [lo, hi] = bqm.vartype().values();
    let value = |code: usize, r: usize| f64::from(if code >> r & 1 == 1 { hi } else { lo });
    let mut within = vec![Vec::new(); length]; // (r1, r2, bias) inside column c
    let mut between = vec![Vec::new(); length]; // (r in c - 1, r in c, bias)
    for (u, v, b) in bqm.iter_quadratic() {
        let (cu, cv) = (u as usize / width, v as usize / width);
        let (ru, rv) = (u as usize % width, v as usize % width);
        match cv as isize - cu as isize {
            0 => within[cu].push((ru, rv, b)),
            1 => between[cv].push((ru, rv, b)),
            -1 => between[cu].push((rv, ru, b)),
            _ => panic!("interaction ({u}, {v}) skips a column"),
        }
    }
    let column_energy = |c: usize, code: usize| {
        let mut e: f64 = (0..width)
            .map(|r| bqm.linear()[c * width + r] * value(code, r))
            .sum();
        for &(a, b, w) in &within[c] {
            e += w * value(code, a) * value(code, b);
        }
        e
    };
    let mut best: Vec<f64> = (0..states).map(|s| column_energy(0, s)).collect();
    for (c, links) in between.iter().enumerate().skip(1) {
        best = (0..states)
            .map(|s| {
                let here = column_energy(c, s);
                (0..states)
                    .map(|p| {
                        let link: f64 = links.iter().map(|&(a, b, w)| w * value(p, a) * value(s, b)).sum();
                        best[p] + link
                    })
                    .fold(f64::INFINITY, f64::min)
                    + here
            })
            .collect();
    }
    bqm.offset() + best.into_iter().fold(f64::INFINITY, f64::min)
}

/// Rows of `set` whose energy is within `1e-9` of `ground`.
pub fn rows_at(set: &SampleSet, ground: f64) -> usize {
    set.energies()
        .iter()
        .filter(|&&e| (e - ground).abs() < 1e-9)
        .count()
}

/// The exact density of states of a model with integer biases laid out in columns as for
/// [`ground_energy_by_columns`]: `(energy, number of states)` for every energy level, ascending,
/// by the same dynamic programming over columns carrying a histogram of energies. From it,
/// Boltzmann statistics at any `beta` follow exactly ([`energy_level_probabilities`]) for models
/// far too large to enumerate.
pub fn energy_levels_by_columns(bqm: &Bqm, width: usize) -> Vec<(f64, u128)> {
    let n = bqm.num_variables();
    assert!(n.is_multiple_of(width) && width <= 10);
    let integer = |x: f64| {
        assert!(
            x.fract() == 0.0 && x.abs() < 1e6,
            "bias {x} is not a small integer"
        );
        x as i64
    };
    let length = n / width;
    let states = 1usize << width;
    let [lo, hi] = bqm.vartype().values();
    let value = |code: usize, r: usize| i64::from(if code >> r & 1 == 1 { hi } else { lo });
    let mut within = vec![Vec::new(); length];
    let mut between = vec![Vec::new(); length];
    let mut bound = 0i64;
    for (u, v, b) in bqm.iter_quadratic() {
        let (cu, cv) = (u as usize / width, v as usize / width);
        let (ru, rv) = (u as usize % width, v as usize % width);
        let b = integer(b);
        bound += b.abs();
        match cv as isize - cu as isize {
            0 => within[cu].push((ru, rv, b)),
            1 => between[cv].push((ru, rv, b)),
            -1 => between[cu].push((rv, ru, b)),
            _ => panic!("interaction ({u}, {v}) skips a column"),
        }
    }
    let linear: Vec<i64> = bqm.linear().iter().map(|&a| integer(a)).collect();
    bound += linear.iter().map(|a| a.abs()).sum::<i64>();
    let levels = (2 * bound + 1) as usize; // energies -bound..=bound, offset aside
    let column_energy = |c: usize, code: usize| {
        let mut e: i64 = (0..width).map(|r| linear[c * width + r] * value(code, r)).sum();
        for &(a, b, w) in &within[c] {
            e += w * value(code, a) * value(code, b);
        }
        e
    };
    // hist[s][e + bound]: states of columns 0..=c with column c in state s and energy e.
    let mut hist = vec![vec![0u128; levels]; states];
    for (s, h) in hist.iter_mut().enumerate() {
        h[(column_energy(0, s) + bound) as usize] = 1;
    }
    for (c, links) in between.iter().enumerate().skip(1) {
        let mut next = vec![vec![0u128; levels]; states];
        for (s, out) in next.iter_mut().enumerate() {
            let here = column_energy(c, s);
            for (p, prev) in hist.iter().enumerate() {
                let link: i64 = links.iter().map(|&(a, b, w)| w * value(p, a) * value(s, b)).sum();
                let shift = here + link;
                for (e, &count) in prev.iter().enumerate() {
                    if count > 0 {
                        out[(e as i64 + shift) as usize] += count;
                    }
                }
            }
        }
        hist = next;
    }
    (0..levels)
        .filter_map(|e| {
            let count: u128 = hist.iter().map(|h| h[e]).sum();
            (count > 0).then(|| ((e as i64 - bound) as f64 + bqm.offset(), count))
        })
        .collect()
}

/// Boltzmann probability of each level of `levels` at `beta`.
pub fn energy_level_probabilities(levels: &[(f64, u128)], beta: f64) -> Vec<f64> {
    let ground = levels[0].0;
    let w: Vec<f64> = levels
        .iter()
        .map(|&(e, g)| g as f64 * (-beta * (e - ground)).exp())
        .collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| x / z).collect()
}

/// How many rows of `set` lie at each level of `levels` (energies matched within 1e-9).
pub fn level_counts(set: &SampleSet, levels: &[(f64, u128)]) -> Vec<u64> {
    let mut counts = vec![0u64; levels.len()];
    for &e in set.energies() {
        let k = levels
            .iter()
            .position(|&(l, _)| (l - e).abs() < 1e-9)
            .unwrap_or_else(|| panic!("energy {e} is no level of the model"));
        counts[k] += 1;
    }
    counts
}

/// An 8-spin SPIN model on the sparse (CSR) path whose spins 2 and 5 are coupled to every other
/// spin: 13 interactions, so 26 stored directions, fewer than half of the 56 possible, and no
/// dense copy is kept. A flip of spin 2 or 5 then takes the complete-row update (a lower and an
/// upper contiguous part around the diagonal), a flip of any other spin the indexed update.
pub fn two_hub_model() -> Bqm {
    let n = 8u32;
    let mut bqm = Bqm::with_variables(Vartype::Spin, n as usize).unwrap();
    let h: Vec<f64> = (0..n).map(|i| ((i * 7) % 5) as f64 / 5.0 - 0.4).collect();
    bqm.add_linear_from(&h).unwrap();
    for hub in [2u32, 5] {
        for j in (0..n).filter(|&j| j != hub && !(hub == 5 && j == 2)) {
            // Never zero: every pair of a hub row is stored.
            let b = ((3 * hub + 5 * j) % 6) as f64 / 3.0 - 2.5 / 3.0;
            bqm.add_quadratic(hub, j, b).unwrap();
        }
    }
    assert_eq!(bqm.num_interactions(), 13);
    bqm
}

/// Whether no single-variable flip lowers the energy of `x` (by the definition, within 1e-9).
pub fn is_local_minimum(bqm: &Bqm, x: &[i8]) -> bool {
    let [lo, hi] = bqm.vartype().values();
    let e = energy_by_definition(bqm, x);
    let mut y = x.to_vec();
    (0..x.len()).all(|v| {
        y[v] = if x[v] == hi { lo } else { hi };
        let lower = energy_by_definition(bqm, &y) < e - 1e-9;
        y[v] = x[v];
        !lower
    })
}
