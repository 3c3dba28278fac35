//! The binary quadratic model: storage, construction and bias access.

use super::{QuboError, Vartype};
use crate::Result;
use crate::error::{ArgumentError, Error, check};

/// Largest number of variables a model may hold (indices are stored as `u32`; the limit matches
/// dimod's `int32` index type so every model can be exchanged with it).
pub const MAX_VARIABLES: usize = i32::MAX as usize;

/// The neighbourhood of one variable: neighbours sorted ascending, with the bias of each pair.
/// Parallel arrays keep a stored coupler direction at 12 bytes (u32 + f64).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Neighborhood {
    pub(crate) nbrs: Vec<u32>,
    pub(crate) biases: Vec<f64>,
}

impl Neighborhood {
    /// Bias towards `v`, if the pair is present.
    #[inline]
    pub(crate) fn get(&self, v: u32) -> Option<f64> {
        self.nbrs.binary_search(&v).ok().map(|i| self.biases[i])
    }

    /// Index of the first neighbour greater than `u` (the upper-triangle part starts there).
    #[inline]
    pub(crate) fn upper_start(&self, u: u32) -> usize {
        self.nbrs.partition_point(|&v| v <= u)
    }
}

/// A binary quadratic model, dimod's data model:
/// `E(x) = offset + Σ_v a_v x_v + Σ_{u<v} b_uv x_u x_v` over SPIN or BINARY variables `0..n`.
///
/// Each unordered pair holds one bias (adding a pair twice sums the biases, in either order);
/// it is stored in both endpoints' neighbourhoods so every variable sees its couplers in one
/// contiguous run. Every mutation validates its arguments first and leaves the model unchanged
/// on error.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// bqm.add_linear(0, 1.0)?;
/// bqm.add_quadratic(0, 1, -2.0)?;
/// bqm.add_quadratic(1, 0, 0.5)?; // the same pair: biases are summed
/// assert_eq!(bqm.quadratic(0, 1)?, Some(-1.5));
/// assert_eq!(bqm.energy(&[1i8, 1])?, 1.0 - 1.5);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bqm {
    pub(crate) vartype: Vartype,
    pub(crate) linear: Vec<f64>,
    pub(crate) adj: Vec<Neighborhood>,
    pub(crate) offset: f64,
    pub(crate) num_interactions: usize,
}

impl Bqm {
    /// An empty model (no variables, zero offset).
    pub fn new(vartype: Vartype) -> Self {
        Bqm {
            vartype,
            linear: Vec::new(),
            adj: Vec::new(),
            offset: 0.0,
            num_interactions: 0,
        }
    }

    /// A model with `num_variables` variables and all biases zero.
    pub fn with_variables(vartype: Vartype, num_variables: usize) -> Result<Self> {
        let mut bqm = Bqm::new(vartype);
        bqm.add_variables(num_variables)?;
        Ok(bqm)
    }

    /// Appends `count` variables with zero bias; returns the index of the first one.
    pub fn add_variables(&mut self, count: usize) -> Result<u32> {
        let first = self.linear.len();
        let total = first.saturating_add(count);
        check::at_most("num_variables", total as u64, MAX_VARIABLES as u64)?;
        let oom = |what| Error::OutOfMemory {
            what,
            bytes: count.saturating_mul(std::mem::size_of::<Neighborhood>() + 8),
        };
        self.linear
            .try_reserve_exact(count)
            .map_err(|_| oom("linear biases"))?;
        self.adj
            .try_reserve_exact(count)
            .map_err(|_| oom("neighbourhoods"))?;
        self.linear.resize(total, 0.0);
        self.adj.resize_with(total, Neighborhood::default);
        Ok(first as u32)
    }

