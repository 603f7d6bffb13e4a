//! Diagnosing the machines: each apart, on a pool of worker threads; each worker turns its
//! machine's report into output lines and a small summary at once and drops the report, and one
//! writer thread writes the lines as machines finish and keeps the tally. The channel between
//! them is bounded, so memory is a few reports per worker whatever the number of machines.

use std::path::PathBuf;
use std::sync::{mpsc, Mutex};

use rayon::prelude::*;
use wsus_doctor_core::ecs::{self, Role};
use wsus_doctor_core::redact::{redact_report, Aliases};
use wsus_doctor_core::{Finding, InputKind, Report};

use super::discover::Machine;
use super::summary::{MachineSummary, Tally};
use super::{csv, progress, FleetFormat};
use crate::inputs::{self, ReadProblems, Source};

/// What the workers need to know.
pub struct Options {
    pub format: FleetFormat,
    pub kind: Option<InputKind>,
    pub max_size: Option<u64>,
    /// `@timestamp` of every record: the time of the run.
    pub timestamp: String,
    /// `--redact`: one set of aliases for the whole run, so `host-0001` is the same server in
    /// every machine's records.
    pub redact: Option<Mutex<Aliases>>,
}

impl Options {
    /// Redact a report and the strings said beside it, with the run's aliases.
    pub fn redact(&self, report: &mut Report, machine: Option<&str>, said: &mut [&mut String]) {
        let Some(aliases) = &self.redact else { return };
        // a worker that panicked mid-redaction leaves the aliases usable: they only grow
        let mut a = aliases.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = machine {
            a.learn_machine(m);
        }
        redact_report(report, &mut a);
        for s in said {
            **s = a.redact(s);
        }
    }
}

/// One machine's (or one zip's machines') output, ready to write.
struct Done {
    lines: String,
    machines: Vec<MachineSummary>,
    /// Findings resting only on server logs inside the unit (a zip holding several machines and
    /// the server's logs).
    server: Vec<Finding>,
}

/// Every evidence file of a machine, named relative to the share.
fn files_of(m: &Machine, problems: &mut ReadProblems) -> Vec<(String, Source)> {
    let (path, name) = &m.source;
    if !path.is_dir() {
        return vec![(name.clone(), Source::Path(path.clone()))];
    }
    let files = inputs::expand_dirs(std::slice::from_ref(path), &mut problems.unreadable, &mut problems.skipped);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(path).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_else(|_| f.display().to_string());
            (format!("{name}/{rel}"), Source::Path(f))
        })
        .collect()
}

/// The computer an event log says it was written on (`from computer "PC1.contoso.local"` in its
/// note), to check the folder's name against.
fn evidence_hosts(report: &Report) -> Vec<String> {
    let mut hosts = Vec::new();
    for n in report.inputs.iter().flat_map(|i| &i.notes) {
        if let Some(at) = n.find("from computer \"") {
            let rest = &n[at + 15..];
            if let Some(end) = rest.find('"') {
                let h = rest[..end].split('.').next().unwrap_or("").to_string();
                if !h.is_empty() && !hosts.contains(&h) {
                    hosts.push(h);
                }
            }
        }
    }
    hosts
}

/// Why a machine's evidence gave nothing, if it did not.
fn unreadable(report: &Report, problems: &ReadProblems) -> Option<String> {
    if !ecs::nothing_read(report) {
        return None;
    }
    if let Some(p) = problems.unreadable.first() {
        return Some(p.clone());
    }
    if let Some((i, e)) = report.inputs.iter().find_map(|i| i.error.as_deref().map(|e| (i, e))) {
        // the core's errors usually start with the input's name already
        return Some(if e.starts_with(&i.name) { e.to_string() } else { format!("{}: {e}", i.name) });
    }
    Some(if report.inputs.is_empty() {
        "no evidence file in it".to_string()
    } else {
        "nothing in its files was recognised as Windows Update evidence".to_string()
    })
}

