//! Minor embedding of a model onto a QPU graph, as dwave-system's `dwave.embedding`: validated
//! chains ([`Embedding::structure`]), the default chain strength
//! ([`uniform_torque_compensation`]), embedding of the model with biases smeared in SPIN space
//! ([`EmbeddedStructure::embed_bqm`]) and majority-vote unembedding with the chain-break
//! fraction ([`EmbeddedStructure::unembed`]).

use super::error::DWaveError;
use crate::Result;
use crate::qubo::{Bqm, Vartype};
use std::collections::HashMap;

/// A target graph (a QPU's working graph): nodes are qubit labels `0..num_nodes`, of which
/// those listed are present.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGraph {
    present: Vec<bool>,
    adjacency: Vec<Vec<u32>>,
    edges: Vec<(u32, u32)>,
}

impl TargetGraph {
    /// The graph of `nodes` and `edges` over labels `0..num_nodes` (edges between absent nodes
    /// or out of range are errors; repeated edges count once).
    pub fn new(num_nodes: usize, nodes: &[u32], edges: &[(u32, u32)]) -> Result<Self> {
        crate::error::check::at_most("num_nodes", num_nodes as u64, 1 << 24)?;
        let mut present = vec![false; num_nodes];
        for &q in nodes {
            crate::error::check::index("nodes", q as i64, num_nodes)?;
            present[q as usize] = true;
        }
        let mut adjacency = vec![Vec::new(); num_nodes];
        let mut seen = std::collections::HashSet::with_capacity(edges.len());
        let mut list = Vec::with_capacity(edges.len());
        for &(a, b) in edges {
            for q in [a, b] {
                crate::error::check::index("edges", q as i64, num_nodes)?;
                if !present[q as usize] {
                    return Err(DWaveError::Embedding(format!(
                        "edge ({a}, {b}) uses node {q}, which is not in the graph"
                    ))
                    .into());
                }
            }
            if a == b {
                continue;
            }
            if seen.insert((a.min(b), a.max(b))) {
                adjacency[a as usize].push(b);
                adjacency[b as usize].push(a);
                list.push((a.min(b), a.max(b)));
            }
        }
        for n in &mut adjacency {
            n.sort_unstable();
        }
        Ok(TargetGraph {
            present,
            adjacency,
            edges: list,
        })
    }

    /// The working graph of a QPU solver.
    pub fn of_solver(solver: &super::SolverInfo) -> Result<Self> {
        TargetGraph::new(solver.num_qubits(), solver.qubits(), solver.couplers())
    }

    /// Labels run over `0..num_nodes()`.
    pub fn num_nodes(&self) -> usize {
        self.present.len()
    }

    /// Whether node `q` is present.
    pub fn has_node(&self, q: u32) -> bool {
        self.present.get(q as usize).copied().unwrap_or(false)
    }

    /// The neighbours of `q`, sorted.
    pub fn neighbors(&self, q: u32) -> &[u32] {
        &self.adjacency[q as usize]
    }

    /// The edges `(u, v)` with `u < v`, in first-seen order.
    pub fn edges(&self) -> &[(u32, u32)] {
        &self.edges
    }

    /// The present nodes.
    pub fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.present.len() as u32).filter(|&q| self.present[q as usize])
    }
}

/// A chain of qubits per model variable (`chains[v]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embedding {
    chains: Vec<Vec<u32>>,
}

impl Embedding {
    /// An embedding from chains (`chains[v]` represents variable `v`).
    pub fn new(chains: Vec<Vec<u32>>) -> Self {
        Embedding { chains }
    }

    /// The chains.
    pub fn chains(&self) -> &[Vec<u32>] {
        &self.chains
    }

