"""Binary quadratic models (dimod's data model) with numpy in and out."""

from neuroquant._neuroquant import Bqm

__all__ = ["Bqm"]
