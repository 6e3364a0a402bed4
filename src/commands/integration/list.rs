/*!
`codika integration list`: the organization's integrations, the calling
member's, and the process instance's when one is known (`--path`,
`--process-instance-id`), as grouped tables.
*/

use miniserde::json::Value;

use crate::context::ContextType;
use crate::error::{CliError, Outcome, Result};
use crate::jsontext;
use crate::registry;
use crate::resolve::HiArgs;
use crate::ui::output::{Output, Style, shown};
use crate::value::{field, text};

const SECTIONS: [(&str, &str); 3] = [
    ("organization", "Organization Integrations"),
    ("member", "Member Integrations"),
    ("process_instance", "Process Instance Integrations"),
];

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let platform = args.platform()?;
    let instance = args.instance.as_deref();
    let narrowed = args.typed.context_type;
    if narrowed == Some(ContextType::ProcessInstance) && instance.is_none() {
        return Err(CliError::validation(
            "--context-type process_instance needs an instance: pass --process-instance-id, or point --path at a use case with project.json",
        ));
    }
    let answer = platform
        .client()?
        .list(args.organization_id.as_deref(), instance)?;
    let wanted = |context: &str| narrowed.is_none_or(|wanted| wanted.as_str() == context);

    if out.json {
        // Filter the raw items, so that the platform's key order is kept.
        let raw_items = jsontext::member(&answer.text, "data")
            .and_then(|data| jsontext::member(data, "integrations"))
            .map(jsontext::elements)
            .unwrap_or_default();
        let kept: Vec<&str> = raw_items
            .into_iter()
            .filter(|item| {
                wanted(
                    jsontext::member(item, "contextType")
                        .map(unquote)
                        .unwrap_or_default()
                        .as_str(),
                )
            })
            .collect();
        let request_id = jsontext::member(&answer.text, "requestId").unwrap_or("\"\"");
        out.json_text(&format!(
            "{{\"success\":true,\"data\":{{\"integrations\":[{}]}},\"requestId\":{request_id}}}",
            kept.join(",")
        ));
        return Ok(Outcome::Done);
    }

    let items: Vec<&Value> = match field(&answer.data, "integrations") {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|i| wanted(text(i, "contextType")))
            .collect(),
        _ => Vec::new(),
    };
    if items.is_empty() {
        out.data("\nNo connected integrations found.");
    } else {
        out.data("");
        for (context, title) in SECTIONS {
            let rows: Vec<&&Value> = items
                .iter()
                .filter(|i| text(i, "contextType") == context)
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.data_with("  ", Style::Bold, &format!("{title}:"));
            out.data("");
            out.data(&format!("  {:<24}{:<28}{:<12}", "Name", "ID", "Connected"));
            out.data(&format!("  {}", "─".repeat(64)));
            for item in rows {
                let id = shown(text(item, "integrationId"));
                let date = text(item, "connectedAt")
                    .chars()
                    .take(10)
                    .collect::<String>();
                let date = if date.is_empty() {
                    "—".to_string()
                } else {
                    shown(&date)
                };
                out.data(&format!(
                    "  {:<24}{:<28}{date}",
                    clip(registry::display_name(&id), 23),
                    clip(&id, 27)
                ));
            }
            out.data("");
        }
        out.data(&format!(
            "  Total: {} connected integration(s)",
            items.len()
        ));
    }
    if instance.is_none() {
        out.say("  Tip: Use --path <use-case-folder> to also show process instance integrations.");
    }
    out.say("");
    Ok(Outcome::Done)
}

fn clip(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

fn unquote(raw: &str) -> String {
    miniserde::json::from_str(raw).unwrap_or_default()
}
