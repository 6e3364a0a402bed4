/*!
`codika instance activate|deactivate [ID]`: resumes or pauses a process
instance's workflows (docs/deployments.md). [`set_active`] is the
operation, [`run`] its adapter from the arguments. Also the printed
`codika instance activate ...` command that a confirmed delete shows for
each instance it deactivated.
*/

use crate::commands::Finished;
use crate::commands::command_line::CommandLine;
use crate::context::Environment;
use crate::error::{CliError, Result};
use crate::flags::Command;
use crate::platform::client::Client;
use crate::platform::wire::{ACTIVATE_PATH, DEACTIVATE_PATH, InstanceState};
use crate::resolve::{Common, InstanceArgs};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

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

pub fn run(common: &Common, args: InstanceArgs, out: &Output) -> Result<Finished> {
    let instance = match args.instance {
        Some(id) => id,
        None => common
            .instance
            .clone()
            .ok_or_else(|| missing_instance(common, "it as the argument"))?,
    };
    let platform = common.platform()?;
    let active = args.active;
    if args.dry_run {
        let path = if active {
            ACTIVATE_PATH
        } else {
            DEACTIVATE_PATH
        };
        return Finished::done(InstancePlan {
            title: common.command.path(),
            instance,
            request: format!("POST {path} (processInstanceId)"),
        });
    }
    let client = platform.client()?;
    let verb = if active { "Activating" } else { "Deactivating" };
    out.say(&format!("\n{verb} instance \"{}\"...", shown(&instance)));
    Finished::done(set_active(&client, &instance, active)?)
}

impl Render for StateReport {
    fn json(&self) -> Json {
        let state = &self.state;
        Json::success(
            JsonObject::new()
                .text("processInstanceId", &state.process_instance_id)
                .bool("isActive", state.is_active)
                .count("workflowCount", state.workflow_count),
        )
    }

    fn human(&self, out: &Output) {
        let state = &self.state;
        out.say("");
        if self.active {
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
            if self.active { "activated" } else { "paused" }
        ));
        out.say("");
    }
}

/// `--dry-run`: the instance known, nothing sent.
struct InstancePlan {
    title: String,
    instance: String,
    request: String,
}

impl Render for InstancePlan {
    fn json(&self) -> Json {
        let data = JsonObject::new()
            .text("processInstanceId", &self.instance)
            .strings("wouldSend", std::slice::from_ref(&self.request));
        Json::dry_run(data)
    }

    fn human(&self, out: &Output) {
        out.data(&format!(
            "Dry run of codika {}: nothing was sent",
            self.title
        ));
        out.data(&format!("  Instance:        {}", shown(&self.instance)));
        out.data(&format!("Would send: {}", self.request));
    }
}

/// No instance anywhere: exit 2, saying both ways to give one.
pub fn missing_instance(common: &Common, explicit: &str) -> CliError {
    let key = match common.environment {
        Environment::Dev => "devProcessInstanceId",
        Environment::Prod => "prodProcessInstanceId",
    };
    CliError::validation(format!(
        "no process instance: pass {explicit}, or run from (or --path to) a use case whose project.json has {key}; see 'codika {} --help'",
        common.command.path()
    ))
}

/// `codika instance activate ID ...`, to undo a delete's deactivation.
pub fn activate_command(common: &Common, instance: &str) -> String {
    CommandLine::new(Command::InstanceActivate)
        .arg(instance)
        .platform(&common.typed)
        .text()
}
