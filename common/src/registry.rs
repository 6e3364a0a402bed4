/*!
The built-in integration registry (`integrations.json`): names, default
context types, OAuth integrations and expected secret fields. The CLI warns
and checks with it; the emulator decides OAUTH_REQUIRED and
MISSING_REQUIRED_FIELDS with it.
*/

use miniserde::Deserialize;
use std::sync::OnceLock;

const REGISTRY_JSON: &str = include_str!("integrations.json");

#[derive(Deserialize)]
pub struct Integration {
    pub id: String,
    pub name: String,
    #[serde(rename = "contextType")]
    pub context_type: String,
    #[serde(rename = "authMethod")]
    pub auth_method: String,
    #[serde(rename = "secretFields")]
    pub secret_fields: Vec<SecretField>,
}

#[derive(Deserialize)]
pub struct SecretField {
    pub key: String,
    pub description: String,
    pub required: bool,
}

impl Integration {
    pub fn is_oauth(&self) -> bool {
        self.auth_method == "oauth"
    }

    pub fn required_fields(&self) -> impl Iterator<Item = &SecretField> {
        self.secret_fields.iter().filter(|f| f.required)
    }
}

/// Every built-in integration, in the file's order.
pub fn all() -> &'static [Integration] {
    static REGISTRY: OnceLock<Vec<Integration>> = OnceLock::new();
    REGISTRY.get_or_init(|| miniserde::json::from_str(REGISTRY_JSON).unwrap_or_default())
}

pub fn find(integration_id: &str) -> Option<&'static Integration> {
    all().iter().find(|i| i.id == integration_id)
}

/// The display name of an integration: the registry's, else its id.
pub fn display_name(integration_id: &str) -> &str {
    find(integration_id).map_or(integration_id, |i| i.name.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_compiled_in_registry_parses() {
        assert_eq!(super::find("openai").unwrap().name, "OpenAI");
        assert!(super::find("google_gmail").unwrap().is_oauth());
        assert_eq!(
            super::find("supabase").unwrap().context_type,
            "process_instance"
        );
        assert_eq!(super::display_name("cstm_x"), "cstm_x");
        assert_eq!(
            super::find("postgres").unwrap().required_fields().count(),
            5
        );
    }
}
