//! `wsus-doctor`: the command-line face of WSUS Doctor. Flags and glue only: reading files in
//! chunks, handing them to the core, and printing its report.

mod text;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use wsus_doctor_core::{codes, rules, InputKind, Limits, MachineAnalysis};

#[derive(Parser)]
#[command(
    name = "wsus-doctor",
    version,
    about = "Diagnose WSUS clients and servers from their logs, traces, event logs and registry exports",
    after_long_help = wsus_doctor_core::collect::help_text()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Diagnose evidence: WindowsUpdate.log, ETL traces, event logs, ReportingEvents.log, WSUS IIS
    /// logs, registry exports, folders and .zip bundles of them (several at once)
    #[command(after_long_help = wsus_doctor_core::collect::help_text())]
    Diagnose {
        /// Files to read: logs, .reg/reg query exports, .etl traces, .evtx event logs, .zip bundles.
        /// A folder means every file in it and its subfolders (W3SVC1, C:\Windows\Logs\WindowsUpdate,
        /// a whole collection folder); `-` reads standard input
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Read every input as this kind instead of detecting it
        #[arg(long, value_enum)]
        kind: Option<InputKind>,
        /// Refuse inputs larger than this (e.g. 500MB, 2GB); default: no limit
        #[arg(long, value_parser = wsus_doctor_core::parse_size)]
        max_size: Option<u64>,
        /// Colour: auto (terminal only, never with NO_COLOR), always or never
        #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
        color: ColorArg,
    },
    /// List every rule
    Rules,
    /// Explain one rule
    Explain {
        /// Rule id, e.g. selfupdate-not-found
        rule: String,
    },
    /// Decode a Windows Update error code (0x80244019, 80244019 or -2145107943)
    Code {
        #[arg(allow_hyphen_values = true)]
        code: String,
    },
    /// List every code WSUS Doctor knows, one a line: hex, symbol, blame, meaning
    Codes,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Read size: large enough to amortise syscalls, small enough to keep memory flat.
const CHUNK: usize = 1 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagnose { files, format, kind, max_size, color } => diagnose(&files, format, kind, max_size, color),
        Command::Rules => {
            let mut out = io::stdout().lock();
            for r in rules::CATALOGUE {
                let needs: Vec<&str> = r.needs.iter().map(|k| k.name()).collect();
                let _ = writeln!(out, "{:<27} {:<8} {}  [{}; {}]", r.id, r.severity.name(), r.title, needs.join(" or "), r.article.short());
            }
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(r) => {
                let needs: Vec<&str> = r.needs.iter().map(|k| k.name()).collect();
                println!(
                    "{} ({})\n{}\n\n{}\n\nReads: {}\nSource: {}",
                    r.id,
                    r.severity.name(),
                    r.title,
                    r.explain,
                    needs.join(" or "),
                    r.article.reference()
                );
                println!("\nExample evidence that makes it fire:\n");
                for line in r.example.fires.lines() {
                    println!("    {}", text::inert(line));
                }
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("wsus-doctor: no rule named '{rule}'; `wsus-doctor rules` lists them");
                ExitCode::from(2)
            }
        },
        Command::Code { code } => match codes::parse_code(&code) {
            Some(c) => match codes::lookup(c) {
                Some(e) => {
                    let http = e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                    println!("{} {}{}: {}", e.hex(), e.name, http, e.meaning);
                    println!("blame: {}", e.blame.name());
                    ExitCode::SUCCESS
                }
                None => {
                    println!("0x{c:08X}: not a Windows Update, WinHTTP or BITS code WSUS Doctor knows");
                    ExitCode::from(1)
                }
            },
            None => {
                eprintln!("wsus-doctor: '{code}' is not an error code (try 0x80244019)");
                ExitCode::from(2)
            }
        },
        Command::Codes => {
            let mut out = io::stdout().lock();
            for e in codes::all() {
                if writeln!(out, "{}  {}  {}  {}", e.hex(), e.name, e.blame.name(), e.meaning).is_err() {
                    break; // a closed pipe (`| head`) ends the listing
                }
            }
            ExitCode::SUCCESS
        }
    }
}

/// How deep a dropped folder is walked (a collection folder holds a few levels, not dozens).
const MAX_DEPTH: usize = 8;

