"""neuroquant: neuromorphic and quantum-inspired computing on a Rust core.

Submodules mirror the core: ``neuroquant.qubo`` (binary quadratic models, penalties, generators,
file formats, expressions), ``neuroquant.anneal`` (samplers), ``neuroquant.dwave`` (D-Wave QPU and
Leap hybrid samplers, embedding), ``neuroquant.ocean`` (the samplers as dimod samplers; needs
dimod), ``neuroquant.spike`` (spike data, encoders, pattern measures), ``neuroquant.reservoir``
(echo state networks, readouts, NVAR, liquid state machines), ``neuroquant.building`` (the
flagship's synthetic building), ``neuroquant.quantum`` (Hamiltonian evolution with QuTiP's
vocabulary, metrics, coherence, channels).
"""

from neuroquant._neuroquant import (
    DimensionMismatchError,
    FileNotFoundIoError,
    FormatError,
    IndexOutOfRangeError,
    InvalidArgumentError,
    InvalidTypeError,
    IoError,
    LimitExceededError,
    NetworkError,
    NeuroquantError,
    NonFiniteError,
    StoppedError,
    TimeoutError,
    __version__,
)
from neuroquant import anneal, building, dwave, quantum, qubo, reservoir, spike

__all__ = [
    "DimensionMismatchError",
    "FileNotFoundIoError",
    "FormatError",
    "IndexOutOfRangeError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "IoError",
    "LimitExceededError",
    "NetworkError",
    "NeuroquantError",
    "NonFiniteError",
    "StoppedError",
    "TimeoutError",
    "__version__",
    "anneal",
    "building",
    "dwave",
    "quantum",
    "qubo",
    "spike",
    "reservoir",
]


def __getattr__(name: str) -> object:
    # `neuroquant.ocean` imports dimod, an optional dependency: load it only when asked for.
    if name == "ocean":
        import importlib

        return importlib.import_module("neuroquant.ocean")
    raise AttributeError(f"module 'neuroquant' has no attribute {name!r}")
