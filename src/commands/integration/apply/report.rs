/*!
What `apply` did to each declared integration, and the one place it is
rendered: a table (integration, context, before, action, detail) and a
summary line, or with `--json` one document. Never a value: field names,
the platform's error codes and messages, fixes.
*/

use crate::commands::integration::check::RerunStep;
use crate::context::ContextType;
use crate::error::Outcome;
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use crate::ui::table::{Column, Rule, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Not connected in its context: set there (or, in a dry run, would be).
    Create,
    /// Connected, set again (`--update`).
    Update,
    /// Connected, left alone.
    Unchanged,
    /// Required fields without a value (reported with `--partial`).
    Incomplete,
    /// Connected in the dashboard, not here.
    OAuth,
    /// Neither a built-in integration nor `cstm_*`.
    Unknown,
    /// The platform refused the set, or it could not be sent.
    Failed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
            Action::Incomplete => "incomplete",
            Action::OAuth => "oauth",
            Action::Unknown => "unknown",
            Action::Failed => "failed",
        }
    }

    /// Sent by this run: a create or an update.
    pub fn changes(self) -> bool {
        matches!(self, Action::Create | Action::Update)
    }

    /// Connected in its context after the run (a dry run: if it were real).
    pub fn ready(self) -> bool {
        matches!(self, Action::Create | Action::Update | Action::Unchanged)
    }
}

/// One declared integration.
#[derive(Debug)]
pub struct Item {
    pub id: String,
    pub expected: Option<ContextType>,
    /// `check`'s status before the run: `missing`, `connected`, ...
    pub before: &'static str,
    pub action: Action,
    /// The fields set (or, in a dry run, that would be), by name.
    pub fields: Vec<String>,
    pub missing: Vec<String>,
    /// The platform's code and message, for `failed`.
    pub error: Option<(String, String)>,
    pub fix: Option<String>,
}

#[derive(Debug)]
pub struct Report {
    pub use_case: String,
    pub config_file: String,
    pub environment: &'static str,
    pub instance: Option<String>,
    pub dry_run: bool,
    pub items: Vec<Item>,
    /// Keys of the files no integration uses, when UPPER_CASE.
    pub unused_keys: Vec<String>,
    /// Values of config.ts that could not be read: it may declare more.
    pub unreadable: Vec<String>,
    /// Made ready by this run, and its deployment is not `deployed`: the
    /// rerun that lets its workflows pick the credentials up (printed only).
    pub rerun: Option<RerunStep>,
    /// Said on stderr as they happened (the deployment status unread), and
    /// in the document.
    pub warnings: Vec<String>,
    /// What the printed commands leave out (`command_line::left_out`).
    pub left_out: Vec<String>,
}

impl Report {
    /// Set by this run (none in a dry run).
    pub fn changed(&self) -> usize {
        if self.dry_run {
            return 0;
        }
        self.count(Action::Create) + self.count(Action::Update)
    }

    pub fn not_ready(&self) -> usize {
        self.items.iter().filter(|i| !i.action.ready()).count()
    }

    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }

    /// 0 when every declared integration is connected in its context after
    /// the run; 1 when a request failed; 2 when something is left not ready.
    pub fn outcome(&self) -> Outcome {
        if self.count(Action::Failed) > 0 {
            Outcome::RequestFailed
        } else if self.not_ready() > 0 || !self.unreadable.is_empty() {
            Outcome::NotReady
        } else {
            Outcome::Done
        }
    }
}

impl Render for Report {
    fn json(&self) -> Json {
        self.document()
    }

    fn human(&self, out: &Output) {
        for problem in &self.unreadable {
            out.warn(problem);
        }
        // Quiet is silent on success only: what is left to do is data.
        let ok = self.outcome() == Outcome::Done;
        let line = |text: &str| {
            if ok { out.say(text) } else { out.data(text) }
        };
        let instance = self
            .instance
            .as_deref()
            .map(|i| format!(", instance {}", shown(i)))
            .unwrap_or_default();
        let dry = if self.dry_run {
            " — dry run, nothing set"
        } else {
            ""
        };
        line("");
        line(&format!(
            "  Integrations of {} ({}, {}{instance}){dry}:",
            shown(&self.use_case),
            shown(&self.config_file),
            self.environment
        ));
        line("");
        if self.items.is_empty() {
            line("  No integrationUids in config.ts: it declares no integration.");
        } else {
            for row in self.table() {
                line(&row);
            }
            if self
                .items
                .iter()
                .any(|i| i.fix.as_deref().is_some_and(|f| f.starts_with("codika ")))
            {
                for note in &self.left_out {
                    line(&format!("  ({note})"));
                }
            }
        }
        line("");
        let (style, summary) = self.summary();
        if ok {
            out.say_with("  ", style, &summary);
        } else {
            out.data_with("  ", style, &summary);
        }
        line("");
        if let Some(rerun) = &self.rerun {
            rerun.say(out);
        }
    }
}

impl Report {
    fn table(&self) -> Vec<String> {
        let mut table = Table::new(
            ["Integration", "Context", "Before", "Action", "Detail"]
                .into_iter()
                .map(Column::fit)
                .collect(),
            Rule::Columns,
        );
        for item in &self.items {
            table.row([
                shown(&item.id),
                item.expected.map_or("?", |c| c.as_str()).to_string(),
                item.before.to_string(),
                item.action.as_str().to_string(),
                detail(item),
            ]);
        }
        // An empty Detail leaves no trailing blanks.
        let lines = table.lines();
        lines
            .iter()
            .map(|line| line.trim_end().to_string())
            .collect()
    }

