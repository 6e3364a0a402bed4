//! The official Node CLI (npm package `codika@3.6.0`) against the emulator in
//! RSA mode, as the live platform: set, list, delete and schema must work,
//! and the emulator must hold what the CLI encrypted.
//!
//! Skipped (with a message) only when `node` or `npm` is missing. The package
//! is installed once under `target/official-cli`. Its shebang needs Node 22.6
//! (`--experimental-strip-types`), but its entry script runs under older Node
//! when started with plain `node`, which is how we run it.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

struct Cli<'a> {
    entry: PathBuf,
    emulator: &'a Emulator,
    /// The CLI's HOME, holding the use case `my-use-case`.
    home: tempfile::TempDir,
}

impl<'a> Cli<'a> {
    /// The CLI at `entry` against `emulator`, with a fresh HOME (named
    /// after `name`) holding a use case of Acme's two instances.
    fn new(entry: PathBuf, emulator: &'a Emulator, name: &str) -> Cli<'a> {
        let cli = Cli {
            entry,
            emulator,
            home: scratch(name),
        };
        std::fs::create_dir_all(cli.project()).unwrap();
        std::fs::write(
            cli.project().join("project.json"),
            r#"{"projectId":"proj_1","organizationId":"org_acme","devProcessInstanceId":"pi_acme_dev","prodProcessInstanceId":"pi_acme_prod"}"#,
        )
        .unwrap();
        cli
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn project(&self) -> PathBuf {
        self.home().join("my-use-case")
    }

    fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        Command::new("node")
            .arg(&self.entry)
            .args(args)
            .current_dir(cwd)
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("CODIKA_BASE_URL", &self.emulator.base)
            .env(
                "CODIKA_PUBLIC_KEY_URL",
                self.emulator.url("/encryption/public.pem"),
            )
            .env("CODIKA_API_KEY", OWNER)
            .env("NO_COLOR", "1")
            .output()
            .expect("run node")
    }

    /// Runs with `--json`; asserts the exit code and returns the parsed stdout.
    fn json(&self, cwd: &Path, args: &[&str], code: i32) -> miniserde::json::Value {
        let mut args = args.to_vec();
        args.push("--json");
        let output = self.run(cwd, &args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(code),
            "codika {args:?}\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        parse(&stdout)
    }
}

#[test]
fn official_node_cli_round_trip_in_rsa_mode() {
    let Some(entry) = official::official_cli() else {
        return;
    };
    let emulator = Emulator::start_rsa();
    let cli = Cli::new(entry, &emulator, "official-cli");
    let home = cli.home();
    let project = cli.project();

    let set = cli.json(
        home,
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-node-round-trip",
        ],
        0,
    );
    assert!(bool_at(&set, "success"));
    let stored = emulator.stored("openai");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        str_at(field(&stored[0], "secrets"), "OPENAI_API_KEY"),
        "sk-node-round-trip"
    );
    assert_eq!(str_at(&stored[0], "algorithm"), "RSA-OAEP-256+A256GCM");
    assert_eq!(str_at(field(&stored[0], "metadata"), "installedBy"), "cli");

