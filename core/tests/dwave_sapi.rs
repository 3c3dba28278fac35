//! The D-Wave client against the local SAPI test server (`sapi-testserver`): QPU and hybrid
//! sampling checked against exact ground states, read splitting, pending → completed, FAILED,
//! CANCELLED, 401, 429 with Retry-After, 5xx HTML pages, malformed bodies, slow answers with an
//! interrupt (the problem is cancelled), polling time-outs, unknown solvers, invalid
//! parameters before any request, upload resume, and the HVAC QUBO through
//! `FallbackSampler(D-Wave → local)` with the server up and down.
#![cfg(feature = "dwave")]

use neuroquant::anneal::{
    Control, ExactSolver, FallbackSampler, Sampler, SimulatedAnnealing, SimulatedAnnealingParams,
};
use neuroquant::dwave::{
    Client, DWaveConfig, DWaveError, DWaveSampler, EmbeddingCompositeParams, EmbeddingSampler, HybridParams,
    LeapHybridSampler, QpuParams, ResolvedConfig, SolverFilter, Token,
};
use neuroquant::qubo::{Bqm, Vartype};
use neuroquant::{Error, ErrorKind};
use neuroquant_sapi_testserver::{DEFAULT_TOKEN, HYBRID_SOLVER, QPU_SOLVER, Scenario, Server};
use serde_json::json;
use std::time::{Duration, Instant};

fn server(s: serde_json::Value) -> Server {
    Server::start(Scenario::from_json(&s).unwrap()).unwrap()
}

fn config(srv: &Server) -> DWaveConfig {
    DWaveConfig::default()
        .endpoint(srv.endpoint())
        .token(Token::new(DEFAULT_TOKEN).unwrap())
        .config_file(String::new())
}

fn client(srv: &Server) -> Client {
    let mut c = Client::new(
        &ResolvedConfig::for_endpoint(&srv.endpoint(), Some(DEFAULT_TOKEN)).unwrap(),
        &Control::default(),
    )
    .unwrap();
    c.set_long_poll_seconds(2);
    c
}

fn qpu(srv: &Server, params: QpuParams) -> DWaveSampler {
    let c = client(srv);
    let solver = c
        .select_solver(&SolverFilter::Name(QPU_SOLVER.into()), &Control::default())
        .unwrap();
    DWaveSampler::with_solver(c, solver, params).unwrap()
}

/// A frustrated Ising model on one Chimera cell (qubits 0..4 and 4..8 form K(4,4)), random
/// couplings from a fixed list.
fn cell_model() -> Bqm {
    let mut b = Bqm::with_variables(Vartype::Spin, 8).unwrap();
    let js = [0.5, -1.0, 0.75, -0.25, 1.0, -0.5, 0.25, -0.75];
    let mut i = 0;
    for u in 0..4u32 {
        for v in 4..8u32 {
            b.add_quadratic(u, v, js[i % js.len()] * if (u + v) % 3 == 0 { -1.0 } else { 1.0 })
                .unwrap();
            i += 1;
        }
        b.set_linear(u, 0.1 * u as f64 - 0.2).unwrap();
    }
    b.set_offset(1.5).unwrap();
    b
}

fn ground(b: &Bqm) -> f64 {
    ExactSolver::default().sample(b).unwrap().first().unwrap().1
}

#[test]
fn qpu_sampling_finds_the_ground_state_and_reports_sapi_timing() {
    let srv = server(json!({}));
    let s = DWaveSampler::new(&config(&srv), QpuParams::default().num_reads(20usize)).unwrap();
    assert_eq!(s.solver().name(), QPU_SOLVER, "the default filter picks the QPU");
    assert!(!s.nodelist().contains(&13), "missing qubits are not nodes");
    let b = cell_model();
    let set = s.sample(&b).unwrap();
    let e0 = ground(&b);
    assert!(
        (set.first().unwrap().1 - e0).abs() < 1e-9,
        "{} vs {e0}",
        set.first().unwrap().1
    );
    // Energies are the model's (offset included), recomputed independently.
    let recomputed = b.energies_vec(set.samples()).unwrap();
    for (a, r) in set.energies().iter().zip(&recomputed) {
        assert!((a - r).abs() < 1e-9);
    }
    assert_eq!(
        set.num_occurrences().iter().sum::<u64>(),
        20,
        "histogram counts add up to num_reads"
    );
    let info = set.info();
    assert_eq!(info.sampler, "dwave");
    assert!(info.extra["timing"]["qpu_access_time"].as_f64().unwrap() > 0.0);
    assert!(info.extra["problem_id"].is_string());
    // Protocol: the token header, versioned Accept, qp data.
    let log = srv.log();
    assert!(log.iter().all(|e| e.token_ok));
    let submit = log.iter().find(|e| e.route == "submit").unwrap();
    assert!(
        submit
            .accept
            .as_deref()
            .unwrap()
            .contains("application/vnd.dwave.sapi.problems+json; version=3.0.0")
    );
    assert!(
        log.iter()
            .all(|e| !e.query.contains(DEFAULT_TOKEN) && !e.path.contains(DEFAULT_TOKEN))
    );
}

