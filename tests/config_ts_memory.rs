/*!
The config.ts reader's memory is bounded by the file's size (issue 18 §7:
an 8 MiB config.ts must not take more than about 10× its size). Counted,
not timed: this binary's global allocator keeps the peak of bytes allocated,
and the one test here reads generated 8 MiB files through the library's
`declared` (what `codika integration check` runs) and `extract` (what
`set` runs), each under the bound. Its own binary, so that no other test's
allocations are counted.
*/

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let now = CURRENT.fetch_add(size, Ordering::SeqCst) + size;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is passed to the system allocator unchanged; only the
// counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as the new block taken before the old one is given
            // back: what a copying realloc holds at its peak.
            grew(new_size);
            CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const EIGHT_MIB: usize = 8 * 1024 * 1024;

/// The tail after the padding: one custom integration, and a real
/// getConfiguration() declaring it.
const NOTES: &str = r#"
const notesIntegration = {
  id: 'cstm_team_notes',
  name: 'Team notes',
  contextType: 'member',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { NOTES_TOKEN: 'value' },
  secretFields: [{ key: 'NOTES_TOKEN', label: 'Token', type: 'password' }],
};
"#;

/// The end of the tail: a file declaring getConfiguration itself leaves it
/// out (Node cannot load a module declaring it twice).
const GET_CONFIGURATION: &str = r#"
export function getConfiguration() {
  return {
    title: 'Notes',
    integrationUids: ['cstm_team_notes'],
    customIntegrations: [notesIntegration],
  };
}
"#;

/// Nearly 8 MiB of `head`, `line` repeated (each numbered where it holds
/// `{N}`) and `foot`, then [`NOTES`] and [`GET_CONFIGURATION`].
fn generated(head: &str, line: &str, foot: &str) -> String {
    let mut text = String::with_capacity(EIGHT_MIB);
    let tail = if head.contains("getConfiguration") {
        NOTES.to_string()
    } else {
        format!("{NOTES}{GET_CONFIGURATION}")
    };
    text.push_str(head);
    let room = EIGHT_MIB - tail.len() - foot.len() - 64;
    let mut n = 0;
    while text.len() < room {
        text.push_str(&line.replace("{N}", &n.to_string()));
        n += 1;
    }
    text.truncate(text[..room.min(text.len())].rfind('\n').unwrap() + 1);
    text.push_str(foot);
    text.push_str(&tail);
    text
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codika-memory-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The peak of bytes allocated while `read` runs, above what was held
/// before.
fn peak_while(read: impl FnOnce()) -> usize {
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    read();
    PEAK.load(Ordering::SeqCst) - before
}

/// Each read of `dir` whose peak is over 10× `size`, as a line.
fn over_bound(dir: &Path, shape: &str, size: usize) -> Vec<String> {
    let bound = 10 * size;
    let mut over = Vec::new();
    let mut measure = |what: &str, peak: usize| {
        eprintln!("{shape}: {what}: {peak} bytes at the peak for {size}");
        if peak > bound {
            over.push(format!(
                "{shape}: {what} on a {size}-byte config.ts took {peak} bytes at its peak, over 10× its size"
            ));
        }
    };
    let peak = peak_while(|| {
        let declared = codika::tsconfig::declared(dir).unwrap().unwrap();
        assert!(
            declared.problems.is_empty(),
            "{shape}: {:?}",
            declared.problems
        );
    });
    measure("declared", peak);
    let peak = peak_while(|| {
        let found = codika::tsconfig::extract(dir, "cstm_team_notes").unwrap();
        assert!(
            found.json.contains("NOTES_TOKEN"),
            "{shape}: {}",
            found.json
        );
    });
    measure("extract", peak);
    over
}

#[test]
fn an_8_mib_config_ts_takes_at_most_10_times_its_size() {
    let shapes = [
        // Small constants, as the issue's example: a token per 2 bytes.
        (
            "constants",
            generated(
                "",
                "const pad{N} = { a: [1, 2, 3], b: 'x', c: { d: true } };\n",
                "",
            ),
        ),
        // The most tokens a file can hold: one per byte.
        (
            "one token per byte",
            generated(
                "const pad = [\n",
                "[1,2,3],[1,2,3],[1,2,3],[1,2,3],\n",
                "];\n",
            ),
        ),
        // Strings whose escapes give them cooked text of their own.
        (
            "escaped strings",
            generated(
                "const pad = [\n",
                "'\\n','\\t','\\x41','\\u0042',\n",
                "];\n",
            ),
        ),
        // A binding every 13 bytes: the scope's name table.
        ("declarations", generated("", "const a{N}=1;\n", "")),
        // Each name both bound and exported.
        ("exports", generated("", "export const a{N}=1;\n", "")),
        // Names declared without a value, exported apart.
        (
            "functions and classes",
            generated("", "function f{N}(){}\nclass C{N}{}\nexport{f{N}};\n", ""),
        ),
        // Imports (never followed: nothing on the path uses them) and
        // re-exports.
        (
            "imports",
            generated("", "import{b{N}}from'./m';export{c{N}}from'./n';\n", ""),
        ),
        // Variables assigned again: the assignment index.
        ("assignments", generated("", "let v{N}=1;v{N}=2;\n", "")),
        // getConfiguration's own bindings.
        (
            "locals",
            generated(
                "export function getConfiguration() {\n",
                "const l{N}=1;\n",
                "return { integrationUids: ['cstm_team_notes'], customIntegrations: [notesIntegration] };\n}\n",
            ),
        ),
    ];
    // Four million parentheses deep (balanced, never evaluated): nothing
    // may hold a stack of the open ones (the probe's 93 MB).
    let tail = format!("{NOTES}{GET_CONFIGURATION}");
    let depth = (EIGHT_MIB - tail.len() - 64) / 2 - 16;
    let deep = format!(
        "const deep = {}1{};\n{tail}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let shapes = shapes.into_iter().chain([("nesting", deep)]);
    let mut over = Vec::new();
    for (shape, text) in shapes {
        let dir = scratch_dir(&shape.replace(' ', "-"));
        std::fs::write(dir.join("config.ts"), &text).unwrap();
        let size = text.len();
        drop(text);
        over.extend(over_bound(&dir, shape, size));
        std::fs::remove_dir_all(&dir).unwrap();
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}
