/*!
From what the user typed ([`LowArgs`]) to what a command acts on
([`Common`]), decided once per run: the use case folder and its project.json,
the config file, the API key with where it came from and the profile it came
from, the base URL that goes with that key, the public key's source, the
context flags and the process instance. Commands take the result; nothing
after this looks at `LowArgs` or reads project.json or the config again
(only a locked change of the config re-reads it, under the lock).
*/

use std::path::PathBuf;
use zeroize::Zeroizing;

use crate::config::{self, Config, Profile};
use crate::context::{ContextType, Environment};
use crate::env;
use crate::error::{CliError, Result};
use crate::flags::{Command, LowArgs};
use crate::platform::client::Client;
use crate::platform::url::redacted;
use crate::project;
use crate::secrets::SecretArgs;
use codika_common::registry;

pub const DEFAULT_BASE_URL: &str = "https://api.codika.io";
pub const DEFAULT_PUBLIC_KEY_URL: &str = "https://app.codika.io/encryption/public.pem";

/// Where the API key came from, for messages (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Flag,
    /// `--api-key-file`, with the file's name.
    FlagFile(String),
    NamedProfile(String),
    Environment,
    /// `CODIKA_API_KEY_FILE`, with the file's name.
    EnvironmentFile(String),
    ProjectProfile(String),
    ActiveProfile(String),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Flag => write!(f, "--api-key"),
            KeySource::NamedProfile(name) => write!(f, "profile '{name}' (--profile)"),
            KeySource::Environment => write!(f, "CODIKA_API_KEY"),
            KeySource::FlagFile(path) => write!(f, "--api-key-file {path}"),
            KeySource::EnvironmentFile(path) => write!(f, "CODIKA_API_KEY_FILE ({path})"),
            KeySource::ProjectProfile(name) => {
                write!(f, "profile '{name}' (project.json's organization)")
            }
            KeySource::ActiveProfile(name) => write!(f, "the active profile '{name}'"),
        }
    }
}

/// The API key of this run, where it came from, and the profile it came
/// from (what it saved at login), if it came from one.
pub struct Key {
    pub api_key: Zeroizing<String>,
    pub source: KeySource,
    pub profile: Option<Profile>,
}

/// The platform this run talks to: the key, its base URL, and where the
/// encryption key comes from.
pub struct Platform {
    pub key: Key,
    pub base_url: String,
    pub public_key: PublicKeySource,
    /// `--ca-bundle`: CA certificates trusted besides the built-in roots.
    pub ca_bundle: Option<PathBuf>,
}

impl Platform {
    /// Whether the public key is fetched from another host than the API's
    /// (the live platform's dashboard): then the two connections can be
    /// opened at the same time.
    pub fn key_from_another_host(&self) -> bool {
        use crate::platform::url::origin;
        match &self.public_key {
            PublicKeySource::Url(url) => origin(url) != origin(&self.base_url),
            PublicKeySource::File(_) => false,
        }
    }

    /// The API client for this key at this base URL.
    pub fn client(&self) -> Result<Client> {
        Client::new(
            &self.base_url,
            &self.key.api_key,
            &self.key.source.to_string(),
            self.ca_bundle.as_deref(),
        )
    }
}

pub enum PublicKeySource {
    File(PathBuf),
    Url(String),
}

/// The integration's context and, for `process_instance`, its instance.
pub struct Target {
    pub context: ContextType,
    pub instance: Option<String>,
}

/// What `login` was given: its key (if on the command line), profile name,
/// and the base URL it verifies at and saves.
pub struct LoginArgs {
    pub api_key: Option<Zeroizing<String>>,
    pub name: Option<String>,
    pub skip_verify: bool,
    pub base_url: String,
    pub ca_bundle: Option<PathBuf>,
}

/// Options as the user typed them, to repeat them in a command we print
/// (a pending delete's confirmation); never the API key.
#[derive(Default)]
pub struct Typed {
    pub context_type: Option<ContextType>,
    pub process_instance_id: Option<String>,
    pub path: Option<PathBuf>,
    pub project_file: Option<PathBuf>,
    pub profile: Option<String>,
    pub api_url: Option<String>,
    pub ca_bundle: Option<PathBuf>,
    /// `--api-key-file`: a file name, fine to repeat in a printed command.
    pub api_key_file: Option<PathBuf>,
}

