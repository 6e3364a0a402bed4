/*!
A custom integration's schema read statically from the use case's config.ts
(or config.js), without a JavaScript runtime: the official CLI imports the
file into Node and takes the `customIntegrations` entry whose `id` matches;
we tokenize the file (`lexer`), find its declarations (`scan`), follow
relative imports (`imports`) and evaluate only what lies on the path to that
entry (`eval`), producing the JSON text `JSON.stringify` would (`value`).

Where the array is: in what `getConfiguration()` returns when that can be
told (the first `return` of its body when it is an object, or an arrow
function's object; an object without the property is an error, not a reason
to look elsewhere, and so is a call known to return something else: see
`returned_object`), else the
file's one `customIntegrations` property; several that disagree are an error
naming each. `declared` reads the integrations the file declares (for
`codika integration check`) with the same machinery.
*/

mod cursor;
mod declared;
mod eval;
mod imports;
mod lexer;
mod names;
mod scan;
mod value;

use std::collections::HashSet;
use std::path::Path;

pub use declared::{Declaration, Declared, Definition, declared};

use crate::error::CliError;
use eval::{Eval, Scope, Shape, Walk};
use imports::Program;
use value::JsValue;

#[cfg(test)]
mod tests;

const KEY: &str = "customIntegrations";

/// A schema found in config.ts.
#[derive(Debug)]
pub struct Extracted {
    /// `JSON.stringify` of the entry: the source's key order, numbers as
    /// JavaScript writes them.
    pub json: String,
    /// `config.ts` or `config.js`.
    pub file_name: &'static str,
}

/// Why a value could not be read: where (`file:line:col`) and what was met.
#[derive(Debug, Clone)]
pub struct Failure {
    location: Option<String>,
    message: String,
}

impl Failure {
    fn at(file: &str, line: usize, col: usize, met: &str) -> Failure {
        Failure {
            location: Some(format!("{file}:{line}:{col}")),
            message: met.to_string(),
        }
    }

    fn plain(message: String) -> Failure {
        Failure {
            location: None,
            message,
        }
    }

    fn into_error(self, id: &str) -> CliError {
        let fallback = "pass --custom-schema-file FILE with the schema as JSON instead";
        CliError::validation(match self.location {
            Some(location) => format!(
                "{location}: cannot read {id}'s schema statically: met {}; {fallback}",
                self.message
            ),
            None => format!("{}; {fallback}", self.message),
        })
    }
}

/// The use case's config file: config.ts, else config.js, once the name
/// exists at all. A FIFO, a symlink to a device or in a loop is then
/// refused naming the file and what it is when read, never taken for "no
/// config file".
fn config_file(dir: &Path) -> Option<(std::path::PathBuf, &'static str)> {
    ["config.ts", "config.js"]
        .into_iter()
        .map(|name| (dir.join(name), name))
        .find(|(path, _)| std::fs::symlink_metadata(path).is_ok())
}

