//! The fleet view leaving the page: Markdown (causes ranked by machines, then each machine) and
//! CSV (one row per machine and cause, for a spreadsheet).

use super::Table;

/// CSV: `machine,mode,rule,severity,title`; a machine with no cause gets one row, rule empty.
pub fn csv(t: &Table) -> String {
    let mut out = String::from("machine,mode,rule,severity,title\r\n");
    for r in &t.rows {
        if r.causes.is_empty() {
            out.push_str(&format!("{},{},,,\r\n", field(&r.machine), field(&r.mode)));
        }
        for c in &r.causes {
            out.push_str(&format!(
                "{},{},{},{},{}\r\n",
                field(&r.machine),
                field(&r.mode),
                field(&c.rule),
                c.severity.name(),
                field(&c.title)
            ));
        }
    }
    out
}

/// A CSV field: quoted when it holds a separator or quote; a leading `= + - @` is prefixed with
/// `'` so a spreadsheet does not run it as a formula (names come from the evidence).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Markdown: the causes ranked by machines affected, the server's findings, then each machine.
pub fn markdown(t: &Table, stamp: &str) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut out = format!("# WSUS Doctor: fleet of {} machines\n\n{stamp}\n\n## Causes by machines affected\n\n", t.rows.len());
    out.push_str("| Cause | Severity | Machines |\n|---|---|---|\n");
    for c in &t.columns {
        out.push_str(&format!("| {} (`{}`) | {} | {} |\n", cell(&c.title), c.rule, c.severity.name(), c.machines));
    }
    if !t.server.is_empty() {
        out.push_str("\n## The server's own findings\n\n");
        for c in &t.server {
            out.push_str(&format!("- {}: {} (`{}`)\n", c.severity.name(), cell(&c.title), c.rule));
        }
    }
    out.push_str("\n## Machines\n\n| Machine | Mode | Causes |\n|---|---|---|\n");
    for r in &t.rows {
        let causes: Vec<String> = r.causes.iter().map(|c| format!("`{}`", c.rule)).collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(&r.machine),
            cell(&r.mode),
            if causes.is_empty() { "none".into() } else { causes.join(", ") }
        ));
    }
    out
}
