//! C functions of the `dwave` area: D-Wave QPU, Leap hybrid and embedding samplers created from
//! explicit connection settings (`NqDWaveSettings`) or from the environment (`DWAVE_API_*`, then
//! dwave.conf, Ocean's precedence), then used like any sampler with `nq_sampler_sample`.
//!
//! Creating a sampler connects to the Solver API (one or two requests) to select the solver.
//! The token is sent only in the `X-Auth-Token` header and never appears in an error message.

use crate::anneal::{NqSampler, boxed};
use crate::convert::{Fields, Versioned, c_enum, init_sized, invalid, read_sized};
use crate::guard::{FfiResult, Out, arg_slice, guard};
use crate::status::NqStatus;
use nq::dwave::{
    AnswerMode, DWaveConfig, DWaveSampler, EmbeddingCompositeParams, EmbeddingSampler, HybridParams,
    LeapHybridSampler, QpuParams,
};
use nq::params::{KeywordArgs, Value};
use std::ffi::{CStr, c_char};

/// How a QPU returns its reads (`uint32_t`).
pub type NqAnswerMode = u32;
/// One row per read, in read order.
pub const NQ_ANSWER_MODE_RAW: NqAnswerMode = 0 as NqAnswerMode;
/// One row per distinct sample, with its occurrence count.
pub const NQ_ANSWER_MODE_HISTOGRAM: NqAnswerMode = 1 as NqAnswerMode;

c_enum!(AnswerMode {
    NQ_ANSWER_MODE_RAW => AnswerMode::Raw,
    NQ_ANSWER_MODE_HISTOGRAM => AnswerMode::Histogram,
});

/// Longest string a settings field may hold (bytes, without the NUL).
pub const NQ_DWAVE_MAX_STRING: usize = 65536;

/// A NUL-terminated UTF-8 string field as a keyword value; NULL leaves the keyword unset.
///
/// # Safety
/// If non-NULL, `p` must point to a NUL-terminated string.
unsafe fn put_str(f: &mut Fields, name: &'static str, p: *const c_char) -> FfiResult {
    if p.is_null() {
        return Ok(());
    }
    // Bounded scan: a missing terminator within the limit is an error, not a read overrun
    // beyond what the caller owns (the caller's contract covers the bytes up to the NUL).
    let mut len = 0usize;
    // SAFETY: the caller guarantees a NUL-terminated string; we stop at the NUL or the limit.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
        if len > NQ_DWAVE_MAX_STRING {
            return Err(invalid(
                name,
                format!("is longer than {NQ_DWAVE_MAX_STRING} bytes"),
            ));
        }
    }
    // SAFETY: `len` bytes followed by a NUL were just read.
    let text = unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| invalid(name, "is not valid UTF-8".into()))?;
    Ok(f.0.insert(name, Value::Str(text.to_owned()))?)
}

