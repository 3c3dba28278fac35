//! dimod's `BinaryQuadraticModel.to_serializable()` document (bqm schema 3.0.0, `use_bytes=False`)
//! as JSON text:
//!
//! ```text
//! {"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": false,
//!  "index_type": "int32", "bias_type": "float64", "num_variables": n, "num_interactions": m,
//!  "variable_labels": [...], "variable_type": "SPIN"|"BINARY", "offset": x, "info": {},
//!  "linear_biases": [n], "quadratic_biases": [m], "quadratic_head": [m], "quadratic_tail": [m]}
//! ```
//!
//! dimod sorts the labels when Python can (`to_numpy_vectors(sort_labels=True)`), then writes the
//! pairs with `head < tail` in increasing order. The writer does the same and produces the text
//! `json.dumps(bqm.to_serializable())` produces, byte for byte. For label sets Python cannot sort
//! (e.g. strings mixed with integers) dimod's order is whatever CPython's aborted sort left; the
//! writer then keeps the index order (same model, possibly another array order).

use super::labels::{self, LabelledBqm};
use super::pyjson;
use crate::Result;
use crate::format::FormatError;
use crate::qubo::{Bqm, MAX_VARIABLES, Vartype};
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;

#[derive(Deserialize)]
struct Probe {
    version: Option<SchemaVersion>,
    #[serde(default)]
    use_bytes: Option<Value>,
}

#[derive(Deserialize)]
struct SchemaVersion {
    bqm_schema: String,
}

#[derive(Deserialize)]
struct Document {
    variable_labels: Vec<Value>,
    variable_type: String,
    offset: f64,
    linear_biases: Vec<f64>,
    quadratic_biases: Vec<f64>,
    quadratic_head: Vec<u32>,
    quadratic_tail: Vec<u32>,
    num_variables: Option<u64>,
    num_interactions: Option<u64>,
}

fn json_error(e: serde_json::Error) -> crate::Error {
    FormatError::Parse {
        line: e.line() as u64,
        reason: format!("column {}: {e}", e.column()),
    }
    .into()
}

fn field(name: impl Into<String>, reason: impl Into<String>) -> crate::Error {
    FormatError::InvalidField {
        field: name.into(),
        reason: reason.into(),
    }
    .into()
}

/// Reads a `to_serializable()` document (bqm schema 2.x or 3.x, `use_bytes` false).
///
/// Like `BinaryQuadraticModel.from_serializable`, variable `i` is `variable_labels[i]`, repeated
/// pairs are summed, and a pair `(v, v)` is folded as [`Bqm::add_quadratic`] folds it. Unlike
/// dimod, an index outside `0..num_variables` or a count that contradicts an array length is an
/// error rather than a silently grown model.
///
/// ```
/// use neuroquant::qubo::formats::read_dimod_json;
/// let doc = r#"{"version": {"bqm_schema": "3.0.0"}, "use_bytes": false,
///   "variable_labels": ["a", "b"], "variable_type": "SPIN", "offset": 0.5,
///   "linear_biases": [1.0, 0.0], "quadratic_biases": [-1.0],
///   "quadratic_head": [0], "quadratic_tail": [1]}"#;
/// let read = read_dimod_json(doc)?;
/// assert_eq!(read.labels.unwrap(), vec!["a", "b"]);
/// assert_eq!(read.bqm.energy(&[1i8, 1])?, 0.5 + 1.0 - 1.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_dimod_json(text: &str) -> Result<LabelledBqm> {
    let probe: Probe = serde_json::from_str(text).map_err(json_error)?;
    let Some(version) = probe.version else {
        return Err(field(
            "version",
            "missing (dimod reads only bqm_schema 2.0.0 and later)",
        ));
    };
    let major = version.bqm_schema.split('.').next().unwrap_or("");
    if major != "2" && major != "3" {
        return Err(FormatError::UnsupportedFormatVersion {
            format: "dimod bqm_schema",
            found: version.bqm_schema,
            supported: "versions 2.x and 3.x",
        }
        .into());
    }
    match probe.use_bytes {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            return Err(field(
                "use_bytes",
                "true (byte-encoded arrays) is not JSON and is not supported",
            ));
        }
        Some(other) => return Err(field("use_bytes", format!("{other} is not a boolean"))),
    }
    let doc: Document = serde_json::from_str(text).map_err(json_error)?;

    let vartype: Vartype = doc.variable_type.parse().map_err(|_| {
        field(
            "variable_type",
            format!("{:?} is not SPIN or BINARY", doc.variable_type),
        )
    })?;
    let n = doc.linear_biases.len();
    if n > MAX_VARIABLES {
        return Err(field(
            "linear_biases",
            format!("{n} variables exceed the limit of {MAX_VARIABLES}"),
        ));
    }
    if let Some(declared) = doc.num_variables
        && declared != n as u64
    {
        return Err(field(
            "num_variables",
            format!("{declared} contradicts the {n} linear biases"),
        ));
    }
    if doc.variable_labels.len() != n {
        return Err(field(
            "variable_labels",
            format!("{} labels for {n} variables", doc.variable_labels.len()),
        ));
    }
    labels::check(&doc.variable_labels)
        .map_err(|p| field(format!("variable_labels[{}]", p.index), p.reason))?;
    if !doc.offset.is_finite() {
        return Err(field("offset", "not finite"));
    }
    let m = doc.quadratic_biases.len();
    for (name, len) in [
        ("quadratic_head", doc.quadratic_head.len()),
        ("quadratic_tail", doc.quadratic_tail.len()),
    ] {
        if len != m {
            return Err(field(
                name,
                format!("length {len} differs from the {m} quadratic biases"),
            ));
        }
    }
    if let Some(declared) = doc.num_interactions
        && declared != m as u64
    {
        return Err(field(
            "num_interactions",
            format!("{declared} contradicts the {m} quadratic biases"),
        ));
    }
    for (name, idx) in [
        ("quadratic_head", &doc.quadratic_head),
        ("quadratic_tail", &doc.quadratic_tail),
    ] {
        if let Some(k) = idx.iter().position(|&i| i as usize >= n) {
            return Err(field(
                format!("{name}[{k}]"),
                format!("index {} is out of range, must be < {n}", idx[k]),
            ));
        }
    }
    let mut bqm = Bqm::with_variables(vartype, n)?;
    bqm.add_linear_from(&doc.linear_biases)?;
    // The offset first: SPIN self-loops fold into it.
    bqm.set_offset(doc.offset)?;
    bqm.add_quadratic_from(&doc.quadratic_head, &doc.quadratic_tail, &doc.quadratic_biases)?;
    Ok(LabelledBqm {
        bqm,
        labels: labels::unless_range(doc.variable_labels),
    })
}

