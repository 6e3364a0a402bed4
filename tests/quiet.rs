/*!
`-q, --quiet` for every command, end to end: nothing on success but
data (a list, a schema, whoami, the profiles), errors and warnings still
on stderr, and `--json` winning over it.
*/

mod support;

use support::*;

const KEY_VALUE: &str = "sk-quiet-value";

fn owner_with_secret(platform: &Platform) -> Cli {
    let cli = Cli::owner(platform);
    cli.env("OPENAI_API_KEY", KEY_VALUE).secret(KEY_VALUE);
    cli
}

#[test]
fn quiet_set_and_delete_print_nothing_on_success() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    for args in [
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY",
            "-q",
        ][..],
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY",
            "--quiet",
            "--force",
        ],
        &["integration", "delete", "openai", "--confirm", "-q"],
    ] {
        let run = cli.run(args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, "", ""),
            "{args:?}"
        );
    }
    assert!(platform.stored("openai").is_empty());
    // Not a success: said on stderr, in one line, with the exit code.
    cli.integration("set", &["openai", "--secret", "OPENAI_API_KEY", "-q"]);
    let pending = cli.integration("delete", &["openai", "-q"]);
    pending.assert_code(2);
    assert!(pending.stdout.is_empty());
    assert_eq!(pending.stderr.lines().count(), 1, "{}", pending.stderr);
    assert!(pending.stderr.contains("--confirm"), "{}", pending.stderr);
    let error = cli.integration("set", &["anthropic", "-q", "--no-input"]);
    error.assert_code(2);
    assert!(
        error.stdout.is_empty() && error.stderr.starts_with("error: "),
        "{}",
        error.stderr
    );
}

#[test]
fn quiet_list_schema_and_whoami_print_their_data() {
    let platform = Platform::start();
    let cli = owner_with_secret(&platform);
    cli.integration("set", &["openai", "--secret", "OPENAI_API_KEY"])
        .assert_code(0);
    let list = cli.integration("list", &["-q"]);
    list.says("  OpenAI                  openai");
    assert!(!list.stdout.contains("Tip:"), "{}", list.stdout);
    let schema = cli.integration("schema", &["twilioApi"]);
    assert_eq!(
        cli.integration("schema", &["twilioApi", "-q"]).stdout,
        schema.stdout
    );
    cli.run(&["whoami", "--quiet"])
        .says("Organization:  Acme Corp (org_acme)");
    // --json wins: one document, as without --quiet.
    for (args, member) in [
        (&["integration", "list", "--json"][..], "data"),
        (&["whoami", "--json"], "organizationId"),
    ] {
        let quiet = cli.run(&[args, &["-q"]].concat());
        quiet.assert_code(0);
        assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
        let loud = cli.run(args);
        let json = |run: &Run| miniserde::json::to_string(field(&run.json(), member));
        assert_eq!(json(&quiet), json(&loud), "{args:?}");
    }
}

#[test]
fn quiet_profile_commands() {
    let platform = Platform::start();
    let cli = Cli::new(&platform);
    let login = cli.run(&["login", "--api-key", OWNER, "--name", "acme", "-q"]);
    assert_eq!(
        (login.code, login.stdout.as_str(), login.stderr.as_str()),
        (0, "", "")
    );
    cli.run(&["login", "--api-key", OTHER_ORG, "--name", "globex", "-q"])
        .assert_code(0);
    let switch = cli.run(&["use", "acme", "-q"]);
    assert_eq!((switch.code, switch.stdout.as_str()), (0, ""));
    let listed = cli.run(&["use", "-q"]);
    listed.says("acme").says("globex");
    assert!(!listed.stdout.contains("Switch with"), "{}", listed.stdout);
    let logout = cli.run(&["logout", "globex", "-q"]);
    assert_eq!(
        (logout.code, logout.stdout.as_str(), logout.stderr.as_str()),
        (0, "", "")
    );
}
