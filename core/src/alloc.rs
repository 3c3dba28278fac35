//! Fallible allocation of buffers whose size a caller controls (ARCHITECTURE.md, invariant 1):
//! when the allocator refuses (a memory cap, an address-space limit), the caller gets
//! [`Error::OutOfMemory`] naming the buffer, never an abort.

use crate::{Error, Result};

/// An empty vector with room for `len` elements.
pub(crate) fn with_capacity<T>(what: &'static str, len: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| Error::OutOfMemory {
        what,
        bytes: len.saturating_mul(std::mem::size_of::<T>()),
    })?;
    Ok(v)
}

/// `len` copies of `value`.
pub(crate) fn filled<T: Clone>(what: &'static str, value: T, len: usize) -> Result<Vec<T>> {
    let mut v = with_capacity(what, len)?;
    v.resize(len, value);
    Ok(v)
}

/// Room for `additional` more elements in `v`.
pub(crate) fn reserve<T>(what: &'static str, v: &mut Vec<T>, additional: usize) -> Result<()> {
    v.try_reserve(additional).map_err(|_| Error::OutOfMemory {
        what,
        bytes: v
            .len()
            .saturating_add(additional)
            .saturating_mul(std::mem::size_of::<T>()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_allocations_are_errors() {
        assert_eq!(filled("x", 7u8, 3).unwrap(), vec![7, 7, 7]);
        // More than the address space: refused by the allocator's size check, not an abort.
        let e = with_capacity::<u64>("rows", usize::MAX / 4).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::LimitExceeded);
        assert!(e.to_string().starts_with("could not allocate"), "{e}");
        let mut v = vec![1u32];
        assert!(reserve("v", &mut v, usize::MAX / 2).is_err());
        assert_eq!(v, vec![1]);
    }
}
