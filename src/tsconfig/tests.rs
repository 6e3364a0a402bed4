//! The corpus under tests/config_ts: each folder is a use case. One with
//! `expected.json` must yield exactly that JSON (same values, same key
//! order, numbers as JavaScript writes them) for the id it holds; one with `error.txt`
//! (the id on its first line, then one expected substring per line) must
//! fail with a message holding each.

use std::path::{Path, PathBuf};

use super::extract;

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config_ts");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "corpus missing under {}", root.display());
    cases
}

/// The same JSON value, compared as miniserde's sorted form.
fn canonical(text: &str) -> String {
    let value: miniserde::json::Value =
        miniserde::json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    miniserde::json::to_string(&value)
}

#[test]
fn corpus_cases_yield_their_expected_json() {
    let mut failures = Vec::new();
    for case in corpus() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = case.join("expected.json");
        if expected.is_file() {
            let expected = std::fs::read_to_string(expected).unwrap();
            let id =
                codika_common::value::text(&miniserde::json::from_str(&expected).unwrap(), "id")
                    .to_string();
            match extract(&case, &id) {
                Ok(found) => {
                    let exact = codika_common::jsontext::compact(&expected);
                    if canonical(&found.json) != canonical(&expected) {
                        failures.push(format!(
                            "{name}: other value\n  got  {}\n  want {exact}",
                            found.json
                        ));
                    } else if found.json != exact {
                        failures.push(format!(
                            "{name}: other key order or number text\n  got  {}\n  want {exact}",
                            found.json
                        ));
                    }
                }
                Err(e) => failures.push(format!("{name}: {}", e.message)),
            }
        } else {
            let spec = std::fs::read_to_string(case.join("error.txt")).unwrap();
            let mut lines = spec.lines();
            let id = lines.next().unwrap();
            match extract(&case, id) {
                Ok(found) => {
                    failures.push(format!("{name}: expected an error, got {}", found.json))
                }
                Err(e) => {
                    assert_eq!(e.exit_code(), 2, "{name}");
                    for wanted in lines.filter(|l| !l.is_empty()) {
                        if !e.message.contains(wanted) {
                            failures.push(format!("{name}: {:?} not in\n  {}", wanted, e.message));
                        }
                    }
                    if e.message.contains('\n') {
                        failures.push(format!("{name}: message is not one line: {}", e.message));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A small xorshift generator: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Writes `bytes` as config.ts of a fresh folder and extracts from it:
/// any answer is fine, a panic or a stack overflow is not.
fn survives(dir: &Path, bytes: &[u8]) -> Result<String, String> {
    std::fs::write(dir.join("config.ts"), bytes).unwrap();
    extract(dir, "cstm_x").map(|found| found.json).map_err(|e| {
        assert_eq!(e.exit_code(), 2);
        assert!(!e.message.contains('\n'), "{}", e.message);
        e.message
    })
}

/// A fresh folder, removed when dropped (a failing test's too).
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("codika-tsconfig-{name}-"))
        .tempdir()
        .unwrap()
}

const SOUP: [&str; 58] = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "`",
    "${",
    "'",
    "\"",
    "/",
    "\\",
    "customIntegrations",
    ":",
    ",",
    "...",
    "id",
    "'cstm_x'",
    "\"cstm_x\"",
    "export",
    "function",
    "getConfiguration",
    "return",
    "const",
    "let",
    "a",
    "b",
    "=",
    "=>",
    "as",
    "satisfies",
    "<",
    ">",
    ">>",
    "import",
    "from",
    "'./x'",
    "'./config'",
    "*",
    "\n",
    "//",
    "/*",
    "*/",
    "1",
    "0x1F",
    "1e400",
    ".5",
    "undefined",
    "null",
    ";",
    "?.",
    "!",
    "async",
    "default",
    "type",
    "interface",
    "\u{2028}",
    "é",
];

#[test]
fn arbitrary_bytes_and_token_soups_never_panic() {
    let temp = scratch("soup");
    let dir = temp.path();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..600 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = survives(dir, &bytes);
        let mut text = String::new();
        for _ in 0..rng.below(300) {
            text.push_str(SOUP[rng.below(SOUP.len())]);
            if rng.below(3) == 0 {
                text.push(' ');
            }
        }
        // Every few rounds, a soup behind a valid start, so it is reached.
        if round % 3 == 0 {
            text = format!(
                "export function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', name: {text}"
            );
        }
        let _ = survives(dir, text.as_bytes());
    }
    // A cut anywhere in a valid file is an error or a value, never a panic.
    let valid = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config_ts/unrelated_noise/config.ts"),
    )
    .unwrap();
    for cut in (0..valid.len()).step_by(7) {
        let _ = survives(dir, &valid[..cut]);
    }
}

