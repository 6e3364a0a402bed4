/*!
The Codika platform's integration API on your machine (protocol.md), as a
library: `codika-emulator` is its command line, and the CLI's tests start it
in-process on port 0 and talk to it over real HTTP.
*/

mod api;
pub mod args;
#[doc(hidden)]
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod http;
mod json;
mod keys;
mod schemas;
mod state;
mod store;
mod tls;

// Shared with the CLI (the codika-common crate).
use codika_common::{clock, custom_schema, jsontext, registry};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

pub use args::Options;
pub use keys::KeyType;
use keys::PlatformKey;
use state::State;

/// An emulator bound to its address, ready to serve.
pub struct Bound {
    listener: TcpListener,
    platform: api::Platform,
    stats: Arc<http::Stats>,
    tls: Option<Arc<rustls::ServerConfig>>,
    pub address: SocketAddr,
    /// The API keys of the state it starts with.
    pub api_keys: Vec<String>,
}

impl Bound {
    /// `http://HOST:PORT` (`https://` with a certificate) plus the path prefix.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}{}", self.address, self.platform.prefix)
    }

    /// A line saying which key decrypts, for the operator.
    pub fn key_summary(&self) -> String {
        let key = &self.platform.key;
        format!(
            "key type {}, kid {}; public key at {}/encryption/public.pem",
            match key.key_type() {
                KeyType::X25519 => "x25519",
                KeyType::Rsa => "rsa",
            },
            key.kid(),
            self.base_url()
        )
    }

    /// Serves until the process ends.
    pub fn serve(self) {
        http::serve(self.listener, Arc::new(self.platform), self.stats, self.tls);
    }
}

/// Loads the key and the state, and binds the listener.
pub fn bind(options: Options) -> Result<Bound, String> {
    let key = platform_key(&options)?;
    let tls = match (&options.tls_cert, &options.tls_key) {
        (None, None) => None,
        (Some(cert), Some(key)) => Some(tls::server_config(cert, key)?),
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    let seed = match &options.seed {
        None => State::default_seed(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
            if json::too_deep(&text) {
                return Err(format!("seed {} nests too deep", path.display()));
            }
            miniserde::json::from_str(&text)
                .map_err(|_| format!("seed {} is not a valid emulator state", path.display()))?
        }
    };
    let store = store::Store::open(options.state.clone(), seed.clone())?;
    let listener = TcpListener::bind(&options.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let api_keys = store.read(|state| state.api_keys.iter().map(|k| k.key.clone()).collect());
    let stats = Arc::new(http::Stats::default());
    let platform = api::Platform {
        store,
        key,
        seed,
        stats: stats.clone(),
        prefix: options.prefix,
        listen: options.listen,
        quiet: options.quiet,
        canned: Default::default(),
        slow_paths: options.slow_paths,
    };
    Ok(Bound {
        listener,
        platform,
        stats,
        tls,
        address,
        api_keys,
    })
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
