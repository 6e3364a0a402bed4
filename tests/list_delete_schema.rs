//! `list`, `delete` and `schema`: each documented example and option.

mod support;

use support::*;

fn seed_integrations(cli: &Cli, use_case: &std::path::Path) {
    cli.set_openai("sk-o", &[]).assert_code(0);
    cli.integration(
        "set",
        &[
            "anthropic",
            "--secret",
            "ANTHROPIC_API_KEY=sk-a",
            "--context-type",
            "member",
        ],
    )
    .assert_code(0);
    cli.integration(
        "set",
        &[
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h","SUPABASE_SERVICE_ROLE_KEY":"k"}"#,
            "--path",
            use_case.to_str().unwrap(),
        ],
    )
    .assert_code(0);
}

#[test]
fn example_list_organization_integrations() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    seed_integrations(&cli, &use_case(&dir, "uc"));
    let run = cli.integration("list", &[]);
    run.assert_code(0);
    // The documentation's table, plus who connected each one (issue 21:
    // the platform's connectedBy, the key's name on the emulator).
    let expected_rows = [
        "  Organization Integrations:\n",
        "  Name                    ID                          Connected   By\n",
        &format!("  {}\n", "─".repeat(80)),
        "  OpenAI                  openai                      20",
        "  emulator-owner\n",
        "  Member Integrations:\n",
        "  Anthropic               anthropic                   20",
        "  Total: 2 connected integration(s)\n",
        "  Tip: Use --path <use-case-folder> to also show process instance integrations.\n",
    ];
    for row in expected_rows {
        assert!(
            run.stdout.contains(row),
            "missing {row:?} in\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("supabase"));
}

#[test]
fn example_list_process_instance_integrations() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let uc = use_case(&dir, "my-use-case");
    seed_integrations(&cli, &uc);
    let run = cli.integration(
        "list",
        &[
            "--context-type",
            "process_instance",
            "--path",
            uc.to_str().unwrap(),
        ],
    );
    run.says("  Process Instance Integrations:")
        .says("  Supabase                supabase");
    assert!(
        !run.stdout.contains("openai") && !run.stdout.contains("Tip:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Total: 1 connected integration(s)"));
    // --context-type organization shows that context alone.
    let org = cli.integration(
        "list",
        &[
            "--context-type",
            "organization",
            "--path",
            uc.to_str().unwrap(),
        ],
    );
    assert!(
        org.stdout.contains("openai")
            && !org.stdout.contains("anthropic")
            && !org.stdout.contains("supabase"),
        "{}",
        org.stdout
    );
    // The instance by flag, and by --environment prod (nothing there).
    let by_flag = cli.integration("list", &["--process-instance-id", "pi_acme_dev"]);
    assert!(by_flag.stdout.contains("supabase"), "{}", by_flag.stdout);
    let prod = cli.integration(
        "list",
        &["--path", uc.to_str().unwrap(), "--environment", "prod"],
    );
    assert!(
        !prod.stdout.contains("supabase") && prod.stdout.contains("Total: 2"),
        "{}",
        prod.stdout
    );
}

#[test]
fn example_list_json_and_the_empty_state() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let empty = cli.integration("list", &[]);
    assert_eq!(
        empty.assert_code(0).stdout,
        "\nNo connected integrations found.\n  Tip: Use --path <use-case-folder> to also show process instance integrations.\n\n"
    );
    cli.set_openai("sk-o", &[]).assert_code(0);
    let run = cli.integration("list", &["--json"]);
    run.assert_code(0);
    let body = run.json();
    let integrations = items(field(field(&body, "data"), "integrations"));
    assert_eq!(integrations.len(), 1);
    assert_eq!(str_at(&integrations[0], "integrationId"), "openai");
    assert!(str_at(&body, "requestId").starts_with("req_"));
}

#[test]
fn example_delete_check_dependencies_first() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-o", &[]).assert_code(0);
    let run = cli.integration("delete", &["openai"]);
    run.assert_code(2);
    let expected = "\nChecking dependencies for openai...\n\n⚠ Deleting openai will deactivate 2 active process instance(s):\n\n  • Invoice Assistant (dev) (pi_acme_dev)\n  • Invoice Assistant (prod) (pi_acme_prod)\n\nRe-run with --confirm to proceed:\n  codika integration delete openai --confirm\n\n";
    assert_eq!(run.stdout, expected);
    assert_eq!(platform.stored("openai").len(), 1, "nothing deleted");
    let json = cli.integration("delete", &["openai", "--json"]);
    json.assert_code(2);
    assert_eq!(
        u64_at(
            field(field(&json.json(), "data"), "pendingDeactivations"),
            "count"
        ),
        2
    );
}

#[test]
fn example_delete_immediately() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-o", &[]).assert_code(0);
    let run = cli.integration("delete", &["openai", "--confirm"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "\n✓ openai integration deleted successfully!\n  2 process instance(s) deactivated.\n\nActivate them again, once they can run, with:\n  codika instance activate pi_acme_dev\n  codika instance activate pi_acme_prod\n\n"
    );
    assert!(platform.stored("openai").is_empty());
    assert!(!platform.active("pi_acme_dev"));
    // Deleting what is absent succeeds.
    let again = cli.integration("delete", &["openai", "--confirm", "--json"]);
    again.assert_code(0);
    assert_eq!(u64_at(field(&again.json(), "data"), "deactivatedCount"), 0);
}

