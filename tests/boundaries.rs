//! Boundaries that never guess (issue 18 §1, §2, §10): an environment
//! variable, a config field or a URL that is set but not valid is exit 2
//! naming where it came from, and nothing is sent (a recording gateway,
//! set as every proxy, sees any request that would have left); a URL
//! password is never printed; the API key can come from a file.

mod support;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use support::*;

/// Runs `codika args` with `cli`'s environment plus `name` set to `bytes`
/// (not UTF-8, which `Cli::env` cannot hold).
fn run_with_raw(cli: &Cli, args: &[&str], name: &str, bytes: &[u8]) -> Run {
    let output = cli
        .command(&cli.work(), args)
        .env(name, OsStr::from_bytes(bytes))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run codika");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for secret in [OWNER, OTHER_ORG, LIMITED] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a key was printed\nstdout: {}\nstderr: {}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// A gateway that answers 502 to anything: set as every proxy, it records
/// whatever would have left.
fn trap() -> Gateway {
    Gateway::start(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    )
}

fn proxied_through(cli: &Cli, trap: &Gateway) {
    for name in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"] {
        cli.env(name, &trap.base);
    }
}

fn profile(name: &str, key: &str, extra: &str) -> String {
    format!(
        r#"{{"activeProfile":"{name}","profiles":{{"{name}":{{"apiKey":"{key}","type":"org-api-key","organizationId":"org_other"{extra}}}}}}}"#
    )
}

/// Requests the emulator served during `action` (its own stats request
/// not counted).
fn requests_during(platform: &Platform, action: impl FnOnce()) -> u64 {
    let before = platform.stats().1;
    action();
    platform.stats().1 - before - 1
}

#[test]
fn an_api_key_with_a_stray_byte_is_refused_not_replaced_by_the_profiles() {
    let platform = Platform::start();
    let owner = Cli::owner(&platform);
    owner
        .run(&[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-kept-1",
        ])
        .assert_code(0);
    // The active profile holds the owner's key: the fallback would delete.
    let cli = Cli::new(&platform);
    cli.config(&profile("acme", OWNER, ""));
    let mut key = OTHER_ORG.as_bytes().to_vec();
    key.push(0xff);
    let sent = requests_during(&platform, || {
        let run = run_with_raw(
            &cli,
            &["integration", "delete", "openai", "--confirm"],
            "CODIKA_API_KEY",
            &key,
        );
        run.fails(2, "CODIKA_API_KEY");
        assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
        assert!(!run.stderr.contains("cko_emulator_other"), "{}", run.stderr);
    });
    assert_eq!(sent, 0);
    assert_eq!(platform.stored("openai").len(), 1);
}

/// `name` set to `value` plus a byte that is not UTF-8: `set` is exit 2
/// naming it, and neither the platform nor any proxy sees a request.
fn stray_byte_is_refused(name: &str, value: &str) {
    let platform = Platform::start();
    let trap = trap();
    let cli = Cli::owner(&platform);
    // The default platform, or a proxy, is this gateway: nothing passes;
    // the emulator on 127.0.0.1 is reached directly.
    proxied_through(&cli, &trap);
    cli.env("NO_PROXY", "127.0.0.1");
    let value = value.replace("{base}", &platform.base);
    let mut bytes = value.as_bytes().to_vec();
    bytes.push(0xff);
    let sent = requests_during(&platform, || {
        let run = run_with_raw(
            &cli,
            &[
                "integration",
                "set",
                "openai",
                "--secret",
                "OPENAI_API_KEY=sk-never-1",
            ],
            name,
            &bytes,
        );
        run.fails(2, name);
        assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
        assert!(!run.stderr.contains("13128"), "{name}: {}", run.stderr);
    });
    assert_eq!(sent, 0, "{name}");
    assert!(trap.heads().is_empty(), "{:?}", trap.heads());
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn a_base_url_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("CODIKA_BASE_URL", "{base}/");
}

#[test]
fn an_https_proxy_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("HTTPS_PROXY", "http://127.0.0.1:13128/");
}

#[test]
fn an_http_proxy_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("http_proxy", "http://127.0.0.1:13128/");
}

#[test]
fn a_public_key_url_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("CODIKA_PUBLIC_KEY_URL", "{base}/k");
}

