/*!
The properties the fuzz targets (fuzz/) check, one function per input kind.
Each takes arbitrary bytes and panics only when a property fails: the fuzz
targets call these, and `tests/fuzz_corpora.rs` replays every committed
corpus file through the same functions on stable, so CI checks what the
fuzzer found without a nightly toolchain. Time and memory are bounded by
libFuzzer (`-timeout`, `-rss_limit_mb`, see fuzz/README.md); the functions
check what can be told from the answer itself.
*/

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::platform::url;
use crate::secrets::dotenv;
use crate::{config, tsconfig};

/// The dotenv parser: no panic; an error points inside the file; every key
/// is a key and every entry's line is a line of the file.
pub fn dotenv(data: &[u8]) {
    match dotenv::parse(data) {
        Ok(entries) => {
            let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
            for entry in entries {
                let mut chars = entry.key.chars();
                assert!(
                    chars
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "not a key: {:?}",
                    entry.key
                );
                assert!(
                    entry.line >= 1 && entry.line <= lines,
                    "line {}",
                    entry.line
                );
            }
        }
        Err(e) => {
            let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(e.line >= 1 && e.line <= lines, "error line {}", e.line);
            assert!(e.column >= 1, "error column {}", e.column);
        }
    }
}

/// A directory of this thread's own for the config.ts target: the reader
/// works on files (imports are relative to them). A machine that cannot
/// make one is a setup failure, said as such, not a property that failed.
fn scratch() -> Result<PathBuf, String> {
    thread_local! {
        static DIR: OnceCell<PathBuf> = const { OnceCell::new() };
    }
    DIR.with(|dir| {
        if let Some(made) = dir.get() {
            return Ok(made.clone());
        }
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let made = std::env::temp_dir().join(format!("codika-fuzz-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&made)
            .map_err(|e| format!("a scratch directory for config.ts: {e}"))?;
        Ok(dir.get_or_init(|| made).clone())
    })
}

/// The config.ts reader (lexer, scanner, evaluator, `declared`): no panic,
/// a schema it extracts is JSON, and what `check` reads lists each id once.
/// The input is written as config.ts and read as `extract` and `check` do;
/// `Err` only when that file cannot be written (setup, not the reader).
pub fn tsconfig(data: &[u8]) -> Result<(), String> {
    if let Ok(text) = std::str::from_utf8(data) {
        assert_ne!(
            tsconfig::unbalanced_agrees(text),
            Some(false),
            "unbalanced brackets found otherwise than a stack finds them"
        );
    }
    let dir = scratch()?;
    std::fs::write(dir.join("config.ts"), data).map_err(|e| format!("write config.ts: {e}"))?;
    let dir = dir.as_path();
    if let Ok(extracted) = tsconfig::extract(dir, "cstm_fuzz") {
        assert!(
            miniserde::json::from_str::<miniserde::json::Value>(&extracted.json).is_ok(),
            "extracted schema is not JSON"
        );
    }
    if let Ok(Some(declared)) = tsconfig::declared(dir) {
        let ids: std::collections::HashSet<&str> = declared
            .integrations
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(
            ids.len(),
            declared.integrations.len(),
            "an id declared twice"
        );
        let defined: std::collections::HashSet<&String> = declared.defined.iter().collect();
        assert_eq!(defined.len(), declared.defined.len(), "an id defined twice");
    }
    Ok(())
}

/// URL parsing and masking. The input is split into a URL's parts at its
/// first two NUL bytes: `http://USER:PASSWORD@REST`, where the user may hold
/// any character a userinfo may (RFC 3986: unreserved, `%`, sub-delims,
/// `:`) and the password any character but a blank (`/ ? #`, quotes and
/// `@` included: the mask runs to the last `@` before a blank) and the
/// letters that the masked text itself shows (`http://***@`), and its
/// characters are made to appear nowhere else. Property: no character of
/// the password is in what `redacted`, `redact_all` or a refusal of
/// `parse` print. Also: `Url::parse` never panics on the raw input.
pub fn url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = url::Url::parse(&text).map(|u| u.is_loopback());
    let _ = url::redacted(&text);
    let _ = url::redact_all(&text);

    let mut parts = text.splitn(3, '\0');
    let (Some(user), Some(password), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let userinfo = |c: &char| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=:@".contains(*c);
    // What the masked text always shows (`http://`, `***@`) cannot be
    // told apart from a password's character, so a password has none.
    let password: String = password
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|c| !"http:/*@".contains(*c))
        .collect();
    if password.is_empty() {
        return;
    }
    let foreign = |c: &char| !password.contains(*c);
    let user: String = user.chars().filter(userinfo).filter(foreign).collect();
    let rest: String = rest.chars().filter(foreign).collect();
    let whole = format!("http://{user}:{password}@{rest}");
    // A refusal is fixed wording around the masked URL: the password must
    // not be in it where a URL shows one (after `user:` or before `@`);
    // the wording's own words may hold its letters (`ers` of "answers").
    // A password of a few characters cannot be told from the wording's own
    // punctuation (`':'` holds `:'`): from 4 characters on it can.
    if let (Err(refusal), true) = (url::parse(&whole), password.chars().count() >= 4) {
        for shown in [format!("{user}:{password}"), format!("{password}@")] {
            assert!(
                !refusal.contains(&shown),
                "parse's refusal shows the password: {refusal:?}"
            );
        }
    }
    for (what, shown) in [
        ("redacted", url::redacted(&whole)),
        ("redact_all", url::redact_all(&whole)),
        // Between blanks, as in a library's error (a blank is no
        // userinfo character, so the frame adds none of the password's).
        (
            "redact_all in a sentence",
            url::redact_all(&format!(" {whole} ")),
        ),
    ] {
        assert!(
            !shown.chars().any(|c| password.contains(c)),
            "{what} shows a password character: {shown:?}"
        );
    }
}

/// config.json reading: no panic; a file read is read the same way twice,
/// and its profile names are unique.
pub fn config_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/fuzz/config.json");
    let _ = config::ordered_members(text);
    if let Ok(read) = config::parse(text, path) {
        let names = read.names();
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "a profile name listed twice");
        let again = config::parse(text, path).map(|again| again.names().join("\n"));
        assert_eq!(again.ok(), Some(names.join("\n")), "read otherwise twice");
    }
}

