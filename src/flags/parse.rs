/*!
The `lexopt` loop: `codika [--help|--version] integration <sub> [args]` and
`codika login|whoami|use|profiles|logout|completion|man|help [args]`.
`--help`, `--version`, `help`, `man` and `completion` short-circuit before
anything is read: their text comes from the tables alone.
*/

use std::ffi::OsString;

use super::commands::{self, COMMANDS, CommandDef, Group, Opt};
use super::complete::{self, Candidates};
use super::defs::Takes;
use super::{Command, LowArgs};
use super::{help, man};
use crate::error::{CliError, Result};
use crate::ui::sanitize::quoted_word;

pub enum Parsed {
    Run(Box<LowArgs>),
    /// Print this text on stdout and exit 0: help, the man page, a
    /// completion script.
    Print(String),
    Version,
    /// `codika __complete ...` (hidden): the names a completion script offers.
    Complete(Candidates),
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Parsed> {
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(args);
    let def = match parser.next().map_err(usage_error)? {
        None | Some(Short('h') | Long("help")) => return Ok(Parsed::Print(help::top())),
        Some(Short('V') | Long("version")) => return Ok(Parsed::Version),
        Some(Value(word)) => match word.to_string_lossy().as_ref() {
            word if Group::named(word).is_some() => {
                let group = Group::named(word).unwrap_or(Group::Integration);
                match group_command(&mut parser, group)? {
                    Some(def) => def,
                    None => return Ok(Parsed::Print(help::group(group))),
                }
            }
            complete::HIDDEN_COMMAND => return complete::request(&mut parser),
            name => commands::find(Group::TopLevel, name).ok_or_else(|| unknown_command(name))?,
        },
        Some(other) => {
            return Err(CliError::validation(format!(
                "unknown command {}; see 'codika --help'",
                shown(&other)
            )));
        }
    };
    let command = def.command;
    if command == Command::Help {
        return help_request(&mut parser, def);
    }
    let mut args = LowArgs::new(command);
    let mut given = Given::default();
    while let Some(arg) = parser.next().map_err(|e| in_command(command, e))? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Print(help::command(def))),
            Long(name) => {
                let option = def
                    .option(name)
                    .ok_or_else(|| unknown_flag(&format!("--{name}"), def))?;
                take(option, &mut parser, &mut args, &mut given)?;
            }
            Short(c) => {
                let option = def
                    .short_option(c)
                    .ok_or_else(|| unknown_flag(&format!("-{c}"), def))?;
                take(option, &mut parser, &mut args, &mut given)?;
            }
            Value(value) => {
                if args.target.is_some() || def.argument.is_none() {
                    return Err(extra_argument(def));
                }
                args.target = Some(value.to_string_lossy().into_owned());
            }
        }
    }
    match command {
        Command::Completion => complete::script(args.target.as_deref()).map(Parsed::Print),
        Command::Man => Ok(Parsed::Print(man::page())),
        _ => Ok(Parsed::Run(Box::new(args))),
    }
}

/// Records `option`, reading its value when it takes one. Every value
/// option goes through here, so the rules about values hold for each: an
/// empty value is an error (never "not given", which would let a default or
/// another source decide: `--api-url "$UNSET"` sending the key to
/// production), and a single-valued option given twice must be given the
/// same value (never the last silently winning).
fn take(
    option: &Opt,
    parser: &mut lexopt::Parser,
    args: &mut LowArgs,
    given: &mut Given,
) -> Result<()> {
    let flag = option.flag;
    if let Takes::Nothing(record) = flag.takes {
        record(args);
        return Ok(());
    }
    let command = args.command;
    let value = parser.value().map_err(|e| in_command(command, e))?;
    if value.is_empty() {
        return Err(CliError::validation(format!(
            "--{} is empty: give it a value, or leave it out; see 'codika {} --help'",
            flag.long,
            command.path()
        )));
    }
    if !flag.repeatable {
        match given.0.iter().find(|(long, _)| *long == flag.long) {
            Some((_, first)) if *first != value => {
                return Err(CliError::validation(format!(
                    "--{} is given twice with different values (not shown): give it once; see 'codika {} --help'",
                    flag.long,
                    command.path()
                )));
            }
            // The same value again: already recorded.
            Some(_) => return Ok(()),
            None => given.0.push((flag.long, value.clone())),
        }
    }
    match flag.takes {
        Takes::Nothing(_) => {}
        Takes::Path(_, record) => record(args, value.into()),
        Takes::Value(_, record) => {
            let value = value.into_string().map_err(|_| {
                CliError::validation(format!("the value of --{} is not valid UTF-8", flag.long))
            })?;
            record(args, value)?;
        }
    }
    Ok(())
}

