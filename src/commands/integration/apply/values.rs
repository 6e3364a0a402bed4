/*!
Which value each field of each integration `apply` sets takes, from the
merged secrets files and (with `--from-env`) the environment, which wins
over them. For field `F` of integration `I`, the key `I__F` (`I`
upper-cased) wins over the plain `F`. A plain key that two integrations
being set would both take is ambiguous; a key of the files that no
declared integration has as a field (plain or prefixed) is unused. Pure
over its inputs, so every rule is unit-tested without files or HTTP.
*/

use std::collections::{BTreeMap, HashSet};

use crate::error::Result;
use crate::secrets::fields::Field;
use crate::secrets::{SecretValue, Secrets};

/// An integration and its secret fields (the registry's, or its schema's).
pub struct Fields<'a> {
    pub id: &'a str,
    pub fields: &'a [Field],
}

/// The environment, asked for one name at a time (`None`: unset).
pub type Lookup<'a> = &'a dyn Fn(&str) -> Result<Option<SecretValue>>;

/// The values found for each integration to set, in the order given.
pub struct Found {
    pub secrets: Vec<Secrets>,
    /// For each integration to set, its required fields with no value.
    pub missing: Vec<Vec<String>>,
    /// One line per plain key two integrations would take.
    pub ambiguous: Vec<String>,
    /// Keys of the files that no declared integration has as a field.
    pub unused: Vec<String>,
}

/// `CSTM_ACME_CRM__` for `cstm_acme_crm`.
pub fn prefix(id: &str) -> String {
    format!("{}__", id.to_ascii_uppercase())
}

