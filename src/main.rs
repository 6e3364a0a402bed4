/*!
`codika`: manage the integrations (API keys, credentials) of Codika
organizations and process instances from one small static binary, and the
profiles (saved API keys) of `codika login`.

parse → resolve → act → render → exit: `flags` turns argv into `LowArgs`
(from the command and flag tables), `resolve` makes them `HiArgs` (key,
profile, base URL, project, context, instance, decided once), a command in
`commands` acts through `api` and `crypto`, `output` renders, and `main`
alone exits, with the code `error` gives an outcome or an error, or 1 when
what was printed could not be written (`streams`).
*/

use codika::{commands, flags, harden, resolve, streams, version};
use std::process::ExitCode;

use codika::flags::Parsed;
use codika::output::Output;
fn main() -> ExitCode {
    harden::no_core_dumps();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Decided before parsing, so that even a usage error honours --json.
    let json = argv.iter().any(|a| a == "--json");
    let code = match flags::parse(argv) {
        Ok(Parsed::Print(text)) => {
            streams::out(&text);
            0
        }
        Ok(Parsed::Complete(what)) => {
            streams::out(&flags::complete::candidates(&what));
            0
        }
        Ok(Parsed::Version) => {
            match json {
                true => Output::new(true, false).json_success(version::document()),
                false => streams::out(&format!(
                    "{}
",
                    version::line()
                )),
            }
            0
        }
        Ok(Parsed::Run(args)) => {
            let out = Output::new(args.json, args.quiet);
            match resolve::HiArgs::new(*args).and_then(|args| commands::run(&args, &out)) {
                Ok(outcome) => outcome.exit_code(),
                Err(error) => {
                    out.report(&error);
                    error.exit_code()
                }
            }
        }
        Err(error) => {
            Output::new(json, false).report(&error);
            error.exit_code()
        }
    };
    ExitCode::from(streams::finish(code))
}
