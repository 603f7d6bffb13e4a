//! The fleet view's model: a machines × causes table built from the reports of a fleet's
//! workers (each diagnosed its share of the machines), sorted and filtered, and its exports.

mod export;

pub use export::{csv, markdown};

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use wsus_doctor_core::{Report, Severity};

/// Machines from which a run opens the fleet view instead of one report.
pub const FLEET_MIN: usize = 10;

/// One machine's row: its management mode and the causes found on it (rule, severity, title).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub machine: String,
    pub mode: String,
    pub causes: Vec<Cause>,
    /// The share whose report holds this machine (to open it).
    pub share: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cause {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
}

/// A column of the table: causes are columns too, ranked by the machines they affect.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub machines: usize,
}

/// The whole table: rows, cause columns (most machines first), and the server's own findings
/// (they rest on shared inputs, so they are said once, not per machine).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    pub columns: Vec<Column>,
    pub server: Vec<Cause>,
}

/// What the table is sorted by.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SortBy {
    #[default]
    Worst,
    Machine,
    Mode,
    Count,
    Cause(String),
}

impl Table {
    /// Build the table from each share's report (`None`: that worker has not answered).
    pub fn of(reports: &[Option<Rc<Report>>]) -> Table {
        let mut t = Table::default();
        let mut server: BTreeMap<String, Cause> = BTreeMap::new();
        for (share, r) in reports.iter().enumerate() {
            let Some(r) = r else { continue };
            for m in &r.machines {
                let mode = r
                    .modes
                    .iter()
                    .find(|x| x.machine.as_deref() == Some(m.as_str()))
                    .map(|x| x.mode.label().to_string())
                    .unwrap_or_default();
                let mut seen = BTreeSet::new();
                let causes = r
                    .findings
                    .iter()
                    .filter(|f| f.machine.as_deref() == Some(m.as_str()) && f.severity <= Severity::Warning && seen.insert(f.rule.clone()))
                    .map(|f| Cause { rule: f.rule.clone(), severity: f.severity, title: f.title.clone() })
                    .collect();
                t.rows.push(Row { machine: m.clone(), mode, causes, share });
            }
            for f in r.findings.iter().filter(|f| f.machine.is_none() && f.severity <= Severity::Warning) {
                server.entry(f.rule.clone()).or_insert(Cause { rule: f.rule.clone(), severity: f.severity, title: f.title.clone() });
            }
        }
        let mut cols: BTreeMap<String, Column> = BTreeMap::new();
        for c in t.rows.iter().flat_map(|r| &r.causes) {
            cols.entry(c.rule.clone())
                .or_insert(Column { rule: c.rule.clone(), title: c.title.clone(), severity: c.severity, machines: 0 })
                .machines += 1;
        }
        t.columns = cols.into_values().collect();
        t.columns.sort_by(|a, b| b.machines.cmp(&a.machines).then(a.severity.cmp(&b.severity)).then(a.rule.cmp(&b.rule)));
        t.server = server.into_values().collect();
        t.server.sort_by_key(|c| c.severity);
        t.rows.sort_by(|a, b| a.machine.cmp(&b.machine));
        t
    }

    /// The rows shown, as indices into `rows`: those matching `filter` (in the machine's name,
    /// mode or a cause), in order.
    pub fn view(&self, sort: &SortBy, descending: bool, filter: &str) -> Vec<usize> {
        let f = filter.trim().to_lowercase();
        let mut rows: Vec<(usize, &Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                f.is_empty()
                    || r.machine.to_lowercase().contains(&f)
                    || r.mode.to_lowercase().contains(&f)
                    || r.causes.iter().any(|c| c.rule.contains(&f) || c.title.to_lowercase().contains(&f))
            })
            .collect();
        let worst = |r: &Row| r.causes.iter().map(|c| c.severity).min().map_or(9, |s| s as u8);
        let has = |r: &Row, rule: &str| r.causes.iter().any(|c| c.rule == rule);
        rows.sort_by(|(_, a), (_, b)| match sort {
            SortBy::Worst => worst(a).cmp(&worst(b)).then(b.causes.len().cmp(&a.causes.len())).then(a.machine.cmp(&b.machine)),
            SortBy::Machine => a.machine.cmp(&b.machine),
            SortBy::Mode => a.mode.cmp(&b.mode).then(a.machine.cmp(&b.machine)),
            SortBy::Count => a.causes.len().cmp(&b.causes.len()).then(a.machine.cmp(&b.machine)),
            SortBy::Cause(rule) => has(b, rule).cmp(&has(a, rule)).then(a.machine.cmp(&b.machine)),
        });
        if descending {
            rows.reverse();
        }
        rows.into_iter().map(|(i, _)| i).collect()
    }
}

impl Table {
    /// The table with machine names and causes' titles as the core's aliases (machines numbered
    /// in the table's order), for the Redact toggle and its exports.
    pub fn redacted(&self) -> Table {
        let mut a = wsus_doctor_core::redact::Aliases::default();
        self.rows.iter().for_each(|r| a.learn_machine(&r.machine));
        let mut t = self.clone();
        let mut cause = |c: &mut Cause| c.title = a.redact(&c.title);
        t.server.iter_mut().for_each(&mut cause);
        t.rows.iter_mut().flat_map(|r| r.causes.iter_mut()).for_each(&mut cause);
        for r in &mut t.rows {
            r.machine = a.redact(&r.machine);
        }
        for c in &mut t.columns {
            c.title = a.redact(&c.title);
        }
        t
    }
}

/// One machine's own report out of its share's: its findings and the server's, its mode.
pub fn machine_report(r: &Report, machine: &str) -> Report {
    let mine = |m: &Option<String>| m.as_deref().is_none_or(|m| m == machine);
    let mut out = r.clone();
    out.findings.retain(|f| mine(&f.machine));
    out.modes.retain(|x| mine(&x.machine));
    out.machines = vec![machine.to_string()];
    out
}