#[test]
fn nesting_a_hundred_thousand_deep_is_refused_not_overflowed() {
    let temp = scratch("deep");
    let dir = temp.path();
    let n = 100_000;
    for (open, close, refused) in [
        ("[", "]", "deeper than 64"),
        ("{", "}", "where a property was expected"), // not JavaScript at all
        ("(", ")", "deeper than 64"),
        ("`${", "}`", "deeper than 64"),
        ("{a:", "}", "deeper than 64"),
        ("[...", "]", "deeper than 64"),
    ] {
        let deep = format!("{}1{}", open.repeat(n), close.repeat(n));
        // Anywhere in the file, and as the value on the path.
        let off_path = format!(
            "const junk = {deep};\nexport function getConfiguration() {{ return {{ customIntegrations: [] }}; }}"
        );
        let err = survives(dir, off_path.as_bytes()).unwrap_err();
        assert!(err.contains("found: none"), "{err}");
        let on_path = format!(
            "export function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', deep: {deep} }}] }}; }}"
        );
        let err = survives(dir, on_path.as_bytes()).unwrap_err();
        assert!(err.contains(refused), "{open}: {err}");
        // Unclosed, too.
        let _ = survives(dir, open.repeat(n).as_bytes());
        let _ = survives(dir, close.repeat(n).as_bytes());
    }
    // References chained and multiplied: bounded, not exponential.
    let mut chain = String::from("const r0 = { id: 'cstm_x', name: 'x' };\n");
    for i in 1..200 {
        chain.push_str(&format!(
            "const r{i} = {{ ...r{p}, ...r{p}, a: [r{p}, r{p}] }};\n",
            p = i - 1
        ));
    }
    chain.push_str("export function getConfiguration() { return { customIntegrations: [r199] }; }");
    let _ = survives(dir, chain.as_bytes());
}

/// Not a test: the time to extract from a 5,000-line config.ts (helpers,
/// calls and regexes off the path, 100 integrations, the last one asked
/// for). `make bench-extract` runs it in release mode.
#[test]
#[ignore]
fn bench_extract_from_a_5000_line_config_ts() {
    let temp = scratch("bench");
    let dir = temp.path();
    let mut text = String::from(
        "import crypto from 'crypto';\nimport { loadAndEncodeWorkflow, type CustomIntegrationSchema } from 'codika';\n\n",
    );
    let mut i = 0;
    while text.lines().count() < 4_000 {
        text.push_str(&format!(
            "const helper{i} = (value: string): boolean => /^[a-z]+{i}$/.test(value) && value.length / 2 > {i};\n\
             export const workflow{i} = loadAndEncodeWorkflow(`./workflows/w{i}.json`, {{ id: crypto.randomUUID() }});\n\
             const label{i}: string = `Field ${{'{i}'}}`;\n\n"
        ));
        i += 1;
    }
    let mut list = Vec::new();
    for n in 0..100 {
        text.push_str(&format!(
            "const integration{n}: CustomIntegrationSchema = {{\n  id: 'cstm_service_{n}',\n  name: 'Service {n}',\n  contextType: 'process_instance',\n  n8nCredentialType: 'httpHeaderAuth',\n  n8nCredentialMapping: {{ API_KEY: 'value' }},\n  secretFields: [{{ key: 'API_KEY', label: label{n}, type: 'password' }}],\n}};\n"
        ));
        list.push(format!("integration{n}"));
    }
    text.push_str(&format!(
        "\nexport function getConfiguration() {{\n  return {{\n    title: 'Bench',\n    workflows: [workflow0, workflow1],\n    customIntegrations: [{}],\n  }};\n}}\n",
        list.join(", ")
    ));
    while text.lines().count() < 5_000 {
        text.push_str("// trailing notes about customIntegrations and helpers\n");
    }
    assert_eq!(text.lines().count(), 5_000);
    std::fs::write(dir.join("config.ts"), &text).unwrap();
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let found = extract(dir, "cstm_service_99").unwrap();
        assert!(
            found.json.contains("\"label\":\"Field 99\""),
            "{}",
            found.json
        );
    }
    let each = start.elapsed() / runs;
    println!(
        "extract from a 5,000-line config.ts ({} KiB): {each:?} per run, mean of {runs}",
        text.len() / 1024
    );
}

