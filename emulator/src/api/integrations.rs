/*!
Create (upsert), two-phase delete and list of integrations (protocol §2.1–2.3).
*/

use miniserde::json::{Object, Value};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use super::{Answer, ApiError, Caller, Platform, Reply, body};
use crate::custom_schema;
use crate::http::Request;
use crate::json::{array, as_object, as_str, insert_some, number, object, string};
use crate::keys::OpenError;
use crate::registry;
use crate::state::{Context, Integration, SCOPE_MANAGE, State};

impl Platform {
    /// The caller (with the `integrations:manage` scope) and the body object.
    fn manage_request(&self, request: &Request) -> Result<(Caller, Object), ApiError> {
        let caller = self
            .store
            .read(|state| self.authenticate(request, state, Some(SCOPE_MANAGE)))?;
        let body = body::parse(&request.body)?;
        if let Some(organization_id) = body::optional_str(&body, "organizationId")?
            && organization_id != caller.key.organization_id
        {
            return Err(ApiError::new(
                403,
                "ORGANIZATION_MISMATCH",
                format!("organizationId '{organization_id}' is not the API key's organization"),
            ));
        }
        Ok((caller, body))
    }

    pub(super) fn create(&self, request: &Request) -> Answer {
        self.stats.changes.fetch_add(1, Ordering::Relaxed);
        let (caller, body) = self.manage_request(request)?;
        let integration_id = body::integration_id(&body)?;
        let context = self.store.read(|state| context(&body, &caller, state))?;
        let builtin = registry::find(integration_id);
        if builtin.is_some_and(|i| i.is_oauth()) {
            return Err(ApiError::new(
                400,
                "OAUTH_REQUIRED",
                format!("{integration_id} uses OAuth; connect it from the dashboard"),
            ));
        }
        let fields = encrypted_fields(&body)?;
        let metadata = body::optional_object(&body, "metadata")?;

        let schema = body.get("customIntegrationSchema");
        let (required, makes_credential) = if integration_id.starts_with("cstm_") {
            let schema = schema.ok_or_else(|| {
                ApiError::new(
                    400,
                    "INVALID_CUSTOM_SCHEMA",
                    "customIntegrationSchema is required for cstm_* integrations",
                )
            })?;
            let checked = custom_schema::validate(schema, integration_id)
                .map_err(|message| ApiError::new(400, "INVALID_CUSTOM_SCHEMA", message))?;
            (checked.required_secret_keys, checked.makes_credential)
        } else if schema.is_some() {
            return Err(ApiError::invalid(
                "customIntegrationSchema is only accepted for cstm_* integrations",
            ));
        } else {
            let required = builtin.map(|i| i.required_fields().map(|f| f.key.clone()).collect());
            (required.unwrap_or_default(), true)
        };
        let missing: Vec<&str> = required
            .iter()
            .map(String::as_str)
            .filter(|key| !fields.iter().any(|(k, _)| k == key))
            .collect();
        if !missing.is_empty() {
            return Err(ApiError::new(
                400,
                "MISSING_REQUIRED_FIELDS",
                format!(
                    "{integration_id} requires secret field(s): {}",
                    missing.join(", ")
                ),
            ));
        }

        let mut secrets = BTreeMap::new();
        for (key, value) in &fields {
            let plaintext = self.key.open(key, value).map_err(|e| match e {
                OpenError::Stale => ApiError::new(
                    400,
                    "STALE_PUBLIC_KEY",
                    format!(
                        "secret {key} was sealed to another public key; the current key id is {}: fetch the public key again",
                        self.key.kid()
                    ),
                ),
                OpenError::Failed(reason) => ApiError::new(
                    400,
                    "DECRYPTION_FAILED",
                    format!("secret {key} could not be decrypted: {reason}"),
                ),
            })?;
            secrets.insert(key.to_string(), plaintext);
        }

        let metadata = metadata.cloned().unwrap_or_default();
        // Listed back as sent, so it must be a date a client can read.
        let connected_at = match metadata.get("connectedAt") {
            None => crate::clock::now_iso(),
            Some(Value::String(at)) if crate::clock::timestamp_millis(at).is_some() => at.clone(),
            Some(_) => {
                return Err(ApiError::invalid(
                    "metadata.connectedAt must be an ISO 8601 timestamp (2026-11-26T06:00:00.000Z)",
                ));
            }
        };
        // `--metadata hasValidTokens=false` arrives as a string.
        let has_valid_tokens = match metadata.get("hasValidTokens") {
            Some(Value::Bool(valid)) => *valid,
            Some(other) => as_str(other) != Some("false"),
            None => true,
        };
        let mut stored = Integration {
            organization_id: caller.key.organization_id.clone(),
            integration_id: integration_id.to_string(),
            context_type: context.type_name().to_string(),
            member_id: None,
            process_instance_id: None,
            secrets,
            algorithm: self.key.algorithm().to_string(),
            metadata: Value::Object(metadata),
            custom_integration_schema: schema.cloned(),
            n8n_credential_id: None,
            connected_by: caller.key.key_name.clone(),
            connected_at,
            has_valid_tokens,
        };
        match &context {
            Context::Organization => {}
            Context::Member(member) => stored.member_id = Some(member.clone()),
            Context::ProcessInstance(instance) => {
                stored.process_instance_id = Some(instance.clone())
            }
        }
        let (created, credential_id) = self.store.write(|state| {
            let existing = state
                .integrations
                .iter()
                .position(|i| i.is(&stored.organization_id, integration_id, &context));
            let previous_id =
                existing.and_then(|at| state.integrations[at].n8n_credential_id.clone());
            stored.n8n_credential_id = match (makes_credential, previous_id) {
                (false, _) => None,
                (true, Some(id)) => Some(id),
                (true, None) => {
                    state.next_credential_number += 1;
                    Some(format!("n8n_cred_{:06}", state.next_credential_number - 1))
                }
            };
            let credential_id = stored.n8n_credential_id.clone();
            match existing {
                Some(at) => state.integrations[at] = stored,
                None => state.integrations.push(stored),
            }
            Ok::<_, ApiError>((existing.is_none(), credential_id))
        })?;
        let verb = if created { "created" } else { "updated" };
        let mut data = Object::new();
        data.insert(
            "message".into(),
            string(format!("Integration {integration_id} {verb} successfully")),
        );
        insert_some(&mut data, "n8nCredentialId", credential_id.map(string));
        Ok(Reply::Success(
            if created { 201 } else { 200 },
            Value::Object(data),
        ))
    }

