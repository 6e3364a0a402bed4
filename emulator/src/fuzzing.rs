/*!
The property the emulator's fuzz target (fuzz/fuzz_targets/emulator_request.rs)
checks, kept here so that `tests/fuzz_corpora.rs` replays the committed
corpus on stable through the same code. The input is what a client sends
on one connection: request heads, bodies (by length or chunked) and the
next request, as `serve_connection` reads them, each request then routed
to a platform built once and reset after every input. Properties: no panic
(the route is called directly, outside the connection's catch_unwind), no
500 answer, and a body is never longer than the transport allows.
*/

use std::io::{BufRead, Cursor};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};

use crate::api::Platform;
use crate::http::{self, Framing, MAX_BODY, Request};
use crate::keys::{KeyType, PlatformKey};
use crate::state::State;
use crate::store::Store;

/// Requests read from one input; the rest is ignored.
const MAX_REQUESTS: usize = 16;

/// The platform every input is sent to; `Err` when it cannot be made (no
/// random source for its key): a setup failure, not a property that failed.
fn platform() -> Result<&'static Mutex<Platform>, String> {
    static PLATFORM: OnceLock<Mutex<Platform>> = OnceLock::new();
    if let Some(made) = PLATFORM.get() {
        return Ok(made);
    }
    let seed = State::default_seed();
    let store = Store::open(None, seed.clone()).map_err(|e| format!("an in-memory store: {e}"))?;
    let key = PlatformKey::generate(KeyType::X25519).map_err(|e| format!("an x25519 key: {e}"))?;
    Ok(PLATFORM.get_or_init(|| {
        Mutex::new(Platform {
            store,
            key,
            seed,
            stats: Arc::new(http::Stats::default()),
            prefix: String::new(),
            listen: "127.0.0.1:8787".into(),
            quiet: true,
            canned: Default::default(),
            slow_paths: Vec::new(),
        })
    }))
}

pub fn request(data: &[u8]) -> Result<(), String> {
    let platform = platform()?.lock().unwrap_or_else(|e| e.into_inner());
    let mut reader = Cursor::new(data);
    for _ in 0..MAX_REQUESTS {
        if !exchange(&platform, &mut reader) {
            break;
        }
    }
    let _ = platform.store.reset(platform.seed.clone());
    Ok(())
}

/// One request read and answered; `false` when the connection would close.
fn exchange(platform: &Platform, reader: &mut impl BufRead) -> bool {
    let head = match http::read_head(reader) {
        Ok(Some(Ok(head))) => head,
        _ => return false,
    };
    let keep_alive = head.keep_alive();
    let _ = head.expects_continue();
    let body = match head.framing() {
        Err(_) => return false,
        Ok(Framing::Length(length)) if length > MAX_BODY as u64 => return false,
        Ok(Framing::Length(length)) => {
            let mut body = vec![0; length as usize];
            if reader.read_exact(&mut body).is_err() {
                return false;
            }
            body
        }
        Ok(Framing::Chunked) => match http::read_chunked(reader) {
            Ok(Ok(body)) => body,
            _ => return false,
        },
    };
    assert!(body.len() <= MAX_BODY, "a body of {} bytes", body.len());
    let (path, query) = match head.target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (head.target.clone(), String::new()),
    };
    let loopback = SocketAddr::from(([127, 0, 0, 1], 8787));
    let request = Request::new(head, path, query, body, loopback);
    let response = platform.route(&request);
    assert_ne!(response.status, 500, "answered 500");
    keep_alive
}
