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
