/*!
What a file declares, found without evaluating anything: its imports, its
top-level `const`/`let`/`var` bindings (each only as the token where its
value starts), its exports, and `getConfiguration` (its body, its local
bindings and its `return`s). Statements are walked at their own level by
jumping over bracket pairs, so nothing nested is looked at and nothing
unknown is an error. One pass over every token also notes the names
assigned to anywhere, so that a `let` or `var` assigned again is refused
rather than read as its initial value; and where a property key is written
outside type declarations (`property_keys`).
*/

use super::cursor::{MAX_TYPE_ARGUMENT_TOKENS, Source};
use super::lexer::Kind;
use super::names::{Names, Redeclare, Twice, name_text, sort_by_text};

/// A name bound in a scope, as the evaluator reads it.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A `const`/`let`/`var` whose value starts at this token.
    Value(usize),
    Import(Box<Import>),
    /// A function, class or enum: not a JSON value.
    Declared,
    /// A parameter of getConfiguration: its token.
    Param(usize),
    /// Declared twice in its scope.
    Twice(Twice),
}

#[derive(Debug, Clone)]
pub struct Import {
    pub spec: String,
    pub imported: Imported,
    /// The local name's token, for errors.
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Named(String),
    Default,
    Namespace,
}

#[derive(Debug, Clone)]
pub enum Export {
    Local(String),
    /// Exported twice: a SyntaxError.
    Twice(Twice),
    /// `export { name } from './x'` and `export * as name from './x'`.
    From {
        spec: String,
        imported: Imported,
        at: usize,
    },
}

/// A binding as a scope's table keeps it: tokens only, 12 bytes.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    Value(u32),
    /// `spec` is the string token naming the module.
    Import {
        spec: u32,
        imported: ImportedAt,
    },
    Declared,
    Param,
}

/// What an import takes, by the token naming it.
#[derive(Debug, Clone, Copy)]
pub enum ImportedAt {
    Named(u32),
    Default,
    Namespace,
}

/// An export as the file's table keeps it; the table's key is the exported
/// name's token.
#[derive(Debug, Clone, Copy)]
pub enum Exported {
    /// The local name's token.
    Local(u32),
    From {
        spec: u32,
        imported: ImportedAt,
    },
}

