//! Liquid state machines: a recurrent population of leaky integrate-and-fire neurons driven by
//! spike rasters, with snnTorch's `Leaky` dynamics (`beta`, threshold, reset by subtraction / to
//! zero / none) plus refractory steps and an inhibitory fraction, and readout features from
//! spike counts or exponentially filtered traces.
//!
//! Input spikes are a row-major `steps × channels` array of 0/1 bytes (the `spike` area's
//! `SpikeRaster` will convert to it).

use super::csr::Csr;
use super::error::ReservoirError;
use super::init::{Distribution, random_sparse};
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::{named_enum, params};
use crate::rng;

named_enum! {
    /// What a spike does to the membrane potential (snnTorch's `reset_mechanism`).
    pub enum Reset("reset") {
        /// Subtract the threshold at the next step (snnTorch's default).
        Subtract = "subtract",
        /// Set the potential to zero at the next step.
        Zero = "zero",
        /// Leave the potential alone.
        None = "none",
    }
}

params! {
    /// A liquid state machine of leaky integrate-and-fire neurons with snnTorch's Leaky update:
    /// U(t) = beta·U(t−1) + I(t) − R(t)·threshold (subtract) or U(t) = (1 − R(t))·beta·U(t−1) + I(t)
    /// (zero), with R(t) = S(t−1) the previous spike, I(t) = W·S(t−1) + Win·s_in(t), and
    /// S(t) = (U(t) > threshold) outside the refractory period.
    pub struct LsmParams {
        /// Number of neurons N (>= 1).
        keyword units: usize = 100,
        /// Membrane decay per step beta = exp(−Δt/τ_m), in [0, 1].
        keyword beta: f64 = 0.9,
        /// Firing threshold, > 0.
        keyword threshold: f64 = 1.0,
        /// What a spike does to the potential.
        keyword reset: Reset = Reset::Subtract,
        /// Steps after a spike during which a neuron ignores its input and cannot fire.
        keyword refractory: usize = 0,
        /// Fraction of neurons whose outgoing weights are negative, in [0, 1].
        keyword inhibitory: f64 = 0.2,
        /// Fraction of the recurrent connections present, in (0, 1].
        keyword rc_connectivity: f64 = 0.1,
        /// Fraction of the input connections present, in (0, 1].
        keyword input_connectivity: f64 = 0.3,
        /// Recurrent weights are uniform on [0, w_scale) before the inhibitory sign.
        keyword w_scale: f64 = 0.5,
        /// Input weights are uniform on [0, input_scaling).
        keyword input_scaling: f64 = 1.0,
        /// Number of input channels (>= 1).
        keyword input_dim: usize = 1,
        /// Random seed of the weights. None: drawn from the operating system.
        keyword seed: Option<u64> = None,
    }
}

crate::params::params_container!(LsmParams, "lsm_params");

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

impl LsmParams {
    fn check(&self) -> Result<()> {
        for (name, v) in [("units", self.units), ("input_dim", self.input_dim)] {
            if v == 0 {
                return Err(invalid(name, "is 0, must be at least 1".into()));
            }
            check::at_most(name, v as u64, super::reservoir::MAX_UNITS as u64)?;
        }
        let unit = |name: &'static str, v: f64, lo_open: bool| -> Result<()> {
            check::finite(name, v)?;
            let ok = if lo_open {
                v > 0.0 && v <= 1.0
            } else {
                (0.0..=1.0).contains(&v)
            };
            if !ok {
                return Err(invalid(
                    name,
                    format!("is {v}, must be in {}", if lo_open { "(0, 1]" } else { "[0, 1]" }),
                ));
            }
            Ok(())
        };
        unit("beta", self.beta, false)?;
        unit("inhibitory", self.inhibitory, false)?;
        unit("rc_connectivity", self.rc_connectivity, true)?;
        unit("input_connectivity", self.input_connectivity, true)?;
        for (name, v) in [
            ("threshold", self.threshold),
            ("w_scale", self.w_scale),
            ("input_scaling", self.input_scaling),
        ] {
            check::finite(name, v)?;
            if v <= 0.0 {
                return Err(invalid(name, format!("is {v}, must be > 0")));
            }
        }
        Ok(())
    }
}