/// One run: what every command shares, and what this command alone takes.
pub struct Invocation {
    pub common: Common,
    pub cmd: Cmd,
}

/// Each command with its own arguments: a command cannot be run without
/// what it needs (`login` without its options, `set` without its id).
pub enum Cmd {
    Set(SetArgs),
    List,
    Delete(DeleteArgs),
    Schema(SchemaArgs),
    Check(CheckArgs),
    Apply(ApplyArgs),
    Login(LoginArgs),
    Whoami,
    Use(ProfileArgs),
    Logout(ProfileArgs),
    Rerun(RerunArgs),
    /// `instance activate` and `instance deactivate`.
    Instance(InstanceArgs),
    /// `completion`, `man`, `help`: printed by the parser, never run.
    Printed,
}

/// `codika integration set <integrationId>`.
pub struct SetArgs {
    /// As typed: checked by the command, which must never echo it.
    pub integration_id: String,
    pub secrets: SecretArgs,
    /// Each `--metadata KEY=VALUE`, as typed.
    pub metadata: Vec<String>,
    pub custom_schema_file: Option<PathBuf>,
    pub force: bool,
    /// `--dry-run`: check, send nothing that changes state.
    pub dry_run: bool,
}

/// `codika integration delete <integrationId>`.
pub struct DeleteArgs {
    pub integration_id: String,
    pub confirm: bool,
    /// `--dry-run`: only the unconfirmed request, then the plan.
    pub dry_run: bool,
}

/// `codika integration schema <credentialType>`.
pub struct SchemaArgs {
    pub credential_type: String,
}

/// `codika integration check`.
pub struct CheckArgs {
    /// `--max-age DAYS`: connections older than this are stale.
    pub max_age: Option<u32>,
}

/// `codika integration apply`: where its values come from, what it may do.
pub struct ApplyArgs {
    /// Every `--secrets-file`, in order: a later one wins.
    pub secrets_files: Vec<PathBuf>,
    pub from_env: bool,
    pub update: bool,
    pub partial: bool,
    pub dry_run: bool,
}

/// `codika rerun deployment`.
pub struct RerunArgs {
    pub params: ParamArgs,
    /// `--force`: rerun a deployment that did not fail.
    pub force: bool,
    pub dry_run: bool,
}

/// `rerun deployment`'s parameter sources, as typed (merged by the command).
pub struct ParamArgs {
    pub param: Vec<String>,
    pub params: Option<String>,
    pub params_file: Option<PathBuf>,
}

/// `codika instance activate|deactivate [ID]`.
pub struct InstanceArgs {
    /// The argument; else the instance of the use case.
    pub instance: Option<String>,
    /// Activate, else deactivate.
    pub active: bool,
    pub dry_run: bool,
}

/// `codika use [NAME]` and `codika logout [NAME]`.
pub struct ProfileArgs {
    pub name: Option<String>,
}

/// What every command shares, resolved.
pub struct Common {
    pub command: Command,
    /// `--no-input`: never prompt (as `CODIKA_NO_INPUT=1`).
    pub no_input: bool,
    /// `--path`, default the current directory: where project.json and
    /// config.ts are read.
    pub use_case: PathBuf,
    /// The config file as read (the key's profile moved into its [`Key`]).
    pub config: Option<Config>,
    /// The organization of project.json, sent with requests when known.
    pub organization_id: Option<String>,
    pub environment: Environment,
    /// `--process-instance-id`, else project.json's for the environment.
    pub instance: Option<String>,
    pub typed: Typed,
    /// Resolved for the commands that use a key; an error there is kept
    /// until the command asks (an OAuth integration is refused first).
    platform: Result<Option<Platform>>,
}

