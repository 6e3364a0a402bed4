//! `--json` in every outcome (one document on stdout, same exit code as
//! without), the documented exit codes, usage errors and help.

mod support;

use support::*;

#[test]
fn json_success_for_every_command() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for args in [
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-j",
            "--json",
        ][..],
        &["integration", "list", "--json"],
        &["integration", "delete", "openai", "--confirm", "--json"],
    ] {
        let run = cli.run(args);
        run.assert_code(0);
        assert!(
            matches!(
                field(&run.json(), "success"),
                miniserde::json::Value::Bool(true)
            ),
            "{}",
            run.stdout
        );
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }
    let schema = cli.integration("schema", &["twilioApi", "--json"]);
    schema.assert_code(0);
    assert!(has(&schema.json(), "properties"));
}

#[test]
fn json_and_human_exit_codes_agree() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let limited = Cli::new(&platform);
    limited.env("CODIKA_API_KEY", LIMITED);
    let unreachable = Cli::bare();
    unreachable
        .env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", "http://127.0.0.1:9");
    // (who runs it, arguments, exit code, code in the JSON error or None for a platform body)
    let cases: [(&Cli, &[&str], i32, &str); 8] = [
        (&cli, &["integration", "delete", "openai"], 2, ""),
        (
            &cli,
            &["integration", "set", "google_gmail"],
            2,
            "OAUTH_REQUIRED",
        ),
        (
            &cli,
            &["integration", "set", "openai"],
            2,
            "VALIDATION_ERROR",
        ),
        (
            &cli,
            &["integration", "set", "openai", "--bogus"],
            2,
            "VALIDATION_ERROR",
        ),
        (
            &cli,
            &["integration", "list", "--environment", "staging"],
            2,
            "VALIDATION_ERROR",
        ),
        (&limited, &["integration", "list"], 1, "INSUFFICIENT_SCOPE"),
        (&unreachable, &["integration", "list"], 1, "NETWORK_ERROR"),
        (
            &cli,
            &[
                "integration",
                "set",
                "postgres",
                "--secret",
                "POSTGRES_HOST=h",
                "--process-instance-id",
                "pi_acme_dev",
            ],
            2,
            "MISSING_REQUIRED_FIELDS",
        ),
    ];
    for (who, args, code, error) in cases {
        let human = who.run(args);
        human.assert_code(code);
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let json = who.run(&with_json);
        json.assert_code(code);
        let body = json.json(); // exactly one document
        if error.is_empty() {
            assert!(
                has(field(&body, "data"), "pendingDeactivations"),
                "{}",
                json.stdout
            );
        } else {
            assert_json_error(&json, error);
            assert!(
                !human.stderr.is_empty() && human.stdout.lines().all(|l| !l.starts_with('{')),
                "{args:?}"
            );
        }
    }
}

#[test]
fn a_network_error_names_the_url_never_the_key() {
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", "http://127.0.0.1:9/prefix");
    let run = cli.set_openai("sk-unsent", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("http://127.0.0.1:9/prefix/encryption/public.pem"),
        "{}",
        run.stderr
    );
}

#[test]
fn non_json_answers_become_http_status_errors() {
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "HTTP/1.1 502 Bad Gateway",
            b"<html><h1>502 Bad Gateway</h1></html>",
            "HTTP_502",
        ),
        ("HTTP/1.1 200 OK", b"<html>maintenance</html>", "HTTP_200"),
        (
            "HTTP/1.1 502 Bad Gateway",
            b"<html>\xe9chec \xff</html>",
            "HTTP_502",
        ), // not UTF-8
    ];
    for (status_line, body, code) in cases {
        let gateway = Gateway::start(Gateway::html(status_line, body));
        let run = cli.integration("list", &["--api-url", &gateway.base, "--json"]);
        run.assert_code(1);
        assert_eq!(
            str_at(field(&run.json(), "error"), "code"),
            code,
            "{}",
            run.stdout
        );
        let human = cli.integration("list", &["--api-url", &gateway.base]);
        human.assert_code(1);
        let status = status_line.trim_start_matches("HTTP/1.1 ");
        assert!(
            human.stderr.contains(&format!("HTTP {status}")) && !human.stderr.contains("<html>"),
            "{}",
            human.stderr
        );
    }
}

#[test]
fn redirects_are_not_followed_so_the_key_stays_put() {
    let elsewhere = Gateway::start(Gateway::html("HTTP/1.1 200 OK", b"{}"));
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}/stolen\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        elsewhere.base
    );
    let gateway = Gateway::start(redirect.into_bytes());
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    for args in [
        &["integration", "list", "--api-url"][..],
        &["integration", "schema", "openAiApi", "--api-url"],
    ] {
        let mut args = args.to_vec();
        args.push(&gateway.base);
        let run = cli.run(&args);
        run.fails(1, "HTTP 302");
    }
    assert!(
        elsewhere.heads().is_empty(),
        "the redirect was followed: {:?}",
        elsewhere.heads()
    );
}

