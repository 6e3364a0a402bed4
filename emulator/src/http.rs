/*!
A small HTTP/1.1 server: one thread per connection, keep-alive, bounded
request heads and bodies; over TLS (rustls) when it is given a certificate.

Why not `tiny_http`: when a handler answers without reading a body, its
reader drains the rest on drop by allocating a buffer of the announced
`Content-Length`, so one request claiming a huge length aborts the whole
process. The platform must answer 413 to such a body without reading it, and a
malformed request must never take the server down; both are easier to
guarantee in the ~300 lines below than around that crate.
*/

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rustls::ServerConfig;

/// Bodies larger than this are refused with 413 (protocol §3).
pub const MAX_BODY: usize = 1024 * 1024;
/// Request line plus headers.
const MAX_HEAD: usize = 16 * 1024;
/// How long a connection may wait for a whole request head, the first or the
/// next on keep-alive: a silent or slow client cannot hold a slot longer.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Tells keep-alive clients when we close an idle connection.
const KEEP_ALIVE: &str = "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n";
/// How long a request's body may take after its head, and a write.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Beyond this many open connections, the one idle for the longest is closed
/// (or, when all are busy, the new one is answered 503).
const MAX_CONNECTIONS: usize = 256;
/// After refusing a body, how much of it we read and throw away so that the
/// client sees our answer rather than a connection reset.
const LINGER_BYTES: u64 = 8 * 1024 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(2);

pub struct Request {
    pub method: String,
    /// The path, percent-encoded as received, without the query.
    pub path: String,
    /// The raw query string (after `?`), possibly empty.
    pub query: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub peer: SocketAddr,
    /// The address the client connected to (ours).
    pub local: SocketAddr,
}

impl Request {
    #[cfg(feature = "fuzzing")]
    /// A request read by the fuzz target (`fuzzing`), as `exchange` builds one.
    pub(crate) fn new(
        head: Head,
        path: String,
        query: String,
        body: Vec<u8>,
        address: SocketAddr,
    ) -> Request {
        Request {
            method: head.method,
            path,
            query,
            headers: head.headers,
            body,
            peer: address,
            local: address,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn json(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }
}

/// What the transport itself refuses, before any handler sees the request.
/// The handler turns these into the platform's error bodies.
pub enum Refusal {
    /// The request line or headers do not parse (400).
    Malformed(&'static str),
    /// The body is over [`MAX_BODY`] (413).
    TooLarge,
    /// Every connection slot is busy serving a request (503).
    Busy,
}

/// Counters for the test-only stats route: how many connections were accepted
/// and how many requests were answered; and, counted by the API, how many
/// asked for a change (a create or a confirmed delete, whatever the answer).
#[derive(Default)]
pub struct Stats {
    pub connections: AtomicU64,
    pub requests: AtomicU64,
    pub changes: AtomicU64,
    /// Requests being answered now, and the most there have been at once:
    /// whether a client's requests overlapped.
    pub in_flight: AtomicU64,
    pub peak_in_flight: AtomicU64,
    /// API requests by path (test routes left out).
    pub paths: std::sync::Mutex<std::collections::BTreeMap<String, u64>>,
}

impl Stats {
    pub fn count_path(&self, path: &str) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        *paths.entry(path.to_string()).or_default() += 1;
    }
}

pub trait Handler: Send + Sync + 'static {
    fn handle(&self, request: &Request) -> Response;
    fn refuse(&self, refusal: Refusal) -> Response;
    /// One line per answered request, for the operator. Must never include
    /// bodies or headers: they carry secrets and API keys.
    fn log(&self, method: &str, path: &str, status: u16, elapsed: Duration);
}

/// Accepts connections forever, serving each on its own thread (over TLS
/// when `tls` is given).
pub fn serve(
    listener: TcpListener,
    handler: Arc<dyn Handler>,
    stats: Arc<Stats>,
    tls: Option<Arc<ServerConfig>>,
) {
    let table = Arc::new(Table::default());
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // EMFILE and friends: back off instead of spinning.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        stats.connections.fetch_add(1, Ordering::Relaxed);
        let stream = Arc::new(stream);
        let Some(slot) = Slot::take(&table, &stream) else {
            // Over TLS the 503 would need a handshake first: a plain close
            // says the same to a TLS client.
            if tls.is_none() {
                refuse_busy(&stream, &*handler);
            }
            continue;
        };
        let (handler, stats, tls) = (handler.clone(), stats.clone(), tls.clone());
        // If the thread cannot start, the closure is dropped with its slot.
        let _ = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let conn = Rc::new(Conn::new(stream.clone(), tls)?);
                    serve_connection(&conn, &slot, &*handler, &stats)
                }));
            });
    }
}

