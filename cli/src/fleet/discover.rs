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
//! content) are shared: read once for the whole fleet, never once per machine. The name rules are
//! the core's ([`wsus_doctor_core::machines`]), which finds the machines of one diagnosis the same
//! way from the names alone: a zip of a whole share is split there, at any depth.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use wsus_doctor_core::InputKind;

use super::identity::{identify, Identity};

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
    /// The names of the other collections found to be it, and of the machines its notes name:
    /// a redacted run learns them with its own, so the notes say none of them.
    pub also: Vec<String>,
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

/// Folders of a Windows client's own layout (`Windows`, `Logs`, a drive `C`): a folder holding one
/// is a machine's. The core's rule, so `fleet` and `diagnose` of one share find the same machines.
fn is_layout(name: &str) -> bool {
    wsus_doctor_core::machines::is_windows_folder(name)
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
/// registry exports): the core's rule, as for [`is_layout`].
fn client_by_name(path: &Path) -> bool {
    path.file_name().is_some_and(|n| wsus_doctor_core::machines::is_client_evidence_name(&n.to_string_lossy()))
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
    let machines = std::mem::take(&mut fleet.machines);
    let idents: Vec<Identity> = machines.iter().map(|m| identify(&m.source.0)).collect();
    fleet.machines = merge_same_machines(machines, &idents);
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
    Machine { name, source: (p.to_path_buf(), shown(p, base)), notes: Vec::new(), also: Vec::new() }
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

/// A folder's or zip's name as a computer's: lowercased, a DNS suffix left off
/// (`PC1.contoso.local` -> `pc1`; `pc1-2026-11-20` stays).
fn name_key(name: &str) -> String {
    let n = name.to_lowercase();
    match n.split_once('.') {
        Some((first, rest))
            if !first.is_empty() && rest.split('.').all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphabetic())) =>
        {
            first.to_string()
        }
        _ => n,
    }
}

/// Two names that can be one computer's: equal, or one the other with a suffix after a
/// separator (`pc1` and `pc1-2026-11-20`, `pc1_logs`).
fn names_agree(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.starts_with(short) && long[short.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// A set of machines found to be one, at its root in [`Groups`].
#[derive(Default)]
struct Group {
    members: Vec<usize>,
    /// Computer names from the evidence.
    hosts: BTreeSet<String>,
    ids: BTreeSet<String>,
    /// Folder or zip names, as [`name_key`].
    names: BTreeSet<String>,
    /// Why the members are one machine.
    because: BTreeSet<&'static str>,
}

impl Group {
    fn ids_differ(&self, o: &Group) -> bool {
        !self.ids.is_empty() && !o.ids.is_empty() && self.ids.is_disjoint(&o.ids)
    }

    fn hosts_differ(&self, o: &Group) -> bool {
        !self.hosts.is_empty() && !o.hosts.is_empty() && self.hosts.is_disjoint(&o.hosts)
    }

    /// Some name of one (from its evidence or its folder) can be the other's.
    fn names_agree(&self, o: &Group) -> bool {
        let mine = || self.hosts.iter().chain(&self.names);
        mine().any(|a| o.hosts.iter().chain(&o.names).any(|b| names_agree(a, b)))
    }
}

/// Union-find over the machines; each root holds its [`Group`].
struct Groups {
    parent: Vec<usize>,
    group: Vec<Group>,
}

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize, because: &'static str) {
        let (a, b) = (self.root(a), self.root(b));
        let (keep, gone) = (a.min(b), a.max(b));
        let g = std::mem::take(&mut self.group[gone]);
        let k = &mut self.group[keep];
        k.members.extend(g.members);
        k.hosts.extend(g.hosts);
        k.ids.extend(g.ids);
        k.names.extend(g.names);
        k.because.extend(g.because);
        k.because.insert(because);
        self.parent[gone] = keep;
    }
}

/// How two machines' evidence can tie them.
#[derive(Clone, Copy)]
enum Tie {
    Id,
    Host,
    Name,
}

