//! Sample sets and sampler parameters in the neuroquant container (ARCHITECTURE.md), so a
//! controller can store a configuration or a result and read it back from Rust, C or Python.
//!
//! Kinds (all version 1), scalars in `meta`, vectors as arrays:
//!
//! | kind | meta | arrays |
//! |---|---|---|
//! | `sampleset` | `vartype`, `num_variables`, `num_rows`, `info` (the [`Info`] as JSON), `vectors` (`{name: "i64"\|"f64"}`) | `samples` (`\|i1`, rows × variables, row-major), `energies` (`<f8`), `num_occurrences` (`<u8`), `vector.<name>` (`<i8` or `<f8`) |
//! | `simulated_annealing_params` | the scalar fields under their dwave names, `initial_states_shape` | `beta_schedule` (`<f8`), `initial_states` (`\|i1`), when present |
//! | `steepest_descent_params` | scalar fields, `initial_states_shape` | `initial_states` |
//! | `tabu_params` | scalar fields, `initial_states_shape` | `initial_states` |
//! | `exact_params` | `mode`, `max_ground_states` | — |
//! | `parallel_tempering_params` | scalar fields, `initial_states_shape` | `betas` (`<f8`), `initial_states` |
//! | `path_integral_params` | scalar fields, `initial_states_shape` | `schedule_s`, `schedule_beta` (`<f8`), `schedule_sweeps` (`<u8`), `initial_states` |
//!
//! Readers validate everything they read with the same rules as the constructors.

use super::exact::ExactParams;
use super::parallel_tempering::{ParallelTemperingParams, PtOutput};
use super::path_integral::{PathIntegralParams, SqaStep};
use super::steepest_descent::SteepestDescentParams;
use super::tabu::TabuParams;
use super::{
    BetaScheduleType, Column, Info, InitialStates, InitialStatesGenerator, ProposalAcceptance, SampleSet,
    SimulatedAnnealingParams,
};
use crate::Result;
use crate::error::check;
use crate::format::{FormatError, Reader, Writer};
use crate::qubo::Vartype;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const VERSION: u32 = 1;

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt { offset: 16, reason }.into()
}

fn to_meta<T: Serialize>(meta: &T) -> serde_json::Value {
    serde_json::to_value(meta).expect("plain data with finite numbers")
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleSetMeta {
    vartype: Vartype,
    num_variables: u64,
    num_rows: u64,
    info: Info,
    vectors: BTreeMap<String, String>,
}

impl SampleSet {
    /// The sample set in the neuroquant container (kind `sampleset`, see `anneal::serialize`).
    /// Fails only if `info.beta_range` holds a non-finite number (which JSON cannot carry).
    ///
    /// ```
    /// use neuroquant::anneal::SampleSet;
    /// use neuroquant::qubo::Vartype;
    /// let set = SampleSet::new(Vartype::Spin, 2, vec![1, -1, 1, 1], vec![0.5, -1.0], None)?;
    /// assert_eq!(SampleSet::from_bytes(&set.to_bytes()?)?, set);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        if let Some(r) = self.info().beta_range {
            check::all_finite("info.beta_range", &r)?;
        }
        let vectors = self
            .vectors()
            .iter()
            .map(|(k, c)| {
                let t = match c {
                    Column::I64(_) => "i64",
                    Column::F64(_) => "f64",
                };
                (k.clone(), t.to_owned())
            })
            .collect();
        let meta = SampleSetMeta {
            vartype: self.vartype(),
            num_variables: self.num_variables() as u64,
            num_rows: self.len() as u64,
            info: self.info().clone(),
            vectors,
        };
        let mut w = Writer::new("sampleset", VERSION, to_meta(&meta));
        w.i8s("samples", self.samples());
        w.f64s("energies", self.energies());
        w.u64s("num_occurrences", self.num_occurrences());
        for (name, column) in self.vectors() {
            let array = format!("vector.{name}");
            match column {
                Column::I64(v) => w.i64s(&array, v),
                Column::F64(v) => w.f64s(&array, v),
            }
        }
        Ok(w.finish())
    }

    /// Reads a sample set written by [`to_bytes`](Self::to_bytes), validating shapes, values and
    /// finiteness.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let r = Reader::parse(bytes)?;
        r.expect_kind("sampleset", VERSION)?;
        let meta: SampleSetMeta = r.meta()?;
        let samples = r.i8s("samples")?;
        let energies = r.f64s("energies")?;
        let occurrences = r.u64s("num_occurrences")?;
        if energies.len() as u64 != meta.num_rows {
            return Err(corrupt(format!(
                "{} energies for {} rows",
                energies.len(),
                meta.num_rows
            )));
        }
        let n = usize::try_from(meta.num_variables).map_err(|_| corrupt("num_variables too large".into()))?;
        let mut set = SampleSet::new(meta.vartype, n, samples, energies, Some(occurrences))?;
        for (name, t) in &meta.vectors {
            let array = format!("vector.{name}");
            let column = match t.as_str() {
                "i64" => Column::I64(r.i64s(&array)?),
                "f64" => Column::F64(r.f64s(&array)?),
                other => return Err(corrupt(format!("vector `{name}` has unknown type {other:?}"))),
            };
            set.set_vector(name, column)?;
        }
        if let Some(range) = meta.info.beta_range {
            check::all_finite("info.beta_range", &range)?;
        }
        *set.info_mut() = meta.info;
        Ok(set)
    }
}

