//! `codika login`, `whoami`, `use` and `logout` against the emulator, as a
//! user runs them: what they print (the key masked, never whole: every run
//! is swept for the keys it used and the keys in the config file) and what
//! they leave in `~/.config/codika/config.json`.

mod support;

use miniserde::json::Value;
use support::*;

fn login(cli: &Cli, key: &str) -> Run {
    cli.run(&["login", "--api-key", key])
}

/// The profile names in the file, in order (miniserde sorts keys, so from
/// the text: the official format puts them alone at 4 spaces), and the
/// active one.
fn profiles(cli: &Cli) -> (Vec<String>, Value) {
    let text = cli.config_text();
    let config = parse(&text);
    let names = text
        .lines()
        .filter(|l| l.starts_with("    \"") && l.ends_with('{'))
        .map(|l| l.trim().split('"').nth(1).unwrap().to_string())
        .collect();
    (names, field(&config, "activeProfile").clone())
}

fn profile(cli: &Cli, name: &str) -> Value {
    field(field(&parse(&cli.config_text()), "profiles"), name).clone()
}

fn active(cli: &Cli) -> String {
    match profiles(cli).1 {
        Value::String(name) => name,
        other => panic!("activeProfile is {}", miniserde::json::to_string(&other)),
    }
}

#[test]
fn login_saves_the_verified_profile_in_the_official_format() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = login(&cli, OWNER);
    run.assert_code(0);
    for line in [
        "✓ Logged in successfully",
        "  Profile:      acme-corp (active)",
        "  Organization: Acme Corp (org_acme)",
        "  Key name:     emulator-owner",
        "  Key:          cko_emul...",
        "  Scopes:       integrations:manage, deploy:use-case, instances:read, projects:read",
        &format!("  Base URL:     {}", platform.base),
    ] {
        assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
    }
    assert_eq!(
        cli.config_text(),
        format!(
            r#"{{
  "activeProfile": "acme-corp",
  "profiles": {{
    "acme-corp": {{
      "apiKey": "cko_emulator_owner_full",
      "type": "org-api-key",
      "organizationId": "org_acme",
      "organizationName": "Acme Corp",
      "keyName": "emulator-owner",
      "keyPrefix": "cko_emu",
      "scopes": [
        "integrations:manage",
        "deploy:use-case",
        "instances:read",
        "projects:read"
      ],
      "createdAt": "2026-01-01T00:00:00.000Z",
      "baseUrl": "{}"
    }}
  }}
}}
"#,
            platform.base
        )
    );
    // The profile works for the integration commands, with no env key.
    cli.integration("list", &["--json"]).assert_code(0);
}

#[test]
fn login_json_is_one_document_with_the_masked_key() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = cli.run(&["login", "--api-key", OTHER_ORG, "--json"]);
    let body = run.assert_code(0).json();
    assert!(bool_at(&body, "success"));
    let data = field(&body, "data");
    assert_eq!(str_at(data, "profileName"), "globex");
    assert_eq!(str_at(data, "organizationId"), "org_globex");
    assert_eq!(str_at(field(data, "apiKey"), "masked"), "cko_emul...");
    assert!(bool_at(data, "verified"));
    assert!(!run.stdout.contains("Verifying"), "{}", run.stdout);
}

#[test]
fn login_reads_one_line_of_stdin() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = cli.run_with_stdin(&["login"], &format!("{OWNER}\n"));
    run.says("cko_emul...");
    assert_eq!(str_at(&profile(&cli, "acme-corp"), "apiKey"), OWNER);
    // Without a trailing newline, and with surrounding blanks, as printf gives it.
    let cli = Cli::new(&platform);
    cli.run_with_stdin(&["login", "--name", "piped"], &format!("  {OTHER_ORG}  "))
        .assert_code(0);
    assert_eq!(str_at(&profile(&cli, "piped"), "apiKey"), OTHER_ORG);
}

#[test]
fn an_empty_key_is_a_validation_error_and_writes_nothing() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    for input in ["", "\n", "   \n"] {
        let run = cli.run_with_stdin(&["login"], input);
        assert!(
            run.assert_code(2)
                .stderr
                .contains("empty API key from stdin"),
            "{}",
            run.stderr
        );
    }
    let run = cli.run(&["login", "--api-key", "", "--json"]);
    assert_json_error(run.assert_code(2), "VALIDATION_ERROR");
    // No stdin at all (closed).
    cli.run(&["login"]).assert_code(2);
    let run = cli.run(&["login", "--api-key", "two words"]);
    assert!(
        run.assert_code(2).stderr.contains("spaces"),
        "{}",
        run.stderr
    );
    assert!(!cli.config_path().exists());
}

