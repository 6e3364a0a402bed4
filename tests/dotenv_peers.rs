/*!
The dotenv corpus: cases written for this project from what godotenv
(joho/godotenv) and docker compose (compose-spec/compose-go, `dotenv`)
document and test, each with the value both give, or the reason it must be
refused: the two disagree (each one's value is written down), or the README
excludes the construct. Our parser is run on every case and the outcome
counted: agree, refused, silently different (must be 0), and documented
differences (README: a `$` is never expanded, where both peers expand it).
*/

use codika::secrets::dotenv;

/// What the two peers do with an input.
enum Peers {
    /// Both give these entries (key, value), in this order.
    Agree(&'static [(&'static str, &'static str)]),
    /// They give different values (or one of them fails): we must refuse.
    Differ {
        godotenv: &'static str,
        compose: &'static str,
    },
    /// The README leaves it out (why): we must refuse.
    Excluded(&'static str),
    /// Both expand `$`; the README says we keep it as written: our value.
    Documented(&'static str),
}
use Peers::*;

const CASES: &[(&str, Peers)] = &[
    // Plain lines, comments, blank lines.
    ("A=1\nB=2\n", Agree(&[("A", "1"), ("B", "2")])),
    ("A=1", Agree(&[("A", "1")])),
    (
        "# a comment\nA=1\n\n\n# another\nB=2",
        Agree(&[("A", "1"), ("B", "2")]),
    ),
    ("   # indented comment\nA=x", Agree(&[("A", "x")])),
    ("A=1\r\nB=2\r\n", Agree(&[("A", "1"), ("B", "2")])),
    ("\u{feff}A=1\n", Agree(&[("A", "1")])),
    ("A=1\nA=2\n", Agree(&[("A", "1"), ("A", "2")])),
    // export prefix; a key named export.
    ("export A=1\n", Agree(&[("A", "1")])),
    ("export   OPTION_B='\\n'\n", Agree(&[("OPTION_B", "\\n")])),
    ("export=1\n", Agree(&[("export", "1")])),
    ("exported_key=1\n", Agree(&[("exported_key", "1")])),
    // Blanks around the key, the = and the value.
    ("  A = 1  \n", Agree(&[("A", "1")])),
    (
        "\tA\t=\tvalue with spaces\t\n",
        Agree(&[("A", "value with spaces")]),
    ),
    ("A=\u{a0}x\u{a0}\n", Agree(&[("A", "x")])),
    ("A=\u{b}x\u{c}\n", Agree(&[("A", "x")])),
    ("A=\u{85}x\u{85}\n", Agree(&[("A", "x")])),
    ("A\u{a0}=x\n", Agree(&[("A", "x")])),
    ("A=in\u{a0}side\n", Agree(&[("A", "in\u{a0}side")])),
    (
        "A=x\u{2003}\n",
        Differ {
            godotenv: "x\u{2003}",
            compose: "x",
        },
    ),
    (
        "A=x \u{3000}\n",
        Differ {
            godotenv: "x \u{3000}",
            compose: "x",
        },
    ),
    ("A=x\u{2003}y\n", Agree(&[("A", "x\u{2003}y")])),
    // Unquoted values: comments, hashes, equals, quotes inside.
    ("A=value # comment\n", Agree(&[("A", "value")])),
    (
        "A=value#not-a-comment\n",
        Agree(&[("A", "value#not-a-comment")]),
    ),
    ("A=a #b#c\n", Agree(&[("A", "a")])),
    (
        "A=#starts-with-hash\n",
        Agree(&[("A", "#starts-with-hash")]),
    ),
    (
        "A= #after-blanks\n",
        Excluded("a value that looks like a comment (both store '#after-blanks')"),
    ),
    (
        "A=a #b #c\n",
        Differ {
            godotenv: "a #b",
            compose: "a",
        },
    ),
    (
        "A=a\t#b\n",
        Differ {
            godotenv: "a",
            compose: "a\t#b",
        },
    ),
    ("A=a=b==c\n", Agree(&[("A", "a=b==c")])),
    ("A=it's\n", Agree(&[("A", "it's")])),
    ("A=say \"hi\"\n", Agree(&[("A", "say \"hi\"")])),
    ("A=a\\nb\n", Agree(&[("A", "a\\nb")])),
    (
        "A=postgres://u:p@h:5432/db?sslmode=require\n",
        Agree(&[("A", "postgres://u:p@h:5432/db?sslmode=require")]),
    ),
    // Single quotes: literal.
    ("A='x'\n", Agree(&[("A", "x")])),
    ("A='  padded  '\n", Agree(&[("A", "  padded  ")])),
    ("A='a\\nb'\n", Agree(&[("A", "a\\nb")])),
    (
        "A='#not a comment' # a comment\n",
        Agree(&[("A", "#not a comment")]),
    ),
    ("A='a\"b'\n", Agree(&[("A", "a\"b")])),
    (
        "A='line one\nline two'\n",
        Agree(&[("A", "line one\nline two")]),
    ),
    ("A='crlf\r\ninside'\r\n", Agree(&[("A", "crlf\ninside")])),
    ("A='a\\b'\n", Agree(&[("A", "a\\b")])),
    (
        "KEY='value\\'\n",
        Differ {
            godotenv: "(unterminated: error)",
            compose: "(unterminated: error)",
        },
    ),
    (
        "K='abc\\' # note'\n",
        Differ {
            godotenv: "abc\\' # note",
            compose: "abc' # note",
        },
    ),
    (
        "K='a\\'b'\n",
        Differ {
            godotenv: "a\\'b",
            compose: "a'b",
        },
    ),
    ("A='x'y\n", Excluded("text after a closing quote")),
    ("A='open\n", Excluded("an unclosed quote (both fail)")),
    // Double quotes: \n \r \" \\ and multi-line values.
    ("A=\"x\"\n", Agree(&[("A", "x")])),
    ("A=\"a\\nb\"\n", Agree(&[("A", "a\nb")])),
    ("A=\"a\\rb\"\n", Agree(&[("A", "a\rb")])),
    ("A=\"say \\\"hi\\\"\"\n", Agree(&[("A", "say \"hi\"")])),
    ("A=\"back\\\\slash\"\n", Agree(&[("A", "back\\slash")])),
    (
        "A=\"# not a comment\" # comment\n",
        Agree(&[("A", "# not a comment")]),
    ),
    (
        "A=\"-----BEGIN KEY-----\nAAA=\n-----END KEY-----\"\n",
        Agree(&[("A", "-----BEGIN KEY-----\nAAA=\n-----END KEY-----")]),
    ),
    (
        "A=\"{\\\"type\\\": \\\"service_account\\\"}\"\n",
        Agree(&[("A", "{\"type\": \"service_account\"}")]),
    ),
    (
        "A=\"a\\tb\"\n",
        Differ {
            godotenv: "atb",
            compose: "a\tb",
        },
    ),
    (
        "A=\"a\\\\\"\n",
        Differ {
            godotenv: "(unterminated: error)",
            compose: "a\\",
        },
    ),
    (
        "A=\"a\\'b\"\n",
        Differ {
            godotenv: "a'b",
            compose: "a\\'b",
        },
    ),
    (
        "A=\"a\\bb\"\n",
        Differ {
            godotenv: "abb",
            compose: "a\u{8}b",
        },
    ),
    ("A=\"x\" B=2\n", Excluded("two statements on a line")),
    // Lone carriage returns.
    (
        "SUPABASE_HOST=h\rSUPABASE_SERVICE_ROLE_KEY=srk\r",
        Differ {
            godotenv: "h (and the next key)",
            compose: "h\rSUPABASE_SERVICE_ROLE_KEY=srk",
        },
    ),
    (
        "A=1\rB=2\n",
        Differ {
            godotenv: "1",
            compose: "1\rB=2",
        },
    ),
    (
        "A=value\r",
        Differ {
            godotenv: "value",
            compose: "value (CR trimmed)",
        },
    ),
    // Keys.
    ("A.B=1\n", Excluded("keys are [A-Za-z_][A-Za-z0-9_]*")),
    ("1A=1\n", Excluded("keys are [A-Za-z_][A-Za-z0-9_]*")),
    ("CLÉ=1\n", Excluded("keys are [A-Za-z_][A-Za-z0-9_]*")),
    ("A: yaml\n", Excluded("only KEY=VALUE lines")),
    (
        "A B=1\n",
        Differ {
            godotenv: "key 'A B'",
            compose: "(error: key cannot contain a space)",
        },
    ),
    (
        "LONELY\n",
        Differ {
            godotenv: "(error)",
            compose: "inherited from the environment",
        },
    ),
    (
        "---\nA=1\n",
        Differ {
            godotenv: "A=1 (YAML document start skipped)",
            compose: "(error)",
        },
    ),
    // Empty values are refused from every source.
    ("A=\n", Excluded("an empty value")),
    ("A=''\n", Excluded("an empty value")),
    ("A=\"\"\n", Excluded("an empty value")),
    (
        "A= # only a comment? no: both read '#'\nB=\n",
        Excluded("an empty value (B)"),
    ),
    // $: never expanded (README), where both peers expand.
    ("A=pa$$word\n", Documented("pa$$word")),
    ("A=$HOME\n", Documented("$HOME")),
    ("A=\"${USER}x\"\n", Documented("${USER}x")),
    ("A='$literal'\n", Agree(&[("A", "$literal")])),
    (
        "A=\"\\$x\"\n",
        Excluded("an escaped $ (no expansion to escape)"),
    ),
];

/// Our outcome: the entries, or `None` when the file (or, as the caller
/// does, an empty value) is refused.
fn ours(input: &str) -> Option<Vec<(String, String)>> {
    let entries = dotenv::parse(input.as_bytes()).ok()?;
    let entries: Vec<(String, String)> = entries
        .into_iter()
        .map(|e| (e.key, e.value.to_string()))
        .collect();
    if entries.iter().any(|(_, v)| v.is_empty()) {
        return None;
    }
    Some(entries)
}

#[test]
fn dotenv_cases_agree_with_both_peers_or_are_refused() {
    let (mut agree, mut refused, mut documented) = (0, 0, 0);
    let mut different = Vec::new();
    for (input, peers) in CASES {
        let got = ours(input);
        match (peers, &got) {
            (Agree(want), Some(got))
                if got.len() == want.len()
                    && got
                        .iter()
                        .zip(want.iter())
                        .all(|(g, w)| g.0 == w.0 && g.1 == w.1) =>
            {
                agree += 1
            }
            (Differ { godotenv, compose }, None) => {
                refused += 1;
                println!("refused {input:?}: godotenv {godotenv:?}, compose {compose:?}");
            }
            (Excluded(why), None) => {
                refused += 1;
                println!("refused {input:?}: the README excludes {why}");
            }
            (Documented(want), Some(got)) if got.len() == 1 && got[0].1 == *want => documented += 1,
            _ => different.push(format!("{input:?}: ours {got:?}")),
        }
    }
    println!(
        "dotenv corpus: {} cases: {agree} agree, {refused} refused, {} silently different, {documented} documented ($ kept as written)",
        CASES.len(),
        different.len()
    );
    assert!(agree >= 40 && refused >= 20, "the corpus lost cases");
    assert!(
        different.is_empty(),
        "silently different:\n{}",
        different.join("\n")
    );
}
