//! Routes, solvers and problem life cycle of the test server.

use crate::http::{Request, Response, read_request, write_response};
use crate::{LogEntry, Shared, log_json};
use base64::Engine as _;
use md5::{Digest, Md5};
use neuroquant::anneal::{Sampler, SimulatedAnnealing, SimulatedAnnealingParams};
use neuroquant::dwave::{SolverInfo, chimera_graph, decode_qp_problem, encode_qp_answer, pegasus_graph};
use neuroquant::qubo::{Bqm, Vartype};
use serde_json::{Map, Value, json};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The QPU-shaped solver's name.
pub const QPU_SOLVER: &str = "NQ_Chimera_C4";
/// The hybrid BQM solver's name.
pub const HYBRID_SOLVER: &str = "NQ_Hybrid_BQM";
/// Qubits of C(4,4,4) that the QPU solver reports as not working.
pub const MISSING_QUBITS: [u32; 3] = [13, 42, 97];
/// The Pegasus P(4) QPU solver's name.
pub const PEGASUS_SOLVER: &str = "NQ_Pegasus_P4";
/// Fabric qubits of P(4) that the Pegasus solver reports as not working.
pub const PEGASUS_MISSING_QUBITS: [u32; 3] = [40, 111, 200];

const M_SOLVER_LIST: &str = "application/vnd.dwave.sapi.solver-definition-list+json";
const M_SOLVER: &str = "application/vnd.dwave.sapi.solver-definition+json";
const M_PROBLEMS: &str = "application/vnd.dwave.sapi.problems+json";
const M_PROBLEM: &str = "application/vnd.dwave.sapi.problem+json";
const M_ANSWER: &str = "application/vnd.dwave.sapi.problem-answer+json";
const M_DATA: &str = "application/vnd.dwave.sapi.problem-data+json";
const M_REGIONS: &str = "application/vnd.dwave.metadata.regions+json";

const QPU_PARAMETERS: [&str; 16] = [
    "num_reads",
    "answer_mode",
    "annealing_time",
    "anneal_schedule",
    "anneal_offsets",
    "auto_scale",
    "flux_biases",
    "flux_drift_compensation",
    "h_gain_schedule",
    "initial_state",
    "reinitialize_state",
    "readout_thermalization",
    "programming_thermalization",
    "reduce_intersample_correlation",
    "label",
    "x_test_parameter",
];

/// The QPU solver's description, as `GET solvers/remote/` returns it.
pub fn qpu_solver_description() -> Value {
    let (n, edges) = chimera_graph(4, 4, 4);
    structured_description(
        QPU_SOLVER,
        "01a2b3c4d5",
        "A Chimera C(4,4,4) QPU-shaped solver answered by simulated annealing (neuroquant test server)",
        0.1,
        n,
        &edges,
        &MISSING_QUBITS,
        json!({"type": "chimera", "shape": [4, 4, 4]}),
    )
}

/// The Pegasus solver's description: dwave-networkx's `pegasus_graph(4)` (fabric only) less
/// [`PEGASUS_MISSING_QUBITS`]. More loaded than the Chimera one, so Ocean's default order
/// (`avg_load`) selects the Chimera solver.
pub fn pegasus_solver_description() -> Value {
    let (n, edges) = pegasus_graph(4);
    structured_description(
        PEGASUS_SOLVER,
        "0f1e2d3c4b",
        "A Pegasus P(4) QPU-shaped solver answered by simulated annealing (neuroquant test server)",
        0.6,
        n,
        &edges,
        &PEGASUS_MISSING_QUBITS,
        json!({"type": "pegasus", "shape": [4]}),
    )
}

