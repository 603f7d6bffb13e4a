//! A collection share of N machines, as Configuration Manager scripts or Intune leave it: one
//! folder or `.zip` per machine under site folders, a few machines collected twice, and the WSUS
//! server's IIS log beside them. Each machine gets a realistic evidence mix (a Windows 10
//! `Get-WindowsUpdateLog` text of healthy scans, a `reg query` export, a ReportingEvents.log, a
//! classic Windows 7 log) and one failure class, drawn at rates like a real estate's: most
//! machines healthy, scan time-outs and unreachable servers the common faults.
//! Deterministic: the same seed gives the same share.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Rng;

/// What a machine suffers from; `rule` is the cause WSUS Doctor is expected to rank for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Healthy,
    ScanTimeout,
    Unreachable,
    Proxy407,
    DualScan,
    UseWuServerOff,
    InstallFailed,
    Unmanaged,
    Unreadable,
}

/// Rates per thousand machines.
pub const RATES: &[(Class, u64)] = &[
    (Class::Healthy, 480),
    (Class::ScanTimeout, 120),
    (Class::Unreachable, 100),
    (Class::Proxy407, 60),
    (Class::DualScan, 60),
    (Class::UseWuServerOff, 50),
    (Class::InstallFailed, 50),
    (Class::Unmanaged, 50),
    (Class::Unreadable, 30),
];

impl Class {
    fn draw(r: &mut Rng) -> Class {
        let mut n = r.below(1000);
        for &(c, rate) in RATES {
            if n < rate {
                return c;
            }
            n -= rate;
        }
        Class::Healthy
    }

    pub fn name(self) -> &'static str {
        match self {
            Class::Healthy => "healthy",
            Class::ScanTimeout => "scan-timeout",
            Class::Unreachable => "unreachable",
            Class::Proxy407 => "proxy-407",
            Class::DualScan => "dual-scan",
            Class::UseWuServerOff => "usewuserver-off",
            Class::InstallFailed => "install-failed",
            Class::Unmanaged => "unmanaged",
            Class::Unreadable => "unreadable",
        }
    }
}

/// What was written.
#[derive(Default, Debug)]
pub struct Share {
    pub root: PathBuf,
    pub machines: usize,
    pub bytes: u64,
    /// Machines per class, in [`RATES`] order.
    pub classes: Vec<(Class, usize)>,
    /// Machines collected twice (a second, older folder under `recollected/`).
    pub twice: usize,
    pub zips: usize,
}

const SERVER: &str = "http://wsus01.corp.local:8530";

/// One Windows 10 log line, `Get-WindowsUpdateLog` layout.
fn line(out: &mut String, secs: u64, tid: u32, comp: &str, msg: &str) {
    use std::fmt::Write as _;
    let day = 11 + (secs / 86_400) % 18;
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    let _ = write!(out, "2024/04/{day:02} {h:02}:{m:02}:{s:02}.{:07} 1124  {tid:<5} {comp:<15} {msg}\r\n", (secs * 7919) % 10_000_000);
}