    pub(super) fn delete(&self, request: &Request) -> Answer {
        let (caller, body) = self.manage_request(request)?;
        let integration_id = body::integration_id(&body)?;
        let context = self.store.read(|state| context(&body, &caller, state))?;
        let confirmed = body::optional_bool(&body, "confirmDeletion")?.unwrap_or(false);
        if confirmed {
            self.stats.changes.fetch_add(1, Ordering::Relaxed);
        }
        let organization_id = caller.key.organization_id.as_str();
        if !confirmed {
            let processes = self.store.read(|state| {
                let dependents = state.dependents(organization_id, integration_id, &context);
                dependents
                    .iter()
                    .map(|p| {
                        object([
                            ("processInstanceId", string(p.process_instance_id.clone())),
                            ("title", string(p.title.clone())),
                        ])
                    })
                    .collect::<Vec<_>>()
            });
            let count = processes.len();
            let message = format!(
                "Deleting {integration_id} will deactivate {count} active process instance(s). Send confirmDeletion: true to delete."
            );
            return Ok(Reply::Pending(object([
                ("message", string(message)),
                (
                    "pendingDeactivations",
                    object([
                        ("count", number(count as u64)),
                        ("processes", array(processes)),
                    ]),
                ),
            ])));
        }
        let deactivated = self.store.write(|state| {
            let Some(at) = state
                .integrations
                .iter()
                .position(|i| i.is(organization_id, integration_id, &context))
            else {
                return Ok::<_, ApiError>(None);
            };
            state.integrations.remove(at);
            let dependents: Vec<String> = state
                .dependents(organization_id, integration_id, &context)
                .iter()
                .map(|p| p.process_instance_id.clone())
                .collect();
            for instance in state.process_instances.iter_mut() {
                if dependents.contains(&instance.process_instance_id) {
                    instance.active = false;
                }
            }
            Ok(Some(dependents.len()))
        })?;
        let message = match deactivated {
            Some(count) => format!(
                "Integration {integration_id} deleted; {count} process instance(s) deactivated"
            ),
            None => format!("Integration {integration_id} was already deleted or does not exist"),
        };
        Ok(Reply::Success(
            200,
            object([
                ("message", string(message)),
                ("deactivatedCount", number(deactivated.unwrap_or(0) as u64)),
            ]),
        ))
    }

