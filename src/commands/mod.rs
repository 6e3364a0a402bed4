/*!
The commands: `integration set|list|delete|schema` and the profile commands
`login`, `whoami`, `use`, `logout`. Each reads as a short story over the
shared modules, acting on what `resolve` decided and rendering through
`output`. They end with an [`Outcome`] (a pending delete is one) or an
error; `main` turns either into the exit code.
*/

pub mod integration;
pub mod profile;

use crate::error::{CliError, Outcome, Result};
use crate::flags::Command;
use crate::platform::wire::IntegrationRef;
use crate::resolve::{HiArgs, Target};
use crate::ui::output::Output;

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    match args.command {
        Command::Set => integration::set::run(args, out),
        Command::List => integration::list::run(args, out),
        Command::Delete => integration::delete::run(args, out),
        Command::Schema => integration::schema::run(args, out),
        Command::Check => integration::check::run(args, out),
        Command::Apply => integration::apply::run(args, out),
        Command::Login => profile::login::run(args, out),
        Command::Whoami => profile::whoami::run(args, out),
        Command::Use => profile::use_::run(args, out),
        Command::Logout => profile::logout::run(args, out),
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

/// Which integration a create or delete is about, as the platform is told.
fn identity(
    organization_id: Option<&str>,
    integration_id: &str,
    target: &Target,
) -> IntegrationRef {
    IntegrationRef {
        organization_id: organization_id.map(String::from),
        integration_id: integration_id.to_string(),
        context: target.context,
        instance: target.instance.clone(),
    }
}
