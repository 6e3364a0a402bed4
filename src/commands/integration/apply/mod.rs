/*!
`codika integration apply`: make a use case ready in one run. What
config.ts declares (as `check` reads it) against one list request; the
values of every `--secrets-file` (and, with `--from-env`, the environment)
found for what must be set (`values`); everything checked before anything
is sent, every problem said at once; then the public key fetched once and
each integration set in declared order by `set`'s own operation
([`set_one`]), on one connection, a failure not stopping the others; a
report (`report`) rendered once.
*/

mod report;
mod values;

use std::path::{Path, PathBuf};

use miniserde::json::Value;

use super::check::rerun_step;
use super::readiness::{self, Expected, Kind, Status};
use super::set::{self, Mode, Schema, SetRequest, set_one};
use crate::commands::Finished;
use crate::commands::deployment::instance::activate_command;
use crate::context::ContextType;
use crate::error::{CliError, Result};
use crate::platform::client::Client;
use crate::platform::seal::PublicKey;
use crate::platform::wire::{IntegrationRef, ListRequest, Listed};
use crate::resolve::{self, ApplyArgs, Common, Platform};
use crate::secrets::fields::{self, Field};
use crate::secrets::{self, Secrets};
use crate::tsconfig::{self, Definition};
use crate::ui::output::Output;
use crate::ui::prompt::{self, Input};
use report::{Action, Item, Report};
use values::Fields;

pub fn run(common: &Common, args: ApplyArgs, out: &Output) -> Result<Finished> {
    let dir = &common.use_case;
    let declared = tsconfig::declared(dir)?.ok_or_else(|| super::check::no_config(dir))?;
    let platform = common.platform()?;
    let input = prompt::input(common.no_input);

    // What needs no request: the instance, and every file.
    let mut problems = Vec::new();
    if let (None, Some(id)) = (&common.instance, readiness::needs_instance(&declared)) {
        problems.push(format!(
            "{id} is connected per process instance, and none is known: pass --process-instance-id, or point --path at a use case whose project.json has {}",
            common.environment.instance_key()
        ));
    }
    let files = read_files(&args.secrets_files, input, &mut problems);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }

    let client = platform.client()?;
    let (listed, early_key) = list_and_key(common, platform, &client)?;

    // Each declaration: where it belongs, what it is now, what to do.
    let mut plans: Vec<Plan> = declared
        .integrations
        .iter()
        .map(|declaration| {
            let expected = readiness::expected(declaration);
            let (status, _) = readiness::status(
                &declaration.id,
                &expected,
                &listed,
                common.instance.as_deref(),
            );
            let (fields, schema) = fields_of(
                &declaration.id,
                &expected,
                &declaration.definition,
                &declared.file,
            );
            let to_set = match status {
                Status::Connected | Status::Stale => args.update && expected.kind != Kind::OAuth,
                Status::Missing | Status::Elsewhere => true,
                Status::OAuth | Status::Unknown => false,
            };
            Plan {
                id: declaration.id.clone(),
                expected,
                status,
                fields,
                schema,
                to_set,
                secrets: Secrets::default(),
                missing: Vec::new(),
            }
        })
        .collect();

    let env = |key: &str| secrets::env_secret(key);
    let found = {
        let to_set: Vec<Fields> = plans
            .iter()
            .filter(|p| p.to_set)
            .map(|p| Fields {
                id: &p.id,
                fields: &p.fields,
            })
            .collect();
        let all: Vec<Fields> = plans
            .iter()
            .map(|p| Fields {
                id: &p.id,
                fields: &p.fields,
            })
            .collect();
        values::find(
            &to_set,
            &all,
            &files,
            args.from_env.then_some(&env as values::Lookup),
        )?
    };
    drop(files);
    // Said in every outcome: a typo is often why something is missing.
    let (unused_keys, unused_hidden) = split_unused(found.unused);
    report::warn_unused(out, &unused_keys, unused_hidden);
    let mut found_secrets = found.secrets.into_iter();
    let mut found_missing = found.missing.into_iter();
    for plan in plans.iter_mut().filter(|p| p.to_set) {
        plan.secrets = found_secrets.next().unwrap_or_default();
        plan.missing = found_missing.next().unwrap_or_default();
    }
    // Refused before any prompt: what is missing besides is said with it.
    if !found.ambiguous.is_empty() {
        let mut problems = found.ambiguous;
        problems.extend(
            plans
                .iter()
                .filter(|p| p.to_set)
                .filter_map(Plan::incomplete),
        );
        return Err(invalid(problems));
    }

    // On a terminal, what is missing is asked for before anything is judged.
    if input == Input::Terminal {
        for plan in plans
            .iter_mut()
            .filter(|p| p.to_set && p.usable() && !p.missing.is_empty())
        {
            let keys: Vec<&str> = plan.missing.iter().map(String::as_str).collect();
            let asked = secrets::ask(&plan.id, &keys, &plan.fields)?;
            for (key, value) in plan.missing.drain(..).zip(asked) {
                plan.secrets.insert(key, value);
            }
        }
    }

    let incomplete: Vec<String> = plans
        .iter()
        .filter(|p| p.to_set)
        .filter_map(Plan::incomplete)
        .collect();
    if !incomplete.is_empty() && !args.partial {
        let mut problems = incomplete;
        problems.push("(--partial sets what is complete and reports the rest)".to_string());
        return Err(invalid(problems));
    }

    let sending = plans.iter().any(|p| p.to_set && p.complete());
    let key = match (early_key, sending) {
        (Some(key), _) => Some(key?),
        (None, true) => Some(set::public_key(&platform.public_key, &client)?),
        (None, false) => None,
    };
    let mut context = fix_context(common);
    // An OAuth fix names the organization, which may take asking.
    if plans.iter().any(|p| p.status == Status::OAuth) {
        context.dashboard_url = super::dashboard_url(common, Some(&client));
    }
    let mut items = Vec::with_capacity(plans.len());
    for plan in plans {
        let fix = readiness::fix(&plan.id, &plan.expected, plan.status, &context)
            .map(|f| f.text().to_string());
        let mut item = Item {
            id: plan.id.clone(),
            expected: plan.expected.context,
            before: plan.status.as_str(),
            action: Action::Unchanged,
            fields: Vec::new(),
            missing: Vec::new(),
            error: None,
            fix: None,
        };
        match (plan.status, plan.to_set, plan.complete()) {
            (Status::OAuth, ..) => {
                item.action = Action::OAuth;
                item.fix = fix;
            }
            (Status::Unknown, ..) => {
                item.action = Action::Unknown;
                item.fix = fix;
            }
            (_, false, _) => {}
            (_, true, false) => {
                item.action = Action::Incomplete;
                item.missing = plan.missing.clone();
                item.fix = Some(plan.to_complete());
            }
            (status, true, true) => {
                item.action = if matches!(status, Status::Connected | Status::Stale) {
                    Action::Update
                } else {
                    Action::Create
                };
                item.fields = plan.secrets.keys().map(String::from).collect();
                // Fetched above whenever a set is complete.
                let Some(key) = &key else {
                    return Err(CliError::validation("no public key to encrypt with"));
                };
                match set_plan(common, &client, key, plan, args.dry_run) {
                    Ok(fields) => item.fields = fields,
                    // Sealing failed: no set could be sent.
                    Err(error) if args.dry_run => return Err(error),
                    Err(error) => {
                        item.action = Action::Failed;
                        item.error = Some((error.code.as_str(), error.message));
                        item.fix = fix;
                    }
                }
            }
        }
        items.push(item);
    }

    // Ready now thanks to this run, and the deployment still failed: its
    // rerun is the next step (issue 22), as check says it.
    let changed = items.iter().any(|i| i.action.changes());
    let ready = items.iter().all(|i| i.action.ready()) && declared.problems.is_empty();
    let (rerun, warning) = match (&common.instance, changed && ready && !args.dry_run) {
        (Some(instance), true) => rerun_step(common, &client, instance, out),
        _ => (None, None),
    };
    let report = Report {
        rerun,
        warnings: warning.into_iter().collect(),
        use_case: dir.display().to_string(),
        config_file: file_name(&declared.file),
        environment: common.environment.as_str(),
        instance: common.instance.clone(),
        dry_run: args.dry_run,
        items,
        unused_keys,
        unreadable: declared.problems.clone(),
        left_out: crate::commands::command_line::left_out(common),
    };
    Finished::with(report.outcome(), report)
}

