//! Interoperability with the official Node CLI (npm `codika@3.6.0`): a login
//! made by either tool works in the other, and both write the same bytes.
//!
//! Skipped (with a message) when `node` or `npm` is missing. The package is
//! installed once under `target/official-cli`, as the emulator's round trip
//! test does, and run with plain `node` (its shebang needs Node 22.6).

mod support;

use std::path::Path;
use std::process::Command;
use support::*;

/// Runs the official CLI in the sandbox's HOME; returns (exit code, stdout).
fn official(entry: &Path, cli: &Cli, args: &[&str]) -> (i32, String) {
    let output = Command::new("node")
        .arg(entry)
        .args(args)
        .current_dir(cli.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", cli.home.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The official CLI prints keys masked too.
    for key in cli.config_keys() {
        assert!(!stdout.contains(&key), "official CLI printed {key}");
    }
    let code = output.status.code().unwrap_or(-1);
    assert!(!stderr.contains("Error"), "codika {args:?}: {stderr}");
    (code, stdout)
}

#[test]
fn logins_of_either_cli_work_in_the_other_and_the_files_are_identical() {
    let Some(entry) = official::official_cli() else {
        return;
    };
    let platform = Platform::start();
    let base = platform.base.as_str();
    let ours = Cli::bare();
    let theirs = Cli::bare();
    for key in [OWNER, OTHER_ORG, LIMITED] {
        ours.run(&["login", "--api-key", key, "--base-url", base])
            .assert_code(0);
        let (code, stdout) = official(
            &entry,
            &theirs,
            &["login", "--api-key", key, "--base-url", base],
        );
        assert_eq!(code, 0, "{stdout}");
    }
    // Same keys, same order, same bytes: LIMITED replaced acme-corp in both.
    assert_eq!(ours.config_text(), theirs.config_text());

    // The official CLI reads our file...
    let (code, stdout) = official(&entry, &ours, &["whoami", "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let body = parse(&stdout);
    assert_eq!(str_at(&body, "organizationId"), "org_acme");
    assert_eq!(str_at(&body, "keyName"), "emulator-limited");
    let (code, stdout) = official(&entry, &ours, &["use", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(items(field(&parse(&stdout), "profiles")).len(), 2);

    // ...and we read theirs.
    let body = theirs.run(&["whoami", "--json"]).assert_code(0).json();
    assert_eq!(str_at(&body, "profileName"), "acme-corp");
    assert_eq!(str_at(&body, "keyName"), "emulator-limited");
    theirs.run(&["use", "globex"]).assert_code(0);
    let (_, stdout) = official(&entry, &theirs, &["whoami", "--json"]);
    assert_eq!(str_at(&parse(&stdout), "organizationId"), "org_globex");

    // Logging out of everything leaves the same file too.
    for _ in 0..2 {
        ours.run(&["logout"]).assert_code(0);
        official(&entry, &ours, &["use"]);
    }
    official(&entry, &theirs, &["logout"]);
    theirs.run(&["logout"]).assert_code(0);
    assert_eq!(ours.config_text(), theirs.config_text());
    assert_eq!(
        ours.config_text(),
        "{\n  \"activeProfile\": null,\n  \"profiles\": {}\n}\n"
    );
}
