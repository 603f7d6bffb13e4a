//! The text report: reads like a compiler diagnostic (severity[rule]: title, `--> file:line`,
//! the line itself, then numbered remedy steps).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use wsus_doctor_core::{CheckStatus, Report, Severity};

fn sev_style(s: Severity) -> Style {
    let c = match s {
        Severity::Critical => AnsiColor::Magenta,
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const BLUE: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue))).bold();

pub fn render(o: &mut dyn Write, report: &Report) -> io::Result<()> {
    for i in &report.inputs {
        match &i.error {
            Some(e) => writeln!(o, "{}error{}: {}", sev_style(Severity::Error), sev_style(Severity::Error).render_reset(), inert(e))?,
            None => {
                let kind = i.kind.map(|k| k.name()).unwrap_or("unknown");
                let unrec = if i.unrecognised > 0 { format!(", {} not recognised", i.unrecognised) } else { String::new() };
                let what = match i.format.as_deref() {
                    Some("zip") => format!("zip bundle, {} member(s)", i.lines),
                    Some("etl") => format!("{kind}, ETL trace, {} events", i.lines),
                    Some("evtx") => format!("{kind}, event log, {} events", i.lines),
                    Some(f) => format!("{kind}, {f}, {} records", i.lines),
                    None => format!("{kind}, {} lines", i.lines),
                };
                writeln!(o, "{DIM}read{DIM:#} {}: {what}{unrec}", inert(&i.name))?;
                for s in &i.sections {
                    writeln!(o, "  {DIM}section{DIM:#} lines {}-{}: {}", s.first_line, s.last_line, s.kind)?;
                }
                for n in &i.notes {
                    writeln!(o, "  {BLUE}note{BLUE:#}: {}", inert(n))?;
                }
            }
        }
    }
    if !report.machines.is_empty() {
        writeln!(
            o,
            "{BLUE}machines{BLUE:#}: {} (the inputs came from {} machines' folders: each was diagnosed apart; the shared files, e.g. the server's logs, count for all)",
            inert(&report.machines.join(", ")),
            report.machines.len()
        )?;
    }
    for m in &report.modes {
        writeln!(o, "{BLUE}mode{BLUE:#}: {}", inert(&m.summary()))?;
    }
    writeln!(o)?;
    for f in &report.findings {
        let st = sev_style(f.severity);
        let on = f.machine.as_deref().map(|m| format!(" {BOLD}on {}{BOLD:#}", inert(m))).unwrap_or_default();
        writeln!(o, "{st}{}[{}]{st:#}{on}{BOLD}: {}{BOLD:#}", f.severity.name(), f.rule, f.title)?;
        let width = f.evidence.iter().map(|e| e.line.to_string().len()).max().unwrap_or(1);
        let pad = " ".repeat(width);
        for e in &f.evidence {
            writeln!(o, "{pad}{BLUE}-->{BLUE:#} {}", inert(&e.location()))?;
            writeln!(o, "{BLUE}{:>width$} |{BLUE:#} {}", e.line, inert(&e.text))?;
        }
        for (n, line) in f.detail.lines().enumerate() {
            let lead = if n == 0 { "= " } else { "  " };
            writeln!(o, "{pad} {BLUE}{lead}{BLUE:#}{}", inert(line))?;
        }
        if let Some(c) = &f.caused_by {
            writeln!(o, "{pad} {BLUE}={BLUE:#} {BOLD}probably caused by{BOLD:#} [{c}] above")?;
        }
        if !f.remedy.is_empty() {
            writeln!(o, "{pad} {BLUE}={BLUE:#} {BOLD}remedy{BOLD:#}:")?;
            for (n, step) in f.remedy.iter().enumerate() {
                writeln!(o, "{pad}   {:>2}. {}", n + 1, inert(step))?;
            }
        }
        for r in &f.references {
            writeln!(o, "{pad} {BLUE}={BLUE:#} source: {r}")?;
        }
        writeln!(o)?;
    }
    if report.nothing_read() {
        writeln!(o, "{BOLD}nothing read{BOLD:#}: {}", report.nothing_read_message())?;
    }
    let count = |s| report.findings.iter().filter(|f| f.severity == s).count();
    let passed = report.checks.iter().filter(|c| c.status == CheckStatus::Passed).count();
    let not_run: Vec<_> = report.checks.iter().filter(|c| c.status == CheckStatus::NotRun).collect();
    let critical = match count(Severity::Critical) {
        0 => String::new(),
        n => format!("{n} critical, "),
    };
    writeln!(
        o,
        "{BOLD}summary{BOLD:#}: {critical}{} error(s), {} warning(s), {} info; {} rule(s) passed, {} could not run",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        passed,
        not_run.len()
    )?;
    for (hint, rules) in report.not_run_by_hint() {
        writeln!(o, "  {DIM}not run{DIM:#} {}: {}", rules.join(", "), inert(hint))?;
    }
    let first = wsus_doctor_core::fix_first(report);
    if !first.is_empty() {
        writeln!(o, "{BOLD}fix first{BOLD:#}:")?;
        for (n, c) in first.roots.iter().enumerate() {
            let st = sev_style(c.severity);
            let explains = match c.explains.len() {
                0 => String::new(),
                k => format!(" (probably explains {k} more finding(s))"),
            };
            let on = c.machine.as_deref().map(|m| format!(" on {}", inert(m))).unwrap_or_default();
            writeln!(o, "  {}. {st}[{}]{st:#}{on} {}{explains}", n + 1, c.rule, c.title)?;
            writeln!(o, "     first: {}", inert(&c.first_step))?;
        }
        if first.more > 0 {
            writeln!(o, "  and {} more root cause(s) above", first.more)?;
        }
    }
    Ok(())
}

/// Evidence made safe for a terminal: control characters (C0, DEL, C1), bidirectional overrides
/// and invisible characters are shown as `\x1B` / `\u{202E}` escapes instead of acting on the
/// terminal; tabs become four spaces.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    wsus_doctor_core::inert::visible(s, "    ")
}
