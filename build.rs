/*!
Tells the binary what it was built from, for `codika --version`: the short
commit of the git checkout (`CODIKA_BUILD_COMMIT` when the source is not
one, as in a release tarball or a distribution's package) and the target.
Outside a git checkout, or with git missing, the commit is left empty and
the build goes on: the version line then says so. Nothing else of the
build machine (no date, no path, no user) goes in, so that two builds of
one commit stay byte-identical.
*/

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CODIKA_BUILD_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let commit = match std::env::var("CODIKA_BUILD_COMMIT") {
        Ok(commit) if !commit.is_empty() => Some(commit),
        _ => git_commit(),
    };
    println!(
        "cargo:rustc-env=CODIKA_BUILD_COMMIT={}",
        commit.unwrap_or_default()
    );
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=CODIKA_BUILD_TARGET={target}");
}

/// The abbreviated commit of HEAD, watching the files that move it (HEAD
/// and the branch it names, loose or packed) so that a commit rebuilds.
fn git_commit() -> Option<String> {
    let commit = git(&["rev-parse", "--short=7", "HEAD"])?;
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    // A path that does not exist would rerun this script on every build.
    for path in watched.iter().filter(|p| std::path::Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    Some(commit)
}

/// What `git ARGS` prints on one line, or `None` when git is missing or
/// fails (not a checkout). A checkout owned by another user is still read:
/// only its HEAD is, no hook or config of it runs.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(["-c", "safe.directory=*"])
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let line = text.trim();
    (output.status.success() && !line.is_empty()).then(|| line.to_string())
}
