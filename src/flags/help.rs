/*! Help text, generated from the command and flag tables. */

use super::commands::{COMMANDS, CommandDef, GROUPS, Group};

/// What `codika integration` is, in `codika --help`'s list.
pub const INTEGRATION_SUMMARY: &str =
    "Set, list, delete and check integrations; fetch n8n credential schemas";

pub fn top() -> String {
    let mut text = String::from(
        "codika — manage Codika integrations (API keys, credentials) from one small binary\n\nUsage: codika <COMMAND>\n\nCommands:\n",
    );
    for (_, word, summary) in GROUPS {
        text.push_str(&format!("  {word:<14}{summary}\n"));
    }
    for def in COMMANDS.iter().filter(|c| c.group == Group::TopLevel) {
        text.push_str(&format!("  {:<14}{}\n", def.name, def.summary));
    }
    text.push_str(
        "\nOptions:
  -h, --help      Print help (see 'codika <COMMAND> --help')
  -V, --version   Print the version

Examples:
  printf %s \"$CODIKA_KEY\" | codika login
  codika integration set openai --secret OPENAI_API_KEY
",
    );
    text
}

/// `codika <group> --help`: `integration`'s, or another group's.
pub fn group(group: Group) -> String {
    match group {
        Group::Integration | Group::TopLevel => integration(),
        _ => other_group(group),
    }
}

/// The help of `rerun` and `instance`.
fn other_group(group: Group) -> String {
    let word = group.word().unwrap_or_default();
    let mut text = format!(
        "{}\n\nUsage: codika {word} <COMMAND> [OPTIONS]\n\nCommands:\n",
        group.summary()
    );
    for def in COMMANDS.iter().filter(|c| c.group == group) {
        text.push_str(&format!("  {:<12}{}\n", def.name, def.summary));
    }
    text.push_str(&format!(
        "\nOptions:\n  -h, --help   Print help (see 'codika {word} <COMMAND> --help')\n\nExit codes: 0 success, 1 API or network error (or a failed rerun), 2 validation error.\n"
    ));
    text
}

pub fn integration() -> String {
    let mut text = String::from(
        "Manage integrations of Codika organizations and process instances\n\nUsage: codika integration <COMMAND> [OPTIONS]\n\nCommands:\n",
    );
    for def in COMMANDS.iter().filter(|c| c.group == Group::Integration) {
        text.push_str(&format!("  {:<9}{}\n", def.name, def.summary));
    }
    text.push_str(
        "
Options:
  -h, --help   Print help (see 'codika integration <COMMAND> --help')

The API key comes from --api-key, --api-key-file, --profile, CODIKA_API_KEY,
CODIKA_API_KEY_FILE, the profile of project.json's organization, or the
active profile of 'codika login'.

Exit codes: 0 success, 1 API or network error, 2 validation error.

Example:
  codika integration list --json
",
    );
    text
}

/// `codika <path> [ARGUMENT] [OPTIONS]`, with the aliases.
pub fn usage(def: &CommandDef) -> String {
    let argument = def
        .argument
        .as_ref()
        .map(|a| format!(" {}", a.name))
        .unwrap_or_default();
    let mut usage = format!("codika {}{argument} [OPTIONS]", def.path());
    for alias in def.aliases {
        usage.push_str(&format!("   (alias: codika {alias})"));
    }
    usage
}

pub fn command(def: &CommandDef) -> String {
    let mut text = format!("{}\n\nUsage: {}\n", def.about, usage(def));
    if let Some(argument) = &def.argument {
        text.push_str(&format!(
            "\nArguments:\n  {:<32}{}\n",
            argument.name, argument.help
        ));
    }
    text.push_str("\nOptions:\n");
    for option in def.options {
        let default = option
            .default()
            .map(|d| format!(" [default: {d}]"))
            .unwrap_or_default();
        let short = option
            .flag
            .short
            .map(|c| format!("-{c}, "))
            .unwrap_or_else(|| "    ".to_string());
        text.push_str(&format!(
            "  {short}{:<28}{}{default}\n",
            option.flag.usage(),
            option.help()
        ));
    }
    text.push_str(&format!("  -h, {:<28}Print help\n", "--help"));
    text.push_str(&format!("\nExamples:\n{}\n", def.examples));
    text
}

