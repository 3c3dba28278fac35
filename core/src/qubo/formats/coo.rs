//! dimod's COO text format (`dimod.serialization.coo`): an optional `# vartype=SPIN|BINARY`
//! header, then one `i j bias` line per bias, a linear bias written as `i i bias`.
//!
//! Two readings of the integers. dimod's ([`read_coo_labelled`], what `neuroquant.qubo` uses):
//! they are labels, the model has one variable per distinct integer in order of first
//! appearance, so `3 10 1.0` and `99 99 2.0` give three variables labelled 3, 10, 99. The index
//! reading ([`read_coo`], for surfaces without labels such as C): integer `i` is variable `i`
//! and the model has `max index + 1` variables (the ones not listed have zero bias).
//!
//! Differences from dimod's reader, all on input dimod mishandles: dimod silently skips lines
//! that do not match its pattern (so `0 1 1e-5` is dropped); these readers reject them with the
//! line number and accept any finite number syntax. Like dimod, the format holds no offset: it is
//! dropped when writing.

use super::labels::LabelledBqm;
use super::text::{
    check_variables, end_line, numbered_lines, parse_bias, parse_count, parse_error, parse_index, tokens,
};
use crate::Result;
use crate::error::ArgumentError;
use crate::qubo::{Bqm, Vartype};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write;

/// Reads COO text with the index reading: integer `i` is variable `i`. The vartype comes from a
/// `# vartype=` header line, or from `vartype` when the text has none; when both are present they
/// must agree (as in `dimod.serialization.coo.loads`). Repeated entries are summed. The model has
/// `largest index + 1` variables, bounded by the input's length (see
/// [`TEXT_VARIABLES_ALLOWANCE`](super::TEXT_VARIABLES_ALLOWANCE)). dimod's reading is
/// [`read_coo_labelled`].
///
/// ```
/// use neuroquant::qubo::{Vartype, formats::read_coo};
/// let bqm = read_coo("# vartype=SPIN\n0 0 -1.0\n0 2 0.5\n", None)?;
/// assert_eq!((bqm.vartype(), bqm.num_variables()), (Vartype::Spin, 3));
/// assert_eq!(bqm.energy(&[1i8, -1, 1])?, -1.0 + 0.5);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_coo(text: &str, vartype: Option<Vartype>) -> Result<Bqm> {
    let mut linear: Vec<(u32, f64)> = Vec::new();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    let mut n = 0usize;
    let vartype = parse(text, vartype, |line, i, j, b| {
        let (i, j) = (parse_index(i, line, "index")?, parse_index(j, line, "index")?);
        let b = parse_bias(b, line)?;
        let top = i.max(j) as usize;
        if top >= n {
            check_variables(
                top as u64 + 1,
                || format!("variables (index {top} + 1)"),
                text.len(),
                line,
            )?;
            n = top + 1;
        }
        if i == j {
            linear.push((i, b));
        } else {
            rows.push(i);
            cols.push(j);
            biases.push(b);
        }
        Ok(())
    })?;
    let mut bqm = Bqm::with_variables(vartype, n)?;
    let mut lin = vec![0.0; n];
    for &(v, b) in &linear {
        lin[v as usize] += b;
    }
    bqm.add_linear_from(&lin)?;
    bqm.add_quadratic_from(&rows, &cols, &biases)?;
    Ok(bqm)
}

