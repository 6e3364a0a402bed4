//! Secret values that never touch the command line: `--secret KEY` (the
//! environment), `--secret KEY=-` (stdin), `--secrets-file .env` or `-`
//! (dotenv or JSON), and prompts on a terminal; each error of each source.
//! Stored values are compared byte for byte with what the platform
//! decrypted, and every value passed is registered for the leak sweep.

mod support;

use std::io::Write;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// Runs `codika ARGS` with `input` on stdin, then closes it.
fn run_input(cli: &Cli, args: &[&str], input: &[u8]) -> Run {
    let mut child = spawn(cli, args);
    let mut stdin = child.stdin.take().unwrap();
    // The CLI may stop reading early (a cap, a usage error): not our failure.
    let _ = stdin.write_all(input);
    drop(stdin);
    finish(cli, child)
}

fn spawn(cli: &Cli, args: &[&str]) -> Child {
    cli.command(&cli.work(), args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run codika")
}

fn finish(cli: &Cli, child: Child) -> Run {
    let output = child.wait_with_output().expect("run codika");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    cli.sweep(&cli.watched(), &run);
    run
}

/// Runs `codika ARGS` with a stdin that stays open: it must exit without
/// reading it. A run still going after 10 s is killed and fails the test.
fn run_with_stdin_held_open(cli: &Cli, args: &[&str]) -> Run {
    let mut child = spawn(cli, args);
    let stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("codika {args:?} waited for stdin");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let run = finish(cli, child);
    drop(stdin);
    run
}

/// `integration set INTEGRATION EXTRA...`
fn set<'a>(integration: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [&["integration", "set", integration][..], extra].concat()
}

#[test]
fn a_secret_from_the_environment_is_stored_and_never_shown() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let value = "sk-proj-from-the-environment-1";
    cli.secret(value).env("OPENAI_API_KEY", value);
    let run = cli.run(&set("openai", &["--secret", "OPENAI_API_KEY", "--json"]));
    run.assert_code(0);
    assert!(matches!(
        field(&run.json(), "success"),
        miniserde::json::Value::Bool(true)
    ));
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), value);
}

#[test]
fn an_unset_variable_without_a_terminal_names_the_three_ways() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let run = cli.run(&set("openai", &["--secret", "OPENAI_API_KEY"]));
    run.assert_code(2);
    for way in [
        "environment variable OPENAI_API_KEY is not set",
        "export OPENAI_API_KEY=",
        "codika integration set openai --secret OPENAI_API_KEY=-",
        "--secret OPENAI_API_KEY=VALUE",
    ] {
        assert!(run.stderr.contains(way), "{way}: {}", run.stderr);
    }
    let run = cli.run(&set("openai", &["--secret", "OPENAI_API_KEY", "--json"]));
    run.assert_code(2);
    assert_json_error(&run, "VALIDATION_ERROR");
    // A name that may be a value typed without its KEY= is not shown.
    let token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    cli.secret(token);
    let run = cli.run(&set("openai", &["--secret", token]));
    run.assert_code(2);
    assert!(
        run.stderr.contains("--secret #1") && run.stderr.contains("KEY=-"),
        "{}",
        run.stderr
    );
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn stdin_loses_exactly_one_trailing_newline_and_keeps_the_rest() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for (input, stored) in [
        ("sk-stdin-value-1\n", "sk-stdin-value-1"),
        ("line one\nline two\n", "line one\nline two"),
        ("crlf-value-2\r\n", "crlf-value-2"),
        ("two-newlines-3\n\n", "two-newlines-3\n"),
        ("  spaced value 4  ", "  spaced value 4  "),
        ("no-newline-5", "no-newline-5"),
    ] {
        stored.lines().for_each(|line| {
            cli.secret(line.trim());
        });
        let run = run_input(
            &cli,
            &set("acme_vault", &["--secret", "TOKEN=-"]),
            input.as_bytes(),
        );
        run.assert_code(0);
        assert_eq!(platform.secret("acme_vault", "TOKEN"), stored, "{input:?}");
    }
}

