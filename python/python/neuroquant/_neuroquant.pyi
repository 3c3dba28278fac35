"""Type stubs of the native module (hand-written, checked by mypy.stubtest)."""

import builtins
import inspect
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from types import NotImplementedType
from typing import IO, Any, ClassVar, Literal, TypeAlias, TypedDict, final

from typing_extensions import disjoint_base, overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "And",
    "AndConst",
    "LogEncInteger",
    "Not",
    "NotConst",
    "OneHotEncInteger",
    "Or",
    "OrConst",
    "OrderEncInteger",
    "UnaryEncInteger",
    "WithPenalty",
    "Xor",
    "XorConst",
    "__version__",
    "NeuroquantError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "DimensionMismatchError",
    "NonFiniteError",
    "IndexOutOfRangeError",
    "LimitExceededError",
    "FormatError",
    "StoppedError",
    "IoError",
    "FileNotFoundIoError",
    "NetworkError",
    "TimeoutError",
    "_error_classes",
    "Bqm",
    "Expr",
    "Binary",
    "Spin",
    "Num",
    "Placeholder",
    "Condition",
    "Constraint",
    "SubH",
    "Array",
    "Model",
    "DecodedSample",
    "SampleSet",
    "Sampler",
    "FallbackSampler",
    "RoutingSampler",
    "SimulatedAnnealing",
    "SteepestDescent",
    "Tabu",
    "Exact",
    "ParallelTempering",
    "PathIntegralAnnealing",
    "DwavePathIntegralAnnealing",
    "check_dwave_seed",
    "default_beta_range",
    "SpikeRaster",
    "SpikeEvents",
    "Encoder",
    "VanRossum",
    "TemplateMatcher",
    "van_rossum_distance",
    "victor_purpura_distance",
    "kuramoto",
    "spike_synchronization",
    "bursts",
    "autocorrelation",
    "rhythmicity",
    "treves_rolls",
    "population_sparseness",
    "_spike_bsa",
    "_spike_bsa_decode",
    "_spike_delta",
    "_spike_delta_decode",
    "_spike_detect",
    "_spike_keywords",
    "_spike_latency",
    "_spike_latency_code",
    "_spike_latency_decode",
    "_spike_poisson",
    "_spike_poisson_decode",
    "_spike_population",
    "_spike_population_decode",
    "_spike_rate",
    "_spike_rate_decode",
    "_spike_reconstruction",
    "_spike_tbr_threshold",
    "Reservoir",
    "Ridge",
    "RLS",
    "LMS",
    "ESN",
    "NVAR",
    "LSM",
    "spike_counts",
    "filtered_traces",
    "spectral_radius",
    "effective_spectral_radius",
    "mackey_glass",
    "narma10",
    "lorenz",
    "mse",
    "rmse",
    "nmse",
    "rsquare",
    "nrmse",
    "valid_time",
    "memory_capacity",
]
__version__: str

class NeuroquantError(Exception): ...
class InvalidArgumentError(NeuroquantError, ValueError): ...
class InvalidTypeError(InvalidArgumentError, TypeError): ...
class DimensionMismatchError(InvalidArgumentError): ...
class NonFiniteError(InvalidArgumentError): ...
class IndexOutOfRangeError(InvalidArgumentError, IndexError): ...
class LimitExceededError(InvalidArgumentError): ...
class FormatError(NeuroquantError, ValueError): ...
class StoppedError(NeuroquantError): ...
class IoError(NeuroquantError, OSError): ...
class FileNotFoundIoError(IoError, FileNotFoundError): ...
class NetworkError(NeuroquantError, ConnectionError): ...
class TimeoutError(NeuroquantError, builtins.TimeoutError): ...

def _error_classes() -> dict[str, type[NeuroquantError]]: ...

# "SPIN"/"BINARY" in any case, or an object whose `name` is one (such as dimod.Vartype.SPIN).
_VartypeLike: TypeAlias = str | Any
# dimod's samples-like forms: an integer array-like in variable order, (array, labels),
# {label: value}, or a list of such dicts.
_SamplesLike: TypeAlias = npt.ArrayLike | tuple[npt.ArrayLike, Sequence[Hashable]] | Mapping[Any, int] | Sequence[Mapping[Any, int]]

