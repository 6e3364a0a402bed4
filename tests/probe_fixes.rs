//! Boundaries that never guess (issue 18), the instances an adversarial
//! probe found: each request picks its own proxy, a platform text never
//! shows the key in use, and inputs the CLI cannot take exactly are exit 2
//! naming where they came from.

mod support;

use support::*;

/// A gateway that answers 502 to anything: set as a proxy, it records
/// whatever went through it.
fn trap() -> Gateway {
    Gateway::start(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    )
}

fn seen(trap: &Gateway) -> Vec<String> {
    trap.heads.lock().unwrap().clone()
}

fn set_with_key_url(cli: &Cli, key_url: &str) -> Run {
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-test",
        "--public-key-url",
        key_url,
    ])
}

#[test]
fn the_public_key_fetch_takes_the_proxy_its_own_host_calls_for() {
    let platform = Platform::start();
    let trap = trap();
    let cli = Cli::owner(&platform);
    // The API's host is exempt, the key's host is not: the fetch goes
    // through the proxy (which refuses it), whatever the API's decision.
    cli.env("HTTP_PROXY", &trap.base)
        .env("NO_PROXY", "127.0.0.1");
    let port = platform.base.rsplit(':').next().unwrap().to_string();
    let run = set_with_key_url(
        &cli,
        &format!("http://localhost:{port}/encryption/public.pem"),
    );
    run.fails(1, "(from HTTP_PROXY)");
    let heads = seen(&trap);
    assert!(
        heads.iter().any(|h| h.contains("localhost")),
        "the key fetch did not go through the proxy: {heads:?}"
    );
    assert!(heads.iter().all(|h| !h.contains("X-Process-Manager-Key")));
}

#[test]
fn an_https_public_key_url_takes_https_proxy_even_when_the_api_is_plain_http() {
    let platform = Platform::start();
    let trap = trap();
    let cli = Cli::owner(&platform);
    cli.env("HTTPS_PROXY", &trap.base)
        .env("NO_PROXY", "127.0.0.1");
    let run = set_with_key_url(&cli, "https://localhost:9/encryption/public.pem");
    run.fails(1, "(from HTTPS_PROXY)");
    let heads = seen(&trap);
    assert!(
        heads.iter().any(|h| h.starts_with("CONNECT localhost:9")),
        "the key fetch was not tunnelled through HTTPS_PROXY: {heads:?}"
    );
}

