/*!
What is known about an API key: what the platform says (`POST /verifyapikey`,
protocol §2.5), what a profile remembers of it, or, with `login
--skip-verify`, what its prefix tells. And how a key is shown: masked, and
when it expires.
*/

use miniserde::json::Value;

use codika_common::clock;
use codika_common::value::{as_str, field};

pub const ORG_KEY: &str = "org-api-key";
pub const ADMIN_KEY: &str = "admin-api-key";
pub const PERSONAL_KEY: &str = "personal-api-key";

/// Days before expiry from which a warning is shown (the official CLI's).
pub const WARN_DAYS: i64 = 7;

/// What the platform says about a key (verifyapikey's `data`), as a
/// profile also keeps it; absent or empty fields are unknown.
#[derive(Clone, Default)]
pub struct Identity {
    /// `org-api-key`, `admin-api-key` or `personal-api-key`.
    pub kind: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub key_name: Option<String>,
    pub key_prefix: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub created_at: Option<String>,
    pub expires_at: Option<String>,
}

impl Identity {
    /// The official keys of a verifyapikey answer or a saved profile.
    pub fn read(data: &Value) -> Identity {
        let text = |key: &str| {
            field(data, key)
                .and_then(as_str)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        Identity {
            kind: text("type"),
            organization_id: text("organizationId"),
            organization_name: text("organizationName"),
            key_name: text("keyName"),
            key_prefix: text("keyPrefix"),
            scopes: match field(data, "scopes") {
                Some(Value::Array(items)) => {
                    Some(items.iter().filter_map(as_str).map(String::from).collect())
                }
                _ => None,
            },
            created_at: text("createdAt"),
            expires_at: text("expiresAt"),
        }
    }

    /// Whether the platform described the key (login verified it): a
    /// profile saved with `--skip-verify` holds only its type, so a missing
    /// expiry there means unknown, not never.
    pub fn verified(&self) -> bool {
        self.organization_id.is_some()
            || self.key_name.is_some()
            || self.key_prefix.is_some()
            || self.scopes.is_some()
            || self.created_at.is_some()
            || self.expires_at.is_some()
    }

    /// Unverified: only the type, from the key's prefix.
    pub fn from_prefix(key: &str) -> Identity {
        Identity {
            kind: Some(kind_from_prefix(key).to_string()),
            ..Identity::default()
        }
    }

    /// `org-api-key`, `admin-api-key` or `personal-api-key`.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or(ORG_KEY)
    }

    /// `(admin)` or `(personal)`: what a key that is not an organization's is.
    pub fn kind_label(&self) -> Option<&'static str> {
        match self.kind.as_deref() {
            Some(ADMIN_KEY) => Some("(admin)"),
            Some(PERSONAL_KEY) => Some("(personal)"),
            _ => None,
        }
    }

    /// The profile name the official CLI derives (`deriveProfileName`):
    /// personal keys after the key's name, organization keys after the
    /// organization, then `-2`, `-3`... while taken.
    pub fn derived_name(&self, taken: &[&str]) -> String {
        let key_name = self.key_name.as_deref().map(slug);
        let base = if self.kind() == PERSONAL_KEY {
            key_name
                .or_else(|| self.key_prefix.clone())
                .unwrap_or_else(|| "personal".into())
        } else if let (ORG_KEY, Some(org)) = (self.kind(), &self.organization_name) {
            slug(org)
        } else {
            key_name
                .or_else(|| self.key_prefix.clone())
                .unwrap_or_else(|| "default".into())
        };
        numbered(if base.is_empty() { "default" } else { &base }, taken)
    }

    /// "Acme Corp (org_acme)", or what is known of it.
    pub fn organization(&self) -> Option<String> {
        match (&self.organization_name, &self.organization_id) {
            (Some(name), Some(id)) => Some(format!("{name} ({id})")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }
}

/// `base`, else `base-2`, `base-3`... whichever is not taken.
pub fn numbered(base: &str, taken: &[&str]) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name.as_str()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The official CLI's rule for an unverified key.
pub fn kind_from_prefix(key: &str) -> &'static str {
    if key.starts_with("cka_") {
        ADMIN_KEY
    } else if key.starts_with("ckp_") {
        PERSONAL_KEY
    } else {
        ORG_KEY
    }
}

/// Lowercase, runs of anything but `a-z0-9` to one `-`, no `-` at either end
/// (the official `slugify`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    // The official CLI strips one dash at each end; runs are already one.
    let out = out.strip_prefix('-').unwrap_or(&out);
    out.strip_suffix('-').unwrap_or(out).to_string()
}

/// The key for display: its first 8 characters then `...`. A key of 16
/// characters or fewer shows only its first half, so a key is never shown
/// whole (the official CLI prints keys of 8 characters or fewer as they are).
pub fn masked(key: &str) -> String {
    let count = key.chars().count();
    let shown = if count > 16 { 8 } else { count / 2 };
    format!("{}...", key.chars().take(shown).collect::<String>())
}

