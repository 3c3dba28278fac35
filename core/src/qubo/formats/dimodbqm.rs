//! dimod's binary BQM file (`BinaryQuadraticModel.to_file()` / `from_file()`), the format the
//! Leap hybrid solvers ingest. Layout of version 2.0 (dimod's default), all little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | `b"DIMODBQM"` |
//! | 8, 9 | major, minor version (2, 0) |
//! | 10..14 | header length `H`, u32 |
//! | 14..14+H | `json.dumps(header, sort_keys=True)` + `"\n"`, space padded so `14 + H` is a multiple of 64 |
//! | | offset (`dtype`) |
//! | | per variable: neighbourhood start (`ntype`), linear bias (`dtype`), packed |
//! | | per variable: its sorted neighbourhood as packed (neighbour (`itype`), bias (`dtype`)) pairs |
//! | | if `variables` is true: `b"VARS"`, u32 length `L`, `json.dumps(labels)` space padded so `8 + L` is a multiple of 64 |
//!
//! The header is `{"dtype", "itype", "ntype", "shape": [n, m], "type", "variables", "vartype"}`.
//! dimod 0.12 writes `float64` or `float32` biases (`Float32BQM`) and `int32` indices; version 1.0
//! (`to_file(version=1)`) puts the label list in the header's `variables` instead of a `VARS`
//! section. The reader accepts versions 1.x and 2.x, float32/float64 biases and 8- to 64-bit
//! integer index types; the writer produces version 2.0, float64, int32, exactly as dimod does.

use super::labels::{self, LabelledBqm};
use super::pyjson;
use crate::Result;
use crate::error::{Error, check};
use crate::format::FormatError;
use crate::qubo::{Bqm, MAX_VARIABLES, Vartype};
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;

/// The magic bytes that open a DIMODBQM file.
pub const DIMODBQM_MAGIC: &[u8; 8] = b"DIMODBQM";
const PREAMBLE: usize = 14;
const ALIGN: usize = 64;
const VARS_MAGIC: &[u8; 4] = b"VARS";

/// Writes the model as `dimod.BinaryQuadraticModel.to_file()` does for the same model (float64
/// biases, labels `labels` or `0..n` when `None`): the same bytes, header padding and `VARS`
/// section included.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::{read_dimodbqm, write_dimodbqm}};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// bqm.add_quadratic(0, 1, -1.0)?;
/// let bytes = write_dimodbqm(&bqm, None)?;
/// assert_eq!(&bytes[..10], b"DIMODBQM\x02\x00");
/// assert_eq!(read_dimodbqm(&bytes)?.bqm, bqm);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn write_dimodbqm(bqm: &Bqm, labels: Option<&[Value]>) -> Result<Vec<u8>> {
    let (n, m) = (bqm.num_variables(), bqm.num_interactions());
    if let Some(l) = labels {
        labels::check_argument(l, bqm)?;
    }
    // Neighbourhood starts are int32 in dimod's files.
    check::at_most(
        "bqm.num_interactions (x2, int32 neighbourhood starts)",
        2 * m as u64,
        i32::MAX as u64,
    )?;
    let labelled = labels.filter(|l| !labels::is_range(l));

    let mut header = String::with_capacity(192);
    let _ = write!(
        header,
        r#"{{"dtype": "float64", "itype": "int32", "ntype": "int32", "shape": [{n}, {m}], "type": "BinaryQuadraticModel", "variables": {}, "vartype": "{}"}}"#,
        labelled.is_some(),
        bqm.vartype().name()
    );
    header.push('\n');
    let padded = (PREAMBLE + header.len()).next_multiple_of(ALIGN) - PREAMBLE;
    let vars = labelled.map(|l| {
        let mut s = String::new();
        pyjson::write_list(&mut s, l, |o, v| pyjson::write_value(o, &labels::serialized(v)));
        let len = (8 + s.len()).next_multiple_of(ALIGN) - 8;
        (s, len)
    });
    let total = PREAMBLE + padded + 8 + 12 * n + 24 * m + vars.as_ref().map_or(0, |v| 8 + v.1);
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| Error::OutOfMemory {
        what: "a DIMODBQM file",
        bytes: total,
    })?;
    out.extend_from_slice(DIMODBQM_MAGIC);
    out.extend_from_slice(&[2, 0]);
    out.extend_from_slice(&(padded as u32).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.resize(PREAMBLE + padded, b' ');
    out.extend_from_slice(&bqm.offset().to_le_bytes());
    let mut start = 0i32;
    for (v, &a) in bqm.linear().iter().enumerate() {
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&a.to_le_bytes());
        start += bqm.adj[v].nbrs.len() as i32;
    }
    // The neighbourhoods, 12-byte records written in place (the bulk of the file).
    let records = out.len();
    out.resize(records + 24 * m, 0);
    let mut slots = out[records..].chunks_exact_mut(12);
    for nb in &bqm.adj {
        for ((&u, &b), slot) in nb.nbrs.iter().zip(&nb.biases).zip(&mut slots) {
            slot[..4].copy_from_slice(&(u as i32).to_le_bytes());
            slot[4..].copy_from_slice(&b.to_le_bytes());
        }
    }
    if let Some((json, len)) = vars {
        out.extend_from_slice(VARS_MAGIC);
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(json.as_bytes());
        out.resize(total, b' ');
    }
    debug_assert_eq!(out.len(), total);
    Ok(out)
}

