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


def variables(labels: Any) -> Any:
    """``dimod.variables.Variables`` of ``labels`` when dimod is importable (a sequence that is
    also a set, as dimod's ``bqm.variables``), else a list."""
    try:
        from dimod.variables import Variables
    except ImportError:
        return list(labels)
    return Variables(labels)


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


class VartypeView:
    """``bqm.spin`` / ``bqm.binary`` of a model in the other vartype (dimod's view): reads and
    writes in this vartype's terms go to the model, which keeps its own vartype. Reading a bias
    gives what ``bqm.change_vartype(...)`` would hold; ``view.add_quadratic(u, v, J)`` adds
    ``J·s_u·s_v`` (or ``J·x_u·x_v``) to the model's energy."""

    __slots__ = ("_bqm", "_vartype")

    def __init__(self, bqm: Any, vartype: str) -> None:
        self._bqm = bqm
        self._vartype = vartype

    def __repr__(self) -> str:
        return repr(self._bqm.change_vartype(self._vartype, inplace=False))

    # ---- the model's shape and labels (shared with the model) ----
    @property
    def vartype(self) -> Any:
        """The view's vartype (``dimod.SPIN`` / ``dimod.BINARY`` when dimod is installed)."""
        return vartype(self._vartype)

    @property
    def dtype(self) -> Any:
        """float64, as the model's."""
        return self._bqm.dtype

    @property
    def variables(self) -> Any:
        """The model's variables."""
        return self._bqm.variables

    @property
    def num_variables(self) -> int:
        """Number of variables."""
        return int(self._bqm.num_variables)

    @property
    def num_interactions(self) -> int:
        """Number of stored pairs."""
        return int(self._bqm.num_interactions)

    @property
    def shape(self) -> tuple[int, int]:
        """``(num_variables, num_interactions)``."""
        return (self.num_variables, self.num_interactions)

    def __len__(self) -> int:
        return self.num_variables

    def __contains__(self, v: object) -> bool:
        return v in self._bqm

    def degree(self, v: Hashable) -> int:
        """Number of interactions of ``v``."""
        return int(self._bqm.degree(v))

    def is_linear(self) -> bool:
        """True when the model has no interactions."""
        return bool(self._bqm.is_linear())

    @property
    def spin(self) -> Any:
        """The model as SPIN."""
        return self._bqm.spin

    @property
    def binary(self) -> Any:
        """The model as BINARY."""
        return self._bqm.binary

    # ---- biases in this vartype's terms ----
    @property
    def offset(self) -> float:
        """The offset in this vartype's terms; assigning shifts the model's offset by the
        difference."""
        return float(self._bqm._offset_in(self._vartype))

    @offset.setter
    def offset(self, value: float) -> None:
        self._bqm.add_offset(value - self.offset)

    def add_offset(self, bias: float) -> None:
        """Adds ``bias`` to the offset (the same in both vartypes)."""
        self._bqm.add_offset(bias)

    def get_linear(self, v: Hashable) -> float:
        """The linear bias of ``v`` in this vartype's terms."""
        return float(self._bqm._linear_in(v, self._vartype))

    def get_quadratic(self, u: Hashable, v: Hashable, default: float | None = None) -> float:
        """The bias of ``(u, v)`` in this vartype's terms (``default`` when absent, else an
        error)."""
        return float(self._bqm._quadratic_in(u, v, self._vartype, default))

    def add_linear(self, v: Hashable, bias: float) -> None:
        """Adds ``bias·x_v`` in this vartype's terms (adding ``v`` if new)."""
        self._bqm._add_linear_in(v, bias, self._vartype)

    def add_variable(self, v: Hashable | None = None, bias: float = 0.0) -> Hashable:
        """Adds a variable (with ``bias`` in this vartype's terms); returns its label."""
        label = self._bqm.add_variable(v)
        if bias:
            self.add_linear(label, bias)
        return label

    def add_quadratic(self, u: Hashable, v: Hashable, bias: float) -> None:
        """Adds ``bias·x_u·x_v`` in this vartype's terms (adding new variables)."""
        self._bqm._add_quadratic_in(u, v, bias, self._vartype)

    def set_linear(self, v: Hashable, bias: float) -> None:
        """Sets ``v``'s linear bias in this vartype's terms."""
        current = self.get_linear(v) if v in self._bqm else 0.0
        self.add_linear(v, bias - current)

    def set_quadratic(self, u: Hashable, v: Hashable, bias: float) -> None:
        """Sets the bias of ``(u, v)`` in this vartype's terms."""
        current = self.get_quadratic(u, v, 0.0) if u in self._bqm and v in self._bqm else 0.0
        self.add_quadratic(u, v, bias - current)

    def add_linear_from(self, linear: Any) -> None:
        """Adds every ``(v, bias)`` of a mapping or iterable."""
        items = linear.items() if hasattr(linear, "items") else linear
        for v, bias in items:
            self.add_linear(v, bias)

    def add_quadratic_from(self, quadratic: Any) -> None:
        """Adds every ``{(u, v): bias}`` or ``(u, v, bias)``."""
        items = ((u, v, b) for (u, v), b in quadratic.items()) if hasattr(quadratic, "items") else quadratic
        for u, v, bias in items:
            self.add_quadratic(u, v, bias)

    def remove_interaction(self, u: Hashable, v: Hashable) -> None:
        """Removes the pair ``(u, v)`` in this vartype's terms: its bias here is set to zero and
        the pair dropped (the linear biases and offset keep the rest of the energy)."""
        self.add_quadratic(u, v, -self.get_quadratic(u, v))
        self._bqm.remove_interaction(u, v)

    def remove_variable(self, v: Hashable | None = None) -> Hashable:
        """Removes ``v`` (default: the last) with its terms in this vartype's form."""
        if v is None:
            v = self._bqm.variables[-1]
        for u in list(self._bqm._neighbors(v)):
            self.remove_interaction(v, u)
        self.add_linear(v, -self.get_linear(v))
        return self._bqm.remove_variable(v)

    def _neighbors(self, u: Hashable) -> dict[Hashable, float]:
        return {v: self.get_quadratic(u, v) for v in self._bqm._neighbors(u)}

    def _quadratic_dict(self) -> dict[tuple[Hashable, Hashable], float]:
        return {(u, v): self.get_quadratic(u, v) for u, v in self._bqm._quadratic_dict()}

    @property
    def linear(self) -> Linear:
        """``{v: bias}`` in this vartype's terms, live."""
        return Linear(self)

    @property
    def quadratic(self) -> Quadratic:
        """``{(u, v): bias}`` in this vartype's terms, live."""
        return Quadratic(self)

    @property
    def adj(self) -> Adjacency:
        """``{u: {v: bias}}`` in this vartype's terms, live."""
        return Adjacency(self)

    def iter_linear(self) -> Iterator[tuple[Hashable, float]]:
        """``(v, bias)`` in variable order."""
        return iter([(v, self.get_linear(v)) for v in self._bqm.variables])

    def iter_quadratic(self) -> Iterator[tuple[Hashable, Hashable, float]]:
        """``(u, v, bias)`` for every stored pair."""
        return iter([(u, v, b) for (u, v), b in self._quadratic_dict().items()])

    def iter_neighborhood(self, v: Hashable) -> Iterator[tuple[Hashable, float]]:
        """``(u, bias)`` for every neighbour of ``v``."""
        return iter(list(self._neighbors(v).items()))

    def update(self, other: Any) -> None:
        """Adds ``other`` (read in the model's vartype, as dimod's ``update`` does)."""
        self._bqm.update(other)

    # ---- whole-model reads ----
    def copy(self) -> Any:
        """A new model in this vartype."""
        return self._bqm.change_vartype(self._vartype, inplace=False)

    def change_vartype(self, vartype: Any, inplace: bool = True) -> Any:
        """A new model in ``vartype`` (a view cannot change in place, as in dimod)."""
        if inplace:
            raise TypeError("a vartype view cannot change its vartype in place; use inplace=False")
        return self._bqm.change_vartype(vartype, inplace=False)

    def energies(self, samples_like: Any, dtype: Any = None) -> Any:
        """Energies of samples whose values are in this vartype."""
        return self.copy().energies(samples_like, dtype=dtype)

    def energy(self, sample: Any) -> float:
        """Energy of one sample in this vartype."""
        return float(self.copy().energy(sample))

    def to_numpy_vectors(self, *args: Any, **kwargs: Any) -> Any:
        """``to_numpy_vectors`` of the model in this vartype."""
        return self.copy().to_numpy_vectors(*args, **kwargs)

    def to_qubo(self) -> Any:
        """``(Q, offset)``."""
        return self._bqm.to_qubo()

    def to_ising(self) -> Any:
        """``(h, J, offset)``."""
        return self._bqm.to_ising()

    def to_dimod(self) -> Any:
        """The model in this vartype as a ``dimod.BinaryQuadraticModel``."""
        return self.copy().to_dimod()

    def is_almost_equal(self, other: Any, places: int = 7) -> bool:
        """dimod's ``is_almost_equal`` on the model in this vartype."""
        return bool(self.copy().is_almost_equal(other, places))


