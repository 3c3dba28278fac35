//! dimod's `bqm.spin` / `bqm.binary` views: the biases of the model as they read in the other
//! vartype, and additions stated in the other vartype, without converting the model.
//!
//! With `x = (s + 1) / 2`: a SPIN term `h·s_v` is `2h·x_v − h` and `J·s_u s_v` is
//! `4J·x_u x_v − 2J·x_u − 2J·x_v + J`; a BINARY term `a·x_v` is `a/2·s_v + a/2` and
//! `b·x_u x_v` is `b/4·s_u s_v + b/4·s_u + b/4·s_v + b/4`. Reads use the formulas of
//! [`change_vartype`](Bqm::change_vartype), in the same order, so a view reads exactly what a
//! converted copy holds.

use super::bqm::{finite_result, overflow};
use super::{Bqm, Vartype};
use crate::Result;
use crate::error::{ArgumentError, check};

impl Bqm {
    /// The linear bias of `v` in `vartype`'s form (what [`change_vartype`](Self::change_vartype)
    /// would give it), `O(degree)`.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_linear(0, 1.0)?;
    /// bqm.add_quadratic(0, 1, 4.0)?;
    /// assert_eq!(bqm.linear_in(0, Vartype::Spin)?, 1.5);
    /// assert_eq!(bqm.quadratic_in(0, 1, Vartype::Spin)?, Some(1.0));
    /// assert_eq!(bqm.offset_in(Vartype::Spin)?, 1.5);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn linear_in(&self, v: u32, vartype: Vartype) -> Result<f64> {
        let a = self.get_linear(v)?;
        if vartype == self.vartype {
            return Ok(a);
        }
        let row_sum: f64 = self.adj[v as usize].biases.iter().sum();
        let value = match vartype {
            Vartype::Spin => a / 2.0 + row_sum / 4.0,
            Vartype::Binary => 2.0 * a - 2.0 * row_sum,
        };
        finite_result(value, "changing the vartype", || format!("variable {v}"))
    }

    /// The bias of the pair `(u, v)` in `vartype`'s form, `None` if the pair is not stored.
    pub fn quadratic_in(&self, u: u32, v: u32, vartype: Vartype) -> Result<Option<f64>> {
        let Some(b) = self.quadratic(u, v)? else {
            return Ok(None);
        };
        let value = match (self.vartype, vartype) {
            (a, b2) if a == b2 => b,
            (_, Vartype::Spin) => b * 0.25,
            (_, Vartype::Binary) => b * 4.0,
        };
        finite_result(value, "changing the vartype", || format!("pair ({u}, {v})")).map(Some)
    }

    /// The offset in `vartype`'s form, `O(n + m)`.
    pub fn offset_in(&self, vartype: Vartype) -> Result<f64> {
        if vartype == self.vartype {
            return Ok(self.offset);
        }
        let mut offset = self.offset;
        for (u, nb) in self.adj.iter().enumerate() {
            let a = self.linear[u];
            let upper: f64 = nb.biases[nb.upper_start(u as u32)..].iter().sum();
            match vartype {
                Vartype::Spin => offset += a / 2.0 + upper / 4.0,
                Vartype::Binary => offset += -a + upper,
            }
        }
        finite_result(offset, "changing the vartype", || "the offset".into())
    }

    /// Adds `bias · x_v`, with `x_v` a `vartype` variable, keeping the model's own vartype (a
    /// write through dimod's `bqm.spin` / `bqm.binary` view). All or nothing.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 1)?;
    /// bqm.add_linear_in(0, 3.0, Vartype::Spin)?; // 3 s = 6 x - 3
    /// assert_eq!((bqm.linear(), bqm.offset()), (&[6.0][..], -3.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_linear_in(&mut self, v: u32, bias: f64, vartype: Vartype) -> Result<()> {
        check::finite("bias", bias)?;
        if vartype == self.vartype {
            return self.add_linear(v, bias);
        }
        let (lin, off) = match vartype {
            Vartype::Spin => (2.0 * bias, -bias),
            Vartype::Binary => (bias / 2.0, bias / 2.0),
        };
        let i = check::index("v", v.into(), self.linear.len())?;
        let new_linear = finite_result(self.linear[i] + lin, "adding a linear bias", || {
            format!("variable {v}")
        })?;
        let new_offset = finite_result(self.offset + off, "adding to the offset", || "the offset".into())?;
        self.linear[i] = new_linear;
        self.offset = new_offset;
        Ok(())
    }

    /// Adds `bias · x_u x_v`, with `x` in `vartype`, keeping the model's own vartype; `u != v`.
    /// All or nothing.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_quadratic_in(0, 1, 1.0, Vartype::Spin)?; // s0 s1 = 4 x0 x1 - 2 x0 - 2 x1 + 1
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(4.0));
    /// assert_eq!((bqm.linear(), bqm.offset()), (&[-2.0, -2.0][..], 1.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_quadratic_in(&mut self, u: u32, v: u32, bias: f64, vartype: Vartype) -> Result<()> {
        let n = self.linear.len();
        check::index("u", u.into(), n)?;
        check::index("v", v.into(), n)?;
        check::finite("bias", bias)?;
        if u == v {
            return Err(ArgumentError::Invalid {
                argument: "v",
                reason: format!("must differ from u, got ({u}, {v})"),
            }
            .into());
        }
        if vartype == self.vartype {
            return self.add_quadratic(u, v, bias);
        }
        let (quad, lin, off) = match vartype {
            Vartype::Spin => (4.0 * bias, -2.0 * bias, bias),
            Vartype::Binary => (bias / 4.0, bias / 4.0, bias / 4.0),
        };
        for (x, what) in [(quad, "pair"), (lin, "variable"), (off, "the offset")] {
            if !x.is_finite() {
                return Err(overflow("changing the vartype", what.into()));
            }
        }
        // Everything that can fail first; the pair is added by an all-or-nothing call.
        let lu = finite_result(self.linear[u as usize] + lin, "adding a linear bias", || {
            format!("variable {u}")
        })?;
        let lv = finite_result(self.linear[v as usize] + lin, "adding a linear bias", || {
            format!("variable {v}")
        })?;
        let offset = finite_result(self.offset + off, "adding to the offset", || "the offset".into())?;
        self.add_quadratic(u, v, quad)?;
        self.linear[u as usize] = lu;
        self.linear[v as usize] = lv;
        self.offset = offset;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(vartype: Vartype) -> Bqm {
        let mut bqm = Bqm::with_variables(vartype, 3).unwrap();
        bqm.add_linear_from(&[1.0, -2.0, 0.5]).unwrap();
        bqm.add_quadratic_from(&[0, 1, 0], &[1, 2, 2], &[3.0, -1.5, 0.25])
            .unwrap();
        bqm.set_offset(0.75).unwrap();
        bqm
    }

    /// The oracle: a converted copy.
    #[test]
    fn reads_equal_a_converted_copy() {
        for vt in [Vartype::Spin, Vartype::Binary] {
            let bqm = model(vt);
            for target in [Vartype::Spin, Vartype::Binary] {
                let mut copy = bqm.clone();
                copy.change_vartype(target).unwrap();
                for v in 0..3 {
                    assert_eq!(bqm.linear_in(v, target).unwrap(), copy.linear()[v as usize]);
                }
                assert_eq!(
                    bqm.quadratic_in(0, 1, target).unwrap(),
                    copy.quadratic(0, 1).unwrap()
                );
                assert_eq!(bqm.offset_in(target).unwrap(), copy.offset());
            }
        }
    }

    /// Adding in the other vartype changes every energy as adding to a converted copy does.
    #[test]
    fn writes_equal_writes_to_a_converted_copy() {
        for vt in [Vartype::Spin, Vartype::Binary] {
            let other = if vt == Vartype::Spin {
                Vartype::Binary
            } else {
                Vartype::Spin
            };
            let mut bqm = model(vt);
            let mut copy = model(vt);
            copy.change_vartype(other).unwrap();
            bqm.add_linear_in(2, 1.25, other).unwrap();
            bqm.add_quadratic_in(2, 0, -0.75, other).unwrap();
            copy.add_linear(2, 1.25).unwrap();
            copy.add_quadratic(2, 0, -0.75).unwrap();
            let values: [i8; 2] = if vt == Vartype::Spin { [-1, 1] } else { [0, 1] };
            for code in 0..8u8 {
                let x: Vec<i8> = (0..3).map(|k| values[(code >> k & 1) as usize]).collect();
                let s: Vec<i8> = x
                    .iter()
                    .map(|&x| match (vt, x) {
                        (Vartype::Spin, s) => (s + 1) / 2,
                        (Vartype::Binary, b) => 2 * b - 1,
                    })
                    .collect();
                let a = bqm.energy(&x).unwrap();
                let b = copy.energy(&s).unwrap();
                assert!((a - b).abs() < 1e-12, "{vt:?} {x:?}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut bqm = model(Vartype::Binary);
        let before = bqm.clone();
        assert!(bqm.add_quadratic_in(0, 0, 1.0, Vartype::Spin).is_err());
        assert!(bqm.add_quadratic_in(0, 3, 1.0, Vartype::Spin).is_err());
        assert!(bqm.add_linear_in(0, f64::NAN, Vartype::Spin).is_err());
        assert!(bqm.add_quadratic_in(0, 1, f64::MAX, Vartype::Spin).is_err());
        assert_eq!(bqm, before);
    }
}
