/*!
`codika login`: read an API key (flag, silent prompt, or stdin), ask the
platform about it, and save it as the active profile of the config file. A
refused key writes nothing.
*/

use std::io::{BufRead, IsTerminal, Read};
use zeroize::Zeroizing;

use crate::api::Client;
use crate::config::{self, NewProfile};
use crate::error::{CliError, Outcome, Result};
use crate::identity::{self, Identity, masked};
use crate::output::{JsonObject, Output, Style, shown};
use crate::resolve::{DEFAULT_BASE_URL, HiArgs, LoginArgs};
use crate::url::redacted;

/// A line of stdin longer than this is not an API key.
const MAX_KEY_LINE: u64 = 64 * 1024;

pub fn run(hi: &HiArgs, out: &Output) -> Result<Outcome> {
    let Some(args) = &hi.login else {
        return Err(CliError::validation("login was not given its options"));
    };
    let name = profile_name(args)?;
    let base_url = &args.base_url;
    let (key, from) = read_key(args)?;
    config::check_writable()?;
    let identity = if args.skip_verify {
        Identity::from_prefix(&key)
    } else {
        out.say(&format!(
            "Verifying the API key with {}...",
            redacted(base_url)
        ));
        Client::new(base_url, &key, from)?.verify()?
    };
    let stored_base_url = (base_url != DEFAULT_BASE_URL).then(|| base_url.clone());
    let profile = NewProfile::new(&key, identity.clone(), stored_base_url);
    let (name, path) = config::update(|document| {
        let name = match &name {
            Some(name) => name.clone(),
            None => {
                let same_organization = identity.organization_id.as_deref().and_then(|org| {
                    document
                        .config
                        .profiles
                        .iter()
                        .find(|p| p.identity.organization_id.as_deref() == Some(org))
                });
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

    if out.json {
        let mut key_object = JsonObject::new()
            .text_if("keyPrefix", identity.key_prefix.as_deref())
            .text("masked", &masked(&key))
            .text_if("name", identity.key_name.as_deref());
        if let Some(scopes) = &identity.scopes {
            key_object = key_object.strings("scopes", scopes);
        }
        let key_object = key_object
            .text_if("createdAt", identity.created_at.as_deref())
            .text_if("expiresAt", identity.expires_at.as_deref());
        let data = JsonObject::new()
            .text("profileName", &name)
            .text("type", identity.kind())
            .text_if("organizationId", identity.organization_id.as_deref())
            .text_if("organizationName", identity.organization_name.as_deref())
            .raw("apiKey", key_object.build())
            .text("baseUrl", &redacted(base_url))
            .bool("verified", !args.skip_verify)
            .text("configFile", &path.to_string_lossy());
        out.json_success(data);
    } else {
        let headline = if args.skip_verify {
            "✓ Saved without verifying the key"
        } else {
            "✓ Logged in successfully"
        };
        out.say_styled(Style::Green, headline);
        out.say("");
        out.say(&format!("  Profile:      {} (active)", shown(&name)));
        if let Some(organization) = identity.organization() {
            out.say(&format!("  Organization: {}", shown(&organization)));
        }
        if let Some(key_name) = &identity.key_name {
            out.say(&format!("  Key name:     {}", shown(key_name)));
        }
        out.say(&format!("  Key:          {}", shown(&masked(&key))));
        if let Some(scopes) = &identity.scopes {
            out.say(&format!("  Scopes:       {}", shown(&scopes.join(", "))));
        }
        if let Some(at) = &identity.expires_at {
            out.say(&format!("  Expires:      {}", shown(identity::date(at))));
        }
        if base_url != DEFAULT_BASE_URL {
            out.say(&format!("  Base URL:     {}", redacted(base_url)));
        }
        out.say(&format!("  Saved in:     {}", path.display()));
    }
    if let Some(warning) = identity::expiry_warning(identity.expires_at.as_deref()) {
        out.warn(&warning);
    }
    Ok(Outcome::Done)
}

/// `--name`, when given: not empty, no control characters.
fn profile_name(args: &LoginArgs) -> Result<Option<String>> {
    match &args.name {
        None => Ok(None),
        Some(name) if name.trim().is_empty() || name.chars().any(char::is_control) => {
            Err(CliError::validation(
                "--name must be a profile name (not empty, no control characters)",
            ))
        }
        Some(name) => Ok(Some(name.clone())),
    }
}

/// The key and where it came from: `--api-key`, else a prompt without echo
/// on a terminal, else one line of stdin.
fn read_key(args: &LoginArgs) -> Result<(Zeroizing<String>, &'static str)> {
    let (key, from) = match &args.api_key {
        Some(key) => (key.clone(), "--api-key"),
        None if std::io::stdin().is_terminal() => (prompt()?, "the prompt"),
        None => (stdin_line()?, "stdin"),
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
            "the API key from {from} has spaces or control characters; check how it was copied"
        )));
    }
    Ok((key, from))
}

/// The first line of stdin (without its line ending).
fn stdin_line() -> Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .take(MAX_KEY_LINE)
        .read_line(&mut line)
        .map_err(|e| CliError::validation(format!("cannot read the API key from stdin: {e}")))?;
    Ok(line)
}

