//! Krylov propagation `v(t) = exp(t·A) v` over a list of output times, with the step size chosen
//! from an a-posteriori error estimate (Saad 1992; Sidje's Expokit, ACM TOMS 1998). Each Krylov
//! basis serves every output time inside its step, so 101 outputs cost the handful of bases the
//! accuracy needs, not 101 of them.
//!
//! - Hermitian generators `A = −iH` use Lanczos: the projected matrix is a real symmetric
//!   tridiagonal `T`, diagonalised once per basis, so the error estimate
//!   `β₀ β_m |e_mᵀ exp(−iτT) e₁|` is evaluated for any step `τ` in O(m) and the largest step
//!   within tolerance is found by bisection.
//! - General generators (Liouvillians) use Arnoldi with modified Gram-Schmidt; the small
//!   exponential `exp(τH)e₁` is a scaled Taylor series on the vector and the step follows
//!   Expokit's rule
//!   `τ ← 0.9 τ (tol/err)^(1/m)`.

use super::linalg::eigh_tridiagonal;
use super::{C64, QuantumError, par};
use crate::Result;
use crate::control::Control;

/// Krylov propagation settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KrylovSettings {
    /// Basis size m.
    pub dim: usize,
    /// Largest error (2-norm of the state) allowed per step.
    pub tol: f64,
}

/// Work done by a propagation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Applications of the generator (matrix-vector products, or right-hand sides for the ODE
    /// methods).
    pub matvecs: u64,
    /// Krylov bases built, or ODE steps accepted.
    pub steps: u64,
    /// ODE steps rejected by the error control.
    pub rejected: u64,
}

const NAME: &str = "krylov";