_SAMPLE_TUPLES: dict[tuple[str, tuple[str, ...]], type] = {}


def sample_tuple(name: str, fields: tuple[str, ...]) -> type:
    """The named-tuple type of a sample-set row (dimod's ``Sample``), one per field list."""
    import collections

    key = (name, tuple(fields))
    found = _SAMPLE_TUPLES.get(key)
    if found is not None:
        return found
    factory: Any = collections.namedtuple
    made: type = factory(name, fields)
    made.__doc__ = f"A sample-set row: {', '.join(fields)}."
    _SAMPLE_TUPLES[key] = made
    return made


def to_networkx_graph(bqm: Any, node_attribute_name: Hashable = "bias", edge_attribute_name: Hashable = "bias") -> Any:
    """dimod's ``to_networkx_graph``: a ``networkx.Graph`` with a node per variable (attributes
    ``node_attribute_name``: the linear bias, ``vartype``), an edge per interaction
    (``edge_attribute_name``: the quadratic bias) and graph attributes ``offset``, ``vartype``."""
    import networkx as nx  # type: ignore[import-untyped]

    graph = nx.Graph()
    vt = bqm.vartype
    graph.add_nodes_from((v, {node_attribute_name: bias, "vartype": vt}) for v, bias in bqm.linear.items())
    graph.add_edges_from((u, v, {edge_attribute_name: bias}) for (u, v), bias in bqm.quadratic.items())
    graph.offset = bqm.offset
    graph.vartype = vt
    return graph


