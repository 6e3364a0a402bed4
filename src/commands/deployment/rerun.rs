/*!
`codika rerun deployment`: reruns a process instance's deployment so that
its workflows pick up the credentials set since, with optional parameter
overrides (docs/deployments.md). [`rerun`] is the operation (typed inputs,
a report out); [`run`] reads them from the arguments. Exit 0 when the
platform answers `deployed`, 1 otherwise, as the official CLI.
*/

use miniserde::json::{Object, Value};
use std::path::Path;

use super::instance::missing_instance;
use crate::commands::Finished;
use crate::commands::command_line::{self, CommandLine};
use crate::context::Environment;
use crate::error::{CliError, Outcome, Result};
use crate::files;
use crate::flags::{Command, defs};
use crate::json_input;
use crate::platform::client::Client;
use crate::platform::wire::{RERUN_PATH, Rerun, RerunRequest};
use crate::resolve::{Common, ParamArgs, RerunArgs};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

/// A parameters file is a few kilobytes.
const MAX_PARAMS_FILE: u64 = 1 << 20;

/// What a rerun did.
pub struct RerunReport {
    pub instance: String,
    pub rerun: Rerun,
    /// The command that reruns it again, for a failed one.
    pub again: String,
    /// What it leaves out (`command_line::left_out`).
    pub left_out: Vec<String>,
}

/// Asks the platform to rerun the deployment.
pub fn rerun(client: &Client, request: &RerunRequest) -> Result<Rerun> {
    client.rerun_deployment(request)
}

pub fn run(common: &Common, args: RerunArgs, out: &Output) -> Result<Finished> {
    let instance = common
        .instance
        .clone()
        .ok_or_else(|| missing_instance(common, "--process-instance-id ID"))?;
    let request = RerunRequest {
        instance,
        parameters: merge_parameters(&args.params)?,
        force: args.force,
    };
    let platform = common.platform()?;
    if args.dry_run {
        return Finished::done(RerunPlan::of(common, &request));
    }
    let client = platform.client()?;
    out.say("\nRerunning deployment...");
    out.say(&format!("  Instance ID:   {}", shown(&request.instance)));
    out.say(&format!("  Environment:   {}", common.environment.as_str()));
    if let Some(parameters) = &request.parameters {
        out.say(&format!(
            "  Parameters:    {} override(s)",
            parameters.len()
        ));
    }
    if request.force {
        out.say("  Force:         yes");
    }
    let rerun = rerun(&client, &request)?;
    let outcome = if rerun.deployed() {
        Outcome::Done
    } else {
        Outcome::DeploymentFailed
    };
    let report = RerunReport {
        again: rerun_command(common, &request.instance),
        left_out: command_line::left_out(common),
        instance: request.instance,
        rerun,
    };
    Finished::with(outcome, report)
}

/// `--params-file` < `--params` < `--param`, key by key; `None` when none
/// gives a parameter. Values are never shown in an error.
pub fn merge_parameters(sources: &ParamArgs) -> Result<Option<Object>> {
    let mut merged = Object::new();
    if let Some(path) = &sources.params_file {
        let text = files::read_text(Path::new(path), MAX_PARAMS_FILE).map_err(|e| {
            CliError::validation(format!("cannot read --params-file {}: {e}", path.display()))
        })?;
        merged.extend(json_object(
            &text,
            &format!("--params-file {}", path.display()),
        )?);
    }
    if let Some(text) = &sources.params {
        merged.extend(json_object(text, "--params")?);
    }
    let mut given: Vec<(&str, &str)> = Vec::new();
    for pair in &sources.param {
        let (key, value) = pair
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| {
                CliError::validation(
                    "invalid --param (not shown): expected KEY=VALUE, e.g. --param LANGUAGE=fr",
                )
            })?;
        // Repeatable, one key a word: the same key twice differently is no
        // "last wins" (as for every single-valued option).
        if given.iter().any(|(k, v)| *k == key && *v != value) {
            return Err(CliError::validation(format!(
                "--param {} is given twice with different values: give each key once",
                shown(key)
            )));
        }
        given.push((key, value));
        merged.insert(key.to_string(), Value::String(value.to_string()));
    }
    Ok((!merged.is_empty()).then_some(merged))
}

fn json_object(text: &str, source: &str) -> Result<Object> {
    match json_input::parse(text, source)? {
        Some(Value::Object(object)) => Ok(object),
        Some(_) => Err(CliError::validation(format!(
            "{source} must be a JSON object of parameters, e.g. {{\"LANGUAGE\":\"fr\"}}"
        ))),
        None => Err(CliError::validation(format!(
            "{source} is not valid JSON (its text is not shown)"
        ))),
    }
}

