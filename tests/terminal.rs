//! The terminal as a person uses it (util-linux `script` makes the pty, as
//! in tests/secret_sources.rs): a secret prompt takes one line and leaves
//! nothing behind for the shell, refuses a paste of several lines and a
//! line the terminal may have cut, and `TERM=dumb` gets no escape sequence.

mod support;

use support::*;

fn no_script() -> bool {
    if support::pty::script_available() {
        return false;
    }
    skip("util-linux script is not installed");
    true
}

/// After codika: whatever input is still pending on the terminal, read for
/// a second and shown as `left=[...]` (what the shell would have run), then
/// codika's own exit status for the `exit=N` line.
const LEFT_OVER: &str = "; code=$?; printf 'left=['; timeout 1 cat; printf ']\\n'; (exit $code)";

const PEM_LINES: [&str; 4] = [
    "-----BEGIN PRIVATE KEY-----",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7paste",
    "touch pasted-line-ran",
    "-----END PRIVATE KEY-----",
];

#[cfg(unix)]
#[test]
fn a_paste_of_several_lines_sends_nothing_and_leaves_nothing_for_the_shell() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for line in PEM_LINES {
        cli.secret(line);
    }
    // With its last line end, and without (a partial line pending).
    for pasted in [PEM_LINES.join("\n") + "\n", PEM_LINES.join("\n")] {
        let output = cli.on_a_terminal(
            &["integration", "set", "openai"],
            LEFT_OVER,
            &[("(OPENAI_API_KEY): ", &pasted)],
        );
        assert!(output.contains("exit=2"), "{output}");
        assert!(output.contains("left=[]"), "{output}");
        assert!(
            output.contains("more than one line was pasted")
                && output.contains("--secret OPENAI_API_KEY=- < FILE"),
            "{output}"
        );
        assert!(!cli.work().join("pasted-line-ran").exists());
        assert!(platform.stored("openai").is_empty());
    }
    // A terminal that sends CR LF for Enter leaves a line end pending: no
    // second line, the value is taken.
    let output = cli.on_a_terminal(
        &["integration", "set", "openai"],
        LEFT_OVER,
        &[("(OPENAI_API_KEY): ", "sk-enter-as-crlf-1\r\n")],
    );
    assert!(
        output.contains("exit=0") && output.contains("left=[]"),
        "{output}"
    );
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-enter-as-crlf-1"
    );
    // login: the same, nothing saved.
    let output = cli.on_a_terminal(
        &["login", "--base-url", &platform.base],
        LEFT_OVER,
        &[("API key: ", &format!("{OWNER}\n{OWNER}\n"))],
    );
    assert!(
        output.contains("exit=2") && output.contains("left=[]"),
        "{output}"
    );
    assert!(output.contains("more than one line was pasted"), "{output}");
    assert!(!cli.config_path().exists());
}

#[cfg(unix)]
#[test]
fn a_line_that_fills_the_terminal_is_refused_never_stored_cut() {
    if no_script() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // Linux keeps 4095 bytes of a line: a 5000-byte line arrives cut.
    for length in [4095, 5000] {
        let value = "k".repeat(length);
        let output = cli.on_a_terminal(
            &["integration", "set", "openai"],
            LEFT_OVER,
            &[("(OPENAI_API_KEY): ", &format!("{value}\n"))],
        );
        assert!(output.contains("exit=2"), "{length}: {output}");
        assert!(output.contains("left=[]"), "{length}: {output}");
        assert!(output.contains("line limit of 4095 bytes"), "{output}");
        assert!(platform.stored("openai").is_empty());
    }
    // One byte less fits, and is stored whole.
    let value = "v".repeat(4094);
    let output = cli.on_a_terminal(
        &["integration", "set", "openai"],
        "",
        &[("(OPENAI_API_KEY): ", &format!("{value}\n"))],
    );
    assert!(output.contains("exit=0"), "{output}");
    assert_eq!(platform.secret("openai", "OPENAI_API_KEY"), value);
}

#[cfg(unix)]
#[test]
fn term_dumb_gets_no_escape_sequences() {
    if no_script() {
        return;
    }
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER);
    // An error (red on a terminal) and a warning (yellow).
    let args = [
        "integration",
        "list",
        "--api-url",
        "http://127.0.0.1:1",
        "--profile",
        "nobody",
    ];
    let coloured = cli.on_a_terminal(&args, "", &[]);
    assert!(coloured.contains("exit=2"), "{coloured}");
    assert!(
        coloured.contains("\x1b[31m"),
        "colour on a terminal: {coloured}"
    );
    cli.env("TERM", "dumb");
    let plain = cli.on_a_terminal(&args, "", &[]);
    assert!(
        plain.contains("exit=2") && plain.contains("error:"),
        "{plain}"
    );
    // Only codika's part: stty's own output follows its exit line.
    let codika = plain.split("exit=").next().unwrap();
    assert!(!codika.contains('\x1b'), "{plain:?}");
}