def from_networkx_graph(
    cls: Any, graph: Any, vartype: Any = None, node_attribute_name: Hashable = "bias",
    edge_attribute_name: Hashable = "bias",
) -> Any:
    """dimod's ``from_networkx_graph``: nodes (in the graph's order) and edges with their bias
    attributes (0 when missing), ``graph.offset`` (0 when missing); ``vartype`` overrides
    ``graph.vartype``, one of the two is required."""
    if vartype is None:
        if not hasattr(graph, "vartype"):
            from neuroquant._neuroquant import InvalidArgumentError

            raise InvalidArgumentError(
                "argument `vartype`: either 'vartype' must be given or the graph must have a vartype attribute")
        vartype = graph.vartype
    if isinstance(vartype, (set, frozenset)):
        vartype = {frozenset({-1, 1}): "SPIN", frozenset({0, 1}): "BINARY"}.get(frozenset(vartype), vartype)
    linear = {v: b for v, b in graph.nodes(data=node_attribute_name, default=0)}
    quadratic = {(u, v): b for u, v, b in graph.edges(data=edge_attribute_name, default=0)}
    return cls(linear, quadratic, getattr(graph, "offset", 0), vartype=vartype)


class SampleView(Mapping):  # type: ignore[type-arg]
    """dimod's ``SampleView``: one row of a sample set read as a ``{label: value}`` mapping
    without copying it into a dict (``data(sample_dict_cast=False)``); ``.data`` is the row."""

    __slots__ = ("data", "_variables")

    def __init__(self, data: Any, variables: Any) -> None:
        self.data = data
        self._variables = list(variables)

    def __getitem__(self, v: Hashable) -> Any:
        try:
            return self.data[self._variables.index(v)]
        except ValueError:
            raise KeyError(v) from None

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)

    def __repr__(self) -> str:
        return str(dict(self))
