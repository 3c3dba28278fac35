//! The quantum area from C: Pauli-sum operators (`NqPauliSum`, `NqOperator`), `nq_sesolve` and
//! `nq_mesolve` with versioned `NqSolverOptions` and `NqControl`, QuTiP's metrics and the
//! coherence measures on raw arrays, and Kraus channels.
//!
//! Complex arrays are interleaved `(re, im)` doubles: a ket of dimension `d` is `2d` doubles, a
//! density matrix `2d²` (row-major); lengths are always counted in doubles. Qubit 0 is the most
//! significant tensor factor (`qutip.tensor`'s order).

use crate::control::NqControl;
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, invalid, read_sized};
use crate::guard::{
    FfiResult, Out, OutSlice, arg_mut, arg_ref, arg_slice, free_boxed, guard, out_boxed, read_handle,
};
use crate::status::NqStatus;
use nq::params::KeywordArgs;
use nq::quantum::{
    self as q, C64, Channel, DepolarizingConvention, Hamiltonian, Kuramoto, Method, Operator, PauliSum,
    PhaseState, QState, SolverOptions, Storage,
};
use std::ffi::{CStr, c_char};

/// How an operator stores its matrix (`uint32_t`).
pub type NqStorage = u32;
/// Pauli strings applied as bit flips; only the diagonal is stored.
pub const NQ_STORAGE_MATRIX_FREE: NqStorage = 0 as NqStorage;
/// Compressed sparse rows.
pub const NQ_STORAGE_CSR: NqStorage = 1 as NqStorage;
/// Dense, row-major.
pub const NQ_STORAGE_DENSE: NqStorage = 2 as NqStorage;

c_enum!(Storage {
    NQ_STORAGE_MATRIX_FREE => Storage::MatrixFree,
    NQ_STORAGE_CSR => Storage::Csr,
    NQ_STORAGE_DENSE => Storage::Dense,
});

/// The integration method (`uint32_t`).
pub type NqMethod = u32;
/// Krylov for a time-independent Hamiltonian or Liouvillian, DOP853 otherwise.
pub const NQ_METHOD_AUTO: NqMethod = 0 as NqMethod;
/// Krylov propagation (Lanczos for sesolve, Arnoldi for mesolve) with error control;
/// time-independent generators only.
pub const NQ_METHOD_KRYLOV: NqMethod = 1 as NqMethod;
/// Exact diagonalisation of a dense H, then phases (sesolve, time-independent, dimension
/// at most 4096).
pub const NQ_METHOD_DIAG: NqMethod = 2 as NqMethod;
/// Adaptive Dormand-Prince 8(5,3) (Hairer's DOP853).
pub const NQ_METHOD_DOP853: NqMethod = 3 as NqMethod;
/// Adaptive Tsitouras 5(4).
pub const NQ_METHOD_TSIT5: NqMethod = 4 as NqMethod;

c_enum!(Method {
    NQ_METHOD_AUTO => Method::Auto,
    NQ_METHOD_KRYLOV => Method::Krylov,
    NQ_METHOD_DIAG => Method::Diag,
    NQ_METHOD_DOP853 => Method::Dop853,
    NQ_METHOD_TSIT5 => Method::Tsit5,
});

/// Which depolarizing convention a probability means (`uint32_t`).
pub type NqDepolarizingConvention = u32;
/// `ρ → (1 − p) ρ + p I/2` (Bloch vector × (1 − p)); Kraus √(1−3p/4) I, √(p/4) X, Y, Z.
pub const NQ_DEPOLARIZING_MAXIMALLY_MIXED: NqDepolarizingConvention = 0 as NqDepolarizingConvention;
/// Nielsen–Chuang: `ρ → (1 − p) ρ + (p/3)(XρX + YρY + ZρZ)` (Bloch vector × (1 − 4p/3)).
pub const NQ_DEPOLARIZING_NIELSEN_CHUANG: NqDepolarizingConvention = 1 as NqDepolarizingConvention;

c_enum!(DepolarizingConvention {
    NQ_DEPOLARIZING_MAXIMALLY_MIXED => DepolarizingConvention::MaximallyMixed,
    NQ_DEPOLARIZING_NIELSEN_CHUANG => DepolarizingConvention::NielsenChuang,
});

/// A single-qubit channel kind (`uint32_t`).
pub type NqChannelKind = u32;
/// Phase flip with probability `p`: ρ01 → (1 − 2p) ρ01.
pub const NQ_CHANNEL_DEPHASING: NqChannelKind = 0 as NqChannelKind;
/// Phase damping λ: ρ01 → √(1 − λ) ρ01.
pub const NQ_CHANNEL_PHASE_DAMPING: NqChannelKind = 1 as NqChannelKind;
/// Amplitude damping γ (decay |1⟩ → |0⟩, |0⟩ the ground state).
pub const NQ_CHANNEL_AMPLITUDE_DAMPING: NqChannelKind = 2 as NqChannelKind;
/// Depolarizing with probability `p` in the given convention.
pub const NQ_CHANNEL_DEPOLARIZING: NqChannelKind = 3 as NqChannelKind;

/// A sum of Pauli strings (opaque).
pub struct NqPauliSum(pub(crate) PauliSum);

/// A square complex matrix: matrix-free Pauli strings, CSR or dense (opaque).
pub struct NqOperator(pub(crate) Operator);

