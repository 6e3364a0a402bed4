/*!
`codika integration set <integrationId>`: collect the secrets (see
`secrets`), encrypt each field on this machine, (with `--force`, delete
the old one,) create. With `--dry-run`, the same up to the encryption, then
the plan instead of the delete and the create (see `dry_run`).
*/

use miniserde::json::{Object, Value};

use super::dry_run::{self, Existing, Plan};
use super::{identity, integration_id};
use crate::api::{CREATE_PATH, Client, DELETE_PATH};
use crate::context::ContextType;
use crate::crypto::PublicKey;
use crate::error::{CliError, Code, Outcome, Result};
use crate::files;

/// A schema of a few dozen fields is a few KiB.
const MAX_SCHEMA_FILE: u64 = 1 << 20;
/// A PEM public key (RSA-4096 included) is under 1 KiB.
const MAX_PUBLIC_KEY_FILE: u64 = 64 << 10;
use crate::jsontext;
use crate::output::{Output, Style, json_strings, shown};
use crate::registry;
use crate::resolve::{self, HiArgs, PublicKeySource, Target};
use crate::secrets::{self, Secrets};
use crate::tsconfig;
use crate::url::redacted;
use crate::value::field;

pub fn run(args: &HiArgs, out: &Output) -> Result<Outcome> {
    let id = integration_id(args)?;
    if registry::find(id).is_some_and(|i| i.is_oauth()) {
        return Err(oauth_required(args, id));
    }
    let platform = args.platform()?;
    let metadata = metadata(&args.metadata)?;
    // Checked before anything is sent, as the platform's verifier would;
    // and before secrets are read, which may mean stdin or a prompt.
    let custom_schema = custom_schema(args, id)?;
    let schema_context = custom_schema.as_ref().and_then(|s| s.context);
    let target = args.target(id, schema_context)?;
    let fields = custom_schema.as_ref().map(|s| s.fields.as_slice());
    let secrets = secrets::collect(&secrets::Sources::of(args), id, fields)?;
    check_fields(id, &secrets, args.force, out)?;
    if let Some(schema) = &custom_schema {
        schema.check_secrets(id, &secrets)?;
    }
    if args.dry_run {
        return plan(args, id, &target, &secrets, custom_schema.as_ref(), out);
    }

    out.say(&format!("\nConfiguring {id}..."));
    out.say(&format!("  Context:    {}", target.context.as_str()));
    if let Some(instance) = &target.instance {
        out.say(&format!("  Instance:   {}", shown(instance)));
    }
    out.say(&format!("  Secrets:    {} field(s)", secrets.len()));
    if let Some(schema) = &custom_schema {
        out.say(&format!("  Schema:     {}", shown(&schema.origin)));
    }
    if args.force {
        out.say("  Force:      yes");
    }

    let client = platform.client()?;
    let key = public_key(&platform.public_key, &client)?;
    out.say("\n  Encrypting secrets...");
    let sealed = seal(&key, &secrets)?;
    drop(secrets); // wiped: only envelopes from here on

    let mut body = identity(args.organization_id.as_deref(), id, &target);
    if args.force {
        out.say("  Deleting existing integration (--force)...");
        client.delete(body.clone())?;
    }
    body.insert("secrets".into(), Value::Object(sealed));
    body.insert("metadata".into(), Value::Object(metadata));
    let mut body = miniserde::json::to_string(&Value::Object(body));
    if let Some(schema) = &custom_schema {
        // Spliced in as text: JSON.stringify keeps the schema's key order,
        // miniserde's objects would sort it.
        body = jsontext::with_member(&body, "customIntegrationSchema", &schema.json);
    }
    out.say("  Creating integration...");
    let answer = client.create(body)?;
    if out.json {
        out.json_text(&answer.text);
        return Ok(Outcome::Done);
    }
    let verb = if answer.status == 201 {
        "created"
    } else {
        "updated"
    };
    out.say("");
    out.say_styled(
        Style::Green,
        &format!("✓ {id} integration {verb} successfully!"),
    );
    if let Some(Value::String(credential)) = field(&answer.data, "n8nCredentialId") {
        out.say(&format!("  n8n Credential ID: {}", shown(credential)));
    }
    out.say("");
    Ok(Outcome::Done)
}

/// `--dry-run`: what the platform can tell by reads, the public key fetched
/// and every field encrypted (the envelopes are dropped unsent), the plan.
fn plan(
    args: &HiArgs,
    id: &str,
    target: &Target,
    secrets: &Secrets,
    schema: Option<&Schema>,
    out: &Output,
) -> Result<Outcome> {
    let platform = args.platform()?;
    let client = platform.client()?;
    let facts = dry_run::facts(args, &client, id, target, out)?;
    let key = public_key(&platform.public_key, &client)?;
    let sealed = seal(&key, secrets)?.len();
    let fields: Vec<String> = secrets.keys().map(String::from).collect();
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
    let mut plan = Plan::new(args, id, target, &facts)?.row(
        "Fields",
        format!("{} (values not shown)", fields.join(", ")),
        "fields",
        json_strings(&fields),
    );
    if !metadata.is_empty() {
        plan = plan.row(
            "Metadata",
            metadata.join(", "),
            "metadata",
            json_strings(&metadata),
        );
    }
    plan = match schema {
        Some(schema) => plan.row(
            "Schema",
            schema.origin.clone(),
            "schema",
            jsontext::quote(&schema.origin),
        ),
        None => plan.member("schema", "null".into()),
    };
    let plan = plan
        .row(
            "Public key",
            format!(
                "{key_source}; {sealed} field(s) encrypted ({}), not sent",
                key.envelope()
            ),
            "publicKey",
            jsontext::quote(&key_source),
        )
        .member("envelope", jsontext::quote(key.envelope()))
        .would_send(requests)
        .switch("force", args.force, force);
    Ok(plan.print(out))
}

