/*!
The profiles file of `codika login`, in the official CLI's format, read by
every command and written by login, use and logout:
`$XDG_CONFIG_HOME/codika/config.json`, else `~/.config/codika/config.json`,
else (read only) the legacy `codika-helper/config.json` beside it.

```json
{
  "activeProfile": "acme-corp",
  "profiles": {
    "acme-corp": {
      "apiKey": "cko_...",
      "type": "org-api-key",
      "organizationId": "org_acme",
      "organizationName": "Acme Corp",
      "keyName": "...", "keyPrefix": "cko_abc", "scopes": ["..."],
      "createdAt": "...", "expiresAt": "...", "baseUrl": "http://..."
    }
  }
}
```

Writing is what `JSON.stringify(config, null, 2) + "\n"` gives, in the
order the official CLI keeps (the file's, new profiles last), and keeps every
key we do not know, at the top or in a profile, as it was. A change is made
under a lock (`config.json.lock`, `flock`), to a temporary file in the same
directory that is synced and renamed over the old one: a crash or a
concurrent login never leaves a torn or half-merged file. A file that does
not parse is never overwritten.
*/

mod document;
mod write;

pub use document::Document;
pub use write::{check_writable, update};

use miniserde::json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use zeroize::Zeroizing;

use crate::env;
use crate::error::{CliError, Result};
use crate::files::{self, FileError};
use crate::platform::identity::{Identity, looks_like_a_key, masked};
use crate::ui::sanitize::shown;
use codika_common::jsontext::{self, quote};
use codika_common::value::{as_str, field};

pub(crate) const FILE_NAME: &str = "config.json";
/// Hundreds of profiles fit in a fraction of this.
pub(crate) const MAX_CONFIG_FILE: u64 = 1 << 20;
/// How long a change waits for another process's before giving up.
pub(crate) const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// The profile's keys the official CLI writes, in its order.
pub(crate) const KNOWN_KEYS: [&str; 10] = [
    "apiKey",
    "type",
    "organizationId",
    "organizationName",
    "keyName",
    "keyPrefix",
    "scopes",
    "createdAt",
    "expiresAt",
    "baseUrl",
];

/// One profile as read: its key, what the platform said about the key at
/// login (shown when it cannot be reached), and its platform.
pub struct Profile {
    pub name: String,
    pub api_key: Zeroizing<String>,
    pub identity: Identity,
    pub base_url: Option<String>,
}

pub struct Config {
    pub active: Option<String>,
    /// In the file's order.
    pub profiles: Vec<Profile>,
}

/// A profile as `login` writes it: the known keys, in the official order.
pub struct NewProfile {
    pub api_key: Zeroizing<String>,
    pub identity: Identity,
    pub base_url: Option<String>,
}

/// `$XDG_CONFIG_HOME`, else `$HOME/.config`. Only `HOME` names the home
/// directory (as in Go, not as in the `home` crate, which then asks the
/// passwd database): in a static glibc binary that lookup may dlopen the
/// host's NSS modules, built for another glibc.
/// A relative `XDG_CONFIG_HOME` is ignored, as the XDG spec says; a
/// relative `HOME` too: either would put the keys under whatever
/// directory the command runs in.
fn base_dir() -> Option<PathBuf> {
    match env::path("XDG_CONFIG_HOME").filter(|dir| dir.is_absolute()) {
        Some(dir) => Some(dir),
        None => Some(
            env::path("HOME")
                .filter(|home| home.is_absolute())?
                .join(".config"),
        ),
    }
}

/// Where the config would be read from, when a home or XDG directory is
/// known: the legacy file only while there is no current one.
pub fn location() -> Option<PathBuf> {
    let base = base_dir()?;
    let current = base.join("codika").join(FILE_NAME);
    let legacy = base.join("codika-helper").join(FILE_NAME);
    Some(if !current.exists() && legacy.exists() {
        legacy
    } else {
        current
    })
}

/// Where changes are written: always the current location.
pub(crate) fn write_location() -> Option<PathBuf> {
    Some(base_dir()?.join("codika").join(FILE_NAME))
}

