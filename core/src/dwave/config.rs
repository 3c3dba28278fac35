//! Connection settings with Ocean's names and precedence: keyword / struct settings first, then
//! the environment (`DWAVE_API_TOKEN`, `DWAVE_API_ENDPOINT`, `DWAVE_API_REGION`,
//! `DWAVE_API_SOLVER`, `DWAVE_API_PROXY`, `DWAVE_CONFIG_FILE`, `DWAVE_PROFILE`,
//! `DWAVE_METADATA_API_ENDPOINT`), then a `dwave.conf` profile. As in dwave-cloud-client,
//! `endpoint` and `region` form one group: setting either at a level discards both from the
//! levels below.

use super::conf_file::ConfFile;
use super::error::DWaveError;
use super::solver::SolverFilter;
use crate::Result;
use crate::error::ArgumentError;
use crate::params::{FromValue, ToValue, Value, params};
use std::time::Duration;

/// The default region (dwave-cloud-client's `DEFAULT_REGION`).
pub const DEFAULT_REGION: &str = "na-west-1";
/// The default metadata API, used to resolve a region to its Solver API endpoint.
pub const DEFAULT_METADATA_API_ENDPOINT: &str = "https://cloud.dwavesys.com/metadata/v1/";
/// Seconds a single HTTP request may take when `request_timeout` is not set (Ocean's read
/// timeout is 120 s; its connect timeout 60 s).
pub const DEFAULT_REQUEST_TIMEOUT_S: f64 = 60.0;

/// An API token. It is shown as `***` by `Debug` and by [`ToValue`], so it cannot leak into logs,
/// `repr`, URLs or error messages; [`expose`](Self::expose) is the one way to read it, used only
/// to fill the `X-Auth-Token` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// What [`Token`] shows instead of its value.
pub const REDACTED: &str = "***";

impl Token {
    /// A token from its text (surrounding whitespace removed).
    pub fn new(token: &str) -> Result<Self> {
        let t = token.trim();
        if t.is_empty() || t == REDACTED {
            return Err(ArgumentError::Invalid {
                argument: "token",
                reason: "must be a non-empty API token (a redacted token cannot be used)".into(),
            }
            .into());
        }
        if t.bytes().any(|b| b.is_ascii_control()) {
            return Err(ArgumentError::Invalid {
                argument: "token",
                reason: "must not contain control characters".into(),
            }
            .into());
        }
        Ok(Token(t.to_owned()))
    }

    /// The token's text, for the `X-Auth-Token` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({REDACTED})")
    }
}

impl FromValue for Token {
    fn expected() -> String {
        "an API token string".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Str(s) => Token::new(s),
            other => Err(ArgumentError::Invalid {
                argument,
                // Never echo the value: it may be a mistyped token.
                reason: format!("must be {}, got {}", Self::expected(), kind_of(other)),
            }
            .into()),
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::None => "None",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Str(_) => "a string",
        _ => "a sequence",
    }
}

impl ToValue for Token {
    fn to_value(&self) -> Value {
        Value::Str(REDACTED.into())
    }
}

params! {
    /// Connection settings of the D-Wave Solver API, with Ocean's names. Unset settings come from
    /// the environment (DWAVE_API_*), then from a dwave.conf profile, as in dwave-cloud-client.
    pub struct DWaveConfig {
        /// Solver API endpoint URL. None: the region's endpoint.
        keyword endpoint: Option<String> = None,
        /// API token (sent as X-Auth-Token; never shown in logs, repr or messages).
        keyword token: Option<Token> = None,
        /// Solver name, or a JSON object of feature filters such as {"qpu": true} or
        /// {"num_qubits__gt": 100}. None: the sampler's default category.
        keyword solver: Option<String> = None,
        /// Solver API region code, resolved to an endpoint through the metadata API. None:
        /// "na-west-1".
        keyword region: Option<String> = None,
        /// Proxy URL for every request (http://, https://, socks5://).
        keyword proxy: Option<String> = None,
        /// Seconds one HTTP request may take. None: 60.
        keyword request_timeout: Option<f64> = None,
        /// Seconds to wait for a problem's answer before giving up. None: no limit.
        keyword polling_timeout: Option<f64> = None,
        /// Retries of a request after a transport error, a 429 or a 5xx answer (Ocean's
        /// http_retry_total). None: 10.
        keyword http_retry_total: Option<u32> = None,
        /// Path of a dwave.conf file to read instead of the standard locations ("" reads no
        /// file, as Ocean's config_file=False). None: DWAVE_CONFIG_FILE, else ./dwave.conf,
        /// ~/.config/dwave/dwave.conf, /etc/xdg/dwave/dwave.conf.
        keyword config_file: Option<String> = None,
        /// Profile (section) of the configuration file. None: DWAVE_PROFILE, else the file's
        /// default profile.
        keyword profile: Option<String> = None,
        /// Metadata API endpoint used to resolve regions. None: DWAVE_METADATA_API_ENDPOINT,
        /// else the public one.
        keyword metadata_api_endpoint: Option<String> = None,
    }
}

