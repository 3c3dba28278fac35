//! Reading the `"expr"` container kind (layout in `serialize.rs`): every count, index, code,
//! label and condition is validated before use, children must precede their parents (so the
//! graph is acyclic and one forward pass builds it, whatever its depth), and every error in the
//! file names the byte offset of the offending element. Memory stays proportional to the input:
//! counts are checked against the arrays actually present before anything is built from them.

use super::ExprError;
use super::condition::{Condition, CustomCondition};
use super::node::{Expr, Kind};
use super::serialize::{
    ADD, AT_LEAST, AT_MOST, BINARY, CONSTRAINT, CUSTOM, EQUAL, KIND, KIND_VERSION, MAX_NODES, MUL, Meta, NUM,
    PENALIZED, PLACEHOLDER, POW, SPIN, SUBH,
};
use crate::Result;
use crate::error::check;
use crate::format::{FormatError, Reader};
use crate::qubo::Vartype;
use std::sync::Arc;

/// The expression in `bytes`; `custom` are the payloads of its custom conditions, in order
/// (a missing one is reported with its constraint's label, surplus ones as a length mismatch).
pub(super) fn read(bytes: &[u8], custom: &[CustomCondition]) -> Result<Expr> {
    let r = Reader::parse(bytes)?;
    r.expect_kind(KIND, KIND_VERSION)?;
    let meta: Meta = r.meta()?;
    let corrupt = |name: &str, index: usize, reason: String| -> crate::Error {
        FormatError::Corrupt {
            offset: r.offset_of(name, index),
            reason,
        }
        .into()
    };
    // Array lengths are bounded by the data present; the declared counts must match them
    // before anything is allocated from them.
    let kind = r.i8s("node_kind")?;
    let number = r.f64s("node_number")?;
    let integer = r.u64s("node_integer")?;
    let child_ptr = r.u64s("child_ptr")?;
    let child_index = r.u32s("child_index")?;
    let label_end = r.u64s("label_end")?;
    let label_bytes = r.i8s("label_bytes")?;
    let condition_kind = r.i8s("condition_kind")?;
    let condition_value = r.f64s("condition_value")?;
    let condition_atol = r.f64s("condition_atol")?;
    let n = kind.len();
    let lengths = [
        ("node_kind", n as u64, meta.num_nodes),
        ("node_number", number.len() as u64, meta.num_nodes),
        ("node_integer", integer.len() as u64, meta.num_nodes),
        (
            "child_ptr",
            child_ptr.len() as u64,
            meta.num_nodes.saturating_add(1),
        ),
        ("label_end", label_end.len() as u64, meta.num_labels),
        (
            "condition_kind",
            condition_kind.len() as u64,
            meta.num_constraints,
        ),
        (
            "condition_value",
            condition_value.len() as u64,
            meta.num_constraints,
        ),
        (
            "condition_atol",
            condition_atol.len() as u64,
            meta.num_constraints,
        ),
    ];
    for (name, got, declared) in lengths {
        if got != declared {
            return Err(corrupt(
                name,
                0,
                format!("array `{name}` has {got} elements, the header declares {declared}"),
            ));
        }
    }
    if n == 0 || meta.num_nodes > MAX_NODES {
        return Err(corrupt(
            "node_kind",
            0,
            format!("num_nodes is {}, must be in 1..={MAX_NODES}", meta.num_nodes),
        ));
    }
    let customs_in_file = condition_kind.iter().filter(|&&k| k == CUSTOM).count() as u64;
    if customs_in_file != meta.num_custom {
        return Err(corrupt(
            "condition_kind",
            0,
            format!(
                "{customs_in_file} custom conditions, the header declares {}",
                meta.num_custom
            ),
        ));
    }
    let labels = read_labels(&label_end, &label_bytes, &corrupt)?;
    let conditions = read_conditions(&condition_kind, &condition_value, &condition_atol, &corrupt)?;
    if child_ptr[0] != 0 || child_ptr[n] != child_index.len() as u64 {
        return Err(corrupt(
            "child_ptr",
            0,
            format!(
                "child_ptr must run from 0 to {} (the length of child_index)",
                child_index.len()
            ),
        ));
    }

    let mut nodes: Vec<Expr> = Vec::with_capacity(n);
    let mut referenced = vec![false; n];
    let mut next_condition = 0usize;
    let mut next_custom = 0usize;
    for i in 0..n {
        let (lo, hi) = (child_ptr[i], child_ptr[i + 1]);
        if lo > hi || hi > child_index.len() as u64 {
            return Err(corrupt(
                "child_ptr",
                i + 1,
                format!(
                    "child_ptr[{}] = {hi} is below child_ptr[{i}] = {lo} or past the end",
                    i + 1
                ),
            ));
        }
        let (lo, hi) = (lo as usize, hi as usize);
        let code = kind[i];
        let (min, max) = match code {
            NUM | BINARY | SPIN | PLACEHOLDER => (0, 0),
            ADD => (2, usize::MAX),
            MUL => (1, usize::MAX),
            POW | SUBH | CONSTRAINT => (1, 1),
            PENALIZED => (2, 2),
            k => return Err(corrupt("node_kind", i, format!("node {i} has unknown kind {k}"))),
        };
        let arity = hi - lo;
        if arity < min || arity > max {
            let allowed = match (min, max) {
                (a, b) if a == b => format!("exactly {a}"),
                (a, _) => format!("at least {a}"),
            };
            return Err(corrupt(
                "child_ptr",
                i,
                format!("node {i} (kind {code}) has {arity} children, must have {allowed}"),
            ));
        }
        let mut children = Vec::with_capacity(arity);
        for (k, &c) in child_index[lo..hi].iter().enumerate() {
            if c as usize >= i {
                return Err(corrupt(
                    "child_index",
                    lo + k,
                    format!("node {i} has child {c}, children must precede their parent"),
                ));
            }
            referenced[c as usize] = true;
            children.push(nodes[c as usize].clone());
        }
        if !matches!(code, NUM | MUL) && number[i] != 0.0 {
            return Err(corrupt(
                "node_number",
                i,
                format!("node {i} (kind {code}) has number {}, must be 0", number[i]),
            ));
        }
        let int = integer[i];
        let label = |what: &str| -> Result<Arc<str>> {
            labels.get(int as usize).cloned().ok_or_else(|| {
                corrupt(
                    "node_integer",
                    i,
                    format!(
                        "node {i} ({what}) has label index {int}, there are {} labels",
                        labels.len()
                    ),
                )
            })
        };
        let node_kind = match code {
            NUM => Kind::Num(number[i]),
            BINARY | SPIN => Kind::Var {
                label: label("variable")?,
                vartype: if code == BINARY {
                    Vartype::Binary
                } else {
                    Vartype::Spin
                },
            },
            PLACEHOLDER => Kind::Placeholder(label("placeholder")?),
            ADD => Kind::Add,
            MUL => Kind::Mul(number[i]),
            POW => Kind::Pow(u32::try_from(int).map_err(|_| {
                corrupt(
                    "node_integer",
                    i,
                    format!("node {i} has exponent {int}, must be at most {}", u32::MAX),
                )
            })?),
            SUBH => Kind::Labelled {
                label: label("sub-Hamiltonian")?,
                condition: None,
            },
            PENALIZED => Kind::Penalized {
                label: label("penalty")?,
            },
            _ => {
                let label = label("constraint")?;
                let Some(c) = conditions.get(next_condition) else {
                    return Err(corrupt(
                        "condition_kind",
                        next_condition,
                        format!(
                            "constraint node {i} has no condition (only {} given)",
                            conditions.len()
                        ),
                    ));
                };
                next_condition += 1;
                let condition = match c {
                    Some(c) => c.clone(),
                    None => {
                        let Some(payload) = custom.get(next_custom) else {
                            return Err(ExprError::MissingCustomCondition {
                                label: label.to_string(),
                                index: next_custom,
                                given: custom.len(),
                            }
                            .into());
                        };
                        next_custom += 1;
                        Condition::Custom(payload.clone())
                    }
                };
                Kind::Labelled {
                    label,
                    condition: Some(condition),
                }
            }
        };
        if !matches!(
            code,
            BINARY | SPIN | PLACEHOLDER | SUBH | CONSTRAINT | POW | PENALIZED
        ) && int != 0
        {
            return Err(corrupt(
                "node_integer",
                i,
                format!("node {i} (kind {code}) has integer {int}, must be 0"),
            ));
        }
        nodes.push(Expr::node(node_kind, children));
    }
    if next_condition != conditions.len() {
        return Err(corrupt(
            "condition_kind",
            next_condition,
            format!(
                "{} conditions for {next_condition} constraint nodes",
                conditions.len()
            ),
        ));
    }
    if let Some(i) = referenced[..n - 1].iter().position(|&r| !r) {
        return Err(corrupt(
            "node_kind",
            i,
            format!("node {i} is not the root and no later node refers to it"),
        ));
    }
    check::len("custom", next_custom, custom.len())?;
    Ok(nodes.pop().expect("n >= 1"))
}

