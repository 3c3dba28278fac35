//! Running independent reads in parallel and packaging them as a [`SampleSet`]: the part every
//! local sampler shares.
//!
//! Read `r` draws its randomness only from `rng::stream(seed, r)`, and the rows come back in read
//! order, so the result does not depend on the number of threads (SPEC §6).

use super::spin_model::spins_to_vartype;
use super::{AnnealError, Control, Info, SampleSet, Timing};
use crate::qubo::Bqm;
use crate::{Result, alloc};
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
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
/// SPIN state (`width` values) to `row` and returns `None` if it saw a stop. A workspace from
/// `init` is reused across the reads a worker runs. Errors with [`AnnealError::NoReadCompleted`]
/// if a stop came before any read finished.
///
/// Memory: the output rows (`num_reads × width` bytes) and one result slot per read are
/// allocated up front, fallibly, so a caller must have checked `num_reads` against
/// [`SampleSet::max_rows`](super::SampleSet::max_rows) (`ReadPlan` does); workspaces, each with a
/// row of its own that `read` works in (so threads never write neighbouring rows of the shared
/// output while they run), are allocated fallibly. Nothing is allocated per read.
pub(crate) fn run_reads<W, T: Send>(
    sampler: &'static str,
    num_reads: usize,
    width: usize,
    control: &Control<'_>,
    init: impl Fn() -> Result<W> + Sync + Send,
    read: impl Fn(&mut W, usize, &mut [i8]) -> Option<T> + Sync + Send,
) -> Result<Completed<T>> {
    let total = num_reads.checked_mul(width).ok_or(crate::Error::OutOfMemory {
        what: "samples",
        bytes: usize::MAX,
    })?;
    let mut spins = alloc::filled("samples", 0i8, total)?;
    let mut slots: Vec<Option<T>> = alloc::with_capacity("per-read results", num_reads)?;
    slots.resize_with(num_reads, || None);
    // The first workspace allocation that failed; the other workers then stop too.
    let failure: Mutex<Option<crate::Error>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    let workspace = || match init().and_then(|w| Ok((w, alloc::filled("a read's row", 0i8, width)?))) {
        Ok(w) => Some(w),
        Err(e) => {
            failed.store(true, Ordering::Relaxed);
            failure.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
            None
        }
    };
    let gate = match control.read_interrupt() {
        Some(f) => Some(ReadGate::new(f, num_reads)?),
        None => None,
    };
    let one = |ws: &mut Option<(W, Vec<i8>)>, r: usize, row: &mut [i8], slot: &mut Option<T>| {
        if failed.load(Ordering::Relaxed) || control.should_stop() {
            return;
        }
        if let Some((ws, own)) = ws {
            *slot = read(ws, r, own);
            if slot.is_some() {
                row.copy_from_slice(own);
                control.item_done(num_reads as u64);
                if let Some(g) = &gate {
                    g.completed(r, control);
                }
            }
        }
    };
    if width == 0 {
        slots
            .par_iter_mut()
            .enumerate()
            .for_each_init(workspace, |ws, (r, slot)| one(ws, r, &mut [], slot));
    } else {
        slots
            .par_iter_mut()
            .zip(spins.par_chunks_mut(width))
            .enumerate()
            .for_each_init(workspace, |ws, (r, (slot, row))| one(ws, r, row, slot));
    }
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    if let Some(last) = gate.and_then(ReadGate::last) {
        // The interrupt stopped the run after read `last`: exactly reads 0..=last are returned,
        // whichever later reads other threads had finished.
        for slot in &mut slots[last + 1..] {
            *slot = None;
        }
    }
    let done = slots.iter().filter(|s| s.is_some()).count();
    if done == 0 && num_reads > 0 {
        return Err(AnnealError::NoReadCompleted { sampler }.into());
    }
    if done < num_reads {
        // Move the completed rows to the front, in read order.
        let mut kept = 0;
        for (r, slot) in slots.iter().enumerate() {
            if slot.is_some() {
                spins.copy_within(r * width..(r + 1) * width, kept * width);
                kept += 1;
            }
        }
        spins.truncate(done * width);
    }
    let mut extras = alloc::with_capacity("per-read results", done)?;
    extras.extend(slots.into_iter().flatten());
    Ok(Completed {
        spins,
        extras,
        interrupted: done < num_reads,
    })
}

/// The interrupt of a run that calls it only between reads
/// ([`Control::with_interrupt_between_reads`]): once per completed read, in read order.
struct ReadGate<'f> {
    interrupt: &'f (dyn Fn() -> bool + Sync),
    /// Which reads completed, the next read to report, and the read after which the interrupt
    /// said stop.
    state: Mutex<(Vec<bool>, usize, Option<usize>)>,
}

impl<'f> ReadGate<'f> {
    fn new(interrupt: &'f (dyn Fn() -> bool + Sync), num_reads: usize) -> Result<Self> {
        Ok(ReadGate {
            interrupt,
            state: Mutex::new((alloc::filled("per-read flags", false, num_reads)?, 0, None)),
        })
    }

    /// Read `r` completed: calls the interrupt for every read of the completed prefix not yet
    /// reported, and stops the run at the first that it answers true for.
    fn completed(&self, r: usize, control: &Control<'_>) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (done, next, last) = &mut *state;
        done[r] = true;
        while last.is_none() && *next < done.len() && done[*next] {
            if (self.interrupt)() {
                *last = Some(*next);
                control.stop();
            }
            *next += 1;
        }
    }

    /// The read after which the interrupt stopped the run.
    fn last(self) -> Option<usize> {
        self.state.into_inner().unwrap_or_else(|p| p.into_inner()).2
    }
}

/// A sample set of `rows` SPIN states (row-major) for `bqm`, converted to the model's vartype,
/// with energies from [`Bqm::energies`].
pub(crate) fn sample_set(bqm: &Bqm, mut spins: Vec<i8>, rows: usize) -> Result<SampleSet> {
    if bqm.num_variables() == 0 {
        let energies = alloc::filled("energies", bqm.offset(), rows)?;
        return SampleSet::new(bqm.vartype(), 0, Vec::new(), energies, None);
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
