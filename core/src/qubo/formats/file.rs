//! One entry point for every model file format, from bytes or from a path.

use super::labels::{self, LabelledBqm};
use super::{EdgeList, coo, dimod_json, dimodbqm, edge_list, qbsolv, text};
use crate::error::ArgumentError;
use crate::qubo::{Bqm, Vartype};
use crate::{Error, Result};
use serde_json::Value;
use std::path::Path;

/// The model file formats neuroquant reads and writes. Exhaustive on purpose: the bindings map
/// every format to a C constant and a Python name, so a new one must be added there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// neuroquant's own container ([`Bqm::to_bytes`]); index labels only.
    Neuroquant,
    /// qbsolv `.qubo` text (BINARY; a SPIN model is written as its BINARY equivalent); index
    /// labels only.
    Qbsolv,
    /// dimod COO text, written with its `# vartype=` header and a final newline (the file
    /// `dimod.serialization.coo.dump(bqm, f, vartype_header=True)` writes); no offset; index
    /// labels only.
    Coo,
    /// dimod `to_serializable()` JSON (bqm schema 3.0.0); any labels.
    DimodJson,
    /// dimod's binary `to_file()` format (DIMODBQM version 2); any labels.
    DimodBqm,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 5] = [
        Format::Neuroquant,
        Format::Qbsolv,
        Format::Coo,
        Format::DimodJson,
        Format::DimodBqm,
    ];

    /// The format's name, as accepted by [`str::parse`]: `"neuroquant"`, `"qbsolv"`, `"coo"`,
    /// `"dimod_json"`, `"dimodbqm"`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Neuroquant => "neuroquant",
            Format::Qbsolv => "qbsolv",
            Format::Coo => "coo",
            Format::DimodJson => "dimod_json",
            Format::DimodBqm => "dimodbqm",
        }
    }

    /// Whether files of this format can carry labels other than `0..n`.
    pub const fn has_labels(self) -> bool {
        matches!(self, Format::DimodJson | Format::DimodBqm)
    }

    /// The usual file extension of the format, without the dot: `nq`, `qubo`, `coo`, `json`,
    /// `bqm`.
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Neuroquant => "nq",
            Format::Qbsolv => "qubo",
            Format::Coo => "coo",
            Format::DimodJson => "json",
            Format::DimodBqm => "bqm",
        }
    }

    /// The format a file name implies by its extension (any case; see [`extension`](Self::extension)),
    /// for callers that let the path choose. An error naming `format` when the extension is
    /// missing or unknown, so the caller knows to name the format.
    ///
    /// ```
    /// use neuroquant::qubo::formats::Format;
    /// assert_eq!(Format::from_extension("runs/model.BQM")?, Format::DimodBqm);
    /// assert_eq!(Format::from_extension("bqp50.qubo")?, Format::Qbsolv);
    /// assert!(Format::from_extension("model.txt").is_err());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn from_extension(path: impl AsRef<Path>) -> Result<Format> {
        let path = path.as_ref();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        Format::ALL
            .into_iter()
            .find(|f| !ext.is_empty() && f.extension().eq_ignore_ascii_case(ext))
            .ok_or_else(|| {
                ArgumentError::Invalid {
                    argument: "format",
                    reason: format!(
                        "cannot infer the format of {:?} from its extension, which must be one of {} \
                         (or name the format: {})",
                        path.display().to_string(),
                        Format::ALL.map(|f| format!(".{}", f.extension())).join(", "),
                        Format::ALL.map(|f| f.name()).join(", ")
                    ),
                }
                .into()
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = ArgumentError;

    /// Parses a format name (any case; `-` and `_` are the same).
    ///
    /// ```
    /// use neuroquant::qubo::formats::Format;
    /// assert_eq!("DIMODBQM".parse::<Format>().unwrap(), Format::DimodBqm);
    /// assert_eq!("dimod-json".parse::<Format>().unwrap(), Format::DimodJson);
    /// assert!("mps".parse::<Format>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalized = s.replace('-', "_");
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(&normalized))
            .ok_or_else(|| ArgumentError::Invalid {
                argument: "format",
                reason: format!(
                    "{s:?} is not a format, must be one of {}",
                    Format::ALL.map(|f| f.name()).join(", ")
                ),
            })
    }
}

