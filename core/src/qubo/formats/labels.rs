//! Variable labels of the dimod formats, with Python's equality and ordering.
//!
//! The core indexes variables `0..n`; dimod files may name them with any hashable Python value.
//! Labels travel as JSON values (`int`, `float`, `str`, and tuples written as arrays), one per
//! variable index. Equality and ordering follow Python, because dimod's output depends on them:
//! `1 == 1.0 == True`, tuples compare element by element, and values of different types (`1 <
//! "a"`) cannot be ordered.

use crate::error::ArgumentError;
use crate::qubo::Bqm;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashSet;

/// A model read from a file, with the variable labels the file gives.
///
/// `labels[i]` names variable `i`; `None` means the labels are `0..n` (dimod's "range" labels).
/// Labels are JSON values: integers, floats, strings, and arrays for Python tuples.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledBqm {
    /// The model, over variables `0..n`.
    pub bqm: Bqm,
    /// One label per variable, or `None` for `0..n`.
    pub labels: Option<Vec<Value>>,
}

/// Why a label list is unusable; the caller turns it into an argument or format error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabelProblem {
    pub(crate) index: usize,
    pub(crate) reason: String,
}

/// Checks every label is a value dimod accepts (no `null`, no objects) and that no two are equal
/// under Python equality.
pub(crate) fn check(labels: &[Value]) -> Result<(), LabelProblem> {
    let mut seen = HashSet::with_capacity(labels.len());
    for (index, label) in labels.iter().enumerate() {
        let key = key(label).map_err(|reason| LabelProblem { index, reason })?;
        if !seen.insert(key) {
            return Err(LabelProblem {
                index,
                reason: format!("label {label} repeats an earlier label"),
            });
        }
    }
    Ok(())
}

/// Checks labels given to a writer: one per variable, valid and unique.
pub(crate) fn check_argument(labels: &[Value], bqm: &Bqm) -> Result<(), ArgumentError> {
    crate::error::check::len("labels", bqm.num_variables(), labels.len())?;
    check(labels).map_err(|p| ArgumentError::Invalid {
        argument: "labels",
        reason: format!("element {}: {}", p.index, p.reason),
    })
}

/// Whether `labels[i] == i` for every `i` (Python equality), i.e. dimod's range labels.
pub(crate) fn is_range(labels: &[Value]) -> bool {
    labels
        .iter()
        .enumerate()
        .all(|(i, l)| num(l).is_some_and(|x| x.cmp(&Num::Int(i as i128)) == Ordering::Equal))
}

/// `None` for range labels, else the labels.
pub(crate) fn unless_range(labels: Vec<Value>) -> Option<Vec<Value>> {
    if is_range(&labels) { None } else { Some(labels) }
}

/// The label as dimod's `serialize_variable` writes it: `bool` becomes `int`, inside tuples too.
pub(crate) fn serialized(label: &Value) -> Value {
    match label {
        Value::Bool(b) => Value::from(*b as u8),
        Value::Array(items) => Value::Array(items.iter().map(serialized).collect()),
        other => other.clone(),
    }
}

/// The order `sorted(labels)` gives in Python, as a permutation of indices, when Python can
/// sort them; `None` when some pair of labels cannot be compared (Python raises `TypeError` or
/// may, depending on which pairs its sort happens to compare).
pub(crate) fn python_sorted_order(labels: &[Value]) -> Option<Vec<usize>> {
    let refs: Vec<&Value> = labels.iter().collect();
    if !all_comparable(&refs) {
        return None;
    }
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| py_cmp(&labels[a], &labels[b]).expect("checked comparable"));
    Some(order)
}

/// A number as Python sees it (`bool` is an `int`).
#[derive(Debug, Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn cmp(&self, other: &Num) -> Ordering {
        match (*self, *other) {
            (Num::Int(a), Num::Int(b)) => a.cmp(&b),
            (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
            (Num::Int(a), Num::Float(b)) => cmp_int_float(a, b),
            (Num::Float(a), Num::Int(b)) => cmp_int_float(b, a).reverse(),
        }
    }
}

/// Exact comparison of an integer with a finite float, as Python does (no rounding of `i`).
fn cmp_int_float(i: i128, f: f64) -> Ordering {
    if f >= 1e30 {
        return Ordering::Less;
    }
    if f <= -1e30 {
        return Ordering::Greater;
    }
    let t = f.trunc();
    match i.cmp(&(t as i128)) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - t)).unwrap_or(Ordering::Equal),
        o => o,
    }
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(*b as i128)),
        Value::Number(n) => Some(if let Some(i) = n.as_i64() {
            Num::Int(i.into())
        } else if let Some(u) = n.as_u64() {
            Num::Int(u.into())
        } else {
            Num::Float(n.as_f64().unwrap_or(0.0))
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Num,
    Str,
    Tuple,
    Other,
}

fn class(v: &Value) -> Class {
    match v {
        Value::Bool(_) | Value::Number(_) => Class::Num,
        Value::String(_) => Class::Str,
        Value::Array(_) => Class::Tuple,
        Value::Null | Value::Object(_) => Class::Other,
    }
}

/// A string equal for two labels exactly when Python's `==` holds; errors for values that are
/// not dimod labels.
fn key(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Null => return Err("null (None) is not a valid variable label".into()),
        Value::Object(_) => return Err("an object (dict) is not a hashable variable label".into()),
        Value::String(s) => format!("s{}", serde_json::to_string(s).unwrap_or_default()),
        Value::Array(items) => {
            let parts: Result<Vec<String>, String> = items.iter().map(key).collect();
            format!("[{}]", parts?.join(","))
        }
        _ => match num(v).expect("numbers and bools") {
            Num::Int(i) => format!("i{i}"),
            Num::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => format!("i{}", f as i128),
            Num::Float(f) => format!("f{}", f.to_bits()),
        },
    })
}

