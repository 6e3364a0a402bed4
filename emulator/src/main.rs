/*!
`codika-emulator`: the Codika platform's integration API on your machine, for
tests, pipelines and first trials (protocol.md). It keeps its state in memory
or in one file, and decrypts secrets with its own key pair.
*/

mod api;
mod args;
mod clock;
mod custom_schema;
mod http;
mod json;
mod keys;
mod registry;
mod schemas;
mod state;
mod store;

use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use args::{Mode, Options};
use keys::{KeyType, PlatformKey};
use state::State;

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
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(options: Options) -> Result<(), String> {
    let key = platform_key(&options)?;
    let seed = match &options.seed {
        None => State::default_seed(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
            miniserde::json::from_str(&text)
                .map_err(|_| format!("seed {} is not a valid emulator state", path.display()))?
        }
    };
    let store = store::Store::open(options.state.clone(), seed.clone())?;
    let listener = TcpListener::bind(&options.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;

    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on http://{address}{}", options.prefix);
    for api_key in store.read(|state| {
        state
            .api_keys
            .iter()
            .map(|k| k.key.clone())
            .collect::<Vec<_>>()
    }) {
        let _ = writeln!(out, "{api_key}");
    }
    let _ = out.flush();
    drop(out);
    eprintln!(
        "key type {}, kid {}; public key at http://{address}{}/encryption/public.pem",
        match key.key_type() {
            KeyType::X25519 => "x25519",
            KeyType::Rsa => "rsa",
        },
        key.kid(),
        options.prefix
    );

    let stats = Arc::new(http::Stats::default());
    let platform = api::Platform {
        store,
        key,
        seed,
        stats: stats.clone(),
        prefix: options.prefix,
        quiet: options.quiet,
    };
    http::serve(listener, Arc::new(platform), stats);
    Ok(())
}

fn platform_key(options: &Options) -> Result<PlatformKey, String> {
    let Some(path) = &options.private_key else {
        return PlatformKey::generate(options.key_type.unwrap_or(KeyType::X25519));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read private key {}: {e}", path.display()))?;
    let key = PlatformKey::from_pem(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(wanted) = options.key_type
        && wanted != key.key_type()
    {
        return Err(format!(
            "{} holds a {:?} key, but --key-type asks for {wanted:?}",
            path.display(),
            key.key_type()
        ));
    }
    Ok(key)
}
