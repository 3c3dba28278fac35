//! Constraint penalties as `Bqm` methods taking labels, and the `PenaltyReport` they return.
//!
//! Labels a constraint names that the model does not hold yet become new variables (as dimod's
//! `add_linear_equality_constraint` does), appended in order of first appearance; on any error
//! they are removed again and the model is unchanged. Slack variables of an inequality are
//! appended after them with labels `("slack", k, i)`, `i = 0, 1, …`, where `k` is the index of
//! the first slack variable (so the label says where the slack started and stays unique as
//! constraints are added), or, if that label is taken (after variables were removed, or by the
//! caller), the smallest `k >= 0` whose labels are all free.

use super::bqm::PyBqm;
use super::record::{obj, record};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use neuroquant::error::check;
use neuroquant::qubo::Bqm;
use neuroquant::qubo::penalty::{PenaltyReport, Sense, Strength};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

record! {
    /// What a penalty builder did (see `neuroquant::qubo::penalty::PenaltyReport`), with the
    /// slack variables as labels of the model.
    PyPenaltyReport as "PenaltyReport" {
        /// The multiplier actually used (float).
        strength,
        /// Whether the library chose it: `strength=None` or `objective_range=...` (bool).
        auto_strength,
        /// The unit every left-hand side value is a multiple of (linear constraints), else None.
        resolution,
        /// The least penalty an infeasible assignment pays, when known (float or None).
        min_violation_penalty,
        /// Labels of the slack variables appended, in order (tuple, empty when none).
        slack_variables,
        /// Weight of each slack variable in the constraint's units (tuple of floats).
        slack_coefficients,
        /// The constraint holds for every assignment, so nothing was added (bool).
        always_satisfied,
    }
}

impl PyPenaltyReport {
    pub(crate) fn from_core(py: Python<'_>, report: &PenaltyReport, slack: Vec<Py<PyAny>>) -> PyResult<Self> {
        Ok(PyPenaltyReport {
            strength: obj(py, report.strength)?,
            auto_strength: obj(py, report.auto_strength)?,
            resolution: obj(py, report.resolution)?,
            min_violation_penalty: obj(py, report.min_violation_penalty)?,
            slack_variables: obj(py, PyTuple::new(py, slack)?)?,
            slack_coefficients: obj(py, PyTuple::new(py, &report.slack_coefficients)?)?,
            always_satisfied: obj(py, report.always_satisfied)?,
        })
    }
}

/// Constraints over this many variables (about `k²/2` pair terms) are added with the GIL
/// released.
const DETACH_VARIABLES: usize = 128;

/// `strength=None` is automatic, `objective_range=W` dominates an objective of range `W`, a
/// number is a fixed strength.
fn strength_arg(strength: Option<f64>, objective_range: Option<f64>) -> PyResult<Strength> {
    match (strength, objective_range) {
        (None, None) => Ok(Strength::Auto),
        (Some(p), None) => Ok(Strength::Fixed(p)),
        (None, Some(w)) => Ok(Strength::Dominate { objective_range: w }),
        (Some(_), Some(_)) => Err(invalid_argument(
            "objective_range",
            "give a fixed strength or an objective_range for the automatic one, not both".into(),
        )),
    }
}

/// The variables a constraint names, with the labels it adds to the model.
pub(crate) struct Staged<'py> {
    pub(crate) vars: Vec<u32>,
    new_labels: Vec<Bound<'py, PyAny>>,
}

