//! The binary form of an expanded polynomial: every spin `s` becomes `2x − 1`.

use super::ExprError;
use super::expand::Terms;
use super::key::{FxMap, Key, Tables};
use crate::Result;

/// Spin variables per product above which the binary form (`2^degree` terms) is refused.
pub(crate) const MAX_SPIN_DEGREE: usize = 24;

/// The binary form of `terms` (distinct keys, exact zeros dropped, as the input).
pub(crate) fn to_binary(terms: Terms, t: &mut Tables) -> Result<Terms> {
    let mut tmp = [0u32; 2];
    let has_spin =
        |t: &Tables, k: &Key, tmp: &mut [u32; 2]| t.vars(k.vars, tmp).iter().any(|&v| t.spin[v as usize]);
    if !terms.iter().any(|(k, _)| has_spin(t, k, &mut tmp)) {
        return Ok(terms);
    }
    let mut acc: FxMap<Key, f64> = FxMap::default();
    let (mut spins, mut ids, mut vars) = (Vec::new(), Vec::new(), Vec::new());
    for (k, c) in terms {
        if !has_spin(t, &k, &mut tmp) {
            *acc.entry(k).or_insert(0.0) += c;
            continue;
        }
        vars.clear();
        vars.extend_from_slice(t.vars(k.vars, &mut tmp));
        spins.clear();
        spins.extend(vars.iter().copied().filter(|&v| t.spin[v as usize]));
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
            ids.extend(vars.iter().copied().filter(|&v| !t.spin[v as usize]));
            ids.extend((0..d).filter(|&j| mask >> j & 1 == 1).map(|j| spins[j]));
            ids.sort_unstable();
            let u = mask.count_ones() as i32;
            let sign = if (d as i32 - u) % 2 == 0 { 1.0 } else { -1.0 };
            let key = Key {
                vars: t.set_of(&ids),
                mono: k.mono,
            };
            *acc.entry(key).or_insert(0.0) += c * sign * 2f64.powi(u);
        }
    }
    Ok(acc.into_iter().filter(|&(_, c)| c != 0.0).collect())
}

#[cfg(test)]
mod tests {
    use super::super::key::Vars;
    use super::*;

    #[test]
    fn spins_become_binary() {
        // 3 s0 s1 + x2 with s = 2x − 1: 12 x0x1 − 6 x0 − 6 x1 + 3 + x2
        let mut t = Tables::new(vec![true, true, false]);
        let terms = vec![
            (
                Key {
                    vars: Vars::Two(0, 1),
                    mono: 0,
                },
                3.0,
            ),
            (
                Key {
                    vars: Vars::One(2),
                    mono: 0,
                },
                1.0,
            ),
        ];
        let mut got: Vec<(Vars, f64)> = to_binary(terms, &mut t)
            .unwrap()
            .into_iter()
            .map(|(k, c)| (k.vars, c))
            .collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(
            got,
            vec![
                (Vars::Zero, 3.0),
                (Vars::One(0), -6.0),
                (Vars::One(1), -6.0),
                (Vars::One(2), 1.0),
                (Vars::Two(0, 1), 12.0)
            ]
        );
    }

    #[test]
    fn too_many_spins_in_one_product_is_refused() {
        let n = MAX_SPIN_DEGREE + 1;
        let mut t = Tables::new(vec![true; n]);
        let vars: Vec<u32> = (0..n as u32).collect();
        let key = Key {
            vars: t.set_of(&vars),
            mono: 0,
        };
        let err = to_binary(vec![(key, 1.0)], &mut t).err().unwrap();
        assert_eq!(err.kind(), crate::ErrorKind::LimitExceeded);
    }
}