/// The config, or `None` when there is no file (or no home to look in).
pub fn load() -> Result<Option<Config>> {
    let Some(path) = location() else {
        return Ok(None);
    };
    match read(&path)? {
        None => Ok(None),
        Some(text) => parse(&text, &path).map(Some),
    }
}

/// The profiles' names in the file's order, for completion scripts: none
/// at all (no error, no warning) when there is no file or it does not
/// parse, and never a name a shell would split or a terminal act on.
pub fn profile_names() -> Vec<String> {
    let Some(text) = location().and_then(|path| files::read_text(&path, MAX_CONFIG_FILE).ok())
    else {
        return Vec::new();
    };
    if !matches!(
        crate::json_input::parse(&text, "config file"),
        Ok(Some(Value::Object(_)))
    ) {
        return Vec::new();
    }
    jsontext::member(&text, "profiles")
        .filter(|profiles| profiles.trim_start().starts_with('{'))
        .map(ordered_members)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| {
            !name.is_empty() && !name.chars().any(char::is_whitespace) && shown(name) == *name
        })
        .collect()
}

/// The file's text, `None` when it does not exist. Warns (once per run) when
/// others may read it.
pub(crate) fn read(path: &Path) -> Result<Option<Zeroizing<String>>> {
    match files::read_text(path, MAX_CONFIG_FILE) {
        Ok(text) => {
            warn_if_open(path);
            Ok(Some(text))
        }
        Err(FileError::NotFound) => Ok(None),
        Err(e) => Err(CliError::validation(format!(
            "cannot read config file {}: {e}",
            path.display()
        ))),
    }
}

static WARNED_OPEN: AtomicBool = AtomicBool::new(false);

/// As ssh does for a private key, once per run: the file holds API keys, so
/// it must be private, its directory writable by no one else (who could
/// swap the file), and the file owned by the user (or root).
fn warn_if_open(path: &Path) {
    #[cfg(unix)]
    {
        if let Some(problem) = exposure(path)
            && !WARNED_OPEN.swap(true, Ordering::Relaxed)
        {
            crate::ui::streams::err_line(&format!("warning: {}", shown(&problem)));
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (path, &WARNED_OPEN, Ordering::Relaxed);
    }
}

/// What is wrong with the file's or its directory's ownership or mode, and
/// the command that fixes it.
#[cfg(unix)]
fn exposure(path: &Path) -> Option<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::metadata(path).ok()?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && meta.uid() != 0 {
        return Some(format!(
            "{} holds API keys but is owned by another user (uid {}); run: chown {me} {}",
            path.display(),
            meta.uid(),
            path.display()
        ));
    }
    // Its directory and every one above: whoever can rename an entry on the
    // way can put a directory of their own in its place. A sticky directory
    // (/tmp) lets others rename only their own entries, but the config
    // directory itself must be writable by no one else at all.
    for (depth, dir) in path.ancestors().skip(1).enumerate() {
        let Ok(meta) = std::fs::metadata(dir) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o7777;
        let sticky = mode & 0o1000 != 0;
        if meta.uid() != me && meta.uid() != 0 {
            return Some(format!(
                "{} holds API keys but {} is owned by another user (uid {}), who can replace them; run: chown {me} {}",
                path.display(),
                dir.display(),
                meta.uid(),
                dir.display()
            ));
        }
        if mode & 0o022 != 0 && (depth == 0 || !sticky) {
            return Some(format!(
                "{} holds API keys but others can write to {} (mode {mode:04o}), and so replace them; run: chmod {} {}",
                path.display(),
                dir.display(),
                if depth == 0 { "700" } else { "go-w" },
                dir.display()
            ));
        }
    }
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds API keys but is open to group or others (mode {mode:04o}); run: chmod 600 {}",
            path.display(),
            path.display()
        )
    })
}

pub(crate) fn invalid(path: &Path, what: &str) -> CliError {
    CliError::validation(format!(
        "config file {} is not valid: {what}; fix it, or move it away and run 'codika login' again",
        path.display()
    ))
}