/// Asks on the terminal with echo off. `stty` is run by a shell that puts
/// the terminal back even when the prompt is interrupted (Ctrl-C reaches it
/// too); the key comes back on a pipe, never on a command line. (std has no
/// termios; this spares a libc dependency.)
#[cfg(unix)]
fn prompt() -> Result<Zeroizing<String>> {
    use std::process::{Command, Stdio};
    // The prompt comes once echo is off, so nothing typed early is shown.
    // Tracing off first: a bash started as sh honours SHELLOPTS=xtrace and
    // would print the last line, key included (also why stderr is not ours).
    const SCRIPT: &str = r#"set +x +v
saved=$(stty -g) || exit 3
trap 'stty "$saved"; printf "\n" >/dev/tty; exit 130' INT HUP TERM
stty -echo || exit 3
printf 'API key: ' >/dev/tty
IFS= read -r key
status=$?
stty "$saved"
printf "\n" >/dev/tty
printf '%s' "$key"
exit $status"#;
    let tty = std::fs::File::open("/dev/tty").map_err(|e| {
        CliError::validation(format!(
            "cannot open the terminal to ask for the API key ({e}); pass it on stdin or with --api-key"
        ))
    })?;
    let output = {
        let _outlive = interrupt::Outlive::start();
        Command::new("/bin/sh")
            .arg("-c")
            .arg(SCRIPT)
            // Start-up files and inherited options of sh or bash, none wanted.
            .env_remove("SHELLOPTS")
            .env_remove("BASHOPTS")
            .env_remove("BASH_ENV")
            .env_remove("ENV")
            .stdin(tty)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
    };
    let output = output.map_err(|e| {
        CliError::validation(format!(
            "cannot run sh to read the API key without echo ({e}); pass it on stdin or with --api-key"
        ))
    })?;
    match output.status.code() {
        Some(0 | 1) => {}
        Some(130) | None => return Err(CliError::validation("login cancelled")),
        Some(_) => {
            return Err(CliError::validation(
                "cannot turn off echo on this terminal; pass the key on stdin: printf %s \"$KEY\" | codika login",
            ));
        }
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| CliError::validation("the API key typed is not valid UTF-8"))?;
    Ok(Zeroizing::new(text))
}

/// Ctrl-C goes to the whole foreground process group. Had it killed us at
/// once, the user's shell would be back (and might save the terminal's
/// modes) while ours was still restoring echo. So while the prompt runs, a
/// SIGINT is caught and dropped here, and the prompt's shell, which gets it
/// too, restores the terminal and exits 130; we then report the cancel.
/// (A handler, not SIG_IGN: an ignored signal stays ignored across exec, and
/// the shell could not trap it.)
#[cfg(unix)]
mod interrupt {
    use std::ffi::c_int;

    const SIGINT: c_int = 2;
    const SIG_DFL: usize = 0;

    unsafe extern "C" {
        fn signal(signum: c_int, handler: usize) -> usize;
    }

    extern "C" fn ignore(_: c_int) {}

    pub struct Outlive {
        previous: usize,
    }

    impl Outlive {
        pub fn start() -> Outlive {
            let handler: extern "C" fn(c_int) = ignore;
            // SAFETY: the handler does nothing, so it is async-signal-safe.
            let previous = unsafe { signal(SIGINT, handler as usize) };
            Outlive { previous }
        }
    }

    impl Drop for Outlive {
        fn drop(&mut self) {
            // SIG_ERR (usize::MAX) means nothing was installed.
            let previous = if self.previous == usize::MAX {
                SIG_DFL
            } else {
                self.previous
            };
            // SAFETY: puts back the disposition signal() returned.
            unsafe { signal(SIGINT, previous) };
        }
    }
}

#[cfg(not(unix))]
fn prompt() -> Result<Zeroizing<String>> {
    stdin_line()
}
