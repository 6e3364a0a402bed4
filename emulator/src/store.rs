/*!
The state behind one lock, optionally persisted to a file.

Every change is applied to a copy, written to a fresh temporary file (created
exclusively, mode 0600) that is synced and renamed over the state file, and
only then made current and acknowledged. Temporary files of writers that died
are removed at start.
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
            remove_stale_temps(path);
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
    let dir = directory_of(path);
    let text = miniserde::json::to_string(state);
    let (temp, mut file) = create_temp(path).map_err(|e| fail("cannot write state beside", e))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(fail("cannot replace state file", e));
    }
    // Make the rename itself durable.
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.NAME.` : the prefix of every temporary file beside state file NAME.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// A new temporary file `.NAME.PID.N.tmp` beside the state file, created
/// exclusively with mode 0600: it holds plaintext secrets, and a file someone
/// else made under that name must never become our state file.
fn create_temp(path: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let dir = directory_of(path);
    let prefix = temp_prefix(path);
    let mut last = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let mut nonce = [0u8; 8];
        let _ = getrandom::fill(&mut nonce);
        let nonce = u64::from_le_bytes(nonce);
        let temp = dir.join(format!("{prefix}{}.{nonce:016x}.tmp", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Removes the temporary files that writers killed mid-write (`kill -9`)
/// left beside the state file: they hold plaintext state. A writer is dead
/// when `/proc/PID` is gone; where there is no `/proc`, nothing is removed.
fn remove_stale_temps(path: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(directory_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temp_writer(&name, &prefix) else {
            continue;
        };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The writer's pid in a temporary file name `PREFIX PID[.N].tmp`.
fn temp_writer(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let pid = rest.split('.').next()?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::temp_writer;

    #[test]
    fn temp_names_give_their_writer() {
        assert_eq!(temp_writer(".st.json.42.00ff.tmp", ".st.json."), Some(42));
        assert_eq!(temp_writer(".st.json.42.tmp", ".st.json."), Some(42));
        assert_eq!(temp_writer(".st.json.x.tmp", ".st.json."), None);
        assert_eq!(temp_writer(".other.42.tmp", ".st.json."), None);
        assert_eq!(temp_writer("st.json", ".st.json."), None);
    }
}