/// Options of `nq_sesolve` / `nq_mesolve` (QuTiP's names). Initialise with
/// `nq_solver_options_default(&o, sizeof o)`. A `has_*` flag of 0 leaves the field before it at
/// its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSolverOptions {
    /// `sizeof` the struct as the caller compiled it (set by `nq_solver_options_default`).
    pub struct_size: usize,
    /// Absolute tolerance: of each state component per ODE step, and of the state's
    /// 2-norm per Krylov step.
    pub atol: f64,
    /// Relative tolerance of the ODE methods.
    pub rtol: f64,
    /// Largest number of ODE steps between two output times.
    pub nsteps: usize,
    /// Largest ODE step; 0 means no limit. Set it below half the narrowest pulse of a
    /// time-dependent coefficient.
    pub max_step: f64,
    /// The integration method.
    /// An NQ_METHOD_* constant.
    pub method: NqMethod,
    /// Keep the state at every output time. None: only when no e_ops are given (QuTiP's rule).
    /// In C the states are written when `out_states` is non-NULL.
    pub store_states: u8,
    /// Non-zero: use `store_states`; 0: None.
    pub has_store_states: u8,
    /// Krylov basis size (QuTiP's krylov_dim); memory is (krylov_dim + 1) states.
    pub krylov_dim: usize,
}

// SAFETY: repr(C), Copy, `struct_size` first, plain number fields.
unsafe impl Versioned for NqSolverOptions {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = SolverOptions::default();
        NqSolverOptions {
            struct_size: std::mem::size_of::<Self>(),
            atol: d.atol,
            rtol: d.rtol,
            nsteps: d.nsteps,
            max_step: d.max_step,
            method: d.method.to_c(),
            store_states: u8::from(d.store_states.unwrap_or(false)),
            has_store_states: u8::from(d.store_states.is_some()),
            krylov_dim: d.krylov_dim,
        }
    }
}

impl NqSolverOptions {
    fn to_core(self) -> FfiResult<SolverOptions> {
        let mut f = Fields::default();
        f.set("atol", self.atol)?;
        f.set("rtol", self.rtol)?;
        f.set("nsteps", self.nsteps)?;
        f.set("max_step", self.max_step)?;
        f.code::<Method>("method", self.method)?;
        f.opt("store_states", self.has_store_states, self.store_states != 0)?;
        f.set("krylov_dim", self.krylov_dim)?;
        Ok(SolverOptions::from_keywords("NqSolverOptions", f.0)?)
    }
}

/// Writes the default options into the caller's struct of `struct_size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_solver_options_default(
    options: *mut NqSolverOptions,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(options, struct_size, "options") })
}

unsafe fn options_of(p: *const NqSolverOptions) -> FfiResult<SolverOptions> {
    if p.is_null() {
        return Ok(SolverOptions::default());
    }
    unsafe { read_sized(p, "options") }?.to_core()
}

/// Interleaved `(re, im)` doubles as complex numbers.
unsafe fn complex_in(p: *const f64, len: usize, argument: &'static str) -> FfiResult<Vec<C64>> {
    if !len.is_multiple_of(2) {
        return Err(invalid(
            argument,
            format!("has {len} doubles, must be even (interleaved re, im)"),
        ));
    }
    let s = unsafe { arg_slice(p, len, argument) }?;
    Ok(s.chunks_exact(2).map(|c| C64::new(c[0], c[1])).collect())
}

fn interleave(v: &[C64]) -> Vec<f64> {
    v.iter().flat_map(|c| [c.re, c.im]).collect()
}

unsafe fn text(p: *const c_char, argument: &'static str) -> FfiResult<String> {
    let p = crate::guard::checked(p, argument)?;
    let s = unsafe { CStr::from_ptr(p.as_ptr()) };
    s.to_str()
        .map(str::to_owned)
        .map_err(|_| invalid(argument, "is not valid UTF-8".into()))
}

/// Creates the zero operator on `num_qubits` qubits (1..=62). Free it with `nq_pauli_sum_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_new(num_qubits: usize, out: *mut *mut NqPauliSum) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        out_boxed(out, NqPauliSum(PauliSum::new(num_qubits)?));
        Ok(())
    })
}

/// Frees a Pauli sum. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_free(sum: *mut NqPauliSum) {
    unsafe { free_boxed(sum) }
}

/// Adds `(re + i·im) · P` where `P` has `paulis[k]` (a NUL-terminated string of I, X, Y, Z) on
/// qubit `sites[k]`; `num_sites` must equal the string's length. Nothing is added on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_add_term(
    sum: *mut NqPauliSum,
    paulis: *const c_char,
    sites: *const usize,
    num_sites: usize,
    re: f64,
    im: f64,
) -> NqStatus {
    guard(|| {
        let sum = unsafe { arg_mut(sum, "sum") }?;
        let p = unsafe { text(paulis, "paulis") }?;
        let s = unsafe { arg_slice(sites, num_sites, "sites") }?;
        sum.0.add_term(&p, s, C64::new(re, im))?;
        Ok(())
    })
}

