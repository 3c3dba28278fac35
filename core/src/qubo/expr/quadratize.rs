//! Reduction of higher-order binary terms to quadratic ones (Rosenberg substitution).
//!
//! Greedy, as PyQUBO does: while a term of degree ≥ 3 remains, take the pair of variables that
//! occurs in the most such terms (ties: the pair with the smallest indices), introduce an
//! auxiliary binary `z` named `"a * b"` after the pair's labels, replace `ab` by `z` in every
//! term of degree ≥ 3 that holds both, and add `strength · (ab − 2az − 2bz + 3z)`. The penalty is
//! 0 when `z = ab` and at least `strength` otherwise, so for a large enough strength the minima
//! are unchanged and every assignment with `z = ab` keeps its energy.
//!
//! Unlike PyQUBO, quadratic terms `c·ab` are left as they are (PyQUBO rewrites them to `c·z`
//! too): then only the higher-order coefficients bound the strength that is needed.
//!
//! Pair counts are kept up to date incrementally with a lazy max-heap, so the cost is
//! proportional to the pairs touched, not (auxiliaries × terms).

use super::ExprError;
use super::expand::Terms;
use super::key::{FxMap, Key, Tables, Vars};
use crate::Result;
use crate::error::check;
use crate::qubo::MAX_VARIABLES;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// Quadratizes the binary polynomial `terms` in place (every key ends with at most two
/// variables). New variables get ids from `labels.len()` on, their labels are appended to
/// `labels` (and `index`); returns the pair `[a, b]` that each one stands for.
pub(crate) fn quadratize(
    terms: &mut Terms,
    t: &Tables,
    labels: &mut Vec<Arc<str>>,
    index: &mut FxMap<Arc<str>, u32>,
    (strength, mono): (f64, u32),
) -> Result<Vec<[u32; 2]>> {
    // One slot per distinct higher-order variable set, whatever its placeholder monomials.
    let mut slot_of_set: FxMap<u32, u32> = FxMap::default();
    let mut keys: Vec<Vec<u32>> = Vec::new();
    for (k, _) in terms.iter() {
        if let Vars::Many(i) = k.vars {
            slot_of_set.entry(i).or_insert_with(|| {
                keys.push(t.sets.list[i as usize].to_vec());
                keys.len() as u32 - 1
            });
        }
    }
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut pairs = PairCounts::default();
    for (slot, key) in keys.iter().enumerate() {
        for (a, &u) in key.iter().enumerate() {
            for &v in &key[a + 1..] {
                pairs.inc((u, v), slot as u32);
            }
        }
    }
    let mut aux = Vec::new();
    let mut rest = Vec::new();
    let mut penalties = Vec::new();
    while let Some((i, j)) = pairs.pop_most_frequent() {
        let z = labels.len() as u32;
        check::at_most("num_variables", labels.len() as u64 + 1, MAX_VARIABLES as u64)?;
        let label: Arc<str> = format!("{} * {}", labels[i as usize], labels[j as usize]).into();
        if index.contains_key(&label) {
            return Err(ExprError::AuxiliaryLabelTaken {
                label: label.to_string(),
            }
            .into());
        }
        index.insert(label.clone(), z);
        labels.push(label);
        aux.push([i, j]);

        for slot in pairs.take_occurrences((i, j)) {
            let key = &mut keys[slot as usize];
            if key.len() < 3 || key.binary_search(&i).is_err() || key.binary_search(&j).is_err() {
                continue; // an earlier substitution already took i or j out of this term
            }
            rest.clear();
            rest.extend(key.iter().copied().filter(|&k| k != i && k != j));
            for &k in &rest {
                pairs.dec(ordered(i, k));
                pairs.dec(ordered(j, k));
            }
            rest.push(z); // z is the largest id: the key stays sorted
            if rest.len() >= 3 {
                for &k in &rest[..rest.len() - 1] {
                    pairs.inc((k, z), slot);
                }
            }
            key.clear();
            key.extend_from_slice(&rest);
        }

        let pair = |a, b| Key {
            vars: Vars::Two(a, b),
            mono,
        };
        penalties.push((pair(i, j), strength));
        penalties.push((pair(i, z), -2.0 * strength));
        penalties.push((pair(j, z), -2.0 * strength));
        penalties.push((
            Key {
                vars: Vars::One(z),
                mono,
            },
            3.0 * strength,
        ));
    }
    for (k, _) in terms.iter_mut() {
        if let Vars::Many(i) = k.vars {
            let key = &keys[slot_of_set[&i] as usize];
            debug_assert_eq!(key.len(), 2);
            k.vars = Vars::Two(key[0], key[1]);
        }
    }
    terms.extend(penalties);
    Ok(aux)
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// How many higher-order terms hold each pair, which terms, and a lazy max-heap over the counts
/// (stale heap entries are skipped when popped).
#[derive(Default)]
struct PairCounts {
    count: FxMap<(u32, u32), u32>,
    occurrences: FxMap<(u32, u32), Vec<u32>>,
    heap: BinaryHeap<(u32, Reverse<(u32, u32)>)>,
}

impl PairCounts {
    fn inc(&mut self, pair: (u32, u32), slot: u32) {
        let c = self.count.entry(pair).or_insert(0);
        *c += 1;
        self.heap.push((*c, Reverse(pair)));
        self.occurrences.entry(pair).or_default().push(slot);
    }

    fn dec(&mut self, pair: (u32, u32)) {
        if let Some(c) = self.count.get_mut(&pair) {
            *c -= 1;
            if *c == 0 {
                self.count.remove(&pair);
                self.occurrences.remove(&pair);
            } else {
                self.heap.push((*c, Reverse(pair)));
            }
        }
    }

    /// The pair in the most higher-order terms (smallest ids on ties), removed from the counts.
    fn pop_most_frequent(&mut self) -> Option<(u32, u32)> {
        while let Some((c, Reverse(pair))) = self.heap.pop() {
            if self.count.get(&pair) == Some(&c) {
                self.count.remove(&pair);
                return Some(pair);
            }
        }
        None
    }

    fn take_occurrences(&mut self, pair: (u32, u32)) -> Vec<u32> {
        self.occurrences.remove(&pair).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quadratizes unit-coefficient terms over variables `x0..x{n-1}`; returns the summed
    /// terms as (variables, coefficient), sorted, and the auxiliary labels.
    fn run(terms: &[(&[u32], f64)], n: usize) -> (Vec<(Vars, f64)>, Vec<String>) {
        let mut t = Tables::new(vec![false; n]);
        let mut poly: Terms = terms
            .iter()
            .map(|(v, c)| {
                (
                    Key {
                        vars: t.set_of(v),
                        mono: 0,
                    },
                    *c,
                )
            })
            .collect();
        let mut labels: Vec<Arc<str>> = (0..n).map(|i| format!("x{i}").into()).collect();
        let mut index = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i as u32))
            .collect();
        quadratize(&mut poly, &t, &mut labels, &mut index, (5.0, 0)).unwrap();
        let mut out: FxMap<Vars, f64> = FxMap::default();
        for (k, c) in poly {
            *out.entry(k.vars).or_default() += c;
        }
        let mut out: Vec<_> = out.into_iter().collect();
        out.sort_by(|a, b| a.partial_cmp(b).unwrap());
        (out, labels[n..].iter().map(|l| l.to_string()).collect())
    }

    #[test]
    fn most_frequent_pair_first_and_ties_to_smallest_ids() {
        // x0x2x3 + x1x2x3: (2, 3) is in both terms.
        let (_, aux) = run(&[(&[0, 2, 3], 1.0), (&[1, 2, 3], 1.0)], 4);
        assert_eq!(aux, ["x2 * x3"]);
        // A single quintic term: (0,1), then (2,3), then (4, z0).
        let (terms, aux) = run(&[(&[0, 1, 2, 3, 4], 1.0)], 5);
        assert_eq!(aux, ["x0 * x1", "x2 * x3", "x4 * x0 * x1"]);
        assert!(terms.iter().all(|(k, _)| !matches!(k, Vars::Many(_))));
        assert!(terms.contains(&(Vars::Two(6, 7), 1.0))); // z1 z2 carries the coefficient
    }

    #[test]
    fn penalty_is_zero_exactly_when_the_auxiliary_is_the_product() {
        let (terms, aux) = run(&[(&[0, 1, 2], 1.0)], 3);
        assert_eq!(aux, ["x0 * x1"]);
        let energy = |x: [f64; 4]| -> f64 {
            terms
                .iter()
                .map(|(k, c)| {
                    c * match *k {
                        Vars::Zero => 1.0,
                        Vars::One(a) => x[a as usize],
                        Vars::Two(a, b) => x[a as usize] * x[b as usize],
                        Vars::Many(_) => unreachable!(),
                    }
                })
                .sum()
        };
        for bits in 0..16u32 {
            let x = [0, 1, 2, 3].map(|k| (bits >> k & 1) as f64);
            let original = x[0] * x[1] * x[2];
            if x[3] == x[0] * x[1] {
                assert_eq!(energy(x), original);
            } else {
                assert!(energy(x) >= original + 5.0 - 1.0);
            }
        }
    }

    #[test]
    fn quadratic_terms_are_not_rewritten() {
        // x0x1x2 + 3 x0x1: PyQUBO would turn 3 x0x1 into 3z.
        let (terms, _) = run(&[(&[0, 1, 2], 1.0), (&[0, 1], 3.0)], 3);
        assert!(terms.contains(&(Vars::Two(0, 1), 8.0)));
        assert!(terms.contains(&(Vars::One(3), 15.0)));
    }
}
