/*!
Tokens of a whole TypeScript / JavaScript file, for the evaluator to walk
lazily. Robust by design: anything it does not understand becomes a
one-character punctuator rather than an error, since only the few tokens on
the path to the requested entry are ever evaluated. Only what would stop
Node from loading the file too (an unterminated string, template or comment)
is an error. No recursion: nested template literals and brackets are tracked
with one explicit stack, which also pairs every opening bracket with its
closing one so the evaluator can skip a value in one step.

Memory is bounded by the file's size: a token is 8 bytes (an 8 MiB file of
`[1,2,3],` has a token per byte), and a literal's cooked text is kept only
when escapes make it differ from the source, in one buffer no longer than
the file.
*/

/// What a token is. A literal's cooked text is [`Tokens::cooked`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword: the text is the source's.
    Ident,
    /// A string literal.
    Str,
    /// A numeric literal: the text is the source's.
    Num,
    /// A template literal piece; its cooked text is missing after an
    /// invalid escape (allowed in tagged templates, refused when evaluated).
    Template(Part),
    Regex,
    Punct,
}

/// Which piece of a template literal: `` `a` `` is `Whole`; `` `a${ ``,
/// `` }b${ `` and `` }c` `` are `Head`, `Middle` and `Tail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    Head,
    Middle,
    Tail,
}

/// One token in 8 bytes: its start, and 24 bits (the length, or for `(`,
/// `[` and `{`, whose length is 1, the index of the closing token) under 8
/// bits of flags. 24 bits hold both: a file is at most [`MAX_SOURCE_BYTES`].
#[derive(Debug, Clone, Copy)]
pub struct Token {
    start: u32,
    bits: u32,
}

/// The payload's value for "no closing token".
const NONE: u32 = (1 << 24) - 1;
const PAYLOAD: u32 = (1 << 24) - 1;
const KIND_SHIFT: u32 = 24;
const PART_SHIFT: u32 = 27;
const NEWLINE: u32 = 1 << 29;
/// The cooked text differs from the source: it is in [`Tokens::cooked`].
const COOKED: u32 = 1 << 30;
/// An opening bracket: the payload is its closing token's index.
const OPENER: u32 = 1 << 31;

/// The largest source [`tokenize`] takes, so that lengths and token indices
/// fit 24 bits (imports.rs reads no file over 8 MiB).
pub const MAX_SOURCE_BYTES: usize = (1 << 24) - 2;

impl Token {
    fn new(kind: Kind, start: usize, end: usize, newline_before: bool) -> Token {
        let (code, part) = match kind {
            Kind::Ident => (0, 0),
            Kind::Str => (1, 0),
            Kind::Num => (2, 0),
            Kind::Template(part) => (3, part as u32),
            Kind::Regex => (4, 0),
            Kind::Punct => (5, 0),
        };
        let newline = if newline_before { NEWLINE } else { 0 };
        Token {
            start: start as u32,
            bits: (code << KIND_SHIFT)
                | (part << PART_SHIFT)
                | newline
                | ((end - start) as u32 & PAYLOAD),
        }
    }

    pub fn kind(&self) -> Kind {
        match (self.bits >> KIND_SHIFT) & 7 {
            0 => Kind::Ident,
            1 => Kind::Str,
            2 => Kind::Num,
            3 => Kind::Template(match (self.bits >> PART_SHIFT) & 3 {
                0 => Part::Whole,
                1 => Part::Head,
                2 => Part::Middle,
                _ => Part::Tail,
            }),
            4 => Kind::Regex,
            _ => Kind::Punct,
        }
    }