/// Sets one complete plan by `set`'s own operation; in a dry run, seals
/// every field as the real run would and sends nothing. The fields, by name.
fn set_plan(
    common: &Common,
    client: &Client,
    key: &PublicKey,
    plan: Plan,
    dry_run: bool,
) -> Result<Vec<String>> {
    let context = plan.expected.context.unwrap_or(ContextType::Organization);
    let request = SetRequest {
        integration: IntegrationRef {
            organization_id: common.organization_id.clone(),
            integration_id: plan.id,
            context,
            instance: match context {
                ContextType::ProcessInstance => common.instance.clone(),
                _ => None,
            },
        },
        secrets: plan.secrets,
        metadata: Vec::new(),
        schema: plan.schema,
        force: false,
    };
    let mode = if dry_run { Mode::DryRun } else { Mode::Send };
    let activate = |instance: &str| activate_command(common, instance);
    Ok(set_one(client, key, request, mode, &mut |_| {}, &activate)?.fields)
}

/// One declared integration on its way through the run.
struct Plan {
    id: String,
    expected: Expected,
    status: Status,
    /// Its secret fields: the registry's, or its schema's.
    fields: Vec<Field>,
    /// A `cstm_*` schema, when usable.
    schema: Option<Schema>,
    to_set: bool,
    secrets: Secrets,
    missing: Vec<String>,
}

impl Plan {
    /// Whether it can be set at all: not a `cstm_*` whose schema is
    /// absent or would be refused.
    fn usable(&self) -> bool {
        self.expected.kind != Kind::CustomUnusable
    }

    fn complete(&self) -> bool {
        self.usable() && self.missing.is_empty()
    }

