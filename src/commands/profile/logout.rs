/*!
`codika logout [NAME]`: remove the named profile, or the active one. When
the active one goes, the first remaining profile becomes active, or none
(`"activeProfile": null`, as the official CLI writes it). No profile at all
is exit 2, as no active profile is: there was nothing to log out of.
*/

use crate::commands::Finished;
use crate::config::{self, unknown_profile};
use crate::error::{CliError, Result};
use crate::resolve::{Common, ProfileArgs};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

/// What a logout did.
enum Removal {
    Removed {
        name: String,
        active: Option<String>,
    },
}

fn no_profiles() -> CliError {
    CliError::validation("no profiles to log out of; run 'codika login' to add one")
}

pub fn run(common: &Common, args: ProfileArgs) -> Result<Finished> {
    // No file: nothing to lock or create.
    let outcome = match (&common.config, args.name.as_deref()) {
        (None, None) => return Err(no_profiles()),
        (None, Some(name)) => return Err(unknown_profile(None, name)),
        (Some(_), _) => remove(&args)?,
    };
    Finished::done(outcome)
}

/// Removes the profile under the lock, deciding from the file as it is then.
fn remove(args: &ProfileArgs) -> Result<Removal> {
    let (outcome, _) = config::update(|document| {
        let config = &document.config;
        if config.profiles.is_empty() && args.name.is_none() {
            return Err(no_profiles());
        }
        let name = match args.name.as_deref() {
            Some(name) => name.to_string(),
            None => config.active_profile().map(|p| p.name.clone()).ok_or_else(|| {
                CliError::validation(format!(
                    "no active profile to remove: name one (known profiles: {}), e.g. 'codika logout NAME'",
                    config.known()
                ))
            })?,
        };
        if config.profile(&name).is_none() {
            return Err(unknown_profile(Some(config), &name));
        }
        let was_active = config.active.as_deref() == Some(name.as_str());
        document.remove(&name)?;
        if was_active {
            let next = document.config.profiles.first().map(|p| p.name.clone());
            document.set_active(next.as_deref())?;
        }
        let active = document.config.active_profile().map(|p| p.name.clone());
        Ok(Removal::Removed { name, active })
    })?;
    Ok(outcome)
}

impl Render for Removal {
    fn json(&self) -> Json {
        match self {
            Removal::Removed { name, active } => Json::success(
                JsonObject::new()
                    .text("removed", name)
                    .text_or_null("activeProfile", active.as_deref()),
            ),
        }
    }

    fn human(&self, out: &Output) {
        match self {
            Removal::Removed { name, active } => {
                out.say_styled(Style::Green, &format!("✓ Removed profile \"{name}\""));
                match active {
                    Some(active) => {
                        out.say(&format!("  Active profile is now \"{}\"", shown(active)))
                    }
                    None => out.say("  No active profile. Run 'codika login' to add one."),
                }
            }
        }
    }
}
