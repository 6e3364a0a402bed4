//! Every endpoint of protocol §2 and every error code of §3, over real HTTP.

mod support;

use support::*;

const CREATE: &str = "/createintegrationpublic";
const DELETE: &str = "/deleteintegrationpublic";
const LIST: &str = "/listintegrationspublic";
const VERIFY: &str = "/verifyapikey";

/// A create body for an organization integration with HPKE-sealed secrets.
fn create_body(
    emulator: &Emulator,
    id: &str,
    context: &str,
    extra: &str,
    secrets: &[(&str, &str)],
) -> String {
    let pem = emulator.public_pem();
    let sealed: Vec<(&str, String)> = secrets
        .iter()
        .map(|(k, v)| (*k, envelopes::hpke(&pem, k, v)))
        .collect();
    format!(
        "{{\"integrationId\":\"{id}\",\"contextType\":\"{context}\",\"secrets\":{}{extra},\"metadata\":{{\"connectedAt\":\"2026-11-26T06:00:00.000Z\",\"installedBy\":\"cli\",\"hasValidTokens\":true}}}}",
        secrets_json(&sealed)
    )
}

fn set_openai(emulator: &Emulator, value: &str) -> Reply {
    let body = create_body(
        emulator,
        "openai",
        "organization",
        "",
        &[("OPENAI_API_KEY", value)],
    );
    emulator.post(CREATE, Some(OWNER), &body)
}

fn delete_body(id: &str, context: &str, extra: &str, confirm: bool) -> String {
    format!(
        "{{\"integrationId\":\"{id}\",\"contextType\":\"{context}\"{extra},\"confirmDeletion\":{confirm}}}"
    )
}

#[test]
fn prints_listening_line_and_seed_keys() {
    let emulator = Emulator::start();
    assert!(emulator.base.starts_with("http://127.0.0.1:"));
    assert_eq!(
        emulator.printed_keys(4),
        [OWNER, LIMITED, OTHER_ORG, EXPIRED]
    );
}

#[test]
fn create_then_update_is_an_upsert() {
    let emulator = Emulator::start();
    let first = set_openai(&emulator, "sk-one");
    assert_eq!(first.status, 201, "{}", first.text);
    let message = str_at(data(&first), "message");
    assert!(message.contains("created"), "{message}");
    let credential = str_at(data(&first), "n8nCredentialId").to_string();
    assert!(credential.starts_with("n8n_cred_"));

    let second = set_openai(&emulator, "sk-two");
    assert_eq!(second.status, 200, "{}", second.text);
    assert!(str_at(data(&second), "message").contains("updated"));
    assert_eq!(str_at(data(&second), "n8nCredentialId"), credential);

    let stored = emulator.stored("openai");
    assert_eq!(stored.len(), 1);
    let stored = &stored[0];
    assert_eq!(str_at(field(stored, "secrets"), "OPENAI_API_KEY"), "sk-two");
    assert_eq!(str_at(stored, "organizationId"), "org_acme");
    assert_eq!(str_at(stored, "contextType"), "organization");
    assert_eq!(str_at(stored, "connectedBy"), "emulator-owner");
    assert_eq!(str_at(field(stored, "metadata"), "installedBy"), "cli");
    assert!(!has(stored, "memberId") && !has(stored, "processInstanceId"));
}

#[test]
fn member_and_process_instance_contexts_are_separate_integrations() {
    let emulator = Emulator::start();
    let member = create_body(
        &emulator,
        "openai",
        "member",
        "",
        &[("OPENAI_API_KEY", "m")],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &member).status, 201);
    let instance = create_body(
        &emulator,
        "openai",
        "process_instance",
        ",\"processInstanceId\":\"pi_acme_dev\"",
        &[("OPENAI_API_KEY", "p")],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &instance).status, 201);
    assert_eq!(set_openai(&emulator, "o").status, 201);
    let stored = emulator.stored("openai");
    assert_eq!(stored.len(), 3);
    let member = stored
        .iter()
        .find(|i| str_at(i, "contextType") == "member")
        .unwrap();
    assert_eq!(str_at(member, "memberId"), "mem_owner");
    let instance = stored
        .iter()
        .find(|i| str_at(i, "contextType") == "process_instance")
        .unwrap();
    assert_eq!(str_at(instance, "processInstanceId"), "pi_acme_dev");
    assert_eq!(str_at(field(instance, "secrets"), "OPENAI_API_KEY"), "p");
}