/// A liquid state machine; see [`LsmParams`]. Each step costs one add per weight of a neuron
/// that spiked and per active input, and allocates nothing.
#[derive(Debug, Clone)]
pub struct Lsm {
    pub(crate) params: LsmParams,
    pub(crate) seed: u64,
    /// Column-major by source: `w_t` row j holds the targets of neuron j (so only spiking
    /// sources are visited).
    pub(crate) w_t: Csr,
    pub(crate) win_t: Csr,
    pub(crate) v: Vec<f64>,
    pub(crate) spikes: Vec<u8>,
    pub(crate) refractory_left: Vec<u32>,
    /// Scratch input currents of a step.
    current: Vec<f64>,
}

/// Equal parameters, seed, weights, potentials, spikes and refractory counters (the scratch
/// currents are not compared: a stopped run restores the state, not the scratch).
impl PartialEq for Lsm {
    fn eq(&self, o: &Self) -> bool {
        (
            &self.params,
            self.seed,
            &self.w_t,
            &self.win_t,
            &self.v,
            &self.spikes,
            &self.refractory_left,
        ) == (
            &o.params,
            o.seed,
            &o.w_t,
            &o.win_t,
            &o.v,
            &o.spikes,
            &o.refractory_left,
        )
    }
}

pub(crate) fn transpose(m: &Csr) -> Result<Csr> {
    let (r, c) = (m.rows(), m.cols());
    let mut counts = vec![0usize; c + 1];
    for &j in m.indices() {
        counts[j as usize + 1] += 1;
    }
    for j in 0..c {
        counts[j + 1] += counts[j];
    }
    let mut next = counts.clone();
    let mut indices = vec![0u32; m.nnz()];
    let mut data = vec![0.0; m.nnz()];
    for i in 0..r {
        for k in m.indptr()[i]..m.indptr()[i + 1] {
            let j = m.indices()[k] as usize;
            indices[next[j]] = i as u32;
            data[next[j]] = m.data()[k];
            next[j] += 1;
        }
    }
    Csr::new(c, r, counts, indices, data)
}

impl Lsm {
    /// A liquid with weights drawn from `params` (W from `rng::stream(seed, 0)`, Win from
    /// stream 1; the first `round(inhibitory·units)` neurons are inhibitory).
    pub fn new(params: LsmParams) -> Result<Self> {
        params.validate()?;
        let seed = rng::resolve_seed(params.seed);
        let n = params.units;
        let mut w = random_sparse(
            "W",
            n,
            n,
            params.rc_connectivity,
            Distribution::Uniform,
            &mut rng::stream(seed, 0),
        )?;
        let inhibitory = (params.inhibitory * n as f64).round() as usize;
        let signs: Vec<f64> = (0..n)
            .map(|j| {
                if j < inhibitory {
                    -params.w_scale
                } else {
                    params.w_scale
                }
            })
            .collect();
        // Uniform [-1, 1) folded to [0, 1): |x|.
        w = Csr::new(
            n,
            n,
            w.indptr().to_vec(),
            w.indices().to_vec(),
            w.data().iter().map(|v| v.abs()).collect(),
        )?;
        w.scale_columns(&signs);
        let mut win = random_sparse(
            "Win",
            n,
            params.input_dim,
            params.input_connectivity,
            Distribution::Uniform,
            &mut rng::stream(seed, 1),
        )?;
        win = Csr::new(
            n,
            params.input_dim,
            win.indptr().to_vec(),
            win.indices().to_vec(),
            win.data()
                .iter()
                .map(|v| v.abs() * params.input_scaling)
                .collect(),
        )?;
        let mut params = params;
        params.seed = Some(seed);
        Ok(Lsm {
            w_t: transpose(&w)?,
            win_t: transpose(&win)?,
            v: vec![0.0; n],
            spikes: vec![0; n],
            refractory_left: vec![0; n],
            current: vec![0.0; n],
            params,
            seed,
        })
    }