#[test]
fn a_key_typed_as_an_argument_is_refused_and_not_echoed() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.secret("cko_typed_on_the_command_line");
    let run = cli.run(&["login", "cko_typed_on_the_command_line"]);
    assert!(
        run.assert_code(2).stderr.contains("--api-key"),
        "{}",
        run.stderr
    );
    assert!(!cli.config_path().exists());
}

#[test]
fn refused_keys_write_nothing() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.secret("cko_not_a_real_key");
    let run = login(&cli, "cko_not_a_real_key");
    assert!(
        run.assert_code(1).stderr.contains("UNAUTHORIZED"),
        "{}",
        run.stderr
    );
    let run = cli.run(&["login", "--api-key", EXPIRED, "--json"]);
    assert_json_error(run.assert_code(1), "API_KEY_EXPIRED");
    assert!(!cli.config_path().exists(), "no file for a refused key");

    // With a config already there: not a byte changes.
    login(&cli, OTHER_ORG).assert_code(0);
    let before = cli.config_text();
    login(&cli, EXPIRED).assert_code(1);
    login(&cli, "cko_not_a_real_key").assert_code(1);
    assert_eq!(cli.config_text(), before);
}

#[test]
fn names_come_from_the_organization_and_a_login_replaces_its_profile() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    login(&cli, OWNER).assert_code(0);
    login(&cli, OTHER_ORG).assert_code(0);
    assert_eq!(profiles(&cli).0, ["acme-corp", "globex"]);
    assert_eq!(active(&cli), "globex");
    // Another key of org_acme replaces acme-corp, in place, and is active.
    let run = login(&cli, LIMITED);
    assert!(
        run.assert_code(0)
            .stdout
            .contains("Profile:      acme-corp (active)"),
        "{}",
        run.stdout
    );
    assert_eq!(profiles(&cli).0, ["acme-corp", "globex"]);
    assert_eq!(active(&cli), "acme-corp");
    assert_eq!(str_at(&profile(&cli, "acme-corp"), "apiKey"), LIMITED);
    // --name adds beside it.
    cli.run(&["login", "--api-key", OWNER, "--name", "acme-admin"])
        .assert_code(0);
    assert_eq!(profiles(&cli).0, ["acme-corp", "globex", "acme-admin"]);
    assert_eq!(active(&cli), "acme-admin");

    // The slug is taken by another organization's profile: -2.
    let cli = Cli::new(&platform);
    cli.config(
        r#"{"activeProfile":null,"profiles":{"acme-corp":{"apiKey":"cko_elsewhere_1234","organizationId":"org_other"}}}"#,
    );
    cli.secret("cko_elsewhere_1234");
    login(&cli, OWNER).assert_code(0);
    assert_eq!(profiles(&cli).0, ["acme-corp", "acme-corp-2"]);
    assert_eq!(active(&cli), "acme-corp-2");
}

#[test]
fn skip_verify_saves_without_asking_the_platform() {
    let cli = Cli::bare();
    // Nothing listens on port 9: the platform is never asked.
    for (key, kind, name) in [
        ("cka_admin_key_123456", "admin-api-key", "default"),
        ("ckp_personal_key_1234", "personal-api-key", "default-2"),
        ("cko_org_key_1234567", "org-api-key", "default-3"),
    ] {
        cli.secret(key);
        let run = cli.run(&[
            "login",
            "--skip-verify",
            "--api-key",
            key,
            "--base-url",
            "http://127.0.0.1:9",
        ]);
        assert!(
            run.assert_code(0)
                .stdout
                .contains(&format!("Profile:      {name} (active)")),
            "{}",
            run.stdout
        );
        let saved = profile(&cli, name);
        assert_eq!(str_at(&saved, "type"), kind);
        assert_eq!(str_at(&saved, "baseUrl"), "http://127.0.0.1:9");
        assert!(!has(&saved, "organizationId"));
    }
    assert_eq!(active(&cli), "default-3");
}

