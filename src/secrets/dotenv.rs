/*!
Dotenv files (`--secrets-file .env`): the subset of the grammar on which
docker compose's `env_file` and godotenv agree, without interpolation.
`KEY=VALUE` lines, `#` comments, an optional `export `, `'literal'` and
`"escaped"` values (both may span lines), LF or CRLF, a UTF-8 BOM. A `$` is
kept as written. Anything outside that subset is an error rather than a
guess, and an error says where (line and column, in characters, from 1)
and what was expected, never the line's text: it may hold a secret.
Each value is built in a buffer sized once, so that no stray copy is left
behind when it is wiped.
*/

use zeroize::Zeroizing;

/// One `KEY=VALUE` of the file. A later entry with the same key wins; that
/// is the caller's merge. Empty values are returned: the caller refuses
/// them, naming the key.
pub struct Entry {
    pub key: String,
    pub value: Zeroizing<String>,
    /// Where the key is (1-based).
    pub line: usize,
}

/// Where the file stops making sense, and what would have made it.
#[derive(Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub expected: &'static str,
}

const BOM: &str = "\u{feff}";

const KEY_START: &str = "a key: a letter or _, then letters, digits or _";
const EQUALS: &str =
    "'=' after the key (a key is letters, digits and _; a value starts after the '=')";
const SINGLE_CLOSE: &str = "a closing ' for the single-quoted value that starts here";
const DOUBLE_CLOSE: &str = "a closing \" for the double-quoted value that starts here";
const ESCAPE: &str = "one of \\n \\r \\t \\\" \\\\ after a backslash in a double-quoted value (write \\\\ for a backslash)";
const AFTER_QUOTE: &str = "the end of the line, or a # comment, after the closing quote";
const UTF8: &str = "UTF-8 text";

pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, ParseError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Valid up to there: the position is counted in that prefix.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let valid = valid.strip_prefix(BOM).unwrap_or(valid);
            return Err(error_at(valid, valid.len(), UTF8));
        }
    };
    let text = text.strip_prefix(BOM).unwrap_or(text);
    Parser { text, at: 0 }.entries()
}

fn error_at(text: &str, offset: usize, expected: &'static str) -> ParseError {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    ParseError {
        line,
        column: before[line_start..].chars().count() + 1,
        expected,
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    at: usize,
}