/// The `customIntegrations` entry `id` of the config file in `dir`.
pub fn extract(dir: &Path, id: &str) -> Result<Extracted, CliError> {
    let (path, file_name) = config_file(dir).ok_or_else(|| {
            CliError::validation(format!(
                "{id} is a custom integration and {} has no config.ts or config.js to read its schema from: pass --path to the use case folder, or --custom-schema-file FILE",
                dir.display()
            ))
        })?;
    let mut program = Program::open(&path).map_err(|f| f.into_error(id))?;
    let display = program.modules[0].display.clone();
    let mut eval = Eval::new(&mut program);
    // `set` awaits what getConfiguration() returns.
    let candidates = candidates(&mut eval, KEY, true).map_err(|f| f.into_error(id))?;
    if candidates.is_empty() {
        return Err(CliError::validation(format!(
            "{display} has no {KEY} array (looked in what getConfiguration() returns, then for any {KEY} property): add {id} there, or pass --custom-schema-file FILE"
        )));
    }
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    let mut ids = Vec::new();
    let mut listed_once = HashSet::new();
    for candidate in candidates {
        let (entry, listed) =
            entry(&mut eval, candidate.shape, id).map_err(|f| f.into_error(id))?;
        for listed in listed {
            if listed_once.insert(listed.clone()) {
                ids.push(listed);
            }
        }
        found.push((candidate.location, entry.and_then(|e| e.to_json())));
    }
    if let Some((other, _)) = found.iter().skip(1).find(|(_, json)| *json != found[0].1) {
        return Err(CliError::validation(format!(
            "{} and {other} both hold a {KEY} property and they disagree about {id}: make getConfiguration() return one of them, or pass --custom-schema-file FILE",
            found[0].0
        )));
    }
    match found.swap_remove(0).1 {
        Some(json) => Ok(Extracted { json, file_name }),
        None => Err(CliError::validation(format!(
            "{id} is not in the {KEY} of {display} (found: {}): check the integration id, or pass --custom-schema-file FILE",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ))),
    }
}

/// A `customIntegrations` value, and where its key is (for messages).
struct Candidate {
    shape: Shape,
    location: String,
}

/// The `key` property of what getConfiguration() returns, when that can be
/// told; else every `key` property of the file.
fn candidates(eval: &mut Eval, key: &str, awaited: bool) -> Result<Vec<Candidate>, Failure> {
    if let Some((scope, open, location)) = returned_object(eval, awaited)? {
        // An object literal without the property is known to have none.
        return match eval.property(scope, open, key)? {
            Some(shape) => Ok(vec![Candidate { shape, location }]),
            None => Err(Failure::plain(format!(
                "{location}: getConfiguration() returns no {key}: the object it returns has no {key} property"
            ))),
        };
    }
    let mut out = Vec::new();
    for found in properties_in_file(eval, key) {
        let shape = if found.shorthand {
            Shape::Ref(found.scope, found.at)
        } else {
            eval.parse(found.scope, found.at + 2)?.0
        };
        let location = eval
            .program
            .fail(0, found.at, "")
            .location
            .unwrap_or_default();
        out.push(Candidate { shape, location });
    }
    Ok(out)
}

/// The object literal getConfiguration() returns (its scope, its `{` and
/// where it is), when that can be told: the first `return` of its body
/// when no other comes before it, or an arrow function's object. A return
/// that is not an object literal (a call, say) cannot be told. An error
/// when what a call returns is known to be something else than the file
/// seems to say: undefined (no `return`, or `return` and a line break), a
/// generator, a Promise (unless `awaited`: `set` awaits it, `codika deploy
/// use-case` does not), another function (getConfiguration assigned, or
/// declared twice), the last operand of a comma.
fn returned_object(
    eval: &mut Eval,
    awaited: bool,
) -> Result<Option<(Scope, usize, String)>, Failure> {
    let Some((at, comma)) = returned_expression(eval, awaited)? else {
        return Ok(None);
    };
    let local = Scope {
        file: 0,
        local: true,
    };
    let parsed = eval.parse(local, at);
    if let Ok((_, end)) = parsed
        && comma
        && eval.program.modules[0].source.is(end, ",")
    {
        let met =
            "a `,` after the value returned: Node returns the comma expression's last operand";
        return Err(eval.program.fail(0, end, met));
    }
    let object = parsed.and_then(|(shape, _)| eval.resolve(shape));
    Ok(match object {
        Ok(Shape::Object(scope, open)) => {
            let location = eval.program.fail(0, at, "").location.unwrap_or_default();
            Some((scope, open, location))
        }
        _ => None,
    })
}