    /// Byte range in the source.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        if self.bits & OPENER != 0 {
            self.start() + 1
        } else {
            self.start() + (self.bits & PAYLOAD) as usize
        }
    }

    /// A line terminator (or a comment holding one) comes before it.
    pub fn newline_before(&self) -> bool {
        self.bits & NEWLINE != 0
    }

    /// A string's or template piece's text between its delimiters: its
    /// cooked text unless [`Tokens::cooked`] has one.
    pub fn inner(&self) -> (usize, usize) {
        let closing = match self.kind() {
            Kind::Template(Part::Head | Part::Middle) => 2,
            _ => 1,
        };
        (self.start() + 1, self.end() - closing)
    }

    fn is_template_head(&self) -> bool {
        self.kind() == Kind::Template(Part::Head)
    }
}

/// Tokens in blocks of a fixed size: growing never copies them (a copy
/// holds the old and the new list at once, up to three times the tokens).
#[derive(Debug, Default)]
struct Blocks {
    blocks: Vec<Vec<Token>>,
    len: usize,
}

const BLOCK_BITS: u32 = 16;
const BLOCK: usize = 1 << BLOCK_BITS;

impl Blocks {
    fn get(&self, i: usize) -> Option<&Token> {
        self.blocks.get(i >> BLOCK_BITS)?.get(i & (BLOCK - 1))
    }

    fn push(&mut self, token: Token) {
        if self.len.is_multiple_of(BLOCK) {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        if let Some(block) = self.blocks.last_mut() {
            block.push(token);
            self.len += 1;
        }
    }

    fn last(&self) -> Option<&Token> {
        self.get(self.len.checked_sub(1)?)
    }

    fn shrink_to_fit(&mut self) {
        if let Some(block) = self.blocks.last_mut() {
            block.shrink_to_fit();
        }
        self.blocks.shrink_to_fit();
    }
}

impl std::ops::Index<usize> for Blocks {
    type Output = Token;

    fn index(&self, i: usize) -> &Token {
        &self.blocks[i >> BLOCK_BITS][i & (BLOCK - 1)]
    }
}

impl std::ops::IndexMut<usize> for Blocks {
    fn index_mut(&mut self, i: usize) -> &mut Token {
        &mut self.blocks[i >> BLOCK_BITS][i & (BLOCK - 1)]
    }
}

/// A file's tokens, with what does not fit in 8 bytes kept aside.
#[derive(Debug, Default)]
pub struct Tokens {
    list: Blocks,
    /// (template head, its tail), by head: a head's length takes its
    /// payload.
    head_closes: Vec<(u32, u32)>,
    /// (token, start, end in `cooked_text`) of each literal whose cooked
    /// text differs from its source, by token; a start of `u32::MAX` for a
    /// template with an invalid escape.
    cooked: Vec<(u32, u32, u32)>,
    cooked_text: String,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.list.len
    }

    pub fn get(&self, i: usize) -> Option<&Token> {
        self.list.get(i)
    }

    #[cfg(any(test, feature = "fuzzing"))]
    pub fn iter(&self) -> impl Iterator<Item = &Token> {
        self.list.blocks.iter().flatten()
    }

    /// For `(`, `[`, `{` and a template head: the index of its closing
    /// token (the template's tail), when the file has one.
    pub fn close(&self, i: usize) -> Option<usize> {
        let token = self.list.get(i)?;
        let close = if token.bits & OPENER != 0 {
            token.bits & PAYLOAD
        } else if token.is_template_head() {
            let at = self
                .head_closes
                .binary_search_by_key(&(i as u32), |&(h, _)| h);
            at.map_or(NONE, |at| self.head_closes[at].1)
        } else {
            NONE
        };
        (close != NONE).then_some(close as usize)
    }

    /// The cooked text of string or template token `i`: `None` when it is
    /// the source's (between the quotes, the backquote or `}` and the
    /// backquote or `${`), `Some(None)` after an invalid escape.
    pub fn cooked(&self, i: usize) -> Option<Option<&str>> {
        if self.list.get(i)?.bits & COOKED == 0 {
            return None;
        }
        let at = self.cooked.binary_search_by_key(&(i as u32), |&(t, ..)| t);
        let &(_, from, to) = &self.cooked[at.ok()?];
        Some((from != u32::MAX).then(|| &self.cooked_text[from as usize..to as usize]))
    }

