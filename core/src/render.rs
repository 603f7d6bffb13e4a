//! Plain renderings of a report that every face shares: Markdown (for tickets) and text.
//! Colour is the CLI's business; the web page renders HTML from the same report.

use std::fmt::Write;

use crate::report::{CheckStatus, Report};

/// Markdown for pasting into a ticket.
pub fn markdown(report: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# WSUS Doctor report\n");
    let _ = writeln!(o, "## Inputs\n");
    let _ = writeln!(o, "| input | kind | lines | not recognised |\n| --- | --- | ---: | ---: |");
    for i in &report.inputs {
        let kind = i.kind.map(|k| k.name()).unwrap_or("unreadable");
        let _ = writeln!(o, "| {} | {} | {} | {} |", md_cell(&i.name), kind, i.lines, i.unrecognised);
    }
    for i in &report.inputs {
        if let Some(e) = &i.error {
            let _ = writeln!(o, "\n> **{}**: {}", md_cell(&i.name), e);
        }
        for n in &i.notes {
            let _ = writeln!(o, "\n- {}: {}", md_cell(&i.name), n);
        }
    }
    let _ = writeln!(o, "\n## Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(o, "No problems found by the rules that could run.");
    }
    for f in &report.findings {
        let _ = writeln!(o, "### {} `{}`: {}\n", f.severity.name().to_uppercase(), f.rule, f.title);
        if let Some(c) = &f.caused_by {
            let _ = writeln!(o, "_Likely a consequence of `{c}` above._\n");
        }
        let _ = writeln!(o, "{}\n", f.detail.replace('\n', "  \n"));
        if !f.evidence.is_empty() {
            let _ = writeln!(o, "Evidence:\n\n```text");
            for e in &f.evidence {
                let _ = writeln!(o, "{}: {}", e.location(), e.text.replace("```", "'''"));
            }
            let _ = writeln!(o, "```\n");
        }
        if !f.remedy.is_empty() {
            let _ = writeln!(o, "Remedy:\n");
            for (n, step) in f.remedy.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", n + 1, step);
            }
            let _ = writeln!(o);
        }
        for r in &f.references {
            let _ = writeln!(o, "Source: {r}\n");
        }
    }
    let _ = writeln!(o, "## Checks\n\n| rule | result | note |\n| --- | --- | --- |");
    for c in &report.checks {
        let status = match c.status {
            CheckStatus::Fired => "fired",
            CheckStatus::Passed => "passed",
            CheckStatus::NotRun => "not run",
        };
        let _ = writeln!(o, "| `{}` | {} | {} |", c.rule, status, md_cell(c.hint.as_deref().unwrap_or("")));
    }
    o
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
