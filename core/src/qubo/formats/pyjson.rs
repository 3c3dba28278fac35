//! JSON text exactly as Python's `json.dumps` writes it (default arguments): `", "` and `": "`
//! separators, `repr(float)` numbers, ASCII-only strings with `\uXXXX` escapes. dimod builds its
//! file headers and label lists with `json.dumps`, so byte-identical files need the same text.

use serde_json::Value;
use std::fmt::Write;

/// Appends `repr(x)` for a finite float: the shortest digits that round-trip, in fixed notation
/// when the decimal exponent is in `-4..16`, else `d.ddde±XX`.
pub(crate) fn write_float(out: &mut String, x: f64) {
    debug_assert!(x.is_finite(), "JSON numbers are finite");
    if x == 0.0 {
        out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    // Integers below 10^16 are printed in fixed notation with ".0", the common case in model
    // files; exact since |x| < 2^53 · 2 fits i64.
    if x.fract() == 0.0 && x.abs() < 1e16 {
        let _ = write!(out, "{}.0", x as i64);
        return;
    }
    // `{:e}` gives the shortest round-trip digits, like Python's repr: "-1.2345e-7", "1e16".
    // Formatted into a stack buffer: no allocation per number.
    let mut buf = [0u8; 40];
    let len = {
        let mut cur = std::io::Cursor::new(&mut buf[..]);
        let _ = std::io::Write::write_fmt(&mut cur, format_args!("{x:e}"));
        cur.position() as usize
    };
    let sci = std::str::from_utf8(&buf[..len]).expect("ASCII");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let (lead, rest) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digit_buf = [0u8; 24];
    let ndigits = lead.len() + rest.len();
    digit_buf[..lead.len()].copy_from_slice(lead.as_bytes());
    digit_buf[lead.len()..ndigits].copy_from_slice(rest.as_bytes());
    let digits = std::str::from_utf8(&digit_buf[..ndigits]).expect("ASCII");
    let ndigits = ndigits as i32;
    // value = 0.d1d2... × 10^decpt
    let decpt = exp + 1;
    if negative {
        out.push('-');
    }
    if -4 < decpt && decpt <= 16 {
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-decpt) as usize));
            out.push_str(digits);
        } else if decpt >= ndigits {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', (decpt - ndigits) as usize));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..decpt as usize]);
            out.push('.');
            out.push_str(&digits[decpt as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if ndigits > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        let _ = write!(out, "e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
}

/// Appends a JSON string with Python's `ensure_ascii` escaping.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Appends a JSON value as `json.dumps` would write the Python object `json.loads` makes of it.
/// Object keys keep the map's order.
pub(crate) fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else {
                write_float(out, n.as_f64().unwrap_or(f64::NAN));
            }
        }
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (k, (key, item)) in map.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_str(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// Appends `[a, b, ...]` with `write` for each item.
pub(crate) fn write_list<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        write(out, item);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(x: f64) -> String {
        let mut s = String::new();
        write_float(&mut s, x);
        s
    }

    #[test]
    fn floats_match_python_repr() {
        // Values and their repr() from CPython 3.11.
        let cases = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-2.5, "-2.5"),
            (1e22, "1e+22"),
            (123456.0000005, "123456.0000005"),
            (9999999999999998.0, "9999999999999998.0"),
        ];
        for (x, want) in cases {
            assert_eq!(float(x), want, "{x:e}");
        }
    }

    #[test]
    fn strings_are_ascii_escaped() {
        let mut s = String::new();
        write_str(&mut s, "a\"\\\n\u{7f}é😀\u{1}");
        assert_eq!(s, r#""a\"\\\n\u007f\u00e9\ud83d\ude00\u0001""#);
    }

    #[test]
    fn values_use_python_separators() {
        let v: Value = serde_json::from_str(r#"[1, -2, 2.0, "x", [true, null], {"k": 1e16}]"#).unwrap();
        let mut s = String::new();
        write_value(&mut s, &v);
        assert_eq!(s, r#"[1, -2, 2.0, "x", [true, null], {"k": 1e+16}]"#);
    }
}
