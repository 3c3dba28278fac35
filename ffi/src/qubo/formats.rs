//! Model files from C: read and write a model in any format of `neuroquant::qubo::formats`, from
//! a file path or a byte buffer, and read rudy / G-set edge lists.
//!
//! Variable labels are not exposed in C: a dimod file with labels other than `0..n` (strings,
//! tuples, …) reads fine but its labels are dropped (variable `i` is the file's `i`-th variable,
//! in the file's order: insertion order for DIMODBQM, sorted-label order for dimod JSON), and
//! models are written with labels `0..n`.

use super::bqm::{NQ_VARTYPE_BINARY, NQ_VARTYPE_SPIN, NqBqm, NqVartype};
use crate::convert::{CEnum, c_enum};
use crate::guard::{Failure, FfiResult, Out, OutSlice, arg_ref, arg_slice, free_boxed, guard, out_boxed};
use crate::status::NqStatus;
use nq::qubo::Vartype;
use nq::qubo::formats::{self, EdgeList, Format};
use std::ffi::{CStr, c_char};
use std::path::PathBuf;

/// A model file format (`uint32_t`).
pub type NqFileFormat = u32;
/// neuroquant's own container (the bytes of `nq_bqm_to_bytes`).
pub const NQ_FILE_NEUROQUANT: NqFileFormat = 0 as NqFileFormat;
/// qbsolv `.qubo` text (BINARY; a SPIN model is written as its BINARY equivalent; the offset is
/// kept in a `c offset` comment line).
pub const NQ_FILE_QBSOLV: NqFileFormat = 1 as NqFileFormat;
/// dimod COO text (`dimod.serialization.coo`), written with its `# vartype=` header. The format
/// holds no offset (dropped when writing) and lists only variables with a bias.
pub const NQ_FILE_COO: NqFileFormat = 2 as NqFileFormat;
/// dimod `to_serializable()` JSON text (bqm schema 3.0.0).
pub const NQ_FILE_DIMOD_JSON: NqFileFormat = 3 as NqFileFormat;
/// dimod's binary file (`BinaryQuadraticModel.to_file()`, DIMODBQM version 2), byte-identical to
/// dimod's for the same model.
pub const NQ_FILE_DIMODBQM: NqFileFormat = 4 as NqFileFormat;
/// "No vartype given", for readers: the file states its vartype (only COO text without a
/// `# vartype=` header needs `NQ_VARTYPE_SPIN` or `NQ_VARTYPE_BINARY`).
pub const NQ_VARTYPE_NONE: NqVartype = 0xFFFF_FFFF as NqVartype;

c_enum!(Format {
    NQ_FILE_NEUROQUANT => Format::Neuroquant,
    NQ_FILE_QBSOLV => Format::Qbsolv,
    NQ_FILE_COO => Format::Coo,
    NQ_FILE_DIMOD_JSON => Format::DimodJson,
    NQ_FILE_DIMODBQM => Format::DimodBqm,
});

/// A vartype, or `NQ_VARTYPE_NONE` for "the file says".
#[derive(Clone, Copy)]
enum VartypeHint {
    Spin,
    Binary,
    None,
}

c_enum!(VartypeHint {
    NQ_VARTYPE_SPIN => VartypeHint::Spin,
    NQ_VARTYPE_BINARY => VartypeHint::Binary,
    NQ_VARTYPE_NONE => VartypeHint::None,
});

fn parse_format(code: NqFileFormat) -> FfiResult<Format> {
    Format::from_c("format", code)
}

fn parse_vartype_hint(code: NqVartype) -> FfiResult<Option<Vartype>> {
    Ok(match VartypeHint::from_c("vartype", code)? {
        VartypeHint::Spin => Some(Vartype::Spin),
        VartypeHint::Binary => Some(Vartype::Binary),
        VartypeHint::None => None,
    })
}

/// A path from a NUL-terminated C string (bytes on Unix, UTF-8 elsewhere).
///
/// # Safety
/// If non-NULL, `p` must point to a NUL-terminated string valid for the call.
unsafe fn arg_path(p: *const c_char, argument: &'static str) -> FfiResult<PathBuf> {
    if p.is_null() {
        return Err(Failure::Null(argument));
    }
    // SAFETY: non-NULL, NUL-terminated by the caller's contract.
    let s = unsafe { CStr::from_ptr(p) };
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(s.to_bytes())))
    }
    #[cfg(not(unix))]
    {
        s.to_str()
            .map(PathBuf::from)
            .map_err(|_| crate::convert::invalid(argument, "the path is not valid UTF-8".into()))
    }
}

fn boxed_bqm(out: Out<*mut NqBqm>, read: formats::LabelledBqm) {
    out_boxed(out, NqBqm(read.bqm));
}

/// Reads a model file in `format` (an `NQ_FILE_*` constant). `vartype` is `NQ_VARTYPE_NONE`, or
/// the vartype the file must hold (required for COO text without a `# vartype=` header). On
/// success `*out` receives a new model (free it with `nq_bqm_free`). A file that cannot be read
/// gives `NQ_IO`; a malformed one `NQ_FORMAT`, with the line or byte offset in the message; a
/// text file implying more variables than its length allows (2^20 plus 16 per byte: a header
/// or an index far beyond its entries) `NQ_LIMIT_EXCEEDED`, before anything is allocated.
///
/// Labels are not exposed in C: variables are `0..n`. The labels of a dimod file (strings,
/// tuples, …) are dropped; variable `i` is the file's `i`-th variable (insertion order for
/// DIMODBQM, sorted-label order for dimod JSON).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_read_file(
    path: *const c_char,
    format: NqFileFormat,
    vartype: NqVartype,
    out: *mut *mut NqBqm,
) -> NqStatus {
    guard(|| {
        let path = unsafe { arg_path(path, "path") }?;
        let out = Out::new(out, "out")?;
        let (format, vartype) = (parse_format(format)?, parse_vartype_hint(vartype)?);
        boxed_bqm(out, formats::read_path(path, format, vartype)?);
        Ok(())
    })
}

