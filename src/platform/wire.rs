/*!
The wire contract (protocol §2) as types, in one place: what each endpoint
is sent, and what it answers, decoded into its own shape. A request is a
value the client serializes here (absent optional fields omitted, never
`null`); an answer is decoded from the `data` of a protocol body, and one
that lacks a field the endpoint always sends, or holds a field of the wrong
type, is [`Shape`] naming the field: the client makes it "unexpected answer
from the platform", never a default. Optional fields may be absent or
`null`. Each answer keeps the platform's text, which `--json` may print as
received.
*/

use miniserde::json::{Object, Value};

use crate::context::ContextType;
use crate::platform::identity::{Identity, ORG_KEY};
use codika_common::value::kind_of;

/// The paths of the two requests that change state, named in a dry run's plan.
pub const CREATE_PATH: &str = "/createintegrationpublic";
pub const DELETE_PATH: &str = "/deleteintegrationpublic";
pub const LIST_PATH: &str = "/listintegrationspublic";
pub const VERIFY_PATH: &str = "/verifyapikey";
pub const SCHEMA_PATH: &str = "/getcredentialschemapublic";
/// The deployment endpoints (docs/deployments.md).
pub const RERUN_PATH: &str = "/redeploydeploymentinstancepublic";
pub const ACTIVATE_PATH: &str = "/activateprocessinstancepublic";
pub const DEACTIVATE_PATH: &str = "/deactivateprocessinstancepublic";
pub const GET_INSTANCE_PATH: &str = "/getprocessinstancepublic";

/// What was wrong with an answer, as a phrase: `data.integrations[1].connected
/// is a string, not a boolean`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape(pub String);

/// Which integration a create or delete is about: the body fields they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationRef {
    pub organization_id: Option<String>,
    pub integration_id: String,
    pub context: ContextType,
    /// Sent only with the `process_instance` context.
    pub instance: Option<String>,
}

impl IntegrationRef {
    fn members(&self) -> Object {
        let mut body = Object::new();
        if let Some(org) = &self.organization_id {
            body.insert("organizationId".into(), Value::String(org.clone()));
        }
        body.insert(
            "integrationId".into(),
            Value::String(self.integration_id.clone()),
        );
        body.insert(
            "contextType".into(),
            Value::String(self.context.as_str().into()),
        );
        if let Some(instance) = &self.instance {
            body.insert("processInstanceId".into(), Value::String(instance.clone()));
        }
        body
    }
}

/// One encrypted field: `{"value": EncryptedData, "encrypted": true,
/// "description": KEY}` (protocol §4).
pub struct SealedField {
    pub key: String,
    /// `EncryptedData` as JSON text.
    pub envelope: String,
}

/// `POST /createintegrationpublic` (protocol §2.1).
pub struct CreateRequest {
    pub integration: IntegrationRef,
    pub secrets: Vec<SealedField>,
    /// `connectedAt`, as ISO 8601 UTC with milliseconds.
    pub connected_at: String,
    /// Each `--metadata KEY=VALUE`, added to (or overriding) the protocol's.
    pub metadata: Vec<(String, String)>,
    /// A `cstm_*` schema as JSON text, sent in its own key order.
    pub custom_schema: Option<String>,
}

