//! Term keys of the expansion: 16-byte `Copy` keys (a variable set and a placeholder monomial),
//! with the rare long pieces interned in tables, and a fast deterministic hasher.
//!
//! Variable sets of degree ≤ 2 (every term of a QUBO) are stored inline; longer sets are
//! interned in [`Tables::sets`]. Placeholder monomials (sorted `(placeholder, exponent)` pairs)
//! are interned in [`Tables::monos`], id 0 being the constant 1, and their products memoized.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The variables of a term: sorted distinct ids, inline up to two.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) enum Vars {
    Zero,
    One(u32),
    Two(u32, u32),
    /// A set of three or more variables, interned in [`Tables::sets`].
    Many(u32),
}

/// A term: its variables and its placeholder monomial.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Key {
    pub(crate) vars: Vars,
    pub(crate) mono: u32,
}

impl Key {
    pub(crate) const ONE: Key = Key {
        vars: Vars::Zero,
        mono: 0,
    };
}

impl Hash for Key {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        let (tag, a, b) = match self.vars {
            Vars::Zero => (0u64, 0u32, 0u32),
            Vars::One(a) => (1, a, 0),
            Vars::Two(a, b) => (2, a, b),
            Vars::Many(i) => (3, i, 0),
        };
        h.write_u64(tag << 32 | self.mono as u64);
        h.write_u64((a as u64) << 32 | b as u64);
    }
}

/// A product overflowed a placeholder exponent (`u32`).
#[derive(Debug)]
pub(crate) struct ExponentOverflow;

/// Interned pieces of keys, shared by everything expanded in one compilation.
pub(crate) struct Tables {
    /// `spin[v]`: variable `v` is a spin (`s·s = 1`) rather than binary (`x·x = x`).
    pub(crate) spin: Vec<bool>,
    pub(crate) sets: Interner,
    pub(crate) monos: Interner,
    mono_products: FxMap<(u32, u32), u32>,
    buf: Vec<u32>,
}

/// Interned `u32` lists.
#[derive(Default)]
pub(crate) struct Interner {
    pub(crate) list: Vec<Box<[u32]>>,
    index: FxMap<Box<[u32]>, u32>,
}

impl Interner {
    pub(crate) fn intern(&mut self, ids: &[u32]) -> u32 {
        if let Some(&i) = self.index.get(ids) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(ids.into());
        self.index.insert(ids.into(), i);
        i
    }
}

impl Tables {
    pub(crate) fn new(spin: Vec<bool>) -> Self {
        let mut monos = Interner::default();
        monos.intern(&[]);
        Tables {
            spin,
            sets: Interner::default(),
            monos,
            mono_products: FxMap::default(),
            buf: Vec::new(),
        }
    }

    /// The monomial `p^1`.
    pub(crate) fn placeholder(&mut self, p: u32) -> u32 {
        self.monos.intern(&[p, 1])
    }

    /// The variables of a set as a slice (`tmp` holds inline ones).
    pub(crate) fn vars<'a>(&'a self, v: Vars, tmp: &'a mut [u32; 2]) -> &'a [u32] {
        match v {
            Vars::Zero => &[],
            Vars::One(a) => {
                tmp[0] = a;
                &tmp[..1]
            }
            Vars::Two(a, b) => {
                *tmp = [a, b];
                &tmp[..]
            }
            Vars::Many(i) => &self.sets.list[i as usize],
        }
    }

    /// The set with these sorted distinct ids.
    pub(crate) fn set_of(&mut self, ids: &[u32]) -> Vars {
        match *ids {
            [] => Vars::Zero,
            [a] => Vars::One(a),
            [a, b] => Vars::Two(a, b),
            _ => Vars::Many(self.sets.intern(ids)),
        }
    }

    /// The product of two variable sets, reduced with `x·x = x` (binary) and `s·s = 1` (spin).
    #[inline]
    pub(crate) fn mul_vars(&mut self, a: Vars, b: Vars) -> Vars {
        match (a, b) {
            (Vars::Zero, v) | (v, Vars::Zero) => v,
            (Vars::One(u), Vars::One(v)) => {
                if u == v {
                    if self.spin[u as usize] {
                        Vars::Zero
                    } else {
                        Vars::One(u)
                    }
                } else {
                    Vars::Two(u.min(v), u.max(v))
                }
            }
            _ => self.mul_vars_general(a, b),
        }
    }

