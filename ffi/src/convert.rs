//! The one conversion module of the C binding: C integer codes ↔ core enums ([`c_enum!`]),
//! parameter structs that can grow without breaking the ABI ([`read_sized`], [`init_sized`]),
//! and C fields → core keywords ([`Fields`]), so that C parameters pass through the same
//! `KeywordArgs::from_keywords` (same defaults, rules and messages) as Python's.

use crate::guard::{Failure, FfiResult, arg_slice, checked};
use nq::ArgumentError;
use nq::params::{Keywords, ToValue, Value};

pub(crate) fn invalid(argument: &'static str, reason: String) -> Failure {
    nq::Error::from(ArgumentError::Invalid { argument, reason }).into()
}

/// A core enum with C integer codes (`NQ_*` constants of a `typedef uint32_t` type).
pub(crate) trait CEnum: Sized + Copy + 'static {
    /// Every `(constant name, code, value)` (read by the header checks).
    #[cfg_attr(not(test), allow(dead_code))]
    const CODES: &'static [(&'static str, u32, Self)];

    /// The value of `code`, or an error naming `argument` and listing the constants.
    fn from_c(argument: &'static str, code: u32) -> FfiResult<Self>;

    /// The code of `self`.
    fn to_c(self) -> u32;
}

/// Maps C constants to the variants of a core enum, both ways: `c_enum!(Core { NQ_A => Core::A, … })`.
/// The constants are declared beside it as `pub const NQ_A: NqType = 0 as NqType;` (so the header
/// shows them typed); `to_c` is an exhaustive match, so a core variant without a constant does
/// not compile.
macro_rules! c_enum {
    ($core:ty { $($constant:ident => $variant:path),+ $(,)? }) => {
        impl $crate::convert::CEnum for $core {
            const CODES: &'static [(&'static str, u32, Self)] =
                &[$( (stringify!($constant), $constant as u32, $variant) ),+];

            fn from_c(argument: &'static str, code: u32) -> $crate::guard::FfiResult<Self> {
                match code {
                    $( c if c == $constant as u32 => Ok($variant), )+
                    other => Err($crate::convert::invalid(
                        argument,
                        format!(
                            "{other} is not one of {}",
                            [$( format!("{} ({})", stringify!($constant), $constant) ),+].join(", ")
                        ),
                    )),
                }
            }

            fn to_c(self) -> u32 {
                match self {
                    $( $variant => $constant as u32, )+
                }
            }
        }
    };
}

pub(crate) use c_enum;

/// A `#[repr(C)]` parameter struct whose first field is `size_t struct_size` (the size the caller
/// compiled against), so fields can be appended in later versions without breaking callers.
///
/// # Safety
/// The implementing type is `#[repr(C)]`, `Copy`, begins with a `usize` `struct_size` field, and
/// every bit pattern of each field is valid (integers, floats, raw pointers, no `bool`/enums).
pub(crate) unsafe trait Versioned: Copy + 'static {
    /// The size of the first published version of the struct (the smallest `struct_size`
    /// accepted).
    const MIN_SIZE: usize;

    /// The library's defaults, with `struct_size` set to the library's size.
    fn defaults() -> Self;
}

/// Reads a caller's parameter struct of any published version: fields the caller's version does
/// not have take the defaults; a newer caller's extra fields must be zero (unset).
///
/// # Safety
/// If non-NULL, `p` must point to `(*p).struct_size` readable bytes.
pub(crate) unsafe fn read_sized<T: Versioned>(p: *const T, argument: &'static str) -> FfiResult<T> {
    let ptr = checked(p, argument)?;
    // SAFETY: checked non-null and aligned; `struct_size` is the first field in every version.
    let size = unsafe { ptr.cast::<usize>().read() };
    let ours = std::mem::size_of::<T>();
    if size < T::MIN_SIZE {
        return Err(invalid(
            "struct_size",
            format!(
                "is {size}, must be at least {} (set it with the *_params_default function)",
                T::MIN_SIZE
            ),
        ));
    }
    let mut value = T::defaults();
    // SAFETY: the caller provides `size` bytes; every bit pattern of T's fields is valid.
    unsafe {
        std::ptr::copy_nonoverlapping(
            ptr.as_ptr().cast::<u8>(),
            (&raw mut value).cast::<u8>(),
            size.min(ours),
        );
    }
    if size > ours {
        // SAFETY: the bytes past our fields are the caller's, `size - ours` of them.
        let extra = unsafe { std::slice::from_raw_parts(ptr.as_ptr().cast::<u8>().add(ours), size - ours) };
        if extra.iter().any(|&b| b != 0) {
            return Err(invalid(
                "struct_size",
                format!(
                    "is {size}: the struct has fields this library (which knows {ours} bytes) does not, \
                     and some are set; use a library at least as new as the header"
                ),
            ));
        }
    }
    Ok(value)
}

/// Writes the defaults into the caller's struct of `size` bytes: the fields the library knows,
/// zeros after them, and `struct_size = size`.
///
/// # Safety
/// If non-NULL, `p` must point to `size` writable bytes.
pub(crate) unsafe fn init_sized<T: Versioned>(p: *mut T, size: usize, argument: &'static str) -> FfiResult {
    let ptr = checked(p.cast_const(), argument)?;
    if size < T::MIN_SIZE {
        return Err(invalid(
            "struct_size",
            format!(
                "is {size}, must be at least {} (pass sizeof the struct)",
                T::MIN_SIZE
            ),
        ));
    }
    let ours = std::mem::size_of::<T>();
    let value = T::defaults();
    // SAFETY: the caller provides `size` writable bytes at `p`.
    unsafe {
        let dst = ptr.as_ptr().cast::<u8>();
        std::ptr::copy_nonoverlapping((&raw const value).cast::<u8>(), dst, size.min(ours));
        if size > ours {
            std::ptr::write_bytes(dst.add(ours), 0, size - ours);
        }
        dst.cast::<usize>().write(size);
    }
    Ok(())
}

/// Keyword arguments collected from C fields.
#[derive(Default)]
pub(crate) struct Fields(pub(crate) Keywords);

impl Fields {
    /// `name = value` unconditionally.
    pub(crate) fn set(&mut self, name: &str, value: impl ToValue) -> FfiResult {
        Ok(self.0.insert(name, value.to_value())?)
    }

    /// `name = value` when `has` is non-zero (else the core default).
    pub(crate) fn opt(&mut self, name: &str, has: u8, value: impl ToValue) -> FfiResult {
        if has != 0 { self.set(name, value) } else { Ok(()) }
    }

    /// `name = value` for a flag.
    pub(crate) fn flag(&mut self, name: &str, value: u8) -> FfiResult {
        self.set(name, value != 0)
    }

    /// `name = <core enum of code>`.
    pub(crate) fn code<E: CEnum + ToValue>(&mut self, name: &'static str, code: u32) -> FfiResult {
        self.set(name, E::from_c(name, code)?)
    }

    /// `name = [values]` when `p` is non-NULL (a non-NULL pointer with length 0 is an empty
    /// list, which the core rejects where a list must not be empty).
    ///
    /// # Safety
    /// If non-NULL, `p` must point to `len` readable values.
    pub(crate) unsafe fn floats(&mut self, name: &'static str, p: *const f64, len: usize) -> FfiResult {
        if p.is_null() {
            if len != 0 {
                return Err(Failure::Null(name));
            }
            return Ok(());
        }
        let values = unsafe { arg_slice(p, len, name) }?;
        Ok(self.0.insert(name, Value::floats(values.to_vec()))?)
    }
}
