/*!
`codika man`: the codika(1) page, rendered by groff with every warning
on (none may come) and by man, with each command, option and section.
Where groff or man is not installed the test skips.
*/

mod support;

use std::process::{Command, Stdio};
use support::*;

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn page(cli: &Cli) -> std::path::PathBuf {
    let run = cli.run(&["man"]);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.starts_with(".\\\""), "{}", &run.stdout[..80]);
    cli.home.write("codika.1", &run.stdout)
}

#[test]
fn groff_renders_the_page_without_a_warning() {
    if !installed("groff") {
        skip("groff is not installed");
        return;
    }
    let cli = Cli::bare();
    let page = page(&cli);
    let output = Command::new("groff")
        .args(["-man", "-ww", "-z"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "groff warned");
}

#[test]
fn man_shows_every_command_option_and_section() {
    if !installed("man") {
        skip("man is not installed");
        return;
    }
    let cli = Cli::bare();
    let page = page(&cli);
    let output = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Overstrike bold (c, backspace, c), in case man keeps it: one c.
    let mut text = String::new();
    for c in String::from_utf8_lossy(&output.stdout).chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    for section in [
        "NAME",
        "SYNOPSIS",
        "COMMANDS",
        "SECRET INPUT",
        "RESOLUTION ORDER",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "{section}:\n{text}"
        );
    }
    for needle in [
        "codika integration set <integrationId> [OPTIONS]",
        "codika completion <shell>",
        "--secret <KEY[=VALUE]>",
        "--dry-run",
        "-q, --quiet",
        "[default: dev]",
        "CODIKA_API_KEY",
        "CODIKA_TIMEOUT",
        "--public-key-file, --public-key-url, CODIKA_PUBLIC_KEY_FILE",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
}

#[test]
fn every_command_of_help_is_in_the_page() {
    let cli = Cli::bare();
    let page = cli.run(&["man"]).stdout;
    let top = cli.run(&["--help"]).stdout;
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(commands.contains(&"completion") && commands.contains(&"man"));
    for command in commands {
        assert!(
            page.contains(&format!("codika {command}")),
            "{command} not in the page"
        );
    }
}
