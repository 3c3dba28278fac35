//! Activity patterns of a population: ISI bursts, rhythmicity from the autocorrelation of the
//! population rate, and Treves–Rolls sparseness.

use super::SpikeRaster;
use super::synchrony::trains;

/// A burst: a run of at least `min_spikes` spikes of one channel whose consecutive inter-spike
/// intervals are all at most `max_isi` steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burst {
    /// The channel.
    pub channel: usize,
    /// Step of the first spike.
    pub start: usize,
    /// Step of the last spike.
    pub end: usize,
    /// Spikes in the burst.
    pub num_spikes: usize,
}

/// ISI-threshold burst detection (the "max interval" rule with one interval threshold): maximal
/// runs of spikes with every interval `<= max_isi`, kept when they hold at least `min_spikes`
/// spikes. Returns the bursts in channel then time order, and the fraction of all spikes that lie
/// in a burst (0 without spikes).
pub fn bursts(raster: &SpikeRaster, max_isi: usize, min_spikes: usize) -> (Vec<Burst>, f64) {
    let mut out = Vec::new();
    let (mut in_bursts, mut total) = (0usize, 0usize);
    for (channel, t) in trains(raster).iter().enumerate() {
        total += t.len();
        let mut k = 0;
        while k < t.len() {
            let mut e = k;
            while e + 1 < t.len() && t[e + 1] - t[e] <= max_isi as f64 {
                e += 1;
            }
            if e + 1 - k >= min_spikes.max(2) {
                out.push(Burst {
                    channel,
                    start: t[k] as usize,
                    end: t[e] as usize,
                    num_spikes: e + 1 - k,
                });
                in_bursts += e + 1 - k;
            }
            k = e + 1;
        }
    }
    let fraction = if total == 0 {
        0.0
    } else {
        in_bursts as f64 / total as f64
    };
    (out, fraction)
}

/// The population rate's autocorrelation at lags `0..=max_lag`: `ac(k) = c(k)/c(0)` with the
/// unbiased autocovariance `c(k) = Σ_{t<T−k} (r_t − r̄)(r_{t+k} − r̄)/(T − k)`, `r_t` the spikes at
/// step `t`. Empty when the rate is constant (no rhythm to find).
pub fn autocorrelation(raster: &SpikeRaster, max_lag: usize) -> Vec<f64> {
    let r: Vec<f64> = (0..raster.num_steps())
        .map(|t| raster.active(t).count() as f64)
        .collect();
    let n = r.len();
    if n == 0 {
        return Vec::new();
    }
    let mean = r.iter().sum::<f64>() / n as f64;
    let c = |k: usize| (0..n - k).map(|t| (r[t] - mean) * (r[t + k] - mean)).sum::<f64>() / (n - k) as f64;
    let c0 = c(0);
    if c0 <= 0.0 {
        return Vec::new();
    }
    (0..=max_lag.min(n - 1)).map(|k| c(k) / c0).collect()
}

/// The dominant period of the population rate and its strength: among the local maxima of
/// [`autocorrelation`] at lags `min_period..=max_period`, the shortest lag whose peak reaches 90 %
/// of the highest one (multiples of a period peak about as high as the period itself), and the
/// autocorrelation there (1 for a perfectly periodic population). `None` when there is no local
/// maximum.
pub fn rhythmicity(raster: &SpikeRaster, min_period: usize, max_period: usize) -> Option<(usize, f64)> {
    let ac = autocorrelation(raster, max_period.saturating_add(1));
    let peaks: Vec<usize> = (min_period.max(1)..ac.len().saturating_sub(1))
        .filter(|&k| ac[k] > ac[k - 1] && ac[k] >= ac[k + 1] && ac[k] > 0.0)
        .collect();
    let top = peaks.iter().map(|&k| ac[k]).fold(f64::NEG_INFINITY, f64::max);
    peaks
        .into_iter()
        .find(|&k| ac[k] >= 0.9 * top)
        .map(|k| (k, ac[k]))
}

/// The Treves–Rolls activity ratio `a = (Σ r_i / N)² / (Σ r_i² / N)` of non-negative responses
/// (1 when all are equal, 1/N when one neuron carries everything); `None` when all are 0 or the
/// slice is empty.
pub fn treves_rolls(rates: &[f64]) -> Option<f64> {
    let n = rates.len() as f64;
    let s: f64 = rates.iter().sum();
    let s2: f64 = rates.iter().map(|r| r * r).sum();
    (s2 > 0.0).then(|| (s / n).powi(2) / (s2 / n))
}

/// Population sparseness: over bins of `bin` steps that hold any spike, the mean of
/// `(1 − a)/(1 − 1/N)` with `a` the [`treves_rolls`] ratio of the channels' spike counts in the bin
/// (Vinje & Gallant's normalisation: 0 when every channel is equally active, 1 when one channel
/// carries all). `None` without two channels or without spikes.
pub fn population_sparseness(raster: &SpikeRaster, bin: usize) -> Option<f64> {
    let n = raster.num_channels();
    if n < 2 || bin == 0 {
        return None;
    }
    let mut counts = vec![0.0; n];
    let (mut sum, mut bins) = (0.0, 0usize);
    for start in (0..raster.num_steps()).step_by(bin) {
        counts.fill(0.0);
        for t in start..(start + bin).min(raster.num_steps()) {
            for c in raster.active(t) {
                counts[c] += 1.0;
            }
        }
        if let Some(a) = treves_rolls(&counts) {
            sum += (1.0 - a) / (1.0 - 1.0 / n as f64);
            bins += 1;
        }
    }
    (bins > 0).then(|| sum / bins as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_by_hand() {
        let mut r = SpikeRaster::new(30, 2).unwrap();
        for t in [0, 1, 2, 10, 20, 21, 22, 23] {
            r.set(t, 0, 1).unwrap();
        }
        r.set(5, 1, 1).unwrap();
        let (b, frac) = bursts(&r, 1, 3);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].start, b[0].end, b[0].num_spikes), (0, 2, 3));
        assert_eq!((b[1].start, b[1].end, b[1].num_spikes), (20, 23, 4));
        assert_eq!(frac, 7.0 / 9.0);
    }

    #[test]
    fn periodic_population_has_its_period() {
        // 28 whole periods, so the unbiased autocorrelation at the period is exactly 1.
        let mut r = SpikeRaster::new(196, 3).unwrap();
        for t in (3..196).step_by(7) {
            r.set(t, t % 3, 1).unwrap();
        }
        let (p, s) = rhythmicity(&r, 2, 50).unwrap();
        assert_eq!(p, 7);
        assert!((s - 1.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn treves_rolls_extremes() {
        assert_eq!(treves_rolls(&[1.0, 1.0, 1.0, 1.0]), Some(1.0));
        assert_eq!(treves_rolls(&[0.0, 0.0, 4.0, 0.0]), Some(0.25));
        assert_eq!(treves_rolls(&[0.0, 0.0]), None);
        let mut r = SpikeRaster::new(4, 4).unwrap();
        for t in 0..4 {
            r.set(t, t, 1).unwrap();
        }
        assert_eq!(population_sparseness(&r, 1), Some(1.0));
        let dense = SpikeRaster::from_dense(1, 4, &[1u8; 4]).unwrap();
        assert_eq!(population_sparseness(&dense, 1), Some(0.0));
    }
}
