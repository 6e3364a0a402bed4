/*!
`codika integration apply`: a use case made ready from secrets files in one
run, end to end against the emulator. The use cases are written here: one
declaring built-in (organization and instance), `cstm_*` (instance and
member) integrations, and one adding an OAuth and an unknown id. Values are
read back decrypted from the emulator; its counters show what was sent.
*/

mod support;

use miniserde::json::Value;
use std::path::{Path, PathBuf};
use support::*;

/// Two custom integrations that both have a field API_KEY.
const CUSTOM: &str = r#"
    customIntegrations: [
      {
        id: 'cstm_acme_crm',
        name: 'Acme CRM',
        contextType: 'process_instance',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: { API_KEY: 'value' },
        secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
      },
      {
        id: 'cstm_team_notes',
        name: 'Team notes',
        contextType: 'member',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: { API_KEY: 'value' },
        secretFields: [{ key: 'API_KEY', label: 'Token', type: 'password' }],
      },
    ],"#;

/// A use case declaring `top` at the top level and `main` in a workflow.
fn use_case_declaring(dir: &TempDir, top: &[&str], main: &[&str]) -> PathBuf {
    let uc = use_case(dir, "uc");
    let list = |ids: &[&str]| {
        ids.iter()
            .map(|id| format!("'{id}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    std::fs::write(
        uc.join("config.ts"),
        format!(
            "export function getConfiguration() {{\n  return {{\n    integrationUids: [{}],\n    workflows: [\n      {{ workflowTemplateId: 'main', integrationUids: [{}] }},\n    ],{CUSTOM}\n  }};\n}}\n",
            list(top),
            list(main)
        ),
    )
    .unwrap();
    uc
}

/// openai (organization), supabase (instance), cstm_acme_crm (instance),
/// cstm_team_notes (member).
fn ready_case(dir: &TempDir) -> PathBuf {
    use_case_declaring(
        dir,
        &["openai"],
        &["supabase", "cstm_acme_crm", "cstm_team_notes"],
    )
}

const DOTENV: &str = "OPENAI_API_KEY=sk-apply-openai\nSUPABASE_HOST=https://apply.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=eyJ-apply-role\nCSTM_ACME_CRM__API_KEY=crm-apply-key\nCSTM_TEAM_NOTES__API_KEY=notes-apply-token\n";

const VALUES: [&str; 5] = [
    "sk-apply-openai",
    "https://apply.supabase.co",
    "eyJ-apply-role",
    "crm-apply-key",
    "notes-apply-token",
];

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn apply(cli: &Cli, uc: &Path, args: &[&str]) -> Run {
    let mut argv = vec!["integration", "apply", "--path", p(uc)];
    argv.extend_from_slice(args);
    cli.run(&argv)
}

/// A CLI whose sweep watches the values of [`DOTENV`].
fn cli_for(platform: &Platform) -> Cli {
    let cli = Cli::owner(platform);
    for value in VALUES {
        cli.secret(value);
    }
    cli
}

fn row<'a>(body: &'a Value, id: &str) -> &'a Value {
    items(field(field(body, "data"), "integrations"))
        .iter()
        .find(|i| str_at(i, "integrationId") == id)
        .unwrap_or_else(|| panic!("no {id} in {body:?}"))
}

fn strings(value: &Value) -> Vec<String> {
    items(value)
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => panic!("not a string: {other:?}"),
        })
        .collect()
}

fn context_of(platform: &Platform, id: &str) -> (String, String) {
    let stored = platform.stored(id);
    assert_eq!(stored.len(), 1, "one {id} stored");
    (
        str_at(&stored[0], "contextType").to_string(),
        if has(&stored[0], "processInstanceId") {
            str_at(&stored[0], "processInstanceId").to_string()
        } else {
            String::new()
        },
    )
}

