/*!
`codika`: manage the integrations (API keys, credentials) of Codika
organizations and process instances from one small static binary, and the
profiles (saved API keys) of `codika login`.

parse → resolve → act → render → exit: `flags` turns argv into `LowArgs`
(from the command and flag tables), `resolve` makes them an `Invocation`
(what every command shares, and the command with its own arguments: key,
profile, base URL, project, context, instance, decided once), a command in
`commands` acts through `platform`, `ui::output` renders, and `main`
alone exits, with the code `error` gives an outcome or an error, or 1 when
what was printed could not be written (`streams`).
*/

use codika::flags::complete::Candidates;
use codika::ui::streams;
use codika::{commands, config, flags, harden, resolve, version};
use std::process::ExitCode;

use codika::flags::Parsed;
use codika::ui::output::Output;

/// Runs before the Rust runtime, which opens /dev/null on a closed stdout
/// or stderr: `codika ... >&-` is then a failed write (exit 1), not output
/// thrown away with exit 0. Here, as the binary's own object is always
/// linked (a library's might not be).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STREAMS: extern "C" fn() = {
    extern "C" fn note() {
        streams::note_closed_at_start();
    }
    note
};

fn main() -> ExitCode {
    harden::no_core_dumps();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Decided before parsing, so that even a usage error honours --json.
    // `--json=VALUE` is a usage error, answered as a document too.
    let json = argv
        .iter()
        .any(|a| a == "--json" || a.as_encoded_bytes().starts_with(b"--json="));
    let code = match flags::parse(argv) {
        Ok(Parsed::Print(text)) => {
            streams::out(&text);
            0
        }
        Ok(Parsed::Complete(what)) => {
            let names: String = match what {
                Candidates::Profiles => config::profile_names()
                    .iter()
                    .map(|name| format!("{name}\n"))
                    .collect(),
                Candidates::Nothing => String::new(),
            };
            streams::out(&names);
            0
        }
        Ok(Parsed::Version) => {
            Output::new(json, false).render(&version::Version);
            0
        }
        Ok(Parsed::Run(args)) => {
            let out = Output::new(args.json, args.quiet);
            match resolve::Invocation::new(*args).and_then(|run| commands::run(run, &out)) {
                Ok(finished) => {
                    out.render(&*finished.report);
                    finished.outcome.exit_code()
                }
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
