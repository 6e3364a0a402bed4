/*!
`codika instance activate|deactivate [ID]`: resumes or pauses a process
instance's workflows (docs/deployments.md). [`set_active`] is the
operation, [`run`] its adapter from the arguments, [`render`] the output.
Also the printed `codika instance activate ...` command that a confirmed
delete shows for each instance it deactivated.
*/

use super::target;
use crate::api::Client;
use crate::context::Environment;
use crate::deployments::{ACTIVATE_PATH, DEACTIVATE_PATH, InstanceState};
use crate::error::{CliError, Outcome, Result};
use crate::flags::{Command, defs};
use crate::output::{JsonObject, Output, Style, shown};
use crate::resolve::{HiArgs, KeySource};
use crate::shell::quote;

/// What an activate or deactivate did.
pub struct StateReport {
    pub active: bool,
    pub state: InstanceState,
}

/// Activates (`active`) or deactivates `instance`.
pub fn set_active(client: &Client, instance: &str, active: bool) -> Result<StateReport> {
    let state = client.set_instance_active(instance, active)?;
    Ok(StateReport { active, state })
}

pub fn run(args: &HiArgs, out: &Output, active: bool) -> Result<Outcome> {
    let instance = match target(args, "processInstanceId") {
        Ok(id) => id.to_string(),
        Err(_) => args
            .instance
            .clone()
            .ok_or_else(|| missing_instance(args, "it as the argument"))?,
    };
    let platform = args.platform()?;
    let verb = if active { "Activating" } else { "Deactivating" };
    if args.dry_run {
        let path = if active {
            ACTIVATE_PATH
        } else {
            DEACTIVATE_PATH
        };
        let request = format!("POST {path} (processInstanceId)");
        if out.json {
            let data = JsonObject::new()
                .text("processInstanceId", &instance)
                .strings("wouldSend", std::slice::from_ref(&request));
            out.json_text(
                &JsonObject::new()
                    .bool("success", true)
                    .bool("dryRun", true)
                    .raw("data", data.build())
                    .build(),
            );
        } else {
            out.data(&format!(
                "Dry run of codika {}: nothing was sent",
                args.command.path()
            ));
            out.data(&format!("  Instance:        {}", shown(&instance)));
            out.data(&format!("Would send: {request}"));
        }
        return Ok(Outcome::Done);
    }
    let client = platform.client()?;
    out.say(&format!("\n{verb} instance \"{}\"...", shown(&instance)));
    let report = set_active(&client, &instance, active)?;
    Ok(render(&report, out))
}

pub fn render(report: &StateReport, out: &Output) -> Outcome {
    let state = &report.state;
    if out.json {
        out.json_success(
            JsonObject::new()
                .text("processInstanceId", &state.process_instance_id)
                .bool("isActive", state.is_active)
                .raw("workflowCount", state.workflow_count.to_string()),
        );
        return Outcome::Done;
    }
    out.say("");
    if report.active {
        out.say_styled(Style::Green, "✓ Instance activated");
    } else {
        out.say_styled(Style::Yellow, "⏸ Instance deactivated");
    }
    out.say("");
    out.say(&format!(
        "  Instance ID:  {}",
        shown(&state.process_instance_id)
    ));
    out.say(&format!(
        "  Workflows:    {} {}",
        state.workflow_count,
        if report.active { "activated" } else { "paused" }
    ));
    out.say("");
    Outcome::Done
}

/// No instance anywhere: exit 2, saying both ways to give one.
pub fn missing_instance(args: &HiArgs, explicit: &str) -> CliError {
    let key = match args.environment {
        Environment::Dev => "devProcessInstanceId",
        Environment::Prod => "prodProcessInstanceId",
    };
    CliError::validation(format!(
        "no process instance: pass {explicit}, or run from (or --path to) a use case whose project.json has {key}; see 'codika {} --help'",
        args.command.path()
    ))
}

/// The flags that reach the platform as this run did: `--profile`,
/// `--api-url` (its password as `***`) and `--ca-bundle`; never the key.
pub fn platform_words(args: &HiArgs) -> Vec<String> {
    let typed = &args.typed;
    let mut words = Vec::new();
    let mut flag = |flag: &defs::Flag, value: Option<String>| {
        if let Some(value) = value {
            words.push(format!("--{} {}", flag.long, quote(&value)));
        }
    };
    flag(&defs::PROFILE, typed.profile.clone());
    flag(&defs::API_URL, typed.api_url_shown());
    flag(
        &defs::CA_BUNDLE,
        typed.ca_bundle.as_ref().map(|p| p.display().to_string()),
    );
    words
}

/// `codika instance activate ID ...`, to undo a delete's deactivation.
pub fn activate_command(args: &HiArgs, instance: &str) -> String {
    let mut words = vec![
        "codika".to_string(),
        Command::InstanceActivate.path(),
        quote(instance),
    ];
    words.extend(platform_words(args));
    words.join(" ")
}

/// Whether a printed command needs the API key added back by hand.
pub fn key_was_typed(args: &HiArgs) -> bool {
    args.platform()
        .is_ok_and(|p| p.key.source == KeySource::Flag)
}
