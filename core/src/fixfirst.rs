//! "Fix first": the one or two root causes of a report, each with its first remedy step, for
//! the top of every face (page, terminal, Markdown). Derived from the findings only, so it can
//! never say something the findings below it do not.

use serde::Serialize;

use crate::report::{Finding, Report, Severity};

/// A rule that lists symptoms (error codes) rather than naming a cause: it leads the summary
/// only when nothing else does.
const SYMPTOM_LISTS: &[&str] = &["wu-error-codes"];

pub use crate::caps::MAX_ROOTS;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCause {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    /// The step to take first, as the finding words it (values filled in).
    pub first_step: String,
    /// Findings this one probably explains (directly or through another), in report order.
    pub explains: Vec<String>,
    /// The machine, when the report covers several.
    pub machine: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FixFirst {
    pub roots: Vec<RootCause>,
    /// Root causes past [`MAX_ROOTS`], counted so the summary says it is not the whole story.
    pub more: usize,
}

impl FixFirst {
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}

/// The findings worth fixing first: errors and warnings that no other finding explains.
pub fn fix_first(report: &Report) -> FixFirst {
    let mut roots: Vec<&Finding> = report.findings.iter().filter(|f| f.caused_by.is_none() && f.severity != Severity::Info).collect();
    if roots.iter().any(|f| !SYMPTOM_LISTS.contains(&f.rule.as_str())) {
        roots.retain(|f| !SYMPTOM_LISTS.contains(&f.rule.as_str()));
    }
    roots.sort_by_key(|f| f.severity); // stable: the report's order within a severity
    let more = roots.len().saturating_sub(MAX_ROOTS);
    let roots = roots
        .into_iter()
        .take(MAX_ROOTS)
        .map(|f| {
            let steps = &f.remedy;
            // a symptom list's first step points at the other findings; its own advice is last
            let step = if SYMPTOM_LISTS.contains(&f.rule.as_str()) { steps.last() } else { steps.first() };
            RootCause {
                rule: f.rule.clone(),
                severity: f.severity,
                title: f.title.clone(),
                first_step: step.cloned().unwrap_or_default(),
                explains: explained_by(report, f),
                machine: f.machine.clone(),
            }
        })
        .collect();
    FixFirst { roots, more }
}

/// Every finding of the same machine whose chain of `caused_by` leads to `root` (chains are
/// short; cycles stop).
fn explained_by(report: &Report, root: &Finding) -> Vec<String> {
    let same = |f: &&Finding| f.machine == root.machine;
    let by_rule = |r: &str| report.findings.iter().filter(same).find(|g| g.rule == r);
    let leads_to = |f: &Finding| {
        let mut at = f.caused_by.as_deref();
        for _ in 0..report.findings.len() {
            match at {
                Some(r) if r == root.rule => return true,
                Some(r) => at = by_rule(r).and_then(|g| g.caused_by.as_deref()),
                None => return false,
            }
        }
        false
    };
    report.findings.iter().filter(same).filter(|f| leads_to(f)).map(|f| f.rule.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Input};

    fn report(inputs: &[(&str, &[u8])]) -> Report {
        let inputs: Vec<Input> = inputs.iter().map(|(name, bytes)| Input { name, bytes, kind: None }).collect();
        diagnose(&inputs)
    }

    #[test]
    fn the_cause_leads_and_counts_its_symptoms() {
        let r = report(&[
            ("WindowsUpdate.log", include_bytes!("../../examples/xp-selfupdate-port80/WindowsUpdate.log")),
            ("client-policy.reg", include_bytes!("../../examples/xp-selfupdate-port80/client-policy.reg")),
            ("u_ex091214.log", include_bytes!("../../examples/xp-selfupdate-port80/u_ex091214-port80.log")),
        ]);
        let s = fix_first(&r);
        assert_eq!(s.roots[0].rule, "selfupdate-needs-port-80");
        assert!(s.roots[0].first_step.contains("wsus01"), "{}", s.roots[0].first_step);
        assert!(s.roots[0].explains.contains(&"selfupdate-not-found".to_string()));
        assert!(s.roots[0].explains.contains(&"wu-error-codes".to_string()), "through selfupdate-not-found");
        assert!(s.roots.iter().all(|c| c.severity != Severity::Info && c.rule != "wu-error-codes"));
    }

    #[test]
    fn codes_alone_lead_with_their_own_advice_and_prose_has_none() {
        let r = report(&[(
            "WindowsUpdate.log",
            b"2009-12-14\t09:08:00:000\t 996\te18\tAgent\tWARNING: Failed to find updates with error code 8024000e\r\n",
        )]);
        let s = fix_first(&r);
        assert_eq!(s.roots.len(), 1, "{s:?}");
        assert!(s.roots[0].first_step.contains("wsus-doctor code"), "{}", s.roots[0].first_step);
        assert!(fix_first(&report(&[("note.txt", b"Hi, our clients stopped reporting.")])).is_empty());
    }
}