/// Writes `initial_states` (if any) and returns its shape for `meta`.
fn put_states(w: &mut Writer, states: &Option<InitialStates>) -> Option<[u64; 2]> {
    states.as_ref().map(|s| {
        w.i8s("initial_states", s.samples());
        [s.num_states() as u64, s.num_variables() as u64]
    })
}

fn get_states(r: &Reader<'_>, shape: Option<[u64; 2]>) -> Result<Option<InitialStates>> {
    match shape {
        None if r.has("initial_states") => Err(corrupt("initial_states present without a shape".into())),
        None => Ok(None),
        Some([rows, cols]) => {
            let samples = r.i8s("initial_states")?;
            let rows = usize::try_from(rows).map_err(|_| corrupt("initial_states shape too large".into()))?;
            let cols = usize::try_from(cols).map_err(|_| corrupt("initial_states shape too large".into()))?;
            Ok(Some(InitialStates::new(rows, cols, samples)?))
        }
    }
}

fn optional_f64s(r: &Reader<'_>, name: &str, present: bool) -> Result<Option<Vec<f64>>> {
    match (present, r.has(name)) {
        (true, _) => Ok(Some(r.f64s(name)?)),
        (false, false) => Ok(None),
        (false, true) => Err(corrupt(format!(
            "array `{name}` present but not announced in meta"
        ))),
    }
}

/// Declares the `meta` struct of a parameter kind and its `to_bytes`/`from_bytes`.
macro_rules! params_format {
    (
        $params:ident, $kind:literal, $meta:ident { $($field:ident : $ty:ty),* $(,)? },
        write($p:ident, $w:ident) $write:block,
        read($r:ident, $m:ident) $read:block
    ) => {
        #[derive(Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $meta {
            $($field: $ty,)*
        }

        impl $params {
            #[doc = concat!("The parameters in the neuroquant container (kind `", $kind, "`); validated first.")]
            pub fn to_bytes(&self) -> Result<Vec<u8>> {
                self.validate()?;
                let $p = self;
                #[allow(unused_mut)]
                let mut $w = Writer::new($kind, VERSION, serde_json::Value::Null);
                let meta: $meta = $write;
                let mut w = $w;
                w.set_meta(to_meta(&meta));
                Ok(w.finish())
            }

            #[doc = concat!("Reads parameters written by `to_bytes` (kind `", $kind, "`) and validates them.")]
            pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
                let $r = Reader::parse(bytes)?;
                $r.expect_kind($kind, VERSION)?;
                let $m: $meta = $r.meta()?;
                let params: $params = $read;
                params.validate()?;
                Ok(params)
            }
        }
    };
}