/// A folder stands for the files in it and in its subfolders, sorted by path (a W3SVC1 folder of
/// daily IIS logs; `C:\Windows\Logs\WindowsUpdate`, whose trace names sort by time; a whole
/// collection folder). What is not a regular file is said, not silently dropped.
fn expand_dirs(paths: &[PathBuf], unreadable: &mut Vec<String>, skipped: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() != "-" && p.is_dir() {
            let before = out.len();
            walk(p, 0, &mut out, unreadable, skipped);
            if out.len() == before {
                unreadable.push(format!("{}: the folder holds no files", p.display()));
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &std::path::Path, depth: usize, out: &mut Vec<PathBuf>, unreadable: &mut Vec<String>, skipped: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return unreadable.push(format!("{}: cannot read the folder: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        // metadata() follows symbolic links: a link to a file is read, a dangling one is said
        match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => out.push(p),
            Ok(m) if m.is_dir() => {
                if std::fs::symlink_metadata(&p).is_ok_and(|l| l.file_type().is_symlink()) {
                    skipped.push(format!("{}: a link to a folder, not followed", p.display()));
                } else if depth + 1 >= MAX_DEPTH {
                    skipped.push(format!("{}: deeper than {MAX_DEPTH} folder levels, not read", p.display()));
                } else {
                    walk(&p, depth + 1, out, unreadable, skipped);
                }
            }
            Ok(_) => skipped.push(format!("{}: not a regular file (a pipe, socket or device), not read", p.display())),
            Err(e) => skipped.push(format!("{}: skipped: {e}", p.display())),
        }
    }
}

fn diagnose(files: &[PathBuf], format: Format, kind: Option<InputKind>, max_size: Option<u64>, color: ColorArg) -> ExitCode {
    let mut unreadable = Vec::new();
    let mut skipped = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    let paths = expand_dirs(files, &mut unreadable, &mut skipped);
    let display = |p: &PathBuf| if p.as_os_str() == "-" { "stdin".to_string() } else { p.display().to_string() };
    let names: Vec<String> = paths.iter().map(display).collect();
    // several machines' folders: each machine is diagnosed apart (client facts never mixed)
    let mut analysis = MachineAnalysis::new(Limits { max_input_bytes: max_size }, &names.iter().map(String::as_str).collect::<Vec<_>>());
    for path in paths {
        let path = &path;
        let name = display(path);
        let mut reader: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    unreadable.push(format!("{name}: cannot open: {e}"));
                    continue;
                }
            }
        };
        let id = analysis.add_input(&name, kind);
        if let Some(meta) = std::fs::metadata(path).ok().filter(|m| m.is_file()) {
            analysis.declare_size(id, meta.len());
        }
        // stop at the limit: `/dev/zero` or `yes |` must not be read forever
        while !analysis.refused(id) {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => analysis.feed(id, &buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    unreadable.push(format!("{name}: read failed: {e}"));
                    break;
                }
            }
        }
        analysis.finish_input(id);
    }
    let report = analysis.finish();
    let out = io::stdout();
    let res = match format {
        Format::Json => serde_json::to_writer_pretty(out.lock(), &report).map_err(io::Error::from).and_then(|_| writeln!(out.lock())),
        Format::Markdown => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
            let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute(now));
            out.lock().write_all(wsus_doctor_core::render::markdown(&report, Some(&stamp)).as_bytes())
        }
        Format::Text => {
            let choice = match color {
                ColorArg::Always => anstream::ColorChoice::Always,
                ColorArg::Never => anstream::ColorChoice::Never,
                ColorArg::Auto => anstream::ColorChoice::Auto,
            };
            let mut stream = anstream::AutoStream::new(out.lock(), choice);
            text::render(&mut stream, &report)
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
    for u in &unreadable {
        eprintln!("wsus-doctor: {}", text::inert(u));
    }
    for s in &skipped {
        eprintln!("wsus-doctor: note: {}", text::inert(s));
    }
    let input_errors = report.inputs.iter().filter(|i| i.error.is_some()).count();
    if write_failed || !unreadable.is_empty() || input_errors > 0 || report.inputs.is_empty() {
        ExitCode::from(2)
    } else if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