/// A structured solver over the label space `0..n` whose working qubits are those on a coupler
/// of `edges`, less `missing`.
#[allow(clippy::too_many_arguments)]
fn structured_description(
    name: &str,
    graph_id: &str,
    description: &str,
    avg_load: f64,
    n: usize,
    edges: &[(u32, u32)],
    missing: &[u32],
    topology: Value,
) -> Value {
    let mut on_edge = vec![false; n];
    for &(a, b) in edges {
        on_edge[a as usize] = true;
        on_edge[b as usize] = true;
    }
    let qubits: Vec<u32> = (0..n as u32)
        .filter(|q| on_edge[*q as usize] && !missing.contains(q))
        .collect();
    let couplers: Vec<[u32; 2]> = edges
        .iter()
        .filter(|(a, b)| !missing.contains(a) && !missing.contains(b))
        .map(|&(a, b)| [a, b])
        .collect();
    let parameters: Map<String, Value> = QPU_PARAMETERS
        .iter()
        .map(|p| (p.to_string(), json!(format!("Parameter {p}."))))
        .collect();
    json!({
        "identity": {"name": name, "version": {"graph_id": graph_id}},
        "status": "ONLINE",
        "description": description,
        "avg_load": avg_load,
        "properties": {
            "category": "qpu",
            "chip_id": name,
            "num_qubits": n,
            "qubits": qubits,
            "couplers": couplers,
            "h_range": [-2.0, 2.0],
            "j_range": [-1.0, 1.0],
            "extended_j_range": [-2.0, 1.0],
            "per_qubit_coupling_range": [-9.0, 6.0],
            "num_reads_range": [1, 100],
            "annealing_time_range": [0.5, 2000.0],
            "default_annealing_time": 20.0,
            "default_readout_thermalization": 0.0,
            "default_programming_thermalization": 1000.0,
            "readout_thermalization_range": [0.0, 10000.0],
            "programming_thermalization_range": [0.0, 10000.0],
            "problem_run_duration_range": [0.0, 1000000.0],
            "max_anneal_schedule_points": 12,
            "max_h_gain_schedule_points": 20,
            "anneal_offset_ranges": vec![[-0.5, 0.5]; n],
            "anneal_offset_step": -0.0001,
            "anneal_offset_step_phi0": 0.0003,
            "h_gain_schedule_range": [-4.0, 4.0],
            "supported_problem_types": ["qubo", "ising"],
            "parameters": parameters,
            "topology": topology,
            "vfyc": false,
            "tags": [],
            "problem_timing_data": {
                "version": "1.0.1", "typical_programming_time": 8000.0, "ta_readout_time_per_sample": 120.0,
                "readout_time_model": "pwl_log_log", "readout_time_model_parameters": [1.0, 2.0, 3.0, 100.0, 110.0, 130.0],
                "qpu_delay_time_per_sample": 20.0, "decorrelation_max_nominal_anneal_time": 2000.0,
                "decorrelation_time_range": [500.0, 10000.0], "frame_switching_time": 0.0
            },
        }
    })
}

fn hybrid_solver_description() -> Value {
    json!({
        "identity": {"name": HYBRID_SOLVER, "version": {}},
        "status": "ONLINE",
        "description": "A hybrid BQM solver answered by simulated annealing (neuroquant test server)",
        "avg_load": 0.0,
        "properties": {
            "category": "hybrid",
            "supported_problem_types": ["bqm"],
            "minimum_time_limit": [[1, 0.1], [1024, 1.0], [4096, 2.0], [1000000, 60.0]],
            "maximum_time_limit_hrs": 24.0,
            "maximum_number_of_variables": 1000000,
            "maximum_number_of_biases": 200000000,
            "quota_conversion_rate": 20,
            "parameters": {"time_limit": "Maximum requested runtime in seconds."},
        }
    })
}

fn solvers() -> Vec<Value> {
    vec![
        qpu_solver_description(),
        pegasus_solver_description(),
        hybrid_solver_description(),
    ]
}

pub(crate) enum Outcome {
    Completed(Value),
    Failed(String),
    Cancelled,
}

pub(crate) struct Problem {
    pub(crate) id: String,
    solver: Value,
    kind: String,
    label: Option<String>,
    submitted_on: String,
    ready_at: Instant,
    polls_left: u64,
    outcome: Outcome,
    cancelled: bool,
    data: Value,
    params: Value,
}

impl Problem {
    pub(crate) fn status(&self) -> &'static str {
        if self.cancelled {
            return "CANCELLED";
        }
        if self.polls_left > 0 || Instant::now() < self.ready_at {
            return if self.polls_left % 2 == 1 {
                "IN_PROGRESS"
            } else {
                "PENDING"
            };
        }
        match self.outcome {
            Outcome::Completed(_) => "COMPLETED",
            Outcome::Failed(_) => "FAILED",
            Outcome::Cancelled => "CANCELLED",
        }
    }

    fn message(&self, with_answer: bool) -> Value {
        let status = self.status();
        let mut m = json!({"id": self.id, "type": self.kind, "solver": self.solver, "label": self.label,
                           "status": status, "submitted_on": self.submitted_on});
        if status == "COMPLETED" || status == "FAILED" {
            m["solved_on"] = json!(self.submitted_on);
        }
        if status == "FAILED"
            && let Outcome::Failed(msg) = &self.outcome
        {
            m["error_message"] = json!(msg);
        }
        if with_answer
            && status == "COMPLETED"
            && let Outcome::Completed(a) = &self.outcome
        {
            m["answer"] = a.clone();
        }
        m
    }
}

