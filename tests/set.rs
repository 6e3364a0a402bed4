//! `codika integration set`: every example of the documentation, every row
//! of its option table, the secret merge priority and both key types.

mod support;

use support::*;

#[test]
fn example_simple_api_key() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let run = cli.set_openai("sk-proj-xxx", &[]);
    run.assert_code(0);
    for line in [
        "Configuring openai...",
        "  Context:    organization",
        "  Secrets:    1 field(s)",
        "  Encrypting secrets...",
        "  Creating integration...",
        "✓ openai integration created successfully!",
        "  n8n Credential ID: n8n_cred_",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-proj-xxx");
    let stored = &platform.stored("openai")[0];
    assert_eq!(
        str_at(stored, "algorithm"),
        "HPKE-X25519-SHA256-CHACHA20POLY1305"
    );
    let metadata = field(stored, "metadata");
    assert_eq!(str_at(metadata, "installedBy"), "cli");
    assert!(matches!(
        field(metadata, "hasValidTokens"),
        miniserde::json::Value::Bool(true)
    ));
    let connected_at = str_at(metadata, "connectedAt");
    assert!(
        connected_at.len() == 24
            && connected_at.ends_with('Z')
            && connected_at.as_bytes()[19] == b'.',
        "{connected_at}"
    );
    // Setting again updates.
    let again = cli.set_openai("sk-proj-yyy", &[]);
    assert!(
        again
            .assert_code(0)
            .stdout
            .contains("✓ openai integration updated successfully!")
    );
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-proj-yyy");
}

#[test]
fn example_multi_field_credentials_with_path() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = use_case(&dir, "my-use-case");
    let run = cli.integration(
        "set",
        &[
            "supabase",
            "--secret",
            "SUPABASE_HOST=https://abc.supabase.co",
            "--secret",
            "SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiJ9...",
            "--path",
            use_case.to_str().unwrap(),
        ],
    );
    run.says("  Context:    process_instance\n  Instance:   pi_acme_dev\n  Secrets:    2 field(s)");
    let stored = &platform.stored("supabase")[0];
    assert_eq!(str_at(stored, "processInstanceId"), "pi_acme_dev");
    assert_eq!(str_at(stored, "organizationId"), "org_acme");
    assert_eq!(
        platform.secret("supabase", "SUPABASE_SERVICE_ROLE_KEY"),
        "eyJhbGciOiJIUzI1NiJ9..."
    );
}

#[test]
fn example_json_input_for_automation() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "anthropic",
        "--secrets",
        r#"{"ANTHROPIC_API_KEY":"sk-ant-xxx"}"#,
        "--json",
    ]);
    run.assert_code(0);
    let body = run.json();
    assert!(matches!(
        field(&body, "success"),
        miniserde::json::Value::Bool(true)
    ));
    assert!(str_at(field(&body, "data"), "n8nCredentialId").starts_with("n8n_cred_"));
    assert!(run.stdout.starts_with("{\n  \""), "{}", run.stdout);
    assert_eq!(
        platform.secret("anthropic", "ANTHROPIC_API_KEY"),
        "sk-ant-xxx"
    );
}

#[test]
fn example_custom_integration_schema_auto_extracted_from_config_ts() {
    let platform = Platform::start();
    let dir = TempDir::new();
    let use_case = use_case(&dir, "my-use-case");
    dir.write(
        "my-use-case/config.ts",
        r#"import { loadAndEncodeWorkflow, type ProcessDeploymentConfigurationInput } from 'codika';

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'Invoice Assistant',
    workflows: [loadAndEncodeWorkflow('./workflows/main.json')],
    customIntegrations: [
      {
        id: 'cstm_acme_crm',
        name: 'Acme CRM',
        contextType: 'process_instance',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: { API_KEY: 'value' },
        secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
      },
    ],
  };
}
"#,
    );
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "cstm_acme_crm",
        "--secret",
        "API_KEY=acme_sk_xxx",
        "--path",
        use_case.to_str().unwrap(),
        "--json",
    ]);
    run.assert_code(0);
    assert!(matches!(
        field(&run.json(), "success"),
        miniserde::json::Value::Bool(true)
    ));
    let stored = &platform.stored("cstm_acme_crm")[0];
    assert_eq!(
        str_at(field(stored, "customIntegrationSchema"), "name"),
        "Acme CRM"
    );
    assert_eq!(str_at(stored, "processInstanceId"), "pi_acme_dev");
}

