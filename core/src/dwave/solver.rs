//! Solvers as the Solver API describes them (`GET solvers/remote/`): identity, status,
//! properties, and the derived facts clients select on; [`SolverFilter`] selects one by name or
//! by dwave-cloud-client's feature filters (`{"qpu": true, "num_qubits__gt": 100}`).

use super::error::DWaveError;
use crate::Result;
use serde_json::{Map, Value};

/// One solver's description.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverInfo {
    identity: Value,
    name: String,
    status: Option<String>,
    avg_load: Option<f64>,
    description: String,
    properties: Map<String, Value>,
    qubits: Vec<u32>,
    couplers: Vec<(u32, u32)>,
}

fn bad(endpoint: &str, message: String) -> crate::Error {
    crate::Error::Network {
        endpoint: endpoint.to_owned(),
        message,
        source: None,
    }
}

impl SolverInfo {
    /// Reads a solver description (`{identity: {name, version}, status, avg_load, properties,
    /// description}`); `endpoint` names the source in errors.
    pub fn from_json(endpoint: &str, v: &Value) -> Result<Self> {
        let identity = v
            .get("identity")
            .cloned()
            .ok_or_else(|| bad(endpoint, "solver description without `identity`".into()))?;
        let name = match &identity {
            Value::Object(o) => o.get("name").and_then(Value::as_str),
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
        .ok_or_else(|| bad(endpoint, "solver identity without a name".into()))?
        .to_owned();
        let properties = match v.get("properties") {
            Some(Value::Object(p)) => p.clone(),
            _ => return Err(bad(endpoint, format!("solver {name}: missing `properties`"))),
        };
        if !matches!(properties.get("supported_problem_types"), Some(Value::Array(_))) {
            return Err(bad(
                endpoint,
                format!("solver {name}: missing `properties.supported_problem_types`"),
            ));
        }
        let mut qubits = Vec::new();
        let mut couplers = Vec::new();
        if let Some(q) = properties.get("qubits") {
            let list = q
                .as_array()
                .ok_or_else(|| bad(endpoint, format!("solver {name}: `qubits` is not a list")))?;
            qubits.reserve(list.len());
            for x in list {
                qubits.push(
                    x.as_u64()
                        .and_then(|x| u32::try_from(x).ok())
                        .ok_or_else(|| bad(endpoint, format!("solver {name}: qubit {x} is not an index")))?,
                );
            }
            let list = properties
                .get("couplers")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(endpoint, format!("solver {name}: missing `couplers`")))?;
            couplers.reserve(list.len());
            for c in list {
                let pair = c.as_array().filter(|p| p.len() == 2).and_then(|p| {
                    let a = u32::try_from(p[0].as_u64()?).ok()?;
                    let b = u32::try_from(p[1].as_u64()?).ok()?;
                    Some((a, b))
                });
                couplers.push(pair.ok_or_else(|| {
                    bad(
                        endpoint,
                        format!("solver {name}: coupler {c} is not a pair of qubits"),
                    )
                })?);
            }
        }
        Ok(SolverInfo {
            name,
            identity,
            status: v.get("status").and_then(Value::as_str).map(str::to_owned),
            avg_load: v.get("avg_load").and_then(Value::as_f64),
            description: v
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            properties,
            qubits,
            couplers,
        })
    }

    /// The solver's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The identity object sent with each problem (`{name, version: {graph_id}}`).
    pub fn identity(&self) -> &Value {
        &self.identity
    }

    /// The description text.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Average load at the time of the listing.
    pub fn avg_load(&self) -> Option<f64> {
        self.avg_load
    }

