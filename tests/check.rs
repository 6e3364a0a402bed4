/*!
`codika integration check`: what a use case's config.ts declares against
what the platform lists as connected, end to end against the emulator, with
the use cases of tests/use_cases and folders made for one case.
*/

mod support;

use std::path::{Path, PathBuf};
use support::*;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/use_cases")
        .join(name)
}

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

fn check(cli: &Cli, args: &[&str]) -> Run {
    let mut argv = vec!["integration", "check"];
    argv.extend_from_slice(args);
    cli.run(&argv)
}

fn set(cli: &Cli, args: &[&str]) {
    let mut argv = vec!["integration", "set"];
    argv.extend_from_slice(args);
    cli.run(&argv).assert_code(0);
}

/// Connects the four integrations of invoice_assistant in their contexts.
fn connect_invoice_assistant(cli: &Cli, extra: &[&str]) {
    let uc = corpus("invoice_assistant");
    let with = |args: &[&str]| {
        let mut args = args.to_vec();
        args.extend_from_slice(&["--path", path(&uc)]);
        args.extend_from_slice(extra);
        set(cli, &args);
    };
    with(&["openai", "--secret", "OPENAI_API_KEY=sk-check"]);
    with(&[
        "supabase",
        "--secret",
        "SUPABASE_HOST=https://abc.supabase.co",
        "--secret",
        "SUPABASE_SERVICE_ROLE_KEY=eyJ-check",
    ]);
    with(&["cstm_acme_crm", "--secret", "API_KEY=acme-check"]);
    with(&["cstm_team_notes", "--secret", "NOTES_TOKEN=notes-check"]);
}

/// The integration `id` of a `--json` answer.
fn entry<'a>(body: &'a miniserde::json::Value, id: &str) -> &'a miniserde::json::Value {
    items(field(field(body, "data"), "integrations"))
        .iter()
        .find(|i| str_at(i, "integrationId") == id)
        .unwrap_or_else(|| panic!("no {id} in the answer"))
}

fn strings(value: &miniserde::json::Value) -> Vec<String> {
    items(value)
        .iter()
        .map(|v| match v {
            miniserde::json::Value::String(s) => s.clone(),
            other => panic!("not a string: {other:?}"),
        })
        .collect()
}