impl PyBqm {
    /// Indices of `labels`, new labels numbered after the model's variables. With `distinct`, a
    /// repeated label is an error naming `argument`.
    pub(crate) fn stage<'py>(
        &self,
        argument: &'static str,
        labels: impl IntoIterator<Item = Bound<'py, PyAny>>,
        distinct: bool,
    ) -> PyResult<Staged<'py>> {
        let n = self.inner.num_variables();
        let mut staged = Staged {
            vars: Vec::new(),
            new_labels: Vec::new(),
        };
        let mut pending: Option<Bound<'py, PyDict>> = None;
        let mut seen = distinct.then(std::collections::HashSet::new);
        for label in labels {
            let py = label.py();
            let i = match self.labels.index_of(&label)? {
                Some(i) => i,
                None => {
                    let pending = pending.get_or_insert_with(|| PyDict::new(py));
                    match pending.get_item(&label)? {
                        Some(i) => i.extract()?,
                        None => {
                            let i = (n + staged.new_labels.len()) as u32;
                            pending.set_item(&label, i)?; // raises for unhashable labels
                            staged.new_labels.push(label.clone());
                            i
                        }
                    }
                }
            };
            if let Some(seen) = seen.as_mut()
                && !seen.insert(i)
            {
                return Err(invalid_argument(
                    argument,
                    format!(
                        "label {} appears twice; the variables must be distinct",
                        label.repr()?
                    ),
                ));
            }
            staged.vars.push(i);
        }
        Ok(staged)
    }

    /// Appends the staged labels' variables, runs `build` on the model (with the GIL released
    /// for large inputs), and on success labels the new variables; on error removes the appended
    /// variables (`build` must be all or nothing, as the core's builders are, so the model is as
    /// before).
    pub(crate) fn commit_staged<R: Send>(
        &mut self,
        py: Python<'_>,
        staged: Staged<'_>,
        build: impl FnOnce(&mut Bqm, &[u32]) -> neuroquant::Result<R> + Send,
    ) -> PyResult<R> {
        let n0 = self.inner.num_variables();
        self.inner.add_variables(staged.new_labels.len()).or_raise()?;
        let (inner, vars) = (&mut self.inner, &staged.vars);
        let built = if vars.len() >= DETACH_VARIABLES {
            py.detach(|| build(inner, vars))
        } else {
            build(inner, vars)
        };
        let result = match built {
            Ok(r) => r,
            Err(e) => {
                self.inner.truncate(n0);
                return Err(to_pyerr(e));
            }
        };
        for label in &staged.new_labels {
            self.labels.push(label)?;
        }
        Ok(result)
    }

    /// [`commit_staged`](Self::commit_staged) for a penalty, then labels its slack variables.
    fn commit(
        &mut self,
        py: Python<'_>,
        staged: Staged<'_>,
        build: impl FnOnce(&mut Bqm, &[u32]) -> neuroquant::Result<PenaltyReport> + Send,
    ) -> PyResult<PyPenaltyReport> {
        let report = self.commit_staged(py, staged, build)?;
        let slack = self.push_slack_labels(py, report.slack_variables.len())?;
        PyPenaltyReport::from_core(py, &report, slack)
    }

    /// Labels `("slack", k, i)` for `count` new variables at the end (see the module docs).
    pub(crate) fn push_slack_labels(&mut self, py: Python<'_>, count: usize) -> PyResult<Vec<Py<PyAny>>> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let first = self.labels.len();
        let block = |k: usize| -> PyResult<Vec<Bound<'_, PyAny>>> {
            (0..count)
                .map(|i| {
                    Ok(PyTuple::new(
                        py,
                        [
                            ("slack").into_pyobject(py)?.into_any(),
                            k.into_pyobject(py)?.into_any(),
                            i.into_pyobject(py)?.into_any(),
                        ],
                    )?
                    .into_any())
                })
                .collect()
        };
        let free = |labels: &[Bound<'_, PyAny>]| -> PyResult<bool> {
            for l in labels {
                if self.labels.index_of(l)?.is_some() {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        let mut k = first;
        let mut labels = block(k)?;
        if !free(&labels)? {
            k = 0;
            loop {
                labels = block(k)?;
                if free(&labels)? {
                    break;
                }
                k += 1;
            }
        }
        for l in &labels {
            self.labels.push(l)?;
        }
        Ok(labels.into_iter().map(Bound::unbind).collect())
    }

    /// `(labels, coefficients)` of a mapping `{label: coefficient}` or an iterable of pairs.
    fn terms_arg<'py>(terms: &Bound<'py, PyAny>) -> PyResult<(Vec<Bound<'py, PyAny>>, Vec<f64>)> {
        let items = if let Ok(d) = terms.cast::<PyDict>() {
            d.items().into_any()
        } else if terms.hasattr("items")? {
            terms.call_method0("items")?
        } else {
            terms.clone()
        };
        let (mut labels, mut coeffs) = (Vec::new(), Vec::new());
        for item in items.try_iter()? {
            let (label, coeff): (Bound<'py, PyAny>, f64) = item?.extract().map_err(|_| {
                invalid_argument(
                    "terms",
                    "must be a mapping {label: coefficient} or an iterable of (label, coefficient) pairs"
                        .into(),
                )
            })?;
            labels.push(label);
            coeffs.push(coeff);
        }
        check::all_finite("terms", &coeffs).or_raise()?;
        Ok((labels, coeffs))
    }

    fn variables_arg<'py>(variables: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        variables.try_iter()?.collect()
    }
}

#[pymethods]
impl PyBqm {
    /// Adds `strength · (Σ c·x − rhs)²` for `terms` `{label: c}` (or `(label, c)` pairs; BINARY
    /// values, `(s + 1) / 2` in a SPIN model); zero exactly when the equality holds.
    #[pyo3(signature = (terms, rhs, strength = None, resolution = None, objective_range = None))]
    fn add_equality(
        &mut self,
        py: Python<'_>,
        terms: &Bound<'_, PyAny>,
        rhs: f64,
        strength: Option<f64>,
        resolution: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let (labels, coeffs) = Self::terms_arg(terms)?;
        let staged = self.stage("terms", labels, false)?;
        self.commit(py, staged, |bqm, vars| {
            bqm.add_linear_equality(vars, &coeffs, rhs, strength, resolution)
        })
    }

