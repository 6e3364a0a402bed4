/*!
`codika integration delete <integrationId>`: two phases. Without `--confirm`
the platform deletes nothing and lists the process instances that would be
deactivated; we show them and the exact command that deletes (exit 2).
`--dry-run` sends only that first, unconfirmed request (a read), whatever
`--confirm` says, and prints the plan (see `dry_run`).
*/

use miniserde::json::Value;

use super::dry_run::{self, Plan};
use super::instance::{activate_command, key_was_typed};
use super::{identity, integration_id};
use crate::api::{Answer, Client, DELETE_PATH, Deletion};
use crate::context::{ContextType, Environment};
use crate::error::{Outcome, Result};
use crate::output::{JsonObject, Output, Style, shown};
use crate::resolve::{self, HiArgs, Target};
use crate::shell::quote;
use crate::value::{count, field, text};

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let id = integration_id(args)?;
    let platform = args.platform()?;
    let target = args.target(id, schema_context(args, id))?;
    let body = identity(args.organization_id.as_deref(), id, &target);
    let client = platform.client()?;
    if args.dry_run {
        return plan(args, id, &target, body, &client, out);
    }
    // The confirmed answer counts the instances it deactivated but does not
    // name them: asked first (a read), to print how to activate each again.
    // Nothing is printed with --json or --quiet, so nothing is asked then.
    let mut dependents: Vec<String> = Vec::new();
    let deletion = if args.confirm {
        if !out.json
            && !out.quiet
            && let Deletion::Pending(answer) = client.request_deletion(body.clone())?
        {
            dependents = pending(&answer)
                .1
                .iter()
                .map(|p| text(p, "processInstanceId").to_string())
                .filter(|id| !id.is_empty())
                .collect();
        }
        Deletion::Done(client.delete(body)?)
    } else {
        out.say(&format!("\nChecking dependencies for {id}..."));
        client.request_deletion(body)?
    };
    match deletion {
        Deletion::Done(answer) => {
            if out.json {
                out.json_text(&answer.text);
                return Ok(Outcome::Done);
            }
            let deactivated = count(&answer.data, "deactivatedCount");
            out.say("");
            out.say_styled(
                Style::Green,
                &format!("✓ {id} integration deleted successfully!"),
            );
            if deactivated > 0 {
                out.say(&format!("  {deactivated} process instance(s) deactivated."));
                if !dependents.is_empty() {
                    out.say("\nActivate them again, once they can run, with:");
                    for instance in &dependents {
                        out.say(&shown(&format!("  {}", activate_command(args, instance))));
                    }
                    if key_was_typed(args) {
                        out.say("  (add your --api-key again; it is not shown)");
                    }
                }
            }
            out.say("");
            Ok(Outcome::Done)
        }
        Deletion::Pending(answer) => {
            if out.json {
                out.json_text(&answer.text);
            } else if out.quiet {
                // Not a success: said on stderr, in one line.
                let (count, _) = pending(&answer);
                out.warn(&format!(
                    "{id} was not deleted: {count} active process instance(s) depend on it; re-run with --confirm to delete it"
                ));
            } else {
                show_pending(args, id, &answer, out);
            }
            Ok(Outcome::PendingDelete)
        }
    }
}

