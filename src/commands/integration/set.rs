/*!
`codika integration set <integrationId>`: collect the secrets (see
`secrets`), encrypt each field on this machine, (with `--force`, delete
the old one,) create. The command checks everything into a [`SetRequest`]
and [`set_one`] does the rest, a step a loop can call (`apply` will); with
`--dry-run` the same steps stop short of the requests that change state, and
the plan is printed instead (see `plan`).
*/

use miniserde::json::Value;

use super::plan::{self, Existing, Facts, Plan};
use crate::commands::Finished;
use crate::commands::command_line;
use crate::commands::deployment::instance::activate_command;
use crate::commands::{integration_id, integration_ref};
use crate::context::ContextType;
use crate::error::{CliError, Code, Result};
use crate::files;
use crate::json_input;
use crate::platform::client::Client;
use crate::platform::seal::PublicKey;
use crate::platform::wire::{
    CREATE_PATH, CreateRequest, Created, DELETE_PATH, IntegrationRef, SealedField,
};

/// A schema of a few dozen fields is a few KiB.
const MAX_SCHEMA_FILE: u64 = 1 << 20;
/// A PEM public key (RSA-4096 included) is under 1 KiB.
const MAX_PUBLIC_KEY_FILE: u64 = 64 << 10;
use crate::platform::url::redacted;
use crate::resolve::{self, Common, Platform, PublicKeySource, SetArgs, Target};
use crate::secrets::{self, Secrets};
use crate::tsconfig;
use crate::ui::output::{Json, JsonObject, Output, Render, Style, shown};
use codika_common::jsontext;
use codika_common::registry;

/// One integration to set, every check done: what [`set_one`] sends.
pub struct SetRequest {
    pub integration: IntegrationRef,
    /// Wiped on drop; [`set_one`] drops them once sealed.
    pub secrets: Secrets,
    /// Each `--metadata KEY=VALUE`.
    pub metadata: Vec<(String, String)>,
    /// A `cstm_*` integration's schema, checked as the platform's verifier does.
    pub schema: Option<Schema>,
    /// Delete the existing integration first.
    pub force: bool,
}

/// Whether [`set_one`] sends what changes state, or stops before it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Send,
    DryRun,
}

/// A step of [`set_one`], for progress lines.
#[derive(Clone, Copy)]
pub enum Step {
    Encrypting,
    DeletingFirst,
    Creating,
}

/// What [`set_one`] did, or in a dry run would do.
pub struct SetReport {
    pub integration_id: String,
    /// The secret fields, by name, in the order sent.
    pub fields: Vec<String>,
    /// The platform's answer to the create; `None` in a dry run.
    pub created: Option<Created>,
    /// What the `--force` delete deactivated; `None` without one.
    pub deactivated: Option<Deactivated>,
    /// What the printed commands leave out (see `command_line::left_out`).
    pub left_out: Vec<String>,
}

/// The process instances a `--force` delete deactivated: the count the
/// platform answered, and `codika instance activate ID` for each instance
/// it named beforehand (as `integration delete --confirm` prints them).
pub struct Deactivated {
    pub count: u64,
    pub instances: Vec<String>,
    pub activate: Vec<String>,
}

impl Deactivated {
    fn json(&self) -> Json {
        JsonObject::new()
            .count("count", self.count)
            .strings("processInstanceIds", &self.instances)
            .strings("activate", &self.activate)
            .build()
    }
}