    fn summary(&self) -> (Style, String) {
        let done = [
            (
                Action::Create,
                if self.dry_run { "to create" } else { "created" },
            ),
            (
                Action::Update,
                if self.dry_run { "to update" } else { "updated" },
            ),
            (Action::Unchanged, "unchanged"),
        ];
        let left = [
            (Action::Failed, "failed"),
            (Action::Incomplete, "incomplete"),
            (Action::OAuth, "OAuth"),
            (Action::Unknown, "unknown"),
        ];
        let counts = |list: &[(Action, &str)]| -> Vec<String> {
            list.iter()
                .filter_map(|(action, name)| match self.count(*action) {
                    0 => None,
                    n => Some(format!("{n} {name}")),
                })
                .collect()
        };
        let done = counts(&done).join(", ");
        let total = self.items.len();
        let unread = match self.unreadable.len() {
            0 => String::new(),
            n => format!("; {n} value(s) of config.ts could not be read (see above)"),
        };
        let nothing_sent = if self.dry_run {
            "; dry run: nothing was set"
        } else {
            ""
        };
        match self.outcome() {
            Outcome::Done if total == 0 => (
                Style::Green,
                "✓ Ready: config.ts declares no integration".to_string(),
            ),
            Outcome::Done => (
                Style::Green,
                format!(
                    "✓ Ready: all {total} declared integration(s) connected ({done}){nothing_sent}"
                ),
            ),
            _ if self.not_ready() == 0 => (
                Style::Yellow,
                format!(
                    "⚠ Cannot tell: the {total} integration(s) read are connected ({done}){unread}"
                ),
            ),
            _ => {
                let done = if done.is_empty() {
                    String::new()
                } else {
                    format!("; {done}")
                };
                (
                    Style::Red,
                    format!(
                        "✗ Not ready: {} of {total} integration(s) ({}){done}{unread}{nothing_sent}",
                        self.not_ready(),
                        counts(&left).join(", ")
                    ),
                )
            }
        }
    }

    pub fn document(&self) -> Json {
        let data = JsonObject::new()
            .text("useCase", &self.use_case)
            .text("configFile", &self.config_file)
            .text("environment", self.environment)
            .text_or_null("processInstanceId", self.instance.as_deref())
            .bool("dryRun", self.dry_run)
            .value(
                "integrations",
                Json::Array(self.items.iter().map(item_document).collect()),
            )
            .count("changed", self.changed() as u64)
            .count("notReady", self.not_ready() as u64)
            .strings("unusedKeys", &self.unused_keys)
            .strings("warnings", &self.warnings);
        let data = RerunStep::fields(self.rerun.as_ref(), data);
        let commands = self.items.iter().any(|i| i.fix.is_some()) || self.rerun.is_some();
        let data = super::super::check::notes(data, &self.left_out, commands).build();
        JsonObject::new()
            .bool("success", self.outcome() == Outcome::Done)
            .value("data", data)
            .build()
    }
}

/// Keys of the files no declared integration has: named when UPPER_CASE,
/// else only counted (they may be values).
pub fn warn_unused(out: &Output, shown_keys: &[String], hidden: usize) {
    if !shown_keys.is_empty() {
        out.warn(&format!(
            "no declared integration has a field named {} (a typo?): not used",
            shown_keys
                .iter()
                .map(|k| shown(k))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if hidden > 0 {
        out.warn(&format!(
            "{hidden} key(s) of the secrets files that are not UPPER_CASE (not shown: they may be values) are not used"
        ));
    }
}

/// The last column: fields set, missing, the error, or what to do.
fn detail(item: &Item) -> String {
    match item.action {
        Action::Create | Action::Update => item.fields.join(", "),
        Action::Unchanged => String::new(),
        Action::Incomplete if item.missing.is_empty() => {
            item.fix.as_deref().map(shown).unwrap_or_default()
        }
        Action::Incomplete => format!("missing {}", item.missing.join(", ")),
        Action::Failed => match &item.error {
            Some((code, message)) => format!("{} ({})", shown(message), shown(code)),
            None => String::new(),
        },
        Action::OAuth => format!(
            "connect it in the dashboard: {}",
            item.fix.as_deref().map(shown).unwrap_or_default()
        ),
        Action::Unknown => item.fix.as_deref().map(shown).unwrap_or_default(),
    }
}

fn item_document(item: &Item) -> Json {
    let mut object = JsonObject::new()
        .text("integrationId", &item.id)
        .text_or_null("expectedContext", item.expected.map(|c| c.as_str()))
        .text("before", item.before)
        .text("action", item.action.as_str())
        .strings("fields", &item.fields);
    if item.action == Action::Incomplete {
        object = object.strings("missingFields", &item.missing);
    }
    if let Some((code, message)) = &item.error {
        object = object.value(
            "error",
            JsonObject::new()
                .text("code", code)
                .text("message", message)
                .build(),
        );
    }
    object.text_if("fix", item.fix.as_deref()).build()
}