#[test]
fn the_default_base_url_is_not_saved() {
    let cli = Cli::bare();
    cli.secret("cko_org_key_1234567");
    cli.run(&["login", "--skip-verify", "--api-key", "cko_org_key_1234567"])
        .assert_code(0);
    let saved = profile(&cli, "default");
    assert!(!has(&saved, "baseUrl"), "{}", cli.config_text());
    // A trailing slash is the same URL.
    cli.run(&[
        "login",
        "--skip-verify",
        "--api-key",
        "cko_org_key_1234567",
        "--name",
        "slash",
        "--base-url",
        "https://api.codika.io/",
    ])
    .assert_code(0);
    assert!(!has(&profile(&cli, "slash"), "baseUrl"));
    let run = cli.run(&[
        "login",
        "--skip-verify",
        "--api-key",
        "x",
        "--base-url",
        "ftp://x",
    ]);
    run.assert_code(2);
}

#[test]
fn whoami_shows_the_key_masked_and_where_it_came_from() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    login(&cli, OWNER).assert_code(0);
    login(&cli, OTHER_ORG).assert_code(0);
    let run = cli.run(&["whoami"]);
    for line in [
        "Logged in to Codika",
        "  Organization:  Globex (org_globex)",
        "  Key name:      emulator-globex",
        "  Key:           cko_emul...",
        "  Scopes:        integrations:manage",
        "  Expires:       never",
        "  Profile:       globex",
        "  Source:        the active profile 'globex'",
    ] {
        assert!(
            run.assert_code(0).stdout.contains(line),
            "{line:?} in\n{}",
            run.stdout
        );
    }

    let body = cli
        .run(&["whoami", "--profile", "acme-corp", "--json"])
        .json();
    assert!(bool_at(&body, "loggedIn"));
    assert_eq!(str_at(&body, "organizationId"), "org_acme");
    assert_eq!(str_at(&body, "keyName"), "emulator-owner");
    assert_eq!(str_at(&body, "key"), "cko_emul...");
    assert_eq!(str_at(&body, "profileName"), "acme-corp");
    assert_eq!(str_at(&body, "source"), "profile 'acme-corp' (--profile)");
    assert!(!has(&body, "cached"));

    cli.env("CODIKA_API_KEY", LIMITED);
    let body = cli.run(&["whoami", "--json"]).json();
    assert_eq!(str_at(&body, "source"), "CODIKA_API_KEY");
    assert_eq!(str_at(&body, "keyName"), "emulator-limited");
    assert!(matches!(field(&body, "profileName"), Value::Null));
    let body = cli.run(&["whoami", "--api-key", OWNER, "--json"]).json();
    assert_eq!(str_at(&body, "source"), "--api-key");

    let run = cli.run(&["whoami", "--profile", "nope"]);
    assert!(
        run.assert_code(2).stderr.contains("acme-corp, globex"),
        "{}",
        run.stderr
    );
}

#[test]
fn whoami_without_a_key_is_not_logged_in() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = cli.run(&["whoami", "--json"]);
    assert_eq!(run.assert_code(1).stdout, "{\n  \"loggedIn\": false\n}\n");
    let run = cli.run(&["whoami"]);
    assert!(
        run.assert_code(1).stderr.contains("Not logged in"),
        "{}",
        run.stderr
    );
}

#[test]
fn whoami_shows_saved_data_when_the_platform_cannot_be_reached() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    login(&cli, OWNER).assert_code(0);
    let run = cli.run(&["whoami", "--api-url", "http://127.0.0.1:9"]);
    run.says("saved data").says("Acme Corp (org_acme)");
    assert!(
        run.stderr.contains("could not be reached"),
        "{}",
        run.stderr
    );
    let body = cli
        .run(&["whoami", "--api-url", "http://127.0.0.1:9", "--json"])
        .assert_code(0)
        .json();
    assert!(bool_at(&body, "cached") && bool_at(&body, "loggedIn"));
    assert_eq!(str_at(&body, "keyName"), "emulator-owner");
    // A key with no profile behind it has nothing saved to show.
    cli.env("CODIKA_API_KEY", OWNER);
    let run = cli.run(&["whoami", "--api-url", "http://127.0.0.1:9", "--json"]);
    assert_json_error(run.assert_code(1), "NETWORK_ERROR");
}

