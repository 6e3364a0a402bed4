/*!
`codika integration list`: the organization's integrations, the calling
member's, and the process instance's when one is known (`--path`,
`--process-instance-id`), as grouped tables.
*/

use crate::commands::Finished;
use crate::context::ContextType;
use crate::error::{CliError, Result};
use crate::platform::wire::{ListRequest, Listed};
use crate::resolve::Common;
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use crate::ui::table::{Column, Rule, Table};
use codika_common::registry;

const SECTIONS: [(&str, &str); 3] = [
    ("organization", "Organization Integrations"),
    ("member", "Member Integrations"),
    ("process_instance", "Process Instance Integrations"),
];

pub fn run(common: &Common) -> Result<Finished> {
    let platform = common.platform()?;
    let instance = common.instance.as_deref();
    let narrowed = common.typed.context_type;
    if narrowed == Some(ContextType::ProcessInstance) && instance.is_none() {
        return Err(CliError::validation(
            "--context-type process_instance needs an instance: pass --process-instance-id, or point --path at a use case with project.json",
        ));
    }
    let listing = platform.client()?.list(&ListRequest {
        organization_id: common.organization_id.clone(),
        instance: instance.map(String::from),
    })?;
    // Narrowed here, so that the report holds what is shown.
    let (integrations, raw_items) = listing
        .integrations
        .into_iter()
        .zip(listing.raw_items)
        .filter(|(item, _)| narrowed.is_none_or(|wanted| wanted.as_str() == item.context))
        .unzip();
    Finished::done(ListReport {
        integrations,
        raw_items,
        request_id: listing.request_id,
        instance_known: instance.is_some(),
    })
}

/// The integrations listed (narrowed to `--context-type`).
struct ListReport {
    integrations: Vec<Listed>,
    /// Each item's text as received, in the same order.
    raw_items: Vec<String>,
    request_id: Option<String>,
    instance_known: bool,
}

impl Render for ListReport {
    /// The raw items, so that the platform's key order is kept.
    fn json(&self) -> Json {
        JsonObject::new()
            .bool("success", true)
            .value(
                "data",
                JsonObject::new()
                    .value(
                        "integrations",
                        Json::Array(
                            self.raw_items
                                .iter()
                                .map(|raw| Json::Received(raw.clone()))
                                .collect(),
                        ),
                    )
                    .build(),
            )
            .value(
                "requestId",
                Json::Received(self.request_id.clone().unwrap_or_else(|| "\"\"".into())),
            )
            .build()
    }

    fn human(&self, out: &Output) {
        let items = &self.integrations;
        if items.is_empty() {
            out.data("\nNo connected integrations found.");
        } else {
            out.data("");
            for (context, title) in SECTIONS {
                let rows: Vec<&Listed> = items.iter().filter(|i| i.context == context).collect();
                if rows.is_empty() {
                    continue;
                }
                out.data_with("  ", Style::Bold, &format!("{title}:"));
                out.data("");
                let mut table = Table::new(
                    vec![
                        Column::fixed("Name", 24),
                        Column::fixed("ID", 28),
                        Column::fixed("Connected", 12),
                        Column::fit("By"),
                    ],
                    Rule::Length(80),
                );
                for item in rows {
                    let id = shown(&item.integration_id);
                    // The platform's `connected: false` is said, never a date:
                    // check calls the same entry missing.
                    let date = match (item.connected, item.connected_date()) {
                        (false, _) => "no".to_string(),
                        (true, Some(date)) => date,
                        (true, None) => "—".to_string(),
                    };
                    // Who connected it, when the platform says (a key's name).
                    let by = match item.connected_by.as_deref() {
                        None | Some("") => "—".to_string(),
                        Some(by) => truncated(&shown(by), 32),
                    };
                    table.row([
                        truncated(registry::display_name(&id), 23),
                        truncated(&id, 27),
                        date,
                        by,
                    ]);
                }
                for line in table.lines() {
                    out.data(&line);
                }
                out.data("");
            }
            let connected = items.iter().filter(|i| i.connected).count();
            let not_connected = match items.len() - connected {
                0 => String::new(),
                n => format!(", {n} not connected"),
            };
            out.data(&format!(
                "  Total: {connected} connected integration(s){not_connected}"
            ));
        }
        if !self.instance_known {
            out.say(
                "  Tip: Use --path <use-case-folder> to also show process instance integrations.",
            );
        }
        out.say("");
    }
}

/// The first `width` characters (check's `clip` marks the cut instead).
fn truncated(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}