/// `--dry-run`: the unconfirmed request, which deletes nothing and says
/// what depends on the integration, then the plan.
fn plan(
    args: &HiArgs,
    id: &str,
    target: &Target,
    body: miniserde::json::Object,
    client: &Client,
    out: &Output,
) -> Result<Outcome> {
    let facts = dry_run::facts(args, client, id, target, out)?;
    let (count, processes) = match client.request_deletion(body)? {
        Deletion::Pending(answer) => {
            let (count, processes) = pending(&answer);
            let processes: Vec<(String, String)> = processes
                .iter()
                .map(|p| {
                    (
                        text(p, "processInstanceId").to_string(),
                        text(p, "title").to_string(),
                    )
                })
                .collect();
            (count, processes)
        }
        Deletion::Done(_) => {
            out.warn(&format!(
                "the platform deleted {id} on a request that did not confirm the deletion"
            ));
            (0, Vec::new())
        }
    };
    let listed: Vec<String> = processes
        .iter()
        .map(|(instance, title)| format!("{title} ({instance})"))
        .collect();
    let dependents = match listed.as_slice() {
        [] => format!("{count} active process instance(s)"),
        names => format!("{count} active process instance(s): {}", names.join(", ")),
    };
    let json: Vec<String> = processes
        .iter()
        .map(|(instance, title)| {
            JsonObject::new()
                .text("processInstanceId", instance)
                .text("title", title)
                .build()
        })
        .collect();
    let (requests, confirm) = if args.confirm {
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
    let plan = Plan::new(args, id, target, &facts)?
        .row(
            "Depends on it",
            dependents,
            "dependents",
            format!("[{}]", json.join(",")),
        )
        .member("wouldDeactivate", count.to_string())
        .would_send(requests)
        .switch("confirm", args.confirm, confirm);
    Ok(plan.print(out))
}

/// What a pending answer says would be deactivated: how many, and the
/// processes it names.
fn pending(answer: &Answer) -> (u64, Vec<&Value>) {
    let pending = field(&answer.data, "pendingDeactivations");
    let processes: Vec<&Value> = match pending.and_then(|p| field(p, "processes")) {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    let count = pending.map_or(processes.len() as u64, |p| count(p, "count"));
    (count, processes)
}

fn show_pending(args: &HiArgs, id: &str, answer: &Answer, out: &Output) {
    let (count, processes) = pending(answer);
    if count == 0 {
        out.say(&format!("\nNo active process instance depends on {id}."));
    } else {
        let warning =
            format!("⚠ Deleting {id} will deactivate {count} active process instance(s):");
        out.say("");
        out.say_styled(Style::Yellow, &warning);
        out.say("");
        for process in processes {
            out.say(&shown(&format!(
                "  • {} ({})",
                text(process, "title"),
                text(process, "processInstanceId")
            )));
        }
    }
    out.say("\nRe-run with --confirm to proceed:");
    out.say(&format!("  {}", confirm_command(args, id)));
    if args
        .platform()
        .is_ok_and(|p| p.key.source == resolve::KeySource::Flag)
    {
        out.say("  (add your --api-key again; it is not shown)");
    }
    if args.typed.api_url_hides_userinfo() {
        out.say("  (put the --api-url user and password back in place of ***; they are not shown)");
    }
    out.say("");
}

/// The command the user ran, with `--confirm`; never the API key, nor a
/// URL's password (shown as `***`, and said so).
fn confirm_command(args: &HiArgs, id: &str) -> String {
    let mut words = vec!["codika integration delete".to_string(), quote(id)];
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            words.push(format!("--{name} {}", quote(&value)));
        }
    };
    let typed = &args.typed;
    flag(
        "context-type",
        typed.context_type.map(|c| c.as_str().to_string()),
    );
    flag("process-instance-id", typed.process_instance_id.clone());
    flag("path", typed.path.as_ref().map(|p| p.display().to_string()));
    flag(
        "project-file",
        typed.project_file.as_ref().map(|p| p.display().to_string()),
    );
    flag(
        "environment",
        (args.environment == Environment::Prod).then(|| "prod".to_string()),
    );
    flag("profile", typed.profile.clone());
    flag("api-url", typed.api_url_shown());
    flag(
        "api-key-file",
        typed.api_key_file.as_ref().map(|p| p.display().to_string()),
    );
    flag(
        "ca-bundle",
        typed.ca_bundle.as_ref().map(|p| p.display().to_string()),
    );
    words.push("--confirm".into());
    words.join(" ")
}

/// A custom integration's context, from its schema in config.ts. Best
/// effort: a delete sends no schema, so one that cannot be read is no
/// error here and the `cstm_*` default applies.
fn schema_context(args: &HiArgs, id: &str) -> Option<ContextType> {
    if !id.starts_with("cstm_") || args.typed.context_type.is_some() {
        return None;
    }
    let found = crate::tsconfig::extract(&args.use_case, id).ok()?;
    resolve::schema_context(&miniserde::json::from_str(&found.json).ok()?)
}
