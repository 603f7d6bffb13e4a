//! Finding the machines of a collection share: one folder or `.zip` per machine, at any depth of
//! collection folders (`share/site1/2025-10/pc1/`), the WSUS server's own logs beside them.
//!
//! A machine is the deepest folder (or zip) that holds a client's evidence itself (a
//! WindowsUpdate.log, an ETL trace, ReportingEvents.log, a registry export, an event log,
//! recognised by name or by content) or whose subfolders are a Windows layout (`Windows/Logs`,
//! `SoftwareDistribution`, `CCM/Logs`); the folders above it are collection folders, at any
//! depth, and a machine's folder takes everything under it (its zips, folders of notes). A folder
//! of files none of which is recognised, with no folder under it, is still a machine (its state
//! line then says nothing could be read: a screenshot instead of the log). Files that are the
//! server's (IIS logs, `SoftwareDistribution.log`, `applicationHost.config`, recognised by
//! content) are shared: read once for the whole fleet, never once per machine.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use wsus_doctor_core::InputKind;

/// Collection folders are walked this deep at most (a share is a few levels, not dozens).
const MAX_DEPTH: usize = 16;

/// How much of a loose file is read to tell the server's logs from a client's.
const SNIFF: usize = 8 * 1024;

/// One machine: where its evidence is (one folder or zip).
pub struct Machine {
    /// Its name, from the folder or zip (`pc1`, `PC1.zip` -> `PC1`).
    pub name: String,
    /// The folder or zip holding its evidence, and the name it is shown under (relative to the
    /// folder given on the command line, so ids stay the same from any working directory).
    pub source: (PathBuf, String),
    /// How it was found, when worth saying (collected twice).
    pub notes: Vec<String>,
}

/// What the paths hold.
#[derive(Default)]
pub struct Fleet {
    pub machines: Vec<Machine>,
    /// The server's logs found beside the machines, with their display names.
    pub server: Vec<(PathBuf, String)>,
    /// Things not read on purpose, said as notes.
    pub skipped: Vec<String>,
    /// Paths that could not be read at all.
    pub unreadable: Vec<String>,
}

/// Folders of a Windows client's own layout: a folder holding one is a machine's. Unlike the
/// core's list of names that are never a machine's ([`wsus_doctor_core::machines::is_windows_folder`]),
/// it leaves out the server's folders (`W3SVC1`, `inetpub`, `server`): those sit beside machines.
fn is_layout(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const LAYOUT: &[&str] = &[
        "logs",
        "windowsupdate",
        "softwaredistribution",
        "datastore",
        "windows",
        "system32",
        "winevt",
        "ccm",
        "temp",
        "cbs",
        "panther",
        "registry",
        "reg",
        "events",
        "eventlogs",
        "programdata",
    ];
    // a drive copied with its paths: `C/Windows/...`, `C$`, `C_`
    let drive = matches!(n.as_bytes(), [d] | [d, b'$' | b'_'] if d.is_ascii_alphabetic());
    LAYOUT.contains(&n.as_str()) || drive
}

fn is_zip(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// What a loose file is to discovery.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileIs {
    /// The WSUS server's (IIS, HTTPERR, SoftwareDistribution.log, applicationHost.config).
    Server,
    /// A client's evidence: its folder is a machine's.
    Client,
    /// Neither recognised (a screenshot, a readme, a script's log).
    Other,
}

/// Names that are a client's evidence whatever they hold (binary traces and event logs, UTF-16
/// registry exports).
fn client_by_name(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()) else { return false };
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(ext, "etl" | "evtx" | "evt" | "reg")
        || (name.starts_with("windowsupdate") && ext == "log")
        || name == "reportingevents.log"
        || name == "manifest.json"
}

/// Tell the server's evidence, a client's and other files apart by name, then by content: the
/// first lines of the first [`SNIFF`] bytes.
fn sniff(path: &Path) -> FileIs {
    if client_by_name(path) {
        return FileIs::Client;
    }
    let mut head = Vec::with_capacity(SNIFF);
    let Ok(f) = std::fs::File::open(path) else { return FileIs::Other };
    if f.take(SNIFF as u64).read_to_end(&mut head).is_err() {
        return FileIs::Other;
    }
    let text = if head.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = head[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(&head).into_owned()
    };
    if text.contains("<system.applicationHost>") || text.contains("#Software: Microsoft HTTP API") {
        return FileIs::Server;
    }
    let mut looked = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("#Software: Microsoft Internet Information Services") {
            return FileIs::Server;
        }
        if let Some(c) = wsus_doctor_core::detect::classify(line).filter(|c| c.strong) {
            return match c.kind {
                InputKind::IisLog | InputKind::SoftwaredistributionLog | InputKind::IisConfig => FileIs::Server,
                _ => FileIs::Client,
            };
        }
        looked += 1;
        if looked > 32 {
            break;
        }
    }
    FileIs::Other
}

