//! The config file as login, use and logout write it: the official format
//! kept (a file written by hand, or by the official CLI, reads and stays as
//! it was apart from the change), unknown keys kept, modes 0700/0600, a
//! broken file never overwritten, concurrent logins all kept.

mod support;

use std::path::Path;
use support::*;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// As the official CLI writes it (JSON.stringify(config, null, 2) + "\n"),
/// plus keys neither CLI knows, at the top and in a profile.
const HAND_WRITTEN: &str = r#"{
  "activeProfile": "acme",
  "profiles": {
    "acme": {
      "apiKey": "cko_emulator_owner_full",
      "type": "org-api-key",
      "organizationId": "org_acme",
      "organizationName": "Acme Corp",
      "team": {
        "seats": 3e0,
        "tags": [
          "é",
          "\u0007"
        ]
      }
    }
  },
  "telemetry": false
}
"#;

#[test]
fn a_hand_written_config_is_read_and_keeps_its_format_after_a_login() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.config(HAND_WRITTEN);
    // Read: the integration commands use its active profile.
    cli.integration("list", &["--json"]).assert_code(0);
    cli.run(&["login", "--api-key", OTHER_ORG]).assert_code(0);
    let expected = HAND_WRITTEN
        .replace(
            "\"activeProfile\": \"acme\"",
            "\"activeProfile\": \"globex\"",
        )
        .replace(
            "      }\n    }\n  },\n  \"telemetry\"",
            &format!(
                r#"      }}
    }},
    "globex": {{
      "apiKey": "cko_emulator_other_org",
      "type": "org-api-key",
      "organizationId": "org_globex",
      "organizationName": "Globex",
      "keyName": "emulator-globex",
      "keyPrefix": "cko_emu",
      "scopes": [
        "integrations:manage"
      ],
      "createdAt": "2026-01-01T00:00:00.000Z",
      "baseUrl": "{}"
    }}
  }},
  "telemetry""#,
                platform.base
            ),
        );
    assert_eq!(cli.config_text(), expected);
    // Switching back and forth changes that one line only.
    cli.run(&["use", "acme"]).assert_code(0);
    cli.run(&["use", "globex"]).assert_code(0);
    assert_eq!(cli.config_text(), expected);
}

#[test]
fn unknown_keys_of_a_profile_survive_its_replacement() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.config(HAND_WRITTEN);
    // Another key of org_acme replaces profile acme.
    cli.run(&["login", "--api-key", LIMITED]).assert_code(0);
    let text = cli.config_text();
    let config = parse(&text);
    let acme = field(field(&config, "profiles"), "acme");
    assert_eq!(str_at(acme, "apiKey"), LIMITED);
    assert_eq!(str_at(acme, "keyName"), "emulator-limited");
    assert!(text.contains("\"seats\": 3e0"), "{text}");
    assert!(text.contains("\"\\u0007\""), "{text}");
    assert!(text.ends_with("  \"telemetry\": false\n}\n"), "{text}");
    // Known keys first, in the official order, then the others.
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("      \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "apiKey",
            "type",
            "organizationId",
            "organizationName",
            "keyName",
            "keyPrefix",
            "scopes",
            "createdAt",
            "baseUrl",
            "team"
        ]
    );
}

#[test]
fn a_broken_config_is_never_overwritten() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    for broken in [
        "{\"activeProfile\": \"a\", \"profiles\": {",
        "[]",
        "{\"profiles\": {\"a\": {\"type\": \"org-api-key\"}}}",
    ] {
        let path = cli.config(broken);
        for args in [
            &["login", "--api-key", OWNER][..],
            &["login", "--skip-verify", "--api-key", OWNER],
            &["use", "a"],
            &["logout", "a"],
            &["use"],
            &["whoami"],
        ] {
            let run = cli.run(args);
            assert!(
                run.assert_code(2)
                    .stderr
                    .contains(&path.display().to_string()),
                "{args:?}: {}",
                run.stderr
            );
            assert_eq!(cli.config_text(), broken, "{args:?}");
        }
        let run = cli.run(&["login", "--api-key", OWNER, "--json"]);
        assert_json_error(run.assert_code(2), "VALIDATION_ERROR");
    }
}

#[cfg(unix)]
#[test]
fn the_directory_is_0700_and_the_file_0600() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.run(&["login", "--api-key", OWNER]).assert_code(0);
    let path = cli.config_path();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // Nothing else but the lock is left beside it.
    let mut entries: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["config.json", "config.json.lock"]);
}

