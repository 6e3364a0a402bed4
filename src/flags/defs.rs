/*!
Every flag, defined once: its name (and short letter, if any), what it
takes and what kind of value that is, its help and default, and the
function that records it in [`LowArgs`] (a row cannot be written without
one). Which commands take a flag is said by the command table
(`commands.rs`); the parser, the help text, the man page, the completion
scripts and anything else generated about flags read these rows and
nothing else.
*/

use std::path::PathBuf;

use super::LowArgs;
use crate::context::{ContextType, Environment};
use crate::error::{CliError, Result};

pub struct Flag {
    pub long: &'static str,
    /// `-q` for `--quiet`: few flags have one.
    pub short: Option<char>,
    /// A value option that may be given more than once, each value kept
    /// (`--secret`); any other given twice with different values is exit 2.
    pub repeatable: bool,
    pub takes: Takes,
    /// What the value is, for completion (`None` for a switch).
    pub values: Values,
    pub help: &'static str,
    pub default: Option<&'static str>,
}

pub enum Takes {
    /// A switch (`--force`): never given a value.
    Nothing(fn(&mut LowArgs)),
    /// A value, named in help (`<KEY=VALUE>`), and what records it; an
    /// error is the user's (exit 2).
    Value(&'static str, fn(&mut LowArgs, String) -> Result<()>),
    /// A file or directory name, named in help (`<path>`): any bytes, as a
    /// Unix path may hold (a path variable takes them too).
    Path(&'static str, fn(&mut LowArgs, PathBuf)),
}

/// What kind of value a flag or an argument takes: what a completion script
/// offers for it. Every flag row states one, so a new flag cannot be
/// completed wrongly by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// A switch: no value.
    None,
    /// Free text, never completed (secrets, keys, URLs, ids).
    Text,
    /// A file name.
    File,
    /// A directory name.
    Directory,
    /// A profile of the config file, read when completing.
    Profile,
    /// One of these words.
    Choices(&'static [&'static str]),
    /// A built-in integration id (the registry's).
    Integration,
    /// A built-in integration `set` takes: the registry's, less the OAuth ones.
    SettableIntegration,
    /// A command name (`codika help set`).
    Command,
}

/// `--context-type`'s words, as [`ContextType::as_str`] spells them.
pub const CONTEXT_TYPES: &[&str] = &["organization", "member", "process_instance"];
/// `list` groups by context and has no member filter.
pub const LIST_CONTEXT_TYPES: &[&str] = &["organization", "process_instance"];
/// `--environment`'s words, as [`Environment::as_str`] spells them.
pub const ENVIRONMENTS: &[&str] = &["dev", "prod"];

impl Flag {
    /// `--secret <KEY=VALUE>`, as help shows it.
    pub fn usage(&self) -> String {
        match self.takes {
            Takes::Nothing(_) => format!("--{}", self.long),
            Takes::Value(name, _) | Takes::Path(name, _) => format!("--{} {name}", self.long),
        }
    }

    /// The value's name in help (`<KEY=VALUE>`), none for a switch.
    pub fn value_name(&self) -> Option<&'static str> {
        match self.takes {
            Takes::Nothing(_) => None,
            Takes::Value(name, _) | Takes::Path(name, _) => Some(name),
        }
    }
}

pub const SECRET: Flag = Flag {
    long: "secret",
    short: None,
    repeatable: true,
    values: Values::Text,
    takes: Takes::Value("<KEY[=VALUE]>", |args, value| {
        args.secret.push(value);
        Ok(())
    }),
    help: "Secret field: KEY from the environment, KEY=- from stdin, KEY=VALUE (repeatable)",
    default: None,
};

pub const SECRETS: Flag = Flag {
    long: "secrets",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<json>", |args, value| {
        args.secrets = Some(value);
        Ok(())
    }),
    help: "JSON string with all secrets",
    default: None,
};

pub const SECRETS_FILE: Flag = Flag {
    long: "secrets-file",
    short: None,
    repeatable: true,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| {
        // Repeatable: every file is read, in order, a later one's key winning.
        args.secrets_file.push(value);
    }),
    help: "Dotenv or JSON file with secrets; - reads stdin; repeatable (later files win)",
    default: None,
};

pub const METADATA: Flag = Flag {
    long: "metadata",
    short: None,
    repeatable: true,
    values: Values::Text,
    takes: Takes::Value("<KEY=VALUE>", |args, value| {
        args.metadata.push(value);
        Ok(())
    }),
    help: "Metadata field (repeatable)",
    default: None,
};

pub const CONTEXT_TYPE: Flag = Flag {
    long: "context-type",
    short: None,
    repeatable: false,
    values: Values::Choices(CONTEXT_TYPES),
    takes: Takes::Value("<type>", |args, value| {
        let choices = context_choices(args.command);
        args.context_type = Some(
            ContextType::from_name(&value)
                .filter(|c| choices.contains(c))
                .ok_or_else(|| {
                    let names: Vec<&str> = choices.iter().map(|c| c.as_str()).collect();
                    bad_choice("context-type", &value, &names, args)
                })?,
        );
        Ok(())
    }),
    help: "organization, member, or process_instance",
    default: Some("auto-detected"),
};

