/*!
Every environment variable the CLI reads, in one table ([`VARS`]: names,
kind, meaning, default, the commands that read it), and the one accessor
that reads them. The man page's ENVIRONMENT section is made from the table
and README's table is tested against it; a unit test fails when a file of
`src/` reads a variable by name anywhere but here.

Set means set: an empty variable counts as unset (as documented), but one
that is set and not valid for its kind (not UTF-8, a URL that does not
parse, a number out of range) is exit 2 naming the variable, never its
value. [`check`] tries every variable a command reads before it acts, so
nothing is sent when one of them is wrong.
*/

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::{CliError, Result};

/// What a variable holds, and so what "valid" means for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    /// A file or directory name: any bytes (a Unix path need not be UTF-8).
    Path,
    /// `Path`s separated by `:`.
    Paths,
    /// An http(s) URL, parsed by `url::parse`.
    Url,
    /// A number of seconds, more than 0 and at most a day.
    Seconds,
    /// A whole number, 1 or more.
    Count,
    /// Anything (any bytes): only whether it is set and not empty counts.
    Presence,
    /// Any bytes, compared with one word (`TERM=dumb`): no value is
    /// invalid, since any other is simply not that word.
    Word,
}

/// Which commands read a variable.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    /// Every command that runs (not `--help`, `completion`, `man`).
    Every,
    /// The commands that talk to the platform: set, list, delete, schema,
    /// check, apply, whoami, login, rerun deployment, instance
    /// activate|deactivate.
    Platform,
    /// The commands that take an API key from the environment: set, list,
    /// delete, schema, check, apply, whoami, rerun deployment, instance
    /// activate|deactivate.
    Key,
    /// `set` and `apply`, which encrypt.
    Encrypting,
    /// The commands that may prompt: set, apply, login.
    Prompting,
}

impl Scope {
    pub fn commands(self) -> &'static str {
        match self {
            Scope::Every => "every command",
            Scope::Platform => {
                "set, list, delete, schema, check, apply, whoami, login, rerun, instance"
            }
            Scope::Key => "set, list, delete, schema, check, apply, whoami, rerun, instance",
            Scope::Encrypting => "set, apply",
            Scope::Prompting => "set, apply, login",
        }
    }
}

/// One row of the table: a variable, or the spellings of one (the
/// proxies' upper and lower case), read in this order.
pub struct Var {
    pub names: &'static [&'static str],
    pub kind: Kind,
    pub meaning: &'static str,
    pub default: &'static str,
    pub scope: Scope,
}

/// Every variable the CLI reads.
pub const VARS: &[Var] = &[
    Var {
        names: &["CODIKA_API_KEY"],
        kind: Kind::Text,
        meaning: "The API key, after --api-key, --api-key-file and --profile (see RESOLUTION ORDER). On a shared host prefer CODIKA_API_KEY_FILE: a variable is visible to the same user's processes.",
        default: "none",
        scope: Scope::Key,
    },
    Var {
        names: &["CODIKA_API_KEY_FILE"],
        kind: Kind::Path,
        meaning: "A file holding the API key (a Docker or Kubernetes secret mount): its content less one trailing newline, after CODIKA_API_KEY (both set is exit 2). Prefer it, or --api-key-file, to --api-key KEY: a key on argv is as visible to other users as --secret KEY=VALUE.",
        default: "none",
        scope: Scope::Key,
    },
    Var {
        names: &["CODIKA_BASE_URL"],
        kind: Kind::Url,
        meaning: "The platform's base URL, after --api-url; login verifies at and saves it when there is no --base-url.",
        default: "https://api.codika.io",
        scope: Scope::Platform,
    },
    Var {
        names: &["CODIKA_PUBLIC_KEY_FILE"],
        kind: Kind::Path,
        meaning: "The encryption public key, a PEM file (nothing fetched), after --public-key-file and --public-key-url.",
        default: "none",
        scope: Scope::Encrypting,
    },
    Var {
        names: &["CODIKA_PUBLIC_KEY_URL"],
        kind: Kind::Url,
        meaning: "Where the encryption public key is fetched, after CODIKA_PUBLIC_KEY_FILE.",
        default: "<base URL>/encryption/public.pem",
        scope: Scope::Encrypting,
    },
    Var {
        names: &["CODIKA_TIMEOUT"],
        kind: Kind::Seconds,
        meaning: "Seconds each attempt of a request may take, connecting included (at most 10 s of it); up to 86400.",
        default: "30",
        scope: Scope::Platform,
    },
    Var {
        names: &["CODIKA_MAX_ATTEMPTS"],
        kind: Kind::Count,
        meaning: "Attempts per request in all; 1 turns retries off.",
        default: "3",
        scope: Scope::Platform,
    },
    Var {
        names: &["CODIKA_CA_BUNDLE"],
        kind: Kind::Path,
        meaning: "Also trust the PEM certificates in this file, when --ca-bundle is not given.",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["SSL_CERT_FILE"],
        kind: Kind::Path,
        meaning: "Also trust the PEM certificates of this bundle (as OpenSSL reads it).",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["SSL_CERT_DIR"],
        kind: Kind::Paths,
        meaning: "Also trust the certificates of every file in each of these directories (DIR[:DIR...]).",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["HTTPS_PROXY", "https_proxy"],
        kind: Kind::Url,
        meaning: "The proxy for https:// URLs: http://[USER:PASSWORD@]HOST:PORT (or https://); a SOCKS proxy is exit 2.",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["HTTP_PROXY", "http_proxy"],
        kind: Kind::Url,
        meaning: "The proxy for http:// URLs (HTTP_PROXY is not read when REQUEST_METHOD is set).",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["ALL_PROXY", "all_proxy"],
        kind: Kind::Url,
        meaning: "The proxy for either scheme, when the one above is unset.",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["NO_PROXY", "no_proxy"],
        kind: Kind::Text,
        meaning: "Comma-separated hosts, domains (.corp.example, *.corp.example), IP addresses, CIDR ranges (10.0.0.0/8) and any of these but a range with :PORT, reached directly; * for all; an entry of no such form is exit 2.",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["REQUEST_METHOD"],
        kind: Kind::Presence,
        meaning: "Set (a CGI script): HTTP_PROXY is not read, since it may come from the request's Proxy header (httpoxy); http_proxy still is.",
        default: "none",
        scope: Scope::Platform,
    },
    Var {
        names: &["CODIKA_NO_INPUT"],
        kind: Kind::Text,
        meaning: "Anything but empty, 0 or false: never prompt, as --no-input.",
        default: "prompt on a terminal",
        scope: Scope::Prompting,
    },
    Var {
        names: &["NO_COLOR"],
        kind: Kind::Presence,
        meaning: "Not empty: no colour, even on a terminal.",
        default: "colour on a terminal",
        scope: Scope::Every,
    },
    Var {
        names: &["TERM"],
        kind: Kind::Word,
        meaning: "`dumb`: no colour or other escape sequence, as `NO_COLOR`.",
        default: "colour on a terminal",
        scope: Scope::Every,
    },
    Var {
        names: &["XDG_CONFIG_HOME"],
        kind: Kind::Path,
        meaning: "The profiles are in $XDG_CONFIG_HOME/codika/config.json (see FILES); a relative path is ignored, as the XDG spec says.",
        default: "$HOME/.config",
        scope: Scope::Every,
    },
    Var {
        names: &["HOME"],
        kind: Kind::Path,
        meaning: "The home directory, for ~/.config when XDG_CONFIG_HOME is unset or relative; a relative HOME counts as unset.",
        default: "none (no profiles)",
        scope: Scope::Every,
    },
];

