//! The real binary on a pseudo-terminal, as a person at a keyboard runs it:
//! util-linux `script` makes the pty (as tests/profiles.rs does for login),
//! and each answer is typed once the text that asks for it has shown.
//! Everything the terminal showed is swept like any other output.

use super::{Cli, Run};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// Whether util-linux `script` is here to make a pty.
pub fn script_available() -> bool {
    Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `'word'` for sh.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

impl Cli {
    /// Runs `codika ARGS` on a terminal, `shell_tail` appended to its
    /// command line (`> out.json`, `< file`), in the working directory.
    /// For each `(wait_for, typed)`, waits until the terminal has shown
    /// `wait_for`, then types `typed`. Returns everything the terminal
    /// showed, with `exit=N` and `stty -a`'s settings after the run.
    pub fn on_a_terminal(&self, args: &[&str], shell_tail: &str, steps: &[(&str, &str)]) -> String {
        let bin = env!("CARGO_BIN_EXE_codika");
        let words: Vec<String> = args.iter().map(|a| quoted(a)).collect();
        let command = format!(
            "trap 'echo interrupted' INT; {} {} {shell_tail}; echo \"exit=$?\"; stty -a",
            quoted(bin),
            words.join(" ")
        );
        let mut script = Command::new("script");
        script
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path());
        for (key, value) in self.env.borrow().iter() {
            script.env(key, value);
        }
        let mut child = script
            .args(["-qec", &command, "/dev/null"])
            .current_dir(self.work())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run script");
        let mut stdout = child.stdout.take().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut seen = Vec::new();
        let mut byte = [0u8];
        // Where the next wait looks from: a prompt shown twice is waited for twice.
        let mut from = 0;
        for (wait_for, typed) in steps {
            loop {
                let shown = String::from_utf8_lossy(&seen[from..]).into_owned();
                if let Some(at) = shown.find(wait_for) {
                    from += shown[..at + wait_for.len()].len();
                    break;
                }
                assert_eq!(
                    stdout.read(&mut byte).unwrap(),
                    1,
                    "{wait_for:?} never shown: {}",
                    String::from_utf8_lossy(&seen)
                );
                seen.push(byte[0]);
            }
            stdin.write_all(typed.as_bytes()).unwrap();
            stdin.flush().unwrap();
            self.secret_typed(typed);
        }
        stdout.read_to_end(&mut seen).unwrap();
        drop(stdin);
        child.wait().unwrap();
        let output = String::from_utf8_lossy(&seen).into_owned();
        let watched = self.watched();
        self.sweep(
            &watched,
            &Run {
                code: 0,
                stdout: output.clone(),
                stderr: String::new(),
            },
        );
        output
    }

    /// A typed line is a secret (less its line ending and any Ctrl key).
    fn secret_typed(&self, typed: &str) {
        let value = typed.trim_end_matches(['\n', '\r', '\x03', '\x04']);
        if !value.is_empty() {
            self.secret(value);
        }
    }
}
