//! Keyword arguments: [`Keyword`] (a parameter's name, meaning and accepted values),
//! [`Keywords`] (what a caller passed), [`KeywordArgs`] (a parameter type read from and written to
//! keywords), and the [`params!`] macro that declares a parameter struct once for all of it.

use super::{FromValue, Value};
use crate::Result;
use crate::error::ArgumentError;

/// One keyword parameter: its name, what it means, and what it accepts. Its default is not
/// written here: it is the keyword's value in the owning type's `Default`, read through
/// [`KeywordArgs::to_keywords`].
#[derive(Clone, Copy)]
pub struct Keyword {
    name: &'static str,
    doc: &'static str,
    expected: fn() -> String,
}

impl Keyword {
    /// A keyword accepting what `T` converts from.
    pub const fn of<T: FromValue>(name: &'static str, doc: &'static str) -> Self {
        Keyword {
            name,
            doc,
            expected: T::expected,
        }
    }

    /// The keyword's name (dwave's, OpenJij's or ReservoirPy's where the concept is theirs).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What it means, as one paragraph.
    pub fn doc(&self) -> &'static str {
        self.doc.trim()
    }

    /// What it accepts (`"a non-negative integer or None"`, `"one of \"linear\", …"`).
    pub fn expected(&self) -> String {
        (self.expected)()
    }
}

impl std::fmt::Debug for Keyword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyword")
            .field("name", &self.name)
            .field("doc", &self.doc())
            .finish()
    }
}

impl PartialEq for Keyword {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.doc == other.doc
    }
}

/// Keyword arguments as a caller gave them, consumed by [`KeywordArgs::from_keywords`]: absent
/// keywords take the type's default, unknown ones are an error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keywords {
    entries: Vec<(String, Option<Value>)>,
}

impl Keywords {
    /// No keywords.
    pub fn new() -> Self {
        Keywords::default()
    }

    /// Adds `name = value`; giving a keyword twice is an error.
    pub fn insert(&mut self, name: &str, value: Value) -> Result<()> {
        if self.entries.iter().any(|(n, _)| n == name) {
            return Err(ArgumentError::Invalid {
                argument: "keywords",
                reason: format!("keyword `{name}` is given twice"),
            }
            .into());
        }
        self.entries.push((name.to_owned(), Some(value)));
        Ok(())
    }

