//! The fleet summary, built as machines finish (nothing per machine is kept but its name in a
//! few bounded lists): causes ranked by machines affected, the server's findings once, the
//! machines that could not be read, and how the machines get their updates.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;
use wsus_doctor_core::{Finding, Severity};

/// Example machines kept per cause and per mode (the smallest names, so runs agree).
pub const EXAMPLES: usize = 5;
/// Unreadable machines listed by name; past that, counted.
pub const MAX_UNREADABLE: usize = 1000;

/// What one machine contributes.
pub struct MachineSummary {
    pub name: String,
    pub mode: &'static str,
    pub mode_label: &'static str,
    /// Its causes (see [`wsus_doctor_core::ecs::is_cause`]): rule, severity, title, first step.
    pub causes: Vec<(String, Severity, String, String)>,
    pub has_errors: bool,
    /// Why nothing could be read, when nothing could.
    pub unreadable: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct Cause {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub machines: usize,
    pub examples: Vec<String>,
    /// The first remedy step as worded for the first example machine.
    pub first_step: String,
}

#[derive(Serialize)]
pub struct ModeGroup {
    pub mode: &'static str,
    pub label: &'static str,
    pub machines: usize,
    pub examples: Vec<String>,
}

#[derive(Serialize)]
pub struct Unreadable {
    pub machine: String,
    pub why: String,
}

#[derive(Serialize, Default)]
pub struct Server {
    /// The shared server logs, read once.
    pub inputs: Vec<String>,
    pub findings: Vec<Finding>,
}

/// The summary as JSON (`--format json`, `--summary FILE`); a public shape, `"version": 1`.
#[derive(Serialize)]
pub struct FleetSummary {
    pub version: u32,
    /// Machines found.
    pub machines: usize,
    /// Machines diagnosed (fewer when stopped).
    pub diagnosed: usize,
    /// Machines with no cause found (nothing at warning or above).
    pub clean: usize,
    pub causes: Vec<Cause>,
    pub server: Server,
    pub unreadable: Vec<Unreadable>,
    /// Unreadable machines past those listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub unreadable_more: usize,
    pub modes: Vec<ModeGroup>,
    /// Notes on how machines were found (collected twice, skipped paths), capped.
    pub notes: Vec<String>,
    /// Set when Ctrl-C stopped the run: what was done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Notes kept in the summary; the rest are counted in the last one.
const MAX_NOTES: usize = 200;

struct CauseAcc {
    severity: Severity,
    title: String,
    machines: usize,
    examples: BTreeMap<String, String>,
}

/// Built up machine by machine in the writer thread.
#[derive(Default)]
pub struct Tally {
    pub machines: usize,
    pub diagnosed: usize,
    pub clean: usize,
    pub has_errors: bool,
    causes: BTreeMap<String, CauseAcc>,
    modes: BTreeMap<&'static str, (&'static str, usize, BTreeSet<String>)>,
    unreadable: BTreeMap<String, String>,
    unreadable_count: usize,
    notes: Vec<String>,
    notes_more: usize,
    pub server: Server,
}

/// Keep the `EXAMPLES` smallest keys.
fn keep_smallest<V>(map: &mut BTreeMap<String, V>, key: &str, value: impl FnOnce() -> V) {
    if map.len() < EXAMPLES || map.keys().next_back().is_some_and(|last| key < last.as_str()) {
        map.insert(key.to_string(), value());
        while map.len() > EXAMPLES {
            map.pop_last();
        }
    }
}

impl Tally {
    pub fn add(&mut self, m: MachineSummary) {
        self.diagnosed += 1;
        self.has_errors |= m.has_errors;
        for n in &m.notes {
            self.note(format!("{}: {n}", m.name));
        }
        if m.causes.is_empty() && m.unreadable.is_none() {
            self.clean += 1;
        }
        if let Some(why) = m.unreadable {
            self.unreadable_count += 1;
            if self.unreadable.len() < MAX_UNREADABLE || self.unreadable.keys().next_back().is_some_and(|k| m.name < *k) {
                self.unreadable.insert(m.name.clone(), why);
                while self.unreadable.len() > MAX_UNREADABLE {
                    self.unreadable.pop_last();
                }
            }
        }
        let e = self.modes.entry(m.mode).or_insert((m.mode_label, 0, BTreeSet::new()));
        e.1 += 1;
        if e.2.len() < EXAMPLES || e.2.last().is_some_and(|l| m.name < *l) {
            e.2.insert(m.name.clone());
            while e.2.len() > EXAMPLES {
                e.2.pop_last();
            }
        }
        let mut seen = BTreeSet::new();
        for (rule, severity, title, step) in m.causes {
            if !seen.insert(rule.clone()) {
                continue; // a machine counts once per cause
            }
            let c = self.causes.entry(rule).or_insert_with(|| CauseAcc {
                severity,
                title: title.clone(),
                machines: 0,
                examples: BTreeMap::new(),
            });
            c.machines += 1;
            c.severity = c.severity.min(severity);
            keep_smallest(&mut c.examples, &m.name, || step);
        }
    }

