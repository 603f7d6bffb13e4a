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
/// Decompressed bytes read from the archives of one run, all members together.
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

/// What reading a member gave: its next bytes, or the error that ended it.
pub enum MemberChunk<'a> {
    Bytes(&'a [u8]),
    Failed(&'a std::io::Error),
}

/// Read a member to its end in chunks of `buf`, handing each to `sink`, which returns false to
/// stop (its input was refused); an error ends the member after `sink` has heard it. Returns the
/// bytes read (what the decompression budget is charged).
pub fn pump(reader: &mut dyn Read, buf: &mut [u8], mut sink: impl FnMut(MemberChunk<'_>) -> bool) -> u64 {
    let mut read = 0u64;
    loop {
        match reader.read(buf) {
            Ok(0) => return read,
            Ok(n) => {
                read += n as u64;
                if !sink(MemberChunk::Bytes(&buf[..n])) {
                    return read;
                }
            }
            Err(e) => {
                sink(MemberChunk::Failed(&e));
                return read;
            }
        }
    }
}

/// Open a zip held in `bytes` and hand each regular member to `each(name, reader)`, which reads
/// it (in chunks, as it likes) and returns how many bytes it read. The archive gets a budget of
/// its own; [`read_zip_within`] shares one across several archives.
pub fn read_zip(bytes: &[u8], each: &mut dyn FnMut(&str, &mut dyn Read) -> u64) -> ArchiveSummary {
    let mut budget = MAX_TOTAL;
    read_zip_within(bytes, &mut budget, each)
}

/// How likely a member is to be the evidence that decides a diagnosis, by its name: when a
/// budget must cut, the client's own logs and policy are read before bulky server logs and
/// files that are not evidence at all.
fn reading_rank(name: &str) -> u8 {
    let n = name.to_ascii_lowercase();
    let base = n.rsplit('/').next().unwrap_or(&n);
    if base.starts_with("windowsupdate") || base == "reportingevents.log" || base.ends_with(".reg") || base.contains("reg") {
        0
    } else if base.ends_with(".evtx") || base.ends_with(".etl") || n.contains("ccm/logs") || base.ends_with("handler.log") {
        1
    } else if base.ends_with(".log") || base.ends_with(".txt") || base.ends_with(".csv") || base.ends_with(".config") {
        2
    } else {
        3
    }
}

/// Bytes of the file a member's entry spans at least (local header and compressed data).
fn span(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, i: usize) -> Option<(u64, u64)> {
    let m = zip.by_index_raw(i).ok()?;
    let start = m.header_start();
    Some((start, start.saturating_add(30).saturating_add(m.compressed_size())))
}

/// Members whose entries share bytes with an earlier entry's: a zip bomb's overlapping entries
/// point many names at one compressed stream, so each would be inflated again.
fn overlapping(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, count: usize) -> std::collections::HashSet<usize> {
    let mut spans: Vec<(u64, u64, usize)> = (0..count).filter_map(|i| span(zip, i).map(|(s, e)| (s, e, i))).collect();
    spans.sort_unstable();
    let mut out = std::collections::HashSet::new();
    let mut reach = 0u64;
    for (start, end, i) in spans {
        if start < reach {
            out.insert(i);
        }
        reach = reach.max(end);
    }
    out
}

/// The member's first bytes are an event log expanding far more than real ones do (held whole
/// to be read, so refused before it is held).
fn refused_by_content(head: &[u8], size: u64, packed: u64) -> Option<String> {
    if crate::formats::evtx::is_evtx(head) && size > 16 << 20 && size / packed.max(1) > MAX_HELD_RATIO {
        return Some(format!("an event log of {size} bytes from {packed}: more than {MAX_HELD_RATIO}:1, which no real one is"));
    }
    None
}

/// The most of a `manifest.json` read (the collector writes a few KB).
const MAX_MANIFEST: u64 = 1 << 20;

/// What a bundle's `manifest.json` from `wsus-doctor collect` says in the admin's words: the
/// machine and time, then each item it could not collect and why (at most [`NAMED`] * 4).
/// `None`: not such a manifest (it is then read as evidence like any member).
fn collect_manifest_notes(text: &[u8]) -> Option<Vec<String>> {
    let v: serde_json::Value = serde_json::from_slice(text).ok()?;
    if v["manifest"] != "wsus-doctor collect" {
        return None;
    }
    let s = |x: &serde_json::Value| x.as_str().unwrap_or("?").chars().take(200).collect::<String>();
    let mut notes = vec![format!(
        "collected by wsus-doctor collect on {} at {}{}",
        s(&v["machine"]),
        s(&v["collected_utc"]),
        if v["elevated"] == false { " without administrator rights" } else { "" }
    )];
    let missing = v["not_collected"].as_array().map(Vec::as_slice).unwrap_or_default();
    for m in missing.iter().take(NAMED * 4) {
        notes.push(format!("not collected: {} ({}): {}", s(&m["what"]), s(&m["source"]), s(&m["why"])));
    }
    if missing.len() > NAMED * 4 {
        notes.push(format!("… and {} more item(s) not collected", missing.len() - NAMED * 4));
    }
    Some(notes)
}

/// Members held whole to be read (event logs) may expand at most this much: real ones
/// compress 5 to 20 times.
pub const MAX_HELD_RATIO: u64 = 100;

/// [`read_zip`] spending `budget`, the decompressed bytes left for the whole run: when it cannot
/// cover every member, members are read by [`reading_rank`], so the evidence that matters is not
/// pushed out by bulk sorted before it.
pub fn read_zip_within(bytes: &[u8], budget: &mut u64, each: &mut dyn FnMut(&str, &mut dyn Read) -> u64) -> ArchiveSummary {
    let mut out = ArchiveSummary::default();
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            out.error = Some(format!("not a readable zip archive ({e})"));
            return out;
        }
    };
    let mut skipped: Vec<String> = Vec::new();
    let mut skipped_count = 0u64;
    let mut renamed = 0u64;
    let mut skip = |what: String, skipped: &mut Vec<String>| {
        skipped_count += 1;
        if skipped.len() < NAMED {
            skipped.push(what);
        }
    };
    let count = zip.len().min(MAX_MEMBERS);
    if zip.len() > MAX_MEMBERS {
        skip(format!("{} more member(s) past the first {MAX_MEMBERS}", zip.len() - MAX_MEMBERS), &mut skipped);
    }
    let shared = overlapping(&mut zip, count);
    let mut order: Vec<usize> = (0..count).collect();
    let declared: u64 = order.iter().filter_map(|&i| zip.by_index_raw(i).ok().map(|m| m.size())).fold(0, u64::saturating_add);
    if declared > *budget {
        let rank: Vec<u8> = (0..count).map(|i| zip.name_for_index(i).and_then(Result::ok).map_or(3, |n| reading_rank(&n))).collect();
        order.sort_by_key(|&i| rank[i]);
    }
    for i in order {
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
        if shared.contains(&i) {
            skip(format!("{shown} (its entry overlaps another member's data: a zip bomb's trick)"), &mut skipped);
            continue;
        }
        let (size, packed) = (member.size(), member.compressed_size());
        if size > 16 << 20 && size / packed.max(1) > MAX_RATIO {
            skip(format!("{shown} ({size} bytes from {packed}: more than {MAX_RATIO}:1, a zip bomb?)"), &mut skipped);
            continue;
        }
        if *budget == 0 {
            skip(format!("{shown} (the {} GB decompression budget of this run is spent)", MAX_TOTAL >> 30), &mut skipped);
            continue;
        }
        // what a member is, from its first bytes, before any of it is held; it may never
        // yield more than it declares
        let mut limited = (&mut member).take((*budget).min(size));
        let mut head = Vec::with_capacity(8);
        let _ = (&mut limited).take(8).read_to_end(&mut head);
        if let Some(why) = refused_by_content(&head, size, packed) {
            skip(format!("{shown} ({why})"), &mut skipped);
            continue;
        }
        // the manifest `wsus-doctor collect` writes: what it could not collect becomes notes
        if head.first() == Some(&b'{') && name.rsplit('/').next().is_some_and(|b| b.eq_ignore_ascii_case("manifest.json")) {
            let mut text = head.clone();
            let _ = limited.take(MAX_MANIFEST).read_to_end(&mut text);
            if let Some(notes) = collect_manifest_notes(&text) {
                *budget = budget.saturating_sub(text.len() as u64);
                out.notes.extend(notes);
                continue;
            }
            let read = each(&name, &mut Cursor::new(text));
            *budget = budget.saturating_sub(read);
            out.members_read += 1;
            continue;
        }
        // a zip inside the zip is not opened (one level only): its first bytes are enough for
        // the reader to say so, and the rest is never inflated
        let read = if is_zip(&head) { each(&name, &mut Cursor::new(head)) } else { each(&name, &mut Cursor::new(head).chain(limited)) };
        *budget = budget.saturating_sub(read);
        out.members_read += 1;
        if *budget == 0 {
            out.notes.push(format!("{shown} was cut where the run's {} GB decompression budget ran out", MAX_TOTAL >> 30));
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
    fn the_collectors_manifest_becomes_notes() {
        let manifest = br#"{"manifest":"wsus-doctor collect","manifest_version":1,"machine":"PC042","collected_utc":"2026-11-30T10:11:12Z","elevated":false,
            "collected":[{"path":"PC042/Windows/SoftwareDistribution/ReportingEvents.log","what":"ReportingEvents.log","bytes":1200}],
            "not_collected":[{"what":"System event log","source":"System","why":"access denied","needs_admin":true}]}"#;
        let notes = collect_manifest_notes(manifest).unwrap();
        assert_eq!(notes[0], "collected by wsus-doctor collect on PC042 at 2026-11-30T10:11:12Z without administrator rights");
        assert_eq!(notes[1], "not collected: System event log (System): access denied");
        assert!(collect_manifest_notes(br#"{"name":"some other tool's manifest"}"#).is_none());
        assert!(collect_manifest_notes(b"{ not json").is_none());
    }

    #[test]
    fn magic_bytes() {
        assert!(is_zip(b"PK\x03\x04\x14\0"));
        assert!(!is_zip(b"PKZIP is a program"));
        assert!(is_cab(b"MSCF\0\0\0\0\x10"));
    }
}
