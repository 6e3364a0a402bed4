/*!
What the platform knows: API keys, organizations, process instances and the
integrations connected to them; and the default seed of protocol §5.

The same structs are the `--state` file's format (camelCase JSON).
*/

use miniserde::json::Value;
use miniserde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCOPE_MANAGE: &str = "integrations:manage";
/// Rerunning a deployment and (de)activating an instance (docs/deployments.md).
pub const SCOPE_DEPLOY: &str = "deploy:use-case";
/// Reading an instance and its deployment.
pub const SCOPE_INSTANCES_READ: &str = "instances:read";

#[derive(Serialize, Deserialize, Clone)]
pub struct State {
    #[serde(rename = "apiKeys")]
    pub api_keys: Vec<ApiKey>,
    pub organizations: Vec<Organization>,
    #[serde(rename = "processInstances")]
    pub process_instances: Vec<ProcessInstance>,
    pub integrations: Vec<Integration>,
    /// Source of `n8n_cred_...` ids; kept so that ids stay unique across restarts.
    #[serde(rename = "nextCredentialNumber")]
    pub next_credential_number: u64,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct ApiKey {
    pub key: String,
    #[serde(rename = "organizationId")]
    pub organization_id: String,
    #[serde(rename = "memberId")]
    pub member_id: String,
    #[serde(rename = "keyName")]
    pub key_name: String,
    pub scopes: Vec<String>,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "expiresAt")]
    pub expires_at: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct ProcessInstance {
    #[serde(rename = "processInstanceId")]
    pub process_instance_id: String,
    #[serde(rename = "organizationId")]
    pub organization_id: String,
    pub title: String,
    pub active: bool,
    /// The integrations its use case needs: a rerun deploys only when each
    /// is connected in its context.
    #[serde(rename = "integrationUids")]
    pub integration_uids: Vec<String>,
    /// Absent in a state file written before deployments were modelled:
    /// then [`ProcessInstance::deployment`] gives a deployed one.
    pub deployment: Option<Deployment>,
}

/// An instance's last deployment (docs/deployments.md).
#[derive(Serialize, Deserialize, Clone)]
pub struct Deployment {
    #[serde(rename = "deploymentInstanceId")]
    pub deployment_instance_id: String,
    /// `deployed` or `failed`.
    #[serde(rename = "deploymentStatus")]
    pub deployment_status: String,
    /// Its deployment parameters: a JSON object.
    pub parameters: Value,
    /// The n8n workflows of its use case.
    #[serde(rename = "workflowIds")]
    pub workflow_ids: Vec<String>,
}

pub const DEPLOYED: &str = "deployed";
pub const FAILED: &str = "failed";

impl ProcessInstance {
    pub fn deployment(&self) -> Deployment {
        self.deployment.clone().unwrap_or_else(|| Deployment {
            deployment_instance_id: format!(
                "di_{}",
                self.process_instance_id
                    .strip_prefix("pi_")
                    .unwrap_or(&self.process_instance_id)
            ),
            deployment_status: DEPLOYED.into(),
            parameters: Value::Object(Default::default()),
            workflow_ids: Vec::new(),
        })
    }
}

/// Where an integration is connected: together with the integration id, the
/// identity used for upsert and delete.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Context {
    Organization,
    Member(String),
    ProcessInstance(String),
}

impl Context {
    pub fn type_name(&self) -> &'static str {
        match self {
            Context::Organization => "organization",
            Context::Member(_) => "member",
            Context::ProcessInstance(_) => "process_instance",
        }
    }
}

#[derive(Serialize, Deserialize, Clone)]
pub struct Integration {
    #[serde(rename = "organizationId")]
    pub organization_id: String,
    #[serde(rename = "integrationId")]
    pub integration_id: String,
    #[serde(rename = "contextType")]
    pub context_type: String,
    #[serde(rename = "memberId")]
    pub member_id: Option<String>,
    #[serde(rename = "processInstanceId")]
    pub process_instance_id: Option<String>,
    /// Decrypted values: this is a test double, and tests check them.
    pub secrets: BTreeMap<String, String>,
    pub algorithm: String,
    pub metadata: Value,
    #[serde(rename = "customIntegrationSchema")]
    pub custom_integration_schema: Option<Value>,
    #[serde(rename = "n8nCredentialId")]
    pub n8n_credential_id: Option<String>,
    #[serde(rename = "connectedBy")]
    pub connected_by: String,
    #[serde(rename = "connectedAt")]
    pub connected_at: String,
    #[serde(rename = "hasValidTokens")]
    pub has_valid_tokens: bool,
}

impl Integration {
    pub fn context(&self) -> Context {
        match (
            self.context_type.as_str(),
            &self.member_id,
            &self.process_instance_id,
        ) {
            ("member", Some(member), _) => Context::Member(member.clone()),
            ("process_instance", _, Some(instance)) => Context::ProcessInstance(instance.clone()),
            _ => Context::Organization,
        }
    }

    pub fn is(&self, organization_id: &str, integration_id: &str, context: &Context) -> bool {
        self.organization_id == organization_id
            && self.integration_id == integration_id
            && &self.context() == context
    }
}

impl State {
    pub fn api_key(&self, key: &str) -> Option<&ApiKey> {
        self.api_keys.iter().find(|k| k.key == key)
    }

    pub fn organization_name(&self, organization_id: &str) -> String {
        self.organizations
            .iter()
            .find(|o| o.id == organization_id)
            .map_or(organization_id, |o| o.name.as_str())
            .to_string()
    }

