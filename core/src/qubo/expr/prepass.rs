//! The first pass over an expression: a pre-order walk (explicit stack) that numbers variables
//! and placeholders in order of first appearance, rejects non-finite numbers, mixed vartypes and
//! duplicate labels, and counts the parents of shared nodes so the expansion can memoize them.

use super::ExprError;
use super::key::FxMap;
use super::node::{Expr, Kind, Node};
use crate::Result;
use crate::error::check;
use crate::qubo::{MAX_VARIABLES, Vartype};
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// Variables and placeholders numbered in order of first appearance.
#[derive(Default)]
pub(crate) struct Registry {
    pub(crate) labels: Vec<Arc<str>>,
    pub(crate) vartypes: Vec<Vartype>,
    pub(crate) spin: Vec<bool>,
    pub(crate) index: FxMap<Arc<str>, u32>,
    pub(crate) placeholders: Vec<Arc<str>>,
    pub(crate) placeholder_index: FxMap<Arc<str>, u32>,
}

/// A node's address: its identity within one compilation.
pub(crate) type Ptr = *const Node;

pub(crate) fn ptr(e: &Expr) -> Ptr {
    Arc::as_ptr(&e.0)
}

pub(crate) struct Prepass<'e> {
    pub(crate) registry: Registry,
    /// Variable or placeholder id of each leaf node (by address: the same node reappears often).
    pub(crate) leaf_ids: FxMap<Ptr, u32>,
    /// Number of parents of each compound node that is referenced more than once anywhere
    /// (a node with a strong count of 1 has exactly one parent, so needs no entry).
    pub(crate) parents: FxMap<Ptr, u32>,
    /// Labelled nodes in order of first appearance.
    pub(crate) labelled: Vec<&'e Expr>,
}

/// Numbers variables and placeholders, checks numbers and labels, counts parents.
pub(crate) fn prepass(root: &Expr) -> Result<Prepass<'_>> {
    let mut pre = Prepass {
        registry: Registry::default(),
        leaf_ids: FxMap::default(),
        parents: FxMap::default(),
        labelled: Vec::new(),
    };
    let mut label_owner: FxMap<Arc<str>, Ptr> = FxMap::default();
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        let node = &*e.0;
        match &node.kind {
            Kind::Num(v) => finite_number(*v)?,
            Kind::Var { label, vartype } => {
                if pre.leaf_ids.contains_key(&ptr(e)) {
                    continue;
                }
                let reg = &mut pre.registry;
                let id = match reg.index.get(label) {
                    Some(&id) => {
                        let first = reg.vartypes[id as usize];
                        if first != *vartype {
                            return Err(ExprError::VartypeConflict {
                                label: label.to_string(),
                                first,
                                second: *vartype,
                            }
                            .into());
                        }
                        id
                    }
                    None => {
                        let id = reg.labels.len();
                        check::at_most("num_variables", id as u64 + 1, MAX_VARIABLES as u64)?;
                        reg.labels.push(label.clone());
                        reg.vartypes.push(*vartype);
                        reg.spin.push(*vartype == Vartype::Spin);
                        reg.index.insert(label.clone(), id as u32);
                        id as u32
                    }
                };
                pre.leaf_ids.insert(ptr(e), id);
            }
            Kind::Placeholder(label) => {
                if pre.leaf_ids.contains_key(&ptr(e)) {
                    continue;
                }
                let reg = &mut pre.registry;
                let next = reg.placeholders.len() as u32;
                let id = *reg.placeholder_index.entry(label.clone()).or_insert(next);
                if id == next {
                    reg.placeholders.push(label.clone());
                }
                pre.leaf_ids.insert(ptr(e), id);
            }
            kind => {
                if let Kind::Mul(scale) = kind {
                    finite_number(*scale)?;
                }
                if Arc::strong_count(&e.0) > 1 {
                    match pre.parents.entry(ptr(e)) {
                        Entry::Occupied(mut o) => {
                            *o.get_mut() += 1;
                            continue;
                        }
                        Entry::Vacant(v) => {
                            v.insert(1);
                        }
                    }
                }
                if let Kind::Labelled { label, .. } = kind {
                    match label_owner.entry(label.clone()) {
                        Entry::Occupied(_) => {
                            return Err(ExprError::DuplicateLabel {
                                label: label.to_string(),
                            }
                            .into());
                        }
                        Entry::Vacant(v) => {
                            v.insert(ptr(e));
                        }
                    }
                    pre.labelled.push(e);
                }
                stack.extend(node.children.iter().rev());
            }
        }
    }
    Ok(pre)
}

fn finite_number(value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ExprError::NonFiniteNumber { value }.into())
    }
}