/// Diagnose one machine and shape its output.
fn one(m: &Machine, opts: &Options) -> Done {
    let mut problems = ReadProblems::default();
    let files = files_of(m, &mut problems);
    // machine folders inside it (a zip of several machines) are told apart by the core
    let mut report = inputs::diagnose_named(files, opts.kind, opts.max_size, &mut problems);
    let mut notes = m.notes.clone();
    let hosts = evidence_hosts(&report);
    if !hosts.is_empty() && !hosts.iter().any(|h| m.name.to_lowercase().contains(&h.to_lowercase())) {
        notes.push(format!("named {} by its folder, but its event log was written on {}", m.name, hosts.join(", ")));
    }
    notes.extend(problems.unreadable.iter().cloned());
    notes.extend(problems.skipped.iter().take(8).cloned());
    let mut unreadable = unreadable(&report, &problems);
    let mut host = m.name.clone();
    let mut said: Vec<&mut String> = notes.iter_mut().chain(unreadable.as_mut()).collect();
    said.push(&mut host);
    opts.redact(&mut report, Some(&m.name), &mut said);
    let m_name = host;
    let mut out = Done { lines: String::new(), machines: Vec::new(), server: Vec::new() };
    for (name, mode, findings) in ecs::machines_of(&report, &m_name) {
        let summary = MachineSummary {
            name: name.clone(),
            mode: mode.map_or("unknown", |x| x.mode.id()),
            mode_label: mode.map_or("not shown by the evidence", |x| x.mode.label()),
            causes: findings
                .iter()
                .filter(|f| ecs::is_cause(f))
                .map(|f| (f.rule.clone(), f.severity, f.title.clone(), f.remedy.first().cloned().unwrap_or_default()))
                .collect(),
            has_errors: findings.iter().any(|f| f.severity <= wsus_doctor_core::Severity::Error),
            unreadable: unreadable.clone(),
            notes: notes.clone(),
        };
        match opts.format {
            FleetFormat::Ndjson => {
                for f in &findings {
                    push_line(&mut out.lines, &ecs::finding_record(f, &name, Role::Client, mode, &opts.timestamp));
                }
                push_line(&mut out.lines, &ecs::state_record(&report, &name, Role::Client, mode, findings.len(), &notes, &opts.timestamp));
            }
            FleetFormat::Csv => csv::rows(&mut out.lines, &summary, &findings),
            _ => {}
        }
        out.machines.push(summary);
    }
    for f in ecs::shared_findings(&report) {
        if opts.format == FleetFormat::Ndjson {
            push_line(&mut out.lines, &ecs::finding_record(f, &m_name, Role::Server, None, &opts.timestamp));
        }
        out.server.push(f.clone());
    }
    out
}

fn push_line(out: &mut String, v: &serde_json::Value) {
    out.push_str(&v.to_string());
    out.push('\n');
}

/// The shared server logs, diagnosed once, alone: their findings go to the summary once (and
/// to the NDJSON under the host `wsus-server`, role `server`).
pub fn server(files: &[(PathBuf, String)], opts: &Options, write: &mut dyn FnMut(&str), tally: &mut Tally) {
    if files.is_empty() {
        return;
    }
    let mut problems = ReadProblems::default();
    let named = files.iter().map(|(p, n)| (n.clone(), Source::Path(p.clone()))).collect();
    let mut report = inputs::diagnose_named(named, opts.kind, opts.max_size, &mut problems);
    let mut said: Vec<String> = problems.unreadable.iter().chain(&problems.skipped).map(|p| format!("server logs: {p}")).collect();
    opts.redact(&mut report, None, &mut said.iter_mut().collect::<Vec<_>>());
    for n in said {
        tally.note(n);
    }
    if opts.format == FleetFormat::Ndjson {
        let mut lines = String::new();
        for f in &report.findings {
            push_line(&mut lines, &ecs::finding_record(f, "wsus-server", Role::Server, None, &opts.timestamp));
        }
        push_line(&mut lines, &ecs::state_record(&report, "wsus-server", Role::Server, None, report.findings.len(), &[], &opts.timestamp));
        write(&lines);
    }
    tally.has_errors |= report.has_errors();
    tally.server.inputs = report.inputs.iter().map(|i| i.name.clone()).collect();
    tally.server.findings = report.findings;
}

/// Diagnose every machine on `jobs` threads; `write` gets each machine's lines as it finishes
/// (in the writer thread), `tally` its summary. Returns how many machines were diagnosed
/// before a Ctrl-C, if one came.
pub fn machines(
    machines: &[Machine],
    jobs: usize,
    opts: &Options,
    write: &mut (dyn FnMut(&str) + Send),
    tally: &mut Tally,
) -> Option<usize> {
    let bar = progress::bar(machines.len() as u64);
    let (tx, rx) = mpsc::sync_channel::<Done>(jobs * 2);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("wsus-doctor: cannot start {jobs} worker threads ({e}); using one");
            rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("one thread")
        }
    };
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            for done in rx {
                write(&done.lines);
                for m in done.machines {
                    tally.add(m);
                }
                for f in done.server {
                    if !tally.server.findings.iter().any(|g| g.rule == f.rule && g.detail == f.detail) {
                        tally.server.findings.push(f);
                    }
                }
                bar.inc(1);
            }
        });
        pool.install(|| {
            machines.par_iter().with_max_len(1).for_each_with(tx, |tx, m| {
                if progress::stopped() {
                    return;
                }
                let _ = tx.send(one(m, opts));
            })
        });
        let _ = writer.join();
    });
    bar.finish_and_clear();
    progress::stopped().then_some(tally.diagnosed)
}
