/*!
Writing the config: under a lock (`config.json.lock`, `flock`), to a
temporary file in the same directory that is synced and renamed over the
old one, in a private directory; the file keeps its owner.
*/

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Document, FILE_NAME, LOCK_TIMEOUT, location, read, write_location};
use crate::error::{CliError, Result};

/// Where the config is read from and written to; an error when there is
/// no home to keep it in.
fn locations() -> Result<(PathBuf, PathBuf)> {
    match (location(), write_location()) {
        (Some(source), Some(path)) => Ok((source, path)),
        _ => Err(CliError::validation(
            "no home directory to keep profiles in: set HOME or XDG_CONFIG_HOME",
        )),
    }
}

/// Fails early, before a platform is asked, when a change could not be
/// saved: there is no home directory. (A file that does not parse was
/// refused when it was read, before the command began.)
pub fn check_writable() -> Result<()> {
    locations().map(drop)
}

/// Reads the config under the lock, lets `change` edit it, and writes it
/// back (atomically) when it changed. Returns what `change` returned and
/// the file's path.
pub fn update<T>(change: impl FnOnce(&mut Document) -> Result<T>) -> Result<(T, PathBuf)> {
    let (source, path) = locations()?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    make_private_dir(&dir)?;
    let _lock = Lock::acquire(&dir)?;
    // Read again under the lock: another process may have just written.
    let source = if path.exists() { path.clone() } else { source };
    let text = read(&source)?;
    let mut document = Document::new(text.as_deref().map(|t| t.as_str()), &source)?;
    let value = change(&mut document)?;
    if document.changed {
        write_atomically(&path, &document.text())?;
        if source != path {
            crate::ui::streams::err_line(&format!(
                "note: profiles of {} are now kept in {}",
                source.display(),
                path.display()
            ));
        }
    }
    Ok((value, path))
}

fn io_error(what: &str, path: &Path, error: std::io::Error) -> CliError {
    CliError::validation(format!("cannot {what} {}: {error}", path.display()))
}

/// The config directory, made with mode 0700 when missing (an existing one
/// is left as it is).
fn make_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| io_error("create directory", dir, e))
}

fn private_file(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Writes `text` to a new file beside `path`, syncs it, renames it over
/// `path` and syncs the directory: readers see the old file or the new one.
/// A symlinked config (dotfiles) is written where it points, so the link
/// stays; a file owned by someone else (a `sudo codika login`) keeps its
/// owner when we may give it.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = target
        .file_name()
        .map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // A leftover of a crashed run with the same pid; we hold the lock.
    let _ = std::fs::remove_file(&temp);
    let written = (|| -> std::io::Result<()> {
        let mut file = private_file(OpenOptions::new().write(true).create_new(true)).open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        keep_owner(&target, &file);
        drop(file);
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(io_error("write config file", path, e));
    }
    // Makes the rename itself durable; not every platform can open a directory.
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Gives `new` the owner of the file it replaces, when that differs (only
/// root may; for anyone else the replacement is theirs, as before).
#[cfg(unix)]
fn keep_owner(old: &Path, new: &File) {
    use std::os::unix::fs::MetadataExt;
    if let (Ok(old), Ok(ours)) = (std::fs::metadata(old), new.metadata())
        && (old.uid(), old.gid()) != (ours.uid(), ours.gid())
    {
        let _ = std::os::unix::fs::fchown(new, Some(old.uid()), Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &File) {}

/// An exclusive `flock` on `config.json.lock`, released when dropped or when
/// the process dies (so no stale lock outlives a crash). The lock file stays.
struct Lock {
    _file: File,
}

impl Lock {
    fn acquire(dir: &Path) -> Result<Lock> {
        let path = dir.join(format!("{FILE_NAME}.lock"));
        let file = private_file(OpenOptions::new().create(true).truncate(false).write(true))
            .open(&path)
            .map_err(|e| io_error("open lock file", &path, e))?;
        let deadline = Instant::now() + LOCK_TIMEOUT;
        let mut wait = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(CliError::validation(format!(
                        "another codika has been changing the profiles for {}s (lock {}); try again",
                        LOCK_TIMEOUT.as_secs(),
                        path.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io_error("lock", &path, e));
                }
            }
        }
    }
}