#[test]
fn custom_integration_without_config_ts_says_both_ways() {
    let platform = Platform::start();
    let dir = TempDir::new();
    let use_case = use_case(&dir, "my-use-case");
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "cstm_acme_crm",
        "--secret",
        "API_KEY=acme_sk_xxx",
        "--path",
        use_case.to_str().unwrap(),
        "--json",
    ]);
    run.assert_code(2);
    assert_json_error(&run, "VALIDATION_ERROR");
    let message = str_at(field(&run.json(), "error"), "message").to_string();
    assert!(
        message.contains("--custom-schema-file") && message.contains("config.ts"),
        "{message}"
    );
    assert!(platform.stored("cstm_acme_crm").is_empty());
}

const ACME_CRM_SCHEMA: &str = r#"{"id":"cstm_acme_crm","name":"Acme CRM","contextType":"process_instance",
  "n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{"API_KEY":"value"},
  "secretFields":[{"key":"API_KEY","label":"API key","type":"password"}]}"#;

#[test]
fn example_custom_integration_with_schema_file() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let schema = cli.home.write("work/schema.json", ACME_CRM_SCHEMA);
    let run = cli.integration(
        "set",
        &[
            "cstm_acme_crm",
            "--secret",
            "API_KEY=acme_sk_xxx",
            "--custom-schema-file",
            "./schema.json",
            "--process-instance-id",
            "pi_acme_dev",
        ],
    );
    run.says("  Schema:     from ./schema.json");
    let stored = &platform.stored("cstm_acme_crm")[0];
    assert_eq!(
        str_at(field(stored, "customIntegrationSchema"), "name"),
        "Acme CRM"
    );
    assert_eq!(str_at(stored, "processInstanceId"), "pi_acme_dev");
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), "acme_sk_xxx");
    // A schema file that is not JSON, or missing, names itself.
    cli.home.write("work/broken.json", "{");
    for file in ["broken.json", "missing.json"] {
        let run = cli.integration(
            "set",
            &[
                "cstm_acme_crm",
                "--secret",
                "API_KEY=x",
                "--custom-schema-file",
                file,
                "--process-instance-id",
                "pi_acme_dev",
            ],
        );
        assert!(run.assert_code(2).stderr.contains(file), "{}", run.stderr);
    }
    drop(schema);
}

#[test]
fn a_set_is_one_key_fetch_and_one_create_on_one_connection() {
    for platform in [Platform::start(), Platform::start_rsa()] {
        let cli = Cli::owner(&platform);
        let set = [
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-a",
        ];
        assert_eq!(platform.cost(|| cli.run(&set)), (1, 2), "set: key + create");
        // An update costs the same: no lookup before the create.
        assert_eq!(platform.cost(|| cli.run(&set)), (1, 2), "set again");
        let forced = [&set[..], &["--force"]].concat();
        assert_eq!(
            platform.cost(|| cli.run(&forced)),
            (1, 4),
            "--force adds who depends on it and the delete, not a connection"
        );
        let list = ["integration", "list"];
        assert_eq!(platform.cost(|| cli.run(&list)), (1, 1), "list");
        // Printed on a terminal, the activate commands need the ids of the
        // instances it deactivates, which only the unconfirmed request names.
        let delete = ["integration", "delete", "openai", "--confirm"];
        assert_eq!(
            platform.cost(|| cli.run(&delete)),
            (1, 3),
            "delete: whether it exists + who depends on it + delete"
        );
        cli.run(&[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-a",
        ]);
        let quiet = [&delete[..], &["--json"]].concat();
        assert_eq!(
            platform.cost(|| cli.run(&quiet)),
            (1, 2),
            "delete --json: whether it exists + delete"
        );
    }
}

