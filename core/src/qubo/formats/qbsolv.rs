//! The qbsolv `.qubo` text format (dwavesystems/qbsolv README), used by the Beasley OR-Library
//! files among others:
//!
//! ```text
//! c a comment line starts with c
//! p qubo 0 <maxNodes> <nNodes> <nLinks>
//! <i> <i> <bias>      nNodes diagonal entries: linear biases
//! <i> <j> <bias>      nLinks couplers, i != j: quadratic biases
//! ```
//!
//! Indices are 0-based and below `maxNodes`; the model is BINARY. The third header field (the
//! "topology", `0` for an unconstrained problem) is read and ignored. qbsolv requires `i < j` for
//! couplers; this reader also accepts `i > j` (the same pair). Repeated entries are summed, as
//! `dimod.BQM.from_qubo` sums `Q[(u, v)]` and `Q[(v, u)]`. The format has no constant term: the
//! writer records a non-zero offset in a comment line `c offset <value>`, which this reader
//! adds back and other readers ignore.

use super::pyjson;
use super::text::{
    check_variables, end_line, numbered_lines, parse_bias, parse_count, parse_error, parse_index, tokens,
};
use crate::Result;
use crate::qubo::{Bqm, MAX_VARIABLES, Vartype};
use std::fmt::Write;

/// Reads a qbsolv `.qubo` file. `maxNodes` is bounded by the input's length (see
/// [`TEXT_VARIABLES_ALLOWANCE`](super::TEXT_VARIABLES_ALLOWANCE)).
///
/// ```
/// use neuroquant::qubo::formats::read_qbsolv;
/// let bqm = read_qbsolv("p qubo 0 3 1 2\n0 0 -1.0\n0 1 2.0\n2 1 0.5\n")?;
/// assert_eq!(bqm.num_variables(), 3);
/// assert_eq!(bqm.energy(&[1i8, 1, 0])?, -1.0 + 2.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_qbsolv(text: &str) -> Result<Bqm> {
    let mut header: Option<(u64, u64, u64, u64)> = None; // (maxNodes, nNodes, nLinks, line)
    let mut offset: Option<f64> = None;
    let mut diagonal: Vec<(u32, f64)> = Vec::new();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    for (line, t) in numbered_lines(text) {
        if t.is_empty() {
            continue;
        }
        if t.starts_with(['c', 'C']) {
            let words: Vec<&str> = t.split_ascii_whitespace().collect();
            if let ["c", "offset", value] = words[..] {
                if offset.is_some() {
                    return Err(parse_error(line, "a second `c offset` line"));
                }
                offset = Some(parse_bias(value, line)?);
            }
            continue;
        }
        if t.starts_with(['p', 'P']) {
            if header.is_some() {
                return Err(parse_error(line, "a second `p` line"));
            }
            let [_, kind, _topology, max_nodes, n_nodes, n_links] =
                tokens::<6>(t, line, "p qubo <topology> <maxNodes> <nNodes> <nLinks>")?;
            if kind != "qubo" {
                return Err(parse_error(line, format!("problem type `{kind}` is not `qubo`")));
            }
            let max_nodes = parse_count(max_nodes, line, "maxNodes", MAX_VARIABLES as u64)?;
            check_variables(max_nodes, || "variables (maxNodes)".into(), text.len(), line)?;
            let n_nodes = parse_count(n_nodes, line, "nNodes", u64::MAX)?;
            let n_links = parse_count(n_links, line, "nLinks", u64::MAX)?;
            // Reserve only what the input can actually hold (an entry takes at least 6 bytes).
            let room = text.len() / 6;
            diagonal.reserve(room.min(n_nodes as usize));
            let links = room.min(n_links as usize);
            rows.reserve(links);
            cols.reserve(links);
            biases.reserve(links);
            header = Some((max_nodes, n_nodes, n_links, line));
            continue;
        }
        let Some((max_nodes, n_nodes, n_links, _)) = header else {
            return Err(parse_error(line, "entry before the `p qubo` line"));
        };
        let [i, j, v] = tokens::<3>(t, line, "i j bias")?;
        let (i, j, v) = (
            parse_index(i, line, "index")?,
            parse_index(j, line, "index")?,
            parse_bias(v, line)?,
        );
        let top = i.max(j) as u64;
        if top >= max_nodes {
            return Err(parse_error(
                line,
                format!("index {top} is out of range, the header declares {max_nodes} variables"),
            ));
        }
        if i == j {
            if diagonal.len() as u64 == n_nodes {
                return Err(parse_error(
                    line,
                    format!("more than the {n_nodes} diagonal entries the header declares"),
                ));
            }
            diagonal.push((i, v));
        } else {
            if rows.len() as u64 == n_links {
                return Err(parse_error(
                    line,
                    format!("more than the {n_links} couplers the header declares"),
                ));
            }
            rows.push(i);
            cols.push(j);
            biases.push(v);
        }
    }
    let Some((max_nodes, n_nodes, n_links, _)) = header else {
        return Err(parse_error(end_line(text), "no `p qubo` line"));
    };
    let end = end_line(text);
    if (diagonal.len() as u64) < n_nodes {
        return Err(parse_error(
            end,
            format!(
                "the header declares {n_nodes} diagonal entries, the file holds {}",
                diagonal.len()
            ),
        ));
    }
    if (rows.len() as u64) < n_links {
        return Err(parse_error(
            end,
            format!(
                "the header declares {n_links} couplers, the file holds {}",
                rows.len()
            ),
        ));
    }

    let mut bqm = Bqm::with_variables(Vartype::Binary, max_nodes as usize)?;
    let mut linear = vec![0.0; max_nodes as usize];
    for &(v, b) in &diagonal {
        linear[v as usize] += b;
    }
    bqm.add_linear_from(&linear)?;
    if let Some(o) = offset {
        bqm.set_offset(o)?;
    }
    bqm.add_quadratic_from(&rows, &cols, &biases)?;
    Ok(bqm)
}