#[test]
fn get_configuration_as_a_default_export_and_async_function() {
    let temp = scratch("forms");
    let dir = temp.path();
    for form in [
        "export default function getConfiguration() { return { customIntegrations: [E] }; }",
        "export async function getConfiguration() { return { customIntegrations: [E] }; }",
        "export const getConfiguration = async function () { return { customIntegrations: [E] }; };",
        "export const getConfiguration = () => { return { title: 'x', customIntegrations: [E] } as const; };",
    ] {
        // A second customIntegrations property elsewhere that disagrees:
        // only what getConfiguration() returns counts.
        let text = format!(
            "const E = {{ id: 'cstm_x', n: 1 }};\nconst other = {{ customIntegrations: [{{ id: 'cstm_x', n: 2 }}] }};\n{form}\n"
        );
        assert_eq!(
            survives(dir, text.as_bytes()),
            Ok(r#"{"id":"cstm_x","n":1}"#.to_string()),
            "{form}"
        );
    }
}

#[test]
fn member_access_holes_and_non_null_on_the_path() {
    let temp = scratch("members");
    let dir = temp.path();
    let text = r#"
const names = { crm: 'Acme CRM', 'with space': 'Spaced' } as const;
const list = [, 'second', 'third'];
const nested = { deep: { id: 'cstm_x' } };
export function getConfiguration() {
  return {
    customIntegrations: [{
      id: nested.deep.id!,
      name: names.crm,
      label: names['with space'],
      pick: list[1],
      missing: names.nothing,
      holes: [1, , 3],
      length: list.length,
      run: function () { return 1; },
      arrow: async (x: number): Promise<number> => x,
    }],
  };
}
"#;
    assert_eq!(
        survives(dir, text.as_bytes()),
        Ok(
            r#"{"id":"cstm_x","name":"Acme CRM","label":"Spaced","pick":"second","holes":[1,null,3],"length":3}"#
                .to_string()
        )
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_place() {
    let temp = scratch("utf8");
    let dir = temp.path();
    let err = survives(dir, b"const a = 'caf\xc3\xa9';\nconst b = '\xff';\n").unwrap_err();
    assert!(
        err.contains("config.ts:2:12: ") && err.contains("not UTF-8"),
        "{err}"
    );
}

/// Extracts from `text` and fails if that takes longer than `limit_secs`:
/// a generous bound for a debug build, for inputs whose shape once made the
/// work superlinear (12 s to minutes for each case below, 3 s at most
/// since on a quiet machine; 8 s was exceeded with the 2 cores shared by
/// several builds, so the bound only tells linear from quadratic).
const GENEROUS: u64 = 30;

fn quickly(dir: &Path, text: &str, limit_secs: u64) -> Result<String, String> {
    let start = std::time::Instant::now();
    let result = survives(dir, text.as_bytes());
    let took = start.elapsed();
    assert!(
        took < std::time::Duration::from_secs(limit_secs),
        "took {took:?}: {}",
        text.get(..200).unwrap_or(text)
    );
    result
}

#[test]
fn an_object_of_200_000_keys_is_built_in_linear_time() {
    let temp = scratch("keys");
    let dir = temp.path();
    let keys: Vec<String> = (0..200_000).map(|i| format!("k{i}: {i}")).collect();
    let text = format!(
        "export function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', {}, 7: 'seven', 3: 'three' }}] }}; }}\n",
        keys.join(", ")
    );
    let json = quickly(dir, &text, GENEROUS).unwrap();
    assert!(json.starts_with(r#"{"3":"three","7":"seven","id":"cstm_x","k0":0,"#));
    assert!(
        json.ends_with(r#""k199999":199999}"#),
        "{}",
        &json[json.len() - 40..]
    );
}

#[test]
fn sixty_thousand_ids_are_listed_in_linear_time() {
    let temp = scratch("ids");
    let dir = temp.path();
    let ids: Vec<String> = (0..60_000).map(|i| format!("{{ id: 'a{i}' }}")).collect();
    let text = format!(
        "export function getConfiguration() {{ return {{ customIntegrations: [{}, {{ id: 'a0' }}] }}; }}\n",
        ids.join(", ")
    );
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    assert!(err.contains("(found: a0, a1, a2, "), "{}", &err[..200]);
    assert!(err.contains(", a59999): "), "{}", &err[err.len() - 200..]);
}

#[test]
fn four_thousand_candidates_and_type_declarations_are_located_in_linear_time() {
    let temp = scratch("candidates");
    let dir = temp.path();
    let text = "x({ customIntegrations: [] });\n".repeat(4_000);
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    assert!(err.contains("(found: none)"), "{err}");
    let text = format!(
        "{}{}x({{ customIntegrations: [{{ id: 'cstm_x' }}] }});\n",
        "type A = 1;\ninterface B { customIntegrations: C[] }\n".repeat(20_000),
        "x({ customIntegrations: [{ id: 'cstm_x' }] });\n".repeat(4_000)
    );
    assert_eq!(
        quickly(dir, &text, GENEROUS),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
}

#[test]
fn a_line_of_200_000_regex_starts_is_lexed_in_linear_time() {
    let temp = scratch("regex");
    let dir = temp.path();
    let text = format!("const a = {}\n", "/[".repeat(200_000));
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    // Node could not load it: a `[` is left open.
    assert!(err.contains("never closed"), "{err}");
    let text = format!(
        "const a = {}\nexport function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', re: /[/]/g }}] }}; }}\n",
        "/[\\/".repeat(100_000)
    );
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    // Line 1 is one unclosed character class: Node could not load it.
    assert!(err.contains("config.ts:1:12:"), "{err}");
    assert!(err.contains("never closed"), "{err}");
}

#[test]
fn a_template_of_400_000_bad_unicode_escapes_is_lexed_in_linear_time() {
    let temp = scratch("escapes");
    let dir = temp.path();
    let text = format!("const a = `{}`;\n", "\\u{".repeat(400_000));
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    assert!(err.contains("has no customIntegrations array"), "{err}");
    let text = "export function getConfiguration() { return { customIntegrations: [{ id: 'cstm_\\u{78}', e: `\\u{1F600}\\u{0000041}` }] }; }\n";
    assert_eq!(
        survives(dir, text.as_bytes()),
        Ok(r#"{"id":"cstm_x","e":"😀A"}"#.to_string())
    );
}

#[test]
fn export_star_cycles_are_searched_once_per_module() {
    let temp = scratch("stars");
    let dir = temp.path();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    // The reviewer's case: a name no module exports, through a cycle.
    write("a.ts", "export * from './b';\nexport * from './a';\n");
    write("b.ts", "export * from './a';\nexport * from './config';\n");
    let config = "export * from './a';\nimport { list } from './a';\nexport function getConfiguration() { return { customIntegrations: list }; }\n";
    let err = quickly(dir, config, GENEROUS).unwrap_err();
    assert!(
        err.contains("config.ts:2:10: ") && err.contains("an import of `list`, which"),
        "{err}"
    );
    // Sixty modules, each re-exporting three others: a mesh of cycles
    // (the imports chain no deeper than 16 files on the way).
    for i in 0..60 {
        let mut text = String::new();
        for j in [i + 31, i + 7, i + 1] {
            text.push_str(&format!("export * from './m{}';\n", j % 60));
        }
        if i == 5 {
            text.push_str("export const list = [{ id: 'cstm_x', name: 'Deep' }];\n");
        }
        write(&format!("m{i}.ts"), &text);
    }
    let config = "import { list, missing } from './m0';\nexport function getConfiguration() { return { customIntegrations: list, other: missing }; }\n";
    assert_eq!(
        quickly(dir, config, GENEROUS),
        Ok(r#"{"id":"cstm_x","name":"Deep"}"#.to_string())
    );
    let config = "import { missing } from './m0';\nexport function getConfiguration() { return { customIntegrations: missing }; }\n";
    let err = quickly(dir, config, GENEROUS).unwrap_err();
    assert!(err.contains("an import of `missing`, which"), "{err}");
}

#[test]
fn objects_spread_twice_into_the_next_are_looked_through_once() {
    let temp = scratch("spreads");
    let dir = temp.path();
    // What the reviewer met: thirty levels, each spreading the one below
    // twice, with a long expression beside (skipped, not evaluated).
    let ones = vec!["1"; 1_000].join("+");
    let mut text = String::from("const r0 = { id: 'cstm_x', name: 'x' };\n");
    for i in 1..30 {
        text.push_str(&format!(
            "const r{i} = {{ ...r{p}, ...r{p}, z: {ones} }};\n",
            p = i - 1
        ));
    }
    let returns = "export function getConfiguration() { return { customIntegrations: [{ id: 'cstm_x', n: 1 }], ...r29 }; }\n";
    assert_eq!(
        quickly(dir, &format!("{text}{returns}"), GENEROUS),
        Ok(r#"{"id":"cstm_x","n":1}"#.to_string())
    );
    // Evaluated whole: the operator is met once, with its place.
    let returns =
        "export function getConfiguration() { return { customIntegrations: [{ ...r29 }] }; }\n";
    let err = quickly(dir, &format!("{text}{returns}"), GENEROUS).unwrap_err();
    assert!(
        err.contains("config.ts:2:32: ") && err.contains("`+`"),
        "{err}"
    );
    // Evaluated whole and valid: each level's value is made once.
    let mut text = String::from("const r0 = { id: 'cstm_x', name: 'x' };\n");
    for i in 1..50 {
        text.push_str(&format!(
            "const r{i} = {{ ...r{p}, ...r{p}, z: {i} }};\n",
            p = i - 1
        ));
    }
    let returns = "export function getConfiguration() { return { customIntegrations: [{ ...r49, z: 'last' }] }; }\n";
    assert_eq!(
        quickly(dir, &format!("{text}{returns}"), GENEROUS),
        Ok(r#"{"id":"cstm_x","name":"x","z":"last"}"#.to_string())
    );
}

#[test]
fn let_and_var_are_read_only_when_never_assigned_again() {
    let temp = scratch("assigned");
    let dir = temp.path();
    let config = |decls: &str| {
        format!(
            "{decls}\nexport function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', name }}] }}; }}\n"
        )
    };
    for fine in [
        "const name = 'A'; other = 1; const o = { name: 1 }; o.name = 2;",
        "let name = 'A', other = 'B'; other = 'C'; name.length;",
        "var name = 'A'; const f = (x) => x == name; if (name === 'A') {}",
        "let first = 1, name = 'A'; function g() { let name = 'B'; }",
        "let name = 'A'; const list = [name]; list.push('B'); cfg.name = 'C'; cfg?.name;",
    ] {
        let json = survives(dir, config(fine).as_bytes());
        assert_eq!(
            json,
            Ok(r#"{"id":"cstm_x","name":"A"}"#.to_string()),
            "{fine}"
        );
    }
    for (assigned, at) in [
        ("let name = 'A';\nname = 'B';", "2:1"),
        ("var name = 'A';\nif (x) { name += 'B'; }", "2:10"),
        ("let name = 'A';\nfunction f() { name ??= 'B'; }", "2:16"),
        ("let name = 'A';\nname++;", "2:1"),
        ("let name = 'A';\n--name;", "2:3"),
        (
            "let\n  name = 'A';\n[1].forEach(() => { name = 'B' });",
            "3:21",
        ),
    ] {
        let err = survives(dir, config(assigned).as_bytes()).unwrap_err();
        assert!(
            err.contains(&format!("config.ts:{at}: ")) && err.contains("`name` assigned again"),
            "{assigned}: {err}"
        );
    }
}

#[test]
fn a_name_with_a_long_type_used_20_000_times_is_parsed_once() {
    let temp = scratch("long-type");
    let dir = temp.path();
    let names = vec!["name, f"; 10_000].join(", ");
    let text = format!(
        "const name = 'x' as {};\nconst f = (x: number) => {};\nexport function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_x', names: [{names}] }}] }}; }}\n",
        vec!["A"; 200_000].join(" | "),
        vec!["x"; 200_000].join(" + "),
    );
    let json = quickly(dir, &text, GENEROUS).unwrap();
    assert!(json.starts_with(r#"{"id":"cstm_x","names":["x",null,"x",null,"#));
}

#[test]
fn a_file_of_type_argument_lookalikes_is_scanned_in_linear_time() {
    let temp = scratch("angles");
    let dir = temp.path();
    let text = format!(
        "{}const a = {}1;\nexport const getConfiguration = (): Config<A, B> => ({{ customIntegrations: [{{ id: 'cstm_x', n: f<A, B>(1) }}] }});\n",
        "interface X ".repeat(100_000),
        "a < ".repeat(300_000),
    );
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    // getConfiguration's type `Config<A, B>` is still skipped, so the
    // array is reached, and `f<A, B>(1)` met on it.
    assert!(
        err.contains("config.ts:2:97: ") && err.contains("`<`"),
        "{err}"
    );
}

#[test]
fn a_namespace_spread_lacks_names_quietly_but_fails_where_its_module_does() {
    let temp = scratch("namespace-spread");
    let dir = temp.path();
    std::fs::write(dir.join("base.ts"), "export const name = 'Base';\n").unwrap();
    std::fs::write(dir.join("broken.ts"), "export { id } from './nowhere';\n").unwrap();
    let config = |module: &str| {
        format!(
            "import * as ns from './{module}';\nexport function getConfiguration() {{ return {{ customIntegrations: [{{ id: 'cstm_other', ...ns }}, {{ id: 'cstm_x' }}] }}; }}\n"
        )
    };
    // No `id` export: `ns.id` is undefined, and the `id` before decides.
    assert_eq!(
        survives(dir, config("base").as_bytes()),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
    // An `id` export that cannot be followed could be cstm_x: an error.
    let err = survives(dir, config("broken").as_bytes()).unwrap_err();
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn elements_are_looked_at_in_order_as_find_does() {
    let temp = scratch("find");
    let dir = temp.path();
    let config = |list: &str| {
        format!(
            "const ready = {{ id: 'cstm_x', n: 1 }};\nconst other = {{ id: f(), n: 2 }};\nexport function getConfiguration() {{ return {{ customIntegrations: [{list}] }}; }}\n"
        )
    };
    // After the match nothing is read, however broken.
    for after in ["f()", "...g()", "other", "...ready", "1 + 2", "new X()"] {
        let text = config(&format!(", , 'text', [f()], ready, {after}, ready"));
        assert_eq!(
            survives(dir, text.as_bytes()),
            Ok(r#"{"id":"cstm_x","n":1}"#.to_string()),
            "{after}"
        );
    }
    // Before it: an error naming the element whose id could not be read.
    let err = survives(dir, config("other, ready").as_bytes()).unwrap_err();
    assert!(
        err.contains("config.ts:2:21: ")
            && err.contains("a function call `f(`")
            && err.contains("whether the element at ")
            && err.contains("config.ts:3:68 is cstm_x"),
        "{err}"
    );
    // A spread of itself is refused by depth, not walked forever.
    let text = "const a = [{ id: 'b' }, ...a];\nexport function getConfiguration() { return { customIntegrations: a }; }\n";
    let err = survives(dir, text.as_bytes()).unwrap_err();
    assert!(err.contains("deeper than 64"), "{err}");
    // Arrays each spread twice into the next: each walked once, but their
    // elements counted as Node builds them (2^59: it cannot), so the
    // expansion limit refuses them where the count passes it.
    let mut text = String::from("const a0 = [{ id: 'b' }];\n");
    for i in 1..60 {
        text.push_str(&format!("const a{i} = [...a{p}, ...a{p}];\n", p = i - 1));
    }
    text.push_str("export function getConfiguration() { return { customIntegrations: [...a59, { id: 'cstm_x' }] }; }\n");
    let err = quickly(dir, &text, 2).unwrap_err();
    assert!(
        err.contains("config.ts:18:22: ") && err.contains("at least 100000"),
        "{err}"
    );
    // Ten doublings (1,024 elements) are read.
    let ten = text.replace("[...a59,", "[...a10,");
    assert_eq!(quickly(dir, &ten, 2), Ok(r#"{"id":"cstm_x"}"#.to_string()));
}

#[test]
fn a_namespace_element_is_told_apart_by_its_id_export() {
    let temp = scratch("namespace-element");
    let dir = temp.path();
    std::fs::write(
        dir.join("crm.ts"),
        "export const id = 'cstm_x';\nexport const name = 'CRM';\n",
    )
    .unwrap();
    std::fs::write(dir.join("other.ts"), "export const name = 'Other';\n").unwrap();
    // One without an `id` export is skipped, as `other.id` is undefined.
    let text = "import * as other from './other';\nexport function getConfiguration() { return { customIntegrations: [other, { id: 'cstm_x' }] }; }\n";
    assert_eq!(
        survives(dir, text.as_bytes()),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
    // One whose `id` matches is the entry (not read whole: an error).
    let text = "import * as crm from './crm';\nexport function getConfiguration() { return { customIntegrations: [crm, { id: 'cstm_x' }] }; }\n";
    let err = survives(dir, text.as_bytes()).unwrap_err();
    assert!(err.contains("a whole module namespace"), "{err}");
}

/// Issue 18 §7: 21 lines that expand to 2^20 objects took 25 s and 3.8 GB.
/// Each constant is built once and shared, and its size is counted at each
/// use: the file is refused, naming the limit, after little work.
#[test]
fn constants_doubling_twenty_times_are_refused_by_a_limit_set_by_the_file() {
    let temp = scratch("doubling");
    let dir = temp.path();
    let mut text = String::from("const o0 = { id: 'cstm_x', name: 'x' };\n");
    for n in 1..=20 {
        text.push_str(&format!(
            "const o{n} = {{ x: o{p}, y: o{p} }};\n",
            p = n - 1
        ));
    }
    text.push_str("export function getConfiguration() { return { customIntegrations: [{ id: 'cstm_x', secretFields: [o20] }] }; }\n");
    let err = quickly(dir, &text, GENEROUS).unwrap_err();
    assert!(
        err.contains("too large to be a schema") && err.contains("100000"),
        "{err}"
    );
    // Ten doublings are 2,047 objects: answered, shared pieces and all.
    let ten = text.replace("[o20]", "[o10]");
    let json = quickly(dir, &ten, GENEROUS).unwrap();
    assert_eq!(json.matches(r#""name":"x""#).count(), 1024);
}

/// A chain of 100 names each naming the previous one is no cycle.
#[test]
fn a_chain_of_a_hundred_constants_is_followed_and_a_longer_one_names_the_limit() {
    let temp = scratch("chain");
    let dir = temp.path();
    let chain = |n: usize| {
        let mut text = String::from("const r0 = 'cstm_x';\n");
        for i in 1..n {
            text.push_str(&format!("const r{i} = r{};\n", i - 1));
        }
        text.push_str(&format!(
            "export function getConfiguration() {{ return {{ customIntegrations: [{{ id: r{} }}] }}; }}\n",
            n - 1
        ));
        text
    };
    assert_eq!(
        quickly(dir, &chain(100), GENEROUS),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
    let err = quickly(dir, &chain(600), GENEROUS).unwrap_err();
    assert!(err.contains("chain of more than 500 names"), "{err}");
    assert!(!err.contains("refers to itself"), "{err}");
    let cycle = "const a = b;\nconst b = a;\nexport function getConfiguration() { return { customIntegrations: [{ id: a }] }; }\n";
    assert!(
        quickly(dir, cycle, GENEROUS)
            .unwrap_err()
            .contains("refers to itself")
    );
}

/// Issue 18 §7: `check` called a file Node could not load "Ready" when the
/// unbalanced bracket was outside the evaluated path.
#[test]
fn brackets_must_balance_over_the_whole_file() {
    let temp = scratch("balance");
    let dir = temp.path();
    let ok = "export function getConfiguration() { return { customIntegrations: [{ id: 'cstm_x', t: `a${'b'}c` }] }; }\n";
    assert_eq!(
        survives(dir, ok.as_bytes()),
        Ok(r#"{"id":"cstm_x","t":"abc"}"#.to_string())
    );
    for (tail, met) in [
        (
            "const never = [1, 2;\n",
            "2:15: cannot read cstm_x's schema statically: met a `;`",
        ),
        ("const stray = 1 ]\n", "a `]` that closes nothing"),
        (
            "const open = { a: (1 }\n",
            "where the `(` at 2:19 is still open",
        ),
        ("const t = [`${1}`;\n", "a `[` that is never closed"),
        ("function f() {\n", "a `{` that is never closed"),
    ] {
        let err = survives(dir, format!("{ok}{tail}").as_bytes()).unwrap_err();
        assert!(
            err.contains("config.ts:") && (err.contains(met) || err.contains("never closed")),
            "{tail:?}: {err}"
        );
        assert!(
            err.contains("Node could not load this file"),
            "{tail:?}: {err}"
        );
    }
}

/// What Node returns or builds differently is an error for `set` too,
/// never the value the first declaration or property seems to hold.
#[test]
fn a_schema_node_would_not_produce_is_refused() {
    let temp = scratch("node-differs");
    let dir = temp.path();
    for (text, wanted) in [
        (
            "export function getConfiguration() { return { customIntegrations: [{ id: 'cstm_x', get name() { return 'n'; } }] }; }",
            "config.ts:1:88: cannot read cstm_x's schema statically: met a getter or setter",
        ),
        (
            "const E = { id: 'cstm_x', n: 1 };\nconst E = { id: 'cstm_x', n: 2 };\nexport function getConfiguration() { return { customIntegrations: [E] }; }",
            "config.ts:2:7: cannot read cstm_x's schema statically: met `E` declared again",
        ),
        (
            "export function getConfiguration() { return\n{ customIntegrations: [{ id: 'cstm_x' }] }; }",
            "getConfiguration() returns undefined",
        ),
        (
            "export const getConfiguration = () => { customIntegrations: [{ id: 'cstm_x' }] };",
            "a body without `return`",
        ),
        (
            "export function* getConfiguration() { return { customIntegrations: [{ id: 'cstm_x' }] }; }",
            "a generator function getConfiguration",
        ),
    ] {
        let err = survives(dir, text.as_bytes()).unwrap_err();
        assert!(err.contains(wanted), "{text}\nwanted {wanted}\ngot {err}");
    }
    // A method is left out, as JSON.stringify leaves it out; numbers
    // joined into strings as JavaScript writes them.
    let text = "const D = 1e21;\nexport function getConfiguration() { return { customIntegrations: [{ id: 'cstm_x', f() { return 1; }, a: `d${D}`, b: 'h' + 1e-7, c: 'o' + -0, d: `j${123456789012345678901234567890}` }] }; }";
    assert_eq!(
        survives(dir, text.as_bytes()),
        Ok(
            r#"{"id":"cstm_x","a":"d1e+21","b":"h1e-7","c":"o0","d":"j1.2345678901234568e+29"}"#
                .to_string()
        )
    );
}

/// Type arguments nested deeper than a few hundred tokens, closed by `>>>`
/// tokens, are skipped whole (valid TypeScript); an import of something
/// that is not a regular file says so.
#[test]
fn deep_type_arguments_are_skipped_and_an_import_of_a_device_is_named() {
    let temp = scratch("types-devices");
    let dir = temp.path();
    let n = 3_000;
    let text = format!(
        "const E: Array<Array<Array<{{ id: string }}>>> = [[[{{ id: 'cstm_x' }}]]];\nexport function getConfiguration() {{ return {{ customIntegrations: [E[0][0][0] as {}string{}] }}; }}\n",
        "Array<".repeat(n),
        ">".repeat(n)
    );
    assert_eq!(
        quickly(dir, &text, GENEROUS),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", dir.join("ids.ts")).unwrap();
        let text = "import { E } from './ids';\nexport function getConfiguration() { return { customIntegrations: [E] }; }\n";
        let err = survives(dir, text.as_bytes()).unwrap_err();
        assert!(
            err.contains("config.ts:1:10: ")
                && err
                    .contains("ids.ts: not a regular file (a FIFO, device or socket is not read)"),
            "{err}"
        );
    }
}

/// A module exporting a name twice cannot be loaded: an import of that
/// name is an error at the second export, never the first one's value.
#[test]
fn a_name_exported_twice_is_refused_where_it_is_imported_from() {
    let temp = scratch("exported-twice");
    let dir = temp.path();
    std::fs::write(
        dir.join("entries.ts"),
        "export const E = { id: 'cstm_x', n: 1 };\nconst F = { id: 'cstm_x', n: 2 };\nexport { F as E };\nexport enum K { A }\nexport enum K { B }\n",
    )
    .unwrap();
    let text = "import { E } from './entries';\nexport function getConfiguration() { return { customIntegrations: [E] }; }\n";
    let err = survives(dir, text.as_bytes()).unwrap_err();
    assert!(
        err.contains("entries.ts:3:15: ") && err.contains("SyntaxError: Duplicate export of 'E'"),
        "{err}"
    );
    // Two `export default`s: the same.
    std::fs::write(
        dir.join("base.ts"),
        "export default { id: 'cstm_x', n: 1 };\nexport default { id: 'cstm_x', n: 2 };\n",
    )
    .unwrap();
    let text = "import E from './base';\nexport function getConfiguration() { return { customIntegrations: [E] }; }\n";
    let err = survives(dir, text.as_bytes()).unwrap_err();
    assert!(
        err.contains("base.ts:2:8: ") && err.contains("Duplicate export of 'default'"),
        "{err}"
    );
    // Two enums of a name merge (TypeScript): not an error to import.
    let text = "import { K } from './entries';\nconst E = { id: 'cstm_x', k: K };\nexport function getConfiguration() { return { customIntegrations: [E] }; }\n";
    assert_eq!(
        survives(dir, text.as_bytes()),
        Ok(r#"{"id":"cstm_x"}"#.to_string())
    );
}