pub(crate) fn parse(text: &str, path: &Path) -> Result<Config> {
    let invalid = |what: &str| invalid(path, what);
    if jsontext::nests_deeper_than(text, crate::json_input::MAX_DEPTH) {
        return Err(invalid("it nests deeper than any config file does"));
    }
    let Ok(Value::Object(mut root)) = miniserde::json::from_str::<Value>(text) else {
        return Err(invalid("not a JSON object"));
    };
    let active = match root.remove("activeProfile") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(invalid("activeProfile is not a string")),
    };
    let mut profiles = Vec::new();
    match root.remove("profiles") {
        None | Some(Value::Null) => {}
        Some(Value::Object(mut entries)) => {
            // miniserde sorts an object's keys; the file's order comes from the text.
            let order = jsontext::member(text, "profiles")
                .map(ordered_members)
                .unwrap_or_default();
            let names: Vec<String> = order
                .into_iter()
                .map(|(name, _)| name)
                .chain(entries.keys().cloned().collect::<Vec<_>>())
                .collect();
            for name in names {
                let Some(entry) = entries.remove(&name) else {
                    continue;
                };
                profiles.push(profile(name, entry).map_err(|what| invalid(&what))?);
            }
        }
        Some(_) => return Err(invalid("profiles is not an object")),
    }
    Ok(Config { active, profiles })
}

