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
//! `param.<keyword>`. The readout, RLS, LMS, NVAR and LSM kinds are listed beside their code below. The CSR arrays are scipy's `csr_matrix` layout; the shapes follow from
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

/// The other kinds (version 1), each `meta = {"params": keywords, ...}`:
///
/// | kind | meta | arrays |
/// |---|---|---|
/// | `readout` | `features`, `outputs`, `params` ([`RidgeParams`] keywords) | `readout.wout`, `readout.bias` |
/// | `rls` | `params`, `features`, `outputs`, `count` | `readout.wout`, `readout.bias`, `state.p` |
/// | `lms` | `params`, `features`, `outputs` | `readout.wout`, `readout.bias` |
/// | `nvar` | `params` (with `input_dim`) | `state.store`, `state.mean`, `state.scale` |
/// | `lsm` | `params` (with the seed) | `wt.*` and `wint.*` (the transposed weights, source × target, CSR), `state.v`, `state.spikes` (`<u8` 0/1), `state.refractory` (`<u8`) |
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmallMeta {
    params: Map<String, Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    features: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outputs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<f64>,
}

fn small_writer<P: crate::params::KeywordArgs>(
    kind: &'static str,
    params: &P,
) -> Result<(Writer, Map<String, Json>)> {
    let mut w = Writer::new(kind, 1, Json::Null);
    let p = keywords_json(params, "param.", &mut w)?;
    Ok((w, p))
}

fn small_reader<'a, P: crate::params::KeywordArgs>(
    kind: &'static str,
    bytes: &'a [u8],
) -> Result<(Reader<'a>, SmallMeta, P)> {
    let r = Reader::parse(bytes)?;
    r.expect_kind(kind, 1)?;
    let meta: SmallMeta = r.meta()?;
    let params = stored(
        "params",
        keywords_from_json::<P>(kind, &meta.params, "param.", &r),
    )?;
    Ok((r, meta, params))
}

fn dims(meta: &SmallMeta) -> Result<(usize, usize)> {
    let f = meta.features.and_then(|v| usize::try_from(v).ok());
    let o = meta.outputs.and_then(|v| usize::try_from(v).ok());
    match (f, o) {
        (Some(f), Some(o)) => Ok((f, o)),
        _ => Err(corrupt("features and outputs are required".into())),
    }
}

fn read_readout(r: &Reader<'_>, features: usize, outputs: usize) -> Result<Readout> {
    let (wout, bias) = (r.f64s("readout.wout")?, r.f64s("readout.bias")?);
    stored(
        "readout.bias",
        crate::error::check::len("readout.bias", outputs, bias.len()).map_err(Into::into),
    )?;
    stored("readout", Readout::new(wout, bias, features))
}