#[test]
fn a_dotenv_file_sets_every_missing_integration_in_its_context() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    let run = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    run.assert_code(0);
    for id in ["openai", "supabase", "cstm_acme_crm", "cstm_team_notes"] {
        assert!(run.stdout.contains(id), "{}", run.stdout);
    }
    assert!(run.stdout.contains("Ready: all 4"), "{}", run.stdout);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
    assert_eq!(
        platform.secret("supabase", "SUPABASE_SERVICE_ROLE_KEY"),
        "eyJ-apply-role"
    );
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "crm-apply-key");
    assert_eq!(
        platform.secret("cstm_team_notes", "API_KEY"),
        "notes-apply-token"
    );
    assert_eq!(
        context_of(&platform, "openai"),
        ("organization".into(), String::new())
    );
    assert_eq!(
        context_of(&platform, "supabase"),
        ("process_instance".into(), "pi_acme_dev".into())
    );
    assert_eq!(
        context_of(&platform, "cstm_acme_crm"),
        ("process_instance".into(), "pi_acme_dev".into())
    );
    assert_eq!(context_of(&platform, "cstm_team_notes").0, "member");
    // Run again: everything is connected, nothing is sent.
    let changes = platform.changes();
    let again = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    again.assert_code(0);
    let body = again.json();
    assert_eq!(str_at(row(&body, "openai"), "action"), "unchanged");
    assert_eq!(u64_at(field(&body, "data"), "changed"), 0);
    assert_eq!(platform.changes(), changes);
}

#[test]
fn one_list_one_key_and_n_creates_on_one_connection() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    let before = platform.paths();
    let (connections, requests) = platform.cost(|| apply(&cli, &uc, &["--secrets-file", p(&env)]));
    // 1 list + 1 key + 4 creates, and the one read of the instance's
    // deployment that the run made ready (the seed's pi_acme_dev failed:
    // its rerun is the next step, issue 22).
    assert_eq!((connections, requests), (1, 7));
    let after = platform.paths();
    let sent =
        |path: &str| after.get(path).copied().unwrap_or(0) - before.get(path).copied().unwrap_or(0);
    assert_eq!(sent("/listintegrationspublic"), 1);
    assert_eq!(sent("/encryption/public.pem"), 1);
    assert_eq!(sent("/createintegrationpublic"), 4);
    assert_eq!(sent("/getprocessinstancepublic"), 1);
}

#[test]
fn a_key_served_by_another_host_is_fetched_while_the_list_is_asked() {
    // Both answered after 1.5 s: asked at the same time, the two are in
    // flight together whichever arrives first; one after the other, never.
    let slow = std::time::Duration::from_millis(1500);
    let platform = Platform::with(codika_emulator::Options {
        slow_paths: vec![
            ("/encryption/public.pem".into(), slow),
            ("/listintegrationspublic".into(), slow),
        ],
        ..Default::default()
    });
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    // localhost and 127.0.0.1: one server, two hosts to a client.
    let key_url = format!(
        "http://localhost:{}/encryption/public.pem",
        platform.address.port()
    );
    let (connections, requests) = platform.cost(|| {
        apply(
            &cli,
            &uc,
            &["--secrets-file", p(&env), "--public-key-url", &key_url],
        )
    });
    // As above, with the deployment read after the creates.
    assert_eq!((connections, requests), (2, 7));
    assert_eq!(platform.peak_in_flight(), 2);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
}

#[test]
fn the_key_from_the_api_host_comes_after_the_list_on_the_same_connection() {
    let slow = std::time::Duration::from_millis(300);
    let platform = Platform::with(codika_emulator::Options {
        slow_paths: vec![
            ("/encryption/public.pem".into(), slow),
            ("/listintegrationspublic".into(), slow),
        ],
        ..Default::default()
    });
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    let (connections, _) = platform.cost(|| apply(&cli, &uc, &["--secrets-file", p(&env)]));
    assert_eq!(connections, 1);
    assert_eq!(platform.peak_in_flight(), 1);
}

#[test]
fn stdin_json_and_prefixed_keys_win_over_plain_ones() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &["cstm_acme_crm"]);
    cli.secret("plain-crm-key");
    let json = r#"{"OPENAI_API_KEY": "sk-apply-openai", "API_KEY": "plain-crm-key", "CSTM_ACME_CRM__API_KEY": "crm-apply-key"}"#;
    let run = cli.run_with_stdin(
        &[
            "integration",
            "apply",
            "--path",
            p(&uc),
            "--secrets-file",
            "-",
        ],
        json,
    );
    run.assert_code(0);
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "crm-apply-key");
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
    // A plain key alone serves the one integration that has the field.
    let platform = Platform::start();
    let cli = cli_for(&platform);
    cli.secret("plain-crm-key");
    let run = cli.run_with_stdin(
        &[
            "integration",
            "apply",
            "--path",
            p(&uc),
            "--secrets-file",
            "-",
        ],
        r#"{"OPENAI_API_KEY": "sk-apply-openai", "API_KEY": "plain-crm-key"}"#,
    );
    run.assert_code(0);
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "plain-crm-key");
}

