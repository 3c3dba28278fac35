//! Monomial keys of the expansion: sorted variable ids plus placeholder powers, stored inline
//! when short (no allocation for the terms of a QUBO), and a fast deterministic hasher.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Ids held without allocation (a quadratic term with two placeholder powers fits).
const INLINE: usize = 6;

/// A short list of `u32`, inline up to [`INLINE`] entries. Canonical: `Inline` exactly when
/// short, unused slots zero, so the derived equality and hash are those of the slice.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Ids {
    Inline { len: u8, ids: [u32; INLINE] },
    Heap(Box<[u32]>),
}

impl Ids {
    pub(crate) const EMPTY: Ids = Ids::Inline {
        len: 0,
        ids: [0; INLINE],
    };

    pub(crate) fn from_slice(s: &[u32]) -> Ids {
        if s.len() <= INLINE {
            let mut ids = [0; INLINE];
            ids[..s.len()].copy_from_slice(s);
            Ids::Inline {
                len: s.len() as u8,
                ids,
            }
        } else {
            Ids::Heap(s.into())
        }
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            Ids::Inline { len, ids } => &ids[..*len as usize],
            Ids::Heap(b) => b,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Ids::Inline { len, .. } => *len as usize,
            Ids::Heap(b) => b.len(),
        }
    }
}

/// A monomial: sorted distinct variable ids (multilinear) and placeholder powers as sorted
/// `(placeholder id, exponent)` pairs.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Mono {
    pub(crate) vars: Ids,
    pub(crate) phs: Ids,
}

impl Mono {
    pub(crate) const ONE: Mono = Mono {
        vars: Ids::EMPTY,
        phs: Ids::EMPTY,
    };

    pub(crate) fn var(v: u32) -> Mono {
        Mono {
            vars: Ids::from_slice(&[v]),
            phs: Ids::EMPTY,
        }
    }

    pub(crate) fn placeholder(p: u32, exponent: u32) -> Mono {
        Mono {
            vars: Ids::EMPTY,
            phs: Ids::from_slice(&[p, exponent]),
        }
    }

    pub(crate) fn is_one(&self) -> bool {
        self.vars.len() == 0 && self.phs.len() == 0
    }
}

/// Scratch buffers reused by [`Mono::mul`] so multiplying keys allocates nothing.
#[derive(Default)]
pub(crate) struct Scratch {
    vars: Vec<u32>,
    phs: Vec<u32>,
}

/// The product overflowed a placeholder exponent (`u32`).
#[derive(Debug)]
pub(crate) struct ExponentOverflow;

impl Mono {
    /// The product of two monomials, reduced with `x·x = x` for binary and `s·s = 1` for spin
    /// variables (`spin[v]` tells which).
    pub(crate) fn mul(
        &self,
        other: &Mono,
        spin: &[bool],
        buf: &mut Scratch,
    ) -> Result<Mono, ExponentOverflow> {
        if other.is_one() {
            return Ok(self.clone());
        }
        if self.is_one() {
            return Ok(other.clone());
        }
        let (a, b) = (self.vars.as_slice(), other.vars.as_slice());
        buf.vars.clear();
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            if x < y {
                buf.vars.push(x);
                i += 1;
            } else if y < x {
                buf.vars.push(y);
                j += 1;
            } else {
                if !spin[x as usize] {
                    buf.vars.push(x);
                }
                i += 1;
                j += 1;
            }
        }
        buf.vars.extend_from_slice(&a[i..]);
        buf.vars.extend_from_slice(&b[j..]);

        let (a, b) = (self.phs.as_slice(), other.phs.as_slice());
        let phs = if b.is_empty() {
            self.phs.clone()
        } else if a.is_empty() {
            other.phs.clone()
        } else {
            buf.phs.clear();
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                let (x, y) = (a[i], b[j]);
                if x < y {
                    buf.phs.extend_from_slice(&a[i..i + 2]);
                    i += 2;
                } else if y < x {
                    buf.phs.extend_from_slice(&b[j..j + 2]);
                    j += 2;
                } else {
                    let e = a[i + 1].checked_add(b[j + 1]).ok_or(ExponentOverflow)?;
                    buf.phs.extend_from_slice(&[x, e]);
                    i += 2;
                    j += 2;
                }
            }
            buf.phs.extend_from_slice(&a[i..]);
            buf.phs.extend_from_slice(&b[j..]);
            Ids::from_slice(&buf.phs)
        };
        Ok(Mono {
            vars: Ids::from_slice(&buf.vars),
            phs,
        })
    }
}

/// FxHash-style multiply-rotate hasher: fast on the small integer keys used here and
/// deterministic (no random state), so term order and sums are reproducible run to run.
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

    fn mono(vars: &[u32], phs: &[u32]) -> Mono {
        Mono {
            vars: Ids::from_slice(vars),
            phs: Ids::from_slice(phs),
        }
    }

    #[test]
    fn products_reduce_binary_and_spin_squares_and_add_exponents() {
        let spin = [false, true, false, true, false, false, false, false, false];
        let mut buf = Scratch::default();
        let a = mono(&[0, 1, 2], &[0, 1]);
        let b = mono(&[0, 1, 3], &[0, 2, 4, 1]);
        let p = a.mul(&b, &spin, &mut buf).unwrap();
        assert_eq!(p, mono(&[0, 2, 3], &[0, 3, 4, 1])); // x0 x0 = x0, s1 s1 = 1
        let long = mono(&[0, 2, 4, 5, 6, 7, 8], &[]);
        assert!(matches!(long.vars, Ids::Heap(_)));
        assert_eq!(long.mul(&Mono::ONE, &spin, &mut buf).unwrap(), long);
        let short = long.mul(&mono(&[3], &[]), &spin, &mut buf).unwrap();
        assert_eq!(short.vars.as_slice(), &[0, 2, 3, 4, 5, 6, 7, 8]);
        let huge = mono(&[], &[0, u32::MAX]);
        assert!(huge.mul(&mono(&[], &[0, 1]), &spin, &mut buf).is_err());
    }
}
