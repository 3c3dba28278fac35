//! Multipart upload of problem data (`bqm/multipart`), as dwave-cloud-client does it: initiate
//! with the size, PUT parts of 5 MiB with `Content-MD5`, check the status to skip parts already
//! uploaded (resume), combine with the MD5 of the concatenated part digests.

use super::client::{Client, stopped};
use super::error::DWaveError;
use super::http::{Body, Method, redact_url};
use crate::Result;
use crate::control::Control;
use crate::error::Error;
use base64::Engine as _;
use md5::{Digest, Md5};
use serde_json::{Value, json};

/// Bytes per uploaded part (dwave-cloud-client's `_UPLOAD_PART_SIZE_BYTES`).
pub const UPLOAD_PART_SIZE: usize = 5 * 1024 * 1024;
/// Attempts per part (each attempt itself retries transport errors, 429 and 5xx).
pub const UPLOAD_PART_ATTEMPTS: usize = 3;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// MD5 hex digests of the parts of `data`.
pub fn part_checksums(data: &[u8], part_size: usize) -> Vec<String> {
    data.chunks(part_size.max(1))
        .map(|c| hex(&Md5::digest(c)))
        .collect()
}

/// The `combine` checksum: hex MD5 of the concatenated binary part digests, in part order.
pub fn combined_checksum(part_hex: &[String]) -> String {
    let mut all = Vec::with_capacity(part_hex.len() * 16);
    for h in part_hex {
        for i in (0..h.len()).step_by(2) {
            all.push(u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0));
        }
    }
    hex(&Md5::digest(&all))
}

impl Client {
    /// Uploads `data` (a DIMODBQM file) and returns its problem-data id. `resume` continues an
    /// earlier upload of the same data under that id: parts whose checksum the server already
    /// has are skipped.
    pub fn upload(
        &self,
        data: &[u8],
        resume: Option<&str>,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<String> {
        self.upload_with_part_size(data, resume, UPLOAD_PART_SIZE, control, sampler)
    }

    /// [`upload`](Self::upload) with another part size (tests use small parts).
    pub fn upload_with_part_size(
        &self,
        data: &[u8],
        resume: Option<&str>,
        part_size: usize,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<String> {
        let id = match resume {
            Some(id) => id.to_owned(),
            None => {
                let v = self.send_json(
                    Method::Post,
                    "bqm/multipart",
                    &json!({"size": data.len()}),
                    None,
                    control,
                    sampler,
                )?;
                v.get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| Error::Network {
                        endpoint: redact_url(&format!("{}bqm/multipart", self.endpoint())),
                        message: "upload initiation answered without an `id`".into(),
                        source: None,
                    })?
            }
        };
        let status = self.upload_status(&id, control, sampler).unwrap_or_default();
        if status.0 == "UPLOAD_COMPLETED" {
            return Ok(id);
        }
        let checksums = part_checksums(data, part_size);
        for (k, chunk) in data.chunks(part_size.max(1)).enumerate() {
            let part = k + 1;
            if status.1.iter().any(|(n, c)| *n == part && *c == checksums[k]) {
                continue;
            }
            let digest = Md5::digest(chunk);
            let body = Body {
                content_type: "application/octet-stream",
                data: std::sync::Arc::new(chunk.to_vec()),
                headers: vec![(
                    "Content-MD5",
                    base64::engine::general_purpose::STANDARD.encode(digest),
                )],
            };
            let url = format!("{}bqm/multipart/{id}/part/{part}", self.endpoint());
            let mut last = None;
            for _ in 0..UPLOAD_PART_ATTEMPTS {
                let attempt = match self.http().request(Method::Put, &url, None, Some(&body), control) {
                    Ok(r) => r,
                    Err(_) => return Err(stopped(sampler)),
                };
                match attempt {
                    Ok(_) => {
                        last = None;
                        break;
                    }
                    Err(e @ Error::DWave(DWaveError::Authentication { .. })) => return Err(e),
                    Err(e) => last = Some(e),
                }
            }
            if let Some(e) = last {
                return Err(e);
            }
        }
        // Verify what the server holds before combining.
        let status = self.upload_status(&id, control, sampler)?;
        for (k, c) in checksums.iter().enumerate() {
            match status.1.iter().find(|(n, _)| *n == k + 1) {
                Some((_, remote)) if remote == c => {}
                other => {
                    return Err(Error::Network {
                        endpoint: redact_url(&format!("{}bqm/multipart/{id}/status", self.endpoint())),
                        message: format!(
                            "part {} checksum mismatch after upload (local {c}, remote {:?})",
                            k + 1,
                            other.map(|o| &o.1)
                        ),
                        source: None,
                    });
                }
            }
        }
        self.send_json(
            Method::Post,
            &format!("bqm/multipart/{id}/combine"),
            &json!({"checksum": combined_checksum(&checksums)}),
            None,
            control,
            sampler,
        )?;
        Ok(id)
    }

    /// `(status, [(part, hex checksum)])` of an upload.
    fn upload_status(
        &self,
        id: &str,
        control: &Control<'_>,
        sampler: &'static str,
    ) -> Result<(String, Vec<(usize, String)>)> {
        let v = self.get_json(
            &format!("bqm/multipart/{id}/status"),
            "application/json",
            control,
            sampler,
        )?;
        let status = v
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("UNDEFINED")
            .to_owned();
        let parts = v
            .get("parts")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| {
                        let n = p.get("part_number")?.as_u64()? as usize;
                        let c = p.get("checksum")?.as_str()?.trim_matches('"').to_owned();
                        Some((n, c))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok((status, parts))
    }
}
