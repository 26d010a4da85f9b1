//! Atomic publication of a report folder: every output is written into a
//! temporary folder beside the target, readable by its owner only, and the
//! folder is renamed into place at the end. A failed run leaves the previous
//! report whole.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::AuditError;

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    done: bool,
}

fn out_err(what: &Path, e: impl std::fmt::Display) -> AuditError {
    AuditError::Output(format!(
        "cannot write the report at {}: {e}",
        what.display()
    ))
}

#[cfg(unix)]
fn owner_only_dir(builder: &mut fs::DirBuilder) {
    use std::os::unix::fs::DirBuilderExt;
    builder.mode(0o700);
}
#[cfg(not(unix))]
fn owner_only_dir(_: &mut fs::DirBuilder) {}

#[cfg(unix)]
fn owner_only_file(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}
#[cfg(not(unix))]
fn owner_only_file(_: &mut OpenOptions) {}

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id())
}

impl Staging {
    /// A new temporary folder beside `target`.
    pub fn new(target: &Path) -> Result<Staging, AuditError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .ok_or_else(|| {
                AuditError::Usage(format!("--out {} names no folder", target.display()))
            })?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(&parent).map_err(|e| out_err(&parent, e))?;
        let dir = parent.join(format!(".{name}.tmp-{}", unique_suffix()));
        let mut builder = fs::DirBuilder::new();
        owner_only_dir(&mut builder);
        builder.create(&dir).map_err(|e| out_err(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            done: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates a file (or a subfolder's file) in the staging folder, 0600.
    pub fn create(&self, relative: &str) -> Result<BufWriter<File>, AuditError> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            if !parent.exists() {
                let mut builder = fs::DirBuilder::new();
                builder.recursive(true);
                owner_only_dir(&mut builder);
                builder.create(parent).map_err(|e| out_err(parent, e))?;
            }
        }
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        owner_only_file(&mut options);
        let file = options.open(&path).map_err(|e| out_err(&path, e))?;
        Ok(BufWriter::new(file))
    }

    /// Writes a whole file.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), AuditError> {
        let mut w = self.create(relative)?;
        w.write_all(bytes)
            .map_err(|e| out_err(&self.dir.join(relative), e))?;
        finish(w, &self.dir.join(relative))
    }

    /// Moves the finished folder into place, replacing any previous report.
    /// A lock file beside the target serialises runs that publish to the
    /// same folder at the same time: each report is whole, the last wins.
    pub fn publish(mut self) -> Result<PathBuf, AuditError> {
        let name = self
            .target
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let lock_path = self.target.with_file_name(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| out_err(&lock_path, e))?;
        lock.lock().map_err(|e| out_err(&lock_path, e))?;
        let old = self
            .target
            .with_file_name(format!(".{name}.old-{}", unique_suffix()));
        if self.target.exists() {
            // Swap the new folder in: at no moment is there no report.
            if swap(&self.dir, &self.target).is_ok() {
                self.done = true;
                let _ = fs::remove_dir_all(&self.dir); // now the previous report
            } else {
                fs::rename(&self.target, &old).map_err(|e| out_err(&self.target, e))?;
                if let Err(e) = fs::rename(&self.dir, &self.target) {
                    let _ = fs::rename(&old, &self.target);
                    return Err(out_err(&self.target, e));
                }
                self.done = true;
                let _ = fs::remove_dir_all(&old);
            }
        } else {
            fs::rename(&self.dir, &self.target).map_err(|e| out_err(&self.target, e))?;
            self.done = true;
        }
        remove_stale(&self.target);
        drop(lock);
        Ok(self.target.clone())
    }
}

/// Exchanges two paths in one step (Linux `renameat2` with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn swap(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Removes the temporary and replaced folders of runs that were killed
/// before they could clean up (their process no longer exists).
fn remove_stale(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    if !Path::new("/proc/self").exists() {
        return; // no way to tell a live run from a dead one
    }
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let rest = file
            .strip_prefix(&format!(".{name}.tmp-"))
            .or_else(|| file.strip_prefix(&format!(".{name}.old-")));
        let Some(pid) = rest
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Flushes a writer and syncs the file, turning failures (a full disk) into
/// a clear error.
pub fn finish(w: BufWriter<File>, path: &Path) -> Result<(), AuditError> {
    let file = w.into_inner().map_err(|e| out_err(path, e.error()))?;
    file.sync_all().map_err(|e| out_err(path, e))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
