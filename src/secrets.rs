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

use miniserde::json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::dotenv;
use crate::error::{CliError, Result};
use crate::files::{self, FileError};
use crate::prompt::{self, Input, PromptError};
use crate::resolve::HiArgs;
use crate::sanitize::shown;
use crate::stdin::{self, StdinError};

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
    /// Where each key is in `fields`: a 10,000-key file is merged in
    /// linear time, not with a scan per key.
    positions: HashMap<String, usize>,
}

impl Secrets {
    fn insert(&mut self, key: String, value: SecretValue) {
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
    crate::registry::find(integration).map_or_else(Vec::new, |i| {
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
        Some(crate::value::text(field, name))
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match crate::value::field(schema, "secretFields") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|field| {
                Some(Field {
                    key: text(field, "key")?,
                    label: text(field, "label"),
                    description: text(field, "description"),
                    required: !matches!(
                        crate::value::field(field, "required"),
                        Some(Value::Bool(false))
                    ),
                })
            })
            .collect(),
        _ => Vec::new(),
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
    pub fn of(args: &'a HiArgs) -> Sources<'a> {
        Sources {
            files: args
                .secrets
                .secrets_file
                .iter()
                .map(PathBuf::as_path)
                .collect(),
            json: args.secrets.secrets.as_deref(),
            flags: &args.secrets.secret,
            input: prompt::input(args.no_input),
        }
    }

    fn file_is_stdin(&self) -> bool {
        self.files.iter().any(|p| *p == Path::new("-"))
    }
}

/// The words of `--secret`.
enum Word<'a> {
    /// `KEY=VALUE`
    Given { key: &'a str, value: &'a str },
    /// `KEY=-`
    Stdin { key: &'a str },
    /// `KEY`
    Env { key: &'a str },
}

impl Word<'_> {
    fn key(&self) -> &str {
        match self {
            Word::Given { key, .. } | Word::Stdin { key } | Word::Env { key } => key,
        }
    }
}

const FORMS: &str =
    "KEY=VALUE, KEY (read from the environment variable KEY) or KEY=- (read from stdin)";

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
                    return Err(empty(
                        key,
                        &format!("--secret {}=", label(key, &fields)),
                        &fields,
                    ));
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

/// One `--secret` word. A word that is none of the forms is never shown:
/// it is most often a value whose `KEY=` was forgotten.
fn word(n: usize, flag: &str) -> Result<Word<'_>> {
    match flag.split_once('=') {
        Some(("", _)) => Err(CliError::validation(format!(
            "--secret #{n} has an empty KEY: use {FORMS}"
        ))),
        Some((key, "-")) => Ok(Word::Stdin { key }),
        Some((key, value)) => Ok(Word::Given { key, value }),
        None if is_name(flag) => Ok(Word::Env { key: flag }),
        None => Err(CliError::validation(format!(
            "--secret #{n} is not one of {FORMS} (the word is not shown: it may be a value)"
        ))),
    }
}

/// An environment variable's name: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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
            readers.push(format!("--secret {}=-", label(key, fields)));
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

/// Where a secrets file's text came from, as its messages name it.
enum Origin<'a> {
    File(&'a Path),
    Stdin,
}

impl Origin<'_> {
    /// `--secrets-file .env`, `stdin (--secrets-file -)`.
    fn name(&self) -> String {
        match self {
            Origin::File(path) => format!("--secrets-file {}", path.display()),
            Origin::Stdin => "stdin (--secrets-file -)".into(),
        }
    }

    /// `--secrets-file .env:3:14`, `stdin:3:14 (--secrets-file -)`.
    fn at(&self, line: usize, column: Option<usize>) -> String {
        let column = column.map(|c| format!(":{c}")).unwrap_or_default();
        match self {
            Origin::File(path) => format!("--secrets-file {}:{line}{column}", path.display()),
            Origin::Stdin => format!("stdin:{line}{column} (--secrets-file -)"),
        }
    }
}

/// A JSON object (the first non-blank character is `{`) or a dotenv file.
fn read_secrets_file(secrets: &mut Secrets, path: &Path, fields: &[Field]) -> Result<()> {
    let (bytes, origin) = if path == Path::new("-") {
        let bytes =
            stdin::read_all(stdin::MAX_STDIN).map_err(|e| stdin_error(e, "--secrets-file -"))?;
        (bytes, Origin::Stdin)
    } else {
        let bytes = files::read_bytes(path, MAX_SECRETS_FILE).map_err(|e| match e {
            FileError::NotFound => CliError::validation(format!(
                "--secrets-file {} does not exist (- reads stdin)",
                path.display()
            )),
            e => CliError::validation(format!(
                "cannot read --secrets-file {}: {e}",
                path.display()
            )),
        })?;
        (bytes, Origin::File(path))
    };
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let text = std::str::from_utf8(body)
            .map_err(|_| CliError::validation(format!("{} is not UTF-8 text", origin.name())))?;
        return merge_json(secrets, text, &origin.name(), fields);
    }
    let entries = dotenv::parse(&bytes).map_err(|e| {
        CliError::validation(format!(
            "{}: expected {}",
            origin.at(e.line, Some(e.column)),
            e.expected
        ))
    })?;
    if entries.is_empty() {
        return Err(CliError::validation(format!(
            "{} holds no KEY=VALUE line (nor a JSON object)",
            origin.name()
        )));
    }
    for entry in entries {
        if entry.value.is_empty() {
            return Err(empty(&entry.key, &origin.at(entry.line, None), fields));
        }
        secrets.insert(entry.key, SecretValue(entry.value));
    }
    Ok(())
}

