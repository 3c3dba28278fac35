//! `dwave.conf`: Python `configparser` INI files as dwave-cloud-client reads them (section
//! `[defaults]` inherited by every profile, `key = value` or `key: value`, `#`/`;` comments,
//! indented continuation lines, keys case-insensitive), merged key by key over several files.

use super::error::DWaveError;
use crate::Result;
use std::path::PathBuf;

/// Sections of one or more merged files, in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct ConfFile {
    defaults: Vec<(String, String)>,
    sections: Vec<(String, Vec<(String, String)>)>,
}

/// Largest configuration file read (a dwave.conf is a few hundred bytes).
const MAX_FILE_BYTES: u64 = 1 << 20;

impl ConfFile {
    /// Reads `paths` in order, later files overriding earlier ones key by key. With `required`,
    /// every path must exist; otherwise missing paths are skipped.
    pub(crate) fn read(paths: &[PathBuf], required: bool) -> Result<Self> {
        let mut conf = ConfFile::default();
        for path in paths {
            if !required && !path.exists() {
                continue;
            }
            let shown = path.display().to_string();
            let meta = std::fs::metadata(path)
                .map_err(|e| DWaveError::Config(format!("cannot read config file {shown}: {e}")))?;
            if meta.len() > MAX_FILE_BYTES {
                return Err(DWaveError::Config(format!(
                    "config file {shown} is {} bytes, more than the {MAX_FILE_BYTES} a dwave.conf may have",
                    meta.len()
                ))
                .into());
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| DWaveError::Config(format!("cannot read config file {shown}: {e}")))?;
            conf.parse(&text, &shown)?;
        }
        Ok(conf)
    }

    fn parse(&mut self, text: &str, shown: &str) -> Result<()> {
        enum At {
            Nowhere,
            Defaults,
            Section(usize),
        }
        let mut at = At::Nowhere;
        let mut last_key: Option<String> = None;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            let err = |what: &str| DWaveError::Config(format!("{shown}, line {}: {what}", n + 1));
            if line.starts_with([' ', '\t']) {
                // A continuation of the previous value.
                let key = last_key
                    .as_ref()
                    .ok_or_else(|| err("indented line outside a value"))?;
                let entries = match at {
                    At::Defaults => &mut self.defaults,
                    At::Section(i) => &mut self.sections[i].1,
                    At::Nowhere => return Err(err("value outside a section").into()),
                };
                if let Some((_, v)) = entries.iter_mut().find(|(k, _)| k == key) {
                    v.push('\n');
                    v.push_str(trimmed);
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                let name = rest
                    .strip_suffix(']')
                    .ok_or_else(|| err("section header without `]`"))?;
                at = if name == "defaults" {
                    At::Defaults
                } else {
                    match self.sections.iter().position(|(s, _)| s == name) {
                        Some(i) => At::Section(i),
                        None => {
                            self.sections.push((name.to_owned(), Vec::new()));
                            At::Section(self.sections.len() - 1)
                        }
                    }
                };
                last_key = None;
                continue;
            }
            let split = trimmed
                .find(['=', ':'])
                .ok_or_else(|| err("expected `key = value`"))?;
            let key = trimmed[..split].trim().to_ascii_lowercase();
            let value = trimmed[split + 1..].trim().to_owned();
            if key.is_empty() {
                return Err(err("empty key").into());
            }
            let entries = match at {
                At::Defaults => &mut self.defaults,
                At::Section(i) => &mut self.sections[i].1,
                At::Nowhere => return Err(err("key before the first section header").into()),
            };
            entries.retain(|(k, _)| *k != key);
            entries.push((key.clone(), value));
            last_key = Some(key);
        }
        Ok(())
    }

    /// The keys of `profile` with `[defaults]` underneath. Without a name: the `profile` key of
    /// `[defaults]`, else the first section, else `[defaults]` alone. A named profile that does
    /// not exist is an error.
    pub(crate) fn profile(&self, name: Option<&str>) -> Result<Vec<(String, String)>> {
        let default_name = self
            .defaults
            .iter()
            .find(|(k, _)| k == "profile")
            .map(|(_, v)| v.as_str());
        let name = name
            .or(default_name)
            .or(self.sections.first().map(|(s, _)| s.as_str()));
        let mut out: Vec<(String, String)> = self.defaults.clone();
        if let Some(name) = name {
            let (_, section) = self.sections.iter().find(|(s, _)| s == name).ok_or_else(|| {
                DWaveError::Config(format!(
                    "profile {name:?} not found in the configuration files (profiles: {})",
                    self.sections
                        .iter()
                        .map(|(s, _)| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            for (k, v) in section {
                out.retain(|(key, _)| key != k);
                out.push((k.clone(), v.clone()));
            }
        }
        out.retain(|(k, _)| k != "profile");
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_inherit_defaults_and_later_keys_win() {
        let mut c = ConfFile::default();
        c.parse(
            "# comment\n[defaults]\nendpoint = https://a/sapi\ntoken: T1\n\n[p1]\ntoken = T2\nsolver = {\"qpu\": true,\n  \"num_qubits__gt\": 4}\n[p2]\nregion = eu\n",
            "f",
        )
        .unwrap();
        let p = c.profile(None).unwrap();
        assert!(p.contains(&("token".into(), "T2".into())));
        assert!(p.contains(&("endpoint".into(), "https://a/sapi".into())));
        assert!(p.contains(&("solver".into(), "{\"qpu\": true,\n\"num_qubits__gt\": 4}".into())));
        let p2 = c.profile(Some("p2")).unwrap();
        assert!(p2.contains(&("token".into(), "T1".into())));
        assert!(
            c.profile(Some("nope"))
                .unwrap_err()
                .to_string()
                .contains("profile \"nope\" not found")
        );
        let mut bad = ConfFile::default();
        assert!(
            bad.parse("token = x\n", "f")
                .unwrap_err()
                .to_string()
                .contains("line 1")
        );
    }
}
