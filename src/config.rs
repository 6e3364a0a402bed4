/*!
The profiles file written by `codika login` (the official CLI's format):
`$XDG_CONFIG_HOME/codika/config.json`, else `~/.config/codika/config.json`,
else the legacy `codika-helper/config.json` beside it.

```json
{"activeProfile": "acme", "profiles": {"acme": {"apiKey": "cko_...", "type": "org-api-key",
  "organizationId": "org_acme", "organizationName": "Acme Corp", "baseUrl": "https://..."}}}
```
*/

use miniserde::json::Value;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::env;
use crate::error::{CliError, Result};

pub struct Profile {
    pub name: String,
    pub api_key: Zeroizing<String>,
    pub organization_id: Option<String>,
    pub base_url: Option<String>,
}

pub struct Config {
    pub active: Option<String>,
    /// In the file's order (sorted by name).
    pub profiles: Vec<Profile>,
}

/// Where the config would be, when a home or XDG directory is known.
pub fn location() -> Option<PathBuf> {
    let base = match env::var("XDG_CONFIG_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => home::home_dir()
            .filter(|h| !h.as_os_str().is_empty())?
            .join(".config"),
    };
    let current = base.join("codika").join("config.json");
    let legacy = base.join("codika-helper").join("config.json");
    Some(if !current.exists() && legacy.exists() {
        legacy
    } else {
        current
    })
}

/// The config, or `None` when there is no file (or no home to look in).
pub fn load() -> Result<Option<Config>> {
    let Some(path) = location() else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::validation(format!(
                "cannot read config file {}: {e}",
                path.display()
            )));
        }
    };
    parse(&text, &path).map(Some)
}

fn parse(text: &str, path: &Path) -> Result<Config> {
    let invalid = |what: &str| {
        CliError::validation(format!(
            "config file {} is not valid: {what}; fix it or run 'codika login' again",
            path.display()
        ))
    };
    let Ok(Value::Object(mut root)) = miniserde::json::from_str::<Value>(text) else {
        return Err(invalid("not a JSON object"));
    };
    let active = match root.remove("activeProfile") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(invalid("activeProfile is not a string")),
    };
    let mut profiles = Vec::new();
    match root.remove("profiles") {
        None | Some(Value::Null) => {}
        Some(Value::Object(entries)) => {
            for (name, entry) in entries {
                let Value::Object(mut entry) = entry else {
                    return Err(invalid(&format!("profile '{name}' is not an object")));
                };
                let mut text_field = |key: &str| match entry.remove(key) {
                    Some(Value::String(s)) if !s.is_empty() => Some(s),
                    _ => None,
                };
                let api_key = text_field("apiKey")
                    .ok_or_else(|| invalid(&format!("profile '{name}' has no apiKey")))?;
                profiles.push(Profile {
                    api_key: Zeroizing::new(api_key),
                    organization_id: text_field("organizationId"),
                    base_url: text_field("baseUrl"),
                    name,
                });
            }
        }
        Some(_) => return Err(invalid("profiles is not an object")),
    }
    Ok(Config { active, profiles })
}

impl Config {
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn active_profile(&self) -> Option<&Profile> {
        self.profile(self.active.as_deref()?)
    }

    /// The profile for this organization: the active one if it matches, else
    /// the first that does.
    pub fn profile_for_organization(&self, organization_id: &str) -> Option<&Profile> {
        let matches = |p: &&Profile| p.organization_id.as_deref() == Some(organization_id);
        self.active_profile()
            .filter(matches)
            .or_else(|| self.profiles.iter().find(matches))
    }

    pub fn names(&self) -> Vec<&str> {
        self.profiles.iter().map(|p| p.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_format() {
        let text = r#"{"activeProfile":"b","profiles":{
            "a":{"apiKey":"cko_a","type":"org-api-key","organizationId":"org_a","scopes":["x"]},
            "b":{"apiKey":"cko_b","organizationId":"org_b","baseUrl":"http://127.0.0.1:1","expiresAt":null}}}"#;
        let config = parse(text, Path::new("c.json")).unwrap();
        assert_eq!(config.names(), ["a", "b"]);
        assert_eq!(config.active_profile().unwrap().api_key.as_str(), "cko_b");
        assert_eq!(config.profile_for_organization("org_a").unwrap().name, "a");
        assert_eq!(
            config.profile("b").unwrap().base_url.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn a_broken_file_names_itself() {
        for text in ["{", "[]", r#"{"profiles":[]}"#, r#"{"profiles":{"a":{}}}"#] {
            let err = parse(text, Path::new("/x/config.json")).err().unwrap();
            assert!(err.message.contains("/x/config.json"), "{}", err.message);
            assert_eq!(err.exit_code(), 2);
        }
    }
}