fn profile(name: String, entry: Value) -> std::result::Result<Profile, String> {
    let Value::Object(fields) = &entry else {
        return Err(format!("profile '{name}' is not an object"));
    };
    // A field of the wrong type is never read as absent (a `"baseUrl": 5`
    // would send the key to the default platform).
    for key in KNOWN_KEYS {
        let fine = match (key, fields.get(key)) {
            (_, None | Some(Value::Null)) => true,
            ("scopes", Some(Value::Array(items))) => {
                items.iter().all(|i| matches!(i, Value::String(_)))
            }
            ("scopes", Some(_)) => false,
            (_, Some(value)) => matches!(value, Value::String(_)),
        };
        if !fine {
            let want = match key {
                "scopes" => "an array of strings",
                _ => "a string",
            };
            return Err(format!("profiles.{}.{key} is not {want}", shown(&name)));
        }
    }
    // Empty is not absent either: `"baseUrl": ""` would send the key to
    // the default platform.
    if matches!(fields.get("baseUrl"), Some(Value::String(url)) if url.trim().is_empty()) {
        return Err(format!(
            "profiles.{}.baseUrl is empty: give the platform's URL or remove the field",
            shown(&name)
        ));
    }
    let text = |key: &str| {
        field(&entry, key)
            .and_then(as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let api_key = text("apiKey").ok_or_else(|| format!("profile '{name}' has no apiKey"))?;
    Ok(Profile {
        api_key: Zeroizing::new(api_key),
        base_url: text("baseUrl"),
        identity: Identity::read(&entry),
        name,
    })
}

/// An object's members in order, as (key, raw value); a repeated key keeps
/// its first place and its last value, as `JSON.parse` does.
pub(crate) fn ordered_members(text: &str) -> Vec<(String, Zeroizing<String>)> {
    let mut out: Vec<(String, Zeroizing<String>)> = Vec::new();
    // Where each key is in `out`: 2,000 profiles without a scan per key.
    let mut positions: HashMap<String, usize> = HashMap::new();
    for (key, raw) in jsontext::members(text) {
        let raw = Zeroizing::new(raw.to_string());
        match positions.get(&key) {
            Some(&at) => out[at].1 = raw,
            None => {
                positions.insert(key.clone(), out.len());
                out.push((key, raw));
            }
        }
    }
    out
}

impl Config {
    /// No file: no profiles, none active.
    pub fn empty() -> Config {
        Config {
            active: None,
            profiles: Vec::new(),
        }
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// Moves the profile `name` out (it holds a key that is not copied).
    pub fn take(&mut self, name: &str) -> Option<Profile> {
        let index = self.profiles.iter().position(|p| p.name == name)?;
        Some(self.profiles.remove(index))
    }

    pub fn active_profile(&self) -> Option<&Profile> {
        self.profile(self.active.as_deref()?)
    }

    /// The profile for this organization: the active one if it matches, else
    /// the one that does. Two or more that do (none active) is exit 2
    /// naming them: they may hold different keys for different platforms,
    /// and file order is no reason to pick one.
    /// `whose` says where the organization came from ("project.json's"),
    /// `option` what settles it (`--profile`).
    pub fn profile_for_organization(
        &self,
        organization_id: &str,
        whose: &str,
        option: &str,
    ) -> Result<Option<&Profile>> {
        let matches = |p: &&Profile| p.identity.organization_id.as_deref() == Some(organization_id);
        if let Some(active) = self.active_profile().filter(matches) {
            return Ok(Some(active));
        }
        let found: Vec<&Profile> = self.profiles.iter().filter(matches).collect();
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|p| format!("'{}'", shown(&p.name)))
                    .collect();
                Err(CliError::validation(format!(
                    "profiles {} all have {whose} organization {}, and none is active: pass {option} NAME to choose one",
                    names.join(", "),
                    shown(organization_id)
                )))
            }
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    /// "a, b" or "none", for messages.
    pub fn known(&self) -> String {
        if self.profiles.is_empty() {
            "none".to_string()
        } else {
            self.names().join(", ")
        }
    }
}

/// Exit 2 naming the profiles there are. A name typed that looks like an
/// API key (pasted after `--profile` for `--api-key`) is shown masked.
pub fn unknown_profile(config: Option<&Config>, name: &str) -> CliError {
    let known = config.map_or_else(|| "none".to_string(), Config::known);
    if looks_like_a_key(name) {
        return CliError::validation(format!(
            "no profile named '{}', which looks like an API key (shown masked); a key goes to --api-key-file FILE or --api-key (known profiles: {known})",
            masked(name)
        ));
    }
    CliError::validation(format!(
        "no profile named '{}' (known profiles: {known}); run 'codika login' to add one",
        shown(name)
    ))
}

/// `activeProfile` names a profile the file does not have.
pub fn dangling_active(config: &Config, name: &str) -> CliError {
    let file = location().map_or_else(|| "config.json".to_string(), |p| p.display().to_string());
    CliError::validation(format!(
        "config file {file}: activeProfile names '{}', which is not one of its profiles (known profiles: {}); run 'codika use NAME' or 'codika login'",
        shown(name),
        config.known()
    ))
}

impl Profile {
    /// What the profile saved at login; its type, if not saved, from the prefix.
    pub fn saved_identity(&self) -> Identity {
        let saved = self.identity.clone();
        Identity {
            kind: saved.kind.or_else(|| {
                Some(crate::platform::identity::kind_from_prefix(&self.api_key).to_string())
            }),
            ..saved
        }
    }
}

impl NewProfile {
    /// The profile `login` saves for `key`.
    pub fn new(api_key: &str, identity: Identity, base_url: Option<String>) -> NewProfile {
        NewProfile {
            api_key: Zeroizing::new(api_key.to_string()),
            identity,
            base_url,
        }
    }

    /// The known keys as compact JSON members, in the official order.
    fn members(&self) -> Vec<(&'static str, String)> {
        fn text(out: &mut Vec<(&'static str, String)>, key: &'static str, value: &Option<String>) {
            if let Some(value) = value {
                out.push((key, quote(value)));
            }
        }
        let who = &self.identity;
        let mut out = vec![("apiKey", quote(&self.api_key))];
        text(&mut out, "type", &who.kind);
        text(&mut out, "organizationId", &who.organization_id);
        text(&mut out, "organizationName", &who.organization_name);
        text(&mut out, "keyName", &who.key_name);
        text(&mut out, "keyPrefix", &who.key_prefix);
        if let Some(scopes) = &who.scopes {
            out.push(("scopes", miniserde::json::to_string(scopes)));
        }
        text(&mut out, "createdAt", &who.created_at);
        text(&mut out, "expiresAt", &who.expires_at);
        text(&mut out, "baseUrl", &self.base_url);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_format_in_file_order() {
        let text = r#"{"activeProfile":"b","profiles":{
            "b":{"apiKey":"cko_b","organizationId":"org_b","baseUrl":"http://127.0.0.1:1","expiresAt":null},
            "a":{"apiKey":"cko_a","type":"org-api-key","organizationId":"org_a","scopes":["x"]}}}"#;
        let config = parse(text, Path::new("c.json")).unwrap();
        assert_eq!(config.names(), ["b", "a"]);
        assert_eq!(config.active_profile().unwrap().api_key.as_str(), "cko_b");
        let of = |org| {
            config
                .profile_for_organization(org, "its", "--profile")
                .unwrap()
                .map(|p| &p.name)
        };
        assert_eq!(of("org_a").unwrap(), "a");
        assert!(of("org_c").is_none());
        let a = config.profile("a").unwrap();
        assert_eq!(a.identity.scopes.as_deref(), Some(&["x".to_string()][..]));
        assert_eq!(a.identity.kind.as_deref(), Some("org-api-key"));
        assert_eq!(
            config.profile("b").unwrap().base_url.as_deref(),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn a_broken_file_names_itself() {
        for text in ["{", "[]", r#"{"profiles":[]}"#, r#"{"profiles":{"a":{}}}"#] {
            let err = parse(text, Path::new("/x/config.json")).err().unwrap();
            assert!(err.message.contains("/x/config.json"), "{}", err.message);
            assert_eq!(err.exit_code(), 2);
        }
    }

    fn new_profile(key: &str, org: Option<&str>) -> NewProfile {
        NewProfile {
            api_key: Zeroizing::new(key.into()),
            identity: Identity {
                kind: Some("org-api-key".into()),
                organization_id: org.map(String::from),
                scopes: Some(vec!["a:b".into()]),
                ..Identity::default()
            },
            base_url: None,
        }
    }

    #[test]
    fn a_new_file_is_written_as_json_stringify_writes_it() {
        let mut doc = Document::new(None, Path::new("c.json")).unwrap();
        doc.upsert("acme", &new_profile("cko_1", Some("org_a")))
            .unwrap();
        doc.set_active(Some("acme")).unwrap();
        assert_eq!(
            doc.text().as_str(),
            "{\n  \"activeProfile\": \"acme\",\n  \"profiles\": {\n    \"acme\": {\n      \"apiKey\": \"cko_1\",\n      \"type\": \"org-api-key\",\n      \"organizationId\": \"org_a\",\n      \"scopes\": [\n        \"a:b\"\n      ]\n    }\n  }\n}\n"
        );
        assert!(doc.remove("acme").unwrap());
        doc.set_active(None).unwrap();
        assert_eq!(
            doc.text().as_str(),
            "{\n  \"activeProfile\": null,\n  \"profiles\": {}\n}\n"
        );
    }

    #[test]
    fn unknown_keys_and_order_are_kept() {
        let text = r#"{"z":{"n":1e3},"profiles":{"b":{"apiKey":"k","note":"keep","type":"x"},"a":{"apiKey":"j"}},"activeProfile":"a"}"#;
        let mut doc = Document::new(Some(text), Path::new("c.json")).unwrap();
        doc.upsert("b", &new_profile("cko_2", None)).unwrap();
        doc.upsert("c", &new_profile("cko_3", None)).unwrap();
        assert_eq!(
            doc.compact().as_str(),
            r#"{"z":{"n":1e3},"profiles":{"b":{"apiKey":"cko_2","type":"org-api-key","scopes":["a:b"],"note":"keep"},"a":{"apiKey":"j"},"c":{"apiKey":"cko_3","type":"org-api-key","scopes":["a:b"]}},"activeProfile":"a"}"#
        );
        assert_eq!(doc.config.names(), ["b", "a", "c"]);
        assert!(!doc.remove("nope").unwrap());
    }
}