/// Connection settings of the D-Wave Solver API, with Ocean's names. Initialise with
/// `nq_dwave_settings_default(&s, sizeof s)`: every field then is unset (NULL strings, `has_*`
/// 0), so each comes from `DWAVE_API_*` environment variables, then from a dwave.conf profile,
/// as dwave-cloud-client resolves them. Strings are NUL-terminated UTF-8, read only during the
/// constructor call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqDWaveSettings {
    /// `sizeof` the struct as the caller compiled it (set by `nq_dwave_settings_default`).
    pub struct_size: usize,
    /// Solver API endpoint URL. None: the region's endpoint.
    /// NULL: None (then DWAVE_API_ENDPOINT, then dwave.conf).
    pub endpoint: *const c_char,
    /// API token (sent as X-Auth-Token; never shown in logs, repr or messages).
    /// NULL: None (then DWAVE_API_TOKEN, then dwave.conf).
    pub token: *const c_char,
    /// Solver name, or a JSON object of feature filters such as {"qpu": true} or
    /// {"num_qubits__gt": 100}. None: the sampler's default category.
    /// NULL: None (then DWAVE_API_SOLVER, then dwave.conf).
    pub solver: *const c_char,
    /// Solver API region code, resolved to an endpoint through the metadata API. None:
    /// "na-west-1".
    /// NULL: None (then DWAVE_API_REGION, then dwave.conf).
    pub region: *const c_char,
    /// Proxy URL for every request (http://, https://, socks5://).
    /// NULL: None (then DWAVE_API_PROXY, then dwave.conf).
    pub proxy: *const c_char,
    /// Seconds one HTTP request may take. None: 60.
    pub request_timeout: f64,
    /// Non-zero: use `request_timeout`; 0: None.
    pub has_request_timeout: u8,
    /// Seconds to wait for a problem's answer before giving up. None: no limit.
    /// Giving up returns NQ_TIMEOUT.
    pub polling_timeout: f64,
    /// Non-zero: use `polling_timeout`; 0: None.
    pub has_polling_timeout: u8,
    /// Retries of a request after a transport error, a 429 or a 5xx answer (Ocean's
    /// http_retry_total). None: 10.
    pub http_retry_total: u32,
    /// Non-zero: use `http_retry_total`; 0: None.
    pub has_http_retry_total: u8,
    /// Path of a dwave.conf file to read instead of the standard locations ("" reads no
    /// file, as Ocean's config_file=False). None: DWAVE_CONFIG_FILE, else ./dwave.conf,
    /// ~/.config/dwave/dwave.conf, /etc/xdg/dwave/dwave.conf.
    /// NULL: None.
    pub config_file: *const c_char,
    /// Profile (section) of the configuration file. None: DWAVE_PROFILE, else the file's
    /// default profile.
    /// NULL: None.
    pub profile: *const c_char,
    /// Metadata API endpoint used to resolve regions. None: DWAVE_METADATA_API_ENDPOINT,
    /// else the public one.
    /// NULL: None.
    pub metadata_api_endpoint: *const c_char,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqDWaveSettings {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        NqDWaveSettings {
            struct_size: std::mem::size_of::<Self>(),
            endpoint: std::ptr::null(),
            token: std::ptr::null(),
            solver: std::ptr::null(),
            region: std::ptr::null(),
            proxy: std::ptr::null(),
            request_timeout: 0.0,
            has_request_timeout: 0,
            polling_timeout: 0.0,
            has_polling_timeout: 0,
            http_retry_total: 0,
            has_http_retry_total: 0,
            config_file: std::ptr::null(),
            profile: std::ptr::null(),
            metadata_api_endpoint: std::ptr::null(),
        }
    }
}

impl NqDWaveSettings {
    unsafe fn to_core(self) -> FfiResult<DWaveConfig> {
        let mut f = Fields::default();
        unsafe {
            put_str(&mut f, "endpoint", self.endpoint)?;
            put_str(&mut f, "token", self.token)?;
            put_str(&mut f, "solver", self.solver)?;
            put_str(&mut f, "region", self.region)?;
            put_str(&mut f, "proxy", self.proxy)?;
        }
        f.opt("request_timeout", self.has_request_timeout, self.request_timeout)?;
        f.opt("polling_timeout", self.has_polling_timeout, self.polling_timeout)?;
        f.opt(
            "http_retry_total",
            self.has_http_retry_total,
            self.http_retry_total,
        )?;
        unsafe {
            put_str(&mut f, "config_file", self.config_file)?;
            put_str(&mut f, "profile", self.profile)?;
            put_str(&mut f, "metadata_api_endpoint", self.metadata_api_endpoint)?;
        }
        Ok(DWaveConfig::from_keywords("D-Wave settings", f.0)?)
    }
}

/// Settings from a caller pointer: NULL means "all from the environment".
unsafe fn settings(p: *const NqDWaveSettings) -> FfiResult<DWaveConfig> {
    if p.is_null() {
        return Ok(DWaveConfig::default());
    }
    unsafe { read_sized(p, "settings")?.to_core() }
}

