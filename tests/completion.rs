/*!
`codika completion bash|zsh|fish`, driven for real: each script is loaded
in its shell and asked to complete words, and the candidates compared
with what the tables say (commands, options, choices, files and
directories, profile names from a temporary config, integration ids).
A shell that is not installed skips its test (`make test` counts it).
*/

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// Two profiles (keys the sweep watches), a folder and a file to complete.
fn sandbox() -> Cli {
    let cli = Cli::bare();
    cli.config(
        r#"{"activeProfile":"acme","profiles":{"acme":{"apiKey":"cko_acme_secret_key"},"globex":{"apiKey":"cko_globex_secret_key"}}}"#,
    );
    std::fs::create_dir_all(cli.work().join("usecase")).unwrap();
    std::fs::write(cli.work().join("notes.txt"), "x").unwrap();
    cli
}

/// Whether `program` can be run here.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The script `codika completion SHELL` prints, in a file.
fn script(cli: &Cli, shell: &str) -> PathBuf {
    let run = cli.run(&["completion", shell]);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    cli.home.write(&format!("codika.{shell}"), &run.stdout)
}

/// `program args` in the sandbox, with the codika binary on PATH (the
/// scripts run it for profile names), killed after 60 s; swept as codika's
/// own runs are.
fn shell(cli: &Cli, program: &str, args: &[&str]) -> Run {
    let bin = Path::new(env!("CARGO_BIN_EXE_codika")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cli.work())
        .env_clear()
        .env("PATH", path)
        .env("HOME", cli.home.path())
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{program} {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    let mut watched = cli.watched();
    watched.extend(cli.config_keys());
    cli.sweep(&watched, &run);
    run
}

const TOP: &[&str] = &[
    "integration",
    "rerun",
    "instance",
    "login",
    "whoami",
    "use",
    "profiles",
    "logout",
    "completion",
    "man",
    "help",
];

/// (words, the last being completed; candidates, in order).
const BASH_CASES: &[(&[&str], &[&str])] = &[
    (&["codika", ""], TOP),
    (&["codika", "integration", "s"], &["set", "schema"]),
    (
        &["codika", "integration", "set", "--sec"],
        &["--secret", "--secrets", "--secrets-file"],
    ),
    (
        &["codika", "integration", "set", "--context-type", ""],
        &["organization", "member", "process_instance"],
    ),
    (
        &["codika", "integration", "list", "--context-type", ""],
        &["organization", "process_instance"],
    ),
    // bash splits --context-type=pro at the '='.
    (
        &["codika", "integration", "set", "--context-type", "=", "pro"],
        &["process_instance"],
    ),
    (
        &["codika", "integration", "delete", "x", "--environment", ""],
        &["dev", "prod"],
    ),
    (
        &["codika", "integration", "set", "--profile", ""],
        &["acme", "globex"],
    ),
    (
        &[
            "codika",
            "integration",
            "set",
            "--secret",
            "K",
            "--profile",
            "g",
        ],
        &["globex"],
    ),
    (&["codika", "use", ""], &["acme", "globex"]),
    (&["codika", "logout", "a"], &["acme"]),
    (&["codika", "integration", "set", "opena"], &["openai"]),
    // OAuth integrations are connected in the dashboard: set refuses them.
    (&["codika", "integration", "set", "google_gm"], &[]),
    (
        &["codika", "integration", "delete", "google_gm"],
        &["google_gmail"],
    ),
    (
        &["codika", "integration", "set", "openai", "--dry"],
        &["--dry-run"],
    ),
    (
        &["codika", "integration", "list", "-"],
        &[
            "--context-type",
            "--process-instance-id",
            "--path",
            "--project-file",
            "--environment",
            "--profile",
            "--api-key",
            "--api-key-file",
            "--api-url",
            "--ca-bundle",
            "--quiet",
            "-q",
            "--json",
            "-h",
            "--help",
        ],
    ),
    (
        &["codika", "integration", "set", "--path", ""],
        &["usecase"],
    ),
    (
        &["codika", "integration", "set", "--secrets-file", ""],
        &["notes.txt", "usecase"],
    ),
    // Free text (a key, a secret) is never completed, not even as a file.
    (&["codika", "integration", "set", "--api-key", ""], &[]),
    (&["codika", "completion", ""], &["bash", "zsh", "fish"]),
    (&["codika", "help", "integration", "d"], &["delete"]),
    // The rerun and instance groups, as integration's.
    (&["codika", "rerun", ""], &["deployment"]),
    (&["codika", "instance", ""], &["activate", "deactivate"]),
    (
        &["codika", "rerun", "deployment", "--para"],
        &["--param", "--params", "--params-file"],
    ),
    (
        &["codika", "instance", "activate", "--environment", ""],
        &["dev", "prod"],
    ),
    (&["codika", "help", "instance", "d"], &["deactivate"]),
    (&["codika", "-"], &["-h", "--help", "-V", "--version"]),
];

#[test]
fn bash_completes_commands_options_values_and_profiles() {
    if !installed("bash") {
        skip("bash is not installed");
        return;
    }
    let cli = sandbox();
    let script = script(&cli, "bash");
    let driver = cli.home.write(
        "drive.bash",
        r#"source "$1"
shift
# The function the script registered for codika.
spec=$(complete -p codika) || exit 3
function=${spec##*-F }
function=${function%% *}
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$function" codika "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#,
    );
    for (words, expected) in BASH_CASES {
        let mut args = vec![
            "--norc",
            "--noprofile",
            driver.to_str().unwrap(),
            script.to_str().unwrap(),
        ];
        args.extend_from_slice(words);
        let run = shell(&cli, "bash", &args);
        run.assert_code(0);
        assert!(run.stderr.is_empty(), "{words:?}: {}", run.stderr);
        let mut got: Vec<&str> = run.stdout.lines().filter(|l| !l.is_empty()).collect();
        let mut expected = expected.to_vec();
        // compgen -f and -d list in directory order.
        if words.contains(&"--secrets-file") {
            got.sort();
            expected.sort();
        }
        assert_eq!(got, expected, "{words:?}");
    }
}

#[test]
fn bash_offers_the_options_again_after_the_argument() {
    if !installed("bash") {
        skip("bash is not installed");
        return;
    }
    let cli = sandbox();
    let script = script(&cli, "bash");
    let run = shell(
        &cli,
        "bash",
        &[
            "--norc",
            "--noprofile",
            "-c",
            r#"source "$1"; COMP_WORDS=(codika integration set openai ""); COMP_CWORD=4; _codika; printf '%s\n' "${COMPREPLY[@]}""#,
            "drive",
            script.to_str().unwrap(),
        ],
    );
    run.assert_code(0);
    let got: Vec<&str> = run.stdout.lines().collect();
    for option in [
        "--secret",
        "--force",
        "--dry-run",
        "-q",
        "--quiet",
        "--json",
    ] {
        assert!(got.contains(&option), "{option} in {got:?}");
    }
    assert!(!got.contains(&"--confirm"), "{got:?}");
}

/// zsh completes for real in a pseudo-terminal (zsh/zpty): each candidate
/// list is captured through a compadd wrapper.
const ZSH_CAPTURE: &str = r#"zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT=''; autoload -U compinit; compinit -u -d $3"
zpty -w z "source ${(q)1}"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits; builtin compadd -A __hits "$@"
  (( $#__hits )) && print -r -- "HITS: ${(j: :)__hits}"
}'
zpty -w z "zstyle ':completion:*' insert-tab false; print READY"
zpty -r z junk '*READY*'
zpty -w z "$2"$'\t'
zpty -w z $'\C-u''print DONE'
zpty -r z all '*DONE*'
print -r -- "${all//$'\r'/}" | grep -o 'HITS: .*' | sort -u
zpty -d z
"#;

#[test]
fn zsh_script_parses_and_completes() {
    if !installed("zsh") {
        skip("zsh is not installed (CI installs it in .ci/run)");
        return;
    }
    let cli = sandbox();
    let script = script(&cli, "zsh");
    let run = shell(&cli, "zsh", &["-n", script.to_str().unwrap()]);
    assert!(
        run.code == 0 && run.stderr.is_empty(),
        "zsh -n: {}",
        run.stderr
    );
    let capture = cli.home.write("capture.zsh", ZSH_CAPTURE);
    let dump = cli.home.path().join("zcompdump");
    let cases: &[(&str, &str)] = &[
        ("codika integration s", "HITS: set schema"),
        (
            "codika integration set --context-type ",
            "HITS: organization member process_instance",
        ),
        (
            "codika integration list --context-type=",
            "HITS: organization process_instance",
        ),
        ("codika integration set --profile ", "HITS: acme globex"),
        ("codika use ", "HITS: acme globex"),
        ("codika integration set opena", "HITS: openai"),
        ("codika completion ", "HITS: bash zsh fish"),
        (
            "codika help integration ",
            "HITS: set list delete schema check apply",
        ),
        ("codika rerun ", "HITS: deployment"),
        ("codika instance ", "HITS: activate deactivate"),
    ];
    for (line, expected) in cases {
        // zpty on a loaded machine now and then reads the pseudo-terminal
        // before the shell wrote anything: a run that captured no HITS line
        // at all is tried again (twice at most); wrong candidates still fail.
        let mut tries = 0;
        let run = loop {
            tries += 1;
            let run = shell(
                &cli,
                "zsh",
                &[
                    "-f",
                    capture.to_str().unwrap(),
                    script.to_str().unwrap(),
                    line,
                    dump.to_str().unwrap(),
                ],
            );
            if tries == 3 || run.stdout.lines().any(|l| l.starts_with("HITS:")) {
                break run;
            }
        };
        run.assert_code(0);
        assert!(
            run.stdout.lines().any(|l| l == *expected),
            "{line:?}: expected {expected:?} in\n{}{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn fish_script_parses_and_completes() {
    if !installed("fish") {
        skip("fish is not installed (CI installs it in .ci/run)");
        return;
    }
    let cli = sandbox();
    let script = script(&cli, "fish");
    let run = shell(&cli, "fish", &["--no-execute", script.to_str().unwrap()]);
    assert!(
        run.code == 0 && run.stderr.is_empty(),
        "fish -n: {}",
        run.stderr
    );
    let cases: &[(&str, &[&str])] = &[
        ("codika integration s", &["schema", "set"]),
        (
            "codika integration set --sec",
            &["--secret", "--secrets", "--secrets-file"],
        ),
        (
            "codika integration set --context-type ",
            &["member", "organization", "process_instance"],
        ),
        ("codika integration set --profile ", &["acme", "globex"]),
        ("codika logout ", &["acme", "globex"]),
        ("codika integration set opena", &["openai"]),
        ("codika integration set --path ", &["usecase/"]),
        ("codika completion ", &["bash", "fish", "zsh"]),
        ("codika help integration d", &["delete"]),
        ("codika instance ", &["activate", "deactivate"]),
        (
            "codika rerun deployment --para",
            &["--param", "--params", "--params-file"],
        ),
    ];
    for (line, expected) in cases {
        let command = format!(
            "source '{}'; complete -C '{line}'",
            script.to_str().unwrap()
        );
        let run = shell(&cli, "fish", &["--no-config", "-c", &command]);
        run.assert_code(0);
        let mut got: Vec<&str> = run
            .stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(""))
            .collect();
        got.sort();
        assert_eq!(got, *expected, "{line:?}: {}", run.stderr);
    }
}

#[test]
fn profile_names_for_scripts_are_names_only_and_nothing_on_error() {
    let cli = sandbox();
    let run = cli.run(&["__complete", "profiles"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "acme\nglobex\n"));
    assert!(run.stderr.is_empty());
    // Unknown requests, a broken file, no file, an unreadable home: nothing.
    let run = cli.run(&["__complete", "something-newer"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    cli.config("{ not json");
    let run = cli.run(&["__complete", "profiles"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let fresh = Cli::bare();
    let run = fresh.run(&["__complete", "profiles"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    // A name a shell would split, or a terminal act on, is left out.
    cli.config(
        r#"{"profiles":{"a b":{"apiKey":"k1"},"ok":{"apiKey":"k2"},"c\u001bd":{"apiKey":"k3"}}}"#,
    );
    assert_eq!(cli.run(&["__complete", "profiles"]).stdout, "ok\n");
}

#[test]
fn a_missing_or_unknown_shell_is_exit_2_naming_the_three() {
    let cli = Cli::bare();
    for args in [&["completion"][..], &["completion", "powershell"]] {
        cli.run(args).fails(2, "bash, zsh or fish");
    }
    let run = cli.run(&["completion", "tcsh", "--json"]);
    assert_json_error(&run, "VALIDATION_ERROR");
    let help = cli.run(&["completion", "--help"]);
    for line in [
        "codika completion bash > ~/.local/share/bash-completion/completions/codika",
        "codika completion zsh > ~/.zfunc/_codika",
        "codika completion fish > ~/.config/fish/completions/codika.fish",
    ] {
        help.says(line);
    }
    assert_eq!(cli.run(&["help", "completion"]).stdout, help.stdout);
}

/// A profile name a shell would split or run: bash completion inserts it
/// quoted, so TAB and Enter switch to that profile and run nothing else.
const HOSTILE_PROFILE: &str = "zz;touch${IFS}x";

#[test]
fn bash_quotes_what_the_shell_would_split_or_run() {
    if !installed("bash") {
        skip("bash is not installed");
        return;
    }
    let cli = Cli::bare();
    cli.config(&format!(
        r#"{{"profiles":{{"{HOSTILE_PROFILE}":{{"apiKey":"cko_hostile_profile_key"}},"ok":{{"apiKey":"cko_ok_profile_key"}}}}}}"#
    ));
    let script = script(&cli, "bash");
    // The candidate, read back by bash as a word, is the name itself.
    for (cur, via) in [("zz", "use"), ("zz\\;t", "use"), ("", "use")] {
        let run = shell(
            &cli,
            "bash",
            &[
                "--norc",
                "--noprofile",
                "-c",
                r#"source "$1"; COMP_WORDS=(codika "$2" "$3"); COMP_CWORD=2; _codika
                   for reply in "${COMPREPLY[@]}"; do eval "set -- $reply"; printf '%s|%s\n' "$reply" "$1"; done"#,
                "drive",
                script.to_str().unwrap(),
                via,
                cur,
            ],
        );
        run.assert_code(0);
        assert!(
            run.stdout
                .lines()
                .any(|l| l == format!(r"zz\;touch\$\{{IFS\}}x|{HOSTILE_PROFILE}")),
            "{cur:?}: {}{}",
            run.stdout,
            run.stderr
        );
        assert!(!cli.work().join("x").exists());
    }
    // For real: TAB and Enter in an interactive bash on a terminal.
    if !support::pty::script_available() {
        skip("util-linux script is not installed");
        return;
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_codika")).parent().unwrap();
    let mut child = Command::new("script")
        .args(["-qec", "bash --norc --noprofile -i", "/dev/null"])
        .current_dir(cli.work())
        .env_clear()
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", cli.home.path())
        .env("TERM", "dumb")
        .env("PS1", "$ ")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    use std::io::Write;
    let typed = format!(
        "source '{}'\ncodika use zz\t\necho \"done=$?\"\nexit\n",
        script.display()
    );
    stdin.write_all(typed.as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("interactive bash did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("done=0"), "{shown}");
    assert!(!cli.work().join("x").exists(), "touch ran: {shown}");
    assert!(
        cli.config_text()
            .contains(&format!(r#""activeProfile": "{HOSTILE_PROFILE}""#))
            || cli
                .config_text()
                .contains(&format!(r#""activeProfile":"{HOSTILE_PROFILE}""#)),
        "{}\n{shown}",
        cli.config_text()
    );
}
