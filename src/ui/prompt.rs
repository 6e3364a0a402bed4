/*!
Asking on the terminal for what must not be echoed (an API key for
`login`, secret fields for `set`), and whether asking is allowed at all:
only when stdin is a terminal, and never with `--no-input` or
`CODIKA_NO_INPUT`. Prompts go to the terminal itself (`/dev/tty`), never
stdout, so `--json` stays one document.

Echo is turned off with termios directly, not `stty`: the static binary
must work where there is no `/bin/sh`, and no value or label then passes
through a shell. While echo is off, SIGINT, SIGTERM, SIGHUP, SIGQUIT and
SIGTSTP are caught (not ignored), so the blocked read returns, the
terminal is put back as it was, and the caller reports a cancel; a Ctrl-C
can never leave the user's shell without echo.

A prompt takes one line and nothing more: whatever is still pending after
it (the rest of a pasted PEM key) is discarded (`tcflush`), never left for
the shell to run or keep in its history, and its presence refuses the
value, since a multi-line value cut to its first line would be stored
wrong. A line that fills the terminal's line buffer is refused too: the
terminal drops what does not fit, so it may have been cut.
*/

use zeroize::Zeroizing;

/// Whether a prompt may be shown, and if not, why not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Stdin is a terminal and nothing forbids asking.
    Terminal,
    /// Stdin is a pipe, a file or closed: nobody to ask.
    NotATerminal,
    /// Stdin is a terminal, but this (`--no-input`, `CODIKA_NO_INPUT=1`) forbids asking.
    Forbidden(&'static str),
}

/// What the run may do: `no_input` is the `--no-input` switch.
pub fn input(no_input: bool) -> Input {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        Input::NotATerminal
    } else if no_input {
        Input::Forbidden("--no-input")
    } else if no_input_from_env() {
        Input::Forbidden("CODIKA_NO_INPUT")
    } else {
        Input::Terminal
    }
}

/// `CODIKA_NO_INPUT` set to anything but empty, `0` or `false`.
fn no_input_from_env() -> bool {
    // Checked before the command ran (resolve's check_environment): text here.
    crate::env::text("CODIKA_NO_INPUT")
        .ok()
        .flatten()
        .is_some_and(|v| !(v == "0" || v.eq_ignore_ascii_case("false")))
}

#[derive(Debug)]
pub enum PromptError {
    /// `/dev/tty` cannot be opened.
    NoTerminal(std::io::Error),
    /// Echo cannot be turned off (not a terminal after all, or refused).
    NoEcho(std::io::Error),
    /// Interrupted (Ctrl-C, Ctrl-Z, a hang-up or a kill).
    Cancelled,
    /// What was typed is not UTF-8.
    NotUtf8,
    /// A line of [`MAX_LINE`] bytes or more: the terminal may have cut it.
    TooLong,
    /// More input was pending after the line: more than one line pasted.
    MoreThanOneLine,
    Io(std::io::Error),
}

/// The most a terminal keeps of a line in canonical mode (Linux: 4095
/// bytes, then only the line end; the BSDs and macOS keep less). A line
/// this long may have lost its end, so it is refused.
#[cfg(target_os = "linux")]
pub const MAX_LINE: usize = 4095;
#[cfg(not(target_os = "linux"))]
pub const MAX_LINE: usize = 1023;

/// One prompt: `label` shown, a line read without echo (its line ending
/// removed, nothing else).
pub fn hidden(label: &str) -> Result<Zeroizing<String>, PromptError> {
    Terminal::open()?.ask(label)
}

#[cfg(unix)]
pub use unix::Terminal;

#[cfg(unix)]
mod unix {
    use super::{MAX_LINE, PromptError};
    use std::fs::{File, OpenOptions};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    use zeroize::Zeroizing;

