"""neuroquant's samplers as ``dimod.Sampler`` subclasses: drop-in replacements for
dwave-samplers' ``SimulatedAnnealingSampler``, ``SteepestDescentSolver``, ``TabuSampler`` and
``PathIntegralAnnealingSampler`` and dimod's ``ExactSolver``, plus ``ParallelTemperingSampler``.
Keyword names, defaults, ``parameters``, ``properties``, seed ranges and the
``interrupt_function`` contract follow dwave-samplers 1.8 (whose own test suite runs against
these classes in ``make test``); results are real ``dimod.SampleSet`` objects. Requires dimod
(``pip install neuroquant[ocean]``).

D-Wave's solvers as dwave-system has them: ``DWaveSampler`` (a ``dimod.Structured`` QPU sampler),
``LeapHybridSampler`` and ``EmbeddingComposite``, on neuroquant's own SAPI client; sample sets
carry SAPI's ``timing`` and ``problem_id`` in ``info``, as dwave-system fills them.

Extra keyword accepted by every sampler: ``num_threads`` (default: all cores; results do not
depend on it). The OpenJij-style path-integral sampler stays in ``neuroquant.anneal``
(``PathIntegralAnnealing``).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar, cast

import dimod
import numpy as np
from dimod.sampleset import infer_vartype

from neuroquant import anneal as _anneal
from neuroquant import dwave as _dwave
from neuroquant.qubo import Bqm

__all__ = [
    "DWaveSampler",
    "EmbeddingComposite",
    "ExactSolver",
    "LeapHybridSampler",
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


# --- D-Wave (dwave-system's samplers on neuroquant's SAPI client) -------------------------------

_CONFIG_KEYWORDS = (
    "endpoint", "token", "solver", "region", "proxy", "request_timeout", "polling_timeout",
    "http_retry_total", "config_file", "profile", "metadata_api_endpoint",
)


def _sapi_info(extra: dict[str, Any]) -> dict[str, Any]:
    """``info`` as dwave-system fills it: SAPI's ``timing``, ``problem_id`` and, when there is
    one, ``problem_label`` and ``problem_data_id`` (the uploaded model of a hybrid problem)."""
    info: dict[str, Any] = {"timing": dict(extra.get("timing", {})), "problem_id": extra.get("problem_id")}
    for key in ("problem_label", "problem_data_id"):
        if extra.get(key) is not None:
            info[key] = extra[key]
    return info


class DWaveSampler(dimod.Sampler, dimod.Structured):
    """A D-Wave QPU as dwave-system's ``DWaveSampler``: a structured sampler whose ``nodelist``
    and ``edgelist`` are the solver's working qubits and couplers, ``properties`` the solver's
    SAPI properties and ``parameters`` its SAPI parameters. ``sample(bqm, **parameters)`` takes
    SAPI's keywords (``num_reads``, ``answer_mode``, ``annealing_time``, ``anneal_schedule``,
    ``auto_scale``, ``label``, ...; checked against the solver's properties before any
    request, reads above the solver's limit split over several problems) and returns a
    ``dimod.SampleSet`` over the model's variables, sorted, with ``info["timing"]`` (SAPI's, µs)
    and ``info["problem_id"]``.

    Connection settings: ``endpoint``, ``token``, ``solver`` (a name or a feature filter as a
    dict or JSON text; default: the least-loaded QPU), ``region``, ``proxy``,
    ``request_timeout``, ``polling_timeout``, ``http_retry_total``, ``config_file``, ``profile``,
    then ``DWAVE_API_*``, then dwave.conf, with Ocean's precedence. The token is never shown.
    """

    def __init__(self, endpoint: str | None = None, token: str | None = None, solver: Any = None,
                 region: str | None = None, **config: Any) -> None:
        if isinstance(solver, dict):
            import json

            solver = json.dumps(solver)
        settings = {k: v for k, v in dict(endpoint=endpoint, token=token, solver=solver, region=region).items()
                    if v is not None}
        settings.update(config)
        self.native = _dwave.DWaveSampler(**settings)
        self._properties: dict[str, Any] = self.native.properties
        self._parameters = {name: ["parameters"] for name in self._properties.get("parameters", {})}
        self._parameters["label"] = []
        self._nodelist: list[Hashable] = list(self.native.nodelist)
        self._edgelist: list[tuple[Hashable, Hashable]] = [(u, v) for u, v in self.native.edgelist]

    @property
    def properties(self) -> dict[str, Any]:
        """The solver's properties as SAPI returns them."""
        return self._properties

    @property
    def parameters(self) -> dict[str, list[str]]:
        """The solver's SAPI parameters (``{name: ["parameters"]}``) and ``label``."""
        return self._parameters

    @property
    def nodelist(self) -> list[Hashable]:
        """The working qubits, sorted."""
        return self._nodelist

    @property
    def edgelist(self) -> list[tuple[Hashable, Hashable]]:
        """The working couplers as sorted ``(u, v)`` with ``u < v``."""
        return self._edgelist

    @property
    def solver(self) -> str:
        """The selected solver's name."""
        return str(self.native.solver)

    def close(self) -> None:
        """Nothing to release (no background threads); for dwave-system's ``with`` usage."""

    def __enter__(self) -> DWaveSampler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _structure_error(self, bqm: dimod.BinaryQuadraticModel) -> str | None:
        nodes = set(self._nodelist)
        for v in bqm.variables:
            if not isinstance(v, (int, np.integer)) or v not in nodes:
                return f"variable {v!r} is not a working qubit of {self.solver}"
        edges = set(self._edgelist)
        for u, v in bqm.quadratic:
            a, b = cast(int, u), cast(int, v)
            if (min(a, b), max(a, b)) not in edges:
                return f"interaction ({u!r}, {v!r}) is not a working coupler of {self.solver}"
        return None

    def _qubit_model(self, bqm: dimod.BinaryQuadraticModel) -> Bqm:
        model = Bqm(int(self.native.num_qubits), vartype=bqm.vartype.name)
        linear = np.zeros(int(self.native.num_qubits))
        vectors: Any = bqm.to_numpy_vectors(return_labels=True)
        ldata, (irow, icol, qdata), offset, order = vectors
        labels = np.asarray(order, dtype=np.int64)
        linear[labels] = ldata
        model.add_linear_from_array(linear)
        if len(qdata):
            model.add_quadratic_from_arrays(labels[irow], labels[icol], qdata)
        model.offset = float(offset)
        return model

    def sample(self, bqm: dimod.BinaryQuadraticModel, **parameters: Any) -> dimod.SampleSet:
        """Samples ``bqm`` (over working qubits and couplers) on the QPU. Keywords: the solver's
        SAPI parameters (see ``parameters``); unknown ones are dropped with a warning, as dimod
        does. A model that does not fit the working graph raises dimod's
        ``BinaryQuadraticModelStructureError`` (use ``EmbeddingComposite``)."""
        parameters = self.remove_unknown_kwargs(**parameters)
        problem = self._structure_error(bqm)
        if problem is not None:
            raise dimod.exceptions.BinaryQuadraticModelStructureError(
                f"Problem graph incompatible with solver: {problem}. Please use 'EmbeddingComposite' "
                "to map the problem graph to the solver.")
        native = self.native.with_params(**parameters) if parameters else self.native
        variables = sorted(cast(int, v) for v in bqm.variables)
        result = native.sample_qubits(self._qubit_model(bqm), variables)
        samples = np.asarray(result.samples)[:, variables] if variables else np.empty((len(result), 0), np.int8)
        return dimod.SampleSet.from_samples(
            (samples, variables), vartype=bqm.vartype, energy=np.asarray(result.energies),
            num_occurrences=np.asarray(result.num_occurrences), info=_sapi_info(result.info["extra"]))


