//! The neuroquant model container: a JSON header followed by raw little-endian arrays.
//!
//! Layout (version 1):
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | magic `b"NQMODEL\0"` |
//! | 8..10 | container version, u16 LE (currently 1) |
//! | 10..12 | reserved, zero |
//! | 12..16 | header length `H`, u32 LE |
//! | 16..16+H | header: UTF-8 JSON object, space padded so that `16 + H` is a multiple of 8 |
//! | 16+H.. | data section: the arrays, each starting at a multiple of 8 from the data start |
//!
//! The header is `{"kind": str, "kind_version": int, "meta": {...}, "arrays": [{"name", "dtype",
//! "shape", "offset", "nbytes"}, ...]}` where `kind` names the model (`"bqm"`, …), `meta` holds the
//! model's scalars and `dtype` is a numpy type string (`"<f8"`, `"<u4"`, `"|i1"`, …). A reader in
//! any language needs only a JSON parser: the arrays are plain little-endian buffers.

use super::FormatError;
use serde::{Deserialize, Serialize};

/// Magic bytes that open every container.
pub const MAGIC: &[u8; 8] = b"NQMODEL\0";
/// The container layout version written by this library.
pub const CONTAINER_VERSION: u16 = 1;
/// Largest header accepted, in bytes.
pub const MAX_HEADER_BYTES: usize = 1 << 24;
const PREAMBLE: usize = 16;
const ALIGN: usize = 8;

/// Element types an array may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dtype {
    /// f64 little-endian.
    #[serde(rename = "<f8")]
    F64,
    /// u32 little-endian.
    #[serde(rename = "<u4")]
    U32,
    /// u64 little-endian.
    #[serde(rename = "<u8")]
    U64,
    /// i64 little-endian.
    #[serde(rename = "<i8")]
    I64,
    /// i8.
    #[serde(rename = "|i1")]
    I8,
}

impl Dtype {
    /// Size of one element in bytes.
    pub fn itemsize(self) -> usize {
        match self {
            Dtype::F64 | Dtype::U64 | Dtype::I64 => 8,
            Dtype::U32 => 4,
            Dtype::I8 => 1,
        }
    }
}

/// Description of one array in the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrayEntry {
    /// Name, unique within the container.
    pub name: String,
    /// Element type.
    pub dtype: Dtype,
    /// Shape, row-major.
    pub shape: Vec<u64>,
    /// Start, in bytes from the beginning of the data section.
    pub offset: u64,
    /// Length in bytes.
    pub nbytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    kind: String,
    kind_version: u32,
    meta: serde_json::Value,
    arrays: Vec<ArrayEntry>,
}

/// Builds a container, or (with [`declare`](Writer::declare) instead of the array writers and
/// [`len`](Writer::len) instead of `finish`) computes its length without copying any data.
#[derive(Debug)]
pub(crate) struct Writer {
    kind: &'static str,
    kind_version: u32,
    meta: serde_json::Value,
    arrays: Vec<ArrayEntry>,
    data: Vec<u8>,
    /// Length of the data section, declared arrays included.
    data_len: usize,
}

impl Writer {
    pub(crate) fn new(kind: &'static str, kind_version: u32, meta: serde_json::Value) -> Self {
        Writer {
            kind,
            kind_version,
            meta,
            arrays: Vec::new(),
            data: Vec::new(),
            data_len: 0,
        }
    }

    /// Replaces `meta` (for writers that know it only after adding their arrays).
    pub(crate) fn set_meta(&mut self, meta: serde_json::Value) {
        self.meta = meta;
    }

    fn push(&mut self, name: &str, dtype: Dtype, shape: &[usize], bytes: impl Iterator<Item = u8>) {
        debug_assert_eq!(
            self.data.len(),
            self.data_len,
            "declared and written arrays mixed"
        );
        let offset = self.data.len();
        self.data.extend(bytes);
        debug_assert_eq!(
            self.data.len() - offset,
            shape.iter().product::<usize>() * dtype.itemsize()
        );
        self.data.resize(self.data.len().next_multiple_of(ALIGN), 0);
        self.declare(name, dtype, shape);
    }