/// Writes a model as a qbsolv `.qubo` file: the header, a `c offset` comment when the offset is
/// not zero, the non-zero linear biases as diagonal entries, then every stored pair `i < j` in
/// increasing order (zero biases included, so the pair count round-trips). A SPIN model is
/// written as its BINARY equivalent (same energies). Numbers are written as Python's `repr`
/// writes them, so every bias round-trips exactly.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::{read_qbsolv, write_qbsolv}};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
/// bqm.add_linear(1, 3.0)?;
/// bqm.add_quadratic(0, 1, -1.5)?;
/// let text = write_qbsolv(&bqm)?;
/// assert_eq!(text, "p qubo 0 2 1 1\n1 1 3.0\n0 1 -1.5\n");
/// assert_eq!(read_qbsolv(&text)?, bqm);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn write_qbsolv(bqm: &Bqm) -> Result<String> {
    let converted;
    let bqm = match bqm.vartype() {
        Vartype::Binary => bqm,
        Vartype::Spin => {
            let mut b = bqm.clone();
            b.change_vartype(Vartype::Binary)?;
            converted = b;
            &converted
        }
    };
    let nodes = bqm.linear().iter().filter(|b| **b != 0.0).count();
    let mut out = String::with_capacity(32 * (nodes + bqm.num_interactions()) + 64);
    let _ = writeln!(
        out,
        "p qubo 0 {} {nodes} {}",
        bqm.num_variables(),
        bqm.num_interactions()
    );
    if bqm.offset() != 0.0 {
        out.push_str("c offset ");
        pyjson::write_float(&mut out, bqm.offset());
        out.push('\n');
    }
    for (v, &b) in bqm.linear().iter().enumerate() {
        if b != 0.0 {
            let _ = write!(out, "{v} {v} ");
            pyjson::write_float(&mut out, b);
            out.push('\n');
        }
    }
    for (u, v, b) in bqm.iter_quadratic() {
        let _ = write!(out, "{u} {v} ");
        pyjson::write_float(&mut out, b);
        out.push('\n');
    }
    Ok(out)
}