impl Invocation {
    /// Resolves what the user typed; then the command's own arguments,
    /// its required positional argument included.
    pub fn new(mut low: LowArgs) -> Result<Invocation> {
        let common = Common::new(&mut low)?;
        let target = low.target.take();
        let command = low.command;
        let required = |name: &str| -> Result<String> {
            target.clone().filter(|t| !t.is_empty()).ok_or_else(|| {
                CliError::validation(format!(
                    "missing <{name}>; usage: codika {} <{name}> [OPTIONS]",
                    command.path()
                ))
            })
        };
        let cmd = match low.command {
            Command::Set => Cmd::Set(SetArgs {
                integration_id: required("integrationId")?,
                secrets: SecretArgs {
                    secret: std::mem::take(&mut low.secret),
                    secrets: low.secrets.take(),
                    secrets_file: std::mem::take(&mut low.secrets_file),
                },
                metadata: std::mem::take(&mut low.metadata),
                custom_schema_file: low.custom_schema_file.take(),
                force: low.force,
                dry_run: low.dry_run,
            }),
            Command::Delete => Cmd::Delete(DeleteArgs {
                integration_id: required("integrationId")?,
                confirm: low.confirm,
                dry_run: low.dry_run,
            }),
            Command::Schema => Cmd::Schema(SchemaArgs {
                credential_type: required("credentialType")?,
            }),
            Command::List => Cmd::List,
            Command::Check => Cmd::Check(CheckArgs {
                max_age: low.max_age,
            }),
            Command::Apply => Cmd::Apply(ApplyArgs {
                secrets_files: std::mem::take(&mut low.secrets_file),
                from_env: low.from_env,
                update: low.update,
                partial: low.partial,
                dry_run: low.dry_run,
            }),
            Command::Login => Cmd::Login(LoginArgs {
                api_key: match (low.api_key.take(), &low.api_key_file) {
                    (Some(_), Some(_)) => return Err(both_key_flags()),
                    (Some(key), None) => Some(Zeroizing::new(key)),
                    (None, Some(path)) => Some(key_file(path, "--api-key-file")?),
                    (None, None) => None,
                },
                name: low.name.take(),
                skip_verify: low.skip_verify,
                base_url: base_url(low.base_url.as_deref().map(|u| (u, "--base-url")), None)?,
                ca_bundle: low.ca_bundle.take(),
            }),
            Command::Whoami => Cmd::Whoami,
            Command::Use => Cmd::Use(ProfileArgs {
                name: target.clone(),
            }),
            Command::Logout => Cmd::Logout(ProfileArgs {
                name: target.clone(),
            }),
            Command::RerunDeployment => Cmd::Rerun(RerunArgs {
                params: ParamArgs {
                    param: std::mem::take(&mut low.param),
                    params: low.params.take(),
                    params_file: low.params_file.take(),
                },
                force: low.force,
                dry_run: low.dry_run,
            }),
            Command::InstanceActivate | Command::InstanceDeactivate => {
                Cmd::Instance(InstanceArgs {
                    instance: target.clone().filter(|t| !t.is_empty()),
                    active: command == Command::InstanceActivate,
                    dry_run: low.dry_run,
                })
            }
            Command::Completion | Command::Man | Command::Help => Cmd::Printed,
        };
        Ok(Invocation { common, cmd })
    }
}

impl Common {
    fn new(low: &mut LowArgs) -> Result<Common> {
        let def = low.command.def();
        // Every variable this command reads, before anything is read or sent.
        check_environment(low.command)?;
        let use_case = use_case_dir(low.path.as_ref())?;
        let project = if def.reads_project {
            project::load(&use_case, low.project_file.as_deref())?
        } else {
            None
        };
        let mut config = config::load()?;
        let organization_id = project.as_ref().and_then(|p| p.organization_id.clone());
        let platform = if def.uses_key {
            platform(low, &mut config, organization_id.as_deref())
        } else {
            Ok(None)
        };
        let instance = low.process_instance_id.clone().or_else(|| {
            project
                .as_ref()
                .and_then(|p| p.instance(low.environment))
                .map(String::from)
        });
        Ok(Common {
            command: low.command,
            no_input: low.no_input,
            use_case,
            config,
            organization_id,
            environment: low.environment,
            instance,
            typed: Typed {
                context_type: low.context_type,
                process_instance_id: low.process_instance_id.take(),
                path: low.path.take(),
                project_file: low.project_file.take(),
                profile: low.profile.take(),
                api_url: low.api_url.take(),
                ca_bundle: low.ca_bundle.clone(),
                api_key_file: low.api_key_file.clone(),
            },
            platform,
        })
    }

