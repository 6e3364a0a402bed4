/*!
Writing the config: under a lock (`config.json.lock`, `flock`, opened
with `O_NOFOLLOW`), to a temporary file in the same directory that is
synced and renamed over the old one, in a private directory; the file keeps
its owner. Nothing is written through a `config.json` or lock that is a
symlink placed by another user, nor in a directory another user owns (root
running `login` in a user's home would otherwise write where that user
points); temporary files a killed writer left (they hold whole keys) are
removed at the next write; a file larger than a command reads is never
written.
*/

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Document, FILE_NAME, LOCK_TIMEOUT, MAX_CONFIG_FILE, location, read, write_location};
use crate::error::{CliError, Code, Result};

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
    refuse_foreign(&dir, &path)?;
    let _lock = Lock::acquire(&dir)?;
    // Read again under the lock: another process may have just written.
    let source = if path.exists() { path.clone() } else { source };
    let text = read(&source)?;
    let mut document = Document::new(text.as_deref().map(|t| t.as_str()), &source)?;
    let value = change(&mut document)?;
    if document.changed {
        let text = document.text();
        // What the next command would refuse to read is never written.
        if text.len() as u64 > MAX_CONFIG_FILE {
            return Err(CliError::validation(format!(
                "the profiles would take {} bytes, over the {} KiB a command reads from {}: remove some with 'codika logout NAME' first",
                text.len(),
                MAX_CONFIG_FILE >> 10,
                path.display()
            )));
        }
        write_atomically(&path, &text)?;
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

/// A path the user can point elsewhere or fix (missing, forbidden, not a
/// directory) is exit 2; a full disk, a quota or an I/O error is not the
/// user's input: exit 1.
fn io_error(what: &str, path: &Path, error: std::io::Error) -> CliError {
    use std::io::ErrorKind::*;
    let message = format!("cannot {what} {}: {error}", path.display());
    match error.kind() {
        NotFound | PermissionDenied | AlreadyExists | NotADirectory | IsADirectory
        | ReadOnlyFilesystem | InvalidInput | InvalidFilename | DirectoryNotEmpty => {
            CliError::validation(message)
        }
        _ => CliError::new(Code::Io, message),
    }
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
    // Leftovers of killed writers (whole keys in them); we hold the lock,
    // so no other writer is at work.
    remove_leftovers(&dir, &name);
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

/// Removes `.NAME.PID.tmp` files in `dir`: what a writer killed between
/// writing its temporary file and renaming it left.
fn remove_leftovers(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let is_ours = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Refuses to write in `dir`, or through `path` or the lock, when another
/// user could have placed them: a directory owned by another user (but
/// root), a `config.json` or `config.json.lock` that is a symlink another
/// user owns (a symlink of our own, dotfiles, is followed as before), and
/// the directory a symlinked `config.json` points into, owned by another.
#[cfg(unix)]
fn refuse_foreign(dir: &Path, path: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let foreign = |uid: u32| uid != me && uid != 0;
    let owned_dir = |dir: &Path| -> Result<()> {
        let meta = std::fs::metadata(dir).map_err(|e| io_error("read directory", dir, e))?;
        if foreign(meta.uid()) {
            return Err(CliError::validation(format!(
                "refusing to write profiles in {}: it is owned by another user (uid {}), who could swap the file; run: chown {me} {} (or log in as that user)",
                dir.display(),
                meta.uid(),
                dir.display()
            )));
        }
        Ok(())
    };
    owned_dir(dir)?;
    let lock = dir.join(format!("{FILE_NAME}.lock"));
    for file in [path, lock.as_path()] {
        let Ok(meta) = std::fs::symlink_metadata(file) else {
            continue;
        };
        if meta.file_type().is_symlink() && (foreign(meta.uid()) || file == lock) {
            return Err(CliError::validation(format!(
                "refusing to write profiles through {}: it is a symlink{}; remove it and run the command again",
                file.display(),
                if foreign(meta.uid()) {
                    format!(" placed by another user (uid {})", meta.uid())
                } else {
                    String::new()
                }
            )));
        }
    }
    if let Ok(target) = std::fs::canonicalize(path)
        && let Some(parent) = target.parent()
        && parent != dir
    {
        owned_dir(parent)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_foreign(_: &Path, _: &Path) -> Result<()> {
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
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            // Never through a symlink, whoever placed it after the check;
            // never blocked opening a FIFO put there.
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let not_regular = || {
            CliError::validation(format!(
                "refusing to lock the profiles with {}: it is not a regular file (a FIFO, device or directory); remove it and run the command again",
                path.display()
            ))
        };
        let file = private_file(&mut options).open(&path).map_err(|e| {
            // ENXIO: a FIFO nobody reads; EISDIR: a directory.
            #[cfg(unix)]
            if matches!(e.raw_os_error(), Some(libc::ENXIO | libc::EISDIR)) {
                return not_regular();
            }
            io_error("open lock file", &path, e)
        })?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(not_regular());
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_full_disk_is_not_the_users_input() {
        let path = std::path::Path::new("/x/config.json");
        let full = super::io_error("write", path, std::io::Error::from_raw_os_error(28));
        assert_eq!(full.exit_code(), 1, "{}", full.message);
        let denied = super::io_error("write", path, std::io::Error::from_raw_os_error(13));
        assert_eq!(denied.exit_code(), 2, "{}", denied.message);
    }
}
