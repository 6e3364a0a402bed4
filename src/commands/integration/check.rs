/*!
`codika integration check`: is this use case ready to run? What config.ts
declares (`tsconfig::declared`) against one list request for the
organization, the calling member and the environment's process instance,
compared by `readiness`; then a table, the commands that fix what is
missing, and one summary line. Exit 0 when ready, 2 when not (a validation
outcome, as an unconfirmed delete), 1 on API or network errors.
*/

use std::path::Path;

use crate::commands::Finished;
use crate::commands::command_line;
use crate::commands::deployment::rerun::rerun_command;
use crate::commands::integration::readiness::{self, Fix, FixContext, Report, Row, Status};
use crate::context::Environment;
use crate::error::{CliError, Outcome, Result};
use crate::platform::client::Client;
use crate::platform::wire::DEPLOYED;
use crate::platform::wire::{ListRequest, Listed};
use crate::resolve::{CheckArgs, Common};
use crate::tsconfig;
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use crate::ui::table::{Column, Rule, Table};

pub fn run(common: &Common, args: CheckArgs, out: &Output) -> Result<Finished> {
    let dir = &common.use_case;
    let declared = tsconfig::declared(dir)?.ok_or_else(|| no_config(dir))?;
    let platform = common.platform()?;
    let instance = common.instance.clone();
    if let (None, Some(id)) = (&instance, readiness::needs_instance(&declared)) {
        return Err(CliError::validation(format!(
            "{id} is connected per process instance, and none is known: pass --process-instance-id, or point --path at a use case whose project.json has {}",
            common.environment.instance_key()
        )));
    }
    let client = platform.client()?;
    let listing = client.list(&ListRequest {
        organization_id: common.organization_id.clone(),
        instance: instance.clone(),
    })?;
    let listed = readiness::listed(&listing);
    let context = fix_context(common);
    let mut report = readiness::assess(&declared, &listed, instance.as_deref(), &context);
    // An OAuth fix names the organization, which may take asking.
    let oauth = |fix: &Option<Fix>| matches!(fix, Some(Fix::Dashboard(_)));
    if report.rows.iter().any(|r| oauth(&r.fix)) {
        let url = super::dashboard_url(common, Some(&client));
        for row in report.rows.iter_mut().filter(|r| oauth(&r.fix)) {
            row.fix = Some(Fix::Dashboard(url.clone()));
        }
    }
    if let Some(days) = args.max_age {
        let now = codika_common::clock::now_unix_millis();
        readiness::mark_stale(&mut report, &declared, days, now, &context);
    }
    let (rerun, rerun_warning) = match (&instance, report.ready()) {
        (Some(instance), true) => rerun_step(common, &client, instance, out),
        _ => (None, None),
    };
    let run = Run {
        use_case: dir.display().to_string(),
        file: declared.file,
        environment: common.environment.as_str(),
        instance,
        rerun,
        rerun_warning,
        left_out: command_line::left_out(common),
    };
    let outcome = if report.ready() {
        Outcome::Done
    } else {
        Outcome::NotReady
    };
    Finished::with(
        outcome,
        CheckReport {
            run,
            report,
            context,
        },
    )
}

/// A use case's readiness, row by row.
struct CheckReport {
    run: Run,
    report: Report,
    /// For the command that sets stale ones again.
    context: FixContext,
}

impl Render for CheckReport {
    fn json(&self) -> Json {
        document(&self.run, &self.report)
    }

    fn human(&self, out: &Output) {
        render(out, &self.run, &self.report, &self.context);
    }
}

pub(super) fn no_config(dir: &Path) -> CliError {
    CliError::validation(format!(
        "{} has no config.ts or config.js, so nothing says which integrations the use case needs: pass --path to the use case folder",
        dir.display()
    ))
}

/// The flags of this run that the fix commands repeat, and the dashboard
/// of the organization that is known.
pub(super) fn fix_context(common: &Common) -> FixContext {
    let typed = &common.typed;
    let path = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    FixContext {
        path: path(&typed.path),
        project_file: path(&typed.project_file),
        prod: common.environment == Environment::Prod,
        process_instance_id: typed.process_instance_id.clone().filter(|i| !i.is_empty()),
        profile: typed.profile.clone(),
        // A password in the URL is never printed: the fix says *** there.
        api_url: typed.api_url_shown(),
        ca_bundle: path(&typed.ca_bundle),
        dashboard_url: common.dashboard_url(),
    }
}

/// What the run was about, for the heading and the JSON document.
struct Run {
    use_case: String,
    file: String,
    environment: &'static str,
    instance: Option<String>,
    rerun: Option<RerunStep>,
    /// Why the deployment's status is unknown: said on stderr when it
    /// happened, and in the document's `warnings`.
    rerun_warning: Option<String>,
    /// What the printed commands leave out (`command_line::left_out`).
    left_out: Vec<String>,
}

