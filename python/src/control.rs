//! The execution policy of a long call from Python (`interrupt_function`, `num_threads`,
//! `timeout`, `progress`), turned into a core `Control`, with the GIL released for the run and a
//! Python exception raised by a callback re-raised after it.

use crate::errors::{invalid_argument, to_pyerr};
use neuroquant::control::{Control, Progress};
use neuroquant::params::FromValue;
use pyo3::prelude::*;
use std::sync::Mutex;
use std::time::Duration;

/// The keyword arguments every long-running call accepts, checked.
pub(crate) struct RunPolicy {
    interrupt: Option<Py<PyAny>>,
    progress: Option<Py<PyAny>>,
    num_threads: Option<usize>,
    timeout: Option<Duration>,
    between_reads: bool,
}

impl RunPolicy {
    /// Checks the arguments: `num_threads` an integer (the core checks its range), `timeout`
    /// finite seconds >= 0.
    pub(crate) fn new(
        interrupt: Option<Py<PyAny>>,
        num_threads: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let num_threads = match num_threads {
            None => None,
            Some(n) => Some(
                usize::from_value("num_threads", &crate::params::to_value("num_threads", n)?)
                    .map_err(to_pyerr)?,
            ),
        };
        let timeout = match timeout {
            Some(t) if !(t.is_finite() && t >= 0.0) => {
                return Err(invalid_argument(
                    "timeout",
                    format!("{t} must be a finite number of seconds >= 0"),
                ));
            }
            t => t.map(Duration::from_secs_f64),
        };
        Ok(RunPolicy {
            interrupt,
            progress,
            num_threads,
            timeout,
            between_reads: false,
        })
    }

    /// dwave-samplers' contract for `interrupt_function`: called once after each read in read
    /// order (never inside a read, never before the first read completes), and an exception it
    /// raises counts as an interrupt instead of propagating (core:
    /// `Control::with_interrupt_between_reads`).
    pub(crate) fn between_reads(mut self, yes: bool) -> Self {
        self.between_reads = yes;
        self
    }

    /// Runs `f` with the GIL released under this policy. `interrupt_function()` returning True
    /// stops the run; an exception it (or `progress`) raises stops it too and is re-raised.
    pub(crate) fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Control<'_>) -> neuroquant::Result<T> + Send,
    ) -> PyResult<T> {
        let raised: Mutex<Option<PyErr>> = Mutex::new(None);
        let keep = |e: PyErr| {
            let mut slot = raised.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(e);
        };
        let between_reads = self.between_reads;
        let interrupt = self.interrupt.as_ref().map(|f| {
            move || {
                Python::attach(|py| match f.bind(py).call0().and_then(|r| r.is_truthy()) {
                    Ok(stop) => stop,
                    // dwave counts an exception as an interrupt; otherwise it is re-raised.
                    Err(_) if between_reads => true,
                    Err(e) => {
                        keep(e);
                        true
                    }
                })
            }
        });
        let tell = self.progress.as_ref().map(|f| {
            move |p: Progress| {
                Python::attach(|py| {
                    if let Err(e) = f.bind(py).call1((p.completed, p.total)) {
                        keep(e);
                    }
                })
            }
        });
        let result = py.detach(|| {
            let mut control = Control::default();
            if let Some(f) = &interrupt {
                control = if between_reads {
                    control.with_interrupt_between_reads(f)
                } else {
                    control.with_interrupt(f)
                };
            }
            if let Some(f) = &tell {
                control = control.with_progress(f);
            }
            if let Some(n) = self.num_threads {
                control = control.with_num_threads(n);
            }
            if let Some(t) = self.timeout {
                control = control.with_timeout(t);
            }
            f(&control)
        });
        if let Some(e) = raised.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        result.map_err(to_pyerr)
    }
}
