/*!
Secret values: a type that cannot be printed and is wiped on drop, and the
merge of the three inputs of `set`, highest priority last:
`--secrets-file` < `--secrets` < `--secret KEY=VALUE`.
*/

use miniserde::json::Value;
use std::fmt;
use std::path::Path;
use zeroize::Zeroizing;

use crate::error::{CliError, Result};
use crate::files::{self, FileError};

/// Far more than any credential needs (a PEM key, a service account).
pub const MAX_SECRETS_FILE: u64 = 1 << 20;

/// A secret's plaintext. `Debug` shows `***`; the bytes are zeroed on drop.
pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Secret fields in the order their keys first appeared.
#[derive(Debug, Default)]
pub struct Secrets {
    fields: Vec<(String, SecretValue)>,
}

impl Secrets {
    fn insert(&mut self, key: String, value: SecretValue) {
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.fields.push((key, value)),
        }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_str())
    }

    pub fn get(&self, key: &str) -> Option<&SecretValue> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &SecretValue)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Merges the inputs; an empty result is an error.
pub fn merge(file: Option<&Path>, json: Option<&str>, flags: &[String]) -> Result<Secrets> {
    let mut secrets = Secrets::default();
    if let Some(path) = file {
        let text = match files::read_text(path, MAX_SECRETS_FILE) {
            Ok(text) => text,
            Err(FileError::NotFound) => {
                return Err(CliError::validation(format!(
                    "secrets file {} does not exist",
                    path.display()
                )));
            }
            Err(e) => {
                return Err(CliError::validation(format!(
                    "cannot read secrets file {}: {e}",
                    path.display()
                )));
            }
        };
        merge_json(
            &mut secrets,
            &text,
            &format!("secrets file {}", path.display()),
        )?;
    }
    if let Some(json) = json {
        merge_json(&mut secrets, json, "--secrets")?;
    }
    for (n, flag) in flags.iter().enumerate() {
        // Never echo the flag: without `=`, it may be a bare secret value.
        let (key, value) = flag
            .split_once('=')
            .ok_or_else(|| CliError::validation(format!("--secret #{} is not KEY=VALUE", n + 1)))?;
        if key.is_empty() {
            return Err(CliError::validation(format!(
                "--secret #{} has an empty KEY",
                n + 1
            )));
        }
        secrets.insert(
            key.to_string(),
            SecretValue(Zeroizing::new(value.to_string())),
        );
    }
    if secrets.len() == 0 {
        return Err(CliError::validation(
            "no secrets given: pass --secret KEY=VALUE, --secrets '{\"KEY\":\"VALUE\"}' or --secrets-file PATH",
        ));
    }
    Ok(secrets)
}

/// Adds the fields of a JSON object. Strings are taken as they are, numbers
/// and booleans as their JSON text (`5432`, `true`); anything else is refused.
fn merge_json(secrets: &mut Secrets, text: &str, source: &str) -> Result<()> {
    let Ok(Value::Object(object)) = miniserde::json::from_str::<Value>(text) else {
        return Err(CliError::validation(format!(
            "{source} is not a JSON object of KEY: \"value\" pairs"
        )));
    };
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s,
            // The number as written (`5432`, `1e3`, 23 digits): parsing it
            // into a float and printing it back would change it.
            Value::Number(n) => crate::jsontext::member(text, &key)
                .map_or_else(|| n.to_string(), |raw| raw.trim().to_string()),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => {
                return Err(CliError::validation(format!(
                    "{source}: the value of {key} must be a string, number or boolean"
                )));
            }
        };
        if key.is_empty() {
            return Err(CliError::validation(format!("{source} has an empty key")));
        }
        secrets.insert(key, SecretValue(Zeroizing::new(text)));
    }
    Ok(())
}

/// `--metadata KEY=VALUE` pairs, split at the first `=`.
pub fn metadata(flags: &[String]) -> Result<Vec<(String, String)>> {
    flags
        .iter()
        .map(|flag| match flag.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => Err(CliError::validation(format!(
                "--metadata '{flag}' is not KEY=VALUE"
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(secrets: &Secrets) -> Vec<(String, String)> {
        secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.expose().to_string()))
            .collect()
    }

    #[test]
    fn flags_beat_json_beats_file() {
        let dir = std::env::temp_dir().join(format!("codika-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("s.json");
        std::fs::write(&file, r#"{"A":"file","B":"file","C":"file"}"#).unwrap();
        let merged = merge(
            Some(&file),
            Some(r#"{"B":"json","C":"json"}"#),
            &["C=flag=with=equals".into()],
        )
        .unwrap();
        assert_eq!(
            values(&merged),
            [
                ("A".into(), "file".into()),
                ("B".into(), "json".into()),
                ("C".into(), "flag=with=equals".into())
            ]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn numbers_and_booleans_become_text_and_others_are_refused() {
        let merged = merge(
            None,
            Some(r#"{"PORT":5432,"SSL":true,"RATIO":1.5,"BIG":12345678901234567890123,"EXP":1e3}"#),
            &[],
        )
        .unwrap();
        assert_eq!(merged.get("PORT").unwrap().expose(), "5432");
        assert_eq!(
            merged.get("BIG").unwrap().expose(),
            "12345678901234567890123"
        );
        assert_eq!(merged.get("EXP").unwrap().expose(), "1e3");
        assert_eq!(merged.get("SSL").unwrap().expose(), "true");
        assert_eq!(merged.get("RATIO").unwrap().expose(), "1.5");
        for bad in [r#"{"K":null}"#, r#"{"K":{}}"#, r#"{"K":[1]}"#] {
            let err = merge(None, Some(bad), &[]).err().unwrap();
            assert!(
                err.message.contains("K") && err.message.contains("--secrets"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn errors_name_the_source_and_never_the_value() {
        let err = merge(None, Some("{not json"), &[]).err().unwrap();
        assert!(err.message.contains("--secrets"));
        let err = merge(Some(Path::new("/no/such/file.json")), None, &[])
            .err()
            .unwrap();
        assert!(err.message.contains("/no/such/file.json"));
        let err = merge(None, None, &["sk-bare-value".into()]).err().unwrap();
        assert!(!err.message.contains("sk-bare-value"), "{}", err.message);
        assert_eq!(merge(None, None, &[]).err().unwrap().exit_code(), 2);
        assert_eq!(
            format!("{:?}", merge(None, None, &["K=v".into()]).unwrap())
                .matches("***")
                .count(),
            1
        );
    }
}