/// A Windows 10 WindowsUpdate.log: healthy scans to about `bytes`, then the class's failure.
fn wulog10(r: &mut Rng, bytes: u64, class: Class) -> String {
    let mut s = String::with_capacity(bytes as usize + 2048);
    let mut t = r.below(3600);
    let wsus = if class == Class::UseWuServerOff { "(null)" } else { SERVER };
    line(&mut s, t, 3256, "Agent", "WU client version 10.0.19041.3570");
    line(&mut s, t, 3256, "Agent", &format!("WSUS server: {wsus} (Unchanged)"));
    line(&mut s, t, 3256, "Agent", &format!("WSUS status server: {wsus} (Unchanged)"));
    let mut id = 0;
    let service = if class == Class::UseWuServerOff {
        "{7971F918-A847-4430-9279-4A52D1EFE18D} Third party service"
    } else {
        "{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7} Managed"
    };
    while (s.len() as u64) < bytes {
        id += 1;
        t += 3600 + r.below(600);
        let tid = 4000 + (id % 50) as u32;
        line(&mut s, t, 3256, "ComApi", "* START *   Search ClientId = UpdateOrchestrator");
        line(&mut s, t, tid, "Agent", &format!("* START * Finding updates CallerId = UpdateOrchestrator  Id = {id}"));
        line(&mut s, t, tid, "Agent", "Online = Yes; Interactive = No; AllowCachedResults = No; Ignore download priority = No");
        line(&mut s, t, tid, "Agent", &format!("ServiceID = {service}"));
        if class != Class::UseWuServerOff {
            line(
                &mut s,
                t + 1,
                tid,
                "ProtocolTalker",
                &format!("ServiceId = {{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}}, Server URL = {SERVER}/ClientWebService/client.asmx"),
            );
        }
        line(&mut s, t + 2, tid, "ProtocolTalker", "SyncUpdates round trips: 1");
        line(
            &mut s,
            t + 3,
            tid,
            "Agent",
            &format!(
                "Found {} updates and 85 categories in search; evaluated appl. rules of 1904 out of 3102 deployed entities",
                r.below(3)
            ),
        );
        line(&mut s, t + 3, tid, "Agent", "* END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000");
        line(&mut s, t + 3, 3256, "ComApi", "* END *   Search ClientId = UpdateOrchestrator");
    }
    for n in 0..3 {
        id += 1;
        t += 3600;
        let tid = 5000 + n;
        let fail = |s: &mut String, hr: &str| {
            line(s, t, tid, "Agent", &format!("* START * Finding updates CallerId = UpdateOrchestrator  Id = {id}"));
            line(
                s,
                t,
                tid,
                "ProtocolTalker",
                &format!("ServiceId = {{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}}, Server URL = {SERVER}/ClientWebService/client.asmx"),
            );
            line(s, t + 60, tid, "WebServices", &format!("Web service call failed with hr = {}.", hr.to_ascii_lowercase()));
            line(s, t + 60, tid, "ProtocolTalker", &format!("PTError: 0x{}", hr.to_ascii_lowercase()));
            line(s, t + 60, tid, "Agent", &format!("* END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x{hr}"));
        };
        match class {
            Class::ScanTimeout => fail(&mut s, "8024401C"),
            Class::Unreachable => {
                line(&mut s, t, tid, "Agent", &format!("* START * Finding updates CallerId = UpdateOrchestrator  Id = {id}"));
                line(&mut s, t + 21, tid, "Misc", "Send failed with hr = 80072ee2.");
                line(
                    &mut s,
                    t + 21,
                    tid,
                    "Misc",
                    "SendRequest failed with hr = 80072ee2. Proxy List used: <(null)> Bypass List used : <(null)> Auth Schemes used : <>",
                );
                line(&mut s, t + 21, tid, "ProtocolTalker", "PTError: 0x80072ee2");
                line(&mut s, t + 21, tid, "ProtocolTalker", "SyncServerUpdatesInternal failed: 0x80072ee2");
                line(&mut s, t + 21, tid, "Agent", "* END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80072EE2");
            }
            Class::Proxy407 => fail(&mut s, "8024401B"),
            _ => break,
        }
    }
    s
}

/// `reg query` of the update policy, as an admin's script saves it.
fn reg_query(class: Class) -> String {
    let mut s = String::from("C:\\Windows\\system32>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate /s\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n");
    if class == Class::DualScan {
        s.push_str("    DeferFeatureUpdates    REG_DWORD    0x1\r\n    DeferFeatureUpdatesPeriodInDays    REG_DWORD    0x16d\r\n    DeferQualityUpdates    REG_DWORD    0x1\r\n    DeferQualityUpdatesPeriodInDays    REG_DWORD    0xe\r\n");
    }
    s.push_str(&format!("    WUServer    REG_SZ    {SERVER}\r\n    WUStatusServer    REG_SZ    {SERVER}\r\n\r\n"));
    s.push_str("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\r\n    NoAutoUpdate    REG_DWORD    0x0\r\n    AUOptions    REG_DWORD    0x4\r\n");
    s.push_str(if class == Class::UseWuServerOff {
        "    UseWUServer    REG_DWORD    0x0\r\n\r\n"
    } else {
        "    UseWUServer    REG_DWORD    0x1\r\n\r\n"
    });
    s
}