/// Finds the values of `to_set` in `files` and `env`. `declared` is every
/// declared integration with fields (those connected too): a key one of
/// them has is used, even when that integration is left alone.
pub fn find(
    to_set: &[Fields<'_>],
    declared: &[Fields<'_>],
    files: &Secrets,
    env: Option<Lookup<'_>>,
) -> Result<Found> {
    let lookup = |key: &str| -> Result<Option<SecretValue>> {
        if let Some(env) = env
            && let Some(value) = env(key)?
        {
            return Ok(Some(value));
        }
        Ok(files.get(key).map(SecretValue::duplicate))
    };
    let mut secrets = Vec::with_capacity(to_set.len());
    let mut missing = Vec::with_capacity(to_set.len());
    // Plain key -> the integrations that would take it.
    let mut takers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for integration in to_set {
        let mut found = Secrets::default();
        let mut absent = Vec::new();
        for field in integration.fields {
            let prefixed = format!("{}{}", prefix(integration.id), field.key);
            let value = match lookup(&prefixed)? {
                Some(value) => Some(value),
                None => {
                    let plain = lookup(&field.key)?;
                    if plain.is_some() {
                        takers.entry(&field.key).or_default().push(integration.id);
                    }
                    plain
                }
            };
            match value {
                Some(value) => found.insert(field.key.clone(), value),
                None if field.required => absent.push(field.key.clone()),
                None => {}
            }
        }
        secrets.push(found);
        missing.push(absent);
    }
    let ambiguous = takers
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(key, ids)| {
            let forms: Vec<String> = ids
                .iter()
                .map(|id| format!("{}{key}", prefix(id)))
                .collect();
            format!(
                "{key} is a field of both {}: it cannot say which; name it {} instead",
                ids.join(" and "),
                forms.join(" or ")
            )
        })
        .collect();
    let known: HashSet<String> = declared
        .iter()
        .flat_map(|i| {
            i.fields
                .iter()
                .flat_map(move |f| [f.key.clone(), format!("{}{}", prefix(i.id), f.key)])
        })
        .collect();
    let unused = files
        .keys()
        .filter(|key| !known.contains(*key))
        .map(String::from)
        .collect();
    Ok(Found {
        secrets,
        missing,
        ambiguous,
        unused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, required: bool) -> Field {
        Field {
            key: key.into(),
            label: None,
            description: None,
            required,
        }
    }

    /// Values from a dotenv text (the parser's own tests cover the format).
    fn file(text: &str) -> Secrets {
        let mut secrets = Secrets::default();
        for entry in crate::secrets::dotenv::parse(text.as_bytes()).unwrap() {
            secrets.insert(entry.key, SecretValue::new(entry.value));
        }
        secrets
    }

    fn value_of(text: &str) -> SecretValue {
        SecretValue::new(zeroize::Zeroizing::new(text.to_string()))
    }

    fn values(secrets: &Secrets) -> Vec<(String, String)> {
        secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.expose().to_string()))
            .collect()
    }

    #[test]
    fn prefixed_keys_win_over_plain_ones_and_optional_fields_may_be_absent() {
        let crm = [field("API_KEY", true), field("REGION", false)];
        let openai = [field("OPENAI_API_KEY", true)];
        let to_set = [
            Fields {
                id: "cstm_acme_crm",
                fields: &crm,
            },
            Fields {
                id: "openai",
                fields: &openai,
            },
        ];
        let files = file("API_KEY=plain\nCSTM_ACME_CRM__API_KEY=prefixed\nOPENAI_APIKEY=typo\n");
        let found = find(&to_set, &to_set, &files, None).unwrap();
        assert_eq!(
            values(&found.secrets[0]),
            [("API_KEY".to_string(), "prefixed".to_string())]
        );
        assert!(found.secrets[1].is_empty());
        assert_eq!(
            found.missing,
            [Vec::<String>::new(), vec!["OPENAI_API_KEY".to_string()]]
        );
        assert!(found.ambiguous.is_empty());
        // The plain API_KEY is a field of cstm_acme_crm: used, not warned.
        assert_eq!(found.unused, ["OPENAI_APIKEY"]);
    }

    #[test]
    fn a_plain_key_two_integrations_would_take_is_ambiguous() {
        let one = [field("API_KEY", true)];
        let to_set = [
            Fields {
                id: "cstm_a",
                fields: &one,
            },
            Fields {
                id: "cstm_b",
                fields: &one,
            },
        ];
        let found = find(&to_set, &to_set, &file("API_KEY=x\n"), None).unwrap();
        assert_eq!(found.ambiguous.len(), 1);
        let line = &found.ambiguous[0];
        assert!(
            line.contains("CSTM_A__API_KEY or CSTM_B__API_KEY"),
            "{line}"
        );
        // One prefixed form settles it: the plain key goes to the other.
        let files = file("API_KEY=x\nCSTM_A__API_KEY=a\n");
        let found = find(&to_set, &to_set, &files, None).unwrap();
        assert!(found.ambiguous.is_empty());
        assert_eq!(found.secrets[1].get("API_KEY").unwrap().expose(), "x");
        // Only integrations being set count: cstm_b is connected.
        let found = find(&to_set[..1], &to_set, &file("API_KEY=x\n"), None).unwrap();
        assert!(found.ambiguous.is_empty());
    }

    #[test]
    fn the_environment_wins_over_the_files() {
        let openai = [field("OPENAI_API_KEY", true)];
        let to_set = [Fields {
            id: "openai",
            fields: &openai,
        }];
        let env = |key: &str| -> Result<Option<SecretValue>> {
            Ok((key == "OPENAI_API_KEY").then(|| value_of("from-env")))
        };
        let files = file("OPENAI_API_KEY=from-file\n");
        let found = find(&to_set, &to_set, &files, Some(&env)).unwrap();
        assert_eq!(
            found.secrets[0].get("OPENAI_API_KEY").unwrap().expose(),
            "from-env"
        );
        // A prefixed key of a file still wins over a plain variable.
        let files = file("OPENAI__OPENAI_API_KEY=prefixed\n");
        let found = find(&to_set, &to_set, &files, Some(&env)).unwrap();
        assert_eq!(
            found.secrets[0].get("OPENAI_API_KEY").unwrap().expose(),
            "prefixed"
        );
    }
}
