//! Enums whose values are names (`"geometric"`, `"Metropolis"`, `"SPIN"`, …): declared once with
//! [`named_enum!`], which writes the enum, its names, their docs, parsing with the shared error
//! message, serde as the name, and the [`Value`](super::Value) conversions. The bindings read the
//! list from [`NamedEnum::VARIANTS`] (Python accepts the names, C maps its constants to them).

use crate::error::ArgumentError;

/// An enum whose values are written as names.
pub trait NamedEnum: Copy + PartialEq + Sized + 'static {
    /// The argument name used in parse errors.
    const ARGUMENT: &'static str;
    /// Whether names are matched ignoring ASCII case.
    const IGNORE_CASE: bool;
    /// Every variant in declaration order, with its name and its description.
    const VARIANTS: &'static [(Self, &'static str, &'static str)];

    /// The variant's name.
    fn name(self) -> &'static str {
        Self::VARIANTS
            .iter()
            .find(|(v, _, _)| *v == self)
            .map(|&(_, name, _)| name)
            .expect("every variant is listed")
    }

    /// The names, quoted and comma-separated, as error messages and docs list them.
    fn names() -> String {
        Self::VARIANTS
            .iter()
            .map(|(_, name, _)| format!("{name:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The variant named `s`, or an error naming [`ARGUMENT`](Self::ARGUMENT) and listing the names.
    fn parse_as(argument: &'static str, s: &str) -> Result<Self, ArgumentError> {
        Self::VARIANTS
            .iter()
            .find(|(_, name, _)| {
                if Self::IGNORE_CASE {
                    name.eq_ignore_ascii_case(s)
                } else {
                    *name == s
                }
            })
            .map(|&(v, _, _)| v)
            .ok_or_else(|| ArgumentError::Invalid {
                argument,
                reason: format!("{s:?} is not one of {}", Self::names()),
            })
    }
}

/// Declares a [`NamedEnum`]: `named_enum! { /// doc  pub enum Name("argument") { /// doc  Variant = "name", … } }`
/// (add `, ignore_case` after the argument name for case-insensitive parsing).
macro_rules! named_enum {
    (
        $(#[doc = $doc:literal])*
        $vis:vis enum $name:ident($argument:literal $(, $ignore_case:ident)?) {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
        }

        impl $crate::params::NamedEnum for $name {
            const ARGUMENT: &'static str = $argument;
            const IGNORE_CASE: bool = $crate::params::named_enum!(@ignore_case $($ignore_case)?);
            const VARIANTS: &'static [(Self, &'static str, &'static str)] =
                &[$( ($name::$variant, $text, concat!($($vdoc),*)) ),+];
        }

        impl $name {
            /// The name of this value.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ArgumentError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::params::NamedEnum>::parse_as($argument, s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $crate::params::FromValue for $name {
            fn expected() -> String {
                format!("one of {}", <Self as $crate::params::NamedEnum>::names())
            }

            fn from_value(argument: &'static str, value: &$crate::params::Value) -> $crate::Result<Self> {
                match value {
                    $crate::params::Value::Str(s) => {
                        Ok(<Self as $crate::params::NamedEnum>::parse_as(argument, s)?)
                    }
                    other => Err($crate::params::value_mismatch::<Self>(argument, other)),
                }
            }
        }

        impl $crate::params::ToValue for $name {
            fn to_value(&self) -> $crate::params::Value {
                $crate::params::Value::Str(self.name().to_owned())
            }
        }
    };
    (@ignore_case ignore_case) => { true };
    (@ignore_case) => { false };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{FromValue, Value};

    named_enum! {
        /// A test enum.
        enum Colour("colour") {
            /// The first.
            Red = "red",
            /// The second.
            Green = "green",
        }
    }

    named_enum! {
        /// Case does not matter.
        enum Loud("loud", ignore_case) {
            /// Yes.
            Yes = "YES",
        }
    }

    #[test]
    fn names_parse_and_print() {
        assert_eq!("green".parse::<Colour>().unwrap(), Colour::Green);
        assert_eq!(Colour::Red.to_string(), "red");
        assert_eq!(
            "blue".parse::<Colour>().unwrap_err().to_string(),
            "argument `colour`: \"blue\" is not one of \"red\", \"green\""
        );
        assert!("Red".parse::<Colour>().is_err());
        assert_eq!("yes".parse::<Loud>().unwrap(), Loud::Yes);
        assert_eq!(Colour::VARIANTS[1].2, " The second.");
        assert_eq!(serde_json::to_string(&Colour::Green).unwrap(), "\"green\"");
        assert_eq!(serde_json::from_str::<Colour>("\"red\"").unwrap(), Colour::Red);
        assert!(serde_json::from_str::<Colour>("\"pink\"").is_err());
        assert_eq!(
            Colour::from_value("c", &Value::Int(1)).unwrap_err().to_string(),
            "argument `c`: must be one of \"red\", \"green\", got the integer 1"
        );
    }
}
