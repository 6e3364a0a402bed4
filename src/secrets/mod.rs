/*!
Secret values: a type that cannot be printed and is wiped on drop, and
where `set` takes them from, lowest priority first: `--secrets-file` (a
JSON object or a dotenv file, `-` for stdin) < `--secrets` <
`--secret`, whose word is `KEY=VALUE`, `KEY=-` (all of stdin) or `KEY`
(the environment variable `KEY`, else a prompt on a terminal). With no
source at all, a terminal is asked for every required field.

Everything that needs no one's typing is read first, and every word is
checked before anything is read, so a mistake never costs a prompt. Stdin
has one reader per run. An empty value from any source is refused: storing
an empty credential is never what was meant. Messages name the key and the
source (`--secrets-file .env:3`, `environment variable OPENAI_API_KEY`,
`stdin`), never a value.
*/

mod ask;
pub mod dotenv;
pub mod fields;
mod file;
pub mod stdin;
mod word;

pub use ask::ask;
use ask::ask_required;
use fields::{Field, registry_fields};
pub use file::read_file;
use file::{merge_json, read_secrets_file};
pub use word::env_secret;
use word::{Word, env_value, stdin_error, stdin_value, word};

use miniserde::json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::error::{CliError, Result};
use crate::files::{self, FileError};
use crate::ui::prompt::{self, Input, PromptError};
use crate::ui::sanitize::shown;
use stdin::StdinError;

/// Far more than any credential needs (a PEM key, a service account).
pub const MAX_SECRETS_FILE: u64 = 1 << 20;

