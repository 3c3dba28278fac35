//! The synthetic building against its definition: the thermal step against a fine Euler
//! integration of the RC equation, the load against the steady state it is defined by, the
//! series against their stated schedules, and the closed-loop score recomputed independently.

use neuroquant::ErrorKind;
use neuroquant::building::{Building, BuildingParams, Policy, Thermostat, simulate};

fn building(seed: u64) -> Building {
    Building::new(
        BuildingParams::default()
            .num_zones(3usize)
            .days(14usize)
            .seed(seed),
    )
    .unwrap()
}

#[test]
fn the_thermal_step_integrates_the_rc_equation() {
    let b = building(1);
    let (nt, dt) = (b.num_steps(), b.step_hours());
    for &(k, on) in &[
        (5usize, [true, false, true]),
        (500, [false, false, false]),
        (1000, [true, true, true]),
    ] {
        let mut temps = [18.0, 21.5, 14.0];
        let start = temps;
        b.step(k, &mut temps, &on).unwrap();
        for (z, zone) in b.zones().iter().enumerate() {
            // C dT/dt = (T_out − T)/R + η P u + g, integrated with 20 000 Euler sub-steps.
            let heat = if on[z] {
                zone.efficiency * zone.rated_power_kw
            } else {
                0.0
            } + b.series().gains_kw[z * nt + k];
            let (mut t, h) = (start[z], dt / 20_000.0);
            for _ in 0..20_000 {
                t += h / zone.capacitance_kwh_per_c
                    * ((b.series().outdoor_c[k] - t) / zone.resistance_c_per_kw + heat);
            }
            assert!((temps[z] - t).abs() < 1e-4, "k {k} zone {z}: {} vs {t}", temps[z]);
        }
    }
}

#[test]
fn the_load_is_the_heat_that_holds_the_setpoint() {
    let b = building(2);
    let (nt, s) = (b.num_steps(), b.series());
    let mut positive = 0;
    for (z, zone) in b.zones().iter().enumerate() {
        for k in 0..nt {
            let i = z * nt + k;
            let l = s.load_kw[i];
            assert!(l >= 0.0);
            // In steady state with heat L + g the zone sits at outdoor + R (L + g).
            let steady = s.outdoor_c[k] + zone.resistance_c_per_kw * (l + s.gains_kw[i]);
            if l > 0.0 {
                positive += 1;
                assert!((steady - s.setpoint_c[i]).abs() < 1e-9);
            } else {
                assert!(
                    steady >= s.setpoint_c[i] - 1e-9,
                    "no load, yet below the setpoint"
                );
            }
        }
    }
    assert!(positive > nt, "a winter building needs heat most of the time");
}

