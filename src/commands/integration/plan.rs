/*!
`--dry-run` of `set` and `delete`. The command checks everything it would
check before sending (key, profile, base URL, context, instance, schema,
secrets), and `set` also fetches the public key and encrypts; then this
module learns what reads alone can tell: who the key is (`verifyapikey`),
whether the integration exists (`list`), and for a delete what depends on
it (the unconfirmed delete request, which changes nothing). Nothing that
changes state is sent. The plan says what the real command would send and
what `--force` or `--confirm` would change; field names, never values.
*/

use crate::error::{CliError, Code, Outcome, Result};
use crate::platform::client::Client;
use crate::platform::identity::Identity;
use crate::platform::url::redacted;
use crate::platform::wire::{ListRequest, Listing};
use crate::resolve::{Common, Target};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use codika_common::registry;

/// Whether the integration is there already, as `list` says.
pub enum Existing {
    Yes {
        connected_at: String,
    },
    No,
    /// `list` could not tell, and why.
    Unknown(String),
}

/// What the platform says that a plan needs.
pub struct Facts {
    pub identity: Option<Identity>,
    pub existing: Existing,
}

/// Asks the platform, by reads only, who the key is and whether `id`
/// exists in `target`. A refusal the real command would meet as well (the
/// key, the organization, the instance, no platform at all) is its error.
pub fn facts(
    common: &Common,
    client: &Client,
    id: &str,
    target: &Target,
    out: &Output,
) -> Result<Facts> {
    let identity = match client.verify() {
        Ok(identity) => Some(identity),
        Err(error) if fatal(&error) => return Err(error),
        Err(error) => {
            out.warn(&format!(
                "could not ask the platform about the API key ({}); the plan goes on without it",
                shown(&error.message)
            ));
            None
        }
    };
    let existing = existing(common, client, id, target)?;
    Ok(Facts { identity, existing })
}

/// Whether `id` exists in `target`, by one `list` request (a read). A
/// refusal the real command would meet as well is its error; another
/// leaves it unknown.
pub fn existing(common: &Common, client: &Client, id: &str, target: &Target) -> Result<Existing> {
    let request = ListRequest {
        organization_id: common.organization_id.clone(),
        instance: target.instance.clone(),
    };
    match client.list(&request) {
        Ok(listing) => Ok(existing_in(&listing, id, target)),
        Err(error) if fatal(&error) || refuses_target(&error) => Err(error),
        Err(error) => Ok(Existing::Unknown(error.message)),
    }
}

/// Met by every request of the real command: the key refused (or short of
/// the scope all integration endpoints need), no platform reached, or an
/// answer not of the protocol's shape (never taken for "nothing there").
fn fatal(error: &CliError) -> bool {
    error.code.is_about_the_key()
        || error.code.is_unreachable()
        || error.code == Code::UnexpectedResponse
}

/// The organization or instance refused, as a create or delete would be.
fn refuses_target(error: &CliError) -> bool {
    matches!(&error.code, Code::Platform(code)
        if code == "ORGANIZATION_MISMATCH" || code == "PROCESS_INSTANCE_NOT_FOUND")
}

/// An entry the platform lists as `connected: false`, in place of a date.
const NOT_CONNECTED: &str = "not connected";

fn existing_in(listing: &Listing, id: &str, target: &Target) -> Existing {
    listing
        .integrations
        .iter()
        .find(|item| item.integration_id == id && item.context == target.context.as_str())
        .map_or(Existing::No, |item| Existing::Yes {
            connected_at: match item.connected {
                true => item.connected_date().unwrap_or_default(),
                false => NOT_CONNECTED.into(),
            },
        })
}

