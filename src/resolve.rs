/*!
From what the user typed to what a command needs, decided once for every
subcommand: the API key and where it came from, the base URL, the project
file, the context type and process instance, the public key's source.
*/

use std::path::PathBuf;
use zeroize::Zeroizing;

use crate::config::{self, Config, Profile};
use crate::context::ContextType;
use crate::env;
use crate::error::{CliError, Result};
use crate::flags::LowArgs;
use crate::project::{self, Project};
use crate::registry;

pub const DEFAULT_BASE_URL: &str = "https://api.codika.io";
pub const DEFAULT_PUBLIC_KEY_URL: &str = "https://app.codika.io/encryption/public.pem";

/// Where the API key came from, for messages (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Flag,
    NamedProfile(String),
    Environment,
    ProjectProfile(String),
    ActiveProfile(String),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Flag => write!(f, "--api-key"),
            KeySource::NamedProfile(name) => write!(f, "profile '{name}' (--profile)"),
            KeySource::Environment => write!(f, "CODIKA_API_KEY"),
            KeySource::ProjectProfile(name) => {
                write!(f, "profile '{name}' (project.json's organization)")
            }
            KeySource::ActiveProfile(name) => write!(f, "the active profile '{name}'"),
        }
    }
}

/// Everything resolved that every subcommand shares.
pub struct Setting {
    pub api_key: Zeroizing<String>,
    pub key_source: KeySource,
    /// The profile the key came from, if it came from one: what it saved at
    /// login, and where its base URL came from.
    pub profile: Option<Profile>,
    pub base_url: String,
    pub project: Option<Project>,
    /// The organization of project.json, sent with requests when known.
    pub organization_id: Option<String>,
}

/// The integration's context and, for `process_instance`, its instance.
pub struct Target {
    pub context: ContextType,
    pub instance: Option<String>,
}

pub enum PublicKeySource {
    File(PathBuf),
    Url(String),
}

/// Reads project.json and the config, and picks the API key and base URL.
pub fn setting(args: &LowArgs) -> Result<Setting> {
    setting_if_logged_in(args)?.ok_or_else(no_api_key)
}

/// As [`setting`], but `None` when no step of the chain has a key.
pub fn setting_if_logged_in(args: &LowArgs) -> Result<Option<Setting>> {
    // `schema` has no use case: it reads no project.json.
    let project = match args.command {
        crate::flags::Command::Schema => None,
        _ => load_project(args)?,
    };
    let config = config::load()?;
    let organization_id = project.as_ref().and_then(|p| p.organization_id.clone());
    let Some((api_key, key_source, profile)) = api_key(args, config, organization_id.as_deref())?
    else {
        return Ok(None);
    };
    if api_key.is_empty() || !api_key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CliError::validation(format!(
            "the API key from {key_source} has spaces or control characters; check how it was copied"
        )));
    }
    let flag = args.api_url.as_deref().map(|url| (url, "--api-url"));
    let base_url = base_url(flag, profile.as_ref())?;
    Ok(Some(Setting {
        api_key,
        key_source,
        profile,
        base_url,
        project,
        organization_id,
    }))
}

/// project.json of the use case folder.
pub fn load_project(args: &LowArgs) -> Result<Option<Project>> {
    project::load(&use_case_dir(args)?, args.project_file.as_deref())
}

/// The use case folder: `--path`, default the current directory. project.json
/// and config.ts are both read from it.
pub fn use_case_dir(args: &LowArgs) -> Result<PathBuf> {
    match &args.path {
        Some(path) if !path.is_dir() => Err(CliError::validation(format!(
            "--path {} is not a directory",
            path.display()
        ))),
        Some(path) => Ok(path.clone()),
        None => Ok(PathBuf::from(".")),
    }
}

/// `--api-key` > `--profile` > `CODIKA_API_KEY` > the profile of
/// project.json's organization > the active profile; `None` when none has
/// one. A key from a profile comes with that profile (taken out of `config`).
fn api_key(
    args: &LowArgs,
    config: Option<Config>,
    organization_id: Option<&str>,
) -> Result<Option<(Zeroizing<String>, KeySource, Option<Profile>)>> {
    if let Some(key) = args.api_key.as_deref().filter(|k| !k.is_empty()) {
        return Ok(Some((
            Zeroizing::new(key.to_string()),
            KeySource::Flag,
            None,
        )));
    }
    if let Some(name) = &args.profile {
        let profile = named_profile(config, name)?;
        let source = KeySource::NamedProfile(name.clone());
        return Ok(Some((profile.api_key.clone(), source, Some(profile))));
    }
    if let Some(key) = env::var("CODIKA_API_KEY") {
        return Ok(Some((Zeroizing::new(key), KeySource::Environment, None)));
    }
    let Some(mut config) = config else {
        return Ok(None);
    };
    let by_organization = organization_id.and_then(|org| config.profile_for_organization(org));
    let (profile, source): (_, fn(String) -> KeySource) = match by_organization {
        Some(profile) => (profile.name.clone(), KeySource::ProjectProfile),
        None => match config.active_profile() {
            Some(profile) => (profile.name.clone(), KeySource::ActiveProfile),
            None => return Ok(None),
        },
    };
    let profile = config.take(&profile);
    Ok(profile.map(|p| (p.api_key.clone(), source(p.name.clone()), Some(p))))
}

