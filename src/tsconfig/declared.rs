/*!
The integrations a use case declares, read statically from its config.ts
(or config.js) as [`super::extract`] reads a custom schema: the top-level
`integrationUids` and each of `workflows[]`'s, de-duplicated in first-seen
order (the top level first, then the workflows in order) with the workflows
using each, and the `customIntegrations` entries. Only the path to those
values is evaluated: a workflow's `workflowTemplate: loadAndEncodeWorkflow(...)`
is never met. A value that cannot be read (an array, one element) is
reported with its `file:line:col` and the rest is still read.

Where the arrays are: in the object getConfiguration() returns when that can
be told; else every `integrationUids` property of config.ts, one in an
object with a `workflowTemplateId` (or `workflowName`) counting as that
workflow's, and every `customIntegrations` property.
*/

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::eval::{Eval, Scope, Shape, Walk};
use super::imports::Program;
use super::value::JsValue;
use super::{Failure, KEY, candidates, could_be, element_with_id, member, returned_object};
use crate::error::CliError;

/// Where an array element was read ([`Walk::at`]).
type At = Option<(Scope, usize, bool)>;

/// Problems reported one by one; past this many, only counted.
const MAX_PROBLEMS: usize = 20;
/// `integrationUids` elements read in all: a use case has tens. Arrays
/// named by many workflows would otherwise make the answer (each id with
/// every workflow using it) grow with their product.
const MAX_ELEMENTS: usize = 100_000;

/// What config.ts declares.
#[derive(Debug)]
pub struct Declared {
    /// The file read, as the user would write its path.
    pub file: String,
    pub integrations: Vec<Declaration>,
    /// The ids of `customIntegrations`, in order, each once.
    pub defined: Vec<String>,
    /// What could not be read, each `file:line:col: ...`, one line each.
    pub problems: Vec<String>,
}

/// One id of the `integrationUids` arrays.
#[derive(Debug)]
pub struct Declaration {
    pub id: String,
    /// In the top-level `integrationUids`.
    pub top_level: bool,
    /// The workflows whose `integrationUids` name it: their
    /// `workflowTemplateId`, else `workflowName`, else `workflows[i]`.
    pub workflows: Vec<String>,
    /// Its `customIntegrations` entry, for a `cstm_*` id.
    pub definition: Definition,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// Not a `cstm_*` id: nothing to look up.
    BuiltIn,
    /// `JSON.stringify` of its entry, as `set` would send it.
    Schema(String),
    /// No entry of `customIntegrations` has this id.
    Absent,
    /// Whether there is an entry, or the entry, cannot be read: why, and
    /// its `contextType` when that alone could be.
    Unreadable {
        message: String,
        context_type: Option<String>,
    },
}

/// What the config file of `dir` declares; `None` when `dir` has neither
/// config.ts nor config.js. A file that cannot be read or lexed at all is
/// an error (exit 2).
pub fn declared(dir: &Path) -> Result<Option<Declared>, CliError> {
    let Some((path, _)) = super::config_file(dir) else {
        return Ok(None);
    };
    let mut program = Program::open(&path).map_err(|f| {
        CliError::validation(format!(
            "{}; so the integrations it declares are not known",
            describe(f, "the file")
        ))
    })?;
    let file = program.modules[0].display.clone();
    let mut eval = Eval::new(&mut program);
    let mut reader = Reader::default();
    // `codika deploy use-case` calls getConfiguration() without `await`.
    let mut said = false;
    let custom = match returned_object(&mut eval, false) {
        Err(failure) => {
            said = true;
            reader.problem(describe(failure.clone(), "what getConfiguration() returns"));
            Err(failure)
        }
        Ok(Some((scope, open, location))) => {
            reader.read_returned(&mut eval, scope, open, &location);
            match eval.property(scope, open, KEY) {
                Ok(Some(shape)) => Ok(vec![(shape, location)]),
                Ok(None) => Ok(Vec::new()),
                Err(failure) => Err(failure),
            }
        }
        Ok(None) => {
            reader.read_whole_file(&mut eval);
            candidates(&mut eval, KEY, false)
                .map(|found| found.into_iter().map(|c| (c.shape, c.location)).collect())
        }
    };
    let defined = match custom {
        // Past the expansion limit every step fails: said once already.
        _ if eval.exhausted() => {
            let limit = "customIntegrations is not read: the expansion limit was reached before it";
            reader.unreadable_definitions(limit, true);
            Vec::new()
        }
        Ok(custom) => reader.definitions(&mut eval, custom, &file),
        Err(failure) => {
            let message = describe(failure, KEY);
            reader.unreadable_definitions(&message, said);
            Vec::new()
        }
    };
    if reader.more > 0 {
        let more = reader.more;
        reader
            .problems
            .push(format!("... and {more} more that cannot be read"));
    }
    Ok(Some(Declared {
        file,
        integrations: reader.uses,
        defined,
        problems: reader.problems,
    }))
}

