//! `mesolve`: the Lindblad master equation
//! `dρ/dt = −i[H, ρ] + Σ_k (c_k ρ c_k† − ½{c_k† c_k, ρ})` in matrix form — never the n²×n²
//! superoperator. With `X = −iHρ` the commutator is `X + X†` (ρ is Hermitian), one product
//! with H per evaluation. Jump operators are sorted once:
//! - diagonal ones (σz, number operators, any diagonal matrix) and the `c†c` of Pauli strings
//!   (`|a|²·I`) fold into one elementwise mask `M`, so `ρ_ij ← M_ij ρ_ij` covers them all
//!   (dephasing of N qubits costs one multiply per entry, not N);
//! - Pauli strings that flip bits (σx, σy, products) are signed permutations of ρ's entries;
//! - any other operator takes two sparse products, `c ρ c† = (c (c ρ)†)†`, plus `c†c ρ`.

use super::hamiltonian::{check_dm, check_ket, check_tlist};
use super::krylov::{KrylovSettings, propagate_general};
use super::options::{Method, SolverOptions};
use super::rk::{Pair, integrate};
use super::sesolve::{Collector, SolveResult, check_e_ops, rk_settings, store_states};
use super::{C64, Hamiltonian, Operator, par};
use crate::Result;
use crate::control::Control;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// The dissipative part, prepared once.
struct Dissipator {
    /// `M_ij`: the diagonal jumps' `d_i conj(d_j)` summed, minus `½(k_i + k_j)` with `k` the
    /// diagonal of every diagonal `c†c`.
    mask: Option<Vec<C64>>,
    /// Bit-flipping Pauli jumps: (|a|², x, z).
    flips: Vec<(f64, u64, u64)>,
    /// Other jumps: (c, c†c).
    general: Vec<(Operator, Operator)>,
}

impl Dissipator {
    fn new(dim: usize, c_ops: &[Operator]) -> Result<Self> {
        let mut mask: Option<Vec<C64>> = None;
        let mut kdiag = vec![0.0f64; dim];
        let mut flips = Vec::new();
        let mut general = Vec::new();
        let zero = C64::new(0.0, 0.0);
        for c in c_ops {
            check::len("c_ops", dim, c.dim())?;
            if let Some((a, x, z)) = c.single_pauli() {
                flips.push((a.norm_sqr(), x, z));
                kdiag.iter_mut().for_each(|k| *k += a.norm_sqr());
            } else if c.is_diagonal() {
                let d = c.diagonal();
                let m = match &mut mask {
                    Some(m) => m,
                    None => mask.insert(crate::alloc::filled("dissipator mask", zero, dim * dim)?),
                };
                for i in 0..dim {
                    for j in 0..dim {
                        m[i * dim + j] += d[i] * d[j].conj();
                    }
                }
                for (k, di) in kdiag.iter_mut().zip(&d) {
                    *k += di.norm_sqr();
                }
            } else {
                let cdc = c.adjoint()?.matmul(c)?;
                general.push((c.clone(), cdc));
            }
        }
        if kdiag.iter().any(|&k| k != 0.0) {
            let m = match &mut mask {
                Some(m) => m,
                None => mask.insert(crate::alloc::filled("dissipator mask", zero, dim * dim)?),
            };
            for i in 0..dim {
                for j in 0..dim {
                    m[i * dim + j] -= C64::new(0.5 * (kdiag[i] + kdiag[j]), 0.0);
                }
            }
        }
        Ok(Dissipator { mask, flips, general })
    }
}

