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
    // Checked before the command ran (env::check): text here.
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
    /// A line longer than [`MAX_LINE`].
    TooLong,
    Io(std::io::Error),
}

/// A terminal keeps at most 4095 characters of a line; more than this was
/// pasted into something else.
pub const MAX_LINE: usize = 8 << 10;

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
            // The Enter typed was not echoed either.
            let _ = writeln!(self.tty);
            let mut line = line?;
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
                        if line.len() == MAX_LINE {
                            return Err(PromptError::TooLong);
                        }
                        line.push(byte);
                        if byte == b'\n' {
                            return Ok(line);
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
        eprintln!("{line}");
    }

    pub fn ask(&mut self, label: &str) -> Result<Zeroizing<String>, PromptError> {
        use std::io::BufRead;
        eprint!("{label}");
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