    fn mul_vars_general(&mut self, a: Vars, b: Vars) -> Vars {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let (mut ta, mut tb) = ([0u32; 2], [0u32; 2]);
        {
            let (x, y) = (self.vars(a, &mut ta), self.vars(b, &mut tb));
            let (mut i, mut j) = (0, 0);
            while i < x.len() && j < y.len() {
                if x[i] < y[j] {
                    buf.push(x[i]);
                    i += 1;
                } else if y[j] < x[i] {
                    buf.push(y[j]);
                    j += 1;
                } else {
                    if !self.spin[x[i] as usize] {
                        buf.push(x[i]);
                    }
                    i += 1;
                    j += 1;
                }
            }
            buf.extend_from_slice(&x[i..]);
            buf.extend_from_slice(&y[j..]);
        }
        let v = self.set_of(&buf);
        self.buf = buf;
        v
    }

    /// The product of two placeholder monomials (exponents add).
    #[inline]
    pub(crate) fn mul_monos(&mut self, a: u32, b: u32) -> Result<u32, ExponentOverflow> {
        if a == 0 {
            return Ok(b);
        }
        if b == 0 {
            return Ok(a);
        }
        let pair = (a.min(b), a.max(b));
        if let Some(&m) = self.mono_products.get(&pair) {
            return Ok(m);
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        {
            let (x, y) = (&self.monos.list[a as usize], &self.monos.list[b as usize]);
            let (mut i, mut j) = (0, 0);
            while i < x.len() && j < y.len() {
                if x[i] < y[j] {
                    buf.extend_from_slice(&x[i..i + 2]);
                    i += 2;
                } else if y[j] < x[i] {
                    buf.extend_from_slice(&y[j..j + 2]);
                    j += 2;
                } else {
                    let Some(e) = x[i + 1].checked_add(y[j + 1]) else {
                        self.buf = buf;
                        return Err(ExponentOverflow);
                    };
                    buf.extend_from_slice(&[x[i], e]);
                    i += 2;
                    j += 2;
                }
            }
            buf.extend_from_slice(&x[i..]);
            buf.extend_from_slice(&y[j..]);
        }
        let m = self.monos.intern(&buf);
        self.buf = buf;
        self.mono_products.insert(pair, m);
        Ok(m)
    }

    #[inline]
    pub(crate) fn mul(&mut self, a: Key, b: Key) -> Result<Key, ExponentOverflow> {
        Ok(Key {
            vars: self.mul_vars(a.vars, b.vars),
            mono: self.mul_monos(a.mono, b.mono)?,
        })
    }
}

/// FxHash-style multiply hasher: fast on the small integer keys used here and deterministic
/// (no random state), so term order and sums are reproducible run to run.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves entropy in the high bits; the table indexes with the low ones.
        self.0.rotate_left(26)
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_reduce_binary_and_spin_squares_and_add_exponents() {
        let spin = vec![false, true, false, true, false, false, false, false, false];
        let mut t = Tables::new(spin);
        let abc = t.set_of(&[0, 1, 2]);
        let abd = t.set_of(&[0, 1, 3]);
        // x0 x0 = x0, s1 s1 = 1
        assert_eq!(t.mul_vars(abc, abd), t.set_of(&[0, 2, 3]));
        assert_eq!(t.mul_vars(Vars::One(1), Vars::One(1)), Vars::Zero);
        assert_eq!(t.mul_vars(Vars::One(2), Vars::One(2)), Vars::One(2));
        assert_eq!(t.mul_vars(Vars::One(4), Vars::One(2)), Vars::Two(2, 4));
        assert_eq!(t.mul_vars(Vars::Two(1, 3), Vars::Two(1, 3)), Vars::Zero);
        assert_eq!(t.mul_vars(Vars::Two(0, 3), Vars::One(5)), t.set_of(&[0, 3, 5]));
        let a = t.placeholder(0);
        let b = t.placeholder(4);
        let a2b = t.monos.intern(&[0, 2, 4, 1]);
        let ab = t.mul_monos(a, b).unwrap();
        assert_eq!(t.mul_monos(ab, a).unwrap(), a2b);
        assert_eq!(t.mul_monos(0, a).unwrap(), a);
        let huge = t.monos.intern(&[0, u32::MAX]);
        assert!(t.mul_monos(huge, a).is_err());
    }
}
