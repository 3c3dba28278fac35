//! Kets and density matrices as flat complex arrays (a ket of length `d`, a density matrix of
//! `d²` entries, row-major): basis states, `|ψ⟩⟨ψ|`, tensor products, partial traces,
//! normalisation. Qubit 0 is the most significant factor (`qutip.tensor`'s order).

use super::{C64, MAX_STATE_QUBITS};
use crate::Result;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// The basis ket `|index⟩` of dimension `dim`.
pub fn ket_basis(dim: usize, index: usize) -> Result<Vec<C64>> {
    if dim == 0 {
        return Err(invalid("dim", "is 0, must be at least 1".into()));
    }
    check::at_most("dim", dim as u64, 1u64 << MAX_STATE_QUBITS)?;
    let i = check::index("index", index as i64, dim)?;
    let mut v = crate::alloc::filled("ket", C64::new(0.0, 0.0), dim)?;
    v[i] = C64::new(1.0, 0.0);
    Ok(v)
}

/// The product state of `num_qubits` qubits each in `single` (a 2-vector), e.g. `|+⟩^⊗n`.
pub fn ket_product(single: [C64; 2], num_qubits: usize) -> Result<Vec<C64>> {
    if num_qubits == 0 {
        return Err(invalid("num_qubits", "is 0, must be at least 1".into()));
    }
    check::at_most("num_qubits", num_qubits as u64, MAX_STATE_QUBITS as u64)?;
    let dim = 1usize << num_qubits;
    let mut v = crate::alloc::filled("ket", C64::new(0.0, 0.0), dim)?;
    for (b, out) in v.iter_mut().enumerate() {
        let ones = b.count_ones() as i32;
        *out = single[0].powi(num_qubits as i32 - ones) * single[1].powi(ones);
    }
    Ok(v)
}

/// `|ψ⟩⟨ψ|`, row-major.
pub fn ket2dm(psi: &[C64]) -> Vec<C64> {
    let n = psi.len();
    let mut rho = vec![C64::new(0.0, 0.0); n * n];
    for i in 0..n {
        for j in 0..n {
            rho[i * n + j] = psi[i] * psi[j].conj();
        }
    }
    rho
}

/// `ψ / ‖ψ‖` (a ket) or `ρ / Tr ρ` (a density matrix of `dim²` entries when `dm`); fails on a zero
/// state.
pub fn normalize(state: &mut [C64], dm: bool) -> Result<()> {
    let scale = if dm {
        let n = (state.len() as f64).sqrt().round() as usize;
        check::len("state", n * n, state.len())?;
        (0..n).map(|i| state[i * n + i].re).sum::<f64>()
    } else {
        state.iter().map(|v| v.norm_sqr()).sum::<f64>().sqrt()
    };
    if !(scale.is_finite() && scale > 0.0) {
        return Err(invalid(
            "state",
            format!("has norm or trace {scale}, cannot be normalised"),
        ));
    }
    state.iter_mut().for_each(|v| *v /= scale);
    Ok(())
}

/// The tensor (Kronecker) product `a ⊗ b` of two kets, or of two `da × da` and `db × db`
/// row-major matrices when `matrices`.
pub fn tensor(a: &[C64], b: &[C64], matrices: bool) -> Result<Vec<C64>> {
    let total = (a.len() as u64).saturating_mul(b.len() as u64);
    check::at_most(
        "len(a) * len(b)",
        total,
        if matrices {
            1u64 << 26
        } else {
            1u64 << MAX_STATE_QUBITS
        },
    )?;
    if !matrices {
        return Ok(a.iter().flat_map(|x| b.iter().map(move |y| x * y)).collect());
    }
    let da = square_dim("a", a.len())?;
    let db = square_dim("b", b.len())?;
    let d = da * db;
    let mut out = vec![C64::new(0.0, 0.0); d * d];
    for i in 0..da {
        for j in 0..da {
            let x = a[i * da + j];
            for k in 0..db {
                for l in 0..db {
                    out[(i * db + k) * d + j * db + l] = x * b[k * db + l];
                }
            }
        }
    }
    Ok(out)
}

fn square_dim(argument: &'static str, len: usize) -> Result<usize> {
    let n = (len as f64).sqrt().round() as usize;
    if n * n != len || n == 0 {
        return Err(invalid(
            argument,
            format!("has {len} entries, not a non-empty square matrix"),
        ));
    }
    Ok(n)
}

/// The reduced density matrix of the qubits `keep` (in the order given) of an `num_qubits`-qubit
/// ket (length `2^n`) or density matrix (`4^n` entries), as `qutip.ptrace`.
pub fn partial_trace(state: &[C64], num_qubits: usize, keep: &[usize]) -> Result<Vec<C64>> {
    check::at_most("num_qubits", num_qubits as u64, MAX_STATE_QUBITS as u64)?;
    let dim = 1usize << num_qubits;
    let is_ket = state.len() == dim;
    if !is_ket {
        check::len("state", dim * dim, state.len())?;
    }
    let mut seen = 0u64;
    for &q in keep {
        check::index("keep", q as i64, num_qubits)?;
        if seen & (1 << q) != 0 {
            return Err(invalid("keep", format!("qubit {q} appears twice")));
        }
        seen |= 1 << q;
    }
    let k = keep.len();
    let dk = 1usize << k;
    let traced: Vec<usize> = (0..num_qubits).filter(|q| seen & (1 << q) == 0).collect();
    let bit = |q: usize| 1usize << (num_qubits - 1 - q);
    // Full index from (kept bits a, traced bits t).
    let compose = |a: usize, t: usize| -> usize {
        let mut idx = 0;
        for (p, &q) in keep.iter().enumerate() {
            if a & (1 << (k - 1 - p)) != 0 {
                idx |= bit(q);
            }
        }
        for (p, &q) in traced.iter().enumerate() {
            if t & (1 << (traced.len() - 1 - p)) != 0 {
                idx |= bit(q);
            }
        }
        idx
    };
    let mut out = vec![C64::new(0.0, 0.0); dk * dk];
    for a in 0..dk {
        for b in 0..dk {
            let mut acc = C64::new(0.0, 0.0);
            for t in 0..(1usize << traced.len()) {
                let (i, j) = (compose(a, t), compose(b, t));
                acc += if is_ket {
                    state[i] * state[j].conj()
                } else {
                    state[i * dim + j]
                };
            }
            out[a * dk + b] = acc;
        }
    }
    Ok(out)
}
