/*!
Lazy evaluation of the expressions on the path to one custom integration.
An expression is first parsed shallowly into a [`Shape`] (an object or array
literal stays a token position), so looking up one property or one array
element never evaluates its siblings: a function call elsewhere in the same
object is never met. Only the entry that is asked for is evaluated fully.

Every recursive step goes through [`Eval::nested`], which bounds the depth
(nesting, reference chains, spreads alike), and a work budget bounds what
references can multiply: no input can exhaust the stack or the memory.
*/

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::Failure;
use super::imports::Program;
use super::lexer::{Kind, Part};
use super::scan::{Binding, Export, Import, Imported};
use super::value::{JsValue, Number, Object};

/// Nesting of values, parentheses, references and spreads, all together.
pub const MAX_DEPTH: usize = 64;
/// Values and string bytes (/16) made in one extraction, a value used
/// again counted again: at least this, and [`WORK_PER_TOKEN`] for each
/// token of the files read, so that the bound is set by what is read and a
/// few lines of `const oN = { x: oN-1, y: oN-1 }` cannot expand to millions.
const MIN_WORK: usize = 100_000;
const WORK_PER_TOKEN: usize = 4;
/// References and member accesses followed to reach one value.
const MAX_STEPS: usize = 1_000;
/// Names followed one to the next (`r99 = r98`, ... `r1 = r0`) to one value.
const MAX_CHAIN: usize = 500;
/// Operands of one `a + b + ...` string concatenation.
const MAX_OPERANDS: usize = 1_000;
/// `a.b.c...` and suffixes after one primary expression.
const MAX_SUFFIXES: usize = 64;
/// Tokens of an expression parsed again rather than kept.
const SHORT_EXPRESSION: usize = 16;

/// Where names are looked up: a file's top level, plus getConfiguration's
/// locals when the expression is inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub file: usize,
    pub local: bool,
}

/// An expression parsed just enough to know what it is.
#[derive(Debug, Clone)]
pub enum Shape {
    Value(JsValue),
    /// An object literal: its `{`.
    Object(Scope, usize),
    /// An array literal: its `[`.
    Array(Scope, usize),
    /// A template literal with substitutions: its head.
    Template(Scope, usize),
    /// An identifier, looked up when needed.
    Ref(Scope, usize),
    /// `base.key` or `base['key']`; the token is the key's.
    Member(Box<Shape>, String, Scope, usize),
    /// `import * as ns`: a module's exports.
    Namespace(usize),
    /// `a + b + ...` (the token is the first `+`): strings, and numbers
    /// next to one, joined as JavaScript's `+` does.
    Concat(Scope, usize, Rc<[Shape]>),
}

/// What a name is bound to.
enum Target {
    Value(Scope, usize),
    Namespace(usize),
    Function,
}

/// One member of an object literal, not yet evaluated.
#[derive(Clone)]
enum Member {
    Property(String, Value),
    /// `...expression`, the expression starting at this token: parsed only
    /// when a key is looked for past it, so a call in a spread that a later
    /// key overrides is never met.
    Spread(Scope, usize),
    Computed(usize),
}

/// Where a property's value is: parsed only when it is asked for.
#[derive(Clone)]
enum Value {
    /// `key: expression`, the expression starting at this token.
    Expression(Scope, usize),
    /// `{ name }`: a reference to `name`.
    Shorthand(Scope, usize),
    /// A method.
    Function,
    /// A getter or setter (`get key() {}`): its key's token. Node runs it.
    Accessor(Scope, usize),
}

/// Where [`Eval::next_element`] is in an array literal and the arrays
/// spread into it: (scope, next token, the closing `]`, the `[`) each.
pub struct Walk {
    frames: Vec<(Scope, usize, usize, usize)>,
    /// The elements each frame has expanded to so far, spreads included.
    counts: Vec<usize>,
    /// Arrays walked to their end, with the elements each expands to: none
    /// holds the match, so spreading one again adds nothing to look at (and
    /// arrays each spread twice into the next stay linear), but its
    /// elements are charged again, as Node would build them all.
    done: HashMap<(Scope, usize), usize>,
    /// The element or spread (`true`) read last: its scope and first token
    /// (for a spread, the one after `...`).
    pub at: Option<(Scope, usize, bool)>,
}

impl Walk {
    /// The elements of the array literal at `open`.
    pub fn new(eval: &Eval, scope: Scope, open: usize) -> Walk {
        let s = eval.source(scope.file);
        let close = s.close(open).unwrap_or(open);
        Walk {
            frames: vec![(scope, open + 1, close, open)],
            counts: vec![0],
            done: HashMap::new(),
            at: None,
        }
    }
}

impl Walk {
    /// Past the element or spread [`Walk::at`] names, after reading it
    /// failed, so that the walk goes on with the next one. Nothing to do
    /// when the walk is already past it (a spread that failed to resolve).
    pub fn skip(&mut self, eval: &Eval) {
        let (Some((scope, start, _)), Some(frame)) = (self.at, self.frames.last_mut()) else {
            return;
        };
        if frame.0 != scope || frame.1 > start {
            return;
        }
        let s = eval.source(scope.file);
        let end = s.skip_expression(start);
        // Always forward, even when the element does not end where it should.
        frame.1 = if s.is(end, ",") { end + 1 } else { end }.max(start + 1);
    }
}

/// `count` more elements in the innermost array being walked.
fn counted(walk: &mut Walk, count: usize) {
    if let Some(last) = walk.counts.last_mut() {
        *last = last.saturating_add(count);
    }
}

fn set_next(walk: &mut Walk, next: usize) {
    if let Some(frame) = walk.frames.last_mut() {
        frame.1 = next;
    }
}

