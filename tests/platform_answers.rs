/*!
Platform answers are decoded into the shape of their endpoint (issue 18 §3):
one of the protocol's bodies that does not have that shape is exit 1,
"unexpected answer from the platform (what was wrong)", never a success and
never "nothing connected". The emulator is made to answer each body
(`POST /_emulator/answer`); everything else it answers as usual. And
`--json` documents escape what a terminal would act on, as human output does.
*/

mod support;

use std::path::Path;
use support::*;

const LIST: &str = "/listintegrationspublic";
const DELETE: &str = "/deleteintegrationpublic";
const CREATE: &str = "/createintegrationpublic";
const VERIFY: &str = "/verifyapikey";
const SCHEMA: &str = "/getcredentialschemapublic";

/// Exit 1 with the message naming what was wrong, on stderr and in the
/// `--json` error document; no success said.
#[track_caller]
fn unexpected(cli: &Cli, args: &[&str], what: &str) {
    let human = cli.run(args);
    human
        .fails(1, "unexpected answer from the platform (")
        .fails(1, &format!("{what})"));
    assert!(!human.stdout.contains('✓'), "no success: {}", human.stdout);
    assert!(
        !human.stdout.contains("No connected"),
        "not empty: {}",
        human.stdout
    );
    let json = cli.run(&[args, &["--json"]].concat());
    json.assert_code(1);
    assert_json_error(&json, "UNEXPECTED_RESPONSE");
    let message = str_at(field(&json.json(), "error"), "message").to_string();
    assert!(message.contains(what), "{}", json.stdout);
}