#[test]
fn example_delete_process_instance_integration() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.integration(
        "set",
        &[
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h","SUPABASE_SERVICE_ROLE_KEY":"k"}"#,
            "--process-instance-id",
            "pi_acme_prod",
        ],
    )
    .assert_code(0);
    let pending = cli.integration(
        "delete",
        &[
            "supabase",
            "--process-instance-id",
            "pi_acme_prod",
            "--profile-less-typo",
        ],
    );
    pending.assert_code(2); // unknown option
    let pending = cli.integration(
        "delete",
        &[
            "supabase",
            "--process-instance-id",
            "pi_acme_prod",
            "--environment",
            "prod",
        ],
    );
    assert!(pending.assert_code(2).stdout.contains("  codika integration delete supabase --process-instance-id pi_acme_prod --environment prod --confirm"), "{}", pending.stdout);
    cli.integration(
        "delete",
        &[
            "supabase",
            "--confirm",
            "--process-instance-id",
            "pi_acme_prod",
        ],
    )
    .assert_code(0);
    assert!(platform.stored("supabase").is_empty());
    assert!(!platform.active("pi_acme_prod") && platform.active("pi_acme_dev"));
}

#[test]
fn delete_with_context_type_and_path() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let uc = use_case(&dir, "my uc");
    cli.set_openai("sk-m", &["--context-type", "member"])
        .assert_code(0);
    let run = cli.integration(
        "delete",
        &[
            "openai",
            "--context-type",
            "member",
            "--path",
            uc.to_str().unwrap(),
            "--api-key",
            OWNER,
        ],
    );
    run.assert_code(2);
    assert!(
        run.stdout.contains(&format!(
            "--context-type member --path '{}' --confirm",
            uc.display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("(add your --api-key again; it is not shown)")
    );
    cli.integration(
        "delete",
        &["openai", "--context-type", "member", "--confirm"],
    )
    .assert_code(0);
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn example_schema_twilio_as_documented() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&["integration", "schema", "twilioApi"]);
    run.assert_code(0);
    let documented = [
        "Credential type: twilioApi",
        "Properties:",
        "  authType: string [authToken, apiKey]",
        "  accountSid: string",
        "  authToken: string",
        "  allowedDomains: string",
        "Conditional rules:",
        "  if authType = authToken then require: authToken",
        "  if authType = apiKey then require: apiKeySid, apiKeySecret",
    ];
    let lines: Vec<&str> = run.stdout.lines().collect();
    let mut at = 0;
    for line in documented {
        let found = lines[at..]
            .iter()
            .position(|l| *l == line)
            .unwrap_or_else(|| panic!("{line:?} missing or out of order in\n{}", run.stdout));
        at += found + 1;
    }
}

#[test]
fn schema_marks_required_properties() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&["integration", "schema", "httpHeaderAuth"]);
    run.assert_code(0);
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/emulator/data/n8n-credential-schemas.json"
    ))
    .unwrap();
    let schema = field(&parse(&fixture), "httpHeaderAuth").clone();
    for name in items(field(&schema, "required")) {
        let miniserde::json::Value::String(name) = name else {
            panic!()
        };
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(&format!("  {name}: ")) && l.ends_with(" (required)")),
            "{name} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn example_schema_raw_json_is_the_schema_alone_in_n8n_order() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&["integration", "schema", "openAiApi", "--json"]);
    run.assert_code(0);
    let schema = run.json();
    assert_eq!(str_at(&schema, "type"), "object");
    assert!(!has(&schema, "success") && !has(&schema, "data"));
    assert!(
        run.stdout.starts_with(
            "{\n  \"additionalProperties\": false,\n  \"type\": \"object\",\n  \"properties\": {"
        ),
        "{}",
        run.stdout
    );
    let unknown = Cli::owner(&platform).run(&["integration", "schema", "noSuchApi", "--json"]);
    unknown.assert_code(1);
    assert_json_error(&unknown, "CREDENTIAL_TYPE_NOT_FOUND");
}

/// Finding 14: a delete of an integration that does not exist (a typo,
/// another context) says so, instead of "0 instances depend on it; re-run
/// with --confirm" or "deleted successfully". Exit codes stay the official
/// CLI's: 2 without --confirm (an unconfirmed delete), 0 with it (the
/// platform's delete is idempotent); `--json` says `"existed": false`.
#[test]
fn a_delete_of_what_does_not_exist_says_so() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let run = cli.integration("delete", &["anthropic"]);
    run.assert_code(2);
    assert!(
        run.stdout.contains(
            "anthropic does not exist in organization context: there is nothing to delete"
        ) && !run.stdout.contains("--confirm to proceed"),
        "{}",
        run.stdout
    );
    let run = cli.integration("delete", &["anthropic", "-q"]);
    run.fails(
        2,
        "anthropic was not deleted: it does not exist in organization context",
    );
    let run = cli.integration("delete", &["anthropic", "--confirm"]);
    run.says("anthropic did not exist in organization context: nothing was deleted.");
    assert!(
        !run.stdout.contains("deleted successfully"),
        "{}",
        run.stdout
    );
    let run = cli.integration("delete", &["anthropic", "--confirm", "--json"]);
    run.assert_code(0);
    assert!(
        matches!(
            field(field(&run.json(), "data"), "existed"),
            miniserde::json::Value::Bool(false)
        ),
        "{}",
        run.stdout
    );
    // Its dry run says the same, and exits as the real command would.
    let run = cli.integration("delete", &["anthropic", "--dry-run"]);
    run.assert_code(2);
    assert!(
        run.stdout
            .contains("anthropic does not exist in organization context"),
        "{}",
        run.stdout
    );
    cli.integration("delete", &["anthropic", "--dry-run", "--confirm"])
        .says("the real command says nothing was deleted (exit 0)");
    // What exists is deleted as before.
    cli.set_openai("sk-a", &[]).assert_code(0);
    cli.integration("delete", &["openai", "--confirm"])
        .says("✓ openai integration deleted successfully!");
}