/// Sets one integration: seals every field with `key`, (with `force`,
/// deletes the existing one,) creates. In [`Mode::DryRun`] everything up to
/// the sealing, nothing sent. `progress` hears of each step as it starts;
/// `activate` writes the command that activates an instance again.
pub fn set_one(
    client: &Client,
    key: &PublicKey,
    request: SetRequest,
    mode: Mode,
    progress: &mut dyn FnMut(Step),
    activate: &dyn Fn(&str) -> String,
) -> Result<SetReport> {
    let SetRequest {
        integration,
        secrets,
        metadata,
        schema,
        force,
    } = request;
    // Whoever built the request (set, apply), a value pasted as a key is
    // never sealed, let alone sent.
    refuse_pasted_values(&integration.integration_id, &secrets, schema.as_ref())?;
    if mode == Mode::Send {
        progress(Step::Encrypting);
    }
    let sealed = seal(key, &secrets)?;
    drop(secrets); // wiped: only envelopes from here on
    let fields = sealed.iter().map(|field| field.key.clone()).collect();
    let integration_id = integration.integration_id.clone();
    let create = CreateRequest {
        integration,
        secrets: sealed,
        connected_at: codika_common::clock::now_iso(),
        metadata,
        custom_schema: schema.map(|schema| schema.json),
    };
    if mode == Mode::DryRun {
        return Ok(SetReport {
            integration_id,
            fields,
            created: None,
            deactivated: None,
            left_out: Vec::new(),
        });
    }
    let deactivated = match force {
        true => {
            progress(Step::DeletingFirst);
            // The confirmed answer counts the instances it deactivates but
            // does not name them: asked first (a read), to say how to
            // activate each again.
            let instances: Vec<String> = client
                .request_deletion(&create.integration)?
                .processes
                .into_iter()
                .map(|p| p.process_instance_id)
                .filter(|id| !id.is_empty())
                .collect();
            let deleted = client.delete(&create.integration)?;
            Some(Deactivated {
                count: deleted.deactivated_count,
                activate: instances.iter().map(|i| activate(i)).collect(),
                instances,
            })
        }
        false => None,
    };
    progress(Step::Creating);
    let created = match (client.create(&create), &deactivated) {
        (Ok(created), _) => created,
        (Err(error), None) => return Err(error),
        (Err(error), Some(deactivated)) => {
            return Err(not_recreated(&integration_id, error, deactivated));
        }
    };
    Ok(SetReport {
        integration_id,
        fields,
        created: Some(created),
        deactivated,
        left_out: Vec::new(),
    })
}

/// A create refused after the `--force` delete: the integration is gone,
/// and what the delete deactivated stays so. Said in the error itself, for
/// a human and in `--json` (our document, the platform's code kept).
fn not_recreated(id: &str, error: CliError, deactivated: &Deactivated) -> CliError {
    let mut lost = CliError::new(
        error.code.clone(),
        format!(
            "{id} was deleted (--force) and not re-created: {}",
            error.message
        ),
    );
    lost.details = error.details;
    lost.extra = error.extra;
    lost = lost.detail(format!(
        "{} process instance(s) were deactivated by the delete; set {id} again, then activate them:",
        deactivated.count
    ));
    for command in &deactivated.activate {
        lost = lost.detail(format!("  {command}"));
    }
    let strings =
        |values: &[String]| Value::Array(values.iter().cloned().map(Value::String).collect());
    lost.with("deleted", Value::Bool(true))
        .with(
            "deactivatedCount",
            Value::Number(miniserde::json::Number::U64(deactivated.count)),
        )
        .with("processInstanceIds", strings(&deactivated.instances))
        .with("activate", strings(&deactivated.activate))
}

pub fn run(common: &Common, args: SetArgs, out: &Output) -> Result<Finished> {
    let request = prepare(common, &args, out)?;
    let platform = common.platform()?;
    let id = request.integration.integration_id.clone();
    let client = platform.client()?;
    if args.dry_run {
        // Reads first, as the plan says: who the key is, what exists.
        let target = Target {
            context: request.integration.context,
            instance: request.integration.instance.clone(),
        };
        let facts = plan::facts(common, &client, &id, &target, out)?;
        let key = public_key(&platform.public_key, &client)?;
        let schema_origin = request.schema.as_ref().map(|s| s.origin.clone());
        let report = set_one(&client, &key, request, Mode::DryRun, &mut |_| {}, &|_| {
            String::new()
        })?;
        let plan = plan_of(common, &args, &target, &facts, &key, &report, schema_origin)?;
        return Finished::done(plan);
    }

    out.say(&format!("\nConfiguring {id}..."));
    out.say(&format!(
        "  Context:    {}",
        request.integration.context.as_str()
    ));
    if let Some(instance) = &request.integration.instance {
        out.say(&format!("  Instance:   {}", shown(instance)));
    }
    out.say(&format!("  Secrets:    {} field(s)", request.secrets.len()));
    if let Some(schema) = &request.schema {
        out.say(&format!("  Schema:     {}", shown(&schema.origin)));
    }
    if request.force {
        out.say("  Force:      yes");
    }

    let key = public_key_opening_the_api(platform, &client)?;
    let left_out = command_line::left_out(common);
    let activate = |instance: &str| activate_command(common, instance);
    let progress = &mut |step| {
        out.say(match step {
            Step::Encrypting => "\n  Encrypting secrets...",
            Step::DeletingFirst => "  Deleting existing integration (--force)...",
            Step::Creating => "  Creating integration...",
        })
    };
    let mut report = set_one(&client, &key, request, Mode::Send, progress, &activate)
        .map_err(|error| with_notes(error, &left_out))?;
    report.left_out = left_out;
    Finished::done(report)
}