#[test]
fn reads_above_the_solver_limit_are_split_over_problems() {
    let srv = server(json!({}));
    let s = qpu(
        &srv,
        QpuParams::default()
            .num_reads(250usize)
            .answer_mode(neuroquant::dwave::AnswerMode::Raw),
    );
    let set = s.sample(&cell_model()).unwrap();
    assert_eq!(set.len(), 250);
    assert_eq!(srv.problems().len(), 3, "100 + 100 + 50 reads");
    assert_eq!(set.info().extra["problem_ids"].as_array().unwrap().len(), 3);
}

#[test]
fn pending_problems_are_polled_until_completed() {
    let srv = server(json!({"pending_polls": 3}));
    let s = qpu(&srv, QpuParams::default().num_reads(5usize));
    let set = s.sample(&cell_model()).unwrap();
    assert_eq!(set.num_occurrences().iter().sum::<u64>(), 5);
    assert!(srv.count("status") >= 3, "{:?}", srv.log());
    assert_eq!(srv.count("problem"), 1, "the answer is fetched once completed");
}

#[test]
fn failed_and_cancelled_problems_are_structured_errors() {
    let srv = server(json!({"fail": "solver out of coffee", "pending_polls": 1}));
    let e = qpu(&srv, QpuParams::default()).sample(&cell_model()).unwrap_err();
    assert!(
        matches!(&e, Error::DWave(DWaveError::ProblemFailed { message, .. }) if message == "solver out of coffee"),
        "{e}"
    );
    srv.set_scenario(Scenario::from_json(&json!({"cancel": true})).unwrap());
    let e = qpu(&srv, QpuParams::default()).sample(&cell_model()).unwrap_err();
    assert!(
        matches!(e, Error::DWave(DWaveError::ProblemCancelled { .. })),
        "{e}"
    );
    assert_eq!(e.kind(), ErrorKind::Interrupted);
}

#[test]
fn a_bad_token_is_an_authentication_error_that_never_shows_the_token() {
    let srv = server(json!({}));
    let secret = "SECRET-TOKEN-1234567890";
    let cfg = DWaveConfig::default()
        .endpoint(srv.endpoint())
        .token(Token::new(secret).unwrap())
        .config_file(String::new());
    let e = DWaveSampler::new(&cfg, QpuParams::default()).unwrap_err();
    assert!(
        matches!(e, Error::DWave(DWaveError::Authentication { status: 401, .. })),
        "{e}"
    );
    assert_eq!(e.kind(), ErrorKind::Network);
    for text in [e.to_string(), format!("{e:?}"), format!("{cfg:?}")] {
        assert!(!text.contains(secret), "{text}");
    }
    let missing = DWaveConfig::default()
        .endpoint(srv.endpoint())
        .config_file(String::new());
    let e = DWaveSampler::new(&missing, QpuParams::default());
    // DWAVE_API_TOKEN may be set in a developer's shell; without it the token is missing.
    if std::env::var("DWAVE_API_TOKEN").is_err() {
        assert!(matches!(e.unwrap_err(), Error::DWave(DWaveError::MissingToken)));
    }
}

#[test]
fn rate_limits_honour_retry_after_on_submissions() {
    let srv = server(
        json!({"faults": [{"route": "submit", "times": 1, "status": 429, "headers": {"Retry-After": "1"},
                                           "body": "{\"error_code\": 429, \"error_msg\": \"Too many requests\"}"}]}),
    );
    let set = qpu(&srv, QpuParams::default()).sample(&cell_model()).unwrap();
    assert_eq!(set.len(), 1);
    let submits: Vec<_> = srv.log().into_iter().filter(|e| e.route == "submit").collect();
    assert_eq!(submits.len(), 2);
    assert_eq!(submits[0].status, 429);
    let gap = submits[1].at_ms - submits[0].at_ms;
    assert!(gap >= 950, "retried after {gap} ms, Retry-After said 1 s");
}

