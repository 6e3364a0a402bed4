//! The static binary, copied alone into an empty directory and run there with
//! `chroot`: no /lib, no /etc (no ssl, no passwd), no /dev, no HOME. It must
//! still print its version, list, and encrypt and store a secret against the
//! emulator running outside (same network namespace, so 127.0.0.1 reaches it),
//! and over HTTPS with a private CA's bundle copied in beside it. Its name
//! resolution in such roots: tests/static_names.rs.
//!
//! `make test` builds the binary (`make static`) and names it in
//! CODIKA_STATIC_BIN; a plain `cargo test` skips, saying so. Entering a chroot
//! needs root (CAP_SYS_CHROOT): without it the test skips, saying so.

mod support;

use support::jail::*;
use support::*;

#[test]
fn the_static_binary_works_alone_in_an_empty_chroot() {
    let Some(jail) = Jail::new() else { return };
    assert_eq!(jail.entries(), ["codika"]);

    let version = jail.run(&["--version"]);
    version.assert_code(0);
    assert!(
        version
            .stdout
            .starts_with(&format!("codika {} (", env!("CARGO_PKG_VERSION")))
            && version
                .stdout
                .ends_with(&format!(", {})\n", Jail::target())),
        "{}",
        version.stdout
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

/// Nothing in the file asks for a loader or a shared object, and no path of
/// the machine it was built on is left in it (--remap-path-prefix).
#[test]
fn the_static_binary_needs_no_loader_and_names_no_build_path() {
    let Some(binary) = std::env::var_os("CODIKA_STATIC_BIN").map(std::path::PathBuf::from) else {
        skip("CODIKA_STATIC_BIN is not set (`make test` builds the static binary and sets it)");
        return;
    };
    let (_, headers) = elf_headers(&binary);
    assert!(
        !headers.contains(&PT_INTERP) && !headers.contains(&PT_DYNAMIC),
        "{} asks for a loader: program headers {headers:?}",
        binary.display()
    );
    let cargo_home = std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    for needle in [
        "ld-linux",
        "libnss_",
        "libc.so",
        env!("CARGO_MANIFEST_DIR"),
        &format!("{cargo_home}/registry"),
    ] {
        assert!(
            !file_contains(&binary, needle.as_bytes()),
            "{} holds {needle:?}",
            binary.display()
        );
    }
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
