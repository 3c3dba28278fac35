//! Line-oriented parsing shared by the text formats: numbered lines, tokens, numbers, and the
//! bound on declared-but-unused variables.

use crate::Error;
use crate::format::FormatError;
use crate::qubo::MAX_VARIABLES;

/// Declared variables that no entry references cost memory without costing input bytes; a header
/// may declare at most this many beyond the largest index used, plus [`UNUSED_PER_BYTE`] per byte
/// of input, so a 30-byte file cannot make a reader allocate gigabytes.
pub const UNUSED_VARIABLES_ALLOWANCE: u64 = 1 << 16;
/// See [`UNUSED_VARIABLES_ALLOWANCE`].
pub const UNUSED_PER_BYTE: u64 = 16;

/// A `FormatError::Parse` at `line` (1-based).
pub(crate) fn parse_error(line: u64, reason: impl Into<String>) -> Error {
    FormatError::Parse {
        line,
        reason: reason.into(),
    }
    .into()
}

/// The lines of `text` with 1-based numbers, `\n` or `\r\n` terminated, surrounding whitespace
/// removed.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines().zip(1u64..).map(|(l, i)| (i, l.trim()))
}

/// Line number just past the end (for "missing ..." errors found at end of input).
pub(crate) fn end_line(text: &str) -> u64 {
    text.lines().count() as u64 + 1
}

/// Converts bytes to text, naming the line of the first invalid UTF-8 sequence.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        parse_error(line, format!("invalid UTF-8 at byte offset {at}"))
    })
}

/// A non-negative decimal integer (digits only, no sign), at most `limit`.
pub(crate) fn parse_count(token: &str, line: u64, what: &str, limit: u64) -> Result<u64, Error> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return Err(parse_error(
            line,
            format!("{what} `{token}` is not a non-negative integer"),
        ));
    }
    match token.parse::<u64>() {
        Ok(v) if v <= limit => Ok(v),
        _ => Err(parse_error(
            line,
            format!("{what} {token} exceeds the limit of {limit}"),
        )),
    }
}

/// A variable index: a non-negative integer below [`MAX_VARIABLES`].
pub(crate) fn parse_index(token: &str, line: u64, what: &str) -> Result<u32, Error> {
    Ok(parse_count(token, line, what, MAX_VARIABLES as u64 - 1)? as u32)
}

/// A finite number (Rust float syntax: `1`, `-2.5`, `.5`, `1e-3`).
pub(crate) fn parse_bias(token: &str, line: u64) -> Result<f64, Error> {
    match token.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(parse_error(line, format!("bias `{token}` is not finite"))),
        Err(_) => Err(parse_error(line, format!("bias `{token}` is not a number"))),
    }
}

/// Splits a line into exactly `N` whitespace-separated tokens.
pub(crate) fn tokens<'a, const N: usize>(
    line_text: &'a str,
    line: u64,
    shape: &str,
) -> Result<[&'a str; N], Error> {
    let mut out = [""; N];
    let mut it = line_text.split_ascii_whitespace();
    for slot in out.iter_mut() {
        *slot = it
            .next()
            .ok_or_else(|| parse_error(line, format!("expected `{shape}`, got `{line_text}`")))?;
    }
    if it.next().is_some() {
        return Err(parse_error(
            line,
            format!("expected `{shape}`, got extra tokens in `{line_text}`"),
        ));
    }
    Ok(out)
}

/// Checks a declared variable count against [`MAX_VARIABLES`], the indices used, and the
/// allowance for unreferenced variables (see [`UNUSED_VARIABLES_ALLOWANCE`]).
pub(crate) fn check_declared_variables(
    declared: u64,
    used: u64,
    input_len: usize,
    line: u64,
) -> Result<(), Error> {
    if declared > MAX_VARIABLES as u64 {
        return Err(parse_error(
            line,
            format!("{declared} variables exceed the limit of {MAX_VARIABLES}"),
        ));
    }
    let allowance =
        UNUSED_VARIABLES_ALLOWANCE.saturating_add(UNUSED_PER_BYTE.saturating_mul(input_len as u64));
    if declared.saturating_sub(used) > allowance {
        return Err(parse_error(
            line,
            format!(
                "declares {declared} variables but the entries use only {used}; at most {allowance} unused \
                 variables are accepted for an input of {input_len} bytes"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_need_the_exact_count() {
        assert_eq!(tokens::<3>("1  2\t3", 4, "i j v").unwrap(), ["1", "2", "3"]);
        let e = tokens::<3>("1 2", 4, "i j v").unwrap_err().to_string();
        assert!(e.starts_with("line 4: expected `i j v`"), "{e}");
        assert!(tokens::<2>("1 2 3", 1, "n m").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_count("17", 1, "n", 20).unwrap(), 17);
        assert!(parse_count("-1", 1, "n", 20).is_err());
        assert!(parse_count("+1", 1, "n", 20).is_err());
        assert!(parse_count("21", 1, "n", 20).is_err());
        assert!(parse_count("99999999999999999999999", 1, "n", 20).is_err());
        assert_eq!(parse_bias("-2.5e1", 1).unwrap(), -25.0);
        assert!(parse_bias("nan", 1).is_err());
        assert!(
            parse_bias("1e999", 1)
                .unwrap_err()
                .to_string()
                .contains("not finite")
        );
        assert!(
            parse_bias("x", 1)
                .unwrap_err()
                .to_string()
                .contains("not a number")
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = utf8(b"a\nb\n\xff").unwrap_err().to_string();
        assert_eq!(e, "line 3: invalid UTF-8 at byte offset 4");
    }

    #[test]
    fn declared_variables_are_bounded_by_the_input() {
        assert!(check_declared_variables(1 << 16, 0, 0, 1).is_ok());
        assert!(check_declared_variables((1 << 16) + 1, 0, 0, 1).is_err());
        assert!(check_declared_variables((1 << 16) + 1000, 1000, 0, 1).is_ok());
        assert!(check_declared_variables((1 << 16) + 160, 0, 10, 1).is_ok());
        assert!(check_declared_variables(MAX_VARIABLES as u64 + 1, MAX_VARIABLES as u64, 0, 1).is_err());
    }
}