impl CreateRequest {
    pub fn to_json(&self) -> String {
        let mut body = self.integration.members();
        let mut secrets = Object::new();
        for field in &self.secrets {
            let mut sealed = Object::new();
            sealed.insert("value".into(), Value::String(field.envelope.clone()));
            sealed.insert("encrypted".into(), Value::Bool(true));
            sealed.insert("description".into(), Value::String(field.key.clone()));
            secrets.insert(field.key.clone(), Value::Object(sealed));
        }
        body.insert("secrets".into(), Value::Object(secrets));
        let mut metadata = Object::new();
        metadata.insert(
            "connectedAt".into(),
            Value::String(self.connected_at.clone()),
        );
        metadata.insert("installedBy".into(), Value::String("cli".into()));
        metadata.insert("hasValidTokens".into(), Value::Bool(true));
        for (key, value) in &self.metadata {
            metadata.insert(key.clone(), Value::String(value.clone()));
        }
        body.insert("metadata".into(), Value::Object(metadata));
        let text = miniserde::json::to_string(&Value::Object(body));
        match &self.custom_schema {
            // Spliced in as text: JSON.stringify keeps the schema's key
            // order, miniserde's objects would sort it.
            Some(schema) => {
                codika_common::jsontext::with_member(&text, "customIntegrationSchema", schema)
            }
            None => text,
        }
    }
}

/// `POST /deleteintegrationpublic` (protocol §2.2).
pub struct DeleteRequest {
    pub integration: IntegrationRef,
    /// `false`: nothing is deleted; the answer lists what would be deactivated.
    pub confirm: bool,
}

impl DeleteRequest {
    pub fn to_json(&self) -> String {
        let mut body = self.integration.members();
        body.insert("confirmDeletion".into(), Value::Bool(self.confirm));
        miniserde::json::to_string(&Value::Object(body))
    }
}

/// `POST /listintegrationspublic` (protocol §2.3).
#[derive(Default)]
pub struct ListRequest {
    pub organization_id: Option<String>,
    pub instance: Option<String>,
}

impl ListRequest {
    pub fn to_json(&self) -> String {
        let mut body = Object::new();
        if let Some(org) = &self.organization_id {
            body.insert("organizationId".into(), Value::String(org.clone()));
        }
        if let Some(instance) = &self.instance {
            body.insert("processInstanceId".into(), Value::String(instance.clone()));
        }
        miniserde::json::to_string(&Value::Object(body))
    }
}

