/*!
`codika rerun deployment`: reruns a process instance's deployment so that
its workflows pick up the credentials set since, with optional parameter
overrides (docs/deployments.md). [`rerun`] is the operation (typed inputs,
a report out); [`run`] reads them from the arguments; [`render`] prints.
Exit 0 when the platform answers `deployed`, 1 otherwise, as the official
CLI.
*/

use miniserde::json::{Object, Value};
use std::path::Path;

use super::instance::{missing_instance, platform_words};
use crate::api::Client;
use crate::context::Environment;
use crate::deployments::{RERUN_PATH, Rerun, RerunRequest};
use crate::error::{CliError, Outcome, Result};
use crate::files;
use crate::flags::defs;
use crate::output::{JsonObject, Output, Style, json_strings, shown};
use crate::resolve::{HiArgs, ParamArgs};
use crate::shell::quote;

/// A parameters file is a few kilobytes.
const MAX_PARAMS_FILE: u64 = 1 << 20;

/// What a rerun acts on.
pub struct RerunInput {
    pub instance: String,
    /// Merged parameters; `None` keeps the deployment's.
    pub parameters: Option<Object>,
    pub force: bool,
}

/// What a rerun did.
pub struct RerunReport {
    pub instance: String,
    pub rerun: Rerun,
}

/// Asks the platform to rerun the deployment.
pub fn rerun(client: &Client, input: &RerunInput) -> Result<RerunReport> {
    let rerun = client.rerun_deployment(&RerunRequest {
        instance: &input.instance,
        parameters: input.parameters.as_ref(),
        force: input.force,
    })?;
    Ok(RerunReport {
        instance: input.instance.clone(),
        rerun,
    })
}

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let instance = args
        .instance
        .clone()
        .ok_or_else(|| missing_instance(args, "--process-instance-id ID"))?;
    let input = RerunInput {
        instance,
        parameters: merge_parameters(&args.params)?,
        force: args.force,
    };
    let platform = args.platform()?;
    if args.dry_run {
        return Ok(plan(args, &input, out));
    }
    let client = platform.client()?;
    out.say("\nRerunning deployment...");
    out.say(&format!("  Instance ID:   {}", shown(&input.instance)));
    out.say(&format!("  Environment:   {}", args.environment.as_str()));
    if let Some(parameters) = &input.parameters {
        out.say(&format!(
            "  Parameters:    {} override(s)",
            parameters.len()
        ));
    }
    if input.force {
        out.say("  Force:         yes");
    }
    let report = rerun(&client, &input)?;
    Ok(render(args, &report, out))
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
    for pair in &sources.param {
        let (key, value) = pair
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| {
                CliError::validation(
                    "invalid --param (not shown): expected KEY=VALUE, e.g. --param LANGUAGE=fr",
                )
            })?;
        merged.insert(key.to_string(), Value::String(value.to_string()));
    }
    Ok((!merged.is_empty()).then_some(merged))
}

fn json_object(text: &str, source: &str) -> Result<Object> {
    match miniserde::json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(CliError::validation(format!(
            "{source} must be a JSON object of parameters, e.g. {{\"LANGUAGE\":\"fr\"}}"
        ))),
        Err(_) => Err(CliError::validation(format!(
            "{source} is not valid JSON (its text is not shown)"
        ))),
    }
}

pub fn render(args: &HiArgs, report: &RerunReport, out: &Output) -> Outcome {
    let rerun = &report.rerun;
    let outcome = if rerun.deployed() {
        Outcome::Done
    } else {
        Outcome::DeploymentFailed
    };
    if out.json {
        let mut data = JsonObject::new()
            .text("processInstanceId", &report.instance)
            .text("deploymentStatus", &rerun.status)
            .text("deploymentInstanceId", &rerun.deployment_instance_id)
            .strings("n8nWorkflowIds", &rerun.workflow_ids);
        if !rerun.missing_integrations.is_empty() {
            data = data.raw(
                "missingIntegrations",
                json_strings(&rerun.missing_integrations),
            );
        }
        out.json_success(data);
        return outcome;
    }
    let missing = rerun.missing_integrations.join(", ");
    if out.quiet {
        if !rerun.deployed() {
            let why = match missing.is_empty() {
                true => String::new(),
                false => format!(" (not connected: {})", shown(&missing)),
            };
            out.warn(&format!(
                "the rerun of {}'s deployment ended {}{why}",
                shown(&report.instance),
                shown(&rerun.status)
            ));
        }
        return outcome;
    }
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
        out.say(&format!("  {}", rerun_command(args, &report.instance)));
    }
    out.say("");
    outcome
}

/// `--dry-run`: everything is checked; nothing is sent.
fn plan(args: &HiArgs, input: &RerunInput, out: &Output) -> Outcome {
    let keys: Vec<String> = input
        .parameters
        .as_ref()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let request = format!(
        "POST {RERUN_PATH} (processInstanceId{}{})",
        if keys.is_empty() {
            String::new()
        } else {
            format!(", deploymentParameters: {}", keys.join(", "))
        },
        if input.force {
            ", forceRedeploy: true"
        } else {
            ""
        }
    );
    if out.json {
        let data = JsonObject::new()
            .text("processInstanceId", &input.instance)
            .strings("parameters", &keys)
            .bool("force", input.force)
            .strings("wouldSend", std::slice::from_ref(&request));
        out.json_text(
            &JsonObject::new()
                .bool("success", true)
                .bool("dryRun", true)
                .raw("data", data.build())
                .build(),
        );
        return Outcome::Done;
    }
    out.data("");
    out.data(&format!(
        "Dry run of codika {}: nothing was sent",
        args.command.path()
    ));
    out.data(&format!("  Instance:        {}", shown(&input.instance)));
    let parameters = match keys.is_empty() {
        true => "none: the deployment keeps its parameters".to_string(),
        false => keys.join(", "),
    };
    out.data(&format!("  Parameters:      {}", shown(&parameters)));
    out.data(&format!(
        "  Force:           {}",
        if input.force { "yes" } else { "no" }
    ));
    out.data(&format!("Would send: {}", shown(&request)));
    Outcome::Done
}

/// `codika rerun deployment ...` for `instance`, as this run reached the
/// platform (never the API key): built from the flag table's names.
pub fn rerun_command(args: &HiArgs, instance: &str) -> String {
    let mut words = vec![
        "codika".to_string(),
        crate::flags::Command::RerunDeployment.path(),
    ];
    let from_project = args.typed.process_instance_id.is_none();
    match (&args.typed.path, from_project) {
        (Some(path), true) => {
            words.push(format!(
                "--{} {}",
                defs::PATH.long,
                quote(&path.display().to_string())
            ));
            if let Some(file) = &args.typed.project_file {
                words.push(format!(
                    "--{} {}",
                    defs::PROJECT_FILE.long,
                    quote(&file.display().to_string())
                ));
            }
            if args.environment == Environment::Prod {
                words.push(format!("--{} prod", defs::ENVIRONMENT.long));
            }
        }
        _ => words.push(format!(
            "--{} {}",
            defs::PROCESS_INSTANCE_ID.long,
            quote(instance)
        )),
    }
    words.extend(platform_words(args));
    words.push(format!("--{}", defs::FORCE.long));
    words.join(" ")
}
