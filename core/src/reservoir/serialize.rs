//! Reservoirs and echo state networks in the neuroquant container (ARCHITECTURE.md), with their
//! weights, parameters, seed and current state, so a controller can save a trained network and
//! continue mid-stream bit for bit from Rust, C or Python.
//!
//! | kind (version) | meta | arrays |
//! |---|---|---|
//! | `reservoir` (1) | `params` (the [`ReservoirParams`] keywords, resolved), `seed`, `steps` | `w.indptr` (`<u8`), `w.indices` (`<u4`), `w.data` (`<f8`), the same for `win.*` and `wfb.*`, `weights.bias`, `weights.lr`, `state.x`, `state.s` (`<f8`; `state.s` empty for the 'internal' equation) |
//! | `esn` (1) | `params` (the [`EsnParams`] keywords), `seed`, `steps`, `outputs`, `fitted` | the `reservoir` arrays, `readout.wout` (features × outputs, row-major), `readout.bias`, `state.last_output` |
//!
//! A per-element keyword value (`lr`, `bias`, … given as arrays) is stored as the array
//! `param.<keyword>`. The CSR arrays are scipy's `csr_matrix` layout; the shapes follow from
//! `units`, `input_dim` and `fb_dim` in the parameters.

use super::csr::Csr;
use super::esn::{Esn, EsnParams};
use super::readout::Readout;
use super::reservoir::{Reservoir, ReservoirParams};
use crate::Result;
use crate::format::{FormatError, Reader, Writer};
use crate::params::serialize::{keywords_from_json, keywords_json};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

const RESERVOIR_VERSION: u32 = 1;
const ESN_VERSION: u32 = 1;

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt { offset: 16, reason }.into()
}

