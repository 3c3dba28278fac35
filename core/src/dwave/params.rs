//! Sampling parameters of QPU and hybrid problems, with dwave-system's keyword names, checked
//! against the solver's properties before any request.

use super::error::DWaveError;
use super::solver::SolverInfo;
use crate::Result;
use crate::error::ArgumentError;
use crate::params::{FromValue, ToValue, Value, params};
use serde_json::{Map, Value as Json, json};

crate::params::named_enum! {
    /// How a QPU returns its reads (SAPI's `answer_mode`).
    pub enum AnswerMode("answer_mode") {
        /// One row per read, in read order.
        Raw = "raw",
        /// One row per distinct sample, with its occurrence count.
        Histogram = "histogram",
    }
}

/// A piecewise-linear schedule: `[time, value]` points (SAPI's `anneal_schedule`,
/// `h_gain_schedule`).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule(pub Vec<[f64; 2]>);

impl FromValue for Schedule {
    fn expected() -> String {
        "a sequence of [time, value] pairs".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        let bad = || -> crate::Error { crate::params::value_mismatch::<Self>(argument, value) };
        if let Value::Floats { shape, data } = value {
            if shape.len() == 2 && shape[1] == 2 {
                return Ok(Schedule(data.chunks_exact(2).map(|c| [c[0], c[1]]).collect()));
            }
            return Err(bad());
        }
        if let Value::Ints { shape, data } = value {
            if shape.len() == 2 && shape[1] == 2 {
                return Ok(Schedule(
                    data.chunks_exact(2).map(|c| [c[0] as f64, c[1] as f64]).collect(),
                ));
            }
            return Err(bad());
        }
        let Value::List(items) = value else {
            return Err(bad());
        };
        items
            .iter()
            .enumerate()
            .map(|(i, p)| {
                <[f64; 2]>::from_value(argument, p).map_err(|_| {
                    ArgumentError::Invalid {
                        argument,
                        reason: format!("point {i} must be a [time, value] pair, got {}", p.describe()),
                    }
                    .into()
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Schedule)
    }
}

impl ToValue for Schedule {
    fn to_value(&self) -> Value {
        Value::List(self.0.iter().map(|p| p.to_value()).collect())
    }
}

params! {
    /// Parameters of a QPU problem, with SAPI's names (dwave-system's DWaveSampler.sample
    /// keywords). Unset parameters are not sent (the solver's defaults apply). Each set
    /// parameter must be one the solver lists in properties["parameters"], and is checked
    /// against the solver's ranges before any request.
    pub struct QpuParams {
        /// Reads (samples) to take. Above the solver's limit per problem, the reads are split
        /// over several problems and the answers concatenated. None: the solver's default (1).
        keyword num_reads: Option<usize> = None,
        /// "raw" (one row per read) or "histogram" (distinct rows with counts). None: the
        /// solver's default ("histogram").
        keyword answer_mode: Option<AnswerMode> = None,
        /// Anneal duration in microseconds, within properties["annealing_time_range"].
        keyword annealing_time: Option<f64> = None,
        /// Anneal schedule: [time in µs, s] points, time increasing from 0, s in [0, 1].
        keyword anneal_schedule: Option<Schedule> = None,
        /// Per-qubit anneal offsets (one per qubit of the solver, within anneal_offset_ranges).
        keyword anneal_offsets: Option<Vec<f64>> = None,
        /// Let the QPU rescale biases into its ranges. None: the solver's default (True).
        keyword auto_scale: Option<bool> = None,
        /// Per-qubit flux biases (one per qubit of the solver).
        keyword flux_biases: Option<Vec<f64>> = None,
        /// Let the QPU compensate flux drift.
        keyword flux_drift_compensation: Option<bool> = None,
        /// Time-dependent gain of the linear biases: [time in µs, gain] points.
        keyword h_gain_schedule: Option<Schedule> = None,
        /// Starting state of a reverse anneal, one value per variable of the model (in its
        /// vartype).
        keyword initial_state: Option<Vec<f64>> = None,
        /// Reapply initial_state before each read of a reverse anneal.
        keyword reinitialize_state: Option<bool> = None,
        /// Microseconds to wait after each read.
        keyword readout_thermalization: Option<f64> = None,
        /// Microseconds to wait after programming the QPU.
        keyword programming_thermalization: Option<f64> = None,
        /// Add a delay between reads to reduce correlations.
        keyword reduce_intersample_correlation: Option<bool> = None,
        /// A label for the problem, shown in the Leap dashboard.
        keyword label: Option<String> = None,
    }
}

impl QpuParams {
    fn check(&self) -> Result<()> {
        if self.num_reads == Some(0) {
            return Err(invalid("num_reads", "is 0, must be at least 1"));
        }
        for (name, v) in [
            ("annealing_time", self.annealing_time),
            ("readout_thermalization", self.readout_thermalization),
            ("programming_thermalization", self.programming_thermalization),
        ] {
            if let Some(t) = v
                && !(t.is_finite() && t >= 0.0)
            {
                return Err(invalid(
                    name,
                    &format!("is {t}, must be a finite number of microseconds >= 0"),
                ));
            }
        }
        for (name, s) in [
            ("anneal_schedule", &self.anneal_schedule),
            ("h_gain_schedule", &self.h_gain_schedule),
        ] {
            if let Some(Schedule(points)) = s {
                if points.len() < 2 {
                    return Err(invalid(name, "must have at least 2 points"));
                }
                for (i, p) in points.iter().enumerate() {
                    if !(p[0].is_finite() && p[1].is_finite()) {
                        return Err(invalid(name, &format!("point {i} is not finite")));
                    }
                    if i > 0 && p[0] <= points[i - 1][0] {
                        return Err(invalid(
                            name,
                            &format!(
                                "times must increase: point {i} has time {} after {}",
                                p[0],
                                points[i - 1][0]
                            ),
                        ));
                    }
                }
                if points[0][0] != 0.0 {
                    return Err(invalid(name, "must start at time 0"));
                }
            }
        }
        if let Some(Schedule(points)) = &self.anneal_schedule {
            if let Some(i) = points.iter().position(|p| !(0.0..=1.0).contains(&p[1])) {
                return Err(invalid(
                    "anneal_schedule",
                    &format!("point {i} has s = {}, must be in [0, 1]", points[i][1]),
                ));
            }
            let (first, last) = (points[0][1], points[points.len() - 1][1]);
            if last != 1.0 || !(first == 0.0 || first == 1.0) {
                return Err(invalid(
                    "anneal_schedule",
                    "must start at s = 0 (forward) or s = 1 (reverse) and end at s = 1",
                ));
            }
        }
        for (name, v) in [
            ("anneal_offsets", &self.anneal_offsets),
            ("flux_biases", &self.flux_biases),
            ("initial_state", &self.initial_state),
        ] {
            if let Some(values) = v {
                crate::error::check::all_finite(name, values)?;
            }
        }
        Ok(())
    }

    /// The set parameters as SAPI `params` (JSON), checked against `solver`; `num_variables`
    /// is the model's width and `vartype` its vartype (for `initial_state`).
    pub(crate) fn to_sapi(
        &self,
        solver: &SolverInfo,
        num_variables: usize,
        vartype: crate::qubo::Vartype,
        extra: &[(String, Json)],
    ) -> Result<Map<String, Json>> {
        let name = solver.name();
        let reject = |parameter: &str, reason: String| -> crate::Error {
            DWaveError::InvalidParameter {
                solver: name.to_owned(),
                parameter: parameter.to_owned(),
                reason,
            }
            .into()
        };
        let mut out = Map::new();
        let kw = crate::params::KeywordArgs::to_keywords(self);
        for (key, value) in kw {
            if value == Value::None || key == "num_reads" {
                continue;
            }
            if !solver.accepts_parameter(key) {
                return Err(reject(
                    key,
                    format!(
                        "is not a parameter of this solver; it accepts {}",
                        solver.parameter_names().join(", ")
                    ),
                ));
            }
            out.insert(key.to_owned(), value_json(&value));
        }
        let num_qubits = solver.num_qubits();
        let in_range = |parameter: &str, v: f64, property: &str| -> Result<()> {
            if let Some([lo, hi]) = solver.range(property)
                && !(lo <= v && v <= hi)
            {
                return Err(reject(
                    parameter,
                    format!("{v} is outside {property} [{lo}, {hi}]"),
                ));
            }
            Ok(())
        };
        if let Some(t) = self.annealing_time {
            in_range("annealing_time", t, "annealing_time_range")?;
        }
        if let Some(t) = self.readout_thermalization {
            in_range("readout_thermalization", t, "readout_thermalization_range")?;
        }
        if let Some(t) = self.programming_thermalization {
            in_range(
                "programming_thermalization",
                t,
                "programming_thermalization_range",
            )?;
        }
        if let Some(Schedule(points)) = &self.anneal_schedule {
            if let Some(max) = solver.number("max_anneal_schedule_points")
                && points.len() as f64 > max
            {
                return Err(reject(
                    "anneal_schedule",
                    format!("has {} points, the solver allows {max}", points.len()),
                ));
            }
            if let Some([_, hi]) = solver.range("annealing_time_range")
                && points[points.len() - 1][0] > hi
            {
                return Err(reject(
                    "anneal_schedule",
                    format!(
                        "ends at {} µs, beyond annealing_time_range's {hi}",
                        points[points.len() - 1][0]
                    ),
                ));
            }
        }
        if let Some(Schedule(points)) = &self.h_gain_schedule
            && let Some(max) = solver.number("max_h_gain_schedule_points")
            && points.len() as f64 > max
        {
            return Err(reject(
                "h_gain_schedule",
                format!("has {} points, the solver allows {max}", points.len()),
            ));
        }
        for (parameter, v) in [
            ("anneal_offsets", &self.anneal_offsets),
            ("flux_biases", &self.flux_biases),
        ] {
            if let Some(values) = v
                && values.len() != num_qubits
            {
                return Err(reject(
                    parameter,
                    format!("has {} values, the solver has {num_qubits} qubits", values.len()),
                ));
            }
        }
        if let Some(offsets) = &self.anneal_offsets
            && let Some(ranges) = solver
                .properties()
                .get("anneal_offset_ranges")
                .and_then(Json::as_array)
        {
            for (q, (v, r)) in offsets.iter().zip(ranges).enumerate() {
                if let Some(r) = r.as_array().filter(|r| r.len() == 2)
                    && let (Some(lo), Some(hi)) = (r[0].as_f64(), r[1].as_f64())
                    && !(lo <= *v && *v <= hi)
                {
                    return Err(reject(
                        "anneal_offsets",
                        format!("qubit {q}: {v} is outside [{lo}, {hi}]"),
                    ));
                }
            }
        }
        if let Some(state) = &self.initial_state {
            if state.len() != num_variables {
                return Err(reject(
                    "initial_state",
                    format!(
                        "has {} values, the model has {num_variables} variables",
                        state.len()
                    ),
                ));
            }
            let ok = |x: f64| match vartype {
                crate::qubo::Vartype::Spin => x == 1.0 || x == -1.0,
                crate::qubo::Vartype::Binary => x == 0.0 || x == 1.0,
            };
            if let Some(i) = state.iter().position(|&x| !ok(x)) {
                return Err(reject(
                    "initial_state",
                    format!("value {i} is {}, not a {vartype:?} value", state[i]),
                ));
            }
            // SAPI's list over all qubits, 3 for qubits outside the model.
            let mut full = vec![json!(3); num_qubits];
            for (q, &x) in state.iter().enumerate() {
                if q < num_qubits {
                    full[q] = json!(x as i64);
                }
            }
            out.insert("initial_state".into(), Json::Array(full));
        }
        for (k, v) in extra {
            if !solver.accepts_parameter(k) {
                return Err(reject(
                    k,
                    format!(
                        "is not a parameter of this solver; it accepts {}",
                        solver.parameter_names().join(", ")
                    ),
                ));
            }
            out.insert(k.clone(), v.clone());
        }
        Ok(out)
    }
}

/// A keyword value as JSON.
pub(crate) fn value_json(v: &Value) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => i64::try_from(*i)
            .map(Json::from)
            .unwrap_or_else(|_| json!(*i as f64)),
        Value::Float(x) => json!(x),
        Value::Str(s) => json!(s),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::I8s { data, .. } => json!(data),
        Value::Ints { data, .. } => json!(data),
        Value::Floats { data, .. } => json!(data),
        // Bindings turn foreign objects into errors before they reach a request.
        Value::Other { type_name } => json!({ "unsupported": type_name }),
    }
}

fn invalid(argument: &'static str, reason: &str) -> crate::Error {
    ArgumentError::Invalid {
        argument,
        reason: reason.to_owned(),
    }
    .into()
}

params! {
    /// Parameters of a Leap hybrid BQM problem (dwave-system's LeapHybridSampler.sample).
    pub struct HybridParams {
        /// Seconds the solver may run. None: the solver's minimum for the model's size
        /// (properties["minimum_time_limit"], interpolated as dwave-system does).
        keyword time_limit: Option<f64> = None,
        /// A label for the problem, shown in the Leap dashboard.
        keyword label: Option<String> = None,
    }
}

impl HybridParams {
    fn check(&self) -> Result<()> {
        if let Some(t) = self.time_limit
            && !(t.is_finite() && t > 0.0)
        {
            return Err(invalid(
                "time_limit",
                &format!("is {t}, must be a finite number of seconds > 0"),
            ));
        }
        Ok(())
    }
}

/// dwave-system's `min_time_limit`: `properties["minimum_time_limit"]` (`[[num_variables,
/// seconds], …]`) interpolated linearly at `num_variables` (clamped at the ends, as
/// `numpy.interp`).
pub fn min_time_limit(solver: &SolverInfo, num_variables: usize) -> Option<f64> {
    let points: Vec<(f64, f64)> = solver
        .properties()
        .get("minimum_time_limit")?
        .as_array()?
        .iter()
        .filter_map(|p| {
            let p = p.as_array()?;
            Some((p.first()?.as_f64()?, p.get(1)?.as_f64()?))
        })
        .collect();
    let x = num_variables as f64;
    let (first, last) = (points.first()?, points.last()?);
    if x <= first.0 {
        return Some(first.1);
    }
    if x >= last.0 {
        return Some(last.1);
    }
    points.windows(2).find(|w| w[0].0 <= x && x <= w[1].0).map(|w| {
        let (x0, y0, x1, y1) = (w[0].0, w[0].1, w[1].0, w[1].1);
        if x1 == x0 {
            y0
        } else {
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        }
    })
}