pub(crate) struct Upload {
    id: String,
    size: usize,
    parts: std::collections::BTreeMap<usize, (String, Vec<u8>)>,
    combined: Option<Vec<u8>>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn now_iso(shared: &Shared) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let _ = shared;
    let days = (secs / 86400.0).floor() as i64;
    let rem = secs - days as f64 * 86400.0;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let (h, mi, s) = ((rem / 3600.0) as u32, ((rem % 3600.0) / 60.0) as u32, rem % 60.0);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:09.6}Z")
}

fn classify(method: &str, path: &str) -> String {
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    let r = match (method, p.as_slice()) {
        (_, ["_nq", ..]) => "control",
        ("GET", ["metadata", "v1", "regions"]) => "regions",
        ("GET", ["sapi", "solvers", "remote"]) => "solvers",
        ("GET", ["sapi", "solvers", "remote", _]) => "solver",
        ("POST", ["sapi", "problems"]) => "submit",
        ("GET", ["sapi", "problems"]) => "status",
        ("DELETE", ["sapi", "problems"]) | ("DELETE", ["sapi", "problems", _]) => "cancel",
        ("GET", ["sapi", "problems", _]) => "problem",
        ("GET", ["sapi", "problems", _, "answer"]) => "answer",
        ("GET", ["sapi", "problems", _, "info"]) => "info",
        ("POST", ["sapi", "bqm", "multipart"]) => "upload_init",
        ("PUT", ["sapi", "bqm", "multipart", _, "part", _]) => "upload_part",
        ("GET", ["sapi", "bqm", "multipart", _, "status"]) => "upload_status",
        ("POST", ["sapi", "bqm", "multipart", _, "combine"]) => "combine",
        _ => "unknown",
    };
    r.to_owned()
}