/// Every rule of the dotenv grammar, in a CRLF file with a BOM.
const DOTENV: &str = "\u{feff}# Acme vault credentials\n\
export API_TOKEN=tok-plain-value   # an inline comment\n\
PASSWORD='pa$$word #not-a-comment'\n\
DOLLAR=\"cost: $5 and ${HOME} $HOME\"\n\
PEM=\"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----\n\"\n\
ESCAPES=\"tab\there\\nnew line \\\"quoted\\\" back\\\\slash\"\n\
HASH=abc#def\n\
\n\
   # indented comment\n\
DUP=first-value\n\
DUP=second-value\n\
  SPACED  =   spaced out value  \n\
SA_JSON='{\"type\":\"service_account\",\"private_key\":\"-----BEGIN KEY-----\\nabc\\n\"}'\n";

const DOTENV_VALUES: [(&str, &str); 9] = [
    ("API_TOKEN", "tok-plain-value"),
    ("PASSWORD", "pa$$word #not-a-comment"),
    ("DOLLAR", "cost: $5 and ${HOME} $HOME"),
    (
        "PEM",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----\n",
    ),
    ("ESCAPES", "tab\there\nnew line \"quoted\" back\\slash"),
    ("HASH", "abc#def"),
    ("DUP", "second-value"),
    ("SPACED", "spaced out value"),
    (
        "SA_JSON",
        r#"{"type":"service_account","private_key":"-----BEGIN KEY-----\nabc\n"}"#,
    ),
];

fn register_dotenv_values(cli: &Cli) {
    for (_, value) in DOTENV_VALUES {
        value.lines().for_each(|line| {
            cli.secret(line);
        });
    }
    cli.secret("first-value");
}

fn assert_dotenv_stored(platform: &Platform) {
    for (key, value) in DOTENV_VALUES {
        assert_eq!(platform.secret("acme_vault", key), value, "{key}");
    }
    let stored = &platform.stored("acme_vault")[0];
    assert_eq!(
        items_len(field(stored, "secrets")),
        DOTENV_VALUES.len(),
        "one field per key, the duplicate once"
    );
}

fn items_len(value: &miniserde::json::Value) -> usize {
    match value {
        miniserde::json::Value::Object(object) => object.len(),
        _ => 0,
    }
}

#[test]
fn a_crlf_dotenv_file_is_stored_byte_for_byte() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    register_dotenv_values(&cli);
    cli.home.write("work/.env", &DOTENV.replace('\n', "\r\n"));
    let run = cli.run(&set("acme_vault", &["--secrets-file", ".env"]));
    run.assert_code(0);
    assert!(
        run.stdout.contains("  Secrets:    9 field(s)"),
        "{}",
        run.stdout
    );
    assert_dotenv_stored(&platform);
}

#[test]
fn a_dotenv_file_on_stdin_is_the_same_file() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    register_dotenv_values(&cli);
    let run = run_input(
        &cli,
        &set("acme_vault", &["--secrets-file", "-"]),
        DOTENV.as_bytes(),
    );
    run.assert_code(0);
    assert_dotenv_stored(&platform);
}

#[test]
fn a_json_secrets_file_still_works_from_a_file_and_from_stdin() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.secret("sk-json-from-stdin").secret("sk-json-from-file");
    let run = run_input(
        &cli,
        &set("openai", &["--secrets-file", "-"]),
        "\u{feff}\n  {\"OPENAI_API_KEY\": \"sk-json-from-stdin\"}\n".as_bytes(),
    );
    run.assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-json-from-stdin"
    );
    cli.home
        .write("work/s.json", r#"{"OPENAI_API_KEY":"sk-json-from-file"}"#);
    cli.run(&set("openai", &["--secrets-file", "s.json"]))
        .assert_code(0);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-json-from-file"
    );
    // A `{` that is not JSON is a JSON error, naming the source.
    let run = run_input(&cli, &set("openai", &["--secrets-file", "-"]), b"{oops");
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("stdin (--secrets-file -) is not a JSON object"),
        "{}",
        run.stderr
    );
}