impl Render for SetReport {
    fn human(&self, out: &Output) {
        let Some(answer) = &self.created else {
            return;
        };
        let verb = if answer.created { "created" } else { "updated" };
        out.say("");
        out.say_styled(
            Style::Green,
            &format!("✓ {} integration {verb} successfully!", self.integration_id),
        );
        if let Some(credential) = &answer.n8n_credential_id {
            out.say(&format!("  n8n Credential ID: {}", shown(credential)));
        }
        if let Some(deactivated) = self.deactivated.as_ref().filter(|d| d.count > 0) {
            out.say(&format!(
                "  {} process instance(s) deactivated by the --force delete.",
                deactivated.count
            ));
            if !deactivated.activate.is_empty() {
                out.say("\nActivate them again, once they can run, with:");
                for command in &deactivated.activate {
                    out.say(&shown(&format!("  {command}")));
                }
                for note in &self.left_out {
                    out.say(&format!("  ({note})"));
                }
            }
        }
        out.say("");
    }

    /// The platform's answer as received; after a `--force` delete, with
    /// what it deactivated in its `data` (`deactivated`, and `notes`).
    fn json(&self) -> Json {
        let Some(answer) = &self.created else {
            return Json::Null;
        };
        let Some(deactivated) = &self.deactivated else {
            return Json::Received(answer.text.clone());
        };
        let mut added = vec![("deactivated", deactivated.json().to_text())];
        if !self.left_out.is_empty() {
            added.push(("notes", Json::strings(&self.left_out).to_text()));
        }
        Json::received_with(&answer.text, &added)
    }
}

/// Everything `set` checks before it sends anything, in this order: the id,
/// OAuth, `--metadata`, a custom schema, the context and instance, then the
/// secrets (which may mean stdin or a prompt) against the fields.
fn prepare(common: &Common, args: &SetArgs, out: &Output) -> Result<SetRequest> {
    let id = integration_id(&args.integration_id)?;
    if registry::find(id).is_some_and(|i| i.is_oauth()) {
        return Err(oauth_required(common, id));
    }
    common.platform()?;
    let metadata = secrets::metadata(&args.metadata)?;
    // Checked before anything is sent, as the platform's verifier would;
    // and before secrets are read, which may mean stdin or a prompt.
    let custom_schema = custom_schema(common, args, id)?;
    let schema_context = custom_schema.as_ref().and_then(|s| s.context);
    let target = common.target(id, schema_context)?;
    let fields = custom_schema.as_ref().map(|s| s.fields.as_slice());
    let sources = secrets::Sources::of(&args.secrets, common.no_input);
    let secrets = secrets::collect(&sources, id, fields)?;
    refuse_pasted_values(id, &secrets, custom_schema.as_ref())?;
    check_fields(
        id,
        &secrets,
        custom_schema.as_ref(),
        args.force,
        args.dry_run,
        out,
    )?;
    if let Some(schema) = &custom_schema {
        schema.check_secrets(id, &secrets)?;
    }
    Ok(SetRequest {
        integration: integration_ref(common.organization_id.as_deref(), id, &target),
        secrets,
        metadata,
        schema: custom_schema,
        force: args.force,
    })
}

/// The error of a create refused after the `--force` delete (see
/// [`not_recreated`]) prints activate commands: what they leave out is
/// said under them, and in `--json` as `notes`.
fn with_notes(mut error: CliError, left_out: &[String]) -> CliError {
    if left_out.is_empty() || !error.extra.iter().any(|(key, _)| *key == "deleted") {
        return error;
    }
    for note in left_out {
        error = error.detail(format!("  ({note})"));
    }
    let notes = left_out.iter().cloned().map(Value::String).collect();
    error.with("notes", Value::Array(notes))
}

