//! Shared by the end-to-end tests: start the real emulator binary on port 0,
//! talk to it over real HTTP, and seal envelopes the way a client does.
#![allow(dead_code)] // each test file uses its own part of this module

pub mod envelopes;
pub mod hpke;
#[path = "../../../tests/support/json.rs"]
mod json;
#[path = "../../../tests/support/official.rs"]
pub mod official;
#[path = "../../../tests/support/skip.rs"]
mod skip;
pub use json::*;
pub use skip::*;

use miniserde::json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const OWNER: &str = "cko_emulator_owner_full";
pub const LIMITED: &str = "cko_emulator_limited";
pub const OTHER_ORG: &str = "cko_emulator_other_org";
pub const EXPIRED: &str = "cko_emulator_expired";

/// A fresh folder for one test, removed on drop (a failing test's too);
/// `name` shows in its path.
pub fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("codika-emulator-{name}-"))
        .tempdir()
        .unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A running emulator process, killed on drop.
pub struct Emulator {
    child: Child,
    pub base: String,
    /// The stdout lines after `listening on ...`, as they arrive.
    later_lines: Arc<Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Emulator {
    /// The X25519 (HPKE) emulator with a fresh key.
    pub fn start() -> Emulator {
        Emulator::with_args(&[])
    }

    /// The RSA emulator with the fixed test key (generating RSA keys in a
    /// debug build is slow).
    pub fn start_rsa() -> Emulator {
        let key = fixture("rsa-private.pem");
        Emulator::with_args(&["--key-type", "rsa", "--private-key", key.to_str().unwrap()])
    }

    pub fn with_args(args: &[&str]) -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_codika-emulator"))
            .args(["--listen", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start codika-emulator");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = match lines.next() {
            Some(Ok(line)) => line,
            _ => {
                let output = child.wait_with_output().unwrap();
                panic!(
                    "emulator did not start: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        };
        let base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        let later_lines = Arc::new(Mutex::new(Vec::new()));
        let sink = later_lines.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build();
        Emulator {
            child,
            base,
            later_lines,
            agent: config.into(),
        }
    }

    /// The first `count` stdout lines after `listening on ...` (the seeded
    /// API keys), waiting a little for them to arrive.
    pub fn printed_keys(&self, count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let lines = self.later_lines.lock().unwrap().clone();
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn post(&self, path: &str, key: Option<&str>, body: &str) -> Reply {
        let mut request = self
            .agent
            .post(&self.url(path))
            .header("Content-Type", "application/json");
        if let Some(key) = key {
            request = request.header("X-Process-Manager-Key", key);
        }
        read(request.send(body))
    }

    pub fn get(&self, path: &str, key: Option<&str>) -> Reply {
        let mut request = self.agent.get(&self.url(path));
        if let Some(key) = key {
            request = request.header("X-Process-Manager-Key", key);
        }
        read(request.call())
    }

    pub fn public_pem(&self) -> String {
        self.get("/encryption/public.pem", None).text
    }

    /// `GET /_emulator/integrations` → its `data`.
    pub fn dump(&self) -> Value {
        data(&self.get("/_emulator/integrations", None)).clone()
    }

    /// The stored integrations with this id, from the dump.
    pub fn stored(&self, integration_id: &str) -> Vec<Value> {
        let dump = self.dump();
        items(field(&dump, "integrations"))
            .iter()
            .filter(|i| str_at(i, "integrationId") == integration_id)
            .cloned()
            .collect()
    }

    /// The emulator process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn kill_hard(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("HTTP exchange with the emulator");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    let body = miniserde::json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, body, text }
}

impl Emulator {
    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// A raw TCP connection, reads bounded by 10 s.
    pub fn connect(&self) -> std::net::TcpStream {
        let stream = std::net::TcpStream::connect(self.address()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// Sends raw bytes and reads until the server closes the connection.
    pub fn exchange(&self, raw: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut stream = self.connect();
        let _ = stream.write_all(raw);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// Sends `raw` on a connection of its own and returns the answer, which
    /// must start with `status_line` (`HTTP/1.1 400 `).
    #[track_caller]
    pub fn answers(&self, raw: &[u8], status_line: &str) -> String {
        let answer = self.exchange(raw);
        assert!(
            answer.starts_with(status_line),
            "{:?} -> {answer}",
            String::from_utf8_lossy(raw)
        );
        answer
    }

    /// The emulator still answers a normal request.
    #[track_caller]
    pub fn still_serving(&self) {
        let reply = self.post("/verifyapikey", Some(OWNER), "");
        assert_eq!(reply.status, 200, "the emulator stopped: {}", reply.text);
    }
}

pub fn data(reply: &Reply) -> &Value {
    assert!(
        bool_at(&reply.body, "success"),
        "expected success, got {} {}",
        reply.status,
        reply.text
    );
    field(&reply.body, "data")
}

/// Asserts an error answer of protocol §1 with this status and code.
pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "status of {}", reply.text);
    assert!(!bool_at(&reply.body, "success"), "{}", reply.text);
    assert_eq!(
        str_at(field(&reply.body, "error"), "code"),
        code,
        "{}",
        reply.text
    );
    assert!(!str_at(field(&reply.body, "error"), "message").is_empty());
    assert!(str_at(&reply.body, "requestId").starts_with("req_"));
}

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    miniserde::json::to_string(&s.to_string())
}

/// `{"KEY": {"value": ..., "encrypted": true, "description": "KEY"}, ...}` for
/// already sealed `EncryptedData` strings.
pub fn secrets_json(sealed: &[(&str, String)]) -> String {
    let fields: Vec<String> = sealed
        .iter()
        .map(|(key, data)| {
            format!(
                "{}:{{\"value\":{},\"encrypted\":true,\"description\":{}}}",
                quote(key),
                quote(data),
                quote(key)
            )
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

pub fn object_keys(value: &Value) -> Vec<String> {
    match value {
        Value::Object(object) => object.keys().cloned().collect(),
        _ => Vec::new(),
    }
}
