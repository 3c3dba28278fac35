//! The expanded polynomial in binary form, grouped by monomial: the input of quadratization and
//! of the compiled model's layout.

use super::ExprError;
use super::expand::Terms;
use super::key::{FxMap, Ids};
use crate::Result;

/// Spin variables per product above which the binary form (`2^degree` terms) is refused.
pub(crate) const MAX_SPIN_DEGREE: usize = 24;

/// Distinct placeholder monomials (sorted `(placeholder, exponent)` pairs); index 0 is the
/// constant monomial 1.
pub(crate) struct MonoTable {
    index: FxMap<Ids, u32>,
    pub(crate) list: Vec<Ids>,
}

impl MonoTable {
    pub(crate) fn new() -> Self {
        let mut index = FxMap::default();
        index.insert(Ids::EMPTY, 0);
        MonoTable {
            index,
            list: vec![Ids::EMPTY],
        }
    }

    pub(crate) fn intern(&mut self, phs: &Ids) -> u32 {
        if phs.len() == 0 {
            return 0;
        }
        if let Some(&i) = self.index.get(phs) {
            return i;
        }
        let i = self.list.len() as u32;
        self.index.insert(phs.clone(), i);
        self.list.push(phs.clone());
        i
    }
}

/// A polynomial over binary variables: each distinct variable set (a "slot") with any number of
/// `(placeholder monomial, coefficient)` entries, summed later.
#[derive(Default)]
pub(crate) struct BinaryPoly {
    /// Sorted distinct variable ids of each slot.
    pub(crate) keys: Vec<Ids>,
    pub(crate) slot_of: FxMap<Ids, u32>,
    /// `(slot, placeholder monomial, coefficient)`.
    pub(crate) entries: Vec<(u32, u32, f64)>,
}

impl BinaryPoly {
    pub(crate) fn add(&mut self, vars: &[u32], mono: u32, coef: f64) {
        let key = Ids::from_slice(vars);
        let next = self.keys.len() as u32;
        let slot = *self.slot_of.entry(key).or_insert(next);
        if slot == next {
            self.keys.push(Ids::from_slice(vars));
        }
        self.entries.push((slot, mono, coef));
    }

    /// The binary form of `terms`: each spin `s` becomes `2x − 1`.
    pub(crate) fn from_terms(terms: &Terms, spin: &[bool], monos: &mut MonoTable) -> Result<Self> {
        let mut poly = BinaryPoly::default();
        poly.entries.reserve(terms.len());
        let mut spins = Vec::new();
        let mut ids = Vec::new();
        for (m, c) in terms {
            let mono = monos.intern(&m.phs);
            let vars = m.vars.as_slice();
            if !vars.iter().any(|&v| spin[v as usize]) {
                poly.add(vars, mono, *c);
                continue;
            }
            spins.clear();
            spins.extend(vars.iter().copied().filter(|&v| spin[v as usize]));
            let d = spins.len();
            if d > MAX_SPIN_DEGREE {
                return Err(ExprError::SpinDegreeTooHigh {
                    degree: d,
                    limit: MAX_SPIN_DEGREE,
                }
                .into());
            }
            // Π (2x_s − 1) = Σ_{U ⊆ S} 2^|U| (−1)^(d − |U|) Π_{s ∈ U} x_s
            for mask in 0u32..(1 << d) {
                ids.clear();
                ids.extend(vars.iter().copied().filter(|&v| !spin[v as usize]));
                ids.extend((0..d).filter(|&k| mask >> k & 1 == 1).map(|k| spins[k]));
                ids.sort_unstable();
                let u = mask.count_ones() as i32;
                let sign = if (d as i32 - u) % 2 == 0 { 1.0 } else { -1.0 };
                poly.add(&ids, mono, c * sign * 2f64.powi(u));
            }
        }
        Ok(poly)
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::Mono;
    use super::*;

    #[test]
    fn spins_become_binary() {
        // 3 s0 s1 + x2 with s = 2x − 1: 12 x0x1 − 6 x0 − 6 x1 + 3 + x2
        let terms = vec![
            (
                Mono {
                    vars: Ids::from_slice(&[0, 1]),
                    phs: Ids::EMPTY,
                },
                3.0,
            ),
            (Mono::var(2), 1.0),
        ];
        let mut monos = MonoTable::new();
        let poly = BinaryPoly::from_terms(&terms, &[true, true, false], &mut monos).unwrap();
        let mut got: Vec<(Vec<u32>, f64)> = poly
            .entries
            .iter()
            .map(|&(s, _, c)| (poly.keys[s as usize].as_slice().to_vec(), c))
            .collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(
            got,
            vec![
                (vec![], 3.0),
                (vec![0], -6.0),
                (vec![0, 1], 12.0),
                (vec![1], -6.0),
                (vec![2], 1.0)
            ]
        );
    }

    #[test]
    fn too_many_spins_in_one_product_is_refused() {
        let vars: Vec<u32> = (0..=MAX_SPIN_DEGREE as u32).collect();
        let terms = vec![(
            Mono {
                vars: Ids::from_slice(&vars),
                phs: Ids::EMPTY,
            },
            1.0,
        )];
        let spin = vec![true; vars.len()];
        let err = BinaryPoly::from_terms(&terms, &spin, &mut MonoTable::new())
            .err()
            .unwrap();
        assert_eq!(err.kind(), crate::ErrorKind::LimitExceeded);
    }
}
