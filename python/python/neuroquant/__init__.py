"""neuroquant: neuromorphic and quantum-inspired computing on a Rust core.

Submodules mirror the core: ``neuroquant.qubo`` (binary quadratic models), with
``anneal``, ``spike``, ``reservoir``, ``quantum`` and ``dwave`` to follow.
"""

from neuroquant._neuroquant import (
    DimensionMismatchError,
    FormatError,
    IndexOutOfRangeError,
    InvalidArgumentError,
    IoError,
    LimitExceededError,
    NeuroquantError,
    NonFiniteError,
    StoppedError,
    __version__,
)
from neuroquant import qubo

__all__ = [
    "DimensionMismatchError",
    "FormatError",
    "IndexOutOfRangeError",
    "InvalidArgumentError",
    "IoError",
    "LimitExceededError",
    "NeuroquantError",
    "NonFiniteError",
    "StoppedError",
    "__version__",
    "qubo",
]