#[derive(Deserialize)]
struct Header {
    dtype: String,
    itype: String,
    ntype: String,
    shape: (u64, u64),
    vartype: String,
    variables: Value,
}

/// An integer type of the file: size in bytes and signedness.
#[derive(Clone, Copy)]
struct IntType(usize, bool);

fn int_type(name: &str) -> Option<IntType> {
    Some(match name {
        "int8" => IntType(1, true),
        "int16" => IntType(2, true),
        "int32" => IntType(4, true),
        "int64" => IntType(8, true),
        "uint8" => IntType(1, false),
        "uint16" => IntType(2, false),
        "uint32" => IntType(4, false),
        "uint64" => IntType(8, false),
        _ => return None,
    })
}

impl IntType {
    fn read(self, b: &[u8]) -> i128 {
        let mut raw = [0u8; 8];
        raw[..self.0].copy_from_slice(&b[..self.0]);
        let u = u64::from_le_bytes(raw);
        if self.1 {
            let shift = 64 - 8 * self.0 as u32;
            (((u << shift) as i64) >> shift) as i128
        } else {
            u as i128
        }
    }
}

/// Reads bytes in order, reporting truncation with the offset.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], FormatError> {
        match self.pos.checked_add(len) {
            Some(end) if end <= self.bytes.len() => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            end => Err(FormatError::Truncated {
                offset: self.bytes.len() as u64,
                needed: end.map_or(u64::MAX, |e| e as u64),
            }),
        }
    }
}

fn corrupt(offset: usize, reason: impl Into<String>) -> Error {
    FormatError::Corrupt {
        offset: offset as u64,
        reason: reason.into(),
    }
    .into()
}

