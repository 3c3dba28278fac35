//! dimod's COO text format (`dimod.serialization.coo`): an optional `# vartype=SPIN|BINARY`
//! header, then one `i j bias` line per bias, a linear bias written as `i i bias`.
//!
//! Differences from dimod's reader, all on input dimod mishandles: dimod silently skips lines
//! that do not match its pattern (so `0 1 1e-5` is dropped); this reader rejects them with the
//! line number and accepts any finite number syntax. dimod creates only the variables that
//! appear, labelled by their integers; here index `i` is variable `i` and the model has
//! `max index + 1` variables (the ones not listed have zero bias). Like dimod, the format holds
//! no offset: it is dropped when writing.

use super::text::{check_variables, end_line, numbered_lines, parse_bias, parse_error, parse_index, tokens};
use crate::Result;
use crate::error::ArgumentError;
use crate::qubo::{Bqm, Vartype};
use std::fmt::Write;

/// Reads COO text. The vartype comes from a `# vartype=` header line, or from `vartype` when the
/// text has none; when both are present they must agree (as in `dimod.serialization.coo.loads`).
/// Repeated entries are summed. The model has `largest index + 1` variables, bounded by the input's
/// length (see [`TEXT_VARIABLES_ALLOWANCE`](super::TEXT_VARIABLES_ALLOWANCE)).
///
/// ```
/// use neuroquant::qubo::{Vartype, formats::read_coo};
/// let bqm = read_coo("# vartype=SPIN\n0 0 -1.0\n0 2 0.5\n", None)?;
/// assert_eq!((bqm.vartype(), bqm.num_variables()), (Vartype::Spin, 3));
/// assert_eq!(bqm.energy(&[1i8, -1, 1])?, -1.0 + 0.5);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_coo(text: &str, vartype: Option<Vartype>) -> Result<Bqm> {
    let mut header: Option<(Vartype, u64)> = None;
    let mut linear: Vec<(u32, f64)> = Vec::new();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    let mut n = 0usize;
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
        let (i, j, b) = (
            parse_index(i, line, "index")?,
            parse_index(j, line, "index")?,
            parse_bias(b, line)?,
        );
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
    }
    let vartype = match (header, vartype) {
        (Some((h, line)), Some(given)) if h != given => {
            return Err(ArgumentError::Invalid {
                argument: "vartype",
                reason: format!("{given} contradicts the COO text, whose line {line} says vartype={h}"),
            }
            .into());
        }
        (Some((h, _)), _) => h,
        (None, Some(given)) => given,
        (None, None) => {
            return Err(ArgumentError::Invalid {
                argument: "vartype",
                reason: format!(
                    "the COO text has no `# vartype=` header (checked up to line {}): pass the vartype",
                    end_line(text) - 1
                ),
            }
            .into());
        }
    };
    let mut bqm = Bqm::with_variables(vartype, n)?;
    let mut lin = vec![0.0; n];
    for &(v, b) in &linear {
        lin[v as usize] += b;
    }
    bqm.add_linear_from(&lin)?;
    bqm.add_quadratic_from(&rows, &cols, &biases)?;
    Ok(bqm)
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
