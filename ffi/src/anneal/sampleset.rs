//! `NqSampleSet`: the rows a sampler returned, read into caller buffers. Functions taking
//! `const NqSampleSet *` may be called concurrently.

use crate::convert::{CEnum, invalid};
use crate::guard::{
    Failure, FfiResult, Out, OutSlice, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::qubo::{NqBqm, NqVartype};
use crate::status::NqStatus;
use nq::anneal::{Column, SampleSet};
use nq::error::check;
use std::ffi::{CStr, c_char};

/// A sample set (opaque): rows (int8, in the model's vartype), energies, occurrence counts,
/// per-row vectors and run information.
pub struct NqSampleSet(pub(crate) SampleSet);

/// Run information of a sample set (see `nq_sampleset_info_json` for everything).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct NqSampleInfo {
    /// The seed used (valid when `has_seed` is 1): passing it back repeats the run exactly.
    pub seed: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_seed: u8,
    /// 1 when the run was stopped early (interrupt or timeout): the rows are the reads done.
    pub interrupted: u8,
    /// [hot, cold] inverse temperatures (valid when `has_beta_range` is 1).
    pub beta_range: [f64; 2],
    /// Non-zero: use the field above; 0: its default.
    pub has_beta_range: u8,
    /// Wall-clock time per phase, in nanoseconds.
    pub preprocessing_ns: u64,
    pub sampling_ns: u64,
    pub postprocessing_ns: u64,
}

fn read<T>(set: *const NqSampleSet, out: *mut T, get: impl FnOnce(&SampleSet) -> FfiResult<T>) -> NqStatus {
    read_handle(set, "sampleset", out, |s| get(&s.0))
}

fn copy_out<T: Copy>(
    set: *const NqSampleSet,
    buf: *mut T,
    len: usize,
    get: impl FnOnce(&SampleSet) -> &[T],
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = OutSlice::new(buf, len, "buf")?;
        let values = get(&set.0);
        nq::error::check::len("buf", values.len(), len).map_err(nq::Error::from)?;
        out.write(values);
        Ok(())
    })
}

/// Frees a sample set. NULL is a no-op.
///
/// # Safety
/// `set` must be NULL or a pointer returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_free(set: *mut NqSampleSet) {
    unsafe { free_boxed(set) }
}

/// Number of rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_num_rows(set: *const NqSampleSet, out: *mut usize) -> NqStatus {
    read(set, out, |s| Ok(s.len()))
}

/// Values per row (the model's number of variables).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_num_variables(set: *const NqSampleSet, out: *mut usize) -> NqStatus {
    read(set, out, |s| Ok(s.num_variables()))
}

/// The vartype of the rows (`NQ_VARTYPE_SPIN` or `NQ_VARTYPE_BINARY`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vartype(set: *const NqSampleSet, out: *mut NqVartype) -> NqStatus {
    read(set, out, |s| Ok(s.vartype().to_c()))
}

/// Copies all rows, row-major, into `buf`; `len` must equal rows × variables.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_samples(set: *const NqSampleSet, buf: *mut i8, len: usize) -> NqStatus {
    copy_out(set, buf, len, |s| s.samples())
}

/// Copies the energies into `buf`; `len` must equal the number of rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_energies(
    set: *const NqSampleSet,
    buf: *mut f64,
    len: usize,
) -> NqStatus {
    copy_out(set, buf, len, |s| s.energies())
}

/// Copies the occurrence counts into `buf`; `len` must equal the number of rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_num_occurrences(
    set: *const NqSampleSet,
    buf: *mut u64,
    len: usize,
) -> NqStatus {
    copy_out(set, buf, len, |s| s.num_occurrences())
}

/// The lowest-energy row (the first on ties): its values into `sample` (`len` = variables) and
/// its energy into `*energy`. Fails with NQ_INDEX_OUT_OF_RANGE on an empty set.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_first(
    set: *const NqSampleSet,
    sample: *mut i8,
    len: usize,
    energy: *mut f64,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = OutSlice::new(sample, len, "sample")?;
        let energy = Out::new(energy, "energy")?;
        let Some((row, e, _)) = set.0.first() else {
            return Err(nq::Error::from(nq::error::check::index("sampleset", 0, 0).unwrap_err()).into());
        };
        nq::error::check::len("sample", row.len(), len).map_err(nq::Error::from)?;
        out.write(row);
        energy.write(e);
        Ok(())
    })
}

