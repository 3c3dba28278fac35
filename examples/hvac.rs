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
//! limit, minimum run time), solves it with the local tabu sampler, applies the first hour, and
//! repeats. With a D-Wave token configured (Ocean's sources: `DWAVE_API_TOKEN`, dwave.conf), a
//! Leap hybrid solver answers each plan first, through `FallbackSampler` with the local sampler
//! behind it; the report says which answered. (The `dwave` feature this needs is on when the
//! example is run from the workspace root, whose C library and wheel members enable it.) The same
//! days are run by two thermostats, one blind to the peak limit and one shedding
//! load to it; all three are scored on the same simulated building.

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
        "Closed loop over days {}–{} ({} hourly plans):",
        p.train_days + 1,
        b.days,
        r.plans
    );
    let answered: Vec<String> = r.answered_by.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!(
        "  samplers: {}; plans answered by: {}",
        r.sampler_note,
        answered.join(", ")
    );
    println!(
        "  {:<22} {:>12} {:>12} {:>18} {:>16} {:>15}",
        "", "energy cost", "energy kWh", "comfort zone-steps", "comfort °C·h", "peak steps"
    );
    for (name, s) in [
        ("QUBO controller", &r.schedule),
        ("thermostat", &r.thermostat),
        ("thermostat, load shed", &r.thermostat_peak_limited),
    ] {
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
    let saving = |base: f64| 100.0 * (1.0 - r.schedule.energy_cost / base);
    let comfort = |base: f64| base / r.schedule.comfort_degree_hours.max(1e-9);
    println!(
        "  vs thermostat: cost {:+.1} % saved, comfort °C·h {:.2}× lower, peak steps {} vs {}",
        saving(r.thermostat.energy_cost),
        comfort(r.thermostat.comfort_degree_hours),
        r.schedule.peak_violations,
        r.thermostat.peak_violations
    );
    println!(
        "  vs the load-shedding thermostat (same peak limit): cost {:+.1} % saved, comfort °C·h {:.2}× lower",
        saving(r.thermostat_peak_limited.energy_cost),
        comfort(r.thermostat_peak_limited.comfort_degree_hours)
    );
    println!(
        "  plans whose chosen sample broke a constraint: {} of {} (first slot trimmed to the peak limit: {})",
        r.infeasible_plans, r.plans, r.repaired_plans
    );
    println!();
    println!(
        "Exact check: the first plan reduced to 2 zones × 4 hours ({} variables): the sampler {} the exact optimum",
        r.exact_variables,
        if r.exact_match { "equals" } else { "DIFFERS FROM" }
    );
    println!("elapsed {:.2} s", r.elapsed_s);
}
