/*!
A cursor over one file's tokens, shared by the declaration scanner, the
evaluator and the import resolver: the text of a token, what it is, where
it is (`line:col`, counted in characters), and jumps over bracket pairs,
type annotations and whole expressions, each bounded so that no input makes
a walk quadratic.
*/

use std::cell::Cell;

use super::lexer::{Kind, Part, Tokens};

/// A file's text and tokens.
pub struct Source {
    pub text: String,
    pub tokens: Tokens,
    /// Where each line starts (byte offsets, ascending; 4 bytes each, as a
    /// file may have a line per byte or two).
    line_starts: Vec<u32>,
    /// Characters before each multiple of [`CHARS_EVERY`] bytes.
    chars_before: Vec<u32>,
    /// Tokens [`Source::skip_angles`] may still look at: a file of
    /// `a<a<a<...` would cost its length for each `<` without a bound on
    /// the total.
    angle_budget: Cell<usize>,
}

/// Bytes between two character counts kept for columns.
pub(super) const CHARS_EVERY: usize = 4096;

/// Bounds forward searches, so that no input makes the scan quadratic.
pub(super) const MAX_TYPE_ARGUMENT_TOKENS: usize = 256;
/// What a `<` looks ahead once a file has had its share of long looks.
const SHORT_TYPE_ARGUMENT_TOKENS: usize = 16;

/// Statement keywords: a line starting with one ends the expression before.
const STATEMENT_START: [&str; 17] = [
    "const",
    "let",
    "var",
    "function",
    "export",
    "import",
    "class",
    "interface",
    "type",
    "if",
    "for",
    "while",
    "return",
    "async",
    "enum",
    "declare",
    "throw",
];

impl Source {
    /// The first token that leaves brackets, braces, parentheses or a
    /// template's `${` unbalanced over the whole file, and what is wrong
    /// there: Node would not load such a file, so nothing read from it can
    /// be called ready, even where the evaluated path is balanced.
    ///
    /// Read from the lexer's pairs, with no stack: a file may open millions
    /// (`((((...`: a stack of 4 bytes a level was 16 MiB more for 8 MiB).
    /// The lexer pairs a closer with the innermost open bracket when they
    /// match and skips it otherwise, so up to the first closer it skipped,
    /// its pairs are what a stack would pair; that closer is the first
    /// problem, else the innermost bracket never closed.
    pub fn unbalanced(&self) -> Option<(usize, String)> {
        let n = self.tokens.len();
        // The closers paired with an opener: a bit a token.
        let mut paired = vec![0u64; n.div_ceil(64)];
        for i in 0..n {
            if self.opens(i)
                && let Some(close) = self.close(i)
            {
                paired[close / 64] |= 1 << (close % 64);
            }
        }
        let is_paired = |i: usize| paired[i / 64] & (1 << (i % 64)) != 0;
        let stray = (0..n).find(|&i| {
            // A template's `}...${` or `}...`` ` is lexed as such only
            // inside its `${`: never a stray.
            self.tokens[i].kind() == Kind::Punct
                && matches!(self.text(i), ")" | "]" | "}")
                && !is_paired(i)
        });
        let open_text = |top: usize| match self.tokens[top].kind() {
            Kind::Template(_) => "${",
            _ => self.text(top),
        };
        let Some(i) = stray else {
            // Every closer paired: what is open at the end is never closed,
            // and the last opener without a close is the innermost.
            let top = (0..n)
                .rev()
                .find(|&i| self.opens(i) && self.close(i).is_none())?;
            return Some((top, format!("a `{}` that is never closed", open_text(top))));
        };
        match self.open_at(i) {
            None => Some((i, format!("a `{}` that closes nothing", self.text(i)))),
            Some(top) => {
                let (line, col) = self.position(self.tokens[top].start());
                Some((
                    i,
                    format!(
                        "a `{}` where the `{}` at {line}:{col} is still open",
                        self.text(i),
                        open_text(top)
                    ),
                ))
            }
        }
    }

    /// The innermost bracket or template `${` still open at token `at`:
    /// pairs closed before it are stepped over whole, one pass.
    fn open_at(&self, at: usize) -> Option<usize> {
        let mut innermost = None;
        let mut i = 0;
        while i < at {
            if self.opens(i) {
                match self.close(i) {
                    Some(close) if close < at => {
                        i = close + 1;
                        continue;
                    }
                    _ => innermost = Some(i),
                }
            }
            i += 1;
        }
        innermost
    }