/// `--dry-run`: what the platform told by reads, the public key fetched and
/// every field sealed by [`set_one`] (the envelopes dropped unsent), as a plan.
fn plan_of(
    common: &Common,
    args: &SetArgs,
    target: &Target,
    facts: &Facts,
    key: &PublicKey,
    report: &SetReport,
    schema_origin: Option<String>,
) -> Result<Plan> {
    let platform = common.platform()?;
    let id = report.integration_id.as_str();
    let sealed = report.fields.len();
    let fields = &report.fields;
    let metadata: Vec<String> = secrets::metadata(&args.metadata)?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let key_source = match &platform.public_key {
        PublicKeySource::File(path) => format!("{} (file)", path.display()),
        PublicKeySource::Url(url) => redacted(url),
    };
    let (verb, old) = match facts.existing {
        // After the --force delete, the create makes it anew.
        Existing::Yes { .. } if args.force => ("creates", "the existing"),
        Existing::Yes { .. } => ("updates the existing", "the existing"),
        Existing::No => ("creates", "no"),
        Existing::Unknown(_) if args.force => ("creates", "any"),
        Existing::Unknown(_) => ("creates or updates", "any"),
    };
    let mut requests = Vec::new();
    if args.force {
        requests.push(format!(
            "POST {DELETE_PATH} (confirmDeletion: true): deletes {old} {id} first"
        ));
    }
    requests.push(format!(
        "POST {CREATE_PATH}: {verb} {id}, {sealed} encrypted field(s)"
    ));
    let force = match (args.force, &facts.existing) {
        (true, _) => format!(
            "--force: given: {old} {id} is deleted before the create (what depends on it is deactivated), and stays deleted if the create fails."
        ),
        (false, Existing::No) => {
            format!("--force: not given; it would change nothing: there is no {id} to delete.")
        }
        (false, _) => format!(
            "--force: not given; with it, {old} {id} would be deleted first (what depends on it deactivated), then created."
        ),
    };
    let mut plan = Plan::new(common, id, target, facts)?.row(
        "Fields",
        format!("{} (values not shown)", fields.join(", ")),
        "fields",
        Json::strings(fields),
    );
    if !metadata.is_empty() {
        plan = plan.row(
            "Metadata",
            metadata.join(", "),
            "metadata",
            Json::strings(&metadata),
        );
    }
    plan = match schema_origin {
        Some(origin) => {
            let json = Json::text(&origin);
            plan.row("Schema", origin, "schema", json)
        }
        None => plan.member("schema", Json::Null),
    };
    let plan = plan
        .row(
            "Public key",
            format!(
                "{key_source}; {sealed} field(s) encrypted ({}), not sent",
                key.envelope()
            ),
            "publicKey",
            Json::text(&key_source),
        )
        .member("envelope", Json::text(key.envelope()))
        .would_send(requests)
        .switch("force", args.force, force);
    Ok(plan)
}

/// OAuth integrations are connected in the dashboard, never with secrets.
fn oauth_required(common: &Common, id: &str) -> CliError {
    let url = super::dashboard_url(common, None);
    CliError::new(
        Code::OAuthRequired,
        format!("{id} requires OAuth authentication."),
    )
    .detail(format!("Connect it via the dashboard at: {url}"))
    .with("dashboardUrl", Value::String(url))
}

/// The secret fields `id` declares: its custom schema's, else the
/// registry's; `None` when neither knows it (an id that is neither built
/// in nor `cstm_*`, or a built-in one without secret fields).
fn declared_fields(id: &str, schema: Option<&Schema>) -> Option<Vec<String>> {
    match schema {
        Some(schema) => Some(schema.fields.iter().map(|f| f.key.clone()).collect()),
        None => registry::find(id)
            .filter(|i| !i.secret_fields.is_empty())
            .map(|i| i.secret_fields.iter().map(|f| f.key.clone()).collect()),
    }
}

