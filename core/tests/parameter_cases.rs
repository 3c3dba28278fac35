//! The shared parameter cases (`data/parameter_cases.json`) through the Rust surface: each gives
//! the stated error, or succeeds. The C and Python surfaces run the same file and must agree.

use neuroquant::anneal::{
    ExactParams, ParallelTemperingParams, PathIntegralParams, SimulatedAnnealingParams,
    SteepestDescentParams, TabuParams,
};
use neuroquant::params::{KeywordArgs, Keywords, Value};
use serde_json::Value as Json;

fn value(j: &Json) -> Value {
    match j {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.is_f64() => Value::Float(n.as_f64().unwrap()),
        Json::Number(n) => Value::Int(n.as_i64().unwrap().into()),
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(value).collect()),
        Json::Object(_) => panic!("no objects in parameter cases"),
    }
}

fn outcome<P: KeywordArgs>(kw: Keywords) -> Option<String> {
    P::from_keywords("sampler", kw).err().map(|e| e.to_string())
}

#[test]
fn every_case_gives_its_stated_outcome() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/parameter_cases.json"
    ))
    .unwrap();
    let file: Json = serde_json::from_str(&text).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let mut kw = Keywords::new();
        for (k, v) in case["keywords"].as_object().unwrap() {
            kw.insert(k, value(v)).unwrap();
        }
        let got = match case["sampler"].as_str().unwrap() {
            "simulated_annealing" => outcome::<SimulatedAnnealingParams>(kw),
            "steepest_descent" => outcome::<SteepestDescentParams>(kw),
            "tabu" => outcome::<TabuParams>(kw),
            "exact" => outcome::<ExactParams>(kw),
            "parallel_tempering" => outcome::<ParallelTemperingParams>(kw),
            "path_integral" => outcome::<PathIntegralParams>(kw),
            "encoder" => outcome::<neuroquant::spike::EncoderParams>(kw),
            "reservoir" => outcome::<neuroquant::reservoir::ReservoirParams>(kw),
            "ridge" => outcome::<neuroquant::reservoir::RidgeParams>(kw),
            "solver_options" => outcome::<neuroquant::quantum::SolverOptions>(kw),
            #[cfg(feature = "dwave")]
            "dwave_qpu" => outcome::<neuroquant::dwave::QpuParams>(kw),
            #[cfg(feature = "dwave")]
            "leap_hybrid" => outcome::<neuroquant::dwave::HybridParams>(kw),
            #[cfg(feature = "dwave")]
            "dwave_embedding" => outcome::<neuroquant::dwave::EmbeddingCompositeParams>(kw),
            #[cfg(feature = "dwave")]
            "dwave_settings" => outcome::<neuroquant::dwave::DWaveConfig>(kw),
            // A build without the D-Wave backend has no such parameters to check.
            #[cfg(not(feature = "dwave"))]
            "dwave_qpu" | "leap_hybrid" | "dwave_embedding" | "dwave_settings" => continue,
            other => panic!("unknown sampler {other}"),
        };
        assert_eq!(got.as_deref(), case["error"].as_str(), "case {case}");
        if case["sampler"].as_str().unwrap().contains("dwave") || case["sampler"] == "leap_hybrid" {
            assert!(
                got.is_some(),
                "D-Wave cases are refusals (a success would connect): {case}"
            );
        }
    }
}