    /// The instance, if it exists and belongs to `organization_id`.
    pub fn instance_of(
        &self,
        organization_id: &str,
        instance_id: &str,
    ) -> Option<&ProcessInstance> {
        self.process_instances
            .iter()
            .find(|p| p.process_instance_id == instance_id && p.organization_id == organization_id)
    }

    /// The active instances a delete of this integration would deactivate
    /// (protocol §5).
    pub fn dependents(
        &self,
        organization_id: &str,
        integration_id: &str,
        context: &Context,
    ) -> Vec<&ProcessInstance> {
        self.process_instances
            .iter()
            .filter(|p| p.active && p.organization_id == organization_id)
            .filter(|p| match context {
                Context::ProcessInstance(instance) => &p.process_instance_id == instance,
                _ => p.integration_uids.iter().any(|uid| uid == integration_id),
            })
            .collect()
    }

    /// Whether `integration_id` is connected where `instance` sees it: at
    /// its organization, for the instance itself, or for `member`.
    pub fn connected_for(
        &self,
        instance: &ProcessInstance,
        integration_id: &str,
        member: &str,
    ) -> bool {
        self.integrations.iter().any(|i| {
            i.organization_id == instance.organization_id
                && i.integration_id == integration_id
                && match i.context() {
                    Context::Organization => true,
                    Context::Member(m) => m == member,
                    Context::ProcessInstance(id) => id == instance.process_instance_id,
                }
        })
    }

    pub fn default_seed() -> State {
        let all_owner_scopes = [
            SCOPE_MANAGE,
            SCOPE_DEPLOY,
            SCOPE_INSTANCES_READ,
            "projects:read",
        ];
        let key = |key: &str,
                   org: &str,
                   member: &str,
                   name: &str,
                   scopes: &[&str],
                   expires: Option<&str>| ApiKey {
            key: key.into(),
            organization_id: org.into(),
            member_id: member.into(),
            key_name: name.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            created_at: "2026-01-01T00:00:00.000Z".into(),
            expires_at: expires.map(String::from),
        };
        let instance =
            |id: &str, org: &str, title: &str, active: bool, uids: &[&str]| ProcessInstance {
                process_instance_id: id.into(),
                organization_id: org.into(),
                title: title.into(),
                active,
                integration_uids: uids.iter().map(|s| s.to_string()).collect(),
                deployment: None,
            };
        // Dev and the paused one failed (their credentials were never set);
        // prod and Globex's are deployed.
        let deployed =
            |mut instance: ProcessInstance, status: &str, parameters: Value, workflows: &[&str]| {
                let mut deployment = instance.deployment();
                deployment.deployment_status = status.into();
                deployment.parameters = parameters;
                deployment.workflow_ids = workflows.iter().map(|s| s.to_string()).collect();
                instance.deployment = Some(deployment);
                instance
            };
        let parameters = |pairs: &[(&str, &str)]| {
            Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                    .collect(),
            )
        };
        State {
            api_keys: vec![
                key(
                    "cko_emulator_owner_full",
                    "org_acme",
                    "mem_owner",
                    "emulator-owner",
                    &all_owner_scopes,
                    None,
                ),
                key(
                    "cko_emulator_limited",
                    "org_acme",
                    "mem_dev",
                    "emulator-limited",
                    &["deploy:use-case", "instances:read"],
                    None,
                ),
                key(
                    "cko_emulator_other_org",
                    "org_globex",
                    "mem_globex",
                    "emulator-globex",
                    &[SCOPE_MANAGE],
                    None,
                ),
                key(
                    "cko_emulator_expired",
                    "org_acme",
                    "mem_owner",
                    "emulator-expired",
                    &all_owner_scopes,
                    Some("2025-01-01T00:00:00.000Z"),
                ),
            ],
            organizations: vec![
                Organization {
                    id: "org_acme".into(),
                    name: "Acme Corp".into(),
                },
                Organization {
                    id: "org_globex".into(),
                    name: "Globex".into(),
                },
            ],
            process_instances: vec![
                deployed(
                    instance(
                        "pi_acme_dev",
                        "org_acme",
                        "Invoice Assistant (dev)",
                        true,
                        &["openai", "supabase", "cstm_acme_crm"],
                    ),
                    FAILED,
                    parameters(&[("LANGUAGE", "en"), ("INVOICE_PREFIX", "INV")]),
                    &["wf_acme_dev_main", "wf_acme_dev_notes"],
                ),
                deployed(
                    instance(
                        "pi_acme_prod",
                        "org_acme",
                        "Invoice Assistant (prod)",
                        true,
                        &["openai", "supabase"],
                    ),
                    DEPLOYED,
                    parameters(&[("LANGUAGE", "en"), ("INVOICE_PREFIX", "INV")]),
                    &["wf_acme_prod_main", "wf_acme_prod_notes"],
                ),
                deployed(
                    instance(
                        "pi_acme_paused",
                        "org_acme",
                        "Lead Scorer (dev)",
                        false,
                        &["openai", "postgres"],
                    ),
                    FAILED,
                    parameters(&[]),
                    &["wf_acme_paused_score"],
                ),
                deployed(
                    instance(
                        "pi_globex_dev",
                        "org_globex",
                        "Globex Helpdesk (dev)",
                        true,
                        &["openai"],
                    ),
                    DEPLOYED,
                    parameters(&[]),
                    &["wf_globex_dev_helpdesk"],
                ),
            ],
            integrations: Vec::new(),
            next_credential_number: 1,
        }
    }
}
