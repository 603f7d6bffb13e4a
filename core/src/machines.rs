//! One machine per diagnosis. Two clients' files in one report would mix their facts (pc2's
//! WUServer next to pc1's error), so when the inputs come from several machines' folders each
//! machine is diagnosed apart, with the shared (top-level) inputs, the WSUS server's logs
//! typically, given to every machine; the reports are then merged, client findings labelled
//! with their machine and server findings said once.
//!
//! A machine is the first folder under the inputs' common folder: `collect/pc1/WindowsUpdate.log`
//! and `collect/pc2/reg.txt` are `pc1` and `pc2`; `collect/u_ex.log` is shared. Members of one
//! zip are not split (the zip is one input here; its members are made later).

use std::collections::BTreeSet;

use crate::analysis::{Analysis, InputId, Limits};
use crate::kind::InputKind;
use crate::report::{CheckStatus, Report};
use crate::timeline::Side;

/// Each input's machine (`None`: shared), given all the inputs' names. Fewer than two
/// machines: all `None`.
pub fn machines_of(names: &[&str]) -> Vec<Option<String>> {
    let machine = folders_of(names);
    let distinct: BTreeSet<&String> = machine.iter().flatten().collect();
    // past the cap every input would be read once per machine: diagnose them as one (said)
    if distinct.len() < 2 || distinct.len() > MAX_MACHINES {
        return vec![None; names.len()];
    }
    machine
}

/// Each input's machine folder, before the checks of [`machines_of`].
fn folders_of(names: &[&str]) -> Vec<Option<String>> {
    let dirs: Vec<Vec<&str>> = names.iter().map(|n| n.split('/').collect::<Vec<_>>()).collect();
    // the folders every input shares (not its file name)
    let common = dirs
        .iter()
        .map(|d| &d[..d.len().saturating_sub(1)])
        .reduce(|a, b| {
            let n = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
            &a[..n]
        })
        .map_or(0, |c| c.len());
    let machine: Vec<Option<String>> =
        dirs.iter().map(|d| (d.len() > common + 1 && !is_windows_folder(d[common])).then(|| d[common].to_string())).collect();
    machine
}

/// Machines diagnosed apart in one run; more machine folders are read as one, with a note.
pub const MAX_MACHINES: usize = 64;

/// Folders of one Windows machine's own layout (a collection copied with its paths), and
/// bundles: never a machine's name.
fn is_windows_folder(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const LAYOUT: &[&str] = &[
        "logs",
        "windowsupdate",
        "softwaredistribution",
        "datastore",
        "windows",
        "system32",
        "winevt",
        "logfiles",
        "httperr",
        "inetpub",
        "update services",
        "program files",
        "programdata",
        "temp",
        "cbs",
        "panther",
        "registry",
        "reg",
        "events",
        "eventlogs",
        "iis",
        "server",
        "wsus",
    ];
    LAYOUT.contains(&n.as_str()) || n.starts_with("w3svc") || n.ends_with(".zip") || n.ends_with(".cab")
}

/// An [`Analysis`] per machine, fed at once: the same calls as one analysis.
pub struct MachineAnalysis {
    groups: Vec<(Option<String>, Analysis)>,
    /// Planned input name → its machine.
    machine: std::collections::BTreeMap<String, Option<String>>,
    /// Per input added: its ids in the groups that read it.
    routes: Vec<Vec<(usize, InputId)>>,
    /// Machine folders found when past [`MAX_MACHINES`] (then read as one), else 0.
    too_many: usize,
}

impl MachineAnalysis {
    /// `names`: every input that will be added, in order (the plan needs all of them).
    pub fn new(limits: Limits, names: &[&str]) -> Self {
        let machine = machines_of(names);
        let folders = folders_of(names).into_iter().flatten().collect::<BTreeSet<_>>().len();
        let too_many = if folders > MAX_MACHINES { folders } else { 0 };
        let distinct: BTreeSet<Option<String>> = machine.iter().filter(|m| m.is_some()).cloned().collect();
        let groups = if distinct.is_empty() {
            vec![(None, Analysis::with_limits(limits))]
        } else {
            distinct.into_iter().map(|m| (m, Analysis::with_limits(limits))).collect()
        };
        let machine = names.iter().map(|n| n.to_string()).zip(machine).collect();
        MachineAnalysis { groups, machine, routes: Vec::new(), too_many }
    }

    /// Add an input (one of those named to [`Self::new`]; another is shared); returns its index.
    pub fn add_input(&mut self, name: &str, kind: Option<InputKind>) -> usize {
        let mine = self.machine.get(name).cloned().flatten();
        let route = self
            .groups
            .iter_mut()
            .enumerate()
            .filter(|(_, (m, _))| mine.is_none() || *m == mine)
            .map(|(g, (_, a))| (g, a.add_input(name, kind)))
            .collect();
        self.routes.push(route);
        self.routes.len() - 1
    }