#[test]
fn example_force_overwrite_deletes_then_creates_on_one_connection() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-old", &[]).assert_code(0);
    let before = platform.stats();
    let run = cli.set_openai("sk-new-key", &["--force"]);
    let after = platform.stats();
    run.says("  Force:      yes")
        .says("  Deleting existing integration (--force)...");
    // Deleted and created anew.
    assert!(
        run.stdout
            .contains("✓ openai integration created successfully!"),
        "{}",
        run.stdout
    );
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-new-key");
    assert!(
        !platform.active("pi_acme_dev"),
        "a forced delete is a confirmed delete"
    );
    // The key fetch, who depends on it, the delete and the create share
    // one connection; the other is the stats request's own.
    assert_eq!(after.0 - before.0, 2, "connections");
    assert_eq!(
        after.1 - before.1,
        5,
        "requests: key, dependents, delete, create, stats"
    );
}

#[test]
fn oauth_integrations_point_to_the_dashboard() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let use_case = use_case(&dir, "uc");
    let run = cli.integration(
        "set",
        &[
            "google_gmail",
            "--secret",
            "X=y",
            "--path",
            use_case.to_str().unwrap(),
        ],
    );
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "⚠ google_gmail requires OAuth authentication.\n  Connect it via the dashboard at: https://app.codika.io/organizations/org_acme/integrations\n"
    );
    // Finding 14: without project.json or a profile, the key's
    // organization is the platform's to tell (verifyapikey, a read).
    let run = cli.integration("set", &["google_gmail"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("https://app.codika.io/organizations/org_acme/integrations"),
        "{}",
        run.stderr
    );
    let run = cli.integration("set", &["slack", "--json"]);
    run.assert_code(2);
    assert_json_error(&run, "OAUTH_REQUIRED");
    assert!(
        str_at(field(&run.json(), "error"), "dashboardUrl")
            .starts_with("https://app.codika.io/organizations/")
    );
}

#[test]
fn secrets_merge_file_then_json_then_flags_across_three_keys() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.home.write("work/secrets.json", r#"{"POSTGRES_HOST":"file-host","POSTGRES_PORT":5432,"POSTGRES_DATABASE":"file-db","POSTGRES_USER":"file-user","POSTGRES_PASSWORD":"file-pass","POSTGRES_SSL":true}"#);
    let run = cli.integration(
        "set",
        &[
            "postgres",
            "--secrets-file",
            "secrets.json",
            "--secrets",
            r#"{"POSTGRES_DATABASE":"json-db","POSTGRES_USER":"json-user"}"#,
            "--secret",
            "POSTGRES_USER=flag-user",
            "--process-instance-id",
            "pi_acme_prod",
        ],
    );
    run.assert_code(0);
    assert!(run.stdout.contains("  Secrets:    6 field(s)"));
    assert_eq!(platform.secret("postgres", "POSTGRES_HOST"), "file-host");
    assert_eq!(platform.secret("postgres", "POSTGRES_DATABASE"), "json-db");
    assert_eq!(platform.secret("postgres", "POSTGRES_USER"), "flag-user");
    assert_eq!(platform.secret("postgres", "POSTGRES_PORT"), "5432");
    assert_eq!(platform.secret("postgres", "POSTGRES_SSL"), "true");
}