/// Every busy connection holds its slot: answers 503 at once rather than
/// queueing the client behind them.
fn refuse_busy(stream: &TcpStream, handler: &dyn Handler) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut response = handler.refuse(Refusal::Busy);
    response.headers.push(("Retry-After", "1".into()));
    let _ = write_response(&mut &*stream, &response, true);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The open connections, and which of them wait for a request head.
#[derive(Default)]
struct Table(Mutex<Connections>);

#[derive(Default)]
struct Connections {
    next_id: u64,
    open: HashMap<u64, Open>,
}

struct Open {
    stream: Arc<TcpStream>,
    /// Since when it waits for a request head; `None` while it is served.
    idle_since: Option<Instant>,
}

impl Table {
    fn lock(&self) -> MutexGuard<'_, Connections> {
        // The table is a plain map, consistent between any two statements.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One of [`MAX_CONNECTIONS`] places; given back on drop, even by a panic.
struct Slot {
    table: Arc<Table>,
    id: u64,
}

impl Slot {
    /// A place for `stream`. When all are taken, the connection idle for the
    /// longest is closed to make room: silent clients cannot lock others out.
    /// `None` when every connection is busy.
    fn take(table: &Arc<Table>, stream: &Arc<TcpStream>) -> Option<Slot> {
        let mut connections = table.lock();
        if connections.open.len() >= MAX_CONNECTIONS {
            let oldest = connections
                .open
                .iter()
                .filter_map(|(id, open)| open.idle_since.map(|since| (since, *id)))
                .min()?;
            if let Some(evicted) = connections.open.remove(&oldest.1) {
                // Its thread sees the end of the stream and finishes.
                let _ = evicted.stream.shutdown(std::net::Shutdown::Both);
            }
        }
        let id = connections.next_id;
        connections.next_id += 1;
        let open = Open {
            stream: stream.clone(),
            idle_since: Some(Instant::now()),
        };
        connections.open.insert(id, open);
        Some(Slot {
            table: table.clone(),
            id,
        })
    }

    /// Waiting for a request head: may be closed to make room.
    fn idle(&self) {
        if let Some(open) = self.table.lock().open.get_mut(&self.id) {
            open.idle_since = Some(Instant::now());
        }
    }

    fn busy(&self) {
        if let Some(open) = self.table.lock().open.get_mut(&self.id) {
            open.idle_since = None;
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.table.lock().open.remove(&self.id);
    }
}

/// One connection as the exchange sees it: bytes in and out, in the clear
/// or through TLS. Reads fail once the current deadline has passed, however
/// slowly the bytes trickle in (a TLS handshake included). Only its own
/// thread uses it, hence `Rc` and `RefCell`.
struct Conn {
    stream: Arc<TcpStream>,
    deadline: Cell<Instant>,
    tls: Option<RefCell<rustls::ServerConnection>>,
}

impl Conn {
    fn new(stream: Arc<TcpStream>, tls: Option<Arc<ServerConfig>>) -> io::Result<Conn> {
        let tls = match tls {
            None => None,
            Some(config) => Some(RefCell::new(
                rustls::ServerConnection::new(config).map_err(io::Error::other)?,
            )),
        };
        Ok(Conn {
            stream,
            deadline: Cell::new(Instant::now() + HEAD_TIMEOUT),
            tls,
        })
    }