pub(crate) fn serve(shared: Arc<Shared>, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let Ok(req) = read_request(&mut stream) else {
        return;
    };
    let route = classify(&req.method, &req.path);
    let (token_ok, fault) = {
        let mut st = shared.state.lock().unwrap();
        let token_ok = req.header("X-Auth-Token") == Some(st.scenario.token.as_str());
        let fault = st
            .scenario
            .faults
            .iter_mut()
            .find(|f| {
                f.times > 0
                    && (f.route == route || f.route == "any")
                    && f.method
                        .as_deref()
                        .is_none_or(|m| m.eq_ignore_ascii_case(&req.method))
                    && route != "control"
            })
            .map(|f| {
                f.times -= 1;
                f.clone()
            });
        (token_ok, fault)
    };
    let response = if let Some(f) = fault {
        std::thread::sleep(Duration::from_millis(f.delay_ms));
        if f.drop {
            log(&shared, &req, &route, 0, token_ok);
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
        Response {
            status: f.status,
            content_type: f.content_type.clone(),
            headers: f.headers.clone(),
            body: f.body.clone().into_bytes(),
        }
    } else if route == "control" {
        control(&shared, &req)
    } else if route != "regions" && !token_ok {
        Response::error(401, "Invalid token or access denied.")
    } else {
        handle(&shared, &req, &route)
    };
    log(&shared, &req, &route, response.status, token_ok);
    let _ = write_response(&mut stream, &response);
}

fn log(shared: &Shared, req: &Request, route: &str, status: u16, token_ok: bool) {
    let mut st = shared.state.lock().unwrap();
    let at_ms = st.started.elapsed().as_millis() as u64;
    st.log.push(LogEntry {
        method: req.method.clone(),
        path: req.path.clone(),
        query: req
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
        route: route.to_owned(),
        status,
        token_ok,
        accept: req.header("Accept").map(str::to_owned),
        content_type: req.header("Content-Type").map(str::to_owned),
        user_agent: req.header("User-Agent").map(str::to_owned),
        at_ms,
    });
}

fn control(shared: &Shared, req: &Request) -> Response {
    match (req.method.as_str(), req.path.trim_end_matches('/')) {
        ("POST", "/_nq/scenario") => {
            let v: Value = match serde_json::from_slice(&req.body) {
                Ok(v) => v,
                Err(e) => return Response::error(400, &format!("scenario is not JSON: {e}")),
            };
            match crate::Scenario::from_json(&v) {
                Ok(s) => {
                    let mut st = shared.state.lock().unwrap();
                    st.scenario = s;
                    st.counter = 0;
                    st.log.clear();
                    st.problems.clear();
                    st.uploads.clear();
                    Response::json(200, "application/json", &json!({"ok": true}))
                }
                Err(e) => Response::error(400, &e),
            }
        }
        ("GET", "/_nq/log") => Response::json(
            200,
            "application/json",
            &log_json(&shared.state.lock().unwrap().log),
        ),
        ("GET", "/_nq/problems") => {
            let st = shared.state.lock().unwrap();
            let list: Vec<Value> = st
                .problems
                .iter()
                .map(|p| json!({"id": p.id, "status": p.status(), "params": p.params, "type": p.kind}))
                .collect();
            Response::json(200, "application/json", &Value::Array(list))
        }
        _ => Response::error(404, "unknown control route"),
    }
}

fn segment(path: &str, i: usize) -> String {
    path.trim_matches('/').split('/').nth(i).unwrap_or("").to_owned()
}

fn handle(shared: &Shared, req: &Request, route: &str) -> Response {
    match route {
        "regions" => {
            let port = shared.state.lock().unwrap().port;
            Response::json(
                200,
                M_REGIONS,
                &json!([{"code": "local-1", "name": "Local test region", "endpoint": format!("http://127.0.0.1:{port}/sapi/v2/")}]),
            )
        }
        "solvers" => Response::json(200, M_SOLVER_LIST, &Value::Array(solvers())),
        "solver" => {
            let name = segment(&req.path, 3);
            match solvers()
                .into_iter()
                .find(|s| s["identity"]["name"] == json!(name))
            {
                Some(s) => Response::json(200, M_SOLVER, &s),
                None => Response::error(
                    404,
                    &format!("Solver does not exist or apikey does not have access: {name}"),
                ),
            }
        }
        "submit" => submit(shared, req),
        "status" => status(shared, req),
        "problem" | "answer" | "info" => {
            let id = segment(&req.path, 2);
            let st = shared.state.lock().unwrap();
            let Some(p) = st.problems.iter().find(|p| p.id == id) else {
                return Response::error(404, &format!("Problem does not exist: {id}"));
            };
            match route {
                "problem" => Response::json(200, M_PROBLEM, &p.message(true)),
                "answer" => match &p.outcome {
                    Outcome::Completed(a) if p.status() == "COMPLETED" => {
                        Response::json(200, M_ANSWER, &json!({"answer": a}))
                    }
                    _ => Response::error(404, "Problem has no answer"),
                },
                _ => Response::json(
                    200,
                    M_DATA,
                    &json!({"id": p.id, "data": p.data, "params": p.params, "metadata": p.message(false)}),
                ),
            }
        }
        "cancel" => {
            let ids: Vec<String> = if segment(&req.path, 2).is_empty() {
                serde_json::from_slice::<Vec<String>>(&req.body).unwrap_or_default()
            } else {
                vec![segment(&req.path, 2)]
            };
            let mut st = shared.state.lock().unwrap();
            let mut out = Vec::new();
            for id in &ids {
                if let Some(p) = st.problems.iter_mut().find(|p| &p.id == id) {
                    if !matches!(p.status(), "COMPLETED" | "FAILED") {
                        p.cancelled = true;
                    }
                    out.push(p.message(false));
                } else {
                    out.push(
                        json!({"error_code": 404, "error_msg": format!("Problem does not exist: {id}")}),
                    );
                }
            }
            shared.changed.notify_all();
            if segment(&req.path, 2).is_empty() {
                Response::json(200, M_PROBLEMS, &Value::Array(out))
            } else {
                Response::json(200, M_PROBLEM, &out.pop().unwrap_or(Value::Null))
            }
        }
        "upload_init" => {
            let v: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let Some(size) = v.get("size").and_then(Value::as_u64) else {
                return Response::error(400, "`size` is required");
            };
            let mut st = shared.state.lock().unwrap();
            st.counter += 1;
            let id = format!("{:08x}-0000-4000-9000-{:012x}", st.counter, st.counter);
            st.uploads.push(Upload {
                id: id.clone(),
                size: size as usize,
                parts: Default::default(),
                combined: None,
            });
            Response::json(200, "application/json", &json!({"id": id}))
        }
        "upload_part" => {
            let id = segment(&req.path, 3);
            let part: usize = segment(&req.path, 5).parse().unwrap_or(0);
            let digest = Md5::digest(&req.body);
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            if req.header("Content-MD5") != Some(b64.as_str()) {
                return Response::error(400, "Content-MD5 does not match the part's MD5");
            }
            let mut st = shared.state.lock().unwrap();
            let Some(u) = st.uploads.iter_mut().find(|u| u.id == id) else {
                return Response::error(404, "upload does not exist");
            };
            if part == 0 || u.combined.is_some() {
                return Response::error(400, "invalid part number or upload already combined");
            }
            u.parts.insert(part, (hex(&digest), req.body.clone()));
            Response::json(200, "application/json", &json!({}))
        }
        "upload_status" => {
            let id = segment(&req.path, 3);
            let st = shared.state.lock().unwrap();
            let Some(u) = st.uploads.iter().find(|u| u.id == id) else {
                return Response::error(404, "upload does not exist");
            };
            let parts: Vec<Value> = u
                .parts
                .iter()
                .map(|(k, (c, _))| json!({"part_number": k, "checksum": c}))
                .collect();
            let status = if u.combined.is_some() {
                "UPLOAD_COMPLETED"
            } else {
                "UPLOAD_IN_PROGRESS"
            };
            Response::json(
                200,
                "application/json",
                &json!({"status": status, "parts": parts}),
            )
        }
        "combine" => {
            let id = segment(&req.path, 3);
            let v: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let mut st = shared.state.lock().unwrap();
            let Some(u) = st.uploads.iter_mut().find(|u| u.id == id) else {
                return Response::error(404, "upload does not exist");
            };
            let hexes: Vec<String> = u.parts.values().map(|(c, _)| c.clone()).collect();
            let expected = neuroquant::dwave::combined_checksum(&hexes);
            if v.get("checksum").and_then(Value::as_str) != Some(expected.as_str()) {
                return Response::error(400, "combined checksum does not match");
            }
            let data: Vec<u8> = u.parts.values().flat_map(|(_, d)| d.iter().copied()).collect();
            if data.len() != u.size || u.parts.keys().enumerate().any(|(i, &k)| k != i + 1) {
                return Response::error(400, "parts are missing or the size differs from the declared one");
            }
            u.combined = Some(data);
            Response::json(200, "application/json", &json!({}))
        }
        _ => Response::error(404, &format!("no route for {} {}", req.method, req.path)),
    }
}

fn submit(shared: &Shared, req: &Request) -> Response {
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => return Response::error(400, &format!("request body is not JSON: {e}")),
    };
    let single = body.is_object();
    let jobs = match body {
        Value::Array(a) => a,
        o @ Value::Object(_) => vec![o],
        _ => return Response::error(400, "expected a list of problems"),
    };
    let mut out = Vec::new();
    for job in jobs {
        out.push(match accept(shared, &job) {
            Ok(m) => m,
            Err(msg) => json!({"error_code": 400, "error_msg": msg}),
        });
    }
    shared.changed.notify_all();
    if single {
        Response::json(200, M_PROBLEM, &out.pop().unwrap_or(Value::Null))
    } else {
        Response::json(200, M_PROBLEMS, &Value::Array(out))
    }
}

