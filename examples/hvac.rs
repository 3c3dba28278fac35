//! The flagship: an HVAC controller on a simulated building, end to end.
//!
//! ```text
//! cargo run --release --example hvac                 # the default building (seed 1)
//! cargo run --release --example hvac -- --seed 7     # another building and weather
//! cargo run --release --example hvac -- --json       # the same report as one JSON object
//! ```
//!
//! A seeded synthetic building (RC thermal zones with heat pumps, outdoor temperature with a
//! daily cycle and noise, occupancy, a time-of-use tariff) is simulated for ten days. The first
//! seven train two echo state networks to forecast each zone's heating load over the next eight
//! hours — one on the raw sensor values, one on their streaming spike encoding — and the one with
//! the smaller cross-validation error plans. Over the last three days a model predictive
//! controller plans every hour as a QUBO (energy price, comfort against the forecast, peak-power
//! limit, minimum run time), solves it with simulated annealing (or, with a D-Wave token and the
//! `dwave` feature, a D-Wave solver falling back to it), applies the first hour, and repeats. The
//! same days are run by a thermostat; both are scored on the same simulated building.

use neuroquant::building::{PipelineParams, Report, run_pipeline};

fn usage() -> ! {
    eprintln!("usage: hvac [--seed N] [--json] [--comfort-weight W] [--min-run SLOTS] [--peak-limit KW]");
    std::process::exit(2)
}

fn main() {
    let mut seed = 1u64;
    let mut as_json = false;
    let mut params = PipelineParams::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--json" => as_json = true,
            "--comfort-weight" => {
                params.comfort_weight = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--min-run" => {
                params.min_run_slots = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--peak-limit" => {
                params.building.peak_limit_kw = Some(
                    args.next()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or_else(|| usage()),
                )
            }
            _ => usage(),
        }
    }
    params.building.seed = Some(seed);
    let report = match run_pipeline(&params, None, &Default::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hvac: {e}");
            std::process::exit(1);
        }
    };
    if as_json {
        println!("{}", report.to_json());
    } else {
        print_report(&params, &report);
    }
}

fn list(v: &[f64]) -> String {
    v.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(", ")
}

fn print_report(p: &PipelineParams, r: &Report) {
    let b = &p.building;
    println!(
        "neuroquant HVAC controller — building seed {}, {} zones, {} days",
        r.seed, b.num_zones, b.days
    );
    println!();
    println!(
        "Load forecast ({}-hour horizon, trained on days 1–{}, scored on days {}–{}):",
        p.horizon_slots,
        p.train_days,
        p.train_days + 1,
        b.days
    );
    println!(
        "  NRMSE per zone, reservoir on raw values  [{}]  (cv error {:.3})",
        list(&r.raw_nrmse),
        r.cv_error[0]
    );
    println!(
        "  NRMSE per zone, reservoir on spikes      [{}]  (cv error {:.3})",
        list(&r.spikes_nrmse),
        r.cv_error[1]
    );
    println!(
        "  NRMSE per zone, persistence              [{}]",
        list(&r.persistence_nrmse)
    );
    println!("  planning with: {}", r.forecast_input);
    println!();
    println!(
        "Closed loop over days {}–{} ({} hourly plans, solver {}):",
        p.train_days + 1,
        b.days,
        r.plans,
        r.solver
    );
    println!(
        "  {:<22} {:>12} {:>12} {:>18} {:>16} {:>15}",
        "", "energy cost", "energy kWh", "comfort zone-steps", "comfort °C·h", "peak steps"
    );
    for (name, s) in [("QUBO controller", &r.schedule), ("thermostat", &r.thermostat)] {
        println!(
            "  {:<22} {:>12.2} {:>12.1} {:>18} {:>16.2} {:>15}",
            name,
            s.energy_cost,
            s.energy_kwh,
            s.comfort_violations,
            s.comfort_degree_hours,
            s.peak_violations
        );
    }
    let saving = 1.0 - r.schedule.energy_cost / r.thermostat.energy_cost;
    println!("  cost saving vs thermostat: {:.1} %", 100.0 * saving);
    println!(
        "  plans whose chosen sample broke a constraint: {} of {} (first slot trimmed to the peak limit: {})",
        r.infeasible_plans, r.plans, r.repaired_plans
    );
    println!();
    println!(
        "Exact check: the first plan reduced to 2 zones × 4 hours ({} variables): annealer {} the exact optimum",
        r.exact_variables,
        if r.exact_match { "equals" } else { "DIFFERS FROM" }
    );
    println!("elapsed {:.2} s", r.elapsed_s);
}