    /// The end of what we send: TLS says so first (close_notify), then the
    /// socket is shut for writing.
    fn close_write(&self) {
        if let Some(tls) = &self.tls {
            tls.borrow_mut().send_close_notify();
            let _ = (&*self).flush();
        }
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
    }
}

/// The socket under TLS (or alone), with the deadline applied to each read.
struct Sock<'a>(&'a Conn);

impl Read for Sock<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self
            .0
            .deadline
            .get()
            .saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.0.stream.set_read_timeout(Some(left))?;
        (&*self.0.stream).read(buf)
    }
}

impl Write for Sock<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.0.stream).flush()
    }
}

impl Read for &Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &self.tls {
            None => Sock(self).read(buf),
            Some(tls) => rustls::Stream::new(&mut *tls.borrow_mut(), &mut Sock(self)).read(buf),
        }
    }
}

impl Write for &Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &self.tls {
            None => Sock(self).write(buf),
            Some(tls) => rustls::Stream::new(&mut *tls.borrow_mut(), &mut Sock(self)).write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &self.tls {
            None => Sock(self).flush(),
            Some(tls) => rustls::Stream::new(&mut *tls.borrow_mut(), &mut Sock(self)).flush(),
        }
    }
}

/// What the buffered reader owns: the connection it reads from.
struct ConnReader(Rc<Conn>);

impl Read for ConnReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

type Reader = BufReader<ConnReader>;

/// Why a connection stops after the current exchange.
enum Next {
    KeepAlive,
    Close,
    /// A body was refused unread: say so, then drain a little before closing.
    Linger,
}

fn serve_connection(
    conn: &Rc<Conn>,
    slot: &Slot,
    handler: &dyn Handler,
    stats: &Stats,
) -> io::Result<()> {
    conn.stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    conn.stream.set_nodelay(true)?;
    let addresses = (conn.stream.peer_addr()?, conn.stream.local_addr()?);
    let mut reader = BufReader::new(ConnReader(conn.clone()));
    let mut writer: &Conn = conn;
    loop {
        slot.idle();
        conn.deadline.set(Instant::now() + HEAD_TIMEOUT);
        let head = match read_head(&mut reader)? {
            Some(head) => head,
            None => return Ok(()), // clean close, or idle too long
        };
        slot.busy();
        conn.deadline.set(Instant::now() + REQUEST_TIMEOUT);
        let started = Instant::now();
        let (response, method, path, next) = match head {
            Err(reason) => (
                handler.refuse(Refusal::Malformed(reason)),
                String::from("-"),
                String::from("-"),
                Next::Linger,
            ),
            Ok(head) => {
                let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                stats.peak_in_flight.fetch_max(now, Ordering::SeqCst);
                let answered = exchange(head, &mut reader, &mut writer, addresses, handler);
                stats.in_flight.fetch_sub(1, Ordering::SeqCst);
                answered?
            }
        };
        // Counted before the answer leaves, so a client that has its answer
        // always finds the request in the stats.
        stats.requests.fetch_add(1, Ordering::Relaxed);
        write_response(&mut writer, &response, !matches!(next, Next::KeepAlive))?;
        handler.log(&method, &path, response.status, started.elapsed());
        match next {
            Next::KeepAlive => continue,
            Next::Close => {
                conn.close_write();
                return Ok(());
            }
            Next::Linger => {
                conn.close_write();
                slot.idle();
                linger(&mut reader);
                return Ok(());
            }
        }
    }
}

