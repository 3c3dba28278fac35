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

/// `y ← y + alpha x`.
pub(crate) fn axpy(alpha: C64, x: &[C64], y: &mut [C64]) {
    for_each_chunk(y, |s, c| {
        let len = c.len();
        for (o, &xi) in c.iter_mut().zip(&x[s..s + len]) {
            *o += alpha * xi;
        }
    });
}

/// `y ← alpha y`.
pub(crate) fn scale(alpha: C64, y: &mut [C64]) {
    for_each_chunk(y, |_, c| c.iter_mut().for_each(|o| *o *= alpha));
}
