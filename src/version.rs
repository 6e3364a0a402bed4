/*!
What `codika --version` says: the package version, the commit the binary
was built from and its target, all fixed at build time (build.rs):
`codika 0.1.0 (3806f0d, x86_64-unknown-linux-musl)`, or with `--json` the
same as a document. A build from a source that was not a git checkout says
so in place of the commit.
*/

use crate::ui::json::{Json, JsonObject};
use crate::ui::output::{Output, Render};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The target triple the binary was built for.
pub const TARGET: &str = env!("CODIKA_BUILD_TARGET");
/// Said in place of the commit when build.rs found none.
pub const NO_COMMIT: &str = "not built from a git checkout";

/// The short commit, when the build knew it.
pub fn commit() -> Option<&'static str> {
    Some(env!("CODIKA_BUILD_COMMIT")).filter(|c| !c.is_empty())
}

/// `codika 0.1.0 (3806f0d, x86_64-unknown-linux-musl)`, without a newline.
pub fn line() -> String {
    format!(
        "codika {VERSION} ({}, {TARGET})",
        commit().unwrap_or(NO_COMMIT)
    )
}

/// The data of `codika --version --json`; `commit` is null when unknown.
pub fn document() -> JsonObject {
    JsonObject::new()
        .text("name", "codika")
        .text("version", VERSION)
        .text_or_null("commit", commit())
        .text("target", TARGET)
}

/// `codika --version`, as a report: the line, or with `--json` the document.
pub struct Version;

impl Render for Version {
    fn json(&self) -> Json {
        Json::success(document())
    }

    fn human(&self, out: &Output) {
        out.data(&line());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_version_commit_and_target() {
        let line = line();
        assert!(line.starts_with("codika 0.1.0 ("), "{line}");
        assert!(line.ends_with(&format!(", {TARGET})")), "{line}");
        assert!(TARGET.contains("-linux-"), "{TARGET}");
        match commit() {
            Some(commit) => {
                assert!(commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit()));
                assert!(line.contains(commit));
            }
            None => assert!(line.contains(NO_COMMIT)),
        }
    }
}