/// Adds `coefficients[i] · P_i` on every qubit `i` (`len` must equal the number of qubits).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_add_per_site(
    sum: *mut NqPauliSum,
    pauli: *const c_char,
    coefficients: *const f64,
    len: usize,
) -> NqStatus {
    guard(|| {
        let sum = unsafe { arg_mut(sum, "sum") }?;
        let p = unsafe { text(pauli, "pauli") }?;
        let c = unsafe { arg_slice(coefficients, len, "coefficients") }?;
        sum.0.add_per_site(&p, c)?;
        Ok(())
    })
}

/// The Ising Hamiltonian `Σ h_i Z_i + Σ J_ij Z_i Z_j` of a model in its SPIN form (offset dropped).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_from_bqm(
    bqm: *const crate::NqBqm,
    out: *mut *mut NqPauliSum,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqPauliSum(PauliSum::from_bqm(&bqm.0)?));
        Ok(())
    })
}

/// Number of terms.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_num_terms(sum: *const NqPauliSum, out: *mut usize) -> NqStatus {
    read_handle(sum, "sum", out, |s| Ok(s.0.num_terms()))
}

/// Size in bytes of the serialized form (see `nq_pauli_sum_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_serialized_size(sum: *const NqPauliSum, out: *mut usize) -> NqStatus {
    read_handle(sum, "sum", out, |s| Ok(s.0.to_bytes().len()))
}

/// Writes the operator in the neuroquant container (kind `pauli_sum`) to `buf` (at least
/// `nq_pauli_sum_serialized_size` bytes); `*written` receives the size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_to_bytes(
    sum: *const NqPauliSum,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let sum = unsafe { arg_ref(sum, "sum") }?;
        let written = Out::new(written, "written")?;
        let bytes = sum.0.to_bytes();
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads an operator written by `nq_pauli_sum_to_bytes` (from any surface).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pauli_sum_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqPauliSum,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqPauliSum(PauliSum::from_bytes(bytes)?));
        Ok(())
    })
}

/// The operator of a Pauli sum with the given storage (an NQ_STORAGE_* constant).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_operator_from_pauli(
    sum: *const NqPauliSum,
    storage: NqStorage,
    out: *mut *mut NqOperator,
) -> NqStatus {
    guard(|| {
        let sum = unsafe { arg_ref(sum, "sum") }?;
        let out = Out::new(out, "out")?;
        out_boxed(
            out,
            NqOperator(Operator::from_pauli(
                &sum.0,
                Storage::from_c("storage", storage)?,
            )?),
        );
        Ok(())
    })
}

/// A dense operator from `2·dim²` interleaved doubles (row-major).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_operator_from_dense(
    dim: usize,
    data: *const f64,
    len: usize,
    out: *mut *mut NqOperator,
) -> NqStatus {
    guard(|| {
        let d = unsafe { complex_in(data, len, "data") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqOperator(Operator::from_dense(dim, d)?));
        Ok(())
    })
}

/// Frees an operator. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_operator_free(op: *mut NqOperator) {
    unsafe { free_boxed(op) }
}

/// The dimension.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_operator_dim(op: *const NqOperator, out: *mut usize) -> NqStatus {
    read_handle(op, "op", out, |o| Ok(o.0.dim()))
}

/// `⟨ψ|A|ψ⟩` (a ket of `2·dim` doubles) or `Tr(Aρ)` (a density matrix of `2·dim²`) into
/// `out[0..2]` (re, im).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_operator_expect(
    op: *const NqOperator,
    state: *const f64,
    len: usize,
    out: *mut f64,
) -> NqStatus {
    guard(|| {
        let op = unsafe { arg_ref(op, "op") }?;
        let s = unsafe { complex_in(state, len, "state") }?;
        let out = OutSlice::new(out, 2, "out")?;
        let e = op.0.expect(&s)?;
        out.write(&[e.re, e.im]);
        Ok(())
    })
}

unsafe fn operators(
    p: *const *const NqOperator,
    len: usize,
    argument: &'static str,
) -> FfiResult<Vec<Operator>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let ptrs = unsafe { arg_slice(p, len, argument) }?;
    ptrs.iter()
        .map(|&o| Ok(unsafe { arg_ref(o, argument) }?.0.clone()))
        .collect()
}

/// Writes a solver result: `out_expect` gets `num_e_ops × num_times` complex values (interleaved,
/// e_op-major), `out_final_state` the last state, `out_states` (if non-NULL) every state.
fn write_result(
    r: &q::SolveResult,
    num_times: usize,
    out_expect: *mut f64,
    out_final_state: *mut f64,
    final_len: usize,
    out_states: *mut f64,
) -> FfiResult {
    if r.times.len() != num_times {
        return Err(nq::Error::from(q::QuantumError::Interrupted { solver: "nq_sesolve" }).into());
    }
    let expect: Vec<f64> = r.expect.iter().flat_map(|e| interleave(e)).collect();
    let ex = if expect.is_empty() {
        None
    } else {
        Some(OutSlice::new(out_expect, expect.len(), "out_expect")?)
    };
    let fin = OutSlice::new(out_final_state, final_len, "out_final_state")?;
    let st = if out_states.is_null() {
        None
    } else {
        let all: Vec<f64> = r.states.iter().flatten().flat_map(|s| interleave(s)).collect();
        Some((OutSlice::new(out_states, all.len(), "out_states")?, all))
    };
    if let Some(e) = ex {
        e.write(&expect);
    }
    fin.write(&interleave(&r.final_state));
    if let Some((s, all)) = st {
        s.write(&all);
    }
    Ok(())
}