fn token(i: usize) -> u32 {
    // Token indices fit: the lexer takes no file over 16 MiB.
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl ImportedAt {
    fn named(at: usize) -> ImportedAt {
        ImportedAt::Named(token(at))
    }

    fn read(self, source: &Source) -> Imported {
        match self {
            ImportedAt::Named(at) => Imported::Named(name_text(source, at).to_string()),
            ImportedAt::Default => Imported::Default,
            ImportedAt::Namespace => Imported::Namespace,
        }
    }
}

impl Bound {
    /// As the evaluator reads it; `at` is the name's token.
    fn read(self, source: &Source, at: usize) -> Binding {
        match self {
            Bound::Value(value) => Binding::Value(value as usize),
            Bound::Declared => Binding::Declared,
            Bound::Param => Binding::Param(at),
            Bound::Import { spec, imported } => Binding::Import(Box::new(Import {
                spec: name_text(source, spec).to_string(),
                imported: imported.read(source),
                at,
            })),
        }
    }
}

/// What `name` is bound to in `scope`.
fn lookup(scope: &Names<Bound>, source: &Source, name: &str) -> Option<Binding> {
    let (at, bound) = scope.get(source, name)?;
    if let Some(twice) = scope.twice(source, name) {
        return Some(Binding::Twice(twice));
    }
    Some(bound.read(source, at))
}

/// `getConfiguration`, as a function declaration or an arrow function.
#[derive(Debug, Default)]
pub struct ConfigFunction {
    /// The `{` and `}` of its body.
    pub body: Option<(usize, usize)>,
    /// Where an arrow function's expression body starts.
    pub expression: Option<usize>,
    pub locals: Names<Bound>,
    /// Where the expression of each `return` at the body's own level starts.
    pub returns: Vec<usize>,
    /// Every `return` in the body, nested ones included.
    pub all_returns: usize,
    /// The first `return` in the body, nested or not: when it is at the
    /// body's own level, it is the one that returns.
    pub first_return: Option<usize>,
    /// `function*`: a call returns a generator, not the object.
    pub generator: bool,
    /// `async`: a call returns a Promise of the object.
    pub asynchronous: bool,
    /// The `function` keyword or first token of the arrow function, for
    /// messages.
    pub at: usize,
    sites: Sites,
}

/// Where the `const`/`let`/`var` bindings read are declared: to tell a
/// binding that may be assigned again, and an assignment from a
/// declaration.
#[derive(Debug, Default)]
pub struct Sites {
    /// Where the value of each `let` or `var` binding starts (token
    /// indices fit: the lexer takes no file over 16 MiB).
    /// Sorted once read, as `names`.
    variables: Vec<u32>,
    /// The name token of each binding.
    names: Vec<u32>,
}

impl Sites {
    /// Sorted, for `binary_search`.
    fn finish(&mut self) {
        for list in [&mut self.variables, &mut self.names] {
            list.sort_unstable();
            list.dedup();
            list.shrink_to_fit();
        }
    }

    /// Whether a `let` or `var` binding's value starts at token `at`.
    pub fn is_variable(&self, at: usize) -> bool {
        self.variables.binary_search(&token(at)).is_ok()
    }
}

impl ConfigFunction {
    /// What `name` is bound to in getConfiguration's body.
    pub fn local(&self, source: &Source, name: &str) -> Option<Binding> {
        lookup(&self.locals, source, name)
    }
}

#[derive(Debug, Default)]
pub struct Declarations {
    pub top: Names<Bound>,
    pub exports: Names<Exported>,
    pub star_exports: Vec<(String, usize)>,
    default_export: Option<Binding>,
    /// The `default` token of the first `export default`, and of a
    /// second one.
    default_at: Option<usize>,
    default_twice: Option<Twice>,
    pub config: Option<ConfigFunction>,
    /// Token ranges of `interface` and `type` declarations.
    pub types: Vec<(usize, usize)>,
    /// The top level's bindings and getConfiguration's.
    pub sites: Sites,
    /// Each name assigned anywhere in the file (`x = `, `x += `, `x++`,
    /// `--x`, ...): the tokens where. Only an initial value is read, so a
    /// `let` or `var` on the path that is assigned again cannot be.
    /// Sorted by name, then by position: 4 bytes each, as a file may
    /// assign a name every few bytes.
    assignments: Vec<u32>,
    /// Whether the top level has bound `getConfiguration` yet (only the
    /// first binding can be it).
    binds_config: bool,
}

impl Declarations {
    /// What `name` is bound to at the file's top level.
    pub fn binding(&self, source: &Source, name: &str) -> Option<Binding> {
        lookup(&self.top, source, name)
    }

    /// What `export default` exports, if the file has one.
    pub fn default_export(&self) -> Option<Binding> {
        match self.default_twice {
            Some(twice) => Some(Binding::Twice(twice)),
            None => self.default_export.clone(),
        }
    }

    /// The export named `name`, but for `export *` and `export default`.
    pub fn export(&self, source: &Source, name: &str) -> Option<Export> {
        let (at, exported) = self.exports.get(source, name)?;
        if let Some(twice) = self.exports.twice(source, name) {
            return Some(Export::Twice(twice));
        }
        Some(match exported {
            Exported::Local(local) => Export::Local(name_text(source, local).to_string()),
            Exported::From { spec, imported } => Export::From {
                spec: name_text(source, spec).to_string(),
                imported: imported.read(source),
                at,
            },
        })
    }

    /// Binds `name` at the top level, at token `at`, declared as `kind`
    /// says: a second declaration is noted (see [`Names::twice`]).
    fn bind(&mut self, source: &Source, at: usize, bound: Bound, kind: Redeclare) {
        if name_text(source, token(at)) == "getConfiguration" {
            self.binds_config = true;
        }
        self.top.declare(at, bound, kind);
    }

    /// Where the top level declares `name` twice, if it does.
    pub fn twice(&self, source: &Source, name: &str) -> Option<Twice> {
        self.top.twice(source, name)
    }

    /// The tokens where `name` is assigned (see `assignments`), in order.
    pub fn assigned(&self, source: &Source, name: &str) -> &[u32] {
        let text = |&i: &u32| source.text(i as usize);
        let from = self.assignments.partition_point(|i| text(i) < name);
        let to = from + self.assignments[from..].partition_point(|i| text(i) == name);
        &self.assignments[from..to]
    }
}

/// Operators that assign to the name before them.
const ASSIGNMENTS: [&str; 16] = [
    "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=",
    "??=",
];

/// A `key: ...` or shorthand `{ key }` property, as [`property_keys`]
/// finds it.
pub struct PropertyKey {
    /// The key's token.
    pub at: usize,
    pub shorthand: bool,
    /// The innermost bracket around the key, when it is a `{`: the object
    /// literal holding the property.
    pub object: Option<usize>,
}

/// Every `key` property outside type declarations (`types`, as
/// [`Declarations::types`] lists them, in source order), in source order;
/// one pass over the tokens.
pub fn property_keys(source: &Source, types: &[(usize, usize)], key: &str) -> Vec<PropertyKey> {
    // With the furthest end so far, whether a token lies in a type
    // declaration is a binary search.
    let mut furthest = Vec::with_capacity(types.len());
    for &(_, end) in types {
        furthest.push(furthest.last().copied().unwrap_or(0).max(end));
    }
    let in_type = |i: usize| {
        let before = types.partition_point(|&(start, _)| start < i);
        before > 0 && furthest[before - 1] >= i
    };
    // The brackets open around the token: each pushed and popped once
    // (4 bytes each: a file may nest millions).
    let mut open: Vec<u32> = Vec::new();
    let mut keys = Vec::new();
    for i in 0..source.tokens.len() {
        while let Some(&last) = open.last() {
            match source.close(last as usize) {
                Some(close) if close <= i => {
                    open.pop();
                }
                _ => break,
            }
        }
        if source.close(i).is_some_and(|close| close > i) {
            open.push(token(i));
            continue;
        }
        let named = match source.tokens[i].kind() {
            Kind::Ident => source.text(i) == key,
            Kind::Str => source.string(i) == Some(key),
            _ => false,
        };
        let is_key = named && i > 0 && (source.is(i - 1, "{") || source.is(i - 1, ","));
        if !is_key || in_type(i) {
            continue;
        }
        let shorthand = (source.is(i + 1, ",") || source.is(i + 1, "}"))
            && matches!(source.tokens[i].kind(), Kind::Ident);
        if source.is(i + 1, ":") || shorthand {
            keys.push(PropertyKey {
                at: i,
                shorthand,
                object: open
                    .last()
                    .map(|&o| o as usize)
                    .filter(|&o| source.is(o, "{")),
            });
        }
    }
    keys
}

/// Everything `source` declares at its top level, and getConfiguration.
pub fn declarations(source: &Source) -> Declarations {
    let mut found = Declarations::default();
    let mut i = 0;
    while i < source.tokens.len() {
        i = statement(source, i, &mut found);
    }
    found.types = type_ranges(source);
    if let Some(config) = found.config.as_mut() {
        let local = std::mem::take(&mut config.sites);
        found.sites.variables.extend(local.variables);
        found.sites.names.extend(local.names);
    }
    found.sites.finish();
    found.top.finish(source);
    found.exports.finish(source);
    found.assignments = assignments(source, &found.sites.names);
    found
}

/// Every name assigned to (not declared, not a property): see
/// [`Declarations::assignments`].
fn assignments(s: &Source, declared: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    for i in 0..s.tokens.len() {
        if s.ident(i).is_none() {
            continue;
        }
        let before = i.checked_sub(1).map_or("", |b| s.text(b));
        if declared.binary_search(&token(i)).is_ok()
            || matches!(
                before,
                "." | "?." | "const" | "let" | "var" | "type" | "import"
            )
        {
            continue;
        }
        let next = s.tokens.get(i + 1);
        let postfix =
            (s.is(i + 1, "++") || s.is(i + 1, "--")) && next.is_some_and(|t| !t.newline_before());
        let assigned = ASSIGNMENTS.iter().any(|op| s.is(i + 1, op))
            || postfix
            || matches!(before, "++" | "--");
        if assigned {
            out.push(i as u32);
        }
    }
    // Stable: each name's assignments stay in source order.
    sort_by_text(&mut out, &|i| s.text(i as usize));
    out.shrink_to_fit();
    out
}

/// One top-level statement's declarations; where the next one may start.
fn statement(s: &Source, i: usize, found: &mut Declarations) -> usize {
    match s.ident(i) {
        Some("import") if !s.is(i + 1, "(") && !s.is(i + 1, ".") => import(s, i + 1, found),
        Some("export") => export(s, i + 1, found),
        Some("const" | "let" | "var") => top_bindings(s, i + 1, found, false),
        Some("function") | Some("async") => function(s, i, found, false),
        Some("class" | "enum") => declared(s, i + 1, found, false),
        _ => s.step(i),
    }
}

fn import(s: &Source, mut i: usize, found: &mut Declarations) -> usize {
    if s.is(i, "type") && !s.is(i + 1, ",") && !s.is(i + 1, "from") {
        // `import type ...`: types only.
        while i < s.tokens.len() && s.string(i).is_none() {
            i = s.step(i);
        }
        return i + 1;
    }
    // (what is imported, the local name's token)
    let mut names: Vec<(ImportedAt, usize)> = Vec::new();
    if s.ident(i).is_some_and(|n| n != "from") {
        names.push((ImportedAt::Default, i));
        i += 1;
        if s.is(i, ",") {
            i += 1;
        }
    }
    if s.is(i, "*") && s.is(i + 1, "as") {
        if s.ident(i + 2).is_some() {
            names.push((ImportedAt::Namespace, i + 2));
        }
        i += 3;
    } else if s.is(i, "{") {
        let end = s.close(i).unwrap_or(s.tokens.len());
        names.extend(
            name_list(s, i + 1, end)
                .into_iter()
                .map(|(from, local)| (ImportedAt::named(from), local)),
        );
        i = end + 1;
    }
    if s.is(i, "from") {
        i += 1;
    }
    if s.string(i).is_none() {
        return i;
    }
    for (imported, at) in names {
        let spec = token(i);
        found.bind(s, at, Bound::Import { spec, imported }, Redeclare::Never);
    }
    i + 1
}

/// `a, b as c, type D, "x" as e` between braces: the tokens of each name
/// and of what it is known as (its own, or the one after `as`).
fn name_list(s: &Source, mut i: usize, end: usize) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    while i < end {
        if s.is(i, "type") && (s.ident(i + 1).is_some() || s.string(i + 1).is_some()) {
            i += 1; // a type-only name: still recorded, never a value
        }
        if s.ident(i).or_else(|| s.string(i)).is_some() {
            if s.is(i + 1, "as") {
                names.push((i, i + 2));
                i += 3;
            } else {
                names.push((i, i));
                i += 1;
            }
        }
        while i < end && !s.is(i, ",") {
            i = s.step(i);
        }
        i += 1;
    }
    names
}

