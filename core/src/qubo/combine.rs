//! Models from models: dimod's `update` (the sum of two models, used by `+` and `-`) and the
//! product of two linear models (`*`, `**2`). Variables of the other model are placed by an
//! index map, so the caller (who owns labels) decides which variables are shared.

use super::bqm::{finite_result, overflow};
use super::{Bqm, Vartype};
use crate::Result;
use crate::error::{ArgumentError, check};

impl Bqm {
    /// Adds `other` to this model (dimod's `update`): `other`'s variable `i` is this model's
    /// variable `map[i]`; `other` is read in this model's vartype (converted as
    /// [`change_vartype`](Self::change_vartype) does), its linear biases, pairs and offset added.
    /// All or nothing.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut a = Bqm::with_variables(Vartype::Binary, 2)?;
    /// a.add_quadratic(0, 1, 1.0)?;
    /// let mut b = Bqm::with_variables(Vartype::Binary, 2)?;
    /// b.add_linear_from(&[2.0, 3.0])?;
    /// b.add_quadratic(0, 1, 0.5)?;
    /// a.update(&b, &[1, 0])?; // b's variable 0 is a's variable 1
    /// assert_eq!((a.linear(), a.quadratic(0, 1)?), (&[3.0, 2.0][..], Some(1.5)));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn update(&mut self, other: &Bqm, map: &[u32]) -> Result<()> {
        check::len("map", other.num_variables(), map.len())?;
        let n = self.num_variables();
        for &v in map {
            check::index("map", v.into(), n)?;
        }
        let converted;
        let other = if other.vartype == self.vartype {
            other
        } else {
            let mut c = other.clone();
            c.change_vartype(self.vartype)?;
            converted = c;
            &converted
        };
        // Linear biases and the offset first (checked, not yet written); the pairs by one
        // all-or-nothing call; then the checked values are written.
        let mut linear = self.linear.clone();
        for (i, &b) in other.linear.iter().enumerate() {
            let v = map[i] as usize;
            linear[v] = finite_result(linear[v] + b, "adding a linear bias", || format!("variable {v}"))?;
        }
        let offset = finite_result(self.offset + other.offset, "adding to the offset", || {
            "the offset".into()
        })?;
        let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
        for (u, v, b) in other.iter_quadratic() {
            rows.push(map[u as usize]);
            cols.push(map[v as usize]);
            biases.push(b);
        }
        // Two of `other`'s variables mapped to one would make a self-loop, which folds into the
        // linear bias or the offset: fold it into the values checked above instead.
        let (mut linear_fold, mut offset_fold) = (Vec::new(), 0.0);
        let mut k = 0;
        while k < rows.len() {
            if rows[k] == cols[k] {
                match self.vartype {
                    Vartype::Binary => linear_fold.push((rows[k] as usize, biases[k])),
                    Vartype::Spin => offset_fold += biases[k],
                }
                rows.swap_remove(k);
                cols.swap_remove(k);
                biases.swap_remove(k);
            } else {
                k += 1;
            }
        }
        for (v, b) in linear_fold {
            linear[v] = finite_result(linear[v] + b, "adding a linear bias", || format!("variable {v}"))?;
        }
        let offset = finite_result(offset + offset_fold, "adding to the offset", || {
            "the offset".into()
        })?;
        self.add_quadratic_from(&rows, &cols, &biases)?;
        self.linear = linear;
        self.offset = offset;
        Ok(())
    }

    /// The product of two linear models (no interactions), dimod's `bqm * bqm`: a model of
    /// `num_variables` variables where `a`'s variable `i` is `a_map[i]` and `b`'s variable `j`
    /// is `b_map[j]`; both models in the same vartype. `(Σ a_i x_i + A)(Σ b_j x_j + B)` expands
    /// into pairs `a_i b_j` (a shared variable's square `x² = x` for BINARY, `s² = 1` for SPIN),
    /// linear `a_i B + b_j A` and offset `A B`.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut x = Bqm::with_variables(Vartype::Binary, 1)?;
    /// x.add_linear(0, 2.0)?;
    /// x.set_offset(-1.0)?;
    /// let sq = Bqm::linear_product(&x, &x, &[0], &[0], 1)?; // (2x - 1)² = 4x - 4x + 1
    /// assert_eq!((sq.linear(), sq.offset()), (&[0.0][..], 1.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn linear_product(
        a: &Bqm,
        b: &Bqm,
        a_map: &[u32],
        b_map: &[u32],
        num_variables: usize,
    ) -> Result<Bqm> {
        if a.num_interactions() > 0 || b.num_interactions() > 0 {
            return Err(ArgumentError::Invalid {
                argument: "other",
                reason: "cannot multiply models with interactions (only linear models multiply)".into(),
            }
            .into());
        }
        if a.vartype != b.vartype && b.num_variables() > 0 && a.num_variables() > 0 {
            return Err(ArgumentError::Invalid {
                argument: "other",
                reason: format!("is {}, must be {} like the left operand", b.vartype, a.vartype),
            }
            .into());
        }
        check::len("a_map", a.num_variables(), a_map.len())?;
        check::len("b_map", b.num_variables(), b_map.len())?;
        for &v in a_map.iter().chain(b_map) {
            check::index("map", v.into(), num_variables)?;
        }
        let mut out = Bqm::with_variables(a.vartype, num_variables)?;
        let finite = |x: f64, what: &str| {
            if x.is_finite() {
                Ok(x)
            } else {
                Err(overflow("multiplying models", what.to_string()))
            }
        };
        let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
        let mut offset = 0.0;
        for (i, &ai) in a.linear.iter().enumerate() {
            let u = a_map[i];
            for (j, &bj) in b.linear.iter().enumerate() {
                let v = b_map[j];
                let p = finite(ai * bj, "a product of biases")?;
                if u == v {
                    match a.vartype {
                        Vartype::Binary => out.linear[u as usize] += p,
                        Vartype::Spin => offset += p,
                    }
                } else {
                    rows.push(u);
                    cols.push(v);
                    biases.push(p);
                }
            }
            out.linear[u as usize] += finite(ai * b.offset, "a product of biases")?;
        }
        for (j, &bj) in b.linear.iter().enumerate() {
            out.linear[b_map[j] as usize] += finite(bj * a.offset, "a product of biases")?;
        }
        offset += finite(a.offset * b.offset, "the offset")?;
        if let Some(v) = out.linear.iter().position(|x| !x.is_finite()) {
            return Err(overflow("multiplying models", format!("variable {v}")));
        }
        out.offset = finite(offset, "the offset")?;
        out.add_quadratic_from(&rows, &cols, &biases)?;
        Ok(out)
    }
}