/// Where the expression getConfiguration() returns starts (and whether it
/// follows a `return`), see [`returned_object`].
fn returned_expression(eval: &Eval, awaited: bool) -> Result<Option<(usize, bool)>, Failure> {
    let module = &eval.program.modules[0];
    let (source, declared) = (&module.source, &module.declared);
    let Some(config) = declared.config.as_ref() else {
        return Ok(None);
    };
    let fail = |at: usize, met: &str| Err(eval.program.fail(0, at, met));
    if let Some(twice) = declared.twice(source, "getConfiguration") {
        let first = eval
            .program
            .fail(0, twice.first, "")
            .location
            .unwrap_or_default();
        let met = format!(
            "`getConfiguration` declared again (first at {first}): Node cannot load the module (SyntaxError: Identifier 'getConfiguration' has already been declared)"
        );
        return fail(twice.second, &met);
    }
    if let Some(&assigned) = declared.assigned(source, "getConfiguration").first() {
        return fail(
            assigned as usize,
            "`getConfiguration` assigned: Node calls the function it holds then, which is not read statically",
        );
    }
    if config.generator {
        return fail(
            config.at,
            "a generator function getConfiguration (`function*`): a call returns a generator object, not the configuration",
        );
    }
    if config.asynchronous && !awaited {
        return fail(
            config.at,
            "an async getConfiguration: a call returns a Promise, not the configuration (`codika deploy use-case` does not await it)",
        );
    }
    if let Some(at) = config.expression {
        return Ok(Some((at, false)));
    }
    let Some((open, _)) = config.body else {
        return Ok(None);
    };
    let Some(first) = config.first_return else {
        return fail(
            open,
            "a body without `return`: getConfiguration() returns undefined (after `=>`, a `{` starts a block, not an object: write `=> ({ ... })`)",
        );
    };
    // A `return` nested in a statement before any at the body's level
    // may return first: what is returned cannot be told.
    if config.returns.first() != Some(&(first + 1)) {
        return Ok(None);
    }
    let next = first + 1;
    let ends = source.is(next, ";")
        || source.is(next, "}")
        || source.tokens.get(next).is_none_or(|t| t.newline_before());
    if ends {
        return fail(
            first,
            "a `return` followed by a line break or nothing: getConfiguration() returns undefined (JavaScript ends the statement there: put the value on the `return` line)",
        );
    }
    Ok(Some((next, true)))
}

/// A `key: value` (or shorthand `key`) property found in config.ts.
struct Property {
    /// The key's token.
    at: usize,
    shorthand: bool,
    /// getConfiguration's locals are in scope inside its body.
    scope: Scope,
    /// The innermost bracket around the key, when it is a `{`: the object
    /// literal holding the property.
    object: Option<usize>,
}

/// Every `key` property of config.ts outside type declarations, in source
/// order; one pass over the tokens.
fn properties_in_file(eval: &Eval, key: &str) -> Vec<Property> {
    let module = &eval.program.modules[0];
    let body = module.declared.config.as_ref().and_then(|c| c.body);
    scan::property_keys(&module.source, &module.declared.types, key)
        .into_iter()
        .map(|found| Property {
            at: found.at,
            shorthand: found.shorthand,
            scope: Scope {
                file: 0,
                local: body.is_some_and(|(open, close)| open < found.at && found.at < close),
            },
            object: found.object,
        })
        .collect()
}

/// The entry `id` of a `customIntegrations` array (fully evaluated), and
/// the ids seen before it. As `list.find(c => c.id === id)` does, entries
/// are looked at in order, only their `id` is evaluated, and nothing after
/// the match is read; one before it that cannot be read is an error, since
/// it could be the entry.
fn entry(
    eval: &mut Eval,
    list: Shape,
    id: &str,
) -> Result<(Option<JsValue>, Vec<String>), Failure> {
    let mut ids = Vec::new();
    let (scope, open) = match eval.resolve(list.clone())? {
        Shape::Array(scope, open) => (scope, open),
        _ => {
            return Err(Failure::plain(format!(
                "{KEY} is not an array literal in {}",
                eval.program.modules[0].display
            )));
        }
    };
    let mut walk = Walk::new(eval, scope, open);
    loop {
        let found = match_element(eval, &mut walk, id);
        let found = match found {
            Ok(found) => found,
            Err(failure) => return Err(could_be(eval, failure, walk.at, id)),
        };
        match found {
            Element::End => return Ok((None, ids)),
            Element::Match(entry) => return Ok((Some(eval.eval(entry)?), ids)),
            Element::Other(Some(other)) => ids.push(other),
            Element::Other(None) => {}
        }
    }
}