    /// Whether the solver is online (a missing status counts as online, as in Ocean).
    pub fn online(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("online"))
    }

    /// The `properties` object.
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    fn category(&self) -> String {
        self.properties
            .get("category")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// A QPU solver (`category == "qpu"`).
    pub fn is_qpu(&self) -> bool {
        match self.category().as_str() {
            "" => !(self.is_software() || self.is_hybrid()),
            c => c == "qpu",
        }
    }

    /// A hybrid solver (`category == "hybrid"`).
    pub fn is_hybrid(&self) -> bool {
        match self.category().as_str() {
            "" => self.name.starts_with("hybrid"),
            c => c == "hybrid",
        }
    }

    /// A classical software solver (`category == "software"`).
    pub fn is_software(&self) -> bool {
        match self.category().as_str() {
            "" => self.name.starts_with("c4-sw_"),
            c => c == "software",
        }
    }

    /// The working qubits, in the order `qp` data uses.
    pub fn qubits(&self) -> &[u32] {
        &self.qubits
    }

    /// The working couplers, in the order `qp` data uses.
    pub fn couplers(&self) -> &[(u32, u32)] {
        &self.couplers
    }

    /// `num_qubits`: qubit labels run over `0..num_qubits` (working or not).
    pub fn num_qubits(&self) -> usize {
        self.properties
            .get("num_qubits")
            .and_then(Value::as_u64)
            .map(|n| n as usize)
            .unwrap_or_else(|| self.qubits.iter().max().map_or(0, |&m| m as usize + 1))
    }

    /// The parameter names the solver accepts (`properties.parameters`).
    pub fn parameter_names(&self) -> Vec<&str> {
        self.properties
            .get("parameters")
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether the solver accepts parameter `name` (keys starting `x_` always pass, as in Ocean).
    pub fn accepts_parameter(&self, name: &str) -> bool {
        name.starts_with("x_")
            || self
                .properties
                .get("parameters")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key(name))
    }

    /// Whether the solver takes problems of `kind` (`"qubo"`, `"ising"`, `"bqm"`).
    pub fn supports(&self, kind: &str) -> bool {
        self.properties
            .get("supported_problem_types")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|x| x.as_str() == Some(kind)))
    }

    /// A `[low, high]` range property (`h_range`, `j_range`, `num_reads_range`, …).
    pub fn range(&self, name: &str) -> Option<[f64; 2]> {
        let r = self.properties.get(name)?.as_array()?;
        if r.len() != 2 {
            return None;
        }
        Some([r[0].as_f64()?, r[1].as_f64()?])
    }

    /// A number property.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.properties.get(name)?.as_f64()
    }

    /// The most reads one problem may ask for with `annealing_time` etc. (dwave-cloud-client's
    /// `max_num_reads`): `num_reads_range[1]`, bounded for a QPU by the problem-run duration.
    pub fn max_num_reads(
        &self,
        annealing_time: Option<f64>,
        readout_thermalization: Option<f64>,
        programming_thermalization: Option<f64>,
    ) -> Option<u64> {
        let top = self.range("num_reads_range")?[1];
        let duration = self.range("problem_run_duration_range").map(|r| r[1]);
        let at = annealing_time.or(self.number("default_annealing_time"));
        let rt = readout_thermalization.or(self.number("default_readout_thermalization"));
        let pt = programming_thermalization.or(self.number("default_programming_thermalization"));
        let limit = match (self.is_qpu(), duration, at, rt, pt) {
            (true, Some(d), Some(a), Some(r), Some(p)) if a + r > 0.0 => top.min(((d - p) / (a + r)).floor()),
            _ => top,
        };
        Some(limit.max(0.0) as u64)
    }

    /// The value of `path` (a derived property, a parameter, or a `properties` path with
    /// segments joined by `.`), and whether it named a parameter.
    fn lookup(&self, path: &str) -> (Option<Value>, bool) {
        match path {
            "name" => return (Some(Value::String(self.name.clone())), false),
            "online" => return (Some(Value::Bool(self.online())), false),
            "avg_load" => return (self.avg_load.map(Value::from), false),
            "qpu" => return (Some(Value::Bool(self.is_qpu())), false),
            "hybrid" => return (Some(Value::Bool(self.is_hybrid())), false),
            "software" => return (Some(Value::Bool(self.is_software())), false),
            "num_active_qubits" => return (Some(Value::from(self.qubits.len())), false),
            "graph_id" => {
                return (self.identity.pointer("/version/graph_id").cloned(), false);
            }
            "identity" => return (Some(self.identity.clone()), false),
            _ => {}
        }
        let pluck = |root: &Map<String, Value>| {
            let mut parts = path.split('.');
            let mut v = root.get(parts.next()?)?;
            for p in parts {
                v = v.get(p)?;
            }
            (!v.is_null()).then(|| v.clone())
        };
        if let Some(params) = self.properties.get("parameters").and_then(Value::as_object)
            && let Some(v) = pluck(params)
        {
            return (Some(v), true);
        }
        (pluck(&self.properties), false)
    }
}

