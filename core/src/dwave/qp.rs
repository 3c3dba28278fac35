//! SAPI's `qp` format, as dwave-cloud-client's `encode_problem_as_qp` and `decode_qp_numpy` write
//! and read it: base64 of little-endian `f64`/`i32` arrays in the solver's qubit and coupler
//! order, and bit-packed solutions (most significant bit first, each row padded to a byte).

use super::solver::SolverInfo;
use crate::Result;
use crate::anneal::SampleSet;
use crate::format::FormatError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

/// Problem type of a QPU problem: its numbers are QUBO coefficients or Ising `h`/`J`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemType {
    /// Binary variables, `lin` is the QUBO diagonal.
    Qubo,
    /// Spin variables, `lin` is `h`.
    Ising,
}

impl ProblemType {
    /// `"qubo"` or `"ising"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemType::Qubo => "qubo",
            ProblemType::Ising => "ising",
        }
    }
}

/// An encoded problem: the `data` object of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedQp {
    /// base64 of one `f64` per working qubit: the bias, 0 for an active qubit without one, NaN
    /// for inactive qubits.
    pub lin: String,
    /// base64 of one `f64` per working coupler whose ends are both active.
    pub quad: String,
    /// The constant offset.
    pub offset: f64,
}

impl EncodedQp {
    /// `{"format": "qp", "lin", "quad", "offset"}`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"format": "qp", "lin": self.lin, "quad": self.quad, "offset": self.offset})
    }
}

fn f64s(values: &[f64]) -> String {
    let mut bytes = Vec::with_capacity(values.len() * 8);
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    STANDARD.encode(bytes)
}

/// Encodes a problem over qubits: `active[q]` marks the qubits the problem uses (all of them
/// working qubits), `linear[q]` their biases (indexed by qubit label), `quadratic` the couplers'
/// biases as `(u, v, bias)` with each pair once. The caller has checked that the problem fits
/// the solver (see [`check_structure`]).
pub fn encode_qp(
    solver: &SolverInfo,
    active: &[bool],
    linear: &[f64],
    quadratic: &[(u32, u32, f64)],
    offset: f64,
) -> EncodedQp {
    let is_active = |q: u32| active.get(q as usize).copied().unwrap_or(false);
    let lin: Vec<f64> = solver
        .qubits()
        .iter()
        .map(|&q| {
            if is_active(q) {
                linear.get(q as usize).copied().unwrap_or(0.0)
            } else {
                f64::NAN
            }
        })
        .collect();
    let mut bias = std::collections::HashMap::with_capacity(quadratic.len());
    for &(u, v, b) in quadratic {
        *bias.entry((u.min(v), u.max(v))).or_insert(0.0) += b;
    }
    let quad: Vec<f64> = solver
        .couplers()
        .iter()
        .filter(|&&(a, b)| is_active(a) && is_active(b))
        .map(|&(a, b)| bias.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0))
        .collect();
    EncodedQp {
        lin: f64s(&lin),
        quad: f64s(&quad),
        offset,
    }
}

/// Checks that a problem over qubits fits `solver`: every active qubit is a working qubit and
/// every interaction a working coupler. Returns the offending item's description.
pub fn check_structure(
    solver: &SolverInfo,
    active: &[bool],
    quadratic: &[(u32, u32, f64)],
) -> std::result::Result<(), String> {
    let n = active.len();
    let mut working = vec![false; n];
    for &q in solver.qubits() {
        if (q as usize) < n {
            working[q as usize] = true;
        }
    }
    if let Some(q) = (0..n).find(|&q| active[q] && !working[q]) {
        return Err(format!("variable {q} is not a working qubit of the solver"));
    }
    let mut couplers = std::collections::HashSet::with_capacity(solver.couplers().len());
    for &(a, b) in solver.couplers() {
        couplers.insert((a.min(b), a.max(b)));
    }
    if let Some(&(u, v, _)) = quadratic
        .iter()
        .find(|&&(u, v, _)| !couplers.contains(&(u.min(v), u.max(v))))
    {
        return Err(format!(
            "interaction ({u}, {v}) is not a working coupler of the solver"
        ));
    }
    Ok(())
}

/// A decoded `qp` answer.
#[derive(Debug, Clone, PartialEq)]
pub struct QpAnswer {
    /// Energy of each row, without the problem's offset.
    pub energies: Vec<f64>,
    /// Occurrences of each row (1 each when the answer has none, as in `raw` mode).
    pub num_occurrences: Vec<u64>,
    /// The qubits each row holds values for, in order.
    pub active_variables: Vec<u32>,
    /// Qubits of the solver (the width of full rows).
    pub num_variables: usize,
    /// Row-major values over `active_variables`: ±1 for `ising`, 0/1 for `qubo`.
    pub solutions: Vec<i8>,
    /// SAPI's `timing` object (microseconds).
    pub timing: Map<String, Value>,
}