/// Propagates `v0` by `exp(−i (t − t₀) H)` to each `tlist[k]` (non-decreasing; `t₀ = tlist[0]`),
/// calling `out(k, v)`. `apply_h(x, y)` sets `y = H x` for a Hermitian `H`.
pub(crate) fn propagate_hermitian(
    apply_h: &(dyn Fn(&[C64], &mut [C64]) + Sync),
    v0: &[C64],
    tlist: &[f64],
    settings: KrylovSettings,
    control: &Control<'_>,
    out: &mut dyn FnMut(usize, &[C64]) -> Result<()>,
) -> Result<Stats> {
    let n = v0.len();
    let m = settings.dim.clamp(1, n.max(1));
    let mut basis = crate::alloc::filled("krylov basis", C64::new(0.0, 0.0), (m + 1) * n)?;
    let mut v = v0.to_vec();
    let mut stats = Stats::default();
    let mut t = tlist[0];
    let mut next = 0;
    while next < tlist.len() && tlist[next] <= t {
        out(next, &v)?;
        next += 1;
    }
    let mut alpha: Vec<f64> = Vec::with_capacity(m);
    let mut beta: Vec<f64> = Vec::with_capacity(m);
    while next < tlist.len() {
        if control.should_stop() {
            return Err(stopped(next));
        }
        let beta0 = par::norm(&v);
        if beta0 == 0.0 {
            while next < tlist.len() {
                out(next, &v)?;
                next += 1;
            }
            break;
        }
        // Lanczos: basis[j] are the orthonormal vectors, alpha the diagonal, beta the off-diagonal.
        alpha.clear();
        beta.clear();
        basis[..n].iter_mut().zip(&v).for_each(|(b, x)| *b = x / beta0);
        let mut breakdown = false;
        let mut last_beta = 0.0;
        for j in 0..m {
            let (head, tail) = basis.split_at_mut((j + 1) * n);
            let vj = &head[j * n..];
            let w = &mut tail[..n];
            apply_h(vj, w);
            stats.matvecs += 1;
            let a = par::dot(vj, w).re;
            let b = if j > 0 {
                par::lanczos_update(w, a, vj, beta[j - 1], Some(&head[(j - 1) * n..j * n]))
            } else {
                par::lanczos_update(w, a, vj, 0.0, None)
            };
            alpha.push(a);
            if b <= 1e-13 * a.abs().max(1.0) || j + 1 == m {
                last_beta = b;
                breakdown = b <= 1e-13 * a.abs().max(1.0);
                if !breakdown {
                    par::scale(C64::new(1.0 / b, 0.0), w);
                }
                break;
            }
            par::scale(C64::new(1.0 / b, 0.0), w);
            beta.push(b);
            if control.should_stop() {
                return Err(stopped(next));
            }
        }
        let k = alpha.len();
        let (lam, q) = eigh_tridiagonal(&alpha, &beta)?;
        // y(τ) = Q exp(−iτΛ) Qᵀ e₁ ; the estimate needs its last component.
        let q0: Vec<f64> = (0..k).map(|c| q[c]).collect();
        let coef = |tau: f64, row: usize| -> C64 {
            (0..k)
                .map(|c| C64::from_polar(q[row * k + c] * q0[c], -tau * lam[c]))
                .sum()
        };
        let est = |tau: f64| beta0 * last_beta * coef(tau, k - 1).norm();
        let remaining = tlist[tlist.len() - 1] - t;
        let tau = if breakdown || est(remaining) <= settings.tol {
            remaining
        } else {
            let (mut lo, mut hi) = (0.0f64, remaining);
            let mut probe = remaining;
            while est(probe) > settings.tol && probe > 1e-300 {
                hi = probe;
                probe *= 0.5;
            }
            lo = lo.max(probe);
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                if est(mid) <= settings.tol {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            lo
        };
        if tau <= 0.0 || !tau.is_finite() {
            return Err(QuantumError::StepTooSmall {
                solver: NAME,
                step: tau,
                time: t,
            }
            .into());
        }
        let t_end = t + tau;
        let combine = |tau: f64, v: &mut [C64]| {
            let y: Vec<C64> = (0..k).map(|r| coef(tau, r) * beta0).collect();
            combine_basis(&basis, n, &y, v);
        };
        let mut w = vec![C64::new(0.0, 0.0); n];
        while next < tlist.len() && tlist[next] <= t_end * (1.0 + 4.0 * f64::EPSILON) {
            combine(tlist[next] - t, &mut w);
            out(next, &w)?;
            control.item_done(tlist.len() as u64);
            next += 1;
        }
        if next < tlist.len() {
            combine(tau, &mut v);
            t = t_end;
        }
        stats.steps += 1;
    }
    Ok(stats)
}

/// Propagates `v0` by `exp((t − t₀) A)` for a general `A` (`apply_a(x, y)` sets `y = A x`),
/// calling `out(k, v)` at each `tlist[k]`.
pub(crate) fn propagate_general(
    apply_a: &(dyn Fn(&[C64], &mut [C64]) + Sync),
    v0: &[C64],
    tlist: &[f64],
    settings: KrylovSettings,
    control: &Control<'_>,
    out: &mut dyn FnMut(usize, &[C64]) -> Result<()>,
) -> Result<Stats> {
    let n = v0.len();
    let m = settings.dim.clamp(1, n.max(1));
    let mut basis = crate::alloc::filled("krylov basis", C64::new(0.0, 0.0), (m + 1) * n)?;
    let mut v = v0.to_vec();
    let mut stats = Stats::default();
    let mut t = tlist[0];
    let mut next = 0;
    while next < tlist.len() && tlist[next] <= t {
        out(next, &v)?;
        next += 1;
    }
    let mut tau_guess = f64::INFINITY;
    let mut hess = vec![C64::new(0.0, 0.0); (m + 1) * m];
    while next < tlist.len() {
        if control.should_stop() {
            return Err(stopped(next));
        }
        let beta0 = par::norm(&v);
        if beta0 == 0.0 {
            while next < tlist.len() {
                out(next, &v)?;
                next += 1;
            }
            break;
        }
        hess.iter_mut().for_each(|h| *h = C64::new(0.0, 0.0));
        basis[..n].iter_mut().zip(&v).for_each(|(b, x)| *b = x / beta0);
        let mut k = m;
        let mut breakdown = false;
        let mut h_last = 0.0;
        for j in 0..m {
            let (head, tail) = basis.split_at_mut((j + 1) * n);
            let w = &mut tail[..n];
            apply_a(&head[j * n..], w);
            stats.matvecs += 1;
            // Modified Gram-Schmidt, each subtraction fused with the next inner product (or,
            // after the last, the norm): one pass over w per basis vector.
            let mut h = par::dot(&head[..n], w);
            let mut b = 0.0;
            for i in 0..=j {
                hess[i * m + j] = h;
                let vi = &head[i * n..(i + 1) * n];
                if i < j {
                    h = par::axpy_dot(-h, vi, w, Some(&head[(i + 1) * n..(i + 2) * n]));
                } else {
                    b = par::axpy_dot(-h, vi, w, None).re.sqrt();
                }
            }
            let scale = (0..=j)
                .map(|i| hess[i * m + j].norm())
                .fold(0.0, f64::max)
                .max(1.0);
            if b <= 1e-13 * scale {
                k = j + 1;
                breakdown = true;
                break;
            }
            par::scale(C64::new(1.0 / b, 0.0), w);
            if j + 1 < m {
                hess[(j + 1) * m + j] = C64::new(b, 0.0);
            }
            h_last = b;
            if control.should_stop() {
                return Err(stopped(next));
            }
        }
        // exp(τH)e₁·β₀ by a scaled Taylor series on the vector (O(k²) per term, never k³):
        // τ split into substeps of 1-norm ≤ 2, terms until they drop below 1e-17 of the sum.
        let hnorm = (0..k)
            .map(|j| (0..k).map(|i| hess[i * m + j].norm()).sum::<f64>())
            .fold(0.0, f64::max);
        // y ← exp(τH) y in place.
        let advance = |y: &mut [C64], tau: f64| {
            let substeps = ((tau.abs() * hnorm / 2.0).ceil() as usize).max(1);
            let h = tau / substeps as f64;
            let mut term = vec![C64::new(0.0, 0.0); k];
            let mut next = vec![C64::new(0.0, 0.0); k];
            for _ in 0..substeps {
                term.copy_from_slice(y);
                for p in 1..60 {
                    let scale = h / p as f64;
                    for (i, nx) in next.iter_mut().enumerate() {
                        let row = &hess[i * m..i * m + k];
                        // Upper Hessenberg: row i starts at column i − 1.
                        let start = i.saturating_sub(1);
                        let acc: C64 = row[start..].iter().zip(&term[start..]).map(|(a, b)| a * b).sum();
                        *nx = acc * scale;
                    }
                    std::mem::swap(&mut term, &mut next);
                    let tn: f64 = term.iter().map(|v| v.norm_sqr()).sum();
                    for (yi, ti) in y.iter_mut().zip(&term) {
                        *yi += ti;
                    }
                    let yn: f64 = y.iter().map(|v| v.norm_sqr()).sum();
                    if tn <= 1e-34 * yn {
                        break;
                    }
                }
            }
        };
        let small = |tau: f64| -> Vec<C64> {
            let mut y = vec![C64::new(0.0, 0.0); k];
            y[0] = C64::new(beta0, 0.0);
            advance(&mut y, tau);
            y
        };
        let remaining = tlist[tlist.len() - 1] - t;
        let mut tau = remaining.min(tau_guess);
        let mut y = small(tau);
        if !breakdown {
            for _ in 0..60 {
                let err = h_last * y[k - 1].norm();
                if err <= settings.tol {
                    let grow = if err > 0.0 {
                        0.9 * (settings.tol / err).powf(1.0 / k as f64)
                    } else {
                        5.0
                    };
                    tau_guess = tau * grow.min(5.0);
                    break;
                }
                tau *= (0.9 * (settings.tol / err).powf(1.0 / k as f64)).clamp(0.1, 0.9);
                y = small(tau);
            }
        }
        if tau <= 0.0 || !tau.is_finite() || (!breakdown && h_last * y[k - 1].norm() > settings.tol) {
            return Err(QuantumError::StepTooSmall {
                solver: NAME,
                step: tau,
                time: t,
            }
            .into());
        }
        let t_end = t + tau;
        let combine = |y: &[C64], v: &mut [C64]| combine_basis(&basis, n, y, v);
        let mut w = vec![C64::new(0.0, 0.0); n];
        // Output times inside the step: march the small vector from one to the next, so each
        // costs the exponential of the gap between outputs, not of the time from the step start.
        let mut yk = vec![C64::new(0.0, 0.0); k];
        yk[0] = C64::new(beta0, 0.0);
        let mut tau_k = 0.0;
        while next < tlist.len() && tlist[next] <= t_end * (1.0 + 4.0 * f64::EPSILON) {
            let target = tlist[next] - t;
            advance(&mut yk, target - tau_k);
            tau_k = target;
            combine(&yk, &mut w);
            out(next, &w)?;
            control.item_done(tlist.len() as u64);
            next += 1;
        }
        if next < tlist.len() {
            combine(&y, &mut v);
            t = t_end;
        }
        stats.steps += 1;
    }
    Ok(stats)
}

/// `v = Σ_j y_j · basis_j` (`basis` holds vectors of length `n` back to back). Blocks of `v`
/// small enough to stay in L1 take one contiguous axpy per basis vector, instead of reading the
/// `k` vectors with a stride of `n` for every entry; each entry still sums `y_0 b_0 + y_1 b_1 +
/// …` in this order.
fn combine_basis(basis: &[C64], n: usize, y: &[C64], v: &mut [C64]) {
    const BLOCK: usize = 256;
    par::for_each_chunk(v, |s, chunk| {
        for (b, block) in chunk.chunks_mut(BLOCK).enumerate() {
            let start = s + b * BLOCK;
            let len = block.len();
            block.fill(C64::new(0.0, 0.0));
            for (j, &yj) in y.iter().enumerate() {
                let src = &basis[j * n + start..j * n + start + len];
                for (o, &x) in block.iter_mut().zip(src) {
                    *o += yj * x;
                }
            }
        }
    });
}

fn stopped(next: usize) -> crate::Error {
    let _ = next;
    QuantumError::Interrupted { solver: NAME }.into()
}