/// Parameters of QPU problems, with SAPI's names (dwave-system's `DWaveSampler.sample`
/// keywords). Initialise with `nq_dwave_qpu_params_default(&p, sizeof p)`: everything unset, so
/// the solver's defaults apply. Each set parameter must be one the solver lists and is checked
/// against the solver's properties before any request. Pointers are read only during the
/// constructor call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqDWaveQpuParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_dwave_qpu_params_default`).
    pub struct_size: usize,
    /// Reads (samples) to take. Above the solver's limit per problem, the reads are split
    /// over several problems and the answers concatenated. None: the solver's default (1).
    pub num_reads: usize,
    /// Non-zero: use `num_reads`; 0: None.
    pub has_num_reads: u8,
    /// "raw" (one row per read) or "histogram" (distinct rows with counts). None: the
    /// solver's default ("histogram").
    /// An NQ_ANSWER_MODE_* constant.
    pub answer_mode: NqAnswerMode,
    /// Non-zero: use `answer_mode`; 0: None.
    pub has_answer_mode: u8,
    /// Anneal duration in microseconds, within properties["annealing_time_range"].
    pub annealing_time: f64,
    /// Non-zero: use `annealing_time`; 0: None.
    pub has_annealing_time: u8,
    /// Anneal schedule: [time in µs, s] points, time increasing from 0, s in [0, 1].
    /// `anneal_schedule_len` points of two doubles each (time, s); NULL: None.
    pub anneal_schedule: *const f64,
    /// Points at `anneal_schedule`.
    pub anneal_schedule_len: usize,
    /// Per-qubit anneal offsets (one per qubit of the solver, within anneal_offset_ranges).
    /// `anneal_offsets_len` values; NULL: None.
    pub anneal_offsets: *const f64,
    /// Values at `anneal_offsets`.
    pub anneal_offsets_len: usize,
    /// Let the QPU rescale biases into its ranges. None: the solver's default (True).
    /// Non-zero: true.
    pub auto_scale: u8,
    /// Non-zero: use `auto_scale`; 0: None.
    pub has_auto_scale: u8,
    /// Per-qubit flux biases (one per qubit of the solver).
    /// `flux_biases_len` values; NULL: None.
    pub flux_biases: *const f64,
    /// Values at `flux_biases`.
    pub flux_biases_len: usize,
    /// Let the QPU compensate flux drift.
    /// Non-zero: true.
    pub flux_drift_compensation: u8,
    /// Non-zero: use `flux_drift_compensation`; 0: None.
    pub has_flux_drift_compensation: u8,
    /// Time-dependent gain of the linear biases: [time in µs, gain] points.
    /// `h_gain_schedule_len` points of two doubles each (time, gain); NULL: None.
    pub h_gain_schedule: *const f64,
    /// Points at `h_gain_schedule`.
    pub h_gain_schedule_len: usize,
    /// Starting state of a reverse anneal, one value per variable of the model (in its
    /// vartype).
    /// `initial_state_len` values; NULL: None.
    pub initial_state: *const f64,
    /// Values at `initial_state`.
    pub initial_state_len: usize,
    /// Reapply initial_state before each read of a reverse anneal.
    /// Non-zero: true.
    pub reinitialize_state: u8,
    /// Non-zero: use `reinitialize_state`; 0: None.
    pub has_reinitialize_state: u8,
    /// Microseconds to wait after each read.
    pub readout_thermalization: f64,
    /// Non-zero: use `readout_thermalization`; 0: None.
    pub has_readout_thermalization: u8,
    /// Microseconds to wait after programming the QPU.
    pub programming_thermalization: f64,
    /// Non-zero: use `programming_thermalization`; 0: None.
    pub has_programming_thermalization: u8,
    /// Add a delay between reads to reduce correlations.
    /// Non-zero: true.
    pub reduce_intersample_correlation: u8,
    /// Non-zero: use `reduce_intersample_correlation`; 0: None.
    pub has_reduce_intersample_correlation: u8,
    /// A label for the problem, shown in the Leap dashboard.
    /// NUL-terminated UTF-8; NULL: None.
    pub label: *const c_char,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqDWaveQpuParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        NqDWaveQpuParams {
            struct_size: std::mem::size_of::<Self>(),
            num_reads: 1,
            has_num_reads: 0,
            answer_mode: NQ_ANSWER_MODE_HISTOGRAM,
            has_answer_mode: 0,
            annealing_time: 0.0,
            has_annealing_time: 0,
            anneal_schedule: std::ptr::null(),
            anneal_schedule_len: 0,
            anneal_offsets: std::ptr::null(),
            anneal_offsets_len: 0,
            auto_scale: 1,
            has_auto_scale: 0,
            flux_biases: std::ptr::null(),
            flux_biases_len: 0,
            flux_drift_compensation: 1,
            has_flux_drift_compensation: 0,
            h_gain_schedule: std::ptr::null(),
            h_gain_schedule_len: 0,
            initial_state: std::ptr::null(),
            initial_state_len: 0,
            reinitialize_state: 1,
            has_reinitialize_state: 0,
            readout_thermalization: 0.0,
            has_readout_thermalization: 0,
            programming_thermalization: 0.0,
            has_programming_thermalization: 0,
            reduce_intersample_correlation: 0,
            has_reduce_intersample_correlation: 0,
            label: std::ptr::null(),
        }
    }
}

