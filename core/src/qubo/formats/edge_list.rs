//! Weighted edge lists in the rudy format of the G-set and Biq Mac max-cut instances:
//!
//! ```text
//! <num_nodes> <num_edges>
//! <i> <j> <weight>      num_edges lines, 1-based node numbers
//! ```

use super::text::{check_variables, end_line, numbered_lines, parse_bias, parse_count, parse_error, tokens};
use crate::Result;
use crate::qubo::MAX_VARIABLES;

/// A weighted undirected graph on nodes `0..num_nodes`, as read from an edge-list file; the input
/// of the max-cut generator.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeList {
    /// Number of nodes (some may have no edge).
    pub num_nodes: usize,
    /// Edges `(i, j, weight)` with 0-based `i != j`, in file order. Parallel edges are kept as
    /// listed (a max-cut objective sums them).
    pub edges: Vec<(u32, u32, f64)>,
}

/// Reads a rudy / G-set edge list: a `n m` line, then exactly `m` lines `i j w` with 1-based
/// node numbers in `1..=n`, `i != j`, and a finite weight. Blank lines are skipped. `n` is
/// bounded by the input's length (see [`TEXT_VARIABLES_ALLOWANCE`](super::TEXT_VARIABLES_ALLOWANCE)).
///
/// ```
/// use neuroquant::qubo::formats::read_edge_list;
/// let g = read_edge_list("3 2\n1 2 1\n3 1 -1\n")?;
/// assert_eq!(g.num_nodes, 3);
/// assert_eq!(g.edges, vec![(0, 1, 1.0), (2, 0, -1.0)]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_edge_list(text: &str) -> Result<EdgeList> {
    let mut lines = numbered_lines(text).filter(|(_, t)| !t.is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(parse_error(end_line(text), "no `num_nodes num_edges` line"));
    };
    let [n, m] = tokens::<2>(header, header_line, "num_nodes num_edges")?;
    let n = parse_count(n, header_line, "num_nodes", MAX_VARIABLES as u64)?;
    check_variables(n, || "nodes (num_nodes)".into(), text.len(), header_line)?;
    let m = parse_count(m, header_line, "num_edges", u64::MAX)?;
    // An edge line takes at least 6 bytes: reserve only what the input can hold.
    let mut edges = Vec::with_capacity((m as usize).min(text.len() / 6));
    for (line, t) in lines {
        if edges.len() as u64 == m {
            return Err(parse_error(
                line,
                format!("more than the {m} edges the header declares"),
            ));
        }
        let [i, j, w] = tokens::<3>(t, line, "i j weight")?;
        let node = |tok: &str| -> Result<u32> {
            let k = parse_count(tok, line, "node", MAX_VARIABLES as u64)?;
            if k == 0 || k > n {
                return Err(parse_error(
                    line,
                    format!("node {k} is out of range, must be in 1..={n}"),
                ));
            }
            Ok((k - 1) as u32)
        };
        let (i, j, w) = (node(i)?, node(j)?, parse_bias(w, line)?);
        if i == j {
            return Err(parse_error(
                line,
                format!("self-loop on node {}: an edge joins two distinct nodes", i + 1),
            ));
        }
        edges.push((i, j, w));
    }
    if (edges.len() as u64) < m {
        return Err(parse_error(
            end_line(text),
            format!("the header declares {m} edges, the file holds {}", edges.len()),
        ));
    }
    Ok(EdgeList {
        num_nodes: n as usize,
        edges,
    })
}