    /// The unique display name evidence uses for this input.
    pub fn name(&self, input: usize) -> Option<&str> {
        let (g, id) = *self.routes.get(input)?.first()?;
        self.groups[g].1.name(id)
    }

    pub fn declare_size(&mut self, input: usize, bytes: u64) {
        self.each(input, |a, id| a.declare_size(id, bytes));
    }

    pub fn refused(&self, input: usize) -> bool {
        self.routes.get(input).is_some_and(|r| r.iter().any(|&(g, id)| self.groups[g].1.refused(id)))
    }

    pub fn feed(&mut self, input: usize, bytes: &[u8]) {
        self.each(input, |a, id| a.feed(id, bytes));
    }

    pub fn finish_input(&mut self, input: usize) {
        self.each(input, |a, id| a.finish_input(id));
    }

    fn each(&mut self, input: usize, mut f: impl FnMut(&mut Analysis, InputId)) {
        let Some(route) = self.routes.get(input) else { return };
        for &(g, id) in route {
            f(&mut self.groups[g].1, id);
        }
    }

    /// Run the rules per machine and merge the reports.
    pub fn finish(self) -> Report {
        // the inputs as the user gave them (a zip's members follow their zip)
        let order: Vec<String> = (0..self.routes.len()).filter_map(|i| self.name(i).map(str::to_string)).collect();
        // cloned machines share a SusClientId: that is seen only across the machines' diagnoses
        let mut ids = crate::facts::Facts::default();
        for (_, a) in &self.groups {
            for id in a.client_ids() {
                if !ids.registry.client_ids.iter().any(|s| s.evidence.input == id.evidence.input) {
                    ids.registry.client_ids.push(id.clone());
                }
            }
        }
        let mut reports: Vec<(Option<String>, Report)> = self.groups.into_iter().map(|(m, a)| (m, a.finish())).collect();
        if reports.len() == 1 {
            let mut report = reports.pop().map(|(_, r)| r).unwrap_or_default();
            say_mixed_machines(&mut report, &ids.registry.client_ids);
            if let (true, Some(first)) = (self.too_many > 0, report.inputs.first_mut()) {
                first.notes.push(format!(
                    "the inputs name {} machine folders; past {MAX_MACHINES} they are read as one machine, not apart: diagnose fewer machines at a time",
                    self.too_many
                ));
            }
            return report;
        }
        let mut report = merge(reports);
        let rule = crate::rules::find("duplicate-client-id").expect("in the catalogue");
        if let Some(f) = crate::rules::assemble::finding_of(rule, &ids) {
            report.findings.retain(|g| g.rule != rule.id);
            report.findings.push(f);
            report.findings.sort_by_key(|f| f.severity);
            if let Some(c) = report.checks.iter_mut().find(|c| c.rule == rule.id) {
                c.status = CheckStatus::Fired;
                c.hint = None;
            }
        }
        // by the user's order; a zip member ranks with its zip (linear: one lookup per prefix)
        let at: std::collections::HashMap<&str, usize> = order.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let rank = |name: &str| {
            at.get(name).copied().or_else(|| name.match_indices('/').find_map(|(i, _)| at.get(&name[..i]).copied())).unwrap_or(usize::MAX)
        };
        report.inputs.sort_by_key(|i| rank(&i.name));
        report
    }
}

/// Inputs not in machine folders whose registry names different SusClientIds come from several
/// machines, and were read as one: say so on each of them (the findings may mix machines).
fn say_mixed_machines(report: &mut Report, ids: &[crate::facts::Seen<String>]) {
    let distinct: BTreeSet<&str> = ids.iter().map(|s| s.value.as_str()).collect();
    if distinct.len() < 2 {
        return;
    }
    for id in ids {
        let others: Vec<&str> = ids.iter().filter(|o| o.value != id.value).map(|o| o.evidence.input.as_str()).collect();
        if let Some(input) = report.inputs.iter_mut().find(|i| i.name == id.evidence.input) {
            input.notes.push(format!(
                "its SusClientId {{{}}} is not the one in {}: these inputs come from {} machines and were read as one, so client findings may mix them; put each machine's files in a folder of its own (pc1/, pc2/) and add their parent folder to diagnose each apart",
                id.value,
                others.join(", "),
                distinct.len()
            ));
        }
    }
}