    /// dimod's `add_linear_equality_constraint`: adds
    /// `lagrange_multiplier * (Σ bias * v + constant)**2` with `terms` `(label, bias)` pairs and
    /// variable values in the model's vartype (spins in a SPIN model); new labels become
    /// variables; on error nothing changes.
    fn add_linear_equality_constraint(
        &mut self,
        py: Python<'_>,
        terms: &Bound<'_, PyAny>,
        lagrange_multiplier: f64,
        constant: f64,
    ) -> PyResult<()> {
        let (labels, coeffs) = Self::terms_arg(terms)?;
        let staged = self.stage("terms", labels, false)?;
        self.commit_staged(py, staged, |bqm, vars| {
            bqm.add_linear_equality_constraint(vars, &coeffs, lagrange_multiplier, constant)
        })
    }

    /// dimod's `add_linear_inequality_constraint`: the penalty of
    /// `lb <= Σ bias * v + constant <= ub` as dimod 0.12 builds it (core
    /// `DimodInequalityPlan`): slack variables labelled `f"slack_{label}_{j}"` join an equality
    /// `lagrange_multiplier * (Σ bias * v + Σ b_j s_j − ub_c)**2`; `penalization_method=
    /// "unbalanced"` takes a pair of multipliers and adds no slack. Returns the slack terms
    /// `[(label, b_j), ...]` (empty when none were added). Warns as dimod does for fractional
    /// coefficients and for a constraint every assignment satisfies (nothing added); an
    /// infeasible one raises `InvalidArgumentError` (a `ValueError`). On error nothing changes.
    #[pyo3(signature = (terms, lagrange_multiplier, label, constant = 0.0, lb = i64::MIN as f64, ub = 0.0, cross_zero = false, penalization_method = "slack"))]
    #[allow(clippy::too_many_arguments)]
    fn add_linear_inequality_constraint<'py>(
        &mut self,
        py: Python<'py>,
        terms: &Bound<'py, PyAny>,
        lagrange_multiplier: &Bound<'py, PyAny>,
        label: &Bound<'py, PyAny>,
        constant: f64,
        lb: f64,
        ub: f64,
        cross_zero: bool,
        penalization_method: &str,
    ) -> PyResult<Vec<(Py<PyAny>, f64)>> {
        use neuroquant::qubo::penalty::{DimodInequalityAction, DimodInequalityPlan, DimodPenalization};
        let (labels, coeffs) = Self::terms_arg(terms)?;
        let plan = DimodInequalityPlan::new(&coeffs, constant, lb, ub, cross_zero).or_raise()?;
        let warn = |message: String| -> PyResult<()> {
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            PyErr::warn(py, &category, &std::ffi::CString::new(message)?, 2)
        };
        if plan.fractional {
            warn(
                "For constraints with fractional coefficients, multiply both sides of the \
                 inequality by an appropriate factor of ten to attain or approximate integer \
                 coefficients. "
                    .into(),
            )?;
        }
        let label_str = label.str()?.to_string();
        if plan.action == DimodInequalityAction::AlwaysSatisfied {
            warn(format!(
                "Did not add constraint {label_str}. This constraint is feasible with any value for \
                 state variables."
            ))?;
            return Ok(Vec::new());
        }
        let penalization = match penalization_method {
            "slack" => DimodPenalization::Slack(lagrange_multiplier.extract().map_err(|_| {
                crate::errors::invalid_type("lagrange_multiplier", "a number", lagrange_multiplier)
            })?),
            "unbalanced" => {
                let pair: (f64, f64) = lagrange_multiplier.extract().map_err(|_| {
                    crate::errors::invalid_type(
                        "lagrange_multiplier",
                        "a pair of numbers for the unbalanced penalization method",
                        lagrange_multiplier,
                    )
                })?;
                DimodPenalization::Unbalanced(pair.0, pair.1)
            }
            other => {
                return Err(invalid_argument(
                    "penalization_method",
                    format!("{other:?} is not a method; choose 'slack' or 'unbalanced'"),
                ));
            }
        };
        let slack: Vec<(String, f64)> = match (&plan.action, penalization) {
            (
                DimodInequalityAction::Slack {
                    suffixes,
                    coefficients,
                },
                DimodPenalization::Slack(_),
            ) => suffixes
                .iter()
                .zip(coefficients)
                .map(|(j, &b)| (format!("slack_{label_str}_{j}"), b))
                .collect(),
            _ => Vec::new(),
        };
        // dimod adds the slack variables first, then the equality adds the terms' new labels.
        let n_slack = slack.len();
        let mut all_labels = Vec::with_capacity(n_slack + labels.len());
        for (name, _) in &slack {
            all_labels.push(name.into_pyobject(py)?.into_any());
        }
        all_labels.extend(labels);
        let staged = self.stage("terms", all_labels, false)?;
        self.commit_staged(py, staged, |bqm, vars| {
            bqm.add_dimod_inequality(&vars[n_slack..], &coeffs, penalization, &plan, &vars[..n_slack])
        })?;
        slack
            .into_iter()
            .map(|(name, b)| Ok((name.into_pyobject(py)?.into_any().unbind(), b)))
            .collect()
    }

    /// Adds the penalty of `Σ c·x <= rhs` (`sense="<="`) or `>= rhs` (`">="`) through slack
    /// variables appended to the model.
    #[pyo3(signature = (terms, rhs, sense = "<=", strength = None, resolution = None, objective_range = None))]
    #[allow(clippy::too_many_arguments)]
    fn add_inequality(
        &mut self,
        py: Python<'_>,
        terms: &Bound<'_, PyAny>,
        rhs: f64,
        sense: &str,
        strength: Option<f64>,
        resolution: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let sense: Sense = sense
            .parse()
            .map_err(|e: neuroquant::ArgumentError| to_pyerr(e.into()))?;
        let strength = strength_arg(strength, objective_range)?;
        let (labels, coeffs) = Self::terms_arg(terms)?;
        let staged = self.stage("terms", labels, false)?;
        self.commit(py, staged, |bqm, vars| {
            bqm.add_linear_inequality(vars, &coeffs, sense, rhs, strength, resolution)
        })
    }

    /// Adds `strength · (x − x·y)`: zero exactly when `x <= y`.
    #[pyo3(signature = (x, y, strength = None, objective_range = None))]
    fn add_less_equal(
        &mut self,
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let staged = self.stage("y", [x.clone(), y.clone()], true)?;
        self.commit(py, staged, |bqm, v| bqm.add_less_equal(v[0], v[1], strength))
    }

    /// Adds `strength · (y − x·y)`: zero exactly when `x >= y`.
    #[pyo3(signature = (x, y, strength = None, objective_range = None))]
    fn add_greater_equal(
        &mut self,
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let staged = self.stage("y", [x.clone(), y.clone()], true)?;
        self.commit(py, staged, |bqm, v| bqm.add_greater_equal(v[0], v[1], strength))
    }

    /// Adds `strength · Σ_{i<j} x_i x_j`: zero when at most one of `variables` is 1.
    #[pyo3(signature = (variables, strength = None, objective_range = None))]
    fn add_at_most_one(
        &mut self,
        py: Python<'_>,
        variables: &Bound<'_, PyAny>,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let staged = self.stage("variables", Self::variables_arg(variables)?, true)?;
        self.commit(py, staged, |bqm, v| bqm.add_at_most_one(v, strength))
    }

    /// Adds `strength · (Σ x − 1)²`: zero exactly when one of `variables` is 1.
    #[pyo3(signature = (variables, strength = None, objective_range = None))]
    fn add_exactly_one(
        &mut self,
        py: Python<'_>,
        variables: &Bound<'_, PyAny>,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let staged = self.stage("variables", Self::variables_arg(variables)?, true)?;
        self.commit(py, staged, |bqm, v| bqm.add_exactly_one(v, strength))
    }

    /// Adds `strength · (Σ x − k)²`: zero exactly when `k` of `variables` are 1.
    #[pyo3(signature = (variables, k, strength = None, objective_range = None))]
    fn add_k_hot(
        &mut self,
        py: Python<'_>,
        variables: &Bound<'_, PyAny>,
        k: i64,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let k = usize::try_from(k).map_err(|_| invalid_argument("k", format!("must be >= 0, got {k}")))?;
        let staged = self.stage("variables", Self::variables_arg(variables)?, true)?;
        self.commit(py, staged, |bqm, v| bqm.add_k_hot(v, k, strength))
    }

    /// Adds `strength · Σ_{i<j} (1 − x_i)(1 − x_j)`: zero when at most one of `variables` is 0.
    #[pyo3(signature = (variables, strength = None, objective_range = None))]
    fn add_at_least_all_but_one(
        &mut self,
        py: Python<'_>,
        variables: &Bound<'_, PyAny>,
        strength: Option<f64>,
        objective_range: Option<f64>,
    ) -> PyResult<PyPenaltyReport> {
        let strength = strength_arg(strength, objective_range)?;
        let staged = self.stage("variables", Self::variables_arg(variables)?, true)?;
        self.commit(py, staged, |bqm, v| bqm.add_at_least_all_but_one(v, strength))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPenaltyReport>()
}
