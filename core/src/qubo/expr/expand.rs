//! Expansion of an expression into a multilinear polynomial whose coefficients are polynomials
//! in the placeholders.
//!
//! Two passes over the tree, both with explicit stacks (no recursion, so depth is unbounded):
//! 1. the pre-order walk of [`prepass`](super::prepass);
//! 2. a task machine that adds `multiplier × node` into an accumulator. Sums pass the
//!    multiplier down to their terms, so a sum of n terms costs O(n) however it was built;
//!    factors of products, bases of powers, shared nodes and labelled nodes are expanded once
//!    into a memo and reused. Terms are summed in hash maps keyed by [`Key`].

use super::condition::Condition;
use super::key::{FxMap, Key, Tables, Vars};
use super::node::{Expr, Kind};
use super::prepass::{Ptr, Registry, prepass, ptr};
use crate::Result;
use crate::error::{ArgumentError, Error};
use std::rc::Rc;
use std::sync::Arc;

/// A polynomial as a list of distinct terms with their coefficients.
pub(crate) type Terms = Vec<(Key, f64)>;

/// A constraint or sub-Hamiltonian with the expansion of its expression.
pub(crate) struct LabelledTerms {
    pub(crate) label: Arc<str>,
    pub(crate) condition: Option<Condition>,
    pub(crate) terms: Rc<Terms>,
}

pub(crate) struct Expansion {
    pub(crate) registry: Registry,
    pub(crate) tables: Tables,
    pub(crate) terms: Terms,
    pub(crate) labelled: Vec<LabelledTerms>,
}

/// `root` plus the penalty of every `WithPenalty` node in it, as PyQUBO 1.5 adds it: once per
/// occurrence of the node in the expanded expression (`a + a`, `a * a` and `a**2` count it
/// twice, `2 * a` once), i.e. the number of root-to-node paths with `Pow(k)` counting `k`. Paths
/// are counted over the DAG in topological order (explicit stacks), so sharing costs nothing.
fn with_penalties(root: &Expr) -> Expr {
    // Post-order of the distinct nodes (children before parents).
    let mut order: Vec<&Expr> = Vec::new();
    let mut seen: FxMap<Ptr, ()> = FxMap::default();
    let mut any = false;
    let mut stack: Vec<(&Expr, bool)> = vec![(root, false)];
    while let Some((e, done)) = stack.pop() {
        if done {
            order.push(e);
            continue;
        }
        if seen.insert(ptr(e), ()).is_some() {
            continue;
        }
        any |= matches!(e.0.kind, Kind::Penalized { .. });
        stack.push((e, true));
        stack.extend(e.0.children.iter().rev().map(|c| (c, false)));
    }
    if !any {
        return root.clone();
    }
    let mut count: FxMap<Ptr, f64> = FxMap::default();
    count.insert(ptr(root), 1.0);
    let mut penalties = vec![root.clone()];
    for e in order.iter().rev() {
        let c = count.get(&ptr(e)).copied().unwrap_or(0.0);
        let factor = match e.0.kind {
            Kind::Pow(k) => k as f64,
            _ => 1.0,
        };
        for child in e.0.children.iter() {
            *count.entry(ptr(child)).or_insert(0.0) += c * factor;
        }
        if let Kind::Penalized { .. } = e.0.kind
            && c != 0.0
        {
            penalties.push(e.0.children[1].scale(c));
        }
    }
    Expr::node(Kind::Add, penalties)
}

/// Expands `root` (with the penalties of its `WithPenalty` nodes added once each).
pub(crate) fn expand(root: &Expr) -> Result<Expansion> {
    let full = with_penalties(root);
    let root = &full;
    let pre = prepass(root)?;
    let mut ex = Expander {
        t: Tables::new(pre.registry.spin.clone()),
        leaf_ids: &pre.leaf_ids,
        parents: &pre.parents,
        memo: FxMap::default(),
        accs: Vec::new(),
        free: Vec::new(),
        one: Rc::new(vec![(Key::ONE, 1.0)]),
        tasks: Vec::new(),
    };
    let acc = ex.new_acc();
    ex.tasks.push(Task::Expand {
        e: root,
        mult: ex.one.clone(),
        acc,
        direct: false,
    });
    ex.drain()?;
    let terms = ex.take_acc(acc)?;
    let mut labelled = Vec::with_capacity(pre.labelled.len());
    for e in &pre.labelled {
        if !ex.memo.contains_key(&ptr(e)) {
            // Every labelled node is expanded into the memo on the way; this is a safety net.
            ex.materialize(e);
            ex.drain()?;
        }
        let (label, condition, _) = e.as_labelled().expect("labelled node");
        labelled.push(LabelledTerms {
            label: label.into(),
            condition: condition.cloned(),
            terms: ex.memo[&ptr(e)].clone(),
        });
    }
    let tables = ex.t;
    Ok(Expansion {
        registry: pre.registry,
        tables,
        terms,
        labelled,
    })
}

