"""neuroquant's samplers as ``dimod.Sampler`` subclasses: drop-in replacements for
dwave-samplers' ``SimulatedAnnealingSampler``, ``SteepestDescentSolver``, ``TabuSampler`` and
``PathIntegralAnnealingSampler`` and dimod's ``ExactSolver``, plus ``ParallelTemperingSampler``.
Keyword names, defaults, ``parameters``, ``properties``, seed ranges and the
``interrupt_function`` contract follow dwave-samplers 1.8 (whose own test suite runs against
these classes in ``make test``); results are real ``dimod.SampleSet`` objects. Requires dimod
(``pip install neuroquant[ocean]``).

Extra keyword accepted by every sampler: ``num_threads`` (default: all cores; results do not
depend on it). The OpenJij-style path-integral sampler stays in ``neuroquant.anneal``
(``PathIntegralAnnealing``).
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
    # dwave's related-property lists for the keywords that have them.
    _related: ClassVar[dict[str, list[str]]] = {}

    def __init__(self) -> None:
        probe = self._native()
        names = list(probe.parameters) + [k for k in _RUN_KEYWORDS if k not in probe.parameters]
        self._parameters: dict[str, list[str]] = {name: list(self._related.get(name, [])) for name in names}

    @property
    def parameters(self) -> dict[str, list[str]]:
        """dimod's ``parameters``: every keyword ``sample`` accepts (the native sampler's, then
        ``interrupt_function`` and ``num_threads``), each with dwave's list of related
        properties."""
        return self._parameters

    @property
    def properties(self) -> dict[str, Any]:
        """dimod's ``properties``: fixed facts about the sampler (dwave's entries)."""
        return dict(self._properties)

    def _initial_states(self, bqm: Any, kwargs: dict[str, Any]) -> None:
        """Turns dimod's samples-like initial states into an array in the model's variable order
        and vartype (as dimod's ``Initialized.parse_initial_states`` does); the native sampler
        applies ``initial_states_generator``."""
        states = kwargs.get("initial_states")
        if states is None:
            return
        vartype = states.vartype if isinstance(states, dimod.SampleSet) else (infer_vartype(states) or bqm.vartype)
        array, labels = dimod.as_samples(states, copy=True)
        variables = list(bqm.variables)
        if set(labels) != set(variables):
            raise ValueError("mismatch between variables in 'initial_states' and 'bqm'")
        column = {v: i for i, v in enumerate(labels)}
        array = array[:, [column[v] for v in variables]] if len(labels) else array
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
        def sample(self: _NeuroquantSampler, bqm: Any, **kwargs: Any) -> dimod.SampleSet:
            return self._sample(bqm, **kwargs)

        sample.__doc__ = (
            "Samples ``bqm`` (a dimod binary quadratic model or a ``neuroquant.qubo.Bqm``) and returns "
            "a ``dimod.SampleSet``.\n\n"
            f"Keyword arguments are those of ``neuroquant.anneal.{native.__name__}`` below, plus "
            "``interrupt_function`` (dwave's contract: called once after each read, in read order; the "
            "first read always completes; returning True or raising stops the run, which returns the "
            "reads done so far, the same rows on any thread count) and ``num_threads`` (results do not "
            "depend on it); unknown ones are dropped with a warning, as dimod does. Seeds outside "
            "dwave-samplers' range raise ``ValueError``.\n\n" + (native.__doc__ or "")
        )
        sample.__qualname__ = f"{cls.__name__}.sample"
        cls.sample = sample  # type: ignore[method-assign]

    def _sample(self, bqm: Any, **kwargs: Any) -> dimod.SampleSet:
        kwargs = self.remove_unknown_kwargs(**kwargs)
        interrupt = kwargs.pop("interrupt_function", None)
        if interrupt is not None and not callable(interrupt):
            raise TypeError("argument `interrupt_function`: must be a callable or None")
        run = {k: kwargs.pop(k) for k in _RUN_KEYWORDS if k in kwargs}
        if "initial_states" in kwargs:
            self._initial_states(bqm, kwargs)
        model = bqm if isinstance(bqm, Bqm) else Bqm.from_dimod_bqm(bqm)
        native = self._native(**kwargs)
        if kwargs.get("seed") is not None:
            _anneal.check_dwave_seed(native.name, kwargs["seed"])
        result = native.sample(model, interrupt_function=interrupt, interrupt_between_reads=True, **run)
        return result.to_dimod()


class SimulatedAnnealingSampler(_NeuroquantSampler):
    """Simulated annealing with dwave-samplers' keywords: ``num_reads``, ``num_sweeps=1000``,
    ``num_sweeps_per_beta=1``, ``beta_range`` (default ``default_beta_range``),
    ``beta_schedule_type`` ("geometric", "linear", "custom"), ``beta_schedule``, ``seed``,
    ``initial_states``, ``initial_states_generator`` ("random", "tile", "none"),
    ``randomize_order=False``, ``proposal_acceptance_criteria`` ("Metropolis", "Gibbs"),
    ``interrupt_function``."""

    _native = _anneal.SimulatedAnnealing
    _properties = {"beta_schedule_options": ("linear", "geometric", "custom")}
    _related = {"beta_schedule_type": ["beta_schedule_options"]}


class SteepestDescentSolver(_NeuroquantSampler):
    """Greedy descent to a local minimum from each initial state; adds ``num_steps`` (uint32, as
    dwave's). Bit-identical to dwave-samplers' solver from the same initial states."""

    _native = _anneal.SteepestDescent
    _properties = {"initial_states_generators": ("none", "tile", "random"), "large_sparse_opt_values": (True, False)}
    _related = {
        "initial_states_generator": ["initial_states_generators"],
        "large_sparse_opt": ["large_sparse_opt_values"],
    }

    def _sample(self, bqm: Any, **kwargs: Any) -> dimod.SampleSet:
        sampleset = super()._sample(bqm, **kwargs)
        # dwave's record field is uint32.
        record = sampleset.record
        if "num_steps" in record.dtype.names and record["num_steps"].dtype != np.uint32:
            vectors = {"num_steps": record["num_steps"].astype(np.uint32)}
            sampleset = dimod.SampleSet.from_samples(
                (record.sample, sampleset.variables),
                sampleset.vartype,
                record.energy,
                info=sampleset.info,
                num_occurrences=record.num_occurrences,
                **vectors,
            )
        return sampleset


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
    """Path-integral annealing with dwave-samplers 1.8's keywords (``beta_range``,
    ``num_sweeps=100``, ``num_sweeps_per_beta``, ``beta_schedule_type``, ``Hp_field``,
    ``Hd_field``, ``Gamma``, ``seed``, ``initial_states``, ``initial_states_generator``,
    ``interrupt_function``), its ``info`` (``beta_range``, ``beta_schedule_type``, ``timing``) and
    record fields (no ``slice``). The OpenJij vocabulary is ``neuroquant.anneal.PathIntegralAnnealing``.
    dwave's worldline-break keywords (``num_breaks``, ``breaks_in``, ``project_states``, ...) are not
    supported: neuroquant works on Trotter slices (``trotter``)."""

    _native = _anneal.DwavePathIntegralAnnealing
    _properties = {"beta_schedule_options": ("linear", "geometric", "custom")}
    _related = {"beta_schedule_type": ["beta_schedule_options"]}