fn export(s: &Source, i: usize, found: &mut Declarations) -> usize {
    match s.ident(i) {
        Some("const" | "let" | "var") => top_bindings(s, i + 1, found, true),
        Some("function" | "async") => function(s, i, found, true),
        Some("class" | "enum" | "abstract") => declared(s, i + 1, found, true),
        Some("default") => {
            // A second `export default` does not compile.
            if let Some(first) = found.default_at {
                found.default_twice.get_or_insert(Twice {
                    first,
                    second: i,
                    syntax: true,
                });
            }
            found.default_at = Some(i);
            if s.is(i + 1, "function") || (s.is(i + 1, "async") && s.is(i + 2, "function")) {
                // `export default function getConfiguration() {...}` counts.
                found.default_export = Some(Binding::Declared);
                return function(s, i + 1, found, false);
            }
            if s.is(i + 1, "class") {
                found.default_export = Some(Binding::Declared);
                return s.step(i + 1);
            }
            found.default_export = Some(Binding::Value(i + 1));
            s.skip_expression(i + 1)
        }
        _ if s.is(i, "{") => {
            let end = s.close(i).unwrap_or(s.tokens.len());
            let names = name_list(s, i + 1, end);
            let from = s.is(end + 1, "from").then(|| s.string(end + 2)).flatten();
            for (name, exported) in names {
                let export = match from {
                    Some(_) => Exported::From {
                        spec: token(end + 2),
                        imported: if name_text(s, token(name)) == "default" {
                            ImportedAt::Default
                        } else {
                            ImportedAt::named(name)
                        },
                    },
                    None => Exported::Local(token(name)),
                };
                found.exports.declare(exported, export, Redeclare::Never);
            }
            end + 1
        }
        _ if s.is(i, "*") => {
            if s.is(i + 1, "as")
                && let (Some(_), true, Some(_)) =
                    (s.ident(i + 2), s.is(i + 3, "from"), s.string(i + 4))
            {
                let export = Exported::From {
                    spec: token(i + 4),
                    imported: ImportedAt::Namespace,
                };
                found.exports.declare(i + 2, export, Redeclare::Never);
                return i + 5;
            }
            if let (true, Some(spec)) = (s.is(i + 1, "from"), s.string(i + 2)) {
                found.star_exports.push((spec.to_string(), i + 2));
                return i + 3;
            }
            i + 1
        }
        _ => i,
    }
}

