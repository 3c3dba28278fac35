//! Expressions in the neuroquant container (kind `"expr"`, version 1).
//!
//! The expression is written as the DAG it is in memory, not as the tree it denotes: a node
//! shared through several parents (`(sum(x) − 1)²` refers to one sum many times; `e = e + e`
//! forty times is 41 nodes denoting 2⁴⁰ leaves) is written once. Nodes are numbered so that
//! children precede their parents; the root is the last node.
//!
//! `meta = {"num_nodes": n, "num_labels": L, "num_constraints": c, "num_custom": k}`; arrays:
//!
//! | array | dtype | length | content |
//! |---|---|---|---|
//! | `node_kind` | `\|i1` | n | 0 number, 1 binary variable, 2 spin variable, 3 placeholder, 4 sum, 5 product, 6 power, 7 sub-Hamiltonian, 8 constraint |
//! | `node_number` | `<f8` | n | the number (kind 0), the product's scale (kind 5); 0 otherwise |
//! | `node_integer` | `<u8` | n | label index (kinds 1, 2, 3, 7, 8), exponent ≤ 2³²−1 (kind 6); 0 otherwise |
//! | `child_ptr` | `<u8` | n + 1 | children of node i are `child_index[child_ptr[i]..child_ptr[i+1]]`, `child_ptr[0] = 0` |
//! | `child_index` | `<u4` | `child_ptr[n]` | node indices, each `<` its parent's index |
//! | `label_end` | `<u8` | L | label j is `label_bytes[label_end[j−1]..label_end[j]]` (UTF-8; start 0 for j = 0) |
//! | `label_bytes` | `\|i1` | `label_end[L−1]` | the labels' UTF-8 bytes, concatenated |
//! | `condition_kind` | `\|i1` | c | per constraint node, in node order: 0 equal, 1 at most, 2 at least, 3 custom |
//! | `condition_value`, `condition_atol` | `<f8` | c | the condition's value and tolerance (finite, atol ≥ 0; 0 for custom) |
//!
//! Arity: leaves (kinds 0–3) have no children, a sum at least two, a product at least one, a
//! power, sub-Hamiltonian and constraint exactly one. Every node but the root is a child of a
//! later node (nothing unreachable is stored).
//!
//! A custom condition's payload is opaque to the core (the Python binding stores a callable
//! there), so it is not in the file: custom condition `#k` is the `k`-th constraint with
//! condition kind 3, and [`Expr::to_bytes_with_custom`] hands the payloads to the caller in that
//! order while [`Expr::from_bytes_with_custom`] takes them back.
//!
//! The reader validates every field and never recurses (a chain 100 000 deep reads like any
//! other). It accepts exactly what the writer can produce, which includes expressions that fail
//! to compile (a non-finite number, a label used as both BINARY and SPIN, two constraints with
//! one label): those are valid expressions, and [`Expr::compile`] reports them as it would for
//! the original.

use super::ExprError;
use super::condition::{Condition, CustomCondition};
use super::key::FxMap;
use super::node::{Expr, Kind, Node};
use crate::Result;
use crate::error::check;
use crate::format::Writer;
use crate::qubo::Vartype;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub(super) const KIND: &str = "expr";
pub(super) const KIND_VERSION: u32 = 1;

pub(super) const NUM: i8 = 0;
pub(super) const BINARY: i8 = 1;
pub(super) const SPIN: i8 = 2;
pub(super) const PLACEHOLDER: i8 = 3;
pub(super) const ADD: i8 = 4;
pub(super) const MUL: i8 = 5;
pub(super) const POW: i8 = 6;
pub(super) const SUBH: i8 = 7;
pub(super) const CONSTRAINT: i8 = 8;
/// `WithPenalty`: children expression and penalty, integer the label (added in kind version 1;
/// files without it read as before, older readers name it an unknown kind).
pub(super) const PENALIZED: i8 = 9;

pub(super) const EQUAL: i8 = 0;
pub(super) const AT_MOST: i8 = 1;
pub(super) const AT_LEAST: i8 = 2;
pub(super) const CUSTOM: i8 = 3;

/// The largest number of distinct nodes a file can hold (child indices are `u32`).
pub(super) const MAX_NODES: u64 = u32::MAX as u64;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Meta {
    pub(super) num_nodes: u64,
    pub(super) num_labels: u64,
    pub(super) num_constraints: u64,
    pub(super) num_custom: u64,
}