#[test]
fn dotenv_errors_name_file_line_and_column_never_the_text() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let token = "sk_live_LEAKED_TOKEN_1";
    let cases: Vec<(Vec<u8>, String, &str)> = vec![
        (
            format!("OK=fine\n{token}\n").into_bytes(),
            format!(":2:{}: expected '='", token.len() + 1),
            "a line without =",
        ),
        (
            b"K=\"unterminated LEAKED-2\nmore".to_vec(),
            ":1:3: expected a closing \"".into(),
            "an unterminated quote",
        ),
        (
            b"BAD-KEY=LEAKED-3".to_vec(),
            ":1:4: expected '='".into(),
            "a bad key",
        ),
        (
            b"9KEY=LEAKED-4".to_vec(),
            ":1:1: expected a key".into(),
            "a digit first",
        ),
        (
            b"K=LEAKED-5\xff\n".to_vec(),
            ":1:11: expected UTF-8 text".into(),
            "not UTF-8",
        ),
        (
            b"K=\"LEAKED\\$6\"".to_vec(),
            ":1:10: expected one of \\n".into(),
            "an unknown escape",
        ),
        (
            b"K='LEAKED-7' trailing".to_vec(),
            ":1:14: expected the end of the line".into(),
            "text after a quote",
        ),
        // Issue 18 §6: one field held the other secret.
        (
            b"SUPABASE_HOST=h\rSUPABASE_SERVICE_ROLE_KEY=LEAKED-8\r".to_vec(),
            ":1:16: expected a line feed after the carriage return".into(),
            "a lone CR",
        ),
        // Both peers store '# a comment only': refused, not guessed empty.
        (
            b"TOKEN=   # a comment only LEAKED-11".to_vec(),
            ":1:10: expected a value after the blanks, not a #".into(),
            "a comment where the value is",
        ),
        // godotenv and compose read these differently: neither is guessed.
        (
            b"KEY='LEAKED-9\\'".to_vec(),
            ":1:14: expected no backslash right before the closing quote".into(),
            "a backslash before a single quote",
        ),
        (
            b"K='LEAKED-10\\' # note'".to_vec(),
            ":1:13: expected no backslash right before the closing quote".into(),
            "a backslash before a quote, then a comment",
        ),
    ];
    cli.secret(token);
    for n in 2..=11 {
        cli.secret(&format!("LEAKED-{n}"));
    }
    cli.secret("LEAKED\\$6");
    for (contents, at, what) in &cases {
        std::fs::write(cli.work().join(".env"), contents).unwrap();
        let run = cli.run(&set("acme_vault", &["--secrets-file", ".env"]));
        run.assert_code(2);
        assert!(
            run.stderr.contains(&format!("--secrets-file .env{at}")),
            "{what}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("LEAKED"), "{what}: {}", run.stderr);
        let run = run_input(
            &cli,
            &set("acme_vault", &["--secrets-file", "-", "--json"]),
            contents,
        );
        run.assert_code(2);
        assert_json_error(&run, "VALIDATION_ERROR");
        let message = str_at(field(&run.json(), "error"), "message").to_string();
        let (position, expected) = at.split_once(": ").unwrap();
        let wanted = format!("stdin{position} (--secrets-file -): {expected}");
        assert!(message.contains(&wanted), "{what}: {message}");
        assert!(!run.stdout.contains("LEAKED"), "{what}: {}", run.stdout);
    }
    // A file of comments only holds nothing: an error, not an empty set.
    cli.home.write("work/.env", "# nothing here\n\n");
    let run = cli.run(&set("acme_vault", &["--secrets-file", ".env"]));
    assert!(
        run.assert_code(2)
            .stderr
            .contains("holds no KEY=VALUE line"),
        "{}",
        run.stderr
    );
    assert!(platform.stored("acme_vault").is_empty());
}