/// Saved data is input too: dates far out of range are shown, not computed
/// with (they once overflowed the day count).
#[test]
fn whoami_copes_with_any_saved_expiry() {
    for expiry in [
        "9223372036854775807-01-01T00:00:00Z",
        "2026-11-26T9223372036854775807:00:00Z",
        "soon",
    ] {
        let cli = Cli::bare();
        cli.secret("cko_12345678901234567890");
        cli.config(&format!(
            r#"{{"activeProfile":"a","profiles":{{"a":{{"apiKey":"cko_12345678901234567890","organizationId":"org_x","expiresAt":"{expiry}","baseUrl":"http://127.0.0.1:9"}}}}}}"#
        ));
        let run = cli.run(&["whoami"]);
        // As saved (the date part alone when it starts with one).
        assert!(
            run.assert_code(0)
                .stdout
                .contains(&format!("Expires:       {}", &expiry[..4])),
            "{}",
            run.stdout
        );
        cli.run(&["whoami", "--json"]).assert_code(0);
    }
}

#[test]
fn whoami_with_a_refused_key_exits_1() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.config(&format!(
        r#"{{"activeProfile":"old","profiles":{{"old":{{"apiKey":"{EXPIRED}","type":"org-api-key","organizationId":"org_acme","expiresAt":"2025-01-01T00:00:00.000Z"}}}}}}"#
    ));
    let run = cli.run(&["whoami"]);
    assert!(
        run.assert_code(1).stderr.contains("API_KEY_EXPIRED")
            && run.stderr.contains("the active profile 'old'"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_that_expires_within_a_week_draws_a_warning() {
    let dir = TempDir::new();
    let soon = iso_in_days(3);
    let seed = dir.write(
        "seed.json",
        &format!(
            r#"{{"apiKeys":[{{"key":"cko_expires_soon_123456","organizationId":"org_acme","memberId":"mem_owner","keyName":"soon","scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z","expiresAt":"{soon}"}}],
            "organizations":[{{"id":"org_acme","name":"Acme Corp"}}],"processInstances":[],"integrations":[],"nextCredentialNumber":1}}"#
        ),
    );
    let platform = Platform::with(codika_emulator::Options {
        seed: Some(seed),
        ..Default::default()
    });
    let cli = Cli::new(&platform);
    cli.secret("cko_expires_soon_123456");
    let run = login(&cli, "cko_expires_soon_123456");
    assert!(
        run.assert_code(0).stderr.contains("expires in 3 days"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains(&format!("Expires:      {}", &soon[..10]))
    );
    assert_eq!(str_at(&profile(&cli, "acme-corp"), "expiresAt"), soon);
    let run = cli.run(&["whoami"]);
    assert!(
        run.assert_code(0).stderr.contains("expires in 3 days"),
        "{}",
        run.stderr
    );
    // A key with no expiry draws none.
    let run = login(&Cli::new(&Platform::start()), OWNER);
    assert!(!run.stderr.contains("expire"), "{}", run.stderr);
}

/// An ISO timestamp a little under `days` days from now.
fn iso_in_days(days: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let secs = now.as_secs() + days * 86_400 - 60;
    let (day, rem) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn use_lists_profiles_and_switches_the_active_one() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    login(&cli, OWNER).assert_code(0);
    login(&cli, OTHER_ORG).assert_code(0);
    let run = cli.run(&["use"]);
    let lines: Vec<&str> = run.assert_code(0).stdout.lines().collect();
    let acme = lines.iter().find(|l| l.contains("acme-corp")).unwrap();
    let globex = lines.iter().find(|l| l.contains("globex")).unwrap();
    assert!(
        acme.starts_with("    acme-corp ") && acme.contains("Acme Corp"),
        "{acme}"
    );
    assert!(
        acme.contains("org_acme") && acme.contains("cko_emul..."),
        "{acme}"
    );
    assert!(acme.contains(&platform.base), "{acme}");
    assert!(globex.starts_with("  ● globex "), "{globex}");

    let run = cli.run(&["use", "acme-corp"]);
    assert!(
        run.assert_code(0)
            .stdout
            .contains("✓ Switched to \"acme-corp\""),
        "{}",
        run.stdout
    );
    assert_eq!(active(&cli), "acme-corp");
    // The alias, with --json.
    let body = cli.run(&["profiles", "--json"]).assert_code(0).json();
    assert_eq!(str_at(&body, "activeProfile"), "acme-corp");
    let listed = items(field(&body, "profiles"));
    assert_eq!(listed.len(), 2);
    assert_eq!(str_at(&listed[0], "name"), "acme-corp");
    assert!(bool_at(&listed[0], "active"));
    assert_eq!(str_at(&listed[1], "key"), "cko_emul...");
    assert_eq!(str_at(&listed[1], "baseUrl"), platform.base);

    let before = cli.config_text();
    let run = cli.run(&["use", "nope"]);
    assert!(
        run.assert_code(2)
            .stderr
            .contains("no profile named 'nope' (known profiles: acme-corp, globex)"),
        "{}",
        run.stderr
    );
    let run = cli.run(&["use", "nope", "--json"]);
    assert_json_error(run.assert_code(2), "VALIDATION_ERROR");
    assert_eq!(cli.config_text(), before);
}

#[test]
fn use_without_profiles_says_how_to_add_one() {
    let cli = Cli::bare();
    let run = cli.run(&["use"]);
    assert!(
        run.assert_code(0).stdout.contains("codika login"),
        "{}",
        run.stdout
    );
    let body = cli.run(&["use", "--json"]).assert_code(0).json();
    assert!(matches!(field(&body, "activeProfile"), Value::Null));
    assert!(items(field(&body, "profiles")).is_empty());
    let run = cli.run(&["use", "acme"]);
    assert!(
        run.assert_code(2).stderr.contains("known profiles: none"),
        "{}",
        run.stderr
    );
    cli.run(&["logout", "acme"]).assert_code(2);
    // No profiles at all is exit 2, as no active profile is.
    cli.run(&["logout"]).fails(2, "no profiles to log out of");
    cli.run(&["logout", "--json"])
        .fails(2, "no profiles to log out of");
    // Nothing was created to say so.
    assert!(!cli.config_path().parent().unwrap().exists());
}

#[test]
fn logout_removes_the_active_profile_and_the_first_remaining_takes_over() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    login(&cli, OWNER).assert_code(0);
    login(&cli, OTHER_ORG).assert_code(0);
    cli.run(&["login", "--api-key", LIMITED, "--name", "limited"])
        .assert_code(0);
    assert_eq!(active(&cli), "limited");

    // A named profile that is not active: the active one stays.
    cli.run(&["logout", "globex"]).assert_code(0);
    assert_eq!(profiles(&cli).0, ["acme-corp", "limited"]);
    assert_eq!(active(&cli), "limited");

    let run = cli.run(&["logout"]);
    assert!(
        run.assert_code(0)
            .stdout
            .contains("Removed profile \"limited\"")
            && run.stdout.contains("Active profile is now \"acme-corp\""),
        "{}",
        run.stdout
    );
    assert_eq!(active(&cli), "acme-corp");

    let run = cli.run(&["logout", "nope"]);
    assert!(
        run.assert_code(2)
            .stderr
            .contains("known profiles: acme-corp"),
        "{}",
        run.stderr
    );

    let body = cli.run(&["logout", "--json"]).assert_code(0).json();
    assert_eq!(str_at(field(&body, "data"), "removed"), "acme-corp");
    assert!(matches!(
        field(field(&body, "data"), "activeProfile"),
        Value::Null
    ));
    // As the official CLI leaves it.
    assert_eq!(
        cli.config_text(),
        "{\n  \"activeProfile\": null,\n  \"profiles\": {}\n}\n"
    );
    cli.run(&["logout"]).fails(2, "no profiles to log out of");
    let run = cli.run(&["whoami", "--json"]);
    assert_eq!(run.assert_code(1).stdout, "{\n  \"loggedIn\": false\n}\n");
}