fn accept(shared: &Shared, job: &Value) -> Result<Value, String> {
    let solver_name = job
        .pointer("/solver/name")
        .or(job.get("solver"))
        .and_then(Value::as_str)
        .ok_or("`solver` is required")?
        .to_owned();
    let desc = solvers()
        .into_iter()
        .find(|s| s["identity"]["name"] == json!(solver_name))
        .ok_or(format!("Solver does not exist: {solver_name}"))?;
    let kind = job
        .get("type")
        .and_then(Value::as_str)
        .ok_or("`type` is required")?
        .to_owned();
    let params = job.get("params").cloned().unwrap_or(json!({}));
    let data = job.get("data").cloned().unwrap_or(Value::Null);
    let info = SolverInfo::from_json("local", &desc).map_err(|e| e.to_string())?;
    if !info.supports(&kind) {
        return Err(format!(
            "Solver {solver_name} does not support problem type {kind}"
        ));
    }
    if let Some(p) = params.as_object() {
        for k in p.keys() {
            if !info.accepts_parameter(k) {
                return Err(format!("Unknown parameter: {k}"));
            }
        }
    }
    let (seed, scenario) = {
        let mut st = shared.state.lock().unwrap();
        st.counter += 1;
        (st.scenario.seed.wrapping_add(st.counter), st.scenario.clone())
    };
    let answer = if kind == "bqm" {
        solve_bqm(shared, &data, seed)?
    } else {
        solve_qp(&info, &kind, &data, &params, seed)?
    };
    let outcome = match (&scenario.fail, scenario.cancel) {
        (Some(msg), _) => Outcome::Failed(msg.clone()),
        (None, true) => Outcome::Cancelled,
        _ => Outcome::Completed(answer),
    };
    let mut st = shared.state.lock().unwrap();
    let id = format!(
        "{:08x}-{:04x}-4000-8000-{:012x}",
        seed,
        st.counter & 0xffff,
        st.counter
    );
    let problem = Problem {
        id,
        solver: desc["identity"].clone(),
        kind,
        label: job.get("label").and_then(Value::as_str).map(str::to_owned),
        submitted_on: now_iso(shared),
        ready_at: Instant::now() + Duration::from_millis(scenario.solve_delay_ms),
        polls_left: scenario.pending_polls,
        outcome,
        cancelled: false,
        data,
        params,
    };
    let message = problem.message(true);
    st.problems.push(problem);
    Ok(message)
}