#[test]
fn a_timeout_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("CODIKA_TIMEOUT", "5");
}

#[test]
fn a_no_input_switch_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("CODIKA_NO_INPUT", "1");
}

#[test]
fn a_no_proxy_with_a_stray_byte_is_refused_and_nothing_leaves() {
    stray_byte_is_refused("NO_PROXY", "127.0.0.1");
}

#[test]
fn an_invalid_number_names_the_variable_not_its_value() {
    let platform = Platform::start();
    for (name, value) in [
        ("CODIKA_TIMEOUT", "soon-4711"),
        ("CODIKA_MAX_ATTEMPTS", "many-4711"),
    ] {
        let cli = Cli::owner(&platform);
        cli.env(name, value);
        let run = cli.run(&["integration", "list"]);
        run.fails(2, name);
        assert!(!run.stderr.contains("4711"), "{}", run.stderr);
    }
}

#[test]
fn an_empty_variable_is_still_unset() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for name in [
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "CODIKA_TIMEOUT",
        "CODIKA_API_KEY_FILE",
    ] {
        cli.env(name, "");
    }
    cli.run(&["integration", "list"]).assert_code(0);
}

#[test]
fn a_config_field_of_the_wrong_type_names_the_file_and_field() {
    let trap = trap();
    let cli = Cli::bare();
    proxied_through(&cli, &trap);
    let path = cli.config(&profile("acme", OWNER, r#","baseUrl":5"#));
    let run = cli.run(&["integration", "list"]);
    run.fails(2, &path.display().to_string());
    assert!(run.stderr.contains("baseUrl"), "{}", run.stderr);
    for extra in [r#","organizationId":["a"]"#, r#","scopes":"all""#] {
        let text = profile("acme", OWNER, extra).replace(r#","organizationId":"org_other""#, "");
        cli.config(&text);
        cli.run(&["whoami"]).fails(2, "config file");
    }
    assert!(trap.heads().is_empty(), "{:?}", trap.heads());
}

#[test]
fn a_project_field_of_the_wrong_type_names_the_file_and_field() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    std::fs::write(
        cli.work().join("project.json"),
        r#"{"organizationId":5,"devProcessInstanceId":"pi_1"}"#,
    )
    .unwrap();
    let sent = requests_during(&platform, || {
        let run = cli.run(&["integration", "list"]);
        run.fails(2, "project.json");
        assert!(run.stderr.contains("organizationId"), "{}", run.stderr);
    });
    assert_eq!(sent, 0);
}

/// The tests that listen on port 80 take turns.
static PORT_80: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A listener on 127.0.0.1:80, where ureq sends a port it cannot parse
/// (needs root, or the port free): `accept` then tells whether anything
/// connected.
fn listen_on_80() -> Option<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind("127.0.0.1:80").ok()?;
    listener.set_nonblocking(true).unwrap();
    Some(listener)
}

#[test]
fn a_port_that_cannot_be_represented_is_refused_naming_its_source() {
    let trap = trap();
    let _one_at_a_time = PORT_80.lock().unwrap_or_else(|e| e.into_inner());
    let port_80 = listen_on_80();
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    for url in [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:65536",
        "http://127.0.0.1:",
        "http://127.0.0.1:80a",
    ] {
        let run = cli.run(&["integration", "list", "--api-url", url]);
        run.fails(2, "--api-url");
    }
    // From a profile: named with its file.
    let profiled = Cli::bare();
    let path = profiled.config(&profile(
        "acme",
        OWNER,
        r#","baseUrl":"http://127.0.0.1:99999""#,
    ));
    let run = profiled.run(&["integration", "list"]);
    run.fails(2, "baseUrl of profile 'acme'");
    assert!(
        run.stderr.contains(&path.display().to_string()),
        "{}",
        run.stderr
    );
    // The same from the variable.
    cli.env("CODIKA_BASE_URL", "http://127.0.0.1:99999");
    cli.run(&["integration", "list"])
        .fails(2, "CODIKA_BASE_URL");
    cli.env("CODIKA_BASE_URL", &trap.base);
    // A public key URL, before anything is fetched.
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-never-2",
        "--public-key-url",
        "http://127.0.0.1:70000/k.pem",
    ])
    .fails(2, "--public-key-url");
    assert!(trap.heads().is_empty(), "{:?}", trap.heads());
    match port_80 {
        Some(listener) => assert!(listener.accept().is_err(), "port 80 was reached"),
        None => skip("port 80 cannot be bound here: only the exit codes are checked"),
    }
}

