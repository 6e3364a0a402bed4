/*!
Dotenv files (`--secrets-file .env`): the subset of the grammar on which
docker compose's `env_file` and godotenv agree, without interpolation.
`KEY=VALUE` lines, `#` comments, an optional `export `, `'literal'` and
`"escaped"` values (both may span lines), LF or CRLF, a UTF-8 BOM. A `$` is
kept as written. Blanks are what both peers trim: space, tab, `\v`, `\f`,
U+0085 and U+00A0. Anything outside that subset is an error rather than a
guess (a lone CR, a `\'` in single quotes, a `\t` godotenv reads as `t`,
a comment the two would cut at different places), and an error says where
(line and column, in characters, from 1) and what was expected, never the
line's text: it may hold a secret. tests/dotenv_peers.rs checks the rules
against cases written from both peers' documented behaviour.
Each value is built in a buffer sized once, so that no stray copy is left
behind when it is wiped. One pass: the line number is counted as the
parser goes, never from the start again.
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
const ESCAPE: &str = "one of \\n \\r \\\" \\\\ after a backslash in a double-quoted value (write \\\\ for a backslash; godotenv reads \\t as t, compose as a tab)";
const BACKSLASH_QUOTE: &str = "no backslash right before the closing quote (godotenv and compose disagree on where such a value ends)";
const LONE_CR: &str = "a line feed after the carriage return (a CR alone is no line end for compose: CRLF or LF only)";
const COMMENT: &str = "one ` #` comment after an unquoted value (godotenv cuts at the last blank-#, compose at the first space-#: quote the value)";
const HASH_VALUE: &str = "a value after the blanks, not a # (godotenv and compose store '# ...' as the value: quote it, or write KEY= alone for nothing)";
const TRAILING_SPACE: &str = "no Unicode space at the end of an unquoted value (compose trims it, godotenv keeps it: quote the value)";
const AFTER_QUOTE: &str = "the end of the line, or a # comment, after the closing quote";
const UTF8: &str = "UTF-8 text";

/// A NUL byte: the file is not text.
const NUL: &str = "text, not a NUL byte (is it a text file?)";

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
    // A NUL is in no text file (neither peer reads one as text): a binary
    // file, or /proc/PID/environ, would otherwise become one odd value.
    if let Some(at) = text.find('\0') {
        return Err(error_at(text, at, NUL));
    }
    Parser {
        text,
        at: 0,
        line: 1,
        counted: 0,
    }
    .entries()
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
    /// The line of byte `counted` (1-based): counted on from there.
    line: usize,
    counted: usize,
}

/// What both godotenv and compose trim around keys and values (their
/// `isSpace`, less the CR: a CR alone is refused).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{a0}')
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
            self.lone_cr_here()?;
            self.end_line();
        }
    }

    fn entry(&mut self) -> Result<Entry, ParseError> {
        self.skip_export();
        self.lone_cr_here()?;
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
        let after_equals = self.at;
        self.skip_blanks();
        // `KEY= # note` is the value `# note` for both peers, a comment to
        // whoever wrote it: refused rather than stored.
        if self.peek() == Some('#') && self.at > after_equals {
            return Err(self.error(HASH_VALUE));
        }
        let value = match self.peek() {
            Some('\'') => self.single_quoted()?,
            Some('"') => self.double_quoted()?,
            _ => self.unquoted()?,
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
    /// godotenv cuts at the last `#` after a blank, compose at the first
    /// ` #`: one `#` after a space is a comment for both; several, or one
    /// after another blank, is refused. So is a trailing Unicode space that
    /// compose trims and godotenv keeps, and a CR that is not a CRLF.
    fn unquoted(&mut self) -> Result<Zeroizing<String>, ParseError> {
        let start = self.at;
        let mut comment = None;
        let mut previous = None;
        while !self.at_line_end() {
            let Some(c) = self.peek() else { break };
            if c == '\r' {
                return Err(self.error(LONE_CR));
            }
            if c == '#' && previous.is_some_and(is_blank) {
                if comment.is_some() || previous != Some(' ') {
                    return Err(self.error(COMMENT));
                }
                comment = Some(self.at);
            }
            previous = Some(c);
            self.at += c.len_utf8();
        }
        let value = self.text[start..comment.unwrap_or(self.at)].trim_end_matches(is_blank);
        if value.ends_with(char::is_whitespace) {
            let at = start + value.trim_end_matches(char::is_whitespace).len();
            return Err(self.error_at(at, TRAILING_SPACE));
        }
        let mut out = Zeroizing::new(String::with_capacity(value.len()));
        out.push_str(value);
        Ok(out)
    }

    /// `'...'`: every character as written, CRLF read as a line feed.
    fn single_quoted(&mut self) -> Result<Zeroizing<String>, ParseError> {
        let open = self.at;
        self.at += 1;
        let Some(length) = self.text[self.at..].find('\'') else {
            return Err(self.error_at(open, SINGLE_CLOSE));
        };
        let body = &self.text[self.at..self.at + length];
        if body.ends_with('\\') {
            return Err(self.error_at(self.at + length - 1, BACKSLASH_QUOTE));
        }
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
                        Some('"') => '"',
                        // `\\"`: compose ends the value there, godotenv
                        // reads an escaped quote.
                        Some('\\') if self.text[self.at + 2..].starts_with('"') => {
                            return Err(self.error(BACKSLASH_QUOTE));
                        }
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
        self.lone_cr_here()?;
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
        while let Some(c) = self.peek().filter(|&c| is_blank(c)) {
            self.at += c.len_utf8();
        }
    }

    /// At `\n`, `\r\n`, or the end.
    fn at_line_end(&self) -> bool {
        let rest = &self.text[self.at..];
        rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n")
    }

    /// A CR here that is not part of a CRLF is refused: compose reads on
    /// to the next LF, godotenv ends the line.
    fn lone_cr_here(&self) -> Result<(), ParseError> {
        if self.text[self.at..].starts_with('\r') && !self.at_line_end() {
            return Err(self.error(LONE_CR));
        }
        Ok(())
    }

    /// To the end of a comment line; a lone CR inside it is refused too
    /// (godotenv ends the comment there and reads on).
    fn skip_to_line_end(&mut self) {
        while !self.at_line_end() {
            if self.lone_cr_here().is_err() {
                return;
            }
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

    /// Counted on from the last call: the parser only moves forward.
    fn line(&mut self) -> usize {
        let from = self.counted.min(self.at);
        self.line += self.text.as_bytes()[from..self.at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = self.at;
        self.line
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
        let text = "# a comment\n\n  export  A = 1 \nB=two words  # note\n\t#indented\nexport=3\nC=a#b\nD=#both peers keep this\n";
        assert_eq!(
            pairs(text),
            [
                ("A".into(), "1".into(), 3),
                ("B".into(), "two words".into(), 4),
                ("export".into(), "3".into(), 6),
                ("C".into(), "a#b".into(), 7),
                ("D".into(), "#both peers keep this".into(), 8),
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
        assert_eq!(one("P=\"a\\nb\\rc\\\"d\\\\e\""), "a\nb\rc\"d\\e");
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
        assert_eq!(err("U=plain\r"), (1, 8));
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
    fn a_lone_cr_is_refused_where_it_is() {
        // One field holding the other secret, before.
        assert_eq!(
            err("SUPABASE_HOST=h\rSUPABASE_SERVICE_ROLE_KEY=srk\r"),
            (1, 16)
        );
        assert_eq!(err("A=1\n\rB=2"), (2, 1));
        assert_eq!(err("A='x'\rB=2"), (1, 6));
        assert_eq!(err("# note\rB=2\n"), (1, 7));
        // Inside quotes both peers keep it.
        assert_eq!(one("A='x\ry'"), "x\ry");
    }

    #[test]
    fn blanks_are_the_peers_blanks() {
        assert_eq!(one("A=\u{a0}\u{b}x\u{c}\u{85}\u{a0}"), "x");
        assert_eq!(one("\u{a0}A\u{a0}=\u{b}x"), "x");
        assert_eq!(one("A=x\u{2003}y"), "x\u{2003}y");
        assert_eq!(err("A=x\u{2003}"), (1, 4));
        assert_eq!(err("A=x \u{3000} "), (1, 4));
    }

    #[test]
    fn where_the_peers_disagree_nothing_is_stored() {
        assert_eq!(err("KEY='value\\'"), (1, 11));
        assert_eq!(err("K='abc\\' # note'"), (1, 7));
        assert_eq!(err("K=\"abc\\\\\""), (1, 7));
        assert_eq!(err("K=\"a\\tb\""), (1, 5));
        assert_eq!(err("K=a\t#b"), (1, 5));
        assert_eq!(err("K=a #b #c"), (1, 8));
        assert_eq!(err("K= #looks like a comment"), (1, 4));
        assert_eq!(one("K=a #b#c"), "a");
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
