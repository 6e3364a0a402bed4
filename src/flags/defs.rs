/*!
Every flag of every command, defined once: its name, value, help, default
and the commands that take it. The parser and the help text are
both generated from this table, so they cannot drift apart.
*/

use super::{Command, ContextType, Environment, LowArgs};
use crate::error::{CliError, Result};

use Command::{Delete, List, Login, Logout, Schema, Set, Use, Whoami};

pub struct FlagDef {
    pub long: &'static str,
    /// The value's name in help (`<KEY=VALUE>`); `None` for a switch.
    pub value: Option<&'static str>,
    pub help: &'static str,
    pub default: Option<&'static str>,
    pub commands: &'static [Command],
}

const ALL: &[Command] = &[Set, List, Delete, Schema, Login, Whoami, Use, Logout];
/// The commands that resolve an API key by the chain.
const KEYED: &[Command] = &[Set, List, Delete, Schema, Whoami];
const TARGETED: &[Command] = &[Set, List, Delete];

pub const FLAGS: &[FlagDef] = &[
    flag(
        "secret",
        Some("<KEY=VALUE>"),
        "Secret field (repeatable)",
        None,
        &[Set],
    ),
    flag(
        "secrets",
        Some("<json>"),
        "JSON string with all secrets",
        None,
        &[Set],
    ),
    flag(
        "secrets-file",
        Some("<path>"),
        "Path to a JSON file with secrets",
        None,
        &[Set],
    ),
    flag(
        "metadata",
        Some("<KEY=VALUE>"),
        "Metadata field (repeatable)",
        None,
        &[Set],
    ),
    flag(
        "context-type",
        Some("<type>"),
        "organization, member, or process_instance",
        Some("auto-detected"),
        &[Set, Delete],
    ),
    flag(
        "context-type",
        Some("<type>"),
        "Show only organization or process_instance integrations",
        Some("organization, member and the instance's"),
        &[List],
    ),
    flag(
        "process-instance-id",
        Some("<id>"),
        "Process instance ID",
        Some("from project.json"),
        TARGETED,
    ),
    flag(
        "path",
        Some("<path>"),
        "Path to the use case folder",
        Some("current directory"),
        TARGETED,
    ),
    flag(
        "project-file",
        Some("<path>"),
        "Custom project file, relative to --path",
        Some("project.json"),
        TARGETED,
    ),
    flag(
        "environment",
        Some("<env>"),
        "dev or prod: which instance of project.json",
        Some("dev"),
        TARGETED,
    ),
    flag(
        "custom-schema-file",
        Some("<path>"),
        "Custom integration schema JSON (cstm_*)",
        Some("the entry in the use case's config.ts"),
        &[Set],
    ),
    flag(
        "force",
        None,
        "Delete the existing integration, then create it",
        None,
        &[Set],
    ),
    flag(
        "confirm",
        None,
        "Delete without the dependency check",
        None,
        &[Delete],
    ),
    flag(
        "profile",
        Some("<name>"),
        "CLI profile to use",
        Some("active profile"),
        KEYED,
    ),
    flag(
        "api-key",
        Some("<key>"),
        "Override the API key",
        None,
        KEYED,
    ),
    flag(
        "api-key",
        Some("<key>"),
        "API key to save (else prompted on a terminal, or one line of stdin)",
        None,
        &[Login],
    ),
    flag(
        "api-url",
        Some("<url>"),
        "Platform base URL",
        Some("https://api.codika.io"),
        KEYED,
    ),
    flag(
        "base-url",
        Some("<url>"),
        "Platform base URL, saved in the profile",
        Some("CODIKA_BASE_URL, else https://api.codika.io"),
        &[Login],
    ),
    flag(
        "name",
        Some("<name>"),
        "Profile name",
        Some("the organization's profile, else derived from its name"),
        &[Login],
    ),
    flag(
        "skip-verify",
        None,
        "Save the key without asking the platform about it",
        None,
        &[Login],
    ),
    flag(
        "public-key-url",
        Some("<url>"),
        "Where to fetch the encryption public key",
        None,
        &[Set],
    ),
    flag(
        "public-key-file",
        Some("<path>"),
        "Encryption public key PEM file (nothing fetched)",
        None,
        &[Set],
    ),
    flag("json", None, "Output as JSON", None, ALL),
];

const fn flag(
    long: &'static str,
    value: Option<&'static str>,
    help: &'static str,
    default: Option<&'static str>,
    commands: &'static [Command],
) -> FlagDef {
    FlagDef {
        long,
        value,
        help,
        default,
        commands,
    }
}

pub fn find(long: &str, command: Command) -> Option<&'static FlagDef> {
    FLAGS
        .iter()
        .find(|f| f.long == long && f.commands.contains(&command))
}

/// Records one flag (with its value, when it takes one) in `args`.
pub fn apply(def: &FlagDef, value: Option<String>, args: &mut LowArgs) -> Result<()> {
    let value = value.unwrap_or_default();
    let path = || std::path::PathBuf::from(&value);
    match def.long {
        "secret" => args.secret.push(value),
        "secrets" => args.secrets = Some(value),
        "secrets-file" => args.secrets_file = Some(path()),
        "metadata" => args.metadata.push(value),
        "context-type" => args.context_type = Some(context_type(&value, args.command)?),
        "process-instance-id" => args.process_instance_id = Some(value),
        "path" => args.path = Some(path()),
        "project-file" => args.project_file = Some(path()),
        "environment" => {
            args.environment = match value.as_str() {
                "dev" => Environment::Dev,
                "prod" => Environment::Prod,
                _ => {
                    return Err(bad_choice(
                        "environment",
                        &value,
                        &["dev", "prod"],
                        args.command,
                    ));
                }
            }
        }
        "custom-schema-file" => args.custom_schema_file = Some(path()),
        "force" => args.force = true,
        "confirm" => args.confirm = true,
        "profile" => args.profile = Some(value),
        "api-key" => args.api_key = Some(value),
        "api-url" => args.api_url = Some(value),
        "public-key-url" => args.public_key_url = Some(value),
        "public-key-file" => args.public_key_file = Some(path()),
        "base-url" => args.base_url = Some(value),
        "name" => args.name = Some(value),
        "skip-verify" => args.skip_verify = true,
        "json" => args.json = true,
        _ => unreachable_flag(def.long),
    }
    Ok(())
}

fn context_type(value: &str, command: Command) -> Result<ContextType> {
    let choices: &[&str] = if command == List {
        &["organization", "process_instance"]
    } else {
        &["organization", "member", "process_instance"]
    };
    match value {
        "organization" => Ok(ContextType::Organization),
        "member" if command != List => Ok(ContextType::Member),
        "process_instance" => Ok(ContextType::ProcessInstance),
        _ => Err(bad_choice("context-type", value, choices, command)),
    }
}

fn bad_choice(flag: &str, value: &str, choices: &[&str], command: Command) -> CliError {
    CliError::validation(format!(
        "invalid value {} for --{flag}: expected {}; see 'codika {} --help'",
        super::parse::quoted_word(value),
        choices.join(" or "),
        command.path()
    ))
}

/// Every name in [`FLAGS`] is handled above; a new one must be too.
#[cold]
fn unreachable_flag(long: &str) {
    debug_assert!(false, "flag --{long} has no handler");
}
