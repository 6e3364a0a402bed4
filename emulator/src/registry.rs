/*!
The built-in integration registry (`src/integrations.json` of the CLI
package): which integrations need OAuth and which secret fields each requires.
*/

use miniserde::Deserialize;
use std::sync::OnceLock;

const REGISTRY_JSON: &str = include_str!("../../src/integrations.json");

#[derive(Deserialize)]
pub struct Integration {
    pub id: String,
    #[serde(rename = "authMethod")]
    pub auth_method: String,
    #[serde(rename = "secretFields")]
    pub secret_fields: Vec<SecretField>,
}

#[derive(Deserialize)]
pub struct SecretField {
    pub key: String,
    pub required: bool,
}

impl Integration {
    pub fn is_oauth(&self) -> bool {
        self.auth_method == "oauth"
    }

    pub fn required_secret_keys(&self) -> impl Iterator<Item = &str> {
        self.secret_fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key.as_str())
    }
}

fn all() -> &'static [Integration] {
    static REGISTRY: OnceLock<Vec<Integration>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        // The file is compiled in and checked by a test; it cannot fail here.
        miniserde::json::from_str(REGISTRY_JSON).unwrap_or_default()
    })
}

pub fn find(integration_id: &str) -> Option<&'static Integration> {
    all().iter().find(|i| i.id == integration_id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn registry_parses_and_knows_the_documented_integrations() {
        assert!(super::all().len() >= 30);
        assert!(!super::find("openai").unwrap().is_oauth());
        assert!(super::find("google_gmail").unwrap().is_oauth());
        let postgres = super::find("postgres").unwrap();
        assert_eq!(postgres.required_secret_keys().count(), 5);
    }
}