/// The values of the single-valued options given so far, to compare a
/// repeat with; wiped when parsing ends (one may be the API key).
#[derive(Default)]
struct Given(Vec<(&'static str, OsString)>);

impl Drop for Given {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for (_, value) in self.0.drain(..) {
            value.into_encoded_bytes().zeroize();
        }
    }
}

/// `codika help [COMMAND...]`: the `--help` of the command named.
fn help_request(parser: &mut lexopt::Parser, def: &CommandDef) -> Result<Parsed> {
    use lexopt::Arg::{Long, Short, Value};
    let mut words = Vec::new();
    while let Some(arg) = parser.next().map_err(|e| in_command(def.command, e))? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Print(help::command(def))),
            // Its switches (--quiet) change nothing: help is all data.
            Long(name) if def.option(name).is_some() => {}
            Short(c) if def.short_option(c).is_some() => {}
            Long(name) => return Err(unknown_flag(&format!("--{name}"), def)),
            Short(c) => return Err(unknown_flag(&format!("-{c}"), def)),
            Value(word) => words.push(word.to_string_lossy().into_owned()),
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let text = match words.as_slice() {
        [] => help::top(),
        [word] if Group::named(word).is_some() => {
            help::group(Group::named(word).unwrap_or(Group::Integration))
        }
        [word, sub] if Group::named(word).is_some() => {
            let group = Group::named(word).unwrap_or(Group::Integration);
            help::command(commands::find(group, sub).ok_or_else(|| unknown_subcommand(group, sub))?)
        }
        // `codika help set`: a subcommand of integration, when no command is so named.
        [name] => help::command(
            commands::find(Group::TopLevel, name)
                .or_else(|| commands::find(Group::Integration, name))
                .ok_or_else(|| unknown_command(name))?,
        ),
        _ => {
            return Err(CliError::validation(
                "help takes one command, as typed after codika (e.g. 'codika help integration set')",
            ));
        }
    };
    Ok(Parsed::Print(text))
}

fn unknown_command(name: &str) -> CliError {
    CliError::validation(format!(
        "unknown command {}; see 'codika --help'",
        quoted_word(name)
    ))
}

fn unknown_subcommand(group: Group, word: &str) -> CliError {
    let names: Vec<&str> = COMMANDS
        .iter()
        .filter(|c| c.group == group)
        .map(|c| c.name)
        .collect();
    CliError::validation(format!(
        "unknown subcommand {} (expected {}); see 'codika {} --help'",
        quoted_word(word),
        help::one_of(&names),
        group.word().unwrap_or_default()
    ))
}

/// The subcommand after `codika integration` (or another group's word);
/// `None` asks for the group's help.
fn group_command(parser: &mut lexopt::Parser, group: Group) -> Result<Option<&'static CommandDef>> {
    use lexopt::Arg::{Long, Short, Value};
    match parser.next().map_err(usage_error)? {
        None | Some(Short('h') | Long("help")) => Ok(None),
        Some(Value(word)) => {
            let word = word.to_string_lossy();
            commands::find(group, &word)
                .map(Some)
                .ok_or_else(|| unknown_subcommand(group, &word))
        }
        Some(other) => Err(CliError::validation(format!(
            "unexpected {} before the subcommand; see 'codika {} --help'",
            shown(&other),
            group.word().unwrap_or_default()
        ))),
    }
}

/// A word the command does not take. Never echoed: a stray word is often a
/// secret missing its `KEY=`, or an API key typed after `login`.
fn extra_argument(def: &CommandDef) -> CliError {
    CliError::validation(format!(
        "unexpected extra argument (not shown, it may be a secret): {}; see 'codika {} --help'",
        def.stray_word,
        def.path()
    ))
}

fn shown(arg: &lexopt::Arg<'_>) -> String {
    match arg {
        lexopt::Arg::Short(c) => quoted_word(&format!("-{c}")),
        lexopt::Arg::Long(name) => quoted_word(&format!("--{name}")),
        lexopt::Arg::Value(value) => quoted_word(&value.to_string_lossy()),
    }
}

