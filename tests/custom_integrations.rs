//! Custom integrations (`cstm_*`): the schema from `--custom-schema-file` or
//! the use case's config.ts, checked as the platform's verifier does before
//! anything is sent, and its `contextType` as the default context.

mod support;

use support::*;

const ACME_CRM_SCHEMA: &str = r#"{"id":"cstm_acme_crm","name":"Acme CRM","contextType":"process_instance",
  "n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{"API_KEY":"value"},
  "secretFields":[{"key":"API_KEY","label":"API key","type":"password"}]}"#;

fn set(cli: &Cli, args: &[&str]) -> Run {
    let mut argv = vec!["integration", "set"];
    argv.extend_from_slice(args);
    cli.run(&argv)
}

#[test]
fn an_invalid_schema_file_exits_2_naming_the_field_before_any_request() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let cases = [
        (
            ACME_CRM_SCHEMA.replace(r#""key":"API_KEY""#, r#""key":"api_key""#),
            "secretFields key 'api_key' must be UPPER_SNAKE_CASE",
        ),
        (
            ACME_CRM_SCHEMA.replace("process_instance", "team"),
            "contextType must be one of",
        ),
        (
            ACME_CRM_SCHEMA.replace(r#""API_KEY":"value""#, r#""TOKEN":"value""#),
            "n8nCredentialMapping key 'TOKEN' is not a secret or metadata field",
        ),
        (
            ACME_CRM_SCHEMA.replace(r#"{"API_KEY":"value"}"#, "{}"),
            "n8nCredentialMapping must map fields",
        ),
        (
            ACME_CRM_SCHEMA.replace(r#""id":"cstm_acme_crm""#, r#""id":"cstm_other""#),
            "does not match integrationId",
        ),
    ];
    for (schema, expected) in cases {
        cli.home.write("work/schema.json", &schema);
        let before = platform.stats();
        let run = set(
            &cli,
            &[
                "cstm_acme_crm",
                "--secret",
                "API_KEY=acme_sk_xxx",
                "--custom-schema-file",
                "schema.json",
                "--process-instance-id",
                "pi_acme_dev",
            ],
        );
        run.assert_code(2);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        assert!(run.stderr.contains("schema.json"), "{}", run.stderr);
        // Only the stats request itself: nothing reached the platform.
        let after = platform.stats();
        assert_eq!(after.1, before.1 + 1, "{expected}: a request was sent");
    }
    assert!(platform.stored("cstm_acme_crm").is_empty());
}

#[test]
fn a_required_secret_field_missing_exits_2_before_any_request() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.home.write(
        "work/schema.json",
        &ACME_CRM_SCHEMA.replace(
            r#"{"key":"API_KEY","label":"API key","type":"password"}"#,
            r#"{"key":"API_KEY","label":"API key","type":"password"},
               {"key":"API_SECRET","label":"Secret","type":"password"},
               {"key":"REGION","label":"Region","type":"string","required":false}"#,
        ),
    );
    let before = platform.stats();
    let run = set(
        &cli,
        &[
            "cstm_acme_crm",
            "--secret",
            "API_KEY=acme_sk_xxx",
            "--custom-schema-file",
            "schema.json",
            "--process-instance-id",
            "pi_acme_dev",
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("API_SECRET") && !run.stderr.contains("REGION"),
        "{}",
        run.stderr
    );
    assert_eq!(platform.stats().1, before.1 + 1, "a request was sent");
}

#[test]
fn the_schema_context_type_is_the_default_and_the_flag_still_wins() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.home.write(
        "work/schema.json",
        &ACME_CRM_SCHEMA.replace("process_instance", "organization"),
    );
    let args = [
        "cstm_acme_crm",
        "--secret",
        "API_KEY=acme_sk_xxx",
        "--custom-schema-file",
        "schema.json",
    ];
    let run = set(&cli, &args);
    assert!(
        run.assert_code(0)
            .stdout
            .contains("  Context:    organization"),
        "{}",
        run.stdout
    );
    let stored = &platform.stored("cstm_acme_crm")[0];
    assert_eq!(str_at(stored, "contextType"), "organization");

    let mut flagged = args.to_vec();
    flagged.extend(["--context-type", "process_instance"]);
    let run = set(&cli, &flagged);
    assert!(
        run.assert_code(2).stderr.contains("process instance"),
        "{}",
        run.stderr
    );
}