    /// A liquid with the given recurrent (`units × units`, target × source) and input
    /// (`units × input_dim`) weights; `units`, `input_dim`, `w_scale`, `input_scaling`,
    /// `inhibitory` and the connectivities of `params` are then not used.
    pub fn with_weights(params: LsmParams, w: Csr, win: Csr) -> Result<Self> {
        params.validate()?;
        check::len("W", w.rows(), w.cols())?;
        check::len("Win", w.rows(), win.rows())?;
        let n = w.rows();
        let mut params = params;
        params.units = n;
        params.input_dim = win.cols();
        params.validate()?;
        let seed = rng::resolve_seed(params.seed);
        params.seed = Some(seed);
        Ok(Lsm {
            w_t: transpose(&w)?,
            win_t: transpose(&win)?,
            v: vec![0.0; n],
            spikes: vec![0; n],
            refractory_left: vec![0; n],
            current: vec![0.0; n],
            params,
            seed,
        })
    }

    /// The parameters (seed resolved).
    pub fn params(&self) -> &LsmParams {
        &self.params
    }

    /// Number of neurons.
    pub fn units(&self) -> usize {
        self.v.len()
    }

    /// The recurrent weights W (`units × units`, target × source).
    pub fn w(&self) -> Result<Csr> {
        transpose(&self.w_t)
    }

    /// The input weights Win (`units × input_dim`).
    pub fn win(&self) -> Result<Csr> {
        transpose(&self.win_t)
    }

    /// The membrane potentials.
    pub fn potential(&self) -> &[f64] {
        &self.v
    }

    /// The spikes of the last step.
    pub fn spikes(&self) -> &[u8] {
        &self.spikes
    }

    /// Zero potentials, no spikes, no refractory neuron.
    pub fn reset(&mut self) {
        self.v.fill(0.0);
        self.spikes.fill(0);
        self.refractory_left.fill(0);
    }

    /// One step on the input spikes `s_in` (`input_dim` values, 0 or 1); returns the spikes.
    pub fn step(&mut self, s_in: &[u8]) -> Result<&[u8]> {
        check::len("spikes", self.params.input_dim, s_in.len())?;
        if let Some(i) = s_in.iter().position(|&s| s > 1) {
            return Err(invalid(
                "spikes",
                format!("element {i} is {}, must be 0 or 1", s_in[i]),
            ));
        }
        self.advance(s_in);
        Ok(&self.spikes)
    }

    #[inline]
    fn advance(&mut self, s_in: &[u8]) {
        self.current.fill(0.0);
        let add = |m: &Csr, j: usize, cur: &mut [f64]| {
            for k in m.indptr()[j]..m.indptr()[j + 1] {
                cur[m.indices()[k] as usize] += m.data()[k];
            }
        };
        for (j, &s) in self.spikes.iter().enumerate() {
            if s != 0 {
                add(&self.w_t, j, &mut self.current);
            }
        }
        for (j, &s) in s_in.iter().enumerate() {
            if s != 0 {
                add(&self.win_t, j, &mut self.current);
            }
        }
        let (beta, thr) = (self.params.beta, self.params.threshold);
        for i in 0..self.v.len() {
            let fired = self.spikes[i] != 0;
            let mut v = beta * self.v[i];
            match self.params.reset {
                Reset::Subtract if fired => v -= thr,
                Reset::Zero if fired => v = 0.0,
                _ => {}
            }
            if self.refractory_left[i] > 0 {
                self.refractory_left[i] -= 1;
                self.v[i] = v;
                self.spikes[i] = 0;
                continue;
            }
            v += self.current[i];
            self.v[i] = v;
            let spike = v > thr;
            self.spikes[i] = u8::from(spike);
            if spike {
                self.refractory_left[i] = self.params.refractory as u32;
            }
        }
    }

