//! What every CLI test needs: the platform emulator started in this process
//! on 127.0.0.1 port 0, and the real `codika` binary run as a user would, in
//! a temporary HOME, with a clean environment. Every run is swept: no secret
//! value or API key the test used may appear in stdout or stderr.
#![allow(dead_code)] // each test file uses its own part of this module

pub mod jail;
mod json;
mod network;
pub mod official;
pub mod pty;
mod skip;
pub use json::*;
pub use network::*;
pub use skip::*;

use miniserde::json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const OWNER: &str = "cko_emulator_owner_full";
pub const LIMITED: &str = "cko_emulator_limited";
pub const OTHER_ORG: &str = "cko_emulator_other_org";
pub const EXPIRED: &str = "cko_emulator_expired";

pub fn emulator_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("emulator/tests/fixtures")
        .join(name)
}

/// The emulator, serving on a thread of this test process.
pub struct Platform {
    pub base: String,
    pub address: std::net::SocketAddr,
    agent: ureq::Agent,
    /// Over HTTPS: what the test's own requests trust.
    tls: Option<ureq::tls::TlsConfig>,
}

impl Platform {
    /// X25519 (HPKE) keys, made fresh.
    pub fn start() -> Platform {
        Platform::with(codika_emulator::Options::default())
    }

    /// RSA, as the live platform, with the fixed test key.
    pub fn start_rsa() -> Platform {
        Platform::with(codika_emulator::Options {
            key_type: Some(codika_emulator::KeyType::Rsa),
            private_key: Some(emulator_fixture("rsa-private.pem")),
            ..Default::default()
        })
    }

    pub fn with(options: codika_emulator::Options) -> Platform {
        Platform::listening(options, "127.0.0.1:0", None)
    }

    /// Over HTTPS with `ca`'s leaf certificate.
    pub fn start_tls(ca: &TestCa) -> Platform {
        Platform::listening(ca.options(), "127.0.0.1:0", Some(ca))
    }

    /// On `listen` (another loopback address, say), over HTTPS when `ca`
    /// is given.
    pub fn listening(
        mut options: codika_emulator::Options,
        listen: &str,
        ca: Option<&TestCa>,
    ) -> Platform {
        options.listen = listen.into();
        options.quiet = true;
        let bound = codika_emulator::bind(options).expect("start the emulator");
        let (base, address) = (bound.base_url(), bound.address);
        std::thread::spawn(move || bound.serve());
        let tls = ca.map(TestCa::tls_config);
        Platform {
            base,
            address,
            agent: Platform::agent(tls.as_ref()),
            tls,
        }
    }

    fn agent(tls: Option<&ureq::tls::TlsConfig>) -> ureq::Agent {
        let mut config = ureq::Agent::config_builder().http_status_as_error(false);
        if let Some(tls) = tls {
            config = config.tls_config(tls.clone());
        }
        config.build().into()
    }

    fn get_json(&self, path: &str) -> Value {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .call()
            .unwrap();
        parse(&response.body_mut().read_to_string().unwrap())
    }

    pub fn public_pem(&self) -> String {
        let mut response = self
            .agent
            .get(&format!("{}/encryption/public.pem", self.base))
            .call()
            .unwrap();
        response.body_mut().read_to_string().unwrap()
    }

    /// What the platform stored (secrets decrypted), via the test-only route.
    pub fn dump(&self) -> Value {
        field(&self.get_json("/_emulator/integrations"), "data").clone()
    }

    pub fn stored(&self, integration_id: &str) -> Vec<Value> {
        items(field(&self.dump(), "integrations"))
            .iter()
            .filter(|i| str_at(i, "integrationId") == integration_id)
            .cloned()
            .collect()
    }

    /// The decrypted value of `key` in the one stored `integration_id`.
    pub fn secret(&self, integration_id: &str, key: &str) -> String {
        let stored = self.stored(integration_id);
        assert_eq!(stored.len(), 1, "expected one {integration_id}");
        str_at(field(&stored[0], "secrets"), key).to_string()
    }

    pub fn active(&self, instance: &str) -> bool {
        let dump = self.dump();
        let instance = items(field(&dump, "processInstances"))
            .iter()
            .find(|p| str_at(p, "processInstanceId") == instance)
            .cloned()
            .unwrap();
        matches!(field(&instance, "active"), Value::Bool(true))
    }

