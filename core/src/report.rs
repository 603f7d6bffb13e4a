//! The report: a serde type whose JSON is a public contract (`"version": 1`).

use serde::{Deserialize, Serialize};

use crate::kind::InputKind;

pub use crate::evidence::{Evidence, MAX_EVIDENCE_TEXT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The server is being attacked or is open to an exploited vulnerability: before any error.
    Critical,
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A contiguous part of an input holding one kind of evidence (a paste may hold several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: InputKind,
    pub first_line: u64,
    pub last_line: u64,
}

/// What was read from one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    pub name: String,
    /// The detected (or overridden) kind; for a mixed paste, the kind with most lines; null if unreadable.
    pub kind: Option<InputKind>,
    pub lines: u64,
    pub unrecognised: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_unrecognised: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The binary format the input was decoded from (`etl`); absent for text. `lines` then
    /// counts the records read, and evidence cites record numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Repairs and decoding notes: what was fixed or skipped, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why this input could not be read at all (it was skipped; the others were still diagnosed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub evidence: Vec<Evidence>,
    /// Numbered steps, in order, with the admin's own values filled in.
    pub remedy: Vec<String>,
    pub references: Vec<String>,
    /// When another finding explains this one, its rule id (the cause is listed first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caused_by: Option<String>,
    /// The machine whose evidence this is, when the inputs held several (see
    /// [`crate::machines`]); absent for one machine and for server-side findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    Fired,
    Passed,
    NotRun,
}

/// Whether a rule fired, passed, or could not run for lack of evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub rule: String,
    pub status: CheckStatus,
    /// Input kinds the rule reads.
    pub needs: Vec<InputKind>,
    /// For `not-run`: what to add so it can run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The whole diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub inputs: Vec<InputSummary>,
    pub findings: Vec<Finding>,
    pub checks: Vec<Check>,
    /// The machines the inputs came from, when several: each was diagnosed apart (client
    /// evidence never mixed), server evidence shared. Empty for one machine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<String>,
    /// How each machine gets its updates (one entry per machine), with what that rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<crate::mode::MachineMode>,
    /// Events over time (client detections, downloads, installs, codes; server error statuses).
    #[serde(default, skip_serializing_if = "crate::timeline::Timeline::is_empty")]
    pub timeline: crate::timeline::Timeline,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity <= Severity::Error)
    }

    /// No input was recognised as evidence (prose, a picture, an empty paste): "no problems"
    /// would be a false all-clear, so every face says that nothing was read instead.
    pub fn nothing_read(&self) -> bool {
        self.inputs.iter().all(|i| i.kind.is_none() && (i.lines == 0 || i.format.is_none()))
            && !self.checks.iter().any(|c| c.status == CheckStatus::Passed)
    }

    /// What to say when [`Self::nothing_read`]: what was given and what to add.
    pub fn nothing_read_message(&self) -> String {
        format!(
            "Nothing in the evidence was recognised ({} input(s)), so no rule could check anything: add the client's WindowsUpdate.log or its .etl traces, its registry export, or the WSUS server's IIS log (`wsus-doctor --help` and the page say where each one is).",
            self.inputs.len()
        )
    }

    pub fn finding(&self, rule: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.rule == rule)
    }

    /// Rules that could not run, grouped by what to add: each missing kind is said once.
    pub fn not_run_by_hint(&self) -> Vec<(&str, Vec<&str>)> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in self.checks.iter().filter(|c| c.status == CheckStatus::NotRun) {
            let hint = c.hint.as_deref().unwrap_or("");
            match groups.iter_mut().find(|(h, _)| *h == hint) {
                Some((_, rules)) => rules.push(&c.rule),
                None => groups.push((hint, vec![&c.rule])),
            }
        }
        groups
    }

    pub fn check(&self, rule: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.rule == rule)
    }
}