/// A top-level `const`/`let`/`var` from after its keyword, `exported` or
/// not: its names bound, and getConfiguration found if it is one.
fn top_bindings(s: &Source, i: usize, found: &mut Declarations, exported: bool) -> usize {
    let mut names = Vec::new();
    let kind = redeclare(s, i);
    let next = bindings(s, i, &mut names, &mut found.sites);
    // Only the first binding of getConfiguration can be it (a second
    // declaration is noted as one).
    let config_value = (!found.binds_config)
        .then(|| names.iter().find(|&&(at, _)| s.is(at, "getConfiguration")))
        .flatten()
        .map(|&(_, value)| value);
    for &(at, value) in &names {
        found.bind(s, at, Bound::Value(token(value)), kind);
        if exported {
            found
                .exports
                .declare(at, Exported::Local(token(at)), Redeclare::Never);
        }
    }
    if let Some(value) = config_value {
        config_arrow(s, value, found);
    }
    next
}

/// How the bindings after the keyword before `i` may be declared again:
/// `var` may, `const` and `let` may not.
fn redeclare(s: &Source, i: usize) -> Redeclare {
    if s.is(i.wrapping_sub(1), "var") {
        Redeclare::Var
    } else {
        Redeclare::Never
    }
}

/// `const a: T = value, b = value`: the token of each name and of where its
/// value starts. Destructuring patterns bind nothing we can use.
fn bindings(s: &Source, mut i: usize, names: &mut Vec<(usize, usize)>, sites: &mut Sites) -> usize {
    let variable = s.is(i.wrapping_sub(1), "let") || s.is(i.wrapping_sub(1), "var");
    loop {
        let name_at = i;
        let name = s.ident(i);
        i = if name.is_some() { i + 1 } else { s.step(i) };
        if s.is(i, "!") {
            i += 1;
        }
        if s.is(i, ":") {
            i = s.skip_type(i + 1);
        }
        if !s.is(i, "=") {
            return i;
        }
        if name.is_some() {
            names.push((name_at, i + 1));
            sites.names.push(token(name_at));
            if variable {
                sites.variables.push(token(i + 1));
            }
        }
        i = s.skip_expression(i + 1);
        if !s.is(i, ",") {
            return i;
        }
        i += 1;
    }
}

