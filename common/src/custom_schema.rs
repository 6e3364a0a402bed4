/*!
The platform's check of a custom integration's schema (`cstm_*`): what the
verifier refuses as `INVALID_CUSTOM_SCHEMA`. One source file compiled into
both crates: the emulator refuses with it, the CLI checks with it before
sending, so the two can never disagree.
*/

use miniserde::json::{Object, Value};
use std::collections::HashSet;

use crate::value::{as_object, as_str};

const CONTEXT_TYPES: [&str; 3] = ["organization", "member", "process_instance"];
const FIELD_TYPES: [&str; 4] = ["password", "string", "url", "number"];

/// What the rest of the platform needs from a valid schema.
pub struct CustomSchema {
    pub required_secret_keys: Vec<String>,
    /// `false` when `n8nCredentialType` is `"none"`: no n8n credential is made.
    pub makes_credential: bool,
}

/// Checks `schema` for integration `integration_id`; the error names the field.
pub fn validate(schema: &Value, integration_id: &str) -> Result<CustomSchema, String> {
    let schema = as_object(schema).ok_or("customIntegrationSchema must be an object")?;
    let id = text(schema, "id")?;
    if id != integration_id {
        return Err(format!(
            "customIntegrationSchema.id '{id}' does not match integrationId '{integration_id}'"
        ));
    }
    if !is_snake_case(id.strip_prefix("cstm_").unwrap_or("")) {
        return Err("customIntegrationSchema.id must be cstm_ followed by snake_case".into());
    }
    text(schema, "name")?;
    let context_type = text(schema, "contextType")?;
    if !CONTEXT_TYPES.contains(&context_type) {
        return Err(format!(
            "customIntegrationSchema.contextType must be one of {}",
            CONTEXT_TYPES.join(", ")
        ));
    }
    let credential_type = text(schema, "n8nCredentialType")?;

    let mut keys = HashSet::new();
    let mut required_secret_keys = Vec::new();
    for (field, required) in fields(schema, "secretFields", true)? {
        if !is_upper_snake_case(field) {
            return Err(format!(
                "customIntegrationSchema.secretFields key '{field}' must be UPPER_SNAKE_CASE"
            ));
        }
        if !keys.insert(field.to_string()) {
            return Err(format!(
                "customIntegrationSchema has a duplicate field key '{field}'"
            ));
        }
        // Secret fields are required unless they say otherwise.
        if required.unwrap_or(true) {
            required_secret_keys.push(field.to_string());
        }
    }
    for (field, _) in fields(schema, "metadataFields", false)? {
        if !keys.insert(field.to_string()) {
            return Err(format!(
                "customIntegrationSchema has a duplicate field key '{field}'"
            ));
        }
    }

    let mapping = match schema.get("n8nCredentialMapping") {
        None => None,
        Some(value) => Some(
            as_object(value)
                .ok_or("customIntegrationSchema.n8nCredentialMapping must be an object")?,
        ),
    };
    for (key, target) in mapping.into_iter().flatten() {
        if !keys.contains(key) {
            return Err(format!(
                "customIntegrationSchema.n8nCredentialMapping key '{key}' is not a secret or metadata field"
            ));
        }
        if as_str(target).is_none_or(str::is_empty) {
            return Err(format!(
                "customIntegrationSchema.n8nCredentialMapping.{key} must name an n8n field"
            ));
        }
    }
    let makes_credential = credential_type != "none";
    if makes_credential && mapping.is_none_or(|m| m.is_empty()) {
        return Err(format!(
            "customIntegrationSchema.n8nCredentialMapping must map fields to n8n type '{credential_type}'"
        ));
    }
    Ok(CustomSchema {
        required_secret_keys,
        makes_credential,
    })
}

fn text<'a>(schema: &'a Object, field: &str) -> Result<&'a str, String> {
    schema
        .get(field)
        .and_then(as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("customIntegrationSchema.{field} must be a non-empty string"))
}

/// The `(key, required)` pairs of a field list, each field checked.
fn fields<'a>(
    schema: &'a Object,
    list: &str,
    mandatory: bool,
) -> Result<Vec<(&'a str, Option<bool>)>, String> {
    let items = match schema.get(list) {
        None if !mandatory => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        _ => return Err(format!("customIntegrationSchema.{list} must be an array")),
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = as_object(item)
            .ok_or_else(|| format!("customIntegrationSchema.{list}[{i}] must be an object"))?;
        let named = |name: &str| format!("customIntegrationSchema.{list}[{i}].{name}");
        let key = field.get("key").and_then(as_str).filter(|s| !s.is_empty());
        let key = key.ok_or_else(|| format!("{} must be a non-empty string", named("key")))?;
        field
            .get("label")
            .and_then(as_str)
            .ok_or_else(|| format!("{} must be a string", named("label")))?;
        let kind = field.get("type").and_then(as_str).unwrap_or("");
        if !FIELD_TYPES.contains(&kind) {
            return Err(format!(
                "{} must be one of {}",
                named("type"),
                FIELD_TYPES.join(", ")
            ));
        }
        let required = match field.get("required") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(format!("{} must be a boolean", named("required"))),
        };
        out.push((key, required));
    }
    Ok(out)
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('_').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn is_upper_snake_case(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && s.split('_').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::validate;

    fn schema(extra: &str) -> miniserde::json::Value {
        let text = format!(
            r#"{{"id":"cstm_acme_crm","name":"Acme CRM","contextType":"process_instance",
            "n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{{"API_KEY":"value"}},
            "secretFields":[{{"key":"API_KEY","label":"API key","type":"password"}}]{extra}}}"#
        );
        miniserde::json::from_str(&text).unwrap()
    }

    #[test]
    fn accepts_a_valid_schema_and_defaults_required_to_true() {
        let checked = validate(&schema(""), "cstm_acme_crm").unwrap();
        assert_eq!(checked.required_secret_keys, ["API_KEY"]);
        assert!(checked.makes_credential);
    }

    #[test]
    fn names_the_offending_field() {
        let err = validate(&schema(""), "cstm_other").err().unwrap();
        assert!(err.contains("does not match"), "{err}");
        let err = validate(
            &schema(r#","metadataFields":[{"key":"API_KEY","label":"x","type":"string"}]"#),
            "cstm_acme_crm",
        )
        .err()
        .unwrap();
        assert!(err.contains("duplicate field key 'API_KEY'"), "{err}");
    }
}