params_format!(
    SimulatedAnnealingParams, "simulated_annealing_params", SaMeta {
        num_reads: Option<usize>,
        num_sweeps: Option<usize>,
        num_sweeps_per_beta: usize,
        beta_range: Option<[f64; 2]>,
        beta_schedule_type: BetaScheduleType,
        has_beta_schedule: bool,
        seed: Option<u64>,
        initial_states_shape: Option<[u64; 2]>,
        initial_states_generator: InitialStatesGenerator,
        randomize_order: bool,
        proposal_acceptance_criteria: ProposalAcceptance,
    },
    write(p, w) {
        if let Some(b) = &p.beta_schedule {
            w.f64s("beta_schedule", b);
        }
        SaMeta {
            num_reads: p.num_reads,
            num_sweeps: p.num_sweeps,
            num_sweeps_per_beta: p.num_sweeps_per_beta,
            beta_range: p.beta_range,
            beta_schedule_type: p.beta_schedule_type,
            has_beta_schedule: p.beta_schedule.is_some(),
            seed: p.seed,
            initial_states_shape: put_states(&mut w, &p.initial_states),
            initial_states_generator: p.initial_states_generator,
            randomize_order: p.randomize_order,
            proposal_acceptance_criteria: p.proposal_acceptance_criteria,
        }
    },
    read(r, m) {
        SimulatedAnnealingParams {
            num_reads: m.num_reads,
            num_sweeps: m.num_sweeps,
            num_sweeps_per_beta: m.num_sweeps_per_beta,
            beta_range: m.beta_range,
            beta_schedule_type: m.beta_schedule_type,
            beta_schedule: optional_f64s(&r, "beta_schedule", m.has_beta_schedule)?,
            seed: m.seed,
            initial_states: get_states(&r, m.initial_states_shape)?,
            initial_states_generator: m.initial_states_generator,
            randomize_order: m.randomize_order,
            proposal_acceptance_criteria: m.proposal_acceptance_criteria,
        }
    }
);

params_format!(
    SteepestDescentParams, "steepest_descent_params", SdMeta {
        num_reads: Option<usize>,
        seed: Option<u64>,
        initial_states_shape: Option<[u64; 2]>,
        initial_states_generator: InitialStatesGenerator,
        large_sparse_opt: bool,
    },
    write(p, w) {
        SdMeta {
            num_reads: p.num_reads,
            seed: p.seed,
            initial_states_shape: put_states(&mut w, &p.initial_states),
            initial_states_generator: p.initial_states_generator,
            large_sparse_opt: p.large_sparse_opt,
        }
    },
    read(r, m) {
        SteepestDescentParams {
            num_reads: m.num_reads,
            seed: m.seed,
            initial_states: get_states(&r, m.initial_states_shape)?,
            initial_states_generator: m.initial_states_generator,
            large_sparse_opt: m.large_sparse_opt,
        }
    }
);

params_format!(
    TabuParams, "tabu_params", TabuMeta {
        num_reads: Option<usize>,
        seed: Option<u64>,
        initial_states_shape: Option<[u64; 2]>,
        initial_states_generator: InitialStatesGenerator,
        tenure: Option<usize>,
        timeout: Option<u64>,
        num_restarts: u64,
        energy_threshold: Option<f64>,
        coefficient_z_first: Option<u64>,
        coefficient_z_restart: Option<u64>,
        lower_bound_z: Option<u64>,
    },
    write(p, w) {
        TabuMeta {
            num_reads: p.num_reads,
            seed: p.seed,
            initial_states_shape: put_states(&mut w, &p.initial_states),
            initial_states_generator: p.initial_states_generator,
            tenure: p.tenure,
            timeout: p.timeout,
            num_restarts: p.num_restarts,
            energy_threshold: p.energy_threshold,
            coefficient_z_first: p.coefficient_z_first,
            coefficient_z_restart: p.coefficient_z_restart,
            lower_bound_z: p.lower_bound_z,
        }
    },
    read(r, m) {
        TabuParams {
            num_reads: m.num_reads,
            seed: m.seed,
            initial_states: get_states(&r, m.initial_states_shape)?,
            initial_states_generator: m.initial_states_generator,
            tenure: m.tenure,
            timeout: m.timeout,
            num_restarts: m.num_restarts,
            energy_threshold: m.energy_threshold,
            coefficient_z_first: m.coefficient_z_first,
            coefficient_z_restart: m.coefficient_z_restart,
            lower_bound_z: m.lower_bound_z,
        }
    }
);

params_format!(
    ExactParams, "exact_params", ExactMeta {
        params: ExactParams,
    },
    write(p, w) {
        ExactMeta { params: *p }
    },
    read(r, m) {
        let _ = &r;
        m.params
    }
);

