//! Symbolic expressions: immutable trees of shared nodes, built in O(1) per operation.
//!
//! Building never expands anything: `a + b` allocates one node pointing at both operands, so a
//! sum of n terms built one `+` at a time costs O(n) in total (PyQUBO-style code such as
//! `H += w * x[i] * x[j]` in a loop stays linear). Trees may be arbitrarily deep: everything that
//! walks them (expansion, printing, dropping) uses an explicit stack, never recursion.

use super::Condition;
use crate::qubo::Vartype;
use std::sync::Arc;

/// Products with at most this many factors are copied into a new flat product when multiplied
/// again (so `w * x * y` is one node); longer ones are nested, keeping every operation O(1).
const FLATTEN_FACTORS: usize = 6;

/// A symbolic expression over named binary or spin variables, numbers and placeholders
/// (coefficients given a value only when the compiled model is bound).
///
/// Cloning is O(1) (the tree is shared). Operators accept `Expr`, `&Expr` and `f64`.
///
/// ```
/// use neuroquant::qubo::expr::Expr;
/// let (x, y) = (Expr::binary("x"), Expr::binary("y"));
/// let h = (&x + &y - 1.0).pow(2) + Expr::placeholder("A") * &x;
/// assert_eq!(h.to_string(), "((Binary('x') + Binary('y') + -1)**2 + Placeholder('A') * Binary('x'))");
/// ```
#[derive(Clone)]
pub struct Expr(pub(crate) Arc<Node>);

pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) children: Children,
}

/// The operands of a node; up to two live inside the node (no separate allocation).
#[derive(Clone, Default)]
pub(crate) enum Children {
    #[default]
    None,
    One([Expr; 1]),
    Two([Expr; 2]),
    Many(Vec<Expr>),
}

impl Children {
    fn from_vec(mut v: Vec<Expr>) -> Children {
        match v.len() {
            0 => Children::None,
            1 => Children::One([v.pop().expect("one")]),
            2 => {
                let b = v.pop().expect("two");
                let a = v.pop().expect("two");
                Children::Two([a, b])
            }
            _ => Children::Many(v),
        }
    }

    /// Moves the operands onto `stack`.
    fn drain_into(&mut self, stack: &mut Vec<Expr>) {
        match std::mem::take(self) {
            Children::None => {}
            Children::One([a]) => stack.push(a),
            Children::Two([a, b]) => stack.extend([a, b]),
            Children::Many(mut v) => stack.append(&mut v),
        }
    }
}

impl std::ops::Deref for Children {
    type Target = [Expr];
    #[inline]
    fn deref(&self) -> &[Expr] {
        match self {
            Children::None => &[],
            Children::One(a) => a,
            Children::Two(a) => a,
            Children::Many(v) => v,
        }
    }
}

pub(crate) enum Kind {
    Num(f64),
    Var {
        label: Arc<str>,
        vartype: Vartype,
    },
    Placeholder(Arc<str>),
    /// Sum of the children.
    Add,
    /// The scale times the product of the children.
    Mul(f64),
    /// The only child raised to this power.
    Pow(u32),
    /// The only child, reported by name when decoding; a constraint when it has a condition,
    /// a sub-Hamiltonian otherwise.
    Labelled {
        label: Arc<str>,
        condition: Option<Condition>,
    },
    /// PyQUBO's `WithPenalty`: the value of the first child; the second child (the penalty) is
    /// added to the compiled model once, however often the node appears.
    Penalized {
        label: Arc<str>,
    },
}

impl Expr {
    pub(super) fn node(kind: Kind, children: Vec<Expr>) -> Expr {
        Expr(Arc::new(Node {
            kind,
            children: Children::from_vec(children),
        }))
    }

    fn node_with(kind: Kind, children: Children) -> Expr {
        Expr(Arc::new(Node { kind, children }))
    }

    /// A variable with values in `{0, 1}`.
    pub fn binary(label: impl Into<Arc<str>>) -> Expr {
        Expr::variable(label, Vartype::Binary)
    }

    /// A variable with values in `{-1, +1}`.
    pub fn spin(label: impl Into<Arc<str>>) -> Expr {
        Expr::variable(label, Vartype::Spin)
    }

    /// A variable of the given vartype.
    pub fn variable(label: impl Into<Arc<str>>, vartype: Vartype) -> Expr {
        let kind = Kind::Var {
            label: label.into(),
            vartype,
        };
        Expr::node_with(kind, Children::None)
    }

    /// A number. A non-finite value is reported when the expression is compiled.
    pub fn num(value: f64) -> Expr {
        Expr::node_with(Kind::Num(value), Children::None)
    }

