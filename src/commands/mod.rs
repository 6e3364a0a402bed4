/*!
The commands: `integration set|list|delete|schema|check`, `rerun deployment`,
`instance activate|deactivate` and the profile commands `login`, `whoami`,
`use`, `logout`. Each reads as a short story over the
shared modules, acting on what `resolve` decided and rendering through
`output`. They end with an [`Outcome`] (a pending delete is one) or an
error; `main` turns either into the exit code.
*/

mod check;
mod delete;
mod dry_run;
mod instance;
mod list;
mod login;
mod logout;
mod profiles;
mod rerun;
mod schema;
mod set;
mod whoami;

use crate::error::{CliError, Outcome, Result};
use crate::flags::Command;
use crate::output::Output;
use crate::resolve::{HiArgs, Target};

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    match args.command {
        Command::Set => set::run(args, out),
        Command::List => list::run(args, out),
        Command::Delete => delete::run(args, out),
        Command::Schema => schema::run(args, out),
        Command::Check => check::run(args, out),
        Command::RerunDeployment => rerun::run(args, out),
        Command::InstanceActivate => instance::run(args, out, true),
        Command::InstanceDeactivate => instance::run(args, out, false),
        Command::Login => login::run(args, out),
        Command::Whoami => whoami::run(args, out),
        Command::Use => profiles::run(args, out),
        Command::Logout => logout::run(args, out),
        // Printed by the parser (`Parsed::Print`): text from the tables
        // alone, which needs nothing resolved.
        Command::Completion | Command::Man | Command::Help => Ok(Outcome::Done),
    }
}

/// The positional argument, which set, delete and schema require.
fn target<'a>(args: &'a HiArgs, name: &str) -> Result<&'a str> {
    args.target
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            CliError::validation(format!(
                "missing <{name}>; usage: codika {} <{name}> [OPTIONS]",
                args.command.path()
            ))
        })
}

/// An integration id as the platform accepts it: `^[a-z][a-z0-9_]*$`, at
/// most 64 characters. Checked here so a typo costs no round trip.
fn integration_id(args: &HiArgs) -> Result<&str> {
    let id = target(args, "integrationId")?;
    if !codika_common::ids::is_integration_id(id) {
        // Not echoed: a misplaced `KEY=secret` lands here.
        return Err(CliError::validation(
            "invalid integration id (not shown): use lowercase letters, digits and _ (e.g. openai, cstm_acme_crm), at most 64 characters",
        ));
    }
    Ok(id)
}

/// Request body fields shared by create and delete (serialized with sorted
/// keys: JSON objects are unordered).
fn identity(
    organization_id: Option<&str>,
    integration_id: &str,
    target: &Target,
) -> miniserde::json::Object {
    use miniserde::json::Value;
    let mut body = miniserde::json::Object::new();
    if let Some(org) = organization_id {
        body.insert("organizationId".into(), Value::String(org.into()));
    }
    body.insert("integrationId".into(), Value::String(integration_id.into()));
    body.insert(
        "contextType".into(),
        Value::String(target.context.as_str().into()),
    );
    if let Some(instance) = &target.instance {
        body.insert("processInstanceId".into(), Value::String(instance.clone()));
    }
    body
}
