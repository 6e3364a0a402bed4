/*!
Asking on the terminal, without echo, for the values no option gave: every
required field when nothing was given at all, else each `--secret KEY` the
environment did not have.
*/

#[allow(unused_imports)]
use super::*;

/// `set` with no secret option: a terminal is asked for every required field.
pub(super) fn ask_required(
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
pub fn ask(integration: &str, keys: &[&str], fields: &[Field]) -> Result<Vec<SecretValue>> {
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

pub(super) fn prompt_error(integration: &str, key: &str, error: PromptError) -> CliError {
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