/// The same machine collected twice (two collection runs, a folder and a zip, under different
/// names) is one machine: the newest collection is read (old and new evidence together would
/// blame fixed faults), and its state line names the others and why they are the same. Machines
/// are one when they share a SusClientId and their names can be one computer's (machines cloned
/// from one image share an id and are not one: said), or the computer name in their evidence, or
/// their folder's name (compared without case and DNS suffix, as Windows compares computer
/// names), unless their SusClientIds or evidence names differ: then they are two machines, said,
/// each named by where it was found. One map lookup per name and id: linear in the machines.
fn merge_same_machines(machines: Vec<Machine>, idents: &[Identity]) -> Vec<Machine> {
    let n = machines.len();
    let mut g = Groups {
        parent: (0..n).collect(),
        group: (0..n)
            .map(|i| Group {
                members: vec![i],
                hosts: idents[i].hosts.clone(),
                ids: idents[i].ids.clone(),
                names: BTreeSet::from([name_key(&machines[i].name)]),
                because: BTreeSet::new(),
            })
            .collect(),
    };
    // a cap that may have hidden who the machine is, said (only when nothing named it)
    let mut notes: Vec<Vec<String>> =
        idents.iter().map(|id| if id.hosts.is_empty() && id.ids.is_empty() { id.cut.clone() } else { Vec::new() }).collect();
    // the other machines each one's notes name
    let mut said: Vec<Vec<String>> = vec![Vec::new(); n];
    let (mut by_id, mut by_host, mut by_name) = (HashMap::new(), HashMap::new(), HashMap::new());
    let shown = |i: usize| machines[i].source.1.as_str();
    for i in 0..n {
        let ident = &idents[i];
        let key = name_key(&machines[i].name);
        let mut ties: Vec<(usize, Tie, &str)> = Vec::new();
        ties.extend(ident.ids.iter().filter_map(|v| by_id.get(v.as_str()).map(|&j| (j, Tie::Id, v.as_str()))));
        ties.extend(ident.hosts.iter().filter_map(|v| by_host.get(v.as_str()).map(|&j| (j, Tie::Host, v.as_str()))));
        ties.extend(by_name.get(key.as_str()).map(|&j| (j, Tie::Name, key.as_str())));
        for (j, tie, value) in ties {
            let (a, b) = (g.root(i), g.root(j));
            if a == b {
                continue;
            }
            let (ga, gb) = (&g.group[a], &g.group[b]);
            let (ids_differ, hosts_differ) = (ga.ids_differ(gb), ga.hosts_differ(gb));
            match tie {
                Tie::Id if !hosts_differ && ga.names_agree(gb) => g.join(a, b, "the same SusClientId"),
                Tie::Id => {
                    let both = format!("{} and {}", shown(j), shown(i));
                    notes[i].push(format!(
                        "its SusClientId {{{value}}} is also {}'s, under another name: {both} are taken as two machines, cloned from one image (WSUS then sees them as one: give each a new SusClientId) unless one was renamed",
                        shown(j)
                    ));
                    said[i].push(machines[j].name.clone());
                }
                Tie::Host | Tie::Name if !ids_differ && !hosts_differ => {
                    g.join(a, b, if matches!(tie, Tie::Host) { "the same computer name in the evidence" } else { "the same name" })
                }
                Tie::Host | Tie::Name => {
                    let why = if ids_differ {
                        let ids = |x: &Group| x.ids.iter().map(|v| format!("{{{v}}}")).collect::<Vec<_>>().join(", ");
                        format!("their SusClientIds differ ({} against {})", ids(&g.group[b]), ids(&g.group[a]))
                    } else {
                        let hosts = |x: &Group| x.hosts.iter().cloned().collect::<Vec<_>>().join(", ");
                        format!("their evidence names different computers ({} against {})", hosts(&g.group[b]), hosts(&g.group[a]))
                    };
                    for (k, other) in [(i, j), (j, i)] {
                        notes[k].push(format!("named like {} ({value}), but {why}: two machines", shown(other)));
                        said[k].push(machines[other].name.clone());
                    }
                }
            }
        }
        for v in &ident.ids {
            by_id.entry(v.clone()).or_insert(i);
        }
        for v in &ident.hosts {
            by_host.entry(v.clone()).or_insert(i);
        }
        by_name.entry(key).or_insert(i);
    }
    let modified = |m: &Machine| std::fs::metadata(&m.source.0).and_then(|d| d.modified()).ok();
    let mut slots: Vec<Option<Machine>> = machines.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for r in 0..n {
        if g.root(r) != r {
            continue;
        }
        let group = std::mem::take(&mut g.group[r]);
        let mut same: Vec<(Machine, Vec<String>)> =
            group.members.iter().filter_map(|&i| slots[i].take().map(|m| (m, std::mem::take(&mut notes[i])))).collect();
        let also: Vec<String> = group.members.iter().flat_map(|&i| std::mem::take(&mut said[i])).collect();
        // newest last; equal times by where found, so runs agree
        same.sort_by(|(a, _), (b, _)| modified(a).cmp(&modified(b)).then_with(|| a.source.1.cmp(&b.source.1)));
        let Some((mut newest, mine)) = same.pop() else { continue };
        if !same.is_empty() {
            let older: Vec<&str> = same.iter().map(|(m, _)| m.source.1.as_str()).collect();
            let because: Vec<&str> = group.because.iter().copied().collect();
            newest.notes.push(format!(
                "collected {} times: {} is the newest and was read; {} not read (the same machine: {})",
                same.len() + 1,
                newest.source.1,
                older.join(", "),
                because.join(", ")
            ));
        }
        newest.notes.extend(mine);
        for (m, theirs) in same {
            newest.notes.extend(theirs);
            newest.also.push(m.name);
        }
        newest.notes.dedup();
        newest.also.extend(also);
        out.push(newest);
    }
    // two machines left with one name are each named by where they were found
    let mut count: HashMap<String, usize> = HashMap::new();
    for m in &out {
        *count.entry(m.name.to_lowercase()).or_default() += 1;
    }
    for m in &mut out {
        if count[&m.name.to_lowercase()] > 1 {
            let s = &m.source.1;
            m.name = if is_zip(Path::new(s)) { s[..s.len() - 4].to_string() } else { s.clone() };
        }
    }
    out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.source.1.cmp(&b.source.1)));
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