#[test]
fn a_process_instance_id_sent_with_another_context_is_ignored() {
    // The official CLI sends project.json's instance id whatever the context.
    let emulator = Emulator::start();
    let body = create_body(
        &emulator,
        "openai",
        "organization",
        ",\"processInstanceId\":\"pi_acme_dev\",\"organizationId\":\"org_acme\"",
        &[("OPENAI_API_KEY", "v")],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
    assert!(!has(&emulator.stored("openai")[0], "processInstanceId"));
}

#[test]
fn list_shows_organization_member_and_named_instance() {
    let emulator = Emulator::start();
    set_openai(&emulator, "o");
    let member = create_body(
        &emulator,
        "anthropic",
        "member",
        "",
        &[("ANTHROPIC_API_KEY", "a")],
    );
    emulator.post(CREATE, Some(OWNER), &member);
    let supabase = create_body(
        &emulator,
        "supabase",
        "process_instance",
        ",\"processInstanceId\":\"pi_acme_dev\"",
        &[("SUPABASE_HOST", "h"), ("SUPABASE_SERVICE_ROLE_KEY", "k")],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &supabase).status, 201);
    // Another organization's integration never shows.
    let globex = create_body(
        &emulator,
        "mistral",
        "organization",
        "",
        &[("MISTRAL_API_KEY", "g")],
    );
    assert_eq!(emulator.post(CREATE, Some(OTHER_ORG), &globex).status, 201);

    let ids = |reply: &Reply| -> Vec<String> {
        items(field(data(reply), "integrations"))
            .iter()
            .map(|i| str_at(i, "integrationId").to_string())
            .collect()
    };
    let without_instance = emulator.post(LIST, Some(OWNER), "{}");
    assert_eq!(ids(&without_instance), ["openai", "anthropic"]);
    let with_instance = emulator.post(
        LIST,
        Some(OWNER),
        "{\"organizationId\":\"org_acme\",\"processInstanceId\":\"pi_acme_dev\"}",
    );
    assert_eq!(ids(&with_instance), ["openai", "anthropic", "supabase"]);
    let entry = &items(field(data(&with_instance), "integrations"))[2];
    assert_eq!(str_at(entry, "contextType"), "process_instance");
    assert_eq!(str_at(entry, "processInstanceId"), "pi_acme_dev");
    assert!(bool_at(entry, "connected") && bool_at(entry, "hasValidTokens"));
    assert_eq!(str_at(entry, "connectedAt"), "2026-11-26T06:00:00.000Z");
    assert_eq!(str_at(entry, "connectedBy"), "emulator-owner");
    assert!(str_at(entry, "n8nCredentialId").starts_with("n8n_cred_"));
    // Another organization sees only its own.
    assert_eq!(ids(&emulator.post(LIST, Some(OTHER_ORG), "")), ["mistral"]);
    // Another instance's integrations are not listed with this one.
    let prod = emulator.post(
        LIST,
        Some(OWNER),
        "{\"processInstanceId\":\"pi_acme_prod\"}",
    );
    assert_eq!(ids(&prod), ["openai", "anthropic"]);
}

#[test]
fn delete_is_two_phase_and_deactivates_dependents() {
    let emulator = Emulator::start();
    set_openai(&emulator, "v");
    let pending = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("openai", "organization", "", false),
    );
    assert_eq!(pending.status, 200);
    assert!(!bool_at(&pending.body, "success"));
    let pending_data = field(&pending.body, "data");
    assert!(!str_at(pending_data, "message").is_empty());
    let deactivations = field(pending_data, "pendingDeactivations");
    assert_eq!(u64_at(deactivations, "count"), 2);
    let processes = items(field(deactivations, "processes"));
    // Only active instances of the same organization; pi_acme_paused is inactive.
    let ids: Vec<&str> = processes
        .iter()
        .map(|p| str_at(p, "processInstanceId"))
        .collect();
    assert_eq!(ids, ["pi_acme_dev", "pi_acme_prod"]);
    assert_eq!(str_at(&processes[0], "title"), "Invoice Assistant (dev)");
    assert_eq!(
        emulator.stored("openai").len(),
        1,
        "nothing deleted before confirmation"
    );

    // Absent confirmDeletion is the same as false.
    let implicit = emulator.post(
        DELETE,
        Some(OWNER),
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\"}",
    );
    assert!(has(field(&implicit.body, "data"), "pendingDeactivations"));

    let confirmed = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("openai", "organization", "", true),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(u64_at(data(&confirmed), "deactivatedCount"), 2);
    assert!(emulator.stored("openai").is_empty());
    let dump = emulator.dump();
    let active: Vec<bool> = items(field(&dump, "processInstances"))
        .iter()
        .map(|p| bool_at(p, "active"))
        .collect();
    assert_eq!(active, [false, false, false, true]);

    // Idempotent: deleting again succeeds and says so.
    let again = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("openai", "organization", "", true),
    );
    assert_eq!(again.status, 200);
    assert_eq!(u64_at(data(&again), "deactivatedCount"), 0);
    assert!(str_at(data(&again), "message").contains("already deleted"));
}