#[test]
fn every_integration_connected_in_its_context_exits_0() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    connect_invoice_assistant(&cli, &[]);
    let run = check(&cli, &["--path", path(&corpus("invoice_assistant"))]);
    run.assert_code(0);
    for row in [
        "  Integration      Context           Status",
        "  openai           organization      ✓ connected 20",
        " by emulator-owner  (top level), main-workflow\n",
        "  supabase         process_instance  ✓ connected ",
        "main-workflow, team-notes\n",
        "  cstm_acme_crm    process_instance  ✓ connected ",
        "  cstm_team_notes  member            ✓ connected ",
        "  ✓ Ready: all 4 declared integration(s) connected\n",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("To fix"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("(config.ts, dev, instance pi_acme_dev):"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn one_missing_in_each_context_prints_the_command_that_fixes_it() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = corpus("invoice_assistant");
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    let p = path(&uc);
    for row in [
        "  openai           organization      ✗ missing",
        "  supabase         process_instance  ✗ missing",
        "  cstm_acme_crm    process_instance  ✗ missing",
        "  cstm_team_notes  member            ✗ missing",
        "  To fix:\n",
        &format!("    codika integration set openai --secret OPENAI_API_KEY --path {p}\n"),
        &format!(
            "    codika integration set supabase --secret SUPABASE_HOST --secret SUPABASE_SERVICE_ROLE_KEY --path {p}\n"
        ),
        &format!("    codika integration set cstm_acme_crm --secret API_KEY --path {p}\n"),
        &format!("    codika integration set cstm_team_notes --secret NOTES_TOKEN --path {p}\n"),
        "  (--secret KEY reads the value from the environment variable KEY)\n",
        "  ✗ Not ready: 4 of 4 integration(s) need attention (4 missing)\n",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }

    // Connected one by one, each leaves the table.
    connect_invoice_assistant(&cli, &[]);
    cli.integration("delete", &["cstm_team_notes", "--confirm", "--path", p])
        .assert_code(0);
    let run = check(&cli, &["--path", p, "--json"]);
    run.assert_code(2);
    let body = run.json();
    assert_eq!(u64_at(field(&body, "data"), "missing"), 1);
    assert_eq!(str_at(entry(&body, "cstm_team_notes"), "status"), "missing");
    assert_eq!(
        str_at(entry(&body, "cstm_team_notes"), "expectedContext"),
        "member"
    );
    assert_eq!(str_at(entry(&body, "cstm_acme_crm"), "status"), "connected");
}

#[test]
fn connected_at_the_organization_where_the_instance_is_expected_says_both() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = corpus("invoice_assistant");
    connect_invoice_assistant(&cli, &[]);
    cli.integration("delete", &["supabase", "--confirm", "--path", path(&uc)])
        .assert_code(0);
    set(
        &cli,
        &[
            "supabase",
            "--secret",
            "SUPABASE_HOST=h",
            "--secret",
            "SUPABASE_SERVICE_ROLE_KEY=k",
            "--context-type",
            "organization",
        ],
    );
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    for row in [
        "  supabase         process_instance  ⚠ connected at organization instead",
        "    codika integration set supabase --secret SUPABASE_HOST --secret SUPABASE_SERVICE_ROLE_KEY --path",
        "  ✗ Not ready: 1 of 4 integration(s) need attention (1 connected elsewhere)\n",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }
    let body = check(&cli, &["--path", path(&uc), "--json"]).json();
    let supabase = entry(&body, "supabase");
    assert_eq!(str_at(supabase, "status"), "connected_elsewhere");
    assert_eq!(str_at(supabase, "expectedContext"), "process_instance");
    assert_eq!(str_at(supabase, "connectedContext"), "organization");
    assert_eq!(str_at(supabase, "connectedBy"), "emulator-owner");
}

#[test]
fn an_oauth_integration_points_to_the_dashboard() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let uc = use_case(&dir, "mail");
    dir.write(
        "mail/config.ts",
        "export const getConfiguration = () => ({ workflows: [{ workflowTemplateId: 'inbox', integrationUids: ['google_gmail'] }] });\n",
    );
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    for row in [
        "  google_gmail  member   ⚠ OAuth, not connected  inbox\n",
        "    google_gmail requires OAuth: connect it via the dashboard at: https://app.codika.io/organizations/org_acme/integrations\n",
        "(1 OAuth)",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("--secret KEY reads"), "{}", run.stdout);
    let body = check(&cli, &["--path", path(&uc), "--json"]).json();
    let gmail = entry(&body, "google_gmail");
    assert_eq!(str_at(gmail, "status"), "oauth");
    assert_eq!(
        str_at(gmail, "fix"),
        "https://app.codika.io/organizations/org_acme/integrations"
    );
    // Finding 14: with no project.json, the key's organization is asked
    // (verifyapikey), never YOUR_ORG_ID when the platform can tell.
    std::fs::remove_file(uc.join("project.json")).unwrap();
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    assert!(
        run.stdout
            .contains("https://app.codika.io/organizations/org_acme/integrations"),
        "{}",
        run.stdout
    );
}

