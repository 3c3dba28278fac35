//! The SPIN form of a model in flat CSR arrays, the layout every local sampler works on, plus the
//! local-field bookkeeping they share.
//!
//! Samplers keep, per spin `i`, the local field `f_i = h_i + Σ_j J_ij s_j`; flipping `s_i` changes
//! the energy by `Δ_i = −2 s_i f_i`, and an accepted flip of `s_v` adds `J_jv · (−2 s_v)` to each
//! neighbour's field. Keeping fields rather than the deltas themselves makes the update a plain
//! scaled add over the row, which vectorises for complete (dense) rows.

use crate::Result;
use crate::qubo::{Bqm, Vartype};

/// A model in SPIN form: `E(s) = offset + Σ h_i s_i + Σ_{i<j} J_ij s_i s_j`, adjacency in CSR.
#[derive(Debug, Clone)]
pub(crate) struct SpinModel {
    pub(crate) h: Vec<f64>,
    pub(crate) offsets: Vec<usize>,
    pub(crate) nbrs: Vec<u32>,
    pub(crate) weights: Vec<f64>,
    /// Constant such that `offset + spin energy` is the model's energy.
    pub(crate) offset: f64,
    /// Row-major `n × n` copy of `J` (zeros for absent pairs and on the diagonal), kept for dense
    /// models: a flip then updates every field with one contiguous scaled add instead of an indexed
    /// one. Adding `c · 0` leaves a field's value unchanged (only the sign of a zero can differ),
    /// so the samples are those of the sparse update.
    dense: Option<Vec<f64>>,
    /// Whether the CPU has AVX2, detected once: complete rows are then updated 4 lanes at a time.
    /// Only the vector width changes (no fused multiply-add), so results are identical.
    wide: bool,
}

/// Fraction of all pairs a model must store for the dense copy (its `8n²` bytes are then at most
/// 1.33× the CSR arrays' `12` bytes per stored direction).
const DENSE_FRACTION: f64 = 0.5;
/// Largest model given a dense copy (4096² doubles = 128 MiB).
const MAX_DENSE_VARIABLES: usize = 4096;

impl SpinModel {
    /// The SPIN form of `bqm` (dimod's conversion for BINARY models: `h = a/2 + Σ_j b/4`,
    /// `J = b/4`, `offset' = offset + Σ a/2 + Σ_{i<j} b/4`).
    pub(crate) fn new(bqm: &Bqm) -> Result<Self> {
        let csr = bqm.to_csr();
        let n = bqm.num_variables();
        let (mut h, mut weights, mut offset) = (bqm.linear().to_vec(), csr.biases, bqm.offset());
        if bqm.vartype() == Vartype::Binary {
            let mut upper_sum = 0.0;
            for (v, hv) in h.iter_mut().enumerate() {
                let (lo, hi) = (csr.offsets[v], csr.offsets[v + 1]);
                let row: f64 = weights[lo..hi].iter().sum();
                upper_sum += csr.nbrs[lo..hi]
                    .iter()
                    .zip(&weights[lo..hi])
                    .filter(|&(&u, _)| u as usize > v)
                    .map(|(_, &b)| b)
                    .sum::<f64>();
                offset += *hv / 2.0;
                *hv = *hv / 2.0 + row / 4.0;
            }
            offset += upper_sum / 4.0;
            for w in &mut weights {
                *w /= 4.0;
            }
        }
        if let Some(v) = h.iter().position(|x| !x.is_finite()) {
            return Err(overflow(format!("variable {v}")));
        }
        if !offset.is_finite() {
            return Err(overflow("the offset".into()));
        }
        debug_assert_eq!(csr.offsets.len(), n + 1);
        let pairs = n as f64 * (n as f64 - 1.0);
        let dense = ((2..=MAX_DENSE_VARIABLES).contains(&n)
            && csr.nbrs.len() as f64 >= DENSE_FRACTION * pairs)
            .then(|| {
                let mut d = vec![0.0; n * n];
                for v in 0..n {
                    for k in csr.offsets[v]..csr.offsets[v + 1] {
                        d[v * n + csr.nbrs[k] as usize] = weights[k];
                    }
                }
                d
            });
        Ok(SpinModel {
            h,
            offsets: csr.offsets,
            nbrs: csr.nbrs,
            weights,
            offset,
            dense,
            wide: crate::cpu::avx2(),
        })
    }

    pub(crate) fn num_variables(&self) -> usize {
        self.h.len()
    }

    /// Stored coupler directions (twice the number of interactions).
    pub(crate) fn num_entries(&self) -> usize {
        self.nbrs.len()
    }

