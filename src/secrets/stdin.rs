/*!
Standard input as a source of secrets (`--secrets-file -`, `--secret
KEY=-`): read whole, at most once per run, never past a size limit, into
one buffer allocated up front so that no copy of the value is left behind
in memory when it is wiped. Callers check that only one option wants it
before anything is read; the flag here makes a second read an error, not
an empty value.
*/

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use zeroize::Zeroizing;

/// The same cap as a secrets file: far more than any credential needs.
pub const MAX_STDIN: usize = 1 << 20;

static TAKEN: AtomicBool = AtomicBool::new(false);

#[derive(Debug)]
pub enum StdinError {
    /// Already read by another option of this run.
    Taken,
    /// More than this many bytes.
    TooLarge(usize),
    Io(std::io::Error),
}

impl std::fmt::Display for StdinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StdinError::Taken => f.write_str("it was already read by another option"),
            StdinError::TooLarge(limit) if limit.is_multiple_of(1 << 20) => {
                write!(f, "it holds more than {} MiB", limit >> 20)
            }
            StdinError::TooLarge(limit) => write!(f, "it holds more than {} KiB", limit >> 10),
            StdinError::Io(e) => e.fmt(f),
        }
    }
}

/// All of stdin, up to end of file, at most `limit` bytes.
pub fn read_all(limit: usize) -> Result<Zeroizing<Vec<u8>>, StdinError> {
    if TAKEN.swap(true, Ordering::SeqCst) {
        return Err(StdinError::Taken);
    }
    // Zeroed pages from the allocator are only touched as they fill.
    let mut buffer = Zeroizing::new(vec![0u8; limit + 1]);
    let mut filled = 0;
    let mut stdin = std::io::stdin().lock();
    while filled < buffer.len() {
        match stdin.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(StdinError::Io(e)),
        }
    }
    if filled > limit {
        return Err(StdinError::TooLarge(limit));
    }
    buffer.truncate(filled);
    Ok(buffer)
}

/// What `echo` adds: one trailing `\n` or `\r\n`, and nothing else.
pub fn strip_one_newline(text: &mut String) {
    if text.ends_with("\r\n") {
        text.truncate(text.len() - 2);
    } else if text.ends_with('\n') {
        text.truncate(text.len() - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::strip_one_newline;

    #[test]
    fn exactly_one_newline_goes() {
        for (input, kept) in [
            ("v\n", "v"),
            ("v\r\n", "v"),
            ("v\n\n", "v\n"),
            ("a\nb\n", "a\nb"),
            ("v", "v"),
            (" v \r", " v \r"),
            ("\n", ""),
        ] {
            let mut text = input.to_string();
            strip_one_newline(&mut text);
            assert_eq!(text, kept, "{input:?}");
        }
    }
}
