/*!
`codika rerun deployment` and `codika instance activate|deactivate`, end to
end against the emulator (docs/deployments.md): the documentation's recipe
with this binary alone, the parameter merge order, a confirmed delete
undone by `instance activate`, and each error with its exit code and one
`--json` document.
*/

mod support;

use miniserde::json::Value;
use std::path::{Path, PathBuf};
use support::*;

fn invoice_assistant() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/use_cases/invoice_assistant")
}

fn path(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// The emulator's view of `instance`'s deployment.
fn deployment(platform: &Platform, instance: &str) -> Value {
    let dump = platform.dump();
    let found = items(field(&dump, "processInstances"))
        .iter()
        .find(|p| str_at(p, "processInstanceId") == instance)
        .cloned()
        .unwrap();
    field(&found, "deployment").clone()
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

#[test]
fn the_documented_recipe_runs_with_this_binary_alone() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = invoice_assistant();
    let rerun = [
        "rerun",
        "deployment",
        "--path",
        path(&uc),
        "--force",
        "--json",
    ];

    // Before any credential: the platform reruns and fails (exit 1).
    let before = cli.run(&rerun);
    before.assert_code(1);
    let data = field(&before.json(), "data").clone();
    assert_eq!(str_at(&data, "deploymentStatus"), "failed");
    assert_eq!(str_at(&data, "processInstanceId"), "pi_acme_dev");
    assert!(strings(field(&data, "n8nWorkflowIds")).is_empty());
    assert_eq!(
        strings(field(&data, "missingIntegrations")),
        ["openai", "supabase", "cstm_acme_crm"]
    );

    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secrets",
        r#"{"OPENAI_API_KEY":"sk-recipe"}"#,
    ])
    .assert_code(0);
    cli.run(&[
        "integration",
        "set",
        "supabase",
        "--secrets",
        r#"{"SUPABASE_HOST":"https://abc.supabase.co","SUPABASE_SERVICE_ROLE_KEY":"eyJ-recipe"}"#,
        "--path",
        path(&uc),
    ])
    .assert_code(0);
    // Still one missing: the rerun names it.
    let partial = cli.run(&rerun);
    partial.assert_code(1);
    assert_eq!(
        strings(field(field(&partial.json(), "data"), "missingIntegrations")),
        ["cstm_acme_crm"]
    );
    // The custom integration, its schema read from config.ts.
    cli.run(&[
        "integration",
        "set",
        "cstm_acme_crm",
        "--secret",
        "API_KEY=acme-recipe",
        "--path",
        path(&uc),
    ])
    .assert_code(0);

    let after = cli.run(&rerun);
    after.assert_code(0);
    let body = after.json();
    assert!(bool_at(&body, "success"));
    let data = field(&body, "data");
    assert_eq!(str_at(data, "deploymentStatus"), "deployed");
    assert_eq!(str_at(data, "deploymentInstanceId"), "di_acme_dev");
    assert_eq!(
        strings(field(data, "n8nWorkflowIds")),
        ["wf_acme_dev_main", "wf_acme_dev_notes"]
    );
    assert!(!has(data, "missingIntegrations"));
    assert!(
        after
            .stdout
            .starts_with("{\n  \"success\": true,\n  \"data\": {\n    \"processInstanceId\""),
        "{}",
        after.stdout
    );
    assert_eq!(
        str_at(&deployment(&platform, "pi_acme_dev"), "deploymentStatus"),
        "deployed"
    );

    // The human output says so, and -q prints nothing on success.
    let human = cli.run(&["rerun", "deployment", "--path", path(&uc), "--force"]);
    human.says("✓ Deployment rerun successfully!");
    human.says("Workflows:       2 deployed");
    let quiet = cli.run(&["rerun", "deployment", "--path", path(&uc), "--force", "-q"]);
    quiet.assert_code(0);
    assert_eq!(quiet.stdout, "");
}

#[test]
fn a_failed_rerun_says_what_is_missing_and_how_to_rerun() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = invoice_assistant();
    let run = cli.run(&["rerun", "deployment", "--path", path(&uc)]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("✗ Deployment rerun failed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Not connected:   openai, supabase, cstm_acme_crm"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "  codika rerun deployment --path {} --force\n",
            path(&uc)
        )),
        "{}",
        run.stdout
    );
    let quiet = cli.run(&["rerun", "deployment", "--path", path(&uc), "--quiet"]);
    quiet.assert_code(1);
    assert_eq!(quiet.stdout, "");
    assert!(
        quiet
            .stderr
            .contains("ended failed (not connected: openai, supabase, cstm_acme_crm)"),
        "{}",
        quiet.stderr
    );
}