    /// Runs `steps` steps on a row-major `steps × input_dim` raster of 0/1 and returns the
    /// `steps × units` output raster. See [`run_with`](Self::run_with).
    pub fn run(&mut self, spikes: &[u8], steps: usize) -> Result<Vec<u8>> {
        self.run_with(spikes, steps, &Control::default())
    }

    /// [`run`](Self::run) under `control`: the interrupt and the deadline are looked at every
    /// [`steps_between_checks`](Self::steps_between_checks) steps (about a millisecond of work);
    /// a stopped run returns [`ReservoirError::Stopped`] (kind `Interrupted`) and leaves the
    /// liquid as it was before the call. The input is validated before the first step.
    pub fn run_with(&mut self, spikes: &[u8], steps: usize, control: &Control<'_>) -> Result<Vec<u8>> {
        let d = self.params.input_dim;
        check::len_rows("spikes", "steps", steps, d, spikes.len())?;
        if let Some(i) = spikes.iter().position(|&s| s > 1) {
            return Err(invalid(
                "spikes",
                format!("element {i} is {}, must be 0 or 1", spikes[i]),
            ));
        }
        let n = self.units();
        let mut out = crate::alloc::filled("raster", 0u8, steps.saturating_mul(n))?;
        let saved = self.snapshot();
        let per_check = self.steps_between_checks();
        for t in 0..steps {
            if t % per_check == 0 && t > 0 && control.should_stop() {
                self.restore(saved);
                return Err(ReservoirError::Stopped { what: "lsm run" }.into());
            }
            self.advance(&spikes[t * d..(t + 1) * d]);
            out[t * n..(t + 1) * n].copy_from_slice(&self.spikes);
        }
        Ok(out)
    }

    /// Steps between two looks at a [`Control`] in [`run_with`](Self::run_with) and
    /// [`run_raster_with`](Self::run_raster_with): about a million weights touched if every
    /// neuron and input fired, so a few milliseconds at most between looks.
    pub fn steps_between_checks(&self) -> usize {
        let work = self.w_t.nnz() + self.win_t.nnz() + self.units() + self.params.input_dim;
        (super::WORK_BETWEEN_CHECKS / work.max(1)).max(1)
    }

    fn snapshot(&self) -> (Vec<f64>, Vec<u8>, Vec<u32>) {
        (self.v.clone(), self.spikes.clone(), self.refractory_left.clone())
    }

    fn restore(&mut self, (v, spikes, refractory_left): (Vec<f64>, Vec<u8>, Vec<u32>)) {
        self.v = v;
        self.spikes = spikes;
        self.refractory_left = refractory_left;
    }
}

