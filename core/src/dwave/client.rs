//! [`Client`]: the Solver API resources a sampler uses — region resolution, solver listing,
//! problem submission (batched), long polling with back-off, answers, cancellation.

use super::config::ResolvedConfig;
use super::error::DWaveError;
use super::http::{Body, Http, Interrupted, Method, encode_segment, redact_url, sleep};
use super::solver::{SolverFilter, SolverInfo};
use crate::Result;
use crate::control::Control;
use crate::error::Error;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Media types of the Solver API (dwave-cloud-client's `api/resources.py`).
pub mod media {
    /// `GET solvers/remote/`.
    pub const SOLVER_LIST: &str = "application/vnd.dwave.sapi.solver-definition-list+json";
    /// `GET solvers/remote/{name}`.
    pub const SOLVER: &str = "application/vnd.dwave.sapi.solver-definition+json";
    /// `POST problems/`, `GET problems/?id=…`, `DELETE problems/`.
    pub const PROBLEMS: &str = "application/vnd.dwave.sapi.problems+json";
    /// `GET problems/{id}`, `DELETE problems/{id}`.
    pub const PROBLEM: &str = "application/vnd.dwave.sapi.problem+json";
    /// `GET problems/{id}/answer`.
    pub const PROBLEM_ANSWER: &str = "application/vnd.dwave.sapi.problem-answer+json";
    /// `GET problems/{id}/info`.
    pub const PROBLEM_DATA: &str = "application/vnd.dwave.sapi.problem-data+json";
    /// `GET regions/` of the metadata API.
    pub const REGIONS: &str = "application/vnd.dwave.metadata.regions+json";
}

/// Problems submitted in one `POST problems/` (dwave-cloud-client's batch size).
pub const SUBMIT_BATCH: usize = 20;
/// Problem ids in one status query (dwave-cloud-client's `_STATUS_QUERY_SIZE`).
pub const STATUS_QUERY_SIZE: usize = 100;
/// Seconds the server may hold a long-poll status query (SAPI's maximum, Ocean's default).
pub const LONG_POLL_WAIT_S: u64 = 30;
/// Back-off between status queries the server answered early: starts at 50 ms, grows by 1.3
/// per query, at most 60 s (dwave-cloud-client's `poll_backoff_*`).
pub const POLL_BACKOFF: (Duration, f64, Duration) = (Duration::from_millis(50), 1.3, Duration::from_secs(60));

/// A connection to the Solver API.
#[derive(Debug, Clone)]
pub struct Client {
    http: Http,
    endpoint: String,
    polling_timeout: Option<Duration>,
    long_poll_s: u64,
}

pub(crate) fn stopped(sampler: &'static str) -> Error {
    crate::anneal::AnnealError::NoReadCompleted { sampler }.into()
}

/// Runs a request, turning a stop into the sampler's "stopped" error.
macro_rules! req {
    ($e:expr, $sampler:expr) => {
        match $e {
            Ok(r) => r?,
            Err(Interrupted::Stopped) => return Err(stopped($sampler)),
        }
    };
}

/// The state of a submitted problem.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemStatus {
    /// The problem's id.
    pub id: String,
    /// `PENDING`, `IN_PROGRESS`, `COMPLETED`, `FAILED` or `CANCELLED`.
    pub status: String,
    /// The whole status message (with `answer` when completed and included).
    pub message: Value,
}

impl ProblemStatus {
    fn parse(endpoint: &str, v: &Value) -> Result<Self> {
        if let (Some(code), Some(msg)) = (v.get("error_code"), v.get("error_msg").and_then(Value::as_str)) {
            let status = code.as_u64().unwrap_or(0) as u16;
            return Err(match status {
                401 | 403 => DWaveError::Authentication {
                    endpoint: endpoint.into(),
                    status,
                    message: msg.into(),
                },
                _ => DWaveError::Rejected {
                    endpoint: endpoint.into(),
                    status,
                    message: msg.into(),
                },
            }
            .into());
        }
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let bad = |what: &str| Error::Network {
            endpoint: endpoint.into(),
            message: format!(
                "problem status without `{what}`: {}",
                super::http::snippet(v.to_string().as_bytes())
            ),
            source: None,
        };
        Ok(ProblemStatus {
            id: field("id").ok_or_else(|| bad("id"))?,
            status: field("status").ok_or_else(|| bad("status"))?,
            message: v.clone(),
        })
    }