    /// The platform and key of this run; no key anywhere is an error.
    pub fn platform(&self) -> Result<&Platform> {
        self.platform_if_logged_in()?.ok_or_else(no_api_key)
    }

    /// As [`Common::platform`], but `None` when no step of the chain has a key.
    pub fn platform_if_logged_in(&self) -> Result<Option<&Platform>> {
        match &self.platform {
            Ok(platform) => Ok(platform.as_ref()),
            Err(error) => Err(error.clone()),
        }
    }

    /// `--context-type` > the registry's > a custom schema's `contextType` >
    /// `process_instance` for `cstm_*` > `organization`; the instance from
    /// `--process-instance-id`, else project.json's for `--environment`.
    pub fn target(
        &self,
        integration_id: &str,
        schema_context: Option<ContextType>,
    ) -> Result<Target> {
        target(
            self.typed.context_type,
            self.instance.as_deref(),
            self.environment,
            integration_id,
            schema_context,
        )
    }

    /// The dashboard page where this run's organization connects OAuth
    /// integrations.
    pub fn dashboard_url(&self) -> String {
        dashboard_url(self.known_organization().as_deref())
    }

    /// The organization to name in a dashboard URL: project.json's, else
    /// that of the key's profile, else the active profile's.
    pub fn known_organization(&self) -> Option<String> {
        let key_profile = self
            .platform
            .as_ref()
            .ok()
            .and_then(|p| p.as_ref()?.key.profile.as_ref());
        let active = self.config.as_ref().and_then(Config::active_profile);
        self.organization_id.clone().or_else(|| {
            key_profile
                .or(active)
                .and_then(|p| p.identity.organization_id.clone())
        })
    }
}

/// The dashboard page where OAuth integrations are connected.
pub fn dashboard_url(organization: Option<&str>) -> String {
    format!(
        "https://app.codika.io/organizations/{}/integrations",
        organization.unwrap_or("YOUR_ORG_ID")
    )
}

impl Typed {
    /// `--api-url` as a printed command may show it: a user or password
    /// in it as `***`.
    pub fn api_url_shown(&self) -> Option<String> {
        self.api_url.as_deref().map(redacted)
    }

    /// Whether [`Typed::api_url_shown`] hides something to put back.
    pub fn api_url_hides_userinfo(&self) -> bool {
        self.api_url.as_deref().is_some_and(|u| redacted(u) != u)
    }
}

/// Every variable `command` reads, tried before it acts: the first that is
/// set but not valid for its kind is exit 2 naming it (never its value).
fn check_environment(command: Command) -> Result<()> {
    for var in env::VARS.iter().filter(|v| reads(v.scope, command)) {
        if var.names.len() > 1 {
            env::setting(var)?;
        }
        for name in var.names {
            if *name == "HTTP_PROXY" && env::present("REQUEST_METHOD") {
                continue;
            }
            match var.kind {
                env::Kind::Path | env::Kind::Paths | env::Kind::Presence | env::Kind::Word => {}
                env::Kind::Text => {
                    env::text(name)?;
                }
                env::Kind::Url => {
                    if let Some(value) = env::text(name)? {
                        let parse = match name.ends_with("_PROXY") || name.ends_with("_proxy") {
                            true => crate::platform::url::parse_proxy,
                            false => crate::platform::url::parse,
                        };
                        parse(&value).map_err(|problem| {
                            CliError::validation(format!(
                                "{name} is not a valid URL ('{}'): {problem}",
                                crate::platform::url::redacted(&value)
                            ))
                        })?;
                    }
                }
                env::Kind::Seconds => {
                    env::seconds(name, crate::platform::client::MAX_TIMEOUT_SECONDS)?;
                }
                env::Kind::Count => {
                    env::count(name)?;
                }
            }
        }
    }
    Ok(())
}

