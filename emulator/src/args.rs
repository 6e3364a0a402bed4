/*! Command-line options of `codika-emulator`. */

use std::ffi::OsString;
use std::path::PathBuf;

use crate::keys::KeyType;

pub const HELP: &str = "\
codika-emulator — a local stand-in for the Codika platform's integration API

Usage: codika-emulator [OPTIONS]

Options:
      --listen <ADDR>        Address to listen on; port 0 picks a free port
                             [default: 127.0.0.1:8787]
      --key-type <TYPE>      Encryption key type: x25519 (HPKE) or rsa (as the
                             live platform) [default: x25519]
      --private-key <FILE>   Use this PEM private key (PKCS#8 RSA or X25519, or
                             PKCS#1 RSA) instead of a fresh one
      --state <FILE>         Persist state to FILE after every change; load it
                             at start when it exists [default: in memory]
      --seed <FILE>          Start from this state (the --state format) instead
                             of the default seed; reset goes back to it
      --prefix <PATH>        Serve the API under a path prefix, e.g. /v1
      --tls-cert <FILE>      Serve HTTPS with this PEM certificate chain (leaf
                             first); needs --tls-key
      --tls-key <FILE>       The PEM private key (PKCS#8, PKCS#1 or SEC1) of
                             --tls-cert
  -q, --quiet                Do not log requests on stderr
  -h, --help                 Print this help
  -V, --version              Print the version

The first stdout line is `listening on http://HOST:PORT` (https:// with
--tls-cert), then the seeded API keys, one a line.

Example:
  codika-emulator --listen 127.0.0.1:0 --key-type rsa
";

#[derive(Default)]
pub struct Options {
    pub listen: String,
    pub key_type: Option<KeyType>,
    pub private_key: Option<PathBuf>,
    pub state: Option<PathBuf>,
    pub seed: Option<PathBuf>,
    pub prefix: String,
    pub quiet: bool,
    /// HTTPS: the certificate chain and its key (PEM), both or neither.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Answers to these API paths wait this long first: a slow platform,
    /// for tests of which requests overlap (no flag: tests set it).
    pub slow_paths: Vec<(String, std::time::Duration)>,
}

pub enum Mode {
    Run(Options),
    Help,
    Version,
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Mode, String> {
    use lexopt::Arg::{Long, Short};
    let mut parser =
        lexopt::Parser::from_iter(std::iter::once(OsString::from("codika-emulator")).chain(args));
    let mut options = Options {
        listen: "127.0.0.1:8787".into(),
        ..Options::default()
    };
    let text = |parser: &mut lexopt::Parser, flag: &str| -> Result<String, String> {
        let value = parser.value().map_err(|e| e.to_string())?;
        value
            .into_string()
            .map_err(|_| format!("{flag} must be valid UTF-8"))
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Mode::Help),
            Short('V') | Long("version") => return Ok(Mode::Version),
            Short('q') | Long("quiet") => options.quiet = true,
            Long("listen") => options.listen = text(&mut parser, "--listen")?,
            Long("key-type") => {
                options.key_type = Some(match text(&mut parser, "--key-type")?.as_str() {
                    "x25519" => KeyType::X25519,
                    "rsa" => KeyType::Rsa,
                    other => {
                        return Err(format!(
                            "invalid --key-type '{other}' (expected x25519 or rsa)"
                        ));
                    }
                })
            }
            Long("private-key") => {
                options.private_key = Some(parser.value().map_err(|e| e.to_string())?.into())
            }
            Long("state") => {
                options.state = Some(parser.value().map_err(|e| e.to_string())?.into())
            }
            Long("seed") => options.seed = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("tls-cert") => {
                options.tls_cert = Some(parser.value().map_err(|e| e.to_string())?.into())
            }
            Long("tls-key") => {
                options.tls_key = Some(parser.value().map_err(|e| e.to_string())?.into())
            }
            Long("prefix") => {
                let prefix = text(&mut parser, "--prefix")?;
                let prefix = prefix.trim_end_matches('/');
                if !prefix.is_empty() && !prefix.starts_with('/') {
                    return Err(format!("--prefix must start with '/', got '{prefix}'"));
                }
                options.prefix = prefix.to_string();
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Mode::Run(options))
}