@final
class Bqm:
    """A binary quadratic model (dimod's model) over insertion-ordered labelled variables."""

    def __new__(cls, *args: Any, vartype: _VartypeLike | None = None) -> Bqm: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __len__(self) -> int: ...
    def __contains__(self, label: object, /) -> bool: ...
    @property
    def vartype(self) -> Any: ...
    @property
    def num_variables(self) -> int: ...
    @property
    def num_interactions(self) -> int: ...
    @property
    def shape(self) -> tuple[int, int]: ...
    @property
    def offset(self) -> float: ...
    @offset.setter
    def offset(self, value: float, /) -> None: ...
    @property
    def variables(self) -> Sequence[Hashable]: ...
    @property
    def linear(self) -> MutableMapping[Hashable, float]: ...
    @property
    def quadratic(self) -> MutableMapping[tuple[Hashable, Hashable], float]: ...
    @property
    def adj(self) -> Mapping[Hashable, MutableMapping[Hashable, float]]: ...
    def _neighbors(self, u: Hashable) -> dict[Hashable, float]: ...
    def _quadratic_dict(self) -> dict[tuple[Hashable, Hashable], float]: ...
    def remove_variable(self, v: Hashable | None = None) -> Hashable: ...
    def flip_variable(self, v: Hashable) -> None: ...
    def contract_variables(self, u: Hashable, v: Hashable) -> None: ...
    def add_variable(self, v: Hashable | None = None, bias: float = 0.0) -> Hashable: ...
    def add_variables(self, count: int) -> None: ...
    def add_offset(self, offset: float) -> None: ...
    def get_linear(self, v: Hashable) -> float: ...
    def add_linear(self, v: Hashable, bias: float) -> None: ...
    def set_linear(self, v: Hashable, bias: float) -> None: ...
    def add_linear_from_array(self, biases: npt.ArrayLike) -> None: ...
    def add_linear_from(self, linear: Mapping[Any, float] | Iterable[tuple[Hashable, float]]) -> None: ...
    def get_quadratic(self, u: Hashable, v: Hashable, default: float | None = None) -> float: ...
    def add_quadratic(self, u: Hashable, v: Hashable, bias: float) -> None: ...
    def set_quadratic(self, u: Hashable, v: Hashable, bias: float) -> None: ...
    def add_quadratic_from(
        self, quadratic: Mapping[tuple[Any, Any], float] | Iterable[tuple[Hashable, Hashable, float]]
    ) -> None: ...
    def add_quadratic_from_arrays(self, rows: npt.ArrayLike, cols: npt.ArrayLike, biases: npt.ArrayLike) -> None: ...
    def remove_interaction(self, u: Hashable, v: Hashable) -> None: ...
    def energy(self, sample: _SamplesLike) -> float: ...
    def energies(self, samples: _SamplesLike, dtype: npt.DTypeLike | None = None) -> npt.NDArray[Any]: ...
    def change_vartype(self, vartype: _VartypeLike, inplace: bool = True) -> Bqm: ...

    # ---- dimod's model algebra and views (issue 10) ----
    # `spin` / `binary`: the model itself when it has that vartype, else a live view
    # (neuroquant._views.VartypeView) whose reads and writes are in that vartype's terms.
    # `+ - * /` follow dimod: models add (update), numbers shift the offset or scale; `*` of two
    # models and `** 2` need linear models; mixing SPIN and BINARY models raises
    # InvalidArgumentError (dimod returns a QuadraticModel there).
    @property
    def dtype(self) -> np.dtype[np.float64]: ...
    @property
    def spin(self) -> Any: ...
    @property
    def binary(self) -> Any: ...
    def _linear_in(self, v: Hashable, vartype: _VartypeLike) -> float: ...
    def _quadratic_in(self, u: Hashable, v: Hashable, vartype: _VartypeLike, default: float | None = None) -> float: ...
    def _offset_in(self, vartype: _VartypeLike) -> float: ...
    def _add_linear_in(self, v: Hashable, bias: float, vartype: _VartypeLike) -> None: ...
    def _add_quadratic_in(self, u: Hashable, v: Hashable, bias: float, vartype: _VartypeLike) -> None: ...
    def iter_quadratic(self) -> Iterator[tuple[Hashable, Hashable, float]]: ...
    def iter_linear(self) -> Iterator[tuple[Hashable, float]]: ...
    def iter_neighborhood(self, v: Hashable) -> Iterator[tuple[Hashable, float]]: ...
    def is_linear(self) -> bool: ...
    def update(self, other: Any) -> None: ...
    def is_almost_equal(self, other: Any, places: int = 7) -> bool: ...
    def __neg__(self) -> Bqm: ...
    def __pos__(self) -> Bqm: ...
    def __add__(self, other: Any, /) -> Bqm: ...
    def __radd__(self, other: Any, /) -> Bqm: ...
    def __iadd__(self, other: Any, /) -> Bqm: ...
    def __sub__(self, other: Any, /) -> Bqm: ...
    def __rsub__(self, other: Any, /) -> Bqm: ...
    def __isub__(self, other: Any, /) -> Bqm: ...
    def __mul__(self, other: Any, /) -> Bqm: ...
    def __rmul__(self, other: Any, /) -> Bqm: ...
    def __imul__(self, other: Any, /) -> Bqm: ...
    def __truediv__(self, other: Any, /) -> Bqm: ...
    def __itruediv__(self, other: Any, /) -> Bqm: ...
    def __rtruediv__(self, other: Any, /) -> Bqm: ...
    def __rpow__(self, other: Any, modulo: Any = None, /) -> Bqm: ...
    def __pow__(self, other: Any, modulo: Any = None, /) -> Bqm: ...
    def to_serializable(self, use_bytes: bool = False, bytes_type: Any = None) -> dict[str, Any]: ...
    @staticmethod
    def from_serializable(obj: Mapping[str, Any]) -> Bqm: ...
    def to_networkx_graph(self, node_attribute_name: Hashable | None = None, edge_attribute_name: Hashable | None = None) -> Any: ...
    @staticmethod
    def from_networkx_graph(
        graph: Any, vartype: _VartypeLike | None = None, node_attribute_name: Hashable | None = None,
        edge_attribute_name: Hashable | None = None,
    ) -> Bqm: ...
    def copy(self) -> Bqm: ...
    def __copy__(self) -> Bqm: ...
    def __deepcopy__(self, memo: Any, /) -> Bqm: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Bqm: ...
    def __getnewargs__(self) -> tuple[str]: ...
    def __getstate__(self) -> tuple[bytes, list[Hashable] | None]: ...
    def __setstate__(self, state: tuple[bytes, list[Hashable] | None], /) -> None: ...
    @classmethod
    def from_numpy_vectors(
        cls,
        linear: npt.ArrayLike,
        quadratic: tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike],
        offset: float,
        vartype: _VartypeLike,
        variable_order: Sequence[Hashable] | None = None,
    ) -> Bqm: ...
    def to_numpy_vectors(
        self, variable_order: Sequence[Hashable] | None = None, return_labels: bool = False
    ) -> tuple[Any, ...]: ...
    @classmethod
    def from_qubo(cls, Q: Mapping[tuple[Any, Any], float], offset: float = 0.0) -> Bqm: ...
    @classmethod
    def from_ising(
        cls, h: Mapping[Any, float] | Sequence[float], J: Mapping[tuple[Any, Any], float], offset: float = 0.0
    ) -> Bqm: ...
    def to_qubo(self) -> tuple[dict[tuple[Hashable, Hashable], float], float]: ...
    def to_ising(self) -> tuple[dict[Hashable, float], dict[tuple[Hashable, Hashable], float], float]: ...
    @classmethod
    def from_dimod_bqm(cls, bqm: Any) -> Bqm: ...
    def to_dimod(self) -> Any: ...
    def relabel_variables(self, mapping: Mapping[Any, Hashable], inplace: bool = True) -> Bqm: ...
    def relabel_variables_as_integers(self, inplace: bool = True) -> tuple[Bqm, dict[int, Hashable]]: ...
    def fix_variable(self, v: Hashable, value: int) -> None: ...
    def fix_variables(self, fixed: Mapping[Any, int] | Iterable[tuple[Hashable, int]]) -> None: ...
    def scale(self, scalar: float) -> None: ...
    def normalize(
        self, bias_range: float | tuple[float, float] | None = None, quadratic_range: float | tuple[float, float] | None = None
    ) -> float: ...
    def degree(self, v: Hashable) -> int: ...
    def degrees(self, array: bool = False) -> Any: ...
    def maximum_energy_delta(self) -> float: ...
    def nbytes(self) -> int: ...

    # ---- Files (issue 3) ----
    # Formats: "neuroquant" (the container of to_bytes, extension .nq), "qbsolv" (.qubo),
    # "coo" (dimod COO text, .coo), "dimod_json" (dimod to_serializable JSON, .json; "dimod-json"
    # is accepted too), "dimodbqm" (dimod's to_file binary, byte-identical to dimod, .bqm); any
    # case. With format=None the extension decides (an unknown one raises InvalidArgumentError).
    # Labels: dimod_json and dimodbqm store any labels that are int (any numbers.Integral),
    # float (finite numbers.Real), str or tuples of them (read back as tuples), as dimod's
    # serialize_variable does; other labels raise InvalidArgumentError naming the label. The
    # other formats hold index labels 0..n only (COO: non-negative integers, as dimod's coo.dumps):
    # a model with other labels raises InvalidArgumentError (relabel_variables_as_integers()
    # gives a model they can hold).
    # Unreadable or corrupt input raises FormatError naming the line or byte offset; a file
    # that cannot be opened, read or written raises IoError (an OSError).
    @staticmethod
    def from_file(source: str | os.PathLike[str] | bytes | bytearray | memoryview | IO[Any], format: _FormatName | None = None, vartype: _VartypeLike | None = None) -> Bqm:
        """Reads a model, as dimod's from_file does.

        source: a path, an open file (binary or text) or the bytes of a file. format: a format
        name, or None: a path's extension decides, else the data's first bytes. COO integers are
        labels, as dimod reads them. vartype: required for COO text without a `# vartype=`
        header; when given it must match the file's vartype. A missing file raises
        FileNotFoundIoError (an IoError and a FileNotFoundError).
        """
    def to_file(self, target: str | os.PathLike[str] | IO[bytes] | None = None, format: _FormatName | None = None, *, ignore_labels: bool = False, spool_size: Any = None) -> IO[bytes] | None:
        """Writes the model to `target`: a path (created or replaced) or an open binary file
        (both return None), or None, which returns a new file object at its start (dimod's
        to_file()). format: a name, or None for a path's extension, else "dimodbqm".
        ignore_labels: write the variables as 0..n. Nothing is written when the model cannot be
        encoded."""
    @staticmethod
    def from_buffer(data: bytes | bytearray, format: _FormatName, vartype: _VartypeLike | None = None) -> Bqm:
        """Reads a model from the bytes of a file in `format` (`vartype` as for from_file)."""
    def to_buffer(self, format: _FormatName) -> bytes:
        """The bytes of the model's file in `format`."""

    # ---- Constraint penalties (issue 3) ----
    # Constraints read variables as BINARY values (x = (s + 1) / 2 in a SPIN model) and add a
    # penalty that is zero exactly on the feasible assignments. Labels the model does not hold
    # yet become new variables (appended in order of first appearance), as in dimod's
    # add_linear_equality_constraint. Strength: strength=None picks it automatically so that
    # the least violation costs more than the model's objective range (the model as it is when
    # the constraint is added, earlier penalties included); objective_range=W instead bounds
    # the objective range by W (pass the same W to every constraint of one objective); a
    # number is a fixed strength (finite, > 0). Passing both raises InvalidArgumentError.
    # Slack variables get labels ("slack", k, i), k = index of the first slack variable (or the
    # least k whose labels are all free). On any error (NaN or infinite coefficient or rhs:
    # NonFiniteError; infeasible constraint, k > len(variables), repeated variables in the
    # slack-free forms, bad strength or resolution: InvalidArgumentError) the model is
    # unchanged.
    def add_equality(
        self,
        terms: _Terms,
        rhs: float,
        strength: float | None = None,
        resolution: float | None = None,
        objective_range: float | None = None,
    ) -> PenaltyReport:
        """Adds strength * (sum c * x - rhs)**2.

        terms: {label: coefficient} or (label, coefficient) pairs (repeats are summed).
        rhs: the right-hand side (finite). resolution: the unit the coefficients are integer
        multiples of (detected with at most 6 decimals when None; needed for an automatic
        strength). strength, objective_range: see above.
        """
    def add_linear_equality_constraint(
        self, terms: _Terms, lagrange_multiplier: float, constant: float
    ) -> None:
        """dimod's: adds lagrange_multiplier * (sum bias * v + constant)**2, v in the model's vartype."""
    def add_linear_inequality_constraint(
        self,
        terms: _Terms,
        lagrange_multiplier: float | tuple[float, float] | Sequence[float],
        label: Any,
        constant: float = 0.0,
        lb: float = ...,  # dimod: np.iinfo(np.int64).min
        ub: float = 0.0,
        cross_zero: bool = False,
        penalization_method: Literal["slack", "unbalanced"] = "slack",
    ) -> list[tuple[str, float]]:
        """dimod's: the penalty of lb <= sum bias * v + constant <= ub with slack variables
        'slack_{label}_{j}' (or unbalanced, with a pair of multipliers); returns the slack terms."""
    def add_inequality(
        self,
        terms: _Terms,
        rhs: float,
        sense: Literal["<=", ">=", "le", "ge"] = "<=",
        strength: float | None = None,
        resolution: float | None = None,
        objective_range: float | None = None,
    ) -> PenaltyReport:
        """Adds the penalty of sum c * x <= rhs (sense "<=") or >= rhs (">="), through slack
        variables with the bounded-coefficient encoding appended to the model (reported in
        slack_variables / slack_coefficients). Arguments as add_equality."""
    def add_less_equal(
        self, x: Hashable, y: Hashable, strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * (x - x*y): zero exactly when x <= y (x implies y). x != y."""
    def add_greater_equal(
        self, x: Hashable, y: Hashable, strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * (y - x*y): zero exactly when x >= y (y implies x). x != y."""
    def add_at_most_one(
        self, variables: Iterable[Hashable], strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * sum_{i<j} x_i x_j: zero when at most one of `variables` (distinct) is 1."""
    def add_exactly_one(
        self, variables: Iterable[Hashable], strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * (sum x - 1)**2: zero exactly when one of `variables` (distinct) is 1."""
    def add_k_hot(
        self, variables: Iterable[Hashable], k: int, strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * (sum x - k)**2: zero exactly when k of `variables` (distinct) are 1;
        0 <= k <= len(variables)."""
    def add_at_least_all_but_one(
        self, variables: Iterable[Hashable], strength: float | None = None, objective_range: float | None = None
    ) -> PenaltyReport:
        """Adds strength * sum_{i<j} (1 - x_i)(1 - x_j): zero when at most one of `variables`
        (distinct) is 0."""

# ---------------------------------------------------------------------------------------------
# Symbolic expressions (PyQUBO's vocabulary), compiled to Bqm.

_ExprLike: TypeAlias = Expr | int | float
_FeedDict: TypeAlias = Mapping[str, float] | None
_ExprSample: TypeAlias = Mapping[str, int]

@disjoint_base
class Expr:
    """A symbolic expression (PyQUBO's ``Base``); built with + - * / ** and ``sum()``."""

    def __add__(self, other: _ExprLike, /) -> Expr: ...
    def __radd__(self, other: _ExprLike, /) -> Expr: ...
    def __sub__(self, other: _ExprLike, /) -> Expr: ...
    def __rsub__(self, other: _ExprLike, /) -> Expr: ...
    def __mul__(self, other: _ExprLike, /) -> Expr: ...
    def __rmul__(self, other: _ExprLike, /) -> Expr: ...
    def __truediv__(self, other: int | float, /) -> Expr: ...
    def __neg__(self) -> Expr: ...
    def __pos__(self) -> Expr: ...
    def __pow__(self, exponent: int, modulo: None = None, /) -> Expr: ...
    # Present at runtime (Python slot pairs); they only return NotImplemented.
    def __rpow__(self, value: object, mod: None = None, /) -> NotImplementedType: ...
    def __rtruediv__(self, value: object, /) -> NotImplementedType: ...
    def compile(self, strength: float | Placeholder | None = None) -> Model: ...
    # Structural comparison and hash, as PyQUBO's.
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Expr: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Binary(Expr):
    """A variable with values in {0, 1}."""

    def __new__(cls, label: str) -> Binary: ...
    @property
    def label(self) -> str: ...

@final
class Spin(Expr):
    """A variable with values in {-1, +1}."""

    def __new__(cls, label: str) -> Spin: ...
    @property
    def label(self) -> str: ...

@final
class Num(Expr):
    """A number as an expression."""

    def __new__(cls, value: float) -> Num: ...
    @property
    def value(self) -> float: ...

@final
class Placeholder(Expr):
    """A symbolic coefficient, given a value in ``feed_dict`` when the model is bound."""

    def __new__(cls, label: str) -> Placeholder: ...
    @property
    def label(self) -> str: ...

@final
class Condition:
    """When a constraint holds; standard tests evaluated in Rust."""

    @staticmethod
    def equal(value: float = 0.0, atol: float = 0.0) -> Condition: ...
    @staticmethod
    def at_most(value: float, atol: float = 0.0) -> Condition: ...
    @staticmethod
    def at_least(value: float, atol: float = 0.0) -> Condition: ...
    def __call__(self, value: float) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Constraint(Expr):
    """A named constraint: adds ``expr`` to the energy; decoding reports whether it holds."""

    def __new__(
        cls,
        expr: _ExprLike,
        label: str,
        condition: Condition | Callable[[float], bool] | None = None,
    ) -> Constraint: ...
    @property
    def label(self) -> str: ...
    @property
    def expr(self) -> Expr: ...
    @property
    def condition(self) -> Condition | Callable[[float], bool]: ...

@final
class SubH(Expr):
    """A named sub-Hamiltonian: adds ``expr`` to the energy; decoding reports its value."""

    def __new__(cls, expr: _ExprLike, label: str) -> SubH: ...
    @property
    def label(self) -> str: ...
    @property
    def expr(self) -> Expr: ...

class WithPenalty(Expr):
    """An expression whose ``penalty`` is added to the compiled model per occurrence (PyQUBO's rule)."""

    def __new__(cls, hamiltonian: _ExprLike, penalty: _ExprLike, label: str) -> WithPenalty: ...
    @property
    def label(self) -> str: ...
    @property
    def penalty(self) -> Expr: ...

def Not(bit: _ExprLike) -> Expr: ...
def And(bit_a: _ExprLike, bit_b: _ExprLike) -> Expr: ...
def Or(bit_a: _ExprLike, bit_b: _ExprLike) -> Expr: ...
def Xor(bit_a: _ExprLike, bit_b: _ExprLike) -> Expr: ...
def NotConst(a: _ExprLike, b: _ExprLike, label: str) -> SubH: ...
def AndConst(a: _ExprLike, b: _ExprLike, c: _ExprLike, label: str) -> SubH: ...
def OrConst(a: _ExprLike, b: _ExprLike, c: _ExprLike, label: str) -> SubH: ...
def XorConst(a: _ExprLike, b: _ExprLike, c: _ExprLike, label: str) -> SubH: ...

@final
class LogEncInteger(Expr):
    """An integer in ``value_range`` written in binary (PyQUBO's); no constraint."""

    def __new__(cls, label: str, value_range: tuple[int, int]) -> LogEncInteger: ...
    @property
    def label(self) -> str: ...
    @property
    def value_range(self) -> tuple[int, int]: ...
    @property
    def array(self) -> Array: ...

@final
class UnaryEncInteger(Expr):
    """An integer in ``value_range`` as a sum of bits (PyQUBO's); no constraint."""

    def __new__(cls, label: str, value_range: tuple[int, int]) -> UnaryEncInteger: ...
    @property
    def label(self) -> str: ...
    @property
    def value_range(self) -> tuple[int, int]: ...
    @property
    def array(self) -> Array: ...

@final
class OneHotEncInteger(Expr):
    """A one-hot encoded integer with its penalty (PyQUBO's)."""

    def __new__(cls, label: str, value_range: tuple[int, int], strength: float | Expr) -> OneHotEncInteger: ...
    @property
    def label(self) -> str: ...
    @property
    def value_range(self) -> tuple[int, int]: ...
    @property
    def array(self) -> Array: ...
    @property
    def penalty(self) -> Expr: ...
    def equal_to(self, k: int) -> Any: ...

@final
class OrderEncInteger(Expr):
    """An order encoded integer with its penalty (PyQUBO's)."""

    def __new__(cls, label: str, value_range: tuple[int, int], strength: float | Expr) -> OrderEncInteger: ...
    @property
    def label(self) -> str: ...
    @property
    def value_range(self) -> tuple[int, int]: ...
    @property
    def array(self) -> Array: ...
    @property
    def penalty(self) -> Expr: ...
    def more_than(self, k: int) -> Any: ...
    def less_than(self, k: int) -> Expr: ...

@final
class Array:
    """An n-dimensional array of expressions with numpy-like indexing."""

    def __new__(cls, bit_list: Any) -> Array: ...
    @staticmethod
    def create(
        name: str, shape: int | tuple[int, ...] | list[int], vartype: _VartypeLike
    ) -> Array: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def ndim(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def T(self) -> Array: ...
    def __len__(self) -> int: ...
    def __getitem__(self, key: int | slice | tuple[int | slice, ...], /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def sum(self, axis: int | None = None) -> Any: ...
    def dot(self, other: Any) -> Any: ...
    def __add__(self, other: Any, /) -> Array: ...
    def __radd__(self, other: Any, /) -> Array: ...
    def __sub__(self, other: Any, /) -> Array: ...
    def __rsub__(self, other: Any, /) -> Array: ...
    def __mul__(self, other: Any, /) -> Array: ...
    def __rmul__(self, other: Any, /) -> Array: ...
    def __truediv__(self, other: float, /) -> Array: ...
    def __rtruediv__(self, value: object, /) -> NotImplementedType: ...
    def __neg__(self) -> Array: ...
    def __matmul__(self, other: Any, /) -> Any: ...
    def __rmatmul__(self, other: Any, /) -> Any: ...
    def reshape(self, *shape: int | tuple[int, ...]) -> Array: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Model:
    """A compiled expression."""

    @property
    def variables(self) -> list[str]: ...
    @property
    def placeholders(self) -> list[str]: ...
    @property
    def strength(self) -> float | Placeholder: ...
    def to_bqm(self, index_label: bool = False, feed_dict: _FeedDict = None) -> Bqm: ...
    @overload
    def to_qubo(
        self, index_label: Literal[False] = False, feed_dict: _FeedDict = None
    ) -> tuple[dict[tuple[str, str], float], float]: ...
    @overload
    def to_qubo(
        self, index_label: Literal[True], feed_dict: _FeedDict = None
    ) -> tuple[dict[tuple[int, int], float], float]: ...
    @overload
    def to_ising(
        self, index_label: Literal[False] = False, feed_dict: _FeedDict = None
    ) -> tuple[dict[str, float], dict[tuple[str, str], float], float]: ...
    @overload
    def to_ising(
        self, index_label: Literal[True], feed_dict: _FeedDict = None
    ) -> tuple[dict[int, float], dict[tuple[int, int], float], float]: ...
    def energy(
        self, sample: _ExprSample, vartype: _VartypeLike, feed_dict: _FeedDict = None
    ) -> float: ...
    def decode_sample(
        self, sample: _ExprSample, vartype: _VartypeLike, feed_dict: _FeedDict = None
    ) -> DecodedSample: ...
    def decode_sampleset(self, sampleset: Any, feed_dict: _FeedDict = None) -> list[DecodedSample]: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class DecodedSample:
    """One decoded sample."""

    @property
    def sample(self) -> dict[str, int]: ...
    @property
    def energy(self) -> float: ...
    @property
    def vartype(self) -> Literal["SPIN", "BINARY"]: ...
    @property
    def subh(self) -> dict[str, float]: ...
    def constraints(self, only_broken: bool = False) -> dict[str, tuple[bool, float]]: ...
    def array(self, name: str, index: int | tuple[int, ...]) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

# ---- neuroquant.anneal ------------------------------------------------------------------------

def default_beta_range(bqm: Bqm) -> tuple[float, float]: ...
def check_dwave_seed(sampler: str, seed: int) -> None: ...
@final
class SampleSet:
    """Rows returned by a sampler; array properties are zero-copy read-only views."""

    @property
    def samples(self) -> npt.NDArray[np.int8]: ...
    @property
    def energies(self) -> npt.NDArray[np.float64]: ...
    @property
    def num_occurrences(self) -> npt.NDArray[np.int64]: ...
    @property
    def vectors(self) -> dict[str, npt.NDArray[Any]]: ...
    @property
    def info(self) -> dict[str, Any]: ...
    @property
    def vartype(self) -> Any: ...
    @property
    def variables(self) -> list[Hashable]: ...
    @property
    def num_variables(self) -> int: ...
    # dimod's row forms: `first` and `data()` give named tuples Sample(sample, energy,
    # num_occurrences, <vectors>...); `record` is a numpy record array (a copy).
    @property
    def first(self) -> Any | None: ...
    @property
    def record(self) -> Any: ...
    def data(
        self,
        fields: Sequence[str] | None = None,
        sorted_by: str | None = ...,
        name: str = "Sample",
        reverse: bool = False,
        sample_dict_cast: bool = True,
        index: bool = False,
    ) -> Iterator[Any]: ...
    def change_vartype(self, vartype: _VartypeLike, energy_offset: float = 0.0, inplace: bool = True) -> SampleSet: ...
    def __len__(self) -> int: ...
    def lowest(self, rtol: float = 1e-05, atol: float = 1e-08) -> SampleSet: ...
    def aggregate(self) -> SampleSet: ...
    def truncate(self, n: int) -> SampleSet: ...
    def to_dimod(self) -> Any: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, variables: Sequence[Hashable] | None = None) -> SampleSet: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@disjoint_base
class Sampler:
    """Base class of every sampler."""

    def sample(
        self,
        bqm: Bqm,
        *,
        interrupt_function: Callable[[], bool] | None = None,
        num_threads: int | None = None,
        timeout: float | None = None,
        progress: Callable[[int, int], object] | None = None,
        interrupt_between_reads: bool = False,
    ) -> SampleSet: ...
    @property
    def name(self) -> str: ...
    @property
    def parameters(self) -> dict[str, str]: ...
    @property
    def properties(self) -> dict[str, Any]: ...

@final
class FallbackSampler(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        primary: Sampler,
        fallback: Sampler,
        *,
        timeout_ms: int | None = None,
        failure_threshold: int = 3,
        cooldown_ms: int = 30000,
    ) -> FallbackSampler: ...
    @property
    def primary(self) -> Sampler: ...
    @property
    def fallback(self) -> Sampler: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class RoutingSampler(Sampler):
    def __new__(cls, routes: Sequence[tuple[int, Sampler]], default: Sampler) -> RoutingSampler: ...
    @property
    def routes(self) -> list[tuple[int, Sampler]]: ...
    @property
    def default(self) -> Sampler: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

_States: TypeAlias = npt.ArrayLike | None
_Generator: TypeAlias = Literal["random", "tile", "none"]
_Range: TypeAlias = tuple[float, float] | Sequence[float] | npt.NDArray[np.float64] | None

# The sampler signatures below are the core's keyword tables (names, order, defaults): the classes'
# runtime __signature__ is built from them, stubtest compares it with these stubs, and
# tests/test_params.py checks that no default here is left as `...`.

@final
class SimulatedAnnealing(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        num_sweeps: int | None = None,
        num_sweeps_per_beta: int = 1,
        beta_range: _Range = None,
        beta_schedule_type: Literal["geometric", "linear", "custom"] = "geometric",
        beta_schedule: Sequence[float] | npt.NDArray[np.float64] | None = None,
        randomize_order: bool = False,
        proposal_acceptance_criteria: Literal["Metropolis", "Gibbs"] = "Metropolis",
    ) -> SimulatedAnnealing: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> SimulatedAnnealing: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class SteepestDescent(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        large_sparse_opt: bool = False,
    ) -> SteepestDescent: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> SteepestDescent: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Tabu(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        tenure: int | None = None,
        timeout: float | None = 20.0,
        num_restarts: int = 1000000,
        energy_threshold: float | None = None,
        coefficient_z_first: int | None = None,
        coefficient_z_restart: int | None = None,
        lower_bound_z: int = 500000,
    ) -> Tabu: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> Tabu: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Exact(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        mode: Literal["all_states", "ground_states"] = "all_states",
        max_ground_states: int = 1000,
        max_variables: int | None = None,
    ) -> Exact: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> Exact: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class ParallelTempering(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        num_replicas: int | None = 16,
        beta_range: _Range = None,
        betas: Sequence[float] | npt.NDArray[np.float64] | None = None,
        num_sweeps: int = 1000,
        swap_interval: int = 1,
        randomize_order: bool = False,
        proposal_acceptance_criteria: Literal["Metropolis", "Gibbs"] = "Metropolis",
        output: Literal["best", "coldest"] = "best",
    ) -> ParallelTempering: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> ParallelTempering: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class PathIntegralAnnealing(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        gamma: float = 1.0,
        trotter: int = 4,
        beta: float = 5.0,
        num_sweeps: int | None = 1000,
        schedule: Sequence[tuple[float, float, int] | tuple[float, int]] | None = None,
        return_all_slices: bool = False,
    ) -> PathIntegralAnnealing: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> PathIntegralAnnealing: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class DwavePathIntegralAnnealing(Sampler):
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        initial_states: _States = None,
        initial_states_generator: _Generator = "random",
        beta_range: tuple[float, float] | Sequence[float] | None = None,
        num_sweeps: int | None = None,
        num_sweeps_per_beta: int = 1,
        beta_schedule_type: Literal["geometric", "linear", "custom"] = "geometric",
        Hp_field: Sequence[float] | npt.ArrayLike | None = None,
        Hd_field: Sequence[float] | npt.ArrayLike | None = None,
        Gamma: float = 1.0,
        trotter: int | None = None,
    ) -> DwavePathIntegralAnnealing: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> DwavePathIntegralAnnealing: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

# ==== Files, constraint penalties and problem generators (issue 3) ====

__all__ += [
    "PenaltyReport",
    "read_edge_list",
    "max_cut",
    "MaxCut",
    "Cut",
    "number_partitioning",
    "NumberPartitioning",
    "Partition",
    "knapsack",
    "Knapsack",
    "KnapsackSolution",
    "graph_coloring",
    "GraphColoring",
    "Coloring",
    "tsp",
    "Tsp",
    "Tour",
    "hvac",
    "Hvac",
    "HvacSolution",
    "PeakSlot",
    "PeakViolation",
    "MinRunViolation",
]

_FormatName: TypeAlias = Literal["neuroquant", "qbsolv", "coo", "dimod_json", "dimod-json", "dimodbqm"] | str
# {label: coefficient} or an iterable of (label, coefficient) pairs (keys typed Any: Mapping
# is invariant in its key type, so Mapping[Hashable, ...] would reject a dict[str, float]).
_Terms: TypeAlias = Mapping[Any, float] | Iterable[tuple[Any, float]]
# Edges of a graph on nodes 0..num_nodes-1: a tuple of numpy arrays (rows, cols) or
# (rows, cols, weights), an (m, 2) or (m, 3) array, or an iterable of (u, v) / (u, v, weight).
# Weights default to 1; repeated edges add up.
_Edges: TypeAlias = (
    tuple[npt.NDArray[Any], npt.NDArray[Any]]
    | tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]
    | npt.NDArray[Any]
    | Iterable[Sequence[float]]
)
# One sample of a generator's model: a 1-D integer array-like in variable order, or a mapping
# {label: value} (a dict, or a dimod sample-set row such as sampleset.first.sample).
_GeneratorSample: TypeAlias = npt.ArrayLike | Mapping[Any, int]

@final
class PenaltyReport:
    """What a penalty builder did. Frozen; compares by value; pickles."""

    def __new__(
        cls,
        strength: float,
        auto_strength: bool,
        resolution: float | None,
        min_violation_penalty: float | None,
        slack_variables: tuple[Hashable, ...],
        slack_coefficients: tuple[float, ...],
        always_satisfied: bool,
    ) -> PenaltyReport: ...
    @property
    def strength(self) -> float:
        """The multiplier actually used."""
    @property
    def auto_strength(self) -> bool:
        """Whether the library chose it (strength=None or objective_range=...)."""
    @property
    def resolution(self) -> float | None:
        """Linear constraints: the unit every left-hand side value is a multiple of."""
    @property
    def min_violation_penalty(self) -> float | None:
        """The least penalty an infeasible assignment pays (strength * resolution**2 for linear
        constraints, strength for the slack-free forms), when known."""
    @property
    def slack_variables(self) -> tuple[Hashable, ...]:
        """Labels of the slack variables appended (empty when none)."""
    @property
    def slack_coefficients(self) -> tuple[float, ...]:
        """The weight of each slack variable: slack = sum_k coefficients[k] * z_k."""
    @property
    def always_satisfied(self) -> bool:
        """The constraint holds for every assignment, so nothing was added."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[PenaltyReport], tuple[Any, ...]]: ...

def read_edge_list(
    source: str | os.PathLike[str] | bytes | bytearray,
) -> tuple[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
    """Reads a rudy / G-set edge list (`n m`, then m lines `i j w`, 1-based nodes) from a path
    or the bytes of a file: (num_nodes, (rows, cols, weights)) with 0-based nodes. The result
    is max_cut's argument list: max_cut(*g) or max_cut(g). Bad files raise FormatError naming
    the line; unreadable ones IoError."""

# ---- Generators ----
# Each returns an object holding .bqm (a Bqm; the same object on every access), the strengths
# it chose and the bounds that make them sufficient, and decode(sample). Models are built with
# the GIL released. The objects are frozen and pickle by rebuilding from their inputs (the
# build is deterministic), so edits made to .bqm are not part of the pickle. decode reads the
# sample against .bqm's labels and size as built; bad samples (wrong length, values outside
# the vartype, missing labels) raise InvalidArgumentError / DimensionMismatchError.
# Result records (Cut, Partition, ...) are frozen, compare by value (arrays by content) and
# pickle.

@final
class Cut:
    """A decoded cut."""

    def __new__(cls, side: npt.NDArray[np.uint8], cut_value: float, cut_edges: int) -> Cut: ...
    @property
    def side(self) -> npt.NDArray[np.uint8]:
        """Side (0 or 1) of each node."""
    @property
    def cut_value(self) -> float:
        """Total weight of the cut edges."""
    @property
    def cut_edges(self) -> int:
        """Number of cut edges."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[Cut], tuple[Any, ...]]: ...

@final
class MaxCut:
    """A weighted max-cut instance: BINARY variable i is node i's side, energy
    sum_(i,j) w_ij (2 x_i x_j - x_i - x_j), so cut = -energy."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels are the node indices."""
    @property
    def num_nodes(self) -> int: ...
    @property
    def edges(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """(rows, cols, weights) as given."""
    def decode(self, sample: _GeneratorSample) -> Cut: ...
    def __reduce__(self) -> tuple[Callable[..., MaxCut], tuple[Any, ...]]: ...

def max_cut(num_nodes: int | tuple[int, _Edges], edges: _Edges | None = None) -> MaxCut:
    """The max-cut model of a graph with num_nodes >= 1 nodes and weighted edges (u != v,
    finite weights). max_cut(read_edge_list(path)) takes the edge-list pair as is."""

@final
class Partition:
    """A decoded partition."""

    def __new__(
        cls, plus: npt.NDArray[np.int64], minus: npt.NDArray[np.int64], sum_plus: float, sum_minus: float, difference: float
    ) -> Partition: ...
    @property
    def plus(self) -> npt.NDArray[np.int64]:
        """Indices with spin +1, ascending."""
    @property
    def minus(self) -> npt.NDArray[np.int64]:
        """Indices with spin -1, ascending."""
    @property
    def sum_plus(self) -> float: ...
    @property
    def sum_minus(self) -> float: ...
    @property
    def difference(self) -> float:
        """sum_plus - sum_minus; the energy is its square."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[Partition], tuple[Any, ...]]: ...

@final
class NumberPartitioning:
    """Number partitioning: SPIN variable i puts number i in the + or - set; energy
    (sum a_i s_i)**2 (Lucas 2014, 2.1), 0 for a perfect partition."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels are the number indices."""
    @property
    def numbers(self) -> npt.NDArray[np.float64]: ...
    def decode(self, sample: _GeneratorSample) -> Partition: ...
    def __reduce__(self) -> tuple[Callable[..., NumberPartitioning], tuple[Any, ...]]: ...

def number_partitioning(numbers: npt.ArrayLike) -> NumberPartitioning:
    """The model for `numbers` (1-D, finite, at least one; dense, n(n-1)/2 couplers)."""

@final
class KnapsackSolution:
    """A decoded selection."""

    def __new__(
        cls, items: npt.NDArray[np.int64], value: float, weight: float, feasible: bool, slack: float, penalty: float
    ) -> KnapsackSolution: ...
    @property
    def items(self) -> npt.NDArray[np.int64]:
        """Chosen items, ascending."""
    @property
    def value(self) -> float: ...
    @property
    def weight(self) -> float: ...
    @property
    def feasible(self) -> bool:
        """weight <= capacity."""
    @property
    def slack(self) -> float:
        """The slack the sample's slack variables encode."""
    @property
    def penalty(self) -> float:
        """The capacity penalty of the sample."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[KnapsackSolution], tuple[Any, ...]]: ...

@final
class Knapsack:
    """A 0/1 knapsack: energy -sum v_i x_i + S (sum w_i x_i + slack - C)**2."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels are the item indices, then ("slack", k) for the capacity slack."""
    @property
    def values(self) -> npt.NDArray[np.float64]: ...
    @property
    def weights(self) -> npt.NDArray[np.float64]: ...
    @property
    def capacity(self) -> float: ...
    @property
    def strength(self) -> float:
        """The capacity penalty strength S used."""
    @property
    def strength_bound(self) -> float:
        """Any S above this (largest value / resolution**2) makes every minimiser feasible."""
    @property
    def resolution(self) -> float:
        """The unit the weights are multiples of."""
    @property
    def slack_variables(self) -> tuple[Hashable, ...]: ...
    @property
    def penalty(self) -> PenaltyReport:
        """The report of the capacity penalty."""
    def decode(self, sample: _GeneratorSample) -> KnapsackSolution: ...
    def __reduce__(self) -> tuple[Callable[..., Knapsack], tuple[Any, ...]]: ...

def knapsack(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    capacity: float,
    strength: float | None = None,
    resolution: float | None = None,
) -> Knapsack:
    """The knapsack model. values: finite (1-D, at least one item); weights: finite, >= 0,
    same length; capacity: finite, >= 0; strength: the capacity penalty (finite, > 0; default
    1.25 x strength_bound); resolution: the unit the weights are multiples of (detected with
    at most 6 decimals when None)."""

@final
class Coloring:
    """A decoded colouring."""

    def __new__(
        cls,
        colors: npt.NDArray[np.int64],
        invalid_nodes: npt.NDArray[np.int64],
        conflicts: npt.NDArray[np.int64],
        valid: bool,
        colors_used: int,
    ) -> Coloring: ...
    @property
    def colors(self) -> npt.NDArray[np.int64]:
        """The colour of each node, -1 unless exactly one is set."""
    @property
    def invalid_nodes(self) -> npt.NDArray[np.int64]:
        """Nodes with no colour or several."""
    @property
    def conflicts(self) -> npt.NDArray[np.int64]:
        """Shape (k, 3): (u, v, colour) of each edge whose endpoints share a colour."""
    @property
    def valid(self) -> bool:
        """Every node has one colour and no edge conflicts."""
    @property
    def colors_used(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[Coloring], tuple[Any, ...]]: ...

@final
class GraphColoring:
    """Graph colouring: variable v * K + c is node v having colour c; energy
    A sum_v (sum_c x_vc - 1)**2 + B sum_edges sum_c x_uc x_vc, zero for a proper colouring."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels (node, colour)."""
    @property
    def num_nodes(self) -> int: ...
    @property
    def num_colors(self) -> int: ...
    @property
    def edges(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
    @property
    def one_hot_strength(self) -> float:
        """A."""
    @property
    def one_hot_bound(self) -> float:
        """B x largest degree: any A above it makes every minimiser one-hot."""
    @property
    def conflict_strength(self) -> float:
        """B."""
    def variable(self, v: int, c: int) -> int:
        """The index (in variable order) of node v having colour c."""
    def decode(self, sample: _GeneratorSample) -> Coloring: ...
    def __reduce__(self) -> tuple[Callable[..., GraphColoring], tuple[Any, ...]]: ...

def graph_coloring(
    num_nodes: int,
    edges: _Edges,
    num_colors: int,
    one_hot_strength: float | None = None,
    conflict_strength: float | None = None,
) -> GraphColoring:
    """The colouring model of a graph (num_nodes >= 1, unweighted edges u != v, num_colors >= 1).
    Strengths (finite, > 0) override the defaults B = 1, A = 1.25 x one_hot_bound."""

@final
class Tour:
    """A decoded (city, position) assignment."""

    def __new__(
        cls,
        tour: npt.NDArray[np.int64] | None,
        length: float | None,
        valid: bool,
        city_counts: npt.NDArray[np.int64],
        position_counts: npt.NDArray[np.int64],
        objective: float,
        penalty: float,
    ) -> Tour: ...
    @property
    def tour(self) -> npt.NDArray[np.int64] | None:
        """The city at each position when the sample is a permutation."""
    @property
    def length(self) -> float | None:
        """The length of that closed tour."""
    @property
    def valid(self) -> bool:
        """The sample is a permutation."""
    @property
    def city_counts(self) -> npt.NDArray[np.int64]: ...
    @property
    def position_counts(self) -> npt.NDArray[np.int64]: ...
    @property
    def objective(self) -> float:
        """The distance part of the energy (the length for a permutation)."""
    @property
    def penalty(self) -> float:
        """The one-hot part of the energy."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[Tour], tuple[Any, ...]]: ...

@final
class Tsp:
    """The travelling-salesperson problem: variable c * n + p is city c at position p."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels (city, position)."""
    @property
    def num_cities(self) -> int: ...
    @property
    def distances(self) -> npt.NDArray[np.float64]: ...
    @property
    def strength(self) -> float:
        """The one-hot strength A used."""
    @property
    def strength_bound(self) -> float:
        """The largest off-diagonal distance: any A above it makes every minimiser a tour."""
    def variable(self, city: int, position: int) -> int:
        """The index (in variable order) of `city` at `position`."""
    def decode(self, sample: _GeneratorSample) -> Tour: ...
    def __reduce__(self) -> tuple[Callable[..., Tsp], tuple[Any, ...]]: ...

def tsp(distances: npt.ArrayLike, strength: float | None = None) -> Tsp:
    """The TSP model of a square distance matrix (finite, >= 0; diagonal ignored; asymmetric
    allowed); `strength` (finite, > 0) overrides the default 1.25 x strength_bound."""

@final
class PeakViolation:
    """A slot whose total power exceeds its limit."""

    def __new__(cls, slot: int, power_kw: float, limit_kw: float, excess_kw: float) -> PeakViolation: ...
    @property
    def slot(self) -> int: ...
    @property
    def power_kw(self) -> float: ...
    @property
    def limit_kw(self) -> float: ...
    @property
    def excess_kw(self) -> float: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[PeakViolation], tuple[Any, ...]]: ...

@final
class MinRunViolation:
    """A run that breaks the minimum run time."""

    def __new__(cls, zone: int, slot: int, run_slots: int, locked: bool) -> MinRunViolation: ...
    @property
    def zone(self) -> int: ...
    @property
    def slot(self) -> int:
        """The slot the run starts in; for a locked unit, the first slot it is off."""
    @property
    def run_slots(self) -> int:
        """How many slots the run lasted, counting those before the horizon."""
    @property
    def locked(self) -> bool:
        """The unit was locked on by a run begun before the horizon."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[MinRunViolation], tuple[Any, ...]]: ...

@final
class PeakSlot:
    """How one slot's peak-power limit is encoded."""

    def __new__(
        cls, slack_variables: tuple[Hashable, ...], slack_kw: tuple[float, ...], effective_limit_kw: float, constrained: bool
    ) -> PeakSlot: ...
    @property
    def slack_variables(self) -> tuple[Hashable, ...]:
        """Labels ("slack", t, i) of the slot's slack variables."""
    @property
    def slack_kw(self) -> tuple[float, ...]:
        """The power each slack variable stands for (kW)."""
    @property
    def effective_limit_kw(self) -> float:
        """The limit rounded down to a multiple of the power resolution (kW)."""
    @property
    def constrained(self) -> bool:
        """False when the limit exceeds the sum of all rated powers (no penalty)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[PeakSlot], tuple[Any, ...]]: ...

@final
class HvacSolution:
    """A decoded schedule; total == energy_cost + comfort_cost + penalty == the model's energy."""

    def __new__(
        cls,
        schedule: npt.NDArray[np.uint8],
        energy_cost: float,
        energy_cost_per_zone: npt.NDArray[np.float64],
        energy_kwh_per_zone: npt.NDArray[np.float64],
        comfort_cost: float,
        comfort_cost_per_zone: npt.NDArray[np.float64],
        imbalance_kwh: npt.NDArray[np.float64],
        penalty: float,
        peak_penalty: float,
        min_run_penalty: float,
        total: float,
        slot_power_kw: npt.NDArray[np.float64],
        violations: tuple[PeakViolation, ...],
        min_run_violations: tuple[MinRunViolation, ...],
        feasible: bool,
    ) -> HvacSolution: ...
    @property
    def schedule(self) -> npt.NDArray[np.uint8]:
        """(zones, slots): 1 when the zone's unit is on in the slot."""
    @property
    def energy_cost(self) -> float:
        """sum price_t * P_z * slot_hours * x_zt (currency)."""
    @property
    def energy_cost_per_zone(self) -> npt.NDArray[np.float64]: ...
    @property
    def energy_kwh_per_zone(self) -> npt.NDArray[np.float64]: ...
    @property
    def comfort_cost(self) -> float:
        """sum_z w_z sum b**2 (currency)."""
    @property
    def comfort_cost_per_zone(self) -> npt.NDArray[np.float64]: ...
    @property
    def imbalance_kwh(self) -> npt.NDArray[np.float64]:
        """(zones, slots): the comfort model's imbalance b (kWh)."""
    @property
    def penalty(self) -> float:
        """All constraint penalties: peak_penalty + min_run_penalty."""
    @property
    def peak_penalty(self) -> float:
        """The peak penalty of the sample, slack variables included."""
    @property
    def min_run_penalty(self) -> float:
        """The minimum-run penalty of the sample, start variables included."""
    @property
    def total(self) -> float: ...
    @property
    def slot_power_kw(self) -> npt.NDArray[np.float64]: ...
    @property
    def violations(self) -> tuple[PeakViolation, ...]: ...
    @property
    def min_run_violations(self) -> tuple[MinRunViolation, ...]:
        """Runs shorter than the minimum run time, and locked units switched off."""
    @property
    def feasible(self) -> bool:
        """No slot is over its limit and no run is too short."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[type[HvacSolution], tuple[Any, ...]]: ...

@final
class Hvac:
    """The HVAC zone x slot on/off schedule (SPEC section 9): energy cost, comfort against the
    forecast demand, and a peak-power limit per slot (through slack variables)."""

    @property
    def bqm(self) -> Bqm:
        """The model; labels (zone, slot) for the decisions, then ("slack", slot, i), then with a
        minimum run time ("start", zone, slot)."""
    @property
    def num_zones(self) -> int: ...
    @property
    def num_slots(self) -> int: ...
    @property
    def peak_strength(self) -> float:
        """The peak-penalty strength used."""
    @property
    def peak_strength_bound(self) -> float:
        """Any peak strength above this makes every minimiser respect every peak limit."""
    @property
    def power_resolution_kw(self) -> float:
        """The unit the rated powers are multiples of (kW)."""
    @property
    def min_run_strength(self) -> float:
        """The minimum-run penalty strength used."""
    @property
    def min_run_strength_bound(self) -> float:
        """Any minimum-run strength above this makes every minimiser free of short runs."""
    @property
    def peak_slots(self) -> tuple[PeakSlot, ...]:
        """One per slot."""
    @property
    def slack_variables(self) -> tuple[Hashable, ...]:
        """Every slack label, slot by slot."""
    def variable(self, z: int, t: int) -> int:
        """The index (in variable order) of zone z's decision in slot t."""
    def decode(self, sample: _GeneratorSample) -> HvacSolution:
        """The schedule, costs and constraint report of a sample (decisions and slack)."""
    def __reduce__(self) -> tuple[Callable[..., Hvac], tuple[()]]: ...

def hvac(
    *,
    rated_power_kw: npt.ArrayLike,
    delivered_kwh: npt.ArrayLike,
    comfort_weight: npt.ArrayLike,
    demand_kwh: npt.ArrayLike,
    price_per_kwh: npt.ArrayLike,
    peak_limit_kw: npt.ArrayLike,
    slot_hours: float = 1.0,
    initial_imbalance_kwh: npt.ArrayLike | None = None,
    comfort: Literal["cumulative", "per_slot", "horizon"] = "cumulative",
    peak_strength: float | None = None,
    power_resolution_kw: float | None = None,
    min_run_slots: int = 0,
    initial_run_slots: Sequence[int] | None = None,
    min_run_strength: float | None = None,
    peak_encoding: Literal["slack", "subsets"] = "slack",
) -> Hvac:
    """The HVAC schedule model of one horizon of Z zones (one unit each) and T slots.

    rated_power_kw: (Z,) electrical power of each unit when on (kW, >= 0).
    delivered_kwh: (Z,) heat or cooling a unit delivers over one slot when on (kWh, >= 0).
    comfort_weight: (Z,) price of comfort (currency per kWh**2 of imbalance, >= 0).
    demand_kwh: (Z, T) forecast demand (kWh, >= 0); with comfort="horizon" also (Z,) totals.
    price_per_kwh: (T,) energy price per slot (>= 0).
    peak_limit_kw: (T,) largest total power per slot (kW, >= 0).
    slot_hours: slot length (hours, > 0).
    initial_imbalance_kwh: (Z,) imbalance each zone starts with (kWh, signed); None = zeros.
    comfort: "cumulative" (running balance at the end of every slot; the default), "per_slot"
    (each slot on its own) or "horizon" (one balance over the horizon).
    peak_strength: the peak penalty (finite, > 0); None = 1.25 x peak_strength_bound.
    power_resolution_kw: the unit the rated powers are multiples of; None = detected (at most
    6 decimals).
    min_run_slots: minimum run time (slots): a unit that starts stays on at least this long
    (0 or 1: none); start variables ("start", z, t) are appended.
    initial_run_slots: (Z,) slots each unit has been on just before slot 0 (0: off); a unit that
    ran fewer than min_run_slots must stay on for the rest. None = all off.
    min_run_strength: the minimum-run penalty (finite, > 0); None = 1.25 x min_run_strength_bound.
    peak_encoding: "slack" (squared slack form, slack variables ("slack", t, i); the default) or
    "subsets" (a penalty per minimal set of units over the limit, no slack; a triple adds one
    auxiliary variable ("peak_aux", t, i); slots with larger minimal sets fall back to slack).
    """

# ==== The synthetic building of the flagship (issue 15) ====

__all__ += ["Building", "run_pipeline"]

class _Outcome(TypedDict):
    energy_kwh: float
    energy_cost: float
    comfort_violations: int
    comfort_degree_hours: float
    peak_violations: int
    temps_c: npt.NDArray[np.float64]
    on: npt.NDArray[np.uint8]

@final
class Building:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        num_zones: int = 3,
        days: int = 14,
        steps_per_hour: int = 4,
        seed: int | None = None,
        outdoor_mean_c: float = 4.0,
        outdoor_amplitude_c: float = 4.0,
        peak_limit_kw: float | None = None,
    ) -> Building: ...
    @property
    def seed(self) -> int: ...
    @property
    def num_zones(self) -> int: ...
    @property
    def num_steps(self) -> int: ...
    @property
    def step_hours(self) -> float: ...
    @property
    def peak_limit_kw(self) -> float: ...
    @property
    def zones(self) -> list[dict[str, float]]: ...
    @property
    def series(self) -> dict[str, npt.NDArray[Any]]: ...
    def comfort_band(self, z: int, k: int) -> tuple[float, float]: ...
    def step(self, k: int, temps: npt.NDArray[np.float64], on: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]: ...
    def simulate_thermostat(
        self,
        initial_c: npt.NDArray[np.float64],
        start: int = 0,
        steps: int | None = None,
        hysteresis_c: float = 0.5,
        peak_limited: bool = False,
    ) -> _Outcome: ...
    def simulate_schedule(
        self, schedule: npt.NDArray[np.uint8], initial_c: npt.NDArray[np.float64], start: int = 0
    ) -> _Outcome: ...
    def params_bytes(self) -> bytes: ...
    @staticmethod
    def from_params_bytes(data: bytes) -> Building: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def run_pipeline(**kwargs: Any) -> dict[str, Any]:
    """The flagship pipeline (issue 15): a seeded building, reservoir load forecasts on raw values
    and on streaming spikes (the one with the smaller cross-validation error plans), hourly QUBO
    planning over the days after the training days, closed loop against the thermostat.

    Keywords: the Building's (num_zones, days=10, steps_per_hour, seed, outdoor_mean_c,
    outdoor_amplitude_c, peak_limit_kw) and train_days=7, horizon_slots=8, units=200,
    forecast="auto"|"raw"|"spikes"|"persistence", comfort_weight=1.0, comfort_margin_c=1.0,
    min_run_slots=2, sampler="tabu"|"simulated_annealing", dwave="auto"|"off", num_reads=8,
    num_restarts=10, num_sweeps=1000, hysteresis_c=0.5, strength="marginal"|"proven".
    dwave="auto": with a D-Wave token configured (DWAVE_API_TOKEN, dwave.conf ...), each plan goes
    to a Leap hybrid solver first, through FallbackSampler with the local sampler behind it.

    Returns the JSON report's fields (seed, forecast, schedule, thermostat,
    thermostat_peak_limited, plans, infeasible_plans, repaired_plans, solver, answered_by (plans
    per answering sampler), sampler_note (which samplers and why), exact_match, exact_variables,
    elapsed_s) and the
    arrays temps_c, thermostat_temps_c, on (zones x steps), forecast_first, truth_first (zones x
    evaluation slots) and first_plan_energies.
    """

# --- spike -------------------------------------------------------------------------------------
# Encoder's keywords are the core's EncoderParams (tests/test_spike.py checks names and defaults).

@final
class SpikeRaster:
    """Spikes on a (time step x channel) grid, bit-packed; cells are 1, 0 or -1."""

    def __new__(cls, data: npt.ArrayLike | SpikeRaster) -> SpikeRaster: ...
    @staticmethod
    def zeros(num_steps: int, num_channels: int) -> SpikeRaster: ...
    @staticmethod
    def from_events(events: SpikeEvents) -> SpikeRaster: ...
    @property
    def num_steps(self) -> int: ...
    @property
    def num_channels(self) -> int: ...
    @property
    def shape(self) -> tuple[int, int]: ...
    @property
    def signed(self) -> bool: ...
    @property
    def packed(self) -> npt.NDArray[np.uint8]: ...
    @property
    def off_packed(self) -> npt.NDArray[np.uint8]: ...
    def to_dense(self, dtype: npt.DTypeLike | None = None) -> npt.NDArray[Any]: ...
    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None) -> npt.NDArray[Any]: ...
    def __getitem__(self, key: tuple[int, int], /) -> int: ...
    def active(self, t: int) -> npt.NDArray[np.int64]: ...
    def count(self) -> int: ...
    def counts(self) -> npt.NDArray[np.uint64]: ...
    def to_events(self) -> SpikeEvents: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> SpikeRaster: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class SpikeEvents:
    """Spikes as address events (times, channels, polarities) on a num_steps x num_channels grid."""

    def __new__(
        cls,
        times: npt.ArrayLike,
        channels: npt.ArrayLike,
        polarities: npt.ArrayLike | None = None,
        num_steps: int | None = None,
        num_channels: int | None = None,
    ) -> SpikeEvents: ...
    @property
    def times(self) -> npt.NDArray[np.uint64]: ...
    @property
    def channels(self) -> npt.NDArray[np.uint32]: ...
    @property
    def polarities(self) -> npt.NDArray[np.int8]: ...
    @property
    def num_steps(self) -> int: ...
    @property
    def num_channels(self) -> int: ...
    def __len__(self) -> int: ...
    def sorted(self) -> SpikeEvents: ...
    def to_raster(self) -> SpikeRaster: ...
    def to_structured(self) -> npt.NDArray[Any]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> SpikeEvents: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __eq__(self, value: object, /) -> bool: ...

_EncoderKind: TypeAlias = Literal[
    "delta", "send_on_delta", "step_forward", "tbr", "moving_window", "rate", "poisson", "phase", "bsa"
]

@final
class Encoder:
    """A streaming spike encoder: one sample in, one int32 per channel out."""

    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        encoder: _EncoderKind = "send_on_delta",
        num_channels: int = 1,
        threshold: float = 0.1,
        padding: bool = False,
        off_spike: bool = False,
        window: int = 3,
        gain: float = 1.0,
        offset: float = 0.0,
        dt: float = 0.001,
        period: int = 8,
        filter: Sequence[float] | npt.NDArray[np.float64] | None = None,
        filter_length: int = 16,
        seed: int | None = None,
    ) -> Encoder: ...
    def step(self, x: npt.ArrayLike) -> npt.NDArray[np.int32]: ...
    def run(self, data: npt.ArrayLike) -> npt.NDArray[np.int32]: ...
    def decode(self, spikes: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    def reset(self) -> None: ...
    @property
    def num_channels(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def steps(self) -> int: ...
    @property
    def params(self) -> dict[str, Any]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Encoder: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class VanRossum:
    """The van Rossum distance computed as spikes arrive (O(1) per spike)."""

    def __new__(cls, time_constant: float = 1.0) -> VanRossum: ...
    def push_a(self, t: float) -> None: ...
    def push_b(self, t: float) -> None: ...
    def distance(self) -> float: ...
    def reset(self) -> None: ...

@final
class TemplateMatcher:
    """Cosine similarity of a sliding window of a spike stream with a template raster."""

    def __new__(cls, template: npt.ArrayLike | SpikeRaster) -> TemplateMatcher: ...
    def push(self, step: npt.ArrayLike) -> float: ...
    def scores(self, raster: npt.ArrayLike | SpikeRaster) -> npt.NDArray[np.float64]: ...
    def reset(self) -> None: ...

_Raster: TypeAlias = npt.ArrayLike | SpikeRaster

def _spike_keywords(name: str) -> tuple[str, list[tuple[str, Any, str, str]]]: ...
def _spike_rate(data: npt.ArrayLike, **kwargs: Any) -> Any: ...
def _spike_poisson(rates: npt.ArrayLike, **kwargs: Any) -> Any: ...
def _spike_latency(data: npt.ArrayLike, **kwargs: Any) -> Any: ...
def _spike_latency_code(data: npt.ArrayLike, **kwargs: Any) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]: ...
def _spike_latency_decode(spike_time: npt.ArrayLike, **kwargs: Any) -> npt.NDArray[np.float64]: ...
def _spike_delta(data: npt.ArrayLike, **kwargs: Any) -> Any: ...
def _spike_bsa(data: npt.ArrayLike, **kwargs: Any) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def _spike_bsa_decode(spikes: npt.ArrayLike, shift: Sequence[float], scale: Sequence[float], filter: Sequence[float]) -> npt.NDArray[np.float64]:
    """Decodes BSA spikes: the spikes filtered by `filter`, scaled back per channel."""
def _spike_tbr_threshold(data: npt.ArrayLike, factor: float = 0.5) -> npt.NDArray[np.float64]:
    """The TBR threshold per channel: mean + factor·std of the changes."""
def _spike_population(data: npt.ArrayLike, **kwargs: Any) -> Any: ...
def _spike_population_decode(spikes: npt.ArrayLike, **kwargs: Any) -> npt.NDArray[np.float64]: ...
def _spike_rate_decode(spikes: _Raster, **kwargs: Any) -> npt.NDArray[np.float64]: ...
def _spike_poisson_decode(spikes: _Raster, **kwargs: Any) -> npt.NDArray[np.float64]: ...
def _spike_delta_decode(spikes: _Raster, **kwargs: Any) -> npt.NDArray[np.float64]: ...
def _spike_reconstruction(signal: npt.ArrayLike, decoded: npt.ArrayLike, num_spikes: int) -> dict[str, float]:
    """Scores a reconstruction: rmse, nrmse, snr_db, spikes_per_sample."""
def _spike_detect(raster: _Raster, templates: Sequence[_Raster] | None = None, **kwargs: Any) -> dict[str, Any]: ...
def van_rossum_distance(a: npt.ArrayLike, b: npt.ArrayLike, time_constant: float = 1.0) -> float:
    """The van Rossum distance between two sorted spike-time arrays (Elephant's normalisation)."""
def victor_purpura_distance(a: npt.ArrayLike, b: npt.ArrayLike, cost_factor: float = 1.0) -> float:
    """The Victor–Purpura distance between two spike-time arrays."""
def kuramoto(raster: _Raster) -> float | None:
    """Kuramoto order parameter of spike phases, averaged over time."""
def spike_synchronization(raster: _Raster) -> float | None:
    """SPIKE-synchronization, the spike-time synchrony index in [0, 1]."""
def bursts(raster: _Raster, max_isi: int = 2, min_spikes: int = 3) -> tuple[list[tuple[int, int, int, int]], float]:
    """ISI bursts (channel, start, end, num_spikes) and the fraction of spikes in bursts."""
def autocorrelation(raster: _Raster, max_lag: int) -> npt.NDArray[np.float64]:
    """The population rate's autocorrelation at lags 0..max_lag."""
def rhythmicity(raster: _Raster, min_period: int = 2, max_period: int | None = None) -> tuple[int, float] | None:
    """The dominant period of the population rate and its strength."""
def treves_rolls(rates: npt.ArrayLike) -> float | None:
    """The Treves–Rolls activity ratio of non-negative responses."""
def population_sparseness(raster: _Raster, bin: int = 1) -> float | None:
    """Population sparseness (Treves–Rolls, normalised to [0, 1]) over bins of `bin` steps."""

# --- reservoir ------------------------------------------------------------------------------

_Floats: TypeAlias = npt.NDArray[np.float64]
_Series: TypeAlias = npt.ArrayLike | Sequence[npt.ArrayLike]
_Scaling: TypeAlias = float | Sequence[float] | npt.NDArray[np.float64]
_Dist: TypeAlias = Literal["normal", "uniform", "bernoulli"]

@final
class Reservoir:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        units: int | None = None,
        lr: _Scaling = 1.0,
        sr: float | None = None,
        input_scaling: _Scaling = 1.0,
        input_connectivity: float = 0.1,
        rc_connectivity: float = 0.1,
        *,
        bias: _Scaling = 0.0,
        activation: Literal["tanh", "sigmoid", "relu", "softplus", "identity"] = "tanh",
        equation: Literal["internal", "external"] = "internal",
        w_init: _Dist = "normal",
        win_init: _Dist = "bernoulli",
        input_dim: int | None = None,
        fb_dim: int = 0,
        fb_scaling: _Scaling = 1.0,
        fb_connectivity: float = 0.1,
        fb_init: _Dist = "bernoulli",
        noise_rc: float = 0.0,
        noise_in: float = 0.0,
        noise_fb: float = 0.0,
        noise_type: Literal["normal", "uniform"] = "normal",
        seed: int | None = None,
        W: Any = None,
        Win: Any = None,
        Wfb: Any = None,
    ) -> Reservoir: ...
    def run(self, x: _Series, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> Any: ...
    def step(self, u: npt.ArrayLike, fb: npt.ArrayLike | None = None) -> _Floats: ...
    def reset(self) -> None: ...
    @property
    def state(self) -> _Floats: ...
    @state.setter
    def state(self, value: npt.ArrayLike) -> None: ...
    @property
    def units(self) -> int | None: ...
    @property
    def input_dim(self) -> int | None: ...
    @property
    def initialized(self) -> bool: ...
    @property
    def W(self) -> Any: ...
    @property
    def Win(self) -> Any: ...
    @property
    def Wfb(self) -> Any: ...
    @property
    def bias(self) -> _Floats: ...
    @property
    def lr(self) -> _Floats: ...
    @property
    def seed(self) -> int | None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Reservoir: ...
    @staticmethod
    def _from_params_bytes(data: bytes) -> Reservoir: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __rshift__(self, other: Any, /) -> Any: ...
    def __rrshift__(self, other: Any, /) -> Any: ...

@final
class Ridge:
    __signature__: ClassVar[inspect.Signature]
    def __new__(cls, ridge: float = 0.0, fit_bias: bool = True) -> Ridge: ...
    def fit(self, x: _Series, y: _Series, warmup: int = 0, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None, num_threads: int | None = None) -> Ridge: ...
    def run(self, x: _Series) -> Any: ...
    def step(self, x: npt.ArrayLike) -> _Floats: ...
    @property
    def Wout(self) -> _Floats: ...
    @property
    def bias(self) -> _Floats: ...
    @property
    def fitted(self) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Ridge: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __rshift__(self, other: Any, /) -> Any: ...
    def __rrshift__(self, other: Any, /) -> Any: ...

@final
class RLS:
    __signature__: ClassVar[inspect.Signature]
    def __new__(cls, alpha: float = 1e-06, *, forgetting: float = 1.0, fit_bias: bool = True) -> RLS: ...
    def partial_fit(self, x: _Series, y: _Series, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> RLS: ...
    def fit(self, x: _Series, y: _Series, warmup: int = 0, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> RLS: ...
    def run(self, x: _Series) -> Any: ...
    @property
    def Wout(self) -> _Floats: ...
    @property
    def bias(self) -> _Floats: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> RLS: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class LMS:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        learning_rate: float = 0.5,
        *,
        rule: Literal["lms", "nlms"] = "nlms",
        eps: float = 1e-08,
        fit_bias: bool = True,
    ) -> LMS: ...
    def partial_fit(self, x: _Series, y: _Series, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> LMS: ...
    def fit(self, x: _Series, y: _Series, warmup: int = 0, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> LMS: ...
    def run(self, x: _Series) -> Any: ...
    @property
    def Wout(self) -> _Floats: ...
    @property
    def bias(self) -> _Floats: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> LMS: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class ESN:
    def __new__(cls, reservoir: Reservoir, readout: Ridge, input_to_readout: bool = False) -> ESN: ...
    def fit(self, x: _Series, y: _Series, warmup: int = 0, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None, num_threads: int | None = None) -> ESN: ...
    def fit_cv(
        self, x: _Series, y: _Series, ridges: Sequence[float], folds: int = 5, warmup: int = 0
    ) -> dict[str, Any]: ...
    def run(self, x: _Series, forced_feedback: npt.ArrayLike | None = None, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> Any: ...
    def step(self, u: npt.ArrayLike) -> _Floats: ...
    def forecast(self, h: int, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> _Floats: ...
    def generate(self, n: int, warmup: npt.ArrayLike | None = None, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> _Floats: ...
    def reset(self) -> None: ...
    @property
    def reservoir(self) -> Reservoir: ...
    @property
    def readout(self) -> Ridge: ...
    @property
    def state(self) -> _Floats: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> ESN: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class NVAR:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        delay: int = 2,
        order: int = 2,
        strides: int = 1,
        *,
        constant: bool = False,
        input_dim: int | None = None,
    ) -> NVAR: ...
    def run(self, x: _Series, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> Any: ...
    def step(self, u: npt.ArrayLike) -> _Floats: ...
    def fit_standardization(self, x: npt.ArrayLike) -> None: ...
    def reset(self) -> None: ...
    @property
    def output_dim(self) -> int | None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> NVAR: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __rshift__(self, other: Any, /) -> Any: ...
    def __rrshift__(self, other: Any, /) -> Any: ...

@final
class LSM:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        units: int = 100,
        *,
        beta: float = 0.9,
        threshold: float = 1.0,
        reset: Literal["subtract", "zero", "none"] = "subtract",
        refractory: int = 0,
        inhibitory: float = 0.2,
        rc_connectivity: float = 0.1,
        input_connectivity: float = 0.3,
        w_scale: float = 0.5,
        input_scaling: float = 1.0,
        input_dim: int = 1,
        seed: int | None = None,
        W: Any = None,
        Win: Any = None,
    ) -> LSM: ...
    @overload
    def run(self, spikes: SpikeRaster, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> SpikeRaster: ...
    @overload
    def run(self, spikes: npt.ArrayLike, timeout: float | None = None, interrupt_function: Callable[[], bool] | None = None) -> npt.NDArray[np.uint8]: ...
    def step(self, spikes: npt.ArrayLike) -> npt.NDArray[np.uint8]: ...
    def reset(self) -> None: ...
    @property
    def potential(self) -> _Floats: ...
    @property
    def W(self) -> Any: ...
    @property
    def Win(self) -> Any: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> LSM: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def spike_counts(raster: npt.ArrayLike | SpikeRaster, window: int) -> _Floats: ...
def filtered_traces(raster: npt.ArrayLike | SpikeRaster, decay: float) -> _Floats: ...
def spectral_radius(w: Any, tol: float = 1e-12, maxiter: int = 2000) -> float: ...
def effective_spectral_radius(w: Any, lr: float = 1.0) -> float: ...
def mackey_glass(
    n_timesteps: int,
    tau: float = 17.0,
    a: float = 0.2,
    b: float = 0.1,
    n: float = 10.0,
    x0: float = 1.2,
    h: float = 1.0,
    substeps: int = 10,
) -> _Floats: ...
def narma10(n_timesteps: int, seed: int | None = None, u: npt.ArrayLike | None = None) -> tuple[_Floats, _Floats]: ...
def lorenz(
    n_timesteps: int,
    rho: float = 28.0,
    sigma: float = 10.0,
    beta: float = 2.6666666666666665,
    x0: tuple[float, float, float] | None = None,
    h: float = 0.03,
    substeps: int = 10,
) -> _Floats: ...
def mse(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float: ...
def rmse(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float: ...
def nmse(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float: ...
def rsquare(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float: ...
def nrmse(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, norm: Literal["std", "var", "minmax", "mean", "q1q3"] = "std"
) -> float: ...
def valid_time(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, threshold: float = 0.4) -> int: ...
def memory_capacity(
    reservoir: Reservoir,
    k_max: int,
    series: npt.ArrayLike | None = None,
    test_size: float = 0.2,
    ridge: float = 1e-08,
    seed: int | None = None,
) -> _Floats: ...

# ==== D-Wave backend (issue 14) ====
# Keyword arguments of the samplers: the connection settings (DWaveConfig: endpoint, token,
# solver, region, proxy, request_timeout, polling_timeout, http_retry_total, config_file, profile,
# metadata_api_endpoint) and the problem parameters (QpuParams / HybridParams /
# EmbeddingCompositeParams), all read and checked by the core.

__all__ += [
    "DWaveSampler",
    "LeapHybridSampler",
    "EmbeddingSampler",
    "find_embedding",
    "encode_qp",
    "decode_qp",
]

@final
class DWaveSampler(Sampler):
    def __new__(cls, **kwargs: Any) -> DWaveSampler: ...
    def with_params(self, **kwargs: Any) -> DWaveSampler: ...
    @property
    def solver(self) -> str: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def num_qubits(self) -> int: ...
    @property
    def nodelist(self) -> list[int]: ...
    @property
    def edgelist(self) -> list[tuple[int, int]]: ...
    @property
    def params(self) -> dict[str, Any]: ...
    def sample_qubits(
        self,
        bqm: Bqm,
        qubits: Sequence[int],
        *,
        interrupt_function: Callable[[], bool] | None = None,
        timeout: float | None = None,
    ) -> SampleSet: ...

@final
class LeapHybridSampler(Sampler):
    def __new__(cls, **kwargs: Any) -> LeapHybridSampler: ...
    def with_params(self, **kwargs: Any) -> LeapHybridSampler: ...
    @property
    def solver(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...
    def min_time_limit(self, num_variables: int) -> float | None: ...

@final
class EmbeddingSampler(Sampler):
    def __new__(cls, child: DWaveSampler, embedding: Sequence[Sequence[int]] | None = None, **kwargs: Any) -> EmbeddingSampler: ...
    @property
    def child(self) -> DWaveSampler: ...
    @property
    def params(self) -> dict[str, Any]: ...

def find_embedding(
    num_variables: int,
    source_edges: Sequence[tuple[int, int]],
    num_nodes: int,
    target_edges: Sequence[tuple[int, int]],
    **kwargs: Any,
) -> list[list[int]]: ...
def encode_qp(
    solver: Mapping[str, Any],
    linear: Mapping[int, float],
    quadratic: Mapping[tuple[int, int], float],
    offset: float = 0.0,
) -> dict[str, Any]: ...
def decode_qp(message: Mapping[str, Any]) -> dict[str, Any]: ...

# --- quantum -------------------------------------------------------------------------------

__all__ += [
    "PauliSum",
    "Operator",
    "SolverOptions",
    "_sesolve",
    "_sesolve_batch",
    "_mesolve",
    "anneal_bqm",
    "fidelity",
    "fidelity_squared",
    "tracedist",
    "hilbert_dist",
    "bures_dist",
    "bures_angle",
    "entropy_vn",
    "entropy_linear",
    "purity",
    "concurrence",
    "coherence_l1",
    "coherence_relative_entropy",
    "robustness_of_coherence",
    "visibility",
    "predictability",
    "visibility_from_intensities",
    "t1_t2_lindblad",
    "state_to_bytes",
    "state_from_bytes",
    "Channel",
    "Kuramoto",
    "KuramotoTrace",
    "PhaseState",
    "interference",
]

_C = complex | float
_CArr = npt.NDArray[np.complex128]
_State = npt.ArrayLike
_Policy = Callable[[], bool] | None
_Progress = Callable[[int, int], object] | None

@final
class PauliSum:
    def __new__(cls, num_qubits: int) -> PauliSum: ...
    def add_term(self, paulis: str, sites: Sequence[int], coefficient: _C = 1.0) -> None: ...
    def add_string(self, paulis: str, coefficient: _C = 1.0) -> None: ...
    def add_per_site(self, pauli: str, coefficients: Sequence[float]) -> None: ...
    @staticmethod
    def from_bqm(bqm: Bqm) -> PauliSum: ...
    @property
    def num_qubits(self) -> int: ...
    @property
    def num_terms(self) -> int: ...
    def is_hermitian(self, tolerance: float = 1e-12) -> bool: ...
    def to_operator(self, storage: str = "matrix_free") -> Operator: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> PauliSum: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Operator:
    @staticmethod
    def from_dense(matrix: _CArr) -> Operator: ...
    @staticmethod
    def from_csr(dim: int, indptr: Sequence[int], indices: Sequence[int], data: _CArr) -> Operator: ...
    @property
    def dim(self) -> int: ...
    @property
    def storage(self) -> str: ...
    @property
    def isherm(self) -> bool: ...
    @property
    def nnz(self) -> int: ...
    def apply(self, x: _CArr) -> _CArr: ...
    def expect(self, state: _State) -> complex: ...
    def full(self) -> _CArr: ...
    def csr_arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32], _CArr]: ...
    def eigh(self) -> tuple[npt.NDArray[np.float64], _CArr]: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class SolverOptions:
    __signature__: ClassVar[inspect.Signature]
    def __new__(
        cls,
        *,
        atol: float = 1e-12,
        rtol: float = 1e-10,
        nsteps: int = 100000,
        max_step: float = 0.0,
        method: Literal["auto", "krylov", "diag", "dop853", "tsit5"] = "auto",
        store_states: bool | None = None,
        krylov_dim: int = 50,
    ) -> SolverOptions: ...
    def to_dict(self) -> dict[str, Any]: ...

def _sesolve(
    h0: Operator,
    terms: list[Any],
    psi0: _CArr,
    tlist: Sequence[float],
    e_ops: list[Operator],
    options: dict[str, Any] | None = None,
    num_threads: int | None = None,
    timeout: float | None = None,
    interrupt_function: _Policy = None,
    progress: _Progress = None,
) -> dict[str, Any]: ...
def _sesolve_batch(
    h0: Operator,
    terms: list[Any],
    states: Sequence[_CArr],
    tlist: Sequence[float],
    e_ops: list[Operator],
    options: dict[str, Any] | None = None,
    num_threads: int | None = None,
    timeout: float | None = None,
    interrupt_function: _Policy = None,
    progress: _Progress = None,
) -> list[dict[str, Any]]: ...
def _mesolve(
    h0: Operator,
    terms: list[Any],
    rho0: _State,
    tlist: Sequence[float],
    c_ops: list[Operator],
    e_ops: list[Operator],
    options: dict[str, Any] | None = None,
    num_threads: int | None = None,
    timeout: float | None = None,
    interrupt_function: _Policy = None,
    progress: _Progress = None,
) -> dict[str, Any]: ...
def anneal_bqm(
    bqm: Bqm,
    anneal_time: float,
    schedule: Any = None,
    options: dict[str, Any] | None = None,
    num_threads: int | None = None,
    timeout: float | None = None,
    interrupt_function: _Policy = None,
    progress: _Progress = None,
) -> dict[str, Any]: ...
def fidelity(a: _State, b: _State) -> float: ...
def fidelity_squared(a: _State, b: _State) -> float: ...
def tracedist(a: _State, b: _State) -> float: ...
def hilbert_dist(a: _State, b: _State) -> float: ...
def bures_dist(a: _State, b: _State) -> float: ...
def bures_angle(a: _State, b: _State) -> float: ...
def entropy_vn(rho: _State, base: float = 2.718281828459045) -> float: ...
def entropy_linear(rho: _State) -> float: ...
def purity(rho: _State) -> float: ...
def concurrence(rho: _State) -> float: ...
def coherence_l1(rho: _State) -> float: ...
def coherence_relative_entropy(rho: _State, base: float = 2.718281828459045) -> float: ...
def robustness_of_coherence(rho: _State) -> float: ...
def visibility(rho: _State, i: int = 0, j: int = 1) -> float: ...
def predictability(rho: _State, i: int = 0, j: int = 1) -> float: ...
def visibility_from_intensities(i_max: float, i_min: float) -> float: ...
def t1_t2_lindblad(t1: float, t2: float, num_qubits: int = 1, qubit: int = 0) -> list[Operator]: ...
@final
class Channel:
    @staticmethod
    def dephasing(p: float) -> Channel: ...
    @staticmethod
    def phase_damping(lam: float) -> Channel: ...
    @staticmethod
    def amplitude_damping(gamma: float) -> Channel: ...
    @staticmethod
    def depolarizing(p: float, convention: str) -> Channel: ...
    @staticmethod
    def t1_t2(t1: float, t2: float, t: float) -> Channel: ...
    @staticmethod
    def from_kraus(kraus: Sequence[_State]) -> Channel: ...
    @property
    def kraus(self) -> list[_CArr]: ...
    def completeness_deviation(self) -> float: ...
    def apply(self, rho: _State, num_qubits: int = 1, qubit: int = 0) -> _CArr: ...

@final
class Kuramoto:
    def __new__(cls, frequencies: Sequence[float], coupling: float, phases: Sequence[float], adjacency: Sequence[float] | None = None) -> Kuramoto: ...
    @property
    def phases(self) -> npt.NDArray[np.float64]: ...
    @property
    def time(self) -> float: ...
    def order_parameter(self) -> tuple[float, float]: ...
    def run(
        self, dt: float, steps: int, record_every: int = 1, timeout: float | None = None, interrupt_function: _Policy = None
    ) -> KuramotoTrace: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Kuramoto: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class KuramotoTrace:
    @property
    def times(self) -> npt.NDArray[np.float64]: ...
    @property
    def order(self) -> npt.NDArray[np.float64]: ...
    @property
    def mean_phase(self) -> npt.NDArray[np.float64]: ...
    @property
    def interrupted(self) -> bool: ...
    def __len__(self) -> int: ...
    def __getitem__(self, key: int, /) -> npt.NDArray[np.float64]: ...
    def __iter__(self) -> Iterator[npt.NDArray[np.float64]]: ...

@final
class PhaseState:
    def __new__(cls, energy: float, phase: float = 0.0, coherence: float = 1.0, uncertainty: float = 0.0) -> PhaseState: ...
    def evolve(self, dt: float) -> None: ...
    @property
    def energy(self) -> float: ...
    @property
    def phase(self) -> float: ...
    @property
    def coherence(self) -> float: ...
    @property
    def uncertainty(self) -> float: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> PhaseState: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def interference(a: PhaseState, b: PhaseState) -> float: ...
def state_to_bytes(state: _State) -> bytes: ...
def state_from_bytes(data: bytes) -> npt.NDArray[np.complex128]: ...
