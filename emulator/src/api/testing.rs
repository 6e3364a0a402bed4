/*!
Test-only routes (protocol §5), served to loopback clients alone: reset to
the seed, dump what was stored (with decrypted secrets), transport counters,
and canned answers (an endpoint made to answer a given body).
*/

use miniserde::json::{Object, Value};
use std::sync::atomic::Ordering;

use super::{Answer, ApiError, Platform, Reply};
use crate::http::Request;
use crate::http::snapshot;
use crate::json::{array, insert_some, number, object, string};
use crate::state::{Deployment, Integration, ProcessInstance};

impl Platform {
    pub(super) fn reset(&self) -> Answer {
        self.store.reset(self.seed.clone())?;
        self.canned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
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

    /// `POST /_emulator/answer` with `{"path": "/listintegrationspublic",
    /// "status"?: 200, "body": "<text>"}`: from now on (until a reset, or
    /// `"body": null`) that endpoint answers exactly `body`, whatever it is
    /// asked: an answer of the wrong shape, as a broken platform would send.
    pub(super) fn set_canned(&self, request: &Request) -> Answer {
        let body = super::body::parse(&request.body)?;
        let path = super::body::required_str(&body, "path")?.to_string();
        let status = match body.get("status") {
            None => 200,
            Some(Value::Number(n)) => n
                .to_string()
                .parse::<u16>()
                .ok()
                .filter(|s| (200..600).contains(s))
                .ok_or_else(|| ApiError::invalid("status must be an HTTP status (200-599)"))?,
            Some(_) => return Err(ApiError::invalid("status must be a number")),
        };
        let mut canned = self.canned.lock().unwrap_or_else(|e| e.into_inner());
        match body.get("body") {
            Some(Value::String(text)) => {
                canned.insert(path, (status, text.clone()));
            }
            Some(Value::Null) => {
                canned.remove(&path);
            }
            _ => return Err(ApiError::invalid("body must be a string or null")),
        }
        Ok(Reply::Success(
            200,
            object([("message", string("answer set"))]),
        ))
    }

    /// The canned answer for an API path, if one is set.
    pub(super) fn canned_for(&self, path: &str) -> Option<(u16, String)> {
        let canned = self.canned.lock().unwrap_or_else(|e| e.into_inner());
        canned.get(path).cloned()
    }

    pub(super) fn stats_data(&self) -> Value {
        let (connections, requests) = snapshot(&self.stats);
        let changes = self.stats.changes.load(Ordering::Relaxed);
        let peak = self.stats.peak_in_flight.load(Ordering::SeqCst);
        let paths: Object = {
            let paths = self.stats.paths.lock().unwrap_or_else(|e| e.into_inner());
            paths.iter().map(|(p, n)| (p.clone(), number(*n))).collect()
        };
        object([
            ("connections", number(connections)),
            ("requests", number(requests)),
            ("changes", number(changes)),
            ("peakInFlight", number(peak)),
            ("paths", Value::Object(paths)),
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