/// `name = [[t, v], ...]` from `points` pairs of doubles at `p` (NULL: unset).
unsafe fn put_schedule(f: &mut Fields, name: &'static str, p: *const f64, points: usize) -> FfiResult {
    if p.is_null() {
        if points != 0 {
            return Err(crate::guard::Failure::Null(name));
        }
        return Ok(());
    }
    let len = points
        .checked_mul(2)
        .ok_or(crate::guard::Failure::TooLong(name))?;
    let values = unsafe { arg_slice(p, len, name) }?;
    Ok(f.0.insert(
        name,
        Value::Floats {
            shape: vec![points, 2],
            data: values.to_vec(),
        },
    )?)
}

impl NqDWaveQpuParams {
    unsafe fn to_core(self) -> FfiResult<QpuParams> {
        let mut f = Fields::default();
        f.opt("num_reads", self.has_num_reads, self.num_reads)?;
        if self.has_answer_mode != 0 {
            f.code::<AnswerMode>("answer_mode", self.answer_mode)?;
        }
        f.opt("annealing_time", self.has_annealing_time, self.annealing_time)?;
        unsafe {
            put_schedule(
                &mut f,
                "anneal_schedule",
                self.anneal_schedule,
                self.anneal_schedule_len,
            )?;
            f.floats("anneal_offsets", self.anneal_offsets, self.anneal_offsets_len)?;
        }
        if self.has_auto_scale != 0 {
            f.flag("auto_scale", self.auto_scale)?;
        }
        unsafe { f.floats("flux_biases", self.flux_biases, self.flux_biases_len) }?;
        if self.has_flux_drift_compensation != 0 {
            f.flag("flux_drift_compensation", self.flux_drift_compensation)?;
        }
        unsafe {
            put_schedule(
                &mut f,
                "h_gain_schedule",
                self.h_gain_schedule,
                self.h_gain_schedule_len,
            )?;
            f.floats("initial_state", self.initial_state, self.initial_state_len)?;
        }
        if self.has_reinitialize_state != 0 {
            f.flag("reinitialize_state", self.reinitialize_state)?;
        }
        f.opt(
            "readout_thermalization",
            self.has_readout_thermalization,
            self.readout_thermalization,
        )?;
        f.opt(
            "programming_thermalization",
            self.has_programming_thermalization,
            self.programming_thermalization,
        )?;
        if self.has_reduce_intersample_correlation != 0 {
            f.flag(
                "reduce_intersample_correlation",
                self.reduce_intersample_correlation,
            )?;
        }
        unsafe { put_str(&mut f, "label", self.label) }?;
        Ok(QpuParams::from_keywords("the D-Wave QPU sampler", f.0)?)
    }
}

unsafe fn qpu_params(p: *const NqDWaveQpuParams) -> FfiResult<QpuParams> {
    if p.is_null() {
        return Ok(QpuParams::default());
    }
    unsafe { read_sized(p, "params")?.to_core() }
}

