//! `NqBqm`: binary quadratic models from C.
//!
//! Variables are indices `0..num_variables`. Functions taking `const NqBqm *` may be called
//! concurrently on one model; functions taking `NqBqm *` need exclusive access.

use crate::convert::{CEnum, c_enum};
use crate::guard::{
    FfiResult, Out, OutSlice, arg_mut, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::status::NqStatus;
use nq::error::check;
use nq::qubo::{Bqm, Vartype};

/// The domain of a model's variables (`uint32_t`).
pub type NqVartype = u32;
/// Variables take values in `{-1, +1}`.
pub const NQ_VARTYPE_SPIN: NqVartype = 0 as NqVartype;
/// Variables take values in `{0, 1}`.
pub const NQ_VARTYPE_BINARY: NqVartype = 1 as NqVartype;

c_enum!(Vartype {
    NQ_VARTYPE_SPIN => Vartype::Spin,
    NQ_VARTYPE_BINARY => Vartype::Binary,
});

/// A binary quadratic model (opaque).
pub struct NqBqm(pub(crate) Bqm);

fn boxed(out: Out<*mut NqBqm>, bqm: Bqm) {
    out_boxed(out, NqBqm(bqm));
}

/// Creates a model with `num_variables` variables, all biases zero. Free it with `nq_bqm_free`.
///
/// `vartype` is `NQ_VARTYPE_SPIN` or `NQ_VARTYPE_BINARY`. On success `*out` receives the model.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_new(
    vartype: NqVartype,
    num_variables: usize,
    out: *mut *mut NqBqm,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        boxed(
            out,
            Bqm::with_variables(Vartype::from_c("vartype", vartype)?, num_variables)?,
        );
        Ok(())
    })
}

/// Frees a model. NULL is a no-op.
///
/// # Safety
/// `bqm` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_free(bqm: *mut NqBqm) {
    unsafe { free_boxed(bqm) }
}

/// Copies a model into a new one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_clone(bqm: *const NqBqm, out: *mut *mut NqBqm) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        boxed(out, bqm.0.clone());
        Ok(())
    })
}

/// Appends `count` variables with zero bias.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_variables(bqm: *mut NqBqm, count: usize) -> NqStatus {
    guard(|| {
        unsafe { arg_mut(bqm, "bqm") }?.0.add_variables(count)?;
        Ok(())
    })
}

fn read<T>(bqm: *const NqBqm, out: *mut T, get: impl FnOnce(&Bqm) -> FfiResult<T>) -> NqStatus {
    read_handle(bqm, "bqm", out, |b| get(&b.0))
}

/// Number of variables.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_num_variables(bqm: *const NqBqm, out: *mut usize) -> NqStatus {
    read(bqm, out, |b| Ok(b.num_variables()))
}

/// Number of interactions (unordered pairs with a stored bias).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_num_interactions(bqm: *const NqBqm, out: *mut usize) -> NqStatus {
    read(bqm, out, |b| Ok(b.num_interactions()))
}

/// The vartype (`NQ_VARTYPE_SPIN` or `NQ_VARTYPE_BINARY`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_vartype(bqm: *const NqBqm, out: *mut NqVartype) -> NqStatus {
    read(bqm, out, |b| Ok(b.vartype().to_c()))
}

/// The constant term.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_offset(bqm: *const NqBqm, out: *mut f64) -> NqStatus {
    read(bqm, out, |b| Ok(b.offset()))
}

/// Linear bias of variable `v`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_get_linear(bqm: *const NqBqm, v: u32, out: *mut f64) -> NqStatus {
    read(bqm, out, |b| Ok(b.get_linear(v)?))
}

/// Bias of the pair (u, v); 0.0 when the pair is not stored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_get_quadratic(bqm: *const NqBqm, u: u32, v: u32, out: *mut f64) -> NqStatus {
    read(bqm, out, |b| Ok(b.quadratic(u, v)?.unwrap_or(0.0)))
}

/// Copies the linear biases (one per variable, in index order) into `buf`; `len` must equal the
/// number of variables.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_linear(bqm: *const NqBqm, buf: *mut f64, len: usize) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = OutSlice::new(buf, len, "buf")?;
        check::len("buf", bqm.0.num_variables(), len).map_err(nq::Error::from)?;
        out.write(bqm.0.linear());
        Ok(())
    })
}

