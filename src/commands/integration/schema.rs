/*!
`codika integration schema <credentialType>`: the n8n credential schema, its
properties in n8n's order and its conditional rules as
`if F = V then require: A, B`.
*/

use crate::commands::Finished;
use crate::error::Result;
use crate::platform::wire::CredentialSchema;
use crate::resolve::{Common, SchemaArgs};
use crate::ui::output::{Json, Output, Render, shown};

pub fn run(common: &Common, args: SchemaArgs) -> Result<Finished> {
    let schema = common.platform()?.client()?.schema(&args.credential_type)?;
    Finished::done(SchemaReport {
        credential_type: args.credential_type,
        schema,
    })
}

struct SchemaReport {
    credential_type: String,
    schema: CredentialSchema,
}

impl Render for SchemaReport {
    /// The schema as received: n8n's key order kept.
    fn json(&self) -> Json {
        Json::Received(self.schema.text.clone())
    }

    fn human(&self, out: &Output) {
        let schema = &self.schema;
        out.data(&format!("Credential type: {}", self.credential_type));
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
    }
}
