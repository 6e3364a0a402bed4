/*!
n8n credential schemas, served byte for byte from the fixture (real n8n data,
`data/n8n-credential-schemas.json`). The key order inside each schema matters
to clients that print it, and `miniserde` keeps objects sorted, so we index the
raw text instead of parsing it into values.
*/

use std::collections::HashMap;
use std::sync::OnceLock;

const SCHEMAS_JSON: &str = include_str!("../data/n8n-credential-schemas.json");

/// The raw JSON text of the schema for `credential_type`.
pub fn find(credential_type: &str) -> Option<&'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX
        .get_or_init(|| index_top_level(SCHEMAS_JSON).unwrap_or_default())
        .get(credential_type)
        .copied()
}

/// Maps each key of a top-level JSON object to the text of its value.
fn index_top_level(text: &str) -> Option<HashMap<String, &str>> {
    let bytes = text.as_bytes();
    let mut index = HashMap::new();
    let mut at = skip_ws(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_ws(bytes, at + 1);
    while bytes.get(at) == Some(&b'"') {
        let key_end = skip_string(bytes, at)?;
        let key: String = miniserde::json::from_str(&text[at..key_end]).ok()?;
        at = skip_ws(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(bytes, at + 1);
        let value_end = skip_value(bytes, value_start)?;
        index.insert(key, &text[value_start..value_end]);
        at = skip_ws(bytes, value_end);
        if bytes.get(at) == Some(&b',') {
            at = skip_ws(bytes, at + 1);
        }
    }
    Some(index)
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// `at` is on an opening quote; returns the index just past the closing one.
fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

/// Returns the index just past the value that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use miniserde::json::Value;

    #[test]
    fn every_fixture_schema_is_indexed_and_parses() {
        let index = super::index_top_level(super::SCHEMAS_JSON).unwrap();
        assert_eq!(index.len(), 409);
        for text in index.values() {
            let value: Value = miniserde::json::from_str(text).unwrap();
            assert!(matches!(value, Value::Object(_)));
        }
    }

    #[test]
    fn twilio_keeps_n8n_key_order() {
        let text = super::find("twilioApi").unwrap();
        let order = [
            "\"additionalProperties\"",
            "\"type\"",
            "\"properties\"",
            "\"allOf\"",
            "\"required\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        assert!(super::find("noSuchApi").is_none());
    }
}
