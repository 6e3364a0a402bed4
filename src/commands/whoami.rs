/*!
`codika whoami`: the key the other commands would use (the same chain), what
the platform says about it, and where it came from. When the platform cannot
be reached, what the key's profile saved at login, said to be so.
*/

use crate::error::{CliError, Outcome, Result};
use crate::identity::{self, Expiry, masked};
use crate::output::{JsonObject, Output, Style, shown};
use crate::resolve::{DEFAULT_BASE_URL, HiArgs};
use crate::url::redacted;

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let Some(platform) = args.platform_if_logged_in()? else {
        if out.json {
            out.json_text(r#"{"loggedIn":false}"#);
        } else {
            crate::streams::err_line(
                "Not logged in: run 'codika login' (or set CODIKA_API_KEY, or pass --api-key).",
            );
        }
        return Ok(Outcome::NotLoggedIn);
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

    if out.json {
        let mut object = JsonObject::new().bool("loggedIn", true);
        if unreachable.is_some() {
            object = object.bool("cached", true);
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
        out.json_text(
            &object
                .text_if("createdAt", identity.created_at.as_deref())
                .text_if("expiresAt", identity.expires_at.as_deref())
                .text("key", &key)
                .text("source", &source)
                .text_or_null("profileName", profile_name.as_deref())
                .text("baseUrl", &redacted(&platform.base_url))
                .build(),
        );
    } else {
        let kind = identity
            .kind_label()
            .map(|label| format!(" {label}"))
            .unwrap_or_default();
        let cached = if unreachable.is_some() {
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
        out.data(&format!("  Key:           {}", shown(&key)));
        if let Some(scopes) = identity.scopes.as_ref().filter(|s| !s.is_empty()) {
            out.data(&format!("  Scopes:        {}", shown(&scopes.join(", "))));
        }
        let (expires, mark) = match (
            &identity.expires_at,
            identity::expiry(identity.expires_at.as_deref()),
        ) {
            (None, _) => ("never".to_string(), ""),
            (Some(at), Expiry::Expired) => (format!("{} ", identity::date(at)), "[EXPIRED]"),
            (Some(at), _) => (identity::date(at).to_string(), ""),
        };
        out.data_with(&format!("  Expires:       {expires}"), Style::Yellow, mark);
        if let Some(name) = &profile_name {
            out.data(&format!("  Profile:       {}", shown(name)));
        }
        out.data(&format!("  Source:        {}", shown(&source)));
        if platform.base_url != DEFAULT_BASE_URL {
            out.data(&format!(
                "  Base URL:      {}",
                redacted(&platform.base_url)
            ));
        }
    }
    if let Some(warning) = identity::expiry_warning(identity.expires_at.as_deref()) {
        out.warn(&warning);
    }
    Ok(Outcome::Done)
}

/// No platform answer at all: the network failed, or something that is not
/// the platform answered (a proxy's error page).
fn is_unreachable(error: &CliError) -> bool {
    error.body.is_none() && error.code.is_unreachable()
}