    #[inline]
    pub(crate) fn row(&self, v: usize) -> (&[u32], &[f64]) {
        let (lo, hi) = (self.offsets[v], self.offsets[v + 1]);
        (&self.nbrs[lo..hi], &self.weights[lo..hi])
    }

    /// Whether `v` is coupled to every other variable, so its row is `0..v, v+1..n` in order.
    #[inline]
    pub(crate) fn is_complete_row(&self, v: usize) -> bool {
        self.offsets[v + 1] - self.offsets[v] + 1 == self.h.len()
    }

    /// Sets `fields[i] = h_i + Σ_j J_ij s_j` for every spin.
    pub(crate) fn fields(&self, spins: &[i8], fields: &mut [f64]) {
        for (v, f) in fields.iter_mut().enumerate() {
            let (nbrs, ws) = self.row(v);
            let mut acc = self.h[v];
            for (&j, &w) in nbrs.iter().zip(ws) {
                acc += w * f64::from(spins[j as usize]);
            }
            *f = acc;
        }
    }

    /// Energy without the offset: `Σ h_i s_i + Σ_{i<j} J_ij s_i s_j`, from the fields of `spins`.
    pub(crate) fn spin_energy(&self, spins: &[i8], fields: &[f64]) -> f64 {
        // Σ_i s_i (h_i + f_i) / 2 counts each pair once and each field term fully.
        spins
            .iter()
            .zip(fields)
            .zip(&self.h)
            .map(|((&s, &f), &h)| f64::from(s) * (h + f))
            .sum::<f64>()
            / 2.0
    }

    /// Flips spin `v`, updating the neighbours' fields.
    #[inline(always)]
    pub(crate) fn flip(&self, v: usize, spins: &mut [i8], fields: &mut [f64]) {
        let s = spins[v];
        let c = -2.0 * f64::from(s);
        spins[v] = -s;
        if let Some(d) = &self.dense {
            let n = fields.len();
            axpy(fields, &d[v * n..(v + 1) * n], c, self.wide);
        } else if self.is_complete_row(v) {
            self.flip_complete(v, c, fields);
        } else {
            let (nbrs, ws) = self.row(v);
            for (&j, &w) in nbrs.iter().zip(ws) {
                fields[j as usize] += c * w;
            }
        }
    }

    /// The field update of a complete row, whose neighbours are exactly `0..v` and `v+1..n`
    /// (ascending): two contiguous scaled adds. Kept out of line so the sparse path of the
    /// callers' loops stays small (its cost is amortised over `n − 1` updates).
    #[inline(never)]
    fn flip_complete(&self, v: usize, c: f64, fields: &mut [f64]) {
        let (_, ws) = self.row(v);
        let (lo_w, hi_w) = ws.split_at(v);
        let (lo_f, rest) = fields.split_at_mut(v);
        axpy(lo_f, lo_w, c, self.wide);
        axpy(&mut rest[1..], hi_w, c, self.wide);
    }
}

/// `f += c · w`, elementwise.
#[inline(always)]
fn axpy(f: &mut [f64], w: &[f64], c: f64, wide: bool) {
    #[cfg(target_arch = "x86_64")]
    if wide {
        // SAFETY: `wide` is true only when AVX2 was detected on this CPU (`crate::cpu::avx2`).
        unsafe { axpy_avx2(f, w, c) };
        return;
    }
    let _ = wide;
    axpy_plain(f, w, c);
}