    /// [`Source::unbalanced`] as a stack finds it: what the one above must
    /// agree with (unit tests and the fuzz property compare them).
    #[cfg(any(test, feature = "fuzzing"))]
    pub fn unbalanced_by_stack(&self) -> Option<(usize, String)> {
        // Token indices, 4 bytes each: a file may open millions.
        let mut open: Vec<u32> = Vec::new();
        for (i, token) in self.tokens.iter().enumerate() {
            let closing = match (token.kind(), self.text(i)) {
                (Kind::Punct, "(" | "[" | "{") | (Kind::Template(Part::Head), _) => {
                    open.push(i as u32);
                    continue;
                }
                (Kind::Punct, ")") => "(",
                (Kind::Punct, "]") => "[",
                (Kind::Punct, "}") => "{",
                (Kind::Template(Part::Middle | Part::Tail), _) => "${",
                _ => continue,
            };
            let Some(&top) = open.last() else {
                return Some((i, format!("a `{}` that closes nothing", self.text(i))));
            };
            let top = top as usize;
            let top_text = match self.tokens[top].kind() {
                Kind::Template(_) => "${",
                _ => self.text(top),
            };
            if top_text != closing {
                let (line, col) = self.position(self.tokens[top].start());
                let what = if closing == "${" { "}" } else { self.text(i) };
                return Some((
                    i,
                    format!("a `{what}` where the `{top_text}` at {line}:{col} is still open"),
                ));
            }
            if token.kind() != Kind::Template(Part::Middle) {
                open.pop();
            }
        }
        let top = *open.last()? as usize;
        let text = match self.tokens[top].kind() {
            Kind::Template(_) => "${",
            _ => self.text(top),
        };
        Some((top, format!("a `{text}` that is never closed")))
    }

