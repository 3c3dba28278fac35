//! Phase oscillators: a Kuramoto network, and the phenomenological phase state that host
//! applications use.
//!
//! [`PhaseState`] and [`interference`] are a **phenomenological model, not quantum
//! mechanics**: a bookkeeping of energy, phase, coherence and uncertainty with the update
//! `coherence ← coherence·exp(−dt/energy)`, `phase ← phase + energy·dt`,
//! `uncertainty ← min(1, uncertainty + dt/10)`, and
//! `interference(a, b) = cos(phase_a − phase_b)·coherence_a·coherence_b`.

use crate::Result;
use crate::control::Control;
use crate::error::check;
use crate::quantum::pauli::invalid;
use serde::{Deserialize, Serialize};

/// The phenomenological phase state (see the module docs: not quantum mechanics).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PhaseState {
    /// Energy (> 0): the phase velocity and the coherence lifetime.
    pub energy: f64,
    /// Phase in radians (not wrapped).
    pub phase: f64,
    /// Coherence in [0, 1].
    pub coherence: f64,
    /// Uncertainty in [0, 1].
    pub uncertainty: f64,
}

impl PhaseState {
    /// A state; `energy > 0`, `coherence` and `uncertainty` in [0, 1], all finite.
    pub fn new(energy: f64, phase: f64, coherence: f64, uncertainty: f64) -> Result<Self> {
        let s = PhaseState {
            energy,
            phase,
            coherence,
            uncertainty,
        };
        s.check()?;
        Ok(s)
    }

    pub(crate) fn check(&self) -> Result<()> {
        check::finite("energy", self.energy)?;
        check::finite("phase", self.phase)?;
        check::finite("coherence", self.coherence)?;
        check::finite("uncertainty", self.uncertainty)?;
        if self.energy <= 0.0 {
            return Err(invalid("energy", format!("is {}, must be > 0", self.energy)));
        }
        for (name, v) in [("coherence", self.coherence), ("uncertainty", self.uncertainty)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(name, format!("is {v}, must be in [0, 1]")));
            }
        }
        Ok(())
    }

    /// Advances by `dt ≥ 0`: coherence·exp(−dt/energy), phase + energy·dt,
    /// min(1, uncertainty + dt/10). Bad `dt` changes nothing.
    pub fn evolve(&mut self, dt: f64) -> Result<()> {
        check::finite("dt", dt)?;
        if dt < 0.0 {
            return Err(invalid("dt", format!("is {dt}, must be >= 0")));
        }
        self.coherence *= (-dt / self.energy).exp();
        self.phase += self.energy * dt;
        self.uncertainty = (self.uncertainty + dt / 10.0).min(1.0);
        Ok(())
    }
}

/// `cos(phase_a − phase_b)·coherence_a·coherence_b` (phenomenological, see the module docs).
pub fn interference(a: &PhaseState, b: &PhaseState) -> f64 {
    (a.phase - b.phase).cos() * a.coherence * b.coherence
}

/// A Kuramoto network `dθ_i/dt = ω_i + (K/N) Σ_j A_ij sin(θ_j − θ_i)` (all-to-all, `A_ij = 1`,
/// when no adjacency is given: then the mean-field form `K R sin(ψ − θ_i)` costs O(N)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kuramoto {
    /// Natural frequencies ω.
    pub frequencies: Vec<f64>,
    /// Coupling K.
    pub coupling: f64,
    /// Row-major N×N adjacency (weights), or None for all-to-all.
    pub adjacency: Option<Vec<f64>>,
    /// Current phases θ.
    pub phases: Vec<f64>,
    /// Current time.
    pub time: f64,
}

/// The order parameter over time: `R(t) e^{iψ(t)} = (1/N) Σ e^{iθ_j}`.
#[derive(Debug, Clone, PartialEq)]
pub struct KuramotoTrace {
    /// Times.
    pub times: Vec<f64>,
    /// R(t) ∈ [0, 1].
    pub order: Vec<f64>,
    /// ψ(t) ∈ (−π, π].
    pub mean_phase: Vec<f64>,
    /// Whether the run was stopped (interrupt or deadline) before its last step: the trace then
    /// holds the records of the steps done, and the network stands after them.
    pub interrupted: bool,
}

/// Largest network size (the adjacency has N² entries).
pub const MAX_OSCILLATORS: usize = 1 << 20;