unsafe fn column(set: &SampleSet, name: *const c_char) -> FfiResult<&Column> {
    let p = unsafe { arg_ref(name, "name") }?;
    // SAFETY: non-null and checked; NUL termination is the caller's contract.
    let name = unsafe { CStr::from_ptr(p) };
    let name = name
        .to_str()
        .map_err(|_| invalid("name", "is not UTF-8".into()))?;
    set.vectors().get(name).ok_or_else(|| {
        let have: Vec<&String> = set.vectors().keys().collect();
        invalid(
            "name",
            format!("no vector {name:?} in this sample set (it has {have:?})"),
        )
    })
}

/// The element type of a per-row vector (`uint32_t`).
pub type NqVectorType = u32;
/// 64-bit signed integers (`nq_sampleset_vector_i64`).
pub const NQ_VECTOR_I64: NqVectorType = 0 as NqVectorType;
/// 64-bit floats (`nq_sampleset_vector_f64`).
pub const NQ_VECTOR_F64: NqVectorType = 1 as NqVectorType;

/// The name of vector `index` (vectors are listed in name order).
fn vector_name(set: &SampleSet, index: usize) -> FfiResult<&str> {
    let count = set.vectors().len();
    let i = check::index("index", index as i64, count).map_err(nq::Error::from)?;
    Ok(set.vectors().keys().nth(i).expect("index checked").as_str())
}

/// Number of per-row vectors (`num_steps`, `slice`, …).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_num_vectors(set: *const NqSampleSet, out: *mut usize) -> NqStatus {
    read(set, out, |s| Ok(s.vectors().len()))
}

/// The length in bytes of the name of vector `index` (in name order), without its NUL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vector_name_size(
    set: *const NqSampleSet,
    index: usize,
    out: *mut usize,
) -> NqStatus {
    read(set, out, |s| Ok(vector_name(s, index)?.len()))
}

/// Copies the name of vector `index` (in name order) with a terminating NUL into `buf`, which must
/// hold at least `nq_sampleset_vector_name_size + 1` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vector_name(
    set: *const NqSampleSet,
    index: usize,
    buf: *mut c_char,
    len: usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = OutSlice::new(buf.cast::<u8>(), len, "buf")?;
        let name = vector_name(&set.0, index)?;
        if len <= name.len() {
            return Err(Failure::BufferTooSmall {
                argument: "buf",
                needed: name.len() + 1,
                got: len,
            });
        }
        let mut bytes = vec![0u8; len];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        out.write(&bytes);
        Ok(())
    })
}

/// The element type of vector `name` (NUL-terminated): `NQ_VECTOR_I64` or `NQ_VECTOR_F64`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vector_type(
    set: *const NqSampleSet,
    name: *const c_char,
    out: *mut NqVectorType,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = Out::new(out, "out")?;
        out.write(match unsafe { column(&set.0, name) }? {
            Column::I64(_) => NQ_VECTOR_I64,
            Column::F64(_) => NQ_VECTOR_F64,
        });
        Ok(())
    })
}

/// Copies the integer per-row vector `name` (NUL-terminated: `num_steps`, `num_restarts`,
/// `read`, `slice`, …) into `buf`; `len` must equal the number of rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vector_i64(
    set: *const NqSampleSet,
    name: *const c_char,
    buf: *mut i64,
    len: usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = OutSlice::new(buf, len, "buf")?;
        match unsafe { column(&set.0, name) }? {
            Column::I64(v) => {
                nq::error::check::len("buf", v.len(), len).map_err(nq::Error::from)?;
                out.write(v);
                Ok(())
            }
            Column::F64(_) => Err(invalid(
                "name",
                "names a real-valued vector: use nq_sampleset_vector_f64".into(),
            )),
        }
    })
}

