/*!
The deployment endpoints of docs/deployments.md over raw HTTP: rerun, get
instance, activate and deactivate; their scopes, error codes and the
deployment model (what counts as connected, parameters, `active`).
*/

mod support;

use miniserde::json::Value;
use support::*;

const RERUN: &str = "/redeploydeploymentinstancepublic";
const GET: &str = "/getprocessinstancepublic";
const ACTIVATE: &str = "/activateprocessinstancepublic";
const DEACTIVATE: &str = "/deactivateprocessinstancepublic";

fn instance(emulator: &Emulator, id: &str) -> Value {
    items(field(&emulator.dump(), "processInstances"))
        .iter()
        .find(|p| str_at(p, "processInstanceId") == id)
        .cloned()
        .unwrap()
}

fn ids(value: &Value) -> Vec<String> {
    items(value)
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => panic!("not a string: {other:?}"),
        })
        .collect()
}

#[test]
fn the_seed_models_each_instances_deployment() {
    let emulator = Emulator::start();
    for (id, status, workflows) in [
        ("pi_acme_dev", "failed", 2),
        ("pi_acme_prod", "deployed", 2),
        ("pi_acme_paused", "failed", 1),
        ("pi_globex_dev", "deployed", 1),
    ] {
        let deployment = field(&instance(&emulator, id), "deployment").clone();
        assert_eq!(str_at(&deployment, "deploymentStatus"), status, "{id}");
        assert_eq!(items(field(&deployment, "workflowIds")).len(), workflows);
        assert!(str_at(&deployment, "deploymentInstanceId").starts_with("di_"));
    }
    let reply = emulator.post(GET, Some(OWNER), r#"{"processInstanceId":"pi_acme_prod"}"#);
    let got = data(&reply);
    assert!(bool_at(got, "isActive"));
    let deployment = field(got, "deployment");
    assert_eq!(str_at(deployment, "deploymentStatus"), "deployed");
    assert_eq!(
        str_at(field(deployment, "deploymentParameters"), "LANGUAGE"),
        "en"
    );
    assert_eq!(items(field(deployment, "workflows")).len(), 2);
}

#[test]
fn rerun_refuses_what_did_not_fail_unless_forced_and_merges_parameters() {
    let emulator = Emulator::start();
    assert_error(
        &emulator.post(
            RERUN,
            Some(OWNER),
            r#"{"processInstanceId":"pi_acme_prod"}"#,
        ),
        409,
        "DEPLOYMENT_NOT_FAILED",
    );
    let reply = emulator.post(
        RERUN,
        Some(OWNER),
        r#"{"processInstanceId":"pi_acme_prod","forceRedeploy":true,"deploymentParameters":{"LANGUAGE":"fr","N":2}}"#,
    );
    assert_eq!(reply.status, 200);
    let answer = data(&reply);
    // Nothing is connected: it fails, naming what is missing.
    assert_eq!(str_at(answer, "deploymentStatus"), "failed");
    assert_eq!(str_at(answer, "deploymentInstanceId"), "di_acme_prod");
    assert!(ids(field(answer, "n8nWorkflowIds")).is_empty());
    assert_eq!(
        ids(field(answer, "missingIntegrations")),
        ["openai", "supabase"]
    );
    let deployment = field(&instance(&emulator, "pi_acme_prod"), "deployment").clone();
    assert_eq!(str_at(&deployment, "deploymentStatus"), "failed");
    let parameters = field(&deployment, "parameters");
    assert_eq!(str_at(parameters, "LANGUAGE"), "fr");
    assert_eq!(u64_at(parameters, "N"), 2);
    assert_eq!(str_at(parameters, "INVOICE_PREFIX"), "INV");
    // Failed now: a rerun needs no force.
    assert_eq!(
        emulator
            .post(
                RERUN,
                Some(OWNER),
                r#"{"processInstanceId":"pi_acme_prod"}"#
            )
            .status,
        200
    );
}

#[test]
fn errors_scopes_and_foreign_instances() {
    let emulator = Emulator::start();
    for path in [RERUN, GET, ACTIVATE, DEACTIVATE] {
        for id in ["pi_nope", "pi_globex_dev"] {
            let body = format!("{{\"processInstanceId\":\"{id}\"}}");
            assert_error(
                &emulator.post(path, Some(OWNER), &body),
                404,
                "PROCESS_INSTANCE_NOT_FOUND",
            );
        }
        for body in [
            "{}",
            r#"{"processInstanceId":""}"#,
            r#"{"processInstanceId":7}"#,
            "[]",
        ] {
            assert_error(
                &emulator.post(path, Some(OWNER), body),
                400,
                "INVALID_REQUEST",
            );
        }
        assert_error(&emulator.get(path, Some(OWNER)), 405, "METHOD_NOT_ALLOWED");
        assert_error(
            &emulator.post(path, None, r#"{"processInstanceId":"pi_acme_dev"}"#),
            401,
            "UNAUTHORIZED",
        );
    }
    for path in [RERUN, ACTIVATE, DEACTIVATE] {
        let reply = emulator.post(
            path,
            Some(OTHER_ORG),
            r#"{"processInstanceId":"pi_acme_dev"}"#,
        );
        assert_error(&reply, 403, "INSUFFICIENT_SCOPE");
        assert!(str_at(field(&reply.body, "error"), "message").contains("deploy:use-case"));
    }
    let reply = emulator.post(
        GET,
        Some(OTHER_ORG),
        r#"{"processInstanceId":"pi_acme_dev"}"#,
    );
    assert_error(&reply, 403, "INSUFFICIENT_SCOPE");
    assert!(str_at(field(&reply.body, "error"), "message").contains("instances:read"));
    // The limited key deploys and reads, without integrations:manage.
    assert_eq!(
        emulator
            .post(
                DEACTIVATE,
                Some(LIMITED),
                r#"{"processInstanceId":"pi_acme_dev"}"#
            )
            .status,
        200
    );
    for body in [
        r#"{"processInstanceId":"pi_acme_dev","deploymentParameters":[]}"#,
        r#"{"processInstanceId":"pi_acme_dev","forceRedeploy":"yes"}"#,
    ] {
        assert_error(
            &emulator.post(RERUN, Some(OWNER), body),
            400,
            "INVALID_REQUEST",
        );
    }
}

#[test]
fn activation_is_idempotent_and_counts_the_workflows() {
    let emulator = Emulator::start();
    let body = r#"{"processInstanceId":"pi_acme_paused"}"#;
    for _ in 0..2 {
        let reply = emulator.post(ACTIVATE, Some(OWNER), body);
        let answer = data(&reply);
        assert_eq!(str_at(answer, "processInstanceId"), "pi_acme_paused");
        assert!(bool_at(answer, "isActive"));
        assert_eq!(u64_at(answer, "workflowCount"), 1);
        assert!(bool_at(&instance(&emulator, "pi_acme_paused"), "active"));
    }
    let reply = emulator.post(DEACTIVATE, Some(OWNER), body);
    assert!(!bool_at(data(&reply), "isActive"));
    assert!(!bool_at(&instance(&emulator, "pi_acme_paused"), "active"));
}

/// Connected where the instance sees it: its organization, the instance
/// itself, or the calling member; another instance's does not count.
#[test]
fn a_rerun_deploys_when_each_needed_integration_is_connected_in_its_context() {
    let temp = scratch("deploy-seed");
    let seed = temp.path().join("seed.json");
    let integration = |id: &str, context: &str, extra: &str| {
        format!(
            r#"{{"organizationId":"org_acme","integrationId":"{id}","contextType":"{context}"{extra},"secrets":{{}},"algorithm":"x","metadata":{{}},"connectedBy":"seed","connectedAt":"2026-01-01T00:00:00.000Z","hasValidTokens":true}}"#
        )
    };
    let integrations = [
        integration("openai", "organization", ""),
        integration(
            "supabase",
            "process_instance",
            r#","processInstanceId":"pi_a""#,
        ),
        integration(
            "supabase",
            "process_instance",
            r#","processInstanceId":"pi_b""#,
        ),
        integration("notes", "member", r#","memberId":"mem_alice""#),
    ];
    let key = |key: &str, member: &str| {
        format!(
            r#"{{"key":"{key}","organizationId":"org_acme","memberId":"{member}","keyName":"{key}","scopes":["deploy:use-case"],"createdAt":"2026-01-01T00:00:00.000Z"}}"#
        )
    };
    std::fs::write(
        &seed,
        format!(
            r#"{{"apiKeys":[{},{}],"organizations":[{{"id":"org_acme","name":"Acme"}}],
              "processInstances":[
                {{"processInstanceId":"pi_a","organizationId":"org_acme","title":"A","active":true,"integrationUids":["openai","supabase","notes"]}},
                {{"processInstanceId":"pi_c","organizationId":"org_acme","title":"C","active":true,"integrationUids":["supabase"]}}],
              "integrations":[{}],"nextCredentialNumber":1}}"#,
            key("cko_alice", "mem_alice"),
            key("cko_bob", "mem_bob"),
            integrations.join(",")
        ),
    )
    .unwrap();
    let emulator = Emulator::with_args(&["--seed", seed.to_str().unwrap()]);
    // A state without deployments: each counts as deployed, no workflows.
    let rerun = |key: &str, id: &str| {
        let body = format!("{{\"processInstanceId\":\"{id}\",\"forceRedeploy\":true}}");
        let reply = emulator.post(RERUN, Some(key), &body);
        data(&reply).clone()
    };
    let bob = rerun("cko_bob", "pi_a");
    assert_eq!(str_at(&bob, "deploymentStatus"), "failed");
    assert_eq!(ids(field(&bob, "missingIntegrations")), ["notes"]);
    let alice = rerun("cko_alice", "pi_a");
    assert_eq!(str_at(&alice, "deploymentStatus"), "deployed", "{alice:?}");
    assert!(!has(&alice, "missingIntegrations"));
    assert_eq!(str_at(&alice, "deploymentInstanceId"), "di_a");
    let other = rerun("cko_alice", "pi_c");
    assert_eq!(ids(field(&other, "missingIntegrations")), ["supabase"]);
}
