//! Compilation: expansion, binary form, quadratization, and a flat layout from which binding
//! placeholder values yields a [`Bqm`](crate::qubo::Bqm) without expanding anything again.

use super::binary_poly::to_binary;
use super::condition::Condition;
use super::expand::{Terms, expand};
use super::key::{FxMap, Tables, Vars};
use super::node::Expr;
use super::quadratize::quadratize;
use crate::Result;
use crate::error::{ArgumentError, Error, check};
use crate::qubo::Vartype;
use std::sync::Arc;

/// PyQUBO's default strength of the quadratization penalty.
pub const DEFAULT_STRENGTH: f64 = 5.0;

/// An expression compiled to a quadratic model over binary variables whose coefficients are
/// polynomials in the placeholders.
///
/// Variables are numbered `0..num_variables()`: the expression's variables in order of first
/// appearance, then the auxiliary variables of quadratization. Bind placeholder values with
/// [`bind`](Self::bind) / [`bind_named`](Self::bind_named) to get a
/// [`Bqm`](crate::qubo::Bqm) (BINARY; spin variables `s` appear as binary `x` with `s = 2x − 1`,
/// so converting the model to SPIN gives back the spin form); decode samples with
/// [`BoundModel::decode`](super::BoundModel::decode).
///
/// ```
/// use neuroquant::qubo::expr::{Condition, Expr};
/// let (a, b, c) = (Expr::binary("a"), Expr::binary("b"), Expr::binary("c"));
/// let h = &a * &b * &c + Expr::placeholder("P") * Expr::constraint(&a + &b - 1.0, "one", Condition::default());
/// let model = h.compile(5.0)?;
/// assert_eq!(model.labels().collect::<Vec<_>>(), ["a", "b", "c", "a * b"]);
/// let bound = model.bind_named([("P", 2.0)])?;
/// let x = model.sample_from_labels([("a", 1), ("b", 0), ("c", 1)], neuroquant::qubo::Vartype::Binary)?;
/// let d = bound.decode(&x)?;
/// assert_eq!(d.energy, 0.0); // abc = 0, a + b − 1 = 0
/// assert_eq!((d.values[0], d.satisfied[0]), (0.0, Some(true)));
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub(crate) labels: Vec<Arc<str>>,
    pub(crate) index: FxMap<Arc<str>, u32>,
    /// Declared vartype of each variable (auxiliaries are binary).
    pub(crate) vartypes: Vec<Vartype>,
    pub(crate) num_expression_variables: usize,
    /// Auxiliary `k` (variable `num_expression_variables + k`) stands for the product of a pair.
    pub(crate) aux: Vec<[u32; 2]>,
    pub(crate) strength: f64,
    /// The placeholder standing for the strength, if it was given as one.
    pub(crate) strength_placeholder: Option<Arc<str>>,
    pub(crate) placeholders: Vec<Arc<str>>,
    pub(crate) placeholder_index: FxMap<Arc<str>, u32>,
    /// Placeholder monomials: `(placeholder, exponent)` pairs of monomial k at
    /// `mono_ptr[k]..mono_ptr[k+1]`; monomial 0 is the constant 1.
    pub(crate) mono_ptr: Vec<usize>,
    pub(crate) mono_pairs: Vec<(u32, u32)>,
    /// Output positions: 0 the offset, `1 + v` the linear bias of `v`, `1 + n + p` pair `p`.
    /// The coefficient of position `q` is `Σ coef_val[e] · monomial(coef_mono[e])` over
    /// `e ∈ coef_ptr[q]..coef_ptr[q+1]`.
    pub(crate) pairs: Vec<(u32, u32)>,
    pub(crate) coef_ptr: Vec<usize>,
    pub(crate) coef_mono: Vec<u32>,
    pub(crate) coef_val: Vec<f64>,
    /// Neighbourhoods of the quadratic model: sorted neighbours of `v` and the pair index of each.
    pub(crate) adj_ptr: Vec<usize>,
    pub(crate) adj_nbr: Vec<u32>,
    pub(crate) adj_pair: Vec<u32>,
    pub(crate) labelled: Vec<LabelledPoly>,
}

/// A constraint or sub-Hamiltonian: its expression expanded over the expression's variables in
/// their declared vartypes (not quadratized), for evaluation at decode time.
#[derive(Debug, Clone)]
pub(crate) struct LabelledPoly {
    pub(crate) label: Arc<str>,
    pub(crate) condition: Option<Condition>,
    pub(crate) term_ptr: Vec<usize>,
    pub(crate) term_vars: Vec<u32>,
    pub(crate) term_mono: Vec<u32>,
    pub(crate) term_coef: Vec<f64>,
}