#[test]
fn logout_without_an_active_profile_asks_for_a_name() {
    let cli = Cli::bare();
    cli.config(r#"{"activeProfile":null,"profiles":{"a":{"apiKey":"cko_aaaa_1234"}}}"#);
    cli.secret("cko_aaaa_1234");
    let run = cli.run(&["logout"]);
    assert!(
        run.assert_code(2).stderr.contains("known profiles: a"),
        "{}",
        run.stderr
    );
    cli.run(&["logout", "a"]).assert_code(0);
    assert!(profiles(&cli).0.is_empty());
}

#[test]
fn help_lists_the_profile_commands() {
    let cli = Cli::bare();
    let run = cli.run(&["--help"]);
    for command in ["integration", "login", "whoami", "use", "logout"] {
        assert!(
            run.assert_code(0)
                .stdout
                .lines()
                .any(|l| l.starts_with(&format!("  {command} "))),
            "{command} in\n{}",
            run.stdout
        );
    }
    let run = cli.run(&["login", "--help"]);
    for flag in [
        "--api-key",
        "--base-url",
        "--name",
        "--skip-verify",
        "--json",
    ] {
        assert!(run.assert_code(0).stdout.contains(flag), "{}", run.stdout);
    }
    let run = cli.run(&["login", "--secret", "A=1"]);
    assert!(
        run.assert_code(2)
            .stderr
            .contains("unknown option '--secret' for 'codika login'"),
        "{}",
        run.stderr
    );
    let run = cli.run(&["logout", "a", "b"]);
    run.assert_code(2);
}

/// On a terminal (a pty made by util-linux `script`), login prompts with
/// echo off: what is typed never shows, and the terminal is restored.
#[cfg(unix)]
#[test]
fn on_a_terminal_login_prompts_without_echo() {
    if !std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        skip("util-linux script is not installed");
        return;
    }
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let output = type_at_the_prompt(&cli, &platform, &format!("{OWNER}\n"));
    assert!(!output.contains(OWNER), "the key was echoed: {output}");
    assert!(
        output.contains("exit=0") && output.contains("cko_emul..."),
        "{output}"
    );
    assert!(output.contains(" echo "), "echo restored: {output}");
    assert_eq!(str_at(&profile(&cli, "acme-corp"), "apiKey"), OWNER);

    // Ctrl-C halfway: nothing saved, and echo is back all the same.
    let cli = Cli::new(&platform);
    let output = type_at_the_prompt(&cli, &platform, "cko_half\x03");
    assert!(!output.contains("exit=0"), "{output}");
    assert!(output.contains(" echo "), "echo restored: {output}");
    assert!(!cli.config_path().exists());
}

