//! Networks as operators have them, made on loopback: a throwaway CA with a
//! leaf for 127.0.0.1, 127.0.0.2 and localhost (the emulator serves HTTPS with it), and
//! a gateway that fails connections in scripted ways (closed before an
//! answer, reset, a cut TLS handshake, a 503, no answer at all) before it
//! lets requests through to the emulator.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::TempDir;

/// A CA made for one test, its leaf certificate for `127.0.0.1`,
/// `127.0.0.2` and `localhost`, and the leaf's key, as PEM files.
pub struct TestCa {
    pub dir: TempDir,
    /// The CA's certificate: what a client must trust.
    pub ca: PathBuf,
    pub ca_pem: String,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestCa {
    pub fn new() -> TestCa {
        use rcgen::{
            BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
            IsCa, KeyPair, KeyUsagePurpose,
        };
        // Each CA its own name: a client finding a namesake would report a
        // bad signature rather than an unknown issuer.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("codika test CA {} #{n} (throwaway)", std::process::id());
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();

        let leaf_key = KeyPair::generate().unwrap();
        let mut leaf = CertificateParams::new(vec![
            "127.0.0.1".into(),
            "127.0.0.2".into(),
            "localhost".into(),
        ])
        .unwrap();
        leaf.distinguished_name
            .push(DnType::CommonName, "codika-emulator");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf = leaf.signed_by(&leaf_key, &ca).unwrap();

        let dir = TempDir::new();
        let ca_pem = ca.pem();
        let ca_path = dir.write("ca.pem", &ca_pem);
        let cert = dir.write("leaf.pem", &leaf.pem());
        let key = dir.write("leaf.key", &leaf_key.serialize_pem());
        TestCa {
            dir,
            ca: ca_path,
            ca_pem,
            cert,
            key,
        }
    }

    /// Emulator options serving HTTPS with the leaf.
    pub fn options(&self) -> codika_emulator::Options {
        codika_emulator::Options {
            tls_cert: Some(self.cert.clone()),
            tls_key: Some(self.key.clone()),
            ..Default::default()
        }
    }

    /// ureq's TLS settings trusting this CA alone (for the test's own
    /// requests to the emulator).
    pub fn tls_config(&self) -> ureq::tls::TlsConfig {
        let cert = ureq::tls::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap();
        ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
            // ureq is built without a default provider (Cargo.toml).
            .unversioned_rustls_crypto_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .build()
    }
}

/// What the gateway does with one connection.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Reads the request, then closes without a byte of answer.
    Close,
    /// Reads the request, then resets the connection (RST).
    Reset,
    /// Reads the first bytes (a TLS ClientHello) and closes: a handshake cut.
    CutHandshake,
    /// Reads the request and answers this raw response.
    Answer(Vec<u8>),
    /// Reads the request and answers nothing for this long.
    Hang(Duration),
}

/// How a connection past the faults reaches the emulator.
#[derive(Clone, Copy)]
pub enum Pass {
    /// One request, forwarded with `Host` naming the emulator and
    /// `Connection: close`, so that every request is a connection of its
    /// own and meets the script.
    Http(SocketAddr),
    /// Bytes both ways (TLS goes through untouched).
    Tcp(SocketAddr),
}

/// A gateway that meets connection n with `faults[n]`, and once they are
/// used up lets every connection through.
pub struct FaultyGateway {
    pub base: String,
    /// What each connection got, in order: `close`, `pass`, `answer 503`...
    log: Arc<Mutex<Vec<String>>>,
}

impl FaultyGateway {
    pub fn start(faults: Vec<Fault>, pass: Pass) -> FaultyGateway {
        FaultyGateway::start_script(faults.into_iter().map(Some).collect(), pass)
    }

    /// Connection n meets `script[n]`: a fault, or `None` to pass.
    pub fn start_script(script: Vec<Option<Fault>>, pass: Pass) -> FaultyGateway {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        FaultyGateway::serve(listener, script, pass, "http")
    }

    /// Listening on `address` (e.g. the port an emulator on 127.0.0.2 has,
    /// so a TLS client's `Host` names it), `scheme` for the base URL.
    pub fn start_on(
        address: SocketAddr,
        faults: Vec<Fault>,
        pass: Pass,
        scheme: &str,
    ) -> Option<FaultyGateway> {
        let listener = TcpListener::bind(address).ok()?;
        let script = faults.into_iter().map(Some).collect();
        Some(FaultyGateway::serve(listener, script, pass, scheme))
    }