const NETSH_PROXY: &str = "C:\\Windows\\system32>netsh winhttp show proxy\r\n\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.corp.local:8080\r\n    Bypass List     :  *.contoso.com;<local>\r\n\r\n";
const UNMANAGED_LOG: &str = include_str!("../../tests/cases/no-policy-win7/WindowsUpdate.log");
const UNMANAGED_REG: &str = include_str!("../../tests/cases/no-policy-win7/powershell.txt");
const REPORTING_FAILED: &[u8] = include_bytes!("../../tests/cases/win10-install-failures/ReportingEvents.log");
/// Not evidence: the first bytes of a PNG screenshot someone saved instead of the log.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80\0\0\x01\xe0\x08\x06\0\0\0";

/// The files of one machine.
fn machine_files(r: &mut Rng, class: Class, log_bytes: u64) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    match class {
        Class::Unreadable => files.push(("screenshot.png", PNG.to_vec())),
        Class::Unmanaged => {
            files.push(("WindowsUpdate.log", UNMANAGED_LOG.as_bytes().to_vec()));
            files.push(("policy.txt", UNMANAGED_REG.as_bytes().to_vec()));
        }
        _ => {
            files.push(("WindowsUpdate.log", wulog10(r, log_bytes, class).into_bytes()));
            // most collection scripts save the policy; the classes read from it always have it
            if r.below(10) < 7 || matches!(class, Class::DualScan | Class::UseWuServerOff) {
                files.push(("reg-query.txt", reg_query(class).into_bytes()));
            }
            if class == Class::Proxy407 {
                files.push(("netsh-winhttp.txt", NETSH_PROXY.as_bytes().to_vec()));
            }
            if class == Class::InstallFailed {
                files.push(("ReportingEvents.log", REPORTING_FAILED.to_vec()));
            }
        }
    }
    files
}

/// A machine's zip as a collection script makes it: its files under `Logs/`.
pub fn write_zip(path: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<u64> {
    let f = fs::File::create(path)?;
    let mut z = zip::ZipWriter::new(io::BufWriter::new(f));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        z.start_file(format!("Logs/{name}"), opts).map_err(io::Error::other)?;
        z.write_all(bytes)?;
    }
    let mut w = z.finish().map_err(io::Error::other)?;
    w.flush()?;
    Ok(fs::metadata(path)?.len())
}

fn write_folder(dir: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<u64> {
    fs::create_dir_all(dir)?;
    let mut n = 0;
    for (name, bytes) in files {
        fs::write(dir.join(name), bytes)?;
        n += bytes.len() as u64;
    }
    Ok(n)
}

/// Write a share of `machines` machines under `root/share`, each WindowsUpdate.log about
/// `log_bytes`, and a server IIS log of about `server_bytes`.
pub fn generate(root: &Path, machines: usize, seed: u64, log_bytes: u64, server_bytes: u64) -> io::Result<Share> {
    let mut r = Rng::new(seed);
    let share = root.join("share");
    let mut out = Share { root: share.clone(), machines, classes: RATES.iter().map(|&(c, _)| (c, 0)).collect(), ..Share::default() };
    let server = share.join("server").join("W3SVC1");
    fs::create_dir_all(&server)?;
    let mut iis = io::BufWriter::new(fs::File::create(server.join("u_ex240411.log"))?);
    out.bytes += crate::iis(&mut iis, server_bytes, seed)?;
    iis.flush()?;
    for i in 0..machines {
        let class = Class::draw(&mut r);
        if let Some(c) = out.classes.iter_mut().find(|(c, _)| *c == class) {
            c.1 += 1;
        }
        let files = machine_files(&mut r, class, log_bytes);
        let site = share.join(format!("site-{}", i % 3)).join(format!("2024-04-{:02}", 11 + i % 2));
        let name = format!("PC{i:05}");
        // one machine in five comes as the zip a collection script uploads
        if r.below(5) == 0 {
            fs::create_dir_all(&site)?;
            out.bytes += write_zip(&site.join(format!("{name}.zip")), &files)?;
            out.zips += 1;
        } else {
            out.bytes += write_folder(&site.join(&name), &files)?;
        }
        // one in a hundred was collected again, earlier, by another run: still one machine
        if r.below(100) == 0 {
            let again = share.join("recollected").join(&name);
            out.bytes += write_folder(&again, &files)?;
            let old = fs::File::options().write(true).open(again.join(files[0].0))?;
            old.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))?;
            let dir = fs::File::open(&again)?;
            let _ = dir.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000));
            out.twice += 1;
        }
    }
    Ok(out)
}
