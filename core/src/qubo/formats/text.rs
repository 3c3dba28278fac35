//! Line-oriented parsing shared by the text formats: numbered lines, tokens, numbers, and the
//! bound on declared-but-unused variables.

use crate::Error;
use crate::format::FormatError;
use crate::qubo::MAX_VARIABLES;

/// A text file states its number of variables (a header's count, or its largest index + 1)
/// in a few bytes, and each costs about 60 bytes of model: the text readers accept at most this
/// many variables plus [`TEXT_VARIABLES_PER_BYTE`] per byte of input, so a 40-byte file cannot
/// make a reader allocate gigabytes (2^20 variables are about 60 MB). A file whose variables all
/// appear in its entries always passes (an entry naming two of them takes at least 6 bytes), so
/// the bound only refuses headers or indices far beyond the entries: G-set files, Beasley
/// instances and dense models read as before. Larger requests fail with
/// [`FormatError::TooLarge`](crate::format::FormatError::TooLarge) (kind `LimitExceeded`) naming
/// the line, before anything is allocated from the count.
pub const TEXT_VARIABLES_ALLOWANCE: u64 = 1 << 20;
/// See [`TEXT_VARIABLES_ALLOWANCE`].
pub const TEXT_VARIABLES_PER_BYTE: u64 = 16;

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

/// The most variables a text input of `input_len` bytes may imply (see
/// [`TEXT_VARIABLES_ALLOWANCE`]), never above [`MAX_VARIABLES`].
pub(crate) fn variables_limit(input_len: usize) -> u64 {
    TEXT_VARIABLES_ALLOWANCE
        .saturating_add(TEXT_VARIABLES_PER_BYTE.saturating_mul(input_len as u64))
        .min(MAX_VARIABLES as u64)
}

/// Checks that `count` variables, implied on `line` by `what` (`"variables (header maxNodes)"`,
/// …), fit [`variables_limit`].
pub(crate) fn check_variables(
    count: u64,
    what: impl FnOnce() -> String,
    input_len: usize,
    line: u64,
) -> Result<(), Error> {
    let limit = variables_limit(input_len);
    if count <= limit {
        return Ok(());
    }
    Err(FormatError::TooLarge {
        line,
        what: what(),
        requested: count,
        limit,
    }
    .into())
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
    fn variables_are_bounded_by_the_input() {
        let what = || "variables".to_string();
        assert!(check_variables(1 << 20, what, 0, 1).is_ok());
        let e = check_variables((1 << 20) + 1, what, 0, 7).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::LimitExceeded);
        assert_eq!(
            e.to_string(),
            "line 7: 1048577 variables exceed the limit of 1048576"
        );
        assert!(check_variables((1 << 20) + 160, what, 10, 1).is_ok());
        assert!(check_variables((1 << 20) + 161, what, 10, 1).is_err());
        assert_eq!(variables_limit(usize::MAX), MAX_VARIABLES as u64);
    }
}
