/*!
[`LowArgs`]: what the user typed for one command, typed (paths, choices) but
not yet resolved against config files and the environment.
*/

use std::path::PathBuf;

use super::Command;
use crate::context::{ContextType, Environment};

/// What the user typed for one command. Not `Debug`: it holds secret values
/// and the API key, which are wiped on drop.
pub struct LowArgs {
    pub command: Command,
    /// The integration id (set, delete), credential type (schema) or profile
    /// name (use, logout).
    pub target: Option<String>,
    pub secret: Vec<String>,
    pub secrets: Option<String>,
    pub secrets_file: Vec<PathBuf>,
    pub metadata: Vec<String>,
    pub context_type: Option<ContextType>,
    pub process_instance_id: Option<String>,
    pub path: Option<PathBuf>,
    pub project_file: Option<PathBuf>,
    pub environment: Environment,
    pub custom_schema_file: Option<PathBuf>,
    pub force: bool,
    pub confirm: bool,
    /// `rerun deployment --param KEY=VALUE`, in order.
    pub param: Vec<String>,
    pub params: Option<String>,
    pub params_file: Option<PathBuf>,
    pub profile: Option<String>,
    pub api_key: Option<String>,
    /// `--api-key-file`: the API key's file (its content less one newline).
    pub api_key_file: Option<PathBuf>,
    pub api_url: Option<String>,
    pub public_key_url: Option<String>,
    pub public_key_file: Option<PathBuf>,
    /// `--ca-bundle`: CA certificates (PEM) trusted besides the built-in roots.
    pub ca_bundle: Option<PathBuf>,
    /// `login --base-url`: where the key is verified and used.
    pub base_url: Option<String>,
    /// `login --name`: the profile's name.
    pub name: Option<String>,
    pub skip_verify: bool,
    /// `--no-input`: never prompt (set, login).
    pub no_input: bool,
    pub json: bool,
    /// `-q, --quiet`: no progress or decoration.
    pub quiet: bool,
    /// `--dry-run` (set, delete): check, change nothing, print the plan.
    pub dry_run: bool,
    /// `apply --from-env`: environment variables are a source too.
    pub from_env: bool,
    /// `apply --update`: set connected integrations again.
    pub update: bool,
    /// `apply --partial`: set what is complete, report the rest.
    pub partial: bool,
    /// `check --max-age DAYS`: older connections are stale.
    pub max_age: Option<u32>,
}

impl LowArgs {
    pub(crate) fn new(command: Command) -> LowArgs {
        LowArgs {
            command,
            target: None,
            secret: Vec::new(),
            secrets: None,
            secrets_file: Vec::new(),
            api_key_file: None,
            metadata: Vec::new(),
            context_type: None,
            process_instance_id: None,
            path: None,
            project_file: None,
            environment: Environment::Dev,
            custom_schema_file: None,
            force: false,
            confirm: false,
            param: Vec::new(),
            params: None,
            params_file: None,
            profile: None,
            api_key: None,
            api_url: None,
            public_key_url: None,
            public_key_file: None,
            ca_bundle: None,
            base_url: None,
            name: None,
            skip_verify: false,
            no_input: false,
            json: false,
            quiet: false,
            dry_run: false,
            from_env: false,
            update: false,
            partial: false,
            max_age: None,
        }
    }
}

impl Drop for LowArgs {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.secret.zeroize();
        self.secrets.zeroize();
        self.api_key.zeroize();
    }
}
