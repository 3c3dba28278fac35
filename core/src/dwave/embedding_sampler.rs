//! [`EmbeddingSampler`]: any model on a QPU through a minor embedding, as dwave-system's
//! `EmbeddingComposite` (heuristic embedding per model) and `FixedEmbeddingComposite` (a given
//! embedding).

use super::embedding::{Embedding, TargetGraph};
use super::error::DWaveError;
use super::find_embedding::{EmbeddingParams, find_embedding};
use super::qpu_sampler::DWaveSampler;
use crate::Result;
use crate::anneal::{Column, SampleSet, Sampler};
use crate::control::Control;
use crate::params::{Keyword, KeywordArgs, params};
use crate::qubo::Bqm;
use serde_json::{Value as Json, json};
use std::time::Instant;

const NAME: &str = "dwave_embedding";

params! {
    /// Parameters of the embedding composite (dwave-system's EmbeddingComposite.sample
    /// keywords), plus the embedding finder's.
    pub struct EmbeddingCompositeParams {
        /// Coupling of the qubits of a chain. None: uniform_torque_compensation with prefactor
        /// 1.414 (dwave-system's default).
        keyword chain_strength: Option<f64> = None,
        /// Add each row's fraction of broken chains as the vector chain_break_fraction.
        keyword chain_break_fraction: bool = true,
        /// Put the embedding, the chain strength and the embedding timings in
        /// info["embedding_context"].
        keyword return_embedding: bool = false,
        /// The heuristic embedding finder.
        group embedding_parameters: EmbeddingParams = EmbeddingParams::default(),
    }
}

impl EmbeddingCompositeParams {
    fn check(&self) -> Result<()> {
        if let Some(s) = self.chain_strength {
            crate::error::check::finite("chain_strength", s)?;
            if s <= 0.0 {
                return Err(crate::error::ArgumentError::Invalid {
                    argument: "chain_strength",
                    reason: format!("is {s}, must be > 0"),
                }
                .into());
            }
        }
        Ok(())
    }
}

/// Samples any model on a QPU: finds an embedding (or uses a fixed one), embeds the model with
/// the chain strength, samples with the child [`DWaveSampler`], and unembeds by majority vote.
/// Rows are in the model's variables, energies are the model's; `chain_break_fraction` is a
/// vector; `info.extra` keeps the child's `timing` and `problem_id`.
#[derive(Debug, Clone)]
pub struct EmbeddingSampler {
    child: DWaveSampler,
    target: TargetGraph,
    params: EmbeddingCompositeParams,
    fixed: Option<Embedding>,
}

impl EmbeddingSampler {
    /// Wraps `child`; each model gets an embedding from [`find_embedding`].
    pub fn new(child: DWaveSampler, params: EmbeddingCompositeParams) -> Result<Self> {
        params.validate()?;
        let target = TargetGraph::of_solver(child.solver())?;
        Ok(EmbeddingSampler {
            child,
            target,
            params,
            fixed: None,
        })
    }

    /// Wraps `child` with a fixed embedding (dwave-system's `FixedEmbeddingComposite`),
    /// validated against each model when sampling.
    pub fn with_embedding(
        child: DWaveSampler,
        embedding: Embedding,
        params: EmbeddingCompositeParams,
    ) -> Result<Self> {
        let mut s = Self::new(child, params)?;
        s.fixed = Some(embedding);
        Ok(s)
    }

    /// The same child and embedding with other parameters.
    pub fn with_params(&self, params: EmbeddingCompositeParams) -> Result<Self> {
        params.validate()?;
        Ok(EmbeddingSampler {
            child: self.child.clone(),
            target: self.target.clone(),
            params,
            fixed: self.fixed.clone(),
        })
    }

    /// The child sampler.
    pub fn child(&self) -> &DWaveSampler {
        &self.child
    }

    /// The child's working graph.
    pub fn target(&self) -> &TargetGraph {
        &self.target
    }

    /// The parameters.
    pub fn params(&self) -> &EmbeddingCompositeParams {
        &self.params
    }
}

impl Sampler for EmbeddingSampler {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        EmbeddingCompositeParams::keywords()
    }

    fn properties(&self) -> Json {
        json!({"child_properties": self.child.properties()})
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let t0 = Instant::now();
        let embedding = match &self.fixed {
            Some(e) => e.clone(),
            None if bqm.num_variables() == 0 => Embedding::default(),
            None => find_embedding(bqm, &self.target, &self.params.embedding_parameters, control)?,
        };
        let structure = embedding.structure(bqm, &self.target)?;
        let (target_bqm, strength) = structure.embed_bqm(bqm, self.params.chain_strength)?;
        let embedding_s = t0.elapsed().as_secs_f64();
        if bqm.num_variables() == 0 {
            return Err(DWaveError::Embedding("the model has no variables".into()).into());
        }
        let active = structure.active_qubits();
        let target_set = self.child.sample_qubits(&target_bqm, Some(&active), control)?;
        let t1 = Instant::now();
        let (rows, fraction) = structure.unembed(target_set.samples(), bqm.vartype());
        let energies = bqm.energies_vec(&rows)?;
        let mut info = target_set.info().clone();
        info.sampler = NAME.into();
        info.timing.postprocessing_ns += t1.elapsed().as_nanos() as u64;
        if self.params.return_embedding {
            info.extra.insert(
                "embedding_context".into(),
                json!({
                    "embedding": embedding.chains(),
                    "chain_break_method": "majority_vote",
                    "chain_strength": strength,
                    "timing": {"embedding": embedding_s, "unembedding": t1.elapsed().as_secs_f64()},
                }),
            );
        }
        // The child's occurrence counts carry over row by row.
        let occurrences = target_set.num_occurrences().to_vec();
        let mut with_counts = SampleSet::new(
            bqm.vartype(),
            bqm.num_variables(),
            rows,
            energies,
            Some(occurrences),
        )?;
        with_counts.set_info(info)?;
        if self.params.chain_break_fraction {
            with_counts.set_vector("chain_break_fraction", Column::F64(fraction))?;
        }
        Ok(with_counts)
    }
}
