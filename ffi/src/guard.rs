//! The boundary: every exported body runs inside [`guard`], which catches panics, turns errors
//! into an [`NqStatus`] and records the message in a thread-local slot. Pointer arguments are
//! converted by the helpers below, which null-check, alignment-check and size-check them before
//! any work starts, so a failing call writes no output.

use crate::status::NqStatus;
use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::NonNull;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Why a call failed.
#[derive(Debug)]
pub(crate) enum Failure {
    Null(&'static str),
    Misaligned(&'static str),
    TooLong(&'static str),
    BufferTooSmall {
        argument: &'static str,
        needed: usize,
        got: usize,
    },
    Core(nq::Error),
}

impl From<nq::Error> for Failure {
    fn from(e: nq::Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    fn status(&self) -> NqStatus {
        match self {
            Failure::Null(_) => NqStatus::NQ_NULL_ARGUMENT,
            Failure::Misaligned(_) | Failure::TooLong(_) => NqStatus::NQ_INVALID_ARGUMENT,
            Failure::BufferTooSmall { .. } => NqStatus::NQ_BUFFER_TOO_SMALL,
            Failure::Core(e) => e.kind().into(),
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Null(a) => format!("argument `{a}` is NULL"),
            Failure::Misaligned(a) => format!("argument `{a}` is not aligned for its element type"),
            Failure::TooLong(a) => format!("argument `{a}`: length exceeds the address space"),
            Failure::BufferTooSmall {
                argument,
                needed,
                got,
            } => {
                format!("argument `{argument}`: buffer holds {got} bytes, {needed} required")
            }
            Failure::Core(e) => e.to_string(),
        }
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, Failure>;

fn set_last_error(message: String) {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = message);
}

/// Runs `body`, mapping its error or panic to a status and recording the message.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> NqStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => NqStatus::NQ_OK,
        Ok(Err(failure)) => {
            set_last_error(failure.message());
            failure.status()
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(format!("internal error (panic): {what}"));
            NqStatus::NQ_PANIC
        }
    }
}

/// Copies the message of the last failure on this thread into `buf` (at most `len - 1` bytes,
/// cut at a character boundary, then a NUL) and returns the full message length in bytes, so a
/// caller can size its buffer. `buf` may be NULL when `len` is 0. A successful call does not
/// clear the message. Returns 0 when no call has failed on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_last_error_message(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(|| {
        LAST_ERROR.with(|slot| {
            let msg = slot.borrow();
            if !buf.is_null() && len > 0 {
                let mut n = msg.len().min(len - 1);
                while !msg.is_char_boundary(n) {
                    n -= 1;
                }
                // SAFETY: the caller provides `len` writable bytes at `buf`.
                unsafe {
                    std::ptr::copy_nonoverlapping(msg.as_ptr(), buf.cast::<u8>(), n);
                    *buf.add(n) = 0;
                }
            }
            msg.len()
        })
    })
    .unwrap_or(0)
}

pub(crate) fn checked<T>(p: *const T, argument: &'static str) -> FfiResult<NonNull<T>> {
    let p = NonNull::new(p.cast_mut()).ok_or(Failure::Null(argument))?;
    if !p.as_ptr().is_aligned() {
        return Err(Failure::Misaligned(argument));
    }
    Ok(p)
}

/// A shared reference from a caller pointer.
///
/// # Safety
/// If non-NULL, `p` must point to a live `T` not mutated for the duration of the call.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, argument: &'static str) -> FfiResult<&'a T> {
    // SAFETY: non-null and aligned checked; validity is the caller's contract.
    Ok(unsafe { checked(p, argument)?.as_ref() })
}

/// An exclusive reference from a caller pointer.
///
/// # Safety
/// If non-NULL, `p` must point to a live `T` not aliased for the duration of the call.
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, argument: &'static str) -> FfiResult<&'a mut T> {
    // SAFETY: as for `arg_ref`, plus exclusivity from the caller's contract.
    Ok(unsafe { checked(p, argument)?.as_mut() })
}

fn check_len<T>(len: usize, argument: &'static str) -> FfiResult {
    match len.checked_mul(std::mem::size_of::<T>()) {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(Failure::TooLong(argument)),
    }
}

/// A slice from a (pointer, length) pair; the pointer may be NULL only when `len` is 0.
///
/// # Safety
/// If `len > 0`, `p` must point to `len` initialized `T` not mutated during the call.
pub(crate) unsafe fn arg_slice<'a, T>(p: *const T, len: usize, argument: &'static str) -> FfiResult<&'a [T]> {
    check_len::<T>(len, argument)?;
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-null, aligned, size checked; contents are the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(checked(p, argument)?.as_ptr(), len) })
}