impl Render for RerunReport {
    fn json(&self) -> Json {
        let rerun = &self.rerun;
        let mut data = JsonObject::new()
            .text("processInstanceId", &self.instance)
            .text("deploymentStatus", &rerun.status)
            .text("deploymentInstanceId", &rerun.deployment_instance_id)
            .strings("n8nWorkflowIds", &rerun.workflow_ids);
        if !rerun.missing_integrations.is_empty() {
            data = data.strings("missingIntegrations", &rerun.missing_integrations);
        }
        Json::success(data)
    }

    /// A failed rerun is still said, in one line on stderr.
    fn quiet(&self, out: &Output) {
        let rerun = &self.rerun;
        if !rerun.deployed() {
            let missing = rerun.missing_integrations.join(", ");
            let why = match missing.is_empty() {
                true => String::new(),
                false => format!(" (not connected: {})", shown(&missing)),
            };
            out.warn(&format!(
                "the rerun of {}'s deployment ended {}{why}",
                shown(&self.instance),
                shown(&rerun.status)
            ));
        }
    }

    fn human(&self, out: &Output) {
        let rerun = &self.rerun;
        let missing = rerun.missing_integrations.join(", ");
        out.say("");
        if rerun.deployed() {
            out.say_styled(Style::Green, "✓ Deployment rerun successfully!");
        } else {
            out.say_styled(Style::Red, "✗ Deployment rerun failed");
        }
        out.say("");
        out.say(&format!("  Status:          {}", shown(&rerun.status)));
        out.say(&format!(
            "  Deployment ID:   {}",
            shown(&rerun.deployment_instance_id)
        ));
        out.say(&format!(
            "  Workflows:       {} deployed",
            rerun.workflow_ids.len()
        ));
        if !missing.is_empty() {
            out.say(&format!("  Not connected:   {}", shown(&missing)));
            out.say("");
            out.say("Connect them (codika integration check lists the commands), then rerun:");
            out.say(&format!("  {}", self.again));
            for note in &self.left_out {
                out.say(&format!("  ({note})"));
            }
        }
        out.say("");
    }
}

/// `--dry-run`: everything is checked; nothing is sent.
struct RerunPlan {
    title: String,
    instance: String,
    parameters: Vec<String>,
    force: bool,
    request: String,
}

impl RerunPlan {
    fn of(common: &Common, request: &RerunRequest) -> RerunPlan {
        let keys: Vec<String> = request
            .parameters
            .as_ref()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let sent = format!(
            "POST {RERUN_PATH} (processInstanceId{}{})",
            if keys.is_empty() {
                String::new()
            } else {
                format!(", deploymentParameters: {}", keys.join(", "))
            },
            if request.force {
                ", forceRedeploy: true"
            } else {
                ""
            }
        );
        RerunPlan {
            title: common.command.path(),
            instance: request.instance.clone(),
            parameters: keys,
            force: request.force,
            request: sent,
        }
    }
}

impl Render for RerunPlan {
    fn json(&self) -> Json {
        let data = JsonObject::new()
            .text("processInstanceId", &self.instance)
            .strings("parameters", &self.parameters)
            .bool("force", self.force)
            .strings("wouldSend", std::slice::from_ref(&self.request));
        Json::dry_run(data)
    }

    fn human(&self, out: &Output) {
        out.data("");
        out.data(&format!(
            "Dry run of codika {}: nothing was sent",
            self.title
        ));
        out.data(&format!("  Instance:        {}", shown(&self.instance)));
        let parameters = match self.parameters.is_empty() {
            true => "none: the deployment keeps its parameters".to_string(),
            false => self.parameters.join(", "),
        };
        out.data(&format!("  Parameters:      {}", shown(&parameters)));
        out.data(&format!(
            "  Force:           {}",
            if self.force { "yes" } else { "no" }
        ));
        out.data(&format!("Would send: {}", shown(&self.request)));
    }
}

/// `codika rerun deployment ...` for `instance`, as this run reached the
/// platform (never the API key): built from the flag table's names.
pub fn rerun_command(common: &Common, instance: &str) -> String {
    let typed = &common.typed;
    let line = CommandLine::new(Command::RerunDeployment);
    let line = match (&typed.path, typed.process_instance_id.is_none()) {
        (Some(path), true) => line
            .option(&defs::PATH, Some(&path.display().to_string()))
            .option(
                &defs::PROJECT_FILE,
                typed
                    .project_file
                    .as_ref()
                    .map(|f| f.display().to_string())
                    .as_deref(),
            )
            .option(
                &defs::ENVIRONMENT,
                (common.environment == Environment::Prod).then_some("prod"),
            ),
        _ => line.option(&defs::PROCESS_INSTANCE_ID, Some(instance)),
    };
    line.platform(typed).switch(&defs::FORCE, true).text()
}