/// Evolves the ket `psi0` (`2·dim` doubles, normalised) under the time-independent Hermitian
/// `h` to each of the `num_times` times of `tlist` (non-decreasing), writing
/// `⟨e_ops[k]⟩(t_i)` to `out_expect[2·(k·num_times + i)..]` (re, im), the final state to
/// `out_final_state` (`2·dim` doubles) and, when `out_states` is non-NULL, every state
/// (`2·dim·num_times` doubles). `options` and `control` may be NULL (defaults; all cores, no
/// limit). A run stopped before the last time is `NQ_INTERRUPTED` and writes nothing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_sesolve(
    h: *const NqOperator,
    psi0: *const f64,
    psi0_len: usize,
    tlist: *const f64,
    num_times: usize,
    e_ops: *const *const NqOperator,
    num_e_ops: usize,
    options: *const NqSolverOptions,
    control: *const NqControl,
    out_expect: *mut f64,
    out_final_state: *mut f64,
    out_states: *mut f64,
) -> NqStatus {
    guard(|| {
        let h = unsafe { arg_ref(h, "h") }?;
        let psi = unsafe { complex_in(psi0, psi0_len, "psi0") }?;
        let t = unsafe { arg_slice(tlist, num_times, "tlist") }?;
        let e = unsafe { operators(e_ops, num_e_ops, "e_ops") }?;
        let mut opts = unsafe { options_of(options) }?;
        opts.store_states = Some(!out_states.is_null());
        let ham = Hamiltonian::new(h.0.clone())?;
        unsafe {
            crate::control::with_control(control, |c| {
                let r = q::sesolve(&ham, &psi, t, &e, &opts, c)?;
                write_result(&r, num_times, out_expect, out_final_state, psi0_len, out_states)
            })
        }
    })
}

/// The Lindblad master equation from `rho0` (`2·dim²` doubles, row-major, Hermitian, trace 1)
/// with `num_c_ops` collapse operators (rates inside: `√γ·L`), in matrix form; outputs as
/// `nq_sesolve`, states being density matrices (`2·dim²` doubles each).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_mesolve(
    h: *const NqOperator,
    rho0: *const f64,
    rho0_len: usize,
    tlist: *const f64,
    num_times: usize,
    c_ops: *const *const NqOperator,
    num_c_ops: usize,
    e_ops: *const *const NqOperator,
    num_e_ops: usize,
    options: *const NqSolverOptions,
    control: *const NqControl,
    out_expect: *mut f64,
    out_final_state: *mut f64,
    out_states: *mut f64,
) -> NqStatus {
    guard(|| {
        let h = unsafe { arg_ref(h, "h") }?;
        let rho = unsafe { complex_in(rho0, rho0_len, "rho0") }?;
        let t = unsafe { arg_slice(tlist, num_times, "tlist") }?;
        let c = unsafe { operators(c_ops, num_c_ops, "c_ops") }?;
        let e = unsafe { operators(e_ops, num_e_ops, "e_ops") }?;
        let mut opts = unsafe { options_of(options) }?;
        opts.store_states = Some(!out_states.is_null());
        let ham = Hamiltonian::new(h.0.clone())?;
        unsafe {
            crate::control::with_control(control, |ctl| {
                let r = q::mesolve(&ham, &rho, t, &c, &e, &opts, ctl)?;
                let final_len = 2 * r.final_state.len();
                write_result(&r, num_times, out_expect, out_final_state, final_len, out_states)
            })
        }
    })
}

unsafe fn state<'a>(
    p: *const f64,
    len: usize,
    dim: usize,
    argument: &'static str,
    buf: &'a mut Vec<C64>,
) -> FfiResult<QState<'a>> {
    *buf = unsafe { complex_in(p, len, argument) }?;
    Ok(QState::new(argument, buf, dim)?)
}

unsafe fn pair_metric(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
    f: fn(QState<'_>, QState<'_>) -> nq::Result<f64>,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let qa = unsafe { state(a, a_len, dim, "a", &mut x) }?;
        let qb = unsafe { state(b, b_len, dim, "b", &mut y) }?;
        out.write(f(qa, qb)?);
        Ok(())
    })
}

unsafe fn one_metric(
    rho: *const f64,
    len: usize,
    dim: usize,
    out: *mut f64,
    f: impl Fn(QState<'_>) -> nq::Result<f64>,
) -> NqStatus {
    guard(|| {
        let out = Out::new(out, "out")?;
        let mut x = Vec::new();
        let s = unsafe { state(rho, len, dim, "rho", &mut x) }?;
        out.write(f(s)?);
        Ok(())
    })
}

/// QuTiP's fidelity `Tr√(√A B √A)` — NOT squared (`|⟨a|b⟩|` for kets).
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_fidelity(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::fidelity) }
}

/// The squared fidelity `F²` (Jozsa's convention).
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_fidelity_squared(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::fidelity_squared) }
}

/// Trace distance `½ Tr|A − B|`.
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_tracedist(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::tracedist) }
}

/// QuTiP's `hilbert_dist`: `Tr[(A − B)²]`, the SQUARED Hilbert–Schmidt distance.
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_hilbert_dist(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::hilbert_dist) }
}

/// Bures distance `√(2(1 − F))` (non-squared F).
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bures_dist(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::bures_dist) }
}