    /// A symbolic coefficient, given a value when the compiled model is bound (`feed_dict`).
    pub fn placeholder(label: impl Into<Arc<str>>) -> Expr {
        Expr::node_with(Kind::Placeholder(label.into()), Children::None)
    }

    /// A named constraint: contributes `expr` to the energy, and decoding reports its value and
    /// whether `condition` holds.
    pub fn constraint(expr: Expr, label: impl Into<Arc<str>>, condition: Condition) -> Expr {
        let kind = Kind::Labelled {
            label: label.into(),
            condition: Some(condition),
        };
        Expr::node_with(kind, Children::One([expr]))
    }

    /// A named sub-Hamiltonian: contributes `expr` to the energy, and decoding reports its value.
    pub fn subh(expr: Expr, label: impl Into<Arc<str>>) -> Expr {
        let kind = Kind::Labelled {
            label: label.into(),
            condition: None,
        };
        Expr::node_with(kind, Children::One([expr]))
    }

    /// PyQUBO's `WithPenalty(expr, penalty, label)`: an expression whose value is `expr` and
    /// whose `penalty` is added to the compiled model once per occurrence of the node in the
    /// expanded expression, exactly as PyQUBO 1.5 does (`p + p`, `p * p` and `p**2` add it
    /// twice, `2 * p` once), so models compile to PyQUBO's QUBO. Encoded integers use it for
    /// their one-hot or order constraints.
    ///
    /// ```
    /// use neuroquant::qubo::expr::Expr;
    /// let (x, y) = (Expr::binary("x"), Expr::binary("y"));
    /// let p = Expr::with_penalty(x.clone(), 3.0 * &y, "p");
    /// // p·p = x·x plus the penalty 3y for each of the two occurrences of p.
    /// let bqm = (&p * &p).compile(5.0)?.bind_named([])?.into_bqm();
    /// assert_eq!(bqm.linear()[1], 6.0);
    /// let bqm = (2.0 * &p).compile(5.0)?.bind_named([])?.into_bqm();
    /// assert_eq!(bqm.linear()[1], 3.0);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn with_penalty(expr: Expr, penalty: Expr, label: impl Into<Arc<str>>) -> Expr {
        Expr::node_with(
            Kind::Penalized { label: label.into() },
            Children::Two([expr, penalty]),
        )
    }

    /// Label, expression and penalty, if this is a [`with_penalty`](Self::with_penalty) node.
    pub fn as_penalized(&self) -> Option<(&str, &Expr, &Expr)> {
        match &self.0.kind {
            Kind::Penalized { label } => Some((label, &self.0.children[0], &self.0.children[1])),
            _ => None,
        }
    }

    /// The sum of `terms` as one node (0 when empty).
    pub fn sum(terms: impl IntoIterator<Item = Expr>) -> Expr {
        let mut terms: Vec<Expr> = terms.into_iter().collect();
        match terms.len() {
            0 => Expr::num(0.0),
            1 => terms.pop().expect("one term"),
            _ => Expr::node(Kind::Add, terms),
        }
    }

    /// The product of `factors` as one node (1 when empty).
    pub fn product(factors: impl IntoIterator<Item = Expr>) -> Expr {
        let mut factors: Vec<Expr> = factors.into_iter().collect();
        match factors.len() {
            0 => Expr::num(1.0),
            1 => factors.pop().expect("one factor"),
            _ => Expr::node(Kind::Mul(1.0), factors),
        }
    }

    /// `self` raised to the non-negative integer power `k` (`x⁰ = 1`).
    pub fn pow(&self, k: u32) -> Expr {
        match (&self.0.kind, k) {
            (_, 1) => self.clone(),
            (Kind::Num(v), _) => Expr::num(v.powi(k.min(i32::MAX as u32) as i32)),
            _ => Expr::node_with(Kind::Pow(k), Children::One([self.clone()])),
        }
    }

    /// `c · self`.
    pub fn scale(&self, c: f64) -> Expr {
        match &self.0.kind {
            _ if c == 1.0 => self.clone(),
            Kind::Num(v) => Expr::num(c * v),
            Kind::Mul(s) if self.0.children.len() <= FLATTEN_FACTORS => {
                Expr::node_with(Kind::Mul(c * s), self.0.children.clone())
            }
            _ => Expr::node_with(Kind::Mul(c), Children::One([self.clone()])),
        }
    }

    pub(crate) fn add_expr(&self, other: &Expr) -> Expr {
        match (&self.0.kind, &other.0.kind) {
            (Kind::Num(a), Kind::Num(b)) => Expr::num(a + b),
            (Kind::Num(a), _) if *a == 0.0 => other.clone(),
            (_, Kind::Num(b)) if *b == 0.0 => self.clone(),
            _ => Expr::node_with(Kind::Add, Children::Two([self.clone(), other.clone()])),
        }
    }

    pub(crate) fn mul_expr(&self, other: &Expr) -> Expr {
        let flat = |e: &Expr| match e.0.kind {
            Kind::Mul(s) if e.0.children.len() <= FLATTEN_FACTORS => Some(s),
            _ => None,
        };
        match (&self.0.kind, &other.0.kind) {
            (Kind::Num(a), _) => other.scale(*a),
            (_, Kind::Num(b)) => self.scale(*b),
            _ => {
                let (sa, sb) = (flat(self), flat(other));
                let mut scale = 1.0;
                let mut factors = Vec::with_capacity(2 * FLATTEN_FACTORS);
                for (e, s) in [(self, sa), (other, sb)] {
                    match s {
                        Some(s) => {
                            scale *= s;
                            factors.extend(e.0.children.iter().cloned());
                        }
                        None => factors.push(e.clone()),
                    }
                }
                Expr::node(Kind::Mul(scale), factors)
            }
        }
    }

    /// The label and vartype, if this is a variable.
    pub fn as_variable(&self) -> Option<(&str, Vartype)> {
        match &self.0.kind {
            Kind::Var { label, vartype } => Some((label, *vartype)),
            _ => None,
        }
    }

    /// The value, if this is a number.
    pub fn as_number(&self) -> Option<f64> {
        match self.0.kind {
            Kind::Num(v) => Some(v),
            _ => None,
        }
    }

    /// The label, if this is a placeholder.
    pub fn as_placeholder(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Placeholder(label) => Some(label),
            _ => None,
        }
    }

    /// Label, condition (`None` for a sub-Hamiltonian) and inner expression, if this is a
    /// constraint or a sub-Hamiltonian.
    pub fn as_labelled(&self) -> Option<(&str, Option<&Condition>, &Expr)> {
        match &self.0.kind {
            Kind::Labelled { label, condition } => Some((label, condition.as_ref(), &self.0.children[0])),
            _ => None,
        }
    }
}