/// What a call of getConfiguration gives besides its body: whether it is
/// `async` or a generator, its parameters (a `(` or a lone name's token)
/// and where it starts.
#[derive(Clone, Copy, Default)]
struct Head {
    asynchronous: bool,
    generator: bool,
    params: Option<usize>,
    at: usize,
}

/// `function name` (or `async function name`) at `i`.
fn function(s: &Source, i: usize, found: &mut Declarations, exported: bool) -> usize {
    let asynchronous = s.is(i, "async");
    let keyword = if asynchronous { i + 1 } else { i };
    if !s.is(keyword, "function") {
        return s.step(i);
    }
    let generator = s.is(keyword + 1, "*");
    let at = keyword + 1 + usize::from(generator);
    let Some(name) = s.ident(at) else {
        return keyword + 1;
    };
    let (body, next, params) = function_body(s, at + 1);
    // An overload signature (no body) declares nothing of its own.
    let Some(body) = body else {
        return next;
    };
    found.bind(s, at, Bound::Declared, Redeclare::Never);
    if exported {
        found
            .exports
            .declare(at, Exported::Local(token(at)), Redeclare::Never);
    }
    if name == "getConfiguration" && found.config.is_none() {
        let head = Head {
            asynchronous,
            generator,
            params,
            at: i,
        };
        found.config = Some(config_function(s, Some(body), None, head));
    }
    next
}

