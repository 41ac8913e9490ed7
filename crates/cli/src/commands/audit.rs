//! `dangvu audit checkpoint` and `dangvu audit verify --against`: signed heads of the audit
//! chain kept outside the database, and the proof that nothing before them changed.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dangvu_store::Store;
use dangvu_store::audit;

const TAG: &str = "dangvu-audit-checkpoint";

/// The checkpoint line of the chain's head now:
/// `dangvu-audit-checkpoint seq=N hash=H at=T mac=M`, where the MAC signs the sequence number
/// and the seal with the installation's key.
pub async fn checkpoint(store: &Store, at: &str) -> anyhow::Result<String> {
    let key = &store.audit_key()?.key;
    let mut conn = store.pool.acquire().await?;
    let (seq, hash) = audit::head(&mut conn).await?;
    Ok(format!(
        "{TAG} seq={seq} hash={hash} at={at} mac={}",
        key.checkpoint_mac(seq, &hash)
    ))
}

/// Appends a checkpoint line to a file (created if missing).
pub fn append(file: &Path, line: &str) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .with_context(|| format!("cannot open {}", file.display()))?;
    writeln!(f, "{line}").with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}

/// One checkpoint read back: (sequence number, seal, time, MAC).
fn parse(line: &str) -> Option<(i64, String, String, String)> {
    let mut parts = line.split_whitespace();
    if parts.next()? != TAG {
        return None;
    }
    let mut get = |name: &str| {
        parts
            .next()?
            .strip_prefix(name)?
            .strip_prefix('=')
            .map(str::to_owned)
    };
    let seq = get("seq")?.parse().ok()?;
    let hash = get("hash")?;
    let at = get("at")?;
    let mac = get("mac")?;
    Some((seq, hash, at, mac))
}

/// Checks every checkpoint in a file against the database: each must be signed by this
/// installation's key, and the entry it names must still carry the seal it recorded. With a
/// verified chain, that proves nothing up to that entry changed, even for someone holding the
/// key. Returns how many checkpoints matched.
pub async fn check_against(store: &Store, file: &Path) -> anyhow::Result<usize> {
    let key = &store.audit_key()?.key;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut conn = store.pool.acquire().await?;
    let (head, _) = audit::head(&mut conn).await?;
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (seq, hash, at, mac) = parse(line)
            .with_context(|| format!("{} line {}: not a checkpoint line", file.display(), i + 1))?;
        if key.checkpoint_mac(seq, &hash) != mac {
            anyhow::bail!(
                "{} line {}: the checkpoint of {at} is not signed by this installation's audit key",
                file.display(),
                i + 1
            );
        }
        if seq > head {
            anyhow::bail!(
                "the checkpoint of {at} names entry #{seq} but the trail ends at #{head}: entries were removed"
            );
        }
        if seq > 0 && audit::seal_of(&mut conn, seq).await?.as_deref() != Some(hash.as_str()) {
            anyhow::bail!(
                "entry #{seq} differs from the checkpoint of {at}: the trail up to #{seq} was rewritten"
            );
        }
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn checkpoint_lines_read_back() {
        let l = "dangvu-audit-checkpoint seq=12 hash=ab12 at=2026-11-30T10:00:00+00:00 mac=cd34";
        assert_eq!(
            parse(l),
            Some((
                12,
                "ab12".into(),
                "2026-11-30T10:00:00+00:00".into(),
                "cd34".into()
            ))
        );
        assert_eq!(
            parse("dangvu-audit-checkpoint seq=x hash=a at=b mac=c"),
            None
        );
        assert_eq!(parse("something else"), None);
    }
}