/// A platform that quotes the key it was sent in its refusal.
fn quoting_platform(key: &str) -> Gateway {
    let body = format!(
        r#"{{"success":false,"error":{{"code":"UNAUTHORIZED","message":"key {key} is unknown"}}}}"#
    );
    Gateway::start(
        format!(
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

#[test]
fn a_platform_message_that_quotes_the_key_in_use_shows_it_masked() {
    let key = "cko_TOPSECRET_KEY_123";
    let gateway = quoting_platform(key);
    let cli = Cli::bare();
    cli.env("CODIKA_BASE_URL", &gateway.base)
        .env("CODIKA_API_KEY", key);
    for args in [
        &["integration", "list"][..],
        &["integration", "list", "--json"],
        &["whoami"],
        &["whoami", "--json"],
    ] {
        let run = cli.run(args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains(key), "{args:?} printed the key: {all}");
        assert!(all.contains("is unknown"), "{args:?}: {all}");
        assert!(all.contains("cko_TOPS..."), "{args:?}: {all}");
    }
}

#[test]
fn two_spellings_of_a_proxy_variable_that_differ_are_refused_naming_both() {
    let platform = Platform::start();
    let trap = trap();
    for (upper, lower) in [
        ("HTTP_PROXY", "http_proxy"),
        ("HTTPS_PROXY", "https_proxy"),
        ("ALL_PROXY", "all_proxy"),
        ("NO_PROXY", "no_proxy"),
    ] {
        let cli = Cli::owner(&platform);
        let (a, b) = match upper {
            "NO_PROXY" => ("127.0.0.1".to_string(), "example.org".to_string()),
            _ => (trap.base.clone(), "http://127.0.0.1:9".to_string()),
        };
        cli.env(upper, &a).env(lower, &b);
        let run = cli.run(&["integration", "list"]);
        run.fails(2, upper).fails(2, lower);
        // The same value twice is one setting, not a conflict.
        if upper == "NO_PROXY" {
            cli.env(lower, &a);
            cli.run(&["integration", "list"]).assert_code(0);
        }
    }
    assert!(seen(&trap).is_empty(), "{:?}", seen(&trap));
}

#[test]
fn under_cgi_upper_case_http_proxy_is_not_read() {
    let platform = Platform::start();
    let trap = trap();
    let cli = Cli::owner(&platform);
    cli.env("HTTP_PROXY", &trap.base);
    cli.run(&["integration", "list"])
        .fails(1, "(from HTTP_PROXY)");
    cli.env("REQUEST_METHOD", "GET");
    cli.run(&["integration", "list"]).assert_code(0);
    // Lower case cannot come from a request header: it is still read.
    cli.unset("HTTP_PROXY").env("http_proxy", &trap.base);
    cli.run(&["integration", "list"])
        .fails(1, "(from http_proxy)");
}

#[test]
fn login_refuses_a_key_on_stdin_longer_than_64_kib_and_sends_nothing() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    for size in [64 * 1024 + 1, 3 << 20] {
        let key = format!("cko_{}\n", "a".repeat(size - 4));
        let before = platform.stats().1;
        cli.run_with_stdin(&["login"], &key)
            .fails(2, "longer than 64 KiB");
        assert_eq!(platform.stats().1 - before, 1, "a request was sent");
    }
    // At the cap it is read whole (and the platform refuses it).
    let key = format!("cko_{}\n", "a".repeat(64 * 1024 - 4));
    cli.run_with_stdin(&["login"], &key).assert_code(1);
}

fn answering(body: &[u8]) -> Gateway {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    Gateway::start(response)
}

#[test]
fn a_public_key_answer_of_two_pem_blocks_is_refused_and_nothing_is_sent() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let pem = platform.public_pem();
    let twice = format!("{pem}\n{pem}");
    let gateway = answering(twice.as_bytes());
    let before = platform.changes();
    set_with_key_url(&cli, &format!("{}/public.pem", gateway.base))
        .fails(1, "more than one PEM block");
    let file = cli.home.write("two.pem", &twice);
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-test",
        "--public-key-file",
        file.to_str().unwrap(),
    ])
    .fails(1, "more than one PEM block");
    assert_eq!(platform.changes(), before, "something was stored");
}

#[test]
fn a_public_key_answer_too_large_says_so() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let gateway = answering(&vec![b'A'; 20 << 20]);
    set_with_key_url(&cli, &format!("{}/public.pem", gateway.base))
        .fails(1, "is larger than 64 KiB");
}

#[test]
fn a_key_with_a_letter_that_is_not_ascii_is_said_to_be_not_ascii() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    for args in [
        &["integration", "list", "--api-key", "cko_é"][..],
        &["login", "--api-key", "cko_é"],
    ] {
        cli.run(args).fails(2, "not ASCII");
    }
    cli.run(&["integration", "list", "--api-key", "cko_ x"])
        .fails(2, "spaces or control characters");
}

#[test]
fn a_config_that_cannot_be_written_for_lack_of_room_is_exit_1_not_2() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    // No room for a byte of a new file: the write fails as on a full disk
    // (EFBIG with SIGXFSZ ignored, which an exec keeps ignored).
    let inner = cli.command(&cli.work(), &["login", "--api-key", OWNER]);
    let mut sh = std::process::Command::new("/bin/sh");
    sh.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$@\"")
        .arg("sh")
        .arg(inner.get_program())
        .args(inner.get_args())
        .current_dir(cli.work())
        .env_clear()
        .stdin(std::process::Stdio::null());
    for (key, value) in inner.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    let output = sh.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write config file"), "{stderr}");
    assert!(!stderr.contains(OWNER), "{stderr}");
}

