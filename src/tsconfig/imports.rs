/*!
The files of a use case's config as one program: config.ts first, then each
relative module the first time a value on the path needs it. A file is read
once (so import cycles are harmless), the chain of imports is bounded, and
only relative specifiers are followed: a package (`codika`, `path`) has no
file here, which matters only when one of its values is needed.
*/

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::Failure;
use super::cursor::Source;
use super::lexer;
use super::scan::{self, Declarations};
use crate::files::{self, FileError};

/// Files read per extraction, and imports followed in one chain.
const MAX_FILES: usize = 64;
const MAX_IMPORT_DEPTH: usize = 16;
/// No config file comes near this; a larger one is not read.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Extensions tried after a specifier, in TypeScript's order.
const EXTENSIONS: [&str; 6] = ["ts", "tsx", "mts", "js", "mjs", "cjs"];

pub struct Module {
    /// The path as the user would write it (for messages).
    pub display: String,
    pub source: Source,
    pub declared: Declarations,
    /// Imports between config.ts and this file.
    pub depth: usize,
    dir: PathBuf,
}

#[derive(Default)]
pub struct Program {
    pub modules: Vec<Module>,
    by_path: HashMap<PathBuf, usize>,
    /// (importing module, specifier) → module: a specifier is looked up
    /// on disk (up to 19 paths tried) once.
    resolved: HashMap<(usize, String), usize>,
}

impl Program {
    /// Reads the entry file (config.ts or config.js) as module 0.
    pub fn open(path: &Path) -> Result<Program, Failure> {
        let mut program = Program::default();
        program.read(path, 0)?;
        Ok(program)
    }

    /// The module `spec` names, imported by module `from` at token `at`.
    pub fn import(&mut self, from: usize, spec: &str, at: usize) -> Result<usize, Failure> {
        let importer = &self.modules[from];
        if !spec.starts_with("./") && !spec.starts_with("../") {
            return Err(self.fail(
                from,
                at,
                format!(
                    "a value imported from the package '{spec}' (only relative files are read)"
                ),
            ));
        }
        if importer.depth >= MAX_IMPORT_DEPTH {
            return Err(self.fail(
                from,
                at,
                format!("imports nested more than {MAX_IMPORT_DEPTH} files deep"),
            ));
        }
        if let Some(&index) = self.resolved.get(&(from, spec.to_string())) {
            return Ok(index);
        }
        let base = normalize(&importer.dir.join(spec));
        let tried = candidates(&base);
        let Some(path) = tried.iter().find(|p| p.is_file()).cloned() else {
            // A FIFO or a device of that name is there but never read.
            let special = tried
                .iter()
                .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()));
            let met = match special {
                Some(path) => format!(
                    "an import of '{spec}', which is {}: not a regular file (a FIFO, device or socket is not read)",
                    path.display()
                ),
                None => format!(
                    "an import of '{spec}', which is no file (tried .ts, .js and index files)"
                ),
            };
            return Err(self.fail(from, at, met));
        };
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let index = match self.by_path.get(&key) {
            Some(&index) => index,
            None if self.modules.len() >= MAX_FILES => {
                return Err(self.fail(from, at, format!("more than {MAX_FILES} files imported")));
            }
            None => self.read(&path, importer.depth + 1)?,
        };
        self.resolved.insert((from, spec.to_string()), index);
        Ok(index)
    }

    fn read(&mut self, path: &Path, depth: usize) -> Result<usize, Failure> {
        let display = path.display().to_string();
        let unreadable = |e: FileError| Failure::plain(format!("cannot read {display}: {e}"));
        let mut bytes = files::read_bytes(path, MAX_FILE_BYTES).map_err(unreadable)?;
        let text = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let source = Source::new(valid, Default::default());
            let (line, col) = source.position(offset);
            Failure::at(&display, line, col, "bytes that are not UTF-8 text")
        })?;
        let tokens = match lexer::tokenize(&text) {
            Ok(tokens) => tokens,
            Err(e) => {
                let source = Source::new(text, Default::default());
                let (line, col) = source.position(e.offset);
                return Err(Failure::at(&display, line, col, &e.message));
            }
        };
        let source = Source::new(text, tokens);
        if let Some((at, met)) = source.unbalanced() {
            let (line, col) = source.position(source.tokens[at].start());
            let met = format!("{met}, so Node could not load this file");
            return Err(Failure::at(&display, line, col, &met));
        }
        let declared = scan::declarations(&source);
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let index = self.modules.len();
        self.by_path.insert(key, index);
        self.modules.push(Module {
            display,
            source,
            declared,
            depth,
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        });
        Ok(index)
    }

    /// An error at token `at` of module `file`, saying what was met there.
    pub fn fail(&self, file: usize, at: usize, met: impl Into<String>) -> Failure {
        let module = &self.modules[file];
        let offset = module
            .source
            .tokens
            .get(at)
            .map_or(module.source.text.len(), |t| t.start());
        let (line, col) = module.source.position(offset);
        Failure::at(&module.display, line, col, &met.into())
    }
}

/// `./x` → `./x`, `./x.ts`, …, `./x/index.ts`, …; a `.js` import may name
/// its `.ts` source, as TypeScript allows.
fn candidates(base: &Path) -> Vec<PathBuf> {
    let mut out = vec![base.to_path_buf()];
    let text = base.as_os_str().to_string_lossy();
    for (js, ts) in [(".js", ".ts"), (".mjs", ".mts"), (".jsx", ".tsx")] {
        if let Some(stem) = text.strip_suffix(js) {
            out.push(PathBuf::from(format!("{stem}{ts}")));
        }
    }
    for ext in EXTENSIONS {
        out.push(PathBuf::from(format!("{text}.{ext}")));
    }
    for ext in EXTENSIONS {
        out.push(base.join(format!("index.{ext}")));
    }
    out
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_try_ts_then_js_then_index_files() {
        let tried = candidates(Path::new("dir/integrations"));
        assert_eq!(tried[1], Path::new("dir/integrations.ts"));
        assert!(tried.contains(&PathBuf::from("dir/integrations/index.ts")));
        assert_eq!(candidates(Path::new("dir/x.js"))[1], Path::new("dir/x.ts"));
        assert_eq!(normalize(Path::new("./a/./b/../c")), Path::new("a/c"));
        assert_eq!(normalize(Path::new("../a")), Path::new("../a"));
    }
}