impl Parser<'_> {
    fn entries(mut self) -> Result<Vec<Entry>, ParseError> {
        let mut entries = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(entries),
                Some('#') => self.skip_to_line_end(),
                _ if self.at_line_end() => {}
                Some(_) => entries.push(self.entry()?),
            }
            self.end_line();
        }
    }

    fn entry(&mut self) -> Result<Entry, ParseError> {
        self.skip_export();
        let line = self.line();
        let key_start = self.at;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
            _ => return Err(self.error(KEY_START)),
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        let key = self.text[key_start..self.at].to_string();
        self.skip_blanks();
        if self.peek() != Some('=') {
            return Err(self.error(EQUALS));
        }
        self.at += 1;
        self.skip_blanks();
        let value = match self.peek() {
            Some('\'') => self.single_quoted()?,
            Some('"') => self.double_quoted()?,
            _ => self.unquoted(),
        };
        Ok(Entry { key, value, line })
    }

    /// `export KEY=...`; a key named `export` (`export=1`) stays a key.
    fn skip_export(&mut self) {
        let rest = &self.text[self.at..];
        let Some(after) = rest.strip_prefix("export") else {
            return;
        };
        let trimmed = after.trim_start_matches([' ', '\t']);
        if trimmed.len() < after.len() && !trimmed.starts_with('=') {
            self.at += rest.len() - trimmed.len();
        }
    }

    /// Up to the end of the line or an inline ` #` comment, blanks trimmed.
    fn unquoted(&mut self) -> Zeroizing<String> {
        let start = self.at;
        let mut end = start;
        while !self.at_line_end() {
            let Some(c) = self.peek() else { break };
            // A `#` begins a comment only after a blank (`a#b` is a value).
            if c == '#' && self.text[..self.at].ends_with([' ', '\t']) {
                self.skip_to_line_end();
                break;
            }
            self.at += c.len_utf8();
            if c != ' ' && c != '\t' {
                end = self.at;
            }
        }
        let mut value = Zeroizing::new(String::with_capacity(end - start));
        value.push_str(&self.text[start..end]);
        value
    }

    /// `'...'`: every character as written, CRLF read as a line feed.
    fn single_quoted(&mut self) -> Result<Zeroizing<String>, ParseError> {
        let open = self.at;
        self.at += 1;
        let Some(length) = self.text[self.at..].find('\'') else {
            return Err(self.error_at(open, SINGLE_CLOSE));
        };
        let body = &self.text[self.at..self.at + length];
        let mut value = Zeroizing::new(String::with_capacity(body.len()));
        let mut rest = body;
        while let Some(n) = rest.find("\r\n") {
            value.push_str(&rest[..n]);
            value.push('\n');
            rest = &rest[n + 2..];
        }
        value.push_str(rest);
        self.at += length + 1;
        self.after_quote()?;
        Ok(value)
    }

    /// `"..."` with `\n \r \t \" \\`; CRLF read as a line feed.
    fn double_quoted(&mut self) -> Result<Zeroizing<String>, ParseError> {
        let open = self.at;
        self.at += 1;
        // Found first so the value's buffer is allocated once, never grown.
        let length = self
            .double_quoted_length()
            .ok_or_else(|| self.error_at(open, DOUBLE_CLOSE))?;
        let mut value = Zeroizing::new(String::with_capacity(length));
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error_at(open, DOUBLE_CLOSE));
            };
            match c {
                '"' => break,
                '\\' => {
                    let decoded = match self.text[self.at + 1..].chars().next() {
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('"') => '"',
                        Some('\\') => '\\',
                        _ => return Err(self.error(ESCAPE)),
                    };
                    value.push(decoded);
                    self.at += 2;
                }
                '\r' if self.text[self.at..].starts_with("\r\n") => {
                    value.push('\n');
                    self.at += 2;
                }
                c => {
                    value.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
        self.at += 1;
        self.after_quote()?;
        Ok(value)
    }

    /// Bytes between the opening quote (already passed) and the closing
    /// one: an upper bound on the decoded value's length.
    fn double_quoted_length(&self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => return Some(i - self.at),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        None
    }

    fn after_quote(&mut self) -> Result<(), ParseError> {
        self.skip_blanks();
        if self.peek() == Some('#') {
            self.skip_to_line_end();
        }
        if self.at_line_end() {
            Ok(())
        } else {
            Err(self.error(AFTER_QUOTE))
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.at += 1;
        }
    }

    /// At `\n`, `\r\n`, a `\r` that ends the file, or the end.
    fn at_line_end(&self) -> bool {
        let rest = &self.text[self.at..];
        rest.is_empty() || rest.starts_with('\n') || rest == "\r" || rest.starts_with("\r\n")
    }

    fn skip_to_line_end(&mut self) {
        while !self.at_line_end() {
            self.at += self.peek().map_or(1, char::len_utf8);
        }
    }

    fn end_line(&mut self) {
        let rest = &self.text[self.at..];
        self.at += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(!rest.is_empty())
        };
    }

    fn line(&self) -> usize {
        self.text[..self.at].matches('\n').count() + 1
    }

    fn error(&self, expected: &'static str) -> ParseError {
        self.error_at(self.at, expected)
    }

    fn error_at(&self, offset: usize, expected: &'static str) -> ParseError {
        error_at(self.text, offset, expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String, usize)> {
        parse(text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value.to_string(), e.line))
            .collect()
    }

    fn one(text: &str) -> String {
        let entries = pairs(text);
        assert_eq!(entries.len(), 1, "{text:?}");
        entries[0].1.clone()
    }

    fn err(text: &str) -> (usize, usize) {
        let e = parse(text.as_bytes()).err().unwrap();
        (e.line, e.column)
    }

    #[test]
    fn lines_comments_export_and_blanks() {
        let text = "# a comment\n\n  export  A = 1 \nB=two words  # note\n\t#indented\nexport=3\nC=a#b\nD= #only a comment\n";
        assert_eq!(
            pairs(text),
            [
                ("A".into(), "1".into(), 3),
                ("B".into(), "two words".into(), 4),
                ("export".into(), "3".into(), 6),
                ("C".into(), "a#b".into(), 7),
                ("D".into(), "".into(), 8),
            ]
        );
    }

    #[test]
    fn quotes_keep_dollars_hashes_and_spaces() {
        assert_eq!(one("P='pa$$ #word \\n'"), "pa$$ #word \\n");
        assert_eq!(one("P=\"$HOME ${X} #x\""), "$HOME ${X} #x");
        assert_eq!(one("P=$HOME"), "$HOME");
        assert_eq!(one("P=\"  padded  \"  # c"), "  padded  ");
        assert_eq!(one("P=it's"), "it's");
        assert_eq!(one("P=\"a\\nb\\r\\tc\\\"d\\\\e\""), "a\nb\r\tc\"d\\e");
    }

    #[test]
    fn quoted_values_span_lines_and_crlf_becomes_lf() {
        let pem = "K=\"-----BEGIN KEY-----\r\nAAA=\r\n-----END KEY-----\"\r\nN=1\r\n";
        assert_eq!(
            pairs(pem),
            [
                (
                    "K".into(),
                    "-----BEGIN KEY-----\nAAA=\n-----END KEY-----".into(),
                    1
                ),
                ("N".into(), "1".into(), 4)
            ]
        );
        assert_eq!(one("S='a\r\nb'\r\n"), "a\nb");
        assert_eq!(one("U=plain\r\n"), "plain");
        assert_eq!(one("U=plain\r"), "plain");
    }

    #[test]
    fn bom_and_duplicates_are_returned_in_order() {
        assert_eq!(
            pairs("\u{feff}A=1\nA=2\n"),
            [("A".into(), "1".into(), 1), ("A".into(), "2".into(), 2)]
        );
    }

    #[test]
    fn errors_point_at_line_and_column() {
        assert_eq!(err("A=1\nB=\"open\nmore"), (2, 3));
        assert_eq!(err("A='x"), (1, 3));
        assert_eq!(err("just-a-token"), (1, 5));
        assert_eq!(err("sk_live_abc"), (1, 12));
        assert_eq!(err("1KEY=x"), (1, 1));
        assert_eq!(err("  =x"), (1, 3));
        assert_eq!(err("K=\"a\\$b\""), (1, 5));
        assert_eq!(err("K=\"a\" b"), (1, 7));
        assert_eq!(err("é=1"), (1, 1));
        assert_eq!(err("A=1\nKÉY=2"), (2, 2));
        let e = parse(b"A=1\nB=\xff").err().unwrap();
        assert_eq!((e.line, e.column, e.expected), (2, 3, UTF8));
        let e = parse("\u{feff}A=\"x".as_bytes()).err().unwrap();
        assert_eq!((e.line, e.column), (1, 3));
    }

    #[test]
    fn error_texts_hold_no_input() {
        for bad in [
            "SECRET_VALUE_X",
            "K=\"SECRET_VALUE_X",
            "K=\"SECRET\\qVALUE\"",
        ] {
            let e = parse(bad.as_bytes()).err().unwrap();
            assert!(!e.expected.contains("SECRET"), "{}", e.expected);
        }
    }
}