    const CAUGHT: [libc::c_int; 5] = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGTSTP,
    ];

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    extern "C" fn interrupted(_: libc::c_int) {
        // Async-signal-safe: one atomic store.
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// The terminal with echo off, for one or more prompts; dropped, it is
    /// put back as it was and the signals are handled as before.
    pub struct Terminal {
        tty: File,
        saved: libc::termios,
        /// The settings while asking: canonical lines, no echo.
        quiet: libc::termios,
        // Declared last: dropped after the terminal is restored.
        _signals: Signals,
    }

    impl Terminal {
        pub fn open() -> Result<Terminal, PromptError> {
            let tty = OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(libc::O_NOCTTY)
                .open("/dev/tty")
                .map_err(PromptError::NoTerminal)?;
            let fd = tty.as_raw_fd();
            // SAFETY: termios is plain data, filled in by tcgetattr.
            let mut saved: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: fd is open for the call; saved is a valid termios.
            if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
                return Err(PromptError::NoEcho(std::io::Error::last_os_error()));
            }
            // Caught before echo goes off, so no signal finds it off unhandled.
            let signals = Signals::catch();
            let mut quiet = saved;
            quiet.c_lflag &= !(libc::ECHO | libc::ECHOE | libc::ECHOK | libc::ECHONL);
            // Lines, and Ctrl-C as a signal, whatever mode we were left in.
            quiet.c_lflag |= libc::ICANON | libc::ISIG;
            // TCSANOW, not TCSAFLUSH: lines typed ahead for the next prompt stay.
            // SAFETY: as above.
            if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) } != 0 {
                return Err(PromptError::NoEcho(std::io::Error::last_os_error()));
            }
            Ok(Terminal {
                tty,
                saved,
                quiet,
                _signals: signals,
            })
        }

        /// Shows a line of our own (a heading) on the terminal.
        pub fn say(&mut self, line: &str) {
            let _ = writeln!(self.tty, "{line}");
        }

        pub fn ask(&mut self, label: &str) -> Result<Zeroizing<String>, PromptError> {
            let _ = write!(self.tty, "{label}");
            let _ = self.tty.flush();
            let line = self.read_line();
            // Whatever the outcome, nothing typed or pasted is left over.
            let more = self.discard_pending();
            // The Enter typed was not echoed either.
            let _ = writeln!(self.tty);
            let mut line = line?;
            if more {
                return Err(PromptError::MoreThanOneLine);
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let text =
                String::from_utf8(std::mem::take(&mut *line)).map_err(|_| PromptError::NotUtf8)?;
            Ok(Zeroizing::new(text))
        }

        /// Up to and with the line feed, or what there is at end of file.
        fn read_line(&mut self) -> Result<Zeroizing<Vec<u8>>, PromptError> {
            let fd = self.tty.as_raw_fd();
            let mut line = Zeroizing::new(Vec::with_capacity(MAX_LINE + 1));
            let mut byte = 0u8;
            loop {
                // A signal just before read() is seen at the next one: the
                // user presses Ctrl-C again. Rare, and never unsafe.
                if INTERRUPTED.load(Ordering::SeqCst) {
                    return Err(PromptError::Cancelled);
                }
                // Byte by byte: nothing past the line is taken from the
                // terminal, and no buffer of ours holds more than the line.
                // SAFETY: reads one byte into a live u8.
                let n = unsafe { libc::read(fd, (&raw mut byte).cast(), 1) };
                match n {
                    1 => {
                        if byte == b'\n' {
                            line.push(byte);
                            return Ok(line);
                        }
                        line.push(byte);
                        if line.len() >= MAX_LINE {
                            return Err(PromptError::TooLong);
                        }
                    }
                    0 => return Ok(line),
                    _ => {
                        let e = std::io::Error::last_os_error();
                        if e.kind() != std::io::ErrorKind::Interrupted {
                            return Err(PromptError::Io(e));
                        }
                    }
                }
            }
        }
    }

    impl Terminal {
        /// Whether anything but line ends was pending after the line read
        /// (a stray line end, from a terminal that sends CR LF for Enter, is
        /// no second line); all of it is then discarded. Out of canonical
        /// mode for a moment, so that a last pasted line without its line
        /// end is seen too; a paste may reach the terminal in more than one
        /// write, so each read waits a little for the next.
        fn discard_pending(&mut self) -> bool {
            const PASTE_GAP_MS: libc::c_int = 50;
            /// What is looked at (64 KiB); the rest is discarded unseen.
            const MAX_CHUNKS: usize = 64;
            let fd = self.tty.as_raw_fd();
            let mut raw = self.quiet;
            raw.c_lflag &= !libc::ICANON;
            raw.c_cc[libc::VMIN] = 0;
            raw.c_cc[libc::VTIME] = 0;
            let mut more = false;
            // SAFETY: fd is open; raw is a valid termios.
            if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw) } == 0 {
                let mut chunk = Zeroizing::new([0u8; 1024]);
                for _ in 0..MAX_CHUNKS {
                    let mut poll = libc::pollfd {
                        fd,
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: one valid pollfd.
                    if unsafe { libc::poll(&mut poll, 1, PASTE_GAP_MS) } <= 0 {
                        break;
                    }
                    // SAFETY: reads at most the chunk's length into it.
                    let n = unsafe { libc::read(fd, chunk.as_mut_ptr().cast(), chunk.len()) };
                    let Ok(n @ 1..) = usize::try_from(n) else {
                        break;
                    };
                    more |= chunk[..n].iter().any(|b| !matches!(b, b'\r' | b'\n'));
                }
            } else {
                // Lines only: a pending partial line goes unseen, not kept.
                let mut queued: libc::c_int = 0;
                // SAFETY: FIONREAD writes one c_int.
                let counted = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut queued) } == 0;
                more = counted && queued > 0;
            }
            // SAFETY: fd is open.
            unsafe { libc::tcflush(fd, libc::TCIFLUSH) };
            // SAFETY: as above; back to lines for the next prompt.
            unsafe { libc::tcsetattr(fd, libc::TCSANOW, &self.quiet) };
            more
        }
    }

    impl Drop for Terminal {
        fn drop(&mut self) {
            // SAFETY: puts back the settings tcgetattr gave for this fd.
            unsafe { libc::tcsetattr(self.tty.as_raw_fd(), libc::TCSANOW, &self.saved) };
        }
    }

    /// The handlers in place while echo is off, and the ones before them.
    struct Signals {
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    impl Signals {
        fn catch() -> Signals {
            INTERRUPTED.store(false, Ordering::SeqCst);
            let handler: extern "C" fn(libc::c_int) = interrupted;
            let mut previous = Vec::with_capacity(CAUGHT.len());
            for signal in CAUGHT {
                // SAFETY: sigaction is plain data; zeroed, then filled in.
                let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
                action.sa_sigaction = handler as libc::sighandler_t;
                // No SA_RESTART: the blocked read must return EINTR.
                action.sa_flags = 0;
                // SAFETY: valid pointers to live sigaction structs.
                unsafe {
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, &action, &mut old) == 0 {
                        previous.push((signal, old));
                    }
                }
            }
            Signals { previous }
        }
    }

    impl Drop for Signals {
        fn drop(&mut self) {
            for (signal, old) in &self.previous {
                // SAFETY: restores what sigaction returned for this signal.
                unsafe { libc::sigaction(*signal, old, std::ptr::null_mut()) };
            }
        }
    }
}

/// Elsewhere: one line of stdin, with whatever echo the console has.
#[cfg(not(unix))]
pub struct Terminal;

#[cfg(not(unix))]
impl Terminal {
    pub fn open() -> Result<Terminal, PromptError> {
        Ok(Terminal)
    }

    pub fn say(&mut self, line: &str) {
        crate::ui::streams::err_line(line);
    }

    pub fn ask(&mut self, label: &str) -> Result<Zeroizing<String>, PromptError> {
        use std::io::BufRead;
        crate::ui::streams::err(label);
        let mut line = Zeroizing::new(String::with_capacity(MAX_LINE));
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(PromptError::Io)?;
        if line.ends_with('\n') {
            line.pop();
        }
        if line.ends_with('\r') {
            line.pop();
        }
        Ok(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_input_forbids_asking_on_a_terminal() {
        // Stdin is whatever cargo test was given: no terminal, or one on
        // which --no-input forbids asking, naming the switch.
        match input(true) {
            Input::NotATerminal | Input::Forbidden("--no-input") => {}
            other => panic!("{other:?}"),
        }
    }
}