/// A plan: rows for a human, members for `--json`, in the same order.
pub struct Plan {
    /// How the real command would end, as far as reads tell: the dry
    /// run's exit code too.
    pub outcome: Outcome,
    /// `integration set openai`.
    title: String,
    rows: Vec<(&'static str, String)>,
    json: JsonObject,
    would_send: Vec<String>,
    /// What `--force` or `--confirm` does or would do.
    switch: String,
}

impl Plan {
    /// The rows every plan has: integration, context, organization,
    /// instance, where the key came from, the platform, whether it exists.
    pub fn new(common: &Common, id: &str, target: &Target, facts: &Facts) -> Result<Plan> {
        let platform = common.platform()?;
        let name = registry::find(id).map(|i| i.name.as_str());
        let organization_id = facts
            .identity
            .as_ref()
            .and_then(|i| i.organization_id.clone())
            .or_else(|| common.known_organization());
        let organization_name = facts
            .identity
            .as_ref()
            .and_then(|i| i.organization_name.clone());
        let organization = match (&organization_name, &organization_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => "the API key's".into(),
        };
        let verified = if facts.identity.is_some() {
            ", verified"
        } else {
            ""
        };
        let (exists, exists_json) = match &facts.existing {
            Existing::Yes { connected_at } if connected_at.is_empty() => {
                ("yes".into(), Json::Bool(true))
            }
            Existing::Yes { connected_at } if connected_at == NOT_CONNECTED => {
                ("yes, not connected".into(), Json::Bool(true))
            }
            Existing::Yes { connected_at } => {
                (format!("yes, connected {connected_at}"), Json::Bool(true))
            }
            Existing::No => ("no".into(), Json::Bool(false)),
            Existing::Unknown(why) => (format!("unknown ({why})"), Json::Null),
        };
        let mut rows = vec![(
            "Integration",
            match name {
                Some(name) => format!("{id} ({name})"),
                None => id.to_string(),
            },
        )];
        rows.push(("Context", target.context.as_str().into()));
        rows.push(("Organization", organization));
        if let Some(instance) = &target.instance {
            rows.push(("Instance", instance.clone()));
        }
        rows.push(("API key", format!("{}{verified}", platform.key.source)));
        rows.push(("Platform", redacted(&platform.base_url)));
        rows.push(("Exists", exists));
        let json = JsonObject::new()
            .text("command", &common.command.path())
            .text("integrationId", id)
            .text_or_null("integrationName", name)
            .text("contextType", target.context.as_str())
            .text_or_null("organizationId", organization_id.as_deref())
            .text_or_null("organizationName", organization_name.as_deref())
            .text_or_null("processInstanceId", target.instance.as_deref())
            .text("apiKeySource", &platform.key.source.to_string())
            .bool("apiKeyVerified", facts.identity.is_some())
            .text("baseUrl", &redacted(&platform.base_url))
            .value("exists", exists_json);
        Ok(Plan {
            outcome: Outcome::Done,
            title: format!("{} {id}", common.command.path()),
            rows,
            json,
            would_send: Vec::new(),
            switch: String::new(),
        })
    }

    /// A row for a human and a member for `--json`.
    pub fn row(mut self, label: &'static str, human: String, key: &str, json: Json) -> Plan {
        self.rows.push((label, human));
        self.json = self.json.value(key, json);
        self
    }

    /// A member for `--json` alone.
    pub fn member(mut self, key: &str, json: Json) -> Plan {
        self.json = self.json.value(key, json);
        self
    }

    /// The state-changing requests the real command would send, in order.
    pub fn would_send(mut self, requests: Vec<String>) -> Plan {
        self.would_send = requests;
        self
    }

    /// What `flag` changes, whether given or not: `given` goes into `--json`.
    pub fn switch(mut self, flag: &str, given: bool, effect: String) -> Plan {
        self.json = self.json.bool(flag, given);
        self.switch = effect;
        self
    }
}

/// The plan (nothing with `--quiet`); the dry run exits as the real
/// command would (see [`Plan::outcome`]).
impl Render for Plan {
    fn json(&self) -> Json {
        let data = self
            .json
            .clone()
            .strings("wouldSend", &self.would_send)
            .text("note", &self.switch);
        match self.outcome {
            Outcome::Done => Json::dry_run(data),
            _ => JsonObject::new()
                .bool("success", false)
                .bool("dryRun", true)
                .value("data", data.build())
                .build(),
        }
    }

    fn human(&self, out: &Output) {
        out.say("");
        out.say_styled(
            Style::Bold,
            &format!("Dry run of codika {}: nothing was changed", self.title),
        );
        out.say("");
        for (label, value) in &self.rows {
            out.say(&format!("  {:<16}{}", format!("{label}:"), shown(value)));
        }
        out.say("");
        match self.would_send.as_slice() {
            [] => out.say("Would send nothing that changes state."),
            requests => {
                out.say("Would send:");
                for request in requests {
                    out.say(&format!("  {request}"));
                }
            }
        }
        out.say("");
        out.say(&self.switch);
        out.say("");
        match self.outcome {
            Outcome::Done => out.say_styled(
                Style::Green,
                "✓ Every check passed: run it again without --dry-run to do it.",
            ),
            outcome => out.say_styled(
                Style::Yellow,
                &format!(
                    "⚠ Every check passed, and the real command would exit {} (see above).",
                    outcome.exit_code()
                ),
            ),
        }
        out.say("");
    }
}
