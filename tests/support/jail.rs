//! The static binary copied alone into an empty directory and run there with
//! `chroot` and an empty environment, plus what the tests of its name
//! resolution put around it: files of /etc written in, the shared objects
//! mapped into the running process read from /proc/PID/maps at the moments
//! it asks a name server or opens a connection, a TCP doorway in front of the
//! emulator that takes that reading, a name server on a loopback address,
//! and the program headers of an ELF file.
//!
//! `make test` builds the binary (`make static`) and names it in
//! CODIKA_STATIC_BIN; a plain `cargo test` skips, saying so. Entering a chroot
//! needs root (CAP_SYS_CHROOT): without it the test skips, saying so.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{OWNER, Run, TempDir, skip};

pub struct Jail {
    pub root: TempDir,
}

impl Jail {
    /// An empty directory holding only the binary, or `None` (with the reason
    /// printed) when this environment cannot run the test.
    pub fn new() -> Option<Jail> {
        let Some(binary) = std::env::var_os("CODIKA_STATIC_BIN").map(PathBuf::from) else {
            skip("CODIKA_STATIC_BIN is not set (`make test` builds the static binary and sets it)");
            return None;
        };
        assert!(
            binary.is_file(),
            "CODIKA_STATIC_BIN names {} but there is no file there",
            binary.display()
        );
        let root = TempDir::new();
        std::fs::copy(&binary, root.path().join("codika")).unwrap();
        let jail = Jail { root };
        let probe = jail.command(&["--version"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&probe.stderr);
        if !probe.status.success() && stderr.contains("Operation not permitted") {
            skip(&format!("chroot is not permitted here ({})", stderr.trim()));
            return None;
        }
        Some(jail)
    }

    /// The target triple of the binary, from its path
    /// (`target/TRIPLE/release/codika`).
    pub fn target() -> String {
        let binary = PathBuf::from(std::env::var_os("CODIKA_STATIC_BIN").unwrap());
        let triple = binary.iter().rev().nth(2).unwrap();
        triple.to_string_lossy().into_owned()
    }

    /// The binary as the host sees it (what /proc/PID/maps names).
    pub fn binary(&self) -> PathBuf {
        self.root.path().join("codika")
    }

    /// Writes `contents` at `path` inside the jail (an absolute path there).
    pub fn write(&self, path: &str, contents: &str) {
        let inside = self.root.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
        std::fs::write(inside, contents).unwrap();
    }

    /// Copies the host's `path` to the same path inside the jail, following
    /// links; false when the host has no such file.
    pub fn copy_from_host(&self, path: &str) -> bool {
        let Ok(bytes) = std::fs::read(path) else {
            return false;
        };
        let inside = self.root.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
        std::fs::write(inside, bytes).unwrap();
        true
    }

    /// `chroot ROOT /codika ARGS` with an empty environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(chroot());
        command
            .arg(self.root.path())
            .arg("/codika")
            .args(args)
            .env_clear()
            .current_dir("/");
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// [`Jail::run`] with these variables set.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        checked(command.output().unwrap())
    }

    /// [`Jail::run`], telling `watch` the process id as soon as it runs
    /// (chroot execs the binary: the id stays the same).
    pub fn run_watched(&self, args: &[&str], watch: &Mappings) -> Run {
        // Not the id of the previous run's process, gone by now.
        watch.pid.store(0, Ordering::SeqCst);
        let child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        watch.pid.store(child.id(), Ordering::SeqCst);
        checked(child.wait_with_output().unwrap())
    }

    /// What the jail holds at its top (sorted).
    pub fn entries(&self) -> Vec<String> {
        let mut entries: Vec<String> = std::fs::read_dir(self.root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        entries.sort();
        entries
    }
}

/// The run of `output`, checked for panics and for secrets printed.
fn checked(output: std::process::Output) -> Run {
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "panic in the jail: {}",
        run.stderr
    );
    for secret in [OWNER, "sk-jailed-secret"] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} printed:\n{}{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

fn chroot() -> &'static Path {
    ["/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .expect("the chroot command (coreutils)")
}

/// The files mapped into one process, read from /proc/PID/maps each time
/// [`Mappings::record`] is called (a shared object, once loaded, stays).
#[derive(Clone, Default)]
pub struct Mappings {
    pid: Arc<AtomicU32>,
    files: Arc<Mutex<Vec<String>>>,
    readings: Arc<AtomicU32>,
}

impl Mappings {
    /// Reads the process's mapped files now (waiting a little for its id);
    /// [`Mappings::assert_only`] fails when nothing was ever read.
    pub fn record(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let pid = loop {
            match self.pid.load(Ordering::SeqCst) {
                0 if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                0 => return,
                pid => break pid,
            }
        };
        // A process already gone has nothing to read: not a reading, and
        // the doorway or name server goes on serving.
        let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
            return;
        };
        let mut files = self.files.lock().unwrap();
        for path in maps
            .lines()
            .filter_map(|line| line.split_whitespace().nth(5))
        {
            if !path.starts_with('[') && !files.iter().any(|f| f == path) {
                files.push(path.to_string());
            }
        }
        self.readings.fetch_add(1, Ordering::SeqCst);
    }

    /// How many times the mappings were read.
    pub fn readings(&self) -> u32 {
        self.readings.load(Ordering::SeqCst)
    }

    /// Every file seen mapped, in the order first seen.
    pub fn files(&self) -> Vec<String> {
        self.files.lock().unwrap().clone()
    }

    /// Asserts that the mappings were read at least once and that the only
    /// file ever mapped was `binary`: no shared object, no loader.
    pub fn assert_only(&self, binary: &Path) {
        assert!(self.readings() > 0, "the mappings were never read");
        let binary = binary.to_string_lossy();
        let files = self.files();
        assert!(
            files.iter().all(|f| *f == binary),
            "files mapped besides {binary}: {files:?}"
        );
    }
}

