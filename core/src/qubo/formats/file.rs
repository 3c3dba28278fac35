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

impl Format {
    /// The format the bytes of a file are in, judged by their start: the magic of the binary
    /// formats (`NQMODEL\0`, `DIMODBQM`), `{` for dimod JSON, and for text the first line that is
    /// not blank: `c` or `p` (qbsolv's comment and problem lines) or `#` or a digit (COO). `None`
    /// when nothing matches (including empty input), so the caller asks for the format.
    ///
    /// ```
    /// use neuroquant::qubo::formats::Format;
    /// assert_eq!(Format::sniff(b"DIMODBQM\x02\x00..."), Some(Format::DimodBqm));
    /// assert_eq!(Format::sniff(b"\n# vartype=SPIN\n0 1 1.0\n"), Some(Format::Coo));
    /// assert_eq!(Format::sniff(b"c a comment\np qubo 0 2 1 1\n"), Some(Format::Qbsolv));
    /// assert_eq!(Format::sniff(b"  {\"type\": \"BinaryQuadraticModel\"}"), Some(Format::DimodJson));
    /// assert_eq!(Format::sniff(b"hello"), None);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(crate::format::MAGIC) {
            return Some(Format::Neuroquant);
        }
        if bytes.starts_with(super::DIMODBQM_MAGIC) {
            return Some(Format::DimodBqm);
        }
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
        match bytes[start] {
            b'{' => Some(Format::DimodJson),
            b'c' | b'p' => Some(Format::Qbsolv),
            b'#' | b'0'..=b'9' => Some(Format::Coo),
            _ => None,
        }
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

/// Reads a model in `format` from the bytes of a file (COO with the index reading; see
/// [`read_labelled`] for dimod's).
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
        && format != Format::Coo
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
            let mut s = match labels {
                Some(l) if !labels::is_range(l) => coo::write_coo_labelled(bqm, &coo_labels(l)?, true)?,
                _ => coo::write_coo(bqm, true),
            };
            s.push('\n');
            s.into_bytes()
        }
        Format::DimodJson => dimod_json::write_dimod_json(bqm, labels)?.into_bytes(),
        Format::DimodBqm => dimodbqm::write_dimodbqm(bqm, labels)?,
    })
}

/// The labels of a model written as COO text: non-negative integers, as dimod's `coo.dumps`
/// requires.
fn coo_labels(labels: &[Value]) -> Result<Vec<u64>> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            l.as_u64().ok_or_else(|| {
                ArgumentError::Invalid {
                    argument: "labels",
                    reason: format!(
                        "the coo format holds non-negative integer labels only, got label {l} at index {i}"
                    ),
                }
                .into()
            })
        })
        .collect()
}

/// Reads a model as dimod reads the file: the same as [`read`] except for COO text, whose
/// integers are labels (one variable per distinct integer, in order of first appearance:
/// [`read_coo_labelled`](super::read_coo_labelled)) rather than indices. For bindings with
/// labels; [`read`] suits those without (variable `i` of a COO file is index `i`).
///
/// ```
/// use neuroquant::qubo::formats::{read, read_labelled, Format};
/// let text = b"# vartype=SPIN\n3 10 -1.0\n99 99 0.5\n";
/// assert_eq!(read_labelled(Format::Coo, text, None)?.bqm.num_variables(), 3);
/// assert_eq!(read(Format::Coo, text, None)?.bqm.num_variables(), 100);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_labelled(format: Format, bytes: &[u8], vartype: Option<Vartype>) -> Result<LabelledBqm> {
    if format != Format::Coo {
        return read(format, bytes, vartype);
    }
    coo::read_coo_labelled(text::utf8(bytes)?, vartype)
}

/// Reads a model file as dimod does; see [`read_labelled`]. A file that cannot be read gives
/// [`Error::Io`].
pub fn read_path_labelled(
    path: impl AsRef<Path>,
    format: Format,
    vartype: Option<Vartype>,
) -> Result<LabelledBqm> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    read_labelled(format, &bytes, vartype)
}

/// The format of data whose format was not named: `from_path`'s extension when it names one, else
/// [`Format::sniff`]; an error naming `format` when neither tells.
fn implied_format(from_path: Option<&Path>, bytes: &[u8]) -> Result<Format> {
    if let Some(f) = from_path.and_then(|p| Format::from_extension(p).ok()) {
        return Ok(f);
    }
    Format::sniff(bytes).ok_or_else(|| {
        ArgumentError::Invalid {
            argument: "format",
            reason: format!(
                "cannot tell the format of {} from {}its first bytes: name it, one of {}",
                from_path.map_or("the data".to_string(), |p| format!(
                    "{:?}",
                    p.display().to_string()
                )),
                if from_path.is_some() {
                    "its extension or "
                } else {
                    ""
                },
                Format::ALL.map(|f| f.name()).join(", ")
            ),
        }
        .into()
    })
}

/// Reads a model from the bytes of a file whose format is not named: dimod's reading
/// ([`read_labelled`]) in the format [`Format::sniff`] finds. Returns the format too.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, formats::{read_sniffed, write, Format}};
/// let bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// let (format, back) = read_sniffed(&write(Format::DimodBqm, &bqm, None)?, None)?;
/// assert_eq!((format, back.bqm), (Format::DimodBqm, bqm));
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn read_sniffed(bytes: &[u8], vartype: Option<Vartype>) -> Result<(Format, LabelledBqm)> {
    let format = implied_format(None, bytes)?;
    Ok((format, read_labelled(format, bytes, vartype)?))
}

/// Reads a model file in the format its extension names or, failing that, the one its first
/// bytes show ([`Format::sniff`]), with dimod's reading ([`read_labelled`]). A file that cannot
/// be read gives [`Error::Io`] (a missing one with the OS's `NotFound` kind).
pub fn read_path_sniffed(path: impl AsRef<Path>, vartype: Option<Vartype>) -> Result<(Format, LabelledBqm)> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    let format = implied_format(Some(path), &bytes)?;
    Ok((format, read_labelled(format, &bytes, vartype)?))
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