/// A secret's plaintext. `Debug` shows `***`; the bytes are zeroed on drop.
pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    pub fn new(value: Zeroizing<String>) -> SecretValue {
        SecretValue(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A second copy, wiped on its own drop: a value one source gave
    /// that an integration's secrets take.
    pub fn duplicate(&self) -> SecretValue {
        SecretValue(Zeroizing::new(self.0.to_string()))
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
    /// Where each key is in `fields`: a 10,000-key file is merged in
    /// linear time, not with a scan per key.
    positions: HashMap<String, usize>,
}

impl Secrets {
    pub fn insert(&mut self, key: String, value: SecretValue) {
        match self.positions.get(&key) {
            Some(&at) => self.fields[at].1 = value,
            None => {
                self.positions.insert(key.clone(), self.fields.len());
                self.fields.push((key, value));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_str())
    }

    pub fn get(&self, key: &str) -> Option<&SecretValue> {
        self.positions.get(key).map(|&at| &self.fields[at].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &SecretValue)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// The secret options of one `set` (`--secret`, `--secrets`,
/// `--secrets-file`), as typed; wiped on drop.
#[derive(Default)]
pub struct SecretArgs {
    pub secret: Vec<String>,
    pub secrets: Option<String>,
    /// Every `--secrets-file`, in order (a later file's key wins).
    pub secrets_file: Vec<std::path::PathBuf>,
}

impl Drop for SecretArgs {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.secret.zeroize();
        self.secrets.zeroize();
    }
}

/// The secret options of one `set`, as typed, and whether a prompt may be shown.
pub struct Sources<'a> {
    /// Every `--secrets-file`, in order.
    pub files: Vec<&'a Path>,
    pub json: Option<&'a str>,
    pub flags: &'a [String],
    pub input: Input,
}

impl<'a> Sources<'a> {
    pub fn of(args: &'a SecretArgs, no_input: bool) -> Sources<'a> {
        Sources {
            files: args.secrets_file.iter().map(PathBuf::as_path).collect(),
            json: args.secrets.as_deref(),
            flags: &args.secret,
            input: prompt::input(no_input),
        }
    }

    fn file_is_stdin(&self) -> bool {
        self.files.iter().any(|p| *p == Path::new("-"))
    }
}

/// Reads the secrets of `sources` for `integration`, whose declared fields
/// are `fields` (a custom schema's), else the registry's.
pub fn collect(
    sources: &Sources<'_>,
    integration: &str,
    fields: Option<&[Field]>,
) -> Result<Secrets> {
    let fields = fields.map_or_else(|| registry_fields(integration), <[Field]>::to_vec);
    let words = sources
        .flags
        .iter()
        .enumerate()
        .map(|(n, flag)| word(n + 1, flag))
        .collect::<Result<Vec<_>>>()?;
    check_repeated_keys(sources.flags, &words, &fields)?;
    check_stdin_readers(sources, &words, &fields)?;

    let mut secrets = Secrets::default();
    // All read, in order: a key of a later file replaces an earlier one's.
    for path in &sources.files {
        read_secrets_file(&mut secrets, path, &fields)?;
    }
    if let Some(json) = sources.json {
        merge_json(&mut secrets, json, "--secrets", &fields)?;
    }
    // Each flag's value, or None for a prompt, asked once all else is read.
    let mut flagged: Vec<(String, Option<SecretValue>)> = Vec::with_capacity(words.len());
    for (n, word) in words.iter().enumerate() {
        let value = match word {
            Word::Given { key, value } => {
                if value.is_empty() {
                    return Err(empty(key, &secret_word(key, &fields, "="), &fields));
                }
                Some(SecretValue(Zeroizing::new(value.to_string())))
            }
            Word::Stdin { key } => stdin_value(key, integration, sources.input, &fields)?,
            Word::Env { key } => env_value(n + 1, key, integration, &fields, sources.input)?,
        };
        flagged.push((word.key().to_string(), value));
    }
    let none_given = sources.files.is_empty() && sources.json.is_none() && words.is_empty();
    if none_given {
        ask_required(integration, &fields, sources.input, &mut flagged)?;
    }
    let missing: Vec<&str> = flagged
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k.as_str())
        .collect();
    let mut asked = ask(integration, &missing, &fields)?.into_iter();
    for (key, value) in flagged {
        match value.or_else(|| asked.next()) {
            Some(value) => secrets.insert(key, value),
            None => return Err(CliError::validation("no value was read for a --secret")),
        }
    }
    if secrets.is_empty() {
        return Err(CliError::validation(
            "no secrets given (an empty JSON object holds none): pass --secret KEY=VALUE, --secret KEY (from the environment) or --secrets-file .env",
        ));
    }
    Ok(secrets)
}

/// Stdin can be read once: two options that want it are refused before
/// either reads, and so is a file typed at a terminal (it would echo).
fn check_stdin_readers(sources: &Sources<'_>, words: &[Word<'_>], fields: &[Field]) -> Result<()> {
    let mut readers: Vec<String> = Vec::new();
    for path in &sources.files {
        if *path == Path::new("-") {
            readers.push("--secrets-file -".into());
        }
    }
    for word in words {
        if let Word::Stdin { key } = word {
            readers.push(secret_word(key, fields, "=-"));
        }
    }
    if readers.len() > 1 {
        return Err(CliError::validation(format!(
            "stdin can be read by one option only, not {}: give the others from a file (--secrets-file .env) or the environment (--secret KEY)",
            readers.join(" and ")
        )));
    }
    if sources.file_is_stdin() && sources.input != Input::NotATerminal {
        return Err(CliError::validation(
            "--secrets-file - reads stdin, which is a terminal (what is typed would show): redirect the file (--secrets-file - < .env) or name it (--secrets-file .env)",
        ));
    }
    Ok(())
}

/// The name of an unset variable, when messages may show it: a field the
/// integration declares, or an UPPER_CASE name. Another (`ghp_16C7e42F...`)
/// may be a value whose `KEY=` was forgotten. (A variable that is set is a
/// name, and shown.)
pub fn shown_name(key: &str, fields: &[Field]) -> Option<String> {
    (looks_like_a_name(key) || fields.iter().any(|f| f.key == key)).then(|| key.to_string())
}

/// An UPPER_CASE name as people write them (`API_KEY`, `TOKEN`), not an
/// upper-case value: an AWS key id (`AKIAIOSFODNN7EXAMPLE`) or base32
/// split at its `=` padding (`MZXW6YTBOI`) is one word mixing letters and
/// digits, or one long word. Words joined by `_` are a name.
pub fn looks_like_a_name(key: &str) -> bool {
    let upper = key.starts_with(|c: char| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let one_word_value =
        !key.contains('_') && (key.chars().any(|c| c.is_ascii_digit()) || key.len() > 20);
    upper && !one_word_value
}

fn empty(key: &str, source: &str, fields: &[Field]) -> CliError {
    CliError::validation(format!(
        "the value of {} from {source} is empty: nothing was sent (an empty credential is never stored)",
        label(key, fields)
    ))
}

/// A key the user gave, as a message may show it: a field of the
/// integration or an UPPER_CASE name, else not at all (a value pasted
/// without its `KEY=`, or base64 split at its `=` padding, would be shown).
pub fn label(key: &str, fields: &[Field]) -> String {
    shown_name(key, fields).map_or_else(
        || "a key that is not UPPER_CASE (not shown: it may be a value)".to_string(),
        |name| shown(&name),
    )
}

/// `--secret` is repeatable, one key a word: the same key in two words that
/// differ (`K=a` and `K=b`, or `K=a` and `K`) is exit 2, never the last
/// silently winning, as for every single-valued option.
fn check_repeated_keys(flags: &[String], words: &[Word<'_>], fields: &[Field]) -> Result<()> {
    for (n, word) in words.iter().enumerate() {
        let earlier = words[..n]
            .iter()
            .zip(flags)
            .find(|(other, _)| other.key() == word.key());
        if let Some((_, first)) = earlier
            && *first != flags[n]
        {
            let message = match shown_name(word.key(), fields) {
                Some(name) => format!("--secret {} is given twice", shown(&name)),
                None => "two --secret words have one key (not shown: it may be a value)".into(),
            };
            return Err(CliError::validation(format!(
                "{message}, with different values or sources: give each key once"
            )));
        }
    }
    Ok(())
}

/// The `--secret` word of `key` as a message may name its source
/// (`--secret KEY=-`): without the key when [`label`] would not show it, so
/// a message names it once ("the value of a key that is not UPPER_CASE
/// (not shown ...) from --secret is empty").
pub fn secret_word(key: &str, fields: &[Field], suffix: &str) -> String {
    match shown_name(key, fields) {
        Some(name) => format!("--secret {}{suffix}", shown(&name)),
        None => "--secret".to_string(),
    }
}

/// `--metadata KEY=VALUE` pairs, split at the first `=`. A word that is not
/// one is never shown (it may be a value).
pub fn metadata(flags: &[String]) -> Result<Vec<(String, String)>> {
    let pairs = flags
        .iter()
        .enumerate()
        .map(|(n, flag)| match flag.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => Err(CliError::validation(format!(
                "--metadata #{} is not KEY=VALUE (the word is not shown)",
                n + 1
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    // One key a word: the same key twice differently is no "last wins".
    for (n, (key, value)) in pairs.iter().enumerate() {
        if let Some(m) = pairs[..n].iter().position(|(k, v)| k == key && v != value) {
            return Err(CliError::validation(format!(
                "--metadata #{} has the key of #{} with another value (not shown): give each key once",
                n + 1,
                m + 1
            )));
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::fields::schema_fields;
    use super::*;

    fn values(secrets: &Secrets) -> Vec<(String, String)> {
        secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.expose().to_string()))
            .collect()
    }

    fn merge(file: Option<&Path>, json: Option<&str>, flags: &[String]) -> Result<Secrets> {
        let sources = Sources {
            files: file.into_iter().collect(),
            json,
            flags,
            input: Input::NotATerminal,
        };
        collect(&sources, "acme_vault", Some(&[]))
    }

    /// A fresh folder, removed when dropped.
    struct Dir(tempfile::TempDir);

    impl Dir {
        fn new(name: &str) -> Dir {
            let prefix = format!("codika-{name}-");
            Dir(tempfile::Builder::new().prefix(&prefix).tempdir().unwrap())
        }

        fn file(&self, name: &str, contents: &[u8]) -> std::path::PathBuf {
            let path = self.0.path().join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    #[test]
    fn flags_beat_json_beats_file() {
        let dir = Dir::new("merge");
        for contents in [
            &br#"{"A":"file","B":"file","C":"file"}"#[..],
            b"A=file\nB=file\nC=file\n",
        ] {
            let file = dir.file("s", contents);
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
        }
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
        for bad in [
            r#"{"K":null}"#,
            r#"{"K":{}}"#,
            r#"{"K":[1]}"#,
            r#"{"K":""}"#,
        ] {
            let err = merge(None, Some(bad), &[]).err().unwrap();
            assert!(
                err.message.contains("K") && err.message.contains("--secrets"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn the_words_of_secret() {
        assert!(matches!(
            word(1, "K=v"),
            Ok(Word::Given {
                key: "K",
                value: "v"
            })
        ));
        assert!(matches!(word(1, "K=-"), Ok(Word::Stdin { key: "K" })));
        assert!(matches!(
            word(1, "K=--"),
            Ok(Word::Given { value: "--", .. })
        ));
        assert!(matches!(word(1, "_K9"), Ok(Word::Env { key: "_K9" })));
        for bad in ["sk-proj-abc", "9KEY", "a b", "", "KÉY", "=v"] {
            let err = word(3, bad).err().unwrap();
            assert!(err.message.contains("#3"), "{}", err.message);
            assert!(err.message.contains("KEY=-"), "{}", err.message);
            if !bad.is_empty() {
                assert!(!err.message.contains(bad), "{}", err.message);
            }
        }
    }

    #[test]
    fn a_variable_name_that_may_be_a_value_is_not_shown() {
        let fields = registry_fields("openai");
        assert_eq!(
            shown_name("OPENAI_API_KEY", &fields).as_deref(),
            Some("OPENAI_API_KEY")
        );
        assert_eq!(shown_name("MY_TOKEN_2", &[]).as_deref(), Some("MY_TOKEN_2"));
        let token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        assert_eq!(shown_name(token, &[]), None);
        let err = merge(None, None, &["K=v".into(), token.into()])
            .err()
            .unwrap();
        assert!(
            !err.message.contains("ghp_") && err.message.contains("#2"),
            "{}",
            err.message
        );
        let custom = [Field {
            key: "api_key".into(),
            label: None,
            description: None,
            required: true,
        }];
        assert_eq!(shown_name("api_key", &custom).as_deref(), Some("api_key"));
    }

    #[test]
    fn empty_values_are_refused_naming_key_and_source() {
        let dir = Dir::new("empty");
        type Case<'a> = (
            Option<std::path::PathBuf>,
            Option<&'a str>,
            Vec<String>,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (None, None, vec!["K=".into()], "--secret K="),
            (None, Some(r#"{"K":""}"#), vec![], "--secrets"),
            (
                Some(dir.file("e.env", b"A=1\nK=\n")),
                None,
                vec![],
                "e.env:2",
            ),
            (Some(dir.file("q.env", b"K=\"\"")), None, vec![], "q.env:1"),
            (
                Some(dir.file("e.json", br#"{"K":""}"#)),
                None,
                vec![],
                "e.json",
            ),
        ];
        for (file, json, flags, source) in cases {
            let err = merge(file.as_deref(), json, &flags).err().unwrap();
            assert_eq!(err.exit_code(), 2);
            assert!(
                err.message.contains("the value of K from") && err.message.contains(source),
                "{source}: {}",
                err.message
            );
        }
    }

    #[test]
    fn dotenv_errors_say_where_and_what_never_the_text() {
        let dir = Dir::new("dotenv");
        for (contents, at) in [
            (&b"OK=1\nsk_live_SECRETVALUE\n"[..], ":2:20: expected '='"),
            (b"K=\"SECRETVALUE", ":1:3: expected a closing \""),
            (b"\xef\xbb\xbfK=SECRET\xffVALUE", ":1:9: expected UTF-8"),
            (b"# only comments\n\n", "holds no KEY=VALUE line"),
        ] {
            let file = dir.file("bad.env", contents);
            let err = merge(Some(&file), None, &[]).err().unwrap();
            assert!(err.message.contains(at), "{at}: {}", err.message);
            assert!(
                err.message.starts_with("--secrets-file "),
                "{}",
                err.message
            );
            assert!(!err.message.contains("SECRET"), "{}", err.message);
        }
    }

    #[test]
    fn unset_variables_and_no_source_say_what_to_pass() {
        let key = "CODIKA_TEST_SURELY_UNSET_VARIABLE";
        let err = merge(None, None, &[key.into()]).err().unwrap();
        for part in [key, "KEY=-", "=VALUE", "export"] {
            let wanted = part.replace("KEY", key);
            assert!(err.message.contains(&wanted), "{wanted}: {}", err.message);
        }
        let forbidden = Sources {
            files: Vec::new(),
            json: None,
            flags: &[],
            input: Input::Forbidden("--no-input"),
        };
        let err = collect(&forbidden, "openai", None).err().unwrap();
        assert!(
            err.message.contains("--no-input") && err.message.contains("OPENAI_API_KEY"),
            "{}",
            err.message
        );
        let err = merge(None, None, &[]).err().unwrap();
        assert!(
            err.message.starts_with("no secrets given"),
            "{}",
            err.message
        );
    }

    #[test]
    fn stdin_has_one_reader() {
        let flags = ["A=-".to_string(), "B=-".to_string()];
        let err = merge(None, None, &flags).err().unwrap();
        assert!(
            err.message.contains("--secret A=- and --secret B=-"),
            "{}",
            err.message
        );
        let err = merge(Some(Path::new("-")), None, &flags[..1])
            .err()
            .unwrap();
        assert!(
            err.message.contains("--secrets-file - and --secret A=-"),
            "{}",
            err.message
        );
    }

    #[test]
    fn schema_fields_default_to_required() {
        let schema = miniserde::json::from_str::<Value>(
            r#"{"secretFields":[{"key":"A","label":"The A","description":"d"},{"key":"B","label":"","required":false}]}"#,
        )
        .unwrap();
        let fields = schema_fields(&schema);
        assert_eq!(fields.len(), 2);
        assert!(fields[0].required && !fields[1].required);
        assert_eq!(fields[0].label.as_deref(), Some("The A"));
        assert_eq!(fields[1].label, None);
    }

    #[test]
    fn debug_never_shows_a_value() {
        let merged = merge(None, None, &["K=visible-value".into()]).unwrap();
        assert_eq!(format!("{merged:?}").matches("***").count(), 1);
        assert!(!format!("{merged:?}").contains("visible-value"));
    }
}
