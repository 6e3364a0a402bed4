/*!
`codika-emulator`: the Codika platform's integration API on your machine, for
tests, pipelines and first trials (protocol.md). It keeps its state in memory
or in one file, and decrypts secrets with its own key pair.
*/

use std::io::Write;
use std::process::ExitCode;

use codika_emulator::args::{self, Mode};

fn main() -> ExitCode {
    let options = match args::parse(std::env::args_os().skip(1)) {
        Ok(Mode::Run(options)) => options,
        Ok(Mode::Help) => {
            print!("{}", args::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Mode::Version) => {
            println!("codika-emulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}; see 'codika-emulator --help'");
            return ExitCode::from(2);
        }
    };
    let bound = match codika_emulator::bind(options) {
        Ok(bound) => bound,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    // The contract with scripts: first the address, then the API keys.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", bound.base_url());
    for key in &bound.api_keys {
        let _ = writeln!(out, "{key}");
    }
    let _ = out.flush();
    drop(out);
    eprintln!("{}", bound.key_summary());
    bound.serve();
    ExitCode::SUCCESS
}