impl Drop for Node {
    /// Dismantles uniquely owned subtrees with an explicit stack, so dropping a chain of a
    /// million `+` nodes cannot overflow the call stack. Operands still referenced elsewhere
    /// are just released (no stack needed).
    fn drop(&mut self) {
        if !self.children.iter().any(|c| Arc::strong_count(&c.0) == 1) {
            return;
        }
        let mut stack = Vec::new();
        self.children.drain_into(&mut stack);
        while let Some(e) = stack.pop() {
            if let Some(mut node) = Arc::into_inner(e.0) {
                node.children.drain_into(&mut stack);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn building_folds_numbers_and_flattens_short_products() {
        let (x, y) = (Expr::binary("x"), Expr::spin("y"));
        assert_eq!((2.0 * &x * &y).to_string(), "2 * Binary('x') * Spin('y')");
        assert_eq!((0.0 + &x).to_string(), "Binary('x')");
        assert_eq!((Expr::num(2.0) + 3.0).as_number(), Some(5.0));
        assert_eq!((-&x).to_string(), "-1 * Binary('x')");
        assert_eq!(Expr::num(3.0).pow(2).as_number(), Some(9.0));
        let c = Expr::constraint(&x - 1.0, "c", Condition::default());
        assert_eq!(c.to_string(), "Constraint((Binary('x') + -1), label='c')");
        assert_eq!(c.as_labelled().unwrap().0, "c");
        assert_eq!(
            Expr::subh(x.clone(), "h").to_string(),
            "SubH(Binary('x'), label='h')"
        );
        assert_eq!((&x + &y).pow(2).to_string(), "(Binary('x') + Spin('y'))**2");
        assert_eq!(
            ((&x + &y) + (&x + 1.0)).to_string(),
            "(Binary('x') + Spin('y') + Binary('x') + 1)"
        );
        assert_eq!((&x * &y).pow(3).to_string(), "(Binary('x') * Spin('y'))**3");
    }

    #[test]
    fn deep_trees_print_and_drop_without_recursion() {
        let x = Expr::binary("x");
        let mut h = Expr::num(1.0);
        for _ in 0..1_000_000 {
            h = &h + &x;
        }
        let mut p = x.clone();
        for _ in 0..100_000 {
            p = Expr::product([p, x.clone()]).pow(3);
        }
        let text = h.to_string();
        assert!(text.starts_with("(1 + Binary('x') + ") && text.ends_with("Binary('x'))"));
        assert_eq!(text.matches("Binary('x')").count(), 1_000_000);
        assert!(p.to_string().ends_with(")**3"));
        drop(h);
        drop(p);
    }
}
