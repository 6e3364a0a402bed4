//! `codika --version`: the version, the commit it was built from and the
//! target, as a line and with `--json` as a document; and build.rs, run
//! where there is no git checkout (and no git at all), going on and saying
//! that it found no commit.

mod support;

use miniserde::json::Value;
use std::process::Command;
use support::*;

/// `git rev-parse --short=7 HEAD` of this checkout, if it is one.
fn head() -> Option<String> {
    let output = Command::new("git")
        .args(["-c", "safe.directory=*", "rev-parse", "--short=7", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

#[test]
fn version_names_the_commit_and_target_as_a_line_and_a_document() {
    let cli = Cli::bare();
    let line = cli.run(&["--version"]);
    line.assert_code(0);
    let document = cli.run(&["--version", "--json"]);
    document.assert_code(0);
    let document = document.json();
    assert!(matches!(field(&document, "success"), Value::Bool(true)));
    let data = field(&document, "data");
    assert_eq!(str_at(data, "name"), "codika");
    assert_eq!(str_at(data, "version"), env!("CARGO_PKG_VERSION"));
    let target = str_at(data, "target");
    assert!(
        target.starts_with(std::env::consts::ARCH) && target.contains("-linux-"),
        "{target}"
    );
    let commit = match field(data, "commit") {
        Value::String(commit) => commit.clone(),
        Value::Null => "not built from a git checkout".into(),
        other => panic!("commit is {other:?}"),
    };
    if let Some(head) = head() {
        assert_eq!(commit, head);
    }
    assert_eq!(
        line.stdout,
        format!(
            "codika {} ({commit}, {target})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

/// build.rs compiled as a program and run in an empty directory outside
/// any checkout, with git and without: it succeeds and gives an empty
/// commit (the binary then says "not built from a git checkout"); in the
/// checkout it gives HEAD's.
#[test]
fn the_build_script_goes_on_outside_a_git_checkout() {
    let dir = TempDir::new();
    let program = dir.path().join("build-script");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let compiled = Command::new(rustc)
        .args(["--edition", "2024", "-o"])
        .arg(&program)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/build.rs"))
        .status()
        .unwrap();
    assert!(compiled.success());
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let run = |cwd: &std::path::Path, path: &str| {
        let output = Command::new(&program)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", path)
            // A checkout above the temporary directory is not looked for.
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .env("TARGET", "x86_64-unknown-linux-musl")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let path = std::env::var("PATH").unwrap_or_default();
    for search in [path.as_str(), ""] {
        let said = run(&outside, search);
        assert!(
            said.contains("cargo:rustc-env=CODIKA_BUILD_COMMIT=\n"),
            "{said}"
        );
        assert!(said.contains("cargo:rustc-env=CODIKA_BUILD_TARGET=x86_64-unknown-linux-musl\n"));
    }
    if let Some(head) = head() {
        let said = run(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &path);
        assert!(
            said.contains(&format!("cargo:rustc-env=CODIKA_BUILD_COMMIT={head}\n")),
            "{said}"
        );
        assert!(said.contains("cargo:rerun-if-changed="), "{said}");
    }
}
