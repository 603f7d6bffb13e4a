//! Finding the machines of a collection share: one folder or `.zip` per machine, at any depth of
//! collection folders (`share/site1/2025-10/pc1/`), the WSUS server's own logs beside them.
//!
//! A folder is a machine when it holds evidence files itself (or only a Windows layout such as
//! `Logs/WindowsUpdate`) and no other folders; otherwise it is a collection folder and each of
//! its subfolders and zips is looked at in turn. Files that are the server's (IIS logs,
//! `SoftwareDistribution.log`, `applicationHost.config`, recognised by content) are shared: read
//! once for the whole fleet, never once per machine.

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
    LAYOUT.contains(&n.as_str())
}

fn is_zip(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// The server's own evidence, by content: W3C/HTTPERR headers and rows, SoftwareDistribution.log
/// records, IIS's applicationHost.config.
pub fn is_server_evidence(path: &Path) -> bool {
    let mut head = Vec::with_capacity(SNIFF);
    let Ok(f) = std::fs::File::open(path) else { return false };
    if f.take(SNIFF as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    let text = if head.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = head[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(&head).into_owned()
    };
    if text.contains("<system.applicationHost>") || text.contains("#Software: Microsoft HTTP API") {
        return true;
    }
    let mut looked = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("#Software: Microsoft Internet Information Services") {
            return true;
        }
        if let Some(c) = wsus_doctor_core::detect::classify(line).filter(|c| c.strong) {
            return matches!(c.kind, InputKind::IisLog | InputKind::SoftwaredistributionLog);
        }
        looked += 1;
        if looked > 32 {
            break;
        }
    }
    false
}

/// Find the machines and the shared server logs under `paths` (folders or zips).
pub fn discover(paths: &[PathBuf]) -> Fleet {
    let mut fleet = Fleet::default();
    for p in paths {
        let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => visit(p, &base, 0, &mut fleet),
            Ok(m) if m.is_file() && is_zip(p) => add_machine(&mut fleet, p, &base),
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

fn add_machine(fleet: &mut Fleet, p: &Path, base: &Path) {
    let name =
        if is_zip(p) { p.file_stem() } else { p.file_name() }.map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| shown(p, base));
    fleet.machines.push(Machine { name, source: (p.to_path_buf(), shown(p, base)), notes: Vec::new() });
}

fn visit(dir: &Path, base: &Path, depth: usize, fleet: &mut Fleet) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return fleet.unreadable.push(format!("{}: cannot read the folder: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let (mut folders, mut layout, mut zips, mut files) = (Vec::new(), false, Vec::new(), Vec::new());
    for p in paths {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if std::fs::symlink_metadata(&p).is_ok_and(|l| l.file_type().is_symlink()) {
                    fleet.skipped.push(format!("{}: a link to a folder, not followed", p.display()));
                } else if p.file_name().is_some_and(|n| is_layout(&n.to_string_lossy())) {
                    layout = true;
                } else {
                    folders.push(p);
                }
            }
            Ok(m) if m.is_file() && is_zip(&p) => zips.push(p),
            Ok(m) if m.is_file() => files.push(p),
            Ok(_) => fleet.skipped.push(format!("{}: not a regular file (a pipe, socket or device), not read", p.display())),
            Err(e) => fleet.skipped.push(format!("{}: skipped: {e}", p.display())),
        }
    }
    // the server's logs are recognised among the loose files; anything else makes a machine
    // (one look at the first client file settles a machine's folder: one sniff per machine)
    if folders.is_empty() && (layout || files.iter().any(|p| !is_server_evidence(p))) {
        // a machine's folder: everything in it is its evidence, the zips it holds included
        return add_machine(fleet, dir, base);
    }
    let (server, client): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| is_server_evidence(p));
    fleet.server.extend(server.iter().map(|p| (p.clone(), shown(p, base))));
    for p in &client {
        fleet.skipped.push(format!("{}: beside machine folders, in none of them: not read", p.display()));
    }
    if layout && !folders.is_empty() {
        fleet.skipped.push(format!("{}: Windows folders (Logs, SoftwareDistribution...) beside machine folders: not read", dir.display()));
    }
    for z in zips {
        add_machine(fleet, &z, base);
    }
    for f in folders {
        if depth + 1 >= MAX_DEPTH {
            fleet.skipped.push(format!("{}: deeper than {MAX_DEPTH} folder levels, not read", f.display()));
        } else {
            visit(&f, base, depth + 1, fleet);
        }
    }
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
    }
}
