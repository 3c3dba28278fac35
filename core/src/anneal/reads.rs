//! Running independent reads in parallel and packaging them as a [`SampleSet`]: the part every
//! local sampler shares.
//!
//! Read `r` draws its randomness only from `rng::stream(seed, r)`, and the rows come back in read
//! order, so the result does not depend on the number of threads (SPEC §6).

use super::spin_model::spins_to_vartype;
use super::{AnnealError, Control, Info, SampleSet, Timing};
use crate::Result;
use crate::qubo::Bqm;
use rayon::prelude::*;
use std::time::Instant;

/// Attempted spin updates (or comparable units of work) between two looks at [`Control`]
/// inside a read: about a millisecond of work.
pub(crate) const WORK_BETWEEN_CHECKS: usize = 1 << 20;

/// The reads that completed, in read order.
pub(crate) struct Completed<T> {
    /// Final SPIN states, row-major.
    pub(crate) spins: Vec<i8>,
    /// Per-read results other than the state.
    pub(crate) extras: Vec<T>,
    /// Whether some reads were skipped or abandoned because of a stop.
    pub(crate) interrupted: bool,
}

/// Runs `read(workspace, r, row)` for `r in 0..num_reads` in parallel; `read` writes the final
/// SPIN state to `row` and returns `None` if it saw a stop. A workspace from `init` is reused
/// across the reads a worker runs. Errors with [`AnnealError::NoReadCompleted`] if a stop came
/// before any read finished.
pub(crate) fn run_reads<W, T: Send>(
    sampler: &'static str,
    num_reads: usize,
    n: usize,
    control: &Control<'_>,
    init: impl Fn() -> W + Sync + Send,
    read: impl Fn(&mut W, usize, &mut [i8]) -> Option<T> + Sync + Send,
) -> Result<Completed<T>> {
    let results: Vec<Option<(Vec<i8>, T)>> = (0..num_reads)
        .into_par_iter()
        .map_init(init, |ws, r| {
            if control.should_stop() {
                return None;
            }
            let mut row = vec![0i8; n];
            let done = read(ws, r, &mut row).map(|t| (row, t));
            if done.is_some() {
                control.item_done(num_reads as u64);
            }
            done
        })
        .collect();
    let done = results.iter().filter(|r| r.is_some()).count();
    if done == 0 && num_reads > 0 {
        return Err(AnnealError::NoReadCompleted { sampler }.into());
    }
    let mut spins = Vec::with_capacity(done * n);
    let mut extras = Vec::with_capacity(done);
    for (row, t) in results.into_iter().flatten() {
        spins.extend_from_slice(&row);
        extras.push(t);
    }
    Ok(Completed {
        spins,
        extras,
        interrupted: done < num_reads,
    })
}

/// A sample set of `rows` SPIN states (row-major) for `bqm`, converted to the model's vartype,
/// with energies from [`Bqm::energies`].
pub(crate) fn sample_set(bqm: &Bqm, mut spins: Vec<i8>, rows: usize) -> Result<SampleSet> {
    if bqm.num_variables() == 0 {
        return SampleSet::new(bqm.vartype(), 0, Vec::new(), vec![bqm.offset(); rows], None);
    }
    spins_to_vartype(&mut spins, bqm.vartype());
    SampleSet::from_samples(bqm, spins)
}

/// Wall-clock phases of a run, reported as [`Timing`].
pub(crate) struct Stopwatch {
    start: Instant,
    sampling: Option<Instant>,
    post: Option<Instant>,
}

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Stopwatch {
            start: Instant::now(),
            sampling: None,
            post: None,
        }
    }

    /// Preprocessing ends, sampling begins.
    pub(crate) fn sampling(&mut self) {
        self.sampling = Some(Instant::now());
    }

    /// Sampling ends, postprocessing begins.
    pub(crate) fn postprocessing(&mut self) {
        self.post = Some(Instant::now());
    }

    pub(crate) fn timing(&self) -> Timing {
        let now = Instant::now();
        let s = self.sampling.unwrap_or(now);
        let p = self.post.unwrap_or(now);
        let ns = |a: Instant, b: Instant| b.saturating_duration_since(a).as_nanos() as u64;
        Timing {
            preprocessing_ns: ns(self.start, s),
            sampling_ns: ns(s, p),
            postprocessing_ns: ns(p, now),
        }
    }
}

/// Fills the fields every sampler reports.
pub(crate) fn base_info(sampler: &str, seed: Option<u64>, interrupted: bool) -> Info {
    Info {
        sampler: sampler.to_owned(),
        seed,
        interrupted,
        ..Info::default()
    }
}