/// Whether a word typed where a name is expected (`--profile`, `use`,
/// `logout`, `login --name`) looks like an API key, and so is shown
/// [`masked`]: a Codika key's prefix (`cko_`, `cka_`, `ckp_`), or a long
/// token mixing upper case, lower case and digits (as generated keys do;
/// profile names are lower-case slugs).
pub fn looks_like_a_key(word: &str) -> bool {
    let codika = ["cko_", "cka_", "ckp_"]
        .iter()
        .any(|prefix| word.starts_with(prefix));
    let token = word.len() >= 20
        && word.bytes().all(|b| b.is_ascii_graphic())
        && word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_lowercase())
        && word.bytes().any(|b| b.is_ascii_uppercase());
    codika || token
}

/// What is wrong with a key that is not all visible ASCII, for the error
/// that refuses it: a key is ASCII, and a letter like `é` is not a space.
pub fn key_flaw(key: &str) -> &'static str {
    if key.is_empty() {
        "is empty"
    } else if !key.is_ascii() {
        "has characters that are not ASCII (an API key is ASCII letters, digits and punctuation)"
    } else {
        "has spaces or control characters"
    }
}

/// When a key expires, as seen now.
#[derive(Debug, PartialEq, Eq)]
pub enum Expiry {
    Never,
    /// Passed (days left 0 or less, rounded up as the official CLI does).
    Expired,
    /// Within [`WARN_DAYS`].
    Soon(i64),
    Later(i64),
    /// Not a timestamp we can read.
    Unknown,
}

pub fn expiry(expires_at: Option<&str>) -> Expiry {
    let Some(at) = expires_at else {
        return Expiry::Never;
    };
    match clock::days_until(at) {
        None => Expiry::Unknown,
        Some(days) if days <= 0 => Expiry::Expired,
        Some(days) if days <= WARN_DAYS => Expiry::Soon(days),
        Some(days) => Expiry::Later(days),
    }
}

/// The UTC date of an ISO timestamp (`2026-11-26`, its offset applied), or
/// the text as it is when it is none.
pub fn date(iso: &str) -> String {
    clock::unix_millis_from_iso(iso).map_or_else(|| iso.to_string(), clock::utc_date)
}

/// The warning for a key that expired or expires within a week.
pub fn expiry_warning(expires_at: Option<&str>) -> Option<String> {
    let at = expires_at?;
    match expiry(Some(at)) {
        Expiry::Expired => Some(format!(
            "the API key expired on {}: run 'codika login' with a new key",
            date(at)
        )),
        Expiry::Soon(days) => Some(format!(
            "the API key expires in {days} day{} ({}): run 'codika login' with a new key before then",
            if days == 1 { "" } else { "s" },
            date(at)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_never_show_a_key_whole() {
        assert_eq!(masked("cko_emulator_owner_full"), "cko_emul...");
        assert_eq!(masked("cko_12345678"), "cko_12...");
        assert_eq!(masked("abc"), "a...");
        assert_eq!(masked(""), "...");
    }

    #[test]
    fn words_that_look_like_keys() {
        for key in [
            "cko_emulator_owner_full",
            "cka_x",
            "ckp_123",
            "sk-proj-Ab3dEf6hIj9kLm2nOp5q",
        ] {
            assert!(looks_like_a_key(key), "{key}");
        }
        for name in [
            "work",
            "acme-corp-2",
            "default",
            "staging-eu-west-1-primary",
            "Acme",
        ] {
            assert!(!looks_like_a_key(name), "{name}");
        }
    }

    #[test]
    fn slugs_as_the_official_cli() {
        assert_eq!(slug("Acme Corp"), "acme-corp");
        assert_eq!(slug("  Globex, Inc. "), "globex-inc");
        assert_eq!(slug("Société Générale"), "soci-t-g-n-rale");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn names_are_derived_then_numbered() {
        let mut id = Identity::from_prefix("cko_x");
        assert_eq!(id.derived_name(&[]), "default");
        assert_eq!(id.derived_name(&["default", "default-2"]), "default-3");
        id.organization_name = Some("Acme Corp".into());
        assert_eq!(id.derived_name(&["acme-corp"]), "acme-corp-2");
        id.organization_name = Some("???".into());
        assert_eq!(id.derived_name(&[]), "default");
        let mut personal = Identity::from_prefix("ckp_x");
        assert_eq!(personal.derived_name(&[]), "personal");
        personal.key_name = Some("My Laptop".into());
        assert_eq!(personal.derived_name(&[]), "my-laptop");
        assert_eq!(kind_from_prefix("cka_x"), ADMIN_KEY);
    }

    #[test]
    fn expiry_warns_within_a_week() {
        let in_days =
            |d: i64| clock::iso_from_unix_millis(clock::now_unix_millis() + d * 86_400_000 - 1000);
        assert_eq!(expiry(None), Expiry::Never);
        assert_eq!(expiry(Some("2025-01-01T00:00:00.000Z")), Expiry::Expired);
        assert_eq!(expiry(Some(&in_days(3))), Expiry::Soon(3));
        assert_eq!(expiry(Some(&in_days(30))), Expiry::Later(30));
        assert!(
            expiry_warning(Some(&in_days(1)))
                .unwrap()
                .contains("in 1 day (")
        );
        assert!(expiry_warning(Some(&in_days(30))).is_none());
        assert_eq!(date("2026-12-06T23:30:00-05:00"), "2026-12-07");
        assert_eq!(date("someday"), "someday");
        assert!(
            expiry_warning(Some("2025-01-01T00:00:00.000Z"))
                .unwrap()
                .contains("expired on 2025-01-01")
        );
    }
}