/// A ready use case whose deployment is not `deployed`: rerunning it is
/// the next step (printed, never done).
#[derive(Debug)]
pub struct RerunStep {
    pub status: String,
    pub command: String,
    /// What the command leaves out (`command_line::left_out`).
    pub left_out: Vec<String>,
}

impl RerunStep {
    /// `deploymentStatus` and `next` of a JSON document, when there is a step.
    pub(super) fn fields(step: Option<&RerunStep>, object: JsonObject) -> JsonObject {
        object
            .text_if("deploymentStatus", step.map(|r| r.status.as_str()))
            .text_if("next", step.map(|r| r.command.as_str()))
    }

    /// The step for a human (decoration: not with `--quiet`).
    pub(super) fn say(&self, out: &Output) {
        out.say(&format!(
            "  Next: the deployment is {}; rerun it so its workflows pick up the credentials:",
            shown(&self.status)
        ));
        out.say(&format!("    {}", shown(&self.command)));
        for note in &self.left_out {
            out.say(&format!("    ({note})"));
        }
        out.say("");
    }
}

/// Asks the platform for the instance's deployment status (best effort:
/// a refusal is a warning, the check's answer stands). The warning is said
/// on stderr now and returned for the `--json` document's `warnings`.
pub(super) fn rerun_step(
    common: &Common,
    client: &Client,
    instance: &str,
    out: &Output,
) -> (Option<RerunStep>, Option<String>) {
    match client.deployment_status(instance) {
        Ok(Some(status)) if status != DEPLOYED => (
            Some(RerunStep {
                command: rerun_command(common, instance),
                status,
                left_out: command_line::left_out(common),
            }),
            None,
        ),
        Ok(_) => (None, None),
        Err(error) => {
            let warning = format!(
                "could not read the deployment status of {} ({}): if it is not deployed, rerun it with codika rerun deployment",
                instance, error.message
            );
            out.warn(&shown(&warning));
            (None, Some(warning))
        }
    }
}

fn document(run: &Run, report: &Report) -> Json {
    let rows: Vec<Json> = report.rows.iter().map(row_document).collect();
    let data = JsonObject::new()
        .text("useCase", &run.use_case)
        .text("configFile", &run.file)
        .text("environment", run.environment)
        .text_or_null("processInstanceId", run.instance.as_deref())
        .value("integrations", Json::Array(rows))
        .count("missing", report.not_ready() as u64)
        .strings(
            "warnings",
            &[report.warnings.as_slice(), run.rerun_warning.as_slice()].concat(),
        )
        .strings("unreadable", &report.problems);
    let data = RerunStep::fields(run.rerun.as_ref(), data);
    let commands = report
        .rows
        .iter()
        .any(|r| matches!(r.fix, Some(Fix::Command(_))));
    let data = notes(data, &run.left_out, commands || run.rerun.is_some()).build();
    JsonObject::new()
        .bool("success", report.ready())
        .value("data", data)
        .build()
}

fn row_document(row: &Row) -> Json {
    let listing = row.listing.as_ref();
    JsonObject::new()
        .text("integrationId", &row.id)
        .text_or_null("expectedContext", row.expected.map(|c| c.as_str()))
        .text("status", row.status.as_str())
        .text_if("connectedContext", listing.map(|l| l.context.as_str()))
        .text_if(
            "connectedAt",
            listing.and_then(|l| l.connected_at.as_deref()),
        )
        .text_if(
            "connectedBy",
            listing.and_then(|l| l.connected_by.as_deref()),
        )
        .strings("workflows", &row.workflows)
        .bool("topLevel", row.top_level)
        .text_if("fix", row.fix.as_ref().map(Fix::text))
        .build()
}

/// `notes` of a `--json` document whose commands leave something out
/// (`command_line::left_out`): only when it has commands and they do.
pub(super) fn notes(object: JsonObject, left_out: &[String], has_commands: bool) -> JsonObject {
    match has_commands && !left_out.is_empty() {
        true => object.strings("notes", left_out),
        false => object,
    }
}

/// Long ids and names are cut in the table (the fixes say them whole).
const MAX_COLUMN: usize = 40;

fn render(out: &Output, run: &Run, report: &Report, context: &FixContext) {
    for warning in report.problems.iter().chain(&report.warnings) {
        out.warn(warning);
    }
    let instance = run
        .instance
        .as_deref()
        .map(|i| format!(", instance {}", shown(i)))
        .unwrap_or_default();
    out.data("");
    out.data_with(
        "  ",
        Style::Bold,
        &format!(
            "Integrations of {} ({}, {}{instance}):",
            shown(&run.use_case),
            shown(&file_name(&run.file)),
            run.environment
        ),
    );
    out.data("");
    if report.rows.is_empty() {
        out.data("  No integrationUids in config.ts: it declares no integration.");
    } else {
        table(out, &report.rows);
    }
    fixes(out, &report.rows);
    if report.count(Status::Stale) > 0 {
        out.data(&format!(
            "  Or set them all again from a file: {}",
            shown(&readiness::apply_update_command(context))
        ));
    }
    if report
        .rows
        .iter()
        .any(|r| matches!(r.fix, Some(Fix::Command(_))))
    {
        for note in &run.left_out {
            out.data(&format!("  ({note})"));
        }
    }
    out.data("");
    let (style, line) = summary(report);
    out.data_with("  ", style, &line);
    out.data("");
    if let Some(rerun) = &run.rerun {
        rerun.say(out);
    }
}

