/*!
`codika use [NAME]` (alias `codika profiles`): make NAME the active profile,
or list the profiles with the active one marked.
*/

use crate::config::{self, Config, Profile, unknown_profile};
use crate::error::{Outcome, Result};
use crate::platform::identity::masked;
use crate::platform::url::redacted;
use crate::resolve::{DEFAULT_BASE_URL, HiArgs};
use crate::ui::output::{JsonObject, Output, Style, shown};

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let config = args.config.as_ref();
    match args.target.as_deref() {
        Some(name) => switch(config, name, out),
        None => list(config.unwrap_or(&Config::empty()), out),
    }
}

fn switch(config: Option<&Config>, name: &str, out: &Output) -> Result<Outcome> {
    // Checked first so that a typo creates nothing, and again under the lock.
    if config.and_then(|c| c.profile(name)).is_none() {
        return Err(unknown_profile(config, name));
    }
    let (profile, _) = config::update(|document| {
        let Some(profile) = document.config.profile(name) else {
            return Err(unknown_profile(Some(&document.config), name));
        };
        let summary = (
            profile.identity.organization_name.clone(),
            masked(&profile.api_key),
            base_url(profile).to_string(),
        );
        document.set_active(Some(name))?;
        Ok(summary)
    })?;
    let (organization, key, base_url) = profile;
    if out.json {
        let data = JsonObject::new()
            .text("activeProfile", name)
            .text_or_null("organizationName", organization.as_deref())
            .text("key", &key)
            .text("baseUrl", &redacted(&base_url));
        out.json_success(data);
        return Ok(Outcome::Done);
    }
    out.say_styled(Style::Green, &format!("✓ Switched to \"{name}\""));
    if let Some(organization) = organization {
        out.say(&format!("  Organization: {}", shown(&organization)));
    }
    out.say(&format!("  Key:          {}", shown(&key)));
    if base_url != DEFAULT_BASE_URL {
        out.say(&format!("  Base URL:     {}", redacted(&base_url)));
    }
    Ok(Outcome::Done)
}

fn base_url(profile: &Profile) -> &str {
    profile.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)
}

fn list(config: &Config, out: &Output) -> Result<Outcome> {
    let active = config.active_profile().map(|p| p.name.as_str());
    if out.json {
        let profiles: Vec<String> = config
            .profiles
            .iter()
            .map(|p| {
                JsonObject::new()
                    .text("name", &p.name)
                    .bool("active", Some(p.name.as_str()) == active)
                    .text_or_null("type", p.identity.kind.as_deref())
                    .text_or_null("organizationId", p.identity.organization_id.as_deref())
                    .text_or_null("organizationName", p.identity.organization_name.as_deref())
                    .text(
                        "keyPrefix",
                        p.identity
                            .key_prefix
                            .as_deref()
                            .unwrap_or(&masked(&p.api_key)),
                    )
                    .text("key", &masked(&p.api_key))
                    .strings("scopes", p.identity.scopes.as_deref().unwrap_or_default())
                    .text_or_null("expiresAt", p.identity.expires_at.as_deref())
                    .text("baseUrl", &redacted(base_url(p)))
                    .build()
            })
            .collect();
        out.json_text(
            &JsonObject::new()
                .text_or_null("activeProfile", active)
                .raw("profiles", format!("[{}]", profiles.join(",")))
                .build(),
        );
        return Ok(Outcome::Done);
    }
    if config.profiles.is_empty() {
        out.data("No profiles: run 'codika login' to add one.");
        return Ok(Outcome::Done);
    }
    out.data("Profiles:");
    out.data("");
    for profile in &config.profiles {
        let marker = if Some(profile.name.as_str()) == active {
            "●"
        } else {
            " "
        };
        let organization = profile
            .identity
            .kind_label()
            .or(profile.identity.organization_name.as_deref())
            .unwrap_or("");
        let mut line = format!(
            "  {marker} {:<20} {:<20} {:<24} {}",
            shown(&profile.name),
            shown(organization),
            shown(profile.identity.organization_id.as_deref().unwrap_or("")),
            masked(&profile.api_key)
        );
        if base_url(profile) != DEFAULT_BASE_URL {
            line.push_str(&format!("  {}", redacted(base_url(profile))));
        }
        out.data(&line);
    }
    out.say("");
    out.say("Switch with: codika use <name>");
    Ok(Outcome::Done)
}
