//! Writing a report in the chosen format, and the exit code that goes with it.

use std::io::{self, Write};
use std::process::ExitCode;

use wsus_doctor_core::Report;

use crate::inputs::ReadProblems;
use crate::text;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// One ECS-shaped JSON record per finding and a `state` record per machine (as `fleet --format ndjson`)
    Ndjson,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Write the report to stdout, the read problems to stderr; the exit code: 2 when something
/// could not be read or written, 1 when the report has errors, else 0.
pub fn emit(report: &Report, format: Format, color: ColorArg, problems: &ReadProblems) -> ExitCode {
    let out = io::stdout();
    let res = match format {
        Format::Json => serde_json::to_writer_pretty(out.lock(), report).map_err(io::Error::from).and_then(|_| writeln!(out.lock())),
        Format::Ndjson => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
            let host = crate::fleet::discover::host_of(report);
            let notes: Vec<String> = problems.unreadable.iter().chain(&problems.skipped).cloned().collect();
            out.lock().write_all(wsus_doctor_core::ecs::ndjson(report, &host, &notes, &wsus_doctor_core::ecs::rfc3339(now)).as_bytes())
        }
        Format::Markdown => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
            let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute(now));
            out.lock().write_all(wsus_doctor_core::render::markdown(report, Some(&stamp)).as_bytes())
        }
        Format::Text => {
            let choice = match color {
                ColorArg::Always => anstream::ColorChoice::Always,
                ColorArg::Never => anstream::ColorChoice::Never,
                ColorArg::Auto => anstream::ColorChoice::Auto,
            };
            let mut stream = anstream::AutoStream::new(out.lock(), choice);
            text::render(&mut stream, report)
        }
    };
    let res = res.and_then(|_| io::stdout().lock().flush());
    let mut write_failed = false;
    if let Err(e) = res {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("wsus-doctor: cannot write the report: {e}");
            write_failed = true;
        }
    }
    for u in &problems.unreadable {
        eprintln!("wsus-doctor: {}", text::inert(u));
    }
    for s in &problems.skipped {
        eprintln!("wsus-doctor: note: {}", text::inert(s));
    }
    let input_errors = report.inputs.iter().filter(|i| i.error.is_some()).count();
    if write_failed || !problems.unreadable.is_empty() || input_errors > 0 || report.inputs.is_empty() {
        ExitCode::from(2)
    } else if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
