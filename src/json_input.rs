/*!
JSON text the user gives (`--params`, `--params-file`, `--secrets`, a JSON
`--secrets-file`, a custom schema file, project.json, config.json), parsed
with one bound: arrays and objects nested deeper than the platform accepts
in a request body are refused before parsing, by a byte scan. `miniserde`
parses without recursion, but what is built from the value afterwards
(a clone, a request body, a walk) may recurse, and a value the platform
would refuse anyway is better refused before anything is sent.
*/

use miniserde::json::Value;

use crate::error::{CliError, Result};
use codika_common::jsontext;

/// A value we send sits one level down in the request body's object, which
/// the platform caps at [`jsontext::MAX_DEPTH`] levels.
pub const MAX_DEPTH: usize = jsontext::MAX_DEPTH - 1;

/// `text`, from `source` (`--params`, `--params-file p.json`), parsed;
/// `None` when it is not JSON (each caller says what it expected). Nesting
/// past [`MAX_DEPTH`] is exit 2 naming `source`, never its text.
pub fn parse(text: &str, source: &str) -> Result<Option<Value>> {
    if jsontext::nests_deeper_than(text, MAX_DEPTH) {
        return Err(CliError::validation(format!(
            "{source} nests arrays and objects deeper than {MAX_DEPTH} levels, more than the platform accepts (its text is not shown): nothing was sent"
        )));
    }
    Ok(miniserde::json::from_str::<Value>(text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!(
            "{{\"a\":{}{}}}",
            "[".repeat(depth - 1),
            "]".repeat(depth - 1)
        )
    }

    #[test]
    fn nesting_is_bounded_before_parsing() {
        assert!(parse(&nested(MAX_DEPTH), "--params").unwrap().is_some());
        let err = parse(&nested(MAX_DEPTH + 1), "--params").err().unwrap();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.starts_with("--params nests"), "{}", err.message);
        // 100,000 levels: refused by the scan, no stack used.
        assert!(parse(&nested(100_000), "x").is_err());
        // Brackets inside strings do not count; invalid JSON is None.
        let in_string = format!("{{\"a\":\"{}\"}}", "[".repeat(1000));
        assert!(parse(&in_string, "x").unwrap().is_some());
        assert!(parse("{", "x").unwrap().is_none());
    }
}
