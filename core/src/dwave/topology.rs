//! QPU graph shapes: Chimera (D-Wave 2000Q), used by tests, examples and the SAPI test server.

/// The Chimera graph `C(m, n, t)` with dwave-networkx's linear labels: qubit `(i, j, u, k)`
/// (row, column, shore, index) is `((i * n + j) * 2 + u) * t + k`. Returns the number of
/// qubits and the couplers `(a, b)` with `a < b`, sorted: each unit cell is a complete
/// bipartite `K(t, t)` between its shores, shore 0 couples vertically (`i ± 1`), shore 1
/// horizontally (`j ± 1`).
///
/// ```
/// let (n, edges) = neuroquant::dwave::chimera_graph(2, 2, 4);
/// assert_eq!(n, 32);
/// assert_eq!(edges.len(), 4 * 16 + 2 * 2 * 4 + 2 * 2 * 4); // cells, vertical, horizontal
/// ```
pub fn chimera_graph(m: u32, n: u32, t: u32) -> (usize, Vec<(u32, u32)>) {
    let q = |i: u32, j: u32, u: u32, k: u32| ((i * n + j) * 2 + u) * t + k;
    let mut edges = Vec::new();
    for i in 0..m {
        for j in 0..n {
            for k in 0..t {
                for l in 0..t {
                    edges.push((q(i, j, 0, k), q(i, j, 1, l)));
                }
                if i + 1 < m {
                    edges.push((q(i, j, 0, k), q(i + 1, j, 0, k)));
                }
                if j + 1 < n {
                    edges.push((q(i, j, 1, k), q(i, j + 1, 1, k)));
                }
            }
        }
    }
    for e in &mut edges {
        *e = (e.0.min(e.1), e.0.max(e.1));
    }
    edges.sort_unstable();
    ((m * n * 2 * t) as usize, edges)
}