/// `GET /getcredentialschemapublic?type=...` (protocol §2.4): the path.
pub fn schema_path(credential_type: &str) -> String {
    format!("{SCHEMA_PATH}?type={}", encode_query(credential_type))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A create's or delete's `data`, when it names the integration, its context
/// or its instance (the protocol's answers need not), must name the one of
/// the request: an answer about another is not this request's.
pub fn same_target(data: &Value, target: &IntegrationRef) -> Result<(), Shape> {
    let data = Fields::of(data, "data")?;
    let asked = [
        ("integrationId", Some(target.integration_id.as_str())),
        ("contextType", Some(target.context.as_str())),
        ("processInstanceId", target.instance.as_deref()),
    ];
    for (key, asked) in asked {
        match (data.optional_string(key)?, asked) {
            (Some(named), Some(asked)) if named != asked => {
                return Err(Shape(format!(
                    "{} is {}, not {}",
                    data.path(key),
                    quoted(&named),
                    quoted(asked)
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A create answered: made (201) or updated (200).
#[derive(Debug)]
pub struct Created {
    pub created: bool,
    pub n8n_credential_id: Option<String>,
    pub text: String,
}

impl Created {
    pub fn decode(status: u16, data: &Value, text: String) -> Result<Created, Shape> {
        let data = Fields::of(data, "data")?;
        data.optional_string("message")?;
        // Protocol §1: 201 made, 200 updated; another 2xx says neither.
        if status != 200 && status != 201 {
            return Err(Shape(format!(
                "HTTP {status} to a create, which is neither 201 (created) nor 200 (updated)"
            )));
        }
        Ok(Created {
            created: status == 201,
            n8n_credential_id: data.optional_string("n8nCredentialId")?,
            text,
        })
    }
}

/// A confirmed delete answered.
#[derive(Debug)]
pub struct Deleted {
    pub deactivated_count: u64,
    pub text: String,
}

impl Deleted {
    pub fn decode(data: &Value, text: String) -> Result<Deleted, Shape> {
        let data = Fields::of(data, "data")?;
        data.optional_string("message")?;
        Ok(Deleted {
            deactivated_count: data.optional_count("deactivatedCount")?.unwrap_or(0),
            text,
        })
    }
}

/// An unconfirmed delete answered: what would be deactivated.
#[derive(Debug)]
pub struct Pending {
    pub count: u64,
    pub processes: Vec<Dependent>,
    pub text: String,
}

/// A process instance that a delete would deactivate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    pub process_instance_id: String,
    pub title: String,
}

impl Pending {
    pub fn decode(data: &Value, text: String) -> Result<Pending, Shape> {
        let data = Fields::of(data, "data")?;
        let pending = data.object("pendingDeactivations")?;
        let processes = pending
            .array("processes")?
            .iter()
            .map(|item| {
                Ok(Dependent {
                    process_instance_id: item.string("processInstanceId")?,
                    title: item.optional_string("title")?.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, Shape>>()?;
        let listed = processes.len() as u64;
        let count = pending.optional_count("count")?.unwrap_or(listed);
        // What the user is told would be deactivated must be one thing.
        if count != listed {
            return Err(Shape(format!(
                "data.pendingDeactivations.count is {count}, but its processes list {listed}"
            )));
        }
        Ok(Pending {
            count,
            processes,
            text,
        })
    }
}

/// A list answered: every item, connected or not, in the platform's order.
#[derive(Debug)]
pub struct Listing {
    pub integrations: Vec<Listed>,
    /// Each item's JSON text, in the same order (its key order kept).
    pub raw_items: Vec<String>,
    /// The answer's `requestId` as JSON text, when it has one.
    pub request_id: Option<String>,
}

/// One item of a list answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub integration_id: String,
    /// One of the three context types (another is not an answer).
    pub context: String,
    pub connected: bool,
    /// An RFC 3339 timestamp, checked (see [`Listed::connected_date`]).
    pub connected_at: Option<String>,
    /// The platform's `connectedBy` (the key's name on the emulator).
    pub connected_by: Option<String>,
    pub instance: Option<String>,
}

impl Listed {
    /// When it was connected, in Unix milliseconds.
    pub fn connected_millis(&self) -> Option<i64> {
        self.connected_at
            .as_deref()
            .and_then(codika_common::clock::timestamp_millis)
    }

    /// The UTC date it was connected (`2026-11-26`), its offset applied.
    pub fn connected_date(&self) -> Option<String> {
        self.connected_millis().map(codika_common::clock::utc_date)
    }
}

impl Listing {
    /// A list answer to a request that named `instance` (or none).
    pub fn decode(data: &Value, text: &str, instance: Option<&str>) -> Result<Listing, Shape> {
        let data = Fields::of(data, "data")?;
        let integrations = data
            .array("integrations")?
            .iter()
            .map(|item| {
                Ok(Listed {
                    integration_id: item.string("integrationId")?,
                    context: item.context("contextType")?,
                    connected: item.bool("connected")?,
                    connected_at: item.optional_timestamp("connectedAt")?,
                    connected_by: item.optional_string("connectedBy")?,
                    instance: item.optional_string("processInstanceId")?,
                })
            })
            .collect::<Result<Vec<_>, Shape>>()?;
        use codika_common::jsontext::{elements, member};
        let raw_items: Vec<String> = member(text, "data")
            .and_then(|data| member(data, "integrations"))
            .map(elements)
            .unwrap_or_default()
            .into_iter()
            .map(String::from)
            .collect();
        if raw_items.len() != integrations.len() {
            return Err(Shape("data.integrations could not be read as text".into()));
        }
        // Only the instance asked about has its integrations listed.
        for (i, item) in integrations.iter().enumerate() {
            let other = match (&item.instance, instance) {
                _ if item.context != ContextType::ProcessInstance.as_str() => None,
                (_, None) => Some("no instance was asked about".to_string()),
                (Some(named), Some(asked)) if named != asked => Some(format!(
                    "its processInstanceId is {}, not the instance asked about",
                    quoted(named)
                )),
                _ => None,
            };
            if let Some(other) = other {
                return Err(Shape(format!(
                    "data.integrations[{i}] is a process instance's integration, and {other}"
                )));
            }
        }
        Ok(Listing {
            integrations,
            raw_items,
            request_id: member(text, "requestId").map(String::from),
        })
    }
}

/// A credential schema answered (n8n's JSON schema): its properties in
/// n8n's order, and its conditional rules.
#[derive(Debug)]
pub struct CredentialSchema {
    pub properties: Vec<Property>,
    /// `if F = V then require: A, B`, one per `allOf` entry that says so.
    pub rules: Vec<String>,
    /// `data` as the platform wrote it.
    pub text: String,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    /// Its `type`.
    pub kind: String,
    /// Its `enum` values as text: strings bare, others as JSON.
    pub choices: Vec<String>,
    pub required: bool,
}

impl CredentialSchema {
    /// The shape n8n gives every credential schema (protocol §2.4): `type`
    /// `"object"`, `properties` an object of typed properties, `required` an
    /// array of strings; `additionalProperties` a boolean and `allOf` an
    /// array when present. Anything else is not a schema.
    pub fn decode(data: &Value, text: &str) -> Result<CredentialSchema, Shape> {
        let fields = Fields::of(data, "data")?;
        let kind = fields.string("type")?;
        if kind != "object" {
            return Err(Shape(format!(
                "data.type is {}, not \"object\"",
                quoted(&kind)
            )));
        }
        let required = fields
            .strings("required")?
            .ok_or_else(|| fields.missing("required"))?;
        match fields.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(other) => return Err(fields.wrong("additionalProperties", other, "a boolean")),
        }
        fields.optional_array("allOf")?;
        // The raw text keeps n8n's key order, which miniserde's values do not.
        use codika_common::jsontext::{member, members};
        let text = member(text, "data").unwrap_or("{}").to_string();
        let declared = fields.object("properties")?;
        let mut properties = Vec::new();
        for (name, _) in member(&text, "properties").map(members).unwrap_or_default() {
            let property = declared.object(&name)?;
            properties.push(Property {
                kind: property.string("type")?,
                choices: property
                    .optional_array("enum")?
                    .map(|values| values.iter().map(scalar).collect())
                    .unwrap_or_default(),
                required: required.contains(&name),
                name,
            });
        }
        Ok(CredentialSchema {
            properties,
            rules: rules(data),
            text,
        })
    }
}

/// `if F = V then require: A, B` for each `allOf` entry with an `if` on one
/// property and `then` requirements. Best effort: a rule of another form
/// is left out, as n8n's own display does.
fn rules(schema: &Value) -> Vec<String> {
    use codika_common::value::{as_str, field};
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

/// A string of the answer in an error: quoted, escaped, and cut short.
fn quoted(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("\"{}\"…", text[..cut].escape_debug()),
        None => format!("\"{}\"", text.escape_debug()),
    }
}

/// An enum value as text: strings bare, others as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => miniserde::json::to_string(other),
    }
}

/// What the platform says about a key (verifyapikey's `data`): an
/// organization key unless it says otherwise.
pub fn decode_identity(data: &Value) -> Result<Identity, Shape> {
    let data = Fields::of(data, "data")?;
    let text = |key: &str| -> Result<Option<String>, Shape> {
        Ok(data.optional_string(key)?.filter(|s| !s.is_empty()))
    };
    let scopes = match data.optional_array("scopes")? {
        None => None,
        Some(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, scope)| match scope {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(data.wrong(&format!("scopes[{i}]"), other, "a string")),
                })
                .collect::<Result<Vec<_>, Shape>>()?,
        ),
    };
    Ok(Identity {
        kind: Some(text("type")?.unwrap_or_else(|| ORG_KEY.to_string())),
        organization_id: text("organizationId")?,
        organization_name: text("organizationName")?,
        key_name: text("keyName")?,
        key_prefix: text("keyPrefix")?,
        scopes,
        created_at: data.optional_timestamp("createdAt")?,
        expires_at: data.optional_timestamp("expiresAt")?,
    })
}

/// `POST /redeploydeploymentinstancepublic` (docs/deployments.md).
pub struct RerunRequest {
    pub instance: String,
    /// `None`: the deployment keeps its parameters.
    pub parameters: Option<Object>,
    pub force: bool,
}

impl RerunRequest {
    pub fn to_json(&self) -> String {
        let mut body = Object::new();
        body.insert(
            "processInstanceId".into(),
            Value::String(self.instance.clone()),
        );
        if let Some(parameters) = &self.parameters {
            body.insert(
                "deploymentParameters".into(),
                Value::Object(parameters.clone()),
            );
        }
        if self.force {
            body.insert("forceRedeploy".into(), Value::Bool(true));
        }
        miniserde::json::to_string(&Value::Object(body))
    }
}

/// The body of the requests about one process instance: activate,
/// deactivate, read its deployment.
pub fn instance_request(instance: &str) -> String {
    let mut body = Object::new();
    body.insert("processInstanceId".into(), Value::String(instance.into()));
    miniserde::json::to_string(&Value::Object(body))
}

/// The status the platform gives a deployment that runs.
pub const DEPLOYED: &str = "deployed";

/// A rerun answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Rerun {
    /// `deployed`, `failed` (or a status this CLI does not know).
    pub status: String,
    pub deployment_instance_id: String,
    pub workflow_ids: Vec<String>,
    /// The integrations the platform found not connected (when it says).
    pub missing_integrations: Vec<String>,
}

impl Rerun {
    pub fn deployed(&self) -> bool {
        self.status == DEPLOYED
    }

    pub fn decode(data: &Value) -> Result<Rerun, Shape> {
        let data = Fields::of(data, "data")?;
        let status = data.text("deploymentStatus")?;
        let rerun = Rerun {
            status,
            deployment_instance_id: data.text("deploymentInstanceId")?,
            workflow_ids: data
                .strings("n8nWorkflowIds")?
                .ok_or_else(|| data.missing("n8nWorkflowIds"))?,
            missing_integrations: data.strings("missingIntegrations")?.unwrap_or_default(),
        };
        // docs/deployments.md: nothing is missing from a deployment that runs.
        if rerun.deployed() && !rerun.missing_integrations.is_empty() {
            return Err(Shape(
                "data.deploymentStatus is \"deployed\" while data.missingIntegrations names integrations"
                    .into(),
            ));
        }
        Ok(rerun)
    }
}

/// An activate or deactivate answered.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceState {
    pub process_instance_id: String,
    pub is_active: bool,
    pub workflow_count: u64,
}

impl InstanceState {
    /// The answer to making `instance` active (or not, `active` false): it
    /// must be about that instance, in that state.
    pub fn decode(data: &Value, instance: &str, active: bool) -> Result<InstanceState, Shape> {
        let data = Fields::of(data, "data")?;
        let state = InstanceState {
            process_instance_id: data.same_instance(instance)?,
            is_active: data.bool("isActive")?,
            workflow_count: data
                .optional_count("workflowCount")?
                .ok_or_else(|| data.missing("workflowCount"))?,
        };
        if state.is_active != active {
            return Err(Shape(format!(
                "data.isActive is {} after a request to {}",
                state.is_active,
                if active { "activate" } else { "deactivate" }
            )));
        }
        Ok(state)
    }
}

/// `POST /getprocessinstancepublic` answered: the status of the instance's
/// deployment, `None` when it has none.
pub fn decode_deployment_status(data: &Value, instance: &str) -> Result<Option<String>, Shape> {
    let data = Fields::of(data, "data")?;
    data.same_instance(instance)?;
    match data.optional_object("deployment")? {
        None => Ok(None),
        Some(deployment) => deployment.text("deploymentStatus").map(Some),
    }
}

/// The members of an answer's object, read with the path they are at, so
/// that a wrong one is named (`data.integrations[2].contextType`).
struct Fields<'a> {
    at: String,
    object: &'a Object,
}

impl<'a> Fields<'a> {
    fn of(value: &'a Value, at: &str) -> Result<Fields<'a>, Shape> {
        match value {
            Value::Object(object) => Ok(Fields {
                at: at.to_string(),
                object,
            }),
            other => Err(Shape(format!("{at} is {}, not an object", kind_of(other)))),
        }
    }

    fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.at)
    }

    fn wrong(&self, key: &str, value: &Value, wanted: &str) -> Shape {
        Shape(format!(
            "{} is {}, not {wanted}",
            self.path(key),
            kind_of(value)
        ))
    }

    /// The member at `key`; absent and `null` are `None`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|v| !matches!(v, Value::Null))
    }

    fn missing(&self, key: &str) -> Shape {
        Shape(format!("{} is missing", self.path(key)))
    }

    fn string(&self, key: &str) -> Result<String, Shape> {
        self.optional_string(key)?.ok_or_else(|| self.missing(key))
    }

    /// A string that is not empty.
    fn text(&self, key: &str) -> Result<String, Shape> {
        let text = self.string(key)?;
        if text.is_empty() {
            return Err(Shape(format!("{} is empty", self.path(key))));
        }
        Ok(text)
    }

    /// `processInstanceId`, which must name `instance`: an answer about
    /// another one is not this request's.
    fn same_instance(&self, instance: &str) -> Result<String, Shape> {
        let named = self.string("processInstanceId")?;
        if named != instance {
            return Err(Shape(format!(
                "{} is {}, not the instance asked about",
                self.path("processInstanceId"),
                quoted(&named)
            )));
        }
        Ok(named)
    }

    /// One of the context types.
    fn context(&self, key: &str) -> Result<String, Shape> {
        let name = self.string(key)?;
        if ContextType::from_name(&name).is_none() {
            return Err(Shape(format!(
                "{} is {}, not organization, member or process_instance",
                self.path(key),
                quoted(&name)
            )));
        }
        Ok(name)
    }

    /// An RFC 3339 timestamp (`2026-11-26T06:00:00.000Z`), a real instant;
    /// absent or `null` is `None`.
    fn optional_timestamp(&self, key: &str) -> Result<Option<String>, Shape> {
        // Empty is unknown, as the platform leaves a date it does not have.
        let Some(text) = self.optional_string(key)?.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        match codika_common::clock::timestamp_millis(&text) {
            Some(_) => Ok(Some(text)),
            None => Err(Shape(format!(
                "{} is {}, not an ISO 8601 timestamp",
                self.path(key),
                quoted(&text)
            ))),
        }
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>, Shape> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.wrong(key, other, "a string")),
        }
    }

    /// An array of strings; `None` when absent.
    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, Shape> {
        let Some(items) = self.optional_array(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(self.wrong(&format!("{key}[{i}]"), other, "a string")),
            })
            .collect::<Result<Vec<_>, Shape>>()
            .map(Some)
    }

    fn bool(&self, key: &str) -> Result<bool, Shape> {
        match self.get(key) {
            None => Err(self.missing(key)),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.wrong(key, other, "a boolean")),
        }
    }

    /// A whole number of zero or more.
    fn optional_count(&self, key: &str) -> Result<Option<u64>, Shape> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.to_string().parse::<u64>() {
                Ok(count) => Ok(Some(count)),
                Err(_) => Err(Shape(format!("{} is {n}, not a count", self.path(key)))),
            },
            Some(other) => Err(self.wrong(key, other, "a number")),
        }
    }

    fn object(&self, key: &str) -> Result<Fields<'a>, Shape> {
        match self.get(key) {
            None => Err(self.missing(key)),
            Some(value) => Fields::of(value, &self.path(key)),
        }
    }

    fn optional_object(&self, key: &str) -> Result<Option<Fields<'a>>, Shape> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => Fields::of(value, &self.path(key)).map(Some),
        }
    }

    fn optional_array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, Shape> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong(key, other, "an array")),
        }
    }

    /// An array of objects, each read with its index in the path.
    fn array(&self, key: &str) -> Result<Vec<Fields<'a>>, Shape> {
        let items = self.optional_array(key)?.ok_or_else(|| self.missing(key))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Fields::of(item, &format!("{}[{i}]", self.path(key))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        miniserde::json::from_str(text).unwrap()
    }

    #[test]
    fn a_list_without_integrations_is_named() {
        let error = Listing::decode(&Value::Null, "", None).unwrap_err();
        assert_eq!(error.0, "data is null, not an object");
        let error = Listing::decode(&json("{}"), "", None).unwrap_err();
        assert_eq!(error.0, "data.integrations is missing");
        let text = r#"{"success":true,"data":{"integrations":[{"integrationId":"a","contextType":"member","connected":"yes"}]}}"#;
        let data = json(
            r#"{"integrations":[{"integrationId":"a","contextType":"member","connected":"yes"}]}"#,
        );
        let error = Listing::decode(&data, text, None).unwrap_err();
        assert_eq!(
            error.0,
            "data.integrations[0].connected is a string, not a boolean"
        );
    }

    #[test]
    fn a_list_keeps_items_and_their_text() {
        let text = r#"{"success":true,"data":{"integrations":[{"contextType":"organization","integrationId":"openai","connected":true,"connectedAt":null}]},"requestId":"r1"}"#;
        let data = json(
            r#"{"integrations":[{"contextType":"organization","integrationId":"openai","connected":true,"connectedAt":null}]}"#,
        );
        let listing = Listing::decode(&data, text, None).unwrap();
        assert_eq!(listing.integrations[0].integration_id, "openai");
        assert_eq!(listing.integrations[0].connected_at, None);
        assert!(listing.raw_items[0].starts_with(r#"{"contextType""#));
        assert_eq!(listing.request_id.as_deref(), Some("\"r1\""));
    }

    #[test]
    fn answers_of_the_wrong_shape_are_refused() {
        assert!(Created::decode(201, &Value::Null, String::new()).is_err());
        assert_eq!(
            Deleted::decode(&json(r#"{"deactivatedCount":-1}"#), String::new())
                .unwrap_err()
                .0,
            "data.deactivatedCount is -1, not a count"
        );
        assert_eq!(
            Pending::decode(&json(r#"{"message":"x"}"#), String::new())
                .unwrap_err()
                .0,
            "data.pendingDeactivations is missing"
        );
        assert_eq!(
            Pending::decode(
                &json(r#"{"pendingDeactivations":{"count":2,"processes":[]}}"#),
                String::new()
            )
            .unwrap_err()
            .0,
            "data.pendingDeactivations.count is 2, but its processes list 0"
        );
        assert_eq!(
            Created::decode(202, &json("{}"), String::new())
                .unwrap_err()
                .0,
            "HTTP 202 to a create, which is neither 201 (created) nor 200 (updated)"
        );
        assert_eq!(
            decode_identity(&json(r#"{"expiresAt":"not-a-date"}"#))
                .err()
                .unwrap()
                .0,
            "data.expiresAt is \"not-a-date\", not an ISO 8601 timestamp"
        );
        assert!(decode_identity(&Value::Null).is_err());
        assert_eq!(
            decode_identity(&json(r#"{"scopes":["a",1]}"#))
                .err()
                .unwrap()
                .0,
            "data.scopes[1] is a number, not a string"
        );
        let identity = decode_identity(&json(r#"{"expiresAt":null}"#)).unwrap();
        assert_eq!(identity.kind.as_deref(), Some(ORG_KEY));
        assert_eq!(identity.expires_at, None);
    }

    #[test]
    fn deployment_answers_decode_or_name_what_is_wrong() {
        let rerun = Rerun::decode(&json(
            r#"{"deploymentStatus":"failed","deploymentInstanceId":"di_1","n8nWorkflowIds":[],"missingIntegrations":["openai"]}"#,
        ))
        .unwrap();
        assert!(!rerun.deployed());
        assert_eq!(rerun.missing_integrations, ["openai"]);
        for (text, what) in [
            ("[]", "data is an array, not an object"),
            (
                r#"{"deploymentStatus":1,"deploymentInstanceId":"d","n8nWorkflowIds":[]}"#,
                "data.deploymentStatus is a number, not a string",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"d"}"#,
                "data.n8nWorkflowIds is missing",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"d","n8nWorkflowIds":[1]}"#,
                "data.n8nWorkflowIds[0] is a number, not a string",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"","n8nWorkflowIds":[]}"#,
                "data.deploymentInstanceId is empty",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"d","n8nWorkflowIds":[],"missingIntegrations":["openai"]}"#,
                "data.deploymentStatus is \"deployed\" while data.missingIntegrations names integrations",
            ),
        ] {
            assert_eq!(Rerun::decode(&json(text)).unwrap_err().0, what);
        }
        let state = InstanceState::decode(
            &json(r#"{"processInstanceId":"pi","isActive":true,"workflowCount":2}"#),
            "pi",
            true,
        )
        .unwrap();
        assert_eq!(state.workflow_count, 2);
        for (text, what) in [
            (
                r#"{"processInstanceId":"pi","isActive":"yes","workflowCount":2}"#,
                "data.isActive is a string, not a boolean",
            ),
            (
                r#"{"processInstanceId":"pi","isActive":true,"workflowCount":-1}"#,
                "data.workflowCount is -1, not a count",
            ),
            (
                r#"{"processInstanceId":"pi","isActive":false,"workflowCount":2}"#,
                "data.isActive is false after a request to activate",
            ),
            (
                r#"{"processInstanceId":"pi_other","isActive":true,"workflowCount":2}"#,
                "data.processInstanceId is \"pi_other\", not the instance asked about",
            ),
        ] {
            assert_eq!(
                InstanceState::decode(&json(text), "pi", true)
                    .unwrap_err()
                    .0,
                what
            );
        }
        assert_eq!(
            decode_deployment_status(
                &json(r#"{"processInstanceId":"pi","deployment":null}"#),
                "pi"
            )
            .unwrap(),
            None
        );
        assert_eq!(
            decode_deployment_status(
                &json(r#"{"processInstanceId":"pi","deployment":{"deploymentStatus":"failed"}}"#),
                "pi"
            )
            .unwrap()
            .as_deref(),
            Some("failed")
        );
        assert!(
            decode_deployment_status(
                &json(r#"{"processInstanceId":"px","deployment":null}"#),
                "pi"
            )
            .is_err()
        );
    }

    #[test]
    fn requests_omit_what_is_absent() {
        let integration = IntegrationRef {
            organization_id: None,
            integration_id: "openai".into(),
            context: ContextType::Organization,
            instance: None,
        };
        let delete = DeleteRequest {
            integration,
            confirm: false,
        };
        assert_eq!(
            delete.to_json(),
            r#"{"confirmDeletion":false,"contextType":"organization","integrationId":"openai"}"#
        );
        assert_eq!(ListRequest::default().to_json(), "{}");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query("a b&c/é"), "a%20b%26c%2F%C3%A9");
        assert_eq!(schema_path("x y"), "/getcredentialschemapublic?type=x%20y");
    }
}
