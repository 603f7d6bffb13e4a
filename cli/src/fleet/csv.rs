//! One CSV row per machine and cause, for the spreadsheet admins send upward. Cells are quoted
//! as RFC 4180 says, evidence shown inert, and a cell a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`) gets a leading `'`: evidence is written by whoever
//! controls the client.

use wsus_doctor_core::ecs;

use super::summary::MachineSummary;

pub const HEADER: &str = "machine,mode,status,rule,severity,title,error_code,first_step,evidence\r\n";

/// One cell, quoted when it must be, never a formula.
pub fn cell(s: &str) -> String {
    let mut v = wsus_doctor_core::inert::visible(s, " ").into_owned();
    if v.starts_with(['=', '+', '-', '@']) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\n', '\r']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn row(out: &mut String, cells: &[&str]) {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// The rows of one machine: a row per cause, or one row saying it has none or could not be read.
pub fn rows(out: &mut String, m: &MachineSummary, findings: &[&wsus_doctor_core::Finding]) {
    if let Some(why) = &m.unreadable {
        return row(out, &[&m.name, m.mode, "unreadable", "", "", why, "", "", ""]);
    }
    let causes: Vec<&&wsus_doctor_core::Finding> = findings.iter().filter(|f| ecs::is_cause(f)).collect();
    if causes.is_empty() {
        return row(out, &[&m.name, m.mode, "no cause found", "", "", "", "", "", ""]);
    }
    for f in causes {
        let code = ecs::first_code(f).map(|c| format!("0x{c:08X}")).unwrap_or_default();
        let ev = f.evidence.first().map(|e| format!("{}: {}", e.location(), e.text)).unwrap_or_default();
        row(
            out,
            &[&m.name, m.mode, "cause", &f.rule, f.severity.name(), &f.title, &code, f.remedy.first().map_or("", String::as_str), &ev],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("line\nbreak\u{1b}"), "line\\x0Abreak\\x1B");
    }
}
