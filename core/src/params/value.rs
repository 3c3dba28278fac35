//! [`Value`]: a parameter as a binding hands it over, and the conversions every surface shares,
//! so that a bad value gets the same message from Rust, C and Python.

use crate::Result;
use crate::error::ArgumentError;

/// A parameter value as a binding hands it over (a Python object, a C struct field), before the
/// core interprets it. The core, not the binding, decides whether it is acceptable and says why
/// not.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// No value (Python `None`).
    None,
    /// A boolean.
    Bool(bool),
    /// An integer, wide enough for every 64-bit signed and unsigned value.
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence (a Python list or tuple).
    List(Vec<Value>),
    /// A row-major array of small integers (samples, initial states).
    I8s {
        /// Dimensions, outermost first.
        shape: Vec<usize>,
        /// `shape.iter().product()` values.
        data: Vec<i8>,
    },
    /// A row-major array of integers.
    Ints {
        /// Dimensions, outermost first.
        shape: Vec<usize>,
        /// `shape.iter().product()` values.
        data: Vec<i64>,
    },
    /// A row-major array of floating-point numbers.
    Floats {
        /// Dimensions, outermost first.
        shape: Vec<usize>,
        /// `shape.iter().product()` values.
        data: Vec<f64>,
    },
    /// A value of a kind no parameter accepts (a binding's foreign object), by its type name, so
    /// the error can say what was given.
    Other {
        /// The binding's name for the value's type (`dict`, `function`, …).
        type_name: String,
    },
}

impl Value {
    /// How the value reads in an error message: its kind and, when short, the value itself.
    pub fn describe(&self) -> String {
        fn shape(s: &[usize]) -> String {
            s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" x ")
        }
        match self {
            Value::None => "None".into(),
            Value::Bool(b) => format!("the boolean {}", if *b { "True" } else { "False" }),
            Value::Int(i) => format!("the integer {i}"),
            Value::Float(x) => format!("the float {x}"),
            Value::Str(s) if s.len() <= 40 => format!("the string {s:?}"),
            Value::Str(_) => "a string".into(),
            Value::List(v) => format!("a sequence of {} items", v.len()),
            Value::I8s { shape: s, .. } | Value::Ints { shape: s, .. } => {
                format!("an integer array of shape {}", shape(s))
            }
            Value::Floats { shape: s, .. } => format!("a float array of shape {}", shape(s)),
            Value::Other { type_name } => format!("an object of type {type_name}"),
        }
    }

    /// A one-dimensional float array.
    pub fn floats(data: Vec<f64>) -> Value {
        Value::Floats {
            shape: vec![data.len()],
            data,
        }
    }

    /// The elements of a one-dimensional sequence or array, each as a [`Value`]; `None` for
    /// anything else.
    pub(crate) fn elements(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(v) => Some(v.clone()),
            Value::I8s { shape, data } if shape.len() == 1 => {
                Some(data.iter().map(|&x| Value::Int(x.into())).collect())
            }
            Value::Ints { shape, data } if shape.len() == 1 => {
                Some(data.iter().map(|&x| Value::Int(x.into())).collect())
            }
            Value::Floats { shape, data } if shape.len() == 1 => {
                Some(data.iter().map(|&x| Value::Float(x)).collect())
            }
            _ => None,
        }
    }
}

/// The error for a value that is not of the expected kind.
pub(crate) fn mismatch<T: FromValue>(argument: &'static str, got: &Value) -> crate::Error {
    ArgumentError::WrongType {
        argument,
        expected: T::expected(),
        got: got.describe(),
    }
    .into()
}

/// Conversion of a [`Value`] into a parameter's type, with the shared error messages.
pub trait FromValue: Sized {
    /// What the parameter accepts, as it reads after "must be" in an error message
    /// (`"a non-negative integer"`, `"one of \"random\", \"tile\", \"none\""`).
    fn expected() -> String;

    /// Converts `value`, naming `argument` in the error.
    fn from_value(argument: &'static str, value: &Value) -> Result<Self>;
}

/// Conversion of a parameter's value into a [`Value`] (for defaults shown in signatures, and
/// for the parameter containers).
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
}

impl FromValue for Value {
    fn expected() -> String {
        "any value".into()
    }

    fn from_value(_: &'static str, value: &Value) -> Result<Self> {
        Ok(value.clone())
    }
}