/// Reads one request's body (unless it is refused) and runs the handler.
fn exchange(
    head: Head,
    reader: &mut Reader,
    writer: &mut &Conn,
    addresses: (SocketAddr, SocketAddr),
    handler: &dyn Handler,
) -> io::Result<(Response, String, String, Next)> {
    let keep_alive = head.keep_alive();
    let framing = match head.framing() {
        Ok(framing) => framing,
        Err(reason) => {
            let response = handler.refuse(Refusal::Malformed(reason));
            return Ok((response, head.method.clone(), head.path(), Next::Linger));
        }
    };
    if let Framing::Length(length) = framing
        && length > MAX_BODY as u64
    {
        let response = handler.refuse(Refusal::TooLarge);
        return Ok((response, head.method.clone(), head.path(), Next::Linger));
    }
    if head.expects_continue() && head.version == "HTTP/1.1" {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let body = match framing {
        Framing::Length(length) => {
            let mut body = vec![0; length as usize];
            reader.read_exact(&mut body)?;
            body
        }
        Framing::Chunked => match read_chunked(reader)? {
            Ok(body) => body,
            Err(refusal) => {
                let response = handler.refuse(refusal);
                return Ok((response, head.method.clone(), head.path(), Next::Linger));
            }
        },
    };
    let (path, query) = match head.target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (head.target.clone(), String::new()),
    };
    // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host, or any
    // request with several, is answered 400.
    let hosts = head
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("host"));
    let host_count = hosts.count();
    if host_count > 1 || (host_count == 0 && head.version == "HTTP/1.1") {
        let response = handler.refuse(Refusal::Malformed("a request needs one Host header"));
        return Ok((response, head.method.clone(), head.path(), Next::Linger));
    }
    let request = Request {
        method: head.method,
        path,
        query,
        headers: head.headers,
        body,
        peer: addresses.0,
        local: addresses.1,
    };
    let response = handler.handle(&request);
    let next = if keep_alive {
        Next::KeepAlive
    } else {
        Next::Close
    };
    Ok((response, request.method, request.path, next))
}

pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) version: String,
    pub(crate) headers: Vec<(String, String)>,
}

pub(crate) enum Framing {
    Length(u64),
    Chunked,
}

impl Head {
    /// The target without its query: what the log shows.
    pub(crate) fn path(&self) -> String {
        self.target.split('?').next().unwrap_or("").to_string()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.version == "HTTP/1.0" {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        }
    }

    pub(crate) fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    pub(crate) fn framing(&self) -> Result<Framing, &'static str> {
        let lengths: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.trim())
            .collect();
        let encodings: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
            .map(|(_, v)| v.trim())
            .collect();
        // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has
        // faulty framing, whatever else it says.
        if !encodings.is_empty() && self.version == "HTTP/1.0" {
            return Err("Transfer-Encoding in an HTTP/1.0 request");
        }
        let chunked = match encodings.as_slice() {
            [] => false,
            [only] if only.eq_ignore_ascii_case("chunked") => true,
            _ => return Err("unsupported Transfer-Encoding"),
        };
        match (lengths.as_slice(), chunked) {
            ([], false) => Ok(Framing::Length(0)),
            ([], true) => Ok(Framing::Chunked),
            (_, true) => Err("both Content-Length and Transfer-Encoding"),
            ([first, rest @ ..], false) => {
                if rest.iter().any(|other| other != first) {
                    return Err("conflicting Content-Length headers");
                }
                if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("invalid Content-Length");
                }
                // A length too long for u64 is certainly too large.
                Ok(Framing::Length(first.parse().unwrap_or(u64::MAX)))
            }
        }
    }
}

/// Reads a request line and headers. `Ok(None)`: the peer closed (or went
/// idle) before sending anything. `Ok(Some(Err(_)))`: a malformed head.
pub(crate) fn read_head(
    reader: &mut impl BufRead,
) -> io::Result<Option<Result<Head, &'static str>>> {
    let mut raw = Vec::new();
    loop {
        let before = raw.len();
        let read = match reader
            .by_ref()
            .take((MAX_HEAD + 1 - raw.len()) as u64)
            .read_until(b'\n', &mut raw)
        {
            Ok(read) => read,
            Err(e) if raw.is_empty() && is_idle_end(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        if read == 0 {
            return if raw.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        if raw.len() > MAX_HEAD {
            return Ok(Some(Err("request head too large")));
        }
        let line = &raw[before..];
        // Tolerate blank lines before a request line (RFC 9112 §2.2).
        if before == 0 && (line == b"\r\n" || line == b"\n") {
            raw.clear();
            continue;
        }
        if line == b"\r\n" || line == b"\n" {
            break;
        }
    }
    Ok(Some(parse_head(&raw)))
}

fn is_idle_end(e: &io::Error) -> bool {
    // UnexpectedEof: a TLS client gone without close_notify.
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::UnexpectedEof
    )
}

fn parse_head(raw: &[u8]) -> Result<Head, &'static str> {
    let text = std::str::from_utf8(raw).map_err(|_| "request head is not UTF-8")?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().ok_or("empty request")?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("malformed request line");
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("malformed method");
    }
    if !target.starts_with('/') {
        return Err("request target must be a path");
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err("unsupported HTTP version");
    }
    if request_line.bytes().any(|b| b.is_ascii_control()) {
        return Err("control character in the request line");
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or("malformed header line")?;
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err("malformed header name");
        }
        // RFC 9112 §2.2 and RFC 9110 §5.5: a bare CR, NUL or other control
        // byte in a field value is an attack on whoever parses it next.
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err("control character in a header value");
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
    })
}

