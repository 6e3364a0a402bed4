//! `--json` in every outcome (one document on stdout, same exit code as
//! without), the documented exit codes, usage errors and help.

mod support;

use support::*;

fn owner(platform: &Platform) -> Cli {
    let cli = Cli::new(platform);
    cli.env("CODIKA_API_KEY", OWNER);
    cli
}

#[test]
fn json_success_for_every_command() {
    let platform = Platform::start();
    let cli = owner(&platform);
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
    let schema = cli.run(&["integration", "schema", "twilioApi", "--json"]);
    schema.assert_code(0);
    assert!(has(&schema.json(), "properties"));
}

#[test]
fn json_and_human_exit_codes_agree() {
    let platform = Platform::start();
    let cli = owner(&platform);
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
            1,
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
    let run = cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-unsent",
    ]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("http://127.0.0.1:9/prefix/encryption/public.pem"),
        "{}",
        run.stderr
    );
}

/// A proxy in front of the platform that answers with an HTML error page.
fn html_gateway(status_line: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            let _ = write!(
                stream,
                "{status_line}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{address}")
}

#[test]
fn non_json_answers_become_http_status_errors() {
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    for (status_line, code) in [
        ("HTTP/1.1 502 Bad Gateway", "HTTP_502"),
        ("HTTP/1.1 200 OK", "HTTP_200"),
    ] {
        let base = html_gateway(status_line);
        let run = cli.run(&["integration", "list", "--api-url", &base, "--json"]);
        run.assert_code(1);
        assert_eq!(
            str_at(field(&run.json(), "error"), "code"),
            code,
            "{}",
            run.stdout
        );
        let human = cli.run(&["integration", "list", "--api-url", &base]);
        human.assert_code(1);
        assert!(
            human.stderr.contains(code.trim_start_matches("HTTP_"))
                && !human.stderr.contains("<html>"),
            "{}",
            human.stderr
        );
    }
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
        cli.run(&["integration", "set", "openai", "--secert", "A=b"])
            .stderr
            .contains("--secret")
    );
    assert!(
        cli.run(&["integration", "set", "Bad-Id", "--secret", "A=b"])
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
    let set = cli.run(&["integration", "set", "-h"]);
    set.assert_code(0);
    for option in [
        "--secret <KEY=VALUE>",
        "--secrets-file <path>",
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
        cli.run(&["integration", "delete", "--help"])
            .stdout
            .contains("--confirm")
    );
    assert!(
        cli.run(&["integration", "list", "--help"])
            .stdout
            .contains("--context-type <type>")
    );
    assert!(
        !cli.run(&["integration", "schema", "--help"])
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
    let run = owner(&platform).run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-c",
    ]);
    assert!(!run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'));
}