/// The arrays of the file, built by [`write`].
#[derive(Default)]
struct Arrays {
    kind: Vec<i8>,
    number: Vec<f64>,
    integer: Vec<u64>,
    child_ptr: Vec<u64>,
    child_index: Vec<u32>,
    label_end: Vec<u64>,
    label_bytes: Vec<i8>,
    condition_kind: Vec<i8>,
    condition_value: Vec<f64>,
    condition_atol: Vec<f64>,
}

impl Expr {
    /// The expression in the versioned neuroquant container (kind `"expr"`, layout in
    /// `qubo::expr::serialize`), shared sub-expressions written once.
    ///
    /// Fails, naming the constraint, if a constraint has a [`Condition::Custom`] (its payload
    /// cannot be written; use [`to_bytes_with_custom`](Self::to_bytes_with_custom)).
    ///
    /// ```
    /// use neuroquant::qubo::expr::{Condition, Expr};
    /// let (x, y) = (Expr::binary("x"), Expr::spin("y"));
    /// let h = Expr::constraint((&x + &y - 1.0).pow(2), "one", Condition::default());
    /// let back = Expr::from_bytes(&h.to_bytes()?)?;
    /// assert_eq!(back.to_string(), h.to_string());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (bytes, custom) = write(self)?;
        match custom.into_iter().next() {
            None => Ok(bytes),
            Some((label, _)) => Err(ExprError::CustomConditionNotStorable {
                label: label.to_string(),
            }
            .into()),
        }
    }

    /// Like [`to_bytes`](Self::to_bytes), and also returns the payloads of the custom
    /// conditions (custom condition `#k` is element `k`), for the caller to store its own way
    /// and give back to [`from_bytes_with_custom`](Self::from_bytes_with_custom).
    pub fn to_bytes_with_custom(&self) -> Result<(Vec<u8>, Vec<CustomCondition>)> {
        let (bytes, custom) = write(self)?;
        Ok((bytes, custom.into_iter().map(|(_, c)| c).collect()))
    }

    /// Reads an expression written by [`to_bytes`](Self::to_bytes), validating every field;
    /// nodes shared in the file are shared in the result.
    pub fn from_bytes(bytes: &[u8]) -> Result<Expr> {
        Expr::from_bytes_with_custom(bytes, &[])
    }

    /// Reads an expression written by [`to_bytes_with_custom`](Self::to_bytes_with_custom);
    /// `custom` must hold exactly the file's custom condition payloads, in order.
    pub fn from_bytes_with_custom(bytes: &[u8], custom: &[CustomCondition]) -> Result<Expr> {
        super::deserialize::read(bytes, custom)
    }
}

/// A constraint's label and custom condition payload, in the order written.
type Customs = Vec<(Arc<str>, CustomCondition)>;

