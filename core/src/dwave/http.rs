//! The blocking HTTP transport of the Solver API client: ureq with rustls, the `X-Auth-Token`
//! and versioned `Accept` headers, retries with back-off on 429 (honouring `Retry-After`), 5xx
//! and transport errors, per-request time limits, and waits that honour a [`Control`].

use super::config::{ResolvedConfig, Token};
use super::error::DWaveError;
use crate::control::Control;
use crate::error::{Error, Result, Source};
use std::time::{Duration, Instant};

/// The SAPI media-type version this client asks for (`Accept: …; version=3.0.0`).
pub const SAPI_VERSION: &str = "3.0.0";

/// Largest response body read, in bytes (a QPU answer of 10,000 reads of 5,000 qubits is about
/// 9 MB of base64; a hybrid sample set of 10^6 variables a few tens of MB).
pub const MAX_RESPONSE_BYTES: u64 = 1 << 29;

/// Retries of one request after transport errors, 429 and 5xx answers unless
/// `http_retry_total` says otherwise (urllib3's `total=10` in dwave-cloud-client).
pub const MAX_RETRIES: u32 = 10;

/// The first back-off interval; each retry doubles it, up to [`MAX_BACKOFF`] (urllib3's
/// `backoff_factor=0.01` in dwave-cloud-client: 10 retries wait about 10 s in all).
pub const MIN_BACKOFF: Duration = Duration::from_millis(10);

/// The longest back-off interval, and the longest `Retry-After` honoured.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// An HTTP method the Solver API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body with its content type and extra headers.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) content_type: &'static str,
    pub(crate) data: std::sync::Arc<Vec<u8>>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Body {
    /// A JSON body.
    pub(crate) fn json(value: &serde_json::Value) -> Self {
        Body {
            content_type: "application/json",
            data: std::sync::Arc::new(serde_json::to_vec(value).expect("JSON values serialize")),
            headers: Vec::new(),
        }
    }
}

/// A response with a 2xx status.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The body as JSON, after checking the media type (and its version, `~=3.0`) when given.
    pub(crate) fn json(&self, endpoint: &str, media_type: Option<&str>) -> Result<serde_json::Value> {
        if let Some(expected) = media_type {
            check_media_type(endpoint, self.content_type.as_deref(), expected)?;
        }
        serde_json::from_slice(&self.body).map_err(|e| Error::Network {
            endpoint: endpoint.to_owned(),
            message: format!("malformed JSON answer ({e}): {}", snippet(&self.body)),
            source: None,
        })
    }
}

fn check_media_type(endpoint: &str, got: Option<&str>, expected: &str) -> Result<()> {
    let bad = |message: String| Error::Network {
        endpoint: endpoint.to_owned(),
        message,
        source: None,
    };
    let got = got.ok_or_else(|| bad(format!("answer has no Content-Type, expected {expected}")))?;
    let mut parts = got.split(';').map(str::trim);
    let media = parts.next().unwrap_or("");
    if !media.eq_ignore_ascii_case(expected) {
        return Err(bad(format!(
            "answer has media type {media:?}, expected {expected}"
        )));
    }
    if expected.starts_with("application/vnd.dwave.sapi.") {
        let version = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("version"))
            .map(|(_, v)| v.trim().trim_matches('"').to_owned())
            .ok_or_else(|| bad(format!("answer media type {got:?} has no version")))?;
        let mut nums = version.split('.');
        let major = nums.next().and_then(|m| m.parse::<u32>().ok());
        if major != Some(3) {
            return Err(bad(format!(
                "answer format version {version:?} is not compatible with {SAPI_VERSION} (~=3.0)"
            )));
        }
    }
    Ok(())
}

/// The first 200 characters of a body, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if body.len() > 200 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// `url` without user information (a proxy's password) and without a query string.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = authority.rsplit('@').next().unwrap_or(authority);
    format!("{scheme}{host}{path}")
}