    /// The longest chain's length.
    pub fn max_chain_length(&self) -> usize {
        self.chains.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Validates the embedding of `bqm` into `target` — one chain per variable, each non-empty,
    /// of present qubits, connected, chains disjoint, every interaction covered by at least one
    /// target edge between the two chains — and returns the structure used to embed.
    pub fn structure(&self, bqm: &Bqm, target: &TargetGraph) -> Result<EmbeddedStructure> {
        let bad = |m: String| -> crate::Error { DWaveError::Embedding(m).into() };
        let n = bqm.num_variables();
        if self.chains.len() != n {
            return Err(bad(format!(
                "{} chains for a model of {n} variables",
                self.chains.len()
            )));
        }
        let mut owner: HashMap<u32, (usize, usize)> = HashMap::new();
        for (v, chain) in self.chains.iter().enumerate() {
            if chain.is_empty() {
                return Err(bad(format!("variable {v} has an empty chain")));
            }
            for (i, &q) in chain.iter().enumerate() {
                if !target.has_node(q) {
                    return Err(bad(format!("variable {v}: qubit {q} is not in the target graph")));
                }
                if let Some((u, _)) = owner.insert(q, (v, i)) {
                    return Err(bad(if u == v {
                        format!("variable {v}: qubit {q} appears twice in its chain")
                    } else {
                        format!("chains of variables {u} and {v} share qubit {q}")
                    }));
                }
            }
        }
        let mut chain_edges = vec![Vec::new(); n];
        let mut interaction: HashMap<(u32, u32), Vec<(u32, u32)>> = HashMap::new();
        for &(p, q) in target.edges() {
            if let (Some(&(u, _)), Some(&(v, _))) = (owner.get(&p), owner.get(&q)) {
                if u == v {
                    chain_edges[u].push((p, q));
                } else {
                    let (a, b, pa, qb) = if u < v { (u, v, p, q) } else { (v, u, q, p) };
                    interaction
                        .entry((a as u32, b as u32))
                        .or_default()
                        .push((pa, qb));
                }
            }
        }
        // Connectivity of each chain through its own edges (union-find).
        for (v, chain) in self.chains.iter().enumerate() {
            let index: HashMap<u32, usize> = chain.iter().enumerate().map(|(i, &q)| (q, i)).collect();
            let mut parent: Vec<usize> = (0..chain.len()).collect();
            fn find(p: &mut [usize], x: usize) -> usize {
                let mut r = x;
                while p[r] != r {
                    r = p[r];
                }
                let mut y = x;
                while p[y] != r {
                    let next = p[y];
                    p[y] = r;
                    y = next;
                }
                r
            }
            for &(p, q) in &chain_edges[v] {
                let (a, b) = (find(&mut parent, index[&p]), find(&mut parent, index[&q]));
                parent[a] = b;
            }
            let root = find(&mut parent, 0);
            if (0..chain.len()).any(|i| find(&mut parent, i) != root) {
                return Err(bad(format!(
                    "the chain of variable {v} is not connected in the target graph"
                )));
            }
        }
        for (u, v, _) in bqm.iter_quadratic() {
            if !interaction.contains_key(&(u.min(v), u.max(v))) {
                return Err(bad(format!(
                    "interaction ({u}, {v}) has no target edge between its chains"
                )));
            }
        }
        Ok(EmbeddedStructure {
            chains: self.chains.clone(),
            chain_edges,
            interaction_edges: interaction,
            num_target: target.num_nodes(),
        })
    }
}

/// A validated embedding with the target edges inside each chain and between chains.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedStructure {
    chains: Vec<Vec<u32>>,
    chain_edges: Vec<Vec<(u32, u32)>>,
    interaction_edges: HashMap<(u32, u32), Vec<(u32, u32)>>,
    num_target: usize,
}

/// dwave-system's default chain strength: `prefactor × RMS(J) × sqrt(mean degree)`, 1 for a
/// model without interactions (`dwave.embedding.chain_strength.uniform_torque_compensation`;
/// its default `prefactor` is 1.414).
pub fn uniform_torque_compensation(bqm: &Bqm, prefactor: f64) -> f64 {
    let m = bqm.num_interactions();
    if m == 0 {
        return 1.0;
    }
    let sum_sq: f64 = bqm.iter_quadratic().map(|(_, _, b)| b * b).sum();
    let rms = (sum_sq / m as f64).sqrt();
    let n = bqm.num_variables() as f64;
    let avg_degree = 2.0 * m as f64 / n;
    prefactor * rms * avg_degree.sqrt()
}

