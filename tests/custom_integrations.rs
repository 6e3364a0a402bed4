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
    run.fails(2, "API_SECRET");
    assert!(!run.stderr.contains("REGION"), "{}", run.stderr);
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

/// A use case whose config.ts lists two custom integrations among the
/// usual noise (calls, imports from packages and from a relative file).
fn config_ts_use_case(dir: &TempDir, crm_context: &str, crm_key: &str) -> std::path::PathBuf {
    let use_case = use_case(dir, "crm-sync");
    dir.write(
        "crm-sync/integrations.ts",
        &format!(
            r#"import type {{ CustomIntegrationSchema }} from 'codika';

export const crm = {{
  id: 'cstm_acme_crm',
  name: 'Acme CRM',
  description: `Contacts for {{{{ACCOUNT}}}}`,
  contextType: '{crm_context}',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: {{ {crm_key}: 'value' }},
  secretFields: [{{ key: '{crm_key}', label: 'API key', type: 'password' }}],
  metadataFields: [{{ key: 'REGION', label: 'Region', type: 'string', required: false }}],
}} satisfies CustomIntegrationSchema;
"#
        ),
    );
    dir.write(
        "crm-sync/config.ts",
        r#"import crypto from 'crypto';
import { loadAndEncodeWorkflow, type ProcessDeploymentConfigurationInput } from 'codika';
import { crm } from './integrations';

const weather = {
  id: 'cstm_weather',
  name: 'Weather',
  contextType: 'organization',
  n8nCredentialType: 'none',
  secretFields: [{ key: 'WEATHER_KEY', label: 'Key', type: 'password' }],
};

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'CRM sync',
    deploymentId: crypto.randomUUID(),
    workflows: [loadAndEncodeWorkflow('./workflows/sync.json')],
    customIntegrations: [crm, weather],
  };
}
"#,
    );
    use_case
}

#[test]
fn set_from_config_ts_stores_the_schema_and_list_shows_it() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = config_ts_use_case(&dir, "process_instance", "API_KEY");
    let path = use_case.to_str().unwrap();
    let run = set(
        &cli,
        &[
            "cstm_acme_crm",
            "--secret",
            "API_KEY=acme_sk_xxx",
            "--path",
            path,
        ],
    );
    run.assert_code(0);
    for line in [
        "  Context:    process_instance",
        "  Instance:   pi_acme_dev",
        "  Schema:     auto-extracted from config.ts",
        "✓ cstm_acme_crm integration created successfully!",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    let stored = &platform.stored("cstm_acme_crm")[0];
    let schema = field(stored, "customIntegrationSchema");
    assert_eq!(str_at(schema, "description"), "Contacts for {{ACCOUNT}}");
    assert_eq!(
        str_at(&items(field(schema, "metadataFields"))[0], "key"),
        "REGION"
    );
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "acme_sk_xxx");

    let list = cli.integration("list", &["--path", path, "--json"]);
    list.assert_code(0);
    let listed = list.json();
    let custom = items(field(field(&listed, "data"), "integrations"))
        .iter()
        .find(|i| str_at(i, "integrationId") == "cstm_acme_crm")
        .cloned()
        .unwrap_or_else(|| panic!("cstm_acme_crm not listed: {}", list.stdout));
    assert_eq!(str_at(field(&custom, "customSchema"), "name"), "Acme CRM");
    let human = cli.integration("list", &["--path", path]);
    assert!(
        human.assert_code(0).stdout.contains("cstm_acme_crm"),
        "{}",
        human.stdout
    );
}

#[test]
fn config_ts_context_type_is_the_default() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = config_ts_use_case(&dir, "process_instance", "API_KEY");
    // cstm_weather says organization: no instance needed or sent.
    let run = set(
        &cli,
        &[
            "cstm_weather",
            "--secret",
            "WEATHER_KEY=wk_123456",
            "--path",
            use_case.to_str().unwrap(),
        ],
    );
    assert!(
        run.assert_code(0)
            .stdout
            .contains("  Context:    organization"),
        "{}",
        run.stdout
    );
    let stored = &platform.stored("cstm_weather")[0];
    assert_eq!(str_at(stored, "contextType"), "organization");
    assert!(!has(stored, "processInstanceId"));
}

#[test]
fn config_ts_schema_the_platform_would_refuse_exits_2_before_any_request() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = config_ts_use_case(&dir, "process_instance", "api_key");
    let before = platform.stats();
    let run = set(
        &cli,
        &[
            "cstm_acme_crm",
            "--secret",
            "api_key=acme_sk_xxx",
            "--path",
            use_case.to_str().unwrap(),
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("secretFields key 'api_key' must be UPPER_SNAKE_CASE")
            && run.stderr.contains("auto-extracted from config.ts"),
        "{}",
        run.stderr
    );
    assert_eq!(platform.stats().1, before.1 + 1, "a request was sent");
}

#[test]
fn config_ts_it_cannot_evaluate_exits_2_pointing_at_the_spot() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = use_case(&dir, "dynamic");
    dir.write(
        "dynamic/config.ts",
        "export function getConfiguration() {\n  return {\n    customIntegrations: buildIntegrations(process.env),\n  };\n}\n",
    );
    let before = platform.stats();
    let run = set(
        &cli,
        &[
            "cstm_acme_crm",
            "--secret",
            "API_KEY=acme_sk_xxx",
            "--path",
            use_case.to_str().unwrap(),
            "--json",
        ],
    );
    run.assert_code(2);
    assert_json_error(&run, "VALIDATION_ERROR");
    let message = str_at(field(&run.json(), "error"), "message").to_string();
    assert!(
        message.contains("config.ts:3:25: ")
            && message.contains("a function call `buildIntegrations(`")
            && message.contains("--custom-schema-file"),
        "{message}"
    );
    assert_eq!(platform.stats().1, before.1 + 1, "a request was sent");
}

#[test]
fn delete_finds_a_custom_integration_in_its_config_ts_context() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = config_ts_use_case(&dir, "process_instance", "API_KEY");
    let path = use_case.to_str().unwrap();
    set(
        &cli,
        &[
            "cstm_weather",
            "--secret",
            "WEATHER_KEY=wk_123456",
            "--path",
            path,
        ],
    )
    .assert_code(0);
    assert_eq!(platform.stored("cstm_weather").len(), 1);
    // cstm_weather is an organization integration per config.ts: without
    // --context-type, delete looks there, not in the process instance.
    let run = cli.integration("delete", &["cstm_weather", "--path", path, "--confirm"]);
    run.assert_code(0);
    assert!(platform.stored("cstm_weather").is_empty(), "{}", run.stdout);
}