/// `--secret KEY=-`: all of stdin, less one trailing newline. A terminal
/// on stdin is asked without echo instead (None: a prompt to come).
fn stdin_value(
    key: &str,
    integration: &str,
    input: Input,
    fields: &[Field],
) -> Result<Option<SecretValue>> {
    match input {
        Input::Terminal => return Ok(None),
        Input::Forbidden(by) => {
            return Err(CliError::validation(format!(
                "--secret {}=- reads stdin, which is a terminal, and {by} forbids asking there: pipe the value: printf %s \"$VALUE\" | codika integration set {} --secret {0}=-",
                shown(key),
                shown(integration)
            )));
        }
        Input::NotATerminal => {}
    }
    let source = format!("--secret {}=-", label(key, fields));
    let mut bytes = stdin::read_all(stdin::MAX_STDIN).map_err(|e| stdin_error(e, &source))?;
    let mut text = String::from_utf8(std::mem::take(&mut *bytes))
        .map(Zeroizing::new)
        .map_err(|_| CliError::validation(format!("stdin ({source}) is not UTF-8 text")))?;
    stdin::strip_one_newline(&mut text);
    if text.is_empty() {
        return Err(empty(key, &format!("stdin ({source})"), fields));
    }
    Ok(Some(SecretValue(text)))
}

fn stdin_error(error: StdinError, option: &str) -> CliError {
    CliError::validation(format!("cannot read stdin for {option}: {error}"))
}