/// `file:line:col: cannot read WHAT statically: met ...`.
fn describe(failure: Failure, what: &str) -> String {
    match failure.location {
        Some(location) => format!(
            "{location}: cannot read {what} statically: met {}",
            failure.message
        ),
        None => failure.message,
    }
}

/// Where a value is, for a message: found only when one needs it (a
/// position costs a scan of up to 4 KiB of source).
#[derive(Clone, Copy)]
enum Place<'a> {
    Text(&'a str),
    /// A module and a token of it.
    Token(usize, usize),
}

impl Place<'_> {
    fn location(self, eval: &Eval) -> String {
        match self {
            Place::Text(text) => text.to_string(),
            Place::Token(file, at) => eval.program.fail(file, at, "").location.unwrap_or_default(),
        }
    }
}

#[derive(Default)]
struct Reader {
    uses: Vec<Declaration>,
    /// Where each id is in `uses`.
    index: HashMap<String, usize>,
    /// Each workflow name met, as a number: an (id, workflow) pair is
    /// then noted without hashing or copying the name again.
    names: HashMap<String, usize>,
    /// (id, workflow) pairs already noted.
    noted: HashSet<(usize, usize)>,
    problems: Vec<String>,
    /// Problems past [`MAX_PROBLEMS`].
    more: usize,
    /// `integrationUids` elements read so far.
    elements: usize,
}

impl Reader {
    /// Past [`MAX_ELEMENTS`]: said once, and nothing more is read.
    fn full(&mut self) -> bool {
        if self.elements == MAX_ELEMENTS {
            self.elements += 1;
            self.problem(format!(
                "more than {MAX_ELEMENTS} integrationUids elements in all: the rest is not read"
            ));
        }
        self.elements > MAX_ELEMENTS
    }

