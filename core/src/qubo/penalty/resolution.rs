//! The unit of a linear constraint: a resolution `r` such that every coefficient is an integer
//! multiple of `r`. Then every left-hand side value `Σ a_i x_i` is a multiple of `r`, so a
//! violated equality misses by at least `r` (the penalty gap is `strength · r²`), and the slack of
//! an inequality can be encoded exactly in units of `r`.

use crate::Result;
use crate::error::ArgumentError;

/// Largest `Σ|a_i| / r` a linear constraint may have (the coefficients in units of the resolution
/// `r`): 2⁵⁰, so every left-hand side and slack value is an exact integer in `f64` and a slack
/// needs at most 51 variables.
pub const MAX_UNITS: f64 = (1u64 << 50) as f64;

/// Values beyond this (2⁵³) are not integers we can represent exactly.
const EXACT: f64 = (1u64 << 53) as f64;

/// Decimal places tried when the resolution is detected automatically.
pub const MAX_DECIMALS: i32 = 6;

/// `x` rounded to an integer if it is within `1e-9` (absolute, plus a relative `1e-15` covering
/// the rounding of `v / r`) of one.
pub(crate) fn near_integer(x: f64) -> Option<f64> {
    let n = x.round();
    ((x - n).abs() <= 1e-9 + 1e-15 * x.abs()).then_some(n)
}

/// `x` rounded down, or to the nearest integer when it is within the tolerance of one.
pub(crate) fn near_integer_or_floor(x: f64) -> f64 {
    near_integer(x).unwrap_or(x.floor())
}

/// The coarsest resolution of `values` (none zero): the greatest common divisor of the values
/// written with the fewest decimals `k <= MAX_DECIMALS` that make them all integers. Returns the
/// resolution and each value in its units (exact integers as `f64`), or `None` if no `k` works.
pub(crate) fn detect(values: &[f64]) -> Option<(f64, Vec<f64>)> {
    (0..=MAX_DECIMALS).find_map(|k| {
        let scale = 10f64.powi(k);
        let ints: Vec<f64> = values
            .iter()
            .map(|&v| near_integer(v * scale).filter(|n| n.abs() <= EXACT))
            .collect::<Option<_>>()?;
        let g = ints.iter().fold(0u64, |g, &n| gcd(g, n.abs() as u64));
        (g > 0).then(|| (g as f64 / scale, ints.iter().map(|&n| n / g as f64).collect()))
    })
}

/// Each value in units of the given resolution; an error naming `argument` and the first value
/// that is not a multiple of it (within the tolerance of [`near_integer`]).
pub(crate) fn to_units(argument: &'static str, values: &[f64], resolution: f64) -> Result<Vec<f64>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let x = v / resolution;
            match near_integer(x) {
                Some(n) if n.abs() <= EXACT => Ok(n),
                Some(_) => Err(ArgumentError::TooLarge {
                    argument,
                    requested: x.abs().min(u64::MAX as f64) as u64,
                    limit: EXACT as u64,
                }
                .into()),
                None => Err(ArgumentError::Invalid {
                    argument,
                    reason: format!("element {i} ({v}) is not a multiple of the resolution {resolution}"),
                }
                .into()),
            }
        })
        .collect()
}

/// The error for coefficients with no resolution of at most [`MAX_DECIMALS`] decimals.
pub(crate) fn not_found(resolution_argument: &'static str, what: &str) -> crate::Error {
    ArgumentError::Invalid {
        argument: resolution_argument,
        reason: format!(
            "the {what} are not integer multiples of any unit with at most {MAX_DECIMALS} decimals; \
             pass the resolution they are multiples of"
        ),
    }
    .into()
}

/// The resolution of non-negative `values` (a generator's weights or powers): `given` (checked
/// `> 0`, every value a multiple of it), or the coarsest one of the non-zero values, 1 when all
/// are zero. Errors name `argument` or `resolution_argument`.
pub(crate) fn of_values(
    argument: &'static str,
    values: &[f64],
    given: Option<f64>,
    resolution_argument: &'static str,
) -> Result<f64> {
    if let Some(r) = given {
        let r = super::strength::positive(resolution_argument, r)?;
        to_units(argument, values, r)?;
        return Ok(r);
    }
    let nonzero: Vec<f64> = values.iter().copied().filter(|&v| v != 0.0).collect();
    if nonzero.is_empty() {
        return Ok(1.0);
    }
    detect(&nonzero)
        .map(|(r, _)| r)
        .ok_or_else(|| not_found(resolution_argument, argument))
}

/// The C ABI's convention for an optional resolution: `0.0` means automatic (`None`), a finite
/// value `> 0` is used as given, anything else is an error naming `resolution`.
///
/// ```
/// use neuroquant::qubo::penalty::resolution_from_value;
/// assert_eq!(resolution_from_value(0.0)?, None);
/// assert_eq!(resolution_from_value(0.5)?, Some(0.5));
/// assert!(resolution_from_value(-1.0).is_err());
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn resolution_from_value(value: f64) -> Result<Option<f64>> {
    if value == 0.0 {
        Ok(None)
    } else {
        super::strength::positive("resolution", value).map(Some)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_finds_the_coarsest_unit() {
        assert_eq!(detect(&[3.0, 5.0, 2.0]), Some((1.0, vec![3.0, 5.0, 2.0])));
        assert_eq!(detect(&[10.0, -20.0, 30.0]), Some((10.0, vec![1.0, -2.0, 3.0])));
        assert_eq!(detect(&[2.5, 4.0, 7.5]), Some((0.5, vec![5.0, 8.0, 15.0])));
        let (r, u) = detect(&[0.3, 0.7]).unwrap();
        assert!((r - 0.1).abs() < 1e-15);
        assert_eq!(u, vec![3.0, 7.0]);
        assert_eq!(detect(&[1.0 / 3.0]), None);
        assert_eq!(detect(&[1e-7]), None);
        assert_eq!(detect(&[1e13]), Some((1e13, vec![1.0])));
    }

    #[test]
    fn explicit_resolutions_must_divide_every_value() {
        assert_eq!(to_units("coeffs", &[0.3, 0.6], 0.1).unwrap(), vec![3.0, 6.0]);
        let e = to_units("coeffs", &[0.3, 0.65], 0.1).unwrap_err();
        assert!(
            e.to_string()
                .contains("element 1 (0.65) is not a multiple of the resolution 0.1"),
            "{e}"
        );
        assert!(to_units("coeffs", &[1e17], 1.0).is_err());
        assert_eq!(gcd(12, 18), 6);
    }

    #[test]
    fn generator_resolutions_skip_zeros_and_name_their_arguments() {
        assert_eq!(of_values("w", &[0.0, 1.5, 3.0], None, "r").unwrap(), 1.5);
        assert_eq!(of_values("w", &[0.0, 0.0], None, "r").unwrap(), 1.0);
        assert_eq!(of_values("w", &[0.5, 1.0], Some(0.25), "r").unwrap(), 0.25);
        let e = of_values("w", &[0.5, 1.0], Some(0.3), "r").unwrap_err();
        assert!(e.to_string().contains("w"), "{e}");
        let e = of_values("w", &[1.0 / 3.0], None, "r").unwrap_err();
        assert!(
            e.to_string().contains("r") && e.to_string().contains("the w are not"),
            "{e}"
        );
        assert!(of_values("w", &[1.0], Some(-1.0), "r").is_err());
    }
}