    /// `self` with `name = value` added (panics if `name` was given already; for building
    /// keywords in code).
    #[must_use]
    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.insert(name, value).expect("a keyword given once");
        self
    }

    /// Keywords from `(name, value)` pairs, such as [`KeywordArgs::to_keywords`] returns.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Result<Self> {
        let mut kw = Keywords::new();
        for (name, value) in pairs {
            kw.insert(name, value)?;
        }
        Ok(kw)
    }

    /// Whether `name` was given and not yet taken.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, v)| n == name && v.is_some())
    }

    /// Removes `keyword` and converts it; `None` when it was not given.
    pub fn take<T: FromValue>(&mut self, keyword: &'static str) -> Result<Option<T>> {
        match self.entries.iter_mut().find(|(n, _)| n == keyword) {
            Some((_, slot)) => match slot.take() {
                Some(v) => T::from_value(keyword, &v).map(Some),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// Fails on the first keyword not taken, listing the ones `owner` accepts.
    pub(crate) fn finish(&self, owner: &str, keywords: &[Keyword]) -> Result<()> {
        match self.entries.iter().find(|(_, v)| v.is_some()) {
            None => Ok(()),
            Some((name, _)) => Err(ArgumentError::Invalid {
                argument: "keywords",
                reason: format!(
                    "`{name}` is not a parameter of {owner}; the parameters are {}",
                    keywords.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
                ),
            }
            .into()),
        }
    }
}

/// A parameter type read from keyword arguments and written back to them: the one description
/// of its parameters that the C and Python bindings use (names, docs, accepted values, defaults,
/// validation, error messages).
pub trait KeywordArgs: Sized + Default + Clone {
    /// What the parameters configure (for `help()`); `""` for a group embedded in another type.
    fn description() -> &'static str;

    /// The keywords, in order.
    fn keywords() -> &'static [Keyword];

    /// Takes this type's keywords out of `kw` (absent ones from `Default`), without validating.
    fn take_from(kw: &mut Keywords) -> Result<Self>;

    /// The same with absent keywords taken from `base`: a group's default within its owner
    /// (`group building: BuildingParams = BuildingParams::default().days(10)`), which the
    /// keyword path must honour as the Rust default does. Hand-written impls without nested
    /// defaults keep the provided form.
    fn take_over(kw: &mut Keywords, base: Self) -> Result<Self> {
        let _ = base;
        Self::take_from(kw)
    }

    /// Appends every keyword with its value in `self`.
    fn put_into(&self, out: &mut Vec<(&'static str, Value)>);

    /// Checks the rules that do not depend on the data the parameters will be used with.
    fn validate(&self) -> Result<()>;

    /// Reads and validates parameters from keyword arguments; `owner` names them in the error
    /// for an unknown keyword.
    fn from_keywords(owner: &str, mut kw: Keywords) -> Result<Self> {
        let p = Self::take_from(&mut kw)?;
        kw.finish(owner, Self::keywords())?;
        p.validate()?;
        Ok(p)
    }

    /// Every keyword with its value in `self` (`Self::default().to_keywords()` are the defaults).
    fn to_keywords(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        self.put_into(&mut out);
        out
    }
}

/// The argument of a builder setter: the field's type itself, or for an optional field the bare
/// value (`.num_sweeps(500)` for an `Option<usize>`), so integer literals need no suffix.
pub trait IntoParam<T> {
    /// The field's value.
    fn into_param(self) -> T;
}

impl<T> IntoParam<T> for T {
    fn into_param(self) -> T {
        self
    }
}

impl<T> IntoParam<Option<T>> for T {
    fn into_param(self) -> Option<T> {
        Some(self)
    }
}

/// Declares a parameter struct once: fields with their docs and defaults, and from that the
/// struct (`#[non_exhaustive]`, so fields can be added without breaking users), `Default`,
/// builder setters, and [`KeywordArgs`]. A `keyword` field is one keyword of the same name; a
/// `group` field is a type that is itself [`KeywordArgs`] (its keywords are listed in place).
/// The struct's doc is its [`KeywordArgs::description`]; a keyword field's doc is its
/// [`Keyword::doc`]. Validation is the inherent `fn check(&self) -> Result<()>` the caller
/// writes, run after every group's own validation.
macro_rules! params {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                $kind:ident $field:ident : $ty:ty = $default:expr
            ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )+
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )+ }
            }
        }

        impl $name {
            /// Checks every rule that does not depend on the data the parameters are used with
            /// (each group's rules, then this struct's).
            pub fn validate(&self) -> $crate::Result<()> {
                <Self as $crate::params::KeywordArgs>::validate(self)
            }

            $(
                #[doc = concat!("Sets `", stringify!($field), "` (an optional field also takes the bare value).")]
                #[must_use]
                pub fn $field(mut self, value: impl $crate::params::IntoParam<$ty>) -> Self {
                    self.$field = value.into_param();
                    self
                }
            )+
        }

        impl $crate::params::KeywordArgs for $name {
            fn description() -> &'static str {
                concat!($($doc, "\n"),*)
            }

            fn keywords() -> &'static [$crate::params::Keyword] {
                static KEYWORDS: std::sync::LazyLock<Vec<$crate::params::Keyword>> =
                    std::sync::LazyLock::new(|| {
                        let parts: Vec<Vec<$crate::params::Keyword>> = vec![
                            $( $crate::params::params!(@keywords $kind $field, $ty, concat!($($fdoc),*)) ),+
                        ];
                        parts.concat()
                    });
                &KEYWORDS
            }

            fn take_from(kw: &mut $crate::params::Keywords) -> $crate::Result<Self> {
                Self::take_over(kw, Self::default())
            }

            fn take_over(kw: &mut $crate::params::Keywords, defaults: Self) -> $crate::Result<Self> {
                Ok($name {
                    $( $field: $crate::params::params!(@take $kind kw, defaults, $field, $ty), )+
                })
            }

            fn put_into(&self, out: &mut Vec<(&'static str, $crate::params::Value)>) {
                $( $crate::params::params!(@put $kind self, out, $field); )+
            }

            fn validate(&self) -> $crate::Result<()> {
                $( $crate::params::params!(@validate $kind self, $field); )+
                self.check()
            }
        }
    };
    (@keywords keyword $field:ident, $ty:ty, $doc:expr) => {
        vec![$crate::params::Keyword::of::<$ty>(stringify!($field), $doc)]
    };
    (@keywords group $field:ident, $ty:ty, $doc:expr) => {
        <$ty as $crate::params::KeywordArgs>::keywords().to_vec()
    };
    (@take keyword $kw:ident, $defaults:ident, $field:ident, $ty:ty) => {
        $kw.take::<$ty>(stringify!($field))?.unwrap_or($defaults.$field)
    };
    (@take group $kw:ident, $defaults:ident, $field:ident, $ty:ty) => {
        <$ty as $crate::params::KeywordArgs>::take_over($kw, $defaults.$field)?
    };
    (@put keyword $self:ident, $out:ident, $field:ident) => {
        $out.push((stringify!($field), $crate::params::ToValue::to_value(&$self.$field)))
    };
    (@put group $self:ident, $out:ident, $field:ident) => {
        $crate::params::KeywordArgs::put_into(&$self.$field, $out)
    };
    (@validate keyword $self:ident, $field:ident) => {};
    (@validate group $self:ident, $field:ident) => {
        $crate::params::KeywordArgs::validate(&$self.$field)?
    };
}