#[test]
fn server_errors_and_html_pages_are_retried_then_reported() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let srv = server(
        json!({"faults": [{"route": "solvers", "times": 2, "status": 502, "content_type": "text/html", "body": html},
                                       {"route": "status", "times": 1, "drop": true}],
                            "pending_polls": 1}),
    );
    let c = client(&srv);
    assert_eq!(c.solvers(&Control::default()).unwrap().len(), 3);
    assert_eq!(srv.count("solvers"), 3);
    let set = qpu(&srv, QpuParams::default()).sample(&cell_model()).unwrap();
    assert_eq!(set.len(), 1, "a dropped connection on a poll is retried");
    // Persistent 5xx: the error says what the proxy answered.
    srv.set_scenario(Scenario::from_json(&json!({"faults": [{"route": "solver", "times": 100, "status": 503, "content_type": "text/html", "body": html}]})).unwrap());
    let t = Instant::now();
    let stop_after = || t.elapsed() > Duration::from_secs(2);
    let e = c
        .solver(QPU_SOLVER, &Control::default().with_interrupt(&stop_after))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e}");
}

#[test]
fn malformed_answers_are_network_errors() {
    let srv = server(
        json!({"faults": [{"route": "solvers", "times": 1, "status": 200, "content_type": "application/vnd.dwave.sapi.solver-definition-list+json; version=3.0.0", "body": "{not json"}]}),
    );
    let e = client(&srv).solvers(&Control::default()).unwrap_err();
    assert!(
        matches!(&e, Error::Network { message, .. } if message.contains("malformed JSON")),
        "{e}"
    );
    srv.set_scenario(Scenario::from_json(&json!({"faults": [{"route": "solvers", "times": 1, "status": 200, "content_type": "application/json", "body": "[]"}]})).unwrap());
    let e = client(&srv).solvers(&Control::default()).unwrap_err();
    assert!(e.to_string().contains("media type"), "{e}");
}

#[test]
fn an_interrupt_while_waiting_cancels_the_problem_within_milliseconds() {
    let srv = server(json!({"solve_delay_ms": 20000}));
    let s = qpu(&srv, QpuParams::default());
    let t = Instant::now();
    let flag = || t.elapsed() > Duration::from_millis(300);
    let e = s
        .sample_with(&cell_model(), &Control::default().with_interrupt(&flag))
        .unwrap_err();
    let took = t.elapsed();
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e}");
    assert!(took < Duration::from_millis(1500), "stopped after {took:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(srv.problems()[0].1, "CANCELLED");
}

#[test]
fn polling_timeout_is_a_timeout_error() {
    let srv = server(json!({"solve_delay_ms": 20000}));
    let cfg = config(&srv).polling_timeout(0.5);
    let s = DWaveSampler::new(&cfg, QpuParams::default()).unwrap();
    let t = Instant::now();
    let e = s.sample(&cell_model()).unwrap_err();
    assert!(matches!(e, Error::Timeout { limit_ms: 500, .. }), "{e}");
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[test]
fn unknown_solvers_and_invalid_parameters_fail_before_any_problem() {
    let srv = server(json!({}));
    let e = DWaveSampler::new(
        &config(&srv).solver("Advantage_nope".to_string()),
        QpuParams::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::DWave(DWaveError::SolverNotFound { available, .. }) if available.contains(QPU_SOLVER)),
        "{e}"
    );
    let e = DWaveSampler::new(
        &config(&srv).solver(r#"{"num_qubits__gt": 5000}"#.to_string()),
        QpuParams::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::DWave(DWaveError::SolverNotFound { .. })),
        "{e}"
    );
    let s = qpu(&srv, QpuParams::default().annealing_time(5000.0));
    let e = s.sample(&cell_model()).unwrap_err();
    assert!(
        e.to_string().contains("annealing_time") && e.to_string().contains("annealing_time_range"),
        "{e}"
    );
    let s = qpu(&srv, QpuParams::default().anneal_offsets(vec![0.0; 3]));
    assert!(
        s.sample(&cell_model())
            .unwrap_err()
            .to_string()
            .contains("128 qubits")
    );
    // A variable on a missing qubit, an interaction without a coupler.
    let mut b = Bqm::with_variables(Vartype::Spin, 14).unwrap();
    b.set_linear(13, 1.0).unwrap();
    let e = s.sample(&b).unwrap_err();
    assert!(
        e.to_string().contains("variable 13 is not a working qubit"),
        "{e}"
    );
    let mut b = Bqm::with_variables(Vartype::Spin, 3).unwrap();
    b.add_quadratic(0, 1, 1.0).unwrap();
    assert!(
        s.sample(&b)
            .unwrap_err()
            .to_string()
            .contains("(0, 1) is not a working coupler")
    );
    assert_eq!(srv.count("submit"), 0, "nothing was submitted");
    assert!(QpuParams::default().num_reads(0usize).validate().is_err());
}

