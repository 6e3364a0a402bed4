/*!
The commands: `integration set|list|delete|schema|check`, `rerun deployment`,
`instance activate|deactivate` and the profile commands `login`, `whoami`,
`use`, `logout`. Each reads as a short story over the
shared modules, acting on what `resolve` decided and rendering through
`output`. They end with an [`Outcome`] (a pending delete is one) or an
error; `main` turns either into the exit code.
*/

pub mod command_line;
pub mod deployment;
pub mod integration;
pub mod profile;

use crate::error::{CliError, Outcome, Result};
use crate::platform::wire::IntegrationRef;
use crate::resolve::{Cmd, Invocation, Target};
use crate::ui::output::{Json, Output, Render};

/// How a command ended without an error, and what it reports: `main`
/// renders the report and exits with the outcome's code.
pub struct Finished {
    pub outcome: Outcome,
    pub report: Box<dyn Render>,
}

impl Finished {
    fn done(report: impl Render + 'static) -> Result<Finished> {
        Finished::with(Outcome::Done, report)
    }

    fn with(outcome: Outcome, report: impl Render + 'static) -> Result<Finished> {
        Ok(Finished {
            outcome,
            report: Box::new(report),
        })
    }
}

/// Nothing to report (the printed commands, which never get here).
struct Nothing;

impl Render for Nothing {
    fn human(&self, _: &Output) {}
    fn json(&self) -> Json {
        Json::Null
    }
}

pub fn run(invocation: Invocation, out: &Output) -> Result<Finished> {
    let Invocation { common, cmd } = invocation;
    match cmd {
        Cmd::Set(args) => integration::set::run(&common, args, out),
        Cmd::List => integration::list::run(&common),
        Cmd::Delete(args) => integration::delete::run(&common, args, out),
        Cmd::Schema(args) => integration::schema::run(&common, args),
        Cmd::Check(args) => integration::check::run(&common, args, out),
        Cmd::Apply(args) => integration::apply::run(&common, args, out),
        Cmd::Login(args) => profile::login::run(&common, args, out),
        Cmd::Whoami => profile::whoami::run(&common, out),
        Cmd::Use(args) => profile::use_::run(&common, args),
        Cmd::Logout(args) => profile::logout::run(&common, args),
        Cmd::Rerun(args) => deployment::rerun::run(&common, args, out),
        Cmd::Instance(args) => deployment::instance::run(&common, args, out),
        // Printed by the parser (`Parsed::Print`): text from the tables
        // alone, which needs nothing resolved.
        Cmd::Printed => Finished::done(Nothing),
    }
}

/// An integration id as the platform accepts it: `^[a-z][a-z0-9_]*$`, at
/// most 64 characters. Checked here so a typo costs no round trip.
fn integration_id(id: &str) -> Result<&str> {
    if !codika_common::ids::is_integration_id(id) {
        // Not echoed: a misplaced `KEY=secret` lands here.
        return Err(CliError::validation(
            "invalid integration id (not shown): use lowercase letters, digits and _ (e.g. openai, cstm_acme_crm), at most 64 characters",
        ));
    }
    Ok(id)
}

/// Which integration a create or delete is about, as the platform is told.
fn integration_ref(
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