/// The context types `command` takes: its row's choices for `--context-type`.
pub fn context_choices(command: super::Command) -> Vec<ContextType> {
    let names = match command.def().option("context-type").map(|o| o.values()) {
        Some(Values::Choices(names)) => names,
        _ => CONTEXT_TYPES,
    };
    names
        .iter()
        .filter_map(|name| ContextType::from_name(name))
        .collect()
}

pub const PROCESS_INSTANCE_ID: Flag = Flag {
    long: "process-instance-id",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<id>", |args, value| {
        args.process_instance_id = Some(value);
        Ok(())
    }),
    help: "Process instance ID",
    default: Some("from project.json"),
};

pub const PATH: Flag = Flag {
    long: "path",
    short: None,
    repeatable: false,
    values: Values::Directory,
    takes: Takes::Path("<path>", |args, value| args.path = Some(value)),
    help: "Path to the use case folder",
    default: Some("current directory"),
};

pub const PROJECT_FILE: Flag = Flag {
    long: "project-file",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| args.project_file = Some(value)),
    help: "Custom project file, relative to --path",
    default: Some("project.json"),
};

pub const ENVIRONMENT: Flag = Flag {
    long: "environment",
    short: None,
    repeatable: false,
    values: Values::Choices(ENVIRONMENTS),
    takes: Takes::Value("<env>", |args, value| {
        args.environment = Environment::from_name(&value)
            .ok_or_else(|| bad_choice("environment", &value, ENVIRONMENTS, args))?;
        Ok(())
    }),
    help: "dev or prod: which instance of project.json",
    default: Some("dev"),
};

pub const CUSTOM_SCHEMA_FILE: Flag = Flag {
    long: "custom-schema-file",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| {
        args.custom_schema_file = Some(value)
    }),
    help: "Custom integration schema JSON (cstm_*)",
    default: Some("the entry in the use case's config.ts"),
};

pub const FORCE: Flag = Flag {
    long: "force",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.force = true),
    help: "Delete the existing integration, then create it",
    default: None,
};

pub const PARAM: Flag = Flag {
    long: "param",
    short: None,
    repeatable: true,
    values: Values::Text,
    takes: Takes::Value("<KEY=VALUE>", |args, value| {
        args.param.push(value);
        Ok(())
    }),
    help: "Deployment parameter override (repeatable)",
    default: None,
};

pub const PARAMS: Flag = Flag {
    long: "params",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<json>", |args, value| {
        args.params = Some(value);
        Ok(())
    }),
    help: "JSON object with deployment parameters",
    default: None,
};

pub const PARAMS_FILE: Flag = Flag {
    long: "params-file",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| args.params_file = Some(value)),
    help: "JSON file with deployment parameters",
    default: None,
};

pub const CONFIRM: Flag = Flag {
    long: "confirm",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.confirm = true),
    help: "Delete without the dependency check",
    default: None,
};

pub const PROFILE: Flag = Flag {
    long: "profile",
    short: None,
    repeatable: false,
    values: Values::Profile,
    takes: Takes::Value("<name>", |args, value| {
        args.profile = Some(value);
        Ok(())
    }),
    help: "CLI profile to use",
    default: Some("active profile"),
};

pub const API_KEY: Flag = Flag {
    long: "api-key",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<key>", |args, value| {
        args.api_key = Some(value);
        Ok(())
    }),
    help: "Override the API key",
    default: None,
};

pub const API_KEY_FILE: Flag = Flag {
    long: "api-key-file",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| args.api_key_file = Some(value)),
    help: "Read the API key from a file (less one trailing newline), off argv",
    default: None,
};

pub const API_URL: Flag = Flag {
    long: "api-url",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<url>", |args, value| {
        args.api_url = Some(value);
        Ok(())
    }),
    help: "Platform base URL",
    default: Some("https://api.codika.io"),
};

pub const BASE_URL: Flag = Flag {
    long: "base-url",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<url>", |args, value| {
        args.base_url = Some(value);
        Ok(())
    }),
    help: "Platform base URL, saved in the profile",
    default: Some("CODIKA_BASE_URL, else https://api.codika.io"),
};

pub const NAME: Flag = Flag {
    long: "name",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<name>", |args, value| {
        args.name = Some(value);
        Ok(())
    }),
    help: "Profile name",
    default: Some("the organization's profile, else derived from its name"),
};

pub const SKIP_VERIFY: Flag = Flag {
    long: "skip-verify",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.skip_verify = true),
    help: "Save the key without asking the platform about it",
    default: None,
};

pub const PUBLIC_KEY_URL: Flag = Flag {
    long: "public-key-url",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<url>", |args, value| {
        args.public_key_url = Some(value);
        Ok(())
    }),
    help: "Where to fetch the encryption public key",
    default: None,
};

