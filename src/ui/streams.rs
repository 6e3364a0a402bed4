/*!
The one owner of stdout and stderr: every byte the CLI prints passes
through [`out`] or [`err`], nowhere else (a unit test below checks the
sources). Each write is flushed and its result kept, so a failure is never
lost in a buffer or ignored at a call site. A closed pipe (`codika ... |
head`) stops that stream quietly, as a pipeline expects; any other failure
(a full disk, `>/dev/full`, an I/O error) stops it too and is remembered,
and [`finish`] turns it into exit 1 with one line on stderr, when stderr
can still take it. Nothing here panics, unlike `print!` on a failed write.

On Unix the bytes go to file descriptors 1 and 2 directly, past the
standard library's buffer (nothing else writes there): a descriptor left
non-blocking by a parent (`EAGAIN` on a full pipe) is waited on until it
takes the rest, never a lost line or a repeated one. A descriptor closed
at start (`>&-`) is a failed write too, as it is for `ls`: the Rust
runtime opens /dev/null in its place, so `main` notes it first
([`note_closed_at_start`]).
*/

use std::io::{ErrorKind, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

/// Bit 1: stdout was closed when the process started; bit 2: stderr.
static CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Notes which of stdout and stderr are closed. Run before the Rust runtime
/// starts (from an `.init_array` entry of the binary): after that, a closed
/// one is /dev/null and cannot be told from `>/dev/null`.
pub fn note_closed_at_start() {
    #[cfg(unix)]
    for stream in [Stream::Stdout, Stream::Stderr] {
        // SAFETY: F_GETFD reads the descriptor's flags and nothing else.
        if unsafe { libc::fcntl(stream.fd(), libc::F_GETFD) } == -1 {
            CLOSED_AT_START.fetch_or(stream.bit(), Ordering::Relaxed);
        }
    }
}

/// What became of a stream.
enum State {
    Open,
    /// The reader went away (EPIPE): nothing more is written, nothing said.
    Closed,
    /// A write failed otherwise: nothing more is written; said at the end.
    Failed(std::io::Error),
}

static STDOUT: Mutex<State> = Mutex::new(State::Open);
static STDERR: Mutex<State> = Mutex::new(State::Open);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn state(self) -> &'static Mutex<State> {
        match self {
            Stream::Stdout => &STDOUT,
            Stream::Stderr => &STDERR,
        }
    }

    fn fd(self) -> i32 {
        match self {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        }
    }

    fn bit(self) -> u8 {
        match self {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        }
    }

    fn closed_at_start(self) -> bool {
        CLOSED_AT_START.load(Ordering::Relaxed) & self.bit() != 0
    }

    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }

    pub fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// `text` on stdout, written through.
pub fn out(text: &str) {
    write(Stream::Stdout, text.as_bytes());
}

/// `text` on stderr (unbuffered).
pub fn err(text: &str) {
    write(Stream::Stderr, text.as_bytes());
}

/// A line on stderr.
pub fn err_line(line: &str) {
    err(&format!("{line}\n"));
}

fn write(stream: Stream, bytes: &[u8]) {
    let mut state = stream.state().lock().unwrap_or_else(|e| e.into_inner());
    if !matches!(*state, State::Open) {
        return;
    }
    if stream.closed_at_start() {
        #[cfg(unix)]
        let closed = std::io::Error::from_raw_os_error(libc::EBADF);
        #[cfg(not(unix))]
        let closed = std::io::Error::from(ErrorKind::NotConnected);
        *state = State::Failed(closed);
        return;
    }
    if let Err(error) = write_all(stream, bytes) {
        *state = match error.kind() {
            ErrorKind::BrokenPipe => State::Closed,
            _ => State::Failed(error),
        };
    }
}

#[cfg(unix)]
fn write_all(stream: Stream, mut bytes: &[u8]) -> std::io::Result<()> {
    use std::os::fd::FromRawFd;
    let fd = stream.fd();
    // SAFETY: 1 and 2 are the process's own descriptors; ManuallyDrop never
    // closes them. Whatever they are (or not), write(2) says.
    let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    while !bytes.is_empty() {
        match file.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                let mut poll = libc::pollfd {
                    fd,
                    events: libc::POLLOUT,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; waits until the reader drains.
                unsafe { libc::poll(&mut poll, 1, -1) };
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn write_all(stream: Stream, bytes: &[u8]) -> std::io::Result<()> {
    match stream {
        Stream::Stdout => {
            let mut handle = std::io::stdout().lock();
            handle.write_all(bytes).and_then(|()| handle.flush())
        }
        Stream::Stderr => std::io::stderr().lock().write_all(bytes),
    }
}

/// The exit code of a run that would end with `code`: a write that failed
/// (other than a closed pipe) makes a success exit 1, said on stderr when
/// stderr can take it. A failure keeps its own code: it already says the
/// run did not succeed, and which way.
pub fn finish(code: u8) -> u8 {
    let failed = [Stream::Stdout, Stream::Stderr].into_iter().find_map(|s| {
        let state = s.state().lock().unwrap_or_else(|e| e.into_inner());
        match &*state {
            State::Failed(error) => Some(format!(
                "error: cannot write to {}: {error}; the output of this run is incomplete",
                s.name()
            )),
            _ => None,
        }
    });
    match failed {
        Some(line) => {
            err_line(&line);
            code.max(1)
        }
        None => code,
    }
}

#[cfg(test)]
mod tests {
    /// The one-owner rule, checked: no other source file of the CLI takes
    /// stdout or stderr itself or prints with a macro (which would panic on
    /// a failed write, and whose failure nobody would see).
    #[test]
    fn nothing_else_writes_to_stdout_or_stderr() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs")
                    || path.ends_with("streams.rs")
                    || path.ends_with("tests.rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Test modules sit at the end of a file; only the code before counts.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for needle in [
                    "io::stdout()",
                    "io::stderr()",
                    "println!",
                    "print!(",
                    "eprint",
                ] {
                    if code.contains(needle) {
                        offenders.push(format!("{}: {needle}", path.display()));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "{offenders:#?}");
    }
}