/// --no-input, or CODIKA_NO_INPUT=1, on a terminal: no prompt, exit 2 saying
/// what to pass instead. A key on a pipe is still read: that is no prompt.
#[cfg(unix)]
#[test]
fn no_input_never_prompts_for_the_key() {
    if !support::pty::script_available() {
        skip("util-linux script is not installed");
        return;
    }
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    for (by, args) in [
        ("--no-input", &["login", "--no-input"][..]),
        ("CODIKA_NO_INPUT", &["login"][..]),
    ] {
        if by == "CODIKA_NO_INPUT" {
            cli.env("CODIKA_NO_INPUT", "1");
        }
        let output = cli.on_a_terminal(args, "", &[]);
        assert!(
            output.contains("exit=2")
                && output.contains(&format!("{by} forbids asking"))
                && output.contains("--api-key KEY")
                && !output.contains("API key: "),
            "{output}"
        );
        assert!(!cli.config_path().exists());
    }
    let run = cli.run_with_stdin(&["login", "--no-input"], &format!("{OWNER}\n"));
    run.assert_code(0);
    assert_eq!(str_at(&profile(&cli, "acme-corp"), "apiKey"), OWNER);
}

/// Runs `codika login` in a pty, types `input` once the prompt shows, and
/// returns everything the terminal showed, then `stty -a`'s settings.
#[cfg(unix)]
fn type_at_the_prompt(cli: &Cli, platform: &Platform, input: &str) -> String {
    use std::io::{Read, Write};
    use std::path::Path;
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_codika");
    // A hostile environment for the prompt's shell: tracing asked for in
    // every way sh and bash take it, and an `sh` on PATH that is bash. None
    // of it may show the key.
    let hostile = cli.home.path().join("hostile");
    std::fs::create_dir_all(&hostile).unwrap();
    if Path::new("/bin/bash").exists() && !hostile.join("sh").exists() {
        std::os::unix::fs::symlink("/bin/bash", hostile.join("sh")).unwrap();
    }
    let trace = cli.home.write("hostile/trace.sh", "set -x\n");
    let env = format!(
        "SHELLOPTS=xtrace BASH_ENV='{0}' ENV='{0}' PATH='{1}':\"$PATH\"",
        trace.display(),
        hostile.display()
    );
    // The shell around survives a Ctrl-C (a trap, which its children do not inherit).
    let command =
        format!("trap 'echo interrupted' INT; {env} '{bin}' login; echo \"exit=$?\"; stty -a");
    let mut child = Command::new("script")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", cli.home.path())
        .env("CODIKA_BASE_URL", &platform.base)
        .args(["-qec", &command, "/dev/null"])
        .current_dir(cli.work())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8];
    // The prompt is printed once echo is off.
    while !String::from_utf8_lossy(&seen).contains("API key: ") {
        assert_eq!(stdout.read(&mut byte).unwrap(), 1, "no prompt: {seen:?}");
        seen.push(byte[0]);
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    stdout.read_to_end(&mut seen).unwrap();
    drop(stdin);
    child.wait().unwrap();
    String::from_utf8_lossy(&seen).into_owned()
}