#[test]
fn a_later_file_and_then_the_environment_win() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai", "anthropic"], &[]);
    let first = dir.write(
        "a.env",
        "OPENAI_API_KEY=sk-first\nANTHROPIC_API_KEY=sk-ant-first\n",
    );
    let second = dir.write("b.env", "OPENAI_API_KEY=sk-second\n");
    cli.secret("sk-first")
        .secret("sk-second")
        .secret("sk-ant-first")
        .secret("sk-ant-env");
    cli.env("ANTHROPIC_API_KEY", "sk-ant-env");
    let files = ["--secrets-file", p(&first), "--secrets-file", p(&second)];
    // Without --from-env the environment is not read.
    apply(&cli, &uc, &files).assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-second");
    assert_eq!(
        platform.secret("anthropic", "ANTHROPIC_API_KEY"),
        "sk-ant-first"
    );
    let mut args = files.to_vec();
    args.extend(["--from-env", "--update"]);
    apply(&cli, &uc, &args).assert_code(0);
    assert_eq!(
        platform.secret("anthropic", "ANTHROPIC_API_KEY"),
        "sk-ant-env"
    );
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-second");
}

#[test]
fn from_env_alone_is_a_source() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &[]);
    cli.env("OPENAI__OPENAI_API_KEY", "sk-apply-openai");
    apply(&cli, &uc, &["--from-env"]).assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
}

#[test]
fn a_plain_key_two_integrations_would_take_is_refused_naming_both_forms() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write(
        "secrets.env",
        "OPENAI_API_KEY=sk-apply-openai\nSUPABASE_HOST=https://apply.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=eyJ-apply-role\nAPI_KEY=crm-apply-key\n",
    );
    let run = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    run.fails(2, "CSTM_ACME_CRM__API_KEY or CSTM_TEAM_NOTES__API_KEY");
    assert_eq!(platform.changes(), 0);
    // Every problem at once: a missing field is said with the ambiguity.
    let short = dir.write("short.env", "API_KEY=crm-apply-key\n");
    let run = apply(&cli, &uc, &["--secrets-file", p(&short)]);
    run.fails(2, "nothing was sent: 3 problem(s)");
    assert!(
        run.stderr.contains("openai: missing OPENAI_API_KEY"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("supabase: missing SUPABASE_HOST"),
        "{}",
        run.stderr
    );
    let run = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    assert_json_error(&run, "VALIDATION_ERROR");
    assert_eq!(platform.changes(), 0);
}

#[test]
fn keys_no_integration_uses_are_warned_about_by_name_when_upper_case() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &[]);
    cli.secret("ghp_16C7e42F292c6912E7710c838347Ae178B4a");
    let env = dir.write(
        "secrets.env",
        "OPENAI_API_KEY=sk-apply-openai\nOPENAI_APIKEY=sk-typo\nOPENAI__API_KEY=sk-typo\nghp_16C7e42F292c6912E7710c838347Ae178B4a=x\n",
    );
    cli.secret("sk-typo");
    let run = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    run.assert_code(0);
    assert!(run.stderr.contains("OPENAI_APIKEY"), "{}", run.stderr);
    assert!(run.stderr.contains("OPENAI__API_KEY"), "{}", run.stderr);
    assert!(run.stderr.contains("1 key(s)"), "{}", run.stderr);
    let run = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    let body = run.json();
    assert_eq!(
        strings(field(field(&body, "data"), "unusedKeys")),
        ["OPENAI_APIKEY", "OPENAI__API_KEY"]
    );
}

