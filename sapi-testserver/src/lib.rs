#![recursion_limit = "256"]
//! A local D-Wave Solver API (SAPI) server for tests: the documented endpoints, headers, media
//! types and formats (`qp` problems and answers, multipart BQM uploads, `bq` answers), two
//! QPU-shaped solvers (Chimera C(4,4,4) and Pegasus P(4), each with three missing qubits) and a
//! hybrid BQM solver, all
//! answered by neuroquant's local simulated annealing. Scriptable per scenario (JSON, from Rust
//! with [`Server::set_scenario`] or over HTTP with `POST /_nq/scenario`): problems that stay
//! pending for some polls, FAIL, are CANCELLED, answer slowly; faults per route (status, body,
//! media type, `Retry-After`, delays, dropped connections) for a number of requests.
//!
//! Rust tests start it in-process ([`Server::start`]); C and Python tests run the
//! `nq-sapi-testserver` binary (see `main.rs`). It listens on 127.0.0.1 only, on an ephemeral
//! port.

mod http;
mod sapi;

use serde_json::{Value, json};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

pub use sapi::{
    HYBRID_SOLVER, MISSING_QUBITS, PEGASUS_MISSING_QUBITS, PEGASUS_SOLVER, QPU_SOLVER,
    pegasus_solver_description, qpu_solver_description,
};

/// The token the server accepts unless a scenario says otherwise.
pub const DEFAULT_TOKEN: &str = "nq-test-token";

/// One scripted fault: for the next `times` requests matching `route` (and `method`, when
/// given), answer with `status`/`body`/`content_type`/`headers` after `delay_ms`, or close the
/// connection without an answer (`drop`).
#[derive(Debug, Clone, Default)]
pub struct Fault {
    pub route: String,
    pub method: Option<String>,
    pub times: u64,
    pub status: u16,
    pub body: String,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub delay_ms: u64,
    pub drop: bool,
}

/// What the server does, as JSON:
/// `{"token": "...", "pending_polls": 0, "solve_delay_ms": 0, "fail": null | "message",
///   "cancel": false, "faults": [{"route": "submit", "times": 1, "status": 429,
///   "headers": {"Retry-After": "1"}, "body": "...", "content_type": "...", "delay_ms": 0,
///   "drop": false}], "max_poll_wait_ms": 30000, "seed": 1}`.
/// Routes: `regions`, `solvers`, `solver`, `submit`, `status`, `problem`, `answer`, `info`,
/// `cancel`, `upload_init`, `upload_part`, `upload_status`, `combine`, `any`.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub token: String,
    pub pending_polls: u64,
    pub solve_delay_ms: u64,
    pub fail: Option<String>,
    pub cancel: bool,
    pub faults: Vec<Fault>,
    pub max_poll_wait_ms: u64,
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            token: DEFAULT_TOKEN.into(),
            pending_polls: 0,
            solve_delay_ms: 0,
            fail: None,
            cancel: false,
            faults: Vec::new(),
            max_poll_wait_ms: 30_000,
            seed: 1,
        }
    }
}

impl Scenario {
    /// Reads a scenario from JSON (absent fields take the defaults).
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let mut s = Scenario::default();
        let o = v.as_object().ok_or("scenario must be a JSON object")?;
        for (k, x) in o {
            match k.as_str() {
                "token" => s.token = x.as_str().ok_or("token: string")?.into(),
                "pending_polls" => s.pending_polls = x.as_u64().ok_or("pending_polls: count")?,
                "solve_delay_ms" => s.solve_delay_ms = x.as_u64().ok_or("solve_delay_ms: count")?,
                "fail" => s.fail = x.as_str().map(str::to_owned),
                "cancel" => s.cancel = x.as_bool().ok_or("cancel: bool")?,
                "max_poll_wait_ms" => s.max_poll_wait_ms = x.as_u64().ok_or("max_poll_wait_ms: count")?,
                "seed" => s.seed = x.as_u64().ok_or("seed: count")?,
                "faults" => {
                    for f in x.as_array().ok_or("faults: list")? {
                        let g = |n: &str| f.get(n);
                        s.faults.push(Fault {
                            route: g("route").and_then(Value::as_str).ok_or("fault.route")?.into(),
                            method: g("method").and_then(Value::as_str).map(str::to_owned),
                            times: g("times").and_then(Value::as_u64).unwrap_or(1),
                            status: g("status").and_then(Value::as_u64).unwrap_or(500) as u16,
                            body: g("body").and_then(Value::as_str).unwrap_or("").into(),
                            content_type: g("content_type")
                                .and_then(Value::as_str)
                                .unwrap_or("application/json")
                                .into(),
                            headers: g("headers")
                                .and_then(Value::as_object)
                                .map(|h| {
                                    h.iter()
                                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                                        .collect()
                                })
                                .unwrap_or_default(),
                            delay_ms: g("delay_ms").and_then(Value::as_u64).unwrap_or(0),
                            drop: g("drop").and_then(Value::as_bool).unwrap_or(false),
                        });
                    }
                }
                other => return Err(format!("unknown scenario field {other:?}")),
            }
        }
        Ok(s)
    }
}