class LeapHybridSampler(dimod.Sampler):
    """A Leap hybrid BQM solver as dwave-system's ``LeapHybridSampler``: ``sample(bqm,
    time_limit=None)`` uploads the model (multipart DIMODBQM, MD5-checked), waits for the answer
    and returns a ``dimod.SampleSet`` over the model's variables with ``info["problem_id"]`` and
    the solver's ``info`` entries (``qpu_access_time``, ``run_time``, ...). ``time_limit``
    defaults to ``min_time_limit(bqm)``. Connection settings as ``DWaveSampler`` (default solver:
    the least-loaded hybrid BQM solver)."""

    def __init__(self, endpoint: str | None = None, token: str | None = None, solver: Any = None,
                 region: str | None = None, **config: Any) -> None:
        if isinstance(solver, dict):
            import json

            solver = json.dumps(solver)
        settings = {k: v for k, v in dict(endpoint=endpoint, token=token, solver=solver, region=region).items()
                    if v is not None}
        settings.update(config)
        self.native = _dwave.LeapHybridSampler(**settings)
        self._properties: dict[str, Any] = self.native.properties
        self._parameters = {name: ["parameters"] for name in self._properties.get("parameters", {})}
        self._parameters["label"] = []

    @property
    def properties(self) -> dict[str, Any]:
        """The solver's properties as SAPI returns them."""
        return self._properties

    @property
    def parameters(self) -> dict[str, list[str]]:
        """The solver's parameters (``time_limit``, ...) and ``label``."""
        return self._parameters

    @property
    def solver(self) -> str:
        """The selected solver's name."""
        return str(self.native.solver)

    def close(self) -> None:
        """Nothing to release; for dwave-system's ``with`` usage."""

    def __enter__(self) -> LeapHybridSampler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def min_time_limit(self, bqm: dimod.BinaryQuadraticModel) -> float:
        """The solver's minimum ``time_limit`` (seconds) for ``bqm``, interpolated in
        ``properties["minimum_time_limit"]`` as dwave-system does."""
        value = self.native.min_time_limit(len(bqm.variables))
        return float(value) if value is not None else 0.0

    def sample(self, bqm: dimod.BinaryQuadraticModel, time_limit: float | None = None,
               **parameters: Any) -> dimod.SampleSet:
        """Samples ``bqm`` on the hybrid solver within ``time_limit`` seconds (default: the
        solver's minimum for the model's size); ``label`` names the problem."""
        parameters = self.remove_unknown_kwargs(**parameters)
        if time_limit is not None:
            parameters["time_limit"] = time_limit
        native = self.native.with_params(**parameters) if parameters else self.native
        result = native.sample(Bqm.from_dimod_bqm(bqm))
        extra = dict(result.info["extra"])
        info = {k: v for k, v in extra.items() if k not in ("solver", "timing", "problem_id", "problem_label", "problem_data_id")}
        info.update(_sapi_info(extra))
        variables = list(bqm.variables)
        return dimod.SampleSet.from_samples(
            (np.asarray(result.samples), variables), vartype=bqm.vartype, energy=np.asarray(result.energies),
            num_occurrences=np.asarray(result.num_occurrences), info=info)