#[test]
fn parameters_merge_file_then_json_then_each_param() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let file = dir.write("params.json", r#"{"A":"file","B":"file","C":"file","N":3}"#);
    let run = cli.run(&[
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--params-file",
        path(&file),
        "--params",
        r#"{"B":"params","C":"params"}"#,
        "--param",
        "C=param=with=equals",
        "--json",
    ]);
    run.assert_code(1);
    let parameters = field(&deployment(&platform, "pi_acme_dev"), "parameters").clone();
    assert_eq!(str_at(&parameters, "A"), "file");
    assert_eq!(str_at(&parameters, "B"), "params");
    assert_eq!(str_at(&parameters, "C"), "param=with=equals");
    // JSON values keep their type; the deployment's own stay.
    assert_eq!(u64_at(&parameters, "N"), 3);
    assert_eq!(str_at(&parameters, "LANGUAGE"), "en");

    // None given: nothing is sent, the deployment keeps them.
    cli.run(&[
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--json",
    ])
    .assert_code(1);
    let kept = field(&deployment(&platform, "pi_acme_dev"), "parameters").clone();
    assert_eq!(
        miniserde::json::to_string(&kept),
        miniserde::json::to_string(&parameters)
    );

    // A --param without = and a --params that is no object: exit 2, unechoed.
    for (args, needle) in [
        (&["--param", "SECRETISH"][..], "expected KEY=VALUE"),
        (&["--param", "=v"], "expected KEY=VALUE"),
        (
            &["--params", "[\"s3cr3t\"]"],
            "--params must be a JSON object",
        ),
        (&["--params", "{s3cr3t"], "--params is not valid JSON"),
    ] {
        let mut argv = vec![
            "rerun",
            "deployment",
            "--process-instance-id",
            "pi_acme_dev",
        ];
        argv.extend_from_slice(args);
        let run = cli.run(&argv);
        run.fails(2, needle);
        assert!(
            !run.stderr.contains("SECRETISH") && !run.stderr.contains("s3cr3t"),
            "{}",
            run.stderr
        );
        let mut json = argv.clone();
        json.push("--json");
        let run = cli.run(&json);
        run.assert_code(2);
        assert_json_error(&run, "VALIDATION_ERROR");
    }
}

#[test]
fn a_confirmed_delete_is_undone_by_instance_activate() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-o",
    ])
    .assert_code(0);
    let delete = cli.run(&["integration", "delete", "openai", "--confirm"]);
    delete.assert_code(0);
    assert!(
        delete.stdout.contains("2 process instance(s) deactivated."),
        "{}",
        delete.stdout
    );
    for instance in ["pi_acme_dev", "pi_acme_prod"] {
        assert!(
            delete
                .stdout
                .contains(&format!("  codika instance activate {instance}\n")),
            "{}",
            delete.stdout
        );
        assert!(!platform.active(instance), "{instance}");
    }

    let run = cli.run(&["instance", "activate", "pi_acme_dev", "--json"]);
    run.assert_code(0);
    let body = run.json();
    assert!(bool_at(&body, "success"));
    assert_eq!(
        str_at(field(&body, "data"), "processInstanceId"),
        "pi_acme_dev"
    );
    assert!(bool_at(field(&body, "data"), "isActive"));
    assert_eq!(u64_at(field(&body, "data"), "workflowCount"), 2);
    assert!(platform.active("pi_acme_dev"));
    assert!(!platform.active("pi_acme_prod"));

    // From project.json, for --environment prod.
    let dir = TempDir::new();
    let uc = use_case(&dir, "uc");
    cli.run(&[
        "instance",
        "activate",
        "--path",
        path(&uc),
        "--environment",
        "prod",
    ])
    .says("✓ Instance activated");
    assert!(platform.active("pi_acme_prod"));
    cli.run(&["instance", "deactivate", "--path", path(&uc)])
        .says("Workflows:    2 paused");
    assert!(!platform.active("pi_acme_dev"));
    // --dry-run sends nothing.
    cli.run(&["instance", "activate", "pi_acme_dev", "--dry-run"])
        .says("Would send: POST /activateprocessinstancepublic");
    assert!(!platform.active("pi_acme_dev"));
}

