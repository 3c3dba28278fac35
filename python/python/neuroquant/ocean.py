"""neuroquant's samplers as ``dimod.Sampler`` subclasses: drop-in replacements for
dwave-samplers' ``SimulatedAnnealingSampler``, ``SteepestDescentSolver``, ``TabuSampler``,
dimod's ``ExactSolver``, and a ``PathIntegralAnnealingSampler`` (OpenJij's vocabulary), plus
``ParallelTemperingSampler``. Keyword names and defaults follow dwave-samplers; results are real
``dimod.SampleSet`` objects. Requires dimod (``pip install neuroquant[ocean]``).

Extra keyword accepted by every sampler: ``num_threads`` (default: all cores; results do not
depend on it).
"""

from __future__ import annotations

from typing import Any, ClassVar

import dimod
import numpy as np
from dimod.sampleset import infer_vartype

from neuroquant import anneal as _anneal
from neuroquant.qubo import Bqm

__all__ = [
    "ExactSolver",
    "ParallelTemperingSampler",
    "PathIntegralAnnealingSampler",
    "SimulatedAnnealingSampler",
    "SteepestDescentSampler",
    "SteepestDescentSolver",
    "TabuSampler",
]

_RUN_KEYWORDS = ("interrupt_function", "num_threads")


class _NeuroquantSampler(dimod.Sampler):
    """Converts the dimod model, builds the native sampler from the keywords, converts back."""

    _native: ClassVar[type[_anneal.Sampler]]
    _properties: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        probe = self._native()
        names = list(probe.parameters) + [k for k in _RUN_KEYWORDS if k not in probe.parameters]
        self._parameters: dict[str, list[str]] = {name: [] for name in names}

    @property
    def parameters(self) -> dict[str, list[str]]:
        """dimod's ``parameters``: every keyword ``sample`` accepts (the native sampler's, then
        ``interrupt_function`` and ``num_threads``)."""
        return self._parameters

    @property
    def properties(self) -> dict[str, Any]:
        """dimod's ``properties``: fixed facts about the sampler."""
        return dict(self._properties)

    def _initial_states(self, bqm: dimod.BinaryQuadraticModel, kwargs: dict[str, Any]) -> None:
        """Turns dimod's samples-like initial states into an array in the model's variable order
        and vartype (as dimod's ``Initialized.parse_initial_states`` does); the native sampler
        applies ``initial_states_generator``."""
        states = kwargs.get("initial_states")
        if states is None:
            return
        vartype = states.vartype if isinstance(states, dimod.SampleSet) else (infer_vartype(states) or bqm.vartype)
        array, labels = dimod.as_samples(states, copy=True)
        if set(labels) != set(bqm.variables):
            raise ValueError("mismatch between variables in 'initial_states' and 'bqm'")
        column = {v: i for i, v in enumerate(labels)}
        array = array[:, [column[v] for v in bqm.variables]] if len(labels) else array
        if vartype is dimod.SPIN and bqm.vartype is dimod.BINARY:
            array = (array + 1) // 2
        elif vartype is dimod.BINARY and bqm.vartype is dimod.SPIN:
            array = 2 * array - 1
        kwargs["initial_states"] = np.ascontiguousarray(array, dtype=np.int8)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        native = cls.__dict__.get("_native")
        if native is None:
            return

        # Each class gets its own `sample` whose help shows the native sampler's parameters, as
        # the core describes them.
        def sample(self: _NeuroquantSampler, bqm: dimod.BinaryQuadraticModel, **kwargs: Any) -> dimod.SampleSet:
            return self._sample(bqm, **kwargs)

        sample.__doc__ = (
            f"Samples ``bqm`` (any dimod binary quadratic model) and returns a ``dimod.SampleSet``.\n\n"
            f"Keyword arguments are those of ``neuroquant.anneal.{native.__name__}`` below, plus "
            "``interrupt_function`` and ``num_threads`` (results do not depend on it); unknown ones are "
            "dropped with a warning, as dimod does.\n\n" + (native.__doc__ or "")
        )
        sample.__qualname__ = f"{cls.__name__}.sample"
        cls.sample = sample  # type: ignore[method-assign]

    def _sample(self, bqm: dimod.BinaryQuadraticModel, **kwargs: Any) -> dimod.SampleSet:
        kwargs = self.remove_unknown_kwargs(**kwargs)
        run = {k: kwargs.pop(k) for k in _RUN_KEYWORDS if k in kwargs}
        if "initial_states" in kwargs:
            self._initial_states(bqm, kwargs)
        model = Bqm.from_dimod_bqm(bqm)
        return self._native(**kwargs).sample(model, **run).to_dimod()


class SimulatedAnnealingSampler(_NeuroquantSampler):
    """Simulated annealing with dwave-samplers' keywords: ``num_reads``, ``num_sweeps=1000``,
    ``num_sweeps_per_beta=1``, ``beta_range`` (default ``default_beta_range``),
    ``beta_schedule_type`` ("geometric", "linear", "custom"), ``beta_schedule``, ``seed``,
    ``initial_states``, ``initial_states_generator`` ("random", "tile", "none"),
    ``randomize_order=False``, ``proposal_acceptance_criteria`` ("Metropolis", "Gibbs"),
    ``interrupt_function``."""

    _native = _anneal.SimulatedAnnealing
    _properties = {"beta_schedule_options": ("linear", "geometric", "custom")}


class SteepestDescentSolver(_NeuroquantSampler):
    """Greedy descent to a local minimum from each initial state; adds ``num_steps``."""

    _native = _anneal.SteepestDescent


SteepestDescentSampler = SteepestDescentSolver


class TabuSampler(_NeuroquantSampler):
    """Multistart tabu search (MST2) with dwave-samplers' keywords: ``num_reads``, ``tenure``,
    ``timeout`` (ms per read, default 20), ``num_restarts``, ``energy_threshold``,
    ``coefficient_z_first``, ``coefficient_z_restart``, ``lower_bound_z``, ``initial_states``,
    ``initial_states_generator``, ``seed``; adds ``num_restarts``.

    Reproducibility: as in dwave-samplers, the default ``timeout=20`` ends each read after 20 ms
    of wall-clock time, so results depend on machine speed and load and a ``seed`` does not
    repeat a run. Pass ``timeout=None`` for runs a seed fixes exactly;
    ``info["extra"]["timed_out_reads"]`` counts the reads the timeout ended."""

    _native = _anneal.Tabu


class ExactSolver(_NeuroquantSampler):
    """Every state of the model, as dimod's ExactSolver (``mode="ground_states"`` for only the
    ground states)."""

    _native = _anneal.Exact


class ParallelTemperingSampler(_NeuroquantSampler):
    """Replica-exchange Monte Carlo over a temperature ladder (not in Ocean)."""

    _native = _anneal.ParallelTempering


class PathIntegralAnnealingSampler(_NeuroquantSampler):
    """Path-integral (simulated quantum) annealing with OpenJij's keywords: ``beta=5``,
    ``gamma=1``, ``trotter=4``, ``num_sweeps``, ``schedule`` of ``(s, beta, sweeps)``; returns the
    best Trotter slice of each read (adds ``slice``)."""

    _native = _anneal.PathIntegralAnnealing
