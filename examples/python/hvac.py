"""The flagship HVAC pipeline from Python: forecast a simulated building's heating loads with a
reservoir, plan its heat pumps hour by hour as QUBOs, and score the closed loop against two
thermostats (one blind to the peak-power limit, one shedding load to it). Every figure printed
or plotted is computed by the run.

Run: python examples/python/hvac.py [--seed N] [--out DIR]

With matplotlib (``pip install "neuroquant[plots]"`` or ``pip install matplotlib``) it writes
four PNG files to DIR (default: the current directory): the forecast against the truth per zone,
the schedule as a heat map, the energies of the first plan's samples, and the costs and comfort
of the three controllers. Without matplotlib it prints the report and says how to get the plots.
"""

import argparse
import pathlib

import numpy as np

import neuroquant as nq

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."))
args = parser.parse_args()

r = nq.building.run_pipeline(seed=args.seed)

print(f"building seed {r['seed']}: forecast input {r['forecast']['input']!r}")
for z, (ours, base) in enumerate(zip(r["forecast"]["nrmse"], r["forecast"]["persistence_nrmse"])):
    print(f"  zone {z}: forecast NRMSE {ours:.3f} vs persistence {base:.3f}")
rows = [
    ("QUBO controller", r["schedule"]),
    ("thermostat", r["thermostat"]),
    ("thermostat, load shed", r["thermostat_peak_limited"]),
]
print(f"  {'':<22} {'cost':>8} {'°C·h out':>9} {'peak steps':>11}")
for name, s in rows:
    print(f"  {name:<22} {s['energy_cost']:>8.2f} {s['comfort_degree_hours']:>9.1f} {s['peak_violations']:>11}")
print(f"  samplers: {r['sampler_note']}; plans answered by: {r['answered_by']}")
print(f"  solver {r['solver']}, exact check {'passed' if r['exact_match'] else 'FAILED'}, {r['elapsed_s']:.2f} s")

# The schedule the controller applied: zones x 15-minute steps, 0/1.
on = np.asarray(r["on"])
assert on.shape[0] == len(r["forecast"]["nrmse"])
print(f"  units on {on.mean():.0%} of the time; {int(on.sum())} zone-steps")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print('plots skipped: matplotlib is not installed (pip install "neuroquant[plots]")')
    raise SystemExit(0)

args.out.mkdir(parents=True, exist_ok=True)
forecast, truth = np.asarray(r["forecast_first"]), np.asarray(r["truth_first"])
fig, axes = plt.subplots(len(forecast), 1, figsize=(9, 2.2 * len(forecast)), sharex=True)
for z, ax in enumerate(np.atleast_1d(axes)):
    ax.plot(truth[z], label="load (truth)")
    ax.plot(forecast[z], label="reservoir forecast, next hour")
    ax.set_ylabel(f"zone {z} kWh")
np.atleast_1d(axes)[0].legend(loc="upper right")
np.atleast_1d(axes)[-1].set_xlabel("evaluation hour")
fig.tight_layout()
fig.savefig(args.out / "hvac_forecast.png")

fig, ax = plt.subplots(figsize=(9, 2.5))
ax.imshow(on, aspect="auto", interpolation="nearest", cmap="Greys")
ax.set_xlabel("15-minute step")
ax.set_ylabel("zone")
ax.set_title("heat pumps on (black)")
fig.tight_layout()
fig.savefig(args.out / "hvac_schedule.png")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.hist(r["first_plan_energies"], bins=30)
ax.set_xlabel("QUBO energy")
ax.set_ylabel("samples")
ax.set_title("first plan: energies of the sampler's reads")
fig.tight_layout()
fig.savefig(args.out / "hvac_energies.png")

fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
names = [n for n, _ in rows]
a1.bar(names, [s["energy_cost"] for _, s in rows])
a1.set_ylabel("energy cost")
a2.bar(names, [s["comfort_degree_hours"] for _, s in rows])
a2.set_ylabel("°C·h outside the comfort band")
for a in (a1, a2):
    a.tick_params(axis="x", rotation=20)
fig.tight_layout()
fig.savefig(args.out / "hvac_costs.png")
print(f"wrote 4 plots to {args.out.resolve()}")
