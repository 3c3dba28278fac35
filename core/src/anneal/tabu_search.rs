//! One read of multistart tabu search (Palubeckis 2004, MST2), following dwave-samplers'
//! `TabuSearch` step for step but on CSR adjacency: a move costs `O(n)` to choose (a scan of
//! the cached energy changes, as in dwave) and `O(degree)` to apply (dwave: `O(n)`, dense), and a
//! restart's perturbation works on the sparse interaction matrix instead of a dense `n × n` one.
//!
//! Simple tabu search (STS): repeatedly make the best non-tabu flip (ties broken at random); a
//! flip that beats the best energy of this STS is taken at once and followed by a first-improvement
//! local search. A flipped variable stays tabu for `tenure` moves. An STS stops after a number of
//! candidate evaluations (`max(lower_bound_z, coefficient_z · n)`), at the deadline, or at the
//! energy threshold. Between STS runs, MST2 picks ~40 % of the variables with probabilities
//! biased towards those whose flip gains most (gains computed as dwave computes them, see
//! [`restart_gains`]), runs a steepest ascent on the sub-problem they span, and flips the chosen
//! ones to obtain the next starting point.

use super::Control;
use super::reads::WORK_BETWEEN_CHECKS;
use super::spin_model::SpinModel;
use crate::rng::Rng;
use rand_core::Rng as _;
use std::cell::Cell;
use std::time::Instant;

/// dwave's `LAMBDA`: weight of positive gains in the selection probabilities.
const LAMBDA: f64 = 5000.0;
/// dwave's `ALPHA`: fraction of the variables freed at a restart (at least 10).
const ALPHA: f64 = 0.4;
/// STS moves between looks at the clock and at [`Control`] (fewer on large models, so a look
/// comes at least every [`WORK_BETWEEN_CHECKS`] candidate evaluations).
const MOVES_BETWEEN_CHECKS: u64 = 64;

/// The resolved settings of one tabu read.
#[derive(Debug, Clone)]
pub(crate) struct TabuConfig {
    pub(crate) tenure: usize,
    pub(crate) num_restarts: u64,
    /// Stop once the best energy (SPIN form, no offset) is at most this.
    pub(crate) energy_threshold: f64,
    pub(crate) max_evals_first: u64,
    pub(crate) max_evals_restart: u64,
}

/// Why a read ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Halt {
    /// The caller asked to stop: the read is abandoned.
    Stopped,
    /// The energy threshold was reached: the read returns its best state.
    Threshold,
    /// The per-read timeout: the read returns its best state.
    Timeout,
}

/// Buffers of one worker, reused across reads.
pub(crate) struct TabuWorkspace {
    fields: Vec<f64>,
    until: Vec<u64>,
    ties: Vec<u32>,
    sts_best: Vec<i8>,
    best: Vec<i8>,
    // Restart (MST2) buffers.
    gain: Vec<f64>,
    d: Vec<f64>,
    cumulative: Vec<f64>,
    chosen: Vec<u32>,
    in_set: Vec<bool>,
    visited: Vec<bool>,
    h1: Vec<f64>,
    h2: Vec<f64>,
    flip_it: Vec<bool>,
}

impl TabuWorkspace {
    pub(crate) fn new(n: usize) -> crate::Result<Self> {
        use crate::alloc::{filled, with_capacity};
        const WHAT: &str = "tabu workspace";
        Ok(TabuWorkspace {
            fields: filled(WHAT, 0.0, n)?,
            until: filled(WHAT, 0, n)?,
            ties: with_capacity(WHAT, n)?,
            sts_best: filled(WHAT, 0, n)?,
            best: filled(WHAT, 0, n)?,
            gain: filled(WHAT, 0.0, n)?,
            d: filled(WHAT, 0.0, n)?,
            cumulative: filled(WHAT, 0.0, n)?,
            chosen: with_capacity(WHAT, n)?,
            in_set: filled(WHAT, false, n)?,
            visited: filled(WHAT, false, n)?,
            h1: filled(WHAT, 0.0, n)?,
            h2: filled(WHAT, 0.0, n)?,
            flip_it: filled(WHAT, false, n)?,
        })
    }
}

/// One tabu read.
pub(crate) struct TabuRead<'a, 'c> {
    pub(crate) model: &'a SpinModel,
    pub(crate) cfg: &'a TabuConfig,
    pub(crate) control: &'a Control<'c>,
    pub(crate) deadline: Option<Instant>,
    /// Work done since the last look at `control` outside the search's own move loop.
    pub(crate) work: Cell<usize>,
}

