//! Conversion between SPIN and BINARY with dimod's formulas (substituting `x = (s + 1) / 2`).

use super::bqm::overflow;
use super::{Bqm, Vartype};
use crate::Result;

impl Bqm {
    /// Converts the model in place to `vartype`, keeping every energy: `E'(s) = E(x(s))`.
    ///
    /// BINARY → SPIN: `h_i = a_i/2 + Σ_j b_ij/4`, `J_ij = b_ij/4`,
    /// `offset' = offset + Σ_i a_i/2 + Σ_{i<j} b_ij/4`.
    /// SPIN → BINARY: `a_i = 2h_i − 2Σ_j J_ij`, `b_ij = 4J_ij`,
    /// `offset' = offset − Σ_i h_i + Σ_{i<j} J_ij`.
    /// On error (a bias overflowing) the model is unchanged.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_linear(0, 1.0)?;
    /// bqm.add_linear(1, -2.0)?;
    /// bqm.add_quadratic(0, 1, 4.0)?;
    /// bqm.set_offset(0.5)?;
    /// bqm.change_vartype(Vartype::Spin)?;
    /// assert_eq!(bqm.linear(), &[1.5, 0.0]);
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(1.0));
    /// assert_eq!(bqm.offset(), 1.0);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn change_vartype(&mut self, vartype: Vartype) -> Result<()> {
        if vartype == self.vartype {
            return Ok(());
        }
        let mut linear = self.linear.clone();
        let mut offset = self.offset;
        let quad_scale = match vartype {
            Vartype::Spin => 0.25,
            Vartype::Binary => 4.0,
        };
        for (u, nb) in self.adj.iter().enumerate() {
            let a = self.linear[u];
            let row_sum: f64 = nb.biases.iter().sum();
            let upper: f64 = nb.biases[nb.upper_start(u as u32)..].iter().sum();
            match vartype {
                Vartype::Spin => {
                    linear[u] = a / 2.0 + row_sum / 4.0;
                    offset += a / 2.0 + upper / 4.0;
                }
                Vartype::Binary => {
                    linear[u] = 2.0 * a - 2.0 * row_sum;
                    offset += -a + upper;
                }
            }
            if !linear[u].is_finite() {
                return Err(overflow("changing the vartype", format!("variable {u}")));
            }
        }
        if !offset.is_finite() {
            return Err(overflow("changing the vartype", "the offset".into()));
        }
        if let Some((u, v, _)) = self
            .iter_quadratic()
            .find(|&(_, _, b)| !(b * quad_scale).is_finite())
        {
            return Err(overflow("changing the vartype", format!("pair ({u}, {v})")));
        }
        for nb in &mut self.adj {
            for b in &mut nb.biases {
                *b *= quad_scale;
            }
        }
        self.linear = linear;
        self.offset = offset;
        self.vartype = vartype;
        Ok(())
    }
}