/// Storing an empty credential is refused, whatever it came from (this
/// used to be accepted; no earlier test asserted it).
#[test]
fn empty_values_are_refused_from_every_source() {
    let platform = Platform::start();
    let refused = |run: Run, source: &str| {
        run.assert_code(2);
        assert!(
            run.stderr.contains("the value of TOKEN from") && run.stderr.contains(source),
            "{source}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    };
    let cli = Cli::owner(&platform);
    refused(
        cli.run(&set("acme_vault", &["--secret", "TOKEN="])),
        "--secret TOKEN=",
    );
    refused(
        cli.run(&set("acme_vault", &["--secrets", r#"{"TOKEN":""}"#])),
        "--secrets",
    );
    for input in ["", "\n", "\r\n"] {
        refused(
            run_input(
                &cli,
                &set("acme_vault", &["--secret", "TOKEN=-"]),
                input.as_bytes(),
            ),
            "stdin (--secret TOKEN=-)",
        );
    }
    for (file, contents, source) in [
        (".env", "OTHER=1\nTOKEN=\n", "--secrets-file .env:2"),
        (".env", "TOKEN=\"\"", "--secrets-file .env:1"),
        (".env", "TOKEN=''", "--secrets-file .env:1"),
        ("s.json", r#"{"TOKEN":""}"#, "--secrets-file s.json"),
    ] {
        cli.home.write(&format!("work/{file}"), contents);
        refused(
            cli.run(&set("acme_vault", &["--secrets-file", file])),
            source,
        );
    }
    refused(
        run_input(
            &cli,
            &set("acme_vault", &["--secrets-file", "-"]),
            b"TOKEN=\n",
        ),
        "stdin:1 (--secrets-file -)",
    );
    let empty_variable = Cli::owner(&platform);
    empty_variable.env("TOKEN", "");
    refused(
        empty_variable.run(&set("acme_vault", &["--secret", "TOKEN"])),
        "environment variable TOKEN",
    );
    assert!(platform.stored("acme_vault").is_empty());
}

#[test]
fn stdin_has_one_reader_refused_before_anything_is_read() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for (args, readers) in [
        (
            &["--secrets-file", "-", "--secret", "TOKEN=-"][..],
            "--secrets-file - and --secret TOKEN=-",
        ),
        (
            &["--secret", "A=-", "--secret", "B=-"][..],
            "--secret A=- and --secret B=-",
        ),
    ] {
        let run = run_with_stdin_held_open(&cli, &set("acme_vault", args));
        run.assert_code(2);
        assert!(run.stderr.contains(readers), "{}", run.stderr);
    }
    assert!(platform.stored("acme_vault").is_empty());
}

#[test]
fn stdin_is_capped_at_1_mib() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let big = vec![b'a'; (1 << 20) + 1];
    for option in [&["--secret", "TOKEN=-"][..], &["--secrets-file", "-"][..]] {
        let run = run_input(&cli, &set("acme_vault", option), &big);
        run.assert_code(2);
        assert!(
            run.stderr.contains("more than 1 MiB"),
            "{option:?}: {}",
            run.stderr
        );
    }
    assert!(platform.stored("acme_vault").is_empty());
}

#[test]
fn a_bad_secret_word_shows_the_forms_never_the_word() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for word in [
        "sk-proj-LEAKEDWORD",
        "has space LEAKED",
        "9LEAKEDWORD",
        "=LEAKEDVALUE",
    ] {
        cli.secret(word);
        let run = cli.run(&set(
            "openai",
            &["--secret", "OPENAI_API_KEY=ok-value", "--secret", word],
        ));
        run.assert_code(2);
        assert!(
            run.stderr.contains("--secret #2")
                && run.stderr.contains("KEY=VALUE")
                && run
                    .stderr
                    .contains("KEY (read from the environment variable KEY)")
                && run.stderr.contains("KEY=-"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("LEAKED"), "{}", run.stderr);
    }
    assert!(platform.stored("openai").is_empty());
}

#[test]
fn priority_holds_across_the_new_sources() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    cli.home
        .write("work/.env", "A=file-a\nB=file-b\nC=file-c\n");
    cli.env("C", "env-c-value");
    cli.secret("env-c-value");
    cli.run(&set(
        "acme_vault",
        &[
            "--secrets-file",
            ".env",
            "--secrets",
            r#"{"B":"json-b","C":"json-c"}"#,
            "--secret",
            "C",
        ],
    ))
    .assert_code(0);
    assert_eq!(platform.secret("acme_vault", "A"), "file-a");
    assert_eq!(platform.secret("acme_vault", "B"), "json-b");
    assert_eq!(platform.secret("acme_vault", "C"), "env-c-value");
    // Stdin from a flag beats the file too. Two flags of one key that
    // differ are refused (one key a word), never the later one winning.
    cli.env("B", "env-b-value").secret("env-b-value");
    cli.secret("stdin-a-value");
    cli.run(&set(
        "acme_vault",
        &["--secret", "B=flag-b", "--secret", "B", "--secret", "A=x"],
    ))
    .fails(2, "--secret B is given twice");
    let run = run_input(
        &cli,
        &set(
            "acme_vault",
            &["--secrets-file", ".env", "--secret", "A=-", "--secret", "B"],
        ),
        b"stdin-a-value\n",
    );
    run.assert_code(0);
    assert_eq!(platform.secret("acme_vault", "A"), "stdin-a-value");
    assert_eq!(platform.secret("acme_vault", "B"), "env-b-value");
    assert_eq!(platform.secret("acme_vault", "C"), "file-c");
}

/// What another local user sees of a running `set` in /proc/PID/cmdline:
/// names and options, never a value, for each of the safe sources.
#[cfg(target_os = "linux")]
#[test]
fn while_set_runs_its_command_line_holds_no_value() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let password = "pg-password-from-env-1";
    cli.secret(password).env("POSTGRES_PASSWORD", password);
    let file = "POSTGRES_HOST=db.internal\nPOSTGRES_PORT=5432\nPOSTGRES_DATABASE=acme\nPOSTGRES_USER=svc-user-from-stdin\n";
    cli.secret("svc-user-from-stdin").secret("db.internal");
    let args = set(
        "postgres",
        &[
            "--process-instance-id",
            "pi_acme_prod",
            "--secrets-file",
            "-",
            "--secret",
            "POSTGRES_PASSWORD",
        ],
    );
    let seen = cmdline_while_reading_stdin(&cli, &args, file.as_bytes(), &[password, "svc-user"]);
    assert!(seen.contains("--secret\0POSTGRES_PASSWORD\0"), "{seen:?}");
    assert_eq!(platform.secret("postgres", "POSTGRES_PASSWORD"), password);
    assert_eq!(
        platform.secret("postgres", "POSTGRES_USER"),
        "svc-user-from-stdin"
    );

    let key = "sk-proj-piped-on-stdin-2";
    cli.secret(key);
    let args = set("openai", &["--secret", "OPENAI_API_KEY=-"]);
    cmdline_while_reading_stdin(&cli, &args, format!("{key}\n").as_bytes(), &[key]);
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), key);
}