/// The strength of the quadratization penalty: a number, or a placeholder given a value when
/// the model is bound (PyQUBO's `compile(strength=Placeholder("s"))`).
#[derive(Debug, Clone, PartialEq)]
pub enum Strength {
    /// A fixed strength (finite, > 0).
    Value(f64),
    /// A placeholder: the penalty's coefficients are this placeholder's value times 1, −2, −2, 3.
    Placeholder(Arc<str>),
}

impl Expr {
    /// Compiles like [`compile`](Self::compile), with the quadratization strength given as a
    /// number or as a placeholder (bound with the other placeholders).
    ///
    /// ```
    /// use neuroquant::qubo::expr::{Expr, Strength};
    /// let (a, b, c) = (Expr::binary("a"), Expr::binary("b"), Expr::binary("c"));
    /// let model = (&a * &b * &c).compile_with(Strength::Placeholder("s".into()))?;
    /// assert_eq!(model.placeholders().collect::<Vec<_>>(), ["s"]);
    /// let fixed = (&a * &b * &c).compile(7.0)?.bind_named([])?.into_bqm();
    /// let bound = model.bind_named([("s", 7.0)])?.into_bqm();
    /// assert_eq!(fixed.linear(), bound.linear());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn compile_with(&self, strength: Strength) -> Result<CompiledModel> {
        match strength {
            Strength::Value(v) => self.compile(v),
            Strength::Placeholder(name) => self.compile_inner(f64::NAN, Some(name)),
        }
    }

    /// Compiles the expression: expands it, writes spin variables in binary form, replaces
    /// higher-order terms by quadratic ones with auxiliary variables and a penalty of the given
    /// `strength` (finite, > 0; PyQUBO's default is [`DEFAULT_STRENGTH`]), and lays the result out
    /// for fast binding.
    pub fn compile(&self, strength: f64) -> Result<CompiledModel> {
        check::finite("strength", strength)?;
        if strength <= 0.0 {
            return Err(ArgumentError::Invalid {
                argument: "strength",
                reason: format!("{strength} is not positive, must be > 0"),
            }
            .into());
        }
        self.compile_inner(strength, None)
    }

    /// `strength_placeholder`: when given, the penalty's coefficient is that placeholder
    /// (registered after the expression's own) and `strength` is NaN.
    fn compile_inner(&self, strength: f64, strength_placeholder: Option<Arc<str>>) -> Result<CompiledModel> {
        let ex = expand(self)?;
        let mut reg = ex.registry;
        let mut tables = ex.tables;
        if let Some(c) = ex.terms.iter().find(|(_, c)| !c.is_finite()) {
            return Err(overflow_in("expanding the expression", c.1));
        }
        let mut terms = to_binary(ex.terms, &mut tables)?;
        let num_expression_variables = reg.labels.len();
        let penalty = match &strength_placeholder {
            None => (strength, 0),
            Some(name) => {
                let next = reg.placeholders.len() as u32;
                let id = *reg.placeholder_index.entry(name.clone()).or_insert(next);
                if id == next {
                    reg.placeholders.push(name.clone());
                }
                (1.0, tables.placeholder(id))
            }
        };
        let aux = quadratize(&mut terms, &tables, &mut reg.labels, &mut reg.index, penalty)?;
        let mut vartypes = reg.vartypes;
        vartypes.resize(reg.labels.len(), Vartype::Binary);

        let n = reg.labels.len();
        let layout = Layout::new(terms, n)?;
        let labelled = ex
            .labelled
            .into_iter()
            .map(|l| LabelledPoly::new(l.label, l.condition, &l.terms, &tables))
            .collect::<Result<Vec<_>>>()?;

        let mut mono_ptr = Vec::with_capacity(tables.monos.list.len() + 1);
        let mut mono_pairs = Vec::new();
        mono_ptr.push(0);
        for m in &tables.monos.list {
            mono_pairs.extend(m.chunks_exact(2).map(|p| (p[0], p[1])));
            mono_ptr.push(mono_pairs.len());
        }
        Ok(CompiledModel {
            labels: reg.labels,
            index: reg.index,
            vartypes,
            num_expression_variables,
            aux,
            strength,
            strength_placeholder,
            placeholders: reg.placeholders,
            placeholder_index: reg.placeholder_index,
            mono_ptr,
            mono_pairs,
            pairs: layout.pairs,
            coef_ptr: layout.coef_ptr,
            coef_mono: layout.coef_mono,
            coef_val: layout.coef_val,
            adj_ptr: layout.adj_ptr,
            adj_nbr: layout.adj_nbr,
            adj_pair: layout.adj_pair,
            labelled,
        })
    }
}

