//! Plain renderings of a report that every face shares: Markdown (for tickets) and text.
//! Colour is the CLI's business; the web page renders HTML from the same report.
//!
//! Evidence is hostile input, and a Markdown ticket is rendered to HTML by whatever tracker it
//! lands in: everything that comes from evidence or names (and the tool's own text, which
//! quotes it) is escaped so it shows as the characters it is. Text gets the marks that make
//! markup backslash-escaped (CommonMark: an escaped mark is literal, so no tag, link, entity,
//! emphasis or block marker can form); code spans and fences are made longer than any run of
//! backticks inside them; control characters are shown as `\x1B`-style escapes.

use std::fmt::Write;

use crate::fixfirst::fix_first;
use crate::report::{CheckStatus, Report, Severity};

/// Markdown for pasting into a ticket.
/// `generated` is the caller's clock (the core has none), e.g. `2026-11-24 10:02 UTC`.
pub fn markdown(report: &Report, generated: Option<&str>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# WSUS Doctor report\n");
    let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = report.findings.iter().filter(|f| f.severity == Severity::Warning).count();
    let critical = report.findings.iter().filter(|f| f.severity == Severity::Critical).count();
    let critical = if critical > 0 { format!("{critical} critical, ") } else { String::new() };
    let _ = writeln!(
        o,
        "{}{} input(s); {critical}{} error(s), {} warning(s), {} finding(s) in all.\n",
        generated.map(|g| format!("{}. ", text(g))).unwrap_or_default(),
        report.inputs.len(),
        errors,
        warnings,
        report.findings.len()
    );
    if !report.machines.is_empty() {
        let names: Vec<String> = report.machines.iter().map(|m| text(m)).collect();
        let _ = writeln!(o, "Machines: {} (diagnosed apart; shared files such as the server's logs count for all).\n", names.join(", "));
    }
    for m in &report.modes {
        let _ = writeln!(o, "How the machine gets its updates: {}.\n", text(&m.summary()));
    }
    let first = fix_first(report);
    if !first.is_empty() {
        let _ = writeln!(o, "## Fix first\n");
        for (n, c) in first.roots.iter().enumerate() {
            let explains = match c.explains.len() {
                0 => String::new(),
                k => format!(" Probably explains {k} more finding(s)."),
            };
            let _ = writeln!(
                o,
                "{}. **{}** ({}).{explains}  \n   First: {}",
                n + 1,
                text(&c.title),
                code_span(&c.rule),
                with_code_spans(&c.first_step)
            );
        }
        if first.more > 0 {
            let _ = writeln!(o, "\nAnd {} more root cause(s) below.", first.more);
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Inputs\n");
    let _ = writeln!(o, "| input | kind | lines | not recognised |\n| --- | --- | ---: | ---: |");
    for i in &report.inputs {
        let kind = i.kind.map(|k| k.name()).unwrap_or("unreadable");
        let _ = writeln!(o, "| {} | {} | {} | {} |", text(&i.name), kind, i.lines, i.unrecognised);
    }
    for i in &report.inputs {
        if let Some(e) = &i.error {
            let _ = writeln!(o, "\n> **{}**: {}", text(&i.name), text(e));
        }
        for n in &i.notes {
            let _ = writeln!(o, "\n- {}: {}", text(&i.name), text(n));
        }
    }
    let _ = writeln!(o, "\n## Findings\n");
    if report.nothing_read() {
        let _ = writeln!(o, "{}", text(&report.nothing_read_message()));
    } else if report.findings.is_empty() {
        let _ = writeln!(o, "No problems found by the rules that could run.");
    }
    for f in &report.findings {
        let on = f.machine.as_deref().map(|m| format!(" on {}", text(m))).unwrap_or_default();
        let _ = writeln!(o, "### {} {}{on}: {}\n", f.severity.name().to_uppercase(), code_span(&f.rule), text(&f.title));
        if let Some(c) = &f.caused_by {
            let _ = writeln!(o, "_Likely a consequence of {} above._\n", code_span(c));
        }
        let detail: Vec<String> = f.detail.lines().map(text).collect();
        let _ = writeln!(o, "{}\n", detail.join("  \n"));
        if !f.evidence.is_empty() {
            let lines: Vec<String> = f.evidence.iter().map(|e| format!("{}: {}", visible(&e.location()), visible(&e.text))).collect();
            let fence = "`".repeat(longest_backtick_run(&lines.join("\n")).max(2) + 1);
            let _ = writeln!(o, "Evidence:\n\n{fence}text\n{}\n{fence}\n", lines.join("\n"));
        }
        if !f.remedy.is_empty() {
            let _ = writeln!(o, "Remedy:\n");
            for (n, step) in f.remedy.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", n + 1, with_code_spans(step));
            }
            let _ = writeln!(o);
        }
        for r in &f.references {
            let _ = writeln!(o, "Source: {}\n", reference(r));
        }
    }
    let count = |st: CheckStatus| report.checks.iter().filter(|c| c.status == st).count();
    // folded: a ticket stays short, the whole checklist is one click away
    let _ = writeln!(
        o,
        "## Checks\n\n<details><summary>{} rule(s): {} fired, {} passed, {} could not run</summary>\n\n| rule | result | note |\n| --- | --- | --- |",
        report.checks.len(),
        count(CheckStatus::Fired),
        count(CheckStatus::Passed),
        count(CheckStatus::NotRun)
    );
    for c in &report.checks {
        let status = match c.status {
            CheckStatus::Fired => "fired",
            CheckStatus::Passed => "passed",
            CheckStatus::NotRun => "not run",
        };
        let _ = writeln!(o, "| {} | {} | {} |", code_span(&c.rule), status, text(c.hint.as_deref().unwrap_or("")));
    }
    let _ = writeln!(o, "\n</details>");
    o
}

/// Control characters (C0, DEL, C1, and line breaks), bidirectional overrides and invisible
/// characters as visible escapes.
fn visible(s: &str) -> String {
    crate::inert::visible(s, " ").into_owned()
}

/// A rule's own source (the catalogue's text, never evidence): its `https://` addresses stay
/// links, as explicit autolinks; the words around them are escaped like any text.
fn reference(r: &str) -> String {
    let mut out = String::new();
    let mut rest = r;
    let mut first = true;
    while let Some(at) = rest.find("https://") {
        let len = rest[at..].find([' ', ',', ';', '<', '>', '"', '\'', '`']).unwrap_or(rest.len() - at);
        let url = &rest[at..at + len];
        let before = &rest[..at];
        out.push_str(&if first { text(before) } else { escaped_at(&visible(before), false) });
        let _ = write!(out, "<{url}>");
        rest = &rest[at + len..];
        first = false;
    }
    out.push_str(&if first { text(rest) } else { escaped_at(&visible(rest), false) });
    out
}

/// Inline text: visible control characters, every ASCII punctuation mark escaped, leading
/// spaces dropped (four would start a code block).
pub fn text(s: &str) -> String {
    escaped(visible(s).trim_start())
}

/// Marks that make markup anywhere in a line: tags and autolinks, entities, links and images,
/// emphasis, code, tables, escapes. The others (`.`, `:`, `(`, `-`...) only matter at the start
/// of a line, where [`escaped`] escapes any punctuation (and the `.`/`)` of `1.` / `1)`).
const INLINE_MARKS: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '#', '!'];