/// Starts `codika ARGS` with stdin open, reads its /proc/PID/cmdline while
/// it waits there, checks that none of `values` is in it, then writes
/// `input`, closes stdin and expects exit 0. Returns the command line.
#[cfg(target_os = "linux")]
fn cmdline_while_reading_stdin(cli: &Cli, args: &[&str], input: &[u8], values: &[&str]) -> String {
    let mut child = spawn(cli, args);
    // spawn() returns once exec has begun; the kernel fills in the new
    // command line a moment later (until then it reads as empty).
    let deadline = Instant::now() + Duration::from_secs(10);
    let seen = loop {
        let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
        let seen = String::from_utf8_lossy(&cmdline).into_owned();
        if seen.contains("integration\0set\0") {
            break seen;
        }
        assert!(Instant::now() < deadline, "no command line: {seen:?}");
        std::thread::sleep(Duration::from_millis(5));
    };
    for value in values {
        assert!(
            !seen.contains(value),
            "{value} in /proc/PID/cmdline: {seen:?}"
        );
    }
    // Still running: it is waiting for stdin.
    assert!(child.try_wait().unwrap().is_none());
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    finish(cli, child).assert_code(0);
    seen
}

#[test]
fn help_shows_the_safe_ways_first() {
    let run = Cli::bare().run(&["integration", "set", "--help"]);
    run.assert_code(0);
    let examples = &run.stdout[run.stdout.find("Examples:").unwrap()..];
    let position = |text: &str| {
        examples
            .find(text)
            .unwrap_or_else(|| panic!("{text} missing from\n{examples}"))
    };
    let from_env = position("codika integration set openai --secret OPENAI_API_KEY\n");
    let from_file = position("--secrets-file .env");
    let from_stdin =
        position("printf %s \"$KEY\" | codika integration set openai --secret OPENAI_API_KEY=-");
    let on_argv = position("--secret OPENAI_API_KEY=sk-proj-xxx");
    assert!(from_env < from_file && from_file < from_stdin && from_stdin < on_argv);
    assert!(examples.contains("any local user can read"), "{examples}");
    assert!(run.stdout.contains("--no-input"), "{}", run.stdout);
}

// On a terminal: util-linux `script` makes the pty, as for login.

fn no_script() -> bool {
    if support::pty::script_available() {
        return false;
    }
    skip("util-linux script is not installed");
    true
}

