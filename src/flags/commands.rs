/*!
Every command, defined once: how it is typed, its argument, the flags it
takes (with wording of its own where a flag means something particular to
it), its one-line and long help and its examples. The parser, the help text
and everything else generated about commands read this table.
*/

use super::Command;
use super::defs::{self, Flag, Values};

pub struct CommandDef {
    pub command: Command,
    pub name: &'static str,
    /// Typed after `codika integration`, or after `codika` alone.
    pub group: Group,
    pub aliases: &'static [&'static str],
    pub argument: Option<Argument>,
    pub options: &'static [Opt],
    /// One line, in the lists of `codika --help` and `codika integration --help`.
    pub summary: &'static str,
    /// The first paragraph of the command's `--help`.
    pub about: &'static str,
    /// The end of `--help`: examples, then notes.
    pub examples: &'static str,
    /// Why a stray word is refused (it is never echoed).
    pub stray_word: &'static str,
    /// Reads the use case's project.json (`--path`, else the current folder).
    pub reads_project: bool,
    /// Resolves an API key by the chain (`--api-key`, `--profile`, ...).
    pub uses_key: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
    Integration,
    /// `codika rerun deployment`.
    Rerun,
    /// `codika instance activate|deactivate`.
    Instance,
    TopLevel,
}

/// The groups typed as a word before their commands, with their one line in
/// `codika --help`.
pub const GROUPS: &[(Group, &str, &str)] = &[
    (
        Group::Integration,
        "integration",
        super::help::INTEGRATION_SUMMARY,
    ),
    (
        Group::Rerun,
        "rerun",
        "Rerun a deployment with refreshed credentials and parameter overrides",
    ),
    (
        Group::Instance,
        "instance",
        "Activate or deactivate (pause) a process instance",
    ),
];

impl Group {
    /// The word typed before its commands (`integration`); none at top level.
    pub fn word(self) -> Option<&'static str> {
        GROUPS.iter().find(|g| g.0 == self).map(|g| g.1)
    }

    pub fn summary(self) -> &'static str {
        GROUPS.iter().find(|g| g.0 == self).map_or("", |g| g.2)
    }

    /// The group typed as `word`.
    pub fn named(word: &str) -> Option<Group> {
        GROUPS.iter().find(|g| g.1 == word).map(|g| g.0)
    }
}

pub struct Argument {
    /// `<integrationId>` (required) or `[NAME]` (optional).
    pub name: &'static str,
    pub help: &'static str,
    /// What is typed there, for completion.
    pub values: Values,
}

/// A flag as one command takes it: its own help, default or choices, where
/// given.
pub struct Opt {
    pub flag: &'static Flag,
    pub help: Option<&'static str>,
    pub default: Option<&'static str>,
    pub values: Option<Values>,
}

impl Opt {
    pub fn help(&self) -> &'static str {
        self.help.unwrap_or(self.flag.help)
    }

    pub fn default(&self) -> Option<&'static str> {
        self.default.or(self.flag.default)
    }

    pub fn values(&self) -> Values {
        self.values.unwrap_or(self.flag.values)
    }
}

const fn opt(flag: &'static Flag) -> Opt {
    Opt {
        flag,
        help: None,
        default: None,
        values: None,
    }
}

/// A flag with this command's own help.
const fn opt_help(flag: &'static Flag, help: &'static str) -> Opt {
    Opt {
        flag,
        help: Some(help),
        default: None,
        values: None,
    }
}

/// `--quiet` of a command that acts: silent on success.
const QUIET_ACTION: Opt = opt_help(
    &defs::QUIET,
    "Print nothing on success; warnings and errors still go to stderr",
);

const SET_EXAMPLES: &str = "  \
  # From the environment variable of the same name (as docker run -e NAME)
  codika integration set openai --secret OPENAI_API_KEY
  # From a dotenv or JSON file; - reads it from stdin
  codika integration set supabase --secrets-file .env --path ./my-use-case
  # From stdin: all of it, less one trailing newline
  printf %s \"$KEY\" | codika integration set openai --secret OPENAI_API_KEY=-
  # On a terminal, with no secret given: asks for each required field, no echo
  codika integration set openai
  # On the command line, which any local user can read while it runs
  codika integration set openai --secret OPENAI_API_KEY=sk-proj-xxx
  codika integration set anthropic --secrets '{\"ANTHROPIC_API_KEY\":\"sk-ant-xxx\"}' --json

