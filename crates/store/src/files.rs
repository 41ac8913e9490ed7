//! Files that hold personal data or secrets (the SQLite database, backups, the audit key):
//! created readable by the server's account only, never written through a symbolic link.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

use dangvu_domain::audit_chain::{ChainKey, Sealer};

use crate::error::{Result, StoreError};

/// Creates a new file readable and writable by its owner only (0600). Fails if anything,
/// a symbolic link included, already has that name: nothing is ever written through a link
/// or over another file.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Removes a file left by an interrupted run (a `.partial` backup): the name itself, never
/// what a symbolic link of that name points to.
pub fn remove_stale(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn config(msg: String) -> StoreError {
    StoreError::Config(msg)
}

/// Loads the audit chain's key from its file, or creates the file (0600, 32 random bytes as
/// hex) when there is none yet, keyed from `next_seq` (the sequence number the next entry will
/// take: entries before it keep their unkeyed seal). A key file that is a link, not a regular
/// file, or readable by others is refused with what to do.
pub fn load_or_create_key(path: &Path, next_seq: i64) -> Result<Sealer> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    config(format!("cannot create the folder {}: {e}", dir.display()))
                })?;
            }
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes)
                .map_err(|e| config(format!("no randomness for the audit key: {e}")))?;
            let sealer = Sealer {
                key: ChainKey::from_bytes(bytes),
                keyed_from: next_seq.max(1),
            };
            let mut f = create_private(path).map_err(|e| {
                config(format!(
                    "cannot create the audit key {}: {e}",
                    path.display()
                ))
            })?;
            f.write_all(sealer.to_file_text().as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| {
                    config(format!(
                        "cannot write the audit key {}: {e}",
                        path.display()
                    ))
                })?;
            tracing::info!(path = %path.display(), "audit key created");
            Ok(sealer)
        }
        Err(e) => Err(config(format!(
            "cannot read the audit key {}: {e}",
            path.display()
        ))),
        Ok(m) if !m.file_type().is_file() => Err(config(format!(
            "the audit key {} is not a regular file (a link or a folder): replace it with the key file itself",
            path.display()
        ))),
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if m.permissions().mode() & 0o077 != 0 {
                    return Err(config(format!(
                        "the audit key {} can be read by other accounts: run chmod 600 {}",
                        path.display(),
                        path.display()
                    )));
                }
            }
            #[cfg(not(unix))]
            let _ = m;
            let mut text = String::new();
            File::open(path)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|e| {
                    config(format!("cannot read the audit key {}: {e}", path.display()))
                })?;
            Sealer::parse_file_text(&text).ok_or_else(|| {
                config(format!(
                    "the audit key {} is damaged (a line of 64 hexadecimal digits expected)",
                    path.display()
                ))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_files_and_keys() {
        let dir = std::env::temp_dir().join(format!("dangvu-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key_path = dir.join("audit.key");
        let _ = std::fs::remove_file(&key_path);
        let k = load_or_create_key(&key_path, 5).unwrap();
        assert_eq!(k.keyed_from, 5);
        assert_eq!(
            load_or_create_key(&key_path, 9).unwrap(),
            k,
            "the same key again"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = load_or_create_key(&key_path, 1).unwrap_err().to_string();
            assert!(e.contains("chmod 600"), "{e}");
            // A link where a new private file should go is not followed.
            let target = dir.join("target.txt");
            std::fs::write(&target, "giữ nguyên").unwrap();
            let link = dir.join("backup.partial");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(create_private(&link).is_err());
            remove_stale(&link).unwrap();
            let f = create_private(&link).unwrap();
            drop(f);
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "giữ nguyên");
            let mode = std::fs::metadata(&link).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
