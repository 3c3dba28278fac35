"""Reservoir computing with ReservoirPy's vocabulary, on a Rust core.

Nodes: ``Reservoir`` (echo state network reservoir: ``units, lr, sr, input_scaling,
input_connectivity, rc_connectivity, W, Win, bias, activation, input_dim, seed``; injected ``W``,
``Win`` may be numpy arrays or scipy.sparse matrices), readouts ``Ridge`` (offline, streamed
centred statistics, unpenalised bias), ``RLS`` and ``LMS`` (online, ``partial_fit``), ``NVAR``
(next-generation RC features) and ``LSM`` (liquid state machine of LIF neurons on spike rasters).
Data is time-first ``(T, features)``; several series are a list (or a 3-D array).

``reservoir >> Ridge(...)`` is an ``ESN`` (``fit``, ``run``, ``step``, ``forecast``, ``generate``,
``fit_cv``), trained natively; other chains (``NVAR() >> Ridge()``, ``reservoir >> RLS()``) are a
``Model``. ``ESNRegressor`` is a scikit-learn style estimator. Datasets (``mackey_glass``,
``narma10``, ``lorenz``) and metrics (``nrmse`` with ``norm="std"`` by default, ``nmse``,
``rsquare``, ``valid_time``, ``memory_capacity``) complete the area. Every model pickles through
the neuroquant container, which Rust and C read too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroquant._neuroquant import (
    ESN,
    LMS,
    LSM,
    NVAR,
    RLS,
    Reservoir,
    Ridge,
    effective_spectral_radius,
    filtered_traces,
    lorenz,
    mackey_glass,
    memory_capacity,
    mse,
    narma10,
    nmse,
    nrmse,
    rmse,
    rsquare,
    spectral_radius,
    spike_counts,
    valid_time,
)

__all__ = [
    "ESN",
    "ESNRegressor",
    "LMS",
    "LSM",
    "Model",
    "NVAR",
    "RLS",
    "Reservoir",
    "Ridge",
    "effective_spectral_radius",
    "filtered_traces",
    "lorenz",
    "mackey_glass",
    "memory_capacity",
    "mse",
    "narma10",
    "nmse",
    "nrmse",
    "rmse",
    "rsquare",
    "spectral_radius",
    "spike_counts",
    "valid_time",
]


def _reservoir_from_params(data: bytes) -> Reservoir:
    return Reservoir._from_params_bytes(data)


def _chain(first: Any, second: Any) -> Any:
    if isinstance(first, Reservoir) and isinstance(second, Ridge):
        return ESN(first, second)
    return Model([first, second])


class Model:
    """A feature node followed by a readout (``NVAR() >> Ridge()``, ``reservoir >> RLS()``):
    ``fit`` / ``partial_fit`` train the readout on the node's features, ``run`` and ``step``
    chain the two."""

    def __init__(self, nodes: list[Any]) -> None:
        if len(nodes) != 2:
            raise ValueError("a Model chains exactly one feature node and one readout")
        self.nodes = list(nodes)

    @property
    def node(self) -> Any:
        """The feature node (Reservoir or NVAR)."""
        return self.nodes[0]

    @property
    def readout(self) -> Any:
        """The readout (Ridge, RLS or LMS)."""
        return self.nodes[1]

    def fit(self, X: Any, Y: Any, warmup: int = 0) -> Model:
        """Runs the node over X (or a list of series) and fits the readout on its features and Y,
        dropping the first ``warmup`` steps of each series."""
        self.readout.fit(self.node.run(X), Y, warmup=warmup)
        return self

    def partial_fit(self, X: Any, Y: Any) -> Model:
        """Runs the node over X and updates the online readout on its features and Y."""
        self.readout.partial_fit(self.node.run(X), Y)
        return self

    def run(self, X: Any) -> Any:
        """The readout's outputs on the node's features of X."""
        return self.readout.run(self.node.run(X))

    def step(self, u: Any) -> Any:
        """One step: the node's features of u, then the readout's output."""
        return self.readout.run(np.asarray(self.node.step(u))[None, :])[0]

    def __call__(self, u: Any) -> Any:
        """``model(u)`` is ``model.step(u)`` (ReservoirPy's call)."""
        return self.step(u)

    def reset(self) -> None:
        """Resets the node's state."""
        self.node.reset()


try:  # scikit-learn is optional: with it, ESNRegressor is a real sklearn estimator.
    from sklearn.base import BaseEstimator as _SkBase  # type: ignore[import-untyped]
    from sklearn.base import RegressorMixin as _SkRegressor  # type: ignore[import-untyped]

    _BASES: tuple[type, ...] = (_SkRegressor, _SkBase)
except ImportError:  # pragma: no cover - exercised without sklearn
    _BASES = (object,)


class ESNRegressor(*_BASES):  # type: ignore[misc]
    """An echo state network as a scikit-learn regressor: ``fit(X, y)`` trains a Reservoir >>
    Ridge on the time-first X (T, features) (or a list of series) and y, ``predict(X)`` runs it
    from a zero state, ``score`` is R²; ``get_params`` / ``set_params`` make it work in
    pipelines and grid searches."""

    def __init__(
        self,
        units: int = 100,
        lr: float = 1.0,
        sr: float | None = 0.9,
        input_scaling: float = 1.0,
        input_connectivity: float = 0.1,
        rc_connectivity: float = 0.1,
        bias: float = 0.0,
        activation: str = "tanh",
        ridge: float = 1e-6,
        warmup: int = 0,
        input_to_readout: bool = False,
        seed: int | None = None,
    ) -> None:
        self.units = units
        self.lr = lr
        self.sr = sr
        self.input_scaling = input_scaling
        self.input_connectivity = input_connectivity
        self.rc_connectivity = rc_connectivity
        self.bias = bias
        self.activation = activation
        self.ridge = ridge
        self.warmup = warmup
        self.input_to_readout = input_to_readout
        self.seed = seed

    _PARAMS = (
        "units",
        "lr",
        "sr",
        "input_scaling",
        "input_connectivity",
        "rc_connectivity",
        "bias",
        "activation",
        "ridge",
        "warmup",
        "input_to_readout",
        "seed",
    )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments (scikit-learn's estimator protocol)."""
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params: Any) -> ESNRegressor:
        """Sets constructor arguments; unknown names are an error."""
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ValueError(f"invalid parameter {name!r} for ESNRegressor; the parameters are {', '.join(self._PARAMS)}")
            setattr(self, name, value)
        return self

    def fit(self, X: Any, y: Any) -> ESNRegressor:
        """Trains on X (T, features) and y (T,) or (T, outputs), or lists of series."""
        many = isinstance(X, (list, tuple))
        ys = [np.asarray(v, dtype=float) for v in (y if many else [y])]
        self._1d = all(v.ndim == 1 for v in ys)
        ys = [v[:, None] if v.ndim == 1 else v for v in ys]
        reservoir = Reservoir(
            units=self.units,
            lr=self.lr,
            sr=self.sr,
            input_scaling=self.input_scaling,
            input_connectivity=self.input_connectivity,
            rc_connectivity=self.rc_connectivity,
            bias=self.bias,
            activation=self.activation,  # type: ignore[arg-type]
            seed=self.seed,
        )
        self.esn_ = ESN(reservoir, Ridge(ridge=self.ridge), input_to_readout=self.input_to_readout)
        self.esn_.fit(X if many else X, ys if many else ys[0], warmup=self.warmup)
        return self

    def predict(self, X: Any) -> Any:
        """Outputs for X from a zero state ((T,) when fitted on a 1-D y)."""
        if not hasattr(self, "esn_"):
            raise ValueError("ESNRegressor is not fitted: call fit first")
        self.esn_.reset()
        out = self.esn_.run(X)
        if self._1d:
            return [o[:, 0] for o in out] if isinstance(out, list) else out[:, 0]
        return out

    def score(self, X: Any, y: Any) -> float:
        """R² of predict(X) against y (all outputs and series together)."""
        pred = self.predict(X)
        if isinstance(pred, list):
            pred = np.concatenate([np.ravel(p) for p in pred])
            y = np.concatenate([np.ravel(v) for v in y])
        return rsquare(np.ravel(np.asarray(y, dtype=float)), np.ravel(pred))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"ESNRegressor({args})"