#[test]
fn environment_prod_checks_the_prod_instance() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = corpus("invoice_assistant");
    let p = path(&uc);
    // Connected for dev: the prod instance still lacks its own.
    connect_invoice_assistant(&cli, &[]);
    let run = check(&cli, &["--path", p, "--environment", "prod", "--json"]);
    run.assert_code(2);
    let body = run.json();
    let data = field(&body, "data");
    assert_eq!(str_at(data, "environment"), "prod");
    assert_eq!(str_at(data, "processInstanceId"), "pi_acme_prod");
    assert_eq!(str_at(entry(&body, "openai"), "status"), "connected");
    assert_eq!(str_at(entry(&body, "supabase"), "status"), "missing");
    assert_eq!(
        str_at(entry(&body, "supabase"), "fix"),
        format!(
            "codika integration set supabase --secret SUPABASE_HOST --secret SUPABASE_SERVICE_ROLE_KEY --path {p} --environment prod"
        )
    );
    // openai's context is the organization: --environment changes nothing for it.
    assert!(!has(entry(&body, "openai"), "fix"));
    assert_eq!(u64_at(data, "missing"), 2);

    connect_invoice_assistant(&cli, &["--environment", "prod"]);
    check(&cli, &["--path", p, "--environment", "prod"]).assert_code(0);
    check(&cli, &["--path", p]).assert_code(0);
}

#[test]
fn a_workflow_calling_functions_beside_its_integration_uids_is_read() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    connect_invoice_assistant(&cli, &[]);
    // config.ts calls loadAndEncodeWorkflow, crypto.randomUUID and reads
    // process.env beside every integrationUids; the run is from the folder.
    let uc = corpus("invoice_assistant");
    let run = cli.run_in(&uc, &["integration", "check", "--json"]);
    run.assert_code(0);
    let body = run.json();
    assert!(matches!(
        field(&body, "success"),
        miniserde::json::Value::Bool(true)
    ));
    assert_eq!(
        strings(field(entry(&body, "supabase"), "workflows")),
        ["main-workflow", "team-notes"]
    );
    assert!(bool_at(entry(&body, "openai"), "topLevel"));
    assert!(!bool_at(entry(&body, "supabase"), "topLevel"));
    assert_eq!(strings(field(field(&body, "data"), "unreadable")).len(), 0);
}

#[test]
fn an_array_that_cannot_be_read_is_located_and_the_rest_still_checked() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    set(&cli, &["openai", "--secret", "OPENAI_API_KEY=sk-check"]);
    let uc = corpus("unreadable");
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    let expected = format!(
        "⚠ {}:9:56: cannot read the integrationUids of workflow vendor statically: met a function call `vendorIntegrations(`\n",
        uc.join("config.ts").display()
    );
    assert!(
        run.stderr.contains(&expected),
        "{expected:?} not in\n{}",
        run.stderr
    );
    for row in [
        "  openai       organization  ✓ connected",
        "  ⚠ Cannot tell: the 1 integration(s) read are connected; 1 value(s) of config.ts could not be read (see above)\n",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }
    let body = check(&cli, &["--path", path(&uc), "--json"]).json();
    assert!(matches!(
        field(&body, "success"),
        miniserde::json::Value::Bool(false)
    ));
    let unreadable = strings(field(field(&body, "data"), "unreadable"));
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].ends_with("config.ts:9:56: cannot read the integrationUids of workflow vendor statically: met a function call `vendorIntegrations(`"), "{unreadable:?}");
    assert_eq!(u64_at(field(&body, "data"), "missing"), 0);
}

#[test]
fn no_config_ts_exits_2_saying_so_before_any_request() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let uc = use_case(&dir, "bare");
    let before = platform.stats();
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "has no config.ts or config.js, so nothing says which integrations the use case needs"
        ),
        "{}",
        run.stderr
    );
    let run = check(&cli, &["--path", path(&uc), "--json"]);
    run.assert_code(2);
    assert_json_error(&run, "VALIDATION_ERROR");
    assert_eq!(platform.stats().1, before.1 + 1, "a request was sent");
}