    /// Whether the status is final.
    pub fn is_terminal(&self) -> bool {
        matches!(self.status.as_str(), "COMPLETED" | "FAILED" | "CANCELLED")
    }

    /// The final status as a result: the message when COMPLETED, else the failure.
    fn outcome(self) -> Result<Self> {
        match self.status.as_str() {
            "FAILED" => Err(DWaveError::ProblemFailed {
                message: self
                    .message
                    .get("error_message")
                    .and_then(Value::as_str)
                    .unwrap_or("an unknown error has occurred")
                    .to_owned(),
                problem_id: self.id,
            }
            .into()),
            "CANCELLED" => Err(DWaveError::ProblemCancelled { problem_id: self.id }.into()),
            _ => Ok(self),
        }
    }
}

impl Client {
    /// Connects with `config`: resolves the region to an endpoint through the metadata API when
    /// no endpoint is set. No other request is made.
    pub fn new(config: &ResolvedConfig, control: &Control<'_>) -> Result<Self> {
        let http = Http::new(config)?;
        let endpoint = match &config.endpoint {
            Some(e) => e.clone(),
            None => resolve_region(&http, config, control)?,
        };
        Ok(Client {
            http,
            endpoint,
            polling_timeout: config.polling_timeout,
            long_poll_s: LONG_POLL_WAIT_S,
        })
    }