#[test]
fn errors_have_their_exit_code_and_one_json_document() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // Unknown, and another organization's: the same 404.
    for instance in ["pi_nope", "pi_globex_dev"] {
        let run = cli.run(&[
            "rerun",
            "deployment",
            "--process-instance-id",
            instance,
            "--json",
        ]);
        run.assert_code(1);
        assert_json_error(&run, "PROCESS_INSTANCE_NOT_FOUND");
        let run = cli.run(&["instance", "activate", instance, "--json"]);
        run.assert_code(1);
        assert_json_error(&run, "PROCESS_INSTANCE_NOT_FOUND");
    }
    // A deployed deployment without --force: 409, nothing rerun.
    let run = cli.run(&[
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_prod",
        "--json",
    ]);
    run.assert_code(1);
    assert_json_error(&run, "DEPLOYMENT_NOT_FAILED");
    cli.run(&[
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_prod",
    ])
    .fails(1, "DEPLOYMENT_NOT_FAILED");

    // No instance anywhere: exit 2, naming both ways.
    for (args, way) in [
        (&["rerun", "deployment"][..], "--process-instance-id ID"),
        (&["instance", "activate"], "it as the argument"),
        (
            &["instance", "deactivate", "--environment", "prod"],
            "prodProcessInstanceId",
        ),
    ] {
        let run = cli.run(args);
        run.fails(2, way);
        assert!(run.stderr.contains("project.json"), "{}", run.stderr);
        let mut json = args.to_vec();
        json.push("--json");
        let run = cli.run(&json);
        run.assert_code(2);
        assert_json_error(&run, "VALIDATION_ERROR");
    }

    // A key without deploy:use-case.
    let other = Cli::new(&platform);
    other.env("CODIKA_API_KEY", OTHER_ORG);
    for args in [
        &[
            "rerun",
            "deployment",
            "--process-instance-id",
            "pi_acme_dev",
            "--json",
        ][..],
        &["instance", "deactivate", "pi_acme_dev", "--json"],
    ] {
        let run = other.run(args);
        run.assert_code(1);
        assert_json_error(&run, "INSUFFICIENT_SCOPE");
        assert!(str_at(field(&run.json(), "error"), "message").contains("deploy:use-case"));
    }
    assert!(platform.active("pi_acme_dev"));
}

#[test]
fn an_answer_of_the_wrong_shape_is_exit_1_naming_what_is_wrong() {
    for (body, what) in [
        (
            r#"{"success":true,"data":{"deploymentStatus":7,"deploymentInstanceId":"d","n8nWorkflowIds":[]},"requestId":"r"}"#,
            "unexpected answer from the platform (/redeploydeploymentinstancepublic: data.deploymentStatus is a number, not a string)",
        ),
        (
            r#"{"success":true,"data":{"deploymentStatus":"deployed","deploymentInstanceId":"d"},"requestId":"r"}"#,
            "unexpected answer from the platform (/redeploydeploymentinstancepublic: data.n8nWorkflowIds is missing)",
        ),
    ] {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let gateway = Gateway::start(response.into_bytes());
        let cli = Cli::bare();
        cli.env("CODIKA_BASE_URL", &gateway.base);
        cli.env("CODIKA_API_KEY", OWNER);
        let run = cli.run(&[
            "rerun",
            "deployment",
            "--process-instance-id",
            "pi_x",
            "--json",
        ]);
        run.assert_code(1);
        assert_json_error(&run, "UNEXPECTED_RESPONSE");
        assert_eq!(str_at(field(&run.json(), "error"), "message"), what);
    }
}

#[test]
fn dry_run_checks_and_sends_nothing() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let run = cli.run(&[
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--param",
        "LANGUAGE=fr",
        "--force",
        "--dry-run",
        "--json",
    ]);
    run.assert_code(0);
    let body = run.json();
    assert!(bool_at(&body, "dryRun"));
    assert_eq!(
        strings(field(field(&body, "data"), "parameters")),
        ["LANGUAGE"]
    );
    assert!(!run.stdout.contains("\"fr\""), "{}", run.stdout);
    assert_eq!(platform.changes(), 0);
    assert_eq!(
        str_at(&deployment(&platform, "pi_acme_dev"), "deploymentStatus"),
        "failed"
    );
}

