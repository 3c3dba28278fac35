//! Parameters in the model container, written from their keywords, so that every parameter type
//! shares one layout and one reader (with the validation of [`KeywordArgs::from_keywords`]).
//!
//! Layout (every `*_params` kind, `kind_version` 2): `meta = {"keywords": {name: value}}` where a
//! value is JSON `null`, a boolean, an integer, a string, a list, a finite number, or
//! `{"float": "inf" | "-inf" | "nan"}`; an array value is `{"array": <dtype>, "shape": [...]}` with
//! its data in the container array named after the keyword (`"|i1"`, `"<i8"` or `"<f8"`).

use super::{KeywordArgs, Keywords, Value};
use crate::Result;
use crate::format::{FormatError, Reader, Writer};
use serde_json::{Map, Value as Json, json};

/// The kind version of every parameter container.
const VERSION: u32 = 2;

fn corrupt(reason: String) -> crate::Error {
    FormatError::Corrupt { offset: 16, reason }.into()
}

fn to_json(name: &str, value: &Value, w: &mut Writer, top: bool) -> Result<Json> {
    let array = |dtype: &str, shape: &[usize]| json!({"array": dtype, "shape": shape});
    Ok(match value {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(i), _) => json!(i),
            (_, Ok(u)) => json!(u),
            _ => {
                return Err(corrupt(format!(
                    "keyword `{name}`: integer {i} does not fit 64 bits"
                )));
            }
        },
        Value::Float(x) if x.is_finite() => json!(x),
        Value::Float(x) => {
            json!({"float": if x.is_nan() { "nan" } else if *x > 0.0 { "inf" } else { "-inf" }})
        }
        Value::Str(s) => Json::String(s.clone()),
        Value::Other { type_name } => {
            return Err(corrupt(format!(
                "keyword `{name}`: an object of type {type_name} cannot be written"
            )));
        }
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|v| to_json(name, v, w, false))
                .collect::<Result<_>>()?,
        ),
        Value::I8s { shape, data } if top => {
            w.i8s(name, data);
            array("|i1", shape)
        }
        Value::Ints { shape, data } if top => {
            w.i64s(name, data);
            array("<i8", shape)
        }
        Value::Floats { shape, data } if top => {
            w.f64s(name, data);
            array("<f8", shape)
        }
        Value::I8s { data, .. } => Json::Array(data.iter().map(|&x| json!(x)).collect()),
        Value::Ints { data, .. } => Json::Array(data.iter().map(|&x| json!(x)).collect()),
        Value::Floats { data, .. } => Json::Array(
            data.iter()
                .map(|&x| to_json(name, &Value::Float(x), w, false))
                .collect::<Result<_>>()?,
        ),
    })
}

fn from_json(name: &str, json: &Json, r: &Reader<'_>) -> Result<Value> {
    Ok(match json {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::Int(i.into()),
            (_, Some(u), _) => Value::Int(u.into()),
            (_, _, Some(x)) if n.is_f64() => Value::Float(x),
            _ => return Err(corrupt(format!("keyword `{name}`: unreadable number {n}"))),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(
            items
                .iter()
                .map(|j| from_json(name, j, r))
                .collect::<Result<_>>()?,
        ),
        Json::Object(o) => match (o.get("float"), o.get("array"), o.get("shape")) {
            (Some(Json::String(f)), None, None) if o.len() == 1 => Value::Float(match f.as_str() {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" => f64::NAN,
                _ => return Err(corrupt(format!("keyword `{name}`: unknown float {f:?}"))),
            }),
            (None, Some(Json::String(dtype)), Some(shape)) if o.len() == 2 => {
                let shape: Vec<usize> = serde_json::from_value(shape.clone())
                    .map_err(|e| corrupt(format!("keyword `{name}`: bad shape: {e}")))?;
                let (value, len) = match dtype.as_str() {
                    "|i1" => {
                        let data = r.i8s(name)?;
                        let len = data.len();
                        (
                            Value::I8s {
                                shape: shape.clone(),
                                data,
                            },
                            len,
                        )
                    }
                    "<i8" => {
                        let data = r.i64s(name)?;
                        let len = data.len();
                        (
                            Value::Ints {
                                shape: shape.clone(),
                                data,
                            },
                            len,
                        )
                    }
                    "<f8" => {
                        let data = r.f64s(name)?;
                        let len = data.len();
                        (
                            Value::Floats {
                                shape: shape.clone(),
                                data,
                            },
                            len,
                        )
                    }
                    _ => return Err(corrupt(format!("keyword `{name}`: unknown dtype {dtype:?}"))),
                };
                if shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)) != Some(len) {
                    return Err(corrupt(format!(
                        "keyword `{name}`: shape {shape:?} does not hold {len} values"
                    )));
                }
                value
            }
            _ => return Err(corrupt(format!("keyword `{name}`: unknown object {json}"))),
        },
    })
}