/// From after a function's name: `<T>(params): Type { body }`; the body,
/// where the next statement may start, and the `(` of the parameters.
fn function_body(s: &Source, mut i: usize) -> (Option<(usize, usize)>, usize, Option<usize>) {
    if s.is(i, "<") {
        i = s.skip_type(i);
    }
    if !s.is(i, "(") {
        return (None, i, None);
    }
    let params = Some(i);
    i = s.step(i);
    if s.is(i, ":") {
        i = s.skip_type(i + 1);
    }
    match s.close(i) {
        Some(close) if s.is(i, "{") => (Some((i, close)), close + 1, params),
        _ => (None, i, params),
    }
}

/// `class X`, `enum X`, `abstract class X`: a name that is no JSON value.
fn declared(s: &Source, mut i: usize, found: &mut Declarations, exported: bool) -> usize {
    if s.is(i, "class") {
        i += 1; // after `abstract`
    }
    // TypeScript merges two enums of a name; any other pair does not compile.
    let kind = if s.is(i.wrapping_sub(1), "enum") {
        Redeclare::Merge
    } else {
        Redeclare::Never
    };
    if s.ident(i).is_some() {
        found.bind(s, i, Bound::Declared, kind);
        if exported {
            found.exports.declare(i, Exported::Local(token(i)), kind);
        }
    }
    i + 1
}