/// Parameters of Leap hybrid BQM problems (dwave-system's `LeapHybridSampler.sample`).
/// Initialise with `nq_leap_hybrid_params_default(&p, sizeof p)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqLeapHybridParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_leap_hybrid_params_default`).
    pub struct_size: usize,
    /// Seconds the solver may run. None: the solver's minimum for the model's size
    /// (properties["minimum_time_limit"], interpolated as dwave-system does).
    pub time_limit: f64,
    /// Non-zero: use `time_limit`; 0: None.
    pub has_time_limit: u8,
    /// A label for the problem, shown in the Leap dashboard.
    /// NUL-terminated UTF-8; NULL: None.
    pub label: *const c_char,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqLeapHybridParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        NqLeapHybridParams {
            struct_size: std::mem::size_of::<Self>(),
            time_limit: 0.0,
            has_time_limit: 0,
            label: std::ptr::null(),
        }
    }
}

impl NqLeapHybridParams {
    unsafe fn to_core(self) -> FfiResult<HybridParams> {
        let mut f = Fields::default();
        f.opt("time_limit", self.has_time_limit, self.time_limit)?;
        unsafe { put_str(&mut f, "label", self.label) }?;
        Ok(HybridParams::from_keywords("the Leap hybrid sampler", f.0)?)
    }
}

/// Parameters of the embedding sampler (dwave-system's `EmbeddingComposite`) and its heuristic
/// embedding finder. Initialise with `nq_dwave_embedding_params_default(&p, sizeof p)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqDWaveEmbeddingParams {
    /// `sizeof` the struct as the caller compiled it.
    pub struct_size: usize,
    /// Coupling of the qubits of a chain. None: uniform_torque_compensation with prefactor
    /// 1.414 (dwave-system's default).
    pub chain_strength: f64,
    /// Non-zero: use `chain_strength`; 0: None.
    pub has_chain_strength: u8,
    /// Add each row's fraction of broken chains as the vector chain_break_fraction.
    /// Non-zero: true.
    pub chain_break_fraction: u8,
    /// Put the embedding, the chain strength and the embedding timings in
    /// info["embedding_context"].
    /// Non-zero: true.
    pub return_embedding: u8,
    /// Restarts from a new random order; the best embedding found (fewest qubits) is kept.
    pub tries: usize,
    /// Rip-up-and-reroute rounds per try that end without a valid embedding before the try
    /// gives up.
    pub max_no_improvement: usize,
    /// Rounds of chain shortening without improvement before a valid embedding is kept.
    pub chainlength_patience: usize,
    /// Seed. None: drawn from the operating system.
    pub random_seed: u64,
    /// Non-zero: use `random_seed`; 0: None.
    pub has_random_seed: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float fields only.
unsafe impl Versioned for NqDWaveEmbeddingParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = EmbeddingCompositeParams::default();
        let e = &d.embedding_parameters;
        NqDWaveEmbeddingParams {
            struct_size: std::mem::size_of::<Self>(),
            chain_strength: d.chain_strength.unwrap_or(0.0),
            has_chain_strength: u8::from(d.chain_strength.is_some()),
            chain_break_fraction: u8::from(d.chain_break_fraction),
            return_embedding: u8::from(d.return_embedding),
            tries: e.tries,
            max_no_improvement: e.max_no_improvement,
            chainlength_patience: e.chainlength_patience,
            random_seed: e.random_seed.unwrap_or(0),
            has_random_seed: u8::from(e.random_seed.is_some()),
        }
    }
}

impl NqDWaveEmbeddingParams {
    fn to_core(self) -> FfiResult<EmbeddingCompositeParams> {
        let mut f = Fields::default();
        f.opt("chain_strength", self.has_chain_strength, self.chain_strength)?;
        f.flag("chain_break_fraction", self.chain_break_fraction)?;
        f.flag("return_embedding", self.return_embedding)?;
        f.set("tries", self.tries)?;
        f.set("max_no_improvement", self.max_no_improvement)?;
        f.set("chainlength_patience", self.chainlength_patience)?;
        f.opt("random_seed", self.has_random_seed, self.random_seed)?;
        Ok(EmbeddingCompositeParams::from_keywords(
            "the embedding sampler",
            f.0,
        )?)
    }
}

/// Writes the default settings (everything unset: from the environment) into the caller's
/// struct of `struct_size` bytes (pass `sizeof *settings`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_dwave_settings_default(
    settings: *mut NqDWaveSettings,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(settings, struct_size, "settings") })
}