#[test]
fn a_proxy_port_that_cannot_be_represented_is_refused_naming_the_variable() {
    let platform = Platform::start();
    let _one_at_a_time = PORT_80.lock().unwrap_or_else(|e| e.into_inner());
    let port_80 = listen_on_80();
    for (name, proxy) in [
        ("HTTP_PROXY", "http://127.0.0.1:99999"),
        ("HTTP_PROXY", "127.0.0.1:65536"),
        ("ALL_PROXY", "http://127.0.0.1:/"),
        ("https_proxy", "http://127.0.0.1:3x/"),
    ] {
        let cli = Cli::owner(&platform);
        cli.env(name, proxy);
        if name == "https_proxy" {
            cli.env("CODIKA_BASE_URL", "https://api.example.invalid");
        }
        let sent = requests_during(&platform, || {
            cli.run(&["integration", "list"]).fails(2, name);
        });
        assert_eq!(sent, 0, "{name}={proxy}");
    }
    match port_80 {
        Some(listener) => assert!(listener.accept().is_err(), "port 80 was reached"),
        None => skip("port 80 cannot be bound here: only the exit codes are checked"),
    }
}

#[test]
fn an_ipv6_address_without_brackets_is_exit_2_saying_to_bracket_it() {
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    let run = cli.run(&["integration", "list", "--api-url", "http://::1:18090"]);
    run.fails(2, "brackets");
    assert!(run.stderr.contains("--api-url"), "{}", run.stderr);
}

#[test]
fn a_url_password_is_never_printed_whatever_it_holds() {
    let trap = trap();
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    proxied_through(&cli, &trap);
    for password in ["pa?ss", "pa#ss", "pa/ss", "pa ss"] {
        cli.secret(password);
        for host in ["127.0.0.1:1", "10.1.2.3"] {
            let url = format!("http://u:{password}@{host}");
            for json in [false, true] {
                let mut args = vec!["integration", "list", "--api-url", &url];
                if json {
                    args.push("--json");
                }
                let run = cli.run(&args);
                run.fails(2, "--api-url");
                let all = format!("{}{}", run.stdout, run.stderr);
                assert!(!all.contains(password), "{all}");
                assert!(all.contains("***@"), "{all}");
            }
        }
    }
    // A password the URL can hold is sent and never shown: the plain-HTTP
    // warning and the dry run's --json document.
    cli.secret("pa!ss");
    let run = cli.run(&[
        "integration",
        "delete",
        "openai",
        "--dry-run",
        "--json",
        "--api-url",
        "http://u:pa!ss@10.1.2.3",
    ]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("***@10.1.2.3"), "{all}");
    assert!(trap.heads().iter().all(|h| h.contains("10.1.2.3")));
}

#[test]
fn the_api_key_comes_from_a_file_less_one_newline() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let file = cli.home.write("key", &format!("{OWNER}\n"));
    let file = file.to_str().unwrap();
    cli.run(&["integration", "list", "--api-key-file", file])
        .assert_code(0);
    cli.run(&["whoami", "--api-key-file", file, "--json"])
        .says("org_acme");
    cli.env("CODIKA_API_KEY_FILE", file);
    cli.run(&["integration", "list"]).assert_code(0);
    // After CODIKA_API_KEY; both set is a mistake.
    cli.env("CODIKA_API_KEY", OWNER);
    cli.run(&["integration", "list"])
        .fails(2, "CODIKA_API_KEY_FILE");
    cli.unset("CODIKA_API_KEY").unset("CODIKA_API_KEY_FILE");
    // Before the active profile, whose key is another organization's.
    cli.config(&profile("other", OTHER_ORG, ""));
    let run = cli.run(&["whoami", "--api-key-file", file, "--json"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("org_acme") && !run.stdout.contains("org_globex"),
        "{}",
        run.stdout
    );
    cli.run(&[
        "integration",
        "list",
        "--api-key",
        OWNER,
        "--api-key-file",
        file,
    ])
    .fails(2, "--api-key-file");
    // Two lines, a missing file, an empty one, a directory: exit 2 naming it.
    let two = cli.home.write("two", &format!("{OWNER}\n\n"));
    let empty = cli.home.write("empty", "\n");
    for bad in [
        two.to_str().unwrap(),
        empty.to_str().unwrap(),
        "/nonexistent/key",
        "/",
    ] {
        cli.run(&["integration", "list", "--api-key-file", bad])
            .fails(2, bad);
    }
    // login saves the file's key.
    let login = Cli::new(&platform);
    let file = login.home.write("key", &format!("{OWNER}\n"));
    login
        .run(&["login", "--api-key-file", file.to_str().unwrap()])
        .assert_code(0);
    assert!(login.config_text().contains(OWNER));
}