#[test]
fn secret_input_errors_exit_2_naming_the_source() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let cases: [(&[&str], &str); 6] = [
        (&["--secrets", "{not json"], "--secrets"),
        (&["--secrets", r#"{"A":null}"#], "A"),
        (&["--secrets", r#"{"A":{"b":1}}"#], "A"),
        (&["--secrets-file", "nope.json"], "nope.json"),
        (&["--secret", "no-equals-sign"], "KEY=VALUE"),
        (&[], "no secrets"),
    ];
    for (extra, needle) in cases {
        let mut args = vec!["integration", "set", "openai"];
        args.extend_from_slice(extra);
        let run = cli.run(&args);
        run.assert_code(2);
        assert!(run.stderr.contains(needle), "{extra:?}: {}", run.stderr);
    }
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn registry_warnings_for_unexpected_and_missing_fields() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "twilio",
        "--secret",
        "TWILIO_ACCOUNT_SID=AC1",
        "--secret",
        "TWILIO_TOKEN=t",
    ]);
    // The platform refuses the missing field: a validation error, exit 2,
    // after our warnings.
    run.fails(2, "⚠ Unexpected secret field \"TWILIO_TOKEN\" for twilio. Expected: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN");
    assert!(
        run.stderr
            .contains("⚠ Missing required field \"TWILIO_AUTH_TOKEN\" (Twilio auth token)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("MISSING_REQUIRED_FIELDS"),
        "{}",
        run.stderr
    );
}

#[test]
fn metadata_adds_string_entries() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai(
        "sk-m",
        &[
            "--metadata",
            "team=growth",
            "--metadata",
            "hasValidTokens=false",
        ],
    )
    .assert_code(0);
    let metadata = field(&platform.stored("openai")[0], "metadata").clone();
    assert_eq!(str_at(&metadata, "team"), "growth");
    assert_eq!(str_at(&metadata, "hasValidTokens"), "false");
    let run = cli.set_openai("sk-m", &["--metadata", "novalue"]);
    assert!(run.assert_code(2).stderr.contains("--metadata"));
}

#[test]
fn context_type_flag_overrides_the_registry() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-member", &["--context-type", "member"])
        .assert_code(0);
    let stored = &platform.stored("openai")[0];
    assert_eq!(str_at(stored, "contextType"), "member");
    assert_eq!(str_at(stored, "memberId"), "mem_owner");
    let run = cli.set_openai("x", &["--context-type", "team"]);
    assert!(
        run.assert_code(2)
            .stderr
            .contains("organization or member or process_instance"),
        "{}",
        run.stderr
    );
    // A cstm_* defaults to its schema's context, here process_instance.
    cli.home.write(
        "work/thing.json",
        &ACME_CRM_SCHEMA.replace("cstm_acme_crm", "cstm_thing"),
    );
    let run = cli.integration(
        "set",
        &[
            "cstm_thing",
            "--secret",
            "API_KEY=v",
            "--custom-schema-file",
            "thing.json",
        ],
    );
    assert!(
        run.assert_code(2).stderr.contains("process instance"),
        "{}",
        run.stderr
    );
}

#[test]
fn process_instance_context_without_an_instance_says_both_ways() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "supabase",
        "--secret",
        "SUPABASE_HOST=h",
        "--secret",
        "SUPABASE_SERVICE_ROLE_KEY=k",
    ]);
    run.fails(2, "--process-instance-id").fails(2, "--path");
}

#[test]
fn environment_prod_picks_the_prod_instance() {
    let platform = Platform::start();
    let dir = TempDir::new();
    let use_case = use_case(&dir, "uc");
    Cli::owner(&platform)
        .run(&[
            "integration",
            "set",
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h","SUPABASE_SERVICE_ROLE_KEY":"k"}"#,
            "--path",
            use_case.to_str().unwrap(),
            "--environment",
            "prod",
        ])
        .assert_code(0);
    assert_eq!(
        str_at(&platform.stored("supabase")[0], "processInstanceId"),
        "pi_acme_prod"
    );
}