class EmbeddingComposite(dimod.ComposedSampler):
    """Maps any model onto a structured ``DWaveSampler`` by minor embedding, as dwave-system's
    ``EmbeddingComposite``: finds an embedding (neuroquant's seeded heuristic finder in place of
    minorminer; ``embedding_parameters`` takes its ``tries``, ``max_no_improvement``,
    ``chainlength_patience``, ``random_seed``), sets ``chain_strength`` (a number; default
    ``uniform_torque_compensation``), samples, and unembeds by majority vote, adding the
    ``chain_break_fraction`` vector. ``return_embedding=True`` puts ``embedding_context``
    (embedding, chain strength, chain break method) in ``info``."""

    def __init__(self, child_sampler: DWaveSampler) -> None:
        if not isinstance(child_sampler, DWaveSampler):
            raise TypeError("EmbeddingComposite needs a neuroquant.ocean.DWaveSampler child, "
                            f"not {type(child_sampler).__name__}")
        self._children = [child_sampler]
        self._parameters = dict(child_sampler.parameters)
        self._parameters.update(chain_strength=[], chain_break_fraction=[], embedding_parameters=[],
                                return_embedding=[])
        self._properties = {"child_properties": child_sampler.properties.copy()}

    @property
    def children(self) -> list[DWaveSampler]:
        """The child sampler, in a list (dimod's ``children``)."""
        return self._children

    @property
    def parameters(self) -> dict[str, list[str]]:
        """The child's parameters plus ``chain_strength``, ``chain_break_fraction``,
        ``embedding_parameters`` and ``return_embedding``."""
        return self._parameters

    @property
    def properties(self) -> dict[str, Any]:
        """``{"child_properties": ...}``."""
        return self._properties

    def sample(self, bqm: dimod.BinaryQuadraticModel, chain_strength: float | None = None,
               chain_break_fraction: bool = True, embedding_parameters: dict[str, Any] | None = None,
               return_embedding: bool = False, **parameters: Any) -> dimod.SampleSet:
        """Samples ``bqm`` (any labels) through an embedding into the child's working graph;
        other keywords are the child's SAPI parameters."""
        if callable(chain_strength):
            raise TypeError("chain_strength must be a number or None (uniform_torque_compensation); "
                            "callables are not supported")
        parameters = self.remove_unknown_kwargs(**parameters)
        child = self._children[0]
        qpu = child.native.with_params(**parameters) if parameters else child.native
        params: dict[str, Any] = dict(chain_break_fraction=chain_break_fraction, return_embedding=return_embedding)
        if chain_strength is not None:
            params["chain_strength"] = chain_strength
        params.update(embedding_parameters or {})
        model = Bqm.from_dimod_bqm(bqm)
        result = _dwave.EmbeddingSampler(qpu, **params).sample(model)
        extra = dict(result.info["extra"])
        info = _sapi_info(extra)
        variables = list(bqm.variables)
        if return_embedding and "embedding_context" in extra:
            context = dict(extra["embedding_context"])
            context["embedding"] = {v: list(chain) for v, chain in zip(variables, context["embedding"])}
            info["embedding_context"] = context
        vectors = {}
        if chain_break_fraction:
            vectors["chain_break_fraction"] = np.asarray(result.vectors["chain_break_fraction"])
        return dimod.SampleSet.from_samples(
            (np.asarray(result.samples), variables), vartype=bqm.vartype, energy=np.asarray(result.energies),
            num_occurrences=np.asarray(result.num_occurrences), info=info, **vectors)
