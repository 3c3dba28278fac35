//! `NqControl`: the execution policy of a run (threads, timeout, interrupt and progress
//! callbacks), shared by every C function that runs something long.

use crate::convert::{Versioned, init_sized, read_sized};
use crate::guard::{FfiResult, guard};
use crate::status::NqStatus;
use nq::control::{Control, Progress};
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// Asked periodically while sampling (between reads and every few milliseconds inside a read,
/// possibly from several threads at once): return non-zero to stop. It must be thread-safe and
/// must not unwind or longjmp.
pub type NqInterruptFn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> c_int>;

/// Told after each completed read (possibly from several threads at once; the counts increase
/// but may arrive out of order). It must be thread-safe and must not unwind or longjmp.
pub type NqProgressFn = Option<unsafe extern "C" fn(userdata: *mut c_void, completed: u64, total: u64)>;

/// How a run executes: threads, stop conditions, progress. Initialise with
/// `nq_control_default(&control, sizeof control)`; the defaults run on all cores to completion.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqControl {
    /// `sizeof` the struct as the caller compiled it (set by `nq_control_default`).
    pub struct_size: usize,
    /// Threads to run on (results do not depend on it); 0: one per core.
    pub num_threads: usize,
    /// Stop after this many milliseconds; 0: no limit. A stopped run returns the reads completed
    /// so far with `interrupted` set in its info, or `NQ_INTERRUPTED` if none completed.
    pub timeout_ms: u64,
    /// Stop when it returns non-zero; NULL: never.
    pub interrupt: NqInterruptFn,
    /// Passed to `interrupt`.
    pub interrupt_userdata: *mut c_void,
    /// Told the progress; NULL: nobody.
    pub progress: NqProgressFn,
    /// Passed to `progress`.
    pub progress_userdata: *mut c_void,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/pointer/nullable-fn-pointer fields only
// (every bit pattern of an `Option<extern fn>` that C can store is NULL or a function address).
unsafe impl Versioned for NqControl {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        NqControl {
            struct_size: std::mem::size_of::<Self>(),
            num_threads: 0,
            timeout_ms: 0,
            interrupt: None,
            interrupt_userdata: std::ptr::null_mut(),
            progress: None,
            progress_userdata: std::ptr::null_mut(),
        }
    }
}

/// Writes the default control (all cores, no limit, no callbacks) into the caller's struct of
/// `struct_size` bytes (pass `sizeof *control`), and sets `control->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_control_default(control: *mut NqControl, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(control, struct_size, "control") })
}

/// A callback and its user data, shareable across the sampler's worker threads.
struct Shared<F> {
    f: F,
    userdata: *mut c_void,
}

// SAFETY: the caller promises (documented on NqInterruptFn and NqProgressFn) that the callback
// may be called from any thread with this user data.
unsafe impl<F> Send for Shared<F> {}
unsafe impl<F> Sync for Shared<F> {}

/// Runs `f` under the caller's control (`control` may be NULL: all cores, to completion).
///
/// # Safety
/// If non-NULL, `control` must point to a struct of `control->struct_size` bytes whose callbacks
/// honour their documented contract.
pub(crate) unsafe fn with_control<T>(
    control: *const NqControl,
    f: impl FnOnce(&Control<'_>) -> FfiResult<T>,
) -> FfiResult<T> {
    let c = if control.is_null() {
        NqControl::defaults()
    } else {
        unsafe { read_sized(control, "control") }?
    };
    let interrupt = c.interrupt.map(|f| Shared {
        f,
        userdata: c.interrupt_userdata,
    });
    let progress = c.progress.map(|f| Shared {
        f,
        userdata: c.progress_userdata,
    });
    // SAFETY (both closures): valid callbacks by the caller's contract.
    let ask = || {
        interrupt
            .as_ref()
            .is_some_and(|i| unsafe { (i.f)(i.userdata) } != 0)
    };
    let tell = |p: Progress| {
        if let Some(t) = &progress {
            unsafe { (t.f)(t.userdata, p.completed, p.total) }
        }
    };
    let mut run = Control::default().with_interrupt(&ask).with_progress(&tell);
    if c.num_threads > 0 {
        run = run.with_num_threads(c.num_threads);
    }
    if c.timeout_ms > 0 {
        run = run.with_timeout(Duration::from_millis(c.timeout_ms));
    }
    f(&run)
}
