"""Binary quadratic models (dimod's data model) with numpy in and out, and PyQUBO-style
symbolic expressions (``Binary``, ``Spin``, ``Array``, ``Placeholder``, ``Constraint``, ...)
compiled to them."""

from neuroquant._neuroquant import (
    Array,
    Binary,
    Bqm,
    Condition,
    Constraint,
    DecodedSample,
    Expr,
    Model,
    Num,
    Placeholder,
    Spin,
    SubH,
)

__all__ = [
    "Array",
    "Binary",
    "Bqm",
    "Condition",
    "Constraint",
    "DecodedSample",
    "Expr",
    "Model",
    "Num",
    "Placeholder",
    "Spin",
    "SubH",
]