#[test]
fn a_validation_failure_sends_nothing_and_lists_every_problem() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    // No value for supabase's role key nor cstm_team_notes' token.
    let env = dir.write(
        "secrets.env",
        "OPENAI_API_KEY=sk-apply-openai\nSUPABASE_HOST=https://apply.supabase.co\nCSTM_ACME_CRM__API_KEY=crm-apply-key\n",
    );
    let run = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    run.fails(2, "nothing was sent: 2 problem(s)");
    assert!(
        run.stderr
            .contains("supabase: missing SUPABASE_SERVICE_ROLE_KEY"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("CSTM_TEAM_NOTES__API_KEY"),
        "{}",
        run.stderr
    );
    // A file that cannot be read, with another problem: both said.
    let missing = dir.path().join("absent.env");
    let run = apply(
        &cli,
        &uc,
        &[
            "--secrets-file",
            p(&missing),
            "--secrets-file",
            "-",
            "--secrets-file",
            "-",
            "--json",
        ],
    );
    assert_json_error(&run, "VALIDATION_ERROR");
    let problems = strings(field(field(&run.json(), "error"), "problems"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let run = apply(
        &cli,
        &uc,
        &[
            "--secrets-file",
            p(&missing),
            "--secrets-file",
            p(&dir.path().join("also-absent.env")),
            "--json",
        ],
    );
    let problems = strings(field(field(&run.json(), "error"), "problems"));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(platform.changes(), 0);
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn partial_sets_what_is_complete_and_reports_the_rest() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write(
        "secrets.env",
        "OPENAI_API_KEY=sk-apply-openai\nSUPABASE_HOST=https://apply.supabase.co\nCSTM_ACME_CRM__API_KEY=crm-apply-key\n",
    );
    let run = apply(
        &cli,
        &uc,
        &["--secrets-file", p(&env), "--partial", "--json"],
    );
    run.assert_code(2);
    let body = run.json();
    assert!(matches!(field(&body, "success"), Value::Bool(false)));
    let supabase = row(&body, "supabase");
    assert_eq!(str_at(supabase, "action"), "incomplete");
    assert_eq!(
        strings(field(supabase, "missingFields")),
        ["SUPABASE_SERVICE_ROLE_KEY"]
    );
    assert_eq!(str_at(row(&body, "openai"), "action"), "create");
    assert_eq!(
        strings(field(row(&body, "openai"), "fields")),
        ["OPENAI_API_KEY"]
    );
    assert_eq!(u64_at(field(&body, "data"), "changed"), 2);
    assert_eq!(u64_at(field(&body, "data"), "notReady"), 2);
    assert_eq!(platform.changes(), 2);
    assert!(platform.stored("supabase").is_empty());
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "crm-apply-key");
}

#[test]
fn update_rotates_the_connected_ones_without_deactivating_an_instance() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    apply(&cli, &uc, &["--secrets-file", p(&env)]).assert_code(0);
    let rotated = dir.write("rotated.env", &DOTENV.replace("apply", "rotated"));
    for value in VALUES {
        cli.secret(&value.replace("apply", "rotated"));
    }
    // Without --update the connected ones stay as they are.
    apply(&cli, &uc, &["--secrets-file", p(&rotated)]).assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
    let run = apply(
        &cli,
        &uc,
        &["--secrets-file", p(&rotated), "--update", "--json"],
    );
    run.assert_code(0);
    let body = run.json();
    assert_eq!(str_at(row(&body, "supabase"), "before"), "connected");
    assert_eq!(str_at(row(&body, "supabase"), "action"), "update");
    assert_eq!(u64_at(field(&body, "data"), "changed"), 4);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-rotated-openai"
    );
    assert_eq!(
        platform.secret("supabase", "SUPABASE_SERVICE_ROLE_KEY"),
        "eyJ-rotated-role"
    );
    assert_eq!(
        platform.secret("cstm_acme_crm", "API_KEY"),
        "crm-rotated-key"
    );
    assert!(
        platform.active("pi_acme_dev"),
        "an upsert deactivates nothing"
    );
}

#[test]
fn a_failed_set_does_not_stop_the_others() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai", "anthropic", "mistral"], &[]);
    // Encrypted, anthropic's value makes a body over the emulator's 1 MiB.
    let huge = "k".repeat(900_000);
    let env = dir.write(
        "secrets.env",
        &format!("OPENAI_API_KEY=sk-apply-openai\nANTHROPIC_API_KEY={huge}\nMISTRAL_API_KEY=mistral-apply\n"),
    );
    cli.secret("mistral-apply");
    let run = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    run.assert_code(1);
    let body = run.json();
    let failed = row(&body, "anthropic");
    assert_eq!(str_at(failed, "action"), "failed");
    assert_eq!(str_at(field(failed, "error"), "code"), "PAYLOAD_TOO_LARGE");
    assert_eq!(str_at(row(&body, "mistral"), "action"), "create");
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
    assert_eq!(
        platform.secret("mistral", "MISTRAL_API_KEY"),
        "mistral-apply"
    );
    assert!(platform.stored("anthropic").is_empty());
    let human = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    human.assert_code(1);
    assert!(human.stdout.contains("failed"), "{}", human.stdout);
}

