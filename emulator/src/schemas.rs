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
    let index: HashMap<String, &str> = crate::jsontext::members(text).into_iter().collect();
    (!index.is_empty()).then_some(index)
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
