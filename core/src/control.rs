//! `Control`: the execution policy of a run in every area and surface — how many threads, when
//! to stop (an interrupt callback, a deadline), and whom to tell about progress.

use crate::Result;
use crate::error::ArgumentError;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest thread count a [`Control`] accepts (each distinct count keeps a pool alive).
pub const MAX_THREADS: usize = 1024;

/// How far a run is: `completed` of `total` work items (reads) are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Work items completed so far.
    pub completed: u64,
    /// Work items in the run.
    pub total: u64,
}

/// The execution policy of a run, in every surface: how many threads, when to stop (an interrupt
/// callback, a deadline), and whom to tell about progress. Once it reports a stop it keeps
/// reporting it, so all workers agree.
#[derive(Default)]
pub struct Control<'a> {
    interrupt: Option<&'a (dyn Fn() -> bool + Sync)>,
    progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    deadline: Option<Instant>,
    num_threads: Option<usize>,
    between_reads: bool,
    stopped: AtomicBool,
    completed: AtomicU64,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("interrupt", &self.interrupt.is_some())
            .field("progress", &self.progress.is_some())
            .field("deadline", &self.deadline)
            .field("num_threads", &self.num_threads)
            .field("between_reads", &self.between_reads)
            .field("stopped", &self.stopped.load(Ordering::Relaxed))
            .finish()
    }
}

impl<'a> Control<'a> {
    /// Stops when `interrupt()` returns true (it is called between reads and every few
    /// milliseconds of work inside a read, possibly from several threads).
    pub fn with_interrupt(mut self, interrupt: &'a (dyn Fn() -> bool + Sync)) -> Self {
        self.interrupt = Some(interrupt);
        self
    }

    /// Calls the interrupt only between reads, as dwave-samplers does, instead of also every
    /// few milliseconds inside them: once after each completed read, in read order (after read
    /// `r` only when reads `0..=r` are all done), never before the first read completes. When it
    /// returns true after read `r`, the run returns exactly reads `0..=r`, whatever the thread
    /// count (reads already running past `r` are discarded). Samplers without reads (the exact
    /// solver) then never call it. The deadline still applies inside reads.
    pub fn with_interrupt_between_reads(mut self, interrupt: &'a (dyn Fn() -> bool + Sync)) -> Self {
        self.interrupt = Some(interrupt);
        self.between_reads = true;
        self
    }

    /// The interrupt to call after each read in read order, when it is called only between reads
    /// ([`with_interrupt_between_reads`](Self::with_interrupt_between_reads)).
    pub(crate) fn read_interrupt(&self) -> Option<&'a (dyn Fn() -> bool + Sync)> {
        self.interrupt.filter(|_| self.between_reads)
    }

    /// Records a stop decided outside [`should_stop`](Self::should_stop) (an interrupt called
    /// between reads), so every worker sees it.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Stops at `deadline`.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Stops `timeout` from now; a timeout beyond what the clock can represent (say
    /// `u64::MAX` milliseconds) never expires, rather than overflowing.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.deadline = deadline_after(timeout);
        self
    }

    /// Runs on `num_threads` threads (at least 1; default: rayon's global pool, one thread per
    /// core). Results do not depend on it (SPEC §6).
    pub fn with_num_threads(mut self, num_threads: usize) -> Self {
        self.num_threads = Some(num_threads);
        self
    }

    /// Calls `progress` after each completed work item (possibly from several threads; the
    /// counts it receives increase but may arrive out of order).
    pub fn with_progress(mut self, progress: &'a (dyn Fn(Progress) + Sync)) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The thread count asked for, if any.
    pub fn num_threads(&self) -> Option<usize> {
        self.num_threads
    }

    /// Whether the run should stop now.
    pub fn should_stop(&self) -> bool {
        if self.stopped.load(Ordering::Relaxed) {
            return true;
        }
        let stop = self.deadline.is_some_and(|d| Instant::now() >= d)
            || (!self.between_reads && self.interrupt.is_some_and(|f| f()));
        if stop {
            self.stopped.store(true, Ordering::Relaxed);
        }
        stop
    }

    /// Whether this control can ever stop a run (it has an interrupt or a deadline, or has
    /// stopped): a run that must restore its state on a stop saves it only then.
    pub(crate) fn can_stop(&self) -> bool {
        self.interrupt.is_some() || self.deadline.is_some() || self.stopped()
    }

    /// Whether a stop has been observed (without calling the callback).
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// The control of one work item of a batch: the same interrupt and deadline (so a long item
    /// stops within milliseconds too), no progress callback (the batch reports whole items)
    /// and no thread setting (the batch's pool runs it).
    pub(crate) fn for_item(&self) -> Control<'a> {
        Control {
            interrupt: self.interrupt,
            deadline: self.deadline,
            between_reads: self.between_reads,
            ..Control::default()
        }
    }

    /// Records one completed work item of `total` and tells the progress callback.
    pub(crate) fn item_done(&self, total: u64) {
        let completed = self.completed.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(f) = self.progress {
            f(Progress { completed, total });
        }
    }

    /// Runs `f` on a pool of [`num_threads`](Self::num_threads) threads (the current pool when
    /// unset). Pools are kept per thread count, so repeated runs do not spawn threads again.
    pub fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T> {
        let Some(n) = self.num_threads else {
            return Ok(f());
        };
        if n == 0 {
            return Err(ArgumentError::Invalid {
                argument: "num_threads",
                reason: "is 0, must be at least 1".into(),
            }
            .into());
        }
        crate::error::check::at_most("num_threads", n as u64, MAX_THREADS as u64)?;
        if rayon::current_thread_index().is_some() && rayon::current_num_threads() == n {
            return Ok(f());
        }
        Ok(pool(n)?.install(f))
    }
}

/// The shared pool of `n` threads.
fn pool(n: usize) -> Result<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Option<HashMap<usize, Arc<rayon::ThreadPool>>>> = Mutex::new(None);
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    let pools = pools.get_or_insert_with(HashMap::new);
    if let Some(p) = pools.get(&n) {
        return Ok(p.clone());
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| ArgumentError::Invalid {
            argument: "num_threads",
            reason: format!("a pool of {n} threads cannot be started: {e}"),
        })?;
    let p = Arc::new(built);
    pools.insert(n, p.clone());
    Ok(p)
}

/// `timeout` from now, or `None` (never) when the clock cannot represent it.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_stop_is_sticky() {
        let calls = AtomicUsize::new(0);
        let f = || calls.fetch_add(1, Ordering::Relaxed) >= 2;
        let c = Control::default().with_interrupt(&f);
        assert!(!c.should_stop());
        assert!(!c.should_stop());
        assert!(c.should_stop());
        assert!(c.should_stop());
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        assert!(Control::default().with_deadline(Instant::now()).should_stop());
        assert!(!Control::default().should_stop());
        assert!(Control::default().with_timeout(Duration::ZERO).should_stop());
        assert!(!Control::default().with_timeout(Duration::MAX).should_stop());
    }
}