/// `tchar` of RFC 9110 §5.6.2: what a header name is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Decodes a chunked body: `Ok(Err(_))` when it is malformed or grows past
/// [`MAX_BODY`].
pub(crate) fn read_chunked(reader: &mut impl BufRead) -> io::Result<Result<Vec<u8>, Refusal>> {
    let mut body = Vec::new();
    loop {
        let Some(size_line) = read_short_line(reader)? else {
            return Ok(Err(Refusal::Malformed("bad chunk framing")));
        };
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        if size_text.is_empty() || !size_text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Err(Refusal::Malformed("bad chunk size")));
        }
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return Ok(Err(Refusal::TooLarge));
        };
        if size == 0 {
            // Trailers, up to the blank line.
            loop {
                match read_short_line(reader)? {
                    None => return Ok(Err(Refusal::Malformed("bad chunk trailer"))),
                    Some(line) if line.is_empty() => return Ok(Ok(body)),
                    Some(_) => {}
                }
            }
        }
        if size > MAX_BODY - body.len() {
            return Ok(Err(Refusal::TooLarge));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if read_short_line(reader)?.is_none_or(|rest| !rest.is_empty()) {
            return Ok(Err(Refusal::Malformed("chunk data longer than its size")));
        }
    }
}

/// A line of at most 1 KiB without its line ending; `None` if longer, or if
/// it holds a bare CR or another control byte (chunk sizes and trailers).
fn read_short_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    reader.by_ref().take(1024).read_until(b'\n', &mut line)?;
    let Some(line) = line.strip_suffix(b"\n") else {
        return Ok(None);
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().any(|&b| b.is_ascii_control() && b != b'\t') {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(line).into_owned()))
}

/// Reads and discards what the client is still sending, bounded in bytes and
/// time, so that closing does not reset the connection under our answer.
fn linger(reader: &mut Reader) {
    reader
        .get_ref()
        .0
        .deadline
        .set(Instant::now() + LINGER_TIME);
    let mut sink = [0u8; 8192];
    let mut left = LINGER_BYTES;
    while left > 0 {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
}

fn write_response(writer: &mut impl Write, response: &Response, close: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        KEEP_ALIVE
    });
    let mut out = head.into_bytes();
    out.extend_from_slice(&response.body);
    writer.write_all(&out)?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// The connection counter a test reads to show how many TCP connections a
/// command opened.
pub fn snapshot(stats: &Stats) -> (u64, u64) {
    (
        stats.connections.load(Ordering::Relaxed),
        stats.requests.load(Ordering::Relaxed),
    )
}

#[cfg(test)]
mod tests {
    use super::{MAX_CONNECTIONS, Slot, Table};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;

    #[test]
    fn a_full_table_makes_room_from_the_longest_idle_or_refuses() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let stream = Arc::new(TcpStream::connect(listener.local_addr().unwrap()).unwrap());
        let table = Arc::new(Table::default());
        let slots: Vec<Slot> = (0..MAX_CONNECTIONS)
            .map(|_| Slot::take(&table, &stream).unwrap())
            .collect();
        slots.iter().for_each(Slot::busy);
        assert!(Slot::take(&table, &stream).is_none(), "all busy: 503");
        slots[7].idle();
        let newcomer = Slot::take(&table, &stream).unwrap();
        let open = &table.lock().open;
        assert_eq!(open.len(), MAX_CONNECTIONS);
        assert!(!open.contains_key(&slots[7].id) && open.contains_key(&newcomer.id));
    }
}