/// Byte offset of a serde_json error inside `text` (which starts at `base`).
fn json_offset(text: &[u8], base: usize, e: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split(|&b| b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    base + line_start + e.column().saturating_sub(1)
}

/// Reads a DIMODBQM file (versions 1.x and 2.x), validating every field: neighbourhoods must be
/// sorted, symmetric (each pair listed in both endpoints with the same bias) and free of
/// self-loops, indices in range, biases finite, labels unique, and nothing may follow the data.
/// Errors name the byte offset.
pub fn read_dimodbqm(bytes: &[u8]) -> Result<LabelledBqm> {
    if bytes.len() < DIMODBQM_MAGIC.len() && DIMODBQM_MAGIC.starts_with(bytes) {
        return Err(FormatError::Truncated {
            offset: bytes.len() as u64,
            needed: PREAMBLE as u64,
        }
        .into());
    }
    if !bytes.starts_with(DIMODBQM_MAGIC) {
        return Err(FormatError::WrongMagic { format: "DIMODBQM" }.into());
    }
    let mut c = Cursor { bytes, pos: 8 };
    let pre = c.take(6)?;
    let (major, minor) = (pre[0], pre[1]);
    if major != 1 && major != 2 {
        return Err(FormatError::UnsupportedFormatVersion {
            format: "DIMODBQM",
            found: format!("{major}.{minor}"),
            supported: "versions 1.x and 2.x",
        }
        .into());
    }
    let hlen = u32::from_le_bytes(pre[2..6].try_into().expect("4 bytes")) as usize;
    let htext = c.take(hlen)?;
    let header: Header = serde_json::from_slice(htext).map_err(|e| {
        corrupt(
            json_offset(htext, PREAMBLE, &e),
            format!("header is not valid: {e}"),
        )
    })?;
    let dsize = match header.dtype.as_str() {
        "float64" => 8,
        "float32" => 4,
        other => return Err(corrupt(PREAMBLE, format!("unsupported bias dtype {other:?}"))),
    };
    let itype = int_type(&header.itype)
        .ok_or_else(|| corrupt(PREAMBLE, format!("unsupported itype {:?}", header.itype)))?;
    let ntype = int_type(&header.ntype)
        .ok_or_else(|| corrupt(PREAMBLE, format!("unsupported ntype {:?}", header.ntype)))?;
    let vartype: Vartype = header.vartype.parse().map_err(|_| {
        corrupt(
            PREAMBLE,
            format!("vartype {:?} is not SPIN or BINARY", header.vartype),
        )
    })?;
    let (n64, m64) = header.shape;
    if n64 > MAX_VARIABLES as u64 {
        return Err(corrupt(
            PREAMBLE,
            format!("{n64} variables exceed the limit of {MAX_VARIABLES}"),
        ));
    }
    if m64 as u128 * 2 > n64 as u128 * n64.saturating_sub(1) as u128 {
        return Err(corrupt(
            PREAMBLE,
            format!("{m64} interactions are more than {n64} variables can have"),
        ));
    }
    // Everything the shape implies must be present before anything is allocated from it.
    let body = PREAMBLE as u128
        + hlen as u128
        + dsize as u128
        + n64 as u128 * (ntype.0 + dsize) as u128
        + 2 * m64 as u128 * (itype.0 + dsize) as u128;
    if body > bytes.len() as u128 {
        return Err(FormatError::Truncated {
            offset: bytes.len() as u64,
            needed: u64::try_from(body).unwrap_or(u64::MAX),
        }
        .into());
    }
    let (n, m) = (n64 as usize, m64 as usize);
    // `what` is only evaluated on error: no allocation per entry.
    let bias = |b: &[u8], at: usize, what: &dyn Fn() -> String| -> Result<f64> {
        let x = if dsize == 8 {
            f64::from_le_bytes(b[..8].try_into().expect("8 bytes"))
        } else {
            f32::from_le_bytes(b[..4].try_into().expect("4 bytes")) as f64
        };
        if x.is_finite() {
            Ok(x)
        } else {
            Err(corrupt(at, format!("{} is not finite", what())))
        }
    };

    let at = c.pos;
    let offset = bias(c.take(dsize)?, at, &|| "the offset".into())?;
    let mut linear = Vec::with_capacity(n);
    let mut starts: Vec<usize> = Vec::with_capacity(n + 1);
    for v in 0..n {
        let at = c.pos;
        let rec = c.take(ntype.0 + dsize)?;
        let s = ntype.read(rec);
        let prev = starts.last().copied().unwrap_or(0) as i128;
        if (v == 0 && s != 0) || s < prev || s > 2 * m as i128 {
            return Err(corrupt(
                at,
                format!("neighbourhood start {s} of variable {v} is out of order or out of range"),
            ));
        }
        starts.push(s as usize);
        linear.push(bias(&rec[ntype.0..], at + ntype.0, &|| {
            format!("linear bias of variable {v}")
        })?);
    }
    starts.push(2 * m);

    let mut bqm = Bqm::with_variables(vartype, n)?;
    // cursor[u]: the next entry of u's upper part that a later variable must confirm.
    let mut cursor: Vec<usize> = vec![0; n];
    for v in 0..n {
        let degree = starts[v + 1] - starts[v];
        let nb = &mut bqm.adj[v];
        nb.nbrs.reserve_exact(degree);
        nb.biases.reserve_exact(degree);
        for k in 0..degree {
            let at = c.pos;
            let rec = c.take(itype.0 + dsize)?;
            let u = itype.read(rec);
            if u < 0 || u >= n as i128 || u == v as i128 {
                return Err(corrupt(
                    at,
                    format!("neighbour {u} of variable {v} is out of range or a self-loop"),
                ));
            }
            let u = u as u32;
            if k > 0 && nb.nbrs[k - 1] >= u {
                return Err(corrupt(
                    at,
                    format!("neighbours of variable {v} are not strictly increasing"),
                ));
            }
            let b = bias(&rec[itype.0..], at + itype.0, &|| {
                format!("bias of pair ({v}, {u})")
            })?;
            nb.nbrs.push(u);
            nb.biases.push(b);
        }
        cursor[v] = nb.nbrs.partition_point(|&u| (u as usize) < v);
        // Every lower neighbour u must list v next in its upper part, with the same bias.
        let (lower, rest) = bqm.adj.split_at(v);
        let here = &rest[0];
        for (k, (&u, &b)) in here.nbrs.iter().zip(&here.biases).enumerate().take(cursor[v]) {
            let other = &lower[u as usize];
            let i = cursor[u as usize];
            if other.nbrs.get(i) != Some(&(v as u32)) || other.biases[i].to_bits() != b.to_bits() {
                let at = c.pos - (here.nbrs.len() - k) * (itype.0 + dsize);
                return Err(corrupt(
                    at,
                    format!("pair ({u}, {v}) is not listed identically by both variables"),
                ));
            }
            cursor[u as usize] += 1;
        }
    }
    if let Some(u) = (0..n).find(|&u| cursor[u] != bqm.adj[u].nbrs.len()) {
        return Err(corrupt(
            c.pos,
            format!("variable {u} lists a pair that its neighbour does not"),
        ));
    }
    bqm.linear = linear;
    bqm.offset = offset;
    bqm.num_interactions = m;

    let labels = match (major, &header.variables) {
        (_, Value::Bool(false)) => None,
        (2, Value::Bool(true)) => Some(read_vars(&mut c, n)?),
        (1, Value::Array(list)) => Some(checked_labels(list.clone(), n, PREAMBLE)?),
        (_, other) => {
            return Err(corrupt(
                PREAMBLE,
                format!("header field `variables` is {other}, not valid in version {major}"),
            ));
        }
    };
    if c.pos != bytes.len() {
        return Err(corrupt(
            c.pos,
            format!("{} bytes follow the end of the model", bytes.len() - c.pos),
        ));
    }
    Ok(LabelledBqm {
        bqm,
        labels: labels.and_then(labels::unless_range),
    })
}

fn checked_labels(list: Vec<Value>, n: usize, at: usize) -> Result<Vec<Value>> {
    if list.len() != n {
        return Err(corrupt(at, format!("{} labels for {n} variables", list.len())));
    }
    labels::check(&list).map_err(|p| corrupt(at, format!("label {}: {}", p.index, p.reason)))?;
    Ok(list)
}

fn read_vars(c: &mut Cursor, n: usize) -> Result<Vec<Value>> {
    let at = c.pos;
    if c.take(4)? != VARS_MAGIC {
        return Err(corrupt(at, "expected the `VARS` section"));
    }
    let len = u32::from_le_bytes(c.take(4)?.try_into().expect("4 bytes")) as usize;
    let data_at = c.pos;
    let data = c.take(len)?;
    let list: Vec<Value> = serde_json::from_slice(data).map_err(|e| {
        corrupt(
            json_offset(data, data_at, &e),
            format!("labels are not valid: {e}"),
        )
    })?;
    checked_labels(list, n, data_at)
}