fn overflow_in(operation: &'static str, value: f64) -> Error {
    crate::qubo::QuboError::Overflow {
        operation,
        location: format!("a coefficient ({value})"),
    }
    .into()
}

struct Layout {
    pairs: Vec<(u32, u32)>,
    coef_ptr: Vec<usize>,
    coef_mono: Vec<u32>,
    coef_val: Vec<f64>,
    adj_ptr: Vec<usize>,
    adj_nbr: Vec<u32>,
    adj_pair: Vec<u32>,
}

impl Layout {
    /// `terms`: quadratic (at most two variables per key), in any order, keys may repeat.
    fn new(terms: Terms, n: usize) -> Result<Self> {
        // Counting sort into buckets: the offset, one per linear term, one per row u of the
        // pairs (u, ·); then each bucket is sorted by (column, monomial), which is cheap (a
        // linear bucket usually holds one entry, a row a few dozen). Equal keys are summed in a
        // fixed order, exact zeros dropped.
        let bucket_of = |v: Vars| -> usize {
            match v {
                Vars::Zero => 0,
                Vars::One(v) => 1 + v as usize,
                Vars::Two(u, _) => 1 + n + u as usize,
                Vars::Many(_) => unreachable!("quadratized"),
            }
        };
        let buckets = 1 + 2 * n;
        let mut start = vec![0usize; buckets + 1];
        for (k, _) in &terms {
            start[bucket_of(k.vars) + 1] += 1;
        }
        for b in 0..buckets {
            start[b + 1] += start[b];
        }
        let mut fill = start.clone();
        let mut sorted = vec![(0u32, 0u32, 0f64); terms.len()];
        for (k, c) in terms {
            let b = bucket_of(k.vars);
            let col = if let Vars::Two(_, v) = k.vars { v } else { 0 };
            sorted[fill[b]] = (col, k.mono, c);
            fill[b] += 1;
        }
        drop(fill);
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut coef_ptr = vec![0usize; n + 2];
        let mut coef_mono = Vec::with_capacity(sorted.len());
        let mut coef_val = Vec::with_capacity(sorted.len());
        for b in 0..buckets {
            let bucket = &mut sorted[start[b]..start[b + 1]];
            if bucket.len() > 1 {
                bucket.sort_unstable_by_key(|e| (e.0, e.1));
            }
            let mut i = 0;
            while i < bucket.len() {
                let (col, m) = (bucket[i].0, bucket[i].1);
                let mut c = 0.0;
                while i < bucket.len() && bucket[i].0 == col && bucket[i].1 == m {
                    c += bucket[i].2;
                    i += 1;
                }
                if c == 0.0 {
                    continue;
                }
                if !c.is_finite() {
                    return Err(overflow_in("quadratizing the expression", c));
                }
                let pos = if b <= n {
                    b // 0: offset, 1 + v: linear
                } else {
                    let pair = ((b - 1 - n) as u32, col);
                    if pairs.last() != Some(&pair) {
                        pairs.push(pair);
                        coef_ptr.push(0);
                    }
                    n + pairs.len()
                };
                coef_ptr[pos + 1] += 1;
                coef_mono.push(m);
                coef_val.push(c);
            }
        }
        for q in 0..coef_ptr.len() - 1 {
            coef_ptr[q + 1] += coef_ptr[q];
        }

        // Neighbourhoods: filling in sorted pair order leaves every list sorted.
        let mut adj_ptr = vec![0usize; n + 1];
        for &(u, v) in &pairs {
            adj_ptr[u as usize + 1] += 1;
            adj_ptr[v as usize + 1] += 1;
        }
        for v in 0..n {
            adj_ptr[v + 1] += adj_ptr[v];
        }
        let mut fill = adj_ptr.clone();
        let mut adj_nbr = vec![0u32; 2 * pairs.len()];
        let mut adj_pair = vec![0u32; 2 * pairs.len()];
        for (p, &(u, v)) in pairs.iter().enumerate() {
            for (a, b) in [(u, v), (v, u)] {
                let slot = &mut fill[a as usize];
                adj_nbr[*slot] = b;
                adj_pair[*slot] = p as u32;
                *slot += 1;
            }
        }
        Ok(Layout {
            pairs,
            coef_ptr,
            coef_mono,
            coef_val,
            adj_ptr,
            adj_nbr,
            adj_pair,
        })
    }
}

