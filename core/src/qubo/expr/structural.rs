//! Structural equality and hashing of expressions (PyQUBO compares and hashes expressions by
//! structure: `Binary('x') + 1 == Binary('x') + 1`). Both walk the trees with explicit stacks,
//! so any depth works; shared nodes are compared by address first, so a DAG compared with
//! itself costs O(1) and one compared with a rebuilt copy costs its tree size.

use super::condition::Condition;
use super::node::{Expr, Kind};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Whether two node kinds are equal, ignoring children. Numbers compare by value (`0.0 ==
/// -0.0`); custom conditions by identity of their payload.
fn same_kind(a: &Kind, b: &Kind) -> bool {
    match (a, b) {
        (Kind::Num(x), Kind::Num(y)) => x == y,
        (
            Kind::Var {
                label: l1,
                vartype: v1,
            },
            Kind::Var {
                label: l2,
                vartype: v2,
            },
        ) => l1 == l2 && v1 == v2,
        (Kind::Placeholder(l1), Kind::Placeholder(l2)) => l1 == l2,
        (Kind::Add, Kind::Add) => true,
        (Kind::Mul(s1), Kind::Mul(s2)) => s1 == s2,
        (Kind::Pow(k1), Kind::Pow(k2)) => k1 == k2,
        (
            Kind::Labelled {
                label: l1,
                condition: c1,
            },
            Kind::Labelled {
                label: l2,
                condition: c2,
            },
        ) => {
            l1 == l2
                && match (c1, c2) {
                    (None, None) => true,
                    (Some(c1), Some(c2)) => same_condition(c1, c2),
                    _ => false,
                }
        }
        (Kind::Penalized { label: l1 }, Kind::Penalized { label: l2 }) => l1 == l2,
        _ => false,
    }
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    match (a, b) {
        (Condition::Equal { value: v1, atol: a1 }, Condition::Equal { value: v2, atol: a2 })
        | (Condition::AtMost { value: v1, atol: a1 }, Condition::AtMost { value: v2, atol: a2 })
        | (Condition::AtLeast { value: v1, atol: a1 }, Condition::AtLeast { value: v2, atol: a2 }) => {
            v1 == v2 && a1 == a2
        }
        (Condition::Custom(p1), Condition::Custom(p2)) => Arc::ptr_eq(p1, p2),
        _ => false,
    }
}

impl PartialEq for Expr {
    /// Structural equality: the same tree of node kinds, labels, numbers and conditions, with
    /// the operands in the same order (`x + y` and `y + x` differ, as in PyQUBO's printing).
    fn eq(&self, other: &Expr) -> bool {
        let mut stack = vec![(self, other)];
        while let Some((a, b)) = stack.pop() {
            if Arc::ptr_eq(&a.0, &b.0) {
                continue;
            }
            if !same_kind(&a.0.kind, &b.0.kind) || a.0.children.len() != b.0.children.len() {
                return false;
            }
            stack.extend(a.0.children.iter().zip(b.0.children.iter()));
        }
        true
    }
}

impl Hash for Expr {
    /// Consistent with `==`: a hash of the tree's kinds, labels and numbers in pre-order
    /// (custom conditions contribute only their presence).
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            let node = &*e.0;
            match &node.kind {
                Kind::Num(v) => (0u8, num_bits(*v)).hash(state),
                Kind::Var { label, vartype } => (1u8, label, *vartype as u8).hash(state),
                Kind::Placeholder(label) => (2u8, label).hash(state),
                Kind::Add => 3u8.hash(state),
                Kind::Mul(s) => (4u8, num_bits(*s)).hash(state),
                Kind::Pow(k) => (5u8, k).hash(state),
                Kind::Labelled { label, condition } => {
                    (6u8, label).hash(state);
                    match condition {
                        None => 0u8.hash(state),
                        Some(Condition::Equal { value, atol }) => {
                            (1u8, num_bits(*value), num_bits(*atol)).hash(state)
                        }
                        Some(Condition::AtMost { value, atol }) => {
                            (2u8, num_bits(*value), num_bits(*atol)).hash(state)
                        }
                        Some(Condition::AtLeast { value, atol }) => {
                            (3u8, num_bits(*value), num_bits(*atol)).hash(state)
                        }
                        Some(_) => 4u8.hash(state),
                    }
                }
                Kind::Penalized { label } => (7u8, label).hash(state),
            }
            node.children.len().hash(state);
            stack.extend(node.children.iter().rev());
        }
    }
}

/// Bits of a number with `-0.0` folded onto `0.0` (they compare equal).
fn num_bits(v: f64) -> u64 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn h(e: &Expr) -> u64 {
        let mut s = DefaultHasher::new();
        e.hash(&mut s);
        s.finish()
    }

    #[test]
    fn equal_structures_compare_and_hash_equal_and_any_difference_tells() {
        let build = |c: f64| {
            let (x, y) = (Expr::binary("x"), Expr::spin("y"));
            Expr::constraint((&x + c * &y).pow(2), "k", Condition::default()) + Expr::placeholder("A") * &x
        };
        assert_eq!(build(2.0), build(2.0));
        assert_eq!(h(&build(2.0)), h(&build(2.0)));
        assert_ne!(build(2.0), build(3.0));
        assert_ne!(Expr::binary("x"), Expr::spin("x"));
        assert_ne!(Expr::binary("x"), Expr::binary("y"));
        assert_ne!(Expr::binary("x") + 1.0, Expr::binary("x") + 2.0);
        assert_ne!(
            Expr::subh(Expr::binary("x"), "k"),
            Expr::constraint(Expr::binary("x"), "k", Condition::default())
        );
        assert_ne!(
            Expr::constraint(Expr::binary("x"), "k", Condition::equal(0.0, 0.0).unwrap()),
            Expr::constraint(Expr::binary("x"), "k", Condition::equal(0.0, 0.5).unwrap())
        );
        assert_ne!(Expr::binary("x").pow(2), Expr::binary("x").pow(3));
        assert_eq!(Expr::num(0.0), Expr::num(-0.0));
        assert_eq!(h(&Expr::num(0.0)), h(&Expr::num(-0.0)));
    }

    #[test]
    fn deep_trees_compare_without_recursion() {
        let build = || {
            let mut e = Expr::binary("x");
            for i in 0..200_000 {
                e = Expr::product([e, Expr::binary(format!("v{}", i % 3))]).pow(1 + (i % 2) as u32);
            }
            e
        };
        let (a, b) = (build(), build());
        assert!(a == b);
        assert_eq!(h(&a), h(&b));
    }
}
