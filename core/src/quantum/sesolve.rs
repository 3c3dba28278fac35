//! `sesolve`: the Schrödinger equation `i dψ/dt = H(t) ψ` over a list of output times, with
//! QuTiP's arguments; batches of initial states and sweeps over Hamiltonians run in parallel.

use super::hamiltonian::{check_ket, check_tlist};
use super::krylov::{KrylovSettings, Stats, propagate_hermitian};
use super::options::{MAX_DIAG_DIM, Method, SolverOptions};
use super::rk::{Pair, RkSettings, integrate};
use super::{C64, Hamiltonian, Operator, QuantumError};
use crate::Result;
use crate::control::Control;
use crate::error::check;
use crate::quantum::pauli::invalid;
use rayon::prelude::*;

/// What a solver returns (QuTiP's `Result`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SolveResult {
    /// The output times reached (all of `tlist`, unless interrupted).
    pub times: Vec<f64>,
    /// `expect[k][i]`: e_op `k` at `times[i]` (real up to rounding when the e_op is Hermitian).
    pub expect: Vec<Vec<C64>>,
    /// Whether each e_op is Hermitian (its values are then real).
    pub hermitian_e_ops: Vec<bool>,
    /// The states at `times` when requested (kets, or row-major density matrices).
    pub states: Option<Vec<Vec<C64>>>,
    /// The state at the last time reached.
    pub final_state: Vec<C64>,
    /// Work done.
    pub stats: Stats,
    /// The method used.
    pub method: Method,
    /// Whether the run was stopped (interrupt or deadline) before the last output time.
    pub interrupted: bool,
}

impl SolveResult {
    /// The real parts of `expect[k]` (the values of a Hermitian e_op).
    pub fn expect_real(&self, k: usize) -> Vec<f64> {
        self.expect[k].iter().map(|v| v.re).collect()
    }
}

/// Collects outputs as the propagators report them.
pub(crate) struct Collector<'a> {
    e_ops: &'a [Operator],
    pub(crate) result: SolveResult,
    store: bool,
    tlist: &'a [f64],
}

impl<'a> Collector<'a> {
    pub(crate) fn new(e_ops: &'a [Operator], tlist: &'a [f64], store: bool, method: Method) -> Self {
        Collector {
            e_ops,
            store,
            tlist,
            result: SolveResult {
                times: Vec::with_capacity(tlist.len()),
                expect: vec![Vec::with_capacity(tlist.len()); e_ops.len()],
                hermitian_e_ops: e_ops.iter().map(Operator::is_hermitian).collect(),
                states: store.then(Vec::new),
                final_state: Vec::new(),
                stats: Stats::default(),
                method,
                interrupted: false,
            },
        }
    }

    pub(crate) fn record(&mut self, k: usize, state: &[C64]) -> Result<()> {
        self.result.times.push(self.tlist[k]);
        for (e, out) in self.e_ops.iter().zip(&mut self.result.expect) {
            out.push(e.expect(state)?);
        }
        if self.store {
            let v = crate::alloc::with_capacity::<C64>("states", state.len()).map(|mut v| {
                v.extend_from_slice(state);
                v
            })?;
            self.result.states.as_mut().expect("store").push(v);
        }
        if k + 1 == self.tlist.len() || self.final_is_needed() {
            self.result.final_state.clear();
            self.result.final_state.extend_from_slice(state);
        }
        Ok(())
    }

    fn final_is_needed(&self) -> bool {
        true
    }

    /// The result of a run: a stop after the first output gives the outputs so far.
    pub(crate) fn finish(mut self, run: Result<Stats>) -> Result<SolveResult> {
        match run {
            Ok(stats) => {
                self.result.stats = stats;
                Ok(self.result)
            }
            Err(e) if e.kind() == crate::ErrorKind::Interrupted && !self.result.times.is_empty() => {
                self.result.interrupted = true;
                Ok(self.result)
            }
            Err(e) => Err(e),
        }
    }
}

pub(crate) fn check_e_ops(e_ops: &[Operator], dim: usize) -> Result<()> {
    for e in e_ops {
        check::len("e_ops", dim, e.dim())?;
    }
    Ok(())
}