/// Reports an error in the stored content as a corrupt file.
fn stored<T>(what: &str, r: Result<T>) -> Result<T> {
    r.map_err(|e| match e {
        crate::Error::Format(f) => f.into(),
        e => corrupt(format!("{what}: {e}")),
    })
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReservoirMeta {
    params: Map<String, Json>,
    seed: u64,
    steps: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EsnMeta {
    params: Map<String, Json>,
    seed: u64,
    steps: u64,
    outputs: u64,
    fitted: bool,
}

fn write_csr(w: &mut Writer, name: &str, m: &Csr) {
    let indptr: Vec<u64> = m.indptr().iter().map(|&p| p as u64).collect();
    w.u64s(&format!("{name}.indptr"), &indptr);
    w.u32s(&format!("{name}.indices"), m.indices());
    w.f64s(&format!("{name}.data"), m.data());
}

fn read_csr(r: &Reader<'_>, name: &str, rows: usize, cols: usize) -> Result<Csr> {
    let indptr = r.u64s(&format!("{name}.indptr"))?;
    let indptr: Vec<usize> = indptr
        .into_iter()
        .map(|p| usize::try_from(p).map_err(|_| corrupt(format!("{name}.indptr: {p} does not fit"))))
        .collect::<Result<_>>()?;
    let indices = r.u32s(&format!("{name}.indices"))?;
    let data = r.f64s(&format!("{name}.data"))?;
    stored(name, Csr::new(rows, cols, indptr, indices, data))
}

fn write_reservoir(w: &mut Writer, r: &Reservoir) {
    write_csr(w, "w", &r.w);
    write_csr(w, "win", &r.win);
    write_csr(w, "wfb", &r.wfb);
    w.f64s("weights.bias", &r.bias);
    w.f64s("weights.lr", &r.lr);
    w.f64s("state.x", &r.x);
    w.f64s("state.s", &r.s);
}

fn read_reservoir(r: &Reader<'_>, params: ReservoirParams, seed: u64, steps: u64) -> Result<Reservoir> {
    let (Some(units), Some(input_dim)) = (params.units, params.input_dim) else {
        return Err(corrupt("params: units and input_dim must be stored".into()));
    };
    if params.seed != Some(seed) {
        return Err(corrupt("params.seed differs from seed".into()));
    }
    let w = read_csr(r, "w", units, units)?;
    let win = read_csr(r, "win", units, input_dim)?;
    let wfb = read_csr(r, "wfb", units, params.fb_dim)?;
    let bias = r.f64s("weights.bias")?;
    let lr = r.f64s("weights.lr")?;
    let x = r.f64s("state.x")?;
    let s = r.f64s("state.s")?;
    stored(
        "weights.bias",
        crate::error::check::len("weights.bias", units, bias.len()).map_err(Into::into),
    )?;
    stored(
        "weights.lr",
        crate::error::check::len("weights.lr", units, lr.len()).map_err(Into::into),
    )?;
    if let Some(i) = lr.iter().position(|v| !(*v > 0.0 && *v <= 1.0)) {
        return Err(corrupt(format!(
            "weights.lr: element {i} is {}, must be in (0, 1]",
            lr[i]
        )));
    }
    stored(
        "weights.bias",
        crate::error::check::all_finite("weights.bias", &bias).map_err(Into::into),
    )?;
    let mut res = stored(
        "reservoir",
        Reservoir::assemble(params, seed, w, win, wfb, bias, lr),
    )?;
    stored("state.x", res.set_state(&x))?;
    if res.s.is_empty() {
        if !s.is_empty() {
            return Err(corrupt(
                "state.s: must be empty for the 'internal' equation".into(),
            ));
        }
    } else {
        stored("state.s", res.set_internal_state(&s))?;
    }
    res.steps = steps;
    Ok(res)
}

impl Reservoir {
    /// The reservoir (weights, parameters, seed, state) in the neuroquant container (kind
    /// `reservoir`, see `reservoir::serialize`).
    ///
    /// ```
    /// use neuroquant::reservoir::{Reservoir, ReservoirParams};
    /// let mut r = Reservoir::new(ReservoirParams::default().units(20).input_dim(1).seed(2))?;
    /// r.step(&[0.5], &[])?;
    /// let mut back = Reservoir::from_bytes(&r.to_bytes()?)?;
    /// assert_eq!(back.step(&[0.1], &[])?, r.step(&[0.1], &[])?);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = Writer::new("reservoir", RESERVOIR_VERSION, Json::Null);
        let params = keywords_json(&self.params, "param.", &mut w)?;
        write_reservoir(&mut w, self);
        w.set_meta(
            serde_json::to_value(ReservoirMeta {
                params,
                seed: self.seed,
                steps: self.steps,
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads a reservoir written by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("reservoir", RESERVOIR_VERSION)?;
        let meta: ReservoirMeta = r.meta()?;
        let params = stored(
            "params",
            keywords_from_json::<ReservoirParams>("reservoir", &meta.params, "param.", &r),
        )?;
        read_reservoir(&r, params, meta.seed, meta.steps)
    }
}

impl Esn {
    /// The network (reservoir, readout, parameters, seed, state and last output) in the
    /// neuroquant container (kind `esn`, see `reservoir::serialize`).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut w = Writer::new("esn", ESN_VERSION, Json::Null);
        let params = keywords_json(&self.params, "param.", &mut w)?;
        write_reservoir(&mut w, &self.reservoir);
        let (wout, bias) = match &self.readout {
            Some(r) => (r.wout(), r.bias()),
            None => (&[][..], &[][..]),
        };
        w.f64s("readout.wout", wout);
        w.f64s("readout.bias", bias);
        w.f64s("state.last_output", &self.last_output);
        w.set_meta(
            serde_json::to_value(EsnMeta {
                params,
                seed: self.reservoir.seed,
                steps: self.reservoir.steps,
                outputs: self.outputs as u64,
                fitted: self.readout.is_some(),
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads a network written by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("esn", ESN_VERSION)?;
        let meta: EsnMeta = r.meta()?;
        let params = stored(
            "params",
            keywords_from_json::<EsnParams>("esn", &meta.params, "param.", &r),
        )?;
        let reservoir = read_reservoir(&r, params.reservoir.clone(), meta.seed, meta.steps)?;
        let outputs = usize::try_from(meta.outputs).map_err(|_| corrupt("outputs does not fit".into()))?;
        let mut esn = stored("esn", Esn::from_reservoir(params, reservoir, outputs))?;
        let (wout, bias) = (r.f64s("readout.wout")?, r.f64s("readout.bias")?);
        if meta.fitted {
            let readout = stored("readout", Readout::new(wout, bias, esn.features()))?;
            stored("readout", esn.set_readout(readout))?;
        } else if !wout.is_empty() || !bias.is_empty() {
            return Err(corrupt("readout: stored although fitted is false".into()));
        }
        stored(
            "state.last_output",
            esn.set_last_output(&r.f64s("state.last_output")?),
        )?;
        Ok(esn)
    }
}