/// Bures angle `arccos F` (non-squared F).
///
/// `a` and `b` are kets (`2·dim` doubles) or density matrices (`2·dim²`), told apart by length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_bures_angle(
    a: *const f64,
    a_len: usize,
    b: *const f64,
    b_len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { pair_metric(a, a_len, b, b_len, dim, out, q::bures_angle) }
}

/// Purity `Tr ρ²`.
///
/// `rho` is a ket (`2·dim` doubles) or a density matrix (`2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_purity(rho: *const f64, len: usize, dim: usize, out: *mut f64) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, q::purity) }
}

/// Linear entropy `1 − Tr ρ²`.
///
/// `rho` is a ket (`2·dim` doubles) or a density matrix (`2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_entropy_linear(
    rho: *const f64,
    len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, q::entropy_linear) }
}

/// Wootters' concurrence of a two-qubit state (dim 4).
///
/// `rho` is a ket (`2·dim` doubles) or a density matrix (`2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_concurrence(rho: *const f64, len: usize, dim: usize, out: *mut f64) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, q::concurrence) }
}

/// l1-norm of coherence `Σ_{i≠j} |ρ_ij|`.
///
/// `rho` is a ket (`2·dim` doubles) or a density matrix (`2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_coherence_l1(rho: *const f64, len: usize, dim: usize, out: *mut f64) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, q::coherence_l1) }
}

/// Robustness of coherence: its closed form (the l1-norm) for qubits and pure states; other mixed states are an error.
///
/// `rho` is a ket (`2·dim` doubles) or a density matrix (`2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_robustness_of_coherence(
    rho: *const f64,
    len: usize,
    dim: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, q::robustness_of_coherence) }
}

/// Von Neumann entropy `−Σ λ log_base λ` (eigenvalues clipped below at 1e-17, as QuTiP).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_entropy_vn(
    rho: *const f64,
    len: usize,
    dim: usize,
    base: f64,
    out: *mut f64,
) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, |s| q::entropy_vn(s, base)) }
}

/// Relative entropy of coherence `S(Δρ) − S(ρ)` in units of `log(base)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_coherence_relative_entropy(
    rho: *const f64,
    len: usize,
    dim: usize,
    base: f64,
    out: *mut f64,
) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, |s| q::coherence_relative_entropy(s, base)) }
}

/// Fringe visibility `2|ρ_ij| / (ρ_ii + ρ_jj)` of the paths `i`, `j`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_visibility(
    rho: *const f64,
    len: usize,
    dim: usize,
    i: usize,
    j: usize,
    out: *mut f64,
) -> NqStatus {
    unsafe { one_metric(rho, len, dim, out, |s| q::visibility(s, i, j)) }
}

fn channel(kind: NqChannelKind, p: f64, convention: NqDepolarizingConvention) -> FfiResult<Channel> {
    Ok(match kind {
        NQ_CHANNEL_DEPHASING => Channel::dephasing(p)?,
        NQ_CHANNEL_PHASE_DAMPING => Channel::phase_damping(p)?,
        NQ_CHANNEL_AMPLITUDE_DAMPING => Channel::amplitude_damping(p)?,
        NQ_CHANNEL_DEPOLARIZING => {
            Channel::depolarizing(p, DepolarizingConvention::from_c("convention", convention)?)?
        }
        other => {
            return Err(invalid(
                "kind",
                format!("{other} is not an NQ_CHANNEL_* constant (0..=3)"),
            ));
        }
    })
}

/// Applies a channel (`kind`, parameter `p`; `convention` is read for depolarizing only) to
/// `qubit` of a `num_qubits`-qubit density matrix `rho` (`2·4^n` doubles), in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_channel_apply(
    kind: NqChannelKind,
    p: f64,
    convention: NqDepolarizingConvention,
    rho: *mut f64,
    len: usize,
    num_qubits: usize,
    qubit: usize,
) -> NqStatus {
    guard(|| {
        let ch = channel(kind, p, convention)?;
        let mut m = unsafe { complex_in(rho, len, "rho") }?;
        ch.apply(&mut m, num_qubits, qubit)?;
        OutSlice::new(rho, len, "rho")?.write(&interleave(&m));
        Ok(())
    })
}

/// T1/T2 relaxation for a time `t` (`0 < t2 ≤ 2·t1`) applied to `qubit`, in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_channel_t1_t2_apply(
    t1: f64,
    t2: f64,
    t: f64,
    rho: *mut f64,
    len: usize,
    num_qubits: usize,
    qubit: usize,
) -> NqStatus {
    guard(|| {
        let ch = Channel::t1_t2(t1, t2, t)?;
        let mut m = unsafe { complex_in(rho, len, "rho") }?;
        ch.apply(&mut m, num_qubits, qubit)?;
        OutSlice::new(rho, len, "rho")?.write(&interleave(&m));
        Ok(())
    })
}

/// The Kraus matrices of a channel: `*num_kraus` receives their count, `out` (at least 32
/// doubles) the 2×2 row-major matrices, interleaved.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_channel_kraus(
    kind: NqChannelKind,
    p: f64,
    convention: NqDepolarizingConvention,
    out: *mut f64,
    out_len: usize,
    num_kraus: *mut usize,
) -> NqStatus {
    guard(|| {
        let ch = channel(kind, p, convention)?;
        let count = Out::new(num_kraus, "num_kraus")?;
        let flat: Vec<f64> = ch.kraus().iter().flat_map(|k| interleave(k)).collect();
        if out_len < flat.len() {
            return Err(crate::guard::Failure::BufferTooSmall {
                argument: "out",
                needed: flat.len(),
                got: out_len,
            });
        }
        OutSlice::new(out, flat.len(), "out")?.write(&flat);
        count.write(ch.kraus().len());
        Ok(())
    })
}

