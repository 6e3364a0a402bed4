//! Hostile inputs and environments, each from an adversarial review: what
//! was destroyed, sent where it should not go, or printed, and now is not.
//! Every run is the real binary; the emulator or a recording gateway plays
//! the platform, a local gateway plays any proxy, and nothing leaves
//! 127.0.0.1.

mod support;

use std::time::{Duration, Instant};
use support::*;

fn json_response(status_line: &str, body: &str) -> Vec<u8> {
    format!(
        "{status_line}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn profile_config(name: &str, key: &str, base_url: &str) -> String {
    format!(
        r#"{{"activeProfile":"{name}","profiles":{{"{name}":{{"apiKey":"{key}","type":"org-api-key","organizationId":"org_acme","baseUrl":"{base_url}"}}}}}}"#
    )
}

#[test]
fn force_with_a_wrong_field_sends_nothing_and_keeps_the_integration() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.set_openai("sk-original-1", &[]).assert_code(0);
    let before = platform.stats().1;
    for args in [
        &["--secret", "OPENAI_APIKEY_TYPO=sk-typo-value"][..],
        &[
            "--secret",
            "OPENAI_API_KEY=sk-fine-value",
            "--secret",
            "EXTRA=x-extra-value",
        ][..],
    ] {
        let mut argv = vec!["integration", "set", "openai", "--force"];
        argv.extend_from_slice(args);
        let run = cli.run(&argv);
        run.fails(2, "nothing was sent");
    }
    // Only the two stats requests themselves: no key fetch, no delete.
    assert_eq!(platform.stats().1, before + 1);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-original-1");
    // Without --force the same problems are warnings, and the platform decides.
    let run = cli.integration(
        "set",
        &["openai", "--secret", "OPENAI_APIKEY_TYPO=sk-typo-value"],
    );
    assert!(
        run.stderr.contains("Missing required field"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_from_the_environment_never_goes_to_a_profiles_platform() {
    let profile_platform = Gateway::start(json_response("HTTP/1.1 401 Unauthorized", "{}"));
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let cli = Cli::bare();
    cli.config(&profile_config("acme", OWNER, &profile_platform.base));
    cli.env("CODIKA_API_KEY", LIMITED);
    // The default platform is reached through a local proxy: nothing leaves.
    cli.env("HTTPS_PROXY", &proxy.base);
    for args in [&["integration", "list"][..], &["whoami"][..]] {
        cli.run(args);
    }
    assert!(
        profile_platform.heads().is_empty(),
        "{:?}",
        profile_platform.heads()
    );
    assert!(
        proxy
            .heads()
            .iter()
            .all(|h| h.starts_with("CONNECT api.codika.io:443")),
        "{:?}",
        proxy.heads()
    );
    assert_eq!(proxy.heads().len(), 2);
}

#[test]
fn a_profiles_key_goes_to_that_profiles_platform() {
    let platform = Platform::start();
    let cli = Cli::bare();
    cli.config(&profile_config("acme", OWNER, &platform.base));
    let run = cli.integration("list", &["--json"]);
    run.assert_code(0);
    let run = cli.run(&["whoami", "--json"]);
    run.assert_code(0);
    assert_eq!(str_at(&run.json(), "baseUrl"), platform.base);
}

#[test]
fn escape_sequences_from_the_platform_and_project_json_are_shown_escaped() {
    let keys = Platform::start();
    let dir = TempDir::new();
    let pem = dir.write("public.pem", &keys.public_pem());
    let evil = r#"\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u2066"#;
    let gateway = Gateway::start(json_response(
        "HTTP/1.1 201 Created",
        &format!(
            r#"{{"success":true,"data":{{"integrationId":"supabase","n8nCredentialId":"{evil}"}}}}"#
        ),
    ));
    let use_case = dir.write(
        "uc/project.json",
        r#"{"organizationId":"org_acme","devProcessInstanceId":"pi_\u001b[2Jx"}"#,
    );
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", &gateway.base);
    let run = cli.integration(
        "set",
        &[
            "supabase",
            "--secret",
            "SUPABASE_HOST=h-value",
            "--secret",
            "SUPABASE_SERVICE_ROLE_KEY=k-value",
            "--path",
            use_case.parent().unwrap().to_str().unwrap(),
            "--public-key-file",
            pem.to_str().unwrap(),
        ],
    );
    run.assert_code(0);
    for raw in ['\x1b', '\u{9b}', '\u{202e}', '\u{2066}', '\x07'] {
        assert!(!run.stdout.contains(raw), "{raw:?} in {:?}", run.stdout);
    }
    assert!(
        run.stdout
            .contains(r"n8n Credential ID: \u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u2066"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r"Instance:   pi_\u001b[2Jx"),
        "{}",
        run.stdout
    );
}

#[test]
fn attached_values_stray_words_and_url_passwords_are_never_echoed() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("sk-LEAK-4242").secret("Passw0rd-9");
    for args in [
        &["integration", "set", "openai", "--force=sk-LEAK-4242"][..],
        &["integration", "delete", "openai", "--confirm=sk-LEAK-4242"][..],
        &["integration", "list", "--json=sk-LEAK-4242"][..],
        &["sk-LEAK-4242"][..],
        &["integration", "sk-LEAK-4242"][..],
        &["integration", "list", "--sk-LEAK-4242"][..],
        &["integration", "list", "--context-type", "sk-LEAK-4242"][..],
    ] {
        let run = cli.run(args);
        run.assert_code(2);
        assert!(
            run.stderr.contains("not shown") || run.stdout.contains("not shown"),
            "{args:?}: {}{}",
            run.stdout,
            run.stderr
        );
    }
    let run = cli.integration("list", &["--force=x"]);
    assert!(
        run.stderr.contains("'--force'") || run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    // A word that looks like a command is still named.
    let run = cli.run(&["integration", "lst"]);
    assert!(run.stderr.contains("'lst'"), "{}", run.stderr);

    let proxied = Cli::owner(&platform);
    proxied.secret("Passw0rd-9");
    proxied.env("CODIKA_BASE_URL", "https://api.example.invalid");
    proxied.env("HTTPS_PROXY", "socks9://alice:Passw0rd-9@127.0.0.1:9");
    let run = proxied.integration("list", &[]);
    assert!(run.stderr.contains("***@127.0.0.1:9"), "{}", run.stderr);

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let run = cli.integration(
        "list",
        &[
            "--api-url",
            &format!("http://user:Passw0rd-9@127.0.0.1:{port}"),
        ],
    );
    run.fails(1, &format!("http://***@127.0.0.1:{port}"));
}

#[test]
fn a_huge_platform_message_is_cut_in_both_outputs() {
    let message = "A".repeat(15 << 20);
    let gateway = Gateway::start(json_response(
        "HTTP/1.1 401 Unauthorized",
        &format!(r#"{{"success":false,"error":{{"code":"UNAUTHORIZED","message":"{message}"}}}}"#),
    ));
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_BASE_URL", &gateway.base);
    let run = cli.integration("list", &[]);
    run.assert_code(1);
    assert!(run.stderr.len() < 4096, "{} bytes", run.stderr.len());
    assert!(
        run.stderr
            .contains(&format!("({} bytes more)", (15 << 20) - 2048)),
        "{}",
        run.stderr
    );
    let run = cli.integration("list", &["--json"]);
    run.assert_code(1);
    assert!(run.stdout.len() < 4096, "{} bytes", run.stdout.len());
    let message = str_at(field(&run.json(), "error"), "message").to_string();
    assert!(
        message.starts_with("AAAA") && message.ends_with("bytes more)"),
        "{message}"
    );
}

/// Runs `args`, failing the test if the run takes over 20 s (a hang).
fn run_bounded(cli: &Cli, args: &[&str]) -> (i32, String) {
    let started = Instant::now();
    let mut child = cli
        .command(&cli.work(), args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code().unwrap_or(-1), stderr);
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("codika {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_not_read() {
    use std::os::unix::fs::symlink;
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let work = cli.work();
    let zero = work.join("zero.json");
    symlink("/dev/zero", &zero).unwrap();
    let zero = zero.to_str().unwrap().to_string();
    let use_case = work.join("uc");
    std::fs::create_dir_all(&use_case).unwrap();
    symlink("/dev/zero", use_case.join("project.json")).unwrap();
    for args in [
        vec!["integration", "list", "--path", use_case.to_str().unwrap()],
        vec!["integration", "set", "openai", "--secrets-file", &zero],
        vec![
            "integration",
            "set",
            "cstm_x",
            "--secret",
            "A=b",
            "--custom-schema-file",
            &zero,
        ],
        vec![
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=v",
            "--public-key-file",
            &zero,
        ],
    ] {
        let (code, stderr) = run_bounded(&cli, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("character device, not a regular file"),
            "{args:?}: {stderr}"
        );
    }
    // A FIFO config.json with the key in the environment: no hang.
    let dir = cli.home.path().join(".config/codika");
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = std::ffi::CString::new(dir.join("config.json").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let (code, stderr) = run_bounded(&cli, &["integration", "list"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a FIFO, not a regular file"), "{stderr}");
}

#[test]
fn an_rsa_key_under_2048_bits_is_refused_before_anything_is_sent() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let pem =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rsa-1024-public.pem");
    let before = platform.stats().1;
    let run = cli.set_openai(
        "sk-never-sent",
        &["--public-key-file", pem.to_str().unwrap()],
    );
    run.fails(1, "1024 bits").fails(1, "rsa-1024-public.pem");
    assert_eq!(platform.stats().1, before + 1);
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn the_plain_http_warning_reads_the_real_host() {
    // The "platform" is a local proxy: 10.1.2.3 is never contacted.
    let proxy = Gateway::start(json_response(
        "HTTP/1.1 200 OK",
        r#"{"success":true,"data":{"integrations":[]}}"#,
    ));
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("HTTP_PROXY", &proxy.base);
    for url in [
        "http://localhost:x@10.1.2.3",
        "HTTP://10.1.2.3",
        "http://[::2]:80",
    ] {
        let run = cli.integration("list", &["--api-url", url]);
        assert!(
            run.stderr.contains("over plain HTTP"),
            "{url}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("localhost:x"), "{}", run.stderr);
    }
    assert!(
        proxy.heads().iter().any(|h| h.contains("10.1.2.3")),
        "{:?}",
        proxy.heads()
    );
    let platform = Platform::start();
    let run = Cli::owner(&platform).run(&["integration", "list"]);
    assert!(!run.stderr.contains("plain HTTP"), "{}", run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn the_process_can_leave_no_core_dump() {
    let cli = Cli::bare();
    let mut child = cli
        .command(&cli.work(), &["login", "--skip-verify"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // login waits for its key on stdin: read its limits meanwhile.
    let limits = std::path::PathBuf::from(format!("/proc/{}/limits", child.id()));
    let started = Instant::now();
    let core = loop {
        let text = std::fs::read_to_string(&limits).unwrap_or_default();
        let line = text
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or("")
            .to_string();
        if line.split_whitespace().filter(|w| *w == "0").count() == 2
            || started.elapsed() > Duration::from_secs(10)
        {
            break line;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        core.split_whitespace().filter(|w| *w == "0").count(),
        2,
        "{core}"
    );
}

#[cfg(unix)]
#[test]
fn a_config_others_can_write_or_own_draws_one_warning() {
    use std::os::unix::fs::PermissionsExt;
    let platform = Platform::start();
    let cli = Cli::bare();
    let config = cli.config(&profile_config("acme", OWNER, &platform.base));
    let dir = config.parent().unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = cli.integration("list", &[]);
    run.assert_code(0);
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("chmod 700 {}", dir.display())),
        "{}",
        run.stderr
    );
    // Sticky, the mode says so.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let run = cli.integration("list", &[]);
    assert!(run.stderr.contains("(mode 1777)"), "{}", run.stderr);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    // A directory above it that others can write: they can rename codika/
    // away and put their own in its place (probe finding 12).
    let above = dir.parent().unwrap();
    let was = std::fs::metadata(above).unwrap().permissions();
    std::fs::set_permissions(above, std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = cli.integration("list", &[]);
    run.assert_code(0);
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("chmod go-w {}", above.display())),
        "{}",
        run.stderr
    );
    // Sticky above (as /tmp): others rename only their own entries.
    std::fs::set_permissions(above, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let run = cli.integration("list", &[]);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    std::fs::set_permissions(above, was).unwrap();
    if unsafe { libc::geteuid() } != 0 {
        return skip("chown to another user needs root");
    }
    // The config directory owned by another user.
    let dir_path = std::ffi::CString::new(dir.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::chown(dir_path.as_ptr(), 4242, 4242) }, 0);
    let run = cli.integration("list", &[]);
    assert!(
        run.stderr.contains(&format!(
            "{} is owned by another user (uid 4242), who can replace them; run: chown 0 {}",
            dir.display(),
            dir.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(unsafe { libc::chown(dir_path.as_ptr(), 0, 0) }, 0);
    let path = std::ffi::CString::new(config.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::chown(path.as_ptr(), 4242, 4242) }, 0);
    // Root reads it (as it may), but says whose it is.
    let run = cli.integration("list", &[]);
    assert!(
        run.stderr.contains("owned by another user (uid 4242)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("chown 0 {}", config.display())),
        "{}",
        run.stderr
    );
}

/// From a second review: values that look like keys (base64 split at its
/// `=` padding), URLs that do not parse, and the commands we print.
#[test]
fn words_split_at_padding_and_unparsable_urls_are_never_shown() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("dGhpc2lzYXNlY3JldA")
        .secret("c2VjcmV0cGFzc3dvcmQ")
        .secret("hunter2")
        .secret("sk-proj-ABC");
    // The sweep of every run fails the test if any of them is printed.
    // A key shown nowhere is sent nowhere either (it would be a field name
    // in clear): exit 2 before anything is sent.
    cli.line(
        "integration set openai --secret dGhpc2lzYXNlY3JldA== --secret OPENAI_API_KEY=sk-ok-1",
    )
    .fails(2, "look like values");
    cli.line("integration set openai --secret c2VjcmV0cGFzc3dvcmQ=")
        .fails(2, "is empty");
    let file = cli.home.write(
        "padded.env",
        "dGhpc2lzYXNlY3JldA==\nOPENAI_API_KEY=sk-ok-2\n",
    );
    cli.integration("set", &["openai", "--secrets-file", file.to_str().unwrap()])
        .fails(2, "look like values");
    cli.integration(
        "set",
        &[
            "openai",
            "--secrets",
            r#"{"dGhpc2lzYXNlY3JldA==":"1","OPENAI_API_KEY":"sk-ok-3"}"#,
        ],
    )
    .fails(2, "look like values");
    cli.line("integration set openai --secret OPENAI_API_KEY=sk-ok-4 --metadata sk-proj-ABC")
        .fails(2, "--metadata #1 is not KEY=VALUE");
    for url in ["http://u:hunter2@[::1", "u:hunter2@127.0.0.1/x"] {
        cli.integration("list", &["--api-url", url])
            .fails(2, "invalid base URL");
        cli.set_openai("v1", &["--public-key-url", url])
            .fails(2, "invalid public key URL");
    }
    let proxied = Cli::owner(&platform);
    proxied
        .secret("Pass w0rd")
        .env("HTTPS_PROXY", "alice:Pass w0rd@127.0.0.1:1");
    proxied
        .run(&[
            "integration",
            "list",
            "--api-url",
            "https://api.example.invalid",
        ])
        .fails(2, "***@127.0.0.1:1");
}

#[test]
fn printed_commands_hide_a_url_password_and_keep_the_ca_bundle() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("hunter2");
    let with_password = platform.base.replace("http://", "http://user:hunter2@");
    let bundle = cli
        .home
        .write("ca.pem", "not read: the platform is plain http");
    cli.set_openai("sk-a", &[]).assert_code(0);
    let run = cli.integration(
        "delete",
        &[
            "openai",
            "--api-url",
            &with_password,
            "--ca-bundle",
            bundle.to_str().unwrap(),
        ],
    );
    run.assert_code(2);
    let confirm = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("codika integration delete"))
        .unwrap_or_default();
    assert!(
        confirm.contains("http://***@127.0.0.1") && confirm.contains("--ca-bundle"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("in place of ***"), "{}", run.stdout);
    cli.integration("delete", &["openai", "--confirm"])
        .assert_code(0);
    let uc =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/use_cases/invoice_assistant");
    let run = cli.integration(
        "check",
        &[
            "--path",
            uc.to_str().unwrap(),
            "--api-url",
            &with_password,
            "--ca-bundle",
            bundle.to_str().unwrap(),
            "--json",
        ],
    );
    run.assert_code(2);
    for fix in items(field(field(&run.json(), "data"), "integrations"))
        .iter()
        .map(|i| str_at(i, "fix"))
        .filter(|f| f.starts_with("codika"))
    {
        assert!(
            fix.contains("http://***@127.0.0.1") && fix.contains("--ca-bundle"),
            "{fix}"
        );
    }
}

/// Finding 13: every command that prints commands says what they leave out
/// (the --api-url password shown as ***, a typed --api-key), in one way:
/// `check`'s fixes for a human and as `notes` in `--json`, delete's
/// activate lines, set --force's too.
#[test]
fn printed_commands_say_to_put_back_what_they_leave_out() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("hunter2");
    let with_password = platform.base.replace("http://", "http://user:hunter2@");
    let uc =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/use_cases/invoice_assistant");
    let put_back = "(put the --api-url user and password back in place of ***; they are not shown)";
    let check = ["--path", uc.to_str().unwrap(), "--api-url", &with_password];
    let run = cli.integration("check", &check);
    run.assert_code(2);
    assert!(
        run.stdout.contains("--api-url 'http://***@127.0.0.1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(put_back), "{}", run.stdout);
    let run = cli.integration("check", &[&check[..], &["--json"]].concat());
    run.assert_code(2);
    let notes = items(field(field(&run.json(), "data"), "notes"))
        .iter()
        .map(|n| match n {
            miniserde::json::Value::String(s) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect::<Vec<_>>();
    assert_eq!(notes, [&put_back[1..put_back.len() - 1]], "{}", run.stdout);
    // A typed key is left out too, and said so.
    let run = cli.integration("check", &[&check[..], &["--api-key", OWNER]].concat());
    assert!(
        run.stdout
            .contains("(add your --api-key again; it is not shown)"),
        "{}",
        run.stdout
    );
    // Without anything left out, nothing is said.
    let run = cli.integration("check", &["--path", uc.to_str().unwrap(), "--json"]);
    assert!(!run.stdout.contains("\"notes\""), "{}", run.stdout);
    // The activate lines of a confirmed delete say it as well.
    cli.set_openai("sk-a", &[]).assert_code(0);
    let run = cli.integration(
        "delete",
        &["openai", "--confirm", "--api-url", &with_password],
    );
    run.says("codika instance activate pi_acme_dev --api-url 'http://***@127.0.0.1")
        .says(put_back);
}
