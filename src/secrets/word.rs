/*!
The words of `--secret`: `KEY=VALUE`, `KEY=-` (all of stdin) or `KEY` (the
environment variable `KEY`), and where each takes its value.
*/

#[allow(unused_imports)]
use super::*;

/// The words of `--secret`.
pub(super) enum Word<'a> {
    /// `KEY=VALUE`
    Given { key: &'a str, value: &'a str },
    /// `KEY=-`
    Stdin { key: &'a str },
    /// `KEY`
    Env { key: &'a str },
}

impl Word<'_> {
    pub(super) fn key(&self) -> &str {
        match self {
            Word::Given { key, .. } | Word::Stdin { key } | Word::Env { key } => key,
        }
    }
}

pub(super) const FORMS: &str =
    "KEY=VALUE, KEY (read from the environment variable KEY) or KEY=- (read from stdin)";

/// One `--secret` word. A word that is none of the forms is never shown:
/// it is most often a value whose `KEY=` was forgotten.
pub(super) fn word(n: usize, flag: &str) -> Result<Word<'_>> {
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
pub(super) fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `--secret KEY=-`: all of stdin, less one trailing newline. A terminal
/// on stdin is asked without echo instead (None: a prompt to come).
pub(super) fn stdin_value(
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
    let source = super::secret_word(key, fields, "=-");
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

pub(super) fn stdin_error(error: StdinError, option: &str) -> CliError {
    CliError::validation(format!("cannot read stdin for {option}: {error}"))
}

/// The environment variable `key` as a secret value (`apply --from-env`):
/// `None` when unset; set but empty or not UTF-8 is an error naming it.
pub fn env_secret(key: &str) -> Result<Option<SecretValue>> {
    named_variable(key, &[])
}

/// The one read of a variable the user names (`--secret KEY`, `apply
/// --from-env`), not one of env::VARS: unset is `None`, set but empty or
/// not UTF-8 an error naming it (`fields` say whether its name is shown).
fn named_variable(key: &str, fields: &[Field]) -> Result<Option<SecretValue>> {
    let named = std::env::var_os(key); // user-named variable
    let Some(value) = named else {
        return Ok(None);
    };
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
    Ok(Some(SecretValue(Zeroizing::new(value))))
}

/// `--secret KEY`: the environment variable `KEY`; unset, a prompt on a
/// terminal (None), else an error saying the three ways.
pub(super) fn env_value(
    n: usize,
    key: &str,
    integration: &str,
    fields: &[Field],
    input: Input,
) -> Result<Option<SecretValue>> {
    if let Some(value) = named_variable(key, fields)? {
        return Ok(Some(value));
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

pub(super) fn three_ways(key: &str, integration: &str) -> String {
    format!(
        "export {key}=..., or pipe it: printf %s \"$VALUE\" | codika integration set {} --secret {key}=-, or pass --secret {key}=VALUE (any local user can read a command line)",
        shown(integration)
    )
}