/// Percent-encodes a path segment (solver names, problem ids) per RFC 3986.
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The transport: one ureq agent (connection pool) per client.
#[derive(Clone)]
pub(crate) struct Http {
    agent: ureq::Agent,
    token: Option<Token>,
    request_timeout: Duration,
    user_agent: String,
    retries: u32,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("token", &self.token)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

/// Why a wait ended early.
pub(crate) enum Interrupted {
    /// The caller's interrupt or deadline.
    Stopped,
}

/// Sleeps `d`, checking `control` every 10 ms.
pub(crate) fn sleep(d: Duration, control: &Control<'_>) -> std::result::Result<(), Interrupted> {
    let end = Instant::now() + d;
    loop {
        if control.should_stop() {
            return Err(Interrupted::Stopped);
        }
        let now = Instant::now();
        if now >= end {
            return Ok(());
        }
        std::thread::sleep((end - now).min(Duration::from_millis(10)));
    }
}

/// What a failed attempt means for the next one.
enum Attempt {
    Done(Response),
    Retry { error: Error, after: Option<Duration> },
    Fail(Error),
}

impl Http {
    pub(crate) fn new(config: &ResolvedConfig) -> Result<Self> {
        let proxy = match &config.proxy {
            Some(p) => Some(
                ureq::Proxy::new(p).map_err(|e| crate::error::ArgumentError::Invalid {
                    argument: "proxy",
                    reason: format!("{:?} is not a usable proxy URL: {e}", redact_url(p)),
                })?,
            ),
            None => None,
        };
        let user_agent = format!("neuroquant/{} (dwave; rust)", crate::VERSION);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.request_timeout))
            .proxy(proxy)
            .user_agent(user_agent.as_str())
            .max_redirects(0)
            .build()
            .into();
        Ok(Http {
            agent,
            token: config.token.clone(),
            request_timeout: config.request_timeout,
            user_agent,
            retries: config.http_retry_total,
        })
    }

    /// Sends one request, retrying transport errors, 429 and 5xx with back-off (POST too: a
    /// refused or failed submission creates no problem), until a 2xx answer, a final error, or a
    /// stop of `control`. `accept` is the media type asked for (with `version=3.0.0` for SAPI
    /// types). Each attempt runs on a helper thread, so a stop is seen within about 10 ms even
    /// during a long poll; an abandoned attempt ends by itself within `request_timeout`.
    pub(crate) fn request(
        &self,
        method: Method,
        url: &str,
        accept: Option<&str>,
        body: Option<&Body>,
        control: &Control<'_>,
    ) -> std::result::Result<Result<Response>, Interrupted> {
        let mut backoff = MIN_BACKOFF;
        let mut attempt = 0u32;
        loop {
            if control.should_stop() {
                return Err(Interrupted::Stopped);
            }
            let (tx, rx) = std::sync::mpsc::channel();
            let me = self.clone();
            let (url_owned, accept_owned, body_owned) =
                (url.to_owned(), accept.map(str::to_owned), body.cloned());
            let spawned = std::thread::Builder::new()
                .name("nq-dwave-http".into())
                .spawn(move || {
                    let _ =
                        tx.send(me.once(method, &url_owned, accept_owned.as_deref(), body_owned.as_ref()));
                });
            let outcome = match spawned {
                Ok(_) => loop {
                    match rx.recv_timeout(Duration::from_millis(10)) {
                        Ok(a) => break a,
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                            if control.should_stop() {
                                return Err(Interrupted::Stopped);
                            }
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                            break Attempt::Fail(network(
                                &redact_url(url),
                                "request thread ended without an answer".into(),
                                None,
                            ));
                        }
                    }
                },
                // No thread available: run the attempt here.
                Err(_) => self.once(method, url, accept, body),
            };
            match outcome {
                Attempt::Done(r) => return Ok(Ok(r)),
                Attempt::Fail(e) => return Ok(Err(e)),
                Attempt::Retry { error, after } => {
                    if attempt >= self.retries {
                        return Ok(Err(error));
                    }
                    attempt += 1;
                    let wait = after.unwrap_or(backoff).min(MAX_BACKOFF);
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    sleep(wait, control)?;
                }
            }
        }
    }

    fn once(&self, method: Method, url: &str, accept: Option<&str>, body: Option<&Body>) -> Attempt {
        let shown = redact_url(url);
        let mut req = ureq::http::Request::builder()
            .method(method.as_str())
            .uri(url)
            .header("User-Agent", self.user_agent.as_str());
        if let Some(t) = &self.token {
            req = req.header("X-Auth-Token", t.expose());
        }
        if let Some(a) = accept {
            let value = if a.starts_with("application/vnd.dwave.sapi.") {
                format!("{a}; version={SAPI_VERSION}")
            } else {
                a.to_owned()
            };
            req = req.header("Accept", value);
        }
        let result = match body {
            Some(b) => {
                req = req.header("Content-Type", b.content_type);
                for (k, v) in &b.headers {
                    req = req.header(*k, v.as_str());
                }
                match req.body(b.data.as_slice()) {
                    Ok(r) => self.agent.run(r),
                    Err(e) => return Attempt::Fail(network(&shown, format!("invalid request: {e}"), None)),
                }
            }
            None => match req.body(()) {
                Ok(r) => self.agent.run(r),
                Err(e) => return Attempt::Fail(network(&shown, format!("invalid request: {e}"), None)),
            },
        };
        let mut response = match result {
            Ok(r) => r,
            Err(e) => return self.transport_error(&shown, method, e),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type");
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .and_then(|s| {
                (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s.min(MAX_BACKOFF.as_secs_f64())))
            });
        let body = match response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
        {
            Ok(b) => b,
            Err(e) => return self.transport_error(&shown, method, e),
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Response { content_type, body });
        }
        let message = error_message(&body);
        match status {
            401 | 403 => Attempt::Fail(
                DWaveError::Authentication {
                    endpoint: shown,
                    status,
                    message,
                }
                .into(),
            ),
            429 => Attempt::Retry {
                error: network(&shown, format!("rate limited (HTTP 429): {message}"), None),
                after: retry_after,
            },
            500..=599 => Attempt::Retry {
                error: network(&shown, format!("server error (HTTP {status}): {message}"), None),
                after: retry_after,
            },
            404 => Attempt::Fail(
                DWaveError::Rejected {
                    endpoint: shown,
                    status,
                    message,
                }
                .into(),
            ),
            _ => Attempt::Fail(
                DWaveError::Rejected {
                    endpoint: shown,
                    status,
                    message,
                }
                .into(),
            ),
        }
    }

    fn transport_error(&self, shown: &str, method: Method, e: ureq::Error) -> Attempt {
        let error = match &e {
            ureq::Error::Timeout(_) => Error::Timeout {
                what: format!("{} {shown}", method.as_str()),
                limit_ms: self.request_timeout.as_millis().min(u64::MAX as u128) as u64,
            },
            ureq::Error::BodyExceedsLimit(n) => {
                return Attempt::Fail(network(
                    shown,
                    format!("answer larger than the {MAX_RESPONSE_BYTES}-byte limit ({n} bytes)"),
                    None,
                ));
            }
            _ => network(shown, format!("transport error: {e}"), Some(Source::new(e))),
        };
        Attempt::Retry { error, after: None }
    }
}