#[test]
fn json_is_one_document_with_every_field() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    set(&cli, &["openai", "--secret", "OPENAI_API_KEY=sk-check"]);
    let uc = corpus("invoice_assistant");
    let run = check(&cli, &["--path", path(&uc), "--json"]);
    run.assert_code(2);
    assert!(
        run.stdout
            .starts_with("{\n  \"success\": false,\n  \"data\": {\n"),
        "{}",
        run.stdout
    );
    let body = run.json();
    let data = field(&body, "data");
    let keys = |value: &miniserde::json::Value| match value {
        miniserde::json::Value::Object(object) => {
            let mut keys: Vec<String> = object.keys().cloned().collect();
            keys.sort();
            keys
        }
        _ => panic!("not an object"),
    };
    assert_eq!(
        keys(data),
        [
            "configFile",
            "environment",
            "integrations",
            "missing",
            "processInstanceId",
            "unreadable",
            "useCase",
            "warnings"
        ]
    );
    assert_eq!(str_at(data, "useCase"), path(&uc));
    assert_eq!(str_at(data, "environment"), "dev");
    assert_eq!(str_at(data, "processInstanceId"), "pi_acme_dev");
    assert_eq!(u64_at(data, "missing"), 3);
    let ids: Vec<&str> = items(field(data, "integrations"))
        .iter()
        .map(|i| str_at(i, "integrationId"))
        .collect();
    // First seen: the top level, then the workflows in order.
    assert_eq!(
        ids,
        ["openai", "supabase", "cstm_acme_crm", "cstm_team_notes"]
    );
    let openai = entry(&body, "openai");
    assert_eq!(
        keys(openai),
        [
            "connectedAt",
            "connectedBy",
            "connectedContext",
            "expectedContext",
            "integrationId",
            "status",
            "topLevel",
            "workflows"
        ]
    );
    assert!(str_at(openai, "connectedAt").ends_with('Z'));
    assert_eq!(strings(field(openai, "workflows")), ["main-workflow"]);
    let crm = entry(&body, "cstm_acme_crm");
    assert_eq!(
        keys(crm),
        [
            "expectedContext",
            "fix",
            "integrationId",
            "status",
            "topLevel",
            "workflows"
        ]
    );
    assert_eq!(
        str_at(crm, "fix"),
        format!(
            "codika integration set cstm_acme_crm --secret API_KEY --path {}",
            path(&uc)
        )
    );
}

#[test]
fn unknown_ids_and_custom_definitions_are_warned_about() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let uc = use_case(&dir, "odd");
    dir.write(
        "odd/config.ts",
        r#"export function getConfiguration() {
  return {
    integrationUids: ['acme_magic', 'cstm_ghost'],
    customIntegrations: [{ id: 'cstm_spare', name: 'Spare', contextType: 'organization',
      n8nCredentialType: 'none', secretFields: [{ key: 'TOKEN', label: 'T', type: 'password' }] }],
  };
}
"#,
    );
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    for line in [
        "⚠ cstm_ghost is declared in integrationUids but not defined in customIntegrations: set cannot find its schema there\n",
        "⚠ cstm_spare is defined in customIntegrations but no integrationUids declares it\n",
    ] {
        assert!(run.stderr.contains(line), "{line:?} not in\n{}", run.stderr);
    }
    for row in [
        "  acme_magic   ?                 ✗ unknown integration  (top level)\n",
        "  cstm_ghost   process_instance  ✗ missing",
        "    acme_magic: neither a built-in integration nor cstm_*: check the id in config.ts\n",
        "    cstm_ghost: give it an entry in customIntegrations of config.ts",
        "(1 missing, 1 unknown)",
    ] {
        assert!(run.stdout.contains(row), "{row:?} not in\n{}", run.stdout);
    }
    let body = check(&cli, &["--path", path(&uc), "--json"]).json();
    let magic = entry(&body, "acme_magic");
    assert_eq!(str_at(magic, "status"), "unknown");
    assert!(matches!(
        field(magic, "expectedContext"),
        miniserde::json::Value::Null
    ));
    assert_eq!(strings(field(field(&body, "data"), "warnings")).len(), 2);
}