#[cfg(unix)]
#[test]
fn a_file_others_can_read_draws_one_warning_and_a_write_closes_it() {
    use std::os::unix::fs::PermissionsExt;
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let path = cli.config(HAND_WRITTEN);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = cli.run(&["whoami"]);
    run.assert_code(0);
    assert_eq!(
        run.stderr.matches("chmod 600").count(),
        1,
        "once: {}",
        run.stderr
    );
    assert!(run.stderr.contains("mode 0644"), "{}", run.stderr);
    // login reads it twice (before asking the platform, under the lock): one warning.
    let run = cli.run(&["login", "--api-key", OTHER_ORG]);
    assert_eq!(
        run.assert_code(0).stderr.matches("chmod 600").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(mode(&path), 0o600);
    let run = cli.run(&["whoami"]);
    assert!(!run.stderr.contains("chmod"), "{}", run.stderr);
}

#[test]
fn concurrent_logins_all_land_in_one_valid_file() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let key = |i: usize| [OWNER, LIMITED, OTHER_ORG][i % 3];
    // 8 processes, each writing twice (login, then use): 16 read-modify-writes racing.
    let workers: Vec<_> = (0..8)
        .map(|i| {
            let name = format!("p{i}");
            let mut login = cli.command(
                &cli.work(),
                &["login", "--api-key", key(i), "--name", &name],
            );
            let mut switch = cli.command(&cli.work(), &["use", &name]);
            std::thread::spawn(move || {
                for command in [&mut login, &mut switch] {
                    let output = command.output().unwrap();
                    assert!(
                        output.status.success(),
                        "{}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let text = cli.config_text();
    let config = parse(&text);
    let profiles = field(&config, "profiles");
    for i in 0..8 {
        assert_eq!(str_at(field(profiles, &format!("p{i}")), "apiKey"), key(i));
    }
    assert!(str_at(&config, "activeProfile").starts_with('p'), "{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn a_legacy_config_is_read_and_a_login_writes_the_current_location() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let legacy = cli.home.write(
        ".config/codika-helper/config.json",
        r#"{"activeProfile":"old","profiles":{"old":{"apiKey":"cko_emulator_owner_full","organizationId":"org_acme"}}}"#,
    );
    let legacy_text = std::fs::read_to_string(&legacy).unwrap();
    let body = cli.run(&["use", "--json"]).assert_code(0).json();
    assert_eq!(str_at(&body, "activeProfile"), "old");
    let run = cli.run(&["login", "--api-key", OTHER_ORG]);
    assert!(
        run.assert_code(0).stderr.contains("now kept in"),
        "{}",
        run.stderr
    );
    let config = parse(&cli.config_text());
    assert_eq!(
        str_at(field(field(&config, "profiles"), "old"), "apiKey"),
        OWNER
    );
    assert_eq!(str_at(&config, "activeProfile"), "globex");
    assert_eq!(std::fs::read_to_string(&legacy).unwrap(), legacy_text);
}

#[test]
fn xdg_config_home_is_where_profiles_go() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let xdg = cli.home.path().join("xdg");
    cli.env("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    cli.run(&["login", "--api-key", OWNER]).assert_code(0);
    assert!(xdg.join("codika/config.json").exists());
    assert!(!cli.config_path().exists());
    cli.run(&["whoami"]).assert_code(0);
}

/// A config kept in dotfiles and linked into place stays a link; the login
/// lands in the file it points to.
#[cfg(unix)]
#[test]
fn a_symlinked_config_is_written_where_it_points() {
    let cli = Cli::bare();
    let real = cli
        .home
        .write("dotfiles/codika.json", "{\"profiles\": {}}\n");
    let link = cli.home.path().join(".config/codika/config.json");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    cli.secret("cko_linked_key_123456");
    cli.run(&[
        "login",
        "--api-key",
        "cko_linked_key_123456",
        "--skip-verify",
        "--name",
        "linked",
    ])
    .assert_code(0);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("\"linked\""), "{text}");
    assert_eq!(mode(&real), 0o600);
    // No temporary file left beside either.
    for dir in [real.parent().unwrap(), link.parent().unwrap()] {
        let names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    }
}

/// `sudo codika login` in someone's home keeps the file theirs. Needs root
/// (CI is); skipped otherwise, saying so.
#[cfg(unix)]
#[test]
fn a_config_owned_by_another_user_keeps_its_owner() {
    use std::os::unix::fs::MetadataExt;
    let cli = Cli::bare();
    let path = cli.config("{\"profiles\": {}}\n");
    if std::os::unix::fs::chown(&path, Some(4321), Some(4321)).is_err() {
        skip("changing a file's owner needs root");
        return;
    }
    cli.secret("cko_owned_key_1234567");
    cli.run(&[
        "login",
        "--api-key",
        "cko_owned_key_1234567",
        "--skip-verify",
    ])
    .assert_code(0);
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("cko_owned_key_1234567")
    );
}