fn escaped(v: &str) -> String {
    escaped_at(v, true)
}

/// [`escaped`] for text that starts a line (`at_start`) or continues one.
fn escaped_at(v: &str, at_start: bool) -> String {
    let mut out = String::with_capacity(v.len() + v.len() / 8);
    let digits = v.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in v.chars().enumerate() {
        let line_start = at_start && (i == 0 || (i == digits && digits > 0 && matches!(c, '.' | ')')));
        if INLINE_MARKS.contains(&c) || (line_start && c.is_ascii_punctuation()) || breaks_autolink(&out, c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// GitHub turns bare `http://`, `https://`, `ftp://`, `www.` and `name@host` into links: an
/// escaped `:` after the scheme, `.` after `www` and every `@` keep them text (the escapes do
/// not show).
fn breaks_autolink(before: &str, c: char) -> bool {
    let ends_word = |w: &str| {
        before.len() >= w.len()
            && before.is_char_boundary(before.len() - w.len())
            && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
            && !before[..before.len() - w.len()].chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric())
    };
    match c {
        '@' => true,
        ':' => ends_word("http") || ends_word("https") || ends_word("ftp"),
        '.' => ends_word("www"),
        _ => false,
    }
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A code span that shows `s` literally whatever backticks it holds.
fn code_span(s: &str) -> String {
    let v = visible(s);
    let fence = "`".repeat(longest_backtick_run(&v) + 1);
    let pad = if v.starts_with('`') || v.ends_with('`') || v.starts_with(' ') { " " } else { "" };
    format!("{fence}{pad}{v}{pad}{fence}")
}

/// The tool's own remedy text, where `` `...` `` marks commands: those become code spans, the
/// rest is escaped text (it quotes the admin's values, which come from evidence).
fn with_code_spans(step: &str) -> String {
    let parts: Vec<&str> = step.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return text(step); // unbalanced backticks: all of it is text
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| match i {
            0 => text(p),
            _ if i % 2 == 1 => code_span(p),
            _ => escaped(&visible(p)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_inert() {
        assert_eq!(text("W3SVC<site id>"), "W3SVC\\<site id\\>");
        assert_eq!(text("\u{1b}[2J|x"), "\\\\x1B\\[2J\\|x");
        assert_eq!(text("- 1. not a list, (fine): ok"), "\\- 1. not a list, (fine): ok");
        assert_eq!(text("1. first"), "1\\. first");
        assert_eq!(text("    indented"), "indented");
        assert_eq!(code_span("a``b"), "```a``b```");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(with_code_spans("Run `iisreset` on <host>"), "Run `iisreset` on \\<host\\>");
    }
}
