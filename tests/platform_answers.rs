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
    assert!(json.stdout.contains(what), "{}", json.stdout);
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
        r#"{"success":true,"data":{"properties":{"apiKey":{"type":"string"}},"required":[1]}}"#,
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