    /// The Solver API base URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sets how long the server may hold one status query (0..=30 s; tests shorten it).
    pub fn set_long_poll_seconds(&mut self, seconds: u64) {
        self.long_poll_s = seconds.min(LONG_POLL_WAIT_S);
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.endpoint)
    }

    pub(crate) fn get_json(
        &self,
        path: &str,
        media: &str,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<Value> {
        let url = self.url(path);
        let r = req!(
            self.http.request(Method::Get, &url, Some(media), None, control),
            sampler
        );
        r.json(&redact_url(&url), Some(media))
    }

    pub(crate) fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        media: Option<&str>,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<Value> {
        let url = self.url(path);
        let r = req!(
            self.http
                .request(method, &url, media, Some(&Body::json(body)), control),
            sampler
        );
        r.json(&redact_url(&url), media)
    }

    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    /// Every solver the token can use (`GET solvers/remote/`).
    pub fn solvers(&self, control: &Control<'_>) -> Result<Vec<SolverInfo>> {
        let list = self.get_json("solvers/remote/", media::SOLVER_LIST, control, "dwave")?;
        let shown = redact_url(&self.url("solvers/remote/"));
        let items = list.as_array().ok_or_else(|| Error::Network {
            endpoint: shown.clone(),
            message: "solver list is not a JSON list".into(),
            source: None,
        })?;
        items.iter().map(|v| SolverInfo::from_json(&shown, v)).collect()
    }

    /// The solver named `name` (`GET solvers/remote/{name}`); 404 is `SolverNotFound`.
    pub fn solver(&self, name: &str, control: &Control<'_>) -> Result<SolverInfo> {
        let path = format!("solvers/remote/{}", encode_segment(name));
        match self.get_json(&path, media::SOLVER, control, "dwave") {
            Ok(v) => SolverInfo::from_json(&redact_url(&self.url(&path)), &v),
            Err(Error::DWave(DWaveError::Rejected { status: 404, .. })) => Err(DWaveError::SolverNotFound {
                filter: format!("the name {name:?}"),
                available: self
                    .solvers(control)
                    .map(|s| names(&s))
                    .unwrap_or_else(|_| "(listing failed)".into()),
            }
            .into()),
            Err(e) => Err(e),
        }
    }

    /// The first solver `filter` selects (by name, or by features ordered by load).
    pub fn select_solver(&self, filter: &SolverFilter, control: &Control<'_>) -> Result<SolverInfo> {
        if let SolverFilter::Name(n) = filter {
            let s = self.solver(n, control)?;
            return Ok(s);
        }
        let all = self.solvers(control)?;
        filter.select(&all).first().map(|s| (*s).clone()).ok_or_else(|| {
            DWaveError::SolverNotFound {
                filter: filter.describe(),
                available: names(&all),
            }
            .into()
        })
    }

    /// Submits `jobs` (batches of [`SUBMIT_BATCH`]) and waits for all of them, returning the
    /// completed problem messages (with answers) in order. On a stop of `control`, or when
    /// `polling_timeout` expires, the unfinished problems are cancelled.
    pub fn run_problems(
        &self,
        jobs: &[Value],
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<Vec<ProblemStatus>> {
        let mut statuses = Vec::with_capacity(jobs.len());
        for batch in jobs.chunks(SUBMIT_BATCH) {
            let body = Value::Array(batch.to_vec());
            let shown = redact_url(&self.url("problems/"));
            let answer = match self.send_json(
                Method::Post,
                "problems/",
                &body,
                Some(media::PROBLEMS),
                control,
                sampler,
            ) {
                Ok(a) => a,
                Err(e) => {
                    self.cancel_all(&statuses);
                    return Err(e);
                }
            };
            // A single job may be answered with one object instead of a list.
            let items = match answer {
                Value::Array(a) => a,
                other => vec![other],
            };
            if items.len() != batch.len() {
                self.cancel_all(&statuses);
                return Err(Error::Network {
                    endpoint: shown,
                    message: format!("{} statuses for {} submitted problems", items.len(), batch.len()),
                    source: None,
                });
            }
            for item in &items {
                match ProblemStatus::parse(&shown, item) {
                    Ok(s) => statuses.push(s),
                    Err(e) => {
                        self.cancel_all(&statuses);
                        return Err(e);
                    }
                }
            }
        }
        self.wait(statuses, control, sampler)
    }

    fn cancel_all(&self, statuses: &[ProblemStatus]) {
        for s in statuses.iter().filter(|s| !s.is_terminal()) {
            self.cancel(&s.id);
        }
    }

    /// Cancels a problem (`DELETE problems/{id}`), best effort, with a short time limit.
    pub fn cancel(&self, id: &str) {
        let path = format!("problems/{}", encode_segment(id));
        let deadline = Control::default().with_timeout(Duration::from_secs(5));
        let _ = self.http.request(
            Method::Delete,
            &self.url(&path),
            Some(media::PROBLEM),
            None,
            &deadline,
        );
    }

    fn wait(
        &self,
        mut statuses: Vec<ProblemStatus>,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<Vec<ProblemStatus>> {
        let start = Instant::now();
        let mut backoff = POLL_BACKOFF.0;
        loop {
            // Completed problems whose status carried no answer are fetched one by one.
            let missing: Vec<usize> = (0..statuses.len())
                .filter(|&i| statuses[i].status == "COMPLETED" && statuses[i].message.get("answer").is_none())
                .collect();
            for i in missing {
                let path = format!("problems/{}/", encode_segment(&statuses[i].id));
                let fetched = self
                    .get_json(&path, media::PROBLEM, control, sampler)
                    .and_then(|v| ProblemStatus::parse(&redact_url(&self.url(&path)), &v));
                match fetched {
                    Ok(s) => statuses[i] = s,
                    Err(e) => {
                        self.cancel_all(&statuses);
                        return Err(e);
                    }
                }
            }
            if let Some(failed) = statuses
                .iter()
                .find(|s| s.status == "FAILED" || s.status == "CANCELLED")
            {
                let failed = failed.clone();
                self.cancel_all(&statuses);
                return Err(failed.outcome().expect_err("a failed or cancelled problem"));
            }
            if statuses
                .iter()
                .all(|s| s.status == "COMPLETED" && s.message.get("answer").is_some())
            {
                return Ok(statuses);
            }
            let pending: Vec<String> = statuses
                .iter()
                .filter(|s| !s.is_terminal())
                .map(|s| s.id.clone())
                .collect();
            let elapsed = start.elapsed();
            let remaining = self.polling_timeout.map(|t| t.saturating_sub(elapsed));
            if remaining == Some(Duration::ZERO) {
                self.cancel_all(&statuses);
                return Err(Error::Timeout {
                    what: format!("problem {}", pending.join(",")),
                    limit_ms: self.polling_timeout.map_or(0, |t| t.as_millis() as u64),
                });
            }
            let wait_s = remaining.map_or(self.long_poll_s, |r| r.as_secs().min(self.long_poll_s));
            let asked = Instant::now();
            for chunk in pending.chunks(STATUS_QUERY_SIZE) {
                let path = format!(
                    "problems/?id={}&timeout={wait_s}",
                    chunk
                        .iter()
                        .map(|i| encode_segment(i))
                        .collect::<Vec<_>>()
                        .join(",")
                );
                let answer = match self.get_json(&path, media::PROBLEMS, control, sampler) {
                    Ok(a) => a,
                    Err(e) => {
                        self.cancel_all(&statuses);
                        return Err(e);
                    }
                };
                let shown = redact_url(&self.url("problems/"));
                let list = answer.as_array().cloned().unwrap_or_else(|| vec![answer.clone()]);
                for item in &list {
                    let s = ProblemStatus::parse(&shown, item)?;
                    if let Some(slot) = statuses.iter_mut().find(|x| x.id == s.id) {
                        *slot = s;
                    }
                }
            }
            let done = statuses.iter().all(ProblemStatus::is_terminal);
            if !done && asked.elapsed() < Duration::from_secs(wait_s.max(1)) / 2 {
                // The server answered early without a final status: back off before asking again.
                let mut pause = backoff;
                if let Some(r) = remaining {
                    pause = pause.min(r.saturating_sub(asked.elapsed()));
                }
                if sleep(pause, control).is_err() {
                    self.cancel_all(&statuses);
                    return Err(stopped(sampler));
                }
                backoff = Duration::from_secs_f64(
                    (backoff.as_secs_f64() * POLL_BACKOFF.1).min(POLL_BACKOFF.2.as_secs_f64()),
                );
            }
            if control.stopped() {
                self.cancel_all(&statuses);
                return Err(stopped(sampler));
            }
        }
    }
}

fn names(solvers: &[SolverInfo]) -> String {
    if solvers.is_empty() {
        return "none".into();
    }
    solvers
        .iter()
        .map(|s| s.name().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SAPI endpoint of `config.region` from the metadata API (`GET regions/`).
fn resolve_region(http: &Http, config: &ResolvedConfig, control: &Control<'_>) -> Result<String> {
    let url = format!("{}regions/", config.metadata_api_endpoint);
    let r = req!(
        http.request(Method::Get, &url, Some(media::REGIONS), None, control),
        "dwave"
    );
    let list = r.json(&redact_url(&url), None)?;
    let regions = list.as_array().cloned().unwrap_or_default();
    for r in &regions {
        if r.get("code").and_then(Value::as_str) == Some(config.region.as_str())
            && let Some(e) = r.get("endpoint").and_then(Value::as_str)
        {
            return Ok(if e.ends_with('/') {
                e.to_owned()
            } else {
                format!("{e}/")
            });
        }
    }
    let codes: Vec<&str> = regions
        .iter()
        .filter_map(|r| r.get("code").and_then(Value::as_str))
        .collect();
    Err(DWaveError::Config(format!(
        "unknown region {:?}; the metadata API lists {}",
        config.region,
        codes.join(", ")
    ))
    .into())
}
