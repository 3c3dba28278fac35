//! Model files in the formats of the field: qbsolv `.qubo`, rudy / G-set edge lists, dimod COO
//! text, dimod `to_serializable()` JSON and dimod's binary DIMODBQM file, plus neuroquant's own
//! container. Each format reads from bytes or text and writes to bytes or a string; [`read`],
//! [`write()`], [`read_path`] and [`write_path`] dispatch on a [`Format`].
//!
//! Readers validate everything (SPEC §5): truncated, corrupt, wrong-magic, wrong-version and
//! oversized inputs are rejected with a [`FormatError`](crate::format::FormatError) naming the
//! line (text) or byte offset (binary), never a panic, and nothing is allocated from a count in
//! the file before the data it implies is known to be present.
//!
//! Labels: the core indexes variables `0..n`. The dimod formats may name variables with any
//! hashable Python value; those labels travel as JSON values in a [`LabelledBqm`] (reading) or
//! an `Option<&[serde_json::Value]>` (writing), `None` meaning `0..n`.

mod coo;
mod dimod_json;
mod dimodbqm;
mod edge_list;
mod file;
mod labels;
mod pyjson;
mod qbsolv;
mod text;

pub use coo::{read_coo, read_coo_labelled, write_coo, write_coo_labelled};
pub use dimod_json::{read_dimod_json, write_dimod_json};
pub use dimodbqm::{DIMODBQM_MAGIC, read_dimodbqm, write_dimodbqm};
pub use edge_list::{EdgeList, read_edge_list};
pub use file::{
    Format, read, read_edge_list_bytes, read_edge_list_path, read_labelled, read_path, read_path_labelled,
    read_path_sniffed, read_sniffed, write, write_path,
};
pub use labels::LabelledBqm;
pub use qbsolv::{read_qbsolv, write_qbsolv};
pub use text::{TEXT_VARIABLES_ALLOWANCE, TEXT_VARIABLES_PER_BYTE};