fn random_qubo(n: u32, seed: u64) -> Bqm {
    let mut b = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
    let mut x = seed;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) % 21) as f64 - 10.0
    };
    for u in 0..n {
        b.set_linear(u, next()).unwrap();
        for v in u + 1..n {
            if (u * 7 + v * 3) % 3 == 0 {
                b.add_quadratic(u, v, next()).unwrap();
            }
        }
    }
    b
}

#[test]
fn hybrid_sampling_uploads_the_model_and_keeps_labels() {
    let srv = server(json!({"pending_polls": 1}));
    let s = LeapHybridSampler::new(&config(&srv), HybridParams::default()).unwrap();
    assert_eq!(s.solver().name(), HYBRID_SOLVER);
    let b = random_qubo(12, 3);
    let labels: Vec<serde_json::Value> = (0..12).map(|i| json!(format!("x{}", 11 - i))).collect();
    let set = s.sample_labelled(&b, Some(&labels), &Control::default()).unwrap();
    assert!((set.first().unwrap().1 - ground(&b)).abs() < 1e-9);
    assert_eq!(set.info().extra["problem_id"].as_str().map(str::len), Some(36));
    for route in ["upload_init", "upload_part", "upload_status", "combine", "submit"] {
        assert!(srv.count(route) >= 1, "{route}");
    }
    // time_limit below the solver's minimum is refused before uploading.
    let e = s
        .with_params(HybridParams::default().time_limit(0.01))
        .unwrap()
        .sample(&b)
        .unwrap_err();
    assert!(e.to_string().contains("below the minimum"), "{e}");
}

#[test]
fn a_failed_upload_resumes_with_the_parts_already_sent() {
    let srv = server(
        json!({"faults": [{"route": "upload_part", "times": 3, "status": 400, "body": "{\"error_code\": 400, \"error_msg\": \"bad part\"}"}]}),
    );
    let c = client(&srv);
    let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
    // Parts 1..=3 of 300 bytes: the first attempt of part 1 ... fails three times.
    let e = c
        .upload_with_part_size(&data, None, 300, &Control::default(), "test")
        .unwrap_err();
    assert!(e.to_string().contains("bad part"), "{e}");
    let id = srv
        .log()
        .iter()
        .find(|e| e.route == "upload_part")
        .unwrap()
        .path
        .split('/')
        .nth(4)
        .unwrap()
        .to_owned();
    let before = srv.count("upload_part");
    let got = c
        .upload_with_part_size(&data, Some(&id), 300, &Control::default(), "test")
        .unwrap();
    assert_eq!(got, id);
    assert_eq!(
        srv.count("upload_part") - before,
        4,
        "all four parts sent on resume (none had succeeded)"
    );
    assert!(srv.count("combine") == 1);
    // Resuming a completed upload sends nothing.
    let before = srv.count("upload_part");
    c.upload_with_part_size(&data, Some(&id), 300, &Control::default(), "test")
        .unwrap();
    assert_eq!(srv.count("upload_part"), before);
}

