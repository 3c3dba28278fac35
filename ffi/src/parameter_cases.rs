//! The shared parameter cases (`core/tests/data/parameter_cases.json`) through the C structs:
//! each gives the stated error message (as `nq_last_error_message` reports it) or succeeds,
//! exactly as in Rust and Python.

use crate::anneal::*;
use crate::convert::{CEnum, Versioned};
use crate::guard::nq_last_error_message;
use crate::reservoir::NqEsnParams;
use crate::status::NqStatus;
use nq::serde_json::Value as Json;

/// Arrays the structs point to, alive until the sampler is built.
#[derive(Default)]
struct Keep {
    floats: Vec<Vec<f64>>,
    states: Vec<Vec<i8>>,
    sweeps: Vec<Vec<u64>>,
}

fn float_list(v: &Json, keep: &mut Keep) -> (*const f64, usize) {
    let values: Vec<f64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let len = values.len();
    keep.floats.push(values);
    // A non-NULL pointer even for an empty list: "given, but empty".
    let ptr = if len == 0 {
        std::ptr::NonNull::<f64>::dangling().as_ptr().cast_const()
    } else {
        keep.floats.last().unwrap().as_ptr()
    };
    (ptr, len)
}

fn pair(v: &Json) -> [f64; 2] {
    let a = v.as_array().unwrap();
    [a[0].as_f64().unwrap(), a[1].as_f64().unwrap()]
}

fn code<E: CEnum + std::str::FromStr>(v: &Json) -> u32
where
    E::Err: std::fmt::Debug,
{
    v.as_str().unwrap().parse::<E>().unwrap().to_c()
}

/// Sets a reads keyword; false if `k` is not one.
fn reads(r: &mut NqReadParams, k: &str, v: &Json, keep: &mut Keep) -> bool {
    match k {
        "num_reads" => (r.num_reads, r.has_num_reads) = (v.as_u64().unwrap() as usize, 1),
        "seed" => (r.seed, r.has_seed) = (v.as_u64().unwrap(), 1),
        "initial_states" => {
            let rows = v.as_array().unwrap();
            let flat: Vec<i8> = rows
                .iter()
                .flat_map(|row| row.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as i8))
                .collect();
            r.num_initial_states = rows.len();
            r.initial_states_len = flat.len();
            keep.states.push(flat);
            r.initial_states = keep.states.last().unwrap().as_ptr();
        }
        "initial_states_generator" => {
            r.initial_states_generator = code::<nq::anneal::InitialStatesGenerator>(v)
        }
        _ => return false,
    }
    true
}

fn last_error() -> String {
    let n = unsafe { nq_last_error_message(std::ptr::null_mut(), 0) };
    let mut buf = vec![0u8; n + 1];
    unsafe { nq_last_error_message(buf.as_mut_ptr().cast(), buf.len()) };
    String::from_utf8(buf[..n].to_vec()).unwrap()
}

fn outcome(status: NqStatus, sampler: *mut NqSampler) -> Option<String> {
    unsafe { nq_sampler_free(sampler) };
    (status != NqStatus::NQ_OK).then(last_error)
}

