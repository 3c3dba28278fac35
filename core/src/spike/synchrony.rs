//! Population synchrony: the Kuramoto order parameter of spike phases, and SPIKE-synchronization
//! (Kreuz et al. 2015) as the spike-time synchrony index.

use super::SpikeRaster;

/// Spike times (steps) of every channel of a raster.
pub(crate) fn trains(raster: &SpikeRaster) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::new(); raster.num_channels()];
    for t in 0..raster.num_steps() {
        for c in raster.active(t) {
            out[c].push(t as f64);
        }
    }
    out
}

/// The Kuramoto order parameter of spike phases, averaged over time: each channel's phase grows
/// linearly by 2π from one spike to the next, `R(t) = |mean_c e^{iφ_c(t)}|`, and the result is the
/// mean of `R` over the steps where every channel with at least two spikes has a phase (from the
/// latest first spike to the earliest last spike). 1 for channels firing in lockstep, 0 for two
/// channels in antiphase. `None` when fewer than two channels have two spikes or the phases never
/// overlap.
pub fn kuramoto(raster: &SpikeRaster) -> Option<f64> {
    let trains: Vec<Vec<f64>> = trains(raster).into_iter().filter(|t| t.len() >= 2).collect();
    if trains.len() < 2 {
        return None;
    }
    let start = trains.iter().map(|t| t[0]).fold(f64::NEG_INFINITY, f64::max);
    let end = trains
        .iter()
        .map(|t| t[t.len() - 1])
        .fold(f64::INFINITY, f64::min);
    if start >= end {
        return None;
    }
    let mut cursor = vec![0usize; trains.len()];
    let (mut sum, mut n) = (0.0, 0usize);
    let mut t = start;
    while t < end {
        let (mut re, mut im) = (0.0, 0.0);
        for (train, k) in trains.iter().zip(cursor.iter_mut()) {
            while *k + 2 < train.len() && train[*k + 1] <= t {
                *k += 1;
            }
            let phase = 2.0 * std::f64::consts::PI * (t - train[*k]) / (train[*k + 1] - train[*k]);
            re += phase.cos();
            im += phase.sin();
        }
        sum += re.hypot(im) / trains.len() as f64;
        n += 1;
        t += 1.0;
    }
    Some(sum / n as f64)
}

/// SPIKE-synchronization (Kreuz, Mulansky & Bozanic 2015), the spike-time synchrony index: a
/// spike of one channel is coincident with another channel when that channel's nearest spike is
/// closer than half the smallest of the two spikes' neighbouring inter-spike intervals (the
/// adaptive coincidence window); the index is the mean coincidence over every spike and every
/// other channel. 1 when every spike has a partner in every other channel, 0 when none has.
/// `None` without two channels that spike.
pub fn spike_synchronization(raster: &SpikeRaster) -> Option<f64> {
    let trains: Vec<Vec<f64>> = trains(raster).into_iter().filter(|t| !t.is_empty()).collect();
    if trains.len() < 2 {
        return None;
    }
    let window = raster.num_steps() as f64;
    // Half the smallest neighbouring interval of spike k (the window length when alone).
    let half_isi = |t: &[f64], k: usize| {
        let mut m = window;
        if k > 0 {
            m = m.min(t[k] - t[k - 1]);
        }
        if k + 1 < t.len() {
            m = m.min(t[k + 1] - t[k]);
        }
        m / 2.0
    };
    let (mut sum, mut count) = (0.0, 0usize);
    for (n, a) in trains.iter().enumerate() {
        for (k, &t) in a.iter().enumerate() {
            for (m, b) in trains.iter().enumerate() {
                if m == n {
                    continue;
                }
                let j = b.partition_point(|&s| s < t);
                let nearest = [j.checked_sub(1), (j < b.len()).then_some(j)]
                    .into_iter()
                    .flatten()
                    .min_by(|&x, &y| (b[x] - t).abs().total_cmp(&(b[y] - t).abs()))
                    .expect("b is not empty");
                let tau = half_isi(a, k).min(half_isi(b, nearest));
                sum += f64::from(u8::from((b[nearest] - t).abs() < tau || b[nearest] == t));
                count += 1;
            }
        }
    }
    Some(sum / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raster(steps: usize, trains: &[&[usize]]) -> SpikeRaster {
        let mut r = SpikeRaster::new(steps, trains.len()).unwrap();
        for (c, t) in trains.iter().enumerate() {
            for &s in *t {
                r.set(s, c, 1).unwrap();
            }
        }
        r
    }

    #[test]
    fn lockstep_and_antiphase() {
        let sync = raster(40, &[&[0, 10, 20, 30], &[0, 10, 20, 30], &[0, 10, 20, 30]]);
        assert!((kuramoto(&sync).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(spike_synchronization(&sync), Some(1.0));
        let anti = raster(40, &[&[0, 10, 20, 30], &[5, 15, 25, 35]]);
        assert!(kuramoto(&anti).unwrap() < 1e-12);
        assert_eq!(spike_synchronization(&anti), Some(0.0));
        assert_eq!(kuramoto(&raster(5, &[&[1], &[2]])), None);
        // Half the spikes coincide: channel 1 fires with every other spike of channel 0.
        let half = raster(40, &[&[0, 10, 20, 30], &[0, 20]]);
        let s = spike_synchronization(&half).unwrap();
        assert!(s > 0.4 && s < 0.9, "{s}");
    }
}