    pub fn text(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.text[t.start()..t.end()])
    }

    /// A punctuator or identifier with exactly this text.
    pub fn is(&self, i: usize, text: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| matches!(t.kind(), Kind::Ident | Kind::Punct))
            && self.text(i) == text
    }

    pub fn ident(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i)?.kind() {
            Kind::Ident => Some(self.text(i)),
            _ => None,
        }
    }

    /// A string literal's value.
    pub fn string(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i)?.kind() {
            Kind::Str => self.cooked(i),
            _ => None,
        }
    }

    /// A string literal's or template piece's cooked text; `None` after an
    /// invalid escape in a template (or for another token).
    pub fn cooked(&self, i: usize) -> Option<&str> {
        let token = self.tokens.get(i)?;
        if !matches!(token.kind(), Kind::Str | Kind::Template(_)) {
            return None;
        }
        match self.tokens.cooked(i) {
            Some(cooked) => cooked,
            None => {
                let (from, to) = token.inner();
                Some(&self.text[from..to])
            }
        }
    }

    /// For `(`, `[`, `{` and a template head: the index of its closing
    /// token, when the file has one.
    pub fn close(&self, i: usize) -> Option<usize> {
        self.tokens.close(i)
    }

    /// Past the bracket pair (or template) opening at `i`, or past `i`.
    pub fn step(&self, i: usize) -> usize {
        match self.tokens.get(i) {
            Some(_) if self.opens(i) => self.close(i).map_or(self.tokens.len(), |c| c + 1),
            Some(_) => i + 1,
            None => i,
        }
    }

    fn opens(&self, i: usize) -> bool {
        match self.tokens[i].kind() {
            Kind::Punct => matches!(self.text(i), "(" | "[" | "{"),
            Kind::Template(part) => part == Part::Head,
            _ => false,
        }
    }

    /// A file's source, indexed once so that every position is found in
    /// logarithmic time: errors and candidates name many.
    pub fn new(text: String, tokens: Tokens) -> Source {
        let bytes = text.as_bytes();
        let mut line_starts: Vec<u32> = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = match b {
                b'\n' => Some(i + 1),
                // CR LF is one line break.
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                // U+2028 and U+2029.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    Some(i + 3)
                }
                _ => None,
            };
            // Offsets fit: the lexer takes no source over 16 MiB.
            line_starts.extend(ends.map(|end| end as u32));
        }
        line_starts.shrink_to_fit();
        let mut chars_before: Vec<u32> = Vec::with_capacity(bytes.len() / CHARS_EVERY + 2);
        chars_before.push(0);
        for block in bytes.chunks(CHARS_EVERY) {
            let last = chars_before.last().copied().unwrap_or(0);
            chars_before.push(last + chars_in(block) as u32);
        }
        let angle_budget = Cell::new(2 * tokens.len() + 256 * MAX_TYPE_ARGUMENT_TOKENS);
        Source {
            text,
            tokens,
            line_starts,
            chars_before,
            angle_budget,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)] as usize;
        (line, self.chars_to(offset) - self.chars_to(line_start) + 1)
    }

    /// Characters before byte `offset`.
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / CHARS_EVERY;
        let counted = self.chars_before.get(block).map_or(0, |&n| n as usize);
        let rest = self.text.as_bytes().get(block * CHARS_EVERY..offset);
        counted + rest.map_or(0, chars_in)
    }

    /// Just past an expression starting at `i` that is not evaluated: at the
    /// next `,` `;` or closing bracket of its level, or a line that starts a
    /// new statement.
    pub fn skip_expression(&self, start: usize) -> usize {
        let mut i = start;
        while let Some(token) = self.tokens.get(i) {
            let ends = match token.kind() {
                Kind::Punct => matches!(self.text(i), "," | ";" | ")" | "]" | "}"),
                Kind::Template(part) => matches!(part, Part::Middle | Part::Tail),
                Kind::Ident => {
                    i > start && token.newline_before() && STATEMENT_START.contains(&self.text(i))
                }
                _ => false,
            };
            if ends {
                break;
            }
            i = match (token.kind(), self.text(i)) {
                // Types hold commas (`as Record<string, string>`).
                (Kind::Ident, "as" | "satisfies") if i > start => self.skip_type(i + 1),
                (Kind::Punct, ":") if i > start && self.is(i - 1, ")") => self.skip_type(i + 1),
                // `f<A, B>(x)`: type arguments of a call, not comparisons.
                (Kind::Punct, "<") => {
                    let end = self.skip_angles(i);
                    let call =
                        self.is(end, "(") || matches!(self.kind(end), Some(Kind::Template(_)));
                    if call && self.text(end - 1).ends_with('>') {
                        end
                    } else {
                        i + 1
                    }
                }
                _ => self.step(i),
            };
        }
        i
    }

    /// Just past a type starting at `i` (after `:`, `as`, `satisfies`,
    /// `type X =`): names with `.`, generics, `[]`, unions, intersections,
    /// object, tuple and function types, literals, `typeof`/`keyof`.
    pub fn skip_type(&self, start: usize) -> usize {
        let mut i = start;
        let mut operand = true;
        let mut params_end = None;
        while let Some(token) = self.tokens.get(i) {
            let text = self.text(i);
            if operand {
                match (token.kind(), text) {
                    (Kind::Punct, "|" | "&") => i += 1,
                    (
                        Kind::Ident,
                        "typeof" | "keyof" | "readonly" | "unique" | "infer" | "new" | "asserts",
                    ) => i += 1,
                    (Kind::Punct, "<") => i = self.skip_angles(i),
                    (Kind::Punct, "(" | "[" | "{") => {
                        i = self.step(i);
                        operand = false;
                        if text == "(" {
                            params_end = Some(i);
                        }
                    }
                    (Kind::Punct, "-") if matches!(self.kind(i + 1), Some(Kind::Num)) => {
                        i += 2;
                        operand = false;
                    }
                    (Kind::Ident | Kind::Str | Kind::Num, _) => {
                        i += 1;
                        operand = false;
                    }
                    (Kind::Template(_), _) => {
                        i = self.step(i);
                        operand = false;
                    }
                    _ => break,
                }
            } else {
                match (token.kind(), text) {
                    (Kind::Punct, ".") if self.ident(i + 1).is_some() => i += 2,
                    (Kind::Punct, "<") if !token.newline_before() => i = self.skip_angles(i),
                    (Kind::Punct, "[") if !token.newline_before() => i = self.step(i),
                    // `=>` only after `(params)`: after a name it is an arrow
                    // function's, as in `(): Config => ({...})`.
                    (Kind::Punct, "=>") if params_end == Some(i) => {
                        i += 1;
                        operand = true;
                    }
                    (Kind::Punct, "|" | "&") => {
                        i += 1;
                        operand = true;
                    }
                    (Kind::Ident, "is") => {
                        i += 1;
                        operand = true;
                    }
                    _ => break,
                }
            }
        }
        i
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind())
    }

    /// Past `<...>` (type arguments), counting `>>` and `>>>` as several
    /// closing angles. Each `<` may look as far ahead as the file's budget
    /// for this still allows (so deeply nested type arguments are read
    /// whole), and is charged what it looked at; once the budget is spent,
    /// only [`SHORT_TYPE_ARGUMENT_TOKENS`] ahead: only a file made of `<`
    /// gets there, and `Record<string, T>` is still read.
    fn skip_angles(&self, start: usize) -> usize {
        let budget = self.angle_budget.get();
        let limit = start.saturating_add(budget.max(SHORT_TYPE_ARGUMENT_TOKENS));
        let end = self.angles_end(start, limit);
        self.angle_budget
            .set(budget.saturating_sub(end.saturating_sub(start)));
        end
    }

    fn angles_end(&self, start: usize, limit: usize) -> usize {
        let mut depth = 0i64;
        let mut i = start;
        while self.tokens.get(i).is_some() && i < limit {
            match self.text(i) {
                "<" => depth += 1,
                ">" => depth -= 1,
                ">>" => depth -= 2,
                ">>>" => depth -= 3,
                // Not type arguments after all (`a < b`): give up here.
                ";" | ")" | "]" | "}" => return i,
                _ => {}
            }
            i = self.step(i);
            if depth <= 0 {
                return i;
            }
        }
        i
    }
}