/// Which solver to use: any (the sampler's default category decides), one by name, or the
/// first match of feature filters ordered by `avg_load`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SolverFilter {
    /// No preference.
    #[default]
    Any,
    /// The solver of this name.
    Name(String),
    /// dwave-cloud-client feature filters: `{"<property path>[__<op>]": value}` with `__`
    /// separating nested properties and ops `eq`, `lt`, `lte`, `gt`, `gte`, `available`,
    /// `covers`, `within`, `in`, `contains`, `issubset`, `issuperset`.
    Features(Map<String, Value>),
}

const OPS: [&str; 12] = [
    "eq",
    "lt",
    "lte",
    "gt",
    "gte",
    "available",
    "covers",
    "within",
    "in",
    "contains",
    "issubset",
    "issuperset",
];

impl SolverFilter {
    /// Parses Ocean's `solver` setting: a JSON object of filters, else a solver name.
    pub fn parse(text: Option<&str>) -> Result<Self> {
        let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(SolverFilter::Any);
        };
        match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => {
                let f = SolverFilter::Features(m);
                f.check()?;
                Ok(f)
            }
            _ => Ok(SolverFilter::Name(t.to_owned())),
        }
    }

    fn check(&self) -> Result<()> {
        if let SolverFilter::Features(m) = self {
            for key in m.keys() {
                if key.is_empty() || key.split("__").any(str::is_empty) {
                    return Err(DWaveError::Config(format!("solver filter key {key:?} is malformed")).into());
                }
                if key.ends_with("__regex") {
                    return Err(DWaveError::Config(format!(
                        "solver filter {key:?}: the `regex` operator is not supported; use `name` or `__in`"
                    ))
                    .into());
                }
            }
        }
        Ok(())
    }

    /// This filter with `defaults` added for keys it does not set (a sampler's category).
    pub fn with_defaults(&self, defaults: &[(&str, Value)]) -> SolverFilter {
        match self {
            SolverFilter::Name(_) => self.clone(),
            SolverFilter::Any => {
                SolverFilter::Features(defaults.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
            }
            SolverFilter::Features(m) => {
                let mut m = m.clone();
                for (k, v) in defaults {
                    m.entry(k.to_string()).or_insert_with(|| v.clone());
                }
                SolverFilter::Features(m)
            }
        }
    }

    /// The solver name to fetch directly, when the filter names one.
    pub fn name(&self) -> Option<&str> {
        match self {
            SolverFilter::Name(n) => Some(n),
            SolverFilter::Features(m) => m.get("name").or(m.get("name__eq")).and_then(Value::as_str),
            SolverFilter::Any => None,
        }
    }

    /// Whether `solver` passes every filter (and is online unless `online` is given).
    pub fn matches(&self, solver: &SolverInfo) -> bool {
        match self {
            SolverFilter::Any => solver.online(),
            SolverFilter::Name(n) => solver.name() == n,
            SolverFilter::Features(m) => {
                (m.contains_key("online") || m.contains_key("online__eq") || solver.online())
                    && m.iter().all(|(k, v)| predicate(solver, k, v))
            }
        }
    }

    /// The matching solvers, by increasing `avg_load` (unknown loads last), as Ocean orders them.
    pub fn select<'a>(&self, solvers: &'a [SolverInfo]) -> Vec<&'a SolverInfo> {
        let mut found: Vec<&SolverInfo> = solvers.iter().filter(|s| self.matches(s)).collect();
        found.sort_by(|a, b| match (a.avg_load, b.avg_load) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        found
    }

    /// The filter as text for messages.
    pub fn describe(&self) -> String {
        match self {
            SolverFilter::Any => "any online solver".into(),
            SolverFilter::Name(n) => format!("the name {n:?}"),
            SolverFilter::Features(m) => format!("the filter {}", Value::Object(m.clone())),
        }
    }
}

