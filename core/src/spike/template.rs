//! Template matching: a stored spike pattern (a short raster) compared with a sliding window of a
//! spike stream, O(template spikes) per step.

use super::SpikeRaster;
use crate::Result;
use crate::error::{ArgumentError, check};

/// Matches a template raster (`L` steps × `C` channels) against a stream of spike steps: after
/// each step, the score of the window of the last `L` steps is the cosine similarity of the two
/// binary patterns, `|template ∧ window| / √(|template| · |window|)` (1 for an exact repeat, 0
/// without a common spike). The matcher keeps the window in a ring of `L` packed steps, so a
/// step costs O(C/64 + template spikes) and nothing is allocated.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateMatcher {
    template: SpikeRaster,
    spikes: Vec<(usize, usize)>,
    ring: Vec<u64>,
    counts: Vec<u32>,
    window_spikes: u64,
    words: usize,
    step: u64,
}

impl TemplateMatcher {
    /// A matcher for `template`.
    ///
    /// Errors: a template without a spike.
    pub fn new(template: &SpikeRaster) -> Result<Self> {
        let spikes: Vec<(usize, usize)> = (0..template.num_steps())
            .flat_map(|t| template.active(t).map(move |c| (t, c)))
            .collect();
        if spikes.is_empty() {
            return Err(ArgumentError::Invalid {
                argument: "template",
                reason: "has no spike".into(),
            }
            .into());
        }
        let words = template.words_per_step();
        Ok(TemplateMatcher {
            template: template.clone(),
            spikes,
            ring: vec![0; template.num_steps() * words],
            counts: vec![0; template.num_steps()],
            window_spikes: 0,
            words,
            step: 0,
        })
    }

    /// The template.
    pub fn template(&self) -> &SpikeRaster {
        &self.template
    }

    /// Adds one step of the stream, given as its packed words (`⌈C/64⌉`, as
    /// [`SpikeRaster::step_words`] gives them), and returns the score of the window ending
    /// here (0 until `L` steps have been seen).
    ///
    /// Errors: a wrong number of words.
    pub fn push_words(&mut self, words: &[u64]) -> Result<f64> {
        check::len("words", self.words, words.len())?;
        let l = self.template.num_steps();
        let slot = (self.step % l as u64) as usize;
        let count: u32 = words.iter().map(|w| w.count_ones()).sum();
        self.window_spikes = self.window_spikes - u64::from(self.counts[slot]) + u64::from(count);
        self.counts[slot] = count;
        self.ring[slot * self.words..(slot + 1) * self.words].copy_from_slice(words);
        self.step += 1;
        if self.step < l as u64 || self.window_spikes == 0 {
            return Ok(0.0);
        }
        // Template step τ lies in ring slot (step + τ) mod L: the oldest step is the next slot.
        let oldest = (self.step % l as u64) as usize;
        let common = self
            .spikes
            .iter()
            .filter(|&&(tau, c)| {
                let s = (oldest + tau) % l;
                (self.ring[s * self.words + c / 64] >> (c % 64)) & 1 == 1
            })
            .count();
        Ok(common as f64 / ((self.spikes.len() as f64) * self.window_spikes as f64).sqrt())
    }

    /// Scores every window of `raster` (same channels as the template): element `t` is the score
    /// of the window ending at step `t`.
    ///
    /// Errors: a different channel count.
    pub fn scores(&mut self, raster: &SpikeRaster) -> Result<Vec<f64>> {
        check::len("raster", self.template.num_channels(), raster.num_channels())?;
        (0..raster.num_steps())
            .map(|t| self.push_words(raster.step_words(t)))
            .collect()
    }

    /// Forgets the stream.
    pub fn reset(&mut self) {
        self.ring.fill(0);
        self.counts.fill(0);
        self.window_spikes = 0;
        self.step = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_repeats_score_one() {
        let template = SpikeRaster::from_dense(3, 2, &[1u8, 0, 0, 1, 1, 1]).unwrap();
        let mut stream = SpikeRaster::new(10, 2).unwrap();
        // The template at steps 4..7; a partial copy at 0..3 (first row only).
        for (t, c) in [(4, 0), (5, 1), (6, 0), (6, 1), (0, 0)] {
            stream.set(t, c, 1).unwrap();
        }
        let mut m = TemplateMatcher::new(&template).unwrap();
        let s = m.scores(&stream).unwrap();
        assert!((s[6] - 1.0).abs() < 1e-15, "{s:?}");
        // Window 0..3 holds one spike, in common with the template: 1/√(4·1).
        assert!((s[2] - 0.5).abs() < 1e-15);
        assert_eq!(s[0], 0.0);
        assert!(TemplateMatcher::new(&SpikeRaster::new(2, 2).unwrap()).is_err());
    }
}
