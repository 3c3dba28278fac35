//! The spike-pattern detector: synchronous, rhythmic, sparse, burst and template patterns of a
//! population raster, each with a strength and a verdict against its threshold.

use super::SpikeError;
use super::activity::{Burst, bursts, population_sparseness, rhythmicity};
use super::synchrony::{kuramoto, spike_synchronization};
use super::{SpikeRaster, TemplateMatcher};
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;

params! {
    /// Thresholds of the spike-pattern detector: a pattern is reported when its strength
    /// (in [0, 1]) reaches its threshold.
    pub struct PatternParams {
        /// Spike-time synchrony index (SPIKE-synchronization) for a synchronous pattern.
        keyword synchrony_threshold: f64 = 0.5,
        /// Autocorrelation of the population rate at its dominant period for a rhythmic pattern.
        keyword rhythm_threshold: f64 = 0.5,
        /// Shortest period (steps) looked for.
        keyword min_period: usize = 2,
        /// Longest period (steps) looked for (None: half the raster).
        keyword max_period: Option<usize> = None,
        /// Population sparseness (Treves–Rolls, normalised) for a sparse pattern.
        keyword sparseness_threshold: f64 = 0.7,
        /// Steps per bin of the sparseness measure.
        keyword sparseness_bin: usize = 1,
        /// Fraction of spikes in bursts for a burst pattern.
        keyword burst_threshold: f64 = 0.5,
        /// Largest inter-spike interval (steps) inside a burst.
        keyword max_isi: usize = 2,
        /// Fewest spikes in a burst.
        keyword min_spikes: usize = 3,
        /// Cosine similarity of a window with a template for a template match.
        keyword template_threshold: f64 = 0.8,
    }
}

impl PatternParams {
    fn check(&self) -> Result<()> {
        for (name, v) in [
            ("synchrony_threshold", self.synchrony_threshold),
            ("rhythm_threshold", self.rhythm_threshold),
            ("sparseness_threshold", self.sparseness_threshold),
            ("burst_threshold", self.burst_threshold),
            ("template_threshold", self.template_threshold),
        ] {
            check::finite(name, v)?;
            if !(0.0..=1.0).contains(&v) {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: format!("is {v}, must be in [0, 1]"),
                }
                .into());
            }
        }
        for (name, v) in [
            ("sparseness_bin", self.sparseness_bin),
            ("min_spikes", self.min_spikes),
        ] {
            if v == 0 {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: "is 0, must be at least 1".into(),
                }
                .into());
            }
        }
        Ok(())
    }
}

/// One pattern's strength and verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pattern {
    /// Strength in [0, 1] (0 when the measure is undefined, say without spikes).
    pub strength: f64,
    /// Whether the strength reaches the pattern's threshold.
    pub detected: bool,
}

impl Pattern {
    fn new(strength: Option<f64>, threshold: f64) -> Self {
        let strength = strength.unwrap_or(0.0).clamp(0.0, 1.0);
        Pattern {
            strength,
            detected: strength >= threshold && strength > 0.0,
        }
    }
}

/// A window matching a template.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TemplateMatch {
    /// Index of the template.
    pub template: usize,
    /// Last step of the matching window.
    pub step: usize,
    /// Cosine similarity of the window with the template.
    pub score: f64,
}

/// What the detector found.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternReport {
    /// Synchronous firing: strength = SPIKE-synchronization.
    pub synchrony: Pattern,
    /// The Kuramoto order parameter of spike phases (phase locking, reported alongside).
    pub kuramoto: Option<f64>,
    /// Rhythmic firing: strength = autocorrelation at the dominant period.
    pub rhythm: Pattern,
    /// The dominant period in steps.
    pub period: Option<usize>,
    /// Sparse firing: strength = population sparseness.
    pub sparseness: Pattern,
    /// Bursting: strength = fraction of spikes in bursts.
    pub burst: Pattern,
    /// The bursts found.
    pub bursts: Vec<Burst>,
    /// Template matches: strength = best score over templates and windows.
    pub template: Pattern,
    /// Every window scoring at least the threshold, for every template, in step order per
    /// template (a run of adjacent matching windows is reported at its best step).
    pub matches: Vec<TemplateMatch>,
}

/// Runs every measure on `raster` and reports the synchronous, rhythmic, sparse, burst and
/// template patterns, each with a strength.
///
/// Errors: the [`PatternParams`] rules; a template whose channel count differs from the raster's
/// or without a spike.
pub fn detect(
    raster: &SpikeRaster,
    templates: &[SpikeRaster],
    params: &PatternParams,
) -> Result<PatternReport> {
    detect_with(raster, templates, params, &Control::default())
}

/// [`detect`] under `control`, consulted between measures and templates (each measure costs
/// O(steps × channels) or O(spikes × channels × log spikes)); a stop is
/// [`SpikeError::Interrupted`].
pub fn detect_with(
    raster: &SpikeRaster,
    templates: &[SpikeRaster],
    params: &PatternParams,
    control: &Control,
) -> Result<PatternReport> {
    params.validate()?;
    let stop = || -> Result<()> {
        if control.should_stop() {
            return Err(SpikeError::Interrupted { what: "detect" }.into());
        }
        Ok(())
    };
    stop()?;
    let max_period = params.max_period.unwrap_or(raster.num_steps() / 2);
    let rhythm = rhythmicity(raster, params.min_period, max_period);
    stop()?;
    let (found, fraction) = bursts(raster, params.max_isi, params.min_spikes);
    let mut matches = Vec::new();
    let mut best = None::<f64>;
    for (k, template) in templates.iter().enumerate() {
        stop()?;
        let mut m = TemplateMatcher::new(template)?;
        let scores = m.scores(raster)?;
        let mut t = 0;
        while t < scores.len() {
            if scores[t] >= params.template_threshold && scores[t] > 0.0 {
                let mut end = t;
                while end + 1 < scores.len() && scores[end + 1] >= params.template_threshold {
                    end += 1;
                }
                let at = (t..=end)
                    .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                    .expect("non-empty run");
                matches.push(TemplateMatch {
                    template: k,
                    step: at,
                    score: scores[at],
                });
                t = end + 1;
            } else {
                t += 1;
            }
        }
        let top = scores.iter().copied().fold(0.0, f64::max);
        best = Some(best.map_or(top, |b| b.max(top)));
    }
    stop()?;
    let synchrony = spike_synchronization(raster);
    stop()?;
    let kuramoto = kuramoto(raster);
    Ok(PatternReport {
        synchrony: Pattern::new(synchrony, params.synchrony_threshold),
        kuramoto,
        rhythm: Pattern::new(rhythm.map(|r| r.1), params.rhythm_threshold),
        period: rhythm.map(|r| r.0),
        sparseness: Pattern::new(
            population_sparseness(raster, params.sparseness_bin),
            params.sparseness_threshold,
        ),
        burst: Pattern::new(Some(fraction), params.burst_threshold),
        bursts: found,
        template: Pattern::new(best, params.template_threshold),
        matches,
    })
}
