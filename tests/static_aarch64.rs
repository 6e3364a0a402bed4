//! The aarch64 musl binary (`make static TARGET=aarch64-unknown-linux-musl`),
//! run under qemu's user-mode emulator against the emulator of this process
//! on 127.0.0.1: it says its target, lists, and encrypts a secret (both
//! envelopes, X25519 and RSA) that the platform decrypts back.
//!
//! `make test` builds the binary and names it in CODIKA_AARCH64_BIN, and
//! installs qemu-user-static when missing; a plain `cargo test` skips, saying
//! so, as does a machine without qemu-aarch64.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::jail::*;
use support::*;

/// EM_AARCH64.
const AARCH64: u16 = 183;

/// The binary and the qemu to run it with, or `None` (skip said).
fn aarch64() -> Option<(PathBuf, PathBuf)> {
    let Some(binary) = std::env::var_os("CODIKA_AARCH64_BIN").map(PathBuf::from) else {
        skip("CODIKA_AARCH64_BIN is not set (`make test` builds the aarch64 binary and sets it)");
        return None;
    };
    assert!(binary.is_file(), "no file at {}", binary.display());
    let qemu = ["qemu-aarch64-static", "qemu-aarch64"]
        .into_iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        });
    let Some(qemu) = qemu else {
        skip("no qemu-aarch64-static or qemu-aarch64 (Debian package qemu-user-static)");
        return None;
    };
    Some((binary, qemu))
}

fn run(qemu: &Path, binary: &Path, args: &[&str]) -> Run {
    let output = Command::new(qemu)
        .arg(binary)
        .args(args)
        .env_clear()
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for secret in [OWNER, "sk-aarch64-secret"] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} printed"
        );
    }
    run
}

#[test]
fn the_aarch64_binary_lists_and_sets_under_qemu() {
    let Some((binary, qemu)) = aarch64() else {
        return;
    };
    let (machine, headers) = elf_headers(&binary);
    assert_eq!(
        machine,
        AARCH64,
        "{} is not an aarch64 binary",
        binary.display()
    );
    assert!(
        !headers.contains(&PT_INTERP) && !headers.contains(&PT_DYNAMIC),
        "not static: program headers {headers:?}"
    );

    let version = run(&qemu, &binary, &["--version"]);
    version.assert_code(0);
    assert!(
        version.stdout.ends_with(", aarch64-unknown-linux-musl)\n"),
        "{}",
        version.stdout
    );

    for platform in [Platform::start(), Platform::start_rsa()] {
        let remote = ["--api-url", &platform.base, "--api-key", OWNER];
        let list = run(
            &qemu,
            &binary,
            &[&["integration", "list", "--json"][..], &remote[..]].concat(),
        );
        list.assert_code(0);
        assert!(matches!(
            field(&list.json(), "success"),
            miniserde::json::Value::Bool(true)
        ));
        let set = run(
            &qemu,
            &binary,
            &[
                &[
                    "integration",
                    "set",
                    "openai",
                    "--secret",
                    "OPENAI_API_KEY=sk-aarch64-secret",
                ][..],
                &remote[..],
            ]
            .concat(),
        );
        set.assert_code(0);
        assert_eq!(
            platform.secret("openai", "OPENAI_API_KEY"),
            "sk-aarch64-secret"
        );
    }
}