    /// The work one command costs, counted by the emulator: (connections,
    /// requests) it made, less the stats request's own connection.
    pub fn cost(&self, run: impl FnOnce() -> Run) -> (u64, u64) {
        let before = self.stats();
        run().assert_code(0);
        let after = self.stats();
        (after.0 - before.0 - 1, after.1 - before.1 - 1)
    }

    /// Back to the seed, canned answers dropped (`POST /_emulator/reset`).
    pub fn reset(&self) {
        let response = self
            .agent
            .post(&format!("{}/_emulator/reset", self.base))
            .send_empty()
            .unwrap();
        assert_eq!(response.status(), 200, "POST /_emulator/reset");
    }

    /// Makes the endpoint at `path` answer exactly `body` (HTTP 200) from
    /// now on: a platform answering the wrong shape.
    pub fn answer(&self, path: &str, body: &str) {
        self.answer_with(path, 200, body);
    }

    /// As [`Platform::answer`], with HTTP status `status`.
    pub fn answer_with(&self, path: &str, status: u16, body: &str) {
        let request = miniserde::json::to_string(&Value::Object(
            [
                ("path".to_string(), Value::String(path.into())),
                (
                    "status".to_string(),
                    Value::Number(miniserde::json::Number::U64(status.into())),
                ),
                ("body".to_string(), Value::String(body.into())),
            ]
            .into_iter()
            .collect(),
        ));
        let response = self
            .agent
            .post(&format!("{}/_emulator/answer", self.base))
            .header("Content-Type", "application/json")
            .send(request.as_str())
            .unwrap();
        assert_eq!(response.status(), 200, "POST /_emulator/answer");
    }

    /// Creates and confirmed deletes the emulator has been asked for so
    /// far, whatever it answered.
    pub fn changes(&self) -> u64 {
        u64_at(&self.stats_data(&self.base), "changes")
    }

    /// Connections and requests the emulator has served so far, counting
    /// this request on its own new connection.
    pub fn stats(&self) -> (u64, u64) {
        self.stats_at(&self.base)
    }

    /// [`Platform::stats`] asked at `base`: through a gateway, say.
    pub fn stats_at(&self, base: &str) -> (u64, u64) {
        let data = self.stats_data(base);
        (u64_at(&data, "connections"), u64_at(&data, "requests"))
    }

    /// The API requests served so far, by path (`/listintegrationspublic`,
    /// `/encryption/public.pem`, ...).
    pub fn paths(&self) -> BTreeMap<String, u64> {
        let data = self.stats_data(&self.base);
        match field(&data, "paths") {
            paths @ Value::Object(object) => object
                .keys()
                .map(|path| (path.clone(), u64_at(paths, path)))
                .collect(),
            other => panic!("no paths in the stats: {other:?}"),
        }
    }

    /// The most requests the emulator has answered at once so far.
    pub fn peak_in_flight(&self) -> u64 {
        u64_at(&self.stats_data(&self.base), "peakInFlight")
    }

    fn stats_data(&self, base: &str) -> Value {
        let agent = Platform::agent(self.tls.as_ref());
        let mut response = agent
            .get(&format!("{base}/_emulator/stats"))
            .call()
            .unwrap();
        let body = parse(&response.body_mut().read_to_string().unwrap());
        field(&body, "data").clone()
    }
}

/// A temporary directory, removed on drop.
pub struct TempDir(tempfile::TempDir);