fn run(sampler: &str, keywords: &nq::serde_json::Map<String, Json>) -> Option<String> {
    let mut keep = Keep::default();
    let mut out = std::ptr::null_mut();
    let unknown = |k: &str| panic!("the C test does not map keyword `{k}` of {sampler}");
    match sampler {
        "simulated_annealing" => {
            let mut p = NqSaParams::defaults();
            for (k, v) in keywords {
                if reads(&mut p.reads, k, v, &mut keep) {
                    continue;
                }
                match k.as_str() {
                    "num_sweeps" => (p.num_sweeps, p.has_num_sweeps) = (v.as_u64().unwrap() as usize, 1),
                    "num_sweeps_per_beta" => p.num_sweeps_per_beta = v.as_u64().unwrap() as usize,
                    "beta_range" => (p.beta_range, p.has_beta_range) = (pair(v), 1),
                    "beta_schedule_type" => p.beta_schedule_type = code::<nq::anneal::BetaScheduleType>(v),
                    "beta_schedule" => (p.beta_schedule, p.beta_schedule_len) = float_list(v, &mut keep),
                    _ => unknown(k),
                }
            }
            outcome(unsafe { nq_sampler_new_simulated_annealing(&p, &mut out) }, out)
        }
        "steepest_descent" => {
            let mut p = NqSteepestDescentParams::defaults();
            for (k, v) in keywords {
                if !reads(&mut p.reads, k, v, &mut keep) {
                    match k.as_str() {
                        "large_sparse_opt" => p.large_sparse_opt = u8::from(v.as_bool().unwrap()),
                        _ => unknown(k),
                    }
                }
            }
            outcome(unsafe { nq_sampler_new_steepest_descent(&p, &mut out) }, out)
        }
        "tabu" => {
            let mut p = NqTabuParams::defaults();
            for (k, v) in keywords {
                if !reads(&mut p.reads, k, v, &mut keep) {
                    match k.as_str() {
                        "timeout" => match v.as_u64() {
                            Some(t) => (p.timeout, p.has_timeout) = (t, 1),
                            None => p.has_timeout = 0,
                        },
                        "tenure" => (p.tenure, p.has_tenure) = (v.as_u64().unwrap() as usize, 1),
                        "num_restarts" => p.num_restarts = v.as_u64().unwrap(),
                        _ => unknown(k),
                    }
                }
            }
            outcome(unsafe { nq_sampler_new_tabu(&p, &mut out) }, out)
        }
        "exact" => {
            let mut p = NqExactParams::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "mode" => p.mode = code::<nq::anneal::ExactMode>(v),
                    "max_ground_states" => p.max_ground_states = v.as_u64().unwrap() as usize,
                    "max_variables" => {
                        (p.max_variables, p.has_max_variables) = (v.as_u64().unwrap() as usize, 1)
                    }
                    _ => unknown(k),
                }
            }
            outcome(unsafe { nq_sampler_new_exact(&p, &mut out) }, out)
        }
        "parallel_tempering" => {
            let mut p = NqPtParams::defaults();
            for (k, v) in keywords {
                if !reads(&mut p.reads, k, v, &mut keep) {
                    match k.as_str() {
                        "swap_interval" => p.swap_interval = v.as_u64().unwrap() as usize,
                        "num_replicas" => {
                            (p.num_replicas, p.has_num_replicas) = (v.as_u64().unwrap() as usize, 1)
                        }
                        "betas" => (p.betas, p.betas_len) = float_list(v, &mut keep),
                        "beta_range" => (p.beta_range, p.has_beta_range) = (pair(v), 1),
                        "output" => p.output = code::<nq::anneal::PtOutput>(v),
                        _ => unknown(k),
                    }
                }
            }
            outcome(unsafe { nq_sampler_new_parallel_tempering(&p, &mut out) }, out)
        }
        "path_integral" => {
            let mut p = NqSqaParams::defaults();
            for (k, v) in keywords {
                if !reads(&mut p.reads, k, v, &mut keep) {
                    match k.as_str() {
                        "trotter" => p.trotter = v.as_u64().unwrap() as usize,
                        "gamma" => p.gamma = v.as_f64().unwrap(),
                        "beta" => p.beta = v.as_f64().unwrap(),
                        "num_sweeps" => (p.num_sweeps, p.has_num_sweeps) = (v.as_u64().unwrap() as usize, 1),
                        "schedule" => {
                            // All steps as triples, or all as pairs (at `beta`): the C form.
                            let steps = v.as_array().unwrap();
                            let triples = steps.iter().all(|s| s.as_array().unwrap().len() == 3);
                            let get = |i: usize| -> Vec<f64> {
                                steps
                                    .iter()
                                    .map(|s| s.as_array().unwrap()[i].as_f64().unwrap())
                                    .collect()
                            };
                            let last = |s: &Json| s.as_array().unwrap().last().unwrap().as_u64().unwrap();
                            keep.floats.push(get(0));
                            p.schedule_s = if steps.is_empty() {
                                std::ptr::NonNull::dangling().as_ptr()
                            } else {
                                keep.floats.last().unwrap().as_ptr()
                            };
                            if triples && !steps.is_empty() {
                                keep.floats.push(get(1));
                                p.schedule_beta = keep.floats.last().unwrap().as_ptr();
                            } else if !triples {
                                // Mixed forms: give every step its beta explicitly.
                                let beta: Vec<f64> = steps
                                    .iter()
                                    .map(|s| {
                                        let s = s.as_array().unwrap();
                                        if s.len() == 3 {
                                            s[1].as_f64().unwrap()
                                        } else {
                                            keywords.get("beta").and_then(Json::as_f64).unwrap_or(5.0)
                                        }
                                    })
                                    .collect();
                                keep.floats.push(beta);
                                p.schedule_beta = keep.floats.last().unwrap().as_ptr();
                            }
                            keep.sweeps.push(steps.iter().map(last).collect());
                            p.schedule_sweeps = keep.sweeps.last().unwrap().as_ptr();
                            p.schedule_s_len = steps.len();
                            p.schedule_sweeps_len = steps.len();
                            if !p.schedule_beta.is_null() {
                                p.schedule_beta_len = steps.len();
                            }
                        }
                        _ => unknown(k),
                    }
                }
            }
            outcome(unsafe { nq_sampler_new_path_integral(&p, &mut out) }, out)
        }
        "encoder" => {
            let mut p = crate::spike::NqEncoderParams::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "encoder" => p.encoder = code::<nq::spike::EncoderKind>(v),
                    "num_channels" => p.num_channels = v.as_u64().unwrap() as usize,
                    "threshold" => p.threshold = v.as_f64().unwrap(),
                    "window" => p.window = v.as_u64().unwrap() as usize,
                    "gain" => p.gain = v.as_f64().unwrap(),
                    "offset" => p.offset = v.as_f64().unwrap(),
                    "dt" => p.dt = v.as_f64().unwrap(),
                    "period" => p.period = v.as_u64().unwrap() as usize,
                    "filter" => (p.filter, p.filter_len) = float_list(v, &mut keep),
                    "filter_length" => p.filter_length = v.as_u64().unwrap() as usize,
                    "seed" => (p.seed, p.has_seed) = (v.as_u64().unwrap(), 1),
                    k => unknown(k),
                }
            }
            let mut out = std::ptr::null_mut();
            let status = unsafe { crate::spike::nq_encoder_new(&p, &mut out) };
            unsafe { crate::spike::nq_encoder_free(out) };
            (status != NqStatus::NQ_OK).then(last_error)
        }
        "reservoir" | "ridge" => {
            let mut p = NqEsnParams::defaults();
            if sampler == "ridge" {
                (p.units, p.has_units, p.input_dim, p.has_input_dim) = (5, 1, 1, 1);
            }
            let scaling = |v: &Json, keep: &mut Keep| -> (f64, *const f64, usize) {
                match v.as_f64() {
                    Some(x) => (x, std::ptr::null(), 0),
                    None => {
                        let (ptr, len) = float_list(v, keep);
                        (0.0, ptr, len)
                    }
                }
            };
            for (k, v) in keywords {
                let size = || v.as_u64().unwrap() as usize;
                match k.as_str() {
                    "units" => (p.units, p.has_units) = (size(), 1),
                    "input_dim" => (p.input_dim, p.has_input_dim) = (size(), 1),
                    "sr" => (p.sr, p.has_sr) = (v.as_f64().unwrap(), 1),
                    "lr" => (p.lr, p.lr_per_element, p.lr_per_element_len) = scaling(v, &mut keep),
                    "bias" => (p.bias, p.bias_per_element, p.bias_per_element_len) = scaling(v, &mut keep),
                    "rc_connectivity" => p.rc_connectivity = v.as_f64().unwrap(),
                    "noise_in" => p.noise_in = v.as_f64().unwrap(),
                    "noise_rc" => p.noise_rc = v.as_f64().unwrap(),
                    "noise_type" => p.noise_type = code::<nq::reservoir::NoiseType>(v),
                    "activation" => p.activation = code::<nq::reservoir::Activation>(v),
                    "equation" => p.equation = code::<nq::reservoir::Equation>(v),
                    "w_init" => p.w_init = code::<nq::reservoir::Distribution>(v),
                    "seed" => (p.seed, p.has_seed) = (v.as_u64().unwrap(), 1),
                    "ridge" => p.ridge = v.as_f64().unwrap(),
                    "fit_bias" => p.fit_bias = u8::from(v.as_bool().unwrap()),
                    _ => unknown(k),
                }
            }
            let mut esn = std::ptr::null_mut();
            let status = unsafe { crate::reservoir::nq_reservoir_new(&p, 1, &mut esn) };
            unsafe { crate::reservoir::nq_reservoir_free(esn) };
            (status != NqStatus::NQ_OK).then(last_error)
        }
        "solver_options" => {
            // The options of nq_sesolve / nq_mesolve: a bad struct is refused before any work,
            // so a 1-qubit run shows whether the options were accepted.
            let mut p = crate::quantum::NqSolverOptions::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "atol" => p.atol = v.as_f64().unwrap(),
                    "rtol" => p.rtol = v.as_f64().unwrap(),
                    "nsteps" => p.nsteps = v.as_u64().unwrap() as usize,
                    "max_step" => p.max_step = v.as_f64().unwrap(),
                    "method" => p.method = code::<nq::quantum::Method>(v),
                    "store_states" => match v.as_bool() {
                        Some(b) => (p.store_states, p.has_store_states) = (u8::from(b), 1),
                        None => p.has_store_states = 0,
                    },
                    "krylov_dim" => p.krylov_dim = v.as_u64().unwrap() as usize,
                    _ => unknown(k),
                }
            }
            sesolve_one_qubit(&p)
        }
        "dwave_qpu" => {
            let mut p = crate::NqDWaveQpuParams::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "num_reads" => (p.num_reads, p.has_num_reads) = (v.as_u64().unwrap() as usize, 1),
                    "annealing_time" => (p.annealing_time, p.has_annealing_time) = (v.as_f64().unwrap(), 1),
                    "readout_thermalization" => {
                        (p.readout_thermalization, p.has_readout_thermalization) = (v.as_f64().unwrap(), 1)
                    }
                    "anneal_schedule" => {
                        let points = v.as_array().unwrap();
                        let flat: Vec<f64> = points
                            .iter()
                            .flat_map(|q| q.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
                            .collect();
                        keep.floats.push(flat);
                        p.anneal_schedule = keep.floats.last().unwrap().as_ptr();
                        p.anneal_schedule_len = points.len();
                    }
                    _ => unknown(k),
                }
            }
            // NULL settings: nothing is resolved or sent before the parameters are read.
            outcome(
                unsafe { crate::nq_sampler_new_dwave(std::ptr::null(), &p, &mut out) },
                out,
            )
        }
        "leap_hybrid" => {
            let mut p = crate::NqLeapHybridParams::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "time_limit" => (p.time_limit, p.has_time_limit) = (v.as_f64().unwrap(), 1),
                    _ => unknown(k),
                }
            }
            outcome(
                unsafe { crate::nq_sampler_new_leap_hybrid(std::ptr::null(), &p, &mut out) },
                out,
            )
        }
        "dwave_embedding" => {
            let mut p = crate::NqDWaveEmbeddingParams::defaults();
            for (k, v) in keywords {
                match k.as_str() {
                    "chain_strength" => (p.chain_strength, p.has_chain_strength) = (v.as_f64().unwrap(), 1),
                    _ => unknown(k),
                }
            }
            use std::ptr::null;
            outcome(
                unsafe {
                    crate::nq_sampler_new_dwave_embedding(null(), null(), &p, null(), null(), 0, &mut out)
                },
                out,
            )
        }
        "dwave_settings" => {
            let mut s = crate::NqDWaveSettings::defaults();
            let mut strings = Vec::new();
            for (k, v) in keywords {
                match k.as_str() {
                    "request_timeout" => {
                        (s.request_timeout, s.has_request_timeout) = (v.as_f64().unwrap(), 1)
                    }
                    "endpoint" => {
                        strings.push(std::ffi::CString::new(v.as_str().unwrap()).unwrap());
                        s.endpoint = strings.last().unwrap().as_ptr();
                    }
                    _ => unknown(k),
                }
            }
            outcome(
                unsafe { crate::nq_sampler_new_dwave(&s, std::ptr::null(), &mut out) },
                out,
            )
        }
        other => panic!("unknown sampler {other}"),
    }
}

