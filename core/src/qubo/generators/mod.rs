//! Problem generators: each builds a [`Bqm`](super::Bqm) from domain data, documents its variable
//! layout and the penalty strengths it chose (with the bound that makes them sufficient), and
//! decodes a sample back to the domain with a feasibility report.

mod common;
mod graph_coloring;
mod hvac;
mod knapsack;
mod max_cut;
mod number_partitioning;
mod tsp;

pub use common::DEFAULT_MARGIN;
pub use graph_coloring::{Coloring, GraphColoring, graph_coloring};
pub use hvac::{ComfortModel, Hvac, HvacInput, HvacSolution, MinRunViolation, PeakSlot, PeakViolation, hvac};
pub use knapsack::{Knapsack, KnapsackSolution, knapsack};
pub use max_cut::{Cut, MaxCut, max_cut};
pub use number_partitioning::{NumberPartitioning, Partition, number_partitioning};
pub use tsp::{Tour, Tsp, tsp};