/// `const getConfiguration = (): T => ({...})`, `= () => { ... }` or
/// `= function () { ... }`, the value starting at token `i`.
fn config_arrow(s: &Source, mut i: usize, found: &mut Declarations) {
    if found.config.is_some() {
        return;
    }
    let mut head = Head {
        at: i,
        // `async => ...` is an arrow function of a parameter named `async`.
        asynchronous: s.is(i, "async") && !s.is(i + 1, "=>"),
        ..Head::default()
    };
    if head.asynchronous {
        i += 1;
    }
    if s.is(i, "function") {
        head.generator = s.is(i + 1, "*");
        let mut at = i + 1 + usize::from(head.generator);
        if s.ident(at).is_some() {
            at += 1;
        }
        let (body, _, params) = function_body(s, at);
        head.params = params;
        found.config = body.map(|body| config_function(s, Some(body), None, head));
        return;
    }
    if s.is(i, "(") || s.ident(i).is_some() {
        head.params = Some(i);
        i = s.step(i);
    } else {
        return;
    }
    if s.is(i, ":") {
        i = s.skip_type(i + 1);
    }
    if !s.is(i, "=>") {
        return;
    }
    let body = match s.close(i + 1) {
        Some(close) if s.is(i + 1, "{") => Some((i + 1, close)),
        _ => None,
    };
    let expression = body.is_none().then_some(i + 1);
    found.config = Some(config_function(s, body, expression, head));
}

/// Binds getConfiguration's parameters (the list at `(`, or a lone name)
/// in its scope. Every name a destructuring pattern or default holds is
/// taken as one (`{ a: b = c }` binds `b` and `c`): reading one is then
/// refused, never read from the top level.
fn parameters(s: &Source, params: usize, locals: &mut Names<Bound>) {
    if s.ident(params).is_some() {
        locals.declare(params, Bound::Param, Redeclare::Never);
        return;
    }
    let Some(close) = s.close(params) else {
        return;
    };
    let mut j = params + 1;
    while j < close {
        while matches!(
            s.ident(j),
            Some("public" | "private" | "protected" | "readonly" | "override")
        ) && (s.ident(j + 1).is_some() || s.is(j + 1, "{") || s.is(j + 1, "["))
        {
            j += 1;
        }
        if s.is(j, "...") {
            j += 1;
        }
        if s.is(j, "{") || s.is(j, "[") {
            let end = s.close(j).unwrap_or(close);
            for k in j + 1..end {
                if s.ident(k).is_some() && !s.is(k + 1, ":") {
                    locals.declare(k, Bound::Param, Redeclare::Never);
                }
            }
            j = end + 1;
        } else if s.ident(j).is_some_and(|name| name != "this") {
            locals.declare(j, Bound::Param, Redeclare::Never);
            j += 1;
        }
        // `?`, `: Type`, `= default`, up to the next parameter.
        while j < close && !s.is(j, ",") {
            if s.is(j, "=") {
                let end = s.skip_expression(j + 1).min(close);
                for k in j + 1..end {
                    if s.ident(k).is_some() && !s.is(k + 1, ":") && !s.is(k - 1, ".") {
                        locals.declare(k, Bound::Param, Redeclare::Never);
                    }
                }
                j = end;
                continue;
            }
            j = s.step(j);
        }
        j += 1;
    }
}

/// Whether token `i` is the keyword `return` (not a property named so).
fn is_return(s: &Source, i: usize) -> bool {
    s.is(i, "return")
        && !s.is(i.wrapping_sub(1), ".")
        && !s.is(i.wrapping_sub(1), "?.")
        && !s.is(i + 1, ":")
}

/// The locals and `return`s of getConfiguration's body.
fn config_function(
    s: &Source,
    body: Option<(usize, usize)>,
    expression: Option<usize>,
    head: Head,
) -> ConfigFunction {
    let mut config = ConfigFunction {
        body,
        expression,
        generator: head.generator,
        asynchronous: head.asynchronous,
        at: head.at,
        ..ConfigFunction::default()
    };
    if let Some(params) = head.params {
        parameters(s, params, &mut config.locals);
    }
    let Some((open, close)) = body else {
        config.locals.finish(s);
        return config;
    };
    config.all_returns = (open..close).filter(|&i| is_return(s, i)).count();
    config.first_return = (open..close).find(|&i| is_return(s, i));
    let mut i = open + 1;
    while i < close {
        i = match s.ident(i) {
            Some("const" | "let" | "var") => {
                let mut names = Vec::new();
                let kind = redeclare(s, i + 1);
                let next = bindings(s, i + 1, &mut names, &mut config.sites);
                for (at, value) in names {
                    config.locals.declare(at, Bound::Value(token(value)), kind);
                }
                next
            }
            Some("return") if is_return(s, i) => {
                config.returns.push(i + 1);
                i + 1
            }
            Some("function") => {
                // Function declarations in a function body are `var`-like.
                let at = if s.is(i + 1, "*") { i + 2 } else { i + 1 };
                if s.ident(at).is_some() {
                    config.locals.declare(at, Bound::Declared, Redeclare::Var);
                }
                i + 1
            }
            _ => s.step(i),
        };
    }
    config.locals.finish(s);
    config
}