/// `config.ts` of `dir/config.ts`: the heading names the folder already.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn table(out: &Output, rows: &[Row]) {
    let mut table = Table::new(
        ["Integration", "Context", "Status", "Used by"]
            .into_iter()
            .map(Column::fit)
            .collect(),
        Rule::Cells,
    );
    for row in rows {
        let style = match row.status {
            Status::Connected => Style::Green,
            Status::Missing | Status::Unknown => Style::Red,
            Status::Elsewhere | Status::OAuth | Status::Stale => Style::Yellow,
        };
        table.styled_row(vec![
            (Style::Plain, clip(&shown(&row.id))),
            (
                Style::Plain,
                row.expected.map_or("?", |c| c.as_str()).to_string(),
            ),
            (style, status_text(row)),
            (Style::Plain, used_by(row)),
        ]);
    }
    table.print_data(out);
}

fn status_text(row: &Row) -> String {
    let date = |listing: &Listed| {
        listing
            .connected_date()
            .map(|date| format!(" {date}"))
            .unwrap_or_default()
    };
    match (row.status, &row.listing) {
        (Status::Connected, Some(listing)) => {
            let by = listing
                .connected_by
                .as_deref()
                .map(|by| format!(" by {}", clip(&shown(by))))
                .unwrap_or_default();
            format!("✓ connected{}{by}", date(listing))
        }
        (Status::Elsewhere, Some(listing)) => {
            format!("⚠ connected at {} instead", clip(&shown(&listing.context)))
        }
        (Status::Stale, Some(listing)) => match &listing.connected_at {
            Some(_)
                if readiness::in_the_future(listing, codika_common::clock::now_unix_millis()) =>
            {
                format!("⚠ stale: connected{}, a date in the future", date(listing))
            }
            Some(_) => format!("⚠ stale: connected{}", date(listing)),
            None => "⚠ stale: connected, date unknown".to_string(),
        },
        (Status::OAuth, _) => "⚠ OAuth, not connected".to_string(),
        (Status::Unknown, _) => "✗ unknown integration".to_string(),
        _ => "✗ missing".to_string(),
    }
}

fn used_by(row: &Row) -> String {
    let mut users: Vec<String> = row.workflows.iter().map(|w| clip(&shown(w))).collect();
    if row.top_level {
        users.insert(0, "(top level)".to_string());
    }
    users.join(", ")
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_COLUMN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn fixes(out: &Output, rows: &[Row]) {
    let pending: Vec<(&Row, &Fix)> = rows
        .iter()
        .filter_map(|row| row.fix.as_ref().map(|fix| (row, fix)))
        .collect();
    if pending.is_empty() {
        return;
    }
    out.data("");
    out.data_with("  ", Style::Bold, "To fix:");
    for (row, fix) in &pending {
        let id = shown(&row.id);
        match fix {
            Fix::Command(command) => out.data(&format!("    {}", shown(command))),
            Fix::Dashboard(url) => out.data(&format!(
                "    {id} requires OAuth: connect it via the dashboard at: {}",
                shown(url)
            )),
            Fix::Note(note) => out.data(&format!("    {id}: {}", shown(note))),
        }
    }
    if pending.iter().any(|(_, f)| matches!(f, Fix::Command(_))) {
        out.data("  (--secret KEY reads the value from the environment variable KEY)");
    }
}

/// One line: ready, not ready and why, or cannot tell.
fn summary(report: &Report) -> (Style, String) {
    let total = report.rows.len();
    let unread = match report.problems.len() {
        0 => String::new(),
        n => format!("; {n} value(s) of config.ts could not be read (see above)"),
    };
    if report.ready() {
        let line = match total {
            0 => "✓ Ready: config.ts declares no integration".to_string(),
            n => format!("✓ Ready: all {n} declared integration(s) connected"),
        };
        return (Style::Green, line);
    }
    if report.not_ready() == 0 {
        return (
            Style::Yellow,
            format!("⚠ Cannot tell: the {total} integration(s) read are connected{unread}"),
        );
    }
    let counts: Vec<String> = [
        (Status::Missing, "missing"),
        (Status::Elsewhere, "connected elsewhere"),
        (Status::OAuth, "OAuth"),
        (Status::Unknown, "unknown"),
        (Status::Stale, "stale"),
    ]
    .into_iter()
    .filter_map(|(status, name)| match report.count(status) {
        0 => None,
        n => Some(format!("{n} {name}")),
    })
    .collect();
    (
        Style::Red,
        format!(
            "✗ Not ready: {} of {total} integration(s) need attention ({}){unread}",
            report.not_ready(),
            counts.join(", ")
        ),
    )
}
