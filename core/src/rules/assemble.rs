//! Report assembly: run the catalogue, turn outcomes into findings and checks, and order the
//! findings so a cause comes before the symptoms it explains (which name it in `caused_by`).

use super::{run_all, Context, Outcome};
use crate::facts::Facts;
use crate::report::{Check, CheckStatus, Finding, InputSummary, Report};

/// A fired rule's diagnosis as a finding (the cause, if any, is set when ordering).
fn to_finding(rule: &super::Rule, d: super::Diagnosis) -> Finding {
    Finding {
        rule: rule.id.to_string(),
        severity: d.severity.unwrap_or(rule.severity),
        title: rule.title.to_string(),
        detail: d.detail,
        evidence: d.evidence,
        remedy: d.remedy,
        references: vec![rule.article.reference().to_string()],
        caused_by: None,
        machine: None,
    }
}

/// One rule's finding on `facts`, alone (for checks across machines' diagnoses).
pub fn finding_of(rule: &super::Rule, facts: &Facts) -> Option<Finding> {
    let Outcome::Fired(d) = (rule.check)(&Context::new(facts)) else { return None };
    let mut f = to_finding(rule, d);
    mark_records(f.evidence.iter_mut(), &facts.record_inputs);
    Some(f)
}

/// Run every rule over `facts` and build the report.
pub fn report(facts: &Facts, inputs: Vec<InputSummary>) -> Report {
    let ctx = Context::new(facts);
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for (rule, outcome) in run_all(&ctx) {
        let (status, hint) = match outcome {
            Outcome::Fired(d) => {
                findings.push(to_finding(rule, d));
                (CheckStatus::Fired, None)
            }
            Outcome::Passed => (CheckStatus::Passed, None),
            Outcome::NotRun(h) => (CheckStatus::NotRun, Some(h)),
        };
        checks.push(Check { rule: rule.id.to_string(), status, needs: rule.needs.to_vec(), hint });
    }
    let mut timeline = facts.timeline.finish();
    mark_records(
        findings.iter_mut().flat_map(|f| f.evidence.iter_mut()).chain(timeline.cells.iter_mut().map(|c| &mut c.first)),
        &facts.record_inputs,
    );
    order_findings(&mut findings);
    let modes = if facts.kinds.is_empty() && facts.implied_kinds.is_empty() { Vec::new() } else { vec![ctx.mode.clone()] };
    Report { version: 1, inputs, findings, checks, machines: Vec::new(), modes, timeline }
}

/// Evidence from a binary input cites a record number, not a line: say so once, here, rather
/// than in every reader.
fn mark_records<'a>(evidence: impl Iterator<Item = &'a mut crate::report::Evidence>, record_inputs: &[String]) {
    if record_inputs.is_empty() {
        return;
    }
    for e in evidence {
        e.record = record_inputs.contains(&e.input);
    }
}

/// Severity first, catalogue order within a severity; a symptom follows its cause and names it.
fn order_findings(findings: &mut Vec<Finding>) {
    let fired: Vec<String> = findings.iter().map(|f| f.rule.clone()).collect();
    for f in findings.iter_mut() {
        let causes = super::find(&f.rule).map(|r| r.caused_by).unwrap_or(&[]);
        if let Some(cause) = causes.iter().find(|c| fired.iter().any(|r| r == c.id)) {
            f.caused_by = Some(cause.id.to_string());
        }
    }
    findings.sort_by_key(|f| f.severity); // stable: catalogue order within a severity
    let mut rest = std::mem::take(findings);
    /// Move every finding caused by `rule` (and, recursively, theirs) to `out`.
    fn place_symptoms(rule: &str, rest: &mut Vec<Finding>, out: &mut Vec<Finding>) {
        while let Some(i) = rest.iter().position(|f| f.caused_by.as_deref() == Some(rule)) {
            let f = rest.remove(i);
            let id = f.rule.clone();
            out.push(f);
            place_symptoms(&id, rest, out);
        }
    }
    while !rest.is_empty() {
        // roots first; if only linked findings remain (a cycle), take the first
        let i = rest.iter().position(|f| f.caused_by.is_none()).unwrap_or(0);
        let f = rest.remove(i);
        let id = f.rule.clone();
        findings.push(f);
        place_symptoms(&id, &mut rest, findings);
    }
}
