//! Diagnosing the machines: each apart, on a pool of worker threads; each worker turns its
//! machine's report into output lines and a small summary at once and drops the report, and one
//! writer thread writes the lines in the machines' (sorted) order and keeps the tally, so the
//! output is the same whatever `--jobs`. With `--redact` the writer also redacts each report
//! before shaping it: the aliases, numbered as values are first seen, then come in that order
//! too. Between them a reorder buffer of bounded size ([`Reorder`]): memory is a few reports
//! per worker whatever the number of machines.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

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
    /// Redact a report and the strings said beside it, with the run's aliases; `machines` are
    /// the names of the machine and of the others its notes name.
    pub fn redact(&self, report: &mut Report, machines: &[&str], said: &mut [&mut String]) {
        let Some(aliases) = &self.redact else { return };
        // a worker that panicked mid-redaction leaves the aliases usable: they only grow
        let mut a = aliases.lock().unwrap_or_else(|p| p.into_inner());
        // `siteA/pc5` (two machines named alike): the machine's folder, as in every input's path
        // (collection folders are not names: they stay, as in those paths)
        for m in machines.iter().filter_map(|m| m.rsplit('/').next()).filter(|m| !m.is_empty()) {
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

/// A machine diagnosed, its output not yet shaped: with `--redact` the writer shapes it, in
/// the machines' order, so aliases are numbered the same whatever finished first.
struct Diagnosed {
    report: Report,
    name: String,
    /// Its other names (collections found to be it).
    also: Vec<String>,
    /// Where its evidence is, as shown.
    source: String,
    notes: Vec<String>,
    unreadable: Option<String>,
}

/// Diagnose one machine (read every file of it, run the rules).
fn diagnose(m: &Machine, opts: &Options) -> Diagnosed {
    let mut problems = ReadProblems::default();
    let files = files_of(m, &mut problems);
    // machine folders inside it (a zip of several machines) are told apart by the core
    let report = inputs::diagnose_named(files, opts.kind, opts.max_size, &mut problems);
    let mut notes = m.notes.clone();
    let hosts = evidence_hosts(&report);
    if !hosts.is_empty() && !hosts.iter().any(|h| m.name.to_lowercase().contains(&h.to_lowercase())) {
        notes.push(format!("named {} by its folder, but its event log was written on {}", m.name, hosts.join(", ")));
    }
    notes.extend(problems.unreadable.iter().cloned());
    notes.extend(problems.skipped.iter().take(8).cloned());
    let unreadable = unreadable(&report, &problems);
    Diagnosed { report, name: m.name.clone(), also: m.also.clone(), source: m.source.1.clone(), notes, unreadable }
}

/// A machine whose diagnosis panicked (a bug): said as unreadable, so the run goes on and the
/// writer, waiting for this machine's turn, is not left waiting.
fn failed(name: &str, source: &str, notes: &[String], panic: &(dyn std::any::Any + Send)) -> Diagnosed {
    let why = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
    Diagnosed {
        report: Report::default(),
        name: name.to_string(),
        also: Vec::new(),
        source: source.to_string(),
        notes: notes.to_vec(),
        unreadable: Some(format!("{source}: wsus-doctor failed on it (a bug, please report it): {why}")),
    }
}

/// [`diagnose`], a panic said as the machine's failure.
fn diagnose_safely(m: &Machine, opts: &Options) -> Diagnosed {
    std::panic::catch_unwind(AssertUnwindSafe(|| diagnose(m, opts))).unwrap_or_else(|p| failed(&m.name, &m.source.1, &m.notes, p.as_ref()))
}

/// [`shape`], a panic said as the machine's failure.
fn shape_safely(d: Diagnosed, opts: &Options) -> Done {
    let (name, source, notes) = (d.name.clone(), d.source.clone(), d.notes.clone());
    std::panic::catch_unwind(AssertUnwindSafe(|| shape(d, opts)))
        .unwrap_or_else(|p| shape(failed(&name, &source, &notes, p.as_ref()), opts))
}

/// Shape a diagnosed machine's output: redacted (with the run's aliases) when asked.
fn shape(d: Diagnosed, opts: &Options) -> Done {
    let Diagnosed { mut report, name, also, mut notes, mut unreadable, .. } = d;
    let mut host = name.clone();
    let mut said: Vec<&mut String> = notes.iter_mut().chain(unreadable.as_mut()).collect();
    said.push(&mut host);
    let names: Vec<&str> = std::iter::once(name.as_str()).chain(also.iter().map(String::as_str)).collect();
    opts.redact(&mut report, &names, &mut said);
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
    opts.redact(&mut report, &[], &mut said.iter_mut().collect::<Vec<_>>());
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

/// What a worker hands the writer: output shaped already, or (with `--redact`) a diagnosis the
/// writer shapes in turn.
enum Unit {
    Shaped(Done),
    Diagnosed(Box<Diagnosed>),
}

/// The machines' outputs on their way to the writer, put back in the machines' order. Workers
/// take machines in that order; one that finishes ahead waits while `cap` others already wait to
/// be written, so memory stays at about `cap + jobs` machines' outputs whatever the fleet. The
/// machine next in order is always let in (its worker never waits), so the run cannot stall.
struct Reorder {
    state: Mutex<Ready>,
    changed: Condvar,
    cap: usize,
}

struct Ready {
    /// The next machine to write.
    next: usize,
    /// Outputs finished ahead of it, by machine.
    waiting: BTreeMap<usize, Unit>,
    /// Workers still running: none left and `next` not there means everything is written.
    workers: usize,
    /// The writer is gone (it panicked): workers no longer wait for it.
    closed: bool,
}

impl Reorder {
    fn lock(&self) -> MutexGuard<'_, Ready> {
        // a worker that panicked holding the lock left the state whole (each change is one step)
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A worker hands machine `i`'s output over, waiting while too many wait ahead of it.
    fn put(&self, i: usize, unit: Unit) {
        let mut r = self.lock();
        while i != r.next && r.waiting.len() >= self.cap && !r.closed {
            r = self.changed.wait(r).unwrap_or_else(|p| p.into_inner());
        }
        if !r.closed {
            r.waiting.insert(i, unit);
        }
        self.changed.notify_all();
    }

    /// The writer takes the next machine's output, in order; `None` once every worker has left
    /// and nothing is next.
    fn take(&self) -> Option<Unit> {
        let mut r = self.lock();
        loop {
            let next = r.next;
            if let Some(u) = r.waiting.remove(&next) {
                r.next += 1;
                self.changed.notify_all();
                return Some(u);
            }
            if r.workers == 0 {
                return None;
            }
            r = self.changed.wait(r).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A worker is done (no machine left, or Ctrl-C) when this drops.
struct Leave<'a>(&'a Reorder);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.lock().workers -= 1;
        self.0.changed.notify_all();
    }
}

/// The writer is gone when this drops (normally after the last machine; early only if it panicked).
struct Close<'a>(&'a Reorder);

impl Drop for Close<'_> {
    fn drop(&mut self) {
        let mut r = self.0.lock();
        r.closed = true;
        r.waiting.clear();
        self.0.changed.notify_all();
    }
}

/// Diagnose every machine on `jobs` threads; `write` gets each machine's lines (in the writer
/// thread) in the machines' order, so the output is the same whatever `jobs`, and `tally` its
/// summary. Returns how many machines were diagnosed before a Ctrl-C, if one came.
pub fn machines(
    machines: &[Machine],
    jobs: usize,
    opts: &Options,
    write: &mut (dyn FnMut(&str) + Send),
    tally: &mut Tally,
) -> Option<usize> {
    let bar = progress::bar(machines.len() as u64);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("wsus-doctor: cannot start {jobs} worker threads ({e}); using one");
            rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("one thread")
        }
    };
    let workers = pool.current_num_threads();
    let order = Reorder {
        state: Mutex::new(Ready { next: 0, waiting: BTreeMap::new(), workers, closed: false }),
        changed: Condvar::new(),
        cap: workers * 2,
    };
    // machines are handed out in order: every machine before the next one handed out is in hand
    let handed = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let _close = Close(&order);
            while let Some(unit) = order.take() {
                let done = match unit {
                    Unit::Shaped(d) => d,
                    Unit::Diagnosed(d) => shape_safely(*d, opts),
                };
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
        pool.broadcast(|_| {
            // leaves even if this thread unwinds, so the writer is never left waiting
            let _leave = Leave(&order);
            while !progress::stopped() {
                let i = handed.fetch_add(1, Ordering::SeqCst);
                let Some(m) = machines.get(i) else { break };
                let d = diagnose_safely(m, opts);
                // with --redact the writer shapes it: aliases are numbered in the machines' order
                let unit = if opts.redact.is_some() { Unit::Diagnosed(Box::new(d)) } else { Unit::Shaped(shape_safely(d, opts)) };
                order.put(i, unit);
            }
        });
        let _ = writer.join();
    });
    bar.finish_and_clear();
    progress::stopped().then_some(tally.diagnosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Machines finishing out of order are written in order, and no more than `cap` (plus the
    /// next one) wait at once, however far ahead the other workers get.
    #[test]
    fn reorder_writes_in_order_and_holds_at_most_cap() {
        let (n, jobs) = (300, 4);
        let order = Reorder {
            state: Mutex::new(Ready { next: 0, waiting: BTreeMap::new(), workers: jobs, closed: false }),
            changed: Condvar::new(),
            cap: 3,
        };
        let handed = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let written = std::thread::scope(|s| {
            let writer = s.spawn(|| {
                let mut seen = Vec::new();
                while let Some(Unit::Shaped(d)) = order.take() {
                    // what waits now: at most `cap` machines ahead, plus the next one (a worker
                    // may have handed it over since this one was taken)
                    most.fetch_max(order.lock().waiting.len(), Ordering::SeqCst);
                    seen.push(d.lines.parse::<usize>().unwrap());
                }
                seen
            });
            for _ in 0..jobs {
                s.spawn(|| {
                    let _leave = Leave(&order);
                    loop {
                        let i = handed.fetch_add(1, Ordering::SeqCst);
                        if i >= n {
                            break;
                        }
                        // every tenth machine is slow: the others finish ahead of it
                        if i.is_multiple_of(10) {
                            for _ in 0..20 {
                                std::thread::yield_now();
                            }
                        }
                        order.put(i, Unit::Shaped(Done { lines: i.to_string(), machines: Vec::new(), server: Vec::new() }));
                    }
                });
            }
            writer.join().unwrap()
        });
        assert_eq!(written, (0..n).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= order.cap + 1, "{} waited at once", most.load(Ordering::SeqCst));
    }
}