impl Readout {
    /// The readout with the ridge parameters that made it (kind `readout`).
    pub fn to_bytes(&self, params: &super::ridge::RidgeParams) -> Result<Vec<u8>> {
        let (mut w, p) = small_writer("readout", params)?;
        w.f64s("readout.wout", &self.wout);
        w.f64s("readout.bias", &self.bias);
        w.set_meta(
            serde_json::to_value(SmallMeta {
                params: p,
                features: Some(self.features as u64),
                outputs: Some(self.outputs as u64),
                count: None,
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<(Self, super::ridge::RidgeParams)> {
        let (r, meta, params) = small_reader::<super::ridge::RidgeParams>("readout", bytes)?;
        let (f, o) = dims(&meta)?;
        Ok((read_readout(&r, f, o)?, params))
    }
}

impl super::online::Rls {
    /// The readout, P and the bias count (kind `rls`), so training resumes exactly.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (mut w, p) = small_writer("rls", &self.params)?;
        w.f64s("readout.wout", &self.readout.wout);
        w.f64s("readout.bias", &self.readout.bias);
        w.f64s("state.p", &self.p);
        w.set_meta(
            serde_json::to_value(SmallMeta {
                params: p,
                features: Some(self.readout.features as u64),
                outputs: Some(self.readout.outputs as u64),
                count: Some(self.count),
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (r, meta, params) = small_reader::<super::online::RlsParams>("rls", bytes)?;
        let (f, o) = dims(&meta)?;
        let mut rls = stored("rls", Self::new(params, f, o))?;
        rls.readout = read_readout(&r, f, o)?;
        let p = r.f64s("state.p")?;
        stored(
            "state.p",
            crate::error::check::len("state.p", f * f, p.len()).map_err(Into::into),
        )?;
        stored(
            "state.p",
            crate::error::check::all_finite("state.p", &p).map_err(Into::into),
        )?;
        rls.p = p;
        rls.count = meta
            .count
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| corrupt("count: must be a finite number >= 0".into()))?;
        Ok(rls)
    }
}

impl super::online::Lms {
    /// The readout (kind `lms`).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (mut w, p) = small_writer("lms", &self.params)?;
        w.f64s("readout.wout", &self.readout.wout);
        w.f64s("readout.bias", &self.readout.bias);
        w.set_meta(
            serde_json::to_value(SmallMeta {
                params: p,
                features: Some(self.readout.features as u64),
                outputs: Some(self.readout.outputs as u64),
                count: None,
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (r, meta, params) = small_reader::<super::online::LmsParams>("lms", bytes)?;
        let (f, o) = dims(&meta)?;
        let mut lms = stored("lms", Self::new(params, f, o))?;
        lms.readout = read_readout(&r, f, o)?;
        Ok(lms)
    }
}

impl super::nvar::Nvar {
    /// The delay line and standardisation (kind `nvar`).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (mut w, p) = small_writer("nvar", &self.params)?;
        w.f64s("state.store", &self.store);
        w.f64s("state.mean", &self.mean);
        w.f64s("state.scale", &self.scale);
        w.set_meta(
            serde_json::to_value(SmallMeta {
                params: p,
                features: None,
                outputs: None,
                count: None,
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (r, _, params) = small_reader::<super::nvar::NvarParams>("nvar", bytes)?;
        let mut nv = stored("nvar", Self::new(params))?;
        stored(
            "state",
            nv.set_standardization(&r.f64s("state.mean")?, &r.f64s("state.scale")?),
        )?;
        let store = r.f64s("state.store")?;
        stored(
            "state.store",
            crate::error::check::len("state.store", nv.store.len(), store.len()).map_err(Into::into),
        )?;
        stored(
            "state.store",
            crate::error::check::all_finite("state.store", &store).map_err(Into::into),
        )?;
        nv.store = store;
        Ok(nv)
    }
}

impl super::lsm::Lsm {
    /// The weights and the neuron states (kind `lsm`).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let (mut w, p) = small_writer("lsm", &self.params)?;
        write_csr(&mut w, "wt", &self.w_t);
        write_csr(&mut w, "wint", &self.win_t);
        w.f64s("state.v", &self.v);
        w.u32s(
            "state.spikes",
            &self.spikes.iter().map(|&s| u32::from(s)).collect::<Vec<_>>(),
        );
        w.u32s("state.refractory", &self.refractory_left);
        w.set_meta(
            serde_json::to_value(SmallMeta {
                params: p,
                features: None,
                outputs: None,
                count: None,
            })
            .expect("plain data"),
        );
        Ok(w.finish())
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (r, _, params) = small_reader::<super::lsm::LsmParams>("lsm", bytes)?;
        let (n, d) = (params.units, params.input_dim);
        let w_t = read_csr(&r, "wt", n, n)?;
        let win_t = read_csr(&r, "wint", d, n)?;
        let w = stored("wt", super::lsm::transpose(&w_t))?;
        let win = stored("wint", super::lsm::transpose(&win_t))?;
        let mut lsm = stored("lsm", Self::with_weights(params, w, win))?;
        let (v, spikes, refr) = (
            r.f64s("state.v")?,
            r.u32s("state.spikes")?,
            r.u32s("state.refractory")?,
        );
        for (name, len) in [
            ("state.v", v.len()),
            ("state.spikes", spikes.len()),
            ("state.refractory", refr.len()),
        ] {
            stored(name, crate::error::check::len(name, n, len).map_err(Into::into))?;
        }
        stored(
            "state.v",
            crate::error::check::all_finite("state.v", &v).map_err(Into::into),
        )?;
        if spikes.iter().any(|&s| s > 1) {
            return Err(corrupt("state.spikes: must be 0 or 1".into()));
        }
        lsm.v = v;
        lsm.spikes = spikes.iter().map(|&s| s as u8).collect();
        lsm.refractory_left = refr;
        Ok(lsm)
    }
}
