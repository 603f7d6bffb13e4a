//! `.zip` bundles (what admins and collection scripts send): every member becomes an input of
//! its own, named `bundle.zip/path/in/zip`, and is detected and diagnosed as if given loose.
//!
//! An archive is hostile input like any other: a zip bomb is refused by a ratio limit per member
//! (on the sizes the archive declares) and by a budget of decompressed bytes for the whole
//! archive (enforced while reading, so a member that lies about its size is cut at the budget).
//! Member names are labels only (nothing is written to disk), but a name that climbs out of the
//! archive (`../`) or is absolute is shown without those parts, and said so.

use std::io::{Cursor, Read};

/// Largest archive kept in memory to be opened (zip needs random access to its directory).
pub const MAX_ARCHIVE: usize = 1 << 30;
/// Decompressed bytes read from one archive, all members together.
pub const MAX_TOTAL: u64 = 4 << 30;
/// A member declaring more than this many bytes per compressed byte (and over 16 MB) is a bomb.
pub const MAX_RATIO: u64 = 1000;
/// Members opened from one archive; the rest are counted.
pub const MAX_MEMBERS: usize = 10_000;
/// Members named one by one in the notes.
const NAMED: usize = 5;

/// Whether `head` starts a zip archive (a local file header, or the end record of an empty one).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Whether `head` starts a Microsoft cabinet file.
pub fn is_cab(head: &[u8]) -> bool {
    head.starts_with(b"MSCF\0\0\0\0")
}

/// What opening an archive did, for its notes.
#[derive(Debug, Default, Clone)]
pub struct ArchiveSummary {
    pub members_read: u64,
    pub notes: Vec<String>,
    /// Why nothing could be read (not a readable zip).
    pub error: Option<String>,
}

/// A member's name as shown: `/` separators, no drive, no root, no `.` or `..` parts. Returns the
/// name and whether anything was removed.
fn safe_name(raw: &str) -> (String, bool) {
    let unified = raw.replace('\\', "/");
    let mut parts = Vec::new();
    let mut changed = false;
    for (i, p) in unified.split('/').enumerate() {
        let drive = i == 0 && p.len() == 2 && p.ends_with(':');
        if p == ".." || drive || (p.is_empty() && i == 0 && unified.len() > 1) {
            changed = true;
        } else if !p.is_empty() && p != "." {
            parts.push(p);
        }
    }
    let name = parts.join("/");
    (if name.is_empty() { "(unnamed member)".to_string() } else { name }, changed)
}

/// The names members will be read under (see [`read_zip`]), from the archive's directory only
/// (nothing is decompressed): to plan which machine each member belongs to before reading.
pub fn member_names(bytes: &[u8]) -> Vec<String> {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Vec::new() };
    (0..zip.len().min(MAX_MEMBERS))
        .filter_map(|i| {
            let raw = match zip.name_for_index(i)? {
                Ok(n) => n.into_owned(),
                Err(_) => format!("member {}", i + 1),
            };
            (!raw.ends_with('/') && !raw.ends_with('\\')).then(|| safe_name(&raw).0)
        })
        .collect()
}

/// Open a zip held in `bytes` and hand each regular member to `each(name, reader)`, which reads
/// it (in chunks, as it likes) and returns how many bytes it read.
pub fn read_zip(bytes: &[u8], each: &mut dyn FnMut(&str, &mut dyn Read) -> u64) -> ArchiveSummary {
    let mut out = ArchiveSummary::default();
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            out.error = Some(format!("not a readable zip archive ({e})"));
            return out;
        }
    };
    let mut budget = MAX_TOTAL;
    let mut skipped: Vec<String> = Vec::new();
    let mut skipped_count = 0u64;
    let mut renamed = 0u64;
    let mut skip = |what: String, skipped: &mut Vec<String>| {
        skipped_count += 1;
        if skipped.len() < NAMED {
            skipped.push(what);
        }
    };
    for i in 0..zip.len() {
        if i >= MAX_MEMBERS {
            skip(format!("{} more member(s) past the first {MAX_MEMBERS}", zip.len() - MAX_MEMBERS), &mut skipped);
            break;
        }
        let mut member = match zip.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                skip(format!("member {}: {e}", i + 1), &mut skipped);
                continue;
            }
        };
        let raw_name = member.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("member {}", i + 1));
        if member.is_dir() {
            continue;
        }
        let (name, changed) = safe_name(&raw_name);
        let shown: String = name.chars().take(200).collect();
        if changed {
            renamed += 1;
        }
        if member.is_symlink() {
            skip(format!("{shown} (a symbolic link)"), &mut skipped);
            continue;
        }
        let (size, packed) = (member.size(), member.compressed_size());
        if size > 16 << 20 && size / packed.max(1) > MAX_RATIO {
            skip(format!("{shown} ({size} bytes from {packed}: more than {MAX_RATIO}:1, a zip bomb?)"), &mut skipped);
            continue;
        }
        if budget == 0 {
            skip(format!("{shown} (the archive's {} GB decompression budget is spent)", MAX_TOTAL >> 30), &mut skipped);
            continue;
        }
        let mut limited = (&mut member).take(budget);
        let read = each(&name, &mut limited);
        budget = budget.saturating_sub(read);
        out.members_read += 1;
        if budget == 0 {
            out.notes.push(format!("{shown} was cut where the archive's {} GB decompression budget ran out", MAX_TOTAL >> 30));
        }
    }
    if renamed > 0 {
        out.notes.push(format!(
            "{renamed} member name(s) pointed outside the archive or were absolute; shown without the leading or '..' parts"
        ));
    }
    if skipped_count > 0 {
        let more = if skipped_count > skipped.len() as u64 {
            format!(" and {} more", skipped_count - skipped.len() as u64)
        } else {
            String::new()
        };
        out.notes.push(format!("{skipped_count} member(s) not read: {}{more}", skipped.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_climb_out_of_the_archive() {
        assert_eq!(safe_name("logs/WindowsUpdate.log"), ("logs/WindowsUpdate.log".into(), false));
        assert_eq!(safe_name("../../etc/passwd"), ("etc/passwd".into(), true));
        assert_eq!(safe_name("/abs/x.log"), ("abs/x.log".into(), true));
        assert_eq!(safe_name("C:\\Windows\\WindowsUpdate.log"), ("Windows/WindowsUpdate.log".into(), true));
        assert_eq!(safe_name("a/./b//c"), ("a/b/c".into(), false));
        assert_eq!(safe_name(".."), ("(unnamed member)".into(), true));
    }

    #[test]
    fn magic_bytes() {
        assert!(is_zip(b"PK\x03\x04\x14\0"));
        assert!(!is_zip(b"PKZIP is a program"));
        assert!(is_cab(b"MSCF\0\0\0\0\x10"));
    }
}