#[test]
fn a_list_answered_with_null_data_is_not_an_empty_list() {
    let platform = Platform::start();
    platform.answer(LIST, r#"{"success":true,"data":null}"#);
    let cli = Cli::owner(&platform);
    unexpected(
        &cli,
        &["integration", "list"],
        "/listintegrationspublic: data is null, not an object",
    );
    // Under check it is not "missing" (exit 2) either.
    let use_case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/use_cases/invoice_assistant");
    unexpected(
        &cli,
        &["integration", "check", "--path", use_case.to_str().unwrap()],
        "data is null, not an object",
    );
}

#[test]
fn a_list_item_of_the_wrong_shape_is_named() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for (items, what) in [
        (
            r#"[{"integrationId":"openai","contextType":"organization","connected":"yes"}]"#,
            "data.integrations[0].connected is a string, not a boolean",
        ),
        (
            r#"[{"integrationId":"openai","connected":true}]"#,
            "data.integrations[0].contextType is missing",
        ),
        (
            r#"{"openai":{}}"#,
            "data.integrations is an object, not an array",
        ),
    ] {
        platform.answer(
            LIST,
            &format!(r#"{{"success":true,"data":{{"integrations":{items}}}}}"#),
        );
        unexpected(&cli, &["integration", "list"], what);
    }
    platform.answer(LIST, r#"{"success":true,"data":{}}"#);
    unexpected(
        &cli,
        &["integration", "list"],
        "data.integrations is missing",
    );
}

#[test]
fn an_unconfirmed_delete_answered_as_done_deletes_nothing_said() {
    let platform = Platform::start();
    platform.answer(
        DELETE,
        r#"{"success":true,"data":{"message":"deleted","deactivatedCount":0}}"#,
    );
    let cli = Cli::owner(&platform);
    let what =
        "a delete without confirmDeletion was answered as done, not with what it would deactivate";
    unexpected(&cli, &["integration", "delete", "openai"], what);
    let run = cli.integration("delete", &["openai"]);
    assert!(
        !run.stdout.contains("deleted successfully"),
        "{}",
        run.stdout
    );
    // The dry run reads the same answer: not a plan.
    unexpected(
        &cli,
        &["integration", "delete", "openai", "--dry-run"],
        what,
    );
}

#[test]
fn a_confirmed_delete_answered_pending_or_empty_is_an_error() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // -q: without it a confirmed delete first asks, unconfirmed, what it
    // will deactivate (to print the activate commands), which the same
    // canned body answers first.
    platform.answer(DELETE, r#"{"success":true,"data":"gone"}"#);
    unexpected(
        &cli,
        &["integration", "delete", "openai", "--confirm", "-q"],
        "data is a string, not an object",
    );
    platform.answer(
        DELETE,
        r#"{"success":true,"data":{"deactivatedCount":"two"}}"#,
    );
    unexpected(
        &cli,
        &["integration", "delete", "openai", "--confirm", "-q"],
        "data.deactivatedCount is a string, not a number",
    );
}

#[test]
fn a_create_answered_with_null_data_is_not_an_update() {
    let platform = Platform::start();
    platform.answer(CREATE, r#"{"success":true,"data":null}"#);
    let cli = Cli::owner(&platform);
    let set = [
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-answers",
    ];
    unexpected(
        &cli,
        &set,
        "/createintegrationpublic: data is null, not an object",
    );
    let run = cli.run(&set);
    assert!(!run.stdout.contains("successfully"), "{}", run.stdout);
    platform.answer(CREATE, r#"{"success":true,"data":{"n8nCredentialId":17}}"#);
    unexpected(&cli, &set, "data.n8nCredentialId is a number, not a string");
}

#[test]
fn a_key_verified_with_null_data_is_not_logged_in() {
    let platform = Platform::start();
    platform.answer(VERIFY, r#"{"success":true,"data":null}"#);
    let cli = Cli::new(&platform);
    let login = ["login", "--api-key", OWNER, "--base-url", &platform.base];
    unexpected(&cli, &login, "/verifyapikey: data is null, not an object");
    assert!(!cli.config_path().exists(), "nothing saved");
    cli.env("CODIKA_API_KEY", OWNER);
    unexpected(&cli, &["whoami"], "data is null, not an object");
    platform.answer(
        VERIFY,
        r#"{"success":true,"data":{"organizationId":"org_acme","scopes":"integrations:manage"}}"#,
    );
    unexpected(&cli, &["whoami"], "data.scopes is a string, not an array");
}

#[test]
fn a_schema_answered_with_null_data_is_an_error() {
    let platform = Platform::start();
    platform.answer(SCHEMA, r#"{"success":true,"data":null}"#);
    let cli = Cli::owner(&platform);
    unexpected(
        &cli,
        &["integration", "schema", "openAiApi"],
        "/getcredentialschemapublic: data is null, not an object",
    );
    platform.answer(
        SCHEMA,
        r#"{"success":true,"data":{"type":"object","properties":{"apiKey":{"type":"string"}},"required":[1]}}"#,
    );
    unexpected(
        &cli,
        &["integration", "schema", "openAiApi"],
        "data.required[0] is a number, not a string",
    );
}

#[test]
fn json_documents_escape_c1_controls_and_bidi_overrides() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // Raw characters in the platform's text (not JSON escapes).
    let evil = "a\u{9b}31m\u{202e}b\u{2066}c\u{85}";
    platform.answer(
        LIST,
        &format!(
            r#"{{"success":true,"data":{{"integrations":[{{"integrationId":"openai","contextType":"organization","connected":true,"connectedBy":"{evil}"}}]}},"requestId":"r"}}"#
        ),
    );
    let run = cli.integration("list", &["--json"]);
    run.assert_code(0);
    for c in ['\u{9b}', '\u{202e}', '\u{2066}', '\u{85}'] {
        assert!(!run.stdout.contains(c), "{c:?} raw in {}", run.stdout);
    }
    assert!(
        run.stdout.contains(r"a\u009b31m\u202eb\u2066c\u0085"),
        "{}",
        run.stdout
    );
    // The same text, for a parser.
    let body = run.json();
    let item = &items(field(field(&body, "data"), "integrations"))[0];
    assert_eq!(str_at(item, "connectedBy"), evil);
    // The human table escapes them as it always did.
    let human = cli.integration("list", &[]);
    human.assert_code(0);
    assert!(!human.stdout.contains('\u{9b}'), "{}", human.stdout);

    // A platform error passed through as received is escaped too.
    platform.answer(
        LIST,
        &format!(r#"{{"success":false,"error":{{"code":"INTERNAL","message":"{evil}"}}}}"#),
    );
    let run = cli.integration("list", &["--json"]);
    run.assert_code(1);
    assert!(!run.stdout.contains('\u{9b}'), "{}", run.stdout);
    assert!(run.stdout.contains(r"\u009b31m"), "{}", run.stdout);
    assert_eq!(str_at(field(&run.json(), "error"), "message"), evil);
}

#[test]
fn answers_of_the_right_shape_still_work_after_a_reset() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(LIST, r#"{"success":true,"data":null}"#);
    cli.integration("list", &[]).assert_code(1);
    platform.reset();
    cli.integration("list", &[])
        .says("No connected integrations found");
}

const ACTIVATE: &str = "/activateprocessinstancepublic";
const DEACTIVATE: &str = "/deactivateprocessinstancepublic";
const RERUN: &str = "/redeploydeploymentinstancepublic";
const GET_INSTANCE: &str = "/getprocessinstancepublic";

/// A use case of the seed's organization (instance pi_acme_dev) whose
/// config.ts declares `ids` at the top level.
fn use_case_declaring(dir: &TempDir, ids: &[&str]) -> String {
    let uc = use_case(dir, "uc");
    let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    dir.write(
        "uc/config.ts",
        &format!(
            "export function getConfiguration() {{ return {{ integrationUids: [{}] }}; }}\n",
            list.join(", ")
        ),
    );
    uc.to_str().unwrap().to_string()
}

/// A list answer holding `items` (JSON objects' text).
fn listing(items: &[String]) -> String {
    format!(
        r#"{{"success":true,"data":{{"integrations":[{}]}},"requestId":"r"}}"#,
        items.join(",")
    )
}

fn item(id: &str, connected: bool, connected_at: &str) -> String {
    format!(
        r#"{{"integrationId":"{id}","contextType":"organization","connected":{connected},"connectedAt":"{connected_at}"}}"#
    )
}

#[test]
fn a_non_2xx_answer_saying_success_is_an_error_on_every_endpoint() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let set = [
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-answers",
    ];
    for (status, reason) in [
        (400, "400 Bad Request"),
        (403, "403 Forbidden"),
        (500, "500 Internal Server Error"),
        (302, "302 Found"),
        (503, "503 Service Unavailable"),
    ] {
        let what = format!("HTTP {reason} with success: true");
        platform.answer_with(
            CREATE,
            status,
            r#"{"success":true,"data":{"integrationId":"openai","n8nCredentialId":"n8n_x"}}"#,
        );
        unexpected(&cli, &set, &format!("/createintegrationpublic: {what}"));
        platform.answer_with(
            LIST,
            status,
            r#"{"success":true,"data":{"integrations":[]}}"#,
        );
        unexpected(&cli, &["integration", "list"], &what);
        let json = cli.integration("list", &["--json"]);
        assert!(
            !json.stdout.contains(r#""success": true"#),
            "{}",
            json.stdout
        );
    }
    // Every other endpoint, through the same decoding (delete reads the
    // list first: back to a true one, with openai there to delete).
    platform.reset();
    cli.set_openai("sk-answers", &[]).assert_code(0);
    for (path, body, args) in [
        (
            SCHEMA,
            r#"{"success":true,"data":{"type":"object","properties":{},"required":[]}}"#,
            &["integration", "schema", "openAiApi"][..],
        ),
        (
            VERIFY,
            r#"{"success":true,"data":{"organizationId":"org_acme"}}"#,
            &["whoami"][..],
        ),
        (
            DELETE,
            r#"{"success":true,"data":{"deactivatedCount":0}}"#,
            &["integration", "delete", "openai", "--confirm", "-q"][..],
        ),
        (
            ACTIVATE,
            r#"{"success":true,"data":{"processInstanceId":"pi_acme_dev","isActive":true,"workflowCount":2}}"#,
            &["instance", "activate", "pi_acme_dev"][..],
        ),
        (
            RERUN,
            r#"{"success":true,"data":{"deploymentStatus":"deployed","deploymentInstanceId":"di","n8nWorkflowIds":[]}}"#,
            &[
                "rerun",
                "deployment",
                "--process-instance-id",
                "pi_acme_dev",
                "--force",
            ][..],
        ),
    ] {
        platform.answer_with(path, 500, body);
        unexpected(
            &cli,
            args,
            &format!("{path}: HTTP 500 Internal Server Error with success: true"),
        );
    }
}

#[test]
fn a_non_2xx_keeps_its_error_envelope_or_its_status() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer_with(
        LIST,
        500,
        r#"{"success":false,"error":{"code":"INTERNAL","message":"boom"}}"#,
    );
    let run = cli.integration("list", &["--json"]);
    assert_json_error(run.assert_code(1), "INTERNAL");
    platform.answer_with(LIST, 500, r#"{"data":{"integrations":[]}}"#);
    let run = cli.integration("list", &["--json"]);
    assert_json_error(run.assert_code(1), "HTTP_500");
    platform.reset();
    cli.set_openai("sk-answers", &[]).assert_code(0);
    // A pending delete counts with any status (protocol §1): the dry run
    // of a confirmed delete is one the real command would attempt.
    platform.answer_with(
        DELETE,
        409,
        r#"{"success":false,"data":{"message":"m","pendingDeactivations":{"count":0,"processes":[]}}}"#,
    );
    cli.integration("delete", &["openai", "--dry-run", "--confirm"])
        .assert_code(0);
}

#[test]
fn list_and_check_agree_on_an_entry_not_connected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        LIST,
        &listing(&[
            item("openai", true, "2026-12-06T09:21:28.494Z"),
            item("anthropic", false, "2026-12-06T09:21:28.494Z"),
        ]),
    );
    let run = cli.integration("list", &[]);
    run.assert_code(0);
    let row = run
        .stdout
        .lines()
        .find(|l| l.contains("anthropic"))
        .unwrap_or_default();
    assert!(
        row.contains(" no") && !row.contains("2026"),
        "{}",
        run.stdout
    );
    run.says("Total: 1 connected integration(s), 1 not connected");
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai", "anthropic"]);
    let check = cli.integration("check", &["--path", &uc]);
    check.assert_code(2);
    let row = check
        .stdout
        .lines()
        .find(|l| l.contains("anthropic"))
        .unwrap_or_default();
    assert!(row.contains("missing"), "{}", check.stdout);
}

#[test]
fn a_list_entry_of_an_unknown_context_is_unexpected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        LIST,
        &listing(&[
            item("openai", true, "2026-12-06T09:21:28.494Z"),
            r#"{"integrationId":"supabase","contextType":"weird","connected":true}"#.into(),
        ]),
    );
    let what = r#"data.integrations[1].contextType is "weird", not organization, member or process_instance"#;
    unexpected(&cli, &["integration", "list"], what);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"]);
    unexpected(&cli, &["integration", "check", "--path", &uc], what);
}

#[test]
fn dates_from_the_platform_must_be_timestamps() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for bad in [
        "yesterday",
        "2026-02-30T00:00:00Z",
        "2026-12-06T25:00:00Z",
        "+275760-09-13T00:00:00.000Z",
        "2026-12-06",
    ] {
        platform.answer(LIST, &listing(&[item("openai", true, bad)]));
        unexpected(
            &cli,
            &["integration", "list"],
            &format!("data.integrations[0].connectedAt is \"{bad}\", not an ISO 8601 timestamp"),
        );
    }
    platform.answer(
        VERIFY,
        r#"{"success":true,"data":{"organizationId":"org_acme","organizationName":"Acme","keyName":"k","keyPrefix":"cko_emu","scopes":[],"type":"org-api-key","expiresAt":"not-a-date"}}"#,
    );
    unexpected(
        &cli,
        &["whoami"],
        "data.expiresAt is \"not-a-date\", not an ISO 8601 timestamp",
    );
    // login saves nothing it could not read.
    let fresh = Cli::new(&platform);
    let login = ["login", "--api-key", OWNER, "--base-url", &platform.base];
    unexpected(&fresh, &login, "not an ISO 8601 timestamp");
    assert!(!fresh.config_path().exists(), "nothing saved");
}

#[test]
fn an_offset_is_applied_to_the_date_shown_and_the_age() {
    use codika_common::clock;
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // 02:00 UTC today, written as 21:00 the day before at -05:00.
    let now = clock::now_unix_millis();
    let at = now - now.rem_euclid(86_400_000) + 7_200_000;
    let local = clock::iso_from_unix_millis(at - 5 * 3_600_000).replace('Z', "-05:00");
    platform.answer(LIST, &listing(&[item("openai", true, &local)]));
    let run = cli.integration("list", &[]);
    run.assert_code(0);
    let today = clock::iso_from_unix_millis(at)[..10].to_string();
    let row = run
        .stdout
        .lines()
        .find(|l| l.contains("openai"))
        .unwrap_or_default();
    assert!(row.contains(&today), "{today} not in {row:?}");
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"]);
    let check = cli.integration("check", &["--path", &uc, "--max-age", "1"]);
    check.assert_code(0);
    assert!(
        check.stdout.contains(&format!("✓ connected {today}")),
        "{}",
        check.stdout
    );
}

#[test]
fn a_connection_dated_in_the_future_is_not_fresh_for_ever() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        LIST,
        &listing(&[item("openai", true, "9999-12-31T23:59:59.000Z")]),
    );
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"]);
    let check = cli.integration("check", &["--path", &uc, "--max-age", "30"]);
    check.assert_code(2);
    assert!(
        check
            .stdout
            .contains("⚠ stale: connected 9999-12-31, a date in the future"),
        "{}",
        check.stdout
    );
    // Without --max-age the date does not matter.
    cli.integration("check", &["--path", &uc]).assert_code(0);
}