/// Whether `command` reads the variables of `scope`.
fn reads(scope: env::Scope, command: Command) -> bool {
    use Command::*;
    use env::Scope;
    match scope {
        Scope::Every => true,
        Scope::Platform => matches!(
            command,
            Set | List
                | Delete
                | Schema
                | Check
                | Apply
                | Whoami
                | Login
                | RerunDeployment
                | InstanceActivate
                | InstanceDeactivate
        ),
        Scope::Key => matches!(
            command,
            Set | List
                | Delete
                | Schema
                | Check
                | Apply
                | Whoami
                | RerunDeployment
                | InstanceActivate
                | InstanceDeactivate
        ),
        Scope::Encrypting => matches!(command, Set | Apply),
        Scope::Prompting => matches!(command, Set | Apply | Login),
    }
}

/// The use case folder: `--path`, default the current directory.
fn use_case_dir(path: Option<&PathBuf>) -> Result<PathBuf> {
    match path {
        Some(path) if !path.is_dir() => Err(CliError::validation(format!(
            "--path {} is not a directory",
            path.display()
        ))),
        Some(path) => Ok(path.clone()),
        None => Ok(PathBuf::from(".")),
    }
}

/// The key by the chain, the base URL of its source, the public key's source.
fn platform(
    low: &LowArgs,
    config: &mut Option<Config>,
    organization_id: Option<&str>,
) -> Result<Option<Platform>> {
    let Some(key) = api_key(low, config, organization_id)? else {
        return Ok(None);
    };
    if key.api_key.is_empty() || !key.api_key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CliError::validation(format!(
            "the API key from {} {}; check how it was copied",
            key.source,
            crate::platform::identity::key_flaw(&key.api_key)
        )));
    }
    let flag = low.api_url.as_deref().map(|url| (url, "--api-url"));
    let base_url = base_url(flag, key.profile.as_ref())?;
    let public_key = public_key_source(low, &base_url)?;
    Ok(Some(Platform {
        key,
        base_url,
        public_key,
        ca_bundle: low.ca_bundle.clone(),
    }))
}

/// `--api-key` > `--profile` > `CODIKA_API_KEY` > the profile of
/// project.json's organization > the active profile; `None` when none has
/// one. A key from a profile comes with that profile (taken out of `config`).
fn api_key(
    low: &LowArgs,
    config: &mut Option<Config>,
    organization_id: Option<&str>,
) -> Result<Option<Key>> {
    let from = |api_key: &str, source| Key {
        api_key: Zeroizing::new(api_key.to_string()),
        source,
        profile: None,
    };
    let flag = low.api_key.as_deref();
    if flag.is_some() && low.api_key_file.is_some() {
        return Err(both_key_flags());
    }
    if let Some(key) = flag {
        return Ok(Some(from(key, KeySource::Flag)));
    }
    if let Some(path) = &low.api_key_file {
        let key = key_file(path, "--api-key-file")?;
        return Ok(Some(from(
            &key,
            KeySource::FlagFile(path.display().to_string()),
        )));
    }
    if let Some(name) = &low.profile {
        let profile = config
            .as_mut()
            .and_then(|c| c.take(name))
            .ok_or_else(|| config::unknown_profile(config.as_ref(), name))?;
        return Ok(Some(of_profile(profile, KeySource::NamedProfile)));
    }
    let variable = env::text("CODIKA_API_KEY")?;
    let file = env::path("CODIKA_API_KEY_FILE");
    if variable.is_some() && file.is_some() {
        return Err(CliError::validation(
            "both CODIKA_API_KEY and CODIKA_API_KEY_FILE are set: unset one",
        ));
    }
    if let Some(key) = variable {
        return Ok(Some(from(&key, KeySource::Environment)));
    }
    if let Some(path) = file {
        let key = key_file(&path, "CODIKA_API_KEY_FILE")?;
        return Ok(Some(from(
            &key,
            KeySource::EnvironmentFile(path.display().to_string()),
        )));
    }
    let Some(config) = config else {
        return Ok(None);
    };
    let by_organization = match organization_id {
        Some(org) => config.profile_for_organization(org, "project.json's", "--profile")?,
        None => None,
    };
    let (name, source): (String, fn(String) -> KeySource) = match by_organization {
        Some(profile) => (profile.name.clone(), KeySource::ProjectProfile),
        None => match (config.active_profile(), &config.active) {
            (Some(profile), _) => (profile.name.clone(), KeySource::ActiveProfile),
            // Named but missing: a key it was meant to choose, never "no key".
            (None, Some(dangling)) => return Err(config::dangling_active(config, dangling)),
            (None, None) => return Ok(None),
        },
    };
    Ok(config.take(&name).map(|p| of_profile(p, source)))
}