/// The row of `name`. Reading a variable that is not in the table is a
/// bug of this program, caught by the unit tests.
fn row(name: &str) -> &'static Var {
    VARS.iter()
        .find(|v| v.names.contains(&name))
        .unwrap_or_else(|| panic!("{name} is not in env::VARS"))
}

/// The raw value; `None` when unset or empty.
fn raw(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

fn not_utf8(name: &str) -> CliError {
    CliError::validation(format!(
        "{name} is set but is not UTF-8 text; fix it or unset it"
    ))
}

/// A text variable (UTF-8), `None` when unset or empty; set but not UTF-8
/// is exit 2 naming it.
pub fn text(name: &str) -> Result<Option<String>> {
    let var = row(name);
    debug_assert!(var.kind != Kind::Path && var.kind != Kind::Paths);
    match raw(name) {
        None => Ok(None),
        Some(value) => value.into_string().map(Some).map_err(|_| not_utf8(name)),
    }
}

/// A path variable: any bytes, `None` when unset or empty.
pub fn path(name: &str) -> Option<PathBuf> {
    debug_assert!(matches!(row(name).kind, Kind::Path | Kind::Paths));
    raw(name).map(PathBuf::from)
}

/// Whether a variable is set and not empty, whatever it holds.
pub fn present(name: &str) -> bool {
    debug_assert!(row(name).kind == Kind::Presence);
    raw(name).is_some()
}

/// Whether a [`Kind::Word`] variable is exactly `word`, byte for byte.
pub fn equals(name: &str, word: &str) -> bool {
    debug_assert!(row(name).kind == Kind::Word);
    std::env::var_os(name).is_some_and(|value| value == word)
}

/// The first of `names` (rows of the table, in order) that is set, each
/// row read by [`setting`]; with the spelling it came from.
pub fn first_text(names: &[&'static str]) -> Result<Option<(&'static str, String)>> {
    let mut rows: Vec<&'static Var> = Vec::new();
    for name in names {
        let var = row(name);
        if !rows.iter().any(|r| std::ptr::eq(*r, var)) {
            rows.push(var);
        }
    }
    for var in rows {
        if let Some(found) = setting(var)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// One row's value, its spellings read lower case first (as curl): two
/// spellings set to different values is exit 2 naming both, never one
/// silently winning. Under CGI (`REQUEST_METHOD` set) `HTTP_PROXY` is a
/// request header the client chose ("httpoxy") and is not read, as curl
/// and Go do.
pub fn setting(var: &'static Var) -> Result<Option<(&'static str, String)>> {
    let mut found: Option<(&'static str, String)> = None;
    for name in var.names.iter().rev() {
        if *name == "HTTP_PROXY" && present("REQUEST_METHOD") {
            continue;
        }
        let Some(value) = text(name)? else { continue };
        match &found {
            Some((first, seen)) if *seen != value => {
                return Err(CliError::validation(format!(
                    "{name} and {first} are both set, to different values: unset one of them"
                )));
            }
            Some(_) => {}
            None => found = Some((name, value)),
        }
    }
    Ok(found)
}

/// `CODIKA_TIMEOUT`-style seconds: more than 0, at most `max`.
pub fn seconds(name: &str, max: f64) -> Result<Option<std::time::Duration>> {
    let Some(text) = text(name)? else {
        return Ok(None);
    };
    text.parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0 && *s <= max)
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .map(Some)
        .ok_or_else(|| {
            CliError::validation(format!(
                "{name} must be a number of seconds more than 0 and at most {max}"
            ))
        })
}

/// `CODIKA_MAX_ATTEMPTS`-style count: a whole number, 1 or more.
pub fn count(name: &str) -> Result<Option<u32>> {
    let Some(text) = text(name)? else {
        return Ok(None);
    };
    text.parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .map(Some)
        .ok_or_else(|| {
            CliError::validation(format!(
                "{name} must be a positive integer (1 turns retries off)"
            ))
        })
}

/// Variables of the build, not of a run: build.rs reads
/// `CODIKA_BUILD_COMMIT` (the commit of a build from a source archive) and
/// hands both to `version.rs` through `env!`. The binary never reads them.
pub const BUILD_VARS: &[&str] = &["CODIKA_BUILD_COMMIT", "CODIKA_BUILD_TARGET"];

/// README's rows for the table: `| NAME | meaning | default | commands |`.
pub fn readme_rows() -> Vec<String> {
    VARS.iter()
        .map(|v| {
            let names: Vec<String> = v.names.iter().map(|n| format!("`{n}`")).collect();
            format!(
                "| {} | {} | {} | {} |",
                names.join(", "),
                v.meaning,
                v.default,
                v.scope.commands()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &std::path::Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// No file but this one reads the environment itself, and every name
    /// given to the accessor is in the table.
    #[test]
    fn every_variable_is_read_through_the_table() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let this = src.join("env.rs");
        for (path, text) in &files {
            if *path == this {
                continue;
            }
            for forbidden in ["env::var(", "env::var_os(", "env::vars(", "env::vars_os("] {
                for (n, line) in text.lines().enumerate() {
                    // The one read of a variable the user names (`--secret KEY`).
                    if line.contains(forbidden) && !line.contains("user-named variable") {
                        panic!(
                            "{}:{}: reads the environment outside env::VARS: {line}",
                            path.display(),
                            n + 1
                        );
                    }
                }
            }
            for accessor in [
                "env::text(\"",
                "env::path(\"",
                "env::present(\"",
                "env::equals(\"",
                "env::seconds(\"",
                "env::count(\"",
            ] {
                let mut rest = text.as_str();
                while let Some(at) = rest.find(accessor) {
                    rest = &rest[at + accessor.len()..];
                    let name = &rest[..rest.find('"').unwrap()];
                    assert!(
                        VARS.iter().any(|v| v.names.contains(&name)),
                        "{} reads {name}, which is not in env::VARS",
                        path.display()
                    );
                }
            }
            // A literal that looks like one of ours must be in the table.
            let mut rest = text.as_str();
            while let Some(at) = rest.find("\"CODIKA_") {
                rest = &rest[at + 1..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                if rest[end..].starts_with('"') {
                    assert!(
                        VARS.iter().any(|v| v.names.contains(&name))
                            || BUILD_VARS.contains(&name)
                            || name.starts_with("CODIKA_TEST_"),
                        "{} names {name}, which is not in env::VARS",
                        path.display()
                    );
                }
            }
        }
    }

    /// README's table of variables is the table's rows.
    #[test]
    fn readme_lists_every_variable() {
        let readme = include_str!("../README.md");
        for row in readme_rows() {
            assert!(readme.contains(&row), "README.md has no row\n{row}");
        }
        // And names no CODIKA_ variable the CLI does not read.
        let mut rest = readme;
        while let Some(at) = rest.find("`CODIKA_") {
            rest = &rest[at + 1..];
            let end = rest
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            assert!(
                VARS.iter().any(|v| v.names.contains(&name)) || BUILD_VARS.contains(&name),
                "README.md names {name}, which the CLI does not read"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn set_but_not_utf8_is_an_error_naming_the_variable_not_its_value() {
        use std::os::unix::ffi::OsStrExt;
        let value = std::ffi::OsStr::from_bytes(b"cko_secretvalue\xff");
        // SAFETY: as above; this name is set by this test alone.
        unsafe {
            std::env::set_var("NO_PROXY", value);
        }
        let error = text("NO_PROXY").unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.message.contains("NO_PROXY"), "{}", error.message);
        assert!(!error.message.contains("secretvalue"), "{}", error.message);
        unsafe {
            std::env::remove_var("NO_PROXY");
        }
    }
}