/// Reads a model from the `len` bytes of a file held in memory; as `nq_bqm_read_file`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_read_buffer(
    buf: *const u8,
    len: usize,
    format: NqFileFormat,
    vartype: NqVartype,
    out: *mut *mut NqBqm,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        let (format, vartype) = (parse_format(format)?, parse_vartype_hint(vartype)?);
        boxed_bqm(out, formats::read(format, bytes, vartype)?);
        Ok(())
    })
}

/// Writes the model to a file (created or replaced) in `format`. Variables are written with the
/// labels `0..n` (C has no labels). Nothing is written when the model cannot be encoded; a file
/// that cannot be written gives `NQ_IO`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_write_file(
    bqm: *const NqBqm,
    path: *const c_char,
    format: NqFileFormat,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let path = unsafe { arg_path(path, "path") }?;
        formats::write_path(path, parse_format(format)?, &bqm.0, None)?;
        Ok(())
    })
}

/// Size in bytes of the model written in `format` (see `nq_bqm_write_buffer`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_formatted_size(
    bqm: *const NqBqm,
    format: NqFileFormat,
    out: *mut usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        out.write(formats::write(parse_format(format)?, &bqm.0, None)?.len());
        Ok(())
    })
}

/// Writes the model in `format` to `buf`, which must hold at least `nq_bqm_formatted_size`
/// bytes (else `NQ_BUFFER_TOO_SMALL` and nothing is written); `*written` receives the size. Text
/// formats are not NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_write_buffer(
    bqm: *const NqBqm,
    format: NqFileFormat,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let written = Out::new(written, "written")?;
        let bytes = formats::write(parse_format(format)?, &bqm.0, None)?;
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// A weighted graph read from a rudy / G-set edge-list file (opaque): nodes `0..num_nodes`,
/// edges `(row, col, weight)` with 0-based nodes, in file order.
pub struct NqEdgeList(EdgeList);

fn boxed_edges(out: Out<*mut NqEdgeList>, list: EdgeList) {
    out_boxed(out, NqEdgeList(list));
}

/// Reads a rudy / G-set edge-list file (`n m`, then `m` lines `i j w` with 1-based nodes). On
/// success `*out` receives a new list (free it with `nq_edge_list_free`). `n` above 2^20 plus
/// 16 per byte of the file gives `NQ_LIMIT_EXCEEDED`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_read_file(path: *const c_char, out: *mut *mut NqEdgeList) -> NqStatus {
    guard(|| {
        let path = unsafe { arg_path(path, "path") }?;
        let out = Out::new(out, "out")?;
        boxed_edges(out, formats::read_edge_list_path(path)?);
        Ok(())
    })
}

/// Reads an edge list from the `len` bytes of a file held in memory; as `nq_edge_list_read_file`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_read_buffer(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqEdgeList,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        boxed_edges(out, formats::read_edge_list_bytes(bytes)?);
        Ok(())
    })
}

/// Frees an edge list. NULL is a no-op.
///
/// # Safety
/// `list` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_free(list: *mut NqEdgeList) {
    unsafe { free_boxed(list) }
}

/// Number of nodes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_num_nodes(list: *const NqEdgeList, out: *mut usize) -> NqStatus {
    guard(|| {
        let list = unsafe { arg_ref(list, "list") }?;
        Out::new(out, "out")?.write(list.0.num_nodes);
        Ok(())
    })
}

/// Number of edges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_num_edges(list: *const NqEdgeList, out: *mut usize) -> NqStatus {
    guard(|| {
        let list = unsafe { arg_ref(list, "list") }?;
        Out::new(out, "out")?.write(list.0.edges.len());
        Ok(())
    })
}

/// Copies the edges out: `rows[k]`, `cols[k]` (0-based nodes) and `weights[k]`; each array's
/// length must equal `nq_edge_list_num_edges`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_edge_list_edges(
    list: *const NqEdgeList,
    rows: *mut u32,
    rows_len: usize,
    cols: *mut u32,
    cols_len: usize,
    weights: *mut f64,
    weights_len: usize,
) -> NqStatus {
    guard(|| {
        let list = unsafe { arg_ref(list, "list") }?;
        let m = list.0.edges.len();
        let rows = OutSlice::new(rows, rows_len, "rows")?;
        let cols = OutSlice::new(cols, cols_len, "cols")?;
        let weights = OutSlice::new(weights, weights_len, "weights")?;
        for (argument, len) in [("rows", rows_len), ("cols", cols_len), ("weights", weights_len)] {
            nq::error::check::len(argument, m, len).map_err(nq::Error::from)?;
        }
        rows.write(&list.0.edges.iter().map(|e| e.0).collect::<Vec<_>>());
        cols.write(&list.0.edges.iter().map(|e| e.1).collect::<Vec<_>>());
        weights.write(&list.0.edges.iter().map(|e| e.2).collect::<Vec<_>>());
        Ok(())
    })
}