#[inline(always)]
fn axpy_plain(f: &mut [f64], w: &[f64], c: f64) {
    for (x, &y) in f.iter_mut().zip(w) {
        *x += c * y;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn axpy_avx2(f: &mut [f64], w: &[f64], c: f64) {
    axpy_plain(f, w, c);
}

fn overflow(location: String) -> crate::Error {
    crate::qubo::overflow("converting the model to SPIN for sampling", location)
}

/// Converts SPIN values to `vartype` in place.
pub(crate) fn spins_to_vartype(values: &mut [i8], vartype: Vartype) {
    if vartype == Vartype::Binary {
        for x in values {
            *x = (*x + 1) / 2;
        }
    }
}

/// Converts values of `vartype` to SPIN in place.
pub(crate) fn vartype_to_spins(values: &mut [i8], vartype: Vartype) {
    if vartype == Vartype::Binary {
        for x in values {
            *x = 2 * *x - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_conversion_keeps_energies_and_fields_track_flips() {
        let mut bqm = Bqm::with_variables(Vartype::Binary, 4).unwrap();
        bqm.add_linear_from(&[1.0, -2.0, 0.5, 3.0]).unwrap();
        bqm.add_quadratic_from(&[0, 0, 1, 2, 0], &[1, 2, 3, 3, 3], &[4.0, -1.5, 2.0, 0.25, -3.0])
            .unwrap();
        bqm.set_offset(0.75).unwrap();
        let m = SpinModel::new(&bqm).unwrap();
        let mut fields = vec![0.0; 4];
        for code in 0..16u32 {
            let mut s: Vec<i8> = (0..4).map(|k| if code >> k & 1 == 1 { 1 } else { -1 }).collect();
            m.fields(&s, &mut fields);
            let mut x = s.clone();
            spins_to_vartype(&mut x, Vartype::Binary);
            let e = bqm.energy(&x).unwrap();
            assert!((m.offset + m.spin_energy(&s, &fields) - e).abs() < 1e-12);
            // A flip changes the energy by -2 s f, and the updated fields match a recomputation.
            let delta = -2.0 * f64::from(s[2]) * fields[2];
            m.flip(2, &mut s, &mut fields);
            let mut again = vec![0.0; 4];
            m.fields(&s, &mut again);
            assert_eq!(fields, again);
            let mut x2 = s.clone();
            spins_to_vartype(&mut x2, Vartype::Binary);
            assert!((bqm.energy(&x2).unwrap() - e - delta).abs() < 1e-12);
        }
    }

    #[test]
    fn wide_and_plain_updates_are_bit_identical() {
        // Dense rows with weights whose products round: the AVX2 path (when the CPU has it) must
        // give exactly the plain path's fields, so results never depend on the CPU.
        let n = 37;
        let mut bqm = Bqm::with_variables(Vartype::Spin, n).unwrap();
        let (mut r, mut c, mut b) = (Vec::new(), Vec::new(), Vec::new());
        for u in 0..n as u32 {
            for v in u + 1..n as u32 {
                r.push(u);
                c.push(v);
                b.push(((u * 31 + v * 17) as f64).sin() / 3.0);
            }
        }
        bqm.add_quadratic_from(&r, &c, &b).unwrap();
        let wide = SpinModel::new(&bqm).unwrap();
        let mut plain = wide.clone();
        plain.wide = false;
        let mut s1: Vec<i8> = (0..n).map(|i| if i % 3 == 0 { 1 } else { -1 }).collect();
        let mut s2 = s1.clone();
        let (mut f1, mut f2) = (vec![0.0; n], vec![0.0; n]);
        wide.fields(&s1, &mut f1);
        plain.fields(&s2, &mut f2);
        for step in 0..200 {
            let v = (step * 7) % n;
            wide.flip(v, &mut s1, &mut f1);
            plain.flip(v, &mut s2, &mut f2);
        }
        assert!(f1.iter().zip(&f2).all(|(a, b)| a.to_bits() == b.to_bits()));
    }

    #[test]
    fn dense_and_sparse_updates_give_the_same_fields() {
        // A dense model with a few pairs missing (as dimod's dense constructor leaves out zeros).
        let n = 24u32;
        let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
        let (mut r, mut c, mut b) = (vec![], vec![], vec![]);
        for u in 0..n {
            for v in u + 1..n {
                if (u * 7 + v * 3) % 11 != 0 {
                    r.push(u);
                    c.push(v);
                    b.push(((u * 13 + v * 5) % 9) as f64 - 4.0);
                }
            }
        }
        bqm.add_quadratic_from(&r, &c, &b).unwrap();
        let dense = SpinModel::new(&bqm).unwrap();
        assert!(dense.dense.is_some());
        let mut sparse = dense.clone();
        sparse.dense = None;
        let mut s1: Vec<i8> = (0..n).map(|i| if i % 2 == 0 { 1 } else { -1 }).collect();
        let mut s2 = s1.clone();
        let (mut f1, mut f2) = (vec![0.0; n as usize], vec![0.0; n as usize]);
        dense.fields(&s1, &mut f1);
        sparse.fields(&s2, &mut f2);
        for step in 0..300 {
            let v = (step * 5) % n as usize;
            dense.flip(v, &mut s1, &mut f1);
            sparse.flip(v, &mut s2, &mut f2);
            assert_eq!(f1, f2); // equal values (a zero's sign may differ)
        }
        assert_eq!(s1, s2);
    }

    #[test]
    fn complete_rows_use_the_contiguous_update() {
        let mut bqm = Bqm::with_variables(Vartype::Spin, 3).unwrap();
        bqm.add_quadratic_from(&[0, 0, 1], &[1, 2, 2], &[1.0, -2.0, 0.5])
            .unwrap();
        let m = SpinModel::new(&bqm).unwrap();
        assert!((0..3).all(|v| m.is_complete_row(v)));
        let mut s = vec![1i8, -1, 1];
        let mut f = vec![0.0; 3];
        m.fields(&s, &mut f);
        m.flip(1, &mut s, &mut f);
        let mut g = vec![0.0; 3];
        m.fields(&s, &mut g);
        assert_eq!(f, g);
    }
}
