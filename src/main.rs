/*!
The `codika` command line: manage integrations (API keys and credentials) of
Codika organizations and process instances.

For now only `--version` and `--help` exist; the `integration` subcommands
follow.
*/

use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

const HELP: &str = "\
codika — manage Codika integrations from one small binary

Usage: codika [OPTIONS] <COMMAND>

Commands:
  integration   Set, list and delete integrations; fetch n8n credential schemas

Options:
  -h, --help      Print this help
  -V, --version   Print the version

Example:
  codika integration set openai --secret OPENAI_API_KEY=sk-...
";

fn main() -> ExitCode {
    let mut parser = lexopt::Parser::from_env();
    match parser.next() {
        Ok(Some(lexopt::Arg::Short('V') | lexopt::Arg::Long("version"))) => {
            println!("codika {VERSION}");
            ExitCode::SUCCESS
        }
        Ok(Some(lexopt::Arg::Short('h') | lexopt::Arg::Long("help"))) | Ok(None) => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Ok(Some(arg)) => {
            eprintln!(
                "error: unexpected argument {}; see 'codika --help'",
                describe(arg)
            );
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {err}; see 'codika --help'");
            ExitCode::from(2)
        }
    }
}

fn describe(arg: lexopt::Arg<'_>) -> String {
    match arg {
        lexopt::Arg::Short(c) => format!("'-{c}'"),
        lexopt::Arg::Long(name) => format!("'--{name}'"),
        lexopt::Arg::Value(value) => format!("'{}'", value.to_string_lossy()),
    }
}