/// A key that is no declared field of `id` and looks like a value (a
/// secret pasted without `KEY=`) would be sent as a field name, in clear:
/// refused, whatever the id, `--force` or not, before anything is sent.
pub fn refuse_pasted_values(id: &str, secrets: &Secrets, schema: Option<&Schema>) -> Result<()> {
    let declared = declared_fields(id, schema).unwrap_or_default();
    let pasted = secrets
        .keys()
        .filter(|k| !declared.iter().any(|d| d == k) && !secrets::looks_like_a_name(k))
        .count();
    if pasted == 0 {
        return Ok(());
    }
    let expected = match declared.is_empty() {
        false => format!("Expected: {}", declared.join(", ")),
        true => {
            format!("{id} declares no fields we know, so only UPPER_CASE names (API_KEY) are sent")
        }
    };
    Err(CliError::validation(format!(
        "{pasted} --secret key(s) for {id} are not its fields and look like values (not shown: a secret pasted without KEY=?); nothing was sent. {expected}"
    )))
}

/// Compares the secrets with the declared fields (the registry's, or the
/// custom schema's). Without `--force` it warns and goes on (the platform
/// has the last word); with it, a problem stops the run before anything
/// is sent, since its delete comes first and a refused create would leave
/// the integration gone. An id that is neither built in nor `cstm_*` is
/// warned about: nothing can be checked, and it may be a typo.
fn check_fields(
    id: &str,
    secrets: &Secrets,
    schema: Option<&Schema>,
    force: bool,
    dry_run: bool,
    out: &Output,
) -> Result<()> {
    if schema.is_none() && registry::find(id).is_none() && !id.starts_with("cstm_") {
        out.warn(&format!(
            "{id} is not a built-in integration (nor cstm_*): its fields cannot be checked; check the id (codika integration check calls it unknown)"
        ));
    }
    let Some(expected) = declared_fields(id, schema) else {
        return Ok(());
    };
    // The platform refuses a create without a required field (protocol:
    // MISSING_REQUIRED_FIELDS, exit 2): a dry run says so, as the real
    // run would end, instead of "every check passed". (A custom schema's
    // required fields are checked by `Schema::check_secrets`.)
    let registry = registry::find(id).filter(|_| schema.is_none());
    let missing: Vec<&str> = registry
        .iter()
        .flat_map(|i| i.required_fields())
        .filter(|f| secrets.get(&f.key).is_none_or(|v| v.expose().is_empty()))
        .map(|f| f.key.as_str())
        .collect();
    if dry_run && !force && !missing.is_empty() {
        return Err(CliError::validation(format!(
            "{id} requires {}: the platform would refuse the create (MISSING_REQUIRED_FIELDS)",
            missing.join(", ")
        )));
    }
    let mut problems = Vec::new();
    for key in secrets.keys().filter(|k| !expected.iter().any(|e| e == k)) {
        problems.push(format!(
            "Unexpected secret field {} for {id}. Expected: {}",
            quoted_label(key),
            expected.join(", ")
        ));
    }
    for field in registry.iter().flat_map(|i| i.required_fields()) {
        if secrets
            .get(&field.key)
            .is_none_or(|v| v.expose().is_empty())
        {
            problems.push(format!(
                "Missing required field \"{}\" ({})",
                field.key, field.description
            ));
        }
    }
    if !force {
        problems.iter().for_each(|p| out.warn(p));
        return Ok(());
    }
    match problems.split_first() {
        None => Ok(()),
        Some((first, rest)) => {
            let mut error = CliError::validation(format!(
                "{first}; nothing was sent: --force deletes the existing {id} first, so every field must be right"
            ));
            for problem in rest {
                error = error.detail(problem.clone());
            }
            Err(error)
        }
    }
}

/// An unexpected key in quotes, when it is shown at all.
fn quoted_label(key: &str) -> String {
    match secrets::shown_name(key, &[]) {
        Some(name) => format!("\"{}\"", shown(&name)),
        None => secrets::label(key, &[]),
    }
}

/// A `cstm_*` integration's schema, checked as the platform's verifier does.
pub struct Schema {
    /// JSON text in the key order of its source, sent as is.
    pub json: String,
    pub context: Option<ContextType>,
    pub required_secrets: Vec<String>,
    /// Its `secretFields`, for the prompts.
    pub fields: Vec<secrets::fields::Field>,
    /// `from ./schema.json` or `auto-extracted from config.ts`.
    pub origin: String,
}

