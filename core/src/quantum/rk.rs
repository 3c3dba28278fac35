//! Adaptive explicit Runge-Kutta integration of `y' = f(t, y)` on complex vectors: DOP853
//! (Hairer's 8th-order pair with the 5th/3rd-order error estimate, as scipy's `DOP853`) and Tsit5
//! (Tsitouras' 5(4) pair). DOP853 steps over output times and fills them from its 7th-order
//! dense output (scipy's `Dop853DenseOutput`, three extra stages per step that holds an output),
//! landing on an output only when it lies alone in the last quarter of the step; Tsit5 steps are
//! clamped to land on every output time. The error norm and step-size rule are scipy's (RMS of `err / (atol + rtol·max(|y|, |y_new|))`, safety 0.9, factor
//! in [0.2, 10]). All stage buffers are allocated once.

use super::rk_tables::*;
use super::{C64, QuantumError};
use crate::Result;
use crate::control::Control;
use crate::quantum::krylov::Stats;

/// The explicit Runge-Kutta pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pair {
    Dop853,
    Tsit5,
}

/// Step control settings (QuTiP's option names).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RkSettings {
    pub atol: f64,
    pub rtol: f64,
    /// Largest number of steps between two output times.
    pub nsteps: usize,
    /// Largest step (0: unlimited).
    pub max_step: f64,
    /// First step (0: chosen automatically).
    pub first_step: f64,
}

/// `f(t, y, dy)` sets `dy = f(t, y)`.
pub(crate) type Rhs<'a> = dyn FnMut(f64, &[C64], &mut [C64]) -> Result<()> + 'a;

