/*!
Reading the user's local files (project.json, config.json, secrets, schemas,
public keys, config.ts) without letting one hang or exhaust memory: only a
regular file (symlinks followed) is read, opened with `O_NONBLOCK` so that a
FIFO cannot block the open, and never past a size limit per kind of file. A
symlink to `/dev/zero`, a FIFO or a directory is an error naming the file
and what it is.
*/

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;
use zeroize::Zeroizing;

/// What went wrong, for the caller to put in its own words.
#[derive(Debug)]
pub enum FileError {
    NotFound,
    /// Not a regular file: "a FIFO", "a directory", ...
    NotRegular(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    NotUtf8,
    Io(std::io::Error),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::NotFound => f.write_str("it does not exist"),
            FileError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            FileError::TooLarge(limit) => write!(f, "it is larger than {}", size(*limit)),
            FileError::NotUtf8 => f.write_str("it is not UTF-8 text"),
            FileError::Io(error) => error.fmt(f),
        }
    }
}

/// `1 MiB`, `64 KiB`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// The file's bytes, at most `limit` of them. The buffer is wiped on drop:
/// several of these files hold secrets or API keys.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>, FileError> {
    let file = open(path)?;
    let meta = file.metadata().map_err(FileError::Io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(kind(&meta)));
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge(limit));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    // The size may change while reading: never take more than the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(FileError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge(limit));
    }
    Ok(bytes)
}

/// The file as UTF-8 text, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<Zeroizing<String>, FileError> {
    let mut bytes = read_bytes(path, limit)?;
    if std::str::from_utf8(&bytes).is_err() {
        return Err(FileError::NotUtf8);
    }
    String::from_utf8(std::mem::take(&mut *bytes))
        .map(Zeroizing::new)
        .map_err(|_| FileError::NotUtf8)
}

#[cfg(unix)]
fn open(path: &Path) -> Result<File, FileError> {
    use std::os::unix::fs::OpenOptionsExt;
    let result = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path);
    result.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound,
        _ => FileError::Io(e),
    })
}

#[cfg(not(unix))]
fn open(path: &Path) -> Result<File, FileError> {
    OpenOptions::new()
        .read(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound,
            _ => FileError::Io(e),
        })
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    let file_type = meta.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_directories_are_refused_without_blocking() {
        let temp = tempfile::Builder::new()
            .prefix("codika-files-")
            .tempdir()
            .unwrap();
        let dir = temp.path();
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_text(&fifo, 1024),
            Err(FileError::NotRegular("a FIFO"))
        ));
        assert!(matches!(
            read_text(Path::new("/dev/zero"), 1024),
            Err(FileError::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_text(dir, 1024),
            Err(FileError::NotRegular("a directory"))
        ));
        let big = dir.join("big");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        assert!(matches!(
            read_text(&big, 1024),
            Err(FileError::TooLarge(1024))
        ));
        assert_eq!(read_text(&big, 2048).unwrap().len(), 2048);
        assert!(matches!(
            read_text(&dir.join("none"), 1024),
            Err(FileError::NotFound)
        ));
        std::fs::write(&big, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_text(&big, 1024), Err(FileError::NotUtf8)));
    }
}