#[test]
fn a_process_instance_integration_without_an_instance_exits_2() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    dir.write(
        "nodeploy/config.ts",
        "export const getConfiguration = () => ({ integrationUids: ['openai', 'supabase'] });\n",
    );
    let uc = dir.path().join("nodeploy");
    let run = check(&cli, &["--path", path(&uc)]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("supabase is connected per process instance, and none is known: pass --process-instance-id"),
        "{}",
        run.stderr
    );
    // Named on the command line, it is checked, and the fix repeats it.
    let run = check(
        &cli,
        &[
            "--path",
            path(&uc),
            "--process-instance-id",
            "pi_acme_dev",
            "--json",
        ],
    );
    run.assert_code(2);
    let fix = str_at(entry(&run.json(), "supabase"), "fix").to_string();
    assert!(fix.ends_with("--process-instance-id pi_acme_dev"), "{fix}");
}

#[test]
fn api_and_network_errors_exit_1() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let uc = corpus("invoice_assistant");
    let run = cli.integration("check", &["--path", path(&uc), "--api-key", LIMITED]);
    run.assert_code(1);
    assert!(run.stderr.contains("INSUFFICIENT_SCOPE"), "{}", run.stderr);
    let owner = Cli::owner(&platform);
    let run = check(
        &owner,
        &[
            "--path",
            path(&uc),
            "--process-instance-id",
            "pi_nope",
            "--json",
        ],
    );
    run.assert_code(1);
    assert_json_error(&run, "PROCESS_INSTANCE_NOT_FOUND");
    let offline = Cli::bare();
    offline.env("CODIKA_API_KEY", OWNER);
    offline.env("CODIKA_BASE_URL", "http://127.0.0.1:9");
    check(&offline, &["--path", path(&uc)]).assert_code(1);
}

#[test]
fn help_describes_the_command() {
    let cli = Cli::bare();
    let run = cli.integration("check", &["--help"]);
    run.assert_code(0);
    for text in [
        "Usage: codika integration check [OPTIONS]",
        "--path <path>",
        "--project-file <path>",
        "--environment <env>",
        "--process-instance-id <id>",
        "--profile <name>",
        "--api-key <key>",
        "--json",
        "--secret KEY reads the value from the environment variable KEY",
        "Exit codes: 0",
    ] {
        assert!(run.stdout.contains(text), "{text:?} not in\n{}", run.stdout);
    }
    let run = cli.run(&["integration", "--help"]);
    assert!(
        run.stdout.contains(
            "  check    Check that a use case has every integration its config.ts declares"
        ),
        "{}",
        run.stdout
    );
}

/// The fixes printed are commands that work: run as printed, with each
/// `--secret KEY` found in the environment, they make the use case ready.
#[test]
fn the_printed_fixes_connect_what_is_missing() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = corpus("invoice_assistant");
    let body = check(&cli, &["--path", path(&uc), "--json"])
        .assert_code(2)
        .json();
    for (key, value) in [
        ("OPENAI_API_KEY", "sk-from-env"),
        ("SUPABASE_HOST", "https://abc.supabase.co"),
        ("SUPABASE_SERVICE_ROLE_KEY", "eyJ-from-env"),
        ("API_KEY", "acme-from-env"),
        ("NOTES_TOKEN", "notes-from-env"),
    ] {
        cli.env(key, value).secret(value);
    }
    let fixes: Vec<String> = items(field(field(&body, "data"), "integrations"))
        .iter()
        .filter(|i| str_at(i, "status") == "missing")
        .map(|i| str_at(i, "fix").to_string())
        .collect();
    assert!(!fixes.is_empty());
    for fix in fixes {
        // The printed form: `codika integration set ID --secret KEY ... --path DIR`.
        let words: Vec<&str> = fix.split_whitespace().skip(1).collect();
        cli.run(&words).assert_code(0);
    }
    check(&cli, &["--path", path(&uc)]).says("Ready");
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-from-env");
}

