/*!
`--dry-run` (set, delete), end to end: a dry run checks what the real
command checks, sends no create and no confirmed delete (the emulator
counts them), exits as the real command would, and names fields, never
values.
*/

mod support;

use miniserde::json::Value;
use support::*;

const KEY_VALUE: &str = "sk-dry-run-value";

fn owner_with_secret(platform: &Platform) -> Cli {
    let cli = Cli::owner(platform);
    cli.env("OPENAI_API_KEY", KEY_VALUE).secret(KEY_VALUE);
    cli
}

/// Runs `args`, returning the run and how many requests and changes (creates,
/// confirmed deletes) it cost the platform.
fn counted(platform: &Platform, cli: &Cli, args: &[&str]) -> (Run, u64, u64) {
    let (changes, (_, requests)) = (platform.changes(), platform.stats());
    let run = cli.run(args);
    let after = platform.stats().1;
    // Less the stats request that counted `after`, which counts itself.
    (run, after - requests - 1, platform.changes() - changes)
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
fn a_dry_run_set_checks_and_encrypts_but_creates_nothing() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    let (run, requests, changes) = counted(
        &platform,
        &cli,
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY",
            "--dry-run",
        ],
    );
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    for line in [
        "Dry run of codika integration set openai: nothing was changed",
        "  Integration:    openai (OpenAI)",
        "  Context:        organization",
        "  Organization:   Acme Corp (org_acme)",
        "  API key:        CODIKA_API_KEY, verified",
        "  Exists:         no",
        "  Fields:         OPENAI_API_KEY (values not shown)",
        "1 field(s) encrypted",
        "  POST /createintegrationpublic: creates openai, 1 encrypted field(s)",
        "--force: not given",
    ] {
        assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
    }
    // Reads only: who the key is, whether openai exists, the public key.
    assert_eq!((requests, changes), (3, 0));
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn a_dry_run_set_in_json_is_one_plan_document() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    let dir = TempDir::new();
    let use_case = use_case(&dir, "invoices");
    let run = cli.integration(
        "set",
        &[
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h.example","SUPABASE_SERVICE_ROLE_KEY":"srk-dry"}"#,
            "--path",
            use_case.to_str().unwrap(),
            "--metadata",
            "team=billing",
            "--dry-run",
            "--json",
        ],
    );
    run.assert_code(0);
    let body = run.json();
    assert!(
        bool_at(&body, "success") && bool_at(&body, "dryRun"),
        "{}",
        run.stdout
    );
    let data = field(&body, "data");
    assert_eq!(str_at(data, "integrationId"), "supabase");
    assert_eq!(str_at(data, "contextType"), "process_instance");
    assert_eq!(str_at(data, "processInstanceId"), "pi_acme_dev");
    assert_eq!(str_at(data, "organizationId"), "org_acme");
    assert_eq!(
        strings(field(data, "fields")),
        ["SUPABASE_HOST", "SUPABASE_SERVICE_ROLE_KEY"]
    );
    assert_eq!(strings(field(data, "metadata")), ["team"]);
    assert!(matches!(field(data, "exists"), Value::Bool(false)));
    assert!(matches!(field(data, "force"), Value::Bool(false)));
    let sent = strings(field(data, "wouldSend"));
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].starts_with("POST /createintegrationpublic"),
        "{sent:?}"
    );
    assert!(!run.stdout.contains("h.example"), "a value in the plan");
    assert!(platform.stored("supabase").is_empty());
}

#[test]
fn a_dry_run_force_leaves_the_existing_integration_alone() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    cli.integration("set", &["openai", "--secret", "OPENAI_API_KEY"])
        .assert_code(0);
    cli.env("OPENAI_API_KEY", "sk-the-new-one")
        .secret("sk-the-new-one");
    let (run, _, changes) = counted(
        &platform,
        &cli,
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY",
            "--force",
            "--dry-run",
            "--json",
        ],
    );
    run.assert_code(0);
    assert_eq!(changes, 0);
    let data = field(&run.json(), "data").clone();
    assert!(matches!(field(&data, "exists"), Value::Bool(true)));
    assert!(matches!(field(&data, "force"), Value::Bool(true)));
    let sent = strings(field(&data, "wouldSend"));
    assert!(
        sent[0].starts_with("POST /deleteintegrationpublic (confirmDeletion: true)"),
        "{sent:?}"
    );
    assert!(
        sent[1].starts_with("POST /createintegrationpublic"),
        "{sent:?}"
    );
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), KEY_VALUE);
}

#[test]
fn a_dry_run_delete_shows_the_dependents_and_deletes_nothing() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    cli.integration("set", &["openai", "--secret", "OPENAI_API_KEY"])
        .assert_code(0);
    for confirm in [false, true] {
        let mut args = vec!["integration", "delete", "openai", "--dry-run"];
        if confirm {
            args.push("--confirm");
        }
        let (run, requests, changes) = counted(&platform, &cli, &args);
        // The code the real command would exit with: 2 without --confirm
        // (it deletes nothing), else 0.
        run.assert_code(if confirm { 0 } else { 2 });
        // Who the key is, whether it exists, the unconfirmed delete (a read).
        assert_eq!((requests, changes), (3, 0), "--confirm {confirm}");
        for line in [
            "Dry run of codika integration delete openai: nothing was changed",
            "  Exists:         yes, connected ",
            "2 active process instance(s): Invoice Assistant (dev) (pi_acme_dev), Invoice Assistant (prod) (pi_acme_prod)",
        ] {
            assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
        }
        if confirm {
            run.says("POST /deleteintegrationpublic (confirmDeletion: true): deletes openai, deactivates 2 process instance(s)")
                .says("--confirm: given");
        } else {
            for line in [
                "Would send nothing that changes state.",
                "--confirm: not given: the real command deletes nothing",
                "the real command would exit 2",
            ] {
                assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
            }
        }
    }
    assert_eq!(platform.stored("openai").len(), 1);
    assert!(platform.active("pi_acme_dev") && platform.active("pi_acme_prod"));
    let json = cli.integration("delete", &["openai", "--dry-run", "--confirm", "--json"]);
    json.assert_code(0);
    let body = json.json();
    assert!(bool_at(&body, "dryRun"));
    let data = field(&body, "data");
    assert_eq!(u64_at(data, "wouldDeactivate"), 2);
    assert_eq!(items(field(data, "dependents")).len(), 2);
    assert!(matches!(field(data, "confirm"), Value::Bool(true)));
}

