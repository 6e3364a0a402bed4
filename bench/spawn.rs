//! Runs one command and prints `<wall ns> <peak RSS KiB> <exit code>`.
//!
//! Why not time it from the Python driver: Linux counts a process's peak RSS
//! over every memory image it had, including the one it was forked or
//! vforked from, so any child of a 15 MiB Python shows at least 15 MiB. This
//! launcher is small, and it forks (a fork copies only its few anonymous
//! pages), so the peak it reports is the command's own.
//!
//! Built by `make bench` with plain `rustc`; Linux x86_64/aarch64 only. It
//! declares the four libc functions it needs rather than depend on a crate.

use std::ffi::{CString, c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::time::Instant;

#[repr(C)]
struct Rusage {
    user_time: [i64; 2],
    system_time: [i64; 2],
    max_rss_kib: i64,
    others: [i64; 13],
}

unsafe extern "C" {
    fn fork() -> c_int;
    fn execvp(file: *const c_char, argv: *const *const c_char) -> c_int;
    fn wait4(pid: c_int, status: *mut c_int, options: c_int, usage: *mut Rusage) -> c_int;
    fn dup2(old: c_int, new: c_int) -> c_int;
    fn _exit(code: c_int) -> !;
}

fn main() {
    let args: Vec<CString> = std::env::args_os()
        .skip(1)
        .map(|a| CString::new(a.as_bytes()).expect("no NUL in arguments"))
        .collect();
    if args.is_empty() {
        eprintln!("usage: spawn PROGRAM [ARGS...]");
        std::process::exit(2);
    }
    let mut argv: Vec<*const c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let devnull = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .expect("open /dev/null");
    let null_fd = std::os::fd::AsRawFd::as_raw_fd(&devnull);

    let start = Instant::now();
    // SAFETY: the child only calls async-signal-safe functions (dup2,
    // execvp, _exit) on memory prepared before the fork.
    let pid = unsafe { fork() };
    if pid == 0 {
        unsafe {
            dup2(null_fd, 1);
            dup2(null_fd, 2);
            execvp(argv[0], argv.as_ptr());
            _exit(127);
        }
    }
    assert!(pid > 0, "fork failed");
    let mut status: c_int = 0;
    let mut usage = Rusage {
        user_time: [0; 2],
        system_time: [0; 2],
        max_rss_kib: 0,
        others: [0; 13],
    };
    // SAFETY: valid pointers to live locals.
    let waited = unsafe { wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    };
    println!("{} {} {}", elapsed.as_nanos(), usage.max_rss_kib, code);
}
