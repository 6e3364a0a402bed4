/*!
The `codika(1)` manual page (`codika man`), as roff for the `man` macros,
generated from the tables: every command with its argument, options and
defaults and examples (the command table), the resolution order
(`order::ORDER`), exit codes (`error::EXIT_STATUS`) and environment
(`env::VARS`). Only ASCII is written, with roff escapes for the rest,
so `groff -man -ww` has nothing to warn about.
*/

use super::commands::{COMMANDS, CommandDef, GROUPS, Group};
use super::help::usage;

const NAME_LINE: &str = "manage Codika integrations (API keys, credentials) from one small binary";

const DESCRIPTION: &str = "\
Sets, lists and deletes the integrations (API keys, credentials) of Codika \
organizations and process instances, and fetches n8n credential schemas. \
Secrets are encrypted on this machine, one envelope per field, before they \
are sent. Profiles (saved API keys) are kept by `codika login` in the \
official CLI's config file, so either CLI can use a login made by the other.

Every command takes `--json` (one JSON document on stdout, in every \
outcome, errors included) and `-q`, `--quiet` (no progress or decoration: \
on success, commands that act print nothing, those that show data print \
it; `--json` wins when both are given). No secret value and no API key is \
ever printed; keys are shown masked (`cko_emul...`).";

/// The paragraphs of SECRET INPUT: `(heading, text)`, a heading of "" for
/// a plain paragraph.
const SECRET_INPUT: &[(&str, &str)] = &[
    (
        "",
        "`integration set` merges secrets with this priority, highest first: \
`--secret`, `--secrets`, `--secrets-file`. A value on the command line \
(`--secret KEY=VALUE`, `--secrets '{...}'`) can be read by every local \
user while the command runs and lands in shell history; these keep it off:",
    ),
    (
        "--secret KEY",
        "The environment variable `KEY`, as `docker run -e KEY`; unset: asked \
on a terminal, else exit 2 naming `KEY`.",
    ),
    (
        "--secret KEY=-",
        "All of stdin, less exactly one trailing newline.",
    ),
    (
        "--secrets-file FILE, --secrets-file -",
        "Each `KEY=VALUE` of a dotenv file, or each member of a JSON object (a \
file whose first non-blank character is `{`); `-` reads stdin. No `$VAR` is \
ever expanded. Repeatable: every file is read, in order, and a later file's \
key replaces an earlier one's.",
    ),
    (
        "nothing at all, on a terminal",
        "Every required field of the integration is asked for, without echo.",
    ),
    (
        "",
        "Empty values are refused from every source. Stdin has one reader a \
run. `--no-input` (or `CODIKA_NO_INPUT=1`) never asks: what a prompt would \
ask for is an error saying what to pass. A `cstm_*` integration's schema is \
read from the use case's config.ts (or `--custom-schema-file`) and checked \
with the platform verifier's rules before anything is sent.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/codika/config.json, ~/.config/codika/config.json",
        "The profiles (API keys) of `codika login`: under XDG_CONFIG_HOME when \
it is set, else under ~/.config (never both). Mode 0600 in a 0700 \
directory, written atomically under the lock `config.json.lock`. A legacy \
`codika-helper/config.json` beside it is read while there is no \
`codika/config.json`.",
    ),
    (
        "project.json",
        "In the use case folder (`--path`, else the current directory; \
`--project-file` names another): its `organizationId`, \
`devProcessInstanceId` and `prodProcessInstanceId`.",
    ),
    (
        "config.ts, config.js",
        "In the use case folder: the `customIntegrations` entry of a `cstm_*` \
integration, read without running it.",
    ),
];

const EXAMPLES: &str = "\
# Create or update, the secret from the environment variable of the same name
codika integration set openai --secret OPENAI_API_KEY
# Check everything first: nothing is created
codika integration set supabase --secrets-file .env --path ./my-use-case --dry-run
# In CI: silent on success, errors on stderr, the exit code tells
printf %s \"$KEY\" | codika integration set openai --secret OPENAI_API_KEY=- --quiet
codika integration list --json
codika integration delete openai          # shows what would be deactivated, exit 2
codika integration delete openai --confirm
printf %s \"$CODIKA_KEY\" | codika login";

/// `text` for roff: backslashes, dashes and non-ASCII characters escaped,
/// a line that would start with `.` or `'` (a request) made text.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '\u{2014}' => out.push_str("\\(em"),
            '\u{2013}' => out.push_str("\\(en"),
            '\u{2026}' => out.push_str("\\&..."),
            '\u{2022}' => out.push_str("\\(bu"),
            '\u{2192}' => out.push_str("\\(->"),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("\\[u{:04X}]", c as u32)),
        }
    }
    out.split('\n')
        .map(|line| {
            if line.starts_with(['.', '\'']) {
                format!("\\&{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with `code` in backticks, the code in bold; lines joined (roff fills).
fn prose(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.replace('\n', " ").split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("\\fB{}\\fR", escaped(part)));
        } else {
            out.push_str(&escaped(part));
        }
    }
    out
}

/// A block shown as typed (examples), indented.
fn verbatim(page: &mut String, text: &str) {
    page.push_str(".PP\n.RS 4\n.nf\n");
    for line in text.lines() {
        page.push_str(&escaped(line.strip_prefix("  ").unwrap_or(line)));
        page.push('\n');
    }
    page.push_str(".fi\n.RE\n");
}

/// A `.TP` item: `tag` in bold, then the paragraph.
fn item(page: &mut String, tag: &str, text: &str) {
    page.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escaped(tag), prose(text)));
}

