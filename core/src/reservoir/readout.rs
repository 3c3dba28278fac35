//! [`Readout`]: the trained linear map `y = Woutᵀ·x + bias` of every readout (ridge, RLS, LMS).

use crate::Result;
use crate::error::check;

/// A linear readout `y = Woutᵀ·x + bias` with `Wout` of shape `(features, outputs)` (ReservoirPy's
/// `Ridge.Wout` layout), row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    pub(crate) wout: Vec<f64>,
    pub(crate) bias: Vec<f64>,
    pub(crate) features: usize,
    pub(crate) outputs: usize,
}

impl Readout {
    pub(crate) fn from_parts(wout: Vec<f64>, bias: Vec<f64>, features: usize, outputs: usize) -> Self {
        debug_assert_eq!(wout.len(), features * outputs);
        debug_assert_eq!(bias.len(), outputs);
        Readout {
            wout,
            bias,
            features,
            outputs,
        }
    }

    /// A readout with the given weights (`features × outputs`, row-major) and bias (`outputs`).
    pub fn new(wout: Vec<f64>, bias: Vec<f64>, features: usize) -> Result<Self> {
        let outputs = bias.len();
        check::len_rows("Wout", "features", features, outputs, wout.len())?;
        check::all_finite("Wout", &wout)?;
        check::all_finite("bias", &bias)?;
        Ok(Readout::from_parts(wout, bias, features, outputs))
    }

    /// A readout with zero weights and bias.
    pub fn zeros(features: usize, outputs: usize) -> Result<Self> {
        let len = features.saturating_mul(outputs);
        Ok(Readout::from_parts(
            crate::alloc::filled("Wout", 0.0, len)?,
            crate::alloc::filled("bias", 0.0, outputs)?,
            features,
            outputs,
        ))
    }

    /// `Wout`, `features × outputs`, row-major.
    pub fn wout(&self) -> &[f64] {
        &self.wout
    }

    /// The bias, one per output.
    pub fn bias(&self) -> &[f64] {
        &self.bias
    }

    /// Input features.
    pub fn features(&self) -> usize {
        self.features
    }

    /// Outputs.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `y = Woutᵀ·x + bias` for one sample, into `y` (no allocation).
    #[inline]
    pub(crate) fn apply(&self, x: &[f64], y: &mut [f64]) {
        y.copy_from_slice(&self.bias);
        for (xi, row) in x.iter().zip(self.wout.chunks_exact(self.outputs.max(1))) {
            y.iter_mut().zip(row).for_each(|(a, w)| *a += xi * w);
        }
    }

    /// The outputs of `rows` samples (`rows × features` → `rows × outputs`, row-major).
    pub fn run(&self, x: &[f64], rows: usize) -> Result<Vec<f64>> {
        check::len_rows("x", "rows", rows, self.features, x.len())?;
        check::all_finite("x", x)?;
        let mut out = crate::alloc::filled("outputs", 0.0, rows.saturating_mul(self.outputs))?;
        for (xr, yr) in x
            .chunks_exact(self.features.max(1))
            .zip(out.chunks_exact_mut(self.outputs.max(1)))
            .take(rows)
        {
            self.apply(xr, yr);
        }
        Ok(out)
    }
}
