//! Run-time CPU feature checks for the kernels with SIMD builds (the anneal row update, the
//! rate encoder, the reservoir product and activation, the quantum right-hand sides). Every such
//! build runs the same operations in the same order as its portable twin, without FMA, so
//! results never depend on the CPU; std caches the detection, so a check is one load.

/// Whether the CPU has AVX2.
#[inline]
pub(crate) fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether the CPU has AVX-512F.
#[inline]
pub(crate) fn avx512f() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