/// lexopt's errors in our words: they would quote a value attached to a
/// switch (`--force=sk-...`) or a stray argument, which may be secrets.
fn lexopt_message(error: lexopt::Error) -> String {
    use lexopt::Error;
    match error {
        Error::MissingValue {
            option: Some(option),
        } => {
            format!("missing value for {}", quoted_word(&option))
        }
        Error::MissingValue { option: None } => "missing value".to_string(),
        Error::UnexpectedValue { option, .. } => format!(
            "option {} takes no value (the value given is not shown)",
            quoted_word(&option)
        ),
        Error::UnexpectedOption(option) => format!("unknown option {}", quoted_word(&option)),
        Error::UnexpectedArgument(_) => "unexpected argument (not shown)".to_string(),
        Error::NonUnicodeValue(_) => "an argument is not valid UTF-8".to_string(),
        Error::ParsingFailed { .. } | Error::Custom(_) => {
            "invalid argument (not shown)".to_string()
        }
    }
}

fn usage_error(error: lexopt::Error) -> CliError {
    CliError::validation(format!("{}; see 'codika --help'", lexopt_message(error)))
}

fn in_command(command: Command, error: lexopt::Error) -> CliError {
    CliError::validation(format!(
        "{}; see 'codika {} --help'",
        lexopt_message(error),
        command.path()
    ))
}

/// An unknown option (`--name` or `-c`, as typed), with the closest ones
/// this subcommand has.
fn unknown_flag(typed: &str, def: &CommandDef) -> CliError {
    let name = typed.trim_start_matches('-');
    let similar: Vec<String> = def
        .options
        .iter()
        .map(|o| o.flag.long)
        .filter(|long| is_similar(name, long))
        .map(|long| format!("--{long}"))
        .collect();
    let hint = match similar.as_slice() {
        [] => String::new(),
        names => format!(" (similar: {})", names.join(", ")),
    };
    CliError::validation(format!(
        "unknown option {} for 'codika {}'{hint}; see 'codika {} --help'",
        quoted_word(typed),
        def.path(),
        def.path()
    ))
}

fn is_similar(typed: &str, known: &str) -> bool {
    typed.len() >= 3
        && (known.starts_with(typed)
            || typed.starts_with(known)
            || edit_distance(typed, known) <= 2)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<LowArgs> {
        match parse(args.iter().map(OsString::from))? {
            Parsed::Run(args) => Ok(*args),
            _ => panic!("expected a command"),
        }
    }

    #[test]
    fn values_with_space_or_equals_and_repeats() {
        let args = run(&[
            "integration",
            "set",
            "openai",
            "--secret",
            "A=1",
            "--secret=B=2=3",
            "--metadata",
            "k=v",
            "--json",
        ])
        .unwrap();
        assert_eq!(args.target.as_deref(), Some("openai"));
        assert_eq!(args.secret, ["A=1", "B=2=3"]);
        assert_eq!(args.metadata, ["k=v"]);
        assert!(args.json);
    }

    #[test]
    fn short_options_and_their_long_forms() {
        let short = run(&["integration", "list", "-q"]).unwrap();
        assert!(short.quiet);
        let long = run(&["integration", "delete", "x", "--quiet", "--dry-run"]).unwrap();
        assert!(long.quiet && long.dry_run);
        let err = run(&["integration", "list", "-z"]).err().unwrap();
        assert!(err.message.contains("'-z'"), "{}", err.message);
        let err = run(&["integration", "list", "--dry-run"]).err().unwrap();
        assert!(err.message.contains("'--dry-run'"), "{}", err.message);
    }

    #[test]
    fn unknown_flags_suggest_similar_ones() {
        let err = run(&["integration", "set", "x", "--secert", "A=1"])
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.message.contains("'--secert'") && err.message.contains("--secret"),
            "{}",
            err.message
        );
        let err = run(&["integration", "list", "--force"]).err().unwrap();
        assert!(err.message.contains("--force"), "{}", err.message);
    }

    #[test]
    fn missing_values_and_bad_choices_are_validation_errors() {
        let err = run(&["integration", "set", "x", "--secret"]).err().unwrap();
        assert!(
            err.message.contains("--secret") && err.message.contains("--help"),
            "{}",
            err.message
        );
        let err = run(&["integration", "list", "--context-type", "member"])
            .err()
            .unwrap();
        assert!(
            err.message.contains("organization or process_instance"),
            "{}",
            err.message
        );
        let err = run(&["integration", "delete", "x", "--environment", "staging"])
            .err()
            .unwrap();
        assert!(
            err.message.contains("'staging'") && err.message.contains("dev or prod"),
            "{}",
            err.message
        );
    }
}