/// The server's own evidence, by content: W3C/HTTPERR headers and rows, SoftwareDistribution.log
/// records, IIS's applicationHost.config.
pub fn is_server_evidence(path: &Path) -> bool {
    sniff(path) == FileIs::Server
}

/// Find the machines and the shared server logs under `paths` (folders or zips).
pub fn discover(paths: &[PathBuf]) -> Fleet {
    let mut fleet = Fleet::default();
    for p in paths {
        let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let w = visit(p, &base, 0);
                fleet.machines.extend(w.machines);
                fleet.server.extend(w.server);
                fleet.skipped.extend(w.skipped);
                fleet.unreadable.extend(w.unreadable);
            }
            Ok(m) if m.is_file() && is_zip(p) => fleet.machines.push(machine(p, &base)),
            Ok(m) if m.is_file() => {
                if is_server_evidence(p) {
                    fleet.server.push((p.clone(), shown(p, &base)));
                } else {
                    fleet
                        .skipped
                        .push(format!("{}: a loose file is no machine: give its machine's folder, or diagnose it alone", p.display()));
                }
            }
            Ok(_) => fleet.unreadable.push(format!("{}: not a folder, a zip or a file", p.display())),
            Err(e) => fleet.unreadable.push(format!("{}: {e}", p.display())),
        }
    }
    fleet.machines = merge_twice_collected(std::mem::take(&mut fleet.machines));
    fleet
}

/// `p` relative to `base`, with forward slashes (evidence names look the same everywhere).
fn shown(p: &Path, base: &Path) -> String {
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

fn machine(p: &Path, base: &Path) -> Machine {
    let name =
        if is_zip(p) { p.file_stem() } else { p.file_name() }.map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| shown(p, base));
    Machine { name, source: (p.to_path_buf(), shown(p, base)), notes: Vec::new() }
}

/// What a folder was found to hold, its subfolders looked at.
#[derive(Default)]
struct Walk {
    machines: Vec<Machine>,
    server: Vec<(PathBuf, String)>,
    skipped: Vec<String>,
    unreadable: Vec<String>,
    /// Some machine found under it rests on recognised client evidence (or is a zip): the
    /// folders above it are collection folders.
    evidence: bool,
}

/// Look at a folder: a machine's (see the module's rule), or a collection folder whose
/// subfolders are looked at first (the deepest folder holding evidence is the machine).
fn visit(dir: &Path, base: &Path, depth: usize) -> Walk {
    let mut walk = Walk::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            walk.unreadable.push(format!("{}: cannot read the folder: {e}", dir.display()));
            return walk;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let (mut folders, mut layout, mut zips, mut files) = (Vec::new(), false, Vec::new(), Vec::new());
    for p in paths {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if std::fs::symlink_metadata(&p).is_ok_and(|l| l.file_type().is_symlink()) {
                    walk.skipped.push(format!("{}: a link to a folder, not followed", p.display()));
                } else if p.file_name().is_some_and(|n| is_layout(&n.to_string_lossy())) {
                    layout = true;
                } else {
                    folders.push(p);
                }
            }
            Ok(m) if m.is_file() && is_zip(&p) => zips.push(p),
            Ok(m) if m.is_file() => files.push(p),
            Ok(_) => walk.skipped.push(format!("{}: not a regular file (a pipe, socket or device), not read", p.display())),
            Err(e) => walk.skipped.push(format!("{}: skipped: {e}", p.display())),
        }
    }
    // one look at each file until a client's is found (a machine's folder: usually its first)
    let mut kinds: Vec<Option<FileIs>> = vec![None; files.len()];
    let mut holds = layout;
    for (k, f) in kinds.iter_mut().zip(&files) {
        if holds {
            break;
        }
        *k = Some(sniff(f));
        holds = *k == Some(FileIs::Client);
    }
    let mut below = Walk::default();
    for f in &folders {
        if depth + 1 >= MAX_DEPTH {
            below.skipped.push(format!("{}: deeper than {MAX_DEPTH} folder levels, not read", f.display()));
        } else {
            let w = visit(f, base, depth + 1);
            below.evidence |= w.evidence;
            below.machines.extend(w.machines);
            below.server.extend(w.server);
            below.skipped.extend(w.skipped);
            below.unreadable.extend(w.unreadable);
        }
    }
    // the deepest folder holding a client's evidence is the machine: everything under it is its
    if holds && !below.evidence {
        walk.machines.push(machine(dir, base));
        walk.evidence = true;
        return walk;
    }
    let kinds: Vec<FileIs> = kinds.into_iter().zip(&files).map(|(k, f)| k.unwrap_or_else(|| sniff(f))).collect();
    // a folder of files nothing recognises, nothing under it: a machine whose evidence is unreadable
    if folders.is_empty() && zips.is_empty() && kinds.contains(&FileIs::Other) {
        walk.machines.push(machine(dir, base));
        return walk;
    }
    // a collection folder: its machines are under it
    walk.evidence = below.evidence || !zips.is_empty();
    walk.machines.extend(zips.iter().map(|z| machine(z, base)));
    walk.machines.append(&mut below.machines);
    walk.server.append(&mut below.server);
    walk.skipped.append(&mut below.skipped);
    walk.unreadable.append(&mut below.unreadable);
    for (f, k) in files.iter().zip(kinds) {
        match k {
            FileIs::Server => walk.server.push((f.clone(), shown(f, base))),
            _ => walk.skipped.push(format!("{}: beside machine folders, in none of them: not read", f.display())),
        }
    }
    if layout {
        walk.skipped.push(format!("{}: Windows folders (Logs, SoftwareDistribution...) beside machine folders: not read", dir.display()));
    }
    walk
}