/// Number of interactions of variable `v`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_degree(bqm: *const NqBqm, v: u32, out: *mut usize) -> NqStatus {
    read(bqm, out, |b| Ok(b.degree(v)?))
}

/// Copies the neighbours of `v` (in increasing index order) and the bias of each pair; both
/// lengths must equal `nq_bqm_degree(v)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_neighborhood(
    bqm: *const NqBqm,
    v: u32,
    neighbors: *mut u32,
    neighbors_len: usize,
    biases: *mut f64,
    biases_len: usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out_n = OutSlice::new(neighbors, neighbors_len, "neighbors")?;
        let out_b = OutSlice::new(biases, biases_len, "biases")?;
        let (nbrs, bs) = bqm.0.neighborhood(v)?;
        check::len("neighbors", nbrs.len(), neighbors_len).map_err(nq::Error::from)?;
        check::len("biases", bs.len(), biases_len).map_err(nq::Error::from)?;
        out_n.write(nbrs);
        out_b.write(bs);
        Ok(())
    })
}

/// Copies every stored pair once, as COO arrays of `nq_bqm_num_interactions` values each:
/// `rows[k] < cols[k]`, sorted by (row, col), with the pair's bias in `biases[k]`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_quadratic(
    bqm: *const NqBqm,
    rows: *mut u32,
    rows_len: usize,
    cols: *mut u32,
    cols_len: usize,
    biases: *mut f64,
    biases_len: usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let (out_r, out_c, out_b) = (
            OutSlice::new(rows, rows_len, "rows")?,
            OutSlice::new(cols, cols_len, "cols")?,
            OutSlice::new(biases, biases_len, "biases")?,
        );
        let m = bqm.0.num_interactions();
        check::len("rows", m, rows_len).map_err(nq::Error::from)?;
        check::len("cols", m, cols_len).map_err(nq::Error::from)?;
        check::len("biases", m, biases_len).map_err(nq::Error::from)?;
        let (mut r, mut c, mut b) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        for (u, v, w) in bqm.0.iter_quadratic() {
            r.push(u);
            c.push(v);
            b.push(w);
        }
        out_r.write(&r);
        out_c.write(&c);
        out_b.write(&b);
        Ok(())
    })
}

fn modify(bqm: *mut NqBqm, f: impl FnOnce(&mut Bqm) -> nq::Result<()>) -> NqStatus {
    guard(|| {
        f(&mut unsafe { arg_mut(bqm, "bqm") }?.0)?;
        Ok(())
    })
}

/// Sets the constant term (must be finite).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_set_offset(bqm: *mut NqBqm, offset: f64) -> NqStatus {
    modify(bqm, |b| b.set_offset(offset))
}

/// Adds `bias` (finite) to the linear bias of `v`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_linear(bqm: *mut NqBqm, v: u32, bias: f64) -> NqStatus {
    modify(bqm, |b| b.add_linear(v, bias))
}

/// Adds `biases[v]` to the linear bias of every variable; `len` must equal the number of
/// variables. All or nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_linear_array(
    bqm: *mut NqBqm,
    biases: *const f64,
    len: usize,
) -> NqStatus {
    guard(|| {
        let biases = unsafe { arg_slice(biases, len, "biases") }?;
        unsafe { arg_mut(bqm, "bqm") }?.0.add_linear_from(biases)?;
        Ok(())
    })
}

/// Adds `bias` (finite) to the pair (u, v), creating it if needed. A self-loop (u == v) is folded
/// into the linear bias (BINARY) or the offset (SPIN).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_quadratic(bqm: *mut NqBqm, u: u32, v: u32, bias: f64) -> NqStatus {
    modify(bqm, |b| b.add_quadratic(u, v, bias))
}

/// Adds `biases[k]` to every pair (`rows[k]`, `cols[k]`) (COO triplets; pairs may repeat, in either
/// order). The three arrays must have the same length. All or nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_add_quadratic_coo(
    bqm: *mut NqBqm,
    rows: *const u32,
    rows_len: usize,
    cols: *const u32,
    cols_len: usize,
    biases: *const f64,
    biases_len: usize,
) -> NqStatus {
    guard(|| {
        let rows = unsafe { arg_slice(rows, rows_len, "rows") }?;
        let cols = unsafe { arg_slice(cols, cols_len, "cols") }?;
        let biases = unsafe { arg_slice(biases, biases_len, "biases") }?;
        unsafe { arg_mut(bqm, "bqm") }?
            .0
            .add_quadratic_from(rows, cols, biases)?;
        Ok(())
    })
}

