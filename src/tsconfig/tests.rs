//! The corpus under tests/config_ts: each folder is a use case. One with
//! `expected.json` must yield exactly that JSON (same values, same key
//! order, numbers as written) for the id it holds; one with `error.txt`
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
            let id = crate::value::text(&miniserde::json::from_str(&expected).unwrap(), "id")
                .to_string();
            match extract(&case, &id) {
                Ok(found) => {
                    let exact = crate::jsontext::compact(&expected);
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
