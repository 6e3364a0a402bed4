/*!
`codika login`: read an API key (flag, silent prompt, or stdin), ask the
platform about it, and save it as the active profile of the config file. A
refused key writes nothing.
*/

use std::io::{BufRead, Read};
use zeroize::Zeroizing;

use crate::commands::Finished;
use crate::config::{self, NewProfile};
use crate::error::{CliError, Result};
use crate::platform::client::Client;
use crate::platform::identity::{self, Identity, masked};
use crate::platform::url::redacted;
use crate::resolve::{Common, DEFAULT_BASE_URL, LoginArgs};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use crate::ui::prompt::{self, Input};

/// A line of stdin longer than this is not an API key.
const MAX_KEY_LINE: u64 = 64 * 1024;

pub fn run(common: &Common, args: LoginArgs, out: &Output) -> Result<Finished> {
    let args = &args;
    let name = profile_name(args)?;
    let base_url = &args.base_url;
    let (key, from) = read_key(args, common.no_input)?;
    config::check_writable()?;
    let identity = if args.skip_verify {
        Identity::from_prefix(&key)
    } else {
        out.say(&format!(
            "Verifying the API key with {}...",
            redacted(base_url)
        ));
        Client::new(base_url, &key, from, args.ca_bundle.as_deref())?.verify()?
    };
    let stored_base_url = (base_url != DEFAULT_BASE_URL).then(|| base_url.clone());
    let profile = NewProfile::new(&key, identity.clone(), stored_base_url);
    let (name, path) = config::update(|document| {
        let name = match &name {
            Some(name) => name.clone(),
            None => {
                // The organization's profile is replaced: the active one when
                // it is one of several, else exit 2 (never one by file order).
                let same_organization = match identity.organization_id.as_deref() {
                    Some(org) => {
                        document
                            .config
                            .profile_for_organization(org, "the key's", "--name")?
                    }
                    None => None,
                };
                match same_organization {
                    Some(existing) => existing.name.clone(),
                    // Unverified, nothing is known to name it after.
                    None if args.skip_verify => {
                        identity::numbered("default", &document.config.names())
                    }
                    None => identity.derived_name(&document.config.names()),
                }
            }
        };
        document.upsert(&name, &profile)?;
        document.set_active(Some(&name))?;
        Ok(name)
    })?;

    if let Some(warning) = identity::expiry_warning(identity.expires_at.as_deref()) {
        out.warn(&warning);
    }
    Finished::done(LoggedIn {
        name,
        masked_key: masked(&key),
        identity,
        base_url: base_url.clone(),
        verified: !args.skip_verify,
        config_file: path,
    })
}

/// The profile saved.
struct LoggedIn {
    name: String,
    masked_key: String,
    identity: Identity,
    base_url: String,
    verified: bool,
    config_file: std::path::PathBuf,
}

impl Render for LoggedIn {
    fn json(&self) -> Json {
        let identity = &self.identity;
        let mut key_object = JsonObject::new()
            .text_if("keyPrefix", identity.key_prefix.as_deref())
            .text("masked", &self.masked_key)
            .text_if("name", identity.key_name.as_deref());
        if let Some(scopes) = &identity.scopes {
            key_object = key_object.strings("scopes", scopes);
        }
        let key_object = key_object
            .text_if("createdAt", identity.created_at.as_deref())
            .text_if("expiresAt", identity.expires_at.as_deref());
        Json::success(
            JsonObject::new()
                .text("profileName", &self.name)
                .text("type", identity.kind())
                .text_if("organizationId", identity.organization_id.as_deref())
                .text_if("organizationName", identity.organization_name.as_deref())
                .value("apiKey", key_object.build())
                .text("baseUrl", &redacted(&self.base_url))
                .bool("verified", self.verified)
                .text("configFile", &self.config_file.to_string_lossy()),
        )
    }

    fn human(&self, out: &Output) {
        let identity = &self.identity;
        let headline = if self.verified {
            "✓ Logged in successfully"
        } else {
            "✓ Saved without verifying the key"
        };
        out.say_styled(Style::Green, headline);
        out.say("");
        out.say(&format!("  Profile:      {} (active)", shown(&self.name)));
        if let Some(organization) = identity.organization() {
            out.say(&format!("  Organization: {}", shown(&organization)));
        }
        if let Some(key_name) = &identity.key_name {
            out.say(&format!("  Key name:     {}", shown(key_name)));
        }
        out.say(&format!("  Key:          {}", shown(&self.masked_key)));
        if let Some(scopes) = &identity.scopes {
            out.say(&format!("  Scopes:       {}", shown(&scopes.join(", "))));
        }
        if let Some(at) = &identity.expires_at {
            out.say(&format!("  Expires:      {}", shown(&identity::date(at))));
        }
        if self.base_url != DEFAULT_BASE_URL {
            out.say(&format!("  Base URL:     {}", redacted(&self.base_url)));
        }
        out.say(&format!("  Saved in:     {}", self.config_file.display()));
    }
}