fn solve_qp(info: &SolverInfo, kind: &str, data: &Value, params: &Value, seed: u64) -> Result<Value, String> {
    let (linear, quadratic, _offset) = decode_qp_problem(info, data).map_err(|e| e.to_string())?;
    let active: Vec<u32> = (0..linear.len() as u32)
        .filter(|&q| linear[q as usize].is_some())
        .collect();
    let index: std::collections::HashMap<u32, u32> =
        active.iter().enumerate().map(|(i, &q)| (q, i as u32)).collect();
    let vartype = if kind == "ising" {
        Vartype::Spin
    } else {
        Vartype::Binary
    };
    let mut bqm = Bqm::with_variables(vartype, active.len()).map_err(|e| e.to_string())?;
    for (i, &q) in active.iter().enumerate() {
        bqm.set_linear(i as u32, linear[q as usize].unwrap_or(0.0))
            .map_err(|e| e.to_string())?;
    }
    for &(a, b, j) in &quadratic {
        bqm.add_quadratic(index[&a], index[&b], j)
            .map_err(|e| e.to_string())?;
    }
    let num_reads = params.get("num_reads").and_then(Value::as_u64).unwrap_or(1);
    let [lo, hi] = info.range("num_reads_range").unwrap_or([1.0, 100.0]);
    if !(lo <= num_reads as f64 && num_reads as f64 <= hi) {
        return Err(format!(
            "num_reads {num_reads} is outside num_reads_range [{lo}, {hi}]"
        ));
    }
    let histogram = params.get("answer_mode").and_then(Value::as_str) != Some("raw");
    let sa = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .num_reads(num_reads as usize)
            .seed(seed)
            .num_sweeps(2000usize),
    )
    .map_err(|e| e.to_string())?;
    let mut set = sa.sample(&bqm).map_err(|e| e.to_string())?;
    if histogram {
        set = set.aggregate();
        let order = set.order_by_energy();
        set = set.select(&order).map_err(|e| e.to_string())?;
    }
    let timing = json!({
        "qpu_sampling_time": 20.0 * num_reads as f64 + 140.0 * num_reads as f64,
        "qpu_anneal_time_per_sample": 20.0,
        "qpu_readout_time_per_sample": 120.0,
        "qpu_access_time": 8000.0 + 160.0 * num_reads as f64,
        "qpu_access_overhead_time": 600.0,
        "qpu_programming_time": 8000.0,
        "qpu_delay_time_per_sample": 20.0,
        "total_post_processing_time": 100.0,
        "post_processing_overhead_time": 100.0,
    });
    let Value::Object(timing) = timing else {
        unreachable!()
    };
    Ok(encode_qp_answer(
        set.samples(),
        set.energies(),
        histogram.then_some(set.num_occurrences()),
        &active,
        info.num_qubits(),
        timing,
    ))
}