#[test]
fn the_key_file_option_is_documented_and_completed() {
    let cli = Cli::bare();
    let man = cli.run(&["man"]);
    man.assert_code(0);
    for needle in [
        "api\\-key\\-file",
        "CODIKA_API_KEY_FILE",
        "CODIKA_MAX_ATTEMPTS",
        "CODIKA_CA_BUNDLE",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "as visible",
    ] {
        assert!(man.stdout.contains(needle), "man has no {needle}");
    }
    let bash = cli.run(&["completion", "bash"]);
    assert!(bash.stdout.contains("--api-key-file"), "{}", bash.stdout);
    cli.run(&["integration", "list", "--help"])
        .says("--api-key-file");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `lchown` to uid/gid 4242: "another user".
fn give_away(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::lchown(c.as_ptr(), 4242, 4242) }, 0);
}

#[test]
fn login_as_root_never_writes_where_another_user_points() {
    if !is_root() {
        return skip("files of another user need root to make");
    }
    let platform = Platform::start();
    for victim in ["config.json", "config.json.lock"] {
        let cli = Cli::new(&platform);
        let dir = cli.home.path().join(".config/codika");
        std::fs::create_dir_all(&dir).unwrap();
        let precious = "{\"profiles\":{}}\n";
        let target = cli.home.write("elsewhere/target", precious);
        std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let link = dir.join(victim);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        give_away(&link);
        let run = cli.run(&["login", "--api-key", OWNER]);
        run.fails(2, "symlink");
        assert!(run.stderr.contains(victim), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), precious);
        assert!(!dir.join("config.json").is_file() || victim == "config.json");
    }
    // A lock that is a symlink of our own is not followed either (O_NOFOLLOW).
    let cli = Cli::new(&platform);
    let dir = cli.home.path().join(".config/codika");
    std::fs::create_dir_all(&dir).unwrap();
    let target = cli.home.write("elsewhere/lock", "");
    std::os::unix::fs::symlink(&target, dir.join("config.json.lock")).unwrap();
    cli.run(&["login", "--api-key", OWNER]).fails(2, "symlink");
    // A directory owned by another user.
    let cli = Cli::new(&platform);
    let dir = cli.home.path().join(".config/codika");
    std::fs::create_dir_all(&dir).unwrap();
    give_away(&dir);
    let run = cli.run(&["login", "--api-key", OWNER]);
    run.fails(2, "owned by another user (uid 4242)");
    assert!(!dir.join("config.json").exists());
}

#[test]
fn a_writer_never_leaves_a_file_the_next_command_refuses() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    // About 960 KB as written by hand; pretty-printed it would be 3 MB.
    let scopes = vec!["\"a\""; 1200].join(",");
    let profiles: Vec<String> = (0..200)
        .map(|n| format!(r#""p{n}":{{"apiKey":"cko_p{n}","scopes":[{scopes}]}}"#))
        .collect();
    let text = format!(
        r#"{{"activeProfile":"p0","profiles":{{{}}}}}"#,
        profiles.join(",")
    );
    assert!(text.len() < 1 << 20, "{}", text.len());
    let path = cli.config(&text);
    let run = cli.run(&["use", "p1"]);
    run.fails(2, "logout");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    cli.run(&["use"]).assert_code(0);
}

#[test]
fn temporary_files_of_a_killed_writer_are_removed_at_the_next_write() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.run(&["login", "--api-key", OWNER]).assert_code(0);
    let dir = cli.config_path().parent().unwrap().to_path_buf();
    let leftovers = [".config.json.4242.tmp", ".config.json.1.tmp"];
    for name in leftovers {
        std::fs::write(dir.join(name), format!("{{\"apiKey\":\"{OWNER}\"}}")).unwrap();
    }
    let unrelated = dir.join("notes.tmp");
    std::fs::write(&unrelated, "mine").unwrap();
    cli.run(&["login", "--api-key", OTHER_ORG]).assert_code(0);
    for name in leftovers {
        assert!(!dir.join(name).exists(), "{name} is still there");
    }
    assert!(unrelated.exists());
}

