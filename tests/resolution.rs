//! Where the API key, base URL and profiles come from: each step of the
//! chains, as a user meets them.

mod support;

use support::*;

/// A config with two organizations' profiles (two of org_acme); `active`
/// is the active one.
fn profiles(cli: &Cli, active: &str, base: &str) {
    profiles_of(cli, active, base, true);
}

/// The same, without the second profile of org_acme when `limited` is false.
fn profiles_of(cli: &Cli, active: &str, base: &str, limited: bool) {
    let limited = match limited {
        true => format!(
            r#","limited":{{"apiKey":"{LIMITED}","organizationId":"org_acme","baseUrl":"{base}"}}"#
        ),
        false => String::new(),
    };
    cli.config(&format!(
        r#"{{"activeProfile":"{active}","profiles":{{
            "acme":{{"apiKey":"{OWNER}","type":"org-api-key","organizationId":"org_acme","organizationName":"Acme Corp","keyName":"k","keyPrefix":"cko_emu","scopes":["integrations:manage"],"createdAt":"2026-01-01T00:00:00.000Z","baseUrl":"{base}"}},
            "globex":{{"apiKey":"{OTHER_ORG}","type":"org-api-key","organizationId":"org_globex","baseUrl":"{base}"}}{limited}}}}}"#
    ));
}

/// Which organization answered: the key decides it.
fn organization_of_last_set(platform: &Platform) -> String {
    let stored = platform.stored("openai");
    str_at(stored.last().unwrap(), "organizationId").to_string()
}

fn set_openai(cli: &Cli, extra: &[&str]) -> Run {
    let mut args = vec![
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-chain",
    ];
    args.extend_from_slice(extra);
    cli.run(&args)
}

/// One step of the key chain: the active profile, `CODIKA_API_KEY`,
/// whether `--path` names a use case of org_acme, the options, and the
/// organization whose key was used.
struct KeyCase {
    active: &'static str,
    environment: Option<&'static str>,
    use_case: bool,
    options: &'static [&'static str],
    organization: &'static str,
}

#[test]
fn the_key_chain_flag_profile_environment_project_active() {
    let cases = [
        // --api-key beats --profile, CODIKA_API_KEY and the active profile.
        KeyCase {
            active: "acme",
            environment: Some(LIMITED),
            use_case: false,
            options: &["--api-key", OTHER_ORG, "--profile", "acme"],
            organization: "org_globex",
        },
        // --profile beats the environment.
        KeyCase {
            active: "acme",
            environment: Some(OWNER),
            use_case: false,
            options: &["--profile", "globex"],
            organization: "org_globex",
        },
        // The environment beats the profiles.
        KeyCase {
            active: "acme",
            environment: Some(OTHER_ORG),
            use_case: false,
            options: &[],
            organization: "org_globex",
        },
        // project.json's organization picks its profile over the active one
        // (the one profile of that organization: two are refused, below).
        KeyCase {
            active: "globex",
            environment: None,
            use_case: true,
            options: &[],
            organization: "org_acme",
        },
        // Without the project, the active profile.
        KeyCase {
            active: "globex",
            environment: None,
            use_case: false,
            options: &[],
            organization: "org_globex",
        },
    ];
    let dir = TempDir::new();
    let uc = use_case(&dir, "uc");
    for case in &cases {
        // A platform each: which organization stored the set tells the key.
        let platform = Platform::start();
        let cli = Cli::new(&platform);
        profiles_of(&cli, case.active, &platform.base, !case.use_case);
        if let Some(key) = case.environment {
            cli.env("CODIKA_API_KEY", key);
        }
        let mut options = case.options.to_vec();
        if case.use_case {
            options.extend(["--path", uc.to_str().unwrap()]);
        }
        set_openai(&cli, &options).assert_code(0);
        assert_eq!(
            organization_of_last_set(&platform),
            case.organization,
            "{options:?}"
        );
    }
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    profiles(&cli, "acme", &platform.base);
    cli.env("CODIKA_API_KEY", OWNER);
    set_openai(&cli, &["--profile", "nope"])
        .fails(2, "'nope'")
        .fails(2, "acme, globex, limited");
    // Two profiles of project.json's organization, neither active: no guess.
    cli.unset("CODIKA_API_KEY");
    profiles(&cli, "globex", &platform.base);
    set_openai(&cli, &["--path", uc.to_str().unwrap()])
        .fails(2, "profiles 'acme', 'limited'")
        .fails(2, "--profile");
}

#[test]
fn no_key_anywhere_names_the_three_ways() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = set_openai(&cli, &[]);
    for way in ["--api-key", "CODIKA_API_KEY", "codika login"] {
        run.fails(2, way);
    }
    for command in [
        &["integration", "list"][..],
        &["integration", "delete", "openai"],
        &["integration", "schema", "openAiApi"],
    ] {
        cli.run(command).assert_code(2);
    }
}

#[test]
fn key_errors_say_where_the_key_came_from() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    profiles(&cli, "limited", &platform.base);
    cli.line("integration list")
        .fails(1, "INSUFFICIENT_SCOPE")
        .fails(1, "the active profile 'limited'");
    cli.line(&format!("integration list --api-key {EXPIRED}"))
        .fails(1, "API_KEY_EXPIRED")
        .fails(1, "--api-key");
}

