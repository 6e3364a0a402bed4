//! The official Node CLI (npm `codika@3.6.0`), for the tests that run it
//! beside ours: installed once under the workspace's `target/official-cli`,
//! run with plain `node` (its shebang needs Node 22.6). Shared by the CLI's
//! and the emulator's tests.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const PACKAGE: &str = "codika@3.6.0";

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The entry script, installing the package on first use; `None` (the
/// calling test skips, see `skip`) when node or npm is missing.
pub fn official_cli() -> Option<PathBuf> {
    if !have("node") || !have("npm") {
        super::skip("node or npm is not installed");
        return None;
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .expect("the workspace root");
    let dir = workspace.join("target/official-cli");
    let entry = dir.join("node_modules/codika/dist/cli/index.js");
    if !entry.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir)
            .arg(PACKAGE)
            .status()
            .expect("run npm");
        assert!(status.success(), "npm install {PACKAGE} failed");
    }
    Some(entry)
}