Secrets merge with this priority (highest wins): --secret, --secrets,
--secrets-file. A dotenv file has KEY=VALUE lines, # comments, 'literal' and
\"escaped\" values (\\n \\r \\\" \\\\, over several lines); $VAR is never
expanded; what godotenv and compose read differently (a lone CR, \\t) is
refused. Empty values are refused. --no-input (or CODIKA_NO_INPUT=1) never
asks: what a prompt would ask for is then an error saying what to pass.";

const APPLY_EXAMPLES: &str = "  \
  # Every integration config.ts declares and the platform lacks, from one file
  codika integration apply --path ./my-use-case --secrets-file .env
  # Several files (a later one wins), then the environment (which wins over them)
  codika integration apply --secrets-file base.env --secrets-file prod.env --from-env --environment prod
  # JSON on stdin; see what would happen first
  vault kv get -format=json -field=data secret/acme | codika integration apply --secrets-file - --dry-run
  # Rotate: set the connected ones again too
  codika integration apply --secrets-file .env --update

A field F of integration I is read from the key I__F (I upper-cased:
CSTM_ACME_CRM__API_KEY), else from the plain key F. A plain key that two
integrations being set both need is refused: use the prefixed forms. Keys no
declared integration uses are warned about. Everything is checked before
anything is sent; on a terminal, missing values are asked for (not with
--no-input). Exit codes: 0 every declared integration connected in its
context, 1 a request failed, 2 a validation error or something left not ready
(OAuth, unknown, incomplete with --partial).";

const OPTION_SEPARATED: &str = "options take the form --secret KEY=VALUE";

const RERUN_EXAMPLES: &str = "  \
  codika rerun deployment --path ./my-use-case --force
  codika rerun deployment --process-instance-id pi_abc123 --param LANGUAGE=fr --json
  codika rerun deployment --path ./my-use-case --params-file params.json --params '{\"A\":1}'

Parameters merge with this priority (highest wins): --param, --params,
--params-file; none given: the deployment keeps its parameters. The instance
is --process-instance-id, else project.json's devProcessInstanceId
(prodProcessInstanceId with --environment prod).
Exit codes: 0 deployed, 1 the rerun failed (or an API or network error),
2 no instance, bad parameters or a bad option.";

const INSTANCE_ARGUMENT: Argument = Argument {
    name: "[processInstanceId]",
    help: "Process instance ID (default: from project.json)",
    values: Values::Text,
};

const INSTANCE_OPTIONS: &[Opt] = &[
    opt(&defs::PATH),
    opt(&defs::PROJECT_FILE),
    opt(&defs::ENVIRONMENT),
    opt_help(
        &defs::DRY_RUN,
        "Check the instance; send nothing, print the plan",
    ),
    opt(&defs::PROFILE),
    opt(&defs::API_KEY),
    opt(&defs::API_URL),
    opt(&defs::CA_BUNDLE),
    QUIET_ACTION,
    opt(&defs::JSON),
];