/// A place to write one `T` on success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks `p` now; the write happens later with [`Out::write`].
    pub(crate) fn new(p: *mut T, argument: &'static str) -> FfiResult<Self> {
        checked(p, argument).map(Out)
    }

    pub(crate) fn write(self, value: T) {
        // SAFETY: checked non-null and aligned; the caller provides writable memory for a `T`
        // (possibly uninitialized, so it is written without reading or dropping the old value).
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A place to write `len` values of `T` on success; the pointer may be NULL only when `len` is 0.
pub(crate) struct OutSlice<T> {
    ptr: *mut T,
    len: usize,
}

impl<T: Copy> OutSlice<T> {
    pub(crate) fn new(p: *mut T, len: usize, argument: &'static str) -> FfiResult<Self> {
        check_len::<T>(len, argument)?;
        let ptr = if len == 0 {
            p
        } else {
            checked(p, argument)?.as_ptr()
        };
        Ok(OutSlice { ptr, len })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Copies `values` (exactly `len` of them) out.
    pub(crate) fn write(self, values: &[T]) {
        assert_eq!(values.len(), self.len, "output length checked by the caller");
        if self.len > 0 {
            // SAFETY: `len` writable `T` at `ptr` by the caller's contract; no overlap with our
            // own allocation.
            unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), self.ptr, self.len) }
        }
    }
}

/// Moves `value` to the heap and writes the pointer to `out`: the caller's new handle, released
/// by [`free_boxed`].
pub(crate) fn out_boxed<T>(out: Out<*mut T>, value: T) {
    out.write(Box::into_raw(Box::new(value)));
}

/// Releases a handle created by [`out_boxed`]; NULL is a no-op, and a panic in a destructor is
/// contained.
///
/// # Safety
/// `p` must be NULL or a pointer from [`out_boxed`] of the same type, not yet freed.
pub(crate) unsafe fn free_boxed<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: created by Box::into_raw in `out_boxed`, freed once by the caller's contract.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(p) })));
    }
}

/// Reads one value from a handle into `out` (the body of every `nq_<type>_<property>` getter).
pub(crate) fn read_handle<H, T>(
    handle: *const H,
    argument: &'static str,
    out: *mut T,
    get: impl FnOnce(&H) -> FfiResult<T>,
) -> NqStatus {
    guard(|| {
        // SAFETY: the caller passes a handle from this library (the C contract of every getter).
        let handle = unsafe { arg_ref(handle, argument) }?;
        let out = Out::new(out, "out")?;
        out.write(get(handle)?);
        Ok(())
    })
}

/// Copies serialized `bytes` into the caller's buffer `buf` of `buf_len` bytes and their length
/// into `written`; a buffer too small is `NQ_BUFFER_TOO_SMALL` naming the size needed (nothing
/// written).
pub(crate) fn write_to_buffer(bytes: &[u8], buf: *mut u8, buf_len: usize, written: Out<usize>) -> FfiResult {
    if buf_len < bytes.len() {
        return Err(Failure::BufferTooSmall {
            argument: "buf",
            needed: bytes.len(),
            got: buf_len,
        });
    }
    OutSlice::new(buf, bytes.len(), "buf")?.write(bytes);
    written.write(bytes.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_message() -> String {
        let n = unsafe { nq_last_error_message(std::ptr::null_mut(), 0) };
        let mut buf = vec![0 as c_char; n + 1];
        let m = unsafe { nq_last_error_message(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(m, n);
        let bytes: Vec<u8> = buf[..n].iter().map(|&c| c as u8).collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn panics_become_a_status_and_a_message() {
        let status = guard(|| panic!("boom {}", 7));
        assert_eq!(status, NqStatus::NQ_PANIC);
        assert_eq!(last_message(), "internal error (panic): boom 7");
    }

    #[test]
    fn errors_keep_their_message_until_the_next_failure() {
        assert_eq!(guard(|| Err(Failure::Null("out"))), NqStatus::NQ_NULL_ARGUMENT);
        assert_eq!(guard(|| Ok(())), NqStatus::NQ_OK);
        assert_eq!(last_message(), "argument `out` is NULL");
    }

    #[test]
    fn messages_are_truncated_at_character_boundaries() {
        guard(|| Err(Failure::Null("é")));
        let mut buf = [1 as c_char; 12];
        let full = unsafe { nq_last_error_message(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(full, "argument `é` is NULL".len());
        // 11 bytes fit: "argument `" is 10, 'é' is 2, so the cut falls before it.
        assert_eq!(buf[10], 0);
    }

    #[test]
    fn pointer_checks() {
        assert!(matches!(
            unsafe { arg_ref::<u64>(std::ptr::null(), "x") },
            Err(Failure::Null("x"))
        ));
        let v = [0u64; 2];
        let misaligned = (v.as_ptr() as *const u8).wrapping_add(1) as *const u64;
        assert!(matches!(
            unsafe { arg_ref(misaligned, "x") },
            Err(Failure::Misaligned(_))
        ));
        assert!(
            unsafe { arg_slice::<f64>(std::ptr::null(), 0, "x") }
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            unsafe { arg_slice::<f64>(std::ptr::null(), 3, "x") },
            Err(Failure::Null(_))
        ));
        assert!(matches!(
            unsafe { arg_slice(v.as_ptr(), usize::MAX / 2, "x") },
            Err(Failure::TooLong(_))
        ));
    }
}