impl DWaveConfig {
    fn check(&self) -> Result<()> {
        for (name, v) in [
            ("request_timeout", self.request_timeout),
            ("polling_timeout", self.polling_timeout),
        ] {
            if let Some(t) = v
                && !(t.is_finite() && t > 0.0)
            {
                return Err(ArgumentError::Invalid {
                    argument: name,
                    reason: format!("is {t}, must be a finite number of seconds > 0"),
                }
                .into());
            }
        }
        for (name, v) in [
            ("endpoint", &self.endpoint),
            ("proxy", &self.proxy),
            ("metadata_api_endpoint", &self.metadata_api_endpoint),
        ] {
            if let Some(url) = v {
                check_url(name, url)?;
            }
        }
        Ok(())
    }

    /// The settings for the environment of this process (and its dwave.conf files).
    pub fn resolve(&self) -> Result<ResolvedConfig> {
        self.resolve_with(&|name| std::env::var(name).ok())
    }

    /// The settings with environment variables read through `env` (tests pass a map).
    pub fn resolve_with(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<ResolvedConfig> {
        let env = |name: &str| env(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        // Levels, lowest first: file, environment, explicit settings.
        let profile = self.profile.clone().or_else(|| env("DWAVE_PROFILE"));
        let file = match self.config_file.clone().or_else(|| env("DWAVE_CONFIG_FILE")) {
            Some(path) if path.is_empty() => ConfFile::default(),
            Some(path) => ConfFile::read(&[expand_home(&path, &env)], true)?,
            None => ConfFile::read(&default_paths(&env), false)?,
        };
        let mut merged = file.profile(profile.as_deref())?;
        let from_env: Vec<(&str, Option<String>)> = vec![
            ("endpoint", env("DWAVE_API_ENDPOINT")),
            ("region", env("DWAVE_API_REGION")),
            ("token", env("DWAVE_API_TOKEN")),
            ("solver", env("DWAVE_API_SOLVER")),
            ("proxy", env("DWAVE_API_PROXY")),
            ("metadata_api_endpoint", env("DWAVE_METADATA_API_ENDPOINT")),
        ];
        update(&mut merged, from_env);
        let explicit: Vec<(&str, Option<String>)> = vec![
            ("endpoint", self.endpoint.clone()),
            ("region", self.region.clone()),
            ("token", self.token.as_ref().map(|t| t.expose().to_owned())),
            ("solver", self.solver.clone()),
            ("proxy", self.proxy.clone()),
            ("metadata_api_endpoint", self.metadata_api_endpoint.clone()),
        ];
        update(&mut merged, explicit);
        let get = |key: &str| merged.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());

        let endpoint = get("endpoint").map(|e| with_slash(&e));
        if let Some(e) = &endpoint {
            check_url("endpoint", e)?;
        }
        let proxy = get("proxy");
        if let Some(p) = &proxy {
            check_url("proxy", p)?;
        }
        let seconds = |name: &'static str, explicit: Option<f64>| -> Result<Option<Duration>> {
            let v = match explicit {
                Some(v) => Some(v),
                None => match get(name) {
                    Some(text) => Some(text.parse::<f64>().map_err(|_| {
                        DWaveError::Config(format!(
                            "{name} = {text:?} in the configuration file is not a number"
                        ))
                    })?),
                    None => None,
                },
            };
            match v {
                None => Ok(None),
                Some(t) if t.is_finite() && t > 0.0 => Ok(Some(Duration::from_secs_f64(t))),
                Some(t) => {
                    Err(DWaveError::Config(format!("{name} = {t} must be a number of seconds > 0")).into())
                }
            }
        };
        Ok(ResolvedConfig {
            endpoint,
            region: get("region").unwrap_or_else(|| DEFAULT_REGION.into()),
            metadata_api_endpoint: with_slash(
                &get("metadata_api_endpoint").unwrap_or_else(|| DEFAULT_METADATA_API_ENDPOINT.into()),
            ),
            token: get("token").map(|t| Token::new(&t)).transpose()?,
            solver: SolverFilter::parse(get("solver").as_deref())?,
            proxy,
            request_timeout: seconds("request_timeout", self.request_timeout)?
                .unwrap_or(Duration::from_secs_f64(DEFAULT_REQUEST_TIMEOUT_S)),
            polling_timeout: seconds("polling_timeout", self.polling_timeout)?,
            http_retry_total: match self.http_retry_total {
                Some(n) => n,
                None => match get("http_retry_total") {
                    Some(t) => t.trim().parse().map_err(|_| {
                        DWaveError::Config(format!("http_retry_total = {t:?} is not a count"))
                    })?,
                    None => super::http::MAX_RETRIES,
                },
            },
        })
    }
}