    pub(super) fn list(&self, request: &Request) -> Answer {
        let (caller, body) = self.manage_request(request)?;
        let instance = body::optional_str(&body, "processInstanceId")?.filter(|s| !s.is_empty());
        let key = &caller.key;
        self.store.read(|state| {
            if let Some(instance) = instance {
                state
                    .instance_of(&key.organization_id, instance)
                    .ok_or_else(ApiError::not_found_instance)?;
            }
            let visible = |i: &&Integration| {
                i.organization_id == key.organization_id
                    && match i.context() {
                        Context::Organization => true,
                        Context::Member(member) => member == key.member_id,
                        Context::ProcessInstance(id) => Some(id.as_str()) == instance,
                    }
            };
            // Organization first, then the member's, then the instance's.
            let mut shown: Vec<&Integration> = state.integrations.iter().filter(visible).collect();
            shown.sort_by_key(|i| match i.context() {
                Context::Organization => 0,
                Context::Member(_) => 1,
                Context::ProcessInstance(_) => 2,
            });
            let items = shown.into_iter().map(listed).collect::<Vec<_>>();
            Ok(Reply::Success(
                200,
                object([("integrations", array(items))]),
            ))
        })
    }
}

/// The context a create or delete body names. A `processInstanceId` sent with
/// another context type is ignored: clients send the one from project.json
/// whatever the context.
fn context(body: &Object, caller: &Caller, state: &State) -> Result<Context, ApiError> {
    let instance = body::optional_str(body, "processInstanceId")?.filter(|s| !s.is_empty());
    match body::required_str(body, "contextType")? {
        "organization" => Ok(Context::Organization),
        "member" => Ok(Context::Member(caller.key.member_id.clone())),
        "process_instance" => {
            let instance = instance.ok_or_else(|| {
                ApiError::invalid(
                    "processInstanceId is required when contextType is process_instance",
                )
            })?;
            state
                .instance_of(&caller.key.organization_id, instance)
                .ok_or_else(ApiError::not_found_instance)?;
            Ok(Context::ProcessInstance(instance.to_string()))
        }
        _ => Err(ApiError::invalid(
            "contextType must be organization, member or process_instance",
        )),
    }
}

/// The `secrets` object: each field `{"value": string, "encrypted": true,
/// "description"?: string}`. Returns (KEY, value) pairs.
fn encrypted_fields(body: &Object) -> Result<Vec<(&str, &str)>, ApiError> {
    let secrets = body::optional_object(body, "secrets")?
        .ok_or_else(|| ApiError::invalid("secrets is required"))?;
    if secrets.is_empty() {
        return Err(ApiError::invalid("secrets must hold at least one field"));
    }
    let mut fields = Vec::new();
    for (key, field) in secrets.iter() {
        let bad = || {
            ApiError::invalid(format!(
                "secrets.{key} must be {{\"value\": string, \"encrypted\": true, \"description\": string}}"
            ))
        };
        let field = as_object(field).ok_or_else(bad)?;
        let value = field.get("value").and_then(as_str).ok_or_else(bad)?;
        let encrypted = matches!(field.get("encrypted"), Some(Value::Bool(true)));
        let description_ok = field.get("description").is_none_or(|d| as_str(d).is_some());
        let known_keys = field
            .keys()
            .all(|k| ["value", "encrypted", "description"].contains(&k.as_str()));
        if key.is_empty() || !encrypted || !description_ok || !known_keys {
            return Err(bad());
        }
        fields.push((key.as_str(), value));
    }
    Ok(fields)
}

/// An integration as the list endpoint shows it.
fn listed(integration: &Integration) -> Value {
    let mut item = Object::new();
    item.insert(
        "integrationId".into(),
        string(integration.integration_id.clone()),
    );
    item.insert(
        "contextType".into(),
        string(integration.context_type.clone()),
    );
    item.insert("connected".into(), Value::Bool(true));
    item.insert(
        "connectedAt".into(),
        string(integration.connected_at.clone()),
    );
    item.insert(
        "connectedBy".into(),
        string(integration.connected_by.clone()),
    );
    item.insert(
        "hasValidTokens".into(),
        Value::Bool(integration.has_valid_tokens),
    );
    insert_some(
        &mut item,
        "n8nCredentialId",
        integration.n8n_credential_id.clone().map(string),
    );
    insert_some(
        &mut item,
        "processInstanceId",
        integration.process_instance_id.clone().map(string),
    );
    insert_some(
        &mut item,
        "customSchema",
        integration.custom_integration_schema.clone(),
    );
    Value::Object(item)
}