#[test]
fn proxies_are_chosen_by_scheme() {
    // https: HTTPS_PROXY gets a CONNECT to the default platform; nothing
    // leaves this machine (the proxy is a local listener that refuses).
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("HTTPS_PROXY", &proxy.base)
        .env("HTTP_PROXY", "http://127.0.0.1:9");
    cli.integration("list", &[]).assert_code(1);
    assert!(
        proxy
            .heads()
            .first()
            .is_some_and(|h| h.starts_with("CONNECT api.codika.io:443 ")),
        "{:?}",
        proxy.heads()
    );
    // http: HTTP_PROXY, with the plain-HTTP warning for a non-loopback host.
    let plain = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("HTTP_PROXY", &plain.base)
        .env("HTTPS_PROXY", "http://127.0.0.1:9");
    let run = cli.integration("list", &["--api-url", "http://platform.example.test"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("warning: sending the API key over plain HTTP"),
        "{}",
        run.stderr
    );
    // ureq tunnels through the proxy with CONNECT, for http too.
    assert!(
        plain
            .heads()
            .first()
            .is_some_and(|h| h.starts_with("CONNECT platform.example.test:80 ")),
        "{:?}",
        plain.heads()
    );
    // NO_PROXY names the host: no proxy.
    let bypassed = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER)
        .env("HTTP_PROXY", &bypassed.base)
        .env("NO_PROXY", "localhost,127.0.0.1");
    cli.integration("list", &[]).assert_code(0);
    assert!(bypassed.heads().is_empty());
}

#[test]
fn hostile_inputs_never_panic_or_echo_secrets() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER);
    // Each value on its own run: setting the variable again replaces it.
    for timeout in ["1e300", "-1", "0", "NaN", "inf"] {
        cli.env("CODIKA_TIMEOUT", timeout);
        let run = cli.integration("list", &["--json"]);
        run.assert_code(2);
        assert_json_error(&run, "VALIDATION_ERROR");
        let message = str_at(field(&run.json(), "error"), "message").to_string();
        // Named, never echoed (issue 18 §1).
        assert!(
            message.contains("CODIKA_TIMEOUT") && !message.contains(&format!("'{timeout}'")),
            "CODIKA_TIMEOUT={timeout}: {message}"
        );
    }
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER);
    cli.secret("sk-proj-STRAYVALUE").secret("sk-leak-in-id");
    let stray = cli.integration(
        "set",
        &["openai", "--secret", "OPENAI_API_KEY", "sk-proj-STRAYVALUE"],
    );
    stray.assert_code(2);
    let as_id = cli.integration("set", &["OPENAI_API_KEY=sk-leak-in-id", "--json"]);
    as_id.assert_code(2);
    let newline_key = Cli::new(&platform);
    newline_key.env("CODIKA_API_KEY", "cko_emulator_owner_full\n");
    assert!(
        newline_key
            .run(&["integration", "list"])
            .assert_code(2)
            .stderr
            .contains("CODIKA_API_KEY")
    );
}

#[test]
fn platform_text_cannot_drive_the_terminal() {
    let seed = TempDir::new();
    let path = seed.write(
        "seed.json",
        r#"{"apiKeys":[{"key":"cko_emulator_owner_full","organizationId":"org_acme","memberId":"m","keyName":"k","scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z"}],
            "organizations":[{"id":"org_acme","name":"Acme"}],
            "processInstances":[{"processInstanceId":"pi_x","organizationId":"org_acme","title":"Evil \u001b[2J\u001b]0;pwned\u0007 title","active":true,"integrationUids":["openai"]}],
            "integrations":[],"nextCredentialNumber":1}"#,
    );
    let platform = Platform::with(codika_emulator::Options {
        seed: Some(path),
        ..Default::default()
    });
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER);
    let run = cli.integration("delete", &["openai"]);
    run.assert_code(2);
    assert!(
        run.stdout
            .contains(r"Evil \u001b[2J\u001b]0;pwned\u0007 title")
            && !run.stdout.contains('\x1b'),
        "{:?}",
        run.stdout
    );
}

#[test]
fn usage_errors_are_one_line_with_a_pointer_to_help() {
    let cli = Cli::bare();
    let cases: [&[&str]; 7] = [
        &["integration", "set", "openai", "--secert", "A=b"],
        &["integration", "set", "openai", "--secret"],
        &["integration", "list", "--context-type", "member"],
        &["integration", "delete", "openai", "--environment", "qa"],
        &["integration", "frobnicate"],
        &["integration", "schema"],
        &["deploy"],
    ];
    for args in cases {
        let run = cli.run(args);
        run.assert_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    assert!(
        cli.integration("set", &["openai", "--secert", "A=b"])
            .stderr
            .contains("--secret")
    );
    assert!(
        cli.integration("set", &["Bad-Id", "--secret", "A=b"])
            .stderr
            .contains("invalid integration id")
    );
}

#[test]
fn help_at_every_level_and_version() {
    let cli = Cli::bare();
    let top = cli.run(&["--help"]);
    assert!(top.assert_code(0).stdout.contains("integration"));
    assert!(
        cli.run(&["integration", "--help"])
            .stdout
            .contains("set      Create or update an integration")
    );
    let set = cli.integration("set", &["-h"]);
    set.assert_code(0);
    for option in [
        "--secret <KEY[=VALUE]>",
        "--secrets-file <path>",
        "--no-input",
        "--environment <env>",
        "[default: dev]",
        "--custom-schema-file",
        "--force",
        "--api-url",
        "--public-key-file",
        "Examples:",
    ] {
        assert!(
            set.stdout.contains(option),
            "{option} missing from set --help"
        );
    }
    assert!(
        cli.integration("delete", &["--help"])
            .stdout
            .contains("--confirm")
    );
    assert!(
        cli.integration("list", &["--help"])
            .stdout
            .contains("--context-type <type>")
    );
    assert!(
        !cli.integration("schema", &["--help"])
            .stdout
            .contains("--secret")
    );
    let version = cli.run(&["--version"]);
    assert_eq!(
        version.assert_code(0).stdout,
        format!("codika {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn colour_only_on_a_terminal() {
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-c",
    ]);
    assert!(!run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'));
}