/// Post-order walk with an explicit stack; shared nodes (strong count > 1) get an entry in a
/// map from address to index so they are written once, others are met exactly once.
fn write<'e>(root: &'e Expr) -> Result<(Vec<u8>, Customs)> {
    let mut a = Arrays::default();
    a.child_ptr.push(0);
    let mut seen: FxMap<*const Node, u32> = FxMap::default();
    let mut labels: FxMap<&'e str, u32> = FxMap::default();
    let mut custom = Vec::new();
    // Indices of finished children; frame `f` owns `pending[f.start..]` while it is on top.
    let mut pending: Vec<u32> = Vec::new();
    struct Frame<'a> {
        e: &'a Expr,
        next: usize,
        start: usize,
    }
    let mut stack = vec![Frame {
        e: root,
        next: 0,
        start: 0,
    }];
    while let Some(top) = stack.last_mut() {
        let e: &'e Expr = top.e;
        if let Some(c) = e.0.children.get(top.next) {
            top.next += 1;
            // A node with one reference has one parent: it cannot have been written yet.
            if Arc::strong_count(&c.0) > 1
                && let Some(&i) = seen.get(&Arc::as_ptr(&c.0))
            {
                pending.push(i);
            } else {
                let start = pending.len();
                stack.push(Frame { e: c, next: 0, start });
            }
            continue;
        }
        let Frame { e, start, .. } = stack.pop().expect("non-empty");
        let index = a.kind.len() as u64;
        check::at_most("expr", index + 1, MAX_NODES)?;
        let index = index as u32;
        let mut label_of = |l: &'e Arc<str>| -> u64 {
            let next = labels.len() as u32;
            *labels.entry(l).or_insert_with(|| {
                a.label_bytes.extend(l.bytes().map(|b| b as i8));
                a.label_end.push(a.label_bytes.len() as u64);
                next
            }) as u64
        };
        let (kind, number, integer) = match &e.0.kind {
            Kind::Num(v) => (NUM, *v, 0),
            Kind::Var { label, vartype } => {
                let k = match vartype {
                    Vartype::Binary => BINARY,
                    Vartype::Spin => SPIN,
                };
                (k, 0.0, label_of(label))
            }
            Kind::Placeholder(label) => (PLACEHOLDER, 0.0, label_of(label)),
            Kind::Add => (ADD, 0.0, 0),
            Kind::Mul(scale) => (MUL, *scale, 0),
            Kind::Pow(k) => (POW, 0.0, *k as u64),
            Kind::Labelled {
                label,
                condition: None,
            } => (SUBH, 0.0, label_of(label)),
            Kind::Penalized { label } => (PENALIZED, 0.0, label_of(label)),
            Kind::Labelled {
                label,
                condition: Some(c),
            } => {
                let (ck, value, atol) = match c {
                    Condition::Equal { value, atol } => (EQUAL, *value, *atol),
                    Condition::AtMost { value, atol } => (AT_MOST, *value, *atol),
                    Condition::AtLeast { value, atol } => (AT_LEAST, *value, *atol),
                    Condition::Custom(payload) => {
                        custom.push((label.clone(), payload.clone()));
                        (CUSTOM, 0.0, 0.0)
                    }
                };
                a.condition_kind.push(ck);
                a.condition_value.push(value);
                a.condition_atol.push(atol);
                (CONSTRAINT, 0.0, label_of(label))
            }
        };
        a.kind.push(kind);
        a.number.push(number);
        a.integer.push(integer);
        a.child_index.extend_from_slice(&pending[start..]);
        a.child_ptr.push(a.child_index.len() as u64);
        pending.truncate(start);
        if Arc::strong_count(&e.0) > 1 {
            seen.insert(Arc::as_ptr(&e.0), index);
        }
        pending.push(index);
    }
    let meta = Meta {
        num_nodes: a.kind.len() as u64,
        num_labels: a.label_end.len() as u64,
        num_constraints: a.condition_kind.len() as u64,
        num_custom: custom.len() as u64,
    };
    let mut w = Writer::new(
        KIND,
        KIND_VERSION,
        serde_json::to_value(meta).expect("plain data"),
    );
    w.i8s("node_kind", &a.kind);
    w.f64s("node_number", &a.number);
    w.u64s("node_integer", &a.integer);
    w.u64s("child_ptr", &a.child_ptr);
    w.u32s("child_index", &a.child_index);
    w.u64s("label_end", &a.label_end);
    w.i8s("label_bytes", &a.label_bytes);
    w.i8s("condition_kind", &a.condition_kind);
    w.f64s("condition_value", &a.condition_value);
    w.f64s("condition_atol", &a.condition_atol);
    Ok((w.finish(), custom))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Reader;

    fn arrays(bytes: &[u8]) -> (Vec<i8>, Vec<u64>, Vec<u32>) {
        let r = Reader::parse(bytes).unwrap();
        (
            r.i8s("node_kind").unwrap(),
            r.u64s("child_ptr").unwrap(),
            r.u32s("child_index").unwrap(),
        )
    }

    #[test]
    fn layout_is_post_order_with_shared_nodes_once() {
        let x = Expr::binary("x");
        let s = &x + Expr::spin("y");
        let h = &s * &s + Expr::placeholder("x");
        let bytes = h.to_bytes().unwrap();
        let (kind, ptr, child) = arrays(&bytes);
        // x, y, x + y, (x + y)(x + y), P, root
        assert_eq!(kind, [BINARY, SPIN, ADD, MUL, PLACEHOLDER, ADD]);
        assert_eq!(ptr, [0, 0, 0, 2, 4, 4, 6]);
        assert_eq!(child, [0, 1, 2, 2, 3, 4]);
        let r = Reader::parse(&bytes).unwrap();
        // "x" is stored once, for the variable and the placeholder.
        assert_eq!(r.u64s("label_end").unwrap(), [1, 2]);
        let back = Expr::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_string(), h.to_string());
        let prod = &back.0.children[0];
        assert!(Arc::ptr_eq(&prod.0.children[0].0, &prod.0.children[1].0));
    }
}
