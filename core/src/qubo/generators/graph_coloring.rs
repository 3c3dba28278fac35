//! Graph colouring as a QUBO: one-hot colour per node, conflicts penalised.

use super::common::{binary_values, check_edge, non_empty, strength};
use crate::Result;
use crate::error::check;
use crate::qubo::penalty::MAX_TERMS;
use crate::qubo::penalty::terms::{Terms, pairs_of};
use crate::qubo::{Bqm, SampleValue, Vartype};

/// A colouring instance and its BINARY model: variable `v·K + c` is 1 when node `v` has colour
/// `c` (`K` colours). Energy `A Σ_v (Σ_c x_{v,c} − 1)² + B Σ_{(u,v)∈E} Σ_c x_{u,c} x_{v,c}`:
/// zero exactly for a proper colouring.
///
/// Default strengths: `B = 1` per conflicting edge, and `A` above `B·Δ` (`Δ` the largest degree,
/// repeated edges counted): then a node without colour gains by taking any colour (it saves `A`
/// and adds at most `B·Δ` conflicts) and a node with several colours gains by dropping one, so
/// every minimiser gives each node exactly one colour and, among those, has the fewest
/// conflicts. The default is [`DEFAULT_MARGIN`](super::DEFAULT_MARGIN)` · B·Δ` (1 without edges).
#[derive(Debug, Clone, PartialEq)]
pub struct GraphColoring {
    bqm: Bqm,
    num_nodes: usize,
    num_colors: usize,
    edges: Vec<(u32, u32)>,
    one_hot_strength: f64,
    one_hot_bound: f64,
    conflict_strength: f64,
}

/// A decoded colouring.
#[derive(Debug, Clone, PartialEq)]
pub struct Coloring {
    /// The colour of each node, `None` unless exactly one is set.
    pub colors: Vec<Option<u32>>,
    /// Nodes with no colour or several.
    pub invalid_nodes: Vec<u32>,
    /// Edges (as given) whose endpoints share a colour, with that colour (the smallest if
    /// several).
    pub conflicts: Vec<(u32, u32, u32)>,
    /// Every node has one colour and no edge conflicts.
    pub valid: bool,
    /// Number of distinct colours used by the nodes with one colour.
    pub colors_used: usize,
}

/// Builds the model for `num_nodes >= 1` nodes, edges `(u, v)` (`u != v`, repeats add up) and
/// `num_colors >= 1`. Strengths (finite, `> 0`) override the defaults.
///
/// ```
/// use neuroquant::qubo::generators::graph_coloring;
/// // A triangle needs three colours.
/// let g = graph_coloring(3, &[(0, 1), (1, 2), (0, 2)], 3, None, None)?;
/// let sample = [1i8, 0, 0, 0, 1, 0, 0, 0, 1]; // node v has colour v
/// let c = g.decode(&sample)?;
/// assert!(c.valid && c.colors == vec![Some(0), Some(1), Some(2)]);
/// assert_eq!(g.bqm().energy(&sample)?, 0.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn graph_coloring(
    num_nodes: usize,
    edges: &[(u32, u32)],
    num_colors: usize,
    one_hot_strength: Option<f64>,
    conflict_strength: Option<f64>,
) -> Result<GraphColoring> {
    non_empty("num_nodes", num_nodes)?;
    non_empty("num_colors", num_colors)?;
    let nodes = num_nodes as u128;
    check::at_most_implied(
        "num_colors",
        num_colors as u64,
        |c| nodes * u128::from(c),
        MAX_TERMS as u128,
    )?;
    let num_vars = num_nodes * num_colors;
    let mut degree = vec![0usize; num_nodes];
    for (k, &(u, v)) in edges.iter().enumerate() {
        check_edge(k, u, v, num_nodes)?;
        degree[u as usize] += 1;
        degree[v as usize] += 1;
    }
    // One-hot pairs per node, plus one conflict pair per edge and colour.
    let one_hot = nodes * pairs_of(num_colors as u64);
    let k = num_colors as u128;
    check::at_most_implied(
        "edges",
        edges.len() as u64,
        |e| one_hot + u128::from(e) * k,
        MAX_TERMS as u128,
    )?;
    let pairs = (one_hot + edges.len() as u128 * k) as usize;
    let b = strength("conflict_strength", conflict_strength, 0.0)?;
    let max_degree = degree.iter().copied().max().unwrap_or(0);
    let one_hot_bound = b * max_degree as f64;
    let a = strength("one_hot_strength", one_hot_strength, one_hot_bound)?;

    let k = num_colors;
    let var = |v: u32, c: usize| (v as usize * k + c) as u32;
    let mut terms = Terms::with_capacity("edges", num_vars, pairs)?;
    let ones = vec![1.0; k];
    let mut row = Vec::with_capacity(k);
    for v in 0..num_nodes as u32 {
        row.clear();
        row.extend((0..k).map(|c| var(v, c)));
        terms.add_square(&row, &ones, -1.0, a);
    }
    for &(u, v) in edges {
        for c in 0..k {
            terms.pair(var(u, c), var(v, c), b);
        }
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, num_vars)?;
    terms.apply(&mut bqm, 0)?;
    Ok(GraphColoring {
        bqm,
        num_nodes,
        num_colors,
        edges: edges.to_vec(),
        one_hot_strength: a,
        one_hot_bound,
        conflict_strength: b,
    })
}

impl GraphColoring {
    /// The model (BINARY, variable `v · num_colors + c`).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The variable of node `v` having colour `c`: `v · num_colors + c`.
    pub fn variable(&self, v: u32, c: u32) -> Result<u32> {
        check::index("v", v.into(), self.num_nodes)?;
        check::index("c", c.into(), self.num_colors)?;
        Ok(v * self.num_colors as u32 + c)
    }

    /// The one-hot strength `A` used.
    pub fn one_hot_strength(&self) -> f64 {
        self.one_hot_strength
    }

    /// `B·Δ`: any `A` above it makes every minimiser one-hot.
    pub fn one_hot_bound(&self) -> f64 {
        self.one_hot_bound
    }

    /// The conflict strength `B` used.
    pub fn conflict_strength(&self) -> f64 {
        self.conflict_strength
    }

    /// The colouring of a sample of the model.
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<Coloring> {
        let x = binary_values(&self.bqm, sample)?;
        let k = self.num_colors;
        let rows: Vec<&[u8]> = x.chunks(k).collect();
        let mut colors = Vec::with_capacity(self.num_nodes);
        let mut invalid_nodes = Vec::new();
        for (v, row) in rows.iter().enumerate() {
            let set: Vec<usize> = (0..k).filter(|&c| row[c] == 1).collect();
            if let [c] = set[..] {
                colors.push(Some(c as u32));
            } else {
                colors.push(None);
                invalid_nodes.push(v as u32);
            }
        }
        let conflicts: Vec<(u32, u32, u32)> = self
            .edges
            .iter()
            .filter_map(|&(u, v)| {
                (0..k)
                    .find(|&c| rows[u as usize][c] == 1 && rows[v as usize][c] == 1)
                    .map(|c| (u, v, c as u32))
            })
            .collect();
        let mut used: Vec<u32> = colors.iter().flatten().copied().collect();
        used.sort_unstable();
        used.dedup();
        Ok(Coloring {
            valid: invalid_nodes.is_empty() && conflicts.is_empty(),
            colors,
            invalid_nodes,
            conflicts,
            colors_used: used.len(),
        })
    }
}
