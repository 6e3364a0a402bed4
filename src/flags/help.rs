/*! Help text, generated from the flag table. */

use super::Command;
use super::defs::FLAGS;

pub fn top() -> String {
    "\
codika — manage Codika integrations (API keys, credentials) from one small binary

Usage: codika <COMMAND>

Commands:
  integration   Set, list and delete integrations; fetch n8n credential schemas
  login         Save an API key as a profile (verified with the platform)
  whoami        Show which key, organization and profile are in use
  use           Switch the active profile, or list profiles (alias: profiles)
  logout        Remove a profile

Options:
  -h, --help      Print help (see 'codika <COMMAND> --help')
  -V, --version   Print the version

Examples:
  printf %s \"$CODIKA_KEY\" | codika login
  codika integration set openai --secret OPENAI_API_KEY=sk-proj-xxx
"
    .to_string()
}

pub fn integration() -> String {
    "\
Manage integrations of Codika organizations and process instances

Usage: codika integration <COMMAND> [OPTIONS]

Commands:
  set      Create or update an integration
  list     List integrations and their status
  delete   Delete an integration
  schema   Fetch the n8n credential schema for a credential type

Options:
  -h, --help   Print help (see 'codika integration <COMMAND> --help')

The API key comes from --api-key, --profile, CODIKA_API_KEY, the profile of
project.json's organization, or the active profile of 'codika login'.

Exit codes: 0 success, 1 API or network error, 2 validation error.

Example:
  codika integration list --json
"
    .to_string()
}

pub fn command(command: Command) -> String {
    let (about, usage, argument, examples) = match command {
        Command::Set => (
            "Create or update an integration: secrets are encrypted on this machine, one\nenvelope per field, and sent to the platform",
            "codika integration set <integrationId> [OPTIONS]",
            Some((
                "<integrationId>",
                "Integration ID (e.g. openai, supabase, cstm_acme_crm)",
            )),
            "  codika integration set openai --secret OPENAI_API_KEY=sk-proj-xxx\n  codika integration set anthropic --secrets '{\"ANTHROPIC_API_KEY\":\"sk-ant-xxx\"}' --json\n\nSecrets merge with this priority (highest wins): --secret, --secrets, --secrets-file.",
        ),
        Command::List => (
            "List integrations and their connection status",
            "codika integration list [OPTIONS]",
            None,
            "  codika integration list\n  codika integration list --context-type process_instance --path ./my-use-case",
        ),
        Command::Delete => (
            "Delete an integration. Without --confirm, shows the process instances that\nwould be deactivated and deletes nothing",
            "codika integration delete <integrationId> [OPTIONS]",
            Some(("<integrationId>", "Integration ID to delete")),
            "  codika integration delete openai\n  codika integration delete openai --confirm",
        ),
        Command::Schema => (
            "Fetch the n8n credential schema for a credential type",
            "codika integration schema <credentialType> [OPTIONS]",
            Some((
                "<credentialType>",
                "n8n credential type (e.g. twilioApi, openAiApi, httpHeaderAuth)",
            )),
            "  codika integration schema twilioApi\n  codika integration schema openAiApi --json",
        ),
        Command::Login => (
            "Save an API key as a profile in the config file and make it the active one.\nThe platform is asked about the key first (POST /verifyapikey) unless\n--skip-verify; a refused key saves nothing",
            "codika login [OPTIONS]",
            None,
            "  printf %s \"$CODIKA_KEY\" | codika login\n  codika login --base-url http://127.0.0.1:8787 --name local\n\nThe key is read from --api-key, else a prompt on a terminal (not echoed),\nelse one line of stdin. The profile is named --name, else after the\nexisting profile of the same organization (replaced), else after the\norganization (acme-corp, acme-corp-2, ...).",
        ),
        Command::Whoami => (
            "Show the organization, key (masked), scopes, expiry and profile of the API key\nthe other commands would use, and where it came from. When the platform\ncannot be reached, shows the profile's saved data",
            "codika whoami [OPTIONS]",
            None,
            "  codika whoami\n  codika whoami --profile acme --json\n\nExit codes: 0 known key, 1 not logged in, refused key or network error,\n2 unknown profile or option.",
        ),
        Command::Use => (
            "Switch the active profile, or list the profiles (the active one marked)",
            "codika use [NAME] [OPTIONS]   (alias: codika profiles)",
            Some(("[NAME]", "Profile to make active")),
            "  codika use\n  codika use acme-corp",
        ),
        Command::Logout => (
            "Remove a profile: the named one, or the active one. The first remaining\nprofile becomes active when the active one is removed",
            "codika logout [NAME] [OPTIONS]",
            Some(("[NAME]", "Profile to remove (default: the active one)")),
            "  codika logout\n  codika logout acme-corp",
        ),
    };
    let mut text = format!("{about}\n\nUsage: {usage}\n");
    if let Some((name, help)) = argument {
        text.push_str(&format!("\nArguments:\n  {name:<32}{help}\n"));
    }
    text.push_str("\nOptions:\n");
    for flag in FLAGS.iter().filter(|f| f.commands.contains(&command)) {
        let left = match flag.value {
            Some(value) => format!("--{} {value}", flag.long),
            None => format!("--{}", flag.long),
        };
        let default = flag
            .default
            .map(|d| format!(" [default: {d}]"))
            .unwrap_or_default();
        text.push_str(&format!("      {left:<28}{}{default}\n", flag.help));
    }
    text.push_str(&format!("  -h, {:<28}Print help\n", "--help"));
    text.push_str(&format!("\nExamples:\n{examples}\n"));
    text
}