/// The phenomenological phase state (NOT quantum mechanics): see `nq_phase_state_evolve`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NqPhaseState {
    /// Energy (> 0).
    pub energy: f64,
    /// Phase (radians).
    pub phase: f64,
    /// Coherence in [0, 1].
    pub coherence: f64,
    /// Uncertainty in [0, 1].
    pub uncertainty: f64,
}

fn phase_state(s: &NqPhaseState) -> FfiResult<PhaseState> {
    Ok(PhaseState::new(s.energy, s.phase, s.coherence, s.uncertainty)?)
}

/// Advances `state` by `dt ≥ 0`: coherence·exp(−dt/energy), phase + energy·dt,
/// min(1, uncertainty + dt/10). Unchanged on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_phase_state_evolve(state: *mut NqPhaseState, dt: f64) -> NqStatus {
    guard(|| {
        let st = unsafe { arg_mut(state, "state") }?;
        let mut s = phase_state(st)?;
        s.evolve(dt)?;
        *st = NqPhaseState {
            energy: s.energy,
            phase: s.phase,
            coherence: s.coherence,
            uncertainty: s.uncertainty,
        };
        Ok(())
    })
}

/// `cos(phase_a − phase_b)·coherence_a·coherence_b`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_interference(
    a: *const NqPhaseState,
    b: *const NqPhaseState,
    out: *mut f64,
) -> NqStatus {
    guard(|| {
        let a = phase_state(unsafe { arg_ref(a, "a") }?)?;
        let b = phase_state(unsafe { arg_ref(b, "b") }?)?;
        Out::new(out, "out")?.write(q::interference(&a, &b));
        Ok(())
    })
}

/// Writes a phase state in the neuroquant container (kind `phase_state`) to `buf`; `*written`
/// receives the size (at most 512 bytes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_phase_state_to_bytes(
    state: *const NqPhaseState,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let s = phase_state(unsafe { arg_ref(state, "state") }?)?;
        let written = Out::new(written, "written")?;
        let bytes = s.to_bytes();
        crate::guard::write_to_buffer(&bytes, buf, buf_len, written)
    })
}

/// Reads a phase state written by `nq_phase_state_to_bytes` (from any surface).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_phase_state_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut NqPhaseState,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        let s = PhaseState::from_bytes(bytes)?;
        out.write(NqPhaseState {
            energy: s.energy,
            phase: s.phase,
            coherence: s.coherence,
            uncertainty: s.uncertainty,
        });
        Ok(())
    })
}

/// Copies `bytes` to the caller's buffer (`BUFFER_TOO_SMALL` names the size needed).
fn write_bytes(bytes: &[u8], buf: *mut u8, buf_len: usize, written: *mut usize) -> FfiResult {
    crate::guard::write_to_buffer(bytes, buf, buf_len, Out::new(written, "written")?)
}

/// Writes a ket (`len = 2·dim` doubles) or density matrix (`len = 2·dim²`) in the neuroquant
/// container (kind `quantum_state`) to `buf`, so that a controller can save a run mid-stream
/// and resume it (`nq_quantum_state_from_bytes`) from any surface. The size is
/// `nq_quantum_state_serialized_size`; `*written` receives it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_quantum_state_to_bytes(
    state: *const f64,
    len: usize,
    dim: usize,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let s = unsafe { complex_in(state, len, "state") }?;
        write_bytes(&q::state_to_bytes(&s, dim)?, buf, buf_len, written)
    })
}

/// Size in bytes of `nq_quantum_state_to_bytes`' output for a state of `len` doubles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_quantum_state_serialized_size(
    state: *const f64,
    len: usize,
    dim: usize,
    out: *mut usize,
) -> NqStatus {
    guard(|| {
        let s = unsafe { complex_in(state, len, "state") }?;
        let out = Out::new(out, "out")?;
        out.write(q::state_to_bytes(&s, dim)?.len());
        Ok(())
    })
}

/// Reads the shape of a state written by `nq_quantum_state_to_bytes`: its dimension and
/// whether it is a density matrix (then `nq_quantum_state_from_bytes` needs `2·dim²` doubles,
/// else `2·dim`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_quantum_state_info(
    buf: *const u8,
    len: usize,
    out_dim: *mut usize,
    out_density_matrix: *mut u8,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let (d, m) = (
            Out::new(out_dim, "out_dim")?,
            Out::new(out_density_matrix, "out_density_matrix")?,
        );
        let (_, dim, dm) = q::state_from_bytes(bytes)?;
        d.write(dim);
        m.write(u8::from(dm));
        Ok(())
    })
}

/// Reads a state written by `nq_quantum_state_to_bytes` (from any surface) into `out`
/// (`out_len` doubles, exactly the state's `2·dim` or `2·dim²`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_quantum_state_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut f64,
    out_len: usize,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let (s, _, _) = q::state_from_bytes(bytes)?;
        let values = interleave(&s);
        if out_len != values.len() {
            return Err(invalid(
                "out_len",
                format!("is {out_len}, the stored state has {} doubles", values.len()),
            ));
        }
        OutSlice::new(out, values.len(), "out")?.write(&values);
        Ok(())
    })
}