/// The same machine collected twice (two collection runs, a folder and a zip) is one machine:
/// the newest collection is read (old and new evidence together would blame fixed faults), and
/// its state line says which were left. Names compare without case, as Windows compares
/// computer names.
fn merge_twice_collected(machines: Vec<Machine>) -> Vec<Machine> {
    let mut by_name: BTreeMap<String, Vec<Machine>> = BTreeMap::new();
    for m in machines {
        by_name.entry(m.name.to_lowercase()).or_default().push(m);
    }
    let modified = |m: &Machine| std::fs::metadata(&m.source.0).and_then(|d| d.modified()).ok();
    let mut out = Vec::with_capacity(by_name.len());
    for (_, mut same) in by_name {
        // newest last; equal times by name, so runs agree
        same.sort_by(|a, b| modified(a).cmp(&modified(b)).then_with(|| a.source.1.cmp(&b.source.1)));
        let Some(mut newest) = same.pop() else { continue };
        if !same.is_empty() {
            let older: Vec<&str> = same.iter().map(|m| m.source.1.as_str()).collect();
            newest.notes.push(format!(
                "collected {} times: {} is the newest and was read; {} not read (the same machine)",
                same.len() + 1,
                newest.source.1,
                older.join(", ")
            ));
        }
        out.push(newest);
    }
    out
}

/// The machine a single-machine report is about, named as `fleet` names it: the folder given
/// (`collect/pc1/...` -> `pc1`) or the zip (`pc1.zip` -> `pc1`), Windows layout folders skipped;
/// else the computer its event log was written on; else `unknown`.
pub fn host_of(report: &wsus_doctor_core::Report) -> String {
    // a zip's members are named `bundle.zip/member`: the zip is the input given
    let roots: std::collections::BTreeSet<&str> = report
        .inputs
        .iter()
        .map(|i| {
            let n = i.name.as_str();
            match n.to_ascii_lowercase().find(".zip/") {
                Some(at) => &n[..at + 4],
                None => n,
            }
        })
        .collect();
    if roots.len() == 1 {
        if let Some(zip) = roots.iter().next().filter(|r| r.to_ascii_lowercase().ends_with(".zip")) {
            let stem = Path::new(zip).file_stem().map(|s| s.to_string_lossy().into_owned());
            if let Some(s) = stem.filter(|s| !s.is_empty()) {
                return s;
            }
        }
    }
    let dirs: Vec<Vec<&str>> = roots
        .iter()
        .map(|r| r.split(['/', '\\']).collect::<Vec<_>>())
        .map(|mut v| {
            v.pop();
            v
        })
        .collect();
    let common = dirs.iter().map(|d| d.as_slice()).reduce(|a, b| &a[..a.iter().zip(b).take_while(|(x, y)| x == y).count()]).unwrap_or(&[]);
    if let Some(name) = common.iter().rev().find(|c| !c.is_empty() && !is_layout(c) && **c != "." && **c != "..") {
        return name.to_string();
    }
    for n in report.inputs.iter().flat_map(|i| &i.notes) {
        if let Some(at) = n.find("from computer \"") {
            if let Some(h) = n[at + 15..].split('"').next().filter(|h| !h.is_empty()) {
                return h.split('.').next().unwrap_or(h).to_string();
            }
        }
    }
    "unknown".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_folders_are_not_machines() {
        assert!(is_layout("Logs") && is_layout("SoftwareDistribution"));
        assert!(!is_layout("pc1"));
        // a drive copied with its paths is a Windows folder, never a machine's name
        assert!(is_layout("C") && is_layout("d$") && is_layout("C_") && !is_layout("C1") && !is_layout("CC"));
    }
}