fn no_api_key() -> CliError {
    let mut error = CliError::validation(
        "no API key: pass --api-key, set CODIKA_API_KEY, or run 'codika login'",
    );
    if config::location().is_none() {
        error = error.detail("(no home directory to find a login in: set HOME or XDG_CONFIG_HOME)");
    }
    error
}

fn named_profile(config: Option<Config>, name: &str) -> Result<Profile> {
    match config {
        Some(mut config) => config
            .take(name)
            .ok_or_else(|| unknown_profile(Some(&config), name)),
        None => Err(unknown_profile(None, name)),
    }
}

/// Exit 2 naming the profiles there are.
pub fn unknown_profile(config: Option<&Config>, name: &str) -> CliError {
    let known = config.map_or_else(|| "none".to_string(), Config::known);
    CliError::validation(format!(
        "no profile named '{name}' (known profiles: {known}); run 'codika login' to add one"
    ))
}

impl KeySource {
    /// The profile the key came from, if it came from one.
    pub fn profile(&self) -> Option<&str> {
        match self {
            KeySource::NamedProfile(name)
            | KeySource::ProjectProfile(name)
            | KeySource::ActiveProfile(name) => Some(name),
            KeySource::Flag | KeySource::Environment => None,
        }
    }
}

/// `flag` (`--api-url`, or login's `--base-url`) > `CODIKA_BASE_URL` > the
/// `baseUrl` of the profile the key came from > `https://api.codika.io`. A
/// key from `--api-key` or `CODIKA_API_KEY` has no profile: it is never sent
/// to some profile's platform.
pub fn base_url(flag: Option<(&str, &'static str)>, profile: Option<&Profile>) -> Result<String> {
    let (url, origin) = if let Some((url, origin)) = flag.filter(|(url, _)| !url.is_empty()) {
        (url.to_string(), origin)
    } else if let Some(url) = env::var("CODIKA_BASE_URL") {
        (url, "CODIKA_BASE_URL")
    } else if let Some(url) = profile.and_then(|p| p.base_url.clone()) {
        (url, "the profile's baseUrl")
    } else {
        (DEFAULT_BASE_URL.to_string(), "the default")
    };
    normalize_base_url(&url).ok_or_else(|| {
        CliError::validation(format!(
            "invalid base URL '{}' from {origin}: expected http://HOST[:PORT][/PREFIX] or https://...",
            crate::url::redacted(&url)
        ))
    })
}

/// Keeps a path prefix, strips one trailing `/`; the scheme is written in
/// lowercase (`HTTP://` is `http://`).
pub fn normalize_base_url(url: &str) -> Option<String> {
    let parsed = crate::url::Url::parse(url)?;
    if !matches!(parsed.scheme.as_str(), "http" | "https")
        || parsed.host.is_empty()
        || url.contains(['?', '#', ' '])
    {
        return None;
    }
    let (_, after) = url.split_once("://")?;
    let url = format!("{}://{after}", parsed.scheme);
    Some(url.strip_suffix('/').unwrap_or(&url).to_string())
}

/// A custom integration schema's `contextType`: its default context.
pub fn schema_context(schema: &miniserde::json::Value) -> Option<ContextType> {
    ContextType::from_name(crate::value::text(schema, "contextType"))
}

/// `--context-type` > the registry's > a custom schema's `contextType` >
/// `process_instance` for `cstm_*` > `organization`; the instance from
/// `--process-instance-id`, else project.json's for `--environment`.
pub fn target(
    args: &LowArgs,
    integration_id: &str,
    project: Option<&Project>,
    schema_context: Option<ContextType>,
) -> Result<Target> {
    let context = args
        .context_type
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
    let instance = listed_instance(args, project).ok_or_else(|| {
        CliError::validation(format!(
            "{integration_id} needs a process instance (context process_instance): pass --process-instance-id, or point --path at a use case whose project.json has {}",
            args.environment.instance_key()
        ))
    })?;
    Ok(Target {
        context,
        instance: Some(instance),
    })
}

/// The instance named by `--process-instance-id` or project.json, if any.
pub fn listed_instance(args: &LowArgs, project: Option<&Project>) -> Option<String> {
    args.process_instance_id
        .clone()
        .filter(|i| !i.is_empty())
        .or_else(|| {
            project
                .and_then(|p| p.instance(args.environment))
                .map(String::from)
        })
}

/// Protocol §4: `--public-key-file`, `--public-key-url`,
/// `CODIKA_PUBLIC_KEY_FILE`, `CODIKA_PUBLIC_KEY_URL`, the base URL's
/// `/encryption/public.pem` when it is not the default, the live platform's.
pub fn public_key_source(args: &LowArgs, base_url: &str) -> PublicKeySource {
    if let Some(file) = &args.public_key_file {
        return PublicKeySource::File(file.clone());
    }
    if let Some(url) = args.public_key_url.clone().filter(|u| !u.is_empty()) {
        return PublicKeySource::Url(url);
    }
    if let Some(file) = env::var("CODIKA_PUBLIC_KEY_FILE") {
        return PublicKeySource::File(file.into());
    }
    if let Some(url) = env::var("CODIKA_PUBLIC_KEY_URL") {
        return PublicKeySource::Url(url);
    }
    if base_url != DEFAULT_BASE_URL {
        return PublicKeySource::Url(format!("{base_url}/encryption/public.pem"));
    }
    PublicKeySource::Url(DEFAULT_PUBLIC_KEY_URL.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Environment;
    use crate::flags::Command;

    fn project(dir: &std::path::Path) -> Project {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(
            dir.join("project.json"),
            r#"{"organizationId":"org_x","devProcessInstanceId":"pi_dev","prodProcessInstanceId":"pi_prod"}"#,
        )
        .unwrap();
        project::load(dir, None).unwrap().unwrap()
    }

    #[test]
    fn context_type_flag_then_registry_then_schema_then_cstm_then_organization() {
        let dir = std::env::temp_dir().join(format!("codika-target-{}", std::process::id()));
        let project = project(&dir);
        let mut args = LowArgs::new(Command::Set);
        assert_eq!(
            target(&args, "openai", None, None).unwrap().context,
            ContextType::Organization
        );
        assert_eq!(
            target(&args, "google_gmail", None, None).unwrap().context,
            ContextType::Member
        );
        assert_eq!(
            target(&args, "unknown_thing", None, None).unwrap().context,
            ContextType::Organization
        );
        let supabase = target(&args, "supabase", Some(&project), None).unwrap();
        assert_eq!(
            (supabase.context, supabase.instance.as_deref()),
            (ContextType::ProcessInstance, Some("pi_dev"))
        );
        assert_eq!(
            target(&args, "cstm_crm", Some(&project), None)
                .unwrap()
                .context,
            ContextType::ProcessInstance
        );
        // A custom schema's contextType is the default for its integration.
        assert_eq!(
            target(&args, "cstm_crm", None, Some(ContextType::Member))
                .unwrap()
                .context,
            ContextType::Member
        );
        assert_eq!(
            target(&args, "supabase", None, None)
                .err()
                .unwrap()
                .exit_code(),
            2
        );
        args.environment = Environment::Prod;
        assert_eq!(
            target(&args, "supabase", Some(&project), None)
                .unwrap()
                .instance
                .as_deref(),
            Some("pi_prod")
        );
        args.process_instance_id = Some("pi_flag".into());
        assert_eq!(
            target(&args, "supabase", Some(&project), None)
                .unwrap()
                .instance
                .as_deref(),
            Some("pi_flag")
        );
        args.context_type = Some(ContextType::Organization);
        let forced = target(&args, "supabase", Some(&project), None).unwrap();
        assert_eq!(
            (forced.context, forced.instance),
            (ContextType::Organization, None)
        );
        let over_schema = target(&args, "cstm_crm", None, Some(ContextType::Member)).unwrap();
        assert_eq!(over_schema.context, ContextType::Organization);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn public_key_flags_before_the_base_url() {
        let mut args = LowArgs::new(Command::Set);
        let url = |args: &LowArgs, base: &str| match public_key_source(args, base) {
            PublicKeySource::Url(url) => url,
            PublicKeySource::File(path) => format!("file:{}", path.display()),
        };
        if env::var("CODIKA_PUBLIC_KEY_FILE").is_none()
            && env::var("CODIKA_PUBLIC_KEY_URL").is_none()
        {
            assert_eq!(url(&args, DEFAULT_BASE_URL), DEFAULT_PUBLIC_KEY_URL);
            assert_eq!(
                url(&args, "http://127.0.0.1:1/v1"),
                "http://127.0.0.1:1/v1/encryption/public.pem"
            );
        }
        args.public_key_url = Some("https://keys.example/k.pem".into());
        assert_eq!(url(&args, DEFAULT_BASE_URL), "https://keys.example/k.pem");
        args.public_key_file = Some("/k.pem".into());
        assert_eq!(url(&args, DEFAULT_BASE_URL), "file:/k.pem");
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
        assert!(normalize_base_url("api.codika.io").is_none());
        assert!(normalize_base_url("http://").is_none());
        assert!(normalize_base_url("ftp://x").is_none());
    }
}
