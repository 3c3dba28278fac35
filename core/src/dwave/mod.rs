//! The D-Wave backend (cargo feature `dwave`): a Solver API client implementing
//! [`Sampler`](crate::anneal::Sampler) for QPU solvers ([`DWaveSampler`]) and Leap hybrid BQM
//! solvers ([`LeapHybridSampler`]), minor embedding onto a QPU's graph ([`EmbeddingSampler`],
//! [`Embedding`], [`find_embedding`]), with Ocean's configuration, names and formats.
//!
//! Everything composes with [`FallbackSampler`](crate::anneal::FallbackSampler): a host runs the
//! same model on a QPU when configured and on a local sampler otherwise.

mod client;
mod conf_file;
mod config;
mod embedding;
mod embedding_sampler;
mod error;
mod find_embedding;
mod http;
mod hybrid;
mod params;
mod qp;
mod qpu_sampler;
mod solver;
mod topology;
mod upload;

pub use client::{Client, LONG_POLL_WAIT_S, ProblemStatus, STATUS_QUERY_SIZE, SUBMIT_BATCH, media};
pub use config::{
    DEFAULT_METADATA_API_ENDPOINT, DEFAULT_REGION, DEFAULT_REQUEST_TIMEOUT_S, DWaveConfig, REDACTED,
    ResolvedConfig, Token,
};
pub use embedding::{EmbeddedStructure, Embedding, TargetGraph, UTC_PREFACTOR, uniform_torque_compensation};
pub use embedding_sampler::{EmbeddingCompositeParams, EmbeddingSampler};
pub use error::DWaveError;
pub use find_embedding::{EmbeddingParams, MAX_TARGET_NODES, find_embedding};
pub use http::{MAX_BACKOFF, MAX_RESPONSE_BYTES, MAX_RETRIES, MIN_BACKOFF, SAPI_VERSION, redact_url};
pub use hybrid::{LeapHybridSampler, decode_bq};
pub use params::{AnswerMode, HybridParams, QpuParams, Schedule, min_time_limit};
pub use qp::{
    DecodedQpProblem, EncodedQp, MAX_ANSWER_QUBITS, ProblemType, QpAnswer, check_structure, decode_qp,
    decode_qp_problem, encode_qp, encode_qp_answer,
};
pub use qpu_sampler::DWaveSampler;
pub use solver::{SolverFilter, SolverInfo};
pub use topology::{chimera_graph, pegasus_graph};
pub use upload::{UPLOAD_PART_ATTEMPTS, UPLOAD_PART_SIZE, combined_checksum, part_checksums};