#[test]
fn pending_delete_lists_dependents_even_when_absent() {
    let emulator = Emulator::start();
    let pending = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("supabase", "organization", "", false),
    );
    assert_eq!(
        u64_at(
            field(field(&pending.body, "data"), "pendingDeactivations"),
            "count"
        ),
        2
    );
    let none = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("postgres", "organization", "", false),
    );
    let deactivations = field(field(&none.body, "data"), "pendingDeactivations");
    assert_eq!(u64_at(deactivations, "count"), 0);
    assert!(items(field(deactivations, "processes")).is_empty());
}

#[test]
fn process_instance_integration_depends_on_that_instance_only() {
    let emulator = Emulator::start();
    let body = create_body(
        &emulator,
        "postgres",
        "process_instance",
        ",\"processInstanceId\":\"pi_acme_prod\"",
        &[
            ("POSTGRES_HOST", "h"),
            ("POSTGRES_PORT", "5432"),
            ("POSTGRES_DATABASE", "d"),
            ("POSTGRES_USER", "u"),
            ("POSTGRES_PASSWORD", "p"),
        ],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
    let extra = ",\"processInstanceId\":\"pi_acme_prod\"";
    let pending = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("postgres", "process_instance", extra, false),
    );
    let processes = items(field(
        field(field(&pending.body, "data"), "pendingDeactivations"),
        "processes",
    ))
    .to_vec();
    assert_eq!(processes.len(), 1);
    assert_eq!(str_at(&processes[0], "processInstanceId"), "pi_acme_prod");
    let confirmed = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("postgres", "process_instance", extra, true),
    );
    assert_eq!(u64_at(data(&confirmed), "deactivatedCount"), 1);
}

#[test]
fn verifyapikey_describes_any_valid_key() {
    let emulator = Emulator::start();
    let owner = emulator.post(VERIFY, Some(OWNER), "");
    let info = data(&owner);
    assert_eq!(str_at(info, "type"), "org-api-key");
    assert_eq!(str_at(info, "keyName"), "emulator-owner");
    assert_eq!(str_at(info, "keyPrefix"), "cko_emu");
    assert_eq!(str_at(info, "createdAt"), "2026-01-01T00:00:00.000Z");
    assert_eq!(str_at(info, "organizationId"), "org_acme");
    assert_eq!(str_at(info, "organizationName"), "Acme Corp");
    let scopes: Vec<&str> = items(field(info, "scopes"))
        .iter()
        .map(|s| match s {
            miniserde::json::Value::String(s) => s.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(
        scopes,
        [
            "integrations:manage",
            "deploy:use-case",
            "instances:read",
            "projects:read"
        ]
    );
    assert!(!has(info, "expiresAt"));
    // No scope is needed to verify.
    assert_eq!(
        str_at(data(&emulator.post(VERIFY, Some(LIMITED), "")), "keyName"),
        "emulator-limited"
    );
    assert_eq!(
        str_at(
            data(&emulator.post(VERIFY, Some(OTHER_ORG), "")),
            "organizationName"
        ),
        "Globex"
    );
}

#[test]
fn schema_serves_n8n_data_with_its_key_order() {
    let emulator = Emulator::start();
    let reply = emulator.get("/getcredentialschemapublic?type=twilioApi", Some(OWNER));
    assert_eq!(reply.status, 200);
    let schema = data(&reply);
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/n8n-credential-schemas.json"
    ))
    .unwrap();
    let all = parse(&fixture);
    assert_eq!(
        miniserde::json::to_string(schema),
        miniserde::json::to_string(field(&all, "twilioApi"))
    );
    // The text keeps n8n's order: properties before allOf before required.
    let properties = reply.text.find("\"properties\"").unwrap();
    assert!(properties < reply.text.find("\"allOf\"").unwrap());
    assert!(reply.text.find("\"allOf\"").unwrap() < reply.text.rfind("\"required\"").unwrap());
    // Percent-encoded type names decode.
    assert_eq!(
        emulator
            .get("/getcredentialschemapublic?type=openAi%41pi", Some(OWNER))
            .status,
        200
    );
}

// ---- protocol §3: one test per error code ----

