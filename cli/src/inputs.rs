//! Reading the user's paths into an analysis: folders walked, files fed in chunks, what could
//! not be read said (never fatal, never silent).

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use wsus_doctor_core::{InputKind, Limits, MachineAnalysis, Report};

/// Read size: large enough to amortise syscalls, small enough to keep memory flat.
const CHUNK: usize = 1 << 20;

/// What reading the inputs could not do, said on stderr after the report.
#[derive(Default)]
pub struct ReadProblems {
    /// Inputs that could not be opened or read: the run fails (exit 2).
    pub unreadable: Vec<String>,
    /// Entries not read on purpose (links to folders, devices, depth): notes.
    pub skipped: Vec<String>,
}

/// How deep a dropped folder is walked (a collection folder holds a few levels, not dozens).
const MAX_DEPTH: usize = 8;

/// A folder stands for the files in it and in its subfolders, sorted by path (a W3SVC1 folder of
/// daily IIS logs; `C:\Windows\Logs\WindowsUpdate`, whose trace names sort by time; a whole
/// collection folder). What is not a regular file is said, not silently dropped.
pub fn expand_dirs(paths: &[PathBuf], unreadable: &mut Vec<String>, skipped: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() != "-" && p.is_dir() {
            let before = out.len();
            let root = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            walk(p, &root, 0, &mut out, unreadable, skipped);
            if out.len() == before {
                unreadable.push(format!("{}: the folder holds no files", p.display()));
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Where a link may point: inside the folder the user gave. A bundle restored from a stranger
/// can hold `ReportingEvents.log -> /etc/passwd` (quoted into a ticket) or a link into `/proc`
/// (which never ends); neither is read.
fn link_target_allowed(root: &Path, target: &Path) -> Result<(), String> {
    if is_system_special(target) {
        return Err(format!("a link to {}, a system file, not read", target.display()));
    }
    if !target.starts_with(root) {
        return Err(format!("a link out of the folder given (to {}), not followed", target.display()));
    }
    Ok(())
}

/// Kernel and device trees: files there are endless or not evidence.
fn is_system_special(p: &Path) -> bool {
    ["/proc", "/sys", "/dev"].iter().any(|d| p.starts_with(d))
}

fn walk(dir: &Path, root: &Path, depth: usize, out: &mut Vec<PathBuf>, unreadable: &mut Vec<String>, skipped: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return unreadable.push(format!("{}: cannot read the folder: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let link = std::fs::symlink_metadata(&p).is_ok_and(|l| l.file_type().is_symlink());
        if link {
            match std::fs::canonicalize(&p) {
                Ok(target) => {
                    if let Err(why) = link_target_allowed(root, &target) {
                        skipped.push(format!("{}: {why}", p.display()));
                        continue;
                    }
                }
                Err(e) => {
                    skipped.push(format!("{}: a link that leads nowhere ({e}), not read", p.display()));
                    continue;
                }
            }
        }
        // metadata() follows the (allowed) link
        match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => out.push(p),
            Ok(m) if m.is_dir() => {
                if link {
                    skipped.push(format!("{}: a link to a folder, not followed", p.display()));
                } else if depth + 1 >= MAX_DEPTH {
                    skipped.push(format!("{}: deeper than {MAX_DEPTH} folder levels, not read", p.display()));
                } else {
                    walk(&p, root, depth + 1, out, unreadable, skipped);
                }
            }
            Ok(_) => skipped.push(format!("{}: not a regular file (a pipe, socket or device), not read", p.display())),
            Err(e) => skipped.push(format!("{}: skipped: {e}", p.display())),
        }
    }
}

/// The name an input is shown under: its path, or `stdin` for `-`.
pub fn display(p: &std::path::Path) -> String {
    if p.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        p.display().to_string()
    }
}

/// One input to diagnose: a file (or `-`, standard input) read in chunks, or bytes already in
/// memory (registry values and settings read through an API and rendered as text).
pub enum Source {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

/// Diagnose the given paths (files, folders, `-`): every machine apart, as the core plans it.
pub fn diagnose_paths(files: &[PathBuf], kind: Option<InputKind>, max_size: Option<u64>, problems: &mut ReadProblems) -> Report {
    let paths = expand_dirs(files, &mut problems.unreadable, &mut problems.skipped);
    let named = paths.into_iter().map(|p| (display(&p), Source::Path(p))).collect();
    diagnose_named(named, kind, max_size, problems)
}

/// Diagnose named inputs, each shown under its name as if it had been given as a file.
pub fn diagnose_named(
    inputs: Vec<(String, Source)>,
    kind: Option<InputKind>,
    max_size: Option<u64>,
    problems: &mut ReadProblems,
) -> Report {
    let mut buf = vec![0u8; CHUNK];
    let names: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
    // several machines' folders: each machine is diagnosed apart (client facts never mixed)
    let mut analysis = MachineAnalysis::new(Limits { max_input_bytes: max_size }, &names);
    // the shared (server) logs first: read once, their facts given to every machine
    let order = wsus_doctor_core::machines::reading_order(&names);
    let mut slots: Vec<Option<(String, Source)>> = inputs.into_iter().map(Some).collect();
    for (name, source) in order.into_iter().filter_map(|i| slots[i].take()) {
        let (mut reader, size): (Box<dyn Read>, Option<u64>) = match source {
            Source::Path(path) if path.as_os_str() == "-" => (Box::new(io::stdin().lock()), None),
            Source::Path(path) => match std::fs::File::open(&path) {
                Ok(f) => {
                    let size = std::fs::metadata(&path).ok().filter(|m| m.is_file()).map(|m| m.len());
                    (Box::new(f), size)
                }
                Err(e) => {
                    problems.unreadable.push(format!("{name}: cannot open: {e}"));
                    continue;
                }
            },
            Source::Bytes(b) => {
                let size = b.len() as u64;
                (Box::new(io::Cursor::new(b)), Some(size))
            }
        };
        let id = analysis.add_input(&name, kind);
        if let Some(size) = size {
            analysis.declare_size(id, size);
        }
        // stop at the limit: `/dev/zero` or `yes |` must not be read forever
        while !analysis.refused(id) {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => analysis.feed(id, &buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    problems.unreadable.push(format!("{name}: read failed: {e}"));
                    break;
                }
            }
        }
        analysis.finish_input(id);
    }
    analysis.finish()
}
