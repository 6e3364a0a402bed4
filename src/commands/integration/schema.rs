/*!
`codika integration schema <credentialType>`: the n8n credential schema, its
properties in n8n's order and its conditional rules as
`if F = V then require: A, B`.
*/

use crate::commands::target;
use crate::error::{Outcome, Result};
use crate::resolve::HiArgs;
use crate::ui::output::{Output, shown};

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let credential_type = target(args, "credentialType")?;
    let schema = args.platform()?.client()?.schema(credential_type)?;
    if out.json {
        out.json_text(&schema.text);
        return Ok(Outcome::Done);
    }
    out.data(&format!("Credential type: {credential_type}"));
    out.data("Properties:");
    for property in &schema.properties {
        let choices = match property.choices.as_slice() {
            [] => String::new(),
            values => format!(" [{}]", values.join(", ")),
        };
        let mark = if property.required { " (required)" } else { "" };
        out.data(&shown(&format!(
            "  {}: {}{choices}{mark}",
            property.name, property.kind
        )));
    }
    if !schema.rules.is_empty() {
        out.data("Conditional rules:");
        for rule in &schema.rules {
            out.data(&shown(&format!("  {rule}")));
        }
    }
    Ok(Outcome::Done)
}
