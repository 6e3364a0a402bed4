//! Networks as operators have them (README, Networks): the emulator over
//! real TLS with a throwaway CA, trusted through each source the CLI reads
//! (`--ca-bundle`, `CODIKA_CA_BUNDLE`, `SSL_CERT_FILE`, `SSL_CERT_DIR`) or
//! refused with a hint; and a gateway failing connections in the ways load
//! balancers do, each retried until the fault clears, counted request by
//! request. Waits are real (0.5 s base with jitter), so the fault counts are
//! small, and only lower bounds of time are asserted.

mod support;

use miniserde::json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use support::*;

fn retries(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("retrying: "))
        .collect()
}

/// Requests the platform served while `action` ran.
fn served<T>(platform: &Platform, action: impl FnOnce() -> T) -> (T, u64) {
    let before = platform.stats().1;
    let result = action();
    // A stats answer counts the requests before it: the first one is one.
    (result, platform.stats().1 - before - 1)
}

/// The owner's sandbox, sending to `base` with the default attempts.
fn cli_at(base: &str) -> Cli {
    let cli = Cli::bare();
    cli.env("CODIKA_BASE_URL", base)
        .env("CODIKA_API_KEY", OWNER)
        .unset("CODIKA_MAX_ATTEMPTS");
    cli
}