pub const COMMANDS: &[CommandDef] = &[
    CommandDef {
        command: Command::Set,
        name: "set",
        group: Group::Integration,
        aliases: &[],
        argument: Some(Argument {
            name: "<integrationId>",
            help: "Integration ID (e.g. openai, supabase, cstm_acme_crm)",
            values: Values::SettableIntegration,
        }),
        options: &[
            opt(&defs::SECRET),
            opt(&defs::SECRETS),
            opt(&defs::SECRETS_FILE),
            opt(&defs::METADATA),
            opt(&defs::CONTEXT_TYPE),
            opt(&defs::PROCESS_INSTANCE_ID),
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::CUSTOM_SCHEMA_FILE),
            opt(&defs::FORCE),
            opt_help(
                &defs::DRY_RUN,
                "Check everything and encrypt; send nothing that changes state, print the plan",
            ),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::PUBLIC_KEY_URL),
            opt(&defs::PUBLIC_KEY_FILE),
            opt(&defs::NO_INPUT),
            QUIET_ACTION,
            opt(&defs::JSON),
        ],
        summary: "Create or update an integration",
        about: "Create or update an integration: secrets are encrypted on this machine, one\nenvelope per field, and sent to the platform",
        examples: SET_EXAMPLES,
        stray_word: OPTION_SEPARATED,
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::List,
        name: "list",
        group: Group::Integration,
        aliases: &[],
        argument: None,
        options: &[
            Opt {
                flag: &defs::CONTEXT_TYPE,
                help: Some("Show only organization or process_instance integrations"),
                default: Some("organization, member and the instance's"),
                values: Some(Values::Choices(defs::LIST_CONTEXT_TYPES)),
            },
            opt(&defs::PROCESS_INSTANCE_ID),
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::QUIET),
            opt(&defs::JSON),
        ],
        summary: "List integrations and their status",
        about: "List integrations and their connection status",
        examples: "  codika integration list\n  codika integration list --context-type process_instance --path ./my-use-case",
        stray_word: OPTION_SEPARATED,
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::Delete,
        name: "delete",
        group: Group::Integration,
        aliases: &[],
        argument: Some(Argument {
            name: "<integrationId>",
            help: "Integration ID to delete",
            values: Values::Integration,
        }),
        options: &[
            opt(&defs::CONTEXT_TYPE),
            opt(&defs::PROCESS_INSTANCE_ID),
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::CONFIRM),
            opt_help(
                &defs::DRY_RUN,
                "Check everything and list what depends on it; delete nothing, print the plan",
            ),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            QUIET_ACTION,
            opt(&defs::JSON),
        ],
        summary: "Delete an integration",
        about: "Delete an integration. Without --confirm, shows the process instances that\nwould be deactivated and deletes nothing",
        examples: "  codika integration delete openai\n  codika integration delete openai --confirm",
        stray_word: OPTION_SEPARATED,
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::Schema,
        name: "schema",
        group: Group::Integration,
        aliases: &[],
        argument: Some(Argument {
            name: "<credentialType>",
            help: "n8n credential type (e.g. twilioApi, openAiApi, httpHeaderAuth)",
            values: Values::Text,
        }),
        options: &[
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::QUIET),
            opt(&defs::JSON),
        ],
        summary: "Fetch the n8n credential schema for a credential type",
        about: "Fetch the n8n credential schema for a credential type",
        examples: "  codika integration schema twilioApi\n  codika integration schema openAiApi --json",
        stray_word: OPTION_SEPARATED,
        reads_project: false,
        uses_key: true,
    },
    CommandDef {
        command: Command::Check,
        name: "check",
        group: Group::Integration,
        aliases: &[],
        argument: None,
        options: &[
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::PROCESS_INSTANCE_ID),
            opt(&defs::MAX_AGE),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::QUIET),
            opt(&defs::JSON),
        ],
        summary: "Check that a use case has every integration its config.ts declares",
        about: "Check that a use case has every integration its config.ts declares: the\nintegrationUids at its top level and in each workflow, each compared with\nwhat the platform lists as connected in its context (the registry's, or a\ncstm_* schema's contextType). Prints the command that fixes each missing one",
        examples: "  codika integration check --path ./my-use-case\n  codika integration check --path ./my-use-case --environment prod --json\n  codika integration check --max-age 90   # rotation policy: older keys are stale\n\nA fix's --secret KEY reads the value from the environment variable KEY.\nExit codes: 0 every integration connected in its context, 1 API or network\nerror, 2 one missing, connected elsewhere only, OAuth not connected, unknown,\nstale (--max-age: connected more than DAYS days ago, or when is not known),\nor a value of config.ts that cannot be read (no config.ts: 2 too).",
        stray_word: OPTION_SEPARATED,
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::Apply,
        name: "apply",
        group: Group::Integration,
        aliases: &[],
        argument: None,
        options: &[
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::PROCESS_INSTANCE_ID),
            opt_help(
                &defs::SECRETS_FILE,
                "Dotenv or JSON file of values; - reads stdin (repeatable: a later file wins)",
            ),
            opt(&defs::FROM_ENV),
            opt(&defs::UPDATE),
            opt(&defs::PARTIAL),
            opt_help(
                &defs::DRY_RUN,
                "Check everything, fetch the key and encrypt; set nothing, print the plan",
            ),
            opt(&defs::NO_INPUT),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::PUBLIC_KEY_URL),
            opt(&defs::PUBLIC_KEY_FILE),
            QUIET_ACTION,
            opt(&defs::JSON),
        ],
        summary: "Set every integration a use case's config.ts declares, from secrets files",
        about: "Make a use case ready in one run: the integrations config.ts declares (as\ncheck reads them) that are not connected in their context are set from the\nvalues of the secrets files (and the environment with --from-env); connected\nones are left alone unless --update. Prints what happened to each",
        examples: APPLY_EXAMPLES,
        stray_word: OPTION_SEPARATED,
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::RerunDeployment,
        name: "deployment",
        group: Group::Rerun,
        aliases: &[],
        argument: None,
        options: &[
            opt(&defs::PROCESS_INSTANCE_ID),
            opt(&defs::PATH),
            opt(&defs::PROJECT_FILE),
            opt(&defs::ENVIRONMENT),
            opt(&defs::PARAM),
            opt(&defs::PARAMS),
            opt(&defs::PARAMS_FILE),
            opt_help(
                &defs::FORCE,
                "Rerun even if the deployment is not in the failed state",
            ),
            opt_help(
                &defs::DRY_RUN,
                "Check the instance and parameters; send nothing, print the plan",
            ),
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            QUIET_ACTION,
            opt(&defs::JSON),
        ],
        summary: "Rerun a deployment with refreshed credentials and parameter overrides",
        about: "Rerun a process instance's deployment, so that its workflows pick up the\ncredentials set since (or rotated), with optional parameter overrides. Local\ncode changes are not uploaded",
        examples: RERUN_EXAMPLES,
        stray_word: "it takes no argument (the instance is --process-instance-id ID)",
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::InstanceActivate,
        name: "activate",
        group: Group::Instance,
        aliases: &[],
        argument: Some(INSTANCE_ARGUMENT),
        options: INSTANCE_OPTIONS,
        summary: "Activate a paused process instance",
        about: "Activate a paused process instance: its workflows run again",
        examples: "  codika instance activate pi_abc123\n  codika instance activate --path ./my-use-case --environment prod --json\n\nThe instance is the argument, else project.json's devProcessInstanceId\n(prodProcessInstanceId with --environment prod).\nExit codes: 0 activated, 1 API or network error, 2 no instance or a bad option.",
        stray_word: "it takes one process instance id",
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::InstanceDeactivate,
        name: "deactivate",
        group: Group::Instance,
        aliases: &[],
        argument: Some(INSTANCE_ARGUMENT),
        options: INSTANCE_OPTIONS,
        summary: "Deactivate (pause) a process instance",
        about: "Deactivate (pause) a process instance: its workflows stop until it is\nactivated again",
        examples: "  codika instance deactivate pi_abc123\n  codika instance deactivate --path ./my-use-case --json\n\nThe instance is the argument, else project.json's devProcessInstanceId\n(prodProcessInstanceId with --environment prod).\nExit codes: 0 deactivated, 1 API or network error, 2 no instance or a bad option.",
        stray_word: "it takes one process instance id",
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::Login,
        name: "login",
        group: Group::TopLevel,
        aliases: &[],
        argument: None,
        options: &[
            Opt {
                flag: &defs::API_KEY,
                help: Some("API key to save (else prompted on a terminal, or one line of stdin)"),
                default: None,
                values: None,
            },
            opt(&defs::API_KEY_FILE),
            opt(&defs::BASE_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::NAME),
            opt(&defs::SKIP_VERIFY),
            opt(&defs::NO_INPUT),
            QUIET_ACTION,
            opt(&defs::JSON),
        ],
        summary: "Save an API key as a profile (verified with the platform)",
        about: "Save an API key as a profile in the config file and make it the active one.\nThe platform is asked about the key first (POST /verifyapikey) unless\n--skip-verify; a refused key saves nothing",
        examples: "  printf %s \"$CODIKA_KEY\" | codika login\n  codika login --base-url http://127.0.0.1:8787 --name local\n\nThe key is read from --api-key, else a prompt on a terminal (not echoed),\nelse one line of stdin. The profile is named --name, else after the\nexisting profile of the same organization (replaced), else after the\norganization (acme-corp, acme-corp-2, ...).",
        stray_word: "pass the key with --api-key KEY, or on stdin: printf %s \"$KEY\" | codika login",
        reads_project: false,
        uses_key: false,
    },
    CommandDef {
        command: Command::Whoami,
        name: "whoami",
        group: Group::TopLevel,
        aliases: &[],
        argument: None,
        options: &[
            opt(&defs::PROFILE),
            opt(&defs::API_KEY),
            opt(&defs::API_KEY_FILE),
            opt(&defs::API_URL),
            opt(&defs::CA_BUNDLE),
            opt(&defs::QUIET),
            opt(&defs::JSON),
        ],
        summary: "Show which key, organization and profile are in use",
        about: "Show the organization, key (masked), scopes, expiry and profile of the API key\nthe other commands would use, and where it came from. When the platform\ncannot be reached, shows the profile's saved data",
        examples: "  codika whoami\n  codika whoami --profile acme --json\n\nExit codes: 0 known key, 1 not logged in, refused key or network error,\n2 unknown profile or option.",
        stray_word: "whoami takes no argument (a profile is --profile NAME)",
        reads_project: true,
        uses_key: true,
    },
    CommandDef {
        command: Command::Use,
        name: "use",
        group: Group::TopLevel,
        aliases: &["profiles"],
        argument: Some(Argument {
            name: "[NAME]",
            help: "Profile to make active",
            values: Values::Profile,
        }),
        options: &[
            opt_help(
                &defs::QUIET,
                "Print nothing when switching; the list is printed as usual",
            ),
            opt(&defs::JSON),
        ],
        summary: "Switch the active profile, or list profiles (alias: profiles)",
        about: "Switch the active profile, or list the profiles (the active one marked)",
        examples: "  codika use\n  codika use acme-corp",
        stray_word: "it takes one profile name at most",
        reads_project: false,
        uses_key: false,
    },
    CommandDef {
        command: Command::Logout,
        name: "logout",
        group: Group::TopLevel,
        aliases: &[],
        argument: Some(Argument {
            name: "[NAME]",
            help: "Profile to remove (default: the active one)",
            values: Values::Profile,
        }),
        options: &[QUIET_ACTION, opt(&defs::JSON)],
        summary: "Remove a profile",
        about: "Remove a profile: the named one, or the active one. The first remaining\nprofile becomes active when the active one is removed",
        examples: "  codika logout\n  codika logout acme-corp",
        stray_word: "it takes one profile name at most",
        reads_project: false,
        uses_key: false,
    },
    CommandDef {
        command: Command::Completion,
        name: "completion",
        group: Group::TopLevel,
        aliases: &[],
        argument: Some(Argument {
            name: "<shell>",
            help: "bash, zsh or fish",
            values: Values::Choices(SHELLS),
        }),
        options: &[opt(&defs::QUIET)],
        summary: "Print a completion script for bash, zsh or fish",
        about: "Print a completion script for bash, zsh or fish on stdout: commands,\noptions, their values, profile names and integration ids",
        examples: COMPLETION_EXAMPLES,
        stray_word: "it takes one shell: bash, zsh or fish",
        reads_project: false,
        uses_key: false,
    },
    CommandDef {
        command: Command::Man,
        name: "man",
        group: Group::TopLevel,
        aliases: &[],
        argument: None,
        options: &[opt(&defs::QUIET)],
        summary: "Print the codika(1) manual page (roff)",
        about: "Print the codika(1) manual page, as roff, on stdout",
        examples: "  man -l <(codika man)\n  mkdir -p ~/.local/share/man/man1 && codika man > ~/.local/share/man/man1/codika.1\n\nman finds ~/.local/share/man when ~/.local/bin is on PATH (else add it to\nMANPATH); for every user, write /usr/local/share/man/man1/codika.1.",
        stray_word: "it takes no argument",
        reads_project: false,
        uses_key: false,
    },
    CommandDef {
        command: Command::Help,
        name: "help",
        group: Group::TopLevel,
        aliases: &[],
        argument: Some(Argument {
            name: "[COMMAND]...",
            help: "A command, as typed after codika (e.g. integration set)",
            values: Values::Command,
        }),
        options: &[opt(&defs::QUIET)],
        summary: "Show the help of a command (as --help does)",
        about: "Show the help of a command: the same text as its --help",
        examples: "  codika help integration set\n  codika help login",
        stray_word: "it takes a command, as typed after codika",
        reads_project: false,
        uses_key: false,
    },
];