/// Writes the JSON text of `json.dumps(bqm.to_serializable())` for the dimod model with these
/// variables and labels (`None`: labels `0..n`).
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::write_dimod_json};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
/// bqm.add_quadratic(0, 1, 0.5)?;
/// let labels = [serde_json::json!("b"), serde_json::json!("a")];
/// let text = write_dimod_json(&bqm, Some(&labels))?;
/// assert!(text.contains(r#""variable_labels": ["a", "b"]"#));
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn write_dimod_json(bqm: &Bqm, labels: Option<&[Value]>) -> Result<String> {
    let n = bqm.num_variables();
    let ordered: Option<(Vec<usize>, &[Value])> = match labels {
        Some(l) => {
            labels::check_argument(l, bqm)?;
            if labels::is_range(l) {
                None
            } else {
                let order = labels::python_sorted_order(l).unwrap_or_else(|| (0..n).collect());
                Some((order, l))
            }
        }
        None => None,
    };
    // position[v] = where variable v goes in the arrays
    let (linear, mut pairs): (Vec<f64>, Vec<(u32, u32, f64)>) = match &ordered {
        None => (bqm.linear().to_vec(), bqm.iter_quadratic().collect()),
        Some((order, _)) => {
            let mut position = vec![0u32; n];
            for (r, &v) in order.iter().enumerate() {
                position[v] = r as u32;
            }
            let linear = order.iter().map(|&v| bqm.linear()[v]).collect();
            let mut pairs: Vec<(u32, u32, f64)> = bqm
                .iter_quadratic()
                .map(|(u, v, b)| {
                    let (a, c) = (position[u as usize], position[v as usize]);
                    (a.min(c), a.max(c), b)
                })
                .collect();
            pairs.sort_unstable_by_key(|&(a, c, _)| (a, c));
            (linear, pairs)
        }
    };
    pairs.shrink_to_fit();

    let mut out = String::with_capacity(64 + 24 * (n + 3 * pairs.len()));
    out.push_str(r#"{"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": false, "index_type": "int32", "bias_type": "float64", "#);
    let _ = write!(
        out,
        r#""num_variables": {n}, "num_interactions": {}, "variable_labels": "#,
        pairs.len()
    );
    match &ordered {
        None => pyjson::write_list(&mut out, &(0..n).collect::<Vec<_>>(), |o, v| {
            let _ = write!(o, "{v}");
        }),
        Some((order, l)) => pyjson::write_list(&mut out, order, |o, &v| {
            pyjson::write_value(o, &labels::serialized(&l[v]))
        }),
    }
    let _ = write!(
        out,
        r#", "variable_type": "{}", "offset": "#,
        bqm.vartype().name()
    );
    pyjson::write_float(&mut out, bqm.offset());
    out.push_str(r#", "info": {}, "linear_biases": "#);
    pyjson::write_list(&mut out, &linear, |o, &b| pyjson::write_float(o, b));
    out.push_str(r#", "quadratic_biases": "#);
    pyjson::write_list(&mut out, &pairs, |o, p| pyjson::write_float(o, p.2));
    out.push_str(r#", "quadratic_head": "#);
    pyjson::write_list(&mut out, &pairs, |o, p| {
        let _ = write!(o, "{}", p.0);
    });
    out.push_str(r#", "quadratic_tail": "#);
    pyjson::write_list(&mut out, &pairs, |o, p| {
        let _ = write!(o, "{}", p.1);
    });
    out.push('}');
    Ok(out)
}