/// `round(x, places) == 0` as Python's `round` decides it (half to even), for dimod's
/// `is_almost_equal`.
pub fn rounds_to_zero(x: f64, places: i32) -> bool {
    (x * 10f64.powi(places)).round_ties_even() == 0.0
}

impl Bqm {
    /// dimod's `is_almost_equal`: same vartype and shape, and the offset, every linear bias and
    /// every pair equal after rounding their differences to `places` decimals
    /// ([`rounds_to_zero`]). `other`'s variable `i` is compared with this model's `map[i]`; a
    /// pair of this model that `other` lacks makes them unequal.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut a = Bqm::with_variables(Vartype::Binary, 2)?;
    /// a.add_linear(0, 0.1234)?;
    /// let mut b = Bqm::with_variables(Vartype::Binary, 2)?;
    /// b.add_linear(1, 0.1232)?;
    /// assert!(!a.is_almost_equal(&b, &[1, 0], 4));
    /// assert!(a.is_almost_equal(&b, &[1, 0], 3));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn is_almost_equal(&self, other: &Bqm, map: &[u32], places: i32) -> bool {
        let n = self.num_variables();
        if self.vartype != other.vartype
            || n != other.num_variables()
            || self.num_interactions() != other.num_interactions()
            || map.len() != n
            || map.iter().any(|&v| v as usize >= n)
        {
            return false;
        }
        let eq = |a: f64, b: f64| rounds_to_zero(a - b, places);
        if !eq(self.offset, other.offset) {
            return false;
        }
        if (0..n).any(|i| !eq(other.linear[i], self.linear[map[i] as usize])) {
            return false;
        }
        other.iter_quadratic().all(|(u, v, b)| {
            matches!(self.adj[map[u as usize] as usize].get(map[v as usize]), Some(x) if eq(x, b))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle: energies add (update) and multiply (product), checked on every state.
    #[test]
    fn energies_add_and_multiply() {
        for vt in [Vartype::Spin, Vartype::Binary] {
            let mut a = Bqm::with_variables(vt, 3).unwrap();
            a.add_linear_from(&[1.0, -2.0, 0.5]).unwrap();
            a.add_quadratic(0, 2, 1.5).unwrap();
            a.set_offset(0.25).unwrap();
            let mut b = Bqm::with_variables(
                if vt == Vartype::Spin {
                    Vartype::Binary
                } else {
                    Vartype::Spin
                },
                2,
            )
            .unwrap();
            b.add_linear_from(&[3.0, -1.0]).unwrap();
            b.add_quadratic(0, 1, 2.0).unwrap();
            b.set_offset(-0.5).unwrap();
            let map = [2u32, 0];
            let mut sum = a.clone();
            sum.update(&b, &map).unwrap();
            let mut b_same = b.clone();
            b_same.change_vartype(vt).unwrap();
            let values: [i8; 2] = if vt == Vartype::Spin { [-1, 1] } else { [0, 1] };
            for code in 0..8u8 {
                let x: Vec<i8> = (0..3).map(|k| values[(code >> k & 1) as usize]).collect();
                let bx = [x[2], x[0]];
                let want = a.energy(&x).unwrap() + b_same.energy(&bx).unwrap();
                assert!((sum.energy(&x).unwrap() - want).abs() < 1e-12);
            }
            // Product of the linear parts (a with its pair removed), sharing variable 2 = 0.
            let mut la = a.clone();
            la.remove_interaction(0, 2).unwrap();
            let mut lb = Bqm::with_variables(vt, 2).unwrap();
            lb.add_linear_from(&[3.0, -1.0]).unwrap();
            lb.set_offset(-0.5).unwrap();
            let prod = Bqm::linear_product(&la, &lb, &[0, 1, 2], &[2, 3], 4).unwrap();
            for code in 0..16u8 {
                let x: Vec<i8> = (0..4).map(|k| values[(code >> k & 1) as usize]).collect();
                let want = la.energy(&x[..3]).unwrap() * lb.energy(&[x[2], x[3]]).unwrap();
                assert!((prod.energy(&x).unwrap() - want).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut a = Bqm::with_variables(Vartype::Spin, 2).unwrap();
        a.add_linear(0, f64::MAX).unwrap();
        let before = a.clone();
        let mut b = Bqm::with_variables(Vartype::Spin, 2).unwrap();
        b.add_linear(1, f64::MAX).unwrap();
        b.add_quadratic(0, 1, 1.0).unwrap();
        assert!(a.update(&b, &[1, 0]).is_err()); // overflows a's variable 0
        assert!(a.update(&b, &[0, 2]).is_err()); // out of range
        assert!(a.update(&b, &[0]).is_err()); // wrong length
        assert_eq!(a, before);
        assert!(Bqm::linear_product(&a, &b, &[0, 1], &[0, 1], 2).is_err()); // b has a pair
    }
}