/// Platform answer decoding (issue 18 §3): the input, when it is JSON, is
/// the `data` of an answer, given to every endpoint's decoder. Properties:
/// no panic; a decoder gives the same verdict twice (it reads, never
/// guesses from state); a refusal names what was wrong in one line, short
/// enough to print (the sanitizer then makes the platform's words safe).
pub fn answers(data: &[u8]) {
    use crate::platform::wire::{
        self, Created, CredentialSchema, Deleted, InstanceState, Listing, Pending, Rerun, Shape,
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = miniserde::json::from_str::<miniserde::json::Value>(text) else {
        return;
    };
    let target = wire::IntegrationRef {
        organization_id: None,
        integration_id: "openai".into(),
        context: crate::context::ContextType::Organization,
        instance: None,
    };
    let verdicts = |value: &miniserde::json::Value| -> Vec<Result<String, Shape>> {
        vec![
            Created::decode(200, value, text.to_string()).map(|a| format!("{a:?}")),
            Deleted::decode(value, text.to_string()).map(|a| format!("{a:?}")),
            Pending::decode(value, text.to_string()).map(|a| format!("{a:?}")),
            Listing::decode(value, text, None).map(|a| format!("{a:?}")),
            wire::same_target(value, &target).map(|()| String::new()),
            CredentialSchema::decode(value, text).map(|a| format!("{a:?}")),
            wire::decode_identity(value).map(|i| format!("{:?}", i.kind_label())),
            Rerun::decode(value).map(|a| format!("{a:?}")),
            InstanceState::decode(value, "pi", true).map(|a| format!("{a:?}")),
            wire::decode_deployment_status(value, "pi").map(|a| format!("{a:?}")),
        ]
    };
    let first = verdicts(&value);
    assert_eq!(first, verdicts(&value), "a decoder changed its verdict");
    for verdict in first {
        if let Err(Shape(what)) = verdict {
            assert!(!what.is_empty(), "a refusal that says nothing");
            assert!(!what.contains('\n'), "a refusal of two lines: {what:?}");
            assert!(
                what.len() <= 4096,
                "a refusal of {} bytes: an answer's size is not a message's",
                what.len()
            );
        }
    }
}