/// A reverse proxy in front of the emulator, standing for a host name: it
/// records `watch` when a connection comes in (the name is resolved by
/// then), then relays requests to `to` with the Host header the emulator
/// accepts (as a reverse proxy sets it), and the answers back.
pub struct Doorway {
    pub address: SocketAddr,
}

impl Doorway {
    pub fn start(listen: &str, to: SocketAddr, watch: &Mappings) -> Doorway {
        let listener = TcpListener::bind(listen).unwrap();
        let address = listener.local_addr().unwrap();
        let watch = watch.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                watch.record();
                let Ok(server) = TcpStream::connect(to) else {
                    continue;
                };
                let (mut answers, mut back) =
                    (server.try_clone().unwrap(), client.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut answers, &mut back);
                    let _ = back.shutdown(std::net::Shutdown::Write);
                });
                std::thread::spawn(move || requests(client, server, &to.to_string()));
            }
        });
        Doorway { address }
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }
}

/// Relays each request of `client` (head, then its Content-Length body) to
/// `server` with `Host: host`.
fn requests(client: TcpStream, mut server: TcpStream, host: &str) {
    let mut reader = BufReader::new(client);
    loop {
        let mut head = Vec::new();
        let mut length = 0u64;
        loop {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                let _ = server.shutdown(std::net::Shutdown::Write);
                return;
            }
            let text = String::from_utf8_lossy(&line).to_ascii_lowercase();
            if text.starts_with("host:") {
                line = format!("Host: {host}\r\n").into_bytes();
            } else if let Some(value) = text.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.extend_from_slice(&line);
            if line == b"\r\n" {
                break;
            }
        }
        if server.write_all(&head).is_err()
            || std::io::copy(&mut (&mut reader).take(length), &mut server).is_err()
        {
            return;
        }
    }
}

/// A DNS server on UDP port 53 of a loopback address of its own (musl reads
/// no port from resolv.conf). It answers an A query for `name` with
/// 127.0.0.1, an AAAA query for it with no address, any other name with
/// NXDOMAIN, and records `watch` at each query.
pub struct NameServer {
    pub ip: std::net::Ipv4Addr,
    queries: Arc<Mutex<Vec<String>>>,
}

impl NameServer {
    pub fn start(name: &str, watch: &Mappings) -> NameServer {
        // A 127.x.y.z address of this process alone, so that the tests of
        // several checkouts can run at once.
        let pid = std::process::id();
        let mut found = None;
        for n in 0..64u32 {
            let ip = std::net::Ipv4Addr::new(127, 53, (pid % 250) as u8 + 1, (n * 3 + 7) as u8);
            if let Ok(socket) = UdpSocket::bind((ip, 53)) {
                found = Some((ip, socket));
                break;
            }
        }
        let (ip, socket) = found.expect("a free loopback address for port 53");
        let queries = Arc::new(Mutex::new(Vec::new()));
        let (seen, name, watch) = (queries.clone(), name.to_ascii_lowercase(), watch.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let Some((qname, qtype, end)) = question(&buf[..n]) else {
                    continue;
                };
                watch.record();
                seen.lock().unwrap().push(format!("{qname} {qtype}"));
                let answer = answer(&buf[..end], qname == name, qtype);
                let _ = socket.send_to(&answer, from);
            }
        });
        NameServer { ip, queries }
    }

    /// The questions asked, as `NAME TYPE` (1: A, 28: AAAA).
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }
}

/// The name, type and end of the one question of a query.
fn question(packet: &[u8]) -> Option<(String, u16, usize)> {
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = *packet.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(packet.get(at..at + len)?).to_ascii_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]);
    Some((labels.join("."), qtype, at + 4))
}

/// The response to `query` (header and question): 127.0.0.1 for an A
/// question about the known name, nothing for its other types, NXDOMAIN
/// for other names.
fn answer(query: &[u8], known: bool, qtype: u16) -> Vec<u8> {
    let mut out = query.to_vec();
    let rcode = if known { 0 } else { 3 };
    out[2] = 0x81 | (query[2] & 0x01); // response, recursion desired as asked
    out[3] = 0x80 | rcode; // recursion available
    let with_address = known && qtype == 1;
    out[4..12].copy_from_slice(&[0, 1, 0, u8::from(with_address), 0, 0, 0, 0]);
    if with_address {
        // The name by pointer to the question, A, IN, TTL 60, 4 bytes.
        out.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
    }
    out
}

/// The machine (e_machine) and program header types of an ELF file.
pub fn elf_headers(path: &Path) -> (u16, Vec<u32>) {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF", "{} is not ELF", path.display());
    assert_eq!(bytes[4], 2, "64-bit ELF");
    assert_eq!(bytes[5], 1, "little-endian ELF");
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let (phoff, phentsize, phnum) = (u64_at(32) as usize, u16_at(54) as usize, u16_at(56));
    let types = (0..phnum as usize)
        .map(|i| u32_at(phoff + i * phentsize))
        .collect();
    (u16_at(18), types)
}

/// PT_DYNAMIC and PT_INTERP: a binary with either asks for a loader or
/// shared objects.
pub const PT_DYNAMIC: u32 = 2;
pub const PT_INTERP: u32 = 3;

/// Whether `needle` occurs in the file at `path`.
pub fn file_contains(path: &Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle)
}
