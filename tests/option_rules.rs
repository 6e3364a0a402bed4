//! What an option given on the command line means, for every option at once
//! (driven by the flag table, so a new option is covered): an empty value and
//! a single-valued option given twice with different values are refused
//! before anything is sent; path options take any bytes. And the profile
//! rules next to them: two profiles of project.json's organization, a key
//! typed as a profile name, an unverified profile's expiry; the variables
//! `apply` reads, `TERM` and `NO_COLOR` as bytes.

mod support;

use codika::flags::commands::{COMMANDS, CommandDef, Opt};
use codika::flags::defs::Values;

/// The options README says may be given more than once, every value kept.
const REPEATABLE: &[&str] = &["secret", "secrets-file", "metadata", "param"];
use support::*;

/// The words that run `def` (`integration set`, `login`).
fn words(def: &CommandDef) -> Vec<String> {
    def.path().split(' ').map(String::from).collect()
}

/// Value options of every command, with the command's words.
fn value_options() -> Vec<(Vec<String>, &'static Opt)> {
    let mut out = Vec::new();
    for def in COMMANDS {
        for option in def.options {
            if option.flag.value_name().is_some() {
                out.push((words(def), option));
            }
        }
    }
    out
}

#[test]
fn every_option_given_an_empty_value_is_refused_naming_it_and_nothing_is_sent() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let before = platform.stats().1;
    let options = value_options();
    assert!(options.len() > 40, "{}", options.len());
    for (words, option) in &options {
        let long = format!("--{}", option.flag.long);
        for form in [vec![long.clone(), String::new()], vec![format!("{long}=")]] {
            let args: Vec<&str> = words.iter().chain(&form).map(String::as_str).collect();
            let run = cli.run(&args);
            run.fails(2, &format!("{long} is empty"));
        }
    }
    // The probe's examples: the key never went to the default platform, nor
    // did the profile's key replace an empty --api-key.
    cli.run(&["integration", "list", "--api-url", ""])
        .fails(2, "--api-url is empty");
    cli.run(&["whoami", "--api-key="])
        .fails(2, "--api-key is empty");
    // One stats request per call of stats(): none came from the runs.
    assert_eq!(platform.stats().1, before + 1);
}

/// Two different valid values of `option`, so the first is recorded.
fn two_values(option: &Opt) -> (&'static str, &'static str) {
    match (option.flag.long, option.values()) {
        (_, Values::Choices(words)) if words.len() >= 2 => (words[0], words[1]),
        ("max-age", _) => ("1", "2"),
        _ => ("one", "two"),
    }
}

#[test]
fn a_single_valued_option_given_twice_with_different_values_is_refused() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let before = platform.stats().1;
    let mut tried = 0;
    for (words, option) in value_options() {
        if REPEATABLE.contains(&option.flag.long) {
            continue;
        }
        let long = format!("--{}", option.flag.long);
        let (a, b) = two_values(option);
        let second = format!("{long}={b}");
        let args: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .chain([long.as_str(), a, second.as_str()])
            .collect();
        cli.run(&args)
            .fails(2, &format!("{long} is given twice with different values"));
        tried += 1;
    }
    assert!(tried > 30, "{tried}");
    assert_eq!(platform.stats().1, before + 1);
    // The probe's examples, values never shown.
    cli.run(&["whoami", "--api-key", OWNER, "--api-key", OTHER_ORG])
        .fails(2, "--api-key is given twice");
    cli.run(&[
        "integration",
        "list",
        "--api-url",
        "http://127.0.0.1:1",
        "--api-url",
        &platform.base,
    ])
    .fails(2, "--api-url is given twice");
    // The same value twice is the same request.
    cli.run(&["whoami", "--api-key", OWNER, "--api-key", OWNER])
        .says("Acme");
    cli.run(&[
        "integration",
        "list",
        "--api-url",
        &platform.base,
        "--api-url",
        &platform.base,
    ])
    .assert_code(0);
    // Repeatable options stay repeatable.
    let dir = TempDir::new();
    let first = dir.write("a.env", "OPENAI_API_KEY=sk-first-value\n");
    let last = dir.write("b.env", "OPENAI_API_KEY=sk-last-value\n");
    cli.secret("sk-first-value").secret("sk-last-value");
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secrets-file",
        first.to_str().unwrap(),
        "--secrets-file",
        last.to_str().unwrap(),
    ])
    .assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-last-value");
    // One key a word: the same key twice differently is refused too.
    let before = platform.stats().1;
    cli.secret("sk-aaaa").secret("sk-bbbb");
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY=sk-aaaa",
        "--secret",
        "OPENAI_API_KEY=sk-bbbb",
    ])
    .fails(2, "--secret OPENAI_API_KEY is given twice");
    cli.env("OPENAI_API_KEY", "sk-aaaa");
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY",
        "--secret",
        "OPENAI_API_KEY=sk-aaaa",
    ])
    .fails(2, "--secret OPENAI_API_KEY is given twice");
    let metadata = [
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY",
        "--metadata",
        "team=a",
        "--metadata",
        "team=b",
    ];
    cli.run(&metadata)
        .fails(2, "--metadata #2 has the key of #1");
    let params = [
        "rerun",
        "deployment",
        "--process-instance-id",
        "pi_acme_dev",
        "--param",
        "LANGUAGE=fr",
        "--param",
        "LANGUAGE=en",
    ];
    cli.run(&params).fails(2, "--param LANGUAGE is given twice");
    assert_eq!(platform.stats().1, before + 1);
    // The same word twice says one thing.
    cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "OPENAI_API_KEY",
        "--secret",
        "OPENAI_API_KEY",
        "--metadata",
        "team=a",
        "--metadata",
        "team=a",
    ])
    .assert_code(0);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), "sk-aaaa");
}