/// `a, b or c`.
pub fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::defs::Takes;
    use crate::flags::{Command, Parsed, parse};

    fn help_of(def: &CommandDef) -> String {
        let mut argv: Vec<std::ffi::OsString> = def.path().split(' ').map(Into::into).collect();
        argv.push("--help".into());
        match parse(argv) {
            Ok(Parsed::Print(text)) => text,
            _ => panic!("{} --help is no help", def.path()),
        }
    }

    #[test]
    fn every_command_has_one_row() {
        for command in [
            Command::Set,
            Command::List,
            Command::Delete,
            Command::Schema,
            Command::Check,
            Command::Apply,
            Command::RerunDeployment,
            Command::InstanceActivate,
            Command::InstanceDeactivate,
            Command::Login,
            Command::Whoami,
            Command::Use,
            Command::Logout,
            Command::Completion,
            Command::Man,
            Command::Help,
        ] {
            let rows = COMMANDS.iter().filter(|c| c.command == command).count();
            assert_eq!(rows, 1, "{command:?}");
            assert_eq!(command.def().command, command);
        }
    }

    #[test]
    fn help_of_every_command_is_its_row() {
        for def in COMMANDS {
            let text = help_of(def);
            assert!(text.starts_with(def.about), "{}", def.path());
            assert!(text.contains(&format!("Usage: {}\n", usage(def))), "{text}");
            if let Some(argument) = &def.argument {
                assert!(text.contains(argument.name) && text.contains(argument.help));
            }
            assert!(text.ends_with(&format!("Examples:\n{}\n", def.examples)));
            // Exactly the command's options, each with its help and default.
            let options_part = text.split("\nOptions:\n").nth(1).unwrap();
            let options_part = options_part.split("\nExamples:\n").next().unwrap();
            let listed: Vec<&str> = options_part
                .lines()
                .map(|l| l.trim_start())
                .map(|l| match l.split_once(", --") {
                    Some((short, rest)) if short.len() == 2 => rest,
                    _ => l.strip_prefix("--").unwrap_or(""),
                })
                .filter_map(|l| l.split([' ', '<']).next())
                .filter(|name| !name.is_empty() && *name != "help")
                .collect();
            let options: Vec<&str> = def.options.iter().map(|o| o.flag.long).collect();
            assert_eq!(listed, options, "{}", def.path());
            for option in def.options {
                let line = options_part
                    .lines()
                    .find(|l| l.contains(&format!("--{} ", option.flag.long)))
                    .unwrap();
                if let Some(short) = option.flag.short {
                    assert!(line.starts_with(&format!("  -{short}, --")), "{line}");
                }
                assert!(line.contains(option.help()), "{line}");
                if let Some(default) = option.default() {
                    assert!(line.ends_with(&format!("[default: {default}]")), "{line}");
                }
            }
        }
    }

    #[test]
    fn the_parser_takes_exactly_the_tables_options() {
        let all: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|c| c.options.iter().map(|o| o.flag.long))
            .collect();
        for def in COMMANDS {
            for long in &all {
                let mut argv: Vec<std::ffi::OsString> =
                    def.path().split(' ').map(Into::into).collect();
                // completion needs its argument to parse at all.
                if def.command == Command::Completion {
                    argv.push("bash".into());
                }
                argv.push(format!("--{long}").into());
                let option = def.option(long);
                if let Some(Takes::Value(..) | Takes::Path(..)) = option.map(|o| &o.flag.takes) {
                    argv.push(match *long {
                        "context-type" => "organization".into(),
                        "environment" => "prod".into(),
                        "max-age" => "30".into(),
                        _ => "x".into(),
                    });
                }
                let parsed = parse(argv);
                assert_eq!(parsed.is_ok(), option.is_some(), "{} --{long}", def.path());
            }
        }
    }

    #[test]
    fn help_of_a_command_is_its_help_option() {
        let print = |words: &[&str]| match parse(words.iter().map(Into::into)) {
            Ok(Parsed::Print(text)) => text,
            _ => panic!("{words:?} printed nothing"),
        };
        for def in COMMANDS {
            let path = def.path();
            let mut words = vec!["help"];
            words.extend(path.split(' '));
            assert_eq!(print(&words), help_of(def), "{}", def.path());
        }
        assert_eq!(print(&["help"]), top());
        assert_eq!(print(&["help", "integration"]), integration());
        // A subcommand alone, when no command has its name.
        assert_eq!(
            print(&["help", "set"]),
            print(&["integration", "set", "-h"])
        );
        for words in [
            &["help", "deploy"][..],
            &["help", "integration", "x"],
            &["help", "a", "b", "c"],
        ] {
            let error = parse(words.iter().map(Into::into)).err().unwrap();
            assert_eq!(error.exit_code(), 2, "{words:?}");
        }
    }

    #[test]
    fn lists_name_every_command() {
        let top = top();
        let integration = integration();
        for def in COMMANDS {
            let list = match def.group {
                Group::TopLevel => &top,
                Group::Integration => &integration,
                group => &super::group(group),
            };
            assert!(list.contains(def.summary), "{}", def.name);
        }
    }
}