#[cfg(unix)]
#[test]
fn on_a_terminal_set_asks_for_each_required_field_without_echo() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let out = cli.work().join("out.json");
    let host = "https://typed-at-the-prompt.supabase.co";
    let role = "typed-role-key-123";
    let output = cli.on_a_terminal(
        &set(
            "supabase",
            &["--process-instance-id", "pi_acme_dev", "--json"],
        ),
        &format!("> '{}'", out.display()),
        &[
            (
                "Supabase project URL (SUPABASE_HOST): ",
                &format!("{host}\n"),
            ),
            (
                "Supabase service role key (SUPABASE_SERVICE_ROLE_KEY): ",
                &format!("{role}\n"),
            ),
        ],
    );
    assert!(
        output.contains("Secrets for supabase (what you type is not shown):"),
        "{output}"
    );
    assert!(output.contains("exit=0"), "{output}");
    assert!(output.contains(" echo "), "echo restored: {output}");
    // The prompts went to the terminal; stdout is the one JSON document.
    let json = std::fs::read_to_string(&out).unwrap();
    assert!(
        matches!(
            field(&parse(&json), "success"),
            miniserde::json::Value::Bool(true)
        ),
        "{json}"
    );
    assert!(!json.contains("SUPABASE_HOST): "), "{json}");
    assert_eq!(platform.secret("supabase", "SUPABASE_HOST"), host);
    assert_eq!(
        platform.secret("supabase", "SUPABASE_SERVICE_ROLE_KEY"),
        role
    );
}

#[cfg(unix)]
#[test]
fn on_a_terminal_an_unset_variable_or_stdin_is_asked_for() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for (word, typed) in [
        ("OPENAI_API_KEY", "sk-typed-for-an-unset-variable"),
        ("OPENAI_API_KEY=-", "sk-typed-for-stdin-on-a-tty"),
    ] {
        let output = cli.on_a_terminal(
            &set("openai", &["--secret", word]),
            "",
            &[("OpenAI API key (OPENAI_API_KEY): ", &format!("{typed}\n"))],
        );
        assert!(output.contains("exit=0"), "{output}");
        assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), typed);
    }
    // A custom schema's label and description are what is asked.
    cli.home.write(
        "work/schema.json",
        r#"{"id":"cstm_acme_crm","name":"Acme CRM","contextType":"organization",
          "n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{"API_KEY":"value"},
          "secretFields":[{"key":"API_KEY","label":"Acme API key","description":"Settings > API","type":"password"}]}"#,
    );
    let typed = "acme-typed-key-9";
    let output = cli.on_a_terminal(
        &set("cstm_acme_crm", &["--custom-schema-file", "schema.json"]),
        "",
        &[("Acme API key (API_KEY): ", &format!("{typed}\n"))],
    );
    assert!(output.contains("Settings > API"), "{output}");
    assert!(output.contains("exit=0"), "{output}");
    assert_eq!(platform.secret("cstm_acme_crm", "API_KEY"), typed);
}

#[cfg(unix)]
#[test]
fn on_a_terminal_ctrl_c_sends_nothing_and_restores_echo() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let output = cli.on_a_terminal(
        &set("openai", &[]),
        "",
        &[("(OPENAI_API_KEY): ", "sk-half-typed\x03")],
    );
    assert!(!output.contains("exit=0"), "{output}");
    assert!(output.contains(" echo "), "echo restored: {output}");
    assert!(platform.stored("openai").is_empty());
}

#[cfg(unix)]
#[test]
fn no_input_never_prompts_and_says_what_to_pass() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    let output = cli.on_a_terminal(&set("openai", &["--no-input"]), "", &[]);
    assert!(
        output.contains("exit=2")
            && output.contains("--no-input forbids asking for OPENAI_API_KEY")
            && output.contains("--secret OPENAI_API_KEY (from the environment)")
            && !output.contains("Secrets for"),
        "{output}"
    );
    cli.env("CODIKA_NO_INPUT", "1");
    for word in ["OPENAI_API_KEY", "OPENAI_API_KEY=-"] {
        let output = cli.on_a_terminal(&set("openai", &["--secret", word]), "", &[]);
        assert!(
            output.contains("exit=2")
                && output.contains("CODIKA_NO_INPUT forbids asking")
                && !output.contains("Secrets for"),
            "{word}: {output}"
        );
    }
    // A file is never typed at a terminal: it would echo.
    let output = cli.on_a_terminal(&set("openai", &["--secrets-file", "-"]), "", &[]);
    assert!(
        output.contains("exit=2") && output.contains("which is a terminal"),
        "{output}"
    );
    // With stdin redirected, --no-input does not stop it being read.
    cli.home
        .write("work/.env", "OPENAI_API_KEY=sk-redirected-file-3\n");
    cli.secret("sk-redirected-file-3");
    let output = cli.on_a_terminal(
        &set("openai", &["--secrets-file", "-", "--no-input"]),
        "< .env",
        &[],
    );
    assert!(output.contains("exit=0"), "{output}");
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-redirected-file-3"
    );
}
