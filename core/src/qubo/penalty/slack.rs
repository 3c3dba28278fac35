//! The bounded-coefficient binary encoding of an integer slack in `[0, upper]` (qiskit-optimization's
//! `IntegerToBinary`, dimod's inequality slack).

/// Weights `1, 2, 4, …, 2^(p−1), upper − 2^p + 1` with `p = ⌊log₂ upper⌋`: `p + 1` binary
/// variables whose weighted sums cover every integer in `[0, upper]` and nothing above (the
/// weights sum to `upper`, and the last one is at most `2^p`, so it closes the gap after
/// `2^p − 1`). Empty for `upper == 0`.
///
/// ```
/// use neuroquant::qubo::penalty::bounded_coefficients;
/// assert_eq!(bounded_coefficients(7), vec![1, 2, 4]);
/// assert_eq!(bounded_coefficients(10), vec![1, 2, 4, 3]);
/// assert_eq!(bounded_coefficients(1), vec![1]);
/// assert!(bounded_coefficients(0).is_empty());
/// ```
pub fn bounded_coefficients(upper: u64) -> Vec<u64> {
    if upper == 0 {
        return Vec::new();
    }
    let p = 63 - upper.leading_zeros();
    let mut c: Vec<u64> = (0..p).map(|j| 1u64 << j).collect();
    c.push(upper - (1u64 << p) + 1);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subset sum lies in [0, upper] and every integer there is reached (exhaustive).
    #[test]
    fn encodings_cover_exactly_the_range() {
        for upper in 0..=300u64 {
            let c = bounded_coefficients(upper);
            let mut reached = vec![false; upper as usize + 1];
            for m in 0..(1u32 << c.len()) {
                let s: u64 = c
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| m >> j & 1 == 1)
                    .map(|(_, w)| w)
                    .sum();
                assert!(s <= upper, "upper {upper}: sum {s}");
                reached[s as usize] = true;
            }
            assert!(reached.iter().all(|&r| r), "upper {upper}: {c:?}");
            assert_eq!(
                c.len() as u32,
                if upper == 0 { 0 } else { 64 - upper.leading_zeros() }
            );
        }
        assert_eq!(bounded_coefficients(u64::MAX).len(), 64);
    }
}