    fn problem(&mut self, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(message);
        } else {
            self.more += 1;
        }
    }

    /// The object getConfiguration() returns: its `integrationUids`, then
    /// each workflow's.
    fn read_returned(&mut self, eval: &mut Eval, scope: Scope, open: usize, location: &str) {
        let what = "the top-level integrationUids";
        match eval.property(scope, open, "integrationUids") {
            Ok(Some(shape)) => self.uids(eval, shape, None, what, Place::Text(location)),
            Ok(None) => {}
            Err(failure) => self.problem(describe(failure, what)),
        }
        if eval.exhausted() {
            return;
        }
        match eval.property(scope, open, "workflows") {
            Ok(Some(shape)) => self.workflows(eval, shape, location),
            Ok(None) => {}
            Err(failure) => self.problem(describe(failure, "workflows")),
        }
    }

    /// When what getConfiguration() returns cannot be told: every
    /// `integrationUids` of the file, the top-level ones first.
    fn read_whole_file(&mut self, eval: &mut Eval) {
        let mut found = Vec::new();
        for property in super::properties_in_file(eval, "integrationUids") {
            let place = Place::Token(0, property.at);
            let workflow = property
                .object
                .and_then(|open| workflow_name(eval, &Shape::Object(property.scope, open), None));
            let shape = if property.shorthand {
                Ok(Shape::Ref(property.scope, property.at))
            } else {
                eval.parse(property.scope, property.at + 2).map(|(s, _)| s)
            };
            found.push((workflow, shape, place));
        }
        // The top-level ones first, each group in source order (a partition,
        // not a sort: no sort code for this one element type).
        let (top, in_workflows): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|(workflow, _, _)| workflow.is_none());
        for (workflow, shape, place) in top.into_iter().chain(in_workflows) {
            if self.full() {
                break;
            }
            let what = match &workflow {
                Some(name) => format!("the integrationUids of workflow {name}"),
                None => "the top-level integrationUids".to_string(),
            };
            match shape {
                Ok(shape) => self.uids(eval, shape, workflow.as_deref(), &what, place),
                Err(failure) => self.problem(describe(failure, &what)),
            }
        }
    }

    fn workflows(&mut self, eval: &mut Eval, shape: Shape, location: &str) {
        let (scope, open) = match eval.resolve(shape) {
            Ok(Shape::Array(scope, open)) => (scope, open),
            Ok(Shape::Value(JsValue::Undefined)) => return,
            Ok(_) => {
                return self.problem(format!(
                    "{location}: workflows is not an array literal: its integrationUids cannot be read"
                ));
            }
            Err(failure) => return self.problem(describe(failure, "workflows")),
        };
        let mut walk = Walk::new(eval, scope, open);
        for index in 0.. {
            let element = match eval.next_element(&mut walk) {
                Ok(None) => break,
                Ok(Some(element)) => eval.resolve(element),
                Err(failure) => Err(failure),
            };
            let name = format!("workflows[{index}]");
            match element {
                Ok(element) => self.workflow(eval, &walk, element, name),
                Err(failure) => {
                    self.problem(describe(failure, &name));
                    walk.skip(eval);
                }
            }
            if eval.exhausted() || self.full() {
                break;
            }
        }
    }

    /// One element of `workflows`: its name, then its `integrationUids`.
    fn workflow(&mut self, eval: &mut Eval, walk: &Walk, element: Shape, index: String) {
        let name = workflow_name(eval, &element, walk.at).unwrap_or(index);
        let what = format!("the integrationUids of workflow {name}");
        let place = match walk.at {
            Some((scope, at, _)) => Place::Token(scope.file, at),
            None => Place::Text(""),
        };
        match member(eval, walk.at, &element, "integrationUids") {
            Ok(Some(shape)) => self.uids(eval, shape, Some(&name), &what, place),
            Ok(None) => {}
            Err(failure) => self.problem(describe(failure, &what)),
        }
    }

    /// The ids of one `integrationUids` array, element by element: one
    /// that cannot be read is reported and the others are kept. `place`
    /// is the object holding it, for a value that has no place of its own.
    fn uids(
        &mut self,
        eval: &mut Eval,
        shape: Shape,
        workflow: Option<&str>,
        what: &str,
        place: Place,
    ) {
        let (scope, open) = match eval.resolve(shape) {
            Ok(Shape::Array(scope, open)) => (scope, open),
            Ok(Shape::Value(JsValue::Undefined)) => return,
            Ok(_) => {
                let location = place.location(eval);
                return self.problem(format!(
                    "{location}: {what} is not an array literal of strings"
                ));
            }
            Err(failure) => return self.problem(describe(failure, what)),
        };
        let workflow = workflow.map(|name| self.name(name));
        let mut walk = Walk::new(eval, scope, open);
        while !self.full() {
            self.elements += 1;
            let value = match eval.next_element(&mut walk) {
                Ok(None) => break,
                Ok(Some(element)) => eval.eval(element),
                Err(failure) => Err(failure),
            };
            match value {
                Ok(JsValue::String(id)) => self.add(id, workflow.as_ref()),
                Ok(_) => {
                    let at = walk
                        .at
                        .and_then(|(scope, at, _)| eval.program.fail(scope.file, at, "").location)
                        .unwrap_or_else(|| place.location(eval));
                    self.problem(format!("{at}: an element of {what} that is not a string"));
                }
                Err(failure) => {
                    self.problem(describe(failure, what));
                    walk.skip(eval);
                }
            }
            if eval.exhausted() {
                break;
            }
        }
    }

    /// The number of workflow `name`, and the name.
    fn name(&mut self, name: &str) -> (usize, String) {
        let next = self.names.len();
        let number = *self.names.entry(name.to_string()).or_insert(next);
        (number, name.to_string())
    }

    fn add(&mut self, id: String, workflow: Option<&(usize, String)>) {
        let at = match self.index.get(&id) {
            Some(&at) => at,
            None => {
                let definition = if id.starts_with("cstm_") {
                    Definition::Absent
                } else {
                    Definition::BuiltIn
                };
                self.index.insert(id.clone(), self.uses.len());
                self.uses.push(Declaration {
                    id,
                    top_level: false,
                    workflows: Vec::new(),
                    definition,
                });
                self.uses.len() - 1
            }
        };
        match workflow {
            None => self.uses[at].top_level = true,
            Some((number, name)) => {
                if self.noted.insert((at, *number)) {
                    self.uses[at].workflows.push(name.clone());
                }
            }
        }
    }

    /// Every `customIntegrations` array found: the ids it defines, and the
    /// entry of each `cstm_*` id declared. Several arrays (in a file whose
    /// getConfiguration() cannot be told) must agree about an entry, as
    /// `set` requires.
    fn definitions(
        &mut self,
        eval: &mut Eval,
        arrays: Vec<(Shape, String)>,
        file: &str,
    ) -> Vec<String> {
        let wanted: Vec<String> = self
            .uses
            .iter()
            .filter(|u| u.id.starts_with("cstm_"))
            .map(|u| u.id.clone())
            .collect();
        let mut defined = Vec::new();
        let mut seen = HashSet::new();
        let mut verdicts = Vec::new();
        for (shape, location) in arrays {
            let (ids, found) = self.one_array(eval, shape, file, &wanted);
            defined.extend(ids.into_iter().filter(|id| seen.insert(id.clone())));
            verdicts.push((location, found));
        }
        let Some(((first_at, first), rest)) = verdicts.split_first() else {
            return defined;
        };
        for (i, id) in wanted.iter().enumerate() {
            let definition = match rest.iter().find(|(_, found)| found[i] != first[i]) {
                None => first[i].clone(),
                Some((other_at, _)) => Definition::Unreadable {
                    message: format!(
                        "{first_at} and {other_at} both hold a {KEY} property and they disagree about {id}: make getConfiguration() return one of them"
                    ),
                    context_type: None,
                },
            };
            self.define(id, definition);
        }
        defined
    }

    fn define(&mut self, id: &str, definition: Definition) {
        if let Some(&at) = self.index.get(id) {
            self.uses[at].definition = definition;
        }
    }

    /// One `customIntegrations` array: its ids in order, and the definition
    /// of each id of `wanted`. Elements are read as far as their `id`, as
    /// `find(c => c.id === id)` reads them, and the first of an id is its
    /// entry; one whose `id` cannot be read ends the walk, since it could be
    /// any id not met before it.
    fn one_array(
        &mut self,
        eval: &mut Eval,
        shape: Shape,
        file: &str,
        wanted: &[String],
    ) -> (Vec<String>, Vec<Definition>) {
        let mut ids = Vec::new();
        let mut entries: HashMap<String, (Shape, At)> = HashMap::new();
        let mut stopped = None;
        match eval.resolve(shape) {
            Ok(Shape::Array(scope, open)) => {
                let mut walk = Walk::new(eval, scope, open);
                loop {
                    match element_with_id(eval, &mut walk) {
                        Ok(None) => break,
                        Ok(Some((element, JsValue::String(id)))) => {
                            // The first of an id is its entry, as find() takes it.
                            if let Entry::Vacant(vacant) = entries.entry(id) {
                                ids.push(vacant.key().clone());
                                vacant.insert((element, walk.at));
                            }
                        }
                        Ok(Some(_)) => {}
                        Err(failure) => {
                            stopped = Some((failure, walk.at));
                            break;
                        }
                    }
                }
            }
            Ok(_) => {
                let met = format!("{KEY} is not an array literal in {file}");
                stopped = Some((Failure::plain(met), None));
            }
            Err(failure) => stopped = Some((failure, None)),
        }
        let mut definitions = Vec::new();
        let mut told = false;
        for id in wanted {
            definitions.push(match (entries.get(id), &stopped) {
                (Some((element, at)), _) => entry(eval, *at, element.clone()),
                (None, None) => Definition::Absent,
                (None, Some((failure, at))) => {
                    told = true;
                    let failure = could_be(eval, failure.clone(), *at, id);
                    Definition::Unreadable {
                        message: describe(failure, &format!("{id}'s schema")),
                        context_type: None,
                    }
                }
            });
        }
        // Said once: with no declared id to carry it, as a problem.
        if let (Some((failure, _)), false) = (stopped, told) {
            self.problem(format!(
                "{}; the custom integrations defined after it are not known",
                describe(failure, KEY)
            ));
        }
        (ids, definitions)
    }

    /// `customIntegrations` itself cannot be read: every declared `cstm_*`
    /// id says why, or the problems do when there is none.
    /// `said`: the problems say why already.
    fn unreadable_definitions(&mut self, message: &str, said: bool) {
        let mut any = false;
        for entry in self.uses.iter_mut().filter(|u| u.id.starts_with("cstm_")) {
            any = true;
            entry.definition = Definition::Unreadable {
                message: message.to_string(),
                context_type: None,
            };
        }
        if !any && !said {
            self.problem(message.to_string());
        }
    }
}