/// OAuth integrations are connected in the dashboard, never with secrets.
fn oauth_required(args: &HiArgs, id: &str) -> CliError {
    let url = args.dashboard_url();
    CliError::new(
        Code::OAuthRequired,
        format!("{id} requires OAuth authentication."),
    )
    .detail(format!("Connect it via the dashboard at: {url}"))
    .with("dashboardUrl", Value::String(url))
}

/// Compares the secrets with the registry's fields. Without `--force` it
/// warns and goes on (the platform has the last word); with it, a problem
/// stops the run before anything is sent, since its delete comes first and
/// a refused create would leave the integration gone.
fn check_fields(id: &str, secrets: &Secrets, force: bool, out: &Output) -> Result<()> {
    let Some(integration) = registry::find(id).filter(|i| !i.secret_fields.is_empty()) else {
        return Ok(());
    };
    let expected: Vec<&str> = integration
        .secret_fields
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    // A key that is no field of the integration and looks like a value (a
    // secret pasted without KEY=) would be sent as a field name, in clear:
    // never, --force or not.
    let pasted = secrets
        .keys()
        .filter(|k| !expected.contains(k) && !secrets::looks_like_a_name(k))
        .count();
    if pasted > 0 {
        return Err(CliError::validation(format!(
            "{pasted} --secret key(s) for {id} are not its fields and look like values (not shown: a secret pasted without KEY=?); nothing was sent. Expected: {}",
            expected.join(", ")
        )));
    }
    let mut problems = Vec::new();
    for key in secrets.keys().filter(|k| !expected.contains(k)) {
        problems.push(format!(
            "Unexpected secret field {} for {id}. Expected: {}",
            quoted_label(key),
            expected.join(", ")
        ));
    }
    for field in integration.required_fields() {
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

/// The protocol's metadata: `connectedAt`, `installedBy`, `hasValidTokens`,
/// then each `--metadata KEY=VALUE` as a string.
fn metadata(flags: &[String]) -> Result<Object> {
    let mut metadata = Object::new();
    metadata.insert("connectedAt".into(), Value::String(crate::clock::now_iso()));
    metadata.insert("installedBy".into(), Value::String("cli".into()));
    metadata.insert("hasValidTokens".into(), Value::Bool(true));
    for (key, value) in secrets::metadata(flags)? {
        metadata.insert(key, Value::String(value));
    }
    Ok(metadata)
}

/// A `cstm_*` integration's schema, checked as the platform's verifier does.
struct Schema {
    /// JSON text in the key order of its source, sent as is.
    json: String,
    context: Option<ContextType>,
    required_secrets: Vec<String>,
    /// Its `secretFields`, for the prompts.
    fields: Vec<secrets::Field>,
    /// `from ./schema.json` or `auto-extracted from config.ts`.
    origin: String,
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
fn custom_schema(args: &HiArgs, id: &str) -> Result<Option<Schema>> {
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
            let found = tsconfig::extract(&args.use_case, id)?;
            (
                found.json,
                format!("auto-extracted from {}", found.file_name),
            )
        }
    };
    let value = miniserde::json::from_str::<Value>(&json).map_err(|_| {
        CliError::validation(format!("the schema of {id} ({origin}) is not valid JSON"))
    })?;
    let checked = crate::custom_schema::validate(&value, id).map_err(|problem| {
        CliError::validation(format!(
            "the schema of {id} ({origin}) would be refused by the platform: {problem}; fix it and run again"
        ))
    })?;
    Ok(Some(Schema {
        context: resolve::schema_context(&value),
        fields: secrets::schema_fields(&value),
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
    match miniserde::json::from_str::<Value>(&text) {
        Ok(Value::Object(_)) => Ok(jsontext::compact(&text)),
        _ => Err(CliError::validation(format!(
            "custom schema file {} is not a JSON object",
            path.display()
        ))),
    }
}

/// The platform's public key, from a file (nothing fetched) or a URL.
fn public_key(source: &PublicKeySource, client: &Client) -> Result<PublicKey> {
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

/// One envelope per field: `{"value": EncryptedData, "encrypted": true,
/// "description": KEY}`.
fn seal(key: &PublicKey, secrets: &Secrets) -> Result<Object> {
    let mut sealed = Object::new();
    for (name, value) in secrets.iter() {
        let mut field = Object::new();
        field.insert(
            "value".into(),
            Value::String(key.seal(name, value.expose().as_bytes())?),
        );
        field.insert("encrypted".into(), Value::Bool(true));
        field.insert("description".into(), Value::String(name.to_string()));
        sealed.insert(name.to_string(), Value::Object(field));
    }
    Ok(sealed)
}