#[cfg(unix)]
#[test]
fn path_options_take_any_bytes_and_text_options_do_not() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let work = cli.work();
    let latin1 = |name: &[u8]| work.join(OsStr::from_bytes(name));
    std::fs::write(latin1(b"k\xff.txt"), OWNER).unwrap();
    std::fs::write(latin1(b"s\xff.env"), "OPENAI_API_KEY=sk-latin1-path\n").unwrap();
    cli.secret("sk-latin1-path");
    let case = latin1(b"uc\xff");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(
        case.join(OsStr::from_bytes(b"p\xff.json")),
        r#"{"projectId":"p","organizationId":"org_acme","devProcessInstanceId":"pi_acme_dev"}"#,
    )
    .unwrap();
    let run = |args: &[&OsStr]| {
        let output = cli.command(&work, &[]).args(args).output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let os = |s: &'static str| OsStr::new(s);
    let key_file = latin1(b"k\xff.txt");
    let (code, stderr) = run(&[
        os("integration"),
        os("list"),
        os("--api-key-file"),
        key_file.as_os_str(),
        os("--path"),
        case.as_os_str(),
        os("--project-file"),
        OsStr::from_bytes(b"p\xff.json"),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let secrets = latin1(b"s\xff.env");
    let (code, stderr) = run(&[
        os("integration"),
        os("set"),
        os("openai"),
        os("--api-key-file"),
        key_file.as_os_str(),
        os("--secrets-file"),
        secrets.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-latin1-path"
    );
    // Text is still UTF-8 or refused.
    let (code, stderr) = run(&[
        os("integration"),
        os("list"),
        os("--api-key-file"),
        key_file.as_os_str(),
        os("--api-url"),
        OsStr::from_bytes(b"http://127.0.0.1:1/\xff"),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--api-url is not valid UTF-8"), "{stderr}");
}

const TWO_OF_ACME: &str = r#"{ "activeProfile": "c", "profiles": {
  "a": {"apiKey": "cko_emulator_other_org", "type": "org-api-key", "organizationId": "org_acme", "baseUrl": "http://127.0.0.1:1"},
  "b": {"apiKey": "cko_emulator_owner_full", "type": "org-api-key", "organizationId": "org_acme"},
  "c": {"apiKey": "cko_emulator_limited", "type": "org-api-key", "organizationId": "org_globex"} } }"#;

#[test]
fn two_profiles_of_project_organization_none_active_is_refused_naming_them() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.config(TWO_OF_ACME);
    let dir = TempDir::new();
    let case = use_case(&dir, "uc");
    let path = case.to_str().unwrap();
    let before = platform.stats().1;
    cli.run(&["integration", "list", "--path", path])
        .fails(
            2,
            "profiles 'a', 'b' all have project.json's organization org_acme",
        )
        .fails(2, "--profile");
    cli.run_in(&case, &["whoami", "--json"])
        .fails(2, "pass --profile");
    assert_eq!(platform.stats().1, before + 1);
    // login of a key of that organization: which profile to replace is no
    // guess either.
    cli.run(&["login", "--api-key", OWNER])
        .fails(
            2,
            "profiles 'a', 'b' all have the key's organization org_acme",
        )
        .fails(2, "--name");
    assert_eq!(cli.config_text(), TWO_OF_ACME);
    // --profile settles it; so does the active profile being one of them.
    cli.run(&["integration", "list", "--path", path, "--profile", "b"])
        .assert_code(0);
    cli.config(&TWO_OF_ACME.replace(r#""activeProfile": "c""#, r#""activeProfile": "b""#));
    cli.run(&["integration", "list", "--path", path])
        .assert_code(0);
    cli.run(&["login", "--api-key", OWNER, "--json"])
        .assert_code(0);
    assert!(cli.config_text().contains(r#""activeProfile": "b""#));
}

#[test]
fn a_key_typed_as_a_profile_name_is_shown_masked() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.run(&["login", "--api-key", OWNER, "--name", "work", "-q"])
        .assert_code(0);
    // The sweep of every run fails the test if OWNER is printed whole.
    for args in [
        &["integration", "list", "--profile", OWNER][..],
        &["whoami", "--profile", OWNER],
        &["use", OWNER],
        &["logout", OWNER],
        &["logout", OWNER, "--json"],
    ] {
        cli.run(args)
            .fails(2, "no profile named 'cko_emul...'")
            .fails(2, "known profiles: work");
    }
    cli.run(&["login", "--api-key", OWNER, "--name", OTHER_ORG])
        .fails(2, "--name 'cko_emul...' looks like an API key");
    // A token that is not a Codika key, pasted as a name.
    let token = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs";
    cli.secret(token);
    cli.run(&["use", token])
        .fails(2, "no profile named 'sk-proj-...'");
}

#[test]
fn whoami_says_the_expiry_of_an_unverified_profile_is_unknown() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.run(&[
        "login",
        "--api-key",
        EXPIRED,
        "--name",
        "ex",
        "--skip-verify",
        "-q",
    ])
    .assert_code(0);
    let run = cli.run(&[
        "whoami",
        "--profile",
        "ex",
        "--api-url",
        "http://127.0.0.1:1",
    ]);
    run.says("Expires:       unknown (not verified at login)");
    assert!(!run.stdout.contains("never"), "{}", run.stdout);
    let json = cli
        .run(&[
            "whoami",
            "--profile",
            "ex",
            "--api-url",
            "http://127.0.0.1:1",
            "--json",
        ])
        .json();
    assert!(bool_at(&json, "cached") && !bool_at(&json, "verified"));
    // A verified profile without an expiry still never expires.
    cli.run(&["login", "--api-key", OWNER, "--name", "ok", "-q"])
        .assert_code(0);
    cli.run(&[
        "whoami",
        "--profile",
        "ok",
        "--api-url",
        "http://127.0.0.1:1",
    ])
    .says("Expires:       never");
}

#[test]
fn a_very_short_key_does_not_mask_words_of_messages() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let run = cli.run(&["whoami", "--api-key", "k"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("invalid API key") && !run.stderr.contains("...ey"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_secret_key_not_shown_is_named_once() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let run = cli.run(&[
        "integration",
        "set",
        "openai",
        "--secret",
        "aGVsbG8gd29ybGQ=",
    ]);
    run.assert_code(2);
    assert_eq!(
        run.stderr.matches("not UPPER_CASE").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("from --secret is empty"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn term_and_no_color_are_bytes_and_only_switch_colour_off() {
    use std::os::unix::ffi::OsStrExt;
    let cli = Cli::bare();
    for name in ["TERM", "NO_COLOR"] {
        let output = cli
            .command(&cli.work(), &["use"])
            .env(name, std::ffi::OsStr::from_bytes(b"\xff"))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[cfg(unix)]
#[test]
fn apply_checks_the_variables_it_reads() {
    use std::os::unix::ffi::OsStrExt;
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let dir = TempDir::new();
    let case = use_case(&dir, "uc");
    for name in ["CODIKA_NO_INPUT", "CODIKA_PUBLIC_KEY_URL"] {
        let output = cli
            .command(
                &cli.work(),
                &["integration", "apply", "--path", case.to_str().unwrap()],
            )
            .env(name, std::ffi::OsStr::from_bytes(b"\xff"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    // README's Environment table says so (its rows are env::VARS's).
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for name in [
        "CODIKA_API_KEY",
        "CODIKA_API_KEY_FILE",
        "CODIKA_PUBLIC_KEY_FILE",
        "CODIKA_NO_INPUT",
    ] {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap();
        assert!(
            row.ends_with(" |") && row.rsplit('|').nth(1).unwrap().contains("apply"),
            "{row}"
        );
    }
}

#[test]
fn profiles_live_under_xdg_or_home_never_both_as_readme_says() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    cli.run(&["login", "--api-key", OWNER, "--name", "home", "-q"])
        .assert_code(0);
    let xdg = cli.home.path().join("xdg");
    cli.env("XDG_CONFIG_HOME", xdg.to_str().unwrap());
    cli.run(&["use"]).says("No profiles");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| profiles |"))
        .unwrap();
    assert!(row.contains("never both"), "{row}");
}
