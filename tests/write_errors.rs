//! Output that cannot be written: stdout or stderr on a full device
//! (`/dev/full`) is exit 1 with one line on stderr when stderr can take it,
//! for every command and every kind of output; a closed pipe stops quietly.

mod support;

use std::fs::File;
use std::process::Stdio;
use support::*;

/// `codika ARGS` with stdout and/or stderr on `/dev/full` (else piped).
fn run_full(cli: &Cli, args: &[&str], stdout_full: bool, stderr_full: bool) -> Run {
    let full = || File::options().write(true).open("/dev/full").unwrap();
    let mut command = cli.command(&cli.work(), args);
    command.stdin(Stdio::null());
    command.stdout(if stdout_full {
        Stdio::from(full())
    } else {
        Stdio::piped()
    });
    command.stderr(if stderr_full {
        Stdio::from(full())
    } else {
        Stdio::piped()
    });
    let output = command.output().expect("run codika");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    cli.sweep(&cli.watched(), &run);
    run
}

fn no_dev_full() -> bool {
    if std::path::Path::new("/dev/full").exists() {
        return false;
    }
    skip("/dev/full is not here");
    true
}

#[test]
fn stdout_on_a_full_device_is_exit_1_with_one_line() {
    if no_dev_full() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for args in [
        &["integration", "list", "--json"][..],
        &["integration", "list"],
        &["integration", "schema", "twilioApi"],
        &["completion", "zsh"],
        &["completion", "bash"],
        &["man"],
        &["--version"],
        &["integration", "set", "--help"],
    ] {
        let run = run_full(&cli, args, true, false);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr.lines().filter(|l| l.contains("error:")).count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("cannot write to stdout: No space left on device"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A failure keeps its own code (2: nothing was deleted), said on stderr.
    let run = run_full(
        &cli,
        &["integration", "delete", "openai", "--json"],
        true,
        false,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write to stdout"),
        "{}",
        run.stderr
    );
}

#[test]
fn stderr_on_a_full_device_is_exit_1_never_a_panic() {
    if no_dev_full() {
        return;
    }
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    // A warning on stderr (plain HTTP to a host that is not loopback), the
    // answer on stdout: the warning lost is a failure of the run.
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 200 OK", b"{}"));
    cli.env("HTTP_PROXY", &proxy.base);
    let run = run_full(
        &cli,
        &["integration", "list", "--api-url", "http://10.1.2.3"],
        false,
        true,
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Lines that only stderr carries: not logged in (exit 1), a usage error (2).
    let fresh = Cli::bare();
    let run = run_full(&fresh, &["whoami"], false, true);
    assert_eq!(run.code, 1);
    let run = run_full(&fresh, &["integration", "list", "--bogus"], false, true);
    assert_eq!(run.code, 2);
    // Both full: nothing can be said, the code still says it.
    let run = run_full(&cli, &["completion", "fish"], true, true);
    assert_eq!(run.code, 1);
}

#[test]
fn a_closed_pipe_stops_quietly() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for args in [&["man"][..], &["integration", "list", "--json"]] {
        let mut child = cli
            .command(&cli.work(), args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is read.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(
            output.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A parent may leave stdout non-blocking: a full pipe then answers
/// `EAGAIN`, and the CLI must wait for the reader, not drop or repeat a line.
#[cfg(target_os = "linux")]
#[test]
fn a_non_blocking_stdout_gets_every_byte_once() {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let cli = Cli::bare();
    let expected = cli.run(&["man"]).assert_code(0).stdout.clone();
    assert!(expected.len() > 16 * 1024, "{}", expected.len());
    let mut fds = [0; 2];
    // SAFETY: a fresh pipe; each end owned below.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: plain fcntl calls on the pipe's write end.
    unsafe {
        libc::fcntl(fds[1], libc::F_SETPIPE_SZ, 4096);
        let flags = libc::fcntl(fds[1], libc::F_GETFL);
        libc::fcntl(fds[1], libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let child = cli
        .command(&cli.work(), &["man"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The pipe fills and stays full for a while before it is read.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut got = String::new();
    File::from(reader).read_to_string(&mut got).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(got == expected, "{} bytes of {}", got.len(), expected.len());
}

/// `codika ARGS` with the descriptor `fd` closed when it starts (`>&-`),
/// the other streams piped.
#[cfg(target_os = "linux")]
fn run_closed(cli: &Cli, args: &[&str], fd: i32) -> Run {
    use std::os::unix::process::CommandExt;
    let mut command = cli.command(&cli.work(), args);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: close(2) is async-signal-safe and touches no memory.
    unsafe {
        command.pre_exec(move || {
            libc::close(fd);
            Ok(())
        });
    }
    let output = command.output().expect("run codika");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A stdout closed at start is not /dev/null (where the Rust runtime puts
/// it): what should have been printed is lost, so exit 1, as `ls >&-`.
#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_a_write_error_not_silence() {
    let platform = Platform::start();
    let cli = Cli::owner(&platform);
    for args in [
        &["integration", "list", "--json"][..],
        &["integration", "list"],
        &["--version"],
        &["completion", "bash"],
    ] {
        let run = run_closed(&cli, args, 1);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr.lines().collect::<Vec<_>>(),
            [
                "error: cannot write to stdout: Bad file descriptor (os error 9); the output of this run is incomplete"
            ],
            "{args:?}"
        );
    }
    // A failure keeps its own code; a run that prints nothing on stderr
    // is not hurt by a closed stderr.
    let run = run_closed(&cli, &["integration", "nope"], 2);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let run = run_closed(&cli, &["integration", "list", "--json"], 2);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("\"success\": true") || run.stdout.contains("\"success\":true"),
        "{}",
        run.stdout
    );
}