/// Evolves `psi0` under `h` and reports `e_ops` at every time of `tlist` (QuTiP's `sesolve`).
/// `psi0` must be normalised (to 1e-8). The run follows `control` (threads, deadline,
/// interrupt, one progress step per output time); a stop after the first output returns the
/// outputs so far with `interrupted` set.
///
/// ```
/// use neuroquant::quantum::*;
/// // Rabi oscillation: H = σx/2 from |0⟩ gives P1(t) = sin²(t/2).
/// let mut x = PauliSum::new(1)?;
/// x.add_term("X", &[0], 0.5)?;
/// let h = Hamiltonian::new(Operator::from_pauli(&x, Storage::Dense)?)?;
/// let mut p1 = PauliSum::new(1)?;
/// p1.add_term("I", &[0], 0.5)?;
/// p1.add_term("Z", &[0], -0.5)?;
/// let p1 = Operator::from_pauli(&p1, Storage::Csr)?;
/// let psi0 = ket_basis(2, 0)?;
/// let r = sesolve(&h, &psi0, &[0.0, 1.0, 3.0], &[p1], &SolverOptions::default(), &Default::default())?;
/// assert!((r.expect[0][2].re - (1.5f64).sin().powi(2)).abs() < 1e-10);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn sesolve(
    h: &Hamiltonian,
    psi0: &[C64],
    tlist: &[f64],
    e_ops: &[Operator],
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<SolveResult> {
    options.validate()?;
    check_ket("psi0", psi0, h.dim())?;
    check_tlist(tlist)?;
    check_e_ops(e_ops, h.dim())?;
    let method = resolve(h, options)?;
    control.install(|| run(h, psi0, tlist, e_ops, options, method, control))?
}

