//! The seed ranges dwave-samplers accepts, for the dimod-compatible samplers of the bindings
//! (`neuroquant.ocean`), which refuse what dwave refuses. The native samplers take any `u64`.

use crate::Result;
use crate::error::ArgumentError;

/// dwave-samplers 1.8's exclusive upper bound on `seed` for the sampler named `sampler` (a
/// [`Sampler::name`](super::Sampler::name)): `2^31` for simulated and path-integral annealing
/// (`0 <= seed < 2**31`), `2^32` for steepest descent; `None` where dwave takes any
/// non-negative integer (tabu seeds numpy's `default_rng`) or has no such sampler.
pub fn dwave_seed_bound(sampler: &str) -> Option<u64> {
    match sampler {
        "simulated_annealing" | "path_integral_annealing" => Some(1 << 31),
        "steepest_descent" => Some(1 << 32),
        _ => None,
    }
}

/// Checks `seed` against [`dwave_seed_bound`] for `sampler`.
///
/// ```
/// use neuroquant::anneal::check_dwave_seed;
/// assert!(check_dwave_seed("simulated_annealing", (1 << 31) - 1).is_ok());
/// assert_eq!(
///     check_dwave_seed("simulated_annealing", 1 << 31).unwrap_err().to_string(),
///     "argument `seed`: is 2147483648, must be below 2^31 (dwave-samplers' range)"
/// );
/// assert!(check_dwave_seed("tabu", u64::MAX).is_ok());
/// ```
pub fn check_dwave_seed(sampler: &str, seed: u64) -> Result<()> {
    match dwave_seed_bound(sampler) {
        Some(bound) if seed >= bound => Err(ArgumentError::Invalid {
            argument: "seed",
            reason: format!(
                "is {seed}, must be below 2^{} (dwave-samplers' range)",
                bound.trailing_zeros()
            ),
        }
        .into()),
        _ => Ok(()),
    }
}
