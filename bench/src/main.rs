//! `wsus-doctor-bench iis --size 1GB --out u_ex.log` and friends: deterministic test evidence.

use std::io::{BufWriter, Write};

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// A WSUS server's W3C IIS log
    Iis,
    /// A classic WindowsUpdate.log (XP to 8.1)
    Wulog,
    /// A Windows 10/11 WindowsUpdate.log (Get-WindowsUpdateLog)
    Wulog10,
    /// A Windows 10/11 Windows Update ETL trace (the events of `wulog10`, 64 KB buffers)
    Etl,
    /// Adversarial evidence: the shape given by --hostile
    Hostile,
    /// A collection share of --machines machines (folders and zips) and the server's IIS log,
    /// written under the folder --out; --size is each machine's WindowsUpdate.log
    Fleet,
}

#[derive(Parser)]
#[command(about = "Generate realistic, deterministic WSUS evidence for benchmarks")]
struct Args {
    kind: Kind,
    /// Approximate size, e.g. 200MB or 1GB
    #[arg(long, value_parser = wsus_doctor_bench::parse_size, default_value = "100MB")]
    size: u64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The adversarial shape (with `hostile`)
    #[arg(long, value_enum, default_value = "distinct-codes")]
    hostile: wsus_doctor_bench::hostile::Hostile,
    /// Output file (default: stdout); for `fleet`, the folder to write the share in
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// `fleet`: how many machines
    #[arg(long, default_value_t = 1000)]
    machines: usize,
    /// `fleet`: size of the server's IIS log
    #[arg(long, value_parser = wsus_doctor_bench::parse_size, default_value = "20MB")]
    server_size: u64,
}

fn main() -> std::io::Result<()> {
    let a = Args::parse();
    if let Kind::Fleet = a.kind {
        let root = a.out.clone().unwrap_or_else(|| "fleet".into());
        let s = wsus_doctor_bench::fleet::generate(&root, a.machines, a.seed, a.size, a.server_size)?;
        let classes: Vec<String> = s.classes.iter().map(|(c, n)| format!("{} {n}", c.name())).collect();
        println!(
            "{}: {} machines ({} zips, {} collected twice), {} bytes; {}",
            s.root.display(),
            s.machines,
            s.zips,
            s.twice,
            s.bytes,
            classes.join(", ")
        );
        return Ok(());
    }
    let sink: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    match a.kind {
        Kind::Iis => wsus_doctor_bench::iis(&mut w, a.size, a.seed)?,
        Kind::Wulog => wsus_doctor_bench::wulog(&mut w, a.size, a.seed, false)?,
        Kind::Wulog10 => wsus_doctor_bench::wulog(&mut w, a.size, a.seed, true)?,
        Kind::Etl => wsus_doctor_bench::etl::generate(&mut w, a.size, a.seed)?,
        Kind::Hostile => wsus_doctor_bench::hostile::generate(&mut w, a.hostile, a.size)?,
        Kind::Fleet => unreachable!("written above"),
    };
    w.flush()
}