/// Evolves `rho0` (a `dim × dim` row-major density matrix, or a ket, turned into `|ψ⟩⟨ψ|`)
/// under `h` with jump operators `c_ops` (rates inside, as in QuTiP: `c = √γ·L`), reporting
/// `Tr(e ρ)` for each of `e_ops` at every time of `tlist`. With no `c_ops` and a ket it runs
/// [`sesolve`](super::sesolve) (as QuTiP does). States are density matrices, row-major.
pub fn mesolve(
    h: &Hamiltonian,
    rho0: &[C64],
    tlist: &[f64],
    c_ops: &[Operator],
    e_ops: &[Operator],
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<SolveResult> {
    options.validate()?;
    let n = h.dim();
    if rho0.len() == n && c_ops.is_empty() {
        return super::sesolve(h, rho0, tlist, e_ops, options, control);
    }
    let rho = if rho0.len() == n {
        check_ket("rho0", rho0, n)?;
        super::state::ket2dm(rho0)
    } else {
        check::at_most("dim", n as u64, super::operator::MAX_DENSE_DIM as u64)?;
        check_dm("rho0", rho0, n)?;
        rho0.to_vec()
    };
    check_tlist(tlist)?;
    check_e_ops(e_ops, n)?;
    let method = match options.method {
        Method::Auto if h.is_time_dependent() => Method::Dop853,
        Method::Auto => Method::Krylov,
        Method::Diag => {
            return Err(invalid(
                "method",
                "\"diag\" is for sesolve; mesolve uses \"krylov\", \"dop853\" or \"tsit5\"".into(),
            ));
        }
        Method::Krylov if h.is_time_dependent() => {
            return Err(invalid(
                "method",
                "\"krylov\" needs a time-independent Hamiltonian; use \"dop853\" or \"tsit5\"".into(),
            ));
        }
        m => m,
    };
    let diss = Dissipator::new(n, c_ops)?;
    control.install(|| {
        let mut col = Collector::new(e_ops, tlist, store_states(options, e_ops), method);
        let mut cs = Vec::with_capacity(h.terms.len());
        let mut work = vec![C64::new(0.0, 0.0); n * n];
        let mut work2 = vec![C64::new(0.0, 0.0); n * n];
        let outcome = {
            let mut out = |k: usize, s: &[C64]| col.record(k, s);
            match method {
                Method::Krylov => {
                    let work = std::sync::Mutex::new((work, work2));
                    let apply = |x: &[C64], y: &mut [C64]| {
                        let mut w = work.lock().unwrap_or_else(|e| e.into_inner());
                        let (a, b) = &mut *w;
                        lindblad(h, &[], &diss, n, x, y, a, b);
                    };
                    let settings = KrylovSettings {
                        dim: options.krylov_dim,
                        tol: options.atol,
                    };
                    propagate_general(&apply, &rho, tlist, settings, control, &mut out)
                }
                _ => {
                    let pair = if method == Method::Tsit5 {
                        Pair::Tsit5
                    } else {
                        Pair::Dop853
                    };
                    let mut rhs = |t: f64, x: &[C64], y: &mut [C64]| -> Result<()> {
                        h.coefficients(t, &mut cs)?;
                        lindblad(h, &cs, &diss, n, x, y, &mut work, &mut work2);
                        Ok(())
                    };
                    integrate(
                        pair,
                        &mut rhs,
                        &rho,
                        tlist,
                        rk_settings(options),
                        control,
                        &mut out,
                    )
                }
            }
        };
        col.finish(outcome)
    })?
}

/// `y = L(t) x` in matrix form (`x`, `y` row-major `n × n`).
#[allow(clippy::too_many_arguments)]
fn lindblad(
    h: &Hamiltonian,
    cs: &[C64],
    d: &Dissipator,
    n: usize,
    x: &[C64],
    y: &mut [C64],
    w: &mut [C64],
    w2: &mut [C64],
) {
    let zero = C64::new(0.0, 0.0);
    // w = −i H x (+ −½ c†c x for general jumps)
    w.fill(zero);
    h.apply_rows_add(C64::new(0.0, -1.0), cs, x, w);
    for (_, cdc) in &d.general {
        cdc.apply_rows_add(C64::new(-0.5, 0.0), x, w);
    }
    // y = w + w† + M∘x, in blocks of TILE rows, w† read tile by tile (TILE rows of w at a
    // time) instead of one column per row.
    const TILE: usize = 32;
    let rows_per = TILE.min(n.max(1));
    let w_ro: &[C64] = w;
    par::for_each_row(y, rows_per * n, |b, block| {
        let i0 = b * rows_per;
        let rows = block.len() / n;
        for j0 in (0..n).step_by(TILE) {
            let j1 = (j0 + TILE).min(n);
            for (di, row) in block.chunks_mut(n).enumerate() {
                let i = i0 + di;
                for (j, o) in row[j0..j1].iter_mut().enumerate() {
                    let j = j0 + j;
                    *o = w_ro[i * n + j] + w_ro[j * n + i].conj();
                }
            }
        }
        for (di, row) in block.chunks_mut(n).enumerate().take(rows) {
            let i = i0 + di;
            if let Some(m) = &d.mask {
                let (mr, xr) = (&m[i * n..(i + 1) * n], &x[i * n..(i + 1) * n]);
                for ((o, &mv), &xv) in row.iter_mut().zip(mr).zip(xr) {
                    *o += mv * xv;
                }
            }
            for &(g, fx, fz) in &d.flips {
                let si = i as u64 ^ fx;
                let sign_i = if (si & fz).count_ones() & 1 == 1 { -g } else { g };
                let src = &x[si as usize * n..(si as usize + 1) * n];
                for (j, o) in row.iter_mut().enumerate() {
                    let sj = j as u64 ^ fx;
                    let v = src[sj as usize];
                    *o += if (sj & fz).count_ones() & 1 == 1 {
                        -sign_i * v
                    } else {
                        sign_i * v
                    };
                }
            }
        }
    });
    // General jumps: c x c† = (c (c x)†)†
    for (c, _) in &d.general {
        w.fill(zero);
        c.apply_rows_add(C64::new(1.0, 0.0), x, w);
        adjoint_in_place(w, w2, n);
        w.fill(zero);
        c.apply_rows_add(C64::new(1.0, 0.0), w2, w);
        for i in 0..n {
            for j in 0..n {
                y[i * n + j] += w[j * n + i].conj();
            }
        }
    }
}

fn adjoint_in_place(src: &[C64], dst: &mut [C64], n: usize) {
    for i in 0..n {
        for j in 0..n {
            dst[j * n + i] = src[i * n + j].conj();
        }
    }
}