    /// Nothing listens on the port for `delay` (connections are refused),
    /// then every connection passes.
    pub fn start_late(delay: Duration, pass: Pass) -> FaultyGateway {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
            run(listener, Vec::new(), pass, seen);
        });
        FaultyGateway {
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    fn serve(
        listener: TcpListener,
        script: Vec<Option<Fault>>,
        pass: Pass,
        scheme: &str,
    ) -> FaultyGateway {
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        std::thread::spawn(move || run(listener, script, pass, seen));
        FaultyGateway { base, log }
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

/// One connection after another (the CLI sends one request at a time).
fn run(
    listener: TcpListener,
    script: Vec<Option<Fault>>,
    pass: Pass,
    log: Arc<Mutex<Vec<String>>>,
) {
    for (n, stream) in listener.incoming().enumerate() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let what = match script.get(n).and_then(Option::as_ref) {
            Some(fault) => {
                let what = match fault {
                    Fault::Close => "close".to_string(),
                    Fault::Reset => "reset".to_string(),
                    Fault::CutHandshake => "cut".to_string(),
                    Fault::Answer(raw) => {
                        let status = String::from_utf8_lossy(raw);
                        let code = status.split(' ').nth(1).unwrap_or("?").to_string();
                        format!("answer {code}")
                    }
                    Fault::Hang(_) => "hang".to_string(),
                };
                // Logged before acting, so a client that has seen the
                // outcome always finds it in the log.
                log.lock().unwrap().push(what);
                apply(&mut stream, fault);
                continue;
            }
            None => "pass".to_string(),
        };
        log.lock().unwrap().push(what);
        match pass {
            Pass::Http(upstream) => forward(&mut stream, upstream),
            // A kept-alive connection must not hold up the next one.
            Pass::Tcp(upstream) => {
                std::thread::spawn(move || pipe(stream, upstream));
            }
        }
    }
}

fn apply(stream: &mut TcpStream, fault: &Fault) {
    match fault {
        Fault::CutHandshake => {
            let _ = stream.read(&mut [0u8; 16 * 1024]);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            linger(stream);
        }
        Fault::Close => {
            let _ = read_request(stream);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            linger(stream);
        }
        Fault::Reset => {
            let _ = read_request(stream);
            reset(stream);
        }
        Fault::Answer(raw) => {
            let _ = read_request(stream);
            let _ = stream.write_all(raw);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            linger(stream);
        }
        Fault::Hang(time) => {
            let _ = read_request(stream);
            std::thread::sleep(*time);
        }
    }
}

/// Closes with SO_LINGER 0: the peer gets a reset, not an end of stream.
fn reset(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    let set = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(set, 0, "SO_LINGER");
}

/// Waits (bounded) for the client to close, so our close is not a reset.
fn linger(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.read_to_end(&mut Vec::new());
}

/// The request head (up to the blank line) and its `Content-Length` body.
fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? != 1 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// One request to `upstream` and its answer back, then both closed.
fn forward(client: &mut TcpStream, upstream: SocketAddr) {
    let Some((head, body)) = read_request(client) else {
        return;
    };
    let mut lines: Vec<String> = head
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let name = l.split(':').next().unwrap_or("").to_ascii_lowercase();
            name != "host" && name != "connection"
        })
        .map(String::from)
        .collect();
    lines.insert(1, format!("Host: {upstream}"));
    lines.push("Connection: close".into());
    let mut out = (lines.join("\r\n") + "\r\n\r\n").into_bytes();
    out.extend_from_slice(&body);
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let _ = server.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = server.write_all(&out);
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let _ = client.write_all(&answer);
    let _ = client.shutdown(std::net::Shutdown::Write);
    linger(client);
}

/// Bytes both ways until either side closes.
fn pipe(client: TcpStream, upstream: SocketAddr) {
    let Ok(server) = TcpStream::connect(upstream) else {
        return;
    };
    let (mut client_in, mut server_out) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_in, &mut server_out);
        let _ = server_out.shutdown(std::net::Shutdown::Write);
    });
    let (mut server_in, mut client_out) = (server, client);
    let _ = std::io::copy(&mut server_in, &mut client_out);
    let _ = client_out.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

/// A raw response: status line, `Connection: close`, extra header lines,
/// a short text body.
pub fn raw_response(status_line: &str, headers: &[&str]) -> Vec<u8> {
    let body = "<html>gateway</html>";
    let mut text = format!(
        "{status_line}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}