#[test]
fn project_file_relative_to_path_or_absolute() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    dir.write(
        "uc/config/project.prod.json",
        r#"{"organizationId":"org_acme","devProcessInstanceId":"pi_acme_prod"}"#,
    );
    let uc = dir.path().join("uc");
    let args = |project_file: String| -> Vec<String> {
        [
            "integration",
            "set",
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h","SUPABASE_SERVICE_ROLE_KEY":"k"}"#,
            "--path",
            uc.to_str().unwrap(),
            "--project-file",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([project_file])
        .collect()
    };
    let relative = args("config/project.prod.json".into());
    cli.run(&relative.iter().map(String::as_str).collect::<Vec<_>>())
        .assert_code(0);
    assert_eq!(
        str_at(&platform.stored("supabase")[0], "processInstanceId"),
        "pi_acme_prod"
    );
    let absolute = args(uc.join("config/project.prod.json").to_str().unwrap().into());
    cli.run(&absolute.iter().map(String::as_str).collect::<Vec<_>>())
        .assert_code(0);
    // A named project file that is missing or broken is an error naming it.
    let missing = args("nope.json".into());
    let run = cli.run(&missing.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        run.assert_code(2).stderr.contains("nope.json"),
        "{}",
        run.stderr
    );
    dir.write("uc/bad.json", "{oops");
    let bad = args("bad.json".into());
    let run = cli.run(&bad.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        run.assert_code(2).stderr.contains("bad.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn rsa_platform_gets_rsa_envelopes() {
    let platform = Platform::start_rsa();
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-rsa-value",
    ]);
    run.assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-rsa-value");
    assert_eq!(
        str_at(&platform.stored("openai")[0], "algorithm"),
        "RSA-OAEP-256+A256GCM"
    );
}

#[test]
fn public_key_from_a_file_or_another_url() {
    let platform = Platform::start_rsa();
    let cli = Cli::owner(&platform);
    let pem = cli.home.write("work/platform.pem", &platform.public_pem());
    // Air-gapped: the key file; the key URL given points nowhere, proving the file wins.
    cli.set_openai(
        "from-file",
        &[
            "--public-key-file",
            pem.to_str().unwrap(),
            "--public-key-url",
            "http://127.0.0.1:9/none.pem",
        ],
    )
    .assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "from-file");
    let url = format!("{}/encryption/public.pem", platform.base);
    cli.set_openai("from-url", &["--public-key-url", &url])
        .assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "from-url");
    // The environment variables, file first.
    cli.env("CODIKA_PUBLIC_KEY_URL", "http://127.0.0.1:9/none.pem");
    cli.env("CODIKA_PUBLIC_KEY_FILE", pem.to_str().unwrap());
    cli.set_openai("from-env-file", &[]).assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "from-env-file");
}

#[test]
fn a_bad_public_key_stops_before_anything_is_sent() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let bad = cli.home.write(
        "work/bad.pem",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    );
    let run = cli.set_openai("sk-x", &["--public-key-file", bad.to_str().unwrap()]);
    run.fails(1, "bad.pem");
    let url = format!("{}/no-such.pem", platform.base);
    let run = cli.set_openai("sk-x", &["--public-key-url", &url, "--json"]);
    run.assert_code(1);
    assert!(str_at(field(&run.json(), "error"), "message").contains("/no-such.pem"));
    assert!(platform.stored("openai").is_empty());
}

