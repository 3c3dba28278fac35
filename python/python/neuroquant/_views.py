"""dimod's live views of a ``Bqm`` (``linear``, ``quadratic``, ``adj``) and its vartype values.

The views hold no data: every read, write and delete goes to the model's own methods, so
``bqm.linear["a"] = 5`` changes ``bqm`` as it does in dimod.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterator, Mapping, MutableMapping
from typing import Any


class Vartype(enum.Enum):
    """The variable types when dimod is not installed: equal to (and hashed as) their names, so
    ``bqm.vartype == "SPIN"`` holds; with dimod installed, ``Bqm.vartype`` is ``dimod.SPIN`` /
    ``dimod.BINARY`` itself."""

    SPIN = "SPIN"
    BINARY = "BINARY"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other == self.value
        return self is other

    def __hash__(self) -> int:
        return hash(self.value)


def vartype(name: str) -> Any:
    """``dimod.Vartype[name]`` when dimod is importable, else ``Vartype[name]``."""
    try:
        import dimod
    except ImportError:
        return Vartype[name]
    return dimod.Vartype[name]


class Linear(MutableMapping):  # type: ignore[type-arg]
    """``bqm.linear``: ``{v: bias}`` over the model's variables, live (dimod's view).
    ``linear[v] = b`` sets (adding ``v`` if new), ``del linear[v]`` removes the variable."""

    __slots__ = ("_bqm",)

    def __init__(self, bqm: Any) -> None:
        self._bqm = bqm

    def __getitem__(self, v: Hashable) -> float:
        if v not in self._bqm:
            raise KeyError(f"unknown variable {v!r}")
        return float(self._bqm.get_linear(v))

    def __setitem__(self, v: Hashable, bias: float) -> None:
        self._bqm.set_linear(v, bias)

    def __delitem__(self, v: Hashable) -> None:
        if v not in self._bqm:
            raise KeyError(f"unknown variable {v!r}")
        self._bqm.remove_variable(v)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._bqm.variables)

    def __len__(self) -> int:
        return int(self._bqm.num_variables)

    def __contains__(self, v: object) -> bool:
        return v in self._bqm

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class Quadratic(MutableMapping):  # type: ignore[type-arg]
    """``bqm.quadratic``: ``{(u, v): bias}`` over the stored pairs, live (dimod's view); a pair
    reads the same as ``(u, v)`` and ``(v, u)``."""

    __slots__ = ("_bqm",)

    def __init__(self, bqm: Any) -> None:
        self._bqm = bqm

    def _pair(self, key: Any) -> tuple[Hashable, Hashable]:
        try:
            u, v = key
        except (TypeError, ValueError):
            raise KeyError(key) from None
        return u, v

    def __getitem__(self, key: Any) -> float:
        u, v = self._pair(key)
        if u not in self._bqm or v not in self._bqm or u == v:
            raise KeyError(f"{u!r} and {v!r} have no interaction")
        bias = self._bqm.get_quadratic(u, v, float("nan"))
        if bias != bias:
            raise KeyError(f"{u!r} and {v!r} have no interaction")
        return float(bias)

    def __setitem__(self, key: Any, bias: float) -> None:
        u, v = self._pair(key)
        self._bqm.set_quadratic(u, v, bias)

    def __delitem__(self, key: Any) -> None:
        u, v = self._pair(key)
        self[u, v]  # KeyError if absent
        self._bqm.remove_interaction(u, v)

    def __iter__(self) -> Iterator[tuple[Hashable, Hashable]]:
        return iter(self._bqm._quadratic_dict())

    def __len__(self) -> int:
        return int(self._bqm.num_interactions)

    def __contains__(self, key: object) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __repr__(self) -> str:
        return repr(self._bqm._quadratic_dict())


class Neighborhood(MutableMapping):  # type: ignore[type-arg]
    """``bqm.adj[u]``: ``{v: bias}`` over the neighbours of ``u``, live."""

    __slots__ = ("_bqm", "_u")

    def __init__(self, bqm: Any, u: Hashable) -> None:
        self._bqm = bqm
        self._u = u

    def __getitem__(self, v: Hashable) -> float:
        return Quadratic(self._bqm)[self._u, v]

    def __setitem__(self, v: Hashable, bias: float) -> None:
        self._bqm.set_quadratic(self._u, v, bias)

    def __delitem__(self, v: Hashable) -> None:
        del Quadratic(self._bqm)[self._u, v]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._bqm._neighbors(self._u))

    def __len__(self) -> int:
        return int(self._bqm.degree(self._u))

    def __repr__(self) -> str:
        return repr(self._bqm._neighbors(self._u))


class Adjacency(Mapping):  # type: ignore[type-arg]
    """``bqm.adj``: ``{u: {v: bias}}``, live (dimod's view)."""

    __slots__ = ("_bqm",)

    def __init__(self, bqm: Any) -> None:
        self._bqm = bqm

    def __getitem__(self, u: Hashable) -> Neighborhood:
        if u not in self._bqm:
            raise KeyError(f"unknown variable {u!r}")
        return Neighborhood(self._bqm, u)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._bqm.variables)

    def __len__(self) -> int:
        return int(self._bqm.num_variables)

    def __repr__(self) -> str:
        return repr({u: self._bqm._neighbors(u) for u in self._bqm.variables})
