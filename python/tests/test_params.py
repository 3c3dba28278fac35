"""Parameters come from one place, the core: the samplers' Python signatures, defaults, docs and
errors are read from it, the stubs are checked against it, and the same parameter cases give the
same outcome here as through Rust and C."""

from __future__ import annotations

import ast
import inspect
import json
import pathlib
import pickle

import numpy as np
import pytest

import neuroquant as nq
from neuroquant import anneal

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "core/tests/data/parameter_cases.json").read_text())["cases"]
STUB = pathlib.Path(nq.__file__).parent / "_neuroquant.pyi"

SAMPLERS = {
    "simulated_annealing": anneal.SimulatedAnnealing,
    "steepest_descent": anneal.SteepestDescent,
    "tabu": anneal.Tabu,
    "exact": anneal.Exact,
    "parallel_tempering": anneal.ParallelTempering,
    "path_integral": anneal.PathIntegralAnnealing,
}


def _dwave_refusal(case: dict) -> None:
    """The D-Wave samplers connect when their keywords are valid, so their cases are refusals,
    raised before any connection (the embedding sampler needs a child: one from the test
    server)."""
    assert case["error"] is not None
    kw = case["keywords"]
    with pytest.raises(nq.InvalidArgumentError) as info:
        if case["sampler"] in ("dwave_qpu", "dwave_settings"):
            nq.dwave.DWaveSampler(**kw)
        elif case["sampler"] == "leap_hybrid":
            nq.dwave.LeapHybridSampler(**kw)
        else:
            from _sapi import SapiServer

            server = SapiServer()
            try:
                child = nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token)
                nq.dwave.EmbeddingSampler(child, **kw)
            finally:
                server.close()
    assert str(info.value) == case["error"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['sampler']}-{'-'.join(c['keywords'])}")
def test_parameter_cases_agree_with_rust_and_c(case: dict) -> None:
    if case["sampler"] == "encoder":
        # A streaming spike encoder: its parameters pickle with its state.
        if case["error"] is None:
            enc = nq.spike.Encoder(**case["keywords"])
            back = pickle.loads(pickle.dumps(enc)).params
            assert back.keys() == enc.params.keys()
            for k, v in enc.params.items():
                assert np.array_equal(back[k], v) if isinstance(v, np.ndarray) else back[k] == v, k
        else:
            with pytest.raises(nq.InvalidArgumentError) as info:
                nq.spike.Encoder(**case["keywords"])
            assert str(info.value) == case["error"]
        return
    if case["sampler"] in ("reservoir", "ridge"):
        node = {"reservoir": nq.reservoir.Reservoir, "ridge": nq.reservoir.Ridge}[case["sampler"]]
        if case["error"] is None:
            made = node(**case["keywords"])
            # What was given survives the container.
            assert type(made).from_bytes(made.to_bytes()).to_bytes() == made.to_bytes()
        else:
            with pytest.raises(nq.InvalidArgumentError) as info:
                node(**case["keywords"])
            assert str(info.value) == case["error"]
        return
    if case["sampler"] in ("dwave_qpu", "dwave_settings", "leap_hybrid", "dwave_embedding"):
        _dwave_refusal(case)
        return
    if case["sampler"] == "solver_options":
        _solver_options_case(case)
        return
    cls = SAMPLERS[case["sampler"]]
    if case["error"] is None:
        sampler = cls(**case["keywords"])
        # What was given is what the sampler holds, and survives pickling.
        assert cls.from_params_bytes(sampler.params_bytes()).params_bytes() == sampler.params_bytes()
    else:
        with pytest.raises(nq.InvalidArgumentError) as info:
            cls(**case["keywords"])
        assert str(info.value) == case["error"]


def _solver_options_case(case: dict) -> None:
    """The options of `sesolve`/`mesolve`, given as QuTiP's `options` dict and as a
    `SolverOptions`: the same outcome both ways (H = X/2 on one qubit from |0>, to t = 1)."""
    kw = case["keywords"]
    h = np.array([[0, 0.5], [0.5, 0]], dtype=complex)
    psi0 = np.array([1, 0], dtype=complex)
    if case["error"] is None:
        opts = nq.quantum.SolverOptions(**kw)
        assert {k: opts.to_dict()[k] for k in kw} == kw
        for given in (kw, opts):
            r = nq.quantum.sesolve(h, psi0, [0.0, 1.0], options=given)
            assert abs(abs(r.final_state[1]) ** 2 - np.sin(0.5) ** 2) < 1e-6
    else:
        with pytest.raises(nq.InvalidArgumentError) as info:
            nq.quantum.SolverOptions(**kw)
        assert str(info.value) == case["error"]
        with pytest.raises(nq.InvalidArgumentError) as info:
            nq.quantum.sesolve(h, psi0, [0.0, 1.0], options=kw)
        assert str(info.value) == case["error"]


