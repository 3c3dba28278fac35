//! Quantum models in the neuroquant container.
//!
//! - `pauli_sum` v1: `meta = {"num_qubits": n}`; arrays `x`, `z` (`<u8`, basis-index masks of
//!   each term) and `coefficients` (`<f8`, 2 per term: re, im).
//! - `quantum_state` v1: `meta = {"dim": d, "density_matrix": bool}`; array `amplitudes` (`<f8`,
//!   interleaved re, im; `d` or `d²` complex values, row-major).
//! - `phase_state` v1: `meta = {energy, phase, coherence, uncertainty}`, no arrays.
//! - `kuramoto` v1: `meta = {"coupling": K, "time": t, "all_to_all": bool}`; arrays
//!   `frequencies`, `phases` (`<f8`, N each) and, unless all-to-all, `adjacency` (`<f8`, N²,
//!   row-major).

use super::{C64, Kuramoto, PauliSum, PauliTerm, PhaseState};
use crate::Result;
use crate::error::check;
use crate::format::{FormatError, Reader, Writer};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PauliMeta {
    num_qubits: u64,
}

fn interleave(v: &[C64]) -> Vec<f64> {
    v.iter().flat_map(|c| [c.re, c.im]).collect()
}

fn deinterleave(v: &[f64]) -> Vec<C64> {
    v.chunks_exact(2).map(|p| C64::new(p[0], p[1])).collect()
}

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt { offset: 0, reason }.into()
}

impl PauliSum {
    /// The operator in the container (kind `pauli_sum`, version 1).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(
            "pauli_sum",
            1,
            serde_json::to_value(PauliMeta {
                num_qubits: self.num_qubits() as u64,
            })
            .expect("plain data"),
        );
        w.u64s("x", &self.terms().iter().map(|t| t.x).collect::<Vec<_>>());
        w.u64s("z", &self.terms().iter().map(|t| t.z).collect::<Vec<_>>());
        w.f64s(
            "coefficients",
            &interleave(&self.terms().iter().map(|t| t.coefficient).collect::<Vec<_>>()),
        );
        w.finish()
    }

    /// Reads an operator written by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("pauli_sum", 1)?;
        let meta: PauliMeta = r.meta()?;
        let (x, z, c) = (r.u64s("x")?, r.u64s("z")?, r.f64s("coefficients")?);
        if x.len() != z.len() || c.len() != 2 * x.len() {
            return Err(corrupt(format!(
                "pauli_sum: {} x masks, {} z masks and {} coefficient values do not agree",
                x.len(),
                z.len(),
                c.len()
            )));
        }
        let mut s = PauliSum::new(
            usize::try_from(meta.num_qubits)
                .unwrap_or(usize::MAX)
                .min(1 << 16),
        )?;
        for (k, ((&x, &z), coefficient)) in x.iter().zip(&z).zip(deinterleave(&c)).enumerate() {
            s.push(PauliTerm { coefficient, x, z })
                .map_err(|e| corrupt(format!("pauli_sum term {k}: {e}")))?;
        }
        Ok(s)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateMeta {
    dim: u64,
    density_matrix: bool,
}

/// A ket (`density_matrix = false`, `dim` amplitudes) or density matrix (`dim²` entries) in the
/// container (kind `quantum_state`, version 1).
/// The entries must be finite; they are stored as given (no normalisation is required, so any
/// intermediate state of a run can be saved).
pub fn state_to_bytes(state: &[C64], dim: usize) -> Result<Vec<u8>> {
    if dim == 0 {
        return Err(super::pauli::invalid("dim", "is 0, must be at least 1".into()));
    }
    let density_matrix = state.len() != dim;
    if density_matrix && dim.checked_mul(dim) != Some(state.len()) {
        return Err(super::pauli::invalid(
            "state",
            format!(
                "has {} entries: must be a ket ({dim}) or a density matrix (dim² = {})",
                state.len(),
                dim.saturating_mul(dim)
            ),
        ));
    }
    super::operator::check_finite("state", state)?;
    let mut w = Writer::new(
        "quantum_state",
        1,
        serde_json::to_value(StateMeta {
            dim: dim as u64,
            density_matrix,
        })
        .expect("plain data"),
    );
    w.f64s("amplitudes", &interleave(state));
    Ok(w.finish())
}

/// Reads a state written by [`state_to_bytes`]: `(entries, dim, is_density_matrix)`.
pub fn state_from_bytes(bytes: &[u8]) -> Result<(Vec<C64>, usize, bool)> {
    let r = Reader::parse(bytes)?;
    r.expect_kind("quantum_state", 1)?;
    let meta: StateMeta = r.meta()?;
    let a = r.f64s("amplitudes")?;
    let dim = usize::try_from(meta.dim).map_err(|_| corrupt("quantum_state: dim too large".into()))?;
    let expected = if meta.density_matrix {
        dim.checked_mul(dim)
    } else {
        Some(dim)
    };
    if expected.and_then(|e| e.checked_mul(2)) != Some(a.len()) || dim == 0 {
        return Err(corrupt(format!(
            "quantum_state: {} values do not hold a state of dimension {dim}",
            a.len()
        )));
    }
    Ok((deinterleave(&a), dim, meta.density_matrix))
}

impl PhaseState {
    /// The state in the container (kind `phase_state`, version 1).
    pub fn to_bytes(&self) -> Vec<u8> {
        Writer::new("phase_state", 1, serde_json::to_value(self).expect("plain data")).finish()
    }

    /// Reads a state written by [`to_bytes`](Self::to_bytes) (validated).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("phase_state", 1)?;
        let s: PhaseState = r.meta()?;
        s.check()?;
        Ok(s)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KuramotoMeta {
    coupling: f64,
    time: f64,
    all_to_all: bool,
}

impl Kuramoto {
    /// The network and its current phases and time in the container (kind `kuramoto`,
    /// version 1), so that a run can be resumed mid-stream.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(
            "kuramoto",
            1,
            serde_json::to_value(KuramotoMeta {
                coupling: self.coupling,
                time: self.time,
                all_to_all: self.adjacency.is_none(),
            })
            .expect("plain data"),
        );
        w.f64s("frequencies", &self.frequencies);
        w.f64s("phases", &self.phases);
        if let Some(a) = &self.adjacency {
            w.f64s("adjacency", a);
        }
        w.finish()
    }

    /// Reads a network written by [`to_bytes`](Self::to_bytes), validated as by
    /// [`Kuramoto::new`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("kuramoto", 1)?;
        let meta: KuramotoMeta = r.meta()?;
        let adjacency = if meta.all_to_all {
            None
        } else {
            Some(r.f64s("adjacency")?)
        };
        let mut k = Kuramoto::new(
            r.f64s("frequencies")?,
            meta.coupling,
            r.f64s("phases")?,
            adjacency,
        )
        .map_err(|e| corrupt(format!("kuramoto: {e}")))?;
        check::finite("time", meta.time).map_err(|e| corrupt(format!("kuramoto: {e}")))?;
        k.time = meta.time;
        Ok(k)
    }
}