#[test]
fn base_url_chain_flag_env_profile() {
    let platform = Platform::start();
    let dead = "http://127.0.0.1:9";
    // --api-url beats CODIKA_BASE_URL and the profile's baseUrl.
    let cli = Cli::bare();
    profiles(&cli, "acme", dead);
    cli.env("CODIKA_BASE_URL", dead);
    cli.integration("list", &["--api-url", &platform.base])
        .assert_code(0);
    // CODIKA_BASE_URL beats the profile's.
    let cli = Cli::bare();
    profiles(&cli, "acme", dead);
    cli.env("CODIKA_BASE_URL", &platform.base);
    cli.integration("list", &[]).assert_code(0);
    // The profile's, alone.
    let cli = Cli::bare();
    profiles(&cli, "acme", &platform.base);
    cli.integration("list", &[]).assert_code(0);
    // A base URL with a path prefix keeps it, and one trailing slash goes.
    let prefixed = Platform::with(codika_emulator::Options {
        prefix: "/v1".into(),
        ..Default::default()
    });
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    cli.set_openai("sk-v1", &["--api-url", &format!("{}/", prefixed.base)])
        .assert_code(0);
    assert_eq!(prefixed.secret("openai", "OPENAI_API_KEY"), "sk-v1");
}

#[test]
fn default_base_url_goes_through_the_proxy() {
    // No base URL anywhere: https://api.codika.io, reached here through an
    // HTTPS_PROXY on a dead loopback port (nothing leaves this machine).
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    cli.env("HTTPS_PROXY", "http://127.0.0.1:9");
    let run = cli.integration("list", &["--json"]);
    run.assert_code(1);
    assert_json_error(&run, "NETWORK_ERROR");
    assert!(
        str_at(field(&run.json(), "error"), "message")
            .contains("https://api.codika.io/listintegrationspublic"),
        "{}",
        run.stdout
    );
}

#[test]
fn config_file_locations_and_errors() {
    let platform = Platform::start();
    let config = |base: &str| {
        format!(
            r#"{{"activeProfile":"a","profiles":{{"a":{{"apiKey":"{OWNER}","baseUrl":"{base}"}}}}}}"#
        )
    };
    // $XDG_CONFIG_HOME wins over ~/.config.
    let cli = Cli::bare();
    cli.config(&config("http://127.0.0.1:9"));
    cli.home
        .write("xdg/codika/config.json", &config(&platform.base));
    cli.env(
        "XDG_CONFIG_HOME",
        cli.home.path().join("xdg").to_str().unwrap(),
    );
    cli.integration("list", &[]).assert_code(0);
    // The legacy codika-helper directory is read when codika/ has none.
    let cli = Cli::bare();
    cli.home
        .write(".config/codika-helper/config.json", &config(&platform.base));
    cli.integration("list", &[]).assert_code(0);
    // A config that does not parse is never ignored.
    let cli = Cli::bare();
    let path = cli.config("{\"profiles\": ");
    cli.line("integration list")
        .fails(2, path.to_str().unwrap());
}

/// Without HOME (the home directory then comes from the user database), a
/// missing key is still a one-line error, never a panic.
#[test]
fn no_home_variable_is_a_clear_error() {
    let platform = Platform::start();
    let run = {
        let cli = Cli::new(&platform);
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_codika"));
        command
            .args(["integration", "list"])
            .env_clear()
            .env("CODIKA_BASE_URL", &platform.base)
            .current_dir(cli.work());
        command.output().unwrap()
    };
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("CODIKA_API_KEY") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn timeout_and_plain_http_warnings() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER);
    cli.env("CODIKA_TIMEOUT", "soon");
    cli.line("integration list").fails(2, "CODIKA_TIMEOUT");
    // A loopback emulator over http draws no warning; another host would.
    let quiet = Cli::new(&platform);
    quiet.env("CODIKA_API_KEY", OWNER);
    assert!(
        !quiet
            .run(&["integration", "list"])
            .stderr
            .contains("plain HTTP")
    );
}

#[test]
fn every_subcommand_takes_profile_api_key_and_project_file() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    profiles(&cli, "limited", &platform.base);
    let dir = TempDir::new();
    dir.write(
        "uc/conf/p.json",
        r#"{"organizationId":"org_acme","devProcessInstanceId":"pi_acme_prod"}"#,
    );
    let uc = dir.path().join("uc");
    let uc = uc.to_str().unwrap();
    // The active profile lacks the scope: each command works only through
    // the option under test.
    for (option, value) in [("--profile", "acme"), ("--api-key", OWNER)] {
        cli.integration("list", &[option, value]).assert_code(0);
        cli.integration("schema", &["openAiApi", option, value])
            .assert_code(0);
        cli.integration("delete", &["openai", "--confirm", option, value])
            .assert_code(0);
        cli.integration("list", &[]).assert_code(1);
    }
    cli.integration(
        "set",
        &[
            "supabase",
            "--secrets",
            r#"{"SUPABASE_HOST":"h","SUPABASE_SERVICE_ROLE_KEY":"k"}"#,
            "--profile",
            "acme",
            "--path",
            uc,
            "--project-file",
            "conf/p.json",
        ],
    )
    .assert_code(0);
    let listed = cli.integration(
        "list",
        &[
            "--profile",
            "acme",
            "--path",
            uc,
            "--project-file",
            "conf/p.json",
        ],
    );
    listed.says("supabase");
    let pending = cli.integration(
        "delete",
        &[
            "supabase",
            "--profile",
            "acme",
            "--path",
            uc,
            "--project-file",
            "conf/p.json",
        ],
    );
    assert!(
        pending
            .assert_code(2)
            .stdout
            .contains("Invoice Assistant (prod) (pi_acme_prod)"),
        "{}",
        pending.stdout
    );
}
