//! The static binary, copied alone into an empty directory and run there with
//! `chroot`: no /lib, no /etc (no ssl, no passwd), no /dev, no HOME. It must
//! still print its version, list, and encrypt and store a secret against the
//! emulator running outside (same network namespace, so 127.0.0.1 reaches it),
//! and over HTTPS with a private CA's bundle copied in beside it.
//!
//! `make test` builds the binary (`make static`) and names it in
//! CODIKA_STATIC_BIN; a plain `cargo test` skips, saying so. Entering a chroot
//! needs root (CAP_SYS_CHROOT): without it the test skips, saying so.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

struct Jail {
    root: TempDir,
}

impl Jail {
    /// An empty directory holding only the binary, or `None` (with the reason
    /// printed) when this environment cannot run the test.
    fn new() -> Option<Jail> {
        let Some(binary) = std::env::var_os("CODIKA_STATIC_BIN").map(PathBuf::from) else {
            skip("CODIKA_STATIC_BIN is not set (`make test` builds the static binary and sets it)");
            return None;
        };
        assert!(
            binary.is_file(),
            "CODIKA_STATIC_BIN names {} but there is no file there",
            binary.display()
        );
        let root = TempDir::new();
        std::fs::copy(&binary, root.path().join("codika")).unwrap();
        let jail = Jail { root };
        let probe = jail.command(&["--version"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&probe.stderr);
        if !probe.status.success() && stderr.contains("Operation not permitted") {
            skip(&format!("chroot is not permitted here ({})", stderr.trim()));
            return None;
        }
        Some(jail)
    }

    /// `chroot ROOT /codika ARGS` with an empty environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(chroot());
        command
            .arg(self.root.path())
            .arg("/codika")
            .args(args)
            .env_clear()
            .current_dir("/");
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// [`Jail::run`] with these variables set.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        let output = command.output().unwrap();
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
            "panic in the jail: {}",
            run.stderr
        );
        for secret in [OWNER, "sk-jailed-secret"] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{secret} printed:\n{}{}",
                run.stdout,
                run.stderr
            );
        }
        run
    }

    /// What the jail holds besides the binary: nothing (sorted).
    fn entries(&self) -> Vec<String> {
        let mut entries: Vec<String> = std::fs::read_dir(self.root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        entries.sort();
        entries
    }
}

fn chroot() -> &'static Path {
    ["/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .expect("the chroot command (coreutils)")
}

#[test]
fn the_static_binary_works_alone_in_an_empty_chroot() {
    let Some(jail) = Jail::new() else { return };
    assert_eq!(jail.entries(), ["codika"]);

    let version = jail.run(&["--version"]);
    version.assert_code(0);
    assert_eq!(
        version.stdout,
        format!("codika {}\n", env!("CARGO_PKG_VERSION"))
    );

    // Both envelopes: X25519 (HPKE) and RSA, as the live platform.
    for platform in [Platform::start(), Platform::start_rsa()] {
        let remote = ["--api-url", &platform.base, "--api-key", OWNER];
        let list = jail.run(&[&["integration", "list", "--json"][..], &remote[..]].concat());
        list.assert_code(0);
        let listed = list.json();
        assert!(matches!(
            field(&listed, "success"),
            miniserde::json::Value::Bool(true)
        ));

        // Encrypting needs random bytes, which must come from the getrandom
        // system call: there is no /dev/urandom in here.
        let set = jail.run(
            &[
                &[
                    "integration",
                    "set",
                    "openai",
                    "--secret",
                    "OPENAI_API_KEY=sk-jailed-secret",
                ][..],
                &remote[..],
            ]
            .concat(),
        );
        set.assert_code(0);
        assert!(
            set.stdout
                .contains("✓ openai integration created successfully!"),
            "{}",
            set.stdout
        );
        assert_eq!(
            platform.secret("openai", "OPENAI_API_KEY"),
            "sk-jailed-secret"
        );
    }
    assert_eq!(jail.entries(), ["codika"], "the binary wrote nothing");
}

#[test]
fn the_static_binary_trusts_a_private_ca_from_a_bundle_copied_in() {
    let Some(jail) = Jail::new() else { return };
    let ca = TestCa::new();
    std::fs::copy(&ca.ca, jail.root.path().join("ca.pem")).unwrap();
    let platform = Platform::start_tls(&ca);
    let remote = ["--api-url", &platform.base, "--api-key", OWNER];
    let list = [&["integration", "list", "--json"][..], &remote[..]].concat();

    // The built-in roots alone do not know the CA: the hint, not a crash
    // for want of /etc/ssl.
    let refused = jail.run(&list);
    refused.assert_code(1);
    assert!(
        refused.stdout.contains("UnknownIssuer") && refused.stdout.contains("--ca-bundle FILE"),
        "{}",
        refused.stdout
    );

    jail.run(&[&list[..], &["--ca-bundle", "/ca.pem"][..]].concat())
        .assert_code(0);
    for variable in ["CODIKA_CA_BUNDLE", "SSL_CERT_FILE"] {
        jail.run_with(&list, &[(variable, "/ca.pem")])
            .assert_code(0);
    }
    jail.run_with(&list, &[("SSL_CERT_DIR", "/")])
        .assert_code(0);
    // A bundle the jail does not have: exit 2, naming it.
    let missing = jail.run(&[&list[..], &["--ca-bundle", "/etc/ssl/ca.pem"][..]].concat());
    missing.assert_code(2);
    assert!(
        missing.stdout.contains("/etc/ssl/ca.pem"),
        "{}",
        missing.stdout
    );

    // The public key and the secret over TLS.
    let set = jail.run_with(
        &[
            &[
                "integration",
                "set",
                "openai",
                "--secret",
                "OPENAI_API_KEY=sk-jailed-secret",
            ][..],
            &remote[..],
        ]
        .concat(),
        &[("CODIKA_CA_BUNDLE", "/ca.pem")],
    );
    set.assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-jailed-secret"
    );
    assert_eq!(
        jail.entries(),
        ["ca.pem", "codika"],
        "the binary wrote nothing"
    );
}

#[test]
fn with_no_home_the_static_binary_says_what_to_set() {
    let Some(jail) = Jail::new() else { return };
    let platform = Platform::start();
    // No key given: the login lookup needs a home directory and there is none.
    let run = jail.run(&["integration", "list", "--api-url", &platform.base]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("error: no API key: pass --api-key")
            && run.stderr.contains("no home directory")
            && run.stderr.contains("set HOME or XDG_CONFIG_HOME"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);

    // Saving a login needs a home: the same kind of answer, before any
    // platform is asked (this one would not answer), and nothing written.
    let run = jail.run(&[
        "login",
        "--api-key",
        OWNER,
        "--base-url",
        "http://127.0.0.1:9",
    ]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: no home directory to keep profiles in: set HOME or XDG_CONFIG_HOME\n"
    );
    assert_eq!(jail.entries(), ["codika"]);
}

/// What `make test` counts on to tell skipped tests from passed ones: each
/// skip is one line, `BINARY::TEST: REASON`, appended to the log.
#[test]
fn a_skip_is_one_appended_line_naming_the_test() {
    assert_eq!(
        this_test(),
        "static_jail::a_skip_is_one_appended_line_naming_the_test"
    );
    let dir = TempDir::new();
    let log = dir.path().join("skipped.log");
    log_skip(&log, "a::one", "no root");
    log_skip(&log, "b::two", "chroot: Operation not permitted\n(EPERM)");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "a::one: no root\nb::two: chroot: Operation not permitted (EPERM)\n"
    );
}