params_format!(
    ParallelTemperingParams, "parallel_tempering_params", PtMeta {
        num_reads: Option<usize>,
        num_replicas: usize,
        num_sweeps: usize,
        swap_interval: usize,
        beta_range: Option<[f64; 2]>,
        has_betas: bool,
        seed: Option<u64>,
        initial_states_shape: Option<[u64; 2]>,
        initial_states_generator: InitialStatesGenerator,
        randomize_order: bool,
        proposal_acceptance_criteria: ProposalAcceptance,
        output: PtOutput,
    },
    write(p, w) {
        if let Some(b) = &p.betas {
            w.f64s("betas", b);
        }
        PtMeta {
            num_reads: p.num_reads,
            num_replicas: p.num_replicas,
            num_sweeps: p.num_sweeps,
            swap_interval: p.swap_interval,
            beta_range: p.beta_range,
            has_betas: p.betas.is_some(),
            seed: p.seed,
            initial_states_shape: put_states(&mut w, &p.initial_states),
            initial_states_generator: p.initial_states_generator,
            randomize_order: p.randomize_order,
            proposal_acceptance_criteria: p.proposal_acceptance_criteria,
            output: p.output,
        }
    },
    read(r, m) {
        ParallelTemperingParams {
            num_reads: m.num_reads,
            num_replicas: m.num_replicas,
            num_sweeps: m.num_sweeps,
            swap_interval: m.swap_interval,
            beta_range: m.beta_range,
            betas: optional_f64s(&r, "betas", m.has_betas)?,
            seed: m.seed,
            initial_states: get_states(&r, m.initial_states_shape)?,
            initial_states_generator: m.initial_states_generator,
            randomize_order: m.randomize_order,
            proposal_acceptance_criteria: m.proposal_acceptance_criteria,
            output: m.output,
        }
    }
);

params_format!(
    PathIntegralParams, "path_integral_params", SqaMeta {
        num_reads: Option<usize>,
        beta: f64,
        gamma: f64,
        trotter: usize,
        num_sweeps: usize,
        has_schedule: bool,
        seed: Option<u64>,
        initial_states_shape: Option<[u64; 2]>,
        initial_states_generator: InitialStatesGenerator,
        return_all_slices: bool,
    },
    write(p, w) {
        if let Some(steps) = &p.schedule {
            w.f64s("schedule_s", &steps.iter().map(|s| s.s).collect::<Vec<_>>());
            w.f64s("schedule_beta", &steps.iter().map(|s| s.beta).collect::<Vec<_>>());
            w.u64s("schedule_sweeps", &steps.iter().map(|s| s.sweeps as u64).collect::<Vec<_>>());
        }
        SqaMeta {
            num_reads: p.num_reads,
            beta: p.beta,
            gamma: p.gamma,
            trotter: p.trotter,
            num_sweeps: p.num_sweeps,
            has_schedule: p.schedule.is_some(),
            seed: p.seed,
            initial_states_shape: put_states(&mut w, &p.initial_states),
            initial_states_generator: p.initial_states_generator,
            return_all_slices: p.return_all_slices,
        }
    },
    read(r, m) {
        let schedule = match optional_f64s(&r, "schedule_s", m.has_schedule)? {
            None => None,
            Some(s) => {
                let beta = r.f64s("schedule_beta")?;
                let sweeps = r.u64s("schedule_sweeps")?;
                if beta.len() != s.len() || sweeps.len() != s.len() {
                    return Err(corrupt("schedule arrays differ in length".into()));
                }
                let mut steps = Vec::with_capacity(s.len());
                for i in 0..s.len() {
                    let sweeps = usize::try_from(sweeps[i]).map_err(|_| corrupt("schedule sweeps too large".into()))?;
                    steps.push(SqaStep { s: s[i], beta: beta[i], sweeps });
                }
                Some(steps)
            }
        };
        PathIntegralParams {
            num_reads: m.num_reads,
            beta: m.beta,
            gamma: m.gamma,
            trotter: m.trotter,
            num_sweeps: m.num_sweeps,
            schedule,
            seed: m.seed,
            initial_states: get_states(&r, m.initial_states_shape)?,
            initial_states_generator: m.initial_states_generator,
            return_all_slices: m.return_all_slices,
        }
    }
);