#[test]
fn an_empty_base_url_in_a_profile_is_refused_naming_file_and_field() {
    let trap = trap();
    let cli = Cli::bare();
    // The default platform is reached only through the trap, if at all.
    cli.env("HTTPS_PROXY", &trap.base);
    let path = cli.config(&format!(
        r#"{{"activeProfile":"a","profiles":{{"a":{{"apiKey":"{OWNER}","baseUrl":""}}}}}}"#
    ));
    let run = cli.run(&["integration", "list"]);
    run.fails(2, "profiles.a.baseUrl is empty")
        .fails(2, &path.display().to_string());
    assert!(seen(&trap).is_empty(), "{:?}", seen(&trap));
}

#[test]
fn an_active_profile_that_does_not_exist_is_named() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.config(&format!(
        r#"{{"activeProfile":"gone","profiles":{{"a":{{"apiKey":"{OWNER}"}}}}}}"#
    ));
    for args in [&["integration", "list"][..], &["whoami"]] {
        cli.run(args).fails(2, "activeProfile names 'gone'");
    }
}

#[test]
fn a_config_ts_that_is_not_a_regular_file_is_refused_by_name() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    type Make = fn(&std::path::Path);
    let cases: [(&str, Make, &str); 3] = [
        (
            "fifo",
            |p| {
                let status = std::process::Command::new("mkfifo")
                    .arg(p)
                    .status()
                    .unwrap();
                assert!(status.success());
            },
            "FIFO",
        ),
        (
            "zero",
            |p| std::os::unix::fs::symlink("/dev/zero", p).unwrap(),
            "not a regular file",
        ),
        (
            "loop",
            |p| std::os::unix::fs::symlink(p, p).unwrap(),
            "symbolic links",
        ),
    ];
    for (name, make, what) in cases {
        let dir = cli.home.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.ts");
        make(&file);
        let shown = file.display().to_string();
        let dir = dir.to_str().unwrap();
        for args in [
            &["integration", "check", "--path", dir][..],
            &[
                "integration",
                "set",
                "cstm_acme_crm",
                "--secret",
                "API_KEY=x",
                "--path",
                dir,
            ],
        ] {
            let run = cli.run(args);
            run.fails(2, &shown).fails(2, what);
            assert!(!run.stderr.contains("has no config.ts"), "{}", run.stderr);
        }
    }
}

#[test]
fn urls_that_cannot_be_sent_exactly_are_refused_and_nothing_leaves() {
    let trap = trap();
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    for name in ["HTTPS_PROXY", "HTTP_PROXY"] {
        cli.env(name, &trap.base);
    }
    let port = trap.base.rsplit(':').next().unwrap().to_string();
    for (url, says) in [
        ("http://127.0.0.1:0".to_string(), "port is 0"),
        ("http://127.0.0.1:00/v1".to_string(), "port is 0"),
        (format!("http://127.0.0.1:{port}/vé"), "not ASCII"),
        ("http://bücher.example".to_string(), "not ASCII"),
    ] {
        cli.run(&["integration", "list", "--api-url", &url])
            .fails(2, "--api-url")
            .fails(2, says);
    }
    cli.env("HTTPS_PROXY", "http://127.0.0.1:0");
    cli.run(&["integration", "list"]).fails(2, "HTTPS_PROXY");
    assert!(seen(&trap).is_empty(), "{:?}", seen(&trap));
}

#[test]
fn one_trailing_slash_of_a_base_url_is_stripped_not_two() {
    let gateway = quoting_platform(OWNER);
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    cli.run(&[
        "integration",
        "list",
        "--api-url",
        &format!("{}/v1//", gateway.base),
    ])
    .assert_code(1);
    cli.run(&[
        "integration",
        "list",
        "--api-url",
        &format!("{}//", gateway.base),
    ])
    .assert_code(1);
    let heads = seen(&gateway);
    assert!(
        heads[0].starts_with("POST /v1//listintegrationspublic "),
        "{heads:?}"
    );
    assert!(
        heads[1].starts_with("POST //listintegrationspublic "),
        "{heads:?}"
    );
}

