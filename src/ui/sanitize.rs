/*!
The one sanitizer for text we did not write (platform answers, project.json,
config.json, config.ts, file and profile names) before it reaches a human's
terminal: controls that a terminal would act on are shown escaped, and a
message the platform made huge is cut. JSON output is escaped by its encoder
instead, and only capped ([`capped_json`]). Both show the API key in use
([`hide`]) masked wherever a text holds it: a platform that quotes the key
in its message ("key cko_... is unknown") must not print it.
*/

use std::borrow::Cow;
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The API keys this run sends, masked in every text shown.
static HIDDEN: Mutex<Vec<Zeroizing<String>>> = Mutex::new(Vec::new());

/// Keys shorter than this are not looked for in text: a one-letter "key"
/// would mask every word holding that letter, and no real key is so short
/// (the platform refuses it anyway).
pub const MIN_HIDDEN: usize = 8;

/// Masks `key` in every text shown from now on (the key a client sends).
pub fn hide(key: &str) {
    if key.len() < MIN_HIDDEN {
        return;
    }
    let mut hidden = HIDDEN.lock().unwrap_or_else(|e| e.into_inner());
    if !hidden.iter().any(|k| k.as_str() == key) {
        hidden.push(Zeroizing::new(key.to_string()));
    }
}

/// `text` with each hidden key, as it is and as JSON escapes it, masked
/// the way whoami shows a key (`cko_emul...`): where it stands whole, not
/// inside a longer word.
pub fn without_keys(text: &str) -> Cow<'_, str> {
    let hidden = HIDDEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = Cow::Borrowed(text);
    for key in hidden.iter() {
        let quoted = miniserde::json::to_string(key.as_str());
        let escaped = &quoted[1..quoted.len() - 1];
        for form in [key.as_str(), escaped] {
            if let Some(replaced) =
                replace_whole(&out, form, &crate::platform::identity::masked(key))
            {
                out = Cow::Owned(replaced);
            }
        }
    }
    out
}

