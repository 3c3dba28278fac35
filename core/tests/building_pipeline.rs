//! The flagship pipeline end to end on a small building: the reservoir forecasts beat persistence
//! on every zone, the closed loop makes one plan per evaluation hour, the report's scores are the
//! closed-loop simulation's, and the JSON report carries the documented fields.

use neuroquant::building::{Building, ForecastChoice, PipelineParams, Thermostat, run_pipeline, simulate};

fn small() -> PipelineParams {
    let mut p = PipelineParams::default();
    p.building.days = 5;
    p.building.seed = Some(11);
    p.train_days = 3;
    p.units = 100;
    p
}

/// The keyword path (Python's `run_pipeline(**kw)`, C) starts from the same defaults as Rust:
/// the pipeline's building group defaults to 10 days, not the building's own 14.
#[test]
fn keyword_defaults_are_the_rust_defaults() {
    use neuroquant::params::{KeywordArgs, Keywords, Value};
    let from_kw = PipelineParams::from_keywords("run_pipeline", Keywords::new()).unwrap();
    assert_eq!(from_kw.to_keywords(), PipelineParams::default().to_keywords());
    assert_eq!(from_kw.building.days, 10);
    let kw = Keywords::from_pairs([("seed", Value::Int(3))]).unwrap();
    let seeded = PipelineParams::from_keywords("run_pipeline", kw).unwrap();
    assert_eq!((seeded.building.days, seeded.building.seed), (10, Some(3)));
    let kw = Keywords::from_pairs([("days", Value::Int(12))]).unwrap();
    assert_eq!(
        PipelineParams::from_keywords("run_pipeline", kw)
            .unwrap()
            .building
            .days,
        12
    );
}

/// The claims the example prints, on several buildings (the issue asks that they hold for any
/// seed, not only the default): the plan's sampler reaches the exact optimum of the reduced plan,
/// the controller never exceeds the peak limit, costs less than the thermostat, and is more
/// comfortable (°C·h outside the band) than the thermostat held to the same peak limit.
#[test]
fn the_controller_beats_the_thermostats_on_every_seed() {
    for seed in [1u64, 2, 3, 4] {
        let mut p = small();
        p.building.seed = Some(seed);
        let r = run_pipeline(&p, None, &Default::default()).unwrap();
        let line = format!("seed {seed}: {}", r.to_json());
        assert!(r.exact_match, "{line}");
        assert_eq!(r.solver, "tabu", "{line}");
        assert_eq!(r.infeasible_plans, 0, "{line}");
        assert_eq!(r.schedule.peak_violations, 0, "{line}");
        assert_eq!(r.thermostat_peak_limited.peak_violations, 0, "{line}");
        assert!(r.schedule.energy_cost < r.thermostat.energy_cost, "{line}");
        assert!(
            r.schedule.comfort_degree_hours < r.thermostat_peak_limited.comfort_degree_hours,
            "{line}"
        );
    }
}

#[test]
fn forecasts_beat_persistence_and_the_report_is_the_simulation() {
    let p = small();
    let r = run_pipeline(&p, None, &Default::default()).unwrap();
    assert_eq!(r.seed, 11);
    assert_eq!(r.plans, 2 * 24);
    for z in 0..3 {
        assert!(
            r.raw_nrmse[z] < r.persistence_nrmse[z],
            "zone {z}: {:?} vs {:?}",
            r.raw_nrmse,
            r.persistence_nrmse
        );
        assert!(
            r.spikes_nrmse[z] < r.persistence_nrmse[z],
            "zone {z}: {:?}",
            r.spikes_nrmse
        );
    }
    let chosen = if r.cv_error[1] < r.cv_error[0] {
        "spikes"
    } else {
        "raw"
    };
    assert_eq!(r.forecast_input, chosen);
    // The thermostat score is the baseline simulated independently over the same days.
    let b = Building::new(p.building.clone()).unwrap();
    let start = 3 * 24 * 4;
    let nt = b.num_steps();
    let initial: Vec<f64> = (0..3).map(|z| b.series().setpoint_c[z * nt + start]).collect();
    let base = simulate(
        &b,
        &mut Thermostat::new(0.5).unwrap(),
        start,
        nt - start,
        &initial,
    )
    .unwrap();
    assert_eq!(r.thermostat.energy_cost, base.energy_cost);
    assert_eq!(r.thermostat.comfort_violations, base.comfort_violations);
    // The controller's energy cost recomputed from its unit states and the tariff.
    let dt = b.step_hours();
    let mut cost = 0.0;
    for j in 0..nt - start {
        let power: f64 = (0..3)
            .map(|z| r.on[z * (nt - start) + j] as f64 * b.zones()[z].rated_power_kw)
            .sum();
        cost += power * dt * b.series().price_per_kwh[start + j];
    }
    assert!((cost - r.schedule.energy_cost).abs() < 1e-9 * (1.0 + cost));
    let json = r.to_json();
    for key in [
        "seed",
        "forecast",
        "schedule",
        "thermostat",
        "thermostat_peak_limited",
        "solver",
        "exact_match",
        "elapsed_s",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["forecast"]["nrmse"].as_array().unwrap().len(), 3);
    assert_eq!(json["schedule"]["peak_violations"], r.schedule.peak_violations);
}

#[test]
fn persistence_choice_and_bad_parameters() {
    let mut p = small();
    p.forecast = ForecastChoice::Persistence;
    let r = run_pipeline(&p, None, &Default::default()).unwrap();
    assert_eq!(r.forecast_input, "persistence");
    assert_eq!(r.forecast_nrmse, r.persistence_nrmse);
    let mut bad = small();
    bad.train_days = 5;
    let e = run_pipeline(&bad, None, &Default::default()).unwrap_err();
    assert!(e.to_string().contains("train_days"), "{e}");
    let mut bad = small();
    bad.comfort_weight = -1.0;
    assert!(
        run_pipeline(&bad, None, &Default::default())
            .unwrap_err()
            .to_string()
            .contains("comfort_weight")
    );
}