fn command(page: &mut String, def: &CommandDef) {
    page.push_str(&format!(".SS\n{}\n", escaped(&usage(def))));
    page.push_str(&format!("{}.\n", prose(def.about)));
    if let Some(argument) = &def.argument {
        page.push_str(&format!(
            ".TP\n\\fI{}\\fR\n{}\n",
            escaped(argument.name),
            prose(argument.help)
        ));
    }
    for option in def.options {
        let flag = option.flag;
        let short = flag
            .short
            .map(|c| format!("\\fB\\-{c}\\fR, "))
            .unwrap_or_default();
        let value = flag
            .value_name()
            .map(|name| format!(" \\fI{}\\fR", escaped(name)))
            .unwrap_or_default();
        page.push_str(&format!(
            ".TP\n{short}\\fB\\-\\-{}\\fR{value}\n{}",
            escaped(flag.long),
            prose(option.help())
        ));
        match option.default() {
            Some(default) => page.push_str(&format!(" [default: {}]\n", prose(default))),
            None => page.push('\n'),
        }
    }
    page.push_str(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint help.\n");
    page.push_str(".PP\nExamples:\n");
    verbatim(page, def.examples);
}

pub fn page() -> String {
    let mut page = String::new();
    page.push_str(&format!(
        ".\\\" The codika(1) manual page, generated by 'codika man'.\n.TH CODIKA 1 \"\" \"codika {}\" \"User Commands\"\n.nh\n.ad l\n",
        env!("CARGO_PKG_VERSION")
    ));
    page.push_str(&format!(".SH NAME\ncodika \\- {}\n", escaped(NAME_LINE)));
    page.push_str(".SH SYNOPSIS\n.nf\n");
    for def in COMMANDS {
        page.push_str(&format!("\\fB{}\\fR\n", escaped(&usage(def))));
    }
    page.push_str("\\fBcodika\\fR [\\fB\\-h\\fR | \\fB\\-\\-help\\fR | \\fB\\-V\\fR | \\fB\\-\\-version\\fR]\n.fi\n");
    page.push_str(".SH DESCRIPTION\n");
    for paragraph in DESCRIPTION.split("\n\n") {
        page.push_str(&format!(".PP\n{}\n", prose(paragraph)));
    }
    page.push_str(".SH COMMANDS\n");
    for (group, word, summary) in GROUPS {
        page.push_str(&format!(
            ".PP\n\\fBcodika {word}\\fR: {}.\n",
            escaped(summary)
        ));
        for def in COMMANDS.iter().filter(|c| c.group == *group) {
            command(&mut page, def);
        }
    }
    for def in COMMANDS.iter().filter(|c| c.group == Group::TopLevel) {
        command(&mut page, def);
    }
    page.push_str(".SH SECRET INPUT\n");
    for (tag, text) in SECRET_INPUT {
        if tag.is_empty() {
            page.push_str(&format!(".PP\n{}\n", prose(text)));
        } else {
            item(&mut page, tag, text);
        }
    }
    page.push_str(".SH RESOLUTION ORDER\n.PP\nWhere each thing comes from, first match wins:\n");
    for (what, order) in super::order::ORDER {
        item(&mut page, what, order);
    }
    page.push_str(".SH EXIT STATUS\n");
    for (code, text) in crate::error::EXIT_STATUS {
        item(&mut page, &code.to_string(), text);
    }
    page.push_str(".SH ENVIRONMENT\n");
    page.push_str(&format!(
        ".PP\n{}\n",
        prose("An empty variable counts as unset; one that is set but not valid for its kind (not UTF-8 text, a URL that does not parse, a number out of range) is exit 2 naming it, and nothing is sent.")
    ));
    for var in crate::env::VARS {
        let text = format!(
            "{} Default: {}. Read by: {}.",
            var.meaning,
            var.default,
            var.scope.commands()
        );
        item(&mut page, &var.names.join(", "), &text);
    }
    page.push_str(".SH FILES\n");
    for (name, text) in FILES {
        item(&mut page, name, text);
    }
    page.push_str(".SH EXAMPLES\n");
    verbatim(&mut page, EXAMPLES);
    page.push_str(".SH SEE ALSO\n\\fBcodika\\-emulator\\fR, a local stand\\-in for the platform (README.md).\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_option_is_in_the_page_in_ascii() {
        let page = page();
        assert!(page.is_ascii());
        for def in COMMANDS {
            assert!(page.contains(&escaped(&usage(def))), "{}", def.path());
            for option in def.options {
                assert!(
                    page.contains(&format!("\\fB\\-\\-{}\\fR", escaped(option.flag.long))),
                    "--{}",
                    option.flag.long
                );
                if let Some(default) = option.default() {
                    assert!(page.contains(&format!("[default: {}]", prose(default))));
                }
            }
        }
        for (what, _) in crate::flags::order::ORDER {
            assert!(page.contains(&format!("\\fB{what}\\fR")), "{what}");
        }
        // No line is a request by accident.
        for line in page.lines() {
            assert!(!line.starts_with('\'') && !line.starts_with(". "), "{line}");
        }
    }

    #[test]
    fn roff_escapes() {
        assert_eq!(escaped("a-b \\ c"), "a\\-b \\e c");
        assert_eq!(escaped(".x\n'y"), "\\&.x\n\\&'y");
        assert_eq!(escaped("prod\u{2026} \u{2014}"), "prod\\&... \\(em");
        assert_eq!(prose("use `--x`\nnow"), "use \\fB\\-\\-x\\fR now");
    }
}