impl TabuRead<'_, '_> {
    /// Runs from the state in `spins` and leaves the best state found there; returns the number of
    /// restarts and whether the per-read timeout ended the read, or `None` if the caller stopped
    /// the run.
    ///
    /// A model without variables has a single (empty) state: the read returns it at once, with
    /// no restart, whatever the timeout (a search over nothing would otherwise never count an
    /// evaluation and, without a timeout, never end).
    pub(crate) fn run(&self, spins: &mut [i8], ws: &mut TabuWorkspace, rng: &mut Rng) -> Option<(u64, bool)> {
        if spins.is_empty() {
            return Some((0, false));
        }
        let model = self.model;
        model.fields(spins, &mut ws.fields);
        let energy = model.spin_energy(spins, &ws.fields);
        let (mut best_energy, halt) = self.sts(spins, energy, self.cfg.max_evals_first, ws, rng);
        if halt == Some(Halt::Stopped) {
            return None;
        }
        ws.best.copy_from_slice(&ws.sts_best);
        let mut halted = halt;
        let mut restarts = 0;
        while halted.is_none() && restarts < self.cfg.num_restarts {
            if best_energy <= self.cfg.energy_threshold {
                break;
            }
            if self.past_deadline() {
                halted = Some(Halt::Timeout);
                break;
            }
            // The next start: a perturbation of the last STS's best state (as dwave does).
            spins.copy_from_slice(&ws.sts_best);
            if self.perturb(spins, ws, rng) == Some(Halt::Stopped) {
                return None;
            }
            model.fields(spins, &mut ws.fields);
            let energy = model.spin_energy(spins, &ws.fields);
            restarts += 1;
            let (sts_energy, halt) = self.sts(spins, energy, self.cfg.max_evals_restart, ws, rng);
            if halt == Some(Halt::Stopped) {
                return None;
            }
            if sts_energy < best_energy {
                best_energy = sts_energy;
                ws.best.copy_from_slice(&ws.sts_best);
            }
            halted = halt;
        }
        spins.copy_from_slice(&ws.best);
        Some((restarts, halted == Some(Halt::Timeout)))
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Counts `work` units (about a nanosecond each) and looks at `control` once they add up to
    /// [`WORK_BETWEEN_CHECKS`]: for the `O(n)`-per-step loops outside the move loop (the local
    /// search after an improvement, the restart's selection and ascent), which a large model
    /// makes long.
    fn stopped_after(&self, work: usize) -> bool {
        let total = self.work.get() + work;
        if total < WORK_BETWEEN_CHECKS {
            self.work.set(total);
            return false;
        }
        self.work.set(0);
        self.control.should_stop()
    }

    /// One simple tabu search from `spins` (energy `energy`, fields in `ws.fields`); the best
    /// state seen is left in `ws.sts_best`. Returns its energy and why the search ended early,
    /// if it did.
    fn sts(
        &self,
        spins: &mut [i8],
        mut energy: f64,
        max_evals: u64,
        ws: &mut TabuWorkspace,
        rng: &mut Rng,
    ) -> (f64, Option<Halt>) {
        let model = self.model;
        let n = spins.len();
        ws.sts_best.copy_from_slice(spins);
        let mut best = energy;
        ws.until.fill(0);
        let tenure = self.cfg.tenure as u64;
        let mut evals = 0u64;
        let mut step = 0u64;
        let check_every = (WORK_BETWEEN_CHECKS as u64 / n as u64).clamp(1, MOVES_BETWEEN_CHECKS);
        let delta = |s: &[i8], f: &[f64], v: usize| -2.0 * f64::from(s[v]) * f[v];
        while evals < max_evals {
            if best <= self.cfg.energy_threshold {
                return (best, Some(Halt::Threshold));
            }
            if step.is_multiple_of(check_every) {
                if self.control.should_stop() {
                    return (best, Some(Halt::Stopped));
                }
                if self.past_deadline() {
                    return (best, Some(Halt::Timeout));
                }
            }
            let mut local_min = f64::INFINITY;
            let mut choice = None;
            let mut improves_best = false;
            ws.ties.clear();
            for k in 0..n {
                if ws.until[k] > step {
                    continue;
                }
                evals += 1;
                let cost = energy + delta(spins, &ws.fields, k);
                if cost < best {
                    improves_best = true;
                    choice = Some(k);
                    break;
                }
                if cost < local_min {
                    local_min = cost;
                    choice = Some(k);
                    ws.ties.clear();
                    ws.ties.push(k as u32);
                } else if cost == local_min {
                    ws.ties.push(k as u32);
                }
            }
            if !improves_best && ws.ties.len() > 1 {
                choice = Some(ws.ties[below(rng, ws.ties.len())] as usize);
            }
            let current_step = step;
            step += 1;
            let Some(k) = choice else { continue };
            energy += delta(spins, &ws.fields, k);
            model.flip(k, spins, &mut ws.fields);
            ws.until[k] = current_step + tenure + 1;
            if improves_best {
                // First-improvement local search from the new best, then record it.
                loop {
                    let mut improved = false;
                    for i in 0..n {
                        evals += 1;
                        let d = delta(spins, &ws.fields, i);
                        if d < 0.0 {
                            improved = true;
                            energy += d;
                            model.flip(i, spins, &mut ws.fields);
                        }
                    }
                    if !improved {
                        break;
                    }
                    if self.stopped_after(n) {
                        return (best, Some(Halt::Stopped));
                    }
                }
                best = energy;
                ws.sts_best.copy_from_slice(spins);
            }
        }
        (best, None)
    }

    /// MST2's restart: selects a subset of variables biased towards large flip gains, runs a
    /// steepest ascent of the gain over the subset, and flips the variables it sets. `O(n²)`
    /// like dwave's, so it looks at `control` as it goes; `Some(Halt::Stopped)` if it stopped.
    fn perturb(&self, spins: &mut [i8], ws: &mut TabuWorkspace, rng: &mut Rng) -> Option<Halt> {
        let model = self.model;
        let n = spins.len();
        if n == 0 {
            return None;
        }
        // The restart's gain matrix: c_ii from `restart_gains` (dwave's diagonal), and the gain of
        // flipping i and j together beyond the two single gains, c_ij = -4 J_ij s_i s_j.
        restart_gains(model, spins, &mut ws.gain);
        let pair = |spins: &[i8], i: usize, j: u32, w: f64| {
            -4.0 * w * f64::from(spins[i]) * f64::from(spins[j as usize])
        };
        let m = ((ALPHA * n as f64) as usize).max(10).min(n);

        // Selection (dwave's selectVariables).
        ws.d.copy_from_slice(&ws.gain);
        ws.in_set.fill(false);
        ws.chosen.clear();
        for _ in 0..m {
            let (mut dmin, mut dmax) = (f64::INFINITY, f64::NEG_INFINITY);
            for i in 0..n {
                if !ws.in_set[i] {
                    dmin = dmin.min(ws.d[i]);
                    dmax = dmax.max(ws.d[i]);
                }
            }
            let mut total = 0.0;
            let mut last = 0;
            for i in 0..n {
                if ws.in_set[i] {
                    continue;
                }
                let di = ws.d[i];
                let e = if dmin == dmax {
                    1.0
                } else if di <= 0.0 && dmin < 0.0 {
                    1.0 - di / dmin
                } else if di == dmin && dmin == 0.0 {
                    0.0
                } else {
                    1.0 + LAMBDA * (di / dmax)
                };
                total += e;
                ws.cumulative[i] = total;
                last = i;
            }
            let u = uniform(rng);
            let pick = if total > 0.0 {
                (0..n)
                    .find(|&i| !ws.in_set[i] && u <= ws.cumulative[i] / total)
                    .unwrap_or(last)
            } else {
                (0..n).find(|&i| !ws.in_set[i]).unwrap_or(last)
            };
            if self.stopped_after(2 * n) {
                return Some(Halt::Stopped);
            }
            ws.in_set[pick] = true;
            ws.chosen.push(pick as u32);
            let (nbrs, ws_row) = model.row(pick);
            for (&j, &w) in nbrs.iter().zip(ws_row) {
                if !ws.in_set[j as usize] {
                    ws.d[j as usize] += pair(spins, pick, j, w);
                }
            }
        }

        // Steepest ascent on the chosen variables (dwave's steepestAscent).
        for &i in &ws.chosen {
            let i = i as usize;
            ws.h1[i] = ws.gain[i];
            ws.visited[i] = false;
            ws.flip_it[i] = false;
            let (nbrs, row) = model.row(i);
            ws.h2[i] = nbrs
                .iter()
                .zip(row)
                .filter(|&(&j, _)| ws.in_set[j as usize])
                .map(|(&j, &w)| pair(spins, i, j, w))
                .sum();
        }
        for _ in 0..m {
            let (mut v1, mut v2) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
            let (mut pick, mut set_to) = (None, false);
            for &i in &ws.chosen {
                let i = i as usize;
                if ws.visited[i] {
                    continue;
                }
                let (mut q1, mut q2) = (2.0 * ws.h1[i] + ws.h2[i], ws.h1[i]);
                let r = q1 > 0.0 || (q1 == 0.0 && q2 >= 0.0);
                if !r {
                    q1 = -q1;
                    q2 = -q2;
                }
                if pick.is_none() || q1 > v1 || (q1 == v1 && q2 > v2) {
                    v1 = q1;
                    v2 = q2;
                    pick = Some(i);
                    set_to = r;
                }
            }
            let Some(j) = pick else { break };
            if self.stopped_after(m) {
                return Some(Halt::Stopped);
            }
            ws.flip_it[j] = set_to;
            ws.visited[j] = true;
            let (nbrs, row) = model.row(j);
            for (&i, &w) in nbrs.iter().zip(row) {
                let iu = i as usize;
                if ws.in_set[iu] && !ws.visited[iu] {
                    let c = pair(spins, j, i, w);
                    ws.h2[iu] -= c;
                    if set_to {
                        ws.h1[iu] += c;
                    }
                }
            }
        }
        for &i in &ws.chosen {
            if ws.flip_it[i as usize] {
                spins[i as usize] = -spins[i as usize];
            }
        }
        None
    }
}

/// The diagonal of the restart's gain matrix as dwave-samplers computes it (`computeC`): in
/// BINARY terms, `c_ii = ±(a_i + Σ_{j > i, x_j = 1} b_ij)`, the sign making it a gain (negative
/// for `x_i = 0`), i.e. the gain of flipping `i` counting only the neighbours after `i` in index
/// order. In SPIN terms, `c_ii = s_i (2 h_i + Σ_j J_ij (4·[j > i ∧ s_j = +1] − 2))`.
///
/// This is not the full flip gain `2 s_i f_i`, and that matters: the restart starts from the best
/// state of a search, a local optimum, where every full gain is ≤ 0, so the selection and the
/// steepest ascent then free variables that mostly stay put and the next search restarts next to
/// the last one. With dwave's partial gains, G6 and G10 (2 s, one read, seeds 1–6) reach mean cuts
/// of 2166.5 and 1996.5 instead of 2143 and 1971 (dwave-samplers: 2166 and 1995).
fn restart_gains(model: &SpinModel, spins: &[i8], gains: &mut [f64]) {
    for (i, g) in gains.iter_mut().enumerate() {
        let (nbrs, row) = model.row(i);
        let mut base = 2.0 * model.h[i];
        for (&j, &w) in nbrs.iter().zip(row) {
            base += w * if j as usize > i && spins[j as usize] > 0 {
                2.0
            } else {
                -2.0
            };
        }
        *g = f64::from(spins[i]) * base;
    }
}

/// Uniform in `0..n` (`n > 0`).
fn below(rng: &mut Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Uniform in `[0, 1)` with 53 bits.
fn uniform(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubo::{Bqm, Vartype};

    #[test]
    fn restart_gains_follow_dwaves_binary_formula() {
        // dwave's computeC on the BINARY model: c_ii = -(a_i + Σ_{j>i, x_j=1} b_ij) for x_i = 0,
        // its negation for x_i = 1; evaluated here straight from the model's biases.
        let n = 7u32;
        let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
        bqm.add_linear_from(&[1.5, -2.0, 0.25, 3.0, -0.5, 0.0, 2.5])
            .unwrap();
        for u in 0..n {
            for v in u + 1..n {
                if (u + 2 * v) % 3 != 0 {
                    bqm.add_quadratic(u, v, f64::from(u * 5 + v * 3) % 7.0 - 3.0)
                        .unwrap();
                }
            }
        }
        let model = SpinModel::new(&bqm).unwrap();
        for code in 0..(1u32 << n) {
            let x: Vec<i8> = (0..n).map(|k| (code >> k & 1) as i8).collect();
            let spins: Vec<i8> = x.iter().map(|&b| 2 * b - 1).collect();
            let mut gains = vec![0.0; n as usize];
            restart_gains(&model, &spins, &mut gains);
            for i in 0..n {
                let mut c = bqm.linear()[i as usize];
                for j in i + 1..n {
                    if x[j as usize] == 1 {
                        c += bqm.quadratic(i, j).unwrap().unwrap_or(0.0);
                    }
                }
                let expected = if x[i as usize] == 1 { c } else { -c };
                assert!(
                    (gains[i as usize] - expected).abs() < 1e-12,
                    "state {code:07b}, variable {i}"
                );
            }
        }
    }
}