#[test]
fn a_dry_run_fails_as_the_real_command_would_and_changes_nothing() {
    let platform = Platform::start();
    let owner = owner_with_secret(&platform);
    let limited = Cli::new(&platform);
    limited
        .env("CODIKA_API_KEY", LIMITED)
        .env("OPENAI_API_KEY", KEY_VALUE);
    let expired = Cli::new(&platform);
    expired
        .env("CODIKA_API_KEY", EXPIRED)
        .env("OPENAI_API_KEY", KEY_VALUE);
    let refused = Cli::new(&platform);
    refused
        .env("CODIKA_API_KEY", "cko_not_a_key_at_all")
        .env("OPENAI_API_KEY", KEY_VALUE)
        .secret("cko_not_a_key_at_all");
    let unreachable = Cli::bare();
    unreachable
        .env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", "http://127.0.0.1:9")
        .env("OPENAI_API_KEY", KEY_VALUE);
    let schema = owner
        .home
        .write("bad-schema.json", r#"{"id":"cstm_x","name":"X"}"#);
    let schema = schema.to_str().unwrap();
    let set = ["integration", "set", "openai", "--secret", "OPENAI_API_KEY"];
    let cases: Vec<(&Cli, Vec<&str>, i32)> = vec![
        (&owner, vec!["integration", "set", "openai"], 2),
        (&owner, vec!["integration", "set", "google_gmail"], 2),
        (
            &owner,
            vec![
                "integration",
                "set",
                "supabase",
                "--secret",
                "OPENAI_API_KEY",
            ],
            2,
        ),
        (&owner, [&set[..], &["--profile", "nobody"]].concat(), 2),
        (
            &owner,
            [&set[..], &["--public-key-file", "/nonexistent.pem"]].concat(),
            2,
        ),
        (
            &owner,
            vec![
                "integration",
                "set",
                "cstm_x",
                "--secret",
                "K=v",
                "--custom-schema-file",
                schema,
            ],
            2,
        ),
        (&limited, set.to_vec(), 1),
        (&expired, set.to_vec(), 1),
        (&refused, set.to_vec(), 1),
        (&unreachable, set.to_vec(), 1),
        (
            &expired,
            vec!["integration", "delete", "openai", "--confirm"],
            1,
        ),
        (
            &owner,
            vec!["integration", "delete", "supabase", "--confirm"],
            2,
        ),
    ];
    for (cli, args, code) in cases {
        let real = cli.run(&args);
        real.assert_code(code);
        let dry_args = [&args[..], &["--dry-run"]].concat();
        let before = platform.changes();
        let dry = cli.run(&dry_args);
        assert_eq!(dry.code, code, "{dry_args:?}\n{}{}", dry.stdout, dry.stderr);
        assert_eq!(
            platform.changes(),
            before,
            "{dry_args:?} asked for a change"
        );
        // The error alone: no plan. What the user gave is refused in the
        // same words; the platform (or its absence) may answer another
        // request first.
        assert!(dry.stdout.is_empty(), "{dry_args:?}: {}", dry.stdout);
        if code == 2 {
            assert_eq!(
                dry.stderr.lines().next(),
                real.stderr.lines().next(),
                "{dry_args:?}"
            );
        } else {
            assert!(
                dry.stderr.starts_with("error: "),
                "{dry_args:?}: {}",
                dry.stderr
            );
        }
    }
}

#[test]
fn a_quiet_dry_run_checks_silently() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    for args in [
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY",
            "--dry-run",
            "-q",
        ][..],
        &[
            "integration",
            "delete",
            "openai",
            "--dry-run",
            "--confirm",
            "--quiet",
        ],
    ] {
        let (run, _, changes) = counted(&platform, &cli, args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str(), changes),
            (0, "", "", 0),
            "{args:?}"
        );
    }
    // Finding 14: the real `delete -q` without --confirm exits 2 (it deletes
    // nothing): so does its quiet dry run, silently.
    cli.integration("set", &["openai", "--secret", "OPENAI_API_KEY", "-q"])
        .assert_code(0);
    let real = cli.integration("delete", &["openai", "-q"]);
    let dry = cli.integration("delete", &["openai", "--dry-run", "-q"]);
    assert_eq!(real.code, 2, "{}", real.stderr);
    assert_eq!(
        (dry.code, dry.stdout.as_str(), dry.stderr.as_str()),
        (2, "", "")
    );
    assert_eq!(platform.stored("openai").len(), 1);
    // A problem is still said, with the real command's exit code.
    let run = cli.integration("set", &["openai", "--dry-run", "-q", "--no-input"]);
    run.fails(2, "OPENAI_API_KEY");
    assert!(run.stdout.is_empty());
}