    // A process-instance integration, its instance and organization from project.json.
    let path = project.to_str().unwrap();
    cli.json(
        home,
        &[
            "integration",
            "set",
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"https://abc.supabase.co","SUPABASE_SERVICE_ROLE_KEY":"eyJ-node"}"#,
            "--path",
            path,
        ],
        0,
    );
    let supabase = &emulator.stored("supabase")[0];
    assert_eq!(str_at(supabase, "processInstanceId"), "pi_acme_dev");
    assert_eq!(
        str_at(field(supabase, "secrets"), "SUPABASE_SERVICE_ROLE_KEY"),
        "eyJ-node"
    );

    let list = cli.json(home, &["integration", "list", "--path", path], 0);
    let ids: Vec<&str> = items(field(field(&list, "data"), "integrations"))
        .iter()
        .map(|i| str_at(i, "integrationId"))
        .collect();
    assert_eq!(ids, ["openai", "supabase"]);

    // Two-phase delete: pending exits 2 and lists the dependents; --confirm deletes.
    let pending = cli.json(home, &["integration", "delete", "openai"], 2);
    assert_eq!(
        u64_at(
            field(field(&pending, "data"), "pendingDeactivations"),
            "count"
        ),
        2
    );
    let deleted = cli.json(home, &["integration", "delete", "openai", "--confirm"], 0);
    assert_eq!(u64_at(field(&deleted, "data"), "deactivatedCount"), 2);
    assert!(emulator.stored("openai").is_empty());

    let schema = cli.json(home, &["integration", "schema", "twilioApi"], 0);
    let properties = object_keys(field(&schema, "properties"));
    assert!(
        properties.contains(&"authType".to_string()),
        "{properties:?}"
    );

    // The human output works too.
    let human = cli.run(home, &["integration", "list", "--path", path]);
    assert!(human.status.success());
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("Process Instance Integrations")
            && stdout.contains("Total: 1 connected integration(s)"),
        "{stdout}"
    );
}

/// The official CLI's `rerun deployment` and `instance activate|deactivate`
/// against the emulator's deployment endpoints (docs/deployments.md).
#[test]
fn official_node_cli_reruns_and_activates() {
    let Some(entry) = official::official_cli() else {
        return;
    };
    let emulator = Emulator::start_rsa();
    let cli = Cli::new(entry, &emulator, "official-rerun");
    let home = cli.home();
    let project = cli.project();
    let path = project.to_str().unwrap();

    // Nothing connected: the rerun answers failed, exit 1.
    let failed = cli.json(
        home,
        &[
            "rerun",
            "deployment",
            "--path",
            path,
            "--force",
            "--param",
            "LANGUAGE=fr",
        ],
        1,
    );
    assert_eq!(str_at(field(&failed, "data"), "deploymentStatus"), "failed");
    // A deployed one without --force: the platform's 409, exit 1.
    let refused = cli.json(
        home,
        &[
            "rerun",
            "deployment",
            "--path",
            path,
            "--environment",
            "prod",
        ],
        1,
    );
    assert_eq!(
        str_at(field(&refused, "error"), "code"),
        "DEPLOYMENT_NOT_FAILED"
    );

    for (id, secrets) in [
        ("openai", r#"{"OPENAI_API_KEY":"sk-node"}"#),
        (
            "supabase",
            r#"{"SUPABASE_HOST":"https://abc.supabase.co","SUPABASE_SERVICE_ROLE_KEY":"eyJ-node"}"#,
        ),
    ] {
        cli.json(
            home,
            &[
                "integration",
                "set",
                id,
                "--secrets",
                secrets,
                "--path",
                path,
                "--environment",
                "prod",
            ],
            0,
        );
    }
    let deployed = cli.json(
        home,
        &[
            "rerun",
            "deployment",
            "--path",
            path,
            "--environment",
            "prod",
            "--force",
        ],
        0,
    );
    assert_eq!(
        str_at(field(&deployed, "data"), "deploymentStatus"),
        "deployed"
    );
    assert_eq!(
        items(field(field(&deployed, "data"), "n8nWorkflowIds")).len(),
        2
    );

    let paused = cli.json(home, &["instance", "deactivate", "pi_acme_prod"], 0);
    assert!(!bool_at(field(&paused, "data"), "isActive"));
    assert_eq!(u64_at(field(&paused, "data"), "workflowCount"), 2);
    let instances = field(&emulator.dump(), "processInstances").clone();
    let prod = items(&instances)
        .iter()
        .find(|p| str_at(p, "processInstanceId") == "pi_acme_prod")
        .unwrap();
    assert!(!bool_at(prod, "active"));
    let resumed = cli.json(
        home,
        &[
            "instance",
            "activate",
            "--path",
            path,
            "--environment",
            "prod",
        ],
        0,
    );
    assert!(bool_at(field(&resumed, "data"), "isActive"));
}
