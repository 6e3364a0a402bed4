/*!
Completion scripts for bash, zsh and fish (`codika completion SHELL`),
generated from the command and flag tables: the commands and their aliases,
each command's options (long and short), what each option's value is
([`Values`]: files, directories, choices, profile names, integration ids)
and what its argument is. A flag added to the tables is completed without
touching this module.

Profile names are the one thing a script cannot know when it is written: it
runs `codika __complete profiles` (hidden), which prints the names of the
config file's profiles, one a line, and nothing else: no key, no warning,
and nothing at all on any error. The parser says what is asked
([`Candidates`]); `main` reads the config file for it (this layer reads no
config).
*/

mod bash;
mod fish;
mod zsh;

use super::Parsed;
use super::commands::{COMMANDS, CommandDef, GROUPS, Group, Opt, SHELLS};
use super::defs::Values;
use super::help::one_of;
use crate::error::{CliError, Result};
use crate::ui::sanitize::quoted_word;

/// The hidden command the scripts run for profile names.
pub const HIDDEN_COMMAND: &str = "__complete";

/// What `codika __complete` is asked for.
pub enum Candidates {
    Profiles,
    /// Anything else (a newer script, an older binary): nothing.
    Nothing,
}

/// `codika __complete WHAT`: never an error, a completion must stay quiet.
pub fn request(parser: &mut lexopt::Parser) -> Result<Parsed> {
    let what = match parser.next() {
        Ok(Some(lexopt::Arg::Value(word))) if word == "profiles" => Candidates::Profiles,
        _ => Candidates::Nothing,
    };
    Ok(Parsed::Complete(what))
}

/// The script for `shell`; none or another is exit 2 naming the three.
pub fn script(shell: Option<&str>) -> Result<String> {
    let expected = one_of(SHELLS);
    match shell {
        Some("bash") => Ok(bash::script()),
        Some("zsh") => Ok(zsh::script()),
        Some("fish") => Ok(fish::script()),
        Some(other) => Err(CliError::validation(format!(
            "unknown shell {}: expected {expected}; see 'codika completion --help'",
            quoted_word(other)
        ))),
        None => Err(CliError::validation(format!(
            "missing <shell>: expected {expected}, e.g. 'codika completion bash'; see 'codika completion --help'"
        ))),
    }
}

/// The words a command is typed as after `codika`: `integration set`, or
/// `use` and its alias `profiles`.
fn paths(def: &CommandDef) -> Vec<String> {
    let prefix = def
        .group
        .word()
        .map(|word| format!("{word} "))
        .unwrap_or_default();
    std::iter::once(def.name)
        .chain(def.aliases.iter().copied())
        .map(|name| format!("{prefix}{name}"))
        .collect()
}

/// The words after `codika`, with their one-line help: `integration`, then
/// each top-level command and alias.
fn top_words() -> Vec<(&'static str, &'static str)> {
    let mut words: Vec<(&str, &str)> = GROUPS.iter().map(|g| (g.1, g.2)).collect();
    for def in COMMANDS.iter().filter(|c| c.group == Group::TopLevel) {
        words.push((def.name, def.summary));
        words.extend(def.aliases.iter().map(|alias| (*alias, def.summary)));
    }
    words
}

/// The words after `codika integration`, with their one-line help.
fn integration_words() -> Vec<(&'static str, &'static str)> {
    group_words(Group::Integration)
}

/// The words after a group's word (`codika rerun`), with their one-line help.
fn group_words(group: Group) -> Vec<(&'static str, &'static str)> {
    COMMANDS
        .iter()
        .filter(|c| c.group == group)
        .flat_map(|def| {
            std::iter::once(def.name)
                .chain(def.aliases.iter().copied())
                .map(move |name| (name, def.summary))
        })
        .collect()
}

/// The fixed words of a kind of value, with their help where there is one:
/// choices and built-in integration ids (`None` for the other kinds).
fn fixed_words(values: Values) -> Option<Vec<(&'static str, &'static str)>> {
    match values {
        Values::Choices(words) => Some(words.iter().map(|w| (*w, "")).collect()),
        Values::Integration => Some(integrations(false)),
        Values::SettableIntegration => Some(integrations(true)),
        _ => None,
    }
}

/// The registry's integration ids and names; without the OAuth ones when
/// `settable` (`set` refuses them).
fn integrations(settable: bool) -> Vec<(&'static str, &'static str)> {
    codika_common::registry::all()
        .iter()
        .filter(|i| !(settable && i.is_oauth()))
        .map(|i| (i.id.as_str(), i.name.as_str()))
        .collect()
}

/// `--long` and, when it has one, `-s`.
fn names(option: &Opt) -> Vec<String> {
    let mut names = vec![format!("--{}", option.flag.long)];
    names.extend(option.flag.short.map(|c| format!("-{c}")));
    names
}

/// A word in single quotes for sh, bash, zsh and fish alike (`'` itself is
/// written `'\''`, which fish reads too).
fn single_quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_has_a_script_and_others_are_refused() {
        for shell in SHELLS {
            let text = script(Some(shell)).unwrap();
            assert!(text.contains("codika"), "{shell}");
            // Every option of every command is in every script.
            for def in COMMANDS {
                for option in def.options {
                    assert!(
                        text.contains(&format!("--{}", option.flag.long))
                            || text.contains(&format!("-l {}", option.flag.long)),
                        "{shell}: --{} of {}",
                        option.flag.long,
                        def.path()
                    );
                }
            }
        }
        for shell in [None, Some("powershell")] {
            let err = script(shell).err().unwrap();
            assert_eq!(err.exit_code(), 2);
            assert!(err.message.contains("bash, zsh or fish"), "{}", err.message);
        }
    }

    #[test]
    fn settable_integrations_leave_out_oauth() {
        let all = integrations(false);
        let settable = integrations(true);
        assert!(all.iter().any(|(id, _)| *id == "google_gmail"));
        assert!(!settable.iter().any(|(id, _)| *id == "google_gmail"));
        assert!(settable.iter().any(|(id, _)| *id == "openai"));
    }
}
