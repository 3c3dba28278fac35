//! Data-parallel loops over state vectors with fixed chunk boundaries, so sums combine in the
//! same order whatever the number of threads (SPEC §6): each chunk's partial sum is computed
//! alone and the partials are added in chunk order.

use super::C64;
use rayon::prelude::*;

/// Elements per chunk; vectors shorter than [`PARALLEL_FROM`] run on the calling thread.
pub(crate) const CHUNK: usize = 4096;
/// Vectors of at least this many elements are processed in parallel (when the pool has more
/// than one thread: handing work to a single pool thread only adds a wake-up per call).
pub(crate) const PARALLEL_FROM: usize = 1 << 15;

fn parallel(len: usize) -> bool {
    len >= PARALLEL_FROM && rayon::current_num_threads() > 1
}

/// Calls `f(start, chunk)` for consecutive chunks of `v`.
pub(crate) fn for_each_chunk<T: Send>(v: &mut [T], f: impl Fn(usize, &mut [T]) + Sync) {
    if parallel(v.len()) {
        v.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(k, c)| f(k * CHUNK, c));
    } else {
        f(0, v);
    }
}

/// Calls `f(r, row)` for each row of a `n`-column row-major matrix.
pub(crate) fn for_each_row<T: Send>(m: &mut [T], n: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    if parallel(m.len()) {
        m.par_chunks_mut(n).enumerate().for_each(|(r, row)| f(r, row));
    } else {
        m.chunks_mut(n).enumerate().for_each(|(r, row)| f(r, row));
    }
}

/// `Σ f(start, end)` over consecutive chunks of `0..len`, combined in chunk order.
pub(crate) fn sum_chunks(len: usize, f: impl Fn(usize, usize) -> C64 + Sync) -> C64 {
    let chunks = len.div_ceil(CHUNK);
    let part = |k: usize| f(k * CHUNK, ((k + 1) * CHUNK).min(len));
    if parallel(len) {
        let parts: Vec<C64> = (0..chunks).into_par_iter().map(part).collect();
        parts.into_iter().sum()
    } else {
        (0..chunks).map(part).sum()
    }
}

/// `Σ conj(a_i) b_i`.
pub(crate) fn dot(a: &[C64], b: &[C64]) -> C64 {
    sum_chunks(a.len(), |s, e| {
        let mut acc = C64::new(0.0, 0.0);
        for (x, y) in a[s..e].iter().zip(&b[s..e]) {
            acc += x.conj() * y;
        }
        acc
    })
}

/// `‖a‖₂`.
pub(crate) fn norm(a: &[C64]) -> f64 {
    sum_chunks(a.len(), |s, e| {
        C64::new(a[s..e].iter().map(|x| x.norm_sqr()).sum(), 0.0)
    })
    .re
    .sqrt()
}

/// `y ← alpha y`.
pub(crate) fn scale(alpha: C64, y: &mut [C64]) {
    for_each_chunk(y, |_, c| c.iter_mut().for_each(|o| *o *= alpha));
}

/// The Lanczos three-term update in one pass: `w ← (w − a·u) − b·v` (the two subtractions in
/// this order, as two `axpy` calls would round them) and returns `‖w‖₂`, summed chunk by chunk
/// in chunk order as [`norm`] does, so the result does not depend on the thread count.
pub(crate) fn lanczos_update(w: &mut [C64], a: f64, u: &[C64], b: f64, v: Option<&[C64]>) -> f64 {
    let part = |s: usize, c: &mut [C64]| -> f64 {
        let len = c.len();
        let u = &u[s..s + len];
        match v {
            Some(v) => {
                for ((o, &x), &y) in c.iter_mut().zip(u).zip(&v[s..s + len]) {
                    o.re -= a * x.re;
                    o.im -= a * x.im;
                    o.re -= b * y.re;
                    o.im -= b * y.im;
                }
            }
            None => {
                for (o, &x) in c.iter_mut().zip(u) {
                    o.re -= a * x.re;
                    o.im -= a * x.im;
                }
            }
        }
        c.iter().map(|x| x.norm_sqr()).sum()
    };
    let parts: Vec<f64> = if parallel(w.len()) {
        w.par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(k, c)| part(k * CHUNK, c))
            .collect()
    } else {
        w.chunks_mut(CHUNK)
            .enumerate()
            .map(|(k, c)| part(k * CHUNK, c))
            .collect()
    };
    parts.into_iter().map(|p| C64::new(p, 0.0)).sum::<C64>().re.sqrt()
}

/// One modified Gram-Schmidt step fused with the next one's inner product: `w ← w + alpha·x`
/// (each entry `w_i += alpha·x_i`), then `Σ conj(next_i) w_i` (as [`dot`]), or, with `next` None, `‖w‖₂²` (as
/// [`norm`] squared) in the real part, in one pass over `w`. Chunk partials are combined in
/// chunk order, so the result is the unfused calls' bit for bit, on any number of threads.
pub(crate) fn axpy_dot(alpha: C64, x: &[C64], w: &mut [C64], next: Option<&[C64]>) -> C64 {
    let part = |s: usize, c: &mut [C64]| -> C64 {
        let len = c.len();
        for (o, &xi) in c.iter_mut().zip(&x[s..s + len]) {
            *o += alpha * xi;
        }
        match next {
            Some(v) => {
                let mut acc = C64::new(0.0, 0.0);
                for (a, b) in v[s..s + len].iter().zip(c.iter()) {
                    acc += a.conj() * b;
                }
                acc
            }
            None => C64::new(c.iter().map(|x| x.norm_sqr()).sum(), 0.0),
        }
    };
    if parallel(w.len()) {
        let parts: Vec<C64> = w
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(k, c)| part(k * CHUNK, c))
            .collect();
        parts.into_iter().sum()
    } else {
        w.chunks_mut(CHUNK)
            .enumerate()
            .map(|(k, c)| part(k * CHUNK, c))
            .sum()
    }
}