/// `text` with every whole occurrence of `word` (not next to a letter,
/// digit, `_` or `-`) replaced; `None` when there is none.
fn replace_whole(text: &str, word: &str, with: &str) -> Option<String> {
    let part_of_word =
        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let mut out = String::new();
    let mut copied = 0;
    for (at, _) in text.match_indices(word) {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if at < copied || part_of_word(before) || part_of_word(after) {
            continue;
        }
        out.push_str(&text[copied..at]);
        out.push_str(with);
        copied = at + word.len();
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Platform text longer than this (in bytes) is cut, with a note of how
/// much more there was: a 15 MB error message helps no one.
pub const MAX_SHOWN: usize = 2048;

/// `text` safe to print: C0 and C1 controls, DEL and the bidirectional
/// overrides and isolates (which reorder what a reader sees) become `\u001b`
/// and the like; past [`MAX_SHOWN`] bytes it is cut.
pub fn shown(text: &str) -> String {
    let text = without_keys(text);
    let (kept, more) = cut(&text, MAX_SHOWN);
    let mut out = String::with_capacity(kept.len() + 16);
    for c in kept.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    if more > 0 {
        out.push_str(&format!("… ({more} bytes more)"));
    }
    out
}

/// A word the user typed, echoed only when it looks like a command or an
/// option name: anything else may be a secret typed in the wrong place.
pub fn quoted_word(word: &str) -> String {
    let name = word.trim_start_matches('-');
    let looks_like_a_name = !name.is_empty()
        && word.len() <= 34
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if looks_like_a_name {
        format!("'{word}'")
    } else {
        "(not shown)".to_string()
    }
}

/// JSON text with every character a terminal would act on (C1 controls,
/// DEL, bidirectional overrides and isolates) written as a `\uXXXX`
/// escape, as [`shown`] writes them for a human: the same document, read by
/// a parser, and safe to `cat`. In valid JSON such a character can only
/// stand inside a string, where the escape means the same character.
pub fn json_escaped(text: &str) -> String {
    // JSON's own whitespace stays: it cannot stand raw inside a string.
    let escaped = |c: char| is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(escaped) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first `limit` bytes of `text` (at a character boundary) and how many
/// bytes were left out.
fn cut(text: &str, limit: usize) -> (&str, usize) {
    if text.len() <= limit {
        return (text, 0);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], text.len() - end)
}

/// Valid JSON text with every string longer than [`MAX_SHOWN`] bytes (as
/// written, escapes included) cut the way [`shown`] cuts, and still valid.
pub fn capped_json(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            let next = text[i..].find('"').map_or(bytes.len(), |n| i + n);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        let end = string_end(bytes, i);
        let inner = &text[i + 1..end.saturating_sub(1).max(i + 1)];
        if inner.len() <= MAX_SHOWN {
            out.push_str(&text[i..end]);
        } else {
            let (kept, more) = cut(inner, MAX_SHOWN);
            out.push('"');
            out.push_str(without_broken_escape(kept));
            out.push_str(&format!("… ({more} bytes more)\""));
        }
        i = end;
    }
    out
}

/// The index after the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `kept` minus a trailing escape that the cut split (`\`, `\u00`).
fn without_broken_escape(kept: &str) -> &str {
    let bytes = kept.as_bytes();
    // Where the last escape starts, if it is among the last six bytes.
    let mut i = 0;
    let mut last_escape = None;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            last_escape = Some(i);
            i += 2;
        } else {
            i += 1;
        }
    }
    match last_escape {
        Some(at) => {
            let length = match bytes.get(at + 1) {
                Some(b'u') => 6,
                _ => 2,
            };
            if at + length > bytes.len() {
                &kept[..at]
            } else {
                kept
            }
        }
        None => kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_keys_are_masked() {
        let key = "cko_sanitize_test_key_1";
        hide(key);
        hide("k");
        assert_eq!(
            without_keys(&format!("invalid API key {key}; \"{key}\" x{key} {key}_2")),
            format!("invalid API key cko_sani...; \"cko_sani...\" x{key} {key}_2")
        );
        assert_eq!(without_keys("invalid API key"), "invalid API key");
    }

    #[test]
    fn json_documents_escape_what_a_terminal_acts_on() {
        let text = "{\n  \"title\": \"a\u{9b}31mb\u{202e}c\u{7f}\"\n}";
        let escaped = json_escaped(text);
        assert_eq!(
            escaped,
            "{\n  \"title\": \"a\\u009b31mb\\u202ec\\u007f\"\n}"
        );
        let value: miniserde::json::Value = miniserde::json::from_str(&escaped).unwrap();
        let original: miniserde::json::Value = miniserde::json::from_str(text).unwrap();
        assert_eq!(
            miniserde::json::to_string(&value),
            miniserde::json::to_string(&original)
        );
        assert_eq!(json_escaped("{\"a\":\"b\"}"), "{\"a\":\"b\"}");
    }

    #[test]
    fn terminal_controls_and_bidi_are_escaped() {
        assert_eq!(
            shown("a\u{1b}]0;title\u{7}b\u{1b}[2Jc\u{9b}d\u{7f}e\u{202e}f\u{2066}g"),
            "a\\u001b]0;title\\u0007b\\u001b[2Jc\\u009bd\\u007fe\\u202ef\\u2066g"
        );
        assert_eq!(shown("plain ünïcode ✓"), "plain ünïcode ✓");
    }

    #[test]
    fn long_text_is_cut_with_a_count() {
        let long = "é".repeat(MAX_SHOWN);
        let text = shown(&long);
        assert!(
            text.ends_with(&format!("… ({} bytes more)", MAX_SHOWN)),
            "{text}"
        );
        assert!(text.len() < MAX_SHOWN + 40);
    }

    #[test]
    fn capped_json_stays_valid() {
        for fill in ["x", "\\n", "\\u001b", "é", "\\\""] {
            let long = fill.repeat(MAX_SHOWN + 7);
            let text =
                format!("{{\"error\":{{\"message\":\"{long}\",\"code\":\"X\"}},\"n\":[1,\"ok\"]}}");
            let capped = capped_json(&text);
            let value: miniserde::json::Value = miniserde::json::from_str(&capped)
                .unwrap_or_else(|_| panic!("invalid for {fill}: {capped}"));
            drop(value);
            assert!(capped.len() < MAX_SHOWN + 100, "{fill}");
            assert!(capped.contains("bytes more)\",\"code\":\"X\"}"), "{capped}");
            assert!(capped.ends_with(",\"n\":[1,\"ok\"]}"), "{capped}");
        }
        let short = r#"{"a":"b\"c","d":[true,null]}"#;
        assert_eq!(capped_json(short), short);
    }
}