/// Client findings labelled by machine; a finding resting only on shared inputs, once.
fn merge(reports: Vec<(Option<String>, Report)>) -> Report {
    let mut out = Report { version: 1, ..Report::default() };
    let shared_inputs: BTreeSet<String> = {
        // an input every group read is shared
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for (_, r) in &reports {
            for i in &r.inputs {
                *counts.entry(i.name.as_str()).or_default() += 1;
            }
        }
        counts.into_iter().filter(|(_, n)| *n == reports.len()).map(|(k, _)| k.to_string()).collect()
    };
    out.machines = reports.iter().filter_map(|(m, _)| m.clone()).collect();
    out.modes = reports
        .iter()
        .flat_map(|(m, r)| r.modes.iter().map(move |mm| crate::mode::MachineMode { machine: m.clone(), ..mm.clone() }))
        .collect();
    let mut shared_findings = Vec::new();
    let mut seen_inputs: BTreeSet<String> = BTreeSet::new();
    for (m, r) in &reports {
        for i in &r.inputs {
            if seen_inputs.insert(i.name.clone()) {
                out.inputs.push(i.clone());
            }
        }
        for f in &r.findings {
            let server_only = !f.evidence.is_empty() && f.evidence.iter().all(|e| shared_inputs.contains(&e.input));
            if server_only {
                if !shared_findings.iter().any(|g: &crate::report::Finding| g.rule == f.rule && g.detail == f.detail) {
                    shared_findings.push(f.clone());
                }
            } else {
                let mut f = f.clone();
                f.machine = m.clone();
                out.findings.push(f);
            }
        }
        for c in &r.checks {
            match out.checks.iter_mut().find(|o| o.rule == c.rule) {
                None => out.checks.push(c.clone()),
                Some(o) => {
                    let rank = |s: CheckStatus| match s {
                        CheckStatus::Fired => 0,
                        CheckStatus::Passed => 1,
                        CheckStatus::NotRun => 2,
                    };
                    if rank(c.status) < rank(o.status) {
                        *o = c.clone();
                    }
                }
            }
        }
        // the timeline: a machine's client lanes under its name, server lanes once
        let t = &r.timeline;
        if out.timeline.bucket_seconds < t.bucket_seconds {
            out.timeline.bucket_seconds = t.bucket_seconds;
        }
        out.timeline.untimed += t.untimed;
        out.timeline.client_utc |= t.client_utc;
        out.timeline.lanes_cut += t.lanes_cut;
        for (n, lane) in t.lanes.iter().enumerate() {
            let name = match (lane.side, m) {
                (Side::Client, Some(m)) => format!("{m}: {}", lane.name),
                _ => lane.name.clone(),
            };
            if lane.side == Side::Server && out.timeline.lanes.iter().any(|l| l.side == Side::Server && l.name == name) {
                continue; // the same shared server log, read by every machine's diagnosis
            }
            out.timeline.lanes.push(crate::timeline::Lane { name, ..lane.clone() });
            let at = out.timeline.lanes.len() - 1;
            out.timeline.cells.extend(t.cells.iter().filter(|c| c.lane == n).map(|c| crate::timeline::Cell { lane: at, ..c.clone() }));
        }
    }
    // server findings first among equals: they concern every machine
    shared_findings.append(&mut out.findings);
    out.findings = shared_findings;
    out.findings.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machines_are_the_first_folders_under_the_common_one() {
        let m = machines_of(&["collect/pc1/WindowsUpdate.log", "collect/pc2/reg.txt", "collect/u_ex.log", "collect/pc1/Logs/x.etl"]);
        assert_eq!(m, [Some("pc1".into()), Some("pc2".into()), None, Some("pc1".into())]);
        assert_eq!(machines_of(&["pc1/a.log", "pc1/b.reg"]), [None, None], "one machine: nothing to split");
        assert_eq!(machines_of(&["a.log", "b.reg"]), [None, None]);
        assert_eq!(machines_of(&["pc1/bundle.zip", "pc2/bundle.zip"]), [Some("pc1".into()), Some("pc2".into())]);
        // one machine's collection with its Windows folders is one machine
        let one = machines_of(&["pc1/Logs/WindowsUpdate/a.etl", "pc1/SoftwareDistribution/ReportingEvents.log", "pc1/System.evtx"]);
        assert_eq!(one, [None, None, None]);
        assert_eq!(machines_of(&["c/W3SVC1/u_ex.log", "c/HTTPERR/httperr1.log"]), [None, None]);
        // past the cap: read as one, and said
        let many: Vec<String> = (0..=MAX_MACHINES).map(|i| format!("c/pc{i}/reg.txt")).collect();
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(machines_of(&names).iter().all(Option::is_none));
        let mut a = MachineAnalysis::new(Limits::default(), &names);
        for n in &names {
            let id = a.add_input(n, None);
            a.feed(
                id,
                b"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n    WUServer    REG_SZ    http://wsus01\r\n",
            );
            a.finish_input(id);
        }
        let r = a.finish();
        assert!(r.machines.is_empty());
        assert!(r.inputs[0].notes.iter().any(|n| n.contains("the inputs name 65 machine folders; past 64")), "{:?}", r.inputs[0].notes);
    }
}
