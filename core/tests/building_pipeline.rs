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
    p.num_reads = 8;
    p.num_sweeps = 300;
    p
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