#[test]
fn instance_answers_must_say_the_state_and_instance_asked_for() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        DEACTIVATE,
        r#"{"success":true,"data":{"processInstanceId":"pi_acme_dev","isActive":true,"workflowCount":2}}"#,
    );
    unexpected(
        &cli,
        &["instance", "deactivate", "pi_acme_dev"],
        "data.isActive is true after a request to deactivate",
    );
    platform.answer(
        ACTIVATE,
        r#"{"success":true,"data":{"processInstanceId":"pi_acme_dev","isActive":false,"workflowCount":2}}"#,
    );
    unexpected(
        &cli,
        &["instance", "activate", "pi_acme_dev"],
        "data.isActive is false after a request to activate",
    );
    platform.answer(
        ACTIVATE,
        r#"{"success":true,"data":{"processInstanceId":"pi_other","isActive":true,"workflowCount":2}}"#,
    );
    unexpected(
        &cli,
        &["instance", "activate", "pi_acme_dev"],
        "data.processInstanceId is \"pi_other\", not the instance asked about",
    );
    // The real answers still work.
    platform.reset();
    cli.run(&["instance", "deactivate", "pi_acme_dev"])
        .assert_code(0);
    cli.run(&["instance", "activate", "pi_acme_dev"])
        .assert_code(0);
}