fn network(endpoint: &str, message: String, source: Option<Source>) -> Error {
    Error::Network {
        endpoint: endpoint.to_owned(),
        message,
        source,
    }
}

/// SAPI's `{"error_code", "error_msg"}`, else the start of the body (an HTML page from a proxy).
fn error_message(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(m) = v.get("error_msg").and_then(|m| m.as_str())
    {
        return m.to_owned();
    }
    let text = snippet(body);
    if text.trim().is_empty() {
        "(empty body)".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_queries() {
        assert_eq!(
            redact_url("http://u:p@proxy:3128/x?token=1"),
            "http://proxy:3128/x"
        );
        assert_eq!(redact_url("https://h/sapi/"), "https://h/sapi/");
        assert_eq!(encode_segment("Advantage_system4.1"), "Advantage_system4.1");
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn media_types_and_versions_are_checked() {
        let t = "application/vnd.dwave.sapi.problems+json";
        assert!(check_media_type("e", Some(&format!("{t}; version=3.1.0")), t).is_ok());
        assert!(check_media_type("e", Some(&format!("{t}; version=2.0")), t).is_err());
        assert!(check_media_type("e", Some(t), t).is_err());
        assert!(check_media_type("e", Some("text/html"), t).is_err());
        assert!(check_media_type("e", None, t).is_err());
    }
}
