//! A test that cannot run here (no root, no node, no static binary) skips
//! with `skip(reason)` and returns: it counts as passed for cargo, so the
//! skip is printed and appended to the file CODIKA_SKIP_LOG names, one line
//! a test. `make test` sets it, subtracts those lines from the passed count
//! and lists them; in CI (CI=true) any line there fails the run. Shared by
//! the CLI's and the emulator's tests.

use std::io::Write;
use std::path::Path;

/// Says that the calling test skips and why: `skipped: TEST: REASON` on
/// stderr and, when CODIKA_SKIP_LOG is set, `TEST: REASON` appended there.
pub fn skip(reason: &str) {
    let test = this_test();
    eprintln!("skipped: {test}: {reason}");
    if let Some(log) = std::env::var_os("CODIKA_SKIP_LOG") {
        log_skip(Path::new(&log), &test, reason);
    }
}

/// The running test as `BINARY::TEST` (libtest names each test's thread).
pub fn this_test() -> String {
    let thread = std::thread::current();
    format!(
        "{}::{}",
        env!("CARGO_CRATE_NAME"),
        thread.name().unwrap_or("?")
    )
}

/// Appends `TEST: REASON` to `log`, in one write (tests skip in parallel).
/// Panics when it cannot: a skip nobody counts would pass for a test run.
pub fn log_skip(log: &Path, test: &str, reason: &str) {
    let line = format!("{test}: {}\n", reason.replace('\n', " "));
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut file| file.write_all(line.as_bytes()))
        .unwrap_or_else(|e| panic!("record the skip in {}: {e}", log.display()));
}