#[test]
fn a_retry_after_past_any_sensible_wait_is_not_shown_as_one() {
    let gateway = Gateway::start(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 99999999999999999999\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    );
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", &gateway.base);
    let run = cli.run(&["integration", "list"]);
    run.fails(1, "503");
    assert!(
        !run.stderr.contains("18446744073709551615") && !run.stderr.contains("Retry-After"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_relative_xdg_config_home_is_ignored() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    // A profile in the relative directory, under the working directory:
    // never read.
    let relative = cli.work().join("cfg/codika");
    std::fs::create_dir_all(&relative).unwrap();
    std::fs::write(
        relative.join("config.json"),
        format!(r#"{{"activeProfile":"a","profiles":{{"a":{{"apiKey":"{OTHER_ORG}"}}}}}}"#),
    )
    .unwrap();
    cli.env("XDG_CONFIG_HOME", "cfg");
    cli.run(&["integration", "list"]).fails(2, "API key");
}

#[test]
fn a_value_pasted_as_a_secret_key_is_never_echoed_nor_sent() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let set = |extra: &[&str]| {
        let mut args = vec!["integration", "set", "openai"];
        args.extend_from_slice(extra);
        cli.run(&args)
    };
    // Pasted without KEY=: read as the name of a variable that is unset.
    for value in [
        "AKIAIOSFODNN7EXAMPLE",
        "MZXW6YTBOIMZXW6YTBOI",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ] {
        let run = set(&["--secret", value]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(!run.stderr.contains(value), "{}", run.stderr);
    }
    // Base32 split at its padding: a field name nobody declared.
    let before = platform.changes();
    let run = set(&[
        "--secret",
        "OPENAI_API_KEY=sk-test",
        "--secret",
        "MZXW6YTBOI======",
    ]);
    run.fails(2, "Expected: OPENAI_API_KEY");
    assert!(!run.stderr.contains("MZXW6YTBOI"), "{}", run.stderr);
    assert_eq!(platform.changes(), before, "it was sent");
    // A name is still only a warning without --force, as documented.
    let run = set(&[
        "--secret",
        "OPENAI_API_KEY=sk-test",
        "--secret",
        "EXTRA_FIELD=x",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("EXTRA_FIELD"), "{}", run.stderr);
}

#[test]
fn a_dry_run_missing_a_required_field_ends_as_the_real_run_would() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let env = cli
        .home
        .write("half.env", "SUPABASE_HOST=https://x.supabase.co\n");
    let args = [
        "integration",
        "set",
        "supabase",
        "--secrets-file",
        env.to_str().unwrap(),
        "--process-instance-id",
        "pi_acme_dev",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    cli.run(&dry)
        .fails(2, "SUPABASE_SERVICE_ROLE_KEY: the platform would refuse");
    assert_eq!(platform.changes(), 0);
    // The real run: the platform refuses it, with the same exit code.
    cli.run(&args).fails(2, "MISSING_REQUIRED_FIELDS");
    assert!(platform.stored("supabase").is_empty());
}

#[test]
fn a_secrets_file_holding_a_nul_byte_is_refused_where_it_is() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let env = cli.home.write("nul.env", "OPENAI_API_KEY=sk-a\0b\n");
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secrets-file",
        env.to_str().unwrap(),
    ])
    .fails(2, "nul.env:1:20: expected text, not a NUL byte");
    assert_eq!(platform.changes(), 0);
}

#[test]
fn a_json_switch_given_a_value_still_answers_with_one_document() {
    let cli = Cli::bare();
    let run = cli.run(&["integration", "set", "openai", "--json=1"]);
    run.assert_code(2);
    let body = run.json();
    assert_eq!(str_at(field(&body, "error"), "code"), "VALIDATION_ERROR");
}