#[test]
fn a_rerun_answer_that_contradicts_itself_is_unexpected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let rerun = [
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--force",
    ];
    platform.answer(
        RERUN,
        r#"{"success":true,"data":{"deploymentStatus":"deployed","deploymentInstanceId":"di","n8nWorkflowIds":[],"missingIntegrations":["openai"]}}"#,
    );
    unexpected(
        &cli,
        &rerun,
        "data.deploymentStatus is \"deployed\" while data.missingIntegrations names integrations",
    );
    platform.answer(
        RERUN,
        r#"{"success":true,"data":{"deploymentStatus":"deployed","deploymentInstanceId":"","n8nWorkflowIds":[]}}"#,
    );
    unexpected(&cli, &rerun, "data.deploymentInstanceId is empty");
}

#[test]
fn a_schema_answer_without_a_schema_shape_is_unexpected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let schema = ["integration", "schema", "openAiApi"];
    for (data, what) in [
        ("{}", "data.type is missing"),
        (r#"{"integrations":[]}"#, "data.type is missing"),
        (r#"{"type":5}"#, "data.type is a number, not a string"),
        (
            r#"{"type":"openAiApi","properties":{},"required":[]}"#,
            r#"data.type is "openAiApi", not "object""#,
        ),
        (
            r#"{"type":"object","properties":null,"required":[]}"#,
            "data.properties is missing",
        ),
        (
            r#"{"type":"object","properties":{"apiKey":{"type":"string"}}}"#,
            "data.required is missing",
        ),
        (
            r#"{"type":"object","properties":{"apiKey":{}},"required":[]}"#,
            "data.properties.apiKey.type is missing",
        ),
        (
            r#"{"type":"object","properties":{},"required":[],"additionalProperties":"no"}"#,
            "data.additionalProperties is a string, not a boolean",
        ),
    ] {
        platform.answer(SCHEMA, &format!(r#"{{"success":true,"data":{data}}}"#));
        unexpected(&cli, &schema, what);
    }
    platform.reset();
    cli.run(&schema).says("apiKey: string");
}

#[test]
fn a_pending_delete_whose_count_disagrees_with_its_list_is_unexpected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        DELETE,
        r#"{"success":false,"data":{"message":"m","pendingDeactivations":{"count":2,"processes":[]}}}"#,
    );
    unexpected(
        &cli,
        &["integration", "delete", "openai"],
        "data.pendingDeactivations.count is 2, but its processes list 0",
    );
}

#[test]
fn check_json_carries_the_deployment_status_warning() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-answers", &[]).assert_code(0);
    platform.answer(GET_INSTANCE, r#"{"success":true,"data":{"deployment":5}}"#);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"]);
    let run = cli.integration("check", &["--path", &uc, "--json"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("could not read the deployment status of pi_acme_dev"),
        "{}",
        run.stderr
    );
    let body = run.json();
    let warnings = items(field(field(&body, "data"), "warnings"));
    assert!(
        warnings
            .iter()
            .any(|w| matches!(w, miniserde::json::Value::String(s)
            if s.contains("could not read the deployment status of pi_acme_dev"))),
        "{}",
        run.stdout
    );
    // Said once to a human.
    let human = cli.integration("check", &["--path", &uc]);
    assert_eq!(
        human
            .stderr
            .matches("could not read the deployment status")
            .count(),
        1,
        "{}",
        human.stderr
    );
}

#[test]
fn an_answer_about_another_integration_or_instance_is_unexpected() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    platform.answer(
        CREATE,
        r#"{"success":true,"data":{"integrationId":"anthropic","n8nCredentialId":"n8n_x"}}"#,
    );
    unexpected(
        &cli,
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-answers",
        ],
        r#"data.integrationId is "anthropic", not "openai""#,
    );
    platform.answer(
        DELETE,
        r#"{"success":true,"data":{"contextType":"member","deactivatedCount":0}}"#,
    );
    unexpected(
        &cli,
        &["integration", "delete", "openai", "--confirm", "-q"],
        r#"data.contextType is "member", not "organization""#,
    );
    // A list asked about one instance holding another's integration.
    platform.answer(
        LIST,
        &listing(&[
            r#"{"integrationId":"supabase","contextType":"process_instance","processInstanceId":"pi_other","connected":true}"#
                .into(),
        ]),
    );
    unexpected(
        &cli,
        &[
            "integration",
            "list",
            "--process-instance-id",
            "pi_acme_dev",
        ],
        r#"data.integrations[0] is a process instance's integration, and its processInstanceId is "pi_other", not the instance asked about"#,
    );
    unexpected(
        &cli,
        &["integration", "list"],
        "data.integrations[0] is a process instance's integration, and no instance was asked about",
    );
}
