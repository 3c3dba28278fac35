"""Samplers of binary quadratic models (numpy in and out) and the sample sets they return.

Every sampler is constructed with its parameters (dwave-samplers' keyword names and defaults;
OpenJij's for path-integral annealing) and samples a ``neuroquant.qubo.Bqm`` with the GIL
released; reads run in parallel and the result does not depend on ``num_threads``. For drop-in
``dimod.Sampler`` classes see ``neuroquant.ocean``.
"""

from neuroquant._neuroquant import (
    DwavePathIntegralAnnealing,
    Exact,
    FallbackSampler,
    ParallelTempering,
    PathIntegralAnnealing,
    RoutingSampler,
    Sampler,
    SampleSet,
    SimulatedAnnealing,
    SteepestDescent,
    Tabu,
    check_dwave_seed,
    default_beta_range,
)

__all__ = [
    "DwavePathIntegralAnnealing",
    "Exact",
    "FallbackSampler",
    "ParallelTempering",
    "PathIntegralAnnealing",
    "RoutingSampler",
    "SampleSet",
    "Sampler",
    "SimulatedAnnealing",
    "SteepestDescent",
    "Tabu",
    "check_dwave_seed",
    "default_beta_range",
]