fn predicate(solver: &SolverInfo, key: &str, val: &Value) -> bool {
    let parts: Vec<&str> = key.split("__").collect();
    let (path, op) = match parts.split_last() {
        Some((last, rest)) if OPS.contains(last) && !rest.is_empty() => (rest.join("."), Some(*last)),
        _ => (parts.join("."), None),
    };
    let (prop, is_parameter) = solver.lookup(&path);
    let op = op.unwrap_or(if is_parameter { "available" } else { "eq" });
    let num = |v: &Value| v.as_f64();
    let range = |v: &Value| -> Option<(f64, f64)> {
        let a = v.as_array().filter(|a| a.len() == 2)?;
        let (x, y) = (a[0].as_f64()?, a[1].as_f64()?);
        Some((x.min(y), x.max(y)))
    };
    let covers = |outer: &Value, inner: &Value| -> bool {
        let Some((lo, hi)) = range(outer) else {
            return false;
        };
        match (range(inner), num(inner)) {
            (Some((a, b)), _) => lo <= a && hi >= b,
            (None, Some(x)) => lo <= x && x <= hi,
            _ => false,
        }
    };
    let items = |v: &Value| -> Vec<Value> {
        match v {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        }
    };
    let same = |a: &Value, b: &Value| a == b || matches!((num(a), num(b)), (Some(x), Some(y)) if x == y);
    match op {
        "available" => {
            let want = val.as_bool().unwrap_or(true);
            prop.is_some() == want
        }
        "eq" => prop.as_ref().is_some_and(|p| same(p, val)) || (prop.is_none() && val.is_null()),
        "in" => val
            .as_array()
            .is_some_and(|a| a.iter().any(|x| prop.as_ref().is_some_and(|p| same(p, x)))),
        _ => {
            let Some(p) = prop else { return false };
            match op {
                "lt" => matches!((num(&p), num(val)), (Some(a), Some(b)) if a < b),
                "lte" => matches!((num(&p), num(val)), (Some(a), Some(b)) if a <= b),
                "gt" => matches!((num(&p), num(val)), (Some(a), Some(b)) if a > b),
                "gte" => matches!((num(&p), num(val)), (Some(a), Some(b)) if a >= b),
                "covers" => covers(&p, val),
                "within" => covers(val, &p),
                "contains" => match &p {
                    Value::Array(a) => a.iter().any(|x| same(x, val)),
                    Value::String(s) => val.as_str().is_some_and(|v| s.contains(v)),
                    _ => false,
                },
                "issubset" => {
                    let big = items(val);
                    items(&p).iter().all(|x| big.iter().any(|y| same(x, y)))
                }
                "issuperset" => {
                    let big = items(&p);
                    items(val).iter().all(|x| big.iter().any(|y| same(x, y)))
                }
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn solver(name: &str, category: &str, load: f64) -> SolverInfo {
        SolverInfo::from_json(
            "t",
            &json!({"identity": {"name": name}, "status": "ONLINE", "avg_load": load,
                    "properties": {"category": category, "supported_problem_types": ["qubo", "ising"],
                                   "num_qubits": 8, "qubits": [0, 1, 2], "couplers": [[0, 1], [1, 2]],
                                   "num_reads_range": [1, 100], "topology": {"type": "chimera", "shape": [1, 1, 4]},
                                   "parameters": {"num_reads": "", "annealing_time": ""}}}),
        )
        .unwrap()
    }

    #[test]
    fn feature_filters_follow_ocean() {
        let all = vec![
            solver("a", "qpu", 0.5),
            solver("b", "qpu", 0.1),
            solver("h", "hybrid", 0.0),
        ];
        let f = SolverFilter::parse(Some(r#"{"qpu": true}"#)).unwrap();
        let names: Vec<_> = f.select(&all).iter().map(|s| s.name()).collect();
        assert_eq!(names, ["b", "a"]);
        let f = SolverFilter::parse(Some(r#"{"topology__type": "chimera", "num_qubits__gte": 8, "num_reads_range__covers": 50, "annealing_time": true, "flux_biases__available": false}"#)).unwrap();
        assert_eq!(f.select(&all).len(), 3);
        let f = SolverFilter::parse(Some(r#"{"num_qubits__gt": 8}"#)).unwrap();
        assert!(f.select(&all).is_empty());
        let f = SolverFilter::parse(Some(
            r#"{"couplers__contains": [0, 1], "qubits__issuperset": [0, 2], "name__in": ["a", "h"]}"#,
        ))
        .unwrap();
        let names: Vec<_> = f.select(&all).iter().map(|s| s.name()).collect();
        assert_eq!(names, ["h", "a"], "ordered by avg_load");
        assert_eq!(
            SolverFilter::parse(Some("Advantage_system4.1")).unwrap().name(),
            Some("Advantage_system4.1")
        );
        assert_eq!(SolverFilter::parse(Some("  ")).unwrap(), SolverFilter::Any);
        assert!(SolverFilter::parse(Some(r#"{"name__regex": "A.*"}"#)).is_err());
    }
}
