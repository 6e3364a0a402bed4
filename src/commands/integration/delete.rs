/*!
`codika integration delete <integrationId>`: two phases. Without `--confirm`
the platform deletes nothing and lists the process instances that would be
deactivated; we show them and the exact command that deletes (exit 2).
`--dry-run` sends only that first, unconfirmed request (a read), whatever
`--confirm` says, and prints the plan (see `plan`).
*/

use super::plan::{self, Existing, Plan};
use crate::commands::Finished;
use crate::commands::command_line::{self, CommandLine};
use crate::commands::deployment::instance::activate_command;
use crate::commands::{integration_id, integration_ref};
use crate::context::{ContextType, Environment};
use crate::error::{Outcome, Result};
use crate::flags::{Command, defs};
use crate::platform::client::Client;
use crate::platform::wire::{DELETE_PATH, Deleted, IntegrationRef, Pending};
use crate::resolve::{self, Common, DeleteArgs, Target};
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};

pub fn run(common: &Common, args: DeleteArgs, out: &Output) -> Result<Finished> {
    let id = integration_id(&args.integration_id)?;
    let platform = common.platform()?;
    let target = common.target(id, schema_context(common, id))?;
    let integration = integration_ref(common.organization_id.as_deref(), id, &target);
    let client = platform.client()?;
    if args.dry_run {
        let plan = plan(common, &args, id, &target, &integration, &client, out)?;
        return Finished::with(plan.outcome, plan);
    }
    // The platform answers both requests alike whether or not the
    // integration exists: `list` (a read) tells, so that a delete of what
    // is not there (a typo, another context) says so.
    let absent = matches!(plan::existing(common, &client, id, &target)?, Existing::No)
        .then(|| where_(&target));
    if args.confirm {
        // The confirmed answer counts the instances it deactivated but does
        // not name them: asked first (a read), to print how to activate each
        // again. Nothing is printed with --json or --quiet, so nothing is
        // asked then.
        let dependents: Vec<String> = if out.shows_decoration() {
            client
                .request_deletion(&integration)?
                .processes
                .into_iter()
                .map(|p| p.process_instance_id)
                .filter(|id| !id.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        let deleted = client.delete(&integration)?;
        return Finished::done(DeleteReport::Deleted {
            id: id.to_string(),
            absent,
            deleted,
            activate: dependents
                .iter()
                .map(|instance| activate_command(common, instance))
                .collect(),
            left_out: command_line::left_out(common),
        });
    }
    out.say(&format!("\nChecking dependencies for {id}..."));
    let pending = client.request_deletion(&integration)?;
    let report = DeleteReport::Pending {
        id: id.to_string(),
        absent,
        pending,
        confirm_command: confirm_command(common, id),
        left_out: command_line::left_out(common),
    };
    Finished::with(Outcome::PendingDelete, report)
}

/// What a delete did, or (without `--confirm`) what it would deactivate
/// and the command that deletes.
enum DeleteReport {
    Deleted {
        id: String,
        /// Where `list` found no such integration before the delete.
        absent: Option<String>,
        deleted: Deleted,
        /// `codika instance activate ...` for each instance it deactivated.
        activate: Vec<String>,
        /// What the commands leave out (`command_line::left_out`).
        left_out: Vec<String>,
    },
    Pending {
        id: String,
        /// Where `list` found no such integration.
        absent: Option<String>,
        pending: Pending,
        confirm_command: String,
        /// What the command leaves out (`command_line::left_out`).
        left_out: Vec<String>,
    },
}

impl Render for DeleteReport {
    /// The platform's answer as received; with `"existed": false` in its
    /// `data` when `list` found no such integration.
    fn json(&self) -> Json {
        let (text, absent) = match self {
            DeleteReport::Deleted {
                deleted, absent, ..
            } => (&deleted.text, absent),
            DeleteReport::Pending {
                pending, absent, ..
            } => (&pending.text, absent),
        };
        match absent {
            None => Json::Received(text.clone()),
            Some(_) => Json::received_with(text, &[("existed", "false".into())]),
        }
    }

    fn quiet(&self, out: &Output) {
        match self {
            DeleteReport::Pending {
                id,
                absent: Some(place),
                ..
            } => out.warn(&format!(
                "{id} was not deleted: it does not exist in {place}, so there is nothing to delete"
            )),
            // Not a success: said on stderr, in one line.
            DeleteReport::Pending { id, pending, .. } => out.warn(&format!(
                "{id} was not deleted: {} active process instance(s) depend on it; re-run with --confirm to delete it",
                pending.count
            )),
            DeleteReport::Deleted { .. } => self.human(out),
        }
    }

    fn human(&self, out: &Output) {
        match self {
            DeleteReport::Deleted {
                id,
                absent: Some(place),
                ..
            } => {
                out.say("");
                out.say(&format!(
                    "{id} did not exist in {place}: nothing was deleted."
                ));
                out.say("");
            }
            DeleteReport::Pending {
                id,
                absent: Some(place),
                pending,
                ..
            } => {
                out.say("");
                out.say(&format!(
                    "{id} does not exist in {place}: there is nothing to delete (check the id and --context-type)."
                ));
                if !pending.processes.is_empty() {
                    out.say("\nActive process instance(s) that use it:");
                    for process in &pending.processes {
                        out.say(&shown(&format!(
                            "  • {} ({})",
                            process.title, process.process_instance_id
                        )));
                    }
                }
                out.say("");
            }
            DeleteReport::Deleted {
                id,
                deleted,
                activate,
                left_out,
                ..
            } => {
                out.say("");
                out.say_styled(
                    Style::Green,
                    &format!("✓ {id} integration deleted successfully!"),
                );
                let deactivated = deleted.deactivated_count;
                if deactivated > 0 {
                    out.say(&format!("  {deactivated} process instance(s) deactivated."));
                    if !activate.is_empty() {
                        out.say("\nActivate them again, once they can run, with:");
                        for command in activate {
                            out.say(&shown(&format!("  {command}")));
                        }
                        for note in left_out {
                            out.say(&format!("  ({note})"));
                        }
                    }
                }
                out.say("");
            }
            DeleteReport::Pending {
                id,
                pending,
                confirm_command,
                left_out,
                ..
            } => {
                show_pending(id, pending, out);
                out.say("\nRe-run with --confirm to proceed:");
                out.say(&format!("  {confirm_command}"));
                for note in left_out {
                    out.say(&format!("  ({note})"));
                }
                out.say("");
            }
        }
    }
}

/// `--dry-run`: the unconfirmed request, which deletes nothing and says
/// what depends on the integration, then the plan.
fn plan(
    common: &Common,
    args: &DeleteArgs,
    id: &str,
    target: &Target,
    integration: &IntegrationRef,
    client: &Client,
    out: &Output,
) -> Result<Plan> {
    let facts = plan::facts(common, client, id, target, out)?;
    let absent = matches!(facts.existing, Existing::No);
    let Pending {
        count, processes, ..
    } = client.request_deletion(integration)?;
    let listed: Vec<String> = processes
        .iter()
        .map(|p| format!("{} ({})", p.title, p.process_instance_id))
        .collect();
    let dependents = match listed.as_slice() {
        [] => format!("{count} active process instance(s)"),
        names => format!("{count} active process instance(s): {}", names.join(", ")),
    };
    let json: Vec<Json> = processes
        .iter()
        .map(|p| {
            JsonObject::new()
                .text("processInstanceId", &p.process_instance_id)
                .text("title", &p.title)
                .build()
        })
        .collect();
    let (requests, confirm) = if absent {
        let place = where_(target);
        (
            match args.confirm {
                true => vec![format!(
                    "POST {DELETE_PATH} (confirmDeletion: true): deletes nothing, {id} does not exist"
                )],
                false => Vec::new(),
            },
            match args.confirm {
                true => format!(
                    "--confirm: given: {id} does not exist in {place}; the real command says nothing was deleted (exit 0)."
                ),
                false => format!(
                    "--confirm: not given: {id} does not exist in {place}; the real command says there is nothing to delete (exit 2)."
                ),
            },
        )
    } else if args.confirm {
        (
            vec![format!(
                "POST {DELETE_PATH} (confirmDeletion: true): deletes {id}, deactivates {count} process instance(s)"
            )],
            format!(
                "--confirm: given: {id} is deleted and {count} process instance(s) deactivated."
            ),
        )
    } else {
        (
            Vec::new(),
            format!(
                "--confirm: not given: the real command deletes nothing, lists what depends on {id} and exits 2; with it, {id} is deleted and {count} process instance(s) deactivated."
            ),
        )
    };
    let mut plan = Plan::new(common, id, target, &facts)?
        .row("Depends on it", dependents, "dependents", Json::Array(json))
        .member("wouldDeactivate", Json::Count(count))
        .would_send(requests)
        .switch("confirm", args.confirm, confirm);
    // Without --confirm the real command deletes nothing and exits 2.
    if !args.confirm {
        plan.outcome = Outcome::PendingDelete;
    }
    Ok(plan)
}

/// Where an integration is looked for: `organization context`,
/// `process_instance context (pi_abc)`.
fn where_(target: &Target) -> String {
    match &target.instance {
        Some(instance) => format!("{} context ({})", target.context.as_str(), shown(instance)),
        None => format!("{} context", target.context.as_str()),
    }
}

/// What would be deactivated, for a human.
fn show_pending(id: &str, pending: &Pending, out: &Output) {
    let count = pending.count;
    if count == 0 {
        out.say(&format!("\nNo active process instance depends on {id}."));
    } else {
        let warning =
            format!("⚠ Deleting {id} will deactivate {count} active process instance(s):");
        out.say("");
        out.say_styled(Style::Yellow, &warning);
        out.say("");
        for process in &pending.processes {
            out.say(&shown(&format!(
                "  • {} ({})",
                process.title, process.process_instance_id
            )));
        }
    }
}

/// The command the user ran, with `--confirm`; never the API key, nor a
/// URL's password (shown as `***`, and said so).
fn confirm_command(common: &Common, id: &str) -> String {
    let typed = &common.typed;
    let shown_path = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    CommandLine::new(Command::Delete)
        .arg(id)
        .option(&defs::CONTEXT_TYPE, typed.context_type.map(|c| c.as_str()))
        .option(
            &defs::PROCESS_INSTANCE_ID,
            typed.process_instance_id.as_deref(),
        )
        .option(&defs::PATH, shown_path(&typed.path).as_deref())
        .option(
            &defs::PROJECT_FILE,
            shown_path(&typed.project_file).as_deref(),
        )
        .option(
            &defs::ENVIRONMENT,
            (common.environment == Environment::Prod).then_some("prod"),
        )
        .option(&defs::PROFILE, typed.profile.as_deref())
        .option(&defs::API_URL, typed.api_url_shown().as_deref())
        .option(
            &defs::API_KEY_FILE,
            shown_path(&typed.api_key_file).as_deref(),
        )
        .option(&defs::CA_BUNDLE, shown_path(&typed.ca_bundle).as_deref())
        .switch(&defs::CONFIRM, true)
        .text()
}

/// A custom integration's context, from its schema in config.ts. Best
/// effort: a delete sends no schema, so one that cannot be read is no
/// error here and the `cstm_*` default applies.
fn schema_context(common: &Common, id: &str) -> Option<ContextType> {
    if !id.starts_with("cstm_") || common.typed.context_type.is_some() {
        return None;
    }
    let found = crate::tsconfig::extract(&common.use_case, id).ok()?;
    resolve::schema_context(&miniserde::json::from_str(&found.json).ok()?)
}