fn py_eq(a: &Value, b: &Value) -> bool {
    match (key(a), key(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Python's `a < b` ordering; `None` where Python raises `TypeError`.
fn py_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (class(a), class(b)) {
        (Class::Num, Class::Num) => Some(num(a)?.cmp(&num(b)?)),
        (Class::Str, Class::Str) => Some(a.as_str()?.cmp(b.as_str()?)),
        (Class::Tuple, Class::Tuple) => {
            let (x, y) = (a.as_array()?, b.as_array()?);
            match x.iter().zip(y).find(|(p, q)| !py_eq(p, q)) {
                Some((p, q)) => py_cmp(p, q),
                None => Some(x.len().cmp(&y.len())),
            }
        }
        _ => None,
    }
}

/// Whether every pair of `items` can be ordered by Python. Linear in the total size: tuples are
/// grouped by equal prefixes, and only the distinct elements at the first differing position of
/// two tuples are ever compared.
fn all_comparable(items: &[&Value]) -> bool {
    let Some(first) = items.first() else {
        return true;
    };
    let c = class(first);
    if items.iter().any(|v| class(v) != c) {
        return false;
    }
    match c {
        Class::Num | Class::Str => true,
        Class::Other => items.len() < 2,
        Class::Tuple => {
            let tuples: Vec<&[Value]> = items
                .iter()
                .filter_map(|v| v.as_array().map(Vec::as_slice))
                .collect();
            tuples_comparable(&tuples, 0)
        }
    }
}

fn tuples_comparable(tuples: &[&[Value]], depth: usize) -> bool {
    // Tuples exhausted at `depth` are prefixes of the others here: comparable by length.
    let longer: Vec<&[Value]> = tuples.iter().copied().filter(|t| t.len() > depth).collect();
    if longer.len() < 2 {
        return true;
    }
    // Group by the element at `depth` (Python equality); distinct heads must be comparable.
    let mut groups: Vec<(String, &Value, Vec<&[Value]>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for t in longer {
        let head = &t[depth];
        let Ok(k) = key(head) else {
            // A null or object head: comparable with nothing, and it meets another tuple here.
            return false;
        };
        match index.get(&k) {
            Some(&g) => {
                let group: &mut (String, &Value, Vec<&[Value]>) = &mut groups[g];
                group.2.push(t);
            }
            None => {
                index.insert(k.clone(), groups.len());
                groups.push((k, head, vec![t]));
            }
        }
    }
    let heads: Vec<&Value> = groups.iter().map(|g| g.1).collect();
    all_comparable(&heads) && groups.iter().all(|g| tuples_comparable(&g.2, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vals(v: Value) -> Vec<Value> {
        v.as_array().unwrap().clone()
    }

    #[test]
    fn python_equality_and_uniqueness() {
        assert!(check(&vals(json!([0, 1, "a", [0, 1], 2.5]))).is_ok());
        for dup in [
            json!([1, 1.0]),
            json!([true, 1]),
            json!(["a", "a"]),
            json!([[0, 1.0], [0, 1]]),
        ] {
            let e = check(&vals(dup)).unwrap_err();
            assert_eq!(e.index, 1);
        }
        assert!(
            check(&vals(json!([0, null])))
                .unwrap_err()
                .reason
                .contains("None")
        );
        assert!(
            check(&vals(json!([[{"a": 1}]])))
                .unwrap_err()
                .reason
                .contains("dict")
        );
    }

    #[test]
    fn range_labels() {
        assert!(is_range(&[]));
        assert!(is_range(&vals(json!([0, true, 2.0]))));
        assert!(!is_range(&vals(json!([1, 0]))));
        assert!(!is_range(&vals(json!(["0"]))));
    }

    #[test]
    fn sorting_follows_python() {
        // sorted([2.5, -1, 10**12, 0.5, 7, 1e16]) in CPython.
        let l = vals(json!([2.5, -1, 1000000000000_i64, 0.5, 7, 1e16]));
        assert_eq!(python_sorted_order(&l).unwrap(), vec![1, 3, 0, 4, 2, 5]);
        // sorted([(1, 'a'), (0, 2)]) == [(0, 2), (1, 'a')]: only the first elements are compared.
        let l = vals(json!([[1, "a"], [0, 2]]));
        assert_eq!(python_sorted_order(&l).unwrap(), vec![1, 0]);
        // Integers and floats compare exactly: 2**53 + 1 > 2.0**53.
        let l = vals(json!([9007199254740993_i64, 9007199254740992.0]));
        assert_eq!(python_sorted_order(&l).unwrap(), vec![1, 0]);
        let l = vals(json!([[0], [0, 1], []]));
        assert_eq!(python_sorted_order(&l).unwrap(), vec![2, 0, 1]);
    }

    #[test]
    fn incomparable_labels_are_detected() {
        assert!(python_sorted_order(&vals(json!([1, "a"]))).is_none());
        assert!(python_sorted_order(&vals(json!([[1, "a"], [1, 2]]))).is_none());
        assert!(python_sorted_order(&vals(json!([[1, [2, "x"]], [1, [2, 3]]]))).is_none());
        assert!(python_sorted_order(&vals(json!([[1, [2, "x"]], [1, [3, 3]]]))).is_some());
        assert!(python_sorted_order(&vals(json!(["a"]))).is_some());
    }

    #[test]
    fn bools_serialize_as_ints() {
        assert_eq!(serialized(&json!([true, [false, "x"]])), json!([1, [0, "x"]]));
    }
}