#[test]
fn repeated_secrets_files_are_all_read_later_winning() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let first = cli.home.write(
        "first.env",
        "SUPABASE_HOST=h-first\nSUPABASE_SERVICE_ROLE_KEY=srk-first-1\n",
    );
    let second = cli.home.write(
        "second.json",
        r#"{"SUPABASE_SERVICE_ROLE_KEY":"srk-second-2"}"#,
    );
    cli.run(&[
        "integration",
        "set",
        "supabase",
        "--process-instance-id",
        "pi_acme_dev",
        "--secrets-file",
        first.to_str().unwrap(),
        "--secrets-file",
        second.to_str().unwrap(),
    ])
    .assert_code(0);
    let stored = platform.stored("supabase");
    assert_eq!(stored.len(), 1, "{stored:?}");
    let secrets = field(&stored[0], "secrets");
    assert_eq!(str_at(secrets, "SUPABASE_HOST"), "h-first");
    assert_eq!(str_at(secrets, "SUPABASE_SERVICE_ROLE_KEY"), "srk-second-2");
    // Two of them reading stdin is still refused.
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secrets-file",
        "-",
        "--secrets-file",
        "-",
    ])
    .fails(2, "stdin can be read by one option only");
}

#[test]
fn logout_with_no_profiles_at_all_is_exit_2() {
    let cli = Cli::bare();
    cli.run(&["logout"]).fails(2, "no profiles");
    cli.config(r#"{"activeProfile":null,"profiles":{}}"#);
    cli.run(&["logout"]).fails(2, "no profiles");
    cli.run(&["logout", "--json"]).fails(2, "no profiles");
}

/// A FIFO, a directory or a device where the lock file goes is refused at
/// once by every command that writes profiles: never a wait for a writer
/// that does not come (issue 18 §8, found by the probe: `use` hung).
#[test]
fn a_lock_that_is_not_a_regular_file_is_refused_without_waiting() {
    let platform = Platform::start();
    type Make = fn(&std::path::Path);
    let makes: [(&str, Make); 3] = [
        ("FIFO", |p| {
            let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        }),
        ("directory", |p| std::fs::create_dir(p).unwrap()),
        ("device", |p| {
            std::os::unix::fs::symlink("/dev/null", p).unwrap()
        }),
    ];
    for (what, make) in makes {
        for args in [
            &["login", "--api-key", OWNER, "--name", "second"][..],
            &["use", "first"],
            &["logout", "first"],
        ] {
            let cli = Cli::new(&platform);
            cli.run(&["login", "--api-key", OWNER, "--name", "first"])
                .assert_code(0);
            let lock = cli.config_path().with_file_name("config.json.lock");
            std::fs::remove_file(&lock).unwrap();
            make(&lock);
            let before = cli.config_text();
            let mut child = cli
                .command(&cli.work(), args)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            // Not a timing target: only so that a hang fails instead of
            // stopping the suite.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while child.try_wait().unwrap().is_none() {
                if std::time::Instant::now() > deadline {
                    child.kill().unwrap();
                    panic!("{what}: {args:?} waited on the lock");
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{what}: {args:?}: {stderr}");
            // A symlink to a device is refused as a symlink, before it is opened.
            let said = if what == "device" {
                "symlink"
            } else {
                "not a regular file"
            };
            assert!(stderr.contains(said), "{what}: {args:?}: {stderr}");
            assert_eq!(cli.config_text(), before, "{what}: {args:?}");
        }
    }
}