#[test]
fn error_unauthorized_without_or_with_unknown_key() {
    let emulator = Emulator::start();
    for (path, post) in [
        (CREATE, true),
        (DELETE, true),
        (LIST, true),
        (VERIFY, true),
        ("/getcredentialschemapublic?type=openAiApi", false),
    ] {
        for key in [None, Some("cko_nope"), Some("")] {
            let reply = if post {
                emulator.post(path, key, "{}")
            } else {
                emulator.get(path, key)
            };
            assert_error(&reply, 401, "UNAUTHORIZED");
        }
    }
}

#[test]
fn error_api_key_expired_on_every_endpoint() {
    let emulator = Emulator::start();
    for path in [CREATE, DELETE, LIST, VERIFY] {
        assert_error(
            &emulator.post(path, Some(EXPIRED), "{}"),
            401,
            "API_KEY_EXPIRED",
        );
    }
    assert_error(
        &emulator.get("/getcredentialschemapublic?type=openAiApi", Some(EXPIRED)),
        401,
        "API_KEY_EXPIRED",
    );
}

#[test]
fn error_insufficient_scope_names_the_scope() {
    let emulator = Emulator::start();
    for path in [CREATE, DELETE, LIST] {
        let reply = emulator.post(path, Some(LIMITED), "{}");
        assert_error(&reply, 403, "INSUFFICIENT_SCOPE");
        assert!(str_at(field(&reply.body, "error"), "message").contains("integrations:manage"));
    }
    assert_error(
        &emulator.get("/getcredentialschemapublic?type=openAiApi", Some(LIMITED)),
        403,
        "INSUFFICIENT_SCOPE",
    );
}

#[test]
fn error_organization_mismatch() {
    let emulator = Emulator::start();
    let body = create_body(
        &emulator,
        "openai",
        "organization",
        ",\"organizationId\":\"org_globex\"",
        &[("OPENAI_API_KEY", "v")],
    );
    assert_error(
        &emulator.post(CREATE, Some(OWNER), &body),
        403,
        "ORGANIZATION_MISMATCH",
    );
    assert_error(
        &emulator.post(LIST, Some(OWNER), "{\"organizationId\":\"org_globex\"}"),
        403,
        "ORGANIZATION_MISMATCH",
    );
    assert_error(
        &emulator.post(
            DELETE,
            Some(OWNER),
            &delete_body(
                "openai",
                "organization",
                ",\"organizationId\":\"org_globex\"",
                true,
            ),
        ),
        403,
        "ORGANIZATION_MISMATCH",
    );
}

#[test]
fn error_invalid_request_for_each_malformed_body() {
    let emulator = Emulator::start();
    let too_long = format!("a{}", "b".repeat(64));
    let cases = [
        "{not json",
        "[1,2]",
        "\"text\"",
        "{\"contextType\":\"organization\",\"secrets\":{}}",
        "{\"integrationId\":\"OpenAI\",\"contextType\":\"organization\"}",
        "{\"integrationId\":\"1openai\",\"contextType\":\"organization\"}",
        "{\"integrationId\":\"open-ai\",\"contextType\":\"organization\"}",
        &format!("{{\"integrationId\":\"{too_long}\",\"contextType\":\"organization\"}}"),
        "{\"integrationId\":\"open ai\",\"contextType\":\"organization\"}",
        "{\"integrationId\":42,\"contextType\":\"organization\"}",
        "{\"integrationId\":\"openai\",\"contextType\":\"team\"}",
        "{\"integrationId\":\"openai\"}",
        "{\"integrationId\":\"openai\",\"contextType\":\"process_instance\"}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"organizationId\":null}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\"}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":[]}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{}}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{\"K\":{\"value\":\"x\"}}}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{\"K\":{\"value\":\"x\",\"encrypted\":false}}}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{\"K\":\"plain\"}}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{\"K\":{\"value\":\"x\",\"encrypted\":true}},\"metadata\":[]}",
        "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{\"K\":{\"value\":\"x\",\"encrypted\":true}},\"customIntegrationSchema\":{}}",
    ];
    for body in cases {
        let reply = emulator.post(CREATE, Some(OWNER), body);
        assert_error(&reply, 400, "INVALID_REQUEST");
    }
    assert_error(&emulator.post(DELETE, Some(OWNER), "{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"confirmDeletion\":\"yes\"}"), 400, "INVALID_REQUEST");
    assert_error(
        &emulator.post(LIST, Some(OWNER), "{\"processInstanceId\":7}"),
        400,
        "INVALID_REQUEST",
    );
    assert_error(
        &emulator.get("/getcredentialschemapublic", Some(OWNER)),
        400,
        "INVALID_REQUEST",
    );
    assert!(emulator.stored("openai").is_empty());
}