fn read_labels(
    end: &[u64],
    bytes: &[i8],
    corrupt: &impl Fn(&str, usize, String) -> crate::Error,
) -> Result<Vec<Arc<str>>> {
    let mut labels = Vec::with_capacity(end.len());
    let mut start = 0u64;
    for (j, &e) in end.iter().enumerate() {
        if e < start || e > bytes.len() as u64 {
            return Err(corrupt(
                "label_end",
                j,
                format!("label {j} ends at {e}, must be in {start}..={}", bytes.len()),
            ));
        }
        let raw: Vec<u8> = bytes[start as usize..e as usize]
            .iter()
            .map(|&b| b as u8)
            .collect();
        let text = String::from_utf8(raw).map_err(|err| {
            corrupt(
                "label_bytes",
                start as usize + err.utf8_error().valid_up_to(),
                format!("label {j} is not valid UTF-8"),
            )
        })?;
        labels.push(Arc::from(text));
        start = e;
    }
    if start != bytes.len() as u64 {
        return Err(corrupt(
            "label_bytes",
            start as usize,
            format!("{} bytes after the last label", bytes.len() as u64 - start),
        ));
    }
    Ok(labels)
}

/// The standard conditions, validated by their constructors; `None` marks a custom one.
fn read_conditions(
    kind: &[i8],
    value: &[f64],
    atol: &[f64],
    corrupt: &impl Fn(&str, usize, String) -> crate::Error,
) -> Result<Vec<Option<Condition>>> {
    let mut out = Vec::with_capacity(kind.len());
    for (j, &k) in kind.iter().enumerate() {
        let (v, t) = (value[j], atol[j]);
        let made = match k {
            EQUAL => Condition::equal(v, t).map(Some),
            AT_MOST => Condition::at_most(v, t).map(Some),
            AT_LEAST => Condition::at_least(v, t).map(Some),
            CUSTOM if v == 0.0 && t == 0.0 => Ok(None),
            CUSTOM => {
                return Err(corrupt(
                    "condition_value",
                    j,
                    format!("condition {j} is custom, its value and atol must be 0"),
                ));
            }
            k => {
                return Err(corrupt(
                    "condition_kind",
                    j,
                    format!("condition {j} has unknown kind {k}"),
                ));
            }
        };
        out.push(made.map_err(|e| corrupt("condition_value", j, format!("condition {j}: {e}")))?);
    }
    Ok(out)
}
