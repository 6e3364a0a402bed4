/*!
`codika integration schema <credentialType>`: the n8n credential schema, its
properties in n8n's order and its conditional rules as
`if F = V then require: A, B`.
*/

use miniserde::json::Value;

use crate::commands::target;
use crate::error::{Outcome, Result};
use crate::jsontext;
use crate::resolve::HiArgs;
use crate::ui::output::{Output, shown};
use crate::value::{as_str, field};

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let credential_type = target(args, "credentialType")?;
    let answer = args.platform()?.client()?.schema(credential_type)?;
    // The raw text keeps n8n's key order, which miniserde's values do not.
    let schema = jsontext::member(&answer.text, "data").unwrap_or("{}");
    if out.json {
        out.json_text(schema);
        return Ok(Outcome::Done);
    }
    let required: Vec<String> = match field(&answer.data, "required") {
        Some(Value::Array(names)) => names.iter().filter_map(as_str).map(String::from).collect(),
        _ => Vec::new(),
    };
    out.data(&format!("Credential type: {credential_type}"));
    out.data("Properties:");
    for (name, raw) in jsontext::member(schema, "properties")
        .map(jsontext::members)
        .unwrap_or_default()
    {
        let property: Value = miniserde::json::from_str(raw).unwrap_or(Value::Null);
        let kind = field(&property, "type").and_then(as_str).unwrap_or("?");
        let choices = match field(&property, "enum") {
            Some(Value::Array(values)) => format!(
                " [{}]",
                values.iter().map(scalar).collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        };
        let mark = if required.contains(&name) {
            " (required)"
        } else {
            ""
        };
        out.data(&shown(&format!("  {name}: {kind}{choices}{mark}")));
    }
    let rules = rules(&answer.data);
    if !rules.is_empty() {
        out.data("Conditional rules:");
        for rule in rules {
            out.data(&shown(&format!("  {rule}")));
        }
    }
    Ok(Outcome::Done)
}

/// `if F = V then require: A, B` for each `allOf` entry with an `if` on one
/// property and `then` requirements.
fn rules(schema: &Value) -> Vec<String> {
    let Some(Value::Array(entries)) = field(schema, "allOf") else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let Some(Value::Object(conditions)) =
                field(entry, "if").and_then(|c| field(c, "properties"))
            else {
                return None;
            };
            let (name, condition) = conditions.iter().next()?;
            let value = match field(condition, "enum") {
                Some(Value::Array(values)) => {
                    values.iter().map(scalar).collect::<Vec<_>>().join("|")
                }
                _ => "?".to_string(),
            };
            let required: Vec<String> = match field(entry, "then").and_then(|t| field(t, "allOf")) {
                Some(Value::Array(parts)) => parts
                    .iter()
                    .filter_map(|part| match field(part, "required") {
                        Some(Value::Array(names)) => Some(
                            names
                                .iter()
                                .filter_map(as_str)
                                .map(String::from)
                                .collect::<Vec<_>>(),
                        ),
                        _ => None,
                    })
                    .flatten()
                    .collect(),
                _ => Vec::new(),
            };
            (!required.is_empty())
                .then(|| format!("if {name} = {value} then require: {}", required.join(", ")))
        })
        .collect()
}

/// An enum value as text: strings bare, others as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => miniserde::json::to_string(other),
    }
}