/// The shells `codika completion` writes for.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish"];

const COMPLETION_EXAMPLES: &str = "  \
  # bash (bash-completion 2 loads it from there; without it, add the source line to ~/.bashrc)
  codika completion bash > ~/.local/share/bash-completion/completions/codika
  source <(codika completion bash)
  # zsh, with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
  mkdir -p ~/.zfunc && codika completion zsh > ~/.zfunc/_codika
  # fish
  codika completion fish > ~/.config/fish/completions/codika.fish

Profile names are read from the config file when completing (by the hidden
'codika __complete profiles'), never API keys; on any error nothing is offered.";

/// The command typed as `name` (or an alias) in `group`.
pub fn find(group: Group, name: &str) -> Option<&'static CommandDef> {
    COMMANDS
        .iter()
        .find(|c| c.group == group && (c.name == name || c.aliases.contains(&name)))
}

impl CommandDef {
    /// How the user types it after `codika`: `integration set`, `login`.
    pub fn path(&self) -> String {
        match self.group.word() {
            Some(word) => format!("{word} {}", self.name),
            None => self.name.to_string(),
        }
    }

    /// The option `--long` of this command.
    pub fn option(&self, long: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.flag.long == long)
    }

    /// The option `-c` of this command.
    pub fn short_option(&self, c: char) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.flag.short == Some(c))
    }
}

impl Command {
    pub fn def(self) -> &'static CommandDef {
        COMMANDS
            .iter()
            .find(|c| c.command == self)
            .unwrap_or(&COMMANDS[0])
    }

    /// How the user types it after `codika`: `integration set`, `login`.
    pub fn path(self) -> String {
        self.def().path()
    }
}