/// Finding 25: a key that is no declared field and looks like a value is
/// never sent, whatever the id: one neither built in nor `cstm_*` (a typo),
/// or a `cstm_*` key outside its schema's `secretFields`; by set, its dry
/// run, and with every secret source. A name outside the schema warns as a
/// built-in's unexpected field does (exit 2 with --force).
#[test]
fn value_looking_keys_are_refused_for_every_integration_id() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("AKIAIOSFODNN7EXAMPLE")
        .secret("sk-live-1234")
        .secret("abcdefghij1234");
    let schema = cli.home.write("work/schema.json", ACME_CRM_SCHEMA);
    let custom = [
        "cstm_acme_crm",
        "--custom-schema-file",
        "./schema.json",
        "--process-instance-id",
        "pi_acme_dev",
        "--secret",
        "API_KEY=acme_sk_xxx",
    ];
    let runs: Vec<Vec<&str>> = vec![
        vec!["foo_bar", "--secrets", r#"{"AKIAIOSFODNN7EXAMPLE":"x"}"#],
        vec!["foo_bar", "--secrets", r#"{"sk-live-1234":"x"}"#],
        vec!["foo_bar", "--secret", "abcdefghij1234=xyz"],
        vec!["foo_bar", "--secret", "abcdefghij1234=xyz", "--dry-run"],
        [&custom[..], &["--secret", "AKIAIOSFODNN7EXAMPLE=y"]].concat(),
        [
            &custom[..],
            &["--secret", "AKIAIOSFODNN7EXAMPLE=y", "--dry-run"],
        ]
        .concat(),
    ];
    for args in &runs {
        let run = cli.integration("set", args);
        run.fails(2, "look like values")
            .fails(2, "nothing was sent");
        assert!(!run.stderr.contains("Configuring"), "{}", run.stderr);
    }
    assert_eq!(platform.changes(), 0, "nothing was sent");
    assert!(platform.stored("foo_bar").is_empty());
    // A name is sent for an unknown id, with a warning naming it.
    let run = cli.integration("set", &["foo_bar", "--secret", "API_KEY=xyz"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("foo_bar is not a built-in integration (nor cstm_*)"),
        "{}",
        run.stderr
    );
    // A name outside the custom schema: a warning, exit 2 with --force.
    let extra = [&custom[..], &["--secret", "EXTRA_NAME=y"]].concat();
    let run = cli.integration("set", &extra);
    run.assert_code(0);
    assert!(
        run.stderr.contains(
            "Unexpected secret field \"EXTRA_NAME\" for cstm_acme_crm. Expected: API_KEY"
        ),
        "{}",
        run.stderr
    );
    let changes = platform.changes();
    cli.integration("set", &[&extra[..], &["--force"]].concat())
        .fails(2, "Unexpected secret field \"EXTRA_NAME\"");
    assert_eq!(platform.changes(), changes, "--force sent nothing");
    drop(schema);
}

/// Finding 21: `--force` says what its confirmed delete deactivated, with
/// the activate commands (human and `--json`); a create refused after the
/// delete says the integration is gone and lists what stays deactivated.
#[test]
fn force_reports_what_its_delete_deactivated_and_a_failed_create_the_loss() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-old", &[]).assert_code(0);
    let run = cli.set_openai("sk-new", &["--force"]);
    run.says("  2 process instance(s) deactivated by the --force delete.")
        .says("  codika instance activate pi_acme_dev\n")
        .says("  codika instance activate pi_acme_prod\n");
    for instance in ["pi_acme_dev", "pi_acme_prod"] {
        cli.run(&["instance", "activate", instance]).assert_code(0);
    }
    let run = cli.set_openai("sk-new", &["--force", "--json"]);
    run.assert_code(0);
    let data = field(&run.json(), "data").clone();
    let deactivated = field(&data, "deactivated");
    assert_eq!(u64_at(deactivated, "count"), 2, "{}", run.stdout);
    assert_eq!(
        items(field(deactivated, "activate")).len(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        str_at(&data, "message").contains("created"),
        "{}",
        run.stdout
    );

    // The create refused after the delete: nothing left, and said so.
    for instance in ["pi_acme_dev", "pi_acme_prod"] {
        cli.run(&["instance", "activate", instance]).assert_code(0);
    }
    platform.answer(
        "/createintegrationpublic",
        r#"{"success":false,"error":{"code":"INTERNAL","message":"boom"}}"#,
    );
    let run = cli.set_openai("sk-new", &["--force", "--api-key", OWNER]);
    run.fails(1, "openai was deleted (--force) and not re-created: boom")
        .fails(1, "2 process instance(s) were deactivated by the delete")
        .fails(1, "    codika instance activate pi_acme_dev\n")
        .fails(1, "(add your --api-key again; it is not shown)");
    assert!(platform.stored("openai").is_empty());
    for instance in ["pi_acme_dev", "pi_acme_prod"] {
        cli.run(&["instance", "activate", instance]).assert_code(0);
    }
    cli.set_openai("sk-new", &[]).assert_code(1);
    let run = cli.set_openai("sk-new", &["--force", "--json"]);
    run.assert_code(1);
    let error = field(&run.json(), "error").clone();
    assert_eq!(str_at(&error, "code"), "INTERNAL");
    assert!(str_at(&error, "message").contains("not re-created"));
    assert!(matches!(
        field(&error, "deleted"),
        miniserde::json::Value::Bool(true)
    ));
    assert_eq!(
        items(field(&error, "processInstanceIds")).len(),
        2,
        "{}",
        run.stdout
    );
}