/// Integrates from `tlist[0]` with `y0`, calling `out(k, y)` at every `tlist[k]`.
pub(crate) fn integrate(
    pair: Pair,
    rhs: &mut Rhs<'_>,
    y0: &[C64],
    tlist: &[f64],
    s: RkSettings,
    control: &Control<'_>,
    out: &mut dyn FnMut(usize, &[C64]) -> Result<()>,
) -> Result<Stats> {
    let name = match pair {
        Pair::Dop853 => "dop853",
        Pair::Tsit5 => "tsit5",
    };
    let n = y0.len();
    let stages = match pair {
        Pair::Dop853 => 13,
        Pair::Tsit5 => 7,
    };
    let (order_exp, _) = match pair {
        Pair::Dop853 => (1.0 / 8.0, 0),
        Pair::Tsit5 => (1.0 / 5.0, 0),
    };
    let zero = C64::new(0.0, 0.0);
    // DOP853 keeps its dense output's three extra stages after the 13 of a step, so one
    // combination reads all 16.
    let dense = pair == Pair::Dop853;
    let rows = if dense { stages + 3 } else { stages };
    let mut k = crate::alloc::filled("runge-kutta stages", zero, rows * n)?;
    let mut y = y0.to_vec();
    let mut y_new = vec![zero; n];
    let mut tmp = vec![zero; n];
    let mut err5 = if dense { Vec::new() } else { vec![zero; n] };
    let mut stats = Stats::default();
    let mut t = tlist[0];
    let mut next = 0;
    while next < tlist.len() && tlist[next] <= t {
        out(next, &y)?;
        control.item_done(tlist.len() as u64);
        next += 1;
    }
    if next == tlist.len() {
        return Ok(stats);
    }
    rhs(t, &y, &mut k[..n])?;
    stats.matvecs += 1;
    let max_step = if s.max_step > 0.0 {
        s.max_step
    } else {
        f64::INFINITY
    };
    let mut h = if s.first_step > 0.0 {
        s.first_step
    } else {
        initial_step(
            rhs,
            t,
            &y,
            &k[..n],
            order_exp,
            s,
            &mut y_new,
            &mut tmp,
            &mut stats,
        )?
    }
    .min(max_step);
    let mut steps_since_output = 0usize;
    while next < tlist.len() {
        if control.should_stop() {
            return Err(QuantumError::Interrupted { solver: name }.into());
        }
        let mut step = h.min(max_step);
        // DOP853 runs to the last output time unless the step would hold exactly one output
        // in its last quarter: landing on it then wastes less than the three extra stages.
        let one_late = tlist[next] <= t + step
            && tlist[next] - t > 0.75 * step
            && tlist.get(next + 1).is_none_or(|&u| u > t + step);
        let target = if dense && !one_late {
            tlist[tlist.len() - 1]
        } else {
            tlist[next]
        };
        let mut hits = false;
        if t + step >= target * (1.0 - 4.0 * f64::EPSILON) - 4.0 * f64::EPSILON {
            step = target - t;
            hits = true;
        }
        if step < 1e-14 * t.abs().max(1.0) && !hits {
            return Err(QuantumError::StepTooSmall {
                solver: name,
                step,
                time: t,
            }
            .into());
        }
        // Stages 1.. (stage 0 is f(t, y), kept from the previous step).
        let (a, c): (&[&[f64]], &[f64]) = match pair {
            Pair::Dop853 => (&DOP853_ROWS, &DOP853_C),
            Pair::Tsit5 => (&TSIT5_ROWS, &TSIT5_C),
        };
        let computed = a.len();
        for st in 1..computed {
            // tmp = y + step Σ_j a_sj k_j, zero coefficients skipped.
            lincomb(&mut tmp, &y, &k, &a[st][..st], step);
            let (_, rest) = k.split_at_mut(st * n);
            rhs(t + c[st] * step, &tmp, &mut rest[..n])?;
            stats.matvecs += 1;
        }
        let b: &[f64] = match pair {
            Pair::Dop853 => &DOP853_B,
            Pair::Tsit5 => &TSIT5_B,
        };
        lincomb(&mut y_new, &y, &k, b, step);
        // The last stage: f at the new point (first-same-as-last).
        let t_new = if hits { target } else { t + step };
        {
            let (_, rest) = k.split_at_mut((stages - 1) * n);
            rhs(t_new, &y_new, &mut rest[..n])?;
            stats.matvecs += 1;
        }
        let err = match pair {
            Pair::Dop853 => {
                let (e5, e3) = dop853_error(&k[..stages * n], &y, &y_new, s.atol, s.rtol);
                if e5 == 0.0 && e3 == 0.0 {
                    0.0
                } else {
                    step.abs() * e5 / (((e5 + 0.01 * e3) * n as f64).sqrt())
                }
            }
            Pair::Tsit5 => {
                let mut e = 0.0;
                err5.fill(zero);
                for j in 0..stages {
                    let w = TSIT5_E[j];
                    err5.iter_mut()
                        .zip(&k[j * n..(j + 1) * n])
                        .for_each(|(o, &kv)| *o += kv * w);
                }
                for i in 0..n {
                    let sc = s.atol + s.rtol * y[i].norm_sqr().max(y_new[i].norm_sqr()).sqrt();
                    e += (err5[i] * step / sc).norm_sqr();
                }
                (e / n as f64).sqrt()
            }
        };
        if !err.is_finite() {
            return Err(QuantumError::StepTooSmall {
                solver: name,
                step,
                time: t,
            }
            .into());
        }
        steps_since_output += 1;
        if steps_since_output > s.nsteps {
            return Err(QuantumError::TooManySteps {
                solver: name,
                nsteps: s.nsteps,
                time: target,
            }
            .into());
        }
        if err <= 1.0 {
            stats.steps += 1;
            if dense && next < tlist.len() && tlist[next] < t_new {
                extra_stages(rhs, t, step, &y, &mut k, &mut tmp, &mut stats)?;
                while next < tlist.len() && tlist[next] < t_new {
                    interpolate(&k, &y, &y_new, step, (tlist[next] - t) / step, &mut tmp);
                    out(next, &tmp)?;
                    control.item_done(tlist.len() as u64);
                    next += 1;
                    steps_since_output = 0;
                }
            }
            t = t_new;
            std::mem::swap(&mut y, &mut y_new);
            // FSAL: the last stage is the first of the next step.
            let (first, rest) = k.split_at_mut((stages - 1) * n);
            first[..n].copy_from_slice(&rest[..n]);
            let factor = if err == 0.0 {
                10.0
            } else {
                (0.9 * err.powf(-order_exp)).min(10.0)
            };
            // A step shortened to hit an output time does not shrink the next one.
            h = if hits { h.max(step * factor) } else { step * factor };
            if next < tlist.len() && tlist[next] <= t {
                while next < tlist.len() && tlist[next] <= t {
                    out(next, &y)?;
                    control.item_done(tlist.len() as u64);
                    next += 1;
                }
                steps_since_output = 0;
            }
        } else {
            stats.rejected += 1;
            h = step * (0.9 * err.powf(-order_exp)).max(0.2);
        }
    }
    Ok(stats)
}

/// `dst = base + Σ_j (coef_j·step) k_j` over the rows `k_j` (length `dst.len()`) of `k`, zero
/// coefficients skipped. Blocks of `dst` small enough to stay in L1 take every row in turn, so
/// `dst` is written once instead of once per row; each entry still adds the rows in order.
fn lincomb(dst: &mut [C64], base: &[C64], k: &[C64], coef: &[f64], step: f64) {
    combine(dst, base, None, k, coef, step)
}

