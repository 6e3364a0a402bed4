/*!
Test-only routes (protocol §5), served to loopback clients alone: reset to
the seed, dump what was stored (with decrypted secrets), and transport counters.
*/

use miniserde::json::{Object, Value};
use std::sync::atomic::Ordering;

use super::{Answer, Platform, Reply};
use crate::http::snapshot;
use crate::json::{array, insert_some, number, object, string};
use crate::state::{Deployment, Integration, ProcessInstance};

impl Platform {
    pub(super) fn reset(&self) -> Answer {
        self.store.reset(self.seed.clone())?;
        Ok(Reply::Success(
            200,
            object([("message", string("state reset to the seed"))]),
        ))
    }

    pub(super) fn dump(&self) -> Answer {
        self.store.read(|state| {
            Ok(Reply::Success(
                200,
                object([
                    ("integrations", array(state.integrations.iter().map(dumped))),
                    (
                        "processInstances",
                        array(state.process_instances.iter().map(instance)),
                    ),
                ]),
            ))
        })
    }

    pub(super) fn stats_data(&self) -> Value {
        let (connections, requests) = snapshot(&self.stats);
        let changes = self.stats.changes.load(Ordering::Relaxed);
        object([
            ("connections", number(connections)),
            ("requests", number(requests)),
            ("changes", number(changes)),
        ])
    }
}

fn dumped(integration: &Integration) -> Value {
    let mut item = Object::new();
    item.insert(
        "organizationId".into(),
        string(integration.organization_id.clone()),
    );
    item.insert(
        "integrationId".into(),
        string(integration.integration_id.clone()),
    );
    item.insert(
        "contextType".into(),
        string(integration.context_type.clone()),
    );
    insert_some(
        &mut item,
        "memberId",
        integration.member_id.clone().map(string),
    );
    insert_some(
        &mut item,
        "processInstanceId",
        integration.process_instance_id.clone().map(string),
    );
    let secrets: Object = integration
        .secrets
        .iter()
        .map(|(k, v)| (k.clone(), string(v.clone())))
        .collect();
    item.insert("secrets".into(), Value::Object(secrets));
    item.insert("algorithm".into(), string(integration.algorithm.clone()));
    item.insert("metadata".into(), integration.metadata.clone());
    insert_some(
        &mut item,
        "customIntegrationSchema",
        integration.custom_integration_schema.clone(),
    );
    insert_some(
        &mut item,
        "n8nCredentialId",
        integration.n8n_credential_id.clone().map(string),
    );
    item.insert(
        "connectedBy".into(),
        string(integration.connected_by.clone()),
    );
    item.insert(
        "connectedAt".into(),
        string(integration.connected_at.clone()),
    );
    Value::Object(item)
}

fn instance(instance: &ProcessInstance) -> Value {
    object([
        (
            "processInstanceId",
            string(instance.process_instance_id.clone()),
        ),
        ("organizationId", string(instance.organization_id.clone())),
        ("title", string(instance.title.clone())),
        ("active", Value::Bool(instance.active)),
        (
            "integrationUids",
            array(instance.integration_uids.iter().cloned().map(string)),
        ),
        ("deployment", deployment(&instance.deployment())),
    ])
}

fn deployment(deployment: &Deployment) -> Value {
    object([
        (
            "deploymentInstanceId",
            string(deployment.deployment_instance_id.clone()),
        ),
        (
            "deploymentStatus",
            string(deployment.deployment_status.clone()),
        ),
        ("parameters", deployment.parameters.clone()),
        (
            "workflowIds",
            array(deployment.workflow_ids.iter().cloned().map(string)),
        ),
    ])
}