/// `params` in the container, as kind `kind` (validated first).
pub(crate) fn to_bytes<P: KeywordArgs>(kind: &'static str, params: &P) -> Result<Vec<u8>> {
    params.validate()?;
    let mut w = Writer::new(kind, VERSION, Json::Null);
    let mut keywords = Map::new();
    for (name, value) in params.to_keywords() {
        let json = to_json(name, &value, &mut w, true)?;
        keywords.insert(name.to_owned(), json);
    }
    w.set_meta(json!({ "keywords": keywords }));
    Ok(w.finish())
}

/// Parameters of kind `kind` read back from [`to_bytes`] output, validated as
/// [`KeywordArgs::from_keywords`] validates a caller's keywords; an array the keywords do not
/// announce is an error.
pub(crate) fn from_bytes<P: KeywordArgs>(kind: &'static str, bytes: &[u8]) -> Result<P> {
    let r = Reader::parse(bytes)?;
    r.expect_kind(kind, VERSION)?;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Meta {
        keywords: Map<String, Json>,
    }
    let meta: Meta = r.meta()?;
    let mut kw = Keywords::new();
    let mut arrays = 0;
    for (name, json) in &meta.keywords {
        arrays += usize::from(json.get("array").is_some());
        kw.insert(name, from_json(name, json, &r)?)?;
    }
    if r.num_arrays() != arrays {
        return Err(corrupt(format!(
            "{} arrays present, {arrays} announced by the keywords",
            r.num_arrays()
        )));
    }
    P::from_keywords(kind, kw)
}

/// Adds `to_bytes` / `from_bytes` (the container kind `$kind`) to a [`KeywordArgs`] type.
macro_rules! params_container {
    ($name:ident, $kind:literal) => {
        impl $name {
            #[doc = concat!("The parameters in the neuroquant container (kind `", $kind, "`, see `params::serialize`); validated first.")]
            pub fn to_bytes(&self) -> $crate::Result<Vec<u8>> {
                $crate::params::serialize::to_bytes($kind, self)
            }

            #[doc = concat!("Reads parameters written by `to_bytes` (kind `", $kind, "`) and validates them.")]
            pub fn from_bytes(bytes: &[u8]) -> $crate::Result<Self> {
                $crate::params::serialize::from_bytes($kind, bytes)
            }
        }
    };
}

pub(crate) use params_container;

/// `params`' keywords as a JSON object for the `meta` of another kind's container; array values
/// go into the container as arrays named `"{prefix}{keyword}"`.
pub(crate) fn keywords_json<P: KeywordArgs>(
    params: &P,
    prefix: &str,
    w: &mut Writer,
) -> Result<Map<String, Json>> {
    let mut keywords = Map::new();
    for (name, value) in params.to_keywords() {
        keywords.insert(
            name.to_owned(),
            to_json(&format!("{prefix}{name}"), &value, w, true)?,
        );
    }
    Ok(keywords)
}

/// Parameters read back from [`keywords_json`] output, validated as a caller's keywords are.
pub(crate) fn keywords_from_json<P: KeywordArgs>(
    owner: &str,
    json: &Map<String, Json>,
    prefix: &str,
    r: &Reader<'_>,
) -> Result<P> {
    let mut kw = Keywords::new();
    for (name, value) in json {
        let value = match value.get("array") {
            // The array is stored under the prefixed name.
            Some(_) => from_json(&format!("{prefix}{name}"), value, r)?,
            None => from_json(name, value, r)?,
        };
        kw.insert(name, value)?;
    }
    P::from_keywords(owner, kw)
}
