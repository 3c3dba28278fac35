//! Acceptance of single-spin-flip proposals (Metropolis or Gibbs) at one inverse temperature, with
//! the skip of frozen spins and a small cache that saves the `exp` for repeated energy changes.

/// `ln(2^64)` as dwave-samplers rounds it: a flip whose `beta * delta` reaches it would be
/// accepted with probability below 2^-64 (the resolution of a 64-bit draw), so it is skipped
/// without drawing a random number.
pub(crate) const LN_2_POW_64: f64 = 44.36142;

const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
const CACHE_SLOTS: usize = 64;

crate::params::named_enum! {
    /// The rule deciding whether a proposed spin flip is accepted (dwave's
    /// `proposal_acceptance_criteria`).
    pub enum ProposalAcceptance("proposal_acceptance_criteria") {
        /// Accept with probability `min(1, exp(-beta * delta))`.
        Metropolis = "Metropolis",
        /// Accept with probability `1 / (1 + exp(beta * delta))` (heat bath).
        Gibbs = "Gibbs",
    }
}

/// Acceptance thresholds at one inverse temperature: a proposal with energy change `delta` is
/// accepted iff a uniform 64-bit draw `r` satisfies `r < threshold(delta)`, where
/// `threshold = floor(p * 2^64)` and `p` is the criterion's acceptance probability. Thresholds
/// are cached by the exact bits of `delta` in a small direct-mapped table, so models whose
/// energy changes take few distinct values (integer or ±J biases) pay for `exp` once per value
/// per temperature.
#[derive(Debug, Clone)]
pub(crate) struct AcceptTable {
    keys: [u64; CACHE_SLOTS],
    thresholds: [u64; CACHE_SLOTS],
    beta: f64,
    gibbs: bool,
    /// `beta * delta` at or above which a flip is skipped.
    pub(crate) skip: f64,
}

/// A key no finite `delta` has (a NaN bit pattern).
const EMPTY: u64 = 0x7ff8_dead_beef_0001;

impl AcceptTable {
    pub(crate) fn new(criterion: ProposalAcceptance) -> Self {
        AcceptTable {
            keys: [EMPTY; CACHE_SLOTS],
            thresholds: [0; CACHE_SLOTS],
            beta: 0.0,
            gibbs: criterion == ProposalAcceptance::Gibbs,
            skip: f64::INFINITY,
        }
    }

    /// Switches to inverse temperature `beta` (finite, >= 0), clearing the cache if it changed.
    #[inline]
    pub(crate) fn set_beta(&mut self, beta: f64) {
        if beta.to_bits() != self.beta.to_bits() {
            self.reset(beta);
        }
    }

    /// Switches to inverse temperature `beta` and always clears the cache (for callers whose
    /// `delta` changes meaning between calls at the same `beta`).
    pub(crate) fn reset(&mut self, beta: f64) {
        self.beta = beta;
        self.keys = [EMPTY; CACHE_SLOTS];
        self.skip = LN_2_POW_64 / beta;
    }

    /// `floor(p(delta) * 2^64)`, saturating.
    #[inline]
    pub(crate) fn threshold(&mut self, delta: f64) -> u64 {
        let bits = delta.to_bits();
        let slot = (bits.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize;
        if self.keys[slot] == bits {
            return self.thresholds[slot];
        }
        self.fill(slot, bits, delta)
    }

    /// A cache miss: computes and stores the threshold. Out of line so the `exp` call's register
    /// pressure stays out of the sweep loops.
    #[cold]
    #[inline(never)]
    fn fill(&mut self, slot: usize, bits: u64, delta: f64) -> u64 {
        let t = probability_threshold(self.gibbs, self.beta * delta);
        self.keys[slot] = bits;
        self.thresholds[slot] = t;
        t
    }
}

/// `floor(p * 2^64)` for the acceptance probability `p` at `x = beta * delta`.
#[inline]
pub(crate) fn probability_threshold(gibbs: bool, x: f64) -> u64 {
    let p = if gibbs { 1.0 / (1.0 + x.exp()) } else { (-x).exp() };
    // `as` saturates: p = 1 maps to u64::MAX.
    (p * TWO_POW_64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_the_acceptance_probabilities() {
        let mut t = AcceptTable::new(ProposalAcceptance::Metropolis);
        t.set_beta(0.5);
        for delta in [0.1, 2.0, 2.0, 7.5, 2.0] {
            let p = t.threshold(delta) as f64 / TWO_POW_64;
            assert!((p - (-0.5 * delta).exp()).abs() < 1e-15);
        }
        t.set_beta(2.0);
        assert!((t.threshold(2.0) as f64 / TWO_POW_64 - (-4.0f64).exp()).abs() < 1e-15);
        assert_eq!(t.skip, LN_2_POW_64 / 2.0);
        let mut g = AcceptTable::new(ProposalAcceptance::Gibbs);
        g.set_beta(1.0);
        assert!((g.threshold(-1.0) as f64 / TWO_POW_64 - 1.0 / (1.0 + (-1.0f64).exp())).abs() < 1e-15);
        assert_eq!(g.threshold(-1000.0), u64::MAX);
    }
}
