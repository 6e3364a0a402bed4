/*!
`codika integration list`: the organization's integrations, the calling
member's, and the process instance's when one is known (`--path`,
`--process-instance-id`), as grouped tables.
*/

use crate::context::ContextType;
use crate::error::{CliError, Outcome, Result};
use crate::platform::wire::{ListRequest, Listed};
use crate::registry;
use crate::resolve::HiArgs;
use crate::ui::output::{Output, Style, shown};

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
    let listing = platform.client()?.list(&ListRequest {
        organization_id: args.organization_id.clone(),
        instance: instance.map(String::from),
    })?;
    let wanted = |item: &&Listed| narrowed.is_none_or(|wanted| wanted.as_str() == item.context);

    if out.json {
        // The raw items, so that the platform's key order is kept.
        let kept: Vec<&str> = listing
            .integrations
            .iter()
            .zip(&listing.raw_items)
            .filter(|(item, _)| wanted(item))
            .map(|(_, raw)| raw.as_str())
            .collect();
        let request_id = listing.request_id.as_deref().unwrap_or("\"\"");
        out.json_text(&format!(
            "{{\"success\":true,\"data\":{{\"integrations\":[{}]}},\"requestId\":{request_id}}}",
            kept.join(",")
        ));
        return Ok(Outcome::Done);
    }

    let items: Vec<&Listed> = listing.integrations.iter().filter(wanted).collect();
    if items.is_empty() {
        out.data("\nNo connected integrations found.");
    } else {
        out.data("");
        for (context, title) in SECTIONS {
            let rows: Vec<&&Listed> = items.iter().filter(|i| i.context == context).collect();
            if rows.is_empty() {
                continue;
            }
            out.data_with("  ", Style::Bold, &format!("{title}:"));
            out.data("");
            out.data(&format!(
                "  {:<24}{:<28}{:<12}{}",
                "Name", "ID", "Connected", "By"
            ));
            out.data(&format!("  {}", "─".repeat(80)));
            for item in rows {
                let id = shown(&item.integration_id);
                let date = item
                    .connected_at
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(10)
                    .collect::<String>();
                let date = if date.is_empty() {
                    "—".to_string()
                } else {
                    shown(&date)
                };
                // Who connected it, when the platform says (a key's name).
                let by = match item.connected_by.as_deref() {
                    None | Some("") => "—".to_string(),
                    Some(by) => clip(&shown(by), 32),
                };
                out.data(&format!(
                    "  {:<24}{:<28}{date:<12}{by}",
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
