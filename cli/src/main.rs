//! `wsus-doctor`: the command-line face of WSUS Doctor. Flags and glue only: reading files in
//! chunks, handing them to the core, and printing its report.

// `--this-machine` and `collect` run on Windows only; elsewhere their platform-neutral parts
// are built for their unit tests.
#[cfg_attr(not(windows), allow(dead_code))]
mod collect;
mod fleet;
mod inputs;
#[cfg_attr(not(windows), allow(dead_code))]
mod live;
mod output;
mod text;
#[cfg(windows)]
mod windows;

use output::{ColorArg, Format};

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use wsus_doctor_core::{codes, rules, InputKind};

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
        #[arg(required_unless_present = "this_machine")]
        files: Vec<PathBuf>,
        /// Read the evidence of the Windows machine this runs on, where it lies: registry policy,
        /// ETL traces, ReportingEvents.log, event logs, WinHTTP proxy, OS build; on a WSUS server
        /// also its IIS and HTTPERR logs, SoftwareDistribution.log and WsusPool (wsus-doctor.exe)
        #[arg(long)]
        this_machine: bool,
        /// With --this-machine: only evidence of this recent span (30m, 12h, 7d, 2w)
        #[arg(long, requires = "this_machine", value_parser = live::parse_since)]
        since: Option<(String, std::time::Duration)>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Read every input as this kind instead of detecting it
        #[arg(long, value_enum)]
        kind: Option<InputKind>,
        /// Read at most this much of each input (e.g. 500MB, 8GB; 0: no limit). The default keeps
        /// `/dev/zero` or a pipe that never ends from running forever; a bigger input is cut, and said
        #[arg(long, value_parser = wsus_doctor_core::parse_size, default_value = "2GB")]
        max_size: Option<u64>,
        /// Colour: auto (terminal only, never with NO_COLOR), always or never
        #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
        color: ColorArg,
        /// Replace host names, domains, IP addresses, user names and client ids with stable
        /// aliases (host-0001, ip-0002...), the same everywhere in the report, so it can be shared
        #[arg(long)]
        redact: bool,
    },
    /// Pack this Windows machine's evidence (what `diagnose --this-machine` reads) into one .zip
    /// with a manifest, for `diagnose`, the page or `fleet` elsewhere (wsus-doctor.exe)
    Collect {
        /// The bundle to write, e.g. pc042.zip or \\server\share\pc042.zip
        #[arg(long)]
        out: PathBuf,
        /// Only evidence of this recent span (30m, 12h, 7d, 2w)
        #[arg(long, value_parser = live::parse_since)]
        since: Option<(String, std::time::Duration)>,
        /// Leave out files larger than this (e.g. 500MB; 0: no limit), said in the manifest
        #[arg(long, value_parser = wsus_doctor_core::parse_size, default_value = "2GB")]
        max_size: Option<u64>,
    },
    /// Diagnose a whole collection share: one folder or .zip per machine (any depth), the WSUS
    /// server's logs beside them; every machine apart, in parallel; causes ranked across machines
    Fleet(fleet::FleetArgs),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagnose { files, this_machine: true, since, format, kind, max_size, color, redact } => {
            this_machine::diagnose(&files, since, max_size.filter(|&m| m > 0), format, kind, color, redact)
        }
        Command::Diagnose { files, format, kind, max_size, color, redact, .. } => diagnose(&files, format, kind, max_size, color, redact),
        Command::Collect { out, since, max_size } => {
            this_machine::collect(&out, live::Options { since, max_size: max_size.filter(|&m| m > 0) })
        }
        Command::Fleet(args) => fleet::fleet(args),
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

fn diagnose(files: &[PathBuf], format: Format, kind: Option<InputKind>, max_size: Option<u64>, color: ColorArg, redact: bool) -> ExitCode {
    let mut problems = inputs::ReadProblems::default();
    let max_size = max_size.filter(|&m| m > 0);
    let mut report = inputs::diagnose_paths(files, kind, max_size, &mut problems);
    if redact {
        wsus_doctor_core::redact::redact_report(&mut report, &mut Default::default());
    }
    output::emit(&report, format, color, &problems)
}

/// `diagnose --this-machine` and `collect`: the Windows machine this runs on.
#[cfg(windows)]
mod this_machine {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::time::SystemTime;

    use wsus_doctor_core::InputKind;

    use crate::output::{ColorArg, Format};
    use crate::{inputs, live, output, windows};

    pub fn diagnose(
        files: &[PathBuf],
        since: Option<(String, std::time::Duration)>,
        max_size: Option<u64>,
        format: Format,
        kind: Option<InputKind>,
        color: ColorArg,
        redact: bool,
    ) -> ExitCode {
        // a file past --max-size is read up to it and cut, as for files given by path
        let opts = live::Options { since, max_size: None };
        let collection = live::gather(&windows::ThisMachine, &windows::WevtExporter, &opts, SystemTime::now());
        let mut problems = inputs::ReadProblems::default();
        // files given beside --this-machine (a server's logs copied here) are read with it
        let extra = inputs::expand_dirs(files, &mut problems.unreadable, &mut problems.skipped);
        let mut named = collection.named_inputs();
        named.extend(extra.into_iter().map(|p| (inputs::display(&p), inputs::Source::Path(p))));
        problems.skipped.extend(collection.notes());
        let mut report = inputs::diagnose_named(named, kind, max_size, &mut problems);
        // the exported event logs are removed when the collection is dropped, after reading
        drop(collection);
        if redact {
            wsus_doctor_core::redact::redact_report(&mut report, &mut Default::default());
        }
        output::emit(&report, format, color, &problems)
    }

    pub fn collect(out: &Path, opts: live::Options) -> ExitCode {
        let now = SystemTime::now();
        let mut collection = live::gather(&windows::ThisMachine, &windows::WevtExporter, &opts, now);
        match crate::collect::write_bundle(&mut collection, out, now) {
            Ok(w) => {
                println!(
                    "wrote {}: {} member(s), {} bytes of evidence from {}; {} item(s) not collected (see manifest.json)",
                    out.display(),
                    w.members,
                    w.bytes,
                    collection.machine,
                    collection.not_collected.len()
                );
                for n in collection.notes() {
                    eprintln!("wsus-doctor: note: {}", crate::text::inert(&n));
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("wsus-doctor: cannot write {}: {e}", out.display());
                ExitCode::from(2)
            }
        }
    }
}

/// Elsewhere: `--this-machine` and `collect` read a Windows machine, and say so.
#[cfg(not(windows))]
mod this_machine {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use wsus_doctor_core::InputKind;

    use crate::live;
    use crate::output::{ColorArg, Format};

    const WINDOWS_ONLY: &str = "reads the Windows machine it runs on, so it works only in the Windows build (wsus-doctor.exe, run on the client or the WSUS server). Here, give the evidence as files or folders (`wsus-doctor diagnose C:/copied/Logs/WindowsUpdate reg-query.txt`), or a bundle made there with `wsus-doctor.exe collect --out pc042.zip` (`wsus-doctor diagnose pc042.zip`)";

    pub fn diagnose(
        _: &[PathBuf],
        _: Option<(String, std::time::Duration)>,
        _: Option<u64>,
        _: Format,
        _: Option<InputKind>,
        _: ColorArg,
        _: bool,
    ) -> ExitCode {
        eprintln!("wsus-doctor: diagnose --this-machine {WINDOWS_ONLY}");
        ExitCode::from(2)
    }

    pub fn collect(_: &Path, _: live::Options) -> ExitCode {
        eprintln!("wsus-doctor: collect {WINDOWS_ONLY}");
        ExitCode::from(2)
    }
}