impl Schema {
    /// The merged secrets must hold every required secret field.
    fn check_secrets(&self, id: &str, secrets: &Secrets) -> Result<()> {
        let missing: Vec<&str> = self
            .required_secrets
            .iter()
            .map(String::as_str)
            .filter(|key| secrets.get(key).is_none())
            .collect();
        match missing.first() {
            None => Ok(()),
            Some(first) => Err(CliError::validation(format!(
                "{id} needs the secret field(s) {} (its schema, {}, requires them): pass --secret {first}=...",
                missing.join(", "),
                self.origin
            ))),
        }
    }
}

/// The schema of a `cstm_*` integration, from `--custom-schema-file`, else
/// from the use case's config.ts (or config.js).
fn custom_schema(common: &Common, args: &SetArgs, id: &str) -> Result<Option<Schema>> {
    let custom = id.starts_with("cstm_");
    let (json, origin) = match (&args.custom_schema_file, custom) {
        (None, false) => return Ok(None),
        (Some(_), false) => {
            return Err(CliError::validation(format!(
                "--custom-schema-file is only for custom integrations (cstm_*), not {id}"
            )));
        }
        (Some(path), true) => (schema_file(path)?, format!("from {}", path.display())),
        (None, true) => {
            let found = tsconfig::extract(&common.use_case, id)?;
            (
                found.json,
                format!("auto-extracted from {}", found.file_name),
            )
        }
    };
    let source = format!("the schema of {id} ({origin})");
    let value = json_input::parse(&json, &source)?
        .ok_or_else(|| CliError::validation(format!("{source} is not valid JSON")))?;
    let checked = codika_common::custom_schema::validate(&value, id).map_err(|problem| {
        CliError::validation(format!(
            "the schema of {id} ({origin}) would be refused by the platform: {problem}; fix it and run again"
        ))
    })?;
    Ok(Some(Schema {
        context: resolve::schema_context(&value),
        fields: secrets::fields::schema_fields(&value),
        json,
        required_secrets: checked.required_secret_keys,
        origin,
    }))
}

/// The JSON object of a `--custom-schema-file`, compacted, key order kept.
fn schema_file(path: &std::path::Path) -> Result<String> {
    let text = files::read_text(path, MAX_SCHEMA_FILE).map_err(|e| {
        CliError::validation(format!(
            "cannot read custom schema file {}: {e}",
            path.display()
        ))
    })?;
    let source = format!("custom schema file {}", path.display());
    match json_input::parse(&text, &source)? {
        Some(Value::Object(_)) => Ok(jsontext::compact(&text)),
        _ => Err(CliError::validation(format!(
            "custom schema file {} is not a JSON object",
            path.display()
        ))),
    }
}

/// The public key; when another host serves it (the live platform), fetched
/// while the API's connection is opened by the key check (`/verifyapikey`),
/// which the create then finds open: the two handshakes overlap instead of
/// adding up, and a refused key is told before anything is encrypted.
fn public_key_opening_the_api(platform: &Platform, client: &Client) -> Result<PublicKey> {
    if !platform.key_from_another_host() {
        return public_key(&platform.public_key, client);
    }
    std::thread::scope(|scope| {
        let key = scope.spawn(|| public_key(&platform.public_key, client));
        let verified = client.verify();
        let key = key
            .join()
            .unwrap_or_else(|_| Err(CliError::network("the public key fetch stopped")));
        verified?;
        key
    })
}

/// The platform's public key, from a file (nothing fetched) or a URL: once
/// per run, however many integrations are set.
pub fn public_key(source: &PublicKeySource, client: &Client) -> Result<PublicKey> {
    match source {
        PublicKeySource::File(path) => {
            let text = files::read_text(path, MAX_PUBLIC_KEY_FILE).map_err(|e| {
                CliError::validation(format!(
                    "cannot read public key file {}: {e}",
                    path.display()
                ))
            })?;
            PublicKey::from_pem(&text, &path.display().to_string())
        }
        PublicKeySource::Url(url) => PublicKey::from_pem(&client.public_key(url)?, url),
    }
}

/// One envelope per field, in the secrets' order.
fn seal(key: &PublicKey, secrets: &Secrets) -> Result<Vec<SealedField>> {
    secrets
        .iter()
        .map(|(name, value)| {
            Ok(SealedField {
                key: name.to_string(),
                envelope: key.seal(name, value.expose().as_bytes())?,
            })
        })
        .collect()
}