#[test]
fn a_connected_at_that_is_not_a_timestamp_is_refused_so_lists_stay_readable() {
    let emulator = Emulator::start();
    for bad in ["\"yesterday\"", "\"2026-02-30T00:00:00Z\"", "5"] {
        let body = create_body(
            &emulator,
            "openai",
            "organization",
            "",
            &[("OPENAI_API_KEY", "sk-x")],
        )
        .replace("\"2026-11-26T06:00:00.000Z\"", bad);
        let reply = emulator.post(CREATE, Some(OWNER), &body);
        assert_error(&reply, 400, "INVALID_REQUEST");
        assert!(
            reply.text.contains("metadata.connectedAt"),
            "{}",
            reply.text
        );
    }
    assert!(emulator.stored("openai").is_empty());
    // With an offset it is a timestamp, listed as sent.
    let body = create_body(
        &emulator,
        "openai",
        "organization",
        "",
        &[("OPENAI_API_KEY", "sk-x")],
    )
    .replace("2026-11-26T06:00:00.000Z", "2026-11-26T01:00:00-05:00");
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
}

#[test]
fn error_oauth_required_for_oauth_integrations() {
    let emulator = Emulator::start();
    for (id, context) in [
        ("google_gmail", "member"),
        ("slack", "organization"),
        ("shopify", "organization"),
    ] {
        let body = create_body(&emulator, id, context, "", &[("TOKEN", "t")]);
        assert_error(
            &emulator.post(CREATE, Some(OWNER), &body),
            400,
            "OAUTH_REQUIRED",
        );
    }
}

#[test]
fn error_missing_required_fields_names_them() {
    let emulator = Emulator::start();
    let body = create_body(
        &emulator,
        "postgres",
        "process_instance",
        ",\"processInstanceId\":\"pi_acme_dev\"",
        &[
            ("POSTGRES_HOST", "h"),
            ("POSTGRES_PORT", "5432"),
            ("POSTGRES_DATABASE", "d"),
            ("POSTGRES_PASSWORD", "p"),
        ],
    );
    let reply = emulator.post(CREATE, Some(OWNER), &body);
    assert_error(&reply, 400, "MISSING_REQUIRED_FIELDS");
    let message = str_at(field(&reply.body, "error"), "message");
    assert!(
        message.contains("POSTGRES_USER") && !message.contains("POSTGRES_SSL"),
        "{message}"
    );
    // The optional field may be absent; an empty value counts as present.
    let body = create_body(
        &emulator,
        "postgres",
        "process_instance",
        ",\"processInstanceId\":\"pi_acme_dev\"",
        &[
            ("POSTGRES_HOST", "h"),
            ("POSTGRES_PORT", "5432"),
            ("POSTGRES_DATABASE", "d"),
            ("POSTGRES_USER", ""),
            ("POSTGRES_PASSWORD", "p"),
        ],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
}

#[test]
fn error_decryption_failed_never_echoes_the_value() {
    let emulator = Emulator::start();
    let body = format!(
        "{{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{}}}",
        secrets_json(&[(
            "OPENAI_API_KEY",
            "sk-live-plaintext-sent-by-mistake".to_string()
        )])
    );
    let reply = emulator.post(CREATE, Some(OWNER), &body);
    assert_error(&reply, 400, "DECRYPTION_FAILED");
    assert!(str_at(field(&reply.body, "error"), "message").contains("OPENAI_API_KEY"));
    assert!(!reply.text.contains("sk-live"));
}

#[test]
fn error_stale_public_key() {
    let emulator = Emulator::start();
    let pem = emulator.public_pem();
    let sealed = envelopes::hpke_with_kid(&pem, "0123456789abcdef", "OPENAI_API_KEY", "v");
    let body = format!(
        "{{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{}}}",
        secrets_json(&[("OPENAI_API_KEY", sealed)])
    );
    assert_error(
        &emulator.post(CREATE, Some(OWNER), &body),
        400,
        "STALE_PUBLIC_KEY",
    );
}

fn custom_schema(id: &str, extra: &str) -> String {
    format!(
        r#"{{"id":"{id}","name":"Acme CRM","contextType":"process_instance","n8nCredentialType":"httpHeaderAuth",
        "n8nCredentialMapping":{{"API_KEY":"value"}},"secretFields":[{{"key":"API_KEY","label":"API key","type":"password"}}]{extra}}}"#
    )
}

