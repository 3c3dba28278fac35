"""neuroquant: neuromorphic and quantum-inspired computing on a Rust core.

Submodules mirror the core: ``neuroquant.qubo`` (binary quadratic models, penalties, generators,
file formats, expressions), ``neuroquant.anneal`` (samplers), ``neuroquant.ocean`` (the samplers as
dimod samplers; needs dimod), with ``spike``, ``reservoir``, ``quantum`` and ``dwave`` to follow.
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
from neuroquant import anneal, qubo

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
    "qubo",
]


def __getattr__(name: str) -> object:
    # `neuroquant.ocean` imports dimod, an optional dependency: load it only when asked for.
    if name == "ocean":
        import importlib

        return importlib.import_module("neuroquant.ocean")
    raise AttributeError(f"module 'neuroquant' has no attribute {name!r}")