impl LabelledPoly {
    fn new(label: Arc<str>, condition: Option<Condition>, terms: &Terms, tables: &Tables) -> Result<Self> {
        let mut p = LabelledPoly {
            label,
            condition,
            term_ptr: Vec::with_capacity(terms.len() + 1),
            term_vars: Vec::new(),
            term_mono: Vec::with_capacity(terms.len()),
            term_coef: Vec::with_capacity(terms.len()),
        };
        p.term_ptr.push(0);
        // The expansion's order is reproducible (the hasher has no random state).
        let mut tmp = [0u32; 2];
        for (k, c) in terms {
            if !c.is_finite() {
                return Err(overflow_in("expanding a constraint", *c));
            }
            p.term_vars.extend_from_slice(tables.vars(k.vars, &mut tmp));
            p.term_ptr.push(p.term_vars.len());
            p.term_mono.push(k.mono);
            p.term_coef.push(*c);
        }
        Ok(p)
    }
}
impl CompiledModel {
    /// Number of variables (the expression's, then the auxiliaries).
    pub fn num_variables(&self) -> usize {
        self.labels.len()
    }

    /// Number of variables of the expression itself (they come first).
    pub fn num_expression_variables(&self) -> usize {
        self.num_expression_variables
    }

    /// Labels of all variables, by index (auxiliaries are named `"a * b"`).
    pub fn labels(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.labels.iter().map(|l| &**l)
    }

    /// The order in which PyQUBO 1.5's `decode_sampleset` returns decoded rows: by energy, ties
    /// by the rows' values compared variable by variable in label order (byte order of the
    /// labels), both ascending. `values` holds `energies.len()` rows of
    /// [`num_variables`](Self::num_variables) values each (shorter input is an error on
    /// `values`).
    pub fn decoded_order(&self, energies: &[f64], values: &[i8]) -> crate::Result<Vec<usize>> {
        let n = self.labels.len();
        if values.len() != energies.len() * n {
            return Err(crate::ArgumentError::DimensionMismatch {
                argument: "values",
                expected: energies.len() * n,
                got: values.len(),
            }
            .into());
        }
        let mut by_label: Vec<usize> = (0..n).collect();
        by_label.sort_by(|&a, &b| self.labels[a].as_bytes().cmp(self.labels[b].as_bytes()));
        let row = |r: usize| by_label.iter().map(move |&i| values[r * n + i]);
        let mut order: Vec<usize> = (0..energies.len()).collect();
        order.sort_by(|&a, &b| {
            energies[a]
                .total_cmp(&energies[b])
                .then_with(|| row(a).cmp(row(b)))
        });
        Ok(order)
    }

    /// Index of the variable with this label.
    pub fn variable_index(&self, label: &str) -> Option<u32> {
        self.index.get(label).copied()
    }

    /// Vartype each variable was declared with (auxiliaries are BINARY). The compiled model
    /// itself is always BINARY.
    pub fn declared_vartypes(&self) -> &[Vartype] {
        &self.vartypes
    }

    /// For each auxiliary variable (index `num_expression_variables() + k`), the pair of variables
    /// whose product it stands for.
    pub fn auxiliary_pairs(&self) -> &[[u32; 2]] {
        &self.aux
    }

    /// The quadratization strength the model was compiled with (NaN when it is a placeholder).
    pub fn strength(&self) -> f64 {
        self.strength
    }

    /// The strength as given to [`Expr::compile_with`].
    pub fn strength_spec(&self) -> Strength {
        match &self.strength_placeholder {
            Some(p) => Strength::Placeholder(p.clone()),
            None => Strength::Value(self.strength),
        }
    }

    /// Placeholder names in order of first appearance (the order [`bind`](Self::bind) expects).
    pub fn placeholders(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.placeholders.iter().map(|l| &**l)
    }

    /// Number of interactions (pairs) of the quadratic model.
    pub fn num_interactions(&self) -> usize {
        self.pairs.len()
    }

    /// Constraints and sub-Hamiltonians in order of first appearance: label and condition
    /// (`None` for a sub-Hamiltonian). [`Decoded`](super::Decoded) values follow this order.
    pub fn labelled(&self) -> impl ExactSizeIterator<Item = (&str, Option<&Condition>)> + '_ {
        self.labelled.iter().map(|l| (&*l.label, l.condition.as_ref()))
    }
}