/// Writes the default QPU parameters (everything unset) into the caller's struct.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_dwave_qpu_params_default(
    params: *mut NqDWaveQpuParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Writes the default Leap hybrid parameters into the caller's struct.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_leap_hybrid_params_default(
    params: *mut NqLeapHybridParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Writes the default embedding parameters into the caller's struct.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_dwave_embedding_params_default(
    params: *mut NqDWaveEmbeddingParams,
    struct_size: usize,
) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a structured D-Wave QPU sampler: connects with `settings` (NULL: all from the
/// environment and dwave.conf) and selects the solver (by default the least-loaded QPU).
/// `params` NULL: the solver's defaults. Variable `i` of a model is qubit `i`; sample with
/// `nq_sampler_sample` (variables with a bias or an interaction are sent). The sample set's info
/// JSON holds SAPI's `timing` (µs) and `problem_id` under `extra`. Fails with NQ_NETWORK
/// (unreachable, bad token), NQ_TIMEOUT, or NQ_INVALID_ARGUMENT (no token, unknown solver,
/// invalid parameters).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_dwave(
    settings: *const NqDWaveSettings,
    params: *const NqDWaveQpuParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let config = unsafe { self::settings(settings) }?;
        let p = unsafe { qpu_params(params) }?;
        let out = Out::new(out, "out")?;
        boxed(out, DWaveSampler::new(&config, p)?);
        Ok(())
    })
}

/// Creates a Leap hybrid BQM sampler: connects with `settings` (NULL: from the environment) and
/// selects the solver (by default the least-loaded hybrid BQM solver). `params` NULL: defaults.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_leap_hybrid(
    settings: *const NqDWaveSettings,
    params: *const NqLeapHybridParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let config = unsafe { self::settings(settings) }?;
        let p = if params.is_null() {
            HybridParams::default()
        } else {
            unsafe { read_sized(params, "params")?.to_core() }?
        };
        let out = Out::new(out, "out")?;
        boxed(out, LeapHybridSampler::new(&config, p)?);
        Ok(())
    })
}

/// Creates a sampler for any model on a D-Wave QPU through minor embedding: a QPU sampler as
/// `nq_sampler_new_dwave` makes it, wrapped by an embedding sampler with `embedding_params`
/// (NULL: defaults). With `chains` non-NULL the embedding is fixed: variable `v` is represented
/// by the qubits `chains[chain_offsets[v] .. chain_offsets[v + 1]]` (`chain_offsets` has
/// `num_chains + 1` entries), validated against each model; NULL: found per model.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_dwave_embedding(
    settings: *const NqDWaveSettings,
    params: *const NqDWaveQpuParams,
    embedding_params: *const NqDWaveEmbeddingParams,
    chains: *const u32,
    chain_offsets: *const usize,
    num_chains: usize,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let config = unsafe { self::settings(settings) }?;
        let p = unsafe { qpu_params(params) }?;
        let e = if embedding_params.is_null() {
            EmbeddingCompositeParams::default()
        } else {
            unsafe { read_sized(embedding_params, "embedding_params")? }.to_core()?
        };
        let fixed = if chains.is_null() {
            None
        } else {
            let offsets = unsafe { arg_slice(chain_offsets, num_chains.saturating_add(1), "chain_offsets") }?;
            let total = *offsets.last().expect("num_chains + 1 >= 1 entries");
            if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) {
                return Err(invalid(
                    "chain_offsets",
                    "must start at 0 and be non-decreasing".into(),
                ));
            }
            let qubits = unsafe { arg_slice(chains, total, "chains") }?;
            Some(nq::dwave::Embedding::new(
                offsets.windows(2).map(|w| qubits[w[0]..w[1]].to_vec()).collect(),
            ))
        };
        let out = Out::new(out, "out")?;
        let child = DWaveSampler::new(&config, p)?;
        let sampler = match fixed {
            Some(embedding) => EmbeddingSampler::with_embedding(child, embedding, e)?,
            None => EmbeddingSampler::new(child, e)?,
        };
        boxed(out, sampler);
        Ok(())
    })
}
