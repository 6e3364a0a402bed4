/*!
Commands we print for the user to run (a delete's `--confirm`, `check`'s
fixes), built from the command and flag tables: a flag renamed there is
renamed here, and a printed command can only name a flag that exists. Every
word is quoted for a POSIX shell. Never the API key: no flag that takes it
is offered here, and a URL's password is the caller's to hide (`***`).
*/

use crate::flags::Command;
use crate::flags::defs::{self, Flag, Takes};
use crate::resolve::{Common, KeySource, Typed};
use crate::ui::shell::quote;

/// What every command we print leaves out that this run had, to be put
/// back by hand: the API key typed with `--api-key` (never printed), and
/// the user and password of `--api-url` (printed as `***`). Said in
/// parentheses under the commands for a human and as `notes` in `--json`,
/// by every command that prints commands.
pub fn left_out(common: &Common) -> Vec<String> {
    let mut notes = Vec::new();
    if common
        .platform()
        .is_ok_and(|p| p.key.source == KeySource::Flag)
    {
        notes.push("add your --api-key again; it is not shown".to_string());
    }
    if common.typed.api_url_hides_userinfo() {
        notes.push(
            "put the --api-url user and password back in place of ***; they are not shown"
                .to_string(),
        );
    }
    notes
}

/// `codika <command> [ARGS] [OPTIONS]`, word by word.
pub struct CommandLine {
    words: Vec<String>,
}

impl CommandLine {
    pub fn new(command: Command) -> CommandLine {
        let mut words = vec!["codika".to_string()];
        words.extend(command.path().split(' ').map(String::from));
        CommandLine { words }
    }

    /// A positional argument.
    pub fn arg(mut self, value: &str) -> CommandLine {
        self.words.push(quote(value));
        self
    }

    /// `--flag VALUE`, when there is a value.
    pub fn option(mut self, flag: &Flag, value: Option<&str>) -> CommandLine {
        debug_assert!(
            matches!(flag.takes, Takes::Value(..) | Takes::Path(..)),
            "--{}",
            flag.long
        );
        if let Some(value) = value {
            self.words.push(format!("--{}", flag.long));
            self.words.push(quote(value));
        }
        self
    }

    /// `--flag`, a switch, when `on`.
    pub fn switch(mut self, flag: &Flag, on: bool) -> CommandLine {
        debug_assert!(matches!(flag.takes, Takes::Nothing(..)), "--{}", flag.long);
        if on {
            self.words.push(format!("--{}", flag.long));
        }
        self
    }

    /// The options that reach the platform as this run did: `--profile`,
    /// `--api-url` (its user and password as `***`) and `--ca-bundle`;
    /// never the key.
    pub fn platform(self, typed: &Typed) -> CommandLine {
        self.option(&defs::PROFILE, typed.profile.as_deref())
            .option(&defs::API_URL, typed.api_url_shown().as_deref())
            .option(
                &defs::CA_BUNDLE,
                typed
                    .ca_bundle
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .as_deref(),
            )
    }

    pub fn text(&self) -> String {
        self.words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::defs;

    #[test]
    fn words_come_from_the_tables_and_are_quoted() {
        let line = CommandLine::new(Command::Delete)
            .arg("openai")
            .option(&defs::PATH, Some("my dir"))
            .option(&defs::PROFILE, None)
            .switch(&defs::CONFIRM, true)
            .text();
        assert_eq!(
            line,
            "codika integration delete openai --path 'my dir' --confirm"
        );
        assert_eq!(CommandLine::new(Command::Login).text(), "codika login");
    }
}