/// `dst = base (+ a·(base2 − base)) + Σ_j (coef_j·step) k_j`, blocked as [`lincomb`] describes;
/// the AVX2 build when the CPU has it (the same operations in the same order).
fn combine(dst: &mut [C64], base: &[C64], base2: Option<(&[C64], f64)>, k: &[C64], coef: &[f64], step: f64) {
    if crate::cpu::avx2() {
        // SAFETY: the CPU supports AVX2 (checked at run time).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            return combine_avx2(dst, base, base2, k, coef, step);
        }
    }
    combine_plain(dst, base, base2, k, coef, step)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn combine_avx2(
    dst: &mut [C64],
    base: &[C64],
    base2: Option<(&[C64], f64)>,
    k: &[C64],
    coef: &[f64],
    step: f64,
) {
    combine_plain(dst, base, base2, k, coef, step)
}

/// Entries per block of the blocked vector passes.
const BLOCK: usize = 512;

#[inline(always)]
fn combine_plain(
    dst: &mut [C64],
    base: &[C64],
    base2: Option<(&[C64], f64)>,
    k: &[C64],
    coef: &[f64],
    step: f64,
) {
    let n = dst.len();
    for (b, block) in dst.chunks_mut(BLOCK).enumerate() {
        let (s, len) = (b * BLOCK, block.len());
        match base2 {
            None => block.copy_from_slice(&base[s..s + len]),
            Some((b2, a)) => {
                for ((o, &u), &v) in block.iter_mut().zip(&base[s..s + len]).zip(&b2[s..s + len]) {
                    *o = u + (v - u) * a;
                }
            }
        }
        for (j, &cj) in coef.iter().enumerate() {
            if cj != 0.0 {
                let c = cj * step;
                for (o, &kv) in block.iter_mut().zip(&k[j * n + s..j * n + s + len]) {
                    *o += kv * c;
                }
            }
        }
    }
}

/// DOP853's two error sums `Σ |err5_i / sc_i|²`, `Σ |err3_i / sc_i|²` with
/// `sc_i = atol + rtol·max(|y_i|, |y_new_i|)`, block by block (no error vectors; the same
/// operations in the same order as forming them whole).
fn dop853_error(k: &[C64], y: &[C64], y_new: &[C64], atol: f64, rtol: f64) -> (f64, f64) {
    if crate::cpu::avx2() {
        // SAFETY: the CPU supports AVX2 (checked at run time).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            return dop853_error_avx2(k, y, y_new, atol, rtol);
        }
    }
    dop853_error_plain(k, y, y_new, atol, rtol)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dop853_error_avx2(k: &[C64], y: &[C64], y_new: &[C64], atol: f64, rtol: f64) -> (f64, f64) {
    dop853_error_plain(k, y, y_new, atol, rtol)
}

#[inline(always)]
fn dop853_error_plain(k: &[C64], y: &[C64], y_new: &[C64], atol: f64, rtol: f64) -> (f64, f64) {
    let n = y.len();
    let zero = C64::new(0.0, 0.0);
    let (mut e5, mut e3) = (0.0, 0.0);
    let mut b5 = [zero; BLOCK];
    let mut b3 = [zero; BLOCK];
    for s in (0..n).step_by(BLOCK) {
        let len = BLOCK.min(n - s);
        let (b5, b3) = (&mut b5[..len], &mut b3[..len]);
        b5.fill(zero);
        b3.fill(zero);
        for j in 0..13 {
            let kj = &k[j * n + s..j * n + s + len];
            let (w5, w3) = (DOP853_E5[j], DOP853_E3[j]);
            if w5 != 0.0 {
                b5.iter_mut().zip(kj).for_each(|(o, &kv)| *o += kv * w5);
            }
            if w3 != 0.0 {
                b3.iter_mut().zip(kj).for_each(|(o, &kv)| *o += kv * w3);
            }
        }
        for i in 0..len {
            let sc = atol + rtol * y[s + i].norm_sqr().max(y_new[s + i].norm_sqr()).sqrt();
            e5 += b5[i].norm_sqr() / (sc * sc);
            e3 += b3[i].norm_sqr() / (sc * sc);
        }
    }
    (e5, e3)
}