/// `nq_sesolve` of H = X/2 on one qubit from |0⟩ to t = 1 under `options`: the error message,
/// or None when the run succeeds.
fn sesolve_one_qubit(options: &crate::quantum::NqSolverOptions) -> Option<String> {
    use crate::quantum::*;
    let (mut sum, mut h) = (std::ptr::null_mut(), std::ptr::null_mut());
    unsafe {
        assert_eq!(nq_pauli_sum_new(1, &mut sum), NqStatus::NQ_OK);
        assert_eq!(
            nq_pauli_sum_add_term(sum, c"X".as_ptr(), [0usize].as_ptr(), 1, 0.5, 0.0),
            NqStatus::NQ_OK
        );
        assert_eq!(
            nq_operator_from_pauli(sum, NQ_STORAGE_MATRIX_FREE, &mut h),
            NqStatus::NQ_OK
        );
    }
    let psi0 = [1.0, 0.0, 0.0, 0.0];
    let tlist = [0.0, 1.0];
    let mut fin = [0.0; 4];
    let status = unsafe {
        nq_sesolve(
            h,
            psi0.as_ptr(),
            4,
            tlist.as_ptr(),
            2,
            std::ptr::null(),
            0,
            options,
            std::ptr::null(),
            std::ptr::null_mut(),
            fin.as_mut_ptr(),
            std::ptr::null_mut(),
        )
    };
    let got = (status != NqStatus::NQ_OK).then(last_error);
    if got.is_none() {
        // The run happened: |⟨1|ψ(1)⟩|² = sin²(1/2).
        let p1 = fin[2] * fin[2] + fin[3] * fin[3];
        assert!((p1 - 0.5f64.sin().powi(2)).abs() < 1e-6, "{p1}");
    }
    unsafe {
        nq_operator_free(h);
        nq_pauli_sum_free(sum);
    }
    got
}

#[test]
fn every_case_gives_the_same_outcome_through_c() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/parameter_cases.json"
    );
    let file: Json = nq::serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in file["cases"].as_array().unwrap() {
        let got = run(
            case["sampler"].as_str().unwrap(),
            case["keywords"].as_object().unwrap(),
        );
        assert_eq!(got.as_deref(), case["error"].as_str(), "case {case}");
    }
}