/// Reads COO text as `dimod.serialization.coo.loads` does: the integers are labels (any
/// non-negative integer below 2^64), and the model has one variable per distinct label, in order
/// of first appearance (`i` before `j` on a line). `labels` is `None` when they are `0..n` in
/// order. Vartype rules, summing and errors as [`read_coo`].
///
/// ```
/// use neuroquant::qubo::formats::read_coo_labelled;
/// let read = read_coo_labelled("# vartype=BINARY\n10 3 2.0\n99 99 1.5\n", None)?;
/// assert_eq!(read.bqm.num_variables(), 3);
/// assert_eq!(read.labels, Some(vec![10.into(), 3.into(), 99.into()]));
/// assert_eq!(read.bqm.energy(&[1i8, 1, 1])?, 3.5);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_coo_labelled(text: &str, vartype: Option<Vartype>) -> Result<LabelledBqm> {
    let mut index: HashMap<u64, u32> = HashMap::new();
    let mut labels: Vec<u64> = Vec::new();
    let mut linear: Vec<(u32, f64)> = Vec::new();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    let vartype = parse(text, vartype, |line, i, j, b| {
        let mut id = |token: &str| -> Result<u32> {
            let label = parse_count(token, line, "label", u64::MAX)?;
            if let Some(&k) = index.get(&label) {
                return Ok(k);
            }
            // Each new label costs a token of the text, so this never refuses a real file.
            check_variables(
                labels.len() as u64 + 1,
                || "variables (distinct labels)".to_string(),
                text.len(),
                line,
            )?;
            labels.push(label);
            index.insert(label, (labels.len() - 1) as u32);
            Ok((labels.len() - 1) as u32)
        };
        let (i, j) = (id(i)?, id(j)?);
        let b = parse_bias(b, line)?;
        if i == j {
            linear.push((i, b));
        } else {
            rows.push(i);
            cols.push(j);
            biases.push(b);
        }
        Ok(())
    })?;
    let n = labels.len();
    let mut bqm = Bqm::with_variables(vartype, n)?;
    let mut lin = vec![0.0; n];
    for &(v, b) in &linear {
        lin[v as usize] += b;
    }
    bqm.add_linear_from(&lin)?;
    bqm.add_quadratic_from(&rows, &cols, &biases)?;
    let range = labels.iter().enumerate().all(|(k, &l)| l == k as u64);
    Ok(LabelledBqm {
        bqm,
        labels: (!range).then(|| labels.into_iter().map(Value::from).collect()),
    })
}

/// Walks the lines of COO text: checks the `# vartype=` headers, hands each `i j bias` entry
/// (its line number and three tokens) to `entry`, and returns the vartype.
fn parse(
    text: &str,
    vartype: Option<Vartype>,
    mut entry: impl FnMut(u64, &str, &str, &str) -> Result<()>,
) -> Result<Vartype> {
    let mut header: Option<(Vartype, u64)> = None;
    for (line, t) in numbered_lines(text) {
        if t.is_empty() {
            continue;
        }
        if let Some(comment) = t.strip_prefix('#') {
            if let Some(vt) = vartype_header(comment, line)? {
                match header {
                    Some((first, first_line)) if first != vt => {
                        return Err(parse_error(
                            line,
                            format!("vartype {vt} contradicts the vartype {first} on line {first_line}"),
                        ));
                    }
                    Some(_) => {}
                    None => header = Some((vt, line)),
                }
            }
            continue;
        }
        let [i, j, b] = tokens::<3>(t, line, "i j bias")?;
        entry(line, i, j, b)?;
    }
    match (header, vartype) {
        (Some((h, line)), Some(given)) if h != given => Err(ArgumentError::Invalid {
            argument: "vartype",
            reason: format!("{given} contradicts the COO text, whose line {line} says vartype={h}"),
        }
        .into()),
        (Some((h, _)), _) => Ok(h),
        (None, Some(given)) => Ok(given),
        (None, None) => Err(ArgumentError::Invalid {
            argument: "vartype",
            reason: format!(
                "the COO text has no `# vartype=` header (checked up to line {}): pass the vartype",
                end_line(text) - 1
            ),
        }
        .into()),
    }
}

