//! QPU graph shapes: Chimera (D-Wave 2000Q) and Pegasus (Advantage), used by tests, examples and
//! the SAPI test server.

/// The Chimera graph `C(m, n, t)` with dwave-networkx's linear labels: qubit `(i, j, u, k)`
/// (row, column, shore, index) is `((i * n + j) * 2 + u) * t + k`. Returns the number of
/// qubits and the couplers `(a, b)` with `a < b`, sorted: each unit cell is a complete
/// bipartite `K(t, t)` between its shores, shore 0 couples vertically (`i ± 1`), shore 1
/// horizontally (`j ± 1`).
///
/// ```
/// let (n, edges) = neuroquant::dwave::chimera_graph(2, 2, 4);
/// assert_eq!(n, 32);
/// // dwave-networkx's chimera_graph(2, 2, 4): 80 couplers.
/// assert_eq!(edges.len(), 4 * 16 + 2 * 4 + 2 * 4); // cells, vertical, horizontal
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

/// Vertical and horizontal qubit offsets of Pegasus (dwave-networkx's `offsets_index=0`, the
/// Advantage family's).
const PEGASUS_OFFSETS: [[u32; 12]; 2] = [
    [2, 2, 2, 2, 10, 10, 10, 10, 6, 6, 6, 6],
    [6, 6, 6, 6, 2, 2, 2, 2, 10, 10, 10, 10],
];

/// The Pegasus graph `P(m)` (`m >= 2`) as dwave-networkx's `pegasus_graph(m)` builds it by
/// default (offsets index 0, fabric only), with its linear labels: qubit `(u, w, k, z)`
/// (orientation, perpendicular offset, index in the tile, parallel offset) is
/// `((u * m + w) * 12 + k) * (m - 1) + z`. Returns the label space `24 m (m - 1)` and the couplers
/// `(a, b)` with `a < b`, sorted: external couplers join `z` and `z + 1`, odd couplers the pairs
/// `k`, `k + 1` (k even), and internal couplers cross orientations where the shifted qubit lines
/// intersect. Qubits of the label space on no coupler (outside the fabric) are not working.
///
/// ```
/// let (n, edges) = neuroquant::dwave::pegasus_graph(2);
/// assert_eq!(n, 48);
/// // dwave-networkx's pegasus_graph(2): 164 couplers on 40 qubits.
/// assert_eq!(edges.len(), 164);
/// let mut qubits: Vec<u32> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
/// qubits.sort_unstable();
/// qubits.dedup();
/// assert_eq!(qubits.len(), 40);
/// ```
pub fn pegasus_graph(m: u32) -> (usize, Vec<(u32, u32)>) {
    assert!(m >= 2, "pegasus_graph needs m >= 2");
    let m1 = m - 1;
    let [off0, off1] = PEGASUS_OFFSETS;
    let min = |o: &[u32; 12]| *o.iter().min().expect("12 offsets");
    let max = |o: &[u32; 12]| *o.iter().max().expect("12 offsets");
    // Per orientation u: the first index of the first row and how many the last row leaves out.
    let start = [min(&off1), min(&off0)];
    let end = [12 - max(&off1), 12 - max(&off0)];
    let label = |u: u32, w: u32, k: u32, z: u32| ((u * m + w) * 12 + k) * m1 + z;
    let in_fabric = |u: u32, w: u32, k: u32| {
        if w == 0 {
            k >= start[u as usize]
        } else if w == m1 {
            k < 12 - end[u as usize]
        } else {
            true
        }
    };
    let mut edges = Vec::new();
    for u in 0..2u32 {
        for w in 0..m {
            let lo = if w == 0 { start[u as usize] } else { 0 };
            let hi = 12 - if w == m1 { end[u as usize] } else { 0 };
            for k in lo..hi {
                for z in 0..m1.saturating_sub(1) {
                    edges.push((label(u, w, k, z), label(u, w, k, z + 1)));
                }
                if (k - lo) % 2 == 0 {
                    for z in 0..m1 {
                        edges.push((label(u, w, k, z), label(u, w, k + 1, z)));
                    }
                }
            }
        }
    }
    for w in 0..m {
        for kk in 0..12u32 {
            let o1 = off1[kk as usize];
            let (lo, hi) = (if w > 0 { 0 } else { o1 }, if w < m1 { 12 } else { o1 });
            for k in lo..hi {
                for z in 0..m1 {
                    let w1 = z + u32::from(kk < off0[k as usize]);
                    let z1 = w - u32::from(k < o1);
                    if in_fabric(0, w, k) && in_fabric(1, w1, kk) {
                        edges.push((label(0, w, k, z), label(1, w1, kk, z1)));
                    }
                }
            }
        }
    }
    for e in &mut edges {
        *e = (e.0.min(e.1), e.0.max(e.1));
    }
    edges.sort_unstable();
    edges.dedup();
    ((24 * m * m1) as usize, edges)
}
