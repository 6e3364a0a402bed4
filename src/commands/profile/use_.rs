/*!
`codika use [NAME]` (alias `codika profiles`): make NAME the active profile,
or list the profiles with the active one marked.
*/

use crate::commands::Finished;
use crate::config::{self, Config, Profile, unknown_profile};
use crate::error::Result;
use crate::platform::identity::masked;
use crate::platform::url::redacted;
use crate::resolve::{Common, DEFAULT_BASE_URL, ProfileArgs};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

pub fn run(common: &Common, args: ProfileArgs) -> Result<Finished> {
    let config = common.config.as_ref();
    match args.name.as_deref() {
        Some(name) => Finished::done(switch(config, name)?),
        None => Finished::done(Profiles::of(config.unwrap_or(&Config::empty()))),
    }
}

/// The profile made active.
struct Switched {
    name: String,
    organization: Option<String>,
    /// Masked.
    key: String,
    base_url: String,
}

impl Render for Switched {
    fn json(&self) -> Json {
        Json::success(
            JsonObject::new()
                .text("activeProfile", &self.name)
                .text_or_null("organizationName", self.organization.as_deref())
                .text("key", &self.key)
                .text("baseUrl", &redacted(&self.base_url)),
        )
    }

    fn human(&self, out: &Output) {
        out.say_styled(Style::Green, &format!("✓ Switched to \"{}\"", self.name));
        if let Some(organization) = &self.organization {
            out.say(&format!("  Organization: {}", shown(organization)));
        }
        out.say(&format!("  Key:          {}", shown(&self.key)));
        if self.base_url != DEFAULT_BASE_URL {
            out.say(&format!("  Base URL:     {}", redacted(&self.base_url)));
        }
    }
}

fn switch(config: Option<&Config>, name: &str) -> Result<Switched> {
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
    Ok(Switched {
        name: name.to_string(),
        organization,
        key,
        base_url,
    })
}

fn base_url(profile: &Profile) -> &str {
    profile.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)
}

/// Every profile, the active one marked (no key shown whole).
struct Profiles {
    active: Option<String>,
    profiles: Vec<Row>,
}

/// What is shown of one profile.
struct Row {
    name: String,
    kind: Option<String>,
    kind_label: Option<&'static str>,
    organization_id: Option<String>,
    organization_name: Option<String>,
    key_prefix: String,
    /// Masked.
    key: String,
    scopes: Vec<String>,
    expires_at: Option<String>,
    base_url: String,
}

impl Profiles {
    fn of(config: &Config) -> Profiles {
        let row = |p: &Profile| Row {
            name: p.name.clone(),
            kind: p.identity.kind.clone(),
            kind_label: p.identity.kind_label(),
            organization_id: p.identity.organization_id.clone(),
            organization_name: p.identity.organization_name.clone(),
            key_prefix: p
                .identity
                .key_prefix
                .clone()
                .unwrap_or_else(|| masked(&p.api_key)),
            key: masked(&p.api_key),
            scopes: p.identity.scopes.clone().unwrap_or_default(),
            expires_at: p.identity.expires_at.clone(),
            base_url: base_url(p).to_string(),
        };
        Profiles {
            active: config.active_profile().map(|p| p.name.clone()),
            profiles: config.profiles.iter().map(row).collect(),
        }
    }
}

impl Render for Profiles {
    fn json(&self) -> Json {
        let active = self.active.as_deref();
        let profiles: Vec<Json> = self
            .profiles
            .iter()
            .map(|p| {
                JsonObject::new()
                    .text("name", &p.name)
                    .bool("active", Some(p.name.as_str()) == active)
                    .text_or_null("type", p.kind.as_deref())
                    .text_or_null("organizationId", p.organization_id.as_deref())
                    .text_or_null("organizationName", p.organization_name.as_deref())
                    .text("keyPrefix", &p.key_prefix)
                    .text("key", &p.key)
                    .strings("scopes", &p.scopes)
                    .text_or_null("expiresAt", p.expires_at.as_deref())
                    .text("baseUrl", &redacted(&p.base_url))
                    .build()
            })
            .collect();
        JsonObject::new()
            .text_or_null("activeProfile", active)
            .value("profiles", Json::Array(profiles))
            .build()
    }

    fn human(&self, out: &Output) {
        let active = self.active.as_deref();
        if self.profiles.is_empty() {
            out.data("No profiles: run 'codika login' to add one.");
            return;
        }
        out.data("Profiles:");
        out.data("");
        for profile in &self.profiles {
            let marker = if Some(profile.name.as_str()) == active {
                "●"
            } else {
                " "
            };
            let organization = profile
                .kind_label
                .or(profile.organization_name.as_deref())
                .unwrap_or("");
            let mut line = format!(
                "  {marker} {:<20} {:<20} {:<24} {}",
                shown(&profile.name),
                shown(organization),
                shown(profile.organization_id.as_deref().unwrap_or("")),
                profile.key
            );
            if profile.base_url != DEFAULT_BASE_URL {
                line.push_str(&format!("  {}", redacted(&profile.base_url)));
            }
            out.data(&line);
        }
        out.say("");
        out.say("Switch with: codika use <name>");
    }
}