pub const PUBLIC_KEY_FILE: Flag = Flag {
    long: "public-key-file",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<path>", |args, value| args.public_key_file = Some(value)),
    help: "Encryption public key PEM file (nothing fetched)",
    default: None,
};

pub const CA_BUNDLE: Flag = Flag {
    long: "ca-bundle",
    short: None,
    repeatable: false,
    values: Values::File,
    takes: Takes::Path("<file>", |args, value| args.ca_bundle = Some(value)),
    help: "CA certificates (PEM) to trust besides the built-in roots",
    default: Some("CODIKA_CA_BUNDLE"),
};

pub const NO_INPUT: Flag = Flag {
    long: "no-input",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.no_input = true),
    help: "Never prompt (as CODIKA_NO_INPUT=1): what a prompt would ask is an error",
    default: None,
};

pub const JSON: Flag = Flag {
    long: "json",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.json = true),
    help: "Output as JSON",
    default: None,
};

pub const QUIET: Flag = Flag {
    long: "quiet",
    short: Some('q'),
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.quiet = true),
    help: "No progress or decoration: data, warnings and errors only",
    default: None,
};

pub const DRY_RUN: Flag = Flag {
    long: "dry-run",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.dry_run = true),
    help: "Check everything, change nothing, print the plan",
    default: None,
};

pub const FROM_ENV: Flag = Flag {
    long: "from-env",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.from_env = true),
    help: "Also take values from environment variables (they win over the files)",
    default: None,
};

pub const UPDATE: Flag = Flag {
    long: "update",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.update = true),
    help: "Set connected integrations again from the values given (rotate; never a delete)",
    default: None,
};

pub const PARTIAL: Flag = Flag {
    long: "partial",
    short: None,
    repeatable: false,
    values: Values::None,
    takes: Takes::Nothing(|args| args.partial = true),
    help: "Set what is complete and report the rest (exit 2), instead of sending nothing",
    default: None,
};

pub const MAX_AGE: Flag = Flag {
    long: "max-age",
    short: None,
    repeatable: false,
    values: Values::Text,
    takes: Takes::Value("<days>", |args, value| {
        let days = value
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_AGE_DAYS)
            .ok_or_else(|| {
                CliError::validation(format!(
                    "invalid value {} for --max-age: expected a whole number of days from 0 to {MAX_AGE_DAYS}",
                    crate::ui::sanitize::quoted_word(&value)
                ))
            })?;
        args.max_age = Some(days);
        Ok(())
    }),
    help: "A connected integration set more than this many days ago is stale (exit 2)",
    default: None,
};

/// A century: enough for any rotation policy, small enough for date sums.
pub const MAX_AGE_DAYS: u32 = 36_500;

fn bad_choice(flag: &str, value: &str, choices: &[&str], args: &LowArgs) -> CliError {
    CliError::validation(format!(
        "invalid value {} for --{flag}: expected {}; see 'codika {} --help'",
        crate::ui::sanitize::quoted_word(value),
        choices.join(" or "),
        args.command.path()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::commands::COMMANDS;

    #[test]
    fn a_switch_has_no_values_and_a_value_has_a_kind() {
        for def in COMMANDS {
            for option in def.options {
                let switch = matches!(option.flag.takes, Takes::Nothing(_));
                assert_eq!(
                    switch,
                    option.values() == Values::None,
                    "--{} of {}",
                    option.flag.long,
                    def.path()
                );
            }
        }
    }

    #[test]
    fn choices_are_spelled_as_the_types_spell_them() {
        let contexts: Vec<&str> = ContextType::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(CONTEXT_TYPES, contexts);
        assert!(LIST_CONTEXT_TYPES.iter().all(|c| contexts.contains(c)));
        let environments: Vec<&str> = Environment::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(ENVIRONMENTS, environments);
        use crate::flags::Command;
        assert_eq!(
            context_choices(Command::List),
            [ContextType::Organization, ContextType::ProcessInstance]
        );
        assert_eq!(context_choices(Command::Set), ContextType::ALL);
    }

    #[test]
    fn file_and_directory_values_are_paths_of_any_bytes() {
        for def in COMMANDS {
            for option in def.options {
                let path = matches!(option.flag.takes, Takes::Path(..));
                let file = matches!(option.values(), Values::File | Values::Directory);
                assert_eq!(path, file, "--{} of {}", option.flag.long, def.path());
            }
        }
    }

    #[test]
    fn the_repeatable_options_are_those_readme_names() {
        for def in COMMANDS {
            for option in def.options {
                let documented =
                    ["secret", "secrets-file", "metadata", "param"].contains(&option.flag.long);
                assert_eq!(option.flag.repeatable, documented, "--{}", option.flag.long);
            }
        }
    }

    #[test]
    fn short_letters_are_unique_within_a_command() {
        for def in COMMANDS {
            let mut seen: Vec<char> = vec!['h'];
            for short in def.options.iter().filter_map(|o| o.flag.short) {
                assert!(!seen.contains(&short), "-{short} twice in {}", def.path());
                seen.push(short);
            }
        }
    }
}
