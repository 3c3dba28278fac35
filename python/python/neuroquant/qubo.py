"""Binary quadratic models (dimod's data model) with numpy in and out."""

from neuroquant._neuroquant import Bqm

__all__ = ["Bqm"]

# ---- Files, constraint penalties and problem generators (issue 3) ----
from neuroquant._neuroquant import (  # noqa: E402
    Coloring,
    Cut,
    GraphColoring,
    Hvac,
    HvacSolution,
    Knapsack,
    KnapsackSolution,
    MaxCut,
    NumberPartitioning,
    Partition,
    PeakSlot,
    PeakViolation,
    PenaltyReport,
    Tour,
    Tsp,
    graph_coloring,
    hvac,
    knapsack,
    max_cut,
    number_partitioning,
    read_edge_list,
    tsp,
)

__all__ += [
    "Coloring",
    "Cut",
    "GraphColoring",
    "Hvac",
    "HvacSolution",
    "Knapsack",
    "KnapsackSolution",
    "MaxCut",
    "NumberPartitioning",
    "Partition",
    "PeakSlot",
    "PeakViolation",
    "PenaltyReport",
    "Tour",
    "Tsp",
    "graph_coloring",
    "hvac",
    "knapsack",
    "max_cut",
    "number_partitioning",
    "read_edge_list",
    "tsp",
]