#[test]
fn series_follow_their_schedules() {
    let b = building(3);
    let (nt, sph, s) = (b.num_steps(), 4, b.series());
    assert_eq!(nt, 14 * 24 * sph);
    let hour = |k: usize| (k % (24 * sph)) / sph;
    // Prices by hour of the day.
    for k in 0..nt {
        let want = match hour(k) {
            0..=6 => 0.12,
            7..=16 | 21..=23 => 0.22,
            _ => 0.38,
        };
        assert_eq!(s.price_per_kwh[k], want);
    }
    // Outdoor: mean near 4 °C, afternoons warmer than nights by about twice the amplitude.
    let mean: f64 = s.outdoor_c.iter().sum::<f64>() / nt as f64;
    assert!((mean - 4.0).abs() < 2.5, "mean {mean}");
    let at = |h: usize| {
        let v: Vec<f64> = (0..nt)
            .filter(|&k| hour(k) == h)
            .map(|k| s.outdoor_c[k])
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let swing = at(15) - at(3);
    assert!((swing - 8.0).abs() < 2.0, "daily swing {swing}");
    // Occupancy: weekdays between 7 and 19 h only; weekends empty; setpoints follow it.
    for z in 0..3 {
        for k in 0..nt {
            let i = z * nt + k;
            let day = k / (24 * sph);
            if s.occupied[i] == 1 {
                assert!(day % 7 < 5 && (7..19).contains(&hour(k)), "zone {z} step {k}");
                assert_eq!(s.setpoint_c[i], 21.0);
                assert!(s.gains_kw[i] > 0.0);
            } else {
                assert_eq!(s.setpoint_c[i], 17.0);
                assert_eq!(s.gains_kw[i], 0.0);
            }
        }
        let weekday_hours: usize = (0..nt).filter(|&k| s.occupied[z * nt + k] == 1).count() / sph;
        assert!(
            (80..=120).contains(&weekday_hours),
            "zone {z}: {weekday_hours} occupied hours in 10 weekdays"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_building_and_other_seeds_differ() {
    assert_eq!(building(4), building(4));
    assert_ne!(building(4).series().outdoor_c, building(5).series().outdoor_c);
    let unseeded = Building::new(BuildingParams::default().days(1usize)).unwrap();
    let again = Building::new(BuildingParams::default().days(1usize).seed(unseeded.seed())).unwrap();
    assert_eq!(unseeded.series(), again.series());
}

/// Replays a recorded schedule.
struct Replay(Vec<u8>, usize);

impl Policy for Replay {
    fn decide(&mut self, _: &Building, k: usize, temps: &[f64], on: &mut [bool]) -> neuroquant::Result<()> {
        for (z, u) in on.iter_mut().enumerate().take(temps.len()) {
            *u = self.0[z * self.1 + k] == 1;
        }
        Ok(())
    }
}

#[test]
fn the_thermostat_holds_comfort_and_the_score_is_recomputed_independently() {
    let b = building(6);
    let nt = b.num_steps();
    let mut t = Thermostat::new(0.5).unwrap();
    let out = simulate(&b, &mut t, 0, nt, &[19.0, 19.0, 19.0]).unwrap();
    // Comfort: a thermostat cannot anticipate, so zones miss their band only while recovering
    // from the night setback: every violation is in an occupied step, nearly all within three
    // hours of arrival (the units are sized for the design load, not for fast recovery).
    let (mut occupied, mut recovering) = (0, 0);
    for z in 0..3 {
        for k in 0..nt {
            let [lo, hi] = b.comfort_band(z, k);
            let temp = out.temps_c[z * nt + k];
            if temp < lo || temp > hi {
                assert_eq!(b.series().occupied[z * nt + k], 1, "zone {z} step {k} {temp}");
                occupied += 1;
                recovering +=
                    usize::from((1..=12).any(|d| k >= d && b.series().occupied[z * nt + k - d] == 0));
            }
        }
    }
    assert_eq!(occupied, out.comfort_violations);
    assert!(
        out.comfort_violations > 0 && recovering * 100 >= 85 * occupied,
        "{recovering} of {occupied}"
    );
    // Energy and cost from the recorded states, independently.
    let (mut kwh, mut cost, mut peaks) = (0.0, 0.0, 0);
    for k in 0..nt {
        let p: f64 = (0..3)
            .map(|z| out.on[z * nt + k] as f64 * b.zones()[z].rated_power_kw)
            .sum();
        kwh += p * b.step_hours();
        cost += p * b.step_hours() * b.series().price_per_kwh[k];
        peaks += usize::from(p > b.peak_limit_kw() + 1e-9);
    }
    assert!((out.energy_kwh - kwh).abs() < 1e-9 && (out.energy_cost - cost).abs() < 1e-9);
    assert_eq!(out.peak_violations, peaks);
    assert!(
        peaks > 0,
        "a price- and peak-blind thermostat overlaps its units at times"
    );
    // Replaying its schedule reproduces its temperatures exactly.
    let mut replay = Replay(out.on.clone(), nt);
    let again = simulate(&b, &mut replay, 0, nt, &[19.0, 19.0, 19.0]).unwrap();
    assert_eq!(again.temps_c, out.temps_c);
    // Never heating lets the zones fall out of comfort.
    let mut off = Replay(vec![0; 3 * nt], nt);
    let cold = simulate(&b, &mut off, 0, nt, &[19.0, 19.0, 19.0]).unwrap();
    assert!(cold.comfort_violations > 3 * out.comfort_violations + 100);
    assert_eq!(cold.energy_kwh, 0.0);
}

#[test]
fn bad_input_is_named_and_changes_nothing() {
    for (p, arg) in [
        (BuildingParams::default().num_zones(0usize), "num_zones"),
        (BuildingParams::default().days(0usize), "days"),
        (BuildingParams::default().steps_per_hour(0usize), "steps_per_hour"),
        (
            BuildingParams::default().outdoor_mean_c(f64::NAN),
            "outdoor_mean_c",
        ),
        (BuildingParams::default().peak_limit_kw(-1.0), "peak_limit_kw"),
        (BuildingParams::default().days(1usize << 40), "days"),
    ] {
        let e = Building::new(p).unwrap_err();
        assert!(e.to_string().contains(&format!("`{arg}`")), "{e}");
    }
    let b = building(7);
    let mut temps = [20.0, 20.0, 20.0];
    assert_eq!(
        b.step(0, &mut temps[..2], &[true, true]).unwrap_err().kind(),
        ErrorKind::DimensionMismatch
    );
    assert_eq!(
        b.step(b.num_steps(), &mut temps, &[true; 3]).unwrap_err().kind(),
        ErrorKind::IndexOutOfRange
    );
    let mut nan = [20.0, f64::NAN, 20.0];
    assert_eq!(
        b.step(0, &mut nan, &[true; 3]).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(temps, [20.0, 20.0, 20.0]);
    let mut t = Thermostat::new(0.5).unwrap();
    assert!(simulate(&b, &mut t, b.num_steps() - 1, 2, &temps).is_err());
    assert!(Thermostat::new(-0.1).is_err());
}