def _stub_signatures() -> dict[str, list[tuple[str, object]]]:
    """`{class: [(keyword, default)]}` of each sampler's `__new__` in the stub; a default left as
    `...` reads as Ellipsis."""
    tree = ast.parse(STUB.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in {c.__name__ for c in SAMPLERS.values()}:
            new = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__new__")
            args = new.args
            out[node.name] = [(a.arg, ast.literal_eval(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return out


def test_stubs_list_the_core_keywords_in_order_with_their_defaults() -> None:
    stubs = _stub_signatures()
    for cls in SAMPLERS.values():
        runtime = [
            (p.name, tuple(p.default) if isinstance(p.default, list) else p.default)
            for p in inspect.signature(cls).parameters.values()
        ]
        assert stubs[cls.__name__] == runtime, cls.__name__
        assert all(d is not Ellipsis for _, d in stubs[cls.__name__])


def test_signature_defaults_and_docs_are_the_cores() -> None:
    for cls in SAMPLERS.values():
        sig = inspect.signature(cls)
        sampler = cls()
        # Every keyword the core lists, documented in the class docstring with its default.
        assert list(sig.parameters) == list(sampler.parameters)
        for name, doc in sampler.parameters.items():
            assert doc and " ".join(doc.split()) in " ".join(cls.__doc__.split()), (cls, name)
            assert f"{name} :" in cls.__doc__
        # The defaults really are the defaults: passing them changes nothing.
        given = cls(**{n: p.default for n, p in sig.parameters.items()})
        assert given.params_bytes() == sampler.params_bytes()
    assert "num_sweeps_per_beta=1" in str(inspect.signature(anneal.SimulatedAnnealing))
    assert repr(anneal.SimulatedAnnealing()) == "SimulatedAnnealing()"
    assert repr(anneal.SimulatedAnnealing(num_reads=4, seed=2)) == "SimulatedAnnealing(num_reads=4, seed=2)"


def test_unknown_and_mistyped_keywords_name_the_argument() -> None:
    with pytest.raises(nq.InvalidArgumentError, match="`num_sweep` is not a parameter of simulated annealing"):
        anneal.SimulatedAnnealing(num_sweep=10)
    with pytest.raises(nq.InvalidArgumentError, match="argument `num_reads`: is -1, must be a non-negative integer"):
        anneal.SimulatedAnnealing(num_reads=-1)
    with pytest.raises(nq.InvalidArgumentError, match="argument `seed`: must be a non-negative integer or None"):
        anneal.Tabu(seed=1.5)
    with pytest.raises(nq.InvalidArgumentError, match="argument `initial_states_generator`: \"zeros\" is not one of"):
        anneal.SteepestDescent(initial_states_generator="zeros")
    # numpy values are read as the numbers they hold.
    np = pytest.importorskip("numpy")
    s = anneal.SimulatedAnnealing(num_reads=np.int64(3), beta_range=np.array([0.5, 2.0]))
    assert s.params_bytes() == anneal.SimulatedAnnealing(num_reads=3, beta_range=(0.5, 2.0)).params_bytes()


def test_every_error_kind_has_its_own_class() -> None:
    classes = nq._neuroquant._error_classes()
    assert set(classes) == {
        "InvalidArgument",
        "DimensionMismatch",
        "NonFinite",
        "IndexOutOfRange",
        "LimitExceeded",
        "Format",
        "Interrupted",
        "Io",
        "Network",
        "Timeout",
    }
    assert len(set(classes.values())) == len(classes)
    for cls in classes.values():
        assert issubclass(cls, nq.NeuroquantError)
    assert issubclass(classes["Io"], OSError)
    assert issubclass(classes["Network"], ConnectionError)
    assert issubclass(classes["Timeout"], TimeoutError)
    assert issubclass(classes["InvalidArgument"], ValueError)


def _public_callables() -> list[tuple[str, object]]:
    import neuroquant.ocean as ocean

    out = []
    for mod in (nq, nq.anneal, nq.qubo, nq.spike, nq.reservoir, nq.dwave, nq.quantum, ocean):
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if name.startswith("_") or isinstance(obj, (str, type(nq))):
                continue
            out.append((f"{mod.__name__}.{name}", obj))
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr in dir(obj):
                    if attr.startswith("_") or attr in dir(object):
                        continue
                    member = inspect.getattr_static(obj, attr)
                    # Members inherited from dimod or numpy are theirs to document.
                    owner = next((k for k in obj.__mro__ if attr in vars(k)), None)
                    if owner is None or not (owner.__module__ or "").startswith("neuroquant"):
                        continue
                    out.append((f"{mod.__name__}.{name}.{attr}", member))
    return out


def test_help_shows_a_description_for_every_public_name() -> None:
    missing = []
    for name, obj in _public_callables():
        doc = getattr(obj, "__doc__", None)
        if isinstance(obj, (staticmethod, classmethod)):
            doc = obj.__func__.__doc__
        if not (doc or "").strip():
            missing.append(name)
    assert missing == []
    import neuroquant.ocean as ocean

    for cls in (ocean.SimulatedAnnealingSampler, ocean.TabuSampler, ocean.PathIntegralAnnealingSampler):
        assert cls._native.__doc__ in cls.sample.__doc__