/// The vartype named by a comment line, as dimod's pattern `#.*?vartype[:=][ \t]*(name)` finds it.
fn vartype_header(comment: &str, line: u64) -> Result<Option<Vartype>> {
    for (at, _) in comment.match_indices("vartype") {
        let Some(rest) = comment[at + "vartype".len()..].strip_prefix(['=', ':']) else {
            continue;
        };
        let name: String = rest
            .trim_start_matches([' ', '\t'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        return match name.as_str() {
            "" => continue,
            "SPIN" => Ok(Some(Vartype::Spin)),
            "BINARY" => Ok(Some(Vartype::Binary)),
            _ => Err(parse_error(
                line,
                format!("vartype `{name}` is not SPIN or BINARY"),
            )),
        };
    }
    Ok(None)
}

/// Writes COO text exactly as `dimod.serialization.coo.dumps(bqm, vartype_header)` does: the
/// optional header, then for each variable `u` in order its linear bias (if non-zero) and its
/// pairs `u < v`, as `"%d %d %f"` lines joined by `\n` (no final newline). The offset is not
/// written, nor are variables with zero bias and no pair.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::write_coo};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
/// bqm.add_linear(0, -1.0)?;
/// bqm.add_quadratic(0, 1, 1.0)?;
/// bqm.add_quadratic(1, 2, -4.5)?;
/// assert_eq!(write_coo(&bqm, true), "# vartype=BINARY\n0 0 -1.000000\n0 1 1.000000\n1 2 -4.500000");
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn write_coo(bqm: &Bqm, vartype_header: bool) -> String {
    let mut out = String::with_capacity(24 * (bqm.num_variables() + bqm.num_interactions()) + 16);
    let mut first = true;
    let mut line = |out: &mut String, args: std::fmt::Arguments| {
        if !first {
            out.push('\n');
        }
        first = false;
        let _ = out.write_fmt(args);
    };
    if vartype_header {
        line(&mut out, format_args!("# vartype={}", bqm.vartype().name()));
    }
    for (u, &a) in bqm.linear().iter().enumerate() {
        if a != 0.0 {
            line(&mut out, format_args!("{u} {u} {a:.6}"));
        }
        let (nbrs, bs) = bqm.neighborhood(u as u32).expect("u < num_variables");
        let start = nbrs.partition_point(|&v| v as usize <= u);
        for (v, b) in nbrs[start..].iter().zip(&bs[start..]) {
            line(&mut out, format_args!("{u} {v} {b:.6}"));
        }
    }
    out
}

/// Writes COO text for a model whose variable `i` is labelled `labels[i]` (distinct non-negative
/// integers), as `dimod.serialization.coo.dumps` does for such a model: variables in increasing
/// label order, each with its linear bias (if non-zero) and its pairs with larger labels, in
/// increasing order. With `labels[i] == i` this is [`write_coo`].
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::write_coo_labelled};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
/// bqm.add_linear(0, 1.0)?;
/// bqm.add_quadratic(0, 2, 2.0)?;
/// let text = write_coo_labelled(&bqm, &[10, 3, 99], false)?;
/// assert_eq!(text, "10 10 1.000000\n10 99 2.000000");
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn write_coo_labelled(bqm: &Bqm, labels: &[u64], vartype_header: bool) -> Result<String> {
    let n = bqm.num_variables();
    crate::error::check::len("labels", n, labels.len())?;
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by_key(|&i| labels[i as usize]);
    if let Some(w) = order
        .windows(2)
        .find(|w| labels[w[0] as usize] == labels[w[1] as usize])
    {
        return Err(ArgumentError::Invalid {
            argument: "labels",
            reason: format!("label {} is given twice", labels[w[0] as usize]),
        }
        .into());
    }
    let mut out = String::with_capacity(24 * (n + bqm.num_interactions()) + 16);
    let mut first = true;
    let mut line = |out: &mut String, args: std::fmt::Arguments| {
        if !first {
            out.push('\n');
        }
        first = false;
        let _ = out.write_fmt(args);
    };
    if vartype_header {
        line(&mut out, format_args!("# vartype={}", bqm.vartype().name()));
    }
    let mut pairs: Vec<(u64, f64)> = Vec::new();
    for &u in &order {
        let lu = labels[u as usize];
        let a = bqm.linear()[u as usize];
        if a != 0.0 {
            line(&mut out, format_args!("{lu} {lu} {a:.6}"));
        }
        let (nbrs, bs) = bqm.neighborhood(u).expect("u < num_variables");
        pairs.clear();
        pairs.extend(
            nbrs.iter()
                .zip(bs)
                .map(|(&v, &b)| (labels[v as usize], b))
                .filter(|&(lv, _)| lv > lu),
        );
        pairs.sort_unstable_by_key(|p| p.0);
        for &(lv, b) in &pairs {
            line(&mut out, format_args!("{lu} {lv} {b:.6}"));
        }
    }
    Ok(out)
}
