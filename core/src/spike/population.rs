//! Gaussian receptive-field population coding (Bohte, Kok & La Poutré 2002).

use super::SpikeRaster;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::params;

params! {
    /// Gaussian receptive-field population coding (Bohte et al. 2002): each input value drives
    /// num_neurons neurons with Gaussian tuning curves covering [i_min, i_max]; neuron i fires
    /// once, earlier the stronger its response, and not at all below cutoff.
    pub struct PopulationParams {
        /// Neurons per input (m > 2): centres i_min + (2i - 3)/2 · (i_max - i_min)/(m - 2),
        /// i = 1..m.
        keyword num_neurons: usize = 8,
        /// Lower end of the input range.
        keyword i_min: f64 = 0.0,
        /// Upper end of the input range.
        keyword i_max: f64 = 1.0,
        /// Width factor: sigma = (i_max - i_min) / (beta·(m - 2)); 1.5 in the paper.
        keyword beta: f64 = 1.5,
        /// Time steps per encoded value; a response r fires at round((num_steps - 1)(1 - r)).
        keyword num_steps: usize = 10,
        /// Responses below it do not fire (about 0.1 in the paper).
        keyword cutoff: f64 = 0.1,
    }
}

impl PopulationParams {
    fn check(&self) -> Result<()> {
        for (n, v) in [
            ("i_min", self.i_min),
            ("i_max", self.i_max),
            ("beta", self.beta),
            ("cutoff", self.cutoff),
        ] {
            check::finite(n, v)?;
        }
        let bad = |argument, reason: String| Err(ArgumentError::Invalid { argument, reason }.into());
        if self.num_neurons < 3 {
            return bad(
                "num_neurons",
                format!("is {}, must be at least 3", self.num_neurons),
            );
        }
        if self.i_max <= self.i_min {
            return bad(
                "i_max",
                format!("is {}, must be > i_min = {}", self.i_max, self.i_min),
            );
        }
        if self.beta <= 0.0 {
            return bad("beta", format!("is {}, must be > 0", self.beta));
        }
        if self.num_steps < 2 {
            return bad("num_steps", format!("is {}, must be at least 2", self.num_steps));
        }
        if !(0.0..1.0).contains(&self.cutoff) {
            return bad("cutoff", format!("is {}, must be in [0, 1)", self.cutoff));
        }
        Ok(())
    }

    /// The centre of neuron `i` (0-based).
    pub fn centre(&self, i: usize) -> f64 {
        let m = self.num_neurons as f64;
        self.i_min + (2.0 * (i + 1) as f64 - 3.0) / 2.0 * (self.i_max - self.i_min) / (m - 2.0)
    }

    /// The common width σ.
    pub fn sigma(&self) -> f64 {
        (self.i_max - self.i_min) / (self.beta * (self.num_neurons as f64 - 2.0))
    }

    /// Neuron `i`'s response to `x`, `exp(−(x − μ_i)² / 2σ²)`.
    pub fn response(&self, i: usize, x: f64) -> f64 {
        let s = self.sigma();
        (-(x - self.centre(i)).powi(2) / (2.0 * s * s)).exp()
    }
}

/// Encodes each value of `data` into `num_neurons` channels: a raster of `num_steps ×
/// (data.len() · num_neurons)` where channel `k·m + i` is neuron `i` of value `k`.
///
/// Errors: non-finite data; the [`PopulationParams`] rules; raster sizes.
pub fn population(data: &[f64], params: &PopulationParams) -> Result<SpikeRaster> {
    params.validate()?;
    check::all_finite("data", data)?;
    let m = params.num_neurons;
    let channels = data.len().checked_mul(m).ok_or(ArgumentError::TooLarge {
        argument: "data",
        requested: data.len() as u64,
        limit: (usize::MAX / m) as u64,
    })?;
    let mut raster = SpikeRaster::new(params.num_steps, channels)?;
    let last = (params.num_steps - 1) as f64;
    for (k, &x) in data.iter().enumerate() {
        for i in 0..m {
            let r = params.response(i, x);
            if r >= params.cutoff {
                let t = (last * (1.0 - r)).round_ties_even() as usize;
                raster.put(t, k * m + i, 1)?;
            }
        }
    }
    Ok(raster)
}

/// Decodes a population raster: each value is the mean of the fired neurons' centres weighted by
/// their responses as read back from the spike times (`r̂ = 1 − t/(num_steps − 1)`); a value
/// whose neurons are all silent (far outside the covered range) decodes to `i_min`.
///
/// Errors: a raster whose shape does not match the parameters.
pub fn population_decode(raster: &SpikeRaster, params: &PopulationParams) -> Result<Vec<f64>> {
    params.validate()?;
    let m = params.num_neurons;
    check::len("raster", params.num_steps, raster.num_steps())?;
    if !raster.num_channels().is_multiple_of(m) {
        return Err(ArgumentError::DimensionMismatch {
            argument: "raster",
            expected: raster.num_channels().next_multiple_of(m),
            got: raster.num_channels(),
        }
        .into());
    }
    let n = raster.num_channels() / m;
    let (mut num, mut den) = (vec![0.0; n], vec![0.0; n]);
    let mut earliest = vec![(usize::MAX, 0usize); n];
    let last = (params.num_steps - 1) as f64;
    for t in 0..raster.num_steps() {
        for ch in raster.active(t) {
            let (k, i) = (ch / m, ch % m);
            let r = 1.0 - t as f64 / last;
            num[k] += r * params.centre(i);
            den[k] += r;
            if t < earliest[k].0 {
                earliest[k] = (t, i);
            }
        }
    }
    Ok((0..n)
        .map(|k| {
            if den[k] > 0.0 {
                (num[k] / den[k]).clamp(params.i_min, params.i_max)
            } else if earliest[k].0 != usize::MAX {
                params.centre(earliest[k].1)
            } else {
                // Nothing fired: the value lay far outside the covered range.
                params.i_min
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bohte_centres_widths_and_spike_times_by_hand() {
        // m = 5 on [0, 1]: spacing 1/3, centres −1/6, 1/6, 1/2, 5/6, 7/6; σ = 1/(1.5·3) = 2/9.
        let p = PopulationParams::default().num_neurons(5).num_steps(10);
        for (i, c) in [-1.0 / 6.0, 1.0 / 6.0, 0.5, 5.0 / 6.0, 7.0 / 6.0]
            .iter()
            .enumerate()
        {
            assert!((p.centre(i) - c).abs() < 1e-15);
        }
        assert!((p.sigma() - 2.0 / 9.0).abs() < 1e-15);
        // x = 1/2: neuron 2 responds 1 → step 0; neurons 1 and 3 respond e^{−(1/3)²/(2σ²)} =
        // e^{−1.125} = 0.3247 → step round(9·0.6753) = 6; neurons 0 and 4 respond e^{−4.5} < 0.1.
        let r = population(&[0.5], &p).unwrap();
        assert_eq!(r.active(0).collect::<Vec<_>>(), vec![2]);
        assert_eq!(r.active(6).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(r.count(), 3);
    }
}