#[test]
fn custom_integrations_store_their_schema() {
    let emulator = Emulator::start();
    let extra = format!(
        ",\"processInstanceId\":\"pi_acme_dev\",\"customIntegrationSchema\":{}",
        custom_schema("cstm_acme_crm", "")
    );
    let body = create_body(
        &emulator,
        "cstm_acme_crm",
        "process_instance",
        &extra,
        &[("API_KEY", "acme_sk")],
    );
    let reply = emulator.post(CREATE, Some(OWNER), &body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let stored = &emulator.stored("cstm_acme_crm")[0];
    assert_eq!(
        str_at(field(stored, "customIntegrationSchema"), "name"),
        "Acme CRM"
    );
    let listed = emulator.post(LIST, Some(OWNER), "{\"processInstanceId\":\"pi_acme_dev\"}");
    let entry = &items(field(data(&listed), "integrations"))[0];
    assert_eq!(str_at(field(entry, "customSchema"), "id"), "cstm_acme_crm");

    // n8nCredentialType "none": no n8n credential.
    let none = custom_schema("cstm_plain", "").replace("\"httpHeaderAuth\"", "\"none\"");
    let extra = format!(",\"customIntegrationSchema\":{none}");
    let body = create_body(
        &emulator,
        "cstm_plain",
        "organization",
        &extra,
        &[("API_KEY", "x")],
    );
    let reply = emulator.post(CREATE, Some(OWNER), &body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(!has(data(&reply), "n8nCredentialId"));
    let listed = emulator.post(LIST, Some(OWNER), "{}");
    assert!(!has(
        &items(field(data(&listed), "integrations"))[0],
        "n8nCredentialId"
    ));
}

#[test]
fn error_invalid_custom_schema() {
    let emulator = Emulator::start();
    let cases = [
        String::new(),
        format!(
            ",\"customIntegrationSchema\":{}",
            custom_schema("cstm_other", "")
        ),
        ",\"customIntegrationSchema\":[]".to_string(),
        format!(
            ",\"customIntegrationSchema\":{}",
            custom_schema("cstm_acme_crm", "")
                .replace("\"API_KEY\",\"label\"", "\"api_key\",\"label\"")
        ),
        format!(
            ",\"customIntegrationSchema\":{}",
            custom_schema("cstm_acme_crm", "").replace("{\"API_KEY\":\"value\"}", "{}")
        ),
        format!(
            ",\"customIntegrationSchema\":{}",
            custom_schema("cstm_acme_crm", "").replace("\"process_instance\"", "\"team\"")
        ),
    ];
    for extra in cases {
        let body = create_body(
            &emulator,
            "cstm_acme_crm",
            "organization",
            &extra,
            &[("API_KEY", "v")],
        );
        assert_error(
            &emulator.post(CREATE, Some(OWNER), &body),
            400,
            "INVALID_CUSTOM_SCHEMA",
        );
    }
    // A required custom secret field that is not sent.
    let extra = format!(
        ",\"customIntegrationSchema\":{}",
        custom_schema("cstm_acme_crm", "")
    );
    let body = create_body(
        &emulator,
        "cstm_acme_crm",
        "organization",
        &extra,
        &[("OTHER", "v")],
    );
    assert_error(
        &emulator.post(CREATE, Some(OWNER), &body),
        400,
        "MISSING_REQUIRED_FIELDS",
    );
}

#[test]
fn error_process_instance_not_found_hides_other_organizations() {
    let emulator = Emulator::start();
    for instance in ["pi_nope", "pi_globex_dev"] {
        let extra = format!(",\"processInstanceId\":\"{instance}\"");
        let body = create_body(
            &emulator,
            "supabase",
            "process_instance",
            &extra,
            &[("SUPABASE_HOST", "h"), ("SUPABASE_SERVICE_ROLE_KEY", "k")],
        );
        let create = emulator.post(CREATE, Some(OWNER), &body);
        assert_error(&create, 404, "PROCESS_INSTANCE_NOT_FOUND");
        let list = emulator.post(
            LIST,
            Some(OWNER),
            &format!("{{\"processInstanceId\":\"{instance}\"}}"),
        );
        assert_error(&list, 404, "PROCESS_INSTANCE_NOT_FOUND");
        let delete = emulator.post(
            DELETE,
            Some(OWNER),
            &delete_body("supabase", "process_instance", &extra, false),
        );
        assert_error(&delete, 404, "PROCESS_INSTANCE_NOT_FOUND");
        // Same message either way: nothing tells the two apart.
        let message = |reply: &Reply| str_at(field(&reply.body, "error"), "message").to_string();
        assert_eq!(message(&create), message(&list));
        assert_eq!(message(&create), message(&delete));
    }
}

#[test]
fn error_credential_type_not_found() {
    let emulator = Emulator::start();
    let reply = emulator.get("/getcredentialschemapublic?type=noSuchApi", Some(OWNER));
    assert_error(&reply, 404, "CREDENTIAL_TYPE_NOT_FOUND");
}

#[test]
fn error_not_found_for_unknown_paths() {
    let emulator = Emulator::start();
    for path in [
        "/",
        "/createintegration",
        "/v1/createintegrationpublic",
        "/encryption/public.pem/x",
    ] {
        assert_error(&emulator.post(path, Some(OWNER), "{}"), 404, "NOT_FOUND");
    }
}

#[test]
fn error_method_not_allowed_on_known_paths() {
    let emulator = Emulator::start();
    for path in [CREATE, DELETE, LIST, VERIFY] {
        assert_error(&emulator.get(path, Some(OWNER)), 405, "METHOD_NOT_ALLOWED");
    }
    assert_error(
        &emulator.post("/getcredentialschemapublic?type=openAiApi", Some(OWNER), ""),
        405,
        "METHOD_NOT_ALLOWED",
    );
    assert_error(
        &emulator.post("/encryption/public.pem", None, ""),
        405,
        "METHOD_NOT_ALLOWED",
    );
}

#[test]
fn error_internal_when_a_change_cannot_be_saved() {
    let dir = scratch("internal");
    let state = dir.path().join("state.json");
    let emulator = Emulator::with_args(&["--state", state.to_str().unwrap()]);
    // The state's folder goes away under the running emulator.
    dir.close().unwrap();
    let reply = set_openai(&emulator, "sk-never-in-errors");
    assert_error(&reply, 500, "INTERNAL");
    assert!(!reply.text.contains("sk-never"));
    // Nothing was acknowledged, and nothing changed.
    assert!(emulator.stored("openai").is_empty());
}

#[test]
fn path_prefix_serves_the_api_under_it() {
    let emulator = Emulator::with_args(&["--prefix", "/v1/"]);
    assert!(emulator.base.ends_with("/v1"));
    assert_eq!(
        str_at(data(&emulator.post(VERIFY, Some(OWNER), "")), "keyName"),
        "emulator-owner"
    );
    assert!(
        emulator
            .public_pem()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let root = emulator.base.trim_end_matches("/v1");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let outside = agent
        .post(&format!("{root}/verifyapikey"))
        .header("X-Process-Manager-Key", OWNER)
        .send("")
        .unwrap();
    assert_eq!(outside.status().as_u16(), 404);
}

#[test]
fn reset_goes_back_to_the_seed() {
    let emulator = Emulator::start();
    set_openai(&emulator, "v");
    emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("openai", "organization", "", true),
    );
    let reply = emulator.post("/_emulator/reset", None, "");
    assert_eq!(reply.status, 200, "{}", reply.text);
    let dump = emulator.dump();
    assert!(items(field(&dump, "integrations")).is_empty());
    let active: Vec<bool> = items(field(&dump, "processInstances"))
        .iter()
        .map(|p| bool_at(p, "active"))
        .collect();
    assert_eq!(active, [true, true, false, true]);
}

#[test]
fn integration_ids_of_64_characters_are_accepted() {
    let emulator = Emulator::start();
    let id = format!("a{}", "b".repeat(63));
    let body = create_body(&emulator, &id, "organization", "", &[("TOKEN", "v")]);
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
}

#[test]
fn member_integrations_are_the_calling_members_own() {
    let temp = scratch("members");
    let seed = temp.path().join("seed.json");
    std::fs::write(
        &seed,
        r#"{"apiKeys":[
            {"key":"cko_alice","organizationId":"org_acme","memberId":"mem_alice","keyName":"alice","scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z"},
            {"key":"cko_bob","organizationId":"org_acme","memberId":"mem_bob","keyName":"bob","scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z"}],
          "organizations":[{"id":"org_acme","name":"Acme Corp"}],
          "processInstances":[{"processInstanceId":"pi_x","organizationId":"org_acme","title":"X","active":true,"integrationUids":["anthropic"]}],
          "integrations":[],"nextCredentialNumber":1}"#,
    )
    .unwrap();
    let emulator = Emulator::with_args(&["--seed", seed.to_str().unwrap()]);
    let member = create_body(
        &emulator,
        "anthropic",
        "member",
        "",
        &[("ANTHROPIC_API_KEY", "alice's")],
    );
    assert_eq!(
        emulator.post(CREATE, Some("cko_alice"), &member).status,
        201
    );
    let bob_member = create_body(
        &emulator,
        "anthropic",
        "member",
        "",
        &[("ANTHROPIC_API_KEY", "bob's")],
    );
    assert_eq!(
        emulator.post(CREATE, Some("cko_bob"), &bob_member).status,
        201,
        "bob's is another integration"
    );
    let org = create_body(
        &emulator,
        "openai",
        "organization",
        "",
        &[("OPENAI_API_KEY", "shared")],
    );
    assert_eq!(emulator.post(CREATE, Some("cko_alice"), &org).status, 201);

    let listed = |key: &str| -> Vec<(String, String)> {
        let reply = emulator.post(LIST, Some(key), "{}");
        items(field(data(&reply), "integrations"))
            .iter()
            .map(|i| {
                (
                    str_at(i, "integrationId").to_string(),
                    str_at(i, "connectedBy").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        listed("cko_alice"),
        [
            ("openai".into(), "alice".into()),
            ("anthropic".into(), "alice".into())
        ]
    );
    assert_eq!(
        listed("cko_bob"),
        [
            ("openai".into(), "alice".into()),
            ("anthropic".into(), "bob".into())
        ]
    );

    // A member integration's dependents are the organization's instances that use it.
    let pending = emulator.post(
        DELETE,
        Some("cko_bob"),
        &delete_body("anthropic", "member", "", false),
    );
    assert_eq!(
        u64_at(
            field(field(&pending.body, "data"), "pendingDeactivations"),
            "count"
        ),
        1
    );
    let deleted = emulator.post(
        DELETE,
        Some("cko_bob"),
        &delete_body("anthropic", "member", "", true),
    );
    assert_eq!(u64_at(data(&deleted), "deactivatedCount"), 1);
    assert_eq!(
        listed("cko_alice").len(),
        2,
        "alice's member integration is untouched"
    );
}

#[test]
fn inactive_instances_are_never_dependents() {
    let emulator = Emulator::start();
    let extra = ",\"processInstanceId\":\"pi_acme_paused\"";
    let body = create_body(
        &emulator,
        "postgres",
        "process_instance",
        extra,
        &[
            ("POSTGRES_HOST", "h"),
            ("POSTGRES_PORT", "1"),
            ("POSTGRES_DATABASE", "d"),
            ("POSTGRES_USER", "u"),
            ("POSTGRES_PASSWORD", "p"),
        ],
    );
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
    let pending = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("postgres", "process_instance", extra, false),
    );
    assert_eq!(
        u64_at(
            field(field(&pending.body, "data"), "pendingDeactivations"),
            "count"
        ),
        0
    );
    let deleted = emulator.post(
        DELETE,
        Some(OWNER),
        &delete_body("postgres", "process_instance", extra, true),
    );
    assert_eq!(u64_at(data(&deleted), "deactivatedCount"), 0);
    assert!(emulator.stored("postgres").is_empty());
}

#[test]
fn concurrent_creates_of_one_integration_make_one() {
    let emulator = Emulator::start();
    let bodies: Vec<String> = (0..8)
        .map(|n| {
            create_body(
                &emulator,
                "openai",
                "organization",
                "",
                &[("OPENAI_API_KEY", &format!("v{n}"))],
            )
        })
        .collect();
    let base = emulator.base.clone();
    let threads: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let url = format!("{base}{CREATE}");
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut response = agent
                    .post(&url)
                    .header("X-Process-Manager-Key", OWNER)
                    .send(&body)
                    .unwrap();
                let status = response.status().as_u16();
                (
                    status,
                    parse(&response.body_mut().read_to_string().unwrap()),
                )
            })
        })
        .collect();
    let results: Vec<(u16, miniserde::json::Value)> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        results.iter().filter(|(status, _)| *status == 201).count(),
        1
    );
    assert_eq!(
        results.iter().filter(|(status, _)| *status == 200).count(),
        7
    );
    let ids: Vec<&str> = results
        .iter()
        .map(|(_, body)| str_at(field(body, "data"), "n8nCredentialId"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(emulator.stored("openai").len(), 1);
}

#[test]
fn has_valid_tokens_false_from_cli_metadata_is_honoured() {
    let emulator = Emulator::start();
    let body = create_body(
        &emulator,
        "openai",
        "organization",
        "",
        &[("OPENAI_API_KEY", "v")],
    )
    .replace("\"hasValidTokens\":true", "\"hasValidTokens\":\"false\"");
    assert_eq!(emulator.post(CREATE, Some(OWNER), &body).status, 201);
    let listed = emulator.post(LIST, Some(OWNER), "{}");
    assert!(!bool_at(
        &items(field(data(&listed), "integrations"))[0],
        "hasValidTokens"
    ));
}