/// A Kuramoto network with its current phases and time (opaque).
pub struct NqKuramoto(pub(crate) Kuramoto);

/// A Kuramoto network `dθ_i/dt = ω_i + (K/N) Σ_j A_ij sin(θ_j − θ_i)` of `n ≥ 1` oscillators
/// (`frequencies` ω and initial `phases` of length `n`), all-to-all when `adjacency` is NULL,
/// else `adjacency_len = n²` row-major weights (n ≤ 8192). Free it with `nq_kuramoto_free`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_kuramoto_new(
    frequencies: *const f64,
    n: usize,
    coupling: f64,
    phases: *const f64,
    phases_len: usize,
    adjacency: *const f64,
    adjacency_len: usize,
    out: *mut *mut NqKuramoto,
) -> NqStatus {
    guard(|| {
        let w = unsafe { arg_slice(frequencies, n, "frequencies") }?.to_vec();
        let th = unsafe { arg_slice(phases, phases_len, "phases") }?.to_vec();
        let adj = if adjacency.is_null() {
            None
        } else {
            Some(unsafe { arg_slice(adjacency, adjacency_len, "adjacency") }?.to_vec())
        };
        let out = Out::new(out, "out")?;
        out_boxed(out, NqKuramoto(Kuramoto::new(w, coupling, th, adj)?));
        Ok(())
    })
}

/// Frees a Kuramoto network. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_free(net: *mut NqKuramoto) {
    unsafe { free_boxed(net) }
}

/// Advances `steps` classical RK4 steps of `dt > 0`, recording time, order parameter R and mean
/// phase ψ before the first step and every `record_every ≥ 1` steps into `out_times`,
/// `out_order`, `out_mean_phase` (each may be NULL; non-NULL ones hold `capacity ≥
/// steps / record_every + 1` doubles); `*out_records` receives the number of records.
///
/// A stop through `control` (may be NULL; interrupt or timeout) is reported as in the samplers:
/// with `out_interrupted` non-NULL the call returns `NQ_OK`, keeps the steps done (the network
/// stands after them), writes the records made so far (the rest of each output is NaN) and sets
/// `*out_interrupted = 1` (0 for a complete run); with `out_interrupted` NULL it returns
/// `NQ_INTERRUPTED` and changes nothing. Nothing changes on error.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_kuramoto_run(
    net: *mut NqKuramoto,
    dt: f64,
    steps: usize,
    record_every: usize,
    control: *const NqControl,
    out_times: *mut f64,
    out_order: *mut f64,
    out_mean_phase: *mut f64,
    capacity: usize,
    out_records: *mut usize,
    out_interrupted: *mut u8,
) -> NqStatus {
    guard(|| {
        let net = unsafe { arg_mut(net, "net") }?;
        let records = Out::new(out_records, "out_records")?;
        let interrupted = (!out_interrupted.is_null())
            .then(|| Out::new(out_interrupted, "out_interrupted"))
            .transpose()?;
        if record_every == 0 {
            return Err(invalid("record_every", "is 0, must be at least 1".into()));
        }
        let needed = steps / record_every + 1;
        let mut outs = Vec::new();
        for (p, name) in [
            (out_times, "out_times"),
            (out_order, "out_order"),
            (out_mean_phase, "out_mean_phase"),
        ] {
            if !p.is_null() {
                if capacity < needed {
                    return Err(invalid(
                        "capacity",
                        format!("is {capacity}, {needed} records are needed (steps / record_every + 1)"),
                    ));
                }
                outs.push(Some(OutSlice::new(p, needed, name)?));
            } else {
                outs.push(None);
            }
        }
        let mut k = net.0.clone();
        let tr =
            unsafe { crate::control::with_control(control, |c| Ok(k.run(dt, steps, record_every, c)?)) }?;
        let Some(interrupted) = interrupted else {
            if tr.interrupted {
                return Err(nq::Error::from(q::QuantumError::Interrupted {
                    solver: "nq_kuramoto_run",
                })
                .into());
            }
            net.0 = k;
            return write_kuramoto_records(outs, &tr, needed, records);
        };
        interrupted.write(u8::from(tr.interrupted));
        net.0 = k;
        write_kuramoto_records(outs, &tr, needed, records)
    })
}

fn write_kuramoto_records(
    outs: Vec<Option<OutSlice<f64>>>,
    tr: &nq::quantum::KuramotoTrace,
    needed: usize,
    records: Out<usize>,
) -> FfiResult {
    for (o, v) in outs.into_iter().zip([&tr.times, &tr.order, &tr.mean_phase]) {
        if let Some(o) = o {
            let mut full = v.clone();
            full.resize(needed, f64::NAN);
            o.write(&full);
        }
    }
    records.write(tr.times.len());
    Ok(())
}

/// Number of oscillators.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_num_oscillators(net: *const NqKuramoto, out: *mut usize) -> NqStatus {
    read_handle(net, "net", out, |k| Ok(k.0.phases.len()))
}

/// The current time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_time(net: *const NqKuramoto, out: *mut f64) -> NqStatus {
    read_handle(net, "net", out, |k| Ok(k.0.time))
}