/// Copies the real per-row vector `name` (NUL-terminated) into `buf`; `len` must equal the
/// number of rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_vector_f64(
    set: *const NqSampleSet,
    name: *const c_char,
    buf: *mut f64,
    len: usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let out = OutSlice::new(buf, len, "buf")?;
        match unsafe { column(&set.0, name) }? {
            Column::F64(v) => {
                nq::error::check::len("buf", v.len(), len).map_err(nq::Error::from)?;
                out.write(v);
                Ok(())
            }
            Column::I64(_) => Err(invalid(
                "name",
                "names an integer vector: use nq_sampleset_vector_i64".into(),
            )),
        }
    })
}

/// The main run information (seed, interruption, beta range, timing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_info(set: *const NqSampleSet, out: *mut NqSampleInfo) -> NqStatus {
    read(set, out, |s| {
        let i = s.info();
        Ok(NqSampleInfo {
            seed: i.seed.unwrap_or(0),
            has_seed: u8::from(i.seed.is_some()),
            interrupted: u8::from(i.interrupted),
            beta_range: i.beta_range.unwrap_or([0.0, 0.0]),
            has_beta_range: u8::from(i.beta_range.is_some()),
            preprocessing_ns: i.timing.preprocessing_ns,
            sampling_ns: i.timing.sampling_ns,
            postprocessing_ns: i.timing.postprocessing_ns,
        })
    })
}

fn info_json(set: &SampleSet) -> Vec<u8> {
    let mut json = set.info().to_json().into_bytes();
    json.push(0);
    json
}

/// Bytes needed (including the terminating NUL) for `nq_sampleset_info_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_info_json_size(set: *const NqSampleSet, out: *mut usize) -> NqStatus {
    read(set, out, |s| Ok(info_json(s).len()))
}

/// Writes the complete run information as NUL-terminated JSON to `buf` (`len` bytes, at least
/// `nq_sampleset_info_json_size`): `sampler`, `timing`, `seed`, `beta_range`,
/// `beta_schedule_type`, `interrupted` and sampler-specific `extra` entries (for a fallback
/// sampler, `extra.fallback` says which sampler answered and why).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_info_json(
    set: *const NqSampleSet,
    buf: *mut c_char,
    len: usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let json = info_json(&set.0);
        if len < json.len() {
            return Err(Failure::BufferTooSmall {
                argument: "buf",
                needed: json.len(),
                got: len,
            });
        }
        let bytes: Vec<c_char> = json.iter().map(|&b| b as c_char).collect();
        OutSlice::new(buf, bytes.len(), "buf")?.write(&bytes);
        Ok(())
    })
}

/// Size in bytes of the serialized sample set (see `nq_sampleset_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_serialized_size(set: *const NqSampleSet, out: *mut usize) -> NqStatus {
    read(set, out, |s| Ok(s.serialized_len()?))
}

/// Writes the sample set in the neuroquant container format (kind `sampleset`) to `buf`, which
/// must hold at least `nq_sampleset_serialized_size` bytes; `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_to_bytes(
    set: *const NqSampleSet,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let written = Out::new(written, "written")?;
        let bytes = set.0.to_bytes()?;
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads a sample set written by `nq_sampleset_to_bytes` (from any surface), validating it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqSampleSet(SampleSet::from_bytes(bytes)?));
        Ok(())
    })
}

/// Energies of the rows recomputed on `bqm` into `buf` (`len` = rows): a check that a sample
/// set belongs to a model.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampleset_energies_on(
    set: *const NqSampleSet,
    bqm: *const NqBqm,
    buf: *mut f64,
    len: usize,
) -> NqStatus {
    guard(|| {
        let set = unsafe { arg_ref(set, "sampleset") }?;
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = OutSlice::new(buf, len, "buf")?;
        nq::error::check::len("buf", set.0.len(), len).map_err(nq::Error::from)?;
        out.write(&bqm.0.energies_rows(set.0.samples(), len)?);
        Ok(())
    })
}