/// The most an API key file is read of: a key is under a hundred bytes.
const MAX_KEY_FILE: u64 = 64 << 10;

/// An API key file (`--api-key-file`, `CODIKA_API_KEY_FILE`): the
/// content less one trailing newline, read as the other capped regular
/// files are. Anything else in it (a second line, a blank) is left to the
/// key check, which refuses it naming the file.
fn key_file(path: &std::path::Path, origin: &str) -> Result<Zeroizing<String>> {
    let text = crate::files::read_text(path, MAX_KEY_FILE).map_err(|e| {
        CliError::validation(format!(
            "cannot read the API key file {} ({origin}): {e}",
            path.display()
        ))
    })?;
    let key = text.strip_suffix('\n').unwrap_or(&text);
    if key.is_empty() {
        return Err(CliError::validation(format!(
            "the API key file {} ({origin}) is empty",
            path.display()
        )));
    }
    Ok(Zeroizing::new(key.to_string()))
}

fn both_key_flags() -> CliError {
    CliError::validation("--api-key and --api-key-file both give the API key: pass one")
}

fn of_profile(profile: Profile, source: fn(String) -> KeySource) -> Key {
    Key {
        api_key: profile.api_key.clone(),
        source: source(profile.name.clone()),
        profile: Some(profile),
    }
}

fn no_api_key() -> CliError {
    let mut error = CliError::validation(
        "no API key: pass --api-key (or --api-key-file FILE), set CODIKA_API_KEY (or CODIKA_API_KEY_FILE), or run 'codika login'",
    );
    if config::location().is_none() {
        error = error.detail("(no home directory to find a login in: set HOME or XDG_CONFIG_HOME)");
    }
    error
}

/// `flag` (`--api-url`, or login's `--base-url`) > `CODIKA_BASE_URL` > the
/// `baseUrl` of the profile the key came from > `https://api.codika.io`. A
/// key from `--api-key` or `CODIKA_API_KEY` has no profile: it is never sent
/// to some profile's platform.
fn base_url(flag: Option<(&str, &'static str)>, profile: Option<&Profile>) -> Result<String> {
    let (url, origin) = if let Some((url, origin)) = flag {
        (url.to_string(), origin.to_string())
    } else if let Some(url) = env::text("CODIKA_BASE_URL")? {
        (url, "CODIKA_BASE_URL".to_string())
    } else if let Some((url, name)) = profile.and_then(|p| Some((p.base_url.clone()?, &p.name))) {
        let file = config::location().map_or_else(String::new, |p| format!(" in {}", p.display()));
        (
            url,
            format!(
                "the baseUrl of profile '{}'{file}",
                crate::ui::sanitize::shown(name)
            ),
        )
    } else {
        (DEFAULT_BASE_URL.to_string(), "the default".to_string())
    };
    normalize_base_url(&url).map_err(|problem| {
        CliError::validation(format!(
            "invalid base URL '{}' from {origin}: {problem}",
            redacted(&url)
        ))
    })
}

/// Keeps a path prefix, strips one trailing `/`; the scheme is written in
/// lowercase (`HTTP://` is `http://`).
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    const EXPECTED: &str = "expected http://HOST[:PORT][/PREFIX] or https://...";
    let parsed =
        crate::platform::url::parse(url).map_err(|problem| format!("{problem}; {EXPECTED}"))?;
    let after = url.split_once("://").map_or("", |(_, after)| after);
    if !matches!(parsed.scheme.as_str(), "http" | "https") {
        return Err(EXPECTED.to_string());
    }
    if after.contains(['?', '#', ' ']) {
        return Err(format!("a base URL has no query or fragment; {EXPECTED}"));
    }
    let url = format!("{}://{after}", parsed.scheme);
    Ok(url.strip_suffix('/').unwrap_or(&url).to_string())
}