/// Converts the model in place to `vartype`, keeping every energy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_change_vartype(bqm: *mut NqBqm, vartype: NqVartype) -> NqStatus {
    guard(|| {
        let vt = Vartype::from_c("vartype", vartype)?;
        unsafe { arg_mut(bqm, "bqm") }?.0.change_vartype(vt)?;
        Ok(())
    })
}

/// Energy of one sample: `sample_len` must equal the number of variables; values in the vartype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_energy(
    bqm: *const NqBqm,
    sample: *const i8,
    sample_len: usize,
    out: *mut f64,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let sample = unsafe { arg_slice(sample, sample_len, "sample") }?;
        let out = Out::new(out, "out")?;
        out.write(bqm.0.energy(sample)?);
        Ok(())
    })
}

/// Energies of `energies_len` samples stored row-major in `samples` (`samples_len` must equal
/// `energies_len × num_variables`, else NQ_DIMENSION_MISMATCH, checked before anything is
/// allocated), written to `energies`. Large batches use all cores.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_energies(
    bqm: *const NqBqm,
    samples: *const i8,
    samples_len: usize,
    energies: *mut f64,
    energies_len: usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let samples = unsafe { arg_slice(samples, samples_len, "samples") }?;
        let out = OutSlice::new(energies, energies_len, "energies")?;
        let values = bqm.0.energies_rows(samples, out.len())?;
        out.write(&values);
        Ok(())
    })
}

/// Size in bytes of the model's serialized form (see `nq_bqm_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_serialized_size(bqm: *const NqBqm, out: *mut usize) -> NqStatus {
    read(bqm, out, |b| Ok(b.serialized_len()))
}

/// Writes the model in the neuroquant container format (documented in ARCHITECTURE.md) to `buf`,
/// which must hold at least `nq_bqm_serialized_size` bytes; `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_to_bytes(
    bqm: *const NqBqm,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let written = Out::new(written, "written")?;
        let bytes = bqm.0.to_bytes();
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads a model written by `nq_bqm_to_bytes` (from any surface), validating every field.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bqm_from_bytes(buf: *const u8, len: usize, out: *mut *mut NqBqm) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        boxed(out, Bqm::from_bytes(bytes)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claimed `energies_len` far beyond the samples is a dimension mismatch found before
    /// anything is allocated (it used to allocate `energies_len` doubles first and abort); the
    /// output is not touched.
    #[test]
    fn energies_check_the_shape_before_allocating() {
        let mut bqm = std::ptr::null_mut();
        assert_eq!(
            unsafe { nq_bqm_new(NQ_VARTYPE_SPIN, 3, &mut bqm) },
            NqStatus::NQ_OK
        );
        let samples = [1i8, -1, 1];
        let mut out = [7.0f64];
        for claimed in [1usize << 59, isize::MAX as usize / 8] {
            let status = unsafe { nq_bqm_energies(bqm, samples.as_ptr(), 3, out.as_mut_ptr(), claimed) };
            assert_eq!(status, NqStatus::NQ_DIMENSION_MISMATCH);
        }
        assert_eq!(out, [7.0]);
        assert_eq!(
            unsafe { nq_bqm_energies(bqm, samples.as_ptr(), 3, out.as_mut_ptr(), 1) },
            NqStatus::NQ_OK
        );
        assert_eq!(out, [0.0]); // all biases zero
        unsafe { nq_bqm_free(bqm) };
        out = [7.0];
        // Without variables every row is empty, so any count matches: the energies (2^62 bytes
        // here) are then allocated fallibly and refused with NQ_LIMIT_EXCEEDED.
        let mut empty = std::ptr::null_mut();
        assert_eq!(
            unsafe { nq_bqm_new(NQ_VARTYPE_SPIN, 0, &mut empty) },
            NqStatus::NQ_OK
        );
        let status = unsafe { nq_bqm_energies(empty, std::ptr::null(), 0, out.as_mut_ptr(), 1 << 59) };
        assert_eq!(status, NqStatus::NQ_LIMIT_EXCEEDED);
        assert_eq!(out, [7.0]);
        unsafe { nq_bqm_free(empty) };
    }
}