pub(crate) use params;

#[cfg(test)]
#[allow(dead_code)] // the test structs do not use every generated method
mod tests {
    use super::*;
    use crate::params::ToValue;

    params! {
        /// Inner group.
        pub struct Inner {
            /// How many.
            keyword count: Option<usize> = None,
        }
    }

    impl Inner {
        fn check(&self) -> Result<()> {
            if self.count == Some(0) {
                return Err(ArgumentError::Invalid {
                    argument: "count",
                    reason: "is 0".into(),
                }
                .into());
            }
            Ok(())
        }
    }

    params! {
        /// Outer parameters.
        /// Second line.
        pub struct Outer {
            /// The inner group.
            group inner: Inner = Inner::default(),
            /// A rate
            /// over two lines.
            keyword rate: f64 = 0.5,
        }
    }

    impl Outer {
        fn check(&self) -> Result<()> {
            crate::error::check::finite("rate", self.rate)?;
            Ok(())
        }
    }

    #[test]
    fn keywords_come_from_one_declaration() {
        let names: Vec<_> = Outer::keywords().iter().map(|k| k.name()).collect();
        assert_eq!(names, ["count", "rate"]);
        assert_eq!(Outer::keywords()[1].doc(), "A rate over two lines.");
        assert_eq!(Outer::keywords()[0].expected(), "a non-negative integer or None");
        assert_eq!(Outer::description(), " Outer parameters.\n Second line.\n");
        assert_eq!(
            Outer::default().to_keywords(),
            vec![("count", Value::None), ("rate", 0.5.to_value())]
        );
        let p = Outer::from_keywords("outer", Keywords::new().with("count", Value::Int(3))).unwrap();
        assert_eq!(p, Outer::default().inner(Inner::default().count(3)));
        assert_eq!(
            Outer::from_keywords("outer", Keywords::from_pairs(p.to_keywords()).unwrap()).unwrap(),
            p
        );
        let e = Outer::from_keywords("outer", Keywords::new().with("speed", Value::Int(1))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `keywords`: `speed` is not a parameter of outer; the parameters are count, rate"
        );
        let e = Outer::from_keywords("outer", Keywords::new().with("count", Value::Int(0))).unwrap_err();
        assert_eq!(e.to_string(), "argument `count`: is 0");
        let e =
            Outer::from_keywords("outer", Keywords::new().with("rate", Value::Float(f64::NAN))).unwrap_err();
        assert_eq!(e.to_string(), "argument `rate`: element 0 is NaN, must be finite");
        let mut kw = Keywords::new();
        kw.insert("rate", Value::Int(1)).unwrap();
        assert!(kw.insert("rate", Value::Int(2)).is_err());
    }
}