    fn push(&mut self, token: Token) {
        self.list.push(token);
    }

    fn set_close(&mut self, opener: usize, close: usize) {
        let token = &mut self.list[opener];
        if token.is_template_head() {
            if let Ok(at) = self
                .head_closes
                .binary_search_by_key(&(opener as u32), |&(h, _)| h)
            {
                self.head_closes[at].1 = close as u32;
            }
        } else {
            token.bits = (token.bits & !PAYLOAD) | OPENER | close as u32;
        }
    }
}

impl std::ops::Index<usize> for Tokens {
    type Output = Token;

    fn index(&self, i: usize) -> &Token {
        &self.list[i]
    }
}

#[derive(Debug)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
}

/// Longest first, so `>>>=` is not read as `>` `>` `>=`.
const PUNCTUATORS: [&str; 49] = [
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "**", "<<", ">>", "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "%", "&",
    "|",
];
/// After these keywords a `/` starts a regular expression, not a division.
const BEFORE_EXPRESSION: [&str; 15] = [
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
    "extends",
];

pub fn tokenize(src: &str) -> Result<Tokens, LexError> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(LexError {
            offset: 0,
            message: format!("a file over {MAX_SOURCE_BYTES} bytes"),
        });
    }
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        tokens: Tokens::default(),
        open: NONE,
        newline: false,
        unclosed: Vec::new(),
    };
    lexer.run()?;
    // What is still open is never closed: its link becomes "no close".
    while lexer.pop_open().is_some() {}
    let mut tokens = lexer.tokens;
    tokens.list.shrink_to_fit();
    tokens.head_closes.shrink_to_fit();
    tokens.cooked.shrink_to_fit();
    tokens.cooked_text.shrink_to_fit();
    Ok(tokens)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Tokens,
    /// The innermost open bracket or template head, by token index (the
    /// token's first byte tells which), or NONE. Each open one holds the
    /// one open around it where its close will go (a bracket's payload, a
    /// head's `head_closes` entry): no stack of its own, as a file may
    /// open millions (`((((...`: 16 MiB more for 8 MiB).
    open: u32,
    newline: bool,
    /// Per byte, the regex scanning states (bit 0: outside a character
    /// class, bit 1: inside one) known to run to the end of the line
    /// unclosed. A scan that reaches one stops there, so no byte is scanned
    /// twice from the same state: `/[/[/[...` stays linear. Empty until a
    /// scan fails.
    unclosed: Vec<u8>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), LexError> {
        if self.src.starts_with("#!") {
            self.pos = self.src.find('\n').unwrap_or(self.src.len());
        }
        loop {
            self.skip_trivia()?;
            let Some(c) = self.peek_char() else {
                return Ok(());
            };
            let start = self.pos;
            match c {
                '"' | '\'' => {
                    let cooked = self.string(c)?;
                    let index = self.push(Kind::Str, start);
                    self.keep_cooked(index, start + 1, self.pos - 1, Some(&cooked));
                }
                '`' => {
                    self.pos += 1;
                    self.template(start)?;
                }
                '0'..='9' => self.number(start),
                '.' if self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => {
                    self.number(start)
                }
                '}' if self.template_open() => {
                    // The end of a `${...}`: the template goes on.
                    self.pos += 1;
                    self.template(start)?;
                }
                '/' if self.regex_allowed() && self.regex() => {
                    self.push(Kind::Regex, start);
                }
                c if is_ident_start(c) => {
                    while self.peek_char().is_some_and(is_ident_part) {
                        self.pos += self.peek_char().map_or(1, char::len_utf8);
                    }
                    self.push(Kind::Ident, start);
                }
                _ => self.punctuator(c, start),
            }
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    /// Pushes a token from `start` to here; its index.
    fn push(&mut self, kind: Kind, start: usize) -> usize {
        let newline = std::mem::take(&mut self.newline);
        self.tokens.push(Token::new(kind, start, self.pos, newline));
        self.tokens.len() - 1
    }

    /// Whether the innermost open bracket is a template's `${`.
    fn template_open(&self) -> bool {
        self.open_last()
            .is_some_and(|i| self.tokens.list[i as usize].is_template_head())
    }

    fn open_last(&self) -> Option<u32> {
        (self.open != NONE).then_some(self.open)
    }

    /// Where the link of open token `index` is: its payload, or for a
    /// template head its `head_closes` entry.
    fn link(&mut self, index: u32) -> &mut u32 {
        let tokens = &mut self.tokens;
        if tokens.list[index as usize].is_template_head() {
            let at = tokens
                .head_closes
                .binary_search_by_key(&index, |&(h, _)| h)
                .unwrap_or(0);
            &mut tokens.head_closes[at].1
        } else {
            &mut tokens.list[index as usize].bits
        }
    }

    /// Opens token `index` (already pushed) inside the innermost open one.
    fn push_open(&mut self, index: u32) {
        let outer = self.open;
        let head = self.tokens.list[index as usize].is_template_head();
        let link = self.link(index);
        *link = if head {
            outer
        } else {
            (*link & !PAYLOAD) | outer
        };
        self.open = index;
    }

    /// Closes the innermost open token: its link is reset to "no close"
    /// (for `set_close`), and the one around it is innermost again.
    fn pop_open(&mut self) -> Option<u32> {
        let index = self.open_last()?;
        let head = self.tokens.list[index as usize].is_template_head();
        let link = self.link(index);
        let outer = if head { *link } else { *link & PAYLOAD };
        *link = if head {
            NONE
        } else {
            (*link & !PAYLOAD) | NONE
        };
        self.open = outer;
        Some(index)
    }

    /// Notes the cooked text of literal `index` when it is not the source's
    /// `raw_start..raw_end` (`None`: an invalid escape).
    fn keep_cooked(
        &mut self,
        index: usize,
        raw_start: usize,
        raw_end: usize,
        cooked: Option<&str>,
    ) {
        if cooked == Some(&self.src[raw_start..raw_end]) {
            return;
        }
        let tokens = &mut self.tokens;
        let (from, to) = match cooked {
            Some(text) => {
                let from = tokens.cooked_text.len();
                tokens.cooked_text.push_str(text);
                (from as u32, tokens.cooked_text.len() as u32)
            }
            None => (u32::MAX, u32::MAX),
        };
        tokens.cooked.push((index as u32, from, to));
        tokens.list[index].bits |= COOKED;
    }

    /// Whitespace and comments; remembers whether a line ended.
    fn skip_trivia(&mut self) -> Result<(), LexError> {
        while let Some(c) = self.peek_char() {
            if self.src[self.pos..].starts_with("//") {
                let rest = &self.src[self.pos..];
                self.pos += rest
                    .find(['\n', '\r', '\u{2028}', '\u{2029}'])
                    .unwrap_or(rest.len());
            } else if self.src[self.pos..].starts_with("/*") {
                let Some(len) = self.src[self.pos + 2..].find("*/") else {
                    return Err(self.error(self.pos, "an unterminated /* comment"));
                };
                let comment = &self.src[self.pos..self.pos + 2 + len];
                self.newline |= comment.contains(is_line_terminator);
                self.pos += len + 4;
            } else if c.is_whitespace() || c == '\u{feff}' {
                self.newline |= is_line_terminator(c);
                self.pos += c.len_utf8();
            } else {
                return Ok(());
            }
        }
        Ok(())
    }

    fn error(&self, offset: usize, message: &str) -> LexError {
        LexError {
            offset,
            message: message.to_string(),
        }
    }

    fn punctuator(&mut self, c: char, start: usize) {
        let rest = &self.src[self.pos..];
        // Brackets and separators are most tokens: no search for them.
        let single = matches!(c, '{' | '}' | '(' | ')' | '[' | ']' | ';' | ',' | ':');
        let len = if single {
            1
        } else {
            // The first byte rules out nearly all: no comparison call per
            // punctuator for each token (most of the time in a file of `!`).
            let first = rest.as_bytes()[0];
            PUNCTUATORS
                .iter()
                .find(|p| p.as_bytes()[0] == first && rest.starts_with(**p))
                // `?.5` is `?` then `.5`.
                .filter(|p| {
                    **p != "?." || !self.bytes.get(self.pos + 2).is_some_and(u8::is_ascii_digit)
                })
                .map_or(c.len_utf8(), |p| p.len())
        };
        self.pos += len;
        let index = self.push(Kind::Punct, start);
        match c {
            '(' | '[' | '{' if len == 1 => {
                self.tokens.list[index].bits |= OPENER | NONE;
                self.push_open(index as u32);
            }
            ')' | ']' | '}' => self.close(c, index),
            _ => {}
        }
    }

    /// Pairs a closing bracket with the innermost open one when they match;
    /// a stray closer is left unpaired (in constant time: no input makes
    /// this quadratic), and so is an opener never closed.
    fn close(&mut self, c: char, index: usize) {
        let want = match c {
            ')' => b'(',
            ']' => b'[',
            _ => b'{',
        };
        if let Some(opener) = self.open_last()
            && self.bytes[self.tokens.list[opener as usize].start()] == want
        {
            self.pop_open();
            self.tokens.set_close(opener as usize, index);
        }
    }

    fn regex_allowed(&self) -> bool {
        let Some(previous) = self.tokens.list.last() else {
            return true;
        };
        let text = &self.src[previous.start()..previous.end()];
        match previous.kind() {
            Kind::Ident => BEFORE_EXPRESSION.contains(&text),
            Kind::Punct => !matches!(text, ")" | "]" | "}"),
            Kind::Template(part) => matches!(part, Part::Head | Part::Middle),
            Kind::Str | Kind::Num | Kind::Regex => false,
        }
    }

    /// A regular expression literal from `/`; `false` (nothing consumed)
    /// when the line ends first, so that the `/` is read as a division.
    fn regex(&mut self) -> bool {
        let mut i = self.pos + 1;
        let mut in_class = false;
        let mut visited = Vec::new();
        loop {
            let state = if in_class { 2 } else { 1 };
            if self.unclosed.get(i).is_some_and(|known| known & state != 0) {
                return self.unclosed_from(&visited);
            }
            visited.push((i, state));
            let Some(c) = self.src.get(i..).and_then(|s| s.chars().next()) else {
                return self.unclosed_from(&visited);
            };
            if is_line_terminator(c) {
                return self.unclosed_from(&visited);
            }
            match c {
                '\\' => {
                    i += 1;
                    match self.src.get(i..).and_then(|s| s.chars().next()) {
                        Some(next) if !is_line_terminator(next) => i += next.len_utf8(),
                        _ => return self.unclosed_from(&visited),
                    }
                    continue;
                }
                '[' => in_class = true,
                ']' => in_class = false,
                '/' if !in_class => break,
                _ => {}
            }
            i += c.len_utf8();
        }
        i += 1;
        while self
            .src
            .get(i..)
            .and_then(|s| s.chars().next())
            .is_some_and(is_ident_part)
        {
            i += self.src[i..].chars().next().map_or(1, char::len_utf8);
        }
        self.pos = i;
        true
    }

    /// Records the states of a scan that found no closing `/`; `false`.
    fn unclosed_from(&mut self, visited: &[(usize, u8)]) -> bool {
        if self.unclosed.is_empty() {
            self.unclosed = vec![0; self.bytes.len() + 1];
        }
        for &(i, state) in visited {
            if let Some(known) = self.unclosed.get_mut(i) {
                *known |= state;
            }
        }
        false
    }

    fn number(&mut self, start: usize) {
        let radix = self.bytes.get(self.pos) == Some(&b'0')
            && matches!(
                self.bytes.get(self.pos + 1),
                Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
            );
        if radix {
            self.pos += 2;
            while self
                .bytes
                .get(self.pos)
                .is_some_and(|b| b.is_ascii_hexdigit() || *b == b'_')
            {
                self.pos += 1;
            }
        } else {
            self.digits();
            if self.bytes.get(self.pos) == Some(&b'.') {
                self.pos += 1;
                self.digits();
            }
            if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
                let sign = matches!(self.bytes.get(self.pos + 1), Some(b'+' | b'-'));
                let digit_at = self.pos + 1 + usize::from(sign);
                if self.bytes.get(digit_at).is_some_and(u8::is_ascii_digit) {
                    self.pos = digit_at;
                    self.digits();
                }
            }
        }
        if self.bytes.get(self.pos) == Some(&b'n') {
            self.pos += 1;
        }
        self.push(Kind::Num, start);
    }

    fn digits(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'_')
        {
            self.pos += 1;
        }
    }

    /// A `'...'` or `"..."` literal, cooked.
    fn string(&mut self, quote: char) -> Result<String, LexError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.error(start, "an unterminated string literal"));
            };
            if c == quote {
                self.pos += 1;
                return Ok(out);
            }
            if c == '\n' || c == '\r' {
                return Err(self.error(start, "an unterminated string literal"));
            }
            self.pos += c.len_utf8();
            if c == '\\' {
                // Invalid escapes in a plain string: kept leniently.
                if let Some(text) = self.escape(start)? {
                    out.push_str(&text);
                }
            } else {
                out.push(c);
            }
        }
    }

    /// A template piece from just after `` ` `` or `}` to `` ` `` or `${`.
    fn template(&mut self, start: usize) -> Result<(), LexError> {
        let resumed = self.bytes.get(start) == Some(&b'}');
        // Errors point at the literal's opening backquote.
        let literal = match self.open_last() {
            Some(head) if resumed => self.tokens.list[head as usize].start(),
            _ => start,
        };
        let mut cooked = Some(String::new());
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.error(literal, "an unterminated template literal"));
            };
            self.pos += c.len_utf8();
            match c {
                '`' => {
                    let part = if resumed { Part::Tail } else { Part::Whole };
                    let index = self.push(Kind::Template(part), start);
                    self.keep_cooked(index, start + 1, self.pos - 1, cooked.as_deref());
                    if resumed && let Some(head) = self.pop_open() {
                        self.tokens.set_close(head as usize, index);
                    }
                    return Ok(());
                }
                '$' if self.bytes.get(self.pos) == Some(&b'{') => {
                    self.pos += 1;
                    let part = if resumed { Part::Middle } else { Part::Head };
                    let index = self.push(Kind::Template(part), start);
                    self.keep_cooked(index, start + 1, self.pos - 2, cooked.as_deref());
                    if !resumed {
                        self.tokens.head_closes.push((index as u32, NONE));
                        self.push_open(index as u32);
                    }
                    return Ok(());
                }
                '\\' => match self.escape(literal) {
                    Ok(Some(text)) => {
                        if let Some(s) = cooked.as_mut() {
                            s.push_str(&text)
                        }
                    }
                    Ok(None) => {}
                    Err(_) => cooked = None,
                },
                // Template text normalises CR LF and CR to LF.
                '\r' => {
                    if self.bytes.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    if let Some(s) = cooked.as_mut() {
                        s.push('\n')
                    }
                }
                c => {
                    if let Some(s) = cooked.as_mut() {
                        s.push(c)
                    }
                }
            }
        }
    }

    /// After a backslash: the escaped text, `None` for a line continuation.
    fn escape(&mut self, literal: usize) -> Result<Option<String>, LexError> {
        let Some(c) = self.peek_char() else {
            return Err(self.error(literal, "an unterminated string literal"));
        };
        self.pos += c.len_utf8();
        let simple = match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '0' if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) => '\0',
            '\r' => {
                if self.bytes.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                return Ok(None);
            }
            '\n' | '\u{2028}' | '\u{2029}' => return Ok(None),
            'x' => {
                let code = self
                    .hex(2)
                    .ok_or_else(|| self.error(literal, "a bad \\x escape"))?;
                return Ok(Some(char::from_u32(code).unwrap_or('\u{fffd}').to_string()));
            }
            'u' => return self.unicode(literal).map(Some),
            c => c,
        };
        Ok(Some(simple.to_string()))
    }

    /// `\uXXXX` (a surrogate pair joined) or `\u{X...}`, after the `u`.
    fn unicode(&mut self, literal: usize) -> Result<String, LexError> {
        let bad = |lexer: &Self| lexer.error(literal, "a bad \\u escape");
        let code = if self.bytes.get(self.pos) == Some(&b'{') {
            // Only the hex digits are looked at: finding the `}` anywhere
            // after would make a run of `\u{` quadratic.
            let rest = &self.src[self.pos + 1..];
            let len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            if !rest[len..].starts_with('}') {
                return Err(bad(self));
            }
            let code = u32::from_str_radix(&rest[..len], 16).map_err(|_| bad(self))?;
            if len == 0 || code > 0x10ffff {
                return Err(bad(self));
            }
            self.pos += len + 2;
            code
        } else {
            self.hex(4).ok_or_else(|| bad(self))?
        };
        if (0xd800..0xdc00).contains(&code) && self.src[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            match self.hex(4) {
                Some(low) if (0xdc00..0xe000).contains(&low) => {
                    let joined = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    return Ok(char::from_u32(joined).unwrap_or('\u{fffd}').to_string());
                }
                _ => self.pos = save,
            }
        }
        // A lone surrogate has no UTF-8 form.
        Ok(char::from_u32(code).unwrap_or('\u{fffd}').to_string())
    }

    fn hex(&mut self, digits: usize) -> Option<u32> {
        let text = self.src.get(self.pos..self.pos + digits)?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += digits;
        u32::from_str_radix(text, 16).ok()
    }
}

pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn is_ident_start(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphabetic()
}

fn is_ident_part(c: char) -> bool {
    is_ident_start(c) || c.is_alphanumeric() || c == '\u{200c}' || c == '\u{200d}'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cooked(src: &str, tokens: &Tokens, i: usize) -> Option<String> {
        match tokens.cooked(i) {
            Some(cooked) => cooked.map(String::from),
            None => {
                let (from, to) = tokens[i].inner();
                Some(src[from..to].to_string())
            }
        }
    }

    fn kinds(src: &str) -> Vec<String> {
        let tokens = tokenize(src).unwrap();
        tokens
            .iter()
            .enumerate()
            .map(|(i, t)| match t.kind() {
                Kind::Str => format!("s:{}", cooked(src, &tokens, i).unwrap()),
                Kind::Template(part) => {
                    format!("t{part:?}:{}", cooked(src, &tokens, i).unwrap_or_default())
                }
                Kind::Regex => format!("re:{}", &src[t.start()..t.end()]),
                _ => src[t.start()..t.end()].to_string(),
            })
            .collect()
    }

    #[test]
    fn a_token_is_8_bytes() {
        // A file may hold a token per byte: 8 MiB of `[1,2,3],` is 8 M
        // tokens, which must stay under 10× the file's size.
        assert!(std::mem::size_of::<Token>() <= 8);
    }

    #[test]
    fn only_literals_changed_by_escapes_keep_cooked_text() {
        let src = "'plain' 'a\\nb' `t${x}u\\x41` `\\u{zz}`";
        let tokens = tokenize(src).unwrap();
        // A plain literal's value is its source: nothing kept aside.
        assert_eq!(tokens.cooked(0), None);
        assert_eq!(tokens.cooked(1), Some(Some("a\nb")));
        assert_eq!(tokens.cooked(2), None);
        assert_eq!(tokens.cooked(4), Some(Some("uA")));
        assert_eq!(tokens.cooked(5), Some(None));
        assert_eq!(tokens.cooked_text, "a\nbuA");
        assert_eq!(tokens.close(2), Some(4));
        assert_eq!(
            kinds(src),
            ["s:plain", "s:a\nb", "tHead:t", "x", "tTail:uA", "tWhole:"]
        );
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            kinds(
                r#"'a\'b' "c\"\n\t\\" '\u0041\u{1F600}\x41' '\uD83D\uDE00' 'x\
y'"#
            ),
            ["s:a'b", "s:c\"\n\t\\", "s:A😀A", "s:😀", "s:xy"]
        );
    }

    #[test]
    fn nested_templates_pair_with_their_tails() {
        let src = "`a${ `b${c}d` }e${f}g` + 1";
        assert_eq!(
            kinds(src),
            [
                "tHead:a",
                "tHead:b",
                "c",
                "tTail:d",
                "tMiddle:e",
                "f",
                "tTail:g",
                "+",
                "1"
            ]
        );
        let tokens = tokenize(src).unwrap();
        assert_eq!(tokens.close(0), Some(6));
        assert_eq!(tokens.close(1), Some(3));
        assert_eq!(kinds("`{{X}} ${ {a: 1}.a }`")[0], "tHead:{{X}} ");
    }

    #[test]
    fn regex_or_division_by_what_comes_before() {
        assert_eq!(kinds("a / b / c"), ["a", "/", "b", "/", "c"]);
        assert_eq!(kinds("x = /[/]}/g.test(s)")[2], "re:/[/]}/g");
        assert_eq!(kinds("return /a\\/b/"), ["return", "re:/a\\/b/"]);
        assert_eq!(kinds("(1) / 2 /x"), ["(", "1", ")", "/", "2", "/", "x"]);
        // A `/` whose line ends is a division, never an error.
        assert_eq!(kinds("= / 2"), ["=", "/", "2"]);
        // A scan that found no end does not decide for a later `/` that
        // starts in another state.
        assert_eq!(
            kinds("= /[/ x /;/y/"),
            ["=", "/", "[", "re:/ x /", ";", "re:/y/"]
        );
        assert_eq!(
            kinds("= /[\\/ /[/ a"),
            ["=", "/", "[", "\\", "re:/ /", "[", "/", "a"]
        );
    }

    #[test]
    fn comments_numbers_and_punctuators() {
        assert_eq!(
            kinds("a /* b */ // c\n 0x1F 1_000 .5 1e-3 10n ?.5 a?.b ... >>>="),
            [
                "a", "0x1F", "1_000", ".5", "1e-3", "10n", "?", ".5", "a", "?.", "b", "...", ">>>="
            ]
        );
        let tokens = tokenize("a /* \n */ b").unwrap();
        assert!(tokens[1].newline_before());
    }

    #[test]
    fn brackets_pair_and_strays_are_left_alone() {
        let tokens = tokenize("{ ( [ ] ) } ] {").unwrap();
        assert_eq!(tokens.close(0), Some(5));
        assert_eq!(tokens.close(1), Some(4));
        assert_eq!(tokens.close(7), None);
    }

    #[test]
    fn unterminated_literals_are_errors_at_their_start() {
        for (src, at) in [
            ("a = 'abc", 4),
            ("x\n\"ab\ncd\"", 2),
            ("`a${b}", 0),
            ("/* x", 0),
        ] {
            let err = tokenize(src).unwrap_err();
            assert_eq!(err.offset, at, "{src}: {}", err.message);
        }
    }
}
