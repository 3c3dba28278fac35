//! [`Scaling`]: a parameter that is one number for every element or one number per element
//! (ReservoirPy's scalar-or-array `lr`, `input_scaling`, `bias`).

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::{FromValue, ToValue, Value, value_mismatch};

/// One number for every element, or one per element.
#[derive(Debug, Clone, PartialEq)]
pub enum Scaling {
    /// The same value everywhere.
    Uniform(f64),
    /// One value per element (per unit for `lr` and `bias`, per input feature for
    /// `input_scaling`).
    PerElement(Vec<f64>),
}

impl From<f64> for Scaling {
    fn from(v: f64) -> Self {
        Scaling::Uniform(v)
    }
}

impl From<Vec<f64>> for Scaling {
    fn from(v: Vec<f64>) -> Self {
        Scaling::PerElement(v)
    }
}

impl Scaling {
    /// Every value (one for a uniform scaling).
    pub fn values(&self) -> &[f64] {
        match self {
            Scaling::Uniform(v) => std::slice::from_ref(v),
            Scaling::PerElement(v) => v,
        }
    }

    /// The values expanded to `len` elements; a per-element scaling must have exactly `len`.
    pub(crate) fn expand(&self, argument: &'static str, len: usize) -> Result<Vec<f64>> {
        match self {
            Scaling::Uniform(v) => crate::alloc::filled(argument, *v, len),
            Scaling::PerElement(v) => {
                check::len(argument, len, v.len())?;
                Ok(v.clone())
            }
        }
    }

    /// Checks every value is finite and satisfies `ok`, described by `rule` in the error.
    pub(crate) fn check(&self, argument: &'static str, rule: &str, ok: impl Fn(f64) -> bool) -> Result<()> {
        for (i, &v) in self.values().iter().enumerate() {
            check::finite_at(argument, i, v)?;
            if !ok(v) {
                let reason = match self {
                    Scaling::Uniform(_) => format!("is {v}, must be {rule}"),
                    Scaling::PerElement(_) => format!("element {i} is {v}, must be {rule}"),
                };
                return Err(ArgumentError::Invalid { argument, reason }.into());
            }
        }
        if matches!(self, Scaling::PerElement(v) if v.is_empty()) {
            return Err(ArgumentError::Invalid {
                argument,
                reason: "is an empty sequence, must be a number or one number per element".into(),
            }
            .into());
        }
        Ok(())
    }
}

impl FromValue for Scaling {
    fn expected() -> String {
        "a number or a sequence of numbers".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Float(_) | Value::Int(_) => Ok(Scaling::Uniform(f64::from_value(argument, value)?)),
            Value::Floats { shape, .. } | Value::Ints { shape, .. } | Value::I8s { shape, .. }
                if shape.is_empty() =>
            {
                // A 0-d numpy array is a number.
                let data = Vec::<f64>::from_value(argument, &flatten(value))?;
                Ok(Scaling::Uniform(data[0]))
            }
            Value::List(_) | Value::Floats { .. } | Value::Ints { .. } | Value::I8s { .. } => Ok(
                Scaling::PerElement(Vec::<f64>::from_value(argument, &flatten(value))?),
            ),
            other => Err(value_mismatch::<Self>(argument, other)),
        }
    }
}

fn flatten(value: &Value) -> Value {
    match value {
        Value::Floats { data, .. } => Value::floats(data.clone()),
        Value::Ints { data, .. } => Value::List(data.iter().map(|&x| Value::Int(x.into())).collect()),
        Value::I8s { data, .. } => Value::List(data.iter().map(|&x| Value::Int(x.into())).collect()),
        other => other.clone(),
    }
}

impl ToValue for Scaling {
    fn to_value(&self) -> Value {
        match self {
            Scaling::Uniform(v) => Value::Float(*v),
            Scaling::PerElement(v) => Value::floats(v.clone()),
        }
    }
}

impl crate::params::IntoParam<Scaling> for f64 {
    fn into_param(self) -> Scaling {
        Scaling::Uniform(self)
    }
}

impl crate::params::IntoParam<Scaling> for Vec<f64> {
    fn into_param(self) -> Scaling {
        Scaling::PerElement(self)
    }
}