    /// What keeps it from being set, as one line.
    fn incomplete(&self) -> Option<String> {
        if !self.usable() {
            return Some(format!(
                "{}: {}",
                self.id,
                self.expected
                    .warning
                    .clone()
                    .unwrap_or_else(|| { "its schema cannot be read from config.ts".to_string() })
            ));
        }
        if self.missing.is_empty() {
            return None;
        }
        Some(format!("{}: {}", self.id, self.to_complete()))
    }

    /// What to add: each missing field under either of its keys.
    fn to_complete(&self) -> String {
        if !self.usable() {
            return self.expected.warning.clone().unwrap_or_else(|| {
                "give it an entry in customIntegrations of config.ts".to_string()
            });
        }
        let prefix = values::prefix(&self.id);
        let keys: Vec<String> = self
            .missing
            .iter()
            .map(|k| format!("{k} (or {prefix}{k})"))
            .collect();
        format!(
            "missing {}: add it to a --secrets-file (or the environment with --from-env)",
            keys.join(", ")
        )
    }
}

/// The secret fields of a declared integration and, for a usable `cstm_*`,
/// its schema as `set` sends it.
fn fields_of(
    id: &str,
    expected: &Expected,
    definition: &Definition,
    file: &str,
) -> (Vec<Field>, Option<Schema>) {
    match (expected.kind, definition) {
        (Kind::Custom, Definition::Schema(json)) => {
            let value = miniserde::json::from_str::<Value>(json).unwrap_or(Value::Null);
            let fields = fields::schema_fields(&value);
            // Kind::Custom: the verifier passed it already.
            let required_secrets = codika_common::custom_schema::validate(&value, id)
                .map(|checked| checked.required_secret_keys)
                .unwrap_or_default();
            let schema = Schema {
                json: json.clone(),
                context: resolve::schema_context(&value),
                required_secrets,
                fields: fields.clone(),
                origin: format!("auto-extracted from {}", file_name(file)),
            };
            (fields, Some(schema))
        }
        (Kind::BuiltIn, _) => (fields::registry_fields(id), None),
        _ => (Vec::new(), None),
    }
}

/// Every `--secrets-file` in order, a later one's keys winning. A file that
/// cannot be read is a problem; the others are still read, so that every
/// problem is said at once.
fn read_files(paths: &[PathBuf], input: Input, problems: &mut Vec<String>) -> Secrets {
    let stdin = paths.iter().filter(|p| *p == Path::new("-")).count();
    if stdin > 1 {
        problems.push(format!(
            "stdin can be read once, and --secrets-file - is given {stdin} times"
        ));
    } else if stdin == 1 && input != Input::NotATerminal {
        problems.push(
            "--secrets-file - reads stdin, which is a terminal (what is typed would show): redirect the file (--secrets-file - < .env) or name it".to_string(),
        );
    }
    let mut merged = Secrets::default();
    if !problems.is_empty() {
        return merged;
    }
    for path in paths {
        match secrets::read_file(path) {
            Ok(file) => {
                for (key, value) in file.iter() {
                    merged.insert(key.to_string(), value.duplicate());
                }
            }
            Err(error) => problems.push(error.message),
        }
    }
    merged
}

/// The list answer's connected integrations and, when the public key is
/// served by another host than the API (the live platform's dashboard),
/// the key fetched at the same time on its own connection: the two round
/// trips overlap instead of adding up.
#[allow(clippy::type_complexity)]
fn list_and_key(
    common: &Common,
    platform: &Platform,
    client: &Client,
) -> Result<(Vec<Listed>, Option<Result<PublicKey>>)> {
    let list = || {
        client
            .list(&ListRequest {
                organization_id: common.organization_id.clone(),
                instance: common.instance.clone(),
            })
            .map(|listing| readiness::listed(&listing))
    };
    if !platform.key_from_another_host() {
        return Ok((list()?, None));
    }
    std::thread::scope(|scope| {
        let key = scope.spawn(|| set::public_key(&platform.public_key, client));
        let listed = list();
        let key = key
            .join()
            .unwrap_or_else(|_| Err(CliError::network("the public key fetch stopped")));
        Ok((listed?, Some(key)))
    })
}

/// The unused keys a message may name (UPPER_CASE), and how many others.
fn split_unused(keys: Vec<String>) -> (Vec<String>, usize) {
    let (shown, hidden): (Vec<String>, Vec<String>) = keys
        .into_iter()
        .partition(|k| secrets::shown_name(k, &[]).is_some());
    (shown, hidden.len())
}

/// `config.ts` of `dir/config.ts`: the heading names the folder already.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn fix_context(common: &Common) -> readiness::FixContext {
    super::check::fix_context(common)
}

/// Every problem at once; nothing was sent.
fn invalid(problems: Vec<String>) -> CliError {
    let count = problems.iter().filter(|p| !p.starts_with('(')).count();
    let mut error =
        CliError::validation(format!("nothing was sent: {count} problem(s) to fix first"));
    let list: Vec<Value> = problems.iter().cloned().map(Value::String).collect();
    for problem in problems {
        error = error.detail(problem);
    }
    error.with("problems", Value::Array(list.into_iter().collect()))
}