/// dwave-system's default `prefactor` of [`uniform_torque_compensation`].
pub const UTC_PREFACTOR: f64 = 1.414;

impl EmbeddedStructure {
    /// The chains.
    pub fn chains(&self) -> &[Vec<u32>] {
        &self.chains
    }

    /// Every qubit of every chain, as an activity mask over the target's labels.
    pub fn active_qubits(&self) -> Vec<bool> {
        let mut a = vec![false; self.num_target];
        for c in &self.chains {
            for &q in c {
                a[q as usize] = true;
            }
        }
        a
    }

    /// The model on the target graph (labels `0..num_target`), as dwave-system's
    /// `embed_bqm(bqm, chain_strength, smear_vartype=SPIN)`: in SPIN space, each variable's `h`
    /// is split evenly over its chain, each `J` evenly over the target edges between the two
    /// chains, and each edge inside a chain gets `-chain_strength` (with `+chain_strength` added
    /// to the offset, so intact chains keep the model's energies); then the model is converted
    /// back to `bqm`'s vartype. `chain_strength` of `None` is [`uniform_torque_compensation`]
    /// of the SPIN model. Returns the model and the chain strength used.
    pub fn embed_bqm(&self, bqm: &Bqm, chain_strength: Option<f64>) -> Result<(Bqm, f64)> {
        let mut spin = bqm.clone();
        spin.change_vartype(Vartype::Spin)?;
        let strength = match chain_strength {
            Some(s) => crate::error::check::finite("chain_strength", s)?,
            None => uniform_torque_compensation(&spin, UTC_PREFACTOR),
        };
        let mut target = Bqm::with_variables(Vartype::Spin, self.num_target)?;
        let mut offset = spin.offset();
        for (v, chain) in self.chains.iter().enumerate() {
            let h = spin.linear()[v] / chain.len() as f64;
            for &q in chain {
                target.add_linear(q, h)?;
            }
            if chain.len() > 1 {
                for &(p, q) in &self.chain_edges[v] {
                    target.add_quadratic(p, q, -strength)?;
                }
                offset += strength * self.chain_edges[v].len() as f64;
            }
        }
        for (u, v, b) in spin.iter_quadratic() {
            let edges = &self.interaction_edges[&(u.min(v), u.max(v))];
            let share = b / edges.len() as f64;
            for &(p, q) in edges {
                target.add_quadratic(p, q, share)?;
            }
        }
        target.set_offset(offset)?;
        target.change_vartype(bqm.vartype())?;
        Ok((target, strength))
    }

    /// Majority-vote unembedding (dwave's `majority_vote`): `rows` are samples over the target
    /// (`num_target` values each, in `vartype`); a variable takes its chain's majority value,
    /// ties going to +1 (SPIN, `sum >= 0`) or 1 (BINARY, `sum >= len/2`). Returns the rows over
    /// the model's variables and each row's fraction of broken chains.
    pub fn unembed(&self, rows: &[i8], vartype: Vartype) -> (Vec<i8>, Vec<f64>) {
        let width = self.num_target;
        let count = rows.len().checked_div(width).unwrap_or(0);
        let n = self.chains.len();
        let mut out = Vec::with_capacity(count * n);
        let mut fraction = Vec::with_capacity(count);
        for r in 0..count {
            let row = &rows[r * width..(r + 1) * width];
            let mut broken = 0usize;
            for chain in &self.chains {
                let first = row[chain[0] as usize];
                if chain.iter().any(|&q| row[q as usize] != first) {
                    broken += 1;
                }
                let sum: i64 = chain.iter().map(|&q| row[q as usize] as i64).sum();
                out.push(match vartype {
                    Vartype::Spin => {
                        if sum >= 0 {
                            1
                        } else {
                            -1
                        }
                    }
                    Vartype::Binary => i8::from(2 * sum >= chain.len() as i64),
                });
            }
            fraction.push(if n == 0 { 0.0 } else { broken as f64 / n as f64 });
        }
        (out, fraction)
    }
}