#[test]
fn dry_run_changes_nothing_and_prints_the_plan() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    let before = platform.paths();
    let run = apply(
        &cli,
        &uc,
        &["--secrets-file", p(&env), "--dry-run", "--json"],
    );
    run.assert_code(0);
    let body = run.json();
    assert!(matches!(
        field(field(&body, "data"), "dryRun"),
        Value::Bool(true)
    ));
    assert_eq!(str_at(row(&body, "cstm_team_notes"), "action"), "create");
    assert_eq!(u64_at(field(&body, "data"), "changed"), 0);
    assert_eq!(platform.changes(), 0);
    let after = platform.paths();
    // The key is fetched (every field is encrypted); nothing is created.
    assert_eq!(after.get("/encryption/public.pem"), Some(&1));
    assert_eq!(
        after.get("/createintegrationpublic"),
        before.get("/createintegrationpublic")
    );
    let human = apply(&cli, &uc, &["--secrets-file", p(&env), "--dry-run"]);
    human.assert_code(0);
    assert!(human.stdout.contains("dry run"), "{}", human.stdout);
    assert!(human.stdout.contains("4 to create"), "{}", human.stdout);
}

#[test]
fn oauth_and_unknown_ids_are_reported_and_leave_it_not_ready() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai", "google_gmail"], &["acme_thing"]);
    let env = dir.write("secrets.env", "OPENAI_API_KEY=sk-apply-openai\n");
    let run = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    run.assert_code(2);
    let body = run.json();
    let gmail = row(&body, "google_gmail");
    assert_eq!(str_at(gmail, "action"), "oauth");
    assert!(str_at(gmail, "fix").contains("/organizations/org_acme/integrations"));
    assert_eq!(str_at(row(&body, "acme_thing"), "action"), "unknown");
    assert!(matches!(
        field(row(&body, "acme_thing"), "expectedContext"),
        Value::Null
    ));
    assert_eq!(str_at(row(&body, "openai"), "action"), "create");
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
    let human = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    human.assert_code(2);
    assert!(human.stdout.contains("Not ready"), "{}", human.stdout);
}

#[test]
fn json_is_one_document_in_every_outcome() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let good = dir.write("good.env", DOTENV);
    let short = dir.write("short.env", "OPENAI_API_KEY=sk-apply-openai\n");
    let no_config = use_case(&dir, "empty");
    let runs = [
        apply(
            &cli,
            &uc,
            &["--secrets-file", p(&good), "--dry-run", "--json"],
        ),
        apply(&cli, &uc, &["--secrets-file", p(&short), "--json"]),
        apply(
            &cli,
            &uc,
            &["--secrets-file", p(&short), "--partial", "--json"],
        ),
        apply(&cli, &uc, &["--secrets-file", p(&good), "--json"]),
        apply(&cli, &no_config, &["--json"]),
        apply(
            &cli,
            &uc,
            &[
                "--secrets-file",
                p(&good),
                "--json",
                "--api-key",
                "cko_nope",
            ],
        ),
    ];
    for run in &runs {
        let body = run.json();
        let success = matches!(field(&body, "success"), Value::Bool(true));
        assert_eq!(success, run.code == 0, "{}", run.stdout);
        assert!(run.stdout.trim_end().ends_with('}'), "{}", run.stdout);
    }
}

#[test]
fn no_input_never_asks_and_says_what_is_missing() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &[]);
    let run = apply(&cli, &uc, &["--no-input"]);
    run.fails(
        2,
        "openai: missing OPENAI_API_KEY (or OPENAI__OPENAI_API_KEY)",
    );
    assert_eq!(platform.changes(), 0);
}

#[test]
fn an_instance_integration_without_an_instance_is_refused_before_any_request() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &["supabase"]);
    std::fs::write(
        uc.join("project.json"),
        r#"{"projectId":"proj_invoice","organizationId":"org_acme"}"#,
    )
    .unwrap();
    let before = platform.stats();
    apply(&cli, &uc, &[]).fails(2, "--process-instance-id");
    let after = platform.stats();
    assert_eq!(after.1 - before.1, 1, "only the stats request itself");
}