impl Kuramoto {
    /// A network; `phases` and `frequencies` of one length N ≥ 1, finite; `adjacency` N×N.
    pub fn new(
        frequencies: Vec<f64>,
        coupling: f64,
        phases: Vec<f64>,
        adjacency: Option<Vec<f64>>,
    ) -> Result<Self> {
        let n = frequencies.len();
        if n == 0 {
            return Err(invalid(
                "frequencies",
                "is empty, needs at least one oscillator".into(),
            ));
        }
        check::at_most("frequencies", n as u64, MAX_OSCILLATORS as u64)?;
        check::all_finite("frequencies", &frequencies)?;
        check::finite("coupling", coupling)?;
        check::len("phases", n, phases.len())?;
        check::all_finite("phases", &phases)?;
        if let Some(a) = &adjacency {
            check::at_most("adjacency", n as u64, 8192)?;
            check::len("adjacency", n * n, a.len())?;
            check::all_finite("adjacency", a)?;
        }
        Ok(Kuramoto {
            frequencies,
            coupling,
            adjacency,
            phases,
            time: 0.0,
        })
    }

    /// `(R, ψ)` of the current phases.
    pub fn order_parameter(&self) -> (f64, f64) {
        order(&self.phases)
    }

    fn derivative(&self, theta: &[f64], out: &mut [f64]) {
        let n = theta.len();
        let k = self.coupling / n as f64;
        match &self.adjacency {
            None => {
                let (s, c) = theta
                    .iter()
                    .fold((0.0, 0.0), |(s, c), t| (s + t.sin(), c + t.cos()));
                for i in 0..n {
                    // Σ_j sin(θ_j − θ_i) = S cos θ_i − C sin θ_i
                    out[i] = self.frequencies[i] + k * (s * theta[i].cos() - c * theta[i].sin());
                }
            }
            Some(a) => {
                for i in 0..n {
                    let mut acc = 0.0;
                    for j in 0..n {
                        let w = a[i * n + j];
                        if w != 0.0 {
                            acc += w * (theta[j] - theta[i]).sin();
                        }
                    }
                    out[i] = self.frequencies[i] + k * acc;
                }
            }
        }
    }

    /// Advances `steps` classical RK4 steps of size `dt > 0`, recording the order parameter
    /// before the first step and every `record_every` steps. Follows `control` (a stop keeps
    /// the steps done: the network is always in a consistent state, and the trace, with
    /// [`KuramotoTrace::interrupted`] set, holds the records made so far).
    pub fn run(
        &mut self,
        dt: f64,
        steps: usize,
        record_every: usize,
        control: &Control<'_>,
    ) -> Result<KuramotoTrace> {
        check::finite("dt", dt)?;
        if dt <= 0.0 {
            return Err(invalid("dt", format!("is {dt}, must be > 0")));
        }
        if record_every == 0 {
            return Err(invalid("record_every", "is 0, must be at least 1".into()));
        }
        check::at_most("steps / record_every", (steps / record_every) as u64, 1 << 26)?;
        let n = self.phases.len();
        let mut trace = KuramotoTrace {
            times: vec![],
            order: vec![],
            mean_phase: vec![],
            interrupted: false,
        };
        let rec = |t: f64, th: &[f64], tr: &mut KuramotoTrace| {
            let (r, psi) = order(th);
            tr.times.push(t);
            tr.order.push(r);
            tr.mean_phase.push(psi);
        };
        rec(self.time, &self.phases, &mut trace);
        let (mut k1, mut k2, mut k3, mut k4, mut tmp) = (
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
        );
        let check_every = ((1usize << 20) / n.max(1)).max(1);
        for step in 0..steps {
            if step % check_every == 0 && control.should_stop() {
                trace.interrupted = true;
                break;
            }
            let th = &self.phases;
            self.derivative(th, &mut k1);
            for i in 0..n {
                tmp[i] = th[i] + 0.5 * dt * k1[i];
            }
            self.derivative(&tmp, &mut k2);
            for i in 0..n {
                tmp[i] = th[i] + 0.5 * dt * k2[i];
            }
            self.derivative(&tmp, &mut k3);
            for i in 0..n {
                tmp[i] = th[i] + dt * k3[i];
            }
            self.derivative(&tmp, &mut k4);
            for i in 0..n {
                self.phases[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
            self.time += dt;
            if (step + 1) % record_every == 0 {
                rec(self.time, &self.phases, &mut trace);
            }
        }
        Ok(trace)
    }
}

fn order(theta: &[f64]) -> (f64, f64) {
    let n = theta.len() as f64;
    let (s, c) = theta
        .iter()
        .fold((0.0, 0.0), |(s, c), t| (s + t.sin(), c + t.cos()));
    ((s * s + c * c).sqrt() / n, s.atan2(c))
}