#[test]
fn check_says_a_rerun_is_next_when_ready_and_not_deployed() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let uc = invoice_assistant();
    let p = path(&uc);
    for args in [
        &["openai", "--secret", "OPENAI_API_KEY=sk-c"][..],
        &[
            "supabase",
            "--secret",
            "SUPABASE_HOST=h",
            "--secret",
            "SUPABASE_SERVICE_ROLE_KEY=k",
        ],
        &["cstm_acme_crm", "--secret", "API_KEY=a"],
        &["cstm_team_notes", "--secret", "NOTES_TOKEN=n"],
    ] {
        let mut argv = vec!["integration", "set"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["--path", p]);
        cli.run(&argv).assert_code(0);
    }
    let next = format!("codika rerun deployment --path {p} --force");
    let run = cli.run(&["integration", "check", "--path", p]);
    run.says("Next: the deployment is failed; rerun it");
    assert!(
        run.stdout.contains(&format!("    {next}\n")),
        "{}",
        run.stdout
    );
    let json = cli.run(&["integration", "check", "--path", p, "--json"]);
    json.assert_code(0);
    assert_eq!(
        str_at(field(&json.json(), "data"), "deploymentStatus"),
        "failed"
    );
    assert_eq!(str_at(field(&json.json(), "data"), "next"), next);

    // The printed command works; then there is no next step.
    let words: Vec<&str> = next.split(' ').skip(1).collect();
    cli.run(&words).says("✓ Deployment rerun successfully!");
    let run = cli.run(&["integration", "check", "--path", p]);
    run.assert_code(0);
    assert!(!run.stdout.contains("Next:"), "{}", run.stdout);
    assert!(!has(
        field(
            &cli.run(&["integration", "check", "--path", p, "--json"])
                .json(),
            "data"
        ),
        "next"
    ));
}

/// Finding 19: user JSON nested deeper than the platform accepts in a body
/// is refused (exit 2, naming the option or file, nothing sent) before it
/// can overflow the stack; a dry run says the same. One bound for every
/// JSON input: a custom schema file and `--secrets` too.
#[test]
fn json_nested_deeper_than_the_platform_accepts_is_refused_before_sending() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let nested = |depth: usize| {
        format!(
            "{{\"a\":{}{}}}",
            "[".repeat(depth - 1),
            "]".repeat(depth - 1)
        )
    };
    let rerun = [
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--force",
    ];
    let deep_file = dir.write("deep.json", &nested(100_000));
    let deep_file = path(&deep_file);
    let deep = nested(10_000);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--params-file", deep_file], "--params-file "),
        (vec!["--params-file", deep_file, "--json"], "--params-file "),
        (vec!["--params", &deep], "--params nests"),
        (vec!["--params", &deep, "--dry-run"], "--params nests"),
    ];
    let before = platform.paths();
    for (args, needle) in cases {
        let run = cli.run(&[&rerun[..], &args].concat());
        run.fails(2, needle).fails(2, "deeper than 127 levels");
    }
    let schema = dir.write(
        "schema.json",
        &format!(
            r#"{{"id":"cstm_x","name":"X","contextType":"organization","n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{{"API_KEY":"value"}},"secretFields":[{{"key":"API_KEY","label":"K"}}],"extra":{}}}"#,
            nested(200)
        ),
    );
    for dry_run in [&[][..], &["--dry-run"]] {
        let args = [
            &[
                "cstm_x",
                "--secret",
                "API_KEY=x",
                "--custom-schema-file",
                path(&schema),
            ][..],
            dry_run,
        ]
        .concat();
        cli.integration("set", &args)
            .fails(2, "custom schema file")
            .fails(2, "deeper than 127 levels");
    }
    let secrets = format!("{{\"OPENAI_API_KEY\":{}}}", nested(20_000));
    cli.integration("set", &["openai", "--secrets", &secrets])
        .fails(2, "--secrets nests");
    assert_eq!(platform.paths(), before, "nothing was sent");
    assert_eq!(platform.changes(), 0);
    // The deepest value the platform accepts inside the body goes through.
    let run = cli.run(&[&rerun[..], &["--params", &nested(127), "--json"]].concat());
    assert_ne!(run.code, 2, "{}", run.stdout);
    let reruns = platform
        .paths()
        .get("/redeploydeploymentinstancepublic")
        .copied();
    assert_eq!(reruns, Some(1), "sent once");
}