/// `sesolve` for each initial state of `states`, in parallel (one setup, one result per state in
/// order; each state's result is the same as a lone `sesolve`'s). Progress counts states.
pub fn sesolve_batch(
    h: &Hamiltonian,
    states: &[Vec<C64>],
    tlist: &[f64],
    e_ops: &[Operator],
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<Vec<SolveResult>> {
    options.validate()?;
    for s in states {
        check_ket("states", s, h.dim())?;
    }
    check_tlist(tlist)?;
    check_e_ops(e_ops, h.dim())?;
    let method = resolve(h, options)?;
    let item = control.for_item();
    control.install(|| {
        states
            .par_iter()
            .map(|s| {
                if control.should_stop() {
                    return Err(QuantumError::Interrupted {
                        solver: "sesolve_batch",
                    }
                    .into());
                }
                let r = run(h, s, tlist, e_ops, options, method, &item);
                control.item_done(states.len() as u64);
                r
            })
            .collect()
    })?
}

/// `sesolve` of `psi0` under each Hamiltonian of `hs` (a parameter sweep), in parallel.
pub fn sesolve_sweep(
    hs: &[Hamiltonian],
    psi0: &[C64],
    tlist: &[f64],
    e_ops: &[Operator],
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<Vec<SolveResult>> {
    options.validate()?;
    check_tlist(tlist)?;
    let mut methods = Vec::with_capacity(hs.len());
    for h in hs {
        check_ket("psi0", psi0, h.dim())?;
        check_e_ops(e_ops, h.dim())?;
        methods.push(resolve(h, options)?);
    }
    let item = control.for_item();
    control.install(|| {
        hs.par_iter()
            .zip(&methods)
            .map(|(h, &m)| {
                if control.should_stop() {
                    return Err(QuantumError::Interrupted {
                        solver: "sesolve_sweep",
                    }
                    .into());
                }
                let r = run(h, psi0, tlist, e_ops, options, m, &item);
                control.item_done(hs.len() as u64);
                r
            })
            .collect()
    })?
}

fn resolve(h: &Hamiltonian, options: &SolverOptions) -> Result<Method> {
    let m = match options.method {
        Method::Auto if h.is_time_dependent() => Method::Dop853,
        Method::Auto => Method::Krylov,
        m => m,
    };
    if matches!(m, Method::Krylov | Method::Diag) && h.is_time_dependent() {
        return Err(invalid(
            "method",
            format!(
                "\"{}\" needs a time-independent Hamiltonian; use \"dop853\" or \"tsit5\"",
                m.name()
            ),
        ));
    }
    if m == Method::Diag {
        check::at_most("dim", h.dim() as u64, MAX_DIAG_DIM as u64)?;
    }
    Ok(m)
}

pub(crate) fn store_states(options: &SolverOptions, e_ops: &[Operator]) -> bool {
    options.store_states.unwrap_or(e_ops.is_empty())
}

fn run(
    h: &Hamiltonian,
    psi0: &[C64],
    tlist: &[f64],
    e_ops: &[Operator],
    options: &SolverOptions,
    method: Method,
    control: &Control<'_>,
) -> Result<SolveResult> {
    let mut col = Collector::new(e_ops, tlist, store_states(options, e_ops), method);
    let outcome = {
        let mut out = |k: usize, s: &[C64]| col.record(k, s);
        match method {
            Method::Krylov => {
                let apply = |x: &[C64], y: &mut [C64]| {
                    y.fill(C64::new(0.0, 0.0));
                    h.h0.apply_add(C64::new(1.0, 0.0), x, y);
                };
                let settings = KrylovSettings {
                    dim: options.krylov_dim,
                    tol: options.atol,
                };
                propagate_hermitian(&apply, psi0, tlist, settings, control, &mut out)
            }
            Method::Diag => diag(&h.h0, psi0, tlist, control, &mut out),
            Method::Dop853 | Method::Tsit5 | Method::Auto => {
                let pair = if method == Method::Tsit5 {
                    Pair::Tsit5
                } else {
                    Pair::Dop853
                };
                let mut cs = Vec::with_capacity(h.terms.len());
                let mut rhs = |t: f64, x: &[C64], y: &mut [C64]| -> Result<()> {
                    h.coefficients(t, &mut cs)?;
                    y.fill(C64::new(0.0, 0.0));
                    h.apply_add(C64::new(0.0, -1.0), &cs, x, y);
                    Ok(())
                };
                integrate(
                    pair,
                    &mut rhs,
                    psi0,
                    tlist,
                    rk_settings(options),
                    control,
                    &mut out,
                )
            }
        }
    };
    col.finish(outcome)
}

pub(crate) fn rk_settings(options: &SolverOptions) -> RkSettings {
    RkSettings {
        atol: options.atol,
        rtol: options.rtol,
        nsteps: options.nsteps,
        max_step: options.max_step,
        first_step: 0.0,
    }
}

/// Exact diagonalisation: `ψ(t) = U exp(−iΛ(t − t₀)) U† ψ₀`.
fn diag(
    h: &Operator,
    psi0: &[C64],
    tlist: &[f64],
    control: &Control<'_>,
    out: &mut dyn FnMut(usize, &[C64]) -> Result<()>,
) -> Result<Stats> {
    let n = h.dim();
    let a = h.dense_entries()?;
    let (w, u) = super::linalg::eigh(n, &a)?;
    let mut c = vec![C64::new(0.0, 0.0); n];
    for (k, ck) in c.iter_mut().enumerate() {
        *ck = (0..n).map(|i| u[i * n + k].conj() * psi0[i]).sum();
    }
    let mut psi = vec![C64::new(0.0, 0.0); n];
    let mut phased = vec![C64::new(0.0, 0.0); n];
    for (k, &t) in tlist.iter().enumerate() {
        if control.should_stop() {
            return Err(QuantumError::Interrupted { solver: "diag" }.into());
        }
        let dt = t - tlist[0];
        for j in 0..n {
            phased[j] = c[j] * C64::from_polar(1.0, -w[j] * dt);
        }
        for (i, p) in psi.iter_mut().enumerate() {
            *p = u[i * n..(i + 1) * n]
                .iter()
                .zip(&phased)
                .map(|(a, b)| a * b)
                .sum();
        }
        out(k, &psi)?;
        control.item_done(tlist.len() as u64);
    }
    Ok(Stats {
        matvecs: 0,
        steps: 1,
        rejected: 0,
    })
}