/// Reads a model in `format` from the bytes of a file.
///
/// `vartype` is the vartype of COO text without a `# vartype=` header; for every format, when it
/// is given it must match the file's vartype. Labels come back only from the dimod formats
/// (`None` when they are `0..n`).
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::{read, write, Format}};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
/// bqm.add_linear(1, -1.0)?;
/// bqm.add_quadratic(0, 2, 1.5)?;
/// for format in Format::ALL {
///     let back = read(format, &write(format, &bqm, None)?, None)?;
///     assert_eq!(back.bqm, bqm);
/// }
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read(format: Format, bytes: &[u8], vartype: Option<Vartype>) -> Result<LabelledBqm> {
    let unlabelled = |bqm: Bqm| LabelledBqm { bqm, labels: None };
    let read = match format {
        Format::Neuroquant => unlabelled(Bqm::from_bytes(bytes)?),
        Format::Qbsolv => unlabelled(qbsolv::read_qbsolv(text::utf8(bytes)?)?),
        Format::Coo => unlabelled(coo::read_coo(text::utf8(bytes)?, vartype)?),
        Format::DimodJson => dimod_json::read_dimod_json(text::utf8(bytes)?)?,
        Format::DimodBqm => dimodbqm::read_dimodbqm(bytes)?,
    };
    if let Some(vt) = vartype
        && vt != read.bqm.vartype()
    {
        return Err(ArgumentError::Invalid {
            argument: "vartype",
            reason: format!("the {format} file holds a {} model, not {vt}", read.bqm.vartype()),
        }
        .into());
    }
    Ok(read)
}

/// Writes a model in `format`, as the bytes of a file. `labels` (one per variable, `None` for
/// `0..n`) are written by the dimod formats; the others accept only `None` or labels equal to
/// `0..n`.
pub fn write(format: Format, bqm: &Bqm, labels: Option<&[Value]>) -> Result<Vec<u8>> {
    if let Some(l) = labels
        && !format.has_labels()
    {
        labels::check_argument(l, bqm)?;
        if !labels::is_range(l) {
            return Err(ArgumentError::Invalid {
                argument: "labels",
                reason: format!("the {format} format holds index labels 0..n only"),
            }
            .into());
        }
    }
    Ok(match format {
        Format::Neuroquant => bqm.to_bytes(),
        Format::Qbsolv => qbsolv::write_qbsolv(bqm)?.into_bytes(),
        Format::Coo => {
            let mut s = coo::write_coo(bqm, true);
            s.push('\n');
            s.into_bytes()
        }
        Format::DimodJson => dimod_json::write_dimod_json(bqm, labels)?.into_bytes(),
        Format::DimodBqm => dimodbqm::write_dimodbqm(bqm, labels)?,
    })
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: crate::error::Source::new(e),
    }
}

/// Reads a model file; see [`read`]. A file that cannot be read gives [`Error::Io`].
pub fn read_path(path: impl AsRef<Path>, format: Format, vartype: Option<Vartype>) -> Result<LabelledBqm> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    read(format, &bytes, vartype)
}

/// Writes a model file (created or replaced); see [`write()`]. Nothing is written when the model
/// cannot be encoded; a file that cannot be written gives [`Error::Io`].
pub fn write_path(path: impl AsRef<Path>, format: Format, bqm: &Bqm, labels: Option<&[Value]>) -> Result<()> {
    let path = path.as_ref();
    let bytes = write(format, bqm, labels)?;
    std::fs::write(path, bytes).map_err(|e| io_error(path, e))
}

/// Reads a rudy / G-set edge list from the bytes of a file (UTF-8 text); see
/// [`read_edge_list`](super::read_edge_list).
pub fn read_edge_list_bytes(bytes: &[u8]) -> Result<EdgeList> {
    edge_list::read_edge_list(text::utf8(bytes)?)
}

/// Reads a rudy / G-set edge-list file; see [`read_edge_list`](super::read_edge_list).
pub fn read_edge_list_path(path: impl AsRef<Path>) -> Result<EdgeList> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    read_edge_list_bytes(&bytes)
}