/// One request as the server saw it (`GET /_nq/log` returns them as JSON).
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub query: String,
    pub route: String,
    pub status: u16,
    pub token_ok: bool,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    pub user_agent: Option<String>,
    pub at_ms: u64,
}

pub(crate) struct State {
    pub(crate) scenario: Scenario,
    pub(crate) log: Vec<LogEntry>,
    pub(crate) problems: Vec<sapi::Problem>,
    pub(crate) uploads: Vec<sapi::Upload>,
    pub(crate) counter: u64,
    pub(crate) started: std::time::Instant,
    pub(crate) port: u16,
}

pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) changed: Condvar,
    pub(crate) stop: AtomicBool,
}

/// A running server; stops when dropped.
pub struct Server {
    shared: Arc<Shared>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 with an ephemeral port.
    pub fn start(scenario: Scenario) -> std::io::Result<Server> {
        Self::start_on(0, scenario)
    }

    /// Starts a server on 127.0.0.1:`port` (0: ephemeral).
    pub fn start_on(port: u16, scenario: Scenario) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                scenario,
                log: Vec::new(),
                problems: Vec::new(),
                uploads: Vec::new(),
                counter: 0,
                started: std::time::Instant::now(),
                port,
            }),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(stream) = conn {
                    let s = s.clone();
                    std::thread::spawn(move || sapi::serve(s, stream));
                }
            }
        });
        Ok(Server {
            shared,
            port,
            thread: Some(thread),
        })
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The Solver API endpoint (`http://127.0.0.1:PORT/sapi/`).
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/sapi/", self.port)
    }

    /// The metadata API endpoint (`http://127.0.0.1:PORT/metadata/v1/`), listing one region
    /// `"local-1"` served by this server.
    pub fn metadata_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/metadata/v1/", self.port)
    }

    /// Replaces the scenario and forgets problems, uploads and the log; problem ids and solver
    /// seeds start again from the scenario's, so a scenario replays identically.
    pub fn set_scenario(&self, scenario: Scenario) {
        let mut st = self.shared.state.lock().unwrap();
        st.scenario = scenario;
        st.counter = 0;
        st.log.clear();
        st.problems.clear();
        st.uploads.clear();
    }

    /// The requests received so far.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared.state.lock().unwrap().log.clone()
    }

    /// The requests of `route` received so far.
    pub fn count(&self, route: &str) -> usize {
        self.log().iter().filter(|e| e.route == route).count()
    }

    /// The status of every problem received (id, status).
    pub fn problems(&self) -> Vec<(String, String)> {
        self.shared
            .state
            .lock()
            .unwrap()
            .problems
            .iter()
            .map(|p| (p.id.clone(), p.status().to_owned()))
            .collect()
    }

    /// The log as JSON.
    pub fn log_json(&self) -> Value {
        log_json(&self.log())
    }
}

pub(crate) fn log_json(log: &[LogEntry]) -> Value {
    Value::Array(
        log.iter()
            .map(|e| {
                json!({"method": e.method, "path": e.path, "query": e.query, "route": e.route, "status": e.status,
                       "token_ok": e.token_ok, "accept": e.accept, "content_type": e.content_type,
                       "user_agent": e.user_agent, "at_ms": e.at_ms})
            })
            .collect(),
    )
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop.
        let _ = std::net::TcpStream::connect_timeout(
            &([127, 0, 0, 1], self.port).into(),
            Duration::from_millis(200),
        );
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