#[test]
fn max_age_makes_older_connections_stale_with_the_fixes() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    connect_invoice_assistant(&cli, &[]);
    let uc = corpus("invoice_assistant");
    check(&cli, &["--path", path(&uc), "--max-age", "1"]).assert_code(0);
    // Connected a moment ago: older than 0 days.
    let run = check(&cli, &["--path", path(&uc), "--max-age", "0"]);
    run.assert_code(2);
    assert!(
        run.stdout.contains("⚠ stale: connected 20"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("4 stale"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("codika integration set openai --secret OPENAI_API_KEY"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("codika integration apply --update --secrets-file .env --path"),
        "{}",
        run.stdout
    );
    let json = check(&cli, &["--path", path(&uc), "--max-age", "0", "--json"]);
    json.assert_code(2);
    let body = json.json();
    assert_eq!(str_at(entry(&body, "supabase"), "status"), "stale");
    for bad in ["-1", "1.5", "x", "36501"] {
        check(&cli, &["--path", path(&uc), "--max-age", bad]).fails(2, "--max-age");
    }
}

/// config.ts files Node evaluates to something other than the object they
/// seem to return (finding 4), or cannot build (finding 5): never Ready,
/// each located.
#[test]
fn files_node_evaluates_differently_are_never_ready() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    set(&cli, &["openai", "--secret", "OPENAI_API_KEY=sk-check"]);
    let mut doubling = String::from("const a0 = ['openai'];\n");
    for n in 1..=40 {
        doubling.push_str(&format!("const a{n} = [...a{p}, ...a{p}];\n", p = n - 1));
    }
    doubling.push_str("export function getConfiguration() { return { integrationUids: a40 }; }\n");
    let cases = [
        (
            "b16",
            "export function getConfiguration() { return\n  { integrationUids: ['openai'] }; }\n",
            "config.ts:1:38: ",
            "returns undefined",
        ),
        (
            "b15",
            "export const getConfiguration = () => { integrationUids: ['openai'] };\n",
            "config.ts:1:39: ",
            "returns undefined",
        ),
        (
            "c14",
            "const ids = ['openai'];\nexport function getConfiguration(ids = ['anthropic']) { return { integrationUids: ids }; }\n",
            "config.ts:2:34: ",
            "a parameter of getConfiguration",
        ),
        (
            "c12",
            "export function getConfiguration() { return { integrationUids: ['openai'] }; }\ngetConfiguration = () => ({ integrationUids: ['anthropic'] });\n",
            "config.ts:2:1: ",
            "`getConfiguration` assigned",
        ),
        (
            "c5",
            "export function getConfiguration() { return { integrationUids: ['openai'] }; }\nexport function getConfiguration() { return { integrationUids: ['anthropic'] }; }\n",
            "config.ts:2:17: ",
            "SyntaxError",
        ),
        (
            "c1",
            "const ids = ['openai'];\nconst ids = ['anthropic'];\nexport function getConfiguration() { return { integrationUids: ids }; }\n",
            "config.ts:2:7: ",
            "SyntaxError",
        ),
        (
            "s8",
            "export function getConfiguration() { return { integrationUids: ['openai'], get integrationUids() { return ['anthropic']; } }; }\n",
            "config.ts:1:80: ",
            "a getter or setter",
        ),
        (
            "s9",
            "export function getConfiguration() { return { integrationUids: ['openai'], integrationUids() { return 1; } }; }\n",
            "",
            "is not an array literal of strings",
        ),
        (
            "s12",
            "export function* getConfiguration() { return { integrationUids: ['openai'] }; }\n",
            "config.ts:1:8: ",
            "generator",
        ),
        (
            "exp5",
            doubling.as_str(),
            "config.ts:18:22: ",
            "at least 100000",
        ),
    ];
    let dir = TempDir::new();
    for (name, config, at, what) in cases {
        let uc = use_case(&dir, name);
        dir.write(&format!("{name}/config.ts"), config);
        let run = check(&cli, &["--path", path(&uc)]);
        run.assert_code(2);
        assert!(
            run.stderr.contains(&format!("{name}/{at}")) && run.stderr.contains(what),
            "{name}: {at}{what} not in\n{}",
            run.stderr
        );
        assert!(!run.stdout.contains("✓ Ready"), "{name}:\n{}", run.stdout);
    }
}
