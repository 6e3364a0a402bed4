/*!
The state behind one lock, optionally persisted to a file.

Every change is applied to a copy, written to a temporary file that is synced
and renamed over the state file, and only then made current and acknowledged.
So a restart or a `kill -9` at any moment loses no acknowledged change, a
reader never sees a torn file, and concurrent writers never lose an update.
*/

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::state::State;

pub struct Store {
    state: Mutex<State>,
    path: Option<PathBuf>,
}

/// A change could not be made durable; the state is left as it was.
pub struct PersistError(pub String);

impl Store {
    /// Loads `path` when it exists, else starts from `seed` (and writes it).
    pub fn open(path: Option<PathBuf>, seed: State) -> Result<Store, String> {
        let state = match &path {
            Some(path) if path.exists() => load(path)?,
            _ => seed,
        };
        if let Some(path) = &path {
            write_atomically(path, &state).map_err(|e| e.0)?;
        }
        Ok(Store {
            state: Mutex::new(state),
            path,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking handler cannot leave the state half-changed (changes are
        // made on a copy), so a poisoned lock is safe to keep using.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock())
    }

    /// Runs `change` on a copy of the state; if it succeeds, persists the copy
    /// and makes it current.
    pub fn write<T, E: From<PersistError>>(
        &self,
        change: impl FnOnce(&mut State) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut current = self.lock();
        let mut next = current.clone();
        let result = change(&mut next)?;
        if let Some(path) = &self.path {
            write_atomically(path, &next)?;
        }
        *current = next;
        Ok(result)
    }

    pub fn reset(&self, seed: State) -> Result<(), PersistError> {
        self.write(|state| {
            *state = seed;
            Ok::<(), PersistError>(())
        })
    }
}

fn load(path: &Path) -> Result<State, String> {
    let text = fs::read_to_string(path)
        .map_err(|e| format!("cannot read state file {}: {e}", path.display()))?;
    if crate::json::too_deep(&text) {
        return Err(format!(
            "state file {} nests deeper than {} levels",
            path.display(),
            crate::json::MAX_DEPTH
        ));
    }
    miniserde::json::from_str(&text).map_err(|_| {
        format!(
            "state file {} is not a valid emulator state; move it away or pass another --state",
            path.display()
        )
    })
}

fn write_atomically(path: &Path, state: &State) -> Result<(), PersistError> {
    let fail =
        |what: &str, e: std::io::Error| PersistError(format!("{what} {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let text = miniserde::json::to_string(state);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600); // it holds secrets
    let mut file = options
        .open(&temp)
        .map_err(|e| fail("cannot write state beside", e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| fail("cannot write state beside", e))?;
    fs::rename(&temp, path).map_err(|e| fail("cannot replace state file", e))?;
    // Make the rename itself durable.
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