/// DOP853's three extra stages over the step `[t, t + step]` (rows 13..16 of `k`, after the 13
/// of the step, the 13th being f at the new point), as scipy's `DOP853._dense_output_impl`.
fn extra_stages(
    rhs: &mut Rhs<'_>,
    t: f64,
    step: f64,
    y: &[C64],
    k: &mut [C64],
    tmp: &mut [C64],
    stats: &mut Stats,
) -> Result<()> {
    let n = y.len();
    for s in 0..3 {
        let (done, rest) = k.split_at_mut((13 + s) * n);
        lincomb(tmp, y, done, &DOP853_A_EXTRA[s][..13 + s], step);
        rhs(t + DOP853_C_EXTRA[s] * step, tmp, &mut rest[..n])?;
        stats.matvecs += 1;
    }
    Ok(())
}

/// DOP853's dense output at `x = (τ − t)/step ∈ [0, 1]`. scipy's `Dop853DenseOutput` evaluates
/// `y + F₀x(1 + F₁(1−x)(1 + F₂x(…)))` (Horner from `F₆` down) with `F₀ = Δ = y_new − y`,
/// `F₁ = h f₀ − Δ`, `F₂ = 2Δ − h(f₁₂ + f₀)`, `F₃…F₆ = h Σ_j D_rj k_j`. Every `F` is linear in
/// `Δ` and the stages, so with `P_p = Π_{q≤p} (x if q even else 1 − x)` the output is one
/// combination, `y + (P₀ − P₁ + 2P₂) Δ + h Σ_j W_j k_j` with `W₀ = P₁ − P₂ + Σ_r P_{r+3} D_r0`,
/// `W₁₂ = −P₂ + Σ_r P_{r+3} D_r12` and `W_j = Σ_r P_{r+3} D_rj` otherwise: one pass over the 16
/// stages per output instead of forming the seven `F` (the same polynomial, other roundings).
fn interpolate(k: &[C64], y: &[C64], y_new: &[C64], step: f64, x: f64, out: &mut [C64]) {
    let mut p = [0.0f64; 7];
    let mut prod = 1.0;
    for (q, pq) in p.iter_mut().enumerate() {
        prod *= if q % 2 == 0 { x } else { 1.0 - x };
        *pq = prod;
    }
    let mut w = [0.0f64; 16];
    for (j, wj) in w.iter_mut().enumerate() {
        *wj = (0..4).map(|r| p[r + 3] * DOP853_D[r][j]).sum();
    }
    w[0] += p[1] - p[2];
    w[12] -= p[2];
    let a = p[0] - p[1] + 2.0 * p[2];
    combine(out, y, Some((y_new, a)), k, &w, step);
}

/// scipy's `select_initial_step` (Hairer, Nørsett & Wanner, II.4).
#[allow(clippy::too_many_arguments)]
fn initial_step(
    rhs: &mut Rhs<'_>,
    t: f64,
    y: &[C64],
    f0: &[C64],
    order_exp: f64,
    s: RkSettings,
    y1: &mut [C64],
    f1: &mut [C64],
    stats: &mut Stats,
) -> Result<f64> {
    let n = y.len() as f64;
    let scale = |i: usize| s.atol + y[i].norm() * s.rtol;
    let d0 = (y
        .iter()
        .enumerate()
        .map(|(i, v)| (v.norm() / scale(i)).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let d1 = (f0
        .iter()
        .enumerate()
        .map(|(i, v)| (v.norm() / scale(i)).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let h0 = if d0 < 1e-5 || d1 < 1e-5 {
        1e-6
    } else {
        0.01 * d0 / d1
    };
    for i in 0..y.len() {
        y1[i] = y[i] + f0[i] * h0;
    }
    rhs(t + h0, y1, f1)?;
    stats.matvecs += 1;
    let d2 = (f1
        .iter()
        .zip(f0)
        .enumerate()
        .map(|(i, (a, b))| ((a - b).norm() / scale(i)).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
        / h0;
    let h1 = if d1 <= 1e-15 && d2 <= 1e-15 {
        (h0 * 1e-3).max(1e-6)
    } else {
        (0.01 / d1.max(d2)).powf(order_exp)
    };
    Ok((100.0 * h0).min(h1))
}

const DOP853_ROWS: [&[f64]; 12] = [
    &DOP853_A[0],
    &DOP853_A[1],
    &DOP853_A[2],
    &DOP853_A[3],
    &DOP853_A[4],
    &DOP853_A[5],
    &DOP853_A[6],
    &DOP853_A[7],
    &DOP853_A[8],
    &DOP853_A[9],
    &DOP853_A[10],
    &DOP853_A[11],
];
const TSIT5_ROWS: [&[f64]; 6] = [
    &TSIT5_A[0],
    &TSIT5_A[1],
    &TSIT5_A[2],
    &TSIT5_A[3],
    &TSIT5_A[4],
    &TSIT5_A[5],
];
