"""Hamiltonian evolution, open systems, coherence and interference, with QuTiP's vocabulary.

``sesolve(H, psi0, tlist, e_ops=None, args=None, options=None)`` and
``mesolve(H, rho0, tlist, c_ops=None, e_ops=None, args=None, options=None)`` take QuTiP's
arguments in QuTiP's order: ``H`` is a numpy array, a scipy.sparse matrix, a QuTiP ``Qobj``, a
``PauliSum`` or ``Operator``, or QuTiP's list form ``[H0, [H1, c1], ...]`` where each ``c`` is a
callable ``f(t)`` / ``f(t, **args)`` / ``f(t, args)``, a string expression in ``t`` and the
``args`` (``"cos(w*t)"``), or an array sampled on ``tlist`` (cubic spline; ``order=0`` in
``options`` is not used: pass ``("steps", values)`` for a step function, or ``("spline",
times, values)`` / ``("steps", times, values)`` for samples on a grid of their own). ``options`` is a dict
with QuTiP's names (``atol``, ``rtol``, ``nsteps``, ``max_step``, ``method``,
``store_states``, ``krylov_dim``; ``progress_bar`` and ``store_final_state`` are accepted and
ignored). The defaults are tighter than QuTiP's (atol 1e-12, rtol 1e-10) and time-independent
problems use Krylov propagation with error control.

Metrics follow QuTiP's definitions: ``fidelity`` is NOT squared (``fidelity_squared`` is),
``tracedist`` is ``0.5 Tr|A-B|``, ``hilbert_dist`` is the SQUARED Hilbert-Schmidt distance.
Coherence measures (l1, relative entropy, robustness), visibility and predictability, Kraus
channels, quantum annealing of a ``Bqm`` and phase oscillators complete the module. Qubit 0 is
the most significant tensor factor (``qutip.tensor``'s order); |0> is the sigma_z = +1 state.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Sequence

import numpy as np

from neuroquant._neuroquant import (
    Channel,
    Kuramoto,
    KuramotoTrace,
    Operator,
    PauliSum,
    PhaseState,
    SolverOptions,
    _mesolve,
    _sesolve,
    _sesolve_batch,
    anneal_bqm,
    bures_angle,
    bures_dist,
    coherence_l1,
    coherence_relative_entropy,
    concurrence,
    entropy_linear,
    entropy_vn,
    fidelity,
    fidelity_squared,
    hilbert_dist,
    interference,
    predictability,
    purity,
    robustness_of_coherence,
    state_from_bytes,
    state_to_bytes,
    t1_t2_lindblad,
    tracedist,
    visibility,
    visibility_from_intensities,
)

__all__ = [
    "Channel",
    "Kuramoto",
    "KuramotoTrace",
    "Operator",
    "PauliSum",
    "PhaseState",
    "Result",
    "SolverOptions",
    "anneal_bqm",
    "basis",
    "bures_angle",
    "bures_dist",
    "coherence_l1",
    "coherence_relative_entropy",
    "concurrence",
    "entropy_linear",
    "entropy_vn",
    "fidelity",
    "fidelity_squared",
    "hilbert_dist",
    "interference",
    "ket2dm",
    "mesolve",
    "operator",
    "predictability",
    "purity",
    "robustness_of_coherence",
    "sesolve",
    "sesolve_batch",
    "state_from_bytes",
    "state_to_bytes",
    "t1_t2_lindblad",
    "tracedist",
    "visibility",
    "visibility_from_intensities",
]

_IGNORED_OPTIONS = ("progress_bar", "progress_kwargs", "store_final_state")


def _operator_from_pauli_bytes(data: bytes, storage: str) -> Operator:
    return PauliSum.from_bytes(data).to_operator(storage)


def operator(obj: Any) -> Operator:
    """An ``Operator`` from a numpy array, a scipy.sparse matrix, a QuTiP ``Qobj``, a
    ``PauliSum`` (matrix-free) or an ``Operator`` (returned as is)."""
    if isinstance(obj, Operator):
        return obj
    if isinstance(obj, PauliSum):
        return obj.to_operator("matrix_free")
    if hasattr(obj, "data_as") and hasattr(obj, "dims"):  # qutip.Qobj, without importing qutip
        obj = obj.data_as("csr_matrix")
    if hasattr(obj, "tocsr") and hasattr(obj, "indptr") or type(obj).__module__.startswith("scipy.sparse"):
        m = obj.tocsr()
        if m.shape[0] != m.shape[1]:
            raise ValueError(f"argument `H`: shape {m.shape} is not square")
        return Operator.from_csr(
            m.shape[0],
            np.asarray(m.indptr, dtype=np.int64).tolist(),
            np.asarray(m.indices, dtype=np.int64).tolist(),
            np.ascontiguousarray(m.data, dtype=np.complex128),
        )
    a = np.asarray(obj)
    if a.ndim != 2:
        raise ValueError(f"argument `H`: an operator must be 2-D, got {a.ndim}-D")
    return Operator.from_dense(np.ascontiguousarray(a, dtype=np.complex128))


def _state(obj: Any) -> np.ndarray:
    if hasattr(obj, "full") and hasattr(obj, "dims"):  # qutip.Qobj
        obj = obj.full()
        if obj.ndim == 2 and obj.shape[1] == 1:
            obj = obj[:, 0]
    a = np.ascontiguousarray(obj, dtype=np.complex128)
    if a.ndim == 2 and a.shape[1] == 1 and a.shape[0] != 1:
        a = np.ascontiguousarray(a[:, 0])
    return a


_MATH = {name: getattr(np, name) for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "pi", "arctan", "tanh", "sinh", "cosh", "real", "imag", "conj")}


def _coefficient(c: Any, args: dict[str, Any], tlist: np.ndarray) -> Any:
    if isinstance(c, tuple) and len(c) in (2, 3) and c[0] in ("spline", "steps"):
        # ("spline" | "steps", values) sampled on tlist, or (kind, times, values) on a grid of its own.
        times = tlist if len(c) == 2 else c[1]
        values = np.ascontiguousarray(c[-1], dtype=np.complex128)
        return (c[0], np.ascontiguousarray(times, dtype=np.float64), values)
    if isinstance(c, str):
        code = compile(c, "<coefficient>", "eval")
        scope = dict(_MATH)
        return lambda t: complex(eval(code, scope, {"t": t, **args}))
    if callable(c):
        try:
            params = list(inspect.signature(c).parameters)
        except (TypeError, ValueError):
            params = ["t"]
        if len(params) == 2 and params[1] == "args":
            return lambda t: complex(c(t, args))
        wanted = {k: v for k, v in args.items() if k in params[1:]}
        if wanted:
            return lambda t: complex(c(t, **wanted))
        return lambda t: complex(c(t))
    values = np.asarray(c)
    if values.ndim == 1:
        if len(values) != len(tlist):
            raise ValueError(f"argument `H`: a sampled coefficient has {len(values)} values, tlist has {len(tlist)}")
        return ("spline", np.ascontiguousarray(tlist, dtype=np.float64), np.ascontiguousarray(values, dtype=np.complex128))
    raise TypeError(f"argument `H`: coefficient of type {type(c).__name__} is not a callable, string or array")


def _hamiltonian(H: Any, args: dict[str, Any] | None, tlist: np.ndarray) -> tuple[Operator, list[tuple[Operator, Any]]]:
    args = dict(args or {})
    if isinstance(H, list):
        h0 = None
        terms = []
        for item in H:
            if isinstance(item, (list, tuple)) and len(item) == 2 and not isinstance(item, np.ndarray):
                op = operator(item[0])
                terms.append((op, _coefficient(item[1], args, tlist)))
            else:
                op = operator(item)
                h0 = op if h0 is None else operator(h0.full() + op.full())
        if h0 is None:
            if not terms:
                raise ValueError("argument `H`: the list is empty")
            h0 = Operator.from_csr(terms[0][0].dim, [0] * (terms[0][0].dim + 1), [], np.zeros(0, dtype=np.complex128))
        return h0, terms
    return operator(H), []


def _options(options: Any) -> dict[str, Any] | None:
    if options is None:
        return None
    if isinstance(options, SolverOptions):
        return options.to_dict()
    opts = {k: v for k, v in dict(options).items() if k not in _IGNORED_OPTIONS}
    return opts


def _e_ops(e_ops: Any) -> tuple[list[Operator], list[tuple[int, Callable[..., Any]]], list[Any]]:
    if e_ops is None:
        return [], [], []
    keys: list[Any]
    if isinstance(e_ops, dict):
        keys = list(e_ops.keys())
        items = list(e_ops.values())
    else:
        items = list(e_ops) if isinstance(e_ops, (list, tuple)) else [e_ops]
        keys = list(range(len(items)))
    ops: list[Operator] = []
    calls: list[tuple[int, Callable[..., Any]]] = []
    for k, e in enumerate(items):
        if callable(e) and not isinstance(e, (Operator, PauliSum)) and not hasattr(e, "dims"):
            calls.append((k, e))
        else:
            ops.append(operator(e))
    return ops, calls, keys


class Result:
    """What ``sesolve`` and ``mesolve`` return (QuTiP's ``Result``): ``times``, ``expect`` (one
    array per e_op, real when the e_op is Hermitian), ``e_data`` (the same keyed like e_ops),
    ``states`` (kets as 1-D arrays, density matrices as 2-D, when stored), ``final_state``,
    ``stats`` (work done and the method used) and ``interrupted``."""

    def __init__(self, raw: dict[str, Any], dm: bool, calls: list[tuple[int, Callable[..., Any]]], keys: list[Any], store: bool) -> None:
        self.times: np.ndarray = np.asarray(raw["times"])
        dim = int(round(math.sqrt(len(raw["final_state"])))) if dm else len(raw["final_state"])
        shape = (dim, dim) if dm else (dim,)
        states = raw["states"]
        self.states: list[np.ndarray] = [np.asarray(s).reshape(shape) for s in states] if states is not None else []
        self.final_state: np.ndarray = np.asarray(raw["final_state"]).reshape(shape)
        computed = [np.real(e) if h else e for e, h in zip(raw["expect"], raw["hermitian"])]
        expect: list[np.ndarray] = []
        it = iter(computed)
        call_at = dict(calls)
        for k in range(len(computed) + len(calls)):
            if k in call_at:
                f = call_at[k]
                expect.append(np.array([f(t, s) for t, s in zip(self.times, self.states)]))
            else:
                expect.append(next(it))
        if calls and not store:
            self.states = []
        self.expect: list[np.ndarray] = expect
        self.e_data: dict[Any, np.ndarray] = dict(zip(keys, expect))
        self.stats: dict[str, Any] = raw["stats"]
        self.interrupted: bool = raw["interrupted"]

    def __repr__(self) -> str:
        return f"Result(times={len(self.times)}, expect={len(self.expect)}, states={len(self.states)}, method={self.stats['method']!r}, interrupted={self.interrupted})"


def _run_policy(kw: dict[str, Any]) -> dict[str, Any]:
    allowed = {"num_threads", "timeout", "interrupt_function", "progress"}
    bad = set(kw) - allowed
    if bad:
        raise TypeError(f"unexpected keyword argument(s) {sorted(bad)}; run control takes {sorted(allowed)}")
    return kw


def sesolve(H: Any, psi0: Any, tlist: Sequence[float], e_ops: Any = None, args: dict[str, Any] | None = None, options: Any = None, **run: Any) -> Result:
    """Evolves the ket ``psi0`` under ``H`` over ``tlist`` (QuTiP's ``sesolve``).

    ``run`` takes ``num_threads``, ``timeout`` (seconds), ``interrupt_function`` (returns True to
    stop) and ``progress`` (called ``progress(completed, total)`` per output time); a stopped run
    returns the outputs so far with ``interrupted`` set. ``psi0`` must be normalised."""
    tl = np.asarray(tlist, dtype=np.float64)
    h0, terms = _hamiltonian(H, args, tl)
    ops, calls, keys = _e_ops(e_ops)
    opts = _options(options)
    store = bool((opts or {}).get("store_states")) if opts and opts.get("store_states") is not None else not (ops or calls)
    if calls:
        opts = dict(opts or {}, store_states=True)
    raw = _sesolve(h0, terms, _state(psi0), tl.tolist(), ops, opts, **_run_policy(run))
    return Result(raw, False, calls, keys, store)


def sesolve_batch(H: Any, states: Sequence[Any], tlist: Sequence[float], e_ops: Any = None, args: dict[str, Any] | None = None, options: Any = None, **run: Any) -> list[Result]:
    """``sesolve`` of every initial state in ``states``, in parallel with one setup (results in
    order, each equal to a lone ``sesolve``); ``progress`` counts states."""
    tl = np.asarray(tlist, dtype=np.float64)
    h0, terms = _hamiltonian(H, args, tl)
    ops, calls, keys = _e_ops(e_ops)
    if calls:
        raise TypeError("argument `e_ops`: sesolve_batch takes operators, not callables")
    opts = _options(options)
    store = bool(opts.get("store_states")) if opts and opts.get("store_states") is not None else not ops
    raws = _sesolve_batch(h0, terms, [_state(s) for s in states], tl.tolist(), ops, opts, **_run_policy(run))
    return [Result(r, False, [], keys, store) for r in raws]


def mesolve(H: Any, rho0: Any, tlist: Sequence[float], c_ops: Any = None, e_ops: Any = None, args: dict[str, Any] | None = None, options: Any = None, **run: Any) -> Result:
    """Evolves ``rho0`` (a density matrix, or a ket) under the Lindblad master equation with
    collapse operators ``c_ops`` (rates inside, as QuTiP: ``sqrt(gamma) * L``), in matrix form.
    With no ``c_ops`` and a ket it runs ``sesolve``, as QuTiP does. ``run`` as in ``sesolve``."""
    tl = np.asarray(tlist, dtype=np.float64)
    h0, terms = _hamiltonian(H, args, tl)
    c = [operator(x) for x in (c_ops or [])]
    ops, calls, keys = _e_ops(e_ops)
    state = _state(rho0)
    if state.ndim == 1 and not c:
        return sesolve(H, psi0=state, tlist=tlist, e_ops=e_ops, args=args, options=options, **run)
    opts = _options(options)
    store = bool(opts.get("store_states")) if opts and opts.get("store_states") is not None else not (ops or calls)
    if calls:
        opts = dict(opts or {}, store_states=True)
    raw = _mesolve(h0, terms, state, tl.tolist(), c, ops, opts, **_run_policy(run))
    return Result(raw, True, calls, keys, store)


def basis(dim: int, index: int) -> np.ndarray:
    """The basis ket ``|index>`` of dimension ``dim`` (QuTiP's ``basis``, as a numpy array)."""
    if dim < 1 or not 0 <= index < dim:
        raise ValueError(f"argument `index`: {index} is out of range for dimension {dim}")
    v = np.zeros(dim, dtype=np.complex128)
    v[index] = 1.0
    return v


def ket2dm(psi: Any) -> np.ndarray:
    """``|psi><psi|``."""
    v = _state(psi)
    return np.outer(v, v.conj())
