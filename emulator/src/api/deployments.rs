/*!
Rerunning a deployment and (de)activating a process instance
(docs/deployments.md): `POST /redeploydeploymentinstancepublic`,
`/activateprocessinstancepublic` and `/deactivateprocessinstancepublic`.
*/

use miniserde::json::{Object, Value};
use std::sync::atomic::Ordering;

use super::{Answer, ApiError, Caller, Platform, Reply, body};
use crate::http::Request;
use crate::json::{array, number, object, string};
use crate::state::{DEPLOYED, FAILED, SCOPE_DEPLOY, SCOPE_INSTANCES_READ};

impl Platform {
    /// The caller (with `scope`), the body and its non-empty
    /// `processInstanceId`.
    fn instance_request(
        &self,
        request: &Request,
        scope: &str,
    ) -> Result<(Caller, Object, String), ApiError> {
        let caller = self
            .store
            .read(|state| self.authenticate(request, state, Some(scope)))?;
        let body = body::parse(&request.body)?;
        let instance = body::required_str(&body, "processInstanceId")?;
        if instance.is_empty() {
            return Err(ApiError::invalid("processInstanceId must not be empty"));
        }
        let instance = instance.to_string();
        Ok((caller, body, instance))
    }

    pub(super) fn rerun(&self, request: &Request) -> Answer {
        self.stats.changes.fetch_add(1, Ordering::Relaxed);
        let (caller, body, instance_id) = self.instance_request(request, SCOPE_DEPLOY)?;
        let parameters = body::optional_object(&body, "deploymentParameters")?.cloned();
        let force = body::optional_bool(&body, "forceRedeploy")?.unwrap_or(false);
        let key = &caller.key;
        let data = self.store.write(|state| {
            let at = state
                .process_instances
                .iter()
                .position(|p| {
                    p.process_instance_id == instance_id && p.organization_id == key.organization_id
                })
                .ok_or_else(ApiError::not_found_instance)?;
            let instance = &state.process_instances[at];
            let mut deployment = instance.deployment();
            if deployment.deployment_status != FAILED && !force {
                return Err(ApiError::new(
                    409,
                    "DEPLOYMENT_NOT_FAILED",
                    format!(
                        "the deployment is {}, not failed; send forceRedeploy: true to rerun it anyway",
                        deployment.deployment_status
                    ),
                ));
            }
            let missing: Vec<String> = instance
                .integration_uids
                .iter()
                .filter(|uid| !state.connected_for(instance, uid, &key.member_id))
                .cloned()
                .collect();
            // Sent parameters override the deployment's by key; the others stay.
            if let Some(sent) = parameters {
                let mut merged = match deployment.parameters {
                    Value::Object(current) => current,
                    _ => Object::new(),
                };
                merged.extend(sent);
                deployment.parameters = Value::Object(merged);
            }
            deployment.deployment_status = if missing.is_empty() { DEPLOYED } else { FAILED }.into();
            let deployed = if missing.is_empty() {
                deployment.workflow_ids.clone()
            } else {
                Vec::new()
            };
            let mut data = Object::new();
            data.insert(
                "deploymentStatus".into(),
                string(deployment.deployment_status.clone()),
            );
            data.insert(
                "deploymentInstanceId".into(),
                string(deployment.deployment_instance_id.clone()),
            );
            data.insert("n8nWorkflowIds".into(), array(deployed.into_iter().map(string)));
            if !missing.is_empty() {
                data.insert(
                    "missingIntegrations".into(),
                    array(missing.into_iter().map(string)),
                );
            }
            state.process_instances[at].deployment = Some(deployment);
            Ok(Value::Object(data))
        })?;
        Ok(Reply::Success(200, data))
    }

    /// `POST /getprocessinstancepublic`: the instance and its deployment.
    pub(super) fn get_instance(&self, request: &Request) -> Answer {
        let (caller, _, instance_id) = self.instance_request(request, SCOPE_INSTANCES_READ)?;
        self.store.read(|state| {
            let instance = state
                .instance_of(&caller.key.organization_id, &instance_id)
                .ok_or_else(ApiError::not_found_instance)?;
            let deployment = instance.deployment();
            let workflows = deployment.workflow_ids.iter().map(|id| {
                object([
                    ("workflowId", string(id.clone())),
                    ("n8nWorkflowId", string(id.clone())),
                ])
            });
            Ok(Reply::Success(
                200,
                object([
                    (
                        "processInstanceId",
                        string(instance.process_instance_id.clone()),
                    ),
                    ("title", string(instance.title.clone())),
                    ("organizationId", string(instance.organization_id.clone())),
                    ("isActive", Value::Bool(instance.active)),
                    (
                        "deployment",
                        object([
                            (
                                "deploymentInstanceId",
                                string(deployment.deployment_instance_id.clone()),
                            ),
                            (
                                "deploymentStatus",
                                string(deployment.deployment_status.clone()),
                            ),
                            ("deploymentParameters", deployment.parameters.clone()),
                            ("workflows", array(workflows)),
                        ]),
                    ),
                ]),
            ))
        })
    }

    pub(super) fn activate(&self, request: &Request) -> Answer {
        self.set_active(request, true)
    }

    pub(super) fn deactivate(&self, request: &Request) -> Answer {
        self.set_active(request, false)
    }

    /// Idempotent: activating an active instance answers as the first time.
    fn set_active(&self, request: &Request, active: bool) -> Answer {
        self.stats.changes.fetch_add(1, Ordering::Relaxed);
        let (caller, _, instance_id) = self.instance_request(request, SCOPE_DEPLOY)?;
        let organization_id = caller.key.organization_id;
        let workflows = self.store.write(|state| {
            let instance = state
                .process_instances
                .iter_mut()
                .find(|p| {
                    p.process_instance_id == instance_id && p.organization_id == organization_id
                })
                .ok_or_else(ApiError::not_found_instance)?;
            instance.active = active;
            Ok::<_, ApiError>(instance.deployment().workflow_ids.len())
        })?;
        Ok(Reply::Success(
            200,
            object([
                ("processInstanceId", string(instance_id)),
                ("isActive", Value::Bool(active)),
                ("workflowCount", number(workflows as u64)),
            ]),
        ))
    }
}