/// The current phases into `out` (`len` = the number of oscillators).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_phases(net: *const NqKuramoto, out: *mut f64, len: usize) -> NqStatus {
    guard(|| {
        let k = unsafe { arg_ref(net, "net") }?;
        if len != k.0.phases.len() {
            return Err(invalid(
                "len",
                format!("is {len}, the network has {} oscillators", k.0.phases.len()),
            ));
        }
        OutSlice::new(out, len, "out")?.write(&k.0.phases);
        Ok(())
    })
}

/// The order parameter `R e^{iψ} = (1/N) Σ e^{iθ_j}` of the current phases: `*out_r` ∈ [0, 1]
/// and `*out_psi` ∈ (−π, π].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_order_parameter(
    net: *const NqKuramoto,
    out_r: *mut f64,
    out_psi: *mut f64,
) -> NqStatus {
    guard(|| {
        let k = unsafe { arg_ref(net, "net") }?;
        let (r, p) = (Out::new(out_r, "out_r")?, Out::new(out_psi, "out_psi")?);
        let (rv, pv) = k.0.order_parameter();
        r.write(rv);
        p.write(pv);
        Ok(())
    })
}

/// Size in bytes of the serialized network (see `nq_kuramoto_to_bytes`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_serialized_size(net: *const NqKuramoto, out: *mut usize) -> NqStatus {
    read_handle(net, "net", out, |k| Ok(k.0.to_bytes().len()))
}

/// Writes the network, its phases and time in the neuroquant container (kind `kuramoto`) to
/// `buf`; `*written` receives the size. A network read back continues bit for bit.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_to_bytes(
    net: *const NqKuramoto,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
) -> NqStatus {
    guard(|| {
        let k = unsafe { arg_ref(net, "net") }?;
        write_bytes(&k.0.to_bytes(), buf, buf_len, written)
    })
}

/// Reads a network written by `nq_kuramoto_to_bytes` (from any surface).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_kuramoto_from_bytes(
    buf: *const u8,
    len: usize,
    out: *mut *mut NqKuramoto,
) -> NqStatus {
    guard(|| {
        let bytes = unsafe { arg_slice(buf, len, "buf") }?;
        let out = Out::new(out, "out")?;
        out_boxed(out, NqKuramoto(Kuramoto::from_bytes(bytes)?));
        Ok(())
    })
}

/// Quantum annealing of a model of at most 20 variables: `H(s) = −A(s)/2 Σ X_i + B(s)/2 H_ising`
/// over `anneal_time > 0` from `|+…+⟩`. The schedule is linear (`A = scale·(1 − s)`,
/// `B = scale·s`) when `schedule_len` is 0, else tabulated at `schedule_s` (strictly increasing
/// from 0 to 1) with `schedule_a`, `schedule_b` (linearly interpolated; `scale` unused).
/// Writes the probability and energy (the model's, offset included) of each of the `2^n` basis
/// states (`out_len = 2^n`; qubit 0 the most significant bit, bit 0 ↦ spin +1 / binary 1), the
/// lowest energy and the probability of reaching it. `options`, `control` may be NULL.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nq_quantum_anneal_bqm(
    bqm: *const crate::NqBqm,
    scale: f64,
    schedule_s: *const f64,
    schedule_a: *const f64,
    schedule_b: *const f64,
    schedule_len: usize,
    anneal_time: f64,
    options: *const NqSolverOptions,
    control: *const NqControl,
    out_probabilities: *mut f64,
    out_energies: *mut f64,
    out_len: usize,
    out_ground_energy: *mut f64,
    out_ground_probability: *mut f64,
) -> NqStatus {
    guard(|| {
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let schedule = if schedule_len == 0 {
            q::AnnealSchedule::Linear { scale }
        } else {
            q::AnnealSchedule::Table {
                s: unsafe { arg_slice(schedule_s, schedule_len, "schedule_s") }?.to_vec(),
                a: unsafe { arg_slice(schedule_a, schedule_len, "schedule_a") }?.to_vec(),
                b: unsafe { arg_slice(schedule_b, schedule_len, "schedule_b") }?.to_vec(),
            }
        };
        let opts = unsafe { options_of(options) }?;
        let n = bqm.0.num_variables();
        if n > q::MAX_ANNEAL_QUBITS {
            return Err(invalid(
                "bqm",
                format!(
                    "has {n} variables, at most {} can be simulated",
                    q::MAX_ANNEAL_QUBITS
                ),
            ));
        }
        let expected = 1usize << n;
        if out_len != expected {
            return Err(invalid(
                "out_len",
                format!("is {out_len}, must be 2^{n} = {expected} (one entry per basis state)"),
            ));
        }
        let p = OutSlice::new(out_probabilities, out_len, "out_probabilities")?;
        let e = OutSlice::new(out_energies, out_len, "out_energies")?;
        let (ge, gp) = (
            Out::new(out_ground_energy, "out_ground_energy")?,
            Out::new(out_ground_probability, "out_ground_probability")?,
        );
        let r = unsafe {
            crate::control::with_control(control, |c| {
                Ok(q::anneal_bqm(&bqm.0, &schedule, anneal_time, &opts, c)?)
            })
        }?;
        p.write(&r.probabilities);
        e.write(&r.energies);
        ge.write(r.ground_energy);
        gp.write(r.ground_state_probability);
        Ok(())
    })
}