#[test]
fn embedding_sampler_solves_a_dense_model_on_the_chimera_solver() {
    let srv = server(json!({}));
    let child = qpu(&srv, QpuParams::default().num_reads(50usize));
    let mut params = EmbeddingCompositeParams::default().return_embedding(true);
    params.embedding_parameters = params.embedding_parameters.random_seed(7u64);
    let s = EmbeddingSampler::new(child, params).unwrap();
    let mut b = Bqm::with_variables(Vartype::Spin, 6).unwrap();
    for u in 0..6u32 {
        for v in u + 1..6 {
            b.add_quadratic(u, v, if (u + v) % 2 == 0 { 1.0 } else { -0.5 })
                .unwrap();
        }
    }
    let set = s.sample(&b).unwrap();
    assert!((set.first().unwrap().1 - ground(&b)).abs() < 1e-9);
    assert!(set.vectors().contains_key("chain_break_fraction"));
    assert!(
        set.info().extra["embedding_context"]["chain_strength"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

fn hvac_bqm() -> Bqm {
    use neuroquant::qubo::generators::{ComfortModel, HvacInput, hvac};
    hvac(HvacInput {
        rated_power_kw: vec![2.0, 3.0, 1.0],
        delivered_kwh: vec![1.5, 2.0, 1.0],
        comfort_weight: vec![1.0, 0.5, 2.0],
        initial_imbalance_kwh: vec![],
        demand_kwh: vec![1.0, 0.5, 1.5, 0.0, 2.0, 1.0, 0.5, 1.0, 0.5, 0.5, 1.0, 1.0],
        price_per_kwh: vec![0.3, 0.1, 0.2, 0.4],
        peak_limit_kw: vec![4.0, 5.0, 3.0, 6.0],
        slot_hours: 1.0,
        comfort: ComfortModel::PerSlot,
        peak_strength: None,
        power_resolution_kw: None,
        ..Default::default()
    })
    .unwrap()
    .into_bqm()
}

#[test]
fn hvac_through_fallback_answers_from_dwave_then_locally_when_the_server_is_down() {
    let srv = server(json!({}));
    // Two retries after a transport error, so the test does not wait Ocean's ten.
    let primary =
        LeapHybridSampler::new(&config(&srv).http_retry_total(2u32), HybridParams::default()).unwrap();
    let local =
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_reads(20usize).seed(1)).unwrap();
    let sampler = FallbackSampler::new(primary, local, Some(Duration::from_secs(30)));
    let b = hvac_bqm();
    let set = sampler.sample(&b).unwrap();
    let fb = &set.info().extra["fallback"];
    assert_eq!(fb["answered_by"], "primary", "{fb}");
    assert_eq!(set.info().sampler, "leap_hybrid");
    // The server solves with 64 seeded SA reads: the model's ground state (exact enumeration).
    assert!(b.num_variables() <= 24, "{} variables", b.num_variables());
    let e0 = ground(&b);
    assert!(
        (set.first().unwrap().1 - e0).abs() < 1e-9,
        "{} vs {e0}",
        set.first().unwrap().1
    );
    assert!((b.energies_vec(set.samples()).unwrap()[0] - set.energies()[0]).abs() < 1e-9);
    drop(srv);
    let t = Instant::now();
    let set = sampler.sample(&b).unwrap();
    let fb = &set.info().extra["fallback"];
    assert_eq!(fb["answered_by"], "fallback", "{fb}");
    assert!(fb["reason"].as_str().unwrap().contains("transport error"), "{fb}");
    assert_eq!(set.info().sampler, "simulated_annealing");
    assert!(t.elapsed() < Duration::from_secs(30));
}

/// The flagship pipeline with a token configured: every plan goes to the hybrid solver through
/// `FallbackSampler`, and the report says so; without a token, or with the solver unreachable,
/// the local sampler plans and the note says why.
#[test]
fn the_pipeline_plans_on_dwave_when_a_token_is_configured() {
    use neuroquant::building::{PipelineParams, default_sampler, dwave_first, run_pipeline};
    let mut p = PipelineParams::default();
    p.building.days = 4;
    p.building.seed = Some(5);
    p.train_days = 3;
    p.units = 50;
    let srv = server(json!({}));
    let (sampler, note) = dwave_first(&config(&srv), default_sampler(&p, 5).unwrap()).unwrap();
    assert_eq!(note, format!("D-Wave {HYBRID_SOLVER} first, tabu as fallback"));
    let r = run_pipeline(&p, Some(sampler), &Control::default()).unwrap();
    assert_eq!(r.plans, 24);
    assert_eq!(r.answered_by.len(), 1, "{:?}", r.answered_by);
    assert_eq!(r.answered_by["leap_hybrid"], r.plans);
    assert_eq!(r.to_json()["answered_by"]["leap_hybrid"], 24);
    assert!(r.exact_match && r.infeasible_plans == 0);
    let endpoint = srv.endpoint();
    drop(srv);
    let down = DWaveConfig::default()
        .endpoint(endpoint)
        .token(Token::new(DEFAULT_TOKEN).unwrap())
        .config_file(String::new())
        .http_retry_total(0u32);
    let (sampler, note) = dwave_first(&down, default_sampler(&p, 5).unwrap()).unwrap();
    assert!(note.starts_with("tabu (D-Wave not reachable: "), "{note}");
    assert_eq!(sampler.name(), "tabu");
    let no_token = DWaveConfig::default().config_file(String::new());
    let (sampler, note) = dwave_first(&no_token, default_sampler(&p, 5).unwrap()).unwrap();
    if std::env::var_os("DWAVE_API_TOKEN").is_none() {
        assert_eq!(
            (sampler.name(), note.as_str()),
            ("tabu", "tabu (no D-Wave token configured)")
        );
    } else {
        // A developer's own token in the environment: it is used (or its solver is unreachable).
        assert!(!note.contains("no D-Wave token"), "{note}");
    }
}
