"""The synthetic building from Python: series against their definition, the thermal step against
the closed-form RC update recomputed in numpy, closed-loop scores recomputed from the traces."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import neuroquant as nq
from neuroquant.building import Building


def test_series_and_step_follow_the_rc_model() -> None:
    b = Building(num_zones=2, days=2, seed=3)
    s = b.series
    assert s["load_kw"].shape == (2, b.num_steps) and s["outdoor_c"].shape == (b.num_steps,)
    zones = b.zones
    r = np.array([z["resistance_c_per_kw"] for z in zones])
    # The load holds the setpoint in steady state: T_out + R (L + g) = setpoint where L > 0.
    steady = s["outdoor_c"][None, :] + r[:, None] * (s["load_kw"] + s["gains_kw"])
    heated = s["load_kw"] > 0
    np.testing.assert_allclose(steady[heated], s["setpoint_c"][heated], atol=1e-9)
    # One step from given temperatures, recomputed with the closed form.
    k, temps, on = 40, np.array([18.0, 22.0]), np.array([True, False])
    got = b.step(k, temps, on)
    dt = b.step_hours
    for z, zone in enumerate(zones):
        a = np.exp(-dt / (zone["resistance_c_per_kw"] * zone["capacitance_kwh_per_c"]))
        heat = zone["efficiency"] * zone["rated_power_kw"] * on[z] + s["gains_kw"][z, k]
        want = a * temps[z] + (1 - a) * (s["outdoor_c"][k] + zone["resistance_c_per_kw"] * heat)
        assert got[z] == pytest.approx(want, rel=1e-12)
    assert list(temps) == [18.0, 22.0]  # the caller's array is not modified


def test_closed_loop_scores_are_recomputed_from_the_traces() -> None:
    b = Building(num_zones=3, days=3, seed=5)
    t = b.simulate_thermostat(np.full(3, 19.0))
    on = t["on"]
    power = (on * np.array([z["rated_power_kw"] for z in b.zones])[:, None]).sum(axis=0)
    assert t["energy_kwh"] == pytest.approx(power.sum() * b.step_hours)
    assert t["energy_cost"] == pytest.approx((power * b.series["price_per_kwh"]).sum() * b.step_hours)
    assert t["peak_violations"] == int((power > b.peak_limit_kw + 1e-9).sum())
    # Replaying the thermostat's schedule gives the same run.
    again = b.simulate_schedule(on, np.full(3, 19.0))
    np.testing.assert_array_equal(again["temps_c"], t["temps_c"])
    # A window of the run: same result as the full run's prefix when started from the same state.
    part = b.simulate_schedule(on[:, :50], np.full(3, 19.0))
    np.testing.assert_array_equal(part["temps_c"], t["temps_c"][:, :50])


def test_building_pickles_bad_input_and_help() -> None:
    b = Building(days=1)
    again = pickle.loads(pickle.dumps(b))
    assert again.seed == b.seed and again.series["outdoor_c"].tolist() == b.series["outdoor_c"].tolist()
    assert "num_zones" in Building.__doc__
    with pytest.raises(nq.InvalidArgumentError, match="num_zones"):
        Building(num_zones=0)
    with pytest.raises(nq.DimensionMismatchError, match="temps"):
        b.step(0, np.array([20.0]), np.array([True]))
    with pytest.raises(nq.DimensionMismatchError, match="schedule"):
        b.simulate_schedule(np.zeros((2, 4), dtype=np.uint8), np.full(3, 19.0))
    with pytest.raises(nq.InvalidArgumentError, match="steps"):
        b.simulate_thermostat(np.full(3, 19.0), start=b.num_steps - 1, steps=5)


def test_run_pipeline_reports_what_the_building_api_recomputes() -> None:
    kw = dict(num_zones=3, days=5, seed=11, train_days=3, units=60, num_reads=4, num_sweeps=200)
    r = nq.building.run_pipeline(**kw)
    assert r["seed"] == 11 and r["plans"] == 48
    f = r["forecast"]
    assert all(a < b for a, b in zip(f["raw_nrmse"], f["persistence_nrmse"]))
    # The thermostat's score is the Building's own closed loop over the evaluation days.
    b = Building(num_zones=3, days=5, seed=11)
    start = 3 * 24 * 4
    initial = b.series["setpoint_c"][:, start].copy()
    base = b.simulate_thermostat(initial, start=start)
    assert r["thermostat"]["energy_cost"] == pytest.approx(base["energy_cost"])
    np.testing.assert_array_equal(r["thermostat_temps_c"], base["temps_c"])
    # The controller's run replays through the Building: same temperatures from its unit states.
    again = b.simulate_schedule(r["on"], initial, start=start)
    np.testing.assert_array_equal(again["temps_c"], r["temps_c"])
    assert again["energy_cost"] == pytest.approx(r["schedule"]["energy_cost"])
    assert r["schedule"]["peak_violations"] == again["peak_violations"] == 0
    with pytest.raises(nq.InvalidArgumentError, match="train_days"):
        nq.building.run_pipeline(days=3, train_days=3)