    /// Keeps variables `0..num_variables` and drops the others with every interaction they take
    /// part in (the inverse of [`add_variables`](Self::add_variables); dimod's `remove_variable()`
    /// repeated). Nothing happens when `num_variables` is not below the current count. Bindings
    /// use it to undo the variables they appended before a call that failed.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// bqm.add_quadratic(0, 1, 1.0)?;
    /// bqm.add_quadratic(1, 2, 2.0)?;
    /// bqm.truncate(2);
    /// assert_eq!((bqm.num_variables(), bqm.num_interactions()), (2, 1));
    /// assert_eq!(bqm.neighborhood(1)?.0, &[0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn truncate(&mut self, num_variables: usize) {
        if num_variables >= self.linear.len() {
            return;
        }
        self.linear.truncate(num_variables);
        self.adj.truncate(num_variables);
        let bound = num_variables as u32;
        let mut directions = 0;
        for nb in &mut self.adj {
            let keep = nb.nbrs.partition_point(|&v| v < bound);
            nb.nbrs.truncate(keep);
            nb.biases.truncate(keep);
            directions += keep;
        }
        self.num_interactions = directions / 2;
    }

    /// The variable type.
    pub fn vartype(&self) -> Vartype {
        self.vartype
    }

    /// Number of variables.
    pub fn num_variables(&self) -> usize {
        self.linear.len()
    }

    /// Number of stored interactions (unordered pairs).
    pub fn num_interactions(&self) -> usize {
        self.num_interactions
    }

    /// The constant term.
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// Sets the constant term.
    pub fn set_offset(&mut self, offset: f64) -> Result<()> {
        self.offset = check::finite("offset", offset)?;
        Ok(())
    }

    /// Adds to the constant term.
    pub fn add_offset(&mut self, offset: f64) -> Result<()> {
        let new = self.offset + check::finite("offset", offset)?;
        self.offset = finite_result(new, "adding to the offset", || "the offset".into())?;
        Ok(())
    }

    /// All linear biases, indexed by variable.
    pub fn linear(&self) -> &[f64] {
        &self.linear
    }

    fn var(&self, argument: &'static str, v: u32) -> Result<usize> {
        Ok(check::index(argument, v.into(), self.linear.len())?)
    }

    /// Linear bias of `v`.
    pub fn get_linear(&self, v: u32) -> Result<f64> {
        Ok(self.linear[self.var("v", v)?])
    }

    /// Adds `bias` to the linear bias of `v`.
    pub fn add_linear(&mut self, v: u32, bias: f64) -> Result<()> {
        let i = self.var("v", v)?;
        let new = self.linear[i] + check::finite("bias", bias)?;
        self.linear[i] = finite_result(new, "adding a linear bias", || format!("variable {v}"))?;
        Ok(())
    }

    /// Sets the linear bias of `v`.
    pub fn set_linear(&mut self, v: u32, bias: f64) -> Result<()> {
        let i = self.var("v", v)?;
        self.linear[i] = check::finite("bias", bias)?;
        Ok(())
    }

    /// Adds `biases[v]` to the linear bias of every variable `v`, all or nothing.
    pub fn add_linear_from(&mut self, biases: &[f64]) -> Result<()> {
        check::len("biases", self.linear.len(), biases.len())?;
        self.extend_linear(biases)
    }

    /// Adds `biases[k]` to the linear bias of `vars[k]` for every `k`, in order (repeats add up as
    /// repeated [`add_linear`](Self::add_linear) calls would), all or nothing.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
    /// bqm.add_linear_at(&[2, 0, 2], &[1.0, -0.5, 0.25])?;
    /// assert_eq!(bqm.linear(), &[-0.5, 0.0, 1.25]);
    /// assert!(bqm.add_linear_at(&[1, 3], &[1.0, 1.0]).is_err()); // 3 is out of range
    /// assert_eq!(bqm.linear(), &[-0.5, 0.0, 1.25]); // unchanged
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_linear_at(&mut self, vars: &[u32], biases: &[f64]) -> Result<()> {
        check::len("biases", vars.len(), biases.len())?;
        check::all_finite("biases", biases)?;
        let mut staged: std::collections::HashMap<u32, f64> = std::collections::HashMap::new();
        for (&v, &bias) in vars.iter().zip(biases) {
            let i = self.var("vars", v)?;
            let current = staged.get(&v).copied().unwrap_or(self.linear[i]);
            let new = finite_result(current + bias, "adding a linear bias", || format!("variable {v}"))?;
            staged.insert(v, new);
        }
        for (v, value) in staged {
            self.linear[v as usize] = value;
        }
        Ok(())
    }

    /// Adds `biases[v]` to the linear bias of every variable `v < biases.len()`, appending
    /// variables when `biases` is longer than the model (dimod's `add_linear_from_array`), all or
    /// nothing.
    pub fn extend_linear(&mut self, biases: &[f64]) -> Result<()> {
        check::all_finite("biases", biases)?;
        let n = self.linear.len();
        if let Some(v) = (0..n.min(biases.len())).find(|&v| !(self.linear[v] + biases[v]).is_finite()) {
            return Err(overflow("adding linear biases", format!("variable {v}")));
        }
        if biases.len() > n {
            self.add_variables(biases.len() - n)?;
        }
        for (a, b) in self.linear.iter_mut().zip(biases) {
            *a += b;
        }
        Ok(())
    }

    /// Bias of the pair `(u, v)`, `None` if the pair is not stored.
    pub fn quadratic(&self, u: u32, v: u32) -> Result<Option<f64>> {
        let ui = self.var("u", u)?;
        self.var("v", v)?;
        Ok(self.adj[ui].get(v))
    }

    /// Adds `bias` to the pair `(u, v)`, creating it if needed.
    ///
    /// A self-loop `u == v` is folded as dimod does: `x_u² = x_u` for BINARY, so the bias goes to
    /// the linear term; `s_u² = 1` for SPIN, so it goes to the offset.
    pub fn add_quadratic(&mut self, u: u32, v: u32, bias: f64) -> Result<()> {
        self.var("u", u)?;
        self.var("v", v)?;
        check::finite("bias", bias)?;
        if u == v {
            return match self.vartype {
                Vartype::Binary => self.add_linear(u, bias),
                Vartype::Spin => self.add_offset(bias),
            };
        }
        let current = self.adj[u as usize].get(v).unwrap_or(0.0);
        let new = finite_result(current + bias, "adding a quadratic bias", || {
            format!("pair ({u}, {v})")
        })?;
        self.store_pair(u, v, new)
    }

    /// Sets the bias of the pair `(u, v)` (`u != v`), creating it if needed.
    pub fn set_quadratic(&mut self, u: u32, v: u32, bias: f64) -> Result<()> {
        self.var("u", u)?;
        self.var("v", v)?;
        check::finite("bias", bias)?;
        if u == v {
            return Err(ArgumentError::Invalid {
                argument: "v",
                reason: format!("a pair needs two distinct variables, got ({u}, {v})"),
            }
            .into());
        }
        self.store_pair(u, v, bias)
    }

    /// Inserts or overwrites the pair in both neighbourhoods. Indices already checked, `u != v`.
    fn store_pair(&mut self, u: u32, v: u32, bias: f64) -> Result<()> {
        let (ui, vi) = (u as usize, v as usize);
        match self.adj[ui].nbrs.binary_search(&v) {
            Ok(i) => {
                self.adj[ui].biases[i] = bias;
                let j = self.adj[vi]
                    .nbrs
                    .binary_search(&u)
                    .expect("pairs are stored symmetrically");
                self.adj[vi].biases[j] = bias;
            }
            Err(i) => {
                // Reserve everything first so an allocation failure leaves the model unchanged.
                for w in [ui, vi] {
                    let nb = &mut self.adj[w];
                    let failed = nb.nbrs.try_reserve(1).is_err() || nb.biases.try_reserve(1).is_err();
                    if failed {
                        return Err(Error::OutOfMemory {
                            what: "a neighbourhood",
                            bytes: (nb.nbrs.len() + 1) * 12,
                        });
                    }
                }
                let j = self.adj[vi]
                    .nbrs
                    .binary_search(&u)
                    .expect_err("pairs are stored symmetrically");
                self.adj[ui].nbrs.insert(i, v);
                self.adj[ui].biases.insert(i, bias);
                self.adj[vi].nbrs.insert(j, u);
                self.adj[vi].biases.insert(j, bias);
                self.num_interactions += 1;
            }
        }
        Ok(())
    }

    /// Removes the pair `(u, v)`; returns whether it was stored.
    pub fn remove_interaction(&mut self, u: u32, v: u32) -> Result<bool> {
        self.var("u", u)?;
        self.var("v", v)?;
        let Ok(i) = self.adj[u as usize].nbrs.binary_search(&v) else {
            return Ok(false);
        };
        let j = self.adj[v as usize]
            .nbrs
            .binary_search(&u)
            .expect("pairs are stored symmetrically");
        self.adj[u as usize].nbrs.remove(i);
        self.adj[u as usize].biases.remove(i);
        self.adj[v as usize].nbrs.remove(j);
        self.adj[v as usize].biases.remove(j);
        self.num_interactions -= 1;
        Ok(true)
    }

    /// The stored pairs as `(u, v, bias)` with `u < v`, ordered by `u` then `v`.
    pub fn iter_quadratic(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        self.adj.iter().enumerate().flat_map(|(u, nb)| {
            let start = nb.upper_start(u as u32);
            nb.nbrs[start..]
                .iter()
                .zip(&nb.biases[start..])
                .map(move |(&v, &b)| (u as u32, v, b))
        })
    }

    /// Neighbours of `v` (ascending) and the bias of each pair.
    pub fn neighborhood(&self, v: u32) -> Result<(&[u32], &[f64])> {
        let nb = &self.adj[self.var("v", v)?];
        Ok((&nb.nbrs, &nb.biases))
    }

    /// Number of interactions of `v`.
    pub fn degree(&self, v: u32) -> Result<usize> {
        Ok(self.adj[self.var("v", v)?].nbrs.len())
    }
}

pub(crate) fn overflow(operation: &'static str, location: String) -> Error {
    QuboError::Overflow { operation, location }.into()
}

#[inline]
pub(crate) fn finite_result(
    value: f64,
    operation: &'static str,
    location: impl FnOnce() -> String,
) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(overflow(operation, location()))
    }
}