    /// Records an array's entry (and room for its data) without its data: for [`len`](Self::len).
    pub(crate) fn declare(&mut self, name: &str, dtype: Dtype, shape: &[usize]) {
        let offset = self.data_len;
        let nbytes = shape.iter().product::<usize>() * dtype.itemsize();
        self.data_len = (offset + nbytes).next_multiple_of(ALIGN);
        self.arrays.push(ArrayEntry {
            name: name.to_owned(),
            dtype,
            shape: shape.iter().map(|&d| d as u64).collect(),
            offset: offset as u64,
            nbytes: nbytes as u64,
        });
    }

    pub(crate) fn f64s(&mut self, name: &str, values: &[f64]) {
        self.push(
            name,
            Dtype::F64,
            &[values.len()],
            values.iter().flat_map(|v| v.to_le_bytes()),
        );
    }

    pub(crate) fn u32s(&mut self, name: &str, values: &[u32]) {
        self.push(
            name,
            Dtype::U32,
            &[values.len()],
            values.iter().flat_map(|v| v.to_le_bytes()),
        );
    }

    pub(crate) fn u64s(&mut self, name: &str, values: &[u64]) {
        self.push(
            name,
            Dtype::U64,
            &[values.len()],
            values.iter().flat_map(|v| v.to_le_bytes()),
        );
    }

    pub(crate) fn i64s(&mut self, name: &str, values: &[i64]) {
        self.push(
            name,
            Dtype::I64,
            &[values.len()],
            values.iter().flat_map(|v| v.to_le_bytes()),
        );
    }

    pub(crate) fn i8s(&mut self, name: &str, values: &[i8]) {
        self.push(name, Dtype::I8, &[values.len()], values.iter().map(|&v| v as u8));
    }

    /// The padded JSON header.
    fn header(&self) -> Vec<u8> {
        let header = Header {
            kind: self.kind.to_owned(),
            kind_version: self.kind_version,
            meta: self.meta.clone(),
            arrays: self.arrays.clone(),
        };
        let mut json = serde_json::to_vec(&header).expect("header serializes: plain data only");
        json.resize((PREAMBLE + json.len()).next_multiple_of(ALIGN) - PREAMBLE, b' ');
        json
    }

    /// The length `finish` returns, computed from the entries alone.
    pub(crate) fn len(&self) -> usize {
        PREAMBLE + self.header().len() + self.data_len
    }

    /// The finished container.
    pub(crate) fn finish(self) -> Vec<u8> {
        let json = self.header();
        let mut out = Vec::with_capacity(PREAMBLE + json.len() + self.data.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&CONTAINER_VERSION.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&self.data);
        out
    }
}

/// A parsed container whose arrays can be read by name.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    kind: String,
    kind_version: u32,
    meta: serde_json::Value,
    arrays: Vec<ArrayEntry>,
    data: &'a [u8],
    data_start: usize,
}

