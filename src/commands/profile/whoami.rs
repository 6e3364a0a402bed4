/*!
`codika whoami`: the key the other commands would use (the same chain), what
the platform says about it, and where it came from. When the platform cannot
be reached, what the key's profile saved at login, said to be so.
*/

use crate::commands::Finished;
use crate::error::{CliError, Outcome, Result};
use crate::platform::identity::{self, Expiry, Identity, masked};
use crate::platform::url::redacted;
use crate::resolve::{Common, DEFAULT_BASE_URL};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

pub fn run(common: &Common, out: &Output) -> Result<Finished> {
    let Some(platform) = common.platform_if_logged_in()? else {
        return Finished::with(Outcome::NotLoggedIn, NotLoggedIn);
    };
    let profile_name = platform.key.profile.as_ref().map(|p| p.name.clone());
    let (identity, unreachable) = match platform.client()?.verify() {
        Ok(identity) => (identity, None),
        Err(error) if is_unreachable(&error) => {
            match &platform.key.profile {
                Some(profile) => (profile.saved_identity(), Some(error.message)),
                // A key from a flag or the environment: nothing saved to show.
                None => return Err(error),
            }
        }
        Err(error) => return Err(error),
    };
    if let Some(reason) = &unreachable {
        out.warn(&format!(
            "the platform could not be reached ({}); showing what profile '{}' saved at login",
            shown(reason),
            profile_name.as_deref().map(shown).unwrap_or_default()
        ));
    }
    let key = masked(&platform.key.api_key);
    let source = platform.key.source.to_string();

    if let Some(warning) = identity::expiry_warning(identity.expires_at.as_deref()) {
        out.warn(&warning);
    }
    Finished::done(Whoami {
        identity,
        cached: unreachable.is_some(),
        key,
        source,
        profile_name,
        base_url: platform.base_url.clone(),
    })
}

/// No key anywhere: said on stderr (a JSON document with `--json`).
struct NotLoggedIn;

impl Render for NotLoggedIn {
    fn json(&self) -> Json {
        JsonObject::new().bool("loggedIn", false).build()
    }

    fn human(&self, out: &Output) {
        out.note("Not logged in: run 'codika login' (or set CODIKA_API_KEY, or pass --api-key).");
    }
}

/// The key in use and what is known about it.
struct Whoami {
    identity: Identity,
    /// What the profile saved: the platform could not be reached.
    cached: bool,
    /// Masked.
    key: String,
    source: String,
    profile_name: Option<String>,
    base_url: String,
}

impl Render for Whoami {
    fn json(&self) -> Json {
        let identity = &self.identity;
        let mut object = JsonObject::new().bool("loggedIn", true);
        if self.cached {
            object = object.bool("cached", true);
            if !identity.verified() {
                // Saved with --skip-verify: no expiresAt means unknown, not never.
                object = object.bool("verified", false);
            }
        }
        object = object
            .text("type", identity.kind())
            .text_if("organizationId", identity.organization_id.as_deref())
            .text_if("organizationName", identity.organization_name.as_deref())
            .text_if("keyName", identity.key_name.as_deref())
            .text_if("keyPrefix", identity.key_prefix.as_deref());
        if let Some(scopes) = &identity.scopes {
            object = object.strings("scopes", scopes);
        }
        object
            .text_if("createdAt", identity.created_at.as_deref())
            .text_if("expiresAt", identity.expires_at.as_deref())
            .text("key", &self.key)
            .text("source", &self.source)
            .text_or_null("profileName", self.profile_name.as_deref())
            .text("baseUrl", &redacted(&self.base_url))
            .build()
    }

    fn human(&self, out: &Output) {
        let identity = &self.identity;
        let kind = identity
            .kind_label()
            .map(|label| format!(" {label}"))
            .unwrap_or_default();
        let cached = if self.cached {
            "(saved data: the platform could not be reached)"
        } else {
            ""
        };
        let gap = if cached.is_empty() { "" } else { "  " };
        out.data_with(
            &format!("Logged in to Codika{kind}{gap}"),
            Style::Yellow,
            cached,
        );
        out.data("");
        if let Some(organization) = identity.organization() {
            out.data(&format!("  Organization:  {}", shown(&organization)));
        }
        if let Some(key_name) = &identity.key_name {
            out.data(&format!("  Key name:      {}", shown(key_name)));
        }
        out.data(&format!("  Key:           {}", shown(&self.key)));
        if let Some(scopes) = identity.scopes.as_ref().filter(|s| !s.is_empty()) {
            out.data(&format!("  Scopes:        {}", shown(&scopes.join(", "))));
        }
        let (expires, mark) = match (
            &identity.expires_at,
            identity::expiry(identity.expires_at.as_deref()),
        ) {
            (None, _) if self.cached && !identity.verified() => {
                ("unknown (not verified at login)".to_string(), "")
            }
            (None, _) => ("never".to_string(), ""),
            (Some(at), Expiry::Expired) => (format!("{} ", identity::date(at)), "[EXPIRED]"),
            (Some(at), _) => (identity::date(at), ""),
        };
        out.data_with(&format!("  Expires:       {expires}"), Style::Yellow, mark);
        if let Some(name) = &self.profile_name {
            out.data(&format!("  Profile:       {}", shown(name)));
        }
        out.data(&format!("  Source:        {}", shown(&self.source)));
        if self.base_url != DEFAULT_BASE_URL {
            out.data(&format!("  Base URL:      {}", redacted(&self.base_url)));
        }
    }
}

/// No platform answer at all: the network failed, or something that is not
/// the platform answered (a proxy's error page).
fn is_unreachable(error: &CliError) -> bool {
    error.body.is_none() && error.code.is_unreachable()
}