/// A `customIntegrations` entry read at `at`, evaluated whole; when that
/// fails, its `contextType` alone.
fn entry(eval: &mut Eval, at: At, element: Shape) -> Definition {
    let failure = match eval.eval(element.clone()) {
        Ok(value) => match value.to_json() {
            Some(json) => return Definition::Schema(json),
            None => Failure::plain("an entry that is not a JSON value".to_string()),
        },
        Err(failure) => failure,
    };
    let context_type = match member(eval, at, &element, "contextType") {
        Ok(Some(shape)) => match eval.eval(shape) {
            Ok(JsValue::String(context)) => Some(context),
            _ => None,
        },
        _ => None,
    };
    Definition::Unreadable {
        message: describe(failure, "its schema"),
        context_type,
    }
}

/// A workflow's `workflowTemplateId`, else its `workflowName`, when one is
/// a string that can be read (the element read at `at`).
fn workflow_name(eval: &mut Eval, element: &Shape, at: At) -> Option<String> {
    ["workflowTemplateId", "workflowName"]
        .into_iter()
        .find_map(|key| match member(eval, at, element, key) {
            Ok(Some(shape)) => match eval.eval(shape) {
                Ok(JsValue::String(name)) if !name.is_empty() => Some(name),
                _ => None,
            },
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder holding `files`, removed when dropped (a failing
    /// test's too).
    fn folder(name: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("codika-declared-{name}-"))
            .tempdir()
            .unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn read(name: &str, config: &str) -> Declared {
        let dir = folder(name, &[("config.ts", config)]);
        declared(dir.path()).unwrap().unwrap()
    }

    /// (id, top level, workflows) of each declaration.
    fn uses(declared: &Declared) -> Vec<(String, bool, Vec<String>)> {
        declared
            .integrations
            .iter()
            .map(|d| (d.id.clone(), d.top_level, d.workflows.clone()))
            .collect()
    }

    fn row(id: &str, top: bool, workflows: &[&str]) -> (String, bool, Vec<String>) {
        let workflows = workflows.iter().map(|w| w.to_string()).collect();
        (id.to_string(), top, workflows)
    }

    const TEMPLATE: &str = r#"
import { loadAndEncodeWorkflow } from 'codika';
const crm = { id: 'cstm_crm', name: 'CRM', contextType: 'member', n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' }, secretFields: [{ key: 'API_KEY', label: 'K', type: 'password' }] };
const SHARED = ['openai'];
export function getConfiguration() {
  const deploymentId = crypto.randomUUID();
  return {
    title: 'Invoices',
    deploymentId,
    integrationUids: [...SHARED, 'supabase'],
    workflows: [
      { workflowTemplateId: 'main', integrationUids: ['supabase', 'cstm_crm', 'openai'],
        workflowTemplate: loadAndEncodeWorkflow('./workflows/main.json') },
      { workflowName: 'Sync', integrationUids: SHARED, workflowTemplate: loadAndEncodeWorkflow('./b.json') },
      { integrationUids: ['openai'] },
    ],
    customIntegrations: [crm, { id: 'cstm_unused', name: makeName() }],
  };
}
"#;

    #[test]
    fn the_template_is_read_around_its_function_calls() {
        let declared = read("template", TEMPLATE);
        assert_eq!(
            uses(&declared),
            [
                row("openai", true, &["main", "Sync", "workflows[2]"]),
                row("supabase", true, &["main"]),
                row("cstm_crm", false, &["main"]),
            ]
        );
        assert!(declared.problems.is_empty(), "{:?}", declared.problems);
        assert_eq!(declared.defined, ["cstm_crm", "cstm_unused"]);
        assert_eq!(declared.integrations[0].definition, Definition::BuiltIn);
        match &declared.integrations[2].definition {
            Definition::Schema(json) => {
                assert!(json.starts_with(r#"{"id":"cstm_crm","name":"CRM","contextType":"member""#))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unreadable_array_or_element_is_reported_and_the_rest_read() {
        let declared = read(
            "unreadable",
            r#"export function getConfiguration() {
  return {
    integrationUids: topLevelIds(),
    workflows: [
      makeWorkflow('a'),
      { workflowTemplateId: 'b', integrationUids: ['openai', vendor.id(), 'anthropic', 42] },
      { workflowTemplateId: 'c', integrationUids: 'supabase' },
    ],
  };
}
"#,
        );
        assert_eq!(
            uses(&declared),
            [
                row("openai", false, &["b"]),
                row("anthropic", false, &["b"])
            ]
        );
        let problems = declared.problems.join("\n");
        for wanted in [
            "config.ts:3:22: cannot read the top-level integrationUids statically: met a function call `topLevelIds(`",
            "config.ts:5:7: cannot read workflows[0] statically: met a function call `makeWorkflow(`",
            "cannot read the integrationUids of workflow b statically: met a function call `vendor.id(`",
            "config.ts:6:88: an element of the integrationUids of workflow b that is not a string",
            "the integrationUids of workflow c is not an array literal of strings",
        ] {
            assert!(problems.contains(wanted), "{wanted}\n{problems}");
        }
        assert_eq!(declared.problems.len(), 5, "{problems}");
    }

    #[test]
    fn a_config_whose_return_cannot_be_told_is_searched_for_integration_uids() {
        let declared = read(
            "fallback",
            r#"const main = { workflowTemplateId: 'main', integrationUids: ['supabase'] };
export function getConfiguration() {
  return build({ workflows: [main], integrationUids: ['openai'] }, [{ id: 'cstm_x' }]);
}
type Shape = { integrationUids: string[] };
"#,
        );
        assert_eq!(
            uses(&declared),
            [row("openai", true, &[]), row("supabase", false, &["main"])]
        );
    }

    #[test]
    fn custom_definitions_absent_or_behind_an_unreadable_id() {
        let declared = read(
            "custom",
            r#"export function getConfiguration() {
  return {
    integrationUids: ['cstm_absent', 'cstm_after', 'cstm_first'],
    customIntegrations: [
      { id: 'cstm_first', name: 'F', description: describe(), contextType: 'organization' },
      { id: idOf('x'), name: 'X' },
      { id: 'cstm_after', name: 'A' },
    ],
  };
}
"#,
        );
        let by_id = |id: &str| {
            &declared
                .integrations
                .iter()
                .find(|d| d.id == id)
                .unwrap()
                .definition
        };
        // Its schema calls a function, but its contextType alone is read.
        match by_id("cstm_first") {
            Definition::Unreadable {
                message,
                context_type,
            } => {
                assert_eq!(context_type.as_deref(), Some("organization"));
                assert!(message.contains("config.ts:5:51: cannot read its schema statically: met a function call `describe(`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // Any id after an unreadable one could be defined by it.
        for id in ["cstm_absent", "cstm_after"] {
            match by_id(id) {
                Definition::Unreadable { message, .. } => {
                    assert!(message.contains("config.ts:6:13"), "{message}");
                    assert!(
                        message.contains(&format!("config.ts:6:7 is {id}:")),
                        "{message}"
                    );
                }
                other => panic!("{id}: {other:?}"),
            }
        }
        assert_eq!(declared.defined, ["cstm_first"]);
        assert!(declared.problems.is_empty(), "{:?}", declared.problems);

        let absent = read(
            "absent",
            "export const getConfiguration = () => ({ integrationUids: ['cstm_gone'] });\n",
        );
        assert_eq!(absent.integrations[0].definition, Definition::Absent);
        assert!(absent.defined.is_empty());
    }

    #[test]
    fn workflows_imported_from_other_files_and_config_js() {
        let temp = folder(
            "imports",
            &[
                (
                    "config.js",
                    "import { main } from './workflows/main';\nimport * as extra from './extra.js';\nexport function getConfiguration() { return { workflows: [main, extra] }; }\n",
                ),
                (
                    "workflows/main.ts",
                    "export const main = { workflowTemplateId: 'main', integrationUids: ['openai'] };\n",
                ),
                (
                    "extra.ts",
                    "export const workflowTemplateId = 'extra';\nexport const integrationUids = ['tavily'];\n",
                ),
            ],
        );
        let dir = temp.path();
        let declared = declared(dir).unwrap().unwrap();
        assert!(declared.file.ends_with("config.js"), "{}", declared.file);
        assert_eq!(
            uses(&declared),
            [
                row("openai", false, &["main"]),
                row("tavily", false, &["extra"])
            ]
        );
    }

    #[test]
    fn no_config_file_is_none_and_one_that_does_not_lex_is_an_error() {
        let temp = folder("none", &[("project.json", "{}")]);
        let dir = temp.path();
        assert!(declared(dir).unwrap().is_none());
        std::fs::write(dir.join("config.ts"), "const a = 'open\n").unwrap();
        let error = declared(dir).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(
            error.message.contains("config.ts:1:11"),
            "{}",
            error.message
        );
    }

    /// Reads `text` and fails if that takes longer than a debug build
    /// needs for linear work, with room for a loaded machine.
    fn quickly(name: &str, text: &str) -> Declared {
        let start = std::time::Instant::now();
        let declared = read(name, text);
        let took = start.elapsed();
        // Quadratic work takes minutes; a loaded shared machine, up to 20 s.
        assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
        declared
    }

    #[test]
    fn thirty_thousand_workflows_and_as_many_calls_are_read_in_linear_time() {
        let workflows: Vec<String> = (0..30_000)
            .map(|i| {
                format!(
                    "{{ workflowTemplateId: 'w{i}', integrationUids: ['openai', 'x{i}'], t: f() }}"
                )
            })
            .collect();
        let calls = vec!["g()"; 30_000].join(", ");
        let text = format!(
            "export function getConfiguration() {{ return {{ workflows: [{}, {calls}] }}; }}\n",
            workflows.join(", ")
        );
        let declared = quickly("many", &text);
        assert_eq!(declared.integrations.len(), 30_001);
        assert_eq!(declared.integrations[0].workflows.len(), 30_000);
        // Problems are capped, the rest counted.
        assert_eq!(declared.problems.len(), MAX_PROBLEMS + 1);
        assert!(declared.problems[MAX_PROBLEMS].contains("29980 more that cannot be read"));
    }

    #[test]
    fn thirty_thousand_properties_are_searched_in_linear_time_when_the_return_cannot_be_told() {
        let workflows: Vec<String> = (0..30_000)
            .map(|i| format!("{{ workflowTemplateId: 'w{i}', integrationUids: ['openai', g()] }}"))
            .collect();
        let text = format!(
            "export function getConfiguration() {{ return build([{}]); }}\n",
            workflows.join(", ")
        );
        let declared = quickly("search", &text);
        assert_eq!(declared.integrations.len(), 1);
        assert_eq!(declared.integrations[0].workflows.len(), 30_000);
        assert!(declared.problems[MAX_PROBLEMS].contains("29980 more"));
    }

    #[test]
    fn one_long_array_named_by_every_workflow_is_read_up_to_a_bound() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("'x{i}'")).collect();
        let workflows = vec!["{ integrationUids: IDS }"; 20_000].join(", ");
        let text = format!(
            "const IDS = [{}];\nexport function getConfiguration() {{ return {{ workflows: [{workflows}] }}; }}\n",
            ids.join(", ")
        );
        let declared = quickly("bound", &text);
        assert_eq!(declared.integrations.len(), 20_000);
        assert_eq!(declared.integrations[0].workflows.len(), 5);
        assert_eq!(
            declared.problems,
            ["more than 100000 integrationUids elements in all: the rest is not read"]
        );
    }

    /// Files Node evaluates to something else than their object literal
    /// (or cannot load): never read as if it were returned.
    #[test]
    fn what_node_would_not_return_is_a_problem_never_a_value() {
        for (config, wanted) in [
            // ASI: `return` and a line break return undefined.
            (
                "export function getConfiguration() { return\n  { integrationUids: ['openai'] }; }",
                "config.ts:1:38: cannot read what getConfiguration() returns statically: met a `return` followed by a line break",
            ),
            (
                "export function getConfiguration() { return; }\nconst x = { integrationUids: ['openai'] };",
                "getConfiguration() returns undefined",
            ),
            // A block with a label, not an object.
            (
                "export const getConfiguration = () => { integrationUids: ['openai'] };",
                "config.ts:1:39: cannot read what getConfiguration() returns statically: met a body without `return`",
            ),
            // Parameters shadow the top level: defaults, destructuring, a lone name.
            (
                "const ids = ['openai'];\nexport function getConfiguration(ids = ['anthropic']) { return { integrationUids: ids }; }",
                "config.ts:2:34: cannot read the top-level integrationUids statically: met `ids`, a parameter of getConfiguration",
            ),
            (
                "const ids = ['openai'];\nexport function getConfiguration({ a: ids } = { a: ['x'] }) { return { integrationUids: ids }; }",
                "a parameter of getConfiguration",
            ),
            (
                "const ids = ['openai'];\nexport const getConfiguration = (ids: string[]) => ({ integrationUids: ids });",
                "a parameter of getConfiguration",
            ),
            (
                "const ids = ['openai'];\nexport const getConfiguration = ids => ({ integrationUids: ids });",
                "a parameter of getConfiguration",
            ),
            // The live binding reassigned.
            (
                "export function getConfiguration() { return { integrationUids: ['openai'] }; }\ngetConfiguration = () => ({ integrationUids: ['anthropic'] });",
                "config.ts:2:1: cannot read what getConfiguration() returns statically: met `getConfiguration` assigned",
            ),
            // Declared twice: SyntaxError.
            (
                "export function getConfiguration() { return { integrationUids: ['openai'] }; }\nexport function getConfiguration() { return { integrationUids: ['anthropic'] }; }",
                "config.ts:2:17: cannot read what getConfiguration() returns statically: met `getConfiguration` declared again (first at ",
            ),
            (
                "const ids = ['openai'];\nconst ids = ['anthropic'];\nexport function getConfiguration() { return { integrationUids: ids }; }",
                "config.ts:2:7: cannot read the top-level integrationUids statically: met `ids` declared again (first at ",
            ),
            (
                "import { ids } from './other';\nconst ids = ['anthropic'];\nexport function getConfiguration() { return { integrationUids: ids }; }",
                "SyntaxError: Identifier 'ids' has already been declared",
            ),
            (
                "export function getConfiguration() { const ids = ['openai']; let ids = ['x']; return { integrationUids: ids }; }",
                "SyntaxError: Identifier 'ids' has already been declared",
            ),
            (
                "var ids = ['openai'];\nvar ids = ['anthropic'];\nexport function getConfiguration() { return { integrationUids: ids }; }",
                "Node takes the later declaration",
            ),
            (
                "export function getConfiguration(ids) { var ids = ['openai']; return { integrationUids: ids }; }",
                "`ids` declared again",
            ),
            // A later getter replaces the property; a method is no array.
            (
                "export function getConfiguration() { return { integrationUids: ['openai'], get integrationUids() { return ['anthropic']; } }; }",
                "config.ts:1:80: cannot read the top-level integrationUids statically: met a getter or setter",
            ),
            (
                "export function getConfiguration() { return { integrationUids: ['openai'], integrationUids() { return 1; } }; }",
                "the top-level integrationUids is not an array literal of strings",
            ),
            // Not the object: a generator, a Promise (deploy does not await).
            (
                "export function* getConfiguration() { return { integrationUids: ['openai'] }; }",
                "config.ts:1:8: cannot read what getConfiguration() returns statically: met a generator function",
            ),
            (
                "export const getConfiguration = function* () { return { integrationUids: ['openai'] }; };",
                "met a generator function",
            ),
            (
                "export async function getConfiguration() { return { integrationUids: ['openai'] }; }",
                "config.ts:1:8: cannot read what getConfiguration() returns statically: met an async getConfiguration",
            ),
            (
                "export const getConfiguration = async () => ({ integrationUids: ['openai'] });",
                "met an async getConfiguration",
            ),
            // The comma operator returns its last operand.
            (
                "const other = {};\nexport function getConfiguration() { return { integrationUids: ['openai'] }, other; }",
                "config.ts:2:76: cannot read what getConfiguration() returns statically: met a `,` after the value returned",
            ),
        ] {
            let declared = read("node-differs", config);
            let problems = declared.problems.join("\n");
            assert!(
                problems.contains(wanted),
                "{config}\nwanted {wanted}\ngot {problems}"
            );
        }
    }

    #[test]
    fn code_after_the_first_return_and_an_overload_are_fine() {
        for config in [
            "export function getConfiguration() { return { integrationUids: ['openai'] };\n return { integrationUids: ['x'] }; }",
            "export function getConfiguration(): C;\nexport function getConfiguration() { return (\n { integrationUids: ['openai'] }); }",
            "enum E { A }\nenum E { B }\nexport function getConfiguration() { const o = { return: 1 }; return { integrationUids: ['openai'] }; }",
            "const ids = ['openai'];\nexport function getConfiguration(other = 1) { function f() { return 1; } return { integrationUids: ids }; }",
        ] {
            let declared = read("node-agrees", config);
            assert!(
                declared.problems.is_empty(),
                "{config}\n{:?}",
                declared.problems
            );
            assert_eq!(uses(&declared), [row("openai", true, &[])], "{config}");
        }
    }

    #[test]
    fn arrays_spread_twice_into_the_next_forty_times_are_refused_by_the_expansion_limit() {
        // a40 holds 2^40 elements in Node (which cannot build it): the
        // walk looks at each array once, but charges every element.
        let mut text = String::from("const a0 = ['openai'];\n");
        for n in 1..=40 {
            text.push_str(&format!("const a{n} = [...a{p}, ...a{p}];\n", p = n - 1));
        }
        text.push_str(
            "export function getConfiguration() { return { integrationUids: ['anthropic', ...a40] }; }\n",
        );
        let declared = quickly("doubling", &text);
        let problems = declared.problems.join("\n");
        assert!(
            problems.contains("too large") && problems.contains("at least 100000"),
            "{problems}"
        );
        assert!(problems.contains("config.ts:18:22: "), "{problems}");
        // Where the count passes the limit (the second spread of a16);
        // one problem: past the limit, nothing more is read (nor said).
        assert_eq!(declared.problems.len(), 1, "{problems}");
        // Ten doublings are 1,024 elements: read, each once.
        let ten = text.replace("...a40]", "...a10]");
        let declared = quickly("ten", &ten);
        assert!(declared.problems.is_empty(), "{:?}", declared.problems);
        assert_eq!(uses(&declared).len(), 2);
    }

    #[test]
    fn arbitrary_token_soups_never_panic() {
        let pieces = [
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ",",
            ":",
            "...",
            "'a'",
            "integrationUids",
            "workflows",
            "customIntegrations",
            "id",
            "'cstm_x'",
            "f()",
            "return",
            "export function getConfiguration()",
            "=>",
            "`${",
            "x",
            ";",
            "\n",
            "const x =",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let temp = folder("soup", &[]);
        let dir = temp.path();
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..60 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
                text.push(' ');
            }
            std::fs::write(dir.join("config.ts"), &text).unwrap();
            let _ = declared(dir);
        }
    }
}