#[track_caller]
fn assert_listed(run: &Run) {
    run.assert_code(0);
    assert!(
        matches!(field(&run.json(), "success"), Value::Bool(true)),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- trust

#[test]
fn an_unknown_ca_is_exit_1_naming_the_host_and_how_to_trust_it() {
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    assert!(platform.base.starts_with("https://127.0.0.1:"));
    let cli = cli_at(&platform.base);
    let before = platform.stats();
    let run = cli.integration("list", &[]);
    let after = platform.stats();
    run.assert_code(1);
    // One connection (this stats question opened the other), refused in
    // its handshake: the same on every attempt, so never retried.
    assert_eq!(after.0 - before.0, 2, "connections");
    assert_eq!(after.1 - before.1, 1, "only the first stats question");
    let stderr = &run.stderr;
    for needed in [
        "the TLS certificate of 127.0.0.1 is not trusted",
        "UnknownIssuer",
        "--ca-bundle FILE",
        "CODIKA_CA_BUNDLE",
        "SSL_CERT_FILE",
    ] {
        assert!(stderr.contains(needed), "{needed}: {stderr}");
    }
    let lower = stderr.to_lowercase();
    for never in ["insecure", "disable", "skip", "no-verify", "turn off"] {
        assert!(!lower.contains(never), "suggests {never}: {stderr}");
    }
    assert!(retries(&run).is_empty(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let run = cli.integration("list", &["--json"]);
    assert_json_error(run.assert_code(1), "NETWORK_ERROR");
    assert!(
        str_at(field(&run.json(), "error"), "message").contains("--ca-bundle FILE"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn each_trust_source_reaches_the_platform() {
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    let list = ["integration", "list", "--json"];

    let cli = cli_at(&platform.base);
    let flag = ca.ca.to_str().unwrap();
    assert_listed(&cli.run(&[&list[..], &["--ca-bundle", flag]].concat()));

    for variable in ["CODIKA_CA_BUNDLE", "SSL_CERT_FILE"] {
        let cli = cli_at(&platform.base);
        cli.env(variable, flag);
        assert_listed(&cli.run(&list));
    }

    // SSL_CERT_DIR: colon-separated (a missing directory is no error), a
    // hashed name or a plain one, anything that is not a certificate skipped.
    let dirs = TempDir::new();
    dirs.write("hashed/README", "not a certificate\n");
    dirs.write("hashed/0badc0de.0", "-----BEGIN CERTIFICATE-----\n!!\n");
    dirs.write("hashed/9d66eef0.0", &ca.ca_pem);
    std::fs::create_dir_all(dirs.path().join("hashed/subdir.0")).unwrap();
    dirs.write("plain/corporate-root.pem", &ca.ca_pem);
    for dir in ["hashed", "plain"] {
        let cli = cli_at(&platform.base);
        let value = format!(
            "{}:/nonexistent/certs:{}",
            dirs.path().join("empty").display(),
            dirs.path().join(dir).display()
        );
        cli.env("SSL_CERT_DIR", &value);
        assert_listed(&cli.run(&list));
    }
    // The other entries alone trust nothing.
    std::fs::remove_file(dirs.path().join("hashed/9d66eef0.0")).unwrap();
    let cli = cli_at(&platform.base);
    cli.env("SSL_CERT_DIR", dirs.path().join("hashed").to_str().unwrap());
    cli.run(&list).assert_code(1);
}

#[test]
fn set_over_tls_fetches_the_key_and_stores_the_secret() {
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    let cli = cli_at(&platform.base);
    cli.env("CODIKA_CA_BUNDLE", ca.ca.to_str().unwrap());
    let run = cli.set_openai("sk-over-tls", &[]);
    run.assert_code(0);
    // No plain-HTTP warning: the key and the secret went over TLS.
    assert!(!run.stderr.contains("plain HTTP"), "{}", run.stderr);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-over-tls");
}

#[test]
fn the_option_beats_the_variable() {
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    let cli = cli_at(&platform.base);
    // The variable names nothing usable: with the option, it is not read.
    cli.env("CODIKA_CA_BUNDLE", "/nonexistent/ca.pem");
    let run = cli.integration("list", &["--json", "--ca-bundle", ca.ca.to_str().unwrap()]);
    assert_listed(&run);
    // And the other way round: a variable with the right CA does not help
    // an option with another.
    let other = TestCa::new();
    cli.env("CODIKA_CA_BUNDLE", ca.ca.to_str().unwrap());
    let run = cli.integration("list", &["--ca-bundle", other.ca.to_str().unwrap()]);
    run.assert_code(1);
    assert!(run.stderr.contains("UnknownIssuer"), "{}", run.stderr);
}

#[test]
fn a_bad_bundle_is_exit_2_naming_the_file_and_its_source() {
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    let files = TempDir::new();
    let missing = files.path().join("missing.pem");
    let empty = files.write("empty.pem", "# no certificate here\n");
    let broken = files.write(
        "broken.pem",
        &format!(
            "{}-----BEGIN CERTIFICATE-----\nMIIB!!\n-----END CERTIFICATE-----\n",
            ca.ca_pem
        ),
    );
    let garbage = files.write(
        "garbage.pem",
        "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
    );
    let dir = files.path().join("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&Path, &str); 5] = [
        (&missing, "it does not exist"),
        (&empty, "holds no PEM certificate"),
        (&broken, "PEM does not parse"),
        (&garbage, "certificate 1 of the file does not parse"),
        (&dir, "not a regular file"),
    ];
    for (path, why) in cases {
        let path = path.to_str().unwrap();
        for source in ["--ca-bundle", "CODIKA_CA_BUNDLE", "SSL_CERT_FILE"] {
            let cli = cli_at(&platform.base);
            let run = if source == "--ca-bundle" {
                cli.integration("list", &["--ca-bundle", path])
            } else {
                cli.env(source, path);
                cli.integration("list", &[])
            };
            run.assert_code(2);
            assert!(
                run.stderr.contains(path)
                    && run.stderr.contains(&format!("(from {source})"))
                    && run.stderr.contains(why),
                "{source} {path}: {}",
                run.stderr
            );
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        }
    }
    let cli = cli_at(&platform.base);
    let run = cli.integration("list", &["--json", "--ca-bundle", empty.to_str().unwrap()]);
    assert_json_error(run.assert_code(2), "VALIDATION_ERROR");
    // Every command that talks to the platform takes the option.
    for command in [
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=x",
        ][..],
        &["integration", "delete", "openai", "--confirm"],
        &["integration", "schema", "openAiApi"],
        &["whoami"],
        &["login", "--api-key", OWNER, "--base-url", &platform.base],
    ] {
        let run = cli.run(&[command, &["--ca-bundle", empty.to_str().unwrap()]].concat());
        run.assert_code(2);
        assert!(
            run.stderr.contains("(from --ca-bundle)"),
            "{command:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn nothing_is_read_for_trust_over_plain_http() {
    let platform = Platform::start();
    let cli = cli_at(&platform.base);
    cli.env("CODIKA_CA_BUNDLE", "/nonexistent/ca.pem")
        .env("SSL_CERT_FILE", "/nonexistent/bundle.crt")
        .env("SSL_CERT_DIR", "/nonexistent");
    assert_listed(&cli.integration("list", &["--json", "--ca-bundle", "/nonexistent/flag.pem"]));
}

#[test]
fn an_https_public_key_url_trusts_the_ca_too() {
    // Both emulators hold the same RSA key: the key fetched over TLS from one
    // seals for the other, reached over plain HTTP.
    let ca = TestCa::new();
    let keys = Platform::listening(
        codika_emulator::Options {
            key_type: Some(codika_emulator::KeyType::Rsa),
            private_key: Some(emulator_fixture("rsa-private.pem")),
            ..ca.options()
        },
        "127.0.0.1:0",
        Some(&ca),
    );
    let platform = Platform::start_rsa();
    let cli = cli_at(&platform.base);
    let key_url = format!("{}/encryption/public.pem", keys.base);
    let set = [
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-key-over-tls",
        "--public-key-url",
        &key_url,
    ];
    let run = cli.run(&set);
    run.assert_code(1);
    assert!(run.stderr.contains("UnknownIssuer"), "{}", run.stderr);
    cli.env("CODIKA_CA_BUNDLE", ca.ca.to_str().unwrap());
    cli.run(&set).assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-key-over-tls"
    );
}

// ---------------------------------------------------------------- retries

/// `faults` then the platform: the one request of `integration list`
/// succeeds after them, the platform serving it once.
#[track_caller]
fn recovers_after(faults: Vec<Fault>) -> Run {
    let platform = Platform::start();
    let count = faults.len();
    let gateway = FaultyGateway::start(faults, Pass::Http(platform.address));
    let cli = cli_at(&gateway.base);
    let (run, requests) = served(&platform, || cli.integration("list", &["--json"]));
    assert_listed(&run);
    assert_eq!(requests, 1, "{}", run.stderr);
    let log = gateway.log();
    assert_eq!(log.len(), count + 1, "{log:?}");
    assert_eq!(log.last().map(String::as_str), Some("pass"));
    let lines = retries(&run);
    assert_eq!(lines.len(), count, "{}", run.stderr);
    for (n, line) in lines.iter().enumerate() {
        assert!(
            line.contains(&format!("(attempt {} of 3)", n + 1))
                && line.contains("next attempt in "),
            "{line}"
        );
    }
    run
}

#[test]
fn a_connection_closed_before_any_answer_is_retried() {
    let run = recovers_after(vec![Fault::Close]);
    assert!(
        retries(&run)[0].contains("cannot reach http://127.0.0.1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_reset_connection_is_retried() {
    let run = recovers_after(vec![Fault::Reset]);
    assert!(
        retries(&run)[0].to_lowercase().contains("reset"),
        "{}",
        run.stderr
    );
}

#[test]
fn gateway_statuses_429_502_503_504_are_retried() {
    let run = recovers_after(vec![
        Fault::Answer(raw_response("HTTP/1.1 502 Bad Gateway", &[])),
        Fault::Answer(raw_response("HTTP/1.1 503 Service Unavailable", &[])),
    ]);
    assert!(
        retries(&run)[0].contains("answered HTTP 502"),
        "{}",
        run.stderr
    );
    recovers_after(vec![
        Fault::Answer(raw_response("HTTP/1.1 504 Gateway Timeout", &[])),
        Fault::Answer(raw_response("HTTP/1.1 429 Too Many Requests", &[])),
    ]);
}

#[test]
fn a_refused_connection_is_retried_until_the_port_opens() {
    let platform = Platform::start();
    let gateway =
        FaultyGateway::start_late(Duration::from_millis(300), Pass::Http(platform.address));
    let cli = cli_at(&gateway.base);
    // Enough attempts to outlast the closed port whatever the jitter draws.
    cli.env("CODIKA_MAX_ATTEMPTS", "10");
    let (run, requests) = served(&platform, || cli.integration("list", &["--json"]));
    assert_listed(&run);
    assert_eq!(requests, 1);
    assert_eq!(gateway.log(), ["pass"]);
    let lines = retries(&run);
    assert!(!lines.is_empty(), "{}", run.stderr);
    assert!(
        lines.iter().all(|l| l.contains("Connection refused")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_cut_tls_handshake_is_retried() {
    // The gateway sits on 127.0.0.1 at the port the TLS emulator has on
    // 127.0.0.2: the client's Host names the emulator, and TLS passes
    // through untouched. A port taken on 127.0.0.1 is tried again.
    let ca = TestCa::new();
    let (platform, gateway) = (0..10)
        .find_map(|_| {
            let platform = Platform::listening(ca.options(), "127.0.0.2:0", Some(&ca));
            let on = std::net::SocketAddr::from(([127, 0, 0, 1], platform.address.port()));
            let gateway = FaultyGateway::start_on(
                on,
                vec![Fault::CutHandshake],
                Pass::Tcp(platform.address),
                "https",
            )?;
            Some((platform, gateway))
        })
        .expect("a port free on both 127.0.0.1 and 127.0.0.2");
    let cli = cli_at(&gateway.base);
    cli.env("CODIKA_CA_BUNDLE", ca.ca.to_str().unwrap());
    let run = cli.integration("list", &["--json"]);
    assert_listed(&run);
    assert_eq!(gateway.log(), ["cut", "pass"]);
    // Asked through the gateway (test-only routes want a loopback name);
    // the answer counts the requests before this one: the list alone.
    assert_eq!(platform.stats_at(&gateway.base).1, 1);
    let lines = retries(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("(attempt 1 of 3)"), "{}", run.stderr);
}

#[test]
fn a_create_cut_before_its_answer_is_sent_again_once() {
    let platform = Platform::start();
    // The public key passes; the create is cut before its answer, then passes.
    let gateway =
        FaultyGateway::start_script(vec![None, Some(Fault::Close)], Pass::Http(platform.address));
    let cli = cli_at(&gateway.base);
    let (run, requests) = served(&platform, || cli.set_openai("sk-retried", &[]));
    run.assert_code(0);
    assert_eq!(requests, 2, "the key and one create");
    assert_eq!(gateway.log(), ["pass", "close", "pass"]);
    let lines = retries(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains("/createintegrationpublic"),
        "{}",
        run.stderr
    );
    // An upsert: one integration, whatever reached the platform.
    assert_eq!(platform.stored("openai").len(), 1);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-retried");
}

#[test]
fn force_retries_each_of_its_steps_on_its_own() {
    let platform = Platform::start();
    // The public key and who depends on it (a read) pass; the delete gets
    // a 503, then passes; the create is closed unanswered, then passes.
    let gateway = FaultyGateway::start_script(
        vec![
            None,
            None,
            Some(Fault::Answer(raw_response(
                "HTTP/1.1 503 Service Unavailable",
                &[],
            ))),
            None,
            Some(Fault::Close),
        ],
        Pass::Http(platform.address),
    );
    let cli = cli_at(&gateway.base);
    let (run, requests) = served(&platform, || {
        cli.integration(
            "set",
            &["openai", "--force", "--secret", "OPENAI_API_KEY=sk-forced"],
        )
    });
    run.assert_code(0);
    assert_eq!(
        requests, 4,
        "key, dependents, delete, create: each served once"
    );
    assert_eq!(
        gateway.log(),
        ["pass", "pass", "answer 503", "pass", "close", "pass"]
    );
    let lines = retries(&run);
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].contains("/deleteintegrationpublic"),
        "{}",
        run.stderr
    );
    assert!(
        lines[1].contains("/createintegrationpublic"),
        "{}",
        run.stderr
    );
    assert!(lines.iter().all(|l| l.contains("(attempt 1 of 3)")));
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-forced");
}

#[test]
fn another_status_is_sent_once() {
    for status_line in [
        "HTTP/1.1 400 Bad Request",
        "HTTP/1.1 401 Unauthorized",
        "HTTP/1.1 404 Not Found",
        "HTTP/1.1 409 Conflict",
        "HTTP/1.1 500 Internal Server Error",
    ] {
        let platform = Platform::start();
        let gateway = FaultyGateway::start(
            vec![Fault::Answer(raw_response(status_line, &[]))],
            Pass::Http(platform.address),
        );
        let cli = cli_at(&gateway.base);
        let run = cli.integration("list", &[]);
        run.assert_code(1);
        assert_eq!(gateway.log().len(), 1, "{status_line}: {:?}", gateway.log());
        assert!(retries(&run).is_empty(), "{status_line}: {}", run.stderr);
        assert!(!run.stderr.contains("attempt"), "{}", run.stderr);
    }
}

#[test]
fn the_attempt_limit_holds_and_the_error_counts_them() {
    let always = |n| vec![Fault::Answer(raw_response("HTTP/1.1 503 Service Unavailable", &[])); n];
    for (setting, attempts) in [(None, 3), (Some("2"), 2), (Some("1"), 1)] {
        let gateway = FaultyGateway::start(always(5), Pass::Http(Platform::start().address));
        let cli = cli_at(&gateway.base);
        if let Some(value) = setting {
            cli.env("CODIKA_MAX_ATTEMPTS", value);
        }
        let run = cli.integration("list", &[]);
        run.assert_code(1);
        assert_eq!(gateway.log().len(), attempts, "{setting:?}");
        assert_eq!(retries(&run).len(), attempts - 1, "{}", run.stderr);
        let plural = if attempts == 1 { "" } else { "s" };
        let error = run.stderr.lines().last().unwrap();
        assert!(
            error.starts_with("error: ")
                && error.contains("HTTP 503")
                && error.ends_with(&format!("(after {attempts} attempt{plural})")),
            "{}",
            run.stderr
        );
    }
    // A connection refused every time: the same count.
    let cli = cli_at("http://127.0.0.1:9");
    let run = cli.integration("list", &["--json"]);
    assert_json_error(run.assert_code(1), "NETWORK_ERROR");
    assert!(
        str_at(field(&run.json(), "error"), "message").ends_with("(after 3 attempts)"),
        "{}",
        run.stdout
    );
    assert_eq!(retries(&run).len(), 2);
}

#[test]
fn max_attempts_must_be_a_positive_integer() {
    for bad in ["0", "-1", "abc", "1.5", "3 ", "99999999999"] {
        let cli = cli_at("http://127.0.0.1:9");
        cli.env("CODIKA_MAX_ATTEMPTS", bad);
        let run = cli.integration("list", &[]);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains("CODIKA_MAX_ATTEMPTS must be a positive integer"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn retry_after_1_waits_at_least_a_second() {
    let started = Instant::now();
    let run = recovers_after(vec![Fault::Answer(raw_response(
        "HTTP/1.1 503 Service Unavailable",
        &["Retry-After: 1"],
    ))]);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(
        retries(&run)[0].contains("next attempt in 1.00 s, as Retry-After asks"),
        "{}",
        run.stderr
    );
    // An HTTP-date already past: no wait asked.
    let run = recovers_after(vec![Fault::Answer(raw_response(
        "HTTP/1.1 429 Too Many Requests",
        &["Retry-After: Sun, 06 Nov 1994 08:49:37 GMT"],
    ))]);
    assert!(
        retries(&run)[0].contains("next attempt in 0.00 s"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_retry_after_over_30_seconds_ends_the_retries_saying_when() {
    let in_two_hours = http_date(codika_common::clock::now_unix_millis() + 7_200_000);
    for value in ["120", in_two_hours.as_str()] {
        let gateway = FaultyGateway::start(
            vec![Fault::Answer(raw_response(
                "HTTP/1.1 503 Service Unavailable",
                &[&format!("Retry-After: {value}")],
            ))],
            Pass::Http(Platform::start().address),
        );
        let cli = cli_at(&gateway.base);
        let run = cli.integration("list", &[]);
        run.assert_code(1);
        assert_eq!(gateway.log().len(), 1, "{value}");
        assert!(retries(&run).is_empty(), "{}", run.stderr);
        assert!(
            run.stderr
                .contains("(after 1 attempt); the server asks to wait ")
                && run.stderr.contains("(Retry-After): try again after "),
            "{value}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    // With --json, the message says when too.
    let gateway = FaultyGateway::start(
        vec![Fault::Answer(raw_response(
            "HTTP/1.1 429 Too Many Requests",
            &["Retry-After: 3600"],
        ))],
        Pass::Http(Platform::start().address),
    );
    let run = cli_at(&gateway.base).run(&["integration", "list", "--json"]);
    assert_json_error(run.assert_code(1), "HTTP_429");
    let message = str_at(field(&run.json(), "error"), "message").to_string();
    assert!(
        message.contains("wait 3600 s (Retry-After): try again after 20"),
        "{message}"
    );
}

/// An IMF-fixdate (the weekday is not read).
fn http_date(millis: i64) -> String {
    let iso = codika_common::clock::iso_from_unix_millis(millis);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][iso[5..7].parse::<usize>().unwrap() - 1];
    format!(
        "Mon, {} {month} {} {} GMT",
        &iso[8..10],
        &iso[0..4],
        &iso[11..19]
    )
}

#[test]
fn a_retry_after_past_a_year_is_ignored_in_either_form() {
    let far = http_date(codika_common::clock::now_unix_millis() + 366 * 86_400_000);
    for value in ["99999999999", "Wed, 21 Oct 2099 07:28:00 GMT", far.as_str()] {
        let answer = || {
            Fault::Answer(raw_response(
                "HTTP/1.1 503 Service Unavailable",
                &[&format!("Retry-After: {value}")],
            ))
        };
        let gateway = FaultyGateway::start(
            vec![answer(), answer(), answer()],
            Pass::Http(Platform::start().address),
        );
        let cli = cli_at(&gateway.base);
        let run = cli.integration("list", &[]);
        run.assert_code(1);
        // Every attempt made, none said to be what Retry-After asks.
        assert_eq!(gateway.log().len(), 3, "{value}: {}", run.stderr);
        assert!(
            !run.stderr.contains("Retry-After"),
            "{value}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("(after 3 attempts)"), "{}", run.stderr);
    }
}

#[test]
fn json_stays_one_document_with_the_retries_on_stderr() {
    let run = recovers_after(vec![
        Fault::Close,
        Fault::Answer(raw_response("HTTP/1.1 502 Bad Gateway", &[])),
    ]);
    // One document, the final outcome's (run.json() parses all of stdout).
    assert!(run.stdout.starts_with("{\n") && run.stdout.ends_with("}\n"));
    assert!(!run.stdout.contains("retrying"));
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);
}

#[test]
fn a_response_timeout_is_not_retried() {
    let platform = Platform::start();
    let gateway = FaultyGateway::start(
        vec![Fault::Hang(Duration::from_secs(3))],
        Pass::Http(platform.address),
    );
    let cli = cli_at(&gateway.base);
    cli.env("CODIKA_TIMEOUT", "0.5");
    let run = cli.integration("list", &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("timeout"), "{}", run.stderr);
    assert!(retries(&run).is_empty(), "{}", run.stderr);
    assert_eq!(gateway.log(), ["hang"]);
}

#[test]
fn a_socks_proxy_is_exit_2_not_a_crash() {
    // ureq is built without SOCKS, and would panic when connecting.
    for (variable, base) in [
        ("HTTPS_PROXY", "https://127.0.0.1:9"),
        ("ALL_PROXY", "http://127.0.0.1:9"),
    ] {
        let cli = cli_at(base);
        cli.env(variable, "socks5h://user:Pr0xy-pw@127.0.0.1:9");
        let run = cli.integration("list", &[]);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains(&format!("{variable} names a SOCKS proxy"))
                && run.stderr.contains("***@127.0.0.1:9")
                && !run.stderr.contains("Pr0xy-pw"),
            "{}",
            run.stderr
        );
    }
}