/// `--secret KEY`: the environment variable `KEY`; unset, a prompt on a
/// terminal (None), else an error saying the three ways.
fn env_value(
    n: usize,
    key: &str,
    integration: &str,
    fields: &[Field],
    input: Input,
) -> Result<Option<SecretValue>> {
    // `--secret KEY` reads a variable the user names, not one of env::VARS.
    let named = std::env::var_os(key); // user-named variable
    if let Some(value) = named {
        let value = value.into_string().map_err(|_| {
            CliError::validation(format!(
                "environment variable {} is not UTF-8 text",
                shown(key)
            ))
        })?;
        if value.is_empty() {
            return Err(empty(
                key,
                &format!("environment variable {}", shown(key)),
                fields,
            ));
        }
        return Ok(Some(SecretValue(Zeroizing::new(value))));
    }
    let (what, name) = match shown_name(key, fields) {
        Some(name) => (format!("environment variable {name}"), name),
        None => (
            format!(
                "the environment variable of --secret #{n} (its name is not shown: not UPPER_CASE, it may be a value typed without KEY=)"
            ),
            "KEY".to_string(),
        ),
    };
    match input {
        Input::Terminal => Ok(None),
        Input::Forbidden(by) => Err(CliError::validation(format!(
            "{what} is not set, and {by} forbids asking for it: {}",
            three_ways(&name, integration)
        ))),
        Input::NotATerminal => Err(CliError::validation(format!(
            "{what} is not set, and stdin is no terminal to ask on: {}",
            three_ways(&name, integration)
        ))),
    }
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

fn three_ways(key: &str, integration: &str) -> String {
    format!(
        "export {key}=..., or pipe it: printf %s \"$VALUE\" | codika integration set {} --secret {key}=-, or pass --secret {key}=VALUE (any local user can read a command line)",
        shown(integration)
    )
}

/// `set` with no secret option: a terminal is asked for every required field.
fn ask_required(
    integration: &str,
    fields: &[Field],
    input: Input,
    flagged: &mut Vec<(String, Option<SecretValue>)>,
) -> Result<()> {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let example = required.first().map_or("KEY", |f| f.key.as_str());
    let ways = format!(
        "pass --secret {example} (from the environment), --secrets-file .env (or - for stdin), or printf %s \"$VALUE\" | codika integration set {integration} --secret {example}=-"
    );
    match input {
        Input::Terminal if !required.is_empty() => {
            flagged.extend(required.iter().map(|f| (f.key.clone(), None)));
            Ok(())
        }
        Input::Forbidden(by) if !required.is_empty() => Err(CliError::validation(format!(
            "no secrets given, and {by} forbids asking for {}: {ways}",
            required
                .iter()
                .map(|f| f.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        _ => Err(CliError::validation(format!("no secrets given: {ways}"))),
    }
}

/// Asks the terminal for `keys`, in order, echo off for all of them.
fn ask(integration: &str, keys: &[&str], fields: &[Field]) -> Result<Vec<SecretValue>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |key: &str, error: PromptError| prompt_error(integration, key, error);
    let mut terminal = prompt::Terminal::open().map_err(|e| fail(keys[0], e))?;
    terminal.say(&format!(
        "Secrets for {} (what you type is not shown):",
        shown(integration)
    ));
    let mut values = Vec::with_capacity(keys.len());
    for key in keys {
        let field = fields.iter().find(|f| f.key == *key);
        let label = match field.and_then(|f| f.label.as_ref().or(f.description.as_ref())) {
            Some(label) => format!("  {} ({}): ", shown(label), shown(key)),
            None => format!("  {}: ", shown(key)),
        };
        if let Some(Field {
            label: Some(label),
            description: Some(description),
            ..
        }) = field
            && label != description
        {
            terminal.say(&format!("  {}", shown(description)));
        }
        let value = terminal.ask(&label).map_err(|e| fail(key, e))?;
        if value.is_empty() {
            return Err(empty(key, "the prompt", fields));
        }
        values.push(SecretValue(value));
    }
    Ok(values)
}

fn prompt_error(integration: &str, key: &str, error: PromptError) -> CliError {
    let key = shown(key);
    let other_ways = format!(
        "give it another way: --secret {key} (from the environment), --secret {key}=- (stdin) or --secrets-file .env"
    );
    CliError::validation(match error {
        PromptError::NoTerminal(e) => {
            format!("cannot open the terminal to ask for {key} ({e}); {other_ways}")
        }
        PromptError::NoEcho(e) => {
            format!("cannot turn off echo on this terminal to ask for {key} ({e}); {other_ways}")
        }
        PromptError::Cancelled => format!(
            "cancelled at the prompt for {key}: nothing was sent for {}",
            shown(integration)
        ),
        PromptError::NotUtf8 => format!("what was typed for {key} is not UTF-8 text"),
        PromptError::TooLong => format!(
            "the line typed for {key} fills the terminal's line limit of {} bytes and may have been cut: nothing was sent; {other_ways}",
            prompt::MAX_LINE
        ),
        PromptError::MoreThanOneLine => format!(
            "more than one line was pasted at the prompt for {key}: nothing was sent, and the lines after the first were discarded; pass a multi-line value (a PEM key) on stdin, --secret {key}=- < FILE, or in a file, --secrets-file .env with the value in double quotes"
        ),
        PromptError::Io(e) => format!("cannot read {key} from the terminal ({e}); {other_ways}"),
    })
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

/// Adds the fields of a JSON object. Strings are taken as they are, numbers
/// and booleans as their JSON text (`5432`, `true`); anything else is refused.
fn merge_json(secrets: &mut Secrets, text: &str, source: &str, fields: &[Field]) -> Result<()> {
    let Ok(Value::Object(object)) = miniserde::json::from_str::<Value>(text) else {
        return Err(CliError::validation(format!(
            "{source} is not a JSON object of KEY: \"value\" pairs"
        )));
    };
    // Each member's text as written, found in one pass when a number needs
    // it (the last of a repeated key, as the parsed object holds).
    let mut written: Option<HashMap<String, &str>> = None;
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s,
            // The number as written (`5432`, `1e3`, 23 digits): parsing it
            // into a float and printing it back would change it.
            Value::Number(n) => written
                .get_or_insert_with(|| crate::jsontext::members(text).into_iter().collect())
                .get(&key)
                .map_or_else(|| n.to_string(), |raw| raw.trim().to_string()),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => {
                return Err(CliError::validation(format!(
                    "{source}: the value of {} must be a string, number or boolean",
                    label(&key, fields)
                )));
            }
        };
        if key.is_empty() {
            return Err(CliError::validation(format!("{source} has an empty key")));
        }
        let text = Zeroizing::new(text);
        if text.is_empty() {
            return Err(empty(&key, source, fields));
        }
        secrets.insert(key, SecretValue(text));
    }
    Ok(())
}

/// `--metadata KEY=VALUE` pairs, split at the first `=`. A word that is not
/// one is never shown (it may be a value).
pub fn metadata(flags: &[String]) -> Result<Vec<(String, String)>> {
    flags
        .iter()
        .enumerate()
        .map(|(n, flag)| match flag.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => Err(CliError::validation(format!(
                "--metadata #{} is not KEY=VALUE (the word is not shown)",
                n + 1
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

    fn merge(file: Option<&Path>, json: Option<&str>, flags: &[String]) -> Result<Secrets> {
        let sources = Sources {
            files: file.into_iter().collect(),
            json,
            flags,
            input: Input::NotATerminal,
        };
        collect(&sources, "acme_vault", Some(&[]))
    }

    struct Dir(std::path::PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir = std::env::temp_dir().join(format!("codika-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }

        fn file(&self, name: &str, contents: &[u8]) -> std::path::PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
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