/// A custom integration schema's `contextType`: its default context.
pub fn schema_context(schema: &miniserde::json::Value) -> Option<ContextType> {
    ContextType::from_name(codika_common::value::text(schema, "contextType"))
}

fn target(
    flag: Option<ContextType>,
    instance: Option<&str>,
    environment: Environment,
    integration_id: &str,
    schema_context: Option<ContextType>,
) -> Result<Target> {
    let context = flag
        .or_else(|| {
            registry::find(integration_id).and_then(|i| ContextType::from_name(&i.context_type))
        })
        .or(schema_context)
        .unwrap_or(if integration_id.starts_with("cstm_") {
            ContextType::ProcessInstance
        } else {
            ContextType::Organization
        });
    if context != ContextType::ProcessInstance {
        return Ok(Target {
            context,
            instance: None,
        });
    }
    let instance = instance.ok_or_else(|| {
        CliError::validation(format!(
            "{integration_id} needs a process instance (context process_instance): pass --process-instance-id, or point --path at a use case whose project.json has {}",
            environment.instance_key()
        ))
    })?;
    Ok(Target {
        context,
        instance: Some(instance.to_string()),
    })
}

/// Protocol §4: `--public-key-file`, `--public-key-url`,
/// `CODIKA_PUBLIC_KEY_FILE`, `CODIKA_PUBLIC_KEY_URL`, the base URL's
/// `/encryption/public.pem` when it is not the default, the live platform's.
/// A URL that is not http(s) with a host is the user's mistake (exit 2).
fn public_key_source(low: &LowArgs, base_url: &str) -> Result<PublicKeySource> {
    let url = |url: String, origin: &str| {
        let problem = match crate::platform::url::parse(&url) {
            Ok(u) if matches!(u.scheme.as_str(), "http" | "https") => {
                return Ok(PublicKeySource::Url(url));
            }
            Ok(_) => String::new(),
            Err(problem) => format!("{problem}; "),
        };
        Err(CliError::validation(format!(
            "invalid public key URL '{}' from {origin}: {problem}expected http://HOST[:PORT]/PATH or https://...",
            redacted(&url)
        )))
    };
    if let Some(file) = &low.public_key_file {
        return Ok(PublicKeySource::File(file.clone()));
    }
    if let Some(flag) = low.public_key_url.clone() {
        return url(flag, "--public-key-url");
    }
    if let Some(file) = env::path("CODIKA_PUBLIC_KEY_FILE") {
        return Ok(PublicKeySource::File(file));
    }
    if let Some(variable) = env::text("CODIKA_PUBLIC_KEY_URL")? {
        return url(variable, "CODIKA_PUBLIC_KEY_URL");
    }
    if base_url != DEFAULT_BASE_URL {
        return Ok(PublicKeySource::Url(format!(
            "{base_url}/encryption/public.pem"
        )));
    }
    Ok(PublicKeySource::Url(DEFAULT_PUBLIC_KEY_URL.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flag, instance, integration, schema's context → context, instance.
    type Case = (
        Option<ContextType>,
        Option<&'static str>,
        &'static str,
        Option<ContextType>,
        ContextType,
        Option<&'static str>,
    );

    #[test]
    fn context_type_flag_then_registry_then_schema_then_cstm_then_organization() {
        use ContextType::{Member, Organization, ProcessInstance};
        let dev = Environment::Dev;
        let cases: &[Case] = &[
            (None, None, "openai", None, Organization, None),
            (None, None, "google_gmail", None, Member, None),
            (None, None, "unknown_thing", None, Organization, None),
            (
                None,
                Some("pi_dev"),
                "supabase",
                None,
                ProcessInstance,
                Some("pi_dev"),
            ),
            (
                None,
                Some("pi_dev"),
                "cstm_crm",
                None,
                ProcessInstance,
                Some("pi_dev"),
            ),
            // A custom schema's contextType is the default for its integration.
            (None, None, "cstm_crm", Some(Member), Member, None),
            (
                Some(Organization),
                Some("pi_dev"),
                "supabase",
                None,
                Organization,
                None,
            ),
            (
                Some(Organization),
                None,
                "cstm_crm",
                Some(Member),
                Organization,
                None,
            ),
        ];
        for (flag, instance, id, schema, context, expected_instance) in cases {
            let target = target(*flag, *instance, dev, id, *schema).unwrap();
            assert_eq!(target.context, *context, "{id}");
            assert_eq!(target.instance.as_deref(), *expected_instance, "{id}");
        }
        let missing = target(None, None, Environment::Prod, "supabase", None)
            .err()
            .unwrap();
        assert_eq!(missing.exit_code(), 2);
        assert!(
            missing.message.contains("prodProcessInstanceId"),
            "{}",
            missing.message
        );
    }

    #[test]
    fn public_key_flags_before_the_base_url() {
        let mut low = LowArgs::new(Command::Set);
        let url = |low: &LowArgs, base: &str| match public_key_source(low, base).unwrap() {
            PublicKeySource::Url(url) => url,
            PublicKeySource::File(path) => format!("file:{}", path.display()),
        };
        if env::path("CODIKA_PUBLIC_KEY_FILE").is_none()
            && env::text("CODIKA_PUBLIC_KEY_URL").unwrap().is_none()
        {
            assert_eq!(url(&low, DEFAULT_BASE_URL), DEFAULT_PUBLIC_KEY_URL);
            assert_eq!(
                url(&low, "http://127.0.0.1:1/v1"),
                "http://127.0.0.1:1/v1/encryption/public.pem"
            );
        }
        low.public_key_url = Some("https://keys.example/k.pem".into());
        assert_eq!(url(&low, DEFAULT_BASE_URL), "https://keys.example/k.pem");
        low.public_key_file = Some("/k.pem".into());
        assert_eq!(url(&low, DEFAULT_BASE_URL), "file:/k.pem");
        low.public_key_file = None;
        for bad in [
            "u:hunter2@127.0.0.1/pk",
            "http://u:hunter2@[::1/pk",
            "ftp://x/k",
        ] {
            low.public_key_url = Some(bad.into());
            let error = public_key_source(&low, DEFAULT_BASE_URL).err().unwrap();
            assert_eq!(error.exit_code(), 2);
            assert!(!error.message.contains("hunter2"), "{}", error.message);
        }
    }

    #[test]
    fn base_urls_keep_their_prefix_and_lose_one_slash() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8787/v1/").unwrap(),
            "http://127.0.0.1:8787/v1"
        );
        assert_eq!(
            normalize_base_url("https://api.codika.io").unwrap(),
            "https://api.codika.io"
        );
        assert_eq!(normalize_base_url("HTTP://x:1").unwrap(), "http://x:1");
        for bad in [
            "api.codika.io",
            "http://",
            "ftp://x",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:65536",
            "http://127.0.0.1:",
            "http://127.0.0.1:8o",
            "http://::1:18090",
            "http://u:pa?ss@127.0.0.1:1",
        ] {
            let problem = normalize_base_url(bad).unwrap_err();
            assert!(!problem.contains("pa?ss"), "{problem}");
        }
        assert!(
            normalize_base_url("http://::1:18090")
                .unwrap_err()
                .contains("brackets")
        );
        assert_eq!(
            normalize_base_url("http://[::1]:18090").unwrap(),
            "http://[::1]:18090"
        );
    }
}
