//! `wsus-doctor fleet`: a whole collection share at once. Machines are found by
//! [`discover`], diagnosed apart and in parallel by [`run`], written as they finish (NDJSON
//! records or CSV rows) and summed up in a fleet [`summary`]: causes ranked by machines
//! affected, the server's findings once, unreadable machines, management modes.

pub mod csv;
pub mod discover;
mod identity;
mod progress;
mod run;
pub mod summary;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use wsus_doctor_core::InputKind;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FleetFormat {
    /// The fleet summary for a terminal
    Text,
    /// The fleet summary as Markdown
    Markdown,
    /// The fleet summary as JSON
    Json,
    /// One ECS-shaped JSON record per finding and one `state` record per machine, as machines finish
    Ndjson,
    /// One row per machine and cause
    Csv,
}

#[derive(clap::Args)]
pub struct FleetArgs {
    /// Collection folders or zips: one folder or .zip per machine, at any depth; the WSUS
    /// server's logs beside them are read once for all
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format: a summary (text, markdown, json) or records streamed per machine (ndjson, csv)
    #[arg(long, short, value_enum, default_value_t = FleetFormat::Text)]
    pub format: FleetFormat,
    /// Worker threads (default: every core)
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Also write the fleet summary as JSON to this file (with --format ndjson or csv)
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Read every input as this kind instead of detecting it
    #[arg(long, value_enum)]
    pub kind: Option<InputKind>,
    /// Refuse inputs larger than this (e.g. 500MB, 2GB); default: no limit
    #[arg(long, value_parser = wsus_doctor_core::parse_size)]
    pub max_size: Option<u64>,
    /// Replace host names, domains, IP addresses, user names and client ids with aliases
    /// (host-0001, ip-0007) that are the same in every machine's records, so the output can be
    /// shared outside the organisation and still correlates
    #[arg(long)]
    pub redact: bool,
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Run the fleet; exit 0 when no machine has an error finding, 1 when some do, 2 when a path
/// could not be read, no machine was found, or the output could not be written.
pub fn fleet(args: FleetArgs) -> ExitCode {
    let found = discover::discover(&args.paths);
    for u in &found.unreadable {
        eprintln!("wsus-doctor: {}", crate::text::inert(u));
    }
    if found.machines.is_empty() && found.server.is_empty() {
        eprintln!("wsus-doctor: no machine folder or zip found under the paths given");
        return ExitCode::from(2);
    }
    let jobs = args.jobs.filter(|&j| j > 0).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    progress::catch_ctrl_c();
    let opts = run::Options {
        format: args.format,
        kind: args.kind,
        max_size: args.max_size,
        timestamp: wsus_doctor_core::ecs::rfc3339(now()),
        redact: args.redact.then(|| std::sync::Mutex::new(wsus_doctor_core::redact::Aliases::default())),
    };

    // the writer thread writes: `Stdout` (not its lock) can move there; the buffer keeps locking rare
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut write_error: Option<io::Error> = None;
    let mut write = |s: &str| {
        if write_error.is_none() {
            if let Err(e) = out.write_all(s.as_bytes()) {
                write_error = Some(e);
            }
        }
    };
    if args.format == FleetFormat::Csv {
        write(csv::HEADER);
    }
    let mut tally = summary::Tally::default();
    tally.machines = found.machines.len();
    // the server first: its name becomes the first alias of a redacted run
    run::server(&found.server, &opts, &mut write, &mut tally);
    for s in &found.skipped {
        let mut s = s.clone();
        opts.redact(&mut wsus_doctor_core::Report::default(), &[], &mut [&mut s]);
        tally.note(s);
    }
    let stopped = run::machines(&found.machines, jobs, &opts, &mut write, &mut tally).map(|done| {
        format!("stopped by Ctrl-C: {done} of {} machine(s) diagnosed and written; the others were not read", found.machines.len())
    });
    if let Some(s) = &stopped {
        eprintln!("wsus-doctor: {s}");
    }
    let has_errors = tally.has_errors;
    let summary = tally.finish(stopped);
    let res = match args.format {
        FleetFormat::Json => serde_json::to_writer_pretty(&mut out, &summary).map_err(io::Error::from).and_then(|_| writeln!(out)),
        FleetFormat::Text => summary::text(&summary, &mut out),
        FleetFormat::Markdown => summary::markdown(&summary, &format!("Generated {}", wsus_doctor_core::time::utc_minute(now())), &mut out),
        FleetFormat::Ndjson | FleetFormat::Csv => Ok(()),
    };
    let res = match write_error {
        Some(e) => Err(e),
        None => res.and_then(|_| out.flush()),
    };
    let mut failed = false;
    if let Err(e) = res {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("wsus-doctor: cannot write the output: {e}");
            failed = true;
        }
    }
    if let Some(path) = &args.summary {
        let written = std::fs::File::create(path).and_then(|f| {
            let mut w = io::BufWriter::new(f);
            serde_json::to_writer_pretty(&mut w, &summary)?;
            writeln!(w)?;
            w.flush()
        });
        if let Err(e) = written {
            eprintln!("wsus-doctor: cannot write the summary to {}: {e}", path.display());
            failed = true;
        }
    }
    if failed || !found.unreadable.is_empty() {
        ExitCode::from(2)
    } else if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