/// Characters in UTF-8 bytes: those that do not continue a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// A file's text, tokenized: for the tests of the modules that walk it.
#[cfg(test)]
pub fn source(text: &str) -> Source {
    Source::new(text.to_string(), super::lexer::tokenize(text).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let s = source("a\r\nbé c\n  d");
        assert_eq!(s.position(s.tokens[2].start()), (2, 4));
        assert_eq!(s.position(s.tokens[3].start()), (3, 3));
        let s = source("a\u{2028}b\rc\u{2029}d\r\n\n e");
        let at: Vec<_> = s.tokens.iter().map(|t| s.position(t.start())).collect();
        assert_eq!(at, [(1, 1), (2, 1), (3, 1), (4, 1), (6, 2)]);
        let long = format!("{}x", "é".repeat(3 * CHARS_EVERY));
        let s = source(&long);
        assert_eq!(s.position(long.len() - 1), (1, 3 * CHARS_EVERY + 1));
    }
}

#[cfg(test)]
mod unbalanced_tests {
    use super::source;

    /// The stackless search agrees with a stack on every kind of problem,
    /// and on files without one.
    #[test]
    fn the_pairs_find_what_a_stack_finds() {
        let cases = [
            "const a = [1, (2), {b: 3}];",
            "const stray = 1 ]",
            "f(a[1)]",
            "f(a[1)",
            "const t = [`${1}`;",
            "function f() {",
            "const t = `a${ (1 }`;",
            "const t = `a${ [1 }` }`;",
            "const t = `a${ [1] }b${ {c: 2} }`;",
            "}{",
            "((([]))",
            "(([]))))",
            "{ ( } )",
            "`${`${`${1}`}`}` ]",
            "a(b[c{d}e]f)g}",
            "",
        ];
        let mut compared = 0;
        for text in cases {
            // Some of these the lexer refuses first (an unterminated template).
            let Ok(tokens) = crate::tsconfig::lexer::tokenize(text) else {
                continue;
            };
            let s = super::Source::new(text.to_string(), tokens);
            assert_eq!(s.unbalanced(), s.unbalanced_by_stack(), "{text}");
            compared += 1;
        }
        assert!(compared >= 13, "{compared}");
        let s = source("f(a[1)]");
        let (at, what) = s.unbalanced().unwrap();
        assert_eq!(
            (at, what.as_str()),
            (5, "a `)` where the `[` at 1:4 is still open")
        );
    }
}