/// Applies one level of settings over the lower ones: `endpoint` and `region` are one group.
fn update(merged: &mut Vec<(String, String)>, level: Vec<(&str, Option<String>)>) {
    let set: Vec<(&str, String)> = level
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)).filter(|(_, v)| !v.trim().is_empty()))
        .collect();
    if set.iter().any(|(k, _)| *k == "endpoint" || *k == "region") {
        merged.retain(|(k, _)| k != "endpoint" && k != "region");
    }
    for (k, v) in set {
        merged.retain(|(key, _)| key != k);
        merged.push((k.to_owned(), v));
    }
}

fn with_slash(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

fn check_url(argument: &'static str, url: &str) -> Result<()> {
    let ok = ["http://", "https://", "socks4://", "socks5://"]
        .iter()
        .any(|s| url.len() > s.len() && url[..s.len()].eq_ignore_ascii_case(s));
    if ok {
        Ok(())
    } else {
        Err(ArgumentError::Invalid {
            argument,
            reason: format!(
                "{:?} must be an http:// or https:// URL",
                super::http::redact_url(url)
            ),
        }
        .into())
    }
}

fn expand_home(path: &str, env: &dyn Fn(&str) -> Option<String>) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), env("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => path.into(),
    }
}

/// The standard locations, lowest priority first (homebase's on Linux and macOS):
/// `$XDG_CONFIG_DIRS/dwave/dwave.conf` (default `/etc/xdg`), `$XDG_CONFIG_HOME/dwave/dwave.conf`
/// (default `~/.config`), `./dwave.conf`.
fn default_paths(env: &dyn Fn(&str) -> Option<String>) -> Vec<std::path::PathBuf> {
    let mut paths = Vec::new();
    let system = env("XDG_CONFIG_DIRS").unwrap_or_else(|| "/etc/xdg".into());
    for dir in system.split(':').filter(|d| !d.is_empty()).rev() {
        paths.push(std::path::Path::new(dir).join("dwave").join("dwave.conf"));
    }
    let user = env("XDG_CONFIG_HOME").or_else(|| env("HOME").map(|h| format!("{h}/.config")));
    if let Some(u) = user {
        paths.push(std::path::Path::new(&u).join("dwave").join("dwave.conf"));
    }
    paths.push("dwave.conf".into());
    paths
}

/// Settings after applying every source: what a client connects with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResolvedConfig {
    /// Solver API base URL (ending with `/`); None: resolve `region` through the metadata API.
    pub endpoint: Option<String>,
    /// Region code.
    pub region: String,
    /// Metadata API base URL (ending with `/`).
    pub metadata_api_endpoint: String,
    /// The token, if any source gave one.
    pub token: Option<Token>,
    /// Which solver to use.
    pub solver: SolverFilter,
    /// Proxy URL.
    pub proxy: Option<String>,
    /// Time limit of one HTTP request.
    pub request_timeout: Duration,
    /// Time limit of waiting for an answer.
    pub polling_timeout: Option<Duration>,
    /// Retries after transport errors, 429 and 5xx.
    pub http_retry_total: u32,
}

impl ResolvedConfig {
    /// Settings for `endpoint` with `token` and nothing else configured (tests, tools).
    pub fn for_endpoint(endpoint: &str, token: Option<&str>) -> Result<Self> {
        DWaveConfig {
            endpoint: Some(endpoint.into()),
            token: token.map(Token::new).transpose()?,
            config_file: Some(String::new()),
            ..DWaveConfig::default()
        }
        .resolve_with(&|_| None)
    }
}