impl QpAnswer {
    /// Rows over all `num_variables` qubits, inactive ones filled as dwave-cloud-client does
    /// (3 for `qubo`, 0 for `ising`).
    pub fn full_solutions(&self, problem_type: ProblemType) -> Vec<i8> {
        let fill = match problem_type {
            ProblemType::Qubo => 3,
            ProblemType::Ising => 0,
        };
        let k = self.active_variables.len();
        let rows = self.energies.len();
        let mut out = vec![fill; rows * self.num_variables];
        for r in 0..rows {
            for (j, &q) in self.active_variables.iter().enumerate() {
                out[r * self.num_variables + q as usize] = self.solutions[r * k + j];
            }
        }
        out
    }
}

/// Qubits a decoded answer may report (well above any QPU's, below what would exhaust memory).
pub const MAX_ANSWER_QUBITS: u64 = 1 << 20;

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt {
        offset: 0,
        reason: format!("qp answer: {reason}"),
    }
    .into()
}

fn b64(answer: &Map<String, Value>, field: &str) -> Result<Vec<u8>> {
    let text = answer
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| corrupt(format!("`{field}` is missing or not a string")))?;
    STANDARD
        .decode(text.trim())
        .map_err(|e| corrupt(format!("`{field}` is not base64: {e}")))
}

