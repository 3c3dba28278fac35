//! Activation functions and the update equation of a reservoir.

use crate::params::named_enum;

named_enum! {
    /// The reservoir's activation function `f` (ReservoirPy's `activationsfunc` names).
    pub enum Activation("activation") {
        /// `tanh(x)`.
        Tanh = "tanh",
        /// The logistic function `1 / (1 + exp(-x))`.
        Sigmoid = "sigmoid",
        /// `max(x, 0)`.
        Relu = "relu",
        /// `ln(1 + exp(x))`.
        Softplus = "softplus",
        /// `x`.
        Identity = "identity",
    }
}

impl Activation {
    /// `f(x)`.
    #[inline]
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Activation::Tanh => x.tanh(),
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::Relu => x.max(0.0),
            Activation::Softplus => {
                // ln(1 + e^x) without overflow for large x.
                if x > 30.0 {
                    x + (-x).exp().ln_1p()
                } else {
                    x.exp().ln_1p()
                }
            }
            Activation::Identity => x,
        }
    }
}

named_enum! {
    /// Where the leak acts (ReservoirPy 0.3's `equation`).
    pub enum Equation("equation") {
        /// `x' = (1 − lr)·x + lr·f(W·x + Win·u + Wfb·y + b)` (ReservoirPy 0.4's only form).
        Internal = "internal",
        /// `s' = (1 − lr)·s + lr·(W·x + Win·u + Wfb·y + b)`, `x' = f(s')`: the leak integrates the
        /// pre-activations and the state is their image.
        External = "external",
    }
}

named_enum! {
    /// The distribution of the state, input and feedback noise (scaled by `noise_rc`,
    /// `noise_in`, `noise_fb`).
    pub enum NoiseType("noise_type") {
        /// Standard normal.
        Normal = "normal",
        /// Uniform on [-1, 1).
        Uniform = "uniform",
    }
}

/// `e^x` for |x| ≤ 40 (the range `tanh` needs) in straight-line code that vectorises with SSE2:
/// Cody–Waite reduction `x = n·ln2 + r`, |r| ≤ ln2/2, a degree-13 Taylor polynomial for `e^r`
/// (truncation below 1e-17), and `2^n` from the exponent bits. Within 2 ulp of `f64::exp`.
#[inline(always)]
fn exp_reduced(x: f64) -> f64 {
    const INV_LN2: f64 = std::f64::consts::LOG2_E;
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // 1.5·2^52: adding it rounds to the nearest integer and leaves that integer in the low bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let y = x * INV_LN2 + SHIFTER;
    let n = y - SHIFTER;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let mut p = 1.0 / 6_227_020_800.0;
    for c in [
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * r + c;
    }
    let k = (y.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// `tanh(x)` for every element, in place: `(e^{2|x|} − 1)/(e^{2|x|} + 1)` with the sign of `x`
/// (and an odd Taylor polynomial below |x| = 0.04, where that quotient would lose relative
/// accuracy). Branch-free, so the loop vectorises; absolute error below 4e-16 against
/// `f64::tanh` (tested), which keeps injected-matrix parity with ReservoirPy far inside 1e-12.
/// About 4x faster than calling `f64::tanh` per element.
pub(crate) fn tanh_in_place(xs: &mut [f64]) {
    for v in xs.iter_mut() {
        let x = *v;
        let a = x.abs().min(20.0);
        let e = exp_reduced(2.0 * a);
        let big = (e - 1.0) / (e + 1.0);
        let a2 = a * a;
        let small =
            a * (1.0 + a2 * (-1.0 / 3.0 + a2 * (2.0 / 15.0 + a2 * (-17.0 / 315.0 + a2 * (62.0 / 2835.0)))));
        let t = if a < 0.04 { small } else { big };
        *v = t.copysign(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_tanh_is_within_4e16_of_libm() {
        let mut worst: f64 = 0.0;
        let xs: Vec<f64> = (-400_000..=400_000)
            .map(|i| i as f64 * 1e-4)
            .chain([1e-300, -1e-12, 35.0, -700.0, 0.0])
            .collect();
        let mut ys = xs.clone();
        tanh_in_place(&mut ys);
        for (x, y) in xs.iter().zip(&ys) {
            worst = worst.max((y - x.tanh()).abs());
        }
        assert!(worst < 4e-16, "worst absolute error {worst:e}");
        let mut z = [0.0, -0.0];
        tanh_in_place(&mut z);
        assert_eq!(z[0].to_bits(), 0.0f64.to_bits());
        assert_eq!(z[1].to_bits(), (-0.0f64).to_bits());
    }
}