impl TempDir {
    pub fn new() -> TempDir {
        TempDir(
            tempfile::Builder::new()
                .prefix("codika-cli-test-")
                .tempdir()
                .unwrap(),
        )
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes `relative` (making its folders) and returns its path.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// The `codika` binary in a sandbox: its own HOME and working directory.
pub struct Cli {
    pub home: TempDir,
    /// The variables runs get, by name: setting one again replaces it.
    env: RefCell<BTreeMap<String, String>>,
    /// Values that must never be printed.
    secrets: RefCell<Vec<String>>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        parse(&self.stdout)
    }

    /// Exits `code` with `needle` on stderr (on stdout when that is a JSON
    /// document, as with `--json`).
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &Run {
        self.assert_code(code);
        let stream = if self.stdout.starts_with('{') {
            &self.stdout
        } else {
            &self.stderr
        };
        assert!(
            stream.contains(needle),
            "expected {needle:?}\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Succeeds with `needle` in its stdout.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Run {
        self.assert_code(0);
        assert!(
            self.stdout.contains(needle),
            "expected {needle:?} on stdout\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Cli {
    /// A sandbox whose base URL is the platform's, with no API key.
    pub fn new(platform: &Platform) -> Cli {
        let cli = Cli::bare();
        cli.env("CODIKA_BASE_URL", &platform.base);
        cli
    }

    /// A sandbox using the platform with the seed's owner key (integrations:manage).
    pub fn owner(platform: &Platform) -> Cli {
        let cli = Cli::new(platform);
        cli.env("CODIKA_API_KEY", OWNER);
        cli
    }

    /// A sandbox with nothing set but `CODIKA_MAX_ATTEMPTS=1`: a test sees
    /// each request sent once, as it was written for, unless it tests the
    /// retries (tests/networks.rs), which [`Cli::unset`] it.
    pub fn bare() -> Cli {
        let home = TempDir::new();
        std::fs::create_dir_all(home.path().join("work")).unwrap();
        let env = BTreeMap::from([("CODIKA_MAX_ATTEMPTS".to_string(), "1".to_string())]);
        Cli {
            home,
            env: RefCell::new(env),
            secrets: RefCell::new(vec![
                OWNER.into(),
                LIMITED.into(),
                OTHER_ORG.into(),
                EXPIRED.into(),
            ]),
        }
    }

    /// Sets `key` for the runs that follow, replacing any earlier value.
    pub fn env(&self, key: &str, value: &str) -> &Cli {
        self.env.borrow_mut().insert(key.into(), value.into());
        self
    }

    /// Leaves `key` out of the runs that follow.
    pub fn unset(&self, key: &str) -> &Cli {
        self.env.borrow_mut().remove(key);
        self
    }

    /// Registers a value the sweep must never find in the output.
    pub fn secret(&self, value: &str) -> &Cli {
        self.secrets.borrow_mut().push(value.into());
        self
    }

    /// The working directory of runs (inside HOME).
    pub fn work(&self) -> PathBuf {
        self.home.path().join("work")
    }

    /// Writes the config file at `~/.config/codika/config.json`, mode 0600
    /// (as login writes it: no warning about its mode).
    pub fn config(&self, json: &str) -> PathBuf {
        let path = self.home.write(".config/codika/config.json", json);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }

    /// Where login writes the config file.
    pub fn config_path(&self) -> PathBuf {
        self.home.path().join(".config/codika/config.json")
    }

    /// The config file's text (panics when there is none).
    pub fn config_text(&self) -> String {
        std::fs::read_to_string(self.config_path()).expect("a config file")
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(&self.work(), args)
    }

    /// `codika integration SUBCOMMAND ARGS...`.
    pub fn integration(&self, subcommand: &str, args: &[&str]) -> Run {
        self.run(&[&["integration", subcommand], args].concat())
    }

    /// `codika integration set openai --secret OPENAI_API_KEY=VALUE ARGS...`,
    /// the call most tests start from.
    pub fn set_openai(&self, value: &str, args: &[&str]) -> Run {
        let secret = format!("OPENAI_API_KEY={value}");
        self.integration("set", &[&["openai", "--secret", &secret], args].concat())
    }

    /// Runs the words of `line` (split on spaces: no quoting) after
    /// `codika`: `cli.line("integration list --json")`.
    pub fn line(&self, line: &str) -> Run {
        self.run(&line.split_whitespace().collect::<Vec<_>>())
    }

    /// Runs with `input` on stdin (swept as a secret: it is an API key).
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        self.secret(input.trim());
        self.run_full(&self.work(), args, Some(input))
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        self.run_full(cwd, args, None)
    }

    /// The command, ready to spawn: sandboxed HOME, clean environment.
    pub fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_codika"));
        command
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path());
        for (key, value) in self.env.borrow().iter() {
            command.env(key, value);
        }
        command
    }

    fn run_full(&self, cwd: &Path, args: &[&str], input: Option<&str>) -> Run {
        // Secret values in the arguments are part of the sweep.
        let mut watched = self.secrets.borrow().clone();
        for pair in args.windows(2) {
            match pair[0] {
                "--secret" => watched.extend(pair[1].split_once('=').map(|(_, v)| v.to_string())),
                "--api-key" => watched.push(pair[1].to_string()),
                "--secrets" => watched.extend(json_string_values(pair[1])),
                _ => {}
            }
        }
        // So are the keys of the profiles, before and after the run.
        watched.extend(self.config_keys());
        let mut command = self.command(cwd, args);
        let output = match input {
            None => command.stdin(std::process::Stdio::null()).output(),
            Some(input) => {
                use std::io::Write;
                let mut child = command
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("run codika");
                let mut stdin = child.stdin.take().unwrap();
                let _ = stdin.write_all(input.as_bytes());
                drop(stdin);
                child.wait_with_output()
            }
        }
        .expect("run codika");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        watched.extend(self.config_keys());
        self.sweep(&watched, &run);
        run
    }

    /// The `apiKey` of every profile in the config file, if there is one.
    pub fn config_keys(&self) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(self.config_path()) else {
            return Vec::new();
        };
        let Ok(Value::Object(root)) = miniserde::json::from_str::<Value>(&text) else {
            return Vec::new();
        };
        match root.get("profiles") {
            Some(Value::Object(profiles)) => profiles
                .values()
                .filter_map(|p| match p {
                    Value::Object(p) => match p.get("apiKey") {
                        Some(Value::String(key)) => Some(key.clone()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// No watched value may appear in the run's output, and nothing panicked.
    pub fn sweep(&self, watched: &[String], run: &Run) {
        for secret in watched.iter().filter(|s| s.len() >= 4) {
            assert!(
                !run.stdout.contains(secret.as_str()),
                "secret {secret:?} printed on stdout:\n{}",
                run.stdout
            );
            assert!(
                !run.stderr.contains(secret.as_str()),
                "secret {secret:?} printed on stderr:\n{}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    }

    /// The values the sweep watches for every run.
    pub fn watched(&self) -> Vec<String> {
        self.secrets.borrow().clone()
    }
}

/// The string values of a JSON object (for the sweep).
fn json_string_values(text: &str) -> Vec<String> {
    match miniserde::json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object
            .into_iter()
            .filter_map(|(_, v)| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A use case folder with a project.json of the seed's organization.
pub fn use_case(dir: &TempDir, name: &str) -> PathBuf {
    dir.write(
        &format!("{name}/project.json"),
        r#"{"projectId":"proj_invoice","organizationId":"org_acme","devProcessInstanceId":"pi_acme_dev","prodProcessInstanceId":"pi_acme_prod"}"#,
    )
    .parent()
    .unwrap()
    .to_path_buf()
}

/// `{"success": false, "error": {"code": CODE, ...}}` on stdout.
#[track_caller]
pub fn assert_json_error(run: &Run, code: &str) {
    let body = run.json();
    assert!(
        matches!(field(&body, "success"), Value::Bool(false)),
        "{}",
        run.stdout
    );
    assert_eq!(
        str_at(field(&body, "error"), "code"),
        code,
        "{}",
        run.stdout
    );
    assert!(!str_at(field(&body, "error"), "message").is_empty());
    assert!(
        run.stdout.starts_with("{\n  \""),
        "2-space indented: {}",
        run.stdout
    );
}

/// A stand-in for what may sit between the CLI and the platform (a proxy, a
/// gateway): answers every request with `response` (a raw HTTP response,
/// status line first) and records each request's head.
pub struct Gateway {
    pub base: String,
    pub heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Gateway {
    pub fn start(response: Vec<u8>) -> Gateway {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                let _ = stream.write_all(&response);
                // A lingering close, as servers do: closing with the
                // client's bytes unread would reset a large answer.
                let _ = stream.shutdown(std::net::Shutdown::Write);
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let _ = stream.read_to_end(&mut Vec::new());
            }
        });
        Gateway { base, heads }
    }

    /// An HTML error page with this status line and `Connection: close`.
    pub fn html(status_line: &str, body: &[u8]) -> Vec<u8> {
        let mut response = format!(
            "{status_line}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        response
    }

    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}
