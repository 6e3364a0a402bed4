/*!
The fields an integration declares: the registry's for a built-in one, a
custom schema's `secretFields` for a `cstm_*` one. They name a value in
messages and prompts (its label), and say which are required.
*/

#[allow(unused_imports)]
use super::*;

/// A secret field the integration declares: what a prompt shows.
#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub required: bool,
}

/// The built-in registry's fields of `integration`, none if unknown.
pub fn registry_fields(integration: &str) -> Vec<Field> {
    codika_common::registry::find(integration).map_or_else(Vec::new, |i| {
        i.secret_fields
            .iter()
            .map(|f| Field {
                key: f.key.clone(),
                label: None,
                description: Some(f.description.clone()),
                required: f.required,
            })
            .collect()
    })
}

/// The `secretFields` of a custom schema (already validated); a field is
/// required unless it says `"required": false`, as the platform reads it.
pub fn schema_fields(schema: &Value) -> Vec<Field> {
    let text = |field: &Value, name: &str| {
        Some(codika_common::value::text(field, name))
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match codika_common::value::field(schema, "secretFields") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|field| {
                Some(Field {
                    key: text(field, "key")?,
                    label: text(field, "label"),
                    description: text(field, "description"),
                    required: !matches!(
                        codika_common::value::field(field, "required"),
                        Some(Value::Bool(false))
                    ),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}