    pub fn note(&mut self, n: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(n);
        } else {
            self.notes_more += 1;
        }
    }

    pub fn finish(mut self, stopped: Option<String>) -> FleetSummary {
        // a zip holding several machines counts each of them
        self.machines = self.machines.max(self.diagnosed);
        let mut causes: Vec<Cause> = self
            .causes
            .into_iter()
            .map(|(rule, c)| Cause {
                rule,
                severity: c.severity,
                title: c.title,
                machines: c.machines,
                first_step: c.examples.values().next().cloned().unwrap_or_default(),
                examples: c.examples.into_keys().collect(),
            })
            .collect();
        // most machines first; ties by rule id, so any engine ranks them the same
        causes.sort_by(|a, b| b.machines.cmp(&a.machines).then_with(|| a.rule.cmp(&b.rule)));
        let mut modes: Vec<ModeGroup> = self
            .modes
            .into_iter()
            .map(|(mode, (label, machines, ex))| ModeGroup { mode, label, machines, examples: ex.into_iter().collect() })
            .collect();
        modes.sort_by(|a, b| b.machines.cmp(&a.machines).then_with(|| a.mode.cmp(b.mode)));
        if self.notes_more > 0 {
            self.notes.push(format!("{} more notes not listed", self.notes_more));
        }
        let unreadable_more = self.unreadable_count - self.unreadable.len();
        FleetSummary {
            version: 1,
            machines: self.machines,
            diagnosed: self.diagnosed,
            clean: self.clean,
            causes,
            server: self.server,
            unreadable: self.unreadable.into_iter().map(|(machine, why)| Unreadable { machine, why }).collect(),
            unreadable_more,
            modes,
            notes: self.notes,
            stopped,
        }
    }
}

fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    wsus_doctor_core::inert::visible(s, " ")
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        return "0%".into();
    }
    format!("{:.1}%", n as f64 * 100.0 / of as f64)
}

/// The summary for a terminal.
pub fn text(s: &FleetSummary, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "WSUS Doctor fleet: {} machine(s) found, {} diagnosed, {} without a cause, {} could not be read",
        s.machines,
        s.diagnosed,
        s.clean,
        s.unreadable.len() + s.unreadable_more
    )?;
    if let Some(st) = &s.stopped {
        writeln!(out, "note: {st}")?;
    }
    writeln!(out, "\nCauses, by machines affected:")?;
    if s.causes.is_empty() {
        writeln!(out, "  none")?;
    }
    for (n, c) in s.causes.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {}[{}] {} machine(s) ({}): {}",
            n + 1,
            c.severity.name(),
            c.rule,
            c.machines,
            pct(c.machines, s.diagnosed),
            inert(&c.title)
        )?;
        writeln!(out, "     e.g. {}", c.examples.iter().map(|e| inert(e)).collect::<Vec<_>>().join(", "))?;
        if !c.first_step.is_empty() {
            writeln!(out, "     first step: {}", inert(&c.first_step))?;
        }
    }
    if !s.server.inputs.is_empty() || !s.server.findings.is_empty() {
        writeln!(
            out,
            "\nThe WSUS server (its logs read once for the whole fleet: {}):",
            s.server.inputs.iter().map(|i| inert(i)).collect::<Vec<_>>().join(", ")
        )?;
        if s.server.findings.is_empty() {
            writeln!(out, "  no finding")?;
        }
        for f in &s.server.findings {
            writeln!(out, "  {}[{}]: {}", f.severity.name(), f.rule, inert(&f.title))?;
            if let Some(e) = f.evidence.first() {
                writeln!(out, "     --> {}", inert(&e.location()))?;
            }
            if let Some(step) = f.remedy.first() {
                writeln!(out, "     first step: {}", inert(step))?;
            }
        }
    }
    if !s.unreadable.is_empty() {
        writeln!(out, "\nCould not be read:")?;
        for u in &s.unreadable {
            writeln!(out, "  {}: {}", inert(&u.machine), inert(&u.why))?;
        }
        if s.unreadable_more > 0 {
            writeln!(out, "  ... and {} more", s.unreadable_more)?;
        }
    }
    writeln!(out, "\nHow the machines get their updates:")?;
    for m in &s.modes {
        writeln!(
            out,
            "  {} machine(s): {} (e.g. {})",
            m.machines,
            m.label,
            m.examples.iter().map(|e| inert(e)).collect::<Vec<_>>().join(", ")
        )?;
    }
    if !s.notes.is_empty() {
        writeln!(out, "\nNotes:")?;
        for n in &s.notes {
            writeln!(out, "  {}", inert(n))?;
        }
    }
    Ok(())
}