/// Decodes the `answer` object of a completed `qp` problem of `problem_type`.
pub fn decode_qp(answer: &Value, problem_type: ProblemType) -> Result<QpAnswer> {
    let answer = answer
        .as_object()
        .ok_or_else(|| corrupt("not an object".into()))?;
    if let Some(f) = answer.get("format").and_then(Value::as_str)
        && f != "qp"
    {
        return Err(corrupt(format!("format is {f:?}, expected \"qp\"")));
    }
    let energy_bytes = b64(answer, "energies")?;
    if energy_bytes.len() % 8 != 0 {
        return Err(corrupt(format!(
            "`energies` holds {} bytes, not a multiple of 8",
            energy_bytes.len()
        )));
    }
    let energies: Vec<f64> = energy_bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    let rows = energies.len();
    let ints = |field: &str| -> Result<Vec<i32>> {
        let bytes = b64(answer, field)?;
        if bytes.len() % 4 != 0 {
            return Err(corrupt(format!(
                "`{field}` holds {} bytes, not a multiple of 4",
                bytes.len()
            )));
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|c| i32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    };
    let num_variables = answer
        .get("num_variables")
        .and_then(Value::as_u64)
        .ok_or_else(|| corrupt("`num_variables` is missing or not a count".into()))?;
    if num_variables > MAX_ANSWER_QUBITS {
        return Err(corrupt(format!(
            "`num_variables` {num_variables} exceeds the limit of {MAX_ANSWER_QUBITS}"
        )));
    }
    let active = ints("active_variables")?;
    let mut active_variables = Vec::with_capacity(active.len());
    for (i, &q) in active.iter().enumerate() {
        if q < 0 || q as u64 >= num_variables {
            return Err(corrupt(format!(
                "active variable {i} is {q}, outside 0..{num_variables}"
            )));
        }
        active_variables.push(q as u32);
    }
    let k = active_variables.len();
    let num_occurrences = if answer.contains_key("num_occurrences") {
        let n = ints("num_occurrences")?;
        if n.len() != rows {
            return Err(corrupt(format!(
                "{} occurrence counts for {rows} energies",
                n.len()
            )));
        }
        n.iter()
            .enumerate()
            .map(|(i, &c)| u64::try_from(c).map_err(|_| corrupt(format!("occurrence count {i} is {c}"))))
            .collect::<Result<Vec<u64>>>()?
    } else {
        vec![1; rows]
    };
    let bits = b64(answer, "solutions")?;
    let row_bytes = k.div_ceil(8);
    if bits.len() != rows * row_bytes {
        return Err(corrupt(format!(
            "`solutions` holds {} bytes, expected {rows} rows of {row_bytes} bytes",
            bits.len()
        )));
    }
    crate::error::check::at_most("num_reads", rows as u64, SampleSet::max_rows(k))?;
    let (zero, one) = match problem_type {
        ProblemType::Qubo => (0i8, 1i8),
        ProblemType::Ising => (-1, 1),
    };
    let mut solutions = Vec::with_capacity(rows * k);
    for r in 0..rows {
        let row = &bits[r * row_bytes..(r + 1) * row_bytes];
        for j in 0..k {
            let bit = (row[j / 8] >> (7 - (j % 8))) & 1;
            solutions.push(if bit == 1 { one } else { zero });
        }
    }
    let timing = answer
        .get("timing")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(QpAnswer {
        energies,
        num_occurrences,
        active_variables,
        num_variables: num_variables as usize,
        solutions,
        timing,
    })
}

/// Encodes an answer in the `qp` format (what a SAPI server sends): rows over
/// `active_variables` (±1 or 0/1), energies without offset, occurrence counts.
pub fn encode_qp_answer(
    solutions: &[i8],
    energies: &[f64],
    num_occurrences: Option<&[u64]>,
    active_variables: &[u32],
    num_variables: usize,
    timing: Map<String, Value>,
) -> Value {
    let k = active_variables.len();
    let row_bytes = k.div_ceil(8);
    let rows = energies.len();
    let mut bits = vec![0u8; rows * row_bytes];
    for r in 0..rows {
        for j in 0..k {
            if solutions[r * k + j] > 0 {
                bits[r * row_bytes + j / 8] |= 1 << (7 - (j % 8));
            }
        }
    }
    let i32s = |v: &mut dyn Iterator<Item = i32>| {
        let mut b = Vec::new();
        for x in v {
            b.extend_from_slice(&x.to_le_bytes());
        }
        STANDARD.encode(b)
    };
    let mut out = serde_json::json!({
        "format": "qp",
        "num_variables": num_variables,
        "energies": f64s(energies),
        "active_variables": i32s(&mut active_variables.iter().map(|&q| q as i32)),
        "solutions": STANDARD.encode(&bits),
        "timing": Value::Object(timing),
    });
    if let Some(n) = num_occurrences {
        out["num_occurrences"] = Value::String(i32s(&mut n.iter().map(|&c| c.min(i32::MAX as u64) as i32)));
    }
    out
}

/// A decoded `qp` problem: per-qubit linear biases (`None` for inactive qubits), coupler
/// biases `(u, v, bias)`, offset.
pub type DecodedQpProblem = (Vec<Option<f64>>, Vec<(u32, u32, f64)>, f64);

/// Decodes a `qp` problem (what a SAPI server receives) into per-qubit linear biases (`None`
/// for inactive qubits, indexed by qubit label up to `num_qubits`) and coupler biases.
pub fn decode_qp_problem(solver: &SolverInfo, data: &Value) -> Result<DecodedQpProblem> {
    let data = data
        .as_object()
        .ok_or_else(|| corrupt("problem data is not an object".into()))?;
    let lin = b64(data, "lin")?;
    let quad = b64(data, "quad")?;
    if lin.len() != solver.qubits().len() * 8 {
        return Err(corrupt(format!(
            "`lin` holds {} bytes, expected 8 per working qubit ({})",
            lin.len(),
            solver.qubits().len()
        )));
    }
    let n = solver.num_qubits();
    let mut linear = vec![None; n];
    for (i, &q) in solver.qubits().iter().enumerate() {
        let v = f64::from_le_bytes(lin[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        if !v.is_nan() && (q as usize) < n {
            linear[q as usize] = Some(v);
        }
    }
    let active_couplers: Vec<(u32, u32)> = solver
        .couplers()
        .iter()
        .copied()
        .filter(|&(a, b)| {
            linear.get(a as usize).is_some_and(Option::is_some)
                && linear.get(b as usize).is_some_and(Option::is_some)
        })
        .collect();
    if quad.len() != active_couplers.len() * 8 {
        return Err(corrupt(format!(
            "`quad` holds {} bytes, expected 8 per coupler between active qubits ({})",
            quad.len(),
            active_couplers.len()
        )));
    }
    let quadratic = active_couplers
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| {
            (
                a,
                b,
                f64::from_le_bytes(quad[i * 8..i * 8 + 8].try_into().expect("8 bytes")),
            )
        })
        .collect();
    let offset = data.get("offset").and_then(Value::as_f64).unwrap_or(0.0);
    Ok((linear, quadratic, offset))
}

/// Builds a sample set of a structured answer: rows over the model's `num_variables`
/// variables (qubit labels), inactive ones set to the vartype's low value, energies plus
/// `offset`.
pub(crate) fn to_sample_set(
    answer: &QpAnswer,
    vartype: crate::qubo::Vartype,
    num_variables: usize,
    offset: f64,
) -> Result<SampleSet> {
    let rows = answer.energies.len();
    let k = answer.active_variables.len();
    crate::error::check::at_most("num_reads", rows as u64, SampleSet::max_rows(num_variables))?;
    let low = match vartype {
        crate::qubo::Vartype::Spin => -1i8,
        crate::qubo::Vartype::Binary => 0,
    };
    let mut samples = crate::alloc::filled("samples", low, rows * num_variables)?;
    for r in 0..rows {
        for (j, &q) in answer.active_variables.iter().enumerate() {
            if (q as usize) < num_variables {
                samples[r * num_variables + q as usize] = answer.solutions[r * k + j];
            }
        }
    }
    let energies: Vec<f64> = answer.energies.iter().map(|e| e + offset).collect();
    SampleSet::new(
        vartype,
        num_variables,
        samples,
        energies,
        Some(answer.num_occurrences.clone()),
    )
}