impl<'a> Reader<'a> {
    /// Parses the preamble and header, checking every array lies inside the data.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, FormatError> {
        if bytes.len() < PREAMBLE {
            return Err(FormatError::Truncated {
                offset: bytes.len() as u64,
                needed: PREAMBLE as u64,
            });
        }
        if &bytes[..8] != MAGIC {
            return Err(FormatError::BadMagic);
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != CONTAINER_VERSION {
            return Err(FormatError::UnsupportedVersion {
                what: "container",
                found: version as u32,
                supported: CONTAINER_VERSION as u32,
            });
        }
        let hlen = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
        if hlen > MAX_HEADER_BYTES {
            return Err(FormatError::Corrupt {
                offset: 12,
                reason: format!("header length {hlen} exceeds the limit of {MAX_HEADER_BYTES}"),
            });
        }
        let data_start = PREAMBLE + hlen;
        if bytes.len() < data_start {
            return Err(FormatError::Truncated {
                offset: bytes.len() as u64,
                needed: data_start as u64,
            });
        }
        let header: Header =
            serde_json::from_slice(&bytes[PREAMBLE..data_start]).map_err(|e| FormatError::Corrupt {
                offset: PREAMBLE as u64 + e.column() as u64,
                reason: format!("header is not valid: {e}"),
            })?;
        let data = &bytes[data_start..];
        for (i, a) in header.arrays.iter().enumerate() {
            let elems = a.shape.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d));
            let expected = elems.and_then(|n| n.checked_mul(a.dtype.itemsize() as u64));
            if expected != Some(a.nbytes) {
                return Err(FormatError::Corrupt {
                    offset: PREAMBLE as u64,
                    reason: format!("array `{}`: nbytes {} does not match its shape", a.name, a.nbytes),
                });
            }
            if a.offset % ALIGN as u64 != 0 {
                return Err(FormatError::Corrupt {
                    offset: PREAMBLE as u64,
                    reason: format!(
                        "array `{}`: offset {} is not a multiple of {ALIGN}",
                        a.name, a.offset
                    ),
                });
            }
            let end = a.offset.checked_add(a.nbytes);
            if end.is_none_or(|e| e > data.len() as u64) {
                return Err(FormatError::Truncated {
                    offset: bytes.len() as u64,
                    needed: (data_start as u64).saturating_add(end.unwrap_or(u64::MAX)),
                });
            }
            if header.arrays[..i].iter().any(|b| b.name == a.name) {
                return Err(FormatError::Corrupt {
                    offset: PREAMBLE as u64,
                    reason: format!("array `{}` appears twice", a.name),
                });
            }
        }
        let data_end = header
            .arrays
            .iter()
            .map(|a| (a.offset + a.nbytes).next_multiple_of(ALIGN as u64))
            .max()
            .unwrap_or(0);
        if data.len() as u64 != data_end {
            return Err(FormatError::Corrupt {
                offset: data_start as u64 + data_end.min(data.len() as u64),
                reason: format!(
                    "data section is {} bytes, the header describes {data_end}",
                    data.len()
                ),
            });
        }
        for a in &header.arrays {
            let (end, padded) = (
                a.offset + a.nbytes,
                (a.offset + a.nbytes).next_multiple_of(ALIGN as u64),
            );
            if let Some(k) = (end..padded).find(|&k| data[k as usize] != 0) {
                return Err(FormatError::Corrupt {
                    offset: data_start as u64 + k,
                    reason: format!("padding after array `{}` must be zero", a.name),
                });
            }
        }
        Ok(Reader {
            kind: header.kind,
            kind_version: header.kind_version,
            meta: header.meta,
            arrays: header.arrays,
            data,
            data_start,
        })
    }

    /// Checks the container holds `kind` at a version this library reads.
    pub(crate) fn expect_kind(&self, kind: &'static str, supported: u32) -> Result<(), FormatError> {
        if self.kind != kind {
            return Err(FormatError::WrongKind {
                expected: kind,
                found: self.kind.clone(),
            });
        }
        if self.kind_version != supported {
            return Err(FormatError::UnsupportedVersion {
                what: kind,
                found: self.kind_version,
                supported,
            });
        }
        Ok(())
    }

    /// Reads `meta` into a typed struct.
    pub(crate) fn meta<T: serde::de::DeserializeOwned>(&self) -> Result<T, FormatError> {
        T::deserialize(&self.meta).map_err(|e| FormatError::Corrupt {
            offset: PREAMBLE as u64,
            reason: format!("header `meta` is not valid: {e}"),
        })
    }

    fn raw(&self, name: &str, dtype: Dtype) -> Result<(&'a [u8], &ArrayEntry), FormatError> {
        let a = self
            .arrays
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| FormatError::MissingArray {
                name: name.to_owned(),
            })?;
        if a.dtype != dtype || a.shape.len() != 1 {
            return Err(FormatError::Corrupt {
                offset: (self.data_start as u64) + a.offset,
                reason: format!("array `{name}` must be one-dimensional {dtype:?}"),
            });
        }
        let start = a.offset as usize;
        Ok((&self.data[start..start + a.nbytes as usize], a))
    }

    /// Absolute byte offset of element `index` of array `name` (for error messages).
    pub(crate) fn offset_of(&self, name: &str, index: usize) -> u64 {
        self.arrays.iter().find(|a| a.name == name).map_or(0, |a| {
            self.data_start as u64 + a.offset + (index * a.dtype.itemsize()) as u64
        })
    }

    pub(crate) fn f64s(&self, name: &str) -> Result<Vec<f64>, FormatError> {
        let (raw, _) = self.raw(name, Dtype::F64)?;
        Ok(raw
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect())
    }

    pub(crate) fn u64s(&self, name: &str) -> Result<Vec<u64>, FormatError> {
        let (raw, _) = self.raw(name, Dtype::U64)?;
        Ok(raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect())
    }

    pub(crate) fn i64s(&self, name: &str) -> Result<Vec<i64>, FormatError> {
        let (raw, _) = self.raw(name, Dtype::I64)?;
        Ok(raw
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect())
    }

    pub(crate) fn i8s(&self, name: &str) -> Result<Vec<i8>, FormatError> {
        let (raw, _) = self.raw(name, Dtype::I8)?;
        Ok(raw.iter().map(|&b| b as i8).collect())
    }

    /// The number of arrays in the container.
    pub(crate) fn num_arrays(&self) -> usize {
        self.arrays.len()
    }

    pub(crate) fn u32s(&self, name: &str) -> Result<Vec<u32>, FormatError> {
        let (raw, _) = self.raw(name, Dtype::U32)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = Writer::new("test", 3, serde_json::json!({"x": 1.5}));
        w.f64s("a", &[1.0, -2.5, f64::MAX]);
        w.u32s("b", &[7, 8, 9]);
        w.finish()
    }

    #[test]
    fn layout_matches_the_documentation() {
        let bytes = sample();
        assert_eq!(&bytes[..8], b"NQMODEL\0");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 1);
        let hlen = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        assert_eq!((16 + hlen) % 8, 0);
        let header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + hlen]).unwrap();
        assert_eq!(header["kind"], "test");
        assert_eq!(header["arrays"][1]["dtype"], "<u4");
        assert_eq!(header["arrays"][1]["offset"], 24);
        // The f64 array is plain little-endian at the data start.
        let data = &bytes[16 + hlen..];
        assert_eq!(f64::from_le_bytes(data[8..16].try_into().unwrap()), -2.5);
        assert_eq!(data.len(), 24 + 16);
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        let r = Reader::parse(&bytes).unwrap();
        r.expect_kind("test", 3).unwrap();
        assert_eq!(r.f64s("a").unwrap(), vec![1.0, -2.5, f64::MAX]);
        assert_eq!(r.u32s("b").unwrap(), vec![7, 8, 9]);
        assert!(matches!(
            r.expect_kind("bqm", 3),
            Err(FormatError::WrongKind { .. })
        ));
        assert!(matches!(
            r.expect_kind("test", 4),
            Err(FormatError::UnsupportedVersion { .. })
        ));
        assert!(matches!(r.f64s("b"), Err(FormatError::Corrupt { .. })));
        assert!(matches!(r.f64s("zzz"), Err(FormatError::MissingArray { .. })));
    }

    #[test]
    fn integer_arrays_round_trip_and_are_little_endian() {
        let mut w = Writer::new("ints", 1, serde_json::json!({}));
        w.i8s("a", &[-1, 0, 1, 127, -128]);
        w.u64s("b", &[0, u64::MAX]);
        w.i64s("c", &[-2, i64::MAX]);
        let bytes = w.finish();
        let r = Reader::parse(&bytes).unwrap();
        assert_eq!(r.i8s("a").unwrap(), vec![-1, 0, 1, 127, -128]);
        assert_eq!(r.u64s("b").unwrap(), vec![0, u64::MAX]);
        assert_eq!(r.i64s("c").unwrap(), vec![-2, i64::MAX]);
        assert_eq!(r.num_arrays(), 3);
        assert!(matches!(r.u64s("c"), Err(FormatError::Corrupt { .. })));
        let hlen = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        let data = &bytes[16 + hlen..];
        assert_eq!(&data[..5], &[0xff, 0, 1, 0x7f, 0x80]);
        assert_eq!(i64::from_le_bytes(data[24..32].try_into().unwrap()), -2);
    }

    #[test]
    fn every_truncation_is_rejected() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(
                Reader::parse(&bytes[..cut]).is_err(),
                "prefix of {cut} bytes accepted"
            );
        }
    }

    #[test]
    fn non_zero_padding_is_rejected() {
        let mut b = sample();
        let len = b.len();
        b[len - 1] = 7; // the last array (3 × u32) is padded with 4 zero bytes
        assert!(matches!(Reader::parse(&b), Err(FormatError::Corrupt { .. })));
    }

    #[test]
    fn bad_magic_version_and_header_are_rejected() {
        let mut b = sample();
        b[0] = b'X';
        assert_eq!(Reader::parse(&b).unwrap_err(), FormatError::BadMagic);
        let mut b = sample();
        b[8] = 2;
        assert!(matches!(
            Reader::parse(&b),
            Err(FormatError::UnsupportedVersion { found: 2, .. })
        ));
        let mut b = sample();
        b[16] = b'[';
        assert!(matches!(Reader::parse(&b), Err(FormatError::Corrupt { .. })));
        let mut b = sample();
        b[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Reader::parse(&b),
            Err(FormatError::Corrupt { offset: 12, .. })
        ));
    }
}