/// Markdown text that stays text: `|`, backticks and angle brackets from evidence escaped.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in inert(s).chars() {
        if matches!(ch, '|' | '`' | '<' | '>' | '*' | '_' | '[' | ']' | '\\') {
            o.push('\\');
        }
        o.push(ch);
    }
    o
}

/// The summary as Markdown, for a ticket or a mail upward.
pub fn markdown(s: &FleetSummary, stamp: &str, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "# WSUS Doctor fleet summary\n\n{stamp}\n")?;
    writeln!(
        out,
        "{} machine(s) found, {} diagnosed, {} without a cause, {} could not be read.\n",
        s.machines,
        s.diagnosed,
        s.clean,
        s.unreadable.len() + s.unreadable_more
    )?;
    if let Some(st) = &s.stopped {
        writeln!(out, "> **Stopped early:** {}\n", md(st))?;
    }
    writeln!(out, "## Causes, by machines affected\n")?;
    if s.causes.is_empty() {
        writeln!(out, "None.\n")?;
    } else {
        writeln!(out, "| # | cause | severity | machines | e.g. | first step |\n| --- | --- | --- | --- | --- | --- |")?;
        for (n, c) in s.causes.iter().enumerate() {
            writeln!(
                out,
                "| {} | {} (`{}`) | {} | {} ({}) | {} | {} |",
                n + 1,
                md(&c.title),
                c.rule,
                c.severity.name(),
                c.machines,
                pct(c.machines, s.diagnosed),
                c.examples.iter().map(|e| md(e)).collect::<Vec<_>>().join(", "),
                md(&c.first_step)
            )?;
        }
        writeln!(out)?;
    }
    if !s.server.inputs.is_empty() || !s.server.findings.is_empty() {
        writeln!(
            out,
            "## The WSUS server\n\nIts logs, read once for the whole fleet: {}.\n",
            s.server.inputs.iter().map(|i| md(i)).collect::<Vec<_>>().join(", ")
        )?;
        for f in &s.server.findings {
            writeln!(
                out,
                "- **{}** (`{}`, {}): {}",
                md(&f.title),
                f.rule,
                f.severity.name(),
                f.remedy.first().map(|r| md(r)).unwrap_or_default()
            )?;
        }
        writeln!(out)?;
    }
    if !s.unreadable.is_empty() {
        writeln!(out, "## Could not be read\n")?;
        for u in &s.unreadable {
            writeln!(out, "- {}: {}", md(&u.machine), md(&u.why))?;
        }
        if s.unreadable_more > 0 {
            writeln!(out, "- ... and {} more", s.unreadable_more)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## How the machines get their updates\n\n| mode | machines | e.g. |\n| --- | --- | --- |")?;
    for m in &s.modes {
        writeln!(out, "| {} | {} | {} |", md(m.label), m.machines, m.examples.iter().map(|e| md(e)).collect::<Vec<_>>().join(", "))?;
    }
    if !s.notes.is_empty() {
        writeln!(out, "\n## Notes\n")?;
        for n in &s.notes {
            writeln!(out, "- {}", md(n))?;
        }
    }
    Ok(())
}