impl Lsm {
    /// Runs the liquid on a [`SpikeRaster`](crate::spike::SpikeRaster) from the `spike` area
    /// (`steps × input_dim`, on spikes only) and returns its own spikes as a raster
    /// (`steps × units`), bit-packed both ways. Equal to [`run`](Self::run) on the dense form.
    ///
    /// Errors (state unchanged): a channel count other than `input_dim`; off spikes (`-1`: split
    /// the polarities into channels first, the liquid's inputs are excitatory events).
    ///
    /// ```
    /// use neuroquant::reservoir::{Lsm, LsmParams};
    /// use neuroquant::spike::SpikeRaster;
    /// let mut lsm = Lsm::new(LsmParams::default().units(20usize).input_dim(3usize).seed(1u64))?;
    /// let dense: Vec<u8> = (0..30).map(|i| u8::from(i % 4 == 0)).collect();
    /// let raster = SpikeRaster::from_dense(10, 3, &dense)?;
    /// let mut again = lsm.clone();
    /// let out = lsm.run_raster(&raster)?;
    /// assert_eq!(out.to_dense::<u8>()?, again.run(&dense, 10)?);
    /// let before = lsm.clone();
    /// assert!(lsm.run_raster(&SpikeRaster::from_dense(1, 3, &[1i8, -1, 0])?).is_err()); // off spike
    /// assert!(lsm.run_raster(&SpikeRaster::new(4, 2)?).is_err()); // 2 channels, input_dim 3
    /// assert_eq!(lsm.potential(), before.potential());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn run_raster(&mut self, raster: &crate::spike::SpikeRaster) -> Result<crate::spike::SpikeRaster> {
        self.run_raster_with(raster, &Control::default())
    }

    /// [`run_raster`](Self::run_raster) under `control`, as [`run_with`](Self::run_with): a
    /// stopped run returns [`ReservoirError::Stopped`] and leaves the liquid unchanged.
    pub fn run_raster_with(
        &mut self,
        raster: &crate::spike::SpikeRaster,
        control: &Control<'_>,
    ) -> Result<crate::spike::SpikeRaster> {
        let d = self.params.input_dim;
        check::len("raster channels", d, raster.num_channels())?;
        if raster.is_signed() {
            return Err(invalid(
                "raster",
                "holds off spikes (-1); the liquid takes on spikes only".into(),
            ));
        }
        let (steps, n) = (raster.num_steps(), self.units());
        let mut out = crate::spike::SpikeRaster::new(steps, n)?;
        let mut s_in = crate::alloc::filled("spikes", 0u8, d)?;
        let saved = self.snapshot();
        let per_check = self.steps_between_checks();
        for t in 0..steps {
            if t % per_check == 0 && t > 0 && control.should_stop() {
                self.restore(saved);
                return Err(ReservoirError::Stopped {
                    what: "lsm run_raster",
                }
                .into());
            }
            s_in.fill(0);
            for c in raster.active(t) {
                s_in[c] = 1;
            }
            self.advance(&s_in);
            for (i, &s) in self.spikes.iter().enumerate() {
                if s != 0 {
                    out.set(t, i, 1)?;
                }
            }
        }
        Ok(out)
    }
}

/// Readout features from a `steps × units` raster: the spike count of each unit in consecutive
/// windows of `window` steps (`floor(steps / window) × units`; a partial last window is dropped).
pub fn spike_counts(raster: &[u8], units: usize, window: usize) -> Result<Vec<f64>> {
    if units == 0 || window == 0 || !raster.len().is_multiple_of(units) {
        return Err(invalid(
            "window",
            format!(
                "window {window} and units {units} must be >= 1 and units must divide the raster length {}",
                raster.len()
            ),
        ));
    }
    let steps = raster.len() / units;
    let windows = steps / window;
    let mut out = vec![0.0; windows * units];
    for w in 0..windows {
        for t in w * window..(w + 1) * window {
            for i in 0..units {
                out[w * units + i] += f64::from(raster[t * units + i]);
            }
        }
    }
    Ok(out)
}

/// Readout features from a `steps × units` raster: exponentially filtered traces
/// `r[t] = decay·r[t−1] + S[t]`, starting from 0 (`steps × units`).
pub fn filtered_traces(raster: &[u8], units: usize, decay: f64) -> Result<Vec<f64>> {
    check::finite("decay", decay)?;
    if !(0.0..=1.0).contains(&decay) {
        return Err(invalid("decay", format!("is {decay}, must be in [0, 1]")));
    }
    if units == 0 || !raster.len().is_multiple_of(units) {
        return Err(invalid(
            "units",
            format!(
                "is {units}, must be >= 1 and divide the raster length {}",
                raster.len()
            ),
        ));
    }
    let mut out = vec![0.0; raster.len()];
    let mut r = vec![0.0; units];
    for (t, row) in raster.chunks_exact(units).enumerate() {
        for i in 0..units {
            r[i] = decay * r[i] + f64::from(row[i]);
        }
        out[t * units..(t + 1) * units].copy_from_slice(&r);
    }
    Ok(out)
}