enum Task<'e> {
    /// Add `mult × e` into accumulator `acc`. `direct`: expand `e` itself even if it is shared
    /// (set when `e` is being expanded into its own memo entry).
    Expand {
        e: &'e Expr,
        mult: Rc<Terms>,
        acc: usize,
        direct: bool,
    },
    /// `acc` now holds the expansion of `e`: move it into the memo.
    Seal { e: &'e Expr, acc: usize },
}

struct Expander<'e, 'p> {
    t: Tables,
    leaf_ids: &'p FxMap<Ptr, u32>,
    parents: &'p FxMap<Ptr, u32>,
    memo: FxMap<Ptr, Rc<Terms>>,
    accs: Vec<FxMap<Key, f64>>,
    free: Vec<usize>,
    one: Rc<Terms>,
    tasks: Vec<Task<'e>>,
}

impl<'e> Expander<'e, '_> {
    fn new_acc(&mut self) -> usize {
        match self.free.pop() {
            Some(i) => i,
            None => {
                self.accs.push(FxMap::default());
                self.accs.len() - 1
            }
        }
    }

    /// The accumulated terms (exact zeros dropped); the accumulator is recycled. The list is
    /// allocated fallibly: an expansion that outgrows memory is an `OutOfMemory` error.
    fn take_acc(&mut self, acc: usize) -> Result<Terms> {
        let mut terms = crate::alloc::with_capacity("expanded terms", self.accs[acc].len())?;
        terms.extend(self.accs[acc].drain().filter(|&(_, c)| c != 0.0));
        self.free.push(acc);
        Ok(terms)
    }

    fn materialize(&mut self, e: &'e Expr) {
        let acc = self.new_acc();
        self.tasks.push(Task::Seal { e, acc });
        self.tasks.push(Task::Expand {
            e,
            mult: self.one.clone(),
            acc,
            direct: true,
        });
    }

    fn drain(&mut self) -> Result<()> {
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Seal { e, acc } => {
                    let terms = self.take_acc(acc)?;
                    self.memo.insert(ptr(e), Rc::new(terms));
                }
                Task::Expand { e, mult, acc, direct } => self.expand_one(e, mult, acc, direct)?,
            }
        }
        Ok(())
    }

    /// Whether a compound node goes through the memo rather than being expanded in place.
    fn memoized(&self, e: &Expr) -> bool {
        matches!(e.0.kind, Kind::Labelled { .. })
            || (Arc::strong_count(&e.0) > 1 && self.parents.get(&ptr(e)).is_some_and(|&n| n > 1))
    }

    /// The memo entry of `e`, removed when nothing else will ask for it.
    fn consume(&mut self, e: &Expr) -> Rc<Terms> {
        if self.memoized(e) {
            self.memo[&ptr(e)].clone()
        } else {
            self.memo.remove(&ptr(e)).expect("materialized")
        }
    }

    /// A leaf as one term.
    fn leaf(&mut self, e: &Expr) -> Option<(Key, f64)> {
        match &e.0.kind {
            Kind::Num(v) => Some((Key::ONE, *v)),
            Kind::Var { .. } => Some((
                Key {
                    vars: Vars::One(self.leaf_ids[&ptr(e)]),
                    mono: 0,
                },
                1.0,
            )),
            Kind::Placeholder(_) => {
                let mono = self.t.placeholder(self.leaf_ids[&ptr(e)]);
                Some((
                    Key {
                        vars: Vars::Zero,
                        mono,
                    },
                    1.0,
                ))
            }
            _ => None,
        }
    }

    fn expand_one(&mut self, e: &'e Expr, mult: Rc<Terms>, acc: usize, direct: bool) -> Result<()> {
        if let Some((m, c)) = self.leaf(e) {
            return self.add_product(acc, &mult, &[(m, c)]);
        }
        if !direct && self.memoized(e) {
            match self.memo.get(&ptr(e)).cloned() {
                Some(p) => self.add_product(acc, &mult, &p)?,
                None => {
                    self.tasks.push(Task::Expand { e, mult, acc, direct });
                    self.materialize(e);
                }
            }
            return Ok(());
        }
        let node = &*e.0;
        match &node.kind {
            Kind::Add => {
                for c in node.children.iter().rev() {
                    self.tasks.push(Task::Expand {
                        e: c,
                        mult: mult.clone(),
                        acc,
                        direct: false,
                    });
                }
            }
            Kind::Labelled { .. } | Kind::Penalized { .. } => self.tasks.push(Task::Expand {
                e: &node.children[0],
                mult,
                acc,
                direct: false,
            }),
            Kind::Mul(scale) => {
                let mut lead = (Key::ONE, *scale);
                let mut compound: Vec<&'e Expr> = Vec::new();
                for c in node.children.iter() {
                    match self.leaf(c) {
                        Some((m, v)) => lead = (self.key_mul(lead.0, m)?, lead.1 * v),
                        None => compound.push(c),
                    }
                }
                let Some((last, rest)) = compound.split_last() else {
                    return self.add_product(acc, &mult, &[lead]);
                };
                let mut missing: Vec<&'e Expr> = Vec::new();
                for &c in rest {
                    if !self.memo.contains_key(&ptr(c)) && !missing.iter().any(|&m| ptr(m) == ptr(c)) {
                        missing.push(c);
                    }
                }
                if !missing.is_empty() {
                    self.tasks.push(Task::Expand { e, mult, acc, direct });
                    for c in missing {
                        self.materialize(c);
                    }
                    return Ok(());
                }
                // Distribute: expand the last compound factor with everything else as multiplier.
                let mut m = self.product(&mult, &[lead])?;
                for &c in rest {
                    let p = self.consume(c);
                    m = self.product(&m, &p)?;
                }
                self.tasks.push(Task::Expand {
                    e: last,
                    mult: Rc::new(m),
                    acc,
                    direct: false,
                });
            }
            Kind::Pow(k) => {
                let base = &node.children[0];
                let p = match self.leaf(base) {
                    Some(t) => Rc::new(vec![t]),
                    None if self.memo.contains_key(&ptr(base)) => self.consume(base),
                    None => {
                        self.tasks.push(Task::Expand { e, mult, acc, direct });
                        self.materialize(base);
                        return Ok(());
                    }
                };
                let r = self.power(p, *k)?;
                self.add_product(acc, &mult, &r)?;
            }
            Kind::Num(_) | Kind::Var { .. } | Kind::Placeholder(_) => unreachable!("leaves handled above"),
        }
        Ok(())
    }

    fn key_mul(&mut self, a: Key, b: Key) -> Result<Key> {
        self.t.mul(a, b).map_err(|_| {
            Error::from(ArgumentError::Invalid {
                argument: "expr",
                reason: "a placeholder's exponent exceeds 4294967295".into(),
            })
        })
    }

    fn insert(&mut self, acc: usize, key: Key, c: f64) -> Result<()> {
        let map = &mut self.accs[acc];
        map.try_reserve(1).map_err(|_| Error::OutOfMemory {
            what: "expanded terms",
            bytes: map.len().saturating_mul(2 * std::mem::size_of::<(Key, f64)>()),
        })?;
        *map.entry(key).or_insert(0.0) += c;
        Ok(())
    }

    /// Adds `a × b` into accumulator `acc`.
    fn add_product(&mut self, acc: usize, a: &[(Key, f64)], b: &[(Key, f64)]) -> Result<()> {
        for &(ka, ca) in a {
            for &(kb, cb) in b {
                let key = self.key_mul(ka, kb)?;
                self.insert(acc, key, ca * cb)?;
            }
        }
        Ok(())
    }

    fn product(&mut self, a: &[(Key, f64)], b: &[(Key, f64)]) -> Result<Terms> {
        if let [(k, c)] = b
            && *k == Key::ONE
            && *c == 1.0
        {
            let mut copy = crate::alloc::with_capacity("expanded terms", a.len())?;
            copy.extend_from_slice(a);
            return Ok(copy);
        }
        let acc = self.new_acc();
        self.add_product(acc, a, b)?;
        self.take_acc(acc)
    }

    /// `p²`, using that products commute: each pair of terms once, doubled.
    fn square(&mut self, p: &[(Key, f64)]) -> Result<Terms> {
        let acc = self.new_acc();
        for (i, &(ki, ci)) in p.iter().enumerate() {
            let key = self.key_mul(ki, ki)?;
            self.insert(acc, key, ci * ci)?;
            for &(kj, cj) in &p[i + 1..] {
                let key = self.key_mul(ki, kj)?;
                self.insert(acc, key, 2.0 * ci * cj)?;
            }
        }
        self.take_acc(acc)
    }

    /// `p^k` by repeated squaring.
    fn power(&mut self, p: Rc<Terms>, mut k: u32) -> Result<Rc<Terms>> {
        let mut result: Option<Rc<Terms>> = None;
        let mut base = p;
        while k > 0 {
            if k & 1 == 1 {
                result = Some(match result {
                    None => base.clone(),
                    Some(r) => Rc::new(self.product(&r, &base)?),
                });
            }
            k >>= 1;
            if k > 0 {
                base = Rc::new(self.square(&base)?);
            }
        }
        Ok(result.unwrap_or_else(|| self.one.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubo::expr::ExprError;

    /// A term as `(variable labels, placeholder powers, coefficient)`.
    type Term = (Vec<String>, Vec<(String, u32)>, f64);

    /// The expansion, sorted.
    fn expanded(e: &Expr) -> Vec<Term> {
        let ex = expand(e).unwrap();
        let reg = &ex.registry;
        let mut tmp = [0u32; 2];
        let mut out: Vec<_> = ex
            .terms
            .iter()
            .map(|(k, c)| {
                let vars = ex
                    .tables
                    .vars(k.vars, &mut tmp)
                    .iter()
                    .map(|&v| reg.labels[v as usize].to_string())
                    .collect();
                let phs = ex.tables.monos.list[k.mono as usize]
                    .chunks(2)
                    .map(|p| (reg.placeholders[p[0] as usize].to_string(), p[1]))
                    .collect();
                (vars, phs, *c)
            })
            .collect();
        out.sort_by(|a, b| a.partial_cmp(b).unwrap());
        out
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn squares_reduce_per_vartype() {
        let (x, y, s1) = (Expr::binary("x"), Expr::binary("y"), Expr::spin("s"));
        // (x + y - 1)² = x + y + 1 + 2xy - 2x - 2y with x² = x
        assert_eq!(
            expanded(&(&x + &y - 1.0).pow(2)),
            vec![
                (s(&[]), vec![], 1.0),
                (s(&["x"]), vec![], -1.0),
                (s(&["x", "y"]), vec![], 2.0),
                (s(&["y"]), vec![], -1.0)
            ]
        );
        // (s + x)² = 1 + 2sx + x with s² = 1
        assert_eq!(
            expanded(&(&s1 + &x).pow(2)),
            vec![
                (s(&[]), vec![], 1.0),
                (s(&["s", "x"]), vec![], 2.0),
                (s(&["x"]), vec![], 1.0)
            ]
        );
        assert_eq!(expanded(&(&x - &x)), vec![]);
    }

    #[test]
    fn placeholders_are_symbolic_coefficients() {
        let (x, a, b) = (Expr::binary("x"), Expr::placeholder("A"), Expr::placeholder("B"));
        let e = (&a * &x + &b).pow(2);
        assert_eq!(
            expanded(&e),
            vec![
                (s(&[]), vec![("B".into(), 2)], 1.0),
                (s(&["x"]), vec![("A".into(), 1), ("B".into(), 1)], 2.0),
                (s(&["x"]), vec![("A".into(), 2)], 1.0),
            ]
        );
    }

    #[test]
    fn shared_subtrees_are_expanded_once() {
        // y = y + y, 64 times: 2^64 paths through the tree, one expansion per node.
        let mut y = Expr::binary("x");
        for _ in 0..64 {
            y = &y + &y;
        }
        let got = expanded(&(&y * &y));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, 2f64.powi(128));
    }

    #[test]
    fn labelled_expressions_are_kept_and_checked() {
        let x = Expr::binary("x");
        let c = Expr::constraint(&x - 1.0, "c", Condition::default());
        let ex = expand(&(3.0 * &c + Expr::subh(x.clone() * 2.0, "h"))).unwrap();
        assert_eq!(ex.labelled.len(), 2);
        assert_eq!(&*ex.labelled[0].label, "c");
        assert_eq!(ex.labelled[0].terms.len(), 2);
        let dup = Expr::constraint(x.clone(), "c", Condition::default()) + &c;
        assert!(matches!(
            expand(&dup),
            Err(Error::Qubo(crate::qubo::QuboError::Expression(
                ExprError::DuplicateLabel { .. }
            )))
        ));
        let mixed = Expr::binary("v") + Expr::spin("v");
        assert!(
            expand(&mixed)
                .err()
                .unwrap()
                .to_string()
                .contains("both as BINARY and as SPIN")
        );
        assert!(expand(&(x * f64::NAN)).is_err());
    }
}