/// `--name`, when given: not empty, no control characters, and not an API
/// key pasted in the wrong place (it would be saved, and shown, as a name).
fn profile_name(args: &LoginArgs) -> Result<Option<String>> {
    match &args.name {
        None => Ok(None),
        Some(name) if name.trim().is_empty() || name.chars().any(char::is_control) => {
            Err(CliError::validation(
                "--name must be a profile name (not empty, no control characters)",
            ))
        }
        Some(name) if crate::platform::identity::looks_like_a_key(name) => {
            Err(CliError::validation(format!(
                "--name '{}' looks like an API key (shown masked): a profile name is a word such as 'work'; the key goes to --api-key-file FILE, --api-key or stdin",
                crate::platform::identity::masked(name)
            )))
        }
        Some(name) => Ok(Some(name.clone())),
    }
}

/// The key and where it came from: `--api-key`, else a prompt without echo
/// on a terminal (unless `--no-input`), else one line of stdin.
fn read_key(args: &LoginArgs, no_input: bool) -> Result<(Zeroizing<String>, &'static str)> {
    let (key, from) = match (&args.api_key, prompt::input(no_input)) {
        (Some(key), _) => (key.clone(), "--api-key"),
        (None, Input::Terminal) => (prompt()?, "the prompt"),
        (None, Input::Forbidden(by)) => {
            return Err(CliError::validation(format!(
                "no API key given, and {by} forbids asking for it: pass --api-key KEY, or pipe it: printf %s \"$KEY\" | codika login"
            )));
        }
        (None, Input::NotATerminal) => (stdin_line()?, "stdin"),
    };
    let key = if from == "--api-key" {
        key
    } else {
        Zeroizing::new(key.trim().to_string())
    };
    if key.is_empty() {
        return Err(CliError::validation(format!(
            "empty API key from {from}: pass --api-key KEY, or pipe it: printf %s \"$KEY\" | codika login"
        )));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CliError::validation(format!(
            "the API key from {from} {}; check how it was copied",
            crate::platform::identity::key_flaw(&key)
        )));
    }
    Ok((key, from))
}

/// The first line of stdin (without its line ending).
fn stdin_line() -> Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    // Two bytes more than the cap, for a line ending: a longer line is
    // refused, never cut to the cap and sent.
    std::io::stdin()
        .lock()
        .take(MAX_KEY_LINE + 2)
        .read_line(&mut line)
        .map_err(|e| CliError::validation(format!("cannot read the API key from stdin: {e}")))?;
    let key = line.trim_end_matches('\n').trim_end_matches('\r');
    if key.len() as u64 > MAX_KEY_LINE {
        return Err(CliError::validation(format!(
            "the API key on stdin is longer than {} KiB, which no API key is; pass the key alone on one line",
            MAX_KEY_LINE / 1024
        )));
    }
    Ok(line)
}

/// Asks on the terminal with echo off (see `prompt`).
fn prompt() -> Result<Zeroizing<String>> {
    use crate::ui::prompt::PromptError;
    prompt::hidden("API key: ").map_err(|e| match e {
        PromptError::NoTerminal(e) => CliError::validation(format!(
            "cannot open the terminal to ask for the API key ({e}); pass it on stdin or with --api-key"
        )),
        PromptError::Cancelled => CliError::validation("login cancelled"),
        PromptError::NotUtf8 => CliError::validation("the API key typed is not valid UTF-8"),
        PromptError::NoEcho(e) | PromptError::Io(e) => CliError::validation(format!(
            "cannot read the key without echo on this terminal ({e}); pass it on stdin: printf %s \"$KEY\" | codika login"
        )),
        PromptError::MoreThanOneLine => CliError::validation(
            "more than one line was pasted at the API key prompt: nothing was saved, and the lines after the first were discarded; an API key is one line: paste it alone, or pipe it: printf %s \"$KEY\" | codika login",
        ),
        PromptError::TooLong => CliError::validation(
            "the line typed is too long for an API key; pass it on stdin: printf %s \"$KEY\" | codika login",
        ),
    })
}
