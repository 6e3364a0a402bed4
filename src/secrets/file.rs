/*!
`--secrets-file` (a JSON object or a dotenv file, `-` for stdin) and
`--secrets` (a JSON object): read whole, merged key by key, every message
naming where (`--secrets-file .env:3:14`), never a value.
*/

#[allow(unused_imports)]
use super::*;

/// Where a secrets file's text came from, as its messages name it.
pub(super) enum Origin<'a> {
    File(&'a Path),
    Stdin,
}

impl Origin<'_> {
    /// `--secrets-file .env`, `stdin (--secrets-file -)`.
    pub(super) fn name(&self) -> String {
        match self {
            Origin::File(path) => format!("--secrets-file {}", path.display()),
            Origin::Stdin => "stdin (--secrets-file -)".into(),
        }
    }

    /// `--secrets-file .env:3:14`, `stdin:3:14 (--secrets-file -)`.
    pub(super) fn at(&self, line: usize, column: Option<usize>) -> String {
        let column = column.map(|c| format!(":{c}")).unwrap_or_default();
        match self {
            Origin::File(path) => format!("--secrets-file {}:{line}{column}", path.display()),
            Origin::Stdin => format!("stdin:{line}{column} (--secrets-file -)"),
        }
    }
}

/// The values of one `--secrets-file` (`-`: stdin), in the file's order,
/// later duplicates winning (`apply` merges several). Keys are named in
/// messages only when UPPER_CASE: no integration's fields are known yet.
pub fn read_file(path: &Path) -> Result<Secrets> {
    let mut secrets = Secrets::default();
    read_secrets_file(&mut secrets, path, &[])?;
    Ok(secrets)
}

/// A JSON object (the first non-blank character is `{`) or a dotenv file.
pub(super) fn read_secrets_file(
    secrets: &mut Secrets,
    path: &Path,
    fields: &[Field],
) -> Result<()> {
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

/// Adds the fields of a JSON object. Strings are taken as they are, numbers
/// and booleans as their JSON text (`5432`, `true`); anything else is refused.
pub(super) fn merge_json(
    secrets: &mut Secrets,
    text: &str,
    source: &str,
    fields: &[Field],
) -> Result<()> {
    let Some(Value::Object(object)) = crate::json_input::parse(text, source)? else {
        return Err(CliError::validation(format!(
            "{source} is not a JSON object of KEY: \"value\" pairs"
        )));
    };
    // Each member's text as written, found in one pass when a number needs
    // it (the last of a repeated key, as the parsed object holds).
    let mut written: Option<std::collections::HashMap<String, &str>> = None;
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s,
            // The number as written (`5432`, `1e3`, 23 digits): parsing it
            // into a float and printing it back would change it.
            Value::Number(n) => written
                .get_or_insert_with(|| codika_common::jsontext::members(text).into_iter().collect())
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
