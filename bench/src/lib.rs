//! Deterministic, realistic WSUS evidence for benchmarks: a WSUS server's W3C IIS log with
//! thousands of clients, and classic / Windows 10 WindowsUpdate.logs with error bursts.
//! The same seed always gives the same bytes, so runs are comparable.

pub mod etl;
pub mod fleet;
pub mod hostile;

use std::io::{self, Write};

/// xorshift64*: small, fast and deterministic; statistical quality is irrelevant here.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const IIS_FIELDS: &str = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken";

const AGENTS: &[&str] = &[
    "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50",
    "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.33",
    "Windows-Update-Agent/7.9.9600.18340+Client-Protocol/1.40",
    "Windows-Update-Agent/7.6.7600.320+Client-Protocol/1.21",
    "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+4.0.30319.42000)",
    "Microsoft+BITS/7.8",
];

/// Write `bytes` (approximately) of a WSUS IIS log.
pub fn iis(out: &mut impl Write, bytes: u64, seed: u64) -> io::Result<u64> {
    let mut r = Rng::new(seed);
    let mut written = 0u64;
    let mut line = String::with_capacity(400);
    let (mut h, mut m, mut s) = (0u32, 0u32, 0u32);
    let mut day = 1u32;
    let mut n = 0u64;
    while written < bytes {
        if n.is_multiple_of(400_000) {
            // IIS writes a new header block after each restart (and at midnight)
            let hdr = format!(
                "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2024-03-{day:02} {h:02}:{m:02}:{s:02}\r\n{IIS_FIELDS}\r\n"
            );
            out.write_all(hdr.as_bytes())?;
            written += hdr.len() as u64;
        }
        n += 1;
        s += r.below(2) as u32;
        if s >= 60 {
            s = 0;
            m += 1;
            if m == 60 {
                m = 0;
                h += 1;
                if h == 24 {
                    h = 0;
                    day = day % 28 + 1;
                }
            }
        }
        let client = r.below(6000);
        let ip = format!("10.{}.{}.{}", 20 + client / 60_000, (client / 250) % 250, client % 250 + 2);
        let roll = r.below(1000);
        let (method, path, query, ua, status, sub, win32): (&str, String, String, &str, u16, u16, u32) = if roll < 420 {
            ("POST", "/ClientWebService/client.asmx".into(), "-".into(), AGENTS[r.below(5) as usize], 200, 0, 0)
        } else if roll < 470 {
            ("POST", "/SimpleAuthWebService/SimpleAuth.asmx".into(), "-".into(), AGENTS[r.below(4) as usize], 200, 0, 0)
        } else if roll < 570 {
            ("POST", "/ReportingWebService/ReportingWebService.asmx".into(), "-".into(), AGENTS[r.below(4) as usize], 200, 0, 0)
        } else if roll < 680 {
            let st = if r.below(3) == 0 { 200 } else { 304 };
            (
                "GET",
                "/selfupdate/wuident.cab".into(),
                format!("{}", 2403000000u64 + r.below(999_999)),
                AGENTS[r.below(4) as usize],
                st,
                0,
                0,
            )
        } else if roll < 690 {
            ("GET", "/ClientWebService/wusserverversion.xml".into(), "-".into(), AGENTS[r.below(4) as usize], 200, 0, 0)
        } else {
            let hash: String = (0..40).map(|_| b"0123456789ABCDEF"[r.below(16) as usize] as char).collect();
            let st = [200, 206, 206, 206, 304][r.below(5) as usize];
            ("GET", format!("/Content/{}/{hash}.cab", &hash[38..40]), "-".into(), "Microsoft+BITS/7.8", st, 0, 0)
        };
        // error bursts: a few percent of failures of every kind a WSUS server produces
        let (status, sub, win32) = match r.below(1000) {
            0..=9 => (404, 0, 2),
            10..=11 => (500, 0, 0),
            12 => (503, 0, 0),
            13 => (401, 2, 5),
            _ => (status, sub, win32),
        };
        line.clear();
        use std::fmt::Write as _;
        let _ = write!(
            line,
            "2024-03-{day:02} {h:02}:{m:02}:{s:02} 10.0.0.5 {method} {path} {query} 8530 - {ip} {ua} {status} {sub} {win32} {}\r\n",
            r.below(4000)
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    Ok(written)
}

/// Write `bytes` (approximately) of a WindowsUpdate.log, classic (`modern == false`) or
/// Windows 10 `Get-WindowsUpdateLog` style.
pub fn wulog(out: &mut impl Write, bytes: u64, seed: u64, modern: bool) -> io::Result<u64> {
    let mut r = Rng::new(seed);
    let mut written = 0u64;
    let mut secs = 0u64;
    let mut buf = String::with_capacity(300);
    let mut cycle = 0u64;
    const OK: &[(&str, &str)] = &[
        ("Agent", "** START **  Agent: Finding updates [CallerId = AutomaticUpdates]"),
        ("Agent", "  * Online = Yes; Ignore download priority = No"),
        ("Agent", "  * Criteria = \"IsHidden=0 and IsInstalled=0 and DeploymentAction='Installation'\""),
        ("Agent", "  * ServiceID = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7} Managed"),
        ("Setup", "Checking for agent SelfUpdate"),
        ("Setup", "Client version: Core: 7.6.7600.320  Aux: 7.6.7600.320"),
        ("Misc", "Validating signature for C:\\Windows\\SoftwareDistribution\\SelfUpdate\\wuident.cab with dwProvFlags 0x00000080:"),
        ("Misc", " Microsoft signed: NA"),
        ("Setup", "Wuident for the managed service is valid, no self-update needed"),
        ("PT", "+++++++++++  PT: Synchronizing server updates  +++++++++++"),
        ("PT", "  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus01.corp.local:8530/ClientWebService/client.asmx"),
        ("PT", "+++++++++++  PT: Synchronizing extended update info  +++++++++++"),
        ("Agent", "  * Found 2 updates and 87 categories in search; evaluated appl. rules of 2015 out of 3842 deployed entities"),
        ("Agent", "**  END  **  Agent: Finding updates [CallerId = AutomaticUpdates]"),
        ("AU", ">>##  RESUMED  ## AU: Search for updates [CallId = {A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D}]"),
        ("AU", "  # 2 updates detected"),
        ("DnldMgr", "*********** DnldMgr: New download job [UpdateId = {6A8B9C0D-1E2F-4A3B-8C4D-5E6F7A8B9C0D}.201] ***********"),
        ("DnldMgr", "  * BITS job initialized, JobId = {0F1E2D3C-4B5A-4968-8776-5A4B3C2D1E0F}"),
        ("Report", "REPORT EVENT: {7D3A1F5C-2B4E-4F60-9C8D-0E1F2A3B4C5D}\t2024-03-01 10:00:00:000-0500\t1\t147\t101\t{00000000-0000-0000-0000-000000000000}\t0\t0\tAutomaticUpdates\tSuccess\tSoftware Synchronization\tWindows Update Client successfully detected 2 updates."),
        ("COMAPI", "-- START --  COMAPI: Search [ClientId = AutomaticUpdates]"),
        ("COMAPI", "  - Updates found = 2"),
        ("IdleTmr", "WU operation (SearchWorker) started; operation # 6; does use network; is at background priority"),
    ];
    const FAIL: &[(&str, &str)] = &[
        ("Misc", "WARNING: Send failed with hr = 80072ee2."),
        (
            "Misc",
            "WARNING: SendRequest failed with hr = 80072ee2. Proxy List used: <(null)> Bypass List used : <(null)> Auth Schemes used : <>",
        ),
        ("PT", "WARNING: PTError: 0x80072ee2"),
        ("PT", "WARNING: SyncServerUpdatesInternal failed: 0x80072ee2"),
        ("Agent", "  * WARNING: Exit code = 0x80072EE2"),
        ("AU", "  # WARNING: Failed to find updates with error code 80072ee2"),
    ];
    while written < bytes {
        cycle += 1;
        let burst = r.below(20) == 0;
        let lines: &[(&str, &str)] = if burst { FAIL } else { OK };
        for (comp, msg) in lines {
            secs += r.below(3);
            let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
            let day = 1 + (secs / 86_400) % 28;
            buf.clear();
            use std::fmt::Write as _;
            if modern {
                let comp = match *comp {
                    "PT" => "ProtocolTalker",
                    "DnldMgr" => "DownloadManager",
                    c => c,
                };
                let _ = write!(
                    buf,
                    "2024/03/{day:02} {h:02}:{m:02}:{s:02}.{:07} {:<5} {:<5} {comp:<15} {}\r\n",
                    r.below(10_000_000),
                    1124,
                    3256 + cycle % 7,
                    msg.trim_start_matches([' ', '*', '#', '+', '-']).trim_start()
                );
            } else {
                let _ = write!(
                    buf,
                    "2024-03-{day:02}\t{h:02}:{m:02}:{s:02}:{:03}\t{:>4}\t{:x}\t{comp}\t{msg}\r\n",
                    r.below(1000),
                    1124,
                    0xa3c + cycle % 7
                );
            }
            out.write_all(buf.as_bytes())?;
            written += buf.len() as u64;
        }
    }
    Ok(written)
}

pub use wsus_doctor_core::parse_size;
