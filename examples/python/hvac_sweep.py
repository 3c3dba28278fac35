"""A sweep of the flagship HVAC pipeline over comfort weight and peak limit with Dask: the same
code runs on a laptop's processes here (``dask.distributed.LocalCluster``) and on a cluster by
changing the ``Client`` address.

The building is shipped to the workers pickled (``neuroquant`` models pickle through their own
container), each worker runs one pipeline, and one configuration is re-run locally to show that a
worker's answer is the same, bit for bit, as the local one.

Run: python examples/python/hvac_sweep.py [--seed N] [--workers K]
Needs ``dask[distributed]`` (``pip install "dask[distributed]"``); says so and exits when missing.
"""

import argparse
import pickle

import neuroquant as nq

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--workers", type=int, default=2)
args = parser.parse_args()

try:
    from dask.distributed import Client, LocalCluster
except ImportError:
    print('skipped: dask.distributed is not installed (pip install "dask[distributed]")')
    raise SystemExit(0)

WEIGHTS = [0.5, 1.0, 4.0]
LIMIT_FRACTIONS = [0.5, 0.6, 0.8]


def plan_and_score(building: "nq.building.Building", comfort_weight: float, fraction: float) -> dict:
    """One pipeline run on `building` (a model the worker received pickled)."""
    rated = sum(z["rated_power_kw"] for z in building.zones)
    limit = round(fraction * rated * 2) / 2  # the units switch in 0.5 kW steps
    r = nq.building.run_pipeline(
        seed=building.seed,
        num_zones=building.num_zones,
        comfort_weight=comfort_weight,
        peak_limit_kw=limit,
    )
    keep = ("energy_cost", "comfort_degree_hours", "peak_violations")
    return {
        "comfort_weight": comfort_weight,
        "peak_limit_kw": limit,
        "schedule": {k: r["schedule"][k] for k in keep},
        "thermostat": {k: r["thermostat"][k] for k in keep},
        "exact_match": r["exact_match"],
    }


if __name__ == "__main__":
    building = nq.building.Building(seed=args.seed, days=10)
    assert pickle.loads(pickle.dumps(building)).series["outdoor_c"].tolist() == building.series["outdoor_c"].tolist()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        shipped = client.scatter(building, broadcast=True)
        futures = [client.submit(plan_and_score, shipped, w, f, pure=False)
                   for w in WEIGHTS for f in LIMIT_FRACTIONS]
        results = client.gather(futures)

    print(f"building seed {building.seed}, {len(results)} runs on {args.workers} Dask workers")
    print(f"{'weight':>6} {'limit kW':>8} | {'cost':>7} {'°C·h':>6} {'peak':>4} | thermostat "
          f"{'cost':>7} {'°C·h':>6} {'peak':>4} | exact")
    for r in results:
        s, t = r["schedule"], r["thermostat"]
        print(f"{r['comfort_weight']:>6} {r['peak_limit_kw']:>8} | {s['energy_cost']:>7.2f} "
              f"{s['comfort_degree_hours']:>6.1f} {s['peak_violations']:>4} | {'':>10} "
              f"{t['energy_cost']:>7.2f} {t['comfort_degree_hours']:>6.1f} {t['peak_violations']:>4} | "
              f"{r['exact_match']}")
    # The controller never plans over the limit, and a worker's run equals the local one.
    assert all(r["schedule"]["peak_violations"] == 0 for r in results)
    local = plan_and_score(building, WEIGHTS[1], LIMIT_FRACTIONS[1])
    assert local == results[len(LIMIT_FRACTIONS) + 1], (local, results[len(LIMIT_FRACTIONS) + 1])
    print("a worker's result equals the local run of the same configuration")
