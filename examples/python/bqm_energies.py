"""Build a binary quadratic model from numpy arrays and evaluate energies; compare with dimod
when it is installed.

Run: python examples/python/bqm_energies.py
"""

import numpy as np

import neuroquant as nq

n = 200
rng = np.random.default_rng(7)
rows, cols = np.triu_indices(n, 1)
bqm = nq.qubo.Bqm(n, "BINARY")
bqm.add_linear_from_array(rng.uniform(-1, 1, n))
bqm.add_quadratic_from_arrays(rows, cols, rng.uniform(-1, 1, len(rows)))

samples = rng.integers(0, 2, size=(1000, n), dtype=np.int8)
energies = bqm.energies(samples)
print(f"{bqm!r}\nlowest of {len(samples)} random samples: {energies.min():.4f}")

try:
    import dimod
except ImportError:
    pass
else:
    ref = bqm.to_dimod()
    diff = np.abs(ref.energies((samples, range(n))) - energies).max()
    print(f"max difference from dimod: {diff:.2e}")