fn solve_bqm(shared: &Shared, data: &Value, seed: u64) -> Result<Value, String> {
    if data.get("format").and_then(Value::as_str) != Some("ref") {
        return Err("hybrid problems must be submitted by reference (format \"ref\")".into());
    }
    let id = data
        .get("data")
        .and_then(Value::as_str)
        .ok_or("`data.data` is required")?;
    let blob = {
        let st = shared.state.lock().unwrap();
        st.uploads
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.combined.clone())
            .ok_or(format!("Problem data {id} is not uploaded"))?
    };
    let model =
        neuroquant::qubo::formats::read_dimodbqm(&blob).map_err(|e| format!("invalid DIMODBQM file: {e}"))?;
    let n = model.bqm.num_variables();
    let sa = SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_reads(64usize).seed(seed))
        .map_err(|e| e.to_string())?;
    let set = sa.sample(&model.bqm).map_err(|e| e.to_string())?.aggregate();
    let best = set.order_by_energy();
    let set = set
        .select(&best[..best.len().min(1)])
        .map_err(|e| e.to_string())?;
    let words = n.div_ceil(32);
    let rows: Vec<Value> = (0..set.len())
        .map(|r| {
            let mut w = vec![0u32; words];
            for (j, &x) in set.sample(r).iter().enumerate() {
                if x > 0 {
                    w[j / 32] |= 1 << (j % 32);
                }
            }
            json!(w)
        })
        .collect();
    let labels = model
        .labels
        .clone()
        .unwrap_or_else(|| (0..n).map(|i| json!(i)).collect());
    let vartype = match model.bqm.vartype() {
        Vartype::Spin => "SPIN",
        Vartype::Binary => "BINARY",
    };
    let sampleset = json!({
        "type": "SampleSet", "version": {"sampleset_schema": "3.2.0"},
        "num_variables": n, "num_rows": set.len(),
        "sample_data": {"type": "array", "data": rows, "data_type": "uint32", "shape": [set.len(), words], "use_bytes": false},
        "sample_type": "int8", "sample_packed": true,
        "vectors": {
            "energy": {"type": "array", "data": set.energies(), "data_type": "float64", "shape": [set.len()], "use_bytes": false},
            "num_occurrences": {"type": "array", "data": set.num_occurrences(), "data_type": "int64", "shape": [set.len()], "use_bytes": false},
        },
        "variable_labels": labels, "variable_type": vartype,
        "info": {"problem_id": id, "timing": {"qpu_access_time": 12345, "charge_time": 3000000, "run_time": 3000000}},
    });
    Ok(json!({"format": "bq", "data": sampleset}))
}

fn status(shared: &Shared, req: &Request) -> Response {
    let ids: Vec<String> = req
        .param("id")
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let wait_ms = {
        let st = shared.state.lock().unwrap();
        req.param("timeout")
            .and_then(|t| t.parse::<f64>().ok())
            .map_or(0, |t| (t * 1000.0) as u64)
            .min(st.scenario.max_poll_wait_ms)
    };
    let deadline = Instant::now() + Duration::from_millis(wait_ms);
    let mut st = shared.state.lock().unwrap();
    loop {
        let pending_polls = st
            .problems
            .iter()
            .any(|p| ids.contains(&p.id) && p.polls_left > 0 && !p.cancelled);
        let all_done = ids.iter().all(|id| {
            st.problems
                .iter()
                .find(|p| &p.id == id)
                .is_none_or(|p| matches!(p.status(), "COMPLETED" | "FAILED" | "CANCELLED"))
        });
        if pending_polls
            || all_done
            || Instant::now() >= deadline
            || shared.stop.load(std::sync::atomic::Ordering::Relaxed)
        {
            break;
        }
        st = shared
            .changed
            .wait_timeout(st, Duration::from_millis(20))
            .unwrap()
            .0;
    }
    let mut out = Vec::new();
    for id in &ids {
        match st.problems.iter_mut().find(|p| &p.id == id) {
            Some(p) => {
                out.push(p.message(false));
                p.polls_left = p.polls_left.saturating_sub(1);
            }
            None => {
                out.push(json!({"error_code": 404, "error_msg": format!("Problem does not exist: {id}")}))
            }
        }
    }
    Response::json(200, M_PROBLEMS, &Value::Array(out))
}