impl FromValue for bool {
    fn expected() -> String {
        "a boolean".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(mismatch::<Self>(argument, other)),
        }
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! integer_value {
    ($($t:ty: $expected:literal),* $(,)?) => {$(
        impl FromValue for $t {
            fn expected() -> String {
                $expected.into()
            }

            fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
                match value {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|_| {
                        let reason = if *i < 0 {
                            format!("is {i}, must be {}", $expected)
                        } else {
                            format!("is {i}, must be at most {}", <$t>::MAX)
                        };
                        ArgumentError::Invalid { argument, reason }.into()
                    }),
                    other => Err(mismatch::<Self>(argument, other)),
                }
            }
        }

        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i128)
            }
        }
    )*};
}

integer_value!(
    u32: "a non-negative integer",
    u64: "a non-negative integer",
    usize: "a non-negative integer",
    i64: "an integer",
);

impl FromValue for f64 {
    fn expected() -> String {
        "a number".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Float(x) => Ok(*x),
            Value::Int(i) => Ok(*i as f64),
            other => Err(mismatch::<Self>(argument, other)),
        }
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
}

impl FromValue for String {
    fn expected() -> String {
        "a string".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Str(s) => Ok(s.clone()),
            other => Err(mismatch::<Self>(argument, other)),
        }
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Str(self.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn expected() -> String {
        format!("{} or None", T::expected())
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::None => Ok(None),
            v => T::from_value(argument, v)
                // A wrong value reads "must be X or None", since None was also allowed.
                .map_err(|e| match e {
                    crate::Error::Argument(ArgumentError::WrongType { .. }) => mismatch::<Self>(argument, v),
                    e => e,
                })
                .map(Some),
        }
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            None => Value::None,
            Some(v) => v.to_value(),
        }
    }
}

impl FromValue for [f64; 2] {
    fn expected() -> String {
        "a pair of numbers".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value.elements() {
            Some(items) if items.len() == 2 => Ok([
                element::<f64>(argument, 0, &items[0])?,
                element::<f64>(argument, 1, &items[1])?,
            ]),
            _ => Err(mismatch::<Self>(argument, value)),
        }
    }
}

impl ToValue for [f64; 2] {
    fn to_value(&self) -> Value {
        Value::floats(self.to_vec())
    }
}

impl FromValue for Vec<f64> {
    fn expected() -> String {
        "a sequence of numbers".into()
    }

    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        match value {
            Value::Floats { shape, data } if shape.len() == 1 => Ok(data.clone()),
            v => match v.elements() {
                Some(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| element::<f64>(argument, i, x))
                    .collect(),
                None => Err(mismatch::<Self>(argument, v)),
            },
        }
    }
}

impl ToValue for Vec<f64> {
    fn to_value(&self) -> Value {
        Value::floats(self.clone())
    }
}

/// Element `index` of a sequence, with the index in the message.
pub(crate) fn element<T: FromValue>(argument: &'static str, index: usize, value: &Value) -> Result<T> {
    T::from_value(argument, value).map_err(|_| {
        ArgumentError::Invalid {
            argument,
            reason: format!(
                "element {index} must be {}, got {}",
                T::expected(),
                value.describe()
            ),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: FromValue + std::fmt::Debug>(v: Value) -> String {
        T::from_value("x", &v).unwrap_err().to_string()
    }

    #[test]
    fn conversions_accept_their_kind_and_name_the_argument_otherwise() {
        assert_eq!(usize::from_value("x", &Value::Int(3)).unwrap(), 3);
        assert_eq!(
            message::<usize>(Value::Int(-1)),
            "argument `x`: is -1, must be a non-negative integer"
        );
        assert_eq!(
            message::<usize>(Value::Float(1.5)),
            "argument `x`: must be a non-negative integer, got the float 1.5"
        );
        assert_eq!(
            message::<Option<u64>>(Value::Str("a".into())),
            "argument `x`: must be a non-negative integer or None, got the string \"a\""
        );
        assert_eq!(Option::<u64>::from_value("x", &Value::None).unwrap(), None);
        assert_eq!(f64::from_value("x", &Value::Int(2)).unwrap(), 2.0);
        assert!(bool::from_value("x", &Value::Int(1)).is_err());
        assert_eq!(
            <[f64; 2]>::from_value("x", &Value::List(vec![Value::Int(1), Value::Float(2.5)])).unwrap(),
            [1.0, 2.5]
        );
        assert_eq!(
            <[f64; 2]>::from_value("x", &Value::floats(vec![1.0, 2.0])).unwrap(),
            [1.0, 2.0]
        );
        assert_eq!(
            message::<[f64; 2]>(Value::floats(vec![1.0])),
            "argument `x`: must be a pair of numbers, got a float array of shape 1"
        );
        assert_eq!(
            message::<Vec<f64>>(Value::List(vec![Value::Int(1), Value::Str("b".into())])),
            "argument `x`: element 1 must be a number, got the string \"b\""
        );
    }
}