/// On a terminal, what no file gives is asked for (no echo) before anything
/// is judged; --no-input forbids it.
#[cfg(unix)]
#[test]
fn on_a_terminal_missing_values_are_asked_for_first() {
    if !support::pty::script_available() {
        skip("util-linux script is not installed");
        return;
    }
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai"], &["cstm_acme_crm"]);
    let env = dir.write("secrets.env", "OPENAI_API_KEY=sk-apply-openai\n");
    let out = cli.work().join("out.json");
    let typed = "typed-crm-key-123";
    cli.secret(typed);
    let output = cli.on_a_terminal(
        &[
            "integration",
            "apply",
            "--path",
            p(&uc),
            "--secrets-file",
            p(&env),
            "--json",
        ],
        &format!("> '{}'", out.display()),
        &[("API key (API_KEY): ", &format!("{typed}\n"))],
    );
    assert!(
        output.contains("Secrets for cstm_acme_crm (what you type is not shown):"),
        "{output}"
    );
    assert!(output.contains("exit=0"), "{output}");
    let json = std::fs::read_to_string(&out).unwrap();
    assert!(
        matches!(field(&parse(&json), "success"), Value::Bool(true)),
        "{json}"
    );
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), typed);
    let refused = cli.on_a_terminal(
        &[
            "integration",
            "apply",
            "--path",
            p(&uc),
            "--secrets-file",
            p(&env),
            "--no-input",
            "--update",
        ],
        "",
        &[],
    );
    assert!(refused.contains("exit=2"), "{refused}");
    assert!(
        refused.contains("cstm_acme_crm: missing API_KEY"),
        "{refused}"
    );
}

#[test]
fn quiet_prints_nothing_on_success_and_the_report_when_not_ready() {
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = use_case_declaring(&dir, &["openai", "google_gmail"], &[]);
    let other = TempDir::new();
    let only_openai = use_case_declaring(&other, &["openai"], &[]);
    let env = dir.write("secrets.env", "OPENAI_API_KEY=sk-apply-openai\n");
    let run = apply(&cli, &only_openai, &["--secrets-file", p(&env), "-q"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    let run = apply(&cli, &uc, &["--secrets-file", p(&env), "-q"]);
    run.assert_code(2);
    assert!(run.stdout.contains("google_gmail"), "{}", run.stdout);
}

/// `set` too: with the key on another host, the API's connection is opened
/// (by the key check) while the key is fetched, not after it.
#[test]
fn set_opens_the_api_connection_while_the_key_is_fetched_elsewhere() {
    let slow = std::time::Duration::from_millis(1500);
    let platform = Platform::with(codika_emulator::Options {
        slow_paths: vec![
            ("/encryption/public.pem".into(), slow),
            ("/verifyapikey".into(), slow),
        ],
        ..Default::default()
    });
    let cli = cli_for(&platform);
    let key_url = format!(
        "http://localhost:{}/encryption/public.pem",
        platform.address.port()
    );
    let before = platform.paths();
    let (connections, requests) = platform.cost(|| {
        cli.run(&[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-apply-openai",
            "--public-key-url",
            &key_url,
        ])
    });
    assert_eq!((connections, requests), (2, 3));
    assert_eq!(platform.peak_in_flight(), 2);
    let after = platform.paths();
    let sent =
        |path: &str| after.get(path).copied().unwrap_or(0) - before.get(path).copied().unwrap_or(0);
    assert_eq!(sent("/verifyapikey"), 1);
    assert_eq!(sent("/createintegrationpublic"), 1);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-apply-openai"
    );
}

#[test]
fn a_use_case_made_ready_whose_deployment_failed_is_told_to_rerun_it() {
    // The seed's pi_acme_dev deployment has failed (docs/deployments.md).
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let dir = TempDir::new();
    let uc = ready_case(&dir);
    let env = dir.write("secrets.env", DOTENV);
    let run = apply(&cli, &uc, &["--secrets-file", p(&env)]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Next: the deployment is failed")
            && run.stdout.contains("codika rerun deployment"),
        "{}",
        run.stdout
    );
    // Rerun as printed (with --json): deployed now that the run set them.
    let rerun = cli.run(&["rerun", "deployment", "--path", p(&uc), "--force", "--json"]);
    rerun.assert_code(0);
    // Nothing changed by a second run: no next step, in either form.
    let again = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    again.assert_code(0);
    let body = again.json();
    assert!(!has(field(&body, "data"), "next"), "{body:?}");
    // And a first run with --json names it.
    let platform = Platform::start();
    let cli = cli_for(&platform);
    let json = apply(&cli, &uc, &["--secrets-file", p(&env), "--json"]);
    json.assert_code(0);
    let body = json.json();
    assert_eq!(str_at(field(&body, "data"), "deploymentStatus"), "failed");
    assert!(
        str_at(field(&body, "data"), "next").starts_with("codika rerun deployment"),
        "{body:?}"
    );
}