/// `interface X ... { }` and `type X<...> = ...`, anywhere in the file.
fn type_ranges(s: &Source) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    // The first `{` at or after a token: only moves forward, so a file of
    // `interface X interface X ...` is not searched again for each.
    let mut brace = 0;
    for i in 0..s.tokens.len() {
        if s.is(i, "interface") && s.ident(i + 1).is_some() {
            let end = s.tokens.len().min(i + MAX_TYPE_ARGUMENT_TOKENS);
            brace = brace.max(i + 2);
            while brace < end && !s.is(brace, "{") {
                brace += 1;
            }
            let open = (brace < end).then_some(brace);
            if let Some(end) = open.and_then(|j| s.close(j)) {
                ranges.push((i, end));
            }
        } else if s.is(i, "type") && s.ident(i + 1).is_some() {
            let mut j = i + 2;
            if s.is(j, "<") {
                j = s.skip_type(j);
            }
            if s.is(j, "=") {
                ranges.push((i, s.skip_type(j + 1)));
            }
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tsconfig::cursor::source;

    #[test]
    fn finds_imports_bindings_exports_and_get_configuration() {
        let s = source(
            "import { a, b as c } from './x';\nimport d, * as ns from \"./y\";\n\
             const e: Record<string, Array<{ k: string }>> = { k: 1 }, f = [1];\n\
             export const g = 1;\nexport { e as h };\nexport * from './z';\n\
             export function getConfiguration(): { x: number } {\n  const local = 1;\n  return { x: local };\n}\n",
        );
        let found = declarations(&s);
        let names = |m: &Names<Bound>| m.names(&s).collect::<Vec<_>>();
        assert_eq!(
            names(&found.top),
            ["a", "c", "d", "e", "f", "g", "getConfiguration", "ns"]
        );
        let Some(Binding::Value(at)) = found.binding(&s, "e") else {
            panic!()
        };
        assert_eq!(s.text(at), "{");
        assert!(matches!(found.export(&s, "h"), Some(Export::Local(n)) if n == "e"));
        let Some(Binding::Import(c)) = found.binding(&s, "c") else {
            panic!()
        };
        assert_eq!(
            (c.spec.as_str(), &c.imported),
            ("./x", &Imported::Named("b".into()))
        );
        assert_eq!(s.text(c.at), "c");
        assert_eq!(found.star_exports[0].0, "./z");
        let config = found.config.unwrap();
        assert_eq!(names(&config.locals), ["local"]);
        assert_eq!((config.returns.len(), config.all_returns), (1, 1));
        assert_eq!(s.text(config.returns[0]), "{");
    }

    #[test]
    fn an_arrow_get_configuration_and_types_skipped() {
        let s = source(
            "type T<X> = { a: X } | Array<Map<string, number>>;\ninterface I { customIntegrations: T[] }\n\
             export const getConfiguration = (): Config => ({ a: 1 }) satisfies Config;",
        );
        let found = declarations(&s);
        assert_eq!(found.types.len(), 2);
        assert_eq!(s.text(found.types[0].1), ";");
        let config = found.config.unwrap();
        assert_eq!(s.text(config.expression.unwrap()), "(");
    }
}