/// An element of `customIntegrations` told apart by its `id`.
enum Element {
    Match(Shape),
    /// Another entry, with its id when that is a string.
    Other(Option<String>),
    /// Past the last element.
    End,
}

/// The next element of `walk`, reading no more of it than its `id`.
fn match_element(eval: &mut Eval, walk: &mut Walk, id: &str) -> Result<Element, Failure> {
    let Some((element, entry_id)) = element_with_id(eval, walk)? else {
        return Ok(Element::End);
    };
    Ok(match entry_id {
        JsValue::String(entry_id) if entry_id == id => Element::Match(element),
        JsValue::String(entry_id) => Element::Other(Some(entry_id)),
        _ => Element::Other(None),
    })
}

/// The next element of `walk` (resolved) and the value of its `id`, the
/// only part of it evaluated; `None` past the last.
fn element_with_id(eval: &mut Eval, walk: &mut Walk) -> Result<Option<(Shape, JsValue)>, Failure> {
    let Some(element) = eval.next_element(walk)? else {
        return Ok(None);
    };
    let element = eval.resolve(element)?;
    let entry_id = match member(eval, walk.at, &element, "id")? {
        Some(shape) => eval.eval(shape)?,
        None => JsValue::Undefined,
    };
    Ok(Some((element, entry_id)))
}

/// Property `key` of an element read at `at` ([`Walk::at`]): an object
/// literal's, or a namespace's export of that name; `None` for anything
/// else.
fn member(
    eval: &mut Eval,
    at: Option<(Scope, usize, bool)>,
    element: &Shape,
    key: &str,
) -> Result<Option<Shape>, Failure> {
    match element {
        Shape::Object(scope, open) => eval.property(*scope, *open, key),
        Shape::Namespace(file) => match at {
            Some((scope, at, _)) => eval.namespace_member(*file, key, scope, at),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// `failure`, met reading the element (or spread) at `at`, said to stop
/// the search because that element could be the entry `id`.
fn could_be(eval: &Eval, failure: Failure, at: Option<(Scope, usize, bool)>, id: &str) -> Failure {
    let Some((scope, at, spread)) = at else {
        return failure;
    };
    let element = eval.program.fail(scope.file, at, "").location;
    // Where the failure is not the element's start (a call in its `id`,
    // in a constant it names), the element is named too.
    let here = failure.location.is_none() || failure.location == element;
    let what = match (spread, element.as_deref().filter(|_| !here)) {
        (true, None) => format!("whether the elements spread here include {id}"),
        (true, Some(at)) => format!("whether the elements spread at {at} include {id}"),
        (false, None) => format!("whether this element is {id}"),
        (false, Some(at)) => format!("whether the element at {at} is {id}"),
    };
    Failure {
        location: failure.location.or(element),
        message: format!(
            "{}, so cannot tell {what}: it comes before any element known to be {id}, and Node takes the first whose id matches",
            failure.message
        ),
    }
}

/// For the fuzz property: whether the stackless [`cursor::Source::unbalanced`]
/// finds what a stack finds, for `text` as a config.ts (`None`: the lexer
/// refuses it).
#[cfg(feature = "fuzzing")]
pub fn unbalanced_agrees(text: &str) -> Option<bool> {
    let tokens = lexer::tokenize(text).ok()?;
    let source = cursor::Source::new(text.to_string(), tokens);
    Some(source.unbalanced() == source.unbalanced_by_stack())
}