pub struct Eval<'p> {
    pub program: &'p mut Program,
    depth: usize,
    work: usize,
    /// The work bound for the files read so far, and how many they were.
    work_limit: usize,
    limit_files: usize,
    /// (module, name) pairs looked for through `export *` in the search
    /// under way: each is searched once.
    star_searched: HashSet<(usize, String)>,
    /// `export *` searches under way (nested ones included).
    star_searches: usize,
    /// What was found once is not looked for again: an expression parsed,
    /// an object literal's members, a property of one, the whole value of
    /// an object or array literal (with its size, charged again on each
    /// use). A literal spread twice into the next, and so on, would
    /// otherwise be walked an exponential number of times.
    parsed: HashMap<(Scope, usize), (Shape, usize)>,
    members_of: HashMap<(Scope, usize), Rc<[Member]>>,
    properties: HashMap<(Scope, usize, String), Option<Shape>>,
    values: HashMap<(Scope, usize), (JsValue, usize)>,
}

impl<'p> Eval<'p> {
    pub fn new(program: &'p mut Program) -> Eval<'p> {
        Eval {
            program,
            depth: 0,
            work: 0,
            work_limit: MIN_WORK,
            limit_files: 0,
            star_searched: HashSet::new(),
            star_searches: 0,
            parsed: HashMap::new(),
            members_of: HashMap::new(),
            properties: HashMap::new(),
            values: HashMap::new(),
        }
    }

    fn fail(&self, scope: Scope, at: usize, met: impl Into<String>) -> Failure {
        self.program.fail(scope.file, at, met)
    }

    fn source(&self, file: usize) -> &super::cursor::Source {
        &self.program.modules[file].source
    }

    /// Runs `step` one level deeper, refusing past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        scope: Scope,
        at: usize,
        step: impl FnOnce(&mut Self) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(
                scope,
                at,
                format!("values or references nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let result = step(self);
        self.depth -= 1;
        result
    }

    /// The work budget is spent: every further step fails.
    pub fn exhausted(&self) -> bool {
        self.work > self.work_limit
    }

    fn spend(&mut self, scope: Scope, at: usize, amount: usize) -> Result<(), Failure> {
        self.work += amount;
        if self.work > self.work_limit && self.program.modules.len() != self.limit_files {
            self.limit_files = self.program.modules.len();
            let tokens: usize = self
                .program
                .modules
                .iter()
                .map(|m| m.source.tokens.len())
                .sum();
            self.work_limit = MIN_WORK.max(tokens.saturating_mul(WORK_PER_TOKEN));
        }
        if self.work > self.work_limit {
            let met = format!(
                "a value too large to be a schema or a list of integrations: it expands to more than {} values (each use of a constant counts it again; the limit is {WORK_PER_TOKEN} per token of the files read, at least {MIN_WORK})",
                self.work_limit
            );
            return Err(self.fail(scope, at, met));
        }
        Ok(())
    }

    /// The expression starting at token `at`: its shape and where it ends.
    /// Parsed once: a name used many times is not parsed (its types and
    /// functions skipped token by token) again for each use.
    pub fn parse(&mut self, scope: Scope, at: usize) -> Result<(Shape, usize), Failure> {
        if let Some(parsed) = self.parsed.get(&(scope, at)) {
            return Ok(parsed.clone());
        }
        let parsed = self.parse_expression(scope, at)?;
        // A short expression costs less to parse again than to keep.
        if parsed.1 - at > SHORT_EXPRESSION {
            self.parsed.insert((scope, at), parsed.clone());
        }
        Ok(parsed)
    }

    fn parse_expression(&mut self, scope: Scope, at: usize) -> Result<(Shape, usize), Failure> {
        let (first, mut i) = self.operand(scope, at)?;
        let mut shape = first;
        // `a + b + ...`: a string concatenation, evaluated when asked for.
        if self.source(scope.file).is(i, "+") {
            let plus = i;
            let mut operands = vec![shape];
            while self.source(scope.file).is(i, "+") {
                if operands.len() >= MAX_OPERANDS {
                    let met = format!("a concatenation of more than {MAX_OPERANDS} operands");
                    return Err(self.fail(scope, i, met));
                }
                let (operand, end) = self.operand(scope, i + 1)?;
                operands.push(operand);
                i = end;
            }
            shape = Shape::Concat(scope, plus, Rc::from(operands));
        }
        // The expression must end here: anything else is an operator.
        let s = self.source(scope.file);
        if let Some(token) = s.tokens.get(i) {
            let ends = match token.kind() {
                Kind::Punct => matches!(s.text(i), "," | ";" | ")" | "]" | "}"),
                Kind::Template(part) => matches!(part, Part::Middle | Part::Tail),
                _ => token.newline_before(),
            };
            if !ends {
                let met = format!("the operator or token `{}`", s.text(i));
                return Err(self.fail(scope, i, met));
            }
        }
        Ok((shape, i))
    }

    /// A primary expression and its suffixes (`.key`, `['key']`, `!`, `as T`).
    fn operand(&mut self, scope: Scope, at: usize) -> Result<(Shape, usize), Failure> {
        let (mut shape, mut i) = self.primary(scope, at)?;
        let mut suffixes = 0;
        loop {
            suffixes += 1;
            if suffixes > MAX_SUFFIXES {
                return Err(self.fail(scope, i, "an expression too long to evaluate"));
            }
            let s = self.source(scope.file);
            let Some(token) = s.tokens.get(i) else { break };
            let text = s.text(i);
            match (token.kind(), text) {
                (Kind::Punct, ".") => {
                    let Some(key) = s.ident(i + 1).map(String::from) else {
                        return Err(self.fail(scope, i, "`.` without a property name"));
                    };
                    shape = Shape::Member(Box::new(shape), key, scope, i + 1);
                    i += 2;
                }
                (Kind::Punct, "[") => {
                    let key = match s.tokens.get(i + 1).map(|t| t.kind()) {
                        Some(Kind::Str) => s.string(i + 1).map(String::from),
                        Some(Kind::Num) => {
                            Number::from_literal(s.text(i + 1)).map(|n| n.to_js_string())
                        }
                        _ => None,
                    };
                    match key {
                        Some(key) if s.close(i) == Some(i + 2) => {
                            shape = Shape::Member(Box::new(shape), key, scope, i + 1);
                            i += 3;
                        }
                        _ => {
                            let met = format!(
                                "a computed member access `{}[`",
                                self.snippet(scope, at, i)
                            );
                            return Err(self.fail(scope, i, met));
                        }
                    }
                }
                (Kind::Punct, "!") if !token.newline_before() => i += 1,
                (Kind::Ident, "as" | "satisfies") if !token.newline_before() => {
                    i = s.skip_type(i + 1);
                }
                (Kind::Punct, "(") => {
                    let met = format!("a function call `{}(`", self.snippet(scope, at, i));
                    return Err(self.fail(scope, at, met));
                }
                (Kind::Punct, "?.") => {
                    return Err(self.fail(scope, i, "optional chaining `?.`"));
                }
                (Kind::Template(Part::Whole | Part::Head), _) => {
                    return Err(self.fail(scope, i, "a tagged template"));
                }
                _ => break,
            }
        }
        Ok((shape, i))
    }

    /// Up to 40 characters of source from token `from` to before `to`.
    fn snippet(&self, scope: Scope, from: usize, to: usize) -> String {
        let s = self.source(scope.file);
        let (Some(a), Some(b)) = (s.tokens.get(from), s.tokens.get(to)) else {
            return String::new();
        };
        let text: String = s.text[a.start()..b.start()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match text.char_indices().nth(40) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }

    fn primary(&mut self, scope: Scope, at: usize) -> Result<(Shape, usize), Failure> {
        let s = self.source(scope.file);
        let Some(token) = s.tokens.get(at) else {
            return Err(self.fail(scope, at, "the end of the file where a value was expected"));
        };
        let text = s.text(at);
        let after = |close: Option<usize>| close.map(|c| c + 1);
        let value = |v: JsValue| Ok((Shape::Value(v), at + 1));
        let close = s.close(at);
        match (token.kind(), text) {
            (Kind::Punct, "{") => match after(close) {
                Some(next) => Ok((Shape::Object(scope, at), next)),
                None => Err(self.fail(scope, at, "a `{` that is never closed")),
            },
            (Kind::Punct, "[") => match after(close) {
                Some(next) => Ok((Shape::Array(scope, at), next)),
                None => Err(self.fail(scope, at, "a `[` that is never closed")),
            },
            (Kind::Punct, "(") => {
                let Some(close) = close else {
                    return Err(self.fail(scope, at, "a `(` that is never closed"));
                };
                if s.is(close + 1, "=>") || s.is(close + 1, ":") {
                    return Ok((Shape::Value(JsValue::Function), s.skip_expression(at)));
                }
                let (inner, end) = self.nested(scope, at, |e| e.parse(scope, at + 1))?;
                if end != close {
                    let met = format!("`{}` inside parentheses", self.source(scope.file).text(end));
                    return Err(self.fail(scope, end, met));
                }
                Ok((inner, close + 1))
            }
            (Kind::Punct, sign @ ("-" | "+"))
                if matches!(s.tokens.get(at + 1).map(|t| t.kind()), Some(Kind::Num)) =>
            {
                let negative = sign == "-";
                let (number, _) = self.number(scope, at + 1)?;
                let number = if negative { number.negate() } else { number };
                Ok((Shape::Value(JsValue::Number(number)), at + 2))
            }
            (Kind::Str, _) => value(JsValue::String(
                s.string(at).unwrap_or_default().to_string(),
            )),
            (Kind::Num, _) => {
                let (number, next) = self.number(scope, at)?;
                Ok((Shape::Value(JsValue::Number(number)), next))
            }
            (Kind::Template(part), _) => match (part, s.cooked(at)) {
                (_, None) => Err(self.fail(scope, at, "a template literal with an invalid escape")),
                (Part::Whole, Some(text)) => value(JsValue::String(text.to_string())),
                (Part::Head, Some(_)) => match after(close) {
                    Some(next) => Ok((Shape::Template(scope, at), next)),
                    None => Err(self.fail(scope, at, "an unterminated template literal")),
                },
                _ => Err(self.fail(scope, at, "a `}` out of place")),
            },
            (Kind::Ident, "true") => value(JsValue::Bool(true)),
            (Kind::Ident, "false") => value(JsValue::Bool(false)),
            (Kind::Ident, "null") => value(JsValue::Null),
            (Kind::Ident, "undefined") => value(JsValue::Undefined),
            (Kind::Ident, "function") => {
                Ok((Shape::Value(JsValue::Function), s.skip_expression(at)))
            }
            (Kind::Ident, "async")
                if s.is(at + 1, "function") || s.is(at + 1, "(") || s.ident(at + 1).is_some() =>
            {
                Ok((Shape::Value(JsValue::Function), s.skip_expression(at)))
            }
            (Kind::Ident, _) if s.is(at + 1, "=>") => {
                Ok((Shape::Value(JsValue::Function), s.skip_expression(at)))
            }
            (
                Kind::Ident,
                "new" | "class" | "await" | "typeof" | "void" | "delete" | "this" | "super"
                | "yield" | "import" | "require",
            ) => {
                let met = format!("`{text}`, which only Node can evaluate");
                Err(self.fail(scope, at, met))
            }
            (Kind::Ident, _) => Ok((Shape::Ref(scope, at), at + 1)),
            (Kind::Regex, _) => Err(self.fail(scope, at, "a regular expression")),
            _ => {
                let met = format!("`{text}` where a value was expected");
                Err(self.fail(scope, at, met))
            }
        }
    }

    fn number(&self, scope: Scope, at: usize) -> Result<(Number, usize), Failure> {
        let text = self.source(scope.file).text(at);
        if text.ends_with('n') {
            return Err(self.fail(scope, at, "a BigInt, which JSON cannot hold"));
        }
        match Number::from_literal(text) {
            Some(number) => Ok((number, at + 1)),
            None => Err(self.fail(scope, at, format!("the number `{text}`"))),
        }
    }

    /// What a name means in `scope`: getConfiguration's locals, the file's
    /// top level, then its imports.
    fn lookup(&mut self, scope: Scope, at: usize) -> Result<Target, Failure> {
        let module = &self.program.modules[scope.file];
        let (source, declared) = (&module.source, &module.declared);
        let name = source.text(at).to_string();
        let local = scope
            .local
            .then(|| declared.config.as_ref()?.local(source, &name))
            .flatten();
        let is_local = local.is_some();
        let binding = local.or_else(|| declared.binding(source, &name));
        let Some(binding) = binding else {
            let met = format!("`{name}`, a name not declared in this file");
            return Err(self.fail(scope, at, met));
        };
        let binding_scope = Scope {
            file: scope.file,
            local: is_local,
        };
        self.binding(binding_scope, &name, binding)
    }

    fn binding(&mut self, scope: Scope, name: &str, binding: Binding) -> Result<Target, Failure> {
        match binding {
            Binding::Value(at) => {
                if let Some(assigned) = self.assigned_again(scope, name, at) {
                    let met = format!(
                        "`{name}` assigned again, where only the initial value of a `let`/`var` can be read (declare it `const`)"
                    );
                    return Err(self.fail(scope, assigned, met));
                }
                Ok(Target::Value(scope, at))
            }
            Binding::Declared => Ok(Target::Function),
            Binding::Param(at) => {
                let met = format!(
                    "`{name}`, a parameter of getConfiguration (Node calls it with no arguments: it holds its default value or undefined, not what a name outside says)"
                );
                Err(self.fail(scope, at, met))
            }
            Binding::Twice(twice) => {
                let first = self
                    .fail(scope, twice.first, "")
                    .location
                    .unwrap_or_default();
                let met = if name == "default" {
                    format!(
                        "`export default` again (first at {first}): Node cannot load the module (SyntaxError: Duplicate export of 'default')"
                    )
                } else if twice.syntax {
                    format!(
                        "`{name}` declared again (first at {first}): Node cannot load the module (SyntaxError: Identifier '{name}' has already been declared)"
                    )
                } else {
                    format!(
                        "`{name}` declared again (first at {first}): Node takes the later declaration, which is not read (declare it once, with `const`)"
                    )
                };
                Err(self.fail(scope, twice.second, met))
            }
            Binding::Import(import) => {
                let Import { spec, imported, at } = *import;
                let file = self.program.import(scope.file, &spec, at)?;
                self.nested(scope, at, |e| e.export(file, &imported, scope, at))
            }
        }
    }

    /// Where the `let`/`var` binding `name`, whose value starts at `at`, is
    /// assigned again in its scope (getConfiguration's body for a local,
    /// the file for the top level), if it is.
    fn assigned_again(&self, scope: Scope, name: &str, at: usize) -> Option<usize> {
        let declared = &self.program.modules[scope.file].declared;
        if !declared.sites.is_variable(at) {
            return None;
        }
        let body = declared.config.as_ref().and_then(|c| c.body);
        let in_scope = |i: usize| match body {
            Some((open, close)) if scope.local => open < i && i < close,
            _ => true,
        };
        let source = &self.program.modules[scope.file].source;
        let assigned = declared.assigned(source, name);
        assigned.iter().map(|&i| i as usize).find(|&i| in_scope(i))
    }

    /// An export of module `file`, for an import at (`scope`, `at`).
    fn export(
        &mut self,
        file: usize,
        imported: &Imported,
        scope: Scope,
        at: usize,
    ) -> Result<Target, Failure> {
        if let Some(found) = self.find_export(file, imported, scope, at)? {
            return Ok(found);
        }
        let display = &self.program.modules[file].display;
        let name = match imported {
            Imported::Named(name) => name.as_str(),
            _ => "default",
        };
        let met = format!("an import of `{name}`, which {display} does not export");
        Err(self.fail(scope, at, met))
    }

    /// An export of module `file`, `None` when it has no such export (any
    /// other failure on the way is an error).
    fn find_export(
        &mut self,
        file: usize,
        imported: &Imported,
        scope: Scope,
        at: usize,
    ) -> Result<Option<Target>, Failure> {
        let top = Scope { file, local: false };
        let module = &self.program.modules[file];
        let (source, declared) = (&module.source, &module.declared);
        let name = match imported {
            Imported::Namespace => return Ok(Some(Target::Namespace(file))),
            // `export default x`, or `export { x as default }`.
            Imported::Default => match declared.default_export() {
                Some(binding) => return self.binding(top, "default", binding).map(Some),
                None => "default",
            },
            Imported::Named(name) => name,
        };
        match declared.export(source, name) {
            Some(Export::Local(local)) => match declared.binding(source, &local) {
                Some(binding) => self.binding(top, &local, binding).map(Some),
                None => Err(self.fail(
                    scope,
                    at,
                    format!("an export `{local}` that is not declared"),
                )),
            },
            Some(Export::Twice(twice)) => {
                let first = self.fail(top, twice.first, "").location.unwrap_or_default();
                let met = format!(
                    "`{name}` exported again (first at {first}): Node cannot load the module (SyntaxError: Duplicate export of '{name}')"
                );
                Err(self.fail(top, twice.second, met))
            }
            Some(Export::From { spec, imported, at }) => {
                let next = self.program.import(file, &spec, at)?;
                self.nested(top, at, |e| e.export(next, &imported, top, at))
                    .map(Some)
            }
            None => {
                // `export *` passes on every name but `default`.
                let stars = if name == "default" {
                    Vec::new()
                } else {
                    declared.star_exports.clone()
                };
                self.star_export(file, name, stars, imported, top)
            }
        }
    }

    /// `name` through the `export *` of module `file`, each module searched
    /// once for a name in one search: a cycle of `export *` (or many paths
    /// to one module) is not walked again and again.
    fn star_export(
        &mut self,
        file: usize,
        name: &str,
        stars: Vec<(String, usize)>,
        imported: &Imported,
        top: Scope,
    ) -> Result<Option<Target>, Failure> {
        if stars.is_empty() || !self.star_searched.insert((file, name.to_string())) {
            return Ok(None);
        }
        self.star_searches += 1;
        let mut result = Ok(None);
        for (spec, star) in stars {
            if let Err(e) = self.spend(top, star, 1) {
                result = Err(e);
                break;
            }
            let next = match self.program.import(file, &spec, star) {
                Ok(next) => next,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if let Ok(found) = self.nested(top, star, |e| e.export(next, imported, top, star)) {
                result = Ok(Some(found));
                break;
            }
        }
        self.star_searches -= 1;
        if let Ok(Some(_)) = result {
            // Found: a later search of the same name finds it again.
            self.star_searched.remove(&(file, name.to_string()));
        }
        if self.star_searches == 0 {
            self.star_searched.clear();
        }
        result
    }

    /// Follows names and member accesses to an object, array, template or
    /// plain value.
    pub fn resolve(&mut self, shape: Shape) -> Result<Shape, Failure> {
        let mut shape = shape;
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut steps = 0;
        loop {
            steps += 1;
            if steps > MAX_STEPS {
                let met = "a reference that never ends (circular through a property)";
                return Err(match &shape {
                    Shape::Ref(scope, at) | Shape::Member(_, _, scope, at) => {
                        self.fail(*scope, *at, met)
                    }
                    _ => Failure::plain(met.to_string()),
                });
            }
            shape = match shape {
                Shape::Ref(scope, at) => {
                    // Chains of names are walked again for each use: charged.
                    self.spend(scope, at, 1)?;
                    match self.lookup(scope, at)? {
                        Target::Namespace(file) => return Ok(Shape::Namespace(file)),
                        Target::Function => return Ok(Shape::Value(JsValue::Function)),
                        Target::Value(scope, value) => {
                            let name = || self.source(scope.file).text(at).to_string();
                            if !seen.insert((scope.file, value)) {
                                let met = format!("`{}`, which refers to itself", name());
                                return Err(self.fail(scope, at, met));
                            }
                            if seen.len() > MAX_CHAIN {
                                let met = format!(
                                    "`{}`, the end of a chain of more than {MAX_CHAIN} names each naming the next (the limit on such chains)",
                                    name()
                                );
                                return Err(self.fail(scope, at, met));
                            }
                            self.nested(scope, value, |e| e.parse(scope, value))?.0
                        }
                    }
                }
                Shape::Member(base, key, scope, at) => {
                    let base = self.nested(scope, at, |e| e.resolve(*base))?;
                    self.member(base, &key, scope, at)?
                }
                other => return Ok(other),
            };
        }
    }

    /// Export `key` of module `file` as a shape, `None` when it has none:
    /// unlike an import of a missing name, a namespace's missing member is
    /// only `undefined`. A failure on the way is placed at (`scope`, `at`).
    pub fn namespace_member(
        &mut self,
        file: usize,
        key: &str,
        scope: Scope,
        at: usize,
    ) -> Result<Option<Shape>, Failure> {
        Ok(
            match self.find_export(file, &Imported::Named(key.to_string()), scope, at)? {
                Some(Target::Value(s, v)) => Some(self.parse(s, v)?.0),
                Some(Target::Namespace(f)) => Some(Shape::Namespace(f)),
                Some(Target::Function) => Some(Shape::Value(JsValue::Function)),
                None => None,
            },
        )
    }

    /// `base.key` where `base` is resolved.
    fn member(
        &mut self,
        base: Shape,
        key: &str,
        scope: Scope,
        at: usize,
    ) -> Result<Shape, Failure> {
        match base {
            Shape::Namespace(file) => {
                let target = self.export(file, &Imported::Named(key.to_string()), scope, at)?;
                Ok(match target {
                    Target::Value(scope, value) => self.parse(scope, value)?.0,
                    Target::Namespace(file) => Shape::Namespace(file),
                    Target::Function => Shape::Value(JsValue::Function),
                })
            }
            Shape::Object(s, open) => Ok(self
                .property(s, open, key)?
                .unwrap_or(Shape::Value(JsValue::Undefined))),
            Shape::Array(s, open) => {
                let items = self.elements(s, open)?;
                if key == "length" {
                    let number = Number::from_literal(&items.len().to_string());
                    return Ok(Shape::Value(
                        number.map_or(JsValue::Undefined, JsValue::Number),
                    ));
                }
                let index = key.parse::<usize>().ok();
                Ok(index
                    .and_then(|i| items.into_iter().nth(i))
                    .unwrap_or(Shape::Value(JsValue::Undefined)))
            }
            Shape::Value(JsValue::Undefined | JsValue::Null) => {
                Err(self.fail(scope, at, format!("`.{key}` of undefined or null")))
            }
            _ => Ok(Shape::Value(JsValue::Undefined)),
        }
    }

    /// The members of the object literal at `open`, values unparsed; read
    /// once per literal.
    fn members(&mut self, scope: Scope, open: usize) -> Result<Rc<[Member]>, Failure> {
        if let Some(members) = self.members_of.get(&(scope, open)) {
            return Ok(members.clone());
        }
        let members: Rc<[Member]> = self.read_members(scope, open)?.into();
        self.members_of.insert((scope, open), members.clone());
        Ok(members)
    }

    fn read_members(&mut self, scope: Scope, open: usize) -> Result<Vec<Member>, Failure> {
        let s = self.source(scope.file);
        let close = s.close(open).unwrap_or(s.tokens.len());
        let mut out = Vec::new();
        let mut i = open + 1;
        while i < close {
            let s = self.source(scope.file);
            if s.is(i, "...") {
                out.push(Member::Spread(scope, i + 1));
                i = s.skip_expression(i + 1);
            } else if s.is(i, "[") {
                out.push(Member::Computed(i));
                i = s.skip_expression(s.step(i));
            } else {
                // get/set/async/* before a method name
                let modifier = matches!(s.ident(i), Some("get" | "set" | "async"))
                    && !s.is(i + 1, ":")
                    && !s.is(i + 1, ",")
                    && !s.is(i + 1, "(")
                    && !s.is(i + 1, "}");
                let k = if modifier || s.is(i, "*") { i + 1 } else { i };
                let key = match s.tokens.get(k).map(|t| t.kind()) {
                    Some(Kind::Ident) => s.text(k).to_string(),
                    Some(Kind::Str) => s.string(k).unwrap_or_default().to_string(),
                    Some(Kind::Num) => match Number::from_literal(s.text(k)) {
                        Some(n) => n.to_js_string(),
                        None => return Err(self.fail(scope, k, "a property key it cannot read")),
                    },
                    Some(_) if s.is(k, "[") => {
                        out.push(Member::Computed(k));
                        i = s.skip_expression(s.step(k));
                        continue;
                    }
                    _ => {
                        let met = format!("`{}` where a property was expected", s.text(k));
                        return Err(self.fail(scope, k, met));
                    }
                };
                if s.is(k + 1, ":") && !modifier {
                    out.push(Member::Property(key, Value::Expression(scope, k + 2)));
                    i = s.skip_expression(k + 2);
                } else if (s.is(k + 1, "(") || s.is(k + 1, "<")) && modifier && !s.is(i, "async") {
                    out.push(Member::Property(key, Value::Accessor(scope, k)));
                    i = s.skip_expression(k + 1);
                } else if s.is(k + 1, "(") || s.is(k + 1, "<") {
                    out.push(Member::Property(key, Value::Function));
                    i = s.skip_expression(k + 1);
                } else if (s.is(k + 1, ",") || s.is(k + 1, "}")) && s.ident(k).is_some() {
                    out.push(Member::Property(key, Value::Shorthand(scope, k)));
                    i = k + 1;
                } else {
                    let met = format!("`{}` after the property `{key}`", s.text(k + 1));
                    return Err(self.fail(scope, k + 1, met));
                }
            }
            let s = self.source(scope.file);
            if s.is(i, ",") {
                i += 1;
            } else if i < close {
                let met = format!("`{}` where `,` or `}}` was expected", s.text(i));
                return Err(self.fail(scope, i, met));
            }
        }
        Ok(out)
    }

    /// A property's value as a shape, parsed now.
    fn value(&mut self, value: Value) -> Result<Shape, Failure> {
        match value {
            Value::Expression(scope, at) => Ok(self.parse(scope, at)?.0),
            Value::Shorthand(scope, at) => Ok(Shape::Ref(scope, at)),
            Value::Function => Ok(Shape::Value(JsValue::Function)),
            Value::Accessor(scope, at) => {
                Err(self.fail(scope, at, "a getter or setter, which only Node can run"))
            }
        }
    }

    /// Property `key` of the object literal at `open`, evaluating nothing
    /// but what decides it (the last definition wins, spreads included).
    pub fn property(
        &mut self,
        scope: Scope,
        open: usize,
        key: &str,
    ) -> Result<Option<Shape>, Failure> {
        // Only spreads can make a lookup cost more than the members it
        // looks through (charged each time).
        let spreads = self
            .members(scope, open)?
            .iter()
            .any(|m| matches!(m, Member::Spread(..)));
        if !spreads {
            return self.find_property(scope, open, key);
        }
        let memo = (scope, open, key.to_string());
        if let Some(found) = self.properties.get(&memo) {
            return Ok(found.clone());
        }
        let found = self.find_property(scope, open, key)?;
        self.properties.insert(memo, found.clone());
        Ok(found)
    }

    fn find_property(
        &mut self,
        scope: Scope,
        open: usize,
        key: &str,
    ) -> Result<Option<Shape>, Failure> {
        let members = self.members(scope, open)?;
        self.spend(scope, open, members.len())?;
        for member in members.iter().rev().cloned() {
            match member {
                Member::Property(name, shape) if name == key => return self.value(shape).map(Some),
                Member::Property(..) => {}
                Member::Computed(at) => {
                    return Err(self.fail(scope, at, "a computed property key `[...]`"));
                }
                Member::Spread(s, at) => {
                    let shape = self.parse(s, at)?.0;
                    let found = self.nested(scope, open, |e| match e.resolve(shape)? {
                        Shape::Object(s, o) => e.property(s, o, key),
                        Shape::Namespace(file) => e.namespace_member(file, key, scope, open),
                        Shape::Value(
                            JsValue::Undefined
                            | JsValue::Null
                            | JsValue::Bool(_)
                            | JsValue::Number(_)
                            | JsValue::Function,
                        ) => Ok(None),
                        Shape::Array(s, o) => {
                            let index = key.parse::<usize>().ok();
                            Ok(index.and_then(|i| e.elements(s, o).ok()?.into_iter().nth(i)))
                        }
                        _ => Err(e.fail(
                            scope,
                            open,
                            "a spread of a string or template into an object",
                        )),
                    })?;
                    if found.is_some() {
                        return Ok(found);
                    }
                }
            }
        }
        Ok(None)
    }

    /// The elements of the array literal at `open`, spreads flattened,
    /// each still unevaluated.
    pub fn elements(&mut self, scope: Scope, open: usize) -> Result<Vec<Shape>, Failure> {
        let s = self.source(scope.file);
        let close = s.close(open).unwrap_or(s.tokens.len());
        let mut out = Vec::new();
        let mut i = open + 1;
        while i < close {
            let s = self.source(scope.file);
            if s.is(i, ",") {
                out.push(Shape::Value(JsValue::Undefined)); // a hole
                i += 1;
                continue;
            }
            if s.is(i, "...") {
                let (shape, end) = self.parse(scope, i + 1)?;
                let items = self.nested(scope, i, |e| match e.resolve(shape)? {
                    Shape::Array(s, o) => e.elements(s, o),
                    _ => Err(e.fail(
                        scope,
                        i + 1,
                        "a spread of something other than an array literal",
                    )),
                })?;
                self.spend(scope, i, items.len())?;
                out.extend(items);
                i = end;
            } else {
                let (shape, end) = self.parse(scope, i)?;
                self.spend(scope, i, 1)?;
                out.push(shape);
                i = end;
            }
            let s = self.source(scope.file);
            if s.is(i, ",") {
                i += 1;
            } else if i < close {
                let met = format!("`{}` where `,` or `]` was expected", s.text(i));
                return Err(self.fail(scope, i, met));
            }
        }
        Ok(out)
    }

    /// The next element of the array `walk` goes through, spreads
    /// flattened in place, or `None` past the last. Unlike [`Eval::elements`]
    /// nothing after the element returned is parsed: a search that stops
    /// there never meets what follows. On an error, [`Walk::at`] says which
    /// element or spread was being read.
    pub fn next_element(&mut self, walk: &mut Walk) -> Result<Option<Shape>, Failure> {
        while let Some(&(scope, i, close, open)) = walk.frames.last() {
            if i >= close {
                walk.frames.pop();
                let count = walk.counts.pop().unwrap_or(0);
                walk.done.insert((scope, open), count);
                counted(walk, count);
                continue;
            }
            let s = self.source(scope.file);
            let (spread, hole) = (s.is(i, "..."), s.is(i, ","));
            let start = if spread { i + 1 } else { i };
            walk.at = Some((scope, start, spread));
            self.spend(scope, i, 1)?;
            if hole {
                set_next(walk, i + 1);
                counted(walk, 1);
                return Ok(Some(Shape::Value(JsValue::Undefined))); // a hole
            }
            let (shape, end) = self.parse(scope, start)?;
            let s = self.source(scope.file);
            let next = if s.is(end, ",") {
                end + 1
            } else if end < close {
                let met = format!("`{}` where `,` or `]` was expected", s.text(end));
                return Err(self.fail(scope, end, met));
            } else {
                end
            };
            set_next(walk, next);
            if !spread {
                counted(walk, 1);
                return Ok(Some(shape));
            }
            match self.nested(scope, i, |e| e.resolve(shape))? {
                Shape::Array(s, o) if walk.done.contains_key(&(s, o)) => {
                    let count = walk.done[&(s, o)];
                    self.spend(scope, i, count)?;
                    counted(walk, count);
                }
                // The frames stand for the nesting `elements` recurses through.
                Shape::Array(..) if walk.frames.len() >= MAX_DEPTH => {
                    let met = format!("values or references nested deeper than {MAX_DEPTH} levels");
                    return Err(self.fail(scope, start, met));
                }
                Shape::Array(s, o) => {
                    let close = self.source(s.file).close(o);
                    walk.frames.push((s, o + 1, close.unwrap_or(o), o));
                    walk.counts.push(0);
                }
                _ => {
                    return Err(self.fail(
                        scope,
                        start,
                        "a spread of something other than an array literal",
                    ));
                }
            }
        }
        Ok(None)
    }

    /// The whole value of `shape`.
    pub fn eval(&mut self, shape: Shape) -> Result<JsValue, Failure> {
        self.sized(shape).map(|(value, _)| value)
    }

    /// The whole value of `shape` and its size in work units (values, and
    /// string bytes / 16), counted as it is built: never by walking it, as
    /// a shared value expands to far more than it holds.
    fn sized(&mut self, shape: Shape) -> Result<(JsValue, usize), Failure> {
        let shape = self.resolve(shape)?;
        let string = |text: String| {
            let size = 1 + text.len() / 16;
            (JsValue::String(text), size)
        };
        match shape {
            Shape::Value(value) => {
                let size = match &value {
                    JsValue::String(s) => {
                        self.work += s.len() / 16;
                        1 + s.len() / 16
                    }
                    _ => 1,
                };
                Ok((value, size))
            }
            Shape::Namespace(file) => Err(self.fail(
                Scope { file, local: false },
                0,
                "a whole module namespace used as a value",
            )),
            Shape::Object(scope, open) | Shape::Array(scope, open) => {
                if let Some(&(ref value, size)) = self.values.get(&(scope, open)) {
                    // Counted before it is handed out: a shared value.
                    let value = value.clone();
                    self.spend(scope, open, size)?;
                    return Ok((value, size));
                }
                let (value, size) = match shape {
                    Shape::Object(..) => self.object(scope, open)?,
                    _ => self.array(scope, open)?,
                };
                self.values.insert((scope, open), (value.clone(), size));
                Ok((value, size))
            }
            Shape::Template(scope, head) => self.template(scope, head).map(string),
            Shape::Concat(scope, at, operands) => self.concat(scope, at, &operands).map(string),
            Shape::Ref(..) | Shape::Member(..) => {
                Err(Failure::plain("internal: unresolved reference".to_string()))
            }
        }
    }

    fn object(&mut self, scope: Scope, open: usize) -> Result<(JsValue, usize), Failure> {
        let mut object = Object::default();
        for member in self.members(scope, open)?.iter().cloned() {
            self.spend(scope, open, 1)?;
            match member {
                Member::Property(key, shape) => {
                    let shape = self.value(shape)?;
                    let value = self.nested(scope, open, |e| e.eval(shape))?;
                    self.spend(scope, open, key.len() / 16)?;
                    object.set(key, value);
                }
                Member::Computed(at) => {
                    return Err(self.fail(scope, at, "a computed property key `[...]`"));
                }
                Member::Spread(s, at) => {
                    let shape = self.parse(s, at)?.0;
                    let value = self.nested(scope, open, |e| e.eval(shape))?;
                    self.spread_into(&mut object, value, scope, open)?;
                }
            }
        }
        // The size of what it holds once spreads are overridden.
        let value = JsValue::object(object);
        let size = value.size();
        Ok((value, size))
    }

    fn array(&mut self, scope: Scope, open: usize) -> Result<(JsValue, usize), Failure> {
        let mut items = Vec::new();
        for shape in self.elements(scope, open)? {
            self.spend(scope, open, 1)?;
            items.push(self.nested(scope, open, |e| e.eval(shape))?);
        }
        let value = JsValue::array(items);
        let size = value.size();
        Ok((value, size))
    }

    fn spread_into(
        &mut self,
        object: &mut Object,
        value: JsValue,
        scope: Scope,
        at: usize,
    ) -> Result<(), Failure> {
        match value {
            JsValue::Object(source, _) => {
                for (key, value) in source.iter() {
                    object.set(key, value.clone());
                }
            }
            JsValue::Array(items, _) => {
                for (i, value) in items.iter().enumerate() {
                    object.set(i.to_string(), value.clone());
                }
            }
            JsValue::String(_) => {
                return Err(self.fail(scope, at, "a spread of a string into an object"));
            }
            _ => {}
        }
        Ok(())
    }

    /// `a + b + ...` as JavaScript joins strings: left to right, a number
    /// joined to a string as its text; anything else (two numbers added,
    /// an object) is not read.
    fn concat(&mut self, scope: Scope, at: usize, operands: &[Shape]) -> Result<String, Failure> {
        let mut out: Option<String> = None;
        let mut pending: Option<Number> = None;
        let mut charged = 0;
        for operand in operands {
            let value = self.nested(scope, at, |e| e.eval(operand.clone()))?;
            match (value, &mut out) {
                (JsValue::String(text), Some(out)) => out.push_str(&text),
                (JsValue::String(text), None) => {
                    let mut joined = pending.take().map(|n| n.to_js_string()).unwrap_or_default();
                    joined.push_str(&text);
                    out = Some(joined);
                }
                (JsValue::Number(n), Some(out)) => out.push_str(&n.to_js_string()),
                (JsValue::Number(n), None) if pending.is_none() => pending = Some(n),
                _ => {
                    return Err(self.fail(
                        scope,
                        at,
                        "a `+` of something other than strings (only string concatenation is read)",
                    ));
                }
            }
            // Charged by the piece added, so the total is the length.
            let length = out.as_ref().map_or(0, String::len);
            self.spend(scope, at, (length - charged) / 16)?;
            charged = length - (length - charged) % 16;
        }
        match out {
            Some(out) => Ok(out),
            None => Err(self.fail(
                scope,
                at,
                "a `+` of something other than strings (only string concatenation is read)",
            )),
        }
    }

    /// A template literal's text, each `${}` a string, number or boolean.
    fn template(&mut self, scope: Scope, head: usize) -> Result<String, Failure> {
        let mut out = String::new();
        let mut i = head;
        loop {
            let s = self.source(scope.file);
            let Some(Kind::Template(part)) = s.tokens.get(i).map(|t| t.kind()) else {
                return Err(self.fail(scope, i, "a broken template literal"));
            };
            let Some(text) = s.cooked(i) else {
                return Err(self.fail(scope, i, "a template literal with an invalid escape"));
            };
            out.push_str(text);
            if part == Part::Tail {
                self.spend(scope, head, out.len() / 16)?;
                return Ok(out);
            }
            let (shape, end) = self.parse(scope, i + 1)?;
            let value = self.nested(scope, i + 1, |e| e.eval(shape))?;
            match value {
                JsValue::String(text) => out.push_str(&text),
                JsValue::Number(n) => out.push_str(&n.to_js_string()),
                JsValue::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                JsValue::Null => out.push_str("null"),
                JsValue::Undefined => out.push_str("undefined"),
                _ => {
                    return Err(self.fail(
                        scope,
                        i + 1,
                        "a `${}` that is not a string, number or boolean",
                    ));
                }
            }
            self.spend(scope, head, out.len() / 16)?;
            i = end;
        }
    }
}
